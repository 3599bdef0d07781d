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
    // 49: a multi-document Kubernetes manifest, and 02: a Compose file.
    assert!(rules_for("49_").contains(&"not-a-kibana-config".to_string()));
    assert!(rules_for("02_").contains(&"not-a-kibana-config".to_string()));
    // 06: an unrendered Jinja template.
    assert!(rules_for("06_").contains(&"yaml-syntax-error".to_string()));
}
