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

use super::issues::{DeprecationEffect, IssueKind, SchemaIssue};
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
        // The other branch's failure as config-schema words it.
        let other = match branch {
            Branch::Array => (
                1,
                format!(
                    "{}: expected a plain object value, but found [Array] instead.",
                    ctx.prefix(&at_branch(path, path, 1))
                ),
            ),
            Branch::Object => (
                0,
                format!(
                    "{}: expected value of type [array] but got [Object]",
                    ctx.prefix(&at_branch(path, path, 0))
                ),
            ),
        };
        let index = 1 - other.0;
        self.as_union_failure(before, path, ctx, index, &[other]);
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

impl Validator<'_> {
    /// Rewrites the fatal issues raised since `before` by branch `index` of the union at `path`
    /// as config-schema words a union none of whose branches matched: one line per branch, in
    /// the union's order, the branch's index spliced into each path (`union_type.ts`
    /// `childPathWithIndex`); `others` are the other branches' lines. A union nested in the
    /// branch keeps its own lines, one level deeper (`validation_error.ts` indents each level).
    pub(super) fn as_union_failure(
        &mut self,
        before: usize,
        path: &SettingPath,
        ctx: &Ctx,
        index: usize,
        others: &[(usize, String)],
    ) {
        let head = ctx.prefix(path);
        for issue in &mut self.issues[before..] {
            // A TypeError ends validation: it is no branch's line.
            if !issue.kind.is_fatal()
                || matches!(issue.kind, IssueKind::NoBranch { crash: true, .. })
            {
                continue;
            }
            let Some(mine) = branch_line(issue, path, ctx, index) else {
                continue;
            };
            let mut lines: Vec<(usize, &str)> =
                others.iter().map(|(i, line)| (*i, line.as_str())).collect();
            lines.push((index, &mine));
            lines.sort_by_key(|(i, _)| *i);
            let lines: Vec<&str> = lines.into_iter().map(|(_, line)| line).collect();
            issue.kibana = format!("{head}: {}", failed(&lines));
        }
    }
}

/// `issue`, raised by branch `index` of the union at `union`, as that branch's line of the
/// union's message: the index spliced into the path the message names (the issue's own, or a
/// nested union's above it), a nested union's lines one level deeper.
pub(super) fn branch_line(
    issue: &SchemaIssue,
    union: &SettingPath,
    ctx: &Ctx,
    index: usize,
) -> Option<String> {
    let (named, rest) = (union.len()..=issue.path.len()).rev().find_map(|n| {
        let named = SettingPath(issue.path.0[..n].to_vec());
        let rest = issue.kibana.strip_prefix(ctx.prefix(&named).as_str())?;
        rest.starts_with(':').then_some((named, rest))
    })?;
    Some(format!(
        "{}{}",
        ctx.prefix(&at_branch(&named, union, index)),
        rest.replace('\n', "\n ")
    ))
}

/// `path` with the branch index spliced in after the union's own key.
pub(super) fn at_branch(path: &SettingPath, union: &SettingPath, index: usize) -> SettingPath {
    let mut segs = path.0.clone();
    segs.insert(union.len().min(segs.len()), Seg::Index(index));
    SettingPath(segs)
}

pub(super) fn failed(lines: &[impl AsRef<str>]) -> String {
    let mut out = String::from("types that failed validation:");
    for line in lines {
        out.push_str("\n- ");
        out.push_str(line.as_ref());
    }
    out
}
