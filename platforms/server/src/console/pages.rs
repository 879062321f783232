//! The console's pages once signed in: shifts and their review, units' freshness, closed
//! periods, report tables and their downloads, targets, charts and the audit trail. Every
//! page reads only the units of the coordinator's scope.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate, Utc};
use lanterna::domain::tables::{ReportScope, Selection};
use lanterna::domain::{Activity, Count, Lang, Measure, Period, Province, Shift as DayShift};
use lanterna::report::{Format, Grid, Table};
use lanterna::wire::{ReturnReason, ReviewState};
use uuid::Uuid;

use super::esc;
use super::html::{self, csrf_field, page, select, tr};
use super::{Posted, Signed, problem};
use crate::http::AppState;
use crate::report::{self, Kind};
use crate::store::console::{Closed, Closing, Project, Scope, Shift, ShiftFilter, ShiftState, Target};
use crate::store::{Backend, StoreError, Unit};

/// Shifts per page.
const PAGE: u32 = 50;

pub(super) fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/console/shifts", get(shifts))
        .route("/console/shifts/{id}", get(shift_page))
        .route("/console/shifts/{id}/review", post(review))
        .route("/console/units", get(units_page))
        .route("/console/periods", get(periods_page))
        .route("/console/periods/close", post(close))
        .route("/console/periods/{id}/reopen", post(reopen))
        .route("/console/reports", get(reports_page))
        .route("/console/reports/{file}", get(report_file))
        .route("/console/targets", get(targets_page).post(set_target))
        .route("/console/charts", get(charts_page))
        .route("/console/audit", get(audit_page))
        .route("/console/account", get(account_page))
}

type Page = Result<Response, Response>;

/// Runs store work off the async threads; a store failure becomes a 503 page.
async fn work<T: Send + 'static>(
    lang: Lang,
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, Response> {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(StoreError::NotFound(m))) => Err(problem(StatusCode::NOT_FOUND, lang, "404", &m)),
        Ok(Err(StoreError::Conflict(m))) => Err(problem(StatusCode::CONFLICT, lang, "409", &m)),
        Ok(Err(e)) => {
            eprintln!("lanterna-server: console: {e}");
            Err(unavailable(lang))
        }
        Err(e) => {
            eprintln!("lanterna-server: console: {e}");
            Err(unavailable(lang))
        }
    }
}

fn unavailable(lang: Lang) -> Response {
    problem(
        StatusCode::SERVICE_UNAVAILABLE,
        lang,
        "Errore",
        tr(lang, "Il database non risponde: riprova tra poco.", "The store is not available: try again later."),
    )
}

fn bad(lang: Lang, what: &str) -> Response {
    problem(StatusCode::BAD_REQUEST, lang, tr(lang, "Richiesta non valida", "Bad request"), what)
}

fn html_page(s: &Signed, section: &str, title: &str, body: &str) -> Response {
    Html(page(&s.frame(section), title, body)).into_response()
}

/// The units of the scope, by name.
fn scope_units(b: &dyn Backend, s_units: &Option<Vec<Uuid>>) -> Result<Vec<Unit>, StoreError> {
    Ok(b.units()?.into_iter().filter(|u| s_units.as_ref().is_none_or(|x| x.contains(&u.id))).collect())
}

/// The projects the scope holds whole.
fn scope_projects(b: &dyn Backend, scope: Scope) -> Result<Vec<Project>, StoreError> {
    Ok(b.projects()?
        .into_iter()
        .filter(|p| match scope {
            Scope::All => true,
            Scope::Project(id) => p.id == id,
            Scope::Unit(_) => false,
        })
        .collect())
}

fn activity_words(a: Activity, lang: Lang) -> &'static str {
    match a {
        Activity::Street => tr(lang, "strada", "street"),
        Activity::Labour => tr(lang, "lavoro", "labour"),
        Activity::Indoor => tr(lang, "indoor", "indoor"),
        Activity::Desk => tr(lang, "sportello", "desk"),
        Activity::Emersion => tr(lang, "emersione", "emersion"),
        Activity::Session => tr(lang, "sensibilizzazione", "info session"),
    }
}

fn shift_words(s: DayShift, lang: Lang) -> &'static str {
    match s {
        DayShift::Day => tr(lang, "diurna", "day"),
        DayShift::Night => tr(lang, "notturna", "night"),
    }
}

fn state_words(s: ShiftState, lang: Lang) -> &'static str {
    match s {
        ShiftState::ToReview => tr(lang, "da rivedere", "to review"),
        ShiftState::Approved => tr(lang, "approvata", "approved"),
        ShiftState::Returned => tr(lang, "restituita", "returned"),
    }
}

fn badge(s: &Shift, lang: Lang) -> String {
    let mut words = state_words(s.state, lang).to_owned();
    if let Some(r) = s.reason {
        words = format!("{words}: {}", r.label(lang));
    }
    format!("<span class=\"state {}\">{}</span>", s.state.code(), esc(&words))
}

/// A period from a form: a named period, a month `2024-05`, a quarter `2024-Q2` or a year.
fn period_of(b: &dyn Backend, key: &str) -> Result<Option<Period>, String> {
    let key = key.trim();
    if key.is_empty() {
        return Ok(None);
    }
    report::published(b, key).map(Some).map_err(|e| e.to_string())
}

fn unit_name(units: &[Unit], id: Uuid) -> String {
    units.iter().find(|u| u.id == id).map_or_else(|| id.to_string(), |u| u.name.clone())
}

/// The options of a unit select: the scope's units.
fn unit_options(units: &[Unit], lang: Lang) -> Vec<(String, String)> {
    let mut o = vec![(String::new(), tr(lang, "tutte", "all").to_owned())];
    o.extend(units.iter().map(|u| (u.id.to_string(), u.name.clone())));
    o
}

fn parse_opt<T>(q: &HashMap<String, String>, k: &str, f: impl FnOnce(&str) -> Option<T>) -> Result<Option<T>, String> {
    match q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => f(v).map(Some).ok_or_else(|| format!("{k}: '{v}' is not valid")),
    }
}

async fn shifts(State(state): State<Arc<AppState>>, s: Signed, Query(q): Query<HashMap<String, String>>) -> Page {
    let lang = s.lang;
    let b = state.backend.clone();
    let units_scope = s.units.clone();
    let qq = q.clone();
    let (units, list, periods, period_err) = work(lang, move || {
        let units = scope_units(b.as_ref(), &units_scope)?;
        let period = qq.get("period").map(|p| period_of(b.as_ref(), p)).transpose();
        let (period, period_err) = match period {
            Ok(p) => (p.flatten(), None),
            Err(e) => (None, Some(e)),
        };
        let filter = parse_filter(&qq, units_scope.clone(), period);
        let list = match filter {
            Ok(f) => Ok(b.shifts(&f)?),
            Err(e) => Err(e),
        };
        Ok((units, list, b.periods()?, period_err))
    })
    .await?;
    let mut h = String::new();
    h.push_str("<form class=\"filters box\" method=\"get\">");
    h.push_str(&select(
        tr(lang, "Unità", "Unit"),
        "unit",
        &unit_options(&units, lang),
        q.get("unit").map(String::as_str),
    ));
    let mut acts = vec![(String::new(), tr(lang, "tutte", "all").to_owned())];
    // Emersion has no outings to list: it is sent per period.
    acts.extend(
        Activity::ALL
            .iter()
            .filter(|a| lanterna::domain::rules::has_summaries(**a))
            .map(|a| (a.code().to_owned(), activity_words(*a, lang).to_owned())),
    );
    h.push_str(&select(tr(lang, "Attività", "Activity"), "activity", &acts, q.get("activity").map(String::as_str)));
    let _ = write!(
        h,
        "<label>{}<input name=\"province\" size=\"3\" maxlength=\"2\" value=\"{}\" placeholder=\"BG\"></label>",
        tr(lang, "Provincia", "Province"),
        esc(q.get("province").map_or("", String::as_str))
    );
    h.push_str(&html::period_input(lang, q.get("period").map_or("", String::as_str), &periods, false));
    let mut states = vec![(String::new(), tr(lang, "tutti", "all").to_owned())];
    states.extend(ShiftState::ALL.iter().map(|x| (x.code().to_owned(), state_words(*x, lang).to_owned())));
    h.push_str(&select(tr(lang, "Stato", "State"), "state", &states, q.get("state").map(String::as_str)));
    let _ = write!(h, "<button>{}</button></form>", tr(lang, "Filtra", "Filter"));
    if let Some(e) = period_err {
        let _ = write!(h, "<p class=\"error\">{}</p>", esc(&e));
    }
    let list = match list {
        Ok(l) => l,
        Err(e) => {
            let _ = write!(h, "<p class=\"error\">{}</p>", esc(&e));
            vec![]
        }
    };
    if list.is_empty() {
        let _ = write!(h, "<p class=\"muted\">{}</p>", tr(lang, "Nessun turno.", "No shifts."));
    } else {
        let _ = write!(
            h,
            "<div class=\"scroll\"><table><thead><tr><th>{}</th><th class=\"l\">{}</th><th class=\"l\">{}</th><th class=\"l\">{}</th><th>{}</th><th>{}</th><th class=\"l\">{}</th></tr></thead><tbody>",
            tr(lang, "Data", "Date"),
            tr(lang, "Unità", "Unit"),
            tr(lang, "Attività", "Activity"),
            tr(lang, "Prov.", "Prov."),
            tr(lang, "Contatti", "Contacts"),
            tr(lang, "Rev.", "Rev."),
            tr(lang, "Stato", "State"),
        );
        for sh in &list {
            let sm = &sh.stored.summary;
            let contacts: u64 = if sm.deleted { 0 } else { report::contacts(&sm.tally()) };
            let deleted = if sm.deleted { tr(lang, " (eliminata)", " (deleted)") } else { "" };
            let _ = write!(
                h,
                "<tr><td><a class=\"shift\" href=\"/console/shifts/{}\">{}</a></td><td class=\"l\">{}</td><td class=\"l\">{} {}{deleted}</td><td class=\"l\">{}</td><td>{contacts}</td><td>{}</td><td class=\"l\">{}</td></tr>",
                sm.id,
                sm.date,
                esc(&unit_name(&units, sh.stored.unit)),
                activity_words(sm.activity, lang),
                if sm.activity == Activity::Indoor { "" } else { shift_words(sm.shift, lang) },
                sm.province.code(),
                sm.revision,
                badge(sh, lang)
            );
        }
        h.push_str("</tbody></table></div>");
        let offset: u32 = q.get("offset").and_then(|o| o.parse().ok()).unwrap_or(0);
        if list.len() as u32 == PAGE {
            let mut next = q.clone();
            next.insert("offset".into(), (offset + PAGE).to_string());
            let qs = serde_urlencoded::to_string(&next).unwrap_or_default();
            let _ = write!(
                h,
                "<p><a href=\"/console/shifts?{}\">{}</a></p>",
                esc(&qs),
                tr(lang, "Altri turni →", "More shifts →")
            );
        }
    }
    Ok(html_page(&s, "shifts", tr(lang, "Turni da rivedere e rivisti", "Shifts to review and reviewed"), &h))
}

fn parse_filter(
    q: &HashMap<String, String>,
    units: Option<Vec<Uuid>>,
    period: Option<Period>,
) -> Result<ShiftFilter, String> {
    let unit = parse_opt(q, "unit", |v| Uuid::parse_str(v).ok())?;
    if let (Some(u), Some(scope)) = (unit, &units) {
        if !scope.contains(&u) {
            return Err(format!("unit {u} is outside your scope"));
        }
    }
    Ok(ShiftFilter {
        units,
        unit,
        activity: parse_opt(q, "activity", |v| Activity::parse(v).ok())?,
        province: parse_opt(q, "province", |v| Province::parse(v).ok())?,
        from: period.map(|p| p.from),
        to: period.map(|p| p.to),
        state: parse_opt(q, "state", ShiftState::parse)?,
        limit: PAGE,
        offset: parse_opt(q, "offset", |v| v.parse().ok())?.unwrap_or(0),
    })
}

/// The table of one outing's or session's own activity, besides services and items
/// (emersion has no outings).
fn table_of(a: Activity) -> Option<Table> {
    match a {
        Activity::Street => Some(Table::Street),
        Activity::Labour => Some(Table::Labour),
        Activity::Indoor => Some(Table::Indoor),
        Activity::Desk => Some(Table::Desk),
        Activity::Emersion | Activity::Session => None,
    }
}

async fn shift_page(State(state): State<Arc<AppState>>, s: Signed, Path(id): Path<String>) -> Page {
    let lang = s.lang;
    let Ok(id) = Uuid::parse_str(&id) else { return Err(bad(lang, "not a shift id")) };
    let (b, units_scope) = (state.backend.clone(), s.units.clone());
    let (shift, reviews, units) = work(lang, move || {
        let shift = b.shift(id, units_scope.as_deref())?;
        let reviews = if shift.is_some() { b.reviews(id)? } else { vec![] };
        Ok((shift, reviews, b.units()?))
    })
    .await?;
    let Some(sh) = shift else {
        return Err(problem(
            StatusCode::NOT_FOUND,
            lang,
            "404",
            tr(lang, "Nessun turno con questo id.", "No shift with this id."),
        ));
    };
    let sm = &sh.stored.summary;
    let mut h = format!(
        "<div class=\"box\"><p><b>{}</b> · {} · {} {} · {} · {} {} · {}</p><p>{} {} · {} {}</p></div>",
        esc(&unit_name(&units, sh.stored.unit)),
        sm.date,
        activity_words(sm.activity, lang),
        if sm.activity == Activity::Indoor { "" } else { shift_words(sm.shift, lang) },
        sm.province.name(),
        tr(lang, "revisione", "revision"),
        sm.revision,
        badge(&sh, lang),
        tr(lang, "Ricevuta il", "Received"),
        sh.received_at.format("%Y-%m-%d %H:%M UTC"),
        tr(lang, "comuni:", "comuni:"),
        sm.comuni.len(),
    );
    if sm.deleted {
        let _ = write!(
            h,
            "<p class=\"muted\">{}</p>",
            tr(lang, "L'unità ha eliminato questa uscita.", "The unit deleted this outing.")
        );
    } else {
        let tally = sm.tally();
        let period = Period::new(sm.date, sm.date).map_err(|e| bad(lang, &e.to_string()))?;
        let scope =
            ReportScope { province: Some(sm.province), lang, count: Count::Contacts, ..ReportScope::period(period) };
        for table in table_of(sm.activity).into_iter().chain([Table::Services, Table::Items]) {
            for g in lanterna::report::grids(table, &tally, &scope) {
                if g.rows().iter().any(|r| r.cells().iter().any(|c| c.count().is_some_and(|n| n > 0))) {
                    h.push_str(&html::grid(&g));
                }
            }
        }
        let current = sh.state;
        let _ = write!(
            h,
            "<div class=\"box\"><h2>{}</h2><form method=\"post\" action=\"/console/shifts/{id}/review\" style=\"display:inline\">{}<input type=\"hidden\" name=\"revision\" value=\"{}\"><input type=\"hidden\" name=\"verdict\" value=\"approve\"><button id=\"approve\"{}>{}</button></form> \
             <form method=\"post\" action=\"/console/shifts/{id}/review\" class=\"filters\" style=\"margin-top:.6rem\">{}<input type=\"hidden\" name=\"revision\" value=\"{}\"><input type=\"hidden\" name=\"verdict\" value=\"return\">{}<button class=\"warn\" id=\"return\">{}</button></form>\
             <p class=\"muted\">{}</p></div>",
            tr(lang, "Revisione", "Review"),
            csrf_field(&s.csrf),
            sm.revision,
            if current == ShiftState::Approved { " disabled" } else { "" },
            tr(lang, "Approva", "Approve"),
            csrf_field(&s.csrf),
            sm.revision,
            select(
                tr(lang, "Motivo", "Reason"),
                "reason",
                &ReturnReason::ALL.iter().map(|r| (r.code().to_owned(), r.label(lang).to_owned())).collect::<Vec<_>>(),
                None
            ),
            tr(lang, "Restituisci all'unità", "Return to the unit"),
            tr(
                lang,
                "L'unità vede il motivo alla prossima sincronizzazione; nessun testo libero arriva al telefono.",
                "The unit sees the reason at its next sync; no free text reaches the phone."
            ),
        );
    }
    if !reviews.is_empty() {
        let _ = write!(h, "<h2>{}</h2><ul>", tr(lang, "Storico", "History"));
        for r in &reviews {
            let what = match r.state {
                ReviewState::Approved => tr(lang, "approvata", "approved").to_owned(),
                ReviewState::Returned => {
                    format!("{}: {}", tr(lang, "restituita", "returned"), r.reason.map_or("", |x| x.label(lang)))
                }
            };
            let _ = write!(
                h,
                "<li>{} · {} {} · {} · {}</li>",
                r.at.format("%Y-%m-%d %H:%M"),
                tr(lang, "rev.", "rev."),
                r.revision,
                esc(&what),
                esc(&r.by)
            );
        }
        h.push_str("</ul>");
    }
    let title = format!("{} {}", tr(lang, "Turno del", "Shift of"), sm.date);
    Ok(html_page(&s, "shifts", &title, &h))
}

async fn review(State(state): State<Arc<AppState>>, Path(id): Path<String>, Posted { s, form }: Posted) -> Page {
    let lang = s.lang;
    let Ok(id) = Uuid::parse_str(&id) else { return Err(bad(lang, "not a shift id")) };
    let revision: u32 =
        form.get("revision").and_then(|r| r.parse().ok()).ok_or_else(|| bad(lang, "revision: missing"))?;
    let (verdict, reason) = match form.get("verdict").map(String::as_str) {
        Some("approve") => (ReviewState::Approved, None),
        Some("return") => {
            let r = form.get("reason").and_then(|r| ReturnReason::parse(r));
            (ReviewState::Returned, Some(r.ok_or_else(|| bad(lang, "reason: choose one from the list"))?))
        }
        _ => return Err(bad(lang, "verdict: approve or return")),
    };
    let (b, units, who) = (state.backend.clone(), s.units.clone(), s.who.clone());
    work(lang, move || {
        if b.shift(id, units.as_deref())?.is_none() {
            return Err(StoreError::NotFound(format!("no shift {id}")));
        }
        b.review(id, revision, verdict, reason, &who)
    })
    .await?;
    Ok(Redirect::to(&format!("/console/shifts/{id}")).into_response())
}

async fn units_page(State(state): State<Arc<AppState>>, s: Signed) -> Page {
    let lang = s.lang;
    let (b, scope) = (state.backend.clone(), s.units.clone());
    let (units, fresh) =
        work(lang, move || Ok((scope_units(b.as_ref(), &scope)?, b.freshness(scope.as_deref())?))).await?;
    let mut h = String::new();
    for u in &units {
        let devices: Vec<_> = fresh.iter().filter(|f| f.unit == u.id).collect();
        let to_review: u64 = devices.iter().map(|d| d.to_review).sum();
        let last = devices.iter().filter_map(|d| d.last_sync).max();
        let _ = write!(
            h,
            "<div class=\"box\"><h2>{}</h2><p>{} <b>{}</b> · {} <a href=\"/console/shifts?unit={}&amp;state=to_review\"><b>{to_review}</b></a></p>",
            esc(&u.name),
            tr(lang, "Ultima sincronizzazione:", "Last sync:"),
            last.map_or_else(|| tr(lang, "mai", "never").to_owned(), |t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
            tr(lang, "turni da rivedere:", "shifts to review:"),
            u.id
        );
        if !devices.is_empty() {
            let _ = write!(
                h,
                "<div class=\"scroll\"><table><thead><tr><th class=\"l\">{}</th><th class=\"l\">{}</th><th class=\"l\">{}</th><th>{}</th></tr></thead><tbody>",
                tr(lang, "Dispositivo", "Device"),
                tr(lang, "Registrato", "Enrolled"),
                tr(lang, "Ultima sincronizzazione", "Last sync"),
                tr(lang, "Da rivedere", "To review")
            );
            for d in devices {
                let revoked = if d.revoked_at.is_some() { tr(lang, " (revocato)", " (revoked)") } else { "" };
                let _ = write!(
                    h,
                    "<tr><td class=\"l\">{}…{revoked}</td><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td></tr>",
                    &d.device.to_string()[..8],
                    d.enrolled_at.format("%Y-%m-%d"),
                    d.last_sync.map_or_else(|| "—".to_owned(), |t| t.format("%Y-%m-%d %H:%M").to_string()),
                    d.to_review
                );
            }
            h.push_str("</tbody></table></div>");
        }
        h.push_str("</div>");
    }
    if units.is_empty() {
        let _ =
            write!(h, "<p class=\"muted\">{}</p>", tr(lang, "Nessuna unità nel tuo ambito.", "No unit in your scope."));
    }
    Ok(html_page(&s, "units", tr(lang, "Unità e aggiornamento dei dati", "Units and data freshness"), &h))
}

/// Whether a closing belongs to the scope.
fn closing_in_scope(c: &Closing, s: &Signed, projects: &[Project]) -> bool {
    match c.closed {
        Closed::Unit(u) => s.sees(u),
        Closed::Project(p) => projects.iter().any(|x| x.id == p),
    }
}

async fn periods_page(State(state): State<Arc<AppState>>, s: Signed, Query(q): Query<HashMap<String, String>>) -> Page {
    let lang = s.lang;
    let (b, scope, units_scope) = (state.backend.clone(), s.who.scope, s.units.clone());
    let (units, projects, closings, named) = work(lang, move || {
        Ok((scope_units(b.as_ref(), &units_scope)?, scope_projects(b.as_ref(), scope)?, b.closings()?, b.periods()?))
    })
    .await?;
    let mut h = String::new();
    if let Some(m) = q.get("error") {
        let _ = write!(h, "<p class=\"error\">{}</p>", esc(m));
    }
    let _ = write!(
        h,
        "<div class=\"box\"><h2>{}</h2><form class=\"filters\" method=\"post\" action=\"/console/periods/close\">{}",
        tr(lang, "Chiudi un periodo", "Close a period"),
        csrf_field(&s.csrf)
    );
    let mut whom: Vec<(String, String)> =
        units.iter().map(|u| (format!("unit:{}", u.id), format!("{} {}", tr(lang, "unità", "unit"), u.name))).collect();
    whom.extend(
        projects
            .iter()
            .map(|p| (format!("project:{}", p.id), format!("{} {}", tr(lang, "progetto", "project"), p.name))),
    );
    h.push_str(&select(tr(lang, "Per", "For"), "for", &whom, None));
    h.push_str(&html::period_input(lang, "", &named, true));
    let _ = write!(
        h,
        "<button id=\"close-period\">{}</button></form><p class=\"muted\">{}</p></div>",
        tr(lang, "Chiudi", "Close"),
        tr(
            lang,
            "Dopo la chiusura il server rifiuta nuove revisioni delle uscite del periodo; il telefono le conserva finché non riapri.",
            "Once closed, the server refuses new revisions of the period's outings; the phone keeps them until you reopen."
        )
    );
    let mine: Vec<&Closing> = closings.iter().filter(|c| closing_in_scope(c, &s, &projects)).collect();
    let _ = write!(h, "<h2>{}</h2>", tr(lang, "Periodi chiusi", "Closed periods"));
    if mine.is_empty() {
        let _ = write!(h, "<p class=\"muted\">{}</p>", tr(lang, "Nessun periodo chiuso.", "No closed period."));
    } else {
        let _ = write!(
            h,
            "<div class=\"scroll\"><table><thead><tr><th class=\"l\">{}</th><th class=\"l\">{}</th><th class=\"l\">{}</th><th class=\"l\">{}</th><th></th></tr></thead><tbody>",
            tr(lang, "Per", "For"),
            tr(lang, "Periodo", "Period"),
            tr(lang, "Chiuso", "Closed"),
            tr(lang, "Riaperto", "Reopened")
        );
        for c in mine {
            let who = match c.closed {
                Closed::Unit(u) => format!("{} {}", tr(lang, "unità", "unit"), unit_name(&units, u)),
                Closed::Project(p) => format!(
                    "{} {}",
                    tr(lang, "progetto", "project"),
                    projects.iter().find(|x| x.id == p).map_or(String::new(), |x| x.name.clone())
                ),
            };
            let reopen = if c.reopened_at.is_none() {
                format!(
                    "<form method=\"post\" action=\"/console/periods/{}/reopen\">{}<button class=\"secondary\">{}</button></form>",
                    c.id,
                    csrf_field(&s.csrf),
                    tr(lang, "Riapri", "Reopen")
                )
            } else {
                String::new()
            };
            let _ = write!(
                h,
                "<tr><td class=\"l\">{}</td><td class=\"l\">{} – {}</td><td class=\"l\">{} · {}</td><td class=\"l\">{}</td><td>{reopen}</td></tr>",
                esc(&who),
                c.from,
                c.to,
                c.closed_at.format("%Y-%m-%d %H:%M"),
                esc(&c.closed_by),
                c.reopened_at.map_or(String::new(), |t| format!(
                    "{} · {}",
                    t.format("%Y-%m-%d %H:%M"),
                    esc(c.reopened_by.as_deref().unwrap_or(""))
                ))
            );
        }
        h.push_str("</tbody></table></div>");
    }
    if !named.is_empty() {
        let _ = write!(h, "<h2>{}</h2><ul>", tr(lang, "Periodi con nome", "Named periods"));
        for p in &named {
            let _ = write!(h, "<li>{} · {} – {}</li>", esc(&p.name), p.from, p.to);
        }
        h.push_str("</ul>");
    }
    Ok(html_page(&s, "periods", tr(lang, "Periodi di rendicontazione", "Reporting periods"), &h))
}

async fn close(State(state): State<Arc<AppState>>, Posted { s, form }: Posted) -> Page {
    let lang = s.lang;
    let for_ = form.get("for").cloned().unwrap_or_default();
    let key = form.get("period").cloned().unwrap_or_default();
    let (b, scope, units) = (state.backend.clone(), s.who.scope, s.units.clone());
    let who = s.who.name.clone();
    let done = work(lang, move || {
        let period = match period_of(b.as_ref(), &key) {
            Ok(Some(p)) => p,
            Ok(None) => return Ok(Err("period: give a month, a quarter, a year or a named period".to_owned())),
            Err(e) => return Ok(Err(e)),
        };
        let (closed, subject) = match for_.split_once(':').map(|(k, v)| (k, Uuid::parse_str(v))) {
            Some(("unit", Ok(u))) if units.as_ref().is_none_or(|x| x.contains(&u)) => {
                (Closed::Unit(u), format!("unit {}", unit_name(&b.units()?, u)))
            }
            Some(("project", Ok(p))) if scope_projects(b.as_ref(), scope)?.iter().any(|x| x.id == p) => {
                let name = b.projects()?.into_iter().find(|x| x.id == p).map_or(String::new(), |x| x.name);
                (Closed::Project(p), format!("project {name}"))
            }
            _ => return Ok(Err("for: a unit or project of your scope".to_owned())),
        };
        b.close_period(closed, period.from, period.to, &who, &subject)?;
        Ok(Ok(()))
    })
    .await?;
    Ok(back("/console/periods", done))
}

async fn reopen(State(state): State<Arc<AppState>>, Path(id): Path<String>, Posted { s, .. }: Posted) -> Page {
    let lang = s.lang;
    let Ok(id) = Uuid::parse_str(&id) else { return Err(bad(lang, "not a closing id")) };
    let (b, scope, who) = (state.backend.clone(), s.who.scope, s.who.name.clone());
    let units = s.units.clone();
    work(lang, move || {
        let projects = scope_projects(b.as_ref(), scope)?;
        let all = b.closings()?;
        let Some(c) = all.iter().find(|c| c.id == id) else {
            return Err(StoreError::NotFound(format!("no closing {id}")));
        };
        let ok = match c.closed {
            Closed::Unit(u) => units.as_ref().is_none_or(|x| x.contains(&u)),
            Closed::Project(p) => projects.iter().any(|x| x.id == p),
        };
        if !ok {
            return Err(StoreError::NotFound(format!("no closing {id}")));
        }
        b.reopen_period(id, &who, &format!("{}..{}", c.from, c.to))?;
        Ok(())
    })
    .await?;
    Ok(Redirect::to("/console/periods").into_response())
}

/// Back to the page a form was on, with what was wrong with the form, if anything.
fn back(page: &str, done: Result<(), String>) -> Response {
    match done {
        Ok(()) => Redirect::to(page).into_response(),
        Err(e) => Redirect::to(&format!("{page}?{}", serde_urlencoded::to_string([("error", e)]).unwrap_or_default()))
            .into_response(),
    }
}

/// A report request from the page's query: checked against the scope.
struct ReportAsk {
    kind: Kind,
    period: Option<Period>,
    province: Option<Province>,
    unit: Option<Uuid>,
    public: bool,
    /// Every unit of the network, published (whatever the scope): the network view.
    network: bool,
}

fn report_ask(b: &dyn Backend, q: &HashMap<String, String>, s_units: &Option<Vec<Uuid>>) -> Result<ReportAsk, String> {
    let kind = parse_opt(q, "kind", Kind::parse)?.unwrap_or(Kind::Street);
    let period = match q.get("period") {
        Some(p) => period_of(b, p)?,
        None => None,
    };
    let unit = parse_opt(q, "unit", |v| Uuid::parse_str(v).ok())?;
    if let (Some(u), Some(scope)) = (unit, s_units) {
        if !scope.contains(&u) {
            return Err(format!("unit {u} is outside your scope"));
        }
    }
    Ok(ReportAsk {
        kind,
        period,
        province: parse_opt(q, "province", |v| Province::parse(v).ok())?,
        unit,
        public: flag(q, "public"),
        network: flag(q, "network"),
    })
}

fn flag(q: &HashMap<String, String>, k: &str) -> bool {
    q.get(k).is_some_and(|v| v == "1" || v == "on" || v == "true")
}

impl ReportAsk {
    fn query(
        &self,
        b: &dyn Backend,
        s_units: &Option<Vec<Uuid>>,
        lang: Lang,
        k: u64,
        kind: Kind,
    ) -> Result<report::Query, report::ReportError> {
        let selection = Selection {
            from: self.period.map(|p| p.from),
            to: self.period.map(|p| p.to),
            province: self.province,
            activity: None,
        };
        // The network view reads every unit, published; otherwise the scope, exact unless
        // marked public.
        let units = if self.network {
            report::network_units(b, s_units.as_deref())?
        } else {
            self.unit.map(|u| vec![u]).or_else(|| s_units.clone())
        };
        Ok(report::Query {
            units,
            lang,
            published: (self.public || self.network).then_some(k),
            ..report::Query::over(b, kind, selection)?
        })
    }

    /// The units of the scope (or the one asked for) as rows: for exact tables over a
    /// period only, never for what is published.
    fn per_unit(&self, b: &dyn Backend, s_units: &Option<Vec<Uuid>>, lang: Lang) -> Result<Option<Grid>, String> {
        let Some(period) = self.period.filter(|_| !self.public && !self.network) else { return Ok(None) };
        let mut units = scope_units(b, s_units).map_err(|e| e.to_string())?;
        if let Some(u) = self.unit {
            units.retain(|x| x.id == u);
        }
        report::per_unit(b, &units, period, lang).map(Some).map_err(|e| e.to_string())
    }
}

async fn reports_page(State(state): State<Arc<AppState>>, s: Signed, Query(q): Query<HashMap<String, String>>) -> Page {
    let lang = s.lang;
    let (b, units_scope, k) = (state.backend.clone(), s.units.clone(), state.config.k);
    let qq = q.clone();
    let (units, periods, result) = work(lang, move || {
        let units = scope_units(b.as_ref(), &units_scope)?;
        let periods = b.periods()?;
        let result = report_ask(b.as_ref(), &qq, &units_scope).and_then(|ask| {
            let query = ask.query(b.as_ref(), &units_scope, lang, k, ask.kind).map_err(|e| e.to_string())?;
            let mut grids = report::grids(b.as_ref(), &query).map_err(|e| e.to_string())?;
            grids.extend(ask.per_unit(b.as_ref(), &units_scope, lang)?);
            Ok(grids)
        });
        Ok((units, periods, result))
    })
    .await?;
    let mut h = String::from("<form class=\"filters box\" method=\"get\">");
    let kinds: Vec<(String, String)> =
        Kind::ALL.iter().map(|k| (k.code().to_owned(), kind_words(*k, lang).to_owned())).collect();
    h.push_str(&select(tr(lang, "Tabella", "Table"), "kind", &kinds, q.get("kind").map(String::as_str)));
    h.push_str(&html::period_input(lang, q.get("period").map_or("", String::as_str), &periods, false));
    let _ = write!(
        h,
        "<label>{}<input name=\"province\" size=\"3\" maxlength=\"2\" value=\"{}\" placeholder=\"BG\"></label>",
        tr(lang, "Provincia", "Province"),
        esc(q.get("province").map_or("", String::as_str))
    );
    h.push_str(&select(
        tr(lang, "Unità", "Unit"),
        "unit",
        &unit_options(&units, lang),
        q.get("unit").map(String::as_str),
    ));
    for (name, it, en) in [
        ("public", "da pubblicare (celle sotto 3 nascoste)", "to publish (cells under 3 hidden)"),
        ("network", "il resto della rete (pubblicata)", "the rest of the network (published)"),
    ] {
        let checked = if flag(&q, name) { " checked" } else { "" };
        let _ = write!(
            h,
            "<label style=\"flex-direction:row;align-items:center;gap:.3rem\"><input type=\"checkbox\" name=\"{name}\" value=\"1\"{checked}> {}</label>",
            tr(lang, it, en)
        );
    }
    let _ = write!(h, "<button>{}</button></form>", tr(lang, "Mostra", "Show"));
    match result {
        Err(e) => {
            let _ = write!(h, "<p class=\"error\">{}</p>", esc(&e));
        }
        Ok(grids) => {
            let qs = serde_urlencoded::to_string(&q).unwrap_or_default();
            let kind = q.get("kind").map_or("street", String::as_str);
            let _ = write!(
                h,
                "<p>{}: <a href=\"/console/reports/{kind}.xlsx?{q}\">XLSX</a> · <a href=\"/console/reports/{kind}.csv?{q}\">CSV</a> · <a href=\"/console/reports/pack.xlsx?{q}\">{}</a></p>",
                tr(lang, "Scarica", "Download"),
                tr(lang, "tutte le tabelle (XLSX)", "every table (XLSX)"),
                kind = esc(kind),
                q = esc(&qs)
            );
            for g in &grids {
                h.push_str(&html::grid(g));
            }
        }
    }
    Ok(html_page(&s, "reports", tr(lang, "Tabelle di rendicontazione", "Report tables"), &h))
}

fn kind_words(k: Kind, lang: Lang) -> &'static str {
    match k {
        Kind::Street => tr(lang, "Strada", "Street"),
        Kind::Labour => tr(lang, "Sfruttamento lavorativo", "Labour exploitation"),
        Kind::Indoor => tr(lang, "Indoor", "Indoor"),
        Kind::Massage => tr(lang, "Centri massaggi", "Massage centres"),
        Kind::Services => tr(lang, "Invii e accompagnamenti", "Referrals and accompaniments"),
        Kind::Items => tr(lang, "Materiali distribuiti", "Items handed out"),
        Kind::Desk => tr(lang, "Sportello di ascolto", "Drop-in desk"),
        Kind::Identification => tr(lang, "Colloqui di identificazione", "Identification interviews"),
        Kind::Referral => tr(lang, "Referral della Commissione", "Referrals from the Commissione"),
        Kind::IdBreakdown => {
            tr(lang, "Persone intervistate per genere, età, ...", "Persons interviewed by gender, age, ...")
        }
        Kind::Outcomes => tr(lang, "Esiti dei contatti", "Outcomes of contacts"),
        Kind::Helpline => tr(lang, "Numero Verde", "Helpline"),
        Kind::Outings => tr(lang, "Uscite e ore", "Outings and hours"),
        Kind::Presences => tr(lang, "Presenze monitorate", "Presences monitored"),
    }
}

async fn report_file(
    State(state): State<Arc<AppState>>,
    s: Signed,
    Path(file): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Page {
    let lang = s.lang;
    let Some((name, ext)) = file.rsplit_once('.') else {
        return Err(bad(lang, "expected KIND.xlsx, KIND.csv or pack.xlsx"));
    };
    let kinds: Vec<Kind> = match (name, ext) {
        ("pack", "xlsx") => Kind::ALL.to_vec(),
        (k, "xlsx" | "csv") => vec![Kind::parse(k).ok_or_else(|| bad(lang, "no such table"))?],
        _ => return Err(bad(lang, "expected KIND.xlsx, KIND.csv or pack.xlsx")),
    };
    let (b, units_scope, k) = (state.backend.clone(), s.units.clone(), state.config.k);
    let ext_owned = ext.to_owned();
    let body = work(lang, move || {
        let ask = match report_ask(b.as_ref(), &q, &units_scope) {
            Ok(a) => a,
            Err(e) => return Ok(Err(e)),
        };
        let mut out = Vec::new();
        for kind in &kinds {
            let query = match ask.query(b.as_ref(), &units_scope, lang, k, *kind) {
                Ok(q) => q,
                Err(e) => return Ok(Err(e.to_string())),
            };
            out.push((*kind, query));
        }
        let extra = if kinds.len() > 1 {
            match ask.per_unit(b.as_ref(), &units_scope, lang) {
                Ok(g) => g,
                Err(e) => return Ok(Err(e)),
            }
        } else {
            None
        };
        let bytes = if ext_owned == "csv" {
            report::render(b.as_ref(), &out[0].1, Format::Csv).map(String::into_bytes)
        } else {
            report::pack(b.as_ref(), &out, extra)
        };
        Ok(bytes.map_err(|e| e.to_string()))
    })
    .await?
    .map_err(|e| bad(lang, &e))?;
    let mime = if ext == "csv" {
        "text/csv; charset=utf-8"
    } else {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    };
    let mut resp = ([(header::CONTENT_TYPE, mime)], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"lanterna-{name}.{ext}\"")) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

async fn targets_page(State(state): State<Arc<AppState>>, s: Signed, Query(q): Query<HashMap<String, String>>) -> Page {
    let lang = s.lang;
    let (b, scope) = (state.backend.clone(), s.who.scope);
    let rows = work(lang, move || {
        let mut out = Vec::new();
        for p in scope_projects(b.as_ref(), scope)? {
            let mut lines = Vec::new();
            let mut by_period: HashMap<(NaiveDate, NaiveDate), HashMap<&'static str, Option<u64>>> = HashMap::new();
            for t in b.targets(p.id)? {
                let values = match by_period.entry((t.from, t.to)) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(report::indicators(b.as_ref(), &p.units, t.from, t.to)?)
                    }
                };
                let a = values.get(t.indicator.as_str()).copied().flatten();
                lines.push((t, a));
            }
            out.push((p, lines));
        }
        Ok(out)
    })
    .await?;
    let mut h = String::new();
    if let Some(m) = q.get("error") {
        let _ = write!(h, "<p class=\"error\">{}</p>", esc(m));
    }
    if rows.is_empty() {
        let _ = write!(
            h,
            "<p class=\"muted\">{}</p>",
            tr(
                lang,
                "Gli obiettivi sono dei progetti: li vede e li imposta chi coordina un progetto o tutta la rete.",
                "Targets belong to projects: a coordinator of a project or of the whole network sees and sets them."
            )
        );
    }
    for (p, lines) in &rows {
        let _ = write!(h, "<div class=\"box\"><h2>{}</h2>", esc(&p.name));
        if !lines.is_empty() {
            let _ = write!(
                h,
                "<div class=\"scroll\"><table><thead><tr><th class=\"l\">{}</th><th class=\"l\">{}</th><th class=\"l\">{}</th><th>{}</th><th>{}</th><th class=\"l\">%</th></tr></thead><tbody>",
                tr(lang, "Indicatore", "Indicator"),
                tr(lang, "Periodo", "Period"),
                tr(lang, "Fase", "Stage"),
                tr(lang, "Atteso", "Expected"),
                tr(lang, "Effettivo", "Actual")
            );
            for (t, a) in lines {
                let words = report::INDICATORS
                    .iter()
                    .find(|i| i.0 == t.indicator)
                    .map_or(t.indicator.as_str(), |i| tr(lang, i.1, i.2));
                let stage = if t.stage == "final" {
                    tr(lang, "finale", "final")
                } else {
                    tr(lang, "intermedio", "intermediate")
                };
                let (actual, pct) = match a {
                    Some(n) => {
                        let pct = (n * 100).checked_div(t.value).map_or(100, |p| p.min(999));
                        (
                            n.to_string(),
                            format!(
                                "<div class=\"bar\" title=\"{pct}%\"><span style=\"width:{}%\"></span></div> {pct}%",
                                pct.min(100)
                            ),
                        )
                    }
                    None => ("—".into(), tr(lang, "solo su periodi pubblicati", "published periods only").to_owned()),
                };
                let _ = write!(
                    h,
                    "<tr><td class=\"l\">{}</td><td class=\"l\">{} – {}</td><td class=\"l\">{stage}</td><td>{}</td><td>{actual}</td><td class=\"l\">{pct}</td></tr>",
                    esc(words),
                    t.from,
                    t.to,
                    t.value
                );
            }
            h.push_str("</tbody></table></div>");
        }
        let _ = write!(
            h,
            "<form class=\"filters\" method=\"post\" action=\"/console/targets\" style=\"margin-top:.6rem\">{}<input type=\"hidden\" name=\"project\" value=\"{}\">",
            csrf_field(&s.csrf),
            p.id
        );
        let ind: Vec<(String, String)> =
            report::INDICATORS.iter().map(|i| (i.0.to_owned(), tr(lang, i.1, i.2).to_owned())).collect();
        h.push_str(&select(tr(lang, "Indicatore", "Indicator"), "indicator", &ind, None));
        let stages = vec![
            ("intermediate".to_owned(), tr(lang, "intermedio", "intermediate").to_owned()),
            ("final".to_owned(), tr(lang, "finale", "final").to_owned()),
        ];
        h.push_str(&select(tr(lang, "Fase", "Stage"), "stage", &stages, None));
        let _ = write!(
            h,
            "<label>{}<input name=\"period\" required size=\"12\" placeholder=\"2024, 2024-Q2\"></label><label>{}<input name=\"value\" type=\"number\" min=\"0\" required size=\"6\"></label><button>{}</button></form></div>",
            tr(lang, "Periodo", "Period"),
            tr(lang, "Valore atteso", "Expected value"),
            tr(lang, "Salva", "Save")
        );
    }
    Ok(html_page(&s, "targets", tr(lang, "Obiettivi: atteso ed effettivo", "Targets: expected and actual"), &h))
}

async fn set_target(State(state): State<Arc<AppState>>, Posted { s, form }: Posted) -> Page {
    let lang = s.lang;
    let (b, scope, who) = (state.backend.clone(), s.who.scope, s.who.name.clone());
    let done = work(lang, move || {
        let projects = scope_projects(b.as_ref(), scope)?;
        let project = form
            .get("project")
            .and_then(|p| Uuid::parse_str(p).ok())
            .and_then(|p| projects.into_iter().find(|x| x.id == p));
        let Some(project) = project else { return Ok(Err("project: one of your scope".to_owned())) };
        let indicator = form.get("indicator").cloned().unwrap_or_default();
        if !report::INDICATORS.iter().any(|i| i.0 == indicator) {
            return Ok(Err(format!("indicator '{indicator}': not one of the list")));
        }
        let stage = form.get("stage").cloned().unwrap_or_default();
        if stage != "intermediate" && stage != "final" {
            return Ok(Err("stage: intermediate or final".to_owned()));
        }
        let period = match period_of(b.as_ref(), form.get("period").map_or("", String::as_str)) {
            Ok(Some(p)) => p,
            Ok(None) => return Ok(Err("period: a month, quarter, year or named period".to_owned())),
            Err(e) => return Ok(Err(e)),
        };
        let Some(value) = form.get("value").and_then(|v| v.trim().parse::<u64>().ok()).filter(|v| *v <= 10_000_000)
        else {
            return Ok(Err("value: a whole number from 0 to 10,000,000".to_owned()));
        };
        let t = Target { project: project.id, from: period.from, to: period.to, indicator, stage, value };
        b.set_target(&t, &who, &project.name)?;
        Ok(Ok(()))
    })
    .await?;
    Ok(back("/console/targets", done))
}

/// Month keys `YYYY-MM` from `from` to `to`.
fn months(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m) <= (to.year(), to.month()) && out.len() < 120 {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// One chart series per activity.
fn series_of(by_activity: BTreeMap<Activity, Vec<u64>>, lang: Lang) -> Vec<crate::charts::Series> {
    by_activity
        .into_iter()
        .map(|(a, values)| crate::charts::Series { label: activity_words(a, lang).to_owned(), values })
        .collect()
}

async fn charts_page(State(state): State<Arc<AppState>>, s: Signed, Query(q): Query<HashMap<String, String>>) -> Page {
    let lang = s.lang;
    let (b, units) = (state.backend.clone(), s.units.clone());
    let key = q.get("period").cloned().unwrap_or_else(|| Utc::now().year().to_string());
    let k2 = key.clone();
    let data = work(lang, move || {
        let period = match period_of(b.as_ref(), &k2) {
            Ok(Some(p)) => p,
            Ok(None) | Err(_) => return Ok(Err(format!("period '{k2}': a month, quarter, year or named period"))),
        };
        let stored = b.summaries(units.as_deref(), period.from, period.to)?;
        // Persons met per calendar month (each month is a published period), by activity.
        let mut persons: BTreeMap<Activity, Vec<u64>> = BTreeMap::new();
        let cats = months(period.from, period.to);
        for (i, m) in cats.iter().enumerate() {
            let Some(first) = NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok() else { continue };
            let month = Period::calendar_of(first)[0];
            // Emersion counts no persons met: it is not a line of this chart.
            for p in b
                .persons(units.as_deref(), month.from, month.to)?
                .into_iter()
                .filter(|p| p.activity != Activity::Emersion)
            {
                let n: u64 = p.cells.iter().filter(|c| c.measure == Measure::Persons).map(|c| u64::from(c.count)).sum();
                persons.entry(p.activity).or_insert_with(|| vec![0; cats.len()])[i] += n;
            }
        }
        Ok(Ok((period, stored, persons)))
    })
    .await?;
    let mut h = format!(
        "<form class=\"filters box\" method=\"get\"><label>{}<input name=\"period\" value=\"{}\" size=\"12\"></label><button>{}</button></form>",
        tr(lang, "Periodo", "Period"),
        esc(&key),
        tr(lang, "Mostra", "Show")
    );
    let (period, stored, persons) = match data {
        Ok(d) => d,
        Err(e) => {
            let _ = write!(h, "<p class=\"error\">{}</p>", esc(&e));
            return Ok(html_page(&s, "charts", tr(lang, "Grafici", "Charts"), &h));
        }
    };
    let cats = months(period.from, period.to);
    let idx = |d: NaiveDate| cats.iter().position(|c| *c == format!("{:04}-{:02}", d.year(), d.month()));
    let mut contacts: BTreeMap<Activity, Vec<u64>> = BTreeMap::new();
    let mut items = vec![0u64; cats.len()];
    let mut nat: BTreeMap<String, u64> = BTreeMap::new();
    let mut outings: BTreeMap<lanterna::domain::Comune, u64> = BTreeMap::new();
    for st in &stored {
        let sm = &st.summary;
        let Some(i) = idx(sm.date) else { continue };
        let t = sm.tally();
        contacts.entry(sm.activity).or_insert_with(|| vec![0; cats.len()])[i] += report::contacts(&t);
        items[i] += t.iter().filter(|(_, k, _)| matches!(k.measure, Measure::Item(_))).map(|(_, _, n)| n).sum::<u64>();
        for c in &sm.cells {
            if c.measure == Measure::Contacts {
                *nat.entry(c.nationality.label(lang).to_owned()).or_default() += u64::from(c.count);
            }
        }
        for c in &sm.comuni {
            *outings.entry(*c).or_default() += 1;
        }
    }
    let series = series_of(contacts, lang);
    let mut nats: Vec<(String, u64)> = nat.into_iter().collect();
    nats.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    nats.truncate(15);
    let shaded: Vec<(lanterna::domain::Comune, u64)> = outings.into_iter().collect();
    let person_series = series_of(persons, lang);
    let _ = write!(
        h,
        "<div class=\"grid2\"><div class=\"box chart\">{}</div><div class=\"box chart\">{}</div><div class=\"box chart\">{}</div><div class=\"box chart\">{}</div><div class=\"box\">{}</div></div>",
        crate::charts::bars(
            tr(lang, "Persone incontrate per mese e attività", "Persons met per month and activity"),
            &cats,
            &person_series,
            lang
        ),
        crate::charts::bars(
            tr(lang, "Contatti per mese e attività", "Contacts per month and activity"),
            &cats,
            &series,
            lang
        ),
        crate::charts::bars(
            tr(lang, "Materiali distribuiti per mese", "Items handed out per month"),
            &cats,
            &[crate::charts::Series { label: tr(lang, "materiali", "items").to_owned(), values: items }],
            lang
        ),
        crate::charts::hbars(
            tr(lang, "Contatti per nazionalità (prime 15)", "Contacts by nationality (top 15)"),
            &nats,
            lang
        ),
        crate::map::comuni_map(
            tr(lang, "Comuni in cui le unità hanno lavorato (uscite)", "Comuni the units worked in (outings)"),
            &shaded,
            lang
        ),
    );
    Ok(html_page(&s, "charts", tr(lang, "Grafici e mappa", "Charts and map"), &h))
}

async fn audit_page(State(state): State<Arc<AppState>>, s: Signed) -> Page {
    let lang = s.lang;
    let (b, scope, me, units) = (state.backend.clone(), s.who.scope, s.who.name.clone(), s.units.clone());
    let entries = work(lang, move || {
        let all = b.audit_log(500, 0)?;
        if scope == Scope::All {
            return Ok(all);
        }
        // Outside the whole network: their own actions and what concerns their scope.
        let mut names: Vec<String> = scope_units(b.as_ref(), &units)?.into_iter().map(|u| u.name).collect();
        names.extend(scope_projects(b.as_ref(), scope)?.into_iter().map(|p| p.name));
        let mut out = Vec::new();
        for e in all {
            let mine = e.actor == me
                || e.subject == me
                || names.iter().any(|n| {
                    e.subject == *n || e.subject == format!("unit {n}") || e.subject == format!("project {n}")
                })
                || (e.action.starts_with("review.")
                    && Uuid::parse_str(&e.subject)
                        .is_ok_and(|id| b.shift(id, units.as_deref()).ok().flatten().is_some()));
            if mine {
                out.push(e);
            }
        }
        Ok(out)
    })
    .await?;
    let mut h = format!(
        "<div class=\"scroll\"><table><thead><tr><th class=\"l\">{}</th><th class=\"l\">{}</th><th class=\"l\">{}</th><th class=\"l\">{}</th><th class=\"l\">{}</th></tr></thead><tbody>",
        tr(lang, "Quando", "When"),
        tr(lang, "Chi", "Who"),
        tr(lang, "Azione", "Action"),
        tr(lang, "Su", "On"),
        tr(lang, "Dettagli", "Details")
    );
    for e in &entries {
        let subject = if e.action.starts_with("review.") {
            let short: String = e.subject.chars().take(8).collect();
            format!("<a href=\"/console/shifts/{}\">{}</a>", esc(&e.subject), esc(&short))
        } else {
            esc(&e.subject)
        };
        let _ = write!(
            h,
            "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{subject}</td><td class=\"l\">{}</td></tr>",
            e.at.format("%Y-%m-%d %H:%M:%S"),
            esc(&e.actor),
            esc(&e.action),
            esc(&e.detail)
        );
    }
    h.push_str("</tbody></table></div>");
    let _ = write!(
        h,
        "<p class=\"muted\">{}</p>",
        tr(
            lang,
            "Il registro è in sola aggiunta: nessuna riga si modifica o si cancella.",
            "The trail is append-only: no line is changed or deleted."
        )
    );
    Ok(html_page(&s, "audit", tr(lang, "Registro delle attività", "Audit trail"), &h))
}

async fn account_page(State(state): State<Arc<AppState>>, s: Signed) -> Page {
    let lang = s.lang;
    let (b, id) = (state.backend.clone(), s.who.id);
    let tokens = work(lang, move || b.api_tokens(id)).await?;
    let mut h = format!(
        "<div class=\"box\"><p>{} <b>{}</b></p><p>{} {}</p><p class=\"muted\">{}</p></div>",
        tr(lang, "Nome:", "Name:"),
        esc(&s.who.name),
        tr(lang, "Ambito:", "Scope:"),
        esc(&s.scope_words),
        tr(
            lang,
            "Per cambiare password chiedi un nuovo link all'amministratore del server (lanterna-server coordinator reset).",
            "To change your password ask the server's admin for a new link (lanterna-server coordinator reset)."
        )
    );
    let _ = write!(h, "<h2>{}</h2><ul>", tr(lang, "Token API", "API tokens"));
    if tokens.is_empty() {
        let _ = write!(
            h,
            "<li class=\"muted\">{}</li>",
            tr(
                lang,
                "Nessun token (lanterna-server coordinator token).",
                "No token (lanterna-server coordinator token)."
            )
        );
    }
    for t in &tokens {
        let state_words = t.revoked_at.map_or_else(
            || tr(lang, "attivo", "active").to_owned(),
            |r| format!("{} {}", tr(lang, "revocato", "revoked"), r.format("%Y-%m-%d")),
        );
        let _ = write!(h, "<li>{} · {} · {state_words}</li>", &t.id.to_string()[..8], t.created_at.format("%Y-%m-%d"));
    }
    h.push_str("</ul>");
    Ok(html_page(&s, "account", tr(lang, "Il tuo account", "Your account"), &h))
}
