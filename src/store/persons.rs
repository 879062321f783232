//! The register of persons and the persons of each reporting period.
//!
//! Every contact is one person's. A tap of gender and nationality creates a person; a
//! known person is met again in one tap. `person_periods` holds one row per person met in
//! a period (every calendar month, quarter and year, and each period the server
//! published), activity, province and shift, with the cell the person counts in; the
//! triggers of schema 4 keep `period_cells`, the persons per cell, in the same
//! transaction. A report of a kept period reads those cells; any other range counts the
//! distinct persons of its contacts. Nothing of this table leaves the phone but counts.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use sha2::{Digest, Sha256};

use super::emersion::{EmersionIds, HAS_EMERSION};
use super::lifecycle::touch;
use super::records::{all_rows, by_id};
use super::{Entity, Record, Result, Store, StoreError};
use crate::domain::rules::{self, Violation};
use crate::domain::{
    Activity, AgeBand, Bucket, CellKey, ContactData, DomainError, Gender, Measure, Nationality, Period, Person,
    PersonDetails, Province, Shift, Tally,
};
use crate::wire::{PersonAck, PersonCell, PersonSummary};

/// The columns [`row_to_person`] reads.
const PERSON_COLUMNS: &str =
    "p.id, p.name, p.gender, p.nationality, p.age_band, p.protection, p.first_met, p.last_met, p.times";

fn row_to_person(r: &Row<'_>) -> rusqlite::Result<Person> {
    Ok(Person {
        id: r.get(0)?,
        name: r.get(1)?,
        gender: r.get(2)?,
        nationality: r.get(3)?,
        age_band: r.get(4)?,
        protection: r.get(5)?,
        first_met: r.get(6)?,
        last_met: r.get(7)?,
        times: r.get(8)?,
    })
}

/// Where and when a contact was: what decides the periods and cells a person is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Met {
    /// The outing's day.
    pub date: NaiveDate,
    /// Its activity.
    pub activity: Activity,
    /// The stop's province.
    pub province: Province,
    /// The outing's shift.
    pub shift: Shift,
}

/// A new person with the details of their first contact; returns the id.
pub(super) fn new_person(tx: &Transaction<'_>, data: &ContactData, import_code: Option<&str>) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO persons (import_code, gender, nationality, age_band, protection, known_before, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        import_code,
        data.gender,
        data.nationality,
        data.age_band,
        data.protection,
        data.first_contact == Some(false),
        Utc::now().to_rfc3339()
    ])?;
    Ok(tx.last_insert_rowid())
}

/// The person an imported code names (the one it was merged into, if so), if any.
pub(super) fn person_by_code(tx: &Transaction<'_>, code: &str) -> Result<Option<Person>> {
    Ok(tx
        .prepare_cached(&format!(
            "SELECT {PERSON_COLUMNS} FROM persons x JOIN persons p ON p.id = coalesce(x.merged_into, x.id)
             WHERE x.import_code = ?1"
        ))?
        .query_row([code], row_to_person)
        .optional()?)
}

/// The person an imported code names, created with `data` the first time. A later row
/// must describe the same person (gender, nationality, age band, protection): a file
/// that disagrees with itself or with an earlier import is refused, not guessed at.
pub(super) fn person_of_code(tx: &Transaction<'_>, code: &str, data: &ContactData) -> Result<i64> {
    rules::check_person_code(code)?;
    let Some(p) = person_by_code(tx, code)? else { return new_person(tx, data, Some(code)) };
    if (p.gender, p.nationality, p.age_band, p.protection)
        != (data.gender, data.nationality, data.age_band, data.protection)
    {
        let was = format!("{} {} {:?} {}", p.gender, p.nationality, p.age_band.map(|a| a.code()), p.protection);
        return Err(DomainError::invalid(
            "person",
            format!("person {code} is described differently than before ({was}): one person has one gender, nationality, age band and protection"),
        )
        .into());
    }
    Ok(p.id)
}

/// The named periods this phone keeps besides the calendar ones.
pub(super) fn named_periods(tx: &rusqlite::Connection) -> Result<Vec<Period>> {
    let keys: Vec<String> = all_rows(tx, "SELECT period FROM periods", [], |r| r.get(0))?;
    Ok(keys.iter().filter_map(|k| Period::parse_key(k).ok()).collect())
}

/// Every kept period containing `date`.
fn periods_of(date: NaiveDate, named: &[Period]) -> impl Iterator<Item = Period> + '_ {
    Period::calendar_of(date).into_iter().chain(named.iter().copied().filter(move |p| p.contains(date)))
}

/// Puts a person in the periods of one contact (the tap's path: one row read, a few
/// written). Returns false when the contact is earlier than the person's first one, which
/// changes who is new where: the caller then rebuilds that person.
pub(super) fn note_met(tx: &Transaction<'_>, person: i64, met: Met, named: &[Period]) -> Result<bool> {
    let first: Option<NaiveDate> = tx
        .prepare_cached("SELECT first_met FROM persons WHERE id = ?1")?
        .query_row([person], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::not_found(Entity::Person, person))?;
    tx.prepare_cached(
        "UPDATE persons SET first_met = coalesce(min(first_met, ?2), ?2), last_met = coalesce(max(last_met, ?2), ?2),
                times = times + 1 WHERE id = ?1",
    )?
    .execute(params![person, met.date])?;
    if first.is_some_and(|f| f > met.date) {
        return Ok(false);
    }
    put_in_periods(tx, person, met, named)?;
    Ok(true)
}

/// The rows of one person in every kept period containing `met`'s day (those already
/// there are left as they are).
fn put_in_periods(tx: &Transaction<'_>, person: i64, met: Met, named: &[Period]) -> Result<()> {
    let mut ins = tx.prepare_cached(
        "INSERT OR IGNORE INTO person_periods
             (period, activity, province, shift, person_id, nationality, gender, minor, new, protection, age)
         SELECT ?1, ?2, ?3, ?4, p.id, p.nationality, p.gender, p.age_band IS 'minor',
                p.first_met BETWEEN ?5 AND ?6 AND NOT p.known_before, p.protection IS 'yes', coalesce(p.age_band, '')
         FROM persons p WHERE p.id = ?7",
    )?;
    for period in periods_of(met.date, named) {
        ins.execute(params![period.key(), met.activity, met.province, met.shift, period.from, period.to, person])?;
    }
    Ok(())
}

/// Recomputes everything derived of `persons` from their contacts: first and last day,
/// times met, "already known", and their rows in every kept period. A person left without
/// contacts (the tap that created them was taken back) is removed, unless a merge that
/// can still be undone names them or they have emersion records (an interview, a
/// request, a meeting).
pub(super) fn rebuild(tx: &Transaction<'_>, persons: impl IntoIterator<Item = i64>) -> Result<()> {
    let named = named_periods(tx)?;
    let mut contacts = tx.prepare_cached(
        "SELECT o.date, o.activity, s.province, o.shift, c.first_contact
         FROM contacts c JOIN stops s ON s.id = c.stop_id JOIN outings o ON o.id = s.outing_id
         WHERE c.person_id = ?1 ORDER BY o.date, c.id",
    )?;
    for id in persons.into_iter().collect::<BTreeSet<_>>() {
        tx.prepare_cached("DELETE FROM person_periods WHERE person_id = ?1")?.execute([id])?;
        let rows: Vec<(Met, Option<bool>)> = contacts
            .query_map([id], |r| {
                Ok((Met { date: r.get(0)?, activity: r.get(1)?, province: r.get(2)?, shift: r.get(3)? }, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let (first, last) = (rows.first().map(|(m, _)| m.date), rows.last().map(|(m, _)| m.date));
        let known = rows.first().is_some_and(|(_, k)| *k == Some(false));
        tx.prepare_cached(
            "UPDATE persons SET first_met = ?2, last_met = ?3, times = ?4, known_before = ?5 WHERE id = ?1",
        )?
        .execute(params![id, first, last, rows.len() as i64, known])?;
        if rows.is_empty() {
            tx.prepare_cached(&format!(
                "DELETE FROM persons WHERE id = ?1 AND merged_into IS NULL
                 AND NOT EXISTS (SELECT 1 FROM person_merges WHERE kept = ?1 OR absorbed = ?1)
                 AND NOT ({HAS_EMERSION})"
            ))?
            .execute([id])?;
            continue;
        }
        let merged: bool = tx
            .prepare_cached("SELECT merged_into IS NOT NULL FROM persons WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?;
        if merged {
            continue;
        }
        for met in rows.into_iter().map(|(m, _)| m).collect::<BTreeSet<Met>>() {
            put_in_periods(tx, id, met, &named)?;
        }
    }
    Ok(())
}

/// The persons whose contacts are in outing `id`.
pub(super) fn persons_of_outing(tx: &Transaction<'_>, outing: &str) -> Result<Vec<i64>> {
    all_rows(
        tx,
        "SELECT DISTINCT c.person_id FROM contacts c JOIN stops s ON s.id = c.stop_id
         WHERE s.outing_id = ?1 AND c.person_id IS NOT NULL",
        [outing],
        |r| r.get(0),
    )
}

/// Marks changed every outing with a contact of `person` (a closed one is sent again).
fn touch_outings_of(tx: &Transaction<'_>, person: i64) -> Result<()> {
    let outings: Vec<String> = all_rows(
        tx,
        "SELECT DISTINCT s.outing_id FROM contacts c JOIN stops s ON s.id = c.stop_id WHERE c.person_id = ?1",
        [person],
        |r| r.get(0),
    )?;
    outings.iter().try_for_each(|o| touch(tx, Record::Outing, o))
}

/// Copies a person's details onto every contact of theirs, so that contacts and persons
/// count in the same cells.
fn copy_to_contacts(tx: &Transaction<'_>, person: i64) -> Result<()> {
    tx.prepare_cached(
        "UPDATE contacts SET (gender, nationality, age_band, protection) =
             (SELECT gender, nationality, age_band, protection FROM persons WHERE id = ?1)
         WHERE person_id = ?1",
    )?
    .execute([person])?;
    Ok(())
}

/// After a person's details changed: their contacts take them, their outings are sent
/// again, their period rows move to the new cell.
pub(super) fn follow_person(tx: &Transaction<'_>, person: i64) -> Result<()> {
    copy_to_contacts(tx, person)?;
    touch_outings_of(tx, person)?;
    rebuild(tx, [person])
}

/// The counts of one period, activity and province as sent: persons and their "di cui"
/// per shift × nationality × gender, in a stable order.
fn person_cells(tx: &Transaction<'_>, key: &str, activity: Activity, province: Province) -> Result<Vec<PersonCell>> {
    let mut sums: BTreeMap<(Shift, Nationality, Gender, Measure), u32> = BTreeMap::new();
    let mut st = tx.prepare_cached(
        "SELECT shift, nationality, gender, minor, new, protection, persons, age FROM period_cells
         WHERE period = ?1 AND activity = ?2 AND province = ?3",
    )?;
    let mut rows = st.query(params![key, activity, province])?;
    while let Some(r) = rows.next()? {
        let (shift, nationality, gender) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let (minor, new, protection): (bool, bool, bool) = (r.get(3)?, r.get(4)?, r.get(5)?);
        let n: u32 = r.get(6)?;
        let age = age_of(r.get_ref(7)?.as_str().unwrap_or(""));
        for (_, measure) in person_measures(minor, new, protection).into_iter().filter(|(on, _)| *on) {
            *sums.entry((shift, nationality, gender, measure)).or_default() += n;
        }
        if let Some(band) = age {
            *sums.entry((shift, nationality, gender, Measure::AgePersons(band))).or_default() += n;
        }
    }
    Ok(sums
        .into_iter()
        .map(|((shift, nationality, gender, measure), count)| PersonCell { shift, nationality, gender, measure, count })
        .collect())
}

/// A bucket and cell of persons with their age band (`None`: not said).
type PersonsCell = (Bucket, Nationality, Gender, Option<AgeBand>);

/// The age band of a period row's `age` column ('' or anything else: unknown).
fn age_of(code: &str) -> Option<AgeBand> {
    AgeBand::parse(code).ok()
}

/// The measures one row of persons counts in, each with whether it applies.
fn person_measures(minor: bool, new: bool, protection: bool) -> [(bool, Measure); 5] {
    [
        (true, Measure::Persons),
        (new, Measure::NewPersons),
        (!new, Measure::KnownPersons),
        (minor, Measure::MinorPersons),
        (protection, Measure::ProtectedPersons),
    ]
}

/// What [`stage`] decided for one period × activity × province.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Staged {
    /// Send this revision.
    Send(u32),
    /// Nothing to send: unchanged since acknowledged, never had cells, or refused.
    Unchanged,
    /// Held back: refused for a period a coordinator closed.
    Closed,
}

/// Compares one key's cells with what was last staged (by digest): changed cells take the
/// next revision; returns whether a revision waits to be sent. A key refused for a closed
/// period is left as it is, and a revision the server refused is not sent again.
pub(super) fn stage(
    tx: &Transaction<'_>,
    key: &str,
    activity: Activity,
    province: Province,
    cells: &[PersonCell],
) -> Result<Staged> {
    if Store::persons_closed(tx, key, activity, province)? {
        // Refused for a closed period: held back until it reopens.
        return Ok(Staged::Closed);
    }
    let digest = hex::encode(Sha256::digest(serde_json::to_vec(cells).unwrap_or_default()));
    let before: Option<(String, u32, u32)> = tx
        .prepare_cached(
            "SELECT digest, revision, synced_revision FROM person_cells_sync
             WHERE period = ?1 AND activity = ?2 AND province = ?3",
        )?
        .query_row(params![key, activity, province], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let revision = match before {
        Some((d, rev, synced)) if d == digest => {
            if rev <= synced {
                return Ok(Staged::Unchanged);
            }
            rev
        }
        Some((_, rev, _)) => rev + 1,
        None if cells.is_empty() => return Ok(Staged::Unchanged),
        None => 1,
    };
    tx.prepare_cached(
        "INSERT INTO person_cells_sync (period, activity, province, digest, revision) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT DO UPDATE SET digest = excluded.digest, revision = excluded.revision",
    )?
    .execute(params![key, activity, province, digest, revision])?;
    if Store::persons_refused(tx, key, activity, province, revision)? {
        // The server refused this revision: not sent again until the counts change.
        return Ok(Staged::Unchanged);
    }
    Ok(Staged::Send(revision))
}

/// The result of a merge, to show and to undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    /// The person kept.
    pub kept: i64,
    /// The person merged into it.
    pub absorbed: i64,
}

impl Store {
    /// One person of the register.
    pub fn person(&self, id: i64) -> Result<Person> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM persons p WHERE p.id = ?1 AND p.merged_into IS NULL");
        by_id(&self.conn, &sql, id, Entity::Person, row_to_person)
    }

    /// The person a contact belongs to.
    pub fn person_of_contact(&self, contact: i64) -> Result<Person> {
        let sql =
            format!("SELECT {PERSON_COLUMNS} FROM persons p JOIN contacts c ON c.person_id = p.id WHERE c.id = ?1");
        by_id(&self.conn, &sql, contact, Entity::Contact, row_to_person)
    }

    /// "Known here": the persons met at this stop's comune (or, without a comune, at a
    /// stop of the same province and label), most recently met first, leaving out those
    /// already met in this stop's outing.
    pub fn persons_near(&self, stop_id: i64, limit: usize) -> Result<Vec<Person>> {
        let sql = format!(
            "WITH here AS (SELECT outing_id, province, comune, label FROM stops WHERE id = ?1),
                  near AS (SELECT s.id FROM stops s, here h
                           WHERE (h.comune IS NOT NULL AND s.comune = h.comune)
                              OR (h.comune IS NULL AND s.comune IS NULL AND s.province = h.province AND s.label IS h.label))
             SELECT {PERSON_COLUMNS} FROM persons p
             WHERE p.merged_into IS NULL
               AND EXISTS (SELECT 1 FROM contacts c WHERE c.person_id = p.id AND c.stop_id IN (SELECT id FROM near))
               AND NOT EXISTS (SELECT 1 FROM contacts c JOIN stops s ON s.id = c.stop_id, here h
                               WHERE c.person_id = p.id AND s.outing_id = h.outing_id)
             ORDER BY p.last_met DESC, p.id DESC LIMIT ?2"
        );
        all_rows(&self.conn, &sql, params![stop_id, limit as i64], row_to_person)
    }

    /// Persons whose short name or imported code contains `text` (any case), most recently
    /// met first.
    pub fn search_persons(&self, text: &str, limit: usize) -> Result<Vec<Person>> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM persons p WHERE p.merged_into IS NULL
               AND (instr(lower(p.name), lower(?1)) > 0 OR instr(lower(p.import_code), lower(?1)) > 0)
             ORDER BY p.last_met DESC, p.id DESC LIMIT ?2"
        );
        all_rows(&self.conn, &sql, params![text, limit as i64], row_to_person)
    }

    /// Changes who a person is (name, gender, nationality, age band, protection): every
    /// contact of theirs follows, their outings are sent again, and the periods they are
    /// in count them in their new cell. One transaction.
    pub fn update_person(&mut self, id: i64, details: &PersonDetails) -> Result<Person> {
        let name = rules::person_name(details.name.as_deref())?;
        let tx = self.write()?;
        let n = tx.execute(
            "UPDATE persons SET name = ?2, gender = ?3, nationality = ?4, age_band = ?5, protection = ?6
             WHERE id = ?1 AND merged_into IS NULL",
            params![id, name, details.gender, details.nationality, details.age_band, details.protection],
        )?;
        if n == 0 {
            return Err(StoreError::not_found(Entity::Person, id));
        }
        follow_person(&tx, id)?;
        tx.commit()?;
        self.person(id)
    }

    /// Merges `absorbed` into `kept` (the worker realised they are one): the absorbed
    /// person's contacts become the kept one's, with the kept one's details. Undo with
    /// [`Store::undo_merge`].
    pub fn merge_persons(&mut self, kept: i64, absorbed: i64) -> Result<Merge> {
        if kept == absorbed {
            return Err(DomainError::from(Violation::SamePerson).into());
        }
        self.person(kept)?;
        self.person(absorbed)?;
        let tx = self.write()?;
        let moved: Vec<i64> = all_rows(&tx, "SELECT id FROM contacts WHERE person_id = ?1", [absorbed], |r| r.get(0))?;
        touch_outings_of(&tx, absorbed)?;
        tx.execute("UPDATE contacts SET person_id = ?1 WHERE person_id = ?2", params![kept, absorbed])?;
        let emersion = EmersionIds::move_all(&tx, absorbed, kept)?;
        tx.execute("UPDATE persons SET merged_into = ?1 WHERE id = ?2", params![kept, absorbed])?;
        tx.execute(
            "INSERT INTO person_merges (kept, absorbed, contacts, merged_at, emersion) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                kept,
                absorbed,
                serde_json::to_string(&moved).unwrap_or_default(),
                Utc::now().to_rfc3339(),
                serde_json::to_string(&emersion).unwrap_or_default()
            ],
        )?;
        copy_to_contacts(&tx, kept)?;
        rebuild(&tx, [kept, absorbed])?;
        tx.commit()?;
        Ok(Merge { kept, absorbed })
    }

    /// Takes back the last merge: the absorbed person and their contacts are as before.
    /// `None` when there is nothing to undo.
    pub fn undo_merge(&mut self) -> Result<Option<Merge>> {
        let tx = self.write()?;
        let last: Option<(i64, i64, i64, String, Option<String>)> = tx
            .query_row(
                "SELECT id, kept, absorbed, contacts, emersion FROM person_merges ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((merge, kept, absorbed, contacts, emersion)) = last else { return Ok(None) };
        let contacts: Vec<i64> = serde_json::from_str(&contacts).unwrap_or_default();
        let emersion: EmersionIds = emersion.and_then(|e| serde_json::from_str(&e).ok()).unwrap_or_default();
        emersion.move_back(&tx, kept, absorbed)?;
        tx.execute("UPDATE persons SET merged_into = NULL WHERE id = ?1", [absorbed])?;
        let mut back = tx.prepare_cached("UPDATE contacts SET person_id = ?2 WHERE id = ?1 AND person_id = ?3")?;
        for c in &contacts {
            back.execute(params![c, absorbed, kept])?;
        }
        drop(back);
        tx.execute("DELETE FROM person_merges WHERE id = ?1", [merge])?;
        copy_to_contacts(&tx, absorbed)?;
        touch_outings_of(&tx, absorbed)?;
        rebuild(&tx, [kept, absorbed])?;
        tx.commit()?;
        Ok(Some(Merge { kept, absorbed }))
    }

    /// True when the register has anyone.
    pub fn anyone_known(&self) -> Result<bool> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM persons WHERE merged_into IS NULL)", [], |r| r.get(0))?)
    }

    /// Number of persons in the register.
    pub fn count_persons(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM persons WHERE merged_into IS NULL", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    /// True when persons of `period` are kept cell by cell (a calendar month, quarter or
    /// year, or a period the server published).
    pub fn is_kept_period(&self, period: Period) -> Result<bool> {
        Ok(period.is_calendar()
            || self
                .conn
                .query_row("SELECT EXISTS (SELECT 1 FROM periods WHERE period = ?1)", [period.key()], |r| r.get(0))?)
    }

    /// Distinct persons met in `period` (on outings of `activity`, or all), with their "di
    /// cui" counts, bucketed like the contacts' tally. A kept period reads its cells, in
    /// the order of their key; any other range reads the distinct persons of its contacts.
    pub fn persons_tally(&self, period: Period, activity: Option<Activity>) -> Result<Tally> {
        let mut tally = Tally::new();
        let mut add =
            |bucket: Bucket, nationality, gender, age: Option<AgeBand>, [n, new, minor, protection]: [u64; 4]| {
                if let Some(band) = age {
                    tally.add(bucket, CellKey { nationality, gender, measure: Measure::AgePersons(band) }, n);
                }
                for (measure, count) in [
                    (Measure::Persons, n),
                    (Measure::NewPersons, new),
                    (Measure::KnownPersons, n - new),
                    (Measure::MinorPersons, minor),
                    (Measure::ProtectedPersons, protection),
                ] {
                    if count > 0 {
                        tally.add(bucket, CellKey { nationality, gender, measure }, count);
                    }
                }
            };
        if !self.is_kept_period(period)? {
            for ((bucket, nationality, gender, age), sums) in self.persons_of_contacts(period, activity)? {
                add(bucket, nationality, gender, age, sums);
            }
            return Ok(tally);
        }
        let mut st = self.conn.prepare_cached(
            "SELECT activity, province, shift, nationality, gender,
                    sum(persons), sum(persons * new), sum(persons * minor), sum(persons * protection), age
             FROM period_cells WHERE period = ?1 AND (?2 IS NULL OR activity = ?2)
             GROUP BY activity, province, shift, nationality, gender, age",
        )?;
        let mut rows = st.query(params![period.key(), activity])?;
        while let Some(r) = rows.next()? {
            let bucket = Bucket { activity: r.get(0)?, province: r.get(1)?, shift: r.get(2)? };
            let sums = [5, 6, 7, 8].map(|i| r.get::<_, i64>(i).map_or(0, |v| v.max(0) as u64));
            let age = age_of(r.get_ref(9)?.as_str().unwrap_or(""));
            add(bucket, r.get(3)?, r.get(4)?, age, sums);
        }
        Ok(tally)
    }

    /// Persons, new, minors and protection per bucket and cell among the contacts of a
    /// range no period keeps: the stops of its outings, then one pass over the contacts
    /// (a set of bucket × person), then the persons met.
    fn persons_of_contacts(
        &self,
        period: Period,
        activity: Option<Activity>,
    ) -> Result<HashMap<PersonsCell, [u64; 4]>> {
        let stops: HashMap<i64, Bucket> = all_rows(
            &self.conn,
            "SELECT s.id, o.activity, s.province, o.shift FROM outings o JOIN stops s ON s.outing_id = o.id
             WHERE o.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR o.activity = ?3)",
            params![period.from, period.to, activity],
            |r| Ok((r.get(0)?, Bucket { activity: r.get(1)?, province: r.get(2)?, shift: r.get(3)? })),
        )?
        .into_iter()
        .collect();
        let mut met: HashSet<(Bucket, i64)> = HashSet::new();
        let mut st = self.conn.prepare_cached("SELECT stop_id, person_id FROM contacts")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            if let (Some(bucket), Some(person)) = (stops.get(&r.get::<_, i64>(0)?), r.get::<_, Option<i64>>(1)?) {
                met.insert((*bucket, person));
            }
        }
        type Who = (Nationality, Gender, Option<AgeBand>, [u64; 4]);
        let mut who: HashMap<i64, Who> = HashMap::new();
        let mut st = self.conn.prepare_cached(
            "SELECT id, nationality, gender, first_met BETWEEN ?1 AND ?2 AND NOT known_before, age_band IS 'minor',
                    protection IS 'yes', age_band
             FROM persons WHERE merged_into IS NULL",
        )?;
        let mut rows = st.query(params![period.from, period.to])?;
        while let Some(r) = rows.next()? {
            let flags = [3, 4, 5].map(|i| r.get::<_, bool>(i).unwrap_or(false) as u64);
            let age = r.get::<_, Option<AgeBand>>(6).ok().flatten();
            who.insert(r.get(0)?, (r.get(1)?, r.get(2)?, age, [1, flags[0], flags[1], flags[2]]));
        }
        let mut out: HashMap<PersonsCell, [u64; 4]> = HashMap::new();
        for (bucket, person) in met {
            if let Some((nationality, gender, age, one)) = who.get(&person) {
                let sums = out.entry((bucket, *nationality, *gender, *age)).or_default();
                sums.iter_mut().zip(one).for_each(|(s, o)| *s += o);
            }
        }
        Ok(out)
    }

    /// The person summaries the server has not acknowledged yet, at most `limit`: every
    /// kept period × activity × province whose cells changed since last sent (a period
    /// whose persons were all taken back is sent empty), but those refused for a closed
    /// period. Besides the persons met on outings (street, labour, desk), the emersion
    /// counts of every kept period × province (activity `emersion`: interviews, outcomes,
    /// helpline reports; see [`Store::emersion_tally`]), recomputed only when an emersion
    /// record changed since the last call. Nothing is prepared while an outing is open:
    /// its persons would tell where the unit is now.
    pub fn pending_person_summaries(&mut self, limit: usize) -> Result<Vec<PersonSummary>> {
        let open: bool =
            self.conn.query_row("SELECT EXISTS (SELECT 1 FROM outings WHERE status = 'open')", [], |r| r.get(0))?;
        if open {
            return Ok(Vec::new());
        }
        let emersion = self.emersion_work()?;
        let tx = self.write()?;
        let keys: Vec<(String, Activity, Province)> = all_rows(
            &tx,
            "SELECT DISTINCT period, activity, province FROM period_cells
             UNION SELECT period, activity, province FROM person_cells_sync WHERE activity != 'emersion'
             ORDER BY 1, 2, 3",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut out = Vec::new();
        for (key, activity, province) in keys {
            let Ok(period) = Period::parse_key(&key) else { continue };
            let cells = person_cells(&tx, &key, activity, province)?;
            if let Staged::Send(revision) = stage(&tx, &key, activity, province, &cells)?
                && out.len() < limit
            {
                out.push(PersonSummary { from: period.from, to: period.to, activity, province, revision, cells });
            }
        }
        let mut held = false;
        for (period, province, cells) in emersion.cells {
            let activity = Activity::Emersion;
            match stage(&tx, &period.key(), activity, province, &cells)? {
                Staged::Send(revision) if out.len() < limit => {
                    out.push(PersonSummary { from: period.from, to: period.to, activity, province, revision, cells })
                }
                Staged::Closed => held = true,
                Staged::Send(_) | Staged::Unchanged => {}
            }
        }
        // A period held back for a closed period was not staged: the next call computes
        // every period again rather than trust the fingerprint.
        emersion.fingerprint.save(&tx, !held)?;
        tx.commit()?;
        Ok(out)
    }

    /// Notes the person summaries the server acknowledged.
    pub fn mark_persons_synced(&mut self, acks: &[PersonAck]) -> Result<()> {
        let tx = self.write()?;
        for a in acks {
            let key = Period { from: a.from, to: a.to }.key();
            tx.prepare_cached(
                "UPDATE person_cells_sync SET synced_revision = max(synced_revision, ?4)
                 WHERE period = ?1 AND activity = ?2 AND province = ?3",
            )?
            .execute(params![key, a.activity, a.province, a.revision])?;
            tx.prepare_cached("DELETE FROM closed_persons WHERE period = ?1 AND activity = ?2 AND province = ?3")?
                .execute(params![key, a.activity, a.province])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Replaces the named periods with those the server publishes: a new one is filled
    /// from the contacts already recorded, a withdrawn one is dropped. One transaction.
    pub fn set_named_periods(&mut self, periods: &[(String, Period)]) -> Result<()> {
        let tx = self.write()?;
        let before: BTreeMap<String, String> =
            all_rows(&tx, "SELECT period, name FROM periods", [], |r| Ok((r.get(0)?, r.get(1)?)))?
                .into_iter()
                .collect();
        let now: BTreeMap<String, (&str, Period)> =
            periods.iter().map(|(name, p)| (p.key(), (name.as_str(), *p))).collect();
        let mut refill = BTreeSet::new();
        for key in before.keys().filter(|k| !now.contains_key(*k)) {
            tx.execute("DELETE FROM periods WHERE period = ?1", [key])?;
            if !Period::parse_key(key).is_ok_and(|p| p.is_calendar()) {
                tx.execute("DELETE FROM person_periods WHERE period = ?1", [key])?;
            }
        }
        for (key, (name, period)) in &now {
            if before.get(key).is_some_and(|n| n == name) {
                continue;
            }
            tx.execute(
                "INSERT INTO periods (period, name) VALUES (?1, ?2) ON CONFLICT (period) DO UPDATE SET name = excluded.name",
                params![key, name],
            )?;
            if !before.contains_key(key) {
                refill.extend(all_rows(
                    &tx,
                    "SELECT DISTINCT c.person_id FROM outings o JOIN stops s ON s.outing_id = o.id
                     JOIN contacts c ON c.stop_id = s.id WHERE o.date BETWEEN ?1 AND ?2",
                    params![period.from, period.to],
                    |r| r.get::<_, i64>(0),
                )?);
            }
        }
        rebuild(&tx, refill)?;
        tx.commit()?;
        Ok(())
    }

    /// The named periods kept, by name.
    pub fn named_periods(&self) -> Result<Vec<(String, Period)>> {
        let rows: Vec<(String, String)> =
            all_rows(&self.conn, "SELECT name, period FROM periods ORDER BY period", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        Ok(rows.into_iter().filter_map(|(n, k)| Period::parse_key(&k).ok().map(|p| (n, p))).collect())
    }
}
