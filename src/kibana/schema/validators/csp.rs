//! The `validate` functions of core's `csp` schema: each directive refuses `nonce-*` sources
//! (and, but for `report_uri`, `none`), and the object refuses `unsafe-inline` in `script_src`
//! while `strict` or `warnLegacyBrowsers` is on — the usual way a kibana.yml that loosened the
//! policy for a plugin stops Kibana. In 7.x, `csp.rules` may not be combined with directives.
//!
//! Sources: `src/core/server/csp/config.ts` @05a2c1bf (7.15–7.17, `strict` default false),
//! `packages/core/http/core-http-server-internal/src/csp/config.ts` @7bc1dafb (8.x, `strict`
//! default true), `src/core/packages/http/server-internal/src/csp/config.ts` @25d6d3ae and
//! @ef38cab5 (9.x).

use super::{Seen, child, seen};
use crate::kibana::schema::validate::{Ctx, Validator};
use crate::model::tree::{Node, SettingPath, Value};
use crate::version::Version;

/// The directives with a value validator, in schema order, and whether `none` is allowed.
const DIRECTIVES: [(&str, bool); 10] = [
    ("script_src", false),
    ("worker_src", false),
    ("style_src", false),
    ("connect_src", false),
    ("default_src", false),
    ("font_src", false),
    ("frame_src", false),
    ("img_src", false),
    ("frame_ancestors", false),
    ("report_uri", true),
];

/// The same for `report_only`'s directives (`object_src` from 8.19, @ef38cab5). The validators
/// of the 9.3+ directives (`object_src`, `form_action`, `report_only.connect_src`) were not read.
const REPORT_ONLY: [(&str, bool); 2] = [("form_action", false), ("object_src", true)];

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
        let directives = DIRECTIVES
            .iter()
            .map(|&(key, none)| (root.key(key), child(c, key), none))
            .chain(REPORT_ONLY.iter().map(|&(key, none)| {
                (
                    root.key("report_only").key(key),
                    child(report_only, key),
                    none,
                )
            }));
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
                .map(|(key, _)| *key)
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
