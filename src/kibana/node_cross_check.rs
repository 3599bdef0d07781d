//! Kibana runs on Node.js, so Node is the reference for how URLs are read. These tests run the
//! real `url.parse` (the legacy parser allowedHosts uses) and `new URL()` (WHATWG, used for
//! customHostSettings and the proxy) on many inputs and compare them with the tool's own
//! implementations. Node is on the machine image; locally the tests skip with a message when it
//! is missing, in CI (`CI` set) they fail.

use std::io::Write as _;
use std::process::{Command, Stdio};

use super::{legacy_url, url as kurl};

#[path = "../../tests/it/support/peers.rs"]
pub(super) mod peers;

fn node_available() -> bool {
    peers::require_peer("node")
}

/// `count` deterministic strings of 1 to `most` pieces each, from `seed`: inputs nobody would
/// think to write, for the cross-checks.
pub(super) fn mixes(pieces: &[&str], count: usize, most: u64, mut seed: u64) -> Vec<String> {
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let mut text = String::new();
        for _ in 0..(seed % most + 1) {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        out.push(text);
    }
    out
}

/// Runs `script` with `node_modules` as its argument, `input` (JSON) on stdin, and reads the
/// JSON it prints. The input is written from a thread, so a large one cannot deadlock on a full
/// output pipe.
pub(super) fn node_json<T: serde::de::DeserializeOwned>(
    script: &str,
    node_modules: &std::path::Path,
    input: Vec<u8>,
) -> T {
    let mut child = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(node_modules)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node runs");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    serde_json::from_slice(&out.stdout).expect("node printed JSON")
}

/// `target/npm/<folder>/node_modules` holding `packages` (npm specs, aliases allowed), each
/// present as a folder named in `present`: installed on first use (.ci/run installs them
/// first). `None`, after a skip or a CI failure, when Node or npm cannot provide them.
pub(super) fn npm_modules(
    folder: &str,
    packages: &[String],
    present: &[String],
) -> Option<std::path::PathBuf> {
    if !peers::require_peer("node") {
        return None;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/npm")
        .join(folder);
    let mods = dir.join("node_modules");
    if present
        .iter()
        .all(|m| mods.join(m).join("package.json").is_file())
    {
        return Some(mods);
    }
    if !peers::require_peer("npm") {
        return None;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let ok = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
        .arg(&dir)
        .args(packages)
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Some(mods)
    } else {
        peers::peer_missing(&format!("npm could not install {}", packages.join(" ")));
        None
    }
}

/// Runs a Node script that reads a JSON array of strings on stdin and prints a JSON array.
fn node(script: &str, inputs: &[String]) -> Vec<serde_json::Value> {
    let mut child = Command::new("node")
        .args(["-e", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(inputs).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    serde_json::from_slice(&out.stdout).expect("node printed JSON")
}

/// Hosts, schemes and tails whose combinations exercise the parsers' corners.
fn urls() -> Vec<String> {
    let schemes = [
        "https://",
        "http://",
        "HTTPS://",
        "ftp://",
        "//",
        "",
        "smtp://",
        "mailto:",
        "https:",
        "https:///",
        "javascript:",
    ];
    let hosts = [
        "example.com",
        "Example.COM",
        "bücher.example",
        "xn--bcher-kva.example",
        "example.com.",
        "[::1]",
        "[0:0:0:0:0:0:0:1]",
        "[::1",
        "10.0.0.1",
        "010.0.0.1",
        "1.2.3",
        "0x7f.1",
        "user:pw@host.com",
        "a@b@c",
        "my_host.example.com",
        "ex!ample.com",
        "a..b",
        "-ex.com",
        "ex ample.com",
        "ex%41mple.com",
        "ex:ample.com",
        "host.com;x",
        "ÄÖÜ.de",
        "xn--a.com",
        "example.com\\@evil.com",
        "a\tb.com",
        "",
        " example.com ",
        "EXAMPLE.com:",
    ];
    let tails = [
        "",
        "/",
        ":8443/path?q=1#h",
        ":0",
        ":99999/x",
        "?x",
        "#h",
        "/a@b",
    ];
    let mut out = Vec::new();
    for s in schemes {
        for h in hosts {
            for t in tails {
                out.push(format!("{s}{h}{t}"));
            }
        }
    }
    out.extend(
        [
            "not a url at all",
            "  ",
            "\\\\host\\share",
            "http:\\\\host.com\\path",
        ]
        .map(String::from),
    );
    out
}

#[test]
fn legacy_url_parse_hostnames_match_node() {
    if !node_available() {
        return;
    }
    let inputs = urls();
    let script = r#"
        const url = require('url');
        process.emitWarning = () => {};
        let data = ''; process.stdin.on('data', d => data += d); process.stdin.on('end', () => {
          const out = JSON.parse(data).map(u => {
            try { const h = url.parse(u, false, true).hostname; return h === null ? null : String(h); }
            catch (e) { return {throws: e.code}; }
          });
          process.stdout.write(JSON.stringify(out));
        });"#;
    let expected = node(script, &inputs);
    let mut mismatches = Vec::new();
    for (input, want) in inputs.iter().zip(&expected) {
        let got = match legacy_url::hostname(input) {
            Ok(Some(h)) => serde_json::Value::String(h),
            Ok(None) => serde_json::Value::Null,
            Err(legacy_url::Throws) => serde_json::json!({"throws": "ERR_INVALID_URL"}),
        };
        if got != *want {
            mismatches.push(format!("{input:?}: node {want}, ours {got}"));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} differ:\n{}",
        mismatches.len(),
        inputs.len(),
        mismatches.join("\n")
    );
}

#[test]
fn whatwg_canonical_urls_match_node() {
    if !node_available() {
        return;
    }
    let inputs = urls();
    // Kibana's getCanonicalCustomHostUrl.
    let script = r#"
        process.emitWarning = () => {};
        const ports = {'http:': 80, 'https:': 443, 'smtp:': 25};
        let data = ''; process.stdin.on('data', d => data += d); process.stdin.on('end', () => {
          const out = JSON.parse(data).map(u => {
            let p; try { p = new URL(u); } catch (e) { return null; }
            const port = p.port ? parseInt(p.port, 10) : (ports[p.protocol] || 0);
            return `${p.protocol}//${p.hostname}:${port}`;
          });
          process.stdout.write(JSON.stringify(out));
        });"#;
    let expected = node(script, &inputs);
    let mut mismatches = Vec::new();
    for (input, want) in inputs.iter().zip(&expected) {
        let got = match kurl::parse(input) {
            Some(u) => serde_json::Value::String(kurl::canonical(&u).0),
            None => serde_json::Value::Null,
        };
        if got != *want {
            mismatches.push(format!("{input:?}: node {want}, ours {got}"));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} differ:\n{}",
        mismatches.len(),
        inputs.len(),
        mismatches.join("\n")
    );
}
