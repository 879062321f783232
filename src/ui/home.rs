//! Home: start a day or night outing (shift suggested by the clock), resume the open one,
//! past outings with their totals.

use chrono::Utc;
use dioxus::prelude::*;

use super::{Screen, T, Ui};
use crate::domain::{Activity, OutingStatus, Shift};
use crate::store::NewOuting;

/// The home screen.
#[component]
pub fn HomeScreen() -> Element {
    let mut ui: Ui = use_context();
    let mut activity = use_signal(|| Activity::Street);
    let mut outings = ui.read(|s| s.list_outings()).unwrap_or_default();
    outings.retain(|o| o.outing.activity == activity());
    let open = outings.iter().find(|o| o.outing.status == OutingStatus::Open).map(|o| o.outing.id);
    let suggested = ui.settings.read().shift_boundary.classify(Utc::now()).1;
    let lang = ui.lang();

    let mut start = move |shift: Shift| {
        let new = NewOuting {
            activity: *activity.peek(),
            started_at: Utc::now(),
            shift: Some(shift),
            team_size: None,
            mediator: false,
        };
        if let Some(o) = ui.write(|s| s.start_outing(&new)) {
            ui.screen.set(Screen::Outing(o.id));
        }
    };

    rsx! {
        section { class: "home",
            if let Some(id) = open {
                button { id: "resume", class: "primary big", onclick: move |_| ui.screen.set(Screen::Outing(id)),
                    {ui.t(T::Resume)}
                }
            }
            div { class: "segmented", role: "radiogroup",
                for a in Activity::ALL.iter().copied() {
                    button {
                        class: if activity() == a { "seg on" } else { "seg" },
                        "data-activity": a.code(),
                        onclick: move |_| activity.set(a),
                        {ui.t(match a { Activity::Street => T::Street, Activity::Labour => T::LabourShort, Activity::Indoor => T::Indoor })}
                    }
                }
            }
            div { class: "section-head",
                h2 { {ui.t(if activity() == Activity::Indoor { T::IndoorSessions } else { T::PastOutings })} }
                button { id: "open-settings", class: "ghost small", onclick: move |_| ui.screen.set(Screen::Settings), {ui.t(T::Settings)} }
            }
            super::sync::SyncPanel { full: false }
            if activity() == Activity::Indoor {
                super::indoor::IndoorHome {}
            }
            if outings.is_empty() && activity() != Activity::Indoor {
                p { class: "muted", {ui.t(T::NoOutings)} }
            }
            ul { class: "outings", hidden: activity() == Activity::Indoor,
                for o in outings.iter().take(50) {
                    li { key: "{o.outing.id}", class: "outing-row", "data-status": o.outing.status.code(),
                        div { class: "when",
                            strong { {o.outing.date.format("%d/%m/%Y").to_string()} }
                            " · "
                            {ui.t(if o.outing.shift == Shift::Day { T::Day } else { T::Night })}
                            " · "
                            {o.outing.activity.label(lang)}
                        }
                        div { class: "what",
                            span { class: "count", "{o.contacts.total()} {ui.t(T::People)}" }
                            " M {o.contacts.m} · F {o.contacts.f} · T {o.contacts.t} "
                            span { class: "muted", {o.provinces.iter().map(|p| p.code()).collect::<Vec<_>>().join(", ")} }
                        }
                        {
                            let id = o.outing.id;
                            if o.outing.status == OutingStatus::Open {
                                rsx! { button { class: "small", onclick: move |_| ui.screen.set(Screen::Outing(id)), {ui.t(T::Open)} } }
                            } else {
                                rsx! { button { class: "small reopen",
                                    onclick: move |_| {
                                        if ui.write(|s| s.reopen_outing(id)).is_some() {
                                            ui.screen.set(Screen::Outing(id));
                                        }
                                    },
                                    {ui.t(T::Reopen)}
                                } }
                            }
                        }
                    }
                }
            }
        }
        nav { class: "bottom", hidden: activity() == Activity::Indoor,
            if open.is_none() {
                button { id: "start-day", class: if suggested == Shift::Day { "primary" } else { "" },
                    onclick: move |_| start(Shift::Day),
                    {ui.t(T::StartDay)}
                    if suggested == Shift::Day { small { class: "hint", {ui.t(T::Suggested)} } }
                }
                button { id: "start-night", class: if suggested == Shift::Night { "primary" } else { "" },
                    onclick: move |_| start(Shift::Night),
                    {ui.t(T::StartNight)}
                    if suggested == Shift::Night { small { class: "hint", {ui.t(T::Suggested)} } }
                }
            }
        }
    }
}
