//! The labour outreach tables as grids: one per province (nationality × M/F/T), then the
//! synthesis by province.

use super::grid::{Cell, Grid, Role};
use super::{mft, mft_keys, of_which_note, province_grid, synthesis_grid, tr};
use crate::domain::Lang;
use crate::domain::tables::{LabourReport, LabourTable};

/// A province's labour table; `at` is its place in the JSON.
pub(super) fn table(t: &LabourTable, lang: Lang, at: Option<String>) -> Grid {
    let title = tr(
        lang,
        "CONTATTI SFRUTTAMENTO LAVORATIVO, ACCATTONAGGIO ED ECONOMIE ILLEGALI",
        "LABOUR EXPLOITATION, BEGGING AND ILLEGAL ECONOMIES CONTACTS",
    );
    let mut g = province_grid(lang, title, t.province, &t.province_name, (t.from, t.to), at);
    g.header(tr(lang, "NAZIONALITÀ", "NATIONALITY"), ["M", "F", "T"], mft_keys("contacts"));
    g.body(t.rows.iter().map(|r| {
        let cells = mft(&r.contacts, Role::Count, "/contacts");
        (r.nationality.code(), r.label.as_str(), cells)
    }));
    g.total(tr(lang, "TOTALE", "TOTAL"), mft(&t.total.contacts, Role::Total, "/total/contacts"));
    let grand = Cell::new(t.grand_total, Role::Total, "/grand_total");
    g.note(tr(lang, "Totale generale", "Grand total"), [(String::new(), grand)]);
    of_which_note(&mut g, lang, &t.of_which);
    g
}

/// The labour synthesis: provinces as rows.
pub(super) fn synthesis(r: &LabourReport, lang: Lang) -> Grid {
    let title = tr(
        lang,
        "SFRUTTAMENTO LAVORATIVO, ACCATTONAGGIO ED ECONOMIE ILLEGALI: SINTESI PER PROVINCIA",
        "LABOUR EXPLOITATION, BEGGING AND ILLEGAL ECONOMIES: SYNTHESIS",
    );
    let mut g = synthesis_grid(lang, title, (r.from, r.to));
    g.header(
        tr(lang, "PROVINCIA", "PROVINCE"),
        ["M", "F", "T", tr(lang, "TOTALE", "TOTAL")],
        [mft_keys("contacts"), vec!["total".into()]].concat(),
    );
    g.body(r.synthesis.rows.iter().map(|row| {
        let cells =
            [mft(&row.contacts, Role::Count, "/contacts"), vec![Cell::new(row.total, Role::RowTotal, "/total")]];
        (row.province.code(), row.province_name.as_str(), cells.concat())
    }));
    let t = &r.synthesis;
    let total = [
        mft(&t.total.contacts, Role::Total, "/total/contacts"),
        vec![Cell::new(t.grand_total, Role::Total, "/grand_total")],
    ];
    g.total(tr(lang, "TOTALE", "TOTAL"), total.concat());
    of_which_note(&mut g, lang, &t.of_which);
    g
}
