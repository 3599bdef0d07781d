//! What Node's TLS client (OpenSSL 3 underneath) says about a chain, and the error code Kibana
//! would show.
//!
//! Node verifies with a callback that lets OpenSSL run to the end and then reads
//! `SSL_get_verify_result`, i.e. the *last* error OpenSSL recorded. So this follows OpenSSL's
//! `verify_chain` step by step, recording errors in the order OpenSSL does:
//!
//! 1. `build_chain` (trusted-first): from the leaf, take the issuer from the trust store if it has
//!    one, else from the certificates the server sent; once a trusted certificate is used only
//!    the store is searched. A chain that does not end in a self-signed trusted certificate
//!    records 18 (lone self-signed leaf), 19 (self-signed certificate in the chain), 2 (the
//!    chain reached a trusted but non-root certificate) or 20 (nothing trusted at all).
//! 2. `check_extensions`: issuers must be CAs (24), certificates with extended key usage must
//!    allow serverAuth (26).
//! 3. `internal_verify`: from the top down, 21 when a one-certificate chain ends in a certificate
//!    that is not self-issued, then each certificate's validity (9, 10).
//!
//! Without a chain error and with hostname checking on (mode `full`), Node's
//! `checkServerIdentity` decides: `ERR_TLS_CERT_ALTNAME_INVALID`.

use std::net::IpAddr;

use serde::Serialize;

use super::cert::Cert;
use super::trust::{Anchor, TrustStore};

/// Why Node rejects a chain: OpenSSL's verify error, or the name check after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rejection {
    Verify(VerifyError),
    /// `ERR_TLS_CERT_ALTNAME_INVALID`.
    AltnameInvalid,
}

/// An OpenSSL verify error, as Node names it (`err.code`) and describes it (`err.message`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub(crate) enum VerifyError {
    UnableToGetIssuerCert,
    CertNotYetValid,
    CertHasExpired,
    DepthZeroSelfSignedCert,
    SelfSignedCertInChain,
    UnableToGetIssuerCertLocally,
    UnableToVerifyLeafSignature,
    InvalidCa,
    InvalidPurpose,
    UnhandledCriticalExtension,
    EeKeyTooSmall,
    CaKeyTooSmall,
    CaMdTooWeak,
}

impl VerifyError {
    /// OpenSSL's numeric code (`openssl s_client`'s "Verify return code").
    pub(crate) fn number(self) -> u32 {
        match self {
            VerifyError::UnableToGetIssuerCert => 2,
            VerifyError::CertNotYetValid => 9,
            VerifyError::CertHasExpired => 10,
            VerifyError::DepthZeroSelfSignedCert => 18,
            VerifyError::SelfSignedCertInChain => 19,
            VerifyError::UnableToGetIssuerCertLocally => 20,
            VerifyError::UnableToVerifyLeafSignature => 21,
            VerifyError::InvalidCa => 24,
            VerifyError::InvalidPurpose => 26,
            VerifyError::UnhandledCriticalExtension => 34,
            VerifyError::EeKeyTooSmall => 66,
            VerifyError::CaKeyTooSmall => 67,
            VerifyError::CaMdTooWeak => 68,
        }
    }

    /// Node's `err.code`.
    pub(crate) fn code(self) -> &'static str {
        match self {
            VerifyError::UnableToGetIssuerCert => "UNABLE_TO_GET_ISSUER_CERT",
            VerifyError::CertNotYetValid => "CERT_NOT_YET_VALID",
            VerifyError::CertHasExpired => "CERT_HAS_EXPIRED",
            VerifyError::DepthZeroSelfSignedCert => "DEPTH_ZERO_SELF_SIGNED_CERT",
            VerifyError::SelfSignedCertInChain => "SELF_SIGNED_CERT_IN_CHAIN",
            VerifyError::UnableToGetIssuerCertLocally => "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
            VerifyError::UnableToVerifyLeafSignature => "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
            VerifyError::InvalidCa => "INVALID_CA",
            VerifyError::InvalidPurpose => "INVALID_PURPOSE",
            // Not in Node's table of OpenSSL error names: Node says UNSPECIFIED with the message.
            VerifyError::UnhandledCriticalExtension => "UNSPECIFIED",
            // Node's table of verify error names stops at HOSTNAME_MISMATCH; later OpenSSL
            // errors come out as UNSPECIFIED (checked against Node 20).
            VerifyError::EeKeyTooSmall | VerifyError::CaKeyTooSmall | VerifyError::CaMdTooWeak => {
                "UNSPECIFIED"
            }
        }
    }

    /// OpenSSL 3's text, which is Node's `err.message`.
    pub(crate) fn message(self) -> &'static str {
        match self {
            VerifyError::UnableToGetIssuerCert => "unable to get issuer certificate",
            VerifyError::CertNotYetValid => "certificate is not yet valid",
            VerifyError::CertHasExpired => "certificate has expired",
            VerifyError::DepthZeroSelfSignedCert => "self-signed certificate",
            VerifyError::SelfSignedCertInChain => "self-signed certificate in certificate chain",
            VerifyError::UnableToGetIssuerCertLocally => "unable to get local issuer certificate",
            VerifyError::UnableToVerifyLeafSignature => "unable to verify the first certificate",
            VerifyError::InvalidCa => "invalid CA certificate",
            VerifyError::InvalidPurpose => "unsupported certificate purpose",
            VerifyError::UnhandledCriticalExtension => "unhandled critical extension",
            VerifyError::EeKeyTooSmall => "EE certificate key too weak",
            VerifyError::CaKeyTooSmall => "CA certificate key too weak",
            VerifyError::CaMdTooWeak => "CA signature digest algorithm too weak",
        }
    }
}

/// Where each certificate of the built chain came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Provenance {
    /// Sent by the server.
    Server,
    /// From the trust store (a CA file, or Mozilla's list).
    TrustStore,
}

/// One link of the chain OpenSSL builds.
#[derive(Clone, Debug)]
pub(crate) struct Link {
    /// `None` for a Mozilla root, known only by name and key.
    pub(crate) cert: Option<Cert>,
    pub(crate) name: String,
    pub(crate) origin: Provenance,
}

/// The judgement of one presented chain.
#[derive(Clone, Debug)]
pub(crate) struct Verdict {
    pub(crate) chain: Vec<Link>,
    /// The chain ends in a trusted self-signed certificate.
    pub(crate) trusted: bool,
    /// Every verify error, in the order OpenSSL records them.
    pub(crate) errors: Vec<VerifyError>,
    /// `checkServerIdentity`'s reason, when the name does not match (checked even when the mode
    /// would not, so a report can say what `certificate` mode hides).
    pub(crate) hostname_mismatch: Option<String>,
}

impl Verdict {
    /// What `SSL_get_verify_result` returns: the last error.
    pub(crate) fn verify_error(&self) -> Option<VerifyError> {
        self.errors.last().copied()
    }

    /// The error Kibana's request fails with under the mode: Node's `err.code` and message.
    pub(crate) fn node_error(
        &self,
        check_chain: bool,
        check_hostname: bool,
    ) -> Option<(Rejection, String)> {
        if !check_chain {
            return None;
        }
        if let Some(e) = self.verify_error() {
            return Some((Rejection::Verify(e), e.message().to_string()));
        }
        if check_hostname && let Some(reason) = &self.hostname_mismatch {
            return Some((
                Rejection::AltnameInvalid,
                format!("Hostname/IP does not match certificate's altnames: {reason}"),
            ));
        }
        None
    }
}

/// Judges `presented` (leaf first) against `store` for `hostname` at unix time `now`.
pub(crate) fn judge(presented: &[Cert], store: &TrustStore, hostname: &str, now: i64) -> Verdict {
    let Some(leaf) = presented.first() else {
        return Verdict {
            chain: Vec::new(),
            trusted: false,
            errors: vec![VerifyError::UnableToVerifyLeafSignature],
            hostname_mismatch: None,
        };
    };
    let (chain, trusted) = build_chain(leaf, presented, store);
    let mut errors = Vec::new();
    if !trusted {
        errors.push(untrusted_error(&chain));
    }
    check_extensions(&chain, &mut errors);
    check_auth_level(&chain, &mut errors);
    internal_verify(&chain, now, &mut errors);

    Verdict {
        chain,
        trusted,
        errors,
        hostname_mismatch: check_server_identity(hostname, leaf).err(),
    }
}

/// build_chain, trusted-first: the chain from the leaf up, and whether it ends in a trust anchor.
fn build_chain(leaf: &Cert, presented: &[Cert], store: &TrustStore) -> (Vec<Link>, bool) {
    let mut chain = vec![Link {
        cert: Some(leaf.clone()),
        name: leaf.short_name(),
        origin: Provenance::Server,
    }];
    let mut used = vec![false; presented.len()];
    used[0] = true;
    let mut trusted = false;
    let mut in_store = false;

    loop {
        let cur = chain.last().unwrap();
        let Some(cur_cert) = cur.cert.clone() else {
            // A Mozilla root: self-signed by definition.
            trusted = true;
            break;
        };
        if let Some(anchor) = store.issuer_of(&cur_cert) {
            let same =
                anchor.subject_raw == cur_cert.subject_raw && anchor.spki_der == cur_cert.spki_der;
            if same {
                // The certificate itself is in the store and self-signed: a trust anchor.
                if cur_cert.self_signed() {
                    trusted = true;
                    break;
                }
            } else {
                let self_signed = anchor.cert.as_ref().is_none_or(|c| c.self_signed());
                chain.push(anchor_link(anchor));
                in_store = true;
                if self_signed {
                    trusted = true;
                    break;
                }
                if chain.len() > 20 {
                    break;
                }
                continue;
            }
        }
        if cur_cert.self_signed() || in_store {
            break;
        }
        let next = presented
            .iter()
            .enumerate()
            .find(|(i, c)| !used[*i] && cur_cert.issued_by(c));
        match next {
            Some((i, c)) => {
                used[i] = true;
                chain.push(Link {
                    cert: Some(c.clone()),
                    name: c.short_name(),
                    origin: Provenance::Server,
                });
                if chain.len() > 20 {
                    break;
                }
            }
            None => break,
        }
    }
    (chain, trusted)
}

/// The link for an issuer taken from the trust store (a Mozilla root is known by name only).
fn anchor_link(anchor: &Anchor) -> Link {
    Link {
        cert: anchor.cert.clone(),
        name: anchor
            .cert
            .as_ref()
            .map(|c| c.short_name())
            .unwrap_or_else(|| anchor.name.clone()),
        origin: Provenance::TrustStore,
    }
}

/// The error build_chain records for a chain that does not end in a trust anchor.
fn untrusted_error(chain: &[Link]) -> VerifyError {
    let num = chain.len();
    let num_untrusted = chain
        .iter()
        .filter(|l| l.origin == Provenance::Server)
        .count();
    let top_self_signed = chain
        .last()
        .and_then(|l| l.cert.as_ref())
        .is_none_or(|c| c.self_signed());
    if top_self_signed && num == 1 {
        VerifyError::DepthZeroSelfSignedCert
    } else if top_self_signed {
        VerifyError::SelfSignedCertInChain
    } else if num_untrusted < num {
        VerifyError::UnableToGetIssuerCert
    } else {
        VerifyError::UnableToGetIssuerCertLocally
    }
}

/// check_extensions: issuers must be CAs; extended key usage must allow a TLS server. Only
/// an explicit `cA: false` and the server's own certificates are judged, the cases OpenSSL is
/// unambiguous about (it treats v1 and extension-less roots as CAs).
fn check_extensions(chain: &[Link], errors: &mut Vec<VerifyError>) {
    for (depth, link) in chain.iter().enumerate() {
        let Some(c) = &link.cert else { continue };
        // check_chain_extensions looks at critical extensions first, for every certificate.
        if c.unhandled_critical {
            errors.push(VerifyError::UnhandledCriticalExtension);
        }
        if depth > 0 && c.is_ca == Some(false) {
            errors.push(VerifyError::InvalidCa);
        }
        if link.origin == Provenance::Server
            && let Some(eku) = &c.extended_key_usage
            && !eku.iter().any(|u| u == "serverAuth" || u == "any")
        {
            errors.push(VerifyError::InvalidPurpose);
        }
    }
}

/// check_auth_level at OpenSSL's default security level 1 (80 bits): RSA/DSA keys under 1024
/// bits, and signatures with SHA-1 or MD5 (63 bits and less since OpenSSL 3.0), except the
/// self-signature of the top certificate.
fn check_auth_level(chain: &[Link], errors: &mut Vec<VerifyError>) {
    let num = chain.len();
    for (depth, link) in chain.iter().enumerate() {
        let Some(c) = &link.cert else { continue };
        if matches!(c.key_type.as_str(), "RSA" | "DSA") && c.key_bits > 0 && c.key_bits < 1024 {
            errors.push(if depth == 0 {
                VerifyError::EeKeyTooSmall
            } else {
                VerifyError::CaKeyTooSmall
            });
        }
        let top_self_signed = depth == num - 1 && c.self_signed();
        if !top_self_signed && c.weak_digest() {
            errors.push(VerifyError::CaMdTooWeak);
        }
    }
}

/// internal_verify: top down, the last signature check and each certificate's validity at `now`.
fn internal_verify(chain: &[Link], now: i64, errors: &mut Vec<VerifyError>) {
    let num = chain.len();
    let top = chain.last().unwrap();
    let top_self_issued = top.cert.as_ref().is_none_or(|c| c.self_issued());
    let mut n = num as isize - 1;
    if !top_self_issued {
        if n == 0 {
            errors.push(VerifyError::UnableToVerifyLeafSignature);
        } else {
            n -= 1;
        }
    }
    while n >= 0 {
        if let Some(c) = &chain[n as usize].cert {
            if now < c.not_before {
                errors.push(VerifyError::CertNotYetValid);
            } else if now > c.not_after {
                errors.push(VerifyError::CertHasExpired);
            }
        }
        n -= 1;
    }
}

/// Node's `tls.checkServerIdentity` (lib/tls.js, Node 20): `Err(reason)` on a mismatch.
pub(crate) fn check_server_identity(hostname: &str, cert: &Cert) -> Result<(), String> {
    let host = hostname.trim_start_matches('[').trim_end_matches(']');
    let host = host.strip_suffix('.').unwrap_or(host);
    if let Ok(ip) = host.parse::<IpAddr>() {
        if cert.ip_addresses.contains(&ip) {
            return Ok(());
        }
        let list = cert
            .ip_addresses
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(format!("IP: {host} is not in the cert's list: {list}"));
    }
    let host_parts = split_host(host);
    if !cert.dns_names.is_empty() {
        if cert.dns_names.iter().any(|p| matches(&host_parts, p, true)) {
            return Ok(());
        }
        return Err(format!(
            "Host: {host}. is not in the cert's altnames: {}",
            cert.subjectaltname()
        ));
    }
    if let Some(cn) = cert.common_names.first() {
        let ok = if cert.common_names.len() > 1 {
            cert.common_names
                .iter()
                .any(|c| matches(&host_parts, c, true))
        } else {
            matches(&host_parts, cn, true)
        };
        if ok {
            return Ok(());
        }
        return Err(format!(
            "Host: {host}. is not cert's CN: {}",
            cert.common_names.join(",")
        ));
    }
    Err("Cert does not contain a DNS name".to_string())
}

fn split_host(host: &str) -> Vec<String> {
    let h = host.strip_suffix('.').unwrap_or(host);
    h.to_lowercase().split('.').map(str::to_string).collect()
}

/// lib/tls.js `check(hostParts, pattern, wildcards)`.
fn matches(host_parts: &[String], pattern: &str, wildcards: bool) -> bool {
    if pattern.is_empty() {
        return false;
    }
    let pattern_parts = split_host(pattern);
    if host_parts.len() != pattern_parts.len() {
        return false;
    }
    if pattern_parts.iter().any(|p| p.is_empty()) {
        return false;
    }
    if pattern_parts
        .iter()
        .any(|p| p.chars().any(|c| !('\u{21}'..='\u{7f}').contains(&c)))
    {
        return false;
    }
    for i in (1..host_parts.len()).rev() {
        if host_parts[i] != pattern_parts[i] {
            return false;
        }
    }
    let host_sub = &host_parts[0];
    let pattern_sub = &pattern_parts[0];
    let pieces: Vec<&str> = pattern_sub.split('*').collect();
    if pieces.len() == 1 || pattern_sub.contains("xn--") {
        return host_sub == pattern_sub;
    }
    if !wildcards || pieces.len() > 2 || pattern_parts.len() <= 2 {
        return false;
    }
    let (prefix, suffix) = (pieces[0], pieces[1]);
    prefix.len() + suffix.len() <= host_sub.len()
        && host_sub.starts_with(prefix)
        && host_sub.ends_with(suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(h: &str) -> Vec<String> {
        split_host(h)
    }

    /// Rows from Node's test-tls-check-server-identity.js.
    #[test]
    fn node_hostname_rules() {
        assert!(matches(&parts("a.com"), "a.com", true));
        assert!(matches(&parts("A.COM"), "a.com", true));
        assert!(!matches(&parts("a.com"), "b.com", true));
        assert!(matches(&parts("b.a.com"), "*.a.com", true));
        assert!(!matches(&parts("a.com"), "*.a.com", true));
        assert!(!matches(&parts("c.b.a.com"), "*.a.com", true));
        assert!(!matches(&parts("a.com"), "*.com", true), "*.tld is refused");
        assert!(matches(&parts("bar.a.com"), "b*.a.com", true));
        assert!(!matches(&parts("xn--bcher-kva.a.com"), "xn--*.a.com", true));
        assert!(!matches(&parts("a.b.c"), "a..c", true));
        assert!(matches(&parts("a.com."), "a.com", true));
    }
}
