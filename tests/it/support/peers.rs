//! The one rule for tests that need something from outside the repository (a program such as
//! node, tinyproxy, dnsmasq, openssl; a namespace; the shared corpus): when it is missing the
//! test skips with a printed reason, unless `KP_REQUIRE_PEERS` is set (CI sets it), where a
//! missing peer is a failure. Shared by the integration tests and the crate's unit tests.

#![allow(dead_code)]

use std::process::{Command, Stdio};

/// Whether `program` is on PATH; see the module docs for what happens when it is not.
pub fn require_peer(program: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        peer_missing(&format!("{program} is not installed"));
    }
    found
}

/// Records that a test cannot run for `reason`: a failure under `KP_REQUIRE_PEERS`, a printed
/// skip elsewhere.
pub fn peer_missing(reason: &str) {
    assert!(
        std::env::var_os("KP_REQUIRE_PEERS").is_none(),
        "KP_REQUIRE_PEERS is set, so this test must run, but {reason}"
    );
    eprintln!("skipping: {reason}");
}
