//! The server's integration tests, one binary: the store suite on every backend, bad
//! input, phone-to-server sync end to end, the app's own sync screens, the console over
//! HTTP and in a real browser, faults between phone and server, persons per reporting
//! period, and shutdown.

mod app_sync;
mod bad_input;
mod common;
mod console;
mod console_e2e;
mod emersion_sync;
mod faults;
mod fuzz_regressions;
mod hardening;
mod labour_mapping;
#[path = "../../../../tests/it/common/minidom.rs"]
mod minidom;
mod persons;
mod refusals;
mod sessions_sync;
mod shutdown;
mod store_suite;
mod sync_e2e;
mod total_sync;
mod xlsx;
