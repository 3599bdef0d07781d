//! `uiSettings.overrides` ids a dotted key split: an Advanced Setting's id holds a colon
//! (`theme:darkMode`, `timelion:es.timefield`), and written as `uiSettings.overrides.theme.
//! darkMode` it becomes an override named `theme` holding `{darkMode: true}`. Kibana validates an
//! override only against a registered setting of that id and skips the others
//! (`ui_settings_service.ts` `validatesOverrides`: "overrides might contain UiSettings for a
//! disabled plugin"), so it starts and the override does nothing; where the id exists without a
//! colon (`defaultRoute`), its schema refuses the object and Kibana stops.

use crate::kibana::schema::{Availability, schema, ui_setting_schema};
use crate::model::tree::{Node, Seg, SettingPath};
use crate::report::finding::Finding;
use crate::rules::Rule;

use super::Context;

/// At most this many ids are suggested for one split override.
const SUGGESTED: usize = 3;

/// The two objects of Advanced Settings overrides: per space, and global (9.4 on).
const OVERRIDES: [&str; 2] = ["uiSettings.overrides", "uiSettings.globalOverrides"];

pub(super) fn findings(cx: &Context) -> Vec<Finding> {
    let mut out = quoted_ids(cx);
    let Some(overrides) = cx
        .loaded
        .root
        .at(&SettingPath::parse(OVERRIDES[0]))
        .and_then(Node::as_map)
    else {
        return out;
    };
    for (id, node) in overrides {
        // The ids Kibana registers without a colon take plain values (`defaultRoute`); an id
        // that starts with a quote is `quoted_ids`'.
        if id.contains(':') || quoted(id) || node.as_map().is_none_or(|m| m.is_empty()) {
            continue;
        }
        let mut meant: Vec<String> = Vec::new();
        let at = first_place(node);
        let mut path = String::new();
        super::coverage::each_leaf(node, &mut path, &mut |rest, _| {
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

/// An override id that starts with a quote: in `uiSettings.overrides."theme:darkMode"` the quotes
/// are characters of the plain YAML key that Kibana split at its dots. No Advanced Setting id
/// starts with one, so Kibana skips the override.
pub(super) fn quoted(id: &str) -> bool {
    id.starts_with(['"', '\''])
}

/// The override paths `quoted_ids` judges (for the "not judged" note).
pub(super) fn is_quoted_override(path: &SettingPath) -> bool {
    matches!(
        path.0.as_slice(),
        [Seg::Key(ui), Seg::Key(object), Seg::Key(id), ..]
            if ui == "uiSettings"
                && (object == "overrides" || object == "globalOverrides")
                && quoted(id)
    )
}

fn quoted_ids(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for object in OVERRIDES {
        // Before the release that has it, the whole object is an unknown key.
        if schema()
            .get(object)
            .is_some_and(|s| s.availability(cx.version) == Availability::NotYet)
        {
            continue;
        }
        let Some(overrides) = cx
            .loaded
            .root
            .at(&SettingPath::parse(object))
            .and_then(Node::as_map)
        else {
            continue;
        };
        for (id, node) in overrides.iter().filter(|(id, _)| quoted(id)) {
            let quote = &id[..1];
            let meant = id.trim_matches(['"', '\'']);
            out.push(
                Finding::new(
                    Rule::UiSettingIdQuoted,
                    format!(
                        "`{object}.{id}`: the quotes are part of the id, because they sit inside one dotted key that Kibana splits at its dots; Kibana {} sees an override named `{id}`, which no Advanced Setting has, and ignores it",
                        cx.version
                    ),
                )
                .at(first_place(node))
                .label(format!("the {quote} is part of the id"))
                .help(if node.as_map().is_some() {
                    // `"timelion:es.timefield"` was split at its dot too.
                    "the id holds a dot, and Kibana splits every kibana.yml key at its dots, quoted or nested: it cannot be overridden here; set it under Stack Management > Advanced Settings".to_string()
                } else {
                    format!(
                        "quote the whole key, or none of it (the colon needs no quotes): `\"{object}.{meant}\": …`"
                    )
                }),
            );
        }
    }
    out
}

/// Where a node was written: a mapping made of dotted keys has no place of its own, so its
/// first key's.
fn first_place(node: &Node) -> Option<crate::source::Location> {
    let mut at = node.key.or(node.origin.location());
    let mut path = String::new();
    super::coverage::each_leaf(node, &mut path, &mut |_, leaf| {
        at = at.or(leaf.key).or(leaf.origin.location());
    });
    at
}
