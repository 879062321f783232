//! The services tables as grids, as the final reports print them: per province (a)
//! accompaniments by service with the persons, listening talks and legal consultations,
//! (b) referrals ("invii") by service with the persons referred, and the accompaniments and
//! referrals by sub-type; then the same (a) and (b) with provinces as rows, and the
//! sub-types of all provinces.

use super::grid::{Cell, Grid, Role, RowKind};
use super::{Dates, mft, mft_keys, province_grid, synthesis_grid, tr};
use crate::domain::tables::{ServiceCounts, ServiceMft, ServicesReport, ServicesTable};
use crate::domain::{Activity, Lang, ServiceKind};

/// The two tables of events: accompaniments (with talks and consultations) and referrals.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Accompaniments,
    Referrals,
}

impl Family {
    fn title(self, lang: Lang) -> &'static str {
        match self {
            Family::Accompaniments => tr(
                lang,
                "ACCOMPAGNAMENTI, COLLOQUI DI ASCOLTO E CONSULENZE LEGALI",
                "ACCOMPANIMENTS, LISTENING TALKS AND LEGAL CONSULTATIONS",
            ),
            Family::Referrals => tr(lang, "INVII AI SERVIZI", "REFERRALS TO SERVICES"),
        }
    }

    /// Its JSON field of events per service, and its CSV key prefix.
    fn key(self) -> (&'static str, &'static str) {
        match self {
            Family::Accompaniments => ("accompaniments", "accompaniment"),
            Family::Referrals => ("referrals", "referral"),
        }
    }
}

/// Sets the column groups and headings of `family`'s table; `first` heads the label column.
fn columns(g: &mut Grid, lang: Lang, family: Family, first: &str) {
    let (_, prefix) = family.key();
    let mut groups = Vec::new();
    let mut heads: Vec<&str> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let mut group = |label: String, h: &[&'static str], k: Vec<String>| {
        groups.push((label, h.len()));
        heads.extend(h);
        keys.extend(k);
    };
    for s in ServiceKind::ALL {
        let k = format!("{prefix}_{}", s.code());
        group(
            service_short(*s, lang).into(),
            &["M", "F", "T", "Tot"],
            [mft_keys(&k), vec![format!("{k}_total")]].concat(),
        );
    }
    let persons = tr(lang, "N. PERSONE", "PERSONS");
    match family {
        Family::Accompaniments => {
            group(String::new(), &[persons], vec!["accompanied_persons".into()]);
            group(tr(lang, "COLLOQUI DI ASCOLTO", "LISTENING TALKS").into(), &["M", "F", "T"], mft_keys("listening"));
            group(
                tr(lang, "CONSULENZE LEGALI", "LEGAL CONSULTATIONS").into(),
                &["M", "F", "T"],
                mft_keys("legal_consultations"),
            );
            group(String::new(), &["TOT"], vec!["accompaniments_total".into()]);
            group(tr(lang, "INFORMAZIONI", "INFORMATION").into(), &["M", "F", "T"], mft_keys("information"));
        }
        Family::Referrals => {
            group(String::new(), &[persons], vec!["referred_persons".into()]);
            group(String::new(), &["TOT"], vec!["referrals_total".into()]);
        }
    }
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

/// `family`'s cells of the counts; `at` is their JSON pointer within the row ("" when
/// flattened). In a body row (`role` [`Role::Count`]) the totals are [`Role::RowTotal`].
fn cells(c: &ServiceCounts, family: Family, role: Role, at: &str) -> Vec<Cell> {
    let row_total = if role == Role::Count { Role::RowTotal } else { role };
    let (field, _) = family.key();
    let by_service = match family {
        Family::Accompaniments => &c.accompaniments,
        Family::Referrals => &c.referrals,
    };
    let mut v = Vec::new();
    for s in ServiceKind::ALL {
        let at = format!("{at}/{field}/{}", s.code());
        let m: ServiceMft = by_service.get(s).copied().unwrap_or_default();
        v.extend(mft(&m.by_gender, role, &at));
        v.push(Cell::new(m.total, row_total, format!("{at}/total")));
    }
    match family {
        Family::Accompaniments => {
            v.push(Cell::new(c.accompanied_persons, role, format!("{at}/accompanied_persons")));
            v.extend(mft(&c.listening, role, &format!("{at}/listening")));
            v.extend(mft(&c.legal_consultations, role, &format!("{at}/legal_consultations")));
            v.push(Cell::new(c.accompaniments_total, row_total, format!("{at}/accompaniments_total")));
            v.extend(mft(&c.information, role, &format!("{at}/information")));
        }
        Family::Referrals => {
            v.push(Cell::new(c.referred_persons, role, format!("{at}/referred_persons")));
            v.push(Cell::new(c.referrals_total, row_total, format!("{at}/referrals_total")));
        }
    }
    v
}

fn activity_note(lang: Lang, a: Option<Activity>) -> String {
    match a {
        Some(a) => a.label(lang).to_owned(),
        None => tr(lang, "tutte le attività", "all activities").to_owned(),
    }
}

/// The accompaniments and referrals by sub-type of `total` (a table's total at `at`, its
/// JSON pointer within the table): one row per sub-type said.
fn subtypes(g: &mut Grid, lang: Lang, total: &ServiceCounts, at: &str) {
    let mut groups = Vec::new();
    let mut keys = Vec::new();
    for (what, it, en) in [("accompaniments", "ACCOMPAGNAMENTI", "ACCOMPANIMENTS"), ("referrals", "INVII", "REFERRALS")]
    {
        groups.push((tr(lang, it, en).to_owned(), 3));
        keys.extend(mft_keys(what));
    }
    g.group(groups);
    g.header(tr(lang, "SERVIZIO", "SERVICE"), ["M", "F", "T", "M", "F", "T"], keys);
    for (sub, c) in &total.subtypes {
        let row = format!("{at}/subtypes/{}", sub.code());
        let label = format!("{} — {}", service_short(sub.service(), lang), sub.label(lang));
        let cells =
            [mft(&c.accompaniments, Role::Count, "/accompaniments"), mft(&c.referrals, Role::Count, "/referrals")];
        g.row(RowKind::Body, row, sub.code(), &label, cells.concat());
    }
}

fn subtypes_title(lang: Lang) -> &'static str {
    tr(lang, "ACCOMPAGNAMENTI E INVII PER TIPO DI SERVIZIO", "ACCOMPANIMENTS AND REFERRALS BY KIND OF SERVICE")
}

/// A province's services tables (accompaniments, referrals, by sub-type); `at` is the
/// table's place in the JSON.
pub(super) fn tables(t: &ServicesTable, lang: Lang, at: Option<String>) -> Vec<Grid> {
    let dates: Dates = (t.from, t.to);
    let mut out: Vec<Grid> = [Family::Accompaniments, Family::Referrals]
        .into_iter()
        .map(|family| {
            let mut g = province_grid(lang, family.title(lang), t.province, &t.province_name, dates, at.clone());
            columns(&mut g, lang, family, tr(lang, "NAZIONALITÀ", "NATIONALITY"));
            g.body(
                t.rows
                    .iter()
                    .map(|r| (r.nationality.code(), r.label.as_str(), cells(&r.counts, family, Role::Count, ""))),
            );
            g.total(tr(lang, "TOTALE", "TOTAL"), cells(&t.total, family, Role::Total, "/total"));
            g
        })
        .collect();
    let mut g = province_grid(lang, subtypes_title(lang), t.province, &t.province_name, dates, at);
    subtypes(&mut g, lang, &t.total, "/total");
    out.push(g);
    out
}

/// The services syntheses: (a) and (b) with provinces as rows, and the sub-types of all.
pub(super) fn synthesis(r: &ServicesReport, lang: Lang) -> Vec<Grid> {
    let titled = |title: &str| {
        let title = format!(
            "{title}: {} — {}",
            tr(lang, "SINTESI PER PROVINCIA", "SYNTHESIS"),
            activity_note(lang, r.activity)
        );
        synthesis_grid(lang, &title, (r.from, r.to))
    };
    let mut out: Vec<Grid> = [Family::Accompaniments, Family::Referrals]
        .into_iter()
        .map(|family| {
            let mut g = titled(family.title(lang));
            columns(&mut g, lang, family, tr(lang, "PROVINCIA", "PROVINCE"));
            g.body(r.synthesis.rows.iter().map(|row| {
                (row.province.code(), row.province_name.as_str(), cells(&row.counts, family, Role::Count, ""))
            }));
            g.total(tr(lang, "TOTALE", "TOTAL"), cells(&r.synthesis.total, family, Role::Total, "/total"));
            g
        })
        .collect();
    let mut g = titled(subtypes_title(lang));
    subtypes(&mut g, lang, &r.synthesis.total, "/total");
    out.push(g);
    out
}
