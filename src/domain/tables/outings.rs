//! The outings table: how many outings (and sessions) a unit made, per province, by
//! activity × shift × month, empty ones included ("no one was on the road tonight" is a
//! result the reports print), their hours and operator-hours, and how many had a mediator
//! or the legal operator. A pure function of [`OutingFact`]s: the phone builds them from
//! its outings and sessions, the server from the summaries it holds.
//!
//! JSON: `{"from", "to", "tables": [{"province", "province_name", "from", "to", "rows":
//! [{"activity", "shift", "month": "YYYY-MM", "outings", "empty", "minutes",
//! "operator_minutes", "hours", "operator_hours", "mediator", "legal_operator"}],
//! "total": {counts}}], "synthesis": {"rows": [...same rows, over provinces], "total"}}`.
//! `hours` and `operator_hours` are `minutes / 60` and `operator_minutes / 60` with one
//! decimal; an outing whose start or end is unknown adds no minutes. `operator_minutes` is
//! minutes × operators (an outing without a team counts its minutes once per operator
//! unknown: not at all).
//!
//! Under each contacts table (street, labour, desk) the reports print one line of the same
//! counts for that province and activity: [`OutingLine`].

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::ReportScope;
use crate::domain::outreach::OutingFact;
use crate::domain::{Activity, Province, Shift};

/// What the outings table counts for one row (or a total).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct OutingCounts {
    /// Outings (or sessions).
    pub outings: u64,
    /// Of which empty: no one contacted or met.
    pub empty: u64,
    /// Minutes out, summed over outings whose start and end are known.
    pub minutes: u64,
    /// Minutes × operators.
    pub operator_minutes: u64,
    /// `minutes / 60`, one decimal.
    pub hours: f64,
    /// `operator_minutes / 60`, one decimal.
    pub operator_hours: f64,
    /// Outings with a cultural mediator.
    pub mediator: u64,
    /// Outings with the legal operator.
    pub legal_operator: u64,
}

impl OutingCounts {
    /// Counts one outing in.
    pub fn add(&mut self, f: &OutingFact) {
        self.outings += 1;
        self.empty += u64::from(f.contacts == 0);
        let minutes = u64::from(f.minutes.unwrap_or(0));
        self.minutes += minutes;
        if let Some(team) = f.team {
            self.operator_minutes += minutes * u64::from(team.operators);
            self.mediator += u64::from(team.mediator);
            self.legal_operator += u64::from(team.legal_operator);
        }
        self.settle();
    }

    /// Column-wise sum.
    pub fn plus(mut self, o: &OutingCounts) -> OutingCounts {
        self.outings += o.outings;
        self.empty += o.empty;
        self.minutes += o.minutes;
        self.operator_minutes += o.operator_minutes;
        self.mediator += o.mediator;
        self.legal_operator += o.legal_operator;
        self.settle();
        self
    }

    /// Hours from minutes, one decimal.
    fn settle(&mut self) {
        self.hours = tenths(self.minutes) as f64 / 10.0;
        self.operator_hours = tenths(self.operator_minutes) as f64 / 10.0;
    }
}

/// Minutes as tenths of an hour, rounded half up: 90 → 15 (1.5 h).
pub fn tenths(minutes: u64) -> u64 {
    (minutes * 10 + 30) / 60
}

/// One row: an activity, a shift and a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutingsRow {
    /// Street, labour, desk, indoor, session.
    pub activity: Activity,
    /// Day or night.
    pub shift: Shift,
    /// "YYYY-MM".
    pub month: String,
    /// The counts.
    #[serde(flatten)]
    pub counts: OutingCounts,
}

/// One province's outings (or, as the synthesis, every province's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutingsTable {
    /// The province; `None` in the synthesis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<Province>,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province_name: Option<String>,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Activity × shift × month, in that order.
    pub rows: Vec<OutingsRow>,
    /// The sum of the rows.
    pub total: OutingCounts,
}

/// The outings report: a table per province and the synthesis over provinces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutingsReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Per province, by sigla.
    pub tables: Vec<OutingsTable>,
    /// Every province together.
    pub synthesis: OutingsTable,
}

type RowKey = (Activity, Shift, String);

fn table_of(province: Option<Province>, scope: &ReportScope, rows: BTreeMap<RowKey, OutingCounts>) -> OutingsTable {
    let total = rows.values().fold(OutingCounts::default(), |t, c| t.plus(c));
    OutingsTable {
        province,
        province_name: province.map(|p| p.name().to_owned()),
        from: scope.period.from,
        to: scope.period.to,
        rows: rows
            .into_iter()
            .map(|((activity, shift, month), counts)| OutingsRow { activity, shift, month, counts })
            .collect(),
        total,
    }
}

/// The outings table of the facts within the scope's period (and province, activity).
pub fn outings_report(facts: &[OutingFact], scope: &ReportScope) -> OutingsReport {
    let mut by: BTreeMap<Province, BTreeMap<RowKey, OutingCounts>> = BTreeMap::new();
    let mut all: BTreeMap<RowKey, OutingCounts> = BTreeMap::new();
    for f in facts.iter().filter(|f| in_scope(f, scope)) {
        let key = (f.activity, f.shift, format!("{:04}-{:02}", f.date.year(), f.date.month()));
        by.entry(f.province).or_default().entry(key.clone()).or_default().add(f);
        all.entry(key).or_default().add(f);
    }
    OutingsReport {
        from: scope.period.from,
        to: scope.period.to,
        tables: by.into_iter().map(|(p, rows)| table_of(Some(p), scope, rows)).collect(),
        synthesis: table_of(None, scope, all),
    }
}

fn in_scope(f: &OutingFact, scope: &ReportScope) -> bool {
    scope.period.contains(f.date)
        && scope.province.is_none_or(|p| p == f.province)
        && scope.activity.is_none_or(|a| a == f.activity)
}

/// The line under a contacts table: "Uscite: N (di cui senza contatti: E), ore H".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutingLine {
    /// Outings.
    pub outings: u64,
    /// Of which without contacts.
    pub empty: u64,
    /// Minutes out, summed over outings whose start and end are known.
    pub minutes: u64,
}

/// The outings of `activity` in `province` within `scope`'s period.
pub fn outing_line(facts: &[OutingFact], scope: &ReportScope, province: Province, activity: Activity) -> OutingLine {
    let mut c = OutingCounts::default();
    facts
        .iter()
        .filter(|f| f.province == province && f.activity == activity && scope.period.contains(f.date))
        .for_each(|f| c.add(f));
    OutingLine { outings: c.outings, empty: c.empty, minutes: c.minutes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Period;
    use crate::domain::outreach::Team;

    fn fact(activity: Activity, day: u32, province: &str, minutes: Option<u32>, ops: u8, contacts: u64) -> OutingFact {
        OutingFact {
            activity,
            date: NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
            shift: Shift::Night,
            province: Province::parse(province).unwrap(),
            minutes,
            team: Some(Team { operators: ops, mediator: ops > 2, mediator_language: None, legal_operator: false }),
            contacts,
        }
    }

    #[test]
    fn outings_are_counted_by_province_activity_shift_and_month() {
        let facts = [
            fact(Activity::Street, 1, "BG", Some(150), 3, 4),
            fact(Activity::Street, 2, "BG", Some(90), 2, 0),
            fact(Activity::Street, 3, "BG", None, 2, 0),
            fact(Activity::Labour, 3, "BS", Some(60), 2, 1),
        ];
        let period = Period::new(facts[0].date, facts[3].date).unwrap();
        let r = outings_report(&facts, &ReportScope::period(period));
        assert_eq!(r.tables.len(), 2);
        let bg = &r.tables[0].rows[0];
        assert_eq!((bg.month.as_str(), bg.counts.outings, bg.counts.empty), ("2026-03", 3, 2));
        assert_eq!((bg.counts.minutes, bg.counts.hours), (240, 4.0));
        assert_eq!((bg.counts.operator_minutes, bg.counts.operator_hours), (150 * 3 + 90 * 2, 10.5));
        assert_eq!(bg.counts.mediator, 1);
        assert_eq!(r.synthesis.total.outings, 4);
        assert_eq!(r.synthesis.total.empty, 2);
        let line = outing_line(&facts, &ReportScope::period(period), facts[0].province, Activity::Street);
        assert_eq!((line.outings, line.empty, line.minutes), (3, 2, 240));
    }

    #[test]
    fn tenths_round_half_up() {
        assert_eq!(tenths(0), 0);
        assert_eq!(tenths(3), 1);
        assert_eq!(tenths(2), 0);
        assert_eq!(tenths(90), 15);
    }
}
