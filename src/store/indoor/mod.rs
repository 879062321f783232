//! Indoor sessions, ads, calls and messages, meetings and massage centres: every change
//! is one durable transaction. An ad's phone number is normalised and hashed (HMAC with
//! the unit's secret, then Argon2id) in memory; only the 32-byte hash is written.
//!
//! One module per concern: [`sessions`] (their life and counts), [`ads`] (ads, numbers,
//! calls and messages), [`meetings`] (persons met, massage centres), [`stats`] (tallies
//! and figures for reports) and [`import`] (historical logs).

mod ads;
mod campaigns;
mod import;
mod meetings;
mod sessions;
mod stats;

pub(crate) use ads::harden_number_hashes;
#[doc(hidden)]
pub use ads::number_hash_of;
pub use ads::{NUMBER_ARGON2_MEMORY_KIB, NUMBER_ARGON2_PASSES};
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
