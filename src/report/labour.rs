//! The labour outreach tables as grids: one per province (nationality × M/F/T), then the
//! synthesis by province.

use super::grid::{Cell, Grid, Role, RowKind};
use super::{mft, mft_keys, of_which_note, period, province_title, tr};
use crate::domain::Lang;
use crate::domain::tables::{LabourReport, LabourTable};

/// A province's labour table; `at` is its place in the JSON.
pub(super) fn table(t: &LabourTable, lang: Lang, at: Option<String>) -> Grid {
    let code = t.province.code();
    let mut g = Grid::new(
        format!(
            "{} — {} — {}",
            tr(lang, "CONTATTI SFRUTTAMENTO LAVORATIVO E ACCATTONAGGIO", "LABOUR EXPLOITATION AND BEGGING CONTACTS"),
            province_title(lang, &t.province_name, code),
            period(lang, t.from, t.to)
        ),
        Some(code),
        at,
    );
    g.header(tr(lang, "NAZIONALITÀ", "NATIONALITY"), ["M", "F", "T"], mft_keys("contacts"));
    for (i, r) in t.rows.iter().enumerate() {
        let cells = mft(&r.contacts, Role::Count, "/contacts");
        g.row(RowKind::Body, format!("/rows/{i}"), r.nationality.code(), &r.label, cells);
    }
    g.total(tr(lang, "TOTALE", "TOTAL"), mft(&t.total.contacts, Role::Total, "/total/contacts"));
    let grand = Cell::new(t.grand_total, Role::Total, "/grand_total");
    g.note(tr(lang, "Totale generale", "Grand total"), [(String::new(), grand)]);
    of_which_note(&mut g, lang, &t.of_which);
    g
}

/// The labour synthesis: provinces as rows.
pub(super) fn synthesis(r: &LabourReport, lang: Lang) -> Grid {
    let mut g = Grid::new(
        format!(
            "{} — {}",
            tr(lang, "SFRUTTAMENTO LAVORATIVO: SINTESI PER PROVINCIA", "LABOUR OUTREACH: SYNTHESIS"),
            period(lang, r.from, r.to)
        ),
        None,
        Some("/synthesis".into()),
    );
    g.header(
        tr(lang, "PROVINCIA", "PROVINCE"),
        ["M", "F", "T", tr(lang, "TOTALE", "TOTAL")],
        [mft_keys("contacts"), vec!["total".into()]].concat(),
    );
    for (i, row) in r.synthesis.rows.iter().enumerate() {
        let cells =
            [mft(&row.contacts, Role::Count, "/contacts"), vec![Cell::new(row.total, Role::RowTotal, "/total")]];
        g.row(RowKind::Body, format!("/rows/{i}"), row.province.code(), &row.province_name, cells.concat());
    }
    let t = &r.synthesis;
    let total = [
        mft(&t.total.contacts, Role::Total, "/total/contacts"),
        vec![Cell::new(t.grand_total, Role::Total, "/grand_total")],
    ];
    g.total(tr(lang, "TOTALE", "TOTAL"), total.concat());
    of_which_note(&mut g, lang, &t.of_which);
    g
}
