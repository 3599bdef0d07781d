//! The TLS handshake, with rustls (ring provider), capturing the chain the server presents. The
//! handshake itself accepts any certificate — the point is to see what the server sends — and
//! the chain is then judged by Node's rules (`crate::certs::verdict`) with the trust set Kibana
//! would use. Nothing is sent over the connection.

use std::sync::Arc;
use std::time::Instant;

use rustls::pki_types::ServerName;
use serde::Serialize;

use super::tunnel::BoxedIo;
use super::{Failure, NodeError, ProbeConfig, Step, TlsPlan, millis};
use crate::certs::accept_any::AcceptAnyServer;
use crate::certs::cert::Cert;
use crate::certs::trust::TrustSource;
use crate::certs::verdict::{self, Provenance, Verdict};

/// One certificate of the chain OpenSSL would build.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Link {
    pub(crate) name: String,
    pub(crate) origin: Provenance,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct VerifyResult {
    pub(crate) code: String,
    /// OpenSSL's number (`openssl s_client`'s "Verify return code").
    pub(crate) number: u32,
    pub(crate) message: String,
}

/// What the handshake showed, and Node's verdict on it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Handshake {
    pub(crate) protocol: String,
    pub(crate) cipher: String,
    /// The certificates the server sent, leaf first.
    pub(crate) presented: Vec<Cert>,
    /// The chain OpenSSL builds from them and the trust set.
    pub(crate) chain: Vec<Link>,
    pub(crate) trust: TrustSource,
    pub(crate) trusted: bool,
    /// `SSL_get_verify_result`, whatever the mode.
    pub(crate) verify_result: Option<VerifyResult>,
    /// `checkServerIdentity`'s reason, whatever the mode.
    pub(crate) hostname_mismatch: Option<String>,
    /// The error Kibana's request fails with under the effective mode (code, message).
    pub(crate) node_error: Option<Failure>,
    pub(crate) check_chain: bool,
    pub(crate) check_hostname: bool,
    pub(crate) millis: u64,
    #[serde(skip)]
    pub(crate) verdict: Verdict,
}

/// Shakes hands over `io`; on success also returns the TLS stream.
pub(crate) async fn handshake(
    io: BoxedIo,
    plan: &TlsPlan,
    config: &ProbeConfig,
) -> (Step<Handshake>, Option<BoxedIo>) {
    let start = Instant::now();
    let capture = Arc::new(AcceptAnyServer::default());
    let failed = |failure| {
        (
            Step::Failed {
                failure,
                millis: millis(start),
            },
            None,
        )
    };
    let client = match client_config(capture.clone()) {
        Ok(c) => c,
        Err(failure) => return failed(failure),
    };
    let name = match server_name(plan) {
        Ok(n) => n,
        Err(failure) => return failed(failure),
    };
    let stream = match connect(client, name, io, config).await {
        Ok(s) => s,
        Err(Ended::Failed(failure)) => return failed(failure),
        Err(Ended::NotJudged(reason)) => return (Step::Skipped { reason }, None),
    };
    let (_, conn) = stream.get_ref();
    let protocol = conn
        .protocol_version()
        .map(|v| format!("{v:?}").replace("TLSv1_", "TLSv1."))
        .unwrap_or_default();
    let cipher = conn
        .negotiated_cipher_suite()
        .map(|c| format!("{:?}", c.suite()))
        .unwrap_or_default();
    let handshake = judged(protocol, cipher, &capture.chain(), plan, config, start);
    (Step::Ok(handshake), Some(Box::new(stream)))
}

/// A client that accepts any certificate, capturing the chain for judging by Node's rules.
fn client_config(capture: Arc<AcceptAnyServer>) -> Result<rustls::ClientConfig, Failure> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    match rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
    {
        Ok(b) => Ok(b
            .dangerous()
            .with_custom_certificate_verifier(capture)
            .with_no_client_auth()),
        Err(e) => Err(Failure::new(NodeError::Proto, e.to_string())),
    }
}

/// The name to shake hands with: the plan's `servername`, or else the hostname as an IP address.
fn server_name(plan: &TlsPlan) -> Result<ServerName<'static>, Failure> {
    let name = match &plan.servername {
        Some(n) => ServerName::try_from(n.clone()).ok(),
        None => plan
            .hostname
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .ok()
            .map(|ip| ServerName::IpAddress(ip.into())),
    };
    name.ok_or_else(|| {
        Failure::new(
            NodeError::InvalidArgValue,
            format!("`{}` is not a name TLS can be spoken to", plan.hostname),
        )
    })
}

/// How a handshake that gave no stream ended.
enum Ended {
    /// As Node would fail it.
    Failed(Failure),
    /// The server sent what rustls cannot read but OpenSSL may: no verdict, and why.
    NotJudged(String),
}

/// rustls reads handshake messages up to 64 KiB (a fixed limit); OpenSSL's client reads a
/// certificate message up to `max_cert_list`, 100 KiB by default (`SSL_MAX_CERT_LIST_DEFAULT`),
/// and fails a larger one with `excessive message size`.
const NOT_JUDGED_LARGE_CHAIN: &str = "the server's certificate message is larger than 64 KiB, \
     more than this tool's TLS library reads; Node reads up to 100 KiB (OpenSSL's max_cert_list) \
     and fails a larger one with `SSL routines::excessive message size`. The chain is not \
     judged: check its size (`openssl s_client -showcerts`) and send fewer or smaller \
     certificates";

/// The handshake itself, within the probe's timeout.
async fn connect(
    client: rustls::ClientConfig,
    name: ServerName<'static>,
    io: BoxedIo,
    config: &ProbeConfig,
) -> Result<tokio_rustls::client::TlsStream<BoxedIo>, Ended> {
    let connector = tokio_rustls::TlsConnector::from(Arc::new(client));
    let result = tokio::time::timeout(config.timeout, connector.connect(name, io)).await;
    match result {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(e)) => Err(handshake_failure(&e)),
        Err(_) => Err(Ended::Failed(
            Failure::new(
                NodeError::ConnAborted,
                format!(
                    "the TLS handshake did not finish within {:?}",
                    config.timeout
                ),
            )
            .timed_out(),
        )),
    }
}

/// The presented chain judged as Node would, under the plan's trust set and mode.
fn judged(
    protocol: String,
    cipher: String,
    raw: &[Vec<u8>],
    plan: &TlsPlan,
    config: &ProbeConfig,
    start: Instant,
) -> Handshake {
    let presented: Vec<Cert> = raw.iter().filter_map(|d| Cert::from_der(d)).collect();
    let verdict = verdict::judge(&presented, &plan.trust, &plan.hostname, config.now);
    let node_error = verdict
        .node_error(plan.check_chain, plan.check_hostname)
        .map(|(rejection, message)| Failure::new(rejection.into(), message));
    Handshake {
        protocol,
        cipher,
        chain: verdict
            .chain
            .iter()
            .map(|l| Link {
                name: l.name.clone(),
                origin: l.origin,
            })
            .collect(),
        presented,
        trust: plan.trust.source.clone(),
        trusted: verdict.trusted,
        verify_result: verdict.verify_error().map(|e| VerifyResult {
            code: e.code().to_string(),
            number: e.number(),
            message: e.message().to_string(),
        }),
        hostname_mismatch: verdict.hostname_mismatch.clone(),
        node_error,
        check_chain: plan.check_chain,
        check_hostname: plan.check_hostname,
        millis: millis(start),
        verdict,
    }
}

/// Node's view of a failed handshake.
fn handshake_failure(e: &std::io::Error) -> Ended {
    use rustls::InvalidMessage;
    let inner = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>());
    Ended::Failed(match inner {
        Some(rustls::Error::InvalidMessage(InvalidMessage::HandshakePayloadTooLarge)) => {
            return Ended::NotJudged(NOT_JUDGED_LARGE_CHAIN.to_string());
        }
        // The first bytes are no TLS record: what OpenSSL reads as a record version.
        Some(rustls::Error::InvalidMessage(
            InvalidMessage::InvalidContentType | InvalidMessage::UnknownProtocolVersion,
        )) => Failure::new(
            NodeError::Proto,
            "SSL routines::wrong version number (the server does not speak TLS on this port: plain HTTP?)",
        ),
        Some(rustls::Error::InvalidMessage(m)) => Failure::new(
            NodeError::Proto,
            format!("SSL routines::the server's TLS message is malformed ({m:?})"),
        ),
        Some(rustls::Error::AlertReceived(alert)) => Failure::new(
            NodeError::Proto,
            format!("SSL routines::tlsv1 alert {}", alert_name(*alert)),
        ),
        Some(rustls::Error::PeerIncompatible(p)) => Failure::new(
            NodeError::Proto,
            format!("SSL routines::no protocols or ciphers in common ({p:?})"),
        ),
        Some(other) => Failure::new(NodeError::Proto, other.to_string()),
        None if e.kind() == std::io::ErrorKind::UnexpectedEof => Failure::new(
            NodeError::ConnReset,
            "Client network socket disconnected before secure TLS connection was established",
        ),
        None if e.kind() == std::io::ErrorKind::ConnectionReset => {
            Failure::new(NodeError::ConnReset, "read ECONNRESET")
        }
        None => Failure::new(NodeError::Proto, e.to_string()),
    })
}

fn alert_name(a: rustls::AlertDescription) -> String {
    let s = format!("{a:?}");
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}
