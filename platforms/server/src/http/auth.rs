//! Who is asking: the bearer token of a device or a coordinator, as handler arguments.
//! A token is looked up by its SHA-256 hash (the clear value is never stored), then its
//! rate is checked; an unknown token is 401 (`token expired` when it has expired), a
//! token over its rate 429. Failed tokens count against the client's address: past
//! `auth_failures_burst` of them, that address is answered 429 until its bucket refills.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use super::{AppState, blocking, limit};
use crate::error::ServerError;
use crate::secret;
use uuid::Uuid;

use crate::store::console::Coordinator;
use crate::store::{Backend, Device, Result as StoreResult};

/// An enrolled device, not revoked, within its rate: the device a request comes from.
#[derive(Debug, Clone)]
pub struct DeviceAuth(pub Device);

/// A coordinator's API token within its rate: who is reading, and the units their scope
/// sees (None: every unit).
#[derive(Debug, Clone)]
pub struct CoordinatorAuth {
    /// The coordinator.
    pub coordinator: Coordinator,
    /// The units of their scope; None for every unit.
    pub units: Option<Vec<Uuid>>,
}

/// The hash of the request's `Authorization: Bearer <token>`.
fn bearer(headers: &HeaderMap) -> Result<String, ServerError> {
    let unauthorized = |m: &str| ServerError::Unauthorized(m.to_owned());
    let v = headers.get(header::AUTHORIZATION).ok_or_else(|| unauthorized("missing Authorization: Bearer <token>"))?;
    let v = v.to_str().map_err(|_| unauthorized("the Authorization header is not text"))?;
    let token =
        v.strip_prefix("Bearer ").ok_or_else(|| unauthorized("the Authorization header must be Bearer <token>"))?;
    Ok(secret::hash(token.trim()))
}

/// The token's holder as `lookup` finds it in the store (401 with `unknown` when not
/// found, or `token expired`; 429 once the address has failed too often), then the
/// token's rate (429 with `too_fast` when over it).
async fn authenticate<T: Send + 'static>(
    parts: &Parts,
    state: &AppState,
    lookup: fn(&dyn Backend, &str) -> StoreResult<Option<T>>,
    unknown: &str,
    too_fast: &str,
) -> Result<T, ServerError> {
    let ip = limit::client_ip(state, parts);
    let rate = state.failed_token_rate();
    let failed = |message: String| match ip.map(|ip| state.addresses.take(limit::Kind::FailedToken, ip, rate)) {
        Some(Err(_)) => ServerError::TooManyRequests(
            "too many requests with an unknown, revoked or expired token from this address: wait and try again".into(),
        ),
        _ => ServerError::Unauthorized(message),
    };
    let hash = bearer(&parts.headers).map_err(|e| failed(e.to_string()))?;
    let (backend, h) = (state.backend.clone(), hash.clone());
    let Some(holder) = blocking(move || lookup(backend.as_ref(), &h)).await? else {
        let (backend, h) = (state.backend.clone(), hash.clone());
        let expired = blocking(move || backend.token_expired(&h, chrono::Utc::now())).await?;
        return Err(failed(if expired { "token expired".to_owned() } else { unknown.to_owned() }));
    };
    within_rate(state, &hash, holder, too_fast)
}

/// The holder, when its token is within its rate.
fn within_rate<T>(state: &AppState, hash: &str, holder: T, too_fast: &str) -> Result<T, ServerError> {
    if !state.allow(hash) {
        return Err(ServerError::TooManyRequests(too_fast.to_owned()));
    }
    Ok(holder)
}

impl FromRequestParts<Arc<AppState>> for DeviceAuth {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let device = authenticate(
            parts,
            state,
            |b, hash| b.device_by_token(hash),
            "unknown or revoked token",
            "too many requests from this device: slow down",
        )
        .await?;
        Ok(DeviceAuth(device))
    }
}

impl FromRequestParts<Arc<AppState>> for CoordinatorAuth {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let (coordinator, units) = authenticate(
            parts,
            state,
            |b, hash| {
                let Some(c) = b.coordinator_by_token(hash)? else { return Ok(None) };
                let units = b.units_of(c.scope)?;
                Ok(Some((c, units)))
            },
            "this token is not a coordinator's (or it was revoked)",
            "too many requests: slow down",
        )
        .await?;
        Ok(CoordinatorAuth { coordinator, units })
    }
}
