//! The core's report tables computed from stored summaries: the same functions and
//! renderers as the app's `lanterna report`, so the two print the same tables.

use chrono::NaiveDate;
use lanterna::domain::tables::{ReportScope, Selection};
use lanterna::domain::{Count, Lang, Period, Tally};
use lanterna::report::{Format, Rendered};
use uuid::Uuid;

use crate::store::{Backend, StoreError};

/// Which table: the app's own list.
pub use lanterna::report::Table as Kind;

/// What a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Which table.
    pub kind: Kind,
    /// Dates (default: the first and last summary's), province, activity.
    pub selection: Selection,
    /// One unit; without it the tables are cross-unit and small cells are hidden.
    pub unit: Option<Uuid>,
    /// Label language.
    pub lang: Lang,
    /// Smallest count shown in cross-unit tables (1: nothing hidden).
    pub k: u64,
}

impl Query {
    /// A table over `selection`, across units, in Italian, nothing hidden.
    pub fn new(kind: Kind, selection: Selection) -> Query {
        Query { kind, selection, unit: None, lang: Lang::It, k: 1 }
    }
}

/// Why a report could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A bad period.
    #[error("{0}")]
    Bad(String),
    /// The store.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Builds and renders a report from the stored summaries.
pub fn render(backend: &dyn Backend, q: &Query, format: Format) -> Result<String, ReportError> {
    let wide =
        (NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date"), NaiveDate::from_ymd_opt(2999, 12, 31).expect("a date"));
    let (from, to) = (q.selection.from.unwrap_or(wide.0), q.selection.to.unwrap_or(wide.1));
    if from > to {
        return Err(ReportError::Bad(format!("--from {from} is after --to {to}")));
    }
    let stored = backend.summaries(q.unit, from, to)?;
    let first = stored.iter().map(|s| s.summary.date).min();
    let last = stored.iter().map(|s| s.summary.date).max();
    let today = chrono::Utc::now().date_naive();
    let from = q.selection.from.or(first).unwrap_or(today);
    let to = q.selection.to.or(last).unwrap_or(today).max(from);
    let period = Period::new(from, to).map_err(|e| ReportError::Bad(e.to_string()))?;
    let mut tally = Tally::new();
    for s in &stored {
        s.summary.add_to(&mut tally);
    }
    let scope = ReportScope {
        province: q.selection.province,
        activity: q.selection.activity,
        lang: q.lang,
        count: Count::Contacts,
        ..ReportScope::period(period)
    };
    let rendered = Rendered::build(q.kind, &tally, &scope);
    let k = (q.unit.is_none() && q.k > 1).then_some(q.k);
    Ok(rendered.render_suppressed(format, q.selection.province.is_some(), q.lang, k))
}
