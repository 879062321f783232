//! Referrals, accompaniments, listening talks and information by nationality, per province, and the synthesis.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Mft, ReportScope, province_table};
use crate::domain::{Activity, Gender, Measure, Nationality, Province, ServiceKind, Tally};

/// Referrals, accompaniments and talks: one row's or one total's counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCounts {
    /// Persons referred or accompanied to at least one service.
    pub persons: u64,
    /// Referrals (invii) per service, by gender.
    pub referrals: BTreeMap<ServiceKind, Mft>,
    /// Accompaniments per service, by gender.
    pub accompaniments: BTreeMap<ServiceKind, Mft>,
    /// Listening talks by gender.
    pub listening: Mft,
    /// Information given, by gender.
    pub information: Mft,
}

impl Default for ServiceCounts {
    fn default() -> Self {
        let zero = || ServiceKind::ALL.iter().map(|&s| (s, Mft::default())).collect();
        ServiceCounts {
            persons: 0,
            referrals: zero(),
            accompaniments: zero(),
            listening: Mft::default(),
            information: Mft::default(),
        }
    }
}

impl ServiceCounts {
    fn add(&mut self, gender: Gender, measure: Measure, n: u64) {
        match measure {
            Measure::ReferredPersons => self.persons += n,
            Measure::Referral(s) => self.referrals.entry(s).or_default().add(gender, n),
            Measure::Accompaniment(s) => self.accompaniments.entry(s).or_default().add(gender, n),
            Measure::Listening => self.listening.add(gender, n),
            Measure::Information => self.information.add(gender, n),
            _ => {}
        }
    }

    fn merge(&mut self, o: &ServiceCounts) {
        self.persons += o.persons;
        for (s, m) in &o.referrals {
            let e = self.referrals.entry(*s).or_default();
            *e = e.plus(*m);
        }
        for (s, m) in &o.accompaniments {
            let e = self.accompaniments.entry(*s).or_default();
            *e = e.plus(*m);
        }
        self.listening = self.listening.plus(o.listening);
        self.information = self.information.plus(o.information);
    }

    /// What orders rows by total: persons referred or accompanied, then every referral,
    /// accompaniment, talk and information given.
    fn sort_total(&self) -> (u64, u64) {
        let sum = |m: &BTreeMap<ServiceKind, Mft>| m.values().map(Mft::total).sum::<u64>();
        let all = sum(&self.referrals) + sum(&self.accompaniments) + self.listening.total() + self.information.total();
        (self.persons, all)
    }

    fn is_zero(&self) -> bool {
        self == &ServiceCounts::default()
    }
}

/// One nationality of a services table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicesRow {
    /// Nationality code.
    pub nationality: Nationality,
    /// Its name.
    pub label: String,
    /// Its counts.
    #[serde(flatten)]
    pub counts: ServiceCounts,
}

/// Referrals, accompaniments and listening talks of one province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicesTable {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Nationalities in the scope's order (by name or largest total first), the unknown last.
    pub rows: Vec<ServicesRow>,
    /// Column totals.
    pub total: ServiceCounts,
}

/// One province of the services synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicesSynthesisRow {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// Its counts.
    #[serde(flatten)]
    pub counts: ServiceCounts,
}

/// Provinces as rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicesSynthesis {
    /// One row per province.
    pub rows: Vec<ServicesSynthesisRow>,
    /// Column totals.
    pub total: ServiceCounts,
}

/// Services tables per province and their synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicesReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Street, labour, or both when absent.
    pub activity: Option<Activity>,
    /// One table per province.
    pub tables: Vec<ServicesTable>,
    /// Provinces as rows.
    pub synthesis: ServicesSynthesis,
}

/// Builds the referrals/accompaniments/listening tables.
pub fn services_report(tally: &Tally, scope: &ReportScope) -> ServicesReport {
    let mut tables = Vec::new();
    for (province, cells) in scope.by_province(tally, None) {
        let mut rows: BTreeMap<Nationality, ServiceCounts> = BTreeMap::new();
        for (_, c, n) in cells {
            rows.entry(c.nationality).or_default().add(c.gender, c.measure, n);
        }
        let mut total = ServiceCounts::default();
        let mut rows: Vec<_> = rows
            .into_iter()
            .filter(|(_, counts)| !counts.is_zero())
            .map(|(nat, counts)| {
                total.merge(&counts);
                ServicesRow { nationality: nat, label: scope.label(nat), counts }
            })
            .collect();
        scope.sort_rows(&mut rows, |r| r.nationality.is_unknown(), |r| r.counts.sort_total());
        tables.push(province_table!(ServicesTable { province, scope; rows, total }));
    }
    let mut total = ServiceCounts::default();
    let rows = tables
        .iter()
        .map(|t| {
            total.merge(&t.total);
            province_table!(ServicesSynthesisRow { t.province; counts: t.total.clone() })
        })
        .collect();
    ServicesReport {
        from: scope.period.from,
        to: scope.period.to,
        activity: scope.activity,
        tables,
        synthesis: ServicesSynthesis { rows, total },
    }
}
