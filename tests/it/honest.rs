//! `pass` means "ran and found nothing": a step that did not run (not reached because an earlier
//! step failed, or not applicable) is `skip` with its reason, the same in every format.

use crate::net::free_port;
use crate::support::*;

/// Runs `check` on the "good" fixture in `format`; returns stdout and the step summary.
fn check(format: &str, extra: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let out = bin()
        .args([
            "check",
            "--no-process-env",
            "--timeout",
            "0.5",
            "--format",
            format,
        ])
        .args([
            "--env-file",
            "fixtures/good/kibana.env",
            "fixtures/good/kibana.yml",
        ])
        .args(extra)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(&summary).unwrap_or_default();
    (String::from_utf8(out.stdout).unwrap(), md)
}

/// The module statuses of a JSON report.
fn statuses(json: &str) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["module"].as_str().unwrap().to_string(),
                m["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn status_of(json: &str, module: &str) -> String {
    statuses(json)
        .into_iter()
        .find(|(m, _)| m == module)
        .map(|(_, s)| s)
        .unwrap_or_else(|| panic!("no module {module} in {json}"))
}

/// Asserts that `skipped` modules are skip (and `ran` are not) in text, JSON, JUnit, SARIF and
/// the GitHub step summary.
fn assert_everywhere(args: &[&str], skipped: &[&str], ran: &[&str]) {
    let (json, _) = check("json", args);
    for m in skipped {
        assert_eq!(status_of(&json, m), "skip", "{m} in {args:?}");
    }
    for m in ran {
        assert_ne!(status_of(&json, m), "skip", "{m} in {args:?}");
    }
    let (text, _) = check("text", args);
    for m in skipped {
        assert!(
            text.lines()
                .any(|l| l.starts_with("- skip") && l.split_whitespace().nth(2) == Some(m)),
            "{m} in {args:?}:\n{text}"
        );
        assert!(
            !text
                .lines()
                .any(|l| l.contains("pass") && l.split_whitespace().nth(2) == Some(m))
        );
    }
    let (junit, _) = check("junit", args);
    let doc = roxmltree::Document::parse(&junit).unwrap();
    for m in skipped {
        let suite = doc
            .descendants()
            .find(|n| n.has_tag_name("testsuite") && n.attribute("name") == Some(m))
            .unwrap_or_else(|| panic!("no suite {m}"));
        for case in suite.children().filter(|n| n.has_tag_name("testcase")) {
            assert!(
                case.children().any(|n| n.has_tag_name("skipped")),
                "{m}: a testcase that did not run is not skipped in JUnit"
            );
        }
    }
    let (sarif, _) = check("sarif", args);
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let notes = v["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    for m in skipped {
        assert!(
            notes.iter().any(|n| n["descriptor"]["id"] == *m),
            "{m} not among SARIF's toolExecutionNotifications"
        );
    }
    let (_, md) = check("github", args);
    for m in skipped {
        assert!(
            md.contains(&format!("| `{m}` |")),
            "{m} not in the step summary:\n{md}"
        );
    }
}

#[test]
fn steps_that_did_not_run_are_skipped_in_every_format() {
    // DNS fails (the resolver's port is closed): TCP and TLS are not reached; nothing is proxied.
    let dead_dns = format!("127.0.0.1:{}", free_port());
    assert_everywhere(
        &[
            "--url",
            "https://hooks.example.com/alert",
            "--dns-server",
            &dead_dns,
        ],
        &["tcp", "tls", "proxy-tunnel", "kibana-api"],
        &["dns"],
    );
    // The name resolves, nothing listens: TLS is not reached.
    let port = free_port();
    let url = format!("https://hooks.example.com:{port}/alert");
    let resolve = format!("hooks.example.com:{port}:127.0.0.1");
    assert_everywhere(
        &["--url", &url, "--resolve", &resolve],
        &["tls", "proxy-tunnel"],
        &["dns", "tcp"],
    );
    // No webhook URL at all: every live module is skipped.
    let (json, _) = check("json", &[]);
    for m in ["dns", "tcp", "proxy-tunnel", "tls"] {
        assert_eq!(status_of(&json, m), "skip", "{m} without a URL");
    }
}

/// A setting whose `${VAR}` is unset is not a value: the module says it did not judge it, and
/// the config module reports Kibana's own error for the variable. Set but empty, it is Kibana's
/// length error.
#[test]
fn an_unset_variable_is_not_a_value() {
    let lint = |extra: &[&str]| -> serde_json::Value {
        let out = bin()
            .args(["lint", "--no-process-env", "--format", "json"])
            .args(extra)
            .args([
                "--stack",
                "fixtures/stack/base.yml",
                "fixtures/stack/prod.yml",
            ])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let module = |json: &serde_json::Value, name: &str| -> serde_json::Value {
        json["modules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["module"] == name)
            .cloned()
            .unwrap()
    };
    let json = lint(&[]);
    let eso = module(&json, "encryption-key");
    assert_eq!(eso["status"], "skip", "{eso}");
    assert!(
        eso["summary"].as_str().unwrap().contains("${ESO_KEY}"),
        "{eso}"
    );
    assert!(
        rule_names(&json).contains(&"undefined-env-var".to_string()),
        "{json}"
    );

    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.env");
    std::fs::write(&empty, "ESO_KEY=\n").unwrap();
    let json = lint(&["--env-file", empty.to_str().unwrap()]);
    assert_eq!(module(&json, "encryption-key")["status"], "fail");
    assert!(rule_names(&json).contains(&"encryption-key-too-short".to_string()));
}

/// One finding per fact: a duplicate key is the parser's error only, not also an "overridden,
/// the later value wins" warning that contradicts it.
#[test]
fn a_duplicate_key_is_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kibana.yml");
    std::fs::write(
        &file,
        "xpack.actions.allowedHosts: [\"a.example.com\"]\nxpack.actions.allowedHosts: [\"b.example.com\"]\nxpack:\n  actions:\n    proxyUrl: http://p:3128\nxpack:\n  actions:\n    proxyUrl: http://q:3128\n",
    )
    .unwrap();
    let out = bin()
        .args(["lint", "--no-process-env", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names = rule_names(&json);
    assert_eq!(
        names.iter().filter(|n| *n == "duplicate-key").count(),
        2,
        "{names:?}"
    );
    assert!(
        !names.contains(&"overridden-setting".to_string()),
        "{names:?}"
    );
}

/// Kibana's `validateEmptyStrings` covers the connector's name too: `""` and `" "` are rejected.
#[test]
fn an_empty_connector_name_is_rejected_as_kibana_does() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["", " "] {
        let spec = dir.path().join("hook.json");
        std::fs::write(
            &spec,
            serde_json::json!({
                "name": name,
                "connector_type_id": ".webhook",
                "config": {"url": "https://hooks.example.com/alert"}
            })
            .to_string(),
        )
        .unwrap();
        let out = bin()
            .args(["lint", "--no-process-env", "--format", "json"])
            .args([
                "--env-file",
                "fixtures/good/kibana.env",
                "fixtures/good/kibana.yml",
            ])
            .arg("--connector")
            .arg(&spec)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "name {name:?}");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let f = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "connector-empty-value")
            .unwrap_or_else(|| panic!("name {name:?}: {json}"));
        assert_eq!(
            f["kibana_message"],
            "[request body.name]: value '' is not valid"
        );
    }
}

/// The "good" fixture does what its comment says.
#[test]
fn the_good_fixture_says_the_truth() {
    let text = std::fs::read_to_string(root().join("fixtures/good/kibana.yml")).unwrap();
    assert!(text.contains(
        "kibana-preflight lint --env-file fixtures/good/kibana.env fixtures/good/kibana.yml"
    ));
    let run = |env: bool| {
        let mut cmd = bin();
        cmd.args(["lint", "--no-process-env", "--format", "json"]);
        if env {
            cmd.args(["--env-file", "fixtures/good/kibana.env"]);
        }
        let out = cmd.arg("fixtures/good/kibana.yml").output().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), json["summary"].clone())
    };
    let (code, summary) = run(true);
    assert_eq!(code, Some(0));
    assert_eq!(
        (summary["error"].as_u64(), summary["warning"].as_u64()),
        (Some(0), Some(1))
    );
    let (code, summary) = run(false);
    assert_eq!(code, Some(1));
    assert_eq!(summary["error"].as_u64(), Some(3));
}

/// A finding about a whole file (a missing key) names that file in every format, without a
/// line, and can be suppressed for that file.
#[test]
fn whole_file_findings_name_their_file() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.yml");
    let b = dir.path().join("b.yml");
    std::fs::write(&a, "xpack.actions.allowedHosts: [\"hooks.example.com\"]\n").unwrap();
    std::fs::write(
        &b,
        "# kibana-preflight: ignore-file[encryption-key-missing] this instance never runs connectors\nxpack.actions.allowedHosts: [\"hooks.example.com\"]\n",
    )
    .unwrap();
    let run = |format: &str| -> String {
        let out = bin()
            .current_dir(dir.path())
            .args([
                "lint",
                "--no-process-env",
                "--format",
                format,
                "a.yml",
                "b.yml",
            ])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let missing: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["name"] == "encryption-key-missing")
        .collect();
    assert_eq!(
        missing.len(),
        1,
        "b.yml suppressed it for its file: {missing:?}"
    );
    assert_eq!(missing[0]["file"], "a.yml");
    assert!(missing[0].get("line").is_none_or(|l| l.is_null()));
    for f in json["findings"].as_array().unwrap() {
        assert!(f["file"].is_string(), "a finding without a file: {f}");
    }
    let github = run("github");
    assert!(
        github
            .lines()
            .any(|l| l.contains("title=KP601") && l.contains("file=a.yml") && !l.contains("line=")),
        "{github}"
    );
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "KP601")
        .unwrap();
    let physical = &result["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "a.yml");
    assert!(physical.get("region").is_none(), "{physical}");
    let junit = run("junit");
    assert!(
        junit.contains("a.yml: error[KP601 encryption-key-missing]"),
        "{junit}"
    );
}

/// kibana-preflight.toml applies to every report: diagnose's findings too.
#[test]
fn the_policy_applies_to_diagnose() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("kibana-preflight.toml"),
        "[rules]\nrecognised-error = \"off\"\n",
    )
    .unwrap();
    let out = bin()
        .current_dir(dir.path())
        .args(["diagnose", "--format", "json", "error calling webhook, request failed: [ENOTFOUND] getaddrinfo ENOTFOUND hooks.example.com"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names = rule_names(&json);
    assert!(
        !names.contains(&"recognised-error".to_string()),
        "{names:?}"
    );
}

/// The `kibana:` line quotes Kibana: a peer that never answers the handshake makes Kibana's
/// request wait xpack.actions.responseTimeout and fail with axios's timeout, which is what is
/// shown; the probe's own shorter timeout is an observation beside it.
#[test]
fn a_probe_timeout_predicts_kibanas_timeout_message() {
    let silent = crate::net::Silent::start();
    let dir = tempfile::tempdir().unwrap();
    for (setting, ms) in [
        ("", 60_000),
        ("xpack.actions.responseTimeout: 30s\n", 30_000),
    ] {
        let yml = dir.path().join("kibana.yml");
        std::fs::write(
            &yml,
            format!("{setting}xpack.encryptedSavedObjects.encryptionKey: \"Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA\"\n"),
        )
        .unwrap();
        let out = bin()
            .args([
                "check",
                "--no-process-env",
                "--timeout",
                "0.5",
                "--format",
                "json",
            ])
            .arg("--url")
            .arg(format!("https://127.0.0.1:{}/hook", silent.port))
            .arg(&yml)
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let f = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "tls-handshake-failed")
            .unwrap_or_else(|| panic!("{json}"));
        assert_eq!(
            f["kibana_message"],
            format!(
                "error calling webhook, request failed: [ECONNABORTED] timeout of {ms}ms exceeded"
            )
        );
        let note = f["note"].as_str().unwrap();
        assert!(
            note.contains("observed by the probe") && note.contains("did not finish within"),
            "{note}"
        );
    }
}
