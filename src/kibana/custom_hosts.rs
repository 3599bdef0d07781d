//! `resolveCustomHosts` (`lib/custom_host_settings.ts`), run when the actions plugin starts:
//! which `customHostSettings` entries survive, under which canonical URL, with which warnings.
//! The `custom-host-settings` module reports the warnings; target evaluation uses the survivors.

use std::collections::HashMap;

use super::url as kurl;
use crate::certs::cert::Cert;
use crate::kibana::settings::{CustomHost, Settings};
use crate::source::files::{CaFileStatus, PemContent, inspect_pem};

/// Why Kibana drops an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Dropped {
    InvalidUrl,
    UnsupportedProtocol {
        protocol: String,
    },
    NoPort,
    /// A later duplicate of `first`'s canonical URL.
    Duplicate {
        first: usize,
    },
}

/// A warning Kibana logs for an entry it keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Warning {
    Credentials,
    Hash,
    Path,
    SmtpOnNonSmtp,
    RequireAndIgnoreTls,
}

/// One entry after Kibana's processing.
#[derive(Clone, Debug)]
pub(crate) struct Resolved {
    /// Index in `xpack.actions.customHostSettings`.
    pub(crate) index: usize,
    /// `protocol//hostname:port`, when the URL parses.
    pub(crate) canonical: Option<String>,
    /// WHATWG hostname and port, for near-miss comparisons.
    pub(crate) hostname: Option<String>,
    pub(crate) port: Option<u16>,
    pub(crate) protocol: Option<String>,
    pub(crate) dropped: Option<Dropped>,
    pub(crate) warnings: Vec<Warning>,
    /// The CA data Kibana ends up with: `None` when the entry sets none (or none was readable),
    /// so Node's default CA list stays in force.
    pub(crate) ca: Option<CaData>,
}

/// What the entry's CA data holds once files are appended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CaData {
    /// At least one certificate parses: it *replaces* the default CA list for this host.
    pub(crate) usable: bool,
    /// Files that contributed (readable ones).
    pub(crate) files: Vec<String>,
    /// The certificates, data first then files in order, as Kibana concatenates them.
    pub(crate) certs: Vec<Cert>,
}

impl Resolved {
    pub(crate) fn applies(&self) -> bool {
        self.dropped.is_none()
    }
}

/// Processes the entries in order, as Kibana does.
pub(crate) fn resolve(
    settings: &Settings,
    ca_files: &HashMap<String, CaFileStatus>,
) -> Vec<Resolved> {
    let mut out: Vec<Resolved> = Vec::new();
    // The first applying entry of each canonical URL: duplicates are found in one pass.
    let mut first: rustc_hash::FxHashMap<String, usize> = Default::default();
    for host in &settings.custom_hosts {
        let r = resolve_one(host, ca_files, &first);
        if r.applies()
            && let Some(c) = &r.canonical
        {
            first.entry(c.clone()).or_insert(r.index);
        }
        out.push(r);
    }
    out
}

fn resolve_one(
    host: &CustomHost,
    ca_files: &HashMap<String, CaFileStatus>,
    earlier: &rustc_hash::FxHashMap<String, usize>,
) -> Resolved {
    let mut r = Resolved {
        index: host.index,
        canonical: None,
        hostname: None,
        port: None,
        protocol: None,
        dropped: None,
        warnings: Vec::new(),
        ca: None,
    };
    let Some(url) = kurl::parse(&host.url.value) else {
        r.dropped = Some(Dropped::InvalidUrl);
        return r;
    };
    let (canonical, port) = kurl::canonical(&url);
    r.hostname = Some(kurl::hostname(&url));
    r.port = Some(port);
    r.protocol = Some(url.scheme().to_string());
    r.canonical = Some(canonical.clone());
    if !matches!(url.scheme(), "https" | "smtp") {
        r.dropped = Some(Dropped::UnsupportedProtocol {
            protocol: url.scheme().to_string(),
        });
        return r;
    }
    if port == 0 {
        r.dropped = Some(Dropped::NoPort);
        return r;
    }
    if kurl::has_credentials(&url) {
        r.warnings.push(Warning::Credentials);
    }
    if url.fragment().is_some() {
        r.warnings.push(Warning::Hash);
    }
    if !url.path().is_empty() && url.path() != "/" {
        r.warnings.push(Warning::Path);
    }
    if host.smtp.is_some() && url.scheme() != "smtp" {
        r.warnings.push(Warning::SmtpOnNonSmtp);
    }
    if host.ssl.is_some() {
        let mut certs = Vec::new();
        if let Some(d) = &host.ca_data
            && let PemContent::Certificates(c) = inspect_pem(d.value.as_bytes())
        {
            certs.extend(c);
        }
        let mut any = host.ca_data.is_some();
        let mut files = Vec::new();
        for f in &host.ca_files {
            if let Some(CaFileStatus::Read(content)) = ca_files.get(&f.value) {
                any = true;
                files.push(f.value.clone());
                if let PemContent::Certificates(c) = content {
                    certs.extend(c.iter().cloned());
                }
            }
        }
        if any {
            r.ca = Some(CaData {
                usable: !certs.is_empty(),
                files,
                certs,
            });
        }
    }
    let smtp_url = url.scheme() == "smtp";
    if smtp_url
        && host.require_tls.as_ref().is_some_and(|s| s.value)
        && host.ignore_tls.as_ref().is_some_and(|s| s.value)
    {
        r.warnings.push(Warning::RequireAndIgnoreTls);
    }
    if let Some(&first) = earlier.get(canonical.as_str()) {
        r.dropped = Some(Dropped::Duplicate { first });
    }
    r
}
