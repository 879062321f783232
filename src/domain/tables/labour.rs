//! Labour exploitation and begging outreach: contacts by nationality and gender per province, and the synthesis.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AgeBands, Mft, OfWhich, Report, ReportScope, age_bands, contacts_by_nationality, province_table};
use crate::domain::{Activity, Count, Nationality, Province, Tally};

/// One nationality of a labour outreach table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourRow {
    /// Nationality code.
    pub nationality: Nationality,
    /// Its name.
    pub label: String,
    /// Contacts.
    pub contacts: Mft,
}

/// Column totals of a labour table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourTotal {
    /// Contacts.
    pub contacts: Mft,
}

/// Labour exploitation / begging outreach contacts of one province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourTable {
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
    pub rows: Vec<LabourRow>,
    /// Column totals.
    pub total: LabourTotal,
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

/// One province of the labour synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourSynthesisRow {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// Contacts by gender.
    pub contacts: Mft,
    /// All contacts.
    pub total: u64,
}

/// Provinces as rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourSynthesis {
    /// One row per province.
    pub rows: Vec<LabourSynthesisRow>,
    /// Column totals.
    pub total: LabourTotal,
    /// All contacts.
    pub grand_total: u64,
    /// Minors, first contacts, known, protection.
    pub of_which: OfWhich,
}

/// Labour tables per province and their synthesis.
pub type LabourReport = Report<LabourTable, LabourSynthesis>;

/// Builds the labour outreach tables.
pub fn labour_report(tally: &Tally, scope: &ReportScope) -> LabourReport {
    by_nationality(tally, scope, Activity::Labour)
}

/// Persons met (or contacts) of one activity's outings by nationality × M/F/T per
/// province, and the synthesis: the labour tables, and the desk's.
pub(super) fn by_nationality(tally: &Tally, scope: &ReportScope, activity: Activity) -> LabourReport {
    let mut tables = Vec::new();
    for (province, cells) in scope.by_province(tally, Some(activity)) {
        let age = age_bands(scope.count, &cells);
        let (rows, of_which) = contacts_by_nationality(scope.count, cells, |m: &mut Mft, _, c, n| m.add(c.gender, n));
        let total = LabourTotal { contacts: rows.values().fold(Mft::default(), |a, m| a.plus(*m)) };
        let mut rows: Vec<_> = rows
            .into_iter()
            .map(|(nat, contacts)| LabourRow { nationality: nat, label: scope.label(nat), contacts })
            .collect();
        scope.sort_rows(&mut rows, |r| r.nationality.is_unknown(), |r| r.contacts.total());
        tables.push(province_table!(LabourTable {
            province, scope;
            count: scope.count,
            rows,
            grand_total: total.contacts.total(),
            total,
            of_which,
            age,
            outings: None,
        }));
    }
    let rows: Vec<_> = tables
        .iter()
        .map(|t| province_table!(LabourSynthesisRow { t.province; contacts: t.total.contacts, total: t.grand_total }))
        .collect();
    let total = LabourTotal { contacts: rows.iter().fold(Mft::default(), |a, r| a.plus(r.contacts)) };
    let synthesis = LabourSynthesis {
        grand_total: total.contacts.total(),
        total,
        of_which: tables.iter().fold(OfWhich::default(), |a, t| a.plus(t.of_which)),
        rows,
    };
    LabourReport::new(scope, tables, synthesis)
}
