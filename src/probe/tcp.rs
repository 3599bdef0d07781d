//! TCP connect with a timeout, trying the resolved addresses in order (as Node's
//! `autoSelectFamily` does, without its parallel attempts), with errors named as Node names them.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::net::TcpStream;

use super::{Failure, NodeError, Step, millis};

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Connected {
    pub(crate) address: SocketAddr,
    pub(crate) millis: u64,
}

/// Connects to the first address that answers; on failure, reports the last address's error
/// (Node reports one address too).
/// Node's `autoSelectFamilyAttemptTimeout` default: how long one address gets before the next.
const ATTEMPT: Duration = Duration::from_millis(250);

pub(crate) async fn connect(
    addresses: &[IpAddr],
    port: u16,
    timeout: Duration,
) -> (Step<Connected>, Option<TcpStream>) {
    let start = Instant::now();
    // One deadline for all addresses, as Node 20's autoSelectFamily gives each address
    // 250 ms before trying the next: forty silent addresses take the timeout, not forty.
    let deadline = start + timeout;
    let mut last = Failure::new(NodeError::NotFound, "no address to connect to");
    for (i, ip) in addresses.iter().enumerate() {
        let addr = SocketAddr::new(*ip, port);
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let attempt = if i + 1 < addresses.len() {
            left.min(ATTEMPT)
        } else {
            left
        };
        match tokio::time::timeout(attempt, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => {
                let _ = stream.set_nodelay(true);
                return (
                    Step::Ok(Connected {
                        address: addr,
                        millis: millis(start),
                    }),
                    Some(stream),
                );
            }
            Ok(Err(e)) => last = connect_failure(&e, addr),
            Err(_) => {
                last = Failure::new(NodeError::TimedOut, format!("connect ETIMEDOUT {addr}"))
                    .peer(addr.to_string())
                    .timed_out()
            }
        }
    }
    (
        Step::Failed {
            failure: last,
            millis: millis(start),
        },
        None,
    )
}

/// libuv's names for connect errors; anything else keeps the system's text.
pub(crate) fn connect_failure(e: &std::io::Error, addr: SocketAddr) -> Failure {
    let code = match (e.kind(), e.raw_os_error()) {
        (std::io::ErrorKind::ConnectionRefused, _) => NodeError::ConnRefused,
        (std::io::ErrorKind::TimedOut, _) => NodeError::TimedOut,
        (_, Some(113)) => NodeError::HostUnreach,
        (_, Some(101)) => NodeError::NetUnreach,
        (std::io::ErrorKind::ConnectionReset, _) => NodeError::ConnReset,
        (std::io::ErrorKind::AddrNotAvailable, _) => NodeError::AddrNotAvail,
        _ => {
            return Failure::new(NodeError::Unknown, format!("connect {addr}: {e}"))
                .peer(addr.to_string());
        }
    };
    Failure::new(code, format!("connect {code} {addr}")).peer(addr.to_string())
}
