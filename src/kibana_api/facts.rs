//! What the running Kibana says about the prerequisites (kibana-api.md §1, §7): its version
//! (`/api/status`), whether `.webhook` is enabled in config and licence
//! (`/api/actions/connector_types`, `/api/licensing/info`), whether it has a permanent
//! encryption key (`/api/alerting/_health`), and whether the space exists.

use serde::Serialize;

use super::client::{Answer, Client, Unreachable};

/// One API call's result: the answer, or why there is none.
pub(crate) type Call = Result<Answer, Unreachable>;

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Facts {
    /// `KIBANA_URL`, as given (no credentials in it).
    pub(crate) url: String,
    pub(crate) space: Option<String>,
    pub(crate) auth: &'static str,
    pub(crate) insecure: bool,
    pub(crate) status: Call,
    /// `None` when an earlier call already showed the API cannot be used.
    pub(crate) space_check: Option<Call>,
    pub(crate) connector_types: Option<Call>,
    pub(crate) license: Option<Call>,
    pub(crate) health: Option<Call>,
}

impl Facts {
    /// `version.number` from `/api/status` (absent when the answer is redacted).
    pub(crate) fn version(&self) -> Option<String> {
        let a = self.status.as_ref().ok()?;
        a.json
            .as_ref()?
            .pointer("/version/number")?
            .as_str()
            .map(|s| s.trim_end_matches("-SNAPSHOT").to_string())
    }

    /// The API answered like Kibana: later calls are worth making.
    pub(crate) fn api_usable(&self) -> bool {
        self.status
            .as_ref()
            .is_ok_and(|a| a.json.is_some() && matches!(a.status, 200 | 503))
    }

    /// The `.webhook` entry of `connector_types`.
    pub(crate) fn webhook_type(&self) -> Option<&serde_json::Value> {
        let a = self.connector_types.as_ref()?.as_ref().ok()?;
        a.json
            .as_ref()?
            .as_array()?
            .iter()
            .find(|t| t.get("id").and_then(|i| i.as_str()) == Some(".webhook"))
    }

    /// `license` from `/api/licensing/info`.
    pub(crate) fn license(&self) -> Option<&serde_json::Value> {
        let a = self.license.as_ref()?.as_ref().ok()?;
        a.json.as_ref()?.get("license")
    }

    /// `/api/alerting/_health`'s body.
    pub(crate) fn health(&self) -> Option<&serde_json::Value> {
        let a = self.health.as_ref()?.as_ref().ok().filter(|a| a.ok())?;
        a.json.as_ref()
    }
}

/// Asks Kibana; stops early when the API cannot be reached or used.
pub(crate) async fn gather(client: &Client) -> Facts {
    let status = client.get("/api/status", false).await;
    let mut facts = Facts {
        url: client.conn.base.clone(),
        space: client.conn.space.clone(),
        auth: client.conn.auth.describe(),
        insecure: client.conn.insecure,
        status,
        space_check: None,
        connector_types: None,
        license: None,
        health: None,
    };
    if !facts.api_usable() {
        return facts;
    }
    if let Some(space) = client.conn.space.clone().filter(|s| s != "default") {
        facts.space_check = Some(
            client
                .get(&format!("/api/spaces/space/{space}"), false)
                .await,
        );
    }
    let (types, license, health) = tokio::join!(
        client.get("/api/actions/connector_types", true),
        client.get("/api/licensing/info", false),
        client.get("/api/alerting/_health", true),
    );
    facts.connector_types = Some(types);
    facts.license = Some(license);
    facts.health = Some(health);
    facts
}
