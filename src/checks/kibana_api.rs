//! Module `kibana-api` (`check` with `KIBANA_URL`): can the tool talk to the running Kibana's
//! API the way the connector will be created — reachable, TLS trusted, credentials accepted,
//! the URL (with `server.basePath`) pointing at Kibana, the space existing — and which version
//! runs. kibana-api.md §0, §6, §7.3.

use super::{Check, Context, Outcome};
use crate::kibana_api::client::{Answer, Unreachable};
use crate::kibana_api::facts::Facts;
use crate::report::finding::Finding;
use crate::rules::{Module, Rule};

pub(crate) struct KibanaApi;

impl Check for KibanaApi {
    fn module(&self) -> Module {
        Module::KibanaApi
    }

    fn run(&self, cx: &Context, out: &mut Outcome) {
        let Some(f) = cx.kibana() else {
            out.skipped = Some(
                "skipped: KIBANA_URL is not set (give --kibana-url or KIBANA_URL to check the running Kibana)".into(),
            );
            return;
        };
        let status = match &f.status {
            Err(u) => {
                out.push(unreachable(f, u));
                out.summary(format!("{} cannot be reached", f.url));
                return;
            }
            Ok(a) => a,
        };
        if !answered_like_kibana(f, status, out) {
            out.summary(format!("{} does not answer like Kibana's API", f.url));
            return;
        }
        let version = f.version();
        let level = status
            .json
            .as_ref()
            .and_then(|j| j.pointer("/status/overall/level"))
            .and_then(|l| l.as_str())
            .unwrap_or("unknown");
        status_findings(f, status, version.as_deref(), level, out);
        if let (Some(v), true) = (&version, cx.version_given) {
            version_differs(cx, v, out);
        }
        access_findings(f, out);
        let mut summary = format!(
            "{} is Kibana {}{}, status {level}",
            f.url,
            version.as_deref().unwrap_or("(version hidden)"),
            f.space
                .as_deref()
                .map(|s| format!(", space {s}"))
                .unwrap_or_default()
        );
        if cx.live.is_some_and(|l| l.version_from_kibana) {
            summary.push_str("; judged as this version");
        }
        out.summary(summary);
    }
}

/// What `/api/status` says: a redacted answer (no credentials sent), or Kibana not available.
fn status_findings(
    f: &Facts,
    status: &Answer,
    version: Option<&str>,
    level: &str,
    out: &mut Outcome,
) {
    if version.is_none() {
        out.push(
            Finding::new(
                Rule::KibanaCredentialsMissing,
                format!("{} answers without identifying itself: the request carried {}, so Kibana gave the redacted status", f.url, f.auth),
            )
            .help("set KIBANA_API_KEY (or KIBANA_USERNAME and KIBANA_PASSWORD, or --api-key-file): the connector API needs credentials")
            .note("the version could not be read, so --kibana-version (or the default) is used"),
        );
    }
    if status.status == 503 || !matches!(level, "available" | "unknown") {
        let summary = status
            .json
            .as_ref()
            .and_then(|j| j.pointer("/status/overall/summary"))
            .and_then(|l| l.as_str())
            .unwrap_or("");
        out.push(
            Finding::new(
                Rule::KibanaUnavailable,
                format!("Kibana at {} reports its status as `{level}`{}", f.url, if summary.is_empty() { String::new() } else { format!(": {summary}") }),
            )
            .help("fix what the status names (often the connection to Elasticsearch) before creating connectors"),
        );
    }
}

/// `--kibana-version` and the running Kibana differ in major or minor: the rules judged another version.
fn version_differs(cx: &Context, v: &str, out: &mut Outcome) {
    let given = cx.version.to_string();
    let running: Vec<&str> = v.split('.').collect();
    let given_parts: Vec<&str> = given.split('.').collect();
    if running.get(..2) != given_parts.get(..2) {
        out.push(
            Finding::new(
                Rule::KibanaVersionDiffers,
                format!("--kibana-version is {given}, but the running Kibana is {v}"),
            )
            .help(format!("judge with --kibana-version {v}, or leave it out: check then uses the running version")),
        );
    }
}

/// What the credentials may reach: the space, and the connector APIs.
fn access_findings(f: &Facts, out: &mut Outcome) {
    if let Some(Ok(a)) = &f.space_check
        && a.status == 404
    {
        out.push(
            Finding::new(
                Rule::KibanaSpaceMissing,
                format!("the space `{}` does not exist in this Kibana", f.space.as_deref().unwrap_or_default()),
            )
            .kibana(a.describe())
            .help("use an existing space id (the part after /s/ in Kibana's URLs), or leave KIBANA_SPACE unset for the default space"),
        );
    }
    // A server error or no answer where the facts come from: the modules that use them would
    // judge on the files alone, so this is an error and --create does not go ahead.
    for (what, call) in [
        ("the connector types", &f.connector_types),
        ("the licence", &f.license),
        ("the alerting health", &f.health),
    ] {
        let failed = match call {
            Some(Ok(a)) if a.status >= 500 => Some(a.describe()),
            Some(Err(u)) => Some(u.message.clone()),
            _ => None,
        };
        if let Some(why) = failed {
            out.push(
                Finding::new(
                    Rule::KibanaUnavailable,
                    format!("{} could not read {what}: {why}; the checks that need them judged the files alone", f.url),
                )
                .help("fix what Kibana's log says about this API (often Elasticsearch or the encryption key) before creating connectors"),
            );
        }
    }
    for (what, call) in [
        ("connector types", &f.connector_types),
        ("alerting health", &f.health),
    ] {
        if let Some(Ok(a)) = call
            && a.status == 403
        {
            out.push(
                Finding::new(
                    Rule::KibanaApiForbidden,
                    format!("the credentials may not read {what}: {}", a.describe()),
                )
                .kibana(a.message().unwrap_or_default())
                .help("give the API key or user the Actions and Connectors privilege (`all` to create connectors) in the space"),
            );
        }
    }
}

fn unreachable(f: &Facts, u: &Unreachable) -> Finding {
    if u.kind == "tls" {
        return Finding::new(
            Rule::KibanaTlsUntrusted,
            format!("the TLS certificate of {} is not trusted: {}", f.url, u.message),
        )
        .help("give Kibana's CA with --cacert or KIBANA_CA_CERT (Mozilla's roots are trusted by default); --insecure skips verification, with a warning");
    }
    Finding::new(
        Rule::KibanaUnreachable,
        format!("{} cannot be reached: {}", f.url, u.message),
    )
    .help("check KIBANA_URL (scheme, host, port) and that this machine can reach Kibana; the endpoint and offline checks ran regardless")
}

/// Whether `/api/status` came from Kibana; reports why not otherwise.
fn answered_like_kibana(f: &Facts, a: &Answer, out: &mut Outcome) -> bool {
    match a.status {
        401 => {
            out.push(
                Finding::new(
                    Rule::KibanaCredentialsRejected,
                    format!("Kibana rejects the credentials ({}): 401 Unauthorized", f.auth),
                )
                .kibana(a.describe())
                .help("check KIBANA_API_KEY (the base64 `id:api_key` Kibana shows as `encoded`) or KIBANA_USERNAME/KIBANA_PASSWORD; an expired or invalidated key also gives 401"),
            );
            false
        }
        300..=399 => {
            out.push(
                Finding::new(
                    Rule::KibanaUrlWrong,
                    format!(
                        "{} redirects to {}: KIBANA_URL does not point at Kibana's API",
                        a.url,
                        a.location.as_deref().unwrap_or("another place")
                    ),
                )
                .help("use the URL the redirect names: usually https instead of http, or the URL with server.basePath (e.g. https://host/kibana)"),
            );
            false
        }
        _ if a.not_json() || a.status == 404 => {
            out.push(
                Finding::new(
                    Rule::KibanaUrlWrong,
                    format!(
                        "{} answered {} with {}: that is not Kibana's status API",
                        a.url,
                        a.status,
                        if a.not_json() { format!("a non-JSON page ({})", if a.content_type.is_empty() { "no content type" } else { &a.content_type }) } else { "a JSON 404".to_string() }
                    ),
                )
                .help("include server.basePath in KIBANA_URL (e.g. https://host/kibana), and point it at Kibana, not Elasticsearch or a login proxy"),
            );
            false
        }
        200 | 503 => true,
        _ => {
            out.push(
                Finding::new(
                    Rule::KibanaUnreachable,
                    format!("{} answered {}", a.url, a.describe()),
                )
                .help("check KIBANA_URL and the proxy or load balancer in front of Kibana"),
            );
            false
        }
    }
}
