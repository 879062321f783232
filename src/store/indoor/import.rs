//! Historical indoor logs: one transaction per file, one closed session per date and
//! province, and never the same file twice.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use rusqlite::params;
use serde::Serialize;
use uuid::Uuid;

use super::Who;
use super::ads::{insert_attempt, set_attempt_protection};
use super::meetings::{insert_massage, insert_meeting};
use super::sessions::insert_session;
use crate::domain::indoor::{IndoorRecord, IndoorSession};
use crate::domain::{ContactData, IndoorKind, Outcome, OutingStatus, Province};
use crate::store::records::register_import;
use crate::store::{Result, Store};

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

impl Store {
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
                let who = Who { province, gender: g, nationality: n };
                match r.kind {
                    IndoorKind::Ad => {
                        tx.prepare_cached(
                            "INSERT INTO indoor_ads (session_id, site, province, gender, nationality, declared_age,
                                                     recorded_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        )?
                        .execute(params![
                            sid,
                            r.site.as_deref().unwrap_or("imported"),
                            province,
                            g,
                            n,
                            r.declared_age,
                            now
                        ])?;
                        out.ads += 1;
                    }
                    IndoorKind::Call | IndoorKind::Message => {
                        let outcome = if r.reached == Some(true) { Outcome::Reached } else { Outcome::NoAnswer };
                        let id = insert_attempt(&tx, &sid, None, r.attempt_channel(), outcome, who, &now)?;
                        super::campaigns::tag_attempt(&tx, id, r.campaign)?;
                        set_attempt_protection(&tx, id, r.protection)?;
                        out.attempts += 1;
                    }
                    IndoorKind::Meeting => {
                        let mut data = ContactData::new(g, n);
                        data.protection = r.protection;
                        insert_meeting(&tx, &sid, None, province, &data, &now)?;
                        out.meetings += 1;
                    }
                    IndoorKind::Massage => {
                        insert_massage(&tx, &sid, who, None, r.protection, &now)?;
                        out.massage += 1;
                    }
                }
            }
        }
        tx.commit()?;
        Ok(out)
    }
}
