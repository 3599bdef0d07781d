//! Module `custom-host-settings`: every startup warning Kibana logs for
//! `xpack.actions.customHostSettings`, and the CA files and data the entries name.
//!
//! Mirrors `lib/custom_host_settings.ts` `resolveCustomHosts`, which runs when the actions plugin
//! is constructed: each entry's URL is parsed with `new URL()` and rewritten to the canonical
//! `protocol//hostname:port`; entries with an invalid URL, a protocol other than `https:`/`smtp:`
//! or port 0 are dropped with a warning; credentials, hash and path only warn; CA files are read
//! with `readFileSync` and appended to the CA data; later duplicates of a canonical URL are
//! dropped. Nothing here is fatal, which is why these mistakes surface only as failed TLS later.

use super::{Check, Context, Outcome};
use crate::kibana::custom_hosts::{Dropped, Resolved, Warning};
use crate::kibana::settings::{CustomHost, Setting};
use crate::kibana::url as kurl;
use crate::report::finding::Finding;
use crate::rules::{Module, Rule};
use crate::source::files::{CaFileStatus, PemContent, inspect_pem};

pub(crate) struct CustomHostSettings;

const PREFIX: &str = "In configuration xpack.actions.customHosts,";

impl Check for CustomHostSettings {
    fn module(&self) -> Module {
        Module::CustomHostSettings
    }

    fn run(&self, cx: &Context, out: &mut Outcome) {
        let hosts = &cx.settings.custom_hosts;
        for (host, resolved) in hosts.iter().zip(cx.custom_hosts) {
            entry(cx, host, resolved, out);
        }
        targets(cx, out);
        if hosts.is_empty() {
            out.summary("xpack.actions.customHostSettings is not set: every host uses the global TLS settings and Node's CA list");
            return;
        }
        let listed: Vec<&str> = cx
            .custom_hosts
            .iter()
            .filter(|r| r.applies())
            .filter_map(|r| r.canonical.as_deref())
            .collect();
        out.summary(format!(
            "{} of {} entries apply: {}",
            listed.len(),
            hosts.len(),
            if listed.is_empty() {
                "none".to_string()
            } else {
                listed.join(", ")
            }
        ));
    }
}

/// The findings for one entry: Kibana's startup warnings, then its CA and TLS settings.
fn entry(cx: &Context, host: &CustomHost, r: &Resolved, out: &mut Outcome) {
    let shown = kurl::mask_userinfo(&host.url.value);
    let canonical = r.canonical.clone().unwrap_or_default();
    if dropped(host, r, &shown, out) {
        return;
    }
    url_warnings(host, r, &shown, &canonical, out);
    ca(cx, host, out);
    ssl_without_mode(cx, host, out);
    certificate_mode(cx, host, out);
    if let Some(Dropped::Duplicate { first }) = &r.dropped {
        duplicate(cx, host, *first, &canonical, out);
    }
}

/// A finding at the entry's URL.
fn url_finding(host: &CustomHost, rule: Rule, message: String) -> Finding {
    Finding::new(rule, message)
        .at(host.url.location())
        .setting(&host.url.path)
}

/// Kibana drops the entry at once (invalid URL, protocol, port 0): report that alone. Returns
/// whether it was dropped so; a duplicate is still judged like an applying entry.
fn dropped(host: &CustomHost, r: &Resolved, shown: &str, out: &mut Outcome) -> bool {
    match &r.dropped {
        Some(Dropped::InvalidUrl) => {
            out.push(
                url_finding(
                    host,
                    Rule::CustomHostInvalidUrl,
                    format!(
                        "customHostSettings[{}] is ignored: `{shown}` is not a valid URL",
                        host.index
                    ),
                )
                .kibana(format!(
                    "{PREFIX} invalid URL \"{shown}\", ignoring; error: {}",
                    kurl::INVALID_URL
                ))
                .help("write the full URL with its scheme: https://host[:port]"),
            );
            true
        }
        Some(Dropped::UnsupportedProtocol { protocol }) => {
            let help = if protocol == "http" {
                "customHostSettings only apply to TLS: use https://… (plain http: needs no entry)"
                    .to_string()
            } else if protocol.contains('.') {
                // `hooks.example.com:8443` parses, with the hostname taken for a scheme.
                format!(
                    "`{shown}` has no scheme, so `new URL()` reads `{protocol}:` as one: write https://{shown}"
                )
            } else {
                "use an https:// (or smtp://) URL".to_string()
            };
            out.push(
                url_finding(
                    host,
                    Rule::CustomHostUnsupportedProtocol,
                    format!("customHostSettings[{}] is ignored: Kibana only applies entries for https: and smtp: URLs, not `{protocol}:`", host.index),
                )
                .kibana(format!("{PREFIX} unsupported protocol used in URL \"{shown}\", ignoring"))
                .help(help),
            );
            true
        }
        Some(Dropped::NoPort) => {
            out.push(
                url_finding(
                    host,
                    Rule::CustomHostNoPort,
                    format!(
                        "customHostSettings[{}] is ignored: its port is 0",
                        host.index
                    ),
                )
                .kibana(format!(
                    "{PREFIX} unable to determine port for URL \"{shown}\", ignoring"
                ))
                .help("give the real port, or none for the default (443 for https, 25 for smtp)"),
            );
            true
        }
        Some(Dropped::Duplicate { .. }) | None => false,
    }
}

/// The warnings Kibana logs for an entry it keeps: URL parts it ignores, and smtp mismatches.
fn url_warnings(host: &CustomHost, r: &Resolved, shown: &str, canonical: &str, out: &mut Outcome) {
    for w in &r.warnings {
        let f = match w {
            Warning::Credentials => url_finding(
                host,
                Rule::CustomHostUrlCredentials,
                format!("customHostSettings[{}] has credentials in its URL; Kibana ignores them", host.index),
            )
            .kibana(format!("{PREFIX} URL \"{shown}\" contains authentication information which will be ignored, but should be removed from the configuration"))
            .help("remove `user:password@`: the entry only selects TLS settings, and credentials do not belong in kibana.yml"),
            Warning::Hash => url_finding(
                host,
                Rule::CustomHostUrlHash,
                format!("customHostSettings[{}] has a `#fragment` in its URL; Kibana ignores it", host.index),
            )
            .kibana(format!("{PREFIX} URL \"{shown}\" contains hash information which will be ignored"))
            .help(format!("write `{canonical}`")),
            Warning::Path => url_finding(
                host,
                Rule::CustomHostUrlPath,
                format!("customHostSettings[{}] has a path in its URL; Kibana ignores it: the entry applies to every path on {canonical}", host.index),
            )
            .kibana(format!("{PREFIX} URL \"{shown}\" contains path information which will be ignored"))
            .help(format!("write `{canonical}`")),
            Warning::SmtpOnNonSmtp => {
                let Some(smtp) = &host.smtp else { continue };
                Finding::new(
                    Rule::CustomHostSmtpNotSmtp,
                    format!(
                        "customHostSettings[{}] has an `smtp` block but an {}: URL; Kibana drops the block",
                        host.index,
                        r.protocol.as_deref().unwrap_or("")
                    ),
                )
                .at(smtp.location())
                .setting(&smtp.path)
                .kibana(format!("{PREFIX} URL \"{shown}\" contains smtp properties but does not use smtp; ignoring smtp properties"))
                .help("remove the smtp block, or use an smtp://host:port URL for an email server")
            }
            Warning::RequireAndIgnoreTls => {
                smtp_conflict(host, out);
                continue;
            }
        };
        out.push(f);
    }
}

/// A later entry with an earlier one's canonical URL: Kibana keeps only the first.
fn duplicate(cx: &Context, host: &CustomHost, first: usize, canonical: &str, out: &mut Outcome) {
    let first_at = cx
        .settings
        .custom_hosts
        .iter()
        .find(|h| h.index == first)
        .and_then(|h| h.url.location());
    out.push(
        url_finding(
            host,
            Rule::CustomHostDuplicateUrl,
            format!("customHostSettings[{}] is ignored: an earlier entry has the same canonical URL `{canonical}`", host.index),
        )
        .label("ignored")
        .also(first_at, "this entry wins")
        .kibana(format!("{PREFIX} multiple URLs match the canonical url \"{canonical}\"; only the first will be used"))
        .help("merge the two entries; URLs are compared as protocol://hostname:port, with the default port filled in"),
    );
}

/// For each target: an entry that looks meant for it but does not apply, or an applying entry
/// whose CA cannot work.
fn targets(cx: &Context, out: &mut Outcome) {
    for t in cx.targets {
        let d = &t.decision;
        if let Some(index) = d.custom_host {
            let Some(r) = cx.custom_hosts.iter().find(|r| r.index == index) else {
                continue;
            };
            if let Some(ca) = &r.ca
                && !ca.usable
                && d.tls.as_ref().is_some_and(|tls| tls.verify_chain)
            {
                let host = &cx.settings.custom_hosts[index];
                out.push(
                    Finding::new(
                        Rule::CustomHostCaUnusable,
                        format!(
                            "`{}` uses customHostSettings[{index}], whose CA data holds no usable certificate; it replaces Node's CA list, so no server certificate can be trusted",
                            t.shown_url()
                        ),
                    )
                    .at(t.location.or(host.url.location()))
                    .also(
                        host.ca_data
                            .as_ref()
                            .and_then(|d| d.location())
                            .or_else(|| host.ca_files.first().and_then(|f| f.location())),
                        "CA configured here",
                    )
                    .setting(&host.url.path)
                    .help("put the PEM certificate of the CA that signed the webhook server's certificate (and its intermediates) in certificateAuthoritiesFiles or certificateAuthoritiesData"),
                );
            }
            continue;
        }
        // Entries only ever apply to TLS; a plain http: target has nothing to miss.
        let (Some(hostname), Some(canonical), Some("https")) =
            (&d.whatwg_hostname, &d.canonical, d.scheme.as_deref())
        else {
            continue;
        };
        for r in cx.custom_hosts {
            if r.hostname.as_deref() != Some(hostname.as_str())
                || r.canonical.as_deref() == Some(canonical)
            {
                continue;
            }
            let host = &cx.settings.custom_hosts[r.index];
            let why = match &r.dropped {
                Some(Dropped::UnsupportedProtocol { protocol }) => {
                    format!("Kibana drops it because its protocol is `{protocol}:`")
                }
                Some(Dropped::NoPort) => "Kibana drops it because its port is 0".to_string(),
                Some(Dropped::Duplicate { first }) => {
                    format!("Kibana drops it as a duplicate of customHostSettings[{first}]")
                }
                Some(Dropped::InvalidUrl) => continue,
                None => format!(
                    "it is for `{}` and the target is `{canonical}`",
                    r.canonical.as_deref().unwrap_or("")
                ),
            };
            out.push(
                Finding::new(
                    Rule::CustomHostNearMiss,
                    format!(
                        "customHostSettings[{}] looks meant for `{}` but does not apply: {why}",
                        r.index,
                        t.shown_url()
                    ),
                )
                .at(host.url.location())
                .also(t.location, "target")
                .setting(&host.url.path)
                .help(format!(
                    "entries match on protocol://hostname:port; for this target write `{}`",
                    canonical.trim_end_matches(":443")
                )),
            );
        }
    }
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
            if cx.version >= crate::version::Version::new(9, 3, 0) {
                format!("customHostSettings[{}] has an ssl block without verificationMode, so Kibana {} verifies this host in `full` mode, not the global `{}` (from 9.3 the entry's unset mode means full)", host.index, cx.version, global.value)
            } else {
                format!("customHostSettings[{}] has an ssl block without verificationMode, so Kibana {} keeps the global `{}` for this host; from 9.3 the same entry means `full`", host.index, cx.version, global.value)
            },
        )
        .at(ssl.location())
        .also(global.location(), "global mode")
        .setting(&ssl.path)
        .help(format!("set `verificationMode` in this entry explicitly (e.g. `{}` or `full`)", global.value))
        .note("the x-pack copy of getSSLSettingsFromConfig returns {} for an unset mode (the global applies), the @kbn/actions-utils copy returns full; that 9.3.0 is the first release on the latter comes from PR labels, not from the release tags"),
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

/// Kibana overrides only `rejectUnauthorized` from an entry's `verificationMode`, not
/// `checkServerIdentity` (get_custom_agents.ts), so an entry cannot switch hostname checking on or
/// off: it follows the connector's or the global mode.
fn certificate_mode(cx: &Context, host: &CustomHost, out: &mut Outcome) {
    let Some(mode) = &host.verification_mode else {
        return;
    };
    let global = cx
        .settings
        .verification_mode
        .as_ref()
        .map_or("full", |g| g.value.as_str());
    let message = match (mode.value.as_str(), global) {
        ("certificate", "full") => format!(
            "customHostSettings[{}] sets `verificationMode: certificate`, but Kibana only takes the chain check from it: the hostname is still checked (the global mode is full)",
            host.index
        ),
        // getNodeSSLOptions('none') never replaces checkServerIdentity: once the entry turns
        // rejectUnauthorized back on, Node checks the name too.
        ("certificate", "none") => format!(
            "customHostSettings[{}] sets `verificationMode: certificate`, but the hostname is still checked: the global mode none never turns Node's hostname check off, and the entry turns verification back on",
            host.index
        ),
        ("full", "certificate") => format!(
            "customHostSettings[{}] sets `verificationMode: full`, but the hostname is not checked: Kibana takes only the chain check from the entry, and the global mode is certificate",
            host.index
        ),
        _ => return,
    };
    let global_at = cx
        .settings
        .verification_mode
        .as_ref()
        .and_then(|g| g.location());
    out.push(
        Finding::new(Rule::CustomHostModeNotApplied, message)
            .at(mode.location())
            .also(global_at, "global mode")
            .setting(&mode.path)
            .help("set the mode the connector needs on the connector itself (config.verificationMode, 8.10+), or change the global xpack.actions.ssl.verificationMode")
            .note("derived from Kibana's code (get_custom_agents.ts, get_node_ssl_options.ts) and observed with Node 20; Kibana's tests check only rejectUnauthorized"),
    );
}
