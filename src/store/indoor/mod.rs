//! Indoor sessions, ads, calls and messages, meetings and massage centres: every change
//! is one durable transaction. An ad's phone number is normalised and HMAC'd with the
//! unit's secret in memory; only the 32-byte hash is written.
//!
//! One module per concern: [`sessions`] (their life and counts), [`ads`] (ads, numbers,
//! calls and messages), [`meetings`] (persons met, massage centres), [`stats`] (tallies
//! and figures for reports) and [`import`] (historical logs).

mod ads;
mod import;
mod meetings;
mod sessions;
mod stats;

pub use import::IndoorImportOutcome;
pub use sessions::{IndoorOverview, NewIndoorSession, SessionCounts};

use crate::domain::{Gender, Nationality, Province};

/// What every indoor count is about: the province, gender and nationality each row of
/// ads, attempts, meetings and massage contacts carries.
#[derive(Debug, Clone, Copy)]
struct Who {
    province: Province,
    gender: Gender,
    nationality: Nationality,
}
