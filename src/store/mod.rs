//! The encrypted local store: SQLCipher through rusqlite.
//!
//! One [`Store::open`] sets every pragma and runs the `user_version` migration ladder.
//! Every method that changes data is one transaction; with WAL and `synchronous=FULL`
//! a committed transaction has been fsynced and survives a power cut.

mod codes;
pub mod emersion;
pub mod emersion_import;
mod emersion_sync;
mod error;
mod feedback;
mod indoor;
pub mod info_sessions;
mod info_sessions_import;
mod key;
mod labour_sectors;
mod lifecycle;
mod mapping;
mod outings;
mod outings_import;
mod outreach_outings;
mod persons;
mod records;
mod settings;
mod sync;
mod tally;

pub use tally::TallyParts;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use uuid::Uuid;

pub use crate::import::ImportedOutreach;
pub use error::{Entity, Record, Result, StoreError};
pub use feedback::ReviewRow;
pub use indoor::{IndoorImportOutcome, IndoorOverview, NewIndoorSession, SessionCounts};
pub use indoor::{NUMBER_ARGON2_MEMORY_KIB, NUMBER_ARGON2_PASSES, number_hash_of};
pub use key::{
    ARGON2_ITERATIONS, ARGON2_LANES, ARGON2_MEMORY_KIB, Attempts, KeyFile, RawKey, attempts_path, key_file_path,
};
pub use labour_sectors::{ContactLabour, StopLabour};
pub use outings::{ImportOutcome, NewOuting, OutingOverview};
pub use outings_import::{OutingsImportOutcome, outing_hours};
pub use outreach_outings::{DiaryEntry, OutingNote, diary_markdown};
pub use persons::Merge;
pub use sync::{Endpoint, RefusedKind, RefusedRow, SyncStatus};

/// `PRAGMA application_id` of a Lanterna database ('LNTA').
pub const APPLICATION_ID: i64 = 0x4C4E_5441;

/// The migrations, in order; `user_version` is the number applied. Append-only.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_indoor.sql"),
    include_str!("migrations/0003_sync.sql"),
    include_str!("migrations/0004_persons.sql"),
    include_str!("migrations/0005_events.sql"),
    include_str!("migrations/0006_feedback.sql"),
    include_str!("migrations/0007_number_hashes.sql"),
    include_str!("migrations/0008_refusals.sql"),
    include_str!("migrations/0009_emersion.sql"),
    include_str!("migrations/0010_outreach.sql"),
];

/// The schema that brought the register of persons.
const PERSONS_SCHEMA: usize = 4;
/// The schema whose number hashes are memory-hard (`indoor::ads`).
const SLOW_NUMBER_HASH_SCHEMA: usize = 7;
/// The schema whose outings may be desk sessions (schema 1's CHECK admitted street and
/// labour only).
const DESK_SCHEMA: usize = 9;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// An open Lanterna database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    unit_id: Uuid,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

impl Store {
    /// Opens the database at `path` with `secret`, creating it when there is no file.
    /// A wrong secret, or a file that is not a Lanterna database, is an error and the
    /// file is left exactly as it was.
    pub fn open(path: &Path, secret: &str) -> Result<Store> {
        if !path.exists() {
            Self::create(path, secret)?;
        }
        Self::open_existing(path, secret)
    }

    /// Opens an existing database; a missing file is [`StoreError::Missing`].
    ///
    /// The random database key is unwrapped from the side file (`<db>.keys`) with
    /// `secret`. A database without a side file was keyed the old way, directly by
    /// Argon2id(`secret`): it is opened with that key, then re-keyed once to a fresh
    /// random key whose wrapped copy is written first, so a crash at any point leaves a
    /// database that the same secret opens (the next unlock finishes the move).
    pub fn open_existing(path: &Path, secret: &str) -> Result<Store> {
        let salt = read_salt(path)?;
        let keys = key::key_file_path(path);
        let wrong = || StoreError::WrongKey { path: path.to_owned() };
        match KeyFile::read(&keys)? {
            Some(mut file) => {
                let db_key = file.unwrap_key(secret).ok_or_else(wrong)?;
                let key = RawKey::from_parts(db_key, salt);
                match Self::open_with_key(path, &key) {
                    Err(StoreError::WrongKey { .. }) if file.legacy_pending() => {
                        let mut store = Self::open_with_key(path, &RawKey::derive(secret, salt))?;
                        store.rekey_with(&key)?;
                        file.set_legacy_pending(false);
                        file.write(&keys)?;
                        Ok(store)
                    }
                    opened => opened,
                }
            }
            None => {
                let mut store = Self::open_with_key(path, &RawKey::derive(secret, salt))?;
                let db_key = key::random_db_key()?;
                let mut file = KeyFile::wrap(secret, &db_key)?;
                file.set_legacy_pending(true);
                file.write(&keys)?;
                store.rekey_with(&RawKey::from_parts(db_key, salt))?;
                file.set_legacy_pending(false);
                file.write(&keys)?;
                Ok(store)
            }
        }
    }

    /// Whether `secret` unwraps the key of the database at `path` (one Argon2id, nothing
    /// opened): what one guess costs. `false` when there is no side file.
    pub fn secret_opens(path: &Path, secret: &str) -> Result<bool> {
        Ok(KeyFile::read(&key::key_file_path(path))?.and_then(|f| f.unwrap_key(secret)).is_some())
    }

    /// Opens an existing database with an already derived key (the UI derives it once
    /// per unlock).
    pub fn open_with_key(path: &Path, key: &RawKey) -> Result<Store> {
        let io = |source| StoreError::Io { path: path.to_owned(), source };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::CannotOpen) => io(std::io::Error::other("cannot open the file")),
            _ => StoreError::Sqlite(e),
        })?;
        apply_key(&conn, key, path)?;
        // Older builds left the file, its WAL and its shared memory readable by anyone.
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            key::restrict(Path::new(&file)).map_err(io)?;
        }
        let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if app_id != APPLICATION_ID {
            return Err(StoreError::NotLanterna {
                path: path.to_owned(),
                why: format!("an encrypted database of another application (application_id {app_id})"),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: path.to_owned(), found: version, supported: SCHEMA_VERSION });
        }
        set_pragmas(&conn)?;
        let mut store = Store { conn, path: Some(path.to_owned()), unit_id: Uuid::nil() };
        store.migrate(version)?;
        store.unit_id = store.ensure_unit()?;
        Ok(store)
    }

    /// A fresh database in memory (tests and benchmarks): same schema and pragmas, never on disk.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        set_pragmas(&conn)?;
        let mut store = Store { conn, path: None, unit_id: Uuid::nil() };
        store.migrate(0)?;
        store.unit_id = store.ensure_unit()?;
        Ok(store)
    }

    /// Creates a new database atomically: it is built beside `path` and renamed into
    /// place only once its schema is committed and its key file written, so a crash never
    /// leaves half a database nor a database without its key. The file, its WAL and its
    /// key file are readable by their owner only.
    fn create(path: &Path, secret: &str) -> Result<()> {
        let io = |source| StoreError::Io { path: path.to_owned(), source };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(io)?;
        }
        let db_key = key::random_db_key()?;
        let key = RawKey::from_parts(db_key, RawKey::random_salt());
        let tmp = path.with_extension(format!("creating-{}", Uuid::new_v4().simple()));
        let built = (|| -> Result<()> {
            // SQLite takes an empty file as a new database, and gives its WAL and
            // journal the file's own mode: so everything it writes stays 0600.
            key::create_private(&tmp).map_err(io)?;
            let conn = Connection::open(&tmp)?;
            set_key(&conn, &key)?;
            set_pragmas(&conn)?;
            let mut store = Store { conn, path: Some(tmp.clone()), unit_id: Uuid::nil() };
            store.migrate(0)?;
            store.ensure_unit()?;
            // Fold the WAL back into the file before it is renamed.
            store.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")?;
            drop(store);
            fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(io)?;
            // The key first: a key file without its database is overwritten by the next
            // creation; a database without its key could never be opened.
            KeyFile::wrap(secret, &db_key)?.write(&key::key_file_path(path))?;
            fs::rename(&tmp, path).map_err(io)?;
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                // Make the rename itself durable.
                let _ = fs::File::open(dir).and_then(|d| d.sync_all());
            }
            Ok(())
        })();
        if built.is_err() {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let _ = fs::remove_file(format!("{}{suffix}", tmp.display()));
            }
        }
        built
    }

    /// Changes the secret: the random database key is wrapped again under `new_secret`
    /// (one atomic write of the side file; no page is re-encrypted). `current` must be the
    /// secret in use: a wrong one is [`StoreError::WrongKey`] and nothing changes.
    pub fn change_secret(&mut self, current: &str, new_secret: &str) -> Result<()> {
        let path = self.path.clone().ok_or(StoreError::NoKey)?;
        let keys = key::key_file_path(&path);
        let file = KeyFile::read(&keys)?.ok_or_else(|| StoreError::WrongKey { path: path.clone() })?;
        let db_key = file.unwrap_key(current).ok_or_else(|| StoreError::WrongKey { path: path.clone() })?;
        KeyFile::wrap(new_secret, &db_key)?.write(&keys)
    }

    /// Re-encrypts every page under another key (the move from a secret-derived key to
    /// the random one).
    fn rekey_with(&mut self, key: &RawKey) -> Result<()> {
        // SQLCipher re-encrypts every page; it needs a rollback journal, not a WAL.
        self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")?;
        let res = self.conn.execute_batch(&format!("PRAGMA rekey = \"{}\";", key.pragma_value()));
        self.conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        res.map_err(Into::into)
    }

    /// The database file, `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The local unit's id.
    pub fn unit_id(&self) -> Uuid {
        self.unit_id
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Applies the migrations after `from` up to the latest, each in its own transaction.
    fn migrate(&mut self, from: i64) -> Result<()> {
        self.migrate_between(from, SCHEMA_VERSION)
    }

    fn migrate_between(&mut self, from: i64, to: i64) -> Result<()> {
        for (i, sql) in MIGRATIONS.iter().enumerate().take(to as usize).skip(from as usize) {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute_batch(sql)?;
            if i + 1 == PERSONS_SCHEMA {
                // Contacts recorded before the register became one person each: put them in their periods.
                // Today's code writes each person's age band (schema 10's column, which
                // schema 10 fills again from the register): give schema 4's table the column.
                tx.execute_batch("ALTER TABLE person_periods ADD COLUMN age TEXT NOT NULL DEFAULT ''")?;
                let all: Vec<i64> = records::all_rows(&tx, "SELECT id FROM persons", [], |r| r.get(0))?;
                persons::rebuild(&tx, all)?;
            }
            if i + 1 == SLOW_NUMBER_HASH_SCHEMA {
                // The HMACs already stored become Argon2id(HMAC): no number is needed.
                indoor::harden_number_hashes(&tx)?;
            }
            if i + 1 == DESK_SCHEMA {
                admit_desk_outings(&tx)?;
            }
            tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Creates a database at schema `version` only, as an older Lanterna would have left
    /// it, and returns a keyed connection to it: for the upgrade tests, which write rows
    /// with that version's SQL.
    #[doc(hidden)]
    pub fn create_at_version(path: &Path, secret: &str, version: i64) -> Result<Connection> {
        let key = RawKey::derive(secret, RawKey::random_salt());
        let conn = Connection::open(path)?;
        set_key(&conn, &key)?;
        set_pragmas(&conn)?;
        let mut store = Store { conn, path: Some(path.to_owned()), unit_id: Uuid::nil() };
        store.migrate_between(0, version)?;
        Ok(store.conn)
    }

    /// Raw SQL access for tests and benchmarks in this crate's test suite.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// A write transaction (taken at once, so two writers never deadlock).
    pub(crate) fn write(&mut self) -> Result<Transaction<'_>> {
        Ok(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
    }
}

/// Reads the salt at the start of an existing database file, refusing what is plainly
/// not an encrypted database.
fn read_salt(path: &Path) -> Result<[u8; key::SALT_LEN]> {
    let not_lanterna = |why: &str| StoreError::NotLanterna { path: path.to_owned(), why: why.to_owned() };
    let mut file = match fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::Missing { path: path.to_owned() });
        }
        Err(source) => return Err(StoreError::Io { path: path.to_owned(), source }),
    };
    let meta = file.metadata().map_err(|source| StoreError::Io { path: path.to_owned(), source })?;
    if meta.is_dir() {
        return Err(not_lanterna("it is a directory"));
    }
    let mut head = [0u8; 16];
    if meta.len() < 512 || file.read_exact(&mut head).is_err() {
        return Err(not_lanterna(&format!("the file is only {} bytes long", meta.len())));
    }
    if &head == SQLITE_HEADER {
        return Err(not_lanterna("it is an unencrypted SQLite database"));
    }
    Ok(head)
}

fn set_key(conn: &Connection, key: &RawKey) -> rusqlite::Result<()> {
    // A wrong key is reported as an error value; SQLCipher must not also print to stderr.
    conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()))?;
    conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.pragma_value()))
}

fn apply_key(conn: &Connection, key: &RawKey, path: &Path) -> Result<()> {
    set_key(conn, key)?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(()),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            Err(StoreError::WrongKey { path: path.to_owned() })
        }
        Err(e) => Err(e.into()),
    }
}

/// Every connection's pragmas.
/// - WAL with `synchronous = FULL`: each commit fsyncs the WAL, so an acknowledged tap
///   survives a power cut (NORMAL would only survive a crash of the app).
/// - `temp_store = MEMORY`: sorts never spill to unencrypted temporary files.
/// - `secure_delete`: deleted records are overwritten, not left in free pages.
fn set_pragmas(conn: &Connection) -> Result<()> {
    // A tap runs a dozen statements (contact, items, person, period rows, outing): keep
    // them all prepared rather than parse them again on every tap.
    conn.set_prepared_statement_cache_capacity(128);
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA secure_delete = ON;
         PRAGMA busy_timeout = 5000;",
    )?;
    Ok(())
}

/// Widens schema 1's `CHECK (activity IN ('street', 'labour'))` on `outings` to admit
/// desk sessions, in place: every stored row stays valid, so no row is rewritten (SQLite's
/// documented procedure for such a change: edit the table's SQL, bump the schema version
/// so every connection reads it again).
fn admit_desk_outings(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    const OLD: &str = "CHECK (activity IN ('street', 'labour'))";
    const NEW: &str = "CHECK (activity IN ('street', 'labour', 'desk'))";
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.execute_batch("PRAGMA writable_schema = ON")?;
    let changed = tx.execute(
        "UPDATE sqlite_master SET sql = replace(sql, ?1, ?2) WHERE type = 'table' AND name = 'outings'",
        [OLD, NEW],
    );
    tx.execute_batch(&format!("PRAGMA writable_schema = OFF; PRAGMA schema_version = {}", version + 1))?;
    changed?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crash after the key file of the move was written but before the re-key: the old
    /// derived key still opens the file, and the next unlock finishes the move.
    #[test]
    fn a_move_to_the_wrapped_key_interrupted_before_the_rekey_is_finished_next_time() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("old.db");
        drop(Store::create_at_version(&db, "135792", SCHEMA_VERSION).unwrap());
        let salt = read_salt(&db).unwrap();
        let mut file = KeyFile::wrap("135792", &key::random_db_key().unwrap()).unwrap();
        file.set_legacy_pending(true);
        file.write(&key::key_file_path(&db)).unwrap();

        drop(Store::open_existing(&db, "135792").unwrap());
        let file = KeyFile::read(&key::key_file_path(&db)).unwrap().unwrap();
        assert!(!file.legacy_pending());
        assert!(matches!(Store::open_with_key(&db, &RawKey::derive("135792", salt)), Err(StoreError::WrongKey { .. })));
        drop(Store::open_existing(&db, "135792").unwrap());
        assert!(matches!(Store::open_existing(&db, "135793"), Err(StoreError::WrongKey { .. })));
    }
}
