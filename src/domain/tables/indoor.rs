//! Indoor tables (ads mapped, calls, contacts made, persons met by nationality and gender,
//! and messages apart) and massage-centre tables (persons contacted), per province, with
//! their syntheses (provinces as rows, M F T Tot per group), built from a tally like every
//! other table.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AdsAge, Mft, MftTotal, Report, ReportScope, ads_age, province_table};
use crate::domain::{Activity, CellKey, Measure, Nationality, Province, Tally, UnknownWording};

/// The funnel counts of one row or total, each group by gender (`C` is [`Mft`] in the
/// province tables, [`MftTotal`] in the synthesis).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funnel<C = Mft> {
    /// ANNUNCI MAPPATI.
    pub ads: C,
    /// CHIAMATE TOTALI: calls only (messages are apart).
    pub calls: C,
    /// CONTATTI SVOLTI: persons reached by a call. In a report made on the phone, distinct
    /// numbers reached in the period (an attempt without a number is a person of its own);
    /// from synced summaries, the sessions' counts summed (see `docs/data-model.md`).
    pub contacts: C,
    /// PERSONE INCONTRATE.
    pub met: C,
    /// Messages sent (SMS, WhatsApp, Telegram, WeChat, other): neither calls nor contacts.
    pub messages: C,
}

/// The JSON keys of a funnel's groups, in printed order.
pub const FUNNEL_KEYS: [&str; 5] = ["ads", "calls", "contacts", "met", "messages"];

impl<C> Funnel<C> {
    /// The groups in printed order (the order of [`FUNNEL_KEYS`]).
    pub fn groups(&self) -> [&C; 5] {
        [&self.ads, &self.calls, &self.contacts, &self.met, &self.messages]
    }

    /// Each group made into another value.
    pub fn map<D>(self, f: impl Fn(C) -> D) -> Funnel<D> {
        Funnel {
            ads: f(self.ads),
            calls: f(self.calls),
            contacts: f(self.contacts),
            met: f(self.met),
            messages: f(self.messages),
        }
    }
}

impl Funnel {
    fn add(&mut self, c: &CellKey, n: u64) -> bool {
        let col = match c.measure {
            Measure::Ads => &mut self.ads,
            Measure::Calls => &mut self.calls,
            Measure::Reached => &mut self.contacts,
            Measure::Meetings => &mut self.met,
            Measure::Messages => &mut self.messages,
            _ => return false,
        };
        col.add(c.gender, n);
        true
    }

    /// What orders rows by total: ads, then calls, contacts, persons met.
    fn sort_total(&self) -> [u64; 4] {
        [self.ads.total(), self.calls.total(), self.contacts.total(), self.met.total()]
    }

    fn plus(self, o: Funnel) -> Funnel {
        Funnel {
            ads: self.ads.plus(o.ads),
            calls: self.calls.plus(o.calls),
            contacts: self.contacts.plus(o.contacts),
            met: self.met.plus(o.met),
            messages: self.messages.plus(o.messages),
        }
    }
}

/// One nationality of an indoor table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndoorRow {
    /// Nationality code.
    pub nationality: Nationality,
    /// Its name ("Non dichiarata (n. d.)" for ZZ).
    pub label: String,
    /// The column groups.
    #[serde(flatten)]
    pub counts: Funnel,
}

/// The indoor table of one province, as the programmes print it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndoorTable {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Nationalities in the scope's order (by name or largest total first), the unknown last.
    pub rows: Vec<IndoorRow>,
    /// Column totals.
    pub total: Funnel,
    /// Ads by declared age ([`super::age`]).
    pub age: AdsAge,
}

/// One province of the indoor synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndoorSynthesisRow {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// Its totals, each group with its sum.
    #[serde(flatten)]
    pub counts: Funnel<MftTotal>,
}

/// Provinces as rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndoorSynthesis {
    /// One row per province.
    pub rows: Vec<IndoorSynthesisRow>,
    /// Column totals.
    pub total: Funnel<MftTotal>,
}

/// Indoor tables per province and their synthesis.
pub type IndoorReport = Report<IndoorTable, IndoorSynthesis>;

/// The indoor cells of each province in scope, folded by `take` into one value per
/// nationality (in the scope's order, `total` ordering by total), each made a row by `row`
/// with its label as indoor tables word it, and the sum of the values by `plus`.
fn indoor_rows<V: Default + Copy, K: Ord, R>(
    tally: &Tally,
    scope: &ReportScope,
    take: impl Fn(&mut V, &CellKey, u64) -> bool,
    plus: fn(V, V) -> V,
    total: fn(&V) -> K,
    row: fn(Nationality, String, V) -> R,
) -> Vec<(Province, Vec<R>, V)> {
    scope
        .by_province(tally, Some(Activity::Indoor))
        .into_iter()
        .map(|(province, cells)| {
            let mut values: BTreeMap<Nationality, V> = BTreeMap::new();
            for (_, c, n) in cells {
                let mut v = values.get(&c.nationality).copied().unwrap_or_default();
                if take(&mut v, &c, n) {
                    values.insert(c.nationality, v);
                }
            }
            let sum = values.values().fold(V::default(), |a, v| plus(a, *v));
            let mut values: Vec<_> = values.into_iter().collect();
            scope.sort_rows(&mut values, |(nat, _)| nat.is_unknown(), |(_, v)| total(v));
            let rows = values
                .into_iter()
                .map(|(nat, v)| row(nat, nat.label_as(scope.lang, UnknownWording::NotDeclared).to_owned(), v))
                .collect();
            (province, rows, sum)
        })
        .collect()
}

/// Builds the indoor tables: ads, calls, contacts and persons met by nationality.
pub fn indoor_report(tally: &Tally, scope: &ReportScope) -> IndoorReport {
    let row = |nationality, label, counts| IndoorRow { nationality, label, counts };
    let ages: BTreeMap<Province, AdsAge> =
        scope.by_province(tally, Some(Activity::Indoor)).into_iter().map(|(p, cells)| (p, ads_age(&cells))).collect();
    let tables: Vec<_> =
        indoor_rows(tally, scope, |f: &mut Funnel, c, n| f.add(c, n), Funnel::plus, Funnel::sort_total, row)
            .into_iter()
            .map(|(province, rows, total)| {
                let age = ages.get(&province).copied().unwrap_or_default();
                province_table!(IndoorTable { province, scope; rows, total, age })
            })
            .collect();
    let rows: Vec<_> = tables
        .iter()
        .map(|t| province_table!(IndoorSynthesisRow { t.province; counts: t.total.map(MftTotal::from) }))
        .collect();
    let total = tables.iter().fold(Funnel::default(), |a, t| a.plus(t.total)).map(MftTotal::from);
    IndoorReport::new(scope, tables, IndoorSynthesis { rows, total })
}

/// One nationality of a massage-centre table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MassageRow {
    /// Nationality code.
    pub nationality: Nationality,
    /// Its name.
    pub label: String,
    /// Persons contacted.
    pub persons: Mft,
}

/// Persons contacted in massage centres in one province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MassageTable {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Nationalities in the scope's order (by name or largest total first), the unknown last.
    pub rows: Vec<MassageRow>,
    /// Column totals.
    pub total: Mft,
}

/// One province of the massage-centre synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MassageSynthesisRow {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// Persons contacted, with their sum.
    pub persons: MftTotal,
}

/// Massage centres, provinces as rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MassageSynthesis {
    /// One row per province.
    pub rows: Vec<MassageSynthesisRow>,
    /// Column totals.
    pub total: MftTotal,
}

/// Massage-centre tables per province and their synthesis.
pub type MassageReport = Report<MassageTable, MassageSynthesis>;

/// Builds the massage-centre tables.
pub fn massage_report(tally: &Tally, scope: &ReportScope) -> MassageReport {
    let mut tables = Vec::new();
    let take = |m: &mut Mft, c: &CellKey, n| {
        let keep = c.measure == Measure::MassageContacts;
        if keep {
            m.add(c.gender, n);
        }
        keep
    };
    let row = |nationality, label, persons| MassageRow { nationality, label, persons };
    for (province, rows, total) in indoor_rows(tally, scope, take, Mft::plus, Mft::total, row) {
        if rows.is_empty() && scope.province.is_none() {
            continue;
        }
        tables.push(province_table!(MassageTable { province, scope; rows, total }));
    }
    let rows: Vec<_> =
        tables.iter().map(|t| province_table!(MassageSynthesisRow { t.province; persons: t.total.into() })).collect();
    let total = tables.iter().fold(Mft::default(), |a, t| a.plus(t.total)).into();
    MassageReport::new(scope, tables, MassageSynthesis { rows, total })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::indoor::AdData;
    use crate::domain::{Channel, ContactData, Gender, Outcome, Period, parse_date};

    #[test]
    fn the_funnel_counts_ads_calls_contacts_and_meetings_and_messages_apart() {
        let bs = Province::parse("BS").unwrap();
        let br = Nationality::parse("BR").unwrap();
        let zz = Nationality::parse("ZZ").unwrap();
        let mut t = Tally::new();
        let ad = AdData {
            site: "moscarossa".into(),
            province: bs,
            comune: None,
            nationality: br,
            gender: Gender::T,
            declared_age: Some(25),
            risky: true,
        };
        t.add_ad(&ad);
        t.add_ad(&AdData { nationality: zz, gender: Gender::F, risky: false, ..ad.clone() });
        t.add_attempt(bs, Gender::T, br, Channel::Call, Outcome::NoAnswer);
        t.add_attempt(bs, Gender::T, br, Channel::Call, Outcome::Reached);
        t.add_attempt(bs, Gender::T, br, Channel::Whatsapp, Outcome::Reached);
        t.add_attempt(bs, Gender::T, br, Channel::Call, Outcome::Controller);
        t.add_meeting(bs, &ContactData::new(Gender::T, br));
        t.add_indoor(bs, Gender::F, zz, Measure::MassageContacts);
        let scope = ReportScope::period(
            Period::new(parse_date("2023-01-01").unwrap(), parse_date("2023-12-31").unwrap()).unwrap(),
        );
        let r = indoor_report(&t, &scope);
        let row = &r.tables[0].rows[0];
        assert_eq!(row.nationality, br);
        let c = &row.counts;
        assert_eq!((c.ads.t, c.calls.t, c.contacts.t, c.met.t, c.messages.t), (1, 3, 1, 1, 1), "messages apart");
        assert_eq!(r.tables[0].rows[1].label, "Non dichiarata (n. d.)");
        assert_eq!(r.tables[0].rows.len(), 2, "massage contacts are not a row of the indoor table");
        assert_eq!(r.synthesis.total.ads.total, 2);
        assert_eq!(r.synthesis.rows[0].counts.calls, MftTotal { mft: Mft { m: 0, f: 0, t: 3 }, total: 3 });
        let json = serde_json::to_value(row).unwrap();
        assert_eq!(json["ads"]["T"], 1);
        assert_eq!(json["contacts"]["T"], 1);
        assert_eq!(json["messages"]["T"], 1);
        assert_eq!(json["met"]["T"], 1);
        let json = serde_json::to_value(&r.synthesis).unwrap();
        assert_eq!(json["rows"][0]["ads"], serde_json::json!({"M": 0, "F": 1, "T": 1, "total": 2}));
        assert_eq!(json["total"]["messages"]["total"], 1);
        let m = massage_report(&t, &scope);
        assert_eq!(m.synthesis.total, MftTotal { mft: Mft { m: 0, f: 1, t: 0 }, total: 1 });
        assert_eq!(m.synthesis.rows[0].province, bs);
        assert_eq!(t.sum(Measure::Messages, |_, _| true), 1);
        assert_eq!(t.sum(Measure::RiskyAds, |_, _| true), 1);
    }

    #[test]
    fn indoor_and_massage_rows_follow_the_scopes_order() {
        let bs = Province::parse("BS").unwrap();
        let nat = |c| Nationality::parse(c).unwrap();
        let mut t = Tally::new();
        let ad = |code, n| AdData {
            site: "moscarossa".into(),
            province: bs,
            comune: None,
            nationality: nat(code),
            gender: Gender::F,
            declared_age: None,
            risky: n > 1,
        };
        for (code, n) in [("AL", 1), ("BR", 2), ("ZZ", 3)] {
            for _ in 0..n {
                t.add_ad(&ad(code, n));
                t.add_indoor(bs, Gender::F, nat(code), Measure::MassageContacts);
            }
        }
        let by_name = ReportScope::period(
            Period::new(parse_date("2023-01-01").unwrap(), parse_date("2023-12-31").unwrap()).unwrap(),
        );
        let by_total = ReportScope { order: crate::domain::RowOrder::Total, ..by_name };
        let nats = |s: &ReportScope| -> Vec<Nationality> {
            indoor_report(&t, s).tables[0].rows.iter().map(|r| r.nationality).collect()
        };
        assert_eq!(nats(&by_name), [nat("AL"), nat("BR"), nat("ZZ")]);
        assert_eq!(nats(&by_total), [nat("BR"), nat("AL"), nat("ZZ")]);
        let massage: Vec<_> = massage_report(&t, &by_total).tables[0].rows.iter().map(|r| r.nationality).collect();
        assert_eq!(massage, [nat("BR"), nat("AL"), nat("ZZ")]);
    }
}
