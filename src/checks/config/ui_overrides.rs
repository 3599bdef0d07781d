//! `uiSettings.overrides` ids a dotted key split: an Advanced Setting's id holds a colon
//! (`theme:darkMode`, `timelion:es.timefield`), and written as `uiSettings.overrides.theme.
//! darkMode` it becomes an override named `theme` holding `{darkMode: true}`. Kibana validates an
//! override only against a registered setting of that id and skips the others
//! (`ui_settings_service.ts` `validatesOverrides`: "overrides might contain UiSettings for a
//! disabled plugin"), so it starts and the override does nothing; where the id exists without a
//! colon (`defaultRoute`), its schema refuses the object and Kibana stops.

use crate::kibana::schema::ui_setting_schema;
use crate::model::tree::{Node, SettingPath};
use crate::report::finding::Finding;
use crate::rules::Rule;

use super::Context;

/// At most this many ids are suggested for one split override.
const SUGGESTED: usize = 3;

pub(super) fn findings(cx: &Context) -> Vec<Finding> {
    let Some(overrides) = cx
        .loaded
        .root
        .at(&SettingPath::parse("uiSettings.overrides"))
        .and_then(Node::as_map)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (id, node) in overrides {
        // The ids Kibana registers without a colon take plain values (`defaultRoute`).
        if id.contains(':') || node.as_map().is_none_or(|m| m.is_empty()) {
            continue;
        }
        let mut meant: Vec<String> = Vec::new();
        // A mapping made of dotted keys has no place of its own: its first key's.
        let mut at = node.key;
        let mut path = String::new();
        super::coverage::each_leaf(node, &mut path, &mut |rest, leaf| {
            at = at.or(leaf.key).or(leaf.origin.location());
            if meant.len() < SUGGESTED {
                meant.push(format!("{id}:{rest}"));
            }
        });
        // Whether Kibana registers a setting of that id is known for core's settings only.
        let fate = if ui_setting_schema(id, cx.version).is_some() {
            format!("the Advanced Setting `{id}` refuses an object, so Kibana does not start")
        } else {
            "ignored if no Advanced Setting has that id, refused at start-up if one has".to_string()
        };
        out.push(
            Finding::new(
                Rule::UiSettingIdSplit,
                format!(
                    "`uiSettings.overrides.{id}` holds a mapping, so Kibana {} sees an override named `{id}` holding an object, not `{}`: {fate}",
                    cx.version,
                    meant.first().map_or("", String::as_str)
                ),
            )
            .at(at)
            .label("split at the dots")
            .help(help(&meant)),
        );
    }
    out
}

/// The fix: the ids meant, written whole; an id that holds a dot itself (`timelion:es.
/// timefield`) cannot be written at all, as Kibana's loader splits every key at its dots, quoted
/// or nested.
fn help(meant: &[String]) -> String {
    let first = meant.first().map_or("", String::as_str);
    if first.contains('.') {
        return format!(
            "`{first}` holds a dot, and Kibana splits every kibana.yml key at its dots, quoted or nested: it cannot be overridden here; set it under Stack Management > Advanced Settings"
        );
    }
    let also = if meant.len() > 1 {
        let ids: Vec<String> = meant.iter().map(|m| format!("`{m}`")).collect();
        format!(" (the ids meant here: {})", ids.join(", "))
    } else {
        String::new()
    };
    format!(
        "write the id whole, colon included (Kibana splits keys only at dots): `\"uiSettings.overrides.{first}\": <value>`{also}"
    )
}
