//! Module `proxy-tunnel` (`check` only): does the proxy let the request through? For an https:
//! target Kibana's HttpsProxyAgent sends `CONNECT host:port` (with the proxy URL's credentials
//! and `proxyHeaders`); for an http: target HttpProxyAgent sends the request in absolute form.
//! The proxy's own refusal reaches Kibana as an HTTP response: `error calling webhook, invalid
//! response` with `[407] Proxy Authentication Required`.

use super::{Check, Context, Outcome, live_finding, probed};
use crate::probe::{Failure, NodeError, Step};
use crate::rules::{Module, Rule};

pub(crate) struct ProxyTunnel;

impl Check for ProxyTunnel {
    fn module(&self) -> Module {
        Module::ProxyTunnel
    }

    fn run(&self, cx: &Context, out: &mut Outcome) {
        let mut lines = Vec::new();
        let has_credentials = cx
            .settings
            .proxy_url
            .as_ref()
            .and_then(|p| crate::kibana::url::userinfo_in(&p.value).map(|u| !u.is_empty()))
            .unwrap_or(false);
        let has_auth_header = cx
            .settings
            .proxy_headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("proxy-authorization"));
        for (t, o) in probed(cx) {
            let Some(step) = &o.proxy else { continue };
            match step {
                Step::Ok(tunnel) => lines.push(format!(
                    "{} → {} {}",
                    tunnel.request, tunnel.http_status, tunnel.reason
                )),
                Step::Failed {
                    failure:
                        failure @ Failure {
                            node_error: NodeError::ProxyStatus(status),
                            ..
                        },
                    ..
                } => {
                    let (rule, message, help) = if *status == 407 {
                        (
                            Rule::ProxyAuthRequired,
                            format!(
                                "the proxy asks for credentials (407) for `{}`",
                                t.shown_url()
                            ),
                            if has_credentials || has_auth_header {
                                "the proxy rejects the credentials Kibana sends: check the user and password in xpack.actions.proxyUrl (URL-encoded) or the Proxy-Authorization value in xpack.actions.proxyHeaders".to_string()
                            } else {
                                "give credentials: `http://user:password@proxy:3128` in xpack.actions.proxyUrl (keep it in the keystore), or `Proxy-Authorization: Basic …` in xpack.actions.proxyHeaders".to_string()
                            },
                        )
                    } else {
                        (
                            Rule::ProxyRefused,
                            format!("the proxy refuses the request for `{}`: {}", t.shown_url(), failure.message),
                            "ask the proxy's owners to allow this host and port (CONNECT to non-443 ports is often blocked), or bypass the proxy with xpack.actions.proxyBypassHosts".to_string(),
                        )
                    };
                    let f = live_finding(rule, t, message, None)
                        .node_error(failure.node_error.code())
                        .kibana(format!(
                            "error calling webhook, invalid response: {}",
                            failure.message
                        ))
                        .help(help);
                    out.push(f);
                }
                Step::Failed { failure, .. } => {
                    let f = live_finding(
                        Rule::ProxyRefused,
                        t,
                        format!("the proxy did not open the way to `{}`: {}", t.shown_url(), failure.message),
                        Some(failure),
                    )
                    .help("check that xpack.actions.proxyUrl points at a forward proxy that supports CONNECT, with the right scheme (http: or https:)");
                    out.push(f);
                }
                Step::Skipped { .. } => {}
            }
        }
        if !lines.is_empty() {
            out.summary(lines.join("; "));
        } else if cx.settings.proxy_url.is_none() {
            out.summary("no proxy in use");
        }
    }
}
