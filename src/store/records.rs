//! The row readers and writers street outings and indoor sessions share: ids and times,
//! a person's details (a contact at a stop and a person met indoors have the same
//! columns), the items handed out, and the register of imported files.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::types::{FromSqlError, Type};
use rusqlite::{OptionalExtension, Row, ToSql, Transaction, params, params_from_iter};
use uuid::Uuid;

use super::lifecycle::{ensure_open, touch};
use super::{Entity, Record, Result, StoreError};
use crate::domain::emersion::OutcomeSet;
use crate::domain::{Contact, ContactData, EventKey, ItemKey, Items, Services};

/// A conversion error for column `i`.
fn bad_column(i: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e))
}

/// The UUID stored as text in column `i`.
pub(super) fn uuid_at(r: &Row<'_>, i: usize) -> rusqlite::Result<Uuid> {
    Uuid::parse_str(r.get_ref(i)?.as_str()?).map_err(|e| bad_column(i, e))
}

/// The RFC 3339 time stored in column `i`, `None` for NULL.
pub(super) fn time_at(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let Some(text) = r.get_ref(i)?.as_str_or_null()? else { return Ok(None) };
    Ok(Some(DateTime::parse_from_rfc3339(text).map_err(|e| bad_column(i, e))?.with_timezone(&Utc)))
}

/// The one row `sql` (with `id = ?1`) finds, read by `map`; [`StoreError::NotFound`] of
/// `what` when there is none.
pub(super) fn by_id<T, I: ToSql + std::fmt::Display>(
    conn: &rusqlite::Connection,
    sql: &str,
    id: I,
    what: Entity,
    map: fn(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<T> {
    conn.prepare_cached(sql)?.query_row([&id], map).optional()?.ok_or_else(|| StoreError::not_found(what, id))
}

/// Every row `sql` finds with `params`, read by `map`.
pub(super) fn all_rows<T, P: rusqlite::Params>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: P,
    map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    Ok(conn.prepare_cached(sql)?.query_map(params, map)?.collect::<rusqlite::Result<_>>()?)
}

/// A `count(*)` column.
pub(super) fn count_at(r: &Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, i64>(i)?.max(0) as u64)
}

/// An item stored as `kind` in column `i` and `language` in `i + 1` (empty when none).
pub(super) fn item_at(r: &Row<'_>, i: usize) -> rusqlite::Result<ItemKey> {
    let language = match r.get_ref(i + 1)?.as_str()? {
        "" => None,
        _ => Some(r.get(i + 1)?),
    };
    Ok(ItemKey { kind: r.get(i)?, language })
}

/// An event stored as `kind`, `service` and `subtype` from column `i` (service and
/// sub-type empty when none).
pub(super) fn event_at(r: &Row<'_>, i: usize) -> rusqlite::Result<EventKey> {
    let optional =
        |j: usize| -> rusqlite::Result<Option<&str>> { Ok(Some(r.get_ref(j)?.as_str()?).filter(|s| !s.is_empty())) };
    let service = optional(i + 1)?.map(|_| r.get(i + 1)).transpose()?;
    let subtype = optional(i + 2)?.map(|_| r.get(i + 2)).transpose()?;
    let key = EventKey { kind: r.get(i)?, service, subtype };
    key.validate().map_err(|e| bad_column(i, e))?;
    Ok(key)
}

/// A person's detail columns, from `gender` to `information`, in a table that keeps
/// people (contacts, indoor meetings).
macro_rules! detail_columns {
    () => {
        "gender, nationality, age_band, first_contact, protection, information, outcomes"
    };
}

/// The columns [`row_to_contact`] reads, on `c`.
pub(super) const CONTACT_COLUMNS: &str = "c.id, c.stop_id, c.recorded_at, c.gender, c.nationality, c.age_band, \
     c.first_contact, c.protection, c.information, c.outcomes";

/// A contact (or an indoor meeting read as one) from [`CONTACT_COLUMNS`]; its items and
/// service events are read separately.
pub(super) fn row_to_contact(r: &Row<'_>) -> rusqlite::Result<Contact> {
    let recorded_at = time_at(r, 2)?.ok_or(rusqlite::Error::FromSqlConversionFailure(
        2,
        Type::Null,
        Box::new(FromSqlError::InvalidType),
    ))?;
    Ok(Contact {
        id: r.get(0)?,
        stop_id: r.get(1)?,
        recorded_at,
        data: ContactData {
            gender: r.get(3)?,
            nationality: r.get(4)?,
            age_band: r.get(5)?,
            first_contact: r.get(6)?,
            protection: r.get(7)?,
            items: Items::default(),
            services: Services::informed(r.get(8)?),
            outcomes: OutcomeSet::from_bits(r.get(9)?).map_err(|e| bad_column(9, e))?,
        },
    })
}

/// A person's details in the order of `detail_columns!`.
/// `outcomes` is the mask of `data.outcomes`, kept alive by the caller.
fn details<'a>(data: &'a ContactData, outcomes: &'a u32) -> [&'a dyn ToSql; 7] {
    [
        &data.gender,
        &data.nationality,
        &data.age_band,
        &data.first_contact,
        &data.protection,
        &data.services.information,
        outcomes,
    ]
}

/// The two tables that keep people with their details and items.
#[derive(Debug, Clone, Copy)]
pub(super) enum Person {
    /// A contact at a stop (`contacts`, items in `contact_items`).
    Contact,
    /// A person met indoors (`indoor_meetings`, items in `indoor_meeting_items`).
    Meeting,
}

impl Person {
    /// The person's table.
    fn table(self) -> &'static str {
        match self {
            Person::Contact => "contacts",
            Person::Meeting => "indoor_meetings",
        }
    }

    /// The items table and its column naming the person.
    fn items(self) -> (&'static str, &'static str) {
        match self {
            Person::Contact => ("contact_items", "contact_id"),
            Person::Meeting => ("indoor_meeting_items", "meeting_id"),
        }
    }

    /// The service events table and its column naming the person.
    pub(super) fn events(self) -> (&'static str, &'static str) {
        match self {
            Person::Contact => ("contact_events", "contact_id"),
            Person::Meeting => ("indoor_meeting_events", "meeting_id"),
        }
    }

    /// The insert: the lead columns ([`Person::insert`]'s `lead`: a contact's stop and
    /// person), the details, `recorded_at`.
    fn insert_sql(self) -> &'static str {
        match self {
            Person::Contact => concat!(
                "INSERT INTO contacts (stop_id, person_id, ",
                detail_columns!(),
                ", recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            ),
            Person::Meeting => concat!(
                "INSERT INTO indoor_meetings (session_id, ad_id, province, ",
                detail_columns!(),
                ", recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ),
        }
    }

    /// Inserts a person with its items: `lead` holds the values of the columns before the
    /// details (a contact's stop; a meeting's session, ad and province). Returns its id.
    pub(super) fn insert(self, tx: &Transaction<'_>, lead: &[&dyn ToSql], data: &ContactData, at: &str) -> Result<i64> {
        let outcomes = data.outcomes.bits();
        let values = lead.iter().copied().chain(details(data, &outcomes)).chain([&at as &dyn ToSql]);
        tx.prepare_cached(self.insert_sql())?.execute(params_from_iter(values))?;
        let id = tx.last_insert_rowid();
        self.insert_items(tx, id, &data.items)?;
        self.insert_events(tx, id, &data.services)?;
        Ok(id)
    }

    /// Who the person is in a lookup that fails.
    fn entity(self) -> Entity {
        match self {
            Person::Contact => Entity::Contact,
            Person::Meeting => Entity::Meeting,
        }
    }

    /// The outing or session a person was recorded in, with the query that finds its id.
    fn owner(self) -> (Record, &'static str) {
        match self {
            Person::Contact => {
                (Record::Outing, "SELECT s.outing_id FROM contacts c JOIN stops s ON s.id = c.stop_id WHERE c.id = ?1")
            }
            Person::Meeting => (Record::Session, "SELECT session_id FROM indoor_meetings WHERE id = ?1"),
        }
    }

    /// Replaces what is known of a person (details, items, services), if the outing or
    /// session it was recorded in is open; marks that one changed.
    pub(super) fn correct(self, tx: &Transaction<'_>, id: i64, data: &ContactData) -> Result<()> {
        data.validate()?;
        let (record, sql) = self.owner();
        let owner: String = tx
            .prepare_cached(sql)?
            .query_row([id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::not_found(self.entity(), id))?;
        ensure_open(tx, record, &owner)?;
        self.update(tx, id, data)?;
        touch(tx, record, &owner)
    }

    /// Rewrites a person's details and items.
    fn update(self, tx: &Transaction<'_>, id: i64, data: &ContactData) -> Result<()> {
        let outcomes = data.outcomes.bits();
        tx.prepare_cached(&format!(
            "UPDATE {} SET gender = ?2, nationality = ?3, age_band = ?4, first_contact = ?5, protection = ?6,
                    information = ?7, outcomes = ?8 WHERE id = ?1",
            self.table()
        ))?
        .execute(params_from_iter(std::iter::once(&id as &dyn ToSql).chain(details(data, &outcomes))))?;
        for (table, owner) in [self.items(), self.events()] {
            tx.prepare_cached(&format!("DELETE FROM {table} WHERE {owner} = ?1"))?.execute([id])?;
        }
        self.insert_items(tx, id, &data.items)?;
        self.insert_events(tx, id, &data.services)
    }

    fn insert_events(self, tx: &Transaction<'_>, id: i64, services: &Services) -> Result<()> {
        let (table, owner) = self.events();
        let mut ins = tx.prepare_cached(&format!(
            "INSERT INTO {table} ({owner}, kind, service, subtype, count) VALUES (?1, ?2, ?3, ?4, ?5)"
        ))?;
        for (key, n) in services.iter() {
            let (service, subtype) = (key.service.map_or("", |s| s.code()), key.subtype.map_or("", |s| s.code()));
            ins.execute(params![id, key.kind, service, subtype, n])?;
        }
        Ok(())
    }

    fn insert_items(self, tx: &Transaction<'_>, id: i64, items: &Items) -> Result<()> {
        let mut ins = tx.prepare_cached(match self {
            Person::Contact => {
                "INSERT INTO contact_items (contact_id, kind, language, quantity) VALUES (?1, ?2, ?3, ?4)"
            }
            Person::Meeting => {
                "INSERT INTO indoor_meeting_items (meeting_id, kind, language, quantity) VALUES (?1, ?2, ?3, ?4)"
            }
        })?;
        for (key, qty) in items.iter() {
            ins.execute(params![id, key.kind, key.language.map_or("", |l| l.code()), qty])?;
        }
        Ok(())
    }

    /// Reads one person's items and service events into `data`.
    pub(super) fn children_into(self, conn: &rusqlite::Connection, id: i64, data: &mut ContactData) -> Result<()> {
        let (_, owner) = self.items();
        let index = HashMap::from([(id, 0)]);
        self.children_of_many(conn, &format!("WHERE x.{owner} = ?1"), [id], &index, std::slice::from_mut(data), |d| d)
    }

    /// Reads the items and service events of many persons at once: `tail` selects them
    /// from the items or events table (alias `x`: joins, then `WHERE`, over `args`),
    /// `index` maps a person's id to its place in `people`, `data` reaches its details.
    pub(super) fn children_of_many<T, P: rusqlite::Params + Clone>(
        self,
        conn: &rusqlite::Connection,
        tail: &str,
        args: P,
        index: &HashMap<i64, usize>,
        people: &mut [T],
        data: impl Fn(&mut T) -> &mut ContactData,
    ) -> Result<()> {
        let (items, owner) = self.items();
        let sql = format!("SELECT x.{owner}, x.kind, x.language, x.quantity FROM {items} x {tail}");
        let mut st = conn.prepare_cached(&sql)?;
        let mut rows = st.query(args.clone())?;
        while let Some(r) = rows.next()? {
            if let Some(&i) = index.get(&r.get(0)?) {
                data(&mut people[i]).items.set(item_at(r, 1)?, r.get(3)?);
            }
        }
        let (events, owner) = self.events();
        let sql = format!("SELECT x.{owner}, x.kind, x.service, x.subtype, x.count FROM {events} x {tail}");
        let mut st = conn.prepare_cached(&sql)?;
        let mut rows = st.query(args)?;
        while let Some(r) = rows.next()? {
            if let Some(&i) = index.get(&r.get(0)?) {
                data(&mut people[i]).services.add(event_at(r, 1)?, r.get(4)?)?;
            }
        }
        Ok(())
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
        return Err(StoreError::AlreadyImported { when });
    }
    tx.execute(
        "INSERT INTO imports (sha256, rows, imported_at) VALUES (?1, ?2, ?3)",
        params![sha256, rows as i64, Utc::now().to_rfc3339()],
    )?;
    Ok(tx.last_insert_rowid())
}
