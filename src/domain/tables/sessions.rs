//! Informative group sessions (sensibilizzazione) in reception centres, adult schools,
//! communities for minors and other places: per province, sessions by kind of place,
//! participants M/F/T with their total, of whom asylum seekers or holders of international
//! protection, sessions per theme and per language; the synthesis has provinces as rows.
//!
//! Built from the sessions' facts (head counts only), never from a contacts tally, so no
//! contacts table ever counts a participant.
//!
//! JSON: `{"count", "from", "to", "tables": [{"province", "province_name", "from", "to",
//! "sessions", "places": {"cas": n, ..}, "participants": {"M", "F", "T", "total"},
//! "protection": {"M", "F", "T", "total"}, "themes": {"trafficking": n, ..},
//! "languages": {"it": n, ..}}], "synthesis": {"rows": [{"province", "province_name",
//! ..same counts..}], "total": {..same counts..}}}`. Every place, theme and language is
//! listed, zero or not.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{MftTotal, Report, ReportScope, province_table};
use crate::domain::outreach::{SessionFacts, SessionPlace, SessionTheme};
use crate::domain::{Language, Province};

/// What the sessions of a row add up to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionCounts {
    /// Sessions held.
    pub sessions: u64,
    /// Sessions by kind of place (every place listed).
    pub places: BTreeMap<SessionPlace, u64>,
    /// Participants by gender.
    pub participants: MftTotal,
    /// Of whom asylum seekers or holders of international protection.
    pub protection: MftTotal,
    /// Sessions per theme (a session may have several; every theme listed).
    pub themes: BTreeMap<SessionTheme, u64>,
    /// Sessions per language spoken (every language listed).
    pub languages: BTreeMap<Language, u64>,
}

impl Default for SessionCounts {
    fn default() -> Self {
        SessionCounts {
            sessions: 0,
            places: SessionPlace::ALL.iter().map(|&p| (p, 0)).collect(),
            participants: MftTotal::default(),
            protection: MftTotal::default(),
            themes: SessionTheme::ALL.iter().map(|&t| (t, 0)).collect(),
            languages: Language::ALL.iter().map(|&l| (l, 0)).collect(),
        }
    }
}

impl SessionCounts {
    /// Adds one session.
    pub fn add(&mut self, f: &SessionFacts) {
        self.sessions += 1;
        *self.places.entry(f.place).or_default() += 1;
        self.participants = MftTotal::from(self.participants.mft.plus(f.participants));
        self.protection = MftTotal::from(self.protection.mft.plus(f.protection));
        f.themes.iter().for_each(|t| *self.themes.entry(t).or_default() += 1);
        f.languages.iter().for_each(|l| *self.languages.entry(l).or_default() += 1);
    }

    /// Column-wise sum.
    pub fn plus(&self, o: &SessionCounts) -> SessionCounts {
        fn merge<K: Ord + Copy>(a: &mut BTreeMap<K, u64>, b: &BTreeMap<K, u64>) {
            b.iter().for_each(|(k, v)| *a.entry(*k).or_default() += v);
        }
        let mut out = self.clone();
        out.sessions += o.sessions;
        merge(&mut out.places, &o.places);
        out.participants = MftTotal::from(self.participants.mft.plus(o.participants.mft));
        out.protection = MftTotal::from(self.protection.mft.plus(o.protection.mft));
        merge(&mut out.themes, &o.themes);
        merge(&mut out.languages, &o.languages);
        out
    }
}

/// A province's sessions table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionsTable {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Its counts.
    #[serde(flatten)]
    pub counts: SessionCounts,
}

/// A province of the synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionsSynthesisRow {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// Its counts.
    #[serde(flatten)]
    pub counts: SessionCounts,
}

/// Provinces as rows, and all of them together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionsSynthesis {
    /// One row per province, by sigla.
    pub rows: Vec<SessionsSynthesisRow>,
    /// Every province together.
    pub total: SessionCounts,
}

/// The sessions tables and their synthesis.
pub type SessionsReport = Report<SessionsTable, SessionsSynthesis>;

/// Builds the sessions tables from the sessions of the scope's period (the caller limits
/// them to its dates), each with its province; only the scope's province when it names one
/// (that province is listed even without sessions).
pub fn sessions_report(sessions: &[(Province, SessionFacts)], scope: &ReportScope) -> SessionsReport {
    let mut by: BTreeMap<Province, SessionCounts> = BTreeMap::new();
    if let Some(p) = scope.province {
        by.insert(p, SessionCounts::default());
    }
    for (p, f) in sessions.iter().filter(|(p, _)| scope.province.is_none_or(|q| q == *p)) {
        by.entry(*p).or_default().add(f);
    }
    let total = by.values().fold(SessionCounts::default(), |a, c| a.plus(c));
    let rows = by.iter().map(|(p, c)| province_table!(SessionsSynthesisRow { *p; counts: c.clone() })).collect();
    let tables = by.into_iter().map(|(p, counts)| province_table!(SessionsTable { p, scope; counts })).collect();
    Report::new(scope, tables, SessionsSynthesis { rows, total })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::outreach::{LanguageSet, ThemeSet};
    use crate::domain::tables::Mft;
    use crate::domain::{Period, parse_date};

    fn facts(place: SessionPlace, m: u64, f: u64, pm: u64, themes: &str, langs: &str) -> SessionFacts {
        SessionFacts {
            place,
            comune: None,
            themes: ThemeSet::parse_list(themes).unwrap(),
            languages: LanguageSet::parse_list(langs).unwrap(),
            participants: Mft { m, f, t: 0 },
            protection: Mft { m: pm, f: 0, t: 0 },
        }
    }

    fn scope() -> ReportScope {
        ReportScope::period(Period::new(parse_date("2025-01-01").unwrap(), parse_date("2025-12-31").unwrap()).unwrap())
    }

    #[test]
    fn sessions_add_up_per_province_and_overall() {
        let (bg, mi) = (Province::parse("BG").unwrap(), Province::parse("MI").unwrap());
        let s = [
            (bg, facts(SessionPlace::Cas, 10, 2, 8, "trafficking;rights", "en;fr")),
            (bg, facts(SessionPlace::Cpia, 5, 5, 0, "trafficking", "it")),
            (mi, facts(SessionPlace::Cas, 3, 0, 3, "health", "en")),
        ];
        let r = sessions_report(&s, &scope());
        assert_eq!(r.tables.len(), 2);
        let b = &r.tables[0].counts;
        assert_eq!((b.sessions, b.places[&SessionPlace::Cas], b.places[&SessionPlace::Cpia]), (2, 1, 1));
        assert_eq!((b.participants.mft.m, b.participants.mft.f, b.participants.total), (15, 7, 22));
        assert_eq!(b.protection.total, 8);
        assert_eq!((b.themes[&SessionTheme::Trafficking], b.themes[&SessionTheme::Rights]), (2, 1));
        assert_eq!((b.languages[&Language::English], b.languages[&Language::Italian]), (1, 1));
        let t = &r.synthesis.total;
        assert_eq!((t.sessions, t.participants.total, t.protection.total), (3, 25, 11));
        assert_eq!(t.languages[&Language::English], 2);
        assert_eq!(r.synthesis.rows.iter().map(|r| r.counts.sessions).sum::<u64>(), 3);
    }

    #[test]
    fn a_province_asked_for_is_listed_alone_even_empty() {
        let (bg, mi) = (Province::parse("BG").unwrap(), Province::parse("MI").unwrap());
        let s = [(bg, facts(SessionPlace::Sai, 1, 0, 0, "", ""))];
        let r = sessions_report(&s, &ReportScope { province: Some(mi), ..scope() });
        assert_eq!(r.tables.len(), 1);
        assert_eq!((r.tables[0].province, r.tables[0].counts.sessions), (mi, 0));
    }
}
