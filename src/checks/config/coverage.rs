//! Which settings of a file the settings table judges for the chosen version, and the note
//! that lists the rest as not judged.

use crate::kibana::schema::{Availability, Spec, config_root, schema};
use crate::model::tree::{Node, Seg, SettingPath, Value};
use crate::report::finding::Finding;
use crate::rules::Rule;
use crate::source::Location;
use crate::version::Version;

/// Which settings of the merged configuration the settings table judges for this version (a
/// key it lists, or any key of a namespace it holds completely) and which it does not (listed as
/// not judged).
pub(super) struct Coverage {
    pub(super) judged: usize,
    pub(super) outside: Vec<(String, Option<Location>)>,
    version: Version,
    /// Objects whose keys the table holds only for some releases (a Fleet preconfiguration
    /// item), left open here: key pattern and window, for the note.
    items: Vec<(&'static str, String)>,
}

impl Coverage {
    /// `skip`: roots (`foo`, `xpack.foo`) other findings already judge (a set: a file may hold
    /// thousands of unknown roots, each with a leaf).
    /// `unjudged`: keys the validator let through under an open object of a held namespace.
    pub(super) fn of(
        root: &Node,
        version: Version,
        skip: &[&str],
        unjudged: &[SettingPath],
    ) -> Coverage {
        // Objects with a window among the open ones: an unknown key of such an object is let
        // through as the child of its parent's path.
        let mut items: Vec<(&'static str, String)> = Vec::new();
        for path in unjudged {
            let parent = SettingPath(path.0[..path.len().saturating_sub(1)].to_vec());
            if let Some(spec) = schema().spec_of(&parent)
                && !spec.namespace
                && let Some(window) = window(spec)
                && !items.iter().any(|(key, _)| *key == spec.key)
            {
                items.push((spec.key, window));
            }
        }
        let skip: rustc_hash::FxHashSet<&str> = skip.iter().copied().collect();
        // As each_leaf spells them: keys only (a list is one leaf, so a path into one stops there).
        let unjudged: rustc_hash::FxHashSet<String> = unjudged
            .iter()
            .map(|p| {
                let keys: Vec<&str> =
                    p.0.iter()
                        .map_while(|s| match s {
                            Seg::Key(k) => Some(k.as_str()),
                            Seg::Index(_) => None,
                        })
                        .collect();
                keys.join(".")
            })
            .collect();
        // A leaf at or below one of them.
        let under_open = |path: &str| {
            !unjudged.is_empty()
                && (unjudged.contains(path)
                    || path
                        .match_indices('.')
                        .any(|(at, _)| unjudged.contains(&path[..at])))
        };
        // Only namespaces under the file's own config roots can hold one of its leaves.
        let namespaces: Vec<&Spec> = schema().namespaces_for(root).collect();
        let mut coverage = Coverage {
            judged: 0,
            outside: Vec::new(),
            version,
            items,
        };
        let mut path = String::new();
        each_leaf(root, &mut path, &mut |path, node| {
            let first = path.split_once('.').map_or(path, |(first, _)| first);
            let root = config_root(path);
            if skip.contains(first) || skip.contains(root) {
                return;
            }
            let ns = namespaces.iter().find(|ns| {
                let ns = ns.key;
                path.starts_with(ns)
                    && (path.len() == ns.len() || path.as_bytes()[ns.len()] == b'.')
            });
            // A root a deprecation moves (`xpack.monitoring`) was judged where it went. What
            // the validator let through unwalked was not judged, rows below it or not.
            let judged = !under_open(path)
                && ns.is_some_and(|ns| {
                    ns.complete_for(version)
                    // A root this release does not have is an error whole.
                    || matches!(
                        ns.availability(version),
                        Availability::NotYet | Availability::Removed
                    )
                    || (ns.is_deprecated(version)
                        && ns
                            .moves_to
                            .and_then(|to| schema().get(to))
                            .is_some_and(|to| to.complete_for(version)))
                    || schema().spec_of(&SettingPath::parse(path)).is_some()
                });
            if judged {
                coverage.judged += 1;
            } else {
                coverage
                    .outside
                    .push((path.to_string(), node.key.or(node.origin.location())));
            }
        });
        coverage
    }

    /// One note listing what was not judged, grouped by namespace.
    pub(super) fn finding(&self) -> Finding {
        // Namespaces in first-seen order, counted in one pass.
        let mut groups: indexmap::IndexMap<String, usize, rustc_hash::FxBuildHasher> =
            Default::default();
        for (path, _) in &self.outside {
            *groups
                .entry(format!("{}.*", config_root(path)))
                .or_default() += 1;
        }
        let listed: Vec<String> = groups
            .iter()
            .take(12)
            .map(|(g, n)| format!("`{g}` ({n})"))
            .collect();
        let more = groups.len().saturating_sub(12);
        let why = if self.version.beyond_table() {
            format!(
                "Kibana {} is newer than the newest release kibana-preflight's settings table covers ({}), so keys the table does not know",
                self.version,
                Version::NEWEST
            )
        } else {
            "keys outside what kibana-preflight's settings table holds completely for this version"
                .to_string()
        };
        let f = Finding::new(
            Rule::SettingsNotJudged,
            format!(
                "{} setting(s) were not judged ({why}): {}{}",
                self.outside.len(),
                listed.join(", "),
                if more > 0 {
                    format!(" and {more} more namespace(s)")
                } else {
                    String::new()
                }
            ),
        )
        .at(self.outside.first().and_then(|(_, at)| *at))
        .help(self.help());
        match self.held_elsewhere(groups.keys()) {
            Some(note) => f.note(note),
            None => f,
        }
    }

    /// What Kibana does with them: overrides of Advanced Settings are checked against the
    /// setting registered under their id, and skipped when none is (ui_settings_service.ts).
    fn help(&self) -> &'static str {
        let overrides = self.outside.iter().any(|(path, _)| {
            path.starts_with("uiSettings.overrides.")
                || path.starts_with("uiSettings.globalOverrides.")
        });
        if overrides {
            "Kibana validates them at startup: an unknown or removed key stops it, and an Advanced Setting override stops it if the setting registered under that id refuses the value (an id nobody registers is skipped); start Kibana with this file to check them"
        } else {
            "Kibana validates them at startup (and refuses unknown or removed keys); start Kibana with this file to check them"
        }
    }

    /// Namespaces of the note the table holds for other releases, with their windows: why this
    /// version is not judged there, and which versions are.
    fn held_elsewhere<'g>(&self, groups: impl Iterator<Item = &'g String>) -> Option<String> {
        let held: Vec<String> = groups
            .filter_map(|g| schema().get(g.strip_suffix(".*")?))
            .filter(|ns| ns.namespace && !ns.open && !ns.complete_for(self.version))
            .filter_map(|ns| Some(format!("`{}.*` for Kibana {}", ns.key, window(ns)?)))
            .chain(
                self.items
                    .iter()
                    .map(|(key, window)| format!("the keys of `{key}` for Kibana {window}")),
            )
            .take(12)
            .collect();
        (!held.is_empty()).then(|| {
            format!(
                "judged for the releases their dated schema copies cover: {}",
                held.join(", ")
            )
        })
    }
}

/// A row's completeness window in whole minors (`8.8–9.4`), if it has one.
fn window(spec: &Spec) -> Option<String> {
    let minor = |v: Version| format!("{}.{}", v.major, v.minor);
    let (from, through) = (
        minor(spec.complete_from?),
        minor(spec.complete_through.unwrap_or(Version::NEWEST)),
    );
    Some(if from == through {
        from
    } else {
        format!("{from}–{through}")
    })
}

/// Calls `f` with the dotted path of every leaf under `node`, whose own path is `path` (empty at
/// the root; an empty map counts as a leaf), growing one buffer instead of cloning paths.
pub(super) fn each_leaf(node: &Node, path: &mut String, f: &mut dyn FnMut(&str, &Node)) {
    match &node.value {
        Value::Map(map) if !map.is_empty() => {
            let len = path.len();
            for (key, child) in map {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                each_leaf(child, path, f);
                path.truncate(len);
            }
        }
        _ if path.is_empty() => {}
        _ => f(path, node),
    }
}
