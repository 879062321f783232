//! The database file and its lock: unlock with the PIN (creating the database the first
//! time), the wrong-PIN back-off, lock. What the screens, the command line and the sync
//! loop share.
//!
//! The back-off lives in a file beside the database (`<db>.attempts`, see
//! [`crate::store::Attempts`]), not in memory: a restart of the app or a loop of
//! `lanterna` commands waits just as long. Each attempt is counted *before* the PIN is
//! checked and cleared when it opens, so attempts run in parallel cannot all slip in under
//! the free ones.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::{Error, Lanterna, Result, UnlockError};
use crate::domain::rules::{PIN_MAX_WAIT_SECS, openable_pin, pin_wait_secs, valid_pin};
use crate::store::{Attempts, StoreError};

/// The database file, whether it is open, and whether its PIN must be replaced first.
#[derive(Debug)]
pub struct Vault {
    db_path: PathBuf,
    open: Mutex<Option<Lanterna>>,
    /// Serialises unlock attempts of this process (the attempts file does it across them).
    attempts: Mutex<()>,
    /// Open with a PIN shorter than the rule: nothing but a PIN change until replaced.
    must_change: AtomicBool,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Refuses an attempt while the back-off of the database at `path` runs, with the seconds
/// left; otherwise returns the attempts so far.
fn check_wait(path: &Path) -> Result<Attempts> {
    let mut attempts = Attempts::load(path);
    let now = now_ms();
    let max_ms = PIN_MAX_WAIT_SECS as i64 * 1000;
    if attempts.wait_until_ms > now {
        let left = attempts.wait_until_ms - now;
        if left > max_ms {
            // The clock went back: never more than the longest wait from now.
            attempts.wait_until_ms = now + max_ms;
            attempts.save(path)?;
            return Err(UnlockError::Wait(PIN_MAX_WAIT_SECS).into());
        }
        // Whole seconds, rounded up: "0 seconds" would invite an attempt still refused.
        return Err(UnlockError::Wait((left as u64).div_ceil(1000)).into());
    }
    Ok(attempts)
}

/// Counts one more attempt (and sets the wait it earns) before the secret is checked.
fn count_attempt(path: &Path, before: Attempts) -> Result<()> {
    let failures = before.failures.saturating_add(1);
    Ok(Attempts { failures, wait_until_ms: now_ms() + pin_wait_secs(failures) as i64 * 1000 }.save(path)?)
}

/// Runs `check` (which tries `secret` on the database at `path`) under the back-off:
/// refused while a wait runs, counted before it runs, cleared when it succeeds. A wrong
/// secret ([`StoreError::WrongKey`]) is [`UnlockError::Wrong`]; any other failure leaves
/// the count as it was.
pub(crate) fn guarded<R>(path: &Path, check: impl FnOnce() -> Result<R>) -> Result<R> {
    let before = check_wait(path)?;
    count_attempt(path, before)?;
    match check() {
        Ok(r) => {
            if before != Attempts::default() {
                Attempts::default().save(path)?;
            } else {
                // Back to no file at all, as before the attempt.
                let _ = std::fs::remove_file(crate::store::attempts_path(path));
            }
            Ok(r)
        }
        Err(Error::Store(StoreError::WrongKey { .. })) => Err(UnlockError::Wrong.into()),
        Err(e) => {
            before.save(path)?;
            Err(e)
        }
    }
}

impl Lanterna {
    /// Unlocks the database at `path` with `secret`, or creates it when there is none
    /// (then `secret` must meet [`valid_pin`]). Wrong secrets change nothing in the
    /// database; after [`PIN_FREE_ATTEMPTS`](crate::domain::rules::PIN_FREE_ATTEMPTS) in a
    /// row, each attempt waits 1, 2, 4 ... seconds (at most [`PIN_MAX_WAIT_SECS`]), across
    /// restarts and processes. A secret shorter than the rule but long enough for an old
    /// database ([`openable_pin`]) opens it; the caller then asks for a new one.
    pub fn unlock(path: &Path, secret: &str) -> Result<Lanterna> {
        if !path.exists() {
            if !valid_pin(secret) {
                return Err(UnlockError::TooShort.into());
            }
            return Lanterna::open(path, secret);
        }
        if !openable_pin(secret) {
            return Err(UnlockError::TooShort.into());
        }
        guarded(path, || Lanterna::open_existing(path, secret))
    }
}

impl Vault {
    /// The vault of a database file (which may not exist yet), locked.
    pub fn new(db_path: PathBuf) -> Arc<Vault> {
        Arc::new(Vault {
            db_path,
            open: Mutex::new(None),
            attempts: Mutex::new(()),
            must_change: AtomicBool::new(false),
        })
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

    /// Whether the database is open for use (open, and its PIN meets the rule).
    pub fn is_unlocked(&self) -> bool {
        self.open().is_some() && !self.must_change_pin()
    }

    /// Whether the database is open with a PIN shorter than the rule, which must be
    /// changed ([`Vault::change_pin`]) before anything else.
    pub fn must_change_pin(&self) -> bool {
        self.must_change.load(Ordering::SeqCst)
    }

    /// Opens (or, the first time, creates) the database with the PIN: see
    /// [`Lanterna::unlock`] for the back-off. A PIN shorter than the rule that opens an
    /// old database leaves it open for [`Vault::change_pin`] only.
    pub fn unlock(&self, pin: &str) -> Result<()> {
        let _one_at_a_time = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        let app = Lanterna::unlock(&self.db_path, pin)?;
        self.must_change.store(!valid_pin(pin), Ordering::SeqCst);
        *self.open() = Some(app);
        Ok(())
    }

    /// Changes the PIN of the open database (see [`Lanterna::change_pin`]); it also lifts
    /// the must-change state of an old, short PIN.
    pub fn change_pin(&self, current: &str, new_pin: &str, again: &str) -> Result<()> {
        let mut open = self.open();
        let app = open.as_mut().ok_or(Error::Locked)?;
        app.change_pin(current, new_pin, again)?;
        self.must_change.store(false, Ordering::SeqCst);
        Ok(())
    }

    /// Closes the database: the key leaves memory with it.
    pub fn lock(&self) {
        *self.open() = None;
        self.must_change.store(false, Ordering::SeqCst);
    }

    /// Runs `f` on the open database; `None` when locked (or when its PIN must be changed
    /// first).
    pub fn with<R>(&self, f: impl FnOnce(&mut Lanterna) -> R) -> Option<R> {
        if self.must_change_pin() {
            return None;
        }
        self.open().as_mut().map(f)
    }

    /// Runs a use case on the open database; [`Error::Locked`] when locked,
    /// [`UnlockError::MustChange`] while a short PIN has to be replaced.
    pub fn run<R>(&self, f: impl FnOnce(&mut Lanterna) -> Result<R>) -> Result<R> {
        if self.must_change_pin() && self.open().is_some() {
            return Err(UnlockError::MustChange.into());
        }
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
        // Six digits were enough once; a new database needs the new rule.
        assert!(matches!(vault.unlock("123456"), Err(Error::Unlock(UnlockError::TooShort))));
        assert!(!vault.exists() && !vault.is_unlocked());
        assert!(matches!(vault.run(|a| a.settings()), Err(Error::Locked)));
    }
}
