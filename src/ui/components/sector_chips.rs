//! Labour sectors and settings as single-choice chips (tap again to clear), and a
//! pressed/unpressed toggle (joint inspection, mapping night). Optional facts: none of
//! them stands between a tap and a contact.

use dioxus::prelude::*;

use super::{Chip, ChipGroup};
use crate::domain::Lang;
use crate::domain::outreach::{LabourSector, LabourSetting};

/// One sector at most: `button[data-sector=CODE]` chips in a group with the given `id`.
#[component]
pub fn SectorChips(
    /// The group's DOM id (`stop-sector`, `contact-sector`).
    id: String,
    /// The sector chosen, if any.
    sector: Option<LabourSector>,
    /// What the group chooses, for screen readers.
    label: String,
    /// Language of the labels.
    lang: Lang,
    /// Called with the sector after a tap (`None`: cleared).
    on_change: EventHandler<Option<LabourSector>>,
) -> Element {
    let pressed: Vec<usize> = sector.and_then(|s| LabourSector::ALL.iter().position(|x| *x == s)).into_iter().collect();
    rsx! {
        div { id: "{id}",
            ChipGroup { pressed, label,
                on_change: move |p: Vec<usize>| on_change.call(p.first().map(|&i| LabourSector::ALL[i])),
                for (i, s) in LabourSector::ALL.iter().enumerate() {
                    Chip { key: "{s.code()}", index: i, "data-sector": s.code(), {s.label(lang)} }
                }
            }
        }
    }
}

/// One kind of place at most: `button[data-setting=CODE]` chips in a group with the given `id`.
#[component]
pub fn SettingChips(
    /// The group's DOM id (`stop-setting`, `contact-setting`).
    id: String,
    /// The setting chosen, if any.
    setting: Option<LabourSetting>,
    /// What the group chooses, for screen readers.
    label: String,
    /// Language of the labels.
    lang: Lang,
    /// Called with the setting after a tap (`None`: cleared).
    on_change: EventHandler<Option<LabourSetting>>,
) -> Element {
    let pressed: Vec<usize> =
        setting.and_then(|s| LabourSetting::ALL.iter().position(|x| *x == s)).into_iter().collect();
    rsx! {
        div { id: "{id}",
            ChipGroup { pressed, label,
                on_change: move |p: Vec<usize>| on_change.call(p.first().map(|&i| LabourSetting::ALL[i])),
                for (i, s) in LabourSetting::ALL.iter().enumerate() {
                    Chip { key: "{s.code()}", index: i, "data-setting": s.code(), {s.label(lang)} }
                }
            }
        }
    }
}

/// A button that is pressed or not (`aria-pressed`), reporting the new state.
#[component]
pub fn Toggle(
    /// Its DOM id (`joint-inspection`, `mapping-toggle`).
    id: String,
    /// Pressed now.
    on: bool,
    /// What it says.
    text: String,
    /// Called with the state after a tap.
    on_change: EventHandler<bool>,
) -> Element {
    rsx! {
        button {
            id: "{id}",
            r#type: "button",
            class: if on { "chip on" } else { "chip" },
            "aria-pressed": if on { "true" } else { "false" },
            onclick: move |_| on_change.call(!on),
            "{text}"
        }
    }
}
