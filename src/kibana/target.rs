//! What Kibana does with one webhook URL: is its host allowed, which `customHostSettings` entry
//! applies, does the request go through the proxy, and which TLS checks and CA list are in force.
//!
//! - allowedHosts (`actions_config.ts`): `*`, or an entry equal to Node's legacy
//!   `url.parse(url).hostname`; a URL that makes `url.parse` throw is never allowed.
//! - customHostSettings (`custom_host_settings.ts`): the first surviving entry whose canonical
//!   `protocol//hostname:port` equals the target's.
//! - proxy (`get_custom_agents.ts`): only with a valid `proxyUrl`; `proxyBypassHosts` /
//!   `proxyOnlyHosts` compared with the WHATWG hostname (IPv6 keeps its brackets).
//! - TLS (`getNodeSSLOptions`, `get_custom_agents.ts`): the connector's `verificationMode`, else
//!   the global one, decides both checks; a matched entry with `ssl` replaces only the chain check
//!   (`rejectUnauthorized`) and, with CA data, replaces Node's CA list.

use serde::Serialize;

use super::custom_hosts::Resolved;
use super::legacy_url;
pub(crate) use super::tls_decision::ConnectorTls;
use super::tls_decision::{self, Tls};
use super::url as kurl;
use crate::kibana::settings::Settings;
use crate::source::Location;
use crate::version::Version;

/// Where a target URL was given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "name")]
pub(crate) enum TargetSource {
    /// `--url` on the command line.
    CommandLine,
    /// The connector spec given with `--connector`.
    ConnectorSpec,
    /// `xpack.actions.preconfigured.<id>.config.url`.
    Preconfigured(String),
}

/// The whole decision for one URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decision {
    /// `url.parse(url).hostname`, what allowedHosts is compared with (`None`: no host part).
    pub(crate) hostname: Option<String>,
    /// WHATWG `new URL(url).hostname` (`None`: `new URL` throws).
    pub(crate) whatwg_hostname: Option<String>,
    /// `protocol//hostname:port`.
    pub(crate) canonical: Option<String>,
    pub(crate) scheme: Option<String>,
    pub(crate) allowed: bool,
    /// The entry that allows it (`*` or the hostname), with its place.
    pub(crate) allowed_by: Option<(String, Option<Location>)>,
    /// Index of the customHostSettings entry that applies.
    pub(crate) custom_host: Option<usize>,
    /// The proxy URL requests go through.
    pub(crate) proxy: Option<String>,
    pub(crate) proxy_reason: String,
    /// `None` for plain http: (or a URL that does not parse).
    pub(crate) tls: Option<Tls>,
    /// `xpack.actions.responseTimeout` in ms: when Kibana's request gives up on a silent peer.
    pub(crate) response_timeout_ms: u64,
}

/// One URL to evaluate and where it came from.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub(crate) url: String,
    pub(crate) source: TargetSource,
    /// Where the URL is written, when it is in a file.
    pub(crate) location: Option<Location>,
    pub(crate) decision: Decision,
}

impl Target {
    /// The URL with any `user:password@` masked, for messages.
    pub(crate) fn shown_url(&self) -> String {
        kurl::mask_userinfo(&self.url)
    }
}

/// Evaluates `url` against the settings, as Kibana would.
pub(crate) fn evaluate(
    url: &str,
    settings: &Settings,
    hosts: &[Resolved],
    connector: Option<&ConnectorTls>,
    version: Version,
) -> Decision {
    let legacy = legacy_url::hostname(url);
    let whatwg = kurl::parse(url);
    let hostname = legacy.clone().ok().flatten();
    let (allowed, allowed_by) = allowed(settings, &legacy);
    let canonical = whatwg.as_ref().map(|u| kurl::canonical(u).0);
    let whatwg_hostname = whatwg.as_ref().map(kurl::hostname);
    let scheme = whatwg.as_ref().map(|u| u.scheme().to_string());

    let custom_host = canonical.as_ref().and_then(|c| {
        hosts
            .iter()
            .find(|r| r.applies() && r.canonical.as_deref() == Some(c.as_str()))
            .map(|r| r.index)
    });
    let (proxy, proxy_reason) = proxy_route(settings, whatwg_hostname.as_deref());
    let tls = match scheme.as_deref() {
        Some("https") => Some(tls_decision::decide(&tls_decision::Inputs {
            settings,
            hosts,
            custom_host,
            connector,
            proxied: proxy.is_some(),
            version,
        })),
        _ => None,
    };
    Decision {
        hostname,
        whatwg_hostname,
        canonical,
        scheme,
        allowed,
        allowed_by,
        custom_host,
        proxy,
        proxy_reason,
        tls,
        response_timeout_ms: settings.response_timeout_ms.unwrap_or(60_000),
    }
}

type AllowedBy = Option<(String, Option<Location>)>;

fn allowed(
    settings: &Settings,
    legacy: &Result<Option<String>, legacy_url::Throws>,
) -> (bool, AllowedBy) {
    let Some(list) = &settings.allowed_hosts else {
        return (false, None);
    };
    // A URL that makes url.parse throw fails even with `*` (tryCatch → getOrElse(false)).
    let Ok(hostname) = legacy else {
        return (false, None);
    };
    if let Some(star) = list.value.iter().find(|e| e.value == "*") {
        return (
            true,
            Some(("*".to_string(), star.location().or(list.location()))),
        );
    }
    match hostname {
        Some(h) => match list.value.iter().find(|e| e.value == *h) {
            Some(e) => (true, Some((e.value.clone(), e.location()))),
            None => (false, None),
        },
        None => (false, None),
    }
}

fn proxy_route(settings: &Settings, hostname: Option<&str>) -> (Option<String>, String) {
    let Some(proxy) = &settings.proxy_url else {
        return (None, "xpack.actions.proxyUrl is not set".into());
    };
    if kurl::parse(&proxy.value).is_none() {
        return (
            None,
            "xpack.actions.proxyUrl is not a valid URL, so Kibana ignores it".into(),
        );
    }
    let Some(hostname) = hostname else {
        return (
            None,
            "the URL does not parse (`error determining proxy state for invalid url`), so Kibana uses no proxy".into(),
        );
    };
    if let Some(bypass) = &settings.proxy_bypass_hosts {
        if bypass.value.iter().any(|e| e.value == hostname) {
            return (
                None,
                format!("`{hostname}` is in xpack.actions.proxyBypassHosts"),
            );
        }
        return (
            Some(proxy.value.clone()),
            format!("`{hostname}` is not in xpack.actions.proxyBypassHosts"),
        );
    }
    if let Some(only) = &settings.proxy_only_hosts {
        if only.value.iter().any(|e| e.value == hostname) {
            return (
                Some(proxy.value.clone()),
                format!("`{hostname}` is in xpack.actions.proxyOnlyHosts"),
            );
        }
        return (
            None,
            format!("`{hostname}` is not in xpack.actions.proxyOnlyHosts"),
        );
    }
    (
        Some(proxy.value.clone()),
        "no proxyBypassHosts or proxyOnlyHosts: every request uses xpack.actions.proxyUrl".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kibana::tls_decision::{CaSource, VerificationMode};
    use crate::kibana::{custom_hosts, schema};
    use crate::model::tree::Node;
    use crate::source::Origin;
    use crate::version::Version;
    use std::collections::HashMap;

    fn settings(json: serde_json::Value) -> Settings {
        let root = Node::from_json(&json, &Origin::Default);
        Settings::from_validated(&schema::validate(&root, Version::DEFAULT))
    }

    fn decide(json: serde_json::Value, url: &str) -> Decision {
        let s = settings(json);
        let hosts = custom_hosts::resolve(&s, &HashMap::new());
        evaluate(url, &s, &hosts, None, Version::DEFAULT)
    }

    fn allowed_by(hosts: &[&str], url: &str) -> bool {
        decide(
            serde_json::json!({"xpack": {"actions": {"allowedHosts": hosts}}}),
            url,
        )
        .allowed
    }

    /// actions_config.test.ts isUriAllowed / ensureUriAllowed rows (kibana-settings.md §2.3).
    #[test]
    fn kibana_allowed_hosts_test_table() {
        assert!(!allowed_by(&[], ""));
        assert!(allowed_by(&["*"], "https://github.com/elastic/kibana"));
        assert!(!allowed_by(&[], "https://github.com/elastic/kibana"));
        assert!(!allowed_by(&[], "github.com/elastic"));
        assert!(allowed_by(
            &["github.com"],
            "https://github.com/elastic/kibana"
        ));
        assert!(allowed_by(&["my-domain.com"], "//my-domain.com/foo"));
    }

    /// The observed rows of §2.4 (Node 20.20.2).
    #[test]
    fn observed_allowed_hosts_rows() {
        for url in ["", "github.com/elastic", "not a url at all"] {
            assert!(allowed_by(&["*"], url), "{url:?}");
        }
        assert!(allowed_by(&["github.com"], "https://GITHUB.com/x"));
        assert!(!allowed_by(&["GitHub.com"], "https://github.com/x"));
        assert!(allowed_by(&["github.com"], "https://github.com:8443/x"));
        assert!(!allowed_by(&["github.com"], "https://www.github.com/x"));
        assert!(allowed_by(&["::1"], "http://[::1]:8080/"));
        assert!(!allowed_by(&["0:0:0:0:0:0:0:1"], "http://[::1]/"));
        assert!(allowed_by(
            &["xn--bcher-kva.example"],
            "https://bücher.example/"
        ));
        assert!(!allowed_by(&["bücher.example"], "https://bücher.example/"));
        assert!(!allowed_by(&["example.com"], "https://example.com./"));
        assert!(allowed_by(&["example.com"], "ftp://example.com/"));
        assert!(allowed_by(
            &["example.com"],
            "https://example.com\\@evil.com/"
        ));
        // url.parse throws: not allowed even with `*`.
        assert!(!allowed_by(&["*"], "http://[::1/"));
    }

    /// actions_config.test.ts getCustomHostSettings rows (§3.4).
    #[test]
    fn custom_host_matching() {
        let cfg = serde_json::json!({"xpack": {"actions": {"customHostSettings": [
            {"url": "https://elastic.co", "ssl": {"verificationMode": "full"}},
            {"url": "smtp://elastic.co:123", "ssl": {"verificationMode": "none"}, "smtp": {"ignoreTLS": true}},
        ]}}});
        assert_eq!(
            decide(cfg.clone(), "https://elastic.co/ignoring/paths/here").custom_host,
            Some(0)
        );
        assert_eq!(
            decide(cfg.clone(), "smtp://elastic.co:123").custom_host,
            Some(1)
        );
        let www = serde_json::json!({"xpack": {"actions": {"customHostSettings": [{"url": "https://www.elastic.co:443"}]}}});
        assert_eq!(
            decide(www.clone(), "https://elastic.co/foo/bar").custom_host,
            None
        );
        assert_eq!(decide(www, "smtp://elastic.co").custom_host, None);
        let upper = serde_json::json!({"xpack": {"actions": {"customHostSettings": [{"url": "https://Hooks.Example.com:443/"}]}}});
        assert_eq!(
            decide(upper, "https://hooks.example.com/x").custom_host,
            Some(0)
        );
    }

    #[test]
    fn tls_policy_follows_connector_then_global_then_entry() {
        let d = decide(serde_json::json!({}), "https://a.example/");
        let tls = d.tls.unwrap();
        assert_eq!(
            (tls.verification_mode, tls.check_hostname, tls.ca),
            (VerificationMode::Full, true, CaSource::Default)
        );
        let none = decide(
            serde_json::json!({"xpack": {"actions": {"ssl": {"verificationMode": "none"}}}}),
            "https://a.example/",
        );
        assert_eq!(none.tls.unwrap().verification_mode, VerificationMode::None);
        // An entry restores the chain check but cannot turn hostname checking back on.
        let cfg = serde_json::json!({"xpack": {"actions": {
            "ssl": {"verificationMode": "certificate"},
            "customHostSettings": [{"url": "https://a.example", "ssl": {"verificationMode": "full"}}]}}});
        let tls = decide(cfg, "https://a.example/x").tls.unwrap();
        assert_eq!(
            (tls.verification_mode, tls.verify_chain, tls.check_hostname),
            (VerificationMode::Certificate, true, false)
        );
        // A connector's mode wins over the global one.
        let s = settings(
            serde_json::json!({"xpack": {"actions": {"ssl": {"verificationMode": "none"}}}}),
        );
        let c = ConnectorTls {
            verification_mode: Some("full".into()),
            has_ca: false,
        };
        let d = evaluate("https://a.example/", &s, &[], Some(&c), Version::DEFAULT);
        assert_eq!(d.tls.unwrap().verification_mode, VerificationMode::Full);
        assert!(
            decide(serde_json::json!({}), "http://a.example/")
                .tls
                .is_none()
        );
    }

    #[test]
    fn proxy_routing() {
        let base = |extra: serde_json::Value| {
            let mut a = serde_json::json!({"proxyUrl": "http://proxy.internal:3128"});
            a.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            serde_json::json!({"xpack": {"actions": a}})
        };
        assert!(
            decide(base(serde_json::json!({})), "https://a.example/")
                .proxy
                .is_some()
        );
        let bypass = base(serde_json::json!({"proxyBypassHosts": ["a.example"]}));
        assert!(
            decide(bypass.clone(), "https://A.example/").proxy.is_none(),
            "WHATWG lower-cases"
        );
        assert!(decide(bypass, "https://b.example/").proxy.is_some());
        let only = base(serde_json::json!({"proxyOnlyHosts": ["a.example"]}));
        assert!(decide(only.clone(), "https://a.example/").proxy.is_some());
        assert!(decide(only, "https://b.example/").proxy.is_none());
        // Both lists: proxyOnlyHosts is dropped, bypass wins.
        let both = base(
            serde_json::json!({"proxyBypassHosts": ["a.example"], "proxyOnlyHosts": ["b.example"]}),
        );
        assert!(decide(both.clone(), "https://c.example/").proxy.is_some());
        assert!(decide(both, "https://a.example/").proxy.is_none());
        assert!(
            decide(
                serde_json::json!({"xpack": {"actions": {"proxyUrl": "http://proxy:99999"}}}),
                "https://a/"
            )
            .proxy
            .is_none()
        );
        assert!(
            decide(serde_json::json!({}), "https://a.example/")
                .proxy
                .is_none()
        );
    }
}
