//! Indoor mapping: a session at a desk (or on a phone) going through ads. A new ad in a
//! few keystrokes (site, nationality and gender stay from the previous ad; Enter saves),
//! the number offered as call and WhatsApp links and then kept only as a keyed hash, one
//! tap per attempt outcome, the session's funnel always visible.

use chrono::Utc;
use dioxus::prelude::*;
use uuid::Uuid;

use super::{Screen, T, Ui};
use crate::domain::indoor::{AdData, NumberHistory, normalize_phone};
use crate::domain::{Channel, Comune, ContactData, Gender, Language, Nationality, Outcome, OutingStatus, Province};
use crate::store::NewIndoorSession;

/// Nationalities offered while typing.
const MATCHES: usize = 6;

/// The home screen's indoor part: resume the open session, past sessions with their
/// funnel, and the form that starts a new one.
#[component]
pub fn IndoorHome() -> Element {
    let mut ui: Ui = use_context();
    let sessions = ui.read(|s| s.list_indoor_sessions()).unwrap_or_default();
    let open = sessions.iter().find(|o| o.session.status == OutingStatus::Open).map(|o| o.session.id);
    rsx! {
        if let Some(id) = open {
            button { id: "resume-session", class: "primary big", onclick: move |_| ui.screen.set(Screen::Indoor(id)),
                {ui.t(T::ResumeSession)} }
        }
        if sessions.is_empty() {
            p { class: "muted", {ui.t(T::NoSessions)} }
        }
        ul { class: "outings sessions",
            for o in sessions.iter().take(50) {
                {
                    let id = o.session.id;
                    let c = o.counts;
                    rsx! {
                        li { key: "{id}", class: "outing-row session-row", "data-status": o.session.status.code(),
                            onclick: move |_| ui.screen.set(Screen::Indoor(id)),
                            div { class: "when", strong { {o.session.date.format("%d/%m/%Y").to_string()} }
                                " · {o.session.province.name()}" }
                            div { class: "what",
                                "{c.ads} {ui.t(T::AdsLower)} → {c.calls + c.messages} {ui.t(T::AttemptsShort)} → {c.contacts} {ui.t(T::ContactsShort)} → {c.met}" }
                        }
                    }
                }
            }
        }
        if open.is_none() {
            StartIndoor {}
        }
    }
}

/// The form that starts a session.
#[component]
fn StartIndoor() -> Element {
    let mut ui: Ui = use_context();
    let last = ui.read(|s| s.list_indoor_sessions()).unwrap_or_default().first().map(|o| o.session.province);
    let mut province = use_signal(move || last.map(|p| p.code().to_owned()).unwrap_or_default());
    let mut operators = use_signal(|| 2u8);
    let mut mediator = use_signal(|| None::<Language>);
    let mut provinces = Province::all();
    provinces.sort_by_key(|p| p.name());
    let start = move |_| {
        let Ok(p) = Province::parse(&province.peek()) else {
            ui.error.set(Some(ui.t(T::PickProvince).into()));
            return;
        };
        let new = NewIndoorSession {
            started_at: Utc::now(),
            province: p,
            operators: *operators.peek(),
            mediator_language: *mediator.peek(),
        };
        if let Some(s) = ui.write(|st| st.start_indoor_session(&new)) {
            ui.screen.set(Screen::Indoor(s.id));
        }
    };
    rsx! {
        div { class: "start-indoor",
            label { class: "inline", {ui.t(T::Province)}
                select { id: "indoor-province", onchange: move |e| province.set(e.value()),
                    option { value: "", selected: province().is_empty(), "—" }
                    for p in provinces {
                        option { key: "{p.code()}", value: p.code(), selected: province() == p.code(), "{p.name()} ({p.code()})" }
                    }
                }
            }
            label { class: "inline", {ui.t(T::Operators)}
                input { id: "indoor-operators", r#type: "number", min: "1", max: "50", value: "{operators}",
                    oninput: move |e| operators.set(e.value().trim().parse().unwrap_or(1u8).clamp(1, 50)) }
            }
            label { class: "inline", {ui.t(T::Mediator)}
                select { id: "indoor-mediator", onchange: move |e| mediator.set(Language::parse(&e.value()).ok()),
                    option { value: "", "—" }
                    for l in Language::ALL.iter().copied().filter(|l| *l != Language::Undetermined) {
                        option { key: "{l.code()}", value: l.code(), {l.label(ui.lang())} }
                    }
                }
            }
            button { id: "start-indoor", class: "primary big", onclick: start, {ui.t(T::StartIndoor)} }
        }
    }
}

/// The indoor session screen.
#[component]
pub fn IndoorScreen(id: Uuid) -> Element {
    let mut ui: Ui = use_context();
    let lang = ui.lang();
    let Some(session) = ui.read(|s| s.indoor_session(id)) else {
        return rsx! { p { class: "muted", {ui.t(T::NoOutings)} } };
    };
    let counts = ui.read(|s| s.session_counts(id)).unwrap_or_default();
    let ads = ui.read(|s| s.ads(id)).unwrap_or_default();
    let shared = ui.read(|s| s.shared_numbers(id)).unwrap_or_default();
    let sites = ui.settings.read().sites.clone();
    let closed = session.status == OutingStatus::Closed;

    // Remembered from the previous ad.
    let mut site = use_signal(|| sites.first().cloned().unwrap_or_default());
    let mut nat = use_signal(|| Nationality::UNKNOWN);
    let mut gender = use_signal(|| Gender::F);
    // Cleared after each ad.
    let mut nat_query = use_signal(String::new);
    let mut age = use_signal(String::new);
    let mut risky = use_signal(|| false);
    let mut number = use_signal(String::new);
    let mut comune_query = use_signal(String::new);
    let mut comune = use_signal(|| None::<Comune>);
    // The ad being called, and its number while it is being called (memory only).
    let mut current = use_signal(|| None::<i64>);
    let mut calling = use_signal(|| None::<String>);
    let mut channel = use_signal(|| Channel::Call);
    let mut history = use_signal(|| None::<NumberHistory>);
    // The person just met, while their details are open.
    let mut meeting = use_signal(|| None::<(i64, ContactData)>);

    let province = session.province;
    let nat_matches: Vec<Nationality> = {
        let q = nat_query();
        if q.trim().is_empty() { Vec::new() } else { Nationality::search(q.trim()).into_iter().take(MATCHES).collect() }
    };
    let comune_matches: Vec<Comune> = {
        let q = comune_query();
        if q.trim().is_empty() || comune().is_some() {
            Vec::new()
        } else {
            Comune::search(q.trim(), 40).into_iter().filter(|c| c.province() == province).take(5).collect()
        }
    };

    let save_ad = move |e: FormEvent| {
        e.prevent_default();
        let declared_age = match age.peek().trim() {
            "" => None,
            a => match a.parse::<u8>() {
                Ok(n) => Some(n),
                Err(_) => {
                    ui.error.set(Some(format!("{}: {a}", ui.t(T::BadAge))));
                    return;
                }
            },
        };
        let data = AdData {
            site: site.peek().clone(),
            province,
            comune: *comune.peek(),
            nationality: *nat.peek(),
            gender: *gender.peek(),
            declared_age,
            risky: *risky.peek(),
        };
        let typed = number.peek().trim().to_owned();
        let typed = (!typed.is_empty()).then_some(typed);
        if let Some((ad, _)) = ui.write(|s| s.add_ad(id, &data, typed.as_deref())) {
            current.set(Some(ad.id));
            calling.set(typed.as_deref().and_then(|t| normalize_phone(t).ok()));
            channel.set(Channel::Call);
            age.set(String::new());
            risky.set(false);
            number.set(String::new());
            nat_query.set(String::new());
            history.set(None);
            ui.say(format!("{}: {} · {}", ui.t(T::AdSaved), data.gender.code(), data.nationality.label(lang)));
        }
    };
    let check_number = move |e: FormEvent| {
        let v = e.value();
        number.set(v.clone());
        // What the hash already knows of the number, shown before saving.
        let h = if normalize_phone(&v).is_ok() { ui.read(|s| s.number_history(id, &v)) } else { None };
        history.set(h);
    };
    let mut attempt = move |outcome: Outcome| {
        let Some(ad) = *current.peek() else { return };
        let ch = *channel.peek();
        if ui.write(|s| s.record_attempt(ad, ch, outcome)).is_some() {
            ui.say(format!("{}: {}", ch.label(lang), outcome.label(lang)));
        }
    };
    let met = move |_| {
        let Some(ad_id) = *current.peek() else { return };
        let Some(ad) = ui.read(|s| s.ad(ad_id)) else { return };
        let mut data = ContactData::new(ad.data.gender, ad.data.nationality);
        data.items = ui.settings.peek().kit.0.clone();
        if let Some(m) = ui.write(|s| s.record_meeting(id, Some(ad_id), ad.data.province, &data)) {
            ui.say(ui.t(T::MeetingSaved));
            meeting.set(Some((m, data)));
        }
    };
    let current_ad = current().and_then(|c| ads.iter().find(|a| a.id == c).cloned());

    rsx! {
        section { class: "indoor", "data-session": "{id}",
            div { class: "outing-head",
                span { class: "badge", "Indoor" }
                span { {session.date.format("%d/%m/%Y").to_string()} }
                span { "{session.province.name()} ({session.province.code()})" }
                span { class: "muted", "{session.operators} {ui.t(T::OperatorsShort)}" }
            }
            div { id: "funnel", class: "totals funnel", "aria-live": "polite",
                span { {ui.t(T::Ads)} " " strong { id: "f-ads", "{counts.ads}" } }
                span { "→ " {ui.t(T::Calls)} " " strong { id: "f-calls", "{counts.calls}" } }
                span { "+ " {ui.t(T::Messages)} " " strong { id: "f-messages", "{counts.messages}" } }
                span { "→ " {ui.t(T::Contacts)} " " strong { id: "f-contacts", "{counts.contacts}" } }
                span { "→ " {ui.t(T::Met)} " " strong { id: "f-met", "{counts.met}" } }
            }
            if closed {
                p { class: "muted", {ui.t(T::SessionClosed)} }
            } else {
                form { id: "ad-form", class: "ad-form", onsubmit: save_ad,
                    div { class: "row",
                        label { class: "grow", {ui.t(T::Site)}
                            select { id: "ad-site", onchange: move |e| site.set(e.value()),
                                for s in sites.iter().cloned() {
                                    option { key: "{s}", value: "{s}", selected: site() == s, "{s}" }
                                }
                            }
                        }
                        div { class: "genders small-genders", role: "radiogroup",
                            for g in Gender::ALL.iter().copied() {
                                button { r#type: "button", id: "ad-g-{g.code()}",
                                    class: if gender() == g { "gender on" } else { "gender" },
                                    "aria-pressed": if gender() == g { "true" } else { "false" },
                                    onclick: move |_| gender.set(g), "{g.code()}" }
                            }
                        }
                    }
                    label { {ui.t(T::DeclaredNationality)}
                        div { class: "row",
                            span { id: "ad-nat", class: "chip", "data-code": nat().code(), {nat().label(lang)} }
                            input { id: "ad-nat-search", r#type: "search", autocomplete: "off", class: "grow",
                                placeholder: ui.t(T::SearchNationality), value: "{nat_query}",
                                oninput: move |e| nat_query.set(e.value()) }
                            button { r#type: "button", id: "ad-nat-zz", class: "small",
                                onclick: move |_| { nat.set(Nationality::UNKNOWN); nat_query.set(String::new()); },
                                {ui.t(T::NotDeclared)} }
                        }
                    }
                    if !nat_matches.is_empty() {
                        div { class: "nats",
                            for n in nat_matches {
                                button { r#type: "button", key: "{n.code()}", class: "nat-option ad-nat-option", "data-code": n.code(),
                                    onclick: move |_| { nat.set(n); nat_query.set(String::new()); },
                                    span { class: "label", {n.label(lang)} } span { class: "code", {n.code()} } }
                            }
                        }
                    }
                    div { class: "row",
                        input { id: "ad-number", r#type: "tel", autocomplete: "off", class: "grow", inputmode: "tel",
                            placeholder: ui.t(T::PhoneNumber), value: "{number}", oninput: check_number }
                        input { id: "ad-age", r#type: "number", min: "14", max: "99", class: "age",
                            placeholder: ui.t(T::Age), value: "{age}", oninput: move |e| age.set(e.value()) }
                    }
                    if let Some(h) = history() {
                        p { id: "number-history", class: if h.likely_controller() { "warn" } else { "muted" },
                            {number_note(&ui, &h)} }
                    }
                    div { class: "row",
                        input { id: "ad-comune", r#type: "search", autocomplete: "off", class: "grow",
                            placeholder: ui.t(T::ComuneOptional), value: "{comune_query}",
                            oninput: move |e| { comune_query.set(e.value()); comune.set(None); } }
                        label { class: "check",
                            input { id: "ad-risky", r#type: "checkbox", checked: risky(), onchange: move |e| risky.set(e.checked()) }
                            {ui.t(T::RiskyServices)}
                        }
                    }
                    for c in comune_matches {
                        button { r#type: "button", key: "{c.code()}", class: "comune-option ad-comune-option", "data-code": c.code(),
                            onclick: move |_| { comune.set(Some(c)); comune_query.set(c.name().to_owned()); }, {c.name()} }
                    }
                    button { id: "save-ad", class: "primary", r#type: "submit", {ui.t(T::SaveAd)} }
                }
                if let Some(ad) = current_ad.clone() {
                    div { id: "current-ad", class: "sheet current-ad", "data-ad": "{ad.id}",
                        p { strong { "{ad.data.site}" } " · {ad.data.gender.code()} · " {ad.data.nationality.label(lang)}
                            span { class: "muted", " · {ad.attempts} {ui.t(T::AttemptsShort)}" } }
                        if let Some(e164) = calling() {
                            div { class: "row",
                                a { id: "call-link", class: "button", href: "tel:{e164}", {ui.t(T::CallIt)} }
                                a { id: "wa-link", class: "button", href: "https://wa.me/{e164.trim_start_matches('+')}",
                                    target: "_blank", rel: "noreferrer", "WhatsApp" }
                            }
                        }
                        div { class: "segmented channels",
                            for ch in Channel::ALL.iter().copied() {
                                button { r#type: "button", key: "{ch.code()}", "data-channel": ch.code(),
                                    class: if channel() == ch { "seg on" } else { "seg" },
                                    onclick: move |_| channel.set(ch), {ch.label(lang)} }
                            }
                        }
                        div { class: "outcomes",
                            for o in Outcome::ALL.iter().copied() {
                                button { r#type: "button", key: "{o.code()}", class: "outcome", "data-outcome": o.code(),
                                    onclick: move |_| attempt(o), {o.label(lang)} }
                            }
                        }
                        button { id: "met", class: "primary", r#type: "button", onclick: met, {ui.t(T::MetPerson)} }
                    }
                }
                if let Some((mid, initial)) = meeting() {
                    super::outing::DetailSheet {
                        key: "{mid}",
                        initial,
                        identity: true,
                        on_save: move |d: ContactData| {
                            if ui.write(|s| s.update_meeting(mid, &d)).is_some() {
                                ui.say(ui.t(T::Saved));
                                meeting.set(None);
                            }
                        },
                        on_close: move |_| meeting.set(None),
                    }
                }
                MassageVisit { id, province }
            }
            h3 { {ui.t(T::Ads)} }
            ul { class: "outings ads",
                for a in ads.iter() {
                    {
                        let ad_id = a.id;
                        let note = shared.get(&a.id).filter(|h| h.ads_total > 1).map(|h| number_note(&ui, h));
                        rsx! {
                            li { key: "{a.id}", class: if current() == Some(a.id) { "ad-row on" } else { "ad-row" }, "data-ad-id": "{a.id}",
                                onclick: move |_| { current.set(Some(ad_id)); calling.set(None); },
                                div { class: "when", strong { "{a.data.site}" } " · {a.data.gender.code()} · " {a.data.nationality.label(lang)} }
                                div { class: "what", "{a.attempts} {ui.t(T::AttemptsShort)} · {a.reached} {ui.t(T::ContactsShort)}"
                                    if let Some(n) = note { span { class: "warn", " · {n}" } } }
                            }
                        }
                    }
                }
            }
        }
        nav { class: "bottom",
            button { id: "indoor-undo", class: "ghost", disabled: closed,
                onclick: move |_| {
                    match ui.write(|s| s.undo_last_indoor(id)) {
                        Some(Some(_)) => { current.set(None); calling.set(None); ui.say(ui.t(T::Undone)); }
                        Some(None) => ui.say(ui.t(T::NothingToUndo)),
                        None => {}
                    }
                },
                {ui.t(T::Undo)}
            }
            if closed {
                button { id: "reopen-session", onclick: move |_| { let _ = ui.write(|s| s.reopen_indoor_session(id)); }, {ui.t(T::Reopen)} }
            } else {
                button { id: "end-session", class: "primary",
                    onclick: move |_| {
                        if ui.write(|s| s.close_indoor_session(id, Utc::now())).is_some() {
                            ui.screen.set(Screen::Home);
                        }
                    },
                    {ui.t(T::EndSession)}
                }
            }
        }
    }
}

/// "Seen on 12/03/2024 · in 3 ads: likely controller".
fn number_note(ui: &Ui, h: &NumberHistory) -> String {
    let mut parts = Vec::new();
    if let Some(d) = h.earlier_dates.first() {
        parts.push(format!("{} {}", ui.t(T::SeenOn), d.format("%d/%m/%Y")));
    }
    if h.ads_total > 0 {
        parts.push(format!("{} {} {}", ui.t(T::InAds), h.ads_total, ui.t(T::AdsLower)));
    }
    if h.likely_controller() {
        parts.push(ui.t(T::LikelyController).to_owned());
    }
    if parts.is_empty() {
        parts.push(ui.t(T::NewNumber).to_owned());
    }
    parts.join(" · ")
}

/// Persons contacted in a massage centre: gender, nationality, how many; one tap adds.
#[component]
fn MassageVisit(id: Uuid, province: Province) -> Element {
    let mut ui: Ui = use_context();
    let lang = ui.lang();
    let mut open = use_signal(|| false);
    let mut gender = use_signal(|| Gender::F);
    let mut nat = use_signal(|| "CN".to_owned());
    let mut n = use_signal(|| 1u32);
    let add = move |_| {
        let Ok(nationality) = Nationality::parse(&nat.peek()) else { return };
        let persons = [(*gender.peek(), nationality, *n.peek())];
        if let Some(k) = ui.write(|s| s.record_massage_visit(id, province, None, &persons)) {
            ui.say(format!("{}: {k}", ui.t(T::MassageCentre)));
            n.set(1);
        }
    };
    rsx! {
        if open() {
            fieldset { id: "massage", class: "massage",
                legend { {ui.t(T::MassageCentre)} }
                div { class: "row",
                    for g in Gender::ALL.iter().copied() {
                        button { r#type: "button", id: "massage-g-{g.code()}", class: if gender() == g { "gender on" } else { "gender" },
                            onclick: move |_| gender.set(g), "{g.code()}" }
                    }
                }
                div { class: "row",
                    select { id: "massage-nat", class: "grow", onchange: move |e| nat.set(e.value()),
                        for x in Nationality::all() {
                            option { key: "{x.code()}", value: x.code(), selected: nat() == x.code(), {x.label(lang)} }
                        }
                    }
                    input { id: "massage-n", r#type: "number", min: "1", max: "200", class: "age", value: "{n}",
                        oninput: move |e| n.set(e.value().trim().parse().unwrap_or(1u32).clamp(1, 200)) }
                }
                button { id: "add-massage", class: "primary", r#type: "button", onclick: add, {ui.t(T::AddPersons)} }
            }
        } else {
            button { id: "massage-open", class: "ghost small", r#type: "button", onclick: move |_| open.set(true),
                {ui.t(T::MassageCentre)} }
        }
    }
}
