//! What part of the records a report covers: dates, one province, one activity. The
//! app's reports and the server's read the same selection.

use chrono::NaiveDate;

use crate::domain::{Activity, Province};

/// What a report covers; what is unset covers everything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    /// First day [default: the first recorded day].
    pub from: Option<NaiveDate>,
    /// Last day, included [default: the last recorded day].
    pub to: Option<NaiveDate>,
    /// Only this province (a single table instead of one per province and a synthesis).
    pub province: Option<Province>,
    /// Only this activity (services and items tables).
    pub activity: Option<Activity>,
}

impl Selection {
    /// From `from` to `to`, every province and activity.
    pub fn dates(from: NaiveDate, to: NaiveDate) -> Selection {
        Selection { from: Some(from), to: Some(to), ..Selection::default() }
    }
}
