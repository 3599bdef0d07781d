//! The webhook config: the schema field by field, then the cross-field checks of
//! `validations.ts` (the allowedHosts check is the target evaluation's job).

use base64::Engine as _;

use super::problem::{Problem, ProblemKind};
use super::secrets::sensitive_header;
use super::texts::*;
use crate::kibana::url as kurl;
use crate::model::tree::{Map, Node, Value};
use crate::source::Location;
use crate::version::Version;

/// Options that change what the validator accepts.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Switches {
    /// `xpack.actions.webhook.ssl.pfx.enabled: false`, with where it is set.
    pub(crate) pfx_disabled: Option<Option<Location>>,
}

/// What every field check of the config reads.
#[derive(Clone, Copy)]
struct Fields<'a> {
    version: Version,
    /// Kibana's message prefix for the config (`[config.…]` or zod's `Field "…"`), per version.
    prefix: &'static str,
    map: &'a Map,
    /// The config object, or the whole spec when there is none.
    at: Option<Location>,
    switches: Switches,
}

/// The webhook config: schema, then the cross-field checks (the allowedHosts check is the
/// target evaluation's job).
pub(crate) fn validate_config(
    version: Version,
    config: Option<&Node>,
    whole: Option<Location>,
    switches: Switches,
    out: &mut Vec<Problem>,
) {
    let empty = Map::default();
    let map = config.and_then(|c| c.as_map()).unwrap_or(&empty);
    let f = Fields {
        version,
        prefix: config_prefix(version),
        map,
        at: config.and_then(at).or(whole),
        switches,
    };
    // In Kibana's order: the schema field by field, then the cross-field checks (validations.ts).
    keys(&f, out);
    url(&f, out);
    method(&f, out);
    headers(&f, out);
    has_auth(&f, out);
    typed_fields(&f, out);
    auth_type_without_auth(&f, out);
    pfx_disabled(&f, out);
    oauth2(&f, out);
    ca(&f, out);
}

/// Keys the schema does not know, or knows only from a later version.
fn keys(f: &Fields, out: &mut Vec<Problem>) {
    let version = f.version;
    let prefix = f.prefix;
    let map = f.map;
    for (key, node) in map {
        match CONFIG_KEYS.iter().find(|(k, _)| k == key) {
            None => {
                let near = crate::suggest::suggest(key, CONFIG_KEYS.iter().map(|(k, _)| *k));
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
}

/// `url`: present, a string, a URL Node can parse, http: or https:.
fn url(f: &Fields, out: &mut Vec<Problem>) {
    let version = f.version;
    let prefix = f.prefix;
    let map = f.map;
    let config_at = f.at;
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
}

/// `method`: one of the version's methods.
fn method(f: &Fields, out: &mut Vec<Problem>) {
    let version = f.version;
    let prefix = f.prefix;
    let map = f.map;
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
}

/// `headers`: an object of strings, and no credential in it.
fn headers(f: &Fields, out: &mut Vec<Problem>) {
    let version = f.version;
    let prefix = f.prefix;
    let map = f.map;
    let _auth = map.get("authType");
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
}

/// `hasAuth`: a boolean.
fn has_auth(f: &Fields, out: &mut Vec<Problem>) {
    let version = f.version;
    let prefix = f.prefix;
    let map = f.map;
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
}

/// The enums and strings that arrived in 8.10 (`authType`, `certType`, `verificationMode`, …).
fn typed_fields(f: &Fields, out: &mut Vec<Problem>) {
    let version = f.version;
    let prefix = f.prefix;
    let map = f.map;
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
}

/// validations.ts: `authType` set while `hasAuth` is false.
fn auth_type_without_auth(f: &Fields, out: &mut Vec<Problem>) {
    let version = f.version;
    let map = f.map;
    let has_auth = map.get("hasAuth");
    let auth = map.get("authType");
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
}

/// validations.ts: `certType: ssl-pfx` while `xpack.actions.webhook.ssl.pfx.enabled` is false.
fn pfx_disabled(f: &Fields, out: &mut Vec<Problem>) {
    let version = f.version;
    let map = f.map;
    let switches = f.switches;
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
}

/// validations.ts: OAuth2 client credentials need their fields.
fn oauth2(f: &Fields, out: &mut Vec<Problem>) {
    let version = f.version;
    let map = f.map;
    let auth = map.get("authType");
    let auth_value = auth.and_then(|n| n.as_str());
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
}

/// `config.ca`: base64 of a PEM (common/auth/utils.ts `Buffer.from(ca, 'base64')`).
fn ca(f: &Fields, out: &mut Vec<Problem>) {
    let version = f.version;
    let map = f.map;
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
