//! The `validate` functions of Reporting's schema: a Kibana host name of all zeros (PR #117022,
//! v8.0.0: Chromium cannot open `0.0.0.0` on Windows — the very value 7.x's own start-up message
//! told users to set), the protocol, and the CSV scroll duration.
//!
//! Sources: `x-pack/plugins/reporting/server/config/schema.ts` @c29f602e (8.3–≈8.9),
//! `src/platform/packages/private/kbn-reporting/server/config_schema.ts` @d006367c (9.x); the
//! `auto` duration from PR #175005 (v8.13.0).

use std::net::IpAddr;

use super::child;
use crate::kibana::schema::validate::{Ctx, Validator};
use crate::model::tree::{Node, SettingPath};
use crate::version::Version;

/// `/^[0-9]+(d|h|m|s|ms|micros|nanos)$/`, the duration Elasticsearch takes for a scroll.
fn es_duration(value: &str) -> bool {
    let digits = value.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0
        && matches!(
            &value[digits..],
            "d" | "h" | "m" | "s" | "ms" | "micros" | "nanos"
        )
}

impl Validator<'_> {
    pub(super) fn reporting(&mut self, reporting: &Node, ctx: &Ctx) {
        let root = SettingPath::parse("xpack.reporting");
        let server = child(Some(reporting), "kibanaServer");
        // `ipaddr.isValid(value) && !sum(ipaddr.parse(value).toByteArray())`: an unspecified
        // address in either family (the rarer forms ipaddr.js also reads are not judged).
        if self.version >= Version::new(8, 0, 0)
            && let Some(node) = child(server, "hostname")
            && node
                .as_str()
                .and_then(|h| h.parse::<IpAddr>().ok())
                .is_some_and(|ip| ip.is_unspecified())
        {
            self.fail(
                Some(node),
                &root.key("kibanaServer").key("hostname"),
                ctx,
                "cannot use '0.0.0.0' as Kibana host name, consider using the default (localhost) instead",
            );
        }
        if self.version >= Version::new(8, 3, 0)
            && let Some(node) = child(server, "protocol")
            && node.as_str().is_some_and(|p| p != "http" && p != "https")
        {
            self.fail(
                Some(node),
                &root.key("kibanaServer").key("protocol"),
                ctx,
                r#"must be "http" or "https""#,
            );
        }
        let scroll = child(child(Some(reporting), "csv"), "scroll");
        if self.version >= Version::new(8, 3, 0)
            && let Some(node) = child(scroll, "duration")
            && let Some(value) = node.as_str()
            && !value.contains("${")
        {
            // 8.13 added `auto`; its pattern `(^…|auto)$` takes anything ending in it.
            let (ok, message) = if self.version >= Version::new(8, 13, 0) {
                (
                    es_duration(value) || value.ends_with("auto"),
                    r#"must be either "auto" or a duration string"#,
                )
            } else {
                (es_duration(value), "must be a duration string")
            };
            if !ok {
                let path = root.key("csv").key("scroll").key("duration");
                self.fail(Some(node), &path, ctx, message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::es_duration;

    #[test]
    fn scroll_durations_follow_the_schema_pattern() {
        for good in ["30s", "1m", "500ms", "10micros", "2nanos", "1d"] {
            assert!(es_duration(good), "{good}");
        }
        for bad in ["", "s", "30", "30 s", "1.5m", "30sec", "-1s", "30S", "٣s"] {
            assert!(!es_duration(bad), "{bad}");
        }
    }
}
