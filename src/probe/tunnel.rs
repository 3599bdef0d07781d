//! Through the proxy as Kibana's agents go: TLS to an `https:` proxy first (with
//! `ssl.proxyVerificationMode`), then `CONNECT host:port` for an https: target
//! (HttpsProxyAgent), or an absolute-form request for an http: target (HttpProxyAgent), with the
//! proxy URL's credentials and `proxyHeaders`. For http: targets the request is `HEAD`, so
//! probing never triggers the webhook.

use std::time::Instant;

use base64::Engine as _;
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::handshake::{self, Handshake};
use super::{Failure, NodeError, Plan, ProbeConfig, ProxyPlan, Step, TlsPlan, millis};

/// A byte stream: plain TCP, or TLS to a proxy.
pub(crate) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}
pub(crate) type BoxedIo = Box<dyn Io>;

/// What the proxy said.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Tunnel {
    /// The proxy URL, credentials masked.
    pub(crate) proxy: String,
    /// `CONNECT host:port` or `HEAD http://…`.
    pub(crate) request: String,
    pub(crate) http_status: u16,
    pub(crate) reason: String,
    /// The handshake with an https: proxy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) proxy_tls: Option<Handshake>,
    pub(crate) millis: u64,
}

/// The `Proxy-Authorization` value for `user:password` from the proxy URL (URL-decoded, as
/// the proxy agents decode it).
pub(crate) fn basic_authorization(user: &str, password: &str) -> String {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let token = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        decode(user),
        decode(password)
    ));
    format!("Basic {token}")
}

/// Opens the way to the target; returns the stream to continue on (an https: target's tunnel).
pub(crate) async fn open(
    io: BoxedIo,
    proxy: &ProxyPlan,
    plan: &Plan,
    config: &ProbeConfig,
) -> (Step<Tunnel>, Option<BoxedIo>) {
    let start = Instant::now();
    let mut io = io;
    let mut proxy_tls = None;
    if let Some(t) = &proxy.tls {
        match proxy_handshake(io, t, config, start).await {
            Ok((h, s)) => {
                proxy_tls = Some(h);
                io = s;
            }
            Err(step) => return (step, None),
        }
    }
    let (request, shown) = proxy_request(proxy, plan);
    let head = match exchange(&mut io, &request, config).await {
        Ok(head) => head,
        Err(failure) => return (failed(failure, start), None),
    };
    let Some((status, reason)) = parse_status(&head) else {
        return (
            failed(
                Failure::new(
                    NodeError::HpeInvalidConstant,
                    "Parse Error: the proxy's status line is not `HTTP/x.y <status> <reason>`",
                ),
                start,
            ),
            None,
        );
    };
    // The proxy chooses this text: escaped before anything can print it.
    let reason = crate::untrusted::printable(&reason);
    let tunnel = Tunnel {
        proxy: proxy.shown.clone(),
        request: shown,
        http_status: status,
        reason: reason.clone(),
        proxy_tls,
        millis: millis(start),
    };
    let tunnelled = plan.tls.is_some() && (200..300).contains(&status);
    // For an http: target any answer the proxy relays is the endpoint's, except the proxy's own
    // refusals.
    let proxy_refused =
        matches!(status, 407 | 403 | 502 | 503 | 504) || (plan.tls.is_some() && !tunnelled);
    if proxy_refused {
        return (
            Step::Failed {
                failure: Failure::new(
                    NodeError::ProxyStatus(status),
                    format!("[{status}] {reason}"),
                ),
                millis: tunnel.millis,
            },
            None,
        );
    }
    (Step::Ok(tunnel), tunnelled.then_some(io))
}

/// A failed step, timed from `start`.
fn failed<T>(failure: Failure, start: Instant) -> Step<T> {
    Step::Failed {
        failure,
        millis: millis(start),
    }
}

/// TLS to an `https:` proxy: the handshake and the stream on, or the step that ends the probe
/// (its failure worded as the proxy's).
async fn proxy_handshake(
    io: BoxedIo,
    tls: &TlsPlan,
    config: &ProbeConfig,
    start: Instant,
) -> Result<(Handshake, BoxedIo), Step<Tunnel>> {
    let (step, stream) = handshake::handshake(io, tls, config).await;
    match (step, stream) {
        (Step::Ok(h), Some(s)) if h.node_error.is_none() => Ok((h, s)),
        (Step::Ok(h), _) => {
            let f = h
                .node_error
                .clone()
                .unwrap_or_else(|| Failure::new(NodeError::Proto, ""));
            Err(failed(
                Failure::new(f.node_error, format!("TLS to the proxy: {}", f.message)),
                start,
            ))
        }
        (Step::Failed { failure, .. }, _) => Err(failed(
            Failure::new(
                failure.node_error,
                format!("TLS to the proxy: {}", failure.message),
            ),
            start,
        )),
        (Step::Skipped { reason }, _) => Err(Step::Skipped { reason }),
    }
}

/// The request to the proxy and how it is shown: `CONNECT` for an https: target (the agents'
/// tunnel), `HEAD` in absolute form for an http: one. Each carries what Kibana's agent for it
/// sends (`get_proxy_agents.ts`, the same in 7.x-9.x copies): the https agent is built from the
/// proxy URL's host, port and protocol plus `proxyHeaders`, so the URL's credentials never reach
/// the proxy; the http agent is built from the URL string alone, so its credentials do and
/// `proxyHeaders` do not.
fn proxy_request(proxy: &ProxyPlan, plan: &Plan) -> (String, String) {
    let authority = if plan.host.contains(':') {
        format!("[{}]:{}", plan.host, plan.port)
    } else {
        format!("{}:{}", plan.host, plan.port)
    };
    let (request_line, shown) = if plan.tls.is_some() {
        (
            format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n"),
            format!("CONNECT {authority}"),
        )
    } else {
        let target = format!("http://{authority}{}", plan.path);
        (
            format!("HEAD {target} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n"),
            format!("HEAD {target}"),
        )
    };
    let mut request = request_line;
    if plan.tls.is_some() {
        for (name, value) in &proxy.headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
    } else if let Some(auth) = &proxy.authorization {
        request.push_str(&format!("Proxy-Authorization: {auth}\r\n"));
    }
    request.push_str("\r\n");
    (request, shown)
}

/// Sends the request and reads the proxy's answer head, within the probe's timeout.
async fn exchange(
    io: &mut BoxedIo,
    request: &str,
    config: &ProbeConfig,
) -> Result<Vec<u8>, Failure> {
    let exchange = async {
        io.write_all(request.as_bytes()).await?;
        io.flush().await?;
        read_head(io).await
    };
    match tokio::time::timeout(config.timeout, exchange).await {
        Ok(Ok(Head::Complete(head))) => Ok(head),
        // llhttp's words when the agent hands such an answer on; without a blank line the
        // agent waits for one until Kibana's request times out.
        Ok(Ok(Head::NotHttp(first))) => Err(Failure::new(
            NodeError::HpeInvalidConstant,
            format!(
                "Parse Error: Expected HTTP/ (the proxy answered `{}`, which is not HTTP; \
                 Kibana's proxy agent waits for an HTTP answer until the request times out)",
                crate::untrusted::printable(&String::from_utf8_lossy(&first))
                    .trim_end_matches("\\u{d}")
            ),
        )),
        Ok(Ok(Head::TooLarge)) => Err(Failure::new(
            NodeError::HpeInvalidConstant,
            format!(
                "the proxy's answer head is larger than {MAX_PROXY_HEAD} bytes without ending; \
                 no proxy sends this, and the probe stops here"
            ),
        )),
        Ok(Err(e)) => Err(if e.kind() == std::io::ErrorKind::UnexpectedEof {
            Failure::new(NodeError::ConnReset, "socket hang up")
        } else {
            Failure::new(NodeError::ConnReset, format!("socket hang up ({e})"))
        }),
        Err(_) => Err(Failure::new(
            NodeError::ConnAborted,
            format!("the proxy did not answer within {:?}", config.timeout),
        )
        .timed_out()),
    }
}

/// The most of a proxy's answer head read. https-proxy-agent buffers without a limit until it
/// sees the blank line; a head this large is no proxy's, so past it the probe stops and says so
/// rather than cutting the head and reading its rest as the tunnel's first bytes.
pub(crate) const MAX_PROXY_HEAD: usize = 1024 * 1024;

/// How the proxy's answer head ended.
enum Head {
    /// Up to and including the blank line.
    Complete(Vec<u8>),
    /// The first bytes are not `HTTP/`: what the peer sent, up to its first line end.
    NotHttp(Vec<u8>),
    /// No blank line within [`MAX_PROXY_HEAD`] bytes.
    TooLarge,
}

/// Reads the response head in chunks. Bytes after the blank line are dropped, as the proxy
/// agents drop them; a proxy sends nothing there before the client speaks.
async fn read_head(io: &mut BoxedIo) -> std::io::Result<Head> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = io.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        // Only the new bytes and the three before them can complete the blank line: linear.
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&chunk[..n]);
        let prefix = head.len().min(5);
        if head[..prefix] != b"HTTP/"[..prefix] {
            let line_end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
            head.truncate(line_end.min(200));
            return Ok(Head::NotHttp(head));
        }
        if let Some(end) = head[from..].windows(4).position(|w| w == b"\r\n\r\n") {
            head.truncate(from + end + 4);
            return Ok(Head::Complete(head));
        }
        if head.len() > MAX_PROXY_HEAD {
            return Ok(Head::TooLarge);
        }
    }
}

fn parse_status(head: &[u8]) -> Option<(u16, String)> {
    let text = String::from_utf8_lossy(head);
    let line = text.lines().next()?;
    let mut parts = line.splitn(3, ' ');
    let version = parts.next()?;
    if !version.starts_with("HTTP/") {
        return None;
    }
    let status = parts.next()?.parse().ok()?;
    Some((status, parts.next().unwrap_or("").trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_and_credentials() {
        assert_eq!(
            parse_status(b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n"),
            Some((407, "Proxy Authentication Required".into()))
        );
        assert_eq!(parse_status(b"SSH-2.0-OpenSSH\r\n"), None);
        assert_eq!(basic_authorization("u%40x", "p"), "Basic dUB4OnA=");
    }
}
