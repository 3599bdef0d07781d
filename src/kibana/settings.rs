//! The typed view of the settings a webhook connector depends on, read from the validated tree.
//! Every value keeps its path and origin, so a check can point at it. Values Kibana rejects are
//! absent here (the `config` module reports them); defaults carry [`Origin::Default`].

use crate::kibana::schema::Validated;
use crate::model::tree::{Node, SettingPath, Value};
use crate::source::env::EnvRef;
use crate::source::{Location, Origin};

/// A value and where it came from.
#[derive(Clone, Debug)]
pub(crate) struct Setting<T> {
    pub(crate) value: T,
    pub(crate) path: SettingPath,
    pub(crate) origin: Origin,
    /// The key that set it.
    pub(crate) key: Option<Location>,
    /// `${VAR}` references expanded into it.
    pub(crate) env: Vec<EnvRef>,
}

impl<T> Setting<T> {
    fn from_node(value: T, node: &Node, path: SettingPath) -> Setting<T> {
        Setting {
            value,
            path,
            origin: node.origin.clone(),
            key: node.key,
            env: node.as_text().map(|t| t.env.clone()).unwrap_or_default(),
        }
    }

    /// The best place to point at: the value, else its key.
    pub(crate) fn location(&self) -> Option<Location> {
        self.origin.location().or(self.key)
    }

    pub(crate) fn is_default(&self) -> bool {
        matches!(self.origin, Origin::Default)
    }
}

/// A list setting: the list's own origin plus each string item.
pub(crate) type StringList = Setting<Vec<Setting<String>>>;

/// One `xpack.actions.customHostSettings[]` entry that passed schema validation.
#[derive(Clone, Debug)]
pub(crate) struct CustomHost {
    pub(crate) index: usize,
    pub(crate) url: Setting<String>,
    pub(crate) smtp: Option<Setting<()>>,
    pub(crate) ignore_tls: Option<Setting<bool>>,
    pub(crate) require_tls: Option<Setting<bool>>,
    pub(crate) ssl: Option<Setting<()>>,
    pub(crate) verification_mode: Option<Setting<String>>,
    /// `certificateAuthoritiesFiles`, a string turned into a one-item list as Kibana does.
    pub(crate) ca_files: Vec<Setting<String>>,
    pub(crate) ca_data: Option<Setting<String>>,
    /// 8.x `ssl.rejectUnauthorized`.
    pub(crate) reject_unauthorized: Option<Setting<bool>>,
}

/// One `xpack.actions.preconfigured.<id>` connector.
#[derive(Clone, Debug)]
pub(crate) struct Preconfigured {
    pub(crate) id: String,
    pub(crate) path: SettingPath,
    pub(crate) key: Option<Location>,
    pub(crate) action_type_id: Option<Setting<String>>,
    pub(crate) config: Option<Node>,
    pub(crate) secrets: Option<Node>,
}

/// The settings the checks read.
#[derive(Clone, Debug, Default)]
pub(crate) struct Settings {
    /// `None` when Kibana rejects the setting.
    pub(crate) allowed_hosts: Option<StringList>,
    pub(crate) enabled_action_types: Option<StringList>,
    /// 7.x `xpack.actions.enabled`.
    pub(crate) actions_enabled: Option<Setting<bool>>,
    pub(crate) custom_hosts: Vec<CustomHost>,
    pub(crate) proxy_url: Option<Setting<String>>,
    /// `xpack.actions.responseTimeout` in ms: how long Kibana's request waits (60 s default).
    pub(crate) response_timeout_ms: Option<u64>,
    pub(crate) proxy_headers: Vec<(String, Setting<String>)>,
    pub(crate) proxy_headers_at: Option<Setting<()>>,
    pub(crate) proxy_bypass_hosts: Option<StringList>,
    pub(crate) proxy_only_hosts: Option<StringList>,
    pub(crate) verification_mode: Option<Setting<String>>,
    pub(crate) proxy_verification_mode: Option<Setting<String>>,
    /// The legacy global switch, where Kibana still honours it (before 7.16).
    pub(crate) reject_unauthorized: Option<Setting<bool>>,
    pub(crate) preconfigured: Vec<Preconfigured>,
    /// `xpack.actions.webhook.ssl.pfx.enabled` (9.1+).
    pub(crate) webhook_pfx_enabled: Option<Setting<bool>>,
    /// The ESO key, when it is a string.
    pub(crate) eso_key: Option<Setting<String>>,
    pub(crate) decryption_only_keys: Vec<Setting<String>>,
    pub(crate) security_key: Option<Setting<String>>,
    pub(crate) reporting_key: Option<Setting<String>>,
    /// Settings Kibana rejects, by path.
    pub(crate) invalid: Vec<SettingPath>,
}

impl Settings {
    /// Reads the typed view from a validated tree.
    pub(crate) fn from_validated(v: &Validated) -> Settings {
        let root = &v.tree;
        let actions = SettingPath::parse("xpack.actions");
        let at = |name: &str| actions.key(name);
        let get = |path: &SettingPath| root.at(path);

        let mut s = Settings {
            invalid: v.invalid.clone(),
            ..Settings::default()
        };
        s.allowed_hosts = get(&at("allowedHosts")).and_then(|n| string_list(n, at("allowedHosts")));
        s.enabled_action_types =
            get(&at("enabledActionTypes")).and_then(|n| string_list(n, at("enabledActionTypes")));
        s.actions_enabled = get(&at("enabled")).and_then(|n| boolean(n, at("enabled")));
        let pfx = at("webhook").key("ssl").key("pfx").key("enabled");
        s.webhook_pfx_enabled = get(&pfx).and_then(|n| boolean(n, pfx.clone()));
        s.proxy_url = get(&at("proxyUrl")).and_then(|n| string(n, at("proxyUrl")));
        s.response_timeout_ms = get(&at("responseTimeout")).and_then(|n| match &n.value {
            Value::Number(ms) if *ms >= 0.0 => Some(*ms as u64),
            Value::Str(t) => crate::kibana::schema::duration_ms(&t.value),
            _ => None,
        });
        if let Some(headers) = get(&at("proxyHeaders")) {
            s.proxy_headers_at = Some(Setting::from_node((), headers, at("proxyHeaders")));
            if let Some(map) = headers.as_map() {
                for (name, value) in map {
                    let path = at("proxyHeaders").key(name);
                    if let Some(v) = string(value, path) {
                        s.proxy_headers.push((name.clone(), v));
                    }
                }
            }
        }
        s.proxy_bypass_hosts =
            get(&at("proxyBypassHosts")).and_then(|n| string_list(n, at("proxyBypassHosts")));
        s.proxy_only_hosts =
            get(&at("proxyOnlyHosts")).and_then(|n| string_list(n, at("proxyOnlyHosts")));
        let ssl = at("ssl");
        s.verification_mode =
            get(&ssl.key("verificationMode")).and_then(|n| string(n, ssl.key("verificationMode")));
        s.proxy_verification_mode = get(&ssl.key("proxyVerificationMode"))
            .and_then(|n| string(n, ssl.key("proxyVerificationMode")));
        s.reject_unauthorized =
            get(&at("rejectUnauthorized")).and_then(|n| boolean(n, at("rejectUnauthorized")));

        if let Some(items) = get(&at("customHostSettings")).and_then(Node::as_seq) {
            for (index, item) in items.iter().enumerate() {
                let base = at("customHostSettings").index(index);
                if let Some(entry) = custom_host(item, index, base) {
                    s.custom_hosts.push(entry);
                }
            }
        }

        if let Some(map) = get(&at("preconfigured")).and_then(Node::as_map) {
            for (id, node) in map {
                let path = at("preconfigured").key(id);
                s.preconfigured.push(Preconfigured {
                    id: id.clone(),
                    // A connector written with dotted keys has no key of its own: point at its
                    // first setting.
                    key: node.key.or_else(|| {
                        node.as_map()
                            .and_then(|m| m.values().find_map(|c| c.key.or(c.location())))
                    }),
                    action_type_id: node
                        .as_map()
                        .and_then(|m| m.get("actionTypeId"))
                        .and_then(|n| string(n, path.key("actionTypeId"))),
                    config: node.as_map().and_then(|m| m.get("config")).cloned(),
                    secrets: node.as_map().and_then(|m| m.get("secrets")).cloned(),
                    path,
                });
            }
        }

        let eso = SettingPath::parse("xpack.encryptedSavedObjects");
        s.eso_key =
            get(&eso.key("encryptionKey")).and_then(|n| string(n, eso.key("encryptionKey")));
        let rotation = eso.key("keyRotation").key("decryptionOnlyKeys");
        if let Some(keys) = get(&rotation).and_then(Node::as_seq) {
            s.decryption_only_keys = keys
                .iter()
                .enumerate()
                .filter_map(|(i, n)| string(n, rotation.index(i)))
                .collect();
        }
        let security = SettingPath::parse("xpack.security.encryptionKey");
        s.security_key = get(&security).and_then(|n| string(n, security.clone()));
        let reporting = SettingPath::parse("xpack.reporting.encryptionKey");
        s.reporting_key = get(&reporting).and_then(|n| string(n, reporting.clone()));
        s
    }

    /// Whether Kibana rejects this setting (or something containing it).
    pub(crate) fn is_invalid(&self, path: &SettingPath) -> bool {
        self.invalid
            .iter()
            .any(|p| path.starts_with(p) || p.starts_with(path))
    }
}

fn string(node: &Node, path: SettingPath) -> Option<Setting<String>> {
    node.as_str()
        .map(|s| Setting::from_node(s.to_string(), node, path))
}

fn boolean(node: &Node, path: SettingPath) -> Option<Setting<bool>> {
    node.as_bool().map(|b| Setting::from_node(b, node, path))
}

fn string_list(node: &Node, path: SettingPath) -> Option<StringList> {
    let items = node.as_seq()?;
    let values = items
        .iter()
        .enumerate()
        .filter_map(|(i, n)| string(n, path.index(i)))
        .collect();
    Some(Setting::from_node(values, node, path))
}

fn custom_host(item: &Node, index: usize, base: SettingPath) -> Option<CustomHost> {
    let map = item.as_map()?;
    let url = string(map.get("url")?, base.key("url"))?;
    let smtp_node = map.get("smtp");
    let smtp_map = smtp_node.and_then(Node::as_map);
    let ssl_node = map.get("ssl");
    let ssl_map = ssl_node.and_then(Node::as_map);
    let smtp_path = base.key("smtp");
    let ssl_path = base.key("ssl");
    let ca_files = match ssl_map.and_then(|m| m.get("certificateAuthoritiesFiles")) {
        Some(n) => match &n.value {
            Value::Str(_) => string(n, ssl_path.key("certificateAuthoritiesFiles"))
                .into_iter()
                .collect(),
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, f)| {
                    string(f, ssl_path.key("certificateAuthoritiesFiles").index(i))
                })
                .collect(),
            _ => Vec::new(),
        },
        None => Vec::new(),
    };
    Some(CustomHost {
        index,
        url,
        smtp: smtp_node.map(|n| Setting::from_node((), n, smtp_path.clone())),
        ignore_tls: smtp_map
            .and_then(|m| m.get("ignoreTLS"))
            .and_then(|n| boolean(n, smtp_path.key("ignoreTLS"))),
        require_tls: smtp_map
            .and_then(|m| m.get("requireTLS"))
            .and_then(|n| boolean(n, smtp_path.key("requireTLS"))),
        ssl: ssl_node.map(|n| Setting::from_node((), n, ssl_path.clone())),
        verification_mode: ssl_map
            .and_then(|m| m.get("verificationMode"))
            .and_then(|n| string(n, ssl_path.key("verificationMode"))),
        ca_files,
        ca_data: ssl_map
            .and_then(|m| m.get("certificateAuthoritiesData"))
            .and_then(|n| string(n, ssl_path.key("certificateAuthoritiesData"))),
        reject_unauthorized: ssl_map
            .and_then(|m| m.get("rejectUnauthorized"))
            .and_then(|n| boolean(n, ssl_path.key("rejectUnauthorized"))),
    })
}
