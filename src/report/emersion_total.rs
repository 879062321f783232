//! The emersion total as grids: one per province (a row per source, M F T Tot and "di
//! cui" protection, the TOTAL under them), then the same table over all provinces.

use super::grid::{Cell, Grid, Role};
use super::{MFT_TOT, mft_total, mft_total_keys, province_grid, synthesis_grid, tr};
use crate::domain::Lang;
use crate::domain::tables::{EmersionTotalReport, EmersionTotalTable, TotalCounts, TotalRow};

/// The table's title.
fn title(lang: Lang) -> &'static str {
    tr(lang, "TOTALE EMERSIONE: PERSONE CONTATTATE", "EMERSION TOTAL: PERSONS CONTACTED")
}

/// The "di cui" column's heading.
fn protection_head(lang: Lang) -> &'static str {
    tr(lang, "di cui richiedenti/titolari protezione", "of which asylum seekers/protection holders")
}

/// The counts of a row or total: M F T Tot, then protection.
fn cells(c: &TotalCounts, total: bool, at: &str) -> Vec<Cell> {
    let mut out = mft_total(&c.persons, total, at);
    out.push(Cell::new(c.protection, Role::OfWhich, format!("{at}/protection")));
    out
}

/// Headings, body and TOTAL of a table of `rows`.
fn fill(g: &mut Grid, lang: Lang, rows: &[TotalRow], total: &TotalCounts) {
    let mut heads: Vec<&str> = MFT_TOT.to_vec();
    heads.push(protection_head(lang));
    let mut keys: Vec<String> = mft_total_keys("persons");
    keys.push("protection".into());
    g.header(tr(lang, "CONTATTI", "CONTACTS"), heads, keys);
    g.body(rows.iter().map(|r| (r.source.code(), r.label.as_str(), cells(&r.counts, false, ""))));
    g.total(tr(lang, "TOTALE", "TOTAL"), cells(total, true, "/total"));
    g.remark(tr(
        lang,
        "Il totale è la somma delle righe: una persona incontrata in più attività è contata in ciascuna.",
        "The total is the sum of the rows: a person met in several activities is counted in each.",
    ));
}

/// A province's emersion total; `at` is its place in the JSON.
pub(super) fn table(t: &EmersionTotalTable, lang: Lang, at: Option<String>) -> Grid {
    let mut g = province_grid(lang, title(lang), t.province, &t.province_name, (t.from, t.to), at);
    fill(&mut g, lang, &t.rows, &t.total);
    g
}

/// The emersion total over all provinces.
pub(super) fn synthesis(r: &EmersionTotalReport, lang: Lang) -> Grid {
    let title = format!("{} — {}", title(lang), tr(lang, "TUTTE LE PROVINCE", "ALL PROVINCES"));
    let mut g = synthesis_grid(lang, &title, (r.from, r.to));
    fill(&mut g, lang, &r.synthesis.rows, &r.synthesis.total);
    g
}
