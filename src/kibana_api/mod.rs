//! The Kibana client: the running Kibana's view of the prerequisites (facts.rs), creating and
//! testing the connector (connectors.rs), and a connector's failed executions for `diagnose
//! --connector-id` (executions.rs), over one HTTP client (client.rs). Used by `check` and
//! `diagnose` when `KIBANA_URL` is given; nothing else talks to Kibana.

pub(crate) mod client;
pub(crate) mod connectors;
pub(crate) mod executions;
pub(crate) mod facts;
