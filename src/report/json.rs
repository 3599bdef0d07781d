//! `--format json`: exactly one JSON document on stdout. The shape is documented in
//! docs/report-format.md; `schema_version` changes only when a field changes meaning or goes away.

use serde::Serialize;

use super::finding::{Finding, Provenance, Status};
use super::{FailOn, Report, Totals};
use crate::rules::Module;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    kibana_version: String,
    ok: bool,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
    modules: Vec<JsonModule>,
    files: Vec<JsonFile>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize, Clone, Copy)]
struct Summary {
    error: usize,
    warning: usize,
    note: usize,
}

impl From<Totals> for Summary {
    fn from(t: Totals) -> Summary {
        Summary {
            error: t.errors,
            warning: t.warnings,
            note: t.notes,
        }
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    name: &'static str,
    severity: &'static str,
    module: Module,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kibana_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    setting: Option<&'a str>,
    /// Where the value came from when it has no position, e.g. `keystore`.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<Related<'a>>,
}

#[derive(Serialize)]
struct Related<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

#[derive(Serialize)]
struct JsonModule {
    module: Module,
    status: Status,
    summary: String,
}

#[derive(Serialize)]
struct JsonFile {
    file: String,
    ok: bool,
    summary: Summary,
    modules: Vec<JsonModule>,
}

/// One JSON document for all reports.
pub fn render(reports: &[Report], fail_on: FailOn) -> String {
    let totals = Totals::of(reports);
    let mut findings = Vec::new();
    let mut files = Vec::new();
    for r in reports {
        findings.extend(r.findings.iter().map(|f| finding(r, f)));
        let t = Totals::of(std::slice::from_ref(r));
        files.push(JsonFile {
            file: r.title(),
            ok: !fail_on.failed(t),
            summary: t.into(),
            modules: r
                .modules
                .iter()
                .map(|m| JsonModule {
                    module: m.module,
                    status: m.status,
                    summary: r.secrets.scrub(&m.summary),
                })
                .collect(),
        });
    }
    let doc = Document {
        schema_version: 1,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        kibana_version: reports
            .first()
            .map(|r| r.version.to_string())
            .unwrap_or_default(),
        ok: !fail_on.failed(totals),
        summary: totals.into(),
        findings,
        modules: merged_modules(reports),
        files,
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("report serialises");
    s.push('\n');
    s
}

fn finding<'a>(r: &'a Report, f: &'a Finding) -> JsonFinding<'a> {
    let s = &r.secrets;
    let meta = f.rule.meta();
    let primary = f.primary.as_ref().map(|p| p.location);
    JsonFinding {
        rule: meta.id,
        name: meta.name,
        severity: f.severity.as_str(),
        module: f.module(),
        message: s.scrub(&f.message),
        help: f.help.as_deref().map(|h| s.scrub(h)),
        kibana_message: f.kibana.as_deref().map(|k| s.scrub(k)),
        note: f.note.as_deref().map(|n| s.scrub(n)),
        file: f.file().map(|id| r.sources.get(id).display.as_str()),
        line: primary.map(|p| p.span.start.line),
        column: primary.map(|p| p.span.start.col),
        end_line: primary.map(|p| p.span.end.line),
        end_column: primary.map(|p| p.span.end.col),
        setting: f.setting.as_deref(),
        source: f
            .provenance
            .as_ref()
            .map(|Provenance::Keystore { .. }| "keystore".to_string()),
        related: f
            .secondary
            .iter()
            .map(|l| Related {
                file: r.sources.get(l.location.file).display.as_str(),
                line: l.location.span.start.line,
                column: l.location.span.start.col,
                message: l.message.as_deref().map(|m| s.scrub(m)),
            })
            .collect(),
    }
}

/// One entry per module across all reports: the worst status, and its summary (or a count of
/// the files where it did not pass).
fn merged_modules(reports: &[Report]) -> Vec<JsonModule> {
    if reports.len() == 1 {
        let r = &reports[0];
        return r
            .modules
            .iter()
            .map(|m| JsonModule {
                module: m.module,
                status: m.status,
                summary: r.secrets.scrub(&m.summary),
            })
            .collect();
    }
    Module::ALL
        .iter()
        .filter_map(|module| {
            let all: Vec<_> = reports
                .iter()
                .filter_map(|r| r.modules.iter().find(|m| m.module == *module))
                .collect();
            if all.is_empty() {
                return None;
            }
            let status = all.iter().fold(Status::Pass, |acc, m| acc.worst(m.status));
            let failing = all.iter().filter(|m| m.status == Status::Fail).count();
            let warning = all.iter().filter(|m| m.status == Status::Warn).count();
            Some(JsonModule {
                module: *module,
                status,
                summary: format!(
                    "{} file(s): {failing} fail, {warning} warn, {} pass",
                    all.len(),
                    all.len() - failing - warning
                ),
            })
        })
        .collect()
}
