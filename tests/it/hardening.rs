//! Hostile input: each reproduction from the hardening issue that is fixed, held by a test with
//! the exact input. A panic (exit 101) or a blow-up would fail them.

use std::time::{Duration, Instant};

use crate::support::*;

fn lint_text(yml: &str, args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kibana.yml");
    std::fs::write(&file, yml).unwrap();
    bin()
        .args(["lint", "--no-process-env"])
        .args(args)
        .arg(&file)
        .output()
        .unwrap()
}

#[test]
fn characters_that_change_length_when_lower_cased_do_not_panic() {
    for yml in [
        "xpack.actions.allowedHosts: [\"İİİİİİİİpassword\"]\n",
        "xpack.actions.allowedHosts: [\"\u{212A}\u{212A}\u{212A}password\"]\n",
    ] {
        let out = lint_text(yml, &[]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{yml}: {out:?}");
    }
}

#[test]
fn a_bracketed_host_over_255_characters_does_not_panic() {
    let url = format!("http://[{}]/", "1".repeat(300));
    let out = lint_text("", &["--url", &url]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
}

#[test]
fn nested_variable_openers_are_linear() {
    // `${` 40,000 times in an 80 KB file: 26 s and 5 GB before.
    let yml = format!("server.name: \"{}}}\"\n", "${".repeat(40_000));
    let start = Instant::now();
    let out = lint_text(&yml, &["--format", "json"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out.status);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(
        out.stdout.len() < 1_000_000,
        "{} bytes of output",
        out.stdout.len()
    );
}

#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().unwrap();
    let yml = dir.path().join("k.yml");
    let spec = dir.path().join("hook.json");
    let original = std::fs::read_to_string(root().join("fixtures/demo/kibana.yml")).unwrap();
    std::fs::write(&yml, &original).unwrap();
    std::fs::write(&spec, "{\"name\": \"x\"}").unwrap();
    for (args, victim) in [
        (
            vec!["lint", "k.yml", "--format", "json", "--output", "k.yml"],
            &yml,
        ),
        (
            vec![
                "lint",
                "k.yml",
                "--connector",
                "hook.json",
                "--format",
                "json",
                "--output",
                "hook.json",
            ],
            &spec,
        ),
    ] {
        let before = std::fs::read(victim).unwrap();
        let out = bin().current_dir(dir.path()).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("is an input of this run"));
        assert_eq!(
            std::fs::read(victim).unwrap(),
            before,
            "{args:?} changed its input"
        );
    }
}

/// A connector id or space that would leave its URL path segment is refused before any request.
#[test]
fn ids_and_spaces_cannot_rewrite_api_paths() {
    for (id, space) in [
        ("../../../api/saved_objects/config/x", None),
        ("x?overwrite=true", None),
        ("..", None),
        ("ops-hook", Some("../../api/x?")),
    ] {
        let mut cmd = bin();
        cmd.args([
            "check",
            "--no-process-env",
            "--connector",
            "fixtures/demo/connector.json",
        ])
        .args(["--connector-id", id])
        .env("KIBANA_URL", "http://127.0.0.1:9")
        .env("KIBANA_API_KEY", "secret-key");
        if let Some(s) = space {
            cmd.env("KIBANA_SPACE", s);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{id} {space:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(!stderr.contains("secret-key"));
    }
}

/// Every input read is capped (8 MB): `/dev/zero` given as any input is an input error, quickly
/// and in bounded memory, never a hang or a blow-up.
#[test]
fn endless_inputs_are_cut_at_the_limit() {
    if !std::path::Path::new("/dev/zero").exists() {
        peer_missing("/dev/zero is not available");
        return;
    }
    let zero = std::fs::File::open("/dev/zero").unwrap();
    // (arguments, environment, whether stdin is /dev/zero)
    type Run<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, bool);
    let runs: Vec<Run> = vec![
        (vec!["lint", "-"], vec![], true),
        (vec!["diagnose"], vec![], true),
        (vec!["diagnose", "--input", "/dev/zero"], vec![], false),
        (
            vec![
                "lint",
                "--config-file",
                "/dev/zero",
                "fixtures/demo/kibana.yml",
            ],
            vec![],
            false,
        ),
        (
            vec![
                "check",
                "--api-key-file",
                "/dev/zero",
                "--url",
                "https://hooks.example.com/x",
            ],
            vec![("KIBANA_URL", "http://127.0.0.1:9")],
            false,
        ),
        (
            vec![
                "lint",
                "--keystore",
                "fixtures/demo/kibana.yml",
                "fixtures/demo/kibana.yml",
            ],
            vec![("KBN_KEYSTORE_PASSPHRASE_FILE", "/dev/zero")],
            false,
        ),
        (
            vec![
                "check",
                "--password-file",
                "/dev/zero",
                "--url",
                "https://hooks.example.com/x",
            ],
            vec![
                ("KIBANA_URL", "http://127.0.0.1:9"),
                ("KIBANA_USERNAME", "elastic"),
            ],
            false,
        ),
        (
            vec![
                "check",
                "--connector",
                "fixtures/demo/connector.json",
                "--test",
                "--connector-id",
                "x",
                "--test-body",
                "/dev/zero",
                "--url",
                "https://hooks.example.com/x",
            ],
            vec![
                ("KIBANA_URL", "http://127.0.0.1:9"),
                ("KIBANA_API_KEY", "k"),
            ],
            false,
        ),
        (
            vec![
                "check",
                "--cacert",
                "/dev/zero",
                "--url",
                "https://hooks.example.com/x",
            ],
            vec![
                ("KIBANA_URL", "https://127.0.0.1:9"),
                ("KIBANA_API_KEY", "k"),
            ],
            false,
        ),
    ];
    for (args, env, stdin) in runs {
        let start = Instant::now();
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("kibana-preflight"));
        cmd.current_dir(root()).args(&args).env_remove("KIBANA_URL");
        for (k, v) in &env {
            cmd.env(k, v);
        }
        if stdin {
            cmd.stdin(zero.try_clone().unwrap());
        } else {
            cmd.stdin(std::process::Stdio::null());
        }
        let out = cmd.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{args:?}: {:?}",
            start.elapsed()
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("larger than"), "{args:?}: {stderr}");
    }
}

/// Secrets planted where the hardening issue found them shown: none appears in any format.
#[test]
fn planted_secrets_appear_in_no_format() {
    const PW: &str = "S3cretP4ssw0rd";
    // The OpenTelemetry appender's key passphrase, in a branch of the appender union (logging's
    // and the audit log's), next to a value Kibana refuses, so its line is shown.
    let otel = |at: &str| {
        format!(
            "{at}:\n  type: otel\n  url: https://otel.example.com\n  ssl:\n    keyPassphrase: {PW}\n    verificationMode: bogus\n"
        )
    };
    let otel = otel("logging.appenders.otlp") + &otel("xpack.security.audit.appender");
    // The anonymous provider's password and API key, in branches of its untagged union, each
    // next to a misspelt key so that the union's message is shown.
    let otel = otel
        + &format!(
            "xpack.security.authc.providers:\n  anonymous.anon1:\n    order: 0\n    credentials:\n      usernme: guest\n      password: {PW}\n  anonymous.anon2:\n    order: 1\n    credentials:\n      apiKey: {PW}\n      id: x\n"
        );
    // Fleet's preconfigured outputs, a union by `type` from 8.10: every secret key of each kind,
    // next to a value Kibana refuses (a typo, a key of another kind, a bad enum) so that the
    // union's lines are shown.
    let otel = otel
        + &format!(
            "xpack.fleet.outputs:\n  - id: es\n    name: ES\n    type: elasticsearch\n    hosts: [\"https://es:9200\"]\n    ssl:\n      key: {PW}\n      verification_mode: bogus\n    secrets:\n      ssl:\n        key: {PW}\n    namepsace: x\n  - id: k\n    name: K\n    type: kafka\n    hosts: [\"kafka:9092\"]\n    auth_type: user_pass\n    username: u\n    password: {PW}\n    compression: bogus\n    secrets:\n      password: {PW}\n      ssl:\n        key: {PW}\n  - id: r\n    name: R\n    type: remote_elasticsearch\n    hosts: [\"https://es:9200\"]\n    service_token: {PW}\n    kibana_api_key: {PW}\n    topic: x\n    secrets:\n      service_token: {PW}\n"
        );
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A URL with userinfo and a token in a connector spec; a credential header in a
    // preconfigured connector; proxy credentials on a line with a YAML syntax error.
    std::fs::write(
        d.join("hook.json"),
        format!(
            "{{\"name\": \"hook\", \"connector_type_id\": \".webhook\", \"config\": {{\"url\": \"https://ops:{PW}@hooks.example.com/alert?token={PW}x\"}}}}"
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("kibana.yml"),
        format!(
            "xpack.actions.preconfigured:\n  my-hook:\n    actionTypeId: .webhook\n    name: hook\n    config:\n      url: https://hooks.example.com/x\n      headers:\n        X-Access-Key: {PW}\n        Ocp-Apim-Subscription-Key: {PW}\n{otel}"
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("broken.yml"),
        format!("xpack.actions.proxyUrl: http://u:{PW}@proxy:3128 : [\n"),
    )
    .unwrap();
    for format in ["text", "json", "sarif", "junit", "github"] {
        for args in [
            vec![
                "lint",
                "--no-process-env",
                "--connector",
                "hook.json",
                "kibana.yml",
            ],
            vec!["lint", "--no-process-env", "broken.yml"],
            // The outputs' lines differ by release (three kinds at 8.11, secrets refused on
            // Elasticsearch outputs before 9.1, the object form before 8.10).
            vec![
                "lint",
                "--no-process-env",
                "--kibana-version",
                "8.19",
                "kibana.yml",
            ],
            vec![
                "lint",
                "--no-process-env",
                "--kibana-version",
                "8.9",
                "kibana.yml",
            ],
        ] {
            let out = bin()
                .current_dir(d)
                .args(&args)
                .args(["--format", format])
                .output()
                .unwrap();
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                !all.contains(PW),
                "{format} {args:?} shows the secret:\n{all}"
            );
        }
    }
}

/// Inputs that were super-linear (duplicate detection over 80,000 keys, 20,000 `${A}`, 20,000
/// dotted customHostSettings.N keys): four times the input must not take anywhere near sixteen
/// times as long. A ratio, not a time, so a slow machine does not fail it.
#[test]
fn growing_inputs_take_linear_time() {
    type Shape = (&'static str, fn(usize) -> String);
    let shapes: [Shape; 6] = [
        ("keys", |n| (0..n).map(|i| format!("k{i}: v\n")).collect()),
        // Every line a duplicate: one parse error each, none folded into an override twice.
        ("duplicate keys", |n| "a: v\n".repeat(n)),
        // URLs with credential-like query parameters, all masked in one sweep.
        ("query tokens", |n| {
            format!(
                "server.name: \"https://h/?{}\"\n",
                "token=s3cret&".repeat(n)
            )
        }),
        // 100,000 anchors and aliases took 19.5 s: each alias scanned every anchor.
        ("anchors and aliases", |n| {
            let anchors: String = (0..n / 2).map(|i| format!("k{i}: &a{i} v\n")).collect();
            let aliases: String = (0..n / 2).map(|i| format!("r{i}: *a{i}\n")).collect();
            anchors + &aliases
        }),
        ("refs", |n| {
            format!("server.name: \"{}\"\n", "${A}".repeat(n))
        }),
        ("customHostSettings", |n| {
            (0..n)
                .map(|i| {
                    format!(
                        "xpack.actions.customHostSettings.{i}.url: https://h{i}.example.com:443\n"
                    )
                })
                .collect()
        }),
    ];
    for (name, make) in shapes {
        let time = |n: usize| {
            let yml = make(n);
            let start = Instant::now();
            let out = lint_text(&yml, &["--format", "json"]);
            assert!(matches!(out.status.code(), Some(0 | 1)), "{name} {n}");
            start.elapsed().as_secs_f64()
        };
        let small = time(2_500).max(0.02);
        let large = time(10_000);
        assert!(
            large / small < 10.0,
            "{name}: 2,500 in {small:.2} s, 10,000 in {large:.2} s"
        );
    }
}

/// An env-file line written YAML-style is not echoed (its value is often a secret), and a
/// mistyped Docker variable's value is masked in its snippet.
#[test]
fn env_file_values_are_not_echoed() {
    const PW: &str = "hunter2secretvalue";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.env"),
        format!("KIBANA_PASSWORD: {PW}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("docker.env"),
        format!("ELASTICSEARCH_PASWORD={PW}\n"),
    )
    .unwrap();
    for args in [
        vec!["lint", "--no-process-env", "--env-file", "bad.env"],
        vec!["lint", "--no-process-env", "--docker-env", "docker.env"],
    ] {
        for format in ["text", "json", "sarif", "github", "junit"] {
            let out = bin()
                .current_dir(dir.path())
                .args(&args)
                .args(["--format", format])
                .arg(root().join("fixtures/demo/kibana.yml"))
                .output()
                .unwrap();
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(!all.contains(PW), "{args:?} {format}:\n{all}");
        }
    }
}

/// Probes are bounded in number: hundreds of URLs under a low `ulimit -n` give each its real
/// answer (refused), not errors from running out of file descriptors.
#[test]
fn many_targets_under_a_low_fd_limit() {
    let dir = tempfile::tempdir().unwrap();
    let yml = dir.path().join("kibana.yml");
    std::fs::write(
        &yml,
        "xpack.encryptedSavedObjects.encryptionKey: \"Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA\"\n",
    )
    .unwrap();
    let port = crate::net::free_port();
    let mut cmd = format!(
        "ulimit -n 128 && exec {} check --no-process-env --format json --timeout 2 --concurrency 16",
        assert_cmd::cargo::cargo_bin("kibana-preflight").display()
    );
    for i in 0..300 {
        cmd.push_str(&format!(" --url http://127.0.0.1:{port}/{i}"));
    }
    cmd.push_str(&format!(" {}", yml.display()));
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(&cmd)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let targets = json["files"][0]["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 300);
    for t in targets {
        assert_eq!(t["tcp"]["node_error"], "ECONNREFUSED", "{t}");
    }
}

/// `lint -` keeps standard input in a file with no name on disk: nothing is left in the
/// temporary directory (where an interrupted run used to leave stdin, secrets included).
#[cfg(unix)]
#[test]
fn stdin_leaves_no_file_behind() {
    use std::io::Write;
    let tmp = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("kibana-preflight"))
        .args(["lint", "--no-process-env", "-"])
        .env("TMPDIR", tmp.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            b"xpack.encryptedSavedObjects.encryptionKey: \"Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA\"\n",
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)));
    assert!(String::from_utf8_lossy(&out.stdout).contains("<stdin>"));
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "files left in TMPDIR"
    );
}

/// A 1 MB Docker variable name took 23 s (an edit distance against every known name): the
/// suggestion search is bounded, so eight times the name takes nowhere near 64 times as long.
#[test]
fn a_huge_docker_variable_name_is_linear() {
    let dir = tempfile::tempdir().unwrap();
    let yml = dir.path().join("kibana.yml");
    std::fs::write(&yml, "server.name: kibana\n").unwrap();
    let time = |n: usize| {
        let env = dir.path().join(format!("docker-{n}.env"));
        std::fs::write(&env, format!("KIBANA_{}=1\n", "X".repeat(n))).unwrap();
        let start = Instant::now();
        let out = bin()
            .args([
                "lint",
                "--no-process-env",
                "--format",
                "json",
                "--docker-env",
            ])
            .arg(&env)
            .arg(&yml)
            .output()
            .unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{n}");
        start.elapsed().as_secs_f64()
    };
    let small = time(125_000).max(0.02);
    let large = time(1_000_000);
    assert!(
        large / small < 24.0,
        "125 KB in {small:.2} s, 1 MB in {large:.2} s"
    );
}
