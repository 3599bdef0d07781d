//! Module `connector`: would Kibana accept this webhook connector, and can it authenticate?
//!
//! Checks the connector spec given with `--connector` (the body of `POST
//! /api/actions/connector[/<id>]`) and every preconfigured `.webhook` connector in kibana.yml
//! against the version's webhook schema and cross-field validator (`kibana::webhook`). Kibana
//! checks preconfigured connectors only when they run, so their problems surface at the first
//! alert, not at startup. Whether the URL's host is allowed is the `allowed-hosts` module's job.

use super::{Check, Context, Outcome};
use crate::kibana::settings::Preconfigured;
use crate::kibana::webhook::{self, Problem, ProblemKind, Switches};
use crate::model::connector::ConnectorSpec;
use crate::model::tree::{Node, Value};
use crate::report::finding::Finding;
use crate::rules::{Module, Rule, Severity};
use crate::source::env::Resolution;

pub(crate) struct Connector;

/// The id Kibana reserves for its alert-history connector (`preconfiguredAlertHistoryEsIndex`).
const RESERVED_ID: &str = "preconfigured-alert-history-es-index";

impl Check for Connector {
    fn module(&self) -> Module {
        Module::Connector
    }

    fn run(&self, cx: &Context, out: &mut Outcome) {
        let switches = Switches {
            pfx_disabled: cx
                .settings
                .webhook_pfx_enabled
                .as_ref()
                .filter(|s| !s.value)
                .map(|s| s.location()),
        };
        let mut checked = Vec::new();
        if let Some(spec) = cx.connector {
            spec_findings(cx, spec, switches, out);
            checked.push("the connector spec".to_string());
        }
        let mut preconfigured = 0;
        let mut refused = 0;
        for p in &cx.settings.preconfigured {
            if preconfigured_id(p, out) {
                refused += 1;
                continue;
            }
            let webhook = p
                .action_type_id
                .as_ref()
                .is_some_and(|t| t.value == ".webhook");
            if webhook {
                preconfigured_findings(cx, p, switches, out);
                preconfigured += 1;
            }
        }
        if preconfigured > 0 {
            checked.push(format!(
                "{preconfigured} preconfigured .webhook connector(s)"
            ));
        }
        if refused > 0 {
            checked.push(format!(
                "{refused} preconfigured connector(s) with an id Kibana refuses"
            ));
        }
        if checked.is_empty() {
            out.skipped = Some(
                "skipped: no connector to check (give one with --connector FILE; preconfigured .webhook connectors are checked too)".into(),
            );
            return;
        }
        let errors = out
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let verdict = if errors == 0 {
            format!("Kibana {} would accept", cx.version)
        } else {
            format!("Kibana {} would reject or fail", cx.version)
        };
        out.summary(format!("{verdict} {}", checked.join(" and ")));
    }
}

fn spec_findings(cx: &Context, spec: &ConnectorSpec, switches: Switches, out: &mut Outcome) {
    let v = cx.version;
    let mut problems = Vec::new();
    webhook::validate_body(&spec.body, spec.location(), &mut problems);
    let config = spec.config();
    let secrets = spec.secrets();
    webhook::validate_config(v, config, spec.location(), switches, &mut problems);
    webhook::validate_secrets(v, secrets, config, spec.location(), &mut problems);
    // The create route applies validateEmptyStrings to name and connector_type_id as well as to
    // every string in config and secrets (`[request body.name]: value '' is not valid`).
    let body = spec.body.as_map();
    let field = |key: &str| body.and_then(|m| m.get(key));
    for (field, node) in [
        ("name", field("name")),
        ("connector_type_id", field("connector_type_id")),
        ("config", config),
        ("secrets", secrets),
    ] {
        if let Some(node) = node {
            webhook::validate_empty_strings(v, field, node, &mut problems);
        }
    }
    for p in problems {
        out.push(finding(p, None));
    }
    if let Some(id) = &spec.id
        && let Some((message, kibana, help)) = webhook::id_problem(v, id)
    {
        let mut f = Finding::new(Rule::ConnectorInvalidId, message).help(help);
        if let Some(k) = kibana {
            f = f.kibana(k);
        }
        out.push(f);
    }
    env_refs(&spec.body, "", out);
    if let Some(map) = secrets.and_then(|s| s.as_map()) {
        for (key, node) in map {
            literal_secrets(key, node, out);
        }
    }
}

/// `${VAR}` references in the spec that the environment does not define.
fn env_refs(node: &Node, field: &str, out: &mut Outcome) {
    match &node.value {
        Value::Str(text) => {
            for r in text
                .env
                .iter()
                .filter(|r| r.resolution == Resolution::Missing)
            {
                out.push(
                    Finding::new(
                        Rule::ConnectorEnvVarMissing,
                        format!("`{field}` refers to ${{{}}}, which is not set", r.name),
                    )
                    .at(node.origin.location())
                    .help(format!(
                        "set {} in the environment (or an --env-file) before running",
                        r.name
                    )),
                );
            }
        }
        Value::Map(m) => {
            for (k, child) in m {
                let f = if field.is_empty() {
                    k.clone()
                } else {
                    format!("{field}.{k}")
                };
                env_refs(child, &f, out);
            }
        }
        Value::Seq(items) => {
            for (i, child) in items.iter().enumerate() {
                env_refs(child, &format!("{field}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Secret values written into the spec file instead of coming from the environment.
fn literal_secrets(key: &str, node: &Node, out: &mut Outcome) {
    match &node.value {
        Value::Str(text) if text.env.is_empty() && !text.value.is_empty() => out.push(
            Finding::new(
                Rule::SecretInConnectorFile,
                format!("`secrets.{key}` is written in the file"),
            )
            .at(node.origin.location())
            .help(format!(
                "write `\"{}\": \"${{WEBHOOK_{}}}\"` and set the variable in the job's secret store",
                key.rsplit('.').next().unwrap_or(key),
                env_name(key)
            )),
        ),
        Value::Map(m) => {
            for (k, child) in m {
                literal_secrets(&format!("{key}.{k}"), child, out);
            }
        }
        _ => {}
    }
}

fn preconfigured_findings(cx: &Context, p: &Preconfigured, switches: Switches, out: &mut Outcome) {
    let v = cx.version;
    let mut problems = Vec::new();
    webhook::validate_config(v, p.config.as_ref(), p.key, switches, &mut problems);
    webhook::validate_secrets(
        v,
        p.secrets.as_ref(),
        p.config.as_ref(),
        p.key,
        &mut problems,
    );
    let path = p.path.to_string();
    for problem in problems {
        let setting = format!("{path}.{}", problem.field);
        let mut f = finding(problem, Some(&p.id));
        f = f.setting_str(&setting);
        if f.note.is_none() && f.severity == Severity::Error {
            f = f.note("Kibana checks preconfigured connectors when they run, not at startup: every run of this connector fails");
        }
        out.push(f);
    }
}

/// Ids Kibana refuses (`[preconfigured]` schema) or skips (the reserved one). True when the
/// connector is not used at all.
fn preconfigured_id(p: &Preconfigured, out: &mut Outcome) -> bool {
    if p.id.is_empty() {
        out.push(
            Finding::new(
                Rule::ConnectorInvalidId,
                "a preconfigured connector has an empty id; Kibana refuses to start",
            )
            .at(p.key)
            .setting_str("xpack.actions.preconfigured")
            .kibana("[config validation of [xpack.actions].preconfigured]: invalid preconfigured action id \"\"")
            .help("give the connector a non-empty id"),
        );
        return true;
    }
    if p.id == RESERVED_ID {
        out.push(
            Finding::new(
                Rule::ReservedPreconfiguredId,
                format!("the preconfigured connector `{RESERVED_ID}` is skipped: the id is reserved for Kibana's alert-history connector"),
            )
            .at(p.key)
            .setting(&p.path)
            .kibana(format!("Preconfigured connectors cannot have the id \"{RESERVED_ID}\" because this is a reserved id."))
            .help("rename the connector"),
        );
        return true;
    }
    false
}

fn finding(p: Problem, preconfigured: Option<&str>) -> Finding {
    let rule = match p.kind {
        ProblemKind::Body => Rule::ConnectorBodyInvalid,
        ProblemKind::Url => Rule::ConnectorInvalidUrl,
        ProblemKind::Config => Rule::ConnectorConfigInvalid,
        ProblemKind::Secrets => Rule::ConnectorSecretsInvalid,
        ProblemKind::EmptyValue => Rule::ConnectorEmptyValue,
        ProblemKind::AuthTypeWithoutAuth => Rule::ConnectorAuthTypeWithoutAuth,
        ProblemKind::PfxDisabled => Rule::ConnectorPfxDisabled,
        ProblemKind::OAuth2 => Rule::ConnectorOauth2Incomplete,
        ProblemKind::Ca => Rule::ConnectorCaUnreadable,
        ProblemKind::NoCredentials => Rule::ConnectorNoCredentials,
        ProblemKind::CredentialInHeaders => Rule::CredentialInConfigHeaders,
    };
    let message = match preconfigured {
        Some(id) => format!("preconfigured connector `{id}`: {}", p.message),
        None => p.message,
    };
    let mut f = Finding::new(rule, message).at(p.at).help(p.help);
    if let Some((at, label)) = p.also {
        f = f.also(Some(at), label);
    }
    if let Some(k) = p.kibana {
        f = f.kibana(k);
    }
    if let Some(n) = p.note {
        f = f.note(n);
    }
    if p.unverified && f.severity == Severity::Error {
        f = f.severity(Severity::Warning);
    }
    if preconfigured.is_none() {
        f = f.setting_str(&p.field);
    }
    f
}

/// A variable name for a secret's path: `secretHeaders.X-Signature` → `SECRETHEADERS_X_SIGNATURE`.
fn env_name(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}
