//! `check` against the Kibana emulator (tests/emulator) and an https webhook receiver: the
//! Kibana modules, the create/update/test flow and its CI gate, and that no credential or
//! connector secret reaches any output.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::emulator::{Emulator, Knobs};
use crate::net::{Ca, HttpsReceiver, write};
use crate::support::*;

const WEBHOOK_USER: &str = "svc-webhook-user";
const WEBHOOK_PASSWORD: &str = "webhook-password-8472";

/// An emulated Kibana, a webhook receiver with a private CA, and the files describing them.
struct World {
    dir: tempfile::TempDir,
    emu: Emulator,
    receiver: HttpsReceiver,
    yml: PathBuf,
    spec: PathBuf,
    env: PathBuf,
    resolve: String,
}

fn world(knobs: Knobs, receiver_status: u16) -> World {
    let dir = tempfile::tempdir().unwrap();
    let root = Ca::root("Webhook Root");
    let leaf = root.leaf(&["hooks.test"], -1, 365);
    let receiver = HttpsReceiver::start(&leaf, vec![leaf.der.clone()], receiver_status);
    let port = receiver.port;
    let ca = write(dir.path(), "root.pem", &root.pem());
    let mut knobs = knobs;
    knobs.webhook_ca = Some(root.pem());
    knobs.hosts = vec![("hooks.test".into(), ([127, 0, 0, 1], port).into())];
    let emu = Emulator::start(knobs);
    let yml = write(
        dir.path(),
        "kibana.yml",
        &format!(
            "xpack.actions.allowedHosts: [hooks.test]\n\
             xpack.actions.customHostSettings:\n  - url: https://hooks.test:{port}\n    ssl:\n      certificateAuthoritiesFiles: [\"{}\"]\n\
             xpack.encryptedSavedObjects.encryptionKey: \"Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA\"\n\
             xpack.security.encryptionKey: \"Ne6uK1wP8rZ3tX5yC9vB2qM7jH4dL0fS\"\n\
             xpack.reporting.encryptionKey: \"Gt4mW9pR2xK7zL1nV5cJ8qB3hD6sF0yE\"\n",
            ca.display()
        ),
    );
    let spec = write(
        dir.path(),
        "hook.json",
        &serde_json::json!({
            "name": "Ops webhook",
            "connector_type_id": ".webhook",
            "config": {
                "url": format!("https://hooks.test:{port}/elastic/alerts"),
                "method": "post",
                "hasAuth": true,
                "authType": "webhook-authentication-basic",
                "verificationMode": "full"
            },
            "secrets": {"user": "${WEBHOOK_USER}", "password": "${WEBHOOK_PASSWORD}"}
        })
        .to_string(),
    );
    let env = write(
        dir.path(),
        "webhook.env",
        &format!("WEBHOOK_USER={WEBHOOK_USER}\nWEBHOOK_PASSWORD={WEBHOOK_PASSWORD}\n"),
    );
    World {
        resolve: format!("hooks.test:{port}:127.0.0.1"),
        dir,
        emu,
        receiver,
        yml,
        spec,
        env,
    }
}

struct Run {
    json: serde_json::Value,
    code: i32,
    all: String,
}

/// `check` with the world's files, the emulator as KIBANA_URL and its API key from the
/// environment, plus `extra` arguments.
fn run(w: &World, extra: &[&str], api_key: Option<&str>) -> Run {
    run_as(w, extra, api_key, "json")
}

fn run_as(w: &World, extra: &[&str], api_key: Option<&str>, format: &str) -> Run {
    let mut cmd = bin();
    cmd.arg("check")
        .args(["--no-process-env", "--timeout", "1", "--format", format])
        .arg("--env-file")
        .arg(&w.env)
        .arg("--connector")
        .arg(&w.spec)
        .args(["--resolve", &w.resolve])
        .args(extra)
        .arg(&w.yml)
        .env("KIBANA_URL", w.emu.url())
        .env_remove("KIBANA_API_KEY")
        .env_remove("KIBANA_USERNAME")
        .env_remove("KIBANA_PASSWORD")
        .env_remove("KIBANA_SPACE")
        .env_remove("KIBANA_CONNECTOR_ID")
        .env_remove("KIBANA_CA_CERT");
    if let Some(k) = api_key {
        cmd.env("KIBANA_API_KEY", k);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let all = format!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let json = if format == "json" {
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{all}"))
    } else {
        serde_json::Value::Null
    };
    Run {
        json,
        code: out.status.code().unwrap_or(-1),
        all,
    }
}

fn rules(r: &Run) -> BTreeSet<String> {
    rule_names(&r.json).into_iter().collect()
}

fn deploy(r: &Run) -> &serde_json::Value {
    &r.json["files"][0]["deploy"]
}

fn module(r: &Run, name: &str) -> String {
    r.json["files"][0]["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["module"] == name)
        .map(|m| {
            format!(
                "{} {}",
                m["status"].as_str().unwrap(),
                m["summary"].as_str().unwrap()
            )
        })
        .unwrap_or_default()
}

fn posts(w: &World, method: &str) -> usize {
    w.emu
        .log()
        .iter()
        .filter(|l| {
            l.starts_with(&format!("{method} "))
                && l.contains("/api/actions/connector/")
                && !l.ends_with("_execute")
        })
        .count()
}

#[test]
fn lint_check_create_test_then_unchanged_then_update() {
    let w = world(Knobs::default(), 200);
    let key = w.emu.api_key();
    let r = run(
        &w,
        &["--connector-id", "ops-hook", "--create", "--test"],
        Some(&key),
    );
    assert_eq!(r.code, 0, "{:?}\n{}", rules(&r), r.all);
    assert_eq!(deploy(&r)["outcome"]["result"], "created", "{}", deploy(&r));
    assert_eq!(deploy(&r)["test"]["status"], "ok", "{}", deploy(&r));
    assert!(
        module(&r, "kibana-api").contains("Kibana 9.3.2"),
        "{}",
        module(&r, "kibana-api")
    );
    assert!(
        module(&r, "connector-type").contains("enabled in the running Kibana's config and licence")
    );
    let stored = w.emu.connector("default", "ops-hook").expect("created");
    assert_eq!(
        stored.secrets["password"], WEBHOOK_PASSWORD,
        "secrets resolved from the env file"
    );
    let delivered = w.receiver.seen.lock().unwrap().join("\n");
    assert!(
        delivered.contains("Elastic alert test"),
        "the test body reached the receiver"
    );
    assert!(
        delivered
            .to_ascii_lowercase()
            .contains("authorization: basic")
    );

    // Again: nothing changes.
    let r = run(&w, &["--connector-id", "ops-hook", "--create"], Some(&key));
    assert_eq!(r.code, 0);
    assert_eq!(
        deploy(&r)["outcome"]["result"],
        "unchanged",
        "{}",
        deploy(&r)
    );
    assert_eq!(posts(&w, "PUT"), 0);

    // Unchanged name and config with --update: Kibana never shows the stored secrets, so the
    // spec's (a rotated password) are resent: one PUT.
    let r = run(
        &w,
        &["--connector-id", "ops-hook", "--create", "--update"],
        Some(&key),
    );
    assert_eq!(r.code, 0, "{}", r.all);
    assert_eq!(deploy(&r)["outcome"]["result"], "updated", "{}", deploy(&r));
    assert_eq!(posts(&w, "PUT"), 1);

    // A changed URL: an error without --update, one PUT with it.
    let spec = std::fs::read_to_string(&w.spec)
        .unwrap()
        .replace("/elastic/alerts", "/elastic/v2");
    std::fs::write(&w.spec, spec).unwrap();
    let r = run(&w, &["--connector-id", "ops-hook", "--create"], Some(&key));
    assert_eq!(r.code, 1);
    assert!(rules(&r).contains("connector-differs"));
    assert_eq!(deploy(&r)["outcome"]["result"], "differs");
    assert!(
        deploy(&r)["outcome"]["diff"][0]
            .as_str()
            .unwrap()
            .contains("config.url")
    );
    let r = run(
        &w,
        &["--connector-id", "ops-hook", "--create", "--update"],
        Some(&key),
    );
    assert_eq!(r.code, 0, "{}", r.all);
    assert_eq!(deploy(&r)["outcome"]["result"], "updated");
    assert_eq!(posts(&w, "PUT"), 2);
    assert!(
        w.emu.connector("default", "ops-hook").unwrap().config["url"]
            .as_str()
            .unwrap()
            .ends_with("/elastic/v2")
    );
}

#[test]
fn without_create_the_request_is_a_plan_with_secrets_masked() {
    let w = world(Knobs::default(), 200);
    let key = w.emu.api_key();
    let r = run_as(&w, &["--connector-id", "ops-hook"], Some(&key), "text");
    assert_eq!(r.code, 0, "{}", r.all);
    assert!(
        r.all
            .contains("request (not sent: add --create to send it)"),
        "{}",
        r.all
    );
    assert!(r.all.contains("Authorization: ApiKey [secret]"));
    assert!(r.all.contains("\"password\": \"[secret]\""));
    assert_eq!(posts(&w, "POST"), 0, "nothing was sent");
}

#[test]
fn failing_checks_stop_before_create() {
    for (name, knobs, rule) in [
        (
            "basic licence",
            Knobs {
                license_type: "basic".into(),
                ..Knobs::default()
            },
            "webhook-not-licensed",
        ),
        (
            "no encryption key",
            Knobs {
                has_key: false,
                ..Knobs::default()
            },
            "running-kibana-lacks-encryption-key",
        ),
        (
            "webhook disabled outside the files",
            Knobs {
                enabled_action_types: vec![".email".into()],
                ..Knobs::default()
            },
            "webhook-disabled-in-config",
        ),
        (
            "no webhook type",
            Knobs {
                no_webhook: true,
                ..Knobs::default()
            },
            "webhook-not-available",
        ),
    ] {
        let w = world(knobs, 200);
        let r = run(
            &w,
            &["--connector-id", "ops-hook", "--create", "--test"],
            Some(&w.emu.api_key()),
        );
        assert_eq!(r.code, 1, "{name}");
        assert!(rules(&r).contains(rule), "{name}: {:?}", rules(&r));
        assert_eq!(deploy(&r)["outcome"]["result"], "gated", "{name}");
        assert_eq!(posts(&w, "POST"), 0, "{name}: nothing was sent");
    }
}

#[test]
fn kibana_answers_are_explained() {
    // The running Kibana's allowedHosts differs from the files: create is refused with 400.
    let w = world(
        Knobs {
            allowed_hosts: vec!["other.example.com".into()],
            ..Knobs::default()
        },
        200,
    );
    let r = run(
        &w,
        &["--connector-id", "ops-hook", "--create"],
        Some(&w.emu.api_key()),
    );
    assert_eq!(r.code, 1);
    let f = finding(&r, "connector-request-rejected");
    assert!(
        f["kibana_message"]
            .as_str()
            .unwrap()
            .contains("is not added to the Kibana config xpack.actions.allowedHosts")
    );
    assert!(f["help"].as_str().unwrap().contains("target-not-allowed"));

    let w = world(
        Knobs {
            forbid_create: true,
            ..Knobs::default()
        },
        200,
    );
    let r = run(
        &w,
        &["--connector-id", "ops-hook", "--create"],
        Some(&w.emu.api_key()),
    );
    assert!(
        rules(&r).contains("connector-request-forbidden"),
        "{:?}",
        rules(&r)
    );

    let w = world(
        Knobs {
            create_fails: true,
            ..Knobs::default()
        },
        200,
    );
    let r = run(
        &w,
        &["--connector-id", "ops-hook", "--create"],
        Some(&w.emu.api_key()),
    );
    assert_eq!(r.code, 1);
    let f = finding(&r, "connector-request-failed");
    assert!(f["message"].as_str().unwrap().contains("500"), "{f}");

    let w = world(
        Knobs {
            missing_secrets: true,
            ..Knobs::default()
        },
        200,
    );
    let r = run(
        &w,
        &["--connector-id", "ops-hook", "--create"],
        Some(&w.emu.api_key()),
    );
    assert!(rules(&r).contains("connector-missing-secrets"));

    // The endpoint fails: the test says so with Kibana's own texts.
    let w = world(Knobs::default(), 500);
    let r = run(
        &w,
        &["--connector-id", "ops-hook", "--create", "--test"],
        Some(&w.emu.api_key()),
    );
    assert_eq!(r.code, 1);
    let f = finding(&r, "connector-test-failed");
    assert_eq!(
        f["kibana_message"],
        "error calling webhook, retry later: [500] Internal Server Error"
    );
}

#[test]
fn connection_problems_are_named() {
    let w = world(Knobs::default(), 200);
    // Wrong key: 401.
    let r = run(&w, &[], Some("d3JvbmcteGtleQ=="));
    assert!(
        rules(&r).contains("kibana-credentials-rejected"),
        "{:?}",
        rules(&r)
    );
    // No key: the redacted status.
    let r = run(&w, &[], None);
    assert!(
        rules(&r).contains("kibana-credentials-missing"),
        "{:?}",
        rules(&r)
    );
    // --kibana-version far from the running one.
    let r = run(&w, &["--kibana-version", "8.19"], Some(&w.emu.api_key()));
    assert!(rules(&r).contains("kibana-version-differs"));
    // Space that does not exist.
    let r = run(&w, &["--space", "ops-team"], Some(&w.emu.api_key()));
    assert!(
        rules(&r).contains("kibana-space-missing"),
        "{:?}",
        rules(&r)
    );

    // basePath missing from KIBANA_URL.
    let w = world(
        Knobs {
            base_path: "/kibana".into(),
            ..Knobs::default()
        },
        200,
    );
    let mut cmd_url = w.emu.url();
    cmd_url.truncate(cmd_url.len() - "/kibana".len());
    let r = run(&w, &["--kibana-url", &cmd_url], Some(&w.emu.api_key()));
    assert!(rules(&r).contains("kibana-url-wrong"), "{:?}", rules(&r));
    let r = run(&w, &[], Some(&w.emu.api_key()));
    assert!(
        !rules(&r).contains("kibana-url-wrong"),
        "with the basePath it works"
    );

    // An HTML page (a login proxy).
    let w = world(
        Knobs {
            html: true,
            ..Knobs::default()
        },
        200,
    );
    assert!(rules(&run(&w, &[], Some(&w.emu.api_key()))).contains("kibana-url-wrong"));
    // Degraded, forbidden, insecure.
    let w = world(
        Knobs {
            status_level: "unavailable".into(),
            ..Knobs::default()
        },
        200,
    );
    assert!(rules(&run(&w, &[], Some(&w.emu.api_key()))).contains("kibana-unavailable"));
    let w = world(
        Knobs {
            forbid_reads: true,
            ..Knobs::default()
        },
        200,
    );
    assert!(rules(&run(&w, &[], Some(&w.emu.api_key()))).contains("kibana-api-forbidden"));
    // Server errors where the facts come from: an error, and --create does not go ahead.
    let w = world(
        Knobs {
            reads_fail: true,
            ..Knobs::default()
        },
        200,
    );
    let r = run(
        &w,
        &["--connector-id", "ops-hook", "--create"],
        Some(&w.emu.api_key()),
    );
    assert!(rules(&r).contains("kibana-unavailable"), "{:?}", rules(&r));
    assert_eq!(r.code, 1);
    assert!(
        w.emu.connector("default", "ops-hook").is_none(),
        "nothing was created"
    );
    let w = world(
        Knobs {
            sufficiently_secure: false,
            ..Knobs::default()
        },
        200,
    );
    assert!(
        rules(&run(&w, &[], Some(&w.emu.api_key()))).contains("alerting-not-sufficiently-secure")
    );
    // Nothing listens.
    let w = world(Knobs::default(), 200);
    let port = crate::net::free_port();
    let r = run(
        &w,
        &["--kibana-url", &format!("http://127.0.0.1:{port}")],
        Some(&w.emu.api_key()),
    );
    assert!(rules(&r).contains("kibana-unreachable"), "{:?}", rules(&r));
}

#[test]
fn kibana_tls_is_verified_unless_insecure() {
    let w = world(Knobs::default(), 200);
    // The webhook receiver speaks TLS with a private CA: as a Kibana URL it is untrusted.
    let url = format!("https://127.0.0.1:{}", w.receiver.port);
    let r = run(&w, &["--kibana-url", &url], Some(&w.emu.api_key()));
    assert!(
        rules(&r).contains("kibana-tls-untrusted"),
        "{:?}",
        rules(&r)
    );
    let r = run(
        &w,
        &["--kibana-url", &url, "--insecure"],
        Some(&w.emu.api_key()),
    );
    assert!(!rules(&r).contains("kibana-tls-untrusted"));
    assert!(
        r.all
            .contains("--insecure: Kibana's TLS certificate is not verified")
    );
}

#[test]
fn the_key_in_the_running_kibana_reconciles_the_offline_finding() {
    let w = world(Knobs::default(), 200);
    let text = std::fs::read_to_string(&w.yml).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("xpack.encryptedSavedObjects"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&w.yml, without).unwrap();
    let r = run(&w, &[], Some(&w.emu.api_key()));
    assert!(
        rules(&r).contains("encryption-key-outside-files"),
        "{:?}",
        rules(&r)
    );
    assert!(!rules(&r).contains("encryption-key-missing"));
}

#[test]
fn no_credential_or_secret_reaches_any_output() {
    let w = world(
        Knobs {
            license_type: "basic".into(),
            ..Knobs::default()
        },
        200,
    );
    let key = w.emu.api_key();
    let mut outputs = Vec::new();
    for format in ["json", "text"] {
        for args in [
            vec!["--connector-id", "ops-hook", "-v"],
            vec!["--connector-id", "ops-hook", "--create", "--test", "-v"],
        ] {
            outputs.push(run_as(&w, &args, Some(&key), format).all);
        }
    }
    let w = world(Knobs::default(), 500);
    outputs.push(
        run_as(
            &w,
            &["--connector-id", "ops-hook", "--create", "--test", "-v"],
            Some(&w.emu.api_key()),
            "text",
        )
        .all,
    );
    for all in &outputs {
        assert!(
            all.contains("kibana-preflight: GET"),
            "-v logs the calls:\n{all}"
        );
        for secret in [key.as_str(), WEBHOOK_PASSWORD, WEBHOOK_USER] {
            assert!(!all.contains(secret), "output leaks {secret}:\n{all}");
        }
    }
}

#[test]
fn create_and_test_need_their_inputs() {
    let w = world(Knobs::default(), 200);
    for (args, env_url) in [
        (vec!["--create"], true),
        (vec!["--test", "--connector-id", "x"], false),
    ] {
        let mut cmd = bin();
        cmd.args(["check", "--no-process-env", "--connector"])
            .arg(&w.spec)
            .args(&args)
            .arg(&w.yml)
            .env_remove("KIBANA_CONNECTOR_ID")
            .env_remove("KIBANA_URL");
        if env_url {
            cmd.env("KIBANA_URL", w.emu.url());
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let _ = &w.dir;
}

fn finding<'a>(r: &'a Run, name: &str) -> &'a serde_json::Value {
    r.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {:?}", rules(r)))
}

/// Every rule about the running Kibana or the deploy step is exercised above.
#[test]
fn every_kibana_rule_is_exercised_by_a_test() {
    let source = std::fs::read_to_string(root().join("tests/it/kibana.rs")).unwrap();
    let missing: Vec<&str> = kibana_preflight::rules::Rule::ALL
        .iter()
        .filter(|r| {
            matches!(r.module().name(), "kibana-api" | "deploy")
                || (r.meta().live && !r.module().live())
        })
        .map(|r| r.name())
        .filter(|name| !source.contains(&format!("\"{name}\"")))
        .collect();
    assert!(missing.is_empty(), "rules without a test: {missing:?}");
}

/// `diagnose --connector-id` as the connector's failed executions come out of each Kibana:
/// `diagnose` on the CLI with KIBANA_URL and an API key, the run's JSON and exit code.
fn diagnose_from(w: &World, key: &str, extra: &[&str]) -> Run {
    let out = bin()
        .arg("diagnose")
        .args(["--no-process-env", "--timeout", "1", "--format", "json"])
        .args(["--resolve", &w.resolve])
        .arg("--config")
        .arg(&w.yml)
        .args(extra)
        .env("KIBANA_URL", w.emu.url())
        .env("KIBANA_API_KEY", key)
        .env_remove("KIBANA_USERNAME")
        .env_remove("KIBANA_PASSWORD")
        .env_remove("KIBANA_SPACE")
        .env_remove("KIBANA_CA_CERT")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let all = format!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    Run {
        json: serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null),
        code: out.status.code().unwrap_or(-1),
        all,
    }
}

fn recognised_rows(r: &Run) -> Vec<u64> {
    r.json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["details"]["catalogue_row"].as_u64())
        .collect()
}

/// End to end on 9.3: the connector's test fails (the receiver answers 503), Kibana records the
/// failure, and `diagnose --connector-id` reads it back from the execution log (with the
/// internal-origin header 9.x requires), names the 5xx cause once however often it failed, and
/// confirms against the connector's own URL.
#[test]
fn diagnose_connector_id_reads_the_failures_kibana_recorded() {
    let w = world(Knobs::default(), 503);
    let key = w.emu.api_key();
    for _ in 0..2 {
        let r = run(
            &w,
            &[
                "--connector-id",
                "ops-hook",
                "--create",
                "--update",
                "--test",
            ],
            Some(&key),
        );
        assert_eq!(r.code, 1, "{}", r.all);
    }
    let r = diagnose_from(&w, &key, &["--connector-id", "ops-hook"]);
    assert_eq!(r.code, 1, "{}", r.all);
    assert_eq!(recognised_rows(&r), [34], "{}", r.all);
    let f = &r.json["findings"][0];
    assert_eq!(f["details"]["connector_type"]["from"], "Kibana");
    assert_eq!(
        f["details"]["kibana_version"],
        serde_json::json!({"version": "9.3.2", "from": "Kibana"}),
        "the version the execution log recorded"
    );
    assert!(
        f["kibana_message"]
            .as_str()
            .unwrap_or_default()
            .contains("503"),
        "{f}"
    );
    assert!(
        f["note"].to_string().contains("appears 2 times"),
        "two failures, one finding: {f}"
    );
    let log = w.emu.log().join("\n");
    assert!(
        log.contains("POST /internal/actions/_global_connector_execution_logs"),
        "{log}"
    );
    // The confirming check asked the running Kibana and probed the connector's own URL.
    assert!(log.contains("GET /api/status"), "{log}");
    let tls = r.json["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["module"] == "tls")
        .cloned()
        .unwrap_or_default();
    assert_eq!(tls["status"], "pass", "{tls}");
    assert!(tls.to_string().contains("hooks.test"), "{tls}");
    assert!(
        !r.all.contains(&key) && !r.all.contains(WEBHOOK_PASSWORD),
        "no secret in the output"
    );
}

/// Each Kibana generation answers from its own API: the global execution log (8.7, which names
/// connectors only by name, and 8.8+), the event log under /internal (8.0-8.6) and under /api
/// (7.x); an e-mail connector's TLS failure gets the smtp:// fix from the type Kibana reports.
#[test]
fn diagnose_connector_id_follows_each_versions_api() {
    use crate::emulator::{Event, Stored};
    for (version, api) in [
        (
            "9.3.2",
            "POST /internal/actions/_global_connector_execution_logs",
        ),
        (
            "8.7.1",
            "POST /internal/actions/_global_connector_execution_logs",
        ),
        ("8.5.3", "GET /internal/event_log/action/mail/_find"),
        ("7.17.9", "GET /api/event_log/action/mail/_find"),
    ] {
        let w = world(
            Knobs {
                version: version.into(),
                ..Knobs::default()
            },
            200,
        );
        let key = w.emu.api_key();
        w.emu.insert(
            "default",
            "mail",
            Stored {
                type_id: ".email".into(),
                name: "Ops mail".into(),
                config: serde_json::json!({"host": "mail.test", "port": 587, "secure": false, "from": "a@b.test"}),
                secrets: serde_json::json!({}),
            },
        );
        let now = time::OffsetDateTime::now_utc();
        let at = |minutes: i64| {
            (now - time::Duration::minutes(minutes))
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap()
        };
        let event = |minutes, id: &str, failure, error: Option<&str>| Event {
            timestamp: at(minutes),
            space: "default".into(),
            id: id.into(),
            type_id: ".email".into(),
            name: if id == "mail" { "Ops mail" } else { "Other" }.into(),
            failure,
            message: format!(
                "{}: .email:{id}: {}",
                if failure {
                    "action execution failure"
                } else {
                    "action executed"
                },
                if id == "mail" { "Ops mail" } else { "Other" }
            ),
            error: error.map(str::to_string),
        };
        // Older than the 30 days looked at, a success, another connector's failure, and the one.
        w.emu.record(event(
            60 * 24 * 40,
            "mail",
            true,
            Some("error sending email: connect ECONNREFUSED 10.9.9.9:25"),
        ));
        w.emu.record(event(30, "mail", false, None));
        w.emu.record(event(
            20,
            "other",
            true,
            Some("error sending email: Greeting never received"),
        ));
        w.emu.record(event(
            10,
            "mail",
            true,
            Some("error sending email: self signed certificate in certificate chain"),
        ));
        let r = diagnose_from(&w, &key, &["--connector-id", "mail"]);
        assert_eq!(r.code, 1, "{version}: {}", r.all);
        assert_eq!(recognised_rows(&r), [22], "{version}: {}", r.all);
        let f = &r.json["findings"][0];
        assert!(
            f["help"]
                .as_str()
                .unwrap_or_default()
                .contains("url: smtp://"),
            "{version}: {f}"
        );
        assert_eq!(
            f["details"]["connector_type"]["type"], ".email",
            "{version}"
        );
        let log = w.emu.log().join("\n");
        assert!(log.contains(api), "{version}: {log}");
    }
}

/// The execution log lists every connector's failures: ours, behind 150 newer failures of
/// another connector, are still found on a later page.
#[test]
fn diagnose_connector_id_reads_past_other_connectors_failures() {
    use crate::emulator::Event;
    let w = world(Knobs::default(), 200);
    let key = w.emu.api_key();
    let r = run(&w, &["--connector-id", "ops-hook", "--create"], Some(&key));
    assert_eq!(r.code, 0, "{}", r.all);
    let now = time::OffsetDateTime::now_utc();
    let at = |seconds: i64| {
        (now - time::Duration::seconds(seconds))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    w.emu.record(Event {
        timestamp: at(3_600),
        space: "default".into(),
        id: "ops-hook".into(),
        type_id: ".webhook".into(),
        name: "Ops webhook".into(),
        failure: true,
        message: "action execution failure: .webhook:ops-hook: Ops webhook".into(),
        error: Some("error calling webhook, request failed: [ECONNREFUSED] connect ECONNREFUSED 10.9.8.7:443".into()),
    });
    for i in 0..150 {
        w.emu.record(Event {
            timestamp: at(i),
            space: "default".into(),
            id: "noisy".into(),
            type_id: ".webhook".into(),
            name: "Noisy".into(),
            failure: true,
            message: "action execution failure: .webhook:noisy: Noisy".into(),
            error: Some("error calling webhook, retry later: [503] Service Unavailable".into()),
        });
    }
    let r = diagnose_from(&w, &key, &["--connector-id", "ops-hook"]);
    assert_eq!(recognised_rows(&r), [27], "{}", r.all);
    let pages = w
        .emu
        .log()
        .iter()
        .filter(|l| l.ends_with("_global_connector_execution_logs"))
        .count();
    assert_eq!(pages, 2, "read until found");
}

/// The event log lists oldest first: the newest failures are on its last page and, when that
/// page holds fewer than asked for, on the page before it (7.17: 105 failures, 20 asked for).
#[test]
fn diagnose_connector_id_reads_the_event_logs_last_two_pages() {
    use crate::emulator::{Event, Stored};
    let w = world(
        Knobs {
            version: "7.17.9".into(),
            ..Knobs::default()
        },
        200,
    );
    let key = w.emu.api_key();
    w.emu.insert(
        "default",
        "ops-hook",
        Stored {
            type_id: ".webhook".into(),
            name: "Ops webhook".into(),
            config: serde_json::json!({"url": "https://hooks.gone.test/x", "method": "post"}),
            secrets: serde_json::json!({}),
        },
    );
    let now = time::OffsetDateTime::now_utc();
    for i in 0..105i64 {
        // Oldest first: 85 answered 503, then 15 names that do not resolve, then 5 refusals.
        let error = match i {
            0..85 => "error calling webhook, retry later: [503] Service Unavailable",
            85..100 => {
                "error calling webhook, request failed: [ENOTFOUND] getaddrinfo ENOTFOUND hooks.gone.test"
            }
            _ => {
                "error calling webhook, request failed: [ECONNREFUSED] connect ECONNREFUSED 10.9.8.7:443"
            }
        };
        w.emu.record(Event {
            timestamp: (now - time::Duration::seconds(200 - i))
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap(),
            space: "default".into(),
            id: "ops-hook".into(),
            type_id: ".webhook".into(),
            name: "Ops webhook".into(),
            failure: true,
            message: "action execution failure: .webhook:ops-hook: Ops webhook".into(),
            error: Some(error.into()),
        });
    }
    let r = diagnose_from(
        &w,
        &key,
        &["--connector-id", "ops-hook", "--executions", "20"],
    );
    let mut rows = recognised_rows(&r);
    rows.sort_unstable();
    assert_eq!(rows, [27, 28], "the newest 20 only: {}", r.all);
}

/// No failures: a note that says where it looked, exit 0; no Kibana: a usage error; an unknown
/// connector: Kibana's 404, exit 2.
#[test]
fn diagnose_connector_id_without_failures_or_kibana_says_so() {
    let w = world(Knobs::default(), 200);
    let key = w.emu.api_key();
    let r = run(
        &w,
        &["--connector-id", "ops-hook", "--create", "--test"],
        Some(&key),
    );
    assert_eq!(r.code, 0, "{}", r.all);
    let r = diagnose_from(&w, &key, &["--connector-id", "ops-hook"]);
    assert_eq!(r.code, 0, "{}", r.all);
    let f = &r.json["findings"][0];
    assert_eq!(f["name"], "no-failed-executions", "{}", r.all);
    assert!(
        f["note"]
            .to_string()
            .contains("_global_connector_execution_logs"),
        "{f}"
    );

    let r = diagnose_from(&w, &key, &["--connector-id", "nope"]);
    assert_eq!(r.code, 2, "{}", r.all);
    assert!(
        r.all.contains("Saved object [action/nope] not found"),
        "{}",
        r.all
    );

    let out = bin()
        .args(["diagnose", "--connector-id", "ops-hook"])
        .env_remove("KIBANA_URL")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("KIBANA_URL"));
}
