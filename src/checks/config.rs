//! Module `config`: can Kibana read this configuration at all? YAML syntax, duplicate keys,
//! `${VAR}` references, sources that override each other, and Kibana's schema for the settings
//! we model (unknown keys, types, values, settings added or removed in the chosen version).

use super::{Check, Context, Outcome};
use crate::kibana::schema::{DeprecationEffect, IssueKind, schema};
use crate::model::load::LoadIssue;
use crate::model::tree::SettingPath;
use crate::rules::{Module, Severity};

mod coverage;
mod loading;
mod third_party;
mod ui_overrides;
mod validation;

use coverage::Coverage;
use loading::load_issue;
use validation::schema_issue;

pub(crate) struct KibanaConfig;

impl Check for KibanaConfig {
    fn module(&self) -> Module {
        Module::Config
    }

    fn runs_on_incomplete_config(&self) -> bool {
        true
    }

    fn run(&self, cx: &Context, out: &mut Outcome) {
        for issue in &cx.loaded.issues {
            if let Some(f) = load_issue(cx, issue) {
                out.push(f);
            }
        }
        let mut unknown_roots: Vec<String> = Vec::new();
        if !cx.loaded.incomplete {
            // A value whose variable is not set never reaches the schema: Kibana stops at the
            // substitution (undefined-env-var says so).
            let unresolved: Vec<&SettingPath> = cx
                .loaded
                .issues
                .iter()
                .filter_map(|i| match i {
                    LoadIssue::MissingEnv { path, .. } => Some(path),
                    _ => None,
                })
                .collect();
            for issue in &cx.validated.issues {
                // An object's cross-key validation (server.ssl) that read an unresolved key
                // (server.ssl.key) is not judged either.
                let of_unresolved = match issue.kind {
                    IssueKind::WrongType { .. } => {
                        unresolved.iter().any(|p| issue.path.starts_with(p))
                    }
                    IssueKind::InvalidValue => unresolved
                        .iter()
                        .any(|p| issue.path.starts_with(p) || p.starts_with(&issue.path)),
                    _ => false,
                };
                // A root the policy declares as an installed plugin's is not Kibana's to judge.
                let declared = matches!(issue.kind, IssueKind::UnknownRoot { .. })
                    && cx.installed_plugins.is_some_and(|installed| {
                        installed
                            .iter()
                            .any(|p| issue.path.first_key() == Some(p.as_str()))
                    });
                if !of_unresolved && !declared {
                    if matches!(issue.kind, IssueKind::UnknownRoot { .. }) {
                        unknown_roots.push(issue.path.to_string());
                    }
                    out.push(schema_issue(cx, issue));
                }
            }
        }
        let third_party = if cx.loaded.incomplete {
            Vec::new()
        } else {
            third_party::found(cx)
        };
        for f in third_party::findings(cx, &third_party) {
            out.push(f);
        }
        if !cx.loaded.incomplete {
            for f in ui_overrides::findings(cx) {
                out.push(f);
            }
        }
        let errors = out
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        // Third-party settings and unknown roots that got a finding above are not "not judged",
        // nor a root a deprecation removes before validation (`unusedFromRoot`).
        let unset_roots: Vec<String> = cx
            .validated
            .issues
            .iter()
            .filter(|i| {
                matches!(
                    i.kind,
                    IssueKind::Deprecated {
                        effect: DeprecationEffect::Unset,
                        ..
                    }
                ) && schema()
                    .get(&i.path.to_string())
                    .is_some_and(|s| s.namespace)
            })
            .map(|i| i.path.to_string())
            .collect();
        let said: Vec<&str> = third_party
            .iter()
            .map(|f| f.plugin.root.as_str())
            .chain(unknown_roots.iter().map(String::as_str))
            .chain(unset_roots.iter().map(String::as_str))
            .collect();
        // An override id with quotes in it is ui-setting-id-quoted's: Kibana surely ignores it.
        let unjudged: Vec<SettingPath> = cx
            .validated
            .unjudged
            .iter()
            .filter(|p| !ui_overrides::is_quoted_override(p))
            .cloned()
            .collect();
        let coverage = Coverage::of(&cx.loaded.root, cx.version, &said, &unjudged);
        if !coverage.outside.is_empty() && !cx.loaded.incomplete {
            out.push(coverage.finding());
        }
        let also = if cx.inputs.others.is_empty() {
            String::new()
        } else {
            format!(
                "; also in the file, not linted in this run: {} (choose with --service)",
                cx.inputs.others.join(", ")
            )
        };
        let foreign = cx
            .loaded
            .issues
            .iter()
            .any(|i| matches!(i, LoadIssue::ForeignDocument { .. }));
        if foreign {
            out.skipped = Some("skipped: not a Kibana configuration (see the note)".into());
        } else if !cx.inputs.unread.is_empty() {
            out.summary(format!(
                "the configuration of {} is not all here: {} cannot be read beside the file, so its settings are not judged{also}",
                cx.inputs.container.as_deref().unwrap_or("the service"),
                cx.inputs.unread.join(", ")
            ));
        } else if errors == 0 {
            // Say what was judged: only the modelled namespaces, never "the whole file".
            out.summary(
                format!(
                    "{} read as Kibana {} reads it; {} setting(s) checked against its schema{}",
                    match (&cx.inputs.container, cx.inputs.yml_files) {
                        (Some(c), _) => format!("the configuration of {c} was"),
                        (None, 0) => "the settings were".to_string(),
                        (None, 1) => "kibana.yml was".to_string(),
                        (None, n) => format!("{n} files were"),
                    },
                    cx.version,
                    coverage.judged,
                    match coverage.outside.len() {
                        0 => String::new(),
                        n => format!(", {n} not judged"),
                    }
                ) + &also,
            );
        } else if !also.is_empty() {
            let counts = crate::report::finding::counts(
                errors,
                out.findings
                    .iter()
                    .filter(|f| f.severity == Severity::Warning)
                    .count(),
                out.findings
                    .iter()
                    .filter(|f| f.severity == Severity::Note)
                    .count(),
            );
            out.summary(format!("{counts}{also}"));
        }
    }
}
