//! Fuzz target: see [`lanterna_fuzz::enroll`] for what it checks. The server's code check
//! is its own file, included as is: the server crate (SQLite, PostgreSQL, OpenSSL) is too
//! heavy to build for fuzzing.

#![no_main]

#[allow(dead_code)]
#[path = "../../platforms/server/src/secret.rs"]
mod secret;

libfuzzer_sys::fuzz_target!(|data: &[u8]| lanterna_fuzz::enroll(data, secret::is_code, secret::hash));
