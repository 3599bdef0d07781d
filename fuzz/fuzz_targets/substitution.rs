#![no_main]
//! See `slots::substitution`.
#[allow(dead_code)] // Each target uses one slot.
mod slots;
libfuzzer_sys::fuzz_target!(|data: &[u8]| slots::substitution(data));
