//! Fuzz target: see [`lanterna_fuzz::batch`] for what it checks.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lanterna_fuzz::batch(data));
