//! End of an outing: its report table (as the programmes print it), then confirm.

use chrono::Utc;
use dioxus::prelude::*;
use uuid::Uuid;

use super::{Screen, T, Ui};
use crate::domain::tables::{Mft, ReportScope, labour_report, street_report};
use crate::domain::{Activity, Lang, Nationality, OutingStatus, Period};

/// One table row: a label and its cells.
struct Row {
    code: String,
    label: String,
    cells: Vec<u64>,
}

/// One province's table: its name, rows and total cells.
type ProvinceTable = (String, Vec<Row>, Vec<u64>);

/// A province's table from its report rows, each turned into nationality, label, cells.
fn province_table<R>(
    name: String,
    rows: Vec<R>,
    total: Vec<u64>,
    cells: impl Fn(R) -> (Nationality, String, Vec<u64>),
) -> ProvinceTable {
    let rows = rows
        .into_iter()
        .map(|r| {
            let (nat, label, cells) = cells(r);
            Row { code: nat.code().to_owned(), label, cells }
        })
        .collect();
    (name, rows, total)
}

/// The summary screen.
#[component]
pub fn SummaryScreen(id: Uuid) -> Element {
    let mut ui: Ui = use_context();
    let lang = ui.lang();
    let Some(outing) = ui.read(|s| s.outing(id)) else {
        return rsx! {};
    };
    let tally = ui.read(|s| s.outing_tally(id)).unwrap_or_default();
    let period = Period::new(outing.date, outing.date).expect("one day is a period");
    let scope = ReportScope { period, province: None, activity: Some(outing.activity), lang };
    let mft = |m: &Mft| vec![m.m, m.f, m.t];
    // Street: day M/F/T, night M/F/T; labour: M/F/T.
    let (heads, tables): (Vec<&str>, Vec<ProvinceTable>) = if outing.activity == Activity::Street {
        let r = street_report(&tally, &scope);
        let tables = r
            .tables
            .into_iter()
            .map(|t| {
                let total = [mft(&t.total.day), mft(&t.total.night)].concat();
                province_table(t.province_name, t.rows, total, |r| {
                    (r.nationality, r.label, [mft(&r.day), mft(&r.night)].concat())
                })
            })
            .collect();
        (vec!["M", "F", "T", "M", "F", "T"], tables)
    } else {
        let r = labour_report(&tally, &scope);
        let tables = r
            .tables
            .into_iter()
            .map(|t| {
                province_table(t.province_name, t.rows, mft(&t.total.contacts), |r| {
                    (r.nationality, r.label, mft(&r.contacts))
                })
            })
            .collect();
        (vec!["M", "F", "T"], tables)
    };
    let street = outing.activity == Activity::Street;
    let closed = outing.status == OutingStatus::Closed;

    rsx! {
        section { class: "summary",
            h2 { {ui.t(T::Summary)} }
            p { class: "muted", {outing.date.format("%d/%m/%Y").to_string()} " · " {outing.activity.label(lang)} }
            for (province, rows, total) in tables {
                div { key: "{province}", class: "table-wrap",
                    h3 { "{ui.t(T::Province)}: {province}" }
                    table { class: "report summary-table",
                        thead {
                            if street {
                                tr { th {} th { colspan: "3", {shift_head(lang, true)} } th { colspan: "3", {shift_head(lang, false)} } }
                            }
                            tr { th { {ui.t(T::Nationality)} } for h in heads.iter() { th { "{h}" } } }
                        }
                        tbody {
                            for row in rows {
                                tr { key: "{row.code}", "data-code": "{row.code}",
                                    th { "{row.label}" }
                                    for c in row.cells { td { if c > 0 { "{c}" } } }
                                }
                            }
                        }
                        tfoot {
                            tr { th { {ui.t(T::Total)} } for c in total { td { "{c}" } } }
                        }
                    }
                }
            }
        }
        nav { class: "bottom",
            if closed {
                button { id: "back-home", class: "ghost", onclick: move |_| ui.screen.set(Screen::Home), {ui.t(T::Back)} }
            } else {
                button { id: "keep-recording", class: "ghost", onclick: move |_| ui.screen.set(Screen::Outing(id)), {ui.t(T::KeepRecording)} }
                button { id: "confirm-end", class: "primary",
                    onclick: move |_| {
                        if ui.write(|s| s.close_outing(id, Utc::now())).is_some() {
                            ui.toast.set(None);
                            ui.screen.set(Screen::Home);
                        }
                    },
                    {ui.t(T::ConfirmEnd)}
                }
            }
        }
    }
}

fn shift_head(lang: Lang, day: bool) -> &'static str {
    match (lang, day) {
        (Lang::It, true) => "USCITE DIURNE",
        (Lang::It, false) => "USCITE NOTTURNE",
        (Lang::En, true) => "DAY OUTINGS",
        (Lang::En, false) => "NIGHT OUTINGS",
    }
}
