//! Persons of the register as chips (gender, short name, nationality) with a search by
//! short name or code: "known here" on the tally, and the persons to merge with in the sheet.

use dioxus::prelude::*;

use crate::domain::{Lang, Person};

/// "F · Rosa · Romania": how a person is named on a chip's hint and in messages.
pub fn person_summary(person: &Person, lang: Lang) -> String {
    let mut parts = vec![person.gender.code(), person.nationality.label(lang)];
    if let Some(name) = &person.name {
        parts.insert(1, name);
    }
    parts.join(" · ")
}

/// One person as a chip: the gender's letter and the short name on top, the nationality
/// and the day last met below.
#[component]
pub fn PersonChip(
    /// The person.
    person: Person,
    /// Classes added to "person".
    #[props(default)]
    class: String,
    /// Language of the nationality.
    lang: Lang,
    /// Called on a tap.
    on_pick: EventHandler<Person>,
) -> Element {
    let hint = person_summary(&person, lang);
    let last = person.last_met.map(|d| d.format("%d/%m").to_string());
    let p = person.clone();
    rsx! {
        button {
            r#type: "button",
            class: "person {class}",
            title: "{hint}",
            "aria-label": "{hint}",
            "data-person": "{person.id}",
            "data-name": person.name.clone(),
            "data-gender": person.gender.code(),
            "data-code": person.nationality.code(),
            onclick: move |_| on_pick.call(p.clone()),
            span { class: "who",
                span { class: "g", {person.gender.code()} }
                if let Some(n) = &person.name { span { class: "name", "{n}" } }
            }
            span { class: "nat-line",
                {person.nationality.label(lang)}
                if let Some(d) = last { " · {d}" }
            }
        }
    }
}

/// A title, a search field and the persons to tap. The search text is the caller's
/// (it loads what matches); the field is `#{id}-search`, the chips `.{id}-person`.
#[component]
pub fn PersonPicker(
    /// Id of the picker; base of the field's id and of the chips' class.
    id: String,
    /// What tapping a chip does ("Conosciuti qui", "È la stessa persona di…").
    title: String,
    /// The field's hint.
    placeholder: String,
    /// The search text.
    query: String,
    /// The persons to offer.
    persons: Vec<Person>,
    /// Language of the chips.
    lang: Lang,
    /// Called with the text as typed.
    on_search: EventHandler<String>,
    /// Called with the person tapped.
    on_pick: EventHandler<Person>,
) -> Element {
    let chip_class = format!("{id}-person");
    rsx! {
        div { id: "{id}", class: "person-picker",
            div { class: "picker-head",
                span { class: "picker-title", "{title}" }
                input { id: "{id}-search", r#type: "search", autocomplete: "off", class: "person-search",
                    placeholder, value: "{query}", oninput: move |e| on_search.call(e.value()) }
            }
            if !persons.is_empty() {
                div { class: "persons",
                    for p in persons {
                        PersonChip { key: "{p.id}", person: p, class: chip_class.clone(), lang, on_pick }
                    }
                }
            }
        }
    }
}
