//! Indoor sessions, ads, calls and messages, meetings and massage centres: every change
//! is one durable transaction. An ad's phone number is normalised and HMAC'd with the
//! unit's secret in memory; only the 32-byte hash is written.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use hmac::{Hmac, Mac};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, Transaction, params, params_from_iter};
use serde::Serialize;
use sha2::Sha256;
use uuid::Uuid;

use super::outings::{
    conv, detail_values, item_key, parse_time, parse_uuid, register_import, row_to_contact, update_details,
};
use super::{Result, Store, StoreError};
use crate::domain::indoor::{
    Ad, AdData, Attempt, IndoorRecord, IndoorSession, IndoorStats, NumberHistory, normalize_phone,
};
use crate::domain::indoor::{CONTROLLER_ADS, SEEN_AGAIN_DAYS, bucket};
use crate::domain::{
    CellKey, Channel, Comune, ContactData, Gender, IndoorKind, Language, Measure, Nationality, Outcome, OutingStatus,
    Period, Province, Tally,
};

/// The name of the number-hashing key in `secrets`.
const NUMBER_KEY: &str = "number_hmac";

/// What starting a session needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIndoorSession {
    /// When it starts (its date is the day in Europe/Rome).
    pub started_at: DateTime<Utc>,
    /// Province of the ads.
    pub province: Province,
    /// Operators at work.
    pub operators: u8,
    /// The mediator's language, if one is present.
    pub mediator_language: Option<Language>,
}

/// A session's funnel so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SessionCounts {
    /// Ads mapped.
    pub ads: u64,
    /// Calls made.
    pub calls: u64,
    /// Messages sent.
    pub messages: u64,
    /// Calls and messages that reached someone.
    pub contacts: u64,
    /// Persons met.
    pub met: u64,
    /// Persons contacted in massage centres.
    pub massage: u64,
}

/// A session with its counts, for lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndoorOverview {
    /// The session.
    #[serde(flatten)]
    pub session: IndoorSession,
    /// Its funnel.
    pub counts: SessionCounts,
}

/// What an indoor import added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct IndoorImportOutcome {
    /// Sessions created (one per date and province).
    pub sessions: usize,
    /// Ads.
    pub ads: usize,
    /// Calls and messages.
    pub attempts: usize,
    /// Persons met.
    pub meetings: usize,
    /// Massage-centre contacts.
    pub massage: usize,
}

const SESSION_COLUMNS: &str =
    "id, date, operators, mediator_language, province, status, started_at, ended_at, revision";

fn row_to_session(r: &Row<'_>) -> rusqlite::Result<IndoorSession> {
    let lang: Option<String> = r.get(3)?;
    Ok(IndoorSession {
        id: parse_uuid(r.get(0)?)?,
        date: r.get(1)?,
        operators: r.get(2)?,
        mediator_language: lang.map(|l| conv(Language::parse(&l))).transpose()?,
        province: conv(Province::parse(&r.get::<_, String>(4)?))?,
        status: conv(OutingStatus::parse(&r.get::<_, String>(5)?))?,
        started_at: parse_time(r.get(6)?)?,
        ended_at: parse_time(r.get(7)?)?,
        revision: r.get(8)?,
    })
}

const AD_COLUMNS: &str = "a.id, a.session_id, a.site, a.province, a.comune, a.gender, a.nationality, a.declared_age, \
     a.risky, a.number_hash IS NOT NULL, \
     (SELECT count(*) FROM indoor_attempts t WHERE t.ad_id = a.id), \
     (SELECT count(*) FROM indoor_attempts t WHERE t.ad_id = a.id AND t.outcome = 'reached')";

fn row_to_ad(r: &Row<'_>) -> rusqlite::Result<Ad> {
    let comune: Option<String> = r.get(4)?;
    Ok(Ad {
        id: r.get(0)?,
        session_id: parse_uuid(r.get(1)?)?,
        data: AdData {
            site: r.get(2)?,
            province: conv(Province::parse(&r.get::<_, String>(3)?))?,
            comune: comune.map(|c| conv(Comune::parse(&c))).transpose()?,
            gender: conv(Gender::parse(&r.get::<_, String>(5)?))?,
            nationality: conv(Nationality::parse(&r.get::<_, String>(6)?))?,
            declared_age: r.get(7)?,
            risky: r.get(8)?,
        },
        has_number: r.get(9)?,
        attempts: r.get(10)?,
        reached: r.get(11)?,
    })
}

/// Which indoor records a tally covers.
enum Which {
    /// Sessions dated within a period.
    Period(Period),
    /// One session.
    Session(Uuid),
}

impl Which {
    /// The condition on `s` (the sessions) with its parameters.
    fn sql(&self) -> (&'static str, Vec<String>) {
        match self {
            Which::Period(p) => ("s.date BETWEEN ?1 AND ?2", vec![p.from.to_string(), p.to.to_string()]),
            Which::Session(id) => ("s.id = ?1", vec![id.to_string()]),
        }
    }
}

/// Province, gender, nationality, extra columns and the count of a grouped query.
type GroupedCell = (Province, Gender, Nationality, Vec<String>, u64);

/// HMAC-SHA256 of an E.164 number under the unit's key.
fn hmac(key: &[u8], e164: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(e164.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// A `count(*)` column.
fn count(r: &Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, i64>(i)?.max(0) as u64)
}

/// The open session `id`, or why it cannot take records.
fn open_session(tx: &Transaction<'_>, id: &str) -> Result<()> {
    let status: Option<String> =
        tx.query_row("SELECT status FROM indoor_sessions WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    match status.as_deref() {
        None => Err(StoreError::NotFound { what: "indoor session", id: id.to_owned() }),
        Some("open") => Ok(()),
        Some(_) => Err(StoreError::Conflict("this session is closed: reopen it to correct it".into())),
    }
}

/// Marks a session changed (after a sync, the first change bumps its revision).
fn touch_session(tx: &Transaction<'_>, id: &str) -> Result<()> {
    tx.prepare_cached(
        "UPDATE indoor_sessions SET revision = revision + 1, updated_at = ?2 WHERE id = ?1 AND revision = synced_revision",
    )?
    .execute(params![id, Utc::now().to_rfc3339()])?;
    Ok(())
}

fn insert_session(tx: &Transaction<'_>, unit: Uuid, s: &IndoorSession, import_id: Option<i64>) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO indoor_sessions (id, unit_id, date, province, operators, mediator_language, status, started_at,
                                      ended_at, revision, import_id, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        s.id.to_string(),
        unit.to_string(),
        s.date,
        s.province.code(),
        s.operators,
        s.mediator_language.map(|l| l.code()),
        s.status.code(),
        s.started_at.map(|t| t.to_rfc3339()),
        s.ended_at.map(|t| t.to_rfc3339()),
        s.revision,
        import_id,
        Utc::now().to_rfc3339(),
    ])?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn insert_attempt(
    tx: &Transaction<'_>,
    session: &str,
    ad: Option<i64>,
    channel: Channel,
    outcome: Outcome,
    province: Province,
    gender: Gender,
    nat: Nationality,
    at: &str,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO indoor_attempts (session_id, ad_id, channel, outcome, province, gender, nationality, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        session,
        ad,
        channel.code(),
        outcome.code(),
        province.code(),
        gender.code(),
        nat.code(),
        at
    ])?;
    Ok(tx.last_insert_rowid())
}

fn insert_meeting(
    tx: &Transaction<'_>,
    session: &str,
    ad: Option<i64>,
    province: Province,
    data: &ContactData,
    at: &str,
) -> Result<i64> {
    let values =
        [Value::from(session.to_owned()), ad.map_or(Value::Null, Value::from), Value::from(province.code().to_owned())]
            .into_iter()
            .chain(detail_values(data))
            .chain([Value::from(at.to_owned())]);
    tx.prepare_cached(
        "INSERT INTO indoor_meetings (session_id, ad_id, province, gender, nationality, age_band, first_contact,
                                      protection, information, listening, referrals, accompaniments, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params_from_iter(values))?;
    let id = tx.last_insert_rowid();
    insert_meeting_items(tx, id, data)?;
    Ok(id)
}

fn insert_meeting_items(tx: &Transaction<'_>, id: i64, data: &ContactData) -> Result<()> {
    let mut ins = tx.prepare_cached(
        "INSERT INTO indoor_meeting_items (meeting_id, kind, language, quantity) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (key, qty) in data.items.iter() {
        ins.execute(params![id, key.kind.code(), key.language.map_or("", |l| l.code()), qty])?;
    }
    Ok(())
}

fn insert_massage(
    tx: &Transaction<'_>,
    session: &str,
    province: Province,
    comune: Option<Comune>,
    g: Gender,
    n: Nationality,
    at: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO massage_contacts (session_id, province, comune, gender, nationality, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![session, province.code(), comune.map(|c| c.code()), g.code(), n.code(), at])?;
    Ok(())
}

impl Store {
    /// The unit's key for phone-number hashes, created (random, 32 bytes) on first use.
    fn number_key(&mut self) -> Result<Vec<u8>> {
        let found: Option<Vec<u8>> =
            self.conn.query_row("SELECT value FROM secrets WHERE name = ?1", [NUMBER_KEY], |r| r.get(0)).optional()?;
        if let Some(k) = found {
            return Ok(k);
        }
        let mut key = vec![0u8; 32];
        getrandom::fill(&mut key)
            .map_err(|e| StoreError::Conflict(format!("no randomness for the number key: {e}")))?;
        let tx = self.write()?;
        tx.execute("INSERT OR IGNORE INTO secrets (name, value) VALUES (?1, ?2)", params![NUMBER_KEY, key])?;
        let key: Vec<u8> = tx.query_row("SELECT value FROM secrets WHERE name = ?1", [NUMBER_KEY], |r| r.get(0))?;
        tx.commit()?;
        Ok(key)
    }

    /// The keyed hash of a typed number (normalised to E.164 first).
    fn number_hash(&mut self, typed: &str) -> Result<Vec<u8>> {
        let e164 = normalize_phone(typed)?;
        Ok(hmac(&self.number_key()?, &e164))
    }

    /// The history of every number the ads matching `cond` (on `x`, one parameter) carry:
    /// every ad with that number, seen from `session`. One query, folded here.
    fn histories(
        &self,
        session: Uuid,
        cond: &str,
        param: &dyn rusqlite::ToSql,
    ) -> Result<HashMap<Vec<u8>, NumberHistory>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT a.number_hash, a.session_id, s.date FROM indoor_ads a JOIN indoor_sessions s ON s.id = a.session_id
             WHERE a.number_hash IN (SELECT x.number_hash FROM indoor_ads x WHERE {cond} AND x.number_hash IS NOT NULL)
             ORDER BY s.date DESC, a.id DESC"
        ))?;
        let this = session.to_string();
        let mut out: HashMap<Vec<u8>, NumberHistory> = HashMap::new();
        let rows = st
            .query_map([param], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, String>(1)?, r.get::<_, NaiveDate>(2)?)))?;
        for row in rows {
            let (hash, sid, date) = row?;
            let h = out.entry(hash).or_default();
            h.ads_total += 1;
            if sid == this {
                h.ads_this_session += 1;
            } else if !h.earlier_dates.contains(&date) {
                h.earlier_dates.push(date);
            }
        }
        Ok(out)
    }

    fn history_of_hash(&self, session: Uuid, hash: &[u8]) -> Result<NumberHistory> {
        Ok(self.histories(session, "x.number_hash = ?1", &hash)?.remove(hash).unwrap_or_default())
    }

    /// What is known of a number before it is saved with an ad: how many ads have it, and
    /// in which earlier sessions it was seen. Reads only; the number is not written.
    pub fn number_history(&self, session: Uuid, typed: &str) -> Result<NumberHistory> {
        let e164 = normalize_phone(typed)?;
        let key: Option<Vec<u8>> =
            self.conn.query_row("SELECT value FROM secrets WHERE name = ?1", [NUMBER_KEY], |r| r.get(0)).optional()?;
        // No key yet: no number was ever stored.
        let Some(key) = key else { return Ok(NumberHistory::default()) };
        self.history_of_hash(session, &hmac(&key, &e164))
    }

    /// Starts an indoor session.
    pub fn start_indoor_session(&mut self, new: &NewIndoorSession) -> Result<IndoorSession> {
        if !(1..=50).contains(&new.operators) {
            return Err(StoreError::Conflict("operators must be between 1 and 50".into()));
        }
        let session = IndoorSession {
            id: Uuid::new_v4(),
            date: new.started_at.with_timezone(&chrono_tz::Europe::Rome).date_naive(),
            operators: new.operators,
            mediator_language: new.mediator_language,
            province: new.province,
            status: OutingStatus::Open,
            started_at: Some(new.started_at),
            ended_at: None,
            revision: 1,
        };
        let unit = self.unit_id;
        let tx = self.write()?;
        insert_session(&tx, unit, &session, None)?;
        tx.commit()?;
        Ok(session)
    }

    /// One session.
    pub fn indoor_session(&self, id: Uuid) -> Result<IndoorSession> {
        self.conn
            .query_row(
                &format!("SELECT {SESSION_COLUMNS} FROM indoor_sessions WHERE id = ?1"),
                [id.to_string()],
                row_to_session,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound { what: "indoor session", id: id.to_string() })
    }

    /// Every session with its counts, newest first.
    pub fn list_indoor_sessions(&self) -> Result<Vec<IndoorOverview>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS} FROM indoor_sessions ORDER BY date DESC, started_at DESC, rowid DESC"
        ))?;
        let sessions: Vec<IndoorSession> = st.query_map([], row_to_session)?.collect::<rusqlite::Result<_>>()?;
        let mut counts: HashMap<String, SessionCounts> = HashMap::new();
        let queries = [
            "SELECT session_id, 'ads', count(*) FROM indoor_ads GROUP BY session_id",
            "SELECT session_id, CASE WHEN channel = 'call' THEN 'calls' ELSE 'messages' END, count(*)
             FROM indoor_attempts GROUP BY 1, 2",
            "SELECT session_id, 'contacts', count(*) FROM indoor_attempts WHERE outcome = 'reached' GROUP BY session_id",
            "SELECT session_id, 'met', count(*) FROM indoor_meetings GROUP BY session_id",
            "SELECT session_id, 'massage', count(*) FROM massage_contacts GROUP BY session_id",
        ];
        for q in queries {
            let mut st = self.conn.prepare_cached(q)?;
            for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, count(r, 2)?)))? {
                let (sid, what, n) = row?;
                let c = counts.entry(sid).or_default();
                match what.as_str() {
                    "ads" => c.ads = n,
                    "calls" => c.calls = n,
                    "messages" => c.messages = n,
                    "contacts" => c.contacts = n,
                    "met" => c.met = n,
                    _ => c.massage = n,
                }
            }
        }
        Ok(sessions
            .into_iter()
            .map(|s| IndoorOverview { counts: counts.remove(&s.id.to_string()).unwrap_or_default(), session: s })
            .collect())
    }

    /// The counts of one session.
    pub fn session_counts(&self, id: Uuid) -> Result<SessionCounts> {
        let sid = id.to_string();
        let one = |q: &str| -> Result<u64> { Ok(self.conn.query_row(q, [&sid], |r| count(r, 0))?) };
        Ok(SessionCounts {
            ads: one("SELECT count(*) FROM indoor_ads WHERE session_id = ?1")?,
            calls: one("SELECT count(*) FROM indoor_attempts WHERE session_id = ?1 AND channel = 'call'")?,
            messages: one("SELECT count(*) FROM indoor_attempts WHERE session_id = ?1 AND channel <> 'call'")?,
            contacts: one("SELECT count(*) FROM indoor_attempts WHERE session_id = ?1 AND outcome = 'reached'")?,
            met: one("SELECT count(*) FROM indoor_meetings WHERE session_id = ?1")?,
            massage: one("SELECT count(*) FROM massage_contacts WHERE session_id = ?1")?,
        })
    }

    fn set_session_status(&mut self, id: Uuid, status: OutingStatus, ended: Option<DateTime<Utc>>) -> Result<()> {
        let tx = self.write()?;
        let n = tx.execute(
            "UPDATE indoor_sessions SET status = ?2, ended_at = coalesce(?3, ended_at), updated_at = ?4 WHERE id = ?1",
            params![id.to_string(), status.code(), ended.map(|t| t.to_rfc3339()), Utc::now().to_rfc3339()],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound { what: "indoor session", id: id.to_string() });
        }
        touch_session(&tx, &id.to_string())?;
        tx.commit()?;
        Ok(())
    }

    /// Ends a session.
    pub fn close_indoor_session(&mut self, id: Uuid, ended_at: DateTime<Utc>) -> Result<()> {
        self.set_session_status(id, OutingStatus::Closed, Some(ended_at))
    }

    /// Reopens a closed session for corrections.
    pub fn reopen_indoor_session(&mut self, id: Uuid) -> Result<()> {
        self.set_session_status(id, OutingStatus::Open, None)
    }

    /// Records an ad, with the keyed hash of its number when one is given, in one
    /// transaction; returns it with what was known of the number before.
    pub fn add_ad(&mut self, session: Uuid, data: &AdData, number: Option<&str>) -> Result<(Ad, NumberHistory)> {
        data.validate()?;
        let hash = number.map(str::trim).filter(|n| !n.is_empty()).map(|n| self.number_hash(n)).transpose()?;
        let history = match &hash {
            Some(h) => self.history_of_hash(session, h)?,
            None => NumberHistory::default(),
        };
        let sid = session.to_string();
        let tx = self.write()?;
        open_session(&tx, &sid)?;
        tx.prepare_cached(
            "INSERT INTO indoor_ads (session_id, site, province, comune, gender, nationality, declared_age, risky,
                                     number_hash, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            sid,
            data.site.trim(),
            data.province.code(),
            data.comune.map(|c| c.code()),
            data.gender.code(),
            data.nationality.code(),
            data.declared_age,
            data.risky,
            hash,
            Utc::now().to_rfc3339(),
        ])?;
        let id = tx.last_insert_rowid();
        touch_session(&tx, &sid)?;
        tx.commit()?;
        Ok((self.ad(id)?, history))
    }

    /// One ad with its attempt counts.
    pub fn ad(&self, id: i64) -> Result<Ad> {
        self.conn
            .query_row(&format!("SELECT {AD_COLUMNS} FROM indoor_ads a WHERE a.id = ?1"), [id], row_to_ad)
            .optional()?
            .ok_or_else(|| StoreError::NotFound { what: "ad", id: id.to_string() })
    }

    /// The ads of a session, newest first.
    pub fn ads(&self, session: Uuid) -> Result<Vec<Ad>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {AD_COLUMNS} FROM indoor_ads a WHERE a.session_id = ?1 ORDER BY a.id DESC"
        ))?;
        Ok(st.query_map([session.to_string()], row_to_ad)?.collect::<rusqlite::Result<_>>()?)
    }

    /// How many ads of every session share each number entered in this one's ads, by ad
    /// id: two queries however many ads (the indoor screen asks on every keystroke).
    pub fn shared_numbers(&self, session: Uuid) -> Result<HashMap<i64, NumberHistory>> {
        let sid = session.to_string();
        let histories = self.histories(session, "x.session_id = ?1", &sid)?;
        let mut st = self.conn.prepare_cached(
            "SELECT id, number_hash FROM indoor_ads WHERE session_id = ?1 AND number_hash IS NOT NULL",
        )?;
        let ads = st.query_map([&sid], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
        let mut out = HashMap::new();
        for ad in ads {
            let (id, hash) = ad?;
            out.insert(id, histories.get(&hash).cloned().unwrap_or_default());
        }
        Ok(out)
    }

    /// Records a call or a message on an ad: one transaction.
    pub fn record_attempt(&mut self, ad_id: i64, channel: Channel, outcome: Outcome) -> Result<Attempt> {
        let ad = self.ad(ad_id)?;
        let sid = ad.session_id.to_string();
        let tx = self.write()?;
        open_session(&tx, &sid)?;
        let d = &ad.data;
        let id = insert_attempt(
            &tx,
            &sid,
            Some(ad_id),
            channel,
            outcome,
            d.province,
            d.gender,
            d.nationality,
            &Utc::now().to_rfc3339(),
        )?;
        touch_session(&tx, &sid)?;
        tx.commit()?;
        Ok(Attempt { id, ad_id: Some(ad_id), channel, outcome })
    }

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
        open_session(&tx, &sid)?;
        if let Some(ad) = ad_id {
            let owner: Option<String> =
                tx.query_row("SELECT session_id FROM indoor_ads WHERE id = ?1", [ad], |r| r.get(0)).optional()?;
            if owner.is_none() {
                return Err(StoreError::NotFound { what: "ad", id: ad.to_string() });
            }
        }
        let id = insert_meeting(&tx, &sid, ad_id, province, data, &Utc::now().to_rfc3339())?;
        touch_session(&tx, &sid)?;
        tx.commit()?;
        Ok(id)
    }

    /// A person met, as recorded.
    pub fn meeting(&self, id: i64) -> Result<ContactData> {
        let mut data = self
            .conn
            .query_row(
                "SELECT m.id, 0, m.recorded_at, m.gender, m.nationality, m.age_band, m.first_contact, m.protection,
                        m.information, m.listening, m.referrals, m.accompaniments FROM indoor_meetings m WHERE m.id = ?1",
                [id],
                row_to_contact,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound { what: "meeting", id: id.to_string() })?
            .data;
        let mut st = self
            .conn
            .prepare_cached("SELECT kind, language, quantity FROM indoor_meeting_items WHERE meeting_id = ?1")?;
        for row in
            st.query_map([id], |r| Ok((item_key(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?)?, r.get(2)?)))?
        {
            let (key, qty) = row?;
            data.items.set(key, qty);
        }
        Ok(data)
    }

    /// Replaces what is known of a person met (gender and nationality as then known,
    /// details, items, services): one transaction.
    pub fn update_meeting(&mut self, id: i64, data: &ContactData) -> Result<()> {
        data.validate()?;
        let tx = self.write()?;
        let sid: String = tx
            .query_row("SELECT session_id FROM indoor_meetings WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound { what: "meeting", id: id.to_string() })?;
        open_session(&tx, &sid)?;
        update_details(&tx, "indoor_meetings", id, data)?;
        tx.execute("DELETE FROM indoor_meeting_items WHERE meeting_id = ?1", [id])?;
        insert_meeting_items(&tx, id, data)?;
        touch_session(&tx, &sid)?;
        tx.commit()?;
        Ok(())
    }

    /// Records the persons contacted in a massage centre: `(gender, nationality, how many)`.
    pub fn record_massage_visit(
        &mut self,
        session: Uuid,
        province: Province,
        comune: Option<Comune>,
        persons: &[(Gender, Nationality, u32)],
    ) -> Result<u64> {
        if let Some(c) = comune
            && c.province() != province
        {
            return Err(StoreError::Conflict(format!("{} is not in province {province}", c.name())));
        }
        let total: u64 = persons.iter().map(|p| u64::from(p.2)).sum();
        if total == 0 || total > 200 {
            return Err(StoreError::Conflict(format!("a visit counts 1 to 200 persons, not {total}")));
        }
        let sid = session.to_string();
        let at = Utc::now().to_rfc3339();
        let tx = self.write()?;
        open_session(&tx, &sid)?;
        for &(g, n, k) in persons {
            for _ in 0..k {
                insert_massage(&tx, &sid, province, comune, g, n, &at)?;
            }
        }
        touch_session(&tx, &sid)?;
        tx.commit()?;
        Ok(total)
    }

    /// Takes back the last thing recorded in an open session (an ad with its attempts, an
    /// attempt, a meeting or a massage contact); returns what it was.
    pub fn undo_last_indoor(&mut self, session: Uuid) -> Result<Option<&'static str>> {
        let sid = session.to_string();
        let tx = self.write()?;
        open_session(&tx, &sid)?;
        let last: Option<(String, i64)> = tx
            .query_row(
                "SELECT t, id FROM (
                   SELECT 'indoor_ads' AS t, id, recorded_at FROM indoor_ads WHERE session_id = ?1
                   UNION ALL SELECT 'indoor_attempts', id, recorded_at FROM indoor_attempts WHERE session_id = ?1
                   UNION ALL SELECT 'indoor_meetings', id, recorded_at FROM indoor_meetings WHERE session_id = ?1
                   UNION ALL SELECT 'massage_contacts', id, recorded_at FROM massage_contacts WHERE session_id = ?1)
                 ORDER BY recorded_at DESC, id DESC LIMIT 1",
                [&sid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((table, id)) = last else { return Ok(None) };
        let what = match table.as_str() {
            "indoor_ads" => "ad",
            "indoor_attempts" => "attempt",
            "indoor_meetings" => "meeting",
            _ => "massage",
        };
        tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])?;
        touch_session(&tx, &sid)?;
        tx.commit()?;
        Ok(Some(what))
    }

    /// The indoor counts of sessions dated within `period` (ads, calls, messages,
    /// contacts, meetings with what they were given, massage centres).
    pub fn indoor_tally(&self, period: Period) -> Result<Tally> {
        self.indoor_tally_where(&Which::Period(period))
    }

    /// The indoor counts of one session (what sync sends).
    pub fn session_tally(&self, id: Uuid) -> Result<Tally> {
        self.indoor_tally_where(&Which::Session(id))
    }

    fn indoor_tally_where(&self, which: &Which) -> Result<Tally> {
        let mut t = Tally::new();
        let cell = |nationality, gender, measure| CellKey { nationality, gender, measure };
        for (p, g, n, extra, count) in self.grouped(which, "indoor_ads", &["CAST(x.risky AS TEXT)"])? {
            t.add(bucket(p), cell(n, g, Measure::Ads), count);
            if extra[0] == "1" {
                t.add(bucket(p), cell(n, g, Measure::RiskyAds), count);
            }
        }
        for (p, g, n, extra, count) in self.grouped(which, "indoor_attempts", &["x.channel", "x.outcome"])? {
            let (ch, out) = (Channel::parse(&extra[0])?, Outcome::parse(&extra[1])?);
            for _ in 0..count {
                t.add_attempt(p, g, n, ch, out);
            }
        }
        for (province, data) in self.meetings_in(which)? {
            t.add_meeting(province, &data);
        }
        for (p, g, n, _, count) in self.grouped(which, "massage_contacts", &[])? {
            t.add(bucket(p), cell(n, g, Measure::MassageContacts), count);
        }
        Ok(t)
    }

    /// Rows of an indoor `table` in sessions of `period`, counted by province, gender,
    /// nationality and the `extra` columns (as text).
    fn grouped(&self, which: &Which, table: &str, extra: &[&str]) -> Result<Vec<GroupedCell>> {
        let (cond, args) = which.sql();
        let cols: String = extra.iter().map(|c| format!(", {c}")).collect();
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT x.province, x.gender, x.nationality{cols}, count(*) FROM {table} x
             JOIN indoor_sessions s ON s.id = x.session_id WHERE {cond}
             GROUP BY x.province, x.gender, x.nationality{cols}"
        ))?;
        let k = extra.len();
        let rows = st.query_map(params_from_iter(&args), |r| {
            let texts: Vec<String> = (0..3 + k).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
            Ok((texts, count(r, 3 + k)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut texts, n) = row?;
            let extra = texts.split_off(3);
            out.push((
                Province::parse(&texts[0])?,
                Gender::parse(&texts[1])?,
                Nationality::parse(&texts[2])?,
                extra,
                n,
            ));
        }
        Ok(out)
    }

    /// Persons met in sessions of a period, with their items.
    fn meetings_in(&self, which: &Which) -> Result<Vec<(Province, ContactData)>> {
        let (cond, args) = which.sql();
        // The columns of a contact row, so the contact reader serves meetings too.
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT m.id, 0, m.recorded_at, m.gender, m.nationality, m.age_band, m.first_contact, m.protection,
                    m.information, m.listening, m.referrals, m.accompaniments, m.province
             FROM indoor_meetings m JOIN indoor_sessions s ON s.id = m.session_id WHERE {cond}"
        ))?;
        let rows = st.query_map(params_from_iter(&args), |r| {
            Ok((row_to_contact(r)?, conv(Province::parse(&r.get::<_, String>(12)?))?))
        })?;
        let mut out = Vec::new();
        let mut index = HashMap::new();
        for row in rows {
            let (contact, province) = row?;
            index.insert(contact.id, out.len());
            out.push((province, contact.data));
        }
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT i.meeting_id, i.kind, i.language, i.quantity FROM indoor_meeting_items i
             JOIN indoor_meetings m ON m.id = i.meeting_id JOIN indoor_sessions s ON s.id = m.session_id
             WHERE {cond}"
        ))?;
        let rows = st.query_map(params_from_iter(&args), |r| {
            Ok((r.get::<_, i64>(0)?, item_key(&r.get::<_, String>(1)?, &r.get::<_, String>(2)?)?, r.get(3)?))
        })?;
        for row in rows {
            let (mid, key, qty) = row?;
            if let Some(&i) = index.get(&mid) {
                out[i].1.items.set(key, qty);
            }
        }
        Ok(out)
    }

    /// The first and last indoor session date.
    pub fn indoor_date_range(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let (a, b): (Option<NaiveDate>, Option<NaiveDate>) =
            self.conn
                .query_row("SELECT min(date), max(date) FROM indoor_sessions", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(a.zip(b))
    }

    /// The figures beyond the printed tables for sessions dated within `period`.
    pub fn indoor_stats(&self, period: Period) -> Result<IndoorStats> {
        let (from, to) = (period.from, period.to);
        let one = |q: &str| -> Result<u64> { Ok(self.conn.query_row(q, params![from, to], |r| count(r, 0))?) };
        const IN: &str = "JOIN indoor_sessions s ON s.id = x.session_id WHERE s.date BETWEEN ?1 AND ?2";
        let ads = one(&format!("SELECT count(*) FROM indoor_ads x {IN}"))?;
        let calls = one(&format!("SELECT count(*) FROM indoor_attempts x {IN} AND x.channel = 'call'"))?;
        let ads_reached = one(&format!(
            "SELECT count(*) FROM indoor_ads x {IN}
             AND EXISTS (SELECT 1 FROM indoor_attempts t WHERE t.ad_id = x.id AND t.outcome = 'reached')"
        ))?;
        let mut messages_by_channel: BTreeMap<String, u64> =
            Channel::ALL.iter().filter(|c| c.is_message()).map(|c| (c.code().to_owned(), 0)).collect();
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT x.channel, count(*) FROM indoor_attempts x {IN} AND x.channel <> 'call' GROUP BY 1"
        ))?;
        for row in st.query_map(params![from, to], |r| Ok((r.get::<_, String>(0)?, count(r, 1)?)))? {
            let (ch, n) = row?;
            messages_by_channel.insert(ch, n);
        }
        // Numbers: how many ads each has in the period, and whether it was seen in an
        // earlier session within 14 days before a session of the period.
        let numbers_ads = format!(
            "SELECT count(*) FROM (SELECT x.number_hash FROM indoor_ads x {IN} AND x.number_hash IS NOT NULL
             GROUP BY x.number_hash HAVING count(*) >= ?3)"
        );
        let several =
            |k: u32| -> Result<u64> { Ok(self.conn.query_row(&numbers_ads, params![from, to, k], |r| count(r, 0))?) };
        let seen_again = one(&format!(
            "SELECT count(DISTINCT x.number_hash) FROM indoor_ads x {IN} AND x.number_hash IS NOT NULL
             AND EXISTS (SELECT 1 FROM indoor_ads e JOIN indoor_sessions es ON es.id = e.session_id
                         WHERE e.number_hash = x.number_hash AND es.id <> s.id
                           AND es.date < s.date AND es.date >= date(s.date, '-{} days'))",
            SEEN_AGAIN_DAYS
        ))?;
        Ok(IndoorStats {
            from,
            to,
            ads,
            calls,
            messages_by_channel,
            ads_reached,
            share_of_ads_reached: if ads == 0 { 0.0 } else { ads_reached as f64 / ads as f64 },
            numbers: several(1)?,
            numbers_in_several_ads: several(2)?,
            likely_controllers: several(CONTROLLER_ADS)?,
            numbers_seen_again_within_14_days: seen_again,
        })
    }

    /// Imports a historical indoor log in one transaction: lines with the same date and
    /// province form one closed session. The same file (by `sha256`) is refused twice.
    pub fn import_indoor(&mut self, records: &[IndoorRecord], sha256: &str) -> Result<IndoorImportOutcome> {
        for r in records {
            r.validate()?;
        }
        let unit = self.unit_id;
        let tx = self.write()?;
        let import_id = register_import(&tx, sha256, records.len())?;
        let mut sessions: BTreeMap<(NaiveDate, Province), Vec<&IndoorRecord>> = BTreeMap::new();
        for r in records {
            sessions.entry((r.date, r.province)).or_default().push(r);
        }
        let now = Utc::now().to_rfc3339();
        let mut out = IndoorImportOutcome::default();
        for ((date, province), lines) in sessions {
            let s = IndoorSession {
                id: Uuid::new_v4(),
                date,
                operators: 1,
                mediator_language: None,
                province,
                status: OutingStatus::Closed,
                started_at: None,
                ended_at: None,
                revision: 1,
            };
            insert_session(&tx, unit, &s, Some(import_id))?;
            out.sessions += 1;
            let sid = s.id.to_string();
            for r in lines {
                let (g, n) = (r.gender, r.nationality);
                match r.kind {
                    IndoorKind::Ad => {
                        tx.prepare_cached(
                            "INSERT INTO indoor_ads (session_id, site, province, gender, nationality, recorded_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        )?
                        .execute(params![
                            sid,
                            r.site.as_deref().unwrap_or("imported"),
                            province.code(),
                            g.code(),
                            n.code(),
                            now
                        ])?;
                        out.ads += 1;
                    }
                    IndoorKind::Call | IndoorKind::Message => {
                        let outcome = if r.reached == Some(true) { Outcome::Reached } else { Outcome::NoAnswer };
                        insert_attempt(&tx, &sid, None, r.attempt_channel(), outcome, province, g, n, &now)?;
                        out.attempts += 1;
                    }
                    IndoorKind::Meeting => {
                        insert_meeting(&tx, &sid, None, province, &ContactData::new(g, n), &now)?;
                        out.meetings += 1;
                    }
                    IndoorKind::Massage => {
                        insert_massage(&tx, &sid, province, None, g, n, &now)?;
                        out.massage += 1;
                    }
                }
            }
        }
        tx.commit()?;
        Ok(out)
    }
}
