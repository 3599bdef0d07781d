//! The Webhook connector's own validation, version by version (kibana-api.md §2, §5): the create
//! body, the config and secrets schemas (`@kbn/config-schema` before 9.3, zod from 9.3), the
//! cross-field validator (`validations.ts`), connector ids, and the texts Kibana answers with.
//! Pure functions over located values; the `connector` check module turns problems into findings.

mod body;
mod config;
mod ids;
mod problem;
mod secrets;
#[cfg(test)]
mod tests;
mod texts;

pub use body::{validate_body, validate_empty_strings};
pub use config::{Switches, validate_config};
pub use ids::id_problem;
pub use problem::{Problem, ProblemKind};
pub use secrets::{sensitive_header, validate_secrets};
pub use texts::{config_prefix, custom_error, methods, node_invalid_url};
