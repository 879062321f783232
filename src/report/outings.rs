//! The outings and presences tables as grids: one per province, then the synthesis; and
//! the outings line printed under a contacts table.

use super::grid::{Cell, Grid, Role};
use super::{Dates, province_grid, synthesis_grid, tr};
use crate::domain::Lang;
use crate::domain::tables::outings::tenths;
use crate::domain::tables::{OutingCounts, OutingLine, OutingsReport, OutingsTable, PresencesReport, PresencesTable};

fn outings_title(lang: Lang) -> &'static str {
    tr(lang, "USCITE E ORE DI LAVORO", "OUTINGS AND HOURS")
}

fn counts_cells(c: &OutingCounts, role: Role, at: &str) -> Vec<Cell> {
    vec![
        Cell::new(c.outings, role, format!("{at}/outings")),
        Cell::new(c.empty, role, format!("{at}/empty")),
        Cell::new(tenths(c.minutes), Role::Hours, format!("{at}/hours")),
        Cell::new(tenths(c.operator_minutes), Role::Hours, format!("{at}/operator_hours")),
        Cell::new(c.mediator, role, format!("{at}/mediator")),
        Cell::new(c.legal_operator, role, format!("{at}/legal_operator")),
    ]
}

fn outings_grid(t: &OutingsTable, lang: Lang, mut g: Grid) -> Grid {
    g.header(
        tr(lang, "ATTIVITÀ · TURNO · MESE", "ACTIVITY · SHIFT · MONTH"),
        [
            tr(lang, "USCITE", "OUTINGS"),
            tr(lang, "DI CUI SENZA CONTATTI", "OF WHICH EMPTY"),
            tr(lang, "ORE", "HOURS"),
            tr(lang, "ORE OPERATORE", "OPERATOR-HOURS"),
            tr(lang, "CON MEDIATORE", "WITH MEDIATOR"),
            tr(lang, "CON OPERATORE LEGALE", "WITH LEGAL OPERATOR"),
        ],
        ["outings", "empty", "hours", "operator_hours", "mediator", "legal_operator"].map(String::from).to_vec(),
    );
    let rows: Vec<(String, String, Vec<Cell>)> = t
        .rows
        .iter()
        .map(|r| {
            let code = format!("{}/{}/{}", r.activity.code(), r.shift.code(), r.month);
            let label = format!("{} · {} · {}", r.activity.label(lang), r.shift.label(lang), r.month);
            (code, label, counts_cells(&r.counts, Role::Count, ""))
        })
        .collect();
    g.body(rows.iter().map(|(c, l, cells)| (c.as_str(), l.as_str(), cells.clone())));
    g.total(tr(lang, "TOTALE", "TOTAL"), counts_cells(&t.total, Role::Total, "/total"));
    g
}

/// A province's outings table; `at` is its place in the JSON.
pub(super) fn table(t: &OutingsTable, lang: Lang, at: Option<String>) -> Grid {
    let dates: Dates = (t.from, t.to);
    let g = match t.province {
        Some(p) => province_grid(lang, outings_title(lang), p, t.province_name.as_deref().unwrap_or(""), dates, at),
        None => synthesis_grid(lang, outings_title(lang), dates),
    };
    outings_grid(t, lang, g)
}

/// The synthesis over provinces.
pub(super) fn synthesis(r: &OutingsReport, lang: Lang) -> Grid {
    let title = format!("{} — {}", outings_title(lang), tr(lang, "SINTESI", "SYNTHESIS"));
    outings_grid(&r.synthesis, lang, synthesis_grid(lang, &title, (r.from, r.to)))
}

fn presences_title(lang: Lang) -> &'static str {
    tr(lang, "PRESENZE MONITORATE E CONTATTI", "PRESENCES MONITORED AND CONTACTS")
}

fn presences_grid(t: &PresencesTable, lang: Lang, mut g: Grid) -> Grid {
    let (seen, met) = (tr(lang, "PRESENZE", "PRESENCES"), tr(lang, "CONTATTI", "CONTACTS"));
    g.group([(seen.to_owned(), 3), (met.to_owned(), 3)]);
    g.header(
        tr(lang, "ATTIVITÀ · TURNO", "ACTIVITY · SHIFT"),
        ["M", "F", "T", "M", "F", "T"],
        ["presences_M", "presences_F", "presences_T", "contacts_M", "contacts_F", "contacts_T"]
            .map(String::from)
            .to_vec(),
    );
    let rows: Vec<(String, String, Vec<Cell>)> = t
        .rows
        .iter()
        .map(|r| {
            let code = format!("{}/{}", r.activity.code(), r.shift.code());
            let label = format!("{} · {}", r.activity.label(lang), r.shift.label(lang));
            let cells = [
                super::mft(&r.presences, Role::Count, "/presences"),
                super::mft(&r.contacts, Role::Count, "/contacts"),
            ]
            .concat();
            (code, label, cells)
        })
        .collect();
    g.body(rows.iter().map(|(c, l, cells)| (c.as_str(), l.as_str(), cells.clone())));
    let total = [
        super::mft(&t.total.presences, Role::Total, "/total/presences"),
        super::mft(&t.total.contacts, Role::Total, "/total/contacts"),
    ];
    g.total(tr(lang, "TOTALE", "TOTAL"), total.concat());
    g
}

/// A province's presences table.
pub(super) fn presences_table(t: &PresencesTable, lang: Lang, at: Option<String>) -> Grid {
    let dates: Dates = (t.from, t.to);
    let g = match t.province {
        Some(p) => province_grid(lang, presences_title(lang), p, t.province_name.as_deref().unwrap_or(""), dates, at),
        None => synthesis_grid(lang, presences_title(lang), dates),
    };
    presences_grid(t, lang, g)
}

/// The presences synthesis over provinces.
pub(super) fn presences_synthesis(r: &PresencesReport, lang: Lang) -> Grid {
    let title = format!("{} — {}", presences_title(lang), tr(lang, "SINTESI", "SYNTHESIS"));
    presences_grid(&r.synthesis, lang, synthesis_grid(lang, &title, (r.from, r.to)))
}

/// The line under a contacts table: "Uscite: N · di cui senza contatti E · ore H",
/// keyed `/outings/...` (counts hidden when small in a publication, hours never).
pub(super) fn line_note(g: &mut Grid, lang: Lang, line: &OutingLine) {
    g.note(
        tr(lang, "Uscite", "Outings"),
        [
            (String::new(), Cell::new(line.outings, Role::OfWhich, "/outings/outings")),
            (
                tr(lang, "di cui senza contatti", "of which without contacts").to_owned(),
                Cell::new(line.empty, Role::OfWhich, "/outings/empty"),
            ),
            (tr(lang, "ore", "hours").to_owned(), Cell::new(tenths(line.minutes), Role::Hours, "/outings/hours")),
        ],
    );
}
