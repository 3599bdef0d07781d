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

pub(crate) use body::{validate_body, validate_empty_strings};
pub(crate) use config::{Switches, validate_config};
pub(crate) use ids::id_problem;
pub(crate) use problem::{Problem, ProblemKind};
pub(crate) use secrets::{sensitive_header, validate_secrets};
pub(crate) use texts::{custom_error, node_invalid_url};
