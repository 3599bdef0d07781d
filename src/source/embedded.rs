//! kibana.yml where it really lives: a Docker Compose service, an ECK `Kibana` resource, a
//! Kubernetes ConfigMap's `kibana.yml` key, the elastic/kibana Helm chart's values. Each is
//! recognised by its content and its Kibana configuration extracted with positions in the file
//! the user edits: a mapping inside the file keeps its own spans, a `|` block string is parsed
//! and its spans shifted by the block's first line and indentation, which is exact for a literal
//! block.
//!
//! What Kibana does with each, and the sources: docs/kibana-behaviour.md ("Where kibana.yml lives").

use super::env::{EnvEntry, parse_env_file};
use super::yaml::{ParsedYaml, Yaml, YamlIssue, YamlKind};
use super::{FileId, Location, Pos, Span};

/// One Kibana configuration found in a container file.
#[derive(Debug)]
pub(crate) struct Embedded {
    /// What the file is ("a Docker Compose file").
    pub(crate) kind: &'static str,
    /// Which Kibana in it ("service kibana", "Kibana quickstart").
    pub(crate) instance: String,
    /// The name `--service` selects it by.
    pub(crate) name: String,
    /// The Kibana version the file names (image tag, `spec.version`).
    pub(crate) version: Option<String>,
    /// The kibana.yml it holds, parsed, with spans in this file.
    pub(crate) config: Option<ParsedYaml>,
    /// The container's environment (mapped to settings as the Docker image maps it), with
    /// the places the entries are written.
    pub(crate) env: Vec<EnvEntry>,
    /// Compose `env_file:` entries, as written (relative to the Compose file).
    pub(crate) env_files: Vec<String>,
    /// Host paths mounted as Kibana's kibana.yml, as written.
    pub(crate) mounted: Vec<String>,
    /// Settings set outside the file, values unknown here but present, and by what: the ECK
    /// operator's generated encryption keys, `spec.secureSettings` entries.
    pub(crate) provided: Vec<(String, String)>,
}

/// What a YAML file turned out to be.
#[derive(Debug)]
pub(crate) enum Container {
    /// One or more Kibana configurations.
    Kibana(Vec<Embedded>),
    /// A container format without a Kibana configuration (another service's Compose file, an
    /// Elasticsearch resource, another chart's values): not checked (the loader says so).
    Other,
}

/// The documents of a multi-document manifest, each parsed on its own (Kubernetes files hold
/// several; Kibana's own loader refuses a second document, which is right for a kibana.yml).
pub(crate) fn documents(text: &str, parse: &dyn Fn(&str) -> ParsedYaml) -> Vec<ParsedYaml> {
    let mut out = Vec::new();
    let mut start_line = 0u32;
    let mut chunk_start = 0usize;
    let mut offset = 0usize;
    for (line_no, line) in (0u32..).zip(text.split_inclusive('\n')) {
        let bare = line.trim_end();
        if bare == "---" || bare.starts_with("--- ") || bare.starts_with("---#") {
            if offset > chunk_start {
                out.push(shifted(parse(&text[chunk_start..offset]), start_line, 0));
            }
            chunk_start = offset + line.len();
            start_line = line_no + 1;
        }
        offset += line.len();
    }
    if offset > chunk_start {
        out.push(shifted(parse(&text[chunk_start..]), start_line, 0));
    }
    out
}

/// Recognises a container format among the documents of a file and extracts its Kibanas.
pub(crate) fn recognise(
    docs: &[ParsedYaml],
    text: &str,
    parse: &dyn Fn(&str) -> ParsedYaml,
) -> Option<Container> {
    let mut found = Vec::new();
    let mut other = false;
    for doc in docs {
        let Some(root) = &doc.root else { continue };
        let Some(pairs) = map(root) else { continue };
        if entry(pairs, "apiVersion").is_some()
            && let Some(kind) = get(pairs, "kind").and_then(text_of)
        {
            match kind.as_str() {
                "Kibana" if api_is(pairs, "kibana.k8s.elastic.co") => found.push(eck(root)),
                "ConfigMap" => match config_map(pairs, text, parse) {
                    Some(e) => found.push(e),
                    None => other = true,
                },
                "Deployment" | "StatefulSet" | "DaemonSet" | "Pod" => match workload(root, &kind) {
                    Some(e) => found.push(e),
                    None => other = true,
                },
                _ => other = true,
            }
            continue;
        }
        if let Some((_, value)) = entry(pairs, "services")
            && let Some(svcs) = map(value)
            && svcs.iter().any(|(_, s)| {
                map(s).is_some_and(|p| entry(p, "image").is_some() || entry(p, "build").is_some())
            })
        {
            let kibanas: Vec<Embedded> = svcs
                .iter()
                .filter_map(|(name, svc)| compose_service(&name.key_string(), svc))
                .collect();
            other |= kibanas.is_empty();
            found.extend(kibanas);
            continue;
        }
        if let Some(e) = helm_values(pairs, text, parse) {
            found.push(e);
            continue;
        }
        other |= helm_values_key(pairs).is_some();
    }
    if !found.is_empty() {
        Some(Container::Kibana(found))
    } else {
        other.then_some(Container::Other)
    }
}

fn map(node: &Yaml) -> Option<&[(Yaml, Yaml)]> {
    match &node.kind {
        YamlKind::Map(p) => Some(p),
        _ => None,
    }
}

fn seq(node: &Yaml) -> Option<&[Yaml]> {
    match &node.kind {
        YamlKind::Seq(s) => Some(s),
        _ => None,
    }
}

fn entry<'a>(pairs: &'a [(Yaml, Yaml)], key: &str) -> Option<&'a (Yaml, Yaml)> {
    pairs.iter().find(|(k, _)| k.key_string() == key)
}

fn get<'a>(pairs: &'a [(Yaml, Yaml)], key: &str) -> Option<&'a Yaml> {
    entry(pairs, key).map(|(_, v)| v)
}

fn path<'a>(node: &'a Yaml, keys: &[&str]) -> Option<&'a Yaml> {
    keys.iter().try_fold(node, |n, k| get(map(n)?, k))
}

/// A scalar as the string JavaScript (and a container runtime) would make of it.
fn text_of(node: &Yaml) -> Option<String> {
    match &node.kind {
        YamlKind::Scalar(_) => Some(node.key_string()),
        _ => None,
    }
}

fn api_is(pairs: &[(Yaml, Yaml)], group: &str) -> bool {
    get(pairs, "apiVersion")
        .and_then(text_of)
        .is_some_and(|a| a.starts_with(&format!("{group}/")))
}

/// The tag of a Kibana image (`docker.elastic.co/kibana/kibana:8.15.0` → `8.15.0`).
fn kibana_image_tag(image: &str) -> Option<Option<String>> {
    let (repo, tag) = match image.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r, Some(t)),
        _ => (image, None),
    };
    let name = repo.rsplit('/').next().unwrap_or(repo);
    if !name.starts_with("kibana") {
        return None;
    }
    let tag = tag
        .map(|t| t.split('@').next().unwrap_or(t))
        .filter(|t| t.chars().next().is_some_and(|c| c.is_ascii_digit()));
    Some(tag.map(str::to_string))
}

/// The path Kibana's Docker image reads kibana.yml from.
const IMAGE_CONFIG: &str = "/usr/share/kibana/config/kibana.yml";

/// A Compose service that runs Kibana: by its image, or by a kibana.yml mounted where the
/// image reads it.
fn compose_service(name: &str, svc: &Yaml) -> Option<Embedded> {
    let pairs = map(svc)?;
    let image = get(pairs, "image").and_then(text_of);
    let version = image.as_deref().and_then(kibana_image_tag);
    let mut mounted = Vec::new();
    for v in get(pairs, "volumes").and_then(seq).unwrap_or_default() {
        let (source, target) = match &v.kind {
            YamlKind::Scalar(_) => {
                let s = v.key_string();
                let mut parts = s.splitn(3, ':');
                match (parts.next(), parts.next()) {
                    (Some(src), Some(dst)) => (src.to_string(), dst.to_string()),
                    _ => continue,
                }
            }
            YamlKind::Map(p) => match (
                get(p, "source").and_then(text_of),
                get(p, "target").and_then(text_of),
            ) {
                (Some(s), Some(t)) => (s, t),
                _ => continue,
            },
            YamlKind::Seq(_) => continue,
        };
        if target == IMAGE_CONFIG {
            mounted.push(source);
        }
    }
    if version.is_none() && mounted.is_empty() {
        return None;
    }
    let env = match get(pairs, "environment") {
        Some(e) => compose_environment(e),
        None => Vec::new(),
    };
    let env_files = match get(pairs, "env_file") {
        Some(n) => match &n.kind {
            YamlKind::Scalar(_) => vec![n.key_string()],
            YamlKind::Seq(items) => items
                .iter()
                .filter_map(|i| match &i.kind {
                    YamlKind::Map(p) => get(p, "path").and_then(text_of),
                    _ => text_of(i),
                })
                .collect(),
            YamlKind::Map(_) => Vec::new(),
        },
        None => Vec::new(),
    };
    Some(Embedded {
        kind: "a Docker Compose file",
        instance: format!("service {name}"),
        name: name.to_string(),
        version: version.flatten(),
        config: None,
        env,
        env_files,
        mounted,
        provided: Vec::new(),
    })
}

/// `environment:` as a map (`KEY: value`) or a list (`- KEY=value`), with the places written.
/// A key without a value passes the host's value through, which is not known here.
fn compose_environment(node: &Yaml) -> Vec<EnvEntry> {
    let mut out = Vec::new();
    match &node.kind {
        YamlKind::Map(pairs) => {
            for (k, v) in pairs {
                let Some(value) = text_of(v).filter(|_| !matches!(&v.kind, YamlKind::Scalar(s) if matches!(s.value, super::scalar::Scalar::Null)))
                else {
                    continue;
                };
                out.push(EnvEntry {
                    key: k.key_string(),
                    value,
                    key_at: loc(k.span),
                    value_at: loc(v.span),
                });
            }
        }
        YamlKind::Seq(items) => {
            for item in items {
                let Some(line) = text_of(item) else { continue };
                let Some((key, value)) = line.split_once('=') else {
                    continue;
                };
                out.push(EnvEntry {
                    key: key.trim().to_string(),
                    value: value.to_string(),
                    key_at: loc(item.span),
                    value_at: loc(item.span),
                });
            }
        }
        YamlKind::Scalar(_) => {}
    }
    out
}

/// Locations here are filled in with the file's id by the caller ([`in_file`]).
fn loc(span: Span) -> Location {
    Location { file: 0, span }
}

/// Sets the file of every location of an extracted instance.
pub(crate) fn in_file(e: &mut Embedded, file: FileId) {
    for entry in &mut e.env {
        entry.key_at.file = file;
        entry.value_at.file = file;
    }
}

/// An ECK `Kibana` resource: `spec.config` is the kibana.yml, `spec.version` the version,
/// `spec.secureSettings` keystore entries, the Kibana container's `env` its environment.
fn eck(root: &Yaml) -> Embedded {
    let name = path(root, &["metadata", "name"])
        .and_then(text_of)
        .unwrap_or_else(|| "(unnamed)".into());
    let config = path(root, &["spec", "config"]).map(|c| ParsedYaml {
        root: Some(c.clone()),
        issues: Vec::new(),
        incomplete: false,
    });
    // The operator generates these keys and keeps them across changes (cloud-on-k8s
    // pkg/controller/kibana/config_settings.go `getOrCreateReusableSettings`; the saved-objects
    // key from 7.6.0); spec.config overrides them.
    let mut provided: Vec<(String, String)> = [
        "xpack.security.encryptionKey",
        "xpack.reporting.encryptionKey",
        "xpack.encryptedSavedObjects.encryptionKey",
    ]
    .iter()
    .map(|k| {
        (
            k.to_string(),
            "the ECK operator (64 random bytes, kept across changes)".to_string(),
        )
    })
    .collect();
    for s in path(root, &["spec", "secureSettings"])
        .and_then(seq)
        .unwrap_or_default()
    {
        let secret = path(s, &["secretName"])
            .and_then(text_of)
            .unwrap_or_default();
        for e in path(s, &["entries"]).and_then(seq).unwrap_or_default() {
            if let Some(k) = path(e, &["path"])
                .or_else(|| path(e, &["key"]))
                .and_then(text_of)
            {
                provided.push((k, format!("spec.secureSettings (secret {secret})")));
            }
        }
    }
    let mut env = Vec::new();
    for c in path(root, &["spec", "podTemplate", "spec", "containers"])
        .and_then(seq)
        .unwrap_or_default()
    {
        if path(c, &["name"]).and_then(text_of).as_deref() != Some("kibana") {
            continue;
        }
        env.extend(name_value_env(path(c, &["env"])));
    }
    Embedded {
        kind: "an ECK Kibana resource",
        instance: format!("Kibana {name}"),
        name,
        version: path(root, &["spec", "version"]).and_then(text_of),
        config,
        env,
        env_files: Vec::new(),
        mounted: Vec::new(),
        provided,
    }
}

/// A Kubernetes workload with a container running Kibana's image: its `env` and version; a
/// kibana.yml it mounts from a ConfigMap or Secret is not in this document.
fn workload(root: &Yaml, kind: &str) -> Option<Embedded> {
    let pod = if kind == "Pod" {
        path(root, &["spec"])
    } else {
        path(root, &["spec", "template", "spec"])
    }?;
    let container = path(pod, &["containers"])
        .and_then(seq)
        .unwrap_or_default()
        .iter()
        .find(|c| {
            path(c, &["image"])
                .and_then(text_of)
                .is_some_and(|i| kibana_image_tag(&i).is_some())
        })?;
    let version = path(container, &["image"])
        .and_then(text_of)
        .and_then(|i| kibana_image_tag(&i))
        .flatten();
    let env = name_value_env(path(container, &["env"]));
    let mut mounted = Vec::new();
    for m in path(container, &["volumeMounts"])
        .and_then(seq)
        .unwrap_or_default()
    {
        if path(m, &["mountPath"]).and_then(text_of).as_deref() == Some(IMAGE_CONFIG) {
            let volume = path(m, &["name"]).and_then(text_of).unwrap_or_default();
            mounted.push(format!("volume {volume} (not in this file)"));
        }
    }
    let name = path(root, &["metadata", "name"])
        .and_then(text_of)
        .unwrap_or_else(|| "(unnamed)".into());
    Some(Embedded {
        kind: "a Kubernetes workload",
        instance: format!("{kind} {name}"),
        name,
        version,
        config: None,
        env,
        env_files: Vec::new(),
        mounted,
        provided: Vec::new(),
    })
}

/// A ConfigMap with a `kibana.yml` data key.
fn config_map(
    pairs: &[(Yaml, Yaml)],
    text: &str,
    parse: &dyn Fn(&str) -> ParsedYaml,
) -> Option<Embedded> {
    let data = get(pairs, "data").and_then(map)?;
    let value = get(data, "kibana.yml")?;
    let name = get(pairs, "metadata")
        .and_then(map)
        .and_then(|m| get(m, "name"))
        .and_then(text_of)
        .unwrap_or_else(|| "(unnamed)".into());
    Some(Embedded {
        kind: "a Kubernetes ConfigMap",
        instance: format!("ConfigMap {name}"),
        name,
        version: None,
        config: Some(block(value, text, parse)),
        env: Vec::new(),
        env_files: Vec::new(),
        mounted: Vec::new(),
        provided: Vec::new(),
    })
}

/// The elastic/kibana chart's values: `kibanaConfig: {kibana.yml: |…}`, `extraEnvs`,
/// `imageTag`.
fn helm_values(
    pairs: &[(Yaml, Yaml)],
    text: &str,
    parse: &dyn Fn(&str) -> ParsedYaml,
) -> Option<Embedded> {
    let cfg = get(pairs, "kibanaConfig")?;
    let file = map(cfg).and_then(|m| entry(m, "kibana.yml"));
    let config = file.map(|(_, v)| block(v, text, parse));
    let env = name_value_env(get(pairs, "extraEnvs"));
    Some(Embedded {
        kind: "the elastic/kibana Helm chart's values",
        instance: "values kibanaConfig".into(),
        name: "kibana".into(),
        version: get(pairs, "imageTag").and_then(text_of),
        config,
        env,
        env_files: Vec::new(),
        mounted: Vec::new(),
        provided: Vec::new(),
    })
}

/// Keys no Kibana version has a setting for, at the top level or in a subchart's block
/// (`elasticsearch: {imageTag: …}`): a Helm chart's values, not a kibana.yml. The place of the
/// first such key.
pub(crate) fn helm_values_key(pairs: &[(Yaml, Yaml)]) -> Option<Span> {
    const HELM: &[&str] = &[
        "imageTag",
        "imagePullPolicy",
        "imagePullSecrets",
        "replicas",
        "nameOverride",
        "fullnameOverride",
        "kibanaConfig",
        "elasticsearchHosts",
        "podSecurityContext",
        "extraEnvs",
    ];
    let helm_key = |p: &[(Yaml, Yaml)]| {
        p.iter()
            .find(|(k, _)| HELM.contains(&k.key_string().as_str()))
            .map(|(k, _)| k.span)
    };
    helm_key(pairs).or_else(|| pairs.iter().find_map(|(_, v)| map(v).and_then(helm_key)))
}

/// A `[{name, value}]` list of container environment variables (Kubernetes `env`, the chart's
/// `extraEnvs`), with the places written; entries without a literal `value` (`valueFrom`) are
/// not known here.
fn name_value_env(list: Option<&Yaml>) -> Vec<EnvEntry> {
    list.and_then(seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| {
            let (k, v) = (path(e, &["name"])?, path(e, &["value"])?);
            Some(EnvEntry {
                key: k.key_string(),
                value: v.key_string(),
                key_at: loc(k.span),
                value_at: loc(v.span),
            })
        })
        .collect()
}

/// A kibana.yml held as a block string: parsed, its spans moved to where its lines are in this
/// file. Exact for a literal (`|`) block: each content line is the file's line without the
/// block's indentation. Anything else (a folded or quoted string) is parsed at the value's
/// place, its lines not mapped one by one.
fn block(value: &Yaml, text: &str, parse: &dyn Fn(&str) -> ParsedYaml) -> ParsedYaml {
    let content = match &value.kind {
        YamlKind::Scalar(_) => value.key_string(),
        _ => {
            return ParsedYaml {
                root: Some(value.clone()),
                issues: Vec::new(),
                incomplete: false,
            };
        }
    };
    let start = value.span.start;
    let line_text = text.lines().nth(start.line as usize - 1).unwrap_or("");
    let indicator = line_text
        .chars()
        .skip(start.col as usize - 1)
        .collect::<String>();
    if !indicator.starts_with('|') {
        return shifted(parse(&content), start.line - 1, start.col - 1);
    }
    // The block's indentation: that of its first non-empty line.
    let indent = text
        .lines()
        .skip(start.line as usize)
        .find(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .unwrap_or(0) as u32;
    shifted(parse(&content), start.line, indent)
}

/// A parse of a part of a file, its positions moved by whole lines and columns.
fn shifted(mut p: ParsedYaml, lines: u32, cols: u32) -> ParsedYaml {
    if lines == 0 && cols == 0 {
        return p;
    }
    let pos = |q: Pos| Pos::new(q.line + lines, q.col + cols);
    let span = |s: Span| Span::new(pos(s.start), pos(s.end));
    fn walk(n: &mut Yaml, span: &dyn Fn(Span) -> Span) {
        n.span = span(n.span);
        match &mut n.kind {
            YamlKind::Scalar(_) => {}
            YamlKind::Seq(items) => items.iter_mut().for_each(|i| walk(i, span)),
            YamlKind::Map(pairs) => pairs.iter_mut().for_each(|(k, v)| {
                walk(k, span);
                walk(v, span);
            }),
        }
    }
    if let Some(root) = &mut p.root {
        walk(root, &span);
    }
    fn issue(i: &mut YamlIssue, pos: &dyn Fn(Pos) -> Pos, span: &dyn Fn(Span) -> Span) {
        match i {
            YamlIssue::Syntax { at, .. } | YamlIssue::TooDeep { at } => *at = pos(*at),
            YamlIssue::DuplicateKey { first, second, .. } => {
                *first = span(*first);
                *second = span(*second);
            }
            YamlIssue::MultipleDocuments { at } | YamlIssue::ExcessiveAliases { at } => {
                *at = span(*at)
            }
            YamlIssue::ParsersDisagree { refusal, .. } => issue(refusal, pos, span),
        }
    }
    for i in &mut p.issues {
        issue(i, &pos, &span);
    }
    p
}

/// `KEY=value` lines of a Compose `.env` file, for `${VAR}` interpolation in the Compose file.
pub(crate) fn dot_env(text: &str) -> Vec<(String, String)> {
    parse_env_file(text, 0)
        .map(|f| f.entries.into_iter().map(|e| (e.key, e.value)).collect())
        .unwrap_or_default()
}

/// Compose's interpolation of `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `$VAR` in an
/// environment value (before the container, and so Kibana, sees it); `$$` is a literal `$`. An
/// unset variable without a default becomes empty, as Compose makes it (with a warning).
pub(crate) fn interpolate(value: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(value.len());
    let b = value.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' {
            let ch = value[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        if b.get(i + 1) == Some(&b'$') {
            out.push('$');
            i += 2;
            continue;
        }
        if b.get(i + 1) == Some(&b'{')
            && let Some(close) = value[i + 2..].find('}')
        {
            let inner = &value[i + 2..i + 2 + close];
            let (name, default, if_empty) = match (inner.find(":-"), inner.find('-')) {
                (Some(p), _) => (&inner[..p], Some(&inner[p + 2..]), true),
                (None, Some(p)) => (&inner[..p], Some(&inner[p + 1..]), false),
                (None, None) => (inner, None, false),
            };
            let found = lookup(name);
            let use_default = match &found {
                None => true,
                Some(v) => if_empty && v.is_empty(),
            };
            match (use_default, default) {
                (true, Some(d)) => out.push_str(d),
                (true, None) => {}
                (false, _) => out.push_str(&found.unwrap_or_default()),
            }
            i += 2 + close + 1;
            continue;
        }
        let name_len = value[i + 1..]
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
            .count();
        if name_len == 0 {
            out.push('$');
            i += 1;
            continue;
        }
        out.push_str(&lookup(&value[i + 1..i + 1 + name_len]).unwrap_or_default());
        i += 1 + name_len;
    }
    out
}

#[cfg(test)]
mod tests;
