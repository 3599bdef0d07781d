//! Name resolution with hickory-resolver (the maintained successor of trust-dns-resolver):
//! the system's resolver configuration and hosts file by default, or `--dns-server`, with
//! curl-style `--resolve` overrides first. Failures are named as Node's `dns.lookup`
//! (getaddrinfo) names them: a name that does not exist or has no address is `ENOTFOUND`, a
//! resolver that times out or fails is `EAI_AGAIN`.

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use hickory_resolver::config::{NameServerConfig, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::RData;
use serde::Serialize;

use super::{Failure, NodeError, ProbeConfig, Step, millis};

/// What the name resolved to.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Answer {
    pub(crate) name: String,
    pub(crate) addresses: Vec<IpAddr>,
    pub(crate) cnames: Vec<String>,
    /// `system`, `dns server <addr>`, `--resolve` or `literal address`.
    pub(crate) source: String,
    pub(crate) millis: u64,
}

pub(crate) struct Resolver {
    inner: Result<hickory_resolver::TokioResolver, String>,
    source: String,
    /// The server asked again when hickory finds no address (see [`whole_udp_answer`]).
    server: Option<SocketAddr>,
}

impl Resolver {
    pub(crate) fn new(config: &ProbeConfig) -> Resolver {
        let built = match config.dns_server {
            Some(addr) => {
                let mut ns = NameServerConfig::udp_and_tcp(addr.ip());
                for c in &mut ns.connections {
                    c.port = addr.port();
                }
                let mut b = hickory_resolver::TokioResolver::builder_with_config(
                    ResolverConfig::from_name_servers(vec![ns]),
                    TokioRuntimeProvider::default(),
                );
                b.options_mut().timeout = config.timeout;
                b.options_mut().attempts = 1;
                b.build().map_err(|e| e.to_string())
            }
            None => hickory_resolver::TokioResolver::builder_tokio()
                .map_err(|e| e.to_string())
                .and_then(|mut b| {
                    b.options_mut().timeout = config.timeout;
                    b.build().map_err(|e| e.to_string())
                }),
        };
        let server = config.dns_server.or_else(|| {
            let (conf, _) = hickory_resolver::system_conf::read_system_conf().ok()?;
            let ns = conf.name_servers().first()?;
            Some(SocketAddr::new(ns.ip, 53))
        });
        Resolver {
            inner: built,
            server,
            source: match config.dns_server {
                Some(a) => format!("dns server {a}"),
                None => "system".to_string(),
            },
        }
    }

    pub(crate) async fn resolve(
        &self,
        host: &str,
        port: u16,
        config: &ProbeConfig,
    ) -> Step<Answer> {
        let start = Instant::now();
        let answer = |addresses: Vec<IpAddr>, cnames: Vec<String>, source: &str| {
            Step::Ok(Answer {
                name: host.to_string(),
                addresses,
                cnames,
                source: source.to_string(),
                millis: millis(start),
            })
        };
        if let Ok(ip) = host.parse::<IpAddr>() {
            return answer(vec![ip], Vec::new(), "literal address");
        }
        let lower = host.to_ascii_lowercase();
        let overrides: Vec<IpAddr> = config
            .resolve
            .iter()
            .filter(|o| o.host == lower && o.port == port)
            .map(|o| o.addr)
            .collect();
        if !overrides.is_empty() {
            return answer(overrides, Vec::new(), "--resolve");
        }
        let resolver = match &self.inner {
            Ok(r) => r,
            Err(e) => {
                return Step::Failed {
                    failure: Failure::new(
                        NodeError::EaiAgain,
                        format!("getaddrinfo EAI_AGAIN {host} (no resolver: {e})"),
                    )
                    .peer(host),
                    millis: millis(start),
                };
            }
        };
        // The resolver has its own timeout; this one bounds retries across servers.
        let lookup =
            tokio::time::timeout(config.timeout, resolver.lookup_ip(format!("{host}."))).await;
        match lookup {
            Ok(Ok(found)) => {
                let addresses: Vec<IpAddr> = found.iter().collect();
                let cnames = found
                    .as_lookup()
                    .answers()
                    .iter()
                    .filter_map(|r| match &r.data {
                        RData::CNAME(c) => Some(c.0.to_string().trim_end_matches('.').to_string()),
                        _ => None,
                    })
                    .collect();
                if addresses.is_empty() {
                    return self.ask_again(host, start, config).await;
                }
                answer(addresses, cnames, &self.source)
            }
            Ok(Err(e)) if e.is_nx_domain() || e.is_no_records_found() => {
                self.ask_again(host, start, config).await
            }
            Ok(Err(e)) => Step::Failed {
                failure: Failure::new(
                    NodeError::EaiAgain,
                    format!("getaddrinfo EAI_AGAIN {host} ({e})"),
                )
                .peer(host),
                millis: millis(start),
            },
            Err(_) => Step::Failed {
                failure: Failure::new(
                    NodeError::EaiAgain,
                    format!(
                        "getaddrinfo EAI_AGAIN {host} (no answer within {:?})",
                        config.timeout
                    ),
                )
                .peer(host),
                millis: millis(start),
            },
        }
    }
}

impl Resolver {
    /// When hickory finds no address: the answer as glibc would read it, or `ENOTFOUND`.
    async fn ask_again(&self, host: &str, start: Instant, config: &ProbeConfig) -> Step<Answer> {
        let left = config.timeout.saturating_sub(start.elapsed());
        let addresses = match self.server {
            Some(server) => tokio::time::timeout(left, whole_udp_answer(server, host))
                .await
                .unwrap_or_default(),
            None => Vec::new(),
        };
        if addresses.is_empty() {
            return not_found(host, start);
        }
        Step::Ok(Answer {
            name: host.to_string(),
            addresses,
            cnames: Vec::new(),
            source: self.source.clone(),
            millis: millis(start),
        })
    }
}

/// glibc's resolver (Node's `dns.lookup`) sizes its buffer to each UDP datagram (FIONREAD in
/// `send_dg`) and so reads an answer of any size, truncation flag or not; hickory reads 4 KiB
/// at most (512 bytes without EDNS), and an answer cut there fails to decode, which its lookup
/// reports as no address. So when hickory finds none, the name is asked once more over UDP
/// with a buffer for the largest datagram, A then AAAA. Any failure here leaves hickory's
/// verdict standing.
async fn whole_udp_answer(server: SocketAddr, host: &str) -> Vec<IpAddr> {
    use hickory_resolver::proto::op::{Message, Query};
    use hickory_resolver::proto::rr::{Name, RecordType};
    let Ok(name) = Name::from_ascii(format!("{host}.")) else {
        return Vec::new();
    };
    let local: SocketAddr = if server.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let Ok(socket) = tokio::net::UdpSocket::bind(local).await else {
        return Vec::new();
    };
    if socket.connect(server).await.is_err() {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut buf = vec![0u8; 65_535];
    for record_type in [RecordType::A, RecordType::AAAA] {
        let mut query = Message::query();
        query.metadata.recursion_desired = true;
        query.add_query(Query::query(name.clone(), record_type));
        let Ok(bytes) = query.to_vec() else { continue };
        if socket.send(&bytes).await.is_err() {
            return found;
        }
        // Answers to other ids (late, spoofed) are skipped, as hickory skips them.
        let reply = loop {
            let Ok(n) = socket.recv(&mut buf).await else {
                return found;
            };
            match Message::from_vec(&buf[..n]) {
                Ok(m) if m.metadata.id == query.metadata.id => break m,
                _ => continue,
            }
        };
        found.extend(reply.answers.iter().filter_map(|r| match &r.data {
            RData::A(a) => Some(IpAddr::V4(a.0)),
            RData::AAAA(a) => Some(IpAddr::V6(a.0)),
            _ => None,
        }));
    }
    found
}

fn not_found(host: &str, start: Instant) -> Step<Answer> {
    Step::Failed {
        failure: Failure::new(NodeError::NotFound, format!("getaddrinfo ENOTFOUND {host}"))
            .peer(host),
        millis: millis(start),
    }
}
