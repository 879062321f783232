//! What the phone keeps for sync: the endpoint and its token (inside the encrypted file),
//! which closed outings and sessions still need sending (revision above the last one the
//! server acknowledged), tombstones of deleted ones, and the last result in plain words.
//! Open outings are never sent: where a unit is right now does not leave the phone.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::outings::{conv, parse_uuid};
use super::{Result, Store, StoreError};
use crate::domain::{Activity, Comune, Province, Shift};
use crate::wire::{Ack, Summary};

const URL_KEY: &str = "sync_url";
const TOKEN_KEY: &str = "sync_token";
const STATUS_KEY: &str = "sync_status";

/// The last sync, for the app's status line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    /// When a sync last finished without error.
    pub last_success: Option<DateTime<Utc>>,
    /// When one was last tried.
    pub last_attempt: Option<DateTime<Utc>>,
    /// What went wrong last time, in words; `None` after a success.
    pub last_error: Option<String>,
}

/// Where to sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The server's base URL.
    pub url: String,
    /// This device's token.
    pub token: String,
}

/// The tables summaries come from.
const SOURCES: [&str; 3] = ["outings", "indoor_sessions", "sync_tombstones"];

impl Store {
    fn secret_text(&self, name: &str) -> Result<Option<String>> {
        let v: Option<Vec<u8>> =
            self.conn.query_row("SELECT value FROM secrets WHERE name = ?1", [name], |r| r.get(0)).optional()?;
        Ok(v.map(|b| String::from_utf8_lossy(&b).into_owned()))
    }

    /// The endpoint this device enrolled with, if any.
    pub fn sync_endpoint(&self) -> Result<Option<Endpoint>> {
        Ok(match (self.secret_text(URL_KEY)?, self.secret_text(TOKEN_KEY)?) {
            (Some(url), Some(token)) => Some(Endpoint { url, token }),
            _ => None,
        })
    }

    /// Keeps the endpoint and token after enrolling.
    pub fn set_sync_endpoint(&mut self, e: &Endpoint) -> Result<()> {
        let tx = self.write()?;
        for (k, v) in [(URL_KEY, &e.url), (TOKEN_KEY, &e.token)] {
            tx.execute(
                "INSERT INTO secrets (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                params![k, v.as_bytes()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The last sync's result.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        Ok(self.setting(STATUS_KEY)?.unwrap_or_default())
    }

    /// Records a sync's result.
    pub fn set_sync_status(&mut self, status: &SyncStatus) -> Result<()> {
        self.put_setting(STATUS_KEY, status)
    }

    /// How many summaries wait to be sent.
    pub fn pending_count(&self) -> Result<u64> {
        let mut n = 0i64;
        for q in [
            "SELECT count(*) FROM outings o WHERE status = 'closed' AND revision > synced_revision
             AND EXISTS (SELECT 1 FROM stops s WHERE s.outing_id = o.id)",
            "SELECT count(*) FROM indoor_sessions WHERE status = 'closed' AND revision > synced_revision",
            "SELECT count(*) FROM sync_tombstones WHERE revision > synced_revision",
        ] {
            n += self.conn.query_row(q, [], |r| r.get::<_, i64>(0))?;
        }
        Ok(n.max(0) as u64)
    }

    /// Up to `limit` summaries waiting to be sent: closed outings and sessions changed
    /// since the server last acknowledged them, and tombstones.
    pub fn pending_summaries(&self, limit: usize) -> Result<Vec<Summary>> {
        let mut out = Vec::new();
        let lim = limit as i64;
        let mut st = self.conn.prepare_cached(
            "SELECT o.id, o.revision FROM outings o WHERE o.status = 'closed' AND o.revision > o.synced_revision
             AND EXISTS (SELECT 1 FROM stops s WHERE s.outing_id = o.id) ORDER BY o.date, o.id LIMIT ?1",
        )?;
        let outings: Vec<(Uuid, u32)> =
            st.query_map([lim], |r| Ok((parse_uuid(r.get(0)?)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        for (id, revision) in outings {
            out.push(self.outing_summary(id, revision)?);
        }
        let mut st = self.conn.prepare_cached(
            "SELECT id, revision FROM indoor_sessions WHERE status = 'closed' AND revision > synced_revision
             ORDER BY date, id LIMIT ?1",
        )?;
        let sessions: Vec<(Uuid, u32)> = st
            .query_map([limit.saturating_sub(out.len()) as i64], |r| Ok((parse_uuid(r.get(0)?)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, revision) in sessions {
            out.push(self.session_summary(id, revision)?);
        }
        let mut st = self.conn.prepare_cached(
            "SELECT id, revision, activity, date, shift, province FROM sync_tombstones
             WHERE revision > synced_revision ORDER BY id LIMIT ?1",
        )?;
        let rows = st.query_map([limit.saturating_sub(out.len()) as i64], |r| {
            Ok(Summary {
                id: parse_uuid(r.get(0)?)?,
                revision: r.get(1)?,
                deleted: true,
                activity: conv(Activity::parse(&r.get::<_, String>(2)?))?,
                date: r.get(3)?,
                shift: conv(Shift::parse(&r.get::<_, String>(4)?))?,
                province: conv(Province::parse(&r.get::<_, String>(5)?))?,
                comuni: Vec::new(),
                cells: Vec::new(),
            })
        })?;
        for s in rows {
            out.push(s?);
        }
        Ok(out)
    }

    fn outing_summary(&self, id: Uuid, revision: u32) -> Result<Summary> {
        let outing = self.outing(id)?;
        let stops = self.stops(id)?;
        let province =
            stops.first().map(|s| s.place.province).ok_or_else(|| StoreError::Conflict("no stops".into()))?;
        let comuni: BTreeSet<Comune> = stops.iter().filter_map(|s| s.place.comune).collect();
        Ok(Summary {
            id,
            revision,
            deleted: false,
            activity: outing.activity,
            date: outing.date,
            shift: outing.shift,
            province,
            comuni: comuni.into_iter().collect(),
            cells: Summary::cells_of(&self.outing_tally(id)?, province),
        })
    }

    fn session_summary(&self, id: Uuid, revision: u32) -> Result<Summary> {
        let s = self.indoor_session(id)?;
        let mut st = self.conn.prepare_cached(
            "SELECT comune FROM indoor_ads WHERE session_id = ?1 AND comune IS NOT NULL
             UNION SELECT comune FROM massage_contacts WHERE session_id = ?1 AND comune IS NOT NULL",
        )?;
        let comuni: BTreeSet<Comune> = st
            .query_map([id.to_string()], |r| conv(Comune::parse(&r.get::<_, String>(0)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Summary {
            id,
            revision,
            deleted: false,
            activity: Activity::Indoor,
            date: s.date,
            shift: Shift::Day,
            province: s.province,
            comuni: comuni.into_iter().collect(),
            cells: Summary::cells_of(&self.session_tally(id)?, s.province),
        })
    }

    /// Notes what the server acknowledged (stored or ignored: either way it has that
    /// revision or a newer one), in one transaction.
    pub fn mark_synced(&mut self, acks: &[Ack]) -> Result<()> {
        let tx = self.write()?;
        for a in acks {
            for table in SOURCES {
                tx.prepare_cached(&format!(
                    "UPDATE {table} SET synced_revision = max(synced_revision, ?2) WHERE id = ?1"
                ))?
                .execute(params![a.id.to_string(), a.revision])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Deletes an outing; once synced, a tombstone revision tells the server.
    pub fn delete_outing(&mut self, id: Uuid) -> Result<()> {
        let outing = self.outing(id)?;
        let province = self.stops(id)?.first().map(|s| s.place.province);
        let synced: u32 =
            self.conn.query_row("SELECT synced_revision FROM outings WHERE id = ?1", [id.to_string()], |r| r.get(0))?;
        let tx = self.write()?;
        tx.execute("DELETE FROM outings WHERE id = ?1", [id.to_string()])?;
        if let (true, Some(p)) = (synced > 0, province) {
            insert_tombstone(&tx, id, outing.activity, outing.date, outing.shift, p, outing.revision + 1)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Deletes an indoor session; once synced, a tombstone revision tells the server.
    pub fn delete_indoor_session(&mut self, id: Uuid) -> Result<()> {
        let s = self.indoor_session(id)?;
        let synced: u32 = self.conn.query_row(
            "SELECT synced_revision FROM indoor_sessions WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )?;
        let tx = self.write()?;
        tx.execute("DELETE FROM indoor_sessions WHERE id = ?1", [id.to_string()])?;
        if synced > 0 {
            insert_tombstone(&tx, id, Activity::Indoor, s.date, Shift::Day, s.province, s.revision + 1)?;
        }
        tx.commit()?;
        Ok(())
    }
}

fn insert_tombstone(
    tx: &rusqlite::Transaction<'_>,
    id: Uuid,
    activity: Activity,
    date: NaiveDate,
    shift: Shift,
    province: Province,
    revision: u32,
) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_tombstones (id, activity, date, shift, province, revision) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET revision = excluded.revision",
        params![id.to_string(), activity.code(), date, shift.code(), province.code(), revision],
    )?;
    Ok(())
}
