//! Accompaniments, referrals (invii), listening talks, legal consultations and information
//! by nationality, per province, and the synthesis: every event counts, and the persons they
//! were for are counted apart.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Mft, ReportScope, province_table};
use crate::domain::{Activity, Gender, Measure, Nationality, Province, ServiceKind, ServiceSubtype, Tally};

/// Events to one service by gender, with their total (the printed "Tot").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceMft {
    /// By gender.
    #[serde(flatten)]
    pub by_gender: Mft,
    /// M + F + T.
    pub total: u64,
}

impl ServiceMft {
    fn add(&mut self, gender: Gender, n: u64) {
        self.by_gender.add(gender, n);
        self.total += n;
    }

    fn plus(self, o: ServiceMft) -> ServiceMft {
        ServiceMft { by_gender: self.by_gender.plus(o.by_gender), total: self.total + o.total }
    }
}

/// Accompaniments and referrals to one service's sub-type, by gender.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubtypeCounts {
    /// Accompaniments.
    pub accompaniments: Mft,
    /// Referrals.
    pub referrals: Mft,
}

/// Accompaniments, referrals and talks: one row's or one total's counts. Every event
/// counts (one person accompanied three times to health is 3 in health, 1 in persons).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCounts {
    /// Persons accompanied to a service or given a listening talk or a legal consultation.
    pub accompanied_persons: u64,
    /// Persons referred to at least one service.
    pub referred_persons: u64,
    /// Accompaniments per service, by gender.
    pub accompaniments: BTreeMap<ServiceKind, ServiceMft>,
    /// Referrals (invii) per service, by gender.
    pub referrals: BTreeMap<ServiceKind, ServiceMft>,
    /// Listening talks by gender.
    pub listening: Mft,
    /// Consultations with the unit's legal operator, by gender.
    pub legal_consultations: Mft,
    /// Accompaniments, listening talks and legal consultations together (the printed TOT
    /// of the accompaniments table).
    pub accompaniments_total: u64,
    /// Referrals to every service.
    pub referrals_total: u64,
    /// Information given, by gender.
    pub information: Mft,
    /// Accompaniments and referrals whose sub-type was said, by sub-type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub subtypes: BTreeMap<ServiceSubtype, SubtypeCounts>,
}

impl Default for ServiceCounts {
    fn default() -> Self {
        let zero = || ServiceKind::ALL.iter().map(|&s| (s, ServiceMft::default())).collect();
        ServiceCounts {
            accompanied_persons: 0,
            referred_persons: 0,
            accompaniments: zero(),
            referrals: zero(),
            listening: Mft::default(),
            legal_consultations: Mft::default(),
            accompaniments_total: 0,
            referrals_total: 0,
            information: Mft::default(),
            subtypes: BTreeMap::new(),
        }
    }
}

impl ServiceCounts {
    fn add(&mut self, gender: Gender, measure: Measure, n: u64) {
        match measure {
            Measure::AccompaniedPersons => self.accompanied_persons += n,
            Measure::ReferredPersons => self.referred_persons += n,
            Measure::Accompaniment(s) => {
                self.accompaniments.entry(s).or_default().add(gender, n);
                self.accompaniments_total += n;
            }
            Measure::Referral(s) => {
                self.referrals.entry(s).or_default().add(gender, n);
                self.referrals_total += n;
            }
            Measure::Listening => {
                self.listening.add(gender, n);
                self.accompaniments_total += n;
            }
            Measure::LegalConsultations => {
                self.legal_consultations.add(gender, n);
                self.accompaniments_total += n;
            }
            Measure::Information => self.information.add(gender, n),
            Measure::SubAccompaniment(s) => self.subtypes.entry(s).or_default().accompaniments.add(gender, n),
            Measure::SubReferral(s) => self.subtypes.entry(s).or_default().referrals.add(gender, n),
            _ => {}
        }
    }

    fn merge(&mut self, o: &ServiceCounts) {
        self.accompanied_persons += o.accompanied_persons;
        self.referred_persons += o.referred_persons;
        for (mine, theirs) in [(&mut self.accompaniments, &o.accompaniments), (&mut self.referrals, &o.referrals)] {
            for (s, m) in theirs {
                let e = mine.entry(*s).or_default();
                *e = e.plus(*m);
            }
        }
        self.listening = self.listening.plus(o.listening);
        self.legal_consultations = self.legal_consultations.plus(o.legal_consultations);
        self.accompaniments_total += o.accompaniments_total;
        self.referrals_total += o.referrals_total;
        self.information = self.information.plus(o.information);
        for (s, c) in &o.subtypes {
            let e = self.subtypes.entry(*s).or_default();
            e.accompaniments = e.accompaniments.plus(c.accompaniments);
            e.referrals = e.referrals.plus(c.referrals);
        }
    }

    /// What orders rows by total: persons accompanied or referred, then every
    /// accompaniment, talk, consultation, referral and information given.
    fn sort_total(&self) -> (u64, u64) {
        let all = self.accompaniments_total + self.referrals_total + self.information.total();
        (self.accompanied_persons + self.referred_persons, all)
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
