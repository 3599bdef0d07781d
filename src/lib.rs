//! kibana-preflight: tells you, before you deploy, whether a Kibana Webhook connector will work,
//! and why not.
//!
//! Data flows one way: [`source`] (files, environment, keystore) → [`model`] (the merged settings
//! with origins) → [`kibana`] (Kibana's rules as pure functions) → [`checks`] (one module per
//! prerequisite) → [`report`] (findings, rendering, redaction). [`lint`] wires them together and
//! [`cli`] is the command line.

pub mod certs;
pub mod checks;
pub mod cli;
pub mod diagnose;
pub mod kibana;
pub mod kibana_api;
pub mod live;
pub mod model;
pub mod offline;
pub mod policy;
pub mod probe;
pub mod report;
pub mod rules;
pub mod source;
pub mod version;
