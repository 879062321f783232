//! Street contacts: one table per province (nationality × day/night × M/F/T) and the synthesis.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AgeBands, ByShift, Mft, OfWhich, Report, ReportScope, age_bands, contacts_by_nationality, province_table};
use crate::domain::{Activity, Count, Nationality, Province, Tally};

/// One nationality of a street table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreetRow {
    /// Nationality code.
    pub nationality: Nationality,
    /// Its name.
    pub label: String,
    /// Contacts on day outings.
    pub day: Mft,
    /// Contacts on night outings.
    pub night: Mft,
}

/// Street (outdoor) contacts of one province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreetTable {
    /// Persons met in the period, or contacts.
    pub count: Count,
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Nationalities in the scope's order (by name or largest total first), the unknown last.
    pub rows: Vec<StreetRow>,
    /// Column totals.
    pub total: ByShift<Mft>,
    /// Contacts per shift.
    pub shift_totals: ByShift<u64>,
    /// All contacts.
    pub grand_total: u64,
    /// Minors, first contacts, known, protection.
    pub of_which: OfWhich,
    /// Persons (or contacts) by age band × gender ([`super::age`]).
    pub age: AgeBands,
    /// The outings of this activity in the province, printed under the table (when the
    /// report was built with the outings' facts: [`crate::report::Rendered::build_with`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outings: Option<super::OutingLine>,
}

/// One province of the street synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreetSynthesisRow {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// Contacts on day outings.
    pub day: u64,
    /// Contacts on night outings.
    pub night: u64,
    /// Both.
    pub total: u64,
}

/// Provinces as rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreetSynthesis {
    /// One row per province.
    pub rows: Vec<StreetSynthesisRow>,
    /// Day, night and all contacts.
    pub total: ByShift<u64>,
    /// All contacts.
    pub grand_total: u64,
    /// Minors, first contacts, known, protection.
    pub of_which: OfWhich,
}

/// Street tables per province and their synthesis.
pub type StreetReport = Report<StreetTable, StreetSynthesis>;

/// Builds the street tables.
pub fn street_report(tally: &Tally, scope: &ReportScope) -> StreetReport {
    let mut tables = Vec::new();
    for (province, cells) in scope.by_province(tally, Some(Activity::Street)) {
        let age = age_bands(scope.count, &cells);
        let (rows, of_which) = contacts_by_nationality(scope.count, cells, |v: &mut ByShift<Mft>, b, c, n| {
            v.get_mut(b.shift).add(c.gender, n)
        });
        let mut total = ByShift::<Mft>::default();
        let mut rows: Vec<StreetRow> = rows
            .into_iter()
            .map(|(nat, v)| {
                total.day = total.day.plus(v.day);
                total.night = total.night.plus(v.night);
                StreetRow { nationality: nat, label: scope.label(nat), day: v.day, night: v.night }
            })
            .collect();
        scope.sort_rows(&mut rows, |r| r.nationality.is_unknown(), |r| r.day.total() + r.night.total());
        let shift_totals = ByShift { day: total.day.total(), night: total.night.total() };
        tables.push(province_table!(StreetTable {
            province, scope;
            count: scope.count,
            rows,
            total,
            shift_totals,
            grand_total: shift_totals.day + shift_totals.night,
            of_which,
            age,
            outings: None,
        }));
    }
    let rows: Vec<_> = tables
        .iter()
        .map(|t| {
            let (day, night, total) = (t.shift_totals.day, t.shift_totals.night, t.grand_total);
            province_table!(StreetSynthesisRow { t.province; day, night, total })
        })
        .collect();
    let total = ByShift { day: rows.iter().map(|r| r.day).sum(), night: rows.iter().map(|r| r.night).sum() };
    let synthesis = StreetSynthesis {
        grand_total: total.day + total.night,
        total,
        of_which: tables.iter().fold(OfWhich::default(), |a, t| a.plus(t.of_which)),
        rows,
    };
    StreetReport::new(scope, tables, synthesis)
}
