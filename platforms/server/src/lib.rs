//! lanterna-server: the sync endpoint and the coordinators' console. Devices enroll with a
//! one-time code and send the aggregated, anonymous summaries of their closed outings and
//! sessions; coordinators review them, close periods and deliver the report tables of
//! their scope (published tables with small cells hidden).
#![warn(missing_docs)]

pub mod charts;
pub mod config;
pub mod console;
pub mod error;
pub mod http;
pub mod map;
pub mod report;
pub mod secret;
pub mod store;
pub mod xlsx;

pub use lanterna::domain;
