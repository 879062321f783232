//! Which emersion counts the phone sends, and when it needs to recompute them.
//!
//! The emersion counts of a period (interviews, what became known of the persons
//! interviewed, Referral requests, outcomes of contacts and meetings, helpline reports)
//! are counted from the records ([`Store::emersion_tally`]), not kept cell by cell like
//! the persons of outings. They are sent per kept period × province under activity
//! `emersion`, with the digest and revision machinery of the persons' summaries
//! (`person_cells_sync`).
//!
//! Counting every kept period on every sync would cost a scan of the records per
//! period. So a fingerprint of every record the counts read (a SHA-256 over their rows,
//! one scan each) is kept in the settings: while it is unchanged, only the periods that
//! still wait for the server's acknowledgement are counted again; when it changed, every
//! candidate period is: each calendar period and named period containing a day of an
//! interview, a Referral request, an outcome or a helpline report, those already sent (so
//! a period emptied is sent empty), and, while Referral requests are on record, every
//! month from the first one to this month (an unanswered request counts in every period
//! after it).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Transaction, params};
use sha2::{Digest, Sha256};

use super::persons::named_periods;
use super::records::all_rows;
use super::{Result, Store};
use crate::domain::{Activity, Period, Province};
use crate::wire::PersonCell;

/// The settings key of the fingerprint of the records last counted.
const FINGERPRINT_KEY: &str = "emersion_sync_fingerprint";

/// Every row an emersion count reads, one query per table, in a stable order.
const FINGERPRINT_QUERIES: [&str; 9] = [
    "SELECT id, person_id, date, province, kind FROM interviews ORDER BY id",
    "SELECT id, person_id, date, interview_id, verdict, typology, adhesion, channel, place, minor, indicators
     FROM identification_facts ORDER BY id",
    "SELECT id, person_id, received, province FROM referral_requests ORDER BY id",
    "SELECT id, date, province, gender, nationality, known, source, help, outcome FROM helpline_reports ORDER BY id",
    "SELECT c.id, c.person_id, c.nationality, c.gender, c.outcomes, s.province, o.date
     FROM contacts c JOIN stops s ON s.id = c.stop_id JOIN outings o ON o.id = s.outing_id
     WHERE c.outcomes != 0 ORDER BY c.id",
    "SELECT m.id, m.person_id, m.nationality, m.gender, m.outcomes, m.province, x.date
     FROM indoor_meetings m JOIN indoor_sessions x ON x.id = m.session_id WHERE m.outcomes != 0 ORDER BY m.id",
    "SELECT id, nationality, gender, age_band, merged_into FROM persons ORDER BY id",
    "SELECT period FROM periods ORDER BY period",
    // Persons per labour sector.
    "SELECT c.id, c.person_id, c.nationality, c.gender, c.sector, s.sector, s.province, o.date
     FROM contacts c JOIN stops s ON s.id = c.stop_id JOIN outings o ON o.id = s.outing_id
     WHERE o.activity = 'labour' AND coalesce(c.sector, s.sector) IS NOT NULL ORDER BY c.id",
];

/// The days something is counted on: interviews, Referral requests, helpline reports,
/// outcomes of contacts and of meetings, labour contacts in a sector.
const DAYS: &str = "SELECT date FROM interviews UNION SELECT received FROM referral_requests
     UNION SELECT date FROM helpline_reports
     UNION SELECT o.date FROM contacts c JOIN stops s ON s.id = c.stop_id JOIN outings o ON o.id = s.outing_id
         WHERE c.outcomes != 0
     UNION SELECT x.date FROM indoor_meetings m JOIN indoor_sessions x ON x.id = m.session_id
         WHERE m.outcomes != 0
     UNION SELECT o.date FROM contacts c JOIN stops s ON s.id = c.stop_id JOIN outings o ON o.id = s.outing_id
         WHERE o.activity = 'labour' AND coalesce(c.sector, s.sector) IS NOT NULL";

/// A fingerprint of every emersion record, and whether it matches the last one counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Fingerprint {
    digest: String,
    unchanged: bool,
}

impl Fingerprint {
    /// Keeps it as the fingerprint of the records last counted (`counted`: every
    /// candidate period was staged), or forgets it, so the next call counts everything.
    pub(super) fn save(&self, tx: &Transaction<'_>, counted: bool) -> Result<()> {
        if counted {
            tx.prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![FINGERPRINT_KEY, serde_json::Value::from(self.digest.clone()).to_string()])?;
        } else {
            tx.prepare_cached("DELETE FROM settings WHERE key = ?1")?.execute([FINGERPRINT_KEY])?;
        }
        Ok(())
    }
}

/// The emersion counts to stage: per period × province, the cells as sent (empty for a
/// key sent before that has nothing now).
#[derive(Debug)]
pub(super) struct EmersionWork {
    /// The records' fingerprint, to keep once staged.
    pub fingerprint: Fingerprint,
    /// The keys to stage with their cells, ordered by period key then province.
    pub cells: Vec<(Period, Province, Vec<PersonCell>)>,
}

/// Hashes every row of every [`FINGERPRINT_QUERIES`], and the month that bounds the
/// unanswered requests (`horizon`).
fn fingerprint(conn: &Connection, horizon: Option<NaiveDate>) -> Result<String> {
    let mut h = Sha256::new();
    for sql in FINGERPRINT_QUERIES {
        h.update(b"\x1e");
        let mut st = conn.prepare_cached(sql)?;
        let columns = st.column_count();
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            for i in 0..columns {
                match r.get_ref(i)? {
                    ValueRef::Null => h.update(b"\x00"),
                    ValueRef::Integer(n) => {
                        h.update(b"\x01");
                        h.update(n.to_le_bytes());
                    }
                    ValueRef::Real(x) => {
                        h.update(b"\x02");
                        h.update(x.to_le_bytes());
                    }
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        h.update(b"\x03");
                        h.update((t.len() as u64).to_le_bytes());
                        h.update(t);
                    }
                }
            }
            h.update(b"\x1f");
        }
    }
    if let Some(m) = horizon {
        h.update(m.to_string().as_bytes());
    }
    Ok(hex::encode(h.finalize()))
}

/// The first day of `date`'s month.
fn month_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

impl Store {
    /// The emersion counts to stage now (see the module's documentation).
    pub(super) fn emersion_work(&self) -> Result<EmersionWork> {
        let first_request: Option<NaiveDate> =
            self.conn.query_row("SELECT min(received) FROM referral_requests", [], |r| r.get(0))?;
        let days: BTreeSet<NaiveDate> = all_rows(&self.conn, DAYS, [], |r| r.get(0))?.into_iter().collect();
        // While requests are on record, an unanswered one counts in every period up to now.
        let horizon = first_request.map(|_| {
            let today = Utc::now().date_naive();
            month_of(days.last().map_or(today, |d| today.max(*d)))
        });
        let digest = fingerprint(&self.conn, horizon)?;
        let before: Option<String> = self.setting(FINGERPRINT_KEY)?;
        let unchanged = before.as_deref() == Some(digest.as_str());
        let sent: Vec<(String, Province, bool)> = all_rows(
            &self.conn,
            "SELECT period, province, revision > synced_revision FROM person_cells_sync WHERE activity = ?1",
            [Activity::Emersion],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        // The keys to stage: period key -> (period, provinces beyond those counted).
        let mut keys: BTreeMap<String, (Period, BTreeSet<Province>)> = BTreeMap::new();
        let mut add = |period: Period, province: Option<Province>| {
            let e = keys.entry(period.key()).or_insert_with(|| (period, BTreeSet::new()));
            e.1.extend(province);
        };
        for (key, province, waiting) in &sent {
            if let Ok(period) = Period::parse_key(key)
                && (*waiting || !unchanged)
            {
                add(period, Some(*province));
            }
        }
        if !unchanged {
            let named = named_periods(&self.conn)?;
            let mut months: BTreeSet<NaiveDate> = days.iter().map(|d| month_of(*d)).collect();
            if let (Some(first), Some(last)) = (first_request, horizon) {
                let mut m = month_of(first);
                while m <= last {
                    months.insert(m);
                    m = m.checked_add_months(chrono::Months::new(1)).unwrap_or(NaiveDate::MAX);
                }
            }
            for m in &months {
                Period::calendar_of(*m).into_iter().for_each(|p| add(p, None));
            }
            let span = first_request.zip(horizon);
            for p in named {
                let holds_a_day = days.range(p.from..=p.to).next().is_some();
                let open_requests = span.is_some_and(|(a, b)| p.from <= b && a <= p.to);
                if holds_a_day || open_requests {
                    add(p, None);
                }
            }
        }
        let mut cells = Vec::new();
        for (period, sent_provinces) in keys.into_values() {
            let tally = self.emersion_tally(period)?;
            // In the tally's order: province, then nationality, gender, measure (one shift).
            let mut by_province: BTreeMap<Province, Vec<PersonCell>> = BTreeMap::new();
            for (bucket, cell, n) in tally.iter() {
                if bucket.activity != Activity::Emersion {
                    continue;
                }
                let c = PersonCell {
                    shift: bucket.shift,
                    nationality: cell.nationality,
                    gender: cell.gender,
                    measure: cell.measure,
                    count: u32::try_from(n).unwrap_or(u32::MAX),
                };
                by_province.entry(bucket.province).or_default().push(c);
            }
            if unchanged {
                // Only the keys still waiting: their digests are those of these records.
                by_province.retain(|p, _| sent_provinces.contains(p));
            }
            for p in sent_provinces {
                by_province.entry(p).or_default();
            }
            cells.extend(by_province.into_iter().map(|(p, c)| (period, p, c)));
        }
        Ok(EmersionWork { fingerprint: Fingerprint { digest, unchanged }, cells })
    }
}
