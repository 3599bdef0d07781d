//! `diagnose`: from a failed connector's error text to its cause. The text (a Test tab message,
//! an `_execute` or error JSON, a log excerpt) is matched against the failure catalogue; each
//! recognised error becomes a finding that points at it in the text, says what happened, the
//! likely causes in order and the fix, and — when there is a configuration, URL, connector or
//! Kibana to look at — whether `check` confirms the cause.

use std::path::PathBuf;
use std::sync::Arc;

use crate::kibana::failures as catalogue;
use crate::kibana_api::client::{Client, Connection};
use crate::kibana_api::executions::{self, Failed};
use crate::live::{self, CheckOptions};
use crate::offline::InputError;
use crate::report::Report;
use crate::report::finding::{Finding, ModuleReport, Status};
use crate::report::redact::Secrets;
use crate::rules::{Module, Rule};
use crate::source::{FileId, Location, Pos, SourceKind, SourceMap, Span};

/// What to diagnose, and what to confirm it with.
pub struct DiagnoseOptions {
    pub input: String,
    /// How the input is named in the output (`<stdin>`, a file path, `<text>`).
    pub input_name: String,
    /// kibana.yml files to confirm against.
    pub configs: Vec<PathBuf>,
    /// Run `check` (with these options) to confirm; `None`: explain only.
    pub check: Option<CheckOptions>,
    /// kibana-preflight.toml, applied to the whole report at the end.
    pub(crate) policy: Option<Arc<crate::policy::Policy>>,
    /// The Kibana version the error came from (`--kibana-version`); else the one a log line
    /// names, if any. Picks the causes that depend on it.
    pub version: Option<crate::version::Version>,
    /// The connector's type (`--connector-type`, or the fetched connector's); else the one the
    /// text names, if any. Picks the fix where it depends on it.
    pub connector_type: Option<String>,
    /// Take the text from the running Kibana: this connector's failed executions
    /// (`--connector-id`) instead of `input`.
    pub(crate) from_kibana: Option<FromKibana>,
}

/// A connector whose recent failures the running Kibana is asked for.
pub(crate) struct FromKibana {
    pub(crate) connection: Connection,
    pub(crate) connector_id: String,
    /// How many failed executions to read, newest first.
    pub(crate) limit: usize,
}

impl DiagnoseOptions {
    /// Diagnose `input` (shown as `input_name`), explaining only; set `configs` and `check` to
    /// confirm the causes with `check`.
    pub fn new(input: impl Into<String>, input_name: impl Into<String>) -> DiagnoseOptions {
        DiagnoseOptions {
            input: input.into(),
            input_name: input_name.into(),
            configs: Vec::new(),
            check: None,
            policy: None,
            version: None,
            connector_type: None,
            from_kibana: None,
        }
    }
}

pub fn diagnose(mut opts: DiagnoseOptions) -> Result<Report, InputError> {
    let fetched = match opts.from_kibana.take() {
        Some(k) => Some(from_kibana(&mut opts, k)?),
        None => None,
    };
    let text = catalogue::text_of(&opts.input);
    // The version that ran the newest failure, as Kibana recorded it.
    let recorded = fetched
        .as_ref()
        .and_then(|f| f.executions.first())
        .and_then(|e| e.version.as_deref())
        .and_then(|v| v.trim_end_matches("-SNAPSHOT").parse().ok());
    let version = match (opts.version, recorded) {
        (Some(v), _) => Some((v, "--kibana-version")),
        (None, Some(v)) => Some((v, "Kibana")),
        (None, None) => catalogue::version_in(&text).map(|v| (v, "the text")),
    };
    let fetched_type = fetched
        .as_ref()
        .map(|f| f.connector.type_id.clone())
        .filter(|t| !t.is_empty());
    let connector_type = match (opts.connector_type.as_deref(), fetched_type) {
        (Some(t), _) => Some((catalogue::normalise_connector_type(t), "--connector-type")),
        (None, Some(t)) => Some((t, "Kibana")),
        (None, None) => catalogue::connector_type_in(&text).map(|t| (t, "the text")),
    };
    let (found, seen) = once_each(catalogue::recognise(&text));
    let mut report = match opts.check.take() {
        Some(c) => Some(confirming_check(&opts.configs, c, &found)?),
        None => None,
    };
    let mut sources = match report.as_mut() {
        Some(r) => std::mem::take(&mut r.sources),
        None => SourceMap::new(),
    };
    let input_id = sources.add(
        opts.input_name.clone(),
        SourceKind::ErrorText,
        Some(Arc::from(text.as_str())),
    );
    let file = sources.get(input_id);
    let mut findings = Vec::new();
    let mut lines = Vec::new();
    for (f, times) in found.iter().zip(&seen) {
        let span = Span::new(file.pos_of_offset(f.start), file.pos_of_offset(f.end));
        let at = Location {
            file: input_id,
            span,
        };
        let (finding, line) = recognised_finding(
            f,
            &text,
            at,
            report.as_ref(),
            version,
            connector_type.as_ref().map(|(t, from)| (t.as_str(), *from)),
        );
        let finding = if *times > 1 {
            finding.note(format!(
                "the same error appears {times} times in the input; shown once, at its first place"
            ))
        } else {
            finding
        };
        findings.push(finding);
        lines.push(line);
    }
    match &fetched {
        Some(f) if f.executions.is_empty() => findings.push(no_failures_finding(input_id, f)),
        _ if found.is_empty() => findings.push(unrecognised_finding(input_id)),
        _ => {}
    }
    let module = diagnose_module(&found, &lines);
    let mut report = report.unwrap_or_else(empty_report);
    report.sources = sources;
    report.config_files.insert(0, input_id);
    findings.append(&mut report.findings);
    report.findings = findings;
    report.modules.insert(0, module);
    crate::offline::apply_policy(&mut report, opts.policy.as_deref());
    Ok(report)
}

/// One recognition per cause and captured values, in the order first seen, with how many
/// times each appeared: a paste that repeats an error (a log with every retry) gets one
/// finding, not one per line.
fn once_each(
    found: Vec<catalogue::Recognised<'static>>,
) -> (Vec<catalogue::Recognised<'static>>, Vec<usize>) {
    let mut index = std::collections::HashMap::new();
    let (mut unique, mut seen) = (Vec::new(), Vec::new());
    for f in found {
        let key = (f.row.id, f.captures.clone());
        match index.get(&key) {
            Some(&i) => seen[i] += 1,
            None => {
                index.insert(key, unique.len());
                unique.push(f);
                seen.push(1);
            }
        }
    }
    (unique, seen)
}

/// Runs `check` to confirm the causes, probing the URLs the error names as well.
fn confirming_check(
    configs: &[PathBuf],
    mut c: CheckOptions,
    found: &[catalogue::Recognised],
) -> Result<Report, InputError> {
    // A URL named in the error is the one to probe.
    for f in found {
        if let Some(url) = f.captures.get("url")
            && url.contains("://")
            && !c.lint.urls.contains(url)
            && c.lint.connector.is_none()
        {
            c.lint.urls.push(url.clone());
        }
    }
    live::check_unapplied(configs, &c, None)
}

/// The finding for one recognised error, and its line in the module summary.
fn recognised_finding(
    f: &catalogue::Recognised,
    text: &str,
    at: Location,
    report: Option<&Report>,
    version: Option<(crate::version::Version, &str)>,
    connector_type: Option<(&str, &str)>,
) -> (Finding, String) {
    let row = f.row;
    let row_causes = row.causes_for(version.map(|(v, _)| v));
    let (confirmation, confirmed, confirmed_by) = confirm(row, report);
    let variables: Vec<String> = f
        .captures
        .iter()
        .filter(|(k, _)| k.as_str() != "error")
        .map(|(k, v)| format!("{k} `{v}`"))
        .collect();
    let mut message = row.happened.clone();
    if !variables.is_empty() {
        message.push_str(&format!(" ({})", variables.join(", ")));
    }
    let causes = row_causes
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{}. {c}", i + 1))
        .collect::<Vec<_>>()
        .join("; ");
    let rule = if row.watcher {
        Rule::WatcherError
    } else if row.not_actions.is_some() {
        Rule::NotKibanaActions
    } else {
        Rule::RecognisedError
    };
    let finding = Finding::new(rule, message).at(Some(at));
    // Only a Kibana connector's text is Kibana's message; another product's is not labelled so.
    let finding = if row.watcher || row.not_actions.is_some() {
        finding.label(format!(
            "from {}",
            row.not_actions
                .as_deref()
                .unwrap_or("Elasticsearch Watcher")
        ))
    } else {
        finding.kibana(text[f.start..f.end].to_string())
    };
    let finding = finding
        .help(row.fix_for(connector_type.map(|(t, _)| t)).to_string())
        .note(format!("likely causes: {causes}. {confirmation}"))
        .details(serde_json::json!({
            "catalogue_row": row.id,
            "title": row.title,
            "not_kibana_actions": row.not_actions,
            "phase": row.phase,
            "captures": f.captures,
            "causes": row_causes,
            "kibana_version": version.map(|(v, from)| serde_json::json!({"version": v.to_string(), "from": from})),
            "connector_type": connector_type.map(|(t, from)| serde_json::json!({"type": t, "from": from})),
            "confirm_with": row.modules,
            "confirmed": confirmed,
            "confirmed_by": confirmed_by,
        }));
    let line = format!(
        "#{} {}{}",
        row.id,
        row.title,
        match confirmed {
            Some(true) => " (confirmed)",
            Some(false) => " (not confirmed here)",
            None => "",
        }
    );
    (finding, line)
}

/// Reads the connector's failed executions from Kibana into `opts`: their texts, one line each
/// (`<timestamp> <message>`), become the input, the connector's type picks the fixes, and its
/// URL is the one `check` confirms with.
fn from_kibana(opts: &mut DiagnoseOptions, k: FromKibana) -> Result<Failed, InputError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| InputError::Runtime(e.to_string()))?;
    let client = Client::new(k.connection).map_err(InputError::Kibana)?;
    let failed = runtime
        .block_on(executions::failed(&client, &k.connector_id, k.limit))
        .map_err(InputError::Kibana)?;
    opts.input = failed
        .executions
        .iter()
        .map(|e| format!("{} {}", e.timestamp, e.text))
        .collect::<Vec<_>>()
        .join("\n");
    opts.input_name = format!("connector {} (Kibana execution log)", k.connector_id);
    if let (Some(check), Some(url)) = (opts.check.as_mut(), &failed.connector.url)
        && check.lint.connector.is_none()
        && !check.lint.urls.contains(url)
    {
        check.lint.urls.push(url.clone());
    }
    Ok(failed)
}

/// The connector has not failed lately: nothing to diagnose, and where we looked.
fn no_failures_finding(input_id: FileId, f: &Failed) -> Finding {
    Finding::new(
        Rule::NoFailedExecutions,
        format!(
            "connector `{}` ({}{}) has no failed executions in the last {} days",
            f.connector.id,
            f.connector.type_id,
            if f.connector.name.is_empty() {
                String::new()
            } else {
                format!(", \"{}\"", f.connector.name)
            },
            executions::DAYS
        ),
    )
    .at(Some(Location {
        file: input_id,
        span: Span::point(Pos::new(1, 1)),
    }))
    .note(format!("read from {}", f.api))
    .help("to test it now: `kibana-preflight check kibana.yml --connector spec.json --test`, or press Test in Kibana and diagnose its message")
}

/// Nothing in the text matched the catalogue: point at `check` instead.
fn unrecognised_finding(input_id: FileId) -> Finding {
    Finding::new(
        Rule::UnrecognisedText,
        "no known Kibana connector error in this text",
    )
    .at(Some(Location {
        file: input_id,
        span: Span::point(Pos::new(1, 1)),
    }))
    .help("run `kibana-preflight check kibana.yml --url <webhook URL>` (with KIBANA_URL to include the running Kibana): it tests every prerequisite directly")
}

/// The diagnose module's line: failed when a connector error was recognised, a warning when
/// only Watcher errors were.
fn diagnose_module(found: &[catalogue::Recognised], lines: &[String]) -> ModuleReport {
    ModuleReport {
        module: Module::Diagnose,
        status: if found.is_empty() {
            Status::Skip
        } else if found
            .iter()
            .all(|f| f.row.watcher || f.row.not_actions.is_some())
        {
            Status::Warn
        } else {
            Status::Fail
        },
        summary: if found.is_empty() {
            "nothing recognised".into()
        } else {
            format!("recognised: {}", lines.join("; "))
        },
    }
}

/// The report to fill when no check ran.
fn empty_report() -> Report {
    Report {
        sources: SourceMap::new(),
        findings: Vec::new(),
        modules: Vec::new(),
        secrets: Secrets::new(),
        subject: None,
        config_files: Vec::new(),
        version: crate::version::Version::DEFAULT,
        targets: Vec::new(),
        probes: Vec::new(),
        deploy: None,
    }
}

/// Whether the checks confirm the row: a finding of one of its rules (confirmed), its modules
/// ran and passed (not confirmed here), or nothing ran.
fn confirm(row: &catalogue::Row, report: Option<&Report>) -> (String, Option<bool>, Vec<String>) {
    let Some(report) = report else {
        let modules = if row.modules.is_empty() {
            "no check module tests this".to_string()
        } else {
            format!(
                "confirm with `kibana-preflight check` (modules: {})",
                row.modules.join(", ")
            )
        };
        return (modules, None, Vec::new());
    };
    let by: Vec<String> = report
        .findings
        .iter()
        .filter(|f| row.rules.iter().any(|r| r == f.rule.name()))
        .map(|f| f.rule.name().to_string())
        .collect();
    if !by.is_empty() {
        let mut unique = by.clone();
        unique.dedup();
        return (
            format!("confirmed by the checks: {}", unique.join(", ")),
            Some(true),
            unique,
        );
    }
    let ran: Vec<&ModuleReport> = report
        .modules
        .iter()
        .filter(|m| row.modules.iter().any(|n| n == m.module.name()))
        .filter(|m| m.status != Status::Skip)
        .collect();
    if ran.is_empty() {
        (
            format!(
                "the checks could not test it here (modules {} did not run: give --url, --connector or KIBANA_URL)",
                row.modules.join(", ")
            ),
            None,
            Vec::new(),
        )
    } else {
        (
            format!(
                "not confirmed: {} passed from this machine — if Kibana runs elsewhere, run the check there",
                ran.iter()
                    .map(|m| m.module.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Some(false),
            Vec::new(),
        )
    }
}
