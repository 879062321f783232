//! The register of persons as use cases: "known here" on the tally, one tap to record a
//! known person again, search, a person's details, and merging two persons with undo.
//! The register never leaves the phone.

use super::{Area, Done, Lanterna, Result};
use crate::domain::{Contact, Person, PersonDetails};
use crate::store::Merge;

/// How many known persons the tally offers at a stop.
pub const KNOWN_HERE: usize = 24;

/// What the register screen shows of one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonView {
    /// The person.
    pub person: Person,
    /// Other persons the search found, to merge this one into.
    pub candidates: Vec<Person>,
}

impl Lanterna {
    /// "Known here": persons met at this stop's comune, most recent first, without those
    /// already met on this outing.
    pub fn known_here(&self, stop: i64) -> Result<Vec<Person>> {
        Ok(self.store.persons_near(stop, KNOWN_HERE)?)
    }

    /// Persons whose short name or code contains `text`.
    pub fn search_persons(&self, text: &str) -> Result<Vec<Person>> {
        Ok(self.store.search_persons(text, KNOWN_HERE)?)
    }

    /// One tap: a known person met again at a stop, with the unit's default kit.
    pub fn record_known(&mut self, stop: i64, person: i64) -> Result<Done<Contact>> {
        let kit = self.kit_at_stop(stop)?;
        Ok(Done::new(self.store.record_known(stop, person, &kit)?, &[Area::Outings]))
    }

    /// A person and, for merging, the persons `search` finds (not the person itself).
    pub fn person_view(&self, id: i64, search: &str) -> Result<PersonView> {
        let mut candidates = self.store.search_persons(search, KNOWN_HERE)?;
        candidates.retain(|p| p.id != id);
        Ok(PersonView { person: self.store.person(id)?, candidates })
    }

    /// The person a contact belongs to.
    pub fn person_of_contact(&self, contact: i64) -> Result<Person> {
        Ok(self.store.person_of_contact(contact)?)
    }

    /// Changes who a person is; every contact of theirs follows.
    pub fn update_person(&mut self, id: i64, details: &PersonDetails) -> Result<Done<Person>> {
        Ok(Done::new(self.store.update_person(id, details)?, &[Area::Outings, Area::Sync]))
    }

    /// Merges `absorbed` into `kept`.
    pub fn merge_persons(&mut self, kept: i64, absorbed: i64) -> Result<Done<Merge>> {
        Ok(Done::new(self.store.merge_persons(kept, absorbed)?, &[Area::Outings, Area::Sync]))
    }

    /// Takes back the last merge.
    pub fn undo_merge(&mut self) -> Result<Done<Option<Merge>>> {
        Ok(Done::new(self.store.undo_merge()?, &[Area::Outings, Area::Sync]))
    }
}
