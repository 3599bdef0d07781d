//! Findings and how they are shown: one place renders every format, and redaction of secret
//! values happens here, once, for all of them.

pub mod finding;
pub mod github;
pub mod json;
pub mod junit;
pub mod redact;
pub mod sarif;
pub mod sink;
pub mod text;

use crate::rules::Severity;
use crate::source::{FileId, SourceMap};
use crate::version::Version;
use finding::{Finding, ModuleReport};
use redact::Secrets;

/// The result of linting one configuration (one file, or one `--stack` of files).
pub struct Report {
    pub sources: SourceMap,
    pub findings: Vec<Finding>,
    pub modules: Vec<ModuleReport>,
    pub secrets: Secrets,
    /// The kibana.yml files, in stack order.
    pub config_files: Vec<FileId>,
    pub version: Version,
    /// The webhook URLs judged, with Kibana's decision for each.
    pub targets: Vec<crate::kibana::target::Target>,
    /// What `check` found on the network, aligned with `targets` (empty for `lint`).
    pub probes: Vec<Option<crate::probe::TargetProbe>>,
    /// What `check --create/--test` did with the connector (or would do).
    pub deploy: Option<crate::kibana_api::connectors::Deploy>,
}

impl Report {
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
        self.config_files
            .iter()
            .map(|f| self.sources.get(*f).display.clone())
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// One report already rendered for an output format. Built on the thread that linted the file,
/// so the thread writing the output only copies bytes, and the report itself can be dropped
/// early.
pub struct Rendered {
    /// The report's part of the output (text block, or JSON findings).
    pub body: Vec<u8>,
    /// A second part written later in the document (JSON: the per-file entry).
    pub tail: Vec<u8>,
    /// How many items `body` holds (JSON findings), for separators.
    pub items: usize,
    pub totals: Totals,
    /// kibana.yml files the report covers.
    pub files: usize,
    pub version: Version,
    pub modules: Vec<(crate::rules::Module, finding::Status, String)>,
    /// The configuration's name (its files), for fleet summaries.
    pub title: String,
    /// The rule of each finding, for "rules that fired most".
    pub rules: Vec<crate::rules::Rule>,
    /// JUnit testcases (only `--format junit` fills them).
    pub junit: Vec<junit::Case>,
}

impl Rendered {
    /// Everything but the format-specific bytes.
    pub fn base(r: &Report) -> Rendered {
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
pub struct Totals {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Totals {
    pub fn add(&mut self, other: Totals) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.notes += other.notes;
    }

    pub fn of(reports: &[Report]) -> Totals {
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
pub enum FailOn {
    Error,
    Warning,
    Never,
}

impl FailOn {
    pub fn failed(self, t: Totals) -> bool {
        match self {
            FailOn::Error => t.errors > 0,
            FailOn::Warning => t.errors + t.warnings > 0,
            FailOn::Never => false,
        }
    }
}
