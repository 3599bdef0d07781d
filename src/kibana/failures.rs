//! The failure catalogue (rules/data/catalogue.toml): real Kibana error texts, recognised with
//! regexes, each mapped to what happened, the likely causes, the fix, and the rules and
//! modules that confirm it. One catalogue for `diagnose` and `check --test`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;

use crate::version::Version;
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
    #[serde(default)]
    not_actions: Option<String>,
    #[serde(default)]
    by_version: Vec<VersionCauseSpec>,
    #[serde(default)]
    fix_for: BTreeMap<String, String>,
}

/// A cause that holds only in a range of Kibana versions (a bug, and the release that fixed it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionCauseSpec {
    from: String,
    until: String,
    cause: String,
}

/// A cause of `from` ≤ version < `until`.
#[derive(Debug)]
pub(crate) struct VersionCause {
    pub(crate) from: Version,
    pub(crate) until: Version,
    pub(crate) cause: String,
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
    /// Another component's error (Kibana's Elasticsearch client, Fleet, a third-party plugin
    /// or tool): whose configuration to look at.
    pub(crate) not_actions: Option<String>,
    /// Causes of some versions only.
    #[serde(skip)]
    pub(crate) by_version: Vec<VersionCause>,
    /// The fix for one connector type, where it lives elsewhere (an e-mail connector's CA is
    /// an `smtp://` customHostSettings entry, not an `https://` one).
    pub(crate) fix_for: BTreeMap<String, String>,
}

impl Row {
    /// The fix for a connector of type `connector_type` (`.email`), else the general one.
    pub(crate) fn fix_for(&self, connector_type: Option<&str>) -> &str {
        connector_type
            .and_then(|t| self.fix_for.get(t))
            .unwrap_or(&self.fix)
    }

    /// The causes, most likely first, for Kibana `version`: a version's own cause (a bug of
    /// that release) first, other versions' left out; without a version, every cause, the
    /// version-bound ones last (their text names their versions).
    pub(crate) fn causes_for(&self, version: Option<Version>) -> Vec<String> {
        let mut out = Vec::new();
        match version {
            Some(v) => {
                out.extend(
                    self.by_version
                        .iter()
                        .filter(|c| c.from <= v && v < c.until)
                        .map(|c| c.cause.clone()),
                );
                out.extend(self.causes.iter().cloned());
            }
            None => {
                out.extend(self.causes.iter().cloned());
                out.extend(self.by_version.iter().map(|c| c.cause.clone()));
            }
        }
        out
    }
}

/// The Kibana version a pasted log names (`"kibana.version":"8.3.1"`, ECS `service.version`,
/// `kibana.version=7.17.0` in a URL, `Kibana version 7.10.2`), if any.
pub(crate) fn version_in(text: &str) -> Option<Version> {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    let re = PATTERN.get_or_init(|| {
        Regex::new(
            r#"(?i)(?:kibana[._ ]?version["']?\s*[=:]\s*["']?|"service":\{[^{}]*"version":")v?(\d+\.\d+\.\d+)"#,
        )
        .expect("a valid regex")
    });
    re.captures(text)?.get(1)?.as_str().parse().ok()
}

/// The connector type a pasted text names: Kibana's log line `action execution failure:
/// .email:<id>: …` and task line `Task actions:.email "…"`, a saved object or event-log field
/// (`"actionTypeId":".email"`, `connector_type_id`, `type_id`), or the wrapper a connector type
/// puts around its error (`error sending email`, the e-mail connector's; `error calling
/// webhook`, the webhook's).
pub(crate) fn connector_type_in(text: &str) -> Option<String> {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    let re = PATTERN.get_or_init(|| {
        Regex::new(
            r#"action execution failure: (?P<a>\.[a-z][\w-]*):|Task actions:(?P<b>\.[a-z][\w-]*)\b|"(?:actionTypeId|action_type_id|connector_type_id|type_id)"\s*:\s*"(?P<c>\.[a-z][\w-]*)"|(?P<email>error sending email)|(?P<webhook>error calling webhook)"#,
        )
        .expect("a valid regex")
    });
    let caps = re.captures(text)?;
    if caps.name("email").is_some() {
        return Some(".email".into());
    }
    if caps.name("webhook").is_some() {
        return Some(".webhook".into());
    }
    ["a", "b", "c"]
        .iter()
        .find_map(|g| caps.name(g))
        .map(|m| m.as_str().to_string())
}

/// A connector type as the user wrote it (`email`, `.email`), in Kibana's form (`.email`).
pub(crate) fn normalise_connector_type(t: &str) -> String {
    let t = t.trim();
    if t.starts_with('.') {
        t.to_string()
    } else {
        format!(".{t}")
    }
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
                    .map(|p| {
                        Regex::new(&wrap_tolerant(p))
                            .unwrap_or_else(|e| panic!("row {}: {e}", r.id))
                    })
                    .collect(),
                happened: r.happened,
                causes: r.causes,
                fix: r.fix,
                rules: r.rules,
                modules: r.modules,
                watcher: r.watcher,
                not_actions: r.not_actions,
                by_version: r
                    .by_version
                    .into_iter()
                    .map(|c| VersionCause {
                        from: c
                            .from
                            .parse()
                            .unwrap_or_else(|e| panic!("row {}: {e}", r.id)),
                        until: c
                            .until
                            .parse()
                            .unwrap_or_else(|e| panic!("row {}: {e}", r.id)),
                        cause: c.cause,
                    })
                    .collect(),
                fix_for: r.fix_for,
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

/// A pattern that also matches its text wrapped over lines: each literal space (outside a
/// character class) matches any run of blanks and line breaks, as a terminal or an issue
/// thread wraps a long message.
fn wrap_tolerant(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            ' ' if !in_class => out.push_str("\\s+"),
            _ => out.push(c),
        }
    }
    out
}

/// The text worth recognising in an input, as users paste it:
/// - an `_execute` answer or a Kibana error body (JSON with `message`, `service_message`):
///   those fields;
/// - log lines prefixed by Docker Compose (`kibana-1  | …`): without the prefix;
/// - JSON log lines (ECS or the 7.x JSON layout): kept whole, so the logger, tags and
///   `error.message` / `error.stack_trace` are all read, with their escaped quotes (`\"`)
///   unescaped.
pub(crate) fn text_of(input: &str) -> String {
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(input.trim())
        && json.get("@timestamp").is_none()
        && json.get("tags").is_none()
        && json.get("log").is_none()
    {
        let field = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let parts: Vec<String> = ["message", "service_message", "serviceMessage"]
            .iter()
            .filter_map(|k| field(k))
            .collect();
        if !parts.is_empty() {
            return parts.join(": ");
        }
    }
    static COMPOSE: OnceLock<Regex> = OnceLock::new();
    let compose = COMPOSE
        .get_or_init(|| Regex::new(r"(?m)^[A-Za-z0-9][\w.-]*\s+\| ").expect("a valid regex"));
    let text = if compose.find_iter(input).count() >= 1 {
        compose.replace_all(input, "").into_owned()
    } else {
        input.to_string()
    };
    // JSON inside log lines escapes the quotes the messages contain.
    if text.contains("\\\"") {
        text.replace("\\\"", "\"")
    } else {
        text
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
