//! Reports from the national helpline (Numero Verde): per province, nationality × M/F/T
//! reports, then new or known, own call or agency, help requested and outcome; the
//! synthesis with provinces as rows. Counted in reports.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{MftTotal, ReportScope, emersion_cells, province_table};
use crate::domain::emersion::{HelpKind, HelplineCount, HelplineOutcome, HelplineSource};
use crate::domain::tally::Measure;
use crate::domain::{Gender, Nationality, Province, Tally};

/// What the reports of a row say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelplineCounts {
    /// Reports, by the person's gender.
    pub reports: MftTotal,
    /// About persons new to the unit.
    pub new: u64,
    /// About persons already known.
    pub known: u64,
    /// By who called (every source listed).
    pub source: BTreeMap<HelplineSource, u64>,
    /// By help requested (a report may ask several; every kind listed).
    pub help: BTreeMap<HelpKind, u64>,
    /// By outcome (every outcome listed).
    pub outcome: BTreeMap<HelplineOutcome, u64>,
}

impl Default for HelplineCounts {
    fn default() -> Self {
        HelplineCounts {
            reports: MftTotal::default(),
            new: 0,
            known: 0,
            source: HelplineSource::ALL.iter().map(|&s| (s, 0)).collect(),
            help: HelpKind::ALL.iter().map(|&h| (h, 0)).collect(),
            outcome: HelplineOutcome::ALL.iter().map(|&o| (o, 0)).collect(),
        }
    }
}

impl HelplineCounts {
    fn add(&mut self, c: HelplineCount, gender: Gender, n: u64) {
        let field = match c {
            HelplineCount::Reports => {
                self.reports.mft.add(gender, n);
                self.reports.total = self.reports.mft.total();
                return;
            }
            HelplineCount::New => &mut self.new,
            HelplineCount::Known => &mut self.known,
            HelplineCount::Source(s) => self.source.entry(s).or_default(),
            HelplineCount::Help(h) => self.help.entry(h).or_default(),
            HelplineCount::Outcome(o) => self.outcome.entry(o).or_default(),
        };
        *field += n;
    }

    /// Column-wise sum.
    pub fn plus(&self, o: &HelplineCounts) -> HelplineCounts {
        fn merge<K: Ord + Copy>(a: &mut BTreeMap<K, u64>, b: &BTreeMap<K, u64>) {
            b.iter().for_each(|(k, v)| *a.entry(*k).or_default() += v);
        }
        let mut out = self.clone();
        out.reports = MftTotal::from(self.reports.mft.plus(o.reports.mft));
        out.new += o.new;
        out.known += o.known;
        merge(&mut out.source, &o.source);
        merge(&mut out.help, &o.help);
        merge(&mut out.outcome, &o.outcome);
        out
    }
}

/// One nationality of a helpline table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelplineRow {
    /// Nationality code.
    pub nationality: Nationality,
    /// Its name.
    pub label: String,
    /// Its counts.
    #[serde(flatten)]
    pub counts: HelplineCounts,
}

/// A province's helpline table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelplineTable {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Nationalities by name (or largest first), the unknown last.
    pub rows: Vec<HelplineRow>,
    /// Column totals.
    pub total: HelplineCounts,
}

/// A province of the helpline synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelplineSynthesisRow {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// Its totals.
    #[serde(flatten)]
    pub counts: HelplineCounts,
}

/// Provinces as rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelplineSynthesis {
    /// One row per province.
    pub rows: Vec<HelplineSynthesisRow>,
    /// Their sum.
    pub total: HelplineCounts,
}

/// The helpline tables and their synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelplineReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// One table per province.
    pub tables: Vec<HelplineTable>,
    /// Provinces as rows.
    pub synthesis: HelplineSynthesis,
}

/// Builds the helpline tables.
pub fn helpline_report(tally: &Tally, scope: &ReportScope) -> HelplineReport {
    let mut tables = Vec::new();
    for (province, cells) in emersion_cells(tally, scope, |m| matches!(m, Measure::Helpline(_))) {
        let mut by_nat: BTreeMap<Nationality, HelplineCounts> = BTreeMap::new();
        for (_, c, n) in cells {
            if let Measure::Helpline(count) = c.measure {
                by_nat.entry(c.nationality).or_default().add(count, c.gender, n);
            }
        }
        let mut rows: Vec<HelplineRow> = by_nat
            .into_iter()
            .map(|(nat, counts)| HelplineRow { nationality: nat, label: scope.label(nat), counts })
            .collect();
        scope.sort_rows(&mut rows, |r| r.nationality.is_unknown(), |r| r.counts.reports.total);
        let total = rows.iter().fold(HelplineCounts::default(), |a, r| a.plus(&r.counts));
        tables.push(province_table!(HelplineTable { province, scope; rows, total }));
    }
    let rows: Vec<HelplineSynthesisRow> =
        tables.iter().map(|t| province_table!(HelplineSynthesisRow { t.province; counts: t.total.clone() })).collect();
    let total = rows.iter().fold(HelplineCounts::default(), |a, r| a.plus(&r.counts));
    HelplineReport {
        from: scope.period.from,
        to: scope.period.to,
        tables,
        synthesis: HelplineSynthesis { rows, total },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::emersion::{HelpSet, HelplineReport as Report};
    use crate::domain::tally::{Bucket, CellKey};
    use crate::domain::{Activity, Period, Shift, parse_date};

    #[test]
    fn reports_by_nationality_gender_and_what_they_say() {
        let mut t = Tally::new();
        let mut add = |prov: &str, nat: &str, gender, known, source, help: &str, outcome| {
            let r = Report {
                id: 0,
                date: parse_date("2024-03-01").unwrap(),
                province: Province::parse(prov).unwrap(),
                gender,
                nationality: Nationality::parse(nat).unwrap(),
                known,
                source,
                help: HelpSet::parse_list(help).unwrap(),
                outcome,
            };
            let bucket = Bucket { activity: Activity::Emersion, province: r.province, shift: Shift::Day };
            for c in r.counts() {
                let cell = CellKey { nationality: r.nationality, gender, measure: Measure::Helpline(c) };
                t.add(bucket, cell, 1);
            }
        };
        add("BG", "NG", Gender::F, false, HelplineSource::Own, "shelter;legal", Some(HelplineOutcome::TakenInCharge));
        add("BG", "NG", Gender::F, true, HelplineSource::Agency, "shelter", None);
        add("MI", "CN", Gender::T, false, HelplineSource::Agency, "", Some(HelplineOutcome::Adhesion));
        let scope = ReportScope::period(
            Period::new(parse_date("2024-01-01").unwrap(), parse_date("2024-12-31").unwrap()).unwrap(),
        );
        let r = helpline_report(&t, &scope);
        let ng = &r.tables[0].rows[0].counts;
        assert_eq!((ng.reports.mft.f, ng.reports.total, ng.new, ng.known), (2, 2, 1, 1));
        assert_eq!(ng.help[&HelpKind::Shelter], 2);
        assert_eq!(ng.source[&HelplineSource::Agency], 1);
        assert_eq!(ng.outcome[&HelplineOutcome::TakenInCharge], 1);
        assert_eq!(r.synthesis.total.reports.total, 3);
        assert_eq!(r.synthesis.rows[1].counts.outcome[&HelplineOutcome::Adhesion], 1);
    }
}
