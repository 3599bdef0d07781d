//! The library's public surface: lint a file without the command line, read the findings, and
//! get the same JSON document the CLI prints.

use crate::support::*;
use kibana_preflight::{LintOptions, Rule, Severity, Status, lint};

#[test]
fn lint_through_the_library_matches_the_cli() {
    let file = root().join("fixtures/demo/kibana.yml");
    let report = lint(std::slice::from_ref(&file), &LintOptions::default()).expect("lints");
    let invalid = report
        .findings()
        .iter()
        .find(|f| f.rule() == Rule::InvalidAllowedHost)
        .expect("the demo has an invalid allowedHosts entry");
    assert_eq!(invalid.severity_level(), Severity::Error);
    assert!(
        invalid.message().contains("is not a hostname"),
        "{}",
        invalid.message()
    );
    assert!(
        invalid
            .kibana_message()
            .unwrap()
            .contains("value must be a valid hostname")
    );
    assert!(report.count(Severity::Error) > 0);
    let allowed = report
        .modules()
        .iter()
        .find(|m| m.module().name() == "allowed-hosts")
        .unwrap();
    assert_eq!(allowed.status(), Status::Fail);

    // The CLI with an empty environment prints the same document.
    let out = bin()
        .args(["lint", "--no-process-env", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lib: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(lib["findings"], cli["findings"]);
    assert_eq!(lib["modules"], cli["modules"]);
    assert_eq!(lib["files"], cli["files"]);
}
