//! The Webhook connector's own validation, version by version (kibana-api.md §2, §5): the create
//! body, the config and secrets schemas (`@kbn/config-schema` before 9.3, zod from 9.3), the
//! cross-field validator (`validations.ts`), connector ids, and the texts Kibana answers with.
//! Pure functions over located values; the `connector` check module turns problems into findings.

use base64::Engine as _;

use super::url as kurl;
use crate::model::tree::{Node, Value};
use crate::source::Location;
use crate::version::Version;

const BASIC: &str = "webhook-authentication-basic";
const SSL: &str = "webhook-authentication-ssl";
const OAUTH2: &str = "webhook-oauth2-client-credentials";
const QUERY_PARAM: &str = "http-authentication-query-param";

fn v(major: u32, minor: u32, patch: u32) -> Version {
    Version::new(major, minor, patch)
}

/// Whether the schemas are zod's (9.3+, `@kbn/connector-schemas`), which changes every message.
fn zod(version: Version) -> bool {
    version >= v(9, 3, 0)
}

/// `error validating action type config: ` (8.x–9.2) / `error validating connector type config: ` (9.3+).
pub fn config_prefix(version: Version) -> &'static str {
    if zod(version) {
        "error validating connector type config: "
    } else {
        "error validating action type config: "
    }
}

fn secrets_prefix(version: Version) -> &'static str {
    if zod(version) {
        "error validating connector type secrets: "
    } else {
        "error validating action type secrets: "
    }
}

/// The webhook validator's own prefix: `error configuring webhook action:` until ≈9.0,
/// `error validation webhook action config:` after (kibana-api.md §5.4, approximate boundary).
fn custom_prefix(version: Version) -> &'static str {
    if version >= v(9, 1, 0) {
        "error validation webhook action config:"
    } else {
        "error configuring webhook action:"
    }
}

/// The whole message Kibana returns for a failed cross-field check, e.g. the allowedHosts one.
pub fn custom_error(version: Version, inner: &str) -> String {
    format!(
        "{}{} {inner}",
        config_prefix(version),
        custom_prefix(version)
    )
}

/// `String(err)` for a URL `new URL()` rejects: Node 20 (Kibana 9) prints `TypeError: Invalid
/// URL`; the 8.x failure reports show `TypeError [ERR_INVALID_URL]: Invalid URL`.
pub fn node_invalid_url(version: Version) -> &'static str {
    if version >= v(9, 0, 0) {
        "TypeError: Invalid URL"
    } else {
        "TypeError [ERR_INVALID_URL]: Invalid URL"
    }
}

/// What kind of problem, so the check module can name the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The request body: `name`, `connector_type_id`, unknown top-level keys.
    Body,
    /// `config.url` missing, not a string, or not a URL.
    Url,
    /// A config key the version does not know, or a value of the wrong type or enum.
    Config,
    /// Secrets keys, types, or the combination rule.
    Secrets,
    /// `""` (or blanks) anywhere in config or secrets.
    EmptyValue,
    /// `authType` while `hasAuth: false`.
    AuthTypeWithoutAuth,
    /// `certType: ssl-pfx` while `xpack.actions.webhook.ssl.pfx.enabled: false`.
    PfxDisabled,
    /// OAuth2 client credentials missing fields, or `additionalFields` not a JSON object.
    OAuth2,
    /// `config.ca` that does not decode to a PEM certificate.
    Ca,
    /// Authentication that is configured but cannot send anything.
    NoCredentials,
    /// Credentials in `config.headers`, which are stored and shown in clear.
    CredentialInHeaders,
}

/// One thing Kibana would reject or do differently than the spec suggests.
#[derive(Clone, Debug)]
pub struct Problem {
    pub kind: ProblemKind,
    /// `config.method`, `secrets`, `name`…
    pub field: String,
    pub at: Option<Location>,
    pub message: String,
    pub kibana: Option<String>,
    pub help: String,
    /// A caveat: what about this is not verified.
    pub note: Option<String>,
    /// The behaviour is not verified for this version: report it as a warning.
    pub unverified: bool,
    /// A second place that matters (e.g. the kibana.yml setting that causes it).
    pub also: Option<(Location, &'static str)>,
}

impl Problem {
    fn new(
        kind: ProblemKind,
        field: impl Into<String>,
        at: Option<Location>,
        message: String,
    ) -> Problem {
        Problem {
            kind,
            field: field.into(),
            at,
            message,
            kibana: None,
            help: String::new(),
            note: None,
            unverified: false,
            also: None,
        }
    }

    fn kibana(mut self, k: String) -> Problem {
        self.kibana = Some(k);
        self
    }

    fn help(mut self, h: impl Into<String>) -> Problem {
        self.help = h.into();
        self
    }

    fn note(mut self, n: impl Into<String>) -> Problem {
        self.note = Some(n.into());
        self
    }

    fn unverified(mut self) -> Problem {
        self.unverified = true;
        self
    }
}

/// The config keys a version's schema knows, and the version each arrived in.
const CONFIG_KEYS: &[(&str, Version)] = &[
    ("url", Version::new(7, 10, 0)),
    ("method", Version::new(7, 10, 0)),
    ("headers", Version::new(7, 10, 0)),
    ("hasAuth", Version::new(7, 10, 0)),
    ("authType", Version::new(8, 10, 0)),
    ("certType", Version::new(8, 10, 0)),
    ("ca", Version::new(8, 10, 0)),
    ("verificationMode", Version::new(8, 10, 0)),
    ("accessTokenUrl", Version::new(9, 2, 0)),
    ("clientId", Version::new(9, 2, 0)),
    ("scope", Version::new(9, 2, 0)),
    ("additionalFields", Version::new(9, 2, 0)),
];

const SECRET_KEYS: &[(&str, Version)] = &[
    ("user", Version::new(7, 10, 0)),
    ("password", Version::new(7, 10, 0)),
    ("crt", Version::new(8, 10, 0)),
    ("key", Version::new(8, 10, 0)),
    ("pfx", Version::new(8, 10, 0)),
    ("clientSecret", Version::new(9, 1, 0)),
    ("secretHeaders", Version::new(9, 2, 0)),
];

/// The HTTP methods the schema accepts, and whether that is verified for the version.
pub fn methods(version: Version) -> (&'static [&'static str], bool) {
    const TWO: &[&str] = &["post", "put"];
    const FIVE: &[&str] = &["post", "put", "patch", "get", "delete"];
    if version >= v(9, 3, 0) {
        (FIVE, true)
    } else if version >= v(9, 0, 0) {
        // The 9.0–9.2 config-schema file already lists five, but the feature is documented for
        // 9.3 (kibana-api.md §5.2): not verified.
        (FIVE, false)
    } else {
        (TWO, true)
    }
}

fn auth_types(version: Version) -> Vec<&'static str> {
    let mut t = vec![BASIC, SSL];
    if version >= v(9, 2, 0) {
        t.push(OAUTH2);
    }
    if version >= v(9, 3, 0) {
        t.push(QUERY_PARAM);
    }
    t
}

fn js_type(node: &Node) -> &'static str {
    match &node.value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::Str(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

/// config-schema's `[key]: expected value of type [t] but got [u]` or zod's
/// `Field "key": Expected t, received u`.
fn type_error(version: Version, prefix: &str, field: &str, expected: &str, got: &str) -> String {
    if zod(version) {
        format!("{prefix}Field \"{field}\": Expected {expected}, received {got}")
    } else {
        format!("{prefix}[{field}]: expected value of type [{expected}] but got [{got}]")
    }
}

/// The enum message of each schema flavour.
fn enum_error(version: Version, prefix: &str, field: &str, allowed: &[&str], got: &Node) -> String {
    if zod(version) {
        let expected = allowed
            .iter()
            .map(|a| format!("'{a}'"))
            .collect::<Vec<_>>()
            .join(" | ");
        let received = match got.as_str() {
            Some(s) => format!("'{s}'"),
            None => got.display(),
        };
        format!(
            "{prefix}Field \"{field}\": Invalid enum value. Expected {expected}, received {received}"
        )
    } else {
        let mut s = format!("{prefix}[{field}]: types that failed validation:");
        for (i, a) in allowed.iter().enumerate() {
            s.push_str(&format!("\n- [{field}.{i}]: expected value to equal [{a}]"));
        }
        s
    }
}

fn unknown_key_error(version: Version, prefix: &str, key: &str) -> String {
    if zod(version) {
        format!("{prefix}Unrecognized key(s) in object: '{key}'")
    } else {
        format!("{prefix}[{key}]: definition for this key is missing")
    }
}

fn at(node: &Node) -> Option<Location> {
    node.location()
}

fn key_at(node: &Node) -> Option<Location> {
    node.key.or(node.location())
}

/// The create request body: `name`, `connector_type_id`, and nothing else besides config/secrets.
pub fn validate_body(body: &Node, whole: Option<Location>, out: &mut Vec<Problem>) {
    let Some(map) = body.as_map() else {
        return;
    };
    for key in ["name", "connector_type_id"] {
        match map.get(key) {
            None => out.push(
                Problem::new(
                    ProblemKind::Body,
                    key,
                    whole,
                    format!("the connector has no `{key}`"),
                )
                .kibana(format!(
                    "[request body.{key}]: expected value of type [string] but got [undefined]"
                ))
                .help(if key == "name" {
                    "add `\"name\": \"…\"`, the name shown in Kibana"
                } else {
                    "add `\"connector_type_id\": \".webhook\"`"
                }),
            ),
            Some(n) if n.as_str().is_none() => out.push(
                Problem::new(
                    ProblemKind::Body,
                    key,
                    at(n),
                    format!("`{key}` must be a string, not {}", js_type(n)),
                )
                .kibana(format!(
                    "[request body.{key}]: expected value of type [string] but got [{}]",
                    js_type(n)
                ))
                .help("write it as a JSON string"),
            ),
            Some(_) => {}
        }
    }
    if let Some(t) = map.get("connector_type_id").and_then(|n| n.as_str())
        && t != ".webhook"
        && !t.trim().is_empty()
    {
        out.push(
            Problem::new(
                ProblemKind::Body,
                "connector_type_id",
                at(&map["connector_type_id"]),
                format!("`connector_type_id` is `{t}`; this tool checks `.webhook` connectors"),
            )
            .help("set `\"connector_type_id\": \".webhook\"`, or check this connector another way"),
        );
    }
    for (key, node) in map {
        match key.as_str() {
            "name" | "connector_type_id" | "config" | "secrets" => {}
            "actionTypeId" => out.push(
                Problem::new(
                    ProblemKind::Body,
                    key.as_str(),
                    key_at(node),
                    "`actionTypeId` belongs to the legacy /api/actions/action route; /api/actions/connector takes `connector_type_id`".into(),
                )
                .kibana(format!("[request body.{key}]: definition for this key is missing"))
                .help("rename it to `connector_type_id`"),
            ),
            "id" => out.push(
                Problem::new(
                    ProblemKind::Body,
                    key.as_str(),
                    key_at(node),
                    "the connector id is not part of the body: it goes in the path, POST /api/actions/connector/<id>".into(),
                )
                .kibana(format!("[request body.{key}]: definition for this key is missing"))
                .help("remove `id` from the file and pass it with --connector-id"),
            ),
            _ => out.push(
                Problem::new(
                    ProblemKind::Body,
                    key.as_str(),
                    key_at(node),
                    format!("the create request has no `{key}` field"),
                )
                .kibana(format!("[request body.{key}]: definition for this key is missing"))
                .help("the body has name, connector_type_id, config and secrets only")
                .note("Kibana's wording for unknown body keys is the standard config-schema text, not verified by Kibana's tests"),
            ),
        }
    }
    for key in ["config", "secrets"] {
        if let Some(n) = map.get(key)
            && n.as_map().is_none()
            && !matches!(n.value, Value::Null)
        {
            out.push(
                Problem::new(
                    ProblemKind::Body,
                    key,
                    at(n),
                    format!("`{key}` must be an object, not {}", js_type(n)),
                )
                .kibana(format!(
                    "[request body.{key}]: expected value of type [object] but got [{}]",
                    js_type(n)
                ))
                .help(format!("write `{key}` as a JSON object")),
            );
        }
    }
}

/// Options that change what the validator accepts.
#[derive(Clone, Copy, Debug, Default)]
pub struct Switches {
    /// `xpack.actions.webhook.ssl.pfx.enabled: false`, with where it is set.
    pub pfx_disabled: Option<Option<Location>>,
}

/// The webhook config: schema, then the cross-field checks (the allowedHosts check is the
/// target evaluation's job).
pub fn validate_config(
    version: Version,
    config: Option<&Node>,
    whole: Option<Location>,
    switches: Switches,
    out: &mut Vec<Problem>,
) {
    let prefix = config_prefix(version);
    let empty = crate::model::tree::Map::default();
    let map = config.and_then(|c| c.as_map()).unwrap_or(&empty);
    let config_at = config.and_then(at).or(whole);

    for (key, node) in map {
        match CONFIG_KEYS.iter().find(|(k, _)| k == key) {
            None => {
                let near = CONFIG_KEYS
                    .iter()
                    .map(|(k, _)| *k)
                    .find(|k| k.eq_ignore_ascii_case(key) || strsim::levenshtein(k, key) <= 2);
                out.push(
                    Problem::new(
                        ProblemKind::Config,
                        format!("config.{key}"),
                        key_at(node),
                        format!("the webhook config has no `{key}` setting"),
                    )
                    .kibana(unknown_key_error(version, prefix, key))
                    .help(match near {
                        Some(k) => format!("did you mean `{k}`?"),
                        None => "remove it; webhook config keys are url, method, headers, hasAuth and the TLS/OAuth2 options".into(),
                    }),
                );
            }
            Some((_, since)) if version < *since => out.push(
                Problem::new(
                    ProblemKind::Config,
                    format!("config.{key}"),
                    key_at(node),
                    format!(
                        "`{key}` exists from Kibana {}.{}; Kibana {version} rejects it",
                        since.major, since.minor
                    ),
                )
                .kibana(unknown_key_error(version, prefix, key))
                .help("remove it, or upgrade Kibana")
                .note("the version each key arrived in is approximate (from pull request labels)"),
            ),
            Some(_) => {}
        }
    }

    // url
    let url = map.get("url");
    match url {
        None => out.push(
            Problem::new(
                ProblemKind::Url,
                "config.url",
                config_at,
                "the webhook config has no `url`".into(),
            )
            .kibana(if zod(version) {
                format!("{prefix}Field \"url\": Required")
            } else {
                format!("{prefix}[url]: expected value of type [string] but got [undefined]")
            })
            .help("add `\"url\": \"https://host/path\"`"),
        ),
        Some(n) => match n.as_str() {
            None => out.push(
                Problem::new(
                    ProblemKind::Url,
                    "config.url",
                    at(n),
                    format!("`url` must be a string, not {}", js_type(n)),
                )
                .kibana(type_error(version, prefix, "url", "string", js_type(n)))
                .help("write the URL as a string"),
            ),
            Some(u) if kurl::parse(u).is_none() => {
                let node_error = node_invalid_url(version);
                let help = if !u.contains("://") {
                    "write the full URL with its scheme: https://host/path"
                } else {
                    "fix the URL: check the brackets around IPv6 addresses, the port (0–65535) and characters in the host"
                };
                out.push(
                    Problem::new(
                        ProblemKind::Url,
                        "config.url",
                        at(n),
                        format!(
                            "`{}` is not a URL Node.js can parse",
                            kurl::mask_userinfo(u)
                        ),
                    )
                    .kibana(custom_error(
                        version,
                        &format!("unable to parse url: {node_error}"),
                    ))
                    .help(help)
                    .note("the Node.js error text depends on the Node version Kibana runs on"),
                );
            }
            Some(u) => {
                if let Some(parsed) = kurl::parse(u)
                    && !matches!(parsed.scheme(), "http" | "https")
                {
                    out.push(
                        Problem::new(
                            ProblemKind::Url,
                            "config.url",
                            at(n),
                            format!("`{}:` is not http: or https:; Kibana accepts the connector but its requests will fail", parsed.scheme()),
                        )
                        .help("use an http:// or https:// URL"),
                    );
                }
            }
        },
    }

    // method
    if let Some(n) = map.get("method") {
        let (allowed, verified) = methods(version);
        let value = n.as_str().unwrap_or_default();
        if !allowed.contains(&value) {
            let lower = value.to_ascii_lowercase();
            let help = if allowed.contains(&lower.as_str()) {
                format!("methods are lower-case: write `{lower}`")
            } else if methods(Version::DEFAULT).0.contains(&lower.as_str()) {
                format!(
                    "`{lower}` needs Kibana 9.3; Kibana {version} has {}",
                    allowed.join(", ")
                )
            } else {
                format!("use one of {}", allowed.join(", "))
            };
            out.push(
                Problem::new(
                    ProblemKind::Config,
                    "config.method",
                    at(n),
                    format!(
                        "Kibana {version} does not accept the method `{}`",
                        n.display()
                    ),
                )
                .kibana(enum_error(version, prefix, "method", allowed, n))
                .help(help),
            );
        } else if !verified && !["post", "put"].contains(&value) {
            out.push(
                Problem::new(
                    ProblemKind::Config,
                    "config.method",
                    at(n),
                    format!("the method `{value}` is documented from Kibana 9.3; whether {version} accepts it is not verified"),
                )
                .help("use post or put, or check on this Kibana (kibana-preflight can create and test the connector)")
                .note("not verified: the 9.0–9.2 schema file lists five methods, the feature is documented for 9.3")
                .unverified(),
            );
        }
    }

    // headers
    if let Some(n) = map.get("headers") {
        match &n.value {
            Value::Null => {}
            Value::Map(h) => {
                for (name, value) in h {
                    if value.as_str().is_none() {
                        let field = format!("headers.{name}");
                        // kibana.yml splits `X.Trace: 1` into nested keys: point at the leaf.
                        let nested = value.as_map().and_then(|m| m.values().next());
                        let help = if nested.is_some() {
                            format!(
                                "header values are strings; in kibana.yml a header name with dots is split into nested keys unless written `[{name}.…]` (8.14+)"
                            )
                        } else {
                            "quote the value".to_string()
                        };
                        out.push(
                            Problem::new(
                                ProblemKind::Config,
                                format!("config.{field}"),
                                at(value).or(value.key).or(nested.and_then(key_at)),
                                format!(
                                    "the header `{name}` must be a string, not {}",
                                    js_type(value)
                                ),
                            )
                            .kibana(type_error(
                                version,
                                prefix,
                                &field,
                                "string",
                                js_type(value),
                            ))
                            .help(help),
                        );
                    }
                    if sensitive_header(name) {
                        out.push(
                            Problem::new(
                                ProblemKind::CredentialInHeaders,
                                format!("config.headers.{name}"),
                                key_at(value),
                                format!("the header `{name}` carries a credential in config, which Kibana stores unencrypted and shows to anyone who can read connectors"),
                            )
                            .help(if version >= v(9, 2, 0) {
                                "move it to secrets.secretHeaders (encrypted; 9.2+), or use hasAuth with user/password"
                            } else {
                                "use hasAuth with secrets.user/password (encrypted) where the endpoint accepts basic auth"
                            }),
                        );
                    }
                }
            }
            _ => {
                let kibana = if zod(version) {
                    format!(
                        "{prefix}Field \"headers\": Expected object, received {}",
                        js_type(n)
                    )
                } else if n.as_str().is_some() {
                    format!(
                        "{prefix}[headers]: types that failed validation:\n- [headers.0]: could not parse record value from json input\n- [headers.1]: expected value to equal [null]"
                    )
                } else {
                    format!(
                        "{prefix}[headers]: types that failed validation:\n- [headers.0]: expected value of type [object] but got [{}]\n- [headers.1]: expected value to equal [null]",
                        js_type(n)
                    )
                };
                out.push(
                    Problem::new(
                        ProblemKind::Config,
                        "config.headers",
                        at(n),
                        format!(
                            "`headers` must be an object of name → value, not {}",
                            js_type(n)
                        ),
                    )
                    .kibana(kibana)
                    .help("write headers as {\"Content-Type\": \"application/json\"}"),
                );
            }
        }
    }

    // hasAuth
    let has_auth = map.get("hasAuth");
    if let Some(n) = has_auth
        && n.as_bool().is_none()
    {
        out.push(
            Problem::new(
                ProblemKind::Config,
                "config.hasAuth",
                at(n),
                format!("`hasAuth` must be true or false, not {}", n.display()),
            )
            .kibana(type_error(
                version,
                prefix,
                "hasAuth",
                "boolean",
                js_type(n),
            ))
            .help("write true or false without quotes"),
        );
    }

    // enums arriving in 8.10
    let auth = map.get("authType");
    if version >= v(8, 10, 0) {
        let types = auth_types(version);
        let enums: [(&str, Vec<&str>); 3] = [
            ("authType", types),
            ("certType", vec!["ssl-crt-key", "ssl-pfx"]),
            ("verificationMode", vec!["none", "certificate", "full"]),
        ];
        for (key, allowed) in enums {
            let Some(n) = map.get(key) else { continue };
            if matches!(n.value, Value::Null) {
                continue;
            }
            let ok = n.as_str().is_some_and(|s| allowed.contains(&s));
            if !ok {
                let newer = key == "authType"
                    && n.as_str()
                        .is_some_and(|s| auth_types(Version::DEFAULT).contains(&s));
                out.push(
                    Problem::new(
                        ProblemKind::Config,
                        format!("config.{key}"),
                        at(n),
                        format!("Kibana {version} does not accept {key} `{}`", n.display()),
                    )
                    .kibana(enum_error(version, prefix, key, &allowed, n))
                    .help(if newer {
                        format!(
                            "{} needs a newer Kibana (OAuth2 client credentials: 9.2)",
                            n.display()
                        )
                    } else {
                        format!("use one of {}", allowed.join(", "))
                    }),
                );
            }
        }
        for key in [
            "ca",
            "accessTokenUrl",
            "clientId",
            "scope",
            "additionalFields",
        ] {
            if let Some(n) = map.get(key)
                && !matches!(n.value, Value::Null | Value::Str(_))
            {
                out.push(
                    Problem::new(
                        ProblemKind::Config,
                        format!("config.{key}"),
                        at(n),
                        format!("`{key}` must be a string, not {}", js_type(n)),
                    )
                    .kibana(type_error(version, prefix, key, "string", js_type(n)))
                    .help("write it as a string"),
                );
            }
        }
    }

    // Cross-field checks (validations.ts), in Kibana's order.
    let auth_value = auth.and_then(|n| n.as_str());
    if has_auth.and_then(|n| n.as_bool()) == Some(false)
        && auth_value.is_some()
        && version >= v(8, 10, 0)
    {
        out.push(
            Problem::new(
                ProblemKind::AuthTypeWithoutAuth,
                "config.authType",
                auth.and_then(at),
                format!(
                    "`authType: {}` is set while `hasAuth` is false",
                    auth_value.unwrap_or_default()
                ),
            )
            .kibana(custom_error(
                version,
                "authType must be null or undefined if hasAuth is false",
            ))
            .help("remove authType (or set it to null), or set hasAuth to true"),
        );
    }
    if let Some(pfx_at) = switches.pfx_disabled
        && version >= v(9, 1, 0)
        && let Some(n) = map.get("certType")
        && n.as_str() == Some("ssl-pfx")
    {
        let mut p = Problem::new(
            ProblemKind::PfxDisabled,
            "config.certType",
            at(n),
            "`certType: ssl-pfx` is disabled by xpack.actions.webhook.ssl.pfx.enabled: false".into(),
        )
        .kibana(custom_error(version, "certType \"ssl-pfx\" is disabled"))
        .help("use certType ssl-crt-key with secrets.crt and secrets.key (base64 PEM), or enable PFX in kibana.yml");
        p.also = pfx_at.map(|l| (l, "PFX disabled here"));
        out.push(p);
    }
    if version >= v(9, 2, 0) && auth_value == Some(OAUTH2) {
        if let Some(n) = map.get("additionalFields")
            && let Some(text) = n.as_str()
            && !is_non_empty_json_object(text)
        {
            out.push(
                Problem::new(
                    ProblemKind::OAuth2,
                    "config.additionalFields",
                    at(n),
                    "`additionalFields` must be a JSON object in a string, with at least one field"
                        .into(),
                )
                .kibana(custom_error(
                    version,
                    "additionalFields must be a non-empty JSON object.",
                ))
                .help("write e.g. \"{\\\"audience\\\": \\\"api\\\"}\", or remove it"),
            );
        }
        let missing: Vec<&str> = [
            ("accessTokenUrl", "Access Token URL (accessTokenUrl)"),
            ("clientId", "Client ID (clientId)"),
        ]
        .iter()
        .filter(|(k, _)| map.get(*k).and_then(|n| n.as_str()).is_none())
        .map(|(_, label)| *label)
        .collect();
        if !missing.is_empty() {
            out.push(
                Problem::new(
                    ProblemKind::OAuth2,
                    "config.authType",
                    auth.and_then(at),
                    format!("OAuth2 client credentials need {}", missing.join(" and ")),
                )
                .kibana(custom_error(
                    version,
                    &format!("missing {} fields", missing.join(", ")),
                ))
                .help("add accessTokenUrl and clientId to config, clientSecret to secrets"),
            );
        }
    }

    // config.ca: base64 of a PEM (common/auth/utils.ts `Buffer.from(ca, 'base64')`).
    if version >= v(8, 10, 0)
        && let Some(n) = map.get("ca")
        && let Some(text) = n.as_str()
        && !text.trim().is_empty()
    {
        let (message, help) = if text.contains("-----BEGIN") {
            (
                "`ca` holds PEM text, but Kibana base64-decodes it first, so the CA becomes garbage".to_string(),
                "base64-encode the PEM file: `base64 -w0 ca.pem`",
            )
        } else {
            match decode_base64(text) {
                None => (
                    "`ca` is not base64".to_string(),
                    "give the CA as base64 of its PEM file: `base64 -w0 ca.pem`",
                ),
                Some(bytes) if !contains(&bytes, b"-----BEGIN CERTIFICATE-----") => (
                    "`ca` decodes to no PEM certificate (`-----BEGIN CERTIFICATE-----`)"
                        .to_string(),
                    "base64-encode the PEM file (not the DER one): `base64 -w0 ca.pem`",
                ),
                Some(_) => (String::new(), ""),
            }
        };
        if !message.is_empty() {
            out.push(
                Problem::new(ProblemKind::Ca, "config.ca", at(n), message)
                    .help(help)
                    .note("Kibana accepts the connector; TLS to the endpoint then fails because the CA cannot be read (Node's exact error is not verified)"),
            );
        }
    }
}

/// `JSON.parse` gives a non-empty plain object.
fn is_non_empty_json_object(text: &str) -> bool {
    matches!(
        serde_json::from_str::<serde_json::Value>(text),
        Ok(serde_json::Value::Object(m)) if !m.is_empty()
    )
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&compact))
        .ok()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// Header names that carry credentials.
pub fn sensitive_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "authorization"
        || n == "proxy-authorization"
        || n == "cookie"
        || n.contains("api-key")
        || n.contains("apikey")
        || n.contains("token")
        || n.contains("secret")
        || n.contains("password")
}

/// The secrets: keys, types, and the combination rule (`WebhookSecretConfigurationSchemaValidation`).
pub fn validate_secrets(
    version: Version,
    secrets: Option<&Node>,
    config: Option<&Node>,
    whole: Option<Location>,
    out: &mut Vec<Problem>,
) {
    let prefix = secrets_prefix(version);
    let empty = crate::model::tree::Map::default();
    let map = secrets.and_then(|s| s.as_map()).unwrap_or(&empty);
    let secrets_at = secrets.and_then(at).or(whole);

    for (key, node) in map {
        match SECRET_KEYS.iter().find(|(k, _)| k == key) {
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
            Some(_) => {
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
                    let expected = if key == "secretHeaders" { "object" } else { "string" };
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
        }
    }

    let set = |k: &str| map.get(k).is_some_and(|n| n.as_str().is_some());
    let (user, password, crt, key, pfx) = (
        set("user"),
        set("password"),
        set("crt"),
        set("key"),
        set("pfx"),
    );
    let client_secret = version >= v(9, 1, 0) && set("clientSecret");
    let none = !user && !password && !crt && !key && !pfx && !client_secret;
    let basic = user && password && !crt && !key && !pfx && !client_secret;
    let cert = crt && key && !user && !pfx && !client_secret;
    let pkcs12 = pfx && !user && !crt && !key && !client_secret;
    let oauth = client_secret && !user && !password && !crt && !key && !pfx;
    if !(none || basic || cert || pkcs12 || oauth) {
        let mut text = "must specify one of the following schemas: user and password; crt and key (with optional password); or pfx (with optional password)".to_string();
        if version >= v(9, 3, 0) {
            text = text.replace("; or pfx", "; pfx") + "; or clientSecret (for OAuth2)";
        } else if version >= v(9, 1, 0) {
            text = text.replace("; or pfx", "; pfx") + "; or OAuth2 client secret";
        }
        let present: Vec<&str> = ["user", "password", "crt", "key", "pfx", "clientSecret"]
            .into_iter()
            .filter(|k| set(k))
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

    // Authentication that sends nothing (webhook.ts: basic auth only when both are strings).
    let cfg = config.and_then(|c| c.as_map());
    let has_auth = cfg
        .and_then(|m| m.get("hasAuth"))
        .and_then(|n| n.as_bool())
        .unwrap_or(true);
    let auth_type = cfg.and_then(|m| m.get("authType")).and_then(|n| n.as_str());
    if has_auth {
        let (kind_ok, what, help) = match auth_type {
            None | Some(BASIC) => (
                user && password,
                "basic authentication (hasAuth is true, the default)",
                "add secrets.user and secrets.password, or set config.hasAuth to false if the endpoint needs none",
            ),
            Some(SSL) => (
                (crt && key) || pfx,
                "client-certificate authentication",
                "add secrets.crt and secrets.key (base64 PEM) or secrets.pfx",
            ),
            Some(OAUTH2) => (
                client_secret,
                "OAuth2 client credentials",
                "add secrets.clientSecret",
            ),
            Some(_) => (true, "", ""),
        };
        if !kind_ok && (none || auth_type.is_some()) {
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
}

/// `validateEmptyStrings` on the create route (7.17.6, 8.3.3, 8.4.0+): any string that is empty
/// after trimming, at any depth of config or secrets.
pub fn validate_empty_strings(version: Version, field: &str, node: &Node, out: &mut Vec<Problem>) {
    let applies = version >= v(8, 3, 3) || (version >= v(7, 17, 6) && version < v(8, 0, 0));
    if !applies {
        return;
    }
    match &node.value {
        // An unset `${VAR}` is reported as such, not as the empty string it leaves.
        Value::Str(t)
            if t.value.trim().is_empty()
                && !t
                    .env
                    .iter()
                    .any(|r| r.resolution == crate::source::env::Resolution::Missing) =>
        {
            let top = field.split('.').take(2).collect::<Vec<_>>().join(".");
            out.push(
                Problem::new(
                    ProblemKind::EmptyValue,
                    field,
                    at(node),
                    format!("`{field}` is empty"),
                )
                .kibana(format!("[request body.{top}]: value '' is not valid"))
                .help("remove the key or set it to null; Kibana rejects empty strings anywhere in config and secrets"),
            );
        }
        Value::Map(m) => {
            for (k, child) in m {
                validate_empty_strings(version, &format!("{field}.{k}"), child, out);
            }
        }
        Value::Seq(items) => {
            for (i, child) in items.iter().enumerate() {
                validate_empty_strings(version, &format!("{field}[{i}]"), child, out);
            }
        }
        _ => {}
    }
}

/// Why Kibana refuses a connector id given in the create path, if it does.
pub fn id_problem(version: Version, id: &str) -> Option<(String, Option<String>, &'static str)> {
    if version < v(8, 8, 0) {
        return Some((
            format!("Kibana {version} cannot create a connector under a chosen id (added in 8.8)"),
            None,
            "leave the id out and let Kibana generate one",
        ));
    }
    if version < v(9, 4, 0) {
        if id.is_empty() {
            return Some((
                "the connector id is empty".into(),
                None,
                "give a non-empty id, or none",
            ));
        }
        return None;
    }
    let message = if id.is_empty() {
        "Connector ID is required."
    } else if id.len() > 36 || matches!(id, "__proto__" | "constructor" | "prototype") {
        "Connector ID must be 36 characters or less."
    } else if !human_readable(id) {
        "Connector ID must contain only lowercase letters, numbers, and hyphens."
    } else {
        return None;
    };
    Some((
        format!(
            "Kibana {version} refuses the connector id `{id}`: {}",
            message.trim_end_matches('.').to_lowercase()
        ),
        Some(format!("[request params.id]: {message}")),
        "use lower-case letters, digits and hyphens, at most 36, not starting or ending with a hyphen",
    ))
}

/// `/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/`.
fn human_readable(id: &str) -> bool {
    let b = id.as_bytes();
    let ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty() && ok(&b[0]) && ok(&b[b.len() - 1]) && b.iter().all(|c| ok(c) || *c == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Origin;

    fn node(json: serde_json::Value) -> Node {
        Node::from_json(&json, &Origin::Default)
    }

    fn config(version: &str, json: serde_json::Value) -> Vec<Problem> {
        let mut out = Vec::new();
        validate_config(
            version.parse().unwrap(),
            Some(&node(json)),
            None,
            Switches::default(),
            &mut out,
        );
        out
    }

    fn secrets(version: &str, json: serde_json::Value) -> Vec<Problem> {
        let mut out = Vec::new();
        validate_secrets(
            version.parse().unwrap(),
            Some(&node(json)),
            None,
            None,
            &mut out,
        );
        out
    }

    fn kibana_texts(p: &[Problem]) -> Vec<String> {
        p.iter().filter_map(|p| p.kibana.clone()).collect()
    }

    /// Expected texts from the webhook unit tests (kibana-api.md §5.5).
    #[test]
    fn schema_messages_per_version() {
        let p = config(
            "8.19",
            serde_json::json!({"url": "https://a", "method": "https"}),
        );
        assert_eq!(
            kibana_texts(&p),
            [
                "error validating action type config: [method]: types that failed validation:\n- [method.0]: expected value to equal [post]\n- [method.1]: expected value to equal [put]"
            ]
        );
        let p = config(
            "9.3",
            serde_json::json!({"url": "https://a", "method": "https"}),
        );
        assert_eq!(
            kibana_texts(&p),
            [
                "error validating connector type config: Field \"method\": Invalid enum value. Expected 'post' | 'put' | 'patch' | 'get' | 'delete', received 'https'"
            ]
        );
        let p = config(
            "8.19",
            serde_json::json!({"url": "https://a", "headers": "x"}),
        );
        assert_eq!(
            kibana_texts(&p),
            [
                "error validating action type config: [headers]: types that failed validation:\n- [headers.0]: could not parse record value from json input\n- [headers.1]: expected value to equal [null]"
            ]
        );
        let p = config(
            "9.3",
            serde_json::json!({"url": "https://a", "headers": "x"}),
        );
        assert_eq!(
            kibana_texts(&p),
            [
                "error validating connector type config: Field \"headers\": Expected object, received string"
            ]
        );
        let p = config("8.19", serde_json::json!({}));
        assert_eq!(
            kibana_texts(&p),
            [
                "error validating action type config: [url]: expected value of type [string] but got [undefined]"
            ]
        );
        let p = config("8.19", serde_json::json!({"url": "https://a", "foo": 1}));
        assert_eq!(
            kibana_texts(&p),
            ["error validating action type config: [foo]: definition for this key is missing"]
        );
    }

    #[test]
    fn methods_follow_the_version() {
        assert!(
            config(
                "9.3",
                serde_json::json!({"url": "https://a", "method": "delete"})
            )
            .is_empty()
        );
        let p = config(
            "8.19",
            serde_json::json!({"url": "https://a", "method": "patch"}),
        );
        assert_eq!(p.len(), 1);
        assert!(!p[0].unverified);
        let p = config(
            "9.1",
            serde_json::json!({"url": "https://a", "method": "patch"}),
        );
        assert!(p[0].unverified, "9.0–9.2 extra methods are not verified");
        let p = config(
            "9.3",
            serde_json::json!({"url": "https://a", "method": "POST"}),
        );
        assert_eq!(p[0].help, "methods are lower-case: write `post`");
    }

    #[test]
    fn cross_field_checks() {
        let p = config(
            "9.3",
            serde_json::json!({"url": "https://a", "hasAuth": false, "authType": BASIC}),
        );
        assert_eq!(
            kibana_texts(&p),
            [
                "error validating connector type config: error validation webhook action config: authType must be null or undefined if hasAuth is false"
            ]
        );
        let p = config(
            "9.3",
            serde_json::json!({"url": "https://a", "authType": OAUTH2, "clientId": "c"}),
        );
        assert_eq!(
            kibana_texts(&p),
            [
                "error validating connector type config: error validation webhook action config: missing Access Token URL (accessTokenUrl) fields"
            ]
        );
        let p = config(
            "8.19",
            serde_json::json!({"url": "example.com/do-something"}),
        );
        assert_eq!(
            kibana_texts(&p),
            [
                "error validating action type config: error configuring webhook action: unable to parse url: TypeError [ERR_INVALID_URL]: Invalid URL"
            ]
        );
        // authType did not exist before 8.10.
        let p = config(
            "8.9",
            serde_json::json!({"url": "https://a", "authType": BASIC}),
        );
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].kind, ProblemKind::Config);
    }

    #[test]
    fn ca_must_be_base64_of_pem() {
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        let b64 = base64::engine::general_purpose::STANDARD.encode(pem);
        assert!(config("9.3", serde_json::json!({"url": "https://a", "ca": b64})).is_empty());
        let p = config("9.3", serde_json::json!({"url": "https://a", "ca": pem}));
        assert_eq!(p[0].kind, ProblemKind::Ca);
        let p = config(
            "9.3",
            serde_json::json!({"url": "https://a", "ca": "aGVsbG8="}),
        );
        assert_eq!(p[0].kind, ProblemKind::Ca);
    }

    #[test]
    fn secrets_combinations() {
        assert!(secrets("8.19", serde_json::json!({"user": "u", "password": "p"})).is_empty());
        assert!(
            secrets(
                "8.19",
                serde_json::json!({"crt": "c", "key": "k", "password": "p"})
            )
            .is_empty()
        );
        assert!(secrets("8.19", serde_json::json!({"pfx": "x"})).is_empty());
        let p = secrets("8.19", serde_json::json!({"user": "u"}));
        assert_eq!(
            kibana_texts(&p),
            [
                "error validating action type secrets: must specify one of the following schemas: user and password; crt and key (with optional password); or pfx (with optional password)"
            ]
        );
        let p = secrets(
            "9.3",
            serde_json::json!({"user": "u", "pfx": "x", "password": "p"}),
        );
        assert_eq!(
            kibana_texts(&p),
            [
                "error validating connector type secrets: must specify one of the following schemas: user and password; crt and key (with optional password); pfx (with optional password); or clientSecret (for OAuth2)"
            ]
        );
        let p = secrets("9.1", serde_json::json!({"user": "u"}));
        assert!(
            kibana_texts(&p)[0]
                .ends_with("; pfx (with optional password); or OAuth2 client secret")
        );
        // No secret value is ever quoted.
        let p = secrets(
            "9.3",
            serde_json::json!({"user": "alice-secret-user", "pfx": "pfx-secret-value"}),
        );
        for problem in &p {
            assert!(!format!("{problem:?}").contains("secret-value"));
            assert!(!format!("{problem:?}").contains("alice-secret-user"));
        }
    }

    #[test]
    fn missing_credentials_are_noticed() {
        let mut out = Vec::new();
        validate_secrets(
            Version::DEFAULT,
            None,
            Some(&node(serde_json::json!({"url": "https://a"}))),
            None,
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, ProblemKind::NoCredentials);
        let mut out = Vec::new();
        validate_secrets(
            Version::DEFAULT,
            None,
            Some(&node(
                serde_json::json!({"url": "https://a", "hasAuth": false}),
            )),
            None,
            &mut out,
        );
        assert!(out.is_empty());
    }

    #[test]
    fn empty_strings_from_8_3_3() {
        let n = node(serde_json::json!({"headers": {"X-A": " "}}));
        let mut out = Vec::new();
        validate_empty_strings("8.3.2".parse().unwrap(), "config", &n, &mut out);
        assert!(out.is_empty());
        validate_empty_strings("8.19".parse().unwrap(), "config", &n, &mut out);
        assert_eq!(
            kibana_texts(&out),
            ["[request body.config.headers]: value '' is not valid"]
        );
    }

    #[test]
    fn connector_ids() {
        assert!(id_problem("9.3".parse().unwrap(), "My_Connector").is_none());
        assert!(id_problem("8.7".parse().unwrap(), "abc").is_some());
        let (_, kibana, _) = id_problem("9.4".parse().unwrap(), "My_Connector").unwrap();
        assert_eq!(
            kibana.unwrap(),
            "[request params.id]: Connector ID must contain only lowercase letters, numbers, and hyphens."
        );
        assert!(id_problem("9.4".parse().unwrap(), "ops-webhook-1").is_none());
        assert!(id_problem("9.4".parse().unwrap(), "-ops").is_some());
        assert!(id_problem("9.4".parse().unwrap(), &"a".repeat(37)).is_some());
        assert!(
            id_problem(
                "9.4".parse().unwrap(),
                "5a0b1f44-8c3e-4d6f-9a7b-2c1d0e9f8a7b"
            )
            .is_none()
        );
        assert!(
            id_problem(
                "9.4".parse().unwrap(),
                "5A0B1F44-8C3E-4D6F-9A7B-2C1D0E9F8A7B"
            )
            .is_some()
        );
    }
}
