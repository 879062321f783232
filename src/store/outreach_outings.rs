//! Outreach around the contacts of an outing (issue 15, team part): the team remembered
//! from the last outing or session started, presences at a stop (people seen, not
//! approached), the facts the outings table counts, and the outing's diary, which stays
//! on the phone.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use uuid::Uuid;

use super::lifecycle::{ensure_open, touch};
use super::records::{time_at, uuid_at};
use super::{Entity, Record, Result, Store, StoreError};
use crate::domain::outreach::{NOTE_MAX, OutingFact, Team};
use crate::domain::tables::Mft;
use crate::domain::{
    Activity, Bucket, CellKey, DomainError, Gender, Language, Measure, Nationality, Period, Province, Shift, Tally,
};

/// One note of an outing's diary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutingNote {
    /// Its row id.
    pub id: i64,
    /// The outing.
    pub outing_id: Uuid,
    /// What the unit wrote.
    pub body: String,
    /// When.
    pub written_at: DateTime<Utc>,
}

/// The notes of one outing, with what the narrative report needs to place them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiaryEntry {
    /// The outing's day.
    pub date: NaiveDate,
    /// Street, labour, desk.
    pub activity: Activity,
    /// Day or night.
    pub shift: Shift,
    /// The provinces of its stops, in order.
    pub provinces: Vec<Province>,
    /// Its notes, oldest first.
    pub notes: Vec<OutingNote>,
}

impl Store {
    /// The team of the outing or indoor session started last, to prefill the next one;
    /// `None` when none said its team.
    pub fn last_team(&self) -> Result<Option<Team>> {
        let sql = "SELECT operators, mediator, mediator_language, legal_operator, started_at FROM (
                       SELECT team_size AS operators, mediator, mediator_language, legal_operator, started_at, rowid AS n,
                              0 AS k
                       FROM outings WHERE team_size IS NOT NULL AND started_at IS NOT NULL
                       UNION ALL
                       SELECT operators, mediator, mediator_language, legal_operator, started_at, rowid, 1
                       FROM indoor_sessions WHERE started_at IS NOT NULL)
                   ORDER BY started_at DESC, k, n DESC LIMIT 1";
        let row = self
            .conn
            .prepare_cached(sql)?
            .query_row([], |r| {
                Ok(Team {
                    operators: r.get(0)?,
                    mediator: r.get(1)?,
                    mediator_language: r.get::<_, Option<Language>>(2)?,
                    legal_operator: r.get(3)?,
                })
            })
            .optional()?;
        Ok(row.map(|t| Team { mediator: t.mediator || t.mediator_language.is_some(), ..t }))
    }

    /// Adds one person seen but not approached at a stop of an open outing: one durable
    /// transaction. Returns the stop's presences.
    pub fn add_presence(&mut self, stop_id: i64, gender: Gender) -> Result<Mft> {
        self.change_presence(stop_id, gender, 1)
    }

    /// Takes back one presence of `gender` at a stop (never below zero).
    pub fn remove_presence(&mut self, stop_id: i64, gender: Gender) -> Result<Mft> {
        self.change_presence(stop_id, gender, -1)
    }

    fn change_presence(&mut self, stop_id: i64, gender: Gender, by: i64) -> Result<Mft> {
        let column = presence_column(gender);
        let tx = self.write()?;
        let outing: String = tx
            .query_row("SELECT outing_id FROM stops WHERE id = ?1", [stop_id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::not_found(Entity::Stop, stop_id))?;
        ensure_open(&tx, Record::Outing, &outing)?;
        tx.execute(&format!("UPDATE stops SET {column} = max(0, {column} + ?2) WHERE id = ?1"), params![stop_id, by])?;
        touch(&tx, Record::Outing, &outing)?;
        tx.commit()?;
        self.presences(stop_id)
    }

    /// The presences of a stop by gender.
    pub fn presences(&self, stop_id: i64) -> Result<Mft> {
        self.conn
            .prepare_cached("SELECT presences_m, presences_f, presences_t FROM stops WHERE id = ?1")?
            .query_row([stop_id], |r| {
                let n = |i: usize| r.get::<_, i64>(i).map(|n| n.max(0) as u64);
                Ok(Mft { m: n(0)?, f: n(1)?, t: n(2)? })
            })
            .optional()?
            .ok_or_else(|| StoreError::not_found(Entity::Stop, stop_id))
    }

    /// Adds the presences of the outings dated within `period` (or of one outing) to a
    /// tally: [`Measure::Presences`] in each stop's bucket, nationality unknown.
    pub(crate) fn tally_presences(&self, scope: PresenceScope, tally: &mut Tally) -> Result<()> {
        let (filter, args): (&str, [String; 2]) = match scope {
            PresenceScope::Period(p) => ("o.date BETWEEN ?1 AND ?2", [p.from.to_string(), p.to.to_string()]),
            PresenceScope::Outing(id) => ("o.id = ?1 AND ?2 = ?2", [id.to_string(), String::new()]),
        };
        let sql = format!(
            "SELECT o.activity, s.province, o.shift, sum(s.presences_m), sum(s.presences_f), sum(s.presences_t)
             FROM outings o JOIN stops s ON s.outing_id = o.id
             WHERE {filter} AND s.presences_m + s.presences_f + s.presences_t > 0 GROUP BY 1, 2, 3"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows = st.query(params![args[0], args[1]])?;
        while let Some(r) = rows.next()? {
            let bucket = Bucket { activity: r.get(0)?, province: r.get(1)?, shift: r.get(2)? };
            for (i, gender) in [Gender::M, Gender::F, Gender::T].into_iter().enumerate() {
                let n: i64 = r.get(3 + i)?;
                let cell = CellKey { nationality: Nationality::UNKNOWN, gender, measure: Measure::Presences };
                tally.add(bucket, cell, n.max(0) as u64);
            }
        }
        Ok(())
    }

    /// The outings, desk sessions, indoor sessions and informative sessions dated within
    /// `period`, as the outings table counts them. An outing without stops has no province and is left out.
    pub fn outing_facts(&self, period: Period) -> Result<Vec<OutingFact>> {
        let (from, to) = (period.from, period.to);
        let mut facts = Vec::new();
        let mut st = self.conn.prepare_cached(
            "SELECT o.activity, o.date, o.shift,
                    (SELECT s.province FROM stops s WHERE s.outing_id = o.id ORDER BY s.id LIMIT 1),
                    o.started_at, o.ended_at, o.team_size, o.mediator, o.mediator_language, o.legal_operator,
                    (SELECT count(*) FROM stops s JOIN contacts c ON c.stop_id = s.id WHERE s.outing_id = o.id)
             FROM outings o WHERE o.date BETWEEN ?1 AND ?2 ORDER BY o.date, o.id",
        )?;
        let mut rows = st.query(params![from, to])?;
        while let Some(r) = rows.next()? {
            let Some(province) = r.get::<_, Option<Province>>(3)? else { continue };
            let team = r.get::<_, Option<u8>>(6)?.map(|operators| -> rusqlite::Result<Team> {
                let mediator_language: Option<Language> = r.get(8)?;
                Ok(Team {
                    operators,
                    mediator: r.get::<_, bool>(7)? || mediator_language.is_some(),
                    mediator_language,
                    legal_operator: r.get(9)?,
                })
            });
            facts.push(OutingFact {
                activity: r.get(0)?,
                date: r.get(1)?,
                shift: r.get(2)?,
                province,
                minutes: minutes(time_at(r, 4)?, time_at(r, 5)?),
                team: team.transpose()?,
                contacts: r.get::<_, i64>(10)?.max(0) as u64,
            });
        }
        // Indoor sessions: a day's desk work on ads and calls; met are the persons reached
        // by a call or met in person. Informative sessions: their participants.
        let sessions = [
            (
                Activity::Indoor,
                "SELECT x.date, x.province, x.started_at, x.ended_at, x.operators, x.mediator, x.mediator_language,
                        x.legal_operator,
                        (SELECT count(*) FROM indoor_attempts a WHERE a.session_id = x.id AND a.outcome = 'reached')
                        + (SELECT count(*) FROM indoor_meetings m WHERE m.session_id = x.id)
                 FROM indoor_sessions x WHERE x.date BETWEEN ?1 AND ?2 ORDER BY x.date, x.id",
            ),
            (
                Activity::Session,
                "SELECT date, province, started_at, ended_at, operators, mediator, mediator_language, legal_operator,
                        participants_m + participants_f + participants_t
                 FROM info_sessions WHERE date BETWEEN ?1 AND ?2 ORDER BY date, id",
            ),
        ];
        for (activity, sql) in sessions {
            let mut st = self.conn.prepare_cached(sql)?;
            let mut rows = st.query(params![from, to])?;
            while let Some(r) = rows.next()? {
                let mediator_language: Option<Language> = r.get(6)?;
                facts.push(OutingFact {
                    activity,
                    date: r.get(0)?,
                    shift: Shift::Day,
                    province: r.get(1)?,
                    minutes: minutes(time_at(r, 2)?, time_at(r, 3)?),
                    team: Some(Team {
                        operators: r.get(4)?,
                        mediator: r.get::<_, bool>(5)? || mediator_language.is_some(),
                        mediator_language,
                        legal_operator: r.get(7)?,
                    }),
                    contacts: r.get::<_, i64>(8)?.max(0) as u64,
                });
            }
        }
        Ok(facts)
    }

    /// Writes a note in an outing's diary (trimmed; empty or longer than [`NOTE_MAX`]
    /// characters is refused). The diary stays on the phone: never synced.
    pub fn add_outing_note(&mut self, outing_id: Uuid, body: &str) -> Result<OutingNote> {
        let body = body.trim();
        if body.is_empty() {
            return Err(DomainError::invalid("note", "an empty note").into());
        }
        if body.chars().count() > NOTE_MAX {
            return Err(DomainError::invalid("note", format!("longer than {NOTE_MAX} characters")).into());
        }
        let now = Utc::now();
        let tx = self.write()?;
        let exists: bool =
            tx.query_row("SELECT count(*) > 0 FROM outings WHERE id = ?1", [outing_id.to_string()], |r| r.get(0))?;
        if !exists {
            return Err(StoreError::not_found(Entity::Outing, outing_id));
        }
        tx.execute(
            "INSERT INTO outing_notes (outing_id, body, written_at) VALUES (?1, ?2, ?3)",
            params![outing_id.to_string(), body, now.to_rfc3339()],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(OutingNote { id, outing_id, body: body.to_owned(), written_at: now })
    }

    /// The notes of an outing, oldest first.
    pub fn outing_notes(&self, outing_id: Uuid) -> Result<Vec<OutingNote>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, outing_id, body, written_at FROM outing_notes WHERE outing_id = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([outing_id.to_string()], |r| {
            Ok(OutingNote { id: r.get(0)?, outing_id, body: r.get(2)?, written_at: time_at(r, 3)?.unwrap_or_default() })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The diary of every outing dated within `period` that has notes, oldest first: what
    /// the unit exports for its narrative report.
    pub fn diary(&self, period: Period) -> Result<Vec<DiaryEntry>> {
        let mut st = self.conn.prepare_cached(
            "SELECT o.id, o.date, o.activity, o.shift FROM outings o
             WHERE o.date BETWEEN ?1 AND ?2 AND EXISTS (SELECT 1 FROM outing_notes n WHERE n.outing_id = o.id)
             ORDER BY o.date, o.started_at, o.id",
        )?;
        let outings: Vec<(Uuid, NaiveDate, Activity, Shift)> = st
            .query_map(params![period.from, period.to], |r| Ok((uuid_at(r, 0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut provinces: HashMap<String, Vec<Province>> = HashMap::new();
        let mut st = self.conn.prepare_cached("SELECT outing_id, province FROM stops ORDER BY id")?;
        for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Province>(1)?)))? {
            let (o, p) = row?;
            let list = provinces.entry(o).or_default();
            if !list.contains(&p) {
                list.push(p);
            }
        }
        let mut out = Vec::with_capacity(outings.len());
        for (id, date, activity, shift) in outings {
            out.push(DiaryEntry {
                date,
                activity,
                shift,
                provinces: provinces.remove(&id.to_string()).unwrap_or_default(),
                notes: self.outing_notes(id)?,
            });
        }
        Ok(out)
    }
}

/// Which presences a tally takes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PresenceScope {
    /// Outings dated within a period.
    Period(Period),
    /// One outing.
    Outing(Uuid),
}

fn presence_column(gender: Gender) -> &'static str {
    match gender {
        Gender::M => "presences_m",
        Gender::F => "presences_f",
        Gender::T => "presences_t",
    }
}

/// Whole minutes from start to end, when both are known and in order.
fn minutes(start: Option<DateTime<Utc>>, end: Option<DateTime<Utc>>) -> Option<u32> {
    u32::try_from((end? - start?).num_minutes()).ok()
}

/// Renders a diary as Markdown for the unit's narrative report.
pub fn diary_markdown(entries: &[DiaryEntry], period: Period) -> String {
    use std::fmt::Write;
    let mut s = format!("# Diario delle uscite, {} – {}\n\n", period.from, period.to);
    s.push_str("_Testo della sola unità: non contiene nomi, numeri di telefono o indirizzi._\n");
    for e in entries {
        let provinces: Vec<&str> = e.provinces.iter().map(|p| p.code()).collect();
        let _ = write!(s, "\n## {} — {} ({})", e.date, e.activity.code(), e.shift.code());
        if !provinces.is_empty() {
            let _ = write!(s, " — {}", provinces.join(", "));
        }
        s.push_str("\n\n");
        for n in &e.notes {
            let _ = writeln!(s, "- {}", n.body.replace('\n', "\n  "));
        }
    }
    s
}
