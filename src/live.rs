//! The live pipeline: everything `lint` does, then the network. For each webhook URL the
//! settings decide how Kibana would reach it (proxy or direct, TLS mode, trust set); that plan
//! is probed, and the live check modules judge the results. Data still flows one way:
//! sources → model → targets → plans → probes → checks → report.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;

use crate::certs::cert::{Cert, certs_from_pem};
use crate::certs::trust::{TrustSource, TrustStore};
use crate::checks::Live;
use crate::kibana::target::{Target, TargetSource};
use crate::kibana::tls_decision::CaSource;
use crate::kibana::url as kurl;
use crate::kibana_api::client::{Client, Connection};
use crate::kibana_api::{connectors, facts};
use crate::offline::{self, InputError, LintOptions, Prepared};
use crate::probe::{self, Plan, ProxyPlan, TlsPlan};
use crate::report::Report;
use crate::source::files;
use crate::version::Version;

/// What to check with.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub(crate) lint: LintOptions,
    pub(crate) probe: probe::ProbeConfig,
    /// The NODE_EXTRA_CA_CERTS file of Kibana's process.
    pub(crate) node_extra_ca_certs: Option<PathBuf>,
    pub(crate) expiry_warning_days: u32,
    /// The running Kibana to ask (`KIBANA_URL`), if any.
    pub(crate) kibana: Option<Connection>,
    /// Create / update / test the connector spec there.
    pub(crate) deploy: connectors::Options,
}

/// Progress as targets are probed: `started` with each target's shown URL, then `done`.
pub(crate) trait Progress: Send + Sync {
    fn started(&self, urls: &[String]);
    fn done(&self, index: usize, outcome: &probe::TargetProbe);
}

/// Checks one Kibana configuration (a stack of kibana.yml files) and its webhook URLs: the
/// offline checks, then the network as Kibana's Node.js would reach each URL, then the running
/// Kibana when `KIBANA_URL` is given.
pub fn check(config_files: &[PathBuf], opts: &CheckOptions) -> Result<Report, InputError> {
    check_with_progress(config_files, opts, None)
}

/// [`check`], telling `progress` as each target is probed.
pub(crate) fn check_with_progress(
    config_files: &[PathBuf],
    opts: &CheckOptions,
    progress: Option<Arc<dyn Progress>>,
) -> Result<Report, InputError> {
    let mut report = check_unapplied(config_files, opts, progress)?;
    offline::apply_policy(&mut report, opts.lint.policy.as_deref());
    Ok(report)
}

/// [`check`] before the project policy is applied: for callers that add findings of their own
/// (diagnose) and apply it once at the end.
pub(crate) fn check_unapplied(
    config_files: &[PathBuf],
    opts: &CheckOptions,
    progress: Option<Arc<dyn Progress>>,
) -> Result<Report, InputError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| InputError::Runtime(e.to_string()))?;
    // Kibana first: its version decides how the files are judged when none was given.
    let client = match &opts.kibana {
        Some(conn) => Some(Client::new(conn.clone()).map_err(InputError::Kibana)?),
        None => None,
    };
    let facts = client.as_ref().map(|c| runtime.block_on(facts::gather(c)));
    let mut lint_opts = opts.lint.clone();
    let mut version_from_kibana = false;
    if !lint_opts.version_given
        && let Some(v) = facts.as_ref().and_then(|f| f.version())
        && let Ok(parsed) = v.parse::<Version>()
        && parsed >= Version::OLDEST
    {
        lint_opts.version = parsed;
        version_from_kibana = true;
    }
    let opts_lint = &lint_opts;
    let prepared = offline::prepare(config_files, opts_lint)?;
    let extra = match &opts.node_extra_ca_certs {
        Some(path) => extra_certs(path)?,
        None => Vec::new(),
    };
    let default_trust = Arc::new(TrustStore::node_default(extra));
    let mut secrets = Vec::new();
    let mut plans = Vec::new();
    let mut not_probed = Vec::new();
    let mut index = Vec::new();
    for (i, t) in prepared.targets.iter().enumerate() {
        match plan_for(t, &prepared, &default_trust, &mut secrets) {
            Ok(plan) => {
                plans.push(plan);
                index.push(i);
                not_probed.push(None);
            }
            Err(why) => not_probed.push(Some(why)),
        }
    }
    let on_done: Option<probe::OnDone> = progress.map(|p| {
        let urls: Vec<String> = index
            .iter()
            .map(|i| prepared.targets[*i].shown_url())
            .collect();
        p.started(&urls);
        Arc::new(move |i: usize, o: &probe::TargetProbe| p.done(i, o)) as probe::OnDone
    });
    let found = runtime.block_on(probe::probe_all(
        plans,
        Arc::new(opts.probe.clone()),
        on_done,
    ));
    let mut outcomes: Vec<Option<probe::TargetProbe>> = vec![None; prepared.targets.len()];
    for (i, o) in index.into_iter().zip(found) {
        outcomes[i] = Some(o);
    }
    if let Some(c) = &opts.kibana {
        secrets.extend(c.auth.secrets());
    }
    let spec = prepared.connector.clone();
    let live = Live {
        outcomes,
        not_probed,
        expiry_warning_days: opts.expiry_warning_days,
        now: opts.probe.now,
        secrets,
        kibana: facts,
        version_from_kibana,
    };
    let mut report = offline::finish(prepared, opts_lint, Some(live));
    // Create, update and test only after every check, and only when none found an error.
    if let (Some(client), Some(spec), Some(id)) = (&client, &spec, &opts_lint.connector_id) {
        // The gate counts errors as the policy will leave them (a suppressed error does not
        // block); the policy itself is applied once, after the deploy findings are in.
        let errors = offline::policy_or_default(opts_lint.policy.as_deref()).errors_after(&report);
        let done = runtime.block_on(connectors::run(client, spec, id, &opts.deploy, errors));
        let (findings, module) = crate::checks::deploy::judge(&done, &report);
        report.findings.extend(findings);
        offline::name_files(&mut report);
        report.modules.push(module);
        report.deploy = Some(done);
    }
    Ok(report)
}

/// NODE_EXTRA_CA_CERTS: PEM certificates (Node warns and ignores a file it cannot read; here
/// that is an input error, since the user named the file).
fn extra_certs(path: &Path) -> Result<Vec<Cert>, InputError> {
    let text = match files::read_text(path) {
        Err(e) => return Err(InputError::Read(e)),
        Ok(Ok(t)) => t,
        Ok(Err(_)) => {
            return Err(InputError::NotText {
                path: path.to_path_buf(),
                what: "not a PEM file".into(),
            });
        }
    };
    let certs = certs_from_pem(text.as_bytes());
    if certs.is_empty() {
        return Err(InputError::NotText {
            path: path.to_path_buf(),
            what: "holds no PEM certificate".into(),
        });
    }
    Ok(certs)
}

/// The host (IPv6 without brackets) and port a socket connects to.
fn host_port(url: &url::Url) -> Option<(String, u16)> {
    let host = url
        .host_str()?
        .trim_start_matches('[')
        .trim_end_matches(']');
    Some((host.to_string(), url.port_or_known_default()?))
}

/// How Kibana would reach `t`, from its decision.
fn plan_for(
    t: &Target,
    p: &Prepared,
    default_trust: &Arc<TrustStore>,
    secrets: &mut Vec<String>,
) -> Result<Plan, String> {
    let url = kurl::parse(&t.url).ok_or("the URL does not parse, so Kibana sends nothing")?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("`{}:` URLs are not probed", url.scheme()));
    }
    let (host, port) = host_port(&url).ok_or("the URL has no host or port")?;
    let mut path = url.path().to_string();
    if let Some(q) = url.query() {
        path.push('?');
        path.push_str(q);
    }
    let tls = match &t.decision.tls {
        Some(d) => {
            let trust = match d.ca {
                CaSource::Custom => {
                    let certs = t
                        .decision
                        .custom_host
                        .and_then(|i| p.custom_hosts.iter().find(|r| r.index == i))
                        .and_then(|r| r.ca.as_ref())
                        .map(|c| c.certs.clone())
                        .unwrap_or_default();
                    Arc::new(TrustStore::only(certs, TrustSource::CustomHost))
                }
                CaSource::Connector => {
                    Arc::new(TrustStore::only(connector_ca(t, p), TrustSource::Connector))
                }
                CaSource::Default => default_trust.clone(),
            };
            Some(TlsPlan {
                servername: host
                    .parse::<std::net::IpAddr>()
                    .is_err()
                    .then(|| host.clone()),
                hostname: host.clone(),
                check_chain: d.verify_chain,
                check_hostname: d.check_hostname,
                trust,
            })
        }
        None => None,
    };
    let proxy = match &t.decision.proxy {
        Some(raw) => Some(proxy_plan(raw, p, default_trust, secrets)?),
        None => None,
    };
    Ok(Plan {
        host,
        port,
        path,
        proxy,
        tls,
    })
}

fn proxy_plan(
    raw: &str,
    p: &Prepared,
    default_trust: &Arc<TrustStore>,
    secrets: &mut Vec<String>,
) -> Result<ProxyPlan, String> {
    let url = kurl::parse(raw).ok_or("xpack.actions.proxyUrl does not parse")?;
    let (host, port) = host_port(&url).ok_or("xpack.actions.proxyUrl has no host or port")?;
    // Kibana passes Number(url.port); the 5.x proxy agents read 0 as "no port" (KP508).
    let port = match port {
        0 => kurl::default_port(url.scheme()).unwrap_or(80),
        p => p,
    };
    let authorization = (!url.username().is_empty()).then(|| {
        let value =
            probe::tunnel::basic_authorization(url.username(), url.password().unwrap_or(""));
        secrets.push(value.clone());
        secrets.push(value.trim_start_matches("Basic ").to_string());
        value
    });
    let headers = p
        .settings
        .proxy_headers
        .iter()
        .map(|(name, value)| {
            secrets.push(value.value.clone());
            (name.clone(), value.value.clone())
        })
        .collect();
    let tls = (url.scheme() == "https").then(|| {
        let mode = p
            .settings
            .proxy_verification_mode
            .as_ref()
            .map_or("full", |m| m.value.as_str());
        TlsPlan {
            servername: host
                .parse::<std::net::IpAddr>()
                .is_err()
                .then(|| host.clone()),
            hostname: host.clone(),
            check_chain: mode != "none",
            check_hostname: mode == "full",
            trust: default_trust.clone(),
        }
    });
    Ok(ProxyPlan {
        host,
        port,
        shown: kurl::mask_userinfo(raw),
        authorization,
        headers,
        tls,
    })
}

/// The connector's `config.ca`: base64 of PEM, decoded as Kibana does.
fn connector_ca(t: &Target, p: &Prepared) -> Vec<Cert> {
    let config = match &t.source {
        TargetSource::ConnectorSpec => p.connector.as_ref().and_then(|c| c.config()).cloned(),
        TargetSource::Preconfigured(id) => p
            .settings
            .preconfigured
            .iter()
            .find(|c| &c.id == id)
            .and_then(|c| c.config.clone()),
        TargetSource::CommandLine => None,
    };
    let Some(ca) = config
        .as_ref()
        .and_then(|c| c.as_map())
        .and_then(|m| m.get("ca"))
        .and_then(|n| n.as_str())
    else {
        return Vec::new();
    };
    let compact: String = ca.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map(|pem| certs_from_pem(&pem))
        .unwrap_or_default()
}
