//! `kibana-preflight lint`: files are linted in parallel and each report is written as soon as
//! it is its turn, so output order follows the command line and memory does not grow with the
//! number of files.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use super::{EXIT_FINDINGS, EXIT_USAGE, FailOnArg, Format, LintArgs, usage_error};
use crate::kibana::version::Version;
use crate::lint::{InputError, LintOptions, lint};
use crate::report::json::JsonStream;
use crate::report::text::{Paint, TextStream};
use crate::report::{FailOn, Report};
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
    let fail_on = match args.fail_on {
        FailOnArg::Error => FailOn::Error,
        FailOnArg::Warning => FailOn::Warning,
        FailOnArg::Never => FailOn::Never,
    };

    // One configuration per file, or one stack of all files.
    let groups: Vec<Vec<PathBuf>> = if args.stack || args.files.len() <= 1 {
        vec![args.files.clone()]
    } else {
        args.files.iter().map(|f| vec![f.clone()]).collect()
    };
    let stdout = std::io::stdout().lock();
    let mut sink = match args.format {
        Format::Text => Sink::Text(TextStream::new(
            stdout,
            Paint { color },
            fail_on,
            groups.len() > 1,
        )),
        Format::Json => match JsonStream::begin(stdout, version, fail_on) {
            Ok(s) => Sink::Json(s),
            Err(_) => return EXIT_USAGE,
        },
    };
    let mut input_error = false;
    let mut failed = false;
    each_in_order(&groups, &opts, |result| match result {
        Ok(report) => {
            failed |= fail_on.failed(crate::report::Totals::of(std::slice::from_ref(&report)));
            // A closed pipe (`| head`) is not worth a panic; stop writing quietly.
            let _ = sink.report(&report);
        }
        Err(e) => {
            usage_error(e);
            input_error = true;
        }
    });
    let _ = sink.finish();
    if input_error {
        EXIT_USAGE
    } else if failed {
        EXIT_FINDINGS
    } else {
        0
    }
}

enum Sink<W: std::io::Write> {
    Text(TextStream<W>),
    Json(JsonStream<W>),
}

impl<W: std::io::Write> Sink<W> {
    fn report(&mut self, r: &Report) -> std::io::Result<()> {
        match self {
            Sink::Text(s) => s.report(r),
            Sink::Json(s) => s.report(r),
        }
    }

    fn finish(self) -> std::io::Result<()> {
        let mut out = match self {
            Sink::Text(s) => s.finish()?,
            Sink::Json(s) => s.finish()?,
        };
        out.flush()
    }
}

/// Lints every group on a pool of threads and hands the results to `emit` in input order.
fn each_in_order(
    groups: &[Vec<PathBuf>],
    opts: &LintOptions,
    mut emit: impl FnMut(Result<Report, InputError>),
) {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(groups.len())
        .max(1);
    if workers == 1 {
        for g in groups {
            emit(lint(g, opts));
        }
        return;
    }
    let next = AtomicUsize::new(0);
    // Bounded, so a slow consumer (a pipe) holds the workers back instead of filling memory.
    let (tx, rx) = mpsc::sync_channel::<(usize, Result<Report, InputError>)>(workers * 4);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(group) = groups.get(i) else { break };
                    if tx.send((i, lint(group, opts))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut expected = 0;
        for (i, result) in rx {
            pending.insert(i, result);
            while let Some(r) = pending.remove(&expected) {
                emit(r);
                expected += 1;
            }
        }
    });
}
