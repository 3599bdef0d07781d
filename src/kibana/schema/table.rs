//! The settings table, loaded once from the parts in rules/data/settings/, and its lookups by
//! pattern.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::LazyLock;

use serde::Deserialize;

use super::spec::{Spec, Type};
use crate::model::tree::{Seg, SettingPath};
use crate::version::Version;

/// The settings table.
pub(crate) struct Schema {
    specs: Vec<Spec>,
    by_key: HashMap<String, usize>,
    /// Named children of each object pattern, in table order.
    children: HashMap<String, Vec<(String, usize)>>,
    /// Every dotted prefix of every key (`xpack`, `xpack.actions`, …), to stop walks early.
    prefixes: HashSet<String>,
    /// The namespace rows, in table order.
    namespaces: Vec<usize>,
    /// Rows that move their value before validation (`moves_to`), deeper keys first: a
    /// plugin's specific renames (`xpack.monitoring.elasticsearch` → `monitoring.ui.elasticsearch`)
    /// run before its whole-root one (`xpack.monitoring` → `monitoring`), as its provider lists them.
    moves: Vec<usize>,
    /// Namespaces a check module reads (a row has `checked_by`): their defaults are needed even
    /// when the configuration does not mention them.
    checked: HashSet<String>,
}

/// The rows, read into a vector allocated once for the count build.rs counted.
struct Rows(Vec<Spec>);

impl<'de> Deserialize<'de> for Rows {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Rows, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Rows;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of settings")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Rows, A::Error> {
                let rows: usize = env!("KP_SETTINGS_ROWS").parse().unwrap_or(0);
                let mut out = Vec::with_capacity(rows);
                while let Some(spec) = seq.next_element()? {
                    out.push(spec);
                }
                Ok(Rows(out))
            }
        }
        d.deserialize_seq(Visitor)
    }
}

struct Table {
    setting: Vec<Spec>,
}

/// The table: rules/data/settings/*.toml as one JSON array, made by build.rs (its
/// `SETTINGS_PARTS` lists the parts in row order).
static SETTINGS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/settings.json"));

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| Schema::parse(SETTINGS_JSON));

/// The table shipped with the tool.
pub(crate) fn schema() -> &'static Schema {
    &SCHEMA
}

/// Each setting's `doc`, split off the table by build.rs (only the JSON Schemas read it).
static DOCS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/settings-docs.json"));

/// What the setting `key` (a table pattern) does, from the table's `doc`.
pub(crate) fn doc_of(key: &str) -> Option<&'static str> {
    static DOCS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
        serde_json::from_str(DOCS_JSON).expect("build.rs writes the docs as one JSON object")
    });
    DOCS.get(key).map(String::as_str)
}

impl Schema {
    fn parse(json: &str) -> Schema {
        let mut table = Table {
            setting: serde_json::from_str::<Rows>(json)
                .unwrap_or_else(|e| panic!("rules/data/settings/ does not fit the table: {e}"))
                .0,
        };
        for spec in &mut table.setting {
            spec.default_value = spec.default.as_deref().map(|d| {
                serde_json::from_str(d)
                    .unwrap_or_else(|e| panic!("{}: default is not JSON: {e}", spec.key))
            });
            spec.defaults_by_version = spec
                .defaults
                .iter()
                .map(|(v, d)| {
                    let from: Version = v
                        .parse()
                        .unwrap_or_else(|e| panic!("{}: defaults: {e}", spec.key));
                    // "8.13" in the table means from 8.13.0.
                    let minor = if from.minor == u32::MAX {
                        0
                    } else {
                        from.minor
                    };
                    let patch = if from.patch_given() { from.patch } else { 0 };
                    (
                        Version::new(from.major, minor, patch),
                        serde_json::from_str(d).ok(),
                    )
                })
                .collect();
            spec.defaults_by_version.sort_by_key(|(v, _)| *v);
        }
        let mut children: HashMap<String, Vec<(String, usize)>> = HashMap::default();
        for (i, spec) in table.setting.iter().enumerate() {
            if let Some((parent, name)) = spec.key.rsplit_once('.')
                && !name.contains('[')
                && name != "*"
            {
                children
                    .entry(parent.to_string())
                    .or_default()
                    .push((name.to_string(), i));
            }
        }
        let by_key = table
            .setting
            .iter()
            .enumerate()
            .map(|(i, s)| (s.key.clone(), i))
            .collect();
        let mut prefixes = HashSet::default();
        for spec in &table.setting {
            let mut end = 0;
            for (i, c) in spec.key.char_indices() {
                if c == '.' || c == '[' {
                    prefixes.insert(spec.key[..i].to_string());
                }
                end = i + c.len_utf8();
            }
            prefixes.insert(spec.key[..end].to_string());
        }
        let namespaces: Vec<usize> = (0..table.setting.len())
            .filter(|i| table.setting[*i].namespace)
            .collect();
        let mut moves: Vec<usize> = (0..table.setting.len())
            .filter(|i| table.setting[*i].moves_to.is_some())
            .collect();
        moves.sort_by_key(|i| std::cmp::Reverse(table.setting[*i].key.matches('.').count()));
        let checked = namespaces
            .iter()
            .map(|i| &table.setting[*i].key)
            .filter(|ns| {
                table.setting.iter().any(|s| {
                    s.checked_by.is_some()
                        && s.key.starts_with(ns.as_str())
                        && s.key.as_bytes().get(ns.len()) == Some(&b'.')
                })
            })
            .cloned()
            .collect();
        Schema {
            specs: table.setting,
            by_key,
            children,
            prefixes,
            namespaces,
            moves,
            checked,
        }
    }

    pub(crate) fn specs(&self) -> &[Spec] {
        &self.specs
    }

    pub(crate) fn get(&self, pattern: &str) -> Option<&Spec> {
        self.by_key.get(pattern).map(|i| &self.specs[*i])
    }

    /// The rows with `moves_to`, in the order they are applied.
    pub(crate) fn moves(&self) -> impl Iterator<Item = &Spec> {
        self.moves.iter().map(|i| &self.specs[*i])
    }

    /// The namespaces (plugin roots) the table covers.
    pub(crate) fn namespaces(&self) -> impl Iterator<Item = &Spec> {
        self.namespaces.iter().map(|i| &self.specs[*i])
    }

    /// Whether a check module reads settings of this namespace (so its defaults matter).
    pub(crate) fn is_checked(&self, namespace: &str) -> bool {
        self.checked.contains(namespace)
    }

    /// Direct named children of an object pattern.
    pub(crate) fn children<'a>(
        &'a self,
        pattern: &str,
    ) -> impl Iterator<Item = (&'a str, &'a Spec)> {
        self.children
            .get(pattern)
            .into_iter()
            .flatten()
            .map(|(name, i)| (name.as_str(), &self.specs[*i]))
    }

    /// The table pattern of a concrete path (`…customHostSettings[0].url` → `…customHostSettings[].url`).
    pub(crate) fn pattern_of(&self, path: &SettingPath) -> Option<String> {
        let mut pattern = String::new();
        let mut spec: Option<&Spec> = None;
        for seg in &path.0 {
            let next = match (seg, spec.map(|s| s.ty)) {
                (Seg::Index(_), Some(Type::Array)) => format!("{pattern}[]"),
                (Seg::Key(_), Some(Type::Record)) => format!("{pattern}.*"),
                (Seg::Key(k), _) if pattern.is_empty() => k.clone(),
                (Seg::Key(k), _) => format!("{pattern}.{k}"),
                (Seg::Index(_), _) => return None,
            };
            pattern = next;
            spec = self.get(&pattern);
        }
        spec.map(|_| pattern)
    }

    /// The spec of a concrete path.
    pub(crate) fn spec_of(&self, path: &SettingPath) -> Option<&Spec> {
        self.pattern_of(path).and_then(|p| self.get(&p))
    }

    /// Extends `pattern` (the parent's, empty at the root; `parent` is its spec) by one child
    /// segment; returns whether the table has anything at or below the result.
    pub(crate) fn extend_pattern(
        &self,
        pattern: &mut String,
        parent: Option<&Spec>,
        child: &Seg,
    ) -> bool {
        match (parent.map(|s| s.ty), child) {
            (Some(Type::Array), Seg::Index(_)) => pattern.push_str("[]"),
            (Some(Type::Record), Seg::Key(_)) => pattern.push_str(".*"),
            (_, Seg::Key(k)) => {
                if !pattern.is_empty() {
                    pattern.push('.');
                }
                pattern.push_str(k);
            }
            (_, Seg::Index(_)) => return false,
        }
        self.prefixes.contains(pattern.as_str())
    }

    /// Whether a value at this path must never be printed.
    pub(crate) fn is_secret(&self, path: &SettingPath) -> bool {
        // A secret record makes everything under it secret.
        (1..=path.len()).any(|n| {
            self.spec_of(&SettingPath(path.0[..n].to_vec()))
                .is_some_and(|s| s.secret)
        })
    }
}
