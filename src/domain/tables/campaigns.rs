//! Message campaigns on indoor numbers (European Anti-Trafficking Day, 25 November with
//! the 1522 line, app promotions, the unit's own): per province, one row per campaign with
//! the persons it reached by gender (a number counted once per campaign and session), then
//! the campaign messages sent by language; the synthesis has provinces as rows.
//!
//! Built from the indoor cells of a tally ([`Measure::Campaign`] and
//! [`Measure::CampaignLanguage`]), on the phone and on the server alike.
//!
//! JSON: `{"count", "from", "to", "tables": [{"province", "province_name", "from", "to",
//! "rows": [{"campaign": "nov25", "label", "reached": {"M", "F", "T", "total"}}],
//! "total": {"M", "F", "T", "total"}, "messages": {"it": n, ..}}], "synthesis": {"rows":
//! [{"province", "province_name", "campaigns": {"eu_day": n, ..}, "reached": {..},
//! "messages": {..}}], "total": {"campaigns", "reached", "messages"}}}`. Every campaign and
//! language is listed, zero or not.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Mft, MftTotal, Report, ReportScope, province_table};
use crate::domain::outreach::Campaign;
use crate::domain::{Activity, Language, Measure, Province, Tally};

/// One campaign of a province's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignRow {
    /// The campaign's code.
    pub campaign: Campaign,
    /// Its name.
    pub label: String,
    /// Persons reached, by gender.
    pub reached: MftTotal,
}

/// A province's campaigns table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignsTable {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Every campaign, in list order.
    pub rows: Vec<CampaignRow>,
    /// Persons reached by any campaign.
    pub total: MftTotal,
    /// Campaign messages sent, by language (every language listed).
    pub messages: BTreeMap<Language, u64>,
}

/// What a province (or all of them) adds up to in the synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignCounts {
    /// Persons reached per campaign (every campaign listed).
    pub campaigns: BTreeMap<Campaign, u64>,
    /// Persons reached by any campaign, by gender.
    pub reached: MftTotal,
    /// Campaign messages by language (every language listed).
    pub messages: BTreeMap<Language, u64>,
}

impl Default for CampaignCounts {
    fn default() -> Self {
        CampaignCounts {
            campaigns: Campaign::ALL.iter().map(|&c| (c, 0)).collect(),
            reached: MftTotal::default(),
            messages: Language::ALL.iter().map(|&l| (l, 0)).collect(),
        }
    }
}

impl CampaignCounts {
    fn of(t: &CampaignsTable) -> CampaignCounts {
        CampaignCounts {
            campaigns: t.rows.iter().map(|r| (r.campaign, r.reached.total)).collect(),
            reached: t.total,
            messages: t.messages.clone(),
        }
    }

    fn plus(mut self, o: &CampaignCounts) -> CampaignCounts {
        o.campaigns.iter().for_each(|(k, v)| *self.campaigns.entry(*k).or_default() += v);
        o.messages.iter().for_each(|(k, v)| *self.messages.entry(*k).or_default() += v);
        self.reached = MftTotal::from(self.reached.mft.plus(o.reached.mft));
        self
    }
}

/// A province of the synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignsSynthesisRow {
    /// Province sigla.
    pub province: Province,
    /// Province name.
    pub province_name: String,
    /// Its counts.
    #[serde(flatten)]
    pub counts: CampaignCounts,
}

/// Provinces as rows, and all of them together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignsSynthesis {
    /// One row per province, by sigla.
    pub rows: Vec<CampaignsSynthesisRow>,
    /// Every province together.
    pub total: CampaignCounts,
}

/// The campaigns tables and their synthesis.
pub type CampaignsReport = Report<CampaignsTable, CampaignsSynthesis>;

/// Builds the campaigns tables from the indoor cells of `tally` (already limited to the
/// scope's dates); a province appears when it has a campaign count, or when the scope
/// names it.
pub fn campaigns_report(tally: &Tally, scope: &ReportScope) -> CampaignsReport {
    let mut tables = Vec::new();
    for (province, cells) in scope.by_province(tally, Some(Activity::Indoor)) {
        let mut reached: BTreeMap<Campaign, Mft> = Campaign::ALL.iter().map(|&c| (c, Mft::default())).collect();
        let mut messages: BTreeMap<Language, u64> = Language::ALL.iter().map(|&l| (l, 0)).collect();
        let mut any = scope.province.is_some();
        for (_, c, n) in cells {
            match c.measure {
                Measure::Campaign(k) => reached.entry(k).or_default().add(c.gender, n),
                Measure::CampaignLanguage(l) => *messages.entry(l).or_default() += n,
                _ => continue,
            }
            any = true;
        }
        if !any {
            continue;
        }
        let total = MftTotal::from(reached.values().fold(Mft::default(), |a, m| a.plus(*m)));
        let rows = reached
            .into_iter()
            .map(|(campaign, m)| CampaignRow { campaign, label: campaign.label(scope.lang).into(), reached: m.into() })
            .collect();
        tables.push(province_table!(CampaignsTable { province, scope; rows, total, messages }));
    }
    let rows: Vec<_> = tables
        .iter()
        .map(|t| province_table!(CampaignsSynthesisRow { t.province; counts: CampaignCounts::of(t) }))
        .collect();
    let total = rows.iter().fold(CampaignCounts::default(), |a, r| a.plus(&r.counts));
    Report::new(scope, tables, CampaignsSynthesis { rows, total })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tally::{Bucket, CellKey};
    use crate::domain::{Gender, Nationality, Period, Shift, parse_date};

    #[test]
    fn persons_reached_by_campaign_and_messages_by_language() {
        let mut t = Tally::new();
        let bg = Province::parse("BG").unwrap();
        let b = Bucket { activity: Activity::Indoor, province: bg, shift: Shift::Day };
        let ng = Nationality::parse("NG").unwrap();
        let cell = |g, measure| CellKey { nationality: ng, gender: g, measure };
        t.add(b, cell(Gender::F, Measure::Campaign(Campaign::November25)), 3);
        t.add(b, cell(Gender::T, Measure::Campaign(Campaign::November25)), 1);
        t.add(b, cell(Gender::F, Measure::Campaign(Campaign::AppPromotion)), 2);
        t.add(b, cell(Gender::F, Measure::CampaignLanguage(Language::English)), 5);
        t.add(b, cell(Gender::F, Measure::Calls), 9);
        // Street cells and other provinces' indoor cells without campaigns do not count.
        t.add(Bucket { activity: Activity::Street, ..b }, cell(Gender::F, Measure::Campaign(Campaign::Custom)), 7);
        let mi = Province::parse("MI").unwrap();
        t.add(Bucket { province: mi, ..b }, cell(Gender::F, Measure::Calls), 4);
        let scope = ReportScope::period(
            Period::new(parse_date("2025-01-01").unwrap(), parse_date("2025-12-31").unwrap()).unwrap(),
        );
        let r = campaigns_report(&t, &scope);
        assert_eq!(r.tables.len(), 1, "MI has no campaign");
        let tb = &r.tables[0];
        let nov = tb.rows.iter().find(|r| r.campaign == Campaign::November25).unwrap();
        assert_eq!((nov.reached.mft.f, nov.reached.mft.t, nov.reached.total), (3, 1, 4));
        assert_eq!(tb.total.total, 6);
        assert_eq!(tb.messages[&Language::English], 5);
        assert_eq!(r.synthesis.total.campaigns[&Campaign::Custom], 0);
        assert_eq!(r.synthesis.total.reached.total, 6);
    }
}
