//! TCP connect with a timeout, trying the resolved addresses in order (as Node's
//! `autoSelectFamily` does, without its parallel attempts), with errors named as Node names them.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::net::TcpStream;

use super::{Failure, Step, millis};

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Connected {
    pub(crate) address: SocketAddr,
    pub(crate) millis: u64,
}

/// Connects to the first address that answers; on failure, reports the last address's error
/// (Node reports one address too).
pub(crate) async fn connect(
    addresses: &[IpAddr],
    port: u16,
    timeout: Duration,
) -> (Step<Connected>, Option<TcpStream>) {
    let start = Instant::now();
    let mut last = Failure::new("ENOTFOUND", "no address to connect to");
    for ip in addresses {
        let addr = SocketAddr::new(*ip, port);
        match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
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
            Ok(Err(e)) => last = node_error(&e, addr),
            Err(_) => last = Failure::new("ETIMEDOUT", format!("connect ETIMEDOUT {addr}")),
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
pub(crate) fn node_error(e: &std::io::Error, addr: SocketAddr) -> Failure {
    let code = match (e.kind(), e.raw_os_error()) {
        (std::io::ErrorKind::ConnectionRefused, _) => "ECONNREFUSED",
        (std::io::ErrorKind::TimedOut, _) => "ETIMEDOUT",
        (_, Some(113)) => "EHOSTUNREACH",
        (_, Some(101)) => "ENETUNREACH",
        (std::io::ErrorKind::ConnectionReset, _) => "ECONNRESET",
        (std::io::ErrorKind::AddrNotAvailable, _) => "EADDRNOTAVAIL",
        _ => return Failure::new("UNKNOWN", format!("connect {addr}: {e}")),
    };
    Failure::new(code, format!("connect {code} {addr}"))
}
