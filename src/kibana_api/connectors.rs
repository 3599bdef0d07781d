//! Creating, updating and testing the connector (kibana-api.md §2–§4), gated on a clean check.
//!
//! `POST …/connector/<id>` creates; a 409 means the id exists, so the existing connector is read
//! back and its non-secret config compared with the spec (Kibana never returns secrets): the same
//! spec again is "unchanged", a different one is an error unless `--update`, which `PUT`s the full
//! config and secrets (Kibana replaces both). Without `--create` the request that would be sent
//! is shown, secrets masked. `--test` runs `_execute` and reads the answer.

use reqwest::Method;
use serde::Serialize;

use super::client::{Answer, Client, Unreachable};
use crate::kibana::webhook::sensitive_header;
use crate::model::connector::ConnectorSpec;

/// Shown instead of a secret value.
pub(crate) const MASK: &str = "[secret]";

/// What to do.
#[derive(Clone, Debug, Default)]
pub(crate) struct Options {
    pub(crate) create: bool,
    pub(crate) update: bool,
    pub(crate) test: bool,
    /// `params.body` for the test (a string, sent as the raw HTTP body).
    pub(crate) test_body: String,
}

/// The default test body of the seed procedure.
pub(crate) const DEFAULT_TEST_BODY: &str = "{\"short_description\":\"Elastic alert test\",\"description\":\"Webhook connector test from Kibana\"}";

/// A request, as sent and as shown (secrets masked).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Planned {
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) headers: Vec<(String, String)>,
    /// The body with secrets masked.
    pub(crate) body: serde_json::Value,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub(crate) enum DeployOutcome {
    /// No `--create`: the request is only shown.
    Planned,
    /// The checks found errors, so nothing was sent.
    Gated {
        errors: usize,
    },
    Created {
        id: String,
        is_missing_secrets: bool,
    },
    /// The id exists with the same name and config (secrets cannot be compared).
    Unchanged {
        id: String,
    },
    /// The id exists with another name or config; `--update` would replace it.
    Differs {
        id: String,
        diff: Vec<String>,
    },
    Updated {
        id: String,
    },
    /// Kibana refused: 400 (validation), 403 (privileges, type disabled, licence), 404 …
    Rejected {
        status: u16,
        error: String,
        message: String,
    },
    /// No usable answer: unreachable, not JSON, a 5xx.
    Failed {
        message: String,
    },
}

/// The `_execute` answer.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Tested {
    /// `ok` or `error` (Kibana's), or `failed` when the call itself failed.
    pub(crate) status: String,
    pub(crate) message: Option<String>,
    pub(crate) service_message: Option<String>,
    pub(crate) retry: Option<serde_json::Value>,
    pub(crate) http_status: Option<u16>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Deploy {
    pub(crate) id: String,
    pub(crate) request: Planned,
    pub(crate) outcome: DeployOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) test: Option<Tested>,
}

/// The create body (secrets resolved) and its shown form.
fn bodies(spec: &ConnectorSpec) -> (serde_json::Value, serde_json::Value) {
    let body = spec.body.to_json();
    let mut shown = body.clone();
    if let Some(secrets) = shown.get_mut("secrets") {
        mask_all(secrets);
    }
    if let Some(headers) = shown
        .pointer_mut("/config/headers")
        .and_then(|h| h.as_object_mut())
    {
        for (name, value) in headers.iter_mut() {
            if sensitive_header(name) {
                *value = MASK.into();
            }
        }
    }
    (body, shown)
}

fn mask_all(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => m.values_mut().for_each(mask_all),
        serde_json::Value::Array(a) => a.iter_mut().for_each(mask_all),
        serde_json::Value::Null => {}
        other => *other = MASK.into(),
    }
}

fn planned(client: &Client, method: &str, path: &str, shown: serde_json::Value) -> Planned {
    let mut headers = vec![
        ("kbn-xsrf".to_string(), "true".to_string()),
        ("Content-Type".to_string(), "application/json".to_string()),
    ];
    if let Some(h) = client.conn.auth.header() {
        let scheme = h.split(' ').next().unwrap_or_default();
        headers.push(("Authorization".to_string(), format!("{scheme} {MASK}")));
    }
    Planned {
        method: method.to_string(),
        url: client.url(path, true),
        headers,
        body: shown,
    }
}

/// Creates (or updates, or leaves alone) the connector, then tests it, as `opts` asks; with
/// `errors > 0` from the checks nothing is sent.
pub(crate) async fn run(
    client: &Client,
    spec: &ConnectorSpec,
    id: &str,
    opts: &Options,
    errors: usize,
) -> Deploy {
    let path = format!("/api/actions/connector/{}", segment(id));
    let (body, shown) = bodies(spec);
    let request = planned(client, "POST", &path, shown);
    let outcome = if !opts.create {
        DeployOutcome::Planned
    } else if errors > 0 {
        DeployOutcome::Gated { errors }
    } else {
        create(client, &path, id, &body, opts.update).await
    };
    let created = matches!(
        outcome,
        DeployOutcome::Created { .. }
            | DeployOutcome::Unchanged { .. }
            | DeployOutcome::Updated { .. }
    );
    let test = if opts.test && (created || (!opts.create && errors == 0)) {
        Some(test(client, id, &opts.test_body).await)
    } else {
        None
    };
    Deploy {
        id: id.to_string(),
        request,
        outcome,
        test,
    }
}

async fn create(
    client: &Client,
    path: &str,
    id: &str,
    body: &serde_json::Value,
    update: bool,
) -> DeployOutcome {
    let answer = match client.send(Method::POST, path, body).await {
        Ok(a) => a,
        Err(u) => return unreachable(&u),
    };
    match answer.status {
        200 => DeployOutcome::Created {
            id: id.to_string(),
            is_missing_secrets: answer
                .json
                .as_ref()
                .and_then(|j| j.get("is_missing_secrets"))
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
        },
        409 => {
            let existing = match client.get(path, true).await {
                Ok(a) if a.ok() && a.json.is_some() => a,
                Ok(a) => return failed_or_rejected(&a),
                Err(u) => return unreachable(&u),
            };
            let diff = differences(existing.json.as_ref().unwrap(), body);
            // Kibana never returns stored secrets, so they cannot be compared: with --update a
            // spec that has secrets is sent again (a rotated password must reach Kibana).
            let has_secrets = body
                .get("secrets")
                .and_then(|s| s.as_object())
                .is_some_and(|s| !s.is_empty());
            if diff.is_empty() && !(update && has_secrets) {
                return DeployOutcome::Unchanged { id: id.to_string() };
            }
            if !update {
                return DeployOutcome::Differs {
                    id: id.to_string(),
                    diff,
                };
            }
            // PUT takes name, config and secrets; the type cannot change.
            let mut put = body.clone();
            if let Some(m) = put.as_object_mut() {
                m.remove("connector_type_id");
            }
            match client.send(Method::PUT, path, &put).await {
                Ok(a) if a.status == 200 => DeployOutcome::Updated { id: id.to_string() },
                Ok(a) => failed_or_rejected(&a),
                Err(u) => unreachable(&u),
            }
        }
        _ => failed_or_rejected(&answer),
    }
}

fn unreachable(u: &Unreachable) -> DeployOutcome {
    DeployOutcome::Failed {
        message: format!("{}: {}", u.url, u.message),
    }
}

fn failed_or_rejected(a: &Answer) -> DeployOutcome {
    if a.not_json() {
        return DeployOutcome::Failed {
            message: format!(
                "{} {} answered {} with a non-JSON body ({}): not Kibana's API — a proxy or a wrong KIBANA_URL?",
                a.method,
                a.url,
                a.status,
                if a.content_type.is_empty() {
                    "no content type"
                } else {
                    &a.content_type
                }
            ),
        };
    }
    if a.status >= 500 {
        return DeployOutcome::Failed {
            message: format!("{} {} answered {}", a.method, a.url, a.describe()),
        };
    }
    DeployOutcome::Rejected {
        status: a.status,
        error: a
            .json
            .as_ref()
            .and_then(|j| j.get("error"))
            .and_then(|e| e.as_str())
            .unwrap_or_default()
            .to_string(),
        message: a.message().unwrap_or_default(),
    }
}

/// Name and config that differ between the stored connector and the spec, with Kibana's webhook
/// defaults applied to the spec (`method: post`, `headers: null`, `hasAuth: true`), values of
/// credential headers masked.
pub(crate) fn differences(existing: &serde_json::Value, spec: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let name = |v: &serde_json::Value| v.get("name").cloned().unwrap_or_default();
    if name(existing) != name(spec) {
        out.push(format!("name: {} → {}", name(existing), name(spec)));
    }
    let mut wanted = spec
        .get("config")
        .and_then(|c| c.as_object())
        .cloned()
        .unwrap_or_default();
    for (k, v) in [
        ("method", serde_json::json!("post")),
        ("headers", serde_json::Value::Null),
        ("hasAuth", serde_json::json!(true)),
    ] {
        wanted.entry(k.to_string()).or_insert(v);
    }
    let have = existing
        .get("config")
        .and_then(|c| c.as_object())
        .cloned()
        .unwrap_or_default();
    let mut keys: Vec<&String> = wanted.keys().chain(have.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let a = have.get(k).cloned().unwrap_or(serde_json::Value::Null);
        let b = wanted.get(k).cloned().unwrap_or(serde_json::Value::Null);
        if a != b {
            let (a, b) = if k == "headers" {
                (masked_headers(&a), masked_headers(&b))
            } else {
                (a, b)
            };
            out.push(format!("config.{k}: {a} → {b}"));
        }
    }
    out
}

fn masked_headers(v: &serde_json::Value) -> serde_json::Value {
    let mut v = v.clone();
    if let Some(m) = v.as_object_mut() {
        for (name, value) in m.iter_mut() {
            if sensitive_header(name) {
                *value = MASK.into();
            }
        }
    }
    v
}

async fn test(client: &Client, id: &str, body: &str) -> Tested {
    let path = format!("/api/actions/connector/{}/_execute", segment(id));
    let params = serde_json::json!({ "params": { "body": body } });
    match client.send(Method::POST, &path, &params).await {
        Ok(a) if a.status == 200 && a.json.is_some() => {
            let j = a.json.as_ref().unwrap();
            let s = |k: &str| j.get(k).and_then(|v| v.as_str()).map(str::to_string);
            Tested {
                status: s("status").unwrap_or_else(|| "error".into()),
                message: s("message"),
                service_message: s("service_message"),
                retry: j.get("retry").cloned(),
                http_status: Some(200),
            }
        }
        Ok(a) => Tested {
            status: "failed".into(),
            message: Some(if a.not_json() {
                format!("{} answered {} with a non-JSON body", a.url, a.status)
            } else {
                a.describe()
            }),
            service_message: None,
            retry: None,
            http_status: Some(a.status),
        },
        Err(u) => Tested {
            status: "failed".into(),
            message: Some(u.message),
            service_message: None,
            retry: None,
            http_status: None,
        },
    }
}

/// `id` as one URL path segment (the CLI already refuses ids that are not path-safe; this keeps
/// the library safe for other callers).
pub(crate) fn segment(id: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    match id {
        "." => "%2E".into(),
        ".." => "%2E%2E".into(),
        _ => percent_encoding::utf8_percent_encode(id, SEGMENT).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_applied_before_comparing() {
        let existing = serde_json::json!({"name": "n", "config": {"url": "https://a", "method": "post", "headers": null, "hasAuth": true}});
        let spec = serde_json::json!({"name": "n", "config": {"url": "https://a"}, "secrets": {"user": "u"}});
        assert!(differences(&existing, &spec).is_empty());
        let changed = serde_json::json!({"name": "n", "config": {"url": "https://b", "headers": {"Authorization": "Bearer t0ken"}}});
        let diff = differences(&existing, &changed);
        assert_eq!(diff.len(), 2, "{diff:?}");
        assert!(diff.iter().all(|d| !d.contains("t0ken")), "{diff:?}");
    }

    #[test]
    fn secrets_and_credential_headers_are_masked_in_the_plan() {
        let mut shown = serde_json::json!({"secrets": {"user": "u", "password": "p", "secretHeaders": {"X": "s"}}});
        mask_all(shown.get_mut("secrets").unwrap());
        assert!(!shown.to_string().contains("\"p\""));
        assert!(!shown.to_string().contains("\"s\""));
    }
}
