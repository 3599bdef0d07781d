//! Roots of plugins that export no config schema: Kibana reads nothing under them.
//!
//! core's `ConfigService.isEnabledAtPath` (packages/kbn-config/src/config_service.ts): 7.16/7.17
//! read `<root>.enabled` itself and left every other key unused (core's unknown-key error, or
//! nothing once `enabled: false` marks the whole root handled); from 8.0 (PR #113495) any key
//! under the root throws at plugin discovery. docs/research/settings/roots-core-oss.md §1.4,
//! xpack-small-roots.md (CS716, CS80).

use super::issues::{DeprecationEffect, IssueKind};
use super::spec::Spec;
use super::validate::{Validator, leaves, unknown_keys};
use crate::model::tree::{Node, SettingPath, Value};

impl Validator<'_> {
    /// The issues of the keys written under `ns`, a root no schema owns in this version.
    pub(super) fn no_schema(&mut self, ns: &Spec, node: &Node) {
        let root = SettingPath::parse(ns.key);
        let leaves = leaves(node, &root);
        if self.version.major >= 8 {
            let kibana = format!("No validation schema has been defined for [{}]", ns.key);
            for (path, leaf) in leaves {
                self.issue(
                    IssueKind::NoSchema { root: ns.key },
                    &path,
                    Some(leaf),
                    kibana.clone(),
                );
            }
            return;
        }
        let enabled = root.key("enabled");
        // `enabled: false` marks the whole root handled: Kibana then ignores the rest.
        let disabled = node
            .as_map()
            .and_then(|m| m.get("enabled"))
            .is_some_and(|n| matches!(n.value, Value::Bool(false)));
        for (path, leaf) in leaves {
            if path == enabled {
                self.issue(
                    IssueKind::Deprecated {
                        replacement: None,
                        effect: DeprecationEffect::Kept,
                    },
                    &path,
                    Some(leaf),
                    format!(
                        "Configuring \"{}.enabled\" is deprecated and will be removed in 8.0.0.",
                        ns.key
                    ),
                );
            } else if !disabled {
                let kibana = unknown_keys(leaf, &path);
                self.issue(
                    IssueKind::Unknown { suggestion: None },
                    &path,
                    Some(leaf),
                    kibana,
                );
            }
        }
    }
}
