//! Every output format on a fixture with errors, warnings and notes: snapshots of what CI
//! systems read, SARIF validated against the official SARIF 2.1.0 JSON schema and checked for
//! GitHub's required properties, JUnit parsed back with an XML parser, and annotation escaping.

use std::collections::BTreeSet;

use crate::support::*;

const FIXTURE: &str = "fixtures/demo/kibana.yml";

fn run(args: &[&str], env: &[(&str, &str)]) -> (String, String, i32) {
    let mut cmd = bin();
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
        out.status.code().unwrap_or(-1),
    )
}

fn lint(format: &str) -> String {
    run(
        &["lint", "--no-process-env", "--format", format, FIXTURE],
        &[],
    )
    .0
}

fn version_filter() -> Vec<(&'static str, &'static str)> {
    vec![
        (r#""version":"[0-9][^"]*""#, r#""version":"[version]""#),
        (
            r#""semanticVersion":"[0-9][^"]*""#,
            r#""semanticVersion":"[version]""#,
        ),
    ]
}

#[test]
fn snapshots_of_every_format() {
    insta::with_settings!({
        snapshot_path => "snapshots/formats",
        prepend_module_to_snapshot => false,
        filters => version_filter(),
    }, {
        insta::assert_snapshot!("github", lint("github"));
        insta::assert_snapshot!("junit", lint("junit"));
        // SARIF's driver lists every rule's documentation: snapshot the results only.
        let sarif: serde_json::Value = serde_json::from_str(&lint("sarif")).unwrap();
        insta::assert_snapshot!(
            "sarif-results",
            serde_json::to_string_pretty(&sarif["runs"][0]["results"]).unwrap()
        );
    });
}

/// The OASIS SARIF 2.1.0 schema, as shipped inside the serde-sarif crate (a dev-dependency that
/// generates its types from it), so the test reads the official file without a copy of our own.
fn official_sarif_schema() -> jsonschema::Validator {
    // Only the host's packages: the full graph would need Windows-only crates downloaded.
    let rustc = std::process::Command::new("rustc")
        .arg("-vV")
        .output()
        .unwrap();
    let rustc = String::from_utf8_lossy(&rustc.stdout);
    let host = rustc
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc names its host");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", host])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let manifest = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("serde-sarif is a dev-dependency");
    let path = std::path::Path::new(manifest).with_file_name("src/schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        schema["$id"],
        "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
    );
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
}

#[test]
fn sarif_matches_the_official_schema() {
    let v = official_sarif_schema();
    let fixture: serde_json::Value = serde_json::from_str(&lint("sarif")).unwrap();
    // `check` too: its artifacts are URLs, not files.
    let (check, _, _) = run(
        &[
            "check",
            "--no-process-env",
            "--format",
            "sarif",
            "--timeout",
            "0.5",
            "--url",
            "http://localhost:1/hook",
            FIXTURE,
        ],
        &[],
    );
    let check: serde_json::Value = serde_json::from_str(&check).unwrap();
    for (what, doc) in [("lint", &fixture), ("check", &check)] {
        let errors: Vec<String> = v
            .iter_errors(doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
    }
    // The validator is not vacuous: a result without a message breaks the schema.
    let mut broken = fixture.clone();
    broken["runs"][0]["results"][0]["message"] = serde_json::json!({});
    assert!(!v.is_valid(&broken));
}

#[test]
fn sarif_is_valid_for_github_code_scanning() {
    let text = lint("sarif");
    // The SARIF object model, generated from the 2.1.0 schema: every field has the right type.
    let typed: serde_sarif::sarif::Sarif =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not SARIF 2.1.0: {e}\n{text}"));
    assert_eq!(typed.version.to_string().trim_matches('"'), "2.1.0");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), kibana_preflight::rules::Rule::ALL.len());
    for r in rules {
        for key in ["id", "name"] {
            assert!(!r[key].as_str().unwrap().is_empty());
        }
        for key in ["shortDescription", "fullDescription", "help"] {
            let t = r[key]["text"].as_str().unwrap();
            assert!(
                !t.is_empty() && (key == "help" || t.chars().count() <= 1024),
                "{key} of {}",
                r["id"]
            );
        }
        assert!(
            ["error", "warning", "note"]
                .contains(&r["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let mut fingerprints = BTreeSet::new();
    for res in results {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[idx]["id"], res["ruleId"],
            "ruleIndex points at the rule"
        );
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        let loc = &res["locations"][0]["physicalLocation"];
        assert!(!loc["artifactLocation"]["uri"].as_str().unwrap().is_empty());
        // A finding about a whole file has no region (code scanning shows it at file level).
        if loc.get("region").is_some() {
            for key in ["startLine", "startColumn", "endLine", "endColumn"] {
                assert!(loc["region"][key].as_u64().unwrap() >= 1, "{key}");
            }
        }
        let fp = res["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        assert!(
            fingerprints.insert(fp.to_string()),
            "fingerprints are unique: {fp}"
        );
    }
    // Stable across runs, so re-uploads do not duplicate alerts.
    assert_eq!(lint("sarif"), text);
}

#[test]
fn junit_parses_and_counts_add_up() {
    let xml = lint("junit");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let attr = |n: roxmltree::Node, a: &str| n.attribute(a).unwrap().parse::<usize>().unwrap();
    let mut total = 0;
    let mut failed = 0;
    for suite in root.children().filter(|n| n.has_tag_name("testsuite")) {
        let cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        let failures = cases
            .iter()
            .filter(|c| c.children().any(|x| x.has_tag_name("failure")))
            .count();
        assert_eq!(attr(suite, "tests"), cases.len());
        assert_eq!(attr(suite, "failures"), failures);
        total += cases.len();
        failed += failures;
    }
    assert_eq!(attr(root, "tests"), total);
    assert_eq!(attr(root, "failures"), failed);
    assert!(failed >= 2, "the fixture fails several modules");
}

#[test]
fn annotations_escape_paths_and_messages_and_skip_columns_on_multiline_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd,name:100%.yml");
    std::fs::write(
        &path,
        "xpack.actions.allowedHosts: [\"https://a.example\"]\nxpack.encryptedSavedObjects.encryptionKey: |\n  short\n  key\n",
    )
    .unwrap();
    let (out, _, _) = run(
        &[
            "lint",
            "--no-process-env",
            "--format",
            "github",
            path.to_str().unwrap(),
        ],
        &[],
    );
    let line = out.lines().find(|l| l.contains("KP301")).unwrap();
    assert!(line.contains("odd%2Cname%3A100%25.yml"), "{line}");
    assert!(
        line.contains("title=KP301 invalid-allowed-host::"),
        "{line}"
    );
    let message = line.split_once("::").unwrap().1.split_once("::").unwrap().1;
    assert!(
        !message.contains('\n') && message.contains("%0A"),
        "{message}"
    );
    // The key is a block scalar over two lines: no col/endColumn for it.
    let multi = out.lines().find(|l| l.contains("KP602")).unwrap();
    assert!(
        multi.contains("line=2,endLine=4") || !multi.contains("col="),
        "{multi}"
    );
    if multi.contains("endLine=4") {
        assert!(!multi.contains("col="), "{multi}");
    }
}

#[test]
fn github_actions_gets_annotations_and_a_step_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let (out, _, code) = run(
        &["lint", "--no-process-env", FIXTURE],
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ],
    );
    assert_eq!(code, 1);
    assert!(
        out.contains("error[KP301"),
        "the text report is still there"
    );
    assert!(
        out.contains("::error file=fixtures/demo/kibana.yml"),
        "and the annotations"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("## kibana-preflight: ❌ failed"), "{md}");
    assert!(md.contains("| `fixtures/demo/kibana.yml` |"));
    assert!(md.contains("| rule | findings |"));
}

#[test]
fn output_writes_the_format_to_a_file_and_text_to_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.sarif");
    let (out, _, code) = run(
        &[
            "lint",
            "--no-process-env",
            "--format",
            "sarif",
            "--output",
            file.to_str().unwrap(),
            FIXTURE,
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(out.contains("error[KP301"), "text on stdout:\n{out}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
}

/// Carets line up under the value whatever precedes it on the line: wide (CJK) characters take
/// two columns, as a terminal shows them.
#[test]
fn carets_line_up_after_wide_characters() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kibana.yml");
    std::fs::write(
        &file,
        "xpack.actions.allowedHosts: [\"日本語.example\", \"https://hooks.example.com\"]\n",
    )
    .unwrap();
    let out = bin()
        .args(["lint", "--no-process-env"])
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let block = text
        .split("\n\n")
        .find(|b| b.contains("invalid-allowed-host"))
        .expect("the URL entry is reported");
    let lines: Vec<&str> = block.lines().collect();
    let source = lines
        .iter()
        .position(|l| l.contains("xpack.actions"))
        .unwrap();
    let width = |s: &str| -> usize {
        s.chars()
            .map(|c| {
                if ('\u{2E80}'..='\u{9FFF}').contains(&c) {
                    2
                } else {
                    1
                }
            })
            .sum()
    };
    let value_at = width(&lines[source][..lines[source].find("\"https").unwrap()]);
    let caret_at = lines[source + 1].find('^').unwrap();
    assert_eq!(caret_at, value_at, "\n{block}");
}
