//! `check` against real peers on loopback: TLS servers with certificates generated here, a
//! listener that never speaks, tinyproxy, dnsmasq. Every TLS verdict is cross-checked against
//! Node.js's own `tls.connect` (Kibana runs on Node) and `openssl s_client`'s verify code.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::net::*;
use crate::support::*;

const KEYS: &str = "xpack.encryptedSavedObjects.encryptionKey: \"Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA\"\nxpack.security.encryptionKey: \"Ne6uK1wP8rZ3tX5yC9vB2qM7jH4dL0fS\"\nxpack.reporting.encryptionKey: \"Gt4mW9pR2xK7zL1nV5cJ8qB3hD6sF0yE\"\n";

/// Runs `check` and returns its JSON report and exit code.
pub(crate) fn check(dir: &Path, yml: &str, args: &[&str]) -> (serde_json::Value, i32) {
    let path = write(dir, "kibana.yml", &format!("{yml}{KEYS}"));
    let out = bin()
        .arg("check")
        .arg("--no-process-env")
        .args(["--format", "json"])
        .args(if args.contains(&"--timeout") {
            &[][..]
        } else {
            &["--timeout", "0.5"][..]
        })
        .args(args)
        .arg(&path)
        .output()
        .expect("binary runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}):\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (json, out.status.code().unwrap_or(-1))
}

pub(crate) fn rules(json: &serde_json::Value) -> BTreeSet<String> {
    rule_names(json).into_iter().collect()
}

pub(crate) fn target(json: &serde_json::Value) -> &serde_json::Value {
    &json["files"][0]["targets"][0]
}

/// Our predicted Node error for the first target (`OK` when none).
fn predicted(json: &serde_json::Value) -> String {
    let tls = &target(json)["tls"];
    match tls["status"].as_str() {
        Some("ok") => tls["node_error"]["node_error"]
            .as_str()
            .unwrap_or("OK")
            .to_string(),
        Some("failed") => tls["node_error"].as_str().unwrap_or("?").to_string(),
        other => panic!("tls step is {other:?}: {tls}"),
    }
}

/// OpenSSL's verify number we predicted (0 when the chain verifies).
fn predicted_verify_number(json: &serde_json::Value) -> u64 {
    target(json)["tls"]["verify_result"]["number"]
        .as_u64()
        .unwrap_or(0)
}

struct Case<'a> {
    name: &'a str,
    chain: Vec<Vec<u8>>,
    key: Vec<u8>,
    /// PEM given to Kibana for this host (customHostSettings); `None`: Node's default list.
    ca: Option<String>,
    host: &'a str,
    mode: &'a str,
    expect: &'a str,
    rule: Option<&'a str>,
}

#[test]
fn tls_verdicts_agree_with_node_and_openssl() {
    if !require_peer("node") || !require_peer("openssl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = Ca::root("Live Test Root");
    let int = root.intermediate("Live Test Intermediate");
    let other = Ca::root("Unrelated Root");
    let good = int.leaf(&["leaf.test"], -1, 365);
    let expired = int.leaf(&["leaf.test"], -60, -1);
    let future = int.leaf(&["leaf.test"], 2, 365);
    let wrong_name = int.leaf(&["other.test"], -1, 365);
    let ip_leaf = int.leaf(&["127.0.0.1"], -1, 365);
    let ss = self_signed_leaf(&["leaf.test"]);
    let soon = int.leaf(&["leaf.test"], -1, 5);
    let cn_only = int.leaf_cn_only("leaf.test");
    let critical = int.leaf_with_unknown_critical(&["leaf.test"]);
    let root_pem = root.pem();
    let int_pem = int.pem();
    let both = format!("{int_pem}{root_pem}");
    let cases = vec![
        Case {
            name: "unknown critical extension",
            chain: vec![critical.der.clone(), int.der()],
            key: critical.key.clone(),
            ca: Some(root_pem.clone()),
            host: "leaf.test",
            mode: "full",
            expect: "UNSPECIFIED",
            rule: Some("certificate-rejected"),
        },
        Case {
            name: "valid chain, private root given",
            chain: vec![good.der.clone(), int.der()],
            key: good.key.clone(),
            ca: Some(root_pem.clone()),
            host: "leaf.test",
            mode: "full",
            expect: "OK",
            rule: None,
        },
        Case {
            name: "leaf only",
            chain: vec![good.der.clone()],
            key: good.key.clone(),
            ca: Some(root_pem.clone()),
            host: "leaf.test",
            mode: "full",
            expect: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
            rule: Some("leaf-not-verifiable"),
        },
        Case {
            name: "full chain, untrusted root",
            chain: vec![good.der.clone(), int.der(), root.der()],
            key: good.key.clone(),
            ca: None,
            host: "leaf.test",
            mode: "full",
            expect: "SELF_SIGNED_CERT_IN_CHAIN",
            rule: Some("self-signed-cert-in-chain"),
        },
        Case {
            name: "chain without root, untrusted",
            chain: vec![good.der.clone(), int.der()],
            key: good.key.clone(),
            ca: None,
            host: "leaf.test",
            mode: "full",
            expect: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
            rule: Some("issuer-not-trusted"),
        },
        Case {
            name: "self-signed leaf",
            chain: vec![ss.der.clone()],
            key: ss.key.clone(),
            ca: None,
            host: "leaf.test",
            mode: "full",
            expect: "DEPTH_ZERO_SELF_SIGNED_CERT",
            rule: Some("self-signed-certificate"),
        },
        Case {
            name: "self-signed leaf given as CA",
            chain: vec![ss.der.clone()],
            key: ss.key.clone(),
            ca: Some(ss.pem.clone()),
            host: "leaf.test",
            mode: "full",
            expect: "OK",
            rule: None,
        },
        Case {
            name: "expired leaf",
            chain: vec![expired.der.clone(), int.der()],
            key: expired.key.clone(),
            ca: Some(root_pem.clone()),
            host: "leaf.test",
            mode: "full",
            expect: "CERT_HAS_EXPIRED",
            rule: Some("certificate-expired"),
        },
        Case {
            name: "expired leaf from an untrusted private CA",
            chain: vec![expired.der.clone()],
            key: expired.key.clone(),
            ca: Some(other.pem()),
            host: "leaf.test",
            mode: "full",
            expect: "CERT_HAS_EXPIRED",
            rule: Some("certificate-expired"),
        },
        Case {
            name: "not yet valid",
            chain: vec![future.der.clone(), int.der()],
            key: future.key.clone(),
            ca: Some(root_pem.clone()),
            host: "leaf.test",
            mode: "full",
            expect: "CERT_NOT_YET_VALID",
            rule: Some("certificate-not-yet-valid"),
        },
        Case {
            name: "wrong SAN",
            chain: vec![wrong_name.der.clone(), int.der()],
            key: wrong_name.key.clone(),
            ca: Some(root_pem.clone()),
            host: "leaf.test",
            mode: "full",
            expect: "ERR_TLS_CERT_ALTNAME_INVALID",
            rule: Some("hostname-mismatch"),
        },
        Case {
            name: "wrong SAN in certificate mode",
            chain: vec![wrong_name.der.clone(), int.der()],
            key: wrong_name.key.clone(),
            ca: Some(root_pem.clone()),
            host: "leaf.test",
            mode: "certificate",
            expect: "OK",
            rule: Some("verification-hides-problem"),
        },
        Case {
            name: "IP SAN",
            chain: vec![ip_leaf.der.clone(), int.der()],
            key: ip_leaf.key.clone(),
            ca: Some(root_pem.clone()),
            host: "127.0.0.1",
            mode: "full",
            expect: "OK",
            rule: None,
        },
        Case {
            name: "IP not in SAN",
            chain: vec![good.der.clone(), int.der()],
            key: good.key.clone(),
            ca: Some(root_pem.clone()),
            host: "127.0.0.1",
            mode: "full",
            expect: "ERR_TLS_CERT_ALTNAME_INVALID",
            rule: Some("hostname-mismatch"),
        },
        Case {
            name: "CA data holds the intermediate only",
            chain: vec![good.der.clone(), int.der()],
            key: good.key.clone(),
            ca: Some(int_pem.clone()),
            host: "leaf.test",
            mode: "full",
            expect: "UNABLE_TO_GET_ISSUER_CERT",
            rule: Some("issuer-not-trusted"),
        },
        Case {
            name: "server omits the intermediate the CA data holds",
            chain: vec![good.der.clone()],
            key: good.key.clone(),
            ca: Some(both.clone()),
            host: "leaf.test",
            mode: "full",
            expect: "OK",
            rule: Some("server-omits-intermediate"),
        },
        Case {
            name: "expires in five days",
            chain: vec![soon.der.clone(), int.der()],
            key: soon.key.clone(),
            ca: Some(root_pem.clone()),
            host: "leaf.test",
            mode: "full",
            expect: "OK",
            rule: Some("certificate-expires-soon"),
        },
        Case {
            name: "name only in the CN",
            chain: vec![cn_only.der.clone(), int.der()],
            key: cn_only.key.clone(),
            ca: Some(root_pem.clone()),
            host: "leaf.test",
            mode: "full",
            expect: "OK",
            rule: Some("name-only-in-common-name"),
        },
        Case {
            name: "self-signed leaf with verification off",
            chain: vec![ss.der.clone()],
            key: ss.key.clone(),
            ca: None,
            host: "leaf.test",
            mode: "none",
            expect: "OK",
            rule: Some("verification-hides-problem"),
        },
    ];
    let unrelated = write(dir.path(), "unrelated.pem", &other.pem());
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let server = TlsServer::start(case.chain.clone(), case.key.clone(), Duration::ZERO);
        let port = server.port;
        let is_ip = case.host.parse::<std::net::IpAddr>().is_ok();
        let ca_file = case
            .ca
            .as_ref()
            .map(|pem| write(dir.path(), &format!("ca-{i}.pem"), pem));
        let mut yml = format!("xpack.actions.ssl.verificationMode: {}\n", case.mode);
        if let Some(f) = &ca_file {
            yml.push_str(&format!(
                "xpack.actions.customHostSettings:\n  - url: https://{}:{port}\n    ssl:\n      certificateAuthoritiesFiles: [\"{}\"]\n",
                case.host,
                f.display()
            ));
        }
        let url = format!("https://{}:{port}/hook", case.host);
        let resolve = format!("{}:{port}:127.0.0.1", case.host);
        let mut args = vec!["--url", url.as_str()];
        if !is_ip {
            args.extend(["--resolve", resolve.as_str()]);
        }
        let (json, _) = check(dir.path(), &yml, &args);
        let ours = predicted(&json);
        let servername = (!is_ip).then_some(case.host);
        let node = node_verdict("127.0.0.1", port, servername, ca_file.as_deref(), case.mode);
        let openssl =
            openssl_verify_code(port, servername, ca_file.as_deref().unwrap_or(&unrelated));
        let found = rules(&json);
        let problems: Vec<String> = [
            (ours != case.expect).then(|| format!("predicted {ours}, expected {}", case.expect)),
            (node != case.expect).then(|| format!("node says {node}, expected {}", case.expect)),
            (u64::from(openssl) != predicted_verify_number(&json)).then(|| {
                format!(
                    "openssl verify code {openssl}, predicted {}",
                    predicted_verify_number(&json)
                )
            }),
            case.rule
                .filter(|r| !found.contains(*r))
                .map(|r| format!("rule {r} missing from {found:?}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !problems.is_empty() {
            failures.push(format!("{}: {}", case.name, problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Keys and signatures rustls will not serve or make: served by `openssl s_server`, made by
/// `openssl req`/`x509`. Node (OpenSSL 3, security level 1) accepts RSA 1024 but refuses SHA-1.
#[test]
fn weak_keys_and_sha1_are_judged_like_node() {
    if !require_peer("node") || !require_peer("openssl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sh = |cmd: &str| {
        let ok = std::process::Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .current_dir(d)
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap()
            .success();
        assert!(ok, "{cmd}");
    };
    sh(
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj '/CN=Weak Test CA' -addext basicConstraints=critical,CA:TRUE",
    );
    sh("printf 'subjectAltName=DNS:leaf.test\\n' > san.ext");
    sh("openssl req -newkey rsa:1024 -nodes -keyout weak.key -out weak.csr -subj '/CN=leaf.test'");
    sh(
        "openssl x509 -req -in weak.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out weak.pem -days 10 -sha256 -extfile san.ext",
    );
    sh("openssl req -newkey rsa:2048 -nodes -keyout sha1.key -out sha1.csr -subj '/CN=leaf.test'");
    sh(
        "openssl x509 -req -in sha1.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out sha1.pem -days 10 -sha1 -extfile san.ext",
    );
    for (name, mode, expect, rule) in [
        ("weak", "full", "OK", "weak-key"),
        ("sha1", "full", "UNSPECIFIED", "certificate-rejected"),
        ("sha1", "none", "OK", "sha1-signature"),
    ] {
        let port = free_port();
        let _server = Daemon(
            std::process::Command::new("openssl")
                .args(["s_server", "-quiet", "-www", "-accept"])
                .arg(port.to_string())
                .args([
                    "-cert",
                    &format!("{name}.pem"),
                    "-key",
                    &format!("{name}.key"),
                ])
                .args(["-cipher", "DEFAULT:@SECLEVEL=0"])
                .current_dir(d)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap(),
        );
        assert!(wait_for_tcp(port));
        let yml = format!(
            // The entry names its mode: an entry `ssl` without one forces `full` from 9.3.
            "xpack.actions.ssl.verificationMode: {mode}\nxpack.actions.customHostSettings:\n  - url: https://leaf.test:{port}\n    ssl:\n      verificationMode: {mode}\n      certificateAuthoritiesFiles: [\"{}\"]\n",
            d.join("ca.pem").display()
        );
        let url = format!("https://leaf.test:{port}/x");
        let resolve = format!("leaf.test:{port}:127.0.0.1");
        let (json, _) = check(d, &yml, &["--url", &url, "--resolve", &resolve]);
        let node = node_verdict(
            "127.0.0.1",
            port,
            Some("leaf.test"),
            Some(&d.join("ca.pem")),
            mode,
        );
        assert_eq!(node, expect, "{name}: node");
        assert_eq!(predicted(&json), expect, "{name}: prediction");
        assert!(rules(&json).contains(rule), "{name}: {:?}", rules(&json));
    }
}

#[test]
fn dns_answers_nxdomain_and_a_mute_server() {
    if !require_peer("dnsmasq") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_dns, dns_port) = dnsmasq(&[("ok.test", "127.0.0.1")], &["nx.test"]);
    let silent = Silent::start();
    let dns = format!("127.0.0.1:{dns_port}");
    let url = format!("https://ok.test:{}/x", silent.port);
    let (json, _) = check(dir.path(), "", &["--url", &url, "--dns-server", &dns]);
    let t = target(&json);
    assert_eq!(t["dns"]["status"], "ok", "{t}");
    assert_eq!(t["dns"]["addresses"][0], "127.0.0.1");
    assert_eq!(t["tcp"]["status"], "ok");
    // The silent listener never answers the handshake: the run ends at the timeout.
    assert_eq!(t["tls"]["node_error"], "ECONNABORTED", "{t}");
    assert!(rules(&json).contains("tls-handshake-failed"));

    let (json, code) = check(
        dir.path(),
        "",
        &["--url", "https://nx.test/x", "--dns-server", &dns],
    );
    assert_eq!(code, 1);
    let t = target(&json);
    assert_eq!(t["dns"]["node_error"], "ENOTFOUND", "{t}");
    assert_eq!(t["tcp"]["status"], "skipped");
    assert!(rules(&json).contains("name-not-found"));
    let f = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "name-not-found")
        .unwrap();
    assert_eq!(
        f["kibana_message"],
        "error calling webhook, request failed: [ENOTFOUND] getaddrinfo ENOTFOUND nx.test"
    );

    let (_mute, mute_port) = mute_dns();
    let start = Instant::now();
    let (json, _) = check(
        dir.path(),
        "",
        &[
            "--url",
            "https://slow.test/x",
            "--dns-server",
            &format!("127.0.0.1:{mute_port}"),
        ],
    );
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "bounded by the 0.5 s timeout"
    );
    assert_eq!(target(&json)["dns"]["node_error"], "EAI_AGAIN");
    assert!(rules(&json).contains("name-lookup-failed"));
}

#[test]
fn tcp_refused_and_timeout_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let hole = Blackhole::start();
    let url = format!("https://127.0.0.1:{}/x", hole.port);
    let start = Instant::now();
    let (json, code) = check(dir.path(), "", &["--url", &url]);
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "the 0.5 s timeout bounds the run"
    );
    assert_eq!(code, 1);
    assert_eq!(
        target(&json)["tcp"]["node_error"],
        "ETIMEDOUT",
        "{}",
        target(&json)
    );
    assert!(rules(&json).contains("connection-timed-out"));
}

/// No route: inside a network namespace with only loopback (`unshare -rn`), as on a host
/// without a route to the endpoint's network.
#[test]
fn unroutable_address_is_host_unreachable() {
    let probe = std::process::Command::new("unshare")
        .args(["-rn", "true"])
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        peer_missing("unshare -rn is not permitted here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let yml = write(dir.path(), "kibana.yml", KEYS);
    let out = std::process::Command::new("unshare")
        .args([
            "-rn",
            "sh",
            "-c",
            "ip link set lo up 2>/dev/null; exec \"$0\" \"$@\"",
        ])
        .arg(assert_cmd::cargo::cargo_bin("kibana-preflight"))
        .args([
            "check",
            "--no-process-env",
            "--format",
            "json",
            "--timeout",
            "0.5",
            "--url",
            "https://192.0.2.1/x",
        ])
        .arg(&yml)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        target(&json)["tcp"]["node_error"],
        "ENETUNREACH",
        "{}",
        target(&json)
    );
    assert!(rules(&json).contains("host-unreachable"));
}

#[test]
fn tcp_refused() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let url = format!("https://127.0.0.1:{port}/x");
    let (json, code) = check(dir.path(), "", &["--url", &url]);
    assert_eq!(code, 1);
    let t = target(&json);
    assert_eq!(t["tcp"]["node_error"], "ECONNREFUSED", "{t}");
    assert_eq!(t["tls"]["status"], "skipped");
    assert!(rules(&json).contains("connection-refused"));
}

#[test]
fn proxy_tunnel_bypass_only_and_407() {
    if !require_peer("tinyproxy") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = Ca::root("Proxy Test Root");
    let leaf = root.leaf(&["localhost"], -1, 365);
    let server = TlsServer::start(vec![leaf.der.clone()], leaf.key.clone(), Duration::ZERO);
    let ca = write(dir.path(), "root.pem", &root.pem());
    let (_proxy, proxy_port) = tinyproxy(dir.path(), None);
    let chs = format!(
        "xpack.actions.customHostSettings:\n  - url: https://localhost:{}\n    ssl:\n      certificateAuthoritiesFiles: [\"{}\"]\n",
        server.port,
        ca.display()
    );
    let url = format!("https://localhost:{}/x", server.port);

    // Through the proxy: CONNECT, then TLS inside the tunnel.
    let yml = format!("xpack.actions.proxyUrl: http://127.0.0.1:{proxy_port}\n{chs}");
    let (json, code) = check(dir.path(), &yml, &["--url", &url]);
    let t = target(&json);
    assert_eq!(t["proxy_tunnel"]["status"], "ok", "{t}");
    assert_eq!(t["proxy_tunnel"]["http_status"], 200);
    assert_eq!(t["tls"]["status"], "ok");
    assert_eq!(t["tls"]["node_error"], serde_json::Value::Null, "{t}");
    assert_eq!(
        t["tcp"]["address"],
        format!("127.0.0.1:{proxy_port}"),
        "connects to the proxy"
    );
    assert!(
        rules(&json).contains("proxied-internal-host"),
        "localhost through a proxy is flagged"
    );
    assert_eq!(code, 0, "{:?}", rules(&json));

    // Bypassed: direct.
    let yml = format!(
        "xpack.actions.proxyUrl: http://127.0.0.1:{proxy_port}\nxpack.actions.proxyBypassHosts: [localhost]\n{chs}"
    );
    let (json, _) = check(dir.path(), &yml, &["--url", &url]);
    let t = target(&json);
    assert!(t.get("proxy_tunnel").is_none(), "{t}");
    assert_eq!(t["tcp"]["address"], format!("127.0.0.1:{}", server.port));

    // Only-list without the host: direct as well.
    let yml = format!(
        "xpack.actions.proxyUrl: http://127.0.0.1:{proxy_port}\nxpack.actions.proxyOnlyHosts: [other.example.com]\n{chs}"
    );
    let (json, _) = check(dir.path(), &yml, &["--url", &url]);
    assert!(target(&json).get("proxy_tunnel").is_none());

    // A proxy that allows CONNECT only to 443 refuses this port.
    let (_strict, strict_port) = tinyproxy_with(dir.path(), None, &[443]);
    let yml = format!("xpack.actions.proxyUrl: http://127.0.0.1:{strict_port}\n{chs}");
    let (json, _) = check(dir.path(), &yml, &["--url", &url]);
    assert_eq!(
        target(&json)["proxy_tunnel"]["node_error"],
        "HTTP 403",
        "{}",
        target(&json)
    );
    assert!(rules(&json).contains("proxy-refused"));

    // A proxy that wants credentials.
    let (_auth_proxy, auth_port) = tinyproxy(dir.path(), Some(("kibana", "proxy-secret-4711")));
    let yml = format!("xpack.actions.proxyUrl: http://127.0.0.1:{auth_port}\n{chs}");
    let (json, code) = check(dir.path(), &yml, &["--url", &url]);
    assert_eq!(code, 1);
    assert_eq!(
        target(&json)["proxy_tunnel"]["node_error"],
        "HTTP 407",
        "{}",
        target(&json)
    );
    assert!(rules(&json).contains("proxy-auth-required"));
    // Credentials in proxyUrl do not reach the proxy for an https target: Kibana's tunnel agent
    // is built from the proxy's host and port (get_proxy_agents.ts), so the proxy still says 407.
    let yml = format!(
        "xpack.actions.proxyUrl: http://kibana:proxy-secret-4711@127.0.0.1:{auth_port}\n{chs}"
    );
    let (json, code) = check(dir.path(), &yml, &["--url", &url]);
    assert_eq!(code, 1);
    assert_eq!(
        target(&json)["proxy_tunnel"]["node_error"],
        "HTTP 407",
        "{}",
        target(&json)
    );
    assert!(rules(&json).contains("proxy-url-credentials"));
    // With Proxy-Authorization in proxyHeaders the tunnel opens, and it is never printed.
    let yml = format!(
        "xpack.actions.proxyUrl: http://127.0.0.1:{auth_port}\nxpack.actions.proxyHeaders:\n  Proxy-Authorization: \"Basic a2liYW5hOnByb3h5LXNlY3JldC00NzEx\"\n{chs}"
    );
    for format in ["json", "text"] {
        let path = write(dir.path(), "kibana.yml", &format!("{yml}{KEYS}"));
        let out = bin()
            .args([
                "check",
                "--no-process-env",
                "--timeout",
                "0.5",
                "--format",
                format,
                "--url",
                &url,
            ])
            .arg(&path)
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !all.contains("proxy-secret-4711"),
            "{format} leaks the proxy password:\n{all}"
        );
        assert!(
            !all.contains("a2liYW5hOnByb3h5LXNlY3JldC00NzEx"),
            "{format} leaks the encoded credentials"
        );
        if format == "json" {
            let json: serde_json::Value =
                serde_json::from_str(&String::from_utf8_lossy(&out.stdout)).unwrap();
            assert_eq!(
                target(&json)["proxy_tunnel"]["status"],
                "ok",
                "{}",
                target(&json)
            );
        }
    }
}

/// Kibana's http proxy agent is built from the proxy URL string: for an http: target the URL's
/// credentials reach the proxy (and proxyHeaders do not), the reverse of the https tunnel.
#[test]
fn url_credentials_reach_the_proxy_for_http_targets_only() {
    if !require_peer("tinyproxy") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_proxy, port) = tinyproxy(dir.path(), Some(("kibana", "proxy-secret-4711")));
    let upstream = HttpResponder::start();
    let url = format!("http://localhost:{}/hook", upstream.port);
    let with_url =
        format!("xpack.actions.proxyUrl: http://kibana:proxy-secret-4711@127.0.0.1:{port}\n");
    let (json, _) = check(dir.path(), &with_url, &["--url", &url]);
    assert_eq!(
        target(&json)["proxy_tunnel"]["status"],
        "ok",
        "{}",
        target(&json)
    );
    let with_headers = format!(
        "xpack.actions.proxyUrl: http://127.0.0.1:{port}\nxpack.actions.proxyHeaders:\n  Proxy-Authorization: \"Basic a2liYW5hOnByb3h5LXNlY3JldC00NzEx\"\n"
    );
    let (json, _) = check(dir.path(), &with_headers, &["--url", &url]);
    assert_eq!(
        target(&json)["proxy_tunnel"]["node_error"],
        "HTTP 407",
        "{}",
        target(&json)
    );
}

/// An http: target through the proxy goes as an absolute-form HEAD (HttpProxyAgent), never as
/// the webhook's POST.
#[test]
fn http_target_through_the_proxy_is_an_absolute_form_head() {
    if !require_peer("tinyproxy") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_proxy, proxy_port) = tinyproxy(dir.path(), None);
    let upstream = HttpResponder::start();
    let url = format!("http://localhost:{}/hook?x=1", upstream.port);
    let yml = format!("xpack.actions.proxyUrl: http://127.0.0.1:{proxy_port}\n");
    let (json, _) = check(dir.path(), &yml, &["--url", &url]);
    let t = target(&json);
    assert_eq!(t["proxy_tunnel"]["status"], "ok", "{t}");
    assert_eq!(t["proxy_tunnel"]["http_status"], 204);
    assert_eq!(
        t["proxy_tunnel"]["request"],
        format!("HEAD http://localhost:{}/hook?x=1", upstream.port)
    );
    let seen = upstream.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        ["HEAD /hook?x=1 HTTP/1.1"],
        "the endpoint saw only a HEAD"
    );
}

/// An https: proxy: TLS to the proxy judged with ssl.proxyVerificationMode and Node's default
/// CA list, then CONNECT inside it.
#[test]
fn https_proxy_is_verified_with_proxy_verification_mode() {
    let dir = tempfile::tempdir().unwrap();
    let root = Ca::root("Target Root");
    let target_leaf = root.leaf(&["hooks.test"], -1, 365);
    let server = TlsServer::start(
        vec![target_leaf.der.clone()],
        target_leaf.key.clone(),
        Duration::ZERO,
    );
    let proxy_cert = self_signed_leaf(&["proxy.test"]);
    let proxy = TlsConnectProxy::start(&proxy_cert);
    let ca = write(dir.path(), "root.pem", &root.pem());
    let chs = format!(
        "xpack.actions.customHostSettings:\n  - url: https://hooks.test:{}\n    ssl:\n      certificateAuthoritiesFiles: [\"{}\"]\n",
        server.port,
        ca.display()
    );
    let url = format!("https://hooks.test:{}/x", server.port);
    let proxy_resolve = format!("proxy.test:{}:127.0.0.1", proxy.port);
    // The proxy's self-signed certificate fails full verification.
    let yml = format!(
        "xpack.actions.proxyUrl: https://proxy.test:{}\n{chs}",
        proxy.port
    );
    let (json, _) = check(
        dir.path(),
        &yml,
        &["--url", &url, "--resolve", &proxy_resolve],
    );
    let t = target(&json);
    assert_eq!(
        t["proxy_tunnel"]["node_error"], "DEPTH_ZERO_SELF_SIGNED_CERT",
        "{t}"
    );
    assert!(rules(&json).contains("proxy-refused"));
    // proxyVerificationMode none accepts it; the tunnel opens and the target verifies.
    let yml = format!(
        "xpack.actions.proxyUrl: https://proxy.test:{}\nxpack.actions.ssl.proxyVerificationMode: none\n{chs}",
        proxy.port
    );
    let (json, _) = check(
        dir.path(),
        &yml,
        &["--url", &url, "--resolve", &proxy_resolve],
    );
    let t = target(&json);
    assert_eq!(t["proxy_tunnel"]["status"], "ok", "{t}");
    assert_eq!(t["proxy_tunnel"]["proxy_tls"]["protocol"], "TLSv1.3");
    assert_eq!(t["tls"]["status"], "ok");
    assert_eq!(t["tls"]["node_error"], serde_json::Value::Null, "{t}");
}

/// The connector's own `ca` (base64 of PEM) replaces Node's list for its URL.
#[test]
fn connector_ca_is_the_trust_set() {
    use base64::Engine as _;
    let dir = tempfile::tempdir().unwrap();
    let root = Ca::root("Connector Root");
    let leaf = root.leaf(&["hooks.test"], -1, 365);
    let server = TlsServer::start(vec![leaf.der.clone()], leaf.key.clone(), Duration::ZERO);
    let url = format!("https://hooks.test:{}/x", server.port);
    let resolve = format!("hooks.test:{}:127.0.0.1", server.port);
    for (ca, expect) in [
        (Some(root.pem()), serde_json::Value::Null),
        (
            None,
            serde_json::json!({"node_error": "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "message": "unable to verify the first certificate"}),
        ),
    ] {
        let mut config = serde_json::json!({"url": url, "hasAuth": false});
        if let Some(pem) = &ca {
            config["ca"] = base64::engine::general_purpose::STANDARD.encode(pem).into();
        }
        let spec =
            serde_json::json!({"name": "n", "connector_type_id": ".webhook", "config": config});
        let spec_path = write(dir.path(), "hook.json", &spec.to_string());
        let (json, _) = check(
            dir.path(),
            "",
            &[
                "--connector",
                spec_path.to_str().unwrap(),
                "--resolve",
                &resolve,
            ],
        );
        let t = target(&json);
        assert_eq!(t["tls"]["node_error"], expect, "{t}");
        assert_eq!(
            t["tls"]["trust"],
            if ca.is_some() { "connector" } else { "default" }
        );
    }
}

#[test]
fn plain_http_targets_are_flagged_and_not_requested() {
    let dir = tempfile::tempdir().unwrap();
    let silent = Silent::start();
    let url = format!("http://127.0.0.1:{}/hook", silent.port);
    let (json, _) = check(dir.path(), "", &["--url", &url]);
    let t = target(&json);
    assert_eq!(t["tcp"]["status"], "ok");
    assert!(t.get("tls").is_none());
    assert!(rules(&json).contains("plain-http-target"));
}

/// Every rule of a live module is produced by at least one test above (the fixtures
/// meta-test covers the offline ones).
#[test]
fn every_live_rule_is_exercised_by_a_test() {
    let source = std::fs::read_to_string(root().join("tests/it/live.rs")).unwrap();
    let missing: Vec<&str> = kibana_preflight::rules::Rule::ALL
        .iter()
        .filter(|r| {
            r.live() && !matches!(r.module().name(), "kibana-api" | "deploy") && !r.meta().live
        })
        .map(|r| r.name())
        .filter(|name| !source.contains(&format!("\"{name}\"")))
        .collect();
    assert!(missing.is_empty(), "live rules without a test: {missing:?}");
}
