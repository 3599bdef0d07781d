//! Findings from Kibana's config schema: unknown, removed, deprecated and mistyped settings,
//! each with Kibana's message and the fix.

use crate::checks::Context;
use crate::kibana::roots;
use crate::kibana::schema::{
    DeprecationEffect, IssueKind, SchemaIssue, Type, format_help, format_of_message, schema,
    ui_setting_fix,
};
use crate::model::tree::{Node, Seg, SettingPath};
use crate::report::finding::Finding;
use crate::rules::Rule;
use crate::version::Version;

pub(super) fn schema_issue(cx: &Context, issue: &SchemaIssue) -> Finding {
    let path = &issue.path;
    let f = match &issue.kind {
        IssueKind::Unknown { suggestion } => unknown_setting(cx, issue, suggestion.as_deref()),
        IssueKind::OtherKind { tag, written, kind } => {
            let key = path.last_key().unwrap_or("");
            Finding::new(
                Rule::UnknownSetting,
                format!(
                    "`{path}` is not a key of a `{tag}: {written}` entry in Kibana {}, so it refuses to start",
                    cx.version
                ),
            )
            .at(issue.key_at.or(issue.at))
            .label(format!("only `{tag}: {kind}` takes it"))
            .help(format!(
                "`{key}` belongs to `{tag}: {kind}`: remove it here, or set `{tag}: {kind}` if that is what this entry is"
            ))
        }
        IssueKind::UnknownRoot { suggestion } => unknown_root(cx, issue, suggestion.as_deref()),
        IssueKind::NoSchema { root } => Finding::new(
            Rule::UnknownSetting,
            format!(
                "`{path}` is not a setting Kibana {} knows: the plugin that owns `{root}` reads no settings, so Kibana refuses to start",
                cx.version
            ),
        )
        .at(issue.key_at.or(issue.at))
        .label("no setting exists here")
        .help(if path.to_string() == format!("{root}.enabled") {
            format!("remove it: Kibana 8.0 dropped the `enabled` switch of plugins without settings, and Kibana {} has no `{root}.*` key", cx.version)
        } else {
            format!("remove every `{root}.*` key: Kibana {} has none", cx.version)
        }),
        IssueKind::WrongType { expected, got } => Finding::new(
            Rule::InvalidSettingType,
            format!("`{path}` must be {} but is {}", article(expected), article(got)),
        )
        .at(issue.at)
        .help(type_help(expected, got)),
        IssueKind::Missing => Finding::new(
            Rule::InvalidSettingType,
            format!("`{path}` is required"),
        )
        .at(issue.at)
        .label("missing a required key")
        .help(format!("add `{}`", path.last_key().unwrap_or(""))),
        IssueKind::NoBranch {
            tag,
            literals,
            written,
            crash,
        } => no_branch(cx, issue, tag, literals, written.as_deref(), *crash),
        IssueKind::InvalidValue
            if schema()
                .spec_of(path)
                .is_some_and(|s| s.serverless_only_at(cx.version)) =>
        {
            Finding::new(
                Rule::InvalidSettingValue,
                format!(
                    "`{path}` is accepted only by Kibana on Elastic Cloud Serverless: a self-managed Kibana {} refuses to start with any value",
                    cx.version
                ),
            )
            .at(issue.at)
            .label("serverless only")
            .help("remove it (on Serverless, Elastic sets it)")
        }
        IssueKind::InvalidValue => Finding::new(
            Rule::InvalidSettingValue,
            format!("`{path}` has a value Kibana rejects"),
        )
        .at(issue.at)
        .help(value_help(path, &issue.kibana, cx.version)),
        // A root whose plugin, once it comes, reads no settings either: no release takes a key.
        IssueKind::NotYetAdded { since }
            if schema()
                .spec_of(path)
                .is_some_and(|s| s.namespace && s.no_schema_at(*since)) =>
        {
            Finding::new(
                Rule::UnknownSetting,
                format!(
                    "`{path}` is not a config root Kibana {v} has: no plugin reads it before {since}, and the plugin that takes it then defines no settings there either, so Kibana {v} refuses to start",
                    v = cx.version
                ),
            )
            .at(issue.key_at.or(issue.at))
            .help("remove it")
        }
        IssueKind::NotYetAdded { since } => Finding::new(
            Rule::SettingNotAvailable,
            format!("`{path}` exists only in Kibana {since} and later; Kibana {} refuses to start with it", cx.version),
        )
        .at(issue.key_at.or(issue.at))
        .help(format!("remove it, or lint with --kibana-version {since} if that is what you run")),
        IssueKind::Removed {
            removed,
            replacement,
            back,
        } => Finding::new(
            Rule::RemovedSetting,
            match back {
                Some(b) => format!("`{path}` was removed in Kibana {removed} and is back from {b}; Kibana {} refuses to start with it", cx.version),
                // The table starts at its first release (7.17): `removed` there means "by then".
                None if (removed.major, removed.minor) == (roots::FROM.major, roots::FROM.minor) => format!("`{path}` is not in Kibana {from} or later (it was removed in {from} or earlier); Kibana {} refuses to start with it", cx.version, from = format_args!("{}.{}", roots::FROM.major, roots::FROM.minor)),
                None => format!("`{path}` was removed in Kibana {removed}; Kibana {} refuses to start with it", cx.version),
            },
        )
        .at(issue.key_at.or(issue.at))
        .help(match (replacement, back) {
            (Some(r), _) => format!("use `{r}` instead"),
            (None, Some(b)) => format!("remove it (Kibana {b} and later accept it again)"),
            (None, None) => "remove it".to_string(),
        }),
        IssueKind::MaybeBack { removed, back } => Finding::new(
            Rule::UnverifiedSetting,
            match back {
                Some(b) => format!("`{path}` may not exist in Kibana {}: it was removed in {removed} and is back by {b}, in a release not verified", cx.version),
                None => format!("`{path}` may not exist in Kibana {}: it was removed in {removed}, and whether a later release brought it back is not verified", cx.version),
            },
        )
        .at(issue.key_at.or(issue.at))
        .help("check the setting in the docs of your exact Kibana version; if it is unknown there, Kibana refuses to start"),
        IssueKind::Unverified { since, gone } => {
            let msg = if *gone {
                format!("`{path}` may no longer exist in Kibana {}: when it was removed is not verified", cx.version)
            } else {
                match since {
                    // `since` is the first release known to have it, or, when none is, the
                    // earliest release whose sources may have it.
                    Some(s) if *s > cx.version => format!("`{path}` may not exist in Kibana {}: it is known from {s} on, its first release is not verified", cx.version),
                    Some(s) => format!("`{path}` may not exist in Kibana {}: Kibana's sources have it from about {s} on, but no release that ships it is verified", cx.version),
                    None => format!("`{path}` may not exist in Kibana {}: its first release is not verified", cx.version),
                }
            };
            Finding::new(Rule::UnverifiedSetting, msg)
                .at(issue.key_at.or(issue.at))
                .help("check the setting in the docs of your exact Kibana version; if it is unknown there, Kibana refuses to start")
        }
        IssueKind::Deprecated {
            replacement,
            effect,
        } => deprecated_setting(cx, issue, replacement.as_deref(), *effect),
        IssueKind::Warned { title, fix } => {
            let what = match title {
                Some(t) => t.clone(),
                None => format!("`{path}` has a deprecated value"),
            };
            Finding::new(
                Rule::DeprecatedSetting,
                format!(
                    "{what} (Kibana {} logs this deprecation at start-up)",
                    cx.version
                ),
            )
            .at(issue.key_at.or(issue.at))
            .help(fix.clone())
        }
    };
    f.kibana(issue.kibana.clone()).setting(path)
}

/// A key Kibana does not know: a spelling suggestion, and notes on why a real key may miss.
fn unknown_setting(cx: &Context, issue: &SchemaIssue, suggestion: Option<&str>) -> Finding {
    let path = &issue.path;
    let mut f = Finding::new(
        Rule::UnknownSetting,
        format!(
            "`{path}` is not a setting Kibana {} knows, so it refuses to start",
            cx.version
        ),
    )
    .at(issue.key_at.or(issue.at))
    .label("unknown setting");
    if let Some(s) = suggestion {
        f = f.help(format!("did you mean `{s}`?"));
    } else {
        f = f.help("remove it, or check the spelling against the Kibana settings reference");
    }
    // 8.14.0–8.15.0 did not split dotted keys inside list items (PR #190590).
    let key = path.last_key().unwrap_or("");
    let in_list = path
        .0
        .iter()
        .any(|s| matches!(s, crate::model::tree::Seg::Index(_)));
    // A record's entry whose name had a dot (a task type such as `alerting:.index-threshold`):
    // Kibana's loader splits every key at its dots (`ensureDeepObject`), so the name becomes two
    // levels and its second half is the unknown key.
    // Told apart from a typo inside an entry: the split entry holds nothing but this key.
    let mut entry = path.clone();
    entry.pop();
    let record_entry = path.len() >= 3
        && entry.last_key().is_some()
        && {
            let mut record = entry.clone();
            record.pop();
            schema()
                .spec_of(&record)
                .is_some_and(|s| s.ty == Type::Record)
        }
        && cx
            .loaded
            .root
            .at(&entry)
            .and_then(Node::as_map)
            .is_some_and(|m| m.len() == 1);
    if record_entry {
        f = f.note(format!(
            "if `{}.{key}` is one name, Kibana split it at the dot (it splits every key of kibana.yml at its dots), so a name with a dot cannot be a key here",
            entry.last_key().unwrap_or("")
        ));
    } else if key.contains('.') && in_list && !cx.version.splits_keys_in_values() {
        f = f.note(format!(
            "Kibana {} does not split dotted keys inside list items (fixed in 8.15.1): write `{}` as nested keys",
            cx.version, key
        ));
    } else if issue.kibana.contains("definition for this key is missing") {
        // The wording changed after PR #258633 (2026-03-19); its first release is not verified.
        f = f.note(format!(
            "newer Kibana words this as: Additional properties are not allowed ('{key}' was unexpected)"
        ));
    }
    f
}

/// Keys under a root neither core nor any bundled plugin has: a typo, or a third-party plugin.
fn unknown_root(cx: &Context, issue: &SchemaIssue, suggestion: Option<&str>) -> Finding {
    let path = &issue.path;
    let root = path.to_string();
    let f = Finding::new(
        Rule::UnknownSetting,
        format!(
            "`{root}` is not a config root Kibana knows: neither core nor a bundled plugin of any release from {}.{} to {} reads `{root}.*`, so Kibana {} refuses to start",
            crate::kibana::roots::FROM.major,
            crate::kibana::roots::FROM.minor,
            Version::NEWEST,
            cx.version,
        ),
    )
    .at(issue.key_at.or(issue.at))
    .label("unknown config root");
    match (suggestion, path.first_key()) {
        (Some(s), _) => f.help(format!("did you mean `{s}`?")),
        (None, Some(first)) if path.len() == 1 => f.help(format!(
            "check the spelling against the Kibana settings reference; if a third-party plugin with this config root is installed, declare it in kibana-preflight.toml: [plugins] installed = [\"{first}\"]"
        )),
        _ => f.help("remove it, or check the spelling against the Kibana settings reference"),
    }
}

/// A deprecated setting: what Kibana does with its value, and the setting to use instead.
fn deprecated_setting(
    cx: &Context,
    issue: &SchemaIssue,
    replacement: Option<&str>,
    effect: DeprecationEffect,
) -> Finding {
    let path = &issue.path;
    let what = match effect {
        DeprecationEffect::Kept => "still applies, but is deprecated",
        DeprecationEffect::NoLongerUsed => "is deprecated and Kibana no longer uses it",
        DeprecationEffect::Unset => {
            "is deprecated and Kibana ignores it (the deprecation handler removes it)"
        }
        DeprecationEffect::Renamed => "is deprecated; Kibana moves its value to the new setting",
        DeprecationEffect::IgnoredBothSet => {
            "is deprecated and ignored, because the new setting is also set"
        }
    };
    let removed = schema()
        .spec_of(path)
        .and_then(|s| s.removed.or(s.removed_maybe));
    let when = match removed {
        Some(v) if v > cx.version => format!("; it is removed in {}.{}", v.major, v.minor),
        _ => String::new(),
    };
    // A whole root moved by a deprecation (`xpack.monitoring` → `monitoring`).
    let root = schema()
        .spec_of(path)
        .is_some_and(|s| s.moves_to.is_some() && s.ty == Type::Object);
    if root && effect == DeprecationEffect::IgnoredBothSet {
        let to = replacement.unwrap_or_default();
        return Finding::new(
            Rule::DeprecatedSetting,
            format!("every `{path}.*` setting is ignored: Kibana moves `{path}` to `{to}`, and `{to}` is also set, so it drops `{path}` whole"),
        )
        .at(issue.key_at.or(issue.at))
        .help(format!("write these settings under `{to}` (the same names after `{to}.`), next to the ones already there"));
    }
    Finding::new(Rule::DeprecatedSetting, format!("`{path}` {what}{when}"))
        .at(issue.key_at.or(issue.at))
        .help(match replacement {
            Some(r) => format!("use `{}` instead", r.replace("[]", &index_of(path))),
            None => "remove it".to_string(),
        })
}

fn index_of(path: &SettingPath) -> String {
    path.0
        .iter()
        .find_map(|s| match s {
            crate::model::tree::Seg::Index(i) => Some(format!("[{i}]")),
            _ => None,
        })
        .unwrap_or_default()
}

fn article(t: &str) -> String {
    match t {
        "Array" | "array" => "a list".into(),
        "Object" | "object" => "a mapping".into(),
        "null" => "empty (null)".into(),
        "undefined" => "missing".into(),
        "string" => "a string".into(),
        "number" => "a number".into(),
        "boolean" => "a boolean".into(),
        other => other.into(),
    }
}

fn type_help(expected: &str, got: &str) -> String {
    match (expected, got) {
        ("array", "null") => "give a list, e.g. `[\"hooks.example.com\"]`; an empty `key:` is null, not an empty list".into(),
        ("array", "string") => "write a YAML list, or a JSON array string such as '[\"a.com\",\"b.com\"]'".into(),
        ("string", "number") => "quote the value; unquoted digits are a number in YAML".into(),
        ("string", "boolean") => "quote the value; unquoted true/false are booleans in YAML".into(),
        ("boolean", _) => "use true or false".into(),
        ("object", _) => "give a mapping of keys to values".into(),
        _ => format!("give {}", article(expected)),
    }
}

/// The fix for an Advanced Setting's override the ui settings service refuses
/// (src/kibana/schema/validators/ui_settings.rs).
fn ui_override_fix(path: &SettingPath, version: Version) -> Option<String> {
    match path.0.as_slice() {
        [Seg::Key(ui), Seg::Key(overrides), Seg::Key(id)]
            if ui == "uiSettings" && overrides == "overrides" =>
        {
            ui_setting_fix(id, version)
        }
        _ => None,
    }
}

fn value_help(path: &SettingPath, kibana: &str, version: Version) -> String {
    if let Some(fix) = ui_override_fix(path, version) {
        return fix;
    }
    // The csp object's checks (src/kibana/schema/validators/csp.rs), told apart by Kibana's message.
    if path.first_key() == Some("csp") {
        if kibana.contains("unsafe-inline") {
            return "remove `'unsafe-inline'` from `csp.script_src`; turning `csp.strict` and `csp.warnLegacyBrowsers` off would accept it, with less protection".into();
        }
        if kibana.contains("\"csp.rules\"") {
            return "move the sources of `csp.rules` into the per-directive settings (`csp.script_src`, …) and remove `csp.rules`".into();
        }
        if kibana.contains("nonce-") || kibana.contains("\"none\"") {
            return "remove that source: Kibana sets its own nonces, and `none` would block what Kibana itself loads".into();
        }
    }
    // The checks inside an appender's kinds (src/kibana/schema/validators/appenders.rs).
    for (said, help) in [
        (
            "Interval value cannot overflow to a higher time unit.",
            "write the interval as a whole number of the largest unit it reaches: `2h` or `1h`, not `90m`; `4w` or `1M`, not `30d`",
        ),
        (
            "but given:",
            "use one of ISO8601, ISO8601_TZ, ABSOLUTE, UNIX, UNIX_MILLIS inside `%date{…}`",
        ),
        (
            "pattern must include '%i'",
            "put `%i` where the rolled file's number goes, e.g. `-%i`",
        ),
        (
            "Retention policy must define at least one directive",
            "set `maxFiles`, `maxAccumulatedFileSize` or `removeOlderThan`, or remove `retention`",
        ),
        // validators/logging.rs: a logger or rewrite appender naming an appender nobody defined.
        (
            "appender key \"",
            "name an appender defined under `logging.appenders`, or the built-in `default` or `console`",
        ),
    ] {
        if kibana.contains(said) {
            return help.into();
        }
    }
    // i18n's object check (src/kibana/schema/validators/i18n.rs).
    if kibana.contains("must be one of [i18n.locales]") {
        return "add the default locale to `i18n.locales`, or set `i18n.defaultLocale` (formerly `i18n.locale`) to one of them".into();
    }
    let spec = schema().spec_of(path);
    // The other value is for Elastic Cloud Serverless or development builds.
    if let Some(only) = spec.and_then(|s| s.only) {
        return format!(
            "a self-managed Kibana accepts only `{only}` here: remove the setting or set it to `{only}`"
        );
    }
    if let Some(help) = spec
        .and_then(|s| s.format)
        .or_else(|| format_of_message(kibana))
        .and_then(format_help)
    {
        return help.into();
    }
    match spec {
        Some(s) if !s.values.is_empty() => format!(
            "use one of: {}",
            s.values_at(version).collect::<Vec<_>>().join(", ")
        ),
        Some(s) => match s.ty {
            crate::kibana::schema::Type::ByteSize => {
                "use a byte size such as `1mb`, `512kb` or a number of bytes".into()
            }
            crate::kibana::schema::Type::Duration => {
                "use a duration such as `60s`, `2m` or a number of milliseconds".into()
            }
            _ => {
                let mut bits = Vec::new();
                if let Some(m) = s.min_length {
                    bits.push(format!("at least {m} characters"));
                }
                if let Some(m) = s.min_size {
                    bits.push(format!("at least {m} item(s)"));
                }
                if let Some(m) = s.min {
                    bits.push(format!("at least {m}"));
                }
                if let Some(m) = s.max {
                    bits.push(format!("at most {m}"));
                }
                if bits.is_empty() {
                    "see the Kibana message for the constraint".into()
                } else {
                    format!("the value must be {}", bits.join(", "))
                }
            }
        },
        None => "see the Kibana message for the constraint".into(),
    }
}

/// An appender (layout, policy) whose `type` names no kind Kibana has, or that has none.
fn no_branch(
    cx: &Context,
    issue: &SchemaIssue,
    tag: &str,
    literals: &[&'static str],
    written: Option<&str>,
    crash: bool,
) -> Finding {
    let path = &issue.path;
    let choices = literals
        .iter()
        .map(|l| format!("`{l}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let Some(written) = written else {
        let how = if crash {
            format!(
                "Kibana {} stops with a TypeError while validating it, instead of a message",
                cx.version
            )
        } else {
            "Kibana refuses to start".to_string()
        };
        return Finding::new(
            Rule::InvalidSettingValue,
            format!("`{path}` has no `{tag}`, so it is none of the kinds Kibana takes: {how}"),
        )
        .at(issue.at)
        .label(format!("missing `{tag}`"))
        .help(format!("add `{tag}`: one of {choices}"));
    };
    // A kind of a later release (`remote_elasticsearch` outputs before 8.12).
    let later = schema().spec_of(path).and_then(|union| {
        schema()
            .branches(union.key)
            .find(|(literal, _)| *literal == written)
            .and_then(|(_, kind)| kind.added_maybe.or(kind.added))
            .filter(|since| *since > cx.version)
    });
    let help = match crate::suggest::suggest(written, literals.iter().copied()) {
        _ if let Some(since) = later => format!(
            "Kibana takes `{tag}: {written}` from {since} on: upgrade, or use one of {choices}"
        ),
        Some(meant) => format!(
            "did you mean `{meant}`? Kibana {} takes {choices}",
            cx.version
        ),
        None => format!("use one of {choices}"),
    };
    Finding::new(
        Rule::InvalidSettingValue,
        format!(
            "`{path}.{tag}` is `{written}`, which is no kind Kibana {} has, so it refuses to start",
            cx.version
        ),
    )
    .at(issue.at)
    .label("no such kind")
    .help(help)
}
