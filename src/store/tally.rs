//! Tallies straight from SQL: grouped in the database (the contacts index covers the
//! contacts tables), then shaped into report tables by the pure domain functions.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::outings::item_key;
use super::{Result, Store};
use crate::domain::{
    Activity, Bucket, CellKey, Gender, Measure, Nationality, Period, Province, ServiceSet, Services, Shift, Tally,
};

/// Which measures a tally needs: each part is one query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TallyParts {
    /// Contacts and their "di cui" counts (minors, first, known, protection).
    pub contacts: bool,
    /// Information, listening talks, referrals, accompaniments.
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

/// The stops of outings in the period, as a subquery on ?1 and ?2.
const STOPS_IN_PERIOD: &str =
    "SELECT s.id FROM stops s JOIN outings o ON o.id = s.outing_id WHERE o.date BETWEEN ?1 AND ?2";

impl Store {
    /// The first and last outing date, of one activity or all.
    pub fn date_range(&self, activity: Option<Activity>) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let row: Option<(Option<NaiveDate>, Option<NaiveDate>)> = self
            .conn
            .query_row(
                "SELECT min(date), max(date) FROM outings WHERE ?1 IS NULL OR activity = ?1",
                [activity.map(|a| a.code())],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(match row {
            Some((Some(a), Some(b))) => Some((a, b)),
            _ => None,
        })
    }

    fn buckets(&self, period: Period) -> Result<HashMap<i64, Bucket>> {
        let mut st = self.conn.prepare_cached(
            "SELECT s.id, o.activity, s.province, o.shift FROM stops s JOIN outings o ON o.id = s.outing_id
             WHERE o.date BETWEEN ?1 AND ?2",
        )?;
        let mut out = HashMap::new();
        let mut rows = st.query(params![period.from, period.to])?;
        while let Some(r) = rows.next()? {
            let bucket = Bucket {
                activity: Activity::parse(&r.get::<_, String>(1)?)?,
                province: Province::parse(&r.get::<_, String>(2)?)?,
                shift: Shift::parse(&r.get::<_, String>(3)?)?,
            };
            out.insert(r.get(0)?, bucket);
        }
        Ok(out)
    }

    /// Counts of every contact recorded on outings dated within `period`.
    pub fn tally(&self, period: Period, parts: TallyParts) -> Result<Tally> {
        let buckets = self.buckets(period)?;
        let mut tally = Tally::new();
        // Codes repeat across thousands of groups: parse each once.
        let mut nats: HashMap<String, Nationality> = HashMap::new();
        let mut cell = |r: &rusqlite::Row<'_>, tally_bucket: &mut Option<Bucket>| -> Result<(Nationality, Gender)> {
            let stop: i64 = r.get(0)?;
            *tally_bucket = buckets.get(&stop).copied();
            let code = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            let nat = match nats.get(code) {
                Some(n) => *n,
                None => *nats.entry(code.to_owned()).or_insert(Nationality::parse(code)?),
            };
            let gender = Gender::parse(r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?)?;
            Ok((nat, gender))
        };
        let add = |tally: &mut Tally, b: Option<Bucket>, nationality, gender, measure, n: i64| {
            if let Some(b) = b {
                tally.add(b, CellKey { nationality, gender, measure }, n as u64);
            }
        };

        if parts.contacts {
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT c.stop_id, c.nationality, c.gender, count(*), sum(c.age_band IS 'minor'),
                        sum(c.first_contact IS 1), sum(c.first_contact IS 0), sum(c.protection IS 'yes')
                 FROM contacts c WHERE c.stop_id IN ({STOPS_IN_PERIOD})
                 GROUP BY c.stop_id, c.nationality, c.gender"
            ))?;
            let mut rows = st.query(params![period.from, period.to])?;
            while let Some(r) = rows.next()? {
                let mut b = None;
                let (nat, g) = cell(r, &mut b)?;
                let measures = [
                    Measure::Contacts,
                    Measure::Minors,
                    Measure::FirstContacts,
                    Measure::KnownContacts,
                    Measure::Protection,
                ];
                for (i, m) in measures.into_iter().enumerate() {
                    add(&mut tally, b, nat, g, m, r.get(3 + i)?);
                }
            }
        }
        if parts.services {
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT c.stop_id, c.nationality, c.gender, c.information, c.listening, c.referrals, c.accompaniments,
                        count(*)
                 FROM contacts c WHERE c.stop_id IN ({STOPS_IN_PERIOD})
                   AND (c.information OR c.listening OR c.referrals OR c.accompaniments)
                 GROUP BY 1, 2, 3, 4, 5, 6, 7"
            ))?;
            let mut rows = st.query(params![period.from, period.to])?;
            while let Some(r) = rows.next()? {
                let mut b = None;
                let (nat, g) = cell(r, &mut b)?;
                let services = Services {
                    information: r.get(3)?,
                    listening: r.get(4)?,
                    referrals: ServiceSet::from_bits(r.get(5)?)?,
                    accompaniments: ServiceSet::from_bits(r.get(6)?)?,
                };
                let n: i64 = r.get(7)?;
                for m in Measure::of_services(&services) {
                    add(&mut tally, b, nat, g, m, n);
                }
            }
        }
        if parts.items {
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT c.stop_id, c.nationality, c.gender, i.kind, i.language, sum(i.quantity)
                 FROM contact_items i JOIN contacts c ON c.id = i.contact_id
                 WHERE c.stop_id IN ({STOPS_IN_PERIOD})
                 GROUP BY 1, 2, 3, 4, 5"
            ))?;
            let mut rows = st.query(params![period.from, period.to])?;
            while let Some(r) = rows.next()? {
                let mut b = None;
                let (nat, g) = cell(r, &mut b)?;
                let key = item_key(&r.get::<_, String>(3)?, &r.get::<_, String>(4)?)?;
                let n: i64 = r.get(5)?;
                for m in Measure::of_item(key) {
                    add(&mut tally, b, nat, g, m, n);
                }
            }
        }
        Ok(tally)
    }

    /// Number of contacts stored (all periods).
    pub fn count_contacts(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM contacts", [], |r| r.get::<_, i64>(0))? as u64)
    }
}
