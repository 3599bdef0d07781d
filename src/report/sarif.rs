//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it (reference-tools.md §4.1):
//! a driver listing every rule (id, name, short and full description, help text and Markdown,
//! help URI when a docs URL is configured, default level), and one result per finding with its
//! level, message, region and `partialFingerprints`, so re-uploads do not duplicate alerts.
//! Findings about a URL (live checks) use the URL as their artifact. Written as reports arrive.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::finding::Finding;
use super::finding::Status;
use super::{Rendered, Report};
use crate::rules::{Rule, Severity};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// `reportingDescriptor` for every rule, in `Rule::ALL` order (results refer to them by index).
fn rules(docs_url: Option<&str>) -> Vec<Value> {
    Rule::ALL
        .iter()
        .map(|r| {
            let m = r.meta();
            let full = format!("{} Kibana: {}", m.summary, m.kibana);
            let mut d = json!({
                "id": m.id,
                "name": m.name,
                "shortDescription": {"text": truncate(m.summary, 1024)},
                "fullDescription": {"text": truncate(&full, 1024)},
                "help": {"text": truncate(m.doc, 4000), "markdown": m.doc},
                "defaultConfiguration": {"level": level(m.severity)},
                "properties": {"tags": ["kibana", m.module.name()], "precision": "high"}
            });
            if let Some(base) = docs_url {
                d["helpUri"] = Value::String(format!("{}{}.md", base, m.name));
            }
            d
        })
        .collect()
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max - 1).collect();
    format!("{cut}…")
}

/// A stable fingerprint: rule, artifact and the setting (or the line's text), not the line
/// number, so moving a setting does not create a new alert.
fn fingerprint(rule: &str, uri: &str, anchor: &str) -> String {
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        format!("{rule}\u{0}{uri}\u{0}{anchor}").as_bytes(),
    );
    let hex: String = digest.as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{hex}:1")
}

/// A path as a SARIF artifact URI: relative, forward slashes.
fn uri(path: &str) -> String {
    path.trim_start_matches("./").replace('\\', "/")
}

fn result(r: &Report, f: &Finding) -> Value {
    let s = &r.secrets;
    let meta = f.rule.meta();
    let rule_index = Rule::ALL.iter().position(|x| *x == f.rule).unwrap_or(0);
    let mut text = s.scrub(&f.message);
    if let Some(h) = &f.help {
        text.push_str(&format!(" — fix: {}", s.scrub(h)));
    }
    let (artifact, region, anchor) = match (&f.primary, f.file()) {
        (Some(p), _) => {
            let file = r.sources.get(p.location.file);
            let span = p.location.span;
            let line_text = file
                .line(span.start.line)
                .unwrap_or_default()
                .trim()
                .to_string();
            (
                uri(&file.display),
                Some(json!({
                    "startLine": span.start.line,
                    "startColumn": span.start.col,
                    "endLine": span.end.line,
                    "endColumn": span.end.col.max(1),
                })),
                f.setting.clone().unwrap_or(s.scrub(&line_text)),
            )
        }
        // A finding about a whole file (a missing key, a --url target): the file, no region.
        (None, file) => (
            uri(&file.map_or_else(|| r.title(), |id| r.sources.get(id).display.clone())),
            None,
            match &f.target {
                Some(target) => format!(
                    "{} {}",
                    s.scrub(target),
                    f.node_error.clone().unwrap_or_default()
                ),
                None => f.setting.clone().unwrap_or_else(|| s.scrub(&f.message)),
            },
        ),
    };
    let mut physical = json!({"artifactLocation": {"uri": artifact}});
    if let Some(region) = region {
        physical["region"] = region;
    }
    let mut v = json!({
        "ruleId": meta.id,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": text},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint(meta.id, &artifact, &anchor)}
    });
    let related: Vec<Value> = f
        .secondary
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let file = r.sources.get(l.location.file);
            json!({
                "id": i + 1,
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(&file.display)},
                    "region": {
                        "startLine": l.location.span.start.line,
                        "startColumn": l.location.span.start.col,
                    }
                },
                "message": {"text": l.message.as_deref().map(|m| s.scrub(m)).unwrap_or_default()}
            })
        })
        .collect();
    if !related.is_empty() {
        v["relatedLocations"] = Value::Array(related);
    }
    v
}

/// One report's results, comma-separated.
pub(crate) fn part(r: &Report) -> Rendered {
    let mut body = Vec::new();
    for (i, f) in r.findings.iter().enumerate() {
        if i > 0 {
            body.extend_from_slice(b",\n");
        }
        body.extend_from_slice(result(r, f).to_string().as_bytes());
    }
    Rendered {
        body,
        items: r.findings.len(),
        ..Rendered::base(r)
    }
}

/// Writes the log: driver first, then results as they arrive, then the closing brackets.
pub(crate) struct SarifStream<W: Write> {
    out: W,
    results: usize,
    /// What did not run (skipped modules), as `toolExecutionNotifications`: a SARIF viewer
    /// must not read the absence of results from a module as "checked and fine".
    not_run: Vec<Value>,
}

impl<W: Write> SarifStream<W> {
    pub(crate) fn begin(mut out: W, docs_url: Option<&str>) -> io::Result<SarifStream<W>> {
        let driver = json!({
            "name": env!("CARGO_PKG_NAME"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "version": env!("CARGO_PKG_VERSION"),
            "rules": rules(docs_url),
        });
        writeln!(
            out,
            "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":{driver}}},\"automationDetails\":{{\"id\":\"kibana-preflight/\"}},\"columnKind\":\"unicodeCodePoints\",\"results\":["
        )?;
        Ok(SarifStream {
            out,
            results: 0,
            not_run: Vec::new(),
        })
    }

    pub(crate) fn write(&mut self, part: &Rendered) -> io::Result<()> {
        for (module, status, summary) in &part.modules {
            if *status == Status::Skip {
                self.not_run.push(json!({
                    "level": "note",
                    "message": {"text": format!("{}: module {} did not run ({summary})", part.title, module.name())},
                    "descriptor": {"id": module.name()},
                }));
            }
        }
        if part.items == 0 {
            return Ok(());
        }
        if self.results > 0 {
            self.out.write_all(b",\n")?;
        }
        self.out.write_all(&part.body)?;
        self.results += part.items;
        Ok(())
    }

    pub(crate) fn finish(mut self) -> io::Result<W> {
        let invocation = json!({
            "executionSuccessful": true,
            "toolExecutionNotifications": self.not_run,
        });
        writeln!(self.out, "\n],\"invocations\":[{invocation}]}}]}}")?;
        self.out.flush()?;
        Ok(self.out)
    }
}
