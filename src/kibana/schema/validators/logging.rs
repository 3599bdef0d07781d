//! What core checks once `logging` passed its schema, before Kibana logs anything
//! (docs/research/settings/logging-appenders.md §4): every logger's appenders, the root's
//! included, must be appenders the configuration defines or the built-in `default` and `console`
//! (`LoggingConfig`'s constructor, `logging_config.ts` in 8.x and 9.x, its test's inline
//! snapshot `Logger "some.nested.context" contains unsupported appender key "unknown".`), and so
//! must each rewrite appender's targets (`logging_system.ts`: `Appender "<key>" config contains
//! unknown appender key "<ref>".`). Either is thrown at start-up. Kibana stops at the first; each
//! is reported here, so one run names them all.

use super::child;
use crate::kibana::schema::issues::IssueKind;
use crate::kibana::schema::validate::{Ctx, Validator};
use crate::model::tree::{Node, SettingPath};

/// Appenders every configuration has (`LoggingConfig.appenders`).
const BUILT_IN: &[&str] = &["default", "console"];

impl Validator<'_> {
    pub(super) fn logging(&mut self, logging: &Node, ctx: &Ctx) {
        // 7.17's logging_config.ts is not stored: where `logging` is not held, nothing is said.
        if !ctx.complete {
            return;
        }
        let root = SettingPath::parse("logging");
        let o = Some(logging);
        let appenders = child(o, "appenders").and_then(Node::as_map);
        let known = |name: &str| {
            BUILT_IN.contains(&name) || appenders.is_some_and(|m| m.contains_key(name))
        };
        // The root logger is named `root` and checked first, then the loggers in order.
        let loggers = child(o, "loggers")
            .and_then(Node::as_seq)
            .into_iter()
            .flatten();
        let mut checked: Vec<(SettingPath, &str, &Node)> = Vec::new();
        if let Some(r) = child(o, "root") {
            checked.push((root.key("root"), "root", r));
        }
        for (i, logger) in loggers.enumerate() {
            if let Some(name) = child(Some(logger), "name").and_then(Node::as_str) {
                let mut at = root.key("loggers");
                at.push_index(i);
                checked.push((at, name, logger));
            }
        }
        for (at, name, logger) in checked {
            for (i, key) in refs(logger) {
                if let Some(text) = key.as_str()
                    && !text.contains("${")
                    && !known(text)
                {
                    let mut path = at.key("appenders");
                    path.push_index(i);
                    self.issue(
                        IssueKind::InvalidValue,
                        &path,
                        Some(key),
                        format!("Logger \"{name}\" contains unsupported appender key \"{text}\"."),
                    );
                }
            }
        }
        for (name, appender) in appenders.into_iter().flatten() {
            if child(Some(appender), "type").and_then(Node::as_str) != Some("rewrite") {
                continue;
            }
            for (i, target) in refs(appender) {
                if let Some(text) = target.as_str()
                    && !text.contains("${")
                    && !known(text)
                {
                    let mut path = root.key("appenders").key(name).key("appenders");
                    path.push_index(i);
                    self.issue(
                        IssueKind::InvalidValue,
                        &path,
                        Some(target),
                        format!(
                            "Appender \"{name}\" config contains unknown appender key \"{text}\"."
                        ),
                    );
                }
            }
        }
    }
}

/// The names in an object's `appenders` list, with their positions.
fn refs(obj: &Node) -> impl Iterator<Item = (usize, &Node)> {
    child(Some(obj), "appenders")
        .and_then(Node::as_seq)
        .into_iter()
        .flatten()
        .enumerate()
}
