//! The message campaigns tables as grids: per province, campaigns as rows with the persons
//! reached (M F T Tot) and the campaign messages by language under the table; then the
//! synthesis by province.

use super::grid::{Cell, Grid, Role};
use super::{MFT_TOT, mft_total, mft_total_keys, province_grid, synthesis_grid, tr};
use crate::domain::outreach::Campaign;
use crate::domain::tables::CampaignsReport;
use crate::domain::tables::campaigns::CampaignsTable;
use crate::domain::{Lang, Language};

fn title(lang: Lang) -> &'static str {
    tr(lang, "INDOOR: CAMPAGNE DI MESSAGGI — PERSONE RAGGIUNTE", "INDOOR: MESSAGE CAMPAIGNS — PERSONS REACHED")
}

fn messages(g: &mut Grid, lang: Lang, m: &std::collections::BTreeMap<Language, u64>, at: &str) {
    g.note(
        tr(lang, "Messaggi di campagna per lingua", "Campaign messages by language"),
        m.iter().filter(|(_, n)| **n > 0).map(|(l, n)| {
            (l.label(lang).to_owned(), Cell::new(*n, Role::OfWhich, format!("{at}/messages/{}", l.code())))
        }),
    );
}

/// A province's campaigns table; `at` is its place in the JSON.
pub(super) fn table(t: &CampaignsTable, lang: Lang, at: Option<String>) -> Grid {
    let mut g = province_grid(lang, title(lang), t.province, &t.province_name, (t.from, t.to), at);
    g.header(tr(lang, "CAMPAGNA", "CAMPAIGN"), MFT_TOT, mft_total_keys("reached"));
    g.body(t.rows.iter().map(|r| (r.campaign.code(), r.label.as_str(), mft_total(&r.reached, false, "/reached"))));
    g.total(tr(lang, "TOTALE", "TOTAL"), mft_total(&t.total, true, "/total"));
    messages(&mut g, lang, &t.messages, "");
    g
}

/// The campaigns synthesis: provinces as rows, persons reached by gender; persons reached
/// per campaign under the table.
pub(super) fn synthesis(r: &CampaignsReport, lang: Lang) -> Grid {
    let title = format!("{} — {}", title(lang), tr(lang, "SINTESI PER PROVINCIA", "SYNTHESIS BY PROVINCE"));
    let mut g = synthesis_grid(lang, &title, (r.from, r.to));
    g.header(tr(lang, "PROVINCIA", "PROVINCE"), MFT_TOT, mft_total_keys("reached"));
    g.body(r.synthesis.rows.iter().map(|row| {
        (row.province.code(), row.province_name.as_str(), mft_total(&row.counts.reached, false, "/reached"))
    }));
    let t = &r.synthesis.total;
    g.total(tr(lang, "TOTALE", "TOTAL"), mft_total(&t.reached, true, "/total/reached"));
    g.note(
        tr(lang, "Persone raggiunte per campagna", "Persons reached by campaign"),
        Campaign::ALL.iter().map(|k| {
            let n = t.campaigns.get(k).copied().unwrap_or(0);
            (k.label(lang).to_owned(), Cell::new(n, Role::Total, format!("/total/campaigns/{}", k.code())))
        }),
    );
    messages(&mut g, lang, &t.messages, "/total");
    g
}
