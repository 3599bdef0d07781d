//! The settings surface per Kibana version: unknown, removed, renamed, deprecated and mistyped
//! core settings in dotted, nested and mixed form; versions newer than the table; the upgrade
//! view; the JSON Schema printed for editors.

use std::io::Write as _;

use crate::support::*;

mod namespaces;
mod published;
mod surface;
mod values;

/// Lints `text` with `args`; returns the JSON report and the exit code and stderr.
fn report(text: &str, args: &[&str]) -> (serde_json::Value, i32, String) {
    let mut file = tempfile::Builder::new().suffix(".yml").tempfile().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    let out = bin()
        .args(["lint", "--no-process-env", "--format", "json"])
        .args(args)
        .arg(file.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (
        json,
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Lints `text` for a version; returns the findings as (rule name, setting, Kibana's message),
/// the exit code and stderr.
fn findings(text: &str, args: &[&str]) -> (Vec<(String, String, String)>, i32, String) {
    let (json, code, stderr) = report(text, args);
    let list = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap_or_default().to_string(),
                f["setting"].as_str().unwrap_or_default().to_string(),
                f["kibana_message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (list, code, stderr)
}

fn has(list: &[(String, String, String)], rule: &str, setting: &str) -> bool {
    list.iter().any(|(r, s, _)| r == rule && s == setting)
}

const KEY: &str =
    "xpack.encryptedSavedObjects.encryptionKey: \"Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA\"\n";

/// The JSON report and exit code of `lint` for `yml`, written to `dir` beside a
/// kibana-preflight.toml holding `policy`.
fn lint_in(dir: &std::path::Path, yml: &str, policy: &str) -> (serde_json::Value, Option<i32>) {
    std::fs::write(dir.join("kibana.yml"), yml).unwrap();
    std::fs::write(dir.join("kibana-preflight.toml"), policy).unwrap();
    let out = bin()
        .current_dir(dir)
        .args(["lint", "--no-process-env", "--format", "json", "kibana.yml"])
        .output()
        .unwrap();
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        out.status.code(),
    )
}

/// The human report of `lint` for `text`.
fn human(text: &str, args: &[&str]) -> String {
    let mut file = tempfile::Builder::new().suffix(".yml").tempfile().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    let out = bin()
        .args(["lint", "--no-process-env", "--color", "never"])
        .args(args)
        .arg(file.path())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}
