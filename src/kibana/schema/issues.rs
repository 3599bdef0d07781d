//! What validation found, and the validated tree.

use crate::model::tree::{Node, SettingPath};
use crate::source::Location;
use crate::version::Version;

/// What validation found.
#[derive(Clone, Debug)]
pub(crate) struct SchemaIssue {
    pub(crate) kind: IssueKind,
    pub(crate) path: SettingPath,
    /// The offending value.
    pub(crate) at: Option<Location>,
    /// The key that set it.
    pub(crate) key_at: Option<Location>,
    /// Kibana's own message, as it would print it.
    pub(crate) kibana: String,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum IssueKind {
    /// A key no schema defines (fatal).
    Unknown { suggestion: Option<String> },
    /// A key the kind written (`tag: written`) does not take but another kind of the same union
    /// does (a Kafka output's `topic` on an Elasticsearch output; fatal): `tag: kind` takes it.
    OtherKind {
        tag: &'static str,
        written: &'static str,
        kind: &'static str,
    },
    /// A config root (`foo`, `xpack.foo`) that is neither core's nor a bundled plugin's in any
    /// release the root list covers (fatal, unless a third-party plugin has it).
    UnknownRoot { suggestion: Option<String> },
    /// A key under the root of a plugin that has no config schema in this version (fatal from
    /// 8.0: `No validation schema has been defined for [<root>]`).
    NoSchema { root: &'static str },
    /// Wrong type (fatal).
    WrongType {
        expected: &'static str,
        got: &'static str,
    },
    /// Right type, invalid value (fatal).
    InvalidValue,
    /// A required key is missing (fatal).
    Missing,
    /// An object of a union whose literal (`tag`) names none of its kinds (fatal): every branch
    /// fails at it. `written` is the literal given; without one, before 9.2, config-schema throws
    /// a TypeError instead (`crash`).
    NoBranch {
        tag: &'static str,
        literals: Vec<&'static str>,
        written: Option<String>,
        crash: bool,
    },
    /// Added in a later version (fatal unknown key in this version).
    NotYetAdded { since: Version },
    /// Removed in this version (fatal).
    Removed {
        removed: Version,
        replacement: Option<String>,
        /// The release it is known to be back in, if any.
        back: Option<Version>,
    },
    /// The setting's first or last version is not verified for this version.
    Unverified { since: Option<Version>, gone: bool },
    /// Removed in `removed`, maybe back since (known again from `back`, where a copy shows it):
    /// whether this version has it is not verified (warning).
    MaybeBack {
        removed: Version,
        back: Option<Version>,
    },
    /// A custom deprecation provider fired on the values written (`server.basePath` without
    /// `server.rewriteBasePath`): Kibana logs it, with `title` where the release has one, and
    /// starts; `fix` is the corrective step.
    Warned { title: Option<String>, fix: String },
    /// Kibana logs a deprecation; `effect` says what it does with the value.
    Deprecated {
        replacement: Option<String>,
        effect: DeprecationEffect,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DeprecationEffect {
    /// The value still applies.
    Kept,
    /// Kibana still validates the value but no longer uses it (a custom provider's
    /// `… is deprecated and no longer used`, without an `unset`).
    NoLongerUsed,
    /// Kibana removes the setting before validation: it has no effect.
    Unset,
    /// Kibana moves the value to the replacement.
    Renamed,
    /// Both old and new are set: Kibana ignores the old one.
    IgnoredBothSet,
}

/// The validated and coerced tree, plus the issues.
pub(crate) struct Validated {
    /// The config as Kibana would see it after validation: coerced values, defaults filled in,
    /// rejected values left out.
    pub(crate) tree: Node,
    pub(crate) issues: Vec<SchemaIssue>,
    /// Settings Kibana rejects (left out of `tree`, so their defaults do not apply either).
    pub(crate) invalid: Vec<SettingPath>,
    /// Keys let through unjudged under an open object of a namespace held completely (an
    /// appender union, free-form overrides): the coverage note lists them.
    pub(crate) unjudged: Vec<SettingPath>,
}

impl IssueKind {
    /// Whether Kibana refuses to start on it.
    pub(crate) fn is_fatal(&self) -> bool {
        !matches!(
            self,
            IssueKind::Unverified { .. }
                | IssueKind::MaybeBack { .. }
                | IssueKind::Deprecated { .. }
                | IssueKind::Warned { .. }
        )
    }
}
