//! Beside the tally of an outing: presences at the current stop (one tap a person seen,
//! not approached) and the outing's diary, which stays on the phone.

use dioxus::prelude::*;

use crate::app::OutingNote;
use crate::domain::outreach::NOTE_MAX;
use crate::domain::tables::Mft;
use crate::domain::{Gender, Lang};
use crate::ui::T;

/// Three one-tap buttons, `#presence-M`, `#presence-F`, `#presence-T`, each with its count
/// in a child `span.n`.
#[component]
pub fn PresenceRow(
    /// The current stop's presences.
    counts: Mft,
    /// Language of the labels.
    lang: Lang,
    /// Called with the gender of one more person seen.
    on_tap: EventHandler<Gender>,
) -> Element {
    rsx! {
        div { id: "presences", class: "presences", role: "group", aria_label: T::Presences.get(lang),
            span { class: "label", {T::Presences.get(lang)} }
            for g in Gender::ALL.iter().copied() {
                button { key: "{g.code()}", id: "presence-{g.code()}", r#type: "button", class: "presence",
                    onclick: move |_| on_tap.call(g),
                    "{g.code()} " span { class: "n", "{counts.get(g)}" }
                }
            }
        }
    }
}

/// The diary panel: the warning `#diary-warning`, the textarea `#diary-text`, the save
/// button `#diary-save` and the outing's notes (`.diary-note`).
#[component]
pub fn DiaryPanel(
    /// The outing's notes, oldest first.
    notes: Vec<OutingNote>,
    /// Language of the labels.
    lang: Lang,
    /// Called with the text to save (the panel empties on save).
    on_save: EventHandler<String>,
) -> Element {
    let mut text = use_signal(String::new);
    rsx! {
        div { id: "diary", class: "diary",
            p { id: "diary-warning", class: "warning", role: "note", {T::DiaryWarning.get(lang)} }
            textarea { id: "diary-text", rows: "4", maxlength: "{NOTE_MAX}", placeholder: T::DiaryPlaceholder.get(lang),
                value: "{text}", oninput: move |e| text.set(e.value()) }
            button { id: "diary-save", r#type: "button", class: "primary small", disabled: text().trim().is_empty(),
                onclick: move |_| {
                    let body = text.peek().clone();
                    on_save.call(body);
                    text.set(String::new());
                },
                {T::DiarySave.get(lang)}
            }
            if notes.is_empty() {
                p { class: "muted", {T::DiaryEmpty.get(lang)} }
            }
            ul { class: "diary-notes",
                for n in notes {
                    li { key: "{n.id}", class: "diary-note",
                        small { class: "muted", {n.written_at.with_timezone(&chrono_tz::Europe::Rome).format("%d/%m %H:%M").to_string()} }
                        " "
                        span { "{n.body}" }
                    }
                }
            }
        }
    }
}
