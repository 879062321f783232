//! A request body as the sync server reads it, without a server: the `Content-Type` and
//! `Content-Encoding` checks, the size limits (as sent and once gunzipped), the gunzip and
//! the JSON parse into a wire type. Pure, so it can be fuzzed (`fuzz/`) and tested
//! without sockets; `lanterna-server`'s body extractor is this function and nothing more.

use std::io::Read;

use serde::de::DeserializeOwned;

/// How large a body may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimits {
    /// Bytes as sent (gzipped or not).
    pub max_body_bytes: usize,
    /// Bytes of JSON once gunzipped.
    pub max_json_bytes: usize,
}

/// Why a body was refused; each maps to one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    /// 415: not JSON, or an encoding other than gzip or identity.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 413: over a size limit.
    #[error("{0}")]
    TooLarge(String),
    /// 400: the gzip stream is corrupt.
    #[error("{0}")]
    Corrupt(String),
    /// 400 (malformed) or 422 (wrong fields, types or codes): the JSON does not parse
    /// into the wire type.
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// A header's value as text, when it is visible ASCII (what `HeaderValue::to_str` accepts).
fn header_text(value: &[u8]) -> Option<&str> {
    if value.iter().all(|&b| b == b'\t' || (0x20..0x7f).contains(&b)) { std::str::from_utf8(value).ok() } else { None }
}

/// The JSON bytes of a body: `content_type` must be `application/json` when given,
/// `content_encoding` absent, `identity` or `gzip`; `body` at most `max_body_bytes`,
/// at most `max_json_bytes` once gunzipped (the gunzip stops one byte past the limit,
/// so a small bomb never inflates in memory).
pub fn json_bytes(
    content_type: Option<&[u8]>,
    content_encoding: Option<&[u8]>,
    body: &[u8],
    limits: BodyLimits,
) -> Result<Vec<u8>, BodyError> {
    if let Some(ct) = content_type
        && !header_text(ct).unwrap_or("").starts_with("application/json")
    {
        return Err(BodyError::UnsupportedMediaType("send Content-Type: application/json".into()));
    }
    let max = limits.max_body_bytes;
    if body.len() > max {
        return Err(BodyError::TooLarge(format!("the body is larger than {max} bytes")));
    }
    match content_encoding.map(|v| header_text(v).unwrap_or("?")) {
        None | Some("identity") => Ok(body.to_vec()),
        Some("gzip") => {
            let limit = limits.max_json_bytes;
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(body)
                .take(limit as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|e| BodyError::Corrupt(format!("the gzip body is corrupt: {e}")))?;
            if out.len() > limit {
                return Err(BodyError::TooLarge(format!("the body is larger than {limit} bytes unpacked")));
            }
            Ok(out)
        }
        Some(other) => {
            Err(BodyError::UnsupportedMediaType(format!("Content-Encoding {other} is not supported (gzip is)")))
        }
    }
}

/// A body decoded into a wire type: [`json_bytes`], then the JSON parse.
pub fn decode<T: DeserializeOwned>(
    content_type: Option<&[u8]>,
    content_encoding: Option<&[u8]>,
    body: &[u8],
    limits: BodyLimits,
) -> Result<T, BodyError> {
    let bytes = json_bytes(content_type, content_encoding, body, limits)?;
    Ok(serde_json::from_slice(&bytes)?)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::wire::EnrollRequest;

    const LIMITS: BodyLimits = BodyLimits { max_body_bytes: 1024, max_json_bytes: 4096 };
    const JSON: Option<&[u8]> = Some(b"application/json; charset=utf-8");

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn identity_and_gzip_bodies_decode_alike() {
        let body = br#"{"code":"ABCD-EFGH-JKLM-NPQR"}"#;
        let plain: EnrollRequest = decode(JSON, None, body, LIMITS).unwrap();
        let zipped: EnrollRequest = decode(None, Some(b"gzip"), &gzip(body), LIMITS).unwrap();
        assert_eq!(plain, zipped);
        assert_eq!(plain.code, "ABCD-EFGH-JKLM-NPQR");
    }

    #[test]
    fn every_refusal_has_its_kind() {
        let r = |ct, ce, body: &[u8]| decode::<EnrollRequest>(ct, ce, body, LIMITS).unwrap_err();
        assert!(matches!(r(Some(b"text/plain"), None, b"{}"), BodyError::UnsupportedMediaType(_)));
        assert!(matches!(r(Some(b"application/json\xe9"), None, b"{}"), BodyError::UnsupportedMediaType(_)));
        assert!(matches!(r(JSON, Some(b"br"), b"{}"), BodyError::UnsupportedMediaType(_)));
        assert!(matches!(r(JSON, None, &[b' '; 1025]), BodyError::TooLarge(_)));
        assert!(matches!(r(JSON, Some(b"gzip"), &gzip(&[b' '; 4097])), BodyError::TooLarge(_)));
        assert!(matches!(r(JSON, Some(b"gzip"), b"not gzip"), BodyError::Corrupt(_)));
        assert!(matches!(r(JSON, None, b"{"), BodyError::Json(e) if e.is_eof()));
        assert!(matches!(r(JSON, None, br#"{"code":1}"#), BodyError::Json(e) if e.is_data()));
    }
}
