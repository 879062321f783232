//! The province's emersion total ("totale emersione"), the headline of every province
//! section of the reports: the persons contacted across every kind of outreach, by
//! gender, with "di cui" asylum seekers or holders of international protection; one table
//! per province and the same table over all provinces.
//!
//! Rows, in the printed order ([`Source::ALL`]):
//! - `street`: persons met on street outings (or contacts, counting contacts);
//! - `labour`: persons met in labour outreach (or contacts);
//! - `indoor_reached`: indoor, persons reached by a call ("contatti svolti");
//! - `indoor_met`: indoor, persons met after a contact;
//! - `massage`: persons contacted in massage centres;
//! - `desk`: persons met at the drop-in desk (or contacts);
//! - `sessions`: participants in informative group sessions (head counts).
//!
//! **The total is the sum of its rows**, as the reports print it: a person met on the
//! street and again at the desk counts once in each row and twice in the total; a person
//! reached by a call and then met counts in both indoor rows. The register's persons are
//! distinct within a row (persons counting), never across rows.
//!
//! Where the counts come from: one [`Tally`] holding the persons (or contacts) of street,
//! labour and desk outings ([`Measure::Persons`] / [`Measure::ProtectedPersons`], or
//! [`Measure::Contacts`] / [`Measure::Protection`]), the indoor counts
//! ([`Measure::Reached`] / [`Measure::ReachedProtection`], [`Measure::Meetings`] /
//! [`Measure::Protection`], [`Measure::MassageContacts`] / [`Measure::MassageProtection`])
//! and the informative sessions, put in the tally by [`add_sessions`] under
//! [`Activity::Session`] as [`Measure::Contacts`] / [`Measure::Protection`] of unknown
//! nationality. The phone and the server build the table from the same tally shape.
//!
//! JSON (`lanterna report emersion-total --format json`):
//! ```json
//! {"count": "persons", "from": "2024-01-01", "to": "2024-12-31",
//!  "tables": [{"count": "persons", "province": "BG", "province_name": "Bergamo",
//!              "from": "2024-01-01", "to": "2024-12-31",
//!              "rows": [{"source": "street", "label": "Strada", "M": 0, "F": 3, "T": 1,
//!                        "total": 4, "protection": 1}, ...],
//!              "total": {"M": 0, "F": 3, "T": 1, "total": 4, "protection": 1}}],
//!  "synthesis": {"from": ..., "to": ..., "rows": [...], "total": {...}}}
//! ```
//! With `--province`, the province's table alone. The synthesis is the same table over
//! all provinces (each of its rows is the sum of that row over the provinces).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Mft, MftTotal, Report, ReportScope, province_table};
use crate::domain::outreach::SessionFacts;
use crate::domain::tally::{Bucket, CellKey};
use crate::domain::{Activity, Count, Gender, Lang, Measure, Nationality, Province, Shift, Tally};

/// A row of the emersion total: where the persons were contacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Street outings.
    Street,
    /// Labour outreach.
    Labour,
    /// Indoor: persons reached by a call.
    IndoorReached,
    /// Indoor: persons met after a contact.
    IndoorMet,
    /// Massage centres.
    Massage,
    /// Drop-in desks.
    Desk,
    /// Informative group sessions.
    Sessions,
}

impl Source {
    /// Every row, in the printed order.
    pub const ALL: [Source; 7] = [
        Source::Street,
        Source::Labour,
        Source::IndoorReached,
        Source::IndoorMet,
        Source::Massage,
        Source::Desk,
        Source::Sessions,
    ];

    /// The row's code (its JSON `source` and CSV `code`).
    pub fn code(self) -> &'static str {
        match self {
            Source::Street => "street",
            Source::Labour => "labour",
            Source::IndoorReached => "indoor_reached",
            Source::IndoorMet => "indoor_met",
            Source::Massage => "massage",
            Source::Desk => "desk",
            Source::Sessions => "sessions",
        }
    }

    /// The row's label.
    pub fn label(self, lang: Lang) -> &'static str {
        let (it, en) = match self {
            Source::Street => ("Strada", "Street"),
            Source::Labour => ("Sfruttamento lavorativo", "Labour outreach"),
            Source::IndoorReached => ("Indoor: persone contattate", "Indoor: persons contacted"),
            Source::IndoorMet => ("Indoor: persone incontrate", "Indoor: persons met"),
            Source::Massage => ("Centri massaggi", "Massage centres"),
            Source::Desk => ("Sportello", "Drop-in desk"),
            Source::Sessions => ("Incontri di sensibilizzazione", "Informative sessions"),
        };
        match lang {
            Lang::It => it,
            Lang::En => en,
        }
    }

    /// The row and whether the cell is its "di cui" protection count, for a tally cell of
    /// `activity` and `measure` (`count`: what street, labour and desk rows count).
    fn of(activity: Activity, measure: Measure, count: Count) -> Option<(Source, bool)> {
        let headcount = count.headcount();
        let protection = match count {
            Count::Persons => Measure::ProtectedPersons,
            Count::Contacts => Measure::Protection,
        };
        let outing = |s: Source| {
            if measure == headcount {
                Some((s, false))
            } else if measure == protection {
                Some((s, true))
            } else {
                None
            }
        };
        match activity {
            Activity::Street => outing(Source::Street),
            Activity::Labour => outing(Source::Labour),
            Activity::Desk => outing(Source::Desk),
            Activity::Indoor => match measure {
                Measure::Reached => Some((Source::IndoorReached, false)),
                Measure::ReachedProtection => Some((Source::IndoorReached, true)),
                Measure::Meetings => Some((Source::IndoorMet, false)),
                Measure::Protection => Some((Source::IndoorMet, true)),
                Measure::MassageContacts => Some((Source::Massage, false)),
                Measure::MassageProtection => Some((Source::Massage, true)),
                _ => None,
            },
            Activity::Session => match measure {
                Measure::Contacts => Some((Source::Sessions, false)),
                Measure::Protection => Some((Source::Sessions, true)),
                _ => None,
            },
            Activity::Emersion => None,
        }
    }
}

/// Persons by gender with their sum and the "di cui" protection count, serialised as
/// `{"M": .., "F": .., "T": .., "total": .., "protection": ..}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotalCounts {
    /// M, F, T and their sum.
    #[serde(flatten)]
    pub persons: MftTotal,
    /// Of whom asylum seekers or holders of international protection.
    pub protection: u64,
}

impl TotalCounts {
    fn of(mft: Mft, protection: u64) -> Self {
        TotalCounts { persons: mft.into(), protection }
    }

    /// Row-wise sum.
    pub fn plus(self, o: TotalCounts) -> TotalCounts {
        TotalCounts::of(self.persons.mft.plus(o.persons.mft), self.protection + o.protection)
    }
}

/// One row of an emersion total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotalRow {
    /// Where the persons were contacted.
    pub source: Source,
    /// Its label.
    pub label: String,
    /// The counts.
    #[serde(flatten)]
    pub counts: TotalCounts,
}

/// The emersion total of one province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmersionTotalTable {
    /// Persons met in the period, or contacts (street, labour and desk rows).
    pub count: Count,
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// One row per source, every source listed ([`Source::ALL`]).
    pub rows: Vec<TotalRow>,
    /// The sum of the rows.
    pub total: TotalCounts,
}

/// The emersion total over all provinces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmersionTotalSynthesis {
    /// One row per source: the sum of that row over the provinces.
    pub rows: Vec<TotalRow>,
    /// The sum of the rows (and of the provinces' totals).
    pub total: TotalCounts,
}

/// The emersion totals per province and overall.
pub type EmersionTotalReport = Report<EmersionTotalTable, EmersionTotalSynthesis>;

/// Puts informative sessions' head counts in `tally`: participants as [`Measure::Contacts`]
/// and protection as [`Measure::Protection`], of unknown nationality, under
/// [`Activity::Session`] in their province.
pub fn add_sessions<'a>(tally: &mut Tally, sessions: impl IntoIterator<Item = &'a (Province, SessionFacts)>) {
    for (province, facts) in sessions {
        let bucket = Bucket { activity: Activity::Session, province: *province, shift: Shift::Day };
        for &gender in Gender::ALL {
            let nationality = Nationality::UNKNOWN;
            let cell = |measure| CellKey { nationality, gender, measure };
            tally.add(bucket, cell(Measure::Contacts), facts.participants.get(gender));
            tally.add(bucket, cell(Measure::Protection), facts.protection.get(gender));
        }
    }
}

/// Rows of one province (or all), every source listed, and their sum.
fn rows_of(lang: Lang, counts: &BTreeMap<Source, (Mft, u64)>) -> (Vec<TotalRow>, TotalCounts) {
    let rows: Vec<TotalRow> = Source::ALL
        .iter()
        .map(|&source| {
            let (mft, protection) = counts.get(&source).copied().unwrap_or_default();
            TotalRow { source, label: source.label(lang).to_owned(), counts: TotalCounts::of(mft, protection) }
        })
        .collect();
    let total = rows.iter().fold(TotalCounts::default(), |a, r| a.plus(r.counts));
    (rows, total)
}

/// Builds the emersion totals: one table per province with anything to count (the
/// scope's province always, and only it when it names one) and the overall table. The
/// scope's activity does not apply: the total is of every activity.
pub fn emersion_total_report(tally: &Tally, scope: &ReportScope) -> EmersionTotalReport {
    let mut by_province: BTreeMap<Province, BTreeMap<Source, (Mft, u64)>> = BTreeMap::new();
    if let Some(p) = scope.province {
        by_province.insert(p, BTreeMap::new());
    }
    for (b, c, n) in tally.iter() {
        if scope.province.is_some_and(|p| p != b.province) {
            continue;
        }
        if let Some((source, protection)) = Source::of(b.activity, c.measure, scope.count) {
            let (mft, prot) = by_province.entry(b.province).or_default().entry(source).or_default();
            if protection {
                *prot += n;
            } else {
                mft.add(c.gender, n);
            }
        }
    }
    let mut overall: BTreeMap<Source, (Mft, u64)> = BTreeMap::new();
    let mut tables = Vec::new();
    for (province, counts) in by_province {
        for (source, (mft, prot)) in &counts {
            let (m, p) = overall.entry(*source).or_default();
            *m = m.plus(*mft);
            *p += prot;
        }
        let (rows, total) = rows_of(scope.lang, &counts);
        tables.push(province_table!(EmersionTotalTable { province, scope; count: scope.count, rows, total }));
    }
    let (rows, total) = rows_of(scope.lang, &overall);
    EmersionTotalReport::new(scope, tables, EmersionTotalSynthesis { rows, total })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::outreach::{LanguageSet, SessionPlace, ThemeSet};
    use crate::domain::{Period, parse_date};

    fn scope(count: Count) -> ReportScope {
        let period = Period::new(parse_date("2024-01-01").unwrap(), parse_date("2024-12-31").unwrap()).unwrap();
        ReportScope { count, ..ReportScope::period(period) }
    }

    fn session(m: u64, f: u64, t: u64, protected_f: u64) -> SessionFacts {
        SessionFacts {
            place: SessionPlace::ALL[0],
            comune: None,
            themes: ThemeSet::EMPTY,
            languages: LanguageSet::EMPTY,
            participants: Mft { m, f, t },
            protection: Mft { m: 0, f: protected_f, t: 0 },
        }
    }

    /// The activities of random cells: sessions come from their facts only.
    const ACTIVITIES: [Activity; 5] =
        [Activity::Street, Activity::Labour, Activity::Desk, Activity::Indoor, Activity::Emersion];
    const MEASURES: [Measure; 12] = [
        Measure::Persons,
        Measure::ProtectedPersons,
        Measure::Contacts,
        Measure::Protection,
        Measure::Reached,
        Measure::ReachedProtection,
        Measure::Meetings,
        Measure::MassageContacts,
        Measure::MassageProtection,
        Measure::Calls,
        Measure::MinorPersons,
        Measure::Ads,
    ];

    #[test]
    fn each_row_reads_its_own_source_and_the_total_is_their_sum() {
        let bg = Province::parse("BG").unwrap();
        let mut t = Tally::new();
        let cell = |g, measure| CellKey { nationality: Nationality::parse("NG").unwrap(), gender: g, measure };
        let b = |activity| Bucket { activity, province: bg, shift: Shift::Night };
        t.add(b(Activity::Street), cell(Gender::F, Measure::Persons), 3);
        t.add(b(Activity::Street), cell(Gender::F, Measure::ProtectedPersons), 1);
        t.add(b(Activity::Street), cell(Gender::F, Measure::Contacts), 9);
        t.add(b(Activity::Labour), cell(Gender::M, Measure::Persons), 2);
        t.add(b(Activity::Desk), cell(Gender::T, Measure::Persons), 1);
        t.add(crate::domain::indoor::bucket(bg), cell(Gender::F, Measure::Reached), 4);
        t.add(crate::domain::indoor::bucket(bg), cell(Gender::F, Measure::ReachedProtection), 2);
        t.add(crate::domain::indoor::bucket(bg), cell(Gender::F, Measure::Meetings), 1);
        t.add(crate::domain::indoor::bucket(bg), cell(Gender::F, Measure::Calls), 7);
        t.add(crate::domain::indoor::bucket(bg), cell(Gender::T, Measure::MassageContacts), 5);
        t.add(crate::domain::indoor::bucket(bg), cell(Gender::T, Measure::MassageProtection), 1);
        add_sessions(&mut t, &[(bg, session(6, 4, 0, 3))]);
        let r = emersion_total_report(&t, &scope(Count::Persons));
        let rows: Vec<(&str, u64, u64)> =
            r.tables[0].rows.iter().map(|r| (r.source.code(), r.counts.persons.total, r.counts.protection)).collect();
        assert_eq!(
            rows,
            [
                ("street", 3, 1),
                ("labour", 2, 0),
                ("indoor_reached", 4, 2),
                ("indoor_met", 1, 0),
                ("massage", 5, 1),
                ("desk", 1, 0),
                ("sessions", 10, 3)
            ]
        );
        assert_eq!(r.tables[0].total.persons.total, 26);
        assert_eq!(r.tables[0].total.protection, 7);
        assert_eq!(r.tables[0].total.persons.mft, Mft { m: 8, f: 12, t: 6 });
        // Counting contacts, the street row reads contacts.
        let c = emersion_total_report(&t, &scope(Count::Contacts));
        assert_eq!(c.tables[0].rows[0].counts.persons.total, 9);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["tables"][0]["rows"][6]["source"], "sessions");
        assert_eq!(json["tables"][0]["rows"][6]["M"], 6);
        assert_eq!(json["tables"][0]["total"]["total"], 26);
        assert_eq!(json["synthesis"]["total"]["protection"], 7);
    }

    #[test]
    fn a_named_province_is_listed_empty_and_alone() {
        let mut t = Tally::new();
        add_sessions(&mut t, &[(Province::parse("BG").unwrap(), session(1, 1, 1, 0))]);
        let only_to = ReportScope { province: Some(Province::parse("TO").unwrap()), ..scope(Count::Persons) };
        let r = emersion_total_report(&t, &only_to);
        assert_eq!(r.tables.len(), 1);
        assert_eq!(r.tables[0].province.code(), "TO");
        assert_eq!(r.tables[0].rows.len(), Source::ALL.len());
        assert_eq!(r.tables[0].total, TotalCounts::default());
    }

    proptest! {
        /// The table equals the sum of its parts exactly: every row is the sum of its
        /// source's cells, every total the sum of its rows, the overall row the sum over
        /// the provinces, for any tally.
        #[test]
        fn the_total_is_the_sum_of_its_parts(
            cells in prop::collection::vec((0usize..5, 0usize..12, 0usize..3, 0usize..3, 0usize..2, 0u64..50), 0..60),
            sessions in prop::collection::vec((0usize..3, 0u64..30, 0u64..30, 0u64..30, 0u64..30), 0..5),
            persons in any::<bool>(),
        ) {
            let provinces = ["BG", "BS", "MI"].map(|p| Province::parse(p).unwrap());
            let mut t = Tally::new();
            for (a, m, p, g, s, n) in cells {
                let bucket = Bucket { activity: ACTIVITIES[a], province: provinces[p], shift: Shift::ALL[s] };
                t.add(bucket, CellKey { nationality: Nationality::UNKNOWN, gender: Gender::ALL[g], measure: MEASURES[m] }, n);
            }
            let sessions: Vec<(Province, SessionFacts)> = sessions
                .into_iter()
                .map(|(p, m, f, tr, pf)| (provinces[p], session(m, f, tr, pf.min(f))))
                .collect();
            add_sessions(&mut t, &sessions);
            let count = if persons { Count::Persons } else { Count::Contacts };
            let r = emersion_total_report(&t, &scope(count));
            // Each row: the sum of its source's cells, counted straight from the tally.
            for table in &r.tables {
                for row in &table.rows {
                    let (mut heads, mut prot) = (0, 0);
                    for (b, c, n) in t.iter() {
                        if b.province != table.province { continue; }
                        match Source::of(b.activity, c.measure, count) {
                            Some((s, false)) if s == row.source => heads += n,
                            Some((s, true)) if s == row.source => prot += n,
                            _ => {}
                        }
                    }
                    prop_assert_eq!(row.counts.persons.total, heads);
                    prop_assert_eq!(row.counts.persons.total, row.counts.persons.mft.total());
                    prop_assert_eq!(row.counts.protection, prot);
                }
                let sum = table.rows.iter().fold(TotalCounts::default(), |a, r| a.plus(r.counts));
                prop_assert_eq!(table.total, sum);
            }
            // Sessions: exactly their participants and protected participants.
            let participants: u64 = sessions.iter().map(|(_, s)| s.participants.total()).sum();
            let protected: u64 = sessions.iter().map(|(_, s)| s.protection.total()).sum();
            prop_assert_eq!(r.synthesis.rows[6].counts.persons.total, participants);
            prop_assert_eq!(r.synthesis.rows[6].counts.protection, protected);
            // Overall: each row and the total are the sums over the provinces.
            for (i, row) in r.synthesis.rows.iter().enumerate() {
                let sum = r.tables.iter().fold(TotalCounts::default(), |a, t| a.plus(t.rows[i].counts));
                prop_assert_eq!(row.counts, sum);
            }
            let sum = r.tables.iter().fold(TotalCounts::default(), |a, t| a.plus(t.total));
            prop_assert_eq!(r.synthesis.total, sum);
            let rows = r.synthesis.rows.iter().fold(TotalCounts::default(), |a, r| a.plus(r.counts));
            prop_assert_eq!(r.synthesis.total, rows);
        }
    }
}
