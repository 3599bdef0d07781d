//! The `validate` functions of Kibana's schemas: checks on one value or across sibling keys that
//! the table's types cannot express, one file per schema (`core_services`: `server`,
//! `elasticsearch`, `telemetry`; `csp`; `fleet`; `i18n`; `task_manager`; `reporting`;
//! `licensing`; the kinds of an appender, `appenders`, with a pattern's `%date` in
//! `date_conversion`, run by `one_of.rs` on the kind picked; `logging`, the references between
//! loggers and appenders; `custom_deprecations`, the deprecation providers that warn on values;
//! `ui_settings`, the Advanced Settings values of `uiSettings.overrides`, checked at start-up;
//! `elastic_apm`, the APM agent options core validates from 8.6).
//! Each mirrors the source it cites with its message; config-schema runs an object's `validate`
//! only after its keys passed, and reports the first failing condition only, so each object
//! stops at its first message. Values still holding an unresolved `${VAR}` are not judged:
//! Kibana stops at the variable first.
//! String formats and one-value booleans, which rows name, are `formats.rs` and `only`.

mod appenders;
mod core_services;
mod csp;
mod custom_deprecations;
mod date_conversion;
mod elastic_apm;
mod fleet;
mod i18n;
mod licensing;
mod logging;
mod reporting;
mod task_manager;
mod ui_settings;

pub(crate) use date_conversion::timezone_options;
pub(crate) use elastic_apm::{TYPED as APM_TYPED, VALIDATED_FROM as APM_VALIDATED_FROM};
pub(crate) use ui_settings::fix as ui_setting_fix;
pub(crate) use ui_settings::schema_of as ui_setting_schema;
pub(crate) use ui_settings::{
    DARK_MODES, UiSchema, WEEKDAYS, registered as registered_ui_settings,
};

use super::issues::IssueKind;
use super::validate::{Ctx, Validator};
use crate::model::tree::{Node, SettingPath, Value};

/// What a key holds, as the object's `validate` sees it (JavaScript truthiness).
pub(super) enum Seen<'a> {
    Absent,
    /// A `${VAR}` that did not resolve: unknown, so nothing is concluded from it.
    Unknown,
    Str(&'a str),
    Other(&'a Node),
}

pub(super) fn seen<'a>(obj: Option<&'a Node>, key: &str) -> Seen<'a> {
    seen_value(obj.and_then(|o| o.as_map()).and_then(|m| m.get(key)))
}

/// A value as the validate functions see it (`seen` reads it from its object).
pub(super) fn seen_value(node: Option<&Node>) -> Seen<'_> {
    let Some(node) = node else {
        return Seen::Absent;
    };
    match &node.value {
        Value::Null => Seen::Absent,
        Value::Str(t) if t.value.contains("${") => Seen::Unknown,
        Value::Str(t) => Seen::Str(&t.value),
        _ => Seen::Other(node),
    }
}

impl Seen<'_> {
    /// JavaScript truthiness; `None` when unknown.
    pub(super) fn truthy(&self) -> Option<bool> {
        match self {
            Seen::Absent => Some(false),
            Seen::Unknown => None,
            Seen::Str(s) => Some(!s.is_empty()),
            Seen::Other(n) => Some(match &n.value {
                Value::Bool(b) => *b,
                Value::Number(x) => *x != 0.0 && !x.is_nan(),
                _ => true,
            }),
        }
    }

    pub(super) fn bool_or(&self, default: bool) -> Option<bool> {
        match self {
            Seen::Absent => Some(default),
            Seen::Other(n) => n.as_bool().or(Some(default)),
            Seen::Str(s) => match s.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            Seen::Unknown => None,
        }
    }
}

pub(super) fn child<'a>(obj: Option<&'a Node>, key: &str) -> Option<&'a Node> {
    obj.and_then(|o| o.as_map()).and_then(|m| m.get(key))
}

impl Validator<'_> {
    /// Runs the custom validations of namespace `ns` (its validated node) when no other issue
    /// was found in it (`clean`).
    pub(super) fn custom(&mut self, ns: &str, node: &Node, ctx: &Ctx, clean: bool) {
        if !clean {
            return;
        }
        match ns {
            "server" => self.server(node, ctx),
            "elasticsearch" => self.elasticsearch(node, ctx),
            "telemetry" => self.telemetry(node, ctx),
            "csp" => self.csp(node, ctx),
            "xpack.task_manager" => self.task_manager(node, ctx),
            "xpack.reporting" => self.reporting(node, ctx),
            "xpack.licensing" => self.licensing(node, ctx),
            "xpack.fleet" => self.fleet(node, ctx),
            "i18n" => self.i18n(node, ctx),
            "logging" => self.logging(node, ctx),
            "elastic" => self.elastic(node, ctx),
            _ => {}
        }
    }

    pub(super) fn fail(&mut self, at: Option<&Node>, path: &SettingPath, ctx: &Ctx, message: &str) {
        self.issue(
            IssueKind::InvalidValue,
            path,
            at,
            format!("{}: {message}", ctx.prefix(path)),
        );
    }
}

/// A boolean as config-schema reads it: `true`/`false`, or those words as strings in any case.
pub(super) fn boolean(node: &Node) -> Option<bool> {
    match &node.value {
        Value::Bool(b) => Some(*b),
        Value::Str(t) if t.value.eq_ignore_ascii_case("true") => Some(true),
        Value::Str(t) if t.value.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A number as config-schema reads it (a numeric string included).
pub(super) fn number(node: &Node) -> Option<f64> {
    match &node.value {
        Value::Number(n) => Some(*n),
        Value::Str(t) => t.value.trim().parse().ok(),
        _ => None,
    }
}

pub(super) fn duration_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Number(n) if *n >= 0.0 && n.fract() == 0.0 => Some(format!("{n}")),
        Value::Str(t) if !t.value.contains("${") => Some(t.value.clone()),
        _ => None,
    }
}
