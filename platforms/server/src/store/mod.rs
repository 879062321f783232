//! The server's store: a small trait, one module per backend (SQLite, the embedded
//! default; PostgreSQL for networks that outgrow one machine), each with its own
//! append-only migrations. Every method is one transaction.

pub mod console;
pub mod guard;
pub mod pg_tls;
mod postgres;
pub mod sql;
mod sqlite;

use chrono::{DateTime, NaiveDate, Utc};
use lanterna::wire::{AckStatus, Batch, PersonSummary, PublishedPeriod, Summary};
use serde::Serialize;
use uuid::Uuid;

pub use self::postgres::Postgres;
pub use self::sqlite::Sqlite;

/// What can go wrong in a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A summary that belongs to another unit: nothing of the batch was stored.
    #[error("summary {0} belongs to another unit")]
    OtherUnit(Uuid),
    /// A name or id that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// A name already taken.
    #[error("{0}")]
    Conflict(String),
    /// Summaries or periods' persons that would change a period a coordinator closed:
    /// nothing of the batch was stored.
    #[error("{} summaries and {} periods' persons fall in a period closed by the coordinator", summaries.len(), persons.len())]
    Closed {
        /// The summaries refused.
        summaries: Vec<Uuid>,
        /// The periods' persons refused.
        persons: Vec<lanterna::wire::PersonKey>,
    },
    /// The database.
    #[error("database error: {0}")]
    Db(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Db(e.to_string())
    }
}

impl From<::postgres::Error> for StoreError {
    fn from(e: ::postgres::Error) -> Self {
        StoreError::Db(e.to_string())
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Db(e.to_string())
    }
}

/// Store results.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An outreach unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// Its id.
    pub id: Uuid,
    /// Its name (set by the network's admin, never by a device).
    pub name: String,
    /// When it was added.
    pub created_at: DateTime<Utc>,
}

/// An enrolled device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    /// Its id.
    pub id: Uuid,
    /// Its unit.
    pub unit: Uuid,
    /// When it enrolled.
    pub enrolled_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A stored summary with its unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stored {
    /// The unit that sent it.
    pub unit: Uuid,
    /// The summary.
    #[serde(flatten)]
    pub summary: Summary,
}

/// What a store did with a batch, in the batch's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statuses {
    /// One per summary.
    pub summaries: Vec<AckStatus>,
    /// One per period's persons.
    pub persons: Vec<AckStatus>,
}

/// The store every backend provides. Token and code arguments are SHA-256 hashes (hex):
/// the clear values are shown once and never stored.
pub trait Backend: Send + Sync + 'static {
    /// Adds a unit; names are unique.
    fn add_unit(&self, name: &str) -> Result<Unit>;
    /// Every unit.
    fn units(&self) -> Result<Vec<Unit>>;
    /// Keeps a one-time enrollment code for a unit until `expires_at`.
    fn add_enrollment(&self, unit: Uuid, code_hash: &str, expires_at: DateTime<Utc>) -> Result<()>;
    /// Trades a valid code for a new device with `token_hash`; the code is used up.
    fn redeem(&self, code_hash: &str, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Device>>;
    /// The device of a token, unless revoked.
    fn device_by_token(&self, token_hash: &str) -> Result<Option<Device>>;
    /// Every device.
    fn devices(&self) -> Result<Vec<Device>>;
    /// Revokes a device at once; false when there is no such device.
    fn revoke(&self, device: Uuid, now: DateTime<Utc>) -> Result<bool>;
    /// Runs `f` in one transaction (a write transaction when `write`), committed when
    /// `f` returns `Ok`: the SQL of the console's store (`console.rs`), written once.
    fn with_tx(&self, write: bool, f: &mut dyn FnMut(&mut dyn sql::Tx) -> Result<()>) -> Result<()>;
    /// Stores a device's batch in one transaction: a summary replaces the stored one only
    /// with a higher revision, and so do a period's persons (per device, period, activity
    /// and province). A summary of another unit fails the whole batch, and so does
    /// anything that would change a period closed for the unit ([`StoreError::Closed`]).
    /// The device is noted as the sender of what was stored, and its last sync.
    fn store(&self, device: &Device, batch: &Batch, now: DateTime<Utc>) -> Result<Statuses>;
    /// Summaries dated within `from..=to` (of some units, or all), tombstones excluded.
    fn summaries(&self, units: Option<&[Uuid]>, from: NaiveDate, to: NaiveDate) -> Result<Vec<Stored>>;
    /// The latest persons of every device (of some units, or all) for exactly the period
    /// `from..=to`.
    fn persons(&self, units: Option<&[Uuid]>, from: NaiveDate, to: NaiveDate) -> Result<Vec<PersonSummary>>;
    /// Adds a named reporting period; names are unique.
    fn add_period(&self, name: &str, from: NaiveDate, to: NaiveDate) -> Result<PublishedPeriod>;
    /// The named periods, oldest first.
    fn periods(&self) -> Result<Vec<PublishedPeriod>>;
    /// Adds a national mapping night; false when it was already set.
    fn add_mapping_night(&self, night: NaiveDate) -> Result<bool>;
    /// Removes a mapping night; false when it was not set.
    fn remove_mapping_night(&self, night: NaiveDate) -> Result<bool>;
    /// The mapping nights, oldest first.
    fn mapping_nights(&self) -> Result<Vec<NaiveDate>>;
}

/// What differs between the backends' schemas: their own files of schemas 1 and 2 and of
/// the audit trail's trigger, and their types for an auto-numbered key, a 64-bit integer
/// and a day (schema 3 is shared text with those filled in).
pub(crate) struct Dialect {
    /// Schema 1.
    pub initial: &'static str,
    /// Schema 2.
    pub persons: &'static str,
    /// The audit trail's append-only trigger of schema 3.
    pub audit: &'static str,
    /// An auto-numbered primary key.
    pub serial: &'static str,
    /// A 64-bit integer.
    pub bigint: &'static str,
    /// A day.
    pub date: &'static str,
}

impl Dialect {
    /// The migrations, in order.
    pub(crate) fn migrations(&self) -> Vec<std::borrow::Cow<'static, str>> {
        let shared = include_str!("migrations/shared/0003_console.sql");
        let console =
            shared.replace("{serial}", self.serial).replace("{bigint}", self.bigint).replace("{date}", self.date)
                + self.audit;
        let guard = include_str!("migrations/shared/0004_guard.sql");
        let facts = include_str!("migrations/shared/0005_facts.sql");
        let mapping = include_str!("migrations/shared/0006_mapping.sql").replace("{date}", self.date);
        vec![self.initial.into(), self.persons.into(), console.into(), guard.into(), facts.into(), mapping.into()]
    }
}

/// Opens the store a URL names: `sqlite://PATH` or `postgres://...`.
pub fn open(url: &str) -> anyhow::Result<Box<dyn Backend>> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        return Ok(Box::new(Sqlite::open(std::path::Path::new(path))?));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Box::new(Postgres::connect(url)?));
    }
    anyhow::bail!("--db {url}: expected sqlite://PATH or postgres://USER@HOST/DB")
}

/// What a column of either backend can be read as: both drivers convert it.
pub(crate) trait Cell: rusqlite::types::FromSql + for<'a> ::postgres::types::FromSql<'a> {}

impl<T: rusqlite::types::FromSql + for<'a> ::postgres::types::FromSql<'a>> Cell for T {}

/// A result row of either backend, read column by column.
pub(crate) trait Cells {
    /// The driver's error.
    type Error;
    /// Column `i`.
    fn cell<T: Cell>(&self, i: usize) -> Result<T, Self::Error>;
}

/// The columns [`Row::read`] reads, in order: a summary, then its unit.
pub(crate) const SUMMARY_COLUMNS: &str =
    "id, revision, deleted, activity, date, shift, province, comuni, cells, facts, unit_id";

/// What a summary says besides its cells, kept as JSON in `summaries.facts`.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Facts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    team: Option<lanterna::domain::outreach::Team>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    mapping: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session: Option<lanterna::domain::outreach::SessionFacts>,
}

/// The columns a summary is kept in, shared by the backends: its cells and comuni as JSON.
pub(crate) struct Row {
    pub id: String,
    pub revision: i64,
    pub deleted: bool,
    pub activity: String,
    pub date: NaiveDate,
    pub shift: String,
    pub province: String,
    pub comuni: String,
    pub cells: String,
    pub facts: String,
}

impl Row {
    pub(crate) fn of(s: &Summary) -> Result<Row> {
        Ok(Row {
            id: s.id.to_string(),
            revision: i64::from(s.revision),
            deleted: s.deleted,
            activity: s.activity.code().to_owned(),
            date: s.date,
            shift: s.shift.code().to_owned(),
            province: s.province.code().to_owned(),
            comuni: serde_json::to_string(&s.comuni)?,
            cells: serde_json::to_string(&s.cells)?,
            facts: serde_json::to_string(&Facts {
                team: s.team,
                minutes: s.minutes,
                mapping: s.mapping,
                session: s.session,
            })?,
        })
    }

    /// A stored summary and its unit, from a row of [`SUMMARY_COLUMNS`].
    pub(crate) fn read<C: Cells>(r: &C) -> Result<(Row, String), C::Error> {
        let row = Row {
            id: r.cell(0)?,
            revision: r.cell(1)?,
            deleted: r.cell(2)?,
            activity: r.cell(3)?,
            date: r.cell(4)?,
            shift: r.cell(5)?,
            province: r.cell(6)?,
            comuni: r.cell(7)?,
            cells: r.cell(8)?,
            facts: r.cell(9)?,
        };
        Ok((row, r.cell(10)?))
    }

    pub(crate) fn summary(self, unit: &str) -> Result<Stored> {
        let bad = |e: String| StoreError::Db(format!("stored summary {}: {e}", self.id));
        let facts: Facts = serde_json::from_str(&self.facts)?;
        Ok(Stored {
            unit: Uuid::parse_str(unit).map_err(|e| bad(e.to_string()))?,
            summary: Summary {
                id: Uuid::parse_str(&self.id).map_err(|e| bad(e.to_string()))?,
                revision: u32::try_from(self.revision).map_err(|e| bad(e.to_string()))?,
                deleted: self.deleted,
                activity: lanterna::domain::Activity::parse(&self.activity).map_err(|e| bad(e.to_string()))?,
                date: self.date,
                shift: lanterna::domain::Shift::parse(&self.shift).map_err(|e| bad(e.to_string()))?,
                province: lanterna::domain::Province::parse(&self.province).map_err(|e| bad(e.to_string()))?,
                comuni: serde_json::from_str(&self.comuni)?,
                cells: serde_json::from_str(&self.cells)?,
                team: facts.team,
                minutes: facts.minutes,
                mapping: facts.mapping,
                session: facts.session,
            },
        })
    }
}

/// What to do with one summary, given the stored unit and revision of its id.
pub(crate) fn decide(unit: Uuid, incoming: &Summary, existing: Option<(String, i64)>) -> Result<AckStatus> {
    match existing {
        Some((u, _)) if u != unit.to_string() => Err(StoreError::OtherUnit(incoming.id)),
        Some((_, rev)) if rev >= i64::from(incoming.revision) => Ok(AckStatus::Ignored),
        _ => Ok(AckStatus::Stored),
    }
}

/// The columns [`PersonRow::read`] reads, in order.
pub(crate) const PERSON_COLUMNS: &str = "date_from, date_to, activity, province, revision, cells";

/// The columns a period's persons are kept in, shared by the backends: cells as JSON.
pub(crate) struct PersonRow {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub activity: String,
    pub province: String,
    pub revision: i64,
    pub cells: String,
}

impl PersonRow {
    pub(crate) fn of(p: &PersonSummary) -> Result<PersonRow> {
        Ok(PersonRow {
            from: p.from,
            to: p.to,
            activity: p.activity.code().to_owned(),
            province: p.province.code().to_owned(),
            revision: i64::from(p.revision),
            cells: serde_json::to_string(&p.cells)?,
        })
    }

    /// A row of [`PERSON_COLUMNS`].
    pub(crate) fn read<C: Cells>(r: &C) -> Result<PersonRow, C::Error> {
        Ok(PersonRow {
            from: r.cell(0)?,
            to: r.cell(1)?,
            activity: r.cell(2)?,
            province: r.cell(3)?,
            revision: r.cell(4)?,
            cells: r.cell(5)?,
        })
    }

    pub(crate) fn summary(self) -> Result<PersonSummary> {
        let bad = |e: String| StoreError::Db(format!("stored persons {}..{}: {e}", self.from, self.to));
        Ok(PersonSummary {
            from: self.from,
            to: self.to,
            activity: lanterna::domain::Activity::parse(&self.activity).map_err(|e| bad(e.to_string()))?,
            province: lanterna::domain::Province::parse(&self.province).map_err(|e| bad(e.to_string()))?,
            revision: u32::try_from(self.revision).map_err(|e| bad(e.to_string()))?,
            cells: serde_json::from_str(&self.cells)?,
        })
    }
}

/// Keeps a period's persons unless the stored revision is as high: one row changed means
/// stored. Parameters `$1..$9` in order (SQLite numbers `$N` by first appearance, as
/// PostgreSQL does): device, unit, from, to, activity, province, revision, cells, time.
pub(crate) const PERSONS_UPSERT: &str =
    "INSERT INTO person_summaries (device_id, unit_id, date_from, date_to, activity, province, revision, cells,
                                   received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (device_id, date_from, date_to, activity, province) DO UPDATE SET revision = excluded.revision,
        cells = excluded.cells, received_at = excluded.received_at
     WHERE person_summaries.revision < excluded.revision";

/// The status of one period's persons from the rows [`PERSONS_UPSERT`] changed.
pub(crate) fn person_status(changed: u64) -> AckStatus {
    if changed == 1 { AckStatus::Stored } else { AckStatus::Ignored }
}

/// The error of a period name already taken.
pub(crate) fn period_taken(name: &str) -> StoreError {
    StoreError::Conflict(format!("a period named '{name}' exists already (lanterna-server period list)"))
}
