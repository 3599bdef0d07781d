//! Real peers on loopback for the live tests: certificate hierarchies generated with rcgen,
//! TLS servers (tokio-rustls, or `openssl s_server` where rustls refuses the key), a listener
//! that never speaks, tinyproxy and dnsmasq, and the Node.js / OpenSSL clients the verdicts are
//! cross-checked with.

#![allow(dead_code)]

use std::io::Write as _;
use std::net::{TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair,
};

/// `rcgen` dates relative to today.
pub fn days_from_now(days: i64) -> time::OffsetDateTime {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let day = time::OffsetDateTime::from_unix_timestamp(now + days * 86_400).unwrap();
    rcgen::date_time_ymd(day.year(), day.month() as u8, day.day())
}

/// A CA that can sign.
pub struct Ca {
    pub issuer: CertifiedIssuer<'static, KeyPair>,
    pub name: String,
}

impl Ca {
    /// A leaf carrying a critical extension no one knows (OID 1.2.3.4.5.6).
    pub fn leaf_with_unknown_critical(&self, names: &[&str]) -> Leaf {
        let key = KeyPair::generate().unwrap();
        let mut p = CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .unwrap();
        p.distinguished_name
            .push(DnType::CommonName, names.first().copied().unwrap_or("leaf"));
        p.not_before = days_from_now(-1);
        p.not_after = days_from_now(365);
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let mut ext =
            rcgen::CustomExtension::from_oid_content(&[1, 2, 3, 4, 5, 6], vec![0x05, 0x00]);
        ext.set_criticality(true);
        p.custom_extensions.push(ext);
        let cert = p.signed_by(&key, &self.issuer).unwrap();
        Leaf {
            der: cert.der().to_vec(),
            pem: cert.pem(),
            key: key.serialize_der(),
        }
    }

    pub fn root(name: &str) -> Ca {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name.push(DnType::CommonName, name);
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.not_before = days_from_now(-30);
        p.not_after = days_from_now(3650);
        Ca {
            issuer: CertifiedIssuer::self_signed(p, KeyPair::generate().unwrap()).unwrap(),
            name: name.to_string(),
        }
    }

    pub fn intermediate(&self, name: &str) -> Ca {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name.push(DnType::CommonName, name);
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.not_before = days_from_now(-30);
        p.not_after = days_from_now(3650);
        Ca {
            issuer: CertifiedIssuer::signed_by(p, KeyPair::generate().unwrap(), &self.issuer)
                .unwrap(),
            name: name.to_string(),
        }
    }

    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    pub fn der(&self) -> Vec<u8> {
        self.issuer.der().to_vec()
    }

    /// A server certificate for `names` (DNS names or IP addresses), valid from/until the
    /// given days relative to today.
    pub fn leaf(&self, names: &[&str], from: i64, until: i64) -> Leaf {
        let key = KeyPair::generate().unwrap();
        let mut p = CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .unwrap();
        p.distinguished_name
            .push(DnType::CommonName, names.first().copied().unwrap_or("leaf"));
        p.not_before = days_from_now(from);
        p.not_after = days_from_now(until);
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let cert = p.signed_by(&key, &self.issuer).unwrap();
        Leaf {
            der: cert.der().to_vec(),
            pem: cert.pem(),
            key: key.serialize_der(),
        }
    }
}

impl Ca {
    /// A server certificate that names its host only in the subject CN.
    pub fn leaf_cn_only(&self, cn: &str) -> Leaf {
        let key = KeyPair::generate().unwrap();
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name.push(DnType::CommonName, cn);
        p.not_before = days_from_now(-1);
        p.not_after = days_from_now(365);
        let cert = p.signed_by(&key, &self.issuer).unwrap();
        Leaf {
            der: cert.der().to_vec(),
            pem: cert.pem(),
            key: key.serialize_der(),
        }
    }
}

/// A listener whose accept queue is full, so new connections are never accepted: the SYNs
/// are dropped and connecting times out, as behind a firewall that drops packets.
pub struct Blackhole {
    pub port: u16,
    _listener: std::net::TcpListener,
    _held: Vec<std::net::TcpStream>,
}

impl Blackhole {
    pub fn start() -> Blackhole {
        use std::os::fd::AsRawFd;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        // SAFETY: listen(2) on a socket we own.
        unsafe {
            libc::listen(listener.as_raw_fd(), 0);
        }
        let mut held = Vec::new();
        for _ in 0..8 {
            let s = std::net::TcpStream::connect_timeout(
                &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
                Duration::from_millis(200),
            );
            match s {
                Ok(s) => held.push(s),
                Err(_) => break,
            }
        }
        Blackhole {
            port,
            _listener: listener,
            _held: held,
        }
    }
}

/// A self-signed server certificate.
pub fn self_signed_leaf(names: &[&str]) -> Leaf {
    let key = KeyPair::generate().unwrap();
    let mut p =
        CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    p.distinguished_name.push(DnType::CommonName, names[0]);
    p.not_before = days_from_now(-1);
    p.not_after = days_from_now(365);
    let cert = p.self_signed(&key).unwrap();
    Leaf {
        der: cert.der().to_vec(),
        pem: cert.pem(),
        key: key.serialize_der(),
    }
}

pub struct Leaf {
    pub der: Vec<u8>,
    pub pem: String,
    /// PKCS#8 DER.
    pub key: Vec<u8>,
}

/// Always the same certificate and key.
#[derive(Debug)]
struct Fixed(Arc<rustls::sign::CertifiedKey>);

impl rustls::server::ResolvesServerCert for Fixed {
    fn resolve(
        &self,
        _: rustls::server::ClientHello<'_>,
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        Some(self.0.clone())
    }
}

/// A TLS server on 127.0.0.1 serving `chain` (leaf first) until dropped.
pub struct TlsServer {
    pub port: u16,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl TlsServer {
    pub fn start(chain: Vec<Vec<u8>>, key: Vec<u8>, delay: Duration) -> TlsServer {
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
        let certs: Vec<CertificateDer<'static>> =
            chain.into_iter().map(CertificateDer::from).collect();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key));
        // Served as given, without rustls's own checks of the chain: the tests present chains
        // that clients must judge (an unknown critical extension, weak keys).
        let signing = rustls::crypto::ring::sign::any_supported_type(&key).unwrap();
        let certified = Arc::new(rustls::sign::CertifiedKey::new(certs, signing));
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(Fixed(certified)));
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let std_listener = TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let port = std_listener.local_addr().unwrap().port();
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(std_listener).unwrap();
                loop {
                    tokio::select! {
                        _ = &mut rx => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            let acceptor = acceptor.clone();
                            tokio::spawn(async move {
                                tokio::time::sleep(delay).await;
                                if let Ok(mut tls) = acceptor.accept(stream).await {
                                    use tokio::io::AsyncReadExt;
                                    let mut buf = [0u8; 64];
                                    let _ = tokio::time::timeout(Duration::from_secs(2), tls.read(&mut buf)).await;
                                }
                            });
                        }
                    }
                }
            });
        });
        TlsServer { port, _stop: tx }
    }
}

/// A plain HTTP server that answers every request with `204 No Content` and records the
/// request lines it saw.
pub struct HttpResponder {
    pub port: u16,
    pub seen: Arc<std::sync::Mutex<Vec<String>>>,
}

impl HttpResponder {
    pub fn start() -> HttpResponder {
        use std::io::{BufRead, BufReader};
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for mut s in listener.incoming().flatten() {
                let mut reader = BufReader::new(s.try_clone().unwrap());
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                log.lock().unwrap().push(line.trim().to_string());
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                }
                let _ = s.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
            }
        });
        HttpResponder { port, seen }
    }
}

/// An https webhook receiver: answers every request with `status`, recording what it got
/// (request line, headers, body).
pub struct HttpsReceiver {
    pub port: u16,
    pub seen: Arc<std::sync::Mutex<Vec<String>>>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl HttpsReceiver {
    pub fn start(leaf: &Leaf, chain: Vec<Vec<u8>>, status: u16) -> HttpsReceiver {
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            chain.into_iter().map(CertificateDer::from).collect(),
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf.key.clone())),
        )
        .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let std_listener = TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let port = std_listener.local_addr().unwrap().port();
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(std_listener).unwrap();
                loop {
                    tokio::select! {
                        _ = &mut rx => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            let acceptor = acceptor.clone();
                            let log = log.clone();
                            tokio::spawn(async move {
                                let Ok(mut tls) = acceptor.accept(stream).await else { return };
                                let mut buf = Vec::new();
                                let mut chunk = [0u8; 4096];
                                // Head, then Content-Length bytes of body.
                                loop {
                                    let Ok(Ok(n)) = tokio::time::timeout(Duration::from_secs(2), tls.read(&mut chunk)).await else { break };
                                    if n == 0 { break; }
                                    buf.extend_from_slice(&chunk[..n]);
                                    let text = String::from_utf8_lossy(&buf).to_string();
                                    if let Some(end) = text.find("\r\n\r\n") {
                                        let len = text[..end]
                                            .lines()
                                            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0)))
                                            .unwrap_or(0);
                                        if buf.len() >= end + 4 + len { break; }
                                    }
                                }
                                if buf.is_empty() { return; }
                                log.lock().unwrap().push(String::from_utf8_lossy(&buf).to_string());
                                let reason = match status { 200 => "OK", 500 => "Internal Server Error", 401 => "Unauthorized", _ => "Status" };
                                let _ = tls.write_all(format!("HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes()).await;
                                let _ = tls.shutdown().await;
                            });
                        }
                    }
                }
            });
        });
        HttpsReceiver {
            port,
            seen,
            _stop: tx,
        }
    }
}

/// An https: forward proxy: TLS with `leaf`, then `CONNECT host:port` relayed to 127.0.0.1.
pub struct TlsConnectProxy {
    pub port: u16,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl TlsConnectProxy {
    pub fn start(leaf: &Leaf) -> TlsConnectProxy {
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(leaf.der.clone())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf.key.clone())),
        )
        .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let std_listener = TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let port = std_listener.local_addr().unwrap().port();
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(std_listener).unwrap();
                loop {
                    tokio::select! {
                        _ = &mut rx => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            let acceptor = acceptor.clone();
                            tokio::spawn(async move {
                                let Ok(mut tls) = acceptor.accept(stream).await else { return };
                                let mut head = Vec::new();
                                let mut b = [0u8; 1];
                                while !head.ends_with(b"\r\n\r\n") {
                                    if tls.read(&mut b).await.unwrap_or(0) == 0 { return; }
                                    head.push(b[0]);
                                }
                                let text = String::from_utf8_lossy(&head).to_string();
                                let target_port: u16 = text
                                    .split_whitespace()
                                    .nth(1)
                                    .and_then(|a| a.rsplit(':').next())
                                    .and_then(|p| p.parse().ok())
                                    .unwrap_or(0);
                                let Ok(mut upstream) = tokio::net::TcpStream::connect(("127.0.0.1", target_port)).await else {
                                    let _ = tls.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
                                    return;
                                };
                                let _ = tls.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await;
                                let _ = tokio::io::copy_bidirectional(&mut tls, &mut upstream).await;
                            });
                        }
                    }
                }
            });
        });
        TlsConnectProxy { port, _stop: tx }
    }
}

/// A listener that accepts connections and never sends a byte.
pub struct Silent {
    pub port: u16,
}

impl Silent {
    pub fn start() -> Silent {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for s in listener.incoming().flatten() {
                held.push(s);
            }
        });
        Silent { port }
    }
}

/// A UDP port where a DNS server never answers.
pub fn mute_dns() -> (UdpSocket, u16) {
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = s.local_addr().unwrap().port();
    (s, port)
}

/// A port that is free now (for programs that bind it themselves).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child process killed on drop.
pub struct Daemon(pub Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits until something accepts TCP on `port`.
pub fn wait_for_tcp(port: u16) -> bool {
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// tinyproxy on a free port; `auth` makes it require basic credentials (407 without);
/// `connect_ports` limits CONNECT to those ports (403 otherwise).
pub fn tinyproxy(dir: &Path, auth: Option<(&str, &str)>) -> (Daemon, u16) {
    tinyproxy_with(dir, auth, &[])
}

pub fn tinyproxy_with(
    dir: &Path,
    auth: Option<(&str, &str)>,
    connect_ports: &[u16],
) -> (Daemon, u16) {
    let port = free_port();
    let conf = dir.join(format!("tinyproxy-{port}.conf"));
    let mut text = format!(
        "Port {port}\nListen 127.0.0.1\nTimeout 10\nAllow 127.0.0.1\nMaxClients 50\nLogLevel Critical\nPidFile \"{}\"\n",
        dir.join(format!("tinyproxy-{port}.pid")).display()
    );
    if let Some((u, p)) = auth {
        text.push_str(&format!("BasicAuth {u} {p}\n"));
    }
    for p in connect_ports {
        text.push_str(&format!("ConnectPort {p}\n"));
    }
    std::fs::write(&conf, text).unwrap();
    let child = Command::new("tinyproxy")
        .arg("-d")
        .arg("-c")
        .arg(&conf)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("tinyproxy starts");
    let d = Daemon(child);
    assert!(wait_for_tcp(port), "tinyproxy listens on {port}");
    (d, port)
}

/// dnsmasq on a free port answering `names` (name → address); `nx` names get NXDOMAIN.
pub fn dnsmasq(names: &[(&str, &str)], nx: &[&str]) -> (Daemon, u16) {
    let port = free_port();
    let mut cmd = Command::new("dnsmasq");
    cmd.args([
        "--no-daemon",
        "--conf-file=/dev/null",
        "--no-resolv",
        "--no-hosts",
        "--listen-address=127.0.0.1",
        "--bind-interfaces",
        "--user=root",
    ])
    .arg(format!("--port={port}"));
    for (name, addr) in names {
        cmd.arg(format!("--address=/{name}/{addr}"));
    }
    for name in nx {
        cmd.arg(format!("--address=/{name}/"));
    }
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("dnsmasq starts");
    let d = Daemon(child);
    assert!(wait_for_tcp(port), "dnsmasq listens on {port}");
    (d, port)
}

/// What Node's own `tls.connect` says about the server: `OK` or `err.code`.
pub fn node_verdict(
    host: &str,
    port: u16,
    servername: Option<&str>,
    ca: Option<&Path>,
    mode: &str,
) -> String {
    let script = r#"
const tls = require('tls'), fs = require('fs');
const [host, port, servername, caFile, mode] = process.argv.slice(1);
const opts = { host, port: +port, rejectUnauthorized: mode !== 'none' };
if (servername !== '-') opts.servername = servername;
if (caFile !== '-') opts.ca = fs.readFileSync(caFile);
if (mode === 'certificate') opts.checkServerIdentity = () => undefined;
const s = tls.connect(opts, () => { console.log('OK'); s.destroy(); process.exit(0); });
s.on('error', (e) => { console.log(e.code || e.message); process.exit(0); });
setTimeout(() => { console.log('TIMEOUT'); process.exit(0); }, 8000);
"#;
    let out = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(host)
        .arg(port.to_string())
        .arg(servername.unwrap_or("-"))
        .arg(ca.map(|p| p.display().to_string()).unwrap_or("-".into()))
        .arg(mode)
        .env_remove("NODE_EXTRA_CA_CERTS")
        .output()
        .expect("node runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `openssl s_client`'s final "Verify return code" (the last error, as Node reports it).
pub fn openssl_verify_code(port: u16, servername: Option<&str>, ca: &Path) -> u32 {
    let mut cmd = Command::new("openssl");
    cmd.args(["s_client", "-connect"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("-CAfile")
        .arg(ca)
        .args(["-no-CApath", "-no-CAstore"]);
    if let Some(s) = servername {
        cmd.arg("-servername").arg(s);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl runs");
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("Verify return code: "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no verify code from openssl:\n{text}"))
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    let mut f = std::fs::File::create(&p).unwrap();
    f.write_all(text.as_bytes()).unwrap();
    p
}
