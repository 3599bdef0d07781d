//! One row of the settings table (rules/data/settings/) and whether it exists in a version.

use std::sync::OnceLock;

use crate::version::Version;

/// A setting's type in config-schema terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Type {
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
    /// `oneOf([arrayOf(…), object(…)])`: the `[]` row is the array's item, the children the
    /// object's keys (union.rs).
    ArrayOrObject,
    /// `oneOf([object(…), object(…), …])` whose branches a literal key tells apart (`type:
    /// schema.literal('file')`): each branch is a row `<key>#<literal>` with its own children
    /// (one_of.rs).
    OneOf,
    Any,
}

/// One row of the settings table. The rows are static data: build.rs writes them as Rust from
/// rules/data/settings/*.toml (`settings_table`), so nothing is parsed at start-up.
#[derive(Debug)]
pub(crate) struct Spec {
    pub(crate) key: &'static str,
    pub(crate) ty: Type,
    /// Kibana's default as JSON text.
    pub(crate) default: Option<&'static str>,
    pub(crate) required: bool,
    pub(crate) values: &'static [&'static str],
    /// Values of `values` a later release added, with that release (`type: logstash` from 8.2).
    pub(crate) values_since: &'static [(&'static str, Version)],
    pub(crate) min_length: Option<usize>,
    pub(crate) min_size: Option<usize>,
    pub(crate) max_size: Option<usize>,
    /// `schema.nullable(…)` / `oneOf([…, literal(null)])`: `null` is a value, not a type error.
    pub(crate) nullable: bool,
    /// `oneOf([duration|byteSize, literal(false)])`: `false` switches the feature off.
    pub(crate) allow_false: bool,
    /// An object a boolean may stand for: Kibana's deprecation rewrites `true` to
    /// `{<this key>: true}` (`server.cors: true` → `server.cors.enabled`).
    pub(crate) boolean_shorthand: Option<&'static str>,
    /// Defaults that changed: from which version, JSON text; oldest first.
    pub(crate) defaults: &'static [(Version, &'static str)],
    pub(crate) min: Option<f64>,
    pub(crate) max: Option<f64>,
    pub(crate) added: Option<Version>,
    pub(crate) added_maybe: Option<Version>,
    pub(crate) removed: Option<Version>,
    pub(crate) removed_maybe: Option<Version>,
    /// Back in the schema from this version after `removed` (plugins' `enabled` switches went
    /// in 8.0 and some came back for Serverless); `readded_maybe`: may be back from here.
    pub(crate) readded: Option<Version>,
    pub(crate) readded_maybe: Option<Version>,
    pub(crate) deprecated: Option<Version>,
    /// The deprecation fires only when the value written is `"truthy"` (JavaScript's truth) or
    /// `"true"` (`=== true`); otherwise on any value.
    pub(crate) deprecated_when: Option<&'static str>,
    pub(crate) replacement: Option<&'static str>,
    pub(crate) deprecation: Option<&'static str>,
    pub(crate) removal: Option<&'static str>,
    /// `rename`/`renameFromRoot(<key>, <moves_to>)` moves the value (a whole root, for
    /// `xpack.monitoring`) before validation.
    pub(crate) moves_to: Option<&'static str>,
    /// A value Kibana refuses from `forbidden_from` on, with `forbidden_message`
    /// (`elasticsearch.username: elastic` from 8.0).
    pub(crate) forbidden_value: Option<&'static str>,
    pub(crate) forbidden_from: Option<Version>,
    pub(crate) forbidden_message: Option<&'static str>,
    pub(crate) secret: bool,
    /// From this version, accepted only by Kibana on Elastic Cloud Serverless
    /// (`offeringBasedSchema` without a traditional branch): a self-managed Kibana refuses any
    /// value.
    pub(crate) serverless_only: Option<Version>,
    /// ... until this version, which accepts it on self-managed Kibana again.
    pub(crate) serverless_only_until: Option<Version>,
    pub(crate) checked_by: Option<&'static str>,
    /// A string format the schema checks with a `validate` function (`formats.rs`).
    pub(crate) format: Option<&'static str>,
    /// The one value a self-managed Kibana accepts for this boolean (`literal(false)` outside
    /// Serverless or development, or a `validate` refusing the other value), and Kibana's
    /// message when it gets the other one (default: the literal's `expected value to equal`).
    pub(crate) only: Option<bool>,
    pub(crate) only_message: Option<&'static str>,
    pub(crate) open: bool,
    /// An open object Kibana reads nothing inside at start-up (a Fleet output's `config`): any
    /// key written there is accepted, so it is judged.
    pub(crate) free_form: bool,
    /// On a `OneOf`: the key whose literal picks the branch (`type`).
    pub(crate) tag: Option<&'static str>,
    /// On a tagged `OneOf`: the release that made it a union; before, it is one object whose
    /// keys are the row's own children (Fleet's preconfigured output became a oneOf by `type` in
    /// 8.10).
    pub(crate) union_from: Option<Version>,
    pub(crate) namespace: bool,
    /// On a namespace (or an object row): the table holds every key of it from this version on ...
    pub(crate) complete_from: Option<Version>,
    /// ... through this one (no dated copy of a later schema was read), else through
    /// `Version::NEWEST`.
    pub(crate) complete_through: Option<Version>,
    /// On a namespace: from this version no schema owns the root (a plugin that lost its
    /// config, `apm_oss`, `kibana`), so a key there that no deprecation moves is core's
    /// `Unknown configuration key(s)` error rather than a schema's.
    pub(crate) unowned_from: Option<Version>,
    /// On a namespace: from this version (until `no_schema_until`, which has one again) the
    /// plugin owning the root exports no config schema, so Kibana reads nothing under it: 7.x
    /// takes only `<root>.enabled`, 8.0 on refuses any key (`No validation schema has been
    /// defined for [<root>]`).
    pub(crate) no_schema_from: Option<Version>,
    pub(crate) no_schema_until: Option<Version>,
    // `doc` (the JSON Schema's hover text) is in a file of its own, read only when a JSON
    // Schema is made (table::doc_of); `source` and the research columns stay in the TOML.
    /// `default`, parsed the first time it is needed.
    pub(crate) parsed_default: OnceLock<Option<serde_json::Value>>,
    /// `defaults`, parsed the first time they are needed; `None` where not a fixed value.
    pub(crate) parsed_defaults: OnceLock<Vec<(Version, Option<serde_json::Value>)>>,
}

/// Whether a setting exists in a version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Availability {
    Available,
    /// Might not exist yet (first version not verified).
    MaybeNotYet,
    /// Might be gone already (last version not verified).
    MaybeRemoved,
    NotYet,
    Removed,
    /// Removed, then back in a later release; which one is not verified for this version.
    MaybeBack,
}

impl Spec {
    /// Whether release `v` may have this setting (it is neither before its first release nor
    /// removed).
    pub(crate) fn may_exist(&self, v: Version) -> bool {
        !matches!(
            self.availability(v),
            Availability::NotYet | Availability::Removed
        )
    }

    /// A union branch's literal: its key after the last `#` (`logging.appenders.*#file` → `file`).
    pub(crate) fn literal(&self) -> &'static str {
        self.key
            .rsplit_once('#')
            .map_or(self.key, |(_, literal)| literal)
    }

    /// The values release `v` accepts, in the schema's order.
    pub(crate) fn values_at(&self, v: Version) -> impl Iterator<Item = &'static str> + use<'_> {
        self.values.iter().copied().filter(move |value| {
            self.values_since
                .iter()
                .all(|(added, since)| added != value || v >= *since)
        })
    }

    /// The row's type in release `v`: a union before its `union_from` is the object it was.
    pub(crate) fn ty_at(&self, v: Version) -> Type {
        match self.union_from {
            Some(from) if v < from => Type::Object,
            _ => self.ty,
        }
    }

    pub(crate) fn availability(&self, v: Version) -> Availability {
        if let Some(removed) = self.removed
            && v >= removed
        {
            match (self.readded, self.readded_maybe) {
                (Some(back), _) if v >= back => {}
                (_, Some(maybe)) if v >= maybe => return Availability::MaybeBack,
                _ => return Availability::Removed,
            }
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

    /// Whether a self-managed Kibana `v` refuses any value (`offeringBasedSchema({ serverless })`).
    pub(crate) fn serverless_only_at(&self, v: Version) -> bool {
        self.serverless_only.is_some_and(|from| v >= from)
            && self.serverless_only_until.is_none_or(|until| v < until)
    }

    pub(crate) fn is_deprecated(&self, v: Version) -> bool {
        // Once it may be gone, its deprecation message (written before) no longer applies, nor
        // once it is back after a removal (plugins' `enabled`, deprecated in 7.16 before 8.0
        // removed it); a deprecation of the key that came back (9.0's renames) does.
        self.deprecated
            .is_some_and(|d| v >= d && !self.removed.is_some_and(|r| d < r && v >= r))
            && !matches!(
                self.availability(v),
                Availability::Removed | Availability::MaybeRemoved | Availability::MaybeBack
            )
    }

    /// On a namespace or an object row: whether the table holds every key Kibana `v` accepts in
    /// it, so that a key it does not know is an error rather than "not judged". Never for
    /// versions newer than the table (they may have added keys).
    pub(crate) fn complete_for(&self, v: Version) -> bool {
        !self.open
            && self.complete_from.is_none_or(|from| v >= from)
            // Through a whole minor: 9.3 covers 9.3.x.
            && self
                .complete_through
                .is_none_or(|through| (v.major, v.minor) <= (through.major, through.minor))
            && !v.beyond_table()
    }

    /// On a namespace: whether Kibana `v`'s plugin for it has no config schema.
    pub(crate) fn no_schema_at(&self, v: Version) -> bool {
        // Once the plugin is gone (`unowned_from`), a key there is core's unknown-key error.
        self.no_schema_from.is_some_and(|from| v >= from)
            && self.no_schema_until.is_none_or(|until| v < until)
            && self.unowned_from.is_none_or(|gone| v < gone)
    }

    /// Kibana `v`'s default for this setting.
    pub(crate) fn default_for(&self, v: Version) -> Option<&serde_json::Value> {
        if self.defaults.is_empty() {
            // build.rs checked that every default is JSON.
            return self
                .parsed_default
                .get_or_init(|| self.default.and_then(|d| serde_json::from_str(d).ok()))
                .as_ref();
        }
        let parsed = self.parsed_defaults.get_or_init(|| {
            self.defaults
                .iter()
                .map(|(from, d)| (*from, serde_json::from_str(d).ok()))
                .collect()
        });
        match parsed.iter().rev().find(|(from, _)| v >= *from) {
            Some((_, d)) => d.as_ref(),
            // Older than the first listed change: the first listed value.
            None => parsed.first().and_then(|(_, d)| d.as_ref()),
        }
    }

    /// The first version in which the setting surely exists, for messages.
    pub(crate) fn since(&self) -> Option<Version> {
        self.added.or(self.added_maybe)
    }
}
