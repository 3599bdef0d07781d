//! Module `connector-type`: is `.webhook` enabled by `xpack.actions.enabledActionTypes`?
//!
//! Kibana (`actions_config.ts` `isActionTypeEnabled`) enables a type when the list holds `*` or
//! the exact id; any string is accepted by the schema, so `webhook` without the dot silently
//! enables nothing. The Gold licence `.webhook` also needs can only be seen on a running Kibana.

use super::{Check, Context, Outcome};
use crate::kibana::settings::Setting;
use crate::report::finding::Finding;
use crate::rules::{Module, Rule};
use crate::suggest::suggest;

pub(crate) struct ConnectorType;

const WEBHOOK: &str = ".webhook";

impl Check for ConnectorType {
    fn module(&self) -> Module {
        Module::ConnectorType
    }

    fn run(&self, cx: &Context, out: &mut Outcome) {
        offline(cx, out);
        live(cx, out);
    }
}

/// What the running Kibana's `connector_types` says (kibana-api.md §1.2): `enabled_in_config`
/// (enabledActionTypes, wherever it was set) and `enabled_in_license` (Gold or better, active).
fn live(cx: &Context, out: &mut Outcome) {
    let Some(facts) = cx.kibana() else { return };
    let Some(Ok(answer)) = &facts.connector_types else {
        return;
    };
    if !answer.ok() || answer.json.is_none() {
        return; // kibana-api explains the answer
    }
    let Some(t) = facts.webhook_type() else {
        out.push(
            Finding::new(
                Rule::WebhookNotAvailable,
                "the running Kibana offers no `.webhook` connector type",
            )
            .kibana("Action type \".webhook\" is not registered.")
            .help("webhook connectors are part of the stack connectors plugin; check the deployment (serverless projects and custom builds may not offer them)"),
        );
        out.summary("the running Kibana has no .webhook connector type");
        return;
    };
    let flag = |k: &str| t.get(k).and_then(|v| v.as_bool());
    let offline_said_so = out
        .findings
        .iter()
        .any(|f| f.rule == Rule::WebhookNotEnabled);
    if flag("enabled_in_config") == Some(false) && !offline_said_so {
        out.push(
            Finding::new(
                Rule::WebhookDisabledInConfig,
                "the running Kibana has `.webhook` disabled by xpack.actions.enabledActionTypes (set outside the files given: keystore, environment or another config file)",
            )
            .kibana(format!("action type \"{WEBHOOK}\" is not enabled in the Kibana config xpack.actions.enabledActionTypes"))
            .help("add \".webhook\" to xpack.actions.enabledActionTypes where the running Kibana reads it, and restart"),
        );
    }
    let license = facts.license();
    let lic = |k: &str| {
        license
            .and_then(|l| l.get(k))
            .and_then(|v| v.as_str())
            .unwrap_or("unknown")
            .to_string()
    };
    let (ltype, lstatus) = (lic("type"), lic("status"));
    let expiry = license
        .and_then(|l| l.get("expiryDateInMillis"))
        .and_then(|v| v.as_i64())
        .map(|ms| format!(", expires {}", crate::certs::cert::ymd(ms / 1000)))
        .unwrap_or_default();
    if flag("enabled_in_license") == Some(false) {
        let required = t
            .get("minimum_license_required")
            .and_then(|v| v.as_str())
            .unwrap_or("gold");
        let kibana = match lstatus.as_str() {
            "expired" => format!(
                "Action type {WEBHOOK} is disabled because your {ltype} license has expired."
            ),
            "unknown" => format!(
                "Action type {WEBHOOK} is disabled because license information is not available at this time."
            ),
            _ => format!(
                "Action type {WEBHOOK} is disabled because your {ltype} license does not support it. Please upgrade your license."
            ),
        };
        out.push(
            Finding::new(
                Rule::WebhookNotLicensed,
                format!("`.webhook` needs a {required} licence; this cluster's licence is {ltype} ({lstatus}{expiry})"),
            )
            .kibana(kibana)
            .help("upgrade the Elasticsearch licence (or start a trial: POST _license/start_trial) — the licence lives in Elasticsearch, not in kibana.yml"),
        );
        out.summary(format!(
            "the running Kibana disables .webhook: it needs {required}, the licence is {ltype} ({lstatus}{expiry})"
        ));
    }
    if flag("enabled_in_config") == Some(false) {
        out.summary("the running Kibana disables .webhook in xpack.actions.enabledActionTypes");
    }
    if flag("enabled_in_config") == Some(true) && flag("enabled_in_license") == Some(true) {
        out.summary(format!(
            ".webhook is enabled in the running Kibana's config and licence ({ltype}, {lstatus}{expiry})"
        ));
    }
}

fn offline(cx: &Context, out: &mut Outcome) {
    let s = cx.settings;
    if let Some(enabled) = &s.actions_enabled
        && !enabled.value
    {
        out.push(
                Finding::new(
                    Rule::WebhookNotEnabled,
                    "`xpack.actions.enabled: false` disables the actions plugin: no connector can be created or run",
                )
                .at(enabled.location())
                .setting(&enabled.path)
                .help("remove `xpack.actions.enabled`; to limit connector types use `xpack.actions.enabledActionTypes`"),
            );
        out.summary("the actions plugin is disabled");
        return;
    }
    let Some(types) = &s.enabled_action_types else {
        out.skipped =
            Some("skipped: xpack.actions.enabledActionTypes is invalid (see config)".into());
        return;
    };
    for entry in &types.value {
        unknown_type(entry, out);
    }
    let enabled = types
        .value
        .iter()
        .any(|t| t.value == "*" || t.value == WEBHOOK);
    if enabled {
        let how = if types.is_default() {
            "xpack.actions.enabledActionTypes is not set (default [\"*\"])".to_string()
        } else if types.value.iter().any(|t| t.value == WEBHOOK) {
            "listed in xpack.actions.enabledActionTypes".to_string()
        } else {
            "xpack.actions.enabledActionTypes holds \"*\"".to_string()
        };
        out.summary(format!(
            ".webhook is enabled: {how}; its Gold licence can only be checked on a running Kibana"
        ));
        return;
    }
    let kibana = format!(
        "action type \"{WEBHOOK}\" is not enabled in the Kibana config xpack.actions.enabledActionTypes"
    );
    let message = if types.value.is_empty() {
        "`xpack.actions.enabledActionTypes` is empty, which disables every connector type, `.webhook` included".to_string()
    } else {
        "`xpack.actions.enabledActionTypes` does not include `.webhook`: webhook connectors cannot be created or run".to_string()
    };
    let mut f = Finding::new(Rule::WebhookNotEnabled, message)
        .at(types.location())
        .setting(&types.path)
        .kibana(kibana)
        .help("add \".webhook\" to the list (or use [\"*\"] to enable every type)");
    let preconfigured = s
        .preconfigured
        .iter()
        .filter(|p| {
            p.action_type_id
                .as_ref()
                .is_some_and(|t| t.value == WEBHOOK)
        })
        .count();
    if preconfigured > 0 {
        f = f.note(format!(
                "{preconfigured} preconfigured .webhook connector(s) still run (Kibana's isActionExecutable allows them), but new ones cannot be created"
            ));
    }
    out.push(f);
    out.summary(".webhook is not enabled by xpack.actions.enabledActionTypes");
}

/// Entries that enable nothing: ids without their leading dot, or near-misses of `.webhook`.
fn unknown_type(entry: &Setting<String>, out: &mut Outcome) {
    let id = entry.value.as_str();
    if id == "*" || id == WEBHOOK {
        return;
    }
    let (message, suggestion) = if !id.starts_with('.') {
        let dotted = format!(".{id}");
        (
            format!(
                "`{id}` is not a connector type id: built-in ids start with a dot, so this enables nothing"
            ),
            Some(match suggest(&dotted, [WEBHOOK]) {
                Some(webhook) => webhook.to_string(),
                None => dotted,
            }),
        )
    } else if suggest(id, [WEBHOOK]).is_some() {
        (
            format!("`{id}` is not a connector type id; it looks like a misspelling of `.webhook`"),
            Some(WEBHOOK.to_string()),
        )
    } else {
        return;
    };
    let mut f = Finding::new(Rule::UnknownActionType, message)
        .at(entry.location())
        .setting(&entry.path);
    if let Some(s) = suggestion {
        f = f.help(format!("did you mean `{s}`?"));
    }
    out.push(f);
}
