//! Reading historical records: CSV files with a header, one row per contact, indoor
//! event, interview or helpline report.
//!
//! # Which kind of file
//!
//! The header tells the kind, so a file is never half-read as the wrong one:
//! - a header with a `kind` column and no `activity` column is an **indoor log**
//!   ([`parse_indoor`]);
//! - a header with `activity`, no `shift`, and a `kind` or `source` column is an
//!   **emersion log** ([`parse_emersion`]): identification interviews and helpline
//!   reports, told apart row by row by `activity` (`identification` or `helpline`), so
//!   one file may mix them;
//! - a header with `shift`, no `gender` or `nationality`, and a column of the team, hours,
//!   mapping or presences (`operators`, `started`, `presences_f`, ...) is an **outings**
//!   file ([`parse_outings`]): one row per stop, what the sheet says of each outing besides
//!   its contacts, empty outings included;
//! - anything else is a **contacts** file ([`parse_contacts`]): street, labour and desk
//!   rows (a desk session is an outing of activity `desk`).
//!
//! # Contacts
//!
//! Required columns: `date` (YYYY-MM-DD), `shift` (day|night), `activity`
//! (street|labour|desk), `province` (sigla), `gender` (M|F|T), `nationality` (code, or a
//! name as the printed reports spell it: "Romania", "Rep. Dominicana", "Non rilevato").
//! Optional: `person` (a code of 1-32 `A-Z a-z 0-9 _ -`: rows with the same code, in one
//! file or in files imported into the same database, are one person; a row without a code
//! is a person of its own; kept only in the encrypted database),
//! `comune` (ISTAT code or exact name, in that province), `age_band`,
//! `first_contact` (yes|no), `protection` (yes|no|unknown), item quantities `condoms`,
//! `female_condoms`, `lubricant`, `leaflets` (+ `leaflet_language`), `food`, `hygiene`,
//! `other_items`; services `information` (yes|no), `listening` and `legal_consultations`
//! (yes|no or how many), `referral` and `accompaniment` (services separated by `;`: legal,
//! health, work, other, or their sub-types such as `sti_test`; each one event, `health:2`
//! for two); `outcomes` (what came of the contact, codes separated by `;`:
//! programme_proposed, programme_accepted, complaint_police, complaint_carabinieri,
//! complaint_other, commissione, return, networking).
//!
//! # Emersion logs
//!
//! Every row: `date` (not after tomorrow), `activity`, `province`, `gender`,
//! `nationality`.
//!
//! `activity` = `identification`: one row per interview. Required `kind`
//! (`social`|`referral`; also `segretariato`) and `person` (the person's code in the
//! register, as in contact imports: a person keeps one gender and nationality). Optional,
//! each what became known that day: `identified` (`yes`|`no`|`pending`), `typology`,
//! `adhesion` (`yes`|`no`|`waiting`), `channel` (commissione, cas_sai, police, health,
//! social_services, helpline, street_unit, self, other), `minor` (yes|no), `place` (a
//! province sigla or `elsewhere`), `indicators` (`;`-list: debt, documents, movement,
//! violence, family, deception, earnings, control, isolation, ritual, recruitment),
//! `requested` (Referral: the day the Commissione's request was received, not after the
//! interview). A person's state is the latest value given of each field, by date and
//! then file order: rows need not be in date order.
//!
//! `typology` takes its codes (trafficking, sexual_street, sexual_indoor,
//! labour_agriculture, labour_firms, labour_households, begging, illegal_economies,
//! forced_marriage, other) in any case, with spaces or dashes for `_` (`Sexual street`,
//! `sexual-street`), an optional leading `sfruttamento`, and these spellings: `tratta`
//! (trafficking); `strada`, `street`, `sessuale strada`, `sessuale in strada`
//! (sexual_street); `indoor`, `sessuale indoor` (sexual_indoor); `agricoltura`,
//! `agriculture`, `lavorativo agricoltura`, `lavorativo in agricoltura`
//! (labour_agriculture); `aziende`, `firms`, `lavorativo aziende`, `lavorativo in
//! aziende` (labour_firms); `domestico`, `lavoro domestico`, `lavorativo domestico`,
//! `households`, `domestic` (labour_households); `accattonaggio` (begging); `economie
//! illegali`, `attività illegali`, `illegal`, `illegal economy` (illegal_economies);
//! `matrimonio forzato`, `matrimonio`, `marriage` (forced_marriage); `altro` (other).
//! `labor` is read as `labour`.
//!
//! `activity` = `helpline`: one row per report from the national helpline. Required
//! `source` (`own`|`agency`); optional `known` (yes|no, default no), `help` (`;`-list:
//! shelter, legal, health, work, return, information, other), `outcome`
//! (`taken`|`referred`|`adhesion`). A column of the other kind of row must be empty.
//!
//! Codes are read in any case. Comma, semicolon (Italian spreadsheets) or tab separated;
//! a UTF-8 byte-order mark is ignored. A file with any error imports nothing: every error
//! says its line and column.

use std::collections::HashMap;
use std::fmt;

use sha2::{Digest, Sha256};

use chrono::NaiveDate;

use crate::domain::emersion::{
    Adhesion, EmersionPlace, Findings, HelpSet, HelplineOutcome, HelplineReport, HelplineSource, IndicatorSet,
    IntakeChannel, InterviewKind, OutcomeSet, Typology, Verdict,
};
use crate::domain::indoor::IndoorRecord;
use crate::domain::outreach::{Campaign, CampaignTag};
use crate::domain::outreach::{LabourSector, LabourSetting};
use crate::domain::rules::{self, IMPORTED_ITEM_QUANTITY_MAX, SITE_NAME_MAX, Violation};
use crate::domain::{
    Activity, AgeBand, Channel, Comune, ContactData, ContactRecord, DomainError, EventKey, EventKind, Gender,
    IndoorKind, ItemKey, ItemKind, Language, Nationality, Place, Protection, Province, Shift, parse_date,
    parse_event_count,
};

// Informative group sessions (issue 15): a file of their own.
mod cells;
mod outings;
mod sessions;
pub use outings::{OutingRecord, PRESENCES_MAX, ParsedOutingLog, parse_outings};
pub use sessions::{ParsedSessionLog, SessionRecord, parse_sessions};

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

/// What an imported contact row says of labour sectors and mapping nights.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportedOutreach {
    /// A labour contact's sector.
    pub sector: Option<LabourSector>,
    /// A labour contact's kind of place.
    pub setting: Option<LabourSetting>,
    /// Its stop was a joint inspection (every row of the stop agrees).
    pub joint_inspection: bool,
    /// Its street outing was part of a mapping night (every row of the outing agrees).
    pub mapping: bool,
}

/// A parsed file: its rows and the SHA-256 of its bytes.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    /// One record per contact.
    pub records: Vec<ContactRecord>,
    /// Each record's labour sector and setting, joint inspection and mapping flag (same
    /// order as `records`).
    pub outreach: Vec<ImportedOutreach>,
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
    /// What came of the contact: a list of outcome codes.
    Outcomes,
    /// Labour rows: the sector, setting and joint-inspection flag; street rows: mapping.
    Outreach(OutreachColumn),
}

/// The optional columns of labour sectors and mapping nights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum OutreachColumn {
    Sector,
    Setting,
    JointInspection,
    Mapping,
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
        "outcomes" | "outcome" => Column::Outcomes,
        "sector" => Column::Outreach(OutreachColumn::Sector),
        "setting" => Column::Outreach(OutreachColumn::Setting),
        "joint_inspection" => Column::Outreach(OutreachColumn::JointInspection),
        "mapping" => Column::Outreach(OutreachColumn::Mapping),
        "other_items" | "item_other" => Column::Item(ItemKind::Other),
        n => return n.strip_prefix("item_").map_or_else(|| item(n), |k| ItemKind::parse(k).ok()).map(Column::Item),
    })
}

const KNOWN_COLUMNS: &str = "date, shift, activity, province, gender, nationality, person, comune, age_band, first_contact, \
                             protection, condoms, female_condoms, lubricant, leaflets, leaflet_language, food, hygiene, \
                             other_items, information, listening, legal_consultations, referral, \
                             accompaniment, outcomes, sector, setting, joint_inspection, mapping";

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
    let (rows, sha256) = read_rows(bytes, optional_column_named, &REQUIRED, KNOWN_COLUMNS, "contact", parse_row)?;
    check_outreach_agrees(&rows)?;
    let (records, outreach): (Vec<ContactRecord>, Vec<_>) = rows.into_iter().map(|(r, o, _)| (r, o)).unzip();
    Ok(ParsedFile { records, outreach, sha256 })
}

/// All rows of one outing (date, shift, activity, province) agree on `mapping`, and all
/// rows of one stop (its comune) on `joint_inspection`: each error names the first row
/// that disagrees, by line and column.
fn check_outreach_agrees(rows: &[(ContactRecord, ImportedOutreach, u64)]) -> Result<(), ImportError> {
    let mut outings: HashMap<(NaiveDate, Shift, Activity, Province), (bool, u64)> = HashMap::new();
    let mut stops: HashMap<(NaiveDate, Shift, Activity, Place), (bool, u64)> = HashMap::new();
    let mut errors = Vec::new();
    for (r, o, line) in rows {
        let outing = (r.date, r.shift, r.activity, r.place.province);
        let &mut (mapping, first) = outings.entry(outing).or_insert((o.mapping, *line));
        if mapping != o.mapping {
            errors.push(LineError {
                line: *line,
                column: Some("mapping".into()),
                message: format!(
                    "the rows of one outing must agree on mapping (line {first} says {})",
                    u8::from(mapping)
                ),
            });
        }
        let &mut (joint, first) =
            stops.entry((r.date, r.shift, r.activity, r.place)).or_insert((o.joint_inspection, *line));
        if joint != o.joint_inspection {
            errors.push(LineError {
                line: *line,
                column: Some("joint_inspection".into()),
                message: format!(
                    "the rows of one stop (outing and comune) must agree on joint_inspection (line {first} says {})",
                    u8::from(joint)
                ),
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

/// The columns a CSV's header names, lower case.
fn header_columns(bytes: &[u8]) -> Vec<String> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let header = body.split(|&b| b == b'\n').next().unwrap_or_default();
    String::from_utf8_lossy(header)
        .split([',', ';', '\t'])
        .map(|c| c.trim().trim_matches('"').trim().to_ascii_lowercase())
        .collect()
}

/// The kinds of file `lanterna import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    /// Street, labour and desk contacts ([`parse_contacts`]).
    Contacts,
    /// An indoor log ([`parse_indoor`]).
    Indoor,
    /// Identification interviews and helpline reports ([`parse_emersion`]).
    Emersion,
    /// Informative group sessions ([`parse_sessions`]).
    Sessions,
    /// Outings: team, hours, mapping and presences, empty outings ([`parse_outings`]).
    Outings,
}

/// What kind of file a CSV is, by its header alone (see the module doc).
pub fn log_kind(bytes: &[u8]) -> LogKind {
    let columns = header_columns(bytes);
    let has = |name: &str| columns.iter().any(|c| c == name);
    if has("kind") && !has("activity") {
        LogKind::Indoor
    } else if sessions::is_sessions_header(has) {
        LogKind::Sessions
    } else if has("activity") && !has("shift") && (has("kind") || has("source")) {
        LogKind::Emersion
    } else if outings::is_outings_header(has) {
        LogKind::Outings
    } else {
        LogKind::Contacts
    }
}

/// True when a CSV's header says it is an indoor log (a `kind` column, no `activity`).
pub fn is_indoor_log(bytes: &[u8]) -> bool {
    log_kind(bytes) == LogKind::Indoor
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
    Campaign,
    MessageLanguage,
    Protection,
    DeclaredAge,
}

const INDOOR_REQUIRED: [(&str, IndoorColumn); 5] = [
    ("date", IndoorColumn::Date),
    ("province", IndoorColumn::Province),
    ("kind", IndoorColumn::Kind),
    ("gender", IndoorColumn::Gender),
    ("nationality", IndoorColumn::Nationality),
];

const INDOOR_KNOWN: &str = "date, province, kind, gender, nationality, outcome, site, channel, campaign, message_language, protection, \
     declared_age";

/// The optional indoor column `name` names (`read_rows` looks up the required ones).
fn indoor_optional_column_named(name: &str) -> Option<IndoorColumn> {
    match name {
        "outcome" => Some(IndoorColumn::Outcome),
        "site" => Some(IndoorColumn::Site),
        "channel" => Some(IndoorColumn::Channel),
        "campaign" => Some(IndoorColumn::Campaign),
        "message_language" => Some(IndoorColumn::MessageLanguage),
        "protection" => Some(IndoorColumn::Protection),
        "declared_age" => Some(IndoorColumn::DeclaredAge),
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
    let (mut campaign, mut message_language) = (None, None);
    let (mut protection, mut declared_age) = (Protection::Unknown, None);
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
            IndoorColumn::Campaign => campaign = Some(Campaign::parse(&value.to_ascii_lowercase()).map_err(dom)?),
            IndoorColumn::MessageLanguage => {
                message_language = Some(Language::parse(&value.to_ascii_lowercase()).map_err(dom)?)
            }
            IndoorColumn::Protection => protection = Protection::parse(&value.to_ascii_lowercase()).map_err(dom)?,
            IndoorColumn::DeclaredAge => {
                let age = value.parse::<u8>().map_err(|_| (name.to_owned(), format!("'{value}' is not an age")))?;
                rules::check_declared_age(age).map_err(|e| (name.to_owned(), e.to_string()))?;
                declared_age = Some(age)
            }
        }
    }
    if message_language.is_some() && campaign.is_none() {
        let name = names.get(&IndoorColumn::MessageLanguage).copied().unwrap_or("message_language");
        return Err((name.to_owned(), "a message language is said only for a campaign message".into()));
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
        campaign: campaign.map(|campaign| CampaignTag { campaign, language: message_language }),
        protection,
        declared_age,
    };
    r.validate().map_err(|e| {
        let (column, default) = match &e {
            DomainError::Invalid { what: "campaign", .. } => (IndoorColumn::Campaign, "campaign"),
            DomainError::Invalid { what: "channel", .. } => (IndoorColumn::Channel, "channel"),
            DomainError::Invalid { what: "protection", .. } => (IndoorColumn::Protection, "protection"),
            DomainError::Invalid { what: "declared_age", .. } => (IndoorColumn::DeclaredAge, "declared_age"),
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
/// `outcome` (reached|not_reached); optional `site` and `channel`, `protection`
/// (yes|no|unknown: calls that reached someone, meetings, massage contacts) and
/// `declared_age` (ads, 14 to 99).
pub fn parse_indoor(bytes: &[u8]) -> Result<ParsedIndoorLog, ImportError> {
    let (records, sha256) =
        read_rows(bytes, indoor_optional_column_named, &INDOOR_REQUIRED, INDOOR_KNOWN, "event", parse_indoor_row)?;
    Ok(ParsedIndoorLog { records, sha256 })
}

fn parse_row(
    headers: &csv::StringRecord,
    columns: &[Column],
    record: &csv::StringRecord,
) -> Result<(ContactRecord, ImportedOutreach, u64), (String, String)> {
    let mut outreach = ImportedOutreach::default();
    let mut outreach_at: Vec<(OutreachColumn, String)> = Vec::new();
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
                let lower = value.to_ascii_lowercase();
                if matches!(lower.as_str(), "identification" | "helpline" | "emersion") {
                    return Err(fail(
                        "interviews and helpline reports go in an emersion log (columns date, activity, kind, \
                         province, person, gender, nationality, ...; no shift)"
                            .into(),
                    ));
                }
                let a = Activity::parse(&lower).map_err(dom)?;
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
            Column::Outcomes => data.outcomes = OutcomeSet::parse_list(&value.to_ascii_lowercase()).map_err(dom)?,
            Column::Outreach(c) => {
                let lower = value.to_ascii_lowercase();
                match c {
                    OutreachColumn::Sector => outreach.sector = Some(LabourSector::parse(&lower).map_err(dom)?),
                    OutreachColumn::Setting => outreach.setting = Some(LabourSetting::parse(&lower).map_err(dom)?),
                    OutreachColumn::JointInspection => outreach.joint_inspection = parse_bool(value).map_err(fail)?,
                    OutreachColumn::Mapping => outreach.mapping = parse_bool(value).map_err(fail)?,
                }
                outreach_at.push((*c, name.to_owned()));
            }
        }
    }
    // Sectors, settings and joint inspections are of labour rows, mapping of street rows
    // (an empty cell or 0 says nothing).
    for (c, name) in outreach_at {
        let (given, of) = match c {
            OutreachColumn::Sector => (outreach.sector.is_some(), Activity::Labour),
            OutreachColumn::Setting => (outreach.setting.is_some(), Activity::Labour),
            OutreachColumn::JointInspection => (outreach.joint_inspection, Activity::Labour),
            OutreachColumn::Mapping => (outreach.mapping, Activity::Street),
        };
        if given && activity.is_some_and(|a| a != of) {
            return Err((name, format!("only {} rows take this column", of.code())));
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
    let line = record.position().map_or(0, |p| p.line());
    let record = ContactRecord {
        activity: activity.expect("required"),
        date: date.expect("required"),
        shift: shift.expect("required"),
        place,
        person,
        data,
    };
    Ok((record, outreach, line))
}

// ---------------------------------------------------------------- emersion logs

/// One interview row of an identification log: who (by their code in the register), when,
/// where, which kind, and what became known at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterviewRecord {
    /// The line of the file it came from (for errors the store finds).
    pub line: u64,
    /// The day.
    pub date: NaiveDate,
    /// The province the unit held it in.
    pub province: Province,
    /// Social secretariat or Referral.
    pub kind: InterviewKind,
    /// The person's code in the register (the same code as in contact imports).
    pub person: String,
    /// The person's gender.
    pub gender: Gender,
    /// The person's nationality.
    pub nationality: Nationality,
    /// What the row says became known (each field given replaces the earlier word).
    pub findings: Findings,
    /// Referral: the day the request was received.
    pub requested: Option<NaiveDate>,
}

/// One row of an emersion log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmersionRecord {
    /// An identification interview.
    Interview(InterviewRecord),
    /// A helpline report (its `id` is 0), with its line.
    Helpline {
        /// The line of the file it came from.
        line: u64,
        /// The report.
        report: HelplineReport,
    },
}

impl EmersionRecord {
    /// The line of the file it came from.
    pub fn line(&self) -> u64 {
        match self {
            EmersionRecord::Interview(r) => r.line,
            EmersionRecord::Helpline { line, .. } => *line,
        }
    }

    /// The day it happened.
    pub fn date(&self) -> NaiveDate {
        match self {
            EmersionRecord::Interview(r) => r.date,
            EmersionRecord::Helpline { report, .. } => report.date,
        }
    }
}

/// A parsed emersion log.
#[derive(Debug, Clone)]
pub struct ParsedEmersionLog {
    /// One record per row, in file order.
    pub records: Vec<EmersionRecord>,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum EmersionColumn {
    Date,
    Activity,
    Province,
    Gender,
    Nationality,
    // Interviews.
    Kind,
    Person,
    Identified,
    Typology,
    Adhesion,
    Channel,
    Minor,
    Place,
    Indicators,
    Requested,
    // Helpline reports.
    Known,
    Source,
    Help,
    Outcome,
}

const EMERSION_REQUIRED: [(&str, EmersionColumn); 5] = [
    ("date", EmersionColumn::Date),
    ("activity", EmersionColumn::Activity),
    ("province", EmersionColumn::Province),
    ("gender", EmersionColumn::Gender),
    ("nationality", EmersionColumn::Nationality),
];

const EMERSION_KNOWN: &str = "date, activity, province, gender, nationality; for identification rows kind, person, \
                              identified, typology, adhesion, channel, minor, place, indicators, requested; for \
                              helpline rows known, source, help, outcome";

/// The columns only identification rows fill.
const INTERVIEW_ONLY: [EmersionColumn; 10] = [
    EmersionColumn::Kind,
    EmersionColumn::Person,
    EmersionColumn::Identified,
    EmersionColumn::Typology,
    EmersionColumn::Adhesion,
    EmersionColumn::Channel,
    EmersionColumn::Minor,
    EmersionColumn::Place,
    EmersionColumn::Indicators,
    EmersionColumn::Requested,
];

/// The columns only helpline rows fill.
const HELPLINE_ONLY: [EmersionColumn; 4] =
    [EmersionColumn::Known, EmersionColumn::Source, EmersionColumn::Help, EmersionColumn::Outcome];

/// The optional emersion column `name` names (`read_rows` looks up the required ones).
fn emersion_optional_column_named(name: &str) -> Option<EmersionColumn> {
    use EmersionColumn as C;
    Some(match name {
        "kind" => C::Kind,
        "person" => C::Person,
        "identified" => C::Identified,
        "typology" => C::Typology,
        "adhesion" => C::Adhesion,
        "channel" => C::Channel,
        "minor" => C::Minor,
        "place" => C::Place,
        "indicators" => C::Indicators,
        "requested" => C::Requested,
        "known" => C::Known,
        "source" => C::Source,
        "help" => C::Help,
        "outcome" => C::Outcome,
        _ => return None,
    })
}

/// Lower case, accents dropped, spaces and dashes as `_`: how free spellings are compared.
fn normalized(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'á' => 'a',
            'è' | 'é' => 'e',
            'ì' | 'í' => 'i',
            'ò' | 'ó' => 'o',
            'ù' | 'ú' => 'u',
            ' ' | '-' | '/' => '_',
            c => c,
        })
        .collect::<String>()
        .split('_')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// A typology: its code, or one of the spellings listed in the module doc.
pub fn parse_typology(s: &str) -> Result<Typology, DomainError> {
    use Typology as T;
    let n = normalized(s);
    if let Ok(t) = Typology::parse(&n) {
        return Ok(t);
    }
    let n = n.strip_prefix("sfruttamento_").unwrap_or(&n);
    Ok(match n {
        "tratta" | "trafficking_for_exploitation" => T::Trafficking,
        "strada" | "street" | "sexual_exploitation_street" | "sessuale_strada" | "sessuale_in_strada" => {
            T::SexualStreet
        }
        "indoor" | "sexual_exploitation_indoor" | "sessuale_indoor" => T::SexualIndoor,
        "agricoltura"
        | "agriculture"
        | "labour_agriculture"
        | "lavorativo_agricoltura"
        | "lavorativo_in_agricoltura"
        | "labor_agriculture" => T::LabourAgriculture,
        "aziende" | "firms" | "lavorativo_aziende" | "lavorativo_in_aziende" | "labor_firms" => T::LabourFirms,
        "domestico" | "lavoro_domestico" | "households" | "domestic" | "lavorativo_domestico" | "labor_households" => {
            T::LabourHouseholds
        }
        "accattonaggio" => T::Begging,
        "economie_illegali" | "attivita_illegali" | "illegal" | "illegal_economy" => T::IllegalEconomies,
        "matrimonio_forzato" | "matrimonio" | "marriage" => T::ForcedMarriage,
        "altro" => T::Other,
        _ => {
            return Err(DomainError::unknown(
                "typology",
                s,
                &format!("{} (or an Italian spelling such as strada, indoor, agricoltura)", typology_codes()),
            ));
        }
    })
}

fn typology_codes() -> String {
    Typology::ALL.iter().map(|t| t.code()).collect::<Vec<_>>().join(", ")
}

/// Parses a `yes|no|pending` identification outcome (also `si`, `in_progress`).
fn parse_verdict(s: &str) -> Result<Verdict, DomainError> {
    let n = normalized(s);
    match n.as_str() {
        "in_progress" | "in_corso" => return Ok(Verdict::Pending),
        _ => {}
    }
    Verdict::parse(&n).or_else(|e| match parse_bool(&n) {
        Ok(true) => Ok(Verdict::Identified),
        Ok(false) => Ok(Verdict::NotIdentified),
        Err(_) => Err(e),
    })
}

/// Parses a `yes|no|waiting` adhesion (also `si`, `in_attesa`).
fn parse_adhesion(s: &str) -> Result<Adhesion, DomainError> {
    let n = normalized(s);
    if n == "in_attesa" || n == "attesa" {
        return Ok(Adhesion::Waiting);
    }
    Adhesion::parse(&n).or_else(|e| match parse_bool(&n) {
        Ok(true) => Ok(Adhesion::Yes),
        Ok(false) => Ok(Adhesion::No),
        Err(_) => Err(e),
    })
}

/// Parses `social|referral` (also `segretariato`, `segretariato sociale`).
fn parse_interview_kind(s: &str) -> Result<InterviewKind, DomainError> {
    let n = normalized(s);
    match n.as_str() {
        "segretariato" | "segretariato_sociale" => Ok(InterviewKind::Social),
        _ => InterviewKind::parse(&n),
    }
}

/// A day of emersion work: a calendar date not after tomorrow.
fn parse_emersion_day(value: &str) -> Result<NaiveDate, String> {
    let d = parse_date(value).map_err(|e| e.to_string())?;
    rules::check_date(d, chrono::Utc::now().date_naive()).map_err(|v| format!("{value}: {v}"))?;
    Ok(d)
}

/// What a row is, by its `activity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EmersionRow {
    Interview,
    Helpline,
}

fn parse_emersion_row(
    headers: &csv::StringRecord,
    columns: &[EmersionColumn],
    record: &csv::StringRecord,
) -> Result<EmersionRecord, (String, String)> {
    use EmersionColumn as C;
    let line = record.position().map_or(0, |p| p.line());
    let mut values: HashMap<EmersionColumn, (&str, &str)> = HashMap::new();
    for ((col, name), value) in columns.iter().zip(headers.iter()).zip(record.iter()) {
        if value.is_empty() {
            if EMERSION_REQUIRED.iter().any(|(_, c)| c == col) {
                return Err((name.to_owned(), "is empty; this column is required".into()));
            }
            continue;
        }
        values.insert(*col, (name, value));
    }
    let (act_name, act) = values.get(&C::Activity).copied().unwrap_or(("activity", ""));
    let row = match normalized(act).as_str() {
        "identification" | "interview" | "colloquio" | "identificazione" => EmersionRow::Interview,
        "helpline" | "numero_verde" => EmersionRow::Helpline,
        "street" | "labour" | "desk" | "indoor" => {
            return Err((
                act_name.to_owned(),
                format!(
                    "'{act}' contacts go in a contacts file (with a shift column), not in an identification or \
                     helpline log"
                ),
            ));
        }
        _ => return Err((act_name.to_owned(), format!("'{act}' is not identification or helpline"))),
    };
    let (foreign, what) = match row {
        EmersionRow::Interview => (&HELPLINE_ONLY[..], "helpline rows"),
        EmersionRow::Helpline => (&INTERVIEW_ONLY[..], "identification rows"),
    };
    for c in foreign {
        if let Some((name, value)) = values.get(c) {
            return Err(((*name).to_owned(), format!("'{value}' is given, but this column is for {what} only")));
        }
    }
    let get = |c: EmersionColumn| values.get(&c).copied();
    // Parses column `c` with `f`, naming the column on error.
    fn field<T>(
        v: Option<(&str, &str)>,
        f: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, (String, String)> {
        match v {
            None => Ok(None),
            Some((name, value)) => f(value).map(Some).map_err(|m| (name.to_owned(), m)),
        }
    }
    let s = |e: DomainError| e.to_string();
    let date = field(get(C::Date), parse_emersion_day)?.expect("required");
    let province = field(get(C::Province), |v| Province::parse(v).map_err(s))?.expect("required");
    let gender = field(get(C::Gender), |v| Gender::parse(&v.to_ascii_uppercase()).map_err(s))?.expect("required");
    let nationality = field(get(C::Nationality), |v| Nationality::parse_code_or_name(v).map_err(s))?.expect("required");
    match row {
        EmersionRow::Interview => {
            let needed = |c: EmersionColumn, name: &str| {
                get(c).ok_or_else(|| (name.to_owned(), "is required on identification rows".to_owned()))
            };
            let kind = field(Some(needed(C::Kind, "kind")?), |v| parse_interview_kind(v).map_err(s))?.expect("given");
            let person = field(Some(needed(C::Person, "person")?), |v| {
                rules::check_person_code(v).map(|()| v.to_owned()).map_err(|e| e.to_string())
            })?
            .expect("given");
            let findings = Findings {
                verdict: field(get(C::Identified), |v| parse_verdict(v).map_err(s))?,
                typology: field(get(C::Typology), |v| parse_typology(v).map_err(s))?,
                adhesion: field(get(C::Adhesion), |v| parse_adhesion(v).map_err(s))?,
                channel: field(get(C::Channel), |v| IntakeChannel::parse(&normalized(v)).map_err(s))?,
                place: field(get(C::Place), |v| {
                    if normalized(v) == "elsewhere" {
                        Ok(EmersionPlace::Elsewhere)
                    } else {
                        EmersionPlace::parse(&v.to_ascii_uppercase()).map_err(s)
                    }
                })?,
                minor: field(get(C::Minor), parse_bool)?,
                indicators: field(get(C::Indicators), |v| IndicatorSet::parse_list(&v.to_lowercase()).map_err(s))?,
            };
            let requested = field(get(C::Requested), parse_emersion_day)?;
            if let Some(r) = requested {
                let name = get(C::Requested).map_or("requested", |(n, _)| n);
                if kind != InterviewKind::Referral {
                    return Err((name.to_owned(), "only a Referral interview answers a request".into()));
                }
                if r > date {
                    return Err((
                        name.to_owned(),
                        format!("the request ({r}) is received after the interview ({date})"),
                    ));
                }
            }
            Ok(EmersionRecord::Interview(InterviewRecord {
                line,
                date,
                province,
                kind,
                person,
                gender,
                nationality,
                findings,
                requested,
            }))
        }
        EmersionRow::Helpline => {
            let source = get(C::Source)
                .ok_or_else(|| ("source".to_owned(), "is required on helpline rows (own or agency)".to_owned()))?;
            let source = field(Some(source), |v| HelplineSource::parse(&normalized(v)).map_err(s))?.expect("given");
            let report = HelplineReport {
                id: 0,
                date,
                province,
                gender,
                nationality,
                known: field(get(C::Known), parse_bool)?.unwrap_or(false),
                source,
                help: field(get(C::Help), |v| HelpSet::parse_list(&v.to_lowercase()).map_err(s))?.unwrap_or_default(),
                outcome: field(get(C::Outcome), |v| HelplineOutcome::parse(&normalized(v)).map_err(s))?,
            };
            Ok(EmersionRecord::Helpline { line, report })
        }
    }
}

/// Parses an emersion log: identification interviews and helpline reports (one row
/// each; a file may mix them), told apart by the `activity` of each row. Nothing is
/// returned unless every row is valid and every person keeps one gender and nationality
/// throughout the file.
pub fn parse_emersion(bytes: &[u8]) -> Result<ParsedEmersionLog, ImportError> {
    let (records, sha256) = read_rows(
        bytes,
        emersion_optional_column_named,
        &EMERSION_REQUIRED,
        EMERSION_KNOWN,
        "interview or helpline",
        parse_emersion_row,
    )?;
    let mut described: HashMap<&str, (Gender, Nationality, u64)> = HashMap::new();
    let mut errors = Vec::new();
    for r in &records {
        let EmersionRecord::Interview(i) = r else { continue };
        let (g, n, first) = *described.entry(i.person.as_str()).or_insert((i.gender, i.nationality, i.line));
        let column = if g != i.gender {
            "gender"
        } else if n != i.nationality {
            "nationality"
        } else {
            continue;
        };
        errors.push(LineError {
            line: i.line,
            column: Some(column.into()),
            message: format!(
                "person {} is {g} {} on line {first}: one person keeps one gender and nationality",
                i.person,
                n.code()
            ),
        });
    }
    if !errors.is_empty() {
        let truncated = errors.len() > MAX_ERRORS;
        errors.truncate(MAX_ERRORS);
        return Err(ImportError { errors, truncated });
    }
    Ok(ParsedEmersionLog { records, sha256 })
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
    fn the_header_tells_the_kind_of_file() {
        assert_eq!(log_kind(b"date,shift,activity,province,gender,nationality\n"), LogKind::Contacts);
        assert_eq!(log_kind(b"date,province,kind,gender,nationality\n"), LogKind::Indoor);
        assert_eq!(log_kind(b"\xEF\xBB\xBFdate;Activity;Kind;province;person;gender;nationality\n"), LogKind::Emersion);
        assert_eq!(log_kind(b"date,activity,province,gender,nationality,source\n"), LogKind::Emersion);
        // Without a shift and without kind or source: a contacts file missing its shift.
        assert_eq!(log_kind(b"date,activity,province,gender,nationality\n"), LogKind::Contacts);
        assert!(!is_indoor_log(b"date,activity,kind,province,person,gender,nationality\n"));
    }

    #[test]
    fn typologies_take_their_codes_and_the_usual_spellings() {
        use Typology as T;
        for (s, t) in [
            ("sexual_street", T::SexualStreet),
            ("Sexual street", T::SexualStreet),
            ("sexual-street", T::SexualStreet),
            ("strada", T::SexualStreet),
            ("Sfruttamento sessuale in strada", T::SexualStreet),
            ("INDOOR", T::SexualIndoor),
            ("agricoltura", T::LabourAgriculture),
            ("labor agriculture", T::LabourAgriculture),
            ("aziende", T::LabourFirms),
            ("lavoro domestico", T::LabourHouseholds),
            ("accattonaggio", T::Begging),
            ("attività illegali", T::IllegalEconomies),
            ("matrimonio forzato", T::ForcedMarriage),
            ("tratta", T::Trafficking),
            ("altro", T::Other),
        ] {
            assert_eq!(parse_typology(s).unwrap(), t, "{s}");
        }
        let e = parse_typology("piracy").unwrap_err().to_string();
        assert!(e.contains("piracy") && e.contains("sexual_street"), "{e}");
    }

    #[test]
    fn interview_and_helpline_rows_parse_in_any_case() {
        let csv = "date,activity,kind,province,person,gender,nationality,identified,adhesion,channel,minor,place,\
                   indicators,requested,source,help,outcome,known\n\
                   2023-03-02,IDENTIFICATION,Referral,bg,P-1,f,Nigeria,Pending,Waiting,Street_Unit,si,Elsewhere,\
                   Debt;RITUAL,2023-03-01,,,,\n\
                   2023-03-03,Helpline,,MI,,T,BR,,,,,,,,Agency,shelter;WORK,Referred,yes\n";
        let parsed = parse_emersion(csv.as_bytes()).unwrap();
        let EmersionRecord::Interview(i) = &parsed.records[0] else { panic!("an interview") };
        assert_eq!((i.line, i.kind, i.person.as_str(), i.gender), (2, InterviewKind::Referral, "P-1", Gender::F));
        assert_eq!(i.findings.verdict, Some(Verdict::Pending));
        assert_eq!(i.findings.adhesion, Some(Adhesion::Waiting));
        assert_eq!(i.findings.channel, Some(IntakeChannel::StreetUnit));
        assert_eq!((i.findings.minor, i.findings.place), (Some(true), Some(EmersionPlace::Elsewhere)));
        assert_eq!(i.findings.indicators.unwrap().to_list(), "debt;ritual");
        assert_eq!(i.requested, Some(parse_date("2023-03-01").unwrap()));
        let EmersionRecord::Helpline { line: 3, report } = &parsed.records[1] else { panic!("a report") };
        assert_eq!(
            (report.source, report.known, report.outcome),
            (HelplineSource::Agency, true, Some(HelplineOutcome::Referred))
        );
        assert_eq!(report.help.to_list(), "shelter;work");
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
