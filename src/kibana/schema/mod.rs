//! Kibana's config-schema validation of the settings we model, driven by the versioned table in
//! `rules/data/settings.toml`.
//!
//! Mirrors `@kbn/config-schema`: the same coercions (`"true"` → boolean, `"5"` → number, a JSON
//! string → array/object), the same messages (`expected value of type [array] but got [null]`,
//! `definition for this key is missing`, …) prefixed the way core prints them
//! (`[config validation of [xpack.actions].allowedHosts.0]: …`), and the deprecation handlers of
//! the versions that had them (renaming `whitelistedHosts`, unsetting `rejectUnauthorized`).

mod deprecations;
mod issues;
mod scalars;
mod spec;
mod table;
#[cfg(test)]
mod tests;
mod unknown;
mod validate;
mod values;

pub use issues::{DeprecationEffect, IssueKind, SchemaIssue, Validated};
pub use spec::{Availability, Spec, Type};
pub use table::{Schema, schema};
pub use unknown::closest;
pub use validate::validate;
pub use values::{env_names, parse_byte_size, parse_duration};
