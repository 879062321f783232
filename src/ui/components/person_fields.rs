//! The person part of the detail sheet: the worker's short name or code for the person,
//! when they were first and last met and how often (read only), and "same person as…"
//! to merge them with another person of the register.

use chrono::NaiveDate;
use dioxus::prelude::*;

use super::PersonPicker;
use crate::domain::rules::PERSON_NAME_MAX;
use crate::domain::{Lang, Person};
use crate::ui::T;

/// A day as the sheet shows it; "–" when unknown.
fn day(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "–".to_owned(), |d| d.format("%d/%m/%Y").to_string())
}

/// The person of the contact whose sheet is open.
#[component]
pub fn PersonFields(
    /// The person as stored.
    person: Person,
    /// The short name as typed so far (the stored one until the worker types).
    name: String,
    /// The text of the "same person as…" search.
    merge_query: String,
    /// Persons that search found (not this one).
    candidates: Vec<Person>,
    /// Language of the labels.
    lang: Lang,
    /// Called with the short name as typed; it is saved with the sheet.
    on_name: EventHandler<String>,
    /// Called with the "same person as…" search text.
    on_merge_search: EventHandler<String>,
    /// Called with the person tapped among the candidates: this one is the same.
    on_merge: EventHandler<Person>,
) -> Element {
    rsx! {
        div { id: "person-fields", class: "person-fields", "data-person": "{person.id}",
            label { r#for: "person-name", class: "field-label", {T::ShortName.get(lang)} }
            input { id: "person-name", r#type: "text", autocomplete: "off", spellcheck: "false",
                maxlength: "{PERSON_NAME_MAX}", placeholder: T::ShortNameHint.get(lang), value: "{name}",
                oninput: move |e| on_name.call(e.value()) }
            div { id: "person-met", class: "met",
                span { {T::FirstMet.get(lang)} " " strong { id: "first-met", {day(person.first_met)} } }
                span { {T::LastMet.get(lang)} " " strong { id: "last-met", {day(person.last_met)} } }
                span { {T::TimesMet.get(lang)} " " strong { id: "times-met", "{person.times}" } }
            }
            PersonPicker { id: "merge", title: T::SamePersonAs.get(lang), placeholder: T::SearchPerson.get(lang),
                query: merge_query, persons: candidates, lang, on_search: on_merge_search, on_pick: on_merge }
        }
    }
}
