//! What TLS Kibana's Node.js applies to one HTTPS webhook request: the verification mode, the
//! hostname check and the CA list, as kbn-actions-utils / the actions plugin build the agent
//! (`get_custom_agents.ts`, `get_node_ssl_options.ts`), per version. docs/kibana-behaviour.md
//! and docs/research/tls-per-version.md cite the sources.
//!
//! 1. `getNodeSSLOptions(mode)` for the connector's or the global mode: `none` sets only
//!    `rejectUnauthorized: false`, `certificate` also a no-op `checkServerIdentity`, `full` and
//!    unset leave Node's defaults (chain and hostname checked).
//! 2. A matching customHostSettings entry with `ssl` then overrides `rejectUnauthorized` only
//!    (and `ca`): the hostname check stays as step 1 left it, so global `none` plus an entry in
//!    `certificate` or `full` is effectively `full`. An entry `ssl` without `verificationMode`
//!    changes nothing with the x-pack copy of `getSSLSettingsFromConfig`, and forces `full` with
//!    the @kbn/actions-utils copy (probably from 9.3.0; not verified per tag).
//! 3. Through `xpack.actions.proxyUrl`, https-proxy-agent 5 builds the TLS connection to the
//!    target from the request's options alone, so none of the above applies: Node's defaults
//!    (full, Node's CA list). Fixed by PR #269898 (9.3.7, 9.4.2, 9.5.0) and its 8.19 backport
//!    PR #272321 (first in 8.19.17 as far as the release dates show).

use serde::Serialize;

use super::custom_hosts::Resolved;
use super::settings::Settings;
use crate::version::Version;

/// `xpack.actions.ssl.verificationMode` and its per-entry and per-connector forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum VerificationMode {
    None,
    Certificate,
    Full,
}

impl VerificationMode {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            VerificationMode::None => "none",
            VerificationMode::Certificate => "certificate",
            VerificationMode::Full => "full",
        }
    }
}

impl std::fmt::Display for VerificationMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which CA list the request trusts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum CaSource {
    /// Node's bundled Mozilla roots plus NODE_EXTRA_CA_CERTS.
    Default,
    /// The matched customHostSettings entry's CA data; replaces the default list.
    Custom,
    /// The connector's `config.ca`; replaces the default list.
    Connector,
}

/// The TLS a request to the target gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Tls {
    /// As Node will behave.
    pub(crate) verification_mode: VerificationMode,
    /// The chain is verified (`rejectUnauthorized`).
    pub(crate) verify_chain: bool,
    /// The hostname is checked against the certificate.
    pub(crate) check_hostname: bool,
    pub(crate) ca: CaSource,
    pub(crate) ca_files: Vec<String>,
    /// Which setting (or mechanism) decided the chain check, for the trace and JSON.
    pub(crate) decided_by: String,
    /// Settings that would apply on a direct route but that Kibana ignores for this target
    /// (a proxied HTTPS request before the fix of Kibana issue #196602).
    pub(crate) ignored: Vec<String>,
    /// The release notes do not settle whether this exact version carries that fix: the
    /// decision above is the stricter side, and this says what the other side would be.
    pub(crate) uncertain: Option<String>,
}

/// TLS options a connector spec sets for itself (8.10+).
#[derive(Clone, Debug, Default)]
pub(crate) struct ConnectorTls {
    pub(crate) verification_mode: Option<String>,
    pub(crate) has_ca: bool,
}

/// What the decision depends on.
pub(crate) struct Inputs<'a> {
    pub(crate) settings: &'a Settings,
    pub(crate) hosts: &'a [Resolved],
    /// The customHostSettings entry that applies to the URL, if any.
    pub(crate) custom_host: Option<usize>,
    pub(crate) connector: Option<&'a ConnectorTls>,
    /// The request goes through xpack.actions.proxyUrl.
    pub(crate) proxied: bool,
    pub(crate) version: Version,
}

/// Whether a proxied HTTPS request gets the target's TLS options in `v` (Kibana issue #196602).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ProxiedTls {
    /// Before the fix: Node's defaults.
    Ignored,
    /// With the fix: the same options as a direct request.
    Applied,
    /// The release notes do not settle it for this version.
    Unknown(&'static str),
}

pub(crate) fn proxied_tls(v: Version) -> ProxiedTls {
    // A version without a patch number is the newest patch of its minor release.
    match (v.major, v.minor) {
        (m, _) if m >= 10 => ProxiedTls::Applied,
        (9, m) if m >= 5 => ProxiedTls::Applied,
        (9, 4) if v.patch >= 2 => ProxiedTls::Applied,
        (9, 3) if v.patch >= 7 => ProxiedTls::Applied,
        (8, 19) if v.patch >= 17 => ProxiedTls::Applied,
        (8, 19) if v.patch == 16 => ProxiedTls::Unknown(
            "the 8.19 backport (PR #272321) merged on 2026-06-02 and 8.19.17 is the first release known to carry it; whether 8.19.16 does is not established",
        ),
        _ => ProxiedTls::Ignored,
    }
}

/// Whether a customHostSettings entry with `ssl` but no `verificationMode` forces `full`: the
/// @kbn/actions-utils copy of `getSSLSettingsFromConfig`, probably first used in 9.3.0.
fn entry_ssl_forces_full(v: Version) -> bool {
    v >= Version::new(9, 3, 0)
}

/// The connector's mode, else the global one (or the legacy global switch where Kibana still
/// honours it), with where it came from.
fn base_mode(i: &Inputs) -> Option<(String, String)> {
    let s = i.settings;
    let global = s
        .verification_mode
        .as_ref()
        .map(|m| {
            (
                m.value.clone(),
                "xpack.actions.ssl.verificationMode".to_string(),
            )
        })
        .or_else(|| {
            s.reject_unauthorized
                .as_ref()
                .filter(|r| !r.is_default())
                .map(|r| {
                    let mode = if r.value { "full" } else { "none" };
                    (
                        mode.to_string(),
                        "xpack.actions.rejectUnauthorized".to_string(),
                    )
                })
        });
    i.connector
        .and_then(|c| c.verification_mode.clone())
        .map(|m| (m, "the connector's verificationMode".to_string()))
        .or(global)
}

/// The entry's mode as `getSSLSettingsFromConfig` returns it, with where it came from.
fn entry_mode(i: &Inputs, index: usize) -> Option<(String, String)> {
    let host = &i.settings.custom_hosts[index];
    host.ssl.as_ref()?;
    if let Some(m) = &host.verification_mode {
        return Some((
            m.value.clone(),
            format!("customHostSettings[{index}].ssl.verificationMode"),
        ));
    }
    if let Some(r) = &host.reject_unauthorized {
        let mode = if r.value { "full" } else { "none" };
        return Some((
            mode.to_string(),
            format!("customHostSettings[{index}].ssl.rejectUnauthorized"),
        ));
    }
    entry_ssl_forces_full(i.version).then(|| {
        (
            "full".to_string(),
            format!("customHostSettings[{index}].ssl without verificationMode (full from Kibana 9.3, @kbn/actions-utils)"),
        )
    })
}

/// The TLS of a direct request (and of a proxied one once Kibana forwards the options).
fn direct(i: &Inputs) -> Tls {
    let (base, mut decided_by) = base_mode(i).unwrap_or(("full".into(), "Kibana's default".into()));
    let mut verify_chain = base != "none";
    // Only `certificate` replaces checkServerIdentity; `none` leaves Node's check in place, and
    // it applies as soon as an entry turns rejectUnauthorized back on.
    let check_identity = base != "certificate";
    let mut ca = CaSource::Default;
    let mut ca_files = Vec::new();
    if let Some(index) = i.custom_host {
        if let Some((mode, from)) = entry_mode(i, index) {
            verify_chain = mode != "none";
            decided_by = from;
        }
        if i.settings.custom_hosts[index].ssl.is_some()
            && let Some(data) = i
                .hosts
                .iter()
                .find(|r| r.index == index)
                .and_then(|r| r.ca.as_ref())
        {
            ca = CaSource::Custom;
            ca_files = data.files.clone();
        }
    }
    // The connector's `ca` is Node's `ca` option, which replaces the default list too; a matched
    // entry's CA data is applied after it and wins.
    if i.connector.is_some_and(|c| c.has_ca) && ca == CaSource::Default {
        ca = CaSource::Connector;
    }
    let check_hostname = verify_chain && check_identity;
    Tls {
        verification_mode: mode_of(verify_chain, check_hostname),
        verify_chain,
        check_hostname,
        ca,
        ca_files,
        decided_by,
        ignored: Vec::new(),
        uncertain: None,
    }
}

fn mode_of(verify_chain: bool, check_hostname: bool) -> VerificationMode {
    match (verify_chain, check_hostname) {
        (false, _) => VerificationMode::None,
        (true, false) => VerificationMode::Certificate,
        (true, true) => VerificationMode::Full,
    }
}

/// The configured TLS settings a proxied request would ignore: what differs from Node's
/// defaults on the direct route.
fn ignored_settings(i: &Inputs) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((mode, from)) = base_mode(i)
        && mode != "full"
    {
        out.push(format!("{from} ({mode})"));
    }
    if let Some(index) = i.custom_host
        && i.settings.custom_hosts[index].ssl.is_some()
    {
        out.push(format!("customHostSettings[{index}].ssl"));
    }
    if i.connector.is_some_and(|c| c.has_ca) {
        out.push("the connector's ca".to_string());
    }
    out
}

/// The TLS Kibana applies to the request, per route and version.
pub(crate) fn decide(i: &Inputs) -> Tls {
    let direct = direct(i);
    if !i.proxied {
        return direct;
    }
    let defaults = |ignored: Vec<String>, uncertain: Option<String>| Tls {
        verification_mode: VerificationMode::Full,
        verify_chain: true,
        check_hostname: true,
        ca: CaSource::Default,
        ca_files: Vec::new(),
        decided_by: format!(
            "proxied: https-proxy-agent 5 builds the TLS connection from the request alone, so Kibana {} uses Node's defaults (Kibana issue #196602, fixed in 8.19.17, 9.3.7, 9.4.2 and 9.5.0)",
            i.version
        ),
        ignored,
        uncertain,
    };
    match proxied_tls(i.version) {
        ProxiedTls::Applied => Tls {
            decided_by: format!(
                "{} (proxied; Kibana {} forwards the TLS options through the proxy, PR #269898)",
                direct.decided_by, i.version
            ),
            ..direct
        },
        ProxiedTls::Ignored => defaults(ignored_settings(i), None),
        // The stricter side: a server that passes Node's defaults works on both sides.
        ProxiedTls::Unknown(why) => defaults(
            ignored_settings(i),
            Some(format!(
                "{why}; with the fix Kibana would use {} (from {})",
                direct.verification_mode, direct.decided_by
            )),
        ),
    }
}

#[cfg(test)]
mod tests {
    //! Each situation of get_custom_agents.ts / get_node_ssl_options.ts, direct and proxied, at
    //! versions on both sides of each boundary (docs/research/tls-per-version.md).
    use std::collections::HashMap;

    use super::*;
    use crate::kibana::{custom_hosts, schema, target};
    use crate::model::tree::Node;
    use crate::source::Origin;

    const URL: &str = "https://hooks.example.com/alert";

    fn tls_at(version: &str, actions: serde_json::Value) -> Tls {
        let v: Version = version.parse().unwrap();
        let json = serde_json::json!({"xpack": {"actions": actions}});
        let root = Node::from_json(&json, &Origin::Default);
        let validated = schema::validate(&root, v);
        let s = Settings::from_validated(&validated);
        let hosts = custom_hosts::resolve(&s, &HashMap::new());
        target::evaluate(URL, &s, &hosts, None, v).tls.unwrap()
    }

    fn summary(t: &Tls) -> (VerificationMode, bool, bool, CaSource) {
        (t.verification_mode, t.verify_chain, t.check_hostname, t.ca)
    }

    use CaSource::Default as NodeCas;
    use VerificationMode::{Certificate, Full, None as Off};

    #[test]
    fn global_none_plus_an_entry_that_verifies_checks_the_hostname_too() {
        // getNodeSSLOptions('none') never sets checkServerIdentity; the entry turns
        // rejectUnauthorized back on, and Node then checks the name as well.
        for entry_mode in ["certificate", "full"] {
            let t = tls_at(
                "9.3",
                serde_json::json!({"ssl": {"verificationMode": "none"},
                    "customHostSettings": [{"url": "https://hooks.example.com", "ssl": {"verificationMode": entry_mode}}]}),
            );
            assert_eq!(
                summary(&t),
                (Full, true, true, NodeCas),
                "entry {entry_mode}"
            );
        }
        // A global `certificate` replaced the check with a no-op, which the entry keeps.
        let t = tls_at(
            "9.3",
            serde_json::json!({"ssl": {"verificationMode": "certificate"},
                "customHostSettings": [{"url": "https://hooks.example.com", "ssl": {"verificationMode": "full"}}]}),
        );
        assert_eq!(summary(&t), (Certificate, true, false, NodeCas));
        // 8.x: the entry's legacy rejectUnauthorized: true does the same as `full`.
        let t = tls_at(
            "8.19",
            serde_json::json!({"ssl": {"verificationMode": "none"},
                "customHostSettings": [{"url": "https://hooks.example.com", "ssl": {"rejectUnauthorized": true}}]}),
        );
        assert_eq!(summary(&t), (Full, true, true, NodeCas));
        // Without an entry, `none` is none.
        let t = tls_at(
            "9.3",
            serde_json::json!({"ssl": {"verificationMode": "none"}}),
        );
        assert_eq!(summary(&t), (Off, false, false, NodeCas));
    }

    #[test]
    fn an_entry_ssl_block_without_a_mode_forces_full_from_9_3() {
        let actions = serde_json::json!({"ssl": {"verificationMode": "none"},
            "customHostSettings": [{"url": "https://hooks.example.com", "ssl": {}}]});
        // The x-pack copy of getSSLSettingsFromConfig returns {}: the global mode stays.
        assert_eq!(tls_at("9.2", actions.clone()).verification_mode, Off);
        assert_eq!(tls_at("8.19", actions.clone()).verification_mode, Off);
        // The @kbn/actions-utils copy returns {verificationMode: 'full'}.
        let t = tls_at("9.3.0", actions);
        assert_eq!(summary(&t), (Full, true, true, NodeCas));
        assert!(
            t.decided_by.contains("without verificationMode"),
            "{}",
            t.decided_by
        );
    }

    #[test]
    fn a_proxied_target_gets_nodes_defaults_before_the_fix() {
        let actions = serde_json::json!({"proxyUrl": "http://proxy.internal:3128",
            "ssl": {"verificationMode": "none"}});
        for (version, fixed) in [
            ("8.18", false),
            ("8.19.15", false),
            ("8.19.17", true),
            ("8.19", true),
            ("9.0", false),
            ("9.2", false),
            ("9.3.6", false),
            ("9.3.7", true),
            ("9.3", true),
            ("9.4.1", false),
            ("9.4.2", true),
            ("9.5.0", true),
        ] {
            let t = tls_at(version, actions.clone());
            if fixed {
                assert_eq!(t.verification_mode, Off, "{version}");
                assert!(t.ignored.is_empty(), "{version}");
            } else {
                assert_eq!(summary(&t), (Full, true, true, NodeCas), "{version}");
                assert!(
                    t.decided_by.starts_with("proxied:"),
                    "{version}: {}",
                    t.decided_by
                );
                assert_eq!(
                    t.ignored,
                    ["xpack.actions.ssl.verificationMode (none)"],
                    "{version}"
                );
            }
            assert!(t.uncertain.is_none(), "{version}");
        }
        // 8.19.16: not settled; the stricter side, saying what the other would be.
        let t = tls_at("8.19.16", actions);
        assert_eq!(t.verification_mode, Full);
        assert!(
            t.uncertain.as_deref().is_some_and(|u| u.contains("none")),
            "{:?}",
            t.uncertain
        );
    }

    #[test]
    fn a_proxied_target_ignores_the_entry_and_its_ca_before_the_fix() {
        let actions = serde_json::json!({"proxyUrl": "http://proxy.internal:3128",
            "customHostSettings": [{"url": "https://hooks.example.com",
                "ssl": {"verificationMode": "certificate", "certificateAuthoritiesData": "-----BEGIN CERTIFICATE-----"}}]});
        let t = tls_at("9.2", actions.clone());
        assert_eq!(summary(&t), (Full, true, true, NodeCas));
        assert_eq!(t.ignored, ["customHostSettings[0].ssl"]);
        // With the fix the entry applies, and (as on a direct route) an entry `certificate`
        // under the default global mode still leaves Node's hostname check on.
        let t = tls_at("9.4.2", actions);
        assert_eq!(summary(&t), (Full, true, true, CaSource::Custom));
        // Nothing configured: nothing is ignored, whatever the version.
        let t = tls_at(
            "9.2",
            serde_json::json!({"proxyUrl": "http://proxy.internal:3128"}),
        );
        assert_eq!(summary(&t), (Full, true, true, NodeCas));
        assert!(t.ignored.is_empty());
    }
}
