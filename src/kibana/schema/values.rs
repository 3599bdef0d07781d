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
