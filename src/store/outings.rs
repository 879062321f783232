//! Outings, stops and contacts: every change is one durable transaction.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, Transaction, params, params_from_iter};
use serde::Serialize;
use uuid::Uuid;

use super::{Result, Store, StoreError};
use crate::domain::tables::Mft;
use crate::domain::{
    Activity, AgeBand, Comune, Contact, ContactData, ContactRecord, Gender, ItemKey, ItemKind, Items, Language,
    Nationality, Outing, OutingStatus, Place, Protection, Province, ServiceSet, Services, Shift, Stop,
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
    /// Outings created.
    pub outings: usize,
    /// Stops created.
    pub stops: usize,
    /// Contacts recorded.
    pub contacts: usize,
}

const OUTING_COLUMNS: &str = "id, unit_id, activity, date, shift, shift_overridden, started_at, ended_at, team_size, \
                              mediator, status, revision";

pub(super) fn parse_uuid(s: String) -> rusqlite::Result<Uuid> {
    Uuid::parse_str(&s).map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into()))
}

pub(super) fn conv<T, E: std::error::Error + Send + Sync + 'static>(
    r: std::result::Result<T, E>,
) -> rusqlite::Result<T> {
    r.map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into()))
}

pub(super) fn parse_time(s: Option<String>) -> rusqlite::Result<Option<DateTime<Utc>>> {
    s.map(|s| conv(DateTime::parse_from_rfc3339(&s)).map(|d| d.with_timezone(&Utc))).transpose()
}

fn row_to_outing(r: &Row<'_>) -> rusqlite::Result<Outing> {
    Ok(Outing {
        id: parse_uuid(r.get(0)?)?,
        unit_id: parse_uuid(r.get(1)?)?,
        activity: conv(Activity::parse(&r.get::<_, String>(2)?))?,
        date: r.get::<_, NaiveDate>(3)?,
        shift: conv(Shift::parse(&r.get::<_, String>(4)?))?,
        shift_overridden: r.get(5)?,
        started_at: parse_time(r.get(6)?)?,
        ended_at: parse_time(r.get(7)?)?,
        team_size: r.get(8)?,
        mediator: r.get(9)?,
        status: conv(OutingStatus::parse(&r.get::<_, String>(10)?))?,
        revision: r.get(11)?,
    })
}

fn row_to_place(province: String, comune: Option<String>) -> rusqlite::Result<Place> {
    Ok(Place {
        province: conv(Province::parse(&province))?,
        comune: comune.map(|c| conv(Comune::parse(&c))).transpose()?,
    })
}

fn row_to_stop(r: &Row<'_>) -> rusqlite::Result<Stop> {
    Ok(Stop {
        id: r.get(0)?,
        outing_id: parse_uuid(r.get(1)?)?,
        place: row_to_place(r.get(2)?, r.get(3)?)?,
        label: r.get(4)?,
    })
}

const CONTACT_COLUMNS: &str = "c.id, c.stop_id, c.recorded_at, c.gender, c.nationality, c.age_band, c.first_contact, \
                               c.protection, c.information, c.listening, c.referrals, c.accompaniments";

pub(super) fn row_to_contact(r: &Row<'_>) -> rusqlite::Result<Contact> {
    let age: Option<String> = r.get(5)?;
    Ok(Contact {
        id: r.get(0)?,
        stop_id: r.get(1)?,
        recorded_at: parse_time(Some(r.get(2)?))?.expect("present"),
        data: ContactData {
            gender: conv(Gender::parse(&r.get::<_, String>(3)?))?,
            nationality: conv(Nationality::parse(&r.get::<_, String>(4)?))?,
            age_band: age.map(|a| conv(AgeBand::parse(&a))).transpose()?,
            first_contact: r.get(6)?,
            protection: conv(Protection::parse(&r.get::<_, String>(7)?))?,
            items: Items::default(),
            services: Services {
                information: r.get(8)?,
                listening: r.get(9)?,
                referrals: conv(ServiceSet::from_bits(r.get(10)?))?,
                accompaniments: conv(ServiceSet::from_bits(r.get(11)?))?,
            },
        },
    })
}

/// Parses a stored item row (`kind`, `language`).
pub(super) fn item_key(kind: &str, language: &str) -> rusqlite::Result<ItemKey> {
    Ok(ItemKey {
        kind: conv(ItemKind::parse(kind))?,
        language: if language.is_empty() { None } else { Some(conv(Language::parse(language))?) },
    })
}

/// Inserts a contact and its items inside `tx`; returns its id.
/// A contact's details in the column order of `contacts`, from `gender` to `accompaniments`.
pub(super) fn detail_values(data: &ContactData) -> [Value; 9] {
    let s = data.services;
    let text = |t: &str| Value::Text(t.to_owned());
    [
        text(data.gender.code()),
        text(data.nationality.code()),
        data.age_band.map_or(Value::Null, |a| text(a.code())),
        data.first_contact.map_or(Value::Null, |f| Value::Integer(f as i64)),
        text(data.protection.code()),
        Value::Integer(s.information as i64),
        Value::Integer(s.listening as i64),
        Value::Integer(s.referrals.bits() as i64),
        Value::Integer(s.accompaniments.bits() as i64),
    ]
}

/// Rewrites a person's details (gender to accompaniments) in `table` (contacts or meetings).
pub(super) fn update_details(tx: &Transaction<'_>, table: &str, id: i64, data: &ContactData) -> Result<()> {
    tx.execute(
        &format!(
            "UPDATE {table} SET gender = ?2, nationality = ?3, age_band = ?4, first_contact = ?5, protection = ?6,
                    information = ?7, listening = ?8, referrals = ?9, accompaniments = ?10 WHERE id = ?1"
        ),
        params_from_iter(std::iter::once(Value::from(id)).chain(detail_values(data))),
    )?;
    Ok(())
}

fn insert_contact(tx: &Transaction<'_>, stop_id: i64, data: &ContactData, at: &str) -> Result<i64> {
    let mut ins = tx.prepare_cached(
        "INSERT INTO contacts (stop_id, gender, nationality, age_band, first_contact, protection, information,
                               listening, referrals, accompaniments, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let values = std::iter::once(Value::from(stop_id)).chain(detail_values(data)).chain([Value::from(at.to_owned())]);
    ins.execute(params_from_iter(values))?;
    let id = tx.last_insert_rowid();
    insert_items(tx, id, &data.items)?;
    Ok(id)
}

fn insert_items(tx: &Transaction<'_>, contact_id: i64, items: &Items) -> Result<()> {
    let mut ins =
        tx.prepare_cached("INSERT INTO contact_items (contact_id, kind, language, quantity) VALUES (?1, ?2, ?3, ?4)")?;
    for (key, qty) in items.iter() {
        ins.execute(params![contact_id, key.kind.code(), key.language.map_or("", |l| l.code()), qty])?;
    }
    Ok(())
}

/// Marks an outing changed: after a sync, the first change bumps the revision so the
/// summary is sent again; before any sync nothing needs writing.
/// What makes imported rows one outing: date, shift, activity and province.
type OutingKey = (NaiveDate, Shift, Activity, Province);

fn touch_outing(tx: &Transaction<'_>, outing_id: &str) -> Result<()> {
    tx.prepare_cached(
        "UPDATE outings SET revision = revision + 1, updated_at = ?2 WHERE id = ?1 AND revision = synced_revision",
    )?
    .execute(params![outing_id, Utc::now().to_rfc3339()])?;
    Ok(())
}

/// The open outing a stop belongs to, or why it cannot take contacts.
fn open_outing_of_stop(tx: &Transaction<'_>, stop_id: i64) -> Result<String> {
    let found: Option<(String, String)> = tx
        .prepare_cached("SELECT o.id, o.status FROM stops s JOIN outings o ON o.id = s.outing_id WHERE s.id = ?1")?
        .query_row([stop_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match found {
        None => Err(StoreError::NotFound { what: "stop", id: stop_id.to_string() }),
        Some((_, status)) if status != "open" => {
            Err(StoreError::Conflict("this outing is closed: reopen it to correct it".into()))
        }
        Some((id, _)) => Ok(id),
    }
}

/// Registers an imported file by its hash, refusing one already imported; returns its id.
pub(super) fn register_import(tx: &Transaction<'_>, sha256: &str, rows: usize) -> Result<i64> {
    let before: Option<String> =
        tx.query_row("SELECT imported_at FROM imports WHERE sha256 = ?1", [sha256], |r| r.get(0)).optional()?;
    if let Some(when) = before {
        let when = DateTime::parse_from_rfc3339(&when)
            .map(|t| t.with_timezone(&chrono_tz::Europe::Rome).format("%d/%m/%Y %H:%M").to_string())
            .unwrap_or(when);
        return Err(StoreError::Conflict(format!(
            "this file was already imported on {when}; nothing was imported again"
        )));
    }
    tx.execute(
        "INSERT INTO imports (sha256, rows, imported_at) VALUES (?1, ?2, ?3)",
        params![sha256, rows as i64, Utc::now().to_rfc3339()],
    )?;
    Ok(tx.last_insert_rowid())
}

impl Store {
    /// Starts an outing; date and shift come from the start time and the unit's
    /// day/night boundary unless the shift is given.
    pub fn start_outing(&mut self, new: &NewOuting) -> Result<Outing> {
        if !Activity::OUTINGS.contains(&new.activity) {
            return Err(StoreError::Conflict("indoor work is recorded in indoor sessions, not outings".into()));
        }
        let boundary = self.settings()?.shift_boundary;
        let (date, clock_shift) = boundary.classify(new.started_at);
        if new.team_size.is_some_and(|n| !(1..=50).contains(&n)) {
            return Err(StoreError::Conflict("team size must be between 1 and 50".into()));
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
            mediator: new.mediator,
            status: OutingStatus::Open,
            revision: 1,
        };
        let tx = self.write()?;
        insert_outing(&tx, &outing, None)?;
        tx.commit()?;
        Ok(outing)
    }

    /// One outing.
    pub fn outing(&self, id: Uuid) -> Result<Outing> {
        self.conn
            .query_row(&format!("SELECT {OUTING_COLUMNS} FROM outings WHERE id = ?1"), [id.to_string()], row_to_outing)
            .optional()?
            .ok_or_else(|| StoreError::NotFound { what: "outing", id: id.to_string() })
    }

    /// Outings still open, newest first.
    pub fn open_outings(&self) -> Result<Vec<Outing>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {OUTING_COLUMNS} FROM outings WHERE status = 'open' ORDER BY started_at DESC, date DESC"
        ))?;
        Ok(st.query_map([], row_to_outing)?.collect::<rusqlite::Result<_>>()?)
    }

    fn set_status(&mut self, id: Uuid, status: OutingStatus, ended_at: Option<DateTime<Utc>>) -> Result<Outing> {
        let tx = self.write()?;
        let n = tx.execute(
            "UPDATE outings SET status = ?2, ended_at = coalesce(?3, ended_at), updated_at = ?4 WHERE id = ?1",
            params![id.to_string(), status.code(), ended_at.map(|t| t.to_rfc3339()), Utc::now().to_rfc3339()],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound { what: "outing", id: id.to_string() });
        }
        touch_outing(&tx, &id.to_string())?;
        tx.commit()?;
        self.outing(id)
    }

    /// Ends an outing.
    pub fn close_outing(&mut self, id: Uuid, ended_at: DateTime<Utc>) -> Result<Outing> {
        self.set_status(id, OutingStatus::Closed, Some(ended_at))
    }

    /// Reopens a closed outing for corrections.
    pub fn reopen_outing(&mut self, id: Uuid) -> Result<Outing> {
        self.set_status(id, OutingStatus::Open, None)
    }

    /// Sets the shift by hand.
    pub fn set_outing_shift(&mut self, id: Uuid, shift: Shift) -> Result<Outing> {
        let tx = self.write()?;
        let n = tx.execute(
            "UPDATE outings SET shift = ?2, shift_overridden = 1 WHERE id = ?1",
            params![id.to_string(), shift.code()],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound { what: "outing", id: id.to_string() });
        }
        touch_outing(&tx, &id.to_string())?;
        tx.commit()?;
        self.outing(id)
    }

    /// Every outing with its totals, newest first.
    pub fn list_outings(&self) -> Result<Vec<OutingOverview>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {OUTING_COLUMNS} FROM outings ORDER BY date DESC, started_at DESC, rowid DESC"
        ))?;
        let outings: Vec<Outing> = st.query_map([], row_to_outing)?.collect::<rusqlite::Result<_>>()?;
        let mut stops: HashMap<String, (u32, Vec<Province>)> = HashMap::new();
        let mut st = self.conn.prepare_cached("SELECT outing_id, province FROM stops ORDER BY id")?;
        for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (outing, province) = row?;
            let e = stops.entry(outing).or_default();
            e.0 += 1;
            let p = Province::parse(&province)?;
            if !e.1.contains(&p) {
                e.1.push(p);
            }
        }
        let mut contacts: HashMap<String, Mft> = HashMap::new();
        let mut st = self.conn.prepare_cached(
            "SELECT s.outing_id, c.gender, count(*) FROM contacts c JOIN stops s ON s.id = c.stop_id
             GROUP BY s.outing_id, c.gender",
        )?;
        for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))? {
            let (outing, gender, n) = row?;
            contacts.entry(outing).or_default().add(Gender::parse(&gender)?, n as u64);
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
        if let Some(c) = place.comune
            && c.province() != place.province
        {
            return Err(StoreError::Conflict(format!("{} is not in province {}", c.name(), place.province)));
        }
        let label = label.map(str::trim).filter(|l| !l.is_empty());
        let tx = self.write()?;
        let status: Option<String> = tx
            .query_row("SELECT status FROM outings WHERE id = ?1", [outing_id.to_string()], |r| r.get(0))
            .optional()?;
        match status.as_deref() {
            None => return Err(StoreError::NotFound { what: "outing", id: outing_id.to_string() }),
            Some("open") => {}
            Some(_) => return Err(StoreError::Conflict("this outing is closed: reopen it to correct it".into())),
        }
        tx.execute(
            "INSERT INTO stops (outing_id, province, comune, label, arrived_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                outing_id.to_string(),
                place.province.code(),
                place.comune.map(|c| c.code()),
                label,
                Utc::now().to_rfc3339()
            ],
        )?;
        let id = tx.last_insert_rowid();
        touch_outing(&tx, &outing_id.to_string())?;
        tx.commit()?;
        Ok(Stop { id, outing_id, place, label: label.map(str::to_owned) })
    }

    /// The stops of an outing, in order.
    pub fn stops(&self, outing_id: Uuid) -> Result<Vec<Stop>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, outing_id, province, comune, label FROM stops WHERE outing_id = ?1 ORDER BY id",
        )?;
        Ok(st.query_map([outing_id.to_string()], row_to_stop)?.collect::<rusqlite::Result<_>>()?)
    }

    /// Places (with their labels) of recent stops, most recent first, without repeats.
    pub fn recent_places(&self, limit: usize) -> Result<Vec<(Place, Option<String>)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT province, comune, label FROM stops GROUP BY province, comune, label ORDER BY max(id) DESC LIMIT ?1",
        )?;
        let rows = st.query_map([limit as i64], |r| Ok((row_to_place(r.get(0)?, r.get(1)?)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records one person met at a stop: one durable transaction.
    pub fn record_contact(&mut self, stop_id: i64, data: &ContactData) -> Result<Contact> {
        Ok(self.record_contacts(stop_id, data, 1)?.remove(0))
    }

    /// Records `n` people alike (a "+N" tap) in one durable transaction.
    pub fn record_contacts(&mut self, stop_id: i64, data: &ContactData, n: u32) -> Result<Vec<Contact>> {
        data.validate()?;
        if n == 0 || n > 500 {
            return Err(StoreError::Conflict(format!("cannot record {n} people at once (1 to 500)")));
        }
        let now = Utc::now();
        let at = now.to_rfc3339();
        let tx = self.write()?;
        let outing_id = open_outing_of_stop(&tx, stop_id)?;
        let mut out = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let id = insert_contact(&tx, stop_id, data, &at)?;
            out.push(Contact { id, stop_id, recorded_at: now, data: data.clone() });
        }
        touch_outing(&tx, &outing_id)?;
        tx.commit()?;
        Ok(out)
    }

    /// Replaces what is known of a contact (the detail sheet).
    pub fn update_contact(&mut self, id: i64, data: &ContactData) -> Result<Contact> {
        data.validate()?;
        let tx = self.write()?;
        let stop_id: i64 = tx
            .query_row("SELECT stop_id FROM contacts WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound { what: "contact", id: id.to_string() })?;
        let outing_id = open_outing_of_stop(&tx, stop_id)?;
        update_details(&tx, "contacts", id, data)?;
        tx.execute("DELETE FROM contact_items WHERE contact_id = ?1", [id])?;
        insert_items(&tx, id, &data.items)?;
        touch_outing(&tx, &outing_id)?;
        tx.commit()?;
        self.contact(id)
    }

    /// Takes back the last contact recorded in an open outing; `None` when it has none.
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
        let outing = open_outing_of_stop(&tx, contact.stop_id)?;
        tx.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
        touch_outing(&tx, &outing)?;
        tx.commit()?;
        Ok(Some(contact))
    }

    /// One contact with its items.
    pub fn contact(&self, id: i64) -> Result<Contact> {
        let mut contact = self
            .conn
            .query_row(&format!("SELECT {CONTACT_COLUMNS} FROM contacts c WHERE c.id = ?1"), [id], row_to_contact)
            .optional()?
            .ok_or_else(|| StoreError::NotFound { what: "contact", id: id.to_string() })?;
        let mut st =
            self.conn.prepare_cached("SELECT kind, language, quantity FROM contact_items WHERE contact_id = ?1")?;
        for row in
            st.query_map([id], |r| Ok((item_key(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?)?, r.get(2)?)))?
        {
            let (key, qty) = row?;
            contact.data.items.set(key, qty);
        }
        Ok(contact)
    }

    /// The contacts of an outing with their items, in the order recorded.
    pub fn contacts_of_outing(&self, outing_id: Uuid) -> Result<Vec<Contact>> {
        let oid = outing_id.to_string();
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts c JOIN stops s ON s.id = c.stop_id WHERE s.outing_id = ?1 ORDER BY c.id"
        ))?;
        let mut contacts: Vec<Contact> = st.query_map([&oid], row_to_contact)?.collect::<rusqlite::Result<_>>()?;
        let index: HashMap<i64, usize> = contacts.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        let mut st = self.conn.prepare_cached(
            "SELECT i.contact_id, i.kind, i.language, i.quantity FROM contact_items i
             JOIN contacts c ON c.id = i.contact_id JOIN stops s ON s.id = c.stop_id WHERE s.outing_id = ?1",
        )?;
        let rows = st.query_map([&oid], |r| {
            Ok((r.get::<_, i64>(0)?, item_key(&r.get::<_, String>(1)?, &r.get::<_, String>(2)?)?, r.get(3)?))
        })?;
        for row in rows {
            let (cid, key, qty) = row?;
            if let Some(&i) = index.get(&cid) {
                contacts[i].data.items.set(key, qty);
            }
        }
        Ok(contacts)
    }

    /// Imports historical contacts in one transaction: rows with the same date, shift,
    /// activity and province form one (closed) outing, with one stop per comune. The
    /// same file (by `sha256`) is refused the second time.
    pub fn import_records(&mut self, records: &[ContactRecord], sha256: &str) -> Result<ImportOutcome> {
        for r in records {
            r.data.validate()?;
        }
        let unit_id = self.unit_id;
        let tx = self.write()?;
        let import_id = register_import(&tx, sha256, records.len())?;
        let now = Utc::now().to_rfc3339();
        // Group deterministically, so the same rows in any order build the same outings.
        let mut outings: BTreeMap<OutingKey, BTreeMap<Place, Vec<&ContactData>>> = BTreeMap::new();
        for r in records {
            outings
                .entry((r.date, r.shift, r.activity, r.place.province))
                .or_default()
                .entry(r.place)
                .or_default()
                .push(&r.data);
        }
        let mut outcome = ImportOutcome { outings: 0, stops: 0, contacts: 0 };
        for ((date, shift, activity, _), stops) in outings {
            let outing = Outing {
                id: Uuid::new_v4(),
                unit_id,
                activity,
                date,
                shift,
                shift_overridden: false,
                started_at: None,
                ended_at: None,
                team_size: None,
                mediator: false,
                status: OutingStatus::Closed,
                revision: 1,
            };
            insert_outing(&tx, &outing, Some(import_id))?;
            outcome.outings += 1;
            for (place, contacts) in stops {
                tx.prepare_cached("INSERT INTO stops (outing_id, province, comune) VALUES (?1, ?2, ?3)")?
                    .execute(params![outing.id.to_string(), place.province.code(), place.comune.map(|c| c.code())])?;
                let stop_id = tx.last_insert_rowid();
                outcome.stops += 1;
                for data in contacts {
                    insert_contact(&tx, stop_id, data, &now)?;
                    outcome.contacts += 1;
                }
            }
        }
        tx.commit()?;
        Ok(outcome)
    }
}

fn insert_outing(tx: &Transaction<'_>, o: &Outing, import_id: Option<i64>) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO outings (id, unit_id, activity, date, shift, shift_overridden, started_at, ended_at, team_size,
                              mediator, status, revision, import_id, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        o.id.to_string(),
        o.unit_id.to_string(),
        o.activity.code(),
        o.date,
        o.shift.code(),
        o.shift_overridden,
        o.started_at.map(|t| t.to_rfc3339()),
        o.ended_at.map(|t| t.to_rfc3339()),
        o.team_size,
        o.mediator,
        o.status.code(),
        o.revision,
        import_id,
        Utc::now().to_rfc3339(),
    ])?;
    Ok(())
}
