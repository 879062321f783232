//! The coordinators' console: HTML pages served next to the API, on the same store.
//!
//! - Signing in: a one-time link (`lanterna-server coordinator add|reset`) sets the
//!   password (Argon2id); the name and password then open a session. The session cookie is
//!   random (its hash is kept), `HttpOnly`, `SameSite=Strict`, `Secure` when the public URL
//!   is https, and ends after `session_idle_minutes` without a request or
//!   `session_max_hours` after signing in. Failed sign-ins are throttled per account and
//!   per address.
//! - Every form carries a CSRF token (the session's; before signing in, a cookie's double)
//!   and a cross-site `Origin` is refused.
//! - A coordinator reads exactly the units of their scope; anything else is "not found".

mod html;
mod pages;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration as StdDuration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::Router;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{Duration, Utc};
use lanterna::domain::Lang;
use uuid::Uuid;

use self::html::{Frame, csrf_field, page, tr};
pub use crate::charts::esc;
use crate::http::AppState;
use crate::secret;
use crate::store::Backend;
use crate::store::console::{Coordinator, Scope};

/// The session cookie.
const SESSION: &str = "lanterna_console";
/// The cookie doubling the CSRF token of the forms shown before signing in.
const PRE: &str = "lanterna_pre";
/// The language cookie.
const LANG: &str = "lanterna_lang";
/// Shortest password.
pub const PASSWORD_MIN: usize = 12;
/// The window failed sign-ins are counted in.
const FAILURE_WINDOW: StdDuration = StdDuration::from_secs(15 * 60);

/// Failed sign-ins per account and per address, in memory.
#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Throttle {
    fn recent(&self, key: &str) -> usize {
        let mut m = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let list = m.entry(key.to_owned()).or_default();
        list.retain(|t| now.duration_since(*t) < FAILURE_WINDOW);
        list.len()
    }

    fn fail(&self, key: &str) {
        let mut m = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        m.entry(key.to_owned()).or_default().push(Instant::now());
        if m.len() > 100_000 {
            let now = Instant::now();
            m.retain(|_, l| l.iter().any(|t| now.duration_since(*t) < FAILURE_WINDOW));
        }
    }

    fn clear(&self, key: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }
}

/// The console's routes, merged into the API's router.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/console/shifts") }))
        .route("/console", get(|| async { Redirect::to("/console/shifts") }))
        .route("/console/", get(|| async { Redirect::to("/console/shifts") }))
        .route("/console/sign-in", get(sign_in_page).post(sign_in))
        .route("/console/sign-out", post(sign_out))
        .route("/console/link/{token}", get(link_page).post(set_password))
        .route("/console/lang/{lang}", get(set_lang))
        .merge(pages::router())
}

/// A cookie's value.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The page's language: the cookie's, Italian by default.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    match cookie(headers, LANG) {
        Some("en") => Lang::En,
        _ => Lang::It,
    }
}

fn secure(state: &AppState) -> &'static str {
    if state.config.public_url().starts_with("https://") { "; Secure" } else { "" }
}

fn set_cookie(resp: &mut Response, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// A request's client address, for throttling: the peer's, or behind a proxy named in
/// `trusted_proxy`, the client's it forwarded.
fn address(state: &AppState, parts: &axum::http::request::Parts) -> String {
    crate::http::limit::client_ip_of(&state.trusted, &parts.extensions, &parts.headers)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// Refuses a cross-site form: an `Origin` (or, without one, a `Referer`) that is not this
/// server's.
fn same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let public = state.config.public_url();
    let ok = |o: &str| {
        let o = o.trim_end_matches('/');
        o == public
            || o.split_once("://").is_some_and(|(_, rest)| rest == host || rest.starts_with(&format!("{host}/")))
    };
    match (headers.get(header::ORIGIN), headers.get(header::REFERER)) {
        (Some(o), _) => o.to_str().is_ok_and(|o| o != "null" && ok(o)),
        (None, Some(r)) => r.to_str().is_ok_and(|r| {
            let origin: String = r.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
            ok(&origin)
        }),
        (None, None) => true,
    }
}

/// Compares secrets without leaking where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// An error page with its status.
pub fn problem(status: StatusCode, lang: Lang, title: &str, what: &str) -> Response {
    let f = Frame { lang, section: None, who: None, csrf: None };
    let body = format!(
        "<div class=\"box\"><p class=\"error\">{}</p><p><a href=\"/console/shifts\">{}</a></p></div>",
        esc(what),
        tr(lang, "Torna alla console", "Back to the console")
    );
    (status, axum::response::Html(page(&f, title, &body))).into_response()
}

/// A signed-in coordinator: the session's owner, their scope's units and the session's
/// CSRF token. Without a valid session the request is sent to the sign-in page.
pub struct Signed {
    /// The coordinator.
    pub who: Coordinator,
    /// Their scope's units (None: every unit).
    pub units: Option<Vec<Uuid>>,
    /// The token their forms carry.
    pub csrf: String,
    /// The hash of the session's id.
    session: String,
    /// The page's language.
    pub lang: Lang,
    /// Words for the scope.
    pub scope_words: String,
}

impl Signed {
    /// The page frame for a section.
    pub fn frame<'a>(&'a self, section: &'a str) -> Frame<'a> {
        Frame {
            lang: self.lang,
            section: Some(section),
            who: Some((&self.who.name, &self.scope_words)),
            csrf: Some(&self.csrf),
        }
    }

    /// Whether the scope holds `unit`.
    pub fn sees(&self, unit: Uuid) -> bool {
        self.units.as_ref().is_none_or(|u| u.contains(&unit))
    }
}

impl FromRequestParts<Arc<AppState>> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Response> {
        let lang = lang_of(&parts.headers);
        let to_sign_in = || Redirect::to("/console/sign-in").into_response();
        let Some(id) = cookie(&parts.headers, SESSION) else { return Err(to_sign_in()) };
        let hash = secret::hash(id);
        let (b, h) = (state.backend.clone(), hash.clone());
        let (idle, max) = (state.config.session_idle_minutes, state.config.session_max_hours);
        let found = tokio::task::spawn_blocking(move || -> crate::store::Result<_> {
            let Some(s) = b.session(&h)? else { return Ok(None) };
            let now = Utc::now();
            if now - s.seen_at > Duration::minutes(idle.into()) || now - s.created_at > Duration::hours(max.into()) {
                b.end_session(&h)?;
                return Ok(None);
            }
            // One write a minute at most, not one per page.
            if now - s.seen_at > Duration::seconds(60) {
                b.touch_session(&h, now)?;
            }
            let units = b.units_of(s.coordinator.scope)?;
            let words = scope_words(b.as_ref(), s.coordinator.scope, lang)?;
            Ok(Some((s, units, words)))
        })
        .await;
        match found {
            Ok(Ok(Some((s, units, scope_words)))) => {
                Ok(Signed { who: s.coordinator, units, csrf: s.csrf, session: hash, lang, scope_words })
            }
            Ok(Ok(None)) => Err(to_sign_in()),
            _ => Err(problem(
                StatusCode::SERVICE_UNAVAILABLE,
                lang,
                "Errore",
                tr(lang, "Il database non risponde: riprova tra poco.", "The store is not available: try again later."),
            )),
        }
    }
}

/// Words for a scope in the page's language.
pub fn scope_words(b: &dyn Backend, scope: Scope, lang: Lang) -> crate::store::Result<String> {
    Ok(match scope {
        Scope::All => tr(lang, "tutte le unità", "all units").to_owned(),
        Scope::Unit(u) => {
            let name = b.units()?.into_iter().find(|x| x.id == u).map_or(u.to_string(), |x| x.name);
            named(tr(lang, "unità", "unit"), name)
        }
        Scope::Project(p) => {
            let name = b.projects()?.into_iter().find(|x| x.id == p).map_or(p.to_string(), |x| x.name);
            named(tr(lang, "progetto", "project"), name)
        }
    })
}

/// "unità Bergamo", but "Unità di strada Bergamo" as it is, not "unità Unità di strada ...".
fn named(kind: &str, name: String) -> String {
    if name.to_lowercase().starts_with(&kind.to_lowercase()) { name } else { format!("{kind} {name}") }
}

/// A checked form of a session: its fields, after the CSRF token and the origin passed.
pub fn checked_form(
    state: &AppState,
    headers: &HeaderMap,
    signed: &Signed,
    form: &HashMap<String, String>,
) -> Result<(), Box<Response>> {
    let token_ok = form.get("csrf").is_some_and(|t| same_secret(t, &signed.csrf));
    if !token_ok || !same_origin(state, headers) {
        return Err(Box::new(problem(
            StatusCode::FORBIDDEN,
            signed.lang,
            "Richiesta rifiutata",
            tr(
                signed.lang,
                "Modulo scaduto o inviato da un altro sito (CSRF): ricarica la pagina e riprova.",
                "The form expired or came from another site (CSRF): reload the page and try again.",
            ),
        )));
    }
    Ok(())
}

/// A session's form, posted: the coordinator and the form's fields, once its CSRF token
/// and origin passed ([`checked_form`]). The body is read last, so this is the handler's
/// last argument.
pub struct Posted {
    /// The signed-in coordinator.
    pub s: Signed,
    /// The form's fields.
    pub form: HashMap<String, String>,
}

impl axum::extract::FromRequest<Arc<AppState>> for Posted {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &Arc<AppState>) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let s = Signed::from_request_parts(&mut parts, state).await?;
        let headers = parts.headers.clone();
        let req = axum::extract::Request::from_parts(parts, body);
        let axum::Form(form) =
            <axum::Form<HashMap<String, String>> as axum::extract::FromRequest<_>>::from_request(req, state)
                .await
                .map_err(IntoResponse::into_response)?;
        checked_form(state, &headers, &s, &form).map_err(|e| *e)?;
        Ok(Posted { s, form })
    }
}

/// A form shown before signing in, with its CSRF double in a cookie.
fn pre_form(state: &AppState, lang: Lang, title: &str, action: &str, fields: &str, note: &str) -> Response {
    let token = secret::token();
    let body = format!(
        "<div class=\"box\" style=\"max-width:28rem\">{note}<form method=\"post\" action=\"{}\" \
         style=\"display:flex;flex-direction:column;gap:.6rem\">{}{fields}</form></div>",
        esc(action),
        csrf_field(&token)
    );
    let f = Frame { lang, section: None, who: None, csrf: None };
    let mut resp = axum::response::Html(page(&f, title, &body)).into_response();
    set_cookie(
        &mut resp,
        format!("{PRE}={token}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=3600{}", secure(state)),
    );
    resp
}

/// Checks a pre-session form's CSRF token against its cookie, and the origin.
fn pre_checked(state: &AppState, headers: &HeaderMap, form: &HashMap<String, String>) -> bool {
    let cookie = cookie(headers, PRE).unwrap_or("");
    !cookie.is_empty() && form.get("csrf").is_some_and(|t| same_secret(t, cookie)) && same_origin(state, headers)
}

fn sign_in_fields(lang: Lang, name: &str) -> String {
    format!(
        "<label>{}<input name=\"name\" value=\"{}\" autocomplete=\"username\" required></label>\
         <label>{}<input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\
         <button>{}</button>",
        tr(lang, "Nome", "Name"),
        esc(name),
        tr(lang, "Password", "Password"),
        tr(lang, "Entra", "Sign in")
    )
}

async fn sign_in_page(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let lang = lang_of(&headers);
    pre_form(
        &state,
        lang,
        tr(lang, "Accesso coordinatori", "Coordinators' sign-in"),
        "/console/sign-in",
        &sign_in_fields(lang, ""),
        "",
    )
}

/// Starts a session for `c` and sends them to the shifts.
async fn start_session(state: &AppState, c: &Coordinator) -> Result<Response, Response> {
    let id = secret::token();
    let csrf = secret::token();
    let (b, h, cid) = (state.backend.clone(), secret::hash(&id), c.id);
    let done = tokio::task::spawn_blocking(move || b.add_session(&h, cid, &csrf, Utc::now())).await;
    if !matches!(done, Ok(Ok(()))) {
        return Err(problem(StatusCode::SERVICE_UNAVAILABLE, Lang::It, "Errore", "The store is not available."));
    }
    let mut resp = Redirect::to("/console/shifts").into_response();
    let max = u64::from(state.config.session_max_hours) * 3600;
    set_cookie(&mut resp, format!("{SESSION}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max}{}", secure(state)));
    set_cookie(&mut resp, format!("{PRE}=; Path=/console; Max-Age=0"));
    Ok(resp)
}

async fn sign_in(State(state): State<Arc<AppState>>, req: axum::extract::Request) -> Response {
    let (parts, body) = req.into_parts();
    let lang = lang_of(&parts.headers);
    let addr = address(&state, &parts);
    let form: HashMap<String, String> = match axum::body::to_bytes(body, 16 * 1024).await {
        Ok(bytes) => serde_urlencoded::from_bytes(&bytes).unwrap_or_default(),
        Err(_) => HashMap::new(),
    };
    let title = tr(lang, "Accesso coordinatori", "Coordinators' sign-in");
    if !pre_checked(&state, &parts.headers, &form) {
        return problem(
            StatusCode::FORBIDDEN,
            lang,
            title,
            tr(
                lang,
                "Modulo scaduto o inviato da un altro sito: ricarica la pagina.",
                "The form expired or came from another site: reload the page.",
            ),
        );
    }
    let name = form.get("name").map_or("", |n| n.trim()).to_owned();
    let password = form.get("password").cloned().unwrap_or_default();
    let (acct, ip) = (format!("account:{name}"), format!("address:{addr}"));
    let limit = state.config.sign_in_failures as usize;
    if state.sign_in.recent(&acct) >= limit || state.sign_in.recent(&ip) >= limit * 4 {
        return problem(
            StatusCode::TOO_MANY_REQUESTS,
            lang,
            title,
            tr(
                lang,
                "Troppi tentativi falliti: riprova tra 15 minuti.",
                "Too many failed attempts: try again in 15 minutes.",
            ),
        );
    }
    // The attempt counts before the password is checked, so parallel attempts cannot all
    // pass the limit; a success takes the name's count back.
    state.sign_in.fail(&acct);
    state.sign_in.fail(&ip);
    let (b, n) = (state.backend.clone(), name.clone());
    let checked = tokio::task::spawn_blocking(move || -> Option<Coordinator> {
        let found = b.password_of(&n).ok().flatten();
        // A hash is checked even for an unknown name, so timing does not tell names apart.
        let phc = found.as_ref().map_or(DUMMY_HASH, |(_, h)| h.as_str()).to_owned();
        let ok = verify_password(&password, &phc);
        found.filter(|_| ok).map(|(c, _)| c)
    })
    .await
    .ok()
    .flatten();
    match checked {
        Some(c) => {
            state.sign_in.clear(&acct);
            start_session(&state, &c).await.unwrap_or_else(|e| e)
        }
        None => {
            let mut resp = pre_form(
                &state,
                lang,
                title,
                "/console/sign-in",
                &sign_in_fields(lang, &name),
                &format!("<p class=\"error\">{}</p>", tr(lang, "Nome o password errati.", "Wrong name or password.")),
            );
            *resp.status_mut() = StatusCode::UNAUTHORIZED;
            resp
        }
    }
}

/// An Argon2id hash of no password anyone has, checked for unknown names.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0Pk8Tfo5yE8hQp0nRGl0dZs0Zxw8a4m2m1bJ9c8qj1E";

/// An Argon2id hash (PHC string) of a password.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Whether `password` matches an Argon2id PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

async fn sign_out(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    signed: Signed,
    form: axum::Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = checked_form(&state, &headers, &signed, &form) {
        return *r;
    }
    let (b, h) = (state.backend.clone(), signed.session.clone());
    let _ = tokio::task::spawn_blocking(move || b.end_session(&h)).await;
    let mut resp = Redirect::to("/console/sign-in").into_response();
    set_cookie(&mut resp, format!("{SESSION}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}", secure(&state)));
    resp
}

fn password_fields(lang: Lang) -> String {
    format!(
        "<label>{}<input name=\"password\" type=\"password\" minlength=\"{PASSWORD_MIN}\" autocomplete=\"new-password\" required></label>\
         <label>{}<input name=\"again\" type=\"password\" minlength=\"{PASSWORD_MIN}\" autocomplete=\"new-password\" required></label>\
         <button>{}</button>",
        tr(lang, "Nuova password (almeno 12 caratteri)", "New password (at least 12 characters)"),
        tr(lang, "Ripeti la password", "Repeat the password"),
        tr(lang, "Imposta ed entra", "Set it and sign in")
    )
}

async fn link_page(State(state): State<Arc<AppState>>, headers: HeaderMap, Path(token): Path<String>) -> Response {
    let lang = lang_of(&headers);
    let (b, h) = (state.backend.clone(), secret::hash(&token));
    let holder = tokio::task::spawn_blocking(move || b.link_holder(&h, Utc::now())).await;
    let title = tr(lang, "Imposta la password", "Set your password");
    match holder {
        Ok(Ok(Some(c))) => {
            let note = format!("<p>{} <b>{}</b></p>", tr(lang, "Account:", "Account:"), esc(&c.name));
            let mut resp =
                pre_form(&state, lang, title, &format!("/console/link/{token}"), &password_fields(lang), &note);
            resp.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
            resp
        }
        Ok(Ok(None)) => problem(
            StatusCode::NOT_FOUND,
            lang,
            title,
            tr(
                lang,
                "Link sconosciuto, già usato o scaduto: chiedi un nuovo link (lanterna-server coordinator reset).",
                "Unknown, used or expired link: ask for a new one (lanterna-server coordinator reset).",
            ),
        ),
        _ => problem(StatusCode::SERVICE_UNAVAILABLE, lang, title, "The store is not available."),
    }
}

async fn set_password(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(token): Path<String>,
    form: axum::Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&headers);
    let title = tr(lang, "Imposta la password", "Set your password");
    if !pre_checked(&state, &headers, &form) {
        return problem(
            StatusCode::FORBIDDEN,
            lang,
            title,
            tr(lang, "Modulo scaduto: ricarica la pagina.", "The form expired: reload the page."),
        );
    }
    let password = form.get("password").cloned().unwrap_or_default();
    let again = form.get("again").cloned().unwrap_or_default();
    let retry = |what: &str| {
        let mut r = pre_form(
            &state,
            lang,
            title,
            &format!("/console/link/{token}"),
            &password_fields(lang),
            &format!("<p class=\"error\">{}</p>", esc(what)),
        );
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        r
    };
    if password.chars().count() < PASSWORD_MIN {
        return retry(tr(
            lang,
            "La password deve avere almeno 12 caratteri.",
            "The password needs at least 12 characters.",
        ));
    }
    if password != again {
        return retry(tr(lang, "Le due password non coincidono.", "The two passwords differ."));
    }
    let (b, h) = (state.backend.clone(), secret::hash(&token));
    let used = tokio::task::spawn_blocking(move || -> Result<Option<Coordinator>, String> {
        let phc = hash_password(&password)?;
        b.use_link(&h, &phc, Utc::now()).map_err(|e| e.to_string())
    })
    .await;
    match used {
        Ok(Ok(Some(c))) => start_session(&state, &c).await.unwrap_or_else(|e| e),
        Ok(Ok(None)) => problem(
            StatusCode::NOT_FOUND,
            lang,
            title,
            tr(lang, "Link sconosciuto, già usato o scaduto.", "Unknown, used or expired link."),
        ),
        _ => problem(StatusCode::SERVICE_UNAVAILABLE, lang, title, "The store is not available."),
    }
}

async fn set_lang(Path(lang): Path<String>, headers: HeaderMap) -> Response {
    let code = if lang == "en" { "en" } else { "it" };
    // Back to the page it came from, when that is a console page.
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.find("/console/").map(|i| r[i..].to_owned()))
        .filter(|p| !p.starts_with("/console/lang/") && !p.starts_with("/console/link/"))
        .unwrap_or_else(|| "/console/shifts".into());
    let mut resp = Redirect::to(&back).into_response();
    set_cookie(&mut resp, format!("{LANG}={code}; Path=/; SameSite=Strict; Max-Age=31536000"));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("una password lunga").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("una password lunga", &h));
        assert!(!verify_password("un'altra password", &h));
        assert!(!verify_password("anything", "not a hash"));
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn a_scope_is_not_named_twice() {
        assert_eq!(named("unità", "Bergamo".into()), "unità Bergamo");
        assert_eq!(named("unità", "Unità di strada Bergamo".into()), "Unità di strada Bergamo");
        assert_eq!(named("project", "Bando".into()), "project Bando");
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd") && !same_secret("abc", "ab"));
    }
}
