//! What the phone keeps for sync: the endpoint and its token (inside the encrypted file),
//! which closed outings and sessions still need sending (revision above the last one the
//! server acknowledged), tombstones of deleted ones, and the last result in plain words.
//! Open outings are never sent: where a unit is right now does not leave the phone.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::records::{all_rows, uuid_at};
use super::{Record, Result, Store, StoreError};
use crate::domain::Comune;
use crate::wire::{Ack, Head, NoStops, Pending, Summary};

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

/// The table of deleted records the server still has to hear of.
const TOMBSTONES: &str = "sync_tombstones";

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

    /// How many summaries wait to be sent (those held back for a closed period included).
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
    /// since the server last acknowledged them, and tombstones; not those held back
    /// because the server refused them for a closed period.
    pub fn pending_summaries(&self, limit: usize) -> Result<Vec<Summary>> {
        self.pending(limit)?
            .iter()
            .map(|p| Summary::of(p).map_err(|NoStops(outing)| StoreError::NoStops { outing }))
            .collect()
    }

    /// Up to `limit` records waiting to be sent, loaded: outings first, then sessions,
    /// then tombstones.
    fn pending(&self, limit: usize) -> Result<Vec<Pending>> {
        let mut out = Vec::new();
        let ids = |sql: &str, limit: usize| all_rows(&self.conn, sql, [limit as i64], |r| uuid_at(r, 0));
        for id in ids(
            "SELECT o.id FROM outings o WHERE o.status = 'closed' AND o.revision > o.synced_revision
             AND EXISTS (SELECT 1 FROM stops s WHERE s.outing_id = o.id)
             AND NOT EXISTS (SELECT 1 FROM closed_summaries m WHERE m.id = o.id) ORDER BY o.date, o.id LIMIT ?1",
            limit,
        )? {
            let stops = self.stops(id)?.into_iter().map(|s| s.place).collect();
            out.push(Pending::Outing { outing: self.outing(id)?, stops, tally: self.outing_tally(id)? });
        }
        for id in ids(
            "SELECT id FROM indoor_sessions i WHERE status = 'closed' AND revision > synced_revision
             AND NOT EXISTS (SELECT 1 FROM closed_summaries m WHERE m.id = i.id) ORDER BY date, id LIMIT ?1",
            limit.saturating_sub(out.len()),
        )? {
            let comuni: Vec<Comune> = all_rows(
                &self.conn,
                "SELECT comune FROM indoor_ads WHERE session_id = ?1 AND comune IS NOT NULL
                 UNION SELECT comune FROM massage_contacts WHERE session_id = ?1 AND comune IS NOT NULL",
                [id.to_string()],
                |r| r.get(0),
            )?;
            out.push(Pending::Session { session: self.indoor_session(id)?, comuni, tally: self.session_tally(id)? });
        }
        let mut st = self.conn.prepare_cached(
            "SELECT id, revision, activity, date, shift, province FROM sync_tombstones t
             WHERE revision > synced_revision AND NOT EXISTS (SELECT 1 FROM closed_summaries m WHERE m.id = t.id)
             ORDER BY id LIMIT ?1",
        )?;
        let rows = st.query_map([limit.saturating_sub(out.len()) as i64], |r| {
            Ok(Pending::Deleted(Head {
                id: uuid_at(r, 0)?,
                revision: r.get(1)?,
                activity: r.get(2)?,
                date: r.get(3)?,
                shift: r.get(4)?,
                province: r.get(5)?,
            }))
        })?;
        for p in rows {
            out.push(p?);
        }
        Ok(out)
    }

    /// Notes what the server acknowledged (stored or ignored: either way it has that
    /// revision or a newer one), in one transaction.
    pub fn mark_synced(&mut self, acks: &[Ack]) -> Result<()> {
        let tx = self.write()?;
        for a in acks {
            for table in Record::ALL.map(Record::table).into_iter().chain([TOMBSTONES]) {
                tx.prepare_cached(&format!(
                    "UPDATE {table} SET synced_revision = max(synced_revision, ?2) WHERE id = ?1"
                ))?
                .execute(params![a.id.to_string(), a.revision])?;
            }
            // The server took it: its period is not closed (any more).
            tx.prepare_cached("DELETE FROM closed_summaries WHERE id = ?1")?.execute([a.id.to_string()])?;
        }
        tx.commit()?;
        Ok(())
    }
}
