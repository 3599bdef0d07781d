//! URL handling as Kibana's Node.js process does it: `new URL()` (WHATWG, via the `url` crate,
//! which implements the same standard), and the canonical `protocol//hostname:port` form that
//! `customHostSettings` entries are matched on (`lib/custom_host_settings.ts` `getCanonicalCustomHostUrl`).

use url::Url;

/// `new URL(s)`; `None` when Node would throw `TypeError: Invalid URL`.
pub(crate) fn parse(s: &str) -> Option<Url> {
    Url::parse(s).ok()
}

/// The port Kibana assumes when a URL has none.
pub(crate) fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        "smtp" => Some(25),
        _ => None,
    }
}

/// WHATWG `url.hostname`: lower-cased and punycoded for special schemes, IPv6 in brackets.
pub(crate) fn hostname(u: &Url) -> String {
    u.host_str().unwrap_or("").to_string()
}

/// `${url.protocol}//${url.hostname}:${port}` with the default port filled in; the port is 0
/// when Kibana cannot determine one (it then drops the entry).
pub(crate) fn canonical(u: &Url) -> (String, u16) {
    let port = u.port().or_else(|| default_port(u.scheme())).unwrap_or(0);
    (format!("{}://{}:{}", u.scheme(), hostname(u), port), port)
}

/// Whether the URL carries `user[:password]@`.
pub(crate) fn has_credentials(u: &Url) -> bool {
    !u.username().is_empty() || u.password().is_some()
}

/// The `user:password@` text as written in `raw`, for masking.
pub(crate) fn userinfo_in(raw: &str) -> Option<&str> {
    let after_scheme = raw.find("//").map(|i| i + 2)?;
    let rest = &raw[after_scheme..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let at = authority.rfind('@')?;
    Some(&authority[..at])
}

/// Whether the URL text names a port (`host:3128`, `[::1]:80`), even the scheme's default,
/// which WHATWG `url.port` hides.
pub(crate) fn has_explicit_port(raw: &str) -> bool {
    let Some(start) = raw.find("//").map(|i| i + 2) else {
        return false;
    };
    let rest = &raw[start..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match host_port.rsplit_once(':') {
        Some((host, port)) => {
            !port.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit())
                && (!host.starts_with('[') || host.ends_with(']'))
        }
        None => false,
    }
}

/// `https://user:pass@host` → `https://***@host`, for messages.
pub(crate) fn mask_userinfo(raw: &str) -> String {
    match userinfo_in(raw) {
        Some(info) if !info.is_empty() => raw.replacen(&format!("{info}@"), "***@", 1),
        _ => raw.to_string(),
    }
}

/// Node's `err.message` for a URL `new URL()` rejects (Node 20: just `Invalid URL`).
pub(crate) const INVALID_URL: &str = "Invalid URL";

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        canonical(&parse(s).unwrap()).0
    }

    /// kibana-settings.md §3.3 and custom_host_settings.test.ts getCanonical cases.
    #[test]
    fn canonical_forms_match_kibana() {
        assert_eq!(canon("http://elastic.com"), "http://elastic.com:80");
        assert_eq!(canon("https://elastic.co"), "https://elastic.co:443");
        assert_eq!(canon("smtp://mail.elastic.co"), "smtp://mail.elastic.co:25");
        assert_eq!(
            canon("http://user1:pass1@elastic.co:81/foo?bar#car"),
            "http://elastic.co:81"
        );
        assert_eq!(
            canon("https://user1:pass1@elastic.co:82/foo?bar#car"),
            "https://elastic.co:82"
        );
        assert_eq!(
            canon("smtp://user1:pass1@mail.elastic.co:83/foo?bar#car"),
            "smtp://mail.elastic.co:83"
        );
        assert_eq!(canon("https://Example.COM"), "https://example.com:443");
        assert_eq!(
            canon("https://example.com:8443/path?q=1#h"),
            "https://example.com:8443"
        );
        assert_eq!(
            canon("smtp://Mail.Example.com"),
            "smtp://Mail.Example.com:25"
        );
        assert_eq!(canon("https://[0:0:0:0:0:0:0:1]"), "https://[::1]:443");
        assert_eq!(
            canon("https://bücher.example"),
            "https://xn--bcher-kva.example:443"
        );
        assert_eq!(
            canon("https://host.example.com."),
            "https://host.example.com.:443"
        );
        assert_eq!(
            canonical(&parse("https://almost.purrfect.com:0").unwrap()).1,
            0
        );
        assert!(parse("https://example.com:99999").is_none());
        assert!(parse("example.com").is_none());
        assert!(parse("this! is! not! a! url!").is_none());
    }

    #[test]
    fn explicit_ports_even_when_default() {
        assert!(has_explicit_port("http://proxy:80"));
        assert!(has_explicit_port("http://u:p@proxy:3128/"));
        assert!(has_explicit_port("http://[::1]:3128"));
        assert!(!has_explicit_port("http://proxy"));
        assert!(!has_explicit_port("http://[::1]"));
        assert!(!has_explicit_port("http://u:p@proxy/x:1"));
    }

    #[test]
    fn userinfo_is_found_as_written() {
        assert_eq!(userinfo_in("http://u:p@proxy:3128"), Some("u:p"));
        assert_eq!(userinfo_in("http://proxy:3128/a@b"), None);
        assert_eq!(userinfo_in("proxy:3128"), None);
    }
}
