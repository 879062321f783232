//! Lanterna: outreach records for anti-trafficking street and indoor units.
//!
//! `domain` is pure and always compiled; everything that touches the disk, the network
//! or a screen sits behind the `app` feature.

pub mod domain;
pub mod report;
