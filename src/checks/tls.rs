//! Module `tls` (`check` only): would Kibana's Node.js process accept the endpoint's
//! certificate chain? The chain the server presented is judged with Kibana's trust set and
//! verification mode (`crate::certs::verdict`), and the finding names the Node error Kibana's
//! connector test would show. Beyond Kibana's verdict it reports what a TLS expert would: an
//! omitted intermediate, expiry within `--expiry-warning-days`, weak keys, SHA-1, names only in
//! the CN, and problems a relaxed verification mode hides. A plain http: target is flagged too.

use super::{Check, Context, Outcome, live_finding, probed};
use crate::certs::cert::Cert;
use crate::certs::cert::ymd;
use crate::certs::trust::TrustSource;
use crate::certs::verdict::{Provenance, VerifyError};
use crate::kibana::target::Target;
use crate::probe::handshake::Handshake;
use crate::probe::{Failure, NodeError, Step};
use crate::report::finding::Finding;
use crate::rules::{Module, Rule};

pub(crate) struct Tls;

impl Check for Tls {
    fn module(&self) -> Module {
        Module::Tls
    }

    fn run(&self, cx: &Context, out: &mut Outcome) {
        let live = cx.live.expect("live modules run with probe results");
        let mut lines = Vec::new();
        for (t, o) in probed(cx) {
            if t.decision.scheme.as_deref() == Some("http") {
                out.push(
                    live_finding(
                        Rule::PlainHttpTarget,
                        t,
                        format!("`{}` is plain http: the alert payload and any credentials (basic auth, headers) travel unencrypted", t.shown_url()),
                        None,
                    )
                    .help("use an https:// URL if the endpoint offers one"),
                );
                continue;
            }
            let Some(step) = &o.tls else { continue };
            match step {
                Step::Failed { failure, .. } => out.push(handshake_failed(t, failure)),
                Step::Ok(h) => {
                    lines.push(format!(
                        "{} {}, {} ({} certificate(s) sent)",
                        h.protocol,
                        if h.node_error.is_none() {
                            "accepted"
                        } else {
                            "refused"
                        },
                        h.chain
                            .iter()
                            .map(|l| l.name.as_str())
                            .collect::<Vec<_>>()
                            .join(" ← "),
                        h.presented.len()
                    ));
                    verdict_findings(t, h, live.now, out);
                    expert_findings(t, h, live.now, live.expiry_warning_days, out);
                }
                Step::Skipped { .. } => {}
            }
        }
        if !lines.is_empty() {
            out.summary(lines.join("; "));
        }
    }
}

fn handshake_failed(t: &Target, failure: &Failure) -> Finding {
    let help = match failure.node_error {
        NodeError::Proto if failure.message.contains("wrong version number") => {
            "the port does not speak TLS: use http:// for it, or the port that serves https"
        }
        NodeError::Proto => {
            "the server refused the handshake: Kibana's Node.js needs TLS 1.2 or 1.3 with a modern cipher; check the server's TLS settings"
        }
        NodeError::ConnAborted => {
            "the server accepted the connection but never completed the handshake: it may not speak TLS on this port, or a middlebox holds the connection; Kibana waits for xpack.actions.responseTimeout (60s by default)"
        }
        _ => {
            "the server (or a middlebox) closed the connection during the handshake: check that the port serves TLS and that no firewall or proxy interferes"
        }
    };
    live_finding(
        Rule::TlsHandshakeFailed,
        t,
        format!(
            "the TLS handshake with `{}` failed: {}",
            t.shown_url(),
            failure.message
        ),
        Some(failure),
    )
    .help(help)
}

/// Where a CA for this target goes in Kibana.
fn where_ca_goes(t: &Target) -> String {
    let canonical = t
        .decision
        .canonical
        .as_deref()
        .unwrap_or("https://host:443")
        .trim_end_matches(":443");
    format!(
        "add it to xpack.actions.customHostSettings (`- url: {canonical}` with `ssl.certificateAuthoritiesFiles`), to the connector's `ca` (8.10+), or to NODE_EXTRA_CA_CERTS"
    )
}

fn verdict_findings(t: &Target, h: &Handshake, now: i64, out: &mut Outcome) {
    let Some(failure) = &h.node_error else {
        if let Some((rejection, message)) = h.verdict.node_error(true, true) {
            let code = NodeError::from(rejection);
            let mode = if h.check_chain { "certificate" } else { "none" };
            out.push(
                live_finding(
                    Rule::VerificationHidesProblem,
                    t,
                    format!("Kibana accepts `{}` only because verification mode `{mode}` skips a check that fails: [{code}] {message}", t.shown_url()),
                    None,
                )
                .help("fix the certificate and use `full`; a relaxed mode would accept an impostor's certificate just as well"),
            );
        }
        return;
    };
    let v = &h.verdict;
    let top = v.chain.last();
    let top_name = top.map(|l| l.name.clone()).unwrap_or_default();
    let top_issuer = top
        .and_then(|l| l.cert.as_ref())
        .map(|c| c.issuer.clone())
        .unwrap_or_default();
    let custom = h.trust != TrustSource::Default;
    let ca_list = match h.trust {
        TrustSource::Default => "Node's CA list",
        TrustSource::CustomHost => "the customHostSettings CA data",
        TrustSource::Connector => "the connector's ca",
    };
    let url = t.shown_url();
    let error = v.verify_error();
    let (rule, text, help) = match error {
        Some(VerifyError::DepthZeroSelfSignedCert) => (
            Rule::SelfSignedCertificate,
            format!("`{url}` presents a self-signed certificate (`{top_name}`) that {ca_list} does not hold"),
            format!("if this certificate is the one you expect, {}", where_ca_goes(t)),
        ),
        Some(VerifyError::SelfSignedCertInChain) => (
            Rule::SelfSignedCertInChain,
            format!("the chain of `{url}` ends in `{top_name}`, a CA that {ca_list} does not trust"),
            format!("if `{top_name}` is your organisation's CA, {}", where_ca_goes(t)),
        ),
        Some(VerifyError::UnableToGetIssuerCert) => (
            Rule::IssuerNotTrusted,
            format!("{ca_list} holds `{top_name}` but not its issuer `{top_issuer}`, so the chain of `{url}` ends without a root"),
            format!("add the root `{top_issuer}` to the CA data as well (OpenSSL needs a self-signed root; an intermediate alone is not a trust anchor)"),
        ),
        Some(VerifyError::UnableToGetIssuerCertLocally) => (
            Rule::IssuerNotTrusted,
            format!("no CA in {ca_list} issued `{top_name}` (issuer `{top_issuer}`), the last certificate `{url}` sends"),
            if custom {
                format!("put `{top_issuer}` (and any intermediates the server does not send) in the CA data")
            } else {
                format!("`{top_issuer}` is not a public CA: {}", where_ca_goes(t))
            },
        ),
        Some(VerifyError::UnableToVerifyLeafSignature) => (
            Rule::LeafNotVerifiable,
            format!("`{url}` sends only its own certificate, and {ca_list} does not hold its issuer `{top_issuer}`"),
            format!("configure the server to send its full chain (leaf then intermediates), or add the intermediate `{top_issuer}` to the CA data"),
        ),
        Some(VerifyError::CertHasExpired) => {
            let (name, date) = dated(v, now, true);
            (
                Rule::CertificateExpired,
                format!("`{name}` in the chain of `{url}` expired on {date}"),
                "renew the certificate; both `full` and `certificate` modes check dates".to_string(),
            )
        }
        Some(VerifyError::CertNotYetValid) => {
            let (name, date) = dated(v, now, false);
            (
                Rule::CertificateNotYetValid,
                format!("`{name}` in the chain of `{url}` is valid only from {date}"),
                "check the clocks of Kibana's host and of the CA that issued it".to_string(),
            )
        }
        Some(e @ (VerifyError::CaMdTooWeak | VerifyError::EeKeyTooSmall | VerifyError::CaKeyTooSmall)) => (
            Rule::CertificateRejected,
            format!("the chain of `{url}` is refused: {} (a SHA-1/MD5 signature or an RSA key under 1024 bits, below OpenSSL's security level 1)", e.message()),
            "reissue the certificates with SHA-256 signatures and RSA 2048+ or ECDSA keys".to_string(),
        ),
        Some(e) => (
            Rule::CertificateRejected,
            format!("the chain of `{url}` is refused: {}", e.message()),
            "reissue the certificates: issuers must be CAs, and a leaf with extended key usage must allow serverAuth".to_string(),
        ),
        None => {
            let leaf = h.presented.first();
            let names = leaf.map(|c| c.subjectaltname()).unwrap_or_default();
            (
                Rule::HostnameMismatch,
                format!("the certificate of `{url}` does not name `{}`: it is for {}", t.decision.whatwg_hostname.as_deref().unwrap_or_default(), if names.is_empty() { leaf.map(|c| c.short_name()).unwrap_or_default() } else { names }),
                "use a name the certificate covers in the URL, reissue it with this name in its subjectAltName, or set the connector's verificationMode: certificate (8.10+) to check the chain only".to_string(),
            )
        }
    };
    out.push(live_finding(rule, t, text, Some(failure)).help(help));
}

/// The certificate whose date failed: the one nearest the leaf, whose error OpenSSL records last.
fn dated(v: &crate::certs::verdict::Verdict, now: i64, expired: bool) -> (String, String) {
    v.chain
        .iter()
        .filter_map(|l| l.cert.as_ref())
        .find(|c| {
            if expired {
                c.not_after < now
            } else {
                c.not_before > now
            }
        })
        .map(|c| {
            (
                c.short_name(),
                ymd(if expired { c.not_after } else { c.not_before }),
            )
        })
        .unwrap_or_default()
}

fn expert_findings(t: &Target, h: &Handshake, now: i64, warn_days: u32, out: &mut Outcome) {
    let v = &h.verdict;
    let url = t.shown_url();
    // An intermediate that only the CA data supplies.
    if h.node_error.is_none()
        && let Some(link) = v.chain.iter().find(|l| {
            l.origin == Provenance::TrustStore && l.cert.as_ref().is_some_and(|c| !c.self_signed())
        })
    {
        out.push(
            live_finding(
                Rule::ServerOmitsIntermediate,
                t,
                format!("`{url}` does not send the intermediate `{}`; the request works only because the CA data holds it", link.name),
                None,
            )
            .help("configure the server to send its full chain; clients without that CA data fail with UNABLE_TO_VERIFY_LEAF_SIGNATURE"),
        );
    }
    let chain_certs: Vec<&Cert> = v.chain.iter().filter_map(|l| l.cert.as_ref()).collect();
    for c in &chain_certs {
        let left = c.not_after - now;
        if left > 0 && left < i64::from(warn_days) * 86_400 {
            out.push(
                live_finding(
                    Rule::CertificateExpiresSoon,
                    t,
                    format!("`{}` in the chain of `{url}` expires on {} ({} day(s) from now)", c.short_name(), ymd(c.not_after), left / 86_400),
                    None,
                )
                .help("renew it before then; Kibana's connector fails with CERT_HAS_EXPIRED from that day"),
            );
        }
        if c.key_type == "RSA" && c.key_bits > 0 && c.key_bits < 2048 {
            out.push(
                live_finding(
                    Rule::WeakKey,
                    t,
                    format!("`{}` in the chain of `{url}` has a {}-bit RSA key", c.short_name(), c.key_bits),
                    None,
                )
                .help("reissue with RSA 2048+ or ECDSA P-256; OpenSSL at security level 2 refuses keys under 2048 bits"),
            );
        }
        let rejected_for_it = h
            .node_error
            .as_ref()
            .is_some_and(|_| h.verdict.verify_error() == Some(VerifyError::CaMdTooWeak));
        if c.sha1_signature() && !c.self_signed() && !rejected_for_it {
            out.push(
                live_finding(
                    Rule::Sha1Signature,
                    t,
                    format!("`{}` in the chain of `{url}` is signed with SHA-1 ({})", c.short_name(), c.signature_algorithm),
                    None,
                )
                .help("reissue with a SHA-256 signature; SHA-1 certificate signatures are refused at OpenSSL security level 1 and above in current releases"),
            );
        }
    }
    if let Some(leaf) = h.presented.first()
        && leaf.dns_names.is_empty()
        && !leaf.common_names.is_empty()
        && h.hostname_mismatch.is_none()
        && t.decision
            .whatwg_hostname
            .as_deref()
            .is_some_and(|host| host.parse::<std::net::IpAddr>().is_err() && !host.starts_with('['))
    {
        out.push(
            live_finding(
                Rule::NameOnlyInCommonName,
                t,
                format!("the certificate of `{url}` names its host only in the subject CN, not in a subjectAltName"),
                None,
            )
            .help("reissue it with the name in subjectAltName; Node still falls back to the CN, but browsers, Go and Java clients do not"),
        );
    }
}

#[cfg(test)]
mod tests {}
