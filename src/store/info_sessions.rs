//! Informative group sessions (sensibilizzazione): head counts of participants by gender,
//! of whom asylum seekers or protection holders, with the place, themes and languages.

use rusqlite::Row;

use super::records::all_rows;
use super::{Result, Store};
use crate::domain::outreach::SessionFacts;
use crate::domain::tables::Mft;
use crate::domain::{Period, Province};

/// The columns [`facts_at`] reads, in order.
pub(crate) const FACTS_COLUMNS: &str = "place, comune, themes, languages, participants_m, participants_f, \
     participants_t, protection_m, protection_f, protection_t";

/// A session's facts from a row of [`FACTS_COLUMNS`] starting at column `i`.
pub(crate) fn facts_at(r: &Row<'_>, i: usize) -> rusqlite::Result<SessionFacts> {
    let mft = |j: usize| -> rusqlite::Result<Mft> {
        let n = |k: usize| r.get::<_, i64>(i + j + k).map(|v| v.max(0) as u64);
        Ok(Mft { m: n(0)?, f: n(1)?, t: n(2)? })
    };
    Ok(SessionFacts {
        place: r.get(i)?,
        comune: r.get(i + 1)?,
        themes: r.get(i + 2)?,
        languages: r.get(i + 3)?,
        participants: mft(4)?,
        protection: mft(7)?,
    })
}

impl Store {
    /// Every informative session dated within `period`: its province and facts, in date
    /// order.
    pub fn info_session_facts(&self, period: Period) -> Result<Vec<(Province, SessionFacts)>> {
        all_rows(
            &self.conn,
            &format!(
                "SELECT province, {FACTS_COLUMNS} FROM info_sessions WHERE date BETWEEN ?1 AND ?2 ORDER BY date, id"
            ),
            rusqlite::params![period.from, period.to],
            |r| Ok((r.get(0)?, facts_at(r, 1)?)),
        )
    }
}
