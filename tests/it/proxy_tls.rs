//! HTTPS through `xpack.actions.proxyUrl`, end to end: tinyproxy in front of TLS servers with a
//! self-signed certificate and with a certificate for another name. Node with the
//! https-proxy-agent Kibana pins (5.0.1), set up the way get_custom_agents.ts does it, is the
//! reference; the tool's predicted error for the target must be the one Node gives, on a Kibana
//! version without the fix (options ignored) and on one with it (options forwarded).

use std::path::Path;
use std::process::Command;

use crate::net::*;
use crate::support::*;

/// What Node says for `url` through the proxy, with Kibana's agent set-up for `mode`;
/// `forwarded` also passes the TLS options with the request, as the fix (PR #269898) does.
fn node_through_proxy(
    modules: &Path,
    proxy_port: u16,
    url: &str,
    mode: &str,
    forwarded: bool,
    extra_ca: &Path,
) -> String {
    let script = r#"
const { HttpsProxyAgent } = require('https-proxy-agent');
const https = require('https');
const [proxyPort, url, mode, forwarded] = process.argv.slice(1);
// getNodeSSLOptions(mode)
const ssl = mode === 'none' ? { rejectUnauthorized: false }
  : mode === 'certificate' ? { rejectUnauthorized: true, checkServerIdentity: () => undefined }
  : { rejectUnauthorized: true };
// get_custom_agents.ts: new HttpsProxyAgent({host, port, protocol, headers, ...proxySSL}),
// then httpsAgent.options = {...httpsAgent.options, ...agentOptions}.
const agent = new HttpsProxyAgent({ host: '127.0.0.1', port: Number(proxyPort), protocol: 'http:', headers: {} });
agent.options = { ...agent.options, ...ssl };
const opts = forwarded === 'yes' ? { agent, ...ssl } : { agent };
https.get(url, opts, (res) => { console.log('OK'); process.exit(0); })
  .on('error', (e) => { console.log(e.code || e.message); process.exit(0); });
setTimeout(() => { console.log('TIMEOUT'); process.exit(0); }, 8000);
"#;
    let out = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(proxy_port.to_string())
        .arg(url)
        .arg(mode)
        .arg(if forwarded { "yes" } else { "no" })
        .env("NODE_PATH", modules)
        .env("NODE_EXTRA_CA_CERTS", extra_ca)
        .output()
        .expect("node runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The tool's prediction for the same request: the target's TLS step error, or OK.
fn predicted(
    dir: &Path,
    version: &str,
    proxy_port: u16,
    url: &str,
    mode: &str,
    extra_ca: &Path,
) -> String {
    let yml = write(
        dir,
        "kibana.yml",
        &format!(
            "xpack.actions.proxyUrl: http://127.0.0.1:{proxy_port}\nxpack.actions.ssl.verificationMode: {mode}\nxpack.encryptedSavedObjects.encryptionKey: \"Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA\"\n"
        ),
    );
    let out = bin()
        .args([
            "check",
            "--no-process-env",
            "--format",
            "json",
            "--timeout",
            "2",
        ])
        .args(["--kibana-version", version, "--url", url])
        .arg("--node-extra-ca-certs")
        .arg(extra_ca)
        .arg(&yml)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = &json["files"][0]["targets"][0];
    // A completed handshake carries the error Node would raise on the chain (or none); a
    // failed one carries its own.
    let tls = &t["tls"];
    match (
        tls["status"].as_str(),
        tls["node_error"].as_object(),
        tls["node_error"].as_str(),
    ) {
        (Some("ok"), Some(e), _) => e["node_error"].as_str().unwrap().to_string(),
        (Some("ok"), None, _) => "OK".to_string(),
        (_, _, Some(code)) => code.to_string(),
        _ => panic!("no TLS step for {url}: {t}"),
    }
}

#[test]
fn proxied_tls_errors_match_node_through_https_proxy_agent() {
    if !require_peer("node") || !require_peer("tinyproxy") {
        return;
    }
    let Some(modules) = npm_package("https-proxy-agent@5.0.1") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A private CA Node trusts (NODE_EXTRA_CA_CERTS), a leaf it signed for another name, and a
    // self-signed leaf for 127.0.0.1.
    let ca = Ca::root("Proxy Test CA");
    let extra_ca = write(d, "ca.pem", &ca.pem());
    let other_name = ca.leaf(&["other.test"], -1, 30);
    // HTTPS servers that answer 200, so Node's request completes when the handshake passes.
    let wrong_name = HttpsReceiver::start(&other_name, vec![other_name.der.clone(), ca.der()], 200);
    let selfie = self_signed_leaf(&["127.0.0.1"]);
    let self_signed = HttpsReceiver::start(&selfie, vec![selfie.der.clone()], 200);
    let (_proxy, proxy_port) = tinyproxy_with(d, None, &[wrong_name.port, self_signed.port]);

    for (server, name) in [(&wrong_name, "wrong name"), (&self_signed, "self-signed")] {
        let url = format!("https://127.0.0.1:{}/hook", server.port);
        for mode in ["none", "certificate", "full"] {
            // Kibana 9.2: the options never reach the TLS connection.
            let node = node_through_proxy(&modules, proxy_port, &url, mode, false, &extra_ca);
            let tool = predicted(d, "9.2", proxy_port, &url, mode, &extra_ca);
            assert_eq!(tool, node, "{name}, {mode}, Kibana 9.2");
            // Kibana 9.4.2: forwarded with the request.
            let node = node_through_proxy(&modules, proxy_port, &url, mode, true, &extra_ca);
            let tool = predicted(d, "9.4.2", proxy_port, &url, mode, &extra_ca);
            assert_eq!(tool, node, "{name}, {mode}, Kibana 9.4.2");
        }
    }
    // The trap the issue describes: `none` does not help through the proxy before the fix.
    let url = format!("https://127.0.0.1:{}/hook", self_signed.port);
    assert_ne!(
        node_through_proxy(&modules, proxy_port, &url, "none", false, &extra_ca),
        "OK"
    );
}
