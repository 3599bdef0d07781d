//! The settings table, loaded once from the parts in rules/data/settings/, and its lookups by
//! pattern.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::fmt::Write as _;
use std::sync::LazyLock;

use std::sync::OnceLock;

use super::spec::{Spec, Type};
use crate::model::tree::{Node, Seg, SettingPath};
use crate::version::Version;

/// The settings table.
pub(crate) struct Schema {
    specs: &'static [Spec],
    by_key: HashMap<&'static str, usize>,
    /// Named children of each object pattern, in table order.
    children: HashMap<&'static str, Vec<(&'static str, usize)>>,
    /// The branches of each `one_of` pattern (rows `<key>#<literal>`), by literal, in table
    /// order, which is Kibana's order of the `oneOf` list.
    branches: HashMap<&'static str, Vec<(&'static str, usize)>>,
    /// Every dotted prefix of every key (`xpack`, `xpack.actions`, …), to stop walks early.
    prefixes: HashSet<&'static str>,
    /// The namespace rows, in table order.
    namespaces: Vec<usize>,
    /// Rows that move their value before validation (`moves_to`), deeper keys first: a
    /// plugin's specific renames (`xpack.monitoring.elasticsearch` → `monitoring.ui.elasticsearch`)
    /// run before its whole-root one (`xpack.monitoring` → `monitoring`), as its provider lists them.
    moves: Vec<usize>,
    /// Namespaces a check module reads (a row has `checked_by`): their defaults are needed even
    /// when the configuration does not mention them.
    checked: HashSet<&'static str>,
    /// Positions in `namespaces` by config root (`server`, `xpack.fleet`: the first segment, or
    /// the first two under `xpack`), so a file's validation visits only the namespaces it can
    /// touch.
    by_root: HashMap<&'static str, Vec<usize>>,
    /// Positions in `namespaces` of the `checked` ones.
    checked_positions: Vec<usize>,
    /// The first plain key (no list item, no record entry) ending in each name, built the first
    /// time an unknown key asks where else its name is a setting.
    by_name: OnceLock<HashMap<&'static str, Vec<&'static str>>>,
}

// The rows: `static ROWS: [Spec; N]`, written by build.rs from rules/data/settings/*.toml (its
// `SETTINGS_PARTS` lists the parts in row order).
include!(concat!(env!("OUT_DIR"), "/settings.rs"));

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| Schema::index(&ROWS));

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
    /// The lookups over the static rows: keys, children, prefixes (borrowed, not copied).
    fn index(specs: &'static [Spec]) -> Schema {
        let mut children: HashMap<&'static str, Vec<(&'static str, usize)>> = HashMap::default();
        let mut branches: HashMap<&'static str, Vec<(&'static str, usize)>> = HashMap::default();
        let mut by_key = HashMap::with_capacity_and_hasher(specs.len(), Default::default());
        let mut prefixes = HashSet::with_capacity_and_hasher(specs.len() * 2, Default::default());
        for (i, spec) in specs.iter().enumerate() {
            let key = spec.key;
            // One backward scan per key: its last segment is a child's name or a branch's.
            let (parent, name) = key.rsplit_once('.').unwrap_or(("", key));
            if let Some(at) = name.bytes().position(|b| b == b'#') {
                let union = &key[..key.len() - name.len() + at];
                branches
                    .entry(union)
                    .or_default()
                    .push((&name[at + 1..], i));
            } else if !parent.is_empty() && !name.contains('[') && name != "*" {
                children.entry(parent).or_default().push((name, i));
            }
            by_key.insert(key, i);
            for (at, c) in key.char_indices() {
                if c == '.' || c == '[' || c == '#' {
                    prefixes.insert(&key[..at]);
                }
            }
            prefixes.insert(key);
        }
        let namespaces: Vec<usize> = (0..specs.len()).filter(|i| specs[*i].namespace).collect();
        let mut moves: Vec<usize> = (0..specs.len())
            .filter(|i| specs[*i].moves_to.is_some())
            .collect();
        moves.sort_by_key(|i| std::cmp::Reverse(specs[*i].key.matches('.').count()));
        // A handful of rows have a check module: look their namespaces up from them, not every
        // row for every namespace (that was most of the start-up time).
        let checked_keys: Vec<&str> = specs
            .iter()
            .filter(|s| s.checked_by.is_some())
            .map(|s| s.key)
            .collect();
        let checked: HashSet<&'static str> = namespaces
            .iter()
            .map(|i| specs[*i].key)
            .filter(|ns| {
                checked_keys
                    .iter()
                    .any(|key| key.starts_with(ns) && key.as_bytes().get(ns.len()) == Some(&b'.'))
            })
            .collect();
        let mut by_root: HashMap<&'static str, Vec<usize>> = HashMap::default();
        let mut checked_positions = Vec::new();
        for (pos, i) in namespaces.iter().enumerate() {
            let key = specs[*i].key;
            by_root.entry(config_root(key)).or_default().push(pos);
            if checked.contains(key) {
                checked_positions.push(pos);
            }
        }
        Schema {
            specs,
            by_key,
            children,
            branches,
            prefixes,
            namespaces,
            moves,
            checked,
            by_root,
            checked_positions,
            by_name: OnceLock::new(),
        }
    }

    /// The plain keys of the table whose last segment is `name` (`encryptionKey` →
    /// `xpack.encryptedSavedObjects.encryptionKey`, …), in table order, for "did you mean"
    /// elsewhere.
    pub(crate) fn keys_named(&self, name: &str) -> &[&'static str] {
        self.by_name
            .get_or_init(|| {
                let mut by_name: HashMap<&'static str, Vec<&'static str>> = HashMap::default();
                for spec in self.specs {
                    let key = spec.key;
                    if key.contains(['[', '*']) {
                        continue;
                    }
                    let last = key.rsplit('.').next().unwrap_or(key);
                    by_name.entry(last).or_default().push(key);
                }
                by_name
            })
            .get(name)
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn specs(&self) -> &'static [Spec] {
        self.specs
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

    /// The namespaces a configuration can touch (those under its config roots, and the ones a
    /// check module reads), in table order.
    pub(crate) fn namespaces_for(&self, root: &Node) -> impl Iterator<Item = &Spec> {
        // A bit per namespace: marking is a lookup per root, and reading the bits back gives
        // table order without sorting.
        let mut marked = vec![0u64; self.namespaces.len().div_ceil(64)];
        let mut mark = |found: Option<&Vec<usize>>| {
            for pos in found.into_iter().flatten() {
                marked[pos / 64] |= 1 << (pos % 64);
            }
        };
        mark(Some(&self.checked_positions));
        for (key, child) in root.as_map().into_iter().flatten() {
            mark(self.by_root.get(key.as_str()));
            if key == "xpack" {
                // `xpack.fleet`: one buffer for the joined roots.
                let mut joined = String::from("xpack.");
                for name in child.as_map().into_iter().flat_map(|m| m.keys()) {
                    joined.truncate("xpack.".len());
                    joined.push_str(name);
                    mark(self.by_root.get(joined.as_str()));
                }
            }
        }
        (0..self.namespaces.len())
            .filter(move |pos| marked[pos / 64] & (1 << (pos % 64)) != 0)
            .map(|pos| &self.specs[self.namespaces[pos]])
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
            .map(|(name, i)| (*name, &self.specs[*i]))
    }

    /// The branches of a `one_of` pattern: each literal and its object row, in Kibana's order.
    pub(crate) fn branches<'a>(
        &'a self,
        pattern: &str,
    ) -> impl Iterator<Item = (&'a str, &'a Spec)> + use<'a> {
        self.branches
            .get(pattern)
            .into_iter()
            .flatten()
            .map(|(literal, i)| (*literal, &self.specs[*i]))
    }

    /// The branches release `v` may have, in Kibana's order (one that may exist keeps its place).
    pub(crate) fn branches_at<'a>(
        &'a self,
        pattern: &str,
        v: Version,
    ) -> impl Iterator<Item = (&'a str, &'a Spec)> + use<'a> {
        self.branches(pattern).filter(move |(_, b)| b.may_exist(v))
    }

    /// The table pattern of a concrete path (`…customHostSettings[0].url` → `…customHostSettings[].url`;
    /// under a `one_of`, the first branch the whole rest of the path exists in:
    /// `logging.appenders.*#file.fileName`).
    pub(crate) fn pattern_of(&self, path: &SettingPath) -> Option<String> {
        let mut pattern = String::new();
        self.resolve(&mut pattern, None, &path.0).then_some(pattern)
    }

    /// Extends `pattern` (whose row is `spec`) by the segments `rest`; whether the result is a row.
    fn resolve(&self, pattern: &mut String, spec: Option<&Spec>, rest: &[Seg]) -> bool {
        let Some((seg, rest)) = rest.split_first() else {
            return spec.is_some();
        };
        let next = |pattern: &mut String| {
            let spec = self.get(pattern);
            self.resolve(pattern, spec, rest)
        };
        match (seg, spec) {
            // Under a union, the first kind the whole rest of the path exists in.
            (Seg::Key(k), Some(union)) if union.ty == Type::OneOf => {
                self.union_step(pattern, union, k, next)
            }
            _ => self.extend_pattern(pattern, spec, seg) && next(pattern),
        }
    }

    /// Extends `pattern`, a union's (`union`), by the key `k` into the first candidate `accept`
    /// takes: the kinds that have the key, in Kibana's order (a union that was one object before,
    /// `union_from`, has rows spanning every kind: those first), then the union's own child.
    fn union_step(
        &self,
        pattern: &mut String,
        union: &Spec,
        k: &str,
        mut accept: impl FnMut(&mut String) -> bool,
    ) -> bool {
        let mark = pattern.len();
        if union.union_from.is_some() {
            let _ = write!(pattern, ".{k}");
            if accept(pattern) {
                return true;
            }
            pattern.truncate(mark);
        }
        for (literal, _) in self.branches(union.key) {
            let _ = write!(pattern, "#{literal}.{k}");
            if self.prefixes.contains(pattern.as_str()) && accept(pattern) {
                return true;
            }
            pattern.truncate(mark);
        }
        let _ = write!(pattern, ".{k}");
        accept(pattern)
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
            // Which branch a value takes depends on the value: name the first that has the key.
            (Some(Type::OneOf), Seg::Key(k)) => {
                let prefixes = &self.prefixes;
                return parent.is_some_and(|union| {
                    self.union_step(pattern, union, k, |p| prefixes.contains(p.as_str()))
                });
            }
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

/// A key's config root: its first segment, or its first two under `xpack` (`xpack.fleet`).
pub(crate) fn config_root(key: &str) -> &str {
    let mut dots = key.match_indices('.').map(|(at, _)| at);
    match (key.starts_with("xpack."), dots.next(), dots.next()) {
        (true, Some(_), Some(second)) => &key[..second],
        (true, Some(_), None) => key,
        (_, Some(first), _) => &key[..first],
        (_, None, _) => key,
    }
}
