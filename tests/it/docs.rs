//! docs/rules/ is generated from rules/: one page per rule and an index. This test fails when a
//! page is stale; `UPDATE_DOCS=1 cargo test --test it docs` rewrites them.

use kibana_preflight::rules::{Module, Rule};

fn page(rule: Rule) -> String {
    let m = rule.meta();
    format!(
        "<!-- Generated from {path} by `UPDATE_DOCS=1 cargo test --test it docs`; edit the source. -->\n\
         # {id} {name}\n\n\
         | module | default severity | source |\n|---|---|---|\n| `{module}` | {sev} | [{path}](../../{path}) |\n\n\
         {summary}.\n\n\
         **Kibana:** {kibana}\n\n\
         {doc}\n\n\
         Run `kibana-preflight explain {name}` for this page in the terminal.\n",
        path = m.path,
        id = m.id,
        name = m.name,
        module = m.module,
        sev = m.severity,
        summary = capitalised(m.summary),
        kibana = m.kibana,
        doc = m.doc,
    )
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn index() -> String {
    let mut s = String::from(
        "<!-- Generated from rules/ by `UPDATE_DOCS=1 cargo test --test it docs`; edit the sources. -->\n\
         # Rules\n\nEvery finding comes from one of these rules. Severities: **error** — Kibana refuses \
         to start or the webhook connector cannot work; **warning** — Kibana starts but behaves \
         differently than the configuration suggests; **note** — worth knowing.\n",
    );
    for module in Module::ALL {
        s.push_str(&format!(
            "\n## {module}\n\n| id | name | severity | summary |\n|---|---|---|---|\n"
        ));
        for r in Rule::of_module(*module) {
            let m = r.meta();
            s.push_str(&format!(
                "| {} | [{}]({}.md) | {} | {} |\n",
                m.id, m.name, m.name, m.severity, m.summary
            ));
        }
    }
    s
}

#[test]
fn rule_pages_are_up_to_date() {
    let dir = crate::support::root().join("docs/rules");
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut expected: Vec<(String, String)> = Rule::ALL
        .iter()
        .map(|r| (format!("{}.md", r.name()), page(*r)))
        .collect();
    expected.push(("README.md".into(), index()));
    if update {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            std::fs::remove_file(entry.unwrap().path()).unwrap();
        }
        for (name, content) in &expected {
            std::fs::write(dir.join(name), content).unwrap();
        }
        return;
    }
    let mut stale = Vec::new();
    for (name, content) in &expected {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(on_disk) if on_disk == *content => {}
            _ => stale.push(name.clone()),
        }
    }
    let extra: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !expected.iter().any(|(e, _)| e == n))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "docs/rules is stale (run `UPDATE_DOCS=1 cargo test --test it docs`): changed {stale:?}, extra {extra:?}"
    );
}

/// The JSON Schemas for editors, one per release line the table covers (`kibana-preflight
/// schema --kibana-version X` prints any other, pretty).
const SCHEMA_VERSIONS: &[&str] = &["7.17", "8.19", "9.0", "9.1", "9.2", "9.3", "9.4", "9.5"];

#[test]
fn json_schemas_are_up_to_date() {
    let dir = crate::support::root().join("docs/schema");
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for v in SCHEMA_VERSIONS {
        let out = crate::support::bin()
            .args(["schema", "--kibana-version", v])
            .output()
            .unwrap();
        assert!(out.status.success());
        let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        // One line per file: the schemas are generated, not read.
        let text = serde_json::to_string(&value).unwrap() + "\n";
        let path = dir.join(format!("kibana-{v}.json"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "docs/schema is stale (run `UPDATE_DOCS=1 cargo test --test it docs`): {stale:?}"
    );
}
