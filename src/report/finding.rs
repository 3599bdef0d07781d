//! What checks produce: findings with a rule, a message, the fix, and up to several labelled
//! places (the offending value, and e.g. the setting that caused it).

use serde::Serialize;

use crate::model::tree::SettingPath;
use crate::rules::{Module, Rule, Severity};
use crate::source::Location;

/// A place a finding points at, with an optional short note (cargo-deny style labels).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Label {
    pub(crate) location: Location,
    pub(crate) message: Option<String>,
}

/// Where a value came from when it has no position we can show (keystore, defaults).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Provenance {
    Keystore { file: usize, key: String },
}

/// One problem (or observation) about the configuration.
#[derive(Clone, Debug)]
pub struct Finding {
    pub(crate) rule: Rule,
    pub(crate) severity: Severity,
    /// Lower-case, says the problem; never contains a secret value.
    pub(crate) message: String,
    /// The fix.
    pub(crate) help: Option<String>,
    /// What Kibana itself prints, so users recognise their error.
    pub(crate) kibana: Option<String>,
    pub(crate) primary: Option<Label>,
    pub(crate) secondary: Vec<Label>,
    pub(crate) provenance: Option<Provenance>,
    /// Dotted path with list indices: `xpack.actions.customHostSettings[0].url`.
    pub(crate) setting: Option<String>,
    /// A caveat, e.g. behaviour the reference could not verify for this version.
    pub(crate) note: Option<String>,
    /// The webhook URL the finding is about (credentials masked), for live checks.
    pub(crate) target: Option<String>,
    /// The Node.js error code Kibana's request would fail with, e.g. `ECONNREFUSED`.
    pub(crate) node_error: Option<String>,
    /// Structured facts for machines (e.g. a diagnosis's catalogue row and captures).
    pub(crate) details: Option<serde_json::Value>,
    /// The file a finding with no place of its own is about (a missing key): it names the file
    /// in every format, without a line.
    pub(crate) file_level: Option<usize>,
}

impl Finding {
    pub(crate) fn new(rule: Rule, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: rule.severity(),
            message: message.into(),
            help: None,
            kibana: None,
            primary: None,
            secondary: Vec::new(),
            provenance: None,
            setting: None,
            note: None,
            target: None,
            node_error: None,
            details: None,
            file_level: None,
        }
    }

    pub(crate) fn module(&self) -> Module {
        self.rule.module()
    }

    /// Points at a place (ignored when `None`, so callers can pass optional locations).
    pub(crate) fn at(mut self, location: Option<Location>) -> Finding {
        if let Some(location) = location {
            self.primary = Some(Label {
                location,
                message: None,
            });
        }
        self
    }

    /// A short note under the primary caret.
    pub(crate) fn label(mut self, message: impl Into<String>) -> Finding {
        if let Some(p) = &mut self.primary {
            p.message = Some(message.into());
        }
        self
    }

    /// A second place, e.g. "first defined here".
    pub(crate) fn also(
        mut self,
        location: Option<Location>,
        message: impl Into<String>,
    ) -> Finding {
        if let Some(location) = location {
            let label = Label {
                location,
                message: Some(message.into()),
            };
            if self.primary.is_none() {
                self.primary = Some(label);
            } else if Some(&label.location) != self.primary.as_ref().map(|p| &p.location) {
                self.secondary.push(label);
            }
        }
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn kibana(mut self, kibana: impl Into<String>) -> Finding {
        self.kibana = Some(kibana.into());
        self
    }

    pub(crate) fn setting(mut self, path: &SettingPath) -> Finding {
        self.setting = Some(path.to_string());
        self
    }

    pub(crate) fn setting_str(mut self, path: &str) -> Finding {
        self.setting = Some(path.to_string());
        self
    }

    /// Adds a caveat (after any already given).
    pub(crate) fn note(mut self, note: impl Into<String>) -> Finding {
        let note = note.into();
        self.note = Some(match self.note.take() {
            Some(earlier) => format!("{earlier}; {note}"),
            None => note,
        });
        self
    }

    pub(crate) fn provenance(mut self, p: Option<Provenance>) -> Finding {
        self.provenance = p;
        self
    }

    pub(crate) fn target(mut self, url: impl Into<String>) -> Finding {
        self.target = Some(url.into());
        self
    }

    pub(crate) fn node_error(mut self, code: impl Into<String>) -> Finding {
        self.node_error = Some(code.into());
        self
    }

    pub(crate) fn details(mut self, details: serde_json::Value) -> Finding {
        self.details = Some(details);
        self
    }

    pub(crate) fn severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    /// The file the finding belongs to, if any.
    pub(crate) fn file(&self) -> Option<usize> {
        self.primary
            .as_ref()
            .map(|l| l.location.file)
            .or(self
                .provenance
                .as_ref()
                .map(|Provenance::Keystore { file, .. }| *file))
            .or(self.file_level)
    }
}

/// A module's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
}

impl Status {
    /// A module's verdict from its findings: fail on an error, warn on a warning, else pass.
    /// (Whether the module ran at all is the caller's to say: that is `Skip`.)
    pub(crate) fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Status {
        findings
            .into_iter()
            .map(|f| match f.severity {
                Severity::Error => Status::Fail,
                Severity::Warning => Status::Warn,
                Severity::Note => Status::Pass,
            })
            .fold(Status::Pass, Status::worst)
    }

    /// The worse of two statuses (skip counts as better than warn: nothing was found).
    pub(crate) fn worst(self, other: Status) -> Status {
        fn rank(s: Status) -> u8 {
            match s {
                Status::Pass => 0,
                Status::Skip => 1,
                Status::Warn => 2,
                Status::Fail => 3,
            }
        }
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

/// What one module concluded.
#[derive(Clone, Debug)]
pub struct ModuleReport {
    pub(crate) module: Module,
    pub(crate) status: Status,
    /// One line: what was checked and the verdict.
    pub(crate) summary: String,
}

/// "2 errors, 1 warning".
pub(crate) fn counts(errors: usize, warnings: usize, notes: usize) -> String {
    let mut parts = Vec::new();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    if notes > 0 {
        parts.push(plural(notes, "note"));
    }
    if parts.is_empty() {
        "no problems".into()
    } else {
        parts.join(", ")
    }
}

/// Read access for library users; the builders above are the crate's own.
impl Finding {
    /// The rule this finding is an instance of (its id, name, module and documentation).
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// The severity after the project policy.
    pub fn severity_level(&self) -> Severity {
        self.severity
    }

    /// What is wrong, in one lower-case sentence; never holds a secret value.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// How to fix it.
    pub fn help_text(&self) -> Option<&str> {
        self.help.as_deref()
    }

    /// What Kibana itself prints for this problem, when it prints something.
    pub fn kibana_message(&self) -> Option<&str> {
        self.kibana.as_deref()
    }

    /// The dotted setting the finding is about (`xpack.actions.allowedHosts[0]`).
    pub fn setting_path(&self) -> Option<&str> {
        self.setting.as_deref()
    }
}

impl ModuleReport {
    pub fn module(&self) -> Module {
        self.module
    }

    pub fn status(&self) -> Status {
        self.status
    }

    /// One line: what was checked and the verdict.
    pub fn summary(&self) -> &str {
        &self.summary
    }
}
