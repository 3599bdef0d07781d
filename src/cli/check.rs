//! `kibana-preflight check`: lint one configuration, then probe its webhook URLs on the network.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::lint::{fail_on, options};
use super::{
    CheckArgs, DeployArgs, EXIT_FINDINGS, EXIT_USAGE, KibanaArgs, ProbeArgs, SourceArgs,
    usage_error,
};
use crate::kibana_api::client::{Auth, Connection};
use crate::live::{CheckOptions, Progress, check_with_progress};
use crate::probe::{self, Override};
use crate::report::Totals;
use crate::report::text::Paint;

pub(crate) fn run(args: CheckArgs, color: bool) -> u8 {
    let files: Vec<PathBuf> = args.files.iter().chain(&args.configs).cloned().collect();
    if files.is_empty() && args.source.urls.is_empty() && args.source.connector.is_none() {
        return usage_error(
            "nothing to check: give kibana.yml files, --url URL or --connector FILE",
        );
    }
    let opts = match check_options(&args.source, &args.probe, &args.kibana, Some(&args.deploy)) {
        Ok(o) => o,
        Err(code) => return code,
    };
    // A line per target on a terminal; nothing extra when piped.
    let progress: Option<Arc<dyn Progress>> = std::io::stderr()
        .is_terminal()
        .then(|| Arc::new(Bars::default()) as Arc<dyn Progress>);
    let report = match check_with_progress(&files, &opts, progress) {
        Ok(r) => r,
        Err(e) => return usage_error(e),
    };
    let inputs = super::input_paths(&files, &opts.lint);
    emit(report, &args.output, color, opts.lint.version, &inputs)
}

/// Writes the report to every output the flags ask for; the exit code follows --fail-on.
pub(super) fn emit(
    report: crate::report::Report,
    output: &super::OutputArgs,
    color: bool,
    version: crate::version::Version,
    inputs: &[PathBuf],
) -> u8 {
    let fail_on = fail_on(output.fail_on);
    let extra = super::policy().and_then(|p| p.file_report(version));
    let mut failed = fail_on.failed(Totals::of(std::slice::from_ref(&report)));
    if let Some(r) = &extra {
        failed |= fail_on.failed(Totals::of(std::slice::from_ref(r)));
    }
    let settings = crate::report::sink::RenderOptions {
        paint: Paint { color },
        fail_on,
        multi: extra.is_some(),
        version,
        docs_url: super::policy().and_then(|p| p.docs_url.clone()),
    };
    let outs = match super::outputs(output, inputs) {
        Ok(o) => o,
        Err(e) => return usage_error(e),
    };
    let mut outputs = match crate::report::sink::Outputs::begin(outs, settings) {
        Ok(o) => o,
        // Nobody is reading (`| head` already exited): nothing to report to.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return 0,
        Err(e) => return usage_error(format!("cannot start the report: {e}")),
    };
    let mut writing = super::WriteState::default();
    for r in std::iter::once(&report).chain(extra.as_ref()) {
        let parts = crate::report::sink::Outputs::render(&outputs.kinds, &outputs.settings, r);
        writing.write(|| outputs.write(&parts));
    }
    writing.write(|| outputs.finish());
    if writing.failed {
        EXIT_USAGE
    } else if failed {
        EXIT_FINDINGS
    } else {
        0
    }
}

/// The check options the arguments describe; `Err` is the exit code after printing why.
pub(super) fn check_options(
    source: &SourceArgs,
    probe_args: &ProbeArgs,
    kibana_args: &KibanaArgs,
    deploy_args: Option<&DeployArgs>,
) -> Result<CheckOptions, u8> {
    let mut lint = options(source)?;
    if deploy_args.is_some() {
        super::lint::connector_id_needs_spec(source)?;
    }
    if !(probe_args.timeout > 0.0 && probe_args.timeout <= 600.0) {
        return Err(usage_error("--timeout takes seconds between 0 and 600"));
    }
    let dns_server = match probe_args.dns_server.as_deref().map(parse_dns_server) {
        Some(Ok(a)) => Some(a),
        Some(Err(e)) => return Err(usage_error(e)),
        None => None,
    };
    let mut resolve = Vec::new();
    for r in &probe_args.resolve {
        resolve.push(r.parse::<Override>().map_err(usage_error)?);
    }
    let node_extra_ca_certs = probe_args.node_extra_ca_certs.clone().or_else(|| {
        (!source.no_process_env)
            .then(|| std::env::var_os("NODE_EXTRA_CA_CERTS").map(PathBuf::from))
            .flatten()
    });
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let kibana = connection(kibana_args, probe_args.timeout).map_err(usage_error)?;
    if lint.connector_id.is_none() {
        lint.connector_id = std::env::var("KIBANA_CONNECTOR_ID")
            .ok()
            .filter(|s| !s.is_empty());
    }
    // The id becomes a path segment of the API URL: one that could leave it (`..`, `/`, `?`)
    // would send the body and the credentials to another API.
    if let Some(id) = &lint.connector_id
        && !path_safe(id)
    {
        return Err(usage_error(format!(
            "connector id {id:?} cannot be a URL path segment: use letters, digits, `-`, `_` and `.` (not `.` or `..` alone)"
        )));
    }
    let (create, update, test) =
        deploy_args.map_or((false, false, false), |d| (d.create, d.update, d.test));
    if create || test {
        if kibana.is_none() {
            return Err(usage_error(
                "--create and --test need the running Kibana: give --kibana-url or KIBANA_URL",
            ));
        }
        if lint.connector.is_none() {
            return Err(usage_error(
                "--create and --test need the connector spec: give --connector FILE",
            ));
        }
        if lint.connector_id.is_none() {
            return Err(usage_error(
                "--create and --test need a connector id so re-running is safe: give --connector-id or KIBANA_CONNECTOR_ID",
            ));
        }
    }
    let test_body = match deploy_args.and_then(|d| d.test_body.as_ref()) {
        Some(path) => crate::source::files::read_capped_text(path).map_err(usage_error)?,
        None => crate::kibana_api::connectors::DEFAULT_TEST_BODY.to_string(),
    };
    Ok(CheckOptions {
        lint,
        probe: probe::ProbeConfig {
            timeout: Duration::from_secs_f64(probe_args.timeout),
            dns_server,
            resolve,
            now,
            concurrency: probe_args.concurrency.max(1),
        },
        node_extra_ca_certs,
        expiry_warning_days: probe_args.expiry_warning_days,
        kibana,
        deploy: crate::kibana_api::connectors::Options {
            create,
            update,
            test,
            test_body,
        },
    })
}

/// `ADDR` or `ADDR:PORT`, IPv6 bracketed when a port is given; port 53 by default.
fn parse_dns_server(s: &str) -> Result<SocketAddr, String> {
    if let Ok(a) = s.parse::<SocketAddr>() {
        return Ok(a);
    }
    s.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .map(|ip| SocketAddr::new(ip, 53))
        .map_err(|_| format!("--dns-server takes an address, optionally with a port (10.0.0.53, 127.0.0.1:5353, [::1]:53), not `{s}`"))
}

/// indicatif spinners, one per target, on stderr.
#[derive(Default)]
struct Bars {
    bars: Mutex<Vec<indicatif::ProgressBar>>,
    urls: Mutex<Vec<String>>,
}

impl Progress for Bars {
    fn started(&self, urls: &[String]) {
        let multi = indicatif::MultiProgress::new();
        let style = indicatif::ProgressStyle::with_template("{spinner} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
        let bars = urls
            .iter()
            .map(|u| {
                let b = multi.add(indicatif::ProgressBar::new_spinner());
                b.set_style(style.clone());
                b.set_message(format!("probing {u}"));
                b.enable_steady_tick(Duration::from_millis(100));
                b
            })
            .collect();
        *self.bars.lock().expect("not poisoned") = bars;
        *self.urls.lock().expect("not poisoned") = urls.to_vec();
    }

    fn done(&self, index: usize, outcome: &probe::TargetProbe) {
        let bars = self.bars.lock().expect("not poisoned");
        let urls = self.urls.lock().expect("not poisoned");
        if let (Some(b), Some(u)) = (bars.get(index), urls.get(index)) {
            let line = match outcome.first_failure() {
                Some(f) => format!("✗ {u}: [{}]", f.node_error),
                None => format!("✓ {u}"),
            };
            b.finish_with_message(line);
        }
    }
}

/// The Kibana connection from flags and KIBANA_* variables; credentials only from the
/// environment or files.
pub(super) fn connection(args: &KibanaArgs, timeout: f64) -> Result<Option<Connection>, String> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let Some(raw) = args.kibana_url.clone().or_else(|| env("KIBANA_URL")) else {
        return Ok(None);
    };
    let url = url::Url::parse(&raw)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .ok_or("KIBANA_URL must be an http(s) URL such as https://kibana.example.com:5601 (with server.basePath if Kibana has one)")?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("KIBANA_URL must not carry credentials: use KIBANA_API_KEY, or KIBANA_USERNAME and KIBANA_PASSWORD".into());
    }
    let read = |p: &std::path::Path| {
        crate::source::files::read_capped_text(p).map(|s| s.trim().to_string())
    };
    let api_key = match &args.api_key_file {
        Some(p) => Some(read(p)?),
        None => env("KIBANA_API_KEY"),
    };
    let auth = match (api_key, env("KIBANA_USERNAME")) {
        (Some(k), _) => Auth::ApiKey(k),
        (None, Some(user)) => {
            let password = match &args.password_file {
                Some(p) => read(p)?,
                None => env("KIBANA_PASSWORD").ok_or(
                    "KIBANA_USERNAME is set but KIBANA_PASSWORD (or --password-file) is not",
                )?,
            };
            Auth::Basic { user, password }
        }
        (None, None) => Auth::None,
    };
    let ca_pem = match args
        .cacert
        .clone()
        .or_else(|| env("KIBANA_CA_CERT").map(PathBuf::from))
    {
        Some(p) => {
            let file =
                std::fs::File::open(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            Some(crate::source::files::read_capped(
                file,
                &p.display().to_string(),
            )?)
        }
        None => None,
    };
    if args.insecure {
        eprintln!(
            "kibana-preflight: warning: --insecure: Kibana's TLS certificate is not verified"
        );
    }
    let space = args.space.clone().or_else(|| env("KIBANA_SPACE"));
    // Kibana's space ids: lower-case letters, digits, `_` and `-` (spaces plugin `isValidSpaceIdentifier`).
    if let Some(s) = &space
        && (s.is_empty()
            || !s
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'))
    {
        return Err(format!(
            "space {s:?} is not a Kibana space id (lower-case letters, digits, `_` and `-`)"
        ));
    }
    Ok(Some(Connection {
        base: raw.trim_end_matches('/').to_string(),
        space,
        auth,
        ca_pem,
        insecure: args.insecure,
        timeout: Duration::from_secs_f64(timeout.max(1.0)),
        verbose: args.verbose,
    }))
}

/// Whether `id` stays one path segment: unreserved characters only, and not `.` or `..`.
fn path_safe(id: &str) -> bool {
    !id.is_empty()
        && id != "."
        && id != ".."
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
}
