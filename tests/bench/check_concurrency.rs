//! Concurrency of `kibana-preflight check`: 50 webhook URLs, each a local TLS server that
//! delays its handshake by 200 ms. Probed one after the other this would take over 10 s; the
//! target is under 1 s on 2 cores (at most 1.3× the slowest single target).
//!
//!     cargo bench --bench check_concurrency            # 50 targets
//!     cargo bench --bench check_concurrency -- 200     # other counts
//!
//! Runs the release binary three times per count after a warm-up and reports the median wall
//! time next to the time of a single target. Results are in docs/performance.md. Not a test:
//! nothing here asserts a time.

#[path = "../it/net/mod.rs"]
mod net;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use net::{Ca, TlsServer, write};

const DELAY: Duration = Duration::from_millis(200);

fn main() {
    let counts: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let counts = if counts.is_empty() { vec![50] } else { counts };
    let max = *counts.iter().max().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = Ca::root("Bench Root");
    let leaf = root.leaf(&["bench.test"], -1, 365);
    let ca = write(dir.path(), "root.pem", &root.pem());
    let servers: Vec<TlsServer> = (0..max)
        .map(|_| TlsServer::start(vec![leaf.der.clone()], leaf.key.clone(), DELAY))
        .collect();
    let mut yml = String::from(
        "xpack.encryptedSavedObjects.encryptionKey: \"Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA\"\nxpack.actions.customHostSettings:\n",
    );
    for s in &servers {
        yml.push_str(&format!(
            "  - url: https://bench.test:{}\n    ssl:\n      certificateAuthoritiesFiles: [\"{}\"]\n",
            s.port,
            ca.display()
        ));
    }
    let config = write(dir.path(), "kibana.yml", &yml);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "cores available: {cores}; handshake delay {} ms per server",
        DELAY.as_millis()
    );
    let single = median(|| run(&config, &servers[..1]));
    println!("      1 target : median {single:.3} s");
    for &n in &counts {
        let secs = median(|| run(&config, &servers[..n]));
        println!(
            "{n:>7} targets: median {secs:.3} s ({:.2}× one target; sequential would be ≥ {:.1} s)",
            secs / single,
            n as f64 * DELAY.as_secs_f64()
        );
    }
}

fn median(mut f: impl FnMut() -> f64) -> f64 {
    f();
    let mut samples: Vec<f64> = (0..3).map(|_| f()).collect();
    samples.sort_by(f64::total_cmp);
    samples[1]
}

fn run(config: &std::path::Path, servers: &[TlsServer]) -> f64 {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kibana-preflight"));
    cmd.args([
        "check",
        "--no-process-env",
        "--format",
        "json",
        "--timeout",
        "5",
    ]);
    for s in servers {
        cmd.arg("--url")
            .arg(format!("https://bench.test:{}/hook", s.port))
            .arg("--resolve")
            .arg(format!("bench.test:{}:127.0.0.1", s.port));
    }
    cmd.arg(config).stdout(Stdio::piped()).stderr(Stdio::null());
    let start = Instant::now();
    let out = cmd.output().expect("binary runs");
    let secs = start.elapsed().as_secs_f64();
    let text = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON report");
    let accepted = json["files"][0]["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["tls"]["status"] == "ok" && t["tls"]["node_error"].is_null())
        .count();
    assert_eq!(accepted, servers.len(), "every handshake succeeded");
    secs
}
