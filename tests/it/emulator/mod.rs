//! A Kibana emulator on loopback that behaves as `../shared/spec/kibana-api.md` describes — not
//! as the client expects: basePath and `/s/<space>` paths, `kbn-xsrf`, ApiKey auth with Kibana's
//! 401 body and the redacted anonymous status, the create check order (body validation, type
//! registered, config and secrets validation with allowedHosts, enabledActionTypes, licence,
//! 409), the generic 500 without an encryption key, `connector_types`, `_health`,
//! `licensing/info`, `status`, and `_execute`, which really calls the webhook and answers with
//! the webhook executor's messages and records the outcome as the action executor does in the
//! event log, read back through the version's API (docs/research/execution-log-api.md): the
//! global connector execution log (8.7+; `connector_id` from 8.8; `x-elastic-internal-origin`
//! required from 9.0), the event log's `_find` under /internal (8.0-8.6) or /api (7.x). Every
//! request is logged for the tests to inspect.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};

/// Scenario knobs.
#[derive(Clone, Debug)]
pub struct Knobs {
    pub version: String,
    /// `server.basePath`, e.g. `/kibana` ("" for none).
    pub base_path: String,
    /// The accepted `ApiKey` credential.
    pub api_key: String,
    pub license_type: String,
    pub license_status: String,
    pub enabled_action_types: Vec<String>,
    pub allowed_hosts: Vec<String>,
    pub has_key: bool,
    pub sufficiently_secure: bool,
    pub spaces: Vec<String>,
    /// `/api/status` answers an HTML page (a proxy's), as when the URL is wrong.
    pub html: bool,
    pub status_level: String,
    /// 403 for `connector_types` and `_health` (a role without privileges).
    pub forbid_reads: bool,
    /// The generic 500 for `connector_types`, `licensing` and `_health`.
    pub reads_fail: bool,
    /// 403 for create: `Unauthorized to create a ".webhook" action`.
    pub forbid_create: bool,
    /// No `.webhook` in `connector_types`.
    pub no_webhook: bool,
    /// Report `is_missing_secrets: true` on create.
    pub missing_secrets: bool,
    /// Create answers the generic 500 (an internal failure only the log explains).
    pub create_fails: bool,
    /// CA (PEM) the `_execute` call trusts for https webhooks (besides Mozilla's roots).
    pub webhook_ca: Option<String>,
    /// Names Kibana's host resolves (`/etc/hosts` of the Kibana container).
    pub hosts: Vec<(String, std::net::SocketAddr)>,
}

impl Default for Knobs {
    fn default() -> Knobs {
        Knobs {
            version: "9.3.2".into(),
            base_path: String::new(),
            api_key: "ZW11bGF0b3Itc2VjcmV0LWtleS0xMjM0".into(),
            license_type: "gold".into(),
            license_status: "active".into(),
            enabled_action_types: vec!["*".into()],
            allowed_hosts: vec!["*".into()],
            has_key: true,
            sufficiently_secure: true,
            spaces: vec!["default".into()],
            html: false,
            status_level: "available".into(),
            forbid_reads: false,
            reads_fail: false,
            forbid_create: false,
            no_webhook: false,
            missing_secrets: false,
            create_fails: false,
            webhook_ca: None,
            hosts: Vec::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Stored {
    pub type_id: String,
    pub name: String,
    pub config: serde_json::Value,
    pub secrets: serde_json::Value,
}

/// An event-log `execute` document, as the action executor writes it.
#[derive(Clone, Debug)]
pub struct Event {
    pub timestamp: String,
    pub space: String,
    pub id: String,
    pub type_id: String,
    pub name: String,
    pub failure: bool,
    /// `message`: `action executed: …` / `action execution failure: .webhook:<id>: <name>`.
    pub message: String,
    /// `error.message`: `<result.message>: <serviceMessage>`.
    pub error: Option<String>,
}

#[derive(Default)]
struct State {
    knobs: Knobs,
    connectors: BTreeMap<(String, String), Stored>,
    events: Vec<Event>,
    log: Vec<String>,
}

pub struct Emulator {
    pub port: u16,
    state: Arc<Mutex<State>>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Emulator {
    pub fn start(knobs: Knobs) -> Emulator {
        let state = Arc::new(Mutex::new(State {
            knobs,
            ..State::default()
        }));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let shared = state.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    tokio::select! {
                        _ = &mut rx => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            let state = shared.clone();
                            tokio::spawn(async move {
                                let io = hyper_util::rt::TokioIo::new(stream);
                                let service = hyper::service::service_fn(move |req| {
                                    let state = state.clone();
                                    async move { Ok::<_, Infallible>(handle(state, req).await) }
                                });
                                let _ = hyper::server::conn::http1::Builder::new()
                                    .serve_connection(io, service)
                                    .await;
                            });
                        }
                    }
                }
            });
        });
        Emulator {
            port,
            state,
            _stop: tx,
        }
    }

    /// The URL users would give as KIBANA_URL (basePath included).
    pub fn url(&self) -> String {
        let base = self.state.lock().unwrap().knobs.base_path.clone();
        format!("http://127.0.0.1:{}{base}", self.port)
    }

    pub fn api_key(&self) -> String {
        self.state.lock().unwrap().knobs.api_key.clone()
    }

    /// `METHOD path` of every request so far.
    pub fn log(&self) -> Vec<String> {
        self.state.lock().unwrap().log.clone()
    }

    pub fn connector(&self, space: &str, id: &str) -> Option<Stored> {
        self.state
            .lock()
            .unwrap()
            .connectors
            .get(&(space.to_string(), id.to_string()))
            .cloned()
    }

    /// Stores a connector as if it had been created before (of any type).
    pub fn insert(&self, space: &str, id: &str, stored: Stored) {
        self.state
            .lock()
            .unwrap()
            .connectors
            .insert((space.to_string(), id.to_string()), stored);
    }

    /// Adds an execution to the event log (as if a rule had run the connector at `timestamp`).
    pub fn record(&self, event: Event) {
        self.state.lock().unwrap().events.push(event);
    }

    pub fn set(&self, f: impl FnOnce(&mut Knobs)) {
        f(&mut self.state.lock().unwrap().knobs);
    }
}

type Answer = Response<Full<Bytes>>;

fn json(status: u16, body: serde_json::Value) -> Answer {
    Response::builder()
        .status(status)
        .header("content-type", "application/json; charset=utf-8")
        .header("elastic-api-version", "2023-10-31")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap()
}

/// Kibana's Boom body.
fn boom(status: u16, message: &str) -> Answer {
    let error = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    json(
        status,
        serde_json::json!({"statusCode": status, "error": error, "message": message}),
    )
}

fn internal_error() -> Answer {
    boom(
        500,
        "An internal server error occurred. Check Kibana server logs for details.",
    )
}

async fn handle(state: Arc<Mutex<State>>, req: Request<Incoming>) -> Answer {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or_default().to_string();
    let headers = req.headers().clone();
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let knobs = {
        let mut s = state.lock().unwrap();
        s.log.push(format!("{method} {path}"));
        s.knobs.clone()
    };
    let header = |k: &str| {
        headers
            .get(k)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };

    // server.basePath: everything lives under it.
    let Some(rest) = path.strip_prefix(knobs.base_path.as_str()) else {
        return boom(404, "Not Found");
    };
    if knobs.html {
        return Response::builder()
            .status(200)
            .header("content-type", "text/html")
            .body(Full::new(Bytes::from("<html><body>Sign in</body></html>")))
            .unwrap();
    }
    // /s/<space>/api/…
    let (space, rest) = match rest.strip_prefix("/s/") {
        Some(r) => {
            let (space, tail) = r.split_once('/').unwrap_or((r, ""));
            (space.to_string(), format!("/{tail}"))
        }
        None => ("default".to_string(), rest.to_string()),
    };
    let authenticated =
        header("authorization").as_deref() == Some(&format!("ApiKey {}", knobs.api_key));
    if rest == "/api/status" && method == hyper::Method::GET && header("authorization").is_none() {
        return json(
            200,
            serde_json::json!({"status": {"overall": {"level": "available"}}}),
        );
    }
    if !authenticated {
        return boom(401, "Unauthorized");
    }
    if method != hyper::Method::GET
        && header("kbn-xsrf").is_none()
        && header("kbn-version").is_none()
    {
        return boom(400, "Request must contain a kbn-xsrf header.");
    }
    let parsed: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
    match (method.as_str(), rest.as_str()) {
        ("GET", "/api/status") => {
            let status = if knobs.status_level == "unavailable" {
                503
            } else {
                200
            };
            json(
                status,
                serde_json::json!({
                    "name": "kibana-emulator",
                    "uuid": "5b2de169-2785-441b-ae8c-186a1936b17d",
                    "version": {"number": knobs.version, "build_flavor": "traditional", "build_snapshot": false},
                    "status": {"overall": {"level": knobs.status_level, "summary": format!("Kibana is {}", knobs.status_level)}}
                }),
            )
        }
        ("GET", p) if p.starts_with("/api/spaces/space/") => {
            let id = p.trim_start_matches("/api/spaces/space/");
            if knobs.spaces.iter().any(|s| s == id) {
                json(200, serde_json::json!({"id": id, "name": id}))
            } else {
                boom(404, "Not Found")
            }
        }
        (
            "GET",
            "/api/licensing/info" | "/api/alerting/_health" | "/api/actions/connector_types",
        ) if knobs.reads_fail => boom(500, "An internal server error occurred."),
        ("GET", "/api/licensing/info") => json(
            200,
            serde_json::json!({
                "license": {"uid": "u", "type": knobs.license_type, "mode": knobs.license_type,
                            "status": knobs.license_status, "expiryDateInMillis": 4102444800000i64},
                "features": {}, "signature": "sig"
            }),
        ),
        ("GET", "/api/alerting/_health") => {
            if knobs.forbid_reads {
                return boom(403, "Unauthorized to access alerting framework health");
            }
            json(
                200,
                serde_json::json!({
                    "is_sufficiently_secure": knobs.sufficiently_secure,
                    "has_permanent_encryption_key": knobs.has_key,
                    "alerting_framework_health": {
                        "decryption_health": {"status": "ok", "timestamp": "2026-11-26T00:00:00.000Z"},
                        "execution_health": {"status": "ok", "timestamp": "2026-11-26T00:00:00.000Z"},
                        "read_health": {"status": "ok", "timestamp": "2026-11-26T00:00:00.000Z"}
                    }
                }),
            )
        }
        (_, p) if p.starts_with("/api/actions/") && !knobs.has_key => internal_error(),
        ("GET", "/api/actions/connector_types") => {
            if knobs.forbid_reads {
                return boom(403, "Forbidden");
            }
            let in_config = type_enabled(&knobs, ".webhook");
            let in_license = license_ok(&knobs);
            let mut types = vec![serde_json::json!({
                "id": ".email", "name": "Email", "enabled": true, "enabled_in_config": true,
                "enabled_in_license": true, "minimum_license_required": "gold",
                "supported_feature_ids": ["alerting"], "is_system_action_type": false
            })];
            if !knobs.no_webhook {
                types.push(serde_json::json!({
                    "id": ".webhook", "name": "Webhook", "enabled": in_config && in_license,
                    "enabled_in_config": in_config, "enabled_in_license": in_license,
                    "minimum_license_required": "gold",
                    "supported_feature_ids": ["alerting", "uptime", "siem"],
                    "is_system_action_type": false
                }));
            }
            json(200, serde_json::Value::Array(types))
        }
        ("POST", p) if p.starts_with("/api/actions/connector/") && p.ends_with("/_execute") => {
            let id = p
                .trim_start_matches("/api/actions/connector/")
                .trim_end_matches("/_execute")
                .to_string();
            let stored = state
                .lock()
                .unwrap()
                .connectors
                .get(&(space.clone(), id.clone()))
                .cloned();
            let Some(stored) = stored else {
                return boom(404, &format!("Saved object [action/{id}] not found"));
            };
            let Some(params) = parsed
                .as_ref()
                .and_then(|b| b.get("params"))
                .filter(|p| p.is_object())
            else {
                return boom(
                    400,
                    "[request body.params]: expected value of type [object] but got [undefined]",
                );
            };
            let result = execute(&knobs, &id, &stored, params).await;
            let failure = result["status"] == "error";
            let error = failure.then(|| match result["service_message"].as_str() {
                Some(sm) => format!("{}: {sm}", result["message"].as_str().unwrap_or_default()),
                None => result["message"].as_str().unwrap_or_default().to_string(),
            });
            let what = if failure {
                "action execution failure"
            } else {
                "action executed"
            };
            state.lock().unwrap().events.push(Event {
                timestamp: time::OffsetDateTime::now_utc()
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap(),
                space: space.clone(),
                id: id.clone(),
                type_id: ".webhook".into(),
                name: stored.name.clone(),
                failure,
                message: format!("{what}: .webhook:{id}: {}", stored.name),
                error,
            });
            json(200, result)
        }
        ("POST", "/internal/actions/_global_connector_execution_logs")
            if version_at_least(&knobs.version, 8, 7) =>
        {
            if version_at_least(&knobs.version, 9, 0)
                && header("x-elastic-internal-origin").is_none()
            {
                return boom(
                    400,
                    "uri [/internal/actions/_global_connector_execution_logs] with method [post] exists but is not available with the current configuration",
                );
            }
            let events = state.lock().unwrap().events.clone();
            global_execution_log(&knobs, &space, parsed.as_ref(), &events)
        }
        ("GET", p)
            if p.starts_with("/internal/event_log/action/")
                && p.ends_with("/_find")
                && version_at_least(&knobs.version, 8, 0)
                && !version_at_least(&knobs.version, 8, 7) =>
        {
            let events = state.lock().unwrap().events.clone();
            event_log_find(
                &state,
                &space,
                p,
                "/internal/event_log/action/",
                &query,
                &events,
            )
        }
        ("GET", p)
            if p.starts_with("/api/event_log/action/")
                && p.ends_with("/_find")
                && !version_at_least(&knobs.version, 8, 0) =>
        {
            let events = state.lock().unwrap().events.clone();
            event_log_find(&state, &space, p, "/api/event_log/action/", &query, &events)
        }
        ("POST", p) if p.starts_with("/api/actions/connector/") => {
            let id = p.trim_start_matches("/api/actions/connector/").to_string();
            let Some(body) = parsed else {
                return boom(
                    400,
                    "[request body]: expected a plain object value, but found [null] instead.",
                );
            };
            create(&state, &knobs, &space, &id, &body, false)
        }
        ("PUT", p) if p.starts_with("/api/actions/connector/") => {
            let id = p.trim_start_matches("/api/actions/connector/").to_string();
            let Some(body) = parsed else {
                return boom(
                    400,
                    "[request body]: expected a plain object value, but found [null] instead.",
                );
            };
            create(&state, &knobs, &space, &id, &body, true)
        }
        ("GET", p) if p.starts_with("/api/actions/connector/") => {
            let id = p.trim_start_matches("/api/actions/connector/").to_string();
            let stored = state
                .lock()
                .unwrap()
                .connectors
                .get(&(space, id.clone()))
                .cloned();
            match stored {
                Some(s) => json(200, connector_body(&id, &s, &knobs)),
                None => boom(404, &format!("Saved object [action/{id}] not found")),
            }
        }
        _ => boom(404, "Not Found"),
    }
}

fn version_at_least(version: &str, major: u32, minor: u32) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let v = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    v >= (major, minor)
}

fn parse_time(s: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

/// `POST /internal/actions/_global_connector_execution_logs` (get_global_execution_logs.ts):
/// the body schema (date_start required; per_page 1-100; sort by timestamp), the filter this
/// client sends, entries of the space, newest first, failures' message `<message> - <error>`.
fn global_execution_log(
    k: &Knobs,
    space: &str,
    body: Option<&serde_json::Value>,
    events: &[Event],
) -> Answer {
    let Some(body) = body.and_then(|b| b.as_object()) else {
        return boom(
            400,
            "[request body]: expected a plain object value, but found [null] instead.",
        );
    };
    for key in body.keys() {
        if ![
            "date_start",
            "date_end",
            "filter",
            "per_page",
            "page",
            "sort",
            "namespaces",
        ]
        .contains(&key.as_str())
        {
            return boom(
                400,
                &format!("[request body.{key}]: definition for this key is missing"),
            );
        }
    }
    let Some(start) = body.get("date_start").and_then(|d| d.as_str()) else {
        return boom(
            400,
            "[request body.date_start]: expected value of type [string] but got [undefined]",
        );
    };
    let Some(start) = parse_time(start) else {
        return boom(
            400,
            &format!("Invalid date for parameter dateStart: \"{start}\""),
        );
    };
    let per_page = body.get("per_page").and_then(|p| p.as_u64()).unwrap_or(10);
    if !(1..=100).contains(&per_page) {
        return boom(
            400,
            "[request body.per_page]: Value must be equal to or lower than [100].",
        );
    }
    let page = body.get("page").and_then(|p| p.as_u64()).unwrap_or(1);
    if !(1..=1000).contains(&page) {
        return boom(
            400,
            "[request body.page]: Value must be equal to or lower than [1000].",
        );
    }
    let failures_only = match body.get("filter").and_then(|f| f.as_str()) {
        None | Some("") => false,
        Some("event.outcome: failure") => true,
        Some(other) => panic!("the emulator does not evaluate the KQL filter {other:?}"),
    };
    let mut data: Vec<serde_json::Value> = events
        .iter()
        .filter(|e| e.space == space && parse_time(&e.timestamp).is_some_and(|t| t >= start))
        .filter(|e| !failures_only || e.failure)
        .map(|e| {
            let message = match &e.error {
                Some(err) => format!("{} - {err}", e.message),
                None => e.message.clone(),
            };
            let mut entry = serde_json::json!({
                "id": format!("exec-{}", e.timestamp), "timestamp": e.timestamp,
                "duration_ms": 12, "status": if e.failure { "failure" } else { "success" },
                "message": message, "version": k.version, "schedule_delay_ms": 0,
                "space_ids": [space], "connector_name": e.name, "timed_out": false
            });
            if version_at_least(&k.version, 8, 8) {
                entry["connector_id"] = e.id.clone().into();
                entry["source"] = "HTTP_REQUEST".into();
            }
            entry
        })
        .collect();
    // Newest first (RFC 3339 UTC timestamps sort as text).
    data.sort_by(|a, b| b["timestamp"].as_str().cmp(&a["timestamp"].as_str()));
    let total = data.len();
    let data: Vec<_> = data
        .into_iter()
        .skip(((page - 1) * per_page) as usize)
        .take(per_page as usize)
        .collect();
    json(200, serde_json::json!({"total": total, "data": data}))
}

/// The event log's `GET …/action/<id>/_find` (event_log find.ts): 404 when the connector
/// cannot be read, the query keys of that route (an unknown one is refused), oldest first.
fn event_log_find(
    state: &Arc<Mutex<State>>,
    space: &str,
    path: &str,
    prefix: &str,
    query: &str,
    events: &[Event],
) -> Answer {
    let id = path.trim_start_matches(prefix).trim_end_matches("/_find");
    let id = percent_encoding::percent_decode_str(id)
        .decode_utf8_lossy()
        .to_string();
    if !state
        .lock()
        .unwrap()
        .connectors
        .contains_key(&(space.to_string(), id.clone()))
    {
        return boom(404, "Not Found");
    }
    let (mut per_page, mut page, mut start, mut filter) = (10usize, 1usize, None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_encoding::percent_decode_str(value)
            .decode_utf8_lossy()
            .to_string();
        match key {
            "per_page" => per_page = value.parse().unwrap_or(10),
            "page" => page = value.parse().unwrap_or(1),
            "start" => match parse_time(&value) {
                Some(t) => start = Some(t),
                None => {
                    return boom(
                        400,
                        &format!("[request query.start]: Invalid date: {value}"),
                    );
                }
            },
            "filter" => filter = Some(value),
            "end" | "sort_field" | "sort_order" => {}
            other => {
                return boom(
                    400,
                    &format!("[request query.{other}]: definition for this key is missing"),
                );
            }
        }
    }
    let failures_only = match filter.as_deref() {
        None => false,
        Some("event.action:execute and event.outcome:failure") => true,
        Some(other) => panic!("the emulator does not evaluate the KQL filter {other:?}"),
    };
    let matching: Vec<serde_json::Value> = events
        .iter()
        .filter(|e| e.space == space && e.id == id)
        .filter(|e| start.is_none_or(|s| parse_time(&e.timestamp).is_some_and(|t| t >= s)))
        .filter(|e| !failures_only || e.failure)
        .map(|e| {
            let mut doc = serde_json::json!({
                "@timestamp": e.timestamp,
                "event": {"provider": "actions", "action": "execute",
                          "outcome": if e.failure { "failure" } else { "success" }},
                "message": e.message,
                "kibana": {"saved_objects": [{"rel": "primary", "type": "action", "id": e.id, "type_id": e.type_id}],
                           "space_ids": [space]}
            });
            if let Some(err) = &e.error {
                doc["error"] = serde_json::json!({"message": err});
            }
            doc
        })
        .collect();
    let total = matching.len();
    let data: Vec<_> = matching
        .into_iter()
        .skip((page.max(1) - 1) * per_page)
        .take(per_page)
        .collect();
    json(
        200,
        serde_json::json!({"page": page, "per_page": per_page, "total": total, "data": data}),
    )
}

fn type_enabled(k: &Knobs, t: &str) -> bool {
    k.enabled_action_types.iter().any(|e| e == "*" || e == t)
}

fn license_ok(k: &Knobs) -> bool {
    let rank = |t: &str| match t {
        "basic" => 10,
        "standard" => 20,
        "gold" => 30,
        "platinum" => 40,
        "enterprise" => 50,
        "trial" => 60,
        _ => 0,
    };
    rank(&k.license_type) >= 30 && k.license_status == "active"
}

fn connector_body(id: &str, s: &Stored, k: &Knobs) -> serde_json::Value {
    serde_json::json!({
        "id": id, "name": s.name, "connector_type_id": s.type_id, "config": s.config,
        "is_preconfigured": false, "is_deprecated": false,
        "is_missing_secrets": k.missing_secrets, "is_system_action": false,
        "is_connector_type_deprecated": false
    })
}

/// The create (or update) check order of kibana-api.md §2.3, with 9.3 texts.
fn create(
    state: &Arc<Mutex<State>>,
    k: &Knobs,
    space: &str,
    id: &str,
    body: &serde_json::Value,
    update: bool,
) -> Answer {
    let allowed_keys: &[&str] = if update {
        &["name", "config", "secrets"]
    } else {
        &["name", "connector_type_id", "config", "secrets"]
    };
    let Some(obj) = body.as_object() else {
        return boom(400, "[request body]: expected a plain object value");
    };
    for key in obj.keys() {
        if !allowed_keys.contains(&key.as_str()) {
            return boom(
                400,
                &format!("[request body.{key}]: definition for this key is missing"),
            );
        }
    }
    let required: &[&str] = if update {
        &["name"]
    } else {
        &["name", "connector_type_id"]
    };
    for key in required {
        if !obj.get(*key).is_some_and(|v| v.is_string()) {
            return boom(
                400,
                &format!(
                    "[request body.{key}]: expected value of type [string] but got [undefined]"
                ),
            );
        }
    }
    for part in ["config", "secrets"] {
        if let Some(m) = obj.get(part).and_then(|v| v.as_object()) {
            for (key, v) in m {
                if empty_string(v) {
                    return boom(
                        400,
                        &format!("[request body.{part}.{key}]: value '' is not valid"),
                    );
                }
            }
        }
    }
    let existing = state
        .lock()
        .unwrap()
        .connectors
        .get(&(space.to_string(), id.to_string()))
        .cloned();
    if update && existing.is_none() {
        return boom(404, &format!("Saved object [action/{id}] not found"));
    }
    if k.create_fails {
        return internal_error();
    }
    if !update {
        if k.forbid_create {
            return boom(403, "Unauthorized to create a \".webhook\" action");
        }
        let t = obj["connector_type_id"].as_str().unwrap_or_default();
        if t != ".webhook" && t != ".email" {
            return boom(400, &format!("Action type \"{t}\" is not registered."));
        }
    }
    let config = obj
        .get("config")
        .cloned()
        .unwrap_or_else(|| serde_json::json!({}));
    let secrets = obj
        .get("secrets")
        .cloned()
        .unwrap_or_else(|| serde_json::json!({}));
    let prefix = "error validating connector type config: error validation webhook action config:";
    let Some(url) = config.get("url").and_then(|u| u.as_str()) else {
        return boom(
            400,
            "error validating connector type config: Field \"url\": Required",
        );
    };
    let Ok(parsed) = url::Url::parse(url) else {
        return boom(
            400,
            &format!("{prefix} unable to parse url: TypeError: Invalid URL"),
        );
    };
    let host = parsed
        .host_str()
        .unwrap_or("")
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    if !k.allowed_hosts.iter().any(|h| h == "*" || *h == host) {
        return boom(
            400,
            &format!(
                "{prefix} target url \"{url}\" is not added to the Kibana config xpack.actions.allowedHosts"
            ),
        );
    }
    let set = |key: &str| secrets.get(key).is_some_and(|v| v.is_string());
    let (user, password, crt, key, pfx) = (
        set("user"),
        set("password"),
        set("crt"),
        set("key"),
        set("pfx"),
    );
    let none = !user && !password && !crt && !key && !pfx;
    let ok = none
        || (user && password && !crt && !key && !pfx)
        || (crt && key && !user && !pfx)
        || (pfx && !user && !crt && !key);
    if !ok {
        return boom(
            400,
            "error validating connector type secrets: must specify one of the following schemas: user and password; crt and key (with optional password); pfx (with optional password); or clientSecret (for OAuth2)",
        );
    }
    if !type_enabled(k, ".webhook") {
        return boom(
            403,
            "action type \".webhook\" is not enabled in the Kibana config xpack.actions.enabledActionTypes",
        );
    }
    if !license_ok(k) {
        let message = if k.license_status == "expired" {
            format!(
                "Action type .webhook is disabled because your {} license has expired.",
                k.license_type
            )
        } else {
            format!(
                "Action type .webhook is disabled because your {} license does not support it. Please upgrade your license.",
                k.license_type
            )
        };
        return boom(403, &message);
    }
    if !update && existing.is_some() {
        return boom(409, &format!("Saved object [action/{id}] conflict"));
    }
    let mut config = config;
    if let Some(m) = config.as_object_mut() {
        m.entry("method").or_insert("post".into());
        m.entry("headers").or_insert(serde_json::Value::Null);
        m.entry("hasAuth").or_insert(true.into());
    }
    let stored = Stored {
        type_id: ".webhook".into(),
        name: obj["name"].as_str().unwrap_or_default().to_string(),
        config,
        secrets,
    };
    state
        .lock()
        .unwrap()
        .connectors
        .insert((space.to_string(), id.to_string()), stored.clone());
    json(200, connector_body(id, &stored, k))
}

fn empty_string(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.trim().is_empty(),
        serde_json::Value::Object(m) => m.values().any(empty_string),
        serde_json::Value::Array(a) => a.iter().any(empty_string),
        _ => false,
    }
}

/// The webhook executor (kibana-api.md §4.3): sends `params.body` and maps the outcome.
async fn execute(k: &Knobs, id: &str, s: &Stored, params: &serde_json::Value) -> serde_json::Value {
    let url = s.config["url"].as_str().unwrap_or_default().to_string();
    let method = s.config["method"].as_str().unwrap_or("post").to_uppercase();
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(pem) = &k.webhook_ca {
        use rustls::pki_types::{CertificateDer, pem::PemObject};
        for c in CertificateDer::pem_slice_iter(pem.as_bytes()).flatten() {
            let _ = roots.add(c);
        }
    }
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let mut builder = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(std::time::Duration::from_secs(5));
    for (name, addr) in &k.hosts {
        builder = builder.resolve(name, *addr);
    }
    let client = builder.build().unwrap();
    let mut req = client.request(method.parse().unwrap_or(reqwest::Method::POST), &url);
    if let Some(h) = s.config.get("headers").and_then(|h| h.as_object()) {
        for (name, value) in h {
            if let Some(v) = value.as_str() {
                req = req.header(name, v);
            }
        }
    }
    let has_auth = s
        .config
        .get("hasAuth")
        .and_then(|v| v.as_bool())
        .unwrap_or(true);
    if has_auth
        && let (Some(u), Some(p)) = (
            s.secrets.get("user").and_then(|v| v.as_str()),
            s.secrets.get("password").and_then(|v| v.as_str()),
        )
    {
        req = req.header(
            "Authorization",
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))
            ),
        );
    }
    let data = params
        .get("body")
        .and_then(|b| b.as_str())
        .unwrap_or_default()
        .to_string();
    match req.body(data.clone()).send().await {
        Ok(r) if r.status().is_success() => {
            serde_json::json!({"status": "ok", "connector_id": id, "data": data})
        }
        Ok(r) => {
            let status = r.status();
            let text = format!(
                "[{}] {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            );
            if status.as_u16() >= 500 {
                serde_json::json!({"status": "error", "connector_id": id, "message": "error calling webhook, retry later", "service_message": text, "retry": true, "errorSource": "user"})
            } else {
                serde_json::json!({"status": "error", "connector_id": id, "message": "error calling webhook, invalid response", "service_message": text, "errorSource": "user"})
            }
        }
        Err(e) => {
            let addr = url::Url::parse(&url)
                .ok()
                .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?)))
                .unwrap_or_default();
            let service = if e.is_connect() && format!("{e:?}").contains("ConnectionRefused") {
                format!("[ECONNREFUSED] connect ECONNREFUSED {addr}")
            } else {
                e.to_string()
            };
            serde_json::json!({"status": "error", "connector_id": id, "message": "error calling webhook, request failed", "service_message": service, "errorSource": "user"})
        }
    }
}
