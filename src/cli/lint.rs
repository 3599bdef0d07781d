//! `kibana-preflight lint`.

use std::io::Write as _;

use super::{EXIT_FINDINGS, EXIT_USAGE, FailOnArg, Format, LintArgs, usage_error};
use crate::kibana::version::Version;
use crate::lint::{LintOptions, lint};
use crate::report::text::Paint;
use crate::report::{FailOn, Report, Totals, json, text};
use crate::source::env::Env;
use crate::source::keystore;

pub fn run(args: LintArgs, color: bool) -> u8 {
    let version = match &args.kibana_version {
        None => Version::DEFAULT,
        Some(v) => match v.parse::<Version>() {
            Ok(v) if v < Version::OLDEST => {
                return usage_error(format!(
                    "Kibana {v} is older than the versions this tool models ({} and later)",
                    Version::OLDEST
                ));
            }
            Ok(v) => {
                if v.major > 9 {
                    eprintln!(
                        "kibana-preflight: warning: Kibana {v} is newer than the versions covered (up to 9.x); judging it like 9.x"
                    );
                }
                v
            }
            Err(e) => return usage_error(e),
        },
    };
    if args.files.is_empty() && args.docker_env.is_none() && args.keystore.is_none() {
        return usage_error(
            "nothing to lint: give one or more kibana.yml files (or --docker-env / --keystore)",
        );
    }
    let keystore_password = match &args.keystore {
        Some(_) => match keystore::password_from_env(|k| std::env::var(k).ok()) {
            Ok(p) => p,
            Err(e) => return usage_error(e),
        },
        None => String::new(),
    };
    let opts = LintOptions {
        version,
        version_given: args.kibana_version.is_some(),
        env: if args.no_process_env {
            Env::new()
        } else {
            Env::from_process()
        },
        env_files: args.env_files.clone(),
        docker_env: args.docker_env.clone(),
        keystore: args.keystore.clone(),
        keystore_password,
    };

    // One configuration per file, or one stack of all files.
    let groups: Vec<Vec<std::path::PathBuf>> = if args.stack || args.files.len() <= 1 {
        vec![args.files.clone()]
    } else {
        args.files.iter().map(|f| vec![f.clone()]).collect()
    };
    let mut reports: Vec<Report> = Vec::new();
    let mut input_error = false;
    for group in groups {
        match lint(&group, &opts) {
            Ok(r) => reports.push(r),
            Err(e) => {
                usage_error(e);
                input_error = true;
            }
        }
    }
    let fail_on = match args.fail_on {
        FailOnArg::Error => FailOn::Error,
        FailOnArg::Warning => FailOn::Warning,
        FailOnArg::Never => FailOn::Never,
    };
    let rendered = match args.format {
        Format::Text => text::render(&reports, Paint { color }, fail_on),
        Format::Json => json::render(&reports, fail_on),
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = stdout.write_all(rendered.as_bytes());
    let _ = stdout.flush();
    if input_error {
        EXIT_USAGE
    } else if fail_on.failed(Totals::of(&reports)) {
        EXIT_FINDINGS
    } else {
        0
    }
}
