//! Node's legacy `url.parse(url, false, true).hostname`, which Kibana's allowedHosts check compares
//! entries with (`actions_config.ts` `isHostnameAllowedInUri`). It differs from WHATWG `new URL()`:
//! it never fails on a missing scheme (`github.com/x` has no host), keeps IPv6 text as written
//! (without brackets), keeps a trailing dot, cuts the host at the first "non-host" character,
//! and only throws in a few cases (which Kibana then treats as "not allowed", even with `*`).
//!
//! A transcription of `Url.prototype.parse` / `parseHost` / `getHostname` of Node 20's lib/url.js,
//! checked against Node itself by tests/node_cross_check.rs.

/// Node's `url.parse` threw `ERR_INVALID_URL`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Throws;

/// `url.parse(...).hostname`: `Ok(None)` when the URL has no host part, `Err(Throws)` when Node
/// throws `ERR_INVALID_URL`.
pub(crate) fn hostname(url: &str) -> Result<Option<String>, Throws> {
    let rest = normalise(url);
    let mut rest: &str = &rest;

    // protocolPattern = /^[a-z0-9.+-]+:/i
    let proto_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'))
        .count();
    let proto = (proto_len > 0 && rest.as_bytes().get(proto_len) == Some(&b':'))
        .then(|| &rest[..=proto_len]);
    if let Some(p) = proto {
        rest = &rest[p.len()..];
    }
    let lower_proto = proto.map(str::to_ascii_lowercase);
    let hostless = matches!(lower_proto.as_deref(), Some("javascript:"));
    // slashesDenoteHost is true in Kibana's call.
    let slashes = rest.starts_with("//");
    if slashes && !hostless {
        rest = &rest[2..];
    }
    // slashedProtocol is checked with the protocol as written (not lower-cased).
    let slashed_proto = matches!(
        proto,
        Some("http:" | "https:" | "ftp:" | "gopher:" | "file:" | "ws:" | "wss:")
    );
    if hostless || !(slashes || (proto.is_some() && !slashed_proto)) {
        return Ok(None);
    }

    // Tabs, newlines and carriage returns are removed from the authority part.
    let mut host_part = String::new();
    let mut non_host = None;
    let mut at_sign = None;
    for (i, c) in rest.char_indices() {
        match c {
            '\t' | '\n' | '\r' => continue,
            ' ' | '"' | '%' | '\'' | ';' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}'
                if non_host.is_none() =>
            {
                non_host = Some(host_part.len());
            }
            '#' | '/' | '?' => {
                if non_host.is_none() {
                    non_host = Some(host_part.len());
                }
                let _ = i;
                break;
            }
            '@' => {
                at_sign = Some(host_part.len());
                non_host = None;
            }
            _ => {}
        }
        host_part.push(c);
    }
    let start = at_sign.map_or(0, |a| a + 1);
    let host = match non_host {
        None => &host_part[start.min(host_part.len())..],
        Some(end) => &host_part[start.min(end)..end],
    };

    // parseHost: strip /:[0-9]*$/.
    let host = match host.rfind(':') {
        Some(i) if host[i + 1..].bytes().all(|b| b.is_ascii_digit()) => &host[..i],
        _ => host,
    };
    let mut hostname = host.to_string();
    let ipv6 = hostname.starts_with('[') && hostname.ends_with(']') && hostname.len() >= 2;
    if !ipv6 && let Some(cut) = hostname.find(['/', '\\', '#', '?', ':']) {
        hostname.truncate(cut);
    }
    if hostname.encode_utf16().count() > 255 {
        hostname.clear();
    } else {
        hostname = js_lowercase(&hostname);
    }
    if !hostname.is_empty() {
        if ipv6 {
            if hostname.contains([
                '\0', '\t', '\n', '\r', ' ', '#', '%', '/', '<', '>', '?', '@', '\\', '^', '|',
            ]) {
                return Err(Throws);
            }
        } else {
            hostname = idna::domain_to_ascii(&hostname).map_err(|_| Throws)?;
            let forbidden = hostname.is_empty()
                || hostname.contains([
                    '\0', '\t', '\n', '\r', ' ', '#', '%', '/', ':', '<', '>', '?', '@', '[', '\\',
                    ']', '^', '|',
                ]);
            if forbidden {
                return Err(Throws);
            }
        }
    }
    // `this.hostname.slice(1, -1)`: on a name already cleared for length that is "" too.
    if ipv6 {
        hostname = hostname
            .get(1..hostname.len().saturating_sub(1))
            .unwrap_or_default()
            .to_string();
    }
    Ok(Some(hostname))
}

/// Trims whitespace (code < 33, U+00A0, U+FEFF) at both ends and turns backslashes before the
/// first `?` or `#` into slashes, as `url.parse` does first.
fn normalise(url: &str) -> String {
    let is_ws = |c: char| (c as u32) < 33 || c == '\u{a0}' || c == '\u{feff}';
    let trimmed = url.trim_matches(is_ws);
    let mut out = String::with_capacity(trimmed.len());
    let mut split = false;
    for c in trimmed.chars() {
        match c {
            '#' | '?' => {
                split = true;
                out.push(c);
            }
            '\\' if !split => out.push('/'),
            _ => out.push(c),
        }
    }
    out
}

/// JavaScript's `toLowerCase` for hostnames (full Unicode lower-casing).
fn js_lowercase(s: &str) -> String {
    s.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(url: &str) -> Option<String> {
        hostname(url).expect("no throw")
    }

    /// kibana-settings.md §2.3–2.4 (observed with Node 20.20.2) and more, checked against Node.
    #[test]
    fn node_legacy_hostnames() {
        let cases: &[(&str, Option<&str>)] = &[
            ("https://github.com/elastic/kibana", Some("github.com")),
            ("github.com/elastic", None),
            ("//my-domain.com/foo", Some("my-domain.com")),
            ("https://GITHUB.com/x", Some("github.com")),
            ("https://github.com:8443/x", Some("github.com")),
            ("http://[::1]:8080/", Some("::1")),
            ("http://[0:0:0:0:0:0:0:1]/", Some("0:0:0:0:0:0:0:1")),
            ("https://bücher.example/", Some("xn--bcher-kva.example")),
            ("https://example.com./", Some("example.com.")),
            ("ftp://example.com/", Some("example.com")),
            ("https://example.com\\@evil.com/", Some("example.com")),
            ("", None),
            ("not a url at all", None),
            ("  https://a.com  ", Some("a.com")),
            ("http://a@b@c/", Some("c")),
            ("http://a b.com/", Some("a")),
            ("https://exa_mple.com/", Some("exa_mple.com")),
            ("HTTPS://A.COM/", Some("a.com")),
            ("mailto:foo@bar.com", Some("bar.com")),
            ("javascript:alert(1)", None),
            ("https://%65xample.com/", Some("")),
            ("https://ex:ample.com/", Some("ex")),
            ("https://host.com;x/", Some("host.com")),
            ("https://a.com%2f@b.com", Some("b.com")),
            ("https://example.com:80:90/", Some("example.com")),
            ("http://a\tb.com/", Some("ab.com")),
            ("http:a.com/x", None),
            ("https:///a.com/", Some("")),
            ("https://[v1.x]/", Some("v1.x")),
        ];
        // A bracketed host over 255 characters is cleared, then unbracketed: "" (no panic).
        let long = format!("http://[{}]/", "1".repeat(300));
        assert_eq!(h(&long).as_deref(), Some(""));
        for (url, want) in cases {
            assert_eq!(h(url).as_deref(), *want, "{url:?}");
        }
    }

    #[test]
    fn cases_where_node_throws() {
        for url in [
            "http://[::1/",
            "https://[fe80::1%eth0]/",
            "https://xn--a.com/",
            "https://ex[ample.com/",
        ] {
            assert_eq!(hostname(url), Err(Throws), "{url:?}");
        }
    }
}
