//! The server's one error type: every rejection and failure of a request, its HTTP status,
//! and the `{"error": "..."}` body it is answered with. A 4xx says what was wrong; a 5xx
//! keeps its cause for the log and sends only a fixed sentence.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lanterna::wire::ErrorBody;

use crate::report::ReportError;
use crate::store::StoreError;

/// Why a request got no answer but an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// 400: malformed JSON, a corrupt gzip body, a bad query parameter.
    #[error("{0}")]
    BadRequest(String),
    /// 401: no token, a malformed Authorization header, an unknown or revoked token.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: a used or expired enrollment code, another unit's summary.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such endpoint or report.
    #[error("{0}")]
    NotFound(String),
    /// 409: a name already taken.
    #[error("{0}")]
    Conflict(String),
    /// 409: a batch that would change a period a coordinator closed; the body lists what.
    #[error("{}", .0.error)]
    Closed(lanterna::wire::ClosedRefusal),
    /// 413: a body or batch over the limits.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 415: not JSON, or an encoding other than gzip.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: well-formed JSON with the wrong fields, types, codes or counts.
    #[error("{0}")]
    Unprocessable(String),
    /// 429: a token sending faster than its rate.
    #[error("{0}")]
    TooManyRequests(String),
    /// 503: the database failed; the client may try again later.
    #[error("the store is not available; try again later")]
    Unavailable(#[source] StoreError),
    /// 500: the work of a request failed inside the server (a panic in a blocking task).
    #[error("{public}")]
    Internal {
        /// What the client is told.
        public: &'static str,
        /// What went wrong, for the log only.
        #[source]
        cause: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl ServerError {
    /// The HTTP status of this error.
    pub fn status_code(&self) -> StatusCode {
        match self {
            ServerError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ServerError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ServerError::Forbidden(_) => StatusCode::FORBIDDEN,
            ServerError::NotFound(_) => StatusCode::NOT_FOUND,
            ServerError::Conflict(_) | ServerError::Closed(_) => StatusCode::CONFLICT,
            ServerError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ServerError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ServerError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ServerError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ServerError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ServerError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A failure inside the server: the client reads `public`, the log the cause.
    pub fn internal(public: &'static str, cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        ServerError::Internal { public, cause: cause.into() }
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status = self.status_code();
        match &self {
            ServerError::Unavailable(cause) => eprintln!("lanterna-server: store error: {cause}"),
            ServerError::Internal { public, cause } => eprintln!("lanterna-server: {public}: {cause}"),
            ServerError::Closed(body) => return (status, axum::Json(body)).into_response(),
            _ => {}
        }
        (status, axum::Json(ErrorBody { error: self.to_string() })).into_response()
    }
}

impl From<StoreError> for ServerError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::OtherUnit(_) => ServerError::Forbidden(format!("{e}; nothing of this batch was stored")),
            StoreError::NotFound(m) => ServerError::NotFound(m),
            StoreError::Conflict(m) => ServerError::Conflict(m),
            StoreError::Closed { summaries, persons } => ServerError::Closed(lanterna::wire::ClosedRefusal {
                error: format!(
                    "periodo chiuso dal coordinatore / period closed by the coordinator: {} outings or sessions and {} \
                     periods' persons fall in a period closed for this unit; nothing of this batch was stored. Keep \
                     them and send the rest; they go once the coordinator reopens the period",
                    summaries.len(),
                    persons.len()
                ),
                closed: summaries,
                closed_persons: persons,
            }),
            StoreError::Db(_) => ServerError::Unavailable(e),
        }
    }
}

impl From<ReportError> for ServerError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::Bad(m) => ServerError::BadRequest(m),
            ReportError::Store(s) => s.into(),
        }
    }
}

/// JSON that does not parse: 422 when the JSON is well formed but its fields, types or
/// codes are wrong, 400 otherwise.
impl From<serde_json::Error> for ServerError {
    fn from(e: serde_json::Error) -> Self {
        let message = format!("invalid JSON: {e}");
        match e.classify() {
            serde_json::error::Category::Data => ServerError::Unprocessable(message),
            _ => ServerError::BadRequest(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The status and the words a client receives.
    fn body(e: ServerError) -> (StatusCode, String) {
        let resp = e.into_response();
        let status = resp.status();
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let bytes = rt.block_on(axum::body::to_bytes(resp.into_body(), usize::MAX)).unwrap();
        (status, serde_json::from_slice::<ErrorBody>(&bytes).unwrap().error)
    }

    #[test]
    fn server_errors_send_a_fixed_sentence_and_keep_their_cause() {
        let e = ServerError::from(StoreError::Db("disk I/O error at /var/lib/x".into()));
        assert!(std::error::Error::source(&e).unwrap().to_string().contains("disk I/O"));
        let (status, text) = body(e);
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(text, "the store is not available; try again later");

        let e = ServerError::internal("the request failed inside the server", "a panic with details");
        assert!(std::error::Error::source(&e).is_some());
        let (status, text) = body(e);
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(text, "the request failed inside the server");
    }

    #[test]
    fn client_errors_say_what_was_wrong() {
        let (status, text) = body(StoreError::OtherUnit(uuid::Uuid::nil()).into());
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(text.ends_with("belongs to another unit; nothing of this batch was stored"), "{text}");
        let (status, text) = body(serde_json::from_str::<u32>("\"x\"").unwrap_err().into());
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text.starts_with("invalid JSON: invalid type"), "{text}");
        let (status, _) = body(serde_json::from_str::<u32>("nope").unwrap_err().into());
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body(ReportError::Bad("--from after --to".into()).into()).0, StatusCode::BAD_REQUEST);
    }
}
