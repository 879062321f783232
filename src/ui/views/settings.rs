//! Settings: unit name, a default kit per activity, day/night boundary, idle lock,
//! language, theme, PIN.

use dioxus::prelude::*;

use crate::app::Area;
use crate::domain::rules::{IDLE_LOCK_MINUTES, KIT_QUANTITY_MAX};
use crate::domain::settings::Theme;
use crate::domain::{Activity, Kit, Lang};
use crate::ui::components::{BottomBar, ItemsField, Stepper};
use crate::ui::views::sync::SyncPanel;
use crate::ui::{Screen, T, Ui};

/// The legend of an activity's kit editor.
fn kit_legend(activity: Activity) -> T {
    match activity {
        Activity::Street => T::KitStreet,
        Activity::Labour => T::KitLabour,
        Activity::Indoor => T::KitIndoor,
        Activity::Desk | Activity::Emersion | Activity::Session => T::KitDesk,
    }
}

/// The settings screen.
#[component]
pub fn SettingsScreen() -> Element {
    let mut ui: Ui = use_context();
    let mut draft = use_signal(|| ui.settings.peek().clone());
    let mut day = use_signal(|| ui.settings.peek().shift_boundary.day_starts.format("%H:%M").to_string());
    let mut night = use_signal(|| ui.settings.peek().shift_boundary.night_starts.format("%H:%M").to_string());
    let mut current_pin = use_signal(String::new);
    let mut new_pin = use_signal(String::new);
    let mut new_pin2 = use_signal(String::new);
    let lang = ui.lang();
    let d = draft();

    let save = move |_| {
        let s = draft.peek().clone();
        let (d, n) = (day.peek().clone(), night.peek().clone());
        if let Some(s) = ui.write(|app| app.save_settings_form(s, &d, &n)) {
            ui.settings.set(s);
            ui.say(ui.t(T::Saved));
            ui.screen.set(Screen::Home);
        }
    };
    let change_pin = move |_| {
        let (current, pin, again) = (current_pin.peek().clone(), new_pin.peek().clone(), new_pin2.peek().clone());
        let changed = ui.write(|app| app.change_pin(&current, &pin, &again)).is_some();
        current_pin.set(String::new());
        if changed {
            new_pin.set(String::new());
            new_pin2.set(String::new());
            ui.say(ui.t(T::PinChanged));
        }
    };

    rsx! {
        section { class: "settings",
            h2 { {ui.t(T::Settings)} }
            label { {ui.t(T::UnitName)}
                input { id: "unit-name", r#type: "text", value: "{d.unit_name}", maxlength: "80",
                    oninput: move |e| draft.write().unit_name = e.value() }
            }
            for activity in Activity::RECORDED.iter().copied() {
                div { key: "{activity.code()}", class: "kit", "data-activity": activity.code(),
                    ItemsField { items: d.kit_for(activity).0.clone(), max: KIT_QUANTITY_MAX, legend: ui.t(kit_legend(activity)),
                        data: "data-kit", language_id: "kit-language-{activity.code()}", lang,
                        on_change: move |items| *draft.write().kits.get_mut(activity) = Kit(items) }
                }
            }
            label { {ui.t(T::Sites)}
                input { id: "sites", r#type: "text", value: "{d.sites.join(\", \")}",
                    oninput: move |e| draft.write().sites = e.value().split(',').map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect() }
            }
            label { class: "inline", {ui.t(T::DayStarts)}
                input { id: "day-starts", r#type: "time", value: "{day}", oninput: move |e| day.set(e.value()) }
            }
            label { class: "inline", {ui.t(T::NightStarts)}
                input { id: "night-starts", r#type: "time", value: "{night}", oninput: move |e| night.set(e.value()) }
            }
            Stepper { id: "idle-minutes", class: "inline", label: ui.t(T::IdleLock), range: IDLE_LOCK_MINUTES,
                value: d.idle_lock_minutes, on_change: move |m| draft.write().idle_lock_minutes = m }
            label { class: "inline", {ui.t(T::Language)}
                select { id: "language", onchange: move |e| draft.write().lang = if e.value() == "en" { Lang::En } else { Lang::It },
                    option { value: "it", selected: d.lang == Lang::It, "Italiano" }
                    option { value: "en", selected: d.lang == Lang::En, "English" }
                }
            }
            label { class: "inline", {ui.t(T::Theme)}
                select { id: "theme", onchange: move |e| draft.write().theme = if e.value() == "light" { Theme::Light } else { Theme::Dark },
                    option { value: "dark", selected: d.theme == Theme::Dark, {ui.t(T::Dark)} }
                    option { value: "light", selected: d.theme == Theme::Light, {ui.t(T::Light)} }
                }
            }
            MappingDates { on_change: move |nights| draft.write().mapping_nights = nights }
            SyncPanel { full: true }
            // Not a form, and autocomplete off: password managers neither save nor fill a PIN.
            fieldset { legend { {ui.t(T::ChangePin)} }
                input { id: "current-pin", r#type: "password", autocomplete: "off", "data-lpignore": "true",
                    placeholder: ui.t(T::CurrentPin), value: "{current_pin}", oninput: move |e| current_pin.set(e.value()) }
                input { id: "new-pin", r#type: "password", autocomplete: "off", "data-lpignore": "true",
                    placeholder: ui.t(T::NewPin), value: "{new_pin}", oninput: move |e| new_pin.set(e.value()) }
                p { class: "hint", {ui.t(T::PinRule)} }
                input { id: "new-pin2", r#type: "password", autocomplete: "off", "data-lpignore": "true",
                    placeholder: ui.t(T::PinRepeat), value: "{new_pin2}", oninput: move |e| new_pin2.set(e.value()) }
                button { id: "change-pin", onclick: change_pin, {ui.t(T::ChangePin)} }
            }
        }
        BottomBar {
            button { id: "settings-back", class: "ghost", onclick: move |_| ui.screen.set(Screen::Home), {ui.t(T::Back)} }
            button { id: "save-settings", class: "primary", onclick: save, {ui.t(T::Save)} }
        }
    }
}

/// The national mapping nights (`#mapping-dates`): the unit's own, each with its remove
/// button, and the coordinators'; a date (`#mapping-date`) added with `#mapping-add`.
/// Every change is saved at once; `on_change` gets the unit's own nights, for the draft.
#[component]
fn MappingDates(
    /// Called with the unit's own nights after a change.
    on_change: EventHandler<Vec<chrono::NaiveDate>>,
) -> Element {
    let mut ui: Ui = use_context();
    let mut typed = use_signal(String::new);
    let Some((own, all)) =
        ui.read(&[Area::Settings], |app| Ok((app.settings()?.mapping_nights, app.mapping_nights()?)))
    else {
        return rsx! {};
    };
    let add = move |_| {
        let Ok(night) = chrono::NaiveDate::parse_from_str(typed.peek().trim(), "%Y-%m-%d") else {
            ui.error.set(Some(ui.t(T::BadDate).into()));
            return;
        };
        if let Some(nights) = ui.write(|app| app.add_mapping_night(night)) {
            typed.set(String::new());
            ui.settings.write().mapping_nights = nights.clone();
            on_change.call(nights);
        }
    };
    rsx! {
        fieldset { legend { {ui.t(T::MappingDates)} }
            ul { id: "mapping-dates",
                for night in all {
                    li { key: "{night}", "data-date": "{night}",
                        span { {night.format("%d/%m/%Y").to_string()} }
                        if own.contains(&night) {
                            button { class: "ghost small", "data-remove": "{night}",
                                onclick: move |_| {
                                    if let Some(nights) = ui.write(|app| app.remove_mapping_night(night)) {
                                        ui.settings.write().mapping_nights = nights.clone();
                                        on_change.call(nights);
                                    }
                                },
                                {ui.t(T::Remove)}
                            }
                        } else {
                            span { class: "muted", " · {ui.t(T::MappingFromServer)}" }
                        }
                    }
                }
            }
            input { id: "mapping-date", r#type: "date", value: "{typed}", oninput: move |e| typed.set(e.value()) }
            button { id: "mapping-add", onclick: add, {ui.t(T::MappingAdd)} }
        }
    }
}
