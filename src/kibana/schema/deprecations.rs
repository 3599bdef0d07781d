//! The pre-validation deprecation handlers: whole-root renames, and those of 7.10–8.x
//! (`renameFromRoot`, custom `unset`s) for `xpack.actions`.

use std::borrow::Cow;

use super::issues::{DeprecationEffect, IssueKind};
use super::spec::Spec;
use super::validate::{Validator, set_path};
use crate::model::tree::{Node, Seg, SettingPath, Value};
use crate::version::Version;

impl Validator<'_> {
    /// `rename`/`renameFromRoot(old, new)` of a row with `moves_to` (a whole root such as
    /// `xpack.monitoring`, or one key): `deprecation_factory.ts`'s `_rename` moves the value
    /// before validation; when the new path is written too, with another value, it drops the
    /// old one ("However, both keys are present. Ignoring …"), so none of it applies.
    pub(super) fn move_roots<'n>(&mut self, root: &'n Node) -> Cow<'n, Node> {
        let mut out = Cow::Borrowed(root);
        let schema = self.schema;
        for spec in schema.moves() {
            let Some(to_key) = &spec.moves_to else {
                continue;
            };
            if !spec.is_deprecated(self.version) {
                continue;
            }
            let from = SettingPath::parse(spec.key);
            let Some(old) = out.at(&from).cloned() else {
                continue;
            };
            let to = SettingPath::parse(to_key);
            let clash = out.at(&to).is_some_and(|new| !same_value(new, &old));
            let msg = spec.deprecation.map(str::to_string).unwrap_or_else(|| {
                format!("Setting \"{}\" has been replaced by \"{to_key}\"", spec.key)
            });
            let (kibana, effect) = if clash {
                (
                    format!(
                        "{msg}. However, both keys are present. Ignoring \"{}\"",
                        spec.key
                    ),
                    DeprecationEffect::IgnoredBothSet,
                )
            } else {
                (msg, DeprecationEffect::Renamed)
            };
            self.issue(
                IssueKind::Deprecated {
                    replacement: Some(to_key.to_string()),
                    effect,
                },
                &from,
                Some(&old),
                kibana,
            );
            let tree = out.to_mut();
            remove_path(tree, &from);
            if tree.at(&to).is_none() {
                set_path(tree, &to, old);
            }
        }
        out
    }

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
            let msg = spec.deprecation.unwrap_or_default();
            if map.contains_key("allowedHosts") {
                self.issue(
                    IssueKind::Deprecated {
                        replacement: spec.replacement.map(str::to_string),
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
                        replacement: spec.replacement.map(str::to_string),
                        effect: DeprecationEffect::Renamed,
                    },
                    &path,
                    Some(&value),
                    msg.to_string(),
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
                    replacement: spec.replacement.map(str::to_string),
                    effect: if unset {
                        DeprecationEffect::Unset
                    } else {
                        DeprecationEffect::Kept
                    },
                },
                &SettingPath::parse(&full),
                Some(&value),
                spec.deprecation.unwrap_or_default().to_string(),
            );
            if unset {
                map.shift_remove(key);
            }
        }
        Cow::Owned(node)
    }
}

/// `unsetAndCleanEmptyParent` (@kbn/config `apply_deprecations.ts`): unsets the path, then each
/// parent the unset left empty, so a moved `xpack.monitoring.a.b` leaves no `xpack.monitoring`.
fn remove_path(root: &mut Node, path: &SettingPath) {
    let Some((Seg::Key(last), parents)) = path.0.split_last() else {
        return;
    };
    let Value::Map(map) = &mut root.value else {
        return;
    };
    match parents.split_first() {
        None => {
            map.shift_remove(last);
        }
        Some((Seg::Key(first), rest)) => {
            let Some(child) = map.get_mut(first) else {
                return;
            };
            let mut sub = SettingPath(rest.to_vec());
            sub.0.push(Seg::Key(last.clone()));
            remove_path(child, &sub);
            if child.as_map().is_some_and(|m| m.is_empty()) {
                map.shift_remove(first);
            }
        }
        Some(_) => {}
    }
}

/// lodash's `isEqual` on two config values: deep, key order not significant.
fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x.value == y.value,
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_value(x, y))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_value(v, w)))
        }
        _ => false,
    }
}
