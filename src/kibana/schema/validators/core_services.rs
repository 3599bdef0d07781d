//! The `validate` functions of core's `server`, `elasticsearch` and `telemetry` schemas.
//!
//! Sources: `http_config.ts` (`packages/core/http/core-http-server-internal/src/`, read at
//! 0550b038, 8.10; the same conditions at 015038f7, 7.17, and 01fd08ce, 9.5-dev), `ssl_config.ts`
//! (`kbn-server-http-tools`, 027ff216), `elasticsearch_config.ts` (6a472663, 9.x; 017a70f5,
//! 7.17). Values still holding an unresolved `${VAR}` are not judged: Kibana stops at the
//! variable first.

use super::{Seen, child, duration_text, number, seen};
use crate::kibana::schema::validate::{Ctx, Validator};
use crate::kibana::schema::values::duration_ms;
use crate::model::tree::{Node, SettingPath, Value};
use crate::version::Version;

impl Validator<'_> {
    pub(super) fn server(&mut self, server: &Node, ctx: &Ctx) {
        let root = SettingPath::parse("server");
        let s = Some(server);
        // Keys with their own validate.
        if let Seen::Str(base) = seen(s, "basePath")
            && !(base.len() >= 2 && base.starts_with('/') && !base.ends_with('/'))
        {
            self.fail(
                child(s, "basePath"),
                &root.key("basePath"),
                ctx,
                "must start with a slash, don't end with one",
            );
        }
        if let Some(node) = child(s, "shutdownTimeout")
            && let Some(ms) = duration_text(node).and_then(|t| duration_ms(&t))
            && !(1_000..=120_000).contains(&ms)
        {
            self.fail(
                Some(node),
                &root.key("shutdownTimeout"),
                ctx,
                "the value should be between 1 second and 2 minutes",
            );
        }
        if let Some(items) =
            child(child(s, "xsrf").into_iter().next(), "allowlist").and_then(Node::as_seq)
        {
            for (i, item) in items.iter().enumerate() {
                if let Some(p) = item.as_str()
                    && !p.contains("${")
                    && !p.starts_with('/')
                {
                    let path = root.key("xsrf").key("allowlist").index(i);
                    self.fail(Some(item), &path, ctx, "must start with a slash");
                }
            }
        }
        // `uuidRegexp` (http_config.ts 7.17; core-base-server-internal regexp.ts 8.x/9.x).
        if let Seen::Str(uuid) = seen(s, "uuid")
            && !is_kibana_uuid(uuid)
        {
            self.fail(
                child(s, "uuid"),
                &root.key("uuid"),
                ctx,
                "must be a valid uuid",
            );
        }
        // RESPONSE_HEADER_DENY_LIST (PR #98129, 7.12.2 on): names compared lower-cased, listed
        // as written.
        if let Some(headers) = child(s, "customResponseHeaders").and_then(Node::as_map) {
            let forbidden: Vec<&str> = headers
                .keys()
                .map(String::as_str)
                .filter(|h| matches!(h.to_ascii_lowercase().as_str(), "location" | "refresh"))
                .collect();
            if !forbidden.is_empty() {
                self.fail(
                    child(s, "customResponseHeaders"),
                    &root.key("customResponseHeaders"),
                    ctx,
                    &format!(
                        "The following custom response headers are not allowed to be set: {}",
                        forbidden.join(", ")
                    ),
                );
            }
        }
        let cors = child(s, "cors");
        if cors.is_some_and(|c| c.as_map().is_some())
            && seen(cors, "allowCredentials").bool_or(false) == Some(true)
        {
            let origins = child(cors, "allowOrigin");
            let wildcard = match origins.map(|o| &o.value) {
                None | Some(Value::Null) => true,
                Some(Value::Seq(items)) => items.iter().any(|i| i.as_str() == Some("*")),
                Some(Value::Str(t)) => t.value == "*",
                _ => false,
            };
            if wildcard {
                self.fail(
                    cors,
                    &root.key("cors"),
                    ctx,
                    "Cannot specify wildcard origin \"*\" with \"credentials: true\". Please provide a list of allowed origins.",
                );
            }
        }
        let request_id = child(s, "requestId");
        if seen(request_id, "allowFromAnyIp").bool_or(false) == Some(true)
            && child(request_id, "ipAllowlist")
                .and_then(Node::as_seq)
                .is_some_and(|l| !l.is_empty())
        {
            self.fail(
                request_id,
                &root.key("requestId"),
                ctx,
                "allowFromAnyIp must be set to 'false' if any values are specified in ipAllowlist",
            );
        }
        let ssl = child(s, "ssl");
        let ssl_ok = self.ssl(ssl, &root.key("ssl"), ctx, true);
        // The server object's own validate, first failing condition only.
        let base = seen(s, "basePath");
        if base.truthy() == Some(false) && seen(s, "rewriteBasePath").bool_or(false) == Some(true) {
            self.fail(
                child(s, "rewriteBasePath"),
                &root,
                ctx,
                "cannot use [rewriteBasePath] when [basePath] is not specified",
            );
            return;
        }
        if let Seen::Str(public) = seen(s, "publicBaseUrl") {
            let Some(message) = public_base_url(public, &base) else {
                return;
            };
            if !message.is_empty() {
                self.fail(child(s, "publicBaseUrl"), &root, ctx, &message);
                return;
            }
        }
        let compression = child(s, "compression");
        if seen(compression, "enabled").bool_or(true) == Some(false)
            && child(compression, "referrerWhitelist").is_some_and(|r| r.as_seq().is_some())
        {
            self.fail(
                child(compression, "referrerWhitelist"),
                &root,
                ctx,
                "cannot use [compression.referrerWhitelist] when [compression.enabled] is set to false",
            );
            return;
        }
        if ssl_ok && seen(ssl, "enabled").bool_or(false) == Some(true) {
            let redirect = child(ssl, "redirectHttpFromPort").and_then(number);
            let port = child(s, "port").and_then(number).unwrap_or(5601.0);
            if redirect == Some(port) {
                self.fail(
                    child(ssl, "redirectHttpFromPort"),
                    &root,
                    ctx,
                    &format!(
                        "Kibana does not accept http traffic to [port] when ssl is enabled (only https is allowed), so [ssl.redirectHttpFromPort] cannot be configured to the same value. Both are [{port}]."
                    ),
                );
            }
        }
    }

    /// An ssl object's validate (server: `sslSchema`; elasticsearch: only the keystore
    /// conflicts). Returns whether it passed.
    fn ssl(&mut self, ssl: Option<&Node>, path: &SettingPath, ctx: &Ctx, server: bool) -> bool {
        if ssl.is_none_or(|s| s.as_map().is_none()) {
            return true;
        }
        let keystore = seen(child(ssl, "keystore"), "path").truthy();
        let key = seen(ssl, "key").truthy();
        let certificate = seen(ssl, "certificate").truthy();
        let message = if key == Some(true) && keystore == Some(true) {
            Some("cannot use [key] when [keystore.path] is specified")
        } else if certificate == Some(true) && keystore == Some(true) {
            Some("cannot use [certificate] when [keystore.path] is specified")
        } else if !server {
            None
        } else if seen(ssl, "enabled").bool_or(false) == Some(true)
            && (key == Some(false) || certificate == Some(false))
            && keystore == Some(false)
        {
            Some(
                "must specify [certificate] and [key] -- or [keystore.path] -- when ssl is enabled",
            )
        } else if seen(ssl, "enabled").bool_or(false) == Some(false)
            && matches!(seen(ssl, "clientAuthentication"), Seen::Str(c) if c != "none")
        {
            Some("must enable ssl to use [clientAuthentication]")
        } else {
            None
        };
        match message {
            Some(m) => {
                self.fail(ssl, path, ctx, m);
                false
            }
            None => true,
        }
    }

    /// `telemetry.optIn`: `conditional(siblingRef('allowChangingOptInStatus'), false,
    /// maybe(literal(true)), boolean())` from 7.5 (PR #49798, whose matrix calls optIn: false
    /// with allowChangingOptInStatus: false invalid) to at least the 8.2/8.3 copy read
    /// (src/plugins/telemetry/server/config/config.ts @2ca7fce6); a plain boolean in the ≥8.4
    /// copy. Where 8.3 stands is not established, so only 7.x–8.2 are judged.
    pub(super) fn telemetry(&mut self, telemetry: &Node, ctx: &Ctx) {
        let t = Some(telemetry);
        if self.version < Version::new(8, 3, 0)
            && seen(t, "allowChangingOptInStatus").bool_or(true) == Some(false)
            && matches!(child(t, "optIn").and_then(Node::as_bool), Some(false))
        {
            self.fail(
                child(t, "optIn"),
                &SettingPath::parse("telemetry.optIn"),
                ctx,
                "expected value to equal [true]",
            );
        }
    }

    pub(super) fn elasticsearch(&mut self, es: &Node, ctx: &Ctx) {
        let root = SettingPath::parse("elasticsearch");
        let e = Some(es);
        if !matches!(seen(e, "username"), Seen::Absent)
            && !matches!(seen(e, "serviceAccountToken"), Seen::Absent)
        {
            self.fail(
                child(e, "serviceAccountToken"),
                &root.key("serviceAccountToken"),
                ctx,
                "serviceAccountToken cannot be specified when \"username\" is also set.",
            );
        }
        // ignoreVersionMismatch and skipStartupConnectionCheck, which a distributable Kibana
        // (dev: false, dist: true) takes only as false, are their rows' `only`.
        self.ssl(child(e, "ssl"), &root.key("ssl"), ctx, false);
    }
}

/// The server object's publicBaseUrl conditions (Node's legacy `url.parse`): `Some("")` when it
/// passes, `Some(message)` when not, `None` when it cannot be judged.
fn public_base_url(public: &str, base: &Seen) -> Option<String> {
    if public.contains("${") {
        return None;
    }
    let parsed = url::Url::parse(public).ok()?;
    // url.parse gives `query: ''` (falsy) for a bare `?`, but then a path of `/?`: not judged.
    if parsed.query() == Some("") {
        return None;
    }
    if parsed.query().is_some()
        || parsed.fragment().is_some()
        || !parsed.username().is_empty()
        || parsed.password().is_some()
    {
        return Some(
            "[publicBaseUrl] may only contain a protocol, host, port, and pathname".into(),
        );
    }
    let (want, shown) = match base {
        Seen::Str(b) => (b.to_string(), b.to_string()),
        Seen::Absent => ("/".to_string(), "undefined".to_string()),
        _ => return None,
    };
    // url.parse keeps the path as written (no normalisation of `..` or percent-encoding); the
    // WHATWG parser normalises, so only plain paths are judged.
    let path = parsed.path();
    if path.contains('%') || path.contains("/.") || public.contains('\\') {
        return None;
    }
    if path != want {
        return Some(format!(
            "[publicBaseUrl] must contain the [basePath]: {path} !== {shown}"
        ));
    }
    Some(String::new())
}

/// `/^[0-9a-f]{8}-[0-9a-f]{4}-[0-5][0-9a-f]{3}-[089ab][0-9a-f]{3}-[0-9a-f]{12}$/i`
fn is_kibana_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            14 => (b'0'..=b'5').contains(c),
            19 => matches!(c.to_ascii_lowercase(), b'0' | b'8' | b'9' | b'a' | b'b'),
            _ => c.is_ascii_hexdigit(),
        })
}
