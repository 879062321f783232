//! Tallies straight from SQL: grouped in the database (the contacts index covers the
//! contacts tables), then shaped into report tables by the pure domain functions.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::records::{all_rows, event_at, item_at};
use super::{Result, Store};
use crate::domain::tables::Mft;
use crate::domain::{
    Activity, AgeBand, Bucket, CellKey, EventKind, Gender, Measure, Nationality, Period, Province, Tally,
};

/// Which measures a tally needs: each part is one query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TallyParts {
    /// Contacts and their "di cui" counts (minors, first, known, protection).
    pub contacts: bool,
    /// Information, service events (referrals, accompaniments, listening talks, legal
    /// consultations) and the distinct persons they were for.
    pub services: bool,
    /// Items and leaflets.
    pub items: bool,
}

impl TallyParts {
    /// Everything.
    pub const ALL: TallyParts = TallyParts { contacts: true, services: true, items: true };
    /// Contacts only (street and labour tables).
    pub const CONTACTS: TallyParts = TallyParts { contacts: true, services: false, items: false };
}

/// Contacts of outings dated within ?1..=?2, with the bucket of their stop. Joined from the
/// outings' date index through the stops to the covering contacts index.
const CONTACTS_IN_PERIOD: &str = "outings o JOIN stops s ON s.outing_id = o.id JOIN contacts c ON c.stop_id = s.id
     WHERE o.date BETWEEN ?1 AND ?2";

/// The same, with each contact's items.
const CONTACTS_IN_PERIOD_ITEMS: &str =
    "outings o JOIN stops s ON s.outing_id = o.id JOIN contacts c ON c.stop_id = s.id
     JOIN contact_items i ON i.contact_id = c.id WHERE o.date BETWEEN ?1 AND ?2";

/// The same, with each contact's service events.
const CONTACTS_IN_PERIOD_EVENTS: &str =
    "outings o JOIN stops s ON s.outing_id = o.id JOIN contacts c ON c.stop_id = s.id
     JOIN contact_events e ON e.contact_id = c.id WHERE o.date BETWEEN ?1 AND ?2";

/// The bucket and cell columns every tally query starts with.
const BUCKET_CELL: &str = "o.activity, s.province, o.shift, c.nationality, c.gender";

impl Store {
    /// The first and last outing date, of one activity or all.
    pub fn date_range(&self, activity: Option<Activity>) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let row: Option<(Option<NaiveDate>, Option<NaiveDate>)> = self
            .conn
            .query_row("SELECT min(date), max(date) FROM outings WHERE ?1 IS NULL OR activity = ?1", [activity], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        Ok(match row {
            Some((Some(a), Some(b))) => Some((a, b)),
            _ => None,
        })
    }

    /// Counts of every contact recorded on outings dated within `period`, grouped by bucket
    /// and cell inside SQLite: Rust sees one row per non-empty cell, not one per contact.
    pub fn tally(&self, period: Period, parts: TallyParts) -> Result<Tally> {
        let mut tally = Tally::new();
        // Codes repeat across groups: parse each once.
        let mut nats: HashMap<String, Nationality> = HashMap::new();
        let mut cell = |r: &rusqlite::Row<'_>| -> Result<(Bucket, Nationality, Gender)> {
            let text = |i: usize| r.get_ref(i)?.as_str().map_err(rusqlite::Error::from);
            let bucket = Bucket { activity: r.get(0)?, province: r.get(1)?, shift: r.get(2)? };
            let code = text(3)?;
            let nat = match nats.get(code) {
                Some(n) => *n,
                None => *nats.entry(code.to_owned()).or_insert(Nationality::parse(code)?),
            };
            Ok((bucket, nat, r.get(4)?))
        };
        let add = |tally: &mut Tally, (bucket, nationality, gender): (Bucket, Nationality, Gender), measure, n: i64| {
            tally.add(bucket, CellKey { nationality, gender, measure }, n as u64);
        };

        if parts.contacts {
            self.tally_contacts(period, &mut tally)?;
            self.add_period_labour_cells(period, &mut tally)?;
            self.add_period_mapping_cells(period, &mut tally)?;
            self.tally_presences(super::outreach_outings::PresenceScope::Period(period), &mut tally)?;
        }
        if parts.services {
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT {BUCKET_CELL}, count(*) FROM {CONTACTS_IN_PERIOD} AND c.information GROUP BY 1, 2, 3, 4, 5"
            ))?;
            let mut rows = st.query(params![period.from, period.to])?;
            while let Some(r) = rows.next()? {
                let at = cell(r)?;
                add(&mut tally, at, Measure::Information, r.get(5)?);
            }
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT {BUCKET_CELL}, e.kind, e.service, e.subtype, sum(e.count)
                 FROM {CONTACTS_IN_PERIOD_EVENTS} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
            ))?;
            let mut rows = st.query(params![period.from, period.to])?;
            while let Some(r) = rows.next()? {
                let at = cell(r)?;
                let key = event_at(r, 5)?;
                let n: i64 = r.get(8)?;
                for m in Measure::of_event(key) {
                    add(&mut tally, at, m, n);
                }
            }
            // Persons: distinct register persons per activity, province and cell (a contact
            // without one is one). The services tables have no shift: a person met on day
            // and night outings is one person, counted under the first shift they had that
            // service in.
            let referral = EventKind::Referral.code();
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT activity, province, shift, nationality, gender,
                        count(DISTINCT CASE WHEN kind <> '{referral}' AND shift = first_other THEN who END),
                        count(DISTINCT CASE WHEN kind = '{referral}' AND shift = first_referral THEN who END)
                 FROM (SELECT o.activity, s.province, o.shift, c.nationality, c.gender, e.kind,
                              coalesce(c.person_id, -c.id) AS who,
                              min(CASE WHEN e.kind <> '{referral}' THEN o.shift END)
                                  OVER (PARTITION BY o.activity, s.province, coalesce(c.person_id, -c.id)) AS first_other,
                              min(CASE WHEN e.kind = '{referral}' THEN o.shift END)
                                  OVER (PARTITION BY o.activity, s.province, coalesce(c.person_id, -c.id)) AS first_referral
                       FROM {CONTACTS_IN_PERIOD_EVENTS})
                 GROUP BY 1, 2, 3, 4, 5"
            ))?;
            let mut rows = st.query(params![period.from, period.to])?;
            while let Some(r) = rows.next()? {
                let at = cell(r)?;
                add(&mut tally, at, Measure::persons_of(EventKind::Accompaniment), r.get(5)?);
                add(&mut tally, at, Measure::persons_of(EventKind::Referral), r.get(6)?);
            }
        }
        if parts.items {
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT {BUCKET_CELL}, i.kind, i.language, sum(i.quantity)
                 FROM {CONTACTS_IN_PERIOD_ITEMS} GROUP BY 1, 2, 3, 4, 5, 6, 7"
            ))?;
            let mut rows = st.query(params![period.from, period.to])?;
            while let Some(r) = rows.next()? {
                let at = cell(r)?;
                let key = item_at(r, 5)?;
                let n: i64 = r.get(7)?;
                for m in Measure::of_item(key) {
                    add(&mut tally, at, m, n);
                }
            }
        }
        Ok(tally)
    }

    /// Contacts and their "di cui" counts. Rows arrive stop by stop in the covering index's
    /// order and are summed here: cheaper than SQLite's GROUP BY sorter over the same rows.
    fn tally_contacts(&self, period: Period, tally: &mut Tally) -> Result<()> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT s.id, o.activity, s.province, o.shift, c.nationality, c.gender, c.age_band IS 'minor',
                    c.first_contact, c.protection IS 'yes', c.age_band
             FROM {CONTACTS_IN_PERIOD}"
        ))?;
        let mut sums: HashMap<(Bucket, Nationality, Gender), [u64; 5]> = HashMap::new();
        // Contacts by age band: as `Measure::of_contact` counts them.
        let mut ages: HashMap<(Bucket, Nationality, Gender, AgeBand), u64> = HashMap::new();
        let mut nats: HashMap<[u8; 2], Nationality> = HashMap::new();
        let mut stop: Option<(i64, Bucket)> = None;
        let mut rows = st.query(params![period.from, period.to])?;
        while let Some(r) = rows.next()? {
            let text = |i: usize| r.get_ref(i)?.as_str().map_err(rusqlite::Error::from);
            let stop_id: i64 = r.get(0)?;
            let bucket = match stop {
                Some((id, b)) if id == stop_id => b,
                _ => {
                    let b = Bucket { activity: r.get(1)?, province: r.get(2)?, shift: r.get(3)? };
                    stop = Some((stop_id, b));
                    b
                }
            };
            let code = text(4)?;
            let nat = match code.as_bytes().try_into().ok().and_then(|k: [u8; 2]| nats.get(&k).copied()) {
                Some(n) => n,
                None => {
                    let n = Nationality::parse(code)?;
                    if let Ok(k) = code.as_bytes().try_into() {
                        nats.insert(k, n);
                    }
                    n
                }
            };
            let gender: Gender = r.get(5)?;
            let first: Option<bool> = r.get(7)?;
            let row = sums.entry((bucket, nat, gender)).or_default();
            row[0] += 1;
            row[1] += r.get::<_, bool>(6)? as u64;
            row[2] += (first == Some(true)) as u64;
            row[3] += (first == Some(false)) as u64;
            row[4] += r.get::<_, bool>(8)? as u64;
            if let Some(band) = r.get::<_, Option<AgeBand>>(9)? {
                *ages.entry((bucket, nat, gender, band)).or_default() += 1;
            }
        }
        for ((bucket, nationality, gender, band), n) in ages {
            tally.add(bucket, CellKey { nationality, gender, measure: Measure::AgeContacts(band) }, n);
        }
        const MEASURES: [Measure; 5] =
            [Measure::Contacts, Measure::Minors, Measure::FirstContacts, Measure::KnownContacts, Measure::Protection];
        for ((bucket, nationality, gender), row) in sums {
            for (measure, n) in MEASURES.into_iter().zip(row) {
                tally.add(bucket, CellKey { nationality, gender, measure }, n);
            }
        }
        Ok(())
    }

    /// Number of contacts on outings dated within `period`: the rows a report of that
    /// period reads, walked through the same indexes.
    pub fn count_contacts_in(&self, period: Period) -> Result<u64> {
        let sql = format!("SELECT count(*) FROM {CONTACTS_IN_PERIOD}");
        Ok(self.conn.prepare_cached(&sql)?.query_row(params![period.from, period.to], |r| r.get::<_, i64>(0))? as u64)
    }

    /// The tally of one outing (its summary before closing).
    pub fn outing_tally(&self, outing_id: uuid::Uuid) -> Result<Tally> {
        let outing = self.outing(outing_id)?;
        let stops: HashMap<i64, Province> =
            self.stops(outing_id)?.into_iter().map(|s| (s.id, s.place.province)).collect();
        let mut tally = Tally::new();
        for c in self.contacts_of_outing(outing_id)? {
            if let Some(&province) = stops.get(&c.stop_id) {
                tally.add_contact(Bucket { activity: outing.activity, province, shift: outing.shift }, &c.data);
            }
        }
        self.add_outing_labour_cells(outing_id, &mut tally)?;
        self.add_outing_mapping_cells(outing_id, &mut tally)?;
        self.tally_presences(super::outreach_outings::PresenceScope::Outing(outing_id), &mut tally)?;
        Ok(tally)
    }

    /// Contacts of one outing by gender: the running totals shown while recording.
    pub fn outing_totals(&self, outing_id: uuid::Uuid) -> Result<Mft> {
        let mut st = self.conn.prepare_cached(
            "SELECT c.gender, count(*) FROM stops s JOIN contacts c ON c.stop_id = s.id
             WHERE s.outing_id = ?1 GROUP BY c.gender",
        )?;
        let mut out = Mft::default();
        for row in st.query_map([outing_id.to_string()], |r| Ok((r.get::<_, Gender>(0)?, r.get::<_, i64>(1)?)))? {
            let (gender, n) = row?;
            out.add(gender, n as u64);
        }
        Ok(out)
    }

    /// The unit's most frequent nationalities, most frequent first (at most `limit`).
    pub fn frequent_nationalities(&self, limit: usize) -> Result<Vec<Nationality>> {
        let sql = "SELECT nationality FROM contacts GROUP BY nationality ORDER BY count(*) DESC, nationality LIMIT ?1";
        all_rows(&self.conn, sql, [limit as i64], |r| r.get(0))
    }

    /// Number of contacts stored (all periods).
    pub fn count_contacts(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM contacts", [], |r| r.get::<_, i64>(0))? as u64)
    }
}

impl Store {
    /// Checks, before recording, that `n` more contacts like `data` at `stop_id` (in place
    /// of contact `replacing`, when one is edited) keep every cell of the stop's outing
    /// within [`crate::domain::rules::COUNT_PER_CELL_MAX`]: what a server refuses is never
    /// recorded.
    pub fn check_outing_cells(
        &self,
        stop_id: i64,
        data: &crate::domain::ContactData,
        n: u32,
        replacing: Option<i64>,
    ) -> Result<()> {
        let (outing_id, province): (String, Province) = self
            .conn
            .prepare_cached("SELECT outing_id, province FROM stops WHERE id = ?1")?
            .query_row([stop_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or_else(|| super::StoreError::not_found(super::Entity::Stop, stop_id))?;
        let outing_id = uuid::Uuid::parse_str(&outing_id)
            .map_err(|_| super::StoreError::not_found(super::Entity::Outing, outing_id.clone()))?;
        let outing = self.outing(outing_id)?;
        let stops: HashMap<i64, Province> =
            self.stops(outing_id)?.into_iter().map(|s| (s.id, s.place.province)).collect();
        let bucket = |p: Province| Bucket { activity: outing.activity, province: p, shift: outing.shift };
        let mut now = Tally::new();
        for c in self.contacts_of_outing(outing_id)? {
            if Some(c.id) == replacing {
                continue;
            }
            if let Some(&p) = stops.get(&c.stop_id) {
                now.add_contact(bucket(p), &c.data);
            }
        }
        let mut one = Tally::new();
        one.add_contact(bucket(province), data);
        let before: HashMap<(Bucket, CellKey), u64> = now.iter().map(|(b, c, k)| ((b, c), k)).collect();
        for (b, c, k) in one.iter() {
            let had = before.get(&(b, c)).copied().unwrap_or(0);
            crate::domain::rules::check_cell(had, k.saturating_mul(u64::from(n)))?;
        }
        Ok(())
    }

    /// Checks, before recording, that `more` of anything in an indoor session keeps every
    /// cell within [`crate::domain::rules::COUNT_PER_CELL_MAX`] (measured against its
    /// largest cell: the session's cells are many small counts).
    pub fn check_session_cells(&self, session: uuid::Uuid, more: u64) -> Result<()> {
        let largest = self.session_tally(session)?.iter().map(|(_, _, n)| n).max().unwrap_or(0);
        Ok(crate::domain::rules::check_cell(largest, more)?)
    }
}
