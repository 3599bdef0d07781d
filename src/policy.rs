//! The project's policy: `kibana-preflight.toml` (found upward from the working directory, or
//! `--config-file`) with defaults (`kibana_version`, `fail_on`, `docs_url`), per-rule severity
//! overrides, and ignores with a reason; plus inline suppressions in kibana.yml,
//! `# kibana-preflight: ignore[rule-name] reason`, on the offending line or the line above.
//! Suppressions without a reason, and ones that match nothing, are reported themselves.

use globset::{GlobBuilder, GlobMatcher};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::report::Report;
use crate::report::finding::{Finding, Status};
use crate::rules::{Rule, Severity};
use crate::source::{Location, Pos, SourceKind, Span};

/// The file's name.
pub(crate) const FILE_NAME: &str = "kibana-preflight.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    kibana_version: Option<String>,
    fail_on: Option<String>,
    docs_url: Option<String>,
    #[serde(default)]
    rules: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    ignore: Vec<IgnoreSpec>,
    plugins: Option<PluginsSpec>,
}

/// `[plugins]`: the third-party plugins the Kibana has installed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PluginsSpec {
    installed: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreSpec {
    rule: Spanned<String>,
    #[serde(default)]
    paths: Vec<String>,
    setting: Option<String>,
    reason: Option<String>,
}

/// A severity override: a level, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
    Set(Severity),
    Off,
}

/// One `[[ignore]]` entry.
#[derive(Debug)]
pub(crate) struct Ignore {
    pub(crate) rule: Rule,
    paths: Vec<GlobMatcher>,
    setting: Option<String>,
    pub(crate) reason: Option<String>,
    /// Byte range of the entry's `rule` value in the file.
    span: std::ops::Range<usize>,
    used: AtomicUsize,
}

/// The loaded policy (empty when there is no file).
#[derive(Debug, Default)]
pub(crate) struct Policy {
    pub(crate) path: Option<PathBuf>,
    pub(crate) text: String,
    pub(crate) kibana_version: Option<String>,
    pub(crate) fail_on: Option<String>,
    pub(crate) docs_url: Option<String>,
    pub(crate) levels: BTreeMap<Rule, Level>,
    pub(crate) ignores: Vec<Ignore>,
    /// `[plugins] installed`: the third-party plugins (their config roots) the Kibana has, and
    /// no others; `None` when not declared.
    pub(crate) installed_plugins: Option<Vec<String>>,
}

/// Finds `kibana-preflight.toml` in `start` or its parents.
pub(crate) fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

impl Policy {
    /// Reads and checks a policy file; `Err` is a message naming the file and the problem.
    pub(crate) fn load(path: &Path) -> Result<Policy, String> {
        let text = crate::source::files::read_capped_text(path)?;
        let spec: FileSpec =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut levels = BTreeMap::new();
        for (name, level) in &spec.rules {
            let rule = Rule::lookup(name).ok_or_else(|| {
                format!(
                    "{}: [rules] names no rule `{name}` (see `kibana-preflight rules`)",
                    path.display()
                )
            })?;
            let l = match level.get_ref().as_str() {
                "error" => Level::Set(Severity::Error),
                "warning" => Level::Set(Severity::Warning),
                "note" => Level::Set(Severity::Note),
                "off" => Level::Off,
                other => {
                    return Err(format!(
                        "{}: [rules] {name} = \"{other}\": use error, warning, note or off",
                        path.display()
                    ));
                }
            };
            levels.insert(rule, l);
        }
        let mut ignores = Vec::new();
        for i in spec.ignore {
            let rule = Rule::lookup(i.rule.get_ref()).ok_or_else(|| {
                format!(
                    "{}: [[ignore]] names no rule `{}` (see `kibana-preflight rules`)",
                    path.display(),
                    i.rule.get_ref()
                )
            })?;
            ignores.push(Ignore {
                rule,
                paths: i
                    .paths
                    .iter()
                    .map(|g| {
                        glob(g).map_err(|e| format!("{}: [[ignore]] paths: {e}", path.display()))
                    })
                    .collect::<Result<_, _>>()?,
                setting: i.setting,
                reason: i.reason.filter(|r| !r.trim().is_empty()),
                span: i.rule.span(),
                used: AtomicUsize::new(0),
            });
        }
        if let Some(v) = &spec.fail_on
            && !matches!(v.as_str(), "error" | "warning" | "note" | "never")
        {
            return Err(format!(
                "{}: fail_on = \"{v}\": use error, warning, note or never",
                path.display()
            ));
        }
        let installed_plugins = match spec.plugins {
            Some(p) => {
                if let Some(bad) = p
                    .installed
                    .iter()
                    .find(|n| n.trim().is_empty() || n.contains('.'))
                {
                    return Err(format!(
                        "{}: [plugins] installed = [\"{bad}\"]: name each plugin by the first segment of its keys (e.g. \"readonlyrest_kbn\")",
                        path.display()
                    ));
                }
                Some(p.installed)
            }
            None => None,
        };
        Ok(Policy {
            path: Some(path.to_path_buf()),
            installed_plugins,
            text,
            kibana_version: spec.kibana_version,
            fail_on: spec.fail_on,
            docs_url: spec.docs_url,
            levels,
            ignores,
        })
    }

    /// What the policy does with one finding: the one rule both [`Policy::apply`] and
    /// [`Policy::errors_after`] follow.
    fn verdict(&self, inline: &[Inline], report: &Report, f: &Finding) -> Verdict {
        if let Some(i) = inline.iter().position(|s| s.covers(report, f)) {
            return Verdict::Inline(i);
        }
        if let Some(i) = self.ignores.iter().position(|ig| ig.covers(report, f)) {
            return Verdict::Ignored(i);
        }
        match self.levels.get(&f.rule) {
            Some(Level::Off) => Verdict::Off,
            Some(Level::Set(s)) => Verdict::Keep(*s),
            None => Verdict::Keep(f.severity),
        }
    }

    /// How many errors `report` will hold once the policy is applied, without applying it.
    pub(crate) fn errors_after(&self, report: &Report) -> usize {
        let inline = inline_suppressions(report);
        report
            .findings
            .iter()
            .filter(|f| self.verdict(&inline, report, f) == Verdict::Keep(Severity::Error))
            .count()
    }

    /// Applies overrides, config ignores and inline suppressions to one report, and adds the
    /// findings about inline suppressions (no reason, unused, unknown rule).
    pub(crate) fn apply(&self, report: &mut Report) {
        let inline = inline_suppressions(report);
        let mut used = vec![false; inline.len()];
        let mut kept = Vec::with_capacity(report.findings.len());
        for mut f in std::mem::take(&mut report.findings) {
            match self.verdict(&inline, report, &f) {
                Verdict::Inline(i) => used[i] = true,
                Verdict::Ignored(i) => {
                    self.ignores[i].used.fetch_add(1, Ordering::Relaxed);
                }
                Verdict::Off => {}
                Verdict::Keep(severity) => {
                    f.severity = severity;
                    kept.push(f);
                }
            }
        }
        for (s, used) in inline.iter().zip(used) {
            kept.extend(s.problems(used));
        }
        report.findings = kept;
        // Verdicts follow what is left (a suppressed error no longer fails its module).
        for m in &mut report.modules {
            if m.status == Status::Skip {
                continue;
            }
            m.status = Status::of(report.findings.iter().filter(|f| f.module() == m.module));
        }
    }

    /// Findings about the policy file itself, once the whole run is done: ignores without a
    /// reason or that matched nothing. `None` without a file or without problems.
    pub(crate) fn file_report(&self, version: crate::version::Version) -> Option<Report> {
        let path = self.path.as_ref()?;
        let mut sources = crate::source::SourceMap::new();
        let id = sources.add(
            crate::source::display_path(path),
            SourceKind::ToolConfig,
            Some(Arc::from(self.text.as_str())),
        );
        let file = sources.get(id);
        let mut findings = Vec::new();
        for ig in &self.ignores {
            let at = Some(Location {
                file: id,
                span: Span::new(
                    file.pos_of_offset(ig.span.start),
                    file.pos_of_offset(ig.span.end),
                ),
            });
            if ig.reason.is_none() {
                findings.push(
                    Finding::new(
                        Rule::SuppressionWithoutReason,
                        format!("this ignore of `{}` gives no reason", ig.rule.name()),
                    )
                    .at(at)
                    .help("add `reason = \"…\"`: why it is acceptable, and until when"),
                );
            }
            if ig.used.load(Ordering::Relaxed) == 0 {
                findings.push(
                    Finding::new(
                        Rule::UnusedSuppression,
                        format!("this ignore of `{}` matched no finding", ig.rule.name()),
                    )
                    .at(at)
                    .help(
                        "remove it: the problem is gone, or the paths or setting no longer match",
                    ),
                );
            }
        }
        if findings.is_empty() {
            return None;
        }
        Some(Report {
            sources,
            findings,
            modules: Vec::new(),
            secrets: crate::report::redact::Secrets::new(),
            config_files: vec![id],
            subject: None,
            version,
            targets: Vec::new(),
            probes: Vec::new(),
            deploy: None,
        })
    }
}

impl Ignore {
    fn covers(&self, r: &Report, f: &Finding) -> bool {
        if f.rule != self.rule {
            return false;
        }
        if let Some(s) = &self.setting
            && !f.setting.as_deref().is_some_and(|fs| {
                fs == s || fs.starts_with(&format!("{s}.")) || fs.starts_with(&format!("{s}["))
            })
        {
            return false;
        }
        if self.paths.is_empty() {
            return true;
        }
        let file = f
            .file()
            .map(|id| r.sources.get(id).display.clone())
            .unwrap_or_else(|| r.title());
        self.paths.iter().any(|g| g.is_match(&file))
    }
}

/// A policy path pattern: `*` and `?` stay within a path segment, `**` crosses segments, `{a,b}`
/// and `[ab]` as in gitignore-style globs (globset). A bad pattern is an error, never a pattern
/// that silently matches nothing.
fn glob(pattern: &str) -> Result<GlobMatcher, globset::Error> {
    Ok(GlobBuilder::new(pattern.trim_start_matches("./"))
        .literal_separator(true)
        .build()?
        .compile_matcher())
}

/// What the policy does with a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// Suppressed by the inline comment at this index.
    Inline(usize),
    /// Suppressed by the `[[ignore]]` entry at this index.
    Ignored(usize),
    /// The rule is turned off.
    Off,
    /// Kept, with this severity.
    Keep(Severity),
}

/// `# kibana-preflight: ignore[rules] reason` in a kibana.yml.
struct Inline {
    file: usize,
    /// The line whose findings it suppresses; `None` for `ignore-file[…]`: every finding of
    /// the named rules in the file, including those about the whole file (a missing key).
    line: Option<u32>,
    rules: Vec<Result<Rule, String>>,
    reason: Option<String>,
    at: Location,
}

impl Inline {
    fn covers(&self, r: &Report, f: &Finding) -> bool {
        let here = match (self.line, &f.primary) {
            (None, _) => f.file() == Some(self.file),
            (Some(line), Some(p)) => {
                p.location.file == self.file
                    && (p.location.span.start.line..=p.location.span.end.line).contains(&line)
            }
            (Some(_), None) => false,
        };
        here && self
            .rules
            .iter()
            .any(|x| x.as_ref().is_ok_and(|rule| *rule == f.rule))
            && r.sources.get(self.file).kind == SourceKind::KibanaYml
    }

    fn problems(&self, used: bool) -> Vec<Finding> {
        let mut out = Vec::new();
        for bad in self.rules.iter().filter_map(|r| r.as_ref().err()) {
            out.push(
                Finding::new(
                    Rule::UnusedSuppression,
                    format!("this suppression names no rule `{bad}`"),
                )
                .at(Some(self.at))
                .help("use a rule name or id from `kibana-preflight rules`"),
            );
        }
        if self.reason.is_none() {
            out.push(
                Finding::new(Rule::SuppressionWithoutReason, "this suppression gives no reason")
                    .at(Some(self.at))
                    .help("write the reason after the brackets: `# kibana-preflight: ignore[rule-name] why it is fine`"),
            );
        }
        if !used && self.rules.iter().any(|r| r.is_ok()) {
            out.push(
                Finding::new(
                    Rule::UnusedSuppression,
                    match self.line {
                        Some(line) => format!("this suppression matches no finding on line {line}"),
                        None => "this suppression matches no finding in the file".to_string(),
                    },
                )
                .at(Some(self.at))
                .help("remove it: the problem is gone or is reported on another line"),
            );
        }
        out
    }
}

fn marker() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"#\s*kibana-preflight:\s*ignore(-file)?\[([^\]]*)\]\s*(.*)$").expect("valid")
    })
}

fn inline_suppressions(r: &Report) -> Vec<Inline> {
    let mut out = Vec::new();
    for (id, file) in r.sources.files() {
        if file.kind != SourceKind::KibanaYml {
            continue;
        }
        let Some(text) = &file.text else { continue };
        if !text.contains("kibana-preflight:") {
            continue;
        }
        for (i, line) in text.lines().enumerate() {
            let Some(caps) = marker().captures(line) else {
                continue;
            };
            let m = caps.get(0).expect("group 0");
            let before = &line[..m.start()];
            let line_no = i as u32 + 1;
            // A comment alone on its line applies to the next line; ignore-file to the file.
            let target = if caps.get(1).is_some() {
                None
            } else if before.trim().is_empty() {
                Some(line_no + 1)
            } else {
                Some(line_no)
            };
            let col = line[..m.start()].chars().count() as u32 + 1;
            let end = line[..m.end()].chars().count() as u32 + 1;
            out.push(Inline {
                file: id,
                line: target,
                rules: caps[2]
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Rule::lookup(s).ok_or_else(|| s.to_string()))
                    .collect(),
                reason: Some(caps[3].trim().to_string()).filter(|s| !s.is_empty()),
                at: Location {
                    file: id,
                    span: Span::new(Pos::new(line_no, col), Pos::new(line_no, end)),
                },
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let glob = |p: &str| glob(p).unwrap();
        assert!(glob("envs/*/kibana.yml").is_match("envs/prod/kibana.yml"));
        assert!(!glob("envs/*/kibana.yml").is_match("envs/a/b/kibana.yml"));
        assert!(glob("envs/**/kibana.yml").is_match("envs/a/b/kibana.yml"));
        assert!(glob("envs/**").is_match("envs/a/b/kibana.yml"));
        assert!(glob("**/kibana.yml").is_match("kibana.yml"));
        assert!(glob("./envs/{prod,stage}/kibana.yml").is_match("envs/stage/kibana.yml"));
        assert!(super::glob("envs/[prod/kibana.yml").is_err());
    }
}
