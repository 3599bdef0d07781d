//! Module `proxy`: will connector requests go through `xpack.actions.proxyUrl` as the settings
//! suggest?
//!
//! Kibana uses a proxy only when `proxyUrl` is set (`getProxySettings`); an unparseable URL is
//! only a startup warning, and requests then go direct. `proxyBypassHosts` and `proxyOnlyHosts`
//! are exact `Set.has()` lookups of the WHATWG hostname (lower-cased, IPv6 in brackets), and if
//! both are set `proxyOnlyHosts` is dropped with a warning (`config.ts` `getValidatedConfig`).

use super::{Check, Context, Outcome};
use crate::kibana::hostname;
use crate::kibana::settings::{Setting, Settings, StringList};
use crate::kibana::url as kurl;
use crate::report::finding::Finding;
use crate::rules::{Module, Rule};
use crate::version::Version;
use url::Url;

pub(crate) struct Proxy;

impl Check for Proxy {
    fn module(&self) -> Module {
        Module::Proxy
    }

    fn run(&self, cx: &Context, out: &mut Outcome) {
        let s = cx.settings;
        let typo = cx.version < Version::new(9, 0, 0);
        host_lists(s, typo, out);

        let Some(proxy) = &s.proxy_url else {
            unused_without_proxy(s, out);
            out.summary("no proxy: connector requests go direct (xpack.actions.proxyUrl not set)");
            return;
        };
        let raw = proxy.value.as_str();
        let shown = kurl::mask_userinfo(raw);
        let Some(url) = kurl::parse(raw) else {
            invalid_url(proxy, &shown, typo, out);
            out.summary("the proxy URL is invalid: requests would go direct");
            return;
        };
        if !matches!(url.scheme(), "http" | "https") {
            unsupported_scheme(proxy, &url, &shown, out);
            out.summary(format!("the proxy URL {shown} cannot work"));
            return;
        }
        url_warnings(proxy, &url, &shown, out);
        internal_targets(cx, proxy, &shown, out);
        ignored_tls(cx, out);
        out.summary(proxied_summary(s, &shown));
    }
}

/// The bypass/only lists: each entry on its own, then the pair, which Kibana does not allow.
fn host_lists(s: &Settings, typo: bool, out: &mut Outcome) {
    for (list, name) in [
        (&s.proxy_bypass_hosts, "proxyBypassHosts"),
        (&s.proxy_only_hosts, "proxyOnlyHosts"),
    ] {
        if let Some(list) = list {
            host_entries(list, name, out);
        }
    }
    if let (Some(bypass), Some(only)) = (&s.proxy_bypass_hosts, &s.proxy_only_hosts) {
        let conf = if typo {
            "confgurations"
        } else {
            "configurations"
        };
        out.push(
            Finding::new(
                Rule::ProxyBypassAndOnly,
                "`proxyBypassHosts` and `proxyOnlyHosts` are both set; Kibana ignores proxyOnlyHosts",
            )
            .at(only.location())
            .label("ignored")
            .also(bypass.location(), "used")
            .setting(&only.path)
            .kibana(format!("The {conf} xpack.actions.proxyBypassHosts and xpack.actions.proxyOnlyHosts can not be used at the same time. The configuration xpack.actions.proxyOnlyHosts will be ignored."))
            .help("keep one list: bypass names the hosts reached directly, only names the hosts reached through the proxy"),
        );
    }
}

/// Without `proxyUrl` every other proxy setting is dead weight: say so for each one set.
fn unused_without_proxy(s: &Settings, out: &mut Outcome) {
    let unused: Vec<(&str, Option<_>, String)> = [
        s.proxy_bypass_hosts
            .as_ref()
            .map(|l| ("proxyBypassHosts", l.location(), l.path.to_string())),
        s.proxy_only_hosts
            .as_ref()
            .map(|l| ("proxyOnlyHosts", l.location(), l.path.to_string())),
        s.proxy_headers_at
            .as_ref()
            .map(|h| ("proxyHeaders", h.location(), h.path.to_string())),
        s.proxy_verification_mode.as_ref().map(|m| {
            (
                "ssl.proxyVerificationMode",
                m.location(),
                m.path.to_string(),
            )
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    for (name, at, path) in &unused {
        out.push(
            Finding::new(
                Rule::ProxySettingWithoutProxyUrl,
                format!("`xpack.actions.{name}` has no effect: `xpack.actions.proxyUrl` is not set, so no proxy is used"),
            )
            .at(*at)
            .setting_str(path)
            .help("set xpack.actions.proxyUrl, or remove this setting"),
        );
    }
}

/// `new URL()` throws on the proxy URL: Kibana only warns and goes direct.
fn invalid_url(proxy: &Setting<String>, shown: &str, typo: bool, out: &mut Outcome) {
    let conf = if typo {
        "confguration"
    } else {
        "configuration"
    };
    out.push(
        Finding::new(
            Rule::InvalidProxyUrl,
            format!("`{shown}` is not a valid URL: Kibana warns and sends connector requests direct, without the proxy"),
        )
        .at(proxy.location())
        .setting(&proxy.path)
        .kibana(format!("The {conf} xpack.actions.proxyUrl: {shown} is invalid."))
        .help("write the full URL with scheme and port, e.g. http://proxy.internal:3128"),
    );
}

/// A proxy URL that parses but is not http(s): a missing scheme, or a proxy kind Kibana lacks.
fn unsupported_scheme(proxy: &Setting<String>, url: &Url, shown: &str, out: &mut Outcome) {
    // `proxy:3128` parses too: as scheme `proxy:` with no host.
    let (message, help) = if url.host_str().is_none() {
        (
            format!(
                "`{shown}` is not a proxy URL: `new URL()` reads `{}:` as its scheme and finds no host",
                url.scheme()
            ),
            format!(
                "write the scheme and host: http://{}",
                shown.trim_start_matches("//")
            ),
        )
    } else {
        (
            format!(
                "`{}:` proxies are not supported: Kibana talks to the proxy with HTTP CONNECT (http: or https:)",
                url.scheme()
            ),
            "use an HTTP(S) forward proxy, e.g. http://proxy.internal:3128".to_string(),
        )
    };
    out.push(
        Finding::new(Rule::ProxyUrlUnsupportedScheme, message)
            .at(proxy.location())
            .setting(&proxy.path)
            .help(help),
    );
}

/// A usable proxy URL that still carries credentials, or relies on a default port.
fn url_warnings(proxy: &Setting<String>, url: &Url, shown: &str, out: &mut Outcome) {
    if kurl::has_credentials(url) {
        out.push(
            Finding::new(
                Rule::ProxyUrlCredentials,
                "`xpack.actions.proxyUrl` contains credentials: they are stored in clear in kibana.yml, and for https targets Kibana builds the tunnel from the proxy's host and port only",
            )
            .at(proxy.location())
            .setting(&proxy.path)
            .help("send them as `xpack.actions.proxyHeaders: {\"Proxy-Authorization\": \"Basic …\"}` and keep that value in the Kibana keystore")
            .note("only plain-http targets get the URL's credentials (Kibana's http proxy agent is built from the URL string; the https one from its host and port)"),
        );
    }
    if !kurl::has_explicit_port(&proxy.value) {
        let default = kurl::default_port(url.scheme()).unwrap_or(80);
        out.push(
            Finding::new(
                Rule::ProxyUrlNoPort,
                format!("`{shown}` has no port, so connections go to port {default}; forward proxies usually listen elsewhere (3128, 8080)"),
            )
            .at(proxy.location())
            .setting(&proxy.path)
            .help(format!(
                "write the proxy's port, e.g. {}:3128, or :{default} if that is really where it listens",
                shown.trim_end_matches('/')
            ))
            .note(format!("Kibana passes Number(proxyUrl.port), 0 here; the 5.x proxy agents fall back to {default} (verified with https-proxy-agent 5.0.1 and http-proxy-agent 5.0.0); releases on the 7.x agents (PR #274009; which patches is not established) try port 0 and fail")),
        );
    } else if url.port() == Some(0) {
        // An explicit `:0` is the same 0 as no port at all to Kibana (Number(url.port)).
        let default = kurl::default_port(url.scheme()).unwrap_or(80);
        out.push(
            Finding::new(
                Rule::ProxyUrlNoPort,
                format!("`{shown}` names port 0: Kibana's proxy agents (5.x) treat it as no port and connect to port {default}; newer releases on the 7.x agents connect to port 0 and fail"),
            )
            .at(proxy.location())
            .setting(&proxy.path)
            .help(format!(
                "write the port the proxy listens on, e.g. {}:3128",
                shown.trim_end_matches('/').trim_end_matches(":0")
            ))
            .note("verified with https-proxy-agent 5.0.1 and http-proxy-agent 5.0.0 (`if (!proxy.port && proxy.host) proxy.port = secureProxy ? 443 : 80`) and 7.0.x (`this.proxy.port ? parseInt(…) : …` keeps \"0\"); which Kibana patches moved to 7.x (PR #274009) is not established"),
        );
    }
}

/// Proxied https targets whose configured TLS settings this Kibana version ignores (#196602).
fn ignored_tls(cx: &Context, out: &mut Outcome) {
    for t in cx.targets {
        let Some(tls) = &t.decision.tls else { continue };
        if t.decision.proxy.is_none() || tls.ignored.is_empty() {
            continue;
        }
        let mut f = Finding::new(
            Rule::ProxyIgnoresTlsSettings,
            format!(
                "`{}` goes through the proxy, and Kibana {} ignores the TLS settings for it ({}): the server is verified fully against Node's CA list",
                t.shown_url(),
                cx.version,
                tls.ignored.join(", ")
            ),
        )
        // The URL where it is written; a --url has no place, so the proxy setting, the cause.
        .at(t.location.or(cx.settings.proxy_url.as_ref().and_then(|p| p.location())))
        // The global mode, when it is among the ignored settings.
        .also(
            cx.settings
                .verification_mode
                .as_ref()
                .filter(|m| m.value != "full")
                .and_then(|m| m.location()),
            "ignored through the proxy",
        )
        .target(t.shown_url())
        .help("upgrade Kibana (8.19.17, 9.3.7, 9.4.2, 9.5.0 or later), or reach the host directly with xpack.actions.proxyBypassHosts, or give the server a certificate that passes full verification with Node's CA list (a private CA goes into NODE_EXTRA_CA_CERTS)");
        if let Some(uncertain) = &tls.uncertain {
            f = f.note(uncertain.clone());
        }
        out.push(f);
    }
}

/// Targets sent through the proxy although their host looks reachable only from inside.
fn internal_targets(cx: &Context, proxy: &Setting<String>, shown: &str, out: &mut Outcome) {
    for t in cx.targets {
        let (Some(_), Some(host)) = (&t.decision.proxy, &t.decision.whatwg_hostname) else {
            continue;
        };
        if let Some(why) = internal(host) {
            let entry = host.trim_start_matches('[').trim_end_matches(']');
            out.push(
                Finding::new(
                    Rule::ProxiedInternalHost,
                    format!("`{}` goes through the proxy {shown}, but `{host}` looks internal ({why}): proxies usually cannot reach internal hosts", t.shown_url()),
                )
                .at(t.location)
                .also(proxy.location(), "proxy")
                .setting(&proxy.path)
                .help(if host.starts_with('[') {
                    "IPv6 targets cannot be listed in proxyBypassHosts (entries cannot hold brackets): use a hostname, or check the proxy can reach it".to_string()
                } else {
                    format!("if the host is reached directly, add `\"{entry}\"` to xpack.actions.proxyBypassHosts")
                }),
            );
        }
    }
}

/// The summary line for a working proxy, with the list that narrows it.
fn proxied_summary(s: &Settings, shown: &str) -> String {
    let mut summary = format!("connector requests go through {shown}");
    if let Some(b) = &s.proxy_bypass_hosts {
        summary.push_str(&format!(" except {} bypassed host(s)", b.value.len()));
    } else if let Some(o) = &s.proxy_only_hosts {
        summary.push_str(&format!(" for {} listed host(s) only", o.value.len()));
    }
    summary
}

/// Why a (WHATWG) hostname looks like one a forward proxy cannot reach.
fn internal(host: &str) -> Option<&'static str> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
        return match ip {
            std::net::IpAddr::V4(v4) if v4.is_loopback() => Some("a loopback address"),
            std::net::IpAddr::V4(v4) if v4.is_private() || v4.is_link_local() => {
                Some("a private address")
            }
            std::net::IpAddr::V6(v6) if v6.is_loopback() => Some("a loopback address"),
            std::net::IpAddr::V6(v6)
                if (v6.segments()[0] & 0xfe00) == 0xfc00
                    || (v6.segments()[0] & 0xffc0) == 0xfe80 =>
            {
                Some("a private address")
            }
            _ => None,
        };
    }
    if host == "localhost" || host.ends_with(".localhost") {
        return Some("localhost");
    }
    if !host.contains('.') {
        return Some("a single-label name");
    }
    [
        ".local",
        ".internal",
        ".lan",
        ".corp",
        ".home.arpa",
        ".svc",
        ".cluster.local",
        ".intranet",
    ]
    .iter()
    .any(|s| host.ends_with(s))
    .then_some("an internal domain")
}

/// Entries must be hostnames (fatal otherwise), and can only match lower-case names.
fn host_entries(list: &StringList, name: &str, out: &mut Outcome) {
    for entry in &list.value {
        let value = entry.value.as_str();
        let index = entry.path.kibana_suffix(list.path.len() - 1);
        if let Err(why) = hostname::check(value) {
            let kibana = if value.is_empty() {
                format!(
                    "[config validation of [xpack.actions].{index}]: \"value\" is not allowed to be empty"
                )
            } else {
                format!(
                    "[config validation of [xpack.actions].{index}]: value must be a valid hostname (see RFC 1123)."
                )
            };
            let reason = if value == "*" {
                "`*` is only accepted by allowedHosts, not here".to_string()
            } else {
                why.describe().to_string()
            };
            out.push(
                Finding::new(
                    Rule::InvalidProxyHost,
                    format!(
                        "`{value}` in {name} is not a hostname: {reason}; Kibana refuses to start"
                    ),
                )
                .at(entry.location())
                .setting(&entry.path)
                .kibana(kibana)
                .help("list bare hostnames; there are no wildcards"),
            );
            continue;
        }
        let reason = if value.bytes().any(|b| b.is_ascii_uppercase()) && !value.contains(':') {
            Some((
                "target hostnames are lower-cased before the lookup".to_string(),
                Some(format!("write `{}`", value.to_ascii_lowercase())),
            ))
        } else if value.contains(':') {
            Some((
                "IPv6 target hostnames are looked up with brackets (`[::1]`), which this list cannot hold".to_string(),
                None,
            ))
        } else if !value.is_ascii() {
            Some((
                "target hostnames are looked up in punycode".to_string(),
                None,
            ))
        } else {
            None
        };
        if let Some((why, fix)) = reason {
            let mut f = Finding::new(
                Rule::ProxyHostNeverMatches,
                format!("`{value}` in {name} can never match: {why}"),
            )
            .at(entry.location())
            .setting(&entry.path);
            if let Some(fix) = fix {
                f = f.help(fix);
            }
            out.push(f);
        }
    }
}
