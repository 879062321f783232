//! Identification interviews: the per-unit table (PERSONE INCONTRATE · COLLOQUI SVOLTI ·
//! VITTIME IDENTIFICATE · ADESIONI AL PROGRAMMA by kind, with TOT), the Referral table
//! (requests, persons, interviews, identified by typology, ...) and the breakdowns of the
//! persons interviewed (gender, age, nationality, place of emersion, typology). All read
//! the [`Measure::Id`] cells a period's emersion tally holds under
//! [`Activity::Emersion`](crate::domain::Activity::Emersion).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{ReportScope, emersion_cells, province_table};
use crate::domain::emersion::{EmersionPlace, IdCount, InterviewKind, Typology};
use crate::domain::tally::{CellKey, Measure};
use crate::domain::{Gender, Lang, Nationality, Province, Tally};

/// The four counts of the per-unit table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdCounts {
    /// Persons interviewed in the period (once each).
    pub persons: u64,
    /// Interviews held in the period.
    pub interviews: u64,
    /// Persons identified as victims (their state at the end of the period).
    pub identified: u64,
    /// Persons who joined the protection programme.
    pub adhesions: u64,
}

impl IdCounts {
    fn add(&mut self, c: IdCount, n: u64) {
        match c {
            IdCount::Persons => self.persons += n,
            IdCount::Interviews => self.interviews += n,
            IdCount::Identified => self.identified += n,
            IdCount::Adhesions => self.adhesions += n,
            _ => {}
        }
    }

    /// Column-wise sum.
    pub fn plus(self, o: IdCounts) -> IdCounts {
        IdCounts {
            persons: self.persons + o.persons,
            interviews: self.interviews + o.interviews,
            identified: self.identified + o.identified,
            adhesions: self.adhesions + o.adhesions,
        }
    }
}

/// One kind of interview: `{"kind": "social", "persons": .., ...}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdRow {
    /// Social secretariat or Referral.
    pub kind: InterviewKind,
    /// Its counts.
    #[serde(flatten)]
    pub counts: IdCounts,
}

/// The per-unit table: both kinds (always, zeros included) and their sum. Its JSON is
/// exactly `{"rows": [...], "total": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdTable {
    /// Social secretariat, then Referral.
    pub rows: Vec<IdRow>,
    /// The sum of the rows, as printed.
    pub total: IdCounts,
}

impl IdTable {
    fn of(by_kind: &BTreeMap<InterviewKind, IdCounts>) -> IdTable {
        let rows: Vec<IdRow> = InterviewKind::ALL
            .iter()
            .map(|&kind| IdRow { kind, counts: by_kind.get(&kind).copied().unwrap_or_default() })
            .collect();
        let total = rows.iter().fold(IdCounts::default(), |a, r| a.plus(r.counts));
        IdTable { rows, total }
    }
}

/// A province's per-unit table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdProvinceTable {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The table.
    pub table: IdTable,
}

/// The identification tables of a period: one per province and the synthesis by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentificationReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// One table per province (the scope's province alone when it names one).
    pub tables: Vec<IdProvinceTable>,
    /// By kind with TOT, over the provinces' tables (their sum).
    pub synthesis: IdTable,
}

/// The [`IdCount`] cells of one province, with nationality and gender.
type IdCells = Vec<(InterviewKind, IdCount, Nationality, Gender, u64)>;

fn id_cells(cells: Vec<(crate::domain::tally::Bucket, CellKey, u64)>) -> IdCells {
    cells
        .into_iter()
        .filter_map(|(_, c, n)| match c.measure {
            Measure::Id(kind, count) => Some((kind, count, c.nationality, c.gender, n)),
            _ => None,
        })
        .collect()
}

/// The identification cells of the scope by province.
fn by_province(tally: &Tally, scope: &ReportScope) -> BTreeMap<Province, IdCells> {
    emersion_cells(tally, scope, |m| matches!(m, Measure::Id(..))).into_iter().map(|(p, c)| (p, id_cells(c))).collect()
}

/// Builds the per-unit identification tables and the synthesis.
pub fn identification_report(tally: &Tally, scope: &ReportScope) -> IdentificationReport {
    let mut tables = Vec::new();
    for (province, cells) in by_province(tally, scope) {
        let mut by_kind: BTreeMap<InterviewKind, IdCounts> = BTreeMap::new();
        for (kind, count, _, _, n) in cells {
            by_kind.entry(kind).or_default().add(count, n);
        }
        tables.push(province_table!(IdProvinceTable { province, scope; table: IdTable::of(&by_kind) }));
    }
    let mut by_kind: BTreeMap<InterviewKind, IdCounts> = BTreeMap::new();
    for t in &tables {
        for r in &t.table.rows {
            let e = by_kind.entry(r.kind).or_default();
            *e = e.plus(r.counts);
        }
    }
    IdentificationReport { from: scope.period.from, to: scope.period.to, tables, synthesis: IdTable::of(&by_kind) }
}

/// The Referral counts of a province (or of all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralCounts {
    /// Requests received from the Commissione in the period.
    pub requests: u64,
    /// Persons interviewed.
    pub persons: u64,
    /// Interviews held.
    pub interviews: u64,
    /// Persons identified as victims.
    pub identified: u64,
    /// Identified persons by typology (every typology listed).
    pub typology: BTreeMap<Typology, u64>,
    /// Identified persons whose typology is not said.
    pub typology_unsaid: u64,
    /// Persons not identified.
    pub not_identified: u64,
    /// Persons whose evaluation is in progress.
    pub in_progress: u64,
    /// Persons who joined the protection programme.
    pub adhesions: u64,
    /// Persons waiting.
    pub waiting: u64,
    /// Requests not answered by an interview at the end of the period.
    pub unanswered: u64,
}

impl ReferralCounts {
    fn new() -> Self {
        ReferralCounts { typology: Typology::ALL.iter().map(|&t| (t, 0)).collect(), ..Default::default() }
    }

    fn add(&mut self, c: IdCount, n: u64) {
        let field = match c {
            IdCount::Requests => &mut self.requests,
            IdCount::Persons => &mut self.persons,
            IdCount::Interviews => &mut self.interviews,
            IdCount::Identified => &mut self.identified,
            IdCount::NotIdentified => &mut self.not_identified,
            IdCount::InProgress => &mut self.in_progress,
            IdCount::Adhesions => &mut self.adhesions,
            IdCount::Waiting => &mut self.waiting,
            IdCount::Unanswered => &mut self.unanswered,
            IdCount::Typology(t) => self.typology.entry(t).or_default(),
            _ => return,
        };
        *field += n;
    }

    /// Works out the identified persons whose typology is not said.
    fn close(mut self) -> Self {
        self.typology_unsaid = self.identified.saturating_sub(self.typology.values().sum());
        self
    }

    fn plus(&self, o: &ReferralCounts) -> ReferralCounts {
        let mut typology = self.typology.clone();
        for (t, n) in &o.typology {
            *typology.entry(*t).or_default() += n;
        }
        ReferralCounts {
            requests: self.requests + o.requests,
            persons: self.persons + o.persons,
            interviews: self.interviews + o.interviews,
            identified: self.identified + o.identified,
            typology,
            typology_unsaid: self.typology_unsaid + o.typology_unsaid,
            not_identified: self.not_identified + o.not_identified,
            in_progress: self.in_progress + o.in_progress,
            adhesions: self.adhesions + o.adhesions,
            waiting: self.waiting + o.waiting,
            unanswered: self.unanswered + o.unanswered,
        }
    }
}

/// A province's Referral table: one line of counts (`total` in the JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralTable {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The counts.
    pub total: ReferralCounts,
}

/// A province's row of the Referral synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralSynthesisRow {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// Its counts.
    #[serde(flatten)]
    pub counts: ReferralCounts,
}

/// Provinces as rows, and their sum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralSynthesis {
    /// One row per province.
    pub rows: Vec<ReferralSynthesisRow>,
    /// Their sum.
    pub total: ReferralCounts,
}

/// The Referral tables and their synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// One table per province.
    pub tables: Vec<ReferralTable>,
    /// Provinces as rows.
    pub synthesis: ReferralSynthesis,
}

/// Builds the Referral tables.
pub fn referral_report(tally: &Tally, scope: &ReportScope) -> ReferralReport {
    let mut tables = Vec::new();
    for (province, cells) in by_province(tally, scope) {
        let mut counts = ReferralCounts::new();
        for (kind, count, _, _, n) in cells {
            if kind == InterviewKind::Referral {
                counts.add(count, n);
            }
        }
        tables.push(province_table!(ReferralTable { province, scope; total: counts.close() }));
    }
    let rows: Vec<ReferralSynthesisRow> =
        tables.iter().map(|t| province_table!(ReferralSynthesisRow { t.province; counts: t.total.clone() })).collect();
    let total = rows.iter().fold(ReferralCounts::new(), |a, r| a.plus(&r.counts));
    ReferralReport {
        from: scope.period.from,
        to: scope.period.to,
        tables,
        synthesis: ReferralSynthesis { rows, total },
    }
}

/// Persons interviewed, identified and who joined the programme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakCounts {
    /// Persons interviewed.
    pub persons: u64,
    /// Identified as victims.
    pub identified: u64,
    /// Joined the programme.
    pub adhesions: u64,
}

impl BreakCounts {
    fn add(&mut self, c: IdCount, n: u64) {
        match c {
            IdCount::Persons => self.persons += n,
            IdCount::Identified => self.identified += n,
            IdCount::Adhesions => self.adhesions += n,
            _ => {}
        }
    }

    fn plus(self, o: BreakCounts) -> BreakCounts {
        BreakCounts {
            persons: self.persons + o.persons,
            identified: self.identified + o.identified,
            adhesions: self.adhesions + o.adhesions,
        }
    }
}

/// A row of a breakdown: a gender, an age, a nationality, a place or a typology.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakRow {
    /// Its code: `M`, `adult`, `RO`, `place.BG`, `place.elsewhere`, `place.unsaid`,
    /// `typology.begging`, `typology.unsaid`.
    pub code: String,
    /// Its words.
    pub label: String,
    /// Its counts (by age and place: persons only; by typology: identified only).
    #[serde(flatten)]
    pub counts: BreakCounts,
}

/// One breakdown: its rows and their sum.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    /// The rows.
    pub rows: Vec<BreakRow>,
    /// Their sum.
    pub total: BreakCounts,
}

impl Breakdown {
    fn of(rows: Vec<BreakRow>) -> Breakdown {
        let total = rows.iter().fold(BreakCounts::default(), |a, r| a.plus(r.counts));
        Breakdown { rows, total }
    }
}

/// The breakdowns of the persons interviewed (both kinds together: a person interviewed
/// in both kinds counts in each) of one province, or of all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdowns {
    /// By gender M/F/T: persons, identified, adhesions.
    pub gender: Breakdown,
    /// Adults and minors: persons.
    pub age: Breakdown,
    /// By nationality (by name, the unknown last): persons, identified, adhesions.
    pub nationality: Breakdown,
    /// By place of emersion (the provinces, another territory, not said): persons.
    pub place: Breakdown,
    /// Identified persons by typology (and not said).
    pub typology: Breakdown,
}

/// A province's breakdowns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakdownTable {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The breakdowns.
    #[serde(flatten)]
    pub breakdowns: Breakdowns,
}

/// The breakdowns per province and over all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakdownReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// One per province.
    pub tables: Vec<BreakdownTable>,
    /// All provinces together.
    pub synthesis: Breakdowns,
}

/// The words of "not said".
fn unsaid(lang: Lang) -> String {
    (if lang == Lang::En { "Not said" } else { "Non indicato" }).into()
}

/// The breakdowns of one province's cells (or all provinces' cells together).
fn breakdowns(cells: &IdCells, scope: &ReportScope) -> Breakdowns {
    let lang = scope.lang;
    let mut by_gender: BTreeMap<Gender, BreakCounts> = BTreeMap::new();
    let mut by_nat: BTreeMap<Nationality, BreakCounts> = BTreeMap::new();
    let (mut persons, mut identified, mut minors) = (0, 0, 0);
    let mut places: BTreeMap<EmersionPlace, u64> = BTreeMap::new();
    let mut typologies: BTreeMap<Typology, u64> = BTreeMap::new();
    for &(_, count, nat, gender, n) in cells {
        by_gender.entry(gender).or_default().add(count, n);
        match count {
            IdCount::Persons | IdCount::Identified | IdCount::Adhesions => by_nat.entry(nat).or_default().add(count, n),
            IdCount::Minors => minors += n,
            IdCount::Place(p) => *places.entry(p).or_default() += n,
            IdCount::Typology(t) => *typologies.entry(t).or_default() += n,
            _ => {}
        }
        match count {
            IdCount::Persons => persons += n,
            IdCount::Identified => identified += n,
            _ => {}
        }
    }
    let persons_row = |code: String, label: String, n: u64| BreakRow {
        code,
        label,
        counts: BreakCounts { persons: n, ..Default::default() },
    };
    let gender = Gender::ALL
        .iter()
        .map(|&g| BreakRow {
            code: g.code().into(),
            label: g.code().into(),
            counts: by_gender.get(&g).copied().unwrap_or_default(),
        })
        .collect();
    let age = vec![
        persons_row(
            "adult".into(),
            (if lang == Lang::En { "Adults" } else { "Maggiorenni" }).into(),
            persons - minors.min(persons),
        ),
        persons_row("minor".into(), (if lang == Lang::En { "Minors" } else { "Minorenni" }).into(), minors),
    ];
    let mut nationality: Vec<BreakRow> = by_nat
        .into_iter()
        .filter(|(_, c)| *c != BreakCounts::default())
        .map(|(nat, counts)| BreakRow { code: nat.code().into(), label: scope.label(nat), counts })
        .collect();
    scope.sort_rows(&mut nationality, |r| r.code == Nationality::UNKNOWN.code(), |r| r.counts.persons);
    let said: u64 = places.values().sum();
    let mut place: Vec<BreakRow> =
        places.into_iter().map(|(p, n)| persons_row(format!("place.{}", p.code()), p.label(lang), n)).collect();
    place.push(persons_row("place.unsaid".into(), unsaid(lang), persons.saturating_sub(said)));
    let said: u64 = typologies.values().sum();
    let identified_row = |code: String, label: String, n: u64| BreakRow {
        code,
        label,
        counts: BreakCounts { identified: n, ..Default::default() },
    };
    let mut typology: Vec<BreakRow> = Typology::ALL
        .iter()
        .map(|&t| {
            let n = typologies.get(&t).copied().unwrap_or(0);
            identified_row(format!("typology.{}", t.code()), t.label(lang).into(), n)
        })
        .collect();
    typology.push(identified_row("typology.unsaid".into(), unsaid(lang), identified.saturating_sub(said)));
    Breakdowns {
        gender: Breakdown::of(gender),
        age: Breakdown::of(age),
        nationality: Breakdown::of(nationality),
        place: Breakdown::of(place),
        typology: Breakdown::of(typology),
    }
}

/// `base`'s rows plus the rows of `parts` with the same code (a row of a code `base` lacks
/// is added), in the order `order` gives the codes.
fn merged<'a, K: Ord>(
    base: &Breakdown,
    parts: impl Iterator<Item = &'a Breakdown>,
    order: impl Fn(&str) -> K,
) -> Breakdown {
    let mut rows: BTreeMap<K, BreakRow> = base.rows.iter().map(|r| (order(&r.code), r.clone())).collect();
    for r in parts.flat_map(|b| &b.rows) {
        rows.entry(order(&r.code)).and_modify(|e| e.counts = e.counts.plus(r.counts)).or_insert_with(|| r.clone());
    }
    Breakdown::of(rows.into_values().collect())
}

/// Builds the breakdowns of the persons interviewed, per province and over all (the sum
/// of the provinces', row by row).
pub fn breakdown_report(tally: &Tally, scope: &ReportScope) -> BreakdownReport {
    let mut tables = Vec::new();
    for (province, cells) in by_province(tally, scope) {
        let breakdowns = breakdowns(&cells, scope);
        tables.push(province_table!(BreakdownTable { province, scope; breakdowns }));
    }
    let base = breakdowns(&Vec::new(), scope);
    let all = || tables.iter().map(|t: &BreakdownTable| &t.breakdowns);
    let rank = |rows: &[BreakRow], code: &str| rows.iter().position(|r| r.code == code).unwrap_or(usize::MAX);
    let places = EmersionPlace::all();
    let place_rank = |code: &str| {
        let place = code.strip_prefix("place.").and_then(|c| EmersionPlace::parse(c).ok());
        place.and_then(|p| places.iter().position(|x| *x == p)).unwrap_or(usize::MAX)
    };
    let mut nationality = merged(&base.nationality, all().map(|b| &b.nationality), |code| {
        Nationality::parse(code).unwrap_or(Nationality::UNKNOWN)
    });
    scope.sort_rows(&mut nationality.rows, |r| r.code == Nationality::UNKNOWN.code(), |r| r.counts.persons);
    let synthesis = Breakdowns {
        gender: merged(&base.gender, all().map(|b| &b.gender), |c| rank(&base.gender.rows, c)),
        age: merged(&base.age, all().map(|b| &b.age), |c| rank(&base.age.rows, c)),
        nationality,
        place: merged(&base.place, all().map(|b| &b.place), place_rank),
        typology: merged(&base.typology, all().map(|b| &b.typology), |c| rank(&base.typology.rows, c)),
    };
    BreakdownReport { from: scope.period.from, to: scope.period.to, tables, synthesis }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::emersion::Verdict;
    use crate::domain::emersion::{Adhesion, Findings, Interviewed};
    use crate::domain::tally::Bucket;
    use crate::domain::{Activity, Period, Shift, parse_date};

    fn scope() -> ReportScope {
        ReportScope::period(Period::new(parse_date("2024-01-01").unwrap(), parse_date("2024-12-31").unwrap()).unwrap())
    }

    fn add(t: &mut Tally, prov: &str, kind: InterviewKind, nat: &str, g: Gender, one: Interviewed) {
        let bucket =
            Bucket { activity: Activity::Emersion, province: Province::parse(prov).unwrap(), shift: Shift::Day };
        for (c, n) in one.counts() {
            let cell =
                CellKey { nationality: Nationality::parse(nat).unwrap(), gender: g, measure: Measure::Id(kind, c) };
            t.add(bucket, cell, n);
        }
    }

    fn person(
        interviews: u64,
        verdict: Verdict,
        typology: Option<Typology>,
        adhesion: Option<Adhesion>,
    ) -> Interviewed {
        let state = Findings { verdict: Some(verdict), typology, adhesion, ..Default::default() };
        Interviewed { interviews, state, minor: false }
    }

    fn sample() -> Tally {
        let mut t = Tally::new();
        let s = InterviewKind::Social;
        add(
            &mut t,
            "BG",
            s,
            "NG",
            Gender::F,
            person(3, Verdict::Identified, Some(Typology::SexualStreet), Some(Adhesion::Yes)),
        );
        add(&mut t, "BG", s, "RO", Gender::F, person(1, Verdict::NotIdentified, None, None));
        add(
            &mut t,
            "BG",
            InterviewKind::Referral,
            "PK",
            Gender::M,
            person(2, Verdict::Identified, None, Some(Adhesion::Waiting)),
        );
        let mut minor = person(1, Verdict::Pending, None, None);
        minor.minor = true;
        minor.state.place = Some(EmersionPlace::Elsewhere);
        add(&mut t, "MI", s, "NG", Gender::T, minor);
        t
    }

    #[test]
    fn both_kinds_are_rows_and_the_total_is_their_sum() {
        let r = identification_report(&sample(), &scope());
        assert_eq!(r.tables.len(), 2);
        let bg = &r.tables[0].table;
        assert_eq!(bg.rows[0].counts, IdCounts { persons: 2, interviews: 4, identified: 1, adhesions: 1 });
        assert_eq!(bg.rows[1].counts, IdCounts { persons: 1, interviews: 2, identified: 1, adhesions: 0 });
        assert_eq!(bg.total, IdCounts { persons: 3, interviews: 6, identified: 2, adhesions: 1 });
        assert_eq!(r.synthesis.rows[0].counts.persons, 3);
        assert_eq!(r.synthesis.total.interviews, 7);
        let json = serde_json::to_value(&r.synthesis).unwrap();
        assert_eq!(
            json["rows"][1],
            serde_json::json!({"kind": "referral", "persons": 1, "interviews": 2, "identified": 1, "adhesions": 0})
        );
        let only_to = ReportScope { province: Some(Province::parse("TO").unwrap()), ..scope() };
        let empty = identification_report(&sample(), &only_to);
        assert_eq!(empty.tables[0].table.rows.len(), 2, "both kinds, zeros included");
        assert_eq!(empty.synthesis.total, IdCounts::default());
    }

    #[test]
    fn referral_counts_typologies_of_identified_persons_and_the_unsaid() {
        let r = referral_report(&sample(), &scope());
        let bg = &r.tables[0].total;
        assert_eq!((bg.persons, bg.interviews, bg.identified, bg.waiting), (1, 2, 1, 1));
        assert_eq!(bg.typology_unsaid, 1);
        assert_eq!(bg.typology.values().sum::<u64>(), 0);
        assert_eq!(r.synthesis.total.persons, 1);
        assert_eq!(r.synthesis.rows.len(), 2);
    }

    #[test]
    fn breakdowns_add_up_to_the_persons() {
        let r = breakdown_report(&sample(), &scope());
        let s = &r.synthesis;
        assert_eq!(s.gender.total, BreakCounts { persons: 4, identified: 2, adhesions: 1 });
        assert_eq!(s.gender.rows[1].counts.persons, 2, "F");
        assert_eq!(s.age.rows[1].counts.persons, 1);
        assert_eq!(s.age.total.persons, 4);
        let codes: Vec<_> = s.nationality.rows.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["NG", "PK", "RO"]);
        assert_eq!(s.nationality.rows[0].counts, BreakCounts { persons: 2, identified: 1, adhesions: 1 });
        assert_eq!(s.place.total.persons, 4);
        assert_eq!(s.place.rows.iter().find(|r| r.code == "place.elsewhere").unwrap().counts.persons, 1);
        assert_eq!(s.typology.total.identified, 2);
        let street = s.typology.rows.iter().find(|r| r.code == "typology.sexual_street").unwrap();
        assert_eq!(street.counts.identified, 1);
    }
}
