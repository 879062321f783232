//! Outcomes of contacts (street, labour, indoor, desk): per province, nationality × each
//! outcome's M/F/T, counted in persons, and the persons with any outcome; the synthesis
//! with provinces as rows.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{MftTotal, ReportScope, emersion_cells, province_table};
use crate::domain::emersion::ContactOutcome;
use crate::domain::tally::Measure;
use crate::domain::{Nationality, Province, Tally};

/// Persons with any outcome and with each, by gender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeCounts {
    /// Persons with at least one outcome.
    pub persons: MftTotal,
    /// Persons with each outcome (every outcome listed).
    pub outcomes: BTreeMap<ContactOutcome, MftTotal>,
}

impl Default for OutcomeCounts {
    fn default() -> Self {
        OutcomeCounts {
            persons: MftTotal::default(),
            outcomes: ContactOutcome::ALL.iter().map(|&o| (o, MftTotal::default())).collect(),
        }
    }
}

fn plus(a: MftTotal, b: MftTotal) -> MftTotal {
    MftTotal::from(a.mft.plus(b.mft))
}

impl OutcomeCounts {
    fn add(&mut self, measure: Measure, gender: crate::domain::Gender, n: u64) {
        let slot = match measure {
            Measure::OutcomePersons => &mut self.persons,
            Measure::Outcome(o) => self.outcomes.entry(o).or_default(),
            _ => return,
        };
        slot.mft.add(gender, n);
        slot.total = slot.mft.total();
    }

    /// Column-wise sum.
    pub fn plus(&self, o: &OutcomeCounts) -> OutcomeCounts {
        let mut out = self.clone();
        out.persons = plus(out.persons, o.persons);
        for (k, v) in &o.outcomes {
            let e = out.outcomes.entry(*k).or_default();
            *e = plus(*e, *v);
        }
        out
    }
}

/// One nationality of an outcomes table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeRow {
    /// Nationality code.
    pub nationality: Nationality,
    /// Its name.
    pub label: String,
    /// Its counts.
    #[serde(flatten)]
    pub counts: OutcomeCounts,
}

/// A province's outcomes table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeTable {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Nationalities by name (or largest first), the unknown last.
    pub rows: Vec<OutcomeRow>,
    /// Column totals.
    pub total: OutcomeCounts,
}

/// A province of the outcomes synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeSynthesisRow {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// Its totals.
    #[serde(flatten)]
    pub counts: OutcomeCounts,
}

/// Provinces as rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeSynthesis {
    /// One row per province.
    pub rows: Vec<OutcomeSynthesisRow>,
    /// Their sum.
    pub total: OutcomeCounts,
}

/// The outcomes tables and their synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomesReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// One table per province.
    pub tables: Vec<OutcomeTable>,
    /// Provinces as rows.
    pub synthesis: OutcomeSynthesis,
}

/// Builds the outcomes tables.
pub fn outcomes_report(tally: &Tally, scope: &ReportScope) -> OutcomesReport {
    let mut tables = Vec::new();
    let of_outcomes = |m: &Measure| matches!(m, Measure::Outcome(_) | Measure::OutcomePersons);
    for (province, cells) in emersion_cells(tally, scope, of_outcomes) {
        let mut by_nat: BTreeMap<Nationality, OutcomeCounts> = BTreeMap::new();
        for (_, c, n) in cells {
            by_nat.entry(c.nationality).or_default().add(c.measure, c.gender, n);
        }
        let mut rows: Vec<OutcomeRow> = by_nat
            .into_iter()
            .map(|(nat, counts)| OutcomeRow { nationality: nat, label: scope.label(nat), counts })
            .collect();
        scope.sort_rows(&mut rows, |r| r.nationality.is_unknown(), |r| r.counts.persons.total);
        let total = rows.iter().fold(OutcomeCounts::default(), |a, r| a.plus(&r.counts));
        tables.push(province_table!(OutcomeTable { province, scope; rows, total }));
    }
    let rows: Vec<OutcomeSynthesisRow> =
        tables.iter().map(|t| province_table!(OutcomeSynthesisRow { t.province; counts: t.total.clone() })).collect();
    let total = rows.iter().fold(OutcomeCounts::default(), |a, r| a.plus(&r.counts));
    OutcomesReport { from: scope.period.from, to: scope.period.to, tables, synthesis: OutcomeSynthesis { rows, total } }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tally::{Bucket, CellKey};
    use crate::domain::{Activity, Gender, Period, Shift, parse_date};

    #[test]
    fn persons_by_outcome_nationality_and_gender() {
        let mut t = Tally::new();
        let mut add = |prov: &str, nat: &str, gender, outcomes: &[ContactOutcome]| {
            let bucket =
                Bucket { activity: Activity::Emersion, province: Province::parse(prov).unwrap(), shift: Shift::Day };
            let nationality = Nationality::parse(nat).unwrap();
            t.add(bucket, CellKey { nationality, gender, measure: Measure::OutcomePersons }, 1);
            for &o in outcomes {
                t.add(bucket, CellKey { nationality, gender, measure: Measure::Outcome(o) }, 1);
            }
        };
        add("BG", "NG", Gender::F, &[ContactOutcome::Proposed, ContactOutcome::Accepted]);
        add("BG", "NG", Gender::T, &[ContactOutcome::Proposed]);
        add("BG", "ZZ", Gender::F, &[ContactOutcome::ComplaintPolice]);
        add("MI", "AL", Gender::M, &[ContactOutcome::Return]);
        let scope = ReportScope::period(
            Period::new(parse_date("2024-01-01").unwrap(), parse_date("2024-12-31").unwrap()).unwrap(),
        );
        let r = outcomes_report(&t, &scope);
        let bg = &r.tables[0];
        assert_eq!(bg.rows.len(), 2);
        assert!(bg.rows[1].nationality.is_unknown());
        assert_eq!(bg.rows[0].counts.outcomes[&ContactOutcome::Proposed].total, 2);
        assert_eq!(bg.rows[0].counts.outcomes[&ContactOutcome::Proposed].mft.t, 1);
        assert_eq!(bg.total.persons.total, 3);
        assert_eq!(r.synthesis.rows[1].counts.outcomes[&ContactOutcome::Return].total, 1);
        assert_eq!(r.synthesis.total.persons.total, 4);
        assert_eq!(r.synthesis.total.outcomes[&ContactOutcome::Networking].total, 0, "every outcome listed");
    }
}
