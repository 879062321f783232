//! What travels between a phone and the sync endpoint, version 1. Nothing here can hold
//! free text: every string is a code from a closed list, a date, a UUID or a random
//! enrollment code or token with a fixed pattern (`tests/wire_schema.rs` walks the JSON
//! Schema and fails on any other string). The unit is never in the payload: the server
//! knows it from the device's token.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDate;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::indoor::{self, IndoorSession};
use crate::domain::outreach::SessionPlace;
use crate::domain::{
    Activity, Bucket, CellKey, Comune, Gender, Language, Measure, Nationality, Outing, Place, Province, Shift, Tally,
};

#[cfg(feature = "wire-body")]
pub mod body;

/// Where version 1 of the API lives.
pub const API_PREFIX: &str = "/api/v1";

/// Pattern of an enrollment code: four groups of four from an alphabet without 0/O/1/I.
pub const CODE_PATTERN: &str = "^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$";
/// Pattern of a device token: 64 lowercase hex digits.
pub const TOKEN_PATTERN: &str = "^[0-9a-f]{64}$";

/// The request header a phone sends to say which version of the batch answer it reads:
/// [`SYNC_VERSION`] and above read per-summary refusals ([`AckStatus::Refused`]). A
/// request without it gets the answers of version 1: one summary the server refuses
/// refuses the whole batch (422), so an older phone never meets a status it cannot parse.
pub const SYNC_VERSION_HEADER: &str = "lanterna-sync";
/// The version of the batch answer this build reads.
pub const SYNC_VERSION: u32 = 2;

/// What a server accepts at most, checked on every summary. The defaults are the
/// domain's limits ([`crate::domain::rules`]), the most a phone records; a server may
/// lower them, never raise them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Summaries in one request.
    pub summaries_per_batch: usize,
    /// Cells in one summary.
    pub cells_per_summary: usize,
    /// Comuni in one summary.
    pub comuni_per_summary: usize,
    /// The count of one cell.
    pub count_per_cell: u32,
}

impl Default for Limits {
    fn default() -> Self {
        use crate::domain::rules::{CELLS_PER_SUMMARY_MAX, COMUNI_PER_SUMMARY_MAX, COUNT_PER_CELL_MAX};
        Limits {
            summaries_per_batch: 500,
            cells_per_summary: CELLS_PER_SUMMARY_MAX,
            comuni_per_summary: COMUNI_PER_SUMMARY_MAX,
            count_per_cell: COUNT_PER_CELL_MAX,
        }
    }
}

/// One request: many summaries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    /// The summaries, each acknowledged by id and revision.
    pub summaries: Vec<Summary>,
    /// Persons met per reporting period, each acknowledged by its key and revision.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<PersonSummary>,
}

/// The distinct persons one phone met in one reporting period, activity and province:
/// counts per shift × nationality × gender, never who. The phone re-sends it with a
/// higher revision whenever an edit changes a count. A person met by two phones of a
/// unit is counted by each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonSummary {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period, included.
    pub to: NaiveDate,
    /// Street, labour or desk (persons met), or emersion (interviews, outcomes and
    /// helpline reports of the period: cells of `id.*`, `outcome.*` and `helpline.*`
    /// measures, by day).
    pub activity: Activity,
    /// The province.
    pub province: Province,
    /// Higher replaces lower for the same period, activity and province.
    pub revision: u32,
    /// The counts; none when every person of the period was taken back.
    #[serde(default)]
    pub cells: Vec<PersonCell>,
}

/// Persons of one shift × nationality × gender: `m` is `persons` or one of its "di cui"
/// (`persons.new`, `persons.known`, `persons.minors`, `persons.protection`); under
/// activity emersion, an emersion count of the period by day (`id.social.persons`,
/// `outcome.complaint_police`, `helpline.reports`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonCell {
    /// Day or night outings.
    pub shift: Shift,
    /// Nationality code.
    #[serde(rename = "nat")]
    pub nationality: Nationality,
    /// M, F or T.
    #[serde(rename = "g")]
    pub gender: Gender,
    /// What is counted.
    #[serde(rename = "m")]
    pub measure: Measure,
    /// How many persons.
    #[serde(rename = "n")]
    pub count: u32,
}

/// What the server did with a period's persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonAck {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// Street or labour.
    pub activity: Activity,
    /// The province.
    pub province: Province,
    /// The revision as sent.
    pub revision: u32,
    /// Stored, ignored or refused.
    pub status: AckStatus,
    /// Why it was refused (only with [`AckStatus::Refused`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Refusal>,
}

/// A reporting period the server publishes: a named one a coordinator added (calendar
/// months, quarters and years are implied and not listed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishedPeriod {
    /// The coordinator's name for it (server to phone only).
    pub name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day, included.
    pub to: NaiveDate,
}

/// `GET /api/v1/periods`: the named periods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodsResponse {
    /// Every named period, oldest first.
    pub periods: Vec<PublishedPeriod>,
    /// The dates of national mapping nights the coordinators set, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mapping_nights: Vec<NaiveDate>,
}

/// Why a coordinator returned an outing to its unit: a closed list, so no free text
/// crosses to the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReturnReason {
    /// The counts need checking.
    Counts,
    /// The outing is under the wrong province.
    Province,
    /// The outing has the wrong date.
    Date,
    /// The outing is a duplicate of another.
    Duplicate,
    /// Anything else (said in person, never in the app).
    Other,
}

impl ReturnReason {
    /// Every reason, in the order the console offers them.
    pub const ALL: [ReturnReason; 5] = [
        ReturnReason::Counts,
        ReturnReason::Province,
        ReturnReason::Date,
        ReturnReason::Duplicate,
        ReturnReason::Other,
    ];

    /// Its code in URLs, forms and the store.
    pub fn code(self) -> &'static str {
        match self {
            ReturnReason::Counts => "counts",
            ReturnReason::Province => "province",
            ReturnReason::Date => "date",
            ReturnReason::Duplicate => "duplicate",
            ReturnReason::Other => "other",
        }
    }

    /// Parses a code.
    pub fn parse(s: &str) -> Option<ReturnReason> {
        ReturnReason::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Its words, Italian first.
    pub fn label(self, lang: crate::domain::Lang) -> &'static str {
        let (it, en) = match self {
            ReturnReason::Counts => ("conteggi da verificare", "counts to check"),
            ReturnReason::Province => ("provincia errata", "wrong province"),
            ReturnReason::Date => ("data errata", "wrong date"),
            ReturnReason::Duplicate => ("duplicato", "duplicate"),
            ReturnReason::Other => ("altro", "other"),
        };
        if lang == crate::domain::Lang::En { en } else { it }
    }
}

/// A coordinator's verdict on one revision of an outing or session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Checked and accepted.
    Approved,
    /// Sent back to the unit to correct.
    Returned,
}

/// One review as the phone learns it: the outing's id and the revision reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    /// The outing's or session's id.
    pub id: Uuid,
    /// The revision the coordinator reviewed; a later revision is "to review" again.
    pub revision: u32,
    /// Approved or returned.
    pub state: ReviewState,
    /// Why it was returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ReturnReason>,
}

/// A period a coordinator closed for the device's unit: later revisions of outings dated
/// in it are refused (409) until it is reopened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosedPeriod {
    /// First day.
    pub from: NaiveDate,
    /// Last day, included.
    pub to: NaiveDate,
}

impl ClosedPeriod {
    /// Whether `date` falls in it.
    pub fn contains(&self, date: NaiveDate) -> bool {
        (self.from..=self.to).contains(&date)
    }
}

/// `GET /api/v1/feedback`: the latest review of every outing of the device's unit, and
/// the periods closed for it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackResponse {
    /// The latest review of each reviewed outing or session of the unit.
    pub reviews: Vec<Feedback>,
    /// The periods closed for the unit (directly or through its project).
    pub closed: Vec<ClosedPeriod>,
}

/// The body of a 409 to `POST /api/v1/summaries`: nothing of the batch was stored because
/// these summaries and periods' persons fall in periods a coordinator closed. The phone
/// keeps them pending and sends the rest again without them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosedRefusal {
    /// What was wrong, in words (server to phone only).
    pub error: String,
    /// The summaries refused.
    pub closed: Vec<Uuid>,
    /// The periods' persons refused.
    #[serde(default)]
    pub closed_persons: Vec<PersonKey>,
}

/// Which period's persons: the key the server keeps them under for a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonKey {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// Street or labour.
    pub activity: Activity,
    /// The province.
    pub province: Province,
}

impl PersonSummary {
    /// The key it is kept under.
    pub fn key(&self) -> PersonKey {
        PersonKey { from: self.from, to: self.to, activity: self.activity, province: self.province }
    }
}

/// The aggregated counts of one outing or indoor session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// The outing's or session's random id.
    pub id: Uuid,
    /// Higher replaces lower; equal or lower is acknowledged and ignored.
    pub revision: u32,
    /// A deleted outing: no cells, and it replaces what was sent before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
    /// Street, labour or indoor.
    pub activity: Activity,
    /// The day (Europe/Rome).
    pub date: NaiveDate,
    /// Day or night (indoor: day).
    pub shift: Shift,
    /// The province of its first stop (indoor: of the ads).
    pub province: Province,
    /// ISTAT codes of its stops' comuni.
    #[serde(default)]
    pub comuni: Vec<Comune>,
    /// The counts.
    #[serde(default)]
    pub cells: Vec<Cell>,
    /// Who went and for how long (outings and sessions whose team was said).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<crate::domain::outreach::Team>,
    /// Minutes from start to end, when both are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    /// Part of a national mapping night.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mapping: bool,
    /// An informative session's place, themes, languages and head counts (activity
    /// `session` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<crate::domain::outreach::SessionFacts>,
}

/// One count: nationality × gender × measure, in the summary's province unless another
/// is given (an outing whose stops crossed a border).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    /// Another province than the summary's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<Province>,
    /// Nationality code.
    #[serde(rename = "nat")]
    pub nationality: Nationality,
    /// M, F or T.
    #[serde(rename = "g")]
    pub gender: Gender,
    /// What is counted.
    #[serde(rename = "m")]
    pub measure: Measure,
    /// How many.
    #[serde(rename = "n")]
    pub count: u32,
}

/// The answer to a batch: one acknowledgement per summary, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchResponse {
    /// The acknowledgements.
    pub acks: Vec<Ack>,
    /// One acknowledgement per period's persons, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub person_acks: Vec<PersonAck>,
}

/// What the server did with a summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ack {
    /// The summary.
    pub id: Uuid,
    /// Its revision as sent.
    pub revision: u32,
    /// Stored, ignored (the server had this revision or a higher one) or refused.
    pub status: AckStatus,
    /// Why it was refused (only with [`AckStatus::Refused`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Refusal>,
}

impl Ack {
    /// Stored or ignored: no reason.
    pub fn new(id: Uuid, revision: u32, status: AckStatus) -> Ack {
        Ack { id, revision, status, reason: None }
    }

    /// Refused, and why.
    pub fn refused(id: Uuid, revision: u32, reason: Refusal) -> Ack {
        Ack { id, revision, status: AckStatus::Refused, reason: Some(reason) }
    }
}

/// Stored, ignored or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AckStatus {
    /// Now the server's copy.
    Stored,
    /// Equal to or older than the server's copy: nothing changed.
    Ignored,
    /// Not stored, for the reason given: this revision will never be stored, so the phone
    /// marks it and stops sending it; a new revision (an edit) is judged again. Sent only
    /// to phones that read [`SYNC_VERSION`] 2.
    Refused,
}

/// Why the server refused one summary or one period's persons: a closed list, so no free
/// text crosses to the phone (the phone says each in the unit's language).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// Revision 0.
    Revision,
    /// A deleted summary with cells.
    DeletedWithCells,
    /// More cells than the server accepts in one summary.
    TooManyCells,
    /// More comuni than the server accepts in one summary.
    TooManyComuni,
    /// A cell counting 0, or more than the server accepts for one outing or session.
    CellOverLimit,
    /// The same cell twice.
    DuplicateCell,
    /// A measure of another activity (indoor measures outside indoor, persons measures
    /// in a summary, other measures in persons).
    MeasureActivity,
    /// An indoor session by night.
    IndoorNight,
    /// A date before the unit's history on the server starts, or after tomorrow.
    DateOutOfRange,
    /// A persons period that runs backwards or is too long.
    PersonsPeriod,
    /// Persons of an activity other than street, labour, desk or emersion.
    PersonsActivity,
}

impl Refusal {
    /// Every reason.
    pub const ALL: [Refusal; 11] = [
        Refusal::Revision,
        Refusal::DeletedWithCells,
        Refusal::TooManyCells,
        Refusal::TooManyComuni,
        Refusal::CellOverLimit,
        Refusal::DuplicateCell,
        Refusal::MeasureActivity,
        Refusal::IndoorNight,
        Refusal::DateOutOfRange,
        Refusal::PersonsPeriod,
        Refusal::PersonsActivity,
    ];

    /// Its code on the wire and in the phone's store.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Revision => "revision",
            Refusal::DeletedWithCells => "deleted_with_cells",
            Refusal::TooManyCells => "too_many_cells",
            Refusal::TooManyComuni => "too_many_comuni",
            Refusal::CellOverLimit => "cell_over_limit",
            Refusal::DuplicateCell => "duplicate_cell",
            Refusal::MeasureActivity => "measure_activity",
            Refusal::IndoorNight => "indoor_night",
            Refusal::DateOutOfRange => "date_out_of_range",
            Refusal::PersonsPeriod => "persons_period",
            Refusal::PersonsActivity => "persons_activity",
        }
    }

    /// Parses a code.
    pub fn parse(s: &str) -> Option<Refusal> {
        Refusal::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Its words, Italian or English.
    pub fn label(self, lang: crate::domain::Lang) -> &'static str {
        let (it, en) = match self {
            Refusal::Revision => ("revisione non valida", "invalid revision"),
            Refusal::DeletedWithCells => ("eliminata ma con conteggi", "deleted but with counts"),
            Refusal::TooManyCells => ("troppe voci in un'uscita", "too many counts in one outing"),
            Refusal::TooManyComuni => ("troppi comuni in un'uscita", "too many comuni in one outing"),
            Refusal::CellOverLimit => {
                ("un conteggio oltre il massimo per uscita", "a count over the per-outing maximum")
            }
            Refusal::DuplicateCell => ("un conteggio ripetuto", "a count appears twice"),
            Refusal::MeasureActivity => ("un conteggio di un'altra attività", "a count of another activity"),
            Refusal::IndoorNight => ("indoor solo di giorno", "indoor has no night shift"),
            Refusal::DateOutOfRange => ("data fuori dall'intervallo ammesso", "date outside the allowed range"),
            Refusal::PersonsPeriod => ("periodo non valido", "invalid period"),
            Refusal::PersonsActivity => ("persone solo per strada e lavoro", "persons only for street and labour"),
        };
        if lang == crate::domain::Lang::En { en } else { it }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label(crate::domain::Lang::En))
    }
}

/// A summary or a period's persons that breaks a rule: the code the phone gets, and the
/// words the server's log and version-1 answers use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    /// Why, as a code.
    pub reason: Refusal,
    /// What is wrong, in English.
    pub message: String,
}

fn invalid(reason: Refusal, message: String) -> Invalid {
    Invalid { reason, message }
}

/// Enrolling a device with a one-time code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// The code `lanterna-server enroll UNIT` printed.
    #[schemars(regex(pattern = CODE_PATTERN))]
    pub code: String,
}

/// The device's token, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrollResponse {
    /// Bearer token for every later request.
    #[schemars(regex(pattern = TOKEN_PATTERN))]
    pub token: String,
    /// The device's id (to revoke it).
    pub device: Uuid,
}

/// Every 4xx and 5xx answer: what was wrong, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What was wrong.
    pub error: String,
}

impl Summary {
    /// Checks a summary against the limits and the rules of the field; the error says
    /// what is wrong.
    pub fn validate(&self, limits: &Limits) -> Result<(), Invalid> {
        let id = self.id;
        if self.revision == 0 {
            return Err(invalid(Refusal::Revision, format!("summary {id}: revision starts at 1")));
        }
        if self.deleted && !self.cells.is_empty() {
            return Err(invalid(Refusal::DeletedWithCells, format!("summary {id}: a deleted summary has no cells")));
        }
        if self.cells.len() > limits.cells_per_summary {
            return Err(invalid(
                Refusal::TooManyCells,
                format!("summary {id}: {} cells, more than the {} allowed", self.cells.len(), limits.cells_per_summary),
            ));
        }
        if self.comuni.len() > limits.comuni_per_summary {
            return Err(invalid(
                Refusal::TooManyComuni,
                format!("summary {id}: {} comuni, more than {}", self.comuni.len(), limits.comuni_per_summary),
            ));
        }
        if !crate::domain::rules::has_summaries(self.activity) {
            return Err(invalid(
                Refusal::MeasureActivity,
                format!("summary {id}: activity {} has no outings or sessions: it is sent per period", self.activity),
            ));
        }
        let indoor = self.activity == Activity::Indoor;
        let mut seen = HashSet::new();
        for c in &self.cells {
            if c.count == 0 || c.count > limits.count_per_cell {
                return Err(invalid(
                    Refusal::CellOverLimit,
                    format!(
                        "summary {id}: count {} of cell {}/{}/{} is outside 1..={}",
                        c.count, c.nationality, c.gender, c.measure, limits.count_per_cell
                    ),
                ));
            }
            if indoor != c.measure.is_indoor() && (c.measure.is_indoor() || c.measure == Measure::Contacts) {
                return Err(invalid(
                    Refusal::MeasureActivity,
                    format!("summary {id}: measure {} does not belong to activity {}", c.measure, self.activity),
                ));
            }
            if c.measure.is_person() || c.measure.is_emersion() {
                return Err(invalid(
                    Refusal::MeasureActivity,
                    format!("summary {id}: measure {} is counted per period, not per outing or session", c.measure),
                ));
            }
            if !seen.insert((c.province, c.nationality, c.gender, c.measure)) {
                return Err(invalid(
                    Refusal::DuplicateCell,
                    format!("summary {id}: cell {}/{}/{} appears twice", c.nationality, c.gender, c.measure),
                ));
            }
        }
        if indoor && self.shift != Shift::Day {
            return Err(invalid(Refusal::IndoorNight, format!("summary {id}: indoor sessions have no night shift")));
        }
        self.validate_session()
    }

    /// An informative session (activity `session`) carries its facts and no cells, by day;
    /// no other summary carries session facts, and a deleted one carries none.
    fn validate_session(&self) -> Result<(), Invalid> {
        let id = self.id;
        let wrong = |m: String| Err(invalid(Refusal::MeasureActivity, format!("summary {id}: {m}")));
        if self.activity != Activity::Session {
            return match self.session {
                Some(_) => wrong(format!("activity {} carries no session facts", self.activity)),
                None => Ok(()),
            };
        }
        if !self.cells.is_empty() {
            return wrong("an informative session has no cells: its head counts travel as its facts".into());
        }
        if self.shift != Shift::Day {
            return wrong("an informative session is by day".into());
        }
        match (self.deleted, self.session) {
            (true, None) => Ok(()),
            (true, Some(_)) => wrong("a deleted session carries no facts".into()),
            (false, None) => wrong("an informative session without its facts".into()),
            (false, Some(f)) => {
                let bad = |e: crate::domain::DomainError| invalid(Refusal::CellOverLimit, format!("summary {id}: {e}"));
                f.checked().map_err(bad)?;
                if let Some(t) = self.team {
                    t.checked().map_err(bad)?;
                }
                Ok(())
            }
        }
    }

    /// The summary's counts, bucketed like the phone's own tally.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::new();
        self.add_to(&mut t);
        t
    }

    /// Adds the counts to a tally.
    pub fn add_to(&self, t: &mut Tally) {
        for c in &self.cells {
            let province = c.province.unwrap_or(self.province);
            let bucket = if self.activity == Activity::Indoor {
                indoor::bucket(province)
            } else {
                Bucket { activity: self.activity, province, shift: self.shift }
            };
            t.add(bucket, CellKey { nationality: c.nationality, gender: c.gender, measure: c.measure }, c.count.into());
        }
    }

    /// The cells of a tally (one outing's or session's), relative to `province`.
    pub fn cells_of(tally: &Tally, province: Province) -> Vec<Cell> {
        tally
            .iter()
            .map(|(b, c, n)| Cell {
                province: (b.province != province).then_some(b.province),
                nationality: c.nationality,
                gender: c.gender,
                measure: c.measure,
                count: u32::try_from(n).unwrap_or(u32::MAX),
            })
            .collect()
    }
}

impl PersonSummary {
    /// The longest period a phone sends persons for, in days (a call for proposals of
    /// a few years at most).
    pub const MAX_DAYS: i64 = 5 * 366;

    /// Checks a period's persons against the limits; the error says what is wrong.
    pub fn validate(&self, limits: &Limits) -> Result<(), Invalid> {
        let key = format!("persons {}..{} {} {}", self.from, self.to, self.activity, self.province);
        if self.revision == 0 {
            return Err(invalid(Refusal::Revision, format!("{key}: revision starts at 1")));
        }
        if self.from > self.to || (self.to - self.from).num_days() >= Self::MAX_DAYS {
            return Err(invalid(
                Refusal::PersonsPeriod,
                format!("{key}: the period must run forwards and last at most {} days", Self::MAX_DAYS),
            ));
        }
        if !crate::domain::rules::sends_persons(self.activity) {
            return Err(invalid(
                Refusal::PersonsActivity,
                format!("{key}: persons are counted for street, labour and desk outings and for emersion only"),
            ));
        }
        let emersion = self.activity == Activity::Emersion;
        if self.cells.len() > limits.cells_per_summary {
            return Err(invalid(
                Refusal::TooManyCells,
                format!("{key}: {} cells, more than the {} allowed", self.cells.len(), limits.cells_per_summary),
            ));
        }
        let mut seen = HashSet::new();
        for c in &self.cells {
            let cell = format!("{}/{}/{}/{}", c.shift, c.nationality, c.gender, c.measure);
            if emersion && !(c.measure.is_emersion() && c.shift == Shift::Day) {
                return Err(invalid(
                    Refusal::MeasureActivity,
                    format!(
                        "{key}: cell {cell}: only emersion measures (id.*, outcome.*, helpline.*) by day belong here"
                    ),
                ));
            }
            if !emersion && !c.measure.is_person() {
                return Err(invalid(
                    Refusal::MeasureActivity,
                    format!("{key}: cell {cell}: only persons measures belong here"),
                ));
            }
            if c.count == 0 || c.count > limits.count_per_cell {
                return Err(invalid(
                    Refusal::CellOverLimit,
                    format!("{key}: count {} of cell {cell} is outside 1..={}", c.count, limits.count_per_cell),
                ));
            }
            if !seen.insert((c.shift, c.nationality, c.gender, c.measure)) {
                return Err(invalid(Refusal::DuplicateCell, format!("{key}: cell {cell} appears twice")));
            }
        }
        Ok(())
    }

    /// Adds the counts to a tally, in the buckets of the phone's own.
    pub fn add_to(&self, t: &mut Tally) {
        for c in &self.cells {
            let bucket = Bucket { activity: self.activity, province: self.province, shift: c.shift };
            t.add(bucket, CellKey { nationality: c.nationality, gender: c.gender, measure: c.measure }, c.count.into());
        }
    }

    /// The acknowledgement of this revision.
    pub fn ack(&self, status: AckStatus) -> PersonAck {
        let PersonSummary { from, to, activity, province, revision, .. } = *self;
        PersonAck { from, to, activity, province, revision, status, reason: None }
    }

    /// The refusal of this revision.
    pub fn refused(&self, reason: Refusal) -> PersonAck {
        PersonAck { status: AckStatus::Refused, reason: Some(reason), ..self.ack(AckStatus::Refused) }
    }
}

/// What every summary says of its outing or session. A deleted one is sent as its head
/// alone, with the revision that replaces what the server has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// The outing's or session's id.
    pub id: Uuid,
    /// The revision sent.
    pub revision: u32,
    /// Its activity.
    pub activity: Activity,
    /// Its day.
    pub date: NaiveDate,
    /// Its shift (indoor: day).
    pub shift: Shift,
    /// The province it is sent under.
    pub province: Province,
}

/// One outing or session waiting to be sent, as the phone's store holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// A closed outing with the places of its stops, in order, and its counts.
    Outing {
        /// The outing (its revision is the one sent).
        outing: Outing,
        /// Its stops' places, first stop first.
        stops: Vec<Place>,
        /// Its counts.
        tally: Tally,
    },
    /// A closed indoor session with the comuni of its ads and massage centres.
    Session {
        /// The session (its revision is the one sent).
        session: IndoorSession,
        /// The comuni named in it, in any order, repeats allowed.
        comuni: Vec<Comune>,
        /// Its counts.
        tally: Tally,
    },
    /// A saved informative group session: its facts and team travel, no cells.
    InfoSession(crate::domain::outreach::InfoSession),
    /// A deleted one, by its tombstone.
    Deleted(Head),
}

/// An outing without stops: it has no province to be sent under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("outing {0} has no stops")]
pub struct NoStops(pub Uuid);

impl Summary {
    /// The summary of what is waiting: the pure half of sync, over data the store loaded.
    pub fn of(pending: &Pending) -> Result<Summary, NoStops> {
        let (team, minutes, mapping) = match pending {
            Pending::Outing { outing: o, .. } => (o.team(), o.minutes(), o.mapping),
            Pending::InfoSession(s) => (Some(s.team), None, false),
            _ => (None, None, false),
        };
        let (head, comuni, tally): (Head, BTreeSet<Comune>, Option<&Tally>) = match pending {
            Pending::Outing { outing: o, stops, tally } => {
                let province = stops.first().ok_or(NoStops(o.id))?.province;
                let head = Head {
                    id: o.id,
                    revision: o.revision,
                    activity: o.activity,
                    date: o.date,
                    shift: o.shift,
                    province,
                };
                (head, stops.iter().filter_map(|p| p.comune).collect(), Some(tally))
            }
            Pending::Session { session: s, comuni, tally } => {
                let (activity, shift) = (Activity::Indoor, Shift::Day);
                let head = Head { id: s.id, revision: s.revision, activity, date: s.date, shift, province: s.province };
                (head, comuni.iter().copied().collect(), Some(tally))
            }
            Pending::InfoSession(s) => {
                let (activity, shift) = (Activity::Session, Shift::Day);
                let head = Head { id: s.id, revision: s.revision, activity, date: s.date, shift, province: s.province };
                (head, s.facts.comune.into_iter().collect(), None)
            }
            Pending::Deleted(head) => (*head, BTreeSet::new(), None),
        };
        let session = match pending {
            Pending::InfoSession(s) => Some(s.facts),
            _ => None,
        };
        let live = tally.is_some() || session.is_some();
        Ok(Summary {
            id: head.id,
            revision: head.revision,
            deleted: !live,
            activity: head.activity,
            date: head.date,
            shift: head.shift,
            province: head.province,
            comuni: comuni.into_iter().collect(),
            cells: tally.map(|t| Summary::cells_of(t, head.province)).unwrap_or_default(),
            team: team.filter(|_| live),
            minutes: minutes.filter(|_| live),
            mapping: mapping && tally.is_some(),
            session,
        })
    }
}

/// A closed list of codes as a JSON Schema string enum.
fn code_schema(name: &str, codes: Vec<String>) -> Schema {
    json_schema!({ "title": name, "type": "string", "enum": codes })
}

macro_rules! code_schemas {
    ($($t:ty => $codes:expr;)+) => {$(
        impl JsonSchema for $t {
            fn schema_name() -> Cow<'static, str> {
                stringify!($t).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                code_schema(stringify!($t), $codes)
            }
        }
    )+};
}

code_schemas! {
    Activity => Activity::ALL.iter().map(|a| a.code().to_owned()).collect();
    Shift => Shift::ALL.iter().map(|a| a.code().to_owned()).collect();
    Gender => Gender::ALL.iter().map(|a| a.code().to_owned()).collect();
    Nationality => Nationality::all().iter().map(|n| n.code().to_owned()).collect();
    Province => Province::all().iter().map(|p| p.code().to_owned()).collect();
    Language => Language::ALL.iter().map(|a| a.code().to_owned()).collect();
    SessionPlace => SessionPlace::ALL.iter().map(|a| a.code().to_owned()).collect();
}

impl JsonSchema for Measure {
    fn schema_name() -> Cow<'static, str> {
        "Measure".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<String> = Measure::all().iter().map(|m| m.code()).collect();
        json_schema!({
            "title": "Measure",
            "anyOf": [
                { "type": "string", "enum": codes },
                { "type": "string", "pattern": Measure::MAPPING_PATTERN }
            ]
        })
    }
}

impl<T: crate::domain::emersion::SetCode> JsonSchema for crate::domain::emersion::CodeSet<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Set of {}", T::WHAT).into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = T::ALL.iter().map(|v| v.code()).collect();
        json_schema!({ "type": "array", "items": { "type": "string", "enum": codes } })
    }
}

impl JsonSchema for Comune {
    fn schema_name() -> Cow<'static, str> {
        "Comune".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "title": "Comune", "type": "string", "pattern": "^[0-9]{6}$" })
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::{OutingStatus, Place};

    fn p(code: &str) -> Province {
        Province::parse(code).unwrap()
    }

    fn c(istat: &str) -> Comune {
        Comune::parse(istat).unwrap()
    }

    fn tally(cells: &[(&str, Measure, u64)]) -> Tally {
        let mut t = Tally::new();
        for &(province, measure, n) in cells {
            let bucket = if measure.is_indoor() {
                indoor::bucket(p(province))
            } else {
                Bucket { activity: Activity::Street, province: p(province), shift: Shift::Night }
            };
            t.add(bucket, CellKey { nationality: Nationality::UNKNOWN, gender: Gender::F, measure }, n);
        }
        t
    }

    fn outing(revision: u32) -> Outing {
        Outing {
            id: Uuid::from_u128(1),
            unit_id: Uuid::from_u128(9),
            activity: Activity::Street,
            date: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
            shift: Shift::Night,
            shift_overridden: false,
            started_at: None,
            ended_at: None,
            team_size: Some(2),
            mediator: false,
            mediator_language: None,
            legal_operator: false,
            mapping: false,
            status: OutingStatus::Closed,
            revision,
        }
    }

    fn session() -> IndoorSession {
        IndoorSession {
            id: Uuid::from_u128(2),
            date: NaiveDate::from_ymd_opt(2024, 3, 2).unwrap(),
            operators: 1,
            mediator_language: None,
            province: p("BS"),
            status: OutingStatus::Closed,
            started_at: None,
            ended_at: None,
            revision: 4,
        }
    }

    /// Each case: what was loaded, and the summary as the server reads it (JSON).
    #[test]
    fn summaries_are_built_from_loaded_records() {
        let bs_then_mi = vec![Place::comune(c("017029")), Place::province(p("BS")), Place::comune(c("015146"))];
        let head = Head {
            id: Uuid::from_u128(3),
            revision: 7,
            activity: Activity::Labour,
            date: NaiveDate::from_ymd_opt(2024, 1, 5).unwrap(),
            shift: Shift::Day,
            province: p("MI"),
        };
        let cases: Vec<(&str, Pending, serde_json::Value)> = vec![
            (
                "an outing across a border: first stop's province, other provinces per cell, comuni sorted once",
                Pending::Outing {
                    outing: outing(3),
                    stops: bs_then_mi,
                    tally: tally(&[("BS", Measure::Contacts, 2), ("MI", Measure::Contacts, 1)]),
                },
                serde_json::json!({
                    "id": Uuid::from_u128(1), "revision": 3, "activity": "street", "date": "2024-03-01",
                    "shift": "night", "province": "BS", "comuni": ["015146", "017029"],
                    "cells": [
                        {"nat": "ZZ", "g": "F", "m": "contacts", "n": 2},
                        {"province": "MI", "nat": "ZZ", "g": "F", "m": "contacts", "n": 1}
                    ],
                    "team": {"operators": 2, "mediator": false, "legal_operator": false}
                }),
            ),
            (
                "a session: indoor, by day, its own province, comuni deduplicated",
                Pending::Session {
                    session: session(),
                    comuni: vec![c("017029"), c("017029")],
                    tally: tally(&[("BS", Measure::Ads, 5)]),
                },
                serde_json::json!({
                    "id": Uuid::from_u128(2), "revision": 4, "activity": "indoor", "date": "2024-03-02",
                    "shift": "day", "province": "BS", "comuni": ["017029"],
                    "cells": [{"nat": "ZZ", "g": "F", "m": "ads", "n": 5}]
                }),
            ),
            (
                "a tombstone: deleted, nothing else",
                Pending::Deleted(head),
                serde_json::json!({
                    "id": Uuid::from_u128(3), "revision": 7, "deleted": true, "activity": "labour",
                    "date": "2024-01-05", "shift": "day", "province": "MI", "comuni": [], "cells": []
                }),
            ),
        ];
        for (name, pending, want) in cases {
            let got = serde_json::to_value(Summary::of(&pending).unwrap()).unwrap();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn an_outing_without_stops_has_no_summary() {
        let pending = Pending::Outing { outing: outing(1), stops: Vec::new(), tally: Tally::new() };
        assert_eq!(Summary::of(&pending), Err(NoStops(Uuid::from_u128(1))));
    }
}
