//! The street contacts tables as grids: one per province (day and night outings × M/F/T),
//! then the synthesis by province.

use super::grid::{Cell, Grid, Role};
use super::{both_shifts_note, headcount, mft, mft_keys, of_which_note, province_grid, synthesis_grid, tr};
use crate::domain::Lang;
use crate::domain::tables::{StreetReport, StreetTable};

/// A province's street table; `at` is its place in the JSON.
pub(super) fn table(t: &StreetTable, lang: Lang, at: Option<String>) -> Grid {
    let title = format!("{} {}", headcount(lang, t.count), tr(lang, "IN STRADA", "ON THE STREET"));
    let mut g = province_grid(lang, &title, t.province, &t.province_name, (t.from, t.to), at);
    g.group([
        (tr(lang, "USCITE DIURNE", "DAY OUTINGS").into(), 3),
        (tr(lang, "USCITE NOTTURNE", "NIGHT OUTINGS").into(), 3),
    ]);
    g.header(
        tr(lang, "NAZIONALITÀ", "NATIONALITY"),
        ["M", "F", "T", "M", "F", "T"],
        [mft_keys("day"), mft_keys("night")].concat(),
    );
    g.body(t.rows.iter().map(|r| {
        let cells = [mft(&r.day, Role::Count, "/day"), mft(&r.night, Role::Count, "/night")];
        (r.nationality.code(), r.label.as_str(), cells.concat())
    }));
    let total = [mft(&t.total.day, Role::Total, "/total/day"), mft(&t.total.night, Role::Total, "/total/night")];
    g.total(tr(lang, "TOTALE", "TOTAL"), total.concat());
    let shifts = [
        (tr(lang, "diurne", "day"), t.shift_totals.day, "/shift_totals/day"),
        (tr(lang, "notturne", "night"), t.shift_totals.night, "/shift_totals/night"),
        (tr(lang, "totale generale", "grand total"), t.grand_total, "/grand_total"),
    ];
    g.note(
        tr(lang, "Totale per turno", "Total per shift"),
        shifts.map(|(l, n, key)| (l.to_owned(), Cell::new(n, Role::Total, key))),
    );
    of_which_note(&mut g, lang, t.count, &t.of_which);
    both_shifts_note(&mut g, lang, t.count);
    super::age::bands_notes(&mut g, lang, &t.age);
    if let Some(line) = &t.outings {
        super::outings::line_note(&mut g, lang, line);
    }
    g
}

/// The street synthesis: provinces as rows.
pub(super) fn synthesis(r: &StreetReport, lang: Lang) -> Grid {
    let title = format!(
        "{} {}",
        headcount(lang, r.count),
        tr(lang, "IN STRADA: SINTESI PER PROVINCIA", "ON THE STREET: SYNTHESIS")
    );
    let mut g = synthesis_grid(lang, &title, (r.from, r.to));
    let head = [tr(lang, "DIURNE", "DAY"), tr(lang, "NOTTURNE", "NIGHT"), tr(lang, "TOTALE", "TOTAL")];
    g.header(tr(lang, "PROVINCIA", "PROVINCE"), head, ["day", "night", "total"].map(String::from).to_vec());
    g.body(r.synthesis.rows.iter().map(|row| {
        let cells = vec![
            Cell::new(row.day, Role::Count, "/day"),
            Cell::new(row.night, Role::Count, "/night"),
            Cell::new(row.total, Role::RowTotal, "/total"),
        ];
        (row.province.code(), row.province_name.as_str(), cells)
    }));
    let t = &r.synthesis;
    let total = vec![
        Cell::new(t.total.day, Role::Total, "/total/day"),
        Cell::new(t.total.night, Role::Total, "/total/night"),
        Cell::new(t.grand_total, Role::Total, "/grand_total"),
    ];
    g.total(tr(lang, "TOTALE", "TOTAL"), total);
    of_which_note(&mut g, lang, r.count, &t.of_which);
    both_shifts_note(&mut g, lang, r.count);
    g
}
