//! The phone's sync client: HTTP and gzip'd JSON to the sync endpoint, nothing else.
//! What to send and what to do with the answers is the application layer's
//! (`app::sync`). Every request is safe to repeat: the server keeps the highest revision
//! of each summary, so a lost answer only means the same batch is sent again and
//! acknowledged as ignored.

use std::io::Write;
use std::time::Duration;

use flate2::Compression;
use flate2::write::GzEncoder;

use uuid::Uuid;

use crate::wire::{
    API_PREFIX, Batch, BatchResponse, ClosedRefusal, EnrollRequest, EnrollResponse, ErrorBody, FeedbackResponse,
    PeriodsResponse, PersonKey, PublishedPeriod, SYNC_VERSION, SYNC_VERSION_HEADER,
};

/// Summaries per request.
pub const BATCH: usize = 200;
/// Tries per request when the network or the server fails.
const TRIES: u32 = 4;

/// Why a request to the sync endpoint failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// A URL that cannot be a sync endpoint.
    #[error("'{url}' is not an http(s) URL of a sync server")]
    BadUrl {
        /// What was given.
        url: String,
    },
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
    /// The whole batch was refused (409): these summaries and periods' persons fall in
    /// periods a coordinator closed. Nothing of the batch was stored; the rest can be sent
    /// again without them.
    #[error(
        "the server refused the batch: {} summaries and {} periods' persons fall in periods a coordinator closed",
        closed.len(),
        closed_persons.len()
    )]
    Closed {
        /// The summaries refused, by id.
        closed: Vec<Uuid>,
        /// The periods' persons refused.
        closed_persons: Vec<PersonKey>,
    },
    /// An `http://` URL of a host that is neither loopback nor allowed in Settings: the
    /// unit's counts would travel unencrypted. Refused before any connection.
    #[error(
        "'{host}' is reached over plain http://: use https://, or allow this address in Settings (the counts would travel unencrypted)"
    )]
    PlainHttp {
        /// The host (and port) refused.
        host: String,
    },
    /// The server answered with a redirect: never followed, so nothing (no token, no body)
    /// goes where it points.
    #[error("the server answered {status}, redirecting to '{location}': check the sync address")]
    Redirected {
        /// HTTP status (301, 302, 307, 308, ...).
        status: u16,
        /// Where it pointed (as given, at most 200 characters).
        location: String,
    },
    /// A success status with a body this app does not understand.
    #[error("the server answered in a way this app does not understand: {why}")]
    BadAnswer {
        /// What did not parse.
        why: String,
    },
}

impl SyncError {
    /// Whether trying again later may work (network, overload, server errors).
    pub fn retryable(&self) -> bool {
        matches!(self, SyncError::Unreachable { .. })
            || matches!(self, SyncError::Refused { status, .. } if *status >= 500 || *status == 429)
    }
}

/// An HTTP client for one endpoint.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
}

/// Whether a plain-http address may be used: loopback (`127.0.0.0/8`, `::1`,
/// `localhost`), or one the user allowed in Settings, as `host` or `host:port`
/// (compared without case).
pub fn http_allowed(url: &reqwest::Url, allowed: &[String]) -> bool {
    let Some(host) = url.host_str() else { return false };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    };
    if loopback {
        return true;
    }
    let with_port = format!("{host}:{}", url.port_or_known_default().unwrap_or(80));
    allowed.iter().map(|a| a.trim()).any(|a| a.eq_ignore_ascii_case(host) || a.eq_ignore_ascii_case(&with_port))
}

impl Client {
    /// A client for `url` (`https://`, or `http://` on loopback only; no path beyond the
    /// server's root).
    pub fn new(url: &str) -> Result<Client, SyncError> {
        Client::with_http_allowed(url, &[])
    }

    /// A client for `url`, where `http://` is also accepted for the addresses in
    /// `allowed` (`host` or `host:port`, the Settings' list). Redirects are never
    /// followed.
    pub fn with_http_allowed(url: &str, allowed: &[String]) -> Result<Client, SyncError> {
        let base = url.trim().trim_end_matches('/').to_owned();
        let bad = || SyncError::BadUrl { url: url.to_owned() };
        let parsed = reqwest::Url::parse(&base).map_err(|_| bad())?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(bad());
        }
        if parsed.scheme() == "http" && !http_allowed(&parsed, allowed) {
            let host = match parsed.port() {
                Some(p) => format!("{}:{p}", parsed.host_str().unwrap_or_default()),
                None => parsed.host_str().unwrap_or_default().to_owned(),
            };
            return Err(SyncError::PlainHttp { host });
        }
        let http = reqwest::Client::builder()
            // A redirect is an error, never followed: a body or a token never goes where
            // a server (or whoever answers for it) points.
            .redirect(reqwest::redirect::Policy::none())
            .tcp_nodelay(true)
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| SyncError::Unreachable { url: base.clone(), why: e.to_string() })?;
        Ok(Client { http, base })
    }

    fn unreachable(&self, e: impl std::fmt::Display) -> SyncError {
        SyncError::Unreachable { url: self.base.clone(), why: e.to_string() }
    }

    async fn answer<T: serde::de::DeserializeOwned>(&self, resp: reqwest::Response) -> Result<T, SyncError> {
        let status = resp.status();
        if status.is_redirection() {
            return Err(redirected(&resp));
        }
        let bytes = resp.bytes().await.map_err(|e| self.unreachable(e))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| SyncError::BadAnswer { why: e.to_string() });
        }
        if status == reqwest::StatusCode::UNAUTHORIZED {
            return Err(SyncError::Revoked);
        }
        Err(refused(status.as_u16(), &bytes))
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
            .header(SYNC_VERSION_HEADER, SYNC_VERSION.to_string())
            .body(gzip_json(batch))
            .send()
            .await
            .map_err(|e| self.unreachable(e))?;
        if resp.status().is_redirection() {
            return Err(redirected(&resp));
        }
        if resp.status() == reqwest::StatusCode::CONFLICT {
            let bytes = resp.bytes().await.map_err(|e| self.unreachable(e))?;
            return Err(match serde_json::from_slice::<ClosedRefusal>(&bytes) {
                Ok(r) => SyncError::Closed { closed: r.closed, closed_persons: r.closed_persons },
                Err(_) => refused(409, &bytes),
            });
        }
        self.answer(resp).await
    }

    /// What the coordinators said: the latest review of every reviewed outing or session
    /// of the device's unit, and the periods closed for the unit now.
    pub async fn feedback(&self, token: &str) -> Result<FeedbackResponse, SyncError> {
        self.get(token, "feedback").await
    }

    /// `GET {API_PREFIX}/{path}` with the device's token, its JSON answer parsed.
    async fn get<T: serde::de::DeserializeOwned>(&self, token: &str, path: &str) -> Result<T, SyncError> {
        let resp = self
            .http
            .get(format!("{}{API_PREFIX}/{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| self.unreachable(e))?;
        self.answer(resp).await
    }

    /// The named reporting periods the server publishes, oldest first (calendar months,
    /// quarters and years are implied and not listed).
    pub async fn periods(&self, token: &str) -> Result<Vec<PublishedPeriod>, SyncError> {
        Ok(self.published(token).await?.periods)
    }

    /// What the server publishes: the named periods and the national mapping nights.
    pub async fn published(&self, token: &str) -> Result<PeriodsResponse, SyncError> {
        self.get::<PeriodsResponse>(token, "periods").await
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

/// A redirect answer as an error naming where it pointed.
fn redirected(resp: &reqwest::Response) -> SyncError {
    let location = resp
        .headers()
        .get(reqwest::header::LOCATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).chars().take(200).collect())
        .unwrap_or_default();
    SyncError::Redirected { status: resp.status().as_u16(), location }
}

/// A refusal with the server's words (its `{"error"}`, else the start of its body).
fn refused(status: u16, body: &[u8]) -> SyncError {
    let message = serde_json::from_slice::<ErrorBody>(body)
        .map(|b| b.error)
        .unwrap_or_else(|_| String::from_utf8_lossy(body).chars().take(200).collect());
    SyncError::Refused { status, message }
}

/// The JSON of a value, gzip'd: what goes on the wire.
pub fn gzip_json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    // One write of the whole JSON: the encoder is slow with many small writes.
    let json = serde_json::to_vec(value).expect("wire types serialise");
    let mut enc = GzEncoder::new(Vec::with_capacity(json.len() / 8), Compression::default());
    enc.write_all(&json).expect("writing to memory");
    enc.finish().expect("writing to memory")
}
