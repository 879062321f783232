//! National street-prostitution mapping nights: the dates (the unit's own, in the
//! settings, and those the server publishes), an outing's flag, and the counts the
//! mapping table reads.
//!
//! On a flagged outing every contact at a stop with a comune counts as
//! [`MappingCount::Contacted`] and [`MappingCount::Seen`] in that comune (by nationality
//! and gender), every presence (seen, not approached) as [`MappingCount::Seen`] with the
//! nationality unknown. Stops without a comune are left out: the table says so.

use chrono::NaiveDate;
use rusqlite::params;

use super::lifecycle::{ensure_open, touch};
use super::records::all_rows;
use super::{Record, Result, Store};
use crate::domain::outreach::MappingCount;
use crate::domain::{Bucket, CellKey, Measure};
use crate::domain::{Comune, Gender, Nationality, Outing, Period, Tally};

/// The settings key of the mapping nights the server published.
const PUBLISHED_KEY: &str = "published_mapping_nights";

impl Store {
    /// The mapping nights the server published (as last fetched), oldest first.
    pub fn published_mapping_nights(&self) -> Result<Vec<NaiveDate>> {
        Ok(self.setting(PUBLISHED_KEY)?.unwrap_or_default())
    }

    /// Keeps the mapping nights the server publishes (replacing those fetched before).
    pub fn set_published_mapping_nights(&mut self, nights: &[NaiveDate]) -> Result<()> {
        let mut nights = nights.to_vec();
        nights.sort_unstable();
        nights.dedup();
        self.put_setting(PUBLISHED_KEY, &nights)
    }

    /// Every mapping night: the unit's own (settings) and the server's, oldest first.
    pub fn mapping_nights(&self) -> Result<Vec<NaiveDate>> {
        let mut nights = self.settings()?.mapping_nights;
        nights.extend(self.published_mapping_nights()?);
        nights.sort_unstable();
        nights.dedup();
        Ok(nights)
    }

    /// Whether `date` is a mapping night.
    pub fn is_mapping_night(&self, date: NaiveDate) -> Result<bool> {
        Ok(self.mapping_nights()?.contains(&date))
    }

    /// Flags (or unflags) an open outing as part of a national mapping night: one
    /// transaction, the outing's revision bumped so its summary is sent again.
    pub fn set_outing_mapping(&mut self, id: uuid::Uuid, mapping: bool) -> Result<Outing> {
        let tx = self.write()?;
        ensure_open(&tx, Record::Outing, &id.to_string())?;
        tx.execute("UPDATE outings SET mapping = ?2 WHERE id = ?1", params![id.to_string(), mapping])?;
        touch(&tx, Record::Outing, &id.to_string())?;
        tx.commit()?;
        self.outing(id)
    }

    /// Adds the mapping cells of the flagged outings `filter` (a `WHERE` on `o`) selects.
    fn add_mapping_cells(&self, filter: &str, params: impl rusqlite::Params + Copy, tally: &mut Tally) -> Result<()> {
        let contacts = format!(
            "SELECT o.activity, s.province, o.shift, s.comune, c.nationality, c.gender, count(*)
             FROM outings o JOIN stops s ON s.outing_id = o.id JOIN contacts c ON c.stop_id = s.id
             WHERE o.mapping AND s.comune IS NOT NULL AND {filter}
             GROUP BY 1, 2, 3, 4, 5, 6"
        );
        let rows: Vec<(Bucket, Comune, Nationality, Gender, i64)> = all_rows(&self.conn, &contacts, params, |r| {
            Ok((
                Bucket { activity: r.get(0)?, province: r.get(1)?, shift: r.get(2)? },
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?;
        for (bucket, comune, nationality, gender, n) in rows {
            for count in MappingCount::ALL {
                tally.add(bucket, CellKey { nationality, gender, measure: Measure::Mapping(*count, comune) }, n as u64);
            }
        }
        let presences = format!(
            "SELECT o.activity, s.province, o.shift, s.comune, sum(s.presences_m), sum(s.presences_f), sum(s.presences_t)
             FROM outings o JOIN stops s ON s.outing_id = o.id
             WHERE o.mapping AND s.comune IS NOT NULL AND {filter}
             GROUP BY 1, 2, 3, 4"
        );
        let rows: Vec<(Bucket, Comune, [i64; 3])> = all_rows(&self.conn, &presences, params, |r| {
            Ok((
                Bucket { activity: r.get(0)?, province: r.get(1)?, shift: r.get(2)? },
                r.get(3)?,
                [r.get(4)?, r.get(5)?, r.get(6)?],
            ))
        })?;
        for (bucket, comune, by_gender) in rows {
            for (gender, n) in Gender::ALL.iter().copied().zip(by_gender) {
                if n > 0 {
                    let measure = Measure::Mapping(MappingCount::Seen, comune);
                    tally.add(bucket, CellKey { nationality: Nationality::UNKNOWN, gender, measure }, n as u64);
                }
            }
        }
        Ok(())
    }

    /// The mapping cells of outings dated within `period` (the period tally).
    pub(super) fn add_period_mapping_cells(&self, period: Period, tally: &mut Tally) -> Result<()> {
        self.add_mapping_cells("o.date BETWEEN ?1 AND ?2", (period.from, period.to), tally)
    }

    /// The mapping cells of one outing (its summary).
    pub(super) fn add_outing_mapping_cells(&self, outing_id: uuid::Uuid, tally: &mut Tally) -> Result<()> {
        let id = outing_id.to_string();
        self.add_mapping_cells("o.id = ?1", [id.as_str()], tally)
    }
}
