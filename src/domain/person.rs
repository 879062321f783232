//! The register of persons a unit meets: who a contact was, kept only on the phone
//! (encrypted, never synced, never printed). Reports count persons from it, never list them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AgeBand, Gender, Nationality, Protection};

/// One person of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Local id (never leaves the phone).
    pub id: i64,
    /// The worker's short name or code, if given.
    pub name: Option<String>,
    /// M, F or T.
    pub gender: Gender,
    /// Nationality.
    pub nationality: Nationality,
    /// Age band, when estimated.
    pub age_band: Option<AgeBand>,
    /// Asylum seeker or holder of protection.
    pub protection: Protection,
    /// Day of the first contact recorded.
    pub first_met: Option<NaiveDate>,
    /// Day of the last contact recorded.
    pub last_met: Option<NaiveDate>,
    /// Contacts recorded.
    pub times: u32,
}

/// What the worker edits of a person: who they are, not when they were met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDetails {
    /// Short name or code (at most [`PERSON_NAME_MAX`](super::rules::PERSON_NAME_MAX) characters).
    pub name: Option<String>,
    /// M, F or T.
    pub gender: Gender,
    /// Nationality.
    pub nationality: Nationality,
    /// Age band.
    pub age_band: Option<AgeBand>,
    /// Protection.
    pub protection: Protection,
}

impl Person {
    /// What can be edited.
    pub fn details(&self) -> PersonDetails {
        PersonDetails {
            name: self.name.clone(),
            gender: self.gender,
            nationality: self.nationality,
            age_band: self.age_band,
            protection: self.protection,
        }
    }
}
