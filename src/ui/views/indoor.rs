//! Indoor mapping: a session at a desk (or on a phone) going through ads. A new ad in a
//! few keystrokes (site, nationality and gender stay from the previous ad; Enter saves),
//! the number offered as call and WhatsApp links and then kept only as a keyed hash, one
//! tap per attempt outcome, the session's funnel always visible.

use std::collections::HashMap;

use chrono::Utc;
use dioxus::prelude::*;
use uuid::Uuid;

use crate::app::{self, Area, SessionCounts};
use crate::domain::indoor::{Ad, IndoorSession, NumberHistory};
use crate::domain::rules::{DECLARED_AGE, MASSAGE_VISIT_PERSONS};
use crate::domain::{
    Channel, Comune, ContactData, Gender, Lang, Nationality, Outcome, OutingStatus, Protection, Province,
};
use crate::ui::components::{
    BottomBar, Chip, ChipGroup, ComunePicker, DetailSheet, GenderPicker, NationalityPicker, Stepper,
};
use crate::ui::{Screen, T, Ui};

/// Nationalities offered while typing.
const MATCHES: usize = 6;
/// Comuni offered while typing.
const COMUNI: usize = 5;

/// The ad being written: site, nationality and gender stay from the previous ad, the rest
/// is cleared after each.
#[derive(Debug, Clone, PartialEq)]
struct Draft {
    site: String,
    nat: Nationality,
    gender: Gender,
    age: String,
    risky: bool,
    /// The typed number: in memory only, until the ad is saved as its hash.
    number: String,
    comune: Option<Comune>,
}

/// The indoor session screen.
#[component]
pub fn IndoorScreen(
    /// The session.
    id: Uuid,
) -> Element {
    let mut ui: Ui = use_context();
    let lang = ui.lang();
    let first_site = ui.settings.peek().sites.first().cloned().unwrap_or_default();
    let mut draft = use_signal(move || Draft {
        site: first_site,
        nat: Nationality::UNKNOWN,
        gender: Gender::F,
        age: String::new(),
        risky: false,
        number: String::new(),
        comune: None,
    });
    // The ad being called, and its number while it is being called (memory only).
    let mut current = use_signal(|| None::<i64>);
    let mut calling = use_signal(|| None::<String>);
    let mut channel = use_signal(|| Channel::Call);
    // The person just met, while their details are open.
    let mut meeting = use_signal(|| None::<(i64, ContactData)>);
    // The call that just reached someone, and whether they seek or hold protection.
    let mut reached = use_signal(|| None::<(i64, bool)>);
    // The campaign of the next message: the session's last one, so a campaign evening is one tap per message.
    let mut campaign = use_signal(|| ui.read(&[], |app| app.last_campaign(id)).flatten());
    let Some(data) = ui.read(&[Area::Indoor], |app| app.indoor_view(id, &draft.read().number)) else {
        return rsx! { p { class: "muted", {ui.t(T::NoOutings)} } };
    };
    let province = data.session.province;
    let closed = data.session.status == OutingStatus::Closed;
    let ads = data.ads.clone();

    let save_ad = move |_| {
        let d = draft.peek().clone();
        let form = app::AdForm {
            site: d.site,
            province,
            comune: d.comune,
            nationality: d.nat,
            gender: d.gender,
            declared_age: d.age,
            risky: d.risky,
            number: d.number,
        };
        if let Some(saved) = ui.write(|app| app.save_ad(id, &form)) {
            current.set(Some(saved.ad.id));
            calling.set(saved.dial);
            channel.set(Channel::Call);
            let mut w = draft.write();
            (w.age, w.risky, w.number) = (String::new(), false, String::new());
            ui.say(format!("{}: {} · {}", ui.t(T::AdSaved), form.gender.code(), form.nationality.label(lang)));
        }
    };
    let attempt = move |outcome: Outcome| {
        let Some(ad) = *current.peek() else { return };
        let ch = *channel.peek();
        let tag = *campaign.peek();
        if let Some(a) = ui.write(|app| app.record_campaign_attempt(ad, ch, outcome, tag)) {
            let call_reached = a.channel == Channel::Call && a.outcome == Outcome::Reached;
            reached.set(call_reached.then_some((a.id, false)));
            ui.say(format!("{}: {}", ch.label(lang), outcome.label(lang)));
        }
    };
    // One optional tap after a reached call: never a step before the next contact.
    let toggle_protection = move |_| {
        let Some((attempt, on)) = *reached.peek() else { return };
        let p = if on { Protection::Unknown } else { Protection::Yes };
        if ui.write(|app| app.set_attempt_protection(attempt, p)).is_some() {
            reached.set(Some((attempt, !on)));
        }
    };
    let met = move |ad: Ad| {
        if let Some(m) = ui.write(|app| app.meet_from_ad(id, ad.id)) {
            ui.say(ui.t(T::MeetingSaved));
            meeting.set(Some(m));
        }
    };
    let massage = move |(g, n, k, protected): (Gender, Nationality, u32, bool)| {
        let protection = if protected { Protection::Yes } else { Protection::Unknown };
        if let Some(k) = ui.write(|app| {
            let visit = app::MassageVisit { province, comune: None, persons: vec![(g, n, k)], protection };
            app.record_massage_visit(id, &visit)
        }) {
            ui.say(format!("{}: {k}", ui.t(T::MassageCentre)));
        }
    };
    let undo = move |_| match ui.write(|app| app.undo_last_indoor(id)) {
        Some(Some(_)) => {
            current.set(None);
            calling.set(None);
            ui.say(ui.t(T::Undone));
        }
        Some(None) => ui.say(ui.t(T::NothingToUndo)),
        None => {}
    };
    let mut save_meeting = move |(mid, d): (i64, ContactData)| {
        if ui.write(|app| app.update_meeting(mid, &d)).is_some() {
            ui.say(ui.t(T::Saved));
            meeting.set(None);
        }
    };
    let current_ad = current().and_then(|c| ads.iter().find(|a| a.id == c).cloned());

    rsx! {
        section { class: "indoor", "data-session": "{id}",
            SessionHead { session: data.session.clone(), counts: data.counts, lang }
            if closed {
                p { class: "muted", {ui.t(T::SessionClosed)} }
            } else {
                AdForm { draft, saved: data.counts.ads, sites: ui.settings.read().sites.clone(), province, history: data.history.clone(), lang, on_save: save_ad }
                if let Some(ad) = current_ad {
                    CurrentAd { ad, calling: calling(), channel: channel(), lang,
                        reached: reached().map(|(_, on)| on), on_protection: toggle_protection,
                        on_channel: move |c| channel.set(c), on_attempt: attempt, on_met: met }
                    crate::ui::components::CampaignChips { value: campaign(), lang, on_change: move |c| campaign.set(c) }
                }
                if let Some((mid, initial)) = meeting() {
                    DetailSheet { key: "{mid}", initial, identity: true, lang, on_close: move |_| meeting.set(None),
                        on_save: move |d: ContactData| save_meeting((mid, d)) }
                }
                MassageVisit { lang, on_add: massage }
            }
            h3 { {ui.t(T::Ads)} }
            AdList { ads: data.ads, shared: data.shared, current: current(), lang,
                on_select: move |ad| {
                    current.set(Some(ad));
                    calling.set(None);
                    reached.set(None);
                },
            }
        }
        BottomBar {
            button { id: "indoor-undo", class: "ghost", disabled: closed, onclick: undo, {ui.t(T::Undo)} }
            if closed {
                button { id: "reopen-session", onclick: move |_| { let _ = ui.write(|app| app.reopen_indoor_session(id)); }, {ui.t(T::Reopen)} }
            } else {
                button { id: "end-session", class: "primary",
                    onclick: move |_| {
                        if ui.write(|app| app.close_indoor_session(id, Utc::now())).is_some() {
                            ui.screen.set(Screen::Home);
                        }
                    },
                    {ui.t(T::EndSession)}
                }
            }
        }
    }
}

/// Date, province, operators; the funnel from ads to persons met.
#[component]
fn SessionHead(
    /// The session.
    session: IndoorSession,
    /// Its funnel so far.
    counts: SessionCounts,
    /// Language of the labels.
    lang: Lang,
) -> Element {
    let t = |t: T| t.get(lang);
    rsx! {
        div { class: "outing-head",
            span { class: "badge", {t(T::Indoor)} }
            span { {session.date.format("%d/%m/%Y").to_string()} }
            span { "{session.province.name()} ({session.province.code()})" }
            span { class: "muted", "{session.operators} {t(T::OperatorsShort)}" }
        }
        div { id: "funnel", class: "totals funnel", "aria-live": "polite",
            span { {t(T::Ads)} " " strong { id: "f-ads", "{counts.ads}" } }
            span { "→ " {t(T::Calls)} " " strong { id: "f-calls", "{counts.calls}" } }
            span { "+ " {t(T::Messages)} " " strong { id: "f-messages", "{counts.messages}" } }
            span { "→ " {t(T::Contacts)} " " strong { id: "f-contacts", "{counts.contacts}" } }
            span { "→ " {t(T::Met)} " " strong { id: "f-met", "{counts.met}" } }
        }
    }
}

/// The new ad: site, gender, declared nationality, number (with what is known of it), age,
/// comune, risky services; Enter saves.
#[component]
fn AdForm(
    /// The ad being written.
    draft: Signal<Draft>,
    /// Ads saved so far: the nationality search starts afresh after each.
    saved: u64,
    /// The unit's ad sites.
    sites: Vec<String>,
    /// The session's province (comuni are offered from it).
    province: Province,
    /// What is known of the number typed.
    history: Option<NumberHistory>,
    /// Language of the labels.
    lang: Lang,
    /// Called on Enter or "save".
    on_save: EventHandler<()>,
) -> Element {
    let d = draft();
    let t = |t: T| t.get(lang);
    rsx! {
        form { id: "ad-form", class: "ad-form",
            onsubmit: move |e: FormEvent| {
                e.prevent_default();
                on_save.call(());
            },
            div { class: "row",
                label { class: "grow", {t(T::Site)}
                    select { id: "ad-site", onchange: move |e| draft.write().site = e.value(),
                        for s in sites {
                            option { key: "{s}", value: "{s}", selected: d.site == s, "{s}" }
                        }
                    }
                }
                GenderPicker { id: "ad-g", value: Some(d.gender), lang, on_change: move |g| draft.write().gender = g }
            }
            label { {t(T::DeclaredNationality)}
                NationalityPicker { key: "{saved}", id: "ad-nat", value: Some(d.nat), limit: MATCHES, lang,
                    on_pick: move |n| draft.write().nat = n,
                    button { r#type: "button", id: "ad-nat-zz", class: "small",
                        onclick: move |_| draft.write().nat = Nationality::UNKNOWN, {t(T::NotDeclared)} }
                }
            }
            div { class: "row",
                input { id: "ad-number", r#type: "tel", autocomplete: "off", class: "grow", inputmode: "tel",
                    placeholder: t(T::PhoneNumber), value: "{d.number}", oninput: move |e| draft.write().number = e.value() }
                input { id: "ad-age", r#type: "number", min: "{DECLARED_AGE.start()}", max: "{DECLARED_AGE.end()}", class: "age",
                    placeholder: t(T::Age), value: "{d.age}", oninput: move |e| draft.write().age = e.value() }
            }
            if let Some(h) = history {
                p { id: "number-history", class: if h.likely_controller() { "warn" } else { "muted" }, {number_note(lang, &h)} }
            }
            ComunePicker { id: "ad-comune", value: d.comune, province, limit: COMUNI, placeholder: t(T::ComuneOptional),
                option_class: "ad-comune-option", on_pick: move |c| draft.write().comune = c,
                label { class: "check",
                    input { id: "ad-risky", r#type: "checkbox", checked: d.risky, onchange: move |e| draft.write().risky = e.checked() }
                    {t(T::RiskyServices)}
                }
            }
            button { id: "save-ad", class: "primary", r#type: "submit", {t(T::SaveAd)} }
        }
    }
}

/// The ad being called: its links, the channel, one tap per outcome, "met".
#[component]
fn CurrentAd(
    /// The ad.
    ad: Ad,
    /// Its number in E.164 while it is being called (never stored).
    calling: Option<String>,
    /// The channel of the next attempt.
    channel: Channel,
    /// Language of the labels.
    lang: Lang,
    /// Called with the channel tapped.
    on_channel: EventHandler<Channel>,
    /// Called with the outcome of an attempt.
    on_attempt: EventHandler<Outcome>,
    /// Called when the person was met.
    on_met: EventHandler<Ad>,
    /// After a call that reached someone: whether they were said to seek or hold protection.
    reached: Option<bool>,
    /// Called when the protection toggle is tapped.
    on_protection: EventHandler<()>,
) -> Element {
    let pressed: Vec<usize> = Channel::ALL.iter().position(|c| *c == channel).into_iter().collect();
    let a = ad.clone();
    rsx! {
        div { id: "current-ad", class: "sheet current-ad", "data-ad": "{ad.id}",
            p { strong { "{ad.data.site}" } " · {ad.data.gender.code()} · " {ad.data.nationality.label(lang)}
                span { class: "muted", " · {ad.attempts} {T::AttemptsShort.get(lang)}" } }
            if let Some(e164) = calling {
                div { class: "row",
                    a { id: "call-link", class: "button", href: "tel:{e164}", {T::CallIt.get(lang)} }
                    a { id: "wa-link", class: "button", href: "https://wa.me/{e164.trim_start_matches('+')}",
                        target: "_blank", rel: "noreferrer", "WhatsApp" }
                }
                p { id: "dialer-log-note", class: "hint", {T::DialerLogNote.get(lang)} }
            }
            ChipGroup { class: "segmented channels", item_class: "seg", required: true, pressed,
                on_change: move |p: Vec<usize>| if let Some(&i) = p.first() { on_channel.call(Channel::ALL[i]) },
                for (i, ch) in Channel::ALL.iter().copied().enumerate() {
                    Chip { key: "{ch.code()}", index: i, "data-channel": ch.code(), {ch.label(lang)} }
                }
            }
            div { class: "outcomes",
                for o in Outcome::ALL.iter().copied() {
                    button { r#type: "button", key: "{o.code()}", class: "outcome", "data-outcome": o.code(),
                        onclick: move |_| on_attempt.call(o), {o.label(lang)} }
                }
            }
            if let Some(on) = reached {
                button { id: "attempt-protection", class: "chip toggle", r#type: "button", "aria-pressed": "{on}",
                    onclick: move |_| on_protection.call(()), {T::ReachedProtection.get(lang)} }
            }
            button { id: "met", class: "primary", r#type: "button", onclick: move |_| on_met.call(a.clone()), {T::MetPerson.get(lang)} }
        }
    }
}

/// The session's ads; a tap makes one current. Numbers shared with other ads are flagged.
#[component]
fn AdList(
    /// The ads, newest first.
    ads: Vec<Ad>,
    /// What is known of the numbers shared by several ads.
    shared: HashMap<i64, NumberHistory>,
    /// The current ad.
    current: Option<i64>,
    /// Language of the labels.
    lang: Lang,
    /// Called with the ad tapped.
    on_select: EventHandler<i64>,
) -> Element {
    rsx! {
        ul { class: "outings ads",
            for a in ads.iter() {
                {
                    let ad_id = a.id;
                    let note = shared.get(&a.id).filter(|h| h.ads_total > 1).map(|h| number_note(lang, h));
                    rsx! {
                        li { key: "{a.id}", class: if current == Some(a.id) { "ad-row on" } else { "ad-row" }, "data-ad-id": "{a.id}",
                            onclick: move |_| on_select.call(ad_id),
                            div { class: "when", strong { "{a.data.site}" } " · {a.data.gender.code()} · " {a.data.nationality.label(lang)} }
                            div { class: "what", "{a.attempts} {T::AttemptsShort.get(lang)} · {a.reached} {T::ContactsShort.get(lang)}"
                                if let Some(n) = note { span { class: "warn", " · {n}" } } }
                        }
                    }
                }
            }
        }
    }
}

/// "Seen on 12/03/2024 · in 3 ads: likely controller".
fn number_note(lang: Lang, h: &NumberHistory) -> String {
    let mut parts = Vec::new();
    if let Some(d) = h.earlier_dates.first() {
        parts.push(format!("{} {}", T::SeenOn.get(lang), d.format("%d/%m/%Y")));
    }
    if h.ads_total > 0 {
        parts.push(format!("{} {} {}", T::InAds.get(lang), h.ads_total, T::AdsLower.get(lang)));
    }
    if h.likely_controller() {
        parts.push(T::LikelyController.get(lang).to_owned());
    }
    if parts.is_empty() {
        parts.push(T::NewNumber.get(lang).to_owned());
    }
    parts.join(" · ")
}

/// Persons contacted in a massage centre: gender, nationality, how many; one tap adds.
#[component]
fn MassageVisit(
    /// Language of the labels.
    lang: Lang,
    /// Called with the persons to add: gender, nationality, how many, whether they seek or
    /// hold protection.
    on_add: EventHandler<(Gender, Nationality, u32, bool)>,
) -> Element {
    let mut open = use_signal(|| false);
    let mut protected = use_signal(|| false);
    let mut gender = use_signal(|| Gender::F);
    let mut nat = use_signal(|| Nationality::parse("CN").expect("a valid code"));
    let mut n = use_signal(|| *MASSAGE_VISIT_PERSONS.start());
    rsx! {
        if open() {
            fieldset { id: "massage", class: "massage",
                legend { {T::MassageCentre.get(lang)} }
                GenderPicker { id: "massage-g", value: Some(gender()), lang, on_change: move |g| gender.set(g) }
                NationalityPicker { id: "massage-nat", value: Some(nat()), limit: MATCHES, lang, on_pick: move |x| nat.set(x) }
                Stepper { id: "massage-n", class: "inline", label: T::People.get(lang), range: MASSAGE_VISIT_PERSONS,
                    value: n(), on_change: move |x| n.set(x) }
                button { id: "massage-protection", class: "chip toggle", r#type: "button", "aria-pressed": "{protected()}",
                    onclick: move |_| protected.toggle(), {T::MassageProtection.get(lang)} }
                button { id: "add-massage", class: "primary", r#type: "button",
                    onclick: move |_| {
                        on_add.call((gender(), nat(), n(), protected()));
                        n.set(*MASSAGE_VISIT_PERSONS.start());
                        protected.set(false);
                    },
                    {T::AddPersons.get(lang)}
                }
            }
        } else {
            button { id: "massage-open", class: "ghost small", r#type: "button", onclick: move |_| open.set(true),
                {T::MassageCentre.get(lang)} }
        }
    }
}
