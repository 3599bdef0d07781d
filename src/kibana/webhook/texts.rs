//! What differs by version: the keys, methods and auth types each version knows, and the
//! wording of Kibana's messages (`@kbn/config-schema` before 9.3, zod from 9.3).

use crate::model::tree::{Node, Value};
use crate::source::Location;
use crate::version::Version;

pub(super) const BASIC: &str = "webhook-authentication-basic";
pub(super) const SSL: &str = "webhook-authentication-ssl";
pub(super) const OAUTH2: &str = "webhook-oauth2-client-credentials";
pub(super) const QUERY_PARAM: &str = "http-authentication-query-param";

pub(super) fn v(major: u32, minor: u32, patch: u32) -> Version {
    Version::new(major, minor, patch)
}

/// Whether the schemas are zod's (9.3+, `@kbn/connector-schemas`), which changes every message.
pub(super) fn zod(version: Version) -> bool {
    version >= v(9, 3, 0)
}

/// `error validating action type config: ` (8.x–9.2) / `error validating connector type config: ` (9.3+).
pub(crate) fn config_prefix(version: Version) -> &'static str {
    if zod(version) {
        "error validating connector type config: "
    } else {
        "error validating action type config: "
    }
}

pub(super) fn secrets_prefix(version: Version) -> &'static str {
    if zod(version) {
        "error validating connector type secrets: "
    } else {
        "error validating action type secrets: "
    }
}

/// The webhook validator's own prefix: `error configuring webhook action:` until ≈9.0,
/// `error validation webhook action config:` after (kibana-api.md §5.4, approximate boundary).
pub(super) fn custom_prefix(version: Version) -> &'static str {
    if version >= v(9, 1, 0) {
        "error validation webhook action config:"
    } else {
        "error configuring webhook action:"
    }
}

/// The whole message Kibana returns for a failed cross-field check, e.g. the allowedHosts one.
pub(crate) fn custom_error(version: Version, inner: &str) -> String {
    format!(
        "{}{} {inner}",
        config_prefix(version),
        custom_prefix(version)
    )
}

/// `String(err)` for a URL `new URL()` rejects: Node 20 (Kibana 9) prints `TypeError: Invalid
/// URL`; the 8.x failure reports show `TypeError [ERR_INVALID_URL]: Invalid URL`.
pub(crate) fn node_invalid_url(version: Version) -> &'static str {
    if version >= v(9, 0, 0) {
        "TypeError: Invalid URL"
    } else {
        "TypeError [ERR_INVALID_URL]: Invalid URL"
    }
}

/// The config keys a version's schema knows, and the version each arrived in.
pub(super) const CONFIG_KEYS: &[(&str, Version)] = &[
    ("url", Version::new(7, 10, 0)),
    ("method", Version::new(7, 10, 0)),
    ("headers", Version::new(7, 10, 0)),
    ("hasAuth", Version::new(7, 10, 0)),
    ("authType", Version::new(8, 10, 0)),
    ("certType", Version::new(8, 10, 0)),
    ("ca", Version::new(8, 10, 0)),
    ("verificationMode", Version::new(8, 10, 0)),
    ("accessTokenUrl", Version::new(9, 2, 0)),
    ("clientId", Version::new(9, 2, 0)),
    ("scope", Version::new(9, 2, 0)),
    ("additionalFields", Version::new(9, 2, 0)),
];

pub(super) const SECRET_KEYS: &[(&str, Version)] = &[
    ("user", Version::new(7, 10, 0)),
    ("password", Version::new(7, 10, 0)),
    ("crt", Version::new(8, 10, 0)),
    ("key", Version::new(8, 10, 0)),
    ("pfx", Version::new(8, 10, 0)),
    ("clientSecret", Version::new(9, 1, 0)),
    ("secretHeaders", Version::new(9, 2, 0)),
];

/// The HTTP methods the schema accepts, and whether that is verified for the version.
pub(crate) fn methods(version: Version) -> (&'static [&'static str], bool) {
    const TWO: &[&str] = &["post", "put"];
    const FIVE: &[&str] = &["post", "put", "patch", "get", "delete"];
    if version >= v(9, 3, 0) {
        (FIVE, true)
    } else if version >= v(9, 0, 0) {
        // The 9.0–9.2 config-schema file already lists five, but the feature is documented for
        // 9.3 (kibana-api.md §5.2): not verified.
        (FIVE, false)
    } else {
        (TWO, true)
    }
}

pub(super) fn auth_types(version: Version) -> Vec<&'static str> {
    let mut t = vec![BASIC, SSL];
    if version >= v(9, 2, 0) {
        t.push(OAUTH2);
    }
    if version >= v(9, 3, 0) {
        t.push(QUERY_PARAM);
    }
    t
}

pub(super) fn js_type(node: &Node) -> &'static str {
    match &node.value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::Str(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

/// config-schema's `[key]: expected value of type [t] but got [u]` or zod's
/// `Field "key": Expected t, received u`.
pub(super) fn type_error(
    version: Version,
    prefix: &str,
    field: &str,
    expected: &str,
    got: &str,
) -> String {
    if zod(version) {
        format!("{prefix}Field \"{field}\": Expected {expected}, received {got}")
    } else {
        format!("{prefix}[{field}]: expected value of type [{expected}] but got [{got}]")
    }
}

/// The enum message of each schema flavour.
pub(super) fn enum_error(
    version: Version,
    prefix: &str,
    field: &str,
    allowed: &[&str],
    got: &Node,
) -> String {
    if zod(version) {
        let expected = allowed
            .iter()
            .map(|a| format!("'{a}'"))
            .collect::<Vec<_>>()
            .join(" | ");
        let received = match got.as_str() {
            Some(s) => format!("'{s}'"),
            None => got.display(),
        };
        format!(
            "{prefix}Field \"{field}\": Invalid enum value. Expected {expected}, received {received}"
        )
    } else {
        let mut s = format!("{prefix}[{field}]: types that failed validation:");
        for (i, a) in allowed.iter().enumerate() {
            s.push_str(&format!("\n- [{field}.{i}]: expected value to equal [{a}]"));
        }
        s
    }
}

pub(super) fn unknown_key_error(version: Version, prefix: &str, key: &str) -> String {
    if zod(version) {
        format!("{prefix}Unrecognized key(s) in object: '{key}'")
    } else {
        format!("{prefix}[{key}]: definition for this key is missing")
    }
}

pub(super) fn at(node: &Node) -> Option<Location> {
    node.location()
}

pub(super) fn key_at(node: &Node) -> Option<Location> {
    node.key.or(node.location())
}
