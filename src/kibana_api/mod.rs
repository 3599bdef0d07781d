//! The Kibana client: the running Kibana's view of the prerequisites (facts.rs), and creating
//! and testing the connector (deploy.rs), over one HTTP client (client.rs). Used by `check`
//! when `KIBANA_URL` is given; nothing else talks to Kibana.

pub(crate) mod client;
pub(crate) mod connectors;
pub(crate) mod facts;
