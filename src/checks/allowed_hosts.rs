//! Module `allowed-hosts`: does `xpack.actions.allowedHosts` let Kibana start, and can its
//! entries ever match?
//!
//! Each entry must pass `schema.string({hostname:true})` or be exactly `*` (startup is fatal
//! otherwise). At request time Kibana compares entries, verbatim, with Node's legacy
//! `url.parse(url).hostname`, which is lower-cased and punycoded with the port and IPv6 brackets
//! removed (`actions_config.ts` `isAllowed`): so an entry with upper case or Unicode is accepted
//! at startup but never matches anything.

use std::collections::HashMap;
use std::net::Ipv6Addr;

use super::{Check, Context, Outcome};
use crate::kibana::hostname::{self, NotHostname};
use crate::kibana::legacy_url;
use crate::kibana::settings::{Setting, StringList};
use crate::kibana::target::{Target, TargetSource};
use crate::kibana::webhook;
use crate::model::tree::SettingPath;
use crate::report::finding::Finding;
use crate::rules::{Module, Rule};

pub(crate) struct AllowedHosts;

impl Check for AllowedHosts {
    fn module(&self) -> Module {
        Module::AllowedHosts
    }

    fn run(&self, cx: &Context, out: &mut Outcome) {
        let Some(list) = &cx.settings.allowed_hosts else {
            out.skipped =
                Some("skipped: xpack.actions.allowedHosts is invalid (see config)".into());
            return;
        };
        for t in cx.targets {
            // Kibana parses the URL before the allowedHosts check; a connector URL that does
            // not parse is the connector module's finding (connector-invalid-url).
            let elsewhere =
                t.decision.whatwg_hostname.is_none() && t.source != TargetSource::CommandLine;
            if !t.decision.allowed && !elsewhere {
                out.push(not_allowed(cx, t, list));
            }
        }
        if list.value.is_empty() {
            out.push(
                Finding::new(
                    Rule::AllowedHostsEmpty,
                    "`xpack.actions.allowedHosts` is empty, so no host is allowed: every webhook connector fails",
                )
                .at(list.location())
                .setting(&list.path)
                .kibana("target url \"<url>\" is not added to the Kibana config xpack.actions.allowedHosts")
                .help("list the webhook hosts, e.g. [\"hooks.example.com\"], or remove the setting to allow any host"),
            );
            out.summary("no host is allowed");
            return;
        }
        let mut seen: HashMap<&str, &Setting<String>> = HashMap::new();
        let star = list.value.iter().find(|e| e.value == "*");
        for entry in &list.value {
            let value = entry.value.as_str();
            if value != "*"
                && let Err(why) = hostname::check(value)
            {
                out.push(invalid_entry(entry, why, &list.path));
                continue;
            }
            if let Some(first) = seen.get(value) {
                out.push(
                    Finding::new(
                        Rule::RedundantAllowedHost,
                        format!("`{value}` is listed twice"),
                    )
                    .at(entry.location())
                    .also(first.location(), "first listed here")
                    .setting(&entry.path)
                    .help("remove the duplicate"),
                );
                continue;
            }
            seen.insert(value, entry);
            if let Some(star) = star
                && value != "*"
            {
                out.push(
                    Finding::new(
                        Rule::RedundantAllowedHost,
                        format!("`{value}` has no effect: `*` in the same list already allows every host"),
                    )
                    .at(entry.location())
                    .also(star.location(), "allows every host")
                    .setting(&entry.path)
                    .help("remove `*` to restrict connectors to the listed hosts, or remove the other entries"),
                );
                continue;
            }
            never_matches(entry, out);
        }
        let allowed: Vec<&str> = list
            .value
            .iter()
            .map(|e| e.value.as_str())
            .filter(|v| *v == "*" || hostname::is_valid(v))
            .collect();
        out.summary(if allowed.contains(&"*") {
            if list.is_default() {
                "any host is allowed (xpack.actions.allowedHosts not set, default [\"*\"])"
                    .to_string()
            } else {
                "any host is allowed (\"*\")".to_string()
            }
        } else {
            format!("{} host(s) allowed: {}", allowed.len(), allowed.join(", "))
        });
    }
}

/// A webhook URL Kibana would reject, with the entry to add.
fn not_allowed(cx: &Context, t: &Target, list: &StringList) -> Finding {
    let url = t.shown_url();
    let mut kibana = webhook::custom_error(
        cx.version,
        &format!(
            "target url \"{url}\" is not added to the Kibana config xpack.actions.allowedHosts"
        ),
    );
    if t.decision.whatwg_hostname.is_none() {
        kibana = webhook::custom_error(
            cx.version,
            &format!(
                "unable to parse url: {}",
                webhook::node_invalid_url(cx.version)
            ),
        );
        return Finding::new(
            Rule::TargetNotAllowed,
            format!("`{url}` is not a URL Node.js can parse: Kibana rejects it before checking xpack.actions.allowedHosts"),
        )
        .at(t.location)
        .also(list.location(), "allowedHosts")
        .setting(&list.path)
        .kibana(kibana)
        .help("write the full URL with its scheme: https://host/path");
    }
    let (message, help) = match legacy_url::hostname(&t.url) {
        Err(legacy_url::Throws) => (
            format!(
                "`{url}` is never allowed: Node's url.parse rejects it, and Kibana then refuses it even with `*`"
            ),
            "fix the URL (check brackets around IPv6 addresses and characters in the host)"
                .to_string(),
        ),
        Ok(None) => (
            format!("`{url}` has no host that Kibana can check against xpack.actions.allowedHosts"),
            "write the full URL with its scheme: https://host/path".to_string(),
        ),
        Ok(Some(h)) if h.is_empty() => (
            format!("`{url}` has an empty host, so no allowedHosts entry can match it"),
            "write the full URL with its scheme: https://host/path".to_string(),
        ),
        Ok(Some(h)) => {
            let near = list.value.iter().find(|e| {
                e.value.eq_ignore_ascii_case(&h)
                    || e.value.trim_end_matches('.') == h.trim_end_matches('.')
            });
            let help = match near {
                Some(e) => format!(
                    "the entry `{}` is not written exactly `{h}`: entries are compared as written with the lower-cased hostname",
                    e.value
                ),
                None => format!("add `\"{h}\"` to xpack.actions.allowedHosts"),
            };
            (
                format!(
                    "`{url}` is not allowed: its host `{h}` is not in xpack.actions.allowedHosts"
                ),
                help,
            )
        }
    };
    Finding::new(Rule::TargetNotAllowed, message)
        .at(t.location)
        .also(list.location(), "allowedHosts")
        .setting(&list.path)
        .kibana(kibana)
        .help(help)
}

/// Kibana's startup error for a bad entry, and the entry it should have been.
fn invalid_entry(entry: &Setting<String>, why: NotHostname, list: &SettingPath) -> Finding {
    let index = entry.path.kibana_suffix(list.len() - 1);
    let prefix = format!("[config validation of [xpack.actions].{index}]");
    let kibana = if why == NotHostname::Empty {
        format!(
            "{prefix}: types that failed validation:\n- {p}.0]: \"value\" is not allowed to be empty\n- {p}.1]: expected value to equal [*]",
            p = prefix.trim_end_matches(']')
        )
    } else {
        format!(
            "{prefix}: types that failed validation:\n- {p}.0]: value must be a valid hostname (see RFC 1123).\n- {p}.1]: expected value to equal [*]",
            p = prefix.trim_end_matches(']')
        )
    };
    let value = entry.value.as_str();
    let help = match (why, suggested_host(value)) {
        (NotHostname::Wildcard, _) => {
            "list every host explicitly (there are no wildcard subdomains), or use `*` alone to allow any host".to_string()
        }
        (NotHostname::Underscore, _) => {
            "Kibana cannot allow a hostname with `_`: reach the webhook through a name without underscores".to_string()
        }
        (_, Some(host)) if host != value => format!("write the bare hostname: `{host}`"),
        _ => "write an RFC 1123 hostname or IP address, or `*`".to_string(),
    };
    Finding::new(
        Rule::InvalidAllowedHost,
        format!(
            "`{value}` is not a hostname: {}; Kibana refuses to start",
            why.describe()
        ),
    )
    .at(entry.location())
    .setting(&entry.path)
    .kibana(kibana)
    .help(help)
}

/// What the user probably meant: the host of a URL, without port, brackets or trailing dot.
fn suggested_host(value: &str) -> Option<String> {
    let trimmed = value.trim();
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("http://{trimmed}")
    };
    let host = url::Url::parse(&with_scheme)
        .ok()?
        .host_str()?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_string();
    hostname::is_valid(&host).then_some(host)
}

/// Entries the schema accepts that the comparison with `url.parse().hostname` can never equal.
fn never_matches(entry: &Setting<String>, out: &mut Outcome) {
    let value = entry.value.as_str();
    if value == "*" {
        return;
    }
    let (reason, fix) = if !value.is_ascii() {
        let puny = url::Url::parse(&format!("http://{value}"))
            .ok()
            .and_then(|u| u.host_str().map(str::to_string));
        (
            "URL hostnames are compared in punycode, and the entry is not".to_string(),
            puny.map(|p| format!("write `{p}`")),
        )
    } else if value.bytes().any(|b| b.is_ascii_uppercase()) && !value.contains(':') {
        (
            "URL hostnames are lower-cased before the comparison, and the entry is not".to_string(),
            Some(format!("write `{}`", value.to_ascii_lowercase())),
        )
    } else if let Ok(addr) = value.parse::<Ipv6Addr>() {
        let canonical = addr.to_string();
        if canonical != value {
            out.push(
                Finding::new(
                    Rule::AllowedHostIpv6Spelling,
                    format!("`{value}` only matches URLs that write the address exactly this way; `http://[{canonical}]/` would not match"),
                )
                .at(entry.location())
                .setting(&entry.path)
                .help(format!("use the form your webhook URLs use, usually the short one: `{canonical}`")),
            );
        }
        return;
    } else {
        return;
    };
    let mut f = Finding::new(
        Rule::AllowedHostNeverMatches,
        format!("`{value}` can never match: {reason}"),
    )
    .at(entry.location())
    .setting(&entry.path)
    .kibana("target url \"<url>\" is not added to the Kibana config xpack.actions.allowedHosts");
    if let Some(fix) = fix {
        f = f.help(fix);
    }
    out.push(f);
}
