//! A connector spec: the body of `POST /api/actions/connector[/<id>]` (`name`,
//! `connector_type_id`, `config`, `secrets`), read from a JSON or YAML file with every value's
//! position kept. `${VAR}` in string values is replaced from the environment, so secrets can stay
//! out of the file; unlike kibana.yml, keys are never split on dots (header names contain them).

use crate::model::tree::{Map, Node, Text, Value};
use crate::source::env::{Env, RefSyntax, substitute};
use crate::source::scalar::Scalar;
use crate::source::yaml::{self, Yaml, YamlIssue, YamlKind};
use crate::source::{FileId, Location, Origin};

/// The parsed body, as the create route receives it.
#[derive(Clone, Debug)]
pub(crate) struct ConnectorSpec {
    pub(crate) file: FileId,
    /// The top-level mapping.
    pub(crate) body: Node,
    /// `--connector-id`: the id to create the connector under (path parameter, 8.8+).
    pub(crate) id: Option<String>,
}

impl ConnectorSpec {
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.body.as_map().and_then(|m| m.get(key))
    }

    pub(crate) fn config(&self) -> Option<&Node> {
        self.get("config")
    }

    pub(crate) fn secrets(&self) -> Option<&Node> {
        self.get("secrets")
    }

    /// Where the whole body is (for findings about a missing key).
    pub(crate) fn location(&self) -> Option<Location> {
        self.body.location()
    }
}

/// Why a spec file cannot be used at all (exit code 2: this is bad input, not a finding).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SpecError {
    pub(crate) line: u32,
    pub(crate) col: u32,
    pub(crate) message: String,
}

/// Parses the spec text already added to `sources` as `file`.
pub(crate) fn parse(
    text: &str,
    file: FileId,
    env: &Env,
    id: Option<String>,
) -> Result<ConnectorSpec, SpecError> {
    let parsed = yaml::parse(text);
    if let Some(issue) = parsed.issues.first().map(|i| match i {
        YamlIssue::Syntax { message, at } => (at.line, at.col, message.clone()),
        YamlIssue::DuplicateKey { key, second, .. } => (
            second.start.line,
            second.start.col,
            format!("`{key}` is given twice"),
        ),
        YamlIssue::MultipleDocuments { at } => (
            at.start.line,
            at.start.col,
            "more than one document".to_string(),
        ),
        YamlIssue::TooDeep { at } => (at.line, at.col, "nested too deeply".to_string()),
        YamlIssue::ExcessiveAliases { at } => {
            (at.start.line, at.start.col, "too many aliases".to_string())
        }
        // Only kibana.yml is read with more than one parser.
        YamlIssue::ParsersDisagree { refusal, .. } => {
            let p = refusal.pos();
            (
                p.line,
                p.col,
                "refused by one of Kibana's YAML parsers".to_string(),
            )
        }
    }) {
        return Err(SpecError {
            line: issue.0,
            col: issue.1,
            message: issue.2,
        });
    }
    let Some(root) = parsed.root else {
        return Err(SpecError {
            line: 1,
            col: 1,
            message: "the file is empty; expected a JSON object with name, connector_type_id, config and secrets".into(),
        });
    };
    if !matches!(root.kind, YamlKind::Map(_)) {
        return Err(SpecError {
            line: root.span.start.line,
            col: root.span.start.col,
            message: "expected a JSON object with name, connector_type_id, config and secrets"
                .into(),
        });
    }
    let builder = Builder { file, env };
    Ok(ConnectorSpec {
        file,
        body: builder.node(&root),
        id,
    })
}

struct Builder<'a> {
    file: FileId,
    env: &'a Env,
}

impl Builder<'_> {
    fn loc(&self, span: crate::source::Span) -> Location {
        Location {
            file: self.file,
            span,
        }
    }

    fn node(&self, y: &Yaml) -> Node {
        let origin = Origin::File(self.loc(y.span));
        let value = match &y.kind {
            YamlKind::Scalar(s) => match &s.value {
                Scalar::Null => Value::Null,
                Scalar::Bool(b) => Value::Bool(*b),
                Scalar::Number(n) => Value::Number(*n),
                Scalar::Str(text) => Value::Str(self.text(text)),
            },
            YamlKind::Seq(items) => Value::Seq(items.iter().map(|i| self.node(i)).collect()),
            YamlKind::Map(pairs) => {
                let mut map = Map::default();
                for (k, v) in pairs {
                    let mut child = self.node(v);
                    child.key = Some(self.loc(k.span));
                    map.insert(k.key_string(), child);
                }
                Value::Map(map)
            }
        };
        Node::new(value, origin)
    }

    fn text(&self, text: &str) -> Text {
        if !text.contains('$') {
            return Text::plain(text);
        }
        let s = substitute(text, self.env, RefSyntax::NameOnly);
        Text {
            value: s.value,
            env: s.refs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::env::{EnvOrigin, EnvVar, Resolution};
    use crate::source::{SourceKind, SourceMap};
    use std::sync::Arc;

    fn spec(text: &str, env: &[(&str, &str)]) -> Result<ConnectorSpec, SpecError> {
        let mut sources = SourceMap::new();
        let file = sources.add(
            "c.json".into(),
            SourceKind::ConnectorSpec,
            Some(Arc::from(text)),
        );
        let mut e = Env::new();
        for (k, v) in env {
            e.set(
                k,
                EnvVar {
                    value: v.to_string(),
                    origin: EnvOrigin::Process,
                },
            );
        }
        parse(text, file, &e, None)
    }

    #[test]
    fn json_body_keeps_dotted_keys_and_positions() {
        let s = spec(
            r#"{"name": "n", "connector_type_id": ".webhook",
 "config": {"url": "https://h", "headers": {"X.Trace": "1"}}}"#,
            &[],
        )
        .unwrap();
        let headers = s.config().unwrap().get("headers").unwrap();
        assert!(
            headers.get("X.Trace").is_none(),
            "get() splits; the key is kept whole"
        );
        assert!(headers.as_map().unwrap().contains_key("X.Trace"));
        let url = s.config().unwrap().as_map().unwrap().get("url").unwrap();
        assert_eq!(url.location().unwrap().span.start.line, 2);
    }

    #[test]
    fn env_references_resolve_and_missing_ones_are_recorded() {
        let s = spec(
            "name: n\nsecrets:\n  user: ${U}\n  password: ${P}\n",
            &[("U", "alice")],
        )
        .unwrap();
        let secrets = s.secrets().unwrap().as_map().unwrap();
        assert_eq!(secrets["user"].as_str(), Some("alice"));
        let p = secrets["password"].as_text().unwrap();
        assert_eq!(p.env[0].resolution, Resolution::Missing);
    }

    #[test]
    fn bad_files_are_input_errors() {
        assert!(spec("", &[]).is_err());
        assert!(spec("[1, 2]", &[]).is_err());
        assert!(spec("{\"name\": \"a\", \"name\": \"b\"}", &[]).is_err());
        let e = spec("{\"name\": ", &[]).unwrap_err();
        assert!(!e.message.is_empty() && e.line >= 1);
    }
}
