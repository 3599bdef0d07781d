//! The generated JSON Schemas, judged by a JSON Schema validator (the `jsonschema` crate) on the
//! rule fixtures: files Kibana accepts are valid, files whose settings stop Kibana are not, and
//! the schema and the validator agree on each of them.

use std::path::{Path, PathBuf};

use super::json_schema;
use crate::kibana::schema::validate;
use std::sync::Arc;

use crate::model::load;
use crate::source::env::Env;
use crate::source::scalar::Scalar;
use crate::source::yaml::{self, Yaml, YamlKind};
use crate::source::{SourceKind, SourceMap};
use crate::version::Version;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The rules whose fixtures are about the settings schema.
const SCHEMA_RULES: &[&str] = &[
    "unknown-setting",
    "invalid-setting-type",
    "invalid-setting-value",
    "removed-setting",
    "setting-not-available",
    "deprecated-setting",
];

/// The version a fixture asks for (`# kp-args: --kibana-version 8.19`).
fn version_of(text: &str) -> Version {
    let first = text.lines().next().unwrap_or_default();
    first
        .strip_prefix("# kp-args:")
        .and_then(|a| {
            let mut words = a.split_whitespace();
            words.find(|w| *w == "--kibana-version")?;
            words.next()?.parse().ok()
        })
        .unwrap_or(Version::DEFAULT)
}

/// The YAML as JavaScript (and yaml-language-server) holds it.
fn as_json(node: &Yaml) -> serde_json::Value {
    use serde_json::Value;
    match &node.kind {
        YamlKind::Scalar(s) => match &s.value {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => Value::from(*n as i64),
            Scalar::Number(n) => serde_json::Number::from_f64(*n)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            Scalar::Str(s) => Value::String(s.clone()),
        },
        YamlKind::Seq(items) => Value::Array(items.iter().map(as_json).collect()),
        YamlKind::Map(pairs) => Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.key_string(), as_json(v)))
                .collect(),
        ),
    }
}

/// Whether Kibana `v` refuses to start with this file, by the tool's validator.
fn validator_refuses(text: &str, v: Version) -> bool {
    let mut sources = SourceMap::new();
    let file = sources.add(
        "kibana.yml".into(),
        SourceKind::KibanaYml,
        Some(Arc::from(text)),
    );
    let mut inputs = load::LoadInputs::default();
    inputs.yaml.push(load::YamlFile {
        file,
        content: Ok(yaml::parse(text)),
    });
    let loaded = load::load(&inputs, &sources, &Env::new(), v);
    validate(&loaded.root, v)
        .issues
        .iter()
        .any(|i| i.kind.is_fatal())
}

fn fixtures() -> Vec<PathBuf> {
    let mut out = vec![root().join("fixtures/good/kibana.yml")];
    for rule in SCHEMA_RULES {
        let dir = root().join("fixtures/rules").join(rule);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yml"))
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

fn name(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

#[test]
fn fixtures_are_valid_exactly_when_kibana_starts_with_them() {
    let mut wrong = Vec::new();
    let mut validators = std::collections::HashMap::new();
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let v = version_of(&text);
        let validator = validators.entry(v).or_insert_with(|| {
            jsonschema::draft7::new(&json_schema(v)).unwrap_or_else(|e| {
                panic!("the schema for {v} is not a valid draft-07 schema: {e}")
            })
        });
        let parsed = yaml::parse(&text);
        let instance = parsed
            .root
            .as_ref()
            .map(as_json)
            .unwrap_or(serde_json::Value::Null);
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        let refuses = validator_refuses(&text, v);
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let expect_invalid =
            file.starts_with("fail") && !path.to_string_lossy().contains("deprecated-setting");
        if expect_invalid == errors.is_empty() {
            wrong.push(format!(
                "{} (Kibana {v}): expected {}, schema says {:?}",
                name(&path),
                if expect_invalid { "invalid" } else { "valid" },
                errors
            ));
        }
        if refuses == errors.is_empty() {
            wrong.push(format!(
                "{} (Kibana {v}): validator refuses: {refuses}, schema errors: {errors:?}",
                name(&path)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn dotted_nested_and_mixed_forms_are_all_valid() {
    let validator = jsonschema::draft7::new(&json_schema(Version::DEFAULT)).unwrap();
    for text in [
        "xpack.actions.allowedHosts: [a.example]",
        "xpack:\n  actions:\n    allowedHosts: [a.example]",
        "xpack.actions:\n  allowedHosts: [a.example]",
        "xpack:\n  actions.allowedHosts: [a.example]",
        "xpack.actions.customHostSettings:\n  - url: https://a.example\n    ssl.verificationMode: none",
    ] {
        let json = as_json(yaml::parse(text).root.as_ref().unwrap());
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{text:?}: {errors:?}");
    }
    for text in [
        "xpack.actions.allowedHost: [a.example]",
        "xpack:\n  actions:\n    allowedHost: [a.example]",
        "xpack:\n  actions.allowedHost: [a.example]",
    ] {
        let json = as_json(yaml::parse(text).root.as_ref().unwrap());
        assert!(!validator.is_valid(&json), "{text:?} should be invalid");
    }
}

#[test]
fn secrets_are_write_only_and_env_references_always_valid() {
    let schema = json_schema(Version::DEFAULT);
    let key = &schema["definitions"]["xpack.encryptedSavedObjects.encryptionKey"];
    assert_eq!(key["writeOnly"], true);
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let json = as_json(
        yaml::parse("xpack.actions.maxResponseContentLength: ${MAX}\nxpack.actions.enabledActionTypes: ${TYPES}")
            .root
            .as_ref()
            .unwrap(),
    );
    assert!(validator.is_valid(&json));
}
