//! The `validate` functions of Task Manager's schema (`x-pack/plugins/task_manager/server/
//! config.ts` @b9331eb9, 7.16/7.17; the same functions in the 9.x copy @a2dd3043 and the newest
//! @0452ebf8): failure thresholds whose warning level is above the error level, a freshness below
//! the poll interval (the operator who slows polling down and keeps an old freshness), and 7.x's
//! refusal of the `.tasks` index.

use super::{child, number};
use crate::kibana::schema::validate::{Ctx, Validator};
use crate::model::tree::{Node, SettingPath};
use crate::source::scalar::js_number_string;
use crate::version::Version;

fn number_at(obj: Option<&Node>, key: &str) -> Option<f64> {
    child(obj, key).and_then(number)
}

impl Validator<'_> {
    pub(super) fn task_manager(&mut self, tm: &Node, ctx: &Ctx) {
        let root = SettingPath::parse("xpack.task_manager");
        let t = Some(tm);
        let mut failed = false;
        // `index` (7.x; removed in 8.0).
        if self.version < Version::new(8, 0, 0)
            && let Some(node) = child(t, "index")
            && let Some(index) = node.as_str()
            && index.to_lowercase() == ".tasks"
        {
            let message = format!(
                "\"{index}\" is an invalid Kibana Task Manager index, as it is already in use by the ElasticSearch Tasks Manager"
            );
            self.fail(Some(node), &root.key("index"), ctx, &message);
            failed = true;
        }
        // `taskExecutionFailureThresholdSchema`, for `default` and every `custom` task type
        // (defaults: error 90, warn 80).
        let thresholds = child(t, "monitored_task_execution_thresholds");
        let base = root.key("monitored_task_execution_thresholds");
        let custom = child(thresholds, "custom")
            .and_then(Node::as_map)
            .into_iter()
            .flatten()
            .map(|(k, v)| (base.key("custom").key(k), v));
        let all: Vec<(SettingPath, &Node)> = child(thresholds, "default")
            .map(|d| (base.key("default"), d))
            .into_iter()
            .chain(custom)
            .collect();
        for (path, object) in all {
            let o = Some(object);
            let error = number_at(o, "error_threshold").unwrap_or(90.0);
            let warn = number_at(o, "warn_threshold").unwrap_or(80.0);
            if error < warn {
                let message = format!(
                    "warn_threshold ({}) must be less than, or equal to, error_threshold ({})",
                    js_number_string(warn),
                    js_number_string(error)
                );
                // A default filled in has no place: then the object (its first written key).
                let at = child(o, "warn_threshold")
                    .filter(|n| n.origin.location().is_some())
                    .or(o);
                self.fail(at, &path, ctx, &message);
                failed = true;
            }
        }
        // The object's own validate runs once its keys passed. The freshness defaults to the
        // poll interval plus a second, so only a written one can be below it.
        if failed {
            return;
        }
        let Some(freshness) = number_at(t, "monitored_stats_required_freshness") else {
            return;
        };
        let poll = match number_at(t, "poll_interval") {
            Some(p) => p,
            None => self.schema_default_number("xpack.task_manager.poll_interval"),
        };
        if freshness != 0.0 && poll != 0.0 && freshness < poll {
            let message = format!(
                "The specified monitored_stats_required_freshness ({}) is invalid, as it is below the poll_interval ({})",
                js_number_string(freshness),
                js_number_string(poll)
            );
            let at = child(t, "monitored_stats_required_freshness");
            self.fail(at, &root, ctx, &message);
        }
    }

    /// The table's default for a number setting in this version (0 when it has none).
    fn schema_default_number(&self, key: &str) -> f64 {
        self.schema
            .get(key)
            .and_then(|s| s.default_for(self.version))
            .and_then(serde_json::Value::as_f64)
            .unwrap_or(0.0)
    }
}
