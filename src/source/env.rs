//! `${VAR}` substitution exactly as Kibana does it, and `KEY=VALUE` environment files.
//!
//! Kibana (`kbn-config` raw/utils.ts `replaceEnvVarRefs`) runs
//! `val.replace(/\$\{(\w+)(:(\w+))?\}/g, …)` on every string value after YAML parsing: a set
//! variable (even empty) wins, else the default, else it throws
//! `Unknown environment variable referenced in config : NAME`. `\w` is `[A-Za-z0-9_]`, so
//! compose-style `${NAME:-x}`, `${a.b}` or `${X:http://y}` are not references and stay literal.
//! The `:default` form exists since Kibana 8.15.0 (PR #182139); before, only `${NAME}` matched.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use super::{FileId, Location, Pos, Span};

/// Which reference syntax the Kibana version understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RefSyntax {
    /// `${NAME}` only (before 8.15.0).
    NameOnly,
    /// `${NAME}` and `${NAME:default}` (8.15.0 and later).
    WithDefault,
}

/// Where an environment variable's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum EnvOrigin {
    /// The environment of this process.
    Process,
    /// A `KEY=VALUE` line of a file given with `--env-file` or `--docker-env`.
    File { key: Location, value: Location },
}

#[derive(Clone, Debug)]
pub(crate) struct EnvVar {
    pub(crate) value: String,
    pub(crate) origin: EnvOrigin,
}

/// The environment Kibana would see.
#[derive(Clone, Debug, Default)]
pub(crate) struct Env {
    vars: HashMap<String, EnvVar>,
}

impl Env {
    pub(crate) fn new() -> Env {
        Env::default()
    }

    /// This process's environment.
    pub(crate) fn from_process() -> Env {
        let mut env = Env::new();
        for (k, v) in std::env::vars_os() {
            if let (Ok(k), Ok(v)) = (k.into_string(), v.into_string()) {
                env.vars.insert(
                    k,
                    EnvVar {
                        value: v,
                        origin: EnvOrigin::Process,
                    },
                );
            }
        }
        env
    }

    pub(crate) fn set(&mut self, name: &str, var: EnvVar) {
        self.vars.insert(name.to_string(), var);
    }

    pub(crate) fn get(&self, name: &str) -> Option<&EnvVar> {
        self.vars.get(name)
    }

    /// Adds every entry of a parsed env file, overriding what is there.
    pub(crate) fn extend(&mut self, file: &EnvFile) {
        for e in &file.entries {
            self.set(
                &e.key,
                EnvVar {
                    value: e.value.clone(),
                    origin: EnvOrigin::File {
                        key: e.key_at,
                        value: e.value_at,
                    },
                },
            );
        }
    }
}

/// One `${…}` that Kibana expands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EnvRef {
    pub(crate) name: String,
    pub(crate) default: Option<String>,
    /// Byte range of the whole `${…}` in the original string.
    pub(crate) range: Range<usize>,
    pub(crate) resolution: Resolution,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Resolution {
    /// The variable is set (possibly to "").
    Env(EnvOrigin),
    /// The variable is unset and the default was used.
    Default,
    /// Unset, no default: Kibana refuses to start.
    Missing,
}

/// Text that looks like an environment reference but that Kibana leaves as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LiteralRef {
    pub(crate) text: String,
    pub(crate) range: Range<usize>,
    pub(crate) reason: LiteralReason,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LiteralReason {
    /// `${NAME:-default}`, `${NAME-default}` and friends from shells and Compose.
    ShellDefault,
    /// The name has characters outside `[A-Za-z0-9_]`, e.g. `${elasticsearch.password}`.
    InvalidName,
    /// `${NAME:default}` whose default has characters outside `[A-Za-z0-9_]`.
    InvalidDefault,
    /// `${NAME:default}` on a Kibana older than 8.15.0.
    DefaultNotSupported,
    /// `$NAME` without braces, as Compose and shells write it.
    BareDollar,
}

impl fmt::Display for LiteralReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LiteralReason::ShellDefault => {
                "Kibana has no `${NAME:-default}` syntax (that is Compose or shell syntax)"
            }
            LiteralReason::InvalidName => {
                "Kibana only expands names made of letters, digits and `_`"
            }
            LiteralReason::InvalidDefault => "a default may only contain letters, digits and `_`",
            LiteralReason::DefaultNotSupported => {
                "`${NAME:default}` is only expanded by Kibana 8.15.0 and later"
            }
            LiteralReason::BareDollar => "Kibana only expands the `${NAME}` form",
        })
    }
}

/// The result of substituting one string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Substituted {
    pub(crate) value: String,
    pub(crate) refs: Vec<EnvRef>,
    pub(crate) literals: Vec<LiteralRef>,
}

impl Substituted {
    #[cfg(test)]
    pub(crate) fn missing(&self) -> impl Iterator<Item = &EnvRef> {
        self.refs
            .iter()
            .filter(|r| r.resolution == Resolution::Missing)
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Length of the `\w+` run at the start of `s`.
fn word_len(s: &[u8]) -> usize {
    s.iter().take_while(|b| is_word(**b)).count()
}

/// Matches `\$\{(\w+)(:(\w+))?\}` at the start of `s`: (name, default, length).
fn match_ref(s: &[u8], syntax: RefSyntax) -> Option<(Range<usize>, Option<Range<usize>>, usize)> {
    if !s.starts_with(b"${") {
        return None;
    }
    let name_len = word_len(&s[2..]);
    if name_len == 0 {
        return None;
    }
    let after = 2 + name_len;
    match s.get(after) {
        Some(b'}') => Some((2..after, None, after + 1)),
        Some(b':') if syntax == RefSyntax::WithDefault => {
            let def_len = word_len(&s[after + 1..]);
            if def_len > 0 && s.get(after + 1 + def_len) == Some(&b'}') {
                let def = after + 1..after + 1 + def_len;
                Some((2..after, Some(def), after + 2 + def_len))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Why a `${…}` that did not match is left literal.
fn literal_reason(inner: &str, syntax: RefSyntax) -> LiteralReason {
    let name_end = inner.bytes().take_while(|b| is_word(*b)).count();
    let (name, rest) = inner.split_at(name_end);
    if name.is_empty() {
        return LiteralReason::InvalidName;
    }
    if rest.starts_with(":-")
        || rest.starts_with('-')
        || rest.starts_with(":?")
        || rest.starts_with(":+")
    {
        return LiteralReason::ShellDefault;
    }
    if let Some(default) = rest.strip_prefix(':') {
        let valid_default = !default.is_empty() && default.bytes().all(is_word);
        if valid_default && syntax == RefSyntax::NameOnly {
            return LiteralReason::DefaultNotSupported;
        }
        return LiteralReason::InvalidDefault;
    }
    LiteralReason::InvalidName
}

/// Substitutes `${NAME}` (and `${NAME:default}` when the syntax allows) in `input`.
pub(crate) fn substitute(input: &str, env: &Env, syntax: RefSyntax) -> Substituted {
    let bytes = input.as_bytes();
    let mut out = Substituted::default();
    let mut value = String::with_capacity(input.len());
    let mut i = 0;
    let mut copied = 0;
    let mut next_close: Option<usize> = None;
    while let Some(off) = input[i..].find('$') {
        let at = i + off;
        if let Some((name, default, len)) = match_ref(&bytes[at..], syntax) {
            value.push_str(&input[copied..at]);
            let name = &input[at + name.start..at + name.end];
            let default = default.map(|d| input[at + d.start..at + d.end].to_string());
            let resolution = match env.get(name) {
                Some(var) => {
                    value.push_str(&var.value);
                    Resolution::Env(var.origin.clone())
                }
                None => match &default {
                    Some(d) => {
                        value.push_str(d);
                        Resolution::Default
                    }
                    None => Resolution::Missing,
                },
            };
            out.refs.push(EnvRef {
                name: name.to_string(),
                default,
                range: at..at + len,
                resolution,
            });
            i = at + len;
            copied = i;
            continue;
        }
        if bytes.get(at + 1) == Some(&b'{') {
            // The next `}` is looked up once and reused while the scan is before it, and a `${`
            // with another `$` before that `}` is not a literal of its own (the innermost one
            // is): both keep `${${${…}` linear in time and output.
            let close = match next_close {
                Some(c) if c > at => Some(c),
                _ => {
                    next_close = input[at..].find('}').map(|c| at + c);
                    next_close
                }
            };
            // Only as far as the next `$`, which the loop reaches next anyway.
            let next_dollar = input[at + 1..].find('$').map(|d| at + 1 + d);
            let nested = matches!((close, next_dollar), (Some(c), Some(d)) if d < c);
            if let (Some(close), false) = (close, nested) {
                let inner = &input[at + 2..close];
                out.literals.push(LiteralRef {
                    text: input[at..close + 1].to_string(),
                    range: at..close + 1,
                    reason: literal_reason(inner, syntax),
                });
            }
        } else if let Some(len) = bare_dollar_len(&bytes[at..]) {
            let before_ok = at == 0 || !is_word(bytes[at - 1]);
            if before_ok {
                out.literals.push(LiteralRef {
                    text: input[at..at + len].to_string(),
                    range: at..at + len,
                    reason: LiteralReason::BareDollar,
                });
            }
        }
        i = at + 1;
    }
    value.push_str(&input[copied..]);
    out.value = value;
    out
}

/// `$NAME` where NAME looks like an environment variable (upper case, digits, `_`).
fn bare_dollar_len(s: &[u8]) -> Option<usize> {
    let name = &s[1..];
    let len = name
        .iter()
        .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || **b == b'_')
        .count();
    let starts_well = name
        .first()
        .is_some_and(|b| b.is_ascii_uppercase() || *b == b'_');
    let ends_word = name.get(len).is_none_or(|b| !is_word(*b));
    (len >= 2 && starts_well && ends_word).then_some(len + 1)
}

/// Why a line's name is not a variable name, without echoing the rest of the line: a
/// `NAME: value` line written YAML-style holds its value (often a secret) after the name.
fn bad_name(key: &str) -> String {
    let name: String = key
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != ':' && *c != '=')
        .take(64)
        .collect();
    if key.trim_start_matches(name.as_str()).starts_with(':') {
        format!(
            "`{name}: …` is written YAML-style: write {name}=VALUE (the rest of the line is not shown)"
        )
    } else if name.is_empty() {
        "the line does not start with a variable name (the line is not shown)".to_string()
    } else {
        format!(
            "the name starting `{name}` is not a variable name: write NAME=VALUE without spaces (the rest of the line is not shown)"
        )
    }
}

/// A parsed `KEY=VALUE` file (`docker run --env-file` format: no quoting, `#` comment lines).
#[derive(Clone, Debug, Default)]
pub(crate) struct EnvFile {
    pub(crate) entries: Vec<EnvEntry>,
    /// Lines that name a variable without a value (Docker passes the host's value through).
    pub(crate) pass_through: Vec<(String, Location)>,
}

#[derive(Clone, Debug)]
pub(crate) struct EnvEntry {
    pub(crate) key: String,
    pub(crate) value: String,
    pub(crate) key_at: Location,
    pub(crate) value_at: Location,
}

/// A line an env file cannot have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EnvFileError {
    pub(crate) line: u32,
    pub(crate) message: String,
}

/// Parses an env file. Values are taken literally, as `docker run --env-file` does.
pub(crate) fn parse_env_file(text: &str, file: FileId) -> Result<EnvFile, EnvFileError> {
    let mut out = EnvFile::default();
    for (n, raw) in text.lines().enumerate() {
        let line_no = n as u32 + 1;
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let lead = line.len() - trimmed.len();
        let (body, body_off) = match trimmed.strip_prefix("export ") {
            Some(rest) => (rest, lead + 7),
            None => (trimmed, lead),
        };
        let col = |byte: usize| line[..byte].chars().count() as u32 + 1;
        let loc = |from: usize, to: usize| Location {
            file,
            span: Span::new(Pos::new(line_no, col(from)), Pos::new(line_no, col(to))),
        };
        match body.split_once('=') {
            Some((key, value)) => {
                if key.is_empty() || key.chars().any(char::is_whitespace) {
                    return Err(EnvFileError {
                        line: line_no,
                        message: bad_name(key),
                    });
                }
                let key_start = body_off;
                let value_start = body_off + key.len() + 1;
                out.entries.push(EnvEntry {
                    key: key.to_string(),
                    value: value.to_string(),
                    key_at: loc(key_start, key_start + key.len()),
                    value_at: loc(value_start, value_start + value.len()),
                });
            }
            None => {
                let key = body.trim_end();
                if key.chars().any(char::is_whitespace) {
                    return Err(EnvFileError {
                        line: line_no,
                        message: bad_name(key),
                    });
                }
                out.pass_through
                    .push((key.to_string(), loc(body_off, body_off + key.len())));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        let mut e = Env::new();
        for (k, v) in pairs {
            e.set(
                k,
                EnvVar {
                    value: v.to_string(),
                    origin: EnvOrigin::Process,
                },
            );
        }
        e
    }

    fn sub(s: &str, e: &Env) -> Substituted {
        substitute(s, e, RefSyntax::WithDefault)
    }

    // Cases from Kibana's utils.test.ts / read_config.test.ts (kibana-settings.md §6.3).
    #[test]
    fn kibana_utils_test_cases() {
        let e = env(&[("KBN_ENV_VAR1", "val1"), ("EMPTY", "")]);
        assert_eq!(
            sub("pre-${KBN_ENV_VAR1}-mid-${KBN_ENV_VAR2:default2}-post", &e).value,
            "pre-val1-mid-default2-post"
        );
        // A set-but-empty variable wins over the default.
        assert_eq!(sub("${EMPTY:fallback}", &e).value, "");
        let missing = sub("${NOPE}", &e);
        assert_eq!(missing.missing().next().unwrap().name, "NOPE");
    }

    #[test]
    fn non_matching_forms_stay_literal_with_a_reason() {
        let e = env(&[]);
        for (input, reason) in [
            ("${PROXY:http://x}", LiteralReason::InvalidDefault),
            ("${X:a-b}", LiteralReason::InvalidDefault),
            ("${X:}", LiteralReason::InvalidDefault),
            ("${NAME:-x}", LiteralReason::ShellDefault),
            ("${elasticsearch.password}", LiteralReason::InvalidName),
            ("${}", LiteralReason::InvalidName),
            ("$ESO_KEY", LiteralReason::BareDollar),
        ] {
            let s = sub(input, &e);
            assert_eq!(s.value, input, "{input} must stay literal");
            assert!(s.refs.is_empty(), "{input}");
            assert_eq!(s.literals[0].reason, reason, "{input}");
        }
    }

    #[test]
    fn defaults_are_literal_before_8_15() {
        let s = substitute("${USER:elastic}", &env(&[]), RefSyntax::NameOnly);
        assert_eq!(s.value, "${USER:elastic}");
        assert_eq!(s.literals[0].reason, LiteralReason::DefaultNotSupported);
    }

    #[test]
    fn dollar_signs_inside_words_are_not_references() {
        let s = sub("pa$$word$X", &env(&[]));
        assert!(s.literals.is_empty());
        assert_eq!(s.value, "pa$$word$X");
    }

    #[test]
    fn env_files_are_literal_key_value_lines() {
        let f = parse_env_file("# comment\nA=1\nB=\"quoted\"\nexport C=x=y\nD\n\n", 0).unwrap();
        let kv: Vec<_> = f
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(kv, [("A", "1"), ("B", "\"quoted\""), ("C", "x=y")]);
        assert_eq!(f.entries[2].value_at.span.start, Pos::new(4, 10));
        assert_eq!(f.pass_through[0].0, "D");
        assert!(parse_env_file("BAD KEY=1\n", 0).is_err());
    }
}
