//! A connector's recent failed executions, from the running Kibana, for `diagnose
//! --connector-id` (docs/research/execution-log-api.md has the sources). Neither API is
//! public; both are what Kibana's own UI calls:
//! - 8.7 and later: `POST /internal/actions/_global_connector_execution_logs` (the actions
//!   plugin's `get_global_execution_logs.ts`), whose entries carry `message` as `<message> -
//!   <error.message>` for failures, `connector_id` from 8.8/9.x, `connector_name` always.
//! - before: the event log's `GET /internal/event_log/action/<id>/_find` (8.x) or
//!   `/api/event_log/action/<id>/_find` (7.x), whose documents carry `message` (`action
//!   execution failure: .webhook:<id>: <name>`) and `error.message`.
//!
//! The first answers 404 where it does not exist, so the event log is tried next.

use std::time::{Duration, SystemTime};

use reqwest::Method;

use super::client::{Answer, Client};
use super::connectors::segment;

/// How far back to look.
pub(crate) const DAYS: u64 = 30;
/// Entries asked for per call (the execution log's `per_page` allows 100).
const PAGE: usize = 100;
/// Pages of the execution log read at most: it lists every connector's failures, newest first,
/// so a busy Kibana's other connectors can fill the first pages.
const MAX_PAGES: usize = 5;

/// The connector as Kibana has it.
#[derive(Clone, Debug)]
pub(crate) struct ConnectorSeen {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) type_id: String,
    /// `config.url` (webhook-like connectors), to confirm with `check`.
    pub(crate) url: Option<String>,
}

/// One failed execution: when, and the error text Kibana recorded.
#[derive(Clone, Debug)]
pub(crate) struct Execution {
    pub(crate) timestamp: String,
    pub(crate) text: String,
    /// The Kibana version that ran it (the execution log's `version`, the event log's
    /// `kibana.version`), when recorded.
    pub(crate) version: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct Failed {
    pub(crate) connector: ConnectorSeen,
    /// Newest first, at most the limit asked for.
    pub(crate) executions: Vec<Execution>,
    /// The API path that answered.
    pub(crate) api: String,
}

/// The connector `id` and its failed executions of the last [`DAYS`] days, newest first.
pub(crate) async fn failed(client: &Client, id: &str, limit: usize) -> Result<Failed, String> {
    let connector = connector(client, id).await?;
    let since = iso_utc(SystemTime::now() - Duration::from_secs(DAYS * 86_400));
    let global = "/internal/actions/_global_connector_execution_logs";
    let mut executions = Vec::new();
    for page in 1..=MAX_PAGES {
        let body = serde_json::json!({
            "date_start": since,
            "filter": "event.outcome: failure",
            "per_page": PAGE,
            "page": page,
            "sort": [{"timestamp": {"order": "desc"}}],
        });
        let answer = client
            .internal(Method::POST, global, Some(&body))
            .await
            .map_err(|u| format!("{global}: {}", u.message))?;
        if answer.status == 404 && page == 1 {
            break;
        }
        let json = expect_json(answer, global)?;
        executions.extend(from_execution_log(
            &json,
            &connector,
            limit - executions.len(),
        ));
        let total = json.get("total").and_then(|t| t.as_u64()).unwrap_or(0) as usize;
        if executions.len() >= limit || page * PAGE >= total {
            return Ok(Failed {
                connector,
                executions,
                api: global.to_string(),
            });
        }
        if page == MAX_PAGES {
            return Ok(Failed {
                connector,
                executions,
                api: format!(
                    "{global} (the newest {} failures of all connectors)",
                    MAX_PAGES * PAGE
                ),
            });
        }
    }
    // Before 8.7: the event log, under /internal (8.x) or /api (7.x).
    let query = format!(
        "?per_page={PAGE}&start={}&filter={}",
        percent_encoding::utf8_percent_encode(&since, percent_encoding::NON_ALPHANUMERIC),
        percent_encoding::utf8_percent_encode(
            "event.action:execute and event.outcome:failure",
            percent_encoding::NON_ALPHANUMERIC
        ),
    );
    for base in ["/internal/event_log", "/api/event_log"] {
        let path = format!("{base}/action/{}/_find", segment(id));
        let answer = client
            .internal(Method::GET, &format!("{path}{query}"), None)
            .await
            .map_err(|u| format!("{path}: {}", u.message))?;
        if answer.status == 404 {
            continue;
        }
        let first = expect_json(answer, &path)?;
        // Oldest first (the route's default order, the one every version accepts): the newest
        // are on the last page, and on the one before when the last holds fewer than `limit`.
        let total = first.get("total").and_then(|t| t.as_u64()).unwrap_or(0) as usize;
        let last = total.div_ceil(PAGE).max(1);
        let mut pages = Vec::new();
        for page in (1..=last).rev().take(2) {
            let json = if page == 1 {
                first.clone()
            } else {
                let answer = client
                    .internal(Method::GET, &format!("{path}{query}&page={page}"), None)
                    .await
                    .map_err(|u| format!("{path}: {}", u.message))?;
                expect_json(answer, &path)?
            };
            let enough = from_event_log(&json, limit).len() >= limit;
            pages.push(json);
            if enough {
                break;
            }
        }
        // Newest first across the pages read (the last page first).
        let mut executions = Vec::new();
        for json in &pages {
            executions.extend(from_event_log(json, limit - executions.len()));
        }
        return Ok(Failed {
            executions,
            connector,
            api: path,
        });
    }
    Err(format!(
        "this Kibana answers 404 to {global} (8.7+) and to the event log's _find (7.x-8.x): it offers no execution log this tool can read"
    ))
}

/// `GET /api/actions/connector/<id>` (`/api/actions/action/<id>` before 7.13).
async fn connector(client: &Client, id: &str) -> Result<ConnectorSeen, String> {
    let mut answer = None;
    for path in [
        format!("/api/actions/connector/{}", segment(id)),
        format!("/api/actions/action/{}", segment(id)),
    ] {
        let a = client
            .get(&path, true)
            .await
            .map_err(|u| format!("{}: {}", u.url, u.message))?;
        // A 404 with Kibana's saved-object message is the answer; a bare one is an older route.
        let route_missing = a.status == 404
            && !a
                .message()
                .is_some_and(|m| m.contains("not found") && m.contains("action/"));
        answer = Some(a);
        if !route_missing {
            break;
        }
    }
    let answer = answer.expect("one path was tried");
    let json = expect_json(answer, "the connector")?;
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| json.get(*n).and_then(|v| v.as_str()))
            .map(str::to_string)
    };
    Ok(ConnectorSeen {
        id: id.to_string(),
        name: field(&["name"]).unwrap_or_default(),
        type_id: field(&["connector_type_id", "actionTypeId"]).unwrap_or_default(),
        url: json
            .pointer("/config/url")
            .and_then(|u| u.as_str())
            .map(str::to_string),
    })
}

fn expect_json(answer: Answer, what: &str) -> Result<serde_json::Value, String> {
    if !answer.ok() {
        return Err(format!(
            "{} {what}: Kibana answered {}",
            answer.method,
            answer.describe()
        ));
    }
    answer
        .json
        .ok_or_else(|| format!("{what}: the answer is not JSON (a proxy's or login page?)"))
}

/// The execution log's entries of this connector. Entries name it by `connector_id` (8.8+), or
/// only by `connector_name` (8.7).
fn from_execution_log(
    json: &serde_json::Value,
    connector: &ConnectorSeen,
    limit: usize,
) -> Vec<Execution> {
    let str_of =
        |e: &serde_json::Value, k: &str| e.get(k).and_then(|v| v.as_str()).map(str::to_string);
    json.get("data")
        .and_then(|d| d.as_array())
        .into_iter()
        .flatten()
        .filter(|e| match str_of(e, "connector_id") {
            Some(cid) => cid == connector.id,
            None => str_of(e, "connector_name").as_deref() == Some(connector.name.as_str()),
        })
        .filter(|e| str_of(e, "status").is_none_or(|s| s == "failure"))
        .filter_map(|e| {
            Some(Execution {
                timestamp: str_of(e, "timestamp").unwrap_or_default(),
                text: str_of(e, "message")?,
                version: str_of(e, "version"),
            })
        })
        .take(limit)
        .collect()
}

/// The event log's failed `execute` documents, newest first.
fn from_event_log(json: &serde_json::Value, limit: usize) -> Vec<Execution> {
    let mut out: Vec<Execution> = json
        .get("data")
        .and_then(|d| d.as_array())
        .into_iter()
        .flatten()
        .filter(|e| e.pointer("/event/outcome").and_then(|o| o.as_str()) == Some("failure"))
        .filter_map(|e| {
            let message = e.get("message").and_then(|m| m.as_str()).unwrap_or("");
            let error = e.pointer("/error/message").and_then(|m| m.as_str());
            let text = match error {
                Some(err) if !message.is_empty() => format!("{message}: {err}"),
                Some(err) => err.to_string(),
                None if !message.is_empty() => message.to_string(),
                None => return None,
            };
            Some(Execution {
                timestamp: e
                    .get("@timestamp")
                    .and_then(|t| t.as_str())
                    .unwrap_or_default()
                    .to_string(),
                text,
                version: e
                    .pointer("/kibana/version")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
            })
        })
        .collect();
    out.reverse();
    out.truncate(limit);
    out
}

/// `t` as an RFC 3339 UTC timestamp (`2026-11-30T18:00:00Z`), as Kibana's date parameters take
/// it.
fn iso_utc(t: SystemTime) -> String {
    time::OffsetDateTime::from(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn timestamps_are_iso_utc() {
        assert_eq!(iso_utc(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_795_996_800 + 3_723);
        assert_eq!(iso_utc(t), "2026-11-30T01:02:03Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(iso_utc(leap), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn the_execution_log_keeps_this_connectors_failures() {
        let c = ConnectorSeen {
            id: "hook".into(),
            name: "Ops hook".into(),
            type_id: ".webhook".into(),
            url: None,
        };
        let log = serde_json::json!({"total": 3, "data": [
            {"timestamp": "t3", "status": "failure", "connector_id": "hook", "message": "action execution failure: .webhook:hook: Ops hook - error calling webhook, retry later"},
            {"timestamp": "t2", "status": "failure", "connector_id": "other", "message": "x"},
            {"timestamp": "t1", "status": "failure", "connector_name": "Ops hook", "message": "y"}
        ]});
        let got = from_execution_log(&log, &c, 10);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].timestamp, "t3");
        assert_eq!(got[1].text, "y");
        assert_eq!(from_execution_log(&log, &c, 1).len(), 1);
    }

    #[test]
    fn the_event_log_gives_message_and_error_newest_first() {
        let log = serde_json::json!({"total": 2, "data": [
            {"@timestamp": "t1", "event": {"outcome": "failure"}, "message": "action execution failure: .email:m: mail", "error": {"message": "error sending email: Greeting never received"}},
            {"@timestamp": "t2", "event": {"outcome": "success"}, "message": "action executed: .email:m: mail"},
            {"@timestamp": "t3", "event": {"outcome": "failure"}, "error": {"message": "unknown error running action"}}
        ]});
        let got = from_event_log(&log, 10);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].timestamp, "t3");
        assert_eq!(
            got[1].text,
            "action execution failure: .email:m: mail: error sending email: Greeting never received"
        );
    }
}
