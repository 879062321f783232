//! Home: start a day or night outing (shift suggested by the clock), resume the open one,
//! past outings with their totals; on the indoor tab, the sessions and a new one.

use std::collections::BTreeMap;

use chrono::Utc;
use dioxus::prelude::*;
use uuid::Uuid;

use crate::app::{Area, HomeView, IndoorOverview, NewIndoorSession, NewOuting, OutingOverview, ReviewMark};
use crate::domain::rules::TEAM_SIZE;
use crate::domain::{Activity, Comune, Lang, Language, OutingStatus, Province, Shift};
use crate::ui::components::{BottomBar, Chip, ChipGroup, ComunePicker, Stepper, TeamRow};
use crate::ui::views::sync::SyncPanel;
use crate::ui::{Screen, T, Ui};

/// Past outings or sessions listed.
const LISTED: usize = 50;

/// The home screen.
#[component]
pub fn HomeScreen() -> Element {
    let mut ui: Ui = use_context();
    let mut activity = use_signal(|| Activity::Street);
    // The team of the last outing or session started, changed here for the next one.
    let remembered = ui.read(&[Area::Outings, Area::Indoor], |app| app.remembered_team()).unwrap_or_default();
    let mut team = use_signal(|| None::<crate::domain::outreach::Team>);
    let shown_team = team().unwrap_or(remembered);
    let HomeView { mut outings, sessions, reviews } =
        ui.read(&[Area::Outings, Area::Indoor], |app| app.home_view()).unwrap_or_default();
    outings.retain(|o| o.outing.activity == activity());
    let open = outings.iter().find(|o| o.outing.status == OutingStatus::Open).map(|o| o.outing.id);
    let (today, suggested) = ui.settings.read().shift_boundary.classify(Utc::now());
    let mapping_night = ui.read(&[Area::Settings], |app| app.is_mapping_night(today)).unwrap_or(false);
    let lang = ui.lang();
    let indoor = activity() == Activity::Indoor;
    let desk = activity() == Activity::Desk;
    let session = activity() == Activity::Session;
    let start_desk = move |(new, comune): (NewOuting, Option<Comune>)| {
        let Some(comune) = comune else {
            ui.error.set(Some(ui.t(T::PickDeskComune).into()));
            return;
        };
        if let Some(o) = ui.write(|app| app.start_desk(&new, comune)) {
            ui.screen.set(Screen::Outing(o.id));
        }
    };

    let mut start = move |shift: Shift| {
        let new = NewOuting {
            activity: *activity.peek(),
            started_at: Utc::now(),
            shift: Some(shift),
            team_size: Some(shown_team.operators),
            mediator: shown_team.mediator,
            mediator_language: shown_team.mediator_language,
            legal_operator: shown_team.legal_operator,
            mapping: false,
        };
        if let Some(o) = ui.write(|app| app.start_outing(&new)) {
            ui.screen.set(Screen::Outing(o.id));
        }
    };
    let start_indoor = move |new: Option<NewIndoorSession>| {
        let Some(new) = new else {
            ui.error.set(Some(ui.t(T::PickProvince).into()));
            return;
        };
        if let Some(s) = ui.write(|app| app.start_indoor_session(&new)) {
            ui.screen.set(Screen::Indoor(s.id));
        }
    };
    let label = |a: Activity| match a {
        Activity::Street => T::Street,
        Activity::Labour => T::LabourShort,
        Activity::Indoor => T::Indoor,
        Activity::Desk | Activity::Emersion => T::Desk,
        Activity::Session => T::InfoSessions,
    };

    rsx! {
        section { class: "home",
            if let Some(id) = open {
                button { id: "resume", class: "primary big", onclick: move |_| ui.screen.set(Screen::Outing(id)),
                    {ui.t(T::Resume)}
                }
            }
            if mapping_night && activity() == Activity::Street {
                p { id: "mapping-banner", class: "banner", role: "status", {ui.t(T::MappingTonight)} }
            }
            ChipGroup { class: "segmented", item_class: "seg", required: true,
                pressed: Activity::RECORDED.iter().position(|a| *a == activity()).into_iter().collect::<Vec<_>>(),
                on_change: move |p: Vec<usize>| if let Some(&i) = p.first() { activity.set(Activity::RECORDED[i]) },
                for (i, a) in Activity::RECORDED.iter().copied().enumerate() {
                    Chip { key: "{a.code()}", index: i, "data-activity": a.code(), {ui.t(label(a))} }
                }
            }
            div { class: "section-head",
                h2 { {ui.t(if indoor { T::IndoorSessions } else { T::PastOutings })} }
                button { id: "open-settings", class: "ghost small", onclick: move |_| ui.screen.set(Screen::Settings), {ui.t(T::Settings)} }
            }
            SyncPanel { full: false }
            if desk {
                div { class: "desk-links",
                    button { id: "open-persons", onclick: move |_| ui.screen.set(Screen::Persons), {ui.t(T::Register)} }
                    button { id: "open-helpline", onclick: move |_| ui.screen.set(Screen::Helpline), {ui.t(T::Helpline)} }
                }
                if open.is_none() {
                    StartDesk { lang, on_start: start_desk }
                }
            }
            if indoor {
                IndoorHome { sessions, reviews: reviews.clone(), lang, on_open: move |id| ui.screen.set(Screen::Indoor(id)), on_start: start_indoor }
            }
            if session {
                crate::ui::views::sessions::SessionsHome {}
            }
            if outings.is_empty() && !indoor && !session {
                p { class: "muted", {ui.t(T::NoOutings)} }
            }
            if open.is_none() && !desk && !indoor && !session {
                TeamRow { team: shown_team, lang, on_change: move |t| team.set(Some(t)) }
            }
            OutingList { outings, reviews, lang, hidden: indoor || session,
                on_open: move |id| ui.screen.set(Screen::Outing(id)),
                on_reopen: move |id| {
                    if ui.write(|app| app.reopen_outing(id)).is_some() {
                        ui.screen.set(Screen::Outing(id));
                    }
                },
            }
        }
        BottomBar { hidden: indoor || desk || session,
            if open.is_none() && !desk {
                for (shift, id, t) in [(Shift::Day, "start-day", T::StartDay), (Shift::Night, "start-night", T::StartNight)] {
                    button { key: "{id}", id, class: if suggested == shift { "primary" } else { "" },
                        onclick: move |_| start(shift),
                        {ui.t(t)}
                        if suggested == shift { small { class: "hint", {ui.t(T::Suggested)} } }
                    }
                }
            }
        }
    }
}

/// Past outings, newest first, with their totals: open ones resume, closed ones reopen.
#[component]
fn OutingList(
    /// The outings listed.
    outings: Vec<OutingOverview>,
    /// Where those the coordinators spoke of stand.
    reviews: BTreeMap<Uuid, ReviewMark>,
    /// Language of the labels.
    lang: Lang,
    /// Hides the list (the indoor tab).
    hidden: bool,
    /// Called with an open outing to resume.
    on_open: EventHandler<Uuid>,
    /// Called with a closed outing to reopen.
    on_reopen: EventHandler<Uuid>,
) -> Element {
    rsx! {
        ul { class: "outings", hidden,
            for o in outings.iter().take(LISTED) {
                li { key: "{o.outing.id}", class: "outing-row", "data-status": o.outing.status.code(),
                    div { class: "when",
                        strong { {o.outing.date.format("%d/%m/%Y").to_string()} }
                        " · "
                        {T::get(if o.outing.shift == Shift::Day { T::Day } else { T::Night }, lang)}
                        " · "
                        {o.outing.activity.label(lang)}
                    }
                    div { class: "what",
                        span { class: "count", "{o.contacts.total()} {T::People.get(lang)}" }
                        " M {o.contacts.m} · F {o.contacts.f} · T {o.contacts.t} "
                        span { class: "muted", {o.provinces.iter().map(|p| p.code()).collect::<Vec<_>>().join(", ")} }
                    }
                    if let Some(mark) = reviews.get(&o.outing.id).copied() {
                        Review { mark, lang }
                    }
                    {
                        let id = o.outing.id;
                        if o.outing.status == OutingStatus::Open {
                            rsx! { button { class: "small", onclick: move |_| on_open.call(id), {T::Open.get(lang)} } }
                        } else {
                            rsx! { button { class: "small reopen", onclick: move |_| on_reopen.call(id), {T::Reopen.get(lang)} } }
                        }
                    }
                }
            }
        }
    }
}

/// One line under a listed outing or session: where it stands with the coordinators
/// ("restituita: provincia errata", "periodo chiuso dal coordinatore", "approvata").
#[component]
fn Review(
    /// Where it stands.
    mark: ReviewMark,
    /// Language of the words.
    lang: Lang,
) -> Element {
    let words = match mark {
        ReviewMark::Approved => T::ReviewApproved.get(lang).to_owned(),
        ReviewMark::Returned(None) => T::ReviewReturned.get(lang).to_owned(),
        ReviewMark::Returned(Some(reason)) => format!("{}: {}", T::ReviewReturned.get(lang), reason.label(lang)),
        ReviewMark::Corrected => T::ReviewCorrected.get(lang).to_owned(),
        ReviewMark::Closed => T::ReviewClosed.get(lang).to_owned(),
        ReviewMark::Refused(reason) => format!("{}: {}", T::ReviewRefused.get(lang), reason.label(lang)),
    };
    rsx! {
        div { class: "review", "data-review": mark.code(), {words} }
    }
}

/// The indoor tab: resume the open session, past sessions with their funnel, and the form
/// that starts a new one.
#[component]
fn IndoorHome(
    /// Every session, newest first.
    sessions: Vec<IndoorOverview>,
    /// Where those the coordinators spoke of stand.
    reviews: BTreeMap<Uuid, ReviewMark>,
    /// Language of the labels.
    lang: Lang,
    /// Called with a session to open.
    on_open: EventHandler<Uuid>,
    /// Called with the new session, or `None` when no province was picked.
    on_start: EventHandler<Option<NewIndoorSession>>,
) -> Element {
    let open = sessions.iter().find(|o| o.session.status == OutingStatus::Open).map(|o| o.session.id);
    let last = sessions.first().map(|o| o.session.province);
    rsx! {
        if let Some(id) = open {
            button { id: "resume-session", class: "primary big", onclick: move |_| on_open.call(id),
                {T::ResumeSession.get(lang)} }
        }
        if sessions.is_empty() {
            p { class: "muted", {T::NoSessions.get(lang)} }
        }
        ul { class: "outings sessions",
            for o in sessions.iter().take(LISTED) {
                {
                    let id = o.session.id;
                    let c = o.counts;
                    rsx! {
                        li { key: "{id}", class: "outing-row session-row", "data-status": o.session.status.code(),
                            onclick: move |_| on_open.call(id),
                            div { class: "when", strong { {o.session.date.format("%d/%m/%Y").to_string()} }
                                " · {o.session.province.name()}" }
                            div { class: "what",
                                "{c.ads} {T::AdsLower.get(lang)} → {c.calls + c.messages} {T::AttemptsShort.get(lang)} → {c.contacts} {T::ContactsShort.get(lang)} → {c.met}" }
                            if let Some(mark) = reviews.get(&id).copied() {
                                Review { mark, lang }
                            }
                        }
                    }
                }
            }
        }
        if open.is_none() {
            StartIndoor { last, lang, on_start }
        }
    }
}

/// The form that starts a session: province (the last one's by default), operators,
/// the mediator's language.
#[component]
fn StartIndoor(
    /// The province of the last session.
    last: Option<Province>,
    /// Language of the labels.
    lang: Lang,
    /// Called with the new session, or `None` when no province was picked.
    on_start: EventHandler<Option<NewIndoorSession>>,
) -> Element {
    let mut province = use_signal(move || last.map(|p| p.code().to_owned()).unwrap_or_default());
    let mut operators = use_signal(|| 2u8);
    let mut mediator = use_signal(|| None::<Language>);
    let mut provinces = Province::all();
    provinces.sort_by_key(|p| p.name());
    let start = move |_| {
        let new = Province::parse(&province.peek()).ok().map(|p| NewIndoorSession {
            started_at: Utc::now(),
            province: p,
            operators: *operators.peek(),
            mediator_language: *mediator.peek(),
        });
        on_start.call(new);
    };
    let team = u32::from(*TEAM_SIZE.start())..=u32::from(*TEAM_SIZE.end());
    rsx! {
        div { class: "start-indoor",
            label { class: "inline", {T::Province.get(lang)}
                select { id: "indoor-province", onchange: move |e| province.set(e.value()),
                    option { value: "", selected: province().is_empty(), "—" }
                    for p in provinces {
                        option { key: "{p.code()}", value: p.code(), selected: province() == p.code(), "{p.name()} ({p.code()})" }
                    }
                }
            }
            Stepper { id: "indoor-operators", class: "inline", label: T::Operators.get(lang), range: team,
                value: u32::from(operators()), on_change: move |n: u32| operators.set(u8::try_from(n).unwrap_or(*TEAM_SIZE.start())) }
            label { class: "inline", {T::Mediator.get(lang)}
                select { id: "indoor-mediator", onchange: move |e| mediator.set(Language::parse(&e.value()).ok()),
                    option { value: "", "—" }
                    for l in Language::ALL.iter().copied().filter(|l| *l != Language::Undetermined) {
                        option { key: "{l.code()}", value: l.code(), {l.label(lang)} }
                    }
                }
            }
            button { id: "start-indoor", class: "primary big", onclick: start, {T::StartIndoor.get(lang)} }
        }
    }
}

/// The form that opens a desk session: the desk's comune (its single stop), the
/// operators, the cultural mediator's language. A desk session is a day outing of
/// activity desk.
#[component]
fn StartDesk(
    /// Language of the labels.
    lang: Lang,
    /// Called with the new session and the comune chosen (`None`: none yet).
    on_start: EventHandler<(NewOuting, Option<Comune>)>,
) -> Element {
    let mut comune = use_signal(|| None::<Comune>);
    let mut operators = use_signal(|| 2u8);
    let mut mediator = use_signal(|| None::<Language>);
    let start = move |_| {
        let new = NewOuting {
            activity: Activity::Desk,
            started_at: Utc::now(),
            shift: Some(Shift::Day),
            team_size: Some(*operators.peek()),
            mediator: mediator.peek().is_some(),
            mediator_language: *mediator.peek(),
            legal_operator: false,
            mapping: false,
        };
        on_start.call((new, *comune.peek()));
    };
    let team = u32::from(*TEAM_SIZE.start())..=u32::from(*TEAM_SIZE.end());
    rsx! {
        div { class: "start-indoor start-desk",
            label { r#for: "desk-comune", class: "field-label", {T::DeskComune.get(lang)} }
            ComunePicker { id: "desk-comune", value: comune(), limit: 6, placeholder: T::SearchComune.get(lang),
                on_pick: move |c| comune.set(c) }
            Stepper { id: "desk-operators", class: "inline", label: T::Operators.get(lang), range: team,
                value: u32::from(operators()), on_change: move |n: u32| operators.set(u8::try_from(n).unwrap_or(*TEAM_SIZE.start())) }
            label { class: "inline", {T::Mediator.get(lang)}
                select { id: "desk-mediator", onchange: move |e| mediator.set(Language::parse(&e.value()).ok()),
                    option { value: "", "—" }
                    for l in Language::ALL.iter().copied().filter(|l| *l != Language::Undetermined) {
                        option { key: "{l.code()}", value: l.code(), {l.label(lang)} }
                    }
                }
            }
            button { id: "start-desk", class: "primary big", disabled: comune().is_none(), onclick: start, {T::StartDesk.get(lang)} }
        }
    }
}
