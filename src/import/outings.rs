//! Outings in a CSV of their own: what the tally sheet says of each outing besides its
//! contacts. One row per stop (or per outing, without `comune`): the team, the hours, the
//! mapping flag and the presences; an outing with no contact file ("no one was on the road
//! tonight") is an empty outing.
//!
//! Required columns: `date` (YYYY-MM-DD), `shift` (day|night), `activity`
//! (street|labour|desk), `province` (sigla). Optional: `comune` (ISTAT code or exact name,
//! in the province: the stop), `started` and `ended` (HH:MM, Italian time; an end at or
//! before the start is on the next day), `operators` (1 to 50), `mediator` (yes/no),
//! `mediator_language`, `legal_operator` (yes/no), `mapping` (yes/no, street outings),
//! `presences_m`, `presences_f`, `presences_t` (people seen at the stop, not approached).
//!
//! The rows of one outing (date, shift, activity, province) agree on everything but the
//! comune and presences; one stop (outing and comune) is one row.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};

use super::cells::{Cells, parse_operators};
use super::{ImportError, LineError, MAX_ERRORS, parse_bool, read_rows};
use crate::domain::outreach::Team;
use crate::domain::tables::Mft;
use crate::domain::{Activity, Comune, DomainError, Gender, Language, Place, Province, Shift, parse_date};

/// Most presences one row may give for one gender.
pub const PRESENCES_MAX: u64 = 1_000;

/// One row of an outings file: an outing's facts and one of its stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutingRecord {
    /// Its line in the file.
    pub line: u64,
    /// The outing's date.
    pub date: NaiveDate,
    /// Its shift.
    pub shift: Shift,
    /// Street, labour or desk.
    pub activity: Activity,
    /// The stop: its province, and comune when given.
    pub place: Place,
    /// Start and end, Italian time (the end may be on the next day).
    pub hours: Option<(NaiveTime, NaiveTime)>,
    /// The team, when `operators` is given (checked).
    pub team: Option<Team>,
    /// Part of a national mapping night.
    pub mapping: bool,
    /// People seen at the stop, not approached.
    pub presences: Mft,
}

impl OutingRecord {
    /// What every row of one outing must agree on.
    fn outing_facts(&self) -> (Option<(NaiveTime, NaiveTime)>, Option<Team>, bool) {
        (self.hours, self.team, self.mapping)
    }
}

/// A parsed outings file.
#[derive(Debug, Clone)]
pub struct ParsedOutingLog {
    /// One record per row, in file order.
    pub records: Vec<OutingRecord>,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum C {
    Date,
    Shift,
    Activity,
    Province,
    Comune,
    Started,
    Ended,
    Operators,
    Mediator,
    MediatorLanguage,
    LegalOperator,
    Mapping,
    Presences(Gender),
}

const REQUIRED: [(&str, C); 4] =
    [("date", C::Date), ("shift", C::Shift), ("activity", C::Activity), ("province", C::Province)];

const KNOWN: &str = "date, shift, activity, province, comune, started, ended, operators, mediator, mediator_language, \
                     legal_operator, mapping, presences_m, presences_f, presences_t";

/// The optional columns; any one of them, with `shift` and without `gender` and
/// `nationality`, makes a file an outings file.
const OUTING_COLUMNS: [&str; 9] = [
    "started",
    "ended",
    "operators",
    "mediator",
    "legal_operator",
    "presences_m",
    "presences_f",
    "presences_t",
    "mapping",
];

fn optional(name: &str) -> Option<C> {
    Some(match name {
        "comune" => C::Comune,
        "started" => C::Started,
        "ended" => C::Ended,
        "operators" => C::Operators,
        "mediator" => C::Mediator,
        "mediator_language" => C::MediatorLanguage,
        "legal_operator" => C::LegalOperator,
        "mapping" => C::Mapping,
        "presences_m" => C::Presences(Gender::M),
        "presences_f" => C::Presences(Gender::F),
        "presences_t" => C::Presences(Gender::T),
        _ => return None,
    })
}

/// True when a header names the columns of an outings file: `shift`, no `gender` or
/// `nationality`, and at least one column of the team, hours, mapping or presences.
pub(super) fn is_outings_header(has: impl Fn(&str) -> bool) -> bool {
    has("shift") && !has("gender") && !has("nationality") && OUTING_COLUMNS.iter().any(|c| has(c))
}

fn parse_time(v: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(v, "%H:%M").map_err(|_| format!("'{v}' is not a time HH:MM"))
}

fn parse_row(
    headers: &csv::StringRecord,
    columns: &[C],
    record: &csv::StringRecord,
) -> Result<OutingRecord, (String, String)> {
    let line = record.position().map_or(0, |p| p.line());
    let cells = Cells::new(headers, columns, record);
    let s = |e: DomainError| e.to_string();
    let date = cells.required(C::Date, "date", |v| parse_date(v).map_err(s))?;
    let shift = cells.required(C::Shift, "shift", |v| Shift::parse(&v.to_ascii_lowercase()).map_err(s))?;
    let activity = cells.required(C::Activity, "activity", |v| Activity::parse(&v.to_ascii_lowercase()).map_err(s))?;
    if !Activity::OUTINGS.contains(&activity) {
        return Err((
            cells.name(C::Activity, "activity"),
            format!("'{}': an outings file has street, labour and desk outings", activity.code()),
        ));
    }
    let province = cells.required(C::Province, "province", |v| Province::parse(v).map_err(s))?;
    let place = match cells.value(C::Comune, |v| Comune::resolve(v, province).map_err(|e| e.to_string()))? {
        Some(c) => Place::comune(c),
        None => Place::province(province),
    };
    let started = cells.value(C::Started, parse_time)?;
    let ended = cells.value(C::Ended, parse_time)?;
    let hours = match (started, ended) {
        (Some(a), Some(b)) => Some((a, b)),
        (None, None) => None,
        (Some(_), None) => return Err((cells.name(C::Ended, "ended"), "an outing with a start needs its end".into())),
        (None, Some(_)) => {
            return Err((cells.name(C::Started, "started"), "an outing with an end needs its start".into()));
        }
    };
    let operators = cells.value(C::Operators, parse_operators)?;
    let mediator = cells.value(C::Mediator, parse_bool)?.unwrap_or(false);
    let mediator_language =
        cells.value(C::MediatorLanguage, |v| Language::parse(&v.to_ascii_lowercase()).map_err(s))?;
    let legal_operator = cells.value(C::LegalOperator, parse_bool)?.unwrap_or(false);
    let team = match operators {
        Some(operators) => Some(
            Team { operators, mediator: mediator || mediator_language.is_some(), mediator_language, legal_operator }
                .checked()
                .map_err(|e| (cells.name(C::Operators, "operators"), e.to_string()))?,
        ),
        None if mediator || mediator_language.is_some() || legal_operator => {
            return Err((cells.name(C::Operators, "operators"), "a team needs its number of operators".into()));
        }
        None => None,
    };
    let mapping = cells.value(C::Mapping, parse_bool)?.unwrap_or(false);
    if mapping && activity != Activity::Street {
        return Err((cells.name(C::Mapping, "mapping"), "mapping nights are street outings".into()));
    }
    let mut presences = Mft::default();
    for g in Gender::ALL {
        let n = cells.value(C::Presences(*g), |v| {
            v.parse::<u64>()
                .ok()
                .filter(|n| *n <= PRESENCES_MAX)
                .ok_or_else(|| format!("'{v}' is not a number of people (0 to {PRESENCES_MAX})"))
        })?;
        presences.add(*g, n.unwrap_or(0));
    }
    Ok(OutingRecord { line, date, shift, activity, place, hours, team, mapping, presences })
}

/// The rows of one outing agree on its hours, team and mapping flag; a stop is one row.
fn check_rows_agree(records: &[OutingRecord]) -> Result<(), ImportError> {
    let mut outings: HashMap<(NaiveDate, Shift, Activity, Province), &OutingRecord> = HashMap::new();
    let mut stops: HashMap<(NaiveDate, Shift, Activity, Place), u64> = HashMap::new();
    let mut errors = Vec::new();
    for r in records {
        let first = *outings.entry((r.date, r.shift, r.activity, r.place.province)).or_insert(r);
        if first.outing_facts() != r.outing_facts() {
            let column = if first.hours != r.hours {
                "started"
            } else if first.team != r.team {
                "operators"
            } else {
                "mapping"
            };
            errors.push(LineError {
                line: r.line,
                column: Some(column.into()),
                message: format!(
                    "the rows of one outing must agree on its hours, team and mapping (line {} says otherwise)",
                    first.line
                ),
            });
        }
        if let Some(line) = stops.insert((r.date, r.shift, r.activity, r.place), r.line) {
            errors.push(LineError {
                line: r.line,
                column: Some("comune".into()),
                message: format!("this stop (outing and comune) is already on line {line}: one row per stop"),
            });
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    let truncated = errors.len() > MAX_ERRORS;
    errors.truncate(MAX_ERRORS);
    Err(ImportError { errors, truncated })
}

/// Parses an outings file (see the module doc): nothing is returned unless every row is
/// valid; every error names its line and column.
pub fn parse_outings(bytes: &[u8]) -> Result<ParsedOutingLog, ImportError> {
    let (records, sha256) = read_rows(bytes, optional, &REQUIRED, KNOWN, "outing", parse_row)?;
    check_rows_agree(&records)?;
    Ok(ParsedOutingLog { records, sha256 })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "date,shift,activity,province,comune,started,ended,operators,mediator,mediator_language,\
                        legal_operator,mapping,presences_m,presences_f,presences_t";

    #[test]
    fn an_outing_row_parses_with_a_night_across_midnight() {
        let csv = format!("{HEAD}\n2026-03-04,night,street,BG,016024,21:30,01:00,3,yes,ro,no,yes,0,4,1\n");
        let p = parse_outings(csv.as_bytes()).unwrap();
        let r = &p.records[0];
        assert_eq!(r.place.comune.unwrap().code(), "016024");
        assert_eq!(r.hours.unwrap().1, NaiveTime::from_hms_opt(1, 0, 0).unwrap());
        let team = r.team.unwrap();
        assert_eq!((team.operators, team.mediator, team.legal_operator), (3, true, false));
        assert!(r.mapping);
        assert_eq!((r.presences.f, r.presences.t), (4, 1));
    }

    #[test]
    fn errors_name_line_and_column() {
        let ok = "2026-03-03,day,labour,BG,,09:00,12:00,2,no,,no,no,,,";
        let bad = [
            ("2026-03-04,day,indoor,BG,,09:00,12:00,2,no,,no,no,,,", "activity"),
            ("2026-03-04,day,labour,BG,015146,09:00,12:00,2,no,,no,no,,,", "comune"),
            ("2026-03-04,day,labour,BG,,09:00,,2,no,,no,no,,,", "ended"),
            ("2026-03-04,day,labour,BG,,9h,12:00,2,no,,no,no,,,", "started"),
            ("2026-03-04,day,labour,BG,,09:00,12:00,0,no,,no,no,,,", "operators"),
            ("2026-03-04,day,labour,BG,,09:00,12:00,,yes,,no,no,,,", "operators"),
            ("2026-03-04,day,labour,BG,,09:00,12:00,2,no,,no,yes,,,", "mapping"),
            ("2026-03-04,day,labour,BG,,09:00,12:00,2,no,,no,no,-1,,", "presences_m"),
            // The same outing as line 2 with another team; the same stop twice.
            ("2026-03-03,day,labour,BG,016024,09:00,12:00,3,no,,no,no,,,", "operators"),
            ("2026-03-03,day,labour,BG,,09:00,12:00,2,no,,no,no,1,,", "comune"),
        ];
        super::super::cells::assert_each_refused(parse_outings, HEAD, ok, &bad);
    }

    #[test]
    fn the_header_tells_an_outings_file() {
        let has = |cols: &'static [&'static str]| move |c: &str| cols.contains(&c);
        assert!(is_outings_header(has(&["date", "shift", "activity", "province", "operators"])));
        assert!(!is_outings_header(has(&["date", "shift", "activity", "province", "gender", "nationality"])));
        assert!(!is_outings_header(has(&["date", "shift", "activity", "province"])));
    }
}
