//! What the phone keeps for sync: the endpoint and its token (inside the encrypted file),
//! which closed outings and sessions still need sending (revision above the last one the
//! server acknowledged), tombstones of deleted ones, and the last result in plain words.
//! Open outings are never sent: where a unit is right now does not leave the phone.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::records::{all_rows, uuid_at};
use super::{Record, Result, Store, StoreError};
use crate::domain::{Activity, Comune, Period, Province};
use crate::wire::{Ack, AckStatus, Head, NoStops, Pending, PersonAck, Refusal, Summary};

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
            "SELECT count(*) FROM info_sessions WHERE revision > synced_revision",
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
             AND NOT EXISTS (SELECT 1 FROM closed_summaries m WHERE m.id = o.id)
             AND NOT EXISTS (SELECT 1 FROM refused_summaries f WHERE f.id = o.id AND f.revision = o.revision)
             ORDER BY o.date, o.id LIMIT ?1",
            limit,
        )? {
            let stops = self.stops(id)?.into_iter().map(|s| s.place).collect();
            out.push(Pending::Outing { outing: self.outing(id)?, stops, tally: self.outing_tally(id)? });
        }
        for id in ids(
            "SELECT id FROM indoor_sessions i WHERE status = 'closed' AND revision > synced_revision
             AND NOT EXISTS (SELECT 1 FROM closed_summaries m WHERE m.id = i.id)
             AND NOT EXISTS (SELECT 1 FROM refused_summaries f WHERE f.id = i.id AND f.revision = i.revision)
             ORDER BY date, id LIMIT ?1",
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
        for s in self.pending_info_sessions(limit.saturating_sub(out.len()))? {
            out.push(Pending::InfoSession(s));
        }
        let mut st = self.conn.prepare_cached(
            "SELECT id, revision, activity, date, shift, province FROM sync_tombstones t
             WHERE revision > synced_revision AND NOT EXISTS (SELECT 1 FROM closed_summaries m WHERE m.id = t.id)
             AND NOT EXISTS (SELECT 1 FROM refused_summaries f WHERE f.id = t.id AND f.revision = t.revision)
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
    /// revision or a newer one; a refused one is marked with its reason and that revision
    /// is not sent again), in one transaction.
    pub fn mark_synced(&mut self, acks: &[Ack]) -> Result<()> {
        let tx = self.write()?;
        for a in acks {
            if a.status == AckStatus::Refused {
                let reason = a.reason.unwrap_or(Refusal::Revision);
                tx.prepare_cached(
                    "INSERT INTO refused_summaries (id, revision, reason) VALUES (?1, ?2, ?3)
                     ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, reason = excluded.reason",
                )?
                .execute(params![a.id.to_string(), a.revision, reason.code()])?;
                continue;
            }
            tx.prepare_cached("DELETE FROM refused_summaries WHERE id = ?1 AND revision <= ?2")?
                .execute(params![a.id.to_string(), a.revision])?;
            for table in Record::ALL.map(Record::table).into_iter().chain([TOMBSTONES, "info_sessions"]) {
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

/// A revision the server refused, as the sync screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedRow {
    /// The outing's, session's or tombstone's id.
    pub id: Uuid,
    /// What it is.
    pub kind: RefusedKind,
    /// Its day.
    pub date: NaiveDate,
    /// Its activity.
    pub activity: Activity,
    /// The revision refused (the one on the phone now).
    pub revision: u32,
    /// Why.
    pub reason: Refusal,
}

/// What a refused summary was of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusedKind {
    /// An outing.
    Outing,
    /// An indoor session.
    Session,
    /// A deletion.
    Deleted,
}

impl Store {
    /// The outings, sessions and deletions whose pending revision the server refused,
    /// oldest day first (a later edit, a new revision, leaves the list).
    pub fn refused_summaries(&self) -> Result<Vec<RefusedRow>> {
        all_rows(
            &self.conn,
            "SELECT t.id, t.kind, t.date, t.activity, t.revision, f.reason FROM refused_summaries f JOIN (
                 SELECT id, 'outing' AS kind, date, activity, revision, synced_revision FROM outings WHERE status = 'closed'
                 UNION ALL SELECT id, 'session', date, 'indoor', revision, synced_revision FROM indoor_sessions
                     WHERE status = 'closed'
                 UNION ALL SELECT id, 'session', date, 'session', revision, synced_revision FROM info_sessions
                 UNION ALL SELECT id, 'deleted', date, activity, revision, synced_revision FROM sync_tombstones
             ) t ON t.id = f.id AND t.revision = f.revision AND t.revision > t.synced_revision
             ORDER BY t.date, t.id",
            [],
            |r| {
                let kind = match r.get::<_, String>(1)?.as_str() {
                    "outing" => RefusedKind::Outing,
                    "session" => RefusedKind::Session,
                    _ => RefusedKind::Deleted,
                };
                let reason: String = r.get(5)?;
                Ok(RefusedRow {
                    id: uuid_at(r, 0)?,
                    kind,
                    date: r.get(2)?,
                    activity: r.get(3)?,
                    revision: r.get(4)?,
                    reason: Refusal::parse(&reason).unwrap_or(Refusal::Revision),
                })
            },
        )
    }

    /// The refusal of a record's revision now, if the server refused it.
    pub fn refusal_of(&self, id: Uuid, revision: u32) -> Result<Option<Refusal>> {
        let reason: Option<String> = self
            .conn
            .query_row(
                "SELECT reason FROM refused_summaries WHERE id = ?1 AND revision = ?2",
                params![id.to_string(), revision],
                |r| r.get(0),
            )
            .optional()?;
        Ok(reason.and_then(|r| Refusal::parse(&r)))
    }

    /// Marks the periods' persons the server refused: that revision is not sent again.
    pub fn mark_persons_refused(&mut self, acks: &[PersonAck]) -> Result<()> {
        let tx = self.write()?;
        for a in acks.iter().filter(|a| a.status == AckStatus::Refused) {
            let key = Period { from: a.from, to: a.to }.key();
            let reason = a.reason.unwrap_or(Refusal::Revision);
            tx.prepare_cached(
                "INSERT INTO refused_persons (period, activity, province, revision, reason) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT DO UPDATE SET revision = excluded.revision, reason = excluded.reason",
            )?
            .execute(params![key, a.activity, a.province, a.revision, reason.code()])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Whether this revision of a period's persons was refused by the server.
    pub(super) fn persons_refused(
        conn: &rusqlite::Connection,
        key: &str,
        activity: Activity,
        province: Province,
        revision: u32,
    ) -> Result<bool> {
        Ok(conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM refused_persons
                 WHERE period = ?1 AND activity = ?2 AND province = ?3 AND revision = ?4)",
            )?
            .query_row(params![key, activity, province, revision], |r| r.get(0))?)
    }

    /// How many pending summaries and periods' persons the server refused.
    pub fn refused_counts(&self) -> Result<(u64, u64)> {
        let summaries = self.refused_summaries()?.len() as u64;
        let persons: i64 = self.conn.query_row(
            "SELECT count(*) FROM refused_persons f JOIN person_cells_sync p ON p.period = f.period
             AND p.activity = f.activity AND p.province = f.province AND p.revision = f.revision
             AND p.revision > p.synced_revision",
            [],
            |r| r.get(0),
        )?;
        Ok((summaries, persons.max(0) as u64))
    }

    const HTTP_ALLOWED_KEY: &str = "sync_http_allowed";

    /// The addresses (`host` or `host:port`) the user allowed to sync over plain http.
    pub fn http_allowed(&self) -> Result<Vec<String>> {
        Ok(self.setting(Self::HTTP_ALLOWED_KEY)?.unwrap_or_default())
    }

    /// Replaces the addresses allowed over plain http.
    pub fn set_http_allowed(&mut self, hosts: &[String]) -> Result<()> {
        self.put_setting(Self::HTTP_ALLOWED_KEY, &hosts.to_vec())
    }
}
