//! The labour-sectors tables as grids: per province (then the synthesis) the sectors with
//! their persons (when persons are counted) and contacts by gender, and the kinds of
//! place with their contacts and the contacts during joint inspections.

use super::grid::{Grid, Role, RowKind};
use super::{mft, mft_keys, period, province_title, tr};
use crate::domain::tables::{LabourSectorsReport, LabourSectorsTable};
use crate::domain::{Count, Lang};

/// The two grids of one table (`at`: its place in the JSON; `None` for a synthesis' own).
fn grids(t: &LabourSectorsTable, count: Count, lang: Lang, at: Option<String>) -> Vec<Grid> {
    let place = match (t.province, &t.province_name) {
        (Some(p), Some(name)) => province_title(lang, name, p.code()),
        _ => tr(lang, "SINTESI", "SYNTHESIS").to_owned(),
    };
    let dates = period(lang, t.from, t.to);
    let province = t.province.map(|p| p.code());
    let persons = count == Count::Persons;

    let title = tr(lang, "LAVORO PER SETTORE", "LABOUR BY SECTOR");
    let mut g = Grid::new(format!("{title} — {place} — {dates}"), province, at.clone());
    let (mut groups, mut heads, mut keys) = (Vec::new(), Vec::new(), Vec::new());
    if persons {
        groups.push((tr(lang, "PERSONE", "PERSONS").to_owned(), 3));
        heads.extend(["M", "F", "T"]);
        keys.extend(mft_keys("persons"));
    }
    groups.push((tr(lang, "CONTATTI", "CONTACTS").to_owned(), 3));
    heads.extend(["M", "F", "T"]);
    keys.extend(mft_keys("contacts"));
    g.group(groups);
    g.header(tr(lang, "SETTORE", "SECTOR"), heads, keys);
    for (i, r) in t.sectors.iter().enumerate() {
        let at = format!("/sectors/{i}");
        let mut cells = Vec::new();
        if persons {
            cells.extend(mft(&r.persons, Role::Count, "/persons"));
        }
        cells.extend(mft(&r.contacts, Role::Count, "/contacts"));
        g.row(RowKind::Body, at, r.sector.code(), &r.label, cells);
    }
    // Not a sum of the rows (a person in two sectors is one person; contacts without a
    // sector count here only): counts of their own, under the table.
    let mut total: Vec<(String, super::grid::Cell)> = Vec::new();
    let genders = |what: &str, m: &crate::domain::tables::Mft, at: &str| -> Vec<(String, super::grid::Cell)> {
        ["M", "F", "T"].iter().zip(mft(m, Role::OfWhich, at)).map(|(g, c)| (format!("{what} {g}"), c)).collect()
    };
    if persons {
        total.extend(genders(tr(lang, "persone", "persons"), &t.total.persons, "/total/persons"));
    }
    total.extend(genders(tr(lang, "contatti", "contacts"), &t.total.contacts, "/total/contacts"));
    g.note(tr(lang, "Totale lavoro", "All labour outreach"), total);
    g.remark(tr(
        lang,
        "Una persona incontrata in più settori è contata in ciascuno: il totale delle persone non è la somma dei \
         settori. Il totale comprende i contatti senza settore.",
        "A person met in several sectors is counted in each: the total of persons is not the sum of the sectors. \
         The total includes contacts without a sector.",
    ));

    let title = tr(lang, "LAVORO PER LUOGO", "LABOUR BY SETTING");
    let mut s = Grid::new(format!("{title} — {place} — {dates}"), province, at);
    s.group([(tr(lang, "CONTATTI", "CONTACTS").to_owned(), 3)]);
    s.header(tr(lang, "LUOGO", "SETTING"), ["M", "F", "T"], mft_keys("contacts"));
    for (i, r) in t.settings.iter().enumerate() {
        let at = format!("/settings/{i}");
        s.row(RowKind::Body, at, r.setting.code(), &r.label, mft(&r.contacts, Role::Count, "/contacts"));
    }
    s.row(
        RowKind::OfWhich,
        String::new(),
        "joint_inspection",
        tr(lang, "Ispezioni congiunte (Ispettorato del lavoro)", "Joint inspections (labour inspectorate)"),
        mft(&t.joint_inspection, Role::OfWhich, "/joint_inspection"),
    );
    vec![g, s]
}

/// A province's tables; `at` is its place in the JSON.
pub(super) fn tables(t: &LabourSectorsTable, count: Count, lang: Lang, at: Option<String>) -> Vec<Grid> {
    grids(t, count, lang, at)
}

/// The synthesis: all provinces in the same shape.
pub(super) fn synthesis(r: &LabourSectorsReport, lang: Lang) -> Vec<Grid> {
    grids(&r.synthesis, r.count, lang, Some("/synthesis".into()))
}
