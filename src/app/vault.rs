//! The database file and its lock: unlock with the PIN (creating the database the first
//! time), the wrong-PIN back-off, lock. What the screens and the sync loop share.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::{Error, Lanterna, Result, UnlockError};
use crate::domain::rules::{pin_wait_secs, valid_pin};
use crate::store::StoreError;

/// The database file, whether it is open, and the wrong PINs in a row.
#[derive(Debug)]
pub struct Vault {
    db_path: PathBuf,
    open: Mutex<Option<Lanterna>>,
    failures: Mutex<Failures>,
}

#[derive(Debug, Default)]
struct Failures {
    count: u32,
    until: Option<Instant>,
}

impl Vault {
    /// The vault of a database file (which may not exist yet), locked.
    pub fn new(db_path: PathBuf) -> Arc<Vault> {
        Arc::new(Vault { db_path, open: Mutex::new(None), failures: Mutex::new(Failures::default()) })
    }

    /// The database file.
    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// Whether the database exists (else unlocking creates it with the PIN).
    pub fn exists(&self) -> bool {
        self.db_path.exists()
    }

    fn open(&self) -> MutexGuard<'_, Option<Lanterna>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the database is open.
    pub fn is_unlocked(&self) -> bool {
        self.open().is_some()
    }

    /// Opens (or, the first time, creates) the database with the PIN. The SQLCipher key is
    /// derived from the PIN with Argon2id (m = 64 MiB, t = 3, p = 1: about half a second on
    /// a mid-range phone, see `store::key`). Wrong PINs change nothing; after
    /// [`PIN_FREE_ATTEMPTS`](crate::domain::rules::PIN_FREE_ATTEMPTS) in a row, each attempt
    /// waits 1, 2, 4 ... seconds (at most
    /// [`PIN_MAX_WAIT_SECS`](crate::domain::rules::PIN_MAX_WAIT_SECS)).
    pub fn unlock(&self, pin: &str) -> Result<()> {
        if !valid_pin(pin) {
            return Err(UnlockError::TooShort.into());
        }
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(until) = failures.until {
            let now = Instant::now();
            if until > now {
                return Err(UnlockError::Wait((until - now).as_secs() + 1).into());
            }
        }
        let opened = if self.exists() {
            Lanterna::open_existing(&self.db_path, pin)
        } else {
            Lanterna::open(&self.db_path, pin)
        };
        match opened {
            Ok(app) => {
                *failures = Failures::default();
                *self.open() = Some(app);
                Ok(())
            }
            Err(Error::Store(StoreError::WrongKey { .. })) => {
                failures.count += 1;
                let wait = pin_wait_secs(failures.count);
                failures.until = (wait > 0).then(|| Instant::now() + Duration::from_secs(wait));
                Err(UnlockError::Wrong.into())
            }
            Err(e) => Err(e),
        }
    }

    /// Closes the database: the key leaves memory with it.
    pub fn lock(&self) {
        *self.open() = None;
    }

    /// Runs `f` on the open database; `None` when locked.
    pub fn with<R>(&self, f: impl FnOnce(&mut Lanterna) -> R) -> Option<R> {
        self.open().as_mut().map(f)
    }

    /// Runs a use case on the open database; [`Error::Locked`] when locked.
    pub fn run<R>(&self, f: impl FnOnce(&mut Lanterna) -> Result<R>) -> Result<R> {
        self.with(f).ok_or(Error::Locked)?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_pin_creates_nothing_and_a_locked_vault_says_so() {
        let dir = tempfile::tempdir().expect("temp dir");
        let vault = Vault::new(dir.path().join("x.db"));
        assert!(matches!(vault.unlock("123"), Err(Error::Unlock(UnlockError::TooShort))));
        assert!(!vault.exists() && !vault.is_unlocked());
        assert!(matches!(vault.run(|a| a.settings()), Err(Error::Locked)));
    }
}
