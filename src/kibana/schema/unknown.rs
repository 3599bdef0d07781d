//! Unknown keys: Kibana's message, and a suggestion from the table.

use super::issues::IssueKind;
use super::spec::{Availability, Spec};
use super::validate::{Validator, leaf_paths};
use crate::model::tree::{Node, SettingPath};
use crate::suggest::suggest;

impl Validator<'_> {
    /// The sibling (or any setting elsewhere) the user probably meant.
    pub(super) fn suggest(
        &self,
        key: &str,
        siblings: &[(&str, &Spec)],
        parent: &SettingPath,
    ) -> Option<String> {
        let available: Vec<&str> = siblings
            .iter()
            .filter(|(_, s)| {
                !matches!(
                    s.availability(self.version),
                    Availability::Removed | Availability::NotYet
                )
            })
            .map(|(n, _)| *n)
            .collect();
        if let Some(best) = suggest(key, available.iter().copied()) {
            return Some(parent.key(best).to_string());
        }
        // The key exists elsewhere, e.g. `xpack.actions.encryptionKey`.
        self.schema
            .specs()
            .iter()
            .filter(|s| s.key.rsplit('.').next() == Some(key) && !s.key.contains('['))
            .filter(|s| !s.key.contains('*'))
            .map(|s| s.key.clone())
            .next()
    }

    /// `xpack.encryptedsavedobjects`, `xpack.action`: keys meant for a namespace we know.
    pub(super) fn near_miss_namespaces(&mut self, root: &Node) {
        let Some(xpack) = root
            .as_map()
            .and_then(|m| m.get("xpack"))
            .and_then(Node::as_map)
        else {
            return;
        };
        let known: Vec<&str> = self
            .schema
            .namespaces()
            .filter_map(|s| s.key.strip_prefix("xpack."))
            .collect();
        for (k, node) in xpack {
            // Most xpack.* keys are other plugins; only near-misses in length can be typos.
            if known.contains(&k.as_str()) || known.iter().all(|n| n.len().abs_diff(k.len()) > 2) {
                continue;
            }
            let Some(best) = suggest(k, known.iter().copied()) else {
                continue;
            };
            let path = SettingPath::parse("xpack").key(k);
            let leaves = leaf_paths(node, &path);
            let listed = leaves
                .iter()
                .map(|p| format!("\"{p}\""))
                .collect::<Vec<_>>()
                .join(", ");
            self.issue(
                IssueKind::Unknown {
                    suggestion: Some(format!("xpack.{best}")),
                },
                &path,
                Some(node),
                format!(
                    "Unknown configuration key(s): {listed}. Check for spelling errors and ensure that expected plugins are installed."
                ),
            );
        }
    }
}
