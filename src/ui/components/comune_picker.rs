//! Choosing a comune by typing part of its name.

use dioxus::prelude::*;

use crate::domain::{Comune, Province};

/// Letters typed before any comune is offered.
const MIN_QUERY: usize = 2;

/// The search field and its matches; once one is chosen its name fills the field.
#[component]
pub fn ComunePicker(
    /// Id of the search field.
    id: String,
    /// The comune chosen.
    value: Option<Comune>,
    /// Only comuni of this province (named without it); `None`: every comune, "Name (XX)".
    #[props(default)]
    province: Option<Province>,
    /// How many matches to offer.
    limit: usize,
    /// The field's hint.
    placeholder: String,
    /// Class added to each match after "comune-option".
    #[props(default)]
    option_class: String,
    /// Called with the comune tapped, and with `None` as soon as the text changes.
    on_pick: EventHandler<Option<Comune>>,
    /// Shown after the field, in its row.
    #[props(default)]
    children: Element,
) -> Element {
    let mut query = use_signal(String::new);
    let text = match value {
        Some(c) => c.name().to_owned(),
        None => query(),
    };
    let found: Vec<Comune> = match (value, text.trim()) {
        (Some(_), _) => Vec::new(),
        (None, q) if q.chars().count() < MIN_QUERY => Vec::new(),
        (None, q) => match province {
            Some(p) => Comune::search(q, 40).into_iter().filter(|c| c.province() == p).take(limit).collect(),
            None => Comune::search(q, limit),
        },
    };
    let first = found.first().copied();
    rsx! {
        div { class: "row",
            input { id, r#type: "search", autocomplete: "off", class: "grow", placeholder, value: "{text}",
                oninput: move |e| {
                    query.set(e.value());
                    on_pick.call(None);
                },
                // Enter picks the first match.
                onkeydown: move |e| {
                    if let (Key::Enter, Some(c)) = (e.key(), first) {
                        e.prevent_default();
                        query.set(c.name().to_owned());
                        on_pick.call(Some(c));
                    }
                } }
            {children}
        }
        if !found.is_empty() {
            div { class: "options",
                for c in found {
                    button { r#type: "button", key: "{c.code()}", class: "comune-option {option_class}", "data-code": c.code(),
                        onclick: move |_| {
                            query.set(c.name().to_owned());
                            on_pick.call(Some(c));
                        },
                        if province.is_some() { {c.name()} } else { "{c.name()} ({c.province().code()})" }
                    }
                }
            }
        }
    }
}
