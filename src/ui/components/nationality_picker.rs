//! The one nationality search of the app (tally, indoor ad, person met, massage centre):
//! type part of a name in either language or a code, tap one of the matches.

use dioxus::prelude::*;

use crate::domain::{Lang, Nationality};
use crate::ui::T;

/// A nationality button: the name and its code (matches here, frequent ones on the tally).
#[component]
pub fn NationalityButton(
    /// The nationality.
    nationality: Nationality,
    /// The button's classes.
    class: String,
    /// Language of the name.
    lang: Lang,
    /// Called on a tap.
    on_pick: EventHandler<Nationality>,
    /// Called when a pointer goes down on it (the start of a long press).
    #[props(default)]
    on_press: Option<EventHandler<()>>,
) -> Element {
    let n = nationality;
    rsx! {
        button {
            r#type: "button",
            class,
            "data-code": n.code(),
            onpointerdown: move |_| {
                if let Some(h) = on_press {
                    h.call(());
                }
            },
            onclick: move |_| on_pick.call(n),
            span { class: "label", {n.label(lang)} }
            span { class: "code", {n.code()} }
        }
    }
}

/// The search field and its matches.
#[component]
pub fn NationalityPicker(
    /// Base of the ids and classes: the field is `#{id}-search`, the chosen nationality
    /// `#{id}`, the matches `.{id}-option` (and `.nat-option`).
    id: String,
    /// The nationality chosen, shown before the field; `None` shows none.
    #[props(default)]
    value: Option<Nationality>,
    /// How many matches to offer.
    limit: usize,
    /// Language of the names and of the field's hint.
    lang: Lang,
    /// Called with the match tapped; the search is then cleared.
    on_pick: EventHandler<Nationality>,
    /// Called when a pointer goes down on a match (the tally's long press).
    #[props(default)]
    on_press: Option<EventHandler<()>>,
    /// Class of the matches' container, after "nats".
    #[props(default)]
    matches_class: String,
    /// Shown after the field, in its row (the "+N" field, "not declared").
    #[props(default)]
    children: Element,
) -> Element {
    let mut query = use_signal(String::new);
    let q = query();
    let found: Vec<Nationality> =
        if q.trim().is_empty() { Vec::new() } else { Nationality::search(q.trim()).into_iter().take(limit).collect() };
    let option_class = if id == "nat" { "nat-option".to_owned() } else { format!("nat-option {id}-option") };
    rsx! {
        div { class: "row",
            if let Some(n) = value {
                span { id: "{id}", class: "chip", "data-code": n.code(), {n.label(lang)} }
            }
            input { id: "{id}-search", r#type: "search", autocomplete: "off", class: "grow",
                placeholder: T::SearchNationality.get(lang), value: "{query}",
                oninput: move |e| query.set(e.value()) }
            {children}
        }
        if !found.is_empty() {
            div { class: "nats {matches_class}",
                for n in found {
                    NationalityButton { key: "{n.code()}", nationality: n, class: option_class.clone(), lang, on_press,
                        on_pick: move |n| {
                            query.set(String::new());
                            on_pick.call(n);
                        },
                    }
                }
            }
        }
    }
}
