//! Module `tcp` (`check` only): does a TCP connection to the endpoint (or its proxy) open?
//! Errors as libuv names them: `ECONNREFUSED` (nothing listens), `ETIMEDOUT` (packets dropped),
//! `EHOSTUNREACH` / `ENETUNREACH` (no route).

use super::{Check, Context, Outcome, live_finding, probed};
use crate::probe::{NodeError, Step};
use crate::rules::{Module, Rule};

pub(crate) struct Tcp;

impl Check for Tcp {
    fn module(&self) -> Module {
        Module::Tcp
    }

    fn run(&self, cx: &Context, out: &mut Outcome) {
        let mut lines = Vec::new();
        for (t, o) in probed(cx) {
            let proxied = t.decision.proxy.is_some();
            let what = if proxied { "the proxy" } else { "the endpoint" };
            match &o.tcp {
                Step::Ok(c) => lines.push(format!("{} in {} ms", c.address, c.millis)),
                Step::Failed { failure, .. } => {
                    let address = failure.peer.as_deref().unwrap_or_default();
                    let (rule, message, help) = match failure.node_error {
                        NodeError::ConnRefused => (
                            Rule::ConnectionRefused,
                            format!("{what} at {address} refuses connections: nothing listens there"),
                            "check the port; a URL pointing at localhost or 127.0.0.1 means Kibana's own host or container, not the machine you tested from".to_string(),
                        ),
                        NodeError::TimedOut => (
                            Rule::ConnectionTimedOut,
                            format!("connecting to {what} at {address} timed out: packets are dropped on the way"),
                            if proxied {
                                "open the egress path from Kibana to the proxy".to_string()
                            } else {
                                "open the egress path from Kibana to the endpoint (firewall, security group), or route through the proxy with xpack.actions.proxyUrl".to_string()
                            },
                        ),
                        _ => (
                            Rule::HostUnreachable,
                            format!("{what} at {address} cannot be reached ({})", failure.node_error),
                            "check routing from Kibana's network to the endpoint, or use the proxy".to_string(),
                        ),
                    };
                    let f = live_finding(rule, t, message, Some(failure)).help(help);

                    out.push(f);
                }
                Step::Skipped { .. } => {}
            }
        }
        if !lines.is_empty() {
            out.summary(format!("connected to {}", lines.join(", ")));
        }
    }
}
