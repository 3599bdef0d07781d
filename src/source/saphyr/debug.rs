//! Debugging helpers.
//!
//! PATCH (kibana-preflight): upstream's `debug_prints` feature (eprintln! when `SAPHYR_DEBUG` is
//! set) is left out; the tool has no such feature and must not print from its parser.

/// Evaluates to nothing.
macro_rules! debug_print {
    ($($arg:tt)*) => {{}};
}
