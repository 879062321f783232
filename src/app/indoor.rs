//! Indoor work as use cases: sessions (start, close, reopen), ads with their numbers kept
//! only as keyed hashes, call and message attempts, persons met, massage-centre visits,
//! undo, and the screens' loads.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Area, Done, Error, Lanterna, Result};
use crate::domain::indoor::{Ad, AdData, Attempt, IndoorSession, NumberHistory, normalize_phone};
use crate::domain::{
    Activity, Channel, Comune, ContactData, Gender, Nationality, Outcome, Protection, Province, Tally,
};
use crate::store::{NewIndoorSession, SessionCounts};

/// What an indoor session's screen shows, in one load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndoorView {
    /// The session.
    pub session: IndoorSession,
    /// Its funnel: ads, calls and messages, contacts, persons met.
    pub counts: SessionCounts,
    /// Its ads, newest first.
    pub ads: Vec<Ad>,
    /// For ads whose number was seen elsewhere: where and when.
    pub shared: HashMap<i64, NumberHistory>,
    /// What the hash already knows of the number being typed (`None` until it is one).
    pub history: Option<NumberHistory>,
}

const INDOOR: &[Area] = &[Area::Indoor];

/// An ad as the form holds it: what was typed, checked by [`Lanterna::save_ad`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdForm {
    /// The site, from the unit's list.
    pub site: String,
    /// The province of the ads being mapped.
    pub province: Province,
    /// The comune, when the ad says it.
    pub comune: Option<Comune>,
    /// Declared nationality (or "non dichiarata").
    pub nationality: Nationality,
    /// Declared gender.
    pub gender: Gender,
    /// Declared age as typed (empty: not declared).
    pub declared_age: String,
    /// Whether the ad advertises risky services.
    pub risky: bool,
    /// The number as typed (empty: none); never stored in clear.
    pub number: String,
}

/// A massage-centre visit: where, and the persons contacted there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MassageVisit {
    /// The province of the centre.
    pub province: Province,
    /// Its comune, when known.
    pub comune: Option<Comune>,
    /// Persons contacted: `(gender, nationality, how many)`.
    pub persons: Vec<(Gender, Nationality, u32)>,
    /// Whether they seek or hold international protection (unknown unless said).
    pub protection: Protection,
}

/// A saved ad, what its number's hash already knew, and the number to dial for the ad
/// being worked on (kept in memory by the screen only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedAd {
    /// The ad.
    pub ad: Ad,
    /// Other ads and earlier sessions with the same number.
    pub history: NumberHistory,
    /// The number in E.164 form, for the call and WhatsApp links.
    pub dial: Option<String>,
}

impl Lanterna {
    /// Starts an indoor session.
    pub fn start_indoor_session(&mut self, new: &NewIndoorSession) -> Result<Done<IndoorSession>> {
        crate::domain::rules::check_date(new.started_at.date_naive(), chrono::Utc::now().date_naive())
            .map_err(crate::domain::DomainError::from)?;
        Ok(Done::new(self.store.start_indoor_session(new)?, INDOOR))
    }

    /// The session screen, in one load; `typing` is the number being typed in the ad form.
    pub fn indoor_view(&self, id: Uuid, typing: &str) -> Result<IndoorView> {
        Ok(IndoorView {
            history: self.number_seen(id, typing)?,
            session: self.store.indoor_session(id)?,
            counts: self.store.session_counts(id)?,
            ads: self.store.ads(id)?,
            shared: self.store.shared_numbers(id)?,
        })
    }

    /// One session.
    pub fn indoor_session(&self, id: Uuid) -> Result<IndoorSession> {
        Ok(self.store.indoor_session(id)?)
    }

    /// A session's funnel so far.
    pub fn session_counts(&self, id: Uuid) -> Result<SessionCounts> {
        Ok(self.store.session_counts(id)?)
    }

    /// A session's tally (ads, calls, contacts, meetings, massage centres).
    pub fn session_tally(&self, id: Uuid) -> Result<Tally> {
        Ok(self.store.session_tally(id)?)
    }

    /// Closes a session: its summary becomes pending for sync.
    pub fn close_indoor_session(&mut self, id: Uuid, ended_at: DateTime<Utc>) -> Result<Done<()>> {
        self.store.close_indoor_session(id, ended_at)?;
        Ok(Done::new((), &[Area::Indoor, Area::Sync]))
    }

    /// Reopens a closed session to correct it.
    pub fn reopen_indoor_session(&mut self, id: Uuid) -> Result<Done<()>> {
        self.store.reopen_indoor_session(id)?;
        Ok(Done::new((), &[Area::Indoor, Area::Sync]))
    }

    /// Records an ad; its number, if given, is kept only as a keyed hash.
    pub fn add_ad(&mut self, session: Uuid, data: &AdData, number: Option<&str>) -> Result<Done<(Ad, NumberHistory)>> {
        self.store.check_session_cells(session, 1)?;
        Ok(Done::new(self.store.add_ad(session, data, number)?, INDOOR))
    }

    /// Checks and records an ad from the form.
    pub fn save_ad(&mut self, session: Uuid, form: &AdForm) -> Result<Done<SavedAd>> {
        let declared_age = match form.declared_age.trim() {
            "" => None,
            a => Some(a.parse::<u8>().map_err(|_| Error::BadAge(a.to_owned()))?),
        };
        let data = AdData {
            site: form.site.clone(),
            province: form.province,
            comune: form.comune,
            nationality: form.nationality,
            gender: form.gender,
            declared_age,
            risky: form.risky,
        };
        let typed = Some(form.number.trim()).filter(|t| !t.is_empty());
        let (ad, history) = self.store.add_ad(session, &data, typed)?;
        let dial = typed.and_then(|t| normalize_phone(t).ok());
        Ok(Done::new(SavedAd { ad, history, dial }, INDOOR))
    }

    /// What the hash already knows of a number being typed: `None` until it is a number.
    pub fn number_seen(&self, session: Uuid, typed: &str) -> Result<Option<NumberHistory>> {
        if normalize_phone(typed).is_err() {
            return Ok(None);
        }
        Ok(Some(self.store.number_history(session, typed)?))
    }

    /// A person met through an ad, recorded as the ad declared them, with the unit's
    /// default indoor kit; returns the meeting's id and its details.
    pub fn meet_from_ad(&mut self, session: Uuid, ad_id: i64) -> Result<Done<(i64, ContactData)>> {
        let ad = self.store.ad(ad_id)?;
        let mut data = ContactData::new(ad.data.gender, ad.data.nationality);
        data.items = self.settings.kit_for(Activity::Indoor).0.clone();
        let id = self.store.record_meeting(session, Some(ad_id), ad.data.province, &data)?;
        Ok(Done::new((id, data), INDOOR))
    }

    /// One ad.
    pub fn ad(&self, id: i64) -> Result<Ad> {
        Ok(self.store.ad(id)?)
    }

    /// Records a call or message to an ad's number and how it went.
    pub fn record_attempt(&mut self, ad: i64, channel: Channel, outcome: Outcome) -> Result<Done<Attempt>> {
        self.store.check_session_cells(self.store.ad(ad)?.session_id, 1)?;
        Ok(Done::new(self.store.record_attempt(ad, channel, outcome)?, INDOOR))
    }

    /// Says whether the person a call reached seeks or holds international protection (an
    /// optional tap after the outcome).
    pub fn set_attempt_protection(&mut self, attempt: i64, protection: Protection) -> Result<Done<()>> {
        self.store.set_attempt_protection(attempt, protection)?;
        Ok(Done::new((), INDOOR))
    }

    /// Records a person met through an ad (or without one): returns the meeting's id.
    pub fn record_meeting(
        &mut self,
        session: Uuid,
        ad: Option<i64>,
        province: Province,
        data: &ContactData,
    ) -> Result<Done<i64>> {
        let more = crate::domain::Measure::of_meeting(data).into_iter().map(|(_, n)| n).max().unwrap_or(1);
        self.store.check_session_cells(session, more)?;
        Ok(Done::new(self.store.record_meeting(session, ad, province, data)?, INDOOR))
    }

    /// Changes a meeting's details.
    pub fn update_meeting(&mut self, id: i64, data: &ContactData) -> Result<Done<()>> {
        self.store.update_meeting(id, data)?;
        Ok(Done::new((), INDOOR))
    }

    /// Records a massage-centre visit; returns how many persons it counted.
    pub fn record_massage_visit(&mut self, session: Uuid, visit: &MassageVisit) -> Result<Done<u64>> {
        let more: u64 = visit.persons.iter().map(|&(_, _, n)| u64::from(n)).sum();
        self.store.check_session_cells(session, more)?;
        let counted = self.store.record_massage_persons(
            session,
            visit.province,
            visit.comune,
            &visit.persons,
            visit.protection,
        )?;
        Ok(Done::new(counted, INDOOR))
    }

    /// Takes back the last thing recorded in an open session; says what it was.
    pub fn undo_last_indoor(&mut self, session: Uuid) -> Result<Done<Option<&'static str>>> {
        Ok(Done::new(self.store.undo_last_indoor(session)?, INDOOR))
    }
}
