//! `kibana-preflight`: a thin binary over the library; see `cli`.

fn main() -> std::process::ExitCode {
    kibana_preflight::cli::main()
}
