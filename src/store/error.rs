//! What can go wrong with the store: one typed variant per cause, each saying in words what
//! a person can do about it. Rule breaks are the domain's own [`Violation`]s; state
//! conflicts (a closed outing, a file imported twice) have variants of their own.

use std::fmt;
use std::path::PathBuf;

use uuid::Uuid;

use crate::domain::DomainError;
use crate::domain::rules::Violation;

/// The two kinds of record that are opened, closed, reopened and synced: outings and
/// indoor sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Record {
    /// A street or labour outing.
    Outing,
    /// An indoor session.
    Session,
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Record::Outing => "outing",
            Record::Session => "session",
        })
    }
}

/// What kind of row a lookup did not find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    /// An outing.
    Outing,
    /// A stop of an outing.
    Stop,
    /// A contact at a stop.
    Contact,
    /// An indoor session.
    IndoorSession,
    /// An ad of an indoor session.
    Ad,
    /// A call or message of an indoor session.
    Attempt,
    /// A person met in an indoor session.
    Meeting,
    /// A person of the register.
    Person,
    /// An identification interview.
    Interview,
    /// A helpline report.
    HelplineReport,
    /// An informative group session.
    InfoSession,
}

impl From<Record> for Entity {
    fn from(r: Record) -> Entity {
        match r {
            Record::Outing => Entity::Outing,
            Record::Session => Entity::IndoorSession,
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Entity::Outing => "outing",
            Entity::Stop => "stop",
            Entity::Contact => "contact",
            Entity::IndoorSession => "indoor session",
            Entity::Ad => "ad",
            Entity::Attempt => "call",
            Entity::Meeting => "meeting",
            Entity::Person => "person",
            Entity::Interview => "interview",
            Entity::HelplineReport => "helpline report",
            Entity::InfoSession => "informative session",
        })
    }
}

/// What can go wrong with the store, with the path where it matters.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Wrong PIN/key, or a file that is not an encrypted database at all.
    #[error("cannot open {path}: wrong PIN or key, or the file is not a Lanterna database (nothing was changed)")]
    WrongKey {
        /// The file.
        path: PathBuf,
    },
    /// A readable file that is not a Lanterna database.
    #[error("{path} is not a Lanterna database: {why} (nothing was changed)")]
    NotLanterna {
        /// The file.
        path: PathBuf,
        /// What it is instead.
        why: String,
    },
    /// A database written by a newer Lanterna.
    #[error("{path} has schema version {found}, newer than this Lanterna understands ({supported}); update the app")]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its version.
        found: i64,
        /// Ours.
        supported: i64,
    },
    /// No database where one was expected.
    #[error("no Lanterna database at {path}")]
    Missing {
        /// The path.
        path: PathBuf,
    },
    /// The file system refused.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A record that does not exist.
    #[error("no {what} with id {id}")]
    NotFound {
        /// What kind of record.
        what: Entity,
        /// Its id.
        id: String,
    },
    /// A change to a closed outing or session: it has to be reopened first.
    #[error("this {what} is closed: reopen it to correct it")]
    Closed {
        /// An outing or a session.
        what: Record,
    },
    /// Changing the key of an in-memory database, which has none.
    #[error("an in-memory database has no key")]
    NoKey,
    /// The system gave no randomness for the key that hashes phone numbers.
    #[error("no randomness for the number key: {0}")]
    NoRandomness(String),
    /// A closed outing to sync that has no stop, so no province to send it under.
    #[error("no stops")]
    NoStops {
        /// The outing.
        outing: Uuid,
    },
    /// A file whose bytes were imported before: nothing is imported twice.
    #[error("this file was already imported on {when}; nothing was imported again")]
    AlreadyImported {
        /// When it was, as dd/mm/yyyy hh:mm in Italian time.
        when: String,
    },
    /// A value that breaks a domain rule.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// SQLite itself.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl From<Violation> for StoreError {
    fn from(v: Violation) -> StoreError {
        StoreError::Domain(DomainError::Rule(v))
    }
}

impl StoreError {
    /// A record of `what` with `id` that is not there.
    pub(crate) fn not_found(what: impl Into<Entity>, id: impl ToString) -> StoreError {
        StoreError::NotFound { what: what.into(), id: id.to_string() }
    }

    /// The rule this error breaks, when it is one.
    pub fn violation(&self) -> Option<&Violation> {
        match self {
            StoreError::Domain(DomainError::Rule(v)) => Some(v),
            _ => None,
        }
    }
}

/// Result of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_to_do() {
        assert_eq!(
            StoreError::Closed { what: Record::Outing }.to_string(),
            "this outing is closed: reopen it to correct it"
        );
        assert_eq!(
            StoreError::Closed { what: Record::Session }.to_string(),
            "this session is closed: reopen it to correct it"
        );
        assert_eq!(StoreError::not_found(Record::Session, 7).to_string(), "no indoor session with id 7");
        assert_eq!(StoreError::from(Violation::TeamSize).to_string(), "team size must be between 1 and 50");
        assert_eq!(StoreError::from(Violation::TeamSize).violation(), Some(&Violation::TeamSize));
    }
}
