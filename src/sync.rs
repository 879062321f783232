//! The phone's side of sync: enroll with a one-time code, then send the closed outings'
//! and sessions' summaries in gzip'd JSON batches until nothing is pending. Every request
//! is safe to repeat: the server keeps the highest revision of each summary, so a lost
//! answer only means the same batch is sent again and acknowledged as ignored.

use std::io::Write;
use std::time::Duration;

use chrono::Utc;
use flate2::Compression;
use flate2::write::GzEncoder;

use crate::store::{Endpoint, Store, StoreError, SyncStatus};
use crate::wire::{API_PREFIX, Batch, BatchResponse, EnrollRequest, EnrollResponse, ErrorBody};

/// Summaries per request.
pub const BATCH: usize = 200;
/// Tries per request when the network or the server fails.
const TRIES: u32 = 4;

/// Why a sync did not finish, in words a worker can act on.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No `lanterna sync enroll` yet.
    #[error("this device is not enrolled: run `lanterna sync enroll URL CODE` with a code from the coordinator")]
    NotEnrolled,
    /// A URL that cannot be a sync endpoint.
    #[error("{0}")]
    BadUrl(String),
    /// No answer (offline, server down, timeout).
    #[error("the server at {url} did not answer ({why}); the summaries stay pending and are sent next time")]
    Unreachable {
        /// The endpoint.
        url: String,
        /// What failed.
        why: String,
    },
    /// The token no longer works.
    #[error("the server refused this device's token (revoked or unknown): enroll again with a new code")]
    Revoked,
    /// The server refused the request and said why.
    #[error("the server refused the request ({status}): {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The server's words.
        message: String,
    },
    /// The local store.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    fn retryable(&self) -> bool {
        matches!(self, SyncError::Unreachable { .. })
            || matches!(self, SyncError::Refused { status, .. } if *status >= 500 || *status == 429)
    }
}

/// Something that can lend the store for a moment (the app keeps it behind a lock that
/// must not be held across the network).
pub trait StoreAccess {
    /// Runs `f` on the store; `None` when it is locked away.
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> Option<R>;
}

impl StoreAccess for std::sync::Mutex<Store> {
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> Option<R> {
        Some(f(&mut self.lock().unwrap_or_else(|e| e.into_inner())))
    }
}

/// An HTTP client for one endpoint.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    /// A client for `url` (`http://` or `https://`, no path beyond the server's root).
    pub fn new(url: &str) -> Result<Client, SyncError> {
        let base = url.trim().trim_end_matches('/').to_owned();
        let parsed = reqwest::Url::parse(&base).map_err(|e| SyncError::BadUrl(format!("'{url}' is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(SyncError::BadUrl(format!("'{url}' is not an http(s) URL")));
        }
        let http = reqwest::Client::builder()
            .tcp_nodelay(true)
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| SyncError::BadUrl(e.to_string()))?;
        Ok(Client { http, base })
    }

    fn unreachable(&self, e: impl std::fmt::Display) -> SyncError {
        SyncError::Unreachable { url: self.base.clone(), why: e.to_string() }
    }

    async fn answer<T: serde::de::DeserializeOwned>(&self, resp: reqwest::Response) -> Result<T, SyncError> {
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(|e| self.unreachable(e))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| SyncError::Refused {
                status: status.as_u16(),
                message: format!("an answer this app does not understand: {e}"),
            });
        }
        if status == reqwest::StatusCode::UNAUTHORIZED {
            return Err(SyncError::Revoked);
        }
        let message = serde_json::from_slice::<ErrorBody>(&bytes)
            .map(|b| b.error)
            .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).chars().take(200).collect());
        Err(SyncError::Refused { status: status.as_u16(), message })
    }

    /// Trades a one-time code for this device's token.
    pub async fn enroll(&self, code: &str) -> Result<EnrollResponse, SyncError> {
        let body = EnrollRequest { code: code.trim().to_ascii_uppercase() };
        let resp = self
            .http
            .post(format!("{}{API_PREFIX}/enroll", self.base))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(&body).expect("wire types serialise"))
            .send()
            .await
            .map_err(|e| self.unreachable(e))?;
        self.answer(resp).await
    }

    /// Sends one batch, gzip'd, once.
    pub async fn send(&self, token: &str, batch: &Batch) -> Result<BatchResponse, SyncError> {
        let resp = self
            .http
            .post(format!("{}{API_PREFIX}/summaries", self.base))
            .bearer_auth(token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::CONTENT_ENCODING, "gzip")
            .body(gzip_json(batch))
            .send()
            .await
            .map_err(|e| self.unreachable(e))?;
        self.answer(resp).await
    }

    /// Sends one batch, retrying with backoff when the network or the server fails.
    pub async fn send_retrying(&self, token: &str, batch: &Batch) -> Result<BatchResponse, SyncError> {
        let mut wait = Duration::from_millis(200);
        let mut tries = 0;
        loop {
            tries += 1;
            match self.send(token, batch).await {
                Err(e) if e.retryable() && tries < TRIES => {
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                }
                other => return other,
            }
        }
    }
}

/// The JSON of a value, gzip'd: what goes on the wire.
pub fn gzip_json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    // One write of the whole JSON: the encoder is slow with many small writes.
    let json = serde_json::to_vec(value).expect("wire types serialise");
    let mut enc = GzEncoder::new(Vec::with_capacity(json.len() / 8), Compression::default());
    enc.write_all(&json).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

/// Enrolls this device and keeps the token in the encrypted store.
pub async fn enroll(store: &impl StoreAccess, url: &str, code: &str) -> Result<(), SyncError> {
    let client = Client::new(url)?;
    let answer = client.enroll(code).await?;
    let endpoint = Endpoint { url: url.trim().trim_end_matches('/').to_owned(), token: answer.token };
    store.with_store(|s| s.set_sync_endpoint(&endpoint)).ok_or(SyncError::NotEnrolled)??;
    Ok(())
}

/// What a sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Summaries the server stored.
    pub stored: usize,
    /// Summaries it already had.
    pub ignored: usize,
}

/// Sends everything pending; `progress(sent, total)` after each batch. The result is
/// kept as the sync status (last success, or the error in words).
pub async fn sync_all(
    store: &impl StoreAccess,
    mut progress: impl FnMut(usize, usize),
) -> Result<SyncReport, SyncError> {
    let result = sync_inner(store, &mut progress).await;
    let now = Utc::now();
    let _ = store.with_store(|s| {
        let mut status = s.sync_status().unwrap_or_default();
        status.last_attempt = Some(now);
        match &result {
            Ok(_) => {
                status.last_success = Some(now);
                status.last_error = None;
            }
            Err(e) => status.last_error = Some(e.to_string()),
        }
        s.set_sync_status(&status)
    });
    result
}

async fn sync_inner(
    store: &impl StoreAccess,
    progress: &mut impl FnMut(usize, usize),
) -> Result<SyncReport, SyncError> {
    let endpoint =
        store.with_store(|s| s.sync_endpoint()).ok_or(SyncError::NotEnrolled)??.ok_or(SyncError::NotEnrolled)?;
    let client = Client::new(&endpoint.url)?;
    let total = store.with_store(|s| s.pending_count()).ok_or(SyncError::NotEnrolled)?? as usize;
    let mut report = SyncReport::default();
    let mut sent = 0;
    let mut rounds = 0;
    loop {
        rounds += 1;
        if rounds > total / BATCH + 3 {
            return Err(SyncError::Refused {
                status: 200,
                message: "summaries stay pending after the server acknowledged them".into(),
            });
        }
        let summaries = store.with_store(|s| s.pending_summaries(BATCH)).ok_or(SyncError::NotEnrolled)??;
        if summaries.is_empty() {
            break;
        }
        let batch = Batch { summaries };
        let answer = client.send_retrying(&endpoint.token, &batch).await?;
        for a in &answer.acks {
            match a.status {
                crate::wire::AckStatus::Stored => report.stored += 1,
                crate::wire::AckStatus::Ignored => report.ignored += 1,
            }
        }
        let acked = answer.acks.len();
        store.with_store(|s| s.mark_synced(&answer.acks)).ok_or(SyncError::NotEnrolled)??;
        sent += acked;
        progress(sent, total.max(sent));
        if acked < batch.summaries.len() {
            return Err(SyncError::Refused {
                status: 200,
                message: format!(
                    "{} of {} summaries were not acknowledged",
                    batch.summaries.len() - acked,
                    batch.summaries.len()
                ),
            });
        }
    }
    Ok(report)
}

/// The last sync in words, for status lines.
pub fn describe(status: &SyncStatus, pending: u64) -> String {
    let when =
        |t: chrono::DateTime<Utc>| t.with_timezone(&chrono_tz::Europe::Rome).format("%d/%m/%Y %H:%M").to_string();
    let mut s = match status.last_success {
        Some(t) => format!("last sync {}", when(t)),
        None => "never synced".to_owned(),
    };
    s.push_str(&format!(", {pending} pending"));
    if let Some(e) = &status.last_error {
        s.push_str(&format!("; last error: {e}"));
    }
    s
}
