//! The report tables the programmes print, built from a [`Tally`] by pure functions:
//! street contacts (day/night × M/F/T), labour outreach contacts, referrals and
//! accompaniments, items handed out; one table per province plus a synthesis.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::nationality::UnknownWording;
use super::tally::{Bucket, CellKey, Measure, Tally};
use super::{Activity, Gender, ItemKind, Lang, Language, Nationality, Period, Province, ServiceKind, Shift};

/// Counts by gender, serialised as `{"M": .., "F": .., "T": ..}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mft {
    /// Men.
    #[serde(rename = "M")]
    pub m: u64,
    /// Women.
    #[serde(rename = "F")]
    pub f: u64,
    /// Trans people.
    #[serde(rename = "T")]
    pub t: u64,
}

impl Mft {
    /// Adds `n` to `gender`'s column.
    pub fn add(&mut self, gender: Gender, n: u64) {
        match gender {
            Gender::M => self.m += n,
            Gender::F => self.f += n,
            Gender::T => self.t += n,
        }
    }

    /// The count of `gender`.
    pub fn get(&self, gender: Gender) -> u64 {
        match gender {
            Gender::M => self.m,
            Gender::F => self.f,
            Gender::T => self.t,
        }
    }

    /// M + F + T.
    pub fn total(&self) -> u64 {
        self.m + self.f + self.t
    }

    /// Column-wise sum.
    pub fn plus(self, other: Mft) -> Mft {
        Mft { m: self.m + other.m, f: self.f + other.f, t: self.t + other.t }
    }
}

/// A value for each shift.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByShift<T> {
    /// Day outings.
    pub day: T,
    /// Night outings.
    pub night: T,
}

impl<T> ByShift<T> {
    /// The value of `shift`.
    pub fn get_mut(&mut self, shift: Shift) -> &mut T {
        match shift {
            Shift::Day => &mut self.day,
            Shift::Night => &mut self.night,
        }
    }
}

/// The "di cui" counts every contacts table states besides its cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfWhich {
    /// Contacts with minors.
    pub minors: u64,
    /// First contacts.
    pub first_contacts: u64,
    /// Contacts with people already known.
    pub known_contacts: u64,
    /// Asylum seekers or holders of international protection.
    pub protection: u64,
}

impl OfWhich {
    fn add(&mut self, measure: Measure, n: u64) {
        match measure {
            Measure::Minors => self.minors += n,
            Measure::FirstContacts => self.first_contacts += n,
            Measure::KnownContacts => self.known_contacts += n,
            Measure::Protection => self.protection += n,
            _ => {}
        }
    }

    fn plus(self, o: OfWhich) -> OfWhich {
        OfWhich {
            minors: self.minors + o.minors,
            first_contacts: self.first_contacts + o.first_contacts,
            known_contacts: self.known_contacts + o.known_contacts,
            protection: self.protection + o.protection,
        }
    }
}

/// What a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportScope {
    /// The dates (the tally must already be limited to them).
    pub period: Period,
    /// Only this province, when given.
    pub province: Option<Province>,
    /// Only this activity (services and items reports), when given.
    pub activity: Option<Activity>,
    /// The language of labels.
    pub lang: Lang,
}

impl ReportScope {
    /// All provinces and activities of a period, Italian labels.
    pub fn period(period: Period) -> Self {
        ReportScope { period, province: None, activity: None, lang: Lang::It }
    }

    fn keeps(&self, b: &Bucket) -> bool {
        self.province.is_none_or(|p| p == b.province) && self.activity.is_none_or(|a| a == b.activity)
    }

    /// Cells grouped by province, restricted to the scope and to `activity` when given.
    pub(crate) fn by_province(
        &self,
        tally: &Tally,
        activity: Option<Activity>,
    ) -> BTreeMap<Province, Vec<(Bucket, CellKey, u64)>> {
        let mut out: BTreeMap<Province, Vec<_>> = BTreeMap::new();
        if let Some(p) = self.province {
            out.insert(p, Vec::new());
        }
        for (b, c, n) in tally.iter() {
            if self.keeps(&b) && activity.is_none_or(|a| a == b.activity) {
                out.entry(b.province).or_default().push((b, c, n));
            }
        }
        out
    }

    fn label(&self, n: Nationality) -> String {
        n.label_as(self.lang, UnknownWording::NotRecorded).to_owned()
    }
}

// ---------------------------------------------------------------- street

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
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Nationalities in report order.
    pub rows: Vec<StreetRow>,
    /// Column totals.
    pub total: ByShift<Mft>,
    /// Contacts per shift.
    pub shift_totals: ByShift<u64>,
    /// All contacts.
    pub grand_total: u64,
    /// Minors, first contacts, known, protection.
    pub of_which: OfWhich,
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

/// A report: one table per province and their synthesis over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report<T, S> {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// One table per province.
    pub tables: Vec<T>,
    /// Provinces as rows.
    pub synthesis: S,
}

/// Street tables per province and their synthesis.
pub type StreetReport = Report<StreetTable, StreetSynthesis>;

/// Builds the street tables.
pub fn street_report(tally: &Tally, scope: &ReportScope) -> StreetReport {
    let mut tables = Vec::new();
    for (province, cells) in scope.by_province(tally, Some(Activity::Street)) {
        let mut rows: BTreeMap<Nationality, ByShift<Mft>> = BTreeMap::new();
        let mut of_which = OfWhich::default();
        for (b, c, n) in cells {
            if c.measure == Measure::Contacts {
                rows.entry(c.nationality).or_default().get_mut(b.shift).add(c.gender, n);
            }
            of_which.add(c.measure, n);
        }
        let mut total = ByShift::<Mft>::default();
        let rows: Vec<StreetRow> = rows
            .into_iter()
            .map(|(nat, v)| {
                total.day = total.day.plus(v.day);
                total.night = total.night.plus(v.night);
                StreetRow { nationality: nat, label: scope.label(nat), day: v.day, night: v.night }
            })
            .collect();
        let shift_totals = ByShift { day: total.day.total(), night: total.night.total() };
        tables.push(StreetTable {
            province,
            province_name: province.name().to_owned(),
            from: scope.period.from,
            to: scope.period.to,
            rows,
            total,
            shift_totals,
            grand_total: shift_totals.day + shift_totals.night,
            of_which,
        });
    }
    let rows: Vec<_> = tables
        .iter()
        .map(|t| StreetSynthesisRow {
            province: t.province,
            province_name: t.province_name.clone(),
            day: t.shift_totals.day,
            night: t.shift_totals.night,
            total: t.grand_total,
        })
        .collect();
    let total = ByShift { day: rows.iter().map(|r| r.day).sum(), night: rows.iter().map(|r| r.night).sum() };
    let synthesis = StreetSynthesis {
        grand_total: total.day + total.night,
        total,
        of_which: tables.iter().fold(OfWhich::default(), |a, t| a.plus(t.of_which)),
        rows,
    };
    StreetReport { from: scope.period.from, to: scope.period.to, tables, synthesis }
}

// ---------------------------------------------------------------- labour

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
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Nationalities in report order.
    pub rows: Vec<LabourRow>,
    /// Column totals.
    pub total: LabourTotal,
    /// All contacts.
    pub grand_total: u64,
    /// Minors, first contacts, known, protection.
    pub of_which: OfWhich,
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
    let mut tables = Vec::new();
    for (province, cells) in scope.by_province(tally, Some(Activity::Labour)) {
        let mut rows: BTreeMap<Nationality, Mft> = BTreeMap::new();
        let mut of_which = OfWhich::default();
        for (_, c, n) in cells {
            if c.measure == Measure::Contacts {
                rows.entry(c.nationality).or_default().add(c.gender, n);
            }
            of_which.add(c.measure, n);
        }
        let total = LabourTotal { contacts: rows.values().fold(Mft::default(), |a, m| a.plus(*m)) };
        tables.push(LabourTable {
            province,
            province_name: province.name().to_owned(),
            from: scope.period.from,
            to: scope.period.to,
            rows: rows
                .into_iter()
                .map(|(nat, contacts)| LabourRow { nationality: nat, label: scope.label(nat), contacts })
                .collect(),
            grand_total: total.contacts.total(),
            total,
            of_which,
        });
    }
    let rows: Vec<_> = tables
        .iter()
        .map(|t| LabourSynthesisRow {
            province: t.province,
            province_name: t.province_name.clone(),
            contacts: t.total.contacts,
            total: t.grand_total,
        })
        .collect();
    let total = LabourTotal { contacts: rows.iter().fold(Mft::default(), |a, r| a.plus(r.contacts)) };
    let synthesis = LabourSynthesis {
        grand_total: total.contacts.total(),
        total,
        of_which: tables.iter().fold(OfWhich::default(), |a, t| a.plus(t.of_which)),
        rows,
    };
    LabourReport { from: scope.period.from, to: scope.period.to, tables, synthesis }
}

// ---------------------------------------------------------------- services

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
    /// Nationalities in report order.
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
        let rows: Vec<_> = rows
            .into_iter()
            .filter(|(_, counts)| !counts.is_zero())
            .map(|(nat, counts)| {
                total.merge(&counts);
                ServicesRow { nationality: nat, label: scope.label(nat), counts }
            })
            .collect();
        tables.push(ServicesTable {
            province,
            province_name: province.name().to_owned(),
            from: scope.period.from,
            to: scope.period.to,
            rows,
            total,
        });
    }
    let mut total = ServiceCounts::default();
    let rows = tables
        .iter()
        .map(|t| {
            total.merge(&t.total);
            ServicesSynthesisRow {
                province: t.province,
                province_name: t.province_name.clone(),
                counts: t.total.clone(),
            }
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

// ---------------------------------------------------------------- items

/// One item of an items table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRow {
    /// The item.
    pub item: ItemKind,
    /// Its name.
    pub label: String,
    /// Quantity on day outings.
    pub day: u64,
    /// Quantity on night outings.
    pub night: u64,
    /// Both.
    pub total: u64,
}

/// Leaflets in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeafletRow {
    /// The language.
    pub language: Language,
    /// Its name.
    pub label: String,
    /// Quantity on day outings.
    pub day: u64,
    /// Quantity on night outings.
    pub night: u64,
    /// Both.
    pub total: u64,
}

/// Items handed out in one province, or in all (`province` null).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemsTable {
    /// Province sigla, or null for all provinces.
    pub province: Option<Province>,
    /// Province name, or null.
    pub province_name: Option<String>,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Every item, in kit order.
    pub rows: Vec<ItemRow>,
    /// Leaflets by language (languages with leaflets handed out).
    pub leaflets: Vec<LeafletRow>,
}

/// Items tables per province and the total over all provinces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemsReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Street, labour, or both when absent.
    pub activity: Option<Activity>,
    /// One table per province.
    pub tables: Vec<ItemsTable>,
    /// All provinces together.
    pub total: ItemsTable,
}

fn items_table(province: Option<Province>, cells: &[(Bucket, CellKey, u64)], scope: &ReportScope) -> ItemsTable {
    let mut items: BTreeMap<ItemKind, ByShift<u64>> = ItemKind::ALL.iter().map(|&k| (k, ByShift::default())).collect();
    let mut leaflets: BTreeMap<Language, ByShift<u64>> = BTreeMap::new();
    for (b, c, n) in cells {
        match c.measure {
            Measure::Item(k) => *items.entry(k).or_default().get_mut(b.shift) += n,
            Measure::Leaflets(l) => *leaflets.entry(l).or_default().get_mut(b.shift) += n,
            _ => {}
        }
    }
    ItemsTable {
        province,
        province_name: province.map(|p| p.name().to_owned()),
        from: scope.period.from,
        to: scope.period.to,
        rows: items
            .into_iter()
            .map(|(item, v)| ItemRow {
                item,
                label: item.label(scope.lang).to_owned(),
                day: v.day,
                night: v.night,
                total: v.day + v.night,
            })
            .collect(),
        leaflets: leaflets
            .into_iter()
            .map(|(language, v)| LeafletRow {
                language,
                label: language.label(scope.lang).to_owned(),
                day: v.day,
                night: v.night,
                total: v.day + v.night,
            })
            .collect(),
    }
}

/// Builds the items tables.
pub fn items_report(tally: &Tally, scope: &ReportScope) -> ItemsReport {
    let groups = scope.by_province(tally, None);
    let tables = groups.iter().map(|(p, cells)| items_table(Some(*p), cells, scope)).collect();
    let all: Vec<_> = groups.into_values().flatten().collect();
    ItemsReport {
        from: scope.period.from,
        to: scope.period.to,
        activity: scope.activity,
        tables,
        total: items_table(None, &all, scope),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContactData, ContactRecord, Place, ServiceSet, Services, parse_date};

    fn rec(activity: Activity, shift: Shift, prov: &str, g: Gender, nat: &str) -> ContactRecord {
        ContactRecord {
            activity,
            date: parse_date("2023-05-01").unwrap(),
            shift,
            place: Place::province(Province::parse(prov).unwrap()),
            data: ContactData::new(g, Nationality::parse(nat).unwrap()),
        }
    }

    fn scope() -> ReportScope {
        ReportScope::period(Period::new(parse_date("2023-01-01").unwrap(), parse_date("2023-12-31").unwrap()).unwrap())
    }

    #[test]
    fn street_tables_split_provinces_shifts_and_genders() {
        let mut records = vec![
            rec(Activity::Street, Shift::Night, "BS", Gender::F, "RO"),
            rec(Activity::Street, Shift::Night, "BS", Gender::F, "RO"),
            rec(Activity::Street, Shift::Day, "BS", Gender::T, "BR"),
            rec(Activity::Street, Shift::Night, "MI", Gender::F, "NG"),
            rec(Activity::Labour, Shift::Day, "MI", Gender::M, "PK"),
            rec(Activity::Street, Shift::Night, "BS", Gender::F, "ZZ"),
        ];
        records[0].data.age_band = Some(crate::domain::AgeBand::Minor);
        let r = street_report(&Tally::of_records(&records), &scope());
        assert_eq!(r.tables.len(), 2);
        let bs = &r.tables[0];
        assert_eq!(bs.province.code(), "BS");
        let codes: Vec<_> = bs.rows.iter().map(|r| r.nationality.code()).collect();
        assert_eq!(codes, ["BR", "RO", "ZZ"]);
        assert_eq!(bs.rows[1].night.f, 2);
        assert_eq!(bs.rows[2].label, "Non rilevato");
        assert_eq!(bs.total.day.t, 1);
        assert_eq!(bs.shift_totals, ByShift { day: 1, night: 3 });
        assert_eq!(bs.grand_total, 4);
        assert_eq!(bs.of_which.minors, 1);
        assert_eq!(r.synthesis.grand_total, 5);
        assert_eq!(r.synthesis.rows[1].night, 1);

        let only_mi = ReportScope { province: Some(Province::parse("MI").unwrap()), ..scope() };
        let l = labour_report(&Tally::of_records(&records), &only_mi);
        assert_eq!(l.tables.len(), 1);
        assert_eq!(l.tables[0].total.contacts.m, 1);
        assert_eq!(l.synthesis.grand_total, 1);
    }

    #[test]
    fn a_requested_province_without_contacts_is_an_empty_table() {
        let only_to = ReportScope { province: Some(Province::parse("TO").unwrap()), ..scope() };
        let r = street_report(&Tally::new(), &only_to);
        assert_eq!(r.tables.len(), 1);
        assert_eq!(r.tables[0].grand_total, 0);
        assert!(r.tables[0].rows.is_empty());
    }

    #[test]
    fn services_count_persons_once_and_each_service() {
        let mut a = rec(Activity::Street, Shift::Night, "BS", Gender::F, "NG");
        a.data.services = Services {
            information: true,
            listening: true,
            referrals: ServiceSet::parse_list("health;legal").unwrap(),
            accompaniments: ServiceSet::parse_list("health").unwrap(),
        };
        let b = rec(Activity::Labour, Shift::Day, "BS", Gender::M, "NG");
        let r = services_report(&Tally::of_records(&[a, b]), &scope());
        let row = &r.tables[0].rows[0];
        assert_eq!(row.counts.persons, 1);
        assert_eq!(row.counts.referrals[&ServiceKind::Health].f, 1);
        assert_eq!(row.counts.referrals[&ServiceKind::Legal].f, 1);
        assert_eq!(row.counts.accompaniments[&ServiceKind::Health].f, 1);
        assert_eq!(row.counts.listening.f, 1);
        assert_eq!(r.tables[0].rows.len(), 1, "a person given nothing is not a row");
        let json = serde_json::to_value(row).unwrap();
        assert_eq!(json["referrals"]["health"]["F"], 1);
        assert_eq!(json["persons"], 1);
    }
}
