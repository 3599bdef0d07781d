//! Kibana's config-schema validation of the settings we model, driven by the versioned table in
//! `rules/data/settings.toml`.
//!
//! Mirrors `@kbn/config-schema`: the same coercions (`"true"` → boolean, `"5"` → number, a JSON
//! string → array/object), the same messages (`expected value of type [array] but got [null]`,
//! `definition for this key is missing`, …) prefixed the way core prints them
//! (`[config validation of [xpack.actions].allowedHosts.0]: …`), and the deprecation handlers of
//! the versions that had them (renaming `whitelistedHosts`, unsetting `rejectUnauthorized`).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::model::tree::{Map, Node, Seg, SettingPath, Text, Value};
use crate::source::{Location, Origin};
use crate::version::Version;

/// A setting's type in config-schema terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Type {
    Object,
    Record,
    Array,
    String,
    Enum,
    Boolean,
    Number,
    ByteSize,
    Duration,
    StringOrArray,
    Any,
}

/// One row of the settings table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub key: String,
    #[serde(rename = "type")]
    pub ty: Type,
    pub default: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub values: Vec<String>,
    pub min_length: Option<usize>,
    pub min_size: Option<usize>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub added: Option<Version>,
    pub added_maybe: Option<Version>,
    pub removed: Option<Version>,
    pub removed_maybe: Option<Version>,
    pub deprecated: Option<Version>,
    pub replacement: Option<String>,
    pub deprecation: Option<String>,
    pub removal: Option<String>,
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub url: bool,
    pub checked_by: Option<String>,
    #[serde(default)]
    pub open: bool,
    #[serde(default)]
    pub namespace: bool,
    pub doc: String,
    pub source: String,
    /// `default`, parsed once.
    #[serde(skip)]
    pub default_value: Option<serde_json::Value>,
}

/// Whether a setting exists in a version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Availability {
    Available,
    /// Might not exist yet (first version not verified).
    MaybeNotYet,
    /// Might be gone already (last version not verified).
    MaybeRemoved,
    NotYet,
    Removed,
}

impl Spec {
    pub fn availability(&self, v: Version) -> Availability {
        if let Some(removed) = self.removed
            && v >= removed
        {
            return Availability::Removed;
        }
        match (self.added, self.added_maybe) {
            (Some(added), _) if v >= added => {}
            (_, Some(maybe)) if v >= maybe => return Availability::MaybeNotYet,
            (Some(_), _) | (None, Some(_)) => return Availability::NotYet,
            (None, None) => {}
        }
        if let Some(maybe) = self.removed_maybe
            && v >= maybe
        {
            return Availability::MaybeRemoved;
        }
        Availability::Available
    }

    pub fn is_deprecated(&self, v: Version) -> bool {
        self.deprecated.is_some_and(|d| v >= d) && self.availability(v) != Availability::Removed
    }

    /// The first version in which the setting surely exists, for messages.
    pub fn since(&self) -> Option<Version> {
        self.added.or(self.added_maybe)
    }
}

/// The settings table.
pub struct Schema {
    specs: Vec<Spec>,
    by_key: HashMap<String, usize>,
    /// Named children of each object pattern, in table order.
    children: HashMap<String, Vec<(String, usize)>>,
    /// Every dotted prefix of every key (`xpack`, `xpack.actions`, …), to stop walks early.
    prefixes: HashSet<String>,
}

#[derive(Deserialize)]
struct Table {
    setting: Vec<Spec>,
}

static SETTINGS_TOML: &str = include_str!("../../rules/data/settings.toml");
static SCHEMA: LazyLock<Schema> = LazyLock::new(|| Schema::parse(SETTINGS_TOML));

/// The table shipped with the tool.
pub fn schema() -> &'static Schema {
    &SCHEMA
}

impl Schema {
    fn parse(text: &str) -> Schema {
        let mut table: Table = toml::from_str(text).expect("rules/data/settings.toml is valid");
        for spec in &mut table.setting {
            spec.default_value = spec.default.as_deref().map(|d| {
                serde_json::from_str(d)
                    .unwrap_or_else(|e| panic!("{}: default is not JSON: {e}", spec.key))
            });
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
        Schema {
            specs: table.setting,
            by_key,
            children,
            prefixes,
        }
    }

    pub fn specs(&self) -> &[Spec] {
        &self.specs
    }

    pub fn get(&self, pattern: &str) -> Option<&Spec> {
        self.by_key.get(pattern).map(|i| &self.specs[*i])
    }

    /// The namespaces (plugin roots) the table covers.
    pub fn namespaces(&self) -> impl Iterator<Item = &Spec> {
        self.specs.iter().filter(|s| s.namespace)
    }

    /// Direct named children of an object pattern.
    pub fn children<'a>(&'a self, pattern: &str) -> impl Iterator<Item = (&'a str, &'a Spec)> {
        self.children
            .get(pattern)
            .into_iter()
            .flatten()
            .map(|(name, i)| (name.as_str(), &self.specs[*i]))
    }

    /// The table pattern of a concrete path (`…customHostSettings[0].url` → `…customHostSettings[].url`).
    pub fn pattern_of(&self, path: &SettingPath) -> Option<String> {
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
    pub fn spec_of(&self, path: &SettingPath) -> Option<&Spec> {
        self.pattern_of(path).and_then(|p| self.get(&p))
    }

    /// Extends `pattern` (the parent's, empty at the root; `parent` is its spec) by one child
    /// segment; returns whether the table has anything at or below the result.
    pub fn extend_pattern(&self, pattern: &mut String, parent: Option<&Spec>, child: &Seg) -> bool {
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
    pub fn is_secret(&self, path: &SettingPath) -> bool {
        // A secret record makes everything under it secret.
        (1..=path.len()).any(|n| {
            self.spec_of(&SettingPath(path.0[..n].to_vec()))
                .is_some_and(|s| s.secret)
        })
    }
}

/// What validation found.
#[derive(Clone, Debug)]
pub struct SchemaIssue {
    pub kind: IssueKind,
    pub path: SettingPath,
    /// The offending value.
    pub at: Option<Location>,
    /// The key that set it.
    pub key_at: Option<Location>,
    /// Kibana's own message, as it would print it.
    pub kibana: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum IssueKind {
    /// A key no schema defines (fatal).
    Unknown { suggestion: Option<String> },
    /// Wrong type (fatal).
    WrongType {
        expected: &'static str,
        got: &'static str,
    },
    /// Right type, invalid value (fatal).
    InvalidValue,
    /// A required key is missing (fatal).
    Missing,
    /// Added in a later version (fatal unknown key in this version).
    NotYetAdded { since: Version },
    /// Removed in this version (fatal).
    Removed {
        removed: Version,
        replacement: Option<String>,
    },
    /// The setting's first or last version is not verified for this version.
    Unverified { since: Option<Version>, gone: bool },
    /// Kibana logs a deprecation; `effect` says what it does with the value.
    Deprecated {
        replacement: Option<String>,
        effect: DeprecationEffect,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeprecationEffect {
    /// The value still applies.
    Kept,
    /// Kibana removes the setting before validation: it has no effect.
    Unset,
    /// Kibana moves the value to the replacement.
    Renamed,
    /// Both old and new are set: Kibana ignores the old one.
    IgnoredBothSet,
}

/// The validated and coerced tree, plus the issues.
pub struct Validated {
    /// The config as Kibana would see it after validation: coerced values, defaults filled in,
    /// rejected values left out.
    pub tree: Node,
    pub issues: Vec<SchemaIssue>,
    /// Settings Kibana rejects (left out of `tree`, so their defaults do not apply either).
    pub invalid: Vec<SettingPath>,
}

impl Validated {
    pub fn is_invalid(&self, path: &SettingPath) -> bool {
        self.invalid.iter().any(|p| path.starts_with(p))
    }
}

/// Validates the namespaces the table covers, as Kibana does at startup.
pub fn validate(root: &Node, version: Version) -> Validated {
    let schema = schema();
    let mut v = Validator {
        schema,
        version,
        issues: Vec::new(),
        invalid: Vec::new(),
    };
    // Only the namespaces we model are needed downstream; the rest is not copied.
    let mut tree = Node::map();
    for ns in schema.namespaces() {
        let path = SettingPath::parse(&ns.key);
        let empty = Node::new(Value::Map(Map::default()), Origin::Default);
        let node = Cow::Borrowed(lookup(root, &path).unwrap_or(&empty));
        let node = v.apply_deprecations(ns, node);
        let ctx = Ctx {
            ns_len: path.len(),
            ns_key: &ns.key,
        };
        let mut walk = path.clone();
        let validated = v.node(&node, ns, &mut walk, &ctx);
        let replacement = validated.unwrap_or_else(|| Node::new(Value::Null, node.origin.clone()));
        set_path(&mut tree, &path, replacement);
    }
    v.near_miss_namespaces(root);
    Validated {
        tree,
        issues: v.issues,
        invalid: v.invalid,
    }
}

fn lookup<'a>(root: &'a Node, path: &SettingPath) -> Option<&'a Node> {
    path.0.iter().try_fold(root, |n, seg| match seg {
        Seg::Key(k) => n.as_map()?.get(k),
        Seg::Index(i) => n.as_seq()?.get(*i),
    })
}

fn set_path(root: &mut Node, path: &SettingPath, value: Node) {
    let mut cur = root;
    for (i, seg) in path.0.iter().enumerate() {
        let Seg::Key(k) = seg else { return };
        let Value::Map(map) = &mut cur.value else {
            return;
        };
        if i + 1 == path.len() {
            map.insert(k.clone(), value);
            return;
        }
        cur = map.entry(k.clone()).or_insert_with(Node::map);
    }
}

struct Ctx<'a> {
    ns_len: usize,
    ns_key: &'a str,
}

impl Ctx<'_> {
    /// `[config validation of [xpack.actions].allowedHosts.0]`
    fn prefix(&self, path: &SettingPath) -> String {
        let suffix = path.kibana_suffix(self.ns_len);
        if suffix.is_empty() {
            format!("[config validation of [{}]]", self.ns_key)
        } else {
            format!("[config validation of [{}].{}]", self.ns_key, suffix)
        }
    }
}

struct Validator<'s> {
    schema: &'s Schema,
    version: Version,
    issues: Vec<SchemaIssue>,
    invalid: Vec<SettingPath>,
}

impl Validator<'_> {
    fn issue(&mut self, kind: IssueKind, path: &SettingPath, node: Option<&Node>, kibana: String) {
        self.issues.push(SchemaIssue {
            kind,
            path: path.clone(),
            at: node.and_then(|n| n.origin.location().or(n.key)),
            key_at: node.and_then(|n| n.key),
            kibana,
        });
    }

    /// The pre-validation deprecation handlers of 7.10–8.x (`renameFromRoot`, custom `unset`s).
    fn apply_deprecations<'n>(&mut self, ns: &Spec, node: Cow<'n, Node>) -> Cow<'n, Node> {
        // Only 7.10–8.x had handlers; most runs never copy the subtree.
        let has_handlers = ns.key == "xpack.actions"
            && self.version < Version::new(9, 0, 0)
            && node.as_map().is_some_and(|m| {
                [
                    "whitelistedHosts",
                    "rejectUnauthorized",
                    "proxyRejectUnauthorizedCertificates",
                ]
                .iter()
                .any(|k| m.contains_key(*k))
            });
        if !has_handlers {
            return node;
        }
        let mut node = node.into_owned();
        let v = self.version;
        let Value::Map(map) = &mut node.value else {
            return Cow::Owned(node);
        };
        let old = self.schema.get("xpack.actions.whitelistedHosts");
        if let Some(spec) = old
            && spec.is_deprecated(v)
            && let Some(value) = map.get("whitelistedHosts").cloned()
        {
            let path = SettingPath::parse("xpack.actions.whitelistedHosts");
            let msg = spec.deprecation.clone().unwrap_or_default();
            if map.contains_key("allowedHosts") {
                self.issue(
                    IssueKind::Deprecated {
                        replacement: spec.replacement.clone(),
                        effect: DeprecationEffect::IgnoredBothSet,
                    },
                    &path,
                    Some(&value),
                    format!(
                        "{msg}. However, both keys are present. Ignoring \"xpack.actions.whitelistedHosts\""
                    ),
                );
            } else {
                self.issue(
                    IssueKind::Deprecated {
                        replacement: spec.replacement.clone(),
                        effect: DeprecationEffect::Renamed,
                    },
                    &path,
                    Some(&value),
                    msg,
                );
                map.insert("allowedHosts".into(), value);
            }
            map.shift_remove("whitelistedHosts");
        }
        // 7.16+ handlers `unset` the legacy TLS switches; ~7.15 left them in effect.
        for key in ["rejectUnauthorized", "proxyRejectUnauthorizedCertificates"] {
            let full = format!("xpack.actions.{key}");
            let Some(spec) = self.schema.get(&full) else {
                continue;
            };
            if !spec.is_deprecated(v) {
                continue;
            }
            let Some(value) = map.get(key).cloned() else {
                continue;
            };
            let unset = v >= Version::new(7, 16, 0);
            self.issue(
                IssueKind::Deprecated {
                    replacement: spec.replacement.clone(),
                    effect: if unset {
                        DeprecationEffect::Unset
                    } else {
                        DeprecationEffect::Kept
                    },
                },
                &SettingPath::parse(&full),
                Some(&value),
                spec.deprecation.clone().unwrap_or_default(),
            );
            if unset {
                map.shift_remove(key);
            }
        }
        Cow::Owned(node)
    }

    /// Validates `node` against `spec`; returns the coerced node, or `None` when Kibana would
    /// reject it.
    fn node(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &mut SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        match spec.availability(self.version) {
            Availability::Available => {}
            Availability::MaybeNotYet | Availability::MaybeRemoved => {
                let gone = spec.availability(self.version) == Availability::MaybeRemoved;
                self.issue(
                    IssueKind::Unverified {
                        since: spec.since(),
                        gone,
                    },
                    path,
                    Some(node),
                    format!("{}: definition for this key is missing", ctx.prefix(path)),
                );
            }
            Availability::NotYet => {
                self.issue(
                    IssueKind::NotYetAdded {
                        since: spec.since().unwrap_or(Version::OLDEST),
                    },
                    path,
                    Some(node),
                    format!("{}: definition for this key is missing", ctx.prefix(path)),
                );
                return None;
            }
            Availability::Removed => {
                let kibana = spec.removal.clone().unwrap_or_else(|| {
                    format!("{}: definition for this key is missing", ctx.prefix(path))
                });
                self.issue(
                    IssueKind::Removed {
                        removed: spec.removed.unwrap_or(Version::OLDEST),
                        replacement: spec.replacement.clone(),
                    },
                    path,
                    Some(node),
                    kibana,
                );
                return None;
            }
        }
        if spec.is_deprecated(self.version)
            && !spec.key.starts_with("xpack.actions.whitelistedHosts")
        {
            // whitelistedHosts and the global TLS switches were handled before validation.
            let handled = matches!(
                spec.key.as_str(),
                "xpack.actions.rejectUnauthorized"
                    | "xpack.actions.proxyRejectUnauthorizedCertificates"
            );
            if !handled {
                let index = path
                    .0
                    .iter()
                    .find_map(|s| match s {
                        Seg::Index(i) => Some(i.to_string()),
                        _ => None,
                    })
                    .unwrap_or_default();
                let msg = spec
                    .deprecation
                    .clone()
                    .unwrap_or_default()
                    .replace("{index}", &index);
                self.issue(
                    IssueKind::Deprecated {
                        replacement: spec.replacement.clone(),
                        effect: DeprecationEffect::Kept,
                    },
                    path,
                    Some(node),
                    msg,
                );
            }
        }
        let out = self.typed(node, spec, path, ctx);
        if out.is_none() {
            self.invalid.push(path.clone());
        }
        out
    }

    fn wrong_type(&mut self, node: &Node, expected: &'static str, path: &SettingPath, ctx: &Ctx) {
        let got = node.js_type();
        self.issue(
            IssueKind::WrongType { expected, got },
            path,
            Some(node),
            format!(
                "{}: expected value of type [{expected}] but got [{got}]",
                ctx.prefix(path)
            ),
        );
    }

    fn invalid(&mut self, node: &Node, path: &SettingPath, ctx: &Ctx, message: String) {
        self.issue(
            IssueKind::InvalidValue,
            path,
            Some(node),
            format!("{}: {message}", ctx.prefix(path)),
        );
    }

    /// Parses a JSON string into nodes, as config-schema does for arrays, objects and records.
    fn parse_json(
        &mut self,
        node: &Node,
        what: &str,
        path: &SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        let text = node.as_str()?;
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(json) => {
                let mut parsed = Node::from_json(&json, &node.origin);
                parsed.key = node.key;
                Some(parsed)
            }
            Err(_) => {
                self.issue(
                    IssueKind::WrongType {
                        expected: if what == "array" { "array" } else { "object" },
                        got: "string",
                    },
                    path,
                    Some(node),
                    format!(
                        "{}: could not parse {what} value from json input",
                        ctx.prefix(path)
                    ),
                );
                None
            }
        }
    }

    fn typed(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &mut SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        match spec.ty {
            Type::Any => Some(node.clone()),
            Type::Object => self.object(node, spec, path, ctx),
            Type::Record => self.record(node, spec, path, ctx),
            Type::Array => self.array(node, spec, path, ctx),
            Type::String => self.string(node, spec, path, ctx),
            Type::Enum => self.enumeration(node, spec, path, ctx),
            Type::Boolean => self.boolean(node, path, ctx),
            Type::Number => self.number(node, spec, path, ctx),
            Type::ByteSize => self.byte_size(node, path, ctx),
            Type::Duration => self.duration(node, path, ctx),
            Type::StringOrArray => self.string_or_array(node, spec, path, ctx),
        }
    }

    fn object(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &mut SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        let node: Cow<Node> = match &node.value {
            Value::Map(_) => Cow::Borrowed(node),
            Value::Str(_) => Cow::Owned(self.parse_json(node, "object", path, ctx)?),
            _ => {
                let got = node.js_type();
                self.issue(
                    IssueKind::WrongType {
                        expected: "object",
                        got,
                    },
                    path,
                    Some(node),
                    format!(
                        "{}: expected a plain object value, but found [{got}] instead.",
                        ctx.prefix(path)
                    ),
                );
                return None;
            }
        };
        let Value::Map(map) = &node.value else {
            self.wrong_type(&node, "object", path, ctx);
            return None;
        };
        let schema = self.schema;
        let children: Vec<(&str, &Spec)> = schema.children(&spec.key).collect();
        let mut out = Map::default();
        for (k, child) in map {
            path.push_key(k);
            match children.iter().find(|(name, _)| *name == k) {
                // A rejected child is left out; the rest of the object still validates.
                Some((_, child_spec)) => {
                    if let Some(v) = self.node(child, child_spec, path, ctx) {
                        out.insert(k.clone(), v);
                    }
                }
                None if spec.open => {
                    out.insert(k.clone(), child.clone());
                }
                None => {
                    path.pop();
                    let suggestion = self.suggest(k, &children, path);
                    path.push_key(k);
                    self.issue(
                        IssueKind::Unknown { suggestion },
                        path,
                        Some(child),
                        format!("{}: definition for this key is missing", ctx.prefix(path)),
                    );
                }
            }
            path.pop();
        }
        for (name, child_spec) in &children {
            if out.contains_key(*name) || map.contains_key(*name) {
                continue;
            }
            let available = child_spec.availability(self.version) == Availability::Available;
            if child_spec.required && available {
                let child_path = path.key(name);
                self.issue(
                    IssueKind::Missing,
                    &child_path,
                    Some(&node),
                    format!(
                        "{}: expected value of type [{}] but got [undefined]",
                        ctx.prefix(&child_path),
                        type_name(child_spec.ty)
                    ),
                );
                self.invalid.push(path.clone());
            } else if let Some(json) = &child_spec.default_value
                && available
            {
                out.insert(name.to_string(), Node::from_json(json, &Origin::Default));
            }
        }
        Some(Node {
            value: Value::Map(out),
            origin: node.origin.clone(),
            key: node.key,
        })
    }

    fn record(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &mut SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        let node: Cow<Node> = match &node.value {
            Value::Map(_) => Cow::Borrowed(node),
            Value::Str(_) => Cow::Owned(self.parse_json(node, "record", path, ctx)?),
            _ => {
                self.wrong_type(node, "object", path, ctx);
                return None;
            }
        };
        let Value::Map(map) = &node.value else {
            self.wrong_type(&node, "object", path, ctx);
            return None;
        };
        let item_spec = self.schema.get(&format!("{}.*", spec.key));
        let mut out = Map::default();
        for (k, child) in map {
            path.push_key(k);
            let v = match item_spec {
                Some(s) => self.node(child, s, path, ctx),
                None => Some(child.clone()),
            };
            path.pop();
            if let Some(v) = v {
                out.insert(k.clone(), v);
            }
        }
        Some(Node {
            value: Value::Map(out),
            origin: node.origin.clone(),
            key: node.key,
        })
    }

    fn array(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &mut SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        let node: Cow<Node> = match &node.value {
            Value::Seq(_) => Cow::Borrowed(node),
            Value::Str(_) => Cow::Owned(self.parse_json(node, "array", path, ctx)?),
            _ => {
                self.wrong_type(node, "array", path, ctx);
                return None;
            }
        };
        let Value::Seq(items) = &node.value else {
            self.wrong_type(&node, "array", path, ctx);
            return None;
        };
        if let Some(min) = spec.min_size
            && items.len() < min
        {
            self.invalid(
                &node,
                path,
                ctx,
                format!(
                    "array size is [{}], but cannot be smaller than [{min}]",
                    items.len()
                ),
            );
            return None;
        }
        let item_spec = self.schema.get(&format!("{}[]", spec.key));
        // Rejected items are left out; the checks see the ones Kibana would accept.
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            path.push_index(i);
            match item_spec {
                Some(s) => out.extend(self.node(item, s, path, ctx)),
                None => out.push(item.clone()),
            }
            path.pop();
        }
        Some(Node {
            value: Value::Seq(out),
            origin: node.origin.clone(),
            key: node.key,
        })
    }

    fn string(&mut self, node: &Node, spec: &Spec, path: &SettingPath, ctx: &Ctx) -> Option<Node> {
        let Value::Str(text) = &node.value else {
            self.wrong_type(node, "string", path, ctx);
            return None;
        };
        // Encryption-key lengths get their own rule, with the key's story (env var, keystore…).
        let own_module = spec.checked_by.as_deref() == Some("encryption-key");
        if let Some(min) = spec.min_length
            && !own_module
        {
            let len = text.value.encode_utf16().count();
            if len < min {
                self.invalid(
                    node,
                    path,
                    ctx,
                    format!(
                        "value has length [{len}] but it must have a minimum length of [{min}]."
                    ),
                );
                return None;
            }
        }
        Some(node.clone())
    }

    fn enumeration(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        if let Value::Str(t) = &node.value
            && spec.values.contains(&t.value)
        {
            return Some(node.clone());
        }
        let prefix = ctx.prefix(path);
        let got = node.display();
        let lines: Vec<String> = spec
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let inner = prefix.trim_end_matches(']');
                if matches!(node.value, Value::Str(_)) {
                    format!("- {inner}.{i}]: expected value to equal [{v}]")
                } else {
                    format!("- {inner}.{i}]: expected value to equal [{v}] but got [{got}]")
                }
            })
            .collect();
        self.invalid(
            node,
            path,
            ctx,
            format!("types that failed validation:\n{}", lines.join("\n")),
        );
        None
    }

    fn boolean(&mut self, node: &Node, path: &SettingPath, ctx: &Ctx) -> Option<Node> {
        match &node.value {
            Value::Bool(_) => Some(node.clone()),
            Value::Str(t) if t.value.eq_ignore_ascii_case("true") => {
                Some(coerced(node, Value::Bool(true)))
            }
            Value::Str(t) if t.value.eq_ignore_ascii_case("false") => {
                Some(coerced(node, Value::Bool(false)))
            }
            _ => {
                self.wrong_type(node, "boolean", path, ctx);
                None
            }
        }
    }

    fn number(&mut self, node: &Node, spec: &Spec, path: &SettingPath, ctx: &Ctx) -> Option<Node> {
        let n = match &node.value {
            Value::Number(n) => *n,
            Value::Str(t) => match t.value.trim().parse::<f64>() {
                Ok(n) if !t.value.trim().is_empty() => n,
                _ => {
                    self.wrong_type(node, "number", path, ctx);
                    return None;
                }
            },
            _ => {
                self.wrong_type(node, "number", path, ctx);
                return None;
            }
        };
        if let Some(min) = spec.min
            && n < min
        {
            self.invalid(
                node,
                path,
                ctx,
                format!("Value must be equal to or greater than [{min}]."),
            );
            return None;
        }
        if let Some(max) = spec.max
            && n > max
        {
            self.invalid(
                node,
                path,
                ctx,
                format!("Value must be equal to or lower than [{max}]."),
            );
            return None;
        }
        Some(coerced(node, Value::Number(n)))
    }

    fn byte_size(&mut self, node: &Node, path: &SettingPath, ctx: &Ctx) -> Option<Node> {
        let ok = match &node.value {
            Value::Number(n) => *n >= 0.0 && n.fract() == 0.0,
            Value::Str(t) => parse_byte_size(&t.value).is_some(),
            _ => false,
        };
        if ok {
            return Some(node.clone());
        }
        if !matches!(node.value, Value::Str(_) | Value::Number(_)) {
            self.wrong_type(node, "string", path, ctx);
            return None;
        }
        self.invalid(
            node,
            path,
            ctx,
            "Failed to parse value as byte value. Value must be either number of bytes, or follow the format <count>[b|kb|mb|gb] (e.g., '1024kb', '200mb', '1gb'), where the number is a safe positive integer.".into(),
        );
        None
    }

    fn duration(&mut self, node: &Node, path: &SettingPath, ctx: &Ctx) -> Option<Node> {
        let ok = match &node.value {
            Value::Number(n) => *n >= 0.0 && n.fract() == 0.0,
            Value::Str(t) => parse_duration(&t.value),
            _ => false,
        };
        if ok {
            return Some(node.clone());
        }
        if !matches!(node.value, Value::Str(_) | Value::Number(_)) {
            self.wrong_type(node, "string", path, ctx);
            return None;
        }
        self.invalid(
            node,
            path,
            ctx,
            "Failed to parse value as time value. Value must be a duration in milliseconds, or follow the format <count>[ms|s|m|h|d|w|M|y] (e.g. '70ms', '5s', '3d', '1y', '1m30s'), where the duration is a safe positive integer.".into(),
        );
        None
    }

    /// `oneOf([string({minLength:1}), arrayOf(string({minLength:1}), {minSize:1})])`
    fn string_or_array(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        let prefix = ctx.prefix(path);
        let inner = prefix.trim_end_matches(']').to_string();
        let failure = |this: &mut Self, first: String, second: String| {
            this.invalid(
                node,
                path,
                ctx,
                format!(
                    "types that failed validation:\n- {inner}.0]: {first}\n- {inner}.1]: {second}"
                ),
            );
        };
        match &node.value {
            Value::Str(t) => {
                let len = t.value.encode_utf16().count();
                if len < spec.min_length.unwrap_or(0) {
                    failure(
                        self,
                        format!(
                            "value has length [{len}] but it must have a minimum length of [1]."
                        ),
                        "could not parse array value from json input".into(),
                    );
                    return None;
                }
                Some(node.clone())
            }
            Value::Seq(items) => {
                if items.is_empty() {
                    failure(
                        self,
                        "expected value of type [string] but got [Array]".into(),
                        "array size is [0], but cannot be smaller than [1]".into(),
                    );
                    return None;
                }
                for (i, item) in items.iter().enumerate() {
                    let bad = match &item.value {
                        Value::Str(t) if t.value.is_empty() => Some(
                            "value has length [0] but it must have a minimum length of [1]."
                                .to_string(),
                        ),
                        Value::Str(_) => None,
                        _ => Some(format!(
                            "expected value of type [string] but got [{}]",
                            item.js_type()
                        )),
                    };
                    if let Some(bad) = bad {
                        failure(
                            self,
                            "expected value of type [string] but got [Array]".into(),
                            format!("[{i}]: {bad}"),
                        );
                        return None;
                    }
                }
                Some(node.clone())
            }
            _ => {
                let got = node.js_type();
                failure(
                    self,
                    format!("expected value of type [string] but got [{got}]"),
                    format!("expected value of type [array] but got [{got}]"),
                );
                None
            }
        }
    }

    /// The sibling (or any setting elsewhere) the user probably meant.
    fn suggest(
        &self,
        key: &str,
        siblings: &[(&str, &Spec)],
        parent: &SettingPath,
    ) -> Option<String> {
        let available: Vec<&str> = siblings
            .iter()
            .filter(|(_, s)| {
                !matches!(
                    s.availability(self.version),
                    Availability::Removed | Availability::NotYet
                )
            })
            .map(|(n, _)| *n)
            .collect();
        if let Some(best) = closest(key, available.iter().copied()) {
            return Some(parent.key(best).to_string());
        }
        // The key exists elsewhere, e.g. `xpack.actions.encryptionKey`.
        self.schema
            .specs()
            .iter()
            .filter(|s| s.key.rsplit('.').next() == Some(key) && !s.key.contains('['))
            .filter(|s| !s.key.contains('*'))
            .map(|s| s.key.clone())
            .next()
    }

    /// `xpack.encryptedsavedobjects`, `xpack.action`: keys meant for a namespace we know.
    fn near_miss_namespaces(&mut self, root: &Node) {
        let Some(xpack) = root
            .as_map()
            .and_then(|m| m.get("xpack"))
            .and_then(Node::as_map)
        else {
            return;
        };
        let known: Vec<&str> = self
            .schema
            .namespaces()
            .filter_map(|s| s.key.strip_prefix("xpack."))
            .collect();
        for (k, node) in xpack {
            // Most xpack.* keys are other plugins; only near-misses in length can be typos.
            if known.contains(&k.as_str()) || known.iter().all(|n| n.len().abs_diff(k.len()) > 2) {
                continue;
            }
            let Some(best) = closest(k, known.iter().copied()) else {
                continue;
            };
            let path = SettingPath::parse("xpack").key(k);
            let leaves = leaf_paths(node, &path);
            let listed = leaves
                .iter()
                .map(|p| format!("\"{p}\""))
                .collect::<Vec<_>>()
                .join(", ");
            self.issue(
                IssueKind::Unknown {
                    suggestion: Some(format!("xpack.{best}")),
                },
                &path,
                Some(node),
                format!(
                    "Unknown configuration key(s): {listed}. Check for spelling errors and ensure that expected plugins are installed."
                ),
            );
        }
    }
}

fn coerced(node: &Node, value: Value) -> Node {
    Node {
        value,
        origin: node.origin.clone(),
        key: node.key,
    }
}

fn type_name(ty: Type) -> &'static str {
    match ty {
        Type::Object | Type::Record => "object",
        Type::Array => "array",
        Type::String | Type::Enum | Type::StringOrArray => "string",
        Type::Boolean => "boolean",
        Type::Number => "number",
        Type::ByteSize | Type::Duration | Type::Any => "string",
    }
}

fn leaf_paths(node: &Node, path: &SettingPath) -> Vec<SettingPath> {
    match &node.value {
        Value::Map(m) if !m.is_empty() => m
            .iter()
            .flat_map(|(k, v)| leaf_paths(v, &path.key(k)))
            .collect(),
        _ => vec![path.clone()],
    }
}

/// The candidate most like `key`: same letters ignoring case, or close by edit distance.
pub fn closest<'a>(key: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = key.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        // Edit distance is at least the difference in length: skip hopeless candidates.
        if c.len().abs_diff(key.len()) > 4 {
            continue;
        }
        let score = if c.to_lowercase() == lower {
            2.0
        } else {
            let d = strsim::levenshtein(&lower, &c.to_lowercase());
            let jw = strsim::jaro_winkler(&lower, &c.to_lowercase());
            if d <= 2 || (d <= 4 && jw >= 0.9) {
                jw
            } else {
                continue;
            }
        };
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// config-schema byte sizes: a plain number, or `<count>b|kb|mb|gb` with count ≥ 1.
pub fn parse_byte_size(s: &str) -> Option<u64> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let lower = s.to_ascii_lowercase();
    let digits = lower.bytes().take_while(|b| b.is_ascii_digit()).count();
    let (count, unit) = lower.split_at(digits);
    if count.is_empty() || count.starts_with('0') {
        return None;
    }
    let mult: u64 = match unit {
        "b" => 1,
        "kb" => 1024,
        "mb" => 1024 * 1024,
        "gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    count.parse::<u64>().ok()?.checked_mul(mult)
}

/// config-schema durations: a plain number of ms, or `<count><unit>` repeated (`1m30s`).
pub fn parse_duration(s: &str) -> bool {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let mut rest = s;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || (digits > 1 && rest.starts_with('0')) {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ms", "s", "m", "h", "d", "w", "M", "y", "Y"]
            .iter()
            .find(|u| rest.starts_with(**u));
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}

/// Renders a text value's origin of substitution for messages: `${ESO_KEY}`.
pub fn env_names(text: &Text) -> Vec<&str> {
    text.env.iter().map(|r| r.name.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Location, Pos, Span};

    fn loc() -> Origin {
        Origin::File(Location {
            file: 0,
            span: Span::point(Pos::new(1, 1)),
        })
    }

    fn tree(json: serde_json::Value) -> Node {
        Node::from_json(&json, &loc())
    }

    fn messages(json: serde_json::Value, version: &str) -> Vec<String> {
        validate(&tree(json), version.parse().unwrap())
            .issues
            .into_iter()
            .map(|i| i.kibana)
            .collect()
    }

    #[test]
    fn the_table_loads_and_every_child_has_a_parent() {
        let s = schema();
        for spec in s.specs() {
            if spec.namespace {
                continue;
            }
            let parent = spec
                .key
                .rsplit_once(['.', '['])
                .map(|(p, _)| p.trim_end_matches(".*"))
                .unwrap();
            assert!(
                s.get(parent).is_some() || s.get(&spec.key.replace("[]", "")).is_some(),
                "{} has no parent",
                spec.key
            );
            if spec.ty == Type::Enum {
                assert!(!spec.values.is_empty(), "{}", spec.key);
            }
        }
    }

    #[test]
    fn defaults_apply_and_coercions_match_config_schema() {
        let v = validate(
            &tree(serde_json::json!({"xpack": {"actions": {
                "allowedHosts": "[\"a.com\"]",
                "preconfiguredAlertHistoryEsIndex": "TRUE",
            }}})),
            Version::DEFAULT,
        );
        assert!(v.issues.is_empty(), "{:?}", v.issues);
        let actions = v.tree.get("xpack.actions").unwrap();
        assert_eq!(actions.get("allowedHosts").unwrap().display(), "[a.com]");
        assert_eq!(
            actions
                .get("preconfiguredAlertHistoryEsIndex")
                .unwrap()
                .as_bool(),
            Some(true)
        );
        assert_eq!(actions.get("enabledActionTypes").unwrap().display(), "[*]");
        assert!(matches!(
            actions.get("enabledActionTypes").unwrap().origin,
            Origin::Default
        ));
    }

    #[test]
    fn kibana_messages_for_wrong_types() {
        assert_eq!(
            messages(
                serde_json::json!({"xpack": {"actions": {"allowedHosts": null}}}),
                "9.1"
            ),
            [
                "[config validation of [xpack.actions].allowedHosts]: expected value of type [array] but got [null]"
            ]
        );
        assert_eq!(
            messages(
                serde_json::json!({"xpack": {"actions": {"allowedHosts": "a.com"}}}),
                "9.1"
            ),
            [
                "[config validation of [xpack.actions].allowedHosts]: could not parse array value from json input"
            ]
        );
        assert_eq!(
            messages(
                serde_json::json!({"xpack": {"encryptedSavedObjects": {"encryptionKey": 12}}}),
                "9.1"
            ),
            [
                "[config validation of [xpack.encryptedSavedObjects].encryptionKey]: expected value of type [string] but got [number]"
            ]
        );
        assert_eq!(
            messages(
                serde_json::json!({"xpack": {"actions": {"customHostSettings": [{}]}}}),
                "9.1"
            ),
            [
                "[config validation of [xpack.actions].customHostSettings.0.url]: expected value of type [string] but got [undefined]"
            ]
        );
    }

    #[test]
    fn unknown_keys_get_kibanas_message_and_a_suggestion() {
        let v = validate(
            &tree(
                serde_json::json!({"xpack": {"actions": {"allowedhosts": ["a.com"], "encryptionKey": "x"}}}),
            ),
            Version::DEFAULT,
        );
        let kinds: Vec<_> = v
            .issues
            .iter()
            .map(|i| (&i.kind, i.kibana.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    &IssueKind::Unknown {
                        suggestion: Some("xpack.actions.allowedHosts".into())
                    },
                    "[config validation of [xpack.actions].allowedhosts]: definition for this key is missing"
                ),
                (
                    &IssueKind::Unknown {
                        suggestion: Some("xpack.encryptedSavedObjects.encryptionKey".into())
                    },
                    "[config validation of [xpack.actions].encryptionKey]: definition for this key is missing"
                ),
            ]
        );
    }

    #[test]
    fn enum_failures_list_every_literal() {
        assert_eq!(
            messages(
                serde_json::json!({"xpack": {"actions": {"ssl": {"verificationMode": "strict"}}}}),
                "9.1"
            ),
            [
                "[config validation of [xpack.actions].ssl.verificationMode]: types that failed validation:\n\
              - [config validation of [xpack.actions].ssl.verificationMode.0]: expected value to equal [none]\n\
              - [config validation of [xpack.actions].ssl.verificationMode.1]: expected value to equal [certificate]\n\
              - [config validation of [xpack.actions].ssl.verificationMode.2]: expected value to equal [full]"
            ]
        );
    }

    #[test]
    fn legacy_keys_by_version() {
        let cfg = serde_json::json!({"xpack": {"actions": {"whitelistedHosts": ["a.com"]}}});
        let v8 = validate(&tree(cfg.clone()), "8.19".parse().unwrap());
        assert!(matches!(
            v8.issues[0].kind,
            IssueKind::Deprecated {
                effect: DeprecationEffect::Renamed,
                ..
            }
        ));
        assert_eq!(
            v8.tree.get("xpack.actions.allowedHosts").unwrap().display(),
            "[a.com]"
        );
        let v9 = validate(&tree(cfg), "9.0".parse().unwrap());
        assert!(matches!(v9.issues[0].kind, IssueKind::Removed { .. }));
        assert_eq!(
            v9.issues[0].kibana,
            "[config validation of [xpack.actions].whitelistedHosts]: definition for this key is missing"
        );
        let enabled = messages(
            serde_json::json!({"xpack": {"actions": {"enabled": true}}}),
            "8.19",
        );
        assert_eq!(
            enabled,
            [
                "[xpack.actions]: enabled status cannot be changed. Please, remove [xpack.actions.enabled] from the configuration file."
            ]
        );
    }

    #[test]
    fn settings_newer_than_the_version_are_unknown() {
        let v = validate(
            &tree(
                serde_json::json!({"xpack": {"actions": {"webhook": {"ssl": {"pfx": {"enabled": false}}}}}}),
            ),
            "8.19".parse().unwrap(),
        );
        assert!(matches!(
            v.issues[0].kind,
            IssueKind::NotYetAdded { since } if since == Version::new(9, 1, 0)
        ));
    }

    #[test]
    fn near_miss_namespaces_are_unknown_configuration_keys() {
        let m = messages(
            serde_json::json!({"xpack": {"encryptedsavedobjects": {"encryptionKey": "k"}}}),
            "9.1",
        );
        assert_eq!(
            m,
            [
                "Unknown configuration key(s): \"xpack.encryptedsavedobjects.encryptionKey\". Check for spelling errors and ensure that expected plugins are installed."
            ]
        );
    }

    #[test]
    fn byte_sizes_and_durations() {
        assert_eq!(parse_byte_size("1mb"), Some(1_048_576));
        assert_eq!(parse_byte_size("1024"), Some(1024));
        assert_eq!(parse_byte_size("5MB"), Some(5 * 1_048_576));
        for bad in ["0mb", "1.5mb", "mb", "1tb", ""] {
            assert_eq!(parse_byte_size(bad), None, "{bad}");
        }
        for ok in ["60s", "1m30s", "70ms", "3d", "1y", "1000"] {
            assert!(parse_duration(ok), "{ok}");
        }
        for bad in ["60 s", "s", "1.5s", "01s", ""] {
            assert!(!parse_duration(bad), "{bad}");
        }
    }
}
