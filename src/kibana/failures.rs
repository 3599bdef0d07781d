//! The failure catalogue (rules/data/catalogue.toml): real Kibana error texts, recognised with
//! regexes, each mapped to what happened, the likely causes, the fix, and the rules and
//! modules that confirm it. One catalogue for `diagnose` and `check --test`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
struct File {
    row: Vec<RowSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RowSpec {
    id: u32,
    title: String,
    phase: String,
    patterns: Vec<String>,
    happened: String,
    causes: Vec<String>,
    fix: String,
    rules: Vec<String>,
    modules: Vec<String>,
    #[serde(default)]
    watcher: bool,
}

/// One catalogue row, patterns compiled.
#[derive(Debug, Serialize)]
pub(crate) struct Row {
    /// The row number in the failure catalogue.
    pub(crate) id: u32,
    pub(crate) title: String,
    pub(crate) phase: String,
    #[serde(skip)]
    patterns: Vec<Regex>,
    pub(crate) happened: String,
    /// Most likely first.
    pub(crate) causes: Vec<String>,
    pub(crate) fix: String,
    /// Rules whose findings confirm this cause.
    pub(crate) rules: Vec<String>,
    /// `check` modules that test it.
    pub(crate) modules: Vec<String>,
    /// An Elasticsearch Watcher error, not a Kibana connector's.
    pub(crate) watcher: bool,
}

/// A recognised error in a text.
#[derive(Debug)]
pub(crate) struct Recognised<'a> {
    pub(crate) row: &'a Row,
    /// Byte range of the match in the text.
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// The variable parts (url, host, code, status, var, id…).
    pub(crate) captures: BTreeMap<String, String>,
}

/// The catalogue, parsed and compiled once.
pub(crate) fn rows() -> &'static [Row] {
    static ROWS: OnceLock<Vec<Row>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let file: File = toml::from_str(include_str!("../../rules/data/catalogue.toml"))
            .expect("rules/data/catalogue.toml parses (checked by tests)");
        file.row
            .into_iter()
            .map(|r| Row {
                id: r.id,
                title: r.title,
                phase: r.phase,
                patterns: r
                    .patterns
                    .iter()
                    .map(|p| Regex::new(p).unwrap_or_else(|e| panic!("row {}: {e}", r.id)))
                    .collect(),
                happened: r.happened,
                causes: r.causes,
                fix: r.fix,
                rules: r.rules,
                modules: r.modules,
                watcher: r.watcher,
            })
            .collect()
    })
}

/// Every catalogue error in `text`, in order of position. A span is claimed by the first row
/// (in catalogue order) whose pattern matches it; overlapping later matches are dropped.
pub(crate) fn recognise(text: &str) -> Vec<Recognised<'static>> {
    let mut found: Vec<Recognised> = Vec::new();
    for row in rows() {
        for pattern in &row.patterns {
            for caps in pattern.captures_iter(text) {
                let m = caps.get(0).expect("group 0");
                if found.iter().any(|f| m.start() < f.end && f.start < m.end()) {
                    continue;
                }
                let captures = pattern
                    .capture_names()
                    .flatten()
                    .filter_map(|name| {
                        caps.name(name)
                            .map(|v| (name.to_string(), clean_capture(v.as_str())))
                    })
                    .collect();
                found.push(Recognised {
                    row,
                    start: m.start(),
                    end: m.end(),
                    captures,
                });
            }
        }
    }
    found.sort_by_key(|f| f.start);
    found
}

/// A captured host, address or URL without the punctuation of the sentence around it: a
/// trailing `.`, `,`, `;` or quote, and a `]` or `)` that closes nothing inside the capture
/// (`getaddrinfo ENOTFOUND hooks.example.net]` names `hooks.example.net`; `http://[::1]` keeps its
/// bracket).
fn clean_capture(value: &str) -> String {
    let mut v = value;
    loop {
        let before = v.len();
        v = v.trim_end_matches(['.', ',', ';', '\'', '"', '`']);
        for (open, close) in [('[', ']'), ('(', ')')] {
            if v.ends_with(close) && v.matches(open).count() < v.matches(close).count() {
                v = &v[..v.len() - 1];
            }
        }
        if v.len() == before {
            return v.to_string();
        }
    }
}

/// The text worth recognising in an input: an `_execute` answer's `message` and
/// `service_message`, or a Kibana error body's `message`, when the input is such JSON; else the
/// input itself.
pub(crate) fn text_of(input: &str) -> String {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(input.trim()) else {
        return input.to_string();
    };
    let field = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let parts: Vec<String> = ["message", "service_message", "serviceMessage"]
        .iter()
        .filter_map(|k| field(k))
        .collect();
    if parts.is_empty() {
        input.to_string()
    } else {
        parts.join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_lose_the_punctuation_around_them() {
        assert_eq!(clean_capture("hooks.example.net]"), "hooks.example.net");
        assert_eq!(clean_capture("hooks.example.net)."), "hooks.example.net");
        assert_eq!(clean_capture("http://[::1]"), "http://[::1]");
        assert_eq!(clean_capture("10.0.0.5:443,"), "10.0.0.5:443");
        let found = recognise("error calling webhook, retry later: [503] Service Unavailable");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].captures.get("status").map(String::as_str),
            Some("503")
        );
        let found = recognise("getaddrinfo ENOTFOUND hooks.example.net]");
        assert_eq!(
            found[0].captures.get("host").map(String::as_str),
            Some("hooks.example.net")
        );
    }

    #[test]
    fn the_catalogue_loads_and_every_row_has_patterns() {
        let rows = rows();
        assert!(rows.len() >= 35);
        for r in rows {
            assert!(!r.patterns.is_empty(), "row {}", r.id);
            assert!(!r.causes.is_empty(), "row {}", r.id);
            for rule in &r.rules {
                assert!(
                    crate::rules::Rule::lookup(rule).is_some(),
                    "row {}: no rule {rule}",
                    r.id
                );
            }
            for m in &r.modules {
                assert!(
                    crate::rules::Module::from_name(m).is_some(),
                    "row {}: no module {m}",
                    r.id
                );
            }
        }
    }
}
