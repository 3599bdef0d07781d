//! The webhook validator against Kibana's schemas and messages, version by version.

use base64::Engine as _;

use super::texts::*;
use super::*;
use crate::model::tree::Node;
use crate::source::Origin;
use crate::version::Version;

fn node(json: serde_json::Value) -> Node {
    Node::from_json(&json, &Origin::Default)
}

fn config(version: &str, json: serde_json::Value) -> Vec<Problem> {
    let mut out = Vec::new();
    validate_config(
        version.parse().unwrap(),
        Some(&node(json)),
        None,
        Switches::default(),
        &mut out,
    );
    out
}

fn secrets(version: &str, json: serde_json::Value) -> Vec<Problem> {
    let mut out = Vec::new();
    validate_secrets(
        version.parse().unwrap(),
        Some(&node(json)),
        None,
        None,
        &mut out,
    );
    out
}

fn kibana_texts(p: &[Problem]) -> Vec<String> {
    p.iter().filter_map(|p| p.kibana.clone()).collect()
}

/// Expected texts from the webhook unit tests (kibana-api.md §5.5).
#[test]
fn schema_messages_per_version() {
    let p = config(
        "8.19",
        serde_json::json!({"url": "https://a", "method": "https"}),
    );
    assert_eq!(
        kibana_texts(&p),
        [
            "error validating action type config: [method]: types that failed validation:\n- [method.0]: expected value to equal [post]\n- [method.1]: expected value to equal [put]"
        ]
    );
    let p = config(
        "9.3",
        serde_json::json!({"url": "https://a", "method": "https"}),
    );
    assert_eq!(
        kibana_texts(&p),
        [
            "error validating connector type config: Field \"method\": Invalid enum value. Expected 'post' | 'put' | 'patch' | 'get' | 'delete', received 'https'"
        ]
    );
    let p = config(
        "8.19",
        serde_json::json!({"url": "https://a", "headers": "x"}),
    );
    assert_eq!(
        kibana_texts(&p),
        [
            "error validating action type config: [headers]: types that failed validation:\n- [headers.0]: could not parse record value from json input\n- [headers.1]: expected value to equal [null]"
        ]
    );
    let p = config(
        "9.3",
        serde_json::json!({"url": "https://a", "headers": "x"}),
    );
    assert_eq!(
        kibana_texts(&p),
        [
            "error validating connector type config: Field \"headers\": Expected object, received string"
        ]
    );
    let p = config("8.19", serde_json::json!({}));
    assert_eq!(
        kibana_texts(&p),
        [
            "error validating action type config: [url]: expected value of type [string] but got [undefined]"
        ]
    );
    let p = config("8.19", serde_json::json!({"url": "https://a", "foo": 1}));
    assert_eq!(
        kibana_texts(&p),
        ["error validating action type config: [foo]: definition for this key is missing"]
    );
}

#[test]
fn methods_follow_the_version() {
    assert!(
        config(
            "9.3",
            serde_json::json!({"url": "https://a", "method": "delete"})
        )
        .is_empty()
    );
    let p = config(
        "8.19",
        serde_json::json!({"url": "https://a", "method": "patch"}),
    );
    assert_eq!(p.len(), 1);
    assert!(!p[0].unverified);
    let p = config(
        "9.1",
        serde_json::json!({"url": "https://a", "method": "patch"}),
    );
    assert!(p[0].unverified, "9.0–9.2 extra methods are not verified");
    let p = config(
        "9.3",
        serde_json::json!({"url": "https://a", "method": "POST"}),
    );
    assert_eq!(p[0].help, "methods are lower-case: write `post`");
}

#[test]
fn cross_field_checks() {
    let p = config(
        "9.3",
        serde_json::json!({"url": "https://a", "hasAuth": false, "authType": BASIC}),
    );
    assert_eq!(
        kibana_texts(&p),
        [
            "error validating connector type config: error validation webhook action config: authType must be null or undefined if hasAuth is false"
        ]
    );
    let p = config(
        "9.3",
        serde_json::json!({"url": "https://a", "authType": OAUTH2, "clientId": "c"}),
    );
    assert_eq!(
        kibana_texts(&p),
        [
            "error validating connector type config: error validation webhook action config: missing Access Token URL (accessTokenUrl) fields"
        ]
    );
    let p = config(
        "8.19",
        serde_json::json!({"url": "example.com/do-something"}),
    );
    assert_eq!(
        kibana_texts(&p),
        [
            "error validating action type config: error configuring webhook action: unable to parse url: TypeError [ERR_INVALID_URL]: Invalid URL"
        ]
    );
    // authType did not exist before 8.10.
    let p = config(
        "8.9",
        serde_json::json!({"url": "https://a", "authType": BASIC}),
    );
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].kind, ProblemKind::Config);
}

#[test]
fn ca_must_be_base64_of_pem() {
    let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    let b64 = base64::engine::general_purpose::STANDARD.encode(pem);
    assert!(config("9.3", serde_json::json!({"url": "https://a", "ca": b64})).is_empty());
    let p = config("9.3", serde_json::json!({"url": "https://a", "ca": pem}));
    assert_eq!(p[0].kind, ProblemKind::Ca);
    let p = config(
        "9.3",
        serde_json::json!({"url": "https://a", "ca": "aGVsbG8="}),
    );
    assert_eq!(p[0].kind, ProblemKind::Ca);
}

#[test]
fn secrets_combinations() {
    assert!(secrets("8.19", serde_json::json!({"user": "u", "password": "p"})).is_empty());
    assert!(
        secrets(
            "8.19",
            serde_json::json!({"crt": "c", "key": "k", "password": "p"})
        )
        .is_empty()
    );
    assert!(secrets("8.19", serde_json::json!({"pfx": "x"})).is_empty());
    let p = secrets("8.19", serde_json::json!({"user": "u"}));
    assert_eq!(
        kibana_texts(&p),
        [
            "error validating action type secrets: must specify one of the following schemas: user and password; crt and key (with optional password); or pfx (with optional password)"
        ]
    );
    let p = secrets(
        "9.3",
        serde_json::json!({"user": "u", "pfx": "x", "password": "p"}),
    );
    assert_eq!(
        kibana_texts(&p),
        [
            "error validating connector type secrets: must specify one of the following schemas: user and password; crt and key (with optional password); pfx (with optional password); or clientSecret (for OAuth2)"
        ]
    );
    let p = secrets("9.1", serde_json::json!({"user": "u"}));
    assert!(
        kibana_texts(&p)[0].ends_with("; pfx (with optional password); or OAuth2 client secret")
    );
    // No secret value is ever quoted.
    let p = secrets(
        "9.3",
        serde_json::json!({"user": "alice-secret-user", "pfx": "pfx-secret-value"}),
    );
    for problem in &p {
        assert!(!format!("{problem:?}").contains("secret-value"));
        assert!(!format!("{problem:?}").contains("alice-secret-user"));
    }
}

#[test]
fn missing_credentials_are_noticed() {
    let mut out = Vec::new();
    validate_secrets(
        Version::DEFAULT,
        None,
        Some(&node(serde_json::json!({"url": "https://a"}))),
        None,
        &mut out,
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].kind, ProblemKind::NoCredentials);
    let mut out = Vec::new();
    validate_secrets(
        Version::DEFAULT,
        None,
        Some(&node(
            serde_json::json!({"url": "https://a", "hasAuth": false}),
        )),
        None,
        &mut out,
    );
    assert!(out.is_empty());
}

#[test]
fn empty_strings_from_8_3_3() {
    let n = node(serde_json::json!({"headers": {"X-A": " "}}));
    let mut out = Vec::new();
    validate_empty_strings("8.3.2".parse().unwrap(), "config", &n, &mut out);
    assert!(out.is_empty());
    validate_empty_strings("8.19".parse().unwrap(), "config", &n, &mut out);
    assert_eq!(
        kibana_texts(&out),
        ["[request body.config.headers]: value '' is not valid"]
    );
}

#[test]
fn connector_ids() {
    assert!(id_problem("9.3".parse().unwrap(), "My_Connector").is_none());
    assert!(id_problem("8.7".parse().unwrap(), "abc").is_some());
    let (_, kibana, _) = id_problem("9.4".parse().unwrap(), "My_Connector").unwrap();
    assert_eq!(
        kibana.unwrap(),
        "[request params.id]: Connector ID must contain only lowercase letters, numbers, and hyphens."
    );
    assert!(id_problem("9.4".parse().unwrap(), "ops-webhook-1").is_none());
    assert!(id_problem("9.4".parse().unwrap(), "-ops").is_some());
    assert!(id_problem("9.4".parse().unwrap(), &"a".repeat(37)).is_some());
    assert!(
        id_problem(
            "9.4".parse().unwrap(),
            "5a0b1f44-8c3e-4d6f-9a7b-2c1d0e9f8a7b"
        )
        .is_none()
    );
    assert!(
        id_problem(
            "9.4".parse().unwrap(),
            "5A0B1F44-8C3E-4D6F-9A7B-2C1D0E9F8A7B"
        )
        .is_some()
    );
}
