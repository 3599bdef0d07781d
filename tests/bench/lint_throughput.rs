//! Throughput and memory of `kibana-preflight lint` on many files (a fleet audit).
//!
//!     cargo bench --bench lint_throughput            # 1,000 and 10,000 files
//!     cargo bench --bench lint_throughput -- 50000   # other counts
//!
//! Generates ~2 KB kibana.yml files (clean and broken ones, dotted and nested, with env
//! references, customHostSettings, proxies and preconfigured connectors), then runs the release
//! binary on all of them with `--format json` into /dev/null, three times per count, and reports
//! the median wall time and the child's peak resident memory (getrusage via wait4). Results are
//! recorded in docs/performance.md. Not a test: nothing here asserts a time.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn main() {
    let counts: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let counts = if counts.is_empty() {
        vec![1_000, 10_000]
    } else {
        counts
    };
    let max = *counts.iter().max().unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");
    let files = generate(&dir, max);
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    println!(
        "generated {} files, {:.0} bytes on average, in {}",
        files.len(),
        bytes as f64 / files.len() as f64,
        dir.display()
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("cores available: {cores}");
    // Warm the page cache and the binary.
    run(&files[..100.min(files.len())]);
    for &n in &counts {
        let mut samples: Vec<(f64, i64)> = (0..3).map(|_| run(&files[..n])).collect();
        samples.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (secs, _) = samples[1];
        let peak_kb = samples.iter().map(|s| s.1).max().unwrap();
        println!(
            "{n:>7} files: median {:.3} s = {:>8.0} files/s, {:.1} MB/s; peak RSS {:.1} MB",
            secs,
            n as f64 / secs,
            bytes as f64 / files.len() as f64 * n as f64 / secs / 1e6,
            peak_kb as f64 / 1024.0
        );
    }
}

/// Runs the binary on `files`; returns (seconds, peak RSS in KiB).
// The child is reaped by wait4, which also gives its resource usage; std's wait would not.
#[allow(clippy::zombie_processes)]
fn run(files: &[PathBuf]) -> (f64, i64) {
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_kibana-preflight"))
        .args(["lint", "--no-process-env", "--format", "json"])
        .args(files)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary runs");
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child, which is not yet reaped.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    let secs = start.elapsed().as_secs_f64();
    let code = libc::WEXITSTATUS(status);
    assert!(code == 0 || code == 1, "exit code {code}");
    (secs, usage.ru_maxrss)
}

/// Writes `n` files (reusing them when already there) and returns their paths.
fn generate(dir: &Path, n: usize) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    (0..n)
        .map(|i| {
            let path = dir.join(format!("kibana-{i:06}.yml"));
            if !path.exists() {
                std::fs::write(&path, file(i)).unwrap();
            }
            path
        })
        .collect()
}

/// One ~2 KB configuration; `i` picks a variant so the set mixes clean and broken files.
fn file(i: usize) -> String {
    let host = format!("hooks-{}.example{}.com", i % 97, i % 7);
    let mut s = format!(
        "# =========================== Kibana Configuration ===========================\n\
         # Generated fixture {i} for the kibana-preflight throughput benchmark.\n\
         server.name: kibana-{i}\n\
         server.host: 0.0.0.0\n\
         server.publicBaseUrl: \"https://kibana-{i}.example.com\"\n\
         elasticsearch.hosts: [\"https://es01:9200\", \"https://es02:9200\"]\n\
         elasticsearch.username: kibana_system\n\
         elasticsearch.password: \"${{ES_PASSWORD:changeme}}\"\n\
         elasticsearch.ssl.certificateAuthorities: [\"/usr/share/kibana/config/certs/ca.crt\"]\n\
         logging.root.level: info\n\
         logging.appenders.file:\n  type: file\n  fileName: /var/log/kibana/kibana.log\n  \
         layout:\n    type: json\n\
         telemetry.optIn: false\n\
         # ------------------------------- Alerting and Actions ------------------------------\n\
         # Connectors send alert payloads to the hosts listed below; see the runbook before\n\
         # adding a host, and keep the CA bundle in sync with the receiving side.\n\
         xpack.alerting.rules.minimumScheduleInterval.value: 1m\n\
         xpack.task_manager.poll_interval: 3000\n\n"
    );
    match i % 4 {
        0 => s.push_str(&format!(
            "xpack.actions.allowedHosts: [\"{host}\", \"alerts.example.net\", \"pager.example.org\"]\n\
             xpack.actions.enabledActionTypes: [\".webhook\", \".email\", \".slack\", \".index\"]\n"
        )),
        1 => s.push_str(&format!(
            "xpack:\n  actions:\n    allowedHosts:\n      - {host}\n      - alerts.example.net\n    \
             enabledActionTypes: [\".webhook\", \".email\"]\n    maxResponseContentLength: 2mb\n    \
             responseTimeout: 90s\n"
        )),
        2 => s.push_str(&format!(
            "xpack.actions.allowedHosts: [\"https://{host}:8443\", \"*.ngrok.io\"]\n\
             xpack.actions.enabledActionTypes: [webhook]\n"
        )),
        _ => s.push_str("xpack.actions.allowedHosts: [\"*\"]\n"),
    }
    s.push_str(&format!(
        "xpack.actions.customHostSettings:\n  - url: https://{host}:8443\n    ssl:\n      \
         verificationMode: {}\n      certificateAuthoritiesData: |\n        \
         -----BEGIN CERTIFICATE-----\n        \
         MIIBszCCAVmgAwIBAgIUeGVhbXBsZS1jZXJ0aWZpY2F0ZS1mb3ItdGVzdDAKBggq\n        \
         -----END CERTIFICATE-----\n  - url: {}://mail.example.com:587\n    smtp:\n      requireTLS: true\n",
        ["full", "certificate", "none"][i % 3],
        if i % 5 == 0 { "http" } else { "smtp" },
    ));
    if i % 3 == 0 {
        s.push_str(
            "xpack.actions.proxyUrl: http://proxy.internal:3128\n\
             xpack.actions.proxyBypassHosts: [\"intranet.example.com\", \"wiki.example.com\"]\n",
        );
    }
    s.push_str(&format!(
        "xpack.actions.preconfigured:\n  ops-hook-{i}:\n    name: Ops webhook {i}\n    actionTypeId: .webhook\n    \
         config:\n      url: https://{host}/elastic/alerts\n      method: post\n      hasAuth: true\n    \
         secrets:\n      user: webhook-client\n      password: \"${{WEBHOOK_PASSWORD:secret}}\"\n\n"
    ));
    match i % 5 {
        0 => s.push_str("xpack.encryptedSavedObjects.encryptionKey: \"${ESO_KEY}\"\n"),
        1 => s.push_str("xpack.encryptedSavedObjects.encryptionKey: \"too-short-key\"\n"),
        2 => s.push_str(
            "xpack.encryptedSavedObjects.encryptionKey: \"12345678901234567890123456789012\"\n",
        ),
        _ => s.push_str(&format!(
            "xpack.encryptedSavedObjects.encryptionKey: \"Vq3nR8xL2pT6zW9kD4hJ7sB1mF{i:06}\"\n"
        )),
    }
    s.push_str(
        "xpack.security.encryptionKey: \"Ne6uK1wP8rZ3tX5yC9vB2qM7jH4dL0fS\"\n\
         xpack.reporting.encryptionKey: \"Gt4mW9pR2xK7zL1nV5cJ8qB3hD6sF0yE\"\n\
         # xpack.reporting.roles.enabled: false\n\
         # monitoring.ui.container.elasticsearch.enabled: true\n",
    );
    s
}
