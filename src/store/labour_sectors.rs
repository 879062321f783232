//! Labour outreach by sector and setting: a stop's sector, setting and joint-inspection
//! flag (its contacts' default), a contact's own sector and setting, and the counts the
//! labour-sectors table reads.
//!
//! Contacts count in [`Measure::Sector`], [`Measure::Setting`] and
//! [`Measure::JointInspection`] (the contact's own code, else its stop's) in the outing
//! tally and the period tally; distinct register persons per sector and period
//! ([`Measure::SectorPersons`]) are counted by [`Store::emersion_tally`].

use std::collections::{BTreeMap, HashMap};

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use super::lifecycle::{ensure_open, touch};
use super::records::all_rows;
use super::{Entity, Record, Result, Store, StoreError};
use crate::domain::outreach::{LabourSector, LabourSetting};
use crate::domain::{Activity, DomainError, Gender, Nationality, Period, Province, Tally};
use crate::domain::{Bucket, CellKey, Measure};

/// A labour stop's sector, setting and joint-inspection flag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StopLabour {
    /// The sector (its contacts' default).
    pub sector: Option<LabourSector>,
    /// The kind of place (its contacts' default).
    pub setting: Option<LabourSetting>,
    /// A joint inspection with the labour inspectorate.
    pub joint_inspection: bool,
}

/// A labour contact's own sector and setting (unset: its stop's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ContactLabour {
    /// Its own sector.
    pub sector: Option<LabourSector>,
    /// Its own kind of place.
    pub setting: Option<LabourSetting>,
}

/// Writes an imported contact's sector and setting and its stop's joint inspection, in
/// the import's transaction.
pub(super) fn write_imported(
    tx: &Transaction<'_>,
    stop_id: i64,
    contact_id: i64,
    o: &crate::import::ImportedOutreach,
) -> Result<()> {
    if o.sector.is_some() || o.setting.is_some() {
        tx.prepare_cached("UPDATE contacts SET sector = ?2, setting = ?3 WHERE id = ?1")?.execute(params![
            contact_id,
            o.sector.map(|s| s.code()),
            o.setting.map(|s| s.code())
        ])?;
    }
    if o.joint_inspection {
        tx.prepare_cached("UPDATE stops SET joint_inspection = 1 WHERE id = ?1")?.execute([stop_id])?;
    }
    Ok(())
}

/// Which labour column a change writes.
enum Column {
    Sector,
    Setting,
}

impl Column {
    fn name(&self) -> &'static str {
        match self {
            Column::Sector => "sector",
            Column::Setting => "setting",
        }
    }
}

/// The open labour outing of a stop, or why its labour facts cannot change.
fn open_labour_outing_of_stop(tx: &Transaction<'_>, stop_id: i64) -> Result<String> {
    let (outing, activity): (String, Activity) = tx
        .prepare_cached(
            "SELECT s.outing_id, o.activity FROM stops s JOIN outings o ON o.id = s.outing_id WHERE s.id = ?1",
        )?
        .query_row([stop_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::not_found(Entity::Stop, stop_id))?;
    if activity != Activity::Labour {
        return Err(DomainError::invalid("labour sector", "only labour outings have sectors and settings").into());
    }
    ensure_open(tx, Record::Outing, &outing)?;
    Ok(outing)
}

impl Store {
    /// A stop's sector, setting and joint-inspection flag.
    pub fn stop_labour(&self, stop_id: i64) -> Result<StopLabour> {
        self.conn
            .prepare_cached("SELECT sector, setting, joint_inspection FROM stops WHERE id = ?1")?
            .query_row([stop_id], |r| {
                Ok(StopLabour { sector: r.get(0)?, setting: r.get(1)?, joint_inspection: r.get(2)? })
            })
            .optional()?
            .ok_or_else(|| StoreError::not_found(Entity::Stop, stop_id))
    }

    /// A contact's own sector and setting.
    pub fn contact_labour(&self, contact_id: i64) -> Result<ContactLabour> {
        self.conn
            .prepare_cached("SELECT sector, setting FROM contacts WHERE id = ?1")?
            .query_row([contact_id], |r| Ok(ContactLabour { sector: r.get(0)?, setting: r.get(1)? }))
            .optional()?
            .ok_or_else(|| StoreError::not_found(Entity::Contact, contact_id))
    }

    /// Sets (or clears) the sector of a stop of an open labour outing: one transaction,
    /// the outing's revision bumped so it is sent again.
    pub fn set_stop_sector(&mut self, stop_id: i64, sector: Option<LabourSector>) -> Result<StopLabour> {
        self.set_stop_column(stop_id, Column::Sector, sector.map(|s| s.code()))
    }

    /// Sets (or clears) the kind of place of a stop of an open labour outing.
    pub fn set_stop_setting(&mut self, stop_id: i64, setting: Option<LabourSetting>) -> Result<StopLabour> {
        self.set_stop_column(stop_id, Column::Setting, setting.map(|s| s.code()))
    }

    /// Marks (or unmarks) a stop of an open labour outing as a joint inspection.
    pub fn set_joint_inspection(&mut self, stop_id: i64, joint: bool) -> Result<StopLabour> {
        let tx = self.write()?;
        let outing = open_labour_outing_of_stop(&tx, stop_id)?;
        tx.execute("UPDATE stops SET joint_inspection = ?2 WHERE id = ?1", params![stop_id, joint])?;
        touch(&tx, Record::Outing, &outing)?;
        tx.commit()?;
        self.stop_labour(stop_id)
    }

    fn set_stop_column(&mut self, stop_id: i64, column: Column, code: Option<&str>) -> Result<StopLabour> {
        let tx = self.write()?;
        let outing = open_labour_outing_of_stop(&tx, stop_id)?;
        tx.execute(&format!("UPDATE stops SET {} = ?2 WHERE id = ?1", column.name()), params![stop_id, code])?;
        touch(&tx, Record::Outing, &outing)?;
        tx.commit()?;
        self.stop_labour(stop_id)
    }

    /// Sets (or clears) a labour contact's own sector (unset: its stop's).
    pub fn set_contact_sector(&mut self, contact_id: i64, sector: Option<LabourSector>) -> Result<ContactLabour> {
        self.set_contact_column(contact_id, Column::Sector, sector.map(|s| s.code()))
    }

    /// Sets (or clears) a labour contact's own kind of place (unset: its stop's).
    pub fn set_contact_setting(&mut self, contact_id: i64, setting: Option<LabourSetting>) -> Result<ContactLabour> {
        self.set_contact_column(contact_id, Column::Setting, setting.map(|s| s.code()))
    }

    fn set_contact_column(&mut self, contact_id: i64, column: Column, code: Option<&str>) -> Result<ContactLabour> {
        let tx = self.write()?;
        let stop: i64 = tx
            .prepare_cached("SELECT stop_id FROM contacts WHERE id = ?1")?
            .query_row([contact_id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::not_found(Entity::Contact, contact_id))?;
        let outing = open_labour_outing_of_stop(&tx, stop)?;
        tx.execute(&format!("UPDATE contacts SET {} = ?2 WHERE id = ?1", column.name()), params![contact_id, code])?;
        touch(&tx, Record::Outing, &outing)?;
        tx.commit()?;
        self.contact_labour(contact_id)
    }

    /// Adds the labour cells of the contacts that `filter` (a `WHERE` on `o`, `s`, `c`,
    /// with `params`) selects: sector, setting (own, else the stop's) and joint inspection.
    fn add_labour_cells(&self, filter: &str, params: impl rusqlite::Params, tally: &mut Tally) -> Result<()> {
        let sql = format!(
            "SELECT o.activity, s.province, o.shift, c.nationality, c.gender,
                    coalesce(c.sector, s.sector), coalesce(c.setting, s.setting), s.joint_inspection, count(*)
             FROM outings o JOIN stops s ON s.outing_id = o.id JOIN contacts c ON c.stop_id = s.id
             WHERE o.activity = 'labour' AND {filter}
               AND (coalesce(c.sector, s.sector) IS NOT NULL OR coalesce(c.setting, s.setting) IS NOT NULL
                    OR s.joint_inspection)
             GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
        );
        type Row = (Bucket, Nationality, Gender, Option<LabourSector>, Option<LabourSetting>, bool, i64);
        let rows: Vec<Row> = all_rows(&self.conn, &sql, params, |r| {
            let bucket = Bucket { activity: r.get(0)?, province: r.get(1)?, shift: r.get(2)? };
            Ok((bucket, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?))
        })?;
        for (bucket, nationality, gender, sector, setting, joint, n) in rows {
            let measures =
                [sector.map(Measure::Sector), setting.map(Measure::Setting), joint.then_some(Measure::JointInspection)];
            for measure in measures.into_iter().flatten() {
                tally.add(bucket, CellKey { nationality, gender, measure }, n as u64);
            }
        }
        Ok(())
    }

    /// The labour cells of the contacts of outings dated within `period` (the period tally).
    pub(super) fn add_period_labour_cells(&self, period: Period, tally: &mut Tally) -> Result<()> {
        self.add_labour_cells("o.date BETWEEN ?1 AND ?2", params![period.from, period.to], tally)
    }

    /// The labour cells of one outing's contacts (its summary).
    pub(super) fn add_outing_labour_cells(&self, outing_id: uuid::Uuid, tally: &mut Tally) -> Result<()> {
        self.add_labour_cells("o.id = ?1", [outing_id.to_string()], tally)
    }

    /// Distinct persons met in labour outings dated within `period`, per province and
    /// sector (own, else the stop's): a register person once per sector, a contact without
    /// one a person of its own; by the register's nationality and gender. Counted under
    /// the emersion bucket, as [`Measure::SectorPersons`].
    pub(super) fn add_sector_persons(
        &self,
        period: Period,
        who: &HashMap<i64, (Nationality, Gender, bool)>,
        tally: &mut Tally,
    ) -> Result<()> {
        let rows: Vec<(Province, Option<i64>, i64, Nationality, Gender, LabourSector)> = all_rows(
            &self.conn,
            "SELECT s.province, c.person_id, c.id, c.nationality, c.gender, coalesce(c.sector, s.sector)
             FROM outings o JOIN stops s ON s.outing_id = o.id JOIN contacts c ON c.stop_id = s.id
             WHERE o.activity = 'labour' AND o.date BETWEEN ?1 AND ?2
               AND coalesce(c.sector, s.sector) IS NOT NULL",
            params![period.from, period.to],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )?;
        let mut persons: BTreeMap<(Province, LabourSector, i64), (Nationality, Gender)> = BTreeMap::new();
        for (province, person, own, nationality, gender, sector) in rows {
            let (key, cell) = match person.and_then(|p| who.get(&p).map(|w| (p, w))) {
                Some((p, &(n, g, _))) => (p, (n, g)),
                None => (person.unwrap_or(-own - 1), (nationality, gender)),
            };
            persons.entry((province, sector, key)).or_insert(cell);
        }
        for ((province, sector, _), (nationality, gender)) in persons {
            let cell = CellKey { nationality, gender, measure: Measure::SectorPersons(sector) };
            tally.add(super::emersion::emersion_bucket(province), cell, 1);
        }
        Ok(())
    }
}
