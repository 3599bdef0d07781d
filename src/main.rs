//! `kibana-preflight`: a thin binary over the library; see `cli`.

fn main() -> std::process::ExitCode {
    kibana_preflight::cli::main()
}

// The linter allocates many small strings and nodes per file; mimalloc is markedly faster than
// the system allocator for that pattern (see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
