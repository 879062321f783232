//! Reading historical tally sheets: a CSV with a header, one row per contact.
//!
//! Required columns: `date` (YYYY-MM-DD), `shift` (day|night), `activity`
//! (street|labour), `province` (sigla), `gender` (M|F|T), `nationality` (code, or a name
//! as the printed reports spell it: "Romania", "Rep. Dominicana", "Non rilevato").
//! Optional: `person` (a code of 1-32 `A-Z a-z 0-9 _ -`: rows with the same code, in one
//! file or in files imported into the same database, are one person; a row without a code
//! is a person of its own; kept only in the encrypted database),
//! `comune` (ISTAT code or exact name, in that province), `age_band`,
//! `first_contact` (yes|no), `protection` (yes|no|unknown), item quantities `condoms`,
//! `female_condoms`, `lubricant`, `leaflets` (+ `leaflet_language`), `food`, `hygiene`,
//! `other_items`; services `information` (yes|no), `listening` and `legal_consultations`
//! (yes|no or how many), `referral` and `accompaniment` (services separated by `;`: legal,
//! health, work, other, or their sub-types such as `sti_test`; each one event, `health:2`
//! for two).
//!
//! Comma, semicolon (Italian spreadsheets) or tab separated; a UTF-8 byte-order mark is
//! ignored. A file with any error imports nothing: every error says its line and column.

use std::collections::HashMap;
use std::fmt;

use sha2::{Digest, Sha256};

use crate::domain::indoor::IndoorRecord;
use crate::domain::rules::{self, IMPORTED_ITEM_QUANTITY_MAX, SITE_NAME_MAX, Violation};
use crate::domain::{
    Activity, AgeBand, Channel, Comune, ContactData, ContactRecord, DomainError, EventKey, EventKind, Gender,
    IndoorKind, ItemKey, ItemKind, Language, Nationality, Place, Protection, Province, Shift, parse_date,
    parse_event_count,
};

/// Errors reported at most, so a badly broken file does not flood the terminal.
const MAX_ERRORS: usize = 20;

/// One problem in the file, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line in the file (the header is line 1).
    pub line: u64,
    /// The column's name, when the problem is in one field.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "line {}, column '{}': {}", self.line, c, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// Why a file was not imported: every problem found (up to 20).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ImportError {
    /// The problems, in file order.
    pub errors: Vec<LineError>,
    /// True when more problems were left unreported.
    pub truncated: bool,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "nothing was imported:")?;
        for e in &self.errors {
            writeln!(f, "  {e}")?;
        }
        if self.truncated {
            writeln!(f, "  (more errors not shown)")?;
        }
        Ok(())
    }
}

impl ImportError {
    fn one(line: u64, column: Option<&str>, message: impl Into<String>) -> Self {
        ImportError {
            errors: vec![LineError { line, column: column.map(str::to_owned), message: message.into() }],
            truncated: false,
        }
    }
}

/// A parsed file: its rows and the SHA-256 of its bytes.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    /// One record per contact.
    pub records: Vec<ContactRecord>,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Date,
    Shift,
    Activity,
    Province,
    Gender,
    Nationality,
    Comune,
    Person,
    AgeBand,
    FirstContact,
    Protection,
    Item(ItemKind),
    LeafletLanguage,
    Information,
    /// Listening talks or legal consultations: yes/no or how many.
    Talks(EventKind),
    /// Referrals or accompaniments: a list of services or sub-types.
    Events(EventKind),
}

const REQUIRED: [(&str, Column); 6] = [
    ("date", Column::Date),
    ("shift", Column::Shift),
    ("activity", Column::Activity),
    ("province", Column::Province),
    ("gender", Column::Gender),
    ("nationality", Column::Nationality),
];

/// The optional column `name` names (`read_rows` looks up the required ones).
fn optional_column_named(name: &str) -> Option<Column> {
    let item = |s: &str| match s {
        "other" | "items" => None,
        s => ItemKind::parse(s).ok(),
    };
    Some(match name {
        "comune" => Column::Comune,
        "person" => Column::Person,
        "age_band" => Column::AgeBand,
        "first_contact" => Column::FirstContact,
        "protection" => Column::Protection,
        "leaflet_language" => Column::LeafletLanguage,
        "information" => Column::Information,
        "listening" => Column::Talks(EventKind::Listening),
        "legal_consultations" | "legal_consultation" => Column::Talks(EventKind::LegalConsultation),
        "referral" | "referrals" => Column::Events(EventKind::Referral),
        "accompaniment" | "accompaniments" => Column::Events(EventKind::Accompaniment),
        "other_items" | "item_other" => Column::Item(ItemKind::Other),
        n => return n.strip_prefix("item_").map_or_else(|| item(n), |k| ItemKind::parse(k).ok()).map(Column::Item),
    })
}

const KNOWN_COLUMNS: &str = "date, shift, activity, province, gender, nationality, person, comune, age_band, first_contact, \
                             protection, condoms, female_condoms, lubricant, leaflets, leaflet_language, food, hygiene, \
                             other_items, information, listening, legal_consultations, referral, \
                             accompaniment";

/// Picks the separator from the header line: `;` or tab when the header uses them.
fn delimiter(bytes: &[u8]) -> u8 {
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |d: u8| header.iter().filter(|&&b| b == d).count();
    [b',', b';', b'\t'].into_iter().max_by_key(|&d| count(d)).filter(|&d| count(d) > 0).unwrap_or(b',')
}

fn parse_bool(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "si" | "sì" | "x" => Ok(true),
        "no" | "n" | "false" | "0" => Ok(false),
        _ => Err(format!("'{s}' is not yes or no")),
    }
}

fn parse_quantity(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(n) if n <= IMPORTED_ITEM_QUANTITY_MAX => Ok(n),
        Ok(n) => Err(format!("{n} is more than {IMPORTED_ITEM_QUANTITY_MAX} for one person")),
        Err(_) => Err(format!("'{s}' is not a whole number of items")),
    }
}

/// Parses a contacts CSV. Nothing is returned unless every row is valid.
pub fn parse_contacts(bytes: &[u8]) -> Result<ParsedFile, ImportError> {
    let (records, sha256) = read_rows(bytes, optional_column_named, &REQUIRED, KNOWN_COLUMNS, "contact", parse_row)?;
    Ok(ParsedFile { records, sha256 })
}

/// True when a CSV's header says it is an indoor log (it has a `kind` column).
pub fn is_indoor_log(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let header = body.split(|&b| b == b'\n').next().unwrap_or_default();
    String::from_utf8_lossy(header)
        .split([',', ';', '\t'])
        .any(|c| c.trim().trim_matches('"').eq_ignore_ascii_case("kind"))
}

/// Turns one CSV row (with the header and the columns it names) into a record, or says
/// which column is wrong and why.
type RowParser<C, R> = fn(&csv::StringRecord, &[C], &csv::StringRecord) -> Result<R, (String, String)>;

/// Reads a CSV whose header names columns of type `C` and turns every row into an `R`;
/// nothing is returned unless every row is valid. The same rules for every format:
/// UTF-8 (a BOM is ignored), `,` `;` or tab separated, errors by line and column.
fn read_rows<C: Copy + Eq + std::hash::Hash, R>(
    bytes: &[u8],
    optional_column_named: fn(&str) -> Option<C>,
    required: &[(&str, C)],
    known: &str,
    what: &str,
    parse_row: RowParser<C, R>,
) -> Result<(Vec<R>, String), ImportError> {
    let sha256 = sha256_hex(bytes);
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(body) {
        let line = 1 + body[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u64;
        return Err(ImportError::one(line, None, "the file is not UTF-8 text (save it as CSV UTF-8)"));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(body))
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(body);
    let headers =
        reader.headers().map_err(|e| ImportError::one(1, None, format!("cannot read the header: {e}")))?.clone();
    let mut columns: Vec<C> = Vec::new();
    let mut seen: HashMap<C, String> = HashMap::new();
    let mut errors: Vec<LineError> = Vec::new();
    for name in headers.iter() {
        let key = name.trim().to_ascii_lowercase();
        let required_named = required.iter().find(|(n, _)| *n == key).map(|(_, c)| *c);
        match required_named.or_else(|| optional_column_named(&key)) {
            Some(c) => {
                if let Some(prev) = seen.insert(c, key.clone()) {
                    errors.push(LineError {
                        line: 1,
                        column: Some(name.to_owned()),
                        message: format!("the same column appears twice (also as '{prev}')"),
                    });
                }
                columns.push(c);
            }
            None => errors.push(LineError {
                line: 1,
                column: Some(name.to_owned()),
                message: format!("unknown column (known columns: {known})"),
            }),
        }
    }
    for (name, c) in required {
        if !seen.contains_key(c) {
            errors.push(LineError {
                line: 1,
                column: Some((*name).to_owned()),
                message: "required column is missing".into(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(ImportError { errors, truncated: false });
    }

    let mut records = Vec::new();
    let mut truncated = false;
    for result in reader.records() {
        let error = match result {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line());
                if record.iter().all(str::is_empty) {
                    continue;
                }
                match parse_row(&headers, &columns, &record) {
                    Ok(r) => {
                        records.push(r);
                        continue;
                    }
                    Err((column, message)) => LineError { line, column: Some(column), message },
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        format!("{len} fields where the header has {expected_len}")
                    }
                    _ => e.to_string(),
                };
                LineError { line, column: None, message }
            }
        };
        errors.push(error);
        if errors.len() >= MAX_ERRORS {
            truncated = true;
            break;
        }
    }
    if !errors.is_empty() {
        return Err(ImportError { errors, truncated });
    }
    if records.is_empty() {
        return Err(ImportError::one(2, None, format!("the file has a header but no {what} rows")));
    }
    Ok((records, sha256))
}

// ---------------------------------------------------------------- indoor logs

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum IndoorColumn {
    Date,
    Province,
    Kind,
    Gender,
    Nationality,
    Outcome,
    Site,
    Channel,
}

const INDOOR_REQUIRED: [(&str, IndoorColumn); 5] = [
    ("date", IndoorColumn::Date),
    ("province", IndoorColumn::Province),
    ("kind", IndoorColumn::Kind),
    ("gender", IndoorColumn::Gender),
    ("nationality", IndoorColumn::Nationality),
];

const INDOOR_KNOWN: &str = "date, province, kind, gender, nationality, outcome, site, channel";

/// The optional indoor column `name` names (`read_rows` looks up the required ones).
fn indoor_optional_column_named(name: &str) -> Option<IndoorColumn> {
    match name {
        "outcome" => Some(IndoorColumn::Outcome),
        "site" => Some(IndoorColumn::Site),
        "channel" => Some(IndoorColumn::Channel),
        _ => None,
    }
}

fn parse_indoor_row(
    headers: &csv::StringRecord,
    columns: &[IndoorColumn],
    record: &csv::StringRecord,
) -> Result<IndoorRecord, (String, String)> {
    let (mut date, mut province, mut kind, mut gender, mut nationality) = (None, None, None, None, None);
    let (mut reached, mut site, mut channel) = (None, None, None);
    let mut names: HashMap<IndoorColumn, &str> = HashMap::new();
    for ((col, name), value) in columns.iter().zip(headers.iter()).zip(record.iter()) {
        names.insert(*col, name);
        let dom = |e: DomainError| (name.to_owned(), e.to_string());
        if value.is_empty() {
            if INDOOR_REQUIRED.iter().any(|(_, c)| c == col) {
                return Err((name.to_owned(), "is empty; this column is required".into()));
            }
            continue;
        }
        match col {
            IndoorColumn::Date => date = Some(parse_date(value).map_err(dom)?),
            IndoorColumn::Province => province = Some(Province::parse(value).map_err(dom)?),
            IndoorColumn::Kind => kind = Some(IndoorKind::parse(&value.to_ascii_lowercase()).map_err(dom)?),
            IndoorColumn::Gender => gender = Some(Gender::parse(&value.to_ascii_uppercase()).map_err(dom)?),
            IndoorColumn::Nationality => nationality = Some(Nationality::parse_code_or_name(value).map_err(dom)?),
            IndoorColumn::Outcome => {
                reached = Some(match value.to_ascii_lowercase().as_str() {
                    "reached" => true,
                    "not_reached" => false,
                    other => return Err((name.to_owned(), format!("'{other}' is not reached or not_reached"))),
                })
            }
            IndoorColumn::Site => {
                if rules::check_site(value).is_err() {
                    return Err((name.to_owned(), format!("a site name has at most {SITE_NAME_MAX} characters")));
                }
                site = Some(value.to_ascii_lowercase())
            }
            IndoorColumn::Channel => channel = Some(Channel::parse(&value.to_ascii_lowercase()).map_err(dom)?),
        }
    }
    let r = IndoorRecord {
        date: date.expect("required"),
        province: province.expect("required"),
        kind: kind.expect("required"),
        gender: gender.expect("required"),
        nationality: nationality.expect("required"),
        reached,
        site,
        channel,
    };
    r.validate().map_err(|e| {
        let (column, default) = match &e {
            DomainError::Invalid { what: "channel", .. } => (IndoorColumn::Channel, "channel"),
            DomainError::Rule(Violation::Site) => (IndoorColumn::Site, "site"),
            _ => (IndoorColumn::Outcome, "outcome"),
        };
        let name = names.get(&column).copied().unwrap_or(default);
        (name.to_owned(), e.to_string())
    })?;
    Ok(r)
}

/// A parsed indoor log.
#[derive(Debug, Clone)]
pub struct ParsedIndoorLog {
    /// One record per event.
    pub records: Vec<IndoorRecord>,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// Parses an indoor log: one row per event, columns `date`, `province`, `kind`
/// (ad|call|message|meeting|massage), `gender`, `nationality`, and for calls and messages
/// `outcome` (reached|not_reached); optional `site` and `channel`.
pub fn parse_indoor(bytes: &[u8]) -> Result<ParsedIndoorLog, ImportError> {
    let (records, sha256) =
        read_rows(bytes, indoor_optional_column_named, &INDOOR_REQUIRED, INDOOR_KNOWN, "event", parse_indoor_row)?;
    Ok(ParsedIndoorLog { records, sha256 })
}

fn parse_row(
    headers: &csv::StringRecord,
    columns: &[Column],
    record: &csv::StringRecord,
) -> Result<ContactRecord, (String, String)> {
    let mut date = None;
    let mut shift = None;
    let mut activity = None;
    let mut province = None;
    let mut gender = None;
    let mut nationality = None;
    let mut comune_value: Option<(String, String)> = None;
    let mut person = None;
    let mut leaflet_language: Option<Language> = None;
    let mut leaflets = 0u32;
    let mut data = ContactData::new(Gender::F, Nationality::UNKNOWN);
    for ((col, name), value) in columns.iter().zip(headers.iter()).zip(record.iter()) {
        let fail = |m: String| (name.to_owned(), m);
        let dom = |e: DomainError| (name.to_owned(), e.to_string());
        if value.is_empty() {
            if REQUIRED.iter().any(|(_, c)| c == col) {
                return Err(fail("is empty; this column is required".into()));
            }
            continue;
        }
        match col {
            Column::Date => date = Some(parse_date(value).map_err(dom)?),
            Column::Shift => shift = Some(Shift::parse(&value.to_ascii_lowercase()).map_err(dom)?),
            Column::Activity => {
                let a = Activity::parse(&value.to_ascii_lowercase()).map_err(dom)?;
                if rules::check_outing_activity(a).is_err() {
                    return Err(fail(
                        "indoor work goes in an indoor log (columns date, province, kind, gender, nationality, ...)"
                            .into(),
                    ));
                }
                activity = Some(a);
            }
            Column::Province => province = Some(Province::parse(value).map_err(dom)?),
            Column::Gender => gender = Some(Gender::parse(&value.to_ascii_uppercase()).map_err(dom)?),
            Column::Nationality => nationality = Some(Nationality::parse_code_or_name(value).map_err(dom)?),
            Column::Comune => comune_value = Some((name.to_owned(), value.to_owned())),
            Column::Person => {
                rules::check_person_code(value).map_err(|v| fail(v.to_string()))?;
                person = Some(value.to_owned());
            }
            Column::AgeBand => data.age_band = Some(AgeBand::parse(&value.to_ascii_lowercase()).map_err(dom)?),
            Column::FirstContact => data.first_contact = Some(parse_bool(value).map_err(fail)?),
            Column::Protection => {
                data.protection = match parse_bool(value) {
                    Ok(true) => Protection::Yes,
                    Ok(false) => Protection::No,
                    Err(_) => Protection::parse(&value.to_ascii_lowercase()).map_err(dom)?,
                }
            }
            Column::Item(ItemKind::Leaflets) => leaflets = parse_quantity(value).map_err(fail)?,
            Column::Item(kind) => data.items.set(ItemKey::plain(*kind), parse_quantity(value).map_err(fail)?),
            Column::LeafletLanguage => {
                leaflet_language = Some(Language::parse(&value.to_ascii_lowercase()).map_err(dom)?)
            }
            Column::Information => data.services.information = parse_bool(value).map_err(fail)?,
            Column::Talks(kind) => {
                let n = match parse_bool(value) {
                    Ok(yes) => u32::from(yes),
                    Err(_) => parse_event_count(value).map_err(dom)?,
                };
                data.services.add(EventKey::new(*kind, None), n).map_err(dom)?;
            }
            Column::Events(kind) => data.services.add_list(*kind, &value.to_ascii_lowercase()).map_err(dom)?,
        }
    }
    if leaflets > 0 {
        data.items.set(ItemKey::leaflets(leaflet_language.unwrap_or(Language::Undetermined)), leaflets);
    } else if let Some(lang) = leaflet_language {
        return Err(("leaflet_language".into(), format!("'{}' is given but no leaflets were handed out", lang.code())));
    }
    // Required columns are present in the header and non-empty, so all are set.
    let province = province.expect("required");
    let place = match comune_value {
        Some((name, value)) => Place::comune(Comune::resolve(&value, province).map_err(|e| (name, e.to_string()))?),
        None => Place::province(province),
    };
    data.gender = gender.expect("required");
    data.nationality = nationality.expect("required");
    Ok(ContactRecord {
        activity: activity.expect("required"),
        date: date.expect("required"),
        shift: shift.expect("required"),
        place,
        person,
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ServiceKind;

    fn errors(csv: &str) -> Vec<String> {
        parse_contacts(csv.as_bytes()).unwrap_err().errors.iter().map(|e| e.to_string()).collect()
    }

    const HEAD: &str = "date,shift,activity,province,gender,nationality";

    #[test]
    fn parses_minimal_and_full_rows() {
        let csv = format!(
            "{HEAD},comune,age_band,first_contact,protection,condoms,leaflets,leaflet_language,referral,listening,\
             accompaniment,legal_consultations\n\
             2023-03-01,night,street,BS,F,RO,017029,minor,yes,no,5,2,ro,health;legal,yes,health:2;sti_test,3\n\
             2023-03-01,day,labour,bs,m,pk,,,,,,,,,,,\n"
        );
        let parsed = parse_contacts(csv.as_bytes()).unwrap();
        assert_eq!(parsed.records.len(), 2);
        let a = &parsed.records[0];
        assert_eq!(a.place.comune.unwrap().name(), "Brescia");
        assert!(a.data.is_minor());
        assert_eq!(a.data.items.get(ItemKey::leaflets(Language::Romanian)), 2);
        assert_eq!(a.data.items.get(ItemKey::plain(ItemKind::Condoms)), 5);
        let s = &a.data.services;
        assert_eq!(s.count(EventKind::Referral, Some(ServiceKind::Legal)), 1);
        assert_eq!(s.count(EventKind::Referral, Some(ServiceKind::Health)), 1);
        assert_eq!(s.count(EventKind::Listening, None), 1);
        assert_eq!(s.count(EventKind::Accompaniment, Some(ServiceKind::Health)), 3);
        assert_eq!(s.get(EventKey::sub(EventKind::Accompaniment, crate::domain::ServiceSubtype::StiTest)), 1);
        assert_eq!(s.count(EventKind::LegalConsultation, None), 3);
        assert_eq!(parsed.records[1].data.gender, Gender::M);
        assert_eq!(parsed.records[1].place.comune, None);
        assert_eq!(parsed.sha256.len(), 64);
    }

    #[test]
    fn nationalities_may_be_spelled_as_the_printed_reports_do() {
        let rows: String =
            ["Rep. Dominicana", "Costa Avorio", "Guinea Conakry", "Portorico", "Est Europa", "Non rilevato"]
                .iter()
                .map(|n| format!("2023-03-01,night,street,BS,F,{n}\n"))
                .collect();
        let parsed = parse_contacts(format!("{HEAD}\n{rows}").as_bytes()).unwrap();
        let codes: Vec<_> = parsed.records.iter().map(|r| r.data.nationality.code()).collect();
        assert_eq!(codes, ["DO", "CI", "GN", "PR", "XE", "ZZ"]);
        let e = errors(&format!("{HEAD}\n2023-03-01,night,street,BS,F,Atlantide\n"));
        assert!(e[0].starts_with("line 2, column 'nationality': unknown nationality 'Atlantide'"), "{e:?}");
    }

    #[test]
    fn event_counts_are_bounded() {
        let e = errors(&format!("{HEAD},accompaniment\n2023-03-01,night,street,BS,F,RO,health:0\n"));
        assert!(e[0].contains("column 'accompaniment'"), "{e:?}");
        let e = errors(&format!("{HEAD},listening\n2023-03-01,night,street,BS,F,RO,500\n"));
        assert!(e[0].contains("column 'listening'"), "{e:?}");
        let e = errors(&format!("{HEAD},referral\n2023-03-01,night,street,BS,F,RO,dentist\n"));
        assert!(e[0].contains("unknown service"), "{e:?}");
    }

    #[test]
    fn semicolons_and_bom_are_accepted() {
        let csv = "\u{feff}date;shift;activity;province;gender;nationality\r\n2023-03-01;night;street;MI;T;BR\r\n";
        assert_eq!(parse_contacts(csv.as_bytes()).unwrap().records.len(), 1);
    }

    #[test]
    fn every_error_says_line_and_column() {
        let e = errors(&format!("{HEAD}\n2023-03-01,night,street,BS,F,RO\n2023-02-30,night,street,BS,F,RO\n"));
        assert_eq!(e, ["line 3, column 'date': invalid date: '2023-02-30' is not a calendar date YYYY-MM-DD"]);
        let e = errors(&format!("{HEAD}\n2023-03-01,evening,street,XY,Q,RO\n"));
        assert!(e[0].starts_with("line 2, column 'shift': unknown shift 'evening'"), "{e:?}");
        let e = errors(&format!("{HEAD},colour\n2023-03-01,night,street,BS,F,RO,red\n"));
        assert!(e[0].starts_with("line 1, column 'colour': unknown column"), "{e:?}");
        let e = errors("date,shift,activity,province,gender\n2023-03-01,night,street,BS,F\n");
        assert_eq!(e, ["line 1, column 'nationality': required column is missing"]);
        let e = errors(&format!("{HEAD}\n2023-03-01,night,street,BS,F\n"));
        assert_eq!(e, ["line 2: 5 fields where the header has 6"]);
        let e = errors(&format!("{HEAD},comune\n2023-03-01,night,street,BS,F,RO,015146\n"));
        assert!(e[0].contains("column 'comune'") && e[0].contains("Milano"), "{e:?}");
        let e = errors(&format!("{HEAD},condoms\n2023-03-01,night,street,BS,F,RO,-1\n"));
        assert!(e[0].contains("column 'condoms'"), "{e:?}");
        let e = errors(&format!("{HEAD}\n2023-03-01,night,street,BS,,RO\n"));
        assert_eq!(e, ["line 2, column 'gender': is empty; this column is required"]);
        assert_eq!(errors(HEAD), ["line 2: the file has a header but no contact rows"]);
        let bad = parse_contacts(b"date,shift\n\xff\xfe\n").unwrap_err().to_string();
        assert!(bad.contains("line 2") && bad.contains("UTF-8"), "{bad}");
        let many: String = (0..50).map(|_| "2023-03-01,night,street,BS,F,QQ\n").collect();
        let err = parse_contacts(format!("{HEAD}\n{many}").as_bytes()).unwrap_err();
        assert_eq!(err.errors.len(), MAX_ERRORS);
        assert!(err.truncated);
    }
}
