//! The `validate` functions of Fleet's schema: preconfigured outputs (`validatePreconfiguredOutputs`
//! in `server/types/models/preconfiguration.ts` @056188f8, 9.x, the same in an 8.x build output;
//! judged from 8.0, as no 7.17 copy was read), and from 8.12 (read in the 8.12-dev `config.ts`; not in the 8.10 copy) the object's
//! refusal of `agents.elasticsearch.hosts` beside a preconfigured default output.

use super::{Seen, child, seen};
use crate::kibana::schema::validate::{Ctx, Validator};
use crate::model::tree::{Node, SettingPath};
use crate::version::Version;

/// `validatePreconfiguredOutputs`: the first problem in list order. Kibana's loop sets
/// `is_default_monitoring_exists` from `is_default_exists || output.is_default_monitoring`, so an
/// output marked `is_default_monitoring` after any default output is refused too — mirrored.
fn outputs_problem(outputs: &[Node]) -> Option<(usize, &'static str)> {
    let mut names: Vec<&str> = Vec::new();
    let mut ids: Vec<&str> = Vec::new();
    let (mut default_exists, mut monitoring_exists) = (false, false);
    for (i, output) in outputs.iter().enumerate() {
        let o = Some(output);
        let text = |key| match seen(o, key) {
            Seen::Str(s) => Some(s),
            _ => None,
        };
        let flag = |key| seen(o, key).bool_or(false);
        let (Some(is_default), Some(is_monitoring)) =
            (flag("is_default"), flag("is_default_monitoring"))
        else {
            // An unresolved `${VAR}`: nothing is concluded from this output on.
            return None;
        };
        let (name, id) = (text("name"), text("id"));
        if name.is_some_and(|n| names.contains(&n)) {
            return Some((i, "preconfigured outputs need to have unique names."));
        }
        if id.is_some_and(|n| ids.contains(&n)) {
            return Some((i, "preconfigured outputs need to have unique ids."));
        }
        if default_exists && is_default {
            return Some((i, "preconfigured outputs can only have one default output."));
        }
        if monitoring_exists && is_monitoring {
            return Some((
                i,
                "preconfigured outputs can only have one default monitoring output.",
            ));
        }
        names.extend(name);
        ids.extend(id);
        default_exists = default_exists || is_default;
        monitoring_exists = default_exists || is_monitoring;
    }
    None
}

impl Validator<'_> {
    pub(super) fn fleet(&mut self, fleet: &Node, ctx: &Ctx) {
        let root = SettingPath::parse("xpack.fleet");
        let f = Some(fleet);
        let outputs = child(f, "outputs")
            .and_then(Node::as_seq)
            .unwrap_or_default();
        if self.version >= Version::new(8, 0, 0)
            && let Some((i, message)) = outputs_problem(outputs)
        {
            self.fail(Some(&outputs[i]), &root.key("outputs"), ctx, message);
            return;
        }
        let hosts = child(child(child(f, "agents"), "elasticsearch"), "hosts");
        if self.version >= Version::new(8, 12, 0)
            && hosts.and_then(Node::as_seq).is_some_and(|h| !h.is_empty())
            && outputs.iter().any(|o| {
                seen(Some(o), "is_default").bool_or(false) == Some(true)
                    || seen(Some(o), "is_default_monitoring").bool_or(false) == Some(true)
            })
        {
            self.fail(
                hosts,
                &root,
                ctx,
                "xpack.fleet.agents.elasticsearch.hosts should not be used when defining default outputs in xpack.fleet.outputs, please remove it.",
            );
        }
    }
}
