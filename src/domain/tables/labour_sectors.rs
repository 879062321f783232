//! Labour outreach by sector and setting: per province, each sector's persons and
//! contacts by gender, each kind of place's contacts, the contacts during joint
//! inspections, and the totals; the synthesis of all provinces in the same shape.
//!
//! Built from one tally (the phone's records or the server's synced cells):
//! [`Measure::Sector`], [`Measure::Setting`], [`Measure::JointInspection`],
//! [`Measure::Contacts`] and [`Measure::Persons`] under [`Activity::Labour`], and
//! [`Measure::SectorPersons`] under [`Activity::Emersion`].
//!
//! A person met in two sectors counts in both: the total of persons is the distinct
//! persons met in labour outreach ([`Measure::Persons`]), never the sum of the sectors.
//!
//! JSON of one province's table:
//! ```json
//! { "count": "persons", "province": "BS", "province_name": "Brescia",
//!   "from": "2024-01-01", "to": "2024-12-31",
//!   "sectors": [ { "sector": "agriculture", "label": "Agricoltura",
//!                  "persons": {"M":2,"F":0,"T":0}, "contacts": {"M":3,"F":0,"T":0} }, ... ],
//!   "settings": [ { "setting": "farms", "label": "Aziende agricole", "contacts": {"M":3,"F":0,"T":0} }, ... ],
//!   "joint_inspection": {"M":1,"F":0,"T":0},
//!   "total": { "persons": {"M":2,"F":1,"T":0}, "contacts": {"M":4,"F":1,"T":0} } }
//! ```
//! Every sector and setting is listed, in the code list's order. The report is
//! `{ "count", "from", "to", "tables": [..], "synthesis": {..} }`, the synthesis a table
//! without province.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Mft, Report, ReportScope, emersion_cells};
use crate::domain::outreach::{LabourSector, LabourSetting};
use crate::domain::{Activity, Measure, Province, Tally};

/// One sector of a labour-sectors table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorRow {
    /// The sector's code.
    pub sector: LabourSector,
    /// Its name.
    pub label: String,
    /// Distinct persons met in it in the period.
    pub persons: Mft,
    /// Contacts in it.
    pub contacts: Mft,
}

/// One kind of place of a labour-sectors table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingRow {
    /// The setting's code.
    pub setting: LabourSetting,
    /// Its name.
    pub label: String,
    /// Contacts there.
    pub contacts: Mft,
}

/// All persons and contacts of labour outreach (with or without a sector).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorTotal {
    /// Distinct persons met (not the sum of the sectors).
    pub persons: Mft,
    /// Contacts.
    pub contacts: Mft,
}

/// A province's (or, without one, the synthesis') labour-sectors table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourSectorsTable {
    /// Province sigla (none: the synthesis).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub province: Option<Province>,
    /// Province name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub province_name: Option<String>,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Every sector, in the list's order.
    pub sectors: Vec<SectorRow>,
    /// Every kind of place, in the list's order.
    pub settings: Vec<SettingRow>,
    /// Contacts during a joint inspection with the labour inspectorate.
    pub joint_inspection: Mft,
    /// Persons and contacts of labour outreach.
    pub total: SectorTotal,
}

/// The labour-sectors tables per province, and their synthesis.
pub type LabourSectorsReport = Report<LabourSectorsTable, LabourSectorsTable>;

/// Counts of one table being built.
#[derive(Default)]
struct Acc {
    persons: BTreeMap<LabourSector, Mft>,
    contacts: BTreeMap<LabourSector, Mft>,
    settings: BTreeMap<LabourSetting, Mft>,
    joint: Mft,
    total: SectorTotal,
}

impl Acc {
    fn table(&self, province: Option<Province>, scope: &ReportScope) -> LabourSectorsTable {
        let lang = scope.lang;
        LabourSectorsTable {
            province,
            province_name: province.map(|p| p.name().to_owned()),
            from: scope.period.from,
            to: scope.period.to,
            sectors: LabourSector::ALL
                .iter()
                .map(|&s| SectorRow {
                    sector: s,
                    label: s.label(lang).to_owned(),
                    persons: self.persons.get(&s).copied().unwrap_or_default(),
                    contacts: self.contacts.get(&s).copied().unwrap_or_default(),
                })
                .collect(),
            settings: LabourSetting::ALL
                .iter()
                .map(|&s| SettingRow {
                    setting: s,
                    label: s.label(lang).to_owned(),
                    contacts: self.settings.get(&s).copied().unwrap_or_default(),
                })
                .collect(),
            joint_inspection: self.joint,
            total: self.total,
        }
    }

    fn plus(&mut self, t: &LabourSectorsTable) {
        for r in &t.sectors {
            let p = self.persons.entry(r.sector).or_default();
            *p = p.plus(r.persons);
            let c = self.contacts.entry(r.sector).or_default();
            *c = c.plus(r.contacts);
        }
        for r in &t.settings {
            let c = self.settings.entry(r.setting).or_default();
            *c = c.plus(r.contacts);
        }
        self.joint = self.joint.plus(t.joint_inspection);
        self.total.persons = self.total.persons.plus(t.total.persons);
        self.total.contacts = self.total.contacts.plus(t.total.contacts);
    }
}

/// Builds the labour-sectors tables: provinces with any labour count (or the scope's
/// province), then the synthesis.
pub fn labour_sectors_report(tally: &Tally, scope: &ReportScope) -> LabourSectorsReport {
    let mut by_province: BTreeMap<Province, Acc> = BTreeMap::new();
    let labour = ReportScope { activity: None, ..*scope };
    for (province, cells) in labour.by_province(tally, Some(Activity::Labour)) {
        let acc = by_province.entry(province).or_default();
        for (_, c, n) in cells {
            match c.measure {
                Measure::Sector(s) => acc.contacts.entry(s).or_default().add(c.gender, n),
                Measure::Setting(s) => acc.settings.entry(s).or_default().add(c.gender, n),
                Measure::JointInspection => acc.joint.add(c.gender, n),
                Measure::Contacts => acc.total.contacts.add(c.gender, n),
                Measure::Persons => acc.total.persons.add(c.gender, n),
                _ => {}
            }
        }
    }
    for (province, cells) in emersion_cells(tally, scope, |m| matches!(m, Measure::SectorPersons(_))) {
        let acc = by_province.entry(province).or_default();
        for (_, c, n) in cells {
            if let Measure::SectorPersons(s) = c.measure {
                acc.persons.entry(s).or_default().add(c.gender, n);
            }
        }
    }
    let tables: Vec<LabourSectorsTable> = by_province.iter().map(|(&p, acc)| acc.table(Some(p), scope)).collect();
    let mut all = Acc::default();
    tables.iter().for_each(|t| all.plus(t));
    let synthesis = all.table(None, scope);
    // The table counts both: the scope's count only says which columns the grids show.
    LabourSectorsReport::new(scope, tables, synthesis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Bucket, CellKey, Gender, Nationality, Period, Shift, parse_date};

    fn add(t: &mut Tally, activity: Activity, prov: &str, gender: Gender, measure: Measure, n: u64) {
        let bucket = Bucket { activity, province: Province::parse(prov).unwrap(), shift: Shift::Day };
        t.add(bucket, CellKey { nationality: Nationality::parse("PK").unwrap(), gender, measure }, n);
    }

    #[test]
    fn sectors_settings_joint_and_totals_per_province_and_synthesis() {
        let mut t = Tally::new();
        let agri = LabourSector::Agriculture;
        add(&mut t, Activity::Labour, "BS", Gender::M, Measure::Sector(agri), 3);
        add(&mut t, Activity::Labour, "BS", Gender::M, Measure::Sector(LabourSector::Riders), 1);
        add(&mut t, Activity::Labour, "BS", Gender::M, Measure::Setting(LabourSetting::Farms), 3);
        add(&mut t, Activity::Labour, "BS", Gender::M, Measure::JointInspection, 2);
        add(&mut t, Activity::Labour, "BS", Gender::M, Measure::Contacts, 5);
        add(&mut t, Activity::Labour, "BS", Gender::M, Measure::Persons, 2);
        // One person in two sectors: in both, but one person in the total.
        add(&mut t, Activity::Emersion, "BS", Gender::M, Measure::SectorPersons(agri), 2);
        add(&mut t, Activity::Emersion, "BS", Gender::M, Measure::SectorPersons(LabourSector::Riders), 1);
        add(&mut t, Activity::Labour, "MI", Gender::F, Measure::Sector(LabourSector::DomesticCare), 1);
        add(&mut t, Activity::Street, "MI", Gender::F, Measure::Contacts, 9);
        let scope = ReportScope::period(
            Period::new(parse_date("2024-01-01").unwrap(), parse_date("2024-12-31").unwrap()).unwrap(),
        );
        let r = labour_sectors_report(&t, &scope);
        assert_eq!(r.tables.len(), 2);
        let bs = &r.tables[0];
        assert_eq!(bs.sectors.len(), LabourSector::ALL.len(), "every sector listed");
        assert_eq!(bs.sectors[0].contacts.m, 3);
        assert_eq!(bs.sectors[0].persons.m, 2);
        let riders = bs.sectors.iter().find(|s| s.sector == LabourSector::Riders).unwrap();
        assert_eq!((riders.persons.m, riders.contacts.m), (1, 1));
        assert_eq!(bs.total.persons.m, 2, "distinct persons, not 2 + 1");
        assert_eq!(bs.total.contacts.m, 5);
        assert_eq!(bs.settings[0].contacts.m, 3);
        assert_eq!(bs.joint_inspection.m, 2);
        let mi = &r.tables[1];
        assert_eq!(mi.total.contacts.f, 0, "street contacts are not labour");
        assert_eq!(r.synthesis.province, None);
        let care = r.synthesis.sectors.iter().find(|s| s.sector == LabourSector::DomesticCare).unwrap();
        assert_eq!(care.contacts.f, 1);
        assert_eq!(r.synthesis.sectors[0].contacts.m, 3);
    }
}
