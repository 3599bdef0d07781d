//! The custom deprecation providers that fire on a value or a combination of keys, not on a key
//! being set (those are rows' `deprecated`): Kibana logs each at start-up, with its title and
//! message, and starts. They read the settings as written, before validation, so a value is
//! judged as JavaScript sees it there (`!rewriteBasePath` holds for `false` too).
//!
//! - core `rewriteBasePathDeprecation` (`core_deprecations.ts`, every copy from 7.9 to 9.x):
//!   `server.basePath` set without a truthy `server.rewriteBasePath`;
//! - core `serverHostZeroDeprecation` (7.11–7.17; from 8.0 `"0"` fails the hostname check):
//!   `server.host: "0"`;
//! - `elasticsearch_config.ts` (7.17 and every later copy): `elasticsearch.username: kibana`
//!   (and `elastic` in 7.x: from 8.0 the schema refuses it), and `elasticsearch.ssl.key` or
//!   `.certificate` without the other;
//! - security `config_deprecations.ts` (7.16/7.17 compiled copy, 8.x, 9.x tests): the `basic`
//!   and `token` providers both enabled; 7.16/7.17 only, `xpack.security.audit.enabled` without
//!   an `audit.appender` (the legacy audit logger).
//!
//! Not mirrored: the deprecations that fire on nearly every file (7.16/7.17's new session
//! timeout defaults and logging format, 9.x's "Consider enabling TLS and using HTTP/2"), and
//! those whose allowed lists are not in the table (experimental feature flags).

use super::{Seen, seen};
use crate::kibana::schema::issues::IssueKind;
use crate::kibana::schema::validate::Validator;
use crate::model::tree::{Node, SettingPath, Value};
use crate::version::Version;

impl Validator<'_> {
    /// Runs the providers of this release on the settings as written.
    pub(in crate::kibana::schema) fn custom_deprecations(&mut self, root: &Node) {
        let v = self.version;
        let at = |path: &str| root.at(&SettingPath::parse(path));
        let server = at("server");
        // A `${VAR}` that did not resolve is unknown: nothing is concluded from it.
        if let (Seen::Str(base), rewrite) =
            (seen(server, "basePath"), seen(server, "rewriteBasePath"))
            && !base.is_empty()
            && rewrite.truthy() == Some(false)
        {
            self.warn(
                "server.basePath",
                root,
                Some("Setting \"server.rewriteBasePath\" should be set when using \"server.basePath\""),
                "You should set server.basePath along with server.rewriteBasePath. Starting in 7.0, Kibana will expect that all requests start with server.basePath rather than expecting you to rewrite the requests in your reverse proxy. Set server.rewriteBasePath to false to preserve the current behavior and silence this warning.",
                "set `server.rewriteBasePath: true` if your proxy forwards requests with the base path; `false` keeps the proxy stripping it, but Kibana's check tests the value's truth, so it still logs this",
            );
        }
        if (Version::new(7, 11, 0)..Version::new(8, 0, 0)).contains(&v)
            && matches!(seen(server, "host"), Seen::Str("0"))
        {
            self.warn(
                "server.host",
                root,
                None,
                "Support for setting server.host to \"0\" in kibana.yml is deprecated and will be removed in Kibana version 8.0.0. Instead use \"0.0.0.0\" to bind to all interfaces.",
                "write `server.host: \"0.0.0.0\"`: from 8.0 Kibana refuses \"0\"",
            );
        }
        if v >= Version::new(7, 17, 0) {
            self.elasticsearch_deprecations(root, at("elasticsearch"));
            self.security_deprecations(root, at("xpack.security"));
        }
    }

    fn elasticsearch_deprecations(&mut self, root: &Node, es: Option<&Node>) {
        if let Seen::Str(user @ ("kibana" | "elastic")) = seen(es, "username")
            && (user == "kibana" || self.version < Version::new(8, 0, 0))
        {
            self.warn(
                "elasticsearch.username",
                root,
                Some(&format!("Using \"elasticsearch.username: {user}\" is deprecated")),
                &format!("Kibana is configured to authenticate to Elasticsearch with the \"{user}\" user. Use a service account token instead."),
                "create a token for the `elastic/kibana` service account (`elasticsearch-service-tokens`), set `elasticsearch.serviceAccountToken`, and remove `elasticsearch.username` and `elasticsearch.password`",
            );
        }
        // `!== undefined`: a key written empty (null) counts as set.
        let ssl = es.and_then(|e| e.as_map()).and_then(|m| m.get("ssl"));
        let has = |k: &str| {
            ssl.and_then(|s| s.as_map())
                .is_some_and(|m| m.contains_key(k))
        };
        let pair = match (has("key"), has("certificate")) {
            (true, false) => Some(("key", "certificate")),
            (false, true) => Some(("certificate", "key")),
            _ => None,
        };
        if let Some((set, missing)) = pair {
            let (set, missing) = (
                format!("elasticsearch.ssl.{set}"),
                format!("elasticsearch.ssl.{missing}"),
            );
            self.warn(
                &set,
                root,
                Some(&format!("Using \"{set}\" without \"{missing}\" has no effect")),
                &format!("Use both \"{set}\" and \"{missing}\" to enable Kibana to use Mutual TLS authentication with Elasticsearch."),
                &format!("add `{missing}`, or remove `{set}` if Kibana should not present a client certificate"),
            );
        }
    }

    fn security_deprecations(&mut self, root: &Node, security: Option<&Node>) {
        let providers = security
            .and_then(|s| s.as_map())
            .and_then(|m| m.get("authc"))
            .and_then(|a| a.as_map())
            .and_then(|m| m.get("providers"));
        if let Some(providers) = providers
            && enabled_provider(providers, "basic")
            && enabled_provider(providers, "token")
        {
            self.warn(
                "xpack.security.authc.providers",
                root,
                Some("Using both \"basic\" and \"token\" providers in \"xpack.security.authc.providers\" has no effect"),
                "Use only one of these providers. When both providers are set, Kibana only uses the \"token\" provider.",
                "remove the `basic` provider from `xpack.security.authc.providers`",
            );
        }
        let audit = security
            .and_then(|s| s.as_map())
            .and_then(|m| m.get("audit"));
        if self.version < Version::new(8, 0, 0)
            && seen(audit, "enabled").truthy() == Some(true)
            && seen(audit, "appender").truthy() == Some(false)
        {
            self.warn(
                "xpack.security.audit.enabled",
                root,
                Some("The legacy audit logger is deprecated"),
                "Use the new ECS-compliant audit logger.",
                "configure an appender with `xpack.security.audit.appender` to use the ECS audit logger now; 8.0 switches to it anyway",
            );
        }
    }

    /// `title`: the deprecation's title, where its release has one (7.16 on for most).
    fn warn(&mut self, path: &str, root: &Node, title: Option<&str>, kibana: &str, fix: &str) {
        let path = SettingPath::parse(path);
        let node = root.at(&path);
        self.issue(
            IssueKind::Warned {
                title: title.map(str::to_string),
                fix: fix.to_string(),
            },
            &path,
            node,
            kibana.to_string(),
        );
    }
}

/// `hasProviderType`: a list naming the type, or a mapping with an entry of that type whose
/// `enabled` is not `false`.
fn enabled_provider(providers: &Node, kind: &str) -> bool {
    match &providers.value {
        Value::Seq(items) => items
            .iter()
            .any(|i| matches!(&i.value, Value::Str(t) if t.value == kind)),
        Value::Map(m) => m.get(kind).and_then(|k| k.as_map()).is_some_and(|named| {
            named.values().any(|p| {
                !p.as_map()
                    .and_then(|m| m.get("enabled"))
                    .is_some_and(|e| matches!(e.value, Value::Bool(false)))
            })
        }),
        _ => false,
    }
}
