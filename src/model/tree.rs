//! The merged settings tree: Kibana's raw config object, where every value keeps its origin.

use std::fmt;

use indexmap::IndexMap;
use rustc_hash::FxBuildHasher;

/// A mapping in document order (JavaScript objects keep insertion order). Keys are short and
/// not attacker-chosen in a way that matters here, so a fast hasher is used.
pub(crate) type Map = IndexMap<String, Node, FxBuildHasher>;

use crate::source::env::EnvRef;
use crate::source::scalar::js_number_string;
use crate::source::{Location, Origin};

/// One value of the merged configuration.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) value: Value,
    /// Where the value was written.
    pub(crate) origin: Origin,
    /// Where the key that set it was written (for `a.b.c: v`, the whole `a.b.c`).
    pub(crate) key: Option<Location>,
}

#[derive(Clone, Debug)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Number(f64),
    Str(Text),
    Seq(Vec<Node>),
    Map(Map),
}

/// A string value, after `${VAR}` substitution.
#[derive(Clone, Debug, Default)]
pub(crate) struct Text {
    pub(crate) value: String,
    /// The `${…}` references Kibana expanded in it.
    pub(crate) env: Vec<EnvRef>,
}

impl Text {
    pub(crate) fn plain(value: impl Into<String>) -> Text {
        Text {
            value: value.into(),
            ..Text::default()
        }
    }
}

impl Node {
    /// The node at `path` below this one (`None` when a step is missing or of another kind).
    pub(crate) fn at(&self, path: &SettingPath) -> Option<&Node> {
        path.0.iter().try_fold(self, |n, seg| match seg {
            Seg::Key(k) => n.as_map()?.get(k),
            Seg::Index(i) => n.as_seq()?.get(*i),
        })
    }

    /// The child at a dotted path of plain keys.
    #[cfg(test)]
    pub(crate) fn get(&self, dotted: &str) -> Option<&Node> {
        dotted
            .split('.')
            .try_fold(self, |node, key| node.as_map()?.get(key))
    }

    pub(crate) fn new(value: Value, origin: Origin) -> Node {
        Node {
            value,
            origin,
            key: None,
        }
    }

    pub(crate) fn map() -> Node {
        Node::new(Value::Map(Map::default()), Origin::Default)
    }

    /// JavaScript's view of the type, as config-schema prints it (`typeDetect`).
    pub(crate) fn js_type(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "Array",
            Value::Map(_) => "Object",
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(t) => Some(&t.value),
            _ => None,
        }
    }

    pub(crate) fn as_text(&self) -> Option<&Text> {
        match &self.value {
            Value::Str(t) => Some(t),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub(crate) fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub(crate) fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The best place to point at: the value, else its key.
    pub(crate) fn location(&self) -> Option<Location> {
        self.origin.location().or(self.key)
    }

    /// A short rendering for messages (never used for secret settings).
    pub(crate) fn display(&self) -> String {
        match &self.value {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => js_number_string(*n),
            Value::Str(t) => t.value.clone(),
            Value::Seq(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(Node::display)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::Map(_) => "{…}".into(),
        }
    }

    /// Converts a JSON value (keystore, Docker env, JSON strings) to nodes with one origin.
    pub(crate) fn from_json(value: &serde_json::Value, origin: &Origin) -> Node {
        let v = match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::Str(Text::plain(s.clone())),
            serde_json::Value::Array(items) => {
                Value::Seq(items.iter().map(|i| Node::from_json(i, origin)).collect())
            }
            serde_json::Value::Object(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Node::from_json(v, origin)))
                    .collect(),
            ),
        };
        Node::new(v, origin.clone())
    }

    /// The value as JSON, `${VAR}`s resolved (what would be sent to Kibana's API).
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
                serde_json::Value::from(*n as i64)
            }
            Value::Number(n) => serde_json::Number::from_f64(*n)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Str(t) => serde_json::Value::String(t.value.clone()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Map(m) => {
                serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }
}

/// A setting's full path, with list indices: `xpack.actions.customHostSettings[0].url`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SettingPath(pub Vec<Seg>);

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

impl SettingPath {
    pub(crate) fn parse(dotted: &str) -> SettingPath {
        SettingPath(dotted.split('.').map(|k| Seg::Key(k.to_string())).collect())
    }

    pub(crate) fn key(&self, k: &str) -> SettingPath {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }

    pub(crate) fn index(&self, i: usize) -> SettingPath {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }

    /// Appends a key (for walks that extend one path instead of cloning it per child).
    pub(crate) fn push_key(&mut self, k: &str) {
        self.0.push(Seg::Key(k.to_string()));
    }

    pub(crate) fn push_index(&mut self, i: usize) {
        self.0.push(Seg::Index(i));
    }

    pub(crate) fn pop(&mut self) {
        self.0.pop();
    }

    pub(crate) fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn starts_with(&self, prefix: &SettingPath) -> bool {
        self.0.starts_with(&prefix.0)
    }

    /// Kibana's error path below a plugin namespace: `customHostSettings.0.ssl.verificationMode`.
    pub(crate) fn kibana_suffix(&self, namespace_len: usize) -> String {
        self.0
            .iter()
            .skip(namespace_len)
            .map(|s| match s {
                Seg::Key(k) => k.clone(),
                Seg::Index(i) => i.to_string(),
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    /// The first key (the config root), if the path starts with one.
    pub(crate) fn first_key(&self) -> Option<&str> {
        match self.0.first() {
            Some(Seg::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// The last key, if the path ends in one.
    pub(crate) fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Seg::Key(k)) => Some(k),
            _ => None,
        }
    }
}

impl fmt::Display for SettingPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => f.write_str(k)?,
                // Keys that contain dots (e.g. `[my.id]` connector ids) are written as Kibana expects.
                Seg::Key(k) if k.contains('.') => write!(f, ".[{k}]")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setting_paths_render_with_list_indices() {
        let p = SettingPath::parse("xpack.actions.customHostSettings")
            .index(0)
            .key("ssl")
            .key("verificationMode");
        assert_eq!(
            p.to_string(),
            "xpack.actions.customHostSettings[0].ssl.verificationMode"
        );
        assert_eq!(
            p.kibana_suffix(2),
            "customHostSettings.0.ssl.verificationMode"
        );
        let id = SettingPath::parse("xpack.actions.preconfigured").key("my.hook");
        assert_eq!(id.to_string(), "xpack.actions.preconfigured.[my.hook]");
    }
}
