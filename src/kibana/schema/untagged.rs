//! `schema.oneOf([…])` whose branches no literal key tells apart: the anonymous provider's
//! `credentials` (`'elasticsearch_anonymous_user'`, `{ username, password }` or `{ apiKey }`) and
//! its `apiKey` (`{ id, key }` or a string), security plugin `server/config.ts`, 7.17 to 9.5. The
//! table lists each branch as a row `<key>#<n>`, in the union's order.
//!
//! config-schema tries the branches in order and takes the first that validates; when none does
//! it reports each branch's first error, the branch's index spliced in (the plugin's
//! `config.test.ts`, inline snapshots):
//!
//! ```text
//! [authc.providers.1.anonymous.anonymous1.credentials]: types that failed validation:
//!  - [credentials.0]: expected value to equal [elasticsearch_anonymous_user]
//!  - [credentials.1.password]: expected value of type [string] but got [undefined]
//!  - [credentials.2.apiKey]: expected at least one defined value but got [undefined]
//! ```
//!
//! A branch added in a later release (`added`) is not tried before it; a release with a single
//! branch had no union, and the value is that branch's object.
//!
//! A branch's first error is Joi's: an object checks its own keys in order before it looks at
//! keys it does not know. The findings are the fatal issues of the branch the value is closest
//! to (the most keys it knows), each with every other branch's line, so a misspelt key gets its
//! "did you mean" and Kibana's whole message.

use super::issues::SchemaIssue;
use super::spec::{Spec, Type};
use super::union::branch_line;
use super::validate::{Ctx, Validator};
use crate::model::tree::{Node, Seg, SettingPath, Value};
use crate::version::Version;

/// One branch tried: what it raised, and what it made of the value.
pub(super) struct Run {
    pub(super) issues: Vec<SchemaIssue>,
    invalid: Vec<SettingPath>,
    unjudged: Vec<SettingPath>,
    out: Option<Node>,
}

impl Validator<'_> {
    pub(super) fn untagged(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &mut SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        let schema = self.schema;
        let branches: Vec<&Spec> = schema
            .branches_at(spec.key, self.version)
            .map(|(_, b)| b)
            .collect();
        // No branch in this release: nothing to judge the value by. One branch: the release had
        // no union yet (a Fleet package policy before 8.14 is one object), so the object's own
        // messages, without the union's wrapper.
        match branches.as_slice() {
            [] => return Some(node.clone()),
            [only] => return self.node(node, only, path, ctx),
            _ => {}
        }
        let mut runs: Vec<Run> = Vec::with_capacity(branches.len());
        for branch in &branches {
            let mut run = self.attempt(node, branch, path, ctx);
            if run.out.is_some() && !run.issues.iter().any(|i| i.kind.is_fatal()) {
                // The first branch that validates is the one config-schema takes.
                return self.keep(run);
            }
            // A literal's line never echoes what it got (config.test.ts); the value may hold a
            // secret.
            if let [only] = branch.values {
                for issue in run.issues.iter_mut().filter(|i| i.path == *path) {
                    issue.kibana =
                        format!("{}: expected value to equal [{only}]", ctx.prefix(path));
                }
            }
            runs.push(run);
        }
        let chosen = closest(node, &branches, |b| schema.children(b.key).collect())?;
        let others: Vec<(usize, String)> = runs
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != chosen)
            .filter_map(|(i, run)| {
                branch_line(
                    first_error(&run.issues, path, branches[i], schema, self.version)?,
                    path,
                    ctx,
                    i,
                )
                .map(|line| (i, line))
            })
            .collect();
        let mut run = runs.swap_remove(chosen);
        // The value fails: what the branch would deprecate or warn about is moot.
        run.issues.retain(|i| i.kind.is_fatal());
        run.out = None;
        let before = self.issues.len();
        self.keep(run);
        self.as_union_failure(before, path, ctx, chosen, &others);
        self.invalid.push(path.clone());
        None
    }

    /// Validates `node` against one branch, keeping what it raised aside.
    pub(super) fn attempt(
        &mut self,
        node: &Node,
        branch: &Spec,
        path: &mut SettingPath,
        ctx: &Ctx,
    ) -> Run {
        let (issues, invalid, unjudged) =
            (self.issues.len(), self.invalid.len(), self.unjudged.len());
        let out = self.node(node, branch, path, ctx);
        Run {
            issues: self.issues.split_off(issues),
            invalid: self.invalid.split_off(invalid),
            unjudged: self.unjudged.split_off(unjudged),
            out,
        }
    }

    fn keep(&mut self, run: Run) -> Option<Node> {
        self.issues.extend(run.issues);
        self.invalid.extend(run.invalid);
        self.unjudged.extend(run.unjudged);
        run.out
    }
}

/// The branch a failing value most likely meant: for an object, the one that knows most of its
/// keys with the shape written (a package policy's `inputs` as a mapping is the simplified
/// form's, as a list the legacy one's), then most of its keys; for anything else, the first that
/// is no object. Ties go to the union's order (an empty object meant the first form, Kibana's
/// recommended one).
fn closest<'s>(
    node: &Node,
    branches: &[&'s Spec],
    children: impl Fn(&'s Spec) -> Vec<(&'s str, &'s Spec)>,
) -> Option<usize> {
    let written: Vec<(&str, &Node)> = match &node.value {
        Value::Map(map) => map.iter().map(|(k, v)| (k.as_str(), v)).collect(),
        _ => Vec::new(),
    };
    let score = |i: usize| {
        let known = children(branches[i]);
        let mut shared = 0;
        let mut shaped = 0;
        for (key, value) in &written {
            if let Some((_, spec)) = known.iter().find(|(name, _)| name == key) {
                shared += 1;
                shaped += usize::from(shape_fits(spec.ty, value));
            }
        }
        let fits = match node.value {
            Value::Map(_) => !known.is_empty(),
            _ => known.is_empty(),
        };
        (
            std::cmp::Reverse(fits),
            std::cmp::Reverse(shaped),
            std::cmp::Reverse(shared),
            i,
        )
    };
    (0..branches.len()).min_by_key(|&i| score(i))
}

/// Whether a written value has the shape a row of this type takes (a mapping for an object, a
/// list for an array); scalars and `any` are not told apart.
fn shape_fits(ty: Type, value: &Node) -> bool {
    match &value.value {
        Value::Map(_) => matches!(
            ty,
            Type::Object | Type::Record | Type::OneOf | Type::ArrayOrObject | Type::Any
        ),
        Value::Seq(_) => matches!(
            ty,
            Type::Array | Type::StringOrArray | Type::ArrayOrObject | Type::Any
        ),
        _ => !matches!(ty, Type::Object | Type::Record | Type::Array),
    }
}

/// The error Kibana reports for a branch: an object's keys are checked in its own order first,
/// then the keys it does not know (Joi's `object` type).
pub(super) fn first_error<'r>(
    issues: &'r [SchemaIssue],
    union: &SettingPath,
    branch: &Spec,
    schema: &super::table::Schema,
    version: Version,
) -> Option<&'r SchemaIssue> {
    // A key the release lacks is one the object does not know: it comes after the known ones.
    let order: Vec<&str> = schema
        .children(branch.key)
        .filter(|(_, s)| s.may_exist(version))
        .map(|(name, _)| name)
        .collect();
    issues
        .iter()
        .filter(|i| i.kind.is_fatal())
        .min_by_key(|i| match i.path.0.get(union.len()) {
            Some(Seg::Key(k)) => order
                .iter()
                .position(|name| *name == k.as_str())
                .unwrap_or(usize::MAX),
            _ => 0,
        })
}
