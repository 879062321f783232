//! The outing: the current stop, the tally (gender then nationality: two taps a person),
//! +N, undo, the optional detail sheet and the running totals.

use std::time::{Duration, Instant};

use dioxus::prelude::*;
use uuid::Uuid;

use super::{Screen, T, Ui};
use crate::domain::{
    AgeBand, Comune, ContactData, Gender, ItemKey, ItemKind, Language, Nationality, OutingStatus, Place, Protection,
    ServiceKind, Shift,
};

/// Buttons for the unit's most frequent nationalities.
const FREQUENT: usize = 8;
/// Shown until the unit has its own history.
const STARTER: [&str; FREQUENT] = ["RO", "NG", "AL", "BR", "BG", "MA", "CN", "PE"];
/// The groups and "non rilevata", always one tap away.
const GROUPS: [&str; 6] = ["XE", "XS", "XO", "XA", "XX", "ZZ"];
/// A press this long on a nationality asks how many people.
const LONG_PRESS: Duration = Duration::from_millis(550);

/// The outing screen.
#[component]
pub fn OutingScreen(id: Uuid) -> Element {
    let mut ui: Ui = use_context();
    let Some(outing) = ui.read(|s| s.outing(id)) else {
        return rsx! { p { class: "muted", {ui.t(T::NoOutings)} } };
    };
    let stops = ui.read(|s| s.stops(id)).unwrap_or_default();
    let totals = ui.read(|s| s.outing_totals(id)).unwrap_or_default();
    let mut picking = use_signal(|| false);
    let current = stops.last().cloned();
    let closed = outing.status == OutingStatus::Closed;

    let mut gender = use_signal(|| None::<Gender>);
    let mut count = use_signal(|| 1u32);
    let mut last = use_signal(|| None::<i64>);
    let mut sheet = use_signal(|| None::<i64>);
    let mut query = use_signal(String::new);
    let mut pressed = use_signal(|| None::<Instant>);
    let mut asking = use_signal(|| false);
    let lang = ui.lang();

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
        let n = (*count.peek()).clamp(1, 500);
        let mut data = ContactData::new(g, nat);
        data.items = ui.settings.peek().kit.0.clone();
        if let Some(done) = ui.write(|s| s.record_contacts(stop, &data, n)) {
            last.set(done.last().map(|c| c.id));
            let times = if n > 1 { format!(" ×{n}") } else { String::new() };
            ui.say(format!("{}: {} · {}{times}", ui.t(T::Recorded), g.code(), nat.label(lang)));
            gender.set(None);
            count.set(1);
            query.set(String::new());
            asking.set(false);
        }
    };

    let frequent = {
        let mut f = ui.read(|s| s.frequent_nationalities(FREQUENT)).unwrap_or_default();
        f.retain(|n| !GROUPS.contains(&n.code()));
        for code in STARTER {
            let n = Nationality::parse(code).expect("starter codes are valid");
            if f.len() < FREQUENT && !f.contains(&n) {
                f.push(n);
            }
        }
        f
    };
    let groups: Vec<Nationality> = GROUPS.iter().map(|c| Nationality::parse(c).expect("group codes")).collect();
    let found: Vec<Nationality> = {
        let q = query();
        if q.trim().is_empty() { Vec::new() } else { Nationality::search(q.trim()).into_iter().take(8).collect() }
    };

    let nat_button = move |n: Nationality, class: &'static str| {
        rsx! {
            button {
                key: "{class}{n.code()}",
                class: "{class}",
                "data-code": n.code(),
                onpointerdown: move |_| pressed.set(Some(Instant::now())),
                onclick: move |_| {
                    let long = pressed.take().is_some_and(|t| t.elapsed() >= LONG_PRESS);
                    if long && !asking() {
                        asking.set(true);
                        ui.say(ui.t(T::HowMany));
                    } else {
                        record(n);
                    }
                },
                span { class: "label", {n.label(lang)} }
                span { class: "code", {n.code()} }
            }
        }
    };

    rsx! {
        section { class: "outing", "data-outing": "{id}",
            div { class: "outing-head",
                span { class: "badge", {ui.t(if outing.shift == Shift::Day { T::Day } else { T::Night })} }
                span { {outing.date.format("%d/%m/%Y").to_string()} }
                span { class: "badge", {outing.activity.label(lang)} }
            }
            div { id: "totals", class: "totals", "data-total": "{totals.total()}", "aria-live": "polite",
                span { class: "total", "{ui.t(T::Total)} " strong { id: "total", "{totals.total()}" } }
                span { "M " strong { id: "total-M", "{totals.m}" } }
                span { "F " strong { id: "total-F", "{totals.f}" } }
                span { "T " strong { id: "total-T", "{totals.t}" } }
            }
            div { class: "stop-line",
                match &current {
                    Some(s) => rsx! {
                        span { id: "current-stop", class: "stop-name", "{place_name(&s.place)}" }
                        if let Some(l) = &s.label { span { class: "muted", " · {l}" } }
                    },
                    None => rsx! { span { class: "muted", {ui.t(T::PickStopFirst)} } },
                }
                if !closed {
                    button { id: "change-stop", class: "small", onclick: move |_| picking.set(true),
                        {ui.t(if current.is_some() { T::ChangeStop } else { T::NewStop })}
                    }
                }
            }
            if !closed && (picking() || current.is_none()) {
                StopPicker { outing: id, on_done: move |_| picking.set(false) }
            } else if !closed {
                div { class: "tally",
                    div { class: "genders", role: "radiogroup", "aria-label": ui.t(T::Gender),
                        for g in Gender::ALL.iter().copied() {
                            button {
                                id: "g-{g.code()}",
                                class: if gender() == Some(g) { "gender on" } else { "gender" },
                                "aria-pressed": if gender() == Some(g) { "true" } else { "false" },
                                onclick: move |_| gender.set(Some(g)),
                                span { class: "big-letter", {g.code()} }
                                span { class: "label", {g.label(lang)} }
                            }
                        }
                    }
                    div { class: "nats", {frequent.iter().map(|n| nat_button(*n, "nat"))} }
                    div { class: "nats groups", {groups.iter().map(|n| nat_button(*n, "nat group"))} }
                    div { class: "row",
                        input { id: "nat-search", r#type: "search", placeholder: ui.t(T::SearchNationality),
                            autocomplete: "off", value: "{query}", oninput: move |e| query.set(e.value()) }
                        label { class: if asking() { "count asking" } else { "count" },
                            span { class: "sr", {ui.t(T::HowMany)} }
                            "+"
                            input { id: "count-n", r#type: "number", inputmode: "numeric", min: "1", max: "500",
                                value: "{count}",
                                oninput: move |e| count.set(e.value().trim().parse().unwrap_or(1).clamp(1, 500)) }
                        }
                    }
                    if !found.is_empty() {
                        div { class: "nats found", {found.iter().map(|n| nat_button(*n, "nat-option"))} }
                    }
                }
            }
            if let Some(cid) = sheet() {
                ContactSheet { key: "{cid}", contact: cid, on_close: move |_| sheet.set(None) }
            }
        }
        nav { class: "bottom",
            if !closed {
                button { id: "undo", class: "ghost",
                    onclick: move |_| {
                        match ui.write(|s| s.undo_last_contact(id)) {
                            Some(Some(c)) => {
                                ui.say(format!("{}: {} · {}", ui.t(T::Undone), c.data.gender.code(), c.data.nationality.label(lang)));
                                if last() == Some(c.id) { last.set(None); }
                                if sheet() == Some(c.id) { sheet.set(None); }
                            }
                            Some(None) => ui.say(ui.t(T::NothingToUndo)),
                            None => {}
                        }
                    },
                    {ui.t(T::Undo)}
                }
                button { id: "details", class: "ghost", disabled: last().is_none(),
                    onclick: move |_| sheet.set(last()),
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

/// Choosing the stop: recent places first, a search by comune name, or "qui".
#[component]
fn StopPicker(outing: Uuid, on_done: EventHandler<()>) -> Element {
    let mut ui: Ui = use_context();
    let mut query = use_signal(String::new);
    let mut label = use_signal(String::new);
    let mut chosen = use_signal(|| None::<Comune>);
    let recent = ui.read(|s| s.recent_places(5)).unwrap_or_default();
    let found: Vec<Comune> = {
        let q = query();
        if q.trim().len() < 2 { Vec::new() } else { Comune::search(q.trim(), 8) }
    };
    let mut add = move |place: Place, label: Option<String>| {
        let label = label.filter(|l| !l.trim().is_empty());
        if ui.write(|s| s.add_stop(outing, place, label.as_deref().map(str::trim))).is_some() {
            on_done.call(());
        }
    };
    let here = move |_| {
        spawn(async move {
            match locate_once().await {
                Some((lat, lon)) => match crate::locate::comune_at(lat, lon) {
                    Some(c) => {
                        chosen.set(Some(c));
                        query.set(c.name().to_owned());
                    }
                    None => ui.say(ui.t(T::HereOutside)),
                },
                None => ui.say(ui.t(T::HereFailed)),
            }
        });
    };

    rsx! {
        div { id: "stop-picker", class: "sheet stop-picker",
            if !recent.is_empty() {
                h3 { {ui.t(T::RecentStops)} }
                div { class: "recent",
                    for (i, (place, l)) in recent.into_iter().enumerate() {
                        button { key: "{i}", class: "recent-stop",
                            onclick: { let l = l.clone(); move |_| add(place, l.clone()) },
                            "{place_name(&place)}"
                            if let Some(l) = &l { span { class: "muted", " · {l}" } }
                        }
                    }
                }
            }
            div { class: "row",
                input { id: "comune-search", r#type: "search", placeholder: ui.t(T::SearchComune), autocomplete: "off",
                    value: "{query}", oninput: move |e| { query.set(e.value()); chosen.set(None); } }
                button { id: "here", class: "small", onclick: here, {ui.t(T::Here)} }
            }
            if chosen().is_none() {
                div { class: "options",
                    for c in found {
                        button { key: "{c.code()}", class: "comune-option", "data-code": c.code(),
                            onclick: move |_| { chosen.set(Some(c)); query.set(c.name().to_owned()); },
                            "{c.name()} ({c.province().code()})"
                        }
                    }
                }
            }
            input { id: "stop-label", r#type: "text", placeholder: ui.t(T::StopLabel), autocomplete: "off",
                value: "{label}", oninput: move |e| label.set(e.value()) }
            button { id: "add-stop", class: "primary", disabled: chosen().is_none(),
                onclick: move |_| {
                    if let Some(c) = chosen() {
                        add(Place::comune(c), Some(label()));
                    }
                },
                {ui.t(T::AddStop)}
            }
            p { class: "credit muted", {ui.t(T::DataCredit)} }
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

/// The detail sheet of a recorded contact, saved back to it.
#[component]
fn ContactSheet(contact: i64, on_close: EventHandler<()>) -> Element {
    let mut ui: Ui = use_context();
    let Some(initial) = ui.read(|s| s.contact(contact)).map(|c| c.data) else { return rsx! {} };
    rsx! {
        DetailSheet {
            initial,
            identity: false,
            on_save: move |d: ContactData| {
                if ui.write(|s| s.update_contact(contact, &d)).is_some() {
                    ui.say(ui.t(T::Saved));
                    on_close.call(());
                }
            },
            on_close,
        }
    }
}

/// The optional detail sheet of one person: age band, first contact, protection, items
/// (pre-filled with the kit) and services; with `identity`, gender and nationality too
/// (a person met after an indoor contact, as then known).
#[component]
pub(super) fn DetailSheet(
    initial: ContactData,
    identity: bool,
    on_save: EventHandler<ContactData>,
    on_close: EventHandler<()>,
) -> Element {
    let ui: Ui = use_context();
    let mut data = use_signal(move || Some(initial));
    let mut nat_query = use_signal(String::new);
    let lang = ui.lang();
    let Some(d) = data() else {
        return rsx! {};
    };
    let kit_language = d
        .items
        .iter()
        .find(|(k, _)| k.kind == ItemKind::Leaflets)
        .and_then(|(k, _)| k.language)
        .unwrap_or(Language::Undetermined);
    let mut edit = move |f: &dyn Fn(&mut ContactData)| {
        if let Some(d) = data.write().as_mut() {
            f(d);
        }
    };

    rsx! {
        div { id: "detail-sheet", class: "sheet detail", role: "dialog",
            h3 { "{ui.t(T::Contact)}: {d.gender.code()} · {d.nationality.label(lang)}" }
            if identity {
                div { class: "row",
                    for g in Gender::ALL.iter().copied() {
                        button { id: "detail-g-{g.code()}", class: if d.gender == g { "gender on" } else { "gender" },
                            onclick: move |_| edit(&|d| d.gender = g), "{g.code()}" }
                    }
                    input { id: "detail-nat-search", r#type: "search", class: "grow", autocomplete: "off",
                        placeholder: ui.t(T::SearchNationality), value: "{nat_query}", oninput: move |e| nat_query.set(e.value()) }
                }
                div { class: "nats",
                    for n in Nationality::search(nat_query().trim()).into_iter().take(if nat_query().trim().is_empty() { 0 } else { 6 }) {
                        button { key: "{n.code()}", class: "nat-option detail-nat-option", "data-code": n.code(),
                            onclick: move |_| { edit(&|d| d.nationality = n); nat_query.set(String::new()); },
                            span { class: "label", {n.label(lang)} } span { class: "code", {n.code()} } }
                    }
                }
            }
            fieldset { legend { {ui.t(T::AgeBand)} }
                div { class: "chips",
                    for a in AgeBand::ALL.iter().copied() {
                        button {
                            class: format!("chip{}{}", if d.age_band == Some(a) { " on" } else { "" }, if a == AgeBand::Minor { " minor" } else { "" }),
                            "data-age": a.code(),
                            onclick: move |_| edit(&|d| d.age_band = if d.age_band == Some(a) { None } else { Some(a) }),
                            {a.label(lang)}
                        }
                    }
                }
            }
            fieldset { legend { {ui.t(T::Contact)} }
                div { class: "chips",
                    for (v, t) in [(true, T::FirstContact), (false, T::Known)] {
                        button { class: if d.first_contact == Some(v) { "chip on" } else { "chip" },
                            "data-first": if v { "yes" } else { "no" },
                            onclick: move |_| edit(&|d| d.first_contact = if d.first_contact == Some(v) { None } else { Some(v) }),
                            {ui.t(t)}
                        }
                    }
                }
            }
            fieldset { legend { {ui.t(T::Protection)} }
                div { class: "chips",
                    for p in Protection::ALL.iter().copied() {
                        button { class: if d.protection == p { "chip on" } else { "chip" },
                            "data-protection": p.code(),
                            onclick: move |_| edit(&|d| d.protection = p),
                            {p.label(lang)}
                        }
                    }
                }
            }
            fieldset { legend { {ui.t(T::Items)} }
                for kind in ItemKind::ALL.iter().copied() {
                    {
                        let key = if kind == ItemKind::Leaflets { ItemKey::leaflets(kit_language) } else { ItemKey::plain(kind) };
                        let q = d.items.get(key);
                        rsx! {
                            div { key: "{kind.code()}", class: "stepper",
                                span { class: "label", {kind.label(lang)} }
                                button { class: "step", "data-item-minus": kind.code(),
                                    onclick: move |_| edit(&|d| { let q = d.items.get(key); d.items.set(key, q.saturating_sub(1)); }), "−" }
                                input { r#type: "number", inputmode: "numeric", min: "0", max: "999",
                                    "data-item": kind.code(), value: "{q}",
                                    oninput: move |e| { let v = e.value().trim().parse().unwrap_or(0u32).min(999); edit(&|d| d.items.set(key, v)); } }
                                button { class: "step", "data-item-plus": kind.code(),
                                    onclick: move |_| edit(&|d| { let q = d.items.get(key); d.items.set(key, (q + 1).min(999)); }), "+" }
                            }
                        }
                    }
                }
                label { class: "inline",
                    {ui.t(T::LeafletLanguage)}
                    select { id: "leaflet-language",
                        onchange: move |e| {
                            let Ok(lang) = Language::parse(&e.value()) else { return };
                            edit(&|d| {
                                let old = d.items.iter().find(|(k, _)| k.kind == ItemKind::Leaflets);
                                if let Some((k, q)) = old {
                                    d.items.set(k, 0);
                                    d.items.set(ItemKey::leaflets(lang), q);
                                } else {
                                    d.items.set(ItemKey::leaflets(lang), 0);
                                }
                            });
                        },
                        for l in Language::ALL.iter().copied() {
                            option { value: l.code(), selected: l == kit_language, {l.label(lang)} }
                        }
                    }
                }
            }
            fieldset { legend { {ui.t(T::Services)} }
                div { class: "chips",
                    button { class: if d.services.information { "chip on" } else { "chip" }, "data-service": "information",
                        onclick: move |_| edit(&|d| d.services.information = !d.services.information), {ui.t(T::Information)} }
                    button { class: if d.services.listening { "chip on" } else { "chip" }, "data-service": "listening",
                        onclick: move |_| edit(&|d| d.services.listening = !d.services.listening), {ui.t(T::Listening)} }
                }
                for (what, t) in [("referral", T::Referral), ("accompaniment", T::Accompaniment)] {
                    div { key: "{what}", class: "service-line",
                        span { class: "label", {ui.t(t)} }
                        div { class: "chips",
                            for k in ServiceKind::ALL.iter().copied() {
                                {
                                    let set = if what == "referral" { d.services.referrals } else { d.services.accompaniments };
                                    rsx! {
                                        button { key: "{k.code()}", class: if set.contains(k) { "chip on" } else { "chip" },
                                            "data-group": what,
                                            "data-kind": k.code(),
                                            onclick: move |_| edit(&|d| if what == "referral" { d.services.referrals.toggle(k) } else { d.services.accompaniments.toggle(k) }),
                                            {k.label(lang)}
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            div { class: "actions",
                button { id: "close-details", class: "ghost", onclick: move |_| on_close.call(()), {ui.t(T::Close)} }
                button { id: "save-details", class: "primary",
                    onclick: move |_| {
                        if let Some(d) = data() {
                            on_save.call(d);
                        }
                    },
                    {ui.t(T::Save)}
                }
            }
        }
    }
}
