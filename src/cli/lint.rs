//! `kibana-preflight lint`: files are linted in parallel and each report is written as soon as
//! it is its turn, so output order follows the command line and memory does not grow with the
//! number of files.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

use super::{EXIT_FINDINGS, EXIT_USAGE, FailOnArg, LintArgs, SourceArgs, usage_error};
use crate::offline::{InputError, LintOptions, lint};
use crate::report::sink::{Outputs, RenderOptions};
use crate::report::text::Paint;
use crate::report::{FailOn, Rendered, Report};
use crate::source::env::Env;
use crate::source::keystore;
use crate::version::Version;

pub(crate) fn run(args: LintArgs, color: bool) -> u8 {
    if args.files.is_empty() && args.source.docker_env.is_none() && args.source.keystore.is_none() {
        return usage_error(
            "nothing to lint: give one or more kibana.yml files (or --docker-env / --keystore)",
        );
    }
    if let Err(code) = connector_id_needs_spec(&args.source) {
        return code;
    }
    let mut opts = match options(&args.source) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if let Some(to) = &args.upgrade_to {
        match to.parse::<Version>() {
            Ok(to) if to <= opts.version => {
                return usage_error(format!(
                    "--upgrade-to {to} is not newer than --kibana-version {}",
                    opts.version
                ));
            }
            Ok(to) => opts.upgrade_to = Some(to),
            Err(e) => return usage_error(e),
        }
    }
    // Reports speak of the version the configuration is judged for.
    let version = opts.upgrade_to.unwrap_or(opts.version);
    let fail_on = fail_on(args.output.fail_on);
    let Inputs {
        files,
        stdin_file,
        mut input_error,
    } = match inputs(&args.files, &mut opts) {
        Ok(i) => i,
        Err(code) => return code,
    };
    if files.is_empty() && args.source.docker_env.is_none() && args.source.keystore.is_none() {
        return EXIT_USAGE;
    }

    // One configuration per file, or one stack of all files.
    let groups: Vec<&[PathBuf]> = if args.stack || files.len() <= 1 {
        vec![&files[..]]
    } else {
        files.chunks(1).collect()
    };
    let settings = RenderOptions {
        paint: Paint { color },
        fail_on,
        multi: groups.len() > 1,
        version,
        docs_url: super::policy().and_then(|p| p.docs_url.clone()),
    };
    let outs = match super::outputs(&args.output, &super::input_paths(&files, &opts)) {
        Ok(o) => o,
        Err(e) => return usage_error(e),
    };
    let mut outputs = match Outputs::begin(outs, settings) {
        Ok(o) => o,
        // Nobody is reading (`| head` already exited): nothing to report to.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return 0,
        Err(e) => return usage_error(format!("cannot start the report: {e}")),
    };
    let mut writing = super::WriteState::default();
    let (failed, unreadable) =
        write_reports(&groups, &opts, &mut outputs, &mut writing, fail_on, version);
    input_error |= unreadable;
    writing.write(|| outputs.finish());
    drop(stdin_file);
    if input_error || writing.failed {
        EXIT_USAGE
    } else if failed {
        EXIT_FINDINGS
    } else {
        0
    }
}

/// The files to lint, from the command line's arguments.
struct Inputs {
    files: Vec<PathBuf>,
    /// Standard input's copy, deleted when dropped: kept until the reports are written.
    stdin_file: Option<StdinFile>,
    /// An argument named nothing to lint (already reported).
    input_error: bool,
}

/// `-` is stdin (kept in a temporary file named `<stdin>` in the output); a directory stands
/// for the kibana*.yml files under it. `Err` carries the exit code after printing why.
fn inputs(args: &[PathBuf], opts: &mut LintOptions) -> Result<Inputs, u8> {
    let mut stdin_file = None;
    let mut files = Vec::new();
    let mut input_error = false;
    for f in args {
        if f.as_os_str() == "-" {
            match read_stdin() {
                Ok(tmp) => {
                    opts.display_names
                        .insert(tmp.path().to_path_buf(), "<stdin>".into());
                    files.push(tmp.path().to_path_buf());
                    stdin_file = Some(tmp);
                }
                Err(e) => return Err(usage_error(format!("cannot read stdin: {e}"))),
            }
        } else if f.is_dir() {
            let found = kibana_files(f);
            if found.is_empty() {
                usage_error(format!(
                    "{}: no kibana.yml or kibana*.yml under this directory",
                    f.display()
                ));
                input_error = true;
            }
            files.extend(found);
        } else {
            files.push(f.clone());
        }
    }
    Ok(Inputs {
        files,
        stdin_file,
        input_error,
    })
}

/// Lints and writes every group, then the policy file's own report. Returns whether any
/// report fails under `--fail-on`, and whether any input could not be read (already reported).
fn write_reports(
    groups: &[&[PathBuf]],
    opts: &LintOptions,
    outputs: &mut Outputs,
    writing: &mut super::WriteState,
    fail_on: FailOn,
    version: Version,
) -> (bool, bool) {
    let kinds = outputs.kinds.clone();
    let settings = outputs.settings.clone();
    let render = |report: Report| Outputs::render(&kinds, &settings, &report);
    let mut failed = false;
    let mut input_error = false;
    each_in_order(groups, opts, &render, |result| match result {
        Ok(parts) => {
            if let Some(p) = parts.first() {
                failed |= fail_on.failed(p.totals);
            }
            writing.write(|| outputs.write(&parts));
        }
        Err(e) => {
            usage_error(e);
            input_error = true;
        }
    });
    // Findings about the policy file itself (ignores without a reason or unused), after the run.
    if let Some(r) = super::policy().and_then(|p| p.file_report(version)) {
        let parts = Outputs::render(&kinds, &settings, &r);
        if let Some(p) = parts.first() {
            failed |= fail_on.failed(p.totals);
        }
        writing.write(|| outputs.write(&parts));
    }
    (failed, input_error)
}

/// Lints and renders every group on a pool of threads and hands the results to `emit` in
/// input order.
fn each_in_order(
    groups: &[&[PathBuf]],
    opts: &LintOptions,
    render: &(impl Fn(Report) -> Vec<Rendered> + Sync),
    mut emit: impl FnMut(Result<Vec<Rendered>, InputError>),
) {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(groups.len())
        .max(1);
    if workers == 1 {
        for g in groups {
            emit(lint(g, opts).map(render));
        }
        return;
    }
    let next = AtomicUsize::new(0);
    // How many results were written; workers do not start more than WINDOW files ahead of it,
    // so results waiting for an earlier, slower file cannot pile up in memory.
    let window = workers * 8;
    let written = (Mutex::new(0usize), Condvar::new());
    let (tx, rx) = mpsc::channel::<(usize, Result<Vec<Rendered>, InputError>)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            let written = &written;
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(group) = groups.get(i) else { break };
                    {
                        let (lock, cvar) = written;
                        let mut done = lock.lock().unwrap_or_else(|e| e.into_inner());
                        while i >= *done + window {
                            done = cvar.wait(done).unwrap_or_else(|e| e.into_inner());
                        }
                    }
                    if tx.send((i, lint(group, opts).map(render))).is_err() {
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
                let (lock, cvar) = &written;
                *lock.lock().unwrap_or_else(|e| e.into_inner()) = expected;
                cvar.notify_all();
            }
        }
    });
}

/// `--connector-id` names the id a connector spec (`--connector`) is created under; alone it
/// means something only to `diagnose`.
pub(super) fn connector_id_needs_spec(src: &SourceArgs) -> Result<(), u8> {
    if src.connector_id.is_some() && src.connector.is_none() {
        return Err(usage_error(
            "--connector-id needs --connector FILE: the connector spec to create under that id",
        ));
    }
    Ok(())
}

/// The lint options the shared arguments describe; `Err` carries the exit code after printing
/// why.
pub(super) fn options(src: &SourceArgs) -> Result<LintOptions, u8> {
    let policy = super::policy();
    let given = src
        .kibana_version
        .clone()
        .or_else(|| policy.as_ref().and_then(|p| p.kibana_version.clone()));
    let version = match &given {
        None => Version::DEFAULT,
        Some(v) => match v.parse::<Version>() {
            Ok(v) if v < Version::OLDEST => {
                return Err(usage_error(format!(
                    "Kibana {v} is older than the versions this tool models ({} and later)",
                    Version::OLDEST
                )));
            }
            Ok(v) => {
                if v.beyond_table() {
                    eprintln!(
                        "kibana-preflight: warning: Kibana {v} is newer than the newest release this version of kibana-preflight covers ({}): it is judged like {}, and settings the table does not know are not judged",
                        Version::NEWEST,
                        Version::NEWEST
                    );
                }
                v
            }
            Err(e) => return Err(usage_error(e)),
        },
    };
    let keystore_password = match &src.keystore {
        Some(_) => match keystore::password_from_env(|k| std::env::var(k).ok()) {
            Ok(p) => p,
            Err(e) => return Err(usage_error(e)),
        },
        None => String::new(),
    };
    Ok(LintOptions {
        version,
        version_given: given.is_some(),
        env: if src.no_process_env {
            Env::new()
        } else {
            Env::from_process()
        },
        env_files: src.env_files.clone(),
        docker_env: src.docker_env.clone(),
        keystore: src.keystore.clone(),
        keystore_password,
        urls: src.urls.clone(),
        connector: src.connector.clone(),
        connector_id: src.connector_id.clone(),
        display_names: std::collections::HashMap::new(),
        policy,
        upgrade_to: None,
        service: src.service.clone(),
    })
}

/// `--fail-on`, else the policy file's `fail_on`, else `error`.
pub(super) fn fail_on(arg: Option<FailOnArg>) -> FailOn {
    let from_policy = super::policy().and_then(|p| p.fail_on.clone());
    match (arg, from_policy.as_deref()) {
        (Some(FailOnArg::Warning), _) | (None, Some("warning")) => FailOn::Warning,
        (Some(FailOnArg::Note), _) | (None, Some("note")) => FailOn::Note,
        (Some(FailOnArg::Never), _) | (None, Some("never")) => FailOn::Never,
        _ => FailOn::Error,
    }
}

/// Standard input, held where the linter can read it like any file.
pub(crate) struct StdinFile {
    /// Kept open for the run: on Unix the file has no name on disk, only this descriptor.
    #[cfg(unix)]
    _file: std::fs::File,
    #[cfg(not(unix))]
    _file: tempfile::NamedTempFile,
    path: PathBuf,
}

impl StdinFile {
    fn path(&self) -> &std::path::Path {
        &self.path
    }
}

/// Standard input in an unnamed temporary file, read back through `/dev/fd/N`: nothing (and
/// no secret) is left on disk, even when the run is interrupted.
#[cfg(unix)]
fn read_stdin() -> std::io::Result<StdinFile> {
    use std::io::{Seek, Write};
    use std::os::fd::AsRawFd;
    let text = crate::source::files::read_capped(std::io::stdin(), "stdin")
        .map_err(std::io::Error::other)?;
    let mut file = tempfile::tempfile()?;
    file.write_all(&text)?;
    file.flush()?;
    file.rewind()?;
    let path = PathBuf::from(format!("/dev/fd/{}", file.as_raw_fd()));
    Ok(StdinFile { _file: file, path })
}

#[cfg(not(unix))]
fn read_stdin() -> std::io::Result<StdinFile> {
    use std::io::Write;
    let text = crate::source::files::read_capped(std::io::stdin(), "stdin")
        .map_err(std::io::Error::other)?;
    let mut tmp = tempfile::Builder::new().suffix(".yml").tempfile()?;
    tmp.write_all(&text)?;
    tmp.flush()?;
    let path = tmp.path().to_path_buf();
    Ok(StdinFile { _file: tmp, path })
}

/// `kibana.yml`, `kibana*.yml` and `kibana*.yaml` files under `dir`, sorted; hidden
/// directories, `node_modules` and `target` are skipped, symlinked directories not followed.
pub(super) fn kibana_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(e.file_type().is_dir()
                    && (name.starts_with('.') || name == "node_modules" || name == "target"))
        })
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_type().is_dir())
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
            // kibana*.yml by name; Compose files, manifests and chart values by content.
            yaml && (name.starts_with("kibana")
                || crate::offline::containers::holds_kibana(e.path()))
        })
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}
