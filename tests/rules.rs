//! Every rule has fixtures that trigger it and fixtures that do not; the rendered text and JSON
//! of each triggering fixture are snapshots (a snapshot review is a UX review).

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use kibana_preflight::rules::Rule;
use support::*;

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

#[test]
fn failing_fixtures_trigger_their_rule() {
    insta::with_settings!({
        snapshot_path => "snapshots/rules",
        prepend_module_to_snapshot => false,
        filters => vec![(r#""version": "[0-9][^"]*""#, r#""version": "[version]""#)],
    }, {
        insta::glob!("../fixtures/rules", "*/fail*.yml", |path| {
            let rule = rule_of(path);
            let (json, code, raw) = json_of(path);
            let names = rule_names(&json);
            assert!(
                names.contains(&rule),
                "{} does not trigger {rule}; it gives {names:?}",
                relative(path)
            );
            let meta = Rule::lookup(&rule).unwrap().meta();
            let has_error = json["summary"]["error"].as_u64().unwrap() > 0;
            assert_eq!(code, if has_error { 1 } else { 0 }, "exit code of {}", relative(path));
            let text = stdout(&lint(path, "text"));
            insta::assert_snapshot!("text", text);
            insta::assert_snapshot!("json", raw);
            let _ = meta;
        });
    });
}

#[test]
fn passing_fixtures_do_not_trigger_their_rule() {
    insta::glob!("../fixtures/rules", "*/pass*.yml", |path| {
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
