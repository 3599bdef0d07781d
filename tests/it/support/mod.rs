//! Helpers shared by the integration tests: run the real binary on a fixture.

#![allow(dead_code)]

pub mod peers;
pub use peers::{peer_missing, require_peer};

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, run from the repository root with an environment that cannot leak into results.
pub fn bin() -> Command {
    let mut cmd = Command::cargo_bin("kibana-preflight").expect("binary built");
    cmd.current_dir(root())
        .env_remove("KEYSTORE_PASSWORD")
        .env_remove("KBN_KEYSTORE_PASSPHRASE_FILE")
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS")
        // The developer's own Kibana settings must not leak into the tests.
        .env_remove("KIBANA_URL")
        .env_remove("KIBANA_API_KEY")
        .env_remove("KIBANA_USERNAME")
        .env_remove("KIBANA_PASSWORD")
        .env_remove("KIBANA_SPACE")
        .env_remove("KIBANA_CONNECTOR_ID")
        .env_remove("KIBANA_CA_CERT")
        .env_remove("NODE_EXTRA_CA_CERTS");
    cmd
}

/// Arguments a fixture asks for on its first line: `# kp-args: --kibana-version 8.19`,
/// with `{dir}` standing for the fixture's directory.
pub fn fixture_args(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).expect("fixture readable");
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    let dir = relative(path.parent().unwrap());
    match first.strip_prefix("# kp-args:") {
        Some(args) => args
            .split_whitespace()
            .map(|a| a.replace("{dir}", &dir))
            .collect(),
        None => Vec::new(),
    }
}

/// A fixture may ask to be padded to a size (`# kp-generate: 9000000`) instead of being
/// committed that large; returns the path to lint.
pub fn materialise(path: &Path) -> String {
    let text = std::fs::read(path).expect("fixture readable");
    let first = text.split(|b| *b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    if let Some(size) = first.strip_prefix("# kp-generate:") {
        let size: usize = size.trim().parse().expect("size");
        let out = root().join("target/kp-generated");
        std::fs::create_dir_all(&out).unwrap();
        let name = path.file_name().unwrap();
        let target = out.join(name);
        let mut content = text.clone();
        while content.len() < size {
            content.extend_from_slice(b"# padding to make the file large\n");
        }
        // Tests run in parallel in one binary: write aside, then rename, so a reader never sees
        // a half-written file.
        let aside = out.join(format!(
            "{}.{:?}.tmp",
            name.to_string_lossy(),
            std::thread::current().id()
        ));
        std::fs::write(&aside, content).unwrap();
        std::fs::rename(&aside, &target).unwrap();
        return relative(&target);
    }
    relative(path)
}

/// A path relative to the repository root, as the tests pass it (stable output).
pub fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

pub fn lint(path: &Path, format: &str) -> Output {
    let target = materialise(path);
    let mut cmd = bin();
    cmd.arg("lint")
        .arg("--no-process-env")
        .arg("--format")
        .arg(format)
        .args(fixture_args(path))
        .arg(target);
    cmd.output().expect("binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// The rule names a JSON report contains.
pub fn rule_names(json: &serde_json::Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect()
}

/// The rule a fixture belongs to: its directory name.
pub fn rule_of(path: &Path) -> String {
    path.parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// An npm package installed into `target/npm/<name>` (CI installs it in .ci/run first; locally
/// it is installed on first use). `None`, after `peer_missing`, when npm cannot provide it.
pub fn npm_package(spec: &str) -> Option<PathBuf> {
    let name = spec.rsplit_once('@').map_or(spec, |(n, _)| n);
    let dir = root()
        .join("target/npm")
        .join(spec.replace(['/', '@'], "_"));
    let module = dir.join("node_modules").join(name);
    if module.is_dir() {
        return Some(dir.join("node_modules"));
    }
    if !require_peer("npm") {
        return None;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let ok = std::process::Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
        .arg(&dir)
        .arg(spec)
        .status()
        .is_ok_and(|s| s.success());
    if ok && module.is_dir() {
        Some(dir.join("node_modules"))
    } else {
        peer_missing(&format!("npm could not install {spec}"));
        None
    }
}
