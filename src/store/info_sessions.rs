//! Informative group sessions (sensibilizzazione): head counts of participants by gender,
//! of whom asylum seekers or protection holders, with the place, themes and languages.
//!
//! A session is one saved form: no open or closed state. Saved, it waits for sync; a
//! change after a sync bumps its revision once, so the correction is sent; deleting a
//! synced one leaves a tombstone so the server drops it too.

use chrono::{NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, ToSql, Transaction, params};
use uuid::Uuid;

use super::records::{all_rows, by_id, uuid_at};
use super::{Entity, Result, Store, StoreError};
use crate::domain::outreach::{InfoSession, SessionFacts, Team};
use crate::domain::tables::Mft;
use crate::domain::{Period, Province};

/// The columns [`facts_at`] reads, in order.
pub(crate) const FACTS_COLUMNS: &str = "place, comune, themes, languages, participants_m, participants_f, \
     participants_t, protection_m, protection_f, protection_t";

/// A session's facts from a row of [`FACTS_COLUMNS`] starting at column `i`.
pub(crate) fn facts_at(r: &Row<'_>, i: usize) -> rusqlite::Result<SessionFacts> {
    let mft = |j: usize| -> rusqlite::Result<Mft> {
        let n = |k: usize| r.get::<_, i64>(i + j + k).map(|v| v.max(0) as u64);
        Ok(Mft { m: n(0)?, f: n(1)?, t: n(2)? })
    };
    Ok(SessionFacts {
        place: r.get(i)?,
        comune: r.get(i + 1)?,
        themes: r.get(i + 2)?,
        languages: r.get(i + 3)?,
        participants: mft(4)?,
        protection: mft(7)?,
    })
}

/// The columns [`session_at`] reads.
fn session_columns() -> String {
    format!(
        "id, unit_id, date, province, revision, operators, mediator, mediator_language, legal_operator, {FACTS_COLUMNS}"
    )
}

/// A whole session from a row of [`session_columns`].
fn session_at(r: &Row<'_>) -> rusqlite::Result<InfoSession> {
    let operators: i64 = r.get(5)?;
    Ok(InfoSession {
        id: uuid_at(r, 0)?,
        unit: uuid_at(r, 1)?,
        date: r.get(2)?,
        province: r.get(3)?,
        revision: r.get(4)?,
        team: Team {
            operators: operators.clamp(1, 255) as u8,
            mediator: r.get(6)?,
            mediator_language: r.get(7)?,
            legal_operator: r.get(8)?,
        },
        facts: facts_at(r, 9)?,
    })
}

/// Writes a new session (of `unit`, from an import when `import_id`) in `tx`.
/// What a session says, as columns `date` to `legal_operator` of `info_sessions`.
fn said(s: &InfoSession) -> [Value; 16] {
    let (f, t) = (&s.facts, &s.team);
    let text = |v: Option<&str>| v.map_or(Value::Null, |v| Value::Text(v.to_owned()));
    let int = |n: u64| Value::Integer(i64::try_from(n).unwrap_or(i64::MAX));
    [
        Value::Text(s.date.to_string()),
        Value::Text(s.province.code().to_owned()),
        text(f.comune.map(|c| c.code())),
        Value::Text(f.place.code().to_owned()),
        Value::Integer(i64::from(f.themes.bits())),
        Value::Integer(i64::from(f.languages.bits())),
        int(f.participants.m),
        int(f.participants.f),
        int(f.participants.t),
        int(f.protection.m),
        int(f.protection.f),
        int(f.protection.t),
        Value::Integer(i64::from(t.operators)),
        Value::Integer(i64::from(t.mediator)),
        text(t.mediator_language.map(|l| l.code())),
        Value::Integer(i64::from(t.legal_operator)),
    ]
}

pub(super) fn insert_info_session(
    tx: &Transaction<'_>,
    s: &InfoSession,
    unit: Uuid,
    import_id: Option<i64>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO info_sessions (id, date, province, comune, place, themes, languages,
             participants_m, participants_f, participants_t, protection_m, protection_f, protection_t,
             operators, mediator, mediator_language, legal_operator, unit_id, revision, import_id, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, 1, ?19, ?20)",
    )?
    .execute(rusqlite::params_from_iter(
        std::iter::once(&s.id.to_string() as &dyn ToSql).chain(said(s).iter().map(|v| v as &dyn ToSql)).chain([
            &unit.to_string() as &dyn ToSql,
            &import_id,
            &Utc::now().to_rfc3339(),
        ]),
    ))?;
    Ok(())
}

impl Store {
    /// Every informative session dated within `period`: its province and facts, in date
    /// order.
    pub fn info_session_facts(&self, period: Period) -> Result<Vec<(Province, SessionFacts)>> {
        all_rows(
            &self.conn,
            &format!(
                "SELECT province, {FACTS_COLUMNS} FROM info_sessions WHERE date BETWEEN ?1 AND ?2 ORDER BY date, id"
            ),
            rusqlite::params![period.from, period.to],
            |r| Ok((r.get(0)?, facts_at(r, 1)?)),
        )
    }

    /// Records a new informative session of this unit (its id and revision are given
    /// here); returns it as stored.
    pub fn add_info_session(
        &mut self,
        date: NaiveDate,
        province: Province,
        facts: SessionFacts,
        team: Team,
    ) -> Result<InfoSession> {
        let s = InfoSession { id: Uuid::new_v4(), unit: self.unit_id, date, province, facts, team, revision: 1 }
            .checked()?;
        let tx = self.write()?;
        insert_info_session(&tx, &s, s.unit, None)?;
        tx.commit()?;
        Ok(s)
    }

    /// Replaces what session `s.id` says (date, province, facts, team). After a sync (or
    /// a refusal) the first change bumps the revision, so the correction is sent.
    pub fn edit_info_session(&mut self, s: &InfoSession) -> Result<InfoSession> {
        let s = s.checked()?;
        let tx = self.write()?;
        let n = tx.execute(
            "UPDATE info_sessions SET date = ?2, province = ?3, comune = ?4, place = ?5, themes = ?6, languages = ?7,
                 participants_m = ?8, participants_f = ?9, participants_t = ?10, protection_m = ?11,
                 protection_f = ?12, protection_t = ?13, operators = ?14, mediator = ?15,
                 mediator_language = ?16, legal_operator = ?17, updated_at = ?18,
                 revision = revision + (revision = synced_revision OR EXISTS (SELECT 1 FROM refused_summaries f
                     WHERE f.id = info_sessions.id AND f.revision = info_sessions.revision))
             WHERE id = ?1",
            rusqlite::params_from_iter(
                std::iter::once(&s.id.to_string() as &dyn ToSql)
                    .chain(said(&s).iter().map(|v| v as &dyn ToSql))
                    .chain([&Utc::now().to_rfc3339() as &dyn ToSql]),
            ),
        )?;
        if n == 0 {
            return Err(StoreError::not_found(Entity::InfoSession, s.id));
        }
        tx.commit()?;
        self.info_session(s.id)
    }

    /// The informative session `id`.
    pub fn info_session(&self, id: Uuid) -> Result<InfoSession> {
        let sql = format!("SELECT {} FROM info_sessions WHERE id = ?1", session_columns());
        by_id(&self.conn, &sql, id.to_string(), Entity::InfoSession, session_at)
    }

    /// The informative sessions dated within `period`, newest first.
    pub fn info_sessions(&self, period: Period) -> Result<Vec<InfoSession>> {
        let sql = format!(
            "SELECT {} FROM info_sessions WHERE date BETWEEN ?1 AND ?2 ORDER BY date DESC, updated_at DESC, id",
            session_columns()
        );
        all_rows(&self.conn, &sql, params![period.from, period.to], session_at)
    }

    /// The team of the last session recorded, to start the next form from.
    pub fn last_info_session_team(&self) -> Result<Option<Team>> {
        let sql =
            format!("SELECT {} FROM info_sessions ORDER BY updated_at DESC, rowid DESC LIMIT 1", session_columns());
        Ok(self.conn.prepare_cached(&sql)?.query_row([], session_at).optional()?.map(|s| s.team))
    }

    /// The first and last day of the sessions recorded, if any.
    pub fn info_session_range(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let (a, b): (Option<NaiveDate>, Option<NaiveDate>) =
            self.conn
                .query_row("SELECT min(date), max(date) FROM info_sessions", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(a.zip(b))
    }

    /// Deletes session `id`; once synced, a tombstone tells the server.
    pub fn delete_info_session(&mut self, id: Uuid) -> Result<()> {
        let s = self.info_session(id)?;
        let synced: u32 =
            self.conn
                .query_row("SELECT synced_revision FROM info_sessions WHERE id = ?1", [id.to_string()], |r| r.get(0))?;
        let tx = self.write()?;
        tx.execute("DELETE FROM info_sessions WHERE id = ?1", [id.to_string()])?;
        if synced > 0 {
            tx.execute(
                "INSERT INTO sync_tombstones (id, activity, date, shift, province, revision)
                 VALUES (?1, 'session', ?2, 'day', ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET revision = excluded.revision",
                params![id.to_string(), s.date, s.province, s.revision + 1],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Up to `limit` sessions changed since the server last acknowledged them (not those
    /// held back for a closed period, nor a revision it refused), oldest first.
    pub(super) fn pending_info_sessions(&self, limit: usize) -> Result<Vec<InfoSession>> {
        let sql = format!(
            "SELECT {} FROM info_sessions i WHERE revision > synced_revision
             AND NOT EXISTS (SELECT 1 FROM closed_summaries m WHERE m.id = i.id)
             AND NOT EXISTS (SELECT 1 FROM refused_summaries f WHERE f.id = i.id AND f.revision = i.revision)
             ORDER BY date, id LIMIT ?1",
            session_columns()
        );
        all_rows(&self.conn, &sql, [limit as i64], session_at)
    }
}
