//! The hostname rule behind `schema.string({ hostname: true })`, used by
//! `xpack.actions.allowedHosts`, `proxyBypassHosts` and `proxyOnlyHosts`.
//!
//! config-schema calls Joi's `string().hostname()`, which accepts a value when
//! `@sideway/address` `isDomainValid(value, { minDomainSegments: 1 })` holds or the value is an
//! IP address (IPv4, IPv6 or IPvFuture, no CIDR). The domain check rejects control characters,
//! spaces and URL separators (`@ : / \ # ! $ & ' ( ) * + , ; = ?`), punycodes the value through
//! `new URL('http://' + value).host`, then requires 1–63 character labels of letters, digits and
//! inner hyphens, the last label starting with a letter. (joi 17.13.9, as bundled by Kibana.)

/// Why a value is not a hostname, in the user's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NotHostname {
    Empty,
    TooLong,
    Scheme,
    Port,
    Path,
    Wildcard,
    Brackets,
    Underscore,
    TrailingDot,
    EmptyLabel,
    LabelTooLong,
    Whitespace,
    /// Other URL separators (`@`, `?`, `#`, …).
    Separator,
    /// A last label that does not start with a letter (`1.2.3`, `256.1.1.1`).
    BadLastLabel,
    /// A label starting or ending with `-`, or other characters.
    BadCharacter,
    /// An IPv6 zone id (`fe80::1%eth0`).
    Zone,
}

impl NotHostname {
    /// What is wrong, for messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            NotHostname::Empty => "it is empty",
            NotHostname::TooLong => "it is longer than 256 characters",
            NotHostname::Scheme => "it is a URL with a scheme, not a hostname",
            NotHostname::Port => "it has a port; ports are not part of a hostname",
            NotHostname::Path => "it has a path; paths are not part of a hostname",
            NotHostname::Wildcard => "wildcards are not supported (only a lone `*` is)",
            NotHostname::Brackets => "IPv6 addresses are written without brackets here",
            NotHostname::Underscore => "underscores are not allowed in hostnames",
            NotHostname::TrailingDot => "a trailing dot is not allowed",
            NotHostname::EmptyLabel => "it has an empty label (`..`)",
            NotHostname::LabelTooLong => "a label is longer than 63 characters",
            NotHostname::Whitespace => "it contains whitespace",
            NotHostname::Separator => "it contains URL punctuation",
            NotHostname::BadLastLabel => {
                "the last label must start with a letter (and this is not a valid IP address)"
            }
            NotHostname::BadCharacter => "labels may only hold letters, digits and inner hyphens",
            NotHostname::Zone => "IPv6 zone ids (`%eth0`) are not allowed",
        }
    }
}

/// Checks a value as Joi's `string().hostname()` does (empty strings included).
pub(crate) fn check(value: &str) -> Result<(), NotHostname> {
    if value.is_empty() {
        return Err(NotHostname::Empty);
    }
    if is_ip(value) {
        return Ok(());
    }
    match domain_problem(value) {
        None => Ok(()),
        Some(p) => Err(explain(value, p)),
    }
}

pub(crate) fn is_valid(value: &str) -> bool {
    check(value).is_ok()
}

/// The raw reason from the domain algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Domain {
    TooLong,
    InvalidChars,
    EmptySegment,
    LongSegment,
    InvalidSegment,
    InvalidTld,
}

fn domain_problem(value: &str) -> Option<Domain> {
    if value.encode_utf16().count() > 256 {
        return Some(Domain::TooLong);
    }
    let control = |c: char| {
        (c as u32) <= 0x20
            || matches!(
                c,
                '@' | ':'
                    | '/'
                    | '\\'
                    | '#'
                    | '!'
                    | '$'
                    | '&'
                    | '\''
                    | '('
                    | ')'
                    | '*'
                    | '+'
                    | ','
                    | ';'
                    | '='
                    | '?'
            )
    };
    if value.chars().any(control) {
        return Some(Domain::InvalidChars);
    }
    let domain = punycode(value);
    let segments: Vec<&str> = domain.split('.').collect();
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() {
            return Some(Domain::EmptySegment);
        }
        if seg.len() > 63 {
            return Some(Domain::LongSegment);
        }
        let last = i + 1 == segments.len();
        let b = seg.as_bytes();
        let inner_ok = b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-');
        let ends_ok = b[b.len() - 1].is_ascii_alphanumeric();
        let starts_ok = if last {
            b[0].is_ascii_alphabetic()
        } else {
            b[0].is_ascii_alphanumeric()
        };
        if !(inner_ok && ends_ok && starts_ok) {
            return Some(if last {
                Domain::InvalidTld
            } else {
                Domain::InvalidSegment
            });
        }
    }
    None
}

/// `new URL('http://' + domain).host`, or the input when that fails (`%` escaped first).
fn punycode(domain: &str) -> String {
    // ASCII without punycode labels only gets lower-cased by the URL parser, except names whose
    // last label is numeric (parsed as IPv4), which fail the label rules either way.
    if domain.is_ascii() && !domain.contains("xn--") {
        return domain.to_ascii_lowercase();
    }
    let escaped = domain.replace('%', "%25");
    match url::Url::parse(&format!("http://{escaped}")) {
        Ok(u) => {
            let mut host = u.host_str().unwrap_or("").to_string();
            if let Some(port) = u.port() {
                host.push_str(&format!(":{port}"));
            }
            host
        }
        Err(_) => domain.to_string(),
    }
}

/// Turns the algorithm's verdict into the reason a user needs to hear.
fn explain(value: &str, raw: Domain) -> NotHostname {
    let lower = value.to_ascii_lowercase();
    if lower.contains("://") {
        return NotHostname::Scheme;
    }
    if value.contains('*') {
        return NotHostname::Wildcard;
    }
    if value.starts_with('[') || value.ends_with(']') {
        return NotHostname::Brackets;
    }
    if value.contains('%') && value.contains(':') {
        return NotHostname::Zone;
    }
    if value.chars().any(char::is_whitespace) {
        return NotHostname::Whitespace;
    }
    if value.contains('/') {
        return NotHostname::Path;
    }
    if let Some((_, port)) = value.rsplit_once(':')
        && !value.contains("::")
        && port.bytes().all(|b| b.is_ascii_digit())
    {
        return NotHostname::Port;
    }
    if value.contains('_') {
        return NotHostname::Underscore;
    }
    if value.ends_with('.') {
        return NotHostname::TrailingDot;
    }
    match raw {
        Domain::TooLong => NotHostname::TooLong,
        Domain::InvalidChars => NotHostname::Separator,
        Domain::EmptySegment => NotHostname::EmptyLabel,
        Domain::LongSegment => NotHostname::LabelTooLong,
        Domain::InvalidTld => NotHostname::BadLastLabel,
        Domain::InvalidSegment => NotHostname::BadCharacter,
    }
}

/// Joi's `ipRegex` (cidr forbidden): IPv4, IPv6 or IPvFuture.
fn is_ip(s: &str) -> bool {
    is_ipv4(s) || is_ipv6(s) || is_ipvfuture(s)
}

/// dec-octet as Joi writes it: `0{0,2}\d | 0?[1-9]\d | 1\d\d | 2[0-4]\d | 25[0-5]` (leading zeros ok).
fn is_dec_octet(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 3
        && s.bytes().all(|b| b.is_ascii_digit())
        && s.parse::<u16>().is_ok_and(|n| n <= 255)
}

pub(crate) fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| is_dec_octet(p))
}

fn is_h16(s: &str) -> bool {
    (1..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// RFC 3986 `IPv6address`: 8 units without `::`, at most 7 with it; an IPv4 tail counts 2.
pub(crate) fn is_ipv6(s: &str) -> bool {
    fn units(part: &str, allow_v4_tail: bool) -> Option<usize> {
        if part.is_empty() {
            return Some(0);
        }
        let groups: Vec<&str> = part.split(':').collect();
        let mut n = 0;
        for (i, g) in groups.iter().enumerate() {
            let last = i + 1 == groups.len();
            if last && allow_v4_tail && g.contains('.') {
                if !is_ipv4(g) {
                    return None;
                }
                n += 2;
            } else if is_h16(g) {
                n += 1;
            } else {
                return None;
            }
        }
        Some(n)
    }
    match s.split_once("::") {
        None => units(s, true) == Some(8),
        Some((left, right)) => {
            if right.contains("::") {
                return false;
            }
            match (units(left, false), units(right, true)) {
                (Some(l), Some(r)) => l + r <= 7,
                _ => false,
            }
        }
    }
}

/// `v` 1*HEXDIG `.` 1*( unreserved / sub-delims / `:` ).
fn is_ipvfuture(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else {
        return false;
    };
    let Some((hex, tail)) = rest.split_once('.') else {
        return false;
    };
    !hex.is_empty()
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
        && !tail.is_empty()
        && tail
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.~!$&'()*+,;=:".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of kibana-settings.md §2.2 (Kibana's string_type.test.ts and the joi 17.13.9
    /// observations), plus a few more checked against joi 17.13.9 directly.
    #[test]
    fn joi_hostname_table() {
        let valid = [
            "www.example.com",
            "3domain.local",
            "hostname",
            "::1",
            "0:0:0:0:0:0:0:1",
            "xn----ascii-7gg5ei7b1i.xn--90a3a",
            "127.0.0.1",
            "010.0.0.1",
            "::ffff:127.0.0.1",
            "v1.example.com",
            "example.c0m",
            "ex-ample.com",
            "Example.COM",
            "bücher.example",
            "01.02.03.004",
            "xn--bcher-kva.example",
        ];
        for v in valid {
            assert!(is_valid(v), "{v} should be valid");
        }
        let long_label = "a".repeat(63);
        assert!(is_valid(&[long_label.as_str(); 4].join(".")));
        assert!(is_valid(&format!("{long_label}.com")));
        let invalid = [
            "2387628",
            "host:name",
            "localhost:5601",
            "-",
            "0:?:0:0:0:0:0:1",
            "256.1.1.1",
            "1.2.3",
            "example.123",
            "[::1]",
            "fe80::1%eth0",
            "*",
            "*.example.com",
            "my_host.example.com",
            "example.com.",
            "a..b",
            "-ex.com",
            "ex-.com",
            "example.com/path",
            "https://example.com",
            "exa mple.com",
            "example.com?x",
            "example.com#x",
            "user@example.com",
            "1.2.3.4/24",
            "example.com:",
            "",
        ];
        for v in invalid {
            assert!(!is_valid(v), "{v} should be invalid");
        }
        assert!(!is_valid(&"a".repeat(256)));
        let too_long = "a".repeat(64);
        assert!(!is_valid(&[too_long.as_str(); 4].join(".")));
    }

    #[test]
    fn reasons_name_the_mistake() {
        assert_eq!(check("https://hooks.example.com"), Err(NotHostname::Scheme));
        assert_eq!(check("hooks.example.com:8443"), Err(NotHostname::Port));
        assert_eq!(check("*.ngrok.io"), Err(NotHostname::Wildcard));
        assert_eq!(check("[::1]"), Err(NotHostname::Brackets));
        assert_eq!(check("my_host.example.com"), Err(NotHostname::Underscore));
        assert_eq!(check("example.com."), Err(NotHostname::TrailingDot));
        assert_eq!(check("example.com/hook"), Err(NotHostname::Path));
        assert_eq!(check("fe80::1%eth0"), Err(NotHostname::Zone));
        assert_eq!(check("1.2.3"), Err(NotHostname::BadLastLabel));
        assert_eq!(check(""), Err(NotHostname::Empty));
    }

    #[test]
    fn ipv6_grammar() {
        for v in [
            "::",
            "1::",
            "::ffff:1.2.3.4",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:1.2.3.4",
            "fe80::1",
        ] {
            assert!(is_ipv6(v), "{v}");
        }
        for v in [
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            "1:2:3:4:5:6:7::8",
            "::1.2.3.4.5",
            "12345::",
        ] {
            assert!(!is_ipv6(v), "{v}");
        }
    }
}
