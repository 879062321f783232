//! The embedded default: one SQLite file, WAL, `synchronous = FULL` (an acknowledged
//! batch survives a crash), one writer at a time.

use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};
use lanterna::wire::{AckStatus, Batch, PersonSummary, PublishedPeriod, Summary};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

use super::console;
use super::sql::Tx;
use super::{
    Backend, Cell, Cells, Device, Dialect, PERSON_COLUMNS, PERSONS_UPSERT, PersonRow, Result, Row, SUMMARY_COLUMNS,
    Statuses, StoreError, Stored, Unit, decide, period_taken, person_status,
};

/// This backend's schemas.
const DIALECT: Dialect = Dialect {
    initial: include_str!("migrations/sqlite/0001_initial.sql"),
    persons: include_str!("migrations/sqlite/0002_persons.sql"),
    audit: include_str!("migrations/sqlite/0003_audit.sql"),
    serial: "INTEGER PRIMARY KEY AUTOINCREMENT",
    bigint: "INTEGER",
    date: "TEXT",
};

/// Read connections kept open.
const READERS: usize = 4;

/// A SQLite store.
pub struct Sqlite {
    conn: Mutex<Connection>,
    /// Token checks and reads: a second connection, so they never wait behind a commit
    /// (WAL readers see every committed write, a revocation included). Several, so a
    /// long report does not hold up a token check or another coordinator's page.
    readers: Vec<Mutex<Connection>>,
    /// Which reader the next wait is for.
    next_reader: std::sync::atomic::AtomicUsize,
}

/// Writes one batch inside the open transaction.
fn store_batch(
    tx: &rusqlite::Transaction<'_>,
    unit: Uuid,
    summaries: &[Summary],
    now: DateTime<Utc>,
) -> Result<Vec<AckStatus>> {
    let mut acks = Vec::with_capacity(summaries.len());
    let at = now.to_rfc3339();
    let u = unit.to_string();
    for s in summaries {
        let existing: Option<(String, i64)> = tx
            .prepare_cached("SELECT unit_id, revision FROM summaries WHERE id = ?1")?
            .query_row([s.id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let status = decide(unit, s, existing)?;
        if status == AckStatus::Stored {
            let r = Row::of(s)?;
            tx.prepare_cached(
                "INSERT INTO summaries (id, unit_id, revision, deleted, activity, date, shift, province, comuni,
                                        cells, received_at, facts)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, deleted = excluded.deleted,
                    activity = excluded.activity, date = excluded.date, shift = excluded.shift,
                    province = excluded.province, comuni = excluded.comuni, cells = excluded.cells,
                    received_at = excluded.received_at, facts = excluded.facts",
            )?
            .execute(params![
                r.id, u, r.revision, r.deleted, r.activity, r.date, r.shift, r.province, r.comuni, r.cells, at, r.facts
            ])?;
        }
        acks.push(status);
    }
    Ok(acks)
}

/// Writes a device's persons inside the open transaction.
fn store_persons(
    tx: &rusqlite::Transaction<'_>,
    device: &Device,
    persons: &[PersonSummary],
    now: DateTime<Utc>,
) -> Result<Vec<AckStatus>> {
    let (d, u, at) = (device.id.to_string(), device.unit.to_string(), now.to_rfc3339());
    let mut upsert = tx.prepare_cached(PERSONS_UPSERT)?;
    persons
        .iter()
        .map(|p| {
            let r = PersonRow::of(p)?;
            let n = upsert.execute(params![d, u, r.from, r.to, r.activity, r.province, r.revision, r.cells, at])?;
            Ok(person_status(n as u64))
        })
        .collect()
}

/// Some units as a JSON array, for `json_each`; None for every unit.
fn unit_list(units: Option<&[Uuid]>) -> Result<Option<String>> {
    Ok(units.map(serde_json::to_string).transpose()?)
}

fn time(s: String) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into()))
}

fn uuid(s: String) -> rusqlite::Result<Uuid> {
    Uuid::parse_str(&s).map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into()))
}

fn device(r: &rusqlite::Row<'_>) -> rusqlite::Result<Device> {
    Ok(Device {
        id: uuid(r.get(0)?)?,
        unit: uuid(r.get(1)?)?,
        enrolled_at: time(r.get(2)?)?,
        revoked_at: r.get::<_, Option<String>>(3)?.map(time).transpose()?,
    })
}

impl Cells for rusqlite::Row<'_> {
    type Error = rusqlite::Error;

    fn cell<T: Cell>(&self, i: usize) -> rusqlite::Result<T> {
        self.get(i)
    }
}

/// Only the server's user reads the database: it is created 0600 before SQLite opens it
/// (SQLite gives its `-wal` and `-shm` the database's mode), and a database, WAL or index
/// that an older server left readable by others is made 0600.
fn private_files(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let io = |p: &Path, e: std::io::Error| StoreError::Db(format!("{}: {e}", p.display()));
        match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io(path, e)),
        }
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            let p = Path::new(&name);
            if let Ok(meta) = std::fs::metadata(p)
                && meta.permissions().mode() & 0o077 != 0
            {
                std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600)).map_err(|e| io(p, e))?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

impl Sqlite {
    /// Opens (creating) the database file and applies its migrations.
    pub fn open(path: &Path) -> Result<Sqlite> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Db(format!("{}: {e}", dir.display())))?;
        }
        private_files(path)?;
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let migrations = DIALECT.migrations();
        if version > migrations.len() as i64 {
            return Err(StoreError::Db(format!("{} has schema {version}, newer than this server", path.display())));
        }
        for (i, sql) in migrations.iter().enumerate().skip(version as usize) {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute_batch(sql)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
            tx.commit()?;
        }
        // The WAL and its index now exist, made by SQLite with the database's mode.
        private_files(path)?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let reader = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            reader.busy_timeout(std::time::Duration::from_secs(10))?;
            readers.push(Mutex::new(reader));
        }
        Ok(Sqlite { conn: Mutex::new(conn), readers, next_reader: Default::default() })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A free reader, or else a wait for the readers in turn (so waits spread over them).
    fn reader(&self) -> std::sync::MutexGuard<'_, Connection> {
        for r in &self.readers {
            if let Ok(g) = r.try_lock() {
                return g;
            }
        }
        let i = self.next_reader.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % self.readers.len();
        self.readers[i].lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Backend for Sqlite {
    fn add_unit(&self, name: &str) -> Result<Unit> {
        let unit = Unit { id: Uuid::new_v4(), name: name.to_owned(), created_at: Utc::now() };
        let conn = self.conn();
        let taken: bool = conn.query_row("SELECT count(*) > 0 FROM units WHERE name = ?1", [name], |r| r.get(0))?;
        if taken {
            return Err(StoreError::Conflict(format!("a unit named '{name}' exists already")));
        }
        conn.execute(
            "INSERT INTO units (id, name, created_at) VALUES (?1, ?2, ?3)",
            params![unit.id.to_string(), name, unit.created_at.to_rfc3339()],
        )?;
        Ok(unit)
    }

    fn units(&self) -> Result<Vec<Unit>> {
        let conn = self.conn();
        let mut st = conn.prepare("SELECT id, name, created_at FROM units ORDER BY name")?;
        let rows =
            st.query_map([], |r| Ok(Unit { id: uuid(r.get(0)?)?, name: r.get(1)?, created_at: time(r.get(2)?)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn add_enrollment(&self, unit: Uuid, code_hash: &str, expires_at: DateTime<Utc>) -> Result<()> {
        self.conn().execute(
            "INSERT INTO enrollments (code_hash, unit_id, expires_at) VALUES (?1, ?2, ?3)",
            params![code_hash, unit.to_string(), expires_at.to_rfc3339()],
        )?;
        Ok(())
    }

    fn redeem(&self, code_hash: &str, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Device>> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: Option<(String, String)> = tx
            .query_row("SELECT unit_id, expires_at FROM enrollments WHERE code_hash = ?1", [code_hash], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some((unit, expires)) = found else { return Ok(None) };
        tx.execute("DELETE FROM enrollments WHERE code_hash = ?1", [code_hash])?;
        if time(expires)? < now {
            tx.commit()?;
            return Ok(None);
        }
        let d = Device { id: Uuid::new_v4(), unit: uuid(unit)?, enrolled_at: now, revoked_at: None };
        tx.execute(
            "INSERT INTO devices (id, unit_id, token_hash, enrolled_at) VALUES (?1, ?2, ?3, ?4)",
            params![d.id.to_string(), d.unit.to_string(), token_hash, now.to_rfc3339()],
        )?;
        tx.commit()?;
        Ok(Some(d))
    }

    fn device_by_token(&self, token_hash: &str) -> Result<Option<Device>> {
        Ok(self
            .reader()
            .query_row(
                "SELECT id, unit_id, enrolled_at, revoked_at FROM devices WHERE token_hash = ?1 AND revoked_at IS NULL
                   AND (token_expires_at IS NULL OR token_expires_at > ?2)",
                [token_hash, &Utc::now().to_rfc3339()],
                device,
            )
            .optional()?)
    }

    fn devices(&self) -> Result<Vec<Device>> {
        let conn = self.conn();
        let mut st = conn.prepare("SELECT id, unit_id, enrolled_at, revoked_at FROM devices ORDER BY enrolled_at")?;
        Ok(st.query_map([], device)?.collect::<rusqlite::Result<_>>()?)
    }

    fn revoke(&self, device: Uuid, now: DateTime<Utc>) -> Result<bool> {
        let n = self.conn().execute(
            "UPDATE devices SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
            params![device.to_string(), now.to_rfc3339()],
        )?;
        Ok(n > 0)
    }

    fn with_tx(&self, write: bool, f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        // Writes go through the writer; reads through the reader, never behind a commit.
        let mut conn = if write { self.conn() } else { self.reader() };
        let behavior = if write { TransactionBehavior::Immediate } else { TransactionBehavior::Deferred };
        let mut tx = conn.transaction_with_behavior(behavior)?;
        f(&mut tx)?;
        tx.commit()?;
        Ok(())
    }

    fn store(&self, device: &Device, batch: &Batch, now: DateTime<Utc>) -> Result<Statuses> {
        let mut conn = self.conn();
        let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        console::refuse_closed(&mut tx, device, batch)?;
        let persons = store_persons(&tx, device, &batch.persons, now)?;
        let summaries = store_batch(&tx, device.unit, &batch.summaries, now)?;
        let statuses = Statuses { summaries, persons };
        console::note_sync(&mut tx, device, &batch.summaries, &statuses)?;
        tx.commit()?;
        Ok(statuses)
    }

    fn summaries(&self, units: Option<&[Uuid]>, from: NaiveDate, to: NaiveDate) -> Result<Vec<Stored>> {
        let conn = self.reader();
        let mut st = conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM summaries
             WHERE date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR unit_id IN (SELECT value FROM json_each(?3)))
               AND deleted = 0 ORDER BY date, id"
        ))?;
        let rows = st.query_map(params![from, to, unit_list(units)?], |r| Row::read(r))?;
        let mut out = Vec::new();
        for row in rows {
            let (row, unit) = row?;
            out.push(row.summary(&unit)?);
        }
        Ok(out)
    }

    fn persons(&self, units: Option<&[Uuid]>, from: NaiveDate, to: NaiveDate) -> Result<Vec<PersonSummary>> {
        let conn = self.reader();
        let mut st = conn.prepare_cached(&format!(
            "SELECT {PERSON_COLUMNS} FROM person_summaries
             WHERE date_from = ?1 AND date_to = ?2 AND (?3 IS NULL OR unit_id IN (SELECT value FROM json_each(?3)))
             ORDER BY unit_id, device_id, activity, province"
        ))?;
        let rows = st.query_map(params![from, to, unit_list(units)?], |r| PersonRow::read(r))?;
        rows.map(|r| r?.summary()).collect()
    }

    fn add_period(&self, name: &str, from: NaiveDate, to: NaiveDate) -> Result<PublishedPeriod> {
        let conn = self.conn();
        let taken: bool = conn.query_row("SELECT count(*) > 0 FROM periods WHERE name = ?1", [name], |r| r.get(0))?;
        if taken {
            return Err(period_taken(name));
        }
        conn.execute(
            "INSERT INTO periods (name, date_from, date_to, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![name, from, to, Utc::now().to_rfc3339()],
        )?;
        Ok(PublishedPeriod { name: name.to_owned(), from, to })
    }

    fn periods(&self) -> Result<Vec<PublishedPeriod>> {
        let conn = self.reader();
        let mut st =
            conn.prepare_cached("SELECT name, date_from, date_to FROM periods ORDER BY date_from, date_to, name")?;
        let rows = st.query_map([], |r| Ok(PublishedPeriod { name: r.get(0)?, from: r.get(1)?, to: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn add_mapping_night(&self, night: NaiveDate) -> Result<bool> {
        let n = self.conn().execute(
            "INSERT INTO mapping_nights (night, created_at) VALUES (?1, ?2) ON CONFLICT (night) DO NOTHING",
            params![night, Utc::now().to_rfc3339()],
        )?;
        Ok(n > 0)
    }

    fn remove_mapping_night(&self, night: NaiveDate) -> Result<bool> {
        Ok(self.conn().execute("DELETE FROM mapping_nights WHERE night = ?1", [night])? > 0)
    }

    fn mapping_nights(&self) -> Result<Vec<NaiveDate>> {
        let conn = self.reader();
        let mut st = conn.prepare_cached("SELECT night FROM mapping_nights ORDER BY night")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
