//! Helpline reports: the reports of the last year, newest first, each to edit or delete,
//! and the form for a new one.

use chrono::{Days, Utc};
use dioxus::prelude::*;

use crate::app::Area;
use crate::domain::emersion::{HelpSet, HelplineReport, HelplineSource};
use crate::domain::{Gender, Nationality, Period, Province};
use crate::ui::components::{BottomBar, HelplineForm, provinces_by_name};
use crate::ui::{Screen, T, Ui};

/// Days of reports listed.
const LISTED_DAYS: u64 = 366;

/// The helpline screen.
#[component]
pub fn HelplineScreen() -> Element {
    let mut ui: Ui = use_context();
    let lang = ui.lang();
    let mut editing = use_signal(|| None::<HelplineReport>);
    let today = Utc::now().date_naive();
    let from = today.checked_sub_days(Days::new(LISTED_DAYS)).unwrap_or(today);
    let to = today.checked_add_days(Days::new(1)).unwrap_or(today);
    let reports = Period::new(from, to)
        .ok()
        .and_then(|period| ui.read(&[Area::Emersion], |app| app.helpline_reports(period)))
        .unwrap_or_default();
    let province: Option<Province> =
        reports.first().map(|r| r.province).or_else(|| provinces_by_name().first().copied());
    let fresh = move || {
        province.map(|province| HelplineReport {
            id: 0,
            date: today,
            province,
            gender: Gender::F,
            nationality: Nationality::UNKNOWN,
            known: false,
            source: HelplineSource::Own,
            help: HelpSet::EMPTY,
            outcome: None,
        })
    };
    let save = move |r: HelplineReport| {
        let done = if r.id == 0 {
            ui.write(|app| app.record_helpline_report(&r))
        } else {
            ui.write(|app| app.update_helpline_report(&r))
        };
        if done.is_some() {
            ui.say(ui.t(T::Saved));
            editing.set(None);
        }
    };
    rsx! {
        section { class: "helpline wide",
            h2 { {ui.t(T::HelplineTitle)} }
            match editing() {
                Some(r) => rsx! {
                    HelplineForm { key: "{r.id}", initial: r, lang, on_save: save, on_close: move |_| editing.set(None) }
                },
                None => rsx! {
                    button { id: "new-report", class: "primary big", onclick: move |_| editing.set(fresh()), {ui.t(T::NewReport)} }
                },
            }
            if reports.is_empty() {
                p { class: "muted", {ui.t(T::NoReports)} }
            }
            ul { id: "reports", class: "outings reports",
                for r in reports {
                    {
                        let id = r.id;
                        let edit = r.clone();
                        let outcome = r.outcome.map(|o| o.label(lang)).unwrap_or("–");
                        rsx! {
                            li { key: "{id}", class: "outing-row report-row", "data-report": "{id}",
                                div { class: "when",
                                    strong { {r.date.format("%d/%m/%Y").to_string()} }
                                    " · {r.province.code()} · {r.gender.code()} · {r.nationality.label(lang)}"
                                }
                                div { class: "what",
                                    {(if r.known { T::Known } else { T::NewToUs }).get(lang)} " · "
                                    {r.source.label(lang)} " · " {outcome}
                                }
                                button { class: "small edit-report", onclick: move |_| editing.set(Some(edit.clone())), {ui.t(T::Edit)} }
                                button { class: "small ghost delete-report",
                                    onclick: move |_| {
                                        if ui.write(|app| app.delete_helpline_report(id)).is_some() {
                                            ui.say(ui.t(T::Deleted));
                                        }
                                    },
                                    {ui.t(T::Delete)}
                                }
                            }
                        }
                    }
                }
            }
        }
        BottomBar {
            button { id: "back", class: "ghost", onclick: move |_| ui.screen.set(Screen::Home), {ui.t(T::Back)} }
        }
    }
}
