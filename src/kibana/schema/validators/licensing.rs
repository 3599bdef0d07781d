//! The Licensing plugin's one `validate`: `license_cache_duration` (8.12, PR #170207) may not
//! exceed 15 minutes (moment's `asMinutes() > 15`), read in its `config.ts`.

use super::{child, duration_text};
use crate::kibana::schema::validate::{Ctx, Validator};
use crate::kibana::schema::values::duration_ms;
use crate::model::tree::{Node, SettingPath};

impl Validator<'_> {
    pub(super) fn licensing(&mut self, licensing: &Node, ctx: &Ctx) {
        if let Some(node) = child(Some(licensing), "license_cache_duration")
            && let Some(ms) = duration_text(node).and_then(|t| duration_ms(&t))
            && ms > 15 * 60 * 1000
        {
            self.fail(
                Some(node),
                &SettingPath::parse("xpack.licensing.license_cache_duration"),
                ctx,
                "license cache duration must be shorter than 15 minutes",
            );
        }
    }
}
