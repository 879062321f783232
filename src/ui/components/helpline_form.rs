//! A report from the national anti-trafficking helpline (Numero Verde): day, province,
//! gender, nationality, new or known, the person's own call or an agency's, the help asked
//! and what came of it. Closed chips and selects only.

use dioxus::prelude::*;

use super::{CodeChoice, GenderPicker, NationalityPicker, options_of, pressed_of};
use super::{parse_day, provinces_by_name};
use crate::domain::emersion::{HelpKind, HelpSet, HelplineOutcome, HelplineReport, HelplineSource};
use crate::domain::{Lang, Province};
use crate::ui::T;

/// Nationalities offered while typing.
const MATCHES: usize = 6;

/// The form, for a new report (`initial.id == 0`) or to edit one.
#[component]
pub fn HelplineForm(
    /// The report as it starts.
    initial: HelplineReport,
    /// Language of the form.
    lang: Lang,
    /// Called with the report on "save".
    on_save: EventHandler<HelplineReport>,
    /// Called on "close".
    on_close: EventHandler<()>,
) -> Element {
    let start = initial.clone();
    let mut report = use_signal(move || start);
    let mut date = use_signal(move || initial.date.format("%Y-%m-%d").to_string());
    let r = report();
    let day = super::parse_day(&date());
    let editing = r.id != 0;
    let help_pressed: Vec<usize> =
        HelpKind::ALL.iter().enumerate().filter(|(_, h)| r.help.contains(**h)).map(|(i, _)| i).collect();
    let save = move |_| {
        if let Some(d) = parse_day(&date.peek()) {
            let mut r = report.peek().clone();
            r.date = d;
            on_save.call(r);
        }
    };
    rsx! {
        div { id: "helpline-form", class: "sheet helpline-form wide", role: "dialog",
            h3 { {(if editing { T::EditReport } else { T::NewReport }).get(lang)} }
            div { class: "form-grid",
                div { class: "form-col",
                    label { class: "inline", {T::ReportDate.get(lang)}
                        input { id: "report-date", r#type: "date", value: "{date}", oninput: move |e| date.set(e.value()) }
                    }
                    label { class: "inline", {T::Province.get(lang)}
                        select { id: "report-province",
                            onchange: move |e| if let Ok(p) = Province::parse(&e.value()) { report.write().province = p },
                            for p in provinces_by_name() {
                                option { key: "{p.code()}", value: p.code(), selected: r.province == p, "{p.name()} ({p.code()})" }
                            }
                        }
                    }
                    GenderPicker { id: "report-g", value: Some(r.gender), lang, on_change: move |g| report.write().gender = g }
                    NationalityPicker { id: "report-nat", value: Some(r.nationality), limit: MATCHES, lang,
                        on_pick: move |n| report.write().nationality = n }
                    CodeChoice { id: "report-known", legend: T::NewOrKnown.get(lang), required: true,
                        options: vec![("new", T::NewToUs.get(lang).to_owned()), ("known", T::Known.get(lang).to_owned())],
                        pressed: pressed_of(&[false, true], Some(r.known)),
                        on_change: move |p: Vec<usize>| if let Some(&i) = p.first() { report.write().known = i == 1 } }
                    CodeChoice { id: "report-source", legend: T::SourceLabel.get(lang), required: true,
                        options: options_of(HelplineSource::ALL, HelplineSource::code, HelplineSource::label, lang),
                        pressed: pressed_of(HelplineSource::ALL, Some(r.source)),
                        on_change: move |p: Vec<usize>| {
                            if let Some(s) = p.first().and_then(|&i| HelplineSource::ALL.get(i)) {
                                report.write().source = *s;
                            }
                        } }
                }
                div { class: "form-col",
                    CodeChoice { id: "report-help", legend: T::HelpRequested.get(lang), multiple: true, pressed: help_pressed,
                        options: options_of(HelpKind::ALL, HelpKind::code, HelpKind::label, lang),
                        on_change: move |p: Vec<usize>| {
                            let set: HelpSet = p.iter().filter_map(|&i| HelpKind::ALL.get(i).copied()).collect();
                            report.write().help = set;
                        } }
                    CodeChoice { id: "report-outcome", legend: T::OutcomeLabel.get(lang),
                        options: options_of(HelplineOutcome::ALL, HelplineOutcome::code, HelplineOutcome::label, lang),
                        pressed: pressed_of(HelplineOutcome::ALL, r.outcome),
                        on_change: move |p: Vec<usize>| {
                            report.write().outcome = p.first().and_then(|&i| HelplineOutcome::ALL.get(i).copied());
                        } }
                }
            }
            div { class: "actions",
                button { id: "close-report", class: "ghost", onclick: move |_| on_close.call(()), {T::Close.get(lang)} }
                button { id: "save-report", class: "primary", disabled: day.is_none(), onclick: save, {T::SaveReport.get(lang)} }
            }
        }
    }
}
