//! lodash `set` and `merge` as Kibana's config loader uses them, recording every overridden value.

use super::flatten::is_index;
use super::flatten::path_of;
use super::{Entry, LoadIssue, OverrideSource};
use crate::model::tree::{Node, SettingPath, Value};
use crate::source::Origin;
use crate::version::Version;

/// The entries applied in order with lodash `set`: the later one wins, and a forbidden key
/// (`__proto__`, …) stops Kibana.
pub(super) fn apply_entries(
    entries: Vec<Entry>,
    version: Version,
    issues: &mut Vec<LoadIssue>,
) -> Node {
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
    root
}

/// lodash `set(object, path, value)`: creates missing parents (an array when the next key is an
/// index), replaces non-object parents, and overwrites the last key. `replaced` hears about every
/// value that was thrown away.
pub(super) fn lodash_set(
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
                // Before 8.14 a list is built from one entry per item: it has no place of its
                // own, so it takes the key its first item was written under.
                let mut list = Node::new(Value::Seq(Vec::new()), Origin::Default);
                list.key = value.key;
                list
            } else {
                Node::map()
            };
        }
        current = slot;
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum MergeArrays {
    /// `_.mergeWith(…, mergeAndReplaceArrays)`: CLI options replace arrays.
    Replace,
    /// `_.merge`: the keystore merges arrays index by index.
    ByIndex,
}

/// lodash `merge`/`mergeWith`: objects merge key by key, everything else is replaced.
pub(super) fn merge_into(
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
