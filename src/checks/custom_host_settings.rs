//! Module `custom-host-settings`: every startup warning Kibana logs for
//! `xpack.actions.customHostSettings`, and the CA files and data the entries name.
//!
//! Mirrors `lib/custom_host_settings.ts` `resolveCustomHosts`, which runs when the actions plugin
//! is constructed: each entry's URL is parsed with `new URL()` and rewritten to the canonical
//! `protocol//hostname:port`; entries with an invalid URL, a protocol other than `https:`/`smtp:`
//! or port 0 are dropped with a warning; credentials, hash and path only warn; CA files are read
//! with `readFileSync` and appended to the CA data; later duplicates of a canonical URL are
//! dropped. Nothing here is fatal, which is why these mistakes surface only as failed TLS later.

use std::collections::HashMap;

use super::{Check, Context, Outcome};
use crate::kibana::url as kurl;
use crate::model::settings::{CustomHost, Setting};
use crate::report::finding::Finding;
use crate::rules::{Module, Rule};
use crate::source::files::{CaFileStatus, PemContent, inspect_pem};

pub struct CustomHostSettings;

const PREFIX: &str = "In configuration xpack.actions.customHosts,";

impl Check for CustomHostSettings {
    fn module(&self) -> Module {
        Module::CustomHostSettings
    }

    fn run(&self, cx: &Context, out: &mut Outcome) {
        let hosts = &cx.settings.custom_hosts;
        if hosts.is_empty() {
            out.summary("xpack.actions.customHostSettings is not set: every host uses the global TLS settings and Node's CA list");
            return;
        }
        let mut kept: Vec<(String, &CustomHost)> = Vec::new();
        let mut by_canonical: HashMap<String, &CustomHost> = HashMap::new();
        for host in hosts {
            let Some(canonical) = resolve(host, out) else {
                continue;
            };
            ca(cx, host, out);
            smtp_conflict(host, out);
            ssl_without_mode(cx, host, out);
            if let Some(first) = by_canonical.get(&canonical) {
                out.push(
                    Finding::new(
                        Rule::CustomHostDuplicateUrl,
                        format!("customHostSettings[{}] is ignored: an earlier entry has the same canonical URL `{canonical}`", host.index),
                    )
                    .at(host.url.location())
                    .label("ignored")
                    .also(first.url.location(), "this entry wins")
                    .setting(&host.url.path)
                    .kibana(format!("{PREFIX} multiple URLs match the canonical url \"{canonical}\"; only the first will be used"))
                    .help("merge the two entries; URLs are compared as protocol://hostname:port, with the default port filled in"),
                );
                continue;
            }
            by_canonical.insert(canonical.clone(), host);
            kept.push((canonical, host));
        }
        let listed: Vec<&str> = kept.iter().map(|(c, _)| c.as_str()).collect();
        out.summary(format!(
            "{} of {} entries apply: {}",
            kept.len(),
            hosts.len(),
            if listed.is_empty() {
                "none".to_string()
            } else {
                listed.join(", ")
            }
        ));
    }
}

/// `new URL()`, canonical form, and the per-URL warnings; `None` when Kibana drops the entry.
fn resolve(host: &CustomHost, out: &mut Outcome) -> Option<String> {
    let raw = host.url.value.as_str();
    let shown = kurl::mask_userinfo(raw);
    let url_at = host.url.location();
    let Some(url) = kurl::parse(raw) else {
        out.push(
            Finding::new(
                Rule::CustomHostInvalidUrl,
                format!(
                    "customHostSettings[{}] is ignored: `{shown}` is not a valid URL",
                    host.index
                ),
            )
            .at(url_at)
            .setting(&host.url.path)
            .kibana(format!(
                "{PREFIX} invalid URL \"{shown}\", ignoring; error: {}",
                kurl::INVALID_URL
            ))
            .help("write the full URL with its scheme: https://host[:port]"),
        );
        return None;
    };
    let (canonical, port) = kurl::canonical(&url);
    if !matches!(url.scheme(), "https" | "smtp") {
        let help = if url.scheme() == "http" {
            "customHostSettings only apply to TLS: use https://… (plain http: needs no entry)"
                .to_string()
        } else if url.scheme().contains('.') {
            // `hooks.example.com:8443` parses, with the hostname taken for a scheme.
            format!(
                "`{shown}` has no scheme, so `new URL()` reads `{}:` as one: write https://{shown}",
                url.scheme()
            )
        } else {
            "use an https:// (or smtp://) URL".to_string()
        };
        out.push(
            Finding::new(
                Rule::CustomHostUnsupportedProtocol,
                format!("customHostSettings[{}] is ignored: Kibana only applies entries for https: and smtp: URLs, not `{}:`", host.index, url.scheme()),
            )
            .at(url_at)
            .setting(&host.url.path)
            .kibana(format!("{PREFIX} unsupported protocol used in URL \"{shown}\", ignoring"))
            .help(help),
        );
        return None;
    }
    if port == 0 {
        out.push(
            Finding::new(
                Rule::CustomHostNoPort,
                format!(
                    "customHostSettings[{}] is ignored: its port is 0",
                    host.index
                ),
            )
            .at(url_at)
            .setting(&host.url.path)
            .kibana(format!(
                "{PREFIX} unable to determine port for URL \"{shown}\", ignoring"
            ))
            .help("give the real port, or none for the default (443 for https, 25 for smtp)"),
        );
        return None;
    }
    if kurl::has_credentials(&url) {
        out.push(
            Finding::new(
                Rule::CustomHostUrlCredentials,
                format!("customHostSettings[{}] has credentials in its URL; Kibana ignores them", host.index),
            )
            .at(url_at)
            .setting(&host.url.path)
            .kibana(format!("{PREFIX} URL \"{shown}\" contains authentication information which will be ignored, but should be removed from the configuration"))
            .help("remove `user:password@`: the entry only selects TLS settings, and credentials do not belong in kibana.yml"),
        );
    }
    if url.fragment().is_some() {
        out.push(
            Finding::new(
                Rule::CustomHostUrlHash,
                format!(
                    "customHostSettings[{}] has a `#fragment` in its URL; Kibana ignores it",
                    host.index
                ),
            )
            .at(url_at)
            .setting(&host.url.path)
            .kibana(format!(
                "{PREFIX} URL \"{shown}\" contains hash information which will be ignored"
            ))
            .help(format!("write `{canonical}`")),
        );
    }
    let path = url.path();
    if !path.is_empty() && path != "/" {
        out.push(
            Finding::new(
                Rule::CustomHostUrlPath,
                format!("customHostSettings[{}] has a path in its URL; Kibana ignores it: the entry applies to every path on {}", host.index, canonical),
            )
            .at(url_at)
            .setting(&host.url.path)
            .kibana(format!("{PREFIX} URL \"{shown}\" contains path information which will be ignored"))
            .help(format!("write `{canonical}`")),
        );
    }
    if let Some(smtp) = &host.smtp
        && url.scheme() != "smtp"
    {
        out.push(
            Finding::new(
                Rule::CustomHostSmtpNotSmtp,
                format!("customHostSettings[{}] has an `smtp` block but an {}: URL; Kibana drops the block", host.index, url.scheme()),
            )
            .at(smtp.location())
            .setting(&smtp.path)
            .kibana(format!("{PREFIX} URL \"{shown}\" contains smtp properties but does not use smtp; ignoring smtp properties"))
            .help("remove the smtp block, or use an smtp://host:port URL for an email server"),
        );
    }
    Some(canonical)
}

/// `requireTLS` and `ignoreTLS` both true: Kibana keeps requireTLS.
fn smtp_conflict(host: &CustomHost, out: &mut Outcome) {
    let (Some(require), Some(ignore)) = (&host.require_tls, &host.ignore_tls) else {
        return;
    };
    if !(require.value && ignore.value) || host.url.value.to_ascii_lowercase().starts_with("https")
    {
        return;
    }
    out.push(
        Finding::new(
            Rule::CustomHostTlsConflict,
            format!("customHostSettings[{}] sets both smtp.requireTLS and smtp.ignoreTLS; Kibana uses requireTLS and ignores ignoreTLS", host.index),
        )
        .at(ignore.location())
        .also(require.location(), "wins")
        .setting(&ignore.path)
        .kibana(format!("{PREFIX} URL \"{}\" cannot have both requireTLS and ignoreTLS set to true; using requireTLS: true and ignoreTLS: false", kurl::mask_userinfo(&host.url.value)))
        .help("keep only the one you mean"),
    );
}

/// An `ssl` block without `verificationMode` behaves differently across Kibana copies of
/// `getSSLSettingsFromConfig` (`{}` vs `full`); it matters only when the global mode is relaxed.
fn ssl_without_mode(cx: &Context, host: &CustomHost, out: &mut Outcome) {
    let (Some(ssl), None) = (&host.ssl, &host.verification_mode) else {
        return;
    };
    let Some(global) = &cx.settings.verification_mode else {
        return;
    };
    if global.value == "full" {
        return;
    }
    out.push(
        Finding::new(
            Rule::CustomHostSslWithoutMode,
            format!("customHostSettings[{}] has an ssl block without verificationMode, while the global mode is `{}`: whether this host uses `{}` or `full` depends on the Kibana build", host.index, global.value, global.value),
        )
        .at(ssl.location())
        .also(global.location(), "global mode")
        .setting(&ssl.path)
        .help(format!("set `verificationMode` in this entry explicitly (e.g. `{}` or `full`)", global.value))
        .note("not verified: some builds return {} for an unset mode (global applies), newer @kbn/actions-utils returns full"),
    );
}

/// The CA files and data: what Kibana will put in the `ca` option for this host.
fn ca(cx: &Context, host: &CustomHost, out: &mut Outcome) {
    for file in &host.ca_files {
        let path = file.value.as_str();
        if !std::path::Path::new(path).is_absolute() {
            out.push(
                Finding::new(
                    Rule::CaFileRelativePath,
                    format!("`{path}` is a relative path: Kibana resolves it against its working directory, not the directory of kibana.yml"),
                )
                .at(file.location())
                .setting(&file.path)
                .help("use an absolute path (in the Docker image the working directory is /usr/share/kibana)")
                .note("checked here relative to the current directory"),
            );
        }
        match cx.ca_files.get(path) {
            Some(CaFileStatus::Unreadable { reason, node_error }) => {
                let mut f = Finding::new(
                    Rule::CaFileUnreadable,
                    format!("CA file `{path}` cannot be read ({reason}): Kibana ignores it, and TLS to {} will not trust this CA", kurl::mask_userinfo(&host.url.value)),
                )
                .at(file.location())
                .setting(&file.path)
                .help("fix the path or the permissions; if Kibana runs elsewhere (e.g. in a container), check the path there")
                .note("checked on this machine; Kibana reads the path on its own host");
                if !node_error.is_empty() {
                    f = f.kibana(format!("error reading file \"{path}\" specified in xpack.actions.customHosts, ignoring: {node_error}"));
                }
                out.push(f);
            }
            Some(CaFileStatus::Read(content)) => {
                pem_finding(content, file, &format!("CA file `{path}`"), out)
            }
            None => {}
        }
    }
    if let Some(data) = &host.ca_data {
        let content = inspect_pem(data.value.as_bytes());
        pem_finding(&content, data, "certificateAuthoritiesData", out);
    }
}

fn pem_finding(content: &PemContent, at: &Setting<String>, what: &str, out: &mut Outcome) {
    let problem = match content {
        PemContent::Certificates(_) => return,
        PemContent::NotPem => {
            "holds no PEM certificate (`-----BEGIN CERTIFICATE-----`)".to_string()
        }
        PemContent::OtherBlocks(labels) => format!(
            "holds {} but no certificate",
            labels
                .iter()
                .map(|l| format!("a {l}"))
                .collect::<Vec<_>>()
                .join(" and ")
        ),
        PemContent::Invalid(why) => why.clone(),
    };
    out.push(
        Finding::new(
            Rule::CaNotPem,
            format!("{what} {problem}: Kibana's TLS client cannot trust anything from it"),
        )
        .at(at.location())
        .setting(&at.path)
        .help("give the CA certificate(s) in PEM form; convert DER with `openssl x509 -inform der -in ca.der -out ca.pem`"),
    );
}
