//! The i18n service's object `validate` (9.5, PR #260835; `i18n_config.ts` @027ff216): the
//! default locale must be one of `i18n.locales` when that list is not empty. Its default is
//! @kbn/i18n's `SUPPORTED_LOCALE_IDS`, which was not read, so only a list the file writes is
//! judged. `i18n.locale` reaches here as `defaultLocale` (9.5 renames it first).

use super::{Seen, child, seen};
use crate::kibana::schema::validate::{Ctx, Validator};
use crate::model::tree::{Node, SettingPath};
use crate::version::Version;

impl Validator<'_> {
    pub(super) fn i18n(&mut self, i18n: &Node, ctx: &Ctx) {
        if self.version < Version::new(9, 5, 0) {
            return;
        }
        let Some(items) = child(Some(i18n), "locales").and_then(Node::as_seq) else {
            return;
        };
        let Some(locales) = items
            .iter()
            .map(|n| n.as_str().filter(|s| !s.contains("${")))
            .collect::<Option<Vec<&str>>>()
        else {
            return;
        };
        let default = match seen(Some(i18n), "defaultLocale") {
            Seen::Absent => "en",
            Seen::Str(s) => s,
            Seen::Unknown | Seen::Other(_) => return,
        };
        if locales.is_empty() || locales.contains(&default) {
            return;
        }
        let message = format!(
            "[i18n.defaultLocale]: \"{default}\" must be one of [i18n.locales] ({})",
            locales.join(", ")
        );
        // The default locale's own line if the file wrote it, else the list's.
        let at = child(Some(i18n), "defaultLocale")
            .filter(|n| n.location().is_some())
            .or(child(Some(i18n), "locales"));
        self.fail(at, &SettingPath::parse("i18n"), ctx, &message);
    }
}
