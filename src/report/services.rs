//! The referrals, accompaniments and listening tables as grids: one per province, then the
//! synthesis by province.

use super::grid::{Cell, Grid, Role};
use super::{mft, mft_keys, province_grid, synthesis_grid, tr};
use crate::domain::tables::{ServiceCounts, ServicesReport, ServicesTable};
use crate::domain::{Activity, Lang, ServiceKind};

/// Sets the column groups and headings; `first` heads the label column.
fn columns(g: &mut Grid, lang: Lang, first: &'static str) {
    let mut groups = vec![(String::new(), 1)];
    let mut heads: Vec<&str> = vec![tr(lang, "PERSONE", "PERSONS")];
    let mut keys: Vec<String> = vec!["persons".into()];
    for (what, it, en) in [("referral", "INVIO", "REFERRAL"), ("accompaniment", "ACCOMP.", "ACCOMP.")] {
        for s in ServiceKind::ALL {
            groups.push((format!("{} {}", tr(lang, it, en), service_short(*s, lang)), 3));
            heads.extend(["M", "F", "T"]);
            keys.extend(mft_keys(&format!("{what}_{}", s.code())));
        }
    }
    groups.push((tr(lang, "ASCOLTO", "LISTENING").into(), 3));
    heads.extend(["M", "F", "T"]);
    keys.extend(mft_keys("listening"));
    groups.push((tr(lang, "INFORMAZIONI", "INFORMATION").into(), 3));
    heads.extend(["M", "F", "T"]);
    keys.extend(mft_keys("information"));
    g.group(groups);
    g.header(first, heads, keys);
}

fn service_short(s: ServiceKind, lang: Lang) -> &'static str {
    match s {
        ServiceKind::Legal => tr(lang, "LEGALE", "LEGAL"),
        ServiceKind::Health => tr(lang, "SANITARIO", "HEALTH"),
        ServiceKind::Work => tr(lang, "LAVORO", "WORK"),
        ServiceKind::Other => tr(lang, "ALTRO", "OTHER"),
    }
}

/// The counts' cells; `at` is their JSON pointer within the row ("" when flattened).
fn cells(c: &ServiceCounts, role: Role, at: &str) -> Vec<Cell> {
    let mut v = vec![Cell::new(c.persons, role, format!("{at}/persons"))];
    for (map, key) in [(&c.referrals, "referrals"), (&c.accompaniments, "accompaniments")] {
        for s in ServiceKind::ALL {
            v.extend(mft(&map.get(s).copied().unwrap_or_default(), role, &format!("{at}/{key}/{}", s.code())));
        }
    }
    v.extend(mft(&c.listening, role, &format!("{at}/listening")));
    v.extend(mft(&c.information, role, &format!("{at}/information")));
    v
}

fn activity_note(lang: Lang, a: Option<Activity>) -> String {
    match a {
        Some(a) => a.label(lang).to_owned(),
        None => tr(lang, "tutte le attività", "all activities").to_owned(),
    }
}

/// A province's services table; `at` is its place in the JSON.
pub(super) fn table(t: &ServicesTable, lang: Lang, at: Option<String>) -> Grid {
    let title =
        tr(lang, "INVII, ACCOMPAGNAMENTI E COLLOQUI DI ASCOLTO", "REFERRALS, ACCOMPANIMENTS AND LISTENING TALKS");
    let mut g = province_grid(lang, title, t.province, &t.province_name, (t.from, t.to), at);
    columns(&mut g, lang, tr(lang, "NAZIONALITÀ", "NATIONALITY"));
    g.body(t.rows.iter().map(|r| (r.nationality.code(), r.label.as_str(), cells(&r.counts, Role::Count, ""))));
    g.total(tr(lang, "TOTALE", "TOTAL"), cells(&t.total, Role::Total, "/total"));
    g
}

/// The services synthesis: provinces as rows.
pub(super) fn synthesis(r: &ServicesReport, lang: Lang) -> Grid {
    let title = format!(
        "{} — {}",
        tr(lang, "INVII E ACCOMPAGNAMENTI: SINTESI PER PROVINCIA", "REFERRALS AND ACCOMPANIMENTS: SYNTHESIS"),
        activity_note(lang, r.activity)
    );
    let mut g = synthesis_grid(lang, &title, (r.from, r.to));
    columns(&mut g, lang, tr(lang, "PROVINCIA", "PROVINCE"));
    g.body(
        r.synthesis
            .rows
            .iter()
            .map(|row| (row.province.code(), row.province_name.as_str(), cells(&row.counts, Role::Count, ""))),
    );
    g.total(tr(lang, "TOTALE", "TOTAL"), cells(&r.synthesis.total, Role::Total, "/total"));
    g
}
