//! `elastic.apm`: from 8.6 core types six of the APM agent's options (validators/
//! elastic_apm.rs); the object stays open to every other agent option.

use serde_json::{Value, json};

use super::boolean_value;
use crate::kibana::schema::validators::{APM_TYPED, APM_VALIDATED_FROM};
use crate::version::Version;

/// The typed properties of `elastic.apm` in Kibana `v` (none before 8.6).
pub(super) fn properties(v: Version) -> impl Iterator<Item = (String, Value)> {
    APM_TYPED
        .iter()
        .filter(move |_| v >= APM_VALIDATED_FROM)
        .map(|(key, ty, secret)| {
            let mut property = match *ty {
                "boolean" => boolean_value(),
                ty => json!({ "type": ty }),
            };
            if let Some(m) = property.as_object_mut() {
                if *secret {
                    m.insert("writeOnly".into(), json!(true));
                }
                m.insert(
                    "description".into(),
                    json!(format!(
                        "APM agent option `{key}` of Kibana's own instrumentation, validated by core from 8.6."
                    )),
                );
            }
            (key.to_string(), property)
        })
}
