//! Typing of plain YAML scalars as Kibana's parser does it: the YAML 1.2 core schema of the
//! `yaml` package (`parse()` with defaults, `kbn-config` read_config.ts). So `yes`/`on` stay
//! strings, `true`/`True`/`TRUE` are booleans, `0755` is the decimal 755, and an unquoted
//! 32-digit encryption key becomes a *number*, which Kibana then rejects.

/// A resolved YAML scalar, typed as JavaScript would see it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Scalar {
    Null,
    Bool(bool),
    /// JavaScript numbers are doubles; the original text is kept by the caller.
    Number(f64),
    Str(String),
}

/// How a scalar was written; only plain scalars are typed by the core schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    Quoted,
    Block,
}

/// Whose number syntax plain scalars follow: the YAML 1.2 core schema (the `yaml` package), or
/// js-yaml's, which also reads `_` separators and `0b` binary, and in js-yaml 3 a leading-zero
/// octal (`0755` is 493) and base 60 (`12:30` is 750) but no `0o`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Numbers {
    Core,
    JsYaml3,
    JsYaml4,
}

/// Resolves a scalar: explicit core tags first, then `numbers`' syntax and the core schema for
/// plain scalars.
pub(crate) fn resolve_as(text: &str, style: Style, tag: Option<&str>, numbers: Numbers) -> Scalar {
    if numbers != Numbers::Core && tag.is_none() && style == Style::Plain {
        if let Some(n) = js_yaml_number(text, numbers) {
            return Scalar::Number(n);
        }
        // js-yaml 3 has no `0o` octal: a string there.
        if numbers == Numbers::JsYaml3
            && text.trim_start_matches(['-', '+']).starts_with("0o")
            && parse_number(text).is_some()
        {
            return Scalar::Str(text.to_string());
        }
    }
    match tag {
        Some("tag:yaml.org,2002:str") | Some("!") => return Scalar::Str(text.to_string()),
        Some("tag:yaml.org,2002:null") => return Scalar::Null,
        Some("tag:yaml.org,2002:bool") => {
            if let Some(b) = parse_bool(text) {
                return Scalar::Bool(b);
            }
        }
        Some("tag:yaml.org,2002:int") | Some("tag:yaml.org,2002:float") => {
            if let Some(n) = parse_number(text) {
                return Scalar::Number(n);
            }
        }
        // Unknown tags resolve as strings (yaml warns "Unresolved tag" and keeps the text).
        Some(_) => return Scalar::Str(text.to_string()),
        None => {}
    }
    if style != Style::Plain {
        return Scalar::Str(text.to_string());
    }
    if is_null(text) {
        return Scalar::Null;
    }
    if let Some(b) = parse_bool(text) {
        return Scalar::Bool(b);
    }
    if let Some(n) = parse_number(text) {
        return Scalar::Number(n);
    }
    Scalar::Str(text.to_string())
}

/// `~`, `null`, `Null`, `NULL` or empty.
fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Core-schema numbers: decimal ints, `0o` octal, `0x` hex, floats, `.inf`, `.nan`.
fn parse_number(s: &str) -> Option<f64> {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return None;
    }
    if let Some(oct) = s.strip_prefix("0o") {
        if !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            return Some(radix_value(oct, 8));
        }
        return None;
    }
    if let Some(hex) = s.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some(radix_value(hex, 16));
        }
        return None;
    }
    match s {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    if unsigned.is_empty() {
        return None;
    }
    // [-+]?[0-9]+
    if unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<f64>().ok();
    }
    // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit()))
                && (!int.is_empty() || !frac.is_empty())
                // `.5` needs digits after the dot; `5.` is fine.
                && (!int.is_empty() || frac.bytes().all(|b| b.is_ascii_digit()))
        }
        None => exponent.is_some() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    if !mantissa_ok || mantissa.is_empty() || mantissa == "." {
        return None;
    }
    if let Some(exp) = exponent {
        let digits = exp.strip_prefix(['-', '+']).unwrap_or(exp);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    s.parse::<f64>().ok()
}

/// js-yaml's int then float types (`type/int.js`, `type/float.js`), for the syntax the core
/// schema does not share; `None` leaves the scalar to the core rules.
fn js_yaml_number(text: &str, numbers: Numbers) -> Option<f64> {
    let v3 = numbers == Numbers::JsYaml3;
    let (sign, body) = match text.as_bytes().first() {
        Some(b'-') => (-1.0, &text[1..]),
        Some(b'+') => (1.0, &text[1..]),
        _ => (1.0, text),
    };
    if body.is_empty() || body.starts_with('_') || body.ends_with('_') {
        return None;
    }
    let digits = |s: &str, radix: u32| {
        !s.is_empty()
            && s.chars().all(|c| c == '_' || c.is_digit(radix))
            && s.chars().any(|c| c != '_')
    };
    let clean = |s: &str| s.replace('_', "");
    if let Some(bin) = body.strip_prefix("0b") {
        return digits(bin, 2).then(|| sign * radix_value(&clean(bin), 2));
    }
    if let Some(hex) = body.strip_prefix("0x") {
        return digits(hex, 16).then(|| sign * radix_value(&clean(hex), 16));
    }
    if !v3 {
        if let Some(oct) = body.strip_prefix("0o") {
            return digits(oct, 8).then(|| sign * radix_value(&clean(oct), 8));
        }
    }
    if v3 && body.len() > 1 && body.starts_with('0') && digits(body, 8) {
        return Some(sign * radix_value(&clean(body), 8));
    }
    if v3 && body.contains(':') && !body.starts_with('0') {
        // Base 60: `[1-9][0-9_]*(:[0-5]?[0-9])+`, integers and floats alike.
        let (int_part, frac) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let mut parts = int_part.split(':');
        let first = parts.next()?;
        if !digits(first, 10) {
            return None;
        }
        let mut value = clean(first).parse::<f64>().ok()?;
        for p in parts {
            if p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: f64 = p.parse().ok()?;
            if n >= 60.0 {
                return None;
            }
            value = value * 60.0 + n;
        }
        if let Some(f) = frac {
            if !digits(f, 10) && !f.is_empty() {
                return None;
            }
            value += format!("0.{}", clean(f)).parse::<f64>().unwrap_or(0.0);
        }
        return Some(sign * value);
    }
    // Decimal ints and floats with `_` separators (the core schema has none).
    if body.contains('_') {
        let (mantissa, exponent) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let ok_mantissa = match mantissa.split_once('.') {
            Some((i, f)) => {
                (i.is_empty() || digits(i, 10))
                    && (f.is_empty() || digits(f, 10) || f.starts_with('_'))
            }
            None => digits(mantissa, 10),
        };
        let ok_exponent = exponent.is_none_or(|e| {
            let d = e.strip_prefix(['-', '+']).unwrap_or(e);
            !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
        });
        if ok_mantissa
            && ok_exponent
            && (!v3 || !mantissa.starts_with('0') || mantissa.starts_with("0."))
        {
            return clean(body).parse::<f64>().ok().map(|n| sign * n);
        }
    }
    None
}

fn radix_value(digits: &str, radix: u32) -> f64 {
    digits.chars().fold(0.0, |acc, c| {
        acc * radix as f64 + c.to_digit(radix).unwrap_or(0) as f64
    })
}

/// JavaScript's `String(n)` for the numbers YAML produces, used in Kibana-style messages.
pub(crate) fn js_number_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if n == n.trunc() && n.abs() < 1e21 {
        return format!("{}", n as i128);
    }
    let s = format!("{n:e}");
    // Rust prints 1.2345e31; JavaScript prints 1.2345e+31.
    match s.split_once('e') {
        Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Scalar {
        resolve_as(s, Style::Plain, None, Numbers::Core)
    }

    #[test]
    fn yaml_1_2_core_schema_booleans() {
        assert_eq!(plain("true"), Scalar::Bool(true));
        assert_eq!(plain("True"), Scalar::Bool(true));
        assert_eq!(plain("FALSE"), Scalar::Bool(false));
        // YAML 1.1 booleans are strings in the core schema.
        for s in ["yes", "no", "on", "off", "y", "tRUE"] {
            assert_eq!(plain(s), Scalar::Str(s.into()), "{s}");
        }
    }

    #[test]
    fn yaml_1_2_core_schema_numbers() {
        assert_eq!(plain("0755"), Scalar::Number(755.0));
        assert_eq!(plain("0o17"), Scalar::Number(15.0));
        assert_eq!(plain("0x1F"), Scalar::Number(31.0));
        assert_eq!(plain("-12"), Scalar::Number(-12.0));
        assert_eq!(plain("1.5"), Scalar::Number(1.5));
        assert_eq!(plain("5."), Scalar::Number(5.0));
        assert_eq!(plain(".5"), Scalar::Number(0.5));
        assert_eq!(plain("1e3"), Scalar::Number(1000.0));
        assert_eq!(plain("-.inf"), Scalar::Number(f64::NEG_INFINITY));
        for s in [
            "1_000",
            "0b101",
            "1.2.3",
            "60s",
            "1mb",
            "2024-12-31",
            "+",
            ".",
            "e5",
            "0x",
        ] {
            assert_eq!(plain(s), Scalar::Str(s.into()), "{s}");
        }
    }

    #[test]
    fn js_yaml_numbers() {
        let js = |s: &str, n| resolve_as(s, Style::Plain, None, n);
        assert_eq!(js("0755", Numbers::JsYaml3), Scalar::Number(493.0));
        assert_eq!(js("0755", Numbers::JsYaml4), Scalar::Number(755.0));
        assert_eq!(js("0o755", Numbers::JsYaml3), Scalar::Str("0o755".into()));
        assert_eq!(js("0o755", Numbers::JsYaml4), Scalar::Number(493.0));
        assert_eq!(js("12:30", Numbers::JsYaml3), Scalar::Number(750.0));
        assert_eq!(js("12:30", Numbers::JsYaml4), Scalar::Str("12:30".into()));
        assert_eq!(js("1_000", Numbers::JsYaml4), Scalar::Number(1000.0));
        assert_eq!(js("-0b101", Numbers::JsYaml3), Scalar::Number(-5.0));
        assert_eq!(js("5601", Numbers::JsYaml3), Scalar::Number(5601.0));
        assert_eq!(js("1_", Numbers::JsYaml4), Scalar::Str("1_".into()));
    }

    #[test]
    fn nulls_and_quoting() {
        for s in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(plain(s), Scalar::Null, "{s:?}");
        }
        assert_eq!(
            resolve_as("true", Style::Quoted, None, Numbers::Core),
            Scalar::Str("true".into())
        );
        assert_eq!(
            resolve_as("12", Style::Block, None, Numbers::Core),
            Scalar::Str("12".into())
        );
        assert_eq!(
            resolve_as(
                "12",
                Style::Plain,
                Some("tag:yaml.org,2002:str"),
                Numbers::Core
            ),
            Scalar::Str("12".into())
        );
    }

    #[test]
    fn an_unquoted_32_digit_key_is_a_number() {
        let Scalar::Number(n) = plain("12345678901234567890123456789012") else {
            panic!("expected a number");
        };
        assert_eq!(js_number_string(n), "1.2345678901234567e+31");
        assert_eq!(js_number_string(755.0), "755");
    }
}
