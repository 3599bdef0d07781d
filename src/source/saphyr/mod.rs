// Copyright 2015, Yuheng Chen.
// Copyright 2023, Ethiraric.
// See the LICENSE file at the top-level directory of this distribution.

//! YAML 1.2 parser implementation in pure Rust: saphyr-parser 0.3.4
//! (<https://github.com/saphyr-rs/saphyr>, MIT OR Apache-2.0, see LICENSE), with the patches
//! listed in PATCHES.md. It fetches a stream of YAML events from a string; `source/yaml.rs`
//! builds the located tree from them.

// Vendored inside the crate (not through `[patch.crates-io]`) so that `cargo package` and
// `cargo install kibana-preflight` build the patched parser: a [patch] does not travel with a
// package. See PATCHES.md for the changes; the code is upstream's, so upstream's lints and
// formatting are kept rather than ours.
#![allow(missing_docs, dead_code, unused_imports, unreachable_pub, clippy::all, clippy::pedantic)]

mod char_traits;
#[macro_use]
mod debug;
pub mod input;
mod parser;
mod scanner;

pub use crate::source::saphyr::input::{BufferedInput, Input, str::StrInput};
pub use crate::source::saphyr::parser::{Event, EventReceiver, Parser, SpannedEventReceiver, Tag};
pub use crate::source::saphyr::scanner::{Marker, ScalarStyle, ScanError, Span};
