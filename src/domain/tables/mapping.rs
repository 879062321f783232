//! National street-prostitution mapping nights: per province, persons seen and contacted
//! by comune × nationality × gender; the synthesis with provinces as rows.
//!
//! Built from the [`Measure::Mapping`] cells of any activity's buckets (the outings flagged
//! as part of a mapping night): `Mapping(Seen, comune)` counts every contact and every
//! presence (people seen, not approached: nationality unknown), `Mapping(Contacted,
//! comune)` every contact. Stops without a comune are not counted.
//!
//! JSON of one province's table:
//! ```json
//! { "province": "BS", "province_name": "Brescia", "from": "2023-06-07", "to": "2023-06-07",
//!   "rows": [ { "comune": "017029", "comune_name": "Brescia", "nationality": "NG",
//!               "label": "Nigeria", "seen": {"M":0,"F":3,"T":0},
//!               "contacted": {"M":0,"F":2,"T":0} }, ... ],
//!   "total": { "seen": {"M":..}, "contacted": {"M":..} } }
//! ```
//! Rows by comune name, then nationality (by name, or largest first; the unknown last).
//! The report is `{ "from", "to", "tables": [..], "synthesis": { "rows": [ { "province",
//! "province_name", "seen", "contacted" } ], "total": {..} } }`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Mft, ReportScope, province_table};
use crate::domain::outreach::MappingCount;
use crate::domain::{Comune, Measure, Nationality, Province, Tally};

/// Persons seen and contacted by gender.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingCounts {
    /// Persons seen (contacted or not).
    pub seen: Mft,
    /// Persons contacted.
    pub contacted: Mft,
}

impl MappingCounts {
    fn plus(self, o: MappingCounts) -> MappingCounts {
        MappingCounts { seen: self.seen.plus(o.seen), contacted: self.contacted.plus(o.contacted) }
    }
}

/// One comune × nationality of a mapping table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingRow {
    /// The comune's ISTAT code.
    pub comune: Comune,
    /// Its name.
    pub comune_name: String,
    /// Nationality code.
    pub nationality: Nationality,
    /// Its name.
    pub label: String,
    /// Its counts.
    #[serde(flatten)]
    pub counts: MappingCounts,
}

/// A province's mapping table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingTable {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Comune × nationality.
    pub rows: Vec<MappingRow>,
    /// Column totals.
    pub total: MappingCounts,
}

/// A province of the mapping synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingSynthesisRow {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// Its totals.
    #[serde(flatten)]
    pub counts: MappingCounts,
}

/// Provinces as rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingSynthesis {
    /// One row per province.
    pub rows: Vec<MappingSynthesisRow>,
    /// Their sum.
    pub total: MappingCounts,
}

/// The mapping tables and their synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// One table per province.
    pub tables: Vec<MappingTable>,
    /// Provinces as rows.
    pub synthesis: MappingSynthesis,
}

/// Builds the mapping tables.
pub fn mapping_report(tally: &Tally, scope: &ReportScope) -> MappingReport {
    let mut by_province: BTreeMap<Province, BTreeMap<(Comune, Nationality), MappingCounts>> = BTreeMap::new();
    if let Some(p) = scope.province {
        by_province.insert(p, BTreeMap::new());
    }
    for (b, c, n) in tally.iter() {
        let Measure::Mapping(count, comune) = c.measure else { continue };
        if scope.province.is_some_and(|p| p != b.province) || scope.activity.is_some_and(|a| a != b.activity) {
            continue;
        }
        let e = by_province.entry(b.province).or_default().entry((comune, c.nationality)).or_default();
        match count {
            MappingCount::Seen => e.seen.add(c.gender, n),
            MappingCount::Contacted => e.contacted.add(c.gender, n),
        }
    }
    let mut tables = Vec::new();
    for (province, cells) in by_province {
        let mut rows: Vec<MappingRow> = cells
            .into_iter()
            .map(|((comune, nat), counts)| MappingRow {
                comune,
                comune_name: comune.name().to_owned(),
                nationality: nat,
                label: scope.label(nat),
                counts,
            })
            .collect();
        // By comune name; within a comune, nationalities by name (codes order them as
        // names do not: sort by label), or largest first; the unknown last.
        rows.sort_by(|a, b| {
            (a.comune_name.as_str(), a.nationality.is_unknown(), a.label.as_str()).cmp(&(
                b.comune_name.as_str(),
                b.nationality.is_unknown(),
                b.label.as_str(),
            ))
        });
        if scope.order == crate::domain::RowOrder::Total {
            rows.sort_by_key(|r| {
                (r.comune_name.clone(), r.nationality.is_unknown(), std::cmp::Reverse(r.counts.seen.total()))
            });
        }
        let total = rows.iter().fold(MappingCounts::default(), |a, r| a.plus(r.counts));
        tables.push(province_table!(MappingTable { province, scope; rows, total }));
    }
    let rows: Vec<MappingSynthesisRow> =
        tables.iter().map(|t| province_table!(MappingSynthesisRow { t.province; counts: t.total })).collect();
    let total = rows.iter().fold(MappingCounts::default(), |a, r| a.plus(r.counts));
    MappingReport { from: scope.period.from, to: scope.period.to, tables, synthesis: MappingSynthesis { rows, total } }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Activity, Bucket, CellKey, Gender, Period, Shift, parse_date};

    #[test]
    fn seen_and_contacted_by_comune_and_nationality() {
        let mut t = Tally::new();
        let brescia = Comune::parse("017029").unwrap();
        let mut add = |nat: &str, gender, count, n| {
            let bucket =
                Bucket { activity: Activity::Street, province: Province::parse("BS").unwrap(), shift: Shift::Night };
            let cell = CellKey {
                nationality: Nationality::parse(nat).unwrap(),
                gender,
                measure: Measure::Mapping(count, brescia),
            };
            t.add(bucket, cell, n);
        };
        add("NG", Gender::F, MappingCount::Seen, 3);
        add("NG", Gender::F, MappingCount::Contacted, 2);
        add("ZZ", Gender::T, MappingCount::Seen, 4);
        add("AL", Gender::F, MappingCount::Contacted, 1);
        add("AL", Gender::F, MappingCount::Seen, 1);
        let scope = ReportScope::period(
            Period::new(parse_date("2023-06-07").unwrap(), parse_date("2023-06-07").unwrap()).unwrap(),
        );
        let r = mapping_report(&t, &scope);
        let bs = &r.tables[0];
        let codes: Vec<&str> = bs.rows.iter().map(|r| r.nationality.code()).collect();
        assert_eq!(codes, ["AL", "NG", "ZZ"], "by name, the unknown last");
        assert_eq!(bs.rows[1].counts.seen.f, 3);
        assert_eq!(bs.rows[1].counts.contacted.f, 2);
        assert_eq!(bs.rows[2].counts.seen.t, 4);
        assert_eq!(bs.total.seen.total(), 8);
        assert_eq!(bs.total.contacted.total(), 3);
        assert_eq!(r.synthesis.total.seen.total(), 8);
    }
}
