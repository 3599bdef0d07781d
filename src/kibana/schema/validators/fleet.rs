//! The `validate` functions of Fleet's schema: preconfigured outputs (`validatePreconfiguredOutputs`
//! in `server/types/models/preconfiguration.ts` @056188f8, 9.x, the same in an 8.x build output;
//! 7.17's copy @b9331eb9 has three checks and its own wording for the default, and PR #117667
//! (8.0) added the monitoring output: fleet-preconfig.md), and from 8.12 (read in the 8.12-dev
//! `config.ts`; not in the 8.10 copy) the object's refusal of `agents.elasticsearch.hosts` beside
//! a preconfigured default output; a preconfigured package's `version` must be node-semver's
//! `valid()` or `latest` (the same file, 7.17 included).

use std::sync::LazyLock;

use regex::Regex;
use rustc_hash::FxHashSet;

use super::{Seen, child, seen};
use crate::kibana::schema::validate::{Ctx, Validator};
use crate::model::tree::{Node, SettingPath};
use crate::version::Version;

/// node-semver's strict `FULL` pattern, which `valid()` applies to the trimmed text (at most 256
/// characters; each number at most `Number.MAX_SAFE_INTEGER`).
static SEMVER: LazyLock<Regex> = LazyLock::new(|| {
    let n = r"(0|[1-9]\d*)";
    let pre = r"(?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*)";
    let build = r"[0-9A-Za-z-]+";
    Regex::new(&format!(
        r"^v?{n}\.{n}\.{n}(?:-{pre}(?:\.{pre})*)?(?:\+{build}(?:\.{build})*)?$"
    ))
    .expect("a valid pattern")
});

/// `semverValid(value)` (node-semver, strict).
fn semver_valid(value: &str) -> bool {
    const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;
    if value.len() > 256 {
        return false;
    }
    // JavaScript's trim: whitespace and line terminators at both ends.
    let v = value.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    SEMVER
        .captures(v)
        .is_some_and(|c| (1..=3).all(|i| c[i].parse::<u64>().is_ok_and(|n| n <= MAX_SAFE_INTEGER)))
}

/// `validatePreconfiguredOutputs`: the first problem in list order. Kibana's loop sets
/// `is_default_monitoring_exists` from `is_default_exists || output.is_default_monitoring`, so an
/// output marked `is_default_monitoring` after any default output is refused too — mirrored.
fn outputs_problem(outputs: &[Node], version: Version) -> Option<(usize, &'static str)> {
    let monitoring = version >= Version::new(8, 0, 0);
    // Sets, so a list of any length is checked in one pass.
    let mut names: FxHashSet<&str> = FxHashSet::default();
    let mut ids: FxHashSet<&str> = FxHashSet::default();
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
        if name.is_some_and(|n| names.contains(n)) {
            return Some((i, "preconfigured outputs need to have unique names."));
        }
        if id.is_some_and(|n| ids.contains(n)) {
            return Some((i, "preconfigured outputs need to have unique ids."));
        }
        if default_exists && is_default {
            return Some((
                i,
                if monitoring {
                    "preconfigured outputs can only have one default output."
                } else {
                    "preconfigured outputs need to have only one default output."
                },
            ));
        }
        if monitoring && monitoring_exists && is_monitoring {
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
        if let Some((i, message)) = outputs_problem(outputs, self.version) {
            self.fail(Some(&outputs[i]), &root.key("outputs"), ctx, message);
            return;
        }
        // PreconfiguredPackagesSchema: each item's version (its own validate, before the object's).
        let packages = child(f, "packages")
            .and_then(Node::as_seq)
            .unwrap_or_default();
        let mut bad_version = false;
        for (i, package) in packages.iter().enumerate() {
            if let Seen::Str(version) = seen(Some(package), "version")
                && version != "latest"
                && !semver_valid(version)
            {
                let path = root.key("packages").index(i).key("version");
                let node = child(Some(package), "version");
                self.fail(
                    node,
                    &path,
                    ctx,
                    "must be a valid semver, or the keyword `latest`",
                );
                bad_version = true;
            }
        }
        if bad_version {
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

#[cfg(test)]
mod tests {
    use super::semver_valid;

    #[test]
    fn package_versions_follow_node_semver_valid() {
        for good in [
            "1.2.3",
            "v1.2.3",
            " 1.2.3 ",
            "8.15.0-preview-1",
            "1.0.0+build.7",
            "0.0.0",
        ] {
            assert!(semver_valid(good), "{good:?}");
        }
        for bad in [
            "1.2",
            "1",
            "01.2.3",
            "1.2.3-",
            "=1.2.3",
            "latest-ish",
            "",
            "1.2.3.4",
            "9007199254740992.0.0",
        ] {
            assert!(!semver_valid(bad), "{bad:?}");
        }
    }
}
