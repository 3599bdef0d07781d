//! Which YAML parser each Kibana version reads kibana.yml with, and reading a kibana.yml with
//! it (and with the other parser Kibana has used around that version, to say where they differ).

use crate::source::yaml::{KibanaYaml, ParsedYaml, YamlIssue, parse_as};
use crate::version::Version;

/// The parser a Kibana version reads kibana.yml with, and the other one to compare with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Parsers {
    pub(crate) primary: KibanaYaml,
    /// The parser of later versions (a file it refuses breaks the upgrade), or, where the
    /// version switched parsers in a patch release, the one of its other patches.
    pub(crate) other: Option<KibanaYaml>,
    pub(crate) switch_in_version: bool,
}

/// Which parser each Kibana version reads kibana.yml with. js-yaml 3 `safeLoad` up to 8.18;
/// js-yaml 4 `load` from 9.0 (PR #190678, backported to 8.19 by #219852); the `yaml` package
/// from the migration (PR #252351), in 9.5.0 and later, and backported to 8.19, 9.3 and 9.4 by
/// #276395, #276394 and #276393 (opened 2026-07-06). No release note names those backports, so
/// their first patch is bounded by dates (docs/kibana-behaviour.md): 8.19.17, 9.3.6 and 9.4.2
/// shipped before them; js-yaml was removed from the 8.19 and 9.4 branches by 2026-08-18
/// (#285102, #285100), so 8.19.21 and 9.4.6, which carry later fixes, read with `yaml`. The
/// patches between may use either, as may 9.3.7 and 9.3.8 (no removal was backported to 9.3).
/// A version without a patch means the newest patch of its line.
pub(crate) fn parsers_for(v: Version) -> Parsers {
    use KibanaYaml::{JsYaml3, JsYaml4, Yaml2};
    let certain = |primary, other| Parsers {
        primary,
        other,
        switch_in_version: false,
    };
    // In the window: the parser each patch most likely has first (release dates), the other
    // one compared.
    let switching = |primary, other| Parsers {
        primary,
        other: Some(other),
        switch_in_version: true,
    };
    let patch = v.patch;
    let newest = !v.patch_given();
    match (v.major, v.minor) {
        (0..=7, _) | (8, 0..=18) => certain(JsYaml3, Some(Yaml2)),
        (8, 19) if newest || patch >= 21 => certain(Yaml2, None),
        (8, 19) if patch <= 17 => certain(JsYaml4, Some(Yaml2)),
        (8, 19) if patch == 18 => switching(JsYaml4, Yaml2),
        (8, 19) => switching(Yaml2, JsYaml4),
        (9, 0..=2) => certain(JsYaml4, Some(Yaml2)),
        (9, 3) if !newest && patch <= 6 => certain(JsYaml4, Some(Yaml2)),
        (9, 3) if !newest && patch == 7 => switching(JsYaml4, Yaml2),
        (9, 3) => switching(Yaml2, JsYaml4),
        (9, 4) if newest || patch >= 6 => certain(Yaml2, None),
        (9, 4) if patch <= 2 => certain(JsYaml4, Some(Yaml2)),
        (9, 4) if patch == 3 => switching(JsYaml4, Yaml2),
        (9, 4) => switching(Yaml2, JsYaml4),
        _ => certain(Yaml2, None),
    }
}

/// Parses a kibana.yml as the version's parser does; where another parser Kibana may use
/// (see [`parsers_for`]) judges differently, says so with a [`YamlIssue::ParsersDisagree`].
/// Where the version itself may use either, a file only one refuses is read with the other.
pub(crate) fn parse_for(text: &str, version: Version) -> ParsedYaml {
    let parsers = parsers_for(version);
    let mut first = parse_as(text, parsers.primary);
    let Some(other) = parsers.other else {
        return first;
    };
    let first_refused = first.issues.iter().any(YamlIssue::is_refusal);
    if !first_refused && !may_differ(text) {
        return first;
    }
    let mut second = parse_as(text, other);
    let refusal = |p: &ParsedYaml| p.issues.iter().find(|i| i.is_refusal()).cloned();
    match (refusal(&first), refusal(&second)) {
        (None, Some(issue)) => {
            first.issues.push(YamlIssue::ParsersDisagree {
                refusing: other,
                accepting: parsers.primary,
                refusal: Box::new(issue),
                switch_in_version: parsers.switch_in_version,
            });
            first
        }
        (Some(issue), None) if parsers.switch_in_version => {
            second.issues.push(YamlIssue::ParsersDisagree {
                refusing: parsers.primary,
                accepting: other,
                refusal: Box::new(issue),
                switch_in_version: true,
            });
            second
        }
        _ => first,
    }
}

/// Whether the parsers can judge `text` differently: they differ only on tabs, aliases, a
/// byte order mark, a lone CR, and flow collections spanning lines (a line whose brackets, outside
/// quotes and comments, do not balance). Reading a file twice costs about a third of a lint;
/// most files have none of these.
pub(super) fn may_differ(text: &str) -> bool {
    let lone_cr = text
        .bytes()
        .zip(text.bytes().skip(1).chain([b'\n']))
        .any(|(a, b)| a == b'\r' && b != b'\n');
    if text.contains(['\t', '\u{feff}']) || lone_cr {
        return true;
    }
    text.lines().any(|line| {
        let (mut depth, mut quote) = (0i32, None);
        let mut prev = ' ';
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') if prev == ' ' => break,
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') => depth -= 1,
                // An alias (`*name`), not a quoted `"*"`.
                (None, '*')
                    if chars
                        .peek()
                        .is_some_and(|n| !matches!(n, ' ' | ',' | ']' | '}')) =>
                {
                    return true;
                }
                _ => {}
            }
            prev = c;
        }
        depth != 0 || quote.is_some()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_their_parsers() {
        let v = |s: &str| s.parse::<Version>().unwrap();
        assert_eq!(parsers_for(v("8.18.4")).primary, KibanaYaml::JsYaml3);
        assert_eq!(parsers_for(v("9.2")).primary, KibanaYaml::JsYaml4);
        assert!(!parsers_for(v("9.3.6")).switch_in_version);
        assert!(parsers_for(v("9.3.7")).switch_in_version);
        assert_eq!(parsers_for(v("9.3")).primary, KibanaYaml::Yaml2);
        assert!(!parsers_for(v("9.4.2")).switch_in_version);
        assert_eq!(parsers_for(v("9.4.3")).primary, KibanaYaml::JsYaml4);
        assert!(parsers_for(v("9.4.5")).switch_in_version);
        assert_eq!(parsers_for(v("9.4.6")), parsers_for(v("9.5")));
        assert_eq!(parsers_for(v("8.19")).other, None);
        assert!(parsers_for(v("8.19.18")).switch_in_version);
        assert!(!parsers_for(v("8.19.17")).switch_in_version);
        assert_eq!(parsers_for(v("9.3.7")).primary, KibanaYaml::JsYaml4);
        assert_eq!(parsers_for(v("9.5")).other, None);
    }

    #[test]
    fn only_files_the_parsers_can_disagree_on_are_read_twice() {
        assert!(!may_differ(
            "a: [x, y]\nb: {c: 1}\n# [\nd: \"[\"\ne: [\"*\"]\n"
        ));
        assert!(may_differ("a: [\n  x\n]\n"));
        assert!(may_differ("a:\tb\n"));
        assert!(may_differ("a: &x 1\nb: *x\n"));
        assert!(may_differ("a: [ \"]\"\n]\n"));
        assert!(may_differ("a: 1\rb: 2\n"));
        assert!(!may_differ("a: 1\r\nb: 2\r\n"));
        // The example of the issue: accepted by both, read once... after the check.
        let text = "xpack.actions.allowedHosts: [\n  \"a.example.com\"\n]\n";
        assert!(parse_for(text, "9.2".parse().unwrap()).issues.is_empty());
    }
}
