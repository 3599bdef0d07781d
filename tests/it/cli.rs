//! The command line end to end: exit codes, formats, colours, stacks, bad input, secrets.

use std::io::Write as _;
use std::time::{Duration, Instant};

use crate::support::*;

fn run(args: &[&str]) -> std::process::Output {
    bin().args(args).output().expect("binary runs")
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = run(args);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

const GOOD: &[&str] = &[
    "lint",
    "--no-process-env",
    "--env-file",
    "fixtures/good/kibana.env",
    "fixtures/good/kibana.yml",
];

#[test]
fn a_good_configuration_exits_0_and_an_erroneous_one_1() {
    assert_eq!(run(GOOD).status.code(), Some(0));
    let bad = run(&[
        "lint",
        "--no-process-env",
        "fixtures/rules/allowed-hosts-empty/fail.yml",
    ]);
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn fail_on_chooses_the_threshold() {
    // The good fixture has one warning (a relative CA path).
    let mut warn = GOOD.to_vec();
    warn.extend(["--fail-on", "warning"]);
    assert_eq!(run(&warn).status.code(), Some(1));
    let never = run(&[
        "lint",
        "--no-process-env",
        "--fail-on",
        "never",
        "fixtures/rules/allowed-hosts-empty/fail.yml",
    ]);
    assert_eq!(never.status.code(), Some(0));
}

#[test]
fn input_errors_exit_2_with_one_line_on_stderr() {
    for args in [
        vec!["lint", "fixtures/does-not-exist.yml"],
        vec!["lint", "src"],
        vec![
            "lint",
            "--kibana-version",
            "nine",
            "fixtures/good/kibana.yml",
        ],
        vec![
            "lint",
            "--kibana-version",
            "6.8",
            "fixtures/good/kibana.yml",
        ],
        vec!["lint"],
        vec![
            "lint",
            "--docker-env",
            "fixtures/missing.env",
            "fixtures/good/kibana.yml",
        ],
        vec!["lint", "--format", "yaml", "fixtures/good/kibana.yml"],
        vec!["explain", "no-such-rule"],
        vec![
            "lint",
            "--connector",
            "fixtures/missing.json",
            "fixtures/good/kibana.yml",
        ],
        // A kibana.yml is not a connector spec; a list is not one either.
        vec![
            "lint",
            "--connector",
            "fixtures/secrets/kibana.env",
            "fixtures/good/kibana.yml",
        ],
        vec![
            "lint",
            "--connector-id",
            "ops-hook",
            "fixtures/good/kibana.yml",
        ],
        vec!["check"],
        vec![
            "check",
            "--url",
            "https://a.example/",
            "--resolve",
            "a.example:443",
        ],
        vec![
            "check",
            "--url",
            "https://a.example/",
            "--dns-server",
            "not-an-address",
        ],
        vec!["check", "--url", "https://a.example/", "--timeout", "0"],
        vec![
            "check",
            "--url",
            "https://a.example/",
            "--node-extra-ca-certs",
            "fixtures/missing.pem",
        ],
        vec![
            "check",
            "--url",
            "https://a.example/",
            "--node-extra-ca-certs",
            "fixtures/good/kibana.yml",
        ],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.trim().is_empty(), "{args:?} prints why");
        assert!(out.stdout.is_empty() || args[0] == "lint", "{args:?}");
    }
    let not_spec = run(&[
        "lint",
        "--connector",
        "fixtures/rules/connector-body-invalid/fail.yml",
        "fixtures/good/kibana.yml",
    ]);
    assert_eq!(not_spec.status.code(), Some(1), "a YAML mapping is a spec");
    let missing = run(&["lint", "fixtures/does-not-exist.yml"]);
    assert_eq!(
        String::from_utf8_lossy(&missing.stderr).trim(),
        "kibana-preflight: error: cannot read fixtures/does-not-exist.yml: no such file"
    );
}

#[test]
fn one_unreadable_file_does_not_stop_the_others() {
    let out = run(&[
        "lint",
        "--no-process-env",
        "--format",
        "json",
        "fixtures/does-not-exist.yml",
        "fixtures/rules/allowed-hosts-empty/fail.yml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["files"].as_array().unwrap().len(), 1);
}

#[test]
fn json_report_has_the_documented_shape() {
    let doc = json(&[
        "lint",
        "--no-process-env",
        "--format",
        "json",
        "fixtures/rules/invalid-allowed-host/fail.yml",
    ]);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["tool"]["name"], "kibana-preflight");
    assert_eq!(doc["ok"], false);
    assert!(doc["summary"]["error"].as_u64().unwrap() >= 1);
    let f = &doc["findings"][0];
    for key in [
        "rule", "name", "severity", "module", "message", "file", "line", "column", "setting",
    ] {
        assert!(!f[key].is_null(), "finding lacks {key}: {f}");
    }
    assert_eq!(f["rule"], "KP301");
    assert_eq!(f["setting"], "xpack.actions.allowedHosts[0]");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(2), Some(5))
    );
    let modules: Vec<&str> = doc["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["module"].as_str().unwrap())
        .collect();
    assert_eq!(
        modules,
        [
            "config",
            "connector-type",
            "allowed-hosts",
            "custom-host-settings",
            "proxy",
            "encryption-key",
            "connector"
        ]
    );
    let statuses: Vec<&str> = doc["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["status"].as_str().unwrap())
        .collect();
    assert!(
        statuses
            .iter()
            .all(|s| ["pass", "warn", "fail", "skip"].contains(s))
    );
    assert_eq!(statuses[2], "fail");
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let path = "fixtures/rules/allowed-hosts-empty/fail.yml";
    let always = run(&["lint", "--no-process-env", "--color", "always", path]);
    assert!(String::from_utf8_lossy(&always.stdout).contains("\x1b["));
    let never = run(&["lint", "--no-process-env", "--color", "never", path]);
    assert!(!String::from_utf8_lossy(&never.stdout).contains("\x1b["));
    // Not a terminal: auto means no colour.
    let auto = run(&["lint", "--no-process-env", path]);
    assert!(!String::from_utf8_lossy(&auto.stdout).contains("\x1b["));
    let no_color = bin()
        .env("NO_COLOR", "1")
        .args(["lint", "--no-process-env", path])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&no_color.stdout).contains("\x1b["));
}

#[test]
fn a_stack_is_one_configuration_and_separate_files_are_audited_one_by_one() {
    let stack = json(&[
        "lint",
        "--no-process-env",
        "--env-file",
        "fixtures/stack/kibana.env",
        "--format",
        "json",
        "--stack",
        "fixtures/stack/base.yml",
        "fixtures/stack/prod.yml",
    ]);
    assert_eq!(stack["files"].as_array().unwrap().len(), 1);
    assert_eq!(stack["ok"], true, "{stack:#}");
    let summary = stack["modules"][2]["summary"].as_str().unwrap();
    assert_eq!(
        summary, "1 host(s) allowed: hooks.example.com",
        "prod.yml wins"
    );
    let separate = json(&[
        "lint",
        "--no-process-env",
        "--env-file",
        "fixtures/stack/kibana.env",
        "--format",
        "json",
        "fixtures/stack/base.yml",
        "fixtures/stack/prod.yml",
    ]);
    let files = separate["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    // prod.yml alone has no encryption key.
    assert_eq!(files[1]["ok"], false);
}

#[test]
fn no_secret_reaches_any_output() {
    let secrets = [
        "ESO-key-aaaa",
        "too-short-secret-rotation",
        "short-security-secret",
        "reporting-secret-value",
        "proxy-pass-5555",
        "cHJveHktaGVhZGVyLXNlY3JldA",
        "chs-url-pass-6666",
        "config-url-pass-8888",
        "preconfigured-secret-9999",
        "ESO-overridden-secret",
        "commented-secret-value",
        "docker-env-secret-4444",
        "docker-env-reporting-key",
        "tail-9090",
        "env-file-secret-2222",
        "keystore-secret-1111",
        "keystore-header-secret-1212",
        "spec-url-pass-4242",
        "spec-header-token-5151",
        "spec-api-key-5252",
        "spec-literal-user-6161",
        "spec-env-password-7171",
        "spec-literal-pfx-6262",
        "spec-secret-header-6363",
        "cli-url-pass-3131",
    ];
    for format in ["text", "json"] {
        for color in ["never", "always"] {
            let out = run(&[
                "lint",
                "--no-process-env",
                "--format",
                format,
                "--color",
                color,
                "--docker-env",
                "fixtures/secrets/docker.env",
                "--env-file",
                "fixtures/secrets/kibana.env",
                "--keystore",
                "fixtures/secrets/kibana.keystore",
                "--connector",
                "fixtures/secrets/connector.json",
                "--url",
                "https://cliuser:cli-url-pass-3131@hooks.example.com/x",
                "fixtures/secrets/kibana.yml",
            ]);
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            for rule in [
                "encryption-key-too-short",
                "connector-secrets-invalid",
                "credential-in-config-headers",
                "secret-in-connector-file",
                "connector-empty-value",
            ] {
                assert!(
                    all.contains(rule),
                    "the fixtures must produce {rule}:\n{all}"
                );
            }
            for s in secrets {
                assert!(
                    !all.contains(s),
                    "{format}/{color} output leaks {s}:\n{all}"
                );
            }
        }
    }
}

#[test]
fn bad_input_never_panics_or_hangs() {
    let dir = tempfile::tempdir().unwrap();
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        bomb.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(", ")
        ));
    }
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.yml", Vec::new()),
        ("comments.yml", b"# nothing here\n".to_vec()),
        ("binary.yml", vec![0x7f, b'E', b'L', b'F', 0, 0, 1, 2]),
        ("latin1.yml", b"server.name: caf\xe9\n".to_vec()),
        ("list.yml", b"- a\n- b\n".to_vec()),
        ("scalar.yml", b"just a string\n".to_vec()),
        ("deep.yml", deep.into_bytes()),
        ("bomb.yml", bomb.into_bytes()),
        (
            "bom.yml",
            b"\xef\xbb\xbfxpack.actions.allowedHosts: [\"a.example.com\"]\n".to_vec(),
        ),
        (
            "crlf.yml",
            b"xpack.actions.allowedHosts:\r\n  - a.example.com\r\n".to_vec(),
        ),
        (
            "unterminated.yml",
            b"xpack.actions.proxyUrl: \"http://p\n".to_vec(),
        ),
        (
            "weird-keys.yml",
            b"? [a, b]\n: c\n1: x\nnull: y\n~: z\n".to_vec(),
        ),
        (
            "tags.yml",
            b"a: !!binary aGVsbG8=\nb: !custom x\nc: !!str 12\n".to_vec(),
        ),
    ];
    for (name, content) in cases {
        let path = dir.path().join(name);
        std::fs::File::create(&path)
            .unwrap()
            .write_all(&content)
            .unwrap();
        let start = Instant::now();
        let out = bin()
            .args(["lint", "--no-process-env", "--format", "json"])
            .arg(&path)
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        assert!(start.elapsed() < Duration::from_secs(20), "{name} hangs");
        let code = out.status.code();
        assert!(
            matches!(code, Some(0) | Some(1)),
            "{name}: exit {code:?}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: invalid JSON: {e}"));
        assert!(doc["findings"].is_array(), "{name}");
    }
}

#[test]
fn rules_lists_every_rule_and_explain_prints_its_page() {
    let list = json(&["rules", "--format", "json"]);
    let n = kibana_preflight::rules::Rule::ALL.len();
    assert_eq!(list.as_array().unwrap().len(), n);
    let text = stdout(&run(&["rules"]));
    assert!(text.contains("KP301  invalid-allowed-host"));
    for key in ["KP301", "kp301", "invalid-allowed-host"] {
        let page = stdout(&run(&["explain", key]));
        assert!(page.starts_with("KP301 invalid-allowed-host"), "{page}");
        assert!(page.contains("## How to fix"));
    }
    let typo = run(&["explain", "invalid-allowed-hosts"]);
    assert!(String::from_utf8_lossy(&typo.stderr).contains("did you mean `invalid-allowed-host`"));
}

/// The keystore format, cross-checked: Node's own crypto writes a keystore the way Kibana's
/// keystore.ts does, with a random salt and IV, and the tool must read it.
#[test]
fn reads_a_keystore_written_by_node() {
    let Some(node) = which_node() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let keystore = dir.path().join("kibana.keystore");
    let script = r#"
        const crypto = require('crypto');
        const [out, password] = process.argv.slice(1);
        const json = JSON.stringify({"xpack.encryptedSavedObjects.encryptionKey": "N0de-Wr1tten-Key-0123456789abcdefXYZ"});
        const salt = crypto.randomBytes(64), iv = crypto.randomBytes(12);
        const key = crypto.pbkdf2Sync(password, salt, 10000, 32, 'sha512');
        const c = crypto.createCipheriv('aes-256-gcm', key, iv);
        const ct = Buffer.concat([c.update(json, 'utf8'), c.final()]);
        require('fs').writeFileSync(out, '1:' + Buffer.concat([salt, iv, c.getAuthTag(), ct]).toString('base64'));
    "#;
    let status = std::process::Command::new(node)
        .args(["-e", script, keystore.to_str().unwrap(), "s3cret-pw"])
        .status()
        .unwrap();
    assert!(status.success());
    let yml = dir.path().join("kibana.yml");
    std::fs::write(
        &yml,
        "xpack.actions.allowedHosts: [\"hooks.example.com\"]\n",
    )
    .unwrap();
    let lint = |pw: Option<&str>| {
        let mut cmd = bin();
        if let Some(pw) = pw {
            cmd.env("KEYSTORE_PASSWORD", pw);
        }
        let out = cmd
            .args(["lint", "--no-process-env", "--format", "json", "--keystore"])
            .arg(&keystore)
            .arg(&yml)
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        rule_names(&doc)
    };
    let with_password = lint(Some("s3cret-pw"));
    assert!(
        !with_password.contains(&"encryption-key-missing".to_string()),
        "{with_password:?}"
    );
    assert!(!with_password.contains(&"keystore-unreadable".to_string()));
    assert!(lint(Some("wrong")).contains(&"keystore-unreadable".to_string()));
}

/// Node is on the machine image (Kibana runs on it); a local run without it skips loudly, CI
/// must have it.
fn which_node() -> Option<&'static str> {
    require_peer("node").then_some("node")
}

/// Preconfigured connectors written dotted, nested and with an unsplittable `[my.hook]` id all
/// become judged URLs; `--url` and the connector spec join them, in that order.
#[test]
fn every_webhook_url_is_judged_whatever_its_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let yml = dir.path().join("kibana.yml");
    std::fs::write(
        &yml,
        r#"xpack.actions.allowedHosts: ["dotted.example.com", "nested.example.com", "2001:db8::7"]
xpack.actions.preconfigured.dotted-hook.name: Dotted
xpack.actions.preconfigured.dotted-hook.actionTypeId: .webhook
xpack.actions.preconfigured.dotted-hook.config.url: https://DOTTED.example.com:8443/x
xpack.actions.preconfigured:
  "[my.hook]":
    name: Dotted id
    actionTypeId: .webhook
    config: {url: "https://dotted-id.example.com/x", hasAuth: false}
  nested-hook:
    name: Nested
    actionTypeId: .webhook
    config:
      url: https://nested.example.com./x
      hasAuth: false
  slack:
    name: Not a webhook
    actionTypeId: .slack
    config: {url: "https://hooks.slack.com/x"}
xpack.encryptedSavedObjects.encryptionKey: "Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA"
"#,
    )
    .unwrap();
    let spec = dir.path().join("hook.json");
    std::fs::write(
        &spec,
        r#"{"name": "n", "connector_type_id": ".webhook", "config": {"url": "https://[2001:db8::7]:9443/x", "hasAuth": false}}"#,
    )
    .unwrap();
    let doc = json(&[
        "lint",
        "--no-process-env",
        "--format",
        "json",
        "--url",
        "https://nested.example.com/cli",
        "--connector",
        spec.to_str().unwrap(),
        yml.to_str().unwrap(),
    ]);
    let targets = doc["files"][0]["targets"].as_array().unwrap();
    let seen: Vec<(String, String, bool)> = targets
        .iter()
        .map(|t| {
            (
                t["source"]["name"]
                    .as_str()
                    .or(t["source"]["kind"].as_str())
                    .unwrap()
                    .to_string(),
                t["hostname"].as_str().unwrap_or_default().to_string(),
                t["allowed"].as_bool().unwrap(),
            )
        })
        .collect();
    let row = |s: &str, h: &str, a: bool| (s.to_string(), h.to_string(), a);
    assert_eq!(
        seen,
        [
            row("command_line", "nested.example.com", true),
            row("connector_spec", "2001:db8::7", true),
            row("dotted-hook", "dotted.example.com", true),
            row("my.hook", "dotted-id.example.com", false),
            // url.parse keeps the trailing dot, so the entry without it does not match.
            row("nested-hook", "nested.example.com.", false),
        ]
    );
    let not_allowed: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["name"] == "target-not-allowed")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(not_allowed.len(), 2, "{not_allowed:?}");
}

/// A fleet audit: a directory of 1,000 generated configurations with one unreadable entry
/// among them lints in parallel, reports the unreadable one and counts the rest right.
#[test]
fn a_directory_is_a_fleet_audit_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let key = "xpack.encryptedSavedObjects.encryptionKey: \"Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA\"\n\
               xpack.security.encryptionKey: \"Ne6uK1wP8rZ3tX5yC9vB2qM7jH4dL0fS\"\n\
               xpack.reporting.encryptionKey: \"Gt4mW9pR2xK7zL1nV5cJ8qB3hD6sF0yE\"\n";
    for i in 0..1000 {
        let env = dir.path().join(format!("env-{:02}", i / 50));
        std::fs::create_dir_all(&env).unwrap();
        // Every 10th has an error (a URL in allowedHosts).
        let hosts = if i % 10 == 0 {
            "https://hooks.example.com"
        } else {
            "hooks.example.com"
        };
        std::fs::write(
            env.join(format!("kibana-{i:04}.yml")),
            format!("xpack.actions.allowedHosts: [\"{hosts}\"]\n{key}"),
        )
        .unwrap();
    }
    // Not kibana*.yml: ignored.
    std::fs::write(dir.path().join("notes.yml"), "a: 1\n").unwrap();
    // A hidden directory: skipped.
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join(".git/kibana.yml"), "x: [").unwrap();
    // One that cannot be read: a dangling symlink.
    std::os::unix::fs::symlink(
        dir.path().join("missing"),
        dir.path().join("kibana-broken.yml"),
    )
    .unwrap();
    let out = run(&["lint", "--no-process-env", dir.path().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "the unreadable file makes it an input error"
    );
    assert!(stderr.contains("kibana-broken.yml"), "{stderr}");
    assert!(
        stdout.contains("── summary: 1000 configuration(s), 100 with findings ──"),
        "{}",
        &stdout[stdout.len().saturating_sub(2000)..]
    );
    assert!(
        stdout.contains("    100  KP301 invalid-allowed-host"),
        "the most frequent rule"
    );
    assert!(stdout.contains("failed: 100 errors in 1000 files"));
}

#[test]
fn stdin_is_linted_as_a_file() {
    let mut cmd = bin();
    cmd.args(["lint", "--no-process-env", "--format", "json", "-"])
        .write_stdin("xpack.actions.allowedHosts: [\"https://x.example\"]\n");
    let out = cmd.output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"][0]["file"], "<stdin>");
    assert_eq!(json["findings"][0]["name"], "invalid-allowed-host");
}

/// kibana-preflight.toml: defaults, severity overrides, ignores with paths, and the findings
/// about ignores without a reason or that match nothing.
#[test]
fn the_policy_file_overrides_ignores_and_reports_its_own_problems() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("envs/legacy")).unwrap();
    std::fs::create_dir_all(d.join("envs/prod")).unwrap();
    let bad = "xpack.actions.allowedHosts: [\"https://hooks.example.com\"]\nxpack.encryptedSavedObjects.encryptionKey: \"Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA\"\n";
    std::fs::write(d.join("envs/legacy/kibana.yml"), bad).unwrap();
    std::fs::write(d.join("envs/prod/kibana.yml"), bad).unwrap();
    std::fs::write(
        d.join("kibana-preflight.toml"),
        r#"kibana_version = "8.19"
fail_on = "warning"

[rules]
auxiliary-encryption-key-missing = "off"

[[ignore]]
rule = "invalid-allowed-host"
paths = ["envs/legacy/**"]
reason = "legacy stack, replaced in Q3"

[[ignore]]
rule = "KP601"
"#,
    )
    .unwrap();
    let out = bin()
        .current_dir(d)
        .args(["lint", "--no-process-env", "--format", "json", "envs"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(json["kibana_version"], "8.19", "the file's default version");
    let findings = json["findings"].as_array().unwrap();
    let of = |file: &str, name: &str| {
        findings
            .iter()
            .filter(|f| f["file"].as_str().unwrap_or_default().contains(file) && f["name"] == name)
            .count()
    };
    assert_eq!(
        of("legacy", "invalid-allowed-host"),
        0,
        "ignored under envs/legacy"
    );
    assert_eq!(of("prod", "invalid-allowed-host"), 1, "not under envs/prod");
    assert_eq!(of("", "auxiliary-encryption-key-missing"), 0, "turned off");
    assert_eq!(of("kibana-preflight.toml", "suppression-without-reason"), 1);
    assert_eq!(
        of("kibana-preflight.toml", "unused-suppression"),
        1,
        "the KP601 ignore matched nothing"
    );
    assert_eq!(out.status.code(), Some(1));

    // An explicit --config-file, and a broken one.
    std::fs::write(d.join("other.toml"), "[rules]\nno-such-rule = \"off\"\n").unwrap();
    let out = bin()
        .current_dir(d)
        .args(["lint", "--config-file", "other.toml", "envs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("names no rule `no-such-rule`"));

    // A pattern that cannot be a glob is an error, not a pattern that matches nothing.
    std::fs::write(
        d.join("bad-glob.toml"),
        "[[ignore]]\nrule = \"KP601\"\npaths = [\"envs/[legacy/**\"]\nreason = \"x\"\n",
    )
    .unwrap();
    let out = bin()
        .current_dir(d)
        .args(["lint", "--config-file", "bad-glob.toml", "envs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad-glob.toml: [[ignore]] paths:"),
        "{stderr}"
    );
}

#[test]
fn completions_and_the_manual_page_come_from_the_argument_definitions() {
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("kibana-preflight") && text.contains("kibana-version"),
            "{shell}"
        );
    }
    let man = run(&["man"]);
    let text = String::from_utf8_lossy(&man.stdout);
    assert!(text.contains(".TH kibana-preflight 1"), "{text}");
    assert!(text.contains("diagnose"));
    // One page per subcommand, with its options.
    for sub in ["lint", "check", "diagnose", "schema"] {
        let page = run(&["man", sub]);
        let text = String::from_utf8_lossy(&page.stdout);
        assert!(
            text.contains(&format!(".TH kibana-preflight-{sub} 1")),
            "{text}"
        );
        assert!(text.contains("kibana\\-version"), "{sub}: {text}");
    }
    assert_eq!(run(&["man", "nope"]).status.code(), Some(2));
}

#[test]
fn version_names_the_commit_and_the_kibana_versions_modelled() {
    let out = run(&["--version"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("kibana-preflight 0."), "{text}");
    assert!(text.contains("(commit "), "{text}");
    assert!(text.contains("models Kibana 7.10.0 to 9.5"), "{text}");
}

#[test]
fn fail_on_note_fails_on_any_finding_and_the_rules_table_is_aligned() {
    // The demo has errors; a file with only notes exits 0 by default and 1 with --fail-on note.
    let notes_only = "fixtures/rules/auxiliary-encryption-key-missing/fail.yml";
    assert_eq!(run(&["lint", notes_only]).status.code(), Some(0));
    assert_eq!(
        run(&["lint", "--fail-on", "note", notes_only])
            .status
            .code(),
        Some(1)
    );
    let rules = run(&["rules"]);
    let text = String::from_utf8_lossy(&rules.stdout);
    // The summary column starts at the same place whatever the severity's width.
    let starts: std::collections::BTreeSet<usize> = text
        .lines()
        .filter(|l| l.starts_with("  KP"))
        .map(|l| {
            let (at, word) = ["error", "warning", "note"]
                .iter()
                .filter_map(|s| l.find(&format!("  {s} ")).map(|i| (i + 2, s.len())))
                .min()
                .unwrap();
            let after = &l[at + word..];
            at + word + (after.len() - after.trim_start().len())
        })
        .collect();
    assert_eq!(starts.len(), 1, "{text}");
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    // `kibana-preflight … | head -0`: stdout is closed before anything is written.
    let fail = "fixtures/rules/allowed-hosts-empty/fail.yml";
    for args in [
        vec!["completions", "bash"],
        vec!["man"],
        vec!["rules"],
        vec!["explain", "KP301"],
        vec!["lint", "--format", "json", fail],
        vec!["lint", "--format", "sarif", fail],
        vec!["lint", fail],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kibana-preflight"))
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {:?}",
            out.status
        );
    }
}

/// A report that cannot be written is an error (exit 2, one line on stderr) in every format and
/// command; only a reader that went away (`| head`) ends the output quietly.
#[test]
fn a_failed_report_write_exits_2() {
    if !std::path::Path::new("/dev/full").exists() {
        peer_missing("/dev/full is not available");
        return;
    }
    let runs: Vec<Vec<&str>> = vec![
        vec!["lint", "fixtures/demo/kibana.yml"],
        vec!["lint", "--format", "json", "fixtures/demo/kibana.yml"],
        vec!["lint", "--format", "sarif", "fixtures/demo/kibana.yml"],
        vec!["lint", "--format", "junit", "fixtures/demo/kibana.yml"],
        vec!["diagnose", "getaddrinfo ENOTFOUND hooks.example.com"],
    ];
    for args in runs {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("kibana-preflight"))
            .current_dir(root())
            .args(&args)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.contains("No space left on device"),
            "{args:?}: {stderr}"
        );
    }
    // --output to a file that cannot be written, with text on the terminal.
    let out = bin()
        .args([
            "lint",
            "--format",
            "json",
            "--output",
            "/dev/full",
            "fixtures/demo/kibana.yml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
