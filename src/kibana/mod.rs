//! Kibana's behaviour as pure functions over the settings model: the versioned schema, hostname
//! and URL rules. Nothing here reads files or opens sockets.

pub mod custom_hosts;
pub mod failures;
pub mod hostname;
pub mod legacy_url;
pub mod schema;
pub mod settings;
pub mod target;
pub mod url;
pub mod webhook;
