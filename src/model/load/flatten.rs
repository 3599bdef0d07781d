//! One file's YAML into entries, as `kbn-config` lists them: keys split on `.` unless written
//! `[a.b]`, `${VAR}` substituted in strings, keys inside leaf values split from 8.15.1.

use super::comments::commented_settings;
use super::merge::lodash_set;
use super::{Entry, LoadInputs, LoadIssue, Loaded};
use crate::model::tree::{Map, Node, SettingPath, Text, Value};
use crate::source::env::{Env, RefSyntax, Resolution, substitute};
use crate::source::scalar::Scalar;
use crate::source::yaml::{Yaml, YamlKind};
use crate::source::{FileId, Location, Origin, SourceMap, Span};
use crate::version::Version;

/// Each file's settings as Kibana lists them (`listEntries`), in file order; a file that is not
/// a kibana.yml is reported and left out.
pub(super) fn flatten_files(
    inputs: &LoadInputs,
    sources: &SourceMap,
    env: &Env,
    version: Version,
    loaded: &mut Loaded,
) -> Vec<Entry> {
    let mut entries = Vec::new();
    let syntax = if version.env_defaults() {
        RefSyntax::WithDefault
    } else {
        RefSyntax::NameOnly
    };
    let issues = &mut loaded.issues;
    for y in &inputs.yaml {
        loaded.commented.extend(commented_settings(sources, y.file));
        let parsed = match &y.content {
            Ok(p) => p,
            Err(issue) => {
                issues.push(LoadIssue::Content {
                    file: y.file,
                    issue: issue.clone(),
                });
                loaded.incomplete = true;
                continue;
            }
        };
        issues.extend(parsed.issues.iter().map(|i| LoadIssue::Yaml {
            file: y.file,
            issue: i.clone(),
        }));
        loaded.incomplete |= parsed.incomplete;
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
            loaded.incomplete = true;
            continue;
        }
        let mut flattener = Flattener {
            file: y.file,
            sources,
            env,
            syntax,
            split_in_values: version.splits_keys_in_values(),
            issues,
            entries: &mut entries,
        };
        if version.entry_loader() {
            flattener.list_entries(root, Vec::new(), None);
        } else {
            flattener.legacy_entries(root, Vec::new(), None);
        }
    }

    entries
}

/// Recognises a Compose file (`services:` with `image:`s) or a Kubernetes manifest
/// (`apiVersion:` and `kind:`) or a Helm chart's values by its top-level keys.
pub(super) fn foreign_document(root: &Yaml) -> Option<(&'static str, Span)> {
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
    if let Some(span) = crate::source::embedded::helm_values_key(pairs) {
        return Some(("a Helm chart's values file", span));
    }
    None
}

pub(super) fn path_of(segs: &[String]) -> SettingPath {
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
pub(super) fn is_index(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'))
        && s.len() < 16
}

/// kbn-config `splitKey`: `[a.b]` is one key, anything else splits on `.`.
pub(super) fn split_key(key: &str) -> Vec<String> {
    match unsplittable(key) {
        Some(k) => vec![k.to_string()],
        None => key.split('.').map(str::to_string).collect(),
    }
}

pub(super) fn unsplittable(key: &str) -> Option<&str> {
    (key.len() >= 2 && key.starts_with('[') && key.ends_with(']')).then(|| &key[1..key.len() - 1])
}

pub(super) struct Flattener<'a> {
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
        // Kibana stops at the first unknown variable: one finding per variable (and per literal
        // text) in a value is enough, and keeps a value of 20,000 `${A}` linear.
        let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
        for r in &s.refs {
            if r.resolution == Resolution::Missing && seen.insert(r.name.as_str()) {
                let needle = &text[r.range.clone()];
                let at = Some(Location {
                    file: id,
                    span: file.find_in(span, needle).unwrap_or(span),
                });
                self.issues.push(LoadIssue::MissingEnv {
                    name: r.name.clone(),
                    path: path.clone(),
                    at,
                });
            }
        }
        for l in &s.literals {
            if !seen.insert(l.text.as_str()) {
                continue;
            }
            let at = Some(Location {
                file: id,
                span: file.find_in(span, &l.text).unwrap_or(span),
            });
            self.issues.push(LoadIssue::LiteralEnv {
                literal: Box::new(l.clone()),
                path: path.clone(),
                at,
            });
        }
        Text {
            value: s.value,
            env: s.refs,
        }
    }
}
