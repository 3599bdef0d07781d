//! kibana-preflight: tells you, before you deploy, whether a Kibana Webhook connector will work,
//! and why not.
//!
//! The library's surface is small: [`lint`] a kibana.yml (or a stack of them) the way Kibana
//! reads it, [`check`] it on the network the way Kibana's Node.js process would, [`diagnose`] a
//! failed connector's error text; each gives a [`Report`] of [`Finding`]s, each finding a
//! [`Rule`] of the registry. Everything else is internal.
//!
//! Inside, data flows one way (docs/architecture.md has the layer table a test enforces):
//! `source` (files, environment, keystore) → `model` (the merged settings with origins) →
//! `kibana` (Kibana's rules as pure functions) → `checks` (one module per prerequisite) →
//! `report` (findings, redaction, rendering). `offline` and `live` are the two pipelines.

// The vendored YAML parser (source/saphyr) is no_std code that names `alloc::` paths.
extern crate alloc;

mod certs;
mod checks;
mod diagnose;
mod kibana;
mod kibana_api;
mod live;
mod model;
mod offline;
mod policy;
mod probe;
mod report;
pub mod rules;
mod source;
mod suggest;
mod untrusted;
mod version;

/// The command line. Not a stable API: the `kibana-preflight` binary calls [`cli::main`].
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;

pub use diagnose::{DiagnoseOptions, diagnose};
pub use live::{CheckOptions, check};
pub use offline::{InputError, LintOptions, lint};
pub use report::Report;
pub use report::finding::{Finding, ModuleReport, Status};
pub use rules::{Module, Rule, Severity};
pub use version::Version;
