//! What the coordinators said of this phone's outings and sessions, as use cases: keep
//! the feedback a sync fetched, mark what the server refused for a closed period, and say
//! where each outing stands ([`ReviewMark`]) so the screens only print it.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::{Area, Done, Lanterna, Result};
use crate::store::ReviewRow;
use crate::wire::{FeedbackResponse, PersonKey, ReturnReason, ReviewState, Summary};

/// Where an outing or session stands with the coordinators, as the home list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewMark {
    /// The revision on the phone was approved.
    Approved,
    /// The revision on the phone was returned to correct, with its reason when given.
    Returned(Option<ReturnReason>),
    /// It was returned, and a correction waits to be sent.
    Corrected,
    /// The server refused the pending revision: a coordinator closed its period.
    Closed,
    /// The server refused this revision as implausible, for this reason; an edit sends
    /// a new one.
    Refused(crate::wire::Refusal),
}

impl ReviewMark {
    /// Where a record stands, from its revisions, its latest review and its closed mark:
    /// a review speaks of the record only while the record's revision is the one
    /// reviewed; a returned record corrected since is "corrected" until the correction
    /// is sent, then nothing until it is reviewed again.
    pub fn of(row: &ReviewRow) -> Option<ReviewMark> {
        let pending = row.revision > row.synced_revision;
        if let (Some(reason), true, false) = (row.refused, pending, row.open) {
            return Some(ReviewMark::Refused(reason));
        }
        if row.closed && pending && !row.open {
            return Some(ReviewMark::Closed);
        }
        let review = row.review?;
        if review.revision == row.revision {
            return Some(match review.state {
                ReviewState::Approved => ReviewMark::Approved,
                ReviewState::Returned => ReviewMark::Returned(review.reason),
            });
        }
        let corrected = review.state == ReviewState::Returned && review.revision < row.revision;
        (corrected && pending && !row.open).then_some(ReviewMark::Corrected)
    }

    /// Its code, for the screens' attributes and the command line.
    pub fn code(self) -> &'static str {
        match self {
            ReviewMark::Approved => "approved",
            ReviewMark::Returned(_) => "returned",
            ReviewMark::Corrected => "corrected",
            ReviewMark::Closed => "closed",
            ReviewMark::Refused(_) => "refused",
        }
    }
}

impl Lanterna {
    /// Keeps the feedback a sync fetched: reviews replace those kept, and what no closed
    /// period covers any more is sent at the next sync.
    pub fn set_feedback(&mut self, feedback: &FeedbackResponse) -> Result<Done<bool>> {
        let changed = self.store.set_feedback(feedback)?;
        let areas: &[Area] = if changed { &[Area::Outings, Area::Indoor, Area::Sync] } else { &[] };
        Ok(Done::new(changed, areas))
    }

    /// Holds back summaries and periods' persons the server refused for a closed period:
    /// they stay pending, and the rest can be sent without them.
    pub fn mark_closed(&mut self, summaries: &[Summary], persons: &[PersonKey]) -> Result<Done<()>> {
        self.store.mark_closed(summaries, persons)?;
        Ok(Done::new((), &[Area::Outings, Area::Indoor, Area::Sync]))
    }

    /// Where every outing and session the coordinators spoke of stands, by id (those
    /// without a mark are left out).
    pub fn review_marks(&self) -> Result<BTreeMap<Uuid, ReviewMark>> {
        Ok(self.store.review_rows()?.iter().filter_map(|r| ReviewMark::of(r).map(|m| (r.id, m))).collect())
    }

    /// What is held back because its period is closed: pending summaries, and periods'
    /// persons.
    pub fn closed_counts(&self) -> Result<(u64, u64)> {
        Ok(self.store.closed_counts()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Feedback;

    fn row(revision: u32, synced: u32, review: Option<(u32, ReviewState)>, closed: bool) -> ReviewRow {
        let id = Uuid::from_u128(1);
        ReviewRow {
            id,
            revision,
            synced_revision: synced,
            open: false,
            review: review.map(|(revision, state)| Feedback {
                id,
                revision,
                state,
                reason: (state == ReviewState::Returned).then_some(ReturnReason::Province),
            }),
            closed,
            refused: None,
        }
    }

    #[test]
    fn a_review_speaks_of_its_revision_only() {
        use ReviewState::{Approved, Returned};
        let cases = [
            ("approved as sent", row(2, 2, Some((2, Approved)), false), Some(ReviewMark::Approved)),
            (
                "returned as sent",
                row(2, 2, Some((2, Returned)), false),
                Some(ReviewMark::Returned(Some(ReturnReason::Province))),
            ),
            ("returned, corrected, not sent", row(3, 2, Some((2, Returned)), false), Some(ReviewMark::Corrected)),
            ("returned, correction sent", row(3, 3, Some((2, Returned)), false), None),
            ("approved, then changed", row(3, 2, Some((2, Approved)), false), None),
            ("refused for a closed period", row(3, 2, Some((2, Returned)), true), Some(ReviewMark::Closed)),
            ("a stale mark of what was sent", row(3, 3, None, true), None),
            ("nothing said", row(1, 0, None, false), None),
        ];
        for (name, r, want) in cases {
            assert_eq!(ReviewMark::of(&r), want, "{name}");
        }
        let open = ReviewRow { open: true, ..row(3, 2, Some((2, Returned)), true) };
        assert_eq!(ReviewMark::of(&open), None, "open again: being corrected");
    }
}
