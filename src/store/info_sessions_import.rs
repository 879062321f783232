//! Informative sessions from a sessions file (`lanterna import`): every row a session of
//! this unit, all in one transaction; the same file (by its SHA-256) is refused twice.

use uuid::Uuid;

use super::info_sessions::insert_info_session;
use super::records::register_import;
use super::{Result, Store};
use crate::domain::outreach::InfoSession;
use crate::import::SessionRecord;

impl Store {
    /// Imports sessions in one transaction: all or nothing; returns how many.
    pub fn import_info_sessions(&mut self, records: &[SessionRecord], sha256: &str) -> Result<usize> {
        let unit = self.unit_id;
        let sessions = records
            .iter()
            .map(|r| {
                InfoSession {
                    id: Uuid::new_v4(),
                    unit,
                    date: r.date,
                    province: r.province,
                    facts: r.facts,
                    team: r.team,
                    revision: 1,
                }
                .checked()
            })
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let tx = self.write()?;
        let import_id = register_import(&tx, sha256, records.len())?;
        for s in &sessions {
            insert_info_session(&tx, s, unit, Some(import_id))?;
        }
        tx.commit()?;
        Ok(sessions.len())
    }
}
