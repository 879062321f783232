//! A request's JSON body as a handler argument: `Content-Type: application/json`, at most
//! `max_body_bytes` as sent and `max_json_bytes` once gunzipped, parsed into a wire type
//! (400 for malformed JSON, 422 for the wrong fields, types or codes).
//!
//! The checks themselves are [`decode_body`], a pure function over the headers and the bytes
//! (the core crate's [`lanterna::wire::body`], which `fuzz/` drives); the extractor only
//! collects the body, stopping at the limit.

use std::sync::Arc;

use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};
pub use lanterna::wire::body::BodyLimits;
use lanterna::wire::body::{self as wire_body, BodyError};
use serde::de::DeserializeOwned;

use super::AppState;
use crate::error::ServerError;

/// A wire type read from the request's body.
#[derive(Debug, Clone)]
pub struct WireJson<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<Arc<AppState>> for WireJson<T> {
    type Rejection = ServerError;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let limits =
            BodyLimits { max_body_bytes: state.config.max_body_bytes, max_json_bytes: state.config.max_json_bytes };
        Ok(WireJson(read_body(req, limits).await?))
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
        let max = state.config.max_enroll_bytes;
        Ok(EnrollJson(read_body(req, BodyLimits { max_body_bytes: max, max_json_bytes: max }).await?))
    }
}

/// The request's body collected (stopping at `limits.max_body_bytes`) and decoded.
async fn read_body<T: DeserializeOwned>(req: Request, limits: BodyLimits) -> Result<T, ServerError> {
    let (parts, body) = req.into_parts();
    let max = limits.max_body_bytes;
    let raw = axum::body::to_bytes(body, max)
        .await
        .map_err(|_| ServerError::PayloadTooLarge(format!("the body is larger than {max} bytes")))?;
    decode_body(&parts.headers, &raw, limits)
}

/// A body already read, decoded into a wire type under `limits`: the content type and
/// encoding checks, the size limits, the gunzip and the JSON parse, each refusal with its
/// status (415, 413, 400, 422).
pub fn decode_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: &[u8],
    limits: BodyLimits,
) -> Result<T, ServerError> {
    let ct = headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes());
    let ce = headers.get(header::CONTENT_ENCODING).map(|v| v.as_bytes());
    wire_body::decode(ct, ce, body, limits).map_err(|e| match e {
        BodyError::UnsupportedMediaType(m) => ServerError::UnsupportedMediaType(m),
        BodyError::TooLarge(m) => ServerError::PayloadTooLarge(m),
        BodyError::Corrupt(m) => ServerError::BadRequest(m),
        BodyError::Json(e) => ServerError::from(e),
    })
}
