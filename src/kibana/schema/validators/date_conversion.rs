//! The pattern layout's `%date{format}{timezone}` check (`DateConversion.validate`,
//! `conversions/date.ts` in core's logging package, read in the 8.x and 9.x copies): every
//! match of the conversion's regex is checked in order, its format first, then its timezone; the
//! first failure is the message. From 8.17 (PR elastic/kibana#200317, labels v8.17.0 and v9.0.0)
//! the timezone group takes only `[A-Za-z/_+-]`, so `{+05:00}` or `{Etc/GMT+1}` is no longer read
//! as a timezone and not checked. Cross-checked against moment-timezone and the regexes under
//! Node (`moment_cross_check.rs`).

use std::sync::LazyLock;

use regex::Regex;

/// `DateConversion`'s formats (the same in every copy read).
pub(super) const DATE_FORMATS: &[&str] =
    &["ISO8601", "ISO8601_TZ", "ABSOLUTE", "UNIX", "UNIX_MILLIS"];

/// The conversion's regex before 8.17 and from 8.17, as the two copies write them (`{` is a
/// literal in both engines here).
static BEFORE_8_17: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"%date(\{(?<format>[^}]+)\})?(\{(?<timezone>[^}]+)\})?").expect("regex")
});
static FROM_8_17: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"%date(?:\{(?<format>[^}]+)\})?(?:\{(?<timezone>[A-Za-z/_+-]+)\})?").expect("regex")
});

/// The zone and link names of moment-timezone (the union over the versions Kibana may bundle,
/// scripts/moment-timezones.mjs), as `moment.tz.zone` compares them: lower case, `/` as `_`.
static ZONES: LazyLock<Vec<String>> = LazyLock::new(|| {
    include_str!("../../../../rules/data/moment-timezones.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(normalized)
        .collect()
});

/// The names themselves, as `moment.tz.names()` lists them (the ui setting `dateFormat:tz`
/// compares exactly), sorted.
static NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut names: Vec<&str> = include_str!("../../../../rules/data/moment-timezones.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    names.sort_unstable();
    names
});

/// What `DateConversion.validate` throws for a pattern.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum DateProblem<'a> {
    Format(&'a str),
    Timezone(&'a str),
}

impl DateProblem<'_> {
    /// Kibana's message (`validateDateFormat`, `validateTimezone`).
    pub(crate) fn message(&self) -> String {
        match self {
            DateProblem::Format(f) => format!(
                "Date format expected one of {}, but given: {f}",
                DATE_FORMATS.join(", ")
            ),
            DateProblem::Timezone(tz) => format!("Unknown timezone: {tz}"),
        }
    }
}

/// The first problem of `pattern` with the regex of the release (`from_8_17`).
pub(crate) fn first_problem(pattern: &str, from_8_17: bool) -> Option<DateProblem<'_>> {
    let regex = if from_8_17 { &FROM_8_17 } else { &BEFORE_8_17 };
    for found in regex.captures_iter(pattern) {
        if let Some(format) = found.name("format")
            && !known_format(format.as_str())
        {
            return Some(DateProblem::Format(format.as_str()));
        }
        if let Some(tz) = found.name("timezone")
            && !known_timezone(tz.as_str())
        {
            return Some(DateProblem::Timezone(tz.as_str()));
        }
    }
    None
}

/// `Reflect.has(formats, input)`: a key of the formats object or of `Object.prototype`, so
/// `%date{toString}` passes the check (and fails only when a line is logged).
fn known_format(format: &str) -> bool {
    const OBJECT_PROTOTYPE: &[&str] = &[
        "constructor",
        "__proto__",
        "__defineGetter__",
        "__defineSetter__",
        "__lookupGetter__",
        "__lookupSetter__",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toLocaleString",
        "toString",
        "valueOf",
    ];
    DATE_FORMATS.contains(&format) || OBJECT_PROTOTYPE.contains(&format)
}

/// `moment.tz.zone(name)` finds a zone: names compare in lower case (JavaScript's full Unicode
/// mapping, which Rust's `to_lowercase` shares) with `/` and `_` alike.
pub(crate) fn known_timezone(name: &str) -> bool {
    let name = normalized(name);
    ZONES.contains(&name)
}

/// A time zone `dateFormat:tz` accepts besides `Browser`: core's `TIMEZONE_OPTIONS`,
/// `moment.tz.names()` less the names Elasticsearch does not understand (ui settings'
/// timezones.ts, the same five in 7.17, 8.x and 9.x; a newer copy also drops `Europe/Kiev`,
/// release not pinned, so it is still accepted here).
pub(crate) fn timezone_option(name: &str) -> bool {
    !LEFT_OUT.contains(&name) && NAMES.binary_search(&name).is_ok()
}

/// Every name `timezone_option` accepts, sorted (for the JSON Schema's completion list).
pub(crate) fn timezone_options() -> impl Iterator<Item = &'static str> {
    NAMES.iter().copied().filter(|n| !LEFT_OUT.contains(n))
}

const LEFT_OUT: &[&str] = &["America/Nuuk", "EST", "HST", "ROC", "MST"];

fn normalized(name: &str) -> String {
    name.to_lowercase().replace('/', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_match_checks_its_format_then_its_timezone() {
        for era in [false, true] {
            assert_eq!(first_problem("[%date][%level] %message", era), None);
            assert_eq!(first_problem("%date{ISO8601_TZ}{Europe/Berlin}", era), None);
            assert_eq!(first_problem("%date{ABSOLUTE}{europe_berlin}", era), None);
            assert_eq!(
                first_problem("%date{YYYY-MM-DD} %message", era),
                Some(DateProblem::Format("YYYY-MM-DD"))
            );
            assert_eq!(
                first_problem("%date{UNIX}{Europe/Berln} %date{nope}", era),
                Some(DateProblem::Timezone("Europe/Berln"))
            );
            assert_eq!(first_problem("%date{toString}", era), None);
        }
        // Digits and `:` end the timezone group from 8.17: not read, so not checked.
        assert_eq!(
            first_problem("%date{ISO8601}{+05:00}", false),
            Some(DateProblem::Timezone("+05:00"))
        );
        assert_eq!(first_problem("%date{ISO8601}{+05:00}", true), None);
        assert_eq!(first_problem("%date{ISO8601}{Etc/GMT+1}", false), None);
        assert_eq!(first_problem("%date{ISO8601}{Etc/GMT+1}", true), None);
    }

    #[test]
    fn the_zone_list_is_read() {
        assert!(ZONES.len() > 500);
        assert!(known_timezone("UTC") && known_timezone("utc"));
        assert!(known_timezone("America/Argentina/Buenos_Aires"));
        assert!(!known_timezone("Mars/Olympus_Mons"));
        assert!(!known_timezone("constructor"));
    }
}

#[cfg(test)]
#[path = "date_conversion_cross_check.rs"]
pub(super) mod cross_check;
