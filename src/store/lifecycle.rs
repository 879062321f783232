//! One life for outings and indoor sessions: open while recording, closed when done,
//! reopened to correct; every change after a sync bumps the revision once; deleting a
//! synced one leaves a tombstone so the server drops it too. The same code serves both
//! tables, parameterised by [`Record`].

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use uuid::Uuid;

use super::records::{all_rows, by_id, uuid_at};
use super::{Record, Result, Store, StoreError};
use crate::domain::{Activity, OutingStatus, Province, Shift};
use crate::wire::Head;

impl Record {
    /// Both kinds.
    pub(super) const ALL: [Record; 2] = [Record::Outing, Record::Session];

    /// The table its rows live in.
    pub(super) fn table(self) -> &'static str {
        match self {
            Record::Outing => "outings",
            Record::Session => "indoor_sessions",
        }
    }

    /// The query of what a tombstone says of one (`id = ?1`): id, activity, date, shift,
    /// province (an outing's first stop's, NULL without stops), revision and the revision
    /// the server has.
    fn tombstone_sql(self) -> &'static str {
        match self {
            Record::Outing => {
                "SELECT o.id, o.activity, o.date, o.shift,
                        (SELECT s.province FROM stops s WHERE s.outing_id = o.id ORDER BY s.id LIMIT 1),
                        o.revision, o.synced_revision
                 FROM outings o WHERE o.id = ?1"
            }
            Record::Session => {
                "SELECT id, 'indoor', date, 'day', province, revision, synced_revision FROM indoor_sessions WHERE id = ?1"
            }
        }
    }
}

/// A record with this life, as its rows are read and written: an [`Outing`] or an
/// [`IndoorSession`].
///
/// [`Outing`]: crate::domain::Outing
/// [`IndoorSession`]: crate::domain::indoor::IndoorSession
pub(super) trait Lived: Sized {
    /// Which kind it is.
    const KIND: Record;
    /// The columns [`Lived::from_row`] reads, in order.
    const COLUMNS: &'static str;
    /// One read from a row of [`Lived::COLUMNS`].
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self>;
    /// Writes it, new or imported (`import_id`), as a record of `unit` (an outing names
    /// its own unit).
    fn insert(&self, tx: &Transaction<'_>, unit: Uuid, import_id: Option<i64>) -> Result<()>;
}

/// The order of lists of records: newest first.
pub(super) const NEWEST_FIRST: &str = "ORDER BY date DESC, started_at DESC, rowid DESC";

/// The open record `id`, or why it cannot take changes.
pub(super) fn ensure_open(tx: &Transaction<'_>, what: Record, id: &str) -> Result<()> {
    let status: Option<OutingStatus> = tx
        .prepare_cached(&format!("SELECT status FROM {} WHERE id = ?1", what.table()))?
        .query_row([id], |r| r.get(0))
        .optional()?;
    match status {
        None => Err(StoreError::not_found(what, id)),
        Some(OutingStatus::Open) => Ok(()),
        Some(OutingStatus::Closed) => Err(StoreError::Closed { what }),
    }
}

/// Marks a record changed: after a sync, the first change bumps the revision so the
/// summary is sent again; before any sync nothing needs writing. A revision the server
/// refused counts as sent: the first change after it bumps too, so the correction goes.
pub(super) fn touch(tx: &Transaction<'_>, what: Record, id: &str) -> Result<()> {
    tx.prepare_cached(&format!(
        "UPDATE {t} SET revision = revision + 1, updated_at = ?2 WHERE id = ?1 AND (revision = synced_revision
         OR EXISTS (SELECT 1 FROM refused_summaries f WHERE f.id = {t}.id AND f.revision = {t}.revision))",
        t = what.table()
    ))?
    .execute(params![id, Utc::now().to_rfc3339()])?;
    Ok(())
}

/// A record about to be deleted: its tombstone, when the server has to hear of it.
fn tombstone_of(conn: &rusqlite::Connection, what: Record, id: Uuid) -> Result<Option<Head>> {
    let row = conn
        .prepare_cached(what.tombstone_sql())?
        .query_row([id.to_string()], |r| {
            let province: Option<Province> = r.get(4)?;
            let synced: u32 = r.get(6)?;
            let (activity, date, shift): (Activity, NaiveDate, Shift) = (r.get(1)?, r.get(2)?, r.get(3)?);
            // The deletion is one more change.
            let revision = r.get::<_, u32>(5)? + 1;
            let id = uuid_at(r, 0)?;
            Ok(province.filter(|_| synced > 0).map(|province| Head { id, revision, activity, date, shift, province }))
        })
        .optional()?;
    row.ok_or_else(|| StoreError::not_found(what, id))
}

impl Store {
    /// Writes a new record of this unit in one transaction; returns it.
    pub(super) fn begin<T: Lived>(&mut self, record: T) -> Result<T> {
        let unit = self.unit_id;
        let tx = self.write()?;
        record.insert(&tx, unit, None)?;
        tx.commit()?;
        Ok(record)
    }

    /// The record `id`.
    pub(super) fn lived<T: Lived>(&self, id: Uuid) -> Result<T> {
        let sql = format!("SELECT {} FROM {} WHERE id = ?1", T::COLUMNS, T::KIND.table());
        by_id(&self.conn, &sql, id.to_string(), T::KIND.into(), T::from_row)
    }

    /// The records `tail` (a `WHERE` and an `ORDER BY`) selects.
    pub(super) fn lived_rows<T: Lived>(&self, tail: &str) -> Result<Vec<T>> {
        let sql = format!("SELECT {} FROM {} {tail}", T::COLUMNS, T::KIND.table());
        all_rows(&self.conn, &sql, [], T::from_row)
    }

    /// Closes (with its end time) or reopens a record.
    pub(super) fn set_status(
        &mut self,
        what: Record,
        id: Uuid,
        status: OutingStatus,
        ended_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        let tx = self.write()?;
        let n = tx.execute(
            &format!(
                "UPDATE {} SET status = ?2, ended_at = coalesce(?3, ended_at), updated_at = ?4 WHERE id = ?1",
                what.table()
            ),
            params![id.to_string(), status, ended_at.map(|t| t.to_rfc3339()), Utc::now().to_rfc3339()],
        )?;
        if n == 0 {
            return Err(StoreError::not_found(what, id));
        }
        touch(&tx, what, &id.to_string())?;
        tx.commit()?;
        Ok(())
    }

    /// Deletes a record with everything in it; once synced, a tombstone revision tells
    /// the server (an outing that never had a stop was never sent).
    pub(super) fn delete_record(&mut self, what: Record, id: Uuid) -> Result<()> {
        let tombstone = tombstone_of(&self.conn, what, id)?;
        let tx = self.write()?;
        let persons = match what {
            Record::Outing => super::persons::persons_of_outing(&tx, &id.to_string())?,
            Record::Session => Vec::new(),
        };
        tx.execute(&format!("DELETE FROM {} WHERE id = ?1", what.table()), [id.to_string()])?;
        super::persons::rebuild(&tx, persons)?;
        if let Some(t) = tombstone {
            tx.execute(
                "INSERT INTO sync_tombstones (id, activity, date, shift, province, revision)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (id) DO UPDATE SET revision = excluded.revision",
                params![t.id.to_string(), t.activity, t.date, t.shift, t.province, t.revision],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}
