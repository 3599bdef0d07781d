//! `--format json`: exactly one JSON document on stdout, written as reports arrive so memory does
//! not grow with the number of files. The shape is documented in docs/report-format.md;
//! `schema_version` changes only when a field changes meaning or goes away.

use std::io::{self, Seek, Write};

use serde::Serialize;

use super::finding::{Finding, Provenance, Status};
use super::{FailOn, Rendered, Report, Totals};
use crate::kibana::target::{Target, TargetSource};
use crate::kibana::tls_decision::{CaSource, VerificationMode};
use crate::kibana::url::mask_userinfo;
use crate::rules::Module;
use crate::version::Version;

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
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    node_error: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a serde_json::Value>,
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
struct JsonFile<'a> {
    file: String,
    /// The version this configuration was judged for (a container file may name its own).
    kibana_version: String,
    ok: bool,
    summary: Summary,
    modules: Vec<JsonModule>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    targets: Vec<JsonTarget<'a>>,
    /// `check --create/--test`: the request (secrets masked) and what became of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    deploy: Option<serde_json::Value>,
}

/// What Kibana would do with one webhook URL under this configuration.
#[derive(Serialize)]
struct JsonTarget<'a> {
    /// The URL, with any `user:password@` masked.
    url: String,
    source: TargetSource,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    /// What allowedHosts is compared with (Node's legacy `url.parse`), `null` without a host.
    hostname: Option<String>,
    allowed: bool,
    /// The allowedHosts entry that allows it (`*` or the hostname).
    allowed_by: Option<String>,
    /// Index of the customHostSettings entry that applies.
    custom_host_setting: Option<usize>,
    /// The proxy requests go through (credentials masked), `null` for direct.
    proxy: Option<String>,
    proxy_reason: String,
    /// `full`, `certificate` or `none` as Node behaves; `null` for plain http: (or a URL that
    /// does not parse), like the other TLS fields.
    verification_mode: Option<VerificationMode>,
    verify_chain: Option<bool>,
    check_hostname: Option<bool>,
    /// `default` (Node's list), `custom` (the entry's CA data) or `connector` (its `ca`).
    ca: Option<CaSource>,
    ca_files: Vec<String>,
    /// The setting that decided the chain check.
    tls_decided_by: Option<String>,
    /// What `check` found on the network (absent for `lint`).
    /// Each step as serialised, then scrubbed: peers' text (a proxy's reason phrase, a
    /// certificate's subject) goes through the same redaction as everything else.
    #[serde(skip_serializing_if = "Option::is_none")]
    dns: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tcp: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    proxy_tunnel: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tls: Option<serde_json::Value>,
    #[serde(skip)]
    _report: std::marker::PhantomData<&'a ()>,
}

/// `value` serialised and scrubbed.
fn scrubbed(r: &Report, value: impl Serialize) -> serde_json::Value {
    let mut v = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
    r.secrets.scrub_json(&mut v);
    v
}

fn target<'a>(r: &'a Report, t: &Target, i: usize) -> JsonTarget<'a> {
    let probe = r.probes.get(i).and_then(|p| p.as_ref());
    let d = &t.decision;
    JsonTarget {
        url: r.secrets.scrub(&t.shown_url()),
        source: t.source.clone(),
        file: t.location.map(|l| r.sources.get(l.file).display.clone()),
        line: t.location.map(|l| l.span.start.line),
        hostname: d.hostname.clone(),
        allowed: d.allowed,
        allowed_by: d.allowed_by.as_ref().map(|(e, _)| e.clone()),
        custom_host_setting: d.custom_host,
        proxy: d.proxy.as_deref().map(mask_userinfo),
        proxy_reason: r.secrets.scrub(&d.proxy_reason),
        verification_mode: d.tls.as_ref().map(|t| t.verification_mode),
        verify_chain: d.tls.as_ref().map(|t| t.verify_chain),
        check_hostname: d.tls.as_ref().map(|t| t.check_hostname),
        ca: d.tls.as_ref().map(|t| t.ca),
        ca_files: d
            .tls
            .as_ref()
            .map(|t| t.ca_files.clone())
            .unwrap_or_default(),
        tls_decided_by: d.tls.as_ref().map(|t| t.decided_by.clone()),
        dns: probe.map(|p| scrubbed(r, &p.dns)),
        tcp: probe.map(|p| scrubbed(r, &p.tcp)),
        proxy_tunnel: probe.and_then(|p| p.proxy.as_ref()).map(|s| scrubbed(r, s)),
        tls: probe.and_then(|p| p.tls.as_ref()).map(|s| scrubbed(r, s)),
        _report: std::marker::PhantomData,
    }
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

/// Renders one report's findings and per-file entry (on the thread that linted it).
pub(crate) fn part(r: &Report, fail_on: FailOn) -> Rendered {
    let mut body = Vec::new();
    for (i, f) in r.findings.iter().enumerate() {
        if i > 0 {
            body.extend_from_slice(b",\n    ");
        }
        write_indented(&mut body, &finding(r, f), "    ").expect("in-memory write");
    }
    let totals = Totals::of(std::slice::from_ref(r));
    let modules: Vec<JsonModule> = r
        .modules
        .iter()
        .map(|m| JsonModule {
            module: m.module,
            status: m.status,
            summary: r.secrets.scrub(&m.summary),
        })
        .collect();
    let mut tail = Vec::new();
    let file = JsonFile {
        file: r.title(),
        kibana_version: r.version.to_string(),
        ok: !fail_on.failed(totals),
        summary: totals.into(),
        modules,
        targets: r
            .targets
            .iter()
            .enumerate()
            .map(|(i, t)| target(r, t, i))
            .collect(),
        deploy: r.deploy.as_ref().map(|d| scrubbed(r, d)),
    };
    write_indented(&mut tail, &file, "    ").expect("in-memory write");
    Rendered {
        body,
        tail,
        items: r.findings.len(),
        ..Rendered::base(r)
    }
}

/// Writes the document incrementally: findings as each report arrives, then per-file results,
/// module verdicts and totals at the end.
pub(crate) struct JsonStream<W: Write> {
    out: W,
    fail_on: FailOn,
    totals: Totals,
    findings: usize,
    /// Per-file results, spooled to an unlinked temporary file so memory stays flat however
    /// many files there are (they follow the findings in the document).
    files: io::BufWriter<std::fs::File>,
    file_count: usize,
    single: Option<Vec<JsonModule>>,
    tally: Vec<ModuleTally>,
}

impl<W: Write> JsonStream<W> {
    pub(crate) fn begin(
        mut out: W,
        version: Version,
        fail_on: FailOn,
    ) -> io::Result<JsonStream<W>> {
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
            files: io::BufWriter::new(tempfile::tempfile()?),
            file_count: 0,
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
        })
    }

    pub(crate) fn write(&mut self, part: &Rendered) -> io::Result<()> {
        if part.items > 0 {
            let sep = if self.findings == 0 {
                "\n    "
            } else {
                ",\n    "
            };
            self.out.write_all(sep.as_bytes())?;
            self.out.write_all(&part.body)?;
            self.findings += part.items;
        }
        self.totals.add(part.totals);
        for (module, status, _) in &part.modules {
            if let Some(t) = self.tally.iter_mut().find(|t| t.module == *module) {
                t.worst = t.worst.worst(*status);
                match status {
                    Status::Fail => t.fail += 1,
                    Status::Warn => t.warn += 1,
                    _ => t.other += 1,
                }
            }
        }
        let sep = if self.file_count == 0 {
            "\n    "
        } else {
            ",\n    "
        };
        self.files.write_all(sep.as_bytes())?;
        self.files.write_all(&part.tail)?;
        if self.file_count == 0 {
            self.single = Some(
                part.modules
                    .iter()
                    .map(|(module, status, summary)| JsonModule {
                        module: *module,
                        status: *status,
                        summary: summary.clone(),
                    })
                    .collect::<Vec<_>>(),
            );
        }
        self.file_count += 1;
        Ok(())
    }

    pub(crate) fn finish(mut self) -> io::Result<W> {
        let close = if self.findings == 0 { "]" } else { "\n  ]" };
        writeln!(self.out, "{close},")?;
        write!(self.out, "  \"files\": [")?;
        let mut spool = self.files.into_inner().map_err(|e| e.into_error())?;
        spool.seek(io::SeekFrom::Start(0))?;
        io::copy(&mut spool, &mut self.out)?;
        let close = if self.file_count == 0 { "]" } else { "\n  ]" };
        writeln!(self.out, "{close},")?;
        let modules: Vec<JsonModule> = match self.single.take().filter(|_| self.file_count == 1) {
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
        target: f.target.as_deref().map(|t| s.scrub(t)),
        node_error: f.node_error.as_deref(),
        details: f.details.as_ref(),
    }
}

/// Indents a pretty-printed JSON value to sit inside the document.
fn indented(value: &impl Serialize, by: &str) -> String {
    let mut buf = Vec::new();
    write_indented(&mut buf, value, by).expect("in-memory write");
    String::from_utf8(buf).expect("UTF-8")
}

/// Pretty-prints a value into `out`, each new line indented by `by`.
fn write_indented(out: &mut impl Write, value: &impl Serialize, by: &str) -> io::Result<()> {
    let pretty = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    let mut lines = pretty.split(|b| *b == b'\n');
    if let Some(first) = lines.next() {
        out.write_all(first)?;
    }
    for line in lines {
        out.write_all(b"\n")?;
        out.write_all(by.as_bytes())?;
        out.write_all(line)?;
    }
    Ok(())
}
