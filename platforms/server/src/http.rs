//! The HTTP API, version 1. Every rejection is a 4xx with `{"error": "..."}` saying what
//! was wrong; nothing of a rejected request is stored. Logs carry method, path, status
//! and time: no addresses, no payloads.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{Duration, Utc};
use lanterna::domain::{Activity, Lang, Province, parse_date};
use lanterna::report::Format;
use lanterna::wire::{Ack, Batch, BatchResponse, CODE_PATTERN, EnrollRequest, EnrollResponse, ErrorBody};
use serde::Serialize;
use uuid::Uuid;

use crate::config::Config;
use crate::report::{self, Kind};
use crate::secret;
use crate::store::{Backend, Device, StoreError};

/// What every handler shares.
pub struct AppState {
    /// The store.
    pub backend: Arc<dyn Backend>,
    /// The settings.
    pub config: Config,
    limiter: Mutex<HashMap<String, (f64, Instant)>>,
}

impl AppState {
    /// State over a store.
    pub fn new(backend: Arc<dyn Backend>, config: Config) -> Arc<AppState> {
        Arc::new(AppState { backend, config, limiter: Mutex::new(HashMap::new()) })
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

/// A rejection: status and words.
#[derive(Debug)]
pub struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, axum::Json(ErrorBody { error: self.1 })).into_response()
    }
}

fn err(status: StatusCode, msg: impl Into<String>) -> ApiError {
    ApiError(status, msg.into())
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::OtherUnit(_) => err(StatusCode::FORBIDDEN, format!("{e}; nothing of this batch was stored")),
            StoreError::NotFound(m) => err(StatusCode::NOT_FOUND, m),
            StoreError::Conflict(m) => err(StatusCode::CONFLICT, m),
            StoreError::Db(_) => {
                eprintln!("lanterna-server: store error: {e}");
                err(StatusCode::SERVICE_UNAVAILABLE, "the store is not available; try again later")
            }
        }
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// Runs store work off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T, StoreError> + Send + 'static) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| err(StatusCode::INTERNAL_SERVER_ERROR, "the request failed inside the server"))?
        .map_err(Into::into)
}

/// The router of API version 1.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/v1/enroll", post(enroll))
        .route("/api/v1/summaries", post(upload).get(list))
        .route("/api/v1/reports/{kind}", get(report_table))
        .fallback(|| async { err(StatusCode::NOT_FOUND, "no such endpoint (the API is under /api/v1)") })
        .layer(middleware::from_fn(log))
        .with_state(state)
}

/// One line per request: method, path, status, time. No address, no query, no body.
async fn log(req: Request, next: Next) -> Response {
    let (method, path, t) = (req.method().clone(), req.uri().path().to_owned(), Instant::now());
    let resp = next.run(req).await;
    eprintln!("{method} {path} {} {}ms", resp.status().as_u16(), t.elapsed().as_millis());
    resp
}

fn bearer(headers: &HeaderMap) -> ApiResult<String> {
    let v = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| err(StatusCode::UNAUTHORIZED, "missing Authorization: Bearer <token>"))?;
    let v = v.to_str().map_err(|_| err(StatusCode::UNAUTHORIZED, "the Authorization header is not text"))?;
    let token = v
        .strip_prefix("Bearer ")
        .ok_or_else(|| err(StatusCode::UNAUTHORIZED, "the Authorization header must be Bearer <token>"))?;
    Ok(secret::hash(token.trim()))
}

async fn device(state: &Arc<AppState>, headers: &HeaderMap) -> ApiResult<(Device, String)> {
    let hash = bearer(headers)?;
    let b = state.backend.clone();
    let h = hash.clone();
    let d = blocking(move || b.device_by_token(&h))
        .await?
        .ok_or_else(|| err(StatusCode::UNAUTHORIZED, "unknown or revoked token"))?;
    if !state.allow(&hash) {
        return Err(err(StatusCode::TOO_MANY_REQUESTS, "too many requests from this device: slow down"));
    }
    Ok((d, hash))
}

async fn coordinator(state: &Arc<AppState>, headers: &HeaderMap) -> ApiResult<()> {
    let hash = bearer(headers)?;
    let b = state.backend.clone();
    let h = hash.clone();
    if !blocking(move || b.is_coordinator(&h)).await? {
        return Err(err(StatusCode::UNAUTHORIZED, "this token is not a coordinator's"));
    }
    if !state.allow(&hash) {
        return Err(err(StatusCode::TOO_MANY_REQUESTS, "too many requests: slow down"));
    }
    Ok(())
}

/// The request's JSON bytes: size-limited, gunzipped when sent so.
async fn json_body(state: &AppState, headers: &HeaderMap, body: Body) -> ApiResult<Vec<u8>> {
    if let Some(ct) = headers.get(header::CONTENT_TYPE)
        && !ct.to_str().unwrap_or("").starts_with("application/json")
    {
        return Err(err(StatusCode::UNSUPPORTED_MEDIA_TYPE, "send Content-Type: application/json"));
    }
    let max = state.config.max_body_bytes;
    let raw: Bytes = axum::body::to_bytes(body, max)
        .await
        .map_err(|_| err(StatusCode::PAYLOAD_TOO_LARGE, format!("the body is larger than {max} bytes")))?;
    match headers.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap_or("?")) {
        None | Some("identity") => Ok(raw.to_vec()),
        Some("gzip") => {
            let limit = state.config.max_json_bytes;
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&raw[..])
                .take(limit as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|e| err(StatusCode::BAD_REQUEST, format!("the gzip body is corrupt: {e}")))?;
            if out.len() > limit {
                return Err(err(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("the body is larger than {limit} bytes unpacked"),
                ));
            }
            Ok(out)
        }
        Some(other) => {
            Err(err(StatusCode::UNSUPPORTED_MEDIA_TYPE, format!("Content-Encoding {other} is not supported (gzip is)")))
        }
    }
}

/// JSON into a wire type: 400 for malformed JSON, 422 for the wrong fields, types or codes.
fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    serde_json::from_slice(bytes).map_err(|e| {
        let status = match e.classify() {
            serde_json::error::Category::Data => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::BAD_REQUEST,
        };
        err(status, format!("invalid JSON: {e}"))
    })
}

async fn enroll(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Body) -> ApiResult<Response> {
    let req: EnrollRequest = parse(&json_body(&state, &headers, body).await?)?;
    if !secret::is_code(&req.code) {
        return Err(err(StatusCode::UNPROCESSABLE_ENTITY, format!("an enrollment code looks like {CODE_PATTERN}")));
    }
    let token = secret::token();
    let (b, code_hash, token_hash) = (state.backend.clone(), secret::hash(&req.code), secret::hash(&token));
    let device = blocking(move || b.redeem(&code_hash, &token_hash, Utc::now()))
        .await?
        .ok_or_else(|| err(StatusCode::FORBIDDEN, "unknown, used or expired enrollment code"))?;
    Ok((StatusCode::CREATED, axum::Json(EnrollResponse { token, device: device.id })).into_response())
}

async fn upload(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<axum::Json<BatchResponse>> {
    let (device, _) = device(&state, &headers).await?;
    let batch: Batch = parse(&json_body(&state, &headers, body).await?)?;
    let limits = state.config.limits();
    if batch.summaries.len() > limits.summaries_per_batch {
        return Err(err(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("{} summaries in one request, more than {}", batch.summaries.len(), limits.summaries_per_batch),
        ));
    }
    let tomorrow = Utc::now().date_naive() + Duration::days(1);
    for s in &batch.summaries {
        s.validate(&limits).map_err(|m| err(StatusCode::UNPROCESSABLE_ENTITY, m))?;
        if s.date > tomorrow {
            return Err(err(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("summary {}: date {} is in the future", s.id, s.date),
            ));
        }
    }
    let b = state.backend.clone();
    let unit = device.unit;
    let summaries = batch.summaries;
    let (statuses, summaries) = blocking(move || Ok((b.store(unit, &summaries, Utc::now())?, summaries))).await?;
    let acks =
        summaries.iter().zip(statuses).map(|(s, status)| Ack { id: s.id, revision: s.revision, status }).collect();
    Ok(axum::Json(BatchResponse { acks }))
}

/// The query of the read API, checked field by field.
struct ReadQuery {
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    unit: Option<Uuid>,
    province: Option<Province>,
    activity: Option<Activity>,
    lang: Lang,
    k: Option<u64>,
}

fn read_query(q: &HashMap<String, String>) -> ApiResult<ReadQuery> {
    let bad = |k: &str, e: String| err(StatusCode::BAD_REQUEST, format!("query parameter {k}: {e}"));
    for k in q.keys() {
        if !["from", "to", "unit", "province", "activity", "lang", "k"].contains(&k.as_str()) {
            return Err(bad(k, "unknown (from, to, unit, province, activity, lang, k)".into()));
        }
    }
    let get = |k: &str| q.get(k).map(String::as_str);
    Ok(ReadQuery {
        from: get("from").map(|v| parse_date(v).map_err(|e| bad("from", e.to_string()))).transpose()?,
        to: get("to").map(|v| parse_date(v).map_err(|e| bad("to", e.to_string()))).transpose()?,
        unit: get("unit").map(|v| Uuid::parse_str(v).map_err(|e| bad("unit", e.to_string()))).transpose()?,
        province: get("province")
            .map(|v| Province::parse(v).map_err(|e| bad("province", e.to_string())))
            .transpose()?,
        activity: get("activity")
            .map(|v| Activity::parse(v).map_err(|e| bad("activity", e.to_string())))
            .transpose()?,
        lang: get("lang")
            .map(|v| Lang::parse(v).map_err(|e| bad("lang", e.to_string())))
            .transpose()?
            .unwrap_or_default(),
        k: get("k").map(|v| v.parse::<u64>().map_err(|e| bad("k", e.to_string()))).transpose()?,
    })
}

#[derive(Serialize)]
struct Listing {
    summaries: Vec<crate::store::Stored>,
}

async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<axum::Json<Listing>> {
    coordinator(&state, &headers).await?;
    let q = read_query(&q)?;
    let b = state.backend.clone();
    let from = q.from.unwrap_or(chrono::NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date"));
    let to = q.to.unwrap_or(chrono::NaiveDate::from_ymd_opt(2999, 12, 31).expect("a date"));
    let summaries = blocking(move || b.summaries(q.unit, from, to)).await?;
    Ok(axum::Json(Listing { summaries }))
}

async fn report_table(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(kind): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    coordinator(&state, &headers).await?;
    let kind = Kind::parse(&kind).ok_or_else(|| {
        err(StatusCode::NOT_FOUND, format!("no report '{kind}' (street, labour, indoor, massage, services, items)"))
    })?;
    let rq = read_query(&q)?;
    let query = report::Query {
        kind,
        from: rq.from,
        to: rq.to,
        province: rq.province,
        unit: rq.unit,
        activity: rq.activity,
        lang: rq.lang,
        k: rq.k.unwrap_or(state.config.k),
    };
    let b = state.backend.clone();
    let text = tokio::task::spawn_blocking(move || report::render(b.as_ref(), &query, Format::Json))
        .await
        .map_err(|_| err(StatusCode::INTERNAL_SERVER_ERROR, "the report failed inside the server"))?
        .map_err(|e| match e {
            report::ReportError::Bad(m) => err(StatusCode::BAD_REQUEST, m),
            report::ReportError::Store(s) => s.into(),
        })?;
    Ok(([(header::CONTENT_TYPE, "application/json")], text).into_response())
}

/// Serves until the process ends; `ready` gets the bound address.
pub async fn serve(state: Arc<AppState>, ready: impl FnOnce(std::net::SocketAddr)) -> anyhow::Result<()> {
    use axum::serve::ListenerExt;
    // A deep accept queue: a network's phones coming back online together must not have
    // their connections dropped (and retried a second later) by a full backlog.
    let addr = tokio::net::lookup_host(&state.config.listen)
        .await?
        .next()
        .ok_or_else(|| anyhow::anyhow!("--listen {}: no address", state.config.listen))?;
    let socket = if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    let listener = socket.listen(4096)?;
    ready(listener.local_addr()?);
    // Answers go out at once, not after the client's delayed ACK.
    let listener = listener.tap_io(|s| {
        let _ = s.set_nodelay(true);
    });
    axum::serve(listener, router(state)).await?;
    Ok(())
}

/// Enrollment codes live a day.
pub const CODE_LIFETIME_HOURS: i64 = 24;
