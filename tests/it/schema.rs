//! The JSON report matches docs/report.schema.json, for every rule fixture and for check and
//! diagnose output.

use crate::support::*;

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("docs/report.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn check_valid(v: &jsonschema::Validator, what: &str, stdout: &[u8]) {
    let doc: serde_json::Value =
        serde_json::from_slice(stdout).unwrap_or_else(|e| panic!("{what}: invalid JSON ({e})"));
    let errors: Vec<String> = v
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

#[test]
fn every_rule_fixture_report_matches_the_schema() {
    let v = validator();
    // The schema does reject what it should.
    assert!(!v.is_valid(&serde_json::json!({"schema_version": 2})));
    let mut wrong = serde_json::from_slice::<serde_json::Value>(
        &lint(&root().join("fixtures/demo/kibana.yml"), "json").stdout,
    )
    .unwrap();
    wrong["findings"][0]["severity"] = "fatal".into();
    assert!(!v.is_valid(&wrong));
    let mut n = 0;
    for entry in std::fs::read_dir(root().join("fixtures/rules")).unwrap() {
        let dir = entry.unwrap().path();
        for f in std::fs::read_dir(&dir).unwrap() {
            let path = f.unwrap().path();
            if path.extension().is_some_and(|e| e == "yml") {
                let out = lint(&path, "json");
                check_valid(&v, &relative(&path), &out.stdout);
                n += 1;
            }
        }
    }
    assert!(n > 100, "{n} fixtures");
}

#[test]
fn check_and_diagnose_reports_match_the_schema() {
    let v = validator();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let stdout = |args: &[&str]| bin().args(args).output().unwrap().stdout;
    let unused = format!("https://127.0.0.1:{port}/x");
    let check = stdout(&[
        "check",
        "--no-process-env",
        "--format",
        "json",
        "--timeout",
        "2",
        "--url",
        &unused,
        "--url",
        "http://localhost:1/y",
        "--connector",
        "fixtures/demo/connector.json",
        "fixtures/demo/kibana.yml",
    ]);
    check_valid(&v, "check", &check);
    let diagnose = stdout(&[
        "diagnose",
        "--format",
        "json",
        "[ENOTFOUND] getaddrinfo ENOTFOUND hooks.internal",
    ]);
    check_valid(&v, "diagnose", &diagnose);
    let two_files = stdout(&[
        "lint",
        "--no-process-env",
        "--format",
        "json",
        "fixtures/demo/kibana.yml",
        "fixtures/good/kibana.yml",
    ]);
    check_valid(&v, "two files", &two_files);
}
