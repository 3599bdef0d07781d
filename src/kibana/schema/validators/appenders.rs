//! The `validate` functions inside an appender's kinds (docs/research/settings/
//! logging-appenders.md §2, read in the 8.x and 9.x copies of core's logging package): the
//! rolling strategy's `pattern` must hold `%i` (`numeric_strategy.ts`), a time-interval policy's
//! `interval` must be a whole number of its highest unit (`time_interval_policy.ts`,
//! `utils.ts`), a retention policy needs one directive (`retention_policy.ts`, 8.15 on), and each
//! `%date{format}{timezone}` of a pattern layout names a known format and timezone
//! (`conversions/date.ts`, `date_conversion.rs`). Run on the kind the literal picked
//! (`one_of.rs`): a key's own `validate` always, as part of that key; the retention object's
//! only once its keys passed (`clean`), as config-schema runs it. From 8.17 (PR #200317, v8.17.0
//! and v9.0.0, which "sets an upper bound") a pattern is `schema.string({ maxLength: 1000,
//! validate })`: Joi's length check comes before the date check.

use super::date_conversion::first_problem;
use super::{child, duration_text};
use crate::kibana::schema::validate::{Ctx, Validator};
use crate::model::tree::{Node, SettingPath, Value};
use crate::version::Version;

/// A pattern layout's `maxLength` from 8.17 (`pattern_layout.ts`).
const PATTERN_MAX: usize = 1000;

impl Validator<'_> {
    /// The checks of the kind `branch` (a row `<union>#<literal>`) on its validated object.
    pub(in crate::kibana::schema) fn appender_kind(
        &mut self,
        branch: &str,
        obj: &Node,
        path: &SettingPath,
        ctx: &Ctx,
        clean: bool,
    ) {
        let literal = branch.rsplit_once('#').map_or("", |(_, l)| l);
        let o = Some(obj);
        match literal {
            "rolling-file" => {
                let strategy = child(o, "strategy");
                if let Some(pattern) = child(strategy, "pattern")
                    && let Some(text) = pattern.as_str()
                    && !text.contains("${")
                    && !text.contains("%i")
                {
                    let at = path.key("strategy").key("pattern");
                    self.fail(Some(pattern), &at, ctx, "pattern must include '%i'");
                }
                if clean
                    && let Some(retention) = child(o, "retention")
                    && ["maxFiles", "maxAccumulatedFileSize", "removeOlderThan"]
                        .iter()
                        .all(|k| child(Some(retention), k).is_none())
                {
                    self.fail(
                        Some(retention),
                        &path.key("retention"),
                        ctx,
                        "Retention policy must define at least one directive: maxFiles, maxAccumulatedFileSize or removeOlderThan",
                    );
                }
            }
            "time-interval" => {
                if let Some(interval) = child(o, "interval")
                    && let Some(text) = duration_text(interval)
                    && !whole_in_highest_unit(&text)
                {
                    self.fail(
                        Some(interval),
                        &path.key("interval"),
                        ctx,
                        "Interval value cannot overflow to a higher time unit.",
                    );
                }
            }
            "pattern" => {
                let from_8_17 = self.version >= Version::new(8, 17, 0);
                if let Some(pattern) = child(o, "pattern")
                    && let Value::Str(t) = &pattern.value
                    && !t.value.contains("${")
                {
                    // JavaScript counts UTF-16 code units.
                    let len = t.value.encode_utf16().count();
                    let message = if from_8_17 && len > PATTERN_MAX {
                        Some(format!(
                            "value has length [{len}] but it must have a maximum length of [{PATTERN_MAX}]."
                        ))
                    } else {
                        first_problem(&t.value, from_8_17).map(|p| p.message())
                    };
                    if let Some(message) = message {
                        self.fail(Some(pattern), &path.key("pattern"), ctx, &message);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `isValidRolloverInterval`: the duration, as moment measures it in the highest unit it reaches
/// one of (year, month, week, day, hour, minute, second, else millisecond), is a whole number.
/// Months and years are counted as moment counts them from days (146,097 days are 4,800 months),
/// unless written in months or years, which moment keeps as months.
fn whole_in_highest_unit(text: &str) -> bool {
    let Some((days, ms, months)) = moment_parts(text) else {
        // Not a duration the table's type accepts: that check has already spoken.
        return true;
    };
    let total_days = days + ms / 864e5;
    let as_months = months + total_days * 4800.0 / 146_097.0;
    let as_years = as_months / 12.0;
    // Below a month, months count as days (moment's `monthsToDays`, rounded).
    let plain_days = days + (months * 146_097.0 / 4800.0).round();
    let weeks = plain_days / 7.0 + ms / 6048e5;
    let in_days = plain_days + ms / 864e5;
    let hours = plain_days * 24.0 + ms / 36e5;
    let minutes = plain_days * 1440.0 + ms / 6e4;
    let seconds = plain_days * 86400.0 + ms / 1000.0;
    let value = [as_years, as_months, weeks, in_days, hours, minutes, seconds]
        .into_iter()
        .find(|v| *v >= 1.0)
        .unwrap_or(plain_days * 864e5 + ms);
    value.fract() == 0.0
}

/// A config-schema duration as moment holds it: days, milliseconds and months (`1M`, `1Y`).
fn moment_parts(text: &str) -> Option<(f64, f64, f64)> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some((0.0, text.parse().ok()?, 0.0));
    }
    // config-schema's duration: one `<count><unit>`.
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let count: f64 = text.get(..digits)?.parse().ok()?;
    Some(match &text[digits..] {
        "ms" => (0.0, count, 0.0),
        "s" => (0.0, count * 1e3, 0.0),
        "m" => (0.0, count * 6e4, 0.0),
        "h" => (0.0, count * 36e5, 0.0),
        "d" => (count, 0.0, 0.0),
        "w" => (count * 7.0, 0.0, 0.0),
        "M" => (0.0, 0.0, count),
        "Y" | "y" => (0.0, 0.0, count * 12.0),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_as_moment_measures_them() {
        for ok in [
            "24h", "1d", "2h", "30m", "7d", "1w", "1M", "12M", "1Y", "60s", "500",
        ] {
            assert!(whole_in_highest_unit(ok), "{ok}");
        }
        // 1.5 h, 4.29 weeks, 11.99 months, 1.5 years, 1.5 s.
        for bad in ["90m", "30d", "365d", "18M", "1500"] {
            assert!(!whole_in_highest_unit(bad), "{bad}");
        }
    }
}
