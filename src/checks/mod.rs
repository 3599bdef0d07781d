//! Check modules: one per prerequisite of a working webhook connector. Every module implements
//! [`Check`], reads the model through [`Context`], and returns findings plus a one-line summary.
//! Modules never print and never touch the disk or the network: the pipeline hands them
//! everything they need.
//!
//! Adding a module: a file here, its rules under `rules/<module>/`, fixtures under
//! `fixtures/rules/`, and one line in [`CHECKS`].

pub(crate) mod allowed_hosts;
pub(crate) mod config;
pub(crate) mod connector;
pub(crate) mod connector_type;
pub(crate) mod custom_host_settings;
pub(crate) mod deploy;
pub(crate) mod dns;
pub(crate) mod encryption_key;
pub(crate) mod kibana_api;
pub(crate) mod proxy;
pub(crate) mod tcp;
pub(crate) mod tls;
pub(crate) mod tunnel;

use std::collections::HashMap;

use crate::kibana::custom_hosts::Resolved;
use crate::kibana::schema::Validated;
use crate::kibana::settings::Settings;
use crate::kibana::target::Target;
use crate::model::connector::ConnectorSpec;
use crate::model::load::Loaded;
use crate::report::finding::{Finding, ModuleReport, Status, counts};
use crate::rules::{Module, Severity};
use crate::source::SourceMap;
use crate::source::files::CaFileStatus;
use crate::version::Version;

/// Which sources the run had, so messages can say what was and was not looked at.
#[derive(Clone, Debug, Default)]
pub(crate) struct SourcesSeen {
    pub(crate) yml_files: usize,
    pub(crate) docker_env: bool,
    pub(crate) keystore: bool,
    /// The Kibana of a Compose file or manifest the configuration was taken from
    /// ("service kibana of a Docker Compose file").
    pub(crate) container: Option<String>,
    /// Settings set outside the files (ECK's generated keys, secureSettings), and by what.
    pub(crate) provided: Vec<(String, String)>,
    /// Files a container service reads that could not be read (mounts, env files).
    pub(crate) unread: Vec<String>,
    /// The other Kibanas of that file, not linted in this run.
    pub(crate) others: Vec<String>,
}

/// Everything a check may read.
pub(crate) struct Context<'a> {
    pub(crate) version: Version,
    /// Whether `--kibana-version` was given (otherwise the default is in use).
    pub(crate) version_given: bool,
    pub(crate) sources: &'a SourceMap,
    pub(crate) loaded: &'a Loaded,
    pub(crate) validated: &'a Validated,
    pub(crate) settings: &'a Settings,
    /// CA files named by customHostSettings, read as Kibana reads them, by configured path.
    pub(crate) ca_files: &'a HashMap<String, CaFileStatus>,
    /// customHostSettings entries after Kibana's startup processing.
    pub(crate) custom_hosts: &'a [Resolved],
    /// The webhook URLs to judge: `--url`s, the connector spec's, preconfigured connectors'.
    pub(crate) targets: &'a [Target],
    /// The connector spec given with `--connector`.
    pub(crate) connector: Option<&'a ConnectorSpec>,
    /// What the network probes found (`check` only); the live modules run only with it.
    pub(crate) live: Option<&'a Live>,
    pub(crate) inputs: SourcesSeen,
    /// The third-party plugins the project policy declares installed (`[plugins] installed`).
    pub(crate) installed_plugins: Option<&'a [String]>,
}

/// The network probes' results, one per target (`None`: the target could not be probed).
#[derive(Clone, Debug, Default)]
pub(crate) struct Live {
    pub(crate) outcomes: Vec<Option<crate::probe::TargetProbe>>,
    /// Why a target was not probed, by index.
    pub(crate) not_probed: Vec<Option<String>>,
    pub(crate) expiry_warning_days: u32,
    /// Unix seconds the chains were judged at.
    pub(crate) now: i64,
    /// Values to mask in every output (proxy credentials, headers sent, Kibana credentials).
    pub(crate) secrets: Vec<String>,
    /// What the running Kibana said (`KIBANA_URL` given).
    pub(crate) kibana: Option<crate::kibana_api::facts::Facts>,
    /// The version was taken from the running Kibana (no --kibana-version).
    pub(crate) version_from_kibana: bool,
}

/// What a module found.
#[derive(Default)]
pub(crate) struct Outcome {
    pub(crate) findings: Vec<Finding>,
    /// One line for the summary table (defaults to a count of findings).
    pub(crate) summary: Option<String>,
    /// Set when the module could not run, with the reason.
    pub(crate) skipped: Option<String>,
}

impl Context<'_> {
    /// What the running Kibana said, when `check` asked it.
    pub(crate) fn kibana(&self) -> Option<&crate::kibana_api::facts::Facts> {
        self.live.and_then(|l| l.kibana.as_ref())
    }
}

impl Outcome {
    pub(crate) fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    pub(crate) fn summary(&mut self, s: impl Into<String>) {
        self.summary = Some(s.into());
    }
}

/// A check module.
pub(crate) trait Check: Sync {
    fn module(&self) -> Module;
    /// Whether the module can say anything useful about a file that did not fully parse.
    fn runs_on_incomplete_config(&self) -> bool {
        false
    }
    fn run(&self, cx: &Context, out: &mut Outcome);
}

/// Every check module, in the order they run and are reported.
pub(crate) static CHECKS: &[&dyn Check] = &[
    &config::KibanaConfig,
    &connector_type::ConnectorType,
    &allowed_hosts::AllowedHosts,
    &custom_host_settings::CustomHostSettings,
    &proxy::Proxy,
    &encryption_key::EncryptionKey,
    &connector::Connector,
    &dns::Dns,
    &tcp::Tcp,
    &tunnel::ProxyTunnel,
    &tls::Tls,
    &kibana_api::KibanaApi,
];

/// Runs every module and returns their findings and verdicts.
pub(crate) fn run_all(cx: &Context) -> (Vec<Finding>, Vec<ModuleReport>) {
    let mut findings = Vec::new();
    let mut reports = Vec::new();
    for check in CHECKS {
        if check.module().live() && cx.live.is_none() {
            continue;
        }
        let mut out = Outcome::default();
        if cx.loaded.incomplete && !check.runs_on_incomplete_config() {
            let foreign = cx
                .loaded
                .issues
                .iter()
                .any(|i| matches!(i, crate::model::load::LoadIssue::ForeignDocument { .. }));
            out.skipped = Some(if foreign {
                "skipped: the file is not a kibana.yml (see config)".into()
            } else if !cx.inputs.unread.is_empty() {
                format!(
                    "skipped: the service's configuration is not all here ({} cannot be read)",
                    cx.inputs.unread.join(", ")
                )
            } else {
                "skipped: the configuration could not be read completely (see config)".into()
            });
        } else if let Some(reason) = nothing_probed(cx).filter(|_| {
            matches!(
                check.module(),
                Module::Dns | Module::Tcp | Module::ProxyTunnel | Module::Tls
            )
        }) {
            out.skipped = Some(reason);
        } else if let Some(reason) = step_ran_for_none(cx, check.module()) {
            out.skipped = Some(reason);
        } else {
            check.run(cx, &mut out);
        }
        debug_assert!(out.findings.iter().all(|f| f.module() == check.module()));
        reports.push(report(check.module(), &out));
        findings.extend(out.findings);
    }
    (findings, reports)
}

fn report(module: Module, out: &Outcome) -> ModuleReport {
    if let Some(reason) = &out.skipped {
        return ModuleReport {
            module,
            status: Status::Skip,
            summary: reason.clone(),
        };
    }
    let count = |s: Severity| out.findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let status = Status::of(&out.findings);
    let summary = out
        .summary
        .clone()
        .unwrap_or_else(|| match (errors, warnings) {
            (0, 0) => "no problems found".to_string(),
            _ => counts(errors, warnings, count(Severity::Note)),
        });
    ModuleReport {
        module,
        status,
        summary,
    }
}

/// For a probe-step module: why the step ran for no target (each was skipped, e.g. not reached
/// because an earlier step failed, or did not apply), so the module says `skip`, never `pass`.
fn step_ran_for_none(cx: &Context, module: Module) -> Option<String> {
    let mut reasons: Vec<String> = Vec::new();
    for (_, o) in probed(cx) {
        let reason = crate::report::step_not_run(o, module)?;
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    (!reasons.is_empty()).then(|| format!("skipped: {}", reasons.join("; ")))
}

/// Why no target was probed, when none was.
fn nothing_probed(cx: &Context) -> Option<String> {
    let live = cx.live?;
    if live.outcomes.iter().any(Option::is_some) {
        return None;
    }
    Some(match live.not_probed.iter().flatten().next() {
        Some(why) => format!("skipped: nothing to probe ({why})"),
        None => "skipped: no webhook URL to probe (give --url or --connector)".to_string(),
    })
}

/// The targets the probes reached, with what they found (live modules only).
pub(crate) fn probed<'a>(
    cx: &'a Context<'a>,
) -> impl Iterator<
    Item = (
        &'a crate::kibana::target::Target,
        &'a crate::probe::TargetProbe,
    ),
> {
    let outcomes = cx.live.map(|l| l.outcomes.as_slice()).unwrap_or_default();
    cx.targets
        .iter()
        .zip(outcomes)
        .filter_map(|(t, o)| o.as_ref().map(|o| (t, o)))
}

/// A live finding about a target: where its URL is written (if anywhere), the URL, and the
/// message Kibana's connector test would show (`[CODE] message`).
pub(crate) fn live_finding(
    rule: crate::rules::Rule,
    t: &crate::kibana::target::Target,
    message: String,
    failure: Option<&crate::probe::Failure>,
) -> Finding {
    let mut f = Finding::new(rule, message)
        .at(t.location)
        .target(t.shown_url());
    match failure {
        // The probe gave up before Kibana would: Kibana's request waits responseTimeout and
        // axios then reports its own timeout. That is Kibana's text; the probe's is an
        // observation beside it.
        Some(failure) if failure.timed_out => {
            let ms = t.decision.response_timeout_ms;
            f = f
                .node_error("ECONNABORTED")
                .kibana(format!(
                    "error calling webhook, request failed: [ECONNABORTED] timeout of {ms}ms exceeded"
                ))
                .note(format!(
                    "observed by the probe: [{}] {} (its own --timeout); Kibana waits xpack.actions.responseTimeout ({ms} ms) before it gives up",
                    failure.node_error, failure.message
                ));
        }
        Some(failure) => {
            f = f.node_error(failure.node_error.code()).kibana(format!(
                "error calling webhook, request failed: [{}] {}",
                failure.node_error, failure.message
            ));
        }
        None => {}
    }
    f
}
