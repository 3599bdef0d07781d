//! Module `encryption-key`: is `xpack.encryptedSavedObjects.encryptionKey` set, long enough and
//! not a key the world knows?
//!
//! Without it the actions plugin disables its APIs (`plugin.ts`: "APIs are disabled because the
//! Encrypted Saved Objects plugin is missing encryption key"), so no connector can be created.
//! Keys shorter than 32 characters (JavaScript string length) are fatal at startup. The same rules
//! apply to `xpack.security.encryptionKey` and to `keyRotation.decryptionOnlyKeys`.
//! Key values are never printed: messages give lengths and origins only.

use std::sync::LazyLock;

use super::{Check, Context, Outcome};
use crate::kibana::settings::Setting;
use crate::report::finding::{Finding, Provenance};
use crate::rules::{Module, Rule};
use crate::source::Origin;
use crate::source::env::{EnvOrigin, Resolution};

pub(crate) struct EncryptionKey;

const ESO: &str = "xpack.encryptedSavedObjects.encryptionKey";
const MIN: usize = 32;

static PUBLISHED: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("../../rules/data/published-keys.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Words that real random keys do not contain.
const PLACEHOLDER_WORDS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "example",
    "placeholder",
    "random",
    "your",
    "secret",
    "encryption",
    "replace",
    "insert",
    "todo",
    "xxxx",
    "test",
    "default",
    "password",
    "at_least",
    "at-least",
    "32char",
    "characters",
    "sample",
    "dummy",
];

impl Check for EncryptionKey {
    fn module(&self) -> Module {
        Module::EncryptionKey
    }

    fn run(&self, cx: &Context, out: &mut Outcome) {
        offline(cx, out);
        provided_elsewhere(cx, out);
        live(cx, out);
        // A key whose `${VAR}` is unset has no value to judge: never a pass. The config module
        // reports Kibana's error for the variable itself.
        if let Some(key) = &cx.settings.eso_key
            && let Some(names) = unresolved(key)
            && out.findings.is_empty()
        {
            out.skipped = Some(format!(
                "skipped: {ESO} depends on {names}, which the environment given does not set; give --env-file or --docker-env with Kibana's environment"
            ));
        }
    }
}

/// A key the files do not set but the platform does (the ECK operator generates all three;
/// `spec.secureSettings` puts others in the keystore): present, its value not seen here.
fn provided_elsewhere(cx: &Context, out: &mut Outcome) {
    let by = |setting: &str| {
        cx.inputs
            .provided
            .iter()
            .find(|(k, _)| k == setting)
            .map(|(_, by)| by.clone())
    };
    let mut said = Vec::new();
    out.findings.retain(|f| {
        let missing = matches!(
            f.rule,
            Rule::EncryptionKeyMissing | Rule::AuxiliaryEncryptionKeyMissing
        );
        match f.setting.as_deref().and_then(by) {
            Some(who) if missing => {
                said.push(format!(
                    "{} is set by {who}",
                    f.setting.as_deref().unwrap_or_default()
                ));
                false
            }
            _ => true,
        }
    });
    if !said.is_empty() && out.findings.is_empty() {
        out.summary(format!("{} (values not seen here)", said.join("; ")));
    }
}

/// `/api/alerting/_health` (kibana-api.md §7.1): `has_permanent_encryption_key` and
/// `is_sufficiently_secure`, reconciled with what the files say.
fn live(cx: &Context, out: &mut Outcome) {
    let Some(health) = cx.kibana().and_then(|f| f.health()) else {
        return;
    };
    let flag = |k: &str| health.get(k).and_then(|v| v.as_bool());
    match flag("has_permanent_encryption_key") {
        Some(false) => {
            out.findings
                .retain(|f| f.rule != Rule::EncryptionKeyMissing);
            out.push(
                Finding::new(
                    Rule::RunningKibanaLacksEncryptionKey,
                    "the running Kibana has no permanent encryption key (`has_permanent_encryption_key: false`): every connector API answers 500",
                )
                .kibana("{\"statusCode\":500,\"error\":\"Internal Server Error\",\"message\":\"An internal server error occurred. Check Kibana server logs for details.\"} (log: Unable to create actions client because the Encrypted Saved Objects plugin is missing encryption key.)")
                .help(format!("set {ESO} (32+ characters) where the running Kibana reads it — kibana.yml, the keystore or XPACK_ENCRYPTEDSAVEDOBJECTS_ENCRYPTIONKEY — and restart")),
            );
            out.summary("the running Kibana has no permanent encryption key");
        }
        Some(true) => {
            let before = out.findings.len();
            out.findings
                .retain(|f| f.rule != Rule::EncryptionKeyMissing);
            if out.findings.len() < before {
                out.push(
                    Finding::new(
                        Rule::EncryptionKeyOutsideFiles,
                        format!("the files given do not set {ESO}, but the running Kibana has a permanent key: it probably comes from the keystore or the container environment"),
                    )
                    .help("lint with --keystore or --docker-env to check that key too (its length and whether it is a published one)"),
                );
                out.summary("the running Kibana has a permanent encryption key (set outside the files given)");
            }
        }
        None => {}
    }
    if flag("is_sufficiently_secure") == Some(false) {
        out.push(
            Finding::new(
                Rule::AlertingNotSufficientlySecure,
                "the running Kibana reports `is_sufficiently_secure: false`: Elasticsearch security is on but API keys are not usable, so rules that would use the connector cannot run",
            )
            .help("enable API keys in Elasticsearch (xpack.security.authc.api_key.enabled) and use TLS between Kibana and Elasticsearch"),
        );
    }
}

fn offline(cx: &Context, out: &mut Outcome) {
    let s = cx.settings;
    let eso_path = crate::model::tree::SettingPath::parse(ESO);
    match &s.eso_key {
        None if s.is_invalid(&eso_path) => {
            out.skipped = Some(format!("skipped: {ESO} is invalid (see config)"));
        }
        None => {
            out.push(missing(cx));
            out.summary(format!("{ESO} is not set: connectors cannot be created"));
        }
        Some(key) => {
            let short = too_short(key, "xpack.encryptedSavedObjects", out);
            if !short {
                weak(key, out);
            }
            out.summary(match unresolved(key) {
                Some(names) => format!(
                    "{ESO} is not judged: it depends on {names}, which the environment given does not set"
                ),
                None => format!("{ESO} is set {}", describe_origin(key)),
            });
        }
    }
    if let Some(key) = &s.security_key
        && !too_short(key, "xpack.security", out)
    {
        weak(key, out);
    }
    for key in &s.decryption_only_keys {
        too_short(key, "xpack.encryptedSavedObjects", out);
        if let Some(primary) = &s.eso_key
            && primary.value == key.value
        {
            out.push(
                    Finding::new(
                        Rule::DecryptionOnlyContainsPrimary,
                        "`keyRotation.decryptionOnlyKeys` contains the primary encryption key, so Kibana refuses to start",
                    )
                    .at(key.location())
                    .also(primary.location(), "primary key")
                    .setting(&key.path)
                    .kibana("[config validation of [xpack.encryptedSavedObjects]]: `keyRotation.decryptionOnlyKeys` cannot contain primary encryption key specified in `encryptionKey`.")
                    .help("list only previous keys in decryptionOnlyKeys"),
                );
        }
    }
    reused(cx, out);
    for (key, setting, effect) in [
        (
            &s.security_key,
            "xpack.security.encryptionKey",
            "sessions are invalidated whenever Kibana restarts",
        ),
        (
            &s.reporting_key,
            "xpack.reporting.encryptionKey",
            "reporting jobs queued before a restart fail",
        ),
    ] {
        if key.is_none() && !s.is_invalid(&crate::model::tree::SettingPath::parse(setting)) {
            out.push(
                    Finding::new(
                        Rule::AuxiliaryEncryptionKeyMissing,
                        format!("`{setting}` is not set: Kibana generates a random key at each start, so {effect}"),
                    )
                    .setting_str(setting)
                    .help(format!("set {setting} (32+ random characters, e.g. from `bin/kibana-encryption-keys generate`), the same on every Kibana instance")),
                );
        }
    }
}

fn missing(cx: &Context) -> Finding {
    let commented = cx
        .loaded
        .commented
        .iter()
        .find(|c| c.key == ESO || c.key.eq_ignore_ascii_case(ESO));
    let mut f = Finding::new(
        Rule::EncryptionKeyMissing,
        if commented.is_some() {
            format!("`{ESO}` is only present in a comment, so it is not set: the actions APIs are disabled and no connector can be created")
        } else {
            format!("`{ESO}` is not set: the actions APIs are disabled and no connector can be created")
        },
    )
    .setting_str(ESO)
    .kibana("APIs are disabled because the Encrypted Saved Objects plugin is missing encryption key. Please set xpack.encryptedSavedObjects.encryptionKey in the kibana.yml or use the bin/kibana-encryption-keys command.")
    .help("set it to 32+ random characters (`bin/kibana-encryption-keys generate`), in kibana.yml, the keystore or the Docker env XPACK_ENCRYPTEDSAVEDOBJECTS_ENCRYPTIONKEY; use the same key on every Kibana instance");
    if let Some(c) = commented {
        f = f.at(Some(c.at)).label("commented out");
    }
    let unseen: Vec<&str> = [
        (!cx.inputs.keystore).then_some("--keystore"),
        (!cx.inputs.docker_env).then_some("--docker-env"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !unseen.is_empty() {
        f = f.note(format!(
            "if the key lives in the keystore or the container environment, lint with {}",
            unseen.join(" / ")
        ));
    }
    f
}

/// Kibana's minLength(32), counted in UTF-16 code units like JavaScript's `length`.
fn too_short(key: &Setting<String>, namespace: &str, out: &mut Outcome) -> bool {
    // An unset variable already stops Kibana (undefined-env-var); its length means nothing.
    if key.env.iter().any(|r| r.resolution == Resolution::Missing) {
        return true;
    }
    let len = key.value.encode_utf16().count();
    if len >= MIN {
        return false;
    }
    let suffix = key.path.kibana_suffix(namespace.split('.').count());
    let mut f = Finding::new(
        Rule::EncryptionKeyTooShort,
        format!(
            "`{}` is {len} characters long{}; Kibana requires at least {MIN} and refuses to start",
            key.path,
            from_env(key).map(|v| format!(" after expanding {v}")).unwrap_or_default()
        ),
    )
    .at(key.location())
    .setting(&key.path)
    .provenance(keystore(key))
    .kibana(format!(
        "[config validation of [{namespace}].{suffix}]: value has length [{len}] but it must have a minimum length of [{MIN}]."
    ))
    .help("use 32 or more random characters, e.g. from `bin/kibana-encryption-keys generate` or `openssl rand -hex 32`");
    for r in &key.env {
        if let Resolution::Env(EnvOrigin::File { value, .. }) = &r.resolution {
            f = f.also(Some(*value), format!("`{}` is set here", r.name));
        }
    }
    if key.env.iter().any(|r| r.resolution == Resolution::Default) {
        f = f.note(
            "the value comes from a `${NAME:default}` default because the variable is not set",
        );
    }
    out.push(f);
    true
}

/// A published key, or one that reads like a placeholder.
fn weak(key: &Setting<String>, out: &mut Outcome) {
    let value = key.value.as_str();
    let published = PUBLISHED.contains(&value);
    let lower = value.to_lowercase();
    let distinct = {
        let mut chars: Vec<char> = value.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        chars.len()
    };
    let placeholder = PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) || distinct <= 4;
    let (rule, what) = if published {
        (
            Rule::PublishedEncryptionKey,
            "is a key published in tutorials and examples: anyone can decrypt what it protects",
        )
    } else if placeholder {
        (
            Rule::PlaceholderEncryptionKey,
            "looks like a placeholder, not a random key",
        )
    } else {
        return;
    };
    out.push(
        Finding::new(rule, format!("`{}` {what}", key.path))
            .at(key.location())
            .setting(&key.path)
            .provenance(keystore(key))
            .help("generate a random key (`bin/kibana-encryption-keys generate`); to change the ESO key without losing connector secrets, move the old one to xpack.encryptedSavedObjects.keyRotation.decryptionOnlyKeys"),
    );
}

/// The same value used for several keys: one leak exposes all of them.
fn reused(cx: &Context, out: &mut Outcome) {
    let s = cx.settings;
    let keys: Vec<&Setting<String>> = [&s.eso_key, &s.security_key, &s.reporting_key]
        .into_iter()
        .flatten()
        .collect();
    for (i, a) in keys.iter().enumerate() {
        for b in &keys[i + 1..] {
            if a.value == b.value && !a.value.is_empty() {
                out.push(
                    Finding::new(
                        Rule::EncryptionKeyReused,
                        format!(
                            "`{}` has the same value as `{}`: one leaked key exposes both",
                            b.path, a.path
                        ),
                    )
                    .at(b.location())
                    .also(a.location(), "same value")
                    .setting(&b.path)
                    .help("give each encryption key its own random value"),
                );
            }
        }
    }
}

/// The `${VAR}`s of `key` that are unset with no default, if any: its value is unknown.
fn unresolved(key: &Setting<String>) -> Option<String> {
    let names: Vec<String> = key
        .env
        .iter()
        .filter(|r| r.resolution == Resolution::Missing)
        .map(|r| format!("${{{}}}", r.name))
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

fn from_env(key: &Setting<String>) -> Option<String> {
    let names: Vec<String> = key.env.iter().map(|r| format!("${{{}}}", r.name)).collect();
    (!names.is_empty()).then(|| names.join(", "))
}

fn keystore(key: &Setting<String>) -> Option<Provenance> {
    match &key.origin {
        Origin::Keystore { file, key } => Some(Provenance::Keystore {
            file: *file,
            key: key.clone(),
        }),
        _ => None,
    }
}

fn describe_origin(key: &Setting<String>) -> String {
    let len = key.value.encode_utf16().count();
    let whence = match &key.origin {
        Origin::Keystore { .. } => "in the keystore".to_string(),
        Origin::File(_) if !key.env.is_empty() => {
            format!("from {}", from_env(key).unwrap_or_default())
        }
        Origin::File(loc) => format!("at line {}", loc.span.start.line),
        Origin::Default => "by default".to_string(),
    };
    format!("{whence} ({len} characters)")
}
