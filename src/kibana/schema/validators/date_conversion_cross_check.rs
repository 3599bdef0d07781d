//! `date_conversion.rs` against the real thing under Node: moment-timezone's `tz.zone()` in the
//! versions Kibana may bundle (npm, into a cache folder) and the conversion's two regexes run
//! by JavaScript's engine, on every zone name, mangled names and generated patterns. Locally
//! the test skips with a message when Node or npm is missing; in CI (`KP_REQUIRE_PEERS`) it
//! fails.

use std::path::{Path, PathBuf};

use super::{DateProblem, ZONES, first_problem, known_timezone};
use crate::kibana::node_cross_check;

/// 7.17's floor (`^0.5.27` in its package.json), the newest 0.5, the newest release.
pub(in crate::kibana::schema::validators) const VERSIONS: &[&str] = &["0.5.27", "0.5.48", "0.6.6"];

pub(in crate::kibana::schema::validators) fn alias(v: &str) -> String {
    format!("mtz-{v}")
}

/// node_modules holding the versions (installed on first use; .ci/run installs them first);
/// the ui setting `dateFormat:tz` is checked against the same versions.
pub(in crate::kibana::schema::validators) fn modules() -> Option<PathBuf> {
    let packages: Vec<String> = VERSIONS
        .iter()
        .map(|v| format!("{}@npm:moment-timezone@{v}", alias(v)))
        .collect();
    let present: Vec<String> = VERSIONS.iter().map(|v| alias(v)).collect();
    node_cross_check::npm_modules("moment-timezone", &packages, &present)
}

#[derive(serde::Deserialize)]
struct Reference {
    all: Vec<String>,
    names: Vec<String>,
    patterns: Vec<[Option<(String, String)>; 2]>,
}

fn reference(mods: &Path, names: &[String], patterns: &[String]) -> Reference {
    let versions: Vec<String> = VERSIONS.iter().map(|v| alias(v)).collect();
    let input = serde_json::to_vec(&serde_json::json!({
        "versions": versions,
        "names": names,
        "patterns": patterns,
    }))
    .unwrap();
    node_cross_check::node_json(include_str!("date_conversion_cross_check.js"), mods, input)
}

/// Every shipped name, and each changed the ways people mistype them.
fn names() -> Vec<String> {
    let shipped: Vec<&str> = include_str!("../../../../rules/data/moment-timezones.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for n in &shipped {
        out.push(n.to_string());
        out.push(n.to_uppercase());
        out.push(n.to_lowercase());
        out.push(n.replace('/', "_"));
        out.push(n.replace('_', "/"));
        out.push(n.replace('_', " "));
        out.push(n[..n.len() - 1].to_string());
        out.push(format!("{n}x"));
        out.push(format!(" {n}"));
    }
    for special in [
        "",
        "constructor",
        "__proto__",
        "toString",
        "hasOwnProperty",
        "Europe/\u{212A}iev",
        "EUROPE/K\u{0130}EV",
        "Etc/GMT+1",
        "Etc/GMT-14",
        "GMT0",
        "Z",
        "+05:00",
        "Local",
        "Europe//Berlin",
        "Mars/Olympus_Mons",
    ] {
        out.push(special.to_string());
    }
    out
}

/// Patterns from pieces people write in `%date{…}{…}`, combined, and deterministic mixes of
/// the conversion's own punctuation.
fn patterns() -> Vec<String> {
    let formats = [
        "ISO8601",
        "ISO8601_TZ",
        "ABSOLUTE",
        "UNIX",
        "UNIX_MILLIS",
        "iso8601",
        "toString",
        "constructor",
        "YYYY-MM-DD",
        "ISO8601 ",
        "",
    ];
    let zones = [
        "Europe/Berlin",
        "europe_berlin",
        "UTC",
        "Etc/GMT+1",
        "+05:00",
        "Europe/Berln",
        "Europe/Berlin 1",
        "America/Argentina/Buenos_Aires",
        "constructor",
        "",
        "%date{X}",
    ];
    let mut out = Vec::new();
    for f in formats {
        out.push(format!("[%date{{{f}}}][%level] %message"));
        for z in zones {
            out.push(format!("[%date{{{f}}}{{{z}}}][%level] %message"));
            out.push(format!("%date{{ISO8601}}{{{z}}} %date{{{f}}}"));
            out.push(format!("%date{{{f}}}{{{z}}}}} %date{{UNIX}}{{Nowhere}}"));
        }
    }
    let pieces = [
        "%date",
        "{",
        "}",
        "ISO8601",
        "UTC",
        "Europe/Berlin",
        "x",
        " ",
        "+05:00",
        "%",
        "date",
        "Nowhere",
        "_",
        "/",
    ];
    out.extend(node_cross_check::mixes(
        &pieces,
        3000,
        9,
        0x9e37_79b9_7f4a_7c15,
    ));
    out
}

fn as_pair(p: Option<DateProblem>) -> Option<(String, String)> {
    p.map(|p| match p {
        DateProblem::Format(f) => ("format".to_string(), f.to_string()),
        DateProblem::Timezone(t) => ("timezone".to_string(), t.to_string()),
    })
}

#[test]
fn date_conversion_agrees_with_moment_timezone_and_the_regexes() {
    let Some(mods) = modules() else { return };
    let names = names();
    let patterns = patterns();
    let reference = reference(&mods, &names, &patterns);

    // The shipped list is the versions' names, so regenerating it is never forgotten.
    let mut all = reference.all.clone();
    all.sort();
    let mut shipped: Vec<String> = include_str!("../../../../rules/data/moment-timezones.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    shipped.sort();
    assert_eq!(shipped, all, "rerun scripts/moment-timezones.mjs");
    assert_eq!(ZONES.len(), all.len());

    let accepted: std::collections::HashSet<&str> =
        reference.names.iter().map(String::as_str).collect();
    let wrong: Vec<&String> = names
        .iter()
        .filter(|n| known_timezone(n) != accepted.contains(n.as_str()))
        .collect();
    assert!(
        wrong.is_empty(),
        "zone verdicts differ from moment-timezone: {wrong:?}"
    );
    assert!(accepted.len() > 1000 && accepted.len() < names.len());

    let mut differ = Vec::new();
    for (p, [before, from]) in patterns.iter().zip(&reference.patterns) {
        for (era, expected) in [(false, before), (true, from)] {
            let ours = as_pair(first_problem(p, era));
            if &ours != expected {
                differ.push(format!(
                    "{p:?} (8.17 on: {era}): ours {ours:?}, JavaScript {expected:?}"
                ));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "{} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
    let refused = reference
        .patterns
        .iter()
        .flatten()
        .filter(|v| v.is_some())
        .count();
    assert!(refused > 100, "the patterns exercise refusals ({refused})");
}
