#![no_main]
//! See `slots::kibana_yml`.
#[allow(dead_code)] // Each target uses one slot.
mod slots;
libfuzzer_sys::fuzz_target!(|data: &[u8]| slots::kibana_yml(data));
