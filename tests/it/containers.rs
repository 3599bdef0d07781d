//! kibana.yml where it lives: a Compose service (mounted kibana.yml, env_file, environment with
//! Compose's interpolation), an ECK Kibana resource, the elastic/kibana chart's values, a
//! ConfigMap; findings located in the file as written; `--service`; directory audits.

use crate::support::*;

/// (rule, setting, file, line, column) of a finding.
type Located = (String, String, String, u64, u64);

fn located(args: &[&str]) -> (Vec<Located>, serde_json::Value) {
    let out = bin()
        .current_dir(root().join("fixtures/containers"))
        .args(["lint", "--no-process-env", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let list = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap_or_default().to_string(),
                f["setting"].as_str().unwrap_or_default().to_string(),
                f["file"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    (list, doc)
}

fn has(
    list: &[(String, String, String, u64, u64)],
    rule: &str,
    file: &str,
    line: u64,
    col: u64,
) -> bool {
    list.iter()
        .any(|(r, _, f, l, c)| r == rule && f == file && *l == line && *c == col)
}

#[test]
fn a_compose_service_is_its_mounted_file_and_its_environment() {
    let (list, doc) = located(&["compose/compose.yml"]);
    // In the mounted kibana.yml, where it is written.
    assert!(
        has(&list, "unknown-setting", "compose/kibana.yml", 2, 1),
        "{list:#?}"
    );
    assert!(
        has(&list, "invalid-setting-value", "compose/kibana.yml", 6, 25),
        "{list:#?}"
    );
    // An environment entry the image ignores, at its line in the Compose file.
    assert!(
        has(&list, "docker-env-ignored", "compose/compose.yml", 15, 9),
        "{list:#?}"
    );
    // The keys come from env_file (kibana.env): none is missing.
    assert!(
        !list
            .iter()
            .any(|(r, ..)| r.contains("encryption-key-missing")),
        "{list:#?}"
    );
    // The image tag is the version.
    assert_eq!(doc["files"][0]["kibana_version"], "8.15.0");
    let title = doc["files"][0]["file"].as_str().unwrap();
    assert!(title.contains(": service kibana (8.15.0)"), "{title}");
}

#[test]
fn service_picks_another_kibana_and_compose_interpolation_applies() {
    let (list, doc) = located(&["--service", "kibana-canary", "compose/compose.yml"]);
    assert_eq!(doc["files"][0]["kibana_version"], "9.1.0");
    // ${ESO_KEY} comes from the .env beside the Compose file: "short".
    assert!(
        has(
            &list,
            "encryption-key-too-short",
            "compose/compose.yml",
            19,
            50
        ),
        "{list:#?}"
    );
    let out = bin()
        .current_dir(root().join("fixtures/containers"))
        .args(["lint", "--service", "nope", "compose/compose.yml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("kibana-canary"));
}

#[test]
fn eck_helm_and_configmap_configurations_point_into_the_file() {
    let (list, doc) = located(&["k8s/eck.yaml"]);
    assert!(
        has(&list, "invalid-setting-value", "k8s/eck.yaml", 22, 29),
        "{list:#?}"
    );
    assert!(
        has(
            &list,
            "proxy-url-unsupported-scheme",
            "k8s/eck.yaml",
            29,
            22
        ),
        "{list:#?}"
    );
    // The operator generates the encryption keys.
    assert!(
        !list
            .iter()
            .any(|(r, ..)| r.contains("encryption-key-missing")),
        "{list:#?}"
    );
    assert_eq!(doc["files"][0]["kibana_version"], "9.1.0");
    let (list, doc) = located(&["k8s/values.yaml"]);
    assert!(
        has(&list, "invalid-setting-value", "k8s/values.yaml", 13, 31),
        "{list:#?}"
    );
    assert_eq!(doc["files"][0]["kibana_version"], "8.19.3");
    let (list, _) = located(&["k8s/configmap.yaml"]);
    assert!(
        has(&list, "removed-setting", "k8s/configmap.yaml", 8, 5),
        "{list:#?}"
    );
    let (list, _) = located(&["k8s/elasticsearch-values.yaml"]);
    let rules: Vec<&str> = list.iter().map(|(r, ..)| r.as_str()).collect();
    assert_eq!(rules, ["not-a-kibana-config"]);
}

#[test]
fn a_directory_audit_finds_every_kibana_by_content() {
    let out = bin()
        .current_dir(root().join("fixtures/containers"))
        .args(["lint", "--no-process-env", "--color", "never", "."])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "compose/compose.yml + ./compose/kibana.yml: service kibana (8.15.0)",
        "k8s/eck.yaml: Kibana quickstart (9.1.0)",
        "k8s/values.yaml: values kibanaConfig (8.19.3)",
        "k8s/configmap.yaml: ConfigMap kibana-config",
    ] {
        assert!(text.contains(line), "{line:?} not in\n{text}");
    }
    // Another chart's values are not picked up.
    assert!(!text.contains("elasticsearch-values"), "{text}");
}

#[test]
fn check_works_on_a_container_file() {
    let out = bin()
        .current_dir(root().join("fixtures/containers"))
        .args([
            "check",
            "--no-process-env",
            "--format",
            "json",
            "--url",
            "https://unlisted.example/hook",
            "k8s/eck.yaml",
        ])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        rule_names(&doc).contains(&"target-not-allowed".to_string()),
        "{doc}"
    );
}

/// The text report of each container fixture, as a user sees it (a snapshot review is a UX
/// review): positions in the file as written, the Kibana named.
#[test]
fn text_reports_of_container_files() {
    insta::with_settings!({
        snapshot_path => "snapshots/containers",
        prepend_module_to_snapshot => false,
    }, {
        for (name, args) in [
            ("compose", vec!["compose/compose.yml"]),
            ("compose-canary", vec!["--service", "kibana-canary", "compose/compose.yml"]),
            ("eck", vec!["k8s/eck.yaml"]),
            ("helm-values", vec!["k8s/values.yaml"]),
            ("configmap", vec!["k8s/configmap.yaml"]),
            ("other-chart", vec!["k8s/elasticsearch-values.yaml"]),
        ] {
            let out = bin()
                .current_dir(root().join("fixtures/containers"))
                .args(["lint", "--no-process-env", "--color", "never"])
                .args(&args)
                .output()
                .unwrap();
            insta::assert_snapshot!(name, String::from_utf8_lossy(&out.stdout));
        }
    });
}
