//! The create request body: `name`, `connector_type_id`, unknown top-level keys, and
//! `validateEmptyStrings`.

use super::problem::{Problem, ProblemKind};
use super::texts::*;
use crate::model::tree::{Map, Node, Value};
use crate::source::Location;
use crate::version::Version;

/// The create request body: `name`, `connector_type_id`, and nothing else besides config/secrets.
pub(crate) fn validate_body(body: &Node, whole: Option<Location>, out: &mut Vec<Problem>) {
    let Some(map) = body.as_map() else {
        return;
    };
    required_strings(map, whole, out);
    if let Some(t) = map.get("connector_type_id").and_then(|n| n.as_str())
        && t != ".webhook"
        && !t.trim().is_empty()
    {
        out.push(
            Problem::new(
                ProblemKind::Body,
                "connector_type_id",
                at(&map["connector_type_id"]),
                format!("`connector_type_id` is `{t}`; this tool checks `.webhook` connectors"),
            )
            .help("set `\"connector_type_id\": \".webhook\"`, or check this connector another way"),
        );
    }
    for (key, node) in map {
        unknown_key(key, node, out);
    }
    for key in ["config", "secrets"] {
        if let Some(n) = map.get(key)
            && n.as_map().is_none()
            && !matches!(n.value, Value::Null)
        {
            out.push(
                Problem::new(
                    ProblemKind::Body,
                    key,
                    at(n),
                    format!("`{key}` must be an object, not {}", js_type(n)),
                )
                .kibana(format!(
                    "[request body.{key}]: expected value of type [object] but got [{}]",
                    js_type(n)
                ))
                .help(format!("write `{key}` as a JSON object")),
            );
        }
    }
}

/// `name` and `connector_type_id`: required, and strings.
fn required_strings(map: &Map, whole: Option<Location>, out: &mut Vec<Problem>) {
    for key in ["name", "connector_type_id"] {
        match map.get(key) {
            None => out.push(
                Problem::new(
                    ProblemKind::Body,
                    key,
                    whole,
                    format!("the connector has no `{key}`"),
                )
                .kibana(format!(
                    "[request body.{key}]: expected value of type [string] but got [undefined]"
                ))
                .help(if key == "name" {
                    "add `\"name\": \"…\"`, the name shown in Kibana"
                } else {
                    "add `\"connector_type_id\": \".webhook\"`"
                }),
            ),
            Some(n) if n.as_str().is_none() => out.push(
                Problem::new(
                    ProblemKind::Body,
                    key,
                    at(n),
                    format!("`{key}` must be a string, not {}", js_type(n)),
                )
                .kibana(format!(
                    "[request body.{key}]: expected value of type [string] but got [{}]",
                    js_type(n)
                ))
                .help("write it as a JSON string"),
            ),
            Some(_) => {}
        }
    }
}

/// A top-level key the create route does not take, with a hint for the usual mix-ups.
fn unknown_key(key: &str, node: &Node, out: &mut Vec<Problem>) {
    match key {
        "name" | "connector_type_id" | "config" | "secrets" => {}
        "actionTypeId" => out.push(
            Problem::new(
                ProblemKind::Body,
                key,
                key_at(node),
                "`actionTypeId` belongs to the legacy /api/actions/action route; /api/actions/connector takes `connector_type_id`".into(),
            )
            .kibana(format!("[request body.{key}]: definition for this key is missing"))
            .help("rename it to `connector_type_id`"),
        ),
        "id" => out.push(
            Problem::new(
                ProblemKind::Body,
                key,
                key_at(node),
                "the connector id is not part of the body: it goes in the path, POST /api/actions/connector/<id>".into(),
            )
            .kibana(format!("[request body.{key}]: definition for this key is missing"))
            .help("remove `id` from the file and pass it with --connector-id"),
        ),
        _ => out.push(
            Problem::new(
                ProblemKind::Body,
                key,
                key_at(node),
                format!("the create request has no `{key}` field"),
            )
            .kibana(format!("[request body.{key}]: definition for this key is missing"))
            .help("the body has name, connector_type_id, config and secrets only")
            .note("Kibana's wording for unknown body keys is the standard config-schema text, not verified by Kibana's tests"),
        ),
    }
}

/// `validateEmptyStrings` on the create route (7.17.6, 8.3.3, 8.4.0+): any string that is empty
/// after trimming, at any depth of config or secrets.
pub(crate) fn validate_empty_strings(
    version: Version,
    field: &str,
    node: &Node,
    out: &mut Vec<Problem>,
) {
    let applies = version >= v(8, 3, 3) || (version >= v(7, 17, 6) && version < v(8, 0, 0));
    if !applies {
        return;
    }
    match &node.value {
        // An unset `${VAR}` is reported as such, not as the empty string it leaves.
        Value::Str(t)
            if t.value.trim().is_empty()
                && !t
                    .env
                    .iter()
                    .any(|r| r.resolution == crate::source::env::Resolution::Missing) =>
        {
            let top = field.split('.').take(2).collect::<Vec<_>>().join(".");
            out.push(
                Problem::new(
                    ProblemKind::EmptyValue,
                    field,
                    at(node),
                    format!("`{field}` is empty"),
                )
                .kibana(format!("[request body.{top}]: value '' is not valid"))
                .help(if matches!(field, "name" | "connector_type_id") {
                    "give it a value; Kibana rejects strings that are empty after trimming"
                } else {
                    "remove the key or set it to null; Kibana rejects empty strings anywhere in config and secrets"
                }),
            );
        }
        Value::Map(m) => {
            for (k, child) in m {
                validate_empty_strings(version, &format!("{field}.{k}"), child, out);
            }
        }
        Value::Seq(items) => {
            for (i, child) in items.iter().enumerate() {
                validate_empty_strings(version, &format!("{field}[{i}]"), child, out);
            }
        }
        _ => {}
    }
}
