//! Where each fuzz target puts the fuzzer's bytes: one input slot of `lint` (the library's
//! public entry point, so the whole path a real input takes is exercised). A panic is the
//! finding; an `InputError` is a fine answer to bad input. Shared with `cargo test`, which
//! replays every kept input (fuzz/regressions/<target>/) through the same function.

use std::path::PathBuf;
use std::sync::OnceLock;

use kibana_preflight::{LintOptions, Version, lint};

/// A kibana.yml that lets every module run: a webhook-enabled config with a proxy, custom
/// host settings and an encryption key given by `${KEY:default}`.
const BASE: &str = "xpack.actions.enabledActionTypes: [\".webhook\"]\nxpack.actions.allowedHosts: [\"*\"]\nxpack.actions.proxyUrl: http://u:p@proxy.example.com:3128\nxpack.actions.customHostSettings:\n  - url: https://hooks.example.com\n    ssl:\n      verificationMode: certificate\nxpack.encryptedSavedObjects.encryptionKey: \"${KEY:Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA}\"\n";

/// Feeds the fuzzer's bytes to one slot.
pub type Feed = fn(&[u8]);

/// The targets, by name.
pub const TARGETS: &[(&str, Feed)] = &[
    ("kibana_yml", kibana_yml),
    ("substitution", substitution),
    ("webhook_url", webhook_url),
    ("keystore", keystore),
    ("docker_env", docker_env),
    ("connector_spec", connector_spec),
];

/// The YAML loader and everything after it: the bytes as a kibana.yml.
pub fn kibana_yml(data: &[u8]) {
    run(data, LintOptions::default());
}

/// `${VAR}` substitution: the bytes in a setting's value (quoted and plain) and in the env
/// file the references resolve against.
pub fn substitution(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let config = format!(
        "{BASE}server.name: \"{}\"\nserver.host: {}\n",
        text.replace(['"', '\\', '\n'], ""),
        text.lines().next().unwrap_or("")
    );
    let mut opts = LintOptions::default();
    opts.env_files = vec![file("vars.env", format!("KEY={text}\n").as_bytes())];
    run(config.as_bytes(), opts);
}

/// Kibana's legacy URL parser and target evaluation: the bytes as a `--url`.
pub fn webhook_url(data: &[u8]) {
    let mut opts = LintOptions::default();
    opts.urls = vec![String::from_utf8_lossy(data).into_owned()];
    run(BASE.as_bytes(), opts);
}

/// The keystore reader: the bytes as kibana.keystore.
pub fn keystore(data: &[u8]) {
    let mut opts = LintOptions::default();
    opts.keystore = Some(file("kibana.keystore", data));
    opts.keystore_password = "changeme".into();
    run(BASE.as_bytes(), opts);
}

/// The Docker image's environment mapping: the bytes as a `docker run --env-file`.
pub fn docker_env(data: &[u8]) {
    let mut opts = LintOptions::default();
    opts.docker_env = Some(file("docker.env", data));
    run(BASE.as_bytes(), opts);
}

/// The connector spec validator (Kibana's webhook config and secrets schemas): the bytes as
/// the create request's body.
pub fn connector_spec(data: &[u8]) {
    let mut opts = LintOptions::default();
    opts.connector = Some(file("connector.json", data));
    opts.connector_id = Some("fuzz-1".into());
    run(BASE.as_bytes(), opts);
}

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("kp-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    })
}

/// Writes `bytes` as `name` in this process's fuzz folder.
fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Lints `config` with `opts` under versions either side of the `${VAR:default}` syntax and
/// the js-yaml → yaml parser change.
fn run(config: &[u8], opts: LintOptions) {
    let path = file("kibana.yml", config);
    for v in ["8.14.0", "9.3.0"] {
        let mut o = opts.clone();
        o.version = v.parse::<Version>().unwrap();
        let _ = lint(std::slice::from_ref(&path), &o);
    }
}
