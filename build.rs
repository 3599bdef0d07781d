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
    "plugin-roots.toml",
    "serverless.toml",
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

/// The settings table as Rust in OUT_DIR (`settings.rs`: a static array of `Spec`), so the
/// tool parses nothing at start-up; each row's `doc` goes to `settings-docs.json`, read only for
/// the JSON Schemas. A field the struct does not have, a wrong value type or a default that is
/// not JSON stops the build.
fn settings_table(root: &Path) {
    let dir = root.join("rules/data/settings");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut code = String::new();
    let mut count = 0;
    let mut docs: std::collections::BTreeMap<String, String> = Default::default();
    let mut keys: std::collections::HashSet<String> = Default::default();
    for part in SETTINGS_PARTS {
        let path = dir.join(part);
        for row in toml_rows(&path, "setting") {
            let mut fields = match row {
                toml::Value::Table(t) => t,
                _ => panic!("{}: a row that is not a table", path.display()),
            };
            let key = match fields.get("key") {
                Some(toml::Value::String(k)) => k.clone(),
                _ => panic!("{}: a row without a key", path.display()),
            };
            let at = format!("{}: {key}", path.display());
            // One row per key: the table indexes rows by key, so a second would shadow the first.
            if !keys.insert(key.clone()) {
                panic!("{at}: a second row for the same key");
            }
            // Every row cites where its behaviour comes from; the citation and the research
            // columns stay in the TOML, out of the binary (the tool reads none of them).
            if !fields.contains_key("source") {
                panic!("{at}: no source");
            }
            for research in RESEARCH_COLUMNS {
                fields.remove(*research);
            }
            if let Some(toml::Value::String(doc)) = fields.remove("doc") {
                docs.insert(key.clone(), doc);
            }
            code.push_str(&spec_literal(&at, fields));
            count += 1;
        }
    }
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let rust = format!(
        "/// rules/data/settings/*.toml, in `SETTINGS_PARTS` order (build.rs).\nstatic ROWS: [Spec; {count}] = [\n{code}];\n"
    );
    let docs = serde_json::to_string(&docs).expect("strings serialise as JSON");
    for (name, text) in [("settings.rs", rust), ("settings-docs.json", docs)] {
        let out = out_dir.join(name);
        fs::write(&out, text).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    }
}

/// One row as a `Spec` literal (src/kibana/schema/spec.rs), every field written out.
fn spec_literal(at: &str, mut f: toml::Table) -> String {
    // A key back after a removal: `readded` and `readded_maybe` need `removed`.
    let has = |name: &str| f.contains_key(name);
    if (has("readded") || has("readded_maybe")) && !has("removed") {
        panic!("{at}: readded/readded_maybe need removed");
    }
    // A key is Serverless-only always or from a release, not both.
    if has("serverless_only") && has("serverless_only_from") {
        panic!("{at}: serverless_only and serverless_only_from exclude each other");
    }
    if has("serverless_only_until") && !has("serverless_only_from") {
        panic!("{at}: serverless_only_until needs serverless_only_from");
    }
    // A completeness window is a namespace's, or an object's whose keys are known only for some
    // releases (a Fleet preconfiguration item), and `complete_through` closes one that has a
    // start (an open row has no window; one complete throughout needs no end).
    let namespace = f.get("namespace").and_then(toml::Value::as_bool) == Some(true);
    let object = f.get("type").and_then(toml::Value::as_str) == Some("object") || has("union_from");
    if (has("complete_from") || has("complete_through")) && !namespace && !object
        || has("complete_through") && !has("complete_from")
        || has("complete_from") && has("open")
    {
        panic!(
            "{at}: complete_from/complete_through belong on a namespace or object row that is not open (complete_through needs complete_from)"
        );
    }
    // A plugin without a schema is a namespace's fact, and its end needs its start.
    if (has("no_schema_from") || has("no_schema_until")) && !namespace
        || has("no_schema_until") && !has("no_schema_from")
    {
        panic!(
            "{at}: no_schema_from/no_schema_until belong on a namespace row (no_schema_until needs no_schema_from)"
        );
    }
    if let (Some(from), Some(through)) = (f.get("complete_from"), f.get("complete_through")) {
        let parts = |v: &toml::Value, name| version_parts(at, name, v.as_str().unwrap_or_default());
        if parts(from, "complete_from") > parts(through, "complete_through") {
            panic!("{at}: complete_through is older than complete_from");
        }
    }
    // `only`: the one boolean a self-managed Kibana accepts (a literal, or a validate refusing the
    // other value).
    if let Some(only) = f.get("only")
        && (f.get("type").and_then(|t| t.as_str()) != Some("boolean")
            || !matches!(only.as_str(), Some("true" | "false")))
    {
        panic!("{at}: only is \"true\" or \"false\", on a boolean");
    }
    let mut take = |name: &str| f.remove(name);
    let text = |v: Option<toml::Value>, name: &str| -> Option<String> {
        v.map(|v| match v {
            toml::Value::String(s) => s,
            other => panic!("{at}: {name} is not a string: {other}"),
        })
    };
    let string = |s: Option<String>| match s {
        Some(s) => format!("Some({s:?})"),
        None => "None".into(),
    };
    let boolean = |v: Option<toml::Value>, name: &str| match v {
        None => false,
        Some(toml::Value::Boolean(b)) => b,
        Some(other) => panic!("{at}: {name} is not a boolean: {other}"),
    };
    let usize_ = |v: Option<toml::Value>, name: &str| match v {
        None => "None".to_string(),
        Some(toml::Value::Integer(i)) if i >= 0 => format!("Some({i})"),
        Some(other) => panic!("{at}: {name} is not a count: {other}"),
    };
    let float = |v: Option<toml::Value>, name: &str| match v {
        None => "None".to_string(),
        Some(toml::Value::Integer(i)) => format!("Some({i}f64)"),
        Some(toml::Value::Float(x)) => format!("Some({x:?}f64)"),
        Some(other) => panic!("{at}: {name} is not a number: {other}"),
    };
    let version = |v: Option<String>, name: &str| match v {
        None => "None".to_string(),
        Some(v) => format!("Some({})", version_literal(at, name, &v)),
    };
    let json = |s: &str, name: &str| {
        if serde_json::from_str::<serde_json::Value>(s).is_err() {
            panic!("{at}: {name} {s:?} is not JSON");
        }
    };
    let ty = match text(take("type"), "type").as_deref() {
        Some("object") => "Object",
        Some("record") => "Record",
        Some("array") => "Array",
        Some("string") => "String",
        Some("enum") => "Enum",
        Some("boolean") => "Boolean",
        Some("number") => "Number",
        Some("byte_size") => "ByteSize",
        Some("duration") => "Duration",
        Some("string_or_array") => "StringOrArray",
        Some("array_or_object") => "ArrayOrObject",
        Some("one_of") => "OneOf",
        Some("any") => "Any",
        other => panic!("{at}: unknown type {other:?}"),
    };
    let key = text(take("key"), "key").unwrap();
    let default = text(take("default"), "default");
    if let Some(d) = &default {
        json(d, "default");
    }
    let values = match take("values") {
        None => Vec::new(),
        Some(toml::Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                toml::Value::String(s) => format!("{s:?}"),
                other => panic!("{at}: a value that is not a string: {other}"),
            })
            .collect(),
        Some(other) => panic!("{at}: values is not a list: {other}"),
    };
    // Values a later release added to an enum (`type: logstash` from 8.2): value -> release.
    let values_since: Vec<String> = match take("values_since") {
        None => Vec::new(),
        Some(toml::Value::Table(t)) => t
            .into_iter()
            .map(|(value, v)| {
                if !values.contains(&format!("{value:?}")) {
                    panic!("{at}: values_since names {value:?}, which is not in values");
                }
                match v {
                    toml::Value::String(v) => {
                        format!("({value:?}, {})", version_literal(at, "values_since", &v))
                    }
                    other => panic!("{at}: values_since.{value} is not a version: {other}"),
                }
            })
            .collect(),
        Some(other) => panic!("{at}: values_since is not a table: {other}"),
    };
    let mut defaults: Vec<((u32, u32, u32), String)> = match take("defaults") {
        None => Vec::new(),
        Some(toml::Value::Table(t)) => t
            .into_iter()
            .map(|(v, d)| match d {
                // Not always JSON: `Infinity` stands for a default with no fixed value.
                toml::Value::String(d) => (version_parts(at, "defaults", &v), d),
                other => panic!("{at}: defaults.{v} is not a string: {other}"),
            })
            .collect(),
        Some(other) => panic!("{at}: defaults is not a table: {other}"),
    };
    defaults.sort();
    let defaults: Vec<String> = defaults
        .iter()
        .map(|((a, b, c), d)| format!("(Version::new({a}, {b}, {c}), {d:?})"))
        .collect();
    // Documentation columns the tool does not read.
    take("url");
    let mut out = format!("    Spec {{\n        key: {key:?},\n        ty: Type::{ty},\n");
    let mut line = |name: &str, value: String| {
        let _ = writeln!(out, "        {name}: {value},");
    };
    line("default", string(default));
    line(
        "required",
        boolean(take("required"), "required").to_string(),
    );
    line("values", format!("&[{}]", values.join(", ")));
    line("values_since", format!("&[{}]", values_since.join(", ")));
    for name in ["min_length", "min_size", "max_size"] {
        line(name, usize_(take(name), name));
    }
    for name in ["nullable", "allow_false"] {
        line(name, boolean(take(name), name).to_string());
    }
    line(
        "boolean_shorthand",
        string(text(take("boolean_shorthand"), "boolean_shorthand")),
    );
    line("defaults", format!("&[{}]", defaults.join(", ")));
    for name in ["min", "max"] {
        line(name, float(take(name), name));
    }
    for name in [
        "added",
        "added_maybe",
        "removed",
        "removed_maybe",
        "readded",
        "readded_maybe",
        "deprecated",
    ] {
        line(name, version(text(take(name), name), name));
    }
    for name in [
        "replacement",
        "deprecation",
        "removal",
        "moves_to",
        "forbidden_value",
    ] {
        line(name, string(text(take(name), name)));
    }
    // A deprecation that fires only on some values (`logging.quiet` when truthy, 7.x;
    // `elasticsearch.logQueries` when `true`).
    let when = text(take("deprecated_when"), "deprecated_when");
    if when
        .as_deref()
        .is_some_and(|w| w != "truthy" && w != "true")
    {
        panic!("{at}: deprecated_when is \"truthy\" or \"true\"");
    }
    line("deprecated_when", string(when));
    line(
        "forbidden_from",
        version(
            text(take("forbidden_from"), "forbidden_from"),
            "forbidden_from",
        ),
    );
    line(
        "forbidden_message",
        string(text(take("forbidden_message"), "forbidden_message")),
    );
    line("secret", boolean(take("secret"), "secret").to_string());
    // `serverless_only = true`: refused on self-managed Kibana in every version;
    // `serverless_only_from = "8.10"`: from that release on (a switch that was plain before).
    let serverless_from = version(
        text(take("serverless_only_from"), "serverless_only_from"),
        "serverless_only_from",
    );
    line(
        "serverless_only",
        if boolean(take("serverless_only"), "serverless_only") {
            "Some(Version::OLDEST)".to_string()
        } else {
            serverless_from
        },
    );
    line(
        "serverless_only_until",
        version(
            text(take("serverless_only_until"), "serverless_only_until"),
            "serverless_only_until",
        ),
    );
    line("checked_by", string(text(take("checked_by"), "checked_by")));
    line("format", string(text(take("format"), "format")));
    let open = boolean(take("open"), "open");
    line("open", open.to_string());
    // Kibana reads nothing inside (`object({}, { unknowns: 'allow' })` passed on as is): what is
    // written there is accepted, so judged, not "not judged". Only an open row can be.
    let free_form = boolean(take("free_form"), "free_form");
    if free_form && !open {
        panic!("{at}: free_form is for an open row");
    }
    line("free_form", free_form.to_string());
    // A union of objects may name the key whose literal picks the branch (without one, the
    // branches are tried in order); nothing else has one.
    let tag = text(take("tag"), "tag");
    if tag.is_some() && ty != "OneOf" {
        panic!("{at}: only a one_of row has a tag");
    }
    // A union that was one object before a release (Fleet's preconfigured output, a oneOf by
    // `type` from 8.10): before `union_from` its keys are the row's own children.
    let union_from = text(take("union_from"), "union_from");
    if union_from.is_some() && (ty != "OneOf" || tag.is_none()) {
        panic!("{at}: only a one_of row with a tag has a union_from");
    }
    line("union_from", version(union_from, "union_from"));
    line("tag", string(tag));
    line(
        "namespace",
        boolean(take("namespace"), "namespace").to_string(),
    );
    line(
        "only",
        text(take("only"), "only").map_or("None".into(), |v| format!("Some({v})")),
    );
    line(
        "only_message",
        string(text(take("only_message"), "only_message")),
    );
    for name in [
        "complete_from",
        "complete_through",
        "unowned_from",
        "no_schema_from",
        "no_schema_until",
    ] {
        line(name, version(text(take(name), name), name));
    }
    line("parsed_default", "OnceLock::new()".into());
    line("parsed_defaults", "OnceLock::new()".into());
    if let Some(name) = f.keys().next() {
        panic!("{at}: the table has no field {name:?} (rules/data/settings/README.md)");
    }
    out.push_str("    },\n");
    out
}

/// A table version: "8.3" means from 8.3.0 (src/version.rs reads it the same way).
fn version_parts(at: &str, name: &str, v: &str) -> (u32, u32, u32) {
    let mut parts = v.split('.').map(|p| {
        p.parse::<u32>()
            .unwrap_or_else(|_| panic!("{at}: {name} {v:?} is not a version"))
    });
    let major = parts
        .next()
        .unwrap_or_else(|| panic!("{at}: {name} is empty"));
    let (minor, patch) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if parts.next().is_some() {
        panic!("{at}: {name} {v:?} is not a version");
    }
    (major, minor, patch)
}

fn version_literal(at: &str, name: &str, v: &str) -> String {
    let (a, b, c) = version_parts(at, name, v);
    format!("Version::new({a}, {b}, {c})")
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
