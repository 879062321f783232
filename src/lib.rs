//! Lanterna: outreach records for anti-trafficking street and indoor units.
//!
//! `domain` is pure and always compiled; everything that touches the disk, the network
//! or a screen sits behind the `app` feature.

#![warn(missing_docs)]

#[cfg(feature = "app")]
pub mod app;
#[cfg(feature = "app")]
pub mod cli;
pub mod domain;
#[cfg(feature = "import")]
pub mod import;
pub mod locate;
pub mod report;
#[cfg(feature = "app")]
pub mod store;
#[cfg(feature = "app")]
pub mod sync;
#[cfg(feature = "ui")]
pub mod ui;
pub mod wire;
