//! Informative group sessions (sensibilizzazione) on the home screen: the sessions held,
//! newest first (a tap opens one in the form), and the form: day, kind of place, comune,
//! themes, languages, participants by gender and of whom asylum seekers or protection
//! holders, operators and mediator. Head counts only: no names, no free text.

use chrono::{Duration, Local, NaiveDate};
use dioxus::prelude::*;
use uuid::Uuid;

use crate::app::{Area, SessionForm};
use crate::domain::outreach::{InfoSession, LanguageSet, SessionFacts, SessionPlace, SessionTheme, Team, ThemeSet};
use crate::domain::rules::TEAM_SIZE;
use crate::domain::tables::Mft;
use crate::domain::{Comune, Gender, Language, Period, Province, parse_date};
use crate::ui::components::{Chip, ChipGroup, ComunePicker, Stepper};
use crate::ui::{T, Ui};

/// The leaflet languages offered first; "more" shows them all.
const COMMON_LANGUAGES: [Language; 8] = [
    Language::Italian,
    Language::English,
    Language::French,
    Language::Arabic,
    Language::Pidgin,
    Language::Romanian,
    Language::Urdu,
    Language::Bengali,
];

/// Days of sessions listed.
const LISTED_DAYS: i64 = 400;

/// What the form holds while it is filled in.
#[derive(Debug, Clone, PartialEq)]
struct Draft {
    id: Option<Uuid>,
    date: String,
    place: Option<SessionPlace>,
    comune: Option<Comune>,
    province: String,
    themes: ThemeSet,
    languages: LanguageSet,
    participants: Mft,
    protection: Mft,
    team: Team,
}

impl Draft {
    fn new(team: Team, province: Option<Province>) -> Draft {
        Draft {
            id: None,
            date: Local::now().date_naive().to_string(),
            place: None,
            comune: None,
            province: province.map(|p| p.code().to_owned()).unwrap_or_default(),
            themes: ThemeSet::EMPTY,
            languages: LanguageSet::EMPTY,
            participants: Mft::default(),
            protection: Mft::default(),
            team,
        }
    }

    fn of(s: &InfoSession) -> Draft {
        Draft {
            id: Some(s.id),
            date: s.date.to_string(),
            place: Some(s.facts.place),
            comune: s.facts.comune,
            province: s.province.code().to_owned(),
            themes: s.facts.themes,
            languages: s.facts.languages,
            participants: s.facts.participants,
            protection: s.facts.protection,
            team: s.team,
        }
    }

    /// The form to save, or the string saying what is missing.
    fn form(&self) -> Result<SessionForm, T> {
        let date: NaiveDate = parse_date(&self.date).map_err(|_| T::BadDate)?;
        let place = self.place.ok_or(T::PickSessionPlace)?;
        let province = self
            .comune
            .map(|c| c.province())
            .or_else(|| Province::parse(&self.province).ok())
            .ok_or(T::PickProvince)?;
        let facts = SessionFacts {
            place,
            comune: self.comune,
            themes: self.themes,
            languages: self.languages,
            participants: self.participants,
            protection: self.protection,
        };
        Ok(SessionForm { id: self.id, date, province, facts, team: self.team })
    }
}

/// The sessions' home: the form and the sessions held.
#[component]
pub fn SessionsHome() -> Element {
    let mut ui: Ui = use_context();
    let lang = ui.lang();
    let today = Local::now().date_naive();
    let period = Period::new(today - Duration::days(LISTED_DAYS), today + Duration::days(1)).ok();
    let sessions: Vec<InfoSession> =
        period.and_then(|p| ui.read(&[Area::Outings], |app| app.info_sessions(p))).unwrap_or_default();
    let team = ui.read(&[Area::Outings], |app| app.session_team()).unwrap_or_default();
    let last_province = sessions.first().map(|s| s.province);
    let mut draft = use_signal(move || Draft::new(team, last_province));
    let mut confirming = use_signal(|| false);
    let mut more_languages = use_signal(|| false);
    let t = move |s: T| s.get(lang);

    let save = move |_| {
        let form = match draft.peek().form() {
            Ok(f) => f,
            Err(missing) => {
                ui.error.set(Some(ui.t(missing).into()));
                return;
            }
        };
        if ui.write(|app| app.save_info_session(&form)).is_some() {
            let next = Draft::new(form.team, Some(form.province));
            draft.set(next);
            confirming.set(false);
        }
    };
    let delete = move |_| {
        let Some(id) = draft.peek().id else { return };
        if ui.write(|app| app.delete_info_session(id)).is_some() {
            let d = draft.peek().clone();
            draft.set(Draft::new(d.team, Province::parse(&d.province).ok()));
            confirming.set(false);
        }
    };
    let d = draft();
    let mut provinces = Province::all();
    provinces.sort_by_key(|p| p.name());
    let languages: Vec<Language> = if more_languages() {
        Language::ALL.iter().copied().filter(|l| *l != Language::Undetermined).collect()
    } else {
        COMMON_LANGUAGES.to_vec()
    };
    let team_range = u32::from(*TEAM_SIZE.start())..=u32::from(*TEAM_SIZE.end());
    let count = move |which: &'static str, g: Gender| {
        let d = draft();
        let value = if which == "participants" { d.participants.get(g) } else { d.protection.get(g) };
        rsx! {
            label { class: "count", key: "{which}-{g.code()}", "{g.code()}"
                input { id: "{which}-{g.code()}", r#type: "number", min: "0", inputmode: "numeric", value: "{value}",
                    oninput: move |e| {
                        let n: u64 = e.value().trim().parse().unwrap_or(0);
                        let mut w = draft.write();
                        let m = if which == "participants" { &mut w.participants } else { &mut w.protection };
                        match g {
                            Gender::M => m.m = n,
                            Gender::F => m.f = n,
                            Gender::T => m.t = n,
                        }
                    } }
            }
        }
    };

    rsx! {
        section { class: "sessions",
            h2 { {t(if d.id.is_some() { T::EditSession } else { T::NewSession })} }
            p { class: "muted", {t(T::SessionHeadCountsOnly)} }
            label { class: "inline", {t(T::SessionDate)}
                input { id: "session-date", r#type: "date", value: "{d.date}", oninput: move |e| draft.write().date = e.value() }
            }
            div { id: "session-place",
                ChipGroup { label: t(T::SessionPlaceLabel).to_owned(),
                    pressed: d.place.and_then(|p| SessionPlace::ALL.iter().position(|x| *x == p)).into_iter().collect::<Vec<_>>(),
                    on_change: move |p: Vec<usize>| draft.write().place = p.first().map(|&i| SessionPlace::ALL[i]),
                    for (i, p) in SessionPlace::ALL.iter().copied().enumerate() {
                        Chip { key: "{p.code()}", index: i, "data-place": p.code(), {p.label(lang)} }
                    }
                }
            }
            ComunePicker { id: "session-comune", value: d.comune, limit: 6, placeholder: t(T::SearchComune),
                option_class: "suggestion",
                on_pick: move |c: Option<Comune>| {
                    let mut w = draft.write();
                    w.comune = c;
                    if let Some(c) = c {
                        w.province = c.province().code().to_owned();
                    }
                } }
            if d.comune.is_none() {
                label { class: "inline", {t(T::Province)}
                    select { id: "session-province", onchange: move |e| draft.write().province = e.value(),
                        option { value: "", selected: d.province.is_empty(), "—" }
                        for p in provinces {
                            option { key: "{p.code()}", value: p.code(), selected: d.province == p.code(), "{p.name()} ({p.code()})" }
                        }
                    }
                }
            }
            h3 { {t(T::SessionThemes)} }
            div { id: "session-themes",
                ChipGroup { multiple: true,
                    pressed: SessionTheme::ALL.iter().enumerate().filter(|(_, x)| d.themes.contains(**x)).map(|(i, _)| i).collect::<Vec<_>>(),
                    on_change: move |p: Vec<usize>| draft.write().themes = p.iter().map(|&i| SessionTheme::ALL[i]).collect(),
                    for (i, x) in SessionTheme::ALL.iter().copied().enumerate() {
                        Chip { key: "{x.code()}", index: i, "data-theme": x.code(), {x.label(lang)} }
                    }
                }
            }
            h3 { {t(T::SessionLanguages)} }
            div { id: "session-languages",
                ChipGroup { multiple: true,
                    pressed: languages.iter().enumerate().filter(|(_, l)| d.languages.contains(**l)).map(|(i, _)| i).collect::<Vec<_>>(),
                    on_change: {
                        let languages = languages.clone();
                        move |p: Vec<usize>| {
                            let mut w = draft.write();
                            // Languages not shown stay as they were.
                            let mut set: LanguageSet = w.languages.iter().filter(|l| !languages.contains(l)).collect();
                            p.iter().for_each(|&i| set.insert(languages[i]));
                            w.languages = set;
                        }
                    },
                    for (i, l) in languages.iter().copied().enumerate() {
                        Chip { key: "{l.code()}", index: i, "data-language": l.code(), {l.label(lang)} }
                    }
                }
                if !more_languages() {
                    button { id: "session-languages-more", class: "ghost small", r#type: "button",
                        onclick: move |_| more_languages.set(true), {t(T::MoreLanguages)} }
                }
            }
            h3 { {t(T::Participants)} }
            div { class: "row counts", for g in Gender::ALL.iter().copied() { {count("participants", g)} } }
            h3 { {t(T::OfWhomProtection)} }
            div { class: "row counts", for g in Gender::ALL.iter().copied() { {count("protection", g)} } }
            Stepper { id: "session-operators", class: "inline", label: t(T::Operators), range: team_range,
                value: u32::from(d.team.operators),
                on_change: move |n: u32| draft.write().team.operators = u8::try_from(n).unwrap_or(*TEAM_SIZE.start()) }
            label { class: "check",
                input { id: "session-mediator", r#type: "checkbox", checked: d.team.mediator,
                    onchange: move |e| {
                        let mut w = draft.write();
                        w.team.mediator = e.checked();
                        if !e.checked() {
                            w.team.mediator_language = None;
                        }
                    } }
                {t(T::Mediator)}
            }
            div { class: "row",
                button { id: "session-save", class: "primary big", onclick: save, {t(T::SaveSession)} }
                if d.id.is_some() {
                    button { id: "session-cancel", class: "ghost", onclick: move |_| {
                        let d = draft.peek().clone();
                        draft.set(Draft::new(d.team, Province::parse(&d.province).ok()));
                        confirming.set(false);
                    }, {t(T::Back)} }
                    if confirming() {
                        button { id: "session-delete-confirm", class: "danger", onclick: delete, {t(T::ConfirmDeleteSession)} }
                    } else {
                        button { id: "session-delete", class: "ghost", onclick: move |_| confirming.set(true), {t(T::DeleteSession)} }
                    }
                }
            }
            h2 { {t(T::SessionsHeld)} }
            if sessions.is_empty() {
                p { class: "muted", {t(T::NoInfoSessions)} }
            }
            ul { class: "list",
                for s in sessions {
                    li { key: "{s.id}", class: "session-row", "data-id": "{s.id}",
                        onclick: move |_| {
                            draft.set(Draft::of(&s));
                            confirming.set(false);
                        },
                        strong { "{s.date.format(\"%d/%m/%Y\")}" }
                        " · {s.facts.place.label(lang)}"
                        if let Some(c) = s.facts.comune { " · {c.name()}" } else { " · {s.province.name()}" }
                        span { class: "count", " · {s.facts.participants.total()}" }
                    }
                }
            }
        }
    }
}
