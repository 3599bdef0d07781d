//! Module `connector-type`: is `.webhook` enabled by `xpack.actions.enabledActionTypes`?
//!
//! Kibana (`actions_config.ts` `isActionTypeEnabled`) enables a type when the list holds `*` or
//! the exact id; any string is accepted by the schema, so `webhook` without the dot silently
//! enables nothing. The Gold licence `.webhook` also needs can only be seen on a running Kibana.

use super::{Check, Context, Outcome};
use crate::model::settings::Setting;
use crate::report::finding::Finding;
use crate::rules::{Module, Rule};

pub struct ConnectorType;

const WEBHOOK: &str = ".webhook";

impl Check for ConnectorType {
    fn module(&self) -> Module {
        Module::ConnectorType
    }

    fn run(&self, cx: &Context, out: &mut Outcome) {
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
            out.summary("skipped: xpack.actions.enabledActionTypes is invalid (see config)");
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
            Some(if strsim::levenshtein(&dotted, WEBHOOK) <= 2 {
                WEBHOOK.to_string()
            } else {
                dotted
            }),
        )
    } else if strsim::levenshtein(id, WEBHOOK) <= 2 {
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
