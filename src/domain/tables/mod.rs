//! The report tables the programmes print, built from a [`Tally`] by pure functions, one
//! module per family: street contacts (day/night × M/F/T), labour outreach contacts,
//! referrals and accompaniments, items handed out, indoor and massage centres; one table per
//! province plus a synthesis. This module holds what they share.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::nationality::UnknownWording;
use super::tally::{Bucket, CellKey, Measure, Tally};
use super::{Activity, Count, Gender, Lang, Nationality, Period, Province, RowOrder, Shift};

pub mod age;
pub mod campaigns;
pub mod desk;
pub mod emersion_total;
pub mod helpline;
pub mod identification;
pub mod indoor;
pub mod items;
pub mod labour;
pub mod labour_sectors;
pub mod mapping;
pub mod outcomes;
pub mod outings;
pub mod presences;
mod selection;
pub mod services;
pub mod sessions;
pub mod street;

pub use age::{AdsAge, AgeBands, Average, ads_age, age_bands};
pub use desk::{DeskReport, desk_report};
pub use emersion_total::{
    EmersionTotalReport, EmersionTotalSynthesis, EmersionTotalTable, TotalCounts, TotalRow, add_sessions,
    emersion_total_report,
};
pub use helpline::{
    HelplineCounts, HelplineReport, HelplineRow, HelplineSynthesis, HelplineSynthesisRow, HelplineTable,
    helpline_report,
};
pub use identification::{
    BreakCounts, BreakRow, Breakdown, BreakdownReport, BreakdownTable, Breakdowns, IdCounts, IdProvinceTable, IdRow,
    IdTable, IdentificationReport, ReferralCounts, ReferralReport, ReferralSynthesis, ReferralSynthesisRow,
    ReferralTable, breakdown_report, identification_report, referral_report,
};
pub use outcomes::{
    OutcomeCounts, OutcomeRow, OutcomeSynthesis, OutcomeSynthesisRow, OutcomeTable, OutcomesReport, outcomes_report,
};

pub use campaigns::{CampaignsReport, campaigns_report};
pub use indoor::{
    Funnel, IndoorReport, IndoorRow, IndoorSynthesis, IndoorSynthesisRow, IndoorTable, MassageReport, MassageRow,
    MassageSynthesis, MassageSynthesisRow, MassageTable, indoor_report, massage_report,
};
pub use items::{ItemRow, ItemsReport, ItemsTable, LeafletRow, items_report};
pub use labour::{
    LabourReport, LabourRow, LabourSynthesis, LabourSynthesisRow, LabourTable, LabourTotal, labour_report,
};
pub use labour_sectors::{
    LabourSectorsReport, LabourSectorsTable, SectorRow, SectorTotal, SettingRow, labour_sectors_report,
};
pub use mapping::{
    MappingCounts, MappingReport, MappingRow, MappingSynthesis, MappingSynthesisRow, MappingTable, mapping_report,
};
pub use outings::{OutingCounts, OutingLine, OutingsReport, OutingsRow, OutingsTable, outing_line, outings_report};
pub use presences::{PresencesReport, PresencesRow, PresencesTable, PresencesTotal, presences_report};
pub use selection::Selection;
pub use services::{
    ServiceCounts, ServiceMft, ServicesReport, ServicesRow, ServicesSynthesis, ServicesSynthesisRow, ServicesTable,
    SubtypeCounts, services_report,
};
pub use sessions::{SessionsReport, sessions_report};
pub use street::{StreetReport, StreetRow, StreetSynthesis, StreetSynthesisRow, StreetTable, street_report};

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

/// Counts by gender with their sum, serialised as `{"M": .., "F": .., "T": .., "total": ..}`:
/// a group of a synthesis printed M F T Tot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MftTotal {
    /// M, F and T.
    #[serde(flatten)]
    pub mft: Mft,
    /// M + F + T.
    pub total: u64,
}

impl From<Mft> for MftTotal {
    fn from(mft: Mft) -> Self {
        MftTotal { mft, total: mft.total() }
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
    /// Adds a cell of `measure`, when it is one of `count`'s "di cui" measures.
    fn add(&mut self, count: Count, measure: Measure, n: u64) {
        let field = match (count, measure) {
            (Count::Contacts, Measure::Minors) | (Count::Persons, Measure::MinorPersons) => &mut self.minors,
            (Count::Contacts, Measure::FirstContacts) | (Count::Persons, Measure::NewPersons) => {
                &mut self.first_contacts
            }
            (Count::Contacts, Measure::KnownContacts) | (Count::Persons, Measure::KnownPersons) => {
                &mut self.known_contacts
            }
            (Count::Contacts, Measure::Protection) | (Count::Persons, Measure::ProtectedPersons) => {
                &mut self.protection
            }
            _ => return,
        };
        *field += n;
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

impl Count {
    /// The measure a table's cells read.
    pub fn headcount(self) -> Measure {
        match self {
            Count::Persons => Measure::Persons,
            Count::Contacts => Measure::Contacts,
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
    /// Persons or contacts.
    pub count: Count,
    /// How rows are ordered: by name, or largest total first.
    pub order: RowOrder,
}

impl ReportScope {
    /// All provinces and activities of a period, Italian labels, contacts counted, rows by name.
    pub fn period(period: Period) -> Self {
        ReportScope {
            period,
            province: None,
            activity: None,
            lang: Lang::It,
            count: Count::Contacts,
            order: RowOrder::Name,
        }
    }

    /// Puts `rows`, built in name order, in the scope's order: unchanged by name; by
    /// `total`, largest first, otherwise, ties keeping their name order and the rows `last`
    /// says (the unknown nationality) at the end.
    pub(crate) fn sort_rows<R, K: Ord>(&self, rows: &mut [R], last: impl Fn(&R) -> bool, total: impl Fn(&R) -> K) {
        if self.order == RowOrder::Total {
            rows.sort_by_key(|r| (last(r), std::cmp::Reverse(total(r))));
        }
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

    pub(crate) fn label(&self, n: Nationality) -> String {
        n.label_as(self.lang, UnknownWording::NotRecorded).to_owned()
    }
}

/// The emersion cells ([`Activity::Emersion`]) of the measures `keep` selects, grouped by
/// province and restricted to the scope's province when it names one (that province is
/// always listed, empty or not). The scope's activity does not apply: emersion counts
/// are of any activity.
pub(crate) fn emersion_cells(
    tally: &Tally,
    scope: &ReportScope,
    keep: impl Fn(&Measure) -> bool,
) -> BTreeMap<Province, Vec<(Bucket, CellKey, u64)>> {
    let mut out: BTreeMap<Province, Vec<_>> = BTreeMap::new();
    if let Some(p) = scope.province {
        out.insert(p, Vec::new());
    }
    for (b, c, n) in tally.iter() {
        if b.activity == Activity::Emersion && scope.province.is_none_or(|p| p == b.province) && keep(&c.measure) {
            out.entry(b.province).or_default().push((b, c, n));
        }
    }
    out
}

/// The headcount cells (persons or contacts) of one province folded into one value per nationality by `add`,
/// and the "di cui" counts of all its cells: what street and labour tables are made of.
fn contacts_by_nationality<V: Default>(
    count: Count,
    cells: Vec<(Bucket, CellKey, u64)>,
    add: impl Fn(&mut V, &Bucket, &CellKey, u64),
) -> (BTreeMap<Nationality, V>, OfWhich) {
    let mut rows: BTreeMap<Nationality, V> = BTreeMap::new();
    let mut of_which = OfWhich::default();
    for (b, c, n) in cells {
        if c.measure == count.headcount() {
            add(rows.entry(c.nationality).or_default(), &b, &c, n);
        }
        of_which.add(count, c.measure, n);
    }
    (rows, of_which)
}

/// A table or synthesis row of one province: `$t { province, province_name, .. }` with the
/// name looked up once here; given a scope, a table also gets the scope's `from` and `to`.
/// `province_table!(StreetTable { p, scope; rows, total: t })`.
macro_rules! province_table {
    ($t:ident { $province:expr $(, $scope:expr)?; $($field:ident $(: $value:expr)?),* $(,)? }) => {{
        let province: Province = $province;
        $t {
            province,
            province_name: province.name().to_owned(),
            $(from: $scope.period.from, to: $scope.period.to,)?
            $($field $(: $value)?),*
        }
    }};
}
use province_table;

/// A report: one table per province and their synthesis over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report<T, S> {
    /// Persons met in the period, or contacts.
    pub count: Count,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// One table per province.
    pub tables: Vec<T>,
    /// Provinces as rows.
    pub synthesis: S,
}

impl<T, S> Report<T, S> {
    /// The tables of `scope`'s period and their synthesis.
    fn new(scope: &ReportScope, tables: Vec<T>, synthesis: S) -> Self {
        Report { count: scope.count, from: scope.period.from, to: scope.period.to, tables, synthesis }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        ContactData, ContactRecord, EventKind, Place, ServiceKind, ServiceSet, ServiceSubtype, parse_date,
    };

    fn rec(activity: Activity, shift: Shift, prov: &str, g: Gender, nat: &str) -> ContactRecord {
        ContactRecord {
            activity,
            date: parse_date("2023-05-01").unwrap(),
            shift,
            place: Place::province(Province::parse(prov).unwrap()),
            person: None,
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

    /// Street and labour contacts in BS: RO 4, XA ("Africa") 3, ZZ 5, AL 3, XE 1, NG 1;
    /// one referral for each contact, and condoms and leaflets for some.
    fn mixed_records() -> Vec<ContactRecord> {
        let mut records = Vec::new();
        for (nat, n) in [("RO", 4), ("XA", 3), ("ZZ", 5), ("AL", 3), ("XE", 1), ("NG", 1)] {
            for activity in [Activity::Street, Activity::Labour] {
                for _ in 0..n {
                    let mut r = rec(activity, Shift::Night, "BS", Gender::F, nat);
                    r.data
                        .services
                        .add_each(crate::domain::EventKind::Referral, ServiceSet::parse_list("health").unwrap());
                    r.data.items.set(crate::domain::ItemKey::plain(crate::domain::ItemKind::Condoms), 1);
                    r.data.items.set(crate::domain::ItemKey::plain(crate::domain::ItemKind::Food), 2);
                    records.push(r);
                }
            }
        }
        records
    }

    #[test]
    fn rows_are_by_italian_name_with_groups_among_countries_and_the_unknown_last() {
        let tally = Tally::of_records(&mixed_records());
        let name_order = ["XA", "AL", "XE", "NG", "RO", "ZZ"];
        let street = street_report(&tally, &scope());
        let codes: Vec<_> = street.tables[0].rows.iter().map(|r| r.nationality.code()).collect();
        assert_eq!(codes, name_order);
        let labels: Vec<_> = street.tables[0].rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["Africa", "Albania", "Est Europa", "Nigeria", "Romania", "Non rilevato"]);
        let labour = labour_report(&tally, &scope());
        let codes: Vec<_> = labour.tables[0].rows.iter().map(|r| r.nationality.code()).collect();
        assert_eq!(codes, name_order);
        let services = services_report(&tally, &scope());
        let codes: Vec<_> = services.tables[0].rows.iter().map(|r| r.nationality.code()).collect();
        assert_eq!(codes, name_order);
    }

    #[test]
    fn order_by_total_puts_the_largest_first_ties_by_name_and_the_unknown_last() {
        assert_eq!("total".parse::<RowOrder>().unwrap(), RowOrder::Total);
        assert_eq!(RowOrder::default(), RowOrder::Name);
        assert!("size".parse::<RowOrder>().unwrap_err().to_string().contains("name, total"));
        let tally = Tally::of_records(&mixed_records());
        let by_total = ReportScope { order: RowOrder::Total, ..scope() };
        // Romania 4, Africa 3 and Albania 3, Est Europa 1 and Nigeria 1, then ZZ's 5 last.
        let expected = ["RO", "XA", "AL", "XE", "NG", "ZZ"];
        let street = street_report(&tally, &by_total);
        let codes: Vec<_> = street.tables[0].rows.iter().map(|r| r.nationality.code()).collect();
        assert_eq!(codes, expected);
        let grand_total = street.tables[0].grand_total;
        assert_eq!(grand_total, street_report(&tally, &scope()).tables[0].grand_total, "only the order changes");
        let labour = labour_report(&tally, &by_total);
        let codes: Vec<_> = labour.tables[0].rows.iter().map(|r| r.nationality.code()).collect();
        assert_eq!(codes, expected);
        let services = services_report(&tally, &by_total);
        let codes: Vec<_> = services.tables[0].rows.iter().map(|r| r.nationality.code()).collect();
        assert_eq!(codes, expected);
        let items = items_report(&tally, &by_total);
        let kinds: Vec<_> = items.total.rows.iter().map(|r| r.item.code()).take(3).collect();
        assert_eq!(kinds, ["food", "condoms", "female_condoms"], "largest first, then kit order");
        let kinds: Vec<_> = items_report(&tally, &scope()).total.rows.iter().map(|r| r.item.code()).take(2).collect();
        assert_eq!(kinds, ["condoms", "female_condoms"], "kit order by name");
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
    fn services_count_events_and_persons_once() {
        let mut a = rec(Activity::Street, Shift::Night, "BS", Gender::F, "NG");
        a.data.services.information = true;
        a.data.services.add_each(EventKind::Referral, ServiceSet::parse_list("health;legal").unwrap());
        a.data.services.set_count(EventKind::Accompaniment, Some(ServiceKind::Health), 3);
        a.data.services.toggle_subtype(EventKind::Accompaniment, ServiceSubtype::StiTest);
        a.data.services.set_count(EventKind::Listening, None, 2);
        a.data.services.set_count(EventKind::LegalConsultation, None, 1);
        let b = rec(Activity::Labour, Shift::Day, "BS", Gender::M, "NG");
        let r = services_report(&Tally::of_records(&[a, b]), &scope());
        let row = &r.tables[0].rows[0];
        assert_eq!((row.counts.accompanied_persons, row.counts.referred_persons), (1, 1));
        assert_eq!(row.counts.referrals[&ServiceKind::Health].by_gender.f, 1);
        assert_eq!(row.counts.referrals[&ServiceKind::Legal].total, 1);
        assert_eq!(row.counts.accompaniments[&ServiceKind::Health].by_gender.f, 3);
        assert_eq!(row.counts.accompaniments[&ServiceKind::Health].total, 3);
        assert_eq!(row.counts.listening.f, 2);
        assert_eq!(row.counts.legal_consultations.f, 1);
        assert_eq!(row.counts.accompaniments_total, 6);
        assert_eq!(row.counts.referrals_total, 2);
        assert_eq!(row.counts.subtypes[&ServiceSubtype::StiTest].accompaniments.f, 1);
        assert_eq!(r.tables[0].rows.len(), 1, "a person given nothing is not a row");
        let json = serde_json::to_value(row).unwrap();
        assert_eq!(json["referrals"]["health"]["F"], 1);
        assert_eq!(json["accompaniments"]["health"]["total"], 3);
        assert_eq!(json["accompanied_persons"], 1);
        assert_eq!(json["subtypes"]["sti_test"]["accompaniments"]["F"], 1);
        assert_eq!(r.synthesis.total, r.tables[0].total);
    }
}
