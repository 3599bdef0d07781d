//! Findings and how they are shown: one place renders every format, and redaction of secret
//! values happens here, once, for all of them.

pub(crate) mod finding;
pub(crate) mod github;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod redact;
pub(crate) mod sarif;
pub(crate) mod sink;
pub(crate) mod text;

use crate::rules::Severity;
use crate::source::{FileId, SourceMap};
use crate::version::Version;
use finding::{Finding, ModuleReport};
use redact::Secrets;

/// The result of linting one configuration (one file, or one `--stack` of files).
pub struct Report {
    pub(crate) sources: SourceMap,
    pub(crate) findings: Vec<Finding>,
    pub(crate) modules: Vec<ModuleReport>,
    pub(crate) secrets: Secrets,
    /// The kibana.yml files, in stack order.
    pub(crate) config_files: Vec<FileId>,
    /// The Kibana a container file holds, when the configuration came from one ("service
    /// kibana of a Docker Compose file (image 8.15.0)").
    pub(crate) subject: Option<String>,
    pub(crate) version: Version,
    /// The webhook URLs judged, with Kibana's decision for each.
    pub(crate) targets: Vec<crate::kibana::target::Target>,
    /// What `check` found on the network, aligned with `targets` (empty for `lint`).
    pub(crate) probes: Vec<Option<crate::probe::TargetProbe>>,
    /// What `check --create/--test` did with the connector (or would do).
    pub(crate) deploy: Option<crate::kibana_api::connectors::Deploy>,
}

impl Report {
    /// Every finding, in the order they are reported.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Each check module's verdict, in the order the modules run.
    pub fn modules(&self) -> &[ModuleReport] {
        &self.modules
    }

    /// The Kibana version the configuration was judged against.
    pub fn kibana_version(&self) -> Version {
        self.version
    }

    /// The report as the `--format json` document (docs/report-format.md), secrets masked.
    pub fn to_json(&self) -> String {
        let mut stream = json::JsonStream::begin(Vec::new(), self.version, FailOn::Error)
            .expect("writing to memory cannot fail");
        stream
            .write(&json::part(self, FailOn::Error))
            .expect("writing to memory cannot fail");
        let bytes = stream.finish().expect("writing to memory cannot fail");
        String::from_utf8(bytes).expect("the JSON renderer writes UTF-8")
    }

    /// How many findings have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// What the report is about, for headings: the file names.
    pub fn title(&self) -> String {
        if self.config_files.is_empty() {
            return "(no kibana.yml)".into();
        }
        let files = self
            .config_files
            .iter()
            .map(|f| self.sources.get(*f).display.clone())
            .collect::<Vec<_>>()
            .join(" + ");
        match &self.subject {
            Some(s) => format!("{files}: {s}"),
            None => files,
        }
    }
}

/// One report already rendered for an output format. Built on the thread that linted the file,
/// so the thread writing the output only copies bytes, and the report itself can be dropped
/// early.
pub(crate) struct Rendered {
    /// The report's part of the output (text block, or JSON findings).
    pub(crate) body: Vec<u8>,
    /// A second part written later in the document (JSON: the per-file entry).
    pub(crate) tail: Vec<u8>,
    /// How many items `body` holds (JSON findings), for separators.
    pub(crate) items: usize,
    pub(crate) totals: Totals,
    /// kibana.yml files the report covers.
    pub(crate) files: usize,
    pub(crate) version: Version,
    pub(crate) modules: Vec<(crate::rules::Module, finding::Status, String)>,
    /// The configuration's name (its files), for fleet summaries.
    pub(crate) title: String,
    /// The rule of each finding, for "rules that fired most".
    pub(crate) rules: Vec<crate::rules::Rule>,
    /// JUnit testcases (only `--format junit` fills them).
    pub(crate) junit: Vec<junit::Case>,
}

impl Rendered {
    /// Everything but the format-specific bytes.
    pub(crate) fn base(r: &Report) -> Rendered {
        Rendered {
            body: Vec::new(),
            tail: Vec::new(),
            items: 0,
            totals: Totals::of(std::slice::from_ref(r)),
            files: r.config_files.len().max(1),
            version: r.version,
            modules: r
                .modules
                .iter()
                .map(|m| (m.module, m.status, r.secrets.scrub(&m.summary)))
                .collect(),
            title: r.title(),
            rules: r.findings.iter().map(|f| f.rule).collect(),
            junit: Vec::new(),
        }
    }
}

/// Totals across reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Totals {
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    pub(crate) notes: usize,
}

impl Totals {
    pub(crate) fn add(&mut self, other: Totals) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.notes += other.notes;
    }

    pub(crate) fn of(reports: &[Report]) -> Totals {
        let mut t = Totals::default();
        for r in reports {
            t.errors += r.count(Severity::Error);
            t.warnings += r.count(Severity::Warning);
            t.notes += r.count(Severity::Note);
        }
        t
    }
}

/// When the run counts as failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    pub(crate) fn failed(self, t: Totals) -> bool {
        match self {
            FailOn::Error => t.errors > 0,
            FailOn::Warning => t.errors + t.warnings > 0,
            FailOn::Note => t.errors + t.warnings + t.notes > 0,
            FailOn::Never => false,
        }
    }
}

/// The `n` rules that fired most in a fleet run, most first, ties by rule id.
pub(crate) fn most_fired(
    tally: &std::collections::BTreeMap<crate::rules::Rule, usize>,
    n: usize,
) -> Vec<(crate::rules::Rule, usize)> {
    let mut top: Vec<(crate::rules::Rule, usize)> = tally.iter().map(|(r, n)| (*r, *n)).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.id().cmp(b.0.id())));
    top.truncate(n);
    top
}

/// Why a probe step did not run for one target (`None`: it ran). A step that does not apply
/// (no proxy, plain http:) did not run either: `pass` is only for what ran and found nothing.
pub(crate) fn step_not_run(
    probe: &crate::probe::TargetProbe,
    module: crate::rules::Module,
) -> Option<String> {
    use crate::probe::Step;
    use crate::rules::Module;
    fn reason<T>(step: &Step<T>) -> Option<String> {
        match step {
            Step::Skipped { reason } => Some(reason.clone()),
            _ => None,
        }
    }
    match module {
        Module::Dns => reason(&probe.dns),
        Module::Tcp => reason(&probe.tcp),
        Module::ProxyTunnel => match &probe.proxy {
            Some(step) => reason(step),
            None => Some("the target is not proxied".into()),
        },
        // A plain http: target has no handshake, but the tls module judges it all the same
        // (plain-http-target), so it counts as run.
        Module::Tls => probe.tls.as_ref().and_then(reason),
        _ => None,
    }
}
