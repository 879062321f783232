//! Emersion beyond the outing as use cases: a desk session (an outing of activity desk
//! whose single stop is the desk's comune), persons met only at the desk or at an
//! interview, identification interviews and what became known of the person, outcomes of
//! contacts and meetings, and helpline reports. Every value is a closed code: nothing
//! typed freely reaches these records.

use chrono::NaiveDate;

use super::{Area, Done, Lanterna, Result};
use crate::domain::emersion::{Findings, HelplineReport, Interview, OutcomeSet, ReferralRequest};
use crate::domain::{Activity, Comune, Outing, Period, Person, PersonDetails, Place, Tally};
use crate::store::NewOuting;
pub use crate::store::emersion::{InterviewEntry, NewInterview};

/// The areas an interview or a new person changes: the register (outings) and emersion.
const REGISTER: &[Area] = &[Area::Outings, Area::Emersion];

/// What a person's card shows: who, every interview with what became known at it, the
/// state today (the latest word on each field) and the Referral requests received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonCard {
    /// The person.
    pub person: Person,
    /// Interviews, oldest first.
    pub interviews: Vec<InterviewEntry>,
    /// What is known of their identification today.
    pub state: Findings,
    /// Referral requests from the Commissione, oldest first.
    pub requests: Vec<ReferralRequest>,
}

impl Lanterna {
    /// Starts a desk session: an outing of activity desk, its single stop the desk's
    /// comune, both in one transaction. `new.activity` must be [`Activity::Desk`].
    pub fn start_desk(&mut self, new: &NewOuting, comune: Comune) -> Result<Done<Outing>> {
        if new.activity != Activity::Desk {
            return Err(crate::domain::DomainError::invalid("activity", "a desk session is of activity desk").into());
        }
        super::outings::check_start(new)?;
        let (outing, _) = self.store.start_outing_at(new, Place::comune(comune))?;
        Ok(Done::new(outing, &[Area::Outings]))
    }

    /// A person met only at the desk or at an interview (a Referral from the
    /// Commissione): into the register without a contact.
    pub fn create_person(&mut self, details: &PersonDetails) -> Result<Done<Person>> {
        Ok(Done::new(self.store.create_person(details)?, REGISTER))
    }

    /// A person's card: interviews, state today, Referral requests.
    pub fn person_card(&self, person: i64, today: NaiveDate) -> Result<PersonCard> {
        Ok(PersonCard {
            person: self.store.person(person)?,
            interviews: self.store.interviews_of(person)?,
            state: self.store.identification_state(person, today)?,
            requests: self.store.referral_requests_of(person)?,
        })
    }

    /// Records an identification interview and what became known at it; a Referral
    /// interview records its request when none is on record.
    pub fn record_interview(&mut self, new: &NewInterview) -> Result<Done<Interview>> {
        crate::domain::rules::check_date(new.date, chrono::Utc::now().date_naive())
            .map_err(crate::domain::DomainError::from)?;
        if let Some(requested) = new.requested {
            crate::domain::rules::check_date(requested, chrono::Utc::now().date_naive())
                .map_err(crate::domain::DomainError::from)?;
        }
        Ok(Done::new(self.store.record_interview(new)?, REGISTER))
    }

    /// Takes back an interview and what was noted at it.
    pub fn delete_interview(&mut self, id: i64) -> Result<Done<()>> {
        self.store.delete_interview(id)?;
        Ok(Done::new((), REGISTER))
    }

    /// Sets what came of a contact, on an open or a closed outing (outcomes are counted
    /// per period, not in the outing's summary).
    pub fn set_contact_outcomes(&mut self, contact: i64, outcomes: OutcomeSet) -> Result<Done<()>> {
        self.store.set_contact_outcomes(contact, outcomes)?;
        Ok(Done::new((), &[Area::Outings, Area::Emersion]))
    }

    /// Sets what came of a meeting of an indoor session.
    pub fn set_meeting_outcomes(&mut self, meeting: i64, outcomes: OutcomeSet) -> Result<Done<()>> {
        self.store.set_meeting_outcomes(meeting, outcomes)?;
        Ok(Done::new((), &[Area::Indoor, Area::Emersion]))
    }

    /// Records a helpline report; returns it with its id.
    pub fn record_helpline_report(&mut self, report: &HelplineReport) -> Result<Done<HelplineReport>> {
        Ok(Done::new(self.store.record_helpline_report(report)?, &[Area::Emersion]))
    }

    /// Replaces a helpline report (same id).
    pub fn update_helpline_report(&mut self, report: &HelplineReport) -> Result<Done<HelplineReport>> {
        Ok(Done::new(self.store.update_helpline_report(report)?, &[Area::Emersion]))
    }

    /// Deletes a helpline report.
    pub fn delete_helpline_report(&mut self, id: i64) -> Result<Done<()>> {
        self.store.delete_helpline_report(id)?;
        Ok(Done::new((), &[Area::Emersion]))
    }

    /// The helpline reports of a period, newest first.
    pub fn helpline_reports(&self, period: Period) -> Result<Vec<HelplineReport>> {
        Ok(self.store.helpline_reports(period)?)
    }

    /// Every emersion count of a period (interviews, outcomes, helpline reports).
    pub fn emersion_tally(&self, period: Period) -> Result<Tally> {
        Ok(self.store.emersion_tally(period)?)
    }
}
