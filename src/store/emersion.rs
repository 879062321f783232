//! Emersion beyond outreach, on the phone: identification interviews with persons of the
//! register and what became known of them (dated, so a person's state on any day is the
//! latest word on each field), Referral requests, outcomes of contacts and meetings, and
//! helpline reports. One transaction per change. [`Store::emersion_tally`] counts a
//! period from these records: persons once per kind and province, interviews and reports
//! as many as they were; it is what reports print and what the phone syncs (under
//! [`Activity::Emersion`]).

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};

use super::persons::new_person;
use super::records::{all_rows, by_id};
use super::{Entity, Result, Store, StoreError};
use crate::domain::emersion::{
    Findings, HelplineReport, IdCount, Interview, InterviewKind, Interviewed, OutcomeSet, ReferralRequest, bump,
};
use crate::domain::rules;
use crate::domain::{
    Activity, AgeBand, Bucket, CellKey, ContactData, DomainError, Gender, Measure, Nationality, Period, Person,
    PersonDetails, Province, Shift, Tally,
};

/// The bucket every emersion count of a province is kept in.
pub fn emersion_bucket(province: Province) -> Bucket {
    Bucket { activity: Activity::Emersion, province, shift: Shift::Day }
}

/// A new interview: who, when, where, which kind, and what became known at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInterview {
    /// The person (register id).
    pub person: i64,
    /// The day.
    pub date: NaiveDate,
    /// The province.
    pub province: Province,
    /// Social secretariat or Referral.
    pub kind: InterviewKind,
    /// What became known at it (nothing: all `None`).
    #[serde(default)]
    pub findings: Findings,
    /// Referral: the day the Commissione's request was received, when it is not on record
    /// yet (default: the interview's day).
    #[serde(default)]
    pub requested: Option<NaiveDate>,
}

/// An interview as listed on a person's card: with what became known at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterviewEntry {
    /// The interview.
    pub interview: Interview,
    /// What became known at it.
    pub findings: Findings,
}

/// The columns [`row_to_findings`] reads, from `verdict` on, on `f`.
const FINDINGS_COLUMNS: &str = "f.verdict, f.typology, f.adhesion, f.channel, f.place, f.minor, f.indicators";

fn row_to_findings(r: &Row<'_>, at: usize) -> rusqlite::Result<Findings> {
    Ok(Findings {
        verdict: r.get(at)?,
        typology: r.get(at + 1)?,
        adhesion: r.get(at + 2)?,
        channel: r.get(at + 3)?,
        place: r.get(at + 4)?,
        minor: r.get(at + 5)?,
        indicators: r.get(at + 6)?,
    })
}

fn row_to_interview(r: &Row<'_>) -> rusqlite::Result<Interview> {
    Ok(Interview { id: r.get(0)?, person: r.get(1)?, date: r.get(2)?, province: r.get(3)?, kind: r.get(4)? })
}

/// Writes what became known of `person` on `date` (nothing when `findings` is empty).
fn insert_findings(
    tx: &Transaction<'_>,
    person: i64,
    date: NaiveDate,
    interview: Option<i64>,
    f: &Findings,
) -> Result<()> {
    if f.is_empty() {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO identification_facts
             (person_id, date, interview_id, verdict, typology, adhesion, channel, place, minor, indicators, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        person,
        date,
        interview,
        f.verdict,
        f.typology,
        f.adhesion,
        f.channel,
        f.place,
        f.minor,
        f.indicators,
        Utc::now().to_rfc3339()
    ])?;
    Ok(())
}

/// Fails unless `person` is in the register (not merged away).
fn ensure_person(tx: &rusqlite::Connection, person: i64) -> Result<()> {
    let there: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM persons WHERE id = ?1 AND merged_into IS NULL)")?
        .query_row([person], |r| r.get(0))?;
    if there { Ok(()) } else { Err(StoreError::not_found(Entity::Person, person)) }
}

/// Checks a day of emersion work: a calendar day not after tomorrow.
fn check_day(date: NaiveDate) -> Result<()> {
    rules::check_date(date, Utc::now().date_naive()).map_err(|v| DomainError::from(v).into())
}

/// A Referral interview answers the latest request received on or before its day; when
/// there is none, one is recorded, received on `requested` (or the interview's day).
fn ensure_request(tx: &Transaction<'_>, new: &NewInterview) -> Result<()> {
    let received = new.requested.unwrap_or(new.date).min(new.date);
    let answered: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM referral_requests WHERE person_id = ?1 AND received <= ?2)")?
        .query_row(params![new.person, new.date], |r| r.get(0))?;
    if answered && new.requested.is_none() {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT OR IGNORE INTO referral_requests (person_id, received, province, recorded_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![new.person, received, new.province, Utc::now().to_rfc3339()])?;
    Ok(())
}

/// Records an interview in `tx` (the import's path and the app's): the interview, what
/// became known at it, and for a Referral its request. Returns the interview's id.
pub(super) fn insert_interview(tx: &Transaction<'_>, new: &NewInterview) -> Result<i64> {
    check_day(new.date)?;
    if let Some(r) = new.requested {
        check_day(r)?;
    }
    ensure_person(tx, new.person)?;
    tx.prepare_cached(
        "INSERT INTO interviews (person_id, date, province, kind, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![new.person, new.date, new.province, new.kind, Utc::now().to_rfc3339()])?;
    let id = tx.last_insert_rowid();
    insert_findings(tx, new.person, new.date, Some(id), &new.findings)?;
    if new.kind == InterviewKind::Referral {
        ensure_request(tx, new)?;
    }
    Ok(id)
}

/// The ids of a person's emersion records, to move them in a merge and back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct EmersionIds {
    interviews: Vec<i64>,
    facts: Vec<i64>,
    requests: Vec<i64>,
    meetings: Vec<i64>,
}

/// The tables a person's emersion records are in, with the field of [`EmersionIds`].
const EMERSION_TABLES: [&str; 4] = ["interviews", "identification_facts", "referral_requests", "indoor_meetings"];

impl EmersionIds {
    fn lists(&mut self) -> [&mut Vec<i64>; 4] {
        [&mut self.interviews, &mut self.facts, &mut self.requests, &mut self.meetings]
    }

    /// Moves every emersion record of `from` to `to`; returns their ids.
    pub(super) fn move_all(tx: &Transaction<'_>, from: i64, to: i64) -> Result<EmersionIds> {
        let mut ids = EmersionIds::default();
        for (table, list) in EMERSION_TABLES.iter().zip(ids.lists()) {
            *list = all_rows(tx, &format!("SELECT id FROM {table} WHERE person_id = ?1"), [from], |r| r.get(0))?;
            tx.execute(
                &format!("UPDATE OR IGNORE {table} SET person_id = ?1 WHERE person_id = ?2"),
                params![to, from],
            )?;
        }
        Ok(ids)
    }

    /// Moves these records back from `from` to `to` (the undo of [`EmersionIds::move_all`]).
    pub(super) fn move_back(mut self, tx: &Transaction<'_>, from: i64, to: i64) -> Result<()> {
        for (table, list) in EMERSION_TABLES.iter().zip(self.lists()) {
            let mut st =
                tx.prepare_cached(&format!("UPDATE {table} SET person_id = ?2 WHERE id = ?1 AND person_id = ?3"))?;
            for id in list.iter() {
                st.execute(params![id, to, from])?;
            }
        }
        Ok(())
    }
}

/// True when a person has emersion records (and so stays in the register without contacts).
pub(super) const HAS_EMERSION: &str = "EXISTS (SELECT 1 FROM interviews WHERE person_id = ?1)
     OR EXISTS (SELECT 1 FROM identification_facts WHERE person_id = ?1)
     OR EXISTS (SELECT 1 FROM referral_requests WHERE person_id = ?1)
     OR EXISTS (SELECT 1 FROM indoor_meetings WHERE person_id = ?1)";

fn row_to_helpline(r: &Row<'_>) -> rusqlite::Result<HelplineReport> {
    Ok(HelplineReport {
        id: r.get(0)?,
        date: r.get(1)?,
        province: r.get(2)?,
        gender: r.get(3)?,
        nationality: r.get(4)?,
        known: r.get(5)?,
        source: r.get(6)?,
        help: r.get(7)?,
        outcome: r.get(8)?,
    })
}

const HELPLINE_COLUMNS: &str = "id, date, province, gender, nationality, known, source, help, outcome";

impl Store {
    /// A person for the register without a contact (someone first met at an interview,
    /// such as a Referral from the Commissione). One transaction.
    pub fn create_person(&mut self, details: &PersonDetails) -> Result<Person> {
        let name = rules::person_name(details.name.as_deref())?;
        let tx = self.write()?;
        let mut data = ContactData::new(details.gender, details.nationality);
        data.age_band = details.age_band;
        data.protection = details.protection;
        let id = new_person(&tx, &data, None)?;
        tx.execute("UPDATE persons SET name = ?2 WHERE id = ?1", params![id, name])?;
        tx.commit()?;
        self.person(id)
    }

    /// Records an identification interview, with what became known at it. One transaction.
    pub fn record_interview(&mut self, new: &NewInterview) -> Result<Interview> {
        let tx = self.write()?;
        let id = insert_interview(&tx, new)?;
        tx.commit()?;
        self.interview(id)
    }

    /// One interview.
    pub fn interview(&self, id: i64) -> Result<Interview> {
        by_id(
            &self.conn,
            "SELECT id, person_id, date, province, kind FROM interviews WHERE id = ?1",
            id,
            Entity::Interview,
            row_to_interview,
        )
    }

    /// Takes back an interview and what was noted at it. One transaction.
    pub fn delete_interview(&mut self, id: i64) -> Result<()> {
        let tx = self.write()?;
        tx.execute("DELETE FROM identification_facts WHERE interview_id = ?1", [id])?;
        if tx.execute("DELETE FROM interviews WHERE id = ?1", [id])? == 0 {
            return Err(StoreError::not_found(Entity::Interview, id));
        }
        tx.commit()?;
        Ok(())
    }

    /// A person's interviews, oldest first, each with what became known at it.
    pub fn interviews_of(&self, person: i64) -> Result<Vec<InterviewEntry>> {
        let sql = format!(
            "SELECT i.id, i.person_id, i.date, i.province, i.kind, {FINDINGS_COLUMNS}
             FROM interviews i LEFT JOIN identification_facts f ON f.interview_id = i.id
             WHERE i.person_id = ?1 ORDER BY i.date, i.id, f.id"
        );
        let rows = all_rows(&self.conn, &sql, [person], |r| Ok((row_to_interview(r)?, row_to_findings(r, 5)?)))?;
        let mut out: Vec<InterviewEntry> = Vec::new();
        for (interview, findings) in rows {
            match out.last_mut() {
                Some(last) if last.interview.id == interview.id => last.findings = last.findings.then(&findings),
                _ => out.push(InterviewEntry { interview, findings }),
            }
        }
        Ok(out)
    }

    /// Notes what became known of a person on a day without an interview (the
    /// Commissione's decision, an adhesion by phone). One transaction.
    pub fn note_findings(&mut self, person: i64, date: NaiveDate, findings: &Findings) -> Result<()> {
        check_day(date)?;
        let tx = self.write()?;
        ensure_person(&tx, person)?;
        insert_findings(&tx, person, date, None, findings)?;
        tx.commit()?;
        Ok(())
    }

    /// A person's identification on `day`: the latest word on each field up to that day.
    pub fn identification_state(&self, person: i64, day: NaiveDate) -> Result<Findings> {
        let sql = format!(
            "SELECT {FINDINGS_COLUMNS} FROM identification_facts f WHERE f.person_id = ?1 AND f.date <= ?2
             ORDER BY f.date, f.id"
        );
        let facts = all_rows(&self.conn, &sql, params![person, day], |r| row_to_findings(r, 0))?;
        Ok(Findings::fold(&facts))
    }

    /// Records a Referral request received for a person. One transaction.
    pub fn record_referral_request(
        &mut self,
        person: i64,
        received: NaiveDate,
        province: Province,
    ) -> Result<ReferralRequest> {
        check_day(received)?;
        let tx = self.write()?;
        ensure_person(&tx, person)?;
        tx.execute(
            "INSERT INTO referral_requests (person_id, received, province, recorded_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (person_id, received) DO UPDATE SET province = excluded.province",
            params![person, received, province, Utc::now().to_rfc3339()],
        )?;
        let id: i64 = tx.query_row(
            "SELECT id FROM referral_requests WHERE person_id = ?1 AND received = ?2",
            params![person, received],
            |r| r.get(0),
        )?;
        tx.commit()?;
        Ok(ReferralRequest { id, person, received, province })
    }

    /// A person's Referral requests, oldest first.
    pub fn referral_requests_of(&self, person: i64) -> Result<Vec<ReferralRequest>> {
        all_rows(
            &self.conn,
            "SELECT id, person_id, received, province FROM referral_requests WHERE person_id = ?1 ORDER BY received",
            [person],
            |r| Ok(ReferralRequest { id: r.get(0)?, person: r.get(1)?, received: r.get(2)?, province: r.get(3)? }),
        )
    }

    /// Sets what came of a contact (outcomes are learnt later too: a closed outing takes
    /// them, and its summary does not change, as outcomes are counted per period). One
    /// transaction.
    pub fn set_contact_outcomes(&mut self, contact: i64, outcomes: OutcomeSet) -> Result<()> {
        let tx = self.write()?;
        if tx.execute("UPDATE contacts SET outcomes = ?2 WHERE id = ?1", params![contact, outcomes.bits()])? == 0 {
            return Err(StoreError::not_found(Entity::Contact, contact));
        }
        tx.commit()?;
        Ok(())
    }

    /// Sets what came of a meeting of an indoor session. One transaction.
    pub fn set_meeting_outcomes(&mut self, meeting: i64, outcomes: OutcomeSet) -> Result<()> {
        let tx = self.write()?;
        if tx.execute("UPDATE indoor_meetings SET outcomes = ?2 WHERE id = ?1", params![meeting, outcomes.bits()])? == 0
        {
            return Err(StoreError::not_found(Entity::Meeting, meeting));
        }
        tx.commit()?;
        Ok(())
    }

    /// Records a helpline report; returns it with its id. One transaction.
    pub fn record_helpline_report(&mut self, report: &HelplineReport) -> Result<HelplineReport> {
        check_day(report.date)?;
        let tx = self.write()?;
        let id = insert_helpline(&tx, report)?;
        tx.commit()?;
        self.helpline_report(id)
    }

    /// Replaces a helpline report. One transaction.
    pub fn update_helpline_report(&mut self, report: &HelplineReport) -> Result<HelplineReport> {
        check_day(report.date)?;
        let tx = self.write()?;
        let n = tx.execute(
            "UPDATE helpline_reports SET date = ?2, province = ?3, gender = ?4, nationality = ?5, known = ?6,
                    source = ?7, help = ?8, outcome = ?9 WHERE id = ?1",
            params![
                report.id,
                report.date,
                report.province,
                report.gender,
                report.nationality,
                report.known,
                report.source,
                report.help.bits(),
                report.outcome
            ],
        )?;
        if n == 0 {
            return Err(StoreError::not_found(Entity::HelplineReport, report.id));
        }
        tx.commit()?;
        self.helpline_report(report.id)
    }

    /// Deletes a helpline report. One transaction.
    pub fn delete_helpline_report(&mut self, id: i64) -> Result<()> {
        let tx = self.write()?;
        if tx.execute("DELETE FROM helpline_reports WHERE id = ?1", [id])? == 0 {
            return Err(StoreError::not_found(Entity::HelplineReport, id));
        }
        tx.commit()?;
        Ok(())
    }

    /// One helpline report.
    pub fn helpline_report(&self, id: i64) -> Result<HelplineReport> {
        let sql = format!("SELECT {HELPLINE_COLUMNS} FROM helpline_reports WHERE id = ?1");
        by_id(&self.conn, &sql, id, Entity::HelplineReport, row_to_helpline)
    }

    /// The helpline reports of a period, newest first.
    pub fn helpline_reports(&self, period: Period) -> Result<Vec<HelplineReport>> {
        let sql = format!(
            "SELECT {HELPLINE_COLUMNS} FROM helpline_reports WHERE date BETWEEN ?1 AND ?2 ORDER BY date DESC, id DESC"
        );
        all_rows(&self.conn, &sql, params![period.from, period.to], row_to_helpline)
    }

    /// The first and last day of any emersion record (interview, finding, request,
    /// contact or meeting with an outcome, helpline report).
    pub fn emersion_range(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT min(d), max(d) FROM (
                     SELECT date AS d FROM interviews UNION ALL SELECT date FROM identification_facts
                     UNION ALL SELECT received FROM referral_requests UNION ALL SELECT date FROM helpline_reports
                     UNION ALL SELECT o.date FROM contacts c JOIN stops s ON s.id = c.stop_id
                         JOIN outings o ON o.id = s.outing_id WHERE c.outcomes != 0
                     UNION ALL SELECT x.date FROM indoor_meetings m JOIN indoor_sessions x ON x.id = m.session_id
                         WHERE m.outcomes != 0)",
                [],
                |r| Ok((r.get::<_, Option<NaiveDate>>(0)?, r.get::<_, Option<NaiveDate>>(1)?)),
            )
            .optional()?
            .and_then(|(a, b)| a.zip(b)))
    }

    /// The emersion counts of a period (any range: they are counted from the records), in
    /// buckets of [`Activity::Emersion`] by province:
    /// - per interview kind, the persons interviewed in the period (once per kind and
    ///   province), their interviews, and what they were at the end of the period
    ///   (identified, adhesion, typology, channel, place, indicators, minors); Referral
    ///   requests received in it and those unanswered at its end;
    /// - the persons with each outcome of a contact or meeting in the period (once per
    ///   province, whatever the activity), and with any;
    /// - helpline reports, by what they say.
    pub fn emersion_tally(&self, period: Period) -> Result<Tally> {
        let mut tally = Tally::new();
        let who = self.register_cells()?;
        self.add_interviews(period, &who, &mut tally)?;
        self.add_outcomes(period, &who, &mut tally)?;
        self.add_sector_persons(period, &who, &mut tally)?;
        for r in self.helpline_reports(period)? {
            for c in r.counts() {
                let cell = CellKey { nationality: r.nationality, gender: r.gender, measure: Measure::Helpline(c) };
                tally.add(emersion_bucket(r.province), cell, 1);
            }
        }
        Ok(tally)
    }

    /// Every person of the register: nationality, gender, and a minor by their age band.
    fn register_cells(&self) -> Result<HashMap<i64, (Nationality, Gender, bool)>> {
        Ok(all_rows(
            &self.conn,
            "SELECT id, nationality, gender, age_band FROM persons WHERE merged_into IS NULL",
            [],
            |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get::<_, Option<AgeBand>>(3)? == Some(AgeBand::Minor)))),
        )?
        .into_iter()
        .collect())
    }

    fn add_interviews(
        &self,
        period: Period,
        who: &HashMap<i64, (Nationality, Gender, bool)>,
        tally: &mut Tally,
    ) -> Result<()> {
        let interviews: Vec<(i64, NaiveDate, Province, InterviewKind)> = all_rows(
            &self.conn,
            "SELECT person_id, date, province, kind FROM interviews WHERE date <= ?1",
            [period.to],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let mut held: BTreeMap<(InterviewKind, Province, i64), u64> = BTreeMap::new();
        let mut referral_days: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
        for &(person, date, province, kind) in &interviews {
            if period.contains(date) {
                bump(&mut held, (kind, province, person), 1);
            }
            if kind == InterviewKind::Referral {
                referral_days.entry(person).or_default().push(date);
            }
        }
        let sql = format!(
            "SELECT f.person_id, {FINDINGS_COLUMNS} FROM identification_facts f WHERE f.date <= ?1
             ORDER BY f.date, f.id"
        );
        let mut state: HashMap<i64, Findings> = HashMap::new();
        for (person, f) in
            all_rows(&self.conn, &sql, [period.to], |r| Ok((r.get::<_, i64>(0)?, row_to_findings(r, 1)?)))?
        {
            let s = state.entry(person).or_default();
            *s = s.then(&f);
        }
        let mut add = |province: Province, person: i64, kind: InterviewKind, c: IdCount, n: u64| {
            if let Some(&(nationality, gender, _)) = who.get(&person) {
                let cell = CellKey { nationality, gender, measure: Measure::Id(kind, c) };
                tally.add(emersion_bucket(province), cell, n);
            }
        };
        for (&(kind, province, person), &interviews) in &held {
            let state = state.get(&person).copied().unwrap_or_default();
            let minor = state.minor.unwrap_or_else(|| who.get(&person).is_some_and(|w| w.2));
            for (c, n) in (Interviewed { interviews, state, minor }).counts() {
                add(province, person, kind, c, n);
            }
        }
        let requests: Vec<(i64, NaiveDate, Province)> = all_rows(
            &self.conn,
            "SELECT person_id, received, province FROM referral_requests WHERE received <= ?1",
            [period.to],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        for (person, received, province) in requests {
            if period.contains(received) {
                add(province, person, InterviewKind::Referral, IdCount::Requests, 1);
            }
            let answered = referral_days.get(&person).is_some_and(|days| days.iter().any(|d| *d >= received));
            if !answered {
                add(province, person, InterviewKind::Referral, IdCount::Unanswered, 1);
            }
        }
        Ok(())
    }

    fn add_outcomes(
        &self,
        period: Period,
        who: &HashMap<i64, (Nationality, Gender, bool)>,
        tally: &mut Tally,
    ) -> Result<()> {
        // A person with a register id counts once per province; a meeting without one is
        // a person of its own (its id, shifted past every contact id, then negated).
        let mut persons: BTreeMap<(Province, i64), (Nationality, Gender, OutcomeSet)> = BTreeMap::new();
        let rows: Vec<(Province, Option<i64>, i64, Nationality, Gender, OutcomeSet)> = all_rows(
            &self.conn,
            "SELECT s.province, c.person_id, c.id, c.nationality, c.gender, c.outcomes
             FROM contacts c JOIN stops s ON s.id = c.stop_id JOIN outings o ON o.id = s.outing_id
             WHERE c.outcomes != 0 AND o.date BETWEEN ?1 AND ?2
             UNION ALL
             SELECT m.province, m.person_id, m.id + 1099511627776, m.nationality, m.gender, m.outcomes
             FROM indoor_meetings m JOIN indoor_sessions x ON x.id = m.session_id
             WHERE m.outcomes != 0 AND x.date BETWEEN ?1 AND ?2",
            params![period.from, period.to],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )?;
        for (province, person, own, nationality, gender, set) in rows {
            let (key, nat, g) = match person.and_then(|p| who.get(&p).map(|w| (p, w))) {
                Some((p, &(n, g, _))) => (p, n, g),
                // Not in the register: a person of its own, under a key no register id has.
                None => (person.unwrap_or(-own - 1), nationality, gender),
            };
            let e = persons.entry((province, key)).or_insert((nat, g, OutcomeSet::EMPTY));
            e.2 = e.2.union(set);
        }
        for ((province, _), (nationality, gender, set)) in persons {
            let mut add = |measure| tally.add(emersion_bucket(province), CellKey { nationality, gender, measure }, 1);
            add(Measure::OutcomePersons);
            set.iter().for_each(|o| add(Measure::Outcome(o)));
        }
        Ok(())
    }
}

/// Inserts a helpline report in `tx`; returns its id.
pub(super) fn insert_helpline(tx: &Transaction<'_>, r: &HelplineReport) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO helpline_reports (date, province, gender, nationality, known, source, help, outcome, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        r.date,
        r.province,
        r.gender,
        r.nationality,
        r.known,
        r.source,
        r.help.bits(),
        r.outcome,
        Utc::now().to_rfc3339()
    ])?;
    Ok(tx.last_insert_rowid())
}
