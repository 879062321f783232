//! lanterna-server: the sync endpoint. Devices enroll with a one-time code and send the
//! aggregated, anonymous summaries of their closed outings and sessions; coordinators
//! read the report tables across units, small cells hidden.
#![warn(missing_docs)]

pub mod charts;
pub mod config;
pub mod error;
pub mod http;
pub mod map;
pub mod report;
pub mod secret;
pub mod store;

pub use lanterna::domain;
