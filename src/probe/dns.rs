//! Name resolution with hickory-resolver (the maintained successor of trust-dns-resolver):
//! the system's resolver configuration and hosts file by default, or `--dns-server`, with
//! curl-style `--resolve` overrides first. Failures are named as Node's `dns.lookup`
//! (getaddrinfo) names them: a name that does not exist or has no address is `ENOTFOUND`, a
//! resolver that times out or fails is `EAI_AGAIN`.

use std::net::IpAddr;
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
        Resolver {
            inner: built,
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
                    return not_found(host, start);
                }
                answer(addresses, cnames, &self.source)
            }
            Ok(Err(e)) if e.is_nx_domain() || e.is_no_records_found() => not_found(host, start),
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

fn not_found(host: &str, start: Instant) -> Step<Answer> {
    Step::Failed {
        failure: Failure::new(NodeError::NotFound, format!("getaddrinfo ENOTFOUND {host}"))
            .peer(host),
        millis: millis(start),
    }
}
