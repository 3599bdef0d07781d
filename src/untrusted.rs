//! Text that comes from outside — a certificate's names, a proxy's reason phrase — made safe to
//! print: control characters (ESC, BEL, CR, LF, OSC sequences, C1 controls) become visible
//! escapes, so they can neither drive a terminal nor forge a line (`\r\n::error …` in a CI log).

/// `s` with every control character written as `\u{…}`.
pub(crate) fn printable(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_become_escapes() {
        assert_eq!(super::printable("ok.example"), "ok.example");
        assert_eq!(
            super::printable("a\r\n::error title=x::owned\u{1b}]0;t\u{7}"),
            "a\\u{d}\\u{a}::error title=x::owned\\u{1b}]0;t\\u{7}"
        );
    }
}
