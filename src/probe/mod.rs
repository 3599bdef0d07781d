//! Network probes: reach a webhook endpoint the way Kibana's Node.js process will — resolve the
//! name (the proxy's, when proxied), connect, open the proxy tunnel, shake hands — and record
//! what happened in Node's terms. Every step has a timeout; a step that cannot run because an
//! earlier one failed is `Skipped` with the reason, never reported as a failure of its own.
//!
//! This is the only part of the tool that opens sockets. What to probe (`Plan`) is decided
//! from Kibana's settings beforehand; judging the results is the live check modules' job.

pub(crate) mod dns;
pub(crate) mod handshake;
pub(crate) mod node_error;
pub(crate) mod tcp;
pub(crate) mod tunnel;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::certs::trust::TrustStore;
pub(crate) use node_error::NodeError;

/// How to probe.
#[derive(Clone, Debug)]
pub(crate) struct ProbeConfig {
    /// Per step (resolve, connect, tunnel, handshake).
    pub(crate) timeout: Duration,
    /// `--dns-server ADDR[:PORT]`: ask this server instead of the system's resolvers.
    pub(crate) dns_server: Option<SocketAddr>,
    /// `--resolve HOST:PORT:ADDR`, as curl takes it.
    pub(crate) resolve: Vec<Override>,
    /// Unix seconds, for certificate validity.
    pub(crate) now: i64,
    /// Targets probed at once (`--concurrency`): each holds a socket and a resolver query, so
    /// this stays well under the common `ulimit -n 1024`.
    pub(crate) concurrency: usize,
}

/// The default for [`ProbeConfig::concurrency`].
pub(crate) const DEFAULT_CONCURRENCY: usize = 64;

/// A curl-style `--resolve` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Override {
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) addr: IpAddr,
}

impl std::str::FromStr for Override {
    type Err = String;

    /// `HOST:PORT:ADDR`; an IPv6 address may be bracketed.
    fn from_str(s: &str) -> Result<Override, String> {
        let bad = || {
            format!(
                "--resolve takes HOST:PORT:ADDR (e.g. hooks.example.com:443:10.0.0.5), not `{s}`"
            )
        };
        let (host, rest) = s.split_once(':').ok_or_else(bad)?;
        let (port, addr) = rest.split_once(':').ok_or_else(bad)?;
        let addr = addr.trim_start_matches('[').trim_end_matches(']');
        Ok(Override {
            host: host.to_ascii_lowercase(),
            port: port.parse().map_err(|_| bad())?,
            addr: addr.parse().map_err(|_| bad())?,
        })
    }
}

/// TLS as Kibana will do it to one peer.
#[derive(Clone, Debug)]
pub(crate) struct TlsPlan {
    /// SNI: Node sends the hostname, never an IP address.
    pub(crate) servername: Option<String>,
    /// The name `checkServerIdentity` compares with.
    pub(crate) hostname: String,
    pub(crate) check_chain: bool,
    pub(crate) check_hostname: bool,
    pub(crate) trust: Arc<TrustStore>,
}

/// The proxy a request goes through.
#[derive(Clone, Debug)]
pub(crate) struct ProxyPlan {
    pub(crate) host: String,
    pub(crate) port: u16,
    /// `proxyUrl` with credentials masked, for messages.
    pub(crate) shown: String,
    /// `Proxy-Authorization` value from the URL's userinfo (secret; never printed): sent for
    /// http: targets only, as Kibana's http proxy agent does.
    pub(crate) authorization: Option<String>,
    /// `xpack.actions.proxyHeaders` (values may be secret; never printed): sent on the CONNECT
    /// for https: targets only, as Kibana's https proxy agent does.
    pub(crate) headers: Vec<(String, String)>,
    /// TLS to an `https:` proxy, with `ssl.proxyVerificationMode`.
    pub(crate) tls: Option<TlsPlan>,
}

/// What to probe for one webhook URL.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    /// WHATWG hostname without IPv6 brackets.
    pub(crate) host: String,
    pub(crate) port: u16,
    /// Path and query, for an absolute-form request through a proxy.
    pub(crate) path: String,
    pub(crate) proxy: Option<ProxyPlan>,
    /// `None` for plain http:.
    pub(crate) tls: Option<TlsPlan>,
}

/// Why a step failed, as Node would report it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Failure {
    /// Node's `err.code`, e.g. `ENOTFOUND`.
    pub(crate) node_error: NodeError,
    /// Node's `err.message`, e.g. `getaddrinfo ENOTFOUND hooks.example.com`.
    pub(crate) message: String,
    /// The name or address the failing step was talking to, for messages.
    #[serde(skip)]
    pub(crate) peer: Option<String>,
    /// The probe's own time limit ended the step: Kibana would wait longer
    /// (`xpack.actions.responseTimeout`) and report its own timeout instead.
    #[serde(skip)]
    pub(crate) timed_out: bool,
}

impl Failure {
    pub(crate) fn new(code: NodeError, message: impl Into<String>) -> Failure {
        Failure {
            node_error: code,
            message: message.into(),
            peer: None,
            timed_out: false,
        }
    }

    /// The same failure, ended by the probe's own timeout.
    pub(crate) fn timed_out(mut self) -> Failure {
        self.timed_out = true;
        self
    }

    /// The same failure, naming the host or address it was about.
    pub(crate) fn peer(mut self, peer: impl Into<String>) -> Failure {
        self.peer = Some(peer.into());
        self
    }
}

/// One step's outcome.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub(crate) enum Step<T> {
    Ok(T),
    Failed {
        #[serde(flatten)]
        failure: Failure,
        millis: u64,
    },
    Skipped {
        reason: String,
    },
}

impl TargetProbe {
    /// The first failure, if any step failed (for a one-line summary).
    pub(crate) fn first_failure(&self) -> Option<&Failure> {
        self.dns
            .failure()
            .or(self.tcp.failure())
            .or(self.proxy.as_ref().and_then(|s| s.failure()))
            .or(self.tls.as_ref().and_then(|s| s.failure()))
            .or(self
                .tls
                .as_ref()
                .and_then(|s| s.ok())
                .and_then(|h| h.node_error.as_ref()))
    }
}

impl<T> Step<T> {
    pub(crate) fn ok(&self) -> Option<&T> {
        match self {
            Step::Ok(t) => Some(t),
            _ => None,
        }
    }

    pub(crate) fn failure(&self) -> Option<&Failure> {
        match self {
            Step::Failed { failure, .. } => Some(failure),
            _ => None,
        }
    }

    fn skipped(reason: impl Into<String>) -> Step<T> {
        Step::Skipped {
            reason: reason.into(),
        }
    }
}

/// Everything learned about one target.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct TargetProbe {
    pub(crate) dns: Step<dns::Answer>,
    pub(crate) tcp: Step<tcp::Connected>,
    /// Only for proxied targets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) proxy: Option<Step<tunnel::Tunnel>>,
    /// Only for https: targets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) tls: Option<Step<handshake::Handshake>>,
}

fn millis(since: Instant) -> u64 {
    since.elapsed().as_millis() as u64
}

/// Told when a target's probes finish (index into the plans, and the outcome), e.g. to move a
/// progress line.
pub(crate) type OnDone = Arc<dyn Fn(usize, &TargetProbe) + Send + Sync>;

/// Probes every plan concurrently; results come back in the plans' order.
pub(crate) async fn probe_all(
    plans: Vec<Plan>,
    config: Arc<ProbeConfig>,
    on_done: Option<OnDone>,
) -> Vec<TargetProbe> {
    let resolver = Arc::new(dns::Resolver::new(&config));
    // Bounded: a thousand URLs must not exhaust file descriptors and turn into false EAI_AGAIN.
    let permits = Arc::new(tokio::sync::Semaphore::new(config.concurrency.max(1)));
    let tasks: Vec<_> = plans
        .into_iter()
        .enumerate()
        .map(|(i, plan)| {
            let config = config.clone();
            let resolver = resolver.clone();
            let on_done = on_done.clone();
            let permits = permits.clone();
            tokio::spawn(async move {
                let _permit = permits.acquire_owned().await.expect("never closed");
                let outcome = probe(&plan, &config, &resolver).await;
                if let Some(f) = on_done {
                    f(i, &outcome);
                }
                outcome
            })
        })
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.expect("probe task does not panic"));
    }
    out
}

async fn probe(plan: &Plan, config: &ProbeConfig, resolver: &dns::Resolver) -> TargetProbe {
    // Kibana's agent connects to the proxy, which resolves the target itself.
    let (first_host, first_port) = match &plan.proxy {
        Some(p) => (p.host.as_str(), p.port),
        None => (plan.host.as_str(), plan.port),
    };
    let dns = resolver.resolve(first_host, first_port, config).await;
    let Some(answer) = dns.ok() else {
        return TargetProbe {
            dns,
            tcp: Step::skipped("the name did not resolve"),
            proxy: plan
                .proxy
                .as_ref()
                .map(|_| Step::skipped("the proxy's name did not resolve")),
            tls: plan
                .tls
                .as_ref()
                .map(|_| Step::skipped("the name did not resolve")),
        };
    };
    let (tcp, stream) = tcp::connect(&answer.addresses, first_port, config.timeout).await;
    let Some(stream) = stream else {
        return TargetProbe {
            dns,
            tcp,
            proxy: plan
                .proxy
                .as_ref()
                .map(|_| Step::skipped("the proxy is not reachable")),
            tls: plan
                .tls
                .as_ref()
                .map(|_| Step::skipped("no TCP connection")),
        };
    };
    let mut io: tunnel::BoxedIo = Box::new(stream);
    let mut proxy_step = None;
    if let Some(proxy) = &plan.proxy {
        let (step, opened) = tunnel::open(io, proxy, plan, config).await;
        proxy_step = Some(step);
        match opened {
            Some(tunnelled) => io = tunnelled,
            None => {
                return TargetProbe {
                    dns,
                    tcp,
                    proxy: proxy_step,
                    tls: plan
                        .tls
                        .as_ref()
                        .map(|_| Step::skipped("the proxy did not open a tunnel")),
                };
            }
        }
    }
    let tls = match &plan.tls {
        Some(t) => Some(handshake::handshake(io, t, config).await.0),
        None => None,
    };
    TargetProbe {
        dns,
        tcp,
        proxy: proxy_step,
        tls,
    }
}
