//! The application layer: Lanterna's use cases as one API over the encrypted store.
//!
//! The command line, the screens and the sync server's tests call this and nothing below
//! it: none of them composes store calls. [`Vault`] holds the database file and its lock
//! (unlock with the PIN back-off, lock, the open [`Lanterna`]); [`Lanterna`] is one open
//! database with every use case: outings and their contacts, indoor sessions, settings,
//! imports, reports, the pending sync payload. Every write is one durable transaction
//! and returns what it changed ([`Done`]), so screens refresh from that.

mod emersion;
mod error;
mod feedback;
mod import;
mod indoor;
mod labour;
pub mod messages;
mod outings;
mod persons;
mod reports;
mod sessions;
pub mod sync;
mod team;
mod vault;

use std::path::Path;

use uuid::Uuid;

pub use self::emersion::{InterviewEntry, NewInterview, PersonCard};
pub use self::error::{Error, UnlockError};
pub use self::feedback::ReviewMark;
pub use self::import::{ImportFile, Imported};
pub use self::indoor::{AdForm, IndoorView, MassageVisit, SavedAd};
pub use self::outings::{HomeView, OutingView, SummaryView};
pub use self::persons::{KNOWN_HERE, PersonView};
pub use self::reports::{ReportKind, ReportRequest};
pub use self::sessions::SessionForm;
pub use self::sync::SyncView;
pub use self::vault::Vault;
use crate::domain::settings::Settings;
use crate::domain::{ShiftBoundary, parse_time};
use crate::store::Store;
pub use crate::store::{
    Endpoint, ImportOutcome, IndoorImportOutcome, IndoorOverview, NewIndoorSession, NewOuting, OutingNote,
    OutingOverview, SessionCounts, SyncStatus,
};

/// Results of the application layer.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A part of the records that a write can change; screens that show it load again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    /// Outings, their stops and contacts.
    Outings,
    /// Indoor sessions, ads, attempts, meetings, massage centres.
    Indoor,
    /// The unit's settings.
    Settings,
    /// The sync endpoint, status and what is pending.
    Sync,
    /// Identification interviews, outcomes, helpline reports.
    Emersion,
}

impl Area {
    /// Every area.
    pub const ALL: [Area; 5] = [Area::Outings, Area::Indoor, Area::Settings, Area::Sync, Area::Emersion];

    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// The areas one write changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changed(u8);

impl Changed {
    /// Nothing changed.
    pub const NONE: Changed = Changed(0);

    /// These areas.
    pub fn of(areas: &[Area]) -> Changed {
        Changed(areas.iter().fold(0, |b, a| b | a.bit()))
    }

    /// Whether `area` changed.
    pub fn contains(self, area: Area) -> bool {
        self.0 & area.bit() != 0
    }

    /// The changed areas.
    pub fn areas(self) -> impl Iterator<Item = Area> {
        Area::ALL.into_iter().filter(move |a| self.contains(*a))
    }
}

/// A write that is durable: its result and what it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done<T> {
    /// What the write returns.
    pub value: T,
    /// What it changed.
    pub changed: Changed,
}

impl<T> Done<T> {
    fn new(value: T, areas: &[Area]) -> Done<T> {
        Done { value, changed: Changed::of(areas) }
    }
}

/// One open database and every use case over it.
#[derive(Debug)]
pub struct Lanterna {
    store: Store,
    /// The settings, read once at open and kept current by `save_settings`.
    settings: Settings,
}

impl Lanterna {
    /// Opens the database at `path` with `secret`, creating it when there is no file.
    /// No PIN rule and no back-off: the screens and the command line use
    /// [`Lanterna::unlock`].
    pub fn open(path: &Path, secret: &str) -> Result<Lanterna> {
        Lanterna::over(Store::open(path, secret)?)
    }

    /// Opens an existing database; a missing file is an error that says where.
    pub fn open_existing(path: &Path, secret: &str) -> Result<Lanterna> {
        Lanterna::over(Store::open_existing(path, secret)?)
    }

    /// A fresh database in memory (tests and benchmarks).
    pub fn open_in_memory() -> Result<Lanterna> {
        Lanterna::over(Store::open_in_memory()?)
    }

    fn over(store: Store) -> Result<Lanterna> {
        Ok(Lanterna { settings: store.settings()?, store })
    }

    /// The database file, `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.store.path()
    }

    /// The local unit's id.
    pub fn unit_id(&self) -> Uuid {
        self.store.unit_id()
    }

    /// The unit's settings (defaults where never set).
    pub fn settings(&self) -> Result<Settings> {
        Ok(self.settings.clone())
    }

    /// Saves the settings after checking their rules.
    pub fn save_settings(&mut self, settings: &Settings) -> Result<Done<()>> {
        self.store.save_settings(settings)?;
        self.settings = settings.clone();
        Ok(Done::new((), &[Area::Settings]))
    }

    /// Saves the settings form: the day and night start times as typed (`HH:MM`).
    pub fn save_settings_form(&mut self, mut settings: Settings, day: &str, night: &str) -> Result<Done<Settings>> {
        settings.shift_boundary = ShiftBoundary::new(parse_time(day)?, parse_time(night)?)?;
        self.save_settings(&settings)?;
        Ok(Done::new(settings, &[Area::Settings]))
    }

    /// Changes the PIN: the current one, then the new one typed twice. The database's
    /// random key is wrapped again under the new PIN (fast: no page is re-encrypted). A
    /// wrong current PIN is [`UnlockError::Wrong`], counts towards the back-off like a
    /// wrong unlock, and changes nothing.
    pub fn change_pin(&mut self, current: &str, new_pin: &str, again: &str) -> Result<Done<()>> {
        if !crate::domain::rules::valid_pin(new_pin) {
            return Err(UnlockError::TooShort.into());
        }
        if new_pin != again {
            return Err(UnlockError::Mismatch.into());
        }
        let path = self.store.path().ok_or(crate::store::StoreError::NoKey)?.to_owned();
        let store = &mut self.store;
        vault::guarded(&path, || Ok(store.change_secret(current, new_pin)?))?;
        Ok(Done::new((), &[]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_areas_are_a_set() {
        let c = Changed::of(&[Area::Outings, Area::Sync]);
        assert!(c.contains(Area::Outings) && c.contains(Area::Sync) && !c.contains(Area::Indoor));
        assert_eq!(c.areas().collect::<Vec<_>>(), [Area::Outings, Area::Sync]);
        assert_eq!(Changed::NONE.areas().count(), 0);
    }
}
