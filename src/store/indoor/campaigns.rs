//! Message campaigns on indoor numbers: an attempt tagged with a campaign and the
//! message's language; persons reached per campaign (a number counted once per campaign
//! and session) and campaign messages by language, in the indoor tally.

use rusqlite::{OptionalExtension, Transaction, params, params_from_iter};
use uuid::Uuid;

use super::stats::Which;
use crate::domain::indoor::bucket;
use crate::domain::outreach::{Campaign, CampaignTag};
use crate::domain::{CellKey, Gender, Language, Measure, Nationality, Province, Tally};
use crate::store::records::count_at;
use crate::store::{Result, Store};

/// Tags attempt `id` (just written in `tx`) with its campaign, when it has one.
pub(super) fn tag_attempt(tx: &Transaction<'_>, id: i64, tag: Option<CampaignTag>) -> Result<()> {
    if let Some(t) = tag {
        tx.prepare_cached("UPDATE indoor_attempts SET campaign = ?2, message_language = ?3 WHERE id = ?1")?
            .execute(params![id, t.campaign, t.language])?;
    }
    Ok(())
}

/// The key a person reached by a campaign is counted once by within a session: the ad's
/// number, else the ad, else the attempt itself.
/// (`hex` of NULL is the empty string, hence the `CASE`.)
const REACHED_KEY: &str = "x.session_id || '/' || CASE WHEN a.number_hash IS NOT NULL THEN 'n' || hex(a.number_hash)
     WHEN x.ad_id IS NOT NULL THEN 'a' || x.ad_id ELSE 'x' || x.id END";

/// Province, gender, nationality, a code and its count.
type CodeCell = (Province, Gender, Nationality, String, u64);

impl Store {
    /// The campaign of the last tagged attempt of indoor session `session`, to start the
    /// next message from: a campaign evening is one tap per message.
    pub fn last_campaign(&self, session: Uuid) -> Result<Option<CampaignTag>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT campaign, message_language FROM indoor_attempts
                 WHERE session_id = ?1 AND campaign IS NOT NULL ORDER BY id DESC LIMIT 1",
            )?
            .query_row([session.to_string()], |r| Ok(CampaignTag { campaign: r.get(0)?, language: r.get(1)? }))
            .optional()?)
    }

    /// Adds the campaign counts of the sessions `which` covers to `t`: persons reached per
    /// campaign by the ad's gender and nationality, and campaign messages by language.
    pub(super) fn add_campaigns(&self, which: &Which, t: &mut Tally) -> Result<()> {
        let (cond, args) = which.sql();
        let grouped = |what: &str, count: &str| -> Result<Vec<CodeCell>> {
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT x.province, x.gender, x.nationality, {what}, {count}
                 FROM indoor_attempts x JOIN indoor_sessions s ON s.id = x.session_id
                 LEFT JOIN indoor_ads a ON a.id = x.ad_id
                 WHERE x.campaign IS NOT NULL AND {what} IS NOT NULL AND {cond}
                 GROUP BY x.province, x.gender, x.nationality, {what}"
            ))?;
            let rows = st.query_map(params_from_iter(&args), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, count_at(r, 4)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let cell = |nationality, gender, measure| CellKey { nationality, gender, measure };
        for (p, g, n, code, count) in grouped("x.campaign", &format!("count(DISTINCT {REACHED_KEY})"))? {
            t.add(bucket(p), cell(n, g, Measure::Campaign(Campaign::parse(&code)?)), count);
        }
        for (p, g, n, code, count) in grouped("x.message_language", "count(*)")? {
            t.add(bucket(p), cell(n, g, Measure::CampaignLanguage(Language::parse(&code)?)), count);
        }
        Ok(())
    }
}
