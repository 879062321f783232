//! The informative sessions tables as grids: per province, participants and of whom
//! asylum seekers or protection holders (M F T Tot), with sessions by place, theme and
//! language under the table; then the synthesis by province.

use super::grid::{Cell, Grid, Role, RowKind};
use super::{MFT_TOT, mft_total, mft_total_keys, province_grid, synthesis_grid, tr};
use crate::domain::Lang;
use crate::domain::tables::SessionsReport;
use crate::domain::tables::sessions::{SessionCounts, SessionsTable};

fn title(lang: Lang) -> &'static str {
    tr(lang, "SENSIBILIZZAZIONE: INCONTRI INFORMATIVI DI GRUPPO", "INFORMATIVE GROUP SESSIONS")
}

fn protection(lang: Lang) -> &'static str {
    tr(lang, "di cui richiedenti o titolari di protezione", "of whom asylum seekers or protection holders")
}

/// The lines under a table: sessions, by place, by theme, by language (those spoken).
fn notes(g: &mut Grid, lang: Lang, c: &SessionCounts, at: &str) {
    g.note(
        tr(lang, "Incontri", "Sessions"),
        [(String::new(), Cell::new(c.sessions, Role::Total, format!("{at}/sessions")))],
    );
    g.note(
        tr(lang, "Per luogo", "By place"),
        c.places.iter().map(|(p, n)| {
            (p.label(lang).to_owned(), Cell::new(*n, Role::OfWhich, format!("{at}/places/{}", p.code())))
        }),
    );
    g.note(
        tr(lang, "Per tema", "By theme"),
        c.themes.iter().map(|(t, n)| {
            (t.label(lang).to_owned(), Cell::new(*n, Role::OfWhich, format!("{at}/themes/{}", t.code())))
        }),
    );
    g.note(
        tr(lang, "Per lingua", "By language"),
        c.languages.iter().filter(|(_, n)| **n > 0).map(|(l, n)| {
            (l.label(lang).to_owned(), Cell::new(*n, Role::OfWhich, format!("{at}/languages/{}", l.code())))
        }),
    );
}

/// A province's sessions table; `at` is its place in the JSON.
pub(super) fn table(t: &SessionsTable, lang: Lang, at: Option<String>) -> Grid {
    let mut g = province_grid(lang, title(lang), t.province, &t.province_name, (t.from, t.to), at);
    g.header(tr(lang, "PERSONE", "PERSONS"), MFT_TOT, mft_total_keys("persons"));
    let c = &t.counts;
    g.row(
        RowKind::Body,
        String::new(),
        "participants",
        tr(lang, "Partecipanti", "Participants"),
        mft_total(&c.participants, false, "/participants"),
    );
    g.row(
        RowKind::OfWhich,
        String::new(),
        "protection",
        protection(lang),
        mft_total(&c.protection, false, "/protection"),
    );
    notes(&mut g, lang, c, "");
    g
}

/// The sessions synthesis: provinces as rows.
pub(super) fn synthesis(r: &SessionsReport, lang: Lang) -> Grid {
    let title = format!("{} — {}", title(lang), tr(lang, "SINTESI PER PROVINCIA", "SYNTHESIS BY PROVINCE"));
    let mut g = synthesis_grid(lang, &title, (r.from, r.to));
    g.group([
        (String::new(), 1),
        (tr(lang, "PARTECIPANTI", "PARTICIPANTS").to_owned(), 4),
        (protection(lang).to_uppercase(), 4),
    ]);
    let heads = [&[tr(lang, "INCONTRI", "SESSIONS")][..], &MFT_TOT, &MFT_TOT].concat();
    g.header(
        tr(lang, "PROVINCIA", "PROVINCE"),
        heads,
        [vec!["sessions".into()], mft_total_keys("participants"), mft_total_keys("protection")].concat(),
    );
    let cells = |c: &SessionCounts, total: bool, at: &str| {
        let role = if total { Role::Total } else { Role::OfWhich };
        [
            vec![Cell::new(c.sessions, role, format!("{at}/sessions"))],
            mft_total(&c.participants, total, &format!("{at}/participants")),
            mft_total(&c.protection, total, &format!("{at}/protection")),
        ]
        .concat()
    };
    g.body(
        r.synthesis
            .rows
            .iter()
            .map(|row| (row.province.code(), row.province_name.as_str(), cells(&row.counts, false, ""))),
    );
    g.total(tr(lang, "TOTALE", "TOTAL"), cells(&r.synthesis.total, true, "/total"));
    notes(&mut g, lang, &r.synthesis.total, "/total");
    g
}
