//! Kibana versions, and the loader behaviours that changed between them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

/// A Kibana version. A version given without a patch number means the newest patch of that
/// minor release (most deployments run it), so `8.15` behaves like 8.15.x, not 8.15.0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

/// Patch number standing for "the newest patch".
const ANY_PATCH: u32 = u32::MAX;

impl Version {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Version {
        Version {
            major,
            minor,
            patch,
        }
    }

    /// The newest release line the settings table covers (rules/data/settings/README.md).
    pub const NEWEST: Version = Version::new(9, 5, ANY_PATCH);
    /// The version used when none is given: the newest the table covers.
    pub const DEFAULT: Version = Version::NEWEST;
    /// The oldest version whose behaviour the tool models.
    pub(crate) const OLDEST: Version = Version::new(7, 10, 0);

    /// Whether this is a release line newer than the table covers: Kibana may accept keys there
    /// that the table does not know.
    pub(crate) fn beyond_table(self) -> bool {
        (self.major, self.minor) > (Version::NEWEST.major, Version::NEWEST.minor)
    }

    /// Whether a patch number was given (`9.3.4`, not `9.3`).
    pub(crate) fn patch_given(self) -> bool {
        self.patch != ANY_PATCH
    }

    /// Whether the `${NAME:default}` syntax exists (8.15.0, PR #182139).
    pub(crate) fn env_defaults(self) -> bool {
        self >= Version::new(8, 15, 0)
    }

    /// Whether kibana.yml is loaded by the entry-list loader with `[a.b]` keys (8.14.0, PR
    /// #178841). Older loaders merged arrays from later files index by index.
    pub(crate) fn entry_loader(self) -> bool {
        self >= Version::new(8, 14, 0)
    }

    /// Whether dotted keys inside list items are split. 8.14.0–8.15.0 did not (fixed by
    /// PR #190590 in 8.15.1), so `ssl.verificationMode` inside a `customHostSettings` item stayed
    /// one unknown key there.
    pub(crate) fn splits_keys_in_values(self) -> bool {
        !(Version::new(8, 14, 0)..Version::new(8, 15, 1)).contains(&self)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.patch == ANY_PATCH {
            write!(f, "{}.{}", self.major, self.minor)
        } else {
            write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
        }
    }
}

impl FromStr for Version {
    type Err = String;

    /// Accepts `9`, `9.1`, `9.1.3` (and a leading `v`).
    fn from_str(s: &str) -> Result<Version, String> {
        let t = s.trim().trim_start_matches(['v', 'V']);
        let bad = || format!("{s:?} is not a Kibana version (expected e.g. 9.1 or 8.19.3)");
        let mut parts = t.split('.');
        let mut num = |required: bool| -> Result<Option<u32>, String> {
            match parts.next() {
                Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                    p.parse().map(Some).map_err(|_| bad())
                }
                Some(_) => Err(bad()),
                None if required => Err(bad()),
                None => Ok(None),
            }
        };
        let major = num(true)?.unwrap_or(0);
        let minor = num(false)?;
        let patch = num(false)?;
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(Version {
            major,
            minor: minor.unwrap_or(ANY_PATCH),
            patch: patch.unwrap_or(ANY_PATCH),
        })
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Version, D::Error> {
        let s = String::deserialize(d)?;
        // In the settings table "8.3" means "from 8.3.0".
        let mut v: Version = s.parse().map_err(serde::de::Error::custom)?;
        if v.minor == ANY_PATCH {
            v.minor = 0;
        }
        if v.patch == ANY_PATCH {
            v.patch = 0;
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    #[test]
    fn parsing_and_display() {
        assert_eq!(v("9.1.3"), Version::new(9, 1, 3));
        assert_eq!(v("v8.19").to_string(), "8.19");
        assert!("9.x".parse::<Version>().is_err());
        assert!("".parse::<Version>().is_err());
        assert!("1.2.3.4".parse::<Version>().is_err());
    }

    #[test]
    fn a_minor_without_patch_is_its_newest_patch() {
        assert!(v("8.15") > v("8.15.9"));
        assert!(v("8.15") < v("8.16.0"));
        assert!(v("8.15").splits_keys_in_values());
        assert!(!v("8.15.0").splits_keys_in_values());
        assert!(!v("8.14").splits_keys_in_values());
        assert!(v("8.13").splits_keys_in_values());
    }

    #[test]
    fn loader_features_by_version() {
        assert!(!v("8.14").env_defaults());
        assert!(v("8.15.0").env_defaults());
        assert!(!v("8.13.4").entry_loader());
        assert!(v("8.14.0").entry_loader());
    }
}
