//! Informative group sessions and message campaigns as use cases: the sessions' list and
//! form (saved whole, edited, deleted), the team remembered from the last session, and a
//! call or message tagged with a campaign, the last campaign remembered within the indoor
//! session so a campaign evening is one tap per message.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Area, Done, Lanterna, Result};
use crate::domain::indoor::Attempt;
use crate::domain::outreach::{CampaignTag, InfoSession, SessionFacts, Team};
use crate::domain::{Channel, Outcome, Period, Province};

const SESSIONS: &[Area] = &[Area::Outings, Area::Sync];

/// What the sessions form saves: a new session (`id` unset) or a change to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionForm {
    /// The session changed, or `None` for a new one.
    pub id: Option<Uuid>,
    /// The day.
    pub date: NaiveDate,
    /// The province.
    pub province: Province,
    /// Place, comune, themes, languages, head counts.
    pub facts: SessionFacts,
    /// Who held it.
    pub team: Team,
}

impl Lanterna {
    /// The informative sessions of `period`, newest first.
    pub fn info_sessions(&self, period: Period) -> Result<Vec<InfoSession>> {
        Ok(self.store.info_sessions(period)?)
    }

    /// The informative session `id`.
    pub fn info_session(&self, id: Uuid) -> Result<InfoSession> {
        Ok(self.store.info_session(id)?)
    }

    /// The team a new session's form starts from: the last session's, else the default.
    pub fn session_team(&self) -> Result<Team> {
        Ok(self.store.last_info_session_team()?.unwrap_or_default())
    }

    /// Saves the form: a new session, or the change to one; returns it as stored.
    pub fn save_info_session(&mut self, form: &SessionForm) -> Result<Done<InfoSession>> {
        let saved = match form.id {
            None => self.store.add_info_session(form.date, form.province, form.facts, form.team)?,
            Some(id) => {
                let old = self.store.info_session(id)?;
                let s =
                    InfoSession { date: form.date, province: form.province, facts: form.facts, team: form.team, ..old };
                self.store.edit_info_session(&s)?
            }
        };
        Ok(Done::new(saved, SESSIONS))
    }

    /// Deletes session `id` (the server hears of it at the next sync).
    pub fn delete_info_session(&mut self, id: Uuid) -> Result<Done<()>> {
        self.store.delete_info_session(id)?;
        Ok(Done::new((), SESSIONS))
    }

    /// The campaign the indoor session's next message starts from: its last tagged one.
    pub fn last_campaign(&self, session: Uuid) -> Result<Option<CampaignTag>> {
        Ok(self.store.last_campaign(session)?)
    }

    /// Records a call or message to an ad's number, part of a campaign when `tag` says so.
    pub fn record_campaign_attempt(
        &mut self,
        ad: i64,
        channel: Channel,
        outcome: Outcome,
        tag: Option<CampaignTag>,
    ) -> Result<Done<Attempt>> {
        self.store.check_session_cells(self.store.ad(ad)?.session_id, 1)?;
        Ok(Done::new(self.store.record_campaign_attempt(ad, channel, outcome, tag)?, &[Area::Indoor]))
    }
}
