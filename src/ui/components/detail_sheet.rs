//! The optional detail sheet of one person: age band, first contact, protection, items
//! (pre-filled with the kit) and services; with `identity`, gender and nationality too
//! (a person met after an indoor contact, as then known); what came of the contact
//! (programme proposed, complaint filed, ...).

use dioxus::prelude::*;

use super::{Chip, ChipGroup, GenderPicker, ItemsField, NationalityPicker, OutcomeChips, Stepper};
use crate::domain::rules::{EVENTS_PER_STEP_MAX, ITEM_QUANTITY_MAX};
use crate::domain::{AgeBand, ContactData, EventKind, Lang, Protection, ServiceKind, ServiceSubtype};
use crate::ui::T;

/// Nationalities offered while typing in the sheet.
const MATCHES: usize = 6;

/// Index of the pressed chip of a single choice.
fn index_of<V: PartialEq>(all: &[V], v: Option<V>) -> Vec<usize> {
    v.and_then(|v| all.iter().position(|x| *x == v)).into_iter().collect()
}

/// The sheet; `on_save` receives the person as edited, `on_close` leaves it unsaved.
#[component]
pub fn DetailSheet(
    /// The person as recorded.
    initial: ContactData,
    /// Also edit gender and nationality.
    identity: bool,
    /// Language of the sheet.
    lang: Lang,
    /// Called with the edited person on "save".
    on_save: EventHandler<ContactData>,
    /// Called on "close".
    on_close: EventHandler<()>,
    /// Shown under the title: the person of the register (short name, merge), saved by
    /// the caller with the sheet.
    #[props(default)]
    children: Element,
) -> Element {
    let mut data = use_signal(move || initial);
    let d = data();
    let outcomes = d.outcomes;
    let on_change = move |d: ContactData| data.set(d);
    rsx! {
        div { id: "detail-sheet", class: "sheet detail", role: "dialog",
            h3 { "{T::Contact.get(lang)}: {d.gender.code()} · {d.nationality.label(lang)}" }
            {children}
            if identity {
                GenderPicker { id: "detail-g", value: Some(d.gender), lang,
                    on_change: move |g| data.write().gender = g }
                NationalityPicker { id: "detail-nat", limit: MATCHES, lang,
                    on_pick: move |n| data.write().nationality = n }
            }
            PersonChips { data: d.clone(), lang, on_change }
            ItemsField { items: d.items.clone(), max: ITEM_QUANTITY_MAX, legend: T::Items.get(lang), data: "data-item",
                language_id: "leaflet-language", buttons: true, lang, on_change: move |items| data.write().items = items }
            ServicesField { data: d, lang, on_change }
            OutcomeChips { value: outcomes, lang, on_change: move |o| data.write().outcomes = o }
            div { class: "actions",
                button { id: "close-details", class: "ghost", onclick: move |_| on_close.call(()), {T::Close.get(lang)} }
                button { id: "save-details", class: "primary", onclick: move |_| on_save.call(data()), {T::Save.get(lang)} }
            }
        }
    }
}

/// Age band, first contact, protection.
#[component]
fn PersonChips(
    /// The person being edited.
    data: ContactData,
    /// Language of the labels.
    lang: Lang,
    /// Called with the person after a tap.
    on_change: EventHandler<ContactData>,
) -> Element {
    let firsts = [(true, T::FirstContact), (false, T::Known)];
    let (d1, d2, d3) = (data.clone(), data.clone(), data.clone());
    rsx! {
        fieldset { legend { {T::AgeBand.get(lang)} }
            ChipGroup { pressed: index_of(AgeBand::ALL, data.age_band),
                on_change: move |p: Vec<usize>| on_change.call(ContactData { age_band: p.first().map(|&i| AgeBand::ALL[i]), ..d1.clone() }),
                for (i, a) in AgeBand::ALL.iter().copied().enumerate() {
                    Chip { key: "{a.code()}", index: i, extra: if a == AgeBand::Minor { "minor" } else { "" }, "data-age": a.code(),
                        {a.label(lang)} }
                }
            }
        }
        fieldset { legend { {T::Contact.get(lang)} }
            ChipGroup { pressed: index_of(&[true, false], data.first_contact),
                on_change: move |p: Vec<usize>| on_change.call(ContactData { first_contact: p.first().map(|&i| i == 0), ..d2.clone() }),
                for (i, (v, t)) in firsts.into_iter().enumerate() {
                    Chip { key: "{i}", index: i, "data-first": if v { "yes" } else { "no" }, {t.get(lang)} }
                }
            }
        }
        fieldset { legend { {T::Protection.get(lang)} }
            ChipGroup { pressed: index_of(Protection::ALL, Some(data.protection)), required: true,
                on_change: move |p: Vec<usize>| {
                    if let Some(&i) = p.first() {
                        on_change.call(ContactData { protection: Protection::ALL[i], ..d3.clone() });
                    }
                },
                for (i, p) in Protection::ALL.iter().copied().enumerate() {
                    Chip { key: "{p.code()}", index: i, "data-protection": p.code(), {p.label(lang)} }
                }
            }
        }
    }
}

/// The sub-types tapped between `before` and `after` (chip indices of `service`'s sub-types).
fn toggled(service: ServiceKind, before: &[usize], after: &[usize]) -> Vec<ServiceSubtype> {
    ServiceSubtype::of(service)
        .enumerate()
        .filter(|(i, _)| before.contains(i) != after.contains(i))
        .map(|(_, s)| s)
        .collect()
}

/// Information (a chip); listening talks and legal consultations (steppers); accompaniments
/// and referrals, a stepper per service, with the service's sub-types as chips under it
/// once it counts one.
#[component]
fn ServicesField(
    /// The person being edited.
    data: ContactData,
    /// Language of the labels.
    lang: Lang,
    /// Called with the person after a tap.
    on_change: EventHandler<ContactData>,
) -> Element {
    let s = data.services.clone();
    let d = data.clone();
    let range = 0..=EVENTS_PER_STEP_MAX;
    // The stepper's handler for `kind` to `service`.
    let step = |kind: EventKind, service: Option<ServiceKind>| {
        let d = data.clone();
        move |n: u32| {
            let mut d = d.clone();
            d.services.set_count(kind, service, n);
            on_change.call(d);
        }
    };
    let talks = [
        (EventKind::Listening, T::Listening.get(lang)),
        (EventKind::LegalConsultation, EventKind::LegalConsultation.label(lang)),
    ];
    rsx! {
        fieldset { legend { {T::Services.get(lang)} }
            ChipGroup { pressed: if s.information { vec![0] } else { vec![] }, multiple: true,
                on_change: move |p: Vec<usize>| {
                    let mut d = d.clone();
                    d.services.information = !p.is_empty();
                    on_change.call(d);
                },
                Chip { index: 0, "data-service": "information", {T::Information.get(lang)} }
            }
            for (kind, label) in talks {
                Stepper { key: "{kind.code()}", value: s.count(kind, None), range: range.clone(), buttons: true,
                    label: label.to_string(), data: ("data-event", kind.code().to_string()),
                    on_change: step(kind, None) }
            }
            for (kind, t) in [(EventKind::Accompaniment, T::Accompaniment), (EventKind::Referral, T::Referral)] {
                div { key: "{kind.code()}", class: "service-line",
                    span { class: "label", {t.get(lang)} }
                    for service in ServiceKind::ALL.iter().copied() {
                        {
                            let n = s.count(kind, Some(service));
                            let said = s.subtypes(kind, service);
                            let pressed: Vec<usize> = ServiceSubtype::of(service).enumerate().filter(|(_, x)| said.contains(x)).map(|(i, _)| i).collect();
                            let before = pressed.clone();
                            let d = data.clone();
                            rsx! {
                                Stepper { key: "{kind.code()}-{service.code()}", value: n, range: range.clone(), buttons: true,
                                    label: service.label(lang).to_string(), data: ("data-event", format!("{}.{}", kind.code(), service.code())),
                                    on_change: step(kind, Some(service)) }
                                if n > 0 {
                                    ChipGroup { key: "{kind.code()}-{service.code()}-sub", pressed, multiple: true, class: "chips subtypes",
                                        on_change: move |p: Vec<usize>| {
                                            let mut d = d.clone();
                                            for sub in toggled(service, &before, &p) {
                                                d.services.toggle_subtype(kind, sub);
                                            }
                                            on_change.call(d);
                                        },
                                        for (i, sub) in ServiceSubtype::of(service).enumerate() {
                                            Chip { key: "{sub.code()}", index: i, "data-event": kind.code(), "data-subtype": sub.code(), {sub.label(lang)} }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
