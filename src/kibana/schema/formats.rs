//! String formats that plugin schemas check with a `validate` function, named by a row's
//! `format` field so that every key using one shares one implementation and message.
//!
//! - `alerting-duration`: the alerting framework's `validateDurationSchema`
//!   (`x-pack/platform/plugins/shared/alerting/server/lib/parse_duration.ts`, the same in the 7.x
//!   and 8.x copies under `x-pack/plugins/alerting/server/lib/`): a positive whole number and one
//!   unit of `s`, `m`, `h`, `d`; anything else is `string is not a valid duration: <value>`.
//! - `alerting-schedule-interval`: `rules.minimumScheduleInterval.value`, an alerting duration
//!   that from 8.3 (the 8.3/8.4 `config.ts`, and every later copy) may not exceed one day.
//! - `http-uri`: `schema.uri({ scheme: ['http', 'https'] })` (config-schema `uri_type.ts` over
//!   Joi's `uri`): `expected URI with scheme [http|https].` Only a value that does not start with
//!   either scheme is judged (`es01:9200`, `//host`), the usual mistake; finer URI syntax is not.
//! - `hostname`: `schema.string({ hostname: true })`, Joi's `hostname()` as `hostname.rs`
//!   implements it: `value must be a valid hostname (see RFC 1123).` `server-host`: the same,
//!   but 7.x rewrote `server.host: "0"` to `0.0.0.0` before validation (its deprecation).
//! - `hex-color`: the Banners plugin's `isHexColor` (`/^#([0-9a-f]{6}|[0-9a-f]{3})$/i`,
//!   `x-pack/platform/plugins/private/banners/server/utils.ts` @7d915d1e; the same check in the
//!   7.x and 8.x `config.ts`): `must be an hex color`.

use crate::version::Version;

/// Every format a row may name (tests check the table against it).
#[cfg(test)]
pub(super) const FORMATS: &[&str] = &[
    "alerting-duration",
    "alerting-schedule-interval",
    "hex-color",
    "http-uri",
    "hostname",
    "server-host",
];

/// The format as a JSON Schema pattern, for editors (the one-day cap is not a pattern).
pub(super) fn pattern(format: &str) -> Option<&'static str> {
    match format {
        "alerting-duration" | "alerting-schedule-interval" => Some("^[1-9][0-9]*[smhd]$"),
        "hex-color" => Some("^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$"),
        "http-uri" => Some("^[hH][tT][tT][pP][sS]?:"),
        _ => None,
    }
}

/// The fix to suggest for a value that does not have `format`.
pub(crate) fn help(format: &str) -> Option<&'static str> {
    match format {
        "alerting-duration" => Some("use a whole number and one unit: `30s`, `5m`, `1h` or `1d`"),
        "alerting-schedule-interval" => {
            Some("use a whole number and one unit, at most a day: `30s`, `5m`, `1h` or `1d`")
        }
        "hex-color" => Some("use `#` and three or six hexadecimal digits, such as `#FFF9E8`"),
        "http-uri" => Some("write the full URL, starting with `https://` or `http://`"),
        "hostname" => Some("write a bare host name or IP address, without scheme, port or path"),
        "server-host" => Some(
            "write a bare host name or IP address, without scheme, port or path; `0.0.0.0` binds every interface (from 8.0 `\"0\"` no longer does)",
        ),
        _ => None,
    }
}

const NOT_HTTP_URI: &str = "expected URI with scheme [http|https].";
const NOT_HEX_COLOR: &str = "must be an hex color";
const NOT_HOSTNAME: &str = "value must be a valid hostname (see RFC 1123).";

/// The format whose check wrote a message, for a value whose path's row is not the one that
/// checked it (a union's branch: a Fleet output's `hosts`, under the kinds' shared row).
pub(crate) fn of_message(kibana: &str) -> Option<&'static str> {
    [
        (NOT_HTTP_URI, "http-uri"),
        (NOT_HEX_COLOR, "hex-color"),
        (NOT_HOSTNAME, "hostname"),
    ]
    .into_iter()
    // A union's message has a line per kind: the value's own is one of them.
    .find(|(message, _)| kibana.lines().any(|line| line.ends_with(message)))
    .map(|(_, format)| format)
}

/// Kibana's message when `value` does not have `format` in Kibana `version`.
pub(super) fn check(format: &str, value: &str, version: Version) -> Option<String> {
    match format {
        "alerting-duration" => alerting_duration(value).err(),
        "alerting-schedule-interval" => match alerting_duration(value) {
            Err(message) => Some(message),
            Ok(ms) if version >= Version::new(8, 3, 0) && ms > ONE_DAY_MS => {
                Some("duration cannot exceed one day".into())
            }
            Ok(_) => None,
        },
        "hex-color" => (!is_hex_color(value)).then(|| NOT_HEX_COLOR.into()),
        "http-uri" => (!has_http_scheme(value)).then(|| NOT_HTTP_URI.into()),
        "server-host" if value == "0" && version < Version::new(8, 0, 0) => None,
        "hostname" | "server-host" => {
            (!crate::kibana::hostname::is_valid(value)).then(|| NOT_HOSTNAME.into())
        }
        _ => None,
    }
}

/// Whether a URI starts with the `http` or `https` scheme (in either case: the tool does not
/// claim Joi's case rules).
fn has_http_scheme(value: &str) -> bool {
    let lower = value.get(..6).unwrap_or(value).to_ascii_lowercase();
    lower.starts_with("http:") || lower.starts_with("https:")
}

/// `#` and three or six hexadecimal digits, in either case.
fn is_hex_color(value: &str) -> bool {
    value
        .strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

const ONE_DAY_MS: u128 = 24 * 60 * 60 * 1000;

/// `validateDurationSchema` (`^[1-9][0-9]*[smhd]$`, one regex per unit) and `parseDuration`:
/// the value in milliseconds, or Kibana's message.
fn alerting_duration(value: &str) -> Result<u128, String> {
    let invalid = || format!("string is not a valid duration: {value}");
    let per_unit: u128 = match value.chars().last() {
        Some('s') => 1_000,
        Some('m') => 60_000,
        Some('h') => 3_600_000,
        Some('d') => 86_400_000,
        _ => return Err(invalid()),
    };
    // The unit is one ASCII byte.
    let digits = &value[..value.len() - 1];
    if !digits.starts_with(|c: char| matches!(c, '1'..='9'))
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(invalid());
    }
    // Past u128 the value is far beyond a day anyway.
    Ok(digits
        .parse::<u128>()
        .map_or(u128::MAX, |n| n.saturating_mul(per_unit)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerting_durations_follow_validate_duration_schema() {
        let v = Version::new(9, 5, 0);
        for good in ["1s", "60m", "5h", "2d", "10000s"] {
            assert_eq!(check("alerting-duration", good, v), None, "{good}");
        }
        for bad in [
            "", "s", "0s", "05m", "5", "5 m", "5min", "1.5h", "-1m", "5M", "5m\n", "٣s", "s٣",
        ] {
            assert_eq!(
                check("alerting-duration", bad, v),
                Some(format!("string is not a valid duration: {bad}")),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn hex_colors_follow_is_hex_color() {
        let v = Version::new(9, 5, 0);
        for good in ["#fff", "#FFF9E8", "#0b64dd"] {
            assert_eq!(check("hex-color", good, v), None, "{good}");
        }
        for bad in [
            "",
            "#",
            "fff",
            "#ffff",
            "#fffffff",
            "#ggg",
            "red",
            "#fff\n",
            "#ｆｆｆ",
        ] {
            assert_eq!(
                check("hex-color", bad, v).as_deref(),
                Some("must be an hex color"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn uris_need_an_http_scheme_and_hostnames_are_bare() {
        let v = Version::new(9, 5, 0);
        for good in ["http://es01:9200", "https://x", "HTTPS://x", "http:es"] {
            assert_eq!(check("http-uri", good, v), None, "{good}");
        }
        for bad in ["es01:9200", "//es01", "ftp://x", "", "htt", "ｈttp://x"] {
            assert!(check("http-uri", bad, v).is_some(), "{bad:?}");
        }
        assert_eq!(check("hostname", "kibana.example.com", v), None);
        assert!(check("hostname", "https://kibana.example.com", v).is_some());
        assert!(check("hostname", "localhost:5601", v).is_some());
        assert!(check("server-host", "0", v).is_some());
        assert_eq!(check("server-host", "0", Version::new(7, 17, 0)), None);
        assert_eq!(check("server-host", "0.0.0.0", v), None);
    }

    #[test]
    fn the_minimum_schedule_interval_is_capped_at_a_day_from_8_3() {
        let f = "alerting-schedule-interval";
        assert_eq!(check(f, "24h", Version::new(8, 3, 0)), None);
        assert_eq!(check(f, "1d", Version::new(9, 5, 0)), None);
        assert_eq!(
            check(f, "25h", Version::new(8, 3, 0)).as_deref(),
            Some("duration cannot exceed one day")
        );
        assert_eq!(
            check(
                f,
                "99999999999999999999999999999999999999999d",
                Version::new(9, 0, 0)
            )
            .as_deref(),
            Some("duration cannot exceed one day")
        );
        assert_eq!(check(f, "2d", Version::new(8, 2, 0)), None);
        assert!(check(f, "2days", Version::new(8, 2, 0)).is_some());
    }
}
