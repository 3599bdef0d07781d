//! The pre-validation deprecation handlers of 7.10–8.x (`renameFromRoot`, custom `unset`s).

use std::borrow::Cow;

use super::issues::{DeprecationEffect, IssueKind};
use super::spec::Spec;
use super::validate::Validator;
use crate::model::tree::{Node, SettingPath, Value};
use crate::version::Version;

impl Validator<'_> {
    /// The pre-validation deprecation handlers of 7.10–8.x (`renameFromRoot`, custom `unset`s).
    pub(super) fn apply_deprecations<'n>(
        &mut self,
        ns: &Spec,
        node: Cow<'n, Node>,
    ) -> Cow<'n, Node> {
        // Only 7.10–8.x had handlers; most runs never copy the subtree.
        let has_handlers = ns.key == "xpack.actions"
            && self.version < Version::new(9, 0, 0)
            && node.as_map().is_some_and(|m| {
                [
                    "whitelistedHosts",
                    "rejectUnauthorized",
                    "proxyRejectUnauthorizedCertificates",
                ]
                .iter()
                .any(|k| m.contains_key(*k))
            });
        if !has_handlers {
            return node;
        }
        let mut node = node.into_owned();
        let v = self.version;
        let Value::Map(map) = &mut node.value else {
            return Cow::Owned(node);
        };
        let old = self.schema.get("xpack.actions.whitelistedHosts");
        if let Some(spec) = old
            && spec.is_deprecated(v)
            && let Some(value) = map.get("whitelistedHosts").cloned()
        {
            let path = SettingPath::parse("xpack.actions.whitelistedHosts");
            let msg = spec.deprecation.clone().unwrap_or_default();
            if map.contains_key("allowedHosts") {
                self.issue(
                    IssueKind::Deprecated {
                        replacement: spec.replacement.clone(),
                        effect: DeprecationEffect::IgnoredBothSet,
                    },
                    &path,
                    Some(&value),
                    format!(
                        "{msg}. However, both keys are present. Ignoring \"xpack.actions.whitelistedHosts\""
                    ),
                );
            } else {
                self.issue(
                    IssueKind::Deprecated {
                        replacement: spec.replacement.clone(),
                        effect: DeprecationEffect::Renamed,
                    },
                    &path,
                    Some(&value),
                    msg,
                );
                map.insert("allowedHosts".into(), value);
            }
            map.shift_remove("whitelistedHosts");
        }
        // 7.16+ handlers `unset` the legacy TLS switches; ~7.15 left them in effect.
        for key in ["rejectUnauthorized", "proxyRejectUnauthorizedCertificates"] {
            let full = format!("xpack.actions.{key}");
            let Some(spec) = self.schema.get(&full) else {
                continue;
            };
            if !spec.is_deprecated(v) {
                continue;
            }
            let Some(value) = map.get(key).cloned() else {
                continue;
            };
            let unset = v >= Version::new(7, 16, 0);
            self.issue(
                IssueKind::Deprecated {
                    replacement: spec.replacement.clone(),
                    effect: if unset {
                        DeprecationEffect::Unset
                    } else {
                        DeprecationEffect::Kept
                    },
                },
                &SettingPath::parse(&full),
                Some(&value),
                spec.deprecation.clone().unwrap_or_default(),
            );
            if unset {
                map.shift_remove(key);
            }
        }
        Cow::Owned(node)
    }
}
