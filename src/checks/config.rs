//! Module `config`: can Kibana read this configuration at all? YAML syntax, duplicate keys,
//! `${VAR}` references, sources that override each other, and Kibana's schema for the settings
//! we model (unknown keys, types, values, settings added or removed in the chosen version).

use super::{Check, Context, Outcome};
use crate::kibana::schema::{
    Availability, DeprecationEffect, IssueKind, SchemaIssue, Spec, Type, format_help, schema,
};
use crate::kibana::{yaml_parsers, yaml_words};
use crate::model::load::{LoadIssue, OverrideSource};
use crate::model::tree::{Node, SettingPath, Value};
use crate::report::finding::{Finding, Provenance};
use crate::rules::{Module, Rule, Severity};
use crate::source::docker_env::DockerIssue;
use crate::source::env::{LiteralReason, LiteralRef};
use crate::source::files::{ContentIssue, MAX_FILE_SIZE};
use crate::source::keystore::KeystoreError;
use crate::source::yaml::{KibanaYaml, MAX_DEPTH, YamlIssue};
use crate::source::{FileId, Location, Origin, Span};
use crate::version::Version;

mod third_party;

pub(crate) struct KibanaConfig;

impl Check for KibanaConfig {
    fn module(&self) -> Module {
        Module::Config
    }

    fn runs_on_incomplete_config(&self) -> bool {
        true
    }

    fn run(&self, cx: &Context, out: &mut Outcome) {
        for issue in &cx.loaded.issues {
            if let Some(f) = load_issue(cx, issue) {
                out.push(f);
            }
        }
        let mut unknown_roots: Vec<String> = Vec::new();
        if !cx.loaded.incomplete {
            // A value whose variable is not set never reaches the schema: Kibana stops at the
            // substitution (undefined-env-var says so).
            let unresolved: Vec<&SettingPath> = cx
                .loaded
                .issues
                .iter()
                .filter_map(|i| match i {
                    LoadIssue::MissingEnv { path, .. } => Some(path),
                    _ => None,
                })
                .collect();
            for issue in &cx.validated.issues {
                // An object's cross-key validation (server.ssl) that read an unresolved key
                // (server.ssl.key) is not judged either.
                let of_unresolved = match issue.kind {
                    IssueKind::WrongType { .. } => {
                        unresolved.iter().any(|p| issue.path.starts_with(p))
                    }
                    IssueKind::InvalidValue => unresolved
                        .iter()
                        .any(|p| issue.path.starts_with(p) || p.starts_with(&issue.path)),
                    _ => false,
                };
                // A root the policy declares as an installed plugin's is not Kibana's to judge.
                let declared = matches!(issue.kind, IssueKind::UnknownRoot { .. })
                    && cx.installed_plugins.is_some_and(|installed| {
                        installed
                            .iter()
                            .any(|p| issue.path.first_key() == Some(p.as_str()))
                    });
                if !of_unresolved && !declared {
                    if matches!(issue.kind, IssueKind::UnknownRoot { .. }) {
                        unknown_roots.push(issue.path.to_string());
                    }
                    out.push(schema_issue(cx, issue));
                }
            }
        }
        let third_party = if cx.loaded.incomplete {
            Vec::new()
        } else {
            third_party::found(cx)
        };
        for f in third_party::findings(cx, &third_party) {
            out.push(f);
        }
        let errors = out
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        // Third-party settings and unknown roots that got a finding above are not "not judged",
        // nor a root a deprecation removes before validation (`unusedFromRoot`).
        let unset_roots: Vec<String> = cx
            .validated
            .issues
            .iter()
            .filter(|i| {
                matches!(
                    i.kind,
                    IssueKind::Deprecated {
                        effect: DeprecationEffect::Unset,
                        ..
                    }
                ) && schema()
                    .get(&i.path.to_string())
                    .is_some_and(|s| s.namespace)
            })
            .map(|i| i.path.to_string())
            .collect();
        let said: Vec<&str> = third_party
            .iter()
            .map(|f| f.plugin.root.as_str())
            .chain(unknown_roots.iter().map(String::as_str))
            .chain(unset_roots.iter().map(String::as_str))
            .collect();
        let coverage = Coverage::of(&cx.loaded.root, cx.version, &said);
        if !coverage.outside.is_empty() && !cx.loaded.incomplete {
            out.push(coverage.finding());
        }
        let also = if cx.inputs.others.is_empty() {
            String::new()
        } else {
            format!(
                "; also in the file, not linted in this run: {} (choose with --service)",
                cx.inputs.others.join(", ")
            )
        };
        let foreign = cx
            .loaded
            .issues
            .iter()
            .any(|i| matches!(i, LoadIssue::ForeignDocument { .. }));
        if foreign {
            out.skipped = Some("skipped: not a Kibana configuration (see the note)".into());
        } else if !cx.inputs.unread.is_empty() {
            out.summary(format!(
                "the configuration of {} is not all here: {} cannot be read beside the file, so its settings are not judged{also}",
                cx.inputs.container.as_deref().unwrap_or("the service"),
                cx.inputs.unread.join(", ")
            ));
        } else if errors == 0 {
            // Say what was judged: only the modelled namespaces, never "the whole file".
            out.summary(
                format!(
                    "{} read as Kibana {} reads it; {} setting(s) checked against its schema{}",
                    match (&cx.inputs.container, cx.inputs.yml_files) {
                        (Some(c), _) => format!("the configuration of {c} was"),
                        (None, 0) => "the settings were".to_string(),
                        (None, 1) => "kibana.yml was".to_string(),
                        (None, n) => format!("{n} files were"),
                    },
                    cx.version,
                    coverage.judged,
                    match coverage.outside.len() {
                        0 => String::new(),
                        n => format!(", {n} not judged"),
                    }
                ) + &also,
            );
        } else if !also.is_empty() {
            let counts = crate::report::finding::counts(
                errors,
                out.findings
                    .iter()
                    .filter(|f| f.severity == Severity::Warning)
                    .count(),
                out.findings
                    .iter()
                    .filter(|f| f.severity == Severity::Note)
                    .count(),
            );
            out.summary(format!("{counts}{also}"));
        }
    }
}

/// Which settings of the merged configuration the settings table judges for this version (a
/// key it lists, or any key of a namespace it holds completely) and which it does not (listed as
/// not judged).
struct Coverage {
    judged: usize,
    outside: Vec<(String, Option<Location>)>,
    version: Version,
}

impl Coverage {
    /// `skip`: roots (`foo`, `xpack.foo`) other findings already judge (a set: a file may hold
    /// thousands of unknown roots, each with a leaf).
    fn of(root: &Node, version: Version, skip: &[&str]) -> Coverage {
        let skip: rustc_hash::FxHashSet<&str> = skip.iter().copied().collect();
        // Only namespaces under the file's own config roots can hold one of its leaves.
        let namespaces: Vec<&Spec> = schema().namespaces_for(root).collect();
        let mut coverage = Coverage {
            judged: 0,
            outside: Vec::new(),
            version,
        };
        let mut path = String::new();
        each_leaf(root, &mut path, &mut |path, node| {
            let mut segments = path.splitn(3, '.');
            let first = segments.next().unwrap_or_default();
            let root = match (first, segments.next()) {
                ("xpack", Some(second)) => &path[..first.len() + 1 + second.len()],
                _ => first,
            };
            if skip.contains(first) || skip.contains(root) {
                return;
            }
            let ns = namespaces.iter().find(|ns| {
                let ns = ns.key;
                path.starts_with(ns)
                    && (path.len() == ns.len() || path.as_bytes()[ns.len()] == b'.')
            });
            // A root a deprecation moves (`xpack.monitoring`) was judged where it went.
            let judged = ns.is_some_and(|ns| {
                ns.complete_for(version)
                    // A root this release does not have is an error whole.
                    || matches!(
                        ns.availability(version),
                        Availability::NotYet | Availability::Removed
                    )
                    || (ns.is_deprecated(version)
                        && ns
                            .moves_to
                            .and_then(|to| schema().get(to))
                            .is_some_and(|to| to.complete_for(version)))
                    || schema().spec_of(&SettingPath::parse(path)).is_some()
            });
            if judged {
                coverage.judged += 1;
            } else {
                coverage
                    .outside
                    .push((path.to_string(), node.key.or(node.origin.location())));
            }
        });
        coverage
    }

    /// One note listing what was not judged, grouped by namespace.
    fn finding(&self) -> Finding {
        // Namespaces in first-seen order, counted in one pass.
        let mut groups: indexmap::IndexMap<String, usize, rustc_hash::FxBuildHasher> =
            Default::default();
        for (path, _) in &self.outside {
            let mut segments = path.split('.');
            let first = segments.next().unwrap_or_default();
            let group = match (first, segments.next()) {
                ("xpack", Some(second)) => format!("xpack.{second}.*"),
                _ => format!("{first}.*"),
            };
            *groups.entry(group).or_default() += 1;
        }
        let listed: Vec<String> = groups
            .iter()
            .take(12)
            .map(|(g, n)| format!("`{g}` ({n})"))
            .collect();
        let more = groups.len().saturating_sub(12);
        let why = if self.version.beyond_table() {
            format!(
                "Kibana {} is newer than the newest release kibana-preflight's settings table covers ({}), so keys the table does not know",
                self.version,
                Version::NEWEST
            )
        } else {
            "keys outside the namespaces kibana-preflight's settings table holds completely for this version".to_string()
        };
        let f = Finding::new(
            Rule::SettingsNotJudged,
            format!(
                "{} setting(s) were not judged ({why}): {}{}",
                self.outside.len(),
                listed.join(", "),
                if more > 0 { format!(" and {more} more namespace(s)") } else { String::new() }
            ),
        )
        .at(self.outside.first().and_then(|(_, at)| *at))
        .help("Kibana validates them at startup (and refuses unknown or removed keys); start Kibana with this file to check them");
        match self.held_elsewhere(groups.keys()) {
            Some(note) => f.note(note),
            None => f,
        }
    }

    /// Namespaces of the note the table holds for other releases, with their windows: why this
    /// version is not judged there, and which versions are.
    fn held_elsewhere<'g>(&self, groups: impl Iterator<Item = &'g String>) -> Option<String> {
        let held: Vec<String> = groups
            .filter_map(|g| schema().get(g.strip_suffix(".*")?))
            .filter(|ns| ns.namespace && !ns.open && !ns.complete_for(self.version))
            .filter_map(|ns| {
                // Windows are whole minors: `8.8–9.4`.
                let minor = |v: Version| format!("{}.{}", v.major, v.minor);
                let (from, through) = (
                    minor(ns.complete_from?),
                    minor(ns.complete_through.unwrap_or(Version::NEWEST)),
                );
                let window = if from == through {
                    from
                } else {
                    format!("{from}–{through}")
                };
                Some(format!("`{}.*` for Kibana {window}", ns.key))
            })
            .take(12)
            .collect();
        (!held.is_empty()).then(|| {
            format!(
                "judged for the releases their dated schema copies cover: {}",
                held.join(", ")
            )
        })
    }
}

/// Calls `f` with the dotted path of every leaf under `node`, whose own path is `path` (empty at
/// the root; an empty map counts as a leaf), growing one buffer instead of cloning paths.
fn each_leaf(node: &Node, path: &mut String, f: &mut dyn FnMut(&str, &Node)) {
    match &node.value {
        Value::Map(map) if !map.is_empty() => {
            let len = path.len();
            for (key, child) in map {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                each_leaf(child, path, f);
                path.truncate(len);
            }
        }
        _ if path.is_empty() => {}
        _ => f(path, node),
    }
}

fn at(file: usize, span: Span) -> Option<Location> {
    Some(Location { file, span })
}

fn load_issue(cx: &Context, issue: &LoadIssue) -> Option<Finding> {
    Some(match issue {
        LoadIssue::Content { file, issue } => content_issue(cx, *file, issue),
        LoadIssue::Yaml { file, issue } => yaml_issue(cx, *file, issue),
        LoadIssue::ForeignDocument { file, kind, at: span } => Finding::new(
            Rule::NotAKibanaConfig,
            format!("this is {kind} without a Kibana in it: not checked"),
        )
        .at(at(*file, *span))
        .help(if kind.contains("Compose") {
            "a service counts as Kibana by its image (…/kibana:<version>) or a kibana.yml mounted at /usr/share/kibana/config/kibana.yml; for another image, lint the kibana.yml it mounts with --docker-env"
        } else if kind.contains("Helm") {
            "only the elastic/kibana chart's kibanaConfig is read as a kibana.yml"
        } else {
            "only ECK Kibana resources and ConfigMaps with a kibana.yml key are read as Kibana configuration"
        }),
        LoadIssue::NotAMapping { file, span, found } => Finding::new(
            Rule::TopLevelNotAMapping,
            format!("the document is {found}, not a mapping of settings: Kibana ignores the whole file"),
        )
        .at(at(*file, *span))
        .help("write settings as `key: value` pairs at the top level"),
        LoadIssue::ForbiddenPath { path, at } => Finding::new(
            Rule::ForbiddenPath,
            format!("`{path}` uses a reserved JavaScript property name, so Kibana refuses to start"),
        )
        .at(*at)
        .kibana(format!("Forbidden path detected: {path}"))
        .setting(path)
        .help("remove `__proto__`, `constructor` and `prototype` from setting names"),
        LoadIssue::MissingEnv { name, path, at } => missing_env(cx, name, path, *at),
        LoadIssue::LiteralEnv { literal, path, at } => return literal_env(cx, literal, path, *at),
        LoadIssue::Overridden {
            path,
            earlier,
            later,
            by,
            index_merge,
        } => return overridden(cx, path, earlier, later, *by, *index_merge),
        LoadIssue::Docker {
            file,
            issue,
            list_verified,
        } => {
            let _ = file;
            docker_issue(cx, issue, *list_verified)
        }
        LoadIssue::Keystore { file, error } => keystore_issue(cx, *file, error),
    })
}

/// A file that is not a text kibana.yml at all: too large, binary, or not UTF-8.
fn content_issue(cx: &Context, file: FileId, issue: &ContentIssue) -> Finding {
    let name = &cx.sources.get(file).display;
    match issue {
        ContentIssue::TooLarge { size } => Finding::new(
            Rule::FileTooLarge,
            format!("{name} is {size} bytes, more than the {MAX_FILE_SIZE}-byte limit"),
        )
        .help("lint the real kibana.yml; a file this large is not a Kibana configuration"),
        ContentIssue::Binary { at: pos } => Finding::new(
            Rule::FileNotText,
            format!("{name} is a binary file, not YAML text"),
        )
        .at(at(file, Span::point(*pos)))
        .label("NUL byte here")
        .help("point the linter at the kibana.yml text file"),
        ContentIssue::NotUtf8 { at: pos } => Finding::new(
            Rule::FileNotText,
            format!("{name} is not UTF-8 text"),
        )
        .at(at(file, Span::point(*pos)))
        .label("invalid UTF-8 here")
        .help(
            "save the file as UTF-8; Kibana reads kibana.yml as UTF-8 and would mangle these bytes",
        ),
    }
}

/// `${NAME}` with nothing to expand to: fatal, and the fix depends on whether defaults exist.
fn missing_env(cx: &Context, name: &str, path: &SettingPath, at: Option<Location>) -> Finding {
    Finding::new(
        Rule::UndefinedEnvVar,
        format!("`{path}` references environment variable `{name}`, which is not set and has no default: Kibana refuses to start"),
    )
    .at(at)
    .label(format!("`{name}` is not set"))
    .kibana(format!("Unknown environment variable referenced in config : {name}"))
    .setting(path)
    .help(if cx.version.env_defaults() {
        format!("set `{name}` in Kibana's environment, or give a default: `${{{name}:value}}` (letters, digits and `_` only); pass --env-file or --docker-env to lint with that environment")
    } else {
        format!("set `{name}` in Kibana's environment (defaults need Kibana 8.15.0+); pass --env-file or --docker-env to lint with that environment")
    })
}

/// `${…}`-like text Kibana leaves as it is; secrets' text is not shown.
fn literal_env(
    cx: &Context,
    literal: &LiteralRef,
    path: &SettingPath,
    at: Option<Location>,
) -> Option<Finding> {
    // `$NAME` inside a secret is more likely part of the secret than a reference.
    if literal.reason == LiteralReason::BareDollar && schema().is_secret(path) {
        return None;
    }
    let secret = schema().is_secret(path);
    let shown = if secret {
        "this text".to_string()
    } else {
        format!("`{}`", literal.text)
    };
    Some(
        Finding::new(
            Rule::EnvRefNotExpanded,
            format!("{shown} in `{path}` is not expanded by Kibana and stays literal: {}", literal.reason),
        )
        .at(at)
        .setting(path)
        .help(match literal.reason {
            LiteralReason::ShellDefault | LiteralReason::InvalidDefault => {
                "write `${NAME}` or `${NAME:default}` with a default of letters, digits and `_`; or let the deployment tool substitute it before Kibana reads the file".to_string()
            }
            LiteralReason::InvalidName => {
                "use an environment variable name of letters, digits and `_`, e.g. `${ELASTICSEARCH_PASSWORD}`".to_string()
            }
            LiteralReason::DefaultNotSupported => {
                format!("on Kibana {} write `${{NAME}}` and set the variable, or upgrade to 8.15+", cx.version)
            }
            LiteralReason::BareDollar => "write `${NAME}`".to_string(),
        }),
    )
}

/// What bin/kibana-docker does with the Docker environment, with a caveat off the verified list.
fn docker_issue(cx: &Context, issue: &DockerIssue, list_verified: bool) -> Finding {
    let caveat = (!list_verified).then(|| {
        format!(
            "the variable list of the {} Docker image is not verified; this uses the 8.x list",
            cx.version
        )
    });
    let f = match issue {
        DockerIssue::Ignored {
            var,
            at,
            suggestion,
        } => Finding::new(
            Rule::DockerEnvIgnored,
            format!("the Kibana Docker image ignores `{var}`: it is not one of the variables bin/kibana-docker maps to settings"),
        )
        .at(Some(*at))
        .help(match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => "set it in kibana.yml instead, or use a variable the image maps (setting name upper-cased, `.` replaced by `_`)".to_string(),
        }),
        DockerIssue::WordSplit {
            var,
            setting,
            at,
            first_extra_word,
        } => {
            // A word of a secret value is still a secret.
            let word = if schema().is_secret(&SettingPath::parse(setting)) {
                "…"
            } else {
                first_extra_word.as_str()
            };
            Finding::new(
                Rule::DockerEnvWordSplit,
                format!("the value of `{var}` contains whitespace; bin/kibana-docker passes it unquoted, so it is split and Kibana refuses to start"),
            )
            .at(Some(*at))
            .kibana(format!("Extra serve options \"{word}\" must start with \"--\""))
            .help("remove the whitespace (JSON arrays can be written without spaces: [\"a.com\",\"b.com\"]), or set the value in kibana.yml")
        }
    };
    match caveat {
        Some(c) => f.note(c),
        None => f,
    }
}

/// A keystore that cannot be read: the settings only it holds go unchecked.
fn keystore_issue(cx: &Context, file: FileId, error: &KeystoreError) -> Finding {
    let name = &cx.sources.get(file).display;
    Finding::new(
        Rule::KeystoreUnreadable,
        format!("the keystore {name} cannot be read: {error}"),
    )
    .provenance(Some(Provenance::Keystore {
        file,
        key: String::new(),
    }))
    .help(match error {
        KeystoreError::WrongPassword { .. } => {
            "give the password Kibana uses: KBN_KEYSTORE_PASSPHRASE_FILE (a file) or KEYSTORE_PASSWORD"
        }
        _ => "point --keystore at the kibana.keystore Kibana uses (config/ or data/ directory)",
    })
    .note("settings that live only in the keystore were not checked")
}

fn yaml_issue(cx: &Context, file: usize, issue: &YamlIssue) -> Finding {
    // Asked only for a syntax error (one per file): scanning the whole text for every issue
    // made a file of 20,000 duplicate keys quadratic.
    let looks_templated = || {
        cx.sources
            .get(file)
            .text
            .as_deref()
            .is_some_and(|t| t.contains("{{") || t.contains("{%"))
    };
    match issue {
        YamlIssue::Syntax { message, at: pos } => {
            let f = Finding::new(Rule::YamlSyntaxError, format!("invalid YAML: {message}"))
                .at(at(file, Span::point(*pos)))
                .kibana(parser_words(cx, issue));
            if message.contains("tab") {
                f.help("indent with spaces; YAML does not allow tabs in indentation")
            } else if looks_templated() {
                f.help("this looks like a template (`{{ }}` / `{% %}`): render it and lint the result")
            } else {
                f.help("fix the YAML at this position")
            }
        }
        YamlIssue::DuplicateKey { key, first, second } => Finding::new(
            Rule::DuplicateKey,
            format!("`{key}` is written twice in the same mapping; Kibana's YAML parser rejects the file"),
        )
        .at(at(file, *second))
        .label("written again here")
        .also(at(file, *first), "first written here")
        .kibana(parser_words(cx, issue))
        .help("keep one of the two; to set several keys below it, write them under one key"),
        YamlIssue::MultipleDocuments { at: span } => Finding::new(
            Rule::MultipleDocuments,
            "the file holds more than one YAML document; Kibana reads exactly one".to_string(),
        )
        .at(at(file, *span))
        .label("a second document starts here")
        .kibana(parser_words(cx, issue))
        .help("remove the `---` separator and everything after it, or split the file (Kibana accepts several files with -c)"),
        YamlIssue::TooDeep { at: pos } => Finding::new(
            Rule::YamlResourceLimit,
            format!("the YAML nests deeper than {MAX_DEPTH} levels; no Kibana configuration needs this"),
        )
        .at(at(file, Span::point(*pos)))
        .help("check the file is a kibana.yml"),
        YamlIssue::ExcessiveAliases { at: span } => Finding::new(
            Rule::YamlResourceLimit,
            "YAML aliases expand too much: Kibana's parser stops here".to_string(),
        )
        .at(at(file, *span))
        .kibana(parser_words(cx, issue))
        .help("write the values out instead of repeating anchors (`*name`)"),
        YamlIssue::ParsersDisagree {
            refusing,
            accepting,
            refusal,
            switch_in_version,
        } => {
            let words = yaml_words::kibana_words(*refusing, refusal)
                .unwrap_or("refuses the file here (its message is not modelled)");
            let message = if *switch_in_version {
                format!(
                    "{} refuses this file and {} accepts it: Kibana {} reads kibana.yml with either, depending on the patch release (the parser change, PR #252351, came in a patch this tool cannot name)",
                    refusing.name(),
                    accepting.name(),
                    cx.version
                )
            } else {
                format!(
                    "Kibana {} reads this file with {}, which accepts it, but {}, which later releases use (9.5 on, and the newest 8.19, 9.3 and 9.4 patches), refuses it: Kibana will not start after an upgrade",
                    cx.version,
                    accepting.name(),
                    refusing.name()
                )
            };
            Finding::new(Rule::YamlParsersDisagree, message)
            .at(at(file, Span::point(refusal.pos())))
            .kibana(format!("{}: {words}", refusing.name()))
            .help(if *switch_in_version {
                "make the file valid for both parsers; the other checks used the accepting parser's reading"
            } else {
                "make the file valid for both parsers before upgrading: indent with spaces only, and keep the lines of a `[ … ]` list indented past its key"
            })
        }
    }
}

/// What the version's parser says for `issue`, in its own words where known; where the version
/// may use either parser (both refused, or this would be `yaml-parsers-disagree`), both.
fn parser_words(cx: &Context, issue: &YamlIssue) -> String {
    let parsers = yaml_parsers::parsers_for(cx.version);
    let words = |parser: KibanaYaml| match yaml_words::kibana_words(parser, issue) {
        Some(words) => format!("{}: {words}", parser.name()),
        None => format!("{} refuses the file here", parser.name()),
    };
    match parsers.other {
        Some(other) if parsers.switch_in_version => format!(
            "{}; {} (Kibana exits before starting)",
            words(parsers.primary),
            words(other)
        ),
        _ => format!("{} (Kibana exits before starting)", words(parsers.primary)),
    }
}

fn overridden(
    cx: &Context,
    path: &SettingPath,
    earlier: &Node,
    later: &Node,
    by: OverrideSource,
    index_merge: bool,
) -> Option<Finding> {
    let later_at = later.key.or(later.origin.location());
    let earlier_at = earlier.key.or(earlier.origin.location());
    match by {
        OverrideSource::SameFile => {
            let f = Finding::new(
                Rule::OverriddenSetting,
                format!("`{path}` is set more than once in this file; Kibana keeps only the later value"),
            )
            .at(earlier_at)
            .label("this value is ignored")
            .also(later_at, "overridden here")
            .setting(path)
            .help("keep one definition; dotted (`a.b: x`) and nested (`a: {b: x}`) keys name the same setting");
            Some(f)
        }
        // A later file of a stack is meant to override; only the old index merge surprises.
        OverrideSource::LaterFile if index_merge => Some(
            Finding::new(
                Rule::OverriddenSetting,
                format!("`{path}` comes from two files; on Kibana {} (before 8.14) lists from later files replace items one by one, so items of the earlier list survive", cx.version),
            )
            .at(later_at)
            .label("replaces only this item")
            .also(earlier_at, "earlier list")
            .setting(path)
            .help("repeat the whole list in the later file, or upgrade to 8.14+ where lists are replaced"),
        ),
        OverrideSource::LaterFile => None,
        OverrideSource::DockerEnv | OverrideSource::Keystore => {
            let file_value = earlier_at?;
            // Only report when a file's value loses, not defaults.
            if matches!(earlier.origin, Origin::Default) {
                return None;
            }
            let source = if by == OverrideSource::DockerEnv {
                "the Docker environment"
            } else {
                "the keystore"
            };
            let mut f = Finding::new(
                Rule::SettingOverriddenBySource,
                format!("`{path}` is also set by {source}, which wins: this value is not used"),
            )
            .at(Some(file_value))
            .label("not used")
            .setting(path)
            .help("keep the setting in one place so the file does not mislead");
            if by == OverrideSource::DockerEnv {
                f = f.also(later.key.or(later.origin.location()), "set here");
            } else if let Origin::Keystore { file, key } = &later.origin {
                f = f.provenance(Some(Provenance::Keystore {
                    file: *file,
                    key: key.clone(),
                }));
            }
            Some(f)
        }
    }
}

fn schema_issue(cx: &Context, issue: &SchemaIssue) -> Finding {
    let path = &issue.path;
    let f = match &issue.kind {
        IssueKind::Unknown { suggestion } => unknown_setting(cx, issue, suggestion.as_deref()),
        IssueKind::UnknownRoot { suggestion } => unknown_root(cx, issue, suggestion.as_deref()),
        IssueKind::NoSchema { root } => Finding::new(
            Rule::UnknownSetting,
            format!(
                "`{path}` is not a setting Kibana {} knows: the plugin that owns `{root}` reads no settings, so Kibana refuses to start",
                cx.version
            ),
        )
        .at(issue.key_at.or(issue.at))
        .label("no setting exists here")
        .help(if path.to_string() == format!("{root}.enabled") {
            format!("remove it: Kibana 8.0 dropped the `enabled` switch of plugins without settings, and Kibana {} has no `{root}.*` key", cx.version)
        } else {
            format!("remove every `{root}.*` key: Kibana {} has none", cx.version)
        }),
        IssueKind::WrongType { expected, got } => Finding::new(
            Rule::InvalidSettingType,
            format!("`{path}` must be {} but is {}", article(expected), article(got)),
        )
        .at(issue.at)
        .help(type_help(expected, got)),
        IssueKind::Missing => Finding::new(
            Rule::InvalidSettingType,
            format!("`{path}` is required"),
        )
        .at(issue.at)
        .label("missing a required key")
        .help(format!("add `{}`", path.last_key().unwrap_or(""))),
        IssueKind::InvalidValue
            if schema()
                .spec_of(path)
                .is_some_and(|s| s.serverless_only_at(cx.version)) =>
        {
            Finding::new(
                Rule::InvalidSettingValue,
                format!(
                    "`{path}` is accepted only by Kibana on Elastic Cloud Serverless: a self-managed Kibana {} refuses to start with any value",
                    cx.version
                ),
            )
            .at(issue.at)
            .label("serverless only")
            .help("remove it (on Serverless, Elastic sets it)")
        }
        IssueKind::InvalidValue => Finding::new(
            Rule::InvalidSettingValue,
            format!("`{path}` has a value Kibana rejects"),
        )
        .at(issue.at)
        .help(value_help(path, &issue.kibana)),
        IssueKind::NotYetAdded { since } => Finding::new(
            Rule::SettingNotAvailable,
            format!("`{path}` exists only in Kibana {since} and later; Kibana {} refuses to start with it", cx.version),
        )
        .at(issue.key_at.or(issue.at))
        .help(format!("remove it, or lint with --kibana-version {since} if that is what you run")),
        IssueKind::Removed {
            removed,
            replacement,
            back,
        } => Finding::new(
            Rule::RemovedSetting,
            match back {
                Some(b) => format!("`{path}` was removed in Kibana {removed} and is back from {b}; Kibana {} refuses to start with it", cx.version),
                None => format!("`{path}` was removed in Kibana {removed}; Kibana {} refuses to start with it", cx.version),
            },
        )
        .at(issue.key_at.or(issue.at))
        .help(match (replacement, back) {
            (Some(r), _) => format!("use `{r}` instead"),
            (None, Some(b)) => format!("remove it (Kibana {b} and later accept it again)"),
            (None, None) => "remove it".to_string(),
        }),
        IssueKind::MaybeBack { removed, back } => Finding::new(
            Rule::UnverifiedSetting,
            match back {
                Some(b) => format!("`{path}` may not exist in Kibana {}: it was removed in {removed} and is back by {b}, in a release not verified", cx.version),
                None => format!("`{path}` may not exist in Kibana {}: it was removed in {removed}, and whether a later release brought it back is not verified", cx.version),
            },
        )
        .at(issue.key_at.or(issue.at))
        .help("check the setting in the docs of your exact Kibana version; if it is unknown there, Kibana refuses to start"),
        IssueKind::Unverified { since, gone } => {
            let msg = if *gone {
                format!("`{path}` may no longer exist in Kibana {}: when it was removed is not verified", cx.version)
            } else {
                match since {
                    Some(s) => format!("`{path}` may not exist in Kibana {}: it is known from {s} on, its first release is not verified", cx.version),
                    None => format!("`{path}` may not exist in Kibana {}: its first release is not verified", cx.version),
                }
            };
            Finding::new(Rule::UnverifiedSetting, msg)
                .at(issue.key_at.or(issue.at))
                .help("check the setting in the docs of your exact Kibana version; if it is unknown there, Kibana refuses to start")
        }
        IssueKind::Deprecated {
            replacement,
            effect,
        } => deprecated_setting(cx, issue, replacement.as_deref(), *effect),
    };
    f.kibana(issue.kibana.clone()).setting(path)
}

/// A key Kibana does not know: a spelling suggestion, and notes on why a real key may miss.
fn unknown_setting(cx: &Context, issue: &SchemaIssue, suggestion: Option<&str>) -> Finding {
    let path = &issue.path;
    let mut f = Finding::new(
        Rule::UnknownSetting,
        format!(
            "`{path}` is not a setting Kibana {} knows, so it refuses to start",
            cx.version
        ),
    )
    .at(issue.key_at.or(issue.at))
    .label("unknown setting");
    if let Some(s) = suggestion {
        f = f.help(format!("did you mean `{s}`?"));
    } else {
        f = f.help("remove it, or check the spelling against the Kibana settings reference");
    }
    // 8.14.0–8.15.0 did not split dotted keys inside list items (PR #190590).
    let key = path.last_key().unwrap_or("");
    let in_list = path
        .0
        .iter()
        .any(|s| matches!(s, crate::model::tree::Seg::Index(_)));
    // A record's entry whose name had a dot (a task type such as `alerting:.index-threshold`):
    // Kibana's loader splits every key at its dots (`ensureDeepObject`), so the name becomes two
    // levels and its second half is the unknown key.
    // Told apart from a typo inside an entry: the split entry holds nothing but this key.
    let mut entry = path.clone();
    entry.pop();
    let record_entry = path.len() >= 3
        && entry.last_key().is_some()
        && {
            let mut record = entry.clone();
            record.pop();
            schema()
                .spec_of(&record)
                .is_some_and(|s| s.ty == Type::Record)
        }
        && cx
            .loaded
            .root
            .at(&entry)
            .and_then(Node::as_map)
            .is_some_and(|m| m.len() == 1);
    if record_entry {
        f = f.note(format!(
            "if `{}.{key}` is one name, Kibana split it at the dot (it splits every key of kibana.yml at its dots), so a name with a dot cannot be a key here",
            entry.last_key().unwrap_or("")
        ));
    } else if key.contains('.') && in_list && !cx.version.splits_keys_in_values() {
        f = f.note(format!(
            "Kibana {} does not split dotted keys inside list items (fixed in 8.15.1): write `{}` as nested keys",
            cx.version, key
        ));
    } else if issue.kibana.contains("definition for this key is missing") {
        // The wording changed after PR #258633 (2026-03-19); its first release is not verified.
        f = f.note(format!(
            "newer Kibana words this as: Additional properties are not allowed ('{key}' was unexpected)"
        ));
    }
    f
}

/// Keys under a root neither core nor any bundled plugin has: a typo, or a third-party plugin.
fn unknown_root(cx: &Context, issue: &SchemaIssue, suggestion: Option<&str>) -> Finding {
    let path = &issue.path;
    let root = path.to_string();
    let f = Finding::new(
        Rule::UnknownSetting,
        format!(
            "`{root}` is not a config root Kibana knows: neither core nor a bundled plugin of any release from {}.{} to {} reads `{root}.*`, so Kibana {} refuses to start",
            crate::kibana::roots::FROM.major,
            crate::kibana::roots::FROM.minor,
            Version::NEWEST,
            cx.version,
        ),
    )
    .at(issue.key_at.or(issue.at))
    .label("unknown config root");
    match (suggestion, path.first_key()) {
        (Some(s), _) => f.help(format!("did you mean `{s}`?")),
        (None, Some(first)) if path.len() == 1 => f.help(format!(
            "check the spelling against the Kibana settings reference; if a third-party plugin with this config root is installed, declare it in kibana-preflight.toml: [plugins] installed = [\"{first}\"]"
        )),
        _ => f.help("remove it, or check the spelling against the Kibana settings reference"),
    }
}

/// A deprecated setting: what Kibana does with its value, and the setting to use instead.
fn deprecated_setting(
    cx: &Context,
    issue: &SchemaIssue,
    replacement: Option<&str>,
    effect: DeprecationEffect,
) -> Finding {
    let path = &issue.path;
    let what = match effect {
        DeprecationEffect::Kept => "still applies, but is deprecated",
        DeprecationEffect::Unset => {
            "is deprecated and Kibana ignores it (the deprecation handler removes it)"
        }
        DeprecationEffect::Renamed => "is deprecated; Kibana moves its value to the new setting",
        DeprecationEffect::IgnoredBothSet => {
            "is deprecated and ignored, because the new setting is also set"
        }
    };
    let removed = schema()
        .spec_of(path)
        .and_then(|s| s.removed.or(s.removed_maybe));
    let when = match removed {
        Some(v) if v > cx.version => format!("; it is removed in {}.{}", v.major, v.minor),
        _ => String::new(),
    };
    // A whole root moved by a deprecation (`xpack.monitoring` → `monitoring`).
    let root = schema()
        .spec_of(path)
        .is_some_and(|s| s.moves_to.is_some() && s.ty == Type::Object);
    if root && effect == DeprecationEffect::IgnoredBothSet {
        let to = replacement.unwrap_or_default();
        return Finding::new(
            Rule::DeprecatedSetting,
            format!("every `{path}.*` setting is ignored: Kibana moves `{path}` to `{to}`, and `{to}` is also set, so it drops `{path}` whole"),
        )
        .at(issue.key_at.or(issue.at))
        .help(format!("write these settings under `{to}` (the same names after `{to}.`), next to the ones already there"));
    }
    Finding::new(Rule::DeprecatedSetting, format!("`{path}` {what}{when}"))
        .at(issue.key_at.or(issue.at))
        .help(match replacement {
            Some(r) => format!("use `{}` instead", r.replace("[]", &index_of(path))),
            None => "remove it".to_string(),
        })
}

fn index_of(path: &SettingPath) -> String {
    path.0
        .iter()
        .find_map(|s| match s {
            crate::model::tree::Seg::Index(i) => Some(format!("[{i}]")),
            _ => None,
        })
        .unwrap_or_default()
}

fn article(t: &str) -> String {
    match t {
        "Array" | "array" => "a list".into(),
        "Object" | "object" => "a mapping".into(),
        "null" => "empty (null)".into(),
        "undefined" => "missing".into(),
        "string" => "a string".into(),
        "number" => "a number".into(),
        "boolean" => "a boolean".into(),
        other => other.into(),
    }
}

fn type_help(expected: &str, got: &str) -> String {
    match (expected, got) {
        ("array", "null") => "give a list, e.g. `[\"hooks.example.com\"]`; an empty `key:` is null, not an empty list".into(),
        ("array", "string") => "write a YAML list, or a JSON array string such as '[\"a.com\",\"b.com\"]'".into(),
        ("string", "number") => "quote the value; unquoted digits are a number in YAML".into(),
        ("string", "boolean") => "quote the value; unquoted true/false are booleans in YAML".into(),
        ("boolean", _) => "use true or false".into(),
        ("object", _) => "give a mapping of keys to values".into(),
        _ => format!("give {}", article(expected)),
    }
}

fn value_help(path: &SettingPath, kibana: &str) -> String {
    // The csp object's checks (src/kibana/schema/validators/csp.rs), told apart by Kibana's message.
    if path.first_key() == Some("csp") {
        if kibana.contains("unsafe-inline") {
            return "remove `'unsafe-inline'` from `csp.script_src`; turning `csp.strict` and `csp.warnLegacyBrowsers` off would accept it, with less protection".into();
        }
        if kibana.contains("\"csp.rules\"") {
            return "move the sources of `csp.rules` into the per-directive settings (`csp.script_src`, …) and remove `csp.rules`".into();
        }
        if kibana.contains("nonce-") || kibana.contains("\"none\"") {
            return "remove that source: Kibana sets its own nonces, and `none` would block what Kibana itself loads".into();
        }
    }
    // i18n's object check (src/kibana/schema/validators/i18n.rs).
    if kibana.contains("must be one of [i18n.locales]") {
        return "add the default locale to `i18n.locales`, or set `i18n.defaultLocale` (formerly `i18n.locale`) to one of them".into();
    }
    let spec = schema().spec_of(path);
    // The other value is for Elastic Cloud Serverless or development builds.
    if let Some(only) = spec.and_then(|s| s.only) {
        return format!(
            "a self-managed Kibana accepts only `{only}` here: remove the setting or set it to `{only}`"
        );
    }
    if let Some(help) = spec.and_then(|s| s.format).and_then(format_help) {
        return help.into();
    }
    match spec {
        Some(s) if !s.values.is_empty() => format!("use one of: {}", s.values.join(", ")),
        Some(s) => match s.ty {
            crate::kibana::schema::Type::ByteSize => {
                "use a byte size such as `1mb`, `512kb` or a number of bytes".into()
            }
            crate::kibana::schema::Type::Duration => {
                "use a duration such as `60s`, `2m` or a number of milliseconds".into()
            }
            _ => {
                let mut bits = Vec::new();
                if let Some(m) = s.min_length {
                    bits.push(format!("at least {m} characters"));
                }
                if let Some(m) = s.min_size {
                    bits.push(format!("at least {m} item(s)"));
                }
                if let Some(m) = s.min {
                    bits.push(format!("at least {m}"));
                }
                if let Some(m) = s.max {
                    bits.push(format!("at most {m}"));
                }
                if bits.is_empty() {
                    "see the Kibana message for the constraint".into()
                } else {
                    format!("the value must be {}", bits.join(", "))
                }
            }
        },
        None => "see the Kibana message for the constraint".into(),
    }
}
