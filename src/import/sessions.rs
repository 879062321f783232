//! Informative group sessions (sensibilizzazione) in a CSV of their own: one row per
//! session, `activity` = `session`.
//!
//! Required columns: `date` (YYYY-MM-DD), `activity` (`session`), `province` (sigla),
//! `place` (cas|sai|cpia|minors_community|other), `participants_m`, `participants_f`,
//! `participants_t` (head counts, empty = 0). Optional: `comune` (ISTAT code, in the
//! province), `themes` and `languages` (codes separated by `;`), `protection_m`,
//! `protection_f`, `protection_t` (of whom asylum seekers or protection holders, each at
//! most the participants of that gender), `operators` (1 to 50, default 1), `mediator`
//! (yes/no), `mediator_language`, `legal_operator` (yes/no).

use chrono::NaiveDate;

use super::cells::{Cells, parse_operators};
use super::{ImportError, parse_bool, read_rows};
use crate::domain::outreach::{LanguageSet, PARTICIPANTS_MAX, SessionFacts, SessionPlace, Team, ThemeSet};
use crate::domain::tables::Mft;
use crate::domain::{Activity, Comune, DomainError, Gender, Language, Province, parse_date};

/// One session row of a sessions file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Its line in the file.
    pub line: u64,
    /// The day.
    pub date: NaiveDate,
    /// The province.
    pub province: Province,
    /// Place, comune, themes, languages, head counts (checked).
    pub facts: SessionFacts,
    /// Who held it (checked).
    pub team: Team,
}

/// A parsed sessions file.
#[derive(Debug, Clone)]
pub struct ParsedSessionLog {
    /// One record per row, in file order.
    pub records: Vec<SessionRecord>,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum C {
    Date,
    Activity,
    Province,
    Place,
    Participants(Gender),
    Comune,
    Themes,
    Languages,
    Protection(Gender),
    Operators,
    Mediator,
    MediatorLanguage,
    LegalOperator,
}

const REQUIRED: [(&str, C); 7] = [
    ("date", C::Date),
    ("activity", C::Activity),
    ("province", C::Province),
    ("place", C::Place),
    ("participants_m", C::Participants(Gender::M)),
    ("participants_f", C::Participants(Gender::F)),
    ("participants_t", C::Participants(Gender::T)),
];

const KNOWN: &str = "date, activity, province, place, participants_m, participants_f, participants_t, comune, themes, \
                     languages, protection_m, protection_f, protection_t, operators, mediator, mediator_language, \
                     legal_operator";

fn optional(name: &str) -> Option<C> {
    Some(match name {
        "comune" => C::Comune,
        "themes" => C::Themes,
        "languages" => C::Languages,
        "protection_m" => C::Protection(Gender::M),
        "protection_f" => C::Protection(Gender::F),
        "protection_t" => C::Protection(Gender::T),
        "operators" => C::Operators,
        "mediator" => C::Mediator,
        "mediator_language" => C::MediatorLanguage,
        "legal_operator" => C::LegalOperator,
        _ => return None,
    })
}

/// True when a header names the columns of a sessions file: `activity` and `place` with
/// participants by gender, no `shift`.
pub(super) fn is_sessions_header(has: impl Fn(&str) -> bool) -> bool {
    has("activity") && !has("shift") && has("place") && has("participants_m")
}

fn parse_row(
    headers: &csv::StringRecord,
    columns: &[C],
    record: &csv::StringRecord,
) -> Result<SessionRecord, (String, String)> {
    let line = record.position().map_or(0, |p| p.line());
    let cells = Cells::new(headers, columns, record);
    let s = |e: DomainError| e.to_string();
    let date = cells.required(C::Date, "date", |v| parse_date(v).map_err(s))?;
    let activity = |act: &str| match Activity::parse(&act.to_ascii_lowercase()) {
        Ok(Activity::Session) => Ok(()),
        _ => Err(format!("'{act}': a sessions file has only rows of activity session")),
    };
    cells.required(C::Activity, "activity", activity)?;
    let province = cells.required(C::Province, "province", |v| Province::parse(v).map_err(s))?;
    let place = cells.required(C::Place, "place", |v| SessionPlace::parse(&v.to_ascii_lowercase()).map_err(s))?;
    let count = |v: &str| -> Result<u64, String> {
        v.parse::<u64>()
            .ok()
            .filter(|n| *n <= u64::from(PARTICIPANTS_MAX))
            .ok_or_else(|| format!("'{v}' is not a head count (0 to {PARTICIPANTS_MAX})"))
    };
    let mut participants = Mft::default();
    let mut protection = Mft::default();
    for g in Gender::ALL {
        participants.add(*g, cells.value(C::Participants(*g), count)?.unwrap_or(0));
        let p = cells.value(C::Protection(*g), count)?.unwrap_or(0);
        if p > participants.get(*g) {
            let name = cells.name(C::Protection(*g), "protection");
            return Err((name, format!("{p} is more than the {} participants", participants.get(*g))));
        }
        protection.add(*g, p);
    }
    if participants.total() == 0 {
        return Err(("participants_m".into(), "a session has at least one participant".into()));
    }
    let comune = cells.value(C::Comune, |v| Comune::parse(v).map_err(s))?;
    if let Some(c) = comune
        && c.province() != province
    {
        let name = cells.name(C::Comune, "comune");
        return Err((name, format!("{} is not in the province of {}", c.code(), province.code())));
    }
    let facts = SessionFacts {
        place,
        comune,
        themes: cells
            .value(C::Themes, |v| ThemeSet::parse_list(&v.to_ascii_lowercase()).map_err(s))?
            .unwrap_or_default(),
        languages: cells
            .value(C::Languages, |v| LanguageSet::parse_list(&v.to_ascii_lowercase()).map_err(s))?
            .unwrap_or_default(),
        participants,
        protection,
    };
    let operators = cells.value(C::Operators, parse_operators)?.unwrap_or(1);
    let team = Team {
        operators,
        mediator: cells.value(C::Mediator, parse_bool)?.unwrap_or(false),
        mediator_language: cells.value(C::MediatorLanguage, |v| Language::parse(&v.to_ascii_lowercase()).map_err(s))?,
        legal_operator: cells.value(C::LegalOperator, parse_bool)?.unwrap_or(false),
    };
    let team = team.checked().map_err(|e| ("operators".to_owned(), e.to_string()))?;
    let facts = facts.checked().map_err(|e| ("participants_m".to_owned(), e.to_string()))?;
    Ok(SessionRecord { line, date, province, facts, team })
}

/// Parses a sessions file (see the module doc): nothing is returned unless every row is
/// valid; every error names its line and column.
pub fn parse_sessions(bytes: &[u8]) -> Result<ParsedSessionLog, ImportError> {
    let (records, sha256) = read_rows(bytes, optional, &REQUIRED, KNOWN, "session", parse_row)?;
    Ok(ParsedSessionLog { records, sha256 })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "date,activity,province,comune,place,themes,languages,participants_m,participants_f,\
                        participants_t,protection_m,protection_f,protection_t,operators";

    #[test]
    fn a_session_row_parses() {
        let csv = format!("{HEAD}\n2025-03-04,session,BG,016024,cas,trafficking;rights,en;fr,12,3,0,10,1,0,2\n");
        let p = parse_sessions(csv.as_bytes()).unwrap();
        let r = &p.records[0];
        assert_eq!((r.facts.participants.m, r.facts.protection.f, r.team.operators), (12, 1, 2));
        assert_eq!(r.facts.themes.to_list(), "trafficking;rights");
        assert_eq!(r.facts.comune.unwrap().code(), "016024");
    }

    #[test]
    fn errors_name_line_and_column() {
        let bad = [
            ("2025-03-04,street,BG,,cas,,,1,0,0,0,0,0,1", "activity"),
            ("2025-03-04,session,BG,,school,,,1,0,0,0,0,0,1", "place"),
            ("2025-03-04,session,BG,,cas,,,1,0,0,2,0,0,1", "protection_m"),
            ("2025-03-04,session,BG,015146,cas,,,1,0,0,0,0,0,1", "comune"),
            ("2025-03-04,session,BG,,cas,sport,,1,0,0,0,0,0,1", "themes"),
            ("2025-03-04,session,BG,,cas,,,0,0,0,0,0,0,1", "participants_m"),
            ("2025-03-04,session,BG,,cas,,,1,0,0,0,0,0,0", "operators"),
        ];
        super::super::cells::assert_each_refused(
            parse_sessions,
            HEAD,
            "2025-03-03,session,BG,,sai,,,1,0,0,0,0,0,1",
            &bad,
        );
    }
}
