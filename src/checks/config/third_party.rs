//! Settings of third-party plugins (rules/data/third-party-plugins.toml): a note that they hold
//! only where the plugin is installed, or, when the project policy lists the installed plugins
//! and this one is not among them, the error Kibana stops with.

use crate::kibana::third_party::{Plugin, owner};
use crate::model::tree::Value;
use crate::report::finding::Finding;
use crate::rules::Rule;
use crate::source::Location;

use super::Context;

/// A known third-party root in the configuration, with its keys (dotted) and where each is.
pub(super) struct Found {
    pub(super) plugin: &'static Plugin,
    pub(super) keys: Vec<(String, Option<Location>)>,
}

/// The known third-party roots the configuration uses that get a finding (all of them, unless
/// the policy declares them installed).
pub(super) fn found(cx: &Context) -> Vec<Found> {
    let Value::Map(map) = &cx.loaded.root.value else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(root, node)| {
            let plugin = owner(root)?;
            if cx
                .installed_plugins
                .is_some_and(|installed| installed.iter().any(|p| p == root))
            {
                return None;
            }
            let mut keys = Vec::new();
            super::coverage::each_leaf(node, &mut root.clone(), &mut |path, leaf| {
                keys.push((path.to_string(), leaf.key.or(leaf.origin.location())));
            });
            Some(Found { plugin, keys })
        })
        .collect()
}

pub(super) fn findings(cx: &Context, found: &[Found]) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in found {
        let p = f.plugin;
        match cx.installed_plugins {
            // The installed plugins are declared, and this one is not among them.
            Some(_) => {
                for (key, at) in &f.keys {
                    out.push(
                        Finding::new(
                            Rule::UnknownSetting,
                            format!(
                                "`{key}` belongs to {}, which kibana-preflight.toml does not list as installed: Kibana {} refuses to start with it",
                                p.name, cx.version
                            ),
                        )
                        .at(*at)
                        .label("plugin not installed")
                        .kibana(unknown_message(key))
                        .help(format!(
                            "install the plugin ({}) and add \"{}\" to [plugins] installed, or remove the setting",
                            p.project, p.root
                        ))
                        .setting(&crate::model::tree::SettingPath::parse(key)),
                    );
                }
            }
            None => {
                let Some((first, at)) = f.keys.first() else {
                    continue;
                };
                out.push(
                    Finding::new(
                        Rule::ThirdPartyPluginSetting,
                        format!(
                            "{} setting(s) of {} (`{}.*`), a third-party plugin: Kibana starts with them only where that plugin is installed",
                            f.keys.len(),
                            p.name,
                            p.root
                        ),
                    )
                    .at(*at)
                    .label("third-party plugin")
                    .kibana(unknown_message(first))
                    .help(format!(
                        "where the plugin ({}) is installed, declare it in kibana-preflight.toml: [plugins] installed = [\"{}\"]; elsewhere remove these settings",
                        p.project, p.root
                    ))
                    .details(serde_json::json!({
                        "plugin": p.root, "project": p.project, "evidence": p.evidence,
                        "keys": f.keys.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
                    })),
                );
            }
        }
    }
    out
}

fn unknown_message(key: &str) -> String {
    format!(
        "Unknown configuration key(s): \"{key}\". Check for spelling errors and ensure that expected plugins are installed."
    )
}
