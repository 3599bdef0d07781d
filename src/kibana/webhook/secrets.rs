//! The webhook secrets: the schema, the combinations `webhook.ts` accepts, and credentials
//! in headers.

use super::problem::{Problem, ProblemKind};
use super::texts::*;
use crate::model::tree::{Map, Node, Value};
use crate::source::Location;
use crate::version::Version;

/// The secrets: keys, types, and the combination rule (`WebhookSecretConfigurationSchemaValidation`).
pub(crate) fn validate_secrets(
    version: Version,
    secrets: Option<&Node>,
    config: Option<&Node>,
    whole: Option<Location>,
    out: &mut Vec<Problem>,
) {
    let prefix = secrets_prefix(version);
    let empty = Map::default();
    let map = secrets.and_then(|s| s.as_map()).unwrap_or(&empty);
    let secrets_at = secrets.and_then(at).or(whole);

    for (key, node) in map {
        secret_key(version, prefix, key, node, out);
    }

    let held = Held::of(version, map);
    if !held.is_kind() {
        combination_problem(version, prefix, map, &held, secrets_at, out);
    }
    auth_without_credentials(secrets, config, whole, &held, out);
}

/// One secrets key: unknown, too new for this version, or of the wrong type.
fn secret_key(version: Version, prefix: &str, key: &str, node: &Node, out: &mut Vec<Problem>) {
    match SECRET_KEYS.iter().find(|(k, _)| *k == key) {
        None => out.push(
            Problem::new(
                ProblemKind::Secrets,
                format!("secrets.{key}"),
                key_at(node),
                format!("the webhook secrets have no `{key}`"),
            )
            .kibana(unknown_key_error(version, prefix, key))
            .help("secrets are user, password, crt, key, pfx (and clientSecret, secretHeaders on 9.x)"),
        ),
        Some((_, since)) if version < *since => {
            let p = Problem::new(
                ProblemKind::Secrets,
                format!("secrets.{key}"),
                key_at(node),
                format!("`{key}` exists from Kibana {}.{}; Kibana {version} rejects it", since.major, since.minor),
            )
            .kibana(unknown_key_error(version, prefix, key))
            .help("remove it, or upgrade Kibana")
            .note("the version each key arrived in is approximate (from pull request labels and docs)");
            out.push(p);
        }
        Some(_) => known_key(version, prefix, key, node, out),
    }
}

/// A key this version knows: its value's type, and `secretHeaders`' uncertain first version.
fn known_key(version: Version, prefix: &str, key: &str, node: &Node, out: &mut Vec<Problem>) {
    let ok = if key == "secretHeaders" {
        match &node.value {
            Value::Null => true,
            Value::Map(m) => m.values().all(|v| v.as_str().is_some()),
            _ => false,
        }
    } else {
        matches!(node.value, Value::Null | Value::Str(_))
    };
    if !ok {
        let expected = if key == "secretHeaders" {
            "object"
        } else {
            "string"
        };
        out.push(
            Problem::new(
                ProblemKind::Secrets,
                format!("secrets.{key}"),
                at(node),
                format!("`{key}` must be a {expected}, not {}", js_type(node)),
            )
            .kibana(type_error(version, prefix, key, expected, js_type(node)))
            .help("quote the value"),
        );
    }
    if key == "secretHeaders" && version < v(9, 3, 0) {
        out.push(
            Problem::new(
                ProblemKind::Secrets,
                "secrets.secretHeaders",
                key_at(node),
                format!("`secretHeaders` is documented for 9.2 but only seen in the 9.3 schema; whether Kibana {version} accepts it is not verified"),
            )
            .help("check on this Kibana, or send the header another way")
            .note("not verified for this version")
            .unverified(),
        );
    }
}

/// Which credentials the secrets hold as strings (`clientSecret` only where the version has it).
#[derive(Clone, Copy)]
struct Held {
    user: bool,
    password: bool,
    crt: bool,
    key: bool,
    pfx: bool,
    client_secret: bool,
}

impl Held {
    fn of(version: Version, map: &Map) -> Held {
        Held {
            user: is_set(map, "user"),
            password: is_set(map, "password"),
            crt: is_set(map, "crt"),
            key: is_set(map, "key"),
            pfx: is_set(map, "pfx"),
            client_secret: version >= v(9, 1, 0) && is_set(map, "clientSecret"),
        }
    }

    /// No credential at all.
    fn none(&self) -> bool {
        !self.user && !self.password && !self.crt && !self.key && !self.pfx && !self.client_secret
    }

    /// Whether the combination is one of the kinds the schema accepts (or none).
    fn is_kind(&self) -> bool {
        let Held {
            user,
            password,
            crt,
            key,
            pfx,
            client_secret,
        } = *self;
        let basic = user && password && !crt && !key && !pfx && !client_secret;
        let cert = crt && key && !user && !pfx && !client_secret;
        let pkcs12 = pfx && !user && !crt && !key && !client_secret;
        let oauth = client_secret && !user && !password && !crt && !key && !pfx;
        self.none() || basic || cert || pkcs12 || oauth
    }
}

/// Whether a secrets key holds a string.
fn is_set(map: &Map, k: &str) -> bool {
    map.get(k).is_some_and(|n| n.as_str().is_some())
}

/// The secrets mix credential kinds (or give half of one): the schema's refinement rejects them.
fn combination_problem(
    version: Version,
    prefix: &str,
    map: &Map,
    held: &Held,
    secrets_at: Option<Location>,
    out: &mut Vec<Problem>,
) {
    let Held {
        user,
        password,
        crt,
        key,
        pfx,
        ..
    } = *held;
    let mut text = "must specify one of the following schemas: user and password; crt and key (with optional password); or pfx (with optional password)".to_string();
    if version >= v(9, 3, 0) {
        text = text.replace("; or pfx", "; pfx") + "; or clientSecret (for OAuth2)";
    } else if version >= v(9, 1, 0) {
        text = text.replace("; or pfx", "; pfx") + "; or OAuth2 client secret";
    }
    let present: Vec<&str> = ["user", "password", "crt", "key", "pfx", "clientSecret"]
        .into_iter()
        .filter(|k| is_set(map, k))
        .collect();
    let help = if user != password && !crt && !key && !pfx {
        "basic authentication needs both user and password"
    } else if crt != key {
        "certificate authentication needs both crt and key"
    } else {
        "give exactly one kind of credential"
    };
    out.push(
        Problem::new(
            ProblemKind::Secrets,
            "secrets",
            secrets_at,
            format!(
                "the secrets combine {} , which is none of Kibana's credential kinds",
                present.join(" + ")
            )
            .replace(" ,", ","),
        )
        .kibana(format!("{prefix}{text}"))
        .help(help),
    );
}

/// Authentication that sends nothing (webhook.ts: basic auth only when both are strings).
fn auth_without_credentials(
    secrets: Option<&Node>,
    config: Option<&Node>,
    whole: Option<Location>,
    held: &Held,
    out: &mut Vec<Problem>,
) {
    let cfg = config.and_then(|c| c.as_map());
    let has_auth = cfg
        .and_then(|m| m.get("hasAuth"))
        .and_then(|n| n.as_bool())
        .unwrap_or(true);
    let auth_type = cfg.and_then(|m| m.get("authType")).and_then(|n| n.as_str());
    if !has_auth {
        return;
    }
    let (kind_ok, what, help) = match auth_type {
        None | Some(BASIC) => (
            held.user && held.password,
            "basic authentication (hasAuth is true, the default)",
            "add secrets.user and secrets.password, or set config.hasAuth to false if the endpoint needs none",
        ),
        Some(SSL) => (
            (held.crt && held.key) || held.pfx,
            "client-certificate authentication",
            "add secrets.crt and secrets.key (base64 PEM) or secrets.pfx",
        ),
        Some(OAUTH2) => (
            held.client_secret,
            "OAuth2 client credentials",
            "add secrets.clientSecret",
        ),
        Some(_) => (true, "", ""),
    };
    if !kind_ok && (held.none() || auth_type.is_some()) {
        out.push(
            Problem::new(
                ProblemKind::NoCredentials,
                "secrets",
                cfg.and_then(|m| m.get("authType").or(m.get("hasAuth")))
                    .and_then(at)
                    .or(secrets.and_then(at))
                    .or(config.and_then(at))
                    .or(whole),
                format!("{what} is configured but the secrets hold no credentials for it, so requests go without them"),
            )
            .help(help),
        );
    }
}

/// Header names that carry credentials.
pub(crate) fn sensitive_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    // Keys that identify, not authenticate.
    if matches!(
        n.as_str(),
        "idempotency-key" | "x-idempotency-key" | "x-api-key-id"
    ) {
        return false;
    }
    // By name: the credential words, wherever they stand (`X-Access-Key`,
    // `Ocp-Apim-Subscription-Key`, `X-Functions-Key`, `X-Signature`, `X-Auth-Token`, …).
    [
        "authorization",
        "cookie",
        "key",
        "token",
        "secret",
        "password",
        "passwd",
        "signature",
        "credential",
        "session",
        "auth",
    ]
    .iter()
    .any(|w| n.contains(w))
}
