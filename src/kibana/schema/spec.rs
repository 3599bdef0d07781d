//! One row of the settings table (rules/data/settings.toml) and whether it exists in a version.

use serde::Deserialize;

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
