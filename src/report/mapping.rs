//! The mapping-night tables as grids: per province comune × nationality with persons seen
//! and contacted by gender; the synthesis with provinces as rows.

use super::grid::{Cell, Grid, Role};
use super::{mft, mft_keys, province_grid, synthesis_grid, tr};
use crate::domain::Lang;
use crate::domain::tables::{MappingCounts, MappingReport, MappingTable};

fn title(lang: Lang) -> &'static str {
    tr(lang, "MAPPATURA NAZIONALE DELLA PROSTITUZIONE DI STRADA", "NATIONAL STREET-PROSTITUTION MAPPING")
}

/// Column groups and headings: seen M/F/T, contacted M/F/T.
fn columns(g: &mut Grid, lang: Lang, first: &str) {
    g.group([
        (tr(lang, "PERSONE VISTE", "PERSONS SEEN").to_owned(), 3),
        (tr(lang, "PERSONE CONTATTATE", "PERSONS CONTACTED").to_owned(), 3),
    ]);
    g.header(first, ["M", "F", "T", "M", "F", "T"], [mft_keys("seen"), mft_keys("contacted")].concat());
}

fn cells(c: &MappingCounts, role: Role, at: &str) -> Vec<Cell> {
    [mft(&c.seen, role, &format!("{at}/seen")), mft(&c.contacted, role, &format!("{at}/contacted"))].concat()
}

/// Why some of the night's persons are not in the table.
fn note(g: &mut Grid, lang: Lang) {
    g.remark(tr(
        lang,
        "Persone viste: contattate e non avvicinate (nazionalità non rilevata). Le soste senza comune non sono contate.",
        "Persons seen: contacted and not approached (nationality not recorded). Stops without a comune are not counted.",
    ));
}

/// A province's table; `at` is its place in the JSON.
pub(super) fn table(t: &MappingTable, lang: Lang, at: Option<String>) -> Grid {
    let mut g = province_grid(lang, title(lang), t.province, &t.province_name, (t.from, t.to), at);
    columns(&mut g, lang, tr(lang, "COMUNE — NAZIONALITÀ", "COMUNE — NATIONALITY"));
    let labels: Vec<(String, String)> = t
        .rows
        .iter()
        .map(|r| (format!("{}.{}", r.comune.code(), r.nationality.code()), format!("{} — {}", r.comune_name, r.label)))
        .collect();
    g.body(
        t.rows
            .iter()
            .zip(&labels)
            .map(|(r, (code, label))| (code.as_str(), label.as_str(), cells(&r.counts, Role::Count, ""))),
    );
    g.total(tr(lang, "TOTALE", "TOTAL"), cells(&t.total, Role::Total, "/total"));
    note(&mut g, lang);
    g
}

/// The synthesis: provinces as rows.
pub(super) fn synthesis(r: &MappingReport, lang: Lang) -> Grid {
    let title = format!("{} — {}", title(lang), tr(lang, "SINTESI PER PROVINCIA", "SYNTHESIS BY PROVINCE"));
    let mut g = synthesis_grid(lang, &title, (r.from, r.to));
    columns(&mut g, lang, tr(lang, "PROVINCIA", "PROVINCE"));
    g.body(
        r.synthesis
            .rows
            .iter()
            .map(|row| (row.province.code(), row.province_name.as_str(), cells(&row.counts, Role::Count, ""))),
    );
    g.total(tr(lang, "TOTALE", "TOTAL"), cells(&r.synthesis.total, Role::Total, "/total"));
    note(&mut g, lang);
    g
}
