//! The items tables as grids: quantities handed out per item on day and night outings, and
//! leaflets by language as "di cui" rows; one per province, then all provinces together.

use super::grid::{Cell, Grid, Role, RowKind};
use super::{period, province_title, tr};
use crate::domain::Lang;
use crate::domain::tables::ItemsTable;

fn cells(day: u64, night: u64, total: u64) -> Vec<Cell> {
    vec![
        Cell::new(day, Role::Count, "/day"),
        Cell::new(night, Role::Count, "/night"),
        Cell::new(total, Role::RowTotal, "/total"),
    ]
}

/// An items table (a province's, or all provinces' when its province is null); `at` is its
/// place in the JSON.
pub(super) fn table(t: &ItemsTable, lang: Lang, at: Option<String>) -> Grid {
    let place = match (&t.province, &t.province_name) {
        (Some(p), Some(name)) => province_title(lang, name, p.code()),
        _ => tr(lang, "Tutte le province", "All provinces").to_owned(),
    };
    let mut g = Grid::new(
        format!("{} — {place} — {}", tr(lang, "MATERIALE DISTRIBUITO", "ITEMS HANDED OUT"), period(lang, t.from, t.to)),
        t.province.map(|p| p.code()),
        at,
    );
    let head = [tr(lang, "DIURNE", "DAY"), tr(lang, "NOTTURNE", "NIGHT"), tr(lang, "TOTALE", "TOTAL")];
    g.header(tr(lang, "MATERIALE", "ITEM"), head, ["day", "night", "total"].map(String::from).to_vec());
    g.body(t.rows.iter().map(|r| (r.item.code(), r.label.as_str(), cells(r.day, r.night, r.total))));
    for (i, r) in t.leaflets.iter().enumerate() {
        g.row(
            RowKind::OfWhich,
            format!("/leaflets/{i}"),
            &format!("leaflets.{}", r.language.code()),
            &format!("  {} {}", tr(lang, "di cui in", "of which in"), r.label),
            cells(r.day, r.night, r.total),
        );
    }
    g
}
