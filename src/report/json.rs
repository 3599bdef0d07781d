//! `--format json`: exactly one JSON document on stdout, written as reports arrive so memory does
//! not grow with the number of files. The shape is documented in docs/report-format.md;
//! `schema_version` changes only when a field changes meaning or goes away.

use std::io::{self, Write};

use serde::Serialize;

use super::finding::{Finding, Provenance, Status};
use super::{FailOn, Report, Totals};
use crate::kibana::version::Version;
use crate::rules::Module;

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

/// Per module across files: the worst status and how many files failed, warned, passed.
#[derive(Clone, Copy)]
struct ModuleTally {
    module: Module,
    worst: Status,
    fail: usize,
    warn: usize,
    other: usize,
}

/// Writes the document incrementally: findings as each report arrives, then per-file results,
/// module verdicts and totals at the end.
pub struct JsonStream<W: Write> {
    out: W,
    fail_on: FailOn,
    totals: Totals,
    findings: usize,
    files: Vec<String>,
    single: Option<Vec<JsonModule>>,
    tally: Vec<ModuleTally>,
    reports: usize,
}

/// Indents a pretty-printed JSON value to sit inside the document.
fn indented(value: &impl Serialize, by: &str) -> String {
    let text = serde_json::to_string_pretty(value).expect("report serialises");
    text.replace('\n', &format!("\n{by}"))
}

impl<W: Write> JsonStream<W> {
    pub fn begin(mut out: W, version: Version, fail_on: FailOn) -> io::Result<JsonStream<W>> {
        writeln!(out, "{{")?;
        writeln!(out, "  \"schema_version\": 1,")?;
        writeln!(
            out,
            "  \"tool\": {{\n    \"name\": \"{}\",\n    \"version\": \"{}\"\n  }},",
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION")
        )?;
        writeln!(out, "  \"kibana_version\": \"{version}\",")?;
        write!(out, "  \"findings\": [")?;
        Ok(JsonStream {
            out,
            fail_on,
            totals: Totals::default(),
            findings: 0,
            files: Vec::new(),
            single: None,
            tally: Module::ALL
                .iter()
                .map(|m| ModuleTally {
                    module: *m,
                    worst: Status::Pass,
                    fail: 0,
                    warn: 0,
                    other: 0,
                })
                .collect(),
            reports: 0,
        })
    }

    pub fn report(&mut self, r: &Report) -> io::Result<()> {
        for f in &r.findings {
            let sep = if self.findings == 0 { "\n" } else { ",\n" };
            write!(self.out, "{sep}    {}", indented(&finding(r, f), "    "))?;
            self.findings += 1;
        }
        let t = Totals::of(std::slice::from_ref(r));
        self.totals.errors += t.errors;
        self.totals.warnings += t.warnings;
        self.totals.notes += t.notes;
        let modules: Vec<JsonModule> = r
            .modules
            .iter()
            .map(|m| JsonModule {
                module: m.module,
                status: m.status,
                summary: r.secrets.scrub(&m.summary),
            })
            .collect();
        for m in &modules {
            if let Some(t) = self.tally.iter_mut().find(|t| t.module == m.module) {
                t.worst = t.worst.worst(m.status);
                match m.status {
                    Status::Fail => t.fail += 1,
                    Status::Warn => t.warn += 1,
                    _ => t.other += 1,
                }
            }
        }
        let file = JsonFile {
            file: r.title(),
            ok: !self.fail_on.failed(t),
            summary: t.into(),
            modules,
        };
        // Per-file results are small; kept as text until the end of the document.
        self.files.push(indented(&file, "    "));
        if self.reports == 0 {
            self.single = Some(file.modules);
        } else {
            self.single = None;
        }
        self.reports += 1;
        Ok(())
    }

    pub fn finish(mut self) -> io::Result<W> {
        let close = if self.findings == 0 { "]" } else { "\n  ]" };
        writeln!(self.out, "{close},")?;
        write!(self.out, "  \"files\": [")?;
        for (i, f) in self.files.iter().enumerate() {
            let sep = if i == 0 { "\n" } else { ",\n" };
            write!(self.out, "{sep}    {f}")?;
        }
        let close = if self.files.is_empty() { "]" } else { "\n  ]" };
        writeln!(self.out, "{close},")?;
        let modules: Vec<JsonModule> = match self.single.take() {
            Some(m) => m,
            None => self
                .tally
                .iter()
                .filter(|t| t.fail + t.warn + t.other > 0)
                .map(|t| JsonModule {
                    module: t.module,
                    status: t.worst,
                    summary: format!(
                        "{} file(s): {} fail, {} warn, {} pass or skip",
                        t.fail + t.warn + t.other,
                        t.fail,
                        t.warn,
                        t.other
                    ),
                })
                .collect(),
        };
        writeln!(self.out, "  \"modules\": {},", indented(&modules, "  "))?;
        writeln!(self.out, "  \"ok\": {},", !self.fail_on.failed(self.totals))?;
        writeln!(
            self.out,
            "  \"summary\": {}",
            indented(&Summary::from(self.totals), "  ")
        )?;
        writeln!(self.out, "}}")?;
        self.out.flush()?;
        Ok(self.out)
    }
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

/// Renders reports into one document (for tests and library users).
pub fn render(reports: &[Report], version: Version, fail_on: FailOn) -> String {
    let mut stream = JsonStream::begin(Vec::new(), version, fail_on).expect("in-memory write");
    for r in reports {
        stream.report(r).expect("in-memory write");
    }
    String::from_utf8(stream.finish().expect("in-memory write")).expect("UTF-8")
}
