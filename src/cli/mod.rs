//! The command line: argument definitions (clap derive) and one file per subcommand.
//! Exit codes: 0 no errors, 1 findings at or above `--fail-on`, 2 usage or input error.

mod check;
mod diagnose;
mod explain;
mod lint;
mod schema;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Exit code for findings that fail the run.
pub(crate) const EXIT_FINDINGS: u8 = 1;
/// Exit code for usage and input errors (clap uses it too).
pub(crate) const EXIT_USAGE: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "kibana-preflight",
    version,
    long_version = long_version(),
    about = "Tells you, before you deploy, whether a Kibana Webhook connector will work, and why not.",
    long_about = "Tells you, before you deploy, whether a Kibana Webhook connector will work, and why not.\n\n\
                  `lint` reads kibana.yml exactly as Kibana does (YAML, ${VAR} substitution, Docker \
                  environment, keystore) and reports every prerequisite problem with file:line:column. \
                  `check` adds the network (DNS, TCP, proxy, TLS judged as Kibana's Node.js would) and \
                  the running Kibana, and can create and test the connector. `diagnose` explains an \
                  error text a failed connector test gave.\n\n\
                  Exit codes: 0 no errors, 1 findings (errors, or warnings with --fail-on warning), \
                  2 usage or input error."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,

    /// When to use colours (NO_COLOR is honoured in auto mode).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,

    /// The project's policy file: defaults, severity overrides and ignores with reasons
    /// [default: kibana-preflight.toml in this directory or a parent].
    #[arg(long = "config-file", global = true, value_name = "FILE")]
    pub(crate) config_file: Option<std::path::PathBuf>,
}

/// `--version`: the version, the commit, and the Kibana versions this build models.
fn long_version() -> &'static str {
    static TEXT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use crate::version::Version;
        format!(
            "{} (commit {})\nmodels Kibana {} to {} (default {}; newer versions are judged like {})",
            env!("CARGO_PKG_VERSION"),
            env!("KP_GIT_COMMIT"),
            Version::OLDEST,
            Version::NEWEST,
            Version::DEFAULT,
            Version::NEWEST
        )
    });
    TEXT.as_str()
}

static POLICY: std::sync::OnceLock<Option<std::sync::Arc<crate::policy::Policy>>> =
    std::sync::OnceLock::new();

/// The policy file of this run, if any.
pub(crate) fn policy() -> Option<std::sync::Arc<crate::policy::Policy>> {
    POLICY.get().cloned().flatten()
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Lint kibana.yml files offline: syntax, schema, connector type, allowedHosts,
    /// customHostSettings, proxy and encryption keys.
    Lint(Box<LintArgs>),
    /// Lint, then probe every webhook URL as Kibana's Node.js process would reach it (DNS, TCP,
    /// proxy tunnel, TLS chain judged with Kibana's trust rules); with KIBANA_URL, check the
    /// running Kibana and create and test the connector when everything passed.
    Check(Box<CheckArgs>),
    /// Explain a failed connector's error text (Test tab, API answer, Kibana log): what
    /// happened, the likely causes, the fix; with --config/--url/--connector or KIBANA_URL,
    /// confirm the cause by running the checks.
    Diagnose(Box<DiagnoseArgs>),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff): `kibana-preflight man > kibana-preflight.1`, or one
    /// subcommand's with its options: `kibana-preflight man lint > kibana-preflight-lint.1`.
    Man {
        /// The subcommand whose page to print.
        subcommand: Option<String>,
    },
    /// List every rule with its id, name, severity and module.
    Rules(RulesArgs),
    /// Explain one rule: what it checks, why, and how to fix it.
    Explain(ExplainArgs),
    /// Print the JSON Schema of kibana.yml for a Kibana version, for editors: with
    /// yaml-language-server (VS Code, JetBrains, Neovim) it gives completion and marks unknown,
    /// removed and mistyped settings as you type.
    Schema(SchemaArgs),
}

#[derive(Args, Debug)]
pub(crate) struct SchemaArgs {
    /// The Kibana version, e.g. 9.1 or 8.19.3 [default: the newest covered].
    #[arg(long = "kibana-version", value_name = "X.Y[.Z]")]
    pub(crate) kibana_version: Option<String>,
}

#[derive(Args, Debug)]
pub(crate) struct LintArgs {
    /// kibana.yml files. Each is linted on its own, unless --stack.
    #[arg(value_name = "FILE")]
    pub(crate) files: Vec<std::path::PathBuf>,

    /// Treat the files as one Kibana's config stack (like `kibana -c a.yml -c b.yml`): later
    /// files override earlier ones.
    #[arg(long)]
    pub(crate) stack: bool,

    /// Report what changes when Kibana is upgraded from --kibana-version to this version:
    /// settings that would stop it, new deprecations, changed behaviour (what the current
    /// version already reports is left out).
    #[arg(long = "upgrade-to", value_name = "X.Y[.Z]")]
    pub(crate) upgrade_to: Option<String>,

    #[command(flatten)]
    pub(crate) source: SourceArgs,

    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

/// Where the configuration comes from, and what to judge with it (shared by lint and check).
#[derive(Args, Debug)]
pub(crate) struct SourceArgs {
    /// The Kibana version to judge against, e.g. 9.1 or 8.19.3 [default: 9.5, the newest release
    /// the settings table covers].
    #[arg(long = "kibana-version", value_name = "X.Y[.Z]")]
    pub(crate) kibana_version: Option<String>,

    /// KEY=VALUE lines added to the environment ${VAR} references resolve against.
    #[arg(long = "env-file", value_name = "FILE")]
    pub(crate) env_files: Vec<std::path::PathBuf>,

    /// Resolve ${VAR} only from --env-file/--docker-env, not from this shell's environment
    /// (which is usually not Kibana's).
    #[arg(long = "no-process-env")]
    pub(crate) no_process_env: bool,

    /// A Kibana container's environment (KEY=VALUE lines, as `docker run --env-file` or
    /// `docker exec kibana env` give), mapped to settings as the Docker image does.
    #[arg(long = "docker-env", value_name = "FILE")]
    pub(crate) docker_env: Option<std::path::PathBuf>,

    /// A kibana.keystore to read (password from KBN_KEYSTORE_PASSPHRASE_FILE or
    /// KEYSTORE_PASSWORD, as for Kibana; empty by default). Values are never printed.
    #[arg(long, value_name = "PATH")]
    pub(crate) keystore: Option<std::path::PathBuf>,

    /// A webhook URL to judge against the configuration (repeatable): is its host allowed,
    /// which customHostSettings entry applies, proxy or direct, which TLS checks.
    #[arg(long = "url", value_name = "URL")]
    pub(crate) urls: Vec<String>,

    /// A webhook connector to check: the JSON (or YAML) body of POST /api/actions/connector,
    /// {name, connector_type_id, config, secrets}. ${VAR} in it comes from the environment, so
    /// secrets need not be in the file.
    #[arg(long, value_name = "FILE")]
    pub(crate) connector: Option<std::path::PathBuf>,

    /// In a Docker Compose file or Kubernetes manifest with several Kibanas, the one to check
    /// (its service name, or the Kibana resource's or ConfigMap's name) [default: the first].
    #[arg(long, value_name = "NAME")]
    pub(crate) service: Option<String>,

    /// The id the connector is to be created under (POST /api/actions/connector/<id>, 8.8+),
    /// with --connector. For `diagnose` without --connector: the connector whose failed
    /// executions of the last 30 days to read from the running Kibana (KIBANA_URL), from its
    /// execution log (8.7+) or event log, instead of a pasted text.
    #[arg(long = "connector-id", value_name = "ID")]
    pub(crate) connector_id: Option<String>,
}

#[derive(Args, Debug)]
pub(crate) struct OutputArgs {
    /// Output format [default: text; under GitHub Actions, text plus annotations].
    #[arg(long, value_enum)]
    pub(crate) format: Option<FormatArg>,

    /// Write the --format output to FILE, and the text report to the terminal, so one run feeds
    /// both a human and a CI artifact.
    #[arg(long, value_name = "FILE", requires = "format")]
    pub(crate) output: Option<std::path::PathBuf>,

    /// Lowest severity that makes the exit code 1 [default: error, or fail_on in the policy file].
    #[arg(long = "fail-on", value_enum)]
    pub(crate) fail_on: Option<FailOnArg>,
}

#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
    /// kibana.yml files, applied in order as one Kibana's config stack.
    #[arg(value_name = "FILE")]
    pub(crate) files: Vec<std::path::PathBuf>,

    /// Another kibana.yml of the stack (same as a FILE argument).
    #[arg(long = "config", value_name = "FILE")]
    pub(crate) configs: Vec<std::path::PathBuf>,

    #[command(flatten)]
    pub(crate) source: SourceArgs,

    #[command(flatten)]
    pub(crate) probe: ProbeArgs,

    #[command(flatten)]
    pub(crate) kibana: KibanaArgs,

    #[command(flatten)]
    pub(crate) deploy: DeployArgs,

    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

/// How the network probes run.
#[derive(Args, Debug)]
pub(crate) struct ProbeArgs {
    /// Seconds each network step may take (resolve, connect, tunnel, handshake).
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    pub(crate) timeout: f64,

    /// How many targets are probed at once (each holds a socket and a DNS query).
    #[arg(long, value_name = "N", default_value_t = crate::probe::DEFAULT_CONCURRENCY)]
    pub(crate) concurrency: usize,

    /// Ask this DNS server (ADDR or ADDR:PORT) instead of the system's resolvers.
    #[arg(long = "dns-server", value_name = "ADDR[:PORT]")]
    pub(crate) dns_server: Option<String>,

    /// Use ADDR for HOST:PORT instead of resolving it, as curl's --resolve (repeatable).
    #[arg(long, value_name = "HOST:PORT:ADDR")]
    pub(crate) resolve: Vec<String>,

    /// Extra CA certificates Kibana's Node.js trusts besides its bundled list, as the
    /// NODE_EXTRA_CA_CERTS of Kibana's process [default: $NODE_EXTRA_CA_CERTS].
    #[arg(long = "node-extra-ca-certs", value_name = "FILE")]
    pub(crate) node_extra_ca_certs: Option<std::path::PathBuf>,

    /// Warn about certificates that expire within this many days.
    #[arg(
        long = "expiry-warning-days",
        value_name = "DAYS",
        default_value_t = 30
    )]
    pub(crate) expiry_warning_days: u32,
}

/// How to reach the running Kibana.
#[derive(Args, Debug)]
pub(crate) struct KibanaArgs {
    /// The running Kibana to check and create the connector in, server.basePath included
    /// [default: $KIBANA_URL]. Credentials come from KIBANA_API_KEY (or --api-key-file), or
    /// KIBANA_USERNAME and KIBANA_PASSWORD — never from the command line.
    #[arg(long = "kibana-url", value_name = "URL")]
    pub(crate) kibana_url: Option<String>,

    /// The Kibana space for the connector [default: $KIBANA_SPACE, else the default space].
    #[arg(long, value_name = "ID")]
    pub(crate) space: Option<String>,

    /// A file holding the API key (the `encoded` value) [default: $KIBANA_API_KEY].
    #[arg(long = "api-key-file", value_name = "FILE")]
    pub(crate) api_key_file: Option<std::path::PathBuf>,

    /// A file holding the password for KIBANA_USERNAME [default: $KIBANA_PASSWORD].
    #[arg(long = "password-file", value_name = "FILE")]
    pub(crate) password_file: Option<std::path::PathBuf>,

    /// Kibana's own CA certificate (PEM) [default: $KIBANA_CA_CERT].
    #[arg(long, value_name = "FILE")]
    pub(crate) cacert: Option<std::path::PathBuf>,

    /// Do not verify Kibana's TLS certificate (a warning says so).
    #[arg(long)]
    pub(crate) insecure: bool,

    /// Log each Kibana API call (method, URL, status, time) to stderr; credentials are masked.
    #[arg(short, long)]
    pub(crate) verbose: bool,
}

/// Creating and testing the connector.
#[derive(Args, Debug)]
pub(crate) struct DeployArgs {
    /// Create the connector (POST /api/actions/connector/<id>) when no check found an error.
    /// Needs --connector and --connector-id (or KIBANA_CONNECTOR_ID).
    #[arg(long)]
    pub(crate) create: bool,

    /// With --create: replace an existing connector that differs from the spec (PUT).
    #[arg(long, requires = "create")]
    pub(crate) update: bool,

    /// Test the connector (POST …/_execute) and explain a failure.
    #[arg(long)]
    pub(crate) test: bool,

    /// The test body (sent as the webhook's raw body) [default: a short JSON alert].
    #[arg(long = "test-body", value_name = "FILE", requires = "test")]
    pub(crate) test_body: Option<std::path::PathBuf>,
}

#[derive(Args, Debug)]
pub(crate) struct DiagnoseArgs {
    /// The error text: from the connector's Test tab, an API answer (the `_execute` JSON works),
    /// or a Kibana log excerpt. Read from stdin when absent.
    #[arg(value_name = "TEXT")]
    pub(crate) text: Option<String>,

    /// Read the error text from this file.
    #[arg(long, value_name = "FILE", conflicts_with = "text")]
    pub(crate) input: Option<std::path::PathBuf>,

    /// With --connector-id: how many failed executions to read, newest first [default: 20].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=100))]
    pub(crate) executions: Option<u16>,

    /// A kibana.yml to confirm the diagnosis against (repeatable: a stack).
    #[arg(long = "config", value_name = "FILE")]
    pub(crate) configs: Vec<std::path::PathBuf>,

    /// The failing connector's type (`.email`, `.webhook`, …) when the text does not say it:
    /// some fixes depend on it (an e-mail connector's CA goes in an smtp:// customHostSettings
    /// entry).
    #[arg(long = "connector-type", value_name = "TYPE")]
    pub(crate) connector_type: Option<String>,

    #[command(flatten)]
    pub(crate) source: SourceArgs,

    #[command(flatten)]
    pub(crate) probe: ProbeArgs,

    #[command(flatten)]
    pub(crate) kibana: KibanaArgs,

    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Args, Debug)]
pub(crate) struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub(crate) format: ListFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub(crate) struct ExplainArgs {
    /// A rule id (KP301) or name (invalid-allowed-host).
    pub(crate) rule: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    Text,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// JUnit XML, for GitLab and Jenkins test reports.
    Junit,
    /// GitHub Actions annotations (plus a summary in $GITHUB_STEP_SUMMARY).
    Github,
}

impl FormatArg {
    pub(crate) fn kind(self) -> crate::report::sink::ReportFormat {
        use crate::report::sink::ReportFormat;
        match self {
            FormatArg::Text => ReportFormat::Text,
            FormatArg::Json => ReportFormat::Json,
            FormatArg::Sarif => ReportFormat::Sarif,
            FormatArg::Junit => ReportFormat::Junit,
            FormatArg::Github => ReportFormat::Github,
        }
    }
}

/// Every file a run reads, so `--output` can refuse to be one of them.
pub(crate) fn input_paths(files: &[PathBuf], lint: &crate::offline::LintOptions) -> Vec<PathBuf> {
    let mut inputs: Vec<PathBuf> = files.to_vec();
    inputs.extend(lint.env_files.iter().cloned());
    inputs.extend(lint.docker_env.iter().cloned());
    inputs.extend(lint.keystore.iter().cloned());
    inputs.extend(lint.connector.iter().cloned());
    inputs.extend(policy().and_then(|p| p.path.clone()));
    inputs
}

/// The input `output` is, if it is one: writing the report there would truncate the input
/// (before `lint` reads it) or overwrite it with the report.
fn output_is_input<'a>(output: &Path, inputs: &'a [PathBuf]) -> Option<&'a Path> {
    let out = std::fs::canonicalize(output).ok()?;
    inputs
        .iter()
        .find(|i| std::fs::canonicalize(i).ok().is_some_and(|i| i == out))
        .map(PathBuf::as_path)
}

/// The outputs the flags ask for: (format, destination); `Err` is a message.
pub(crate) fn outputs(
    o: &OutputArgs,
    inputs: &[PathBuf],
) -> Result<Vec<(crate::report::sink::ReportFormat, crate::report::sink::Out)>, String> {
    use crate::report::sink::ReportFormat;
    let stdout = || Box::new(std::io::stdout()) as crate::report::sink::Out;
    let github = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    Ok(match (o.format, &o.output) {
        (None, _) if github => vec![
            (ReportFormat::Text, stdout()),
            (ReportFormat::Github, stdout()),
        ],
        (None, _) => vec![(ReportFormat::Text, stdout())],
        (Some(f), None) => vec![(f.kind(), stdout())],
        (Some(f), Some(path)) => {
            if let Some(input) = output_is_input(path, inputs) {
                return Err(format!(
                    "--output {} is an input of this run ({}): writing the report there would destroy it",
                    path.display(),
                    input.display()
                ));
            }
            let file = std::fs::File::create(path)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            let file = Box::new(std::io::BufWriter::new(file)) as crate::report::sink::Out;
            if f == FormatArg::Text {
                vec![(ReportFormat::Text, file)]
            } else {
                vec![(ReportFormat::Text, stdout()), (f.kind(), file)]
            }
        }
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOnArg {
    Error,
    Warning,
    /// Any finding, notes included.
    Note,
    Never,
}

impl ColorChoice {
    /// Colour only on a terminal, never with NO_COLOR set or TERM=dumb, unless forced.
    pub(crate) fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
                !no_color && !dumb && std::io::stdout().is_terminal()
            }
        }
    }
}

/// Parses arguments and runs; the binary only maps the result to the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = cli.color.enabled();
    let found = cli.config_file.clone().or_else(|| {
        std::env::current_dir()
            .ok()
            .and_then(|d| crate::policy::find(&d))
    });
    let policy = match found.map(|p| crate::policy::Policy::load(&p)) {
        Some(Ok(p)) => Some(std::sync::Arc::new(p)),
        Some(Err(e)) => return ExitCode::from(usage_error(e)),
        None => None,
    };
    let _ = POLICY.set(policy);
    let code = match cli.command {
        Command::Lint(args) => lint::run(*args, color),
        Command::Check(args) => check::run(*args, color),
        Command::Diagnose(args) => diagnose::run(*args, color),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "kibana-preflight", &mut script);
            write_stdout(&script, "the completion script")
        }
        Command::Man { subcommand } => man_page(subcommand.as_deref()),
        Command::Rules(args) => explain::rules(args),
        Command::Explain(args) => explain::explain(args, color),
        Command::Schema(args) => schema::run(args),
    };
    ExitCode::from(code)
}

/// The manual page of the tool, or of one subcommand with its options
/// (`kibana-preflight-lint(1)`).
fn man_page(subcommand: Option<&str>) -> u8 {
    use clap::CommandFactory;
    let root = Cli::command();
    let cmd = match subcommand {
        None => root,
        Some(name) => match root.find_subcommand(name) {
            Some(sub) => sub
                .clone()
                .name(format!("kibana-preflight-{name}"))
                .bin_name(format!("kibana-preflight {name}")),
            None => {
                let names: Vec<&str> = root.get_subcommands().map(|s| s.get_name()).collect();
                return usage_error(format!(
                    "no subcommand {name:?} (one of: {})",
                    names.join(", ")
                ));
            }
        },
    };
    let mut page = Vec::new();
    match clap_mangen::Man::new(cmd).render(&mut page) {
        Ok(()) => write_stdout(&page, "the manual page"),
        Err(e) => usage_error(format!("cannot render the manual page: {e}")),
    }
}

/// Where the reports go, and whether writing them failed. A reader that went away (`| head`)
/// ends the output quietly; any other write error (a full disk, `/dev/full`, a file-size limit)
/// is said once on stderr and makes the run exit 2, since the report is lost or cut short.
#[derive(Default)]
pub(crate) struct WriteState {
    stopped: bool,
    pub(crate) failed: bool,
}

impl WriteState {
    /// Writes with `write` unless an earlier write already stopped the output.
    pub(crate) fn write(&mut self, write: impl FnOnce() -> std::io::Result<()>) {
        if self.stopped {
            return;
        }
        if let Err(e) = write() {
            self.stopped = true;
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                usage_error(format!("cannot write the report: {e}"));
                self.failed = true;
            }
        }
    }
}

/// Writes `bytes` to stdout; a reader that went away (`| head`) is not an error.
fn write_stdout(bytes: &[u8], what: &str) -> u8 {
    use std::io::Write;
    match std::io::stdout().lock().write_all(bytes) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => usage_error(format!("cannot write {what}: {e}")),
    }
}

/// A one-line error about the tool's own input, on stderr.
pub(crate) fn usage_error(message: impl std::fmt::Display) -> u8 {
    eprintln!("kibana-preflight: error: {message}");
    EXIT_USAGE
}
