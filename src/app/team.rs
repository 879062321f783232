//! The team of an outing, presences at a stop and the outing's diary (issue 15): use
//! cases over the store, for the app's views and the command line.

use std::io::Write as _;
use std::path::Path;

use uuid::Uuid;

use super::{Area, Done, Lanterna, Result};
use crate::domain::outreach::Team;
use crate::domain::tables::Mft;
use crate::domain::{Gender, Period};
use crate::store::{OutingNote, diary_markdown};

impl Lanterna {
    /// The team to prefill the next outing or session with: the last one started's, else
    /// the default (two operators, no mediator, no legal operator).
    pub fn remembered_team(&self) -> Result<Team> {
        Ok(self.store.last_team()?.unwrap_or_default())
    }

    /// One more person of `gender` seen but not approached at a stop: one durable write.
    pub fn add_presence(&mut self, stop_id: i64, gender: Gender) -> Result<Done<Mft>> {
        Ok(Done::new(self.store.add_presence(stop_id, gender)?, &[Area::Outings]))
    }

    /// Takes back one presence of `gender` at a stop.
    pub fn remove_presence(&mut self, stop_id: i64, gender: Gender) -> Result<Done<Mft>> {
        Ok(Done::new(self.store.remove_presence(stop_id, gender)?, &[Area::Outings]))
    }

    /// The presences of a stop.
    pub fn presences(&self, stop_id: i64) -> Result<Mft> {
        Ok(self.store.presences(stop_id)?)
    }

    /// Writes a note in an outing's diary; it stays on the phone.
    pub fn add_outing_note(&mut self, outing: Uuid, body: &str) -> Result<Done<OutingNote>> {
        Ok(Done::new(self.store.add_outing_note(outing, body)?, &[Area::Outings]))
    }

    /// An outing's notes, oldest first.
    pub fn outing_notes(&self, outing: Uuid) -> Result<Vec<OutingNote>> {
        Ok(self.store.outing_notes(outing)?)
    }

    /// The diary of the outings within `period`, as Markdown for the narrative report.
    pub fn diary_text(&self, period: Period) -> Result<String> {
        Ok(diary_markdown(&self.store.diary(period)?, period))
    }

    /// Writes the diary of `period` to `path`, which must not exist yet (never overwritten).
    pub fn export_diary(&self, period: Period, path: &Path) -> Result<usize> {
        let text = self.diary_text(period)?;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| crate::store::StoreError::Io { path: path.to_owned(), source: e })?;
        f.write_all(text.as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(|e| crate::store::StoreError::Io { path: path.to_owned(), source: e })?;
        Ok(text.len())
    }
}
