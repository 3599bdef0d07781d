#![no_main]
//! See `slots::webhook_url`.
#[allow(dead_code)] // Each target uses one slot.
mod slots;
libfuzzer_sys::fuzz_target!(|data: &[u8]| slots::webhook_url(data));
