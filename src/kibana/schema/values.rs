//! Value parsers shared with the checks: byte sizes and durations as config-schema reads them.

/// config-schema byte sizes: a plain number, or `<count>b|kb|mb|gb` with count ≥ 1.
pub(crate) fn parse_byte_size(s: &str) -> Option<u64> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let lower = s.to_ascii_lowercase();
    let digits = lower.bytes().take_while(|b| b.is_ascii_digit()).count();
    let (count, unit) = lower.split_at(digits);
    if count.is_empty() || count.starts_with('0') {
        return None;
    }
    let mult: u64 = match unit {
        "b" => 1,
        "kb" => 1024,
        "mb" => 1024 * 1024,
        "gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    count.parse::<u64>().ok()?.checked_mul(mult)
}

/// A config-schema duration in milliseconds (moment's units: a month is 30 days, a year 365).
pub(crate) fn duration_ms(s: &str) -> Option<u64> {
    if !parse_duration(s) {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let mut total: u64 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
        let count: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let (unit, ms) = [
            ("ms", 1),
            ("s", 1_000),
            ("m", 60_000),
            ("h", 3_600_000),
            ("d", 86_400_000),
            ("w", 604_800_000),
            ("M", 2_592_000_000),
            ("y", 31_536_000_000),
            ("Y", 31_536_000_000),
        ]
        .into_iter()
        .find(|(u, _)| rest.starts_with(u))?;
        rest = &rest[unit.len()..];
        total = total.checked_add(count.checked_mul(ms)?)?;
    }
    Some(total)
}

/// config-schema durations: a plain number of ms, or `<count><unit>` repeated (`1m30s`).
pub(crate) fn parse_duration(s: &str) -> bool {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let mut rest = s;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || (digits > 1 && rest.starts_with('0')) {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ms", "s", "m", "h", "d", "w", "M", "y", "Y"]
            .iter()
            .find(|u| rest.starts_with(**u));
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}
