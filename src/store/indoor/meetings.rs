//! Persons met after a call or a message, and the persons contacted in massage centres.

use chrono::Utc;
use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::Who;
use crate::domain::rules;
use crate::domain::{Comune, ContactData, Gender, Nationality, Protection, Province};
use crate::store::lifecycle::{ensure_open, touch};
use crate::store::records::{Person, by_id, row_to_contact};
use crate::store::{Entity, Record, Result, Store, StoreError};

/// The columns of a meeting `m` read as a contact row (no stop: 0), so the contact reader
/// serves meetings too.
pub(super) const MEETING_AS_CONTACT: &str = "m.id, 0, m.recorded_at, m.gender, m.nationality, m.age_band, \
     m.first_contact, m.protection, m.information, m.outcomes";

/// Writes a person met with its items; returns its id.
pub(super) fn insert_meeting(
    tx: &Transaction<'_>,
    session: &str,
    ad: Option<i64>,
    province: Province,
    data: &ContactData,
    at: &str,
) -> Result<i64> {
    Person::Meeting.insert(tx, &[&session, &ad, &province], data, at)
}

/// Writes one person contacted in a massage centre.
pub(super) fn insert_massage(
    tx: &Transaction<'_>,
    session: &str,
    who: Who,
    comune: Option<Comune>,
    protection: Protection,
    at: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO massage_contacts (session_id, province, comune, gender, nationality, protection, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![session, who.province, comune, who.gender, who.nationality, protection, at])?;
    Ok(())
}

impl Store {
    /// Records a person met, linked to the ad when there is one.
    pub fn record_meeting(
        &mut self,
        session: Uuid,
        ad_id: Option<i64>,
        province: Province,
        data: &ContactData,
    ) -> Result<i64> {
        data.validate()?;
        let sid = session.to_string();
        let tx = self.write()?;
        ensure_open(&tx, Record::Session, &sid)?;
        if let Some(ad) = ad_id {
            let owner: Option<String> =
                tx.query_row("SELECT session_id FROM indoor_ads WHERE id = ?1", [ad], |r| r.get(0)).optional()?;
            if owner.is_none() {
                return Err(StoreError::not_found(Entity::Ad, ad));
            }
        }
        let id = insert_meeting(&tx, &sid, ad_id, province, data, &Utc::now().to_rfc3339())?;
        touch(&tx, Record::Session, &sid)?;
        tx.commit()?;
        Ok(id)
    }

    /// A person met, as recorded.
    pub fn meeting(&self, id: i64) -> Result<ContactData> {
        let sql = format!("SELECT {MEETING_AS_CONTACT} FROM indoor_meetings m WHERE m.id = ?1");
        let mut data = by_id(&self.conn, &sql, id, Entity::Meeting, row_to_contact)?.data;
        Person::Meeting.children_into(&self.conn, id, &mut data)?;
        Ok(data)
    }

    /// Replaces what is known of a person met (gender and nationality as then known,
    /// details, items, services): one transaction.
    pub fn update_meeting(&mut self, id: i64, data: &ContactData) -> Result<()> {
        let tx = self.write()?;
        Person::Meeting.correct(&tx, id, data)?;
        tx.commit()?;
        Ok(())
    }

    /// Records the persons contacted in a massage centre: `(gender, nationality, how many)`,
    /// their protection status unknown.
    pub fn record_massage_visit(
        &mut self,
        session: Uuid,
        province: Province,
        comune: Option<Comune>,
        persons: &[(Gender, Nationality, u32)],
    ) -> Result<u64> {
        self.record_massage_persons(session, province, comune, persons, Protection::Unknown)
    }

    /// Records the persons contacted in a massage centre: `(gender, nationality, how many)`,
    /// all with the `protection` status said for the visit.
    pub fn record_massage_persons(
        &mut self,
        session: Uuid,
        province: Province,
        comune: Option<Comune>,
        persons: &[(Gender, Nationality, u32)],
        protection: Protection,
    ) -> Result<u64> {
        rules::check_comune_in(comune, province)?;
        let total: u64 = persons.iter().map(|p| u64::from(p.2)).sum();
        rules::check_massage_visit(u32::try_from(total).unwrap_or(u32::MAX))?;
        let sid = session.to_string();
        let at = Utc::now().to_rfc3339();
        let tx = self.write()?;
        ensure_open(&tx, Record::Session, &sid)?;
        for &(gender, nationality, k) in persons {
            for _ in 0..k {
                insert_massage(&tx, &sid, Who { province, gender, nationality }, comune, protection, &at)?;
            }
        }
        touch(&tx, Record::Session, &sid)?;
        tx.commit()?;
        Ok(total)
    }
}
