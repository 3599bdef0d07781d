//! Kibana's behaviour as pure functions over the settings model: the versioned schema, hostname
//! and URL rules. Nothing here reads files or opens sockets.

pub(crate) mod custom_hosts;
pub(crate) mod failures;
pub(crate) mod hostname;
pub(crate) mod legacy_url;
#[cfg(test)]
mod node_cross_check;
pub(crate) mod roots;
pub(crate) mod schema;
pub(crate) mod settings;
pub(crate) mod target;
pub(crate) mod third_party;
pub(crate) mod tls_decision;
pub(crate) mod url;
pub(crate) mod webhook;
#[cfg(test)]
mod yaml_cross_check;
pub(crate) mod yaml_parsers;
pub(crate) mod yaml_words;
