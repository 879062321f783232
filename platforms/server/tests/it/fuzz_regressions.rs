//! Every input kept in `fuzz/corpus/enroll/` (the seeds, and any input a fuzz run crashed
//! on, copied there), replayed through the enrolment check the fuzz target makes
//! (`fuzz/src/lib.rs`, included as is) with this crate's own `secret`, and the same
//! bodies through the extractor's `decode` with the server's statuses.

use std::path::Path;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use lanterna::wire::EnrollRequest;
use lanterna_server::http::{BodyLimits, decode_body as decode};
use lanterna_server::secret;

#[allow(dead_code)]
#[path = "../../../../fuzz/src/lib.rs"]
mod checks;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 5, "{}: the seed corpus is missing", dir.display());
    files.into_iter().map(|f| (f.display().to_string(), std::fs::read(&f).unwrap())).collect()
}

#[test]
fn the_enrolment_corpus_replays() {
    for (name, data) in corpus("enroll") {
        if std::panic::catch_unwind(|| checks::enroll(&data, secret::is_code, secret::hash)).is_err() {
            panic!("{name}: the fuzz check fails on it");
        }
    }
}

#[test]
fn the_extractor_answers_the_batch_corpus_with_client_errors_only() {
    let limits = BodyLimits { max_body_bytes: 1 << 20, max_json_bytes: 16 << 20 };
    for (name, data) in corpus("batch") {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if data.first() == Some(&1) {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        if let Err(e) = decode::<lanterna::wire::Batch>(&headers, &data[1..], limits) {
            let status = e.into_response().status();
            assert!(status.is_client_error(), "{name}: {status}");
        }
    }
}

#[test]
fn the_extractor_keeps_its_statuses() {
    let limits = BodyLimits { max_body_bytes: 64, max_json_bytes: 64 };
    let status = |ct: Option<&'static str>, ce: Option<&'static str>, body: &[u8]| {
        let mut headers = HeaderMap::new();
        for (h, v) in [(header::CONTENT_TYPE, ct), (header::CONTENT_ENCODING, ce)] {
            if let Some(v) = v {
                headers.insert(h, HeaderValue::from_static(v));
            }
        }
        match decode::<EnrollRequest>(&headers, body, limits) {
            Ok(_) => StatusCode::OK,
            Err(e) => e.into_response().status(),
        }
    };
    let ok = br#"{"code":"ABCD-EFGH-JKLM-NPQR"}"#;
    assert_eq!(status(Some("application/json"), None, ok), StatusCode::OK);
    assert_eq!(status(Some("text/plain"), None, ok), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(status(None, Some("br"), ok), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(status(None, None, &[b' '; 65]), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(status(None, Some("gzip"), b"not gzip"), StatusCode::BAD_REQUEST);
    assert_eq!(status(None, None, b"{"), StatusCode::BAD_REQUEST);
    assert_eq!(status(None, None, br#"{"code":7}"#), StatusCode::UNPROCESSABLE_ENTITY);
}
