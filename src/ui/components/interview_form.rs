//! The identification interview: when, where, which kind (segretariato sociale or
//! Referral, which asks the day the Commissione's request came), and what became known
//! of the person at it. Every answer is a closed chip; a field left alone says nothing new
//! (the person's earlier answer stands).

use chrono::NaiveDate;
use dioxus::prelude::*;

use super::{CodeChoice, options_of, pressed_of};
use crate::app::NewInterview;
use crate::domain::emersion::{
    Adhesion, EmersionPlace, Findings, Indicator, IndicatorSet, IntakeChannel, InterviewKind, Typology, Verdict,
};
use crate::domain::{Lang, Province};
use crate::ui::T;

/// A day typed in a date field (`YYYY-MM-DD`).
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// Provinces by name, for the selects.
pub fn provinces_by_name() -> Vec<Province> {
    let mut all = Province::all();
    all.sort_by_key(|p| p.name());
    all
}

/// A single choice's value after a tap.
fn picked<E: Copy>(all: &[E], p: &[usize]) -> Option<E> {
    p.first().and_then(|&i| all.get(i).copied())
}

/// The interview form; `on_save` receives the interview to record.
#[component]
pub fn InterviewForm(
    /// The person interviewed (register id).
    person: i64,
    /// The default day.
    today: NaiveDate,
    /// The default province (the desk's).
    province: Province,
    /// The latest Referral request on record for the person, if any.
    #[props(default)]
    last_request: Option<NaiveDate>,
    /// Language of the form.
    lang: Lang,
    /// Called with the interview on "save".
    on_save: EventHandler<NewInterview>,
    /// Called on "close".
    on_close: EventHandler<()>,
) -> Element {
    let mut date = use_signal(move || today.format("%Y-%m-%d").to_string());
    let mut prov = use_signal(move || province);
    let mut kind = use_signal(|| InterviewKind::Social);
    let mut requested = use_signal(move || None::<String>);
    let mut found = use_signal(Findings::default);
    let f = found();
    let day = parse_day(&date());
    // The request's day shown: as typed, else the one on record, else the interview's.
    let request_shown = requested()
        .unwrap_or_else(|| last_request.or(day).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default());
    let request_day = parse_day(&request_shown);
    let referral = kind() == InterviewKind::Referral;
    let ready = day.is_some() && (!referral || request_day.is_some());
    let save = move |_| {
        let Some(day) = parse_day(&date.peek()) else { return };
        let kind = *kind.peek();
        let requested = match (kind, request_day) {
            (InterviewKind::Referral, Some(r)) if Some(r) != last_request => Some(r),
            _ => None,
        };
        on_save.call(NewInterview {
            person,
            date: day,
            province: *prov.peek(),
            kind,
            findings: *found.peek(),
            requested,
        });
    };
    let indicators = f.indicators.unwrap_or_default();
    let pressed_indicators: Vec<usize> =
        Indicator::ALL.iter().enumerate().filter(|(_, i)| indicators.contains(**i)).map(|(i, _)| i).collect();
    let mut places: Vec<(&'static str, String)> =
        vec![(EmersionPlace::Elsewhere.code(), EmersionPlace::Elsewhere.label(lang))];
    places.extend(provinces_by_name().into_iter().map(|p| (p.code(), format!("{} ({})", p.name(), p.code()))));
    let place_code = f.place.map(|p| p.code()).unwrap_or_default();
    rsx! {
        div { id: "interview-form", class: "sheet interview-form wide", role: "dialog",
            h3 { {T::NewInterview.get(lang)} }
            div { class: "form-grid",
                div { class: "form-col",
                    label { class: "inline", {T::InterviewDate.get(lang)}
                        input { id: "interview-date", r#type: "date", value: "{date}", oninput: move |e| date.set(e.value()) }
                    }
                    label { class: "inline", {T::Province.get(lang)}
                        select { id: "interview-province",
                            onchange: move |e| if let Ok(p) = Province::parse(&e.value()) { prov.set(p) },
                            for p in provinces_by_name() {
                                option { key: "{p.code()}", value: p.code(), selected: prov() == p, "{p.name()} ({p.code()})" }
                            }
                        }
                    }
                    CodeChoice { id: "interview-kind", legend: T::InterviewKindLabel.get(lang), required: true,
                        options: options_of(InterviewKind::ALL, InterviewKind::code, InterviewKind::label, lang),
                        pressed: pressed_of(InterviewKind::ALL, Some(kind())),
                        on_change: move |p: Vec<usize>| if let Some(k) = picked(InterviewKind::ALL, &p) { kind.set(k) } }
                    if referral {
                        label { class: "inline", {T::RequestDate.get(lang)}
                            input { id: "request-date", r#type: "date", value: "{request_shown}",
                                oninput: move |e| requested.set(Some(e.value())) }
                        }
                    }
                    p { class: "muted", {T::WhatBecameKnown.get(lang)} }
                    CodeChoice { id: "verdict", legend: T::Verdict.get(lang),
                        options: options_of(Verdict::ALL, Verdict::code, Verdict::label, lang),
                        pressed: pressed_of(Verdict::ALL, f.verdict),
                        on_change: move |p: Vec<usize>| found.write().verdict = picked(Verdict::ALL, &p) }
                    CodeChoice { id: "adhesion", legend: T::AdhesionLabel.get(lang),
                        options: options_of(Adhesion::ALL, Adhesion::code, Adhesion::label, lang),
                        pressed: pressed_of(Adhesion::ALL, f.adhesion),
                        on_change: move |p: Vec<usize>| found.write().adhesion = picked(Adhesion::ALL, &p) }
                    CodeChoice { id: "minor", legend: T::Minor.get(lang),
                        options: vec![("yes", T::Yes.get(lang).to_owned()), ("no", T::No.get(lang).to_owned())],
                        pressed: pressed_of(&[true, false], f.minor),
                        on_change: move |p: Vec<usize>| found.write().minor = picked(&[true, false], &p) }
                    label { class: "inline", {T::PlaceOfEmersion.get(lang)}
                        select { id: "emersion-place",
                            onchange: move |e| found.write().place = EmersionPlace::parse(&e.value()).ok(),
                            option { value: "", selected: place_code.is_empty(), "—" }
                            for (code, words) in places {
                                option { key: "{code}", value: code, selected: place_code == code, "{words}" }
                            }
                        }
                    }
                }
                div { class: "form-col",
                    CodeChoice { id: "typology", legend: T::TypologyLabel.get(lang),
                        options: options_of(Typology::ALL, Typology::code, Typology::label, lang),
                        pressed: pressed_of(Typology::ALL, f.typology),
                        on_change: move |p: Vec<usize>| found.write().typology = picked(Typology::ALL, &p) }
                    CodeChoice { id: "channel", legend: T::ChannelLabel.get(lang),
                        options: options_of(IntakeChannel::ALL, IntakeChannel::code, IntakeChannel::label, lang),
                        pressed: pressed_of(IntakeChannel::ALL, f.channel),
                        on_change: move |p: Vec<usize>| found.write().channel = picked(IntakeChannel::ALL, &p) }
                    CodeChoice { id: "indicators", legend: T::Indicators.get(lang), multiple: true,
                        options: options_of(Indicator::ALL, Indicator::code, Indicator::label, lang),
                        pressed: pressed_indicators,
                        on_change: move |p: Vec<usize>| {
                            let set: IndicatorSet = p.iter().filter_map(|&i| Indicator::ALL.get(i).copied()).collect();
                            found.write().indicators = Some(set);
                        } }
                }
            }
            div { class: "actions",
                button { id: "close-interview", class: "ghost", onclick: move |_| on_close.call(()), {T::Close.get(lang)} }
                button { id: "save-interview", class: "primary", disabled: !ready, onclick: save, {T::SaveInterview.get(lang)} }
            }
        }
    }
}

/// What is known of a person, in words: one line per field known.
pub fn findings_lines(f: &Findings, lang: Lang) -> Vec<(&'static str, String, String)> {
    let mut v = Vec::new();
    if let Some(x) = f.verdict {
        v.push(("verdict", T::Verdict.get(lang).to_owned(), x.label(lang).to_owned()));
    }
    if let Some(x) = f.typology {
        v.push(("typology", T::TypologyLabel.get(lang).to_owned(), x.label(lang).to_owned()));
    }
    if let Some(x) = f.adhesion {
        v.push(("adhesion", T::AdhesionLabel.get(lang).to_owned(), x.label(lang).to_owned()));
    }
    if let Some(x) = f.channel {
        v.push(("channel", T::ChannelLabel.get(lang).to_owned(), x.label(lang).to_owned()));
    }
    if let Some(x) = f.place {
        v.push(("place", T::PlaceOfEmersion.get(lang).to_owned(), x.label(lang)));
    }
    if let Some(x) = f.minor {
        v.push(("minor", T::Minor.get(lang).to_owned(), (if x { T::Yes } else { T::No }).get(lang).to_owned()));
    }
    if let Some(set) = f.indicators.filter(|s| !s.is_empty()) {
        let words = set.iter().map(|i| i.label(lang)).collect::<Vec<_>>().join(", ");
        v.push(("indicators", T::Indicators.get(lang).to_owned(), words));
    }
    v
}
