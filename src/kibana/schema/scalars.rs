//! Leaf values as config-schema coerces and checks them: strings, enums, booleans, numbers,
//! byte sizes, durations, JSON strings, string-or-array.

use super::formats;
use super::issues::IssueKind;
use super::spec::Spec;
use super::validate::{Ctx, Validator, coerced};
use super::values::{parse_byte_size, parse_duration};
use crate::model::tree::{Node, SettingPath, Value};

impl Validator<'_> {
    /// Parses a JSON string into nodes, as config-schema does for arrays, objects and records.
    pub(super) fn parse_json(
        &mut self,
        node: &Node,
        what: &str,
        path: &SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        let text = node.as_str()?;
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(json) => {
                let mut parsed = Node::from_json(&json, &node.origin);
                parsed.key = node.key;
                Some(parsed)
            }
            Err(_) => {
                self.issue(
                    IssueKind::WrongType {
                        expected: if what == "array" { "array" } else { "object" },
                        got: "string",
                    },
                    path,
                    Some(node),
                    format!(
                        "{}: could not parse {what} value from json input",
                        ctx.prefix(path)
                    ),
                );
                None
            }
        }
    }

    pub(super) fn string(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        let Value::Str(text) = &node.value else {
            self.wrong_type(node, "string", path, ctx);
            return None;
        };
        // Encryption-key lengths get their own rule, with the key's story (env var, keystore…).
        let own_module = spec.checked_by == Some("encryption-key");
        if let Some(min) = spec.min_length
            && !own_module
        {
            let len = text.value.encode_utf16().count();
            if len < min {
                self.invalid(
                    node,
                    path,
                    ctx,
                    format!(
                        "value has length [{len}] but it must have a minimum length of [{min}]."
                    ),
                );
                return None;
            }
        }
        if let Some(message) = spec
            .format
            .and_then(|f| formats::check(f, &text.value, self.version))
        {
            self.invalid(node, path, ctx, message);
            return None;
        }
        if let (Some(value), Some(from)) = (&spec.forbidden_value, spec.forbidden_from)
            && self.version >= from
            && text.value == *value
        {
            // A `validate`'s return is printed after the path; a message written with its path
            // (`elasticsearch.username`'s) is Kibana's whole line.
            let kibana = match spec.forbidden_message {
                Some(whole) if whole.starts_with('[') => whole.to_string(),
                Some(message) => format!("{}: {message}", ctx.prefix(path)),
                None => format!("{}: value of \"{value}\" is forbidden.", ctx.prefix(path)),
            };
            self.issue(IssueKind::InvalidValue, path, Some(node), kibana);
            return None;
        }
        Some(node.clone())
    }

    pub(super) fn enumeration(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        if let Value::Str(t) = &node.value
            && spec.values_at(self.version).any(|v| v == t.value)
        {
            return Some(node.clone());
        }
        // Refused: the literals this release has, for the message.
        let values: Vec<&str> = spec.values_at(self.version).collect();
        let prefix = ctx.prefix(path);
        let got = node.display();
        // A union of one literal reports the literal's own error (Joi 17, from 7.14), as does a
        // bare literal.
        if let ([only], false) = (values.as_slice(), spec.nullable) {
            let message = if matches!(node.value, Value::Str(_)) {
                format!("expected value to equal [{only}]")
            } else {
                format!("expected value to equal [{only}] but got [{got}]")
            };
            self.invalid(node, path, ctx, message);
            return None;
        }
        let lines: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let inner = prefix.trim_end_matches(']');
                if matches!(node.value, Value::Str(_)) {
                    format!("- {inner}.{i}]: expected value to equal [{v}]")
                } else {
                    format!("- {inner}.{i}]: expected value to equal [{v}] but got [{got}]")
                }
            })
            .collect();
        self.invalid(
            node,
            path,
            ctx,
            format!("types that failed validation:\n{}", lines.join("\n")),
        );
        None
    }

    pub(super) fn boolean(&mut self, node: &Node, path: &SettingPath, ctx: &Ctx) -> Option<Node> {
        match &node.value {
            Value::Bool(_) => Some(node.clone()),
            Value::Str(t) if t.value.eq_ignore_ascii_case("true") => {
                Some(coerced(node, Value::Bool(true)))
            }
            Value::Str(t) if t.value.eq_ignore_ascii_case("false") => {
                Some(coerced(node, Value::Bool(false)))
            }
            _ => {
                self.wrong_type(node, "boolean", path, ctx);
                None
            }
        }
    }

    /// A boolean of which a self-managed Kibana accepts one value only (`spec.only`).
    pub(super) fn only(
        &mut self,
        node: Node,
        spec: &Spec,
        path: &SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        match (spec.only, node.as_bool()) {
            (Some(only), Some(b)) if b != only => {
                let message = spec.only_message.map_or_else(
                    || format!("expected value to equal [{only}]"),
                    str::to_string,
                );
                self.invalid(&node, path, ctx, message);
                None
            }
            _ => Some(node),
        }
    }

    pub(super) fn number(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        let n = match &node.value {
            Value::Number(n) => *n,
            Value::Str(t) => match t.value.trim().parse::<f64>() {
                Ok(n) if !t.value.trim().is_empty() => n,
                _ => {
                    self.wrong_type(node, "number", path, ctx);
                    return None;
                }
            },
            _ => {
                self.wrong_type(node, "number", path, ctx);
                return None;
            }
        };
        if let Some(min) = spec.min
            && n < min
        {
            self.invalid(
                node,
                path,
                ctx,
                format!("Value must be equal to or greater than [{min}]."),
            );
            return None;
        }
        if let Some(max) = spec.max
            && n > max
        {
            self.invalid(
                node,
                path,
                ctx,
                format!("Value must be equal to or lower than [{max}]."),
            );
            return None;
        }
        Some(coerced(node, Value::Number(n)))
    }

    pub(super) fn byte_size(&mut self, node: &Node, path: &SettingPath, ctx: &Ctx) -> Option<Node> {
        let ok = match &node.value {
            Value::Number(n) => *n >= 0.0 && n.fract() == 0.0,
            Value::Str(t) => parse_byte_size(&t.value).is_some(),
            _ => false,
        };
        if ok {
            return Some(node.clone());
        }
        if !matches!(node.value, Value::Str(_) | Value::Number(_)) {
            self.wrong_type(node, "string", path, ctx);
            return None;
        }
        self.invalid(
            node,
            path,
            ctx,
            "Failed to parse value as byte value. Value must be either number of bytes, or follow the format <count>[b|kb|mb|gb] (e.g., '1024kb', '200mb', '1gb'), where the number is a safe positive integer.".into(),
        );
        None
    }

    pub(super) fn duration(&mut self, node: &Node, path: &SettingPath, ctx: &Ctx) -> Option<Node> {
        let ok = match &node.value {
            Value::Number(n) => *n >= 0.0 && n.fract() == 0.0,
            Value::Str(t) => parse_duration(&t.value),
            _ => false,
        };
        if ok {
            return Some(node.clone());
        }
        if !matches!(node.value, Value::Str(_) | Value::Number(_)) {
            self.wrong_type(node, "string", path, ctx);
            return None;
        }
        self.invalid(
            node,
            path,
            ctx,
            "Failed to parse value as time value. Value must be a duration in milliseconds, or follow the format <count>[ms|s|m|h|d|w|M|y] (e.g. '70ms', '5s', '3d', '1y', '1m30s'), where the duration is a safe positive integer.".into(),
        );
        None
    }

    /// `oneOf([string({minLength:1}), arrayOf(string({minLength:1}), {minSize:1})])`
    pub(super) fn string_or_array(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        let prefix = ctx.prefix(path);
        let inner = prefix.trim_end_matches(']').to_string();
        // config-schema's union puts the alternative's index after the key: an item of the
        // array alternative fails at `<key>.1.<item>` (union_type.ts `childPathWithIndex`).
        let failure = |this: &mut Self, first: String, second_at: String, second: String| {
            this.invalid(
                node,
                path,
                ctx,
                format!(
                    "types that failed validation:\n- {inner}.0]: {first}\n- {inner}.{second_at}]: {second}"
                ),
            );
        };
        let format = |value: &str| {
            spec.format
                .filter(|_| !value.contains("${"))
                .and_then(|f| formats::check(f, value, self.version))
        };
        match &node.value {
            Value::Str(t) => {
                let len = t.value.encode_utf16().count();
                if len < spec.min_length.unwrap_or(0) {
                    failure(
                        self,
                        format!(
                            "value has length [{len}] but it must have a minimum length of [1]."
                        ),
                        "1".into(),
                        "could not parse array value from json input".into(),
                    );
                    return None;
                }
                // A JSON array in a string is the second alternative's: not judged here.
                if !t.value.trim_start().starts_with('[')
                    && let Some(message) = format(&t.value)
                {
                    failure(
                        self,
                        message,
                        "1".into(),
                        "could not parse array value from json input".into(),
                    );
                    return None;
                }
                Some(node.clone())
            }
            Value::Seq(items) => {
                if items.is_empty() {
                    failure(
                        self,
                        "expected value of type [string] but got [Array]".into(),
                        "1".into(),
                        "array size is [0], but cannot be smaller than [1]".into(),
                    );
                    return None;
                }
                for (i, item) in items.iter().enumerate() {
                    let bad = match &item.value {
                        Value::Str(t) if t.value.is_empty() => Some(
                            "value has length [0] but it must have a minimum length of [1]."
                                .to_string(),
                        ),
                        Value::Str(t) => format(&t.value),
                        _ => Some(format!(
                            "expected value of type [string] but got [{}]",
                            item.js_type()
                        )),
                    };
                    if let Some(bad) = bad {
                        failure(
                            self,
                            "expected value of type [string] but got [Array]".into(),
                            format!("1.{i}"),
                            bad,
                        );
                        return None;
                    }
                }
                Some(node.clone())
            }
            _ => {
                let got = node.js_type();
                failure(
                    self,
                    format!("expected value of type [string] but got [{got}]"),
                    "1".into(),
                    format!("expected value of type [array] but got [{got}]"),
                );
                None
            }
        }
    }
}
