//! The rule registry. Rule metadata lives as data in `rules/<module>/<rule-name>.md` (TOML front
//! matter plus the explanation); `build.rs` turns those files into the [`Rule`] enum below, so a
//! check can only emit a rule that is documented.

use std::fmt;

use serde::Serialize;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational: worth knowing, nothing breaks.
    Note,
    /// Kibana starts, but behaves differently than the configuration suggests.
    Warning,
    /// Kibana refuses to start, or the webhook connector cannot work.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A check module: one prerequisite of a working webhook connector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Module {
    Config,
    ConnectorType,
    AllowedHosts,
    CustomHostSettings,
    Proxy,
    EncryptionKey,
    Connector,
    Dns,
    Tcp,
    ProxyTunnel,
    Tls,
    KibanaApi,
    Deploy,
    Diagnose,
}

impl Module {
    /// Every module, in the order they run and are reported.
    pub const ALL: &'static [Module] = &[
        Module::Config,
        Module::ConnectorType,
        Module::AllowedHosts,
        Module::CustomHostSettings,
        Module::Proxy,
        Module::EncryptionKey,
        Module::Connector,
        Module::Dns,
        Module::Tcp,
        Module::ProxyTunnel,
        Module::Tls,
        Module::KibanaApi,
        Module::Deploy,
        Module::Diagnose,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Module::Config => "config",
            Module::ConnectorType => "connector-type",
            Module::AllowedHosts => "allowed-hosts",
            Module::CustomHostSettings => "custom-host-settings",
            Module::Proxy => "proxy",
            Module::EncryptionKey => "encryption-key",
            Module::Connector => "connector",
            Module::Dns => "dns",
            Module::Tcp => "tcp",
            Module::ProxyTunnel => "proxy-tunnel",
            Module::Tls => "tls",
            Module::KibanaApi => "kibana-api",
            Module::Deploy => "deploy",
            Module::Diagnose => "diagnose",
        }
    }

    /// Whether the module judges what the network probes found (`check` only).
    pub fn live(self) -> bool {
        matches!(
            self,
            Module::Dns
                | Module::Tcp
                | Module::ProxyTunnel
                | Module::Tls
                | Module::KibanaApi
                | Module::Deploy
        )
    }

    pub fn from_name(name: &str) -> Option<Module> {
        Module::ALL.iter().copied().find(|m| m.name() == name)
    }
}

impl fmt::Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What `rules/<module>/<name>.md` says about a rule.
#[derive(Debug)]
pub struct RuleMeta {
    pub rule: Rule,
    /// Stable id, e.g. `KP301`.
    pub id: &'static str,
    /// Kebab-case name, e.g. `invalid-allowed-host`.
    pub name: &'static str,
    pub module: Module,
    /// Default severity.
    pub severity: Severity,
    /// One line: the problem and its consequence.
    pub summary: &'static str,
    /// The Kibana behaviour the rule mirrors, with its source.
    pub kibana: &'static str,
    /// The full explanation (Markdown), shown by `explain` and in the docs.
    pub doc: &'static str,
    /// Where the rule's document lives in the repository.
    pub path: &'static str,
    /// Judges what `check` learns live (network, running Kibana); see [`Rule::live`].
    pub live: bool,
}

include!(concat!(env!("OUT_DIR"), "/rules.rs"));

impl Rule {
    pub fn meta(self) -> &'static RuleMeta {
        let meta = &RULE_META[self as usize];
        debug_assert_eq!(meta.rule, self);
        meta
    }

    pub fn id(self) -> &'static str {
        self.meta().id
    }

    pub fn name(self) -> &'static str {
        self.meta().name
    }

    pub fn module(self) -> Module {
        self.meta().module
    }

    /// Whether the rule needs `check`'s network probes or a running Kibana (no offline fixture).
    pub fn live(self) -> bool {
        self.module().live() || self.meta().live
    }

    pub fn severity(self) -> Severity {
        self.meta().severity
    }

    /// Finds a rule by id (`KP301`, case-insensitive) or name (`invalid-allowed-host`).
    pub fn lookup(key: &str) -> Option<Rule> {
        let key = key.trim();
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.id().eq_ignore_ascii_case(key) || r.name() == key)
    }

    /// Rules of one module, ordered by id.
    pub fn of_module(module: Module) -> impl Iterator<Item = Rule> {
        Rule::ALL
            .iter()
            .copied()
            .filter(move |r| r.module() == module)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_table_is_in_enum_order() {
        for (i, rule) in Rule::ALL.iter().enumerate() {
            assert_eq!(*rule as usize, i);
            assert_eq!(rule.meta().rule, *rule);
        }
    }

    #[test]
    fn ids_are_grouped_by_module() {
        // KP1xx config, KP2xx connector-type, … KP7xx connector; the live modules share KP8xx:
        // KP80x dns, KP81x tcp, KP82x proxy-tunnel, KP83x-84x tls. An id tells the module.
        for rule in Rule::ALL {
            let id = rule.id().as_bytes();
            let (hundreds, tens) = (id[2] - b'0', id[3] - b'0');
            let expected = match rule.module() {
                Module::Dns => (8, &[0][..]),
                Module::Tcp => (8, &[1][..]),
                Module::ProxyTunnel => (8, &[2][..]),
                Module::Tls => (8, &[3, 4][..]),
                Module::KibanaApi => (8, &[5][..]),
                Module::Deploy => (8, &[6][..]),
                Module::Diagnose => (9, &[0][..]),
                m => (
                    Module::ALL.iter().position(|x| *x == m).unwrap() as u8 + 1,
                    &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9][..],
                ),
            };
            assert!(
                hundreds == expected.0 && expected.1.contains(&tens),
                "{} in {}",
                rule.id(),
                rule.module()
            );
        }
    }

    #[test]
    fn lookup_by_id_and_name() {
        let rule = Rule::ALL[0];
        assert_eq!(Rule::lookup(rule.id()), Some(rule));
        assert_eq!(Rule::lookup(&rule.id().to_lowercase()), Some(rule));
        assert_eq!(Rule::lookup(rule.name()), Some(rule));
        assert_eq!(Rule::lookup("no-such-rule"), None);
    }

    #[test]
    fn every_rule_document_has_the_standard_sections() {
        for rule in Rule::ALL {
            let doc = rule.meta().doc;
            for section in ["## What it checks", "## Why", "## How to fix", "## Example"] {
                assert!(
                    doc.contains(section),
                    "{} lacks {section}",
                    rule.meta().path
                );
            }
        }
    }
}
