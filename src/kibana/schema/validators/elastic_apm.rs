//! `elastic.apm`: the options of the APM agent that instruments Kibana itself. From 7.13 to 8.5
//! no schema reads them (core's unused-key check skips every `elastic.apm.` path, PR #96502), so
//! any key and value passes. From 8.6 (PR #144036) core validates `elastic` with
//! `schema.object({ apm: apmConfigSchema })` (@kbn/apm-config-loader `apm_config.ts`): six typed
//! `maybe()` keys, the same in every copy read (8.x before and after the `servicesOverrides`
//! change, 9.x), and `{ unknowns: 'allow' }` for every other agent option. Two keys changed
//! between copies in a release not pinned: `servicesOverrides` (an array of objects with a `name`,
//! later a record) and `redactUsers` (an unknown, later a boolean); their values are judged only
//! where both forms agree.

use super::{boolean, child};
use crate::kibana::schema::validate::{Ctx, Validator};
use crate::model::tree::{Node, Seg, SettingPath, Value};
use crate::version::Version;

/// The release whose core validates `elastic.apm` (PR #144036, v8.6.0).
pub(crate) const VALIDATED_FROM: Version = Version::new(8, 6, 0);

/// The typed options of every copy, as JSON Schema types, and whether each is a secret (for
/// the JSON Schema; `apm_option` checks them).
pub(crate) const TYPED: &[(&str, &str, bool)] = &[
    ("active", "boolean", false),
    ("serverUrl", "string", false),
    ("secretToken", "string", true),
    ("apiKey", "string", true),
    ("environment", "string", false),
    ("globalLabels", "object", false),
];

/// The first release with `redactUsers` a boolean surely: the 9.x copy has it.
const REDACT_USERS_FROM: Version = Version::new(9, 0, 0);

impl Validator<'_> {
    pub(super) fn elastic(&mut self, elastic: &Node, ctx: &Ctx) {
        let Some(apm) = child(Some(elastic), "apm").and_then(Node::as_map) else {
            return;
        };
        let base = SettingPath::parse("elastic.apm");
        let mut judged: rustc_hash::FxHashSet<&str> = Default::default();
        for (key, value) in apm {
            let path = base.key(key);
            if self.version < VALIDATED_FROM || self.apm_option(key, value, &path, ctx) {
                judged.insert(key.as_str());
            }
        }
        // One pass: a path under `elastic.apm.<key>` of a judged key leaves the list.
        if !judged.is_empty() {
            self.unjudged.retain(|p| match p.0.get(..3) {
                Some([_, _, Seg::Key(key)]) if p.0.starts_with(&base.0) => {
                    !judged.contains(key.as_str())
                }
                _ => true,
            });
        }
    }

    /// Checks one agent option as `apmConfigSchema` does; whether it was judged.
    fn apm_option(&mut self, key: &str, value: &Node, path: &SettingPath, ctx: &Ctx) -> bool {
        if matches!(&value.value, Value::Str(t) if t.value.contains("${")) {
            return false;
        }
        match key {
            "active" => {
                self.boolean(value, path, ctx);
                true
            }
            "secretToken" | "apiKey" | "environment" => {
                if value.as_str().is_none() {
                    self.wrong_type(value, "string", path, ctx);
                }
                true
            }
            // `schema.uri()`: a string Joi reads as an RFC 3986 URI. One with a scheme and `//`
            // and no blanks surely is; other strings are left to Kibana.
            "serverUrl" => match value.as_str() {
                None => {
                    self.wrong_type(value, "string", path, ctx);
                    true
                }
                Some(url) => surely_uri(url),
            },
            // `schema.object({}, { unknowns: 'allow' })`: any mapping (or JSON object string).
            "globalLabels" => match &value.value {
                Value::Map(_) => true,
                Value::Str(t) => {
                    let object = serde_json::from_str::<serde_json::Value>(&t.value)
                        .is_ok_and(|j| j.is_object());
                    if !object {
                        self.invalid(
                            value,
                            path,
                            ctx,
                            "could not parse object value from json input".into(),
                        );
                    }
                    true
                }
                _ => {
                    let message = format!(
                        "expected a plain object value, but found [{}] instead.",
                        value.js_type()
                    );
                    self.invalid(value, path, ctx, message);
                    true
                }
            },
            // A boolean in the later copies, any value in the earlier ones.
            "redactUsers" => {
                if boolean(value).is_some() {
                    true
                } else if self.version >= REDACT_USERS_FROM {
                    self.wrong_type(value, "boolean", path, ctx);
                    true
                } else {
                    false
                }
            }
            // An array of named objects in the earlier copies, a record in the later ones.
            "servicesOverrides" => false,
            // `unknowns: 'allow'`: every other agent option passes.
            _ => true,
        }
    }
}

/// A string Joi's `uri()` surely accepts: a scheme, `://`, and nothing a URI cannot hold.
fn surely_uri(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c))
}

#[cfg(test)]
mod tests {
    use super::surely_uri;

    #[test]
    fn only_plain_scheme_urls_are_surely_uris() {
        assert!(surely_uri("https://apm.example.com:8200"));
        assert!(surely_uri("http://10.0.0.1:8200/intake?x=1"));
        assert!(!surely_uri("apm-server:8200"));
        assert!(!surely_uri("http://apm server:8200"));
        assert!(!surely_uri("://x"));
        assert!(!surely_uri("http://"));
    }
}
