//! The application layer's errors: what a use case can fail with, each kept typed down
//! to its cause so that `messages` can say it in the worker's language.

use std::path::PathBuf;

use crate::domain::DomainError;
use crate::import::ImportError;
use crate::store::StoreError;
use crate::sync::SyncError;

/// Why unlocking failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnlockError {
    /// Not a PIN the app accepts (too short, or not only digits, and not a passphrase).
    #[error(
        "a PIN is at least {} digits, or a passphrase at least {} characters",
        crate::domain::rules::PIN_MIN_DIGITS,
        crate::domain::rules::PASSPHRASE_MIN_CHARS
    )]
    TooShort,
    /// The PIN opened the database but is shorter than the rule now asks: a new one must
    /// be chosen before anything else.
    #[error(
        "this PIN is shorter than {} digits: choose a new PIN or passphrase before anything else",
        crate::domain::rules::PIN_MIN_DIGITS
    )]
    MustChange,
    /// The two PINs typed to create or change it differ.
    #[error("the two PINs differ")]
    Mismatch,
    /// The PIN does not open the database.
    #[error("wrong PIN or key (nothing was changed)")]
    Wrong,
    /// Too many wrong PINs: wait this many seconds.
    #[error("too many wrong PINs or keys: try again in {0} s")]
    Wait(u64),
}

/// What a use case can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database is locked: unlock it first.
    #[error("the app is locked: unlock it with the PIN")]
    Locked,
    /// Unlocking failed.
    #[error(transparent)]
    Unlock(#[from] UnlockError),
    /// A value breaks a rule of the field.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file to import is not what it should be.
    #[error("{file}: {error}")]
    Import {
        /// The file.
        file: PathBuf,
        /// What is wrong, with line and column.
        error: ImportError,
    },
    /// The store refused an import (for example, the same file twice).
    #[error("{file}: {error}")]
    ImportRefused {
        /// The file.
        file: PathBuf,
        /// Why.
        error: StoreError,
    },
    /// A file could not be read.
    #[error("cannot read {file}")]
    Read {
        /// The file.
        file: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// This device has no sync endpoint yet.
    #[error("this device is not enrolled: run `lanterna sync enroll URL CODE` with a code from the coordinator")]
    NotEnrolled,
    /// The network or the server refused a sync.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// The server answered a batch without acknowledging all of it.
    #[error("{missing} of {sent} summaries were not acknowledged by the server; they stay pending")]
    Unacknowledged {
        /// Summaries without an answer.
        missing: usize,
        /// Summaries sent.
        sent: usize,
    },
    /// Summaries stay pending after the server acknowledged them.
    #[error("summaries stay pending after the server acknowledged them")]
    StuckPending,
    /// A declared age that is not a number.
    #[error("invalid age: {0}")]
    BadAge(String),
    /// A report that has no such format.
    #[error("{report} is printed as text or JSON, not CSV")]
    NoCsv {
        /// The report.
        report: &'static str,
    },
}
