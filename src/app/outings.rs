//! Outings as use cases: start, stops, the tally (a person with the default kit, +N,
//! undo, details), the end-of-outing summary, close and reopen, and deletion (of an
//! outing or an indoor session, tombstoned for sync when it was sent).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Area, Done, Error, Lanterna, Result, ReviewMark};
use crate::domain::tables::Mft;
use crate::domain::tables::ReportScope;
use crate::domain::{Contact, ContactData, Gender, Items, Nationality, Outing, Period, Person, Place, Stop};
use crate::domain::{Count, Lang};
use crate::report::{Rendered, Table};
use crate::store::{IndoorOverview, NewOuting, OutingOverview, StoreError};

/// How many nationalities the tally shows as big buttons.
pub const FREQUENT_NATIONALITIES: usize = 8;
/// Shown until the unit has its own history.
const STARTER: [&str; FREQUENT_NATIONALITIES] = ["RO", "NG", "AL", "BR", "BG", "MA", "CN", "PE"];
/// The groups and "non rilevata", always one tap away on the tally.
const GROUPS: [&str; 6] = ["XE", "XS", "XO", "XA", "XX", "ZZ"];
/// How many recent stops the stop picker offers.
pub const RECENT_PLACES: usize = 5;

/// What the home screen shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HomeView {
    /// Every outing with its totals, newest first.
    pub outings: Vec<OutingOverview>,
    /// Every indoor session with its funnel, newest first.
    pub sessions: Vec<IndoorOverview>,
    /// Where the outings and sessions the coordinators spoke of stand, by id.
    pub reviews: BTreeMap<Uuid, ReviewMark>,
}

/// What the outing screen shows, in one load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutingView {
    /// The outing.
    pub outing: Outing,
    /// Its stops, in order.
    pub stops: Vec<Stop>,
    /// Persons recorded so far, by gender.
    pub totals: Mft,
    /// The nationalities offered as big buttons: the unit's most frequent, then starters.
    pub frequent: Vec<Nationality>,
    /// The groups and "non rilevata".
    pub groups: Vec<Nationality>,
    /// Recent stops, to pick one again.
    pub recent_places: Vec<(Place, Option<String>)>,
    /// The details of the contact whose sheet is open.
    pub contact: Option<ContactData>,
    /// The person of that contact.
    pub person: Option<Person>,
    /// "Known here": persons met before at the current (last) stop's place.
    pub known: Vec<Person>,
    /// True when the register has anyone: the search for a person met elsewhere is offered.
    pub anyone_known: bool,
}

/// What the end-of-outing screen shows.
#[derive(Debug, Clone)]
pub struct SummaryView {
    /// The outing.
    pub outing: Outing,
    /// Its report table (street or labour), as the reports print it.
    pub report: Rendered,
}

fn nationalities(codes: &[&str]) -> Vec<Nationality> {
    codes.iter().map(|c| Nationality::parse(c).expect("built-in codes are valid")).collect()
}

impl Lanterna {
    /// Every outing with its totals, newest first.
    pub fn list_outings(&self) -> Result<Vec<OutingOverview>> {
        Ok(self.store.list_outings()?)
    }

    /// The home screen, in one load.
    pub fn home_view(&self) -> Result<HomeView> {
        Ok(HomeView {
            outings: self.store.list_outings()?,
            sessions: self.store.list_indoor_sessions()?,
            reviews: self.review_marks()?,
        })
    }

    /// The open outings (the app resumes the first after unlocking).
    pub fn open_outings(&self) -> Result<Vec<Outing>> {
        Ok(self.store.open_outings()?)
    }

    /// One outing.
    pub fn outing(&self, id: Uuid) -> Result<Outing> {
        Ok(self.store.outing(id)?)
    }

    /// Starts an outing.
    pub fn start_outing(&mut self, new: &NewOuting) -> Result<Done<Outing>> {
        check_start(new)?;
        Ok(Done::new(self.store.start_outing(new)?, &[Area::Outings]))
    }

    /// Closes an outing: its summary becomes pending for sync.
    pub fn close_outing(&mut self, id: Uuid, ended_at: DateTime<Utc>) -> Result<Done<Outing>> {
        Ok(Done::new(self.store.close_outing(id, ended_at)?, &[Area::Outings, Area::Sync]))
    }

    /// Reopens a closed outing to correct it.
    pub fn reopen_outing(&mut self, id: Uuid) -> Result<Done<Outing>> {
        Ok(Done::new(self.store.reopen_outing(id)?, &[Area::Outings, Area::Sync]))
    }

    /// Deletes an outing or an indoor session (a synced one is deleted on the server at
    /// the next sync).
    pub fn delete(&mut self, id: Uuid) -> Result<Done<()>> {
        match self.store.delete_outing(id) {
            Err(StoreError::NotFound { .. }) => {
                self.store.delete_indoor_session(id)?;
                Ok(Done::new((), &[Area::Indoor, Area::Sync]))
            }
            other => {
                other?;
                Ok(Done::new((), &[Area::Outings, Area::Sync]))
            }
        }
    }

    /// The outing screen, in one load; `sheet` is the contact whose details are open.
    pub fn outing_view(&self, id: Uuid, sheet: Option<i64>) -> Result<OutingView> {
        let stops = self.store.stops(id)?;
        Ok(OutingView {
            outing: self.store.outing(id)?,
            totals: self.store.outing_totals(id)?,
            frequent: self.tally_nationalities()?,
            groups: nationalities(&GROUPS),
            recent_places: self.store.recent_places(RECENT_PLACES)?,
            contact: sheet.map(|c| self.store.contact(c)).transpose()?.map(|c| c.data),
            person: sheet.map(|c| self.store.person_of_contact(c)).transpose()?,
            known: match stops.last() {
                Some(stop) => self.known_here(stop.id)?,
                None => Vec::new(),
            },
            anyone_known: self.store.anyone_known()?,
            stops,
        })
    }

    /// An outing's persons so far, by gender.
    pub fn outing_totals(&self, outing: Uuid) -> Result<Mft> {
        Ok(self.store.outing_totals(outing)?)
    }

    /// Every contact of an outing, in the order recorded.
    pub fn contacts_of_outing(&self, outing: Uuid) -> Result<Vec<Contact>> {
        Ok(self.store.contacts_of_outing(outing)?)
    }

    /// An outing's stops, in order.
    pub fn stops(&self, outing: Uuid) -> Result<Vec<Stop>> {
        Ok(self.store.stops(outing)?)
    }

    /// The big nationality buttons: the unit's most frequent countries, filled up with
    /// the usual ones until the unit has its own history.
    pub fn tally_nationalities(&self) -> Result<Vec<Nationality>> {
        let mut f = self.store.frequent_nationalities(FREQUENT_NATIONALITIES)?;
        f.retain(|n| !GROUPS.contains(&n.code()));
        for n in nationalities(&STARTER) {
            if f.len() < FREQUENT_NATIONALITIES && !f.contains(&n) {
                f.push(n);
            }
        }
        Ok(f)
    }

    /// Adds a stop (a comune, with an optional label) and makes it the current one.
    pub fn add_stop(&mut self, outing: Uuid, place: Place, label: Option<&str>) -> Result<Done<Stop>> {
        let label = label.map(str::trim);
        Ok(Done::new(self.store.add_stop(outing, place, label)?, &[Area::Outings]))
    }

    /// Records `n` persons at a stop, each with the same details (the tally's "+N").
    pub fn record_contacts(&mut self, stop: i64, data: &ContactData, n: u32) -> Result<Done<Vec<Contact>>> {
        self.store.check_outing_cells(stop, data, n, None)?;
        Ok(Done::new(self.store.record_contacts(stop, data, n)?, &[Area::Outings]))
    }

    /// The tally's two taps: `n` persons of a gender and nationality at a stop, each
    /// with the unit's default kit for the outing's activity.
    pub fn tally(&mut self, stop: i64, gender: Gender, nationality: Nationality, n: u32) -> Result<Done<Vec<Contact>>> {
        let mut data = ContactData::new(gender, nationality);
        data.items = self.kit_at_stop(stop)?;
        self.record_contacts(stop, &data, n)
    }

    /// The kit a person met at `stop` is given by default.
    pub(super) fn kit_at_stop(&self, stop: i64) -> Result<Items> {
        Ok(self.settings.kit_for(self.store.stop_activity(stop)?).0.clone())
    }

    /// Takes back the last person recorded on an outing.
    pub fn undo_last_contact(&mut self, outing: Uuid) -> Result<Done<Option<Contact>>> {
        Ok(Done::new(self.store.undo_last_contact(outing)?, &[Area::Outings]))
    }

    /// One contact.
    pub fn contact(&self, id: i64) -> Result<Contact> {
        Ok(self.store.contact(id)?)
    }

    /// Changes a contact's details.
    pub fn update_contact(&mut self, id: i64, data: &ContactData) -> Result<Done<Contact>> {
        let stop = self.store.contact(id)?.stop_id;
        self.store.check_outing_cells(stop, data, 1, Some(id))?;
        Ok(Done::new(self.store.update_contact(id, data)?, &[Area::Outings]))
    }

    /// The end-of-outing screen: the outing and its table as the reports print it.
    pub fn summary_view(&self, id: Uuid, lang: Lang) -> Result<SummaryView> {
        let outing = self.store.outing(id)?;
        let tally = self.store.outing_tally(id)?;
        let period = Period::new(outing.date, outing.date).map_err(Error::Domain)?;
        let scope = ReportScope {
            activity: Some(outing.activity),
            lang,
            count: Count::Contacts,
            ..ReportScope::period(period)
        };
        let table = match outing.activity {
            crate::domain::Activity::Labour => Table::Labour,
            crate::domain::Activity::Desk => Table::Desk,
            _ => Table::Street,
        };
        Ok(SummaryView { report: Rendered::build(table, &tally, &scope), outing })
    }
}

/// Checks an outing's start day: not in the future beyond the field rule.
pub(super) fn check_start(new: &NewOuting) -> Result<()> {
    crate::domain::rules::check_date(new.started_at.date_naive(), chrono::Utc::now().date_naive())
        .map_err(|v| crate::domain::DomainError::from(v).into())
}
