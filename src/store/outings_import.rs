//! Outings from an outings file (`lanterna import`): the team, hours, mapping flag and
//! presences of historical outings, and the empty ones. A row's outing (date, shift,
//! activity, province) that a contacts file already imported is filled in; any other is
//! created closed, without contacts; a contacts file imported later fills those in turn
//! ([`imported_outing`]). One transaction; the same file is refused twice.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone as _, Utc};
use chrono_tz::Europe::Rome;
use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::lifecycle::Lived;
use super::records::register_import;
use super::{Result, Store};
use crate::domain::outreach::Team;
use crate::domain::{Activity, DomainError, Outing, OutingStatus, Place, Province, Shift, rules};
use crate::import::OutingRecord;

/// What an outings file changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutingsImportOutcome {
    /// Outings created (empty: no contact yet).
    pub created: usize,
    /// Outings a contacts file had imported, now with their team, hours or presences.
    pub filled: usize,
    /// Stops created.
    pub stops: usize,
}

/// The imported, closed outing of this unit with this date, shift and activity that has a
/// stop in `province`; with `without_contacts`, only one no contact was recorded in (an
/// outings file's). Two such outings are an error: the file cannot say which one it means.
pub(super) fn imported_outing(
    tx: &Transaction<'_>,
    unit: Uuid,
    (date, shift, activity, province): (NaiveDate, Shift, Activity, Province),
    without_contacts: bool,
) -> Result<Option<Uuid>> {
    let sql = format!(
        "SELECT o.id FROM outings o
         WHERE o.unit_id = ?1 AND o.date = ?2 AND o.shift = ?3 AND o.activity = ?4 AND o.status = 'closed'
           AND o.import_id IS NOT NULL
           AND EXISTS (SELECT 1 FROM stops s WHERE s.outing_id = o.id AND s.province = ?5) {}
         ORDER BY o.rowid LIMIT 2",
        if without_contacts {
            "AND NOT EXISTS (SELECT 1 FROM stops s JOIN contacts c ON c.stop_id = s.id WHERE s.outing_id = o.id)"
        } else {
            ""
        }
    );
    let ids: Vec<String> = tx
        .prepare_cached(&sql)?
        .query_map(params![unit.to_string(), date, shift, activity, province], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match ids.as_slice() {
        [] => Ok(None),
        [id] => Ok(Some(Uuid::parse_str(id).map_err(|e| DomainError::invalid("outing id", e.to_string()))?)),
        _ => Err(DomainError::invalid(
            "outing",
            format!(
                "two imported {} {} outings in {} on {date}: the file cannot say which one it means",
                activity.code(),
                shift.code(),
                province.code()
            ),
        )
        .into()),
    }
}

/// The stop of `outing` at `place`, created when missing; true when created.
pub(super) fn stop_at(tx: &Transaction<'_>, outing: Uuid, place: Place) -> Result<(i64, bool)> {
    let found = tx
        .prepare_cached(
            "SELECT id FROM stops WHERE outing_id = ?1 AND province = ?2 AND comune IS ?3 ORDER BY id LIMIT 1",
        )?
        .query_row(params![outing.to_string(), place.province, place.comune], |r| r.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok((id, false));
    }
    tx.prepare_cached("INSERT INTO stops (outing_id, province, comune) VALUES (?1, ?2, ?3)")?.execute(params![
        outing.to_string(),
        place.province,
        place.comune
    ])?;
    Ok((tx.last_insert_rowid(), true))
}

/// An Italian time on `day` as UTC (in the spring gap, the first time after it).
fn rome_at(day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = day.and_time(time);
    Rome.from_local_datetime(&local)
        .earliest()
        .or_else(|| Rome.from_local_datetime(&(local + Duration::hours(1))).earliest())
        .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

/// Start and end of an outing dated `date`: a night's start before noon is after midnight
/// (the sheet dates a night by its evening); an end at or before the start is the next day.
pub fn outing_hours(
    date: NaiveDate,
    shift: Shift,
    (start, end): (NaiveTime, NaiveTime),
) -> (DateTime<Utc>, DateTime<Utc>) {
    let noon = NaiveTime::from_hms_opt(12, 0, 0).expect("valid");
    let start_day = if shift == Shift::Night && start < noon { date + Duration::days(1) } else { date };
    let end_day = if end <= start { start_day + Duration::days(1) } else { start_day };
    (rome_at(start_day, start), rome_at(end_day, end))
}

impl Store {
    /// Imports an outings file's rows in one transaction: all or nothing.
    pub fn import_outings(&mut self, records: &[OutingRecord], sha256: &str) -> Result<OutingsImportOutcome> {
        for r in records {
            rules::check_outing_activity(r.activity)?;
            rules::check_comune_in(r.place.comune, r.place.province)?;
            if let Some(team) = r.team {
                team.checked()?;
            }
            if [r.presences.m, r.presences.f, r.presences.t].iter().any(|&n| n > crate::import::PRESENCES_MAX) {
                let most = crate::import::PRESENCES_MAX;
                return Err(DomainError::invalid("presences", format!("more than {most} at one stop")).into());
            }
        }
        let unit = self.unit_id;
        let tx = self.write()?;
        let import_id = register_import(&tx, sha256, records.len())?;
        let now = Utc::now().to_rfc3339();
        let mut outings: BTreeMap<(NaiveDate, Shift, Activity, Province), Vec<&OutingRecord>> = BTreeMap::new();
        for r in records {
            outings.entry((r.date, r.shift, r.activity, r.place.province)).or_default().push(r);
        }
        let mut outcome = OutingsImportOutcome::default();
        for (key, rows) in outings {
            let (date, shift, activity, _) = key;
            let first = rows[0];
            let hours = first.hours.map(|h| outing_hours(date, shift, h));
            let team = first.team;
            let id = match imported_outing(&tx, unit, key, false)? {
                Some(id) => {
                    fill(&tx, id, hours, team, first.mapping, &now)?;
                    outcome.filled += 1;
                    id
                }
                None => {
                    let outing = Outing {
                        id: Uuid::new_v4(),
                        unit_id: unit,
                        activity,
                        date,
                        shift,
                        shift_overridden: false,
                        started_at: hours.map(|h| h.0),
                        ended_at: hours.map(|h| h.1),
                        team_size: team.map(|t| t.operators),
                        mediator: team.is_some_and(|t| t.mediator),
                        mediator_language: team.and_then(|t| t.mediator_language),
                        legal_operator: team.is_some_and(|t| t.legal_operator),
                        mapping: first.mapping,
                        status: OutingStatus::Closed,
                        revision: 1,
                    };
                    outing.insert(&tx, unit, Some(import_id))?;
                    outcome.created += 1;
                    outing.id
                }
            };
            for r in rows {
                // At most PRESENCES_MAX each: the casts are exact.
                let (stop, created) = stop_at(&tx, id, r.place)?;
                outcome.stops += usize::from(created);
                tx.prepare_cached(
                    "UPDATE stops SET presences_m = ?2, presences_f = ?3, presences_t = ?4 WHERE id = ?1",
                )?
                .execute(params![
                    stop,
                    r.presences.m as i64,
                    r.presences.f as i64,
                    r.presences.t as i64
                ])?;
            }
        }
        tx.commit()?;
        Ok(outcome)
    }
}

/// Gives an imported outing the file's hours and team (what the file leaves empty stays)
/// and a new revision, so a synced outing is sent again.
fn fill(
    tx: &Transaction<'_>,
    id: Uuid,
    hours: Option<(DateTime<Utc>, DateTime<Utc>)>,
    team: Option<Team>,
    mapping: bool,
    now: &str,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE outings SET started_at = coalesce(?2, started_at), ended_at = coalesce(?3, ended_at),
                team_size = coalesce(?4, team_size),
                mediator = CASE WHEN ?4 IS NULL THEN mediator ELSE ?5 END,
                mediator_language = CASE WHEN ?4 IS NULL THEN mediator_language ELSE ?6 END,
                legal_operator = CASE WHEN ?4 IS NULL THEN legal_operator ELSE ?7 END,
                mapping = mapping OR ?8, revision = revision + 1, updated_at = ?9
         WHERE id = ?1",
    )?
    .execute(params![
        id.to_string(),
        hours.map(|h| h.0.to_rfc3339()),
        hours.map(|h| h.1.to_rfc3339()),
        team.map(|t| t.operators),
        team.is_some_and(|t| t.mediator),
        team.and_then(|t| t.mediator_language),
        team.is_some_and(|t| t.legal_operator),
        mapping,
        now,
    ])?;
    Ok(())
}
