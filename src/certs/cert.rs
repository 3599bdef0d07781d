//! One X.509 certificate, summarised with x509-parser: what a chain judgement and a report need
//! (names, validity, key, signature algorithm, CA flag), plus the DER to check signatures with.

use std::net::IpAddr;

use serde::Serialize;
use x509_parser::prelude::*;
use x509_parser::public_key::PublicKey;

/// The extensions OpenSSL 3 handles when critical (crypto/x509/v3_purp.c `supported_nids`):
/// netscape cert type, key usage, subject alt name, basic constraints, certificate policies,
/// CRL distribution points, extended key usage, RFC 3779 IP and AS blocks, OCSP no-check,
/// policy constraints, proxy cert info, name constraints, policy mappings, inhibit any policy.
const OPENSSL_SUPPORTED: &[&str] = &[
    "2.16.840.1.113730.1.1",
    "2.5.29.15",
    "2.5.29.17",
    "2.5.29.19",
    "2.5.29.32",
    "2.5.29.31",
    "2.5.29.37",
    "1.3.6.1.5.5.7.1.7",
    "1.3.6.1.5.5.7.1.8",
    "1.3.6.1.5.5.7.48.1.5",
    "2.5.29.36",
    "1.3.6.1.5.5.7.1.14",
    "2.5.29.30",
    "2.5.29.33",
    "2.5.29.54",
];

/// A parsed certificate. Owned, so it can outlive the bytes it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Cert {
    #[serde(skip)]
    pub(crate) der: Vec<u8>,
    pub(crate) subject: String,
    pub(crate) issuer: String,
    #[serde(skip)]
    pub(crate) subject_raw: Vec<u8>,
    #[serde(skip)]
    pub(crate) issuer_raw: Vec<u8>,
    pub(crate) serial: String,
    /// Unix seconds.
    pub(crate) not_before: i64,
    pub(crate) not_after: i64,
    pub(crate) dns_names: Vec<String>,
    pub(crate) ip_addresses: Vec<IpAddr>,
    /// Whether the certificate has a subjectAltName extension at all (Node's `subjectaltname`).
    pub(crate) has_san: bool,
    pub(crate) common_names: Vec<String>,
    pub(crate) key_type: String,
    pub(crate) key_bits: usize,
    pub(crate) signature_algorithm: String,
    /// basicConstraints cA; `None` without the extension.
    pub(crate) is_ca: Option<bool>,
    /// Extended key usages, when the extension is present.
    pub(crate) extended_key_usage: Option<Vec<String>>,
    /// A critical extension OpenSSL does not know (`X509_supported_extension`): OpenSSL, and so
    /// Node, refuses the certificate.
    #[serde(skip)]
    pub(crate) unhandled_critical: bool,
    #[serde(skip)]
    pub(crate) spki_der: Vec<u8>,
    #[serde(skip)]
    ski: Option<Vec<u8>>,
    #[serde(skip)]
    aki: Option<Vec<u8>>,
    pub(crate) sha256: String,
    /// Self-issued and its key ids agree (OpenSSL's `X509_self_signed(x, 0)`).
    #[serde(rename = "self_signed")]
    pub(crate) is_self_signed: bool,
}

impl Cert {
    /// Parses DER; `None` when it is not a certificate x509-parser can read.
    pub(crate) fn from_der(der: &[u8]) -> Option<Cert> {
        let (_, x) = X509Certificate::from_der(der).ok()?;
        let (dns_names, ip_addresses, has_san) = alt_names(&x);
        let common_names = x
            .subject()
            .iter_common_name()
            .filter_map(|cn| cn.as_str().ok().map(crate::untrusted::printable))
            .collect();
        let (key_type, key_bits) = key_kind(&x);
        let is_ca = x.basic_constraints().ok().flatten().map(|bc| bc.value.ca);
        let extended_key_usage = extended_key_usage(&x);
        let unhandled_critical = x
            .extensions()
            .iter()
            .any(|e| e.critical && !OPENSSL_SUPPORTED.contains(&e.oid.to_id_string().as_str()));
        let (ski, aki) = key_ids(&x);
        let self_issued = x.subject().as_raw() == x.issuer().as_raw();
        let is_self_signed = self_issued
            && match (&aki, &ski) {
                (Some(a), Some(s)) => a == s,
                _ => true,
            };
        Some(Cert {
            is_self_signed,
            der: der.to_vec(),
            // Peers choose these names: escaped before anything can print them.
            subject: crate::untrusted::printable(&x.subject().to_string()),
            issuer: crate::untrusted::printable(&x.issuer().to_string()),
            subject_raw: x.subject().as_raw().to_vec(),
            issuer_raw: x.issuer().as_raw().to_vec(),
            serial: x.raw_serial_as_string(),
            not_before: x.validity().not_before.timestamp(),
            not_after: x.validity().not_after.timestamp(),
            dns_names,
            ip_addresses,
            has_san,
            common_names,
            key_type,
            key_bits,
            signature_algorithm: signature_name(&x.signature_algorithm.algorithm.to_id_string()),
            is_ca,
            extended_key_usage,
            unhandled_critical,
            spki_der: x.public_key().raw.to_vec(),
            ski,
            aki,
            sha256: hex(ring::digest::digest(&ring::digest::SHA256, der).as_ref()),
        })
    }

    /// Subject and issuer are the same name (OpenSSL's "self-issued").
    pub(crate) fn self_issued(&self) -> bool {
        self.subject_raw == self.issuer_raw
    }

    /// OpenSSL's `X509_self_signed(x, 0)`: self-issued, and the authority key id (if any)
    /// names the certificate's own key. The signature is not checked.
    pub(crate) fn self_signed(&self) -> bool {
        self.is_self_signed
    }

    /// Whether `issuer` could have issued this certificate: names match, the key ids do not
    /// contradict, and the signature verifies with its key.
    pub(crate) fn issued_by_key(
        &self,
        issuer_subject: &[u8],
        issuer_spki: &[u8],
        issuer_ski: Option<&[u8]>,
    ) -> bool {
        if self.issuer_raw != issuer_subject {
            return false;
        }
        if let (Some(aki), Some(ski)) = (&self.aki, issuer_ski)
            && aki.as_slice() != ski
        {
            return false;
        }
        self.signature_verifies(issuer_spki)
    }

    pub(crate) fn issued_by(&self, issuer: &Cert) -> bool {
        self.issued_by_key(&issuer.subject_raw, &issuer.spki_der, issuer.ski.as_deref())
    }

    fn signature_verifies(&self, spki_der: &[u8]) -> bool {
        let Ok((_, x)) = X509Certificate::from_der(&self.der) else {
            return false;
        };
        let Ok((_, spki)) = SubjectPublicKeyInfo::from_der(spki_der) else {
            return false;
        };
        x.verify_signature(Some(&spki)).is_ok()
    }

    /// The signature uses SHA-1.
    pub(crate) fn sha1_signature(&self) -> bool {
        self.signature_algorithm.contains("sha1") || self.signature_algorithm.contains("SHA1")
    }

    /// A digest OpenSSL 3 rates below security level 1 (SHA-1, MD5, MD2).
    pub(crate) fn weak_digest(&self) -> bool {
        self.sha1_signature()
            || matches!(
                self.signature_algorithm.as_str(),
                "1.2.840.113549.1.1.4" | "1.2.840.113549.1.1.2"
            )
    }

    /// Node's `cert.subjectaltname` text, e.g. `DNS:a.example, IP Address:127.0.0.1`.
    pub(crate) fn subjectaltname(&self) -> String {
        self.dns_names
            .iter()
            .map(|d| format!("DNS:{d}"))
            .chain(
                self.ip_addresses
                    .iter()
                    .map(|ip| format!("IP Address:{ip}")),
            )
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The most useful name for a one-line chain tree.
    pub(crate) fn short_name(&self) -> String {
        self.common_names
            .first()
            .cloned()
            .unwrap_or_else(|| self.subject.clone())
    }
}

/// Reads every certificate of a PEM text (other blocks are skipped).
pub(crate) fn certs_from_pem(text: &[u8]) -> Vec<Cert> {
    let mut out = Vec::new();
    for pem in Pem::iter_from_buffer(text).flatten() {
        if pem.label == "CERTIFICATE"
            && let Some(c) = Cert::from_der(&pem.contents)
        {
            out.push(c);
        }
    }
    out
}

/// The subjectAltName's DNS names and IP addresses, and whether the extension is there at all.
fn alt_names(x: &X509Certificate) -> (Vec<String>, Vec<IpAddr>, bool) {
    let mut dns_names = Vec::new();
    let mut ip_addresses = Vec::new();
    let mut has_san = false;
    if let Ok(Some(san)) = x.subject_alternative_name() {
        has_san = true;
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(d) => dns_names.push(d.to_string()),
                GeneralName::IPAddress(bytes) => {
                    if let Some(ip) = ip_from_bytes(bytes) {
                        ip_addresses.push(ip);
                    }
                }
                _ => {}
            }
        }
    }
    (dns_names, ip_addresses, has_san)
}

/// The public key's type and size in bits (0 where the size does not apply or is unknown).
fn key_kind(x: &X509Certificate) -> (String, usize) {
    match x.public_key().parsed() {
        Ok(PublicKey::RSA(rsa)) => ("RSA".to_string(), rsa.key_size()),
        Ok(PublicKey::EC(ec)) => ("EC".to_string(), ec.key_size()),
        Ok(PublicKey::DSA(_)) => ("DSA".to_string(), 0),
        Ok(PublicKey::GostR3410(_)) | Ok(PublicKey::GostR3410_2012(_)) => ("GOST".to_string(), 0),
        Ok(PublicKey::Unknown(_)) | Err(_) => {
            let oid = x.public_key().algorithm.algorithm.to_id_string();
            let name = if oid == "1.3.101.112" {
                "Ed25519".to_string()
            } else {
                oid
            };
            (name, 0)
        }
    }
}

/// The extended key usages by OpenSSL's names, when the extension is present.
fn extended_key_usage(x: &X509Certificate) -> Option<Vec<String>> {
    x.extended_key_usage().ok().flatten().map(|eku| {
        let e = eku.value;
        let mut v = Vec::new();
        if e.any {
            v.push("any".to_string());
        }
        if e.server_auth {
            v.push("serverAuth".to_string());
        }
        if e.client_auth {
            v.push("clientAuth".to_string());
        }
        if e.code_signing {
            v.push("codeSigning".to_string());
        }
        if e.email_protection {
            v.push("emailProtection".to_string());
        }
        v.extend(e.other.iter().map(|o| o.to_id_string()));
        v
    })
}

/// The subject and authority key identifiers, which chain building matches on.
fn key_ids(x: &X509Certificate) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let mut ski = None;
    let mut aki = None;
    for ext in x.extensions() {
        match ext.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(k) => ski = Some(k.0.to_vec()),
            ParsedExtension::AuthorityKeyIdentifier(a) => {
                aki = a.key_identifier.as_ref().map(|k| k.0.to_vec())
            }
            _ => {}
        }
    }
    (ski, aki)
}

fn ip_from_bytes(b: &[u8]) -> Option<IpAddr> {
    match b.len() {
        4 => Some(IpAddr::from(<[u8; 4]>::try_from(b).ok()?)),
        16 => Some(IpAddr::from(<[u8; 16]>::try_from(b).ok()?)),
        _ => None,
    }
}

/// OpenSSL's short names for the common signature algorithms.
fn signature_name(oid: &str) -> String {
    match oid {
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "ED25519",
        other => return other.to_string(),
    }
    .to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `YYYY-MM-DD` for unix seconds (UTC).
pub(crate) fn ymd(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    format!("{:04}-{:02}-{:02}", if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(super::ymd(0), "1970-01-01");
        assert_eq!(super::ymd(1_798_675_200), "2026-12-31");
        assert_eq!(super::ymd(951_782_400), "2000-02-29");
    }
}
