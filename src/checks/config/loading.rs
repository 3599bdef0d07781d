//! Findings about reading the configuration: file contents, YAML as Kibana's parsers take
//! it, `${VAR}` references, the Docker environment, the keystore and overridden values.

use crate::checks::Context;
use crate::kibana::schema::schema;
use crate::kibana::{yaml_parsers, yaml_words};
use crate::model::load::{LoadIssue, OverrideSource};
use crate::model::tree::{Node, SettingPath};
use crate::report::finding::{Finding, Provenance};
use crate::rules::Rule;
use crate::source::docker_env::DockerIssue;
use crate::source::env::{LiteralReason, LiteralRef};
use crate::source::files::{ContentIssue, MAX_FILE_SIZE};
use crate::source::keystore::KeystoreError;
use crate::source::yaml::{KibanaYaml, MAX_DEPTH, YamlIssue};
use crate::source::{FileId, Location, Origin, Span};

pub(super) fn at(file: usize, span: Span) -> Option<Location> {
    Some(Location { file, span })
}

pub(super) fn load_issue(cx: &Context, issue: &LoadIssue) -> Option<Finding> {
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
