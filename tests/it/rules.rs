//! Every rule has fixtures that trigger it and fixtures that do not; the rendered text and JSON
//! of each triggering fixture are snapshots (a snapshot review is a UX review).

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::*;
use kibana_preflight::rules::Rule;

fn json_of(path: &Path) -> (serde_json::Value, i32, String) {
    let out = lint(path, "json");
    let text = stdout(&out);
    let json: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{}: invalid JSON ({e}):\n{text}", path.display()));
    (json, out.status.code().unwrap_or(-1), text)
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture() {
    let mut missing = Vec::new();
    // Live rules need network peers: tests/live.rs covers each of them.
    // diagnose reads error texts, not kibana.yml: tests/diagnose.rs covers its rules.
    for rule in Rule::ALL
        .iter()
        .filter(|r| !r.live() && r.module().name() != "diagnose")
    {
        let dir = root().join("fixtures/rules").join(rule.name());
        let cases: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".yml"))
                    .collect()
            })
            .unwrap_or_default();
        if !cases.iter().any(|c| c.starts_with("fail")) {
            missing.push(format!("{}: no fail*.yml", rule.name()));
        }
        if !cases.iter().any(|c| c.starts_with("pass")) {
            missing.push(format!("{}: no pass*.yml", rule.name()));
        }
    }
    let known: BTreeSet<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
    for entry in std::fs::read_dir(root().join("fixtures/rules")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !known.contains(name.as_str()) {
            missing.push(format!("fixtures/rules/{name}: no rule of that name"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Only the findings of `rule` from a text report: the blocks whose heading names it (as ruff's
/// fixture tests show only the rule under test, so a wording change elsewhere churns nothing).
fn text_of_rule(text: &str, rule: &str) -> String {
    let id = kibana_preflight::Rule::lookup(rule).unwrap().id();
    let tag = format!("[{id} {rule}]");
    text.split("\n\n")
        .filter(|block| block.lines().next().is_some_and(|l| l.contains(&tag)))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Only the findings of `rule` from a JSON report.
fn json_of_rule(json: &serde_json::Value, rule: &str) -> String {
    let mine: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["name"] == rule)
        .collect();
    serde_json::to_string_pretty(&mine).unwrap()
}

#[test]
fn failing_fixtures_trigger_their_rule() {
    insta::with_settings!({
        snapshot_path => "snapshots/rules",
        prepend_module_to_snapshot => false,
    }, {
        insta::glob!("../../fixtures/rules", "*/fail*.yml", |path| {
            let rule = rule_of(path);
            let (json, code, _) = json_of(path);
            let names = rule_names(&json);
            assert!(
                names.contains(&rule),
                "{} does not trigger {rule}; it gives {names:?}",
                relative(path)
            );
            let has_error = json["summary"]["error"].as_u64().unwrap() > 0;
            assert_eq!(code, if has_error { 1 } else { 0 }, "exit code of {}", relative(path));
            let text = stdout(&lint(path, "text"));
            insta::assert_snapshot!("text", text_of_rule(&text, &rule));
            insta::assert_snapshot!("json", json_of_rule(&json, &rule));
        });
    });
}

#[test]
fn passing_fixtures_do_not_trigger_their_rule() {
    insta::glob!("../../fixtures/rules", "*/pass*.yml", |path| {
        let rule = rule_of(path);
        let (json, code, _) = json_of(path);
        let names = rule_names(&json);
        assert!(
            !names.contains(&rule),
            "{} triggers {rule}: {}",
            relative(path),
            serde_json::to_string_pretty(&json["findings"]).unwrap()
        );
        assert!(
            code == 0 || code == 1,
            "exit code {code} for {}",
            relative(path)
        );
    });
}
