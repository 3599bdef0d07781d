//! `uiSettings.overrides`: the Advanced Settings whose values the ui settings service checks
//! at start-up (validators/ui_settings.rs), as properties of the open overrides object, so an
//! editor completes their ids and values and marks a value Kibana would refuse.

use serde_json::{Map, Value, json};

use super::{NUMBER_TEXT, boolean_value, env_ref};
use crate::kibana::schema::validators::{
    DARK_MODES, UiSchema, WEEKDAYS, registered_ui_settings, timezone_options,
};
use crate::version::Version;

/// A number, or a string config-schema reads as one (non-negative when `min` is 0).
fn numeric(min: Option<u32>) -> Value {
    let mut number = Map::new();
    number.insert("type".into(), json!("number"));
    if let Some(min) = min {
        number.insert("minimum".into(), json!(min));
    }
    let pattern = if min == Some(0) {
        "^\\s*[0-9]+(\\.[0-9]+)?\\s*$"
    } else {
        NUMBER_TEXT
    };
    json!({ "anyOf": [Value::Object(number), { "type": "string", "pattern": pattern }, env_ref()] })
}

fn value_schema(schema: UiSchema) -> Value {
    match schema {
        UiSchema::Boolean => boolean_value(),
        UiSchema::String => json!({ "type": "string" }),
        UiSchema::Number { min } => numeric(Some(min)),
        UiSchema::MaybeNumber => numeric(None),
        UiSchema::TimeZone => {
            let zones: Vec<&str> = std::iter::once("Browser")
                .chain(timezone_options())
                .collect();
            json!({ "anyOf": [{ "enum": zones }, env_ref()] })
        }
        UiSchema::Weekday => json!({ "anyOf": [{ "enum": WEEKDAYS }, env_ref()] }),
        // One leading slash: `//host` is a host, not a path.
        UiSchema::RelativeUrl => json!({
            "anyOf": [{ "type": "string", "pattern": "^/([^/]|$)" }, env_ref()]
        }),
        UiSchema::Lifetime => json!({
            "anyOf": [numeric(Some(0)), { "const": "Infinity" }]
        }),
        UiSchema::DarkMode => json!({
            "anyOf": [{ "enum": DARK_MODES }, boolean_value()]
        }),
        UiSchema::Literals(literals) => json!({ "anyOf": [{ "enum": literals }, env_ref()] }),
    }
}

/// The properties of `uiSettings.overrides` for Kibana `v`.
pub(super) fn properties(v: Version) -> impl Iterator<Item = (String, Value)> {
    registered_ui_settings(v).map(|(id, schema)| {
        let mut property = value_schema(schema);
        if let Some(m) = property.as_object_mut() {
            m.insert(
                "description".into(),
                json!(format!(
                    "Advanced Setting `{id}`: Kibana checks an override against the setting's schema when it starts, and a refused value stops it."
                )),
            );
        }
        (id.to_string(), property)
    })
}
