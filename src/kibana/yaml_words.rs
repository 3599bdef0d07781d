//! The words each of Kibana's YAML parsers uses where the loader refuses a file, so a finding
//! quotes what Kibana prints (`FATAL CLI ERROR YAMLException: …` with js-yaml,
//! `YAMLParseError: …` with the `yaml` package). The loader's own messages are saphyr-parser's;
//! this table maps each to the message the parser gives for the same input most often, as
//! measured by the differential test (src/kibana/yaml_cross_check.rs, which also reports how
//! often the mapped words are the parser's exact words). `None` where no mapping is known.

use crate::source::yaml::{KibanaYaml, YamlIssue};

/// (saphyr-parser's message, js-yaml's, the `yaml` package's).
const SYNTAX: &[(&str, &str, &str)] = &[
    (
        "while parsing a block mapping, did not find expected key",
        "bad indentation of a mapping entry",
        "All mapping items must start at the same column",
    ),
    (
        "simple key expect ':'",
        "can not read a block mapping entry; a multiline key may not be an implicit key",
        "Implicit keys need to be on a single line",
    ),
    (
        "mapping values are not allowed in this context",
        "bad indentation of a mapping entry",
        "Nested mappings are not allowed in compact mappings",
    ),
    (
        "did not find expected <document start>",
        "end of the stream or a document separator is expected",
        "Unexpected scalar at node end",
    ),
    (
        "tabs disallowed within this context (block indentation)",
        "tab characters must not be used in indentation",
        "Tabs are not allowed as indentation",
    ),
    (
        "while scanning a plain scalar, found a tab",
        "tab characters must not be used in indentation",
        "Tabs are not allowed as indentation",
    ),
    (
        "unexpected character: `%'",
        "missed comma between flow collection entries",
        "Plain value cannot start with directive indicator character %",
    ),
    (
        "while parsing a block collection, did not find expected '-' indicator",
        "bad indentation of a sequence entry",
        "Sequence item without - indicator",
    ),
    (
        "\"-\" is only valid inside a block",
        "missed comma between flow collection entries",
        "Block collections are not allowed within flow collections",
    ),
    (
        "found unprintable character",
        "null byte is not allowed in input",
        "Unexpected scalar at node end",
    ),
    (
        "invalid indentation",
        "bad indentation of a mapping entry",
        "Flow sequence in block collection must be sufficiently indented and end with a ]",
    ),
    (
        "while parsing node, found unknown anchor",
        "unidentified alias",
        "Unresolved alias (the anchor must be set before the alias)",
    ),
    (
        "a block scalar content cannot start with a tab",
        "tab characters must not be used in indentation",
        "Block scalars with more-indented leading empty lines must use an explicit indentation indicator",
    ),
    (
        "comment intercepting the multiline text",
        "bad indentation of a mapping entry",
        "All mapping items must start at the same column",
    ),
    (
        "invalid indentation in quoted scalar",
        "bad indentation of a mapping entry",
        "All mapping items must start at the same column",
    ),
    (
        "while parsing a flow mapping, did not find expected ',' or '}'",
        "missed comma between flow collection entries",
        "Missing , or : between flow sequence items",
    ),
    (
        "while parsing a flow sequence, expected ',' or ']'",
        "missed comma between flow collection entries",
        "Missing , or : between flow sequence items",
    ),
];

/// The parser's words for `issue`, if known.
pub(crate) fn kibana_words(parser: KibanaYaml, issue: &YamlIssue) -> Option<&'static str> {
    let js = parser != KibanaYaml::Yaml2;
    let pick = |js_words: &'static str, yaml_words: &'static str| {
        Some(if js { js_words } else { yaml_words })
    };
    match issue {
        YamlIssue::Syntax { message, .. } => SYNTAX
            .iter()
            .find(|(ours, _, _)| ours == message)
            .and_then(|(_, j, y)| pick(j, y)),
        YamlIssue::DuplicateKey { .. } => pick("duplicated mapping key", "Map keys must be unique"),
        YamlIssue::MultipleDocuments { .. } => pick(
            "expected a single document in the stream, but found more",
            "Source contains multiple documents; please use YAML.parseAllDocuments()",
        ),
        YamlIssue::ExcessiveAliases { .. } if !js => {
            Some("Excessive alias count indicates a resource exhaustion attack")
        }
        _ => None,
    }
}
