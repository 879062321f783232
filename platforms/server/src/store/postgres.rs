//! PostgreSQL, for networks that outgrow one machine: the same schema and rules as SQLite,
//! its own migrations, a small pool of connections (callers are blocking threads).

use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, NaiveDate, Utc};
use lanterna::wire::{AckStatus, Batch, PersonSummary, PublishedPeriod};
use postgres::Client;
use uuid::Uuid;

use super::console;
use super::sql::Tx;
use super::{
    Backend, Cell, Cells, Device, Dialect, PERSON_COLUMNS, PERSONS_UPSERT, PersonRow, Result, Row, SUMMARY_COLUMNS,
    Statuses, StoreError, Stored, Unit, period_taken, person_status,
};

/// This backend's schemas.
const DIALECT: Dialect = Dialect {
    initial: include_str!("migrations/postgres/0001_initial.sql"),
    persons: include_str!("migrations/postgres/0002_persons.sql"),
    audit: include_str!("migrations/postgres/0003_audit.sql"),
    serial: "BIGSERIAL PRIMARY KEY",
    bigint: "BIGINT",
    date: "DATE",
};
/// Connections kept open.
const POOL: usize = 4;

/// A PostgreSQL store.
pub struct Postgres {
    pool: Vec<Mutex<Client>>,
}

fn time(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).map_err(|e| StoreError::Db(e.to_string()))
}

/// Some units as a text array; None for every unit.
fn unit_list(units: Option<&[Uuid]>) -> Option<Vec<String>> {
    units.map(|u| u.iter().map(Uuid::to_string).collect())
}

fn uuid(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|e| StoreError::Db(e.to_string()))
}

fn device(r: &postgres::Row) -> Result<Device> {
    Ok(Device {
        id: uuid(r.get(0))?,
        unit: uuid(r.get(1))?,
        enrolled_at: time(r.get(2))?,
        revoked_at: r.get::<_, Option<&str>>(3).map(time).transpose()?,
    })
}

impl Cells for postgres::Row {
    type Error = postgres::Error;

    fn cell<T: Cell>(&self, i: usize) -> Result<T, postgres::Error> {
        self.try_get(i)
    }
}

impl Postgres {
    /// Connects (over TLS as the URL's `sslmode` says, `prefer` by default: see
    /// [`super::pg_tls`]) and applies the migrations (under an advisory lock, so two
    /// servers starting together do not race).
    pub fn connect(url: &str) -> Result<Postgres> {
        let target = super::pg_tls::target(url)?;
        let connect = || -> Result<Client> {
            target
                .config
                .connect(target.tls.clone())
                .map_err(|e| StoreError::Db(format!("cannot connect to PostgreSQL (sslmode {:?}): {e}", target.mode)))
        };
        let mut first = connect()?;
        let mut tx = first.transaction()?;
        tx.batch_execute(
            "SELECT pg_advisory_xact_lock(4242);
             CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);",
        )?;
        let version: i32 = match tx.query_opt("SELECT version FROM schema_version", &[])? {
            Some(r) => r.get(0),
            None => {
                tx.execute("INSERT INTO schema_version VALUES (0)", &[])?;
                0
            }
        };
        let migrations = DIALECT.migrations();
        if version as usize > migrations.len() {
            return Err(StoreError::Db(format!("the database has schema {version}, newer than this server")));
        }
        for (i, sql) in migrations.iter().enumerate().skip(version as usize) {
            tx.batch_execute(sql)?;
            tx.execute("UPDATE schema_version SET version = $1", &[&(i as i32 + 1)])?;
        }
        tx.commit()?;
        let mut pool = vec![Mutex::new(first)];
        for _ in 1..POOL {
            pool.push(Mutex::new(connect()?));
        }
        Ok(Postgres { pool })
    }

    /// A free connection, or the first one to come free.
    fn client(&self) -> MutexGuard<'_, Client> {
        for c in &self.pool {
            if let Ok(g) = c.try_lock() {
                return g;
            }
        }
        self.pool[0].lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Backend for Postgres {
    fn add_unit(&self, name: &str) -> Result<Unit> {
        let unit = Unit { id: Uuid::new_v4(), name: name.to_owned(), created_at: Utc::now() };
        let mut c = self.client();
        if c.query_opt("SELECT 1 FROM units WHERE name = $1", &[&name])?.is_some() {
            return Err(StoreError::Conflict(format!("a unit named '{name}' exists already")));
        }
        c.execute(
            "INSERT INTO units (id, name, created_at) VALUES ($1, $2, $3)",
            &[&unit.id.to_string(), &name, &unit.created_at.to_rfc3339()],
        )?;
        Ok(unit)
    }

    fn units(&self) -> Result<Vec<Unit>> {
        let rows = self.client().query("SELECT id, name, created_at FROM units ORDER BY name", &[])?;
        rows.iter().map(|r| Ok(Unit { id: uuid(r.get(0))?, name: r.get(1), created_at: time(r.get(2))? })).collect()
    }

    fn add_enrollment(&self, unit: Uuid, code_hash: &str, expires_at: DateTime<Utc>) -> Result<()> {
        self.client().execute(
            "INSERT INTO enrollments (code_hash, unit_id, expires_at) VALUES ($1, $2, $3)",
            &[&code_hash, &unit.to_string(), &expires_at.to_rfc3339()],
        )?;
        Ok(())
    }

    fn redeem(&self, code_hash: &str, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Device>> {
        let mut c = self.client();
        let mut tx = c.transaction()?;
        let Some(r) =
            tx.query_opt("DELETE FROM enrollments WHERE code_hash = $1 RETURNING unit_id, expires_at", &[&code_hash])?
        else {
            return Ok(None);
        };
        if time(r.get(1))? < now {
            tx.commit()?;
            return Ok(None);
        }
        let d = Device { id: Uuid::new_v4(), unit: uuid(r.get(0))?, enrolled_at: now, revoked_at: None };
        tx.execute(
            "INSERT INTO devices (id, unit_id, token_hash, enrolled_at) VALUES ($1, $2, $3, $4)",
            &[&d.id.to_string(), &d.unit.to_string(), &token_hash, &now.to_rfc3339()],
        )?;
        tx.commit()?;
        Ok(Some(d))
    }

    fn device_by_token(&self, token_hash: &str) -> Result<Option<Device>> {
        self.client()
            .query_opt(
                "SELECT id, unit_id, enrolled_at, revoked_at FROM devices WHERE token_hash = $1 AND revoked_at IS NULL
                   AND (token_expires_at IS NULL OR token_expires_at > $2)",
                &[&token_hash, &Utc::now().to_rfc3339()],
            )?
            .as_ref()
            .map(device)
            .transpose()
    }

    fn devices(&self) -> Result<Vec<Device>> {
        let rows = self
            .client()
            .query("SELECT id, unit_id, enrolled_at, revoked_at FROM devices ORDER BY enrolled_at", &[])?;
        rows.iter().map(device).collect()
    }

    fn revoke(&self, device: Uuid, now: DateTime<Utc>) -> Result<bool> {
        let n = self.client().execute(
            "UPDATE devices SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1",
            &[&device.to_string(), &now.to_rfc3339()],
        )?;
        Ok(n > 0)
    }

    fn with_tx(&self, _write: bool, f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        let mut c = self.client();
        let mut tx = c.transaction()?;
        f(&mut tx)?;
        tx.commit()?;
        Ok(())
    }

    fn store(&self, device: &Device, batch: &Batch, now: DateTime<Utc>) -> Result<Statuses> {
        let (unit, summaries) = (device.unit, &batch.summaries);
        let mut c = self.client();
        let mut tx = c.transaction()?;
        console::refuse_closed(&mut tx, device, batch)?;
        let owner = tx.prepare("SELECT unit_id FROM summaries WHERE id = $1")?;
        let upsert = tx.prepare(
            "INSERT INTO summaries (id, unit_id, revision, deleted, activity, date, shift, province, comuni, cells,
                                    received_at, facts)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, deleted = excluded.deleted,
                activity = excluded.activity, date = excluded.date, shift = excluded.shift,
                province = excluded.province, comuni = excluded.comuni, cells = excluded.cells,
                received_at = excluded.received_at, facts = excluded.facts
             WHERE summaries.revision < excluded.revision AND summaries.unit_id = excluded.unit_id",
        )?;
        let at = now.to_rfc3339();
        let u = unit.to_string();
        let persons_upsert = tx.prepare(PERSONS_UPSERT)?;
        let d = device.id.to_string();
        let mut persons = Vec::with_capacity(batch.persons.len());
        for p in &batch.persons {
            let r = PersonRow::of(p)?;
            let n = tx.execute(
                &persons_upsert,
                &[&d, &u, &r.from, &r.to, &r.activity, &r.province, &r.revision, &r.cells, &at],
            )?;
            persons.push(person_status(n));
        }
        let mut acks = Vec::with_capacity(summaries.len());
        for s in summaries {
            // The conditional upsert decides under the row's lock, so concurrent batches
            // with the same summary cannot go back to a lower revision.
            let r = Row::of(s)?;
            let n = tx.execute(
                &upsert,
                &[
                    &r.id,
                    &u,
                    &r.revision,
                    &r.deleted,
                    &r.activity,
                    &r.date,
                    &r.shift,
                    &r.province,
                    &r.comuni,
                    &r.cells,
                    &at,
                    &r.facts,
                ],
            )?;
            let status = if n == 1 {
                AckStatus::Stored
            } else {
                match tx.query_opt(&owner, &[&r.id])? {
                    Some(row) if row.get::<_, String>(0) != u => return Err(StoreError::OtherUnit(s.id)),
                    _ => AckStatus::Ignored,
                }
            };
            acks.push(status);
        }
        let statuses = Statuses { summaries: acks, persons };
        console::note_sync(&mut tx, device, &batch.summaries, &statuses)?;
        tx.commit()?;
        Ok(statuses)
    }

    fn summaries(&self, units: Option<&[Uuid]>, from: NaiveDate, to: NaiveDate) -> Result<Vec<Stored>> {
        let rows = self.client().query(
            &format!(
                "SELECT {SUMMARY_COLUMNS} FROM summaries
                 WHERE date BETWEEN $1 AND $2 AND ($3::TEXT[] IS NULL OR unit_id = ANY($3)) AND NOT deleted ORDER BY date, id"
            ),
            &[&from, &to, &unit_list(units)],
        )?;
        rows.iter()
            .map(|r| {
                let (row, unit) = Row::read(r)?;
                row.summary(&unit)
            })
            .collect()
    }

    fn persons(&self, units: Option<&[Uuid]>, from: NaiveDate, to: NaiveDate) -> Result<Vec<PersonSummary>> {
        let rows = self.client().query(
            &format!(
                "SELECT {PERSON_COLUMNS} FROM person_summaries
                 WHERE date_from = $1 AND date_to = $2 AND ($3::TEXT[] IS NULL OR unit_id = ANY($3))
                 ORDER BY unit_id, device_id, activity, province"
            ),
            &[&from, &to, &unit_list(units)],
        )?;
        rows.iter().map(|r| PersonRow::read(r)?.summary()).collect()
    }

    fn add_period(&self, name: &str, from: NaiveDate, to: NaiveDate) -> Result<PublishedPeriod> {
        let mut c = self.client();
        if c.query_opt("SELECT 1 FROM periods WHERE name = $1", &[&name])?.is_some() {
            return Err(period_taken(name));
        }
        c.execute(
            "INSERT INTO periods (name, date_from, date_to, created_at) VALUES ($1, $2, $3, $4)",
            &[&name, &from, &to, &Utc::now().to_rfc3339()],
        )?;
        Ok(PublishedPeriod { name: name.to_owned(), from, to })
    }

    fn periods(&self) -> Result<Vec<PublishedPeriod>> {
        let rows = self
            .client()
            .query("SELECT name, date_from, date_to FROM periods ORDER BY date_from, date_to, name", &[])?;
        rows.iter()
            .map(|r| Ok(PublishedPeriod { name: r.try_get(0)?, from: r.try_get(1)?, to: r.try_get(2)? }))
            .collect()
    }

    fn add_mapping_night(&self, night: NaiveDate) -> Result<bool> {
        let n = self.client().execute(
            "INSERT INTO mapping_nights (night, created_at) VALUES ($1, $2) ON CONFLICT (night) DO NOTHING",
            &[&night, &Utc::now().to_rfc3339()],
        )?;
        Ok(n > 0)
    }

    fn remove_mapping_night(&self, night: NaiveDate) -> Result<bool> {
        Ok(self.client().execute("DELETE FROM mapping_nights WHERE night = $1", &[&night])? > 0)
    }

    fn mapping_nights(&self) -> Result<Vec<NaiveDate>> {
        let rows = self.client().query("SELECT night FROM mapping_nights ORDER BY night", &[])?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }
}
