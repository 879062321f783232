//! Ads and their numbers, and the calls and messages made on them. A number is hashed
//! with the unit's key in memory; only the hash is written.
//!
//! The stored hash is memory-hard: `Argon2id(HMAC-SHA256(key, e164), salt)` with
//! [`NUMBER_ARGON2_MEMORY_KIB`] and [`NUMBER_ARGON2_PASSES`] (about 50 ms on this laptop,
//! release build). The key sits in the same encrypted file, so whoever opens the database
//! (with the PIN) could otherwise hash the whole Italian mobile space (about 10^8 numbers)
//! in minutes; at about 50 ms a number (measured: `benches/secrets.rs`) the whole space costs about
//! 52 core-days, and
//! one typed number still costs one hash. The salt is derived from the key, so the same
//! number gives the same hash throughout one database and nothing to another.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use hmac::{Hmac, Mac};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use sha2::Sha256;
use uuid::Uuid;

use super::Who;
use crate::domain::indoor::{Ad, AdData, Attempt, NumberHistory, normalize_phone};
use crate::domain::{Channel, DomainError, Outcome, Protection};
use crate::store::key::argon2id;
use crate::store::lifecycle::{ensure_open, touch};
use crate::store::records::{all_rows, by_id, uuid_at};
use crate::store::{Entity, Record, Result, Store, StoreError};

/// The name of the number-hashing key in `secrets`.
const NUMBER_KEY: &str = "number_hmac";

const AD_COLUMNS: &str = "a.id, a.session_id, a.site, a.province, a.comune, a.gender, a.nationality, a.declared_age, \
     a.risky, a.number_hash IS NOT NULL, \
     (SELECT count(*) FROM indoor_attempts t WHERE t.ad_id = a.id), \
     (SELECT count(*) FROM indoor_attempts t WHERE t.ad_id = a.id AND t.outcome = 'reached')";

fn row_to_ad(r: &Row<'_>) -> rusqlite::Result<Ad> {
    Ok(Ad {
        id: r.get(0)?,
        session_id: uuid_at(r, 1)?,
        data: AdData {
            site: r.get(2)?,
            province: r.get(3)?,
            comune: r.get(4)?,
            gender: r.get(5)?,
            nationality: r.get(6)?,
            declared_age: r.get(7)?,
            risky: r.get(8)?,
        },
        has_number: r.get(9)?,
        attempts: r.get(10)?,
        reached: r.get(11)?,
    })
}

/// Argon2id memory cost of a number hash, in KiB.
pub const NUMBER_ARGON2_MEMORY_KIB: u32 = 32 * 1024;
/// Argon2id passes of a number hash.
pub const NUMBER_ARGON2_PASSES: u32 = 2;

/// HMAC-SHA256 of `data` under `key`.
fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The memory-hard step over an HMAC already computed (what the upgrade applies to the
/// HMACs older databases stored).
fn harden(key: &[u8], mac: &[u8]) -> Vec<u8> {
    let salt = hmac(key, b"lanterna number-hash salt v1");
    argon2id(mac, &salt[..16], NUMBER_ARGON2_MEMORY_KIB, NUMBER_ARGON2_PASSES).to_vec()
}

/// The stored hash of an E.164 number under the unit's key: one HMAC, then Argon2id.
#[doc(hidden)]
pub fn number_hash_of(key: &[u8], e164: &str) -> Vec<u8> {
    harden(key, &hmac(key, e164.as_bytes()))
}

/// Turns every stored HMAC into its memory-hard hash, in the transaction of the schema
/// upgrade: one Argon2id per distinct number, over two threads.
pub(crate) fn harden_number_hashes(tx: &Transaction<'_>) -> Result<()> {
    let key: Option<Vec<u8>> =
        tx.query_row("SELECT value FROM secrets WHERE name = ?1", [NUMBER_KEY], |r| r.get(0)).optional()?;
    let Some(key) = key else { return Ok(()) };
    let old: Vec<Vec<u8>> =
        all_rows(tx, "SELECT DISTINCT number_hash FROM indoor_ads WHERE number_hash IS NOT NULL", [], |r| r.get(0))?;
    let half = old.len().div_ceil(2).max(1);
    let new: Vec<Vec<u8>> = std::thread::scope(|s| {
        let workers: Vec<_> = old
            .chunks(half)
            .map(|chunk| s.spawn(|| chunk.iter().map(|h| harden(&key, h)).collect::<Vec<_>>()))
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    let mut update = tx.prepare("UPDATE indoor_ads SET number_hash = ?1 WHERE number_hash = ?2")?;
    for (o, n) in old.iter().zip(&new) {
        update.execute(params![n, o])?;
    }
    Ok(())
}

/// Writes a call or a message (on an ad, or imported without one); returns its id.
pub(super) fn insert_attempt(
    tx: &Transaction<'_>,
    session: &str,
    ad: Option<i64>,
    channel: Channel,
    outcome: Outcome,
    who: Who,
    at: &str,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO indoor_attempts (session_id, ad_id, channel, outcome, province, gender, nationality, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![session, ad, channel, outcome, who.province, who.gender, who.nationality, at])?;
    Ok(tx.last_insert_rowid())
}

/// Sets whether the person an attempt reached seeks or holds international protection:
/// only a call that reached someone has one (other attempts are left unknown).
pub(super) fn set_attempt_protection(tx: &Transaction<'_>, attempt: i64, protection: Protection) -> Result<()> {
    tx.prepare_cached(
        "UPDATE indoor_attempts SET protection = ?2 WHERE id = ?1 AND channel = 'call' AND outcome = 'reached'",
    )?
    .execute(params![attempt, protection])?;
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
        getrandom::fill(&mut key).map_err(|e| StoreError::NoRandomness(e.to_string()))?;
        let tx = self.write()?;
        tx.execute("INSERT OR IGNORE INTO secrets (name, value) VALUES (?1, ?2)", params![NUMBER_KEY, key])?;
        let key: Vec<u8> = tx.query_row("SELECT value FROM secrets WHERE name = ?1", [NUMBER_KEY], |r| r.get(0))?;
        tx.commit()?;
        Ok(key)
    }

    /// The stored hash of a typed number (normalised to E.164 first).
    fn number_hash(&mut self, typed: &str) -> Result<Vec<u8>> {
        let e164 = normalize_phone(typed)?;
        Ok(number_hash_of(&self.number_key()?, &e164))
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
        self.history_of_hash(session, &number_hash_of(&key, &e164))
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
        ensure_open(&tx, Record::Session, &sid)?;
        tx.prepare_cached(
            "INSERT INTO indoor_ads (session_id, site, province, comune, gender, nationality, declared_age, risky,
                                     number_hash, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            sid,
            data.site.trim(),
            data.province,
            data.comune,
            data.gender,
            data.nationality,
            data.declared_age,
            data.risky,
            hash,
            Utc::now().to_rfc3339(),
        ])?;
        let id = tx.last_insert_rowid();
        touch(&tx, Record::Session, &sid)?;
        tx.commit()?;
        Ok((self.ad(id)?, history))
    }

    /// One ad with its attempt counts.
    pub fn ad(&self, id: i64) -> Result<Ad> {
        by_id(&self.conn, &format!("SELECT {AD_COLUMNS} FROM indoor_ads a WHERE a.id = ?1"), id, Entity::Ad, row_to_ad)
    }

    /// The ads of a session, newest first.
    pub fn ads(&self, session: Uuid) -> Result<Vec<Ad>> {
        let sql = format!("SELECT {AD_COLUMNS} FROM indoor_ads a WHERE a.session_id = ?1 ORDER BY a.id DESC");
        all_rows(&self.conn, &sql, [session.to_string()], row_to_ad)
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
        self.record_campaign_attempt(ad_id, channel, outcome, None)
    }

    /// Records a call or a message on an ad, part of a campaign when `tag` says so: one
    /// transaction.
    pub fn record_campaign_attempt(
        &mut self,
        ad_id: i64,
        channel: Channel,
        outcome: Outcome,
        tag: Option<crate::domain::outreach::CampaignTag>,
    ) -> Result<Attempt> {
        let ad = self.ad(ad_id)?;
        let sid = ad.session_id.to_string();
        let tx = self.write()?;
        ensure_open(&tx, Record::Session, &sid)?;
        let d = &ad.data;
        let who = Who { province: d.province, gender: d.gender, nationality: d.nationality };
        let id = insert_attempt(&tx, &sid, Some(ad_id), channel, outcome, who, &Utc::now().to_rfc3339())?;
        super::campaigns::tag_attempt(&tx, id, tag)?;
        touch(&tx, Record::Session, &sid)?;
        tx.commit()?;
        Ok(Attempt { id, ad_id: Some(ad_id), channel, outcome })
    }

    /// Says whether the person a call reached seeks or holds international protection
    /// (the call sheet's one-tap toggle, after the outcome): one transaction, in an open
    /// session. Refused for an attempt that is not a call that reached someone.
    pub fn set_attempt_protection(&mut self, attempt: i64, protection: Protection) -> Result<()> {
        let tx = self.write()?;
        let row: Option<(String, bool)> = tx
            .prepare_cached(
                "SELECT session_id, channel = 'call' AND outcome = 'reached' FROM indoor_attempts WHERE id = ?1",
            )?
            .query_row([attempt], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (sid, reached) = row.ok_or_else(|| StoreError::not_found(Entity::Attempt, attempt))?;
        if !reached {
            return Err(
                DomainError::invalid("protection", "only a call that reached someone has a protection status").into()
            );
        }
        ensure_open(&tx, Record::Session, &sid)?;
        set_attempt_protection(&tx, attempt, protection)?;
        touch(&tx, Record::Session, &sid)?;
        tx.commit()?;
        Ok(())
    }
}
