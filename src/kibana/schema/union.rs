//! `schema.oneOf([schema.arrayOf(…), schema.object(…)])`, the one union whose both branches the
//! table lists: `xpack.security.authc.providers`, the legacy array of provider types or the
//! object of providers by type and name (security plugin `server/config.ts`, 7.17 to 9.5).
//!
//! config-schema's union (`union_type.ts`) reports every branch when none matches, the branch's
//! index spliced in after the key (`childPathWithIndex`):
//!
//! ```text
//! [authc.providers]: types that failed validation:
//! - [authc.providers.0]: expected value of type [array] but got [Object]
//! - [authc.providers.1.basic.basic1.order]: expected value of type [number] but got [undefined]
//! ```
//!
//! (the security plugin's `config.test.ts`, inline snapshots). Each branch stops at its first
//! error in Kibana; every fatal issue of the branch the value's shape picks is reported here, each
//! with the other branch's line, so one run names every key that would stop Kibana.

use super::issues::{DeprecationEffect, IssueKind};
use super::spec::Spec;
use super::validate::{Ctx, Validator};
use super::validators::number;
use crate::model::tree::{Node, Seg, SettingPath, Value};
use crate::source::scalar::js_number_string;
use rustc_hash::FxHashMap;

/// Which branch the value's shape picks.
enum Branch {
    Array,
    Object,
}

impl Validator<'_> {
    pub(super) fn array_or_object(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &mut SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        let branch = match &node.value {
            Value::Seq(_) => Branch::Array,
            Value::Map(_) => Branch::Object,
            // Both branches parse a JSON string; its first character says which can match.
            Value::Str(t) if t.value.trim_start().starts_with('[') => Branch::Array,
            Value::Str(t) if t.value.trim_start().starts_with('{') => Branch::Object,
            _ => {
                let (array, object) = match &node.value {
                    Value::Str(_) => (
                        "could not parse array value from json input".to_string(),
                        "could not parse object value from json input".to_string(),
                    ),
                    _ => {
                        let got = node.js_type();
                        (
                            format!("expected value of type [array] but got [{got}]"),
                            format!("expected a plain object value, but found [{got}] instead."),
                        )
                    }
                };
                let lines = [
                    format!("{}: {array}", ctx.prefix(&at_branch(path, path, 0))),
                    format!("{}: {object}", ctx.prefix(&at_branch(path, path, 1))),
                ];
                self.invalid(node, path, ctx, failed(&lines));
                return None;
            }
        };
        let before = self.issues.len();
        let out = match branch {
            Branch::Array => {
                // The array form still works, with a warning since 7.16 (`security_config.ts`
                // deprecations, title 'The array format for "xpack.security.authc.providers" is
                // deprecated').
                if let Some(message) = spec.deprecation {
                    self.issue(
                        IssueKind::Deprecated {
                            replacement: None,
                            effect: DeprecationEffect::Kept,
                        },
                        path,
                        Some(node),
                        message.to_string(),
                    );
                }
                self.array(node, spec, path, ctx)
            }
            Branch::Object => {
                let out = self.object(node, spec, path, ctx);
                let clean = !self.issues[before..].iter().any(|i| i.kind.is_fatal());
                if clean && let Some(out) = &out {
                    self.providers(out, path, ctx);
                }
                out
            }
        };
        // The index of the branch that ran, and the other one's failure as config-schema words it.
        let (index, other) = match branch {
            Branch::Array => (
                0,
                format!(
                    "{}: expected a plain object value, but found [Array] instead.",
                    ctx.prefix(&at_branch(path, path, 1))
                ),
            ),
            Branch::Object => (
                1,
                format!(
                    "{}: expected value of type [array] but got [Object]",
                    ctx.prefix(&at_branch(path, path, 0))
                ),
            ),
        };
        let head = ctx.prefix(path);
        for issue in &mut self.issues[before..] {
            if !issue.kind.is_fatal() {
                continue;
            }
            let own = ctx.prefix(&issue.path);
            let Some(rest) = issue.kibana.strip_prefix(own.as_str()) else {
                continue;
            };
            // A union inside the branch is one level deeper: its lines are indented by one.
            let mine = format!(
                "{}{}",
                ctx.prefix(&at_branch(&issue.path, path, index)),
                rest.replace("\n- ", "\n - ")
            );
            let mut lines = [other.clone(), mine];
            if index == 0 {
                lines.swap(0, 1);
            }
            issue.kibana = format!("{head}: {}", failed(&lines));
        }
        out
    }

    /// The object branch's own `validate`s, run once its keys passed: one enabled provider of
    /// the types `getUniqueProviderSchema` wraps (at `<type>`), then unique `order` and name
    /// among all enabled providers (at the object). Kibana stops at the first.
    fn providers(&mut self, providers: &Node, path: &SettingPath, ctx: &Ctx) {
        let Some(types) = providers.as_map() else {
            return;
        };
        for (ty, group) in types {
            let unique = matches!(
                ty.as_str(),
                "basic" | "token" | "kerberos" | "pki" | "anonymous"
            );
            if unique && enabled(group).count() > 1 {
                let at = path.key(ty);
                self.fail(
                    Some(group),
                    &at,
                    ctx,
                    &format!("Only one \"{ty}\" provider can be configured."),
                );
                return;
            }
        }
        // Maps, so a file with many providers is checked in one pass. JavaScript's `Map`
        // compares numbers by SameValueZero: -0 is 0, and NaN is itself.
        let mut orders: FxHashMap<u64, String> = FxHashMap::default();
        let mut names: FxHashMap<&str, String> = FxHashMap::default();
        for (ty, group) in types {
            for (name, provider) in enabled(group) {
                let Some(order) = provider
                    .as_map()
                    .and_then(|m| m.get("order"))
                    .and_then(number)
                else {
                    // An unresolved `${VAR}`: what Kibana would compare is unknown.
                    return;
                };
                let here = format!("xpack.security.authc.providers.{ty}.{name}");
                let same_value_zero = if order == 0.0 {
                    0
                } else if order.is_nan() {
                    f64::NAN.to_bits()
                } else {
                    order.to_bits()
                };
                if let Some(first) = orders.get(&same_value_zero) {
                    let message = format!(
                        "Found multiple providers configured with the same order \"{}\": [{first}, {here}]",
                        js_number_string(order)
                    );
                    self.fail(Some(provider), path, ctx, &message);
                    return;
                }
                orders.insert(same_value_zero, here.clone());
                if let Some(first) = names.get(name) {
                    let message = format!(
                        "Found multiple providers configured with the same name \"{name}\": [{first}, {here}]"
                    );
                    self.fail(Some(provider), path, ctx, &message);
                    return;
                }
                names.insert(name, here);
            }
        }
    }
}

/// The enabled providers of one type, by name (`enabled` defaults to true).
fn enabled(group: &Node) -> impl Iterator<Item = (&str, &Node)> {
    group
        .as_map()
        .into_iter()
        .flatten()
        .filter(|(_, p)| {
            p.as_map()
                .and_then(|m| m.get("enabled"))
                .and_then(Node::as_bool)
                .unwrap_or(true)
        })
        .map(|(name, p)| (name.as_str(), p))
}

/// `path` with the branch index spliced in after the union's own key.
fn at_branch(path: &SettingPath, union: &SettingPath, index: usize) -> SettingPath {
    let mut segs = path.0.clone();
    segs.insert(union.len().min(segs.len()), Seg::Index(index));
    SettingPath(segs)
}

fn failed(lines: &[String]) -> String {
    let mut out = String::from("types that failed validation:");
    for line in lines {
        out.push_str("\n- ");
        out.push_str(line);
    }
    out
}
