//! The validator: walks each modelled namespace as `@kbn/config-schema` would, coercing values
//! and collecting Kibana's messages.

use std::borrow::Cow;

use super::issues::{DeprecationEffect, IssueKind, SchemaIssue, Validated};
use super::spec::{Availability, Spec, Type};
use super::table::{Schema, schema};
use crate::model::tree::{Map, Node, Seg, SettingPath, Value};
use crate::source::Origin;
use crate::version::Version;

/// Validates the namespaces the table covers, as Kibana does at startup.
pub(crate) fn validate(root: &Node, version: Version) -> Validated {
    let schema = schema();
    let mut v = Validator {
        schema,
        version,
        issues: Vec::new(),
        invalid: Vec::new(),
        unjudged: Vec::new(),
    };
    // Whole roots a deprecation renames are moved first, as @kbn/config does before validation.
    let root = v.move_roots(root);
    let root = root.as_ref();
    v.custom_deprecations(root);
    // Only the namespaces we model are needed downstream; the rest is not copied.
    let mut tree = Node::map();
    // Most namespaces are absent from a file: visit only those under its config roots.
    for ns in schema.namespaces_for(root) {
        let path = SettingPath::parse(ns.key);
        let written = root.at(&path);
        // An absent namespace is validated only for the defaults a check module reads.
        if written.is_none()
            && (!schema.is_checked(ns.key) || ns.availability(version) != Availability::Available)
        {
            continue;
        }
        if let Some(node) = written
            && ns.no_schema_at(version)
            && ns.complete_for(version)
        {
            v.no_schema(ns, node);
            continue;
        }
        let empty = Node::new(Value::Map(Map::default()), Origin::Default);
        let node = Cow::Borrowed(written.unwrap_or(&empty));
        let node = v.apply_deprecations(ns, node);
        let ctx = Ctx {
            ns_len: path.len(),
            ns_key: ns.key,
            complete: ns.complete_for(version),
            unowned: ns.unowned_from.is_some_and(|from| version >= from),
        };
        let mut walk = path.clone();
        let before = v.issues.len();
        let validated = v.node(&node, ns, &mut walk, &ctx);
        if written.is_some()
            && let Some(n) = &validated
        {
            let clean = !v.issues[before..].iter().any(|i| i.kind.is_fatal());
            v.custom(ns.key, n, &ctx, clean);
        }
        let replacement = validated.unwrap_or_else(|| Node::new(Value::Null, node.origin.clone()));
        set_path(&mut tree, &path, replacement);
    }
    // After config validation, the ui settings service checks the overrides' values (Kibana
    // reaches it only if the rest passed; every refusal is reported here all the same).
    v.ui_overrides(root);
    v.unknown_roots(root);
    Validated {
        tree,
        issues: v.issues,
        invalid: v.invalid,
        unjudged: v.unjudged,
    }
}

/// Whether a deprecation with condition `when` fires on `node` as written: any value, a truthy
/// one, or `true` itself. An unresolved `${VAR}` is unknown, and warns of nothing.
fn fires_on(when: Option<&str>, node: &Node) -> bool {
    match when {
        None => true,
        Some("true") => matches!(node.value, Value::Bool(true)),
        Some(_) => super::validators::seen_value(Some(node)).truthy() == Some(true),
    }
}

pub(super) fn set_path(root: &mut Node, path: &SettingPath, value: Node) {
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
        // lodash `set` replaces a value in the way that is not an object.
        if !matches!(cur.value, Value::Map(_)) {
            *cur = Node::map();
        }
    }
}

pub(super) struct Ctx<'a> {
    pub(super) ns_len: usize,
    pub(super) ns_key: &'a str,
    /// Whether the table holds every key of the namespace for this version: only then is a key
    /// it does not know an error.
    pub(super) complete: bool,
    /// No schema owns the namespace in this version: unknown keys get core's message.
    pub(super) unowned: bool,
}

/// Kibana's message for a key this version has no definition of: a schema's, or core's
/// unknown-key message for a whole root no schema owns (the namespace, or an unowned one).
fn missing(spec: &Spec, node: &Node, path: &SettingPath, ctx: &Ctx) -> String {
    if spec.namespace || ctx.unowned {
        unknown_keys(node, path)
    } else {
        format!("{}: definition for this key is missing", ctx.prefix(path))
    }
}

/// Core's message for config nobody consumed: it lists the leaf paths (`getUnusedPaths`).
pub(super) fn unknown_keys(node: &Node, path: &SettingPath) -> String {
    let leaves: Vec<String> = leaves(node, path)
        .iter()
        .map(|(p, _)| format!("\"{p}\""))
        .collect();
    format!(
        "Unknown configuration key(s): {}. Check for spelling errors and ensure that expected plugins are installed.",
        leaves.join(", ")
    )
}

impl Ctx<'_> {
    /// `[config validation of [xpack.actions].allowedHosts.0]`
    pub(super) fn prefix(&self, path: &SettingPath) -> String {
        let suffix = path.kibana_suffix(self.ns_len);
        if suffix.is_empty() {
            format!("[config validation of [{}]]", self.ns_key)
        } else {
            format!("[config validation of [{}].{}]", self.ns_key, suffix)
        }
    }
}

pub(super) struct Validator<'s> {
    pub(super) schema: &'s Schema,
    pub(super) version: Version,
    pub(super) issues: Vec<SchemaIssue>,
    pub(super) invalid: Vec<SettingPath>,
    pub(super) unjudged: Vec<SettingPath>,
}

impl Validator<'_> {
    pub(super) fn issue(
        &mut self,
        kind: IssueKind,
        path: &SettingPath,
        node: Option<&Node>,
        kibana: String,
    ) {
        // An object made of dotted keys has no place of its own: point at its first key.
        let node = node.map(first_written);
        self.issues.push(SchemaIssue {
            kind,
            path: path.clone(),
            at: node.and_then(|n| n.origin.location().or(n.key)),
            key_at: node.and_then(|n| n.key),
            kibana,
        });
    }

    /// Validates `node` against `spec`; returns the coerced node, or `None` when Kibana would
    /// reject it.
    pub(super) fn node(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &mut SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        match spec.availability(self.version) {
            Availability::Available => {}
            // Once per subtree: an array's items share their parent's first release.
            Availability::MaybeNotYet | Availability::MaybeRemoved
                if self.issues.last().is_some_and(|i| {
                    matches!(i.kind, IssueKind::Unverified { .. }) && path.starts_with(&i.path)
                }) => {}
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
            Availability::MaybeBack => {
                self.issue(
                    IssueKind::MaybeBack {
                        removed: spec.removed.unwrap_or(Version::OLDEST),
                        back: spec.readded,
                    },
                    path,
                    Some(node),
                    format!("{}: definition for this key is missing", ctx.prefix(path)),
                );
            }
            Availability::NotYet => {
                self.issue(
                    IssueKind::NotYetAdded {
                        // The earliest release that may have it: before that, surely none.
                        since: spec.added_maybe.or(spec.added).unwrap_or(Version::OLDEST),
                    },
                    path,
                    Some(node),
                    missing(spec, node, path, ctx),
                );
                return None;
            }
            Availability::Removed => {
                let kibana = spec
                    .removal
                    .map(str::to_string)
                    .unwrap_or_else(|| missing(spec, node, path, ctx));
                self.issue(
                    IssueKind::Removed {
                        removed: spec.removed.unwrap_or(Version::OLDEST),
                        replacement: spec.replacement.map(str::to_string),
                        back: spec.readded.or(spec.readded_maybe),
                    },
                    path,
                    Some(node),
                    kibana,
                );
                return None;
            }
        }
        // `offeringBasedSchema({ serverless })`: config-schema's `never()` on self-managed Kibana.
        if spec.serverless_only_at(self.version) && !matches!(node.origin, Origin::Default) {
            self.issue(
                IssueKind::InvalidValue,
                path,
                Some(node),
                format!(
                    "{}: a value wasn't expected to be present",
                    ctx.prefix(path)
                ),
            );
            self.invalid.push(path.clone());
            return None;
        }
        // A namespace nobody wrote (validated with defaults) deprecates nothing.
        if spec.is_deprecated(self.version)
            && written(node)
            && fires_on(spec.deprecated_when, node)
            && !spec.key.starts_with("xpack.actions.whitelistedHosts")
        {
            // whitelistedHosts and the global TLS switches were handled before validation.
            let handled = matches!(
                spec.key,
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
                    .unwrap_or_default()
                    .replace("{index}", &index);
                let effect = effect_of(&msg);
                self.issue(
                    IssueKind::Deprecated {
                        replacement: spec.replacement.map(str::to_string),
                        effect,
                    },
                    path,
                    Some(node),
                    msg,
                );
                // `unused()` unsets the key before validation: its value is never judged.
                if effect == DeprecationEffect::Unset {
                    return None;
                }
            }
        }
        // Values a `oneOf`/`nullable` admits besides the type.
        if (spec.nullable && matches!(node.value, Value::Null))
            || (spec.allow_false && matches!(node.value, Value::Bool(false)))
        {
            return Some(node.clone());
        }
        if let (Some(key), Value::Bool(_)) = (&spec.boolean_shorthand, &node.value) {
            return self.boolean_shorthand(node, spec, key, path, ctx);
        }
        let out = self.typed(node, spec, path, ctx);
        if out.is_none() {
            self.invalid.push(path.clone());
        }
        out
    }

    /// `server.cors: true`: Kibana's deprecation moves the boolean to `server.cors.enabled`.
    fn boolean_shorthand(
        &mut self,
        node: &Node,
        spec: &Spec,
        key: &str,
        path: &mut SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        self.issue(
            IssueKind::Deprecated {
                replacement: Some(path.key(key).to_string()),
                effect: DeprecationEffect::Renamed,
            },
            path,
            Some(node),
            spec.deprecation.unwrap_or_default().to_string(),
        );
        let mut map = Map::default();
        map.insert(key.to_string(), node.clone());
        let object = Node {
            value: Value::Map(map),
            origin: node.origin.clone(),
            key: node.key,
        };
        self.object(&object, spec, path, ctx)
    }

    pub(super) fn wrong_type(
        &mut self,
        node: &Node,
        expected: &'static str,
        path: &SettingPath,
        ctx: &Ctx,
    ) {
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

    pub(super) fn invalid(&mut self, node: &Node, path: &SettingPath, ctx: &Ctx, message: String) {
        self.issue(
            IssueKind::InvalidValue,
            path,
            Some(node),
            format!("{}: {message}", ctx.prefix(path)),
        );
    }

    pub(super) fn typed(
        &mut self,
        node: &Node,
        spec: &Spec,
        path: &mut SettingPath,
        ctx: &Ctx,
    ) -> Option<Node> {
        match spec.ty_at(self.version) {
            Type::Any => {
                // An open `any`, or one whose object branches the table lists but cannot
                // choose between (the anonymous provider's `credentials`), is not walked: what
                // is written under it is not judged.
                if ctx.complete
                    && !spec.free_form
                    && matches!(&node.value, Value::Map(m) if !m.is_empty())
                    && (spec.open || self.schema.children(spec.key).next().is_some())
                {
                    self.unjudged.push(path.clone());
                }
                Some(node.clone())
            }
            Type::Object => self.object(node, spec, path, ctx),
            Type::Record => self.record(node, spec, path, ctx),
            Type::Array => self.array(node, spec, path, ctx),
            Type::String => self.string(node, spec, path, ctx),
            Type::Enum => self.enumeration(node, spec, path, ctx),
            Type::Boolean => self
                .boolean(node, path, ctx)
                .and_then(|b| self.only(b, spec, path, ctx)),
            Type::Number => self.number(node, spec, path, ctx),
            Type::ByteSize => self.byte_size(node, path, ctx),
            Type::Duration => self.duration(node, path, ctx),
            Type::StringOrArray => self.string_or_array(node, spec, path, ctx),
            Type::ArrayOrObject => self.array_or_object(node, spec, path, ctx),
            Type::OneOf => self.one_of(node, spec, path, ctx),
        }
    }

    pub(super) fn object(
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
        let children: Vec<(&str, &Spec)> = schema.children(spec.key).collect();
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
                // Not judged: counted by the config check's coverage note.
                None if !ctx.complete || !spec.complete_for(self.version) => {
                    if ctx.complete && !spec.free_form {
                        self.unjudged.push(path.clone());
                    }
                    out.insert(k.clone(), child.clone());
                }
                None => {
                    let kibana = if ctx.unowned {
                        unknown_keys(child, path)
                    } else {
                        format!("{}: definition for this key is missing", ctx.prefix(path))
                    };
                    let kind = match self.other_kind(spec, k) {
                        Some(kind) => kind,
                        None => {
                            path.pop();
                            let suggestion = self.suggest(k, child, &children, path);
                            path.push_key(k);
                            IssueKind::Unknown { suggestion }
                        }
                    };
                    self.issue(kind, path, Some(child), kibana);
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
                    if child_spec.ty_at(self.version) == Type::OneOf {
                        // A union's own message for a missing value (`union_type.ts`).
                        format!(
                            "{}: expected at least one defined value but got [undefined]",
                            ctx.prefix(&child_path)
                        )
                    } else {
                        format!(
                            "{}: expected value of type [{}] but got [undefined]",
                            ctx.prefix(&child_path),
                            type_name(child_spec.ty)
                        )
                    },
                );
                self.invalid.push(path.clone());
            } else if let Some(json) = child_spec.default_for(self.version)
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

    pub(super) fn record(
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

    pub(super) fn array(
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
        if let Some(max) = spec.max_size
            && items.len() > max
        {
            self.invalid(
                &node,
                path,
                ctx,
                format!(
                    "array size is [{}], but cannot be greater than [{max}]",
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
}

pub(super) fn coerced(node: &Node, value: Value) -> Node {
    Node {
        value,
        origin: node.origin.clone(),
        key: node.key,
    }
}

pub(super) fn type_name(ty: Type) -> &'static str {
    match ty {
        Type::Object | Type::Record | Type::ArrayOrObject | Type::OneOf => "object",
        Type::Array => "array",
        Type::String | Type::Enum | Type::StringOrArray => "string",
        Type::Boolean => "boolean",
        Type::Number => "number",
        Type::ByteSize | Type::Duration | Type::Any => "string",
    }
}

/// What a deprecation does with the value, told by the wording of `@kbn/config`'s factories
/// (`deprecation_factory.ts`; 7.x @1652490127, newest @e650c0402): `unused`/`unusedFromRoot`
/// ("You no longer need to configure …", 7.x "… is deprecated and is no longer used") delete
/// the key before validation; `rename`/`renameFromRoot` ("Setting … has been replaced by …",
/// 7.x "… is deprecated and has been replaced by …") move it. Custom deprecations and
/// `deprecate` ("Configuring … is deprecated and will be removed in …") leave it in place.
fn effect_of(message: &str) -> DeprecationEffect {
    if message.starts_with("You no longer need to configure")
        || message.ends_with("is deprecated and is no longer used")
    {
        DeprecationEffect::Unset
    } else if message.contains(" is deprecated and no longer used") {
        DeprecationEffect::NoLongerUsed
    } else if (message.starts_with("Setting \"") && message.contains("\" has been replaced by \""))
        || (message.starts_with('"')
            && message.contains("\" is deprecated and has been replaced by \""))
    {
        DeprecationEffect::Renamed
    } else {
        DeprecationEffect::Kept
    }
}

/// Every value written under `node` that is not an object, with its path, as core's
/// `getUnusedPaths` lists them (a list is one value; so is an empty object).
pub(super) fn leaves<'n>(node: &'n Node, path: &SettingPath) -> Vec<(SettingPath, &'n Node)> {
    fn walk<'n>(node: &'n Node, path: &SettingPath, out: &mut Vec<(SettingPath, &'n Node)>) {
        match &node.value {
            Value::Map(m) if !m.is_empty() => {
                for (k, v) in m {
                    walk(v, &path.key(k), out);
                }
            }
            _ => out.push((path.clone(), node)),
        }
    }
    let mut out = Vec::new();
    walk(node, path, &mut out);
    out
}

/// Whether the file wrote this value: an object made of dotted keys has no place of its own,
/// but its leaves do.
fn written(node: &Node) -> bool {
    match &node.value {
        _ if !matches!(node.origin, Origin::Default) => true,
        Value::Map(m) => m.values().any(written),
        Value::Seq(items) => items.iter().any(written),
        _ => false,
    }
}

/// The first value written under `node` (an object made of dotted keys has no place of its own).
pub(super) fn first_written(node: &Node) -> &Node {
    let mut cur = node;
    while cur.key.is_none()
        && cur.origin.location().is_none()
        && let Value::Map(map) = &cur.value
        && let Some((_, child)) = map.first()
    {
        cur = child;
    }
    cur
}
