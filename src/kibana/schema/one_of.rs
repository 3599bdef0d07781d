//! `schema.oneOf([object(…), object(…), …])` whose branches a literal key tells apart: the logging
//! appenders (`type: schema.literal('file')`, …), their layouts and rolling policies, and the
//! security audit log's appender (a union without such a key: untagged.rs). The table lists each branch as a row `<key>#<literal>` with its
//! own children, in the union's order (docs/research/settings/logging-appenders.md).
//!
//! config-schema tries every branch and, when none matches, reports each branch's first error
//! with the branch's index spliced in (`union_type.ts`). Each branch's object checks its literal
//! first, so a branch the value does not name fails there:
//!
//! ```text
//! [config validation of [xpack.security].audit.appender]: types that failed validation:
//! - [config validation of [xpack.security].audit.appender.0.type]: expected value to equal [console]
//! - [config validation of [xpack.security].audit.appender.1.fileName]: expected value of type [string] but got [undefined]
//! ```
//!
//! The branch the literal names is validated like any object; each fatal issue it raises is
//! reported with the other branches' lines, so one run names every key that would stop Kibana.

use std::borrow::Cow;

use super::issues::IssueKind;
use super::spec::{Availability, Spec};
use super::union::{at_branch, branch_line, failed};
use super::untagged::first_error;
use super::validate::{Ctx, Validator};
use crate::model::tree::{Node, SettingPath, Value};
use crate::version::Version;

/// The release whose config-schema words a missing literal (PR #229381, merged on 9.2-dev);
/// before it, Joi's `any.required` reached the literal's error handler without the expected
/// values and config-schema threw this instead of a message.
const LITERAL_FIX: Version = Version::new(9, 2, 0);
const LITERAL_CRASH: &str =
    "Cannot destructure property 'Symbol(Symbol.iterator)' of 'undefined' as it is undefined.";

impl Validator<'_> {
    pub(super) fn one_of(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &mut SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        // Which branches a release has is part of knowing its namespace whole: elsewhere the
        // union is not judged, so an appender type the table lacks is never called wrong.
        if !ctx.complete {
            return Some(node.clone());
        }
        let before = self.issues.len();
        let out = if spec.tag.is_some() {
            self.kinds(node, spec, path, ctx, before)
        } else {
            self.untagged(node, spec, path, ctx)
        };
        self.entry_relative(before, path, spec, ctx);
        out
    }

    /// The union proper: the kind the literal picks, or every kind's failure.
    fn kinds(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &mut SettingPath,
        ctx: &Ctx,
        before: usize,
    ) -> Option<Node> {
        let schema = self.schema;
        let branches: Vec<(&str, &Spec)> = schema.branches_at(spec.key, self.version).collect();
        let tag = tag_of(spec);
        // Each branch is an object: a JSON string is parsed, anything else fails every branch.
        let parsed = match &node.value {
            Value::Str(t) => serde_json::from_str::<serde_json::Value>(&t.value)
                .ok()
                .filter(serde_json::Value::is_object)
                .map(|json| {
                    let mut parsed = Node::from_json(&json, &node.origin);
                    parsed.key = node.key;
                    parsed
                }),
            _ => None,
        };
        let node: Cow<Node> = match (&node.value, parsed) {
            (Value::Map(_), _) => Cow::Borrowed(node),
            (_, Some(parsed)) => Cow::Owned(parsed),
            (value, None) => {
                let message = match value {
                    Value::Str(_) => "could not parse object value from json input".to_string(),
                    _ => format!(
                        "expected a plain object value, but found [{}] instead.",
                        node.js_type()
                    ),
                };
                let lines: Vec<String> = (0..branches.len())
                    .map(|i| format!("{}: {message}", ctx.prefix(&at_branch(path, path, i))))
                    .collect();
                self.invalid(node, path, ctx, failed(&lines));
                return None;
            }
        };
        let written = node.as_map().and_then(|m| m.get(tag));
        let tag_path = path.key(tag);
        // The kinds' literals, borrowed from the static rows for the issue to keep.
        let literals: Vec<&'static str> = branches.iter().map(|(_, b)| b.literal()).collect();
        let picked = written
            .and_then(Node::as_str)
            .and_then(|value| branches.iter().position(|(literal, _)| *literal == value));
        let Some(index) = picked else {
            // No kind is named: every kind fails, most at its literal.
            let lines: Vec<BranchLine> = branches
                .iter()
                .enumerate()
                .map(|(i, (_, b))| self.branch_failure(&node, i, b, &tag_path, path, ctx))
                .collect();
            if written.is_none() {
                self.missing_tag(&node, spec, path, ctx, literals, &lines);
                return None;
            }
            let text: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
            // Point at the literal written.
            self.issue(
                IssueKind::NoBranch {
                    tag,
                    literals,
                    written: written.map(Node::display),
                    crash: false,
                },
                path,
                written,
                format!("{}: {}", ctx.prefix(path), failed(&text)),
            );
            self.invalid.push(path.clone());
            return None;
        };
        let branch = branches[index].1;
        if branch.availability(self.version) != Availability::Available {
            // A kind this release may lack: were it absent, every other kind fails.
            let lines: Vec<String> = branches
                .iter()
                .filter(|(literal, _)| *literal != branches[index].0)
                .enumerate()
                .map(|(i, (_, b))| self.branch_failure(&node, i, b, &tag_path, path, ctx).text)
                .collect();
            self.issue(
                IssueKind::Unverified {
                    since: branch.since(),
                    gone: branch.availability(self.version) == Availability::MaybeRemoved,
                },
                &tag_path,
                written,
                format!("{}: {}", ctx.prefix(path), failed(&lines)),
            );
        }
        let out = self.object(&node, branch, path, ctx);
        // The kind's own `validate`s (an object's runs once its keys passed).
        if let Some(out) = &out {
            let clean = !self.issues[before..].iter().any(|i| i.kind.is_fatal());
            self.appender_kind(branch.key, out, path, ctx, clean);
        }
        // The other kinds' lines matter only when the value fails.
        if self.issues[before..].iter().any(|i| i.kind.is_fatal()) {
            let others: Vec<(usize, String)> = branches
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != index)
                .map(|(i, (_, b))| {
                    (
                        i,
                        self.branch_failure(&node, i, b, &tag_path, path, ctx).text,
                    )
                })
                .collect();
            self.as_union_failure(before, path, ctx, index, &others);
        }
        out
    }

    /// Kind `i`'s line when the value fails it: its first error as Joi reports it (the object's
    /// keys in its order, then keys it does not know). Where that is the literal, `expected value
    /// to equal [<literal>]`; keys before the literal (a Fleet output's `name`, `is_default`, …)
    /// can fail first.
    fn branch_failure(
        &mut self,
        node: &Node,
        i: usize,
        branch: &Spec,
        tag_path: &SettingPath,
        path: &mut SettingPath,
        ctx: &Ctx,
    ) -> BranchLine {
        let run = self.attempt(node, branch, path, ctx);
        let first = first_error(&run.issues, path, branch, self.schema, self.version)
            .filter(|issue| !issue.path.starts_with(tag_path))
            .and_then(|issue| branch_line(issue, path, ctx, i));
        match first {
            Some(text) => BranchLine {
                text,
                at_literal: false,
            },
            None => BranchLine {
                text: format!(
                    "{}: expected value to equal [{}]",
                    ctx.prefix(&at_branch(tag_path, path, i)),
                    branch.literal()
                ),
                at_literal: true,
            },
        }
    }

    /// An object without the literal that picks its branch. From 9.2 each kind fails at its
    /// first error (`lines`); before, a kind that got as far as the literal made config-schema
    /// throw a TypeError (`at_literal`), which a `mapOf` entry's own try/catch reports under the
    /// entry's path (`logging.appenders.<name>`) and which otherwise escapes validation whole
    /// (logging-appenders.md §3.3).
    fn missing_tag(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &SettingPath,
        ctx: &Ctx,
        literals: Vec<&'static str>,
        lines: &[BranchLine],
    ) {
        let tag = tag_of(spec);
        // Only a kind whose first failure is the literal reaches the handler that throws.
        let crash = self.version < LITERAL_FIX && lines.iter().any(|l| l.at_literal);
        let kibana = if crash {
            match record_entry(spec, path) {
                Some(entry) => format!("{}: {LITERAL_CRASH}", ctx.prefix(&entry)),
                None => format!("TypeError: {LITERAL_CRASH}"),
            }
        } else {
            let text: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
            format!("{}: {}", ctx.prefix(path), failed(&text))
        };
        self.issue(
            IssueKind::NoBranch {
                tag,
                literals,
                written: None,
                crash,
            },
            path,
            Some(node),
            kibana,
        );
        self.invalid.push(path.clone());
    }

    /// A `mapOf`/`recordOf` entry is validated on its own, so the lines of a union inside an
    /// entry name paths from the entry down: `[config validation of [logging].1.fileName]`, not
    /// `….appenders.main.1.fileName` (`map_type.ts` re-paths only the outer error; derived from
    /// the code, logging-appenders.md §3.4), and `[credentials.1.password]` under
    /// `authc.providers.anonymous.anonymous1` (the security plugin's `config.test.ts`).
    fn entry_relative(&mut self, before: usize, path: &SettingPath, spec: &Spec, ctx: &Ctx) {
        let Some(entry) = record_entry(spec, path) else {
            return;
        };
        let head = ctx.prefix(path);
        let open = |prefix: &str| format!("{}.", prefix.strip_suffix(']').unwrap_or(prefix));
        let from = open(&ctx.prefix(&entry));
        let to = open(&ctx.prefix(&SettingPath(path.0[..ctx.ns_len].to_vec())));
        for issue in &mut self.issues[before..] {
            if !issue.kibana.starts_with(&format!("{head}:")) {
                continue;
            }
            if let Some((first, rest)) = issue.kibana.split_once('\n') {
                issue.kibana = format!("{first}\n{}", rest.replace(&from, &to));
            }
        }
    }
}

/// A kind's line of the union's message, and whether it failed at the literal.
struct BranchLine {
    text: String,
    at_literal: bool,
}

/// The key whose literal picks a tagged union's branch.
fn tag_of(spec: &Spec) -> &'static str {
    spec.tag.unwrap_or("type")
}

/// The path of the `mapOf` entry a union lies in (`logging.appenders.main` for
/// `logging.appenders.*#file.layout`), if any.
fn record_entry(spec: &Spec, path: &SettingPath) -> Option<SettingPath> {
    let star = spec.key.rfind(".*")?;
    let segments = spec.key[..star + 2].split('.').count();
    (segments <= path.len()).then(|| SettingPath(path.0[..segments].to_vec()))
}
