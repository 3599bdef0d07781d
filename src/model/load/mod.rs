//! Turns located YAML files, a Docker environment and a keystore into one merged settings tree,
//! the way Kibana builds its raw config:
//!
//! * each file is flattened into entries (`kbn-config` raw/read_config.ts `listEntries`): keys
//!   are split on `.` unless written `[a.b]`, non-empty maps are walked, anything else is a leaf;
//!   inside leaf values keys are split too (8.15.1+), and strings get `${VAR}` substitution;
//! * entries of all files are applied in order with lodash `set`, so the later one wins and an
//!   array is replaced, never merged (before 8.14 every array item was its own entry, so arrays
//!   from later files merged index by index);
//! * Docker env vars become CLI options merged over the files (arrays replaced);
//! * keystore entries are merged last with lodash `merge` and win over everything.

use crate::model::tree::{Node, SettingPath};
use crate::source::docker_env::{DockerIssue, DockerSetting};
use crate::source::env::{Env, LiteralRef};
use crate::source::files::ContentIssue;
use crate::source::keystore::{KeystoreEntries, KeystoreError};
use crate::source::yaml::{ParsedYaml, YamlIssue};
use crate::source::{FileId, Location, Pos, SourceMap, Span};
use crate::version::Version;

mod comments;
mod flatten;
mod merge;
mod overlays;
#[cfg(test)]
mod tests;

/// One kibana.yml of the stack, as read.
pub(crate) struct YamlFile {
    pub(crate) file: FileId,
    pub(crate) content: Result<ParsedYaml, ContentIssue>,
}

/// Everything a run read, ready to merge.
#[derive(Default)]
pub(crate) struct LoadInputs {
    pub(crate) yaml: Vec<YamlFile>,
    pub(crate) docker: Option<DockerInput>,
    pub(crate) keystore: Option<KeystoreInput>,
}

pub(crate) struct DockerInput {
    pub(crate) file: FileId,
    pub(crate) settings: Vec<DockerSetting>,
    pub(crate) issues: Vec<DockerIssue>,
    /// Whether the image's variable list was verified for this version.
    pub(crate) list_verified: bool,
}

pub(crate) struct KeystoreInput {
    pub(crate) file: FileId,
    pub(crate) entries: Result<KeystoreEntries, KeystoreError>,
}

/// Which source replaced a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OverrideSource {
    /// The same file set it again, later in document order.
    SameFile,
    /// A later file of the `--stack`.
    LaterFile,
    /// The Docker environment (CLI options win over files).
    DockerEnv,
    /// The keystore (wins over everything).
    Keystore,
}

/// Something noticed while loading, for the `config` module to report.
#[derive(Clone, Debug)]
pub(crate) enum LoadIssue {
    Content {
        file: FileId,
        issue: ContentIssue,
    },
    Yaml {
        file: FileId,
        issue: YamlIssue,
    },
    /// A Docker Compose file or Kubernetes manifest given where a kibana.yml belongs.
    ForeignDocument {
        file: FileId,
        kind: &'static str,
        at: Span,
    },
    /// The document is a list or scalar: Kibana's loader ignores the whole file.
    NotAMapping {
        file: FileId,
        span: Span,
        found: &'static str,
    },
    /// A `__proto__`, `constructor` or `prototype` segment (`Forbidden path detected: …`).
    ForbiddenPath {
        path: SettingPath,
        at: Option<Location>,
    },
    /// `${NAME}` with NAME unset and no default (`Unknown environment variable referenced in config : NAME`).
    MissingEnv {
        name: String,
        path: SettingPath,
        at: Option<Location>,
    },
    /// `${…}` text Kibana leaves literally.
    LiteralEnv {
        literal: Box<LiteralRef>,
        path: SettingPath,
        at: Option<Location>,
    },
    /// A value replaced by a later one.
    Overridden {
        path: SettingPath,
        earlier: Box<Node>,
        later: Box<Node>,
        by: OverrideSource,
        /// Before 8.14 arrays merge by index, so only some items were replaced.
        index_merge: bool,
    },
    Docker {
        file: FileId,
        issue: DockerIssue,
        list_verified: bool,
    },
    Keystore {
        file: FileId,
        error: KeystoreError,
    },
}

/// A setting that appears only in a comment (`# xpack.encryptedSavedObjects.encryptionKey: …`).
#[derive(Clone, Debug)]
pub(crate) struct Commented {
    pub(crate) key: String,
    pub(crate) at: Location,
}

/// The merged configuration.
pub(crate) struct Loaded {
    pub(crate) root: Node,
    pub(crate) issues: Vec<LoadIssue>,
    /// A file could not be parsed completely; the tree may lack settings.
    pub(crate) incomplete: bool,
    pub(crate) commented: Vec<Commented>,
}

struct Entry {
    pub(super) path: Vec<String>,
    pub(super) key: Option<Location>,
    pub(super) value: Node,
    pub(super) file: FileId,
}

/// Merges all inputs into Kibana's raw config object.
pub(crate) fn load(
    inputs: &LoadInputs,
    sources: &SourceMap,
    env: &Env,
    version: Version,
) -> Loaded {
    let mut loaded = Loaded {
        root: Node::map(),
        issues: Vec::new(),
        incomplete: false,
        commented: Vec::new(),
    };
    let entries = flatten::flatten_files(inputs, sources, env, version, &mut loaded);
    let mut root = merge::apply_entries(entries, version, &mut loaded.issues);
    overlays::docker(inputs, &mut root, &mut loaded.issues);
    overlays::keystore(inputs, &mut root, &mut loaded.issues);
    fold_duplicates(&mut loaded.issues);
    loaded.root = root;
    loaded
}

/// One finding per fact: a key written twice in one mapping is a parse error in Kibana (the
/// file is rejected), so the "later value wins" override it would otherwise also produce, for
/// that key or the settings below it, is dropped rather than contradict it.
fn fold_duplicates(issues: &mut Vec<LoadIssue>) {
    // Per file, duplicates sorted by their second key, with the smallest first key so far: an
    // override is folded when some duplicate has second <= later and first <= earlier, which one
    // binary search answers (a file of 20,000 repeated keys stays O(n log n)).
    let mut by_file: rustc_hash::FxHashMap<FileId, Vec<(Pos, Pos)>> = Default::default();
    for i in issues.iter() {
        if let LoadIssue::Yaml {
            file,
            issue: YamlIssue::DuplicateKey { first, second, .. },
        } = i
        {
            by_file
                .entry(*file)
                .or_default()
                .push((second.start, first.start));
        }
    }
    if by_file.is_empty() {
        return;
    }
    for dups in by_file.values_mut() {
        dups.sort();
        let mut min_first = dups[0].1;
        for d in dups.iter_mut() {
            min_first = min_first.min(d.1);
            d.1 = min_first;
        }
    }
    issues.retain(|i| {
        let LoadIssue::Overridden {
            earlier,
            later,
            by: OverrideSource::SameFile,
            ..
        } = i
        else {
            return true;
        };
        let (Some(e), Some(l)) = (earlier.key, later.key) else {
            return true;
        };
        let Some(dups) = by_file.get(&e.file).filter(|_| l.file == e.file) else {
            return true;
        };
        // The duplicates whose second key is at or before the later value.
        let upto = dups.partition_point(|(second, _)| *second <= l.span.start);
        !(upto > 0 && dups[upto - 1].1 <= e.span.start)
    });
}
