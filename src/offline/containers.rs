//! A configuration read out of a container file (source/embedded.rs): the Kibana instance to
//! lint (`--service`, else the first), its kibana.yml (held in the file, or mounted from a file
//! beside it), its container environment (mapped as the Docker image maps it, with Compose's
//! interpolation from the `.env` beside the file), and the version the file names.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{InputError, LintOptions};
use crate::kibana::yaml_parsers;
use crate::model::load::YamlFile;
use crate::source::embedded::{self, Container, Embedded};
use crate::source::env::{self, EnvEntry};
use crate::source::files;
use crate::source::yaml::ParsedYaml;
use crate::source::{SourceKind, SourceMap, display_path};
use crate::version::Version;

/// What a container file stands for.
pub(super) struct FromContainer {
    /// The container file's id.
    pub(super) file: usize,
    /// The kibana.yml files to load, in stack order (mounted ones, then the embedded one).
    pub(super) yaml: Vec<YamlFile>,
    /// The container's environment: `env_file:` entries, then `environment:` ones.
    pub(super) env: Vec<EnvEntry>,
    /// "service kibana of a Docker Compose file (also: service kibana-2; choose with --service)".
    pub(super) description: String,
    /// Settings set outside the file (by the ECK operator, secureSettings), and by what.
    pub(super) provided: Vec<(String, String)>,
    /// The other Kibanas in the file (`--service` picks one of them).
    pub(super) others: Vec<String>,
    /// Files the service reads that cannot be read here (a mount, an `env_file:`): the
    /// configuration is incomplete, and what depends on it is not judged.
    pub(super) unread: Vec<String>,
}

/// Only files that can be one are parsed twice: cheap words every container format has.
fn may_be_container(text: &str) -> bool {
    text.contains("services:") || text.contains("apiVersion") || text.contains("kibanaConfig")
}

fn recognised(text: &str, opts: &LintOptions) -> Option<Vec<Embedded>> {
    if !may_be_container(text) {
        return None;
    }
    let parse = |t: &str| yaml_parsers::parse_for(t, opts.version);
    let docs = embedded::documents(text, &parse);
    match embedded::recognise(&docs, text, &parse)? {
        Container::Kibana(list) => Some(list),
        // Not a Kibana: the loader says so (not-a-kibana-config).
        Container::Other => None,
    }
}

fn chosen(
    mut list: Vec<Embedded>,
    opts: &LintOptions,
    path: &Path,
) -> Result<(Embedded, Vec<String>), InputError> {
    let index = match &opts.service {
        None => 0,
        Some(name) => {
            list.iter()
                .position(|e| e.name == *name)
                .ok_or_else(|| InputError::Container {
                    path: path.to_path_buf(),
                    message: format!(
                        "no Kibana named {name:?} in it (found: {})",
                        list.iter()
                            .map(|e| e.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })?
        }
    };
    let one = list.remove(index);
    Ok((one, list.into_iter().map(|e| e.instance).collect()))
}

/// Whether a file is a Compose file, manifest or chart values holding a Kibana (for
/// directory audits, which pick such files up by content whatever their name).
pub(crate) fn holds_kibana(path: &Path) -> bool {
    let Ok(Ok(text)) = files::read_text(path) else {
        return false;
    };
    text.contains("kibana") && recognised(&text, &LintOptions::default()).is_some()
}

/// The version a container file names for its Kibana (image tag, `spec.version`, `imageTag`).
pub(super) fn version_of(path: &Path, opts: &LintOptions) -> Option<Version> {
    let text = match files::read_text(path) {
        Ok(Ok(t)) => t,
        _ => return None,
    };
    let list = recognised(&text, opts)?;
    let (one, _) = chosen(list, opts, path).ok()?;
    let v: Version = one.version?.trim_start_matches('v').parse().ok()?;
    (v >= Version::OLDEST).then_some(v)
}

/// The configuration a container file holds, if it holds a Kibana.
pub(super) fn extract(
    path: &Path,
    text: &Arc<str>,
    id: usize,
    opts: &LintOptions,
    sources: &mut SourceMap,
) -> Result<Option<FromContainer>, InputError> {
    let Some(list) = recognised(text, opts) else {
        return Ok(None);
    };
    let (mut one, others) = chosen(list, opts, path)?;
    embedded::in_file(&mut one, id);
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut yaml = Vec::new();
    let mut unread = Vec::new();
    for mount in &one.mounted {
        let mounted = resolve(&dir, mount);
        // A mount not beside the file (generated, or another checkout's) is said, not fatal:
        // the rest of the service's configuration is still checked.
        let Ok(content) = files::read_text(&mounted) else {
            unread.push(mount.clone());
            continue;
        };
        let (mid, content) = match content {
            Ok(t) => {
                let t: Arc<str> = Arc::from(t);
                let mid = sources.add(
                    display_path(&mounted),
                    SourceKind::KibanaYml,
                    Some(t.clone()),
                );
                (mid, Ok(yaml_parsers::parse_for(&t, opts.version)))
            }
            Err(issue) => (
                sources.add(display_path(&mounted), SourceKind::KibanaYml, None),
                Err(issue),
            ),
        };
        yaml.push(YamlFile { file: mid, content });
    }
    if let Some(config) = one.config.take() {
        yaml.push(YamlFile {
            file: id,
            content: Ok(config),
        });
    }
    if yaml.is_empty() {
        // Only an environment: the image's default kibana.yml is not modelled; an empty one
        // stands for it, so the settings come from the environment alone.
        yaml.push(YamlFile {
            file: id,
            content: Ok(ParsedYaml {
                root: None,
                issues: Vec::new(),
                incomplete: false,
            }),
        });
    }
    // Compose interpolates `${VAR}` in its own file from the shell and the `.env` beside it.
    let dot_env = if one.kind.contains("Compose") {
        match files::read_text(&dir.join(".env")) {
            Ok(Ok(t)) => embedded::dot_env(&t),
            _ => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let lookup = |name: &str| {
        opts.env.get(name).map(|v| v.value.clone()).or_else(|| {
            dot_env
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    };
    let mut env = Vec::new();
    for f in &one.env_files {
        let p = resolve(&dir, &embedded::interpolate(f, &lookup));
        let Ok(Ok(t)) = files::read_text(&p) else {
            unread.push(f.clone());
            continue;
        };
        let fid = sources.add(
            display_path(&p),
            SourceKind::DockerEnv,
            Some(Arc::from(t.as_str())),
        );
        let parsed = env::parse_env_file(&t, fid).map_err(|e| InputError::EnvFile {
            path: p.clone(),
            line: e.line,
            message: e.message,
        })?;
        env.extend(parsed.entries);
    }
    for mut e in std::mem::take(&mut one.env) {
        if one.kind.contains("Compose") {
            e.value = embedded::interpolate(&e.value, &lookup);
        }
        env.push(e);
    }
    let mut description = one.instance.clone();
    if let Some(v) = &one.version {
        description.push_str(&format!(" ({v})"));
    }
    Ok(Some(FromContainer {
        file: id,
        yaml,
        env,
        description,
        provided: std::mem::take(&mut one.provided),
        others,
        unread,
    }))
}

/// A path written in the file, relative to the file's directory (`./kibana.yml` → `kibana.yml`
/// beside it).
fn resolve(dir: &Path, p: &str) -> PathBuf {
    let p = Path::new(p);
    if p.is_absolute() {
        return p.to_path_buf();
    }
    let rel: PathBuf = p
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    dir.join(rel)
}
