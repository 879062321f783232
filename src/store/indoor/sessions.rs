//! Indoor sessions: starting, listing and counting them, and the one life (close, reopen,
//! delete) they share with outings.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde::Serialize;
use uuid::Uuid;

use super::stats::{PERSONS_REACHED, REACHING_CALLS};
use crate::domain::indoor::IndoorSession;
use crate::domain::rules;
use crate::domain::{Language, OutingStatus, Province};
use crate::store::lifecycle::{Lived, NEWEST_FIRST, ensure_open, touch};
use crate::store::records::{count_at, time_at, uuid_at};
use crate::store::{Record, Result, Store};

/// What starting a session needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIndoorSession {
    /// When it starts (its date is the day in Europe/Rome).
    pub started_at: DateTime<Utc>,
    /// Province of the ads.
    pub province: Province,
    /// Operators at work.
    pub operators: u8,
    /// The mediator's language, if one is present.
    pub mediator_language: Option<Language>,
}

/// A session's funnel so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SessionCounts {
    /// Ads mapped.
    pub ads: u64,
    /// Calls made.
    pub calls: u64,
    /// Messages sent.
    pub messages: u64,
    /// Persons reached by a call in the session ("contatti svolti"): distinct numbers, an
    /// attempt without a number counting as one; messages are never contacts.
    pub contacts: u64,
    /// Persons met.
    pub met: u64,
    /// Persons contacted in massage centres.
    pub massage: u64,
}

/// A session with its counts, for lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndoorOverview {
    /// The session.
    #[serde(flatten)]
    pub session: IndoorSession,
    /// Its funnel.
    pub counts: SessionCounts,
}

impl Lived for IndoorSession {
    const KIND: Record = Record::Session;
    const COLUMNS: &'static str =
        "id, date, operators, mediator_language, province, status, started_at, ended_at, revision";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<IndoorSession> {
        Ok(IndoorSession {
            id: uuid_at(r, 0)?,
            date: r.get(1)?,
            operators: r.get(2)?,
            mediator_language: r.get(3)?,
            province: r.get(4)?,
            status: r.get(5)?,
            started_at: time_at(r, 6)?,
            ended_at: time_at(r, 7)?,
            revision: r.get(8)?,
        })
    }

    fn insert(&self, tx: &Transaction<'_>, unit: Uuid, import_id: Option<i64>) -> Result<()> {
        insert_session(tx, unit, self, import_id)
    }
}

/// Writes a session (a new one, or one built by an import).
pub(super) fn insert_session(
    tx: &Transaction<'_>,
    unit: Uuid,
    s: &IndoorSession,
    import_id: Option<i64>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO indoor_sessions (id, unit_id, date, province, operators, mediator_language, status, started_at,
                                      ended_at, revision, import_id, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        s.id.to_string(),
        unit.to_string(),
        s.date,
        s.province,
        s.operators,
        s.mediator_language,
        s.status,
        s.started_at.map(|t| t.to_rfc3339()),
        s.ended_at.map(|t| t.to_rfc3339()),
        s.revision,
        import_id,
        Utc::now().to_rfc3339(),
    ])?;
    Ok(())
}

impl Store {
    /// Starts an indoor session.
    pub fn start_indoor_session(&mut self, new: &NewIndoorSession) -> Result<IndoorSession> {
        rules::check_operators(new.operators)?;
        let session = IndoorSession {
            id: Uuid::new_v4(),
            date: new.started_at.with_timezone(&chrono_tz::Europe::Rome).date_naive(),
            operators: new.operators,
            mediator_language: new.mediator_language,
            province: new.province,
            status: OutingStatus::Open,
            started_at: Some(new.started_at),
            ended_at: None,
            revision: 1,
        };
        self.begin(session)
    }

    /// One session.
    pub fn indoor_session(&self, id: Uuid) -> Result<IndoorSession> {
        self.lived(id)
    }

    /// Every session with its counts, newest first.
    pub fn list_indoor_sessions(&self) -> Result<Vec<IndoorOverview>> {
        let sessions: Vec<IndoorSession> = self.lived_rows(NEWEST_FIRST)?;
        let mut counts: HashMap<String, SessionCounts> = HashMap::new();
        let queries: [&str; 5] = [
            "SELECT session_id, 'ads', count(*) FROM indoor_ads GROUP BY session_id",
            "SELECT session_id, CASE WHEN channel = 'call' THEN 'calls' ELSE 'messages' END, count(*)
             FROM indoor_attempts GROUP BY 1, 2",
            &format!("SELECT x.session_id, 'contacts', {PERSONS_REACHED} {REACHING_CALLS} GROUP BY x.session_id"),
            "SELECT session_id, 'met', count(*) FROM indoor_meetings GROUP BY session_id",
            "SELECT session_id, 'massage', count(*) FROM massage_contacts GROUP BY session_id",
        ];
        for q in queries {
            let mut st = self.conn.prepare_cached(q)?;
            for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, count_at(r, 2)?)))? {
                let (sid, what, n) = row?;
                let c = counts.entry(sid).or_default();
                match what.as_str() {
                    "ads" => c.ads = n,
                    "calls" => c.calls = n,
                    "messages" => c.messages = n,
                    "contacts" => c.contacts = n,
                    "met" => c.met = n,
                    _ => c.massage = n,
                }
            }
        }
        Ok(sessions
            .into_iter()
            .map(|s| IndoorOverview { counts: counts.remove(&s.id.to_string()).unwrap_or_default(), session: s })
            .collect())
    }

    /// The counts of one session.
    pub fn session_counts(&self, id: Uuid) -> Result<SessionCounts> {
        let sid = id.to_string();
        let one = |q: &str| -> Result<u64> { Ok(self.conn.query_row(q, [&sid], |r| count_at(r, 0))?) };
        Ok(SessionCounts {
            ads: one("SELECT count(*) FROM indoor_ads WHERE session_id = ?1")?,
            calls: one("SELECT count(*) FROM indoor_attempts WHERE session_id = ?1 AND channel = 'call'")?,
            messages: one("SELECT count(*) FROM indoor_attempts WHERE session_id = ?1 AND channel <> 'call'")?,
            contacts: one(&format!("SELECT {PERSONS_REACHED} {REACHING_CALLS} AND x.session_id = ?1"))?,
            met: one("SELECT count(*) FROM indoor_meetings WHERE session_id = ?1")?,
            massage: one("SELECT count(*) FROM massage_contacts WHERE session_id = ?1")?,
        })
    }

    /// Ends a session.
    pub fn close_indoor_session(&mut self, id: Uuid, ended_at: DateTime<Utc>) -> Result<()> {
        self.set_status(Record::Session, id, OutingStatus::Closed, Some(ended_at))
    }

    /// Reopens a closed session for corrections.
    pub fn reopen_indoor_session(&mut self, id: Uuid) -> Result<()> {
        self.set_status(Record::Session, id, OutingStatus::Open, None)
    }

    /// Deletes an indoor session; once synced, a tombstone revision tells the server.
    pub fn delete_indoor_session(&mut self, id: Uuid) -> Result<()> {
        self.delete_record(Record::Session, id)
    }

    /// Takes back the last thing recorded in an open session (an ad with its attempts, an
    /// attempt, a meeting or a massage contact); returns what it was.
    pub fn undo_last_indoor(&mut self, session: Uuid) -> Result<Option<&'static str>> {
        let sid = session.to_string();
        let tx = self.write()?;
        ensure_open(&tx, Record::Session, &sid)?;
        let last: Option<(String, i64)> = tx
            .query_row(
                "SELECT t, id FROM (
                   SELECT 'indoor_ads' AS t, id, recorded_at FROM indoor_ads WHERE session_id = ?1
                   UNION ALL SELECT 'indoor_attempts', id, recorded_at FROM indoor_attempts WHERE session_id = ?1
                   UNION ALL SELECT 'indoor_meetings', id, recorded_at FROM indoor_meetings WHERE session_id = ?1
                   UNION ALL SELECT 'massage_contacts', id, recorded_at FROM massage_contacts WHERE session_id = ?1)
                 ORDER BY recorded_at DESC, id DESC LIMIT 1",
                [&sid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((table, id)) = last else { return Ok(None) };
        let what = match table.as_str() {
            "indoor_ads" => "ad",
            "indoor_attempts" => "attempt",
            "indoor_meetings" => "meeting",
            _ => "massage",
        };
        tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])?;
        touch(&tx, Record::Session, &sid)?;
        tx.commit()?;
        Ok(Some(what))
    }
}
