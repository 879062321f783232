//! Outings, stops and contacts: every change is one durable transaction.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde::Serialize;
use uuid::Uuid;

use super::lifecycle::{Lived, NEWEST_FIRST, ensure_open, touch};
use super::persons::{self, Met};
use super::records::{CONTACT_COLUMNS, Person, all_rows, by_id, register_import, row_to_contact, time_at, uuid_at};
use super::{Entity, Record, Result, Store, StoreError};
use crate::domain::rules;
use crate::domain::tables::Mft;
use crate::domain::{
    Activity, Contact, ContactData, ContactRecord, Items, Language, Outing, OutingStatus, Place, Province, Shift, Stop,
};

/// What starting an outing needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOuting {
    /// Street or labour.
    pub activity: Activity,
    /// When it starts; date and shift follow from it and the unit's boundary.
    pub started_at: DateTime<Utc>,
    /// The worker's choice of shift, overriding the clock.
    pub shift: Option<Shift>,
    /// Workers on the outing.
    pub team_size: Option<u8>,
    /// Whether a cultural mediator is present.
    pub mediator: bool,
    /// The cultural mediator's language (a desk session says it; implies `mediator`).
    pub mediator_language: Option<Language>,
    /// Whether the unit's legal operator is present.
    pub legal_operator: bool,
    /// Part of a national mapping night (the app proposes it on a mapping date).
    pub mapping: bool,
}

/// An outing with its totals, for lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutingOverview {
    /// The outing.
    #[serde(flatten)]
    pub outing: Outing,
    /// Number of stops.
    pub stops: u32,
    /// Provinces of its stops.
    pub provinces: Vec<Province>,
    /// Contacts by gender.
    pub contacts: Mft,
}

/// What an import added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    /// Outings created (an outing an outings file imported first is filled, not counted).
    pub outings: usize,
    /// Stops created.
    pub stops: usize,
    /// Contacts recorded.
    pub contacts: usize,
}

impl Lived for Outing {
    const KIND: Record = Record::Outing;
    const COLUMNS: &'static str = "id, unit_id, activity, date, shift, shift_overridden, started_at, ended_at, \
                                   team_size, mediator, status, revision, mediator_language, legal_operator, mapping";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Outing> {
        Ok(Outing {
            id: uuid_at(r, 0)?,
            unit_id: uuid_at(r, 1)?,
            activity: r.get(2)?,
            date: r.get(3)?,
            shift: r.get(4)?,
            shift_overridden: r.get(5)?,
            started_at: time_at(r, 6)?,
            ended_at: time_at(r, 7)?,
            team_size: r.get(8)?,
            mediator: r.get(9)?,
            status: r.get(10)?,
            revision: r.get(11)?,
            mediator_language: r.get(12)?,
            legal_operator: r.get(13)?,
            mapping: r.get(14)?,
        })
    }

    fn insert(&self, tx: &Transaction<'_>, _unit: Uuid, import_id: Option<i64>) -> Result<()> {
        tx.prepare_cached(
            "INSERT INTO outings (id, unit_id, activity, date, shift, shift_overridden, started_at, ended_at, team_size,
                                  mediator, status, revision, import_id, updated_at, mediator_language, legal_operator,
                                  mapping)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        )?
        .execute(params![
            self.id.to_string(),
            self.unit_id.to_string(),
            self.activity,
            self.date,
            self.shift,
            self.shift_overridden,
            self.started_at.map(|t| t.to_rfc3339()),
            self.ended_at.map(|t| t.to_rfc3339()),
            self.team_size,
            self.mediator,
            self.status,
            self.revision,
            import_id,
            Utc::now().to_rfc3339(),
            self.mediator_language,
            self.legal_operator,
            self.mapping,
        ])?;
        Ok(())
    }
}

/// A place stored as `province` in column `i` and `comune` in `i + 1`.
fn place_at(r: &Row<'_>, i: usize) -> rusqlite::Result<Place> {
    Ok(Place { province: r.get(i)?, comune: r.get(i + 1)? })
}

fn row_to_stop(r: &Row<'_>) -> rusqlite::Result<Stop> {
    Ok(Stop { id: r.get(0)?, outing_id: uuid_at(r, 1)?, place: place_at(r, 2)?, label: r.get(4)? })
}

/// What makes imported rows one outing: date, shift, activity and province.
type OutingKey = (NaiveDate, Shift, Activity, Province);

/// An imported record with its index in the file's rows.
type Indexed<'a> = (usize, &'a ContactRecord);

/// The open outing a stop belongs to, or why it cannot take contacts.
fn open_outing_of_stop(tx: &Transaction<'_>, stop_id: i64) -> Result<(String, Met)> {
    let (outing, met): (String, Met) = tx
        .prepare_cached(
            "SELECT s.outing_id, o.date, o.activity, s.province, o.shift FROM stops s JOIN outings o ON o.id = s.outing_id
             WHERE s.id = ?1",
        )?
        .query_row([stop_id], |r| {
            Ok((r.get(0)?, Met { date: r.get(1)?, activity: r.get(2)?, province: r.get(3)?, shift: r.get(4)? }))
        })
        .optional()?
        .ok_or_else(|| StoreError::not_found(Entity::Stop, stop_id))?;
    ensure_open(tx, Record::Outing, &outing)?;
    Ok((outing, met))
}

/// Writes a stop of an outing (a blank label is none).
fn insert_stop(tx: &Transaction<'_>, outing_id: Uuid, place: Place, label: Option<&str>) -> Result<Stop> {
    let label = label.map(str::trim).filter(|l| !l.is_empty());
    tx.execute(
        "INSERT INTO stops (outing_id, province, comune, label, arrived_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![outing_id.to_string(), place.province, place.comune, label, Utc::now().to_rfc3339()],
    )?;
    Ok(Stop { id: tx.last_insert_rowid(), outing_id, place, label: label.map(str::to_owned) })
}

impl Store {
    /// Starts an outing; date and shift come from the start time and the unit's
    /// day/night boundary unless the shift is given.
    pub fn start_outing(&mut self, new: &NewOuting) -> Result<Outing> {
        let outing = self.new_outing(new)?;
        self.begin(outing)
    }

    /// Starts an outing already at its first stop (a desk session at its comune), in one
    /// transaction: the outing and its stop, or nothing.
    pub fn start_outing_at(&mut self, new: &NewOuting, place: Place) -> Result<(Outing, Stop)> {
        rules::check_comune_in(place.comune, place.province)?;
        let outing = self.new_outing(new)?;
        let unit = self.unit_id;
        let tx = self.write()?;
        outing.insert(&tx, unit, None)?;
        let stop = insert_stop(&tx, outing.id, place, None)?;
        tx.commit()?;
        Ok((outing, stop))
    }

    /// The outing `new` describes, checked, not stored yet.
    fn new_outing(&self, new: &NewOuting) -> Result<Outing> {
        rules::check_outing_activity(new.activity)?;
        let boundary = self.settings()?.shift_boundary;
        let (date, clock_shift) = boundary.classify(new.started_at);
        if let Some(n) = new.team_size {
            rules::check_team_size(n)?;
        }
        let outing = Outing {
            id: Uuid::new_v4(),
            unit_id: self.unit_id,
            activity: new.activity,
            date,
            shift: new.shift.unwrap_or(clock_shift),
            shift_overridden: new.shift.is_some_and(|s| s != clock_shift),
            started_at: Some(new.started_at),
            ended_at: None,
            team_size: new.team_size,
            mediator: new.mediator || new.mediator_language.is_some(),
            mediator_language: new.mediator_language,
            legal_operator: new.legal_operator,
            // A street outing on a mapping night is part of it (the outing view can unset it).
            mapping: new.mapping || (new.activity == Activity::Street && self.is_mapping_night(date)?),
            status: OutingStatus::Open,
            revision: 1,
        };
        Ok(outing)
    }

    /// One outing.
    pub fn outing(&self, id: Uuid) -> Result<Outing> {
        self.lived(id)
    }

    /// Outings still open, newest first.
    pub fn open_outings(&self) -> Result<Vec<Outing>> {
        self.lived_rows("WHERE status = 'open' ORDER BY started_at DESC, date DESC")
    }

    /// Ends an outing.
    pub fn close_outing(&mut self, id: Uuid, ended_at: DateTime<Utc>) -> Result<Outing> {
        self.set_status(Record::Outing, id, OutingStatus::Closed, Some(ended_at))?;
        self.outing(id)
    }

    /// Reopens a closed outing for corrections.
    pub fn reopen_outing(&mut self, id: Uuid) -> Result<Outing> {
        self.set_status(Record::Outing, id, OutingStatus::Open, None)?;
        self.outing(id)
    }

    /// Deletes an outing; once synced, a tombstone revision tells the server.
    pub fn delete_outing(&mut self, id: Uuid) -> Result<()> {
        self.delete_record(Record::Outing, id)
    }

    /// Sets the shift by hand.
    pub fn set_outing_shift(&mut self, id: Uuid, shift: Shift) -> Result<Outing> {
        let tx = self.write()?;
        let n = tx.execute(
            "UPDATE outings SET shift = ?2, shift_overridden = 1 WHERE id = ?1",
            params![id.to_string(), shift],
        )?;
        if n == 0 {
            return Err(StoreError::not_found(Entity::Outing, id));
        }
        touch(&tx, Record::Outing, &id.to_string())?;
        let moved = persons::persons_of_outing(&tx, &id.to_string())?;
        persons::rebuild(&tx, moved)?;
        tx.commit()?;
        self.outing(id)
    }

    /// Every outing with its totals, newest first.
    pub fn list_outings(&self) -> Result<Vec<OutingOverview>> {
        let outings: Vec<Outing> = self.lived_rows(NEWEST_FIRST)?;
        let mut stops: HashMap<String, (u32, Vec<Province>)> = HashMap::new();
        let mut st = self.conn.prepare_cached("SELECT outing_id, province FROM stops ORDER BY id")?;
        for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Province>(1)?)))? {
            let (outing, p) = row?;
            let e = stops.entry(outing).or_default();
            e.0 += 1;
            if !e.1.contains(&p) {
                e.1.push(p);
            }
        }
        let mut contacts: HashMap<String, Mft> = HashMap::new();
        let mut st = self.conn.prepare_cached(
            "SELECT s.outing_id, c.gender, count(*) FROM contacts c JOIN stops s ON s.id = c.stop_id
             GROUP BY s.outing_id, c.gender",
        )?;
        for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get::<_, i64>(2)?)))? {
            let (outing, gender, n) = row?;
            contacts.entry(outing).or_default().add(gender, n as u64);
        }
        Ok(outings
            .into_iter()
            .map(|o| {
                let key = o.id.to_string();
                let (n_stops, provinces) = stops.remove(&key).unwrap_or_default();
                OutingOverview {
                    stops: n_stops,
                    provinces,
                    contacts: contacts.remove(&key).unwrap_or_default(),
                    outing: o,
                }
            })
            .collect())
    }

    /// Adds a stop to an open outing.
    pub fn add_stop(&mut self, outing_id: Uuid, place: Place, label: Option<&str>) -> Result<Stop> {
        rules::check_comune_in(place.comune, place.province)?;
        let tx = self.write()?;
        ensure_open(&tx, Record::Outing, &outing_id.to_string())?;
        let stop = insert_stop(&tx, outing_id, place, label)?;
        touch(&tx, Record::Outing, &outing_id.to_string())?;
        tx.commit()?;
        Ok(stop)
    }

    /// The stops of an outing, in order.
    pub fn stops(&self, outing_id: Uuid) -> Result<Vec<Stop>> {
        let sql = "SELECT id, outing_id, province, comune, label FROM stops WHERE outing_id = ?1 ORDER BY id";
        all_rows(&self.conn, sql, [outing_id.to_string()], row_to_stop)
    }

    /// The activity of the outing a stop belongs to.
    pub fn stop_activity(&self, stop_id: i64) -> Result<Activity> {
        let sql = "SELECT o.activity FROM stops s JOIN outings o ON o.id = s.outing_id WHERE s.id = ?1";
        self.conn
            .prepare_cached(sql)?
            .query_row([stop_id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::not_found(Entity::Stop, stop_id))
    }

    /// Places (with their labels) of recent stops, most recent first, without repeats.
    pub fn recent_places(&self, limit: usize) -> Result<Vec<(Place, Option<String>)>> {
        let sql =
            "SELECT province, comune, label FROM stops GROUP BY province, comune, label ORDER BY max(id) DESC LIMIT ?1";
        all_rows(&self.conn, sql, [limit as i64], |r| Ok((place_at(r, 0)?, r.get(2)?)))
    }

    /// Records one person met at a stop: one durable transaction.
    pub fn record_contact(&mut self, stop_id: i64, data: &ContactData) -> Result<Contact> {
        Ok(self.record_contacts(stop_id, data, 1)?.remove(0))
    }

    /// Records `n` people alike (a "+N" tap) in one durable transaction: each is a new
    /// person of the register.
    pub fn record_contacts(&mut self, stop_id: i64, data: &ContactData, n: u32) -> Result<Vec<Contact>> {
        data.validate()?;
        rules::check_people_per_tap(n)?;
        let now = Utc::now();
        let at = now.to_rfc3339();
        let tx = self.write()?;
        let (outing_id, met) = open_outing_of_stop(&tx, stop_id)?;
        let named = persons::named_periods(&tx)?;
        let mut out = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let person = persons::new_person(&tx, data, None)?;
            let id = Person::Contact.insert(&tx, &[&stop_id, &person], data, &at)?;
            persons::note_met(&tx, person, met, &named)?;
            out.push(Contact { id, stop_id, recorded_at: now, data: data.clone() });
        }
        touch(&tx, Record::Outing, &outing_id)?;
        tx.commit()?;
        Ok(out)
    }

    /// Records a known person met again at a stop, with their details and `items`: one
    /// durable transaction.
    pub fn record_known(&mut self, stop_id: i64, person_id: i64, items: &Items) -> Result<Contact> {
        let person = self.person(person_id)?;
        let mut data = ContactData::new(person.gender, person.nationality);
        data.age_band = person.age_band;
        data.protection = person.protection;
        data.first_contact = Some(false);
        data.items = items.clone();
        data.validate()?;
        let now = Utc::now();
        let tx = self.write()?;
        let (outing_id, met) = open_outing_of_stop(&tx, stop_id)?;
        let named = persons::named_periods(&tx)?;
        let id = Person::Contact.insert(&tx, &[&stop_id, &person_id], &data, &now.to_rfc3339())?;
        if !persons::note_met(&tx, person_id, met, &named)? {
            persons::rebuild(&tx, [person_id])?;
        }
        touch(&tx, Record::Outing, &outing_id)?;
        tx.commit()?;
        Ok(Contact { id, stop_id, recorded_at: now, data })
    }

    /// Replaces what is known of a contact (the detail sheet). Gender, nationality, age
    /// band and protection are the person's: a change there changes the person, and every
    /// contact of theirs follows.
    pub fn update_contact(&mut self, id: i64, data: &ContactData) -> Result<Contact> {
        let tx = self.write()?;
        Person::Contact.correct(&tx, id, data)?;
        let person: Option<i64> = tx.query_row("SELECT person_id FROM contacts WHERE id = ?1", [id], |r| r.get(0))?;
        if let Some(person) = person {
            tx.execute(
                "UPDATE persons SET gender = ?2, nationality = ?3, age_band = ?4, protection = ?5 WHERE id = ?1",
                params![person, data.gender, data.nationality, data.age_band, data.protection],
            )?;
            persons::follow_person(&tx, person)?;
        }
        tx.commit()?;
        self.contact(id)
    }

    /// Takes back the last contact recorded in an open outing; `None` when it has none.
    /// A person that contact created goes with it.
    pub fn undo_last_contact(&mut self, outing_id: Uuid) -> Result<Option<Contact>> {
        let last: Option<i64> = self
            .conn
            .query_row(
                "SELECT c.id FROM contacts c JOIN stops s ON s.id = c.stop_id WHERE s.outing_id = ?1
                 ORDER BY c.id DESC LIMIT 1",
                [outing_id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = last else { return Ok(None) };
        let contact = self.contact(id)?;
        let tx = self.write()?;
        let (outing, _) = open_outing_of_stop(&tx, contact.stop_id)?;
        let person: Option<i64> = tx.query_row("SELECT person_id FROM contacts WHERE id = ?1", [id], |r| r.get(0))?;
        tx.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
        persons::rebuild(&tx, person)?;
        touch(&tx, Record::Outing, &outing)?;
        tx.commit()?;
        Ok(Some(contact))
    }

    /// One contact with its items.
    pub fn contact(&self, id: i64) -> Result<Contact> {
        let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts c WHERE c.id = ?1");
        let mut contact = by_id(&self.conn, &sql, id, Entity::Contact, row_to_contact)?;
        Person::Contact.children_into(&self.conn, id, &mut contact.data)?;
        Ok(contact)
    }

    /// The contacts of an outing with their items, in the order recorded.
    pub fn contacts_of_outing(&self, outing_id: Uuid) -> Result<Vec<Contact>> {
        let oid = outing_id.to_string();
        let sql = format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts c JOIN stops s ON s.id = c.stop_id WHERE s.outing_id = ?1 ORDER BY c.id"
        );
        let mut contacts = all_rows(&self.conn, &sql, [&oid], row_to_contact)?;
        let index: HashMap<i64, usize> = contacts.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        Person::Contact.children_of_many(
            &self.conn,
            "JOIN contacts c ON c.id = x.contact_id JOIN stops s ON s.id = c.stop_id WHERE s.outing_id = ?1",
            [&oid],
            &index,
            &mut contacts,
            |c| &mut c.data,
        )?;
        Ok(contacts)
    }

    /// Imports historical contacts in one transaction: rows with the same date, shift,
    /// activity and province form one (closed) outing, with one stop per comune. The
    /// same file (by `sha256`) is refused the second time.
    pub fn import_records(&mut self, records: &[ContactRecord], sha256: &str) -> Result<ImportOutcome> {
        self.import_records_with(records, &[], sha256)
    }

    /// [`Store::import_records`] with each record's labour sector and setting, joint
    /// inspection and mapping flag (`outreach[i]` is `records[i]`'s; missing: none).
    pub fn import_records_with(
        &mut self,
        records: &[ContactRecord],
        outreach: &[super::ImportedOutreach],
        sha256: &str,
    ) -> Result<ImportOutcome> {
        let none = super::ImportedOutreach::default();
        let outreach_of = |i: usize| outreach.get(i).unwrap_or(&none);
        for r in records {
            rules::check_outing_activity(r.activity)?;
            rules::check_comune_in(r.place.comune, r.place.province)?;
            r.data.validate()?;
        }
        let unit_id = self.unit_id;
        let tx = self.write()?;
        let import_id = register_import(&tx, sha256, records.len())?;
        let now = Utc::now().to_rfc3339();
        // Group deterministically, so the same rows in any order build the same outings.
        let mut outings: BTreeMap<OutingKey, BTreeMap<Place, Vec<Indexed<'_>>>> = BTreeMap::new();
        for (i, r) in records.iter().enumerate() {
            if let Some(code) = &r.person {
                rules::check_person_code(code)?;
            }
            outings
                .entry((r.date, r.shift, r.activity, r.place.province))
                .or_default()
                .entry(r.place)
                .or_default()
                .push((i, r));
        }
        let named = persons::named_periods(&tx)?;
        let mut rebuild = Vec::new();
        let mut outcome = ImportOutcome { outings: 0, stops: 0, contacts: 0 };
        for (key, stops) in outings {
            let (date, shift, activity, _) = key;
            let mapping = stops.values().flatten().any(|(i, _)| outreach_of(*i).mapping);
            // An outings file may have imported this outing first, without contacts.
            let outing_id = match super::outings_import::imported_outing(&tx, unit_id, key, true)? {
                Some(id) => {
                    tx.prepare_cached(
                        "UPDATE outings SET mapping = mapping OR ?2, revision = revision + 1, updated_at = ?3 WHERE id = ?1",
                    )?
                    .execute(params![id.to_string(), mapping, now])?;
                    id
                }
                None => {
                    let outing = Outing {
                        id: Uuid::new_v4(),
                        unit_id,
                        activity,
                        date,
                        shift,
                        shift_overridden: false,
                        started_at: None,
                        ended_at: None,
                        legal_operator: false,
                        mapping,
                        team_size: None,
                        mediator: false,
                        mediator_language: None,
                        status: OutingStatus::Closed,
                        revision: 1,
                    };
                    outing.insert(&tx, unit_id, Some(import_id))?;
                    outcome.outings += 1;
                    outing.id
                }
            };
            for (place, contacts) in stops {
                let (stop_id, created) = super::outings_import::stop_at(&tx, outing_id, place)?;
                outcome.stops += usize::from(created);
                for (i, r) in contacts {
                    let person = match &r.person {
                        Some(code) => persons::person_of_code(&tx, code, &r.data)?,
                        None => persons::new_person(&tx, &r.data, None)?,
                    };
                    let contact = Person::Contact.insert(&tx, &[&stop_id, &person], &r.data, &now)?;
                    super::labour_sectors::write_imported(&tx, stop_id, contact, outreach_of(i))?;
                    let met = Met { date, activity, province: place.province, shift };
                    if !persons::note_met(&tx, person, met, &named)? {
                        rebuild.push(person);
                    }
                    outcome.contacts += 1;
                }
            }
        }
        persons::rebuild(&tx, rebuild)?;
        tx.commit()?;
        Ok(outcome)
    }
}
