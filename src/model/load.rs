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

use super::tree::{Map, Node, SettingPath, Text, Value};
use crate::source::docker_env::{DockerIssue, DockerSetting};
use crate::source::env::{Env, LiteralRef, RefSyntax, Resolution, substitute};
use crate::source::files::ContentIssue;
use crate::source::keystore::{KeystoreEntries, KeystoreError};
use crate::source::scalar::Scalar;
use crate::source::yaml::{ParsedYaml, Yaml, YamlIssue, YamlKind};
use crate::source::{FileId, Location, Origin, SourceMap, Span};
use crate::version::Version;

/// One kibana.yml of the stack, as read.
pub struct YamlFile {
    pub file: FileId,
    pub content: Result<ParsedYaml, ContentIssue>,
}

/// Everything a run read, ready to merge.
#[derive(Default)]
pub struct LoadInputs {
    pub yaml: Vec<YamlFile>,
    pub docker: Option<DockerInput>,
    pub keystore: Option<KeystoreInput>,
}

pub struct DockerInput {
    pub file: FileId,
    pub settings: Vec<DockerSetting>,
    pub issues: Vec<DockerIssue>,
    /// Whether the image's variable list was verified for this version.
    pub list_verified: bool,
}

pub struct KeystoreInput {
    pub file: FileId,
    pub entries: Result<KeystoreEntries, KeystoreError>,
}

/// Which source replaced a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverrideSource {
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
pub enum LoadIssue {
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
pub struct Commented {
    pub key: String,
    pub at: Location,
}

/// The merged configuration.
pub struct Loaded {
    pub root: Node,
    pub issues: Vec<LoadIssue>,
    /// A file could not be parsed completely; the tree may lack settings.
    pub incomplete: bool,
    pub commented: Vec<Commented>,
}

struct Entry {
    path: Vec<String>,
    key: Option<Location>,
    value: Node,
    file: FileId,
}

/// Merges all inputs into Kibana's raw config object.
pub fn load(inputs: &LoadInputs, sources: &SourceMap, env: &Env, version: Version) -> Loaded {
    let mut issues = Vec::new();
    let mut incomplete = false;
    let mut entries = Vec::new();
    let mut commented = Vec::new();
    let syntax = if version.env_defaults() {
        RefSyntax::WithDefault
    } else {
        RefSyntax::NameOnly
    };
    for y in &inputs.yaml {
        commented.extend(commented_settings(sources, y.file));
        let parsed = match &y.content {
            Ok(p) => p,
            Err(issue) => {
                issues.push(LoadIssue::Content {
                    file: y.file,
                    issue: issue.clone(),
                });
                incomplete = true;
                continue;
            }
        };
        issues.extend(parsed.issues.iter().map(|i| LoadIssue::Yaml {
            file: y.file,
            issue: i.clone(),
        }));
        incomplete |= parsed.incomplete;
        let Some(root) = &parsed.root else { continue };
        let found = match &root.kind {
            YamlKind::Map(_) => None,
            YamlKind::Seq(_) => Some("a list"),
            YamlKind::Scalar(s) if s.value == Scalar::Null => None,
            YamlKind::Scalar(_) => Some("a single value"),
        };
        if let Some(found) = found {
            issues.push(LoadIssue::NotAMapping {
                file: y.file,
                span: root.span,
                found,
            });
            continue;
        }
        if let Some((kind, at)) = foreign_document(root) {
            // Its keys, `${VAR}`s and values mean something else; judging them would be noise.
            issues.retain(|i| !matches!(i, LoadIssue::Yaml { file, .. } if *file == y.file));
            issues.push(LoadIssue::ForeignDocument {
                file: y.file,
                kind,
                at,
            });
            incomplete = true;
            continue;
        }
        let mut flattener = Flattener {
            file: y.file,
            sources,
            env,
            syntax,
            split_in_values: version.splits_keys_in_values(),
            issues: &mut issues,
            entries: &mut entries,
        };
        if version.entry_loader() {
            flattener.list_entries(root, Vec::new(), None);
        } else {
            flattener.legacy_entries(root, Vec::new(), None);
        }
    }

    let mut root = Node::map();
    // Kibana stops at the first forbidden key (`ensureValidObjectPath`): one finding per
    // forbidden key, not one per setting below it.
    let mut forbidden: Vec<Vec<String>> = Vec::new();
    for entry in entries {
        if let Some(i) = entry
            .path
            .iter()
            .position(|s| matches!(s.as_str(), "__proto__" | "constructor" | "prototype"))
        {
            let prefix = entry.path[..=i].to_vec();
            if !forbidden.contains(&prefix) {
                issues.push(LoadIssue::ForbiddenPath {
                    path: path_of(&prefix),
                    at: entry.key,
                });
                forbidden.push(prefix);
            }
            continue;
        }
        let later_file = entry.file;
        let mut value = entry.value;
        value.key = entry.key;
        let index_merge = !version.entry_loader();
        lodash_set(
            &mut root,
            &entry.path,
            value,
            &mut |path, earlier, later| {
                let earlier_file = earlier.key.map(|k| k.file).or(earlier.origin.file());
                let by = if earlier_file == Some(later_file) {
                    OverrideSource::SameFile
                } else {
                    OverrideSource::LaterFile
                };
                issues.push(LoadIssue::Overridden {
                    path,
                    earlier: Box::new(earlier),
                    later: Box::new(later),
                    by,
                    index_merge,
                });
            },
        );
    }

    if let Some(docker) = &inputs.docker {
        issues.extend(docker.issues.iter().map(|i| LoadIssue::Docker {
            file: docker.file,
            issue: i.clone(),
            list_verified: docker.list_verified,
        }));
        let mut cli = Node::map();
        for s in &docker.settings {
            let origin = Origin::File(s.value_at);
            let mut node = Node::from_json(&s.value, &origin);
            node.key = Some(s.key_at);
            let path: Vec<String> = s.setting.split('.').map(str::to_string).collect();
            lodash_set(&mut cli, &path, node, &mut |_, _, _| {});
        }
        merge_into(
            &mut root,
            cli,
            &mut SettingPath::default(),
            MergeArrays::Replace,
            &mut |path, earlier, later| {
                issues.push(LoadIssue::Overridden {
                    path,
                    earlier: Box::new(earlier),
                    later: Box::new(later),
                    by: OverrideSource::DockerEnv,
                    index_merge: false,
                })
            },
        );
    }

    if let Some(ks) = &inputs.keystore {
        match &ks.entries {
            Err(error) => {
                issues.push(LoadIssue::Keystore {
                    file: ks.file,
                    error: error.clone(),
                });
            }
            Ok(entries) => {
                let mut tree = Node::map();
                for (key, value) in entries {
                    let origin = Origin::Keystore {
                        file: ks.file,
                        key: key.clone(),
                    };
                    let path: Vec<String> = key.split('.').map(str::to_string).collect();
                    lodash_set(
                        &mut tree,
                        &path,
                        Node::from_json(value, &origin),
                        &mut |_, _, _| {},
                    );
                }
                merge_into(
                    &mut root,
                    tree,
                    &mut SettingPath::default(),
                    MergeArrays::ByIndex,
                    &mut |path, earlier, later| {
                        issues.push(LoadIssue::Overridden {
                            path,
                            earlier: Box::new(earlier),
                            later: Box::new(later),
                            by: OverrideSource::Keystore,
                            index_merge: false,
                        })
                    },
                );
            }
        }
    }

    Loaded {
        root,
        issues,
        incomplete,
        commented,
    }
}

/// Recognises a Compose file (`services:` with `image:`s) or a Kubernetes manifest
/// (`apiVersion:` and `kind:`) by its top-level keys.
fn foreign_document(root: &Yaml) -> Option<(&'static str, Span)> {
    let YamlKind::Map(pairs) = &root.kind else {
        return None;
    };
    let key = |name: &str| pairs.iter().find(|(k, _)| k.key_string() == name);
    if let (Some((api, _)), Some(_)) = (key("apiVersion"), key("kind")) {
        return Some(("a Kubernetes manifest", api.span));
    }
    if let Some((services, value)) = key("services")
        && let YamlKind::Map(svcs) = &value.kind
        && svcs.iter().any(|(_, svc)| {
            matches!(&svc.kind, YamlKind::Map(p) if p.iter().any(|(k, _)| matches!(k.key_string().as_str(), "image" | "build")))
        })
    {
        return Some(("a Docker Compose file", services.span));
    }
    None
}

fn path_of(segs: &[String]) -> SettingPath {
    let mut p = SettingPath::default();
    for s in segs {
        if is_index(s) && !p.is_empty() {
            p.push_index(s.parse().unwrap_or(0));
        } else {
            p.push_key(s);
        }
    }
    p
}

/// lodash `isIndex`: a non-negative integer without leading zeros.
fn is_index(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'))
        && s.len() < 16
}

/// kbn-config `splitKey`: `[a.b]` is one key, anything else splits on `.`.
fn split_key(key: &str) -> Vec<String> {
    match unsplittable(key) {
        Some(k) => vec![k.to_string()],
        None => key.split('.').map(str::to_string).collect(),
    }
}

fn unsplittable(key: &str) -> Option<&str> {
    (key.len() >= 2 && key.starts_with('[') && key.ends_with(']')).then(|| &key[1..key.len() - 1])
}

struct Flattener<'a> {
    file: FileId,
    sources: &'a SourceMap,
    env: &'a Env,
    syntax: RefSyntax,
    split_in_values: bool,
    issues: &'a mut Vec<LoadIssue>,
    entries: &'a mut Vec<Entry>,
}

impl Flattener<'_> {
    fn loc(&self, span: Span) -> Location {
        Location {
            file: self.file,
            span,
        }
    }

    /// `listEntries` (8.14+): walk non-empty maps, everything else is one entry.
    fn list_entries(&mut self, node: &Yaml, path: Vec<String>, key: Option<Span>) {
        if let YamlKind::Map(pairs) = &node.kind
            && !pairs.is_empty()
        {
            for (k, v) in pairs {
                let mut p = path.clone();
                p.extend(split_key(&k.key_string()));
                self.list_entries(v, p, Some(k.span));
            }
            return;
        }
        if path.is_empty() {
            return;
        }
        let value = self.process_value(node, &mut path_of(&path));
        self.entries.push(Entry {
            path,
            key: key.map(|s| self.loc(s)),
            value,
            file: self.file,
        });
    }

    /// The loader before 8.14: every scalar (and empty collection) is an entry, list items too.
    fn legacy_entries(&mut self, node: &Yaml, path: Vec<String>, key: Option<Span>) {
        match &node.kind {
            YamlKind::Map(pairs) if !pairs.is_empty() => {
                for (k, v) in pairs {
                    let mut p = path.clone();
                    // The old loader joined keys with '.' and let lodash split the path.
                    p.extend(k.key_string().split('.').map(str::to_string));
                    self.legacy_entries(v, p, Some(k.span));
                }
                return;
            }
            YamlKind::Seq(items) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(i.to_string());
                    self.legacy_entries(item, p, key);
                }
                return;
            }
            _ => {}
        }
        if path.is_empty() {
            return;
        }
        let value = self.process_value(node, &mut path_of(&path));
        self.entries.push(Entry {
            path,
            key: key.map(|s| self.loc(s)),
            value,
            file: self.file,
        });
    }

    /// `processEntryValue`: split keys inside values, substitute `${VAR}` in strings.
    fn process_value(&mut self, node: &Yaml, path: &mut SettingPath) -> Node {
        let origin = Origin::File(self.loc(node.span));
        let value = match &node.kind {
            YamlKind::Scalar(s) => match &s.value {
                Scalar::Null => Value::Null,
                Scalar::Bool(b) => Value::Bool(*b),
                Scalar::Number(n) => Value::Number(*n),
                Scalar::Str(text) => Value::Str(self.substitute(text, node.span, path)),
            },
            YamlKind::Seq(items) => Value::Seq(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        path.push_index(i);
                        let n = self.process_value(item, path);
                        path.pop();
                        n
                    })
                    .collect(),
            ),
            YamlKind::Map(pairs) => {
                let mut map = Node::new(Value::Map(Map::default()), origin.clone());
                for (k, v) in pairs {
                    let raw = k.key_string();
                    let segs = match unsplittable(&raw) {
                        Some(u) => vec![u.to_string()],
                        None if self.split_in_values => split_key(&raw),
                        None => vec![raw.clone()],
                    };
                    let mark = path.len();
                    for s in &segs {
                        path.push_key(s);
                    }
                    let mut child = self.process_value(v, path);
                    path.truncate(mark);
                    child.key = Some(self.loc(k.span));
                    lodash_set(&mut map, &segs, child, &mut |_, _, _| {});
                }
                return map;
            }
        };
        Node::new(value, origin)
    }

    fn substitute(&mut self, text: &str, span: Span, path: &SettingPath) -> Text {
        if !text.contains('$') {
            return Text::plain(text);
        }
        let s = substitute(text, self.env, self.syntax);
        let file = self.sources.get(self.file);
        let id = self.file;
        let find = |needle: &str| {
            let span = file.find_in(span, needle).unwrap_or(span);
            Some(Location { file: id, span })
        };
        for r in &s.refs {
            if r.resolution == Resolution::Missing {
                let at = find(&text[r.range.clone()]);
                self.issues.push(LoadIssue::MissingEnv {
                    name: r.name.clone(),
                    path: path.clone(),
                    at,
                });
            }
        }
        for l in &s.literals {
            let at = find(&l.text);
            self.issues.push(LoadIssue::LiteralEnv {
                literal: Box::new(l.clone()),
                path: path.clone(),
                at,
            });
        }
        Text {
            value: s.value,
            env: s.refs,
            literals: s.literals,
        }
    }
}

/// lodash `set(object, path, value)`: creates missing parents (an array when the next key is an
/// index), replaces non-object parents, and overwrites the last key. `replaced` hears about every
/// value that was thrown away.
fn lodash_set(
    root: &mut Node,
    path: &[String],
    value: Node,
    replaced: &mut dyn FnMut(SettingPath, Node, Node),
) {
    let mut current = root;
    // The path walked so far; only cloned when something is replaced.
    let mut at = SettingPath::default();
    for (i, seg) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        if matches!(current.value, Value::Seq(_)) && is_index(seg) {
            at.push_index(seg.parse().unwrap_or(0));
        } else {
            at.push_key(seg);
        }
        let slot: &mut Node = match &mut current.value {
            Value::Map(map) => {
                if last {
                    if let Some(old) = map.get(seg) {
                        replaced(at.clone(), old.clone(), value.clone());
                    }
                    // Re-inserting keeps the original key order, as JavaScript does.
                    map.insert(seg.clone(), value);
                    return;
                }
                map.entry(seg.clone())
                    .or_insert_with(|| Node::new(Value::Null, Origin::Default))
            }
            Value::Seq(items) => {
                let Ok(index) = seg.parse::<usize>() else {
                    // A named property on an array: invisible to Kibana's schema.
                    return;
                };
                if !is_index(seg) || index > 100_000 {
                    return;
                }
                while items.len() <= index {
                    items.push(Node::new(Value::Null, Origin::Default));
                }
                if last {
                    if !matches!(items[index].origin, Origin::Default) {
                        replaced(at.clone(), items[index].clone(), value.clone());
                    }
                    items[index] = value;
                    return;
                }
                &mut items[index]
            }
            _ => return,
        };
        if !matches!(slot.value, Value::Map(_) | Value::Seq(_)) {
            if !matches!(slot.origin, Origin::Default) {
                replaced(at.clone(), slot.clone(), value.clone());
            }
            let next_is_index = path.get(i + 1).is_some_and(|s| is_index(s));
            *slot = if next_is_index {
                Node::new(Value::Seq(Vec::new()), Origin::Default)
            } else {
                Node::map()
            };
        }
        current = slot;
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MergeArrays {
    /// `_.mergeWith(…, mergeAndReplaceArrays)`: CLI options replace arrays.
    Replace,
    /// `_.merge`: the keystore merges arrays index by index.
    ByIndex,
}

/// lodash `merge`/`mergeWith`: objects merge key by key, everything else is replaced.
fn merge_into(
    dest: &mut Node,
    src: Node,
    path: &mut SettingPath,
    arrays: MergeArrays,
    replaced: &mut dyn FnMut(SettingPath, Node, Node),
) {
    match (&mut dest.value, src.value) {
        (Value::Map(d), Value::Map(s)) => {
            for (k, v) in s {
                let child = path.key(&k);
                match d.get_mut(&k) {
                    Some(existing) => merge_into(existing, v, &mut child.clone(), arrays, replaced),
                    None => {
                        d.insert(k, v);
                    }
                }
            }
        }
        (Value::Seq(d), Value::Seq(s)) if arrays == MergeArrays::ByIndex => {
            for (i, v) in s.into_iter().enumerate() {
                let child = path.index(i);
                if i < d.len() {
                    merge_into(&mut d[i], v, &mut child.clone(), arrays, replaced);
                } else {
                    d.push(v);
                }
            }
        }
        (_, value) => {
            let later = Node {
                value,
                origin: src.origin,
                key: src.key,
            };
            if !matches!(dest.origin, Origin::Default) || dest.key.is_some() {
                replaced(path.clone(), dest.clone(), later.clone());
            }
            *dest = later;
        }
    }
}

/// Settings written only in comments, e.g. `#xpack.encryptedSavedObjects.encryptionKey: "…"`.
fn commented_settings(sources: &SourceMap, file: FileId) -> Vec<Commented> {
    let f = sources.get(file);
    let Some(text) = f.text.as_deref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut last_line = usize::MAX;
    // Only lines holding a `#` can be comments; find them without splitting the whole text.
    for hash in memchr::memchr_iter(b'#', text.as_bytes()) {
        let idx = f.pos_of_offset(hash).line as usize - 1;
        if idx == last_line {
            continue;
        }
        last_line = idx;
        let n = idx;
        let Some(line) = f.line(idx as u32 + 1) else {
            continue;
        };
        let trimmed = line.trim_start();
        let Some(rest) = trimmed.strip_prefix('#') else {
            continue;
        };
        let body = rest.trim_start();
        let key_len = body
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            .count();
        let key = &body[..key_len];
        let looks_like_setting = key.contains('.') && body[key_len..].trim_start().starts_with(':');
        if looks_like_setting {
            let col = line.len() - body.len();
            let col = line[..col].chars().count() as u32 + 1;
            let start = crate::source::Pos::new(n as u32 + 1, col);
            let end = crate::source::Pos::new(n as u32 + 1, col + key.chars().count() as u32);
            out.push(Commented {
                key: key.to_string(),
                at: Location {
                    file,
                    span: Span::new(start, end),
                },
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::env::EnvVar;
    use crate::source::{SourceKind, yaml};
    use std::path::Path;
    use std::sync::Arc;

    /// Loads YAML texts as a stack, with an environment, for a version.
    fn load_texts(texts: &[&str], env: &[(&str, &str)], version: &str) -> (Loaded, SourceMap) {
        let mut sources = SourceMap::new();
        let mut inputs = LoadInputs::default();
        for (i, t) in texts.iter().enumerate() {
            let id = sources.add(
                Path::new(&format!("f{i}.yml")),
                format!("f{i}.yml"),
                SourceKind::KibanaYml,
                Some(Arc::from(*t)),
            );
            inputs.yaml.push(YamlFile {
                file: id,
                content: Ok(yaml::parse(t)),
            });
        }
        let mut e = Env::new();
        for (k, v) in env {
            e.set(
                k,
                EnvVar {
                    value: v.to_string(),
                    origin: crate::source::env::EnvOrigin::Process,
                },
            );
        }
        let loaded = load(&inputs, &sources, &e, version.parse().unwrap());
        (loaded, sources)
    }

    fn value(texts: &[&str], path: &str) -> String {
        let (l, _) = load_texts(texts, &[], "9.1");
        l.root
            .get(path)
            .map(Node::display)
            .unwrap_or_else(|| "<unset>".into())
    }

    // kibana-settings.md §6.2, observed with Node 20.20.2 / yaml 2.9.1.
    #[test]
    fn dotted_and_nested_spellings_merge_and_the_later_wins() {
        let dotted_first =
            "xpack.actions.allowedHosts: [a]\nxpack: {actions: {allowedHosts: [b]}}\n";
        let nested_first =
            "xpack: {actions: {allowedHosts: [b]}}\nxpack.actions.allowedHosts: [a]\n";
        assert_eq!(value(&[dotted_first], "xpack.actions.allowedHosts"), "[b]");
        assert_eq!(value(&[nested_first], "xpack.actions.allowedHosts"), "[a]");
        let merged =
            "xpack.actions.proxyUrl: http://p:1\nxpack:\n  actions:\n    allowedHosts: [x]\n";
        assert_eq!(value(&[merged], "xpack.actions.proxyUrl"), "http://p:1");
        assert_eq!(value(&[merged], "xpack.actions.allowedHosts"), "[x]");
    }

    #[test]
    fn arrays_from_later_files_replace_but_merged_by_index_before_8_14() {
        let a = "xpack.actions.allowedHosts: [a, b, c]\n";
        let b = "xpack.actions.allowedHosts: [d]\n";
        assert_eq!(value(&[a, b], "xpack.actions.allowedHosts"), "[d]");
        let (old, _) = load_texts(&[a, b], &[], "8.13");
        assert_eq!(
            old.root
                .get("xpack.actions.allowedHosts")
                .unwrap()
                .display(),
            "[d, b, c]"
        );
    }

    #[test]
    fn unsplittable_keys_and_keys_inside_list_items() {
        let t = "xpack.actions.preconfigured:\n  '[my.hook]':\n    name: x\nxpack.actions.customHostSettings:\n  - url: https://a\n    ssl.verificationMode: none\n";
        let (l, _) = load_texts(&[t], &[], "9.1");
        let pre = l
            .root
            .get("xpack.actions.preconfigured")
            .unwrap()
            .as_map()
            .unwrap();
        assert!(pre.contains_key("my.hook"));
        let item = &l
            .root
            .get("xpack.actions.customHostSettings")
            .unwrap()
            .as_seq()
            .unwrap()[0];
        assert_eq!(item.get("ssl.verificationMode").unwrap().display(), "none");
        // 8.14.0–8.15.0 kept the dotted key whole inside list items.
        let (buggy, _) = load_texts(&[t], &[], "8.15.0");
        let item = &buggy
            .root
            .get("xpack.actions.customHostSettings")
            .unwrap()
            .as_seq()
            .unwrap()[0];
        assert!(item.as_map().unwrap().contains_key("ssl.verificationMode"));
    }

    #[test]
    fn env_substitution_happens_per_string_value() {
        let t = "a: 'pre-${KBN_ENV_VAR1}-mid-${KBN_ENV_VAR2:default2}-post'\nb: ${MISSING}\nc: [\"${KBN_ENV_VAR1}\"]\n";
        let (l, _) = load_texts(&[t], &[("KBN_ENV_VAR1", "val1")], "9.1");
        assert_eq!(
            l.root.get("a").unwrap().display(),
            "pre-val1-mid-default2-post"
        );
        assert_eq!(l.root.get("c").unwrap().display(), "[val1]");
        let missing: Vec<_> = l
            .issues
            .iter()
            .filter_map(|i| match i {
                LoadIssue::MissingEnv { name, at, .. } => Some((name.clone(), at.unwrap().span)),
                _ => None,
            })
            .collect();
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].0, "MISSING");
        // The location is the reference itself, not the whole value.
        assert_eq!(missing[0].1.start, crate::source::Pos::new(2, 4));
    }

    #[test]
    fn an_unset_variable_in_an_overridden_value_still_fails() {
        // Kibana substitutes while listing entries, before later files override them.
        let (l, _) = load_texts(&["a: ${NOPE}\n", "a: fine\n"], &[], "9.1");
        assert!(
            l.issues
                .iter()
                .any(|i| matches!(i, LoadIssue::MissingEnv { .. }))
        );
    }

    #[test]
    fn forbidden_paths_are_reported() {
        let (l, _) = load_texts(&["a.__proto__.b: 1\n"], &[], "9.1");
        assert!(
            matches!(&l.issues[0], LoadIssue::ForbiddenPath { path, .. } if path.to_string() == "a.__proto__")
        );
    }

    #[test]
    fn overriding_in_one_file_is_recorded_with_both_places() {
        let (l, _) = load_texts(
            &["xpack.actions.proxyUrl: http://a:1\nxpack:\n  actions:\n    proxyUrl: http://b:1\n"],
            &[],
            "9.1",
        );
        let o = l
            .issues
            .iter()
            .find_map(|i| match i {
                LoadIssue::Overridden {
                    earlier, later, by, ..
                } => Some((earlier.key, later.key, *by)),
                _ => None,
            })
            .unwrap();
        assert_eq!(o.2, OverrideSource::SameFile);
        assert_eq!(o.0.unwrap().span.start.line, 1);
        assert_eq!(o.1.unwrap().span.start.line, 4);
    }

    #[test]
    fn list_and_scalar_documents_yield_nothing() {
        let (l, _) = load_texts(&["- a\n- b\n"], &[], "9.1");
        assert!(matches!(
            l.issues[0],
            LoadIssue::NotAMapping {
                found: "a list",
                ..
            }
        ));
        assert!(l.root.as_map().unwrap().is_empty());
    }

    #[test]
    fn commented_settings_are_found() {
        let (l, _) = load_texts(
            &["a: 1\n#xpack.encryptedSavedObjects.encryptionKey: \"x\"\n  # not: a setting\n"],
            &[],
            "9.1",
        );
        assert_eq!(l.commented.len(), 1);
        assert_eq!(
            l.commented[0].key,
            "xpack.encryptedSavedObjects.encryptionKey"
        );
        assert_eq!(l.commented[0].at.span.start, crate::source::Pos::new(2, 2));
    }
}
