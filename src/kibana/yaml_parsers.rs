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
/// from the migration (PR #252351, merged to main in 2026 and backported to 8.19, 9.3 and 9.4 by
/// #276395, #276394 and #276393). 9.3.6 and 9.4.2 were released before those backports; the
/// first patch with them is not established, so later patches of 8.19, 9.3 and 9.4 (and a
/// version given without a patch, which means the newest) may use either.
pub(crate) fn parsers_for(v: Version) -> Parsers {
    use KibanaYaml::{JsYaml3, JsYaml4, Yaml2};
    let certain = |primary, other| Parsers {
        primary,
        other,
        switch_in_version: false,
    };
    let switching = |primary, other| Parsers {
        primary,
        other: Some(other),
        switch_in_version: true,
    };
    let newest = !v.patch_given();
    match (v.major, v.minor) {
        (0..=7, _) | (8, 0..=18) => certain(JsYaml3, Some(Yaml2)),
        (8, 19) if newest => switching(Yaml2, JsYaml4),
        (8, 19) => switching(JsYaml4, Yaml2),
        (9, 0..=2) => certain(JsYaml4, Some(Yaml2)),
        (9, 3) if !newest && v.patch <= 6 => certain(JsYaml4, Some(Yaml2)),
        (9, 4) if !newest && v.patch <= 2 => certain(JsYaml4, Some(Yaml2)),
        (9, 3..=4) => switching(Yaml2, JsYaml4),
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
