//! What travels between a phone and the sync endpoint, version 1. Nothing here can hold
//! free text: every string is a code from a closed list, a date, a UUID or a random
//! enrollment code or token with a fixed pattern (`tests/wire_schema.rs` walks the JSON
//! Schema and fails on any other string). The unit is never in the payload: the server
//! knows it from the device's token.

use std::borrow::Cow;
use std::collections::HashSet;

use chrono::NaiveDate;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{Activity, Bucket, CellKey, Comune, Gender, Measure, Nationality, Province, Shift, Tally, indoor};

/// Where version 1 of the API lives.
pub const API_PREFIX: &str = "/api/v1";

/// Pattern of an enrollment code: four groups of four from an alphabet without 0/O/1/I.
pub const CODE_PATTERN: &str = "^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$";
/// Pattern of a device token: 64 lowercase hex digits.
pub const TOKEN_PATTERN: &str = "^[0-9a-f]{64}$";

/// What a server accepts at most, checked on every summary.
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
        Limits { summaries_per_batch: 500, cells_per_summary: 5_000, comuni_per_summary: 200, count_per_cell: 100_000 }
    }
}

/// One request: many summaries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    /// The summaries, each acknowledged by id and revision.
    pub summaries: Vec<Summary>,
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
}

/// What the server did with a summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ack {
    /// The summary.
    pub id: Uuid,
    /// Its revision as sent.
    pub revision: u32,
    /// Stored, or ignored (the server had this revision or a higher one).
    pub status: AckStatus,
}

/// Stored or ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AckStatus {
    /// Now the server's copy.
    Stored,
    /// Equal to or older than the server's copy: nothing changed.
    Ignored,
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
    pub fn validate(&self, limits: &Limits) -> Result<(), String> {
        let id = self.id;
        if self.revision == 0 {
            return Err(format!("summary {id}: revision starts at 1"));
        }
        if self.deleted && !self.cells.is_empty() {
            return Err(format!("summary {id}: a deleted summary has no cells"));
        }
        if self.cells.len() > limits.cells_per_summary {
            return Err(format!(
                "summary {id}: {} cells, more than the {} allowed",
                self.cells.len(),
                limits.cells_per_summary
            ));
        }
        if self.comuni.len() > limits.comuni_per_summary {
            return Err(format!("summary {id}: {} comuni, more than {}", self.comuni.len(), limits.comuni_per_summary));
        }
        let indoor = self.activity == Activity::Indoor;
        let mut seen = HashSet::new();
        for c in &self.cells {
            if c.count == 0 || c.count > limits.count_per_cell {
                return Err(format!(
                    "summary {id}: count {} of cell {}/{}/{} is outside 1..={}",
                    c.count, c.nationality, c.gender, c.measure, limits.count_per_cell
                ));
            }
            if indoor != c.measure.is_indoor() && (c.measure.is_indoor() || c.measure == Measure::Contacts) {
                return Err(format!(
                    "summary {id}: measure {} does not belong to activity {}",
                    c.measure, self.activity
                ));
            }
            if !seen.insert((c.province, c.nationality, c.gender, c.measure)) {
                return Err(format!("summary {id}: cell {}/{}/{} appears twice", c.nationality, c.gender, c.measure));
            }
        }
        if indoor && self.shift != Shift::Day {
            return Err(format!("summary {id}: indoor sessions have no night shift"));
        }
        Ok(())
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
    Measure => Measure::all().iter().map(|m| m.code()).collect();
}

impl JsonSchema for Comune {
    fn schema_name() -> Cow<'static, str> {
        "Comune".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "title": "Comune", "type": "string", "pattern": "^[0-9]{6}$" })
    }
}
