#![no_main]
//! See `slots::docker_env`.
#[allow(dead_code)] // Each target uses one slot.
mod slots;
libfuzzer_sys::fuzz_target!(|data: &[u8]| slots::docker_env(data));
