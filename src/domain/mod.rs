//! The pure rules of the field: codes, places, outings and contacts, tallies and the
//! report tables. No I/O and no storage here: the sync server depends on this module
//! alone (the crate with default features off).

pub(crate) mod codes;
pub mod emersion;
pub mod indoor;
mod nationality;
mod outing;
pub mod outreach;
mod person;
pub mod rules;
pub mod settings;
pub mod suppress;
pub mod tables;
mod tally;
mod territory;
pub mod text;

pub use codes::{
    Activity, AgeBand, Channel, Count, EventKind, Gender, IndoorKind, ItemKind, Lang, Language, Outcome, OutingStatus,
    Protection, RowOrder, ServiceKind, ServiceSet, ServiceSubtype, Shift,
};
pub use nationality::{Nationality, UnknownWording};
pub use outing::{
    Contact, ContactData, ContactRecord, EventKey, ItemKey, Items, Kit, Outing, Period, Place, Services, ShiftBoundary,
    Stop, Unit, parse_date, parse_event_count, parse_time,
};
pub use person::{Person, PersonDetails};
pub use tally::{Bucket, CellKey, Measure, PERSON_MEASURES, Tally};
pub use territory::{Comune, ComuneInfo, Province, ProvinceInfo};

/// A value that breaks the rules of the field, said in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A code outside its list.
    #[error("unknown {what} '{value}' (expected {expected})")]
    Unknown {
        /// What kind of code.
        what: &'static str,
        /// The value given.
        value: String,
        /// What is allowed.
        expected: String,
    },
    /// A value of the right kind that does not make sense.
    #[error("invalid {what}: {why}")]
    Invalid {
        /// What kind of value.
        what: &'static str,
        /// Why it is wrong.
        why: String,
    },
    /// A value outside a field rule (one of `rules`' limits).
    #[error(transparent)]
    Rule(#[from] rules::Violation),
}

impl DomainError {
    pub(crate) fn unknown(what: &'static str, value: &str, expected: &str) -> Self {
        DomainError::Unknown { what, value: value.to_owned(), expected: expected.to_owned() }
    }

    pub(crate) fn invalid(what: &'static str, why: impl Into<String>) -> Self {
        DomainError::Invalid { what, why: why.into() }
    }
}
