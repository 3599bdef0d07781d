//! The offline pipeline: read the sources, build the settings model, run the check modules,
//! collect the secrets to mask. Data flows one way: sources → model → checks → report.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::checks::{self, Context, Live, SourcesSeen};
use crate::kibana::settings::Settings;
use crate::kibana::target::{self, ConnectorTls, Target, TargetSource};
use crate::kibana::yaml_parsers;
use crate::kibana::{custom_hosts, schema};
use crate::model::connector::{self as model_connector, ConnectorSpec};
use crate::model::load::{self, DockerInput, KeystoreInput, YamlFile};
use crate::report::Report;
use crate::report::redact::Secrets;
use crate::source::docker_env::{self, DockerVars};
use crate::source::env::{self, Env};
use crate::source::files::{self, ContentIssue, ReadError};
use crate::source::{SourceKind, SourceMap, display_path, keystore};
use crate::version::Version;

pub(crate) mod containers;

/// What to lint with, besides the kibana.yml files.
#[derive(Clone, Debug)]
pub struct LintOptions {
    pub version: Version,
    /// Whether the version was chosen by the user (it changes some wording).
    pub version_given: bool,
    /// The environment `${VAR}` references resolve against (the process's, by default).
    pub(crate) env: Env,
    /// `KEY=VALUE` files added to that environment.
    pub env_files: Vec<PathBuf>,
    /// A Kibana container's environment (`docker run --env-file` format).
    pub docker_env: Option<PathBuf>,
    pub keystore: Option<PathBuf>,
    /// The keystore password, found the way Kibana finds it.
    pub keystore_password: String,
    /// Webhook URLs to evaluate (`--url`).
    pub urls: Vec<String>,
    /// A connector spec to check (`--connector`): the create request's body.
    pub connector: Option<PathBuf>,
    /// The id to create it under (`--connector-id`).
    pub connector_id: Option<String>,
    /// Names to show instead of paths (stdin's temporary file is `<stdin>`).
    pub(crate) display_names: HashMap<PathBuf, String>,
    /// kibana-preflight.toml and inline suppressions.
    pub(crate) policy: Option<Arc<crate::policy::Policy>>,
    /// `--upgrade-to`: report only what changes when this version replaces `version`.
    pub upgrade_to: Option<Version>,
    /// `--service`: which Kibana of a Compose file or manifest to lint (default: the first).
    pub service: Option<String>,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            version: Version::DEFAULT,
            version_given: false,
            env: Env::new(),
            env_files: Vec::new(),
            docker_env: None,
            keystore: None,
            keystore_password: String::new(),
            urls: Vec::new(),
            connector: None,
            connector_id: None,
            display_names: HashMap::new(),
            policy: None,
            upgrade_to: None,
            service: None,
        }
    }
}

/// A problem with the input itself: exit code 2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    Read(ReadError),
    /// An env file or Docker env file that is not `KEY=VALUE` lines.
    EnvFile {
        path: PathBuf,
        line: u32,
        message: String,
    },
    /// A connector spec that is not a JSON/YAML object.
    ConnectorSpec {
        path: PathBuf,
        line: u32,
        col: u32,
        message: String,
    },
    /// The async runtime for the network probes could not start.
    Runtime(String),
    /// The Kibana connection settings are unusable (e.g. a CA file without certificates).
    Kibana(String),
    /// An auxiliary file (env file, keystore) that is not text.
    NotText {
        path: PathBuf,
        what: String,
    },
    /// A container file without the Kibana `--service` names, or with an unreadable mount.
    Container {
        path: PathBuf,
        message: String,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Read(e) => write!(f, "{e}"),
            InputError::EnvFile {
                path,
                line,
                message,
            } => write!(
                f,
                "{}:{line}: not a KEY=VALUE line: {message}",
                path.display()
            ),
            InputError::ConnectorSpec {
                path,
                line,
                col,
                message,
            } => write!(
                f,
                "{}:{line}:{col}: not a connector spec: {message}",
                path.display()
            ),
            InputError::NotText { path, what } => write!(f, "{}: {what}", path.display()),
            InputError::Container { path, message } => write!(f, "{}: {message}", path.display()),
            InputError::Runtime(e) => write!(f, "cannot start the network runtime: {e}"),
            InputError::Kibana(e) => write!(f, "cannot talk to Kibana: {e}"),
        }
    }
}

/// Reads an auxiliary text file (env file, keystore) or fails the run.
fn read_aux(path: &Path) -> Result<String, InputError> {
    match files::read_text(path) {
        Err(e) => Err(InputError::Read(e)),
        Ok(Ok(text)) => Ok(text),
        Ok(Err(issue)) => Err(InputError::NotText {
            path: path.to_path_buf(),
            what: match issue {
                ContentIssue::TooLarge { size } => format!("too large ({size} bytes)"),
                ContentIssue::Binary { .. } => "a binary file, not text".into(),
                ContentIssue::NotUtf8 { .. } => "not UTF-8 text".into(),
            },
        }),
    }
}

fn env_file(
    sources: &mut SourceMap,
    path: &Path,
    kind: SourceKind,
) -> Result<(usize, env::EnvFile), InputError> {
    let text = read_aux(path)?;
    let id = sources.add(display_path(path), kind, Some(Arc::from(text.as_str())));
    let parsed = env::parse_env_file(&text, id).map_err(|e| InputError::EnvFile {
        path: path.to_path_buf(),
        line: e.line,
        message: e.message,
    })?;
    Ok((id, parsed))
}

/// Lints one configuration: a kibana.yml, or a stack of them applied in order.
pub fn lint(config_files: &[PathBuf], opts: &LintOptions) -> Result<Report, InputError> {
    if let Some(to) = opts.upgrade_to {
        return upgrade(config_files, opts, to);
    }
    // A Compose file or manifest names its Kibana's version (image tag, spec.version).
    if !opts.version_given
        && let [one] = config_files
        && let Some(v) = containers::version_of(one, opts)
    {
        let mut named = opts.clone();
        named.version = v;
        named.version_given = true;
        return lint(config_files, &named);
    }
    let prepared = prepare(config_files, opts)?;
    let mut report = finish(prepared, opts, None);
    apply_policy(&mut report, opts.policy.as_deref());
    Ok(report)
}

/// The upgrade view (`--upgrade-to`): the configuration judged for the target version, keeping
/// only what the current version does not already report: settings that would stop the new
/// version, deprecations and changed behaviour it brings.
fn upgrade(
    config_files: &[PathBuf],
    opts: &LintOptions,
    to: Version,
) -> Result<Report, InputError> {
    use crate::report::finding::{Finding, Status};
    let mut base = opts.clone();
    base.upgrade_to = None;
    let before = lint(config_files, &base)?;
    base.version = to;
    let mut after = lint(config_files, &base)?;
    // Messages name the version, so a finding is "the same" by rule, setting and place.
    let key = |f: &Finding| {
        format!(
            "{}|{:?}|{:?}|{:?}",
            f.rule.id(),
            f.setting,
            f.primary.as_ref().map(|l| l.location),
            f.target
        )
    };
    let known: std::collections::HashSet<String> = before.findings.iter().map(key).collect();
    // What both versions report is left out of the to-do, but its errors still stop the new
    // version: each module says how many carry over, so a clean upgrade view is not read as a
    // clean file.
    let mut carried: std::collections::HashMap<crate::rules::Module, usize> = Default::default();
    after.findings.retain(|f| {
        let both = known.contains(&key(f));
        if both && f.severity == crate::rules::Severity::Error {
            *carried.entry(f.module()).or_default() += 1;
        }
        !both
    });
    let from = opts.version;
    for m in &mut after.modules {
        if m.status == Status::Skip {
            continue;
        }
        let mine: Vec<&Finding> = after
            .findings
            .iter()
            .filter(|f| f.module() == m.module)
            .collect();
        m.status = Status::of(mine.iter().copied());
        m.summary = if mine.is_empty() {
            format!("nothing changes on the upgrade from Kibana {from} to {to}")
        } else {
            format!(
                "{} finding(s) new on the upgrade from Kibana {from} to {to}",
                mine.len()
            )
        };
        if let Some(n) = carried.get(&m.module) {
            m.summary.push_str(&format!(
                "; {n} error(s) Kibana {from} already reports stay (lint without --upgrade-to lists them)"
            ));
        }
    }
    Ok(after)
}

/// The project policy (kibana-preflight.toml; inline suppressions with or without one), applied
/// once, after every finding of the run is in; module verdicts follow what is left.
pub(crate) fn apply_policy(report: &mut Report, policy: Option<&crate::policy::Policy>) {
    policy_or_default(policy).apply(report);
}

/// The policy in force: the given one, or none but inline suppressions.
pub(crate) fn policy_or_default(policy: Option<&crate::policy::Policy>) -> &crate::policy::Policy {
    static NO_POLICY: std::sync::OnceLock<crate::policy::Policy> = std::sync::OnceLock::new();
    policy.unwrap_or_else(|| NO_POLICY.get_or_init(Default::default))
}

/// Everything read and modelled for one configuration, before the checks run.
pub(crate) struct Prepared {
    pub(crate) sources: SourceMap,
    pub(crate) loaded: load::Loaded,
    pub(crate) validated: schema::Validated,
    pub(crate) settings: Settings,
    pub(crate) ca_files: HashMap<String, files::CaFileStatus>,
    pub(crate) custom_hosts: Vec<custom_hosts::Resolved>,
    pub(crate) targets: Vec<Target>,
    pub(crate) connector: Option<ConnectorSpec>,
    yml_ids: Vec<usize>,
    inputs: SourcesSeen,
}

/// Reads the sources and builds the settings model and the targets.
pub(crate) fn prepare(
    config_files: &[PathBuf],
    opts: &LintOptions,
) -> Result<Prepared, InputError> {
    // Sources are added in a fixed order (files, Docker env, env files, keystore, connector):
    // their ids are the report's file numbers.
    let mut sources = SourceMap::new();
    let mut inputs = load::LoadInputs::default();
    let mut container = None;
    let yml_ids = read_configs(
        config_files,
        opts,
        &mut sources,
        &mut inputs,
        &mut container,
    )?;
    let env = read_env(opts, &mut sources, &mut inputs, container.as_ref())?;
    if let Some(path) = &opts.keystore {
        let text = read_aux(path)?;
        let id = sources.add(display_path(path), SourceKind::Keystore, None);
        inputs.keystore = Some(KeystoreInput {
            file: id,
            entries: keystore::decrypt(&text, &opts.keystore_password),
        });
    }
    let connector = match &opts.connector {
        Some(path) => Some(read_connector(path, opts, &mut sources, &env)?),
        None => None,
    };

    let mut loaded = load::load(&inputs, &sources, &env, opts.version);
    // A service whose mounted kibana.yml or env file is not here: settings may be missing.
    loaded.incomplete |= container.as_ref().is_some_and(|c| !c.unread.is_empty());
    let validated = schema::validate(&loaded.root, opts.version);
    let settings = Settings::from_validated(&validated);
    let ca_files = read_ca_files(&settings);
    let custom_hosts = custom_hosts::resolve(&settings, &ca_files);
    let targets = targets(opts, &settings, &custom_hosts, connector.as_ref());
    Ok(Prepared {
        sources,
        loaded,
        validated,
        settings,
        ca_files,
        custom_hosts,
        targets,
        connector,
        yml_ids,
        inputs: SourcesSeen {
            yml_files: config_files.len(),
            docker_env: opts.docker_env.is_some()
                || container.as_ref().is_some_and(|c| !c.env.is_empty()),
            keystore: opts.keystore.is_some(),
            provided: container
                .as_ref()
                .map(|c| c.provided.clone())
                .unwrap_or_default(),
            unread: container
                .as_ref()
                .map(|c| c.unread.clone())
                .unwrap_or_default(),
            others: container
                .as_ref()
                .map(|c| c.others.clone())
                .unwrap_or_default(),
            container: container.map(|c| c.description),
        },
    })
}

/// Reads the kibana.yml files in stack order; one that is not text is kept as a load issue. A
/// Compose file or manifest holding a Kibana stands for that Kibana's configuration.
fn read_configs(
    config_files: &[PathBuf],
    opts: &LintOptions,
    sources: &mut SourceMap,
    inputs: &mut load::LoadInputs,
    container: &mut Option<containers::FromContainer>,
) -> Result<Vec<usize>, InputError> {
    let mut yml_ids = Vec::new();
    for path in config_files {
        let content = files::read_text(path).map_err(InputError::Read)?;
        let (id, content) = match content {
            Ok(text) => {
                let text: Arc<str> = Arc::from(text);
                let id = sources.add(
                    opts.display_names
                        .get(path)
                        .cloned()
                        .unwrap_or_else(|| display_path(path)),
                    SourceKind::KibanaYml,
                    Some(text.clone()),
                );
                if container.is_none()
                    && let Some(mut found) = containers::extract(path, &text, id, opts, sources)?
                {
                    yml_ids.push(id);
                    yml_ids.extend(found.yaml.iter().map(|y| y.file).filter(|f| *f != id));
                    inputs.yaml.append(&mut found.yaml);
                    *container = Some(found);
                    continue;
                }
                (id, Ok(yaml_parsers::parse_for(&text, opts.version)))
            }
            Err(issue) => {
                let id = sources.add(display_path(path), SourceKind::KibanaYml, None);
                (id, Err(issue))
            }
        };
        yml_ids.push(id);
        inputs.yaml.push(YamlFile { file: id, content });
    }
    Ok(yml_ids)
}

/// The environment `${VAR}` resolves against: the given one, the container's, then the env
/// files. The container's variables are also mapped to settings as the Docker image does.
fn read_env(
    opts: &LintOptions,
    sources: &mut SourceMap,
    inputs: &mut load::LoadInputs,
    container: Option<&containers::FromContainer>,
) -> Result<Env, InputError> {
    let mut env = opts.env.clone();
    if let Some(c) = container.filter(|c| !c.env.is_empty()) {
        // The container's environment, as the Compose file or manifest sets it.
        let file = env::EnvFile {
            entries: c.env.clone(),
            pass_through: Vec::new(),
        };
        env.extend(&file);
        let vars = DockerVars::for_major(opts.version.major);
        let (settings, issues) = docker_env::map_env(&file, vars);
        inputs.docker = Some(DockerInput {
            file: c.file,
            settings,
            issues,
            list_verified: vars.verified,
        });
    }
    if let Some(path) = &opts.docker_env {
        let (id, file) = env_file(sources, path, SourceKind::DockerEnv)?;
        // The container's environment is also the environment `${VAR}` resolves against.
        env.extend(&file);
        let vars = DockerVars::for_major(opts.version.major);
        let (settings, issues) = docker_env::map_env(&file, vars);
        inputs.docker = Some(DockerInput {
            file: id,
            settings,
            issues,
            list_verified: vars.verified,
        });
    }
    for path in &opts.env_files {
        let (_, file) = env_file(sources, path, SourceKind::EnvFile)?;
        env.extend(&file);
    }
    Ok(env)
}

/// Reads and parses the `--connector` spec, its `${VAR}`s resolved against `env`.
fn read_connector(
    path: &Path,
    opts: &LintOptions,
    sources: &mut SourceMap,
    env: &Env,
) -> Result<ConnectorSpec, InputError> {
    let text = read_aux(path)?;
    let id = sources.add(
        display_path(path),
        SourceKind::ConnectorSpec,
        Some(Arc::from(text.as_str())),
    );
    model_connector::parse(&text, id, env, opts.connector_id.clone()).map_err(|e| {
        InputError::ConnectorSpec {
            path: path.to_path_buf(),
            line: e.line,
            col: e.col,
            message: e.message,
        }
    })
}

/// Every CA file the customHostSettings entries name, read once per configured path.
fn read_ca_files(settings: &Settings) -> HashMap<String, files::CaFileStatus> {
    let mut ca_files = HashMap::new();
    for host in &settings.custom_hosts {
        for file in &host.ca_files {
            ca_files
                .entry(file.value.clone())
                .or_insert_with(|| files::read_ca_file(&file.value));
        }
    }
    ca_files
}

/// Runs the check modules (the live ones too, given what the probes found) and builds the report.
pub(crate) fn finish(p: Prepared, opts: &LintOptions, live: Option<Live>) -> Report {
    let cx = Context {
        version: opts.version,
        version_given: opts.version_given,
        sources: &p.sources,
        loaded: &p.loaded,
        validated: &p.validated,
        settings: &p.settings,
        ca_files: &p.ca_files,
        custom_hosts: &p.custom_hosts,
        targets: &p.targets,
        connector: p.connector.as_ref(),
        live: live.as_ref(),
        inputs: p.inputs,
        installed_plugins: opts
            .policy
            .as_deref()
            .and_then(|p| p.installed_plugins.as_deref()),
    };
    let subject = cx.inputs.container.clone();
    let (mut findings, modules) = checks::run_all(&cx);
    // One order for every format: by file (stack order), position, then rule.
    let yml_ids = &p.yml_ids;
    findings.sort_by_key(|f| {
        let file = f
            .file()
            .and_then(|id| yml_ids.iter().position(|y| *y == id));
        let pos = f.primary.as_ref().map(|p| p.location.span.start);
        (file.is_none(), file, pos.is_none(), pos, f.rule)
    });
    let mut secrets = Secrets::collect(&p.loaded, &p.sources);
    if let Some(spec) = &p.connector {
        secrets.add_connector(spec);
    }
    if let Some(live) = &live {
        for value in &live.secrets {
            secrets.add_value(value);
        }
    }
    let mut report = Report {
        sources: p.sources,
        findings,
        modules,
        secrets,
        config_files: p.yml_ids,
        subject,
        version: opts.version,
        targets: p.targets,
        probes: live.map(|l| l.outcomes).unwrap_or_default(),
        deploy: None,
    };
    name_files(&mut report);
    report
}

/// Every finding names its file: one with no place of its own (a missing key, a --url target,
/// the running Kibana) is about the configuration, and the last file of the stack is where to
/// fix it.
pub(crate) fn name_files(report: &mut Report) {
    if let Some(last) = report.config_files.last().copied() {
        for f in &mut report.findings {
            if f.file().is_none() {
                f.file_level = Some(last);
            }
        }
    }
}

/// The URLs to judge: the command line's, then every preconfigured webhook connector's.
fn targets(
    opts: &LintOptions,
    settings: &Settings,
    hosts: &[custom_hosts::Resolved],
    connector: Option<&ConnectorSpec>,
) -> Vec<Target> {
    let mut out: Vec<Target> = opts
        .urls
        .iter()
        .map(|url| Target {
            url: url.clone(),
            source: TargetSource::CommandLine,
            location: None,
            decision: target::evaluate(url, settings, hosts, None, opts.version),
        })
        .collect();
    if let Some(spec) = connector {
        let config = spec.config();
        if let Some(url) = config.and_then(|c| c.as_map()).and_then(|m| m.get("url"))
            && let Some(text) = url.as_str()
        {
            let tls = connector_tls(config);
            out.push(Target {
                url: text.to_string(),
                source: TargetSource::ConnectorSpec,
                location: url.location(),
                decision: target::evaluate(text, settings, hosts, Some(&tls), opts.version),
            });
        }
    }
    for p in &settings.preconfigured {
        let webhook = p
            .action_type_id
            .as_ref()
            .is_some_and(|t| t.value == ".webhook");
        let Some(url) = p
            .config
            .as_ref()
            .and_then(|c| c.as_map())
            .and_then(|m| m.get("url"))
        else {
            continue;
        };
        let Some(text) = url.as_str().filter(|_| webhook) else {
            continue;
        };
        let connector = connector_tls(p.config.as_ref());
        out.push(Target {
            url: text.to_string(),
            source: TargetSource::Preconfigured(p.id.clone()),
            location: url.location(),
            decision: target::evaluate(text, settings, hosts, Some(&connector), opts.version),
        });
    }
    out
}

/// The TLS options a webhook connector's config sets for itself.
pub(crate) fn connector_tls(config: Option<&crate::model::tree::Node>) -> ConnectorTls {
    let map = config.and_then(|c| c.as_map());
    ConnectorTls {
        verification_mode: map
            .and_then(|m| m.get("verificationMode"))
            .and_then(|n| n.as_str())
            .map(str::to_string),
        has_ca: map
            .and_then(|m| m.get("ca"))
            .is_some_and(|n| n.as_str().is_some()),
    }
}
