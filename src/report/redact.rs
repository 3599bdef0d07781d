//! Secret values never leave the tool. The pipeline collects every secret it read (encryption
//! keys, keystore values, proxy headers, preconfigured connector secrets, credentials inside
//! URLs) as spans and values; every renderer masks spans in source snippets and scrubs values
//! from every string it prints.

use crate::kibana::schema::schema;
use crate::kibana::url as kurl;
use crate::model::connector::ConnectorSpec;
use crate::model::load::{LoadIssue, Loaded};
use crate::model::tree::{Node, Seg, Value};
#[cfg(test)]
use crate::source::Span;
use crate::source::env::{EnvOrigin, Resolution};
use crate::source::{FileId, Location, Origin, SourceMap};

/// What is shown instead of a secret.
pub(crate) const MASK: &str = "********";
/// Values shorter than this are only masked by position: scrubbing them from free text would
/// garble unrelated words.
const MIN_SCRUB_LEN: usize = 4;

/// Words that mark a `key: value` line as holding a secret, whatever the key (a safety net for
/// lines the model could not attribute, e.g. inside a YAML syntax error).
const SENSITIVE_KEYS: &[&str] = &[
    "encryptionkey",
    "decryptiononlykeys",
    "password",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "api_key",
    "authorization",
    "cookie",
];

#[derive(Debug, Default, Clone)]
pub(crate) struct Secrets {
    spans: Vec<Location>,
    values: Vec<String>,
    /// Files whose secrets are all known by span (connector specs, which are JSON and not
    /// line-oriented): the kibana.yml `key: value` heuristic is not applied to them.
    exact_files: Vec<FileId>,
}

impl Secrets {
    pub(crate) fn new() -> Secrets {
        Secrets::default()
    }

    pub(crate) fn add_span(&mut self, location: Location) {
        self.spans.push(location);
    }

    pub(crate) fn add_value(&mut self, value: &str) {
        if !value.is_empty() && !self.values.iter().any(|v| v == value) {
            self.values.push(value.to_string());
            // Longer first, so a secret containing another is masked whole.
            self.values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        }
    }

    /// Collects the secrets of a loaded configuration.
    pub(crate) fn collect(loaded: &Loaded, sources: &SourceMap) -> Secrets {
        let mut s = Secrets::new();
        s.walk(&loaded.root, &mut String::new(), true, false, sources);
        // Credential-bearing headers by name (the same rule as the connector check's):
        // preconfigured connectors' config.headers and xpack.actions.proxyHeaders.
        let actions = get(&loaded.root, "xpack").and_then(|x| get(x, "actions"));
        if let Some(actions) = actions {
            if let Some(headers) = get(actions, "proxyHeaders") {
                s.credential_headers(headers);
            }
            for connector in get(actions, "preconfigured")
                .and_then(Node::as_map)
                .into_iter()
                .flat_map(|m| m.values())
            {
                if let Some(headers) = get(connector, "config").and_then(|c| get(c, "headers")) {
                    s.credential_headers(headers);
                }
            }
        }
        for issue in &loaded.issues {
            // The value of a Docker variable the image ignores whose name looks like a
            // credential, even mistyped (ELASTICSEARCH_PASWORD): nothing else masks it.
            if let LoadIssue::Docker {
                issue: crate::source::docker_env::DockerIssue::Ignored { at, var, .. },
                ..
            } = issue
                && ["PAS", "PW", "SECRET", "TOKEN", "KEY", "AUTH", "CRED"]
                    .iter()
                    .any(|w| var.to_ascii_uppercase().contains(w))
                && let Some(line) = sources.get(at.file).line(at.span.start.line)
            {
                let start = at.span.end.col + 1;
                let end = line.chars().count() as u32 + 1;
                if end > start {
                    let n = at.span.start.line;
                    s.add_span(Location {
                        file: at.file,
                        span: crate::source::Span::new(
                            crate::source::Pos::new(n, start),
                            crate::source::Pos::new(n, end),
                        ),
                    });
                    s.add_value(&line.chars().skip(start as usize - 1).collect::<String>());
                }
            }
            if let LoadIssue::Overridden { path, earlier, .. } = issue {
                let pattern = schema().pattern_of(path);
                let secret = schema().is_secret(path);
                let known = pattern.is_some();
                s.walk(
                    earlier,
                    &mut pattern.unwrap_or_default(),
                    known,
                    secret,
                    sources,
                );
            }
        }
        s
    }

    /// A connector spec's secrets and credential-bearing headers: their spans (so snippets of
    /// the spec mask them) and their values, resolved from the environment or not.
    pub(crate) fn add_connector(&mut self, spec: &ConnectorSpec) {
        self.exact_files.push(spec.file);
        if let Some(secrets) = spec.secrets() {
            self.add_all(secrets);
        }
        if let Some(headers) = spec
            .config()
            .and_then(|c| c.as_map())
            .and_then(|m| m.get("headers"))
            .and_then(|h| h.as_map())
        {
            for (name, value) in headers {
                if crate::kibana::webhook::sensitive_header(name) {
                    self.add_all(value);
                }
            }
        }
    }

    /// The values of the headers whose names carry credentials.
    fn credential_headers(&mut self, headers: &Node) {
        for (name, value) in headers.as_map().into_iter().flatten() {
            if crate::kibana::webhook::sensitive_header(name) {
                self.add_all(value);
            }
        }
    }

    fn add_all(&mut self, node: &Node) {
        match &node.value {
            Value::Str(text) => {
                if let Some(at) = node.location() {
                    self.add_span(at);
                }
                self.add_value(&text.value);
            }
            Value::Map(m) => m.values().for_each(|n| self.add_all(n)),
            Value::Seq(items) => items.iter().for_each(|n| self.add_all(n)),
            Value::Number(_) | Value::Bool(_) | Value::Null => {}
        }
    }

    /// Walks the tree, tracking the table pattern of each node in `pattern` (`known` says whether
    /// the table has anything at or below it), and marks values under secret settings.
    fn walk(
        &mut self,
        node: &Node,
        pattern: &mut String,
        known: bool,
        inherited: bool,
        sources: &SourceMap,
    ) {
        let table = schema();
        let spec = if known && !pattern.is_empty() {
            table.get(pattern)
        } else {
            None
        };
        let secret = inherited || spec.is_some_and(|s| s.secret);
        match &node.value {
            Value::Map(m) => {
                for (k, v) in m {
                    let mark = pattern.len();
                    let child_known =
                        known && table.extend_pattern(pattern, spec, &Seg::Key(k.clone()));
                    self.walk(v, pattern, child_known, secret, sources);
                    pattern.truncate(mark);
                }
            }
            Value::Seq(items) => {
                for (i, v) in items.iter().enumerate() {
                    let mark = pattern.len();
                    let child_known = known && table.extend_pattern(pattern, spec, &Seg::Index(i));
                    self.walk(v, pattern, child_known, secret, sources);
                    pattern.truncate(mark);
                }
            }
            Value::Str(text) => {
                if secret {
                    self.add_value(&text.value);
                    if let Some(loc) = node.origin.location() {
                        self.add_secret_span(loc, sources);
                    }
                    for r in &text.env {
                        if let Resolution::Env(EnvOrigin::File { value, .. }) = &r.resolution {
                            self.add_span(*value);
                        }
                    }
                } else {
                    self.url_credentials(node, &text.value, sources);
                }
                if let Origin::Keystore { .. } = node.origin {
                    self.add_value(&text.value);
                }
            }
            Value::Number(_) | Value::Bool(_) => {
                if secret || matches!(node.origin, Origin::Keystore { .. }) {
                    self.add_value(&node.display());
                    if let Some(loc) = node.origin.location() {
                        self.add_span(loc);
                    }
                }
            }
            Value::Null => {}
        }
    }

    /// Masks a secret value's span, but not the `${NAME}` references inside it: they name a
    /// variable, and users need to see which one.
    fn add_secret_span(&mut self, loc: Location, sources: &SourceMap) {
        let file = sources.get(loc.file);
        let Some(text) = file.slice(loc.span).filter(|t| t.contains("${")) else {
            self.add_span(loc);
            return;
        };
        let Some(base) = file.offset(loc.span.start) else {
            self.add_span(loc);
            return;
        };
        let mut plain_from = 0;
        let mut rest = 0;
        while let Some(open) = text[rest..].find("${").map(|i| i + rest) {
            let Some(close) = text[open..].find('}').map(|i| i + open + 1) else {
                break;
            };
            self.add_byte_range(loc.file, file, base + plain_from, base + open);
            plain_from = close;
            rest = close;
        }
        self.add_byte_range(loc.file, file, base + plain_from, base + text.len());
    }

    fn add_byte_range(
        &mut self,
        id: FileId,
        file: &crate::source::SourceFile,
        from: usize,
        to: usize,
    ) {
        if to > from {
            self.add_span(Location {
                file: id,
                span: crate::source::Span::new(file.pos_of_offset(from), file.pos_of_offset(to)),
            });
        }
    }

    /// `scheme://user:password@host`: the password is a secret wherever it appears.
    fn url_credentials(&mut self, node: &Node, value: &str, sources: &SourceMap) {
        let Some(info) = kurl::userinfo_in(value) else {
            return;
        };
        let Some((_, password)) = info.split_once(':') else {
            return;
        };
        if password.is_empty() {
            return;
        }
        self.add_value(password);
        if let Some(loc) = node.origin.location()
            && let Some(span) = sources.get(loc.file).find_in(loc.span, password)
        {
            self.add_span(Location {
                file: loc.file,
                span,
            });
        }
    }

    /// Replaces every known secret value in free text.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for v in &self.values {
            if v.chars().count() >= MIN_SCRUB_LEN && out.contains(v.as_str()) {
                out = replace_unglued(&out, v);
            }
        }
        mask_credentials(&out)
    }

    /// Every string of a JSON value scrubbed, for the sections serialised as they are (probe
    /// steps, the deploy request): what a peer echoed or a spec held cannot bypass redaction.
    pub(crate) fn scrub_json(&self, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(s) => *s = self.scrub(s),
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| self.scrub_json(v)),
            serde_json::Value::Object(map) => map.values_mut().for_each(|v| self.scrub_json(v)),
            _ => {}
        }
    }

    /// A source line as it may be shown: secret spans masked character by character (so carets
    /// still line up), and values of sensitive-looking keys masked too.
    pub(crate) fn mask_line(&self, file: FileId, line_no: u32, line: &str) -> String {
        let mut chars: Vec<char> = line.chars().collect();
        for loc in &self.spans {
            if loc.file != file || line_no < loc.span.start.line || line_no > loc.span.end.line {
                continue;
            }
            let from = if line_no == loc.span.start.line {
                loc.span.start.col as usize - 1
            } else {
                0
            };
            let to = if line_no == loc.span.end.line {
                (loc.span.end.col as usize).saturating_sub(1)
            } else {
                chars.len()
            };
            mask_range(&mut chars, from, to.max(from + 1));
        }
        let line: String = chars.iter().collect();
        if self.exact_files.contains(&file) {
            return self.scrub(&line);
        }
        let masked = mask_sensitive_value(&line);
        self.scrub(&masked)
    }
}

/// A short secret glued to letters or digits is part of another word (a password `elastic`
/// inside `elasticsearch.username`): masking it there would garble the tool's own words and,
/// worse, show where the secret sits in them. Longer secrets (random keys) are masked wherever
/// they occur.
const WORD_SAFE_LEN: usize = 16;

/// `text` with every occurrence of `secret` masked, except a short one glued to a word
/// character on a side where the secret itself starts or ends with one.
fn replace_unglued(text: &str, secret: &str) -> String {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let short = secret.chars().count() < WORD_SAFE_LEN;
    let (first, last) = (secret.chars().next(), secret.chars().next_back());
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(secret) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + secret.len()..].chars().next();
        let glued = short && ((word(before) && word(first)) || (word(after) && word(last)));
        out.push_str(&rest[..at]);
        out.push_str(if glued { secret } else { MASK });
        rest = &rest[at + secret.len()..];
    }
    out.push_str(rest);
    out
}

fn mask_range(chars: &mut [char], from: usize, to: usize) {
    let to = to.min(chars.len());
    for c in chars.iter_mut().take(to).skip(from) {
        if !matches!(c, '"' | '\'') {
            *c = '*';
        }
    }
}

/// The shapes `mask_credentials` masks (group 1 is the secret).
const CREDENTIAL_PATTERNS: [&str; 3] = [
    r#"(?i)[a-z][a-z0-9+.\-]*://[^/\s@:"'\[\]]*:([^/\s@"']+)@"#,
    r#"(?i)[?&;][a-z0-9_.\-]*(?:token|key|secret|password|passwd|pwd|sig|signature|auth|credential|code)[a-z0-9_.\-]*=([^&#\s"']+)"#,
    r#"(?i)\b(?:basic|bearer)\s+([a-z0-9+/=._~\-]{6,})"#,
];

/// Credentials recognised by their shape wherever they appear, masked character for character
/// (so carets still line up): a URL's userinfo password (`https://user:pw@host`), query
/// parameters whose names look like credentials (`?token=…`, `&api_key=…`, `sig=…`), and the
/// value after `Basic`/`Bearer`.
pub(crate) fn mask_credentials(text: &str) -> String {
    // Each pattern is compiled the first time a text could match it (the literals it needs are
    // there): compiling all three cost a quarter of a one-file lint that never needed them.
    static COMPILED: [std::sync::OnceLock<regex::Regex>; 3] =
        [const { std::sync::OnceLock::new() }; 3];
    let has_word = |word: &[u8]| {
        text.as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word))
    };
    let possible = [
        text.contains("://") && text.contains('@'),
        text.contains('=') && text.contains(['?', '&', ';']),
        // `(?i)` folds Unicode too (`ſ` matches `s`): any non-ASCII text gets the regex.
        has_word(b"basic") || has_word(b"bearer") || !text.is_ascii(),
    ];
    if !possible.contains(&true) {
        return text.to_string();
    }
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    for n in (0..3).filter(|n| possible[*n]) {
        let re = COMPILED[n]
            .get_or_init(|| regex::Regex::new(CREDENTIAL_PATTERNS[n]).expect("valid pattern"));
        for caps in re.captures_iter(text) {
            let Some(m) = caps.get(1) else { continue };
            // After Basic/Bearer, only what looks like a token, not a word ("basic auth…").
            let token = m.as_str();
            let looks_like_token = token
                .bytes()
                .any(|b| b.is_ascii_digit() || b"+/=".contains(&b))
                || (token.bytes().any(|b| b.is_ascii_uppercase())
                    && token.bytes().any(|b| b.is_ascii_lowercase()));
            if n == 2 && !looks_like_token {
                continue;
            }
            ranges.push(m.range());
        }
    }
    if ranges.is_empty() {
        return text.to_string();
    }
    // One sweep over the text with the ranges in order: linear however many there are.
    ranges.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(text.len());
    let mut next = ranges.iter().peekable();
    let mut masked_until = 0;
    for (i, c) in text.char_indices() {
        while let Some(r) = next.next_if(|r| r.start <= i) {
            masked_until = masked_until.max(r.end);
        }
        out.push(if i < masked_until { '*' } else { c });
    }
    out
}

/// `…encryptionKey: value` / `PASSWORD=value`: masks the value part.
fn mask_sensitive_value(line: &str) -> String {
    // ASCII lower-casing keeps byte offsets (Unicode lower-casing can change lengths: `İ`, `K`).
    let lower = line.to_ascii_lowercase();
    let by_word = SENSITIVE_KEYS
        .iter()
        .filter_map(|k| lower.find(k).map(|i| i + k.len()))
        .min();
    let Some(key_end) = by_word.or_else(|| credential_key_end(line)) else {
        return line.to_string();
    };
    let rest = &line[key_end..];
    let Some(sep) = rest.find([':', '=']) else {
        return line.to_string();
    };
    // Only a separator right after the key name (allowing the rest of the name) counts.
    let between = &rest[..sep];
    if between.contains(' ') && !between.trim().is_empty() {
        return line.to_string();
    }
    let value_start = key_end + sep + 1;
    let value = &line[value_start..];
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "|" || trimmed == ">" {
        return line.to_string();
    }
    // Keep `${VAR}` references visible: they name a variable, not a secret.
    if trimmed.trim_matches(['"', '\'']).starts_with("${")
        && trimmed.trim_matches(['"', '\'']).ends_with('}')
    {
        return line.to_string();
    }
    let lead = value.len() - value.trim_start().len();
    let masked: String = value
        .trim_start()
        .chars()
        .map(|c| {
            if matches!(c, '"' | '\'' | '[' | ']' | ',' | ' ') {
                c
            } else {
                '*'
            }
        })
        .collect();
    format!("{}{}{}", &line[..value_start], &value[..lead], masked)
}

/// Where the line's own key ends, when that key is a credential-like HTTP header name (`X-Api-Key:`,
/// `Ocp-Apim-Subscription-Key:`, the last segment of a dotted key), by the same list the
/// connector checks use.
fn credential_key_end(line: &str) -> Option<usize> {
    let start = line.len() - line.trim_start_matches([' ', '\t', '-']).len();
    let rest = &line[start..];
    let sep = rest.find([':', '='])?;
    let name = rest[..sep].trim().trim_matches(['"', '\'']);
    if name.is_empty() || name.contains([' ', '\t']) {
        return None;
    }
    // Header names have dashes; setting names (`certificateAuthoritiesFiles`) do not.
    let last = name.rsplit('.').next().unwrap_or(name);
    (last.contains('-') && crate::kibana::webhook::sensitive_header(last)).then_some(start + sep)
}

/// The child `key` of a mapping node.
fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.as_map().and_then(|m| m.get(key))
}

#[cfg(test)]
mod tests {

    #[test]
    fn credentials_are_masked_by_shape_and_nothing_else() {
        let line = "url: https://ops:pw123@h.example/x?token=abc9&page=2 Authorization: Basic dXNlcjpwYXNz";
        let masked = super::mask_credentials(line);
        assert_eq!(masked.chars().count(), line.chars().count());
        for secret in ["pw123", "abc9", "dXNlcjpwYXNz"] {
            assert!(!masked.contains(secret), "{masked}");
        }
        assert!(
            masked.contains("https://ops:") && masked.contains("page=2"),
            "{masked}"
        );
        assert_eq!(
            super::mask_credentials("basic authentication is configured"),
            "basic authentication is configured"
        );
    }

    #[test]
    fn characters_that_change_length_when_lower_cased_do_not_break_masking() {
        // `İ` lower-cases to two characters and `K` (Kelvin) to `k`: offsets into a Unicode
        // lower-cased copy would not fit the original line.
        for line in [
            "xpack.actions.allowedHosts: [\"İİİİİİİİpassword\"]",
            "xpack.actions.allowedHosts: [\"\u{212A}\u{212A}password: hunter2\"]",
            "İİİİ password: hunter2",
        ] {
            let masked = super::mask_sensitive_value(line);
            assert_eq!(masked.chars().count(), line.chars().count(), "{line}");
        }
        assert!(!super::mask_sensitive_value("İİİİ password: hunter2").contains("hunter2"));
    }
    use super::*;

    #[test]
    fn scrub_replaces_long_values_only() {
        let mut s = Secrets::new();
        s.add_value("s3cret-value");
        s.add_value("ab");
        assert_eq!(s.scrub("x s3cret-value y ab"), "x ******** y ab");
    }

    #[test]
    fn a_short_secret_inside_another_word_is_left_alone() {
        let mut s = Secrets::new();
        s.add_value("elastic");
        s.add_value("Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA");
        assert_eq!(
            s.scrub("`elasticsearch.username: elastic` (elastic) user:elastic@host"),
            "`elasticsearch.username: ********` (********) user:********@host"
        );
        // A long secret is masked wherever it is.
        assert_eq!(
            s.scrub("keyVq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gAkey"),
            "key********key"
        );
    }

    #[test]
    fn lines_are_masked_by_span_keeping_columns() {
        let mut s = Secrets::new();
        s.add_span(Location {
            file: 0,
            span: Span::new(
                crate::source::Pos::new(2, 7),
                crate::source::Pos::new(2, 10),
            ),
        });
        assert_eq!(
            s.mask_line(0, 2, "abcde \"xyz\" tail"),
            "abcde \"**z\" tail"
        );
        assert_eq!(s.mask_line(1, 2, "abcde xyz"), "abcde xyz");
    }

    #[test]
    fn credential_header_lines_are_masked_without_a_span() {
        // Found by the planted-secrets property: a proxyHeaders value on a file that does not
        // parse has no span, so the line itself must give it away.
        let s = Secrets::new();
        assert_eq!(
            s.mask_line(0, 2, "  X-Api-Key: Zq0AAaAA0Aaa"),
            "  X-Api-Key: ************"
        );
        assert_eq!(
            s.mask_line(0, 2, "  Ocp-Apim-Subscription-Key:\tabc123"),
            "  Ocp-Apim-Subscription-Key:\t******"
        );
        // Setting names are not header names, whatever words they hold.
        assert_eq!(
            s.mask_line(0, 4, "      certificateAuthoritiesFiles: [ca.pem]"),
            "      certificateAuthoritiesFiles: [ca.pem]"
        );
    }

    #[test]
    fn sensitive_keys_are_masked_even_without_a_span() {
        let s = Secrets::new();
        assert_eq!(
            s.mask_line(0, 1, "xpack.encryptedSavedObjects.encryptionKey: \"abcd\""),
            "xpack.encryptedSavedObjects.encryptionKey: \"****\""
        );
        assert_eq!(
            s.mask_line(0, 1, "#xpack.security.encryptionKey: abcd # note"),
            "#xpack.security.encryptionKey: **** * ****"
        );
        assert_eq!(
            s.mask_line(0, 1, "XPACK_SECURITY_ENCRYPTIONKEY=abc"),
            "XPACK_SECURITY_ENCRYPTIONKEY=***"
        );
        assert_eq!(
            s.mask_line(0, 1, "elasticsearch.password: \"${ES_PASSWORD}\""),
            "elasticsearch.password: \"${ES_PASSWORD}\""
        );
        assert_eq!(
            s.mask_line(0, 1, "server.name: kibana"),
            "server.name: kibana"
        );
    }
}

#[cfg(test)]
mod prefilter_tests {
    use super::*;

    /// The literal checks that decide whether a pattern runs never skip a text it matches.
    #[test]
    fn the_prefilter_never_skips_a_match() {
        let samples = [
            "https://user:Sup3rSecret@hooks.example.com/x",
            "see HTTPS://u:p4ss@h",
            "GET /x?token=abc123&b=1",
            "url;api_key=zzz",
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9",
            "authorization: basic dXNlcjpwYXNz",
            "BaſIC dXNlcjpwYXNzMTIz",
            "plain text with no secret",
            "a = b",
            "x@y but no scheme",
        ];
        let all: Vec<regex::Regex> = CREDENTIAL_PATTERNS
            .iter()
            .map(|p| regex::Regex::new(p).unwrap())
            .collect();
        for s in samples {
            // Every sample a pattern matches holds a secret-shaped value, so it must be masked.
            let matched = all.iter().any(|re| re.is_match(s));
            assert_eq!(matched, mask_credentials(s) != s, "{s}");
        }
    }
}
