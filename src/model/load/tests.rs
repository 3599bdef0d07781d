//! Kibana's merge rules, observed with Node (kibana-settings.md §6).

use super::*;
use crate::source::env::EnvVar;
use crate::source::{SourceKind, yaml};
use std::sync::Arc;

/// Loads YAML texts as a stack, with an environment, for a version.
fn load_texts(texts: &[&str], env: &[(&str, &str)], version: &str) -> (Loaded, SourceMap) {
    let mut sources = SourceMap::new();
    let mut inputs = LoadInputs::default();
    for (i, t) in texts.iter().enumerate() {
        let id = sources.add(
            format!("f{i}.yml"),
            SourceKind::KibanaYml,
            Some(Arc::from(*t)),
        );
        inputs.yaml.push(YamlFile {
            file: id,
            content: Ok(yaml::parse(t)),
        });
    }
    let mut e = Env::new();
    for (k, v) in env {
        e.set(
            k,
            EnvVar {
                value: v.to_string(),
                origin: crate::source::env::EnvOrigin::Process,
            },
        );
    }
    let loaded = load(&inputs, &sources, &e, version.parse().unwrap());
    (loaded, sources)
}

fn value(texts: &[&str], path: &str) -> String {
    let (l, _) = load_texts(texts, &[], "9.1");
    l.root
        .get(path)
        .map(Node::display)
        .unwrap_or_else(|| "<unset>".into())
}

// kibana-settings.md §6.2, observed with Node 20.20.2 / yaml 2.9.1.
#[test]
fn dotted_and_nested_spellings_merge_and_the_later_wins() {
    let dotted_first = "xpack.actions.allowedHosts: [a]\nxpack: {actions: {allowedHosts: [b]}}\n";
    let nested_first = "xpack: {actions: {allowedHosts: [b]}}\nxpack.actions.allowedHosts: [a]\n";
    assert_eq!(value(&[dotted_first], "xpack.actions.allowedHosts"), "[b]");
    assert_eq!(value(&[nested_first], "xpack.actions.allowedHosts"), "[a]");
    let merged = "xpack.actions.proxyUrl: http://p:1\nxpack:\n  actions:\n    allowedHosts: [x]\n";
    assert_eq!(value(&[merged], "xpack.actions.proxyUrl"), "http://p:1");
    assert_eq!(value(&[merged], "xpack.actions.allowedHosts"), "[x]");
}

#[test]
fn arrays_from_later_files_replace_but_merged_by_index_before_8_14() {
    let a = "xpack.actions.allowedHosts: [a, b, c]\n";
    let b = "xpack.actions.allowedHosts: [d]\n";
    assert_eq!(value(&[a, b], "xpack.actions.allowedHosts"), "[d]");
    let (old, _) = load_texts(&[a, b], &[], "8.13");
    assert_eq!(
        old.root
            .get("xpack.actions.allowedHosts")
            .unwrap()
            .display(),
        "[d, b, c]"
    );
}

#[test]
fn unsplittable_keys_and_keys_inside_list_items() {
    let t = "xpack.actions.preconfigured:\n  '[my.hook]':\n    name: x\nxpack.actions.customHostSettings:\n  - url: https://a\n    ssl.verificationMode: none\n";
    let (l, _) = load_texts(&[t], &[], "9.1");
    let pre = l
        .root
        .get("xpack.actions.preconfigured")
        .unwrap()
        .as_map()
        .unwrap();
    assert!(pre.contains_key("my.hook"));
    let item = &l
        .root
        .get("xpack.actions.customHostSettings")
        .unwrap()
        .as_seq()
        .unwrap()[0];
    assert_eq!(item.get("ssl.verificationMode").unwrap().display(), "none");
    // 8.14.0–8.15.0 kept the dotted key whole inside list items.
    let (buggy, _) = load_texts(&[t], &[], "8.15.0");
    let item = &buggy
        .root
        .get("xpack.actions.customHostSettings")
        .unwrap()
        .as_seq()
        .unwrap()[0];
    assert!(item.as_map().unwrap().contains_key("ssl.verificationMode"));
}

#[test]
fn env_substitution_happens_per_string_value() {
    let t = "a: 'pre-${KBN_ENV_VAR1}-mid-${KBN_ENV_VAR2:default2}-post'\nb: ${MISSING}\nc: [\"${KBN_ENV_VAR1}\"]\n";
    let (l, _) = load_texts(&[t], &[("KBN_ENV_VAR1", "val1")], "9.1");
    assert_eq!(
        l.root.get("a").unwrap().display(),
        "pre-val1-mid-default2-post"
    );
    assert_eq!(l.root.get("c").unwrap().display(), "[val1]");
    let missing: Vec<_> = l
        .issues
        .iter()
        .filter_map(|i| match i {
            LoadIssue::MissingEnv { name, at, .. } => Some((name.clone(), at.unwrap().span)),
            _ => None,
        })
        .collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].0, "MISSING");
    // The location is the reference itself, not the whole value.
    assert_eq!(missing[0].1.start, crate::source::Pos::new(2, 4));
}

#[test]
fn an_unset_variable_in_an_overridden_value_still_fails() {
    // Kibana substitutes while listing entries, before later files override them.
    let (l, _) = load_texts(&["a: ${NOPE}\n", "a: fine\n"], &[], "9.1");
    assert!(
        l.issues
            .iter()
            .any(|i| matches!(i, LoadIssue::MissingEnv { .. }))
    );
}

#[test]
fn forbidden_paths_are_reported() {
    let (l, _) = load_texts(&["a.__proto__.b: 1\n"], &[], "9.1");
    assert!(
        matches!(&l.issues[0], LoadIssue::ForbiddenPath { path, .. } if path.to_string() == "a.__proto__")
    );
}

#[test]
fn overriding_in_one_file_is_recorded_with_both_places() {
    let (l, _) = load_texts(
        &["xpack.actions.proxyUrl: http://a:1\nxpack:\n  actions:\n    proxyUrl: http://b:1\n"],
        &[],
        "9.1",
    );
    let o = l
        .issues
        .iter()
        .find_map(|i| match i {
            LoadIssue::Overridden {
                earlier, later, by, ..
            } => Some((earlier.key, later.key, *by)),
            _ => None,
        })
        .unwrap();
    assert_eq!(o.2, OverrideSource::SameFile);
    assert_eq!(o.0.unwrap().span.start.line, 1);
    assert_eq!(o.1.unwrap().span.start.line, 4);
}

#[test]
fn list_and_scalar_documents_yield_nothing() {
    let (l, _) = load_texts(&["- a\n- b\n"], &[], "9.1");
    assert!(matches!(
        l.issues[0],
        LoadIssue::NotAMapping {
            found: "a list",
            ..
        }
    ));
    assert!(l.root.as_map().unwrap().is_empty());
}

#[test]
fn commented_settings_are_found() {
    let (l, _) = load_texts(
        &["a: 1\n#xpack.encryptedSavedObjects.encryptionKey: \"x\"\n  # not: a setting\n"],
        &[],
        "9.1",
    );
    assert_eq!(l.commented.len(), 1);
    assert_eq!(
        l.commented[0].key,
        "xpack.encryptedSavedObjects.encryptionKey"
    );
    assert_eq!(l.commented[0].at.span.start, crate::source::Pos::new(2, 2));
}
