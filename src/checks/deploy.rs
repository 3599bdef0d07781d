//! Module `deploy` (`check` with `KIBANA_URL`, `--connector` and a connector id): what became of
//! the create/update/test requests, judged after the fact. Unlike the other modules it runs
//! after the checks, because its requests are only sent when they found no error.

use crate::kibana_api::connectors::{Deploy, DeployOutcome, Tested};
use crate::report::Report;
use crate::report::finding::{Finding, ModuleReport, Status};
use crate::rules::{Module, Rule};

/// The findings and the verdict line for what was (or would be) sent.
pub(crate) fn judge(d: &Deploy, report: &Report) -> (Vec<Finding>, ModuleReport) {
    let mut findings = Vec::new();
    let mut summary = outcome(d, &mut findings);
    if let Some(t) = &d.test {
        summary.push_str(&format!("; test: {}", t.status));
        if t.status != "ok" {
            findings.push(test_failed(d, t, report));
        }
    }
    let status = match Status::of(&findings) {
        Status::Pass
            if matches!(
                d.outcome,
                DeployOutcome::Planned | DeployOutcome::Gated { .. }
            ) =>
        {
            Status::Skip
        }
        status => status,
    };
    (
        findings,
        ModuleReport {
            module: Module::Deploy,
            status,
            summary,
        },
    )
}

/// What became of the create/update request: its summary line, with a finding pushed when
/// something needs doing.
fn outcome(d: &Deploy, findings: &mut Vec<Finding>) -> String {
    let target = d.request.url.clone();
    match &d.outcome {
        DeployOutcome::Planned => format!(
            "planned, not sent (add --create): {} {}",
            d.request.method, d.request.url
        ),
        DeployOutcome::Gated { errors } => {
            format!("not sent: the checks found {errors} error(s); fix them and run again")
        }
        DeployOutcome::Created {
            id,
            is_missing_secrets,
        } => {
            if *is_missing_secrets {
                findings.push(
                    Finding::new(
                        Rule::ConnectorMissingSecrets,
                        format!("connector `{id}` was created but Kibana reports is_missing_secrets: true"),
                    )
                    .target(target.clone())
                    .help("send the secrets again with --update"),
                );
            }
            format!("created connector `{id}`")
        }
        DeployOutcome::Unchanged { id } => format!(
            "connector `{id}` exists with the same name and config: unchanged (secrets cannot be compared; --update resends them)"
        ),
        DeployOutcome::Updated { id } => {
            format!("updated connector `{id}` (config and secrets replaced)")
        }
        DeployOutcome::Differs { id, diff } => {
            findings.push(differs(target, id, diff));
            format!(
                "connector `{id}` exists and differs ({} change(s))",
                diff.len()
            )
        }
        DeployOutcome::Rejected {
            status,
            error,
            message,
        } => {
            findings.push(rejected(d, *status, error, message));
            format!("rejected: {status} {error}")
        }
        DeployOutcome::Failed { message } => {
            findings.push(
                Finding::new(Rule::ConnectorRequestFailed, message.clone())
                    .target(target.clone())
                    .help("check Kibana's log at the time of the request, and any proxy between this machine and Kibana"),
            );
            "the request got no usable answer".to_string()
        }
    }
}

/// A connector with the id exists and is not what the spec says: it was left alone.
fn differs(target: String, id: &str, diff: &[String]) -> Finding {
    Finding::new(
        Rule::ConnectorDiffers,
        format!(
            "connector `{id}` already exists and differs from the spec: {}",
            diff.join("; ")
        ),
    )
    .target(target)
    .kibana(format!("Saved object [action/{id}] conflict"))
    .help("run with --update to replace it (config and secrets are sent again), or use another --connector-id")
}

/// Kibana refused the request: a 403 is about privileges or licence, anything else about the spec.
fn rejected(d: &Deploy, status: u16, error: &str, message: &str) -> Finding {
    let (rule, help) = if status == 403 {
        (Rule::ConnectorRequestForbidden, forbidden_help(message))
    } else {
        (Rule::ConnectorRequestRejected, rejected_help(message))
    };
    Finding::new(
        rule,
        format!(
            "Kibana answered {status} {error} to {} {}",
            d.request.method, d.request.url
        ),
    )
    .target(d.request.url.clone())
    .kibana(message.to_string())
    .help(help)
}

fn forbidden_help(message: &str) -> String {
    if message.contains("license") {
        "the licence does not allow webhook connectors: see webhook-not-licensed".into()
    } else if message.contains("enabledActionTypes") {
        "add \".webhook\" to xpack.actions.enabledActionTypes of the running Kibana".into()
    } else {
        "give the credentials' role the Actions and Connectors privilege (`all`) in this space"
            .into()
    }
}

/// Points Kibana's validation message at the rule that explains it.
fn rejected_help(message: &str) -> String {
    let rule = if message.contains("is not added to the Kibana config xpack.actions.allowedHosts") {
        Some(Rule::TargetNotAllowed)
    } else if message.contains("unable to parse url") {
        Some(Rule::ConnectorInvalidUrl)
    } else if message.contains("must specify one of the following schemas") {
        Some(Rule::ConnectorSecretsInvalid)
    } else if message.contains("authType must be null or undefined") {
        Some(Rule::ConnectorAuthTypeWithoutAuth)
    } else if message.contains("value '' is not valid") {
        Some(Rule::ConnectorEmptyValue)
    } else if message.contains("already exists in a preconfigured action") {
        None
    } else if message.contains("Connector ID") {
        Some(Rule::ConnectorInvalidId)
    } else {
        None
    };
    match rule {
        Some(rule) => format!(
            "the running Kibana sees what `{r}` describes (`kibana-preflight explain {r}`): its settings differ from the files given",
            r = rule.name()
        ),
        None if message.contains("already exists in a preconfigured action") => {
            "the id belongs to a preconfigured connector: use another --connector-id".into()
        }
        None => "fix the connector spec as the message says".into(),
    }
}

/// A failed `_execute`, explained with the failure catalogue (the same one `diagnose` uses), and
/// confirmed or not by this run's own checks.
fn test_failed(d: &Deploy, t: &Tested, report: &Report) -> Finding {
    let service = t.service_message.clone().unwrap_or_default();
    let mut text = t.message.clone().unwrap_or_else(|| "no message".into());
    if !service.is_empty() {
        text.push_str(&format!(": {service}"));
    }
    let recognised = crate::kibana::failures::recognise(&text);
    let code = recognised
        .iter()
        .find_map(|r| r.captures.get("code").cloned());
    let help = match recognised.last() {
        Some(r) => {
            let row = r.row;
            let confirming: Vec<&str> = report
                .findings
                .iter()
                .filter(|f| row.rules.iter().any(|n| n == f.rule.name()))
                .map(|f| f.rule.name())
                .collect();
            let ran_and_passed = report.modules.iter().any(|m| {
                row.modules.iter().any(|n| n == m.module.name()) && m.status == Status::Pass
            });
            let why = if !confirming.is_empty() {
                format!("this run's checks show it too ({})", confirming.join(", "))
            } else if ran_and_passed {
                format!(
                    "the {} check passed from this machine, so the difference is Kibana's own network: run check where Kibana runs",
                    row.modules.join("/")
                )
            } else {
                "see `kibana-preflight diagnose` for the likely causes".to_string()
            };
            format!("{} — {why}", row.fix)
        }
        None => "`kibana-preflight diagnose` explains Kibana's error texts".into(),
    };
    let mut f = Finding::new(
        Rule::ConnectorTestFailed,
        format!("the test of connector `{}` failed: {text}", d.id),
    )
    .target(d.request.url.clone())
    .kibana(text)
    .help(help);
    if let Some(code) = code {
        f = f.node_error(code);
    }
    f
}
