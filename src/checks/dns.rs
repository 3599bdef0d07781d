//! Module `dns` (`check` only): does the name Kibana looks up resolve? For a proxied target
//! Kibana resolves the proxy's host, not the target's (the proxy resolves that), so that is the
//! name checked. Node's getaddrinfo errors: `ENOTFOUND` (no such name, or no address),
//! `EAI_AGAIN` (the resolver failed or timed out).

use super::{Check, Context, Outcome, live_finding, probed};
use crate::probe::{NodeError, Step};
use crate::rules::{Module, Rule};

pub(crate) struct Dns;

impl Check for Dns {
    fn module(&self) -> Module {
        Module::Dns
    }

    fn run(&self, cx: &Context, out: &mut Outcome) {
        let mut lines = Vec::new();
        for (t, o) in probed(cx) {
            let proxied = t.decision.proxy.is_some();
            match &o.dns {
                Step::Ok(a) => {
                    let addrs: Vec<String> = a.addresses.iter().map(|x| x.to_string()).collect();
                    let via = if a.cnames.is_empty() {
                        String::new()
                    } else {
                        format!(" via {}", a.cnames.join(" → "))
                    };
                    lines.push(format!("{} → {}{via}", a.name, addrs.join(", ")));
                }
                Step::Failed { failure, .. } => {
                    let name = failure.peer.as_deref().unwrap_or_default();
                    let whose = if proxied {
                        format!("the proxy's host `{name}`")
                    } else {
                        format!("`{name}`")
                    };
                    let (rule, message, help) = if failure.node_error == NodeError::NotFound {
                        (
                            Rule::NameNotFound,
                            format!(
                                "{whose} does not resolve, so `{}` cannot be reached",
                                t.shown_url()
                            ),
                            if proxied {
                                "fix the host in xpack.actions.proxyUrl; Kibana resolves it from its own host or container".to_string()
                            } else {
                                "check the name; Kibana resolves it from its own host or container (its /etc/resolv.conf and /etc/hosts), which may not see internal zones; if only a proxy can reach it, set xpack.actions.proxyUrl".to_string()
                            },
                        )
                    } else {
                        (
                            Rule::NameLookupFailed,
                            format!("looking up {whose} failed (the resolver timed out or answered SERVFAIL), so `{}` cannot be reached", t.shown_url()),
                            "check that Kibana's host or container has a working resolver; EAI_AGAIN is temporary by nature but persistent here".to_string(),
                        )
                    };
                    let mut f = live_finding(rule, t, message, Some(failure)).help(help);
                    if proxied {
                        f = f.note("the target is proxied: Kibana connects to the proxy, which resolves the target itself");
                    }
                    out.push(f);
                }
                Step::Skipped { .. } => {}
            }
        }
        if !lines.is_empty() {
            out.summary(lines.join("; "));
        }
    }
}
