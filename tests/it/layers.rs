//! The layering of `src/` as docs/architecture.md's table writes it down: each top-level module
//! may import only the modules its row names. This test reads every `crate::` path in `src/` and
//! fails on an import the table does not allow, so a cycle cannot come back unnoticed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The table between the `<!-- layers -->` markers: `| \`module\` | \`a\`, \`b\` |`.
fn allowed() -> BTreeMap<String, BTreeSet<String>> {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    let start = doc
        .find("<!-- layers -->")
        .expect("docs/architecture.md has <!-- layers -->");
    let end = doc.find("<!-- /layers -->").expect("and <!-- /layers -->");
    let mut table = BTreeMap::new();
    for line in doc[start..end].lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let names = |cell: &str| -> BTreeSet<String> {
            cell.split(',')
                .filter_map(|n| n.trim().strip_prefix('`')?.strip_suffix('`'))
                .map(str::to_string)
                .collect()
        };
        let module = names(cells[1]).into_iter().next().expect("a module name");
        table.insert(module, names(cells[2]));
    }
    table
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The top-level modules one source file names through `crate::`, with `use crate::{a, b::c}`
/// groups read as `a` and `b`. Comments are dropped first.
fn imports(text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = code.as_str();
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let (mut depth, mut item) = (1usize, String::new());
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 || (depth == 1 && c == ',') {
                    found.insert(ident(&item));
                    item.clear();
                    if depth == 0 {
                        break;
                    }
                } else if depth == 1 {
                    item.push(c);
                }
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found.remove("");
    found
}

#[test]
fn imports_follow_the_layer_table() {
    let table = allowed();
    let mut wrong = Vec::new();
    for entry in walkdir::WalkDir::new(root().join("src")) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(root().join("src")).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(may) = table.get(&module) else {
            wrong.push(format!(
                "src/{module}: not in the table of docs/architecture.md"
            ));
            continue;
        };
        for used in imports(&std::fs::read_to_string(path).unwrap()) {
            if used != module && !may.contains(&used) {
                wrong.push(format!(
                    "src/{}: imports `{used}`, which `{module}` may not",
                    rel.display()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_layer_table_has_no_cycle() {
    let table = allowed();
    // Depth-first search from every module; a module met again on the current path is a cycle.
    fn visit<'a>(
        m: &'a str,
        table: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<String> {
        if let Some(i) = path.iter().position(|p| *p == m) {
            return Some(format!("{} → {m}", path[i..].join(" → ")));
        }
        if !done.insert(m) {
            return None;
        }
        path.push(m);
        for next in table.get(m).into_iter().flatten() {
            if let Some(cycle) = visit(next, table, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for m in table.keys() {
        if let Some(cycle) = visit(m, &table, &mut Vec::new(), &mut done) {
            panic!("the layer table has a cycle: {cycle}");
        }
    }
}

#[test]
fn grouped_and_nested_imports_are_read() {
    let found = imports("use crate::{a::b, c::{d, e}};\n// crate::f\nlet x = crate::g::h();");
    assert_eq!(
        found,
        ["a", "c", "g"].iter().map(|s| s.to_string()).collect()
    );
}
