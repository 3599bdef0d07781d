//! HTTP to Kibana's API with reqwest (rustls, ring provider): the URL with any `server.basePath`
//! and `/s/<space>`, ApiKey or Basic auth, `kbn-xsrf` on writes, Kibana's CA (`--cacert`) or
//! `--insecure`. GETs are retried with backoff on connection errors and 502/503/504; POST and
//! PUT never are. Every answer keeps its status and body so a check can explain it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use reqwest::Method;
use rustls::pki_types::CertificateDer;
use serde::Serialize;

use crate::certs::accept_any::AcceptAnyServer;

/// How to reach Kibana. Credentials are secret: never printed.
#[derive(Clone, Debug)]
pub(crate) struct Connection {
    /// `KIBANA_URL`, basePath included, without a trailing slash.
    pub(crate) base: String,
    pub(crate) space: Option<String>,
    pub(crate) auth: Auth,
    /// PEM of Kibana's CA (`--cacert` / `KIBANA_CA_CERT`), added to Mozilla's roots.
    pub(crate) ca_pem: Option<Vec<u8>>,
    pub(crate) insecure: bool,
    pub(crate) timeout: Duration,
    /// `-v`: log each call (method, URL, status, time) to stderr, credentials masked.
    pub(crate) verbose: bool,
}

#[derive(Clone, Debug)]
pub(crate) enum Auth {
    ApiKey(String),
    Basic { user: String, password: String },
    None,
}

impl Auth {
    /// The `Authorization` header value.
    pub(crate) fn header(&self) -> Option<String> {
        match self {
            Auth::ApiKey(k) => Some(format!("ApiKey {k}")),
            Auth::Basic { user, password } => Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
            )),
            Auth::None => None,
        }
    }

    /// Every form the credentials could be printed in, for masking.
    pub(crate) fn secrets(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(h) = self.header() {
            out.push(
                h.split_once(' ')
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default(),
            );
            out.push(h);
        }
        match self {
            Auth::ApiKey(k) => out.push(k.clone()),
            Auth::Basic { password, .. } => out.push(password.clone()),
            Auth::None => {}
        }
        out
    }

    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Auth::ApiKey(_) => "an API key",
            Auth::Basic { .. } => "a user name and password",
            Auth::None => "no credentials",
        }
    }
}

/// What Kibana (or whatever answered) said.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Answer {
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) status: u16,
    #[serde(skip)]
    pub(crate) json: Option<serde_json::Value>,
    pub(crate) content_type: String,
    /// Where a redirect points.
    pub(crate) location: Option<String>,
    pub(crate) millis: u64,
}

impl Answer {
    pub(crate) fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Kibana's error body fields (`statusCode`, `error`, `message`).
    pub(crate) fn message(&self) -> Option<String> {
        self.json
            .as_ref()
            .and_then(|j| j.get("message"))
            .and_then(|m| m.as_str())
            .map(str::to_string)
    }

    /// `<status> <error>: <message>` as Kibana's body gives them.
    pub(crate) fn describe(&self) -> String {
        let error = self
            .json
            .as_ref()
            .and_then(|j| j.get("error"))
            .and_then(|m| m.as_str())
            .unwrap_or("");
        match self.message() {
            Some(m) => format!("{} {error}: {m}", self.status),
            None => format!("{} {error}", self.status).trim_end().to_string(),
        }
    }

    /// A body that is not JSON: a proxy's or load balancer's HTML page, usually.
    pub(crate) fn not_json(&self) -> bool {
        self.json.is_none()
    }
}

/// A call that got no HTTP answer.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Unreachable {
    pub(crate) url: String,
    /// `tls`, `connect`, `timeout` or `other`.
    pub(crate) kind: &'static str,
    pub(crate) message: String,
}

pub(crate) struct Client {
    http: reqwest::Client,
    pub(crate) conn: Connection,
}

impl Client {
    pub(crate) fn new(conn: Connection) -> Result<Client, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?;
        let tls = if conn.insecure {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnyServer::default()))
                .with_no_client_auth()
        } else {
            let mut roots = rustls::RootCertStore::empty();
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            if let Some(pem) = &conn.ca_pem {
                let certs = crate::certs::cert::certs_from_pem(pem);
                if certs.is_empty() {
                    return Err("the Kibana CA file holds no PEM certificate".into());
                }
                for c in certs {
                    roots
                        .add(CertificateDer::from(c.der))
                        .map_err(|e| format!("the Kibana CA file: {e}"))?;
                }
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        };
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(conn.timeout)
            .connect_timeout(conn.timeout)
            .user_agent(concat!("kibana-preflight/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Client { http, conn })
    }

    /// `{base}[/s/{space}]{path}`; `spaced: false` for space-agnostic APIs (status, licensing).
    pub(crate) fn url(&self, path: &str, spaced: bool) -> String {
        match (&self.conn.space, spaced) {
            (Some(s), true) if s != "default" => format!("{}/s/{s}{path}", self.conn.base),
            _ => format!("{}{path}", self.conn.base),
        }
    }

    /// GET with retries (3 attempts; 0.5 s, then 1 s) on connection errors and 502/503/504.
    pub(crate) async fn get(&self, path: &str, spaced: bool) -> Result<Answer, Unreachable> {
        let mut delay = Duration::from_millis(500);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self.call(Method::GET, path, spaced, None, false).await;
            let retry = match &result {
                Err(u) => u.kind != "tls",
                Ok(a) => matches!(a.status, 502..=504),
            };
            if !retry || attempt == 3 {
                return result;
            }
            tokio::time::sleep(delay).await;
            delay *= 2;
        }
    }

    /// POST or PUT once, with `kbn-xsrf` and a JSON body.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<Answer, Unreachable> {
        self.call(method, path, true, Some(body), false).await
    }

    /// A call to an internal route (`/internal/…`) once, as Kibana's own UI makes it: with
    /// `x-elastic-internal-origin: kibana`, without which 9.x answers 400 `uri [...] exists but
    /// is not available with the current configuration` (server.restrictInternalApis, on by
    /// default from 9.0).
    pub(crate) async fn internal(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Answer, Unreachable> {
        self.call(method, path, true, body, true).await
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        spaced: bool,
        body: Option<&serde_json::Value>,
        internal: bool,
    ) -> Result<Answer, Unreachable> {
        let url = self.url(path, spaced);
        let start = Instant::now();
        let mut req = self.http.request(method.clone(), &url);
        if let Some(h) = self.conn.auth.header() {
            req = req.header("Authorization", h);
        }
        if internal {
            req = req.header("x-elastic-internal-origin", "kibana");
        }
        if let Some(b) = body {
            req = req
                .header("kbn-xsrf", "true")
                .header("Content-Type", "application/json")
                .body(b.to_string());
        }
        let response = req.send().await;
        let millis = start.elapsed().as_millis() as u64;
        let response = match response {
            Ok(r) => r,
            Err(e) => {
                let u = unreachable(&url, &e);
                if self.conn.verbose {
                    eprintln!(
                        "kibana-preflight: {method} {url} → {} ({millis} ms)",
                        u.message
                    );
                }
                return Err(u);
            }
        };
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type").unwrap_or_default();
        let location = header("location");
        // The body through the same limit as every other input: a runaway answer stops here.
        let mut response = response;
        let mut bytes = Vec::new();
        // A body cut short (the request's timeout covers it) is an error, not a shorter answer.
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(e) => return Err(unreachable(&url, &e)),
            };
            if (bytes.len() + chunk.len()) as u64 > crate::source::files::MAX_FILE_SIZE {
                return Err(Unreachable {
                    url,
                    kind: "other",
                    message: format!(
                        "the answer is larger than {} bytes",
                        crate::source::files::MAX_FILE_SIZE
                    ),
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        let json = serde_json::from_slice(&bytes).ok();
        if self.conn.verbose {
            eprintln!("kibana-preflight: {method} {url} → {status} ({millis} ms)");
        }
        Ok(Answer {
            method: method.to_string(),
            url,
            status,
            json,
            content_type,
            location,
            millis,
        })
    }
}

fn unreachable(url: &str, e: &reqwest::Error) -> Unreachable {
    let mut chain = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    let mut tls = false;
    while let Some(s) = source {
        let text = s.to_string();
        if s.downcast_ref::<rustls::Error>().is_some() || text.contains("certificate") {
            tls = true;
        }
        if !chain.contains(&text) {
            chain.push(text);
        }
        source = s.source();
    }
    let kind = if tls {
        "tls"
    } else if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else {
        "other"
    };
    Unreachable {
        url: url.to_string(),
        kind,
        message: chain.join(": "),
    }
}
