//! The robustness corpus: ~55 real public kibana.yml, compose and manifest files kept beside
//! the checkout (`../shared/corpus/`). Every file must lint without a crash, exit 0 or 1 and give
//! valid JSON. On a fresh clone without the corpus the test says so and passes.

use std::time::Duration;

use crate::support::*;

#[test]
fn every_corpus_file_lints_without_a_crash() {
    let corpus = root().join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&corpus) else {
        peer_missing(&format!("{} not found", corpus.display()));
        return;
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !name.ends_with(".md") && !name.ends_with(".tsv")
        })
        .collect();
    files.sort();
    assert!(files.len() >= 50, "the corpus has {} files", files.len());
    let mut errors_seen = 0;
    for path in &files {
        let out = bin()
            .args(["lint", "--no-process-env", "--format", "json"])
            .arg(path)
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let code = out.status.code();
        assert!(
            matches!(code, Some(0) | Some(1)),
            "{name}: exit {code:?}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: invalid JSON ({e})"));
        assert_eq!(doc["schema_version"], 1, "{name}");
        errors_seen += doc["summary"]["error"].as_u64().unwrap();
    }
    // The corpus is full of known mistakes (see its NOTES.md); finding none would be a bug.
    assert!(
        errors_seen > 20,
        "only {errors_seen} errors across the corpus"
    );
}

/// Spot checks of mistakes the corpus notes list, by file number.
#[test]
fn corpus_mistakes_are_found() {
    let corpus = root().join("../shared/corpus");
    if !corpus.exists() {
        peer_missing(&format!("{} not found", corpus.display()));
        return;
    }
    let find = |prefix: &str| {
        std::fs::read_dir(&corpus)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .unwrap()
    };
    let rules_for = |prefix: &str| {
        let out = bin()
            .args(["lint", "--no-process-env", "--format", "json"])
            .arg(find(prefix))
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        rule_names(&doc)
    };
    // 03: the ESO key only in a comment.
    assert!(rules_for("03_").contains(&"encryption-key-missing".to_string()));
    // 01: a human placeholder key.
    assert!(rules_for("01_").contains(&"placeholder-encryption-key".to_string()));
    // 04: ${elasticsearch.password} stays literal.
    assert!(rules_for("04_").contains(&"env-ref-not-expanded".to_string()));
    // 49: a multi-document Kubernetes manifest whose Deployment runs Kibana, with published
    // keys in its env; 36: another chart's values, not checked.
    assert!(rules_for("49_").contains(&"published-encryption-key".to_string()));
    assert!(rules_for("36_").contains(&"not-a-kibana-config".to_string()));
    // 06: an unrendered Jinja template.
    assert!(rules_for("06_").contains(&"yaml-syntax-error".to_string()));
}

/// Every Compose file, manifest and chart values file of the corpus is either linted as the
/// Kibana it holds (the config module names it) or recognised and skipped with the one-line
/// note, and no finding is about a key of another product (Elasticsearch's, Beats').
#[test]
fn container_files_are_linted_as_their_kibana_or_skipped() {
    let corpus = root().join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&corpus) else {
        peer_missing(&format!("{} not found", corpus.display()));
        return;
    };
    let mut seen = 0;
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let container = text.contains("services:")
            || text.contains("apiVersion:")
            || text.contains("kibanaConfig")
            || text.contains("imageTag");
        if !container || name.ends_with(".md") {
            continue;
        }
        let out = bin()
            .args(["lint", "--no-process-env", "--format", "json"])
            .arg(&path)
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: invalid JSON ({e})"));
        let config = doc["modules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["module"] == "config")
            .unwrap();
        let names = rule_names(&doc);
        let skipped = names == ["not-a-kibana-config"];
        let linted = config["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("the configuration of "))
            || names.iter().any(|n| n != "not-a-kibana-config");
        assert!(skipped || linted, "{name}: {names:?} {}", config["summary"]);
        for f in doc["findings"].as_array().unwrap() {
            let setting = f["setting"].as_str().unwrap_or_default();
            for foreign in [
                "discovery.",
                "cluster.",
                "node.",
                "path.repo",
                "bootstrap.",
                "filebeat.",
                "metricbeat.",
                "output.",
            ] {
                assert!(
                    !setting.starts_with(foreign),
                    "{name}: a finding on {setting}"
                );
            }
        }
        seen += 1;
    }
    assert!(seen >= 15, "only {seen} container files in the corpus");
}
