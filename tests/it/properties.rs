//! Properties over generated kibana.yml-shaped inputs (proptest), and the replay of every input
//! the fuzzers kept (fuzz/regressions/): no input panics, growing an input grows the work
//! linearly, and a secret planted in any slot appears in no output format.

use std::time::Instant;

use kibana_preflight::{LintOptions, lint};
use proptest::prelude::*;

use crate::support::*;

#[path = "../../fuzz/fuzz_targets/slots.rs"]
mod slots;

/// Every kept fuzz input, through the slot its target feeds (a panic fails the test).
#[test]
fn kept_fuzz_inputs_replay_cleanly() {
    let mut replayed = 0;
    for (target, feed) in slots::TARGETS {
        let dir = root().join("fuzz/regressions").join(target);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{target} keeps no input");
        for f in files {
            feed(&std::fs::read(&f).unwrap());
            replayed += 1;
        }
    }
    assert!(replayed >= slots::TARGETS.len());
}

/// Lines people write in kibana.yml, and the ways they get them wrong.
fn line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "server.name",
        "server.host",
        "xpack.actions.allowedHosts",
        "xpack.actions.enabledActionTypes",
        "xpack.actions.proxyUrl",
        "xpack.actions.customHostSettings",
        "xpack.encryptedSavedObjects.encryptionKey",
        "elasticsearch.hosts",
        "logging.root.level",
        "a.b.c",
    ]);
    let value = prop::sample::select(vec![
        "kibana",
        "\"${A}\"",
        "${A:default}",
        "[\"*\"]",
        "[\".webhook\"]",
        "http://u:p@proxy:3128",
        "https://[::1]:9200",
        "[",
        "{a: 1",
        "'unterminated",
        "on",
        "0755",
        "~",
        "İK",
        "&x v",
        "*x",
        "|",
        "- url: https://h.example.com",
    ]);
    let indent = prop::sample::select(vec!["", " ", "  ", "\t", "    "]);
    let sep = prop::sample::select(vec![": ", ":\t", ":", " : "]);
    let tail = prop::sample::select(vec!["", " # note", "\r", "  "]);
    (indent, key, sep, value, tail).prop_map(|(i, k, s, v, t)| format!("{i}{k}{s}{v}{t}\n"))
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..24).prop_map(|lines| lines.concat())
}

fn lint_in_process(text: &str) -> std::time::Duration {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kibana.yml");
    std::fs::write(&path, text).unwrap();
    let start = Instant::now();
    let result = lint(&[path], &LintOptions::default());
    let took = start.elapsed();
    if let Ok(report) = result {
        let _ = report.to_json();
    }
    took
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any such document lints to a report or an input error, never a panic.
    #[test]
    fn no_document_panics(doc in document()) {
        lint_in_process(&doc);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() })]

    /// A document's lines repeated eight times as often take nowhere near 64 times as long
    /// (a ratio, not a time: a slow machine does not fail it).
    #[test]
    fn work_grows_linearly(lines in prop::collection::vec(line(), 1..4)) {
        let unit = lines.concat();
        let time = |n: usize| {
            let doc = unit.repeat(n);
            (0..3).map(|_| lint_in_process(&doc)).min().unwrap().as_secs_f64()
        };
        let small = time(250).max(0.005);
        let large = time(2_000);
        prop_assert!(large / small < 24.0, "{unit:?}: x250 in {small:.3} s, x2000 in {large:.3} s");
    }
}

/// The slots a secret can sit in, each as (kibana.yml, connector spec) with `{S}` for it.
const SLOTS: &[(&str, &str)] = &[
    (
        "xpack.actions.proxyUrl: http://user:{S}@proxy.example.com:3128\n",
        "",
    ),
    ("xpack.encryptedSavedObjects.encryptionKey: \"{S}\"\n", ""),
    ("xpack.actions.proxyHeaders:\n  X-Api-Key: {S}\n", ""),
    (
        "xpack.actions.preconfigured:\n  h:\n    actionTypeId: .webhook\n    name: h\n    config:\n      url: https://hooks.example.com/x\n      headers:\n        Authorization: Bearer {S}\n    secrets:\n      password: {S}\n",
        "",
    ),
    (
        "",
        "{\"name\": \"h\", \"connector_type_id\": \".webhook\", \"config\": {\"url\": \"https://ops:{S}@hooks.example.com/a?token={S}\", \"hasAuth\": true}, \"secrets\": {\"user\": \"u\", \"password\": \"{S}\"}}",
    ),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    /// A secret in any slot, beside generated (often broken) lines, appears in no format.
    #[test]
    fn planted_secrets_appear_nowhere(
        secret in "Zq[A-Za-z0-9]{10,18}",
        slot in 0..SLOTS.len(),
        noise in document(),
        before in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (yml, spec) = SLOTS[slot];
        let yml = yml.replace("{S}", &secret);
        let text = if before { format!("{noise}{yml}") } else { format!("{yml}{noise}") };
        std::fs::write(dir.path().join("kibana.yml"), text).unwrap();
        let mut args = vec!["lint", "--no-process-env", "kibana.yml"];
        if !spec.is_empty() {
            std::fs::write(dir.path().join("hook.json"), spec.replace("{S}", &secret)).unwrap();
            args.extend(["--connector", "hook.json"]);
        }
        for format in ["text", "json", "sarif", "junit", "github"] {
            let out = bin().current_dir(dir.path()).args(&args).args(["--format", format]).output().unwrap();
            let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            prop_assert!(!all.contains(&secret), "{format} slot {slot} shows the secret:\n{all}");
        }
    }
}
