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
        // Whatever names appenders, in Kibana's order: the root logger (named `root`), the
        // loggers, then the rewrite appenders; each with its own message's head.
        let mut referrers: Vec<(SettingPath, String, &Node)> = Vec::new();
        if let Some(r) = child(o, "root") {
            referrers.push((
                root.key("root"),
                "Logger \"root\" contains unsupported".into(),
                r,
            ));
        }
        let loggers = child(o, "loggers")
            .and_then(Node::as_seq)
            .into_iter()
            .flatten();
        for (i, logger) in loggers.enumerate() {
            if let Some(name) = child(Some(logger), "name").and_then(Node::as_str) {
                let mut at = root.key("loggers");
                at.push_index(i);
                referrers.push((
                    at,
                    format!("Logger \"{name}\" contains unsupported"),
                    logger,
                ));
            }
        }
        for (name, appender) in appenders.into_iter().flatten() {
            if child(Some(appender), "type").and_then(Node::as_str) == Some("rewrite") {
                let at = root.key("appenders").key(name);
                let head = format!("Appender \"{name}\" config contains unknown");
                referrers.push((at, head, appender));
            }
        }
        for (at, head, referrer) in referrers {
            let names = child(Some(referrer), "appenders").and_then(Node::as_seq);
            for (i, key) in names.into_iter().flatten().enumerate() {
                if let Some(text) = key.as_str()
                    && !text.contains("${")
                    && !known(text)
                {
                    let mut path = at.key("appenders");
                    path.push_index(i);
                    let message = format!("{head} appender key \"{text}\".");
                    self.issue(IssueKind::InvalidValue, &path, Some(key), message);
                }
            }
        }
    }
}
