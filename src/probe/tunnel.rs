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
                    "the proxy's answer is not HTTP",
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
/// tunnel), `HEAD` in absolute form for an http: one, with the proxy credentials and headers.
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
    if let Some(auth) = &proxy.authorization {
        request.push_str(&format!("Proxy-Authorization: {auth}\r\n"));
    }
    for (name, value) in &proxy.headers {
        request.push_str(&format!("{name}: {value}\r\n"));
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
        Ok(Ok(head)) => Ok(head),
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

/// Reads up to the end of the response head (16 KiB at most).
async fn read_head(io: &mut BoxedIo) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while head.len() < 16 * 1024 {
        let n = io.read(&mut byte).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        head.push(byte[0]);
        if head.ends_with(b"\r\n\r\n") {
            break;
        }
    }
    Ok(head)
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
