//! The indoor counts and figures reports read: tallies grouped in SQL by province,
//! gender and nationality, and the statistics of numbers seen across sessions.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rusqlite::{params, params_from_iter};
use uuid::Uuid;

use super::meetings::MEETING_AS_CONTACT;
use crate::domain::indoor::{CONTROLLER_ADS, IndoorStats, SEEN_AGAIN_DAYS, bucket};
use crate::domain::{CellKey, Channel, ContactData, Gender, Measure, Nationality, Period, Province, Tally};
use crate::store::records::{Person, count_at, row_to_contact};
use crate::store::{Result, Store};

/// Which indoor records a tally covers.
pub(super) enum Which {
    /// Sessions dated within a period.
    Period(Period),
    /// One session.
    Session(Uuid),
}

impl Which {
    /// The condition on `s` (the sessions) with its parameters.
    pub(super) fn sql(&self) -> (&'static str, Vec<String>) {
        match self {
            Which::Period(p) => ("s.date BETWEEN ?1 AND ?2", vec![p.from.to_string(), p.to.to_string()]),
            Which::Session(id) => ("s.id = ?1", vec![id.to_string()]),
        }
    }
}

/// The calls that reached someone (`x`), with their ad (`a`, if any) and session (`s`):
/// what [`PERSONS_REACHED`] counts. Ends in a `WHERE` to extend with `AND`.
pub(super) const REACHING_CALLS: &str = "FROM indoor_attempts x JOIN indoor_sessions s ON s.id = x.session_id
     LEFT JOIN indoor_ads a ON a.id = x.ad_id WHERE x.channel = 'call' AND x.outcome = 'reached'";

/// Persons among [`REACHING_CALLS`]: the distinct numbers reached, plus one for every call
/// without a number.
pub(super) const PERSONS_REACHED: &str = "count(DISTINCT a.number_hash) + coalesce(sum(a.number_hash IS NULL), 0)";

/// Province, gender, nationality, persons reached and of them protection holders.
type ReachedCell = (Province, Gender, Nationality, u64, u64);

/// Province, gender, nationality, extra columns and the count of a grouped query.
type GroupedCell = (Province, Gender, Nationality, Vec<String>, u64);

impl Store {
    /// The indoor counts of sessions dated within `period` (ads, calls, messages,
    /// contacts, meetings with what they were given, massage centres).
    pub fn indoor_tally(&self, period: Period) -> Result<Tally> {
        self.indoor_tally_where(&Which::Period(period))
    }

    /// The indoor counts of one session (what sync sends).
    pub fn session_tally(&self, id: Uuid) -> Result<Tally> {
        self.indoor_tally_where(&Which::Session(id))
    }

    fn indoor_tally_where(&self, which: &Which) -> Result<Tally> {
        let mut t = Tally::new();
        let cell = |nationality, gender, measure| CellKey { nationality, gender, measure };
        let ad_columns = ["CAST(x.risky AS TEXT)", "coalesce(CAST(x.declared_age AS TEXT), '')"];
        for (p, g, n, extra, count) in self.grouped(which, "indoor_ads", &ad_columns)? {
            t.add(bucket(p), cell(n, g, Measure::Ads), count);
            if extra[0] == "1" {
                t.add(bucket(p), cell(n, g, Measure::RiskyAds), count);
            }
            // The declared age: minors, and the sum and count the average is made of.
            if let Ok(age) = extra[1].parse::<u64>() {
                t.add(bucket(p), cell(n, g, Measure::AdsAgeKnown), count);
                t.add(bucket(p), cell(n, g, Measure::AdsAgeSum), age * count);
                if age < 18 {
                    t.add(bucket(p), cell(n, g, Measure::MinorAds), count);
                }
            }
        }
        for (p, g, n, extra, count) in self.grouped(which, "indoor_attempts", &["x.channel"])? {
            t.add(bucket(p), cell(n, g, Measure::of_channel(Channel::parse(&extra[0])?)), count);
        }
        for (p, g, n, count, protected) in self.reached_persons(which)? {
            t.add(bucket(p), cell(n, g, Measure::Reached), count);
            t.add(bucket(p), cell(n, g, Measure::ReachedProtection), protected);
        }
        for (province, data) in self.meetings_in(which)? {
            t.add_meeting(province, &data);
        }
        for (p, g, n, extra, count) in self.grouped(which, "massage_contacts", &["x.protection"])? {
            t.add(bucket(p), cell(n, g, Measure::MassageContacts), count);
            if extra[0] == "yes" {
                t.add(bucket(p), cell(n, g, Measure::MassageProtection), count);
            }
        }
        self.add_campaigns(which, &mut t)?;
        Ok(t)
    }

    /// Rows of an indoor `table` in sessions of `period`, counted by province, gender,
    /// nationality and the `extra` columns (as text).
    fn grouped(&self, which: &Which, table: &str, extra: &[&str]) -> Result<Vec<GroupedCell>> {
        let (cond, args) = which.sql();
        let cols: String = extra.iter().map(|c| format!(", {c}")).collect();
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT x.province, x.gender, x.nationality{cols}, count(*) FROM {table} x
             JOIN indoor_sessions s ON s.id = x.session_id WHERE {cond}
             GROUP BY x.province, x.gender, x.nationality{cols}"
        ))?;
        let k = extra.len();
        let rows = st.query_map(params_from_iter(&args), |r| {
            let extra: Vec<String> = (3..3 + k).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, extra, count_at(r, 3 + k)?))
        })?;
        let out = rows.collect::<rusqlite::Result<_>>()?;
        Ok(out)
    }

    /// Persons reached by a call ("contatti svolti") in the sessions `which` covers, by the
    /// attempts' province, gender and nationality (the ad's): each number reached counts
    /// once however many calls reached it, over the whole period (or session); an attempt
    /// without a number (an imported log, an ad without one) is a person of its own. Last,
    /// those of them who seek or hold protection (said on any call that reached them).
    fn reached_persons(&self, which: &Which) -> Result<Vec<ReachedCell>> {
        let (cond, args) = which.sql();
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT x.province, x.gender, x.nationality, {PERSONS_REACHED},
                    count(DISTINCT CASE WHEN x.protection = 'yes' THEN a.number_hash END)
                    + coalesce(sum(a.number_hash IS NULL AND x.protection = 'yes'), 0)
             {REACHING_CALLS} AND {cond}
             GROUP BY x.province, x.gender, x.nationality"
        ))?;
        let rows = st.query_map(params_from_iter(&args), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, count_at(r, 3)?, count_at(r, 4)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Persons met in sessions of a period, with their items.
    fn meetings_in(&self, which: &Which) -> Result<Vec<(Province, ContactData)>> {
        let (cond, args) = which.sql();
        // The columns of a contact row, so the contact reader serves meetings too.
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {MEETING_AS_CONTACT}, m.province
             FROM indoor_meetings m JOIN indoor_sessions s ON s.id = m.session_id WHERE {cond}"
        ))?;
        let rows = st.query_map(params_from_iter(&args), |r| Ok((row_to_contact(r)?, r.get::<_, Province>(10)?)))?;
        let mut out = Vec::new();
        let mut index = HashMap::new();
        for row in rows {
            let (contact, province) = row?;
            index.insert(contact.id, out.len());
            out.push((province, contact.data));
        }
        Person::Meeting.children_of_many(
            &self.conn,
            &format!("JOIN indoor_meetings m ON m.id = x.meeting_id JOIN indoor_sessions s ON s.id = m.session_id WHERE {cond}"),
            params_from_iter(&args),
            &index,
            &mut out,
            |(_, data)| data,
        )?;
        Ok(out)
    }

    /// The first and last indoor session date.
    pub fn indoor_date_range(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let (a, b): (Option<NaiveDate>, Option<NaiveDate>) =
            self.conn
                .query_row("SELECT min(date), max(date) FROM indoor_sessions", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(a.zip(b))
    }

    /// The figures beyond the printed tables for sessions dated within `period`.
    pub fn indoor_stats(&self, period: Period) -> Result<IndoorStats> {
        let (from, to) = (period.from, period.to);
        let one = |q: &str| -> Result<u64> { Ok(self.conn.query_row(q, params![from, to], |r| count_at(r, 0))?) };
        const IN: &str = "JOIN indoor_sessions s ON s.id = x.session_id WHERE s.date BETWEEN ?1 AND ?2";
        let ads = one(&format!("SELECT count(*) FROM indoor_ads x {IN}"))?;
        let calls = one(&format!("SELECT count(*) FROM indoor_attempts x {IN} AND x.channel = 'call'"))?;
        let ads_reached = one(&format!(
            "SELECT count(*) FROM indoor_ads x {IN}
             AND EXISTS (SELECT 1 FROM indoor_attempts t WHERE t.ad_id = x.id AND t.outcome = 'reached')"
        ))?;
        let mut messages_by_channel: BTreeMap<String, u64> =
            Channel::ALL.iter().filter(|c| c.is_message()).map(|c| (c.code().to_owned(), 0)).collect();
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT x.channel, count(*) FROM indoor_attempts x {IN} AND x.channel <> 'call' GROUP BY 1"
        ))?;
        for row in st.query_map(params![from, to], |r| Ok((r.get::<_, String>(0)?, count_at(r, 1)?)))? {
            let (ch, n) = row?;
            messages_by_channel.insert(ch, n);
        }
        // Numbers: how many ads each has in the period, and whether it was seen in an
        // earlier session within 14 days before a session of the period.
        let numbers_ads = format!(
            "SELECT count(*) FROM (SELECT x.number_hash FROM indoor_ads x {IN} AND x.number_hash IS NOT NULL
             GROUP BY x.number_hash HAVING count(*) >= ?3)"
        );
        let several = |k: u32| -> Result<u64> {
            Ok(self.conn.query_row(&numbers_ads, params![from, to, k], |r| count_at(r, 0))?)
        };
        let seen_again = one(&format!(
            "SELECT count(DISTINCT x.number_hash) FROM indoor_ads x {IN} AND x.number_hash IS NOT NULL
             AND EXISTS (SELECT 1 FROM indoor_ads e JOIN indoor_sessions es ON es.id = e.session_id
                         WHERE e.number_hash = x.number_hash AND es.id <> s.id
                           AND es.date < s.date AND es.date >= date(s.date, '-{} days'))",
            SEEN_AGAIN_DAYS
        ))?;
        Ok(IndoorStats {
            from,
            to,
            ads,
            calls,
            messages_by_channel,
            ads_reached,
            share_of_ads_reached: if ads == 0 { 0.0 } else { ads_reached as f64 / ads as f64 },
            numbers: several(1)?,
            numbers_in_several_ads: several(2)?,
            likely_controllers: several(CONTROLLER_ADS)?,
            numbers_seen_again_within_14_days: seen_again,
        })
    }
}
