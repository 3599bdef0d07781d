//! Turns the rule documents under `rules/<module>/<rule-name>.md` into a `Rule` enum and a static
//! metadata table, so code refers to rules by a checked name and the same text feeds `explain`,
//! the generated docs and SARIF. A malformed rule document fails the build with its path.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    severity: String,
    summary: String,
    kibana: String,
    /// The rule judges what `check` learns from the network or a running Kibana, so it has no
    /// offline fixture (rules of live modules are live anyway).
    #[serde(default)]
    live: bool,
}

struct RuleDoc {
    front: FrontMatter,
    name: String,
    module_dir: String,
    body: String,
    path: PathBuf,
}

/// Module folders, in the order modules run and are reported.
const MODULES: &[&str] = &[
    "config",
    "connector-type",
    "allowed-hosts",
    "custom-host-settings",
    "proxy",
    "encryption-key",
    "connector",
    "dns",
    "tcp",
    "proxy-tunnel",
    "tls",
    "kibana-api",
    "deploy",
    "diagnose",
];

/// The commit the binary is built from, for `--version`: `KP_GIT_COMMIT` (set by a release
/// build), else the one `cargo package` recorded (`.cargo_vcs_info.json`, in a crate from
/// crates.io), else git's, else "unknown" (a wheel or source tree outside the repository).
fn git_commit() -> String {
    println!("cargo:rerun-if-env-changed=KP_GIT_COMMIT");
    if let Ok(c) = std::env::var("KP_GIT_COMMIT") {
        return c;
    }
    let packaged = fs::read_to_string(".cargo_vcs_info.json")
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.pointer("/git/sha1")?.as_str().map(str::to_string));
    if let Some(sha) = packaged {
        return sha.chars().take(12).collect();
    }
    if Path::new(".git").exists() {
        println!("cargo:rerun-if-changed=.git/HEAD");
        println!("cargo:rerun-if-changed=.git/refs/heads");
    }
    std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// The parts of the settings table (rules/data/settings/), in the order their rows are listed.
const SETTINGS_PARTS: &[&str] = &[
    "xpack.toml",
    "server.toml",
    "elasticsearch.toml",
    "core.toml",
    "fleet.toml",
    "reporting.toml",
    "security.toml",
    "security-solution.toml",
    "ml.toml",
    "enterprise-search.toml",
    "ui-telemetry.toml",
    "monitoring.toml",
    "alerting.toml",
    "observability.toml",
    "small-plugins.toml",
    "plugins.toml",
];

/// Columns of the table the tool does not read (rules/data/settings/README.md). `doc` goes to a
/// file of its own, read only for the JSON Schemas.
const RESEARCH_COLUMNS: &[&str] = &[
    "source",
    "confidence",
    "errors",
    "context",
    "warning",
    "warning_when",
    "backported",
];

/// The settings table as one JSON array in OUT_DIR: parsed at run time in a fraction of what
/// the TOML costs (which would be most of a one-file lint's start-up).
fn settings_table(root: &Path) {
    let dir = root.join("rules/data/settings");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut rows: Vec<toml::Value> = Vec::new();
    let mut docs: std::collections::BTreeMap<String, String> = Default::default();
    for part in SETTINGS_PARTS {
        let path = dir.join(part);
        for mut row in toml_rows(&path, "setting") {
            let fields = row
                .as_table_mut()
                .unwrap_or_else(|| panic!("{}: a row that is not a table", path.display()));
            // Every row cites where its behaviour comes from; the citation and the research
            // columns stay in the TOML, out of the binary (the tool reads none of them).
            if !fields.contains_key("source") {
                panic!("{}: {:?} has no source", path.display(), fields.get("key"));
            }
            for research in RESEARCH_COLUMNS {
                fields.remove(*research);
            }
            if let Some(toml::Value::String(doc)) = fields.remove("doc")
                && let Some(toml::Value::String(key)) = fields.get("key")
            {
                docs.insert(key.clone(), doc);
            }
            rows.push(row);
        }
    }
    // The row count lets the loader allocate once (a row is a large struct; growing the vector
    // copied them all about ten times).
    println!("cargo:rustc-env=KP_SETTINGS_ROWS={}", rows.len());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    for (name, json) in [
        ("settings.json", serde_json::to_string(&rows)),
        ("settings-docs.json", serde_json::to_string(&docs)),
    ] {
        let json = json.expect("TOML values serialise as JSON");
        let out = out_dir.join(name);
        fs::write(&out, json).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    }
}

/// The `[[name]]` rows of the TOML file at `path`.
fn toml_rows(path: &Path, name: &str) -> Vec<toml::Value> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut table: toml::Table = text
        .parse()
        .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", path.display()));
    match table.remove(name) {
        Some(toml::Value::Array(rows)) => rows,
        _ => panic!("{}: no [[{name}]] rows", path.display()),
    }
}

/// The config roots (rules/data/config-roots.toml) as one path per line in OUT_DIR: the TOML,
/// with a source per root, took milliseconds to parse at start-up.
fn config_roots(root: &Path) {
    let path = root.join("rules/data/config-roots.toml");
    println!("cargo:rerun-if-changed={}", path.display());
    let mut lines = String::new();
    for r in &toml_rows(&path, "root") {
        let (Some(toml::Value::String(p)), Some(toml::Value::String(_)), Some(_)) =
            (r.get("path"), r.get("source"), r.get("kind"))
        else {
            panic!(
                "{}: {r:?} needs a path, a kind and a source",
                path.display()
            );
        };
        lines.push_str(p);
        lines.push('\n');
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("config-roots.txt");
    fs::write(&out, lines).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}

fn main() {
    println!("cargo:rustc-env=KP_GIT_COMMIT={}", git_commit());
    config_roots(&PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()));
    settings_table(&PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()));
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let rules_dir = root.join("rules");
    println!("cargo:rerun-if-changed=rules");

    let mut docs = Vec::new();
    for module in MODULES {
        let dir = rules_dir.join(module);
        println!("cargo:rerun-if-changed={}", dir.display());
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        paths.sort();
        for path in paths {
            println!("cargo:rerun-if-changed={}", path.display());
            docs.push(parse(&path, module));
        }
    }
    for entry in fs::read_dir(&rules_dir).expect("rules/ exists") {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name != "data" && !MODULES.contains(&name.as_str()) {
                panic!("rules/{name}/ is not a known check module (known: {MODULES:?})");
            }
        }
    }
    docs.sort_by(|a, b| a.front.id.cmp(&b.front.id));

    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    for d in &docs {
        if !ids.insert(d.front.id.clone()) {
            panic!("duplicate rule id {} ({})", d.front.id, d.path.display());
        }
        if !names.insert(d.name.clone()) {
            panic!("duplicate rule name {} ({})", d.name, d.path.display());
        }
    }

    let mut out = String::from("// @generated by build.rs from rules/*/*.md; do not edit.\n\n");
    out.push_str("/// Every rule the tool knows, one variant per file under `rules/`.\n");
    out.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]\n");
    out.push_str("pub enum Rule {\n");
    for d in &docs {
        writeln!(
            out,
            "    /// `{}` {}: {}",
            d.front.id, d.name, d.front.summary
        )
        .unwrap();
        writeln!(out, "    {},", pascal(&d.name)).unwrap();
    }
    out.push_str("}\n\n");
    out.push_str(
        "impl Rule {\n    /// All rules, ordered by id.\n    pub const ALL: &'static [Rule] = &[\n",
    );
    for d in &docs {
        writeln!(out, "        Rule::{},", pascal(&d.name)).unwrap();
    }
    out.push_str("    ];\n}\n\n");
    out.push_str("static RULE_META: &[RuleMeta] = &[\n");
    for d in &docs {
        let sev = match d.front.severity.as_str() {
            "error" => "Error",
            "warning" => "Warning",
            "note" => "Note",
            other => panic!("{}: unknown severity {other:?}", d.path.display()),
        };
        writeln!(
            out,
            "    RuleMeta {{ rule: Rule::{variant}, id: {id:?}, name: {name:?}, module: Module::{module}, \
             severity: Severity::{sev}, summary: {summary:?}, kibana: {kibana:?}, doc: {body:?}, \
             path: {path:?}, live: {live} }},",
            variant = pascal(&d.name),
            id = d.front.id,
            name = d.name,
            module = pascal(&d.module_dir),
            summary = d.front.summary.trim(),
            kibana = d.front.kibana.trim(),
            body = d.body.trim(),
            path = format!("rules/{}/{}.md", d.module_dir, d.name),
            live = d.front.live,
        )
        .unwrap();
    }
    out.push_str("];\n");

    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("rules.rs");
    fs::write(dest, out).unwrap();
}

fn parse(path: &Path, module: &str) -> RuleDoc {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = text.replace("\r\n", "\n");
    let rest = text.strip_prefix("+++\n").unwrap_or_else(|| {
        panic!(
            "{}: must start with a +++ front matter block",
            path.display()
        )
    });
    let (front, body) = rest
        .split_once("\n+++\n")
        .unwrap_or_else(|| panic!("{}: front matter is not closed with +++", path.display()));
    let front: FrontMatter =
        toml::from_str(front).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_stem().unwrap().to_string_lossy().to_string();
    let valid_name = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid_name {
        panic!("{}: rule file names are kebab-case", path.display());
    }
    let valid_id = front.id.len() == 5
        && front.id.starts_with("KP")
        && front.id[2..].chars().all(|c| c.is_ascii_digit());
    if !valid_id {
        panic!("{}: rule ids look like KP123", path.display());
    }
    let first = front.summary.chars().next().unwrap_or('A');
    if first.is_uppercase() || front.summary.trim_end().ends_with('.') {
        panic!(
            "{}: summaries start lower-case and have no final period",
            path.display()
        );
    }
    RuleDoc {
        front,
        name,
        module_dir: module.to_string(),
        body: body.to_string(),
        path: path.to_path_buf(),
    }
}

fn pascal(kebab: &str) -> String {
    kebab
        .split('-')
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}
