//! What the coordinators said, as the phone keeps it: the latest review of each outing or
//! session (approved, or returned with a reason from a closed list), and the summaries and
//! periods' persons the server refused because a coordinator closed their period. Those
//! stay pending but are held back from sending until a later feedback no longer lists
//! their period as closed, so one closed outing never blocks the others.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use rusqlite::types::Type;
use rusqlite::{Connection, Row, params};
use uuid::Uuid;

use super::records::{all_rows, uuid_at};
use super::{Result, Store};
use crate::domain::{Activity, OutingStatus, Period, Province};
use crate::wire::{Feedback, FeedbackResponse, PersonKey, ReturnReason, ReviewState, Summary};

/// One outing or session the coordinators spoke of: what the screens need to say where it
/// stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewRow {
    /// The outing's or session's id.
    pub id: Uuid,
    /// Its revision now.
    pub revision: u32,
    /// The revision the server last acknowledged.
    pub synced_revision: u32,
    /// Open again for corrections.
    pub open: bool,
    /// The latest review, of whatever revision it was.
    pub review: Option<Feedback>,
    /// The server refused its pending revision: its period is closed.
    pub closed: bool,
    /// The server refused its revision now as implausible, and why.
    pub refused: Option<crate::wire::Refusal>,
}

fn state_code(s: ReviewState) -> &'static str {
    match s {
        ReviewState::Approved => "approved",
        ReviewState::Returned => "returned",
    }
}

fn bad(i: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, Type::Text, format!("not a review {what}").into())
}

/// A review from columns `i` (revision), `i + 1` (state) and `i + 2` (reason) of `id`;
/// `None` when the revision is NULL (no review).
fn review_at(r: &Row<'_>, id: Uuid, i: usize) -> rusqlite::Result<Option<Feedback>> {
    let Some(revision) = r.get::<_, Option<u32>>(i)? else { return Ok(None) };
    let state = match r.get_ref(i + 1)?.as_str()? {
        "approved" => ReviewState::Approved,
        "returned" => ReviewState::Returned,
        _ => return Err(bad(i + 1, "state")),
    };
    let reason = match r.get_ref(i + 2)?.as_str_or_null()? {
        None => None,
        Some(code) => Some(ReturnReason::parse(code).ok_or_else(|| bad(i + 2, "reason"))?),
    };
    Ok(Some(Feedback { id, revision, state, reason }))
}

fn stored_reviews(conn: &Connection) -> Result<BTreeMap<Uuid, Feedback>> {
    let rows = all_rows(conn, "SELECT id, revision, state, reason FROM reviews", [], |r| {
        let id = uuid_at(r, 0)?;
        review_at(r, id, 1)
    })?;
    Ok(rows.into_iter().flatten().map(|f| (f.id, f)).collect())
}

impl Store {
    /// Keeps what the server said at a sync: the reviews of this phone's outings and
    /// sessions replace those kept (others' are not kept), and the closed marks of what
    /// no closed period covers any more are cleared, so it is sent again. One
    /// transaction; true when anything changed.
    pub fn set_feedback(&mut self, feedback: &FeedbackResponse) -> Result<bool> {
        let tx = self.write()?;
        let known: HashSet<Uuid> =
            all_rows(&tx, "SELECT id FROM outings UNION SELECT id FROM indoor_sessions", [], |r| uuid_at(r, 0))?
                .into_iter()
                .collect();
        let mut now: BTreeMap<Uuid, Feedback> = BTreeMap::new();
        for f in feedback.reviews.iter().filter(|f| known.contains(&f.id)) {
            // Listed twice: the later revision's review is the latest.
            if now.get(&f.id).is_none_or(|g| g.revision <= f.revision) {
                now.insert(f.id, *f);
            }
        }
        let mut changed = stored_reviews(&tx)? != now;
        if changed {
            tx.execute("DELETE FROM reviews", [])?;
            for f in now.values() {
                tx.prepare_cached("INSERT INTO reviews (id, revision, state, reason) VALUES (?1, ?2, ?3, ?4)")?
                    .execute(params![f.id.to_string(), f.revision, state_code(f.state), f.reason.map(|r| r.code())])?;
            }
        }
        let closed =
            |from: NaiveDate, to: NaiveDate| feedback.closed.iter().any(|c| c.contains(from) && c.contains(to));
        let live: HashSet<Uuid> = all_rows(
            &tx,
            "SELECT id FROM outings UNION SELECT id FROM indoor_sessions UNION SELECT id FROM sync_tombstones",
            [],
            |r| uuid_at(r, 0),
        )?
        .into_iter()
        .collect();
        let marks: Vec<(Uuid, NaiveDate)> =
            all_rows(&tx, "SELECT id, date FROM closed_summaries", [], |r| Ok((uuid_at(r, 0)?, r.get(1)?)))?;
        for (id, date) in marks {
            if !closed(date, date) || !live.contains(&id) {
                tx.execute("DELETE FROM closed_summaries WHERE id = ?1", [id.to_string()])?;
                changed = true;
            }
        }
        let person_marks: Vec<(String, String, String)> =
            all_rows(&tx, "SELECT period, activity, province FROM closed_persons", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        for (key, activity, province) in person_marks {
            if !Period::parse_key(&key).is_ok_and(|p| closed(p.from, p.to)) {
                tx.execute(
                    "DELETE FROM closed_persons WHERE period = ?1 AND activity = ?2 AND province = ?3",
                    params![key, activity, province],
                )?;
                changed = true;
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Marks summaries and periods' persons the server refused because their period is
    /// closed: they stay pending and are held back from sending until a feedback no
    /// longer lists the period as closed.
    pub fn mark_closed(&mut self, summaries: &[Summary], persons: &[PersonKey]) -> Result<()> {
        let tx = self.write()?;
        for s in summaries {
            tx.prepare_cached(
                "INSERT INTO closed_summaries (id, date, revision) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET date = excluded.date, revision = excluded.revision",
            )?
            .execute(params![s.id.to_string(), s.date, s.revision])?;
        }
        for p in persons {
            let key = Period { from: p.from, to: p.to }.key();
            tx.prepare_cached(
                "INSERT INTO closed_persons (period, activity, province) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            )?
            .execute(params![key, p.activity, p.province])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The outings and sessions with a review or a closed mark, each with its revisions.
    pub fn review_rows(&self) -> Result<Vec<ReviewRow>> {
        all_rows(
            &self.conn,
            "SELECT t.id, t.revision, t.synced_revision, t.status, r.revision, r.state, r.reason, m.id IS NOT NULL,
                    f.reason
             FROM (SELECT id, revision, synced_revision, status FROM outings
                   UNION ALL SELECT id, revision, synced_revision, status FROM indoor_sessions) t
             LEFT JOIN reviews r ON r.id = t.id LEFT JOIN closed_summaries m ON m.id = t.id
             LEFT JOIN refused_summaries f ON f.id = t.id AND f.revision = t.revision
             WHERE r.id IS NOT NULL OR m.id IS NOT NULL OR f.id IS NOT NULL",
            [],
            |r| {
                let id = uuid_at(r, 0)?;
                Ok(ReviewRow {
                    id,
                    revision: r.get(1)?,
                    synced_revision: r.get(2)?,
                    open: r.get::<_, OutingStatus>(3)? == OutingStatus::Open,
                    review: review_at(r, id, 4)?,
                    closed: r.get(7)?,
                    refused: r.get::<_, Option<String>>(8)?.and_then(|c| crate::wire::Refusal::parse(&c)),
                })
            },
        )
    }

    /// What is held back because its period is closed: pending summaries (outings,
    /// sessions, deletions), and periods' persons.
    pub fn closed_counts(&self) -> Result<(u64, u64)> {
        let summaries: i64 = self.conn.query_row(
            "SELECT count(*) FROM closed_summaries m WHERE
                EXISTS (SELECT 1 FROM outings o WHERE o.id = m.id AND o.status = 'closed' AND o.revision > o.synced_revision)
             OR EXISTS (SELECT 1 FROM indoor_sessions s WHERE s.id = m.id AND s.status = 'closed' AND s.revision > s.synced_revision)
             OR EXISTS (SELECT 1 FROM sync_tombstones t WHERE t.id = m.id AND t.revision > t.synced_revision)",
            [],
            |r| r.get(0),
        )?;
        let persons: i64 = self.conn.query_row("SELECT count(*) FROM closed_persons", [], |r| r.get(0))?;
        Ok((summaries.max(0) as u64, persons.max(0) as u64))
    }

    /// Whether a period's persons are held back because their period is closed.
    pub(super) fn persons_closed(conn: &Connection, key: &str, activity: Activity, province: Province) -> Result<bool> {
        Ok(conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM closed_persons WHERE period = ?1 AND activity = ?2 AND province = ?3)",
            )?
            .query_row(params![key, activity, province], |r| r.get(0))?)
    }
}
