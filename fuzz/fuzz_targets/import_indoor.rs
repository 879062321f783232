//! Fuzz target: see [`lanterna_fuzz::import_indoor`] for what it checks.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lanterna_fuzz::import_indoor(data));
