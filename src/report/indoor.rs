//! The indoor tables as grids (ads mapped, calls, contacts made, persons met × M/F/T, per
//! province, then the synthesis), the massage-centre tables, and the indoor figures beyond
//! the printed tables as text.

use super::grid::{Cell, Grid, Role};
use super::{mft, mft_keys, period, province_grid, synthesis_grid, tr};
use crate::domain::indoor::{Funnel, IndoorReport, IndoorStats, IndoorTable, MassageTable};
use crate::domain::{Channel, Lang};

/// The four column groups of the indoor table.
fn funnel_groups(lang: Lang) -> [(String, usize); 4] {
    [
        (tr(lang, "ANNUNCI MAPPATI", "ADS MAPPED").into(), 3),
        (tr(lang, "CHIAMATE TOTALI", "CALLS").into(), 3),
        (tr(lang, "CONTATTI SVOLTI", "CONTACTS MADE").into(), 3),
        (tr(lang, "PERSONE INCONTRATE", "PERSONS MET").into(), 3),
    ]
}

/// The funnel's cells; `at` is the funnel's JSON pointer within its row ("" when flattened).
fn funnel_cells(f: &Funnel, role: Role, at: &str) -> Vec<Cell> {
    let parts = [(&f.ads, "ads"), (&f.calls, "calls"), (&f.contacts, "contacts"), (&f.met, "met")];
    parts.iter().flat_map(|(m, key)| mft(m, role, &format!("{at}/{key}"))).collect()
}

fn funnel_keys() -> Vec<String> {
    [mft_keys("ads"), mft_keys("calls"), mft_keys("contacts"), mft_keys("met")].concat()
}

const MFT4: [&str; 12] = ["M", "F", "T", "M", "F", "T", "M", "F", "T", "M", "F", "T"];

/// A province's indoor table; `at` is its place in the JSON.
pub(super) fn table(t: &IndoorTable, lang: Lang, at: Option<String>) -> Grid {
    let title = tr(lang, "SFRUTTAMENTO SESSUALE INDOOR", "INDOOR SEXUAL EXPLOITATION");
    let mut g = province_grid(lang, title, t.province, &t.province_name, (t.from, t.to), at);
    g.group(funnel_groups(lang));
    g.header(tr(lang, "NAZIONALITÀ", "NATIONALITY"), MFT4, funnel_keys());
    g.body(t.rows.iter().map(|r| {
        let cells = funnel_cells(&r.counts, Role::Count, "");
        (r.nationality.code(), r.label.as_str(), cells)
    }));
    g.total(tr(lang, "TOTALE", "TOTAL"), funnel_cells(&t.total, Role::Total, "/total"));
    g
}

/// The indoor synthesis: provinces as rows.
pub(super) fn synthesis(r: &IndoorReport, lang: Lang) -> Grid {
    let title = tr(lang, "INDOOR: SINTESI PER PROVINCIA", "INDOOR: SYNTHESIS");
    let mut g = synthesis_grid(lang, title, (r.from, r.to));
    g.group(funnel_groups(lang));
    g.header(tr(lang, "PROVINCIA", "PROVINCE"), MFT4, funnel_keys());
    g.body(r.synthesis.rows.iter().map(|row| {
        let cells = funnel_cells(&row.counts, Role::Count, "");
        (row.province.code(), row.province_name.as_str(), cells)
    }));
    g.total(tr(lang, "TOTALE", "TOTAL"), funnel_cells(&r.synthesis.total, Role::Total, "/total"));
    g
}

/// A province's massage-centre table; `at` is its place in the JSON.
pub(super) fn massage(t: &MassageTable, lang: Lang, at: Option<String>) -> Grid {
    let title = tr(lang, "CENTRI MASSAGGI: PERSONE CONTATTATE", "MASSAGE CENTRES: PERSONS CONTACTED");
    let mut g = province_grid(lang, title, t.province, &t.province_name, (t.from, t.to), at);
    g.header(tr(lang, "NAZIONALITÀ", "NATIONALITY"), ["M", "F", "T"], mft_keys("persons"));
    g.body(t.rows.iter().map(|r| {
        let cells = mft(&r.persons, Role::Count, "/persons");
        (r.nationality.code(), r.label.as_str(), cells)
    }));
    g.total(tr(lang, "TOTALE", "TOTAL"), mft(&t.total, Role::Total, "/total"));
    g
}

/// The indoor figures beyond the printed tables, as text.
pub fn indoor_stats_text(s: &IndoorStats, lang: Lang) -> String {
    let mut out =
        format!("{} — {}\n\n", tr(lang, "INDOOR: ALTRI DATI", "INDOOR: FURTHER FIGURES"), period(lang, s.from, s.to));
    let mut line = |label: &str, value: String| out.push_str(&format!("{label:<52}{value:>10}\n"));
    line(tr(lang, "Annunci mappati", "Ads mapped"), s.ads.to_string());
    line(tr(lang, "Chiamate", "Calls"), s.calls.to_string());
    for (channel, n) in &s.messages_by_channel {
        let label = Channel::parse(channel).map_or(channel.as_str(), |c| c.label(lang));
        line(&format!("{} {label}", tr(lang, "Messaggi:", "Messages:")), n.to_string());
    }
    line(tr(lang, "Annunci con almeno un contatto", "Ads reached at least once"), s.ads_reached.to_string());
    line(
        tr(lang, "Quota di annunci raggiunti", "Share of ads reached"),
        format!("{:.1}%", 100.0 * s.share_of_ads_reached),
    );
    line(tr(lang, "Numeri distinti", "Distinct numbers"), s.numbers.to_string());
    line(tr(lang, "Numeri in più annunci", "Numbers in several ads"), s.numbers_in_several_ads.to_string());
    line(
        tr(lang, "Numeri in 3 o più annunci (probabili centralinisti)", "Numbers in 3+ ads (likely controllers)"),
        s.likely_controllers.to_string(),
    );
    line(
        tr(lang, "Numeri rivisti entro 14 giorni", "Numbers seen again within 14 days"),
        s.numbers_seen_again_within_14_days.to_string(),
    );
    out
}
