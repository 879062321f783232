//! A request's JSON body as a handler argument: `Content-Type: application/json`, at most
//! `max_body_bytes` as sent and `max_json_bytes` once gunzipped, parsed into a wire type
//! (400 for malformed JSON, 422 for the wrong fields, types or codes).

use std::io::Read;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};
use serde::de::DeserializeOwned;

use super::AppState;
use crate::error::ServerError;

/// A wire type read from the request's body.
#[derive(Debug, Clone)]
pub struct WireJson<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<Arc<AppState>> for WireJson<T> {
    type Rejection = ServerError;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let (sent, unpacked) = (state.config.max_body_bytes, state.config.max_json_bytes);
        let bytes = json_bytes(sent, unpacked, &parts.headers, body).await?;
        Ok(WireJson(serde_json::from_slice(&bytes)?))
    }
}

/// A small wire type (an enrolment) read from the request's body: at most
/// `max_enroll_bytes` as sent and once gunzipped, so that nobody can make the server
/// inflate megabytes before it has looked at a code.
#[derive(Debug, Clone)]
pub struct EnrollJson<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<Arc<AppState>> for EnrollJson<T> {
    type Rejection = ServerError;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let max = state.config.max_enroll_bytes;
        let bytes = json_bytes(max, max, &parts.headers, body).await?;
        Ok(EnrollJson(serde_json::from_slice(&bytes)?))
    }
}

/// The request's JSON bytes: at most `max` as sent and `limit` once gunzipped (the
/// inflating stops one byte past it).
async fn json_bytes(max: usize, limit: usize, headers: &HeaderMap, body: Body) -> Result<Vec<u8>, ServerError> {
    if let Some(ct) = headers.get(header::CONTENT_TYPE)
        && !ct.to_str().unwrap_or("").starts_with("application/json")
    {
        return Err(ServerError::UnsupportedMediaType("send Content-Type: application/json".into()));
    }
    let raw = axum::body::to_bytes(body, max)
        .await
        .map_err(|_| ServerError::PayloadTooLarge(format!("the body is larger than {max} bytes")))?;
    match headers.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap_or("?")) {
        None | Some("identity") => Ok(raw.to_vec()),
        Some("gzip") => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&raw[..])
                .take(limit as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|e| ServerError::BadRequest(format!("the gzip body is corrupt: {e}")))?;
            if out.len() > limit {
                return Err(ServerError::PayloadTooLarge(format!("the body is larger than {limit} bytes unpacked")));
            }
            Ok(out)
        }
        Some(other) => {
            Err(ServerError::UnsupportedMediaType(format!("Content-Encoding {other} is not supported (gzip is)")))
        }
    }
}
