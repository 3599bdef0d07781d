//! `uiSettings.overrides` values. When its ui settings service starts, Kibana checks each
//! override against the schema of the Advanced Setting registered under that id and stops on
//! the first that fails (`UiSettingsService.validatesOverrides`, ui_settings_service.ts, the
//! same in 7.17, 8.x and 9.x: `definition.schema.validate(value, {}, \`ui settings overrides
//! [${key}]\`)`), so `dateFormat:tz: EST` gives `[ui settings overrides [dateFormat:tz]]: Invalid
//! timezone: EST`. An id nobody registers is skipped ("overrides might contain UiSettings for a
//! disabled plugin").
//!
//! The table below holds the settings core registers (and `defaultRoute`, which moved to the
//! always-on navigation plugin with the same check), for the releases whose copies show their
//! schema (docs/research/settings/ui-settings-core.md). Any other id, or a release outside a
//! setting's window, stays "not judged".

use super::date_conversion::timezone_option;
use super::{boolean, number};
use crate::kibana::schema::issues::IssueKind;
use crate::kibana::schema::union::failed;
use crate::kibana::schema::validate::Validator;
use crate::model::tree::{Node, SettingPath, Value};
use crate::version::Version;

/// A registered setting's `schema`, in config-schema terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UiSchema {
    Boolean,
    String,
    /// `schema.number({ min })`.
    Number {
        min: u32,
    },
    /// `schema.maybe(schema.number())` (`buildNum`).
    MaybeNumber,
    /// `schema.string({ validate })` against `['Browser', ...TIMEZONE_OPTIONS]`.
    TimeZone,
    /// `schema.string({ validate })` against `moment.weekdays()`.
    Weekday,
    /// `schema.string({ validate })`: `value.startsWith('/') && isRelativeUrl(value)`.
    RelativeUrl,
    /// `schema.oneOf([schema.number({ min: 0 }), schema.literal('Infinity')])`.
    Lifetime,
    /// `schema.oneOf([literal('enabled'), literal('disabled'), literal('system'), boolean()])`.
    DarkMode,
    /// `schema.literal(x)`, or a `oneOf` of literals.
    Literals(&'static [&'static str]),
}

/// One registered setting, in the releases `from` up to (not including) `until`.
struct UiSetting {
    id: &'static str,
    schema: UiSchema,
    from: Version,
    until: Option<Version>,
}

const fn minor(major: u32, minor: u32) -> Version {
    Version::new(major, minor, 0)
}

/// A setting the same in every release the table covers.
const fn setting(id: &'static str, schema: UiSchema) -> UiSetting {
    window(id, schema, minor(7, 17), None)
}

const fn window(
    id: &'static str,
    schema: UiSchema,
    from: Version,
    until: Option<Version>,
) -> UiSetting {
    UiSetting {
        id,
        schema,
        from,
        until,
    }
}

/// Core's ui settings (settings/*.ts under core's ui-settings server package), with the tags of
/// ui-settings-core.md. Windows only where a dated copy shows the schema: `theme:version` between
/// 8.0 and 8.13, `truncate:maxHeight` and `buildNum` from 9.0, and `theme:name` are not judged.
const SETTINGS: &[UiSetting] = &[
    // [AC7] [AC9]
    setting("accessibility:disableAnimations", UiSchema::Boolean),
    // [DF7] [DF8] [DF9]; the time zones [TZ8] [TZ9a].
    setting("dateFormat", UiSchema::String),
    setting("dateFormat:tz", UiSchema::TimeZone),
    setting("dateFormat:scaled", UiSchema::String),
    setting("dateFormat:dow", UiSchema::Weekday),
    setting("dateNanosFormat", UiSchema::String),
    // [MS7b] [MS7c] [MS8]: readonly, and validated all the same.
    window(
        "buildNum",
        UiSchema::MaybeNumber,
        minor(7, 17),
        Some(minor(9, 0)),
    ),
    // [MS7a] [DISC]: core's or Discover's, the same schema.
    window(
        "truncate:maxHeight",
        UiSchema::Number { min: 0 },
        minor(7, 17),
        Some(minor(9, 0)),
    ),
    // [NV7] [NV8] [NVP]: core's until ≈8.16, then the navigation plugin's, same check.
    setting("defaultRoute", UiSchema::RelativeUrl),
    // [NT7] [NT8] [NT9]
    setting("notifications:banner", UiSchema::String),
    setting("notifications:lifetime:banner", UiSchema::Lifetime),
    setting("notifications:lifetime:error", UiSchema::Lifetime),
    setting("notifications:lifetime:warning", UiSchema::Lifetime),
    setting("notifications:lifetime:info", UiSchema::Lifetime),
    // [ST7] [ST8] [ST9]
    setting("state:storeInSessionStorage", UiSchema::Boolean),
    // [AN8] [AN9]: PR #135030 (v8.4.0).
    window("hideAnnouncements", UiSchema::Boolean, minor(8, 4), None),
    // [TH7] [TH8a]; PR #173044 (v8.14.0) adds the three modes.
    window(
        "theme:darkMode",
        UiSchema::Boolean,
        minor(7, 17),
        Some(minor(8, 14)),
    ),
    window("theme:darkMode", UiSchema::DarkMode, minor(8, 14), None),
    // [TH7] [TH7t]; [TH8b] [TH8c] [TH9a] [TH9b]: readonly `literal('v8')`.
    window(
        "theme:version",
        UiSchema::Literals(&["v7", "v8 (beta)"]),
        minor(7, 17),
        Some(minor(8, 0)),
    ),
    window(
        "theme:version",
        UiSchema::Literals(&["v8"]),
        minor(8, 14),
        None,
    ),
];

/// The ids the table holds for Kibana `v`, with their schemas (for the JSON Schema).
pub(crate) fn registered(v: Version) -> impl Iterator<Item = (&'static str, UiSchema)> {
    SETTINGS
        .iter()
        .filter(move |s| schema_of(s.id, v) == Some(s.schema))
        .map(|s| (s.id, s.schema))
}

/// The schema Kibana `v` registers under `id`, if the table holds it for that release.
pub(crate) fn schema_of(id: &str, v: Version) -> Option<UiSchema> {
    if v.beyond_table() {
        return None;
    }
    SETTINGS
        .iter()
        .find(|s| s.id == id && v >= s.from && s.until.is_none_or(|until| v < until))
        .map(|s| s.schema)
}

/// What the check makes of one value.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Valid,
    /// Kibana's message after the `[ui settings overrides [id]]` prefix.
    Invalid {
        kibana: String,
        wrong_type: Option<(&'static str, &'static str)>,
    },
    /// Kibana's answer depends on what is not known here (an unresolved `${VAR}`, the server's
    /// locale, a check whose releases differ).
    NotJudged,
}

impl Verdict {
    fn wrong(expected: &'static str, node: &Node) -> Verdict {
        Verdict::Invalid {
            kibana: format!(
                "expected value of type [{expected}] but got [{}]",
                node.js_type()
            ),
            wrong_type: Some((expected, node.js_type())),
        }
    }

    fn invalid(kibana: impl Into<String>) -> Verdict {
        Verdict::Invalid {
            kibana: kibana.into(),
            wrong_type: None,
        }
    }
}

/// `value` against `schema`, as config-schema judges it; `english` is whether the server's
/// weekday names are moment's English ones.
pub(crate) fn judge(schema: UiSchema, value: &Node, id: &str, english: bool) -> Verdict {
    if matches!(&value.value, Value::Str(t) if t.value.contains("${")) {
        return Verdict::NotJudged;
    }
    let text = value.as_str();
    match schema {
        UiSchema::Boolean => {
            boolean(value).map_or_else(|| Verdict::wrong("boolean", value), |_| Verdict::Valid)
        }
        UiSchema::String => {
            text.map_or_else(|| Verdict::wrong("string", value), |_| Verdict::Valid)
        }
        UiSchema::Number { min } => match number(value) {
            None => Verdict::wrong("number", value),
            Some(n) if n < f64::from(min) => {
                Verdict::invalid(format!("Value must be equal to or greater than [{min}]."))
            }
            Some(_) => Verdict::Valid,
        },
        UiSchema::MaybeNumber => {
            number(value).map_or_else(|| Verdict::wrong("number", value), |_| Verdict::Valid)
        }
        UiSchema::TimeZone => match text {
            None => Verdict::wrong("string", value),
            Some("Browser") => Verdict::Valid,
            Some(tz) if timezone_option(tz) => Verdict::Valid,
            Some(tz) => Verdict::invalid(format!("Invalid timezone: {tz}")),
        },
        UiSchema::Weekday => match text {
            None => Verdict::wrong("string", value),
            Some(_) if !english => Verdict::NotJudged,
            Some(day) if WEEKDAYS.contains(&day) => Verdict::Valid,
            Some(day) => Verdict::invalid(format!("Invalid day of week: {day}")),
        },
        UiSchema::RelativeUrl => match text.map(relative_url) {
            None => Verdict::wrong("string", value),
            Some(Some(true)) => Verdict::Valid,
            Some(Some(false)) => Verdict::invalid("Must be a relative URL."),
            Some(None) => Verdict::NotJudged,
        },
        UiSchema::Lifetime => match number(value) {
            Some(n) if n >= 0.0 => Verdict::Valid,
            _ if text == Some("Infinity") => Verdict::Valid,
            n => {
                let first = match n {
                    Some(_) => "Value must be equal to or greater than [0].".to_string(),
                    None => format!(
                        "expected value of type [number] but got [{}]",
                        value.js_type()
                    ),
                };
                Verdict::invalid(union(id, &[first, literal_error("Infinity", value)]))
            }
        },
        UiSchema::DarkMode => {
            if text.is_some_and(|t| DARK_MODES.contains(&t)) || boolean(value).is_some() {
                return Verdict::Valid;
            }
            let mut lines: Vec<String> =
                DARK_MODES.iter().map(|l| literal_error(l, value)).collect();
            lines.push(format!(
                "expected value of type [boolean] but got [{}]",
                value.js_type()
            ));
            Verdict::invalid(union(id, &lines))
        }
        UiSchema::Literals(literals) => {
            if text.is_some_and(|t| literals.contains(&t)) {
                return Verdict::Valid;
            }
            let lines: Vec<String> = literals.iter().map(|l| literal_error(l, value)).collect();
            match lines.as_slice() {
                [only] => Verdict::invalid(only.clone()),
                _ => Verdict::invalid(union(id, &lines)),
            }
        }
    }
}

/// `theme:darkMode`'s literals from 8.14, before its boolean branch.
pub(crate) const DARK_MODES: &[&str] = &["enabled", "disabled", "system"];

/// `moment.weekdays()` in moment's default English locale.
pub(crate) const WEEKDAYS: &[&str] = &[
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// A literal's error: config-schema adds what it got unless that was a string.
fn literal_error(literal: &str, node: &Node) -> String {
    match node.value {
        Value::Str(_) => format!("expected value to equal [{literal}]"),
        _ => format!(
            "expected value to equal [{literal}] but got [{}]",
            node.display()
        ),
    }
}

/// A `oneOf`'s failure: each branch's message under the branch index.
fn union(id: &str, lines: &[String]) -> String {
    let lines: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| format!("[ui settings overrides [{id}].{i}]: {line}"))
        .collect();
    failed(&lines)
}

/// `defaultRoute`'s check: `value.startsWith('/') && isRelativeUrl(value)` (@kbn/std url.ts).
/// Older copies ask Node's legacy `url.parse(v, false, true)` for no protocol, host or port,
/// newer ones refuse a leading `//` and an absolute URL. A path that starts with one slash
/// passes both, `//…` fails both; `/\…` (the legacy parser reads a backslash as a slash) splits
/// them, so it is not judged.
pub(crate) fn relative_url(value: &str) -> Option<bool> {
    if !value.starts_with('/') || value.starts_with("//") {
        return Some(false);
    }
    if value.starts_with("/\\") {
        return None;
    }
    Some(true)
}

/// The fix for an override refused for its value (a wrong type gets the generic type help).
pub(crate) fn fix(id: &str, v: Version) -> Option<String> {
    Some(match schema_of(id, v)? {
        UiSchema::TimeZone => "use `Browser` or a time zone name as moment-timezone spells it (`UTC`, `Europe/Berlin`, `America/New_York`); Kibana leaves out America/Nuuk, EST, HST, ROC and MST, which Elasticsearch does not understand".to_string(),
        UiSchema::Weekday => "use a weekday in English: Sunday, Monday, …, Saturday".to_string(),
        UiSchema::RelativeUrl => "give a path inside Kibana that starts with one `/`, such as `/app/home` or `/app/dashboards`".to_string(),
        UiSchema::Lifetime => "give milliseconds (0 or more), or the string `Infinity`".to_string(),
        UiSchema::DarkMode => "use `enabled`, `disabled` or `system` (or true / false)".to_string(),
        UiSchema::Literals(literals) => format!(
            "Kibana {v} accepts only {} here: remove the override",
            literals.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(" or ")
        ),
        UiSchema::Number { min } => format!("give a number of at least {min}"),
        UiSchema::Boolean | UiSchema::String | UiSchema::MaybeNumber => return None,
    })
}

impl Validator<'_> {
    /// Judges the overrides under `uiSettings.overrides` of `root` that the table holds for
    /// this release; those it judges leave the "not judged" list.
    pub(in crate::kibana::schema) fn ui_overrides(&mut self, root: &Node) {
        let base = SettingPath::parse("uiSettings.overrides");
        let Some(overrides) = root.at(&base).and_then(Node::as_map) else {
            return;
        };
        // moment's weekday names are English unless the server's locale changed them, which
        // the sources read do not show; another UI locale leaves the day unjudged.
        let english = ["i18n.locale", "i18n.defaultLocale"].iter().all(|key| {
            root.at(&SettingPath::parse(key))
                .and_then(Node::as_str)
                .is_none_or(|l| l == "en" || l.starts_with("en-"))
        });
        let mut judged: rustc_hash::FxHashSet<SettingPath> = Default::default();
        for (id, value) in overrides {
            let Some(schema) = schema_of(id, self.version) else {
                continue;
            };
            let path = base.key(id);
            match judge(schema, value, id, english) {
                Verdict::NotJudged => continue,
                Verdict::Valid => {}
                Verdict::Invalid { kibana, wrong_type } => {
                    let kind = match wrong_type {
                        Some((expected, got)) => IssueKind::WrongType { expected, got },
                        None => IssueKind::InvalidValue,
                    };
                    self.issue(
                        kind,
                        &path,
                        Some(value),
                        format!("[ui settings overrides [{id}]]: {kibana}"),
                    );
                }
            }
            judged.insert(path);
        }
        // One pass, however many overrides the file has.
        if !judged.is_empty() {
            self.unjudged.retain(|p| !judged.contains(p));
        }
    }
}

#[cfg(test)]
#[path = "ui_settings_tests.rs"]
mod tests;
