//! The labour outreach tables as grids: one per province (nationality × M/F/T), then the
//! synthesis by province.

use super::grid::{Cell, Grid, Role};
use super::{headcount, mft, mft_keys, of_which_note, province_grid, synthesis_grid, tr};
use crate::domain::Lang;
use crate::domain::tables::{LabourReport, LabourTable};

/// What the labour tables are about, as the reports name it.
fn title(lang: Lang) -> &'static str {
    tr(
        lang,
        "SFRUTTAMENTO LAVORATIVO, ACCATTONAGGIO ED ECONOMIE ILLEGALI",
        "LABOUR EXPLOITATION, BEGGING AND ILLEGAL ECONOMIES",
    )
}

/// What the desk tables are about.
pub(super) fn desk_title(lang: Lang) -> &'static str {
    tr(lang, "SPORTELLO DI ASCOLTO", "DROP-IN DESK")
}

/// A province's labour table; `at` is its place in the JSON.
pub(super) fn table(t: &LabourTable, lang: Lang, at: Option<String>) -> Grid {
    titled_table(t, lang, at, title(lang))
}

/// A province's table of persons (or contacts) by nationality × M/F/T about `what`.
pub(super) fn titled_table(t: &LabourTable, lang: Lang, at: Option<String>, what: &str) -> Grid {
    let title = format!("{}: {what}", headcount(lang, t.count));
    let mut g = province_grid(lang, &title, t.province, &t.province_name, (t.from, t.to), at);
    g.header(tr(lang, "NAZIONALITÀ", "NATIONALITY"), ["M", "F", "T"], mft_keys("contacts"));
    g.body(t.rows.iter().map(|r| {
        let cells = mft(&r.contacts, Role::Count, "/contacts");
        (r.nationality.code(), r.label.as_str(), cells)
    }));
    g.total(tr(lang, "TOTALE", "TOTAL"), mft(&t.total.contacts, Role::Total, "/total/contacts"));
    let grand = Cell::new(t.grand_total, Role::Total, "/grand_total");
    g.note(tr(lang, "Totale generale", "Grand total"), [(String::new(), grand)]);
    of_which_note(&mut g, lang, t.count, &t.of_which);
    super::age::bands_notes(&mut g, lang, &t.age);
    if let Some(line) = &t.outings {
        super::outings::line_note(&mut g, lang, line);
    }
    g
}

/// The labour synthesis: provinces as rows.
pub(super) fn synthesis(r: &LabourReport, lang: Lang) -> Grid {
    titled_synthesis(r, lang, title(lang))
}

/// The synthesis of a table of persons by nationality × M/F/T about `what`.
pub(super) fn titled_synthesis(r: &LabourReport, lang: Lang, what: &str) -> Grid {
    let title = format!(
        "{}: {what} — {}",
        headcount(lang, r.count),
        tr(lang, "SINTESI PER PROVINCIA", "SYNTHESIS BY PROVINCE")
    );
    let mut g = synthesis_grid(lang, &title, (r.from, r.to));
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
    of_which_note(&mut g, lang, r.count, &t.of_which);
    g
}
