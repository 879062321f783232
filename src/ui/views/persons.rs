//! The register on the phone: find a person by short name or code, add one met only at
//! the desk or at an interview, and a person's card: who, when met, what is known of
//! their identification today, their interviews (each with what became known at it, and
//! taken back with one tap) and the interview form.

use chrono::{NaiveDate, Utc};
use dioxus::prelude::*;
use uuid::Uuid;

use crate::app::{Area, NewInterview, PersonCard};
use crate::domain::{Gender, Nationality, PersonDetails, Protection, Province};
use crate::ui::components::{
    BottomBar, GenderPicker, InterviewForm, NationalityPicker, PersonPicker, findings_lines, person_summary,
    provinces_by_name,
};
use crate::ui::{Screen, T, Ui};

/// Nationalities offered while typing.
const MATCHES: usize = 6;

/// A day as the card shows it; "–" when unknown.
fn day(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "–".to_owned(), |d| d.format("%d/%m/%Y").to_string())
}

/// The register: search, and a new person.
#[component]
pub fn PersonsScreen() -> Element {
    let mut ui: Ui = use_context();
    let lang = ui.lang();
    let mut query = use_signal(String::new);
    let mut name = use_signal(String::new);
    let mut gender = use_signal(|| None::<Gender>);
    let mut nationality = use_signal(|| None::<Nationality>);
    let q = query();
    let found = ui.read(&[Area::Outings, Area::Emersion], |app| app.search_persons(&q)).unwrap_or_default();
    let mut open = move |id: i64| ui.screen.set(Screen::Person { id, from: None, province: None, interview: false });
    let add = move |_| {
        let (Some(g), Some(n)) = (*gender.peek(), *nationality.peek()) else {
            ui.say(ui.t(T::PickGenderFirst));
            return;
        };
        let typed = name.peek().trim().to_owned();
        let details = PersonDetails {
            name: Some(typed).filter(|t| !t.is_empty()),
            gender: g,
            nationality: n,
            age_band: None,
            protection: Protection::Unknown,
        };
        if let Some(p) = ui.write(|app| app.create_person(&details)) {
            ui.say(ui.t(T::Saved));
            open(p.id);
        }
    };
    rsx! {
        section { class: "persons wide",
            h2 { {ui.t(T::RegisterTitle)} }
            PersonPicker { id: "register", title: ui.t(T::Register), placeholder: ui.t(T::SearchPerson),
                query: q, persons: found, lang, on_search: move |t| query.set(t), on_pick: move |p: crate::domain::Person| open(p.id) }
            div { id: "new-person", class: "sheet new-person",
                h3 { {ui.t(T::NewPerson)} }
                input { id: "new-person-name", r#type: "text", autocomplete: "off", spellcheck: "false",
                    maxlength: "{crate::domain::rules::PERSON_NAME_MAX}", placeholder: ui.t(T::ShortNameHint), value: "{name}",
                    oninput: move |e| name.set(e.value()) }
                GenderPicker { id: "new-person-g", value: gender(), lang, on_change: move |g| gender.set(Some(g)) }
                NationalityPicker { id: "new-person-nat", value: nationality(), limit: MATCHES, lang,
                    on_pick: move |n| nationality.set(Some(n)) }
                button { id: "add-person", class: "primary", disabled: gender().is_none() || nationality().is_none(),
                    onclick: add, {ui.t(T::AddPerson)} }
            }
        }
        BottomBar {
            button { id: "back", class: "ghost", onclick: move |_| ui.screen.set(Screen::Home), {ui.t(T::Back)} }
        }
    }
}

/// A person's card, with the interview form when `interview`.
#[component]
pub fn PersonScreen(
    /// The person (register id).
    id: i64,
    /// The desk session the card was opened from: "back" returns there.
    from: Option<Uuid>,
    /// The province an interview defaults to (the desk's).
    province: Option<Province>,
    /// Open the interview form at once.
    interview: bool,
) -> Element {
    let mut ui: Ui = use_context();
    let lang = ui.lang();
    let mut form = use_signal(move || interview);
    let today = Utc::now().date_naive();
    let Some(PersonCard { person, interviews, state, requests }) =
        ui.read(&[Area::Outings, Area::Emersion], |app| app.person_card(id, today))
    else {
        return rsx! {
            p { class: "muted", {ui.t(T::NoInterviews)} }
            BottomBar { button { id: "back", class: "ghost", onclick: move |_| ui.screen.set(Screen::Home), {ui.t(T::Back)} } }
        };
    };
    let default_province = province
        .or_else(|| interviews.last().map(|e| e.interview.province))
        .or_else(|| provinces_by_name().first().copied());
    let last_request = requests.last().map(|r| r.received);
    let lines = findings_lines(&state, lang);
    let save = move |new: NewInterview| {
        if ui.write(|app| app.record_interview(&new)).is_some() {
            ui.say(ui.t(T::InterviewSaved));
            form.set(false);
        }
    };
    let back = move |_| match from {
        Some(o) => ui.screen.set(Screen::Outing(o)),
        None => ui.screen.set(Screen::Persons),
    };
    rsx! {
        section { class: "person-card wide", "data-person": "{id}",
            h2 { id: "person-title", {person_summary(&person, lang)} }
            div { class: "met",
                span { {ui.t(T::FirstMet)} " " strong { {day(person.first_met)} } }
                span { {ui.t(T::LastMet)} " " strong { {day(person.last_met)} } }
                span { {ui.t(T::TimesMet)} " " strong { "{person.times}" } }
            }
            h3 { {ui.t(T::StateToday)} }
            if lines.is_empty() {
                p { id: "state", class: "muted", {ui.t(T::NothingKnown)} }
            } else {
                dl { id: "state", class: "state",
                    for (code, what, value) in lines {
                        div { key: "{code}", class: "state-line", "data-field": code,
                            dt { "{what}" } dd { "{value}" }
                        }
                    }
                }
            }
            if form() {
                if let Some(p) = default_province {
                    InterviewForm { person: id, today, province: p, last_request, lang, on_save: save,
                        on_close: move |_| form.set(false) }
                }
            }
            h3 { {ui.t(T::Interviews)} " " span { id: "interview-count", class: "badge", "{interviews.len()}" } }
            if interviews.is_empty() {
                p { class: "muted", {ui.t(T::NoInterviews)} }
            }
            ul { id: "interviews", class: "interviews",
                for e in interviews.iter().rev() {
                    {
                        let iid = e.interview.id;
                        let what = findings_lines(&e.findings, lang).into_iter().map(|(_, _, v)| v).collect::<Vec<_>>().join(" · ");
                        rsx! {
                            li { key: "{iid}", class: "interview-row", "data-interview": "{iid}", "data-kind": e.interview.kind.code(),
                                div { class: "when",
                                    strong { {e.interview.date.format("%d/%m/%Y").to_string()} }
                                    " · {e.interview.province.code()} · "
                                    {e.interview.kind.label(lang)}
                                }
                                if !what.is_empty() { div { class: "what muted", "{what}" } }
                                button { class: "small ghost delete-interview",
                                    onclick: move |_| {
                                        if ui.write(|app| app.delete_interview(iid)).is_some() {
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
            if !requests.is_empty() {
                p { class: "muted", {ui.t(T::Requests)} " (Referral): "
                    {requests.iter().map(|r| r.received.format("%d/%m/%Y").to_string()).collect::<Vec<_>>().join(", ")} }
            }
        }
        BottomBar {
            button { id: "back", class: "ghost", onclick: back, {ui.t(T::Back)} }
            if !form() {
                button { id: "new-interview", class: "primary", onclick: move |_| form.set(true), {ui.t(T::Interview)} }
            }
        }
    }
}
