//! The CA set Kibana's Node.js process trusts for one request (kibana-settings.md §3):
//! Node's bundled Mozilla roots (webpki-roots carries the same Mozilla list) plus
//! `NODE_EXTRA_CA_CERTS`, unless a `ca` option is given — a matched customHostSettings entry's
//! CA data, or the connector's own `ca` — which replaces that list (`tls.createSecureContext`
//! calls `addRootCerts()` only without `ca`).

use serde::Serialize;

use super::cert::Cert;

/// One trusted certificate or, for the bundled roots, just its name and key.
#[derive(Clone, Debug)]
pub(crate) struct Anchor {
    pub(crate) subject_raw: Vec<u8>,
    pub(crate) spki_der: Vec<u8>,
    pub(crate) name: String,
    /// The full certificate, when the CA came as one (CA files); Mozilla's list has none.
    pub(crate) cert: Option<Cert>,
}

impl Anchor {
    fn from_cert(c: Cert) -> Anchor {
        Anchor {
            subject_raw: c.subject_raw.clone(),
            spki_der: c.spki_der.clone(),
            name: c.subject.clone(),
            cert: Some(c),
        }
    }
}

/// Which list is in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum TrustSource {
    /// Node's Mozilla roots, plus NODE_EXTRA_CA_CERTS when given.
    Default,
    /// A customHostSettings entry's CA data.
    CustomHost,
    /// The connector's `config.ca`.
    Connector,
}

#[derive(Clone, Debug)]
pub(crate) struct TrustStore {
    pub(crate) anchors: Vec<Anchor>,
    pub(crate) source: TrustSource,
}

impl TrustStore {
    /// Node's default: the Mozilla list plus the extra certificates.
    pub(crate) fn node_default(extra: Vec<Cert>) -> TrustStore {
        let mut anchors: Vec<Anchor> = webpki_roots::TLS_SERVER_ROOTS
            .iter()
            .map(|ta| Anchor {
                subject_raw: sequence(ta.subject.as_ref()),
                spki_der: sequence(ta.subject_public_key_info.as_ref()),
                name: String::from("Mozilla root"),
                cert: None,
            })
            .collect();
        anchors.extend(extra.into_iter().map(Anchor::from_cert));
        TrustStore {
            anchors,
            source: TrustSource::Default,
        }
    }

    /// Exactly these certificates (a `ca` option).
    pub(crate) fn only(certs: Vec<Cert>, source: TrustSource) -> TrustStore {
        TrustStore {
            anchors: certs.into_iter().map(Anchor::from_cert).collect(),
            source,
        }
    }

    /// A trusted certificate that issued `c`, if any.
    pub(crate) fn issuer_of(&self, c: &Cert) -> Option<&Anchor> {
        self.anchors.iter().find(|a| match &a.cert {
            Some(ac) => c.issued_by(ac),
            None => c.issued_by_key(&a.subject_raw, &a.spki_der, None),
        })
    }
}

/// Wraps DER contents in a SEQUENCE (webpki-roots stores names and keys without it).
fn sequence(content: &[u8]) -> Vec<u8> {
    let mut out = vec![0x30];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}
