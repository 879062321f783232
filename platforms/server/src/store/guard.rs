//! Hardening of the store, on both backends: expired enrolment codes purged, tokens that
//! expire, and quarantine of what a stolen device sent.
//!
//! Quarantine moves a device's summaries and periods' persons received since a day (and
//! the reviews of those summaries) out of the tables every reader uses, into tables of
//! the same columns: no report, listing, console page, chart, freshness count or
//! published table can see them, without each having to remember a filter. The server
//! keeps only the latest revision of a summary: when the quarantined one had replaced an
//! earlier revision (perhaps sent by another phone of the unit), that earlier revision is
//! gone and is not brought back; the count of those is in the audit trail and the
//! outing must be sent again from its phone.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::console::{audit, in_tx};
use super::sql::Val;
use super::{Backend, Result, StoreError};

/// What a quarantine set aside.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quarantined {
    /// Summaries.
    pub summaries: u64,
    /// Of those, summaries at a revision above 1: they may have replaced an earlier
    /// revision that the server no longer has.
    pub replaced: u64,
    /// Periods' persons.
    pub persons: u64,
    /// Reviews of the summaries.
    pub reviews: u64,
}

/// The columns of a summary, moved as they are.
const SUMMARY_COLS: &str =
    "id, unit_id, revision, deleted, activity, date, shift, province, comuni, cells, received_at, device_id";
/// The columns of a period's persons.
const PERSON_COLS: &str = "device_id, unit_id, date_from, date_to, activity, province, revision, cells, received_at";
/// The columns of a review.
const REVIEW_COLS: &str = "id, summary_id, revision, state, reason, coordinator_id, at";

impl dyn Backend {
    /// Deletes the enrolment codes expired before `now`; how many.
    pub fn purge_expired_codes(&self, now: DateTime<Utc>) -> Result<u64> {
        in_tx(self, true, |tx| tx.exec("DELETE FROM enrollments WHERE expires_at < $1", &[now.into()]))
    }

    /// The token of `device` stops working at `at` ("token expired").
    pub fn expire_device_token(&self, device: Uuid, at: DateTime<Utc>) -> Result<()> {
        in_tx(self, true, |tx| {
            match tx.exec("UPDATE devices SET token_expires_at = $1 WHERE id = $2", &[at.into(), device.into()])? {
                0 => Err(StoreError::NotFound(format!("no device {device}"))),
                _ => Ok(()),
            }
        })
    }

    /// The API token `id` stops working at `at` ("token expired").
    pub fn expire_api_token(&self, id: Uuid, at: DateTime<Utc>) -> Result<()> {
        in_tx(self, true, |tx| {
            match tx.exec("UPDATE api_tokens SET expires_at = $1 WHERE id = $2", &[at.into(), id.into()])? {
                0 => Err(StoreError::NotFound(format!("no API token {id}"))),
                _ => Ok(()),
            }
        })
    }

    /// Whether `token_hash` is a device's or an API token that would work but for its
    /// expiry (so the client reads "token expired", not "unknown").
    pub fn token_expired(&self, token_hash: &str, now: DateTime<Utc>) -> Result<bool> {
        in_tx(self, false, |tx| {
            let device = tx.row(
                "SELECT 1 FROM devices WHERE token_hash = $1 AND revoked_at IS NULL AND token_expires_at <= $2",
                &[token_hash.into(), now.into()],
            )?;
            let api = tx.row(
                "SELECT 1 FROM api_tokens t JOIN coordinators c ON c.id = t.coordinator_id
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND c.revoked_at IS NULL AND t.expires_at <= $2",
                &[token_hash.into(), now.into()],
            )?;
            Ok(device.is_some() || api.is_some())
        })
    }

    /// Quarantines what `device` sent from the day `since` on (by the time it was
    /// received): its summaries and their reviews, and its periods' persons, leave every
    /// report and page, kept aside. Written to the audit trail as `actor`, in the same
    /// transaction. Fails with [`StoreError::NotFound`] for an unknown device.
    pub fn quarantine(&self, device: Uuid, since: NaiveDate, actor: &str) -> Result<Quarantined> {
        in_tx(self, true, |tx| {
            if tx.row("SELECT id FROM devices WHERE id = $1", &[device.into()])?.is_none() {
                return Err(StoreError::NotFound(format!("no device {device} (lanterna-server device list)")));
            }
            let now: Val = Utc::now().into();
            // Received times are RFC 3339 in UTC: a day's text sorts before its times.
            let (d, s): (Val, Val) = (device.into(), since.to_string().into());
            let counts = tx
                .row(
                    "SELECT count(*), coalesce(sum(CASE WHEN revision > 1 THEN 1 ELSE 0 END), 0) FROM summaries
                     WHERE device_id = $1 AND received_at >= $2",
                    &[d.clone(), s.clone()],
                )?
                .ok_or_else(|| StoreError::Db("a count without a row".into()))?;
            let (summaries, replaced) = (count(&counts[0])?, count(&counts[1])?);
            let mine = "SELECT id FROM summaries WHERE device_id = $1 AND received_at >= $2";
            let reviews = tx.exec(
                &format!(
                    "INSERT INTO quarantined_reviews ({REVIEW_COLS}) SELECT {REVIEW_COLS} FROM reviews
                     WHERE summary_id IN ({mine})"
                ),
                &[d.clone(), s.clone()],
            )?;
            tx.exec(&format!("DELETE FROM reviews WHERE summary_id IN ({mine})"), &[d.clone(), s.clone()])?;
            tx.exec(
                &format!(
                    "INSERT INTO quarantined_summaries ({SUMMARY_COLS}, quarantined_at)
                     SELECT {SUMMARY_COLS}, CAST($1 AS TEXT) FROM summaries WHERE device_id = $2 AND received_at >= $3"
                ),
                &[now.clone(), d.clone(), s.clone()],
            )?;
            tx.exec("DELETE FROM summaries WHERE device_id = $1 AND received_at >= $2", &[d.clone(), s.clone()])?;
            let persons = tx.exec(
                &format!(
                    "INSERT INTO quarantined_person_summaries ({PERSON_COLS}, quarantined_at)
                     SELECT {PERSON_COLS}, CAST($1 AS TEXT) FROM person_summaries
                     WHERE device_id = $2 AND received_at >= $3"
                ),
                &[now, d.clone(), s.clone()],
            )?;
            tx.exec("DELETE FROM person_summaries WHERE device_id = $1 AND received_at >= $2", &[d, s])?;
            let q = Quarantined { summaries, replaced, persons, reviews };
            audit(
                tx,
                actor,
                "device.quarantine",
                &device.to_string(),
                &format!(
                    "since {since}: {} summaries ({} at a revision above 1: an earlier revision they replaced is not \
                     restored), {} periods' persons, {} reviews set aside",
                    q.summaries, q.replaced, q.persons, q.reviews
                ),
            )?;
            Ok(q)
        })
    }

    /// How many summaries and periods' persons of `device` are in quarantine.
    pub fn quarantined(&self, device: Uuid) -> Result<(u64, u64)> {
        in_tx(self, false, |tx| {
            let s = tx.row("SELECT count(*) FROM quarantined_summaries WHERE device_id = $1", &[device.into()])?;
            let p =
                tx.row("SELECT count(*) FROM quarantined_person_summaries WHERE device_id = $1", &[device.into()])?;
            let first = |r: Option<Vec<Val>>| r.and_then(|r| r.into_iter().next()).map_or(Ok(0), |v| count(&v));
            Ok((first(s)?, first(p)?))
        })
    }
}

/// A count read from either backend.
fn count(v: &Val) -> Result<u64> {
    u64::try_from(v.int()?).map_err(|e| StoreError::Db(e.to_string()))
}
