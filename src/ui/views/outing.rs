//! The outing: the current stop, "known here" (one tap a known person), the tally (gender
//! then nationality: two taps a person), +N, undo, the optional detail sheet with the
//! person of the register (short name, merge and its undo) and the running totals.

use std::time::{Duration, Instant};

use dioxus::prelude::*;
use uuid::Uuid;

use crate::app::Area;
use crate::domain::rules::PEOPLE_PER_TAP;
use crate::domain::tables::Mft;
use crate::domain::{
    Activity, Comune, ContactData, Gender, Lang, Nationality, Outing, OutingStatus, Person, PersonDetails, Place, Shift,
};
use crate::ui::components::{
    BottomBar, ComunePicker, DetailSheet, DiaryPanel, GenderPicker, NationalityButton, NationalityPicker, PersonFields,
    PersonPicker, PresenceRow, SectorChips, SettingChips, Stepper, Toggle, person_summary,
};
use crate::ui::{Screen, T, Ui};

/// A press this long on a nationality asks how many people.
const LONG_PRESS: Duration = Duration::from_millis(550);
/// Nationalities offered while typing on the tally.
const MATCHES: usize = 8;
/// Comuni offered while typing.
const COMUNI: usize = 8;
/// How long "same person as…" can be taken back from its message.
const UNDO_MERGE_FOR: Duration = Duration::from_secs(8);

/// The outing screen.
#[component]
pub fn OutingScreen(
    /// The outing recorded.
    id: Uuid,
) -> Element {
    let mut ui: Ui = use_context();
    let mut picking = use_signal(|| false);
    let mut gender = use_signal(|| None::<Gender>);
    let mut count = use_signal(|| *PEOPLE_PER_TAP.start());
    let mut last = use_signal(|| None::<i64>);
    let mut sheet = use_signal(|| None::<i64>);
    let mut asking = use_signal(|| false);
    let mut recorded = use_signal(|| 0u64);
    let mut diary_open = use_signal(|| false);
    // The register: the "known here" search, the short name typed in the sheet (for the
    // person it was typed for), the "same person as…" search, the merge that can be undone.
    let mut known_query = use_signal(String::new);
    let mut name_typed = use_signal(|| None::<(i64, String)>);
    let mut merge_query = use_signal(String::new);
    let mut merged = use_signal(|| None::<((i64, i64), String)>);
    let lang = ui.lang();
    let (kq, mq) = (known_query(), merge_query());
    let loaded = ui.read(&[Area::Outings], |app| {
        let data = app.outing_view(id, sheet())?;
        let found = app.search_persons(&kq)?;
        let candidates = match &data.person {
            Some(p) => app.person_view(p.id, &mq)?.candidates,
            None => Vec::new(),
        };
        let presences = match data.stops.last() {
            Some(s) => app.presences(s.id)?,
            None => Mft::default(),
        };
        let notes = if diary_open() { app.outing_notes(id)? } else { Vec::new() };
        Ok((data, found, candidates, presences, notes))
    });
    let Some((data, found, candidates, presences, notes)) = loaded else {
        return rsx! { p { class: "muted", {ui.t(T::NoOutings)} } };
    };
    let current = data.stops.last().cloned();
    let closed = data.outing.status == OutingStatus::Closed;
    // A desk session: one stop (the desk's comune, chosen at the start); its persons can
    // be interviewed from the sheet.
    let desk = data.outing.activity == Activity::Desk;
    let desk_province = current.as_ref().map(|s| s.place.province);
    let stop_id = current.as_ref().map(|s| s.id);

    let mut record = move |nat: Nationality| {
        let Some(stop) = stop_id else {
            ui.say(ui.t(T::PickStopFirst));
            return;
        };
        let Some(g) = *gender.peek() else {
            ui.say(ui.t(T::PickGenderFirst));
            return;
        };
        let n = (*count.peek()).clamp(*PEOPLE_PER_TAP.start(), *PEOPLE_PER_TAP.end());
        if let Some(done) = ui.write(|app| app.tally(stop, g, nat, n)) {
            last.set(done.last().map(|c| c.id));
            let times = if n > 1 { format!(" ×{n}") } else { String::new() };
            ui.say(format!("{}: {} · {}{times}", ui.t(T::Recorded), g.code(), nat.label(lang)));
            gender.set(None);
            count.set(*PEOPLE_PER_TAP.start());
            asking.set(false);
            *recorded.write() += 1;
        }
    };
    let tap = move |(n, long): (Nationality, bool)| {
        if long && !asking() {
            asking.set(true);
            ui.say(ui.t(T::HowMany));
        } else {
            record(n);
        }
    };
    // One tap on a known person: recorded again at this stop with the kit.
    let record_known = move |p: Person| {
        let Some(stop) = stop_id else {
            ui.say(ui.t(T::PickStopFirst));
            return;
        };
        if let Some(c) = ui.write(|app| app.record_known(stop, p.id)) {
            last.set(Some(c.id));
            ui.say(format!("{}: {}", ui.t(T::Recorded), person_summary(&p, lang)));
            known_query.set(String::new());
            gender.set(None);
            *recorded.write() += 1;
        }
    };
    let person = data.person.clone();
    let person_id = person.as_ref().map(|p| p.id);
    let name_shown = match (&person, name_typed()) {
        (Some(p), Some((typed_for, typed))) if typed_for == p.id => typed,
        (Some(p), _) => p.name.clone().unwrap_or_default(),
        (None, _) => String::new(),
    };
    let mut close_sheet = move || {
        sheet.set(None);
        name_typed.set(None);
        merge_query.set(String::new());
    };
    // Who the person is goes to the register (every contact of theirs follows), what this
    // contact got stays with the contact.
    let name_saved = name_shown.clone();
    let mut save_details = move |(cid, d): (i64, ContactData)| {
        if let Some(pid) = person_id {
            let details = PersonDetails {
                name: Some(name_saved.clone()),
                gender: d.gender,
                nationality: d.nationality,
                age_band: d.age_band,
                protection: d.protection,
            };
            if ui.write(|app| app.update_person(pid, &details)).is_none() {
                return;
            }
        }
        if ui.write(|app| app.update_contact(cid, &d)).is_some() {
            ui.say(ui.t(T::Saved));
            close_sheet();
        }
    };
    // "Same person as…": this contact's person joins the one chosen, which is kept.
    let merge = move |kept: Person| {
        let Some(absorbed) = person_id else { return };
        if let Some(m) = ui.write(|app| app.merge_persons(kept.id, absorbed)) {
            merge_query.set(String::new());
            ui.toast.set(None);
            let text = format!("{}: {}", ui.t(T::MergedInto), person_summary(&kept, lang));
            let pair = (m.kept, m.absorbed);
            merged.set(Some((pair, text)));
            spawn(async move {
                tokio::time::sleep(UNDO_MERGE_FOR).await;
                if merged.peek().as_ref().map(|(x, _)| *x) == Some(pair) {
                    merged.set(None);
                }
            });
        }
    };
    let undo_merge = move |_| {
        merged.set(None);
        match ui.write(|app| app.undo_merge()) {
            Some(Some(_)) => ui.say(ui.t(T::Undone)),
            Some(None) => ui.say(ui.t(T::NothingToUndo)),
            None => {}
        }
    };
    let tallying = !closed && !picking() && current.is_some();
    // The row shows the persons known here, and the search finds one met elsewhere.
    let show_known = data.anyone_known;
    let known = if kq.trim().is_empty() { data.known.clone() } else { found };
    let undo = move |_| match ui.write(|app| app.undo_last_contact(id)) {
        Some(Some(c)) => {
            ui.say(format!("{}: {} · {}", ui.t(T::Undone), c.data.gender.code(), c.data.nationality.label(lang)));
            if last() == Some(c.id) {
                last.set(None);
            }
            if sheet() == Some(c.id) {
                sheet.set(None);
            }
        }
        Some(None) => ui.say(ui.t(T::NothingToUndo)),
        None => {}
    };

    rsx! {
        section { class: "outing", "data-outing": "{id}",
            OutingHead { outing: data.outing.clone(), totals: data.totals, lang }
            div { class: "stop-line",
                match &current {
                    Some(s) => rsx! {
                        span { id: "current-stop", class: "stop-name", "{place_name(&s.place)}" }
                        if let Some(l) = &s.label { span { class: "muted", " · {l}" } }
                    },
                    None => rsx! { span { class: "muted", {ui.t(T::PickStopFirst)} } },
                }
                if !closed && !desk {
                    button { id: "change-stop", class: "small", onclick: move |_| picking.set(true),
                        {ui.t(if current.is_some() { T::ChangeStop } else { T::NewStop })}
                    }
                }
            }
            // Optional outreach facts: never a step before a contact.
            if !closed && data.outing.activity == Activity::Street {
                MappingToggle { outing: id, on: data.outing.mapping }
            }
            if let (false, Activity::Labour, Some(s)) = (closed, data.outing.activity, stop_id) {
                StopLabourPanel { key: "{s}", stop: s }
            }
            if tallying && show_known {
                PersonPicker { id: "known", title: ui.t(T::KnownHere), placeholder: ui.t(T::SearchPerson),
                    query: kq, persons: known, lang,
                    on_search: move |q| known_query.set(q), on_pick: record_known }
            }
            if !closed && (picking() || current.is_none()) {
                StopPicker { recent: data.recent_places.clone(), lang,
                    on_message: move |t: T| ui.say(ui.t(t)),
                    on_add: move |(place, label): (Place, Option<String>)| {
                        let label = label.filter(|l| !l.trim().is_empty());
                        if ui.write(|app| app.add_stop(id, place, label.as_deref())).is_some() {
                            picking.set(false);
                        }
                    },
                }
            } else if !closed {
                TallyPanel { key: "{recorded}", frequent: data.frequent.clone(), groups: data.groups.clone(), gender: gender(), count: count(), asking: asking(), lang,
                    on_gender: move |g| gender.set(Some(g)), on_count: move |n| count.set(n), on_tap: tap }
            }
            if tallying && !desk {
                PresenceRow { counts: presences, lang,
                    on_tap: move |g: Gender| {
                        if let Some(stop) = stop_id {
                            ui.write(|app| app.add_presence(stop, g));
                        }
                    },
                }
            }
            button { id: "open-diary", class: "ghost small", aria_expanded: "{diary_open()}",
                onclick: move |_| diary_open.toggle(), {ui.t(T::Diary)} }
            if diary_open() {
                DiaryPanel { notes, lang,
                    on_save: move |body: String| {
                        if ui.write(|app| app.add_outing_note(id, &body)).is_some() {
                            ui.say(ui.t(T::Saved));
                        }
                    },
                }
            }
            if let (Some(cid), Some(initial)) = (sheet(), data.contact.clone()) {
                // Keyed by the person too: after a merge or its undo the sheet shows them afresh.
                DetailSheet { key: "{cid}-{person_id:?}", initial, identity: false, lang, on_close: move |_| close_sheet(),
                    on_save: move |d: ContactData| save_details((cid, d)),
                    if data.outing.activity == Activity::Labour {
                        ContactLabourPanel { key: "{cid}", contact: cid }
                    }
                    if let (true, Some(pid)) = (desk, person_id) {
                        button { id: "interview-person", class: "primary small",
                            onclick: move |_| ui.screen.set(Screen::Person { id: pid, from: Some(id), province: desk_province, interview: true }),
                            {ui.t(T::Interview)}
                        }
                    }
                    if let Some(p) = person {
                        PersonFields { person: p.clone(), name: name_shown.clone(), merge_query: mq, candidates, lang,
                            on_name: move |n| name_typed.set(Some((p.id, n))),
                            on_merge_search: move |q| merge_query.set(q), on_merge: merge }
                    }
                }
            }
            if let Some((_, text)) = merged() {
                div { id: "merge-toast", class: "toast action-toast", role: "status",
                    span { "{text}" }
                    button { id: "undo-merge", class: "ghost", onclick: undo_merge, {ui.t(T::UndoMerge)} }
                }
            }
        }
        BottomBar {
            if !closed {
                button { id: "undo", class: "ghost", onclick: undo, {ui.t(T::Undo)} }
                button { id: "details", class: "ghost", disabled: last().is_none(), onclick: move |_| sheet.set(last()),
                    {ui.t(T::Details)}
                }
            }
            button { id: "end-outing", class: "primary", onclick: move |_| ui.screen.set(Screen::Summary(id)),
                {ui.t(T::EndOuting)}
            }
        }
    }
}

/// "Brescia (BS)", or the province alone.
pub fn place_name(place: &Place) -> String {
    match place.comune {
        Some(c) => format!("{} ({})", c.name(), place.province.code()),
        None => format!("{} ({})", place.province.name(), place.province.code()),
    }
}

/// Shift, date and activity; the running totals by gender.
#[component]
fn OutingHead(
    /// The outing.
    outing: Outing,
    /// Its persons so far.
    totals: Mft,
    /// Language of the labels.
    lang: Lang,
) -> Element {
    rsx! {
        div { class: "outing-head",
            span { class: "badge", {T::get(if outing.shift == Shift::Day { T::Day } else { T::Night }, lang)} }
            span { {outing.date.format("%d/%m/%Y").to_string()} }
            span { class: "badge", {outing.activity.label(lang)} }
            if outing.activity == Activity::Desk {
                if let Some(n) = outing.team_size {
                    span { id: "desk-operators-shown", "{n} {T::OperatorsShort.get(lang)}" }
                }
                if let Some(l) = outing.mediator_language {
                    span { id: "desk-mediator-shown", class: "badge", "{T::MediatorShort.get(lang)} {l.label(lang)}" }
                }
            }
        }
        div { id: "totals", class: "totals", "data-total": "{totals.total()}", "aria-live": "polite",
            span { class: "total", "{T::Total.get(lang)} " strong { id: "total", "{totals.total()}" } }
            span { "M " strong { id: "total-M", "{totals.m}" } }
            span { "F " strong { id: "total-F", "{totals.f}" } }
            span { "T " strong { id: "total-T", "{totals.t}" } }
        }
    }
}

/// The tally: gender, then a nationality (frequent ones, the groups, or by search); a long
/// press on a nationality asks how many first.
#[component]
fn TallyPanel(
    /// The unit's most frequent nationalities.
    frequent: Vec<Nationality>,
    /// The groups and "non rilevata", always one tap away.
    groups: Vec<Nationality>,
    /// The gender chosen for the next person.
    gender: Option<Gender>,
    /// How many persons the next tap records.
    count: u32,
    /// A long press asked how many.
    asking: bool,
    /// Language of the labels.
    lang: Lang,
    /// Called with the gender tapped.
    on_gender: EventHandler<Gender>,
    /// Called with the new "+N".
    on_count: EventHandler<u32>,
    /// Called with the nationality tapped and whether the press was long.
    on_tap: EventHandler<(Nationality, bool)>,
) -> Element {
    let mut pressed = use_signal(|| None::<Instant>);
    let on_press = move |_| pressed.set(Some(Instant::now()));
    let on_pick = move |n: Nationality| {
        let long = pressed.take().is_some_and(|t| t.elapsed() >= LONG_PRESS);
        on_tap.call((n, long));
    };
    rsx! {
        div { class: "tally",
            GenderPicker { id: "g", value: gender, lang, full: true, on_change: on_gender }
            div { class: "nats",
                for n in frequent {
                    NationalityButton { key: "{n.code()}", nationality: n, class: "nat", lang, on_press, on_pick }
                }
            }
            div { class: "nats groups",
                for n in groups {
                    NationalityButton { key: "{n.code()}", nationality: n, class: "nat group", lang, on_press, on_pick }
                }
            }
            NationalityPicker { id: "nat", limit: MATCHES, lang, matches_class: "found", on_press, on_pick,
                Stepper { id: "count-n", class: if asking { "count asking" } else { "count" }, plus: true,
                    label: T::HowMany.get(lang), range: PEOPLE_PER_TAP, value: count, on_change: on_count }
            }
        }
    }
}

/// Choosing the stop: recent places first, a search by comune name, or "qui".
#[component]
fn StopPicker(
    /// Recent places and their labels.
    recent: Vec<(Place, Option<String>)>,
    /// Language of the labels.
    lang: Lang,
    /// Called with the place and label chosen.
    on_add: EventHandler<(Place, Option<String>)>,
    /// Called with what to tell the worker (the position could not be found).
    on_message: EventHandler<T>,
) -> Element {
    let mut label = use_signal(String::new);
    let mut chosen = use_signal(|| None::<Comune>);
    let here = move |_| {
        spawn(async move {
            match locate_once().await {
                Some((lat, lon)) => match crate::locate::comune_at(lat, lon) {
                    Some(c) => chosen.set(Some(c)),
                    None => on_message.call(T::HereOutside),
                },
                None => on_message.call(T::HereFailed),
            }
        });
    };
    rsx! {
        div { id: "stop-picker", class: "sheet stop-picker",
            if !recent.is_empty() {
                h3 { {T::RecentStops.get(lang)} }
                div { class: "recent",
                    for (i, (place, l)) in recent.into_iter().enumerate() {
                        button { key: "{i}", class: "recent-stop",
                            onclick: { let l = l.clone(); move |_| on_add.call((place, l.clone())) },
                            "{place_name(&place)}"
                            if let Some(l) = &l { span { class: "muted", " · {l}" } }
                        }
                    }
                }
            }
            ComunePicker { id: "comune-search", value: chosen(), limit: COMUNI, placeholder: T::SearchComune.get(lang),
                on_pick: move |c| chosen.set(c),
                button { id: "here", class: "small", onclick: here, {T::Here.get(lang)} }
            }
            input { id: "stop-label", r#type: "text", placeholder: T::StopLabel.get(lang), autocomplete: "off",
                value: "{label}", oninput: move |e| label.set(e.value()) }
            button { id: "add-stop", class: "primary", disabled: chosen().is_none(),
                onclick: move |_| {
                    if let Some(c) = chosen() {
                        on_add.call((Place::comune(c), Some(label())));
                    }
                },
                {T::AddStop.get(lang)}
            }
            p { class: "credit muted", {T::DataCredit.get(lang)} }
        }
    }
}

/// The position, asked once from the platform; `None` when it gives none. The caller turns
/// it into a comune and drops it: coordinates are never stored.
async fn locate_once() -> Option<(f64, f64)> {
    let js = r#"
        return await new Promise((resolve) => {
            if (!navigator.geolocation) { resolve(null); return; }
            navigator.geolocation.getCurrentPosition(
                (p) => resolve([p.coords.latitude, p.coords.longitude]),
                () => resolve(null),
                { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
        });"#;
    document::eval(js).join::<Option<(f64, f64)>>().await.ok().flatten()
}

/// A street outing's mapping-night flag (`#mapping-toggle`): set by itself on a mapping
/// night, set or unset here.
#[component]
fn MappingToggle(
    /// The outing.
    outing: Uuid,
    /// Flagged now.
    on: bool,
) -> Element {
    let mut ui: Ui = use_context();
    rsx! {
        div { class: "outreach-line",
            Toggle { id: "mapping-toggle", on, text: ui.t(T::MappingNight),
                on_change: move |v: bool| { ui.write(|app| app.set_outing_mapping(outing, v)); } }
        }
    }
}

/// A labour stop's sector (`#stop-sector`), setting (`#stop-setting`) and joint
/// inspection (`#joint-inspection`): its contacts' defaults.
#[component]
fn StopLabourPanel(
    /// The stop.
    stop: i64,
) -> Element {
    let mut ui: Ui = use_context();
    let lang = ui.lang();
    let Some(now) = ui.read(&[Area::Outings], |app| app.stop_labour(stop)) else { return rsx! {} };
    rsx! {
        details { class: "outreach-line", open: now.sector.is_none() && now.setting.is_none(),
            summary { {ui.t(T::Sector)} }
            SectorChips { id: "stop-sector", sector: now.sector, label: ui.t(T::Sector), lang,
                on_change: move |v| { ui.write(|app| app.set_stop_sector(stop, v)); } }
            SettingChips { id: "stop-setting", setting: now.setting, label: ui.t(T::SettingOfPlace), lang,
                on_change: move |v| { ui.write(|app| app.set_stop_setting(stop, v)); } }
            Toggle { id: "joint-inspection", on: now.joint_inspection, text: ui.t(T::JointInspection),
                on_change: move |v: bool| { ui.write(|app| app.set_joint_inspection(stop, v)); } }
        }
    }
}

/// A labour contact's own sector (`#contact-sector`) and setting (`#contact-setting`),
/// in the detail sheet; unset, the stop's apply.
#[component]
fn ContactLabourPanel(
    /// The contact.
    contact: i64,
) -> Element {
    let mut ui: Ui = use_context();
    let lang = ui.lang();
    let Some(now) = ui.read(&[Area::Outings], |app| app.contact_labour(contact)) else { return rsx! {} };
    rsx! {
        div { class: "field",
            span { class: "label", {ui.t(T::Sector)} }
            SectorChips { id: "contact-sector", sector: now.sector, label: ui.t(T::Sector), lang,
                on_change: move |v| { ui.write(|app| app.set_contact_sector(contact, v)); } }
            span { class: "label", {ui.t(T::SettingOfPlace)} }
            SettingChips { id: "contact-setting", setting: now.setting, label: ui.t(T::SettingOfPlace), lang,
                on_change: move |v| { ui.write(|app| app.set_contact_setting(contact, v)); } }
        }
    }
}
