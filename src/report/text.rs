//! The default, human output: rustc-style diagnostics with a source snippet and a caret under
//! the offending value, then one line per module (✓ / ! / ✗), then the totals.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use owo_colors::OwoColorize;

use super::finding::{Finding, Label, Provenance, Status};
use annotate_snippets::{AnnotationKind, Element, Level, Origin, Renderer, Snippet};

use super::{FailOn, Rendered, Report, Totals};
use crate::kibana::target::{Target, TargetSource};
use crate::kibana::tls_decision::CaSource;
use crate::kibana::url::mask_userinfo;
use crate::report::finding::counts;
use crate::rules::Severity;
use crate::source::FileId;

/// Colours on or off; everything styled goes through here.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Paint {
    pub(crate) color: bool,
}

impl Paint {
    fn sev(&self, s: Severity, text: &str) -> String {
        if !self.color {
            return text.to_string();
        }
        match s {
            Severity::Error => text.red().bold().to_string(),
            Severity::Warning => text.yellow().bold().to_string(),
            Severity::Note => text.cyan().bold().to_string(),
        }
    }

    fn frame(&self, text: &str) -> String {
        if self.color {
            text.blue().bold().to_string()
        } else {
            text.to_string()
        }
    }

    fn bold(&self, text: &str) -> String {
        if self.color {
            text.bold().to_string()
        } else {
            text.to_string()
        }
    }

    /// Just the symbol of a status, coloured.
    fn status_mark(&self, s: Status) -> String {
        let sym = match s {
            Status::Pass => "✓",
            Status::Warn => "!",
            Status::Fail => "✗",
            Status::Skip => "-",
        };
        if !self.color {
            return sym.to_string();
        }
        match s {
            Status::Pass => sym.green().to_string(),
            Status::Warn => sym.yellow().to_string(),
            Status::Fail => sym.red().bold().to_string(),
            Status::Skip => sym.dimmed().to_string(),
        }
    }

    fn status(&self, s: Status) -> String {
        let (sym, text) = match s {
            Status::Pass => ("✓", "pass"),
            Status::Warn => ("!", "warn"),
            Status::Fail => ("✗", "fail"),
            Status::Skip => ("-", "skip"),
        };
        let cell = format!("{sym} {text}");
        if !self.color {
            return cell;
        }
        match s {
            Status::Pass => cell.green().to_string(),
            Status::Warn => cell.yellow().to_string(),
            Status::Fail => cell.red().bold().to_string(),
            Status::Skip => cell.dimmed().to_string(),
        }
    }
}

/// Renders one report's text block (on the thread that linted it).
pub(crate) fn part(report: &Report, paint: Paint, multi: bool) -> Rendered {
    let mut s = String::new();
    render_report(&mut s, report, paint, multi);
    Rendered {
        body: s.into_bytes(),
        ..Rendered::base(report)
    }
}

/// Writes rendered reports as they arrive, and the totals at the end.
pub(crate) struct TextStream<W: std::io::Write> {
    out: W,
    paint: Paint,
    fail_on: FailOn,
    totals: Totals,
    files: usize,
    version: Option<crate::version::Version>,
    /// A fleet audit: end with a table of configurations and the rules that fired most.
    summary: bool,
    per_file: Vec<(String, Totals)>,
    rules: BTreeMap<crate::rules::Rule, usize>,
}

impl<W: std::io::Write> TextStream<W> {
    pub(crate) fn new(out: W, paint: Paint, fail_on: FailOn) -> TextStream<W> {
        TextStream {
            out,
            paint,
            fail_on,
            totals: Totals::default(),
            files: 0,
            version: None,
            summary: false,
            per_file: Vec::new(),
            rules: BTreeMap::new(),
        }
    }

    /// End with the fleet summary (several configurations).
    pub(crate) fn summarise(mut self, on: bool) -> TextStream<W> {
        self.summary = on;
        self
    }

    pub(crate) fn write(&mut self, part: &Rendered) -> std::io::Result<()> {
        self.totals.add(part.totals);
        self.files += part.files;
        self.version = Some(part.version);
        if self.summary {
            self.per_file.push((part.title.clone(), part.totals));
            for r in &part.rules {
                *self.rules.entry(*r).or_default() += 1;
            }
        }
        self.out.write_all(&part.body)
    }

    /// Files × errors/warnings/notes (those with findings), then the rules that fired most.
    fn fleet_table(&mut self) -> std::io::Result<()> {
        let with: Vec<&(String, Totals)> = self
            .per_file
            .iter()
            .filter(|(_, t)| t.errors + t.warnings + t.notes > 0)
            .collect();
        writeln!(
            self.out,
            "{}",
            self.paint.bold(&format!(
                "── summary: {} configuration(s), {} with findings ──",
                self.per_file.len(),
                with.len()
            ))
        )?;
        if !with.is_empty() {
            writeln!(self.out, "  errors  warnings  notes  configuration")?;
            for (name, t) in &with {
                writeln!(
                    self.out,
                    "  {:>6}  {:>8}  {:>5}  {name}",
                    t.errors, t.warnings, t.notes
                )?;
            }
        }
        let top = super::most_fired(&self.rules, 10);
        if !top.is_empty() {
            writeln!(self.out, "  rules that fired most:")?;
            for (rule, n) in top {
                writeln!(self.out, "  {n:>6}  {} {}", rule.id(), rule.name())?;
            }
        }
        writeln!(self.out)
    }

    pub(crate) fn finish(mut self) -> std::io::Result<W> {
        // Nothing was linted (every input failed to read): stderr says why; an "ok" would lie.
        if self.files == 0 {
            self.out.flush()?;
            return Ok(self.out);
        }
        if self.summary && self.per_file.len() > 1 {
            self.fleet_table()?;
        }
        let t = self.totals;
        let verdict = if self.fail_on.failed(t) {
            self.paint.sev(Severity::Error, "failed")
        } else {
            self.paint.bold("ok")
        };
        writeln!(
            self.out,
            "{verdict}: {} in {} file{}{}",
            counts(t.errors, t.warnings, t.notes),
            self.files,
            if self.files == 1 { "" } else { "s" },
            self.version
                .map(|v| format!(" (Kibana {v})"))
                .unwrap_or_default(),
        )?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn render_report(out: &mut String, report: &Report, paint: Paint, heading: bool) {
    if heading {
        let _ = writeln!(out, "{}", paint.bold(&format!("── {} ──", report.title())));
    }
    // Findings grouped by file in stack order, then by position; findings without a file last.
    let mut by_file: BTreeMap<(usize, FileId), Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        let file = f.file().unwrap_or(usize::MAX);
        let order = report
            .config_files
            .iter()
            .position(|c| *c == file)
            .unwrap_or(report.config_files.len());
        by_file.entry((order, file)).or_default().push(f);
    }
    for findings in by_file.values_mut() {
        // Findings about the whole file (no position) after those with one, as before.
        findings.sort_by_key(|f| {
            (
                f.primary.is_none(),
                f.primary
                    .as_ref()
                    .map(|p| (p.location.span.start.line, p.location.span.start.col)),
                std::cmp::Reverse(f.severity),
            )
        });
        for f in findings.iter() {
            render_finding(out, report, f, paint);
        }
    }
    let width = report
        .modules
        .iter()
        .map(|m| m.module.name().len())
        .max()
        .unwrap_or(0);
    for m in &report.modules {
        let _ = writeln!(
            out,
            "{}  {:<width$}  {}",
            paint.status(m.status),
            m.module.name(),
            report.secrets.scrub(&m.summary),
        );
    }
    for (i, t) in report.targets.iter().enumerate() {
        render_target(out, report, t, paint);
        if let Some(Some(o)) = report.probes.get(i) {
            render_probe(out, report, o, paint);
        }
    }
    if let Some(d) = &report.deploy {
        render_deploy(out, report, d, paint);
    }
    let _ = writeln!(out);
}

/// The create request, shown as a plan when it was not sent (secrets masked).
fn render_deploy(
    out: &mut String,
    report: &Report,
    d: &crate::kibana_api::connectors::Deploy,
    paint: Paint,
) {
    use crate::kibana_api::connectors::DeployOutcome;
    let why = match &d.outcome {
        DeployOutcome::Planned => "not sent: add --create to send it",
        DeployOutcome::Gated { .. } => "not sent: the checks found errors",
        _ => return,
    };
    let r = &d.request;
    let _ = writeln!(out, "{} request ({why}):", paint.frame("→"));
    let _ = writeln!(out, "    {} {}", r.method, report.secrets.scrub(&r.url));
    for (k, v) in &r.headers {
        // Built masked ("ApiKey [secret]"), and through the redaction layer all the same.
        let _ = writeln!(out, "    {}", report.secrets.scrub(&format!("{k}: {v}")));
    }
    let body = serde_json::to_string_pretty(&r.body).unwrap_or_default();
    for line in body.lines() {
        let _ = writeln!(out, "    {}", report.secrets.scrub(line));
    }
}

/// What the probes found, step by step, like a doctor tool: ✓/✗/- per step and the chain.
fn render_probe(out: &mut String, report: &Report, o: &crate::probe::TargetProbe, paint: Paint) {
    use crate::probe::Step;
    let scrub = |s: &str| report.secrets.scrub(s);
    let mark = |ok: Option<bool>| match ok {
        Some(true) => paint.status_mark(Status::Pass),
        Some(false) => paint.status_mark(Status::Fail),
        None => paint.status_mark(Status::Skip),
    };
    fn line<T>(step: &Step<T>, ok: impl Fn(&T) -> String) -> (Option<bool>, String) {
        match step {
            Step::Ok(t) => (Some(true), ok(t)),
            Step::Failed { failure, .. } => (
                Some(false),
                format!("[{}] {}", failure.node_error, failure.message),
            ),
            Step::Skipped { reason } => (None, format!("skipped: {reason}")),
        }
    }
    let (ok, text) = line(&o.dns, |a| {
        let addrs: Vec<String> = a.addresses.iter().map(|x| x.to_string()).collect();
        format!(
            "{} → {} ({}, {} ms)",
            a.name,
            addrs.join(", "),
            a.source,
            a.millis
        )
    });
    let _ = writeln!(out, "    {} {:<6} {}", mark(ok), "dns", scrub(&text));
    let (ok, text) = line(&o.tcp, |c| {
        format!("connected to {} ({} ms)", c.address, c.millis)
    });
    let _ = writeln!(out, "    {} {:<6} {}", mark(ok), "tcp", scrub(&text));
    if let Some(p) = &o.proxy {
        let (ok, text) = line(p, |t| {
            format!(
                "{} → {} {} via {}",
                t.request, t.http_status, t.reason, t.proxy
            )
        });
        let _ = writeln!(out, "    {} {:<6} {}", mark(ok), "proxy", scrub(&text));
    }
    if let Some(t) = &o.tls {
        let (ok, text) = match t {
            Step::Ok(h) => match &h.node_error {
                None => (Some(true), format!("{} {}, accepted", h.protocol, h.cipher)),
                Some(f) => (
                    Some(false),
                    format!(
                        "{} {}, refused: [{}] {}",
                        h.protocol, h.cipher, f.node_error, f.message
                    ),
                ),
            },
            other => line(other, |_| String::new()),
        };
        let _ = writeln!(out, "    {} {:<6} {}", mark(ok), "tls", scrub(&text));
        if let Step::Ok(h) = t {
            for (depth, link) in h.verdict.chain.iter().enumerate() {
                let from = match link.origin {
                    crate::certs::verdict::Provenance::Server => "sent by the server",
                    crate::certs::verdict::Provenance::TrustStore => "from the trusted CAs",
                };
                let dates = link
                    .cert
                    .as_ref()
                    .map(|c| format!(", until {}", crate::certs::cert::ymd(c.not_after)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "    {}{}└ {} ({from}{dates})",
                    " ".repeat(9),
                    "  ".repeat(depth),
                    link.name
                );
            }
        }
    }
}

/// What Kibana would do with one webhook URL: a short trace, so a user can see why.
fn render_target(out: &mut String, report: &Report, t: &Target, paint: Paint) {
    let scrub = |s: &str| report.secrets.scrub(s);
    let d = &t.decision;
    let from = match &t.source {
        TargetSource::CommandLine => "--url".to_string(),
        TargetSource::ConnectorSpec => "connector spec".to_string(),
        TargetSource::Preconfigured(id) => format!("preconfigured connector `{id}`"),
    };
    let _ = writeln!(
        out,
        "{} {} ({from})",
        paint.frame("→"),
        paint.bold(&scrub(&t.shown_url()))
    );
    let allowed = match (&d.allowed_by, &d.hostname) {
        _ if d.whatwg_hostname.is_none() => {
            "not checked: the URL does not parse, which Kibana rejects first".to_string()
        }
        (Some((entry, _)), _) if entry == "*" => "allowed: allowedHosts contains `*`".to_string(),
        (Some((entry, _)), _) => format!("allowed: allowedHosts contains `{entry}`"),
        (None, Some(h)) => format!("not allowed: `{h}` is not in allowedHosts"),
        (None, None) => "not allowed: the URL has no host Kibana can check".to_string(),
    };
    let _ = writeln!(out, "    {:<7} {allowed}", "hosts");
    if let Some(index) = d.custom_host {
        let _ = writeln!(
            out,
            "    {:<7} customHostSettings[{index}] applies ({})",
            "entry",
            d.canonical.as_deref().unwrap_or_default()
        );
    }
    let route = match &d.proxy {
        Some(p) => format!("via {}: {}", mask_userinfo(p), scrub(&d.proxy_reason)),
        None => format!("direct: {}", scrub(&d.proxy_reason)),
    };
    let _ = writeln!(out, "    {:<7} {route}", "route");
    let tls = match &d.tls {
        None if d.scheme.as_deref() == Some("http") => "none (plain http:)".to_string(),
        None => "none (the URL does not parse)".to_string(),
        Some(tls) => {
            let checks = match (tls.verify_chain, tls.check_hostname) {
                (true, true) => "chain and hostname checked",
                (true, false) => "chain checked, hostname not checked",
                _ => "nothing checked",
            };
            let ca = match tls.ca {
                CaSource::Custom if tls.ca_files.is_empty() => {
                    format!(
                        "against customHostSettings[{}] CA data only",
                        d.custom_host.unwrap_or_default()
                    )
                }
                CaSource::Custom => format!("against {} only", tls.ca_files.join(", ")),
                CaSource::Connector => "against the connector's ca only".to_string(),
                CaSource::Default => "against Node's CA list".to_string(),
            };
            if tls.verify_chain {
                format!(
                    "{} (from {}): {checks} {ca}",
                    tls.verification_mode, tls.decided_by
                )
            } else {
                format!(
                    "{} (from {}): {checks}",
                    tls.verification_mode, tls.decided_by
                )
            }
        }
    };
    let _ = writeln!(out, "    {:<7} {tls}", "tls");
}

/// One finding the way rustc shows a diagnostic (annotate-snippets does the layout: display
/// widths of wide characters and tabs, long lines cut around the span). Source lines are masked
/// before they are handed over, so no renderer ever sees a secret.
fn render_finding(out: &mut String, report: &Report, f: &Finding, paint: Paint) {
    let s = &report.secrets;
    let meta = f.rule.meta();
    let level = match f.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    };
    let message = s.scrub(&f.message);
    let id = format!("{} {}", meta.id, meta.name);
    let mut labels: Vec<(&Label, bool)> = Vec::new();
    if let Some(p) = &f.primary {
        labels.push((p, true));
    }
    labels.extend(f.secondary.iter().map(|l| (l, false)));
    // The primary file first, then the others in the order they were read.
    let primary_file = f.primary.as_ref().map(|p| p.location.file);
    let mut files: Vec<FileId> = labels.iter().map(|(l, _)| l.location.file).collect();
    files.sort_by_key(|f| (Some(*f) != primary_file, *f));
    files.dedup();
    let excerpts: Vec<Excerpt> = files
        .iter()
        .map(|file| excerpt(report, *file, &labels))
        .collect();
    let mut elements: Vec<Element> = excerpts.iter().map(Excerpt::element).collect();
    let keystore = match &f.provenance {
        Some(Provenance::Keystore { file, key }) if key.is_empty() => {
            Some(format!("keystore {}", report.sources.get(*file).display))
        }
        Some(Provenance::Keystore { file, key }) => Some(format!(
            "keystore {} (entry {key})",
            report.sources.get(*file).display
        )),
        None => None,
    };
    if let Some(k) = &keystore {
        elements.push(Origin::path(k.as_str()).into());
    }
    let whole_file = match (labels.is_empty(), f.provenance.is_none(), f.file_level) {
        (true, true, Some(id)) => Some(report.sources.get(id).display.clone()),
        _ => None,
    };
    if let Some(file) = &whole_file {
        elements.push(Origin::path(file.as_str()).into());
    }
    let kibana = f.kibana.as_deref().map(|k| s.scrub(k));
    if let Some(k) = &kibana {
        elements.push(Level::NOTE.with_name("kibana").message(k.as_str()).into());
    }
    let help = f.help.as_deref().map(|h| s.scrub(h));
    if let Some(h) = &help {
        elements.push(Level::HELP.message(h.as_str()).into());
    }
    let note = f.note.as_deref().map(|n| s.scrub(n));
    if let Some(n) = &note {
        elements.push(Level::NOTE.message(n.as_str()).into());
    }
    if labels.is_empty()
        && f.provenance.is_none()
        && let Some(setting) = &f.setting
    {
        elements.push(
            Level::NOTE
                .with_name("setting")
                .message(setting.as_str())
                .into(),
        );
    }
    let group = level
        .primary_title(message.as_str())
        .id(id.as_str())
        .elements(elements);
    let renderer = if paint.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    out.push_str(&renderer.render(&[group]));
    out.push_str("\n\n");
}

/// The lines of one file that a finding's labels point at, masked, with the labels as byte
/// ranges into them.
struct Excerpt {
    display: String,
    /// `None`: the file has no text to show (a keystore); only `--> file:line:col`.
    text: Option<String>,
    first_line: usize,
    at: (u32, u32),
    marks: Vec<(std::ops::Range<usize>, bool, String)>,
}

impl Excerpt {
    fn element(&self) -> Element<'_> {
        let Some(text) = &self.text else {
            return Origin::path(self.display.as_str())
                .line(self.at.0 as usize)
                .char_column(self.at.1 as usize)
                .into();
        };
        let annotations = self.marks.iter().map(|(range, primary, label)| {
            let kind = if *primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            let a = kind.span(range.clone());
            if label.is_empty() {
                a
            } else {
                a.label(label.as_str())
            }
        });
        Snippet::source(text.as_str())
            .line_start(self.first_line)
            .path(self.display.as_str())
            .annotations(annotations)
            .into()
    }
}

fn excerpt(report: &Report, file: FileId, labels: &[(&Label, bool)]) -> Excerpt {
    let source = report.sources.get(file);
    let mine: Vec<&(&Label, bool)> = labels
        .iter()
        .filter(|(l, _)| l.location.file == file)
        .collect();
    let first = mine
        .iter()
        .map(|(l, _)| l.location.span.start.line)
        .min()
        .unwrap_or(1);
    let last = mine
        .iter()
        .map(|(l, _)| l.location.span.start.line)
        .max()
        .unwrap_or(1);
    let at = mine
        .iter()
        .find(|(_, primary)| *primary)
        .or(mine.first())
        .map(|(l, _)| (l.location.span.start.line, l.location.span.start.col))
        .unwrap_or((1, 1));
    let mut excerpt = Excerpt {
        display: source.display.clone(),
        text: None,
        first_line: first as usize,
        at,
        marks: Vec::new(),
    };
    if source.text.is_none() {
        return excerpt;
    }
    // Each line masked on its own (secret spans and secret-looking values), then joined.
    let mut text = String::new();
    let mut starts = Vec::new();
    for n in first..=last {
        starts.push(text.len());
        let line = source.line(n).unwrap_or_default();
        text.push_str(&report.secrets.mask_line(file, n, line));
        text.push('\n');
    }
    for (label, primary) in mine {
        let loc = label.location;
        let line_no = loc.span.start.line;
        let begin = starts[(line_no - first) as usize];
        let line_text = &text[begin..text[begin..].find('\n').map_or(text.len(), |e| begin + e)];
        let byte = |col: u32| {
            line_text
                .char_indices()
                .nth((col.max(1) - 1) as usize)
                .map_or(line_text.len(), |(i, _)| i)
        };
        let start = byte(loc.span.start.col);
        let end = if loc.span.end.line > line_no {
            line_text.len()
        } else {
            byte(loc.span.end.col).max(start)
        };
        let mut note = label
            .message
            .as_deref()
            .map(|m| report.secrets.scrub(m))
            .unwrap_or_default();
        if loc.span.end.line > line_no && loc.span.end.col > 1 {
            let more = format!("(continues to line {})", loc.span.end.line);
            note = if note.is_empty() {
                more
            } else {
                format!("{note} {more}")
            };
        }
        excerpt
            .marks
            .push((begin + start..begin + end, *primary, note));
    }
    excerpt.text = Some(text);
    excerpt
}
