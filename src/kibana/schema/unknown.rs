//! Unknown keys: Kibana's message, and a suggestion from the table.

use super::issues::IssueKind;
use super::spec::Spec;
use super::validate::{Validator, unknown_keys};
use crate::kibana::roots::{self, roots};
use crate::kibana::third_party;
use crate::model::tree::{Node, SettingPath};
use crate::suggest::suggest;

/// Issues after which unknown roots get no suggestion.
const MAX_SUGGESTED: usize = 100;

impl Validator<'_> {
    /// For a key a branch of a tagged union does not know (`branch` is its row): the issue naming
    /// the first other kind this release has that takes the key.
    pub(super) fn other_kind(&self, branch: &Spec, key: &str) -> Option<IssueKind> {
        let (union, written) = branch.key.rsplit_once('#')?;
        let tag = self.schema.get(union)?.tag?;
        self.schema
            .branches_at(union, self.version)
            .filter(|(literal, _)| *literal != written)
            .find(|(_, other)| {
                self.schema
                    .children(other.key)
                    .any(|(name, s)| name == key && s.may_exist(self.version))
            })
            .map(|(_, other)| IssueKind::OtherKind {
                tag,
                written: branch.literal(),
                kind: other.literal(),
            })
    }

    /// The sibling (or any setting elsewhere) the user probably meant; `written` is the value
    /// given, so a setting elsewhere is named only where it fits.
    pub(super) fn suggest(
        &self,
        key: &str,
        written: &Node,
        siblings: &[(&str, &Spec)],
        parent: &SettingPath,
    ) -> Option<String> {
        let available: Vec<&str> = siblings
            .iter()
            .filter(|(_, s)| s.may_exist(self.version))
            .map(|(n, _)| *n)
            .collect();
        if let Some(best) = suggest(key, available.iter().copied()) {
            return Some(parent.key(best).to_string());
        }
        // The key exists elsewhere, e.g. `xpack.actions.encryptionKey`: a leaf for a plain
        // value, an object taking every key written for a mapping (`monitoring.ui.container.
        // kibana.enabled` is neither `xpack.fleet.agents.kibana` nor the root `kibana`).
        self.schema
            .keys_named(key)
            .iter()
            .filter(|other| self.schema.get(other).is_some_and(|s| !s.namespace))
            .find(|other| {
                let mut children = self.schema.children(other);
                match written.as_map() {
                    None => children.next().is_none(),
                    Some(map) => {
                        let children: Vec<&str> = children.map(|(n, _)| n).collect();
                        !children.is_empty() && map.keys().all(|k| children.contains(&k.as_str()))
                    }
                }
            })
            .map(|k| k.to_string())
    }

    /// Keys under a root no release from 7.17 to the newest knows (`elasticsaerch.hosts`,
    /// `xpack.fleeet.agents`): Kibana's unknown-key error, naming the root meant. Beyond the
    /// releases the root list covers, only near-misses of the `xpack` namespaces the table holds
    /// (`xpack.encryptedsavedobjects`), which no other plugin's root comes close to.
    pub(super) fn unknown_roots(&mut self, root: &Node) {
        let Some(map) = root.as_map() else {
            return;
        };
        let judged = roots::judged_for(self.version);
        let table_xpack: Vec<&str> = self
            .schema
            .namespaces()
            .filter_map(|s| s.key.strip_prefix("xpack."))
            .collect();
        for (key, node) in map {
            if key == "xpack" {
                let Some(children) = node.as_map() else {
                    continue;
                };
                for (name, child) in children {
                    if table_xpack.contains(&name.as_str()) || roots().knows_xpack(name) {
                        continue;
                    }
                    let suggestion = if judged && self.issues.len() >= MAX_SUGGESTED {
                        None
                    } else if judged {
                        suggest(name, roots().xpack())
                    } else {
                        // Beyond the list, only a near-miss of a namespace we hold is a typo.
                        match suggest(name, table_xpack.iter().copied()) {
                            Some(best) => Some(best),
                            None => continue,
                        }
                    };
                    let path = SettingPath::parse("xpack").key(name);
                    self.unknown_root(&path, child, suggestion.map(|s| format!("xpack.{s}")));
                }
            } else if judged
                && self.schema.get(key).is_none()
                && third_party::owner(key).is_none()
                && !roots().knows(key)
            {
                // Past the first hundred unknown roots (a generated or hostile file), no
                // did-you-mean: each costs a pass over every root.
                let suggestion = if self.issues.len() < MAX_SUGGESTED {
                    suggest(key, roots().top()).map(str::to_string)
                } else {
                    None
                };
                self.unknown_root(&SettingPath::parse(key), node, suggestion);
            }
        }
    }

    /// Kibana names every leaf under an unknown root (core's message, `unknown_keys`).
    fn unknown_root(&mut self, path: &SettingPath, node: &Node, suggestion: Option<String>) {
        let kibana = unknown_keys(node, path);
        self.issue(
            IssueKind::UnknownRoot { suggestion },
            path,
            Some(node),
            kibana,
        );
    }
}
