//! Kibana's config-schema validation of the settings we model, driven by the versioned table in
//! `rules/data/settings/`.
//!
//! Mirrors `@kbn/config-schema`: the same coercions (`"true"` → boolean, `"5"` → number, a JSON
//! string → array/object), the same messages (`expected value of type [array] but got [null]`,
//! `definition for this key is missing`, …) prefixed the way core prints them
//! (`[config validation of [xpack.actions].allowedHosts.0]: …`), and the deprecation handlers of
//! the versions that had them (renaming `whitelistedHosts`, unsetting `rejectUnauthorized`).

mod deprecations;
mod formats;
mod issues;
mod json_schema;
mod no_schema;
mod one_of;
mod scalars;
mod spec;
mod table;
#[cfg(test)]
mod tests;
mod union;
mod unknown;
mod untagged;
mod validate;
mod validators;
mod values;

pub(crate) use formats::help as format_help;
pub(crate) use formats::of_message as format_of_message;
pub(crate) use issues::{DeprecationEffect, IssueKind, SchemaIssue, Validated};
pub(crate) use json_schema::json_schema;
pub(crate) use spec::{Availability, Spec, Type};
pub(crate) use table::{config_root, schema};
pub(crate) use validate::validate;
pub(crate) use validators::{ui_setting_fix, ui_setting_schema};
pub(crate) use values::duration_ms;
