//! The `validate` functions of core's `csp` schema: each directive refuses `nonce-*` sources
//! (and, but for `report_uri`, `none`), and the object refuses `unsafe-inline` in `script_src`
//! while `strict` or `warnLegacyBrowsers` is on — the usual way a kibana.yml that loosened the
//! policy for a plugin stops Kibana. In 7.x, `csp.rules` may not be combined with directives.
//!
//! Sources: `src/core/server/csp/config.ts` @05a2c1bf (7.15–7.17, `strict` default false),
//! `packages/core/http/core-http-server-internal/src/csp/config.ts` @7bc1dafb (8.x, `strict`
//! default true), `src/core/packages/http/server-internal/src/csp/config.ts` @25d6d3ae and
//! @ef38cab5 (9.x), and for 9.3+ its tests (`config.test.ts` @3e5fd876).

use super::{Seen, child, seen};
use crate::kibana::schema::validate::{Ctx, Validator};
use crate::model::tree::{Node, SettingPath, Value};
use crate::version::Version;

/// A directive with a value validator: where it is, whether `none` is allowed, and the releases
/// that validate it.
struct Directive {
    report_only: bool,
    key: &'static str,
    allow_none: bool,
    from: Version,
    /// From here Kibana no longer validates it (`report_only.object_src`: 9.3's `unused()`
    /// deprecation unsets it first).
    until: Option<Version>,
}

const fn directive(key: &'static str, allow_none: bool) -> Directive {
    Directive {
        report_only: false,
        key,
        allow_none,
        from: Version::OLDEST,
        until: None,
    }
}

/// In schema order. `report_only.object_src` @ef38cab5 (8.19); `object_src` (9.3, PR #241029)
/// refuses `none`, as its tests in `config.test.ts` @3e5fd876 show. The validators of 9.5's
/// `form_action` and `report_only.connect_src` were not read.
const DIRECTIVES: [Directive; 13] = [
    directive("script_src", false),
    directive("worker_src", false),
    directive("style_src", false),
    directive("connect_src", false),
    directive("default_src", false),
    directive("font_src", false),
    directive("frame_src", false),
    directive("img_src", false),
    Directive {
        from: Version::new(9, 3, 0),
        ..directive("object_src", false)
    },
    directive("frame_ancestors", false),
    directive("report_uri", true),
    Directive {
        report_only: true,
        ..directive("form_action", false)
    },
    Directive {
        report_only: true,
        until: Some(Version::new(9, 3, 0)),
        ..directive("object_src", true)
    },
];

/// `getDirectiveValueValidator`: Kibana's message for a source it refuses.
fn refused(source: &str, allow_none: bool) -> Option<&'static str> {
    if source.starts_with("nonce-") {
        return Some(r#"using "nonce-*" is considered insecure and is not allowed"#);
    }
    if !allow_none && (source == "none" || source == "'none'") {
        return Some(
            r#"using "none" would conflict with Kibana's default csp configuration and is not allowed"#,
        );
    }
    None
}

impl Validator<'_> {
    pub(super) fn csp(&mut self, csp: &Node, ctx: &Ctx) {
        let root = SettingPath::parse("csp");
        let c = Some(csp);
        let report_only = child(c, "report_only");
        let version = self.version;
        let directives = DIRECTIVES
            .iter()
            .filter(|d| version >= d.from && d.until.is_none_or(|u| version < u))
            .map(|d| {
                if d.report_only {
                    let path = root.key("report_only").key(d.key);
                    (path, child(report_only, d.key), d.allow_none)
                } else {
                    (root.key(d.key), child(c, d.key), d.allow_none)
                }
            });
        let mut refused_any = false;
        for (path, node, allow_none) in directives {
            // The array's validate returns its first refused source (pointed at: an array
            // merged by a pre-8.14 loader has no place of its own).
            let first = node
                .and_then(Node::as_seq)
                .into_iter()
                .flatten()
                .filter(|item| item.as_str().is_some_and(|s| !s.contains("${")))
                .find_map(|item| Some((item, refused(item.as_str()?, allow_none)?)));
            if let Some((item, message)) = first {
                self.fail(Some(item), &path, ctx, message);
                refused_any = true;
            }
        }
        // The object's validate runs once its keys passed, and stops at its first message.
        if refused_any {
            return;
        }
        let rules = child(c, "rules").filter(|r| !matches!(r.value, Value::Null));
        if self.version < Version::new(8, 0, 0)
            && rules.is_some()
            // `hasDirectiveSpecified`: the validated directives and `report_to`.
            && DIRECTIVES
                .iter()
                .filter(|d| !d.report_only && d.from == Version::OLDEST)
                .map(|d| d.key)
                .chain(["report_to"])
                .any(|key| {
                child(c, key)
                    .and_then(Node::as_seq)
                    .is_some_and(|items| !items.is_empty())
            })
        {
            self.fail(
                rules,
                &root,
                ctx,
                r#""csp.rules" cannot be used when specifying per-directive additions such as "script_src", "worker_src" or "style_src""#,
            );
            return;
        }
        let Some(unsafe_inline) = child(c, "script_src")
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
            .find(|s| matches!(s.as_str(), Some("unsafe-inline" | "'unsafe-inline'")))
        else {
            return;
        };
        // `strict` defaults to false in 7.x and to true from 8.0.
        let strict_default = self.version >= Version::new(8, 0, 0);
        for (key, default) in [("strict", strict_default), ("warnLegacyBrowsers", true)] {
            match seen(c, key) {
                Seen::Unknown => return,
                on => {
                    if on.bool_or(default) == Some(true) {
                        let message = format!(
                            "cannot use `unsafe-inline` for `script_src` when `csp.{key}` is true"
                        );
                        self.fail(Some(unsafe_inline), &root, ctx, &message);
                        return;
                    }
                }
            }
        }
    }
}
