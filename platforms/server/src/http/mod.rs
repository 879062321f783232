//! The HTTP API, version 1. Every rejection is a 4xx with `{"error": "..."}` saying what
//! was wrong; nothing of a rejected request is stored. Logs carry method, path, status
//! and time: no addresses, no payloads. Who is asking comes from the [`DeviceAuth`] and
//! [`CoordinatorAuth`] arguments, the body from [`WireJson`]; every failure is a
//! [`ServerError`].

mod auth;
mod body;
pub mod limit;
pub mod plausible;
mod serve;
mod tls;

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::extract::{Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{Duration, NaiveDate, Utc};
use lanterna::domain::tables::Selection;
use lanterna::domain::{Activity, Lang, Province, parse_date};
use lanterna::report::Format;
use lanterna::wire::{
    Ack, Batch, BatchResponse, CODE_PATTERN, EnrollRequest, EnrollResponse, FeedbackResponse, Invalid, PeriodsResponse,
    Refusal, SYNC_VERSION, SYNC_VERSION_HEADER,
};
use serde::Serialize;
use uuid::Uuid;

pub use self::auth::{CoordinatorAuth, DeviceAuth};
pub use self::body::{BodyLimits, EnrollJson, WireJson, decode_body};
pub use self::serve::{bind, serve, serve_with_shutdown, serve_with_shutdown_tls, shutdown_signal};
pub use self::tls::tls_config;
use crate::config::Config;
use crate::error::ServerError;
use crate::report::{self, Kind};
use crate::secret;

/// What every handler shares.
pub struct AppState {
    /// The store.
    pub backend: Arc<dyn crate::store::Backend>,
    /// The settings.
    pub config: Config,
    limiter: Mutex<HashMap<String, (f64, Instant)>>,
    /// Failed console sign-ins.
    pub sign_in: crate::console::Throttle,
    /// Rate limits by client address.
    pub addresses: limit::AddressLimiter,
    /// The trusted proxies' addresses (`trusted_proxy`).
    pub trusted: Vec<std::net::IpAddr>,
}

impl AppState {
    /// State over a store. A `trusted_proxy` that does not parse trusts no proxy
    /// ([`Config::load`] refuses it before).
    pub fn new(backend: Arc<dyn crate::store::Backend>, config: Config) -> Arc<AppState> {
        let trusted = config.trusted_proxies().unwrap_or_default();
        Arc::new(AppState {
            backend,
            config,
            limiter: Mutex::new(HashMap::new()),
            sign_in: Default::default(),
            addresses: Default::default(),
            trusted,
        })
    }

    /// The rate of enrolment attempts per address.
    fn enroll_rate(&self) -> limit::Rate {
        limit::Rate { per_minute: self.config.enroll_per_minute, burst: self.config.enroll_burst }
    }

    /// The rate of failed tokens per address.
    fn failed_token_rate(&self) -> limit::Rate {
        limit::Rate { per_minute: self.config.auth_failures_per_minute, burst: self.config.auth_failures_burst }
    }

    /// Token bucket per token: `rate_burst` requests at once, refilled at
    /// `rate_per_minute`.
    fn allow(&self, key: &str) -> bool {
        let now = Instant::now();
        let burst = f64::from(self.config.rate_burst);
        let per_sec = f64::from(self.config.rate_per_minute) / 60.0;
        let mut m = self.limiter.lock().unwrap_or_else(|e| e.into_inner());
        let (tokens, last) = m.entry(key.to_owned()).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * per_sec).min(burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

type ApiResult<T> = Result<T, ServerError>;

/// Runs store work off the async threads.
async fn blocking<T, E>(f: impl FnOnce() -> Result<T, E> + Send + 'static) -> ApiResult<T>
where
    T: Send + 'static,
    E: Into<ServerError> + Send + 'static,
{
    blocking_or("the request failed inside the server", f).await
}

/// Runs blocking work off the async threads; `public` is what the client reads if the
/// work panics.
async fn blocking_or<T, E>(public: &'static str, f: impl FnOnce() -> Result<T, E> + Send + 'static) -> ApiResult<T>
where
    T: Send + 'static,
    E: Into<ServerError> + Send + 'static,
{
    tokio::task::spawn_blocking(f).await.map_err(|e| ServerError::internal(public, e))?.map_err(Into::into)
}

/// The router of API version 1.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/v1/enroll", post(enroll))
        .route("/api/v1/summaries", post(upload).get(list))
        .route("/api/v1/periods", get(periods))
        .route("/api/v1/feedback", get(feedback))
        .route("/api/v1/reports/{kind}", get(report_table))
        .merge(crate::console::router())
        .fallback(|| async { ServerError::NotFound("no such endpoint (the API is under /api/v1)".into()) })
        .layer(middleware::from_fn(retry_after))
        .layer(middleware::from_fn(log))
        .with_state(state)
}

/// Every 429 says when to come back (`Retry-After`, seconds), unless it said already.
async fn retry_after(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    if resp.status() == StatusCode::TOO_MANY_REQUESTS && !resp.headers().contains_key(header::RETRY_AFTER) {
        resp.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("60"));
    }
    resp
}

/// A 429 that says when to come back.
pub(crate) fn too_many(message: &str, wait: std::time::Duration) -> Response {
    let mut resp = ServerError::TooManyRequests(message.to_owned()).into_response();
    let secs = wait.as_secs().max(1).to_string();
    if let Ok(v) = header::HeaderValue::from_str(&secs) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

/// An enrolment attempt within its address's rate, checked before the body is read.
struct EnrollGate;

impl axum::extract::FromRequestParts<Arc<AppState>> for EnrollGate {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let Some(ip) = limit::client_ip(state, parts) else { return Ok(EnrollGate) };
        state
            .addresses
            .take(limit::Kind::Enroll, ip, state.enroll_rate())
            .map(|()| EnrollGate)
            .map_err(|wait| too_many("too many enrollment attempts from this address: wait and try again", wait))
    }
}

/// One line per request: method, path, status, time. No address, no query, no body.
async fn log(req: Request, next: Next) -> Response {
    let (method, t) = (req.method().clone(), Instant::now());
    // A one-time sign-in link is a secret: its token never reaches the log.
    let path = match req.uri().path() {
        p if p.starts_with("/console/link/") => "/console/link/…".to_owned(),
        p => p.to_owned(),
    };
    let resp = next.run(req).await;
    eprintln!("{method} {path} {} {}ms", resp.status().as_u16(), t.elapsed().as_millis());
    resp
}

async fn enroll(
    State(state): State<Arc<AppState>>,
    _: EnrollGate,
    EnrollJson(req): EnrollJson<EnrollRequest>,
) -> ApiResult<Response> {
    if !secret::is_code(&req.code) {
        return Err(ServerError::Unprocessable(format!("an enrollment code looks like {CODE_PATTERN}")));
    }
    let token = secret::token();
    let (b, code_hash, token_hash) = (state.backend.clone(), secret::hash(&req.code), secret::hash(&token));
    let days = state.config.device_token_days;
    let device = blocking(move || {
        let now = Utc::now();
        b.purge_expired_codes(now)?;
        let Some(device) = b.redeem(&code_hash, &token_hash, now)? else { return Ok(None) };
        // The token is not shown before its expiry is kept: a failure here leaves a
        // device nobody holds the token of.
        if days > 0 {
            b.expire_device_token(device.id, now + Duration::days(i64::from(days)))?;
        }
        Ok::<_, crate::store::StoreError>(Some(device))
    })
    .await?
    .ok_or_else(|| ServerError::Forbidden("unknown, used or expired enrollment code".into()))?;
    Ok((StatusCode::CREATED, axum::Json(EnrollResponse { token, device: device.id })).into_response())
}

/// `POST /api/v1/summaries`. Request-level problems (auth, body, JSON, too many entries)
/// refuse the request; then each summary and period's persons is judged on its own
/// ([`plausible`]). A phone that reads [`SYNC_VERSION`] 2 (its [`SYNC_VERSION_HEADER`])
/// gets the implausible ones acknowledged as refused with their reason while the rest are
/// stored; an older one gets the 422 of version 1 for the first, nothing stored.
async fn upload(
    State(state): State<Arc<AppState>>,
    DeviceAuth(device): DeviceAuth,
    headers: axum::http::HeaderMap,
    WireJson(batch): WireJson<Batch>,
) -> ApiResult<axum::Json<BatchResponse>> {
    let limits = state.config.limits();
    for (what, n) in [("summaries", batch.summaries.len()), ("periods' persons", batch.persons.len())] {
        if n > limits.summaries_per_batch {
            return Err(ServerError::PayloadTooLarge(format!(
                "{n} {what} in one request, more than {}",
                limits.summaries_per_batch
            )));
        }
    }
    let per_summary = headers
        .get(SYNC_VERSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u32>().ok())
        .is_some_and(|v| v >= SYNC_VERSION);
    let b = state.backend.clone();
    let unit_id = device.unit;
    let unit = blocking(move || b.unit(unit_id))
        .await?
        .ok_or_else(|| ServerError::Unauthorized("this device's unit is gone".into()))?;
    let bounds = plausible::Plausible::of(&unit, &state.config, Utc::now());
    let judge = |r: Result<(), Invalid>| match r {
        Ok(()) => Ok(None),
        Err(e) if per_summary => Ok(Some(e.reason)),
        Err(e) => Err(ServerError::Unprocessable(e.message)),
    };
    let summary_refusals =
        batch.summaries.iter().map(|s| judge(bounds.summary(s))).collect::<ApiResult<Vec<Option<Refusal>>>>()?;
    let person_refusals =
        batch.persons.iter().map(|p| judge(bounds.persons(p))).collect::<ApiResult<Vec<Option<Refusal>>>>()?;
    let kept = Batch {
        summaries: accepted(&batch.summaries, &summary_refusals),
        persons: accepted(&batch.persons, &person_refusals),
    };
    let b = state.backend.clone();
    let statuses = blocking(move || b.store(&device, &kept, Utc::now())).await?;
    let acks = answers(&batch.summaries, summary_refusals, statuses.summaries, |s, r| match r {
        Err(reason) => Ack::refused(s.id, s.revision, reason),
        Ok(st) => Ack::new(s.id, s.revision, st),
    })?;
    let person_acks = answers(&batch.persons, person_refusals, statuses.persons, |p, r| match r {
        Err(reason) => p.refused(reason),
        Ok(st) => p.ack(st),
    })?;
    Ok(axum::Json(BatchResponse { acks, person_acks }))
}

/// The entries not refused, in order: what goes to the store.
fn accepted<T: Clone>(entries: &[T], refusals: &[Option<Refusal>]) -> Vec<T> {
    entries.iter().zip(refusals).filter(|(_, r)| r.is_none()).map(|(e, _)| e.clone()).collect()
}

/// One answer per entry, in order: its refusal, or the store's status for the next of the
/// [`accepted`] ones.
fn answers<T, S, A>(
    entries: &[T],
    refusals: Vec<Option<Refusal>>,
    statuses: Vec<S>,
    answer: impl Fn(&T, Result<S, Refusal>) -> A,
) -> ApiResult<Vec<A>> {
    let mut stored = statuses.into_iter();
    entries
        .iter()
        .zip(refusals)
        .map(|(e, refused)| match refused {
            Some(reason) => Ok(answer(e, Err(reason))),
            None => stored.next().map(|st| answer(e, Ok(st))).ok_or_else(short),
        })
        .collect()
}

/// A store that answered for fewer entries than it was given.
fn short() -> ServerError {
    ServerError::internal("the request failed inside the server", "the store acknowledged fewer entries than sent")
}

/// The named periods, for the phones to count persons in.
async fn periods(State(state): State<Arc<AppState>>, _: DeviceAuth) -> ApiResult<axum::Json<PeriodsResponse>> {
    let b = state.backend.clone();
    let (periods, mapping_nights) =
        blocking(move || Ok::<_, crate::store::StoreError>((b.periods()?, b.mapping_nights()?))).await?;
    Ok(axum::Json(PeriodsResponse { periods, mapping_nights }))
}

/// What a device's unit learns at sync: reviews of its shifts and its closed periods.
async fn feedback(
    State(state): State<Arc<AppState>>,
    DeviceAuth(device): DeviceAuth,
) -> ApiResult<axum::Json<FeedbackResponse>> {
    let b = state.backend.clone();
    Ok(axum::Json(blocking(move || b.feedback(device.unit)).await?))
}

/// The query of the read API, checked field by field.
struct ReadQuery {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    period: Option<String>,
    unit: Option<Uuid>,
    province: Option<Province>,
    activity: Option<Activity>,
    lang: Lang,
    k: Option<u64>,
    public: bool,
    network: bool,
    format: ReadFormat,
}

/// What a report is answered as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFormat {
    /// JSON (the default).
    Json,
    /// CSV.
    Csv,
    /// An Excel workbook laid out as printed.
    Xlsx,
}

impl ReadFormat {
    fn parse(s: &str) -> Result<ReadFormat, String> {
        match s {
            "json" => Ok(ReadFormat::Json),
            "csv" => Ok(ReadFormat::Csv),
            "xlsx" => Ok(ReadFormat::Xlsx),
            _ => Err(format!("'{s}': expected json, csv or xlsx")),
        }
    }
}

/// One query parameter, parsed when present; a 400 naming it when it does not parse.
fn param<T, E: Display>(
    q: &HashMap<String, String>,
    k: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> ApiResult<Option<T>> {
    q.get(k).map(|v| parse(v).map_err(|e| ServerError::BadRequest(format!("query parameter {k}: {e}")))).transpose()
}

fn read_query(q: &HashMap<String, String>) -> ApiResult<ReadQuery> {
    for k in q.keys() {
        if !READ_PARAMS.contains(&k.as_str()) {
            return Err(ServerError::BadRequest(format!("query parameter {k}: unknown ({})", READ_PARAMS.join(", "))));
        }
    }
    let period = q.get("period").cloned();
    if period.is_some() && (q.contains_key("from") || q.contains_key("to")) {
        return Err(ServerError::BadRequest("query parameter period: give either period or from and to".into()));
    }
    Ok(ReadQuery {
        from: param(q, "from", parse_date)?,
        to: param(q, "to", parse_date)?,
        period,
        unit: param(q, "unit", Uuid::parse_str)?,
        province: param(q, "province", Province::parse)?,
        activity: param(q, "activity", Activity::parse)?,
        lang: param(q, "lang", Lang::parse)?.unwrap_or_default(),
        k: param(q, "k", str::parse::<u64>)?,
        public: param(q, "public", yes_no)?.unwrap_or(false),
        network: param(q, "network", yes_no)?.unwrap_or(false),
        format: param(q, "format", ReadFormat::parse)?.unwrap_or(ReadFormat::Json),
    })
}

/// `true`/`1` or `false`/`0`.
fn yes_no(v: &str) -> Result<bool, &'static str> {
    match v {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err("expected true or false"),
    }
}

/// The parameters the read API knows.
const READ_PARAMS: [&str; 11] =
    ["from", "to", "period", "unit", "province", "activity", "lang", "k", "public", "network", "format"];

impl ReadQuery {
    /// The units read: the one asked for, when the scope holds it (403 otherwise), or the
    /// whole scope.
    fn units(&self, scope: &Option<Vec<Uuid>>) -> ApiResult<Option<Vec<Uuid>>> {
        if self.network {
            // The network view: every unit, and only ever published (see `published`).
            return match self.unit {
                Some(_) => Err(ServerError::BadRequest("query parameter network: not with unit".into())),
                None => Ok(None),
            };
        }
        match (self.unit, scope) {
            (Some(u), Some(units)) if !units.contains(&u) => {
                Err(ServerError::Forbidden(format!("unit {u} is outside this coordinator's scope")))
            }
            (Some(u), _) => Ok(Some(vec![u])),
            (None, scope) => Ok(scope.clone()),
        }
    }

    /// Published with threshold k (`public=true`, or a `k` of 2 or more), or exact.
    fn published(&self, default_k: u64) -> Option<u64> {
        match self.k {
            Some(k) if k >= 2 => Some(k),
            _ if self.network || self.public => Some(default_k),
            _ => None,
        }
    }

    /// The dates asked for: `from` and `to`, or those of the published `period`.
    fn dates(&self, backend: &dyn crate::store::Backend) -> ApiResult<(Option<NaiveDate>, Option<NaiveDate>)> {
        let Some(name) = &self.period else { return Ok((self.from, self.to)) };
        let p = report::published(backend, name).map_err(|e| match e {
            report::ReportError::Bad(m) => ServerError::BadRequest(format!("query parameter period: {m}")),
            e => e.into(),
        })?;
        Ok((Some(p.from), Some(p.to)))
    }
}

#[derive(Serialize)]
struct Listing {
    summaries: Vec<crate::store::Stored>,
}

async fn list(
    State(state): State<Arc<AppState>>,
    Query(q): Query<HashMap<String, String>>,
    auth: CoordinatorAuth,
) -> ApiResult<axum::Json<Listing>> {
    let q = read_query(&q)?;
    if q.network {
        return Err(ServerError::BadRequest(
            "query parameter network: raw summaries are read only within the coordinator's scope".into(),
        ));
    }
    let units = q.units(&auth.units)?;
    let b = state.backend.clone();
    let summaries = blocking(move || {
        let (from, to) = q.dates(b.as_ref())?;
        let from = from.unwrap_or(NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date"));
        let to = to.unwrap_or(NaiveDate::from_ymd_opt(2999, 12, 31).expect("a date"));
        b.summaries(units.as_deref(), from, to).map_err(ServerError::from)
    })
    .await?;
    Ok(axum::Json(Listing { summaries }))
}

async fn report_table(
    State(state): State<Arc<AppState>>,
    Path(kind): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    auth: CoordinatorAuth,
) -> ApiResult<Response> {
    let kind = Kind::parse(&kind).ok_or_else(|| {
        ServerError::NotFound(format!("no report '{kind}' (street, labour, indoor, massage, services, items)"))
    })?;
    let rq = read_query(&q)?;
    let units = rq.units(&auth.units)?;
    let (b, published) = (state.backend.clone(), rq.published(state.config.k));
    let format = rq.format;
    let scope = auth.units;
    let query = move |b: &dyn crate::store::Backend| -> ApiResult<report::Query> {
        let units = if rq.network { report::network_units(b, scope.as_deref())? } else { units };
        let (from, to) = rq.dates(b)?;
        let selection = Selection { from, to, province: rq.province, activity: rq.activity };
        Ok(report::Query { units, lang: rq.lang, published, ..report::Query::over(b, kind, selection)? })
    };
    let body = blocking_or("the report failed inside the server", move || {
        let q = query(b.as_ref())?;
        match format {
            ReadFormat::Json => report::render(b.as_ref(), &q, Format::Json).map(String::into_bytes),
            ReadFormat::Csv => report::render(b.as_ref(), &q, Format::Csv).map(String::into_bytes),
            ReadFormat::Xlsx => report::xlsx(b.as_ref(), &q),
        }
        .map_err(ServerError::from)
    })
    .await?;
    let (mime, ext) = match format {
        ReadFormat::Json => ("application/json", "json"),
        ReadFormat::Csv => ("text/csv; charset=utf-8", "csv"),
        ReadFormat::Xlsx => ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    };
    let disposition = format!("attachment; filename=\"lanterna-{}.{ext}\"", kind.code());
    let mut resp = ([(header::CONTENT_TYPE, mime)], body).into_response();
    if format != ReadFormat::Json {
        resp.headers_mut().insert(
            header::CONTENT_DISPOSITION,
            header::HeaderValue::from_str(&disposition).map_err(|e| ServerError::internal("a bad header", e))?,
        );
    }
    Ok(resp)
}

/// Enrollment codes live a day.
pub const CODE_LIFETIME_HOURS: i64 = 24;
