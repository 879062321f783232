//! What each fuzz target checks of one input, beyond "no panic". Plain functions over
//! bytes: the targets in `fuzz_targets/` call them under libFuzzer, and the regular test
//! suites include this file (`tests/it/fuzz_regressions.rs`,
//! `platforms/server/tests/it/fuzz_regressions.rs`) to replay every input in
//! `fuzz/corpus/`, the seeds and any crash kept there, on every `cargo test`.

use std::io::Write;

use lanterna::domain::rules;
use lanterna::import::{PRESENCES_MAX, is_indoor_log, parse_contacts, parse_indoor, parse_outings, sha256_hex};
use lanterna::wire::body::{BodyLimits, decode};
use lanterna::wire::{Batch, EnrollRequest, Limits};

/// The server's default body limits (`platforms/server/src/config.rs`).
pub const BATCH_BODY: BodyLimits = BodyLimits { max_body_bytes: 1 << 20, max_json_bytes: 16 << 20 };

/// An enrolment body is small: a few KiB as sent and unpacked.
pub const ENROLL_BODY: BodyLimits = BodyLimits { max_body_bytes: 4 << 10, max_json_bytes: 4 << 10 };

/// A contacts CSV (street and labour rows) as `lanterna import` reads it: an accepted
/// file has rows, its hash is its bytes' hash, and every row passes the checks the store
/// makes before it writes (what the parser accepts, the import stores). The same bytes
/// go through the outings file's parser, under the same rule.
pub fn import_contacts(data: &[u8]) {
    import_outings(data);
    let Ok(parsed) = parse_contacts(data) else { return };
    assert!(!parsed.records.is_empty(), "an accepted file has rows");
    assert_eq!(parsed.sha256, sha256_hex(data));
    for r in &parsed.records {
        rules::check_outing_activity(r.activity).expect("the parser accepted an indoor row");
        rules::check_comune_in(r.place.comune, r.place.province).expect("the parser accepted a comune elsewhere");
        r.data.validate().expect("the parser accepted data the store refuses");
        if let Some(code) = &r.person {
            rules::check_person_code(code).expect("the parser accepted a person code the store refuses");
        }
    }
}

/// An outings file (team, hours, presences per stop): an accepted file has rows, and
/// every row passes the checks `Store::import_outings` makes before it writes.
pub fn import_outings(data: &[u8]) {
    let Ok(parsed) = parse_outings(data) else { return };
    assert!(!parsed.records.is_empty(), "an accepted file has rows");
    assert_eq!(parsed.sha256, sha256_hex(data));
    for r in &parsed.records {
        rules::check_outing_activity(r.activity).expect("the parser accepted an indoor outing");
        rules::check_comune_in(r.place.comune, r.place.province).expect("the parser accepted a comune elsewhere");
        if let Some(team) = r.team {
            team.checked().expect("the parser accepted a team the store refuses");
        }
        assert!(r.presences.m.max(r.presences.f).max(r.presences.t) <= PRESENCES_MAX);
    }
}

/// An indoor log CSV (ads, calls, messages, meetings, massage centres): an accepted file
/// has rows, its hash is its bytes' hash, it is told apart by its header, and every row
/// passes the check the store makes before it writes.
pub fn import_indoor(data: &[u8]) {
    // What picks the format for `lanterna import`: only the header is read.
    let indoor = is_indoor_log(data);
    let Ok(parsed) = parse_indoor(data) else { return };
    assert!(!parsed.records.is_empty(), "an accepted file has rows");
    assert_eq!(parsed.sha256, sha256_hex(data));
    assert!(indoor, "an accepted indoor log is told apart by its header");
    for r in &parsed.records {
        r.validate().expect("the parser accepted a row the store refuses");
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).expect("writing to memory");
    e.finish().expect("writing to memory")
}

/// `POST /api/v1/batches` from the body on. The first byte picks how the rest is sent:
/// identity; gzip as written (mostly corrupt streams); the rest gzipped here (well-formed
/// streams of the input's JSON); an odd content type. Then the server's decoder (size
/// limits, gunzip, JSON into `Batch`) and every summary's validation with the default
/// limits, as the upload handler does. A batch whose summaries all validate
/// re-serialises and re-parses equal, and decodes equal again gzipped; a valid summary's
/// tally adds up to its cells.
pub fn batch(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else { return };
    let json: Option<&[u8]> = Some(b"application/json");
    let zipped;
    let (ct, ce, body): (Option<&[u8]>, Option<&[u8]>, &[u8]) = match mode % 4 {
        0 => (json, None, rest),
        1 => (json, Some(b"gzip"), rest),
        2 => {
            zipped = gzip(rest);
            (None, Some(b"gzip"), &zipped)
        }
        _ => (Some(b"application/json; charset=\xff"), Some(b"identity"), rest),
    };
    let Ok(batch) = decode::<Batch>(ct, ce, body, BATCH_BODY) else { return };
    let limits = Limits::default();
    let mut all_valid =
        batch.summaries.len() <= limits.summaries_per_batch && batch.persons.len() <= limits.summaries_per_batch;
    for s in &batch.summaries {
        if s.validate(&limits).is_err() {
            all_valid = false;
            continue;
        }
        let cells: u64 = s.cells.iter().map(|c| u64::from(c.count)).sum();
        assert_eq!(s.tally().iter().map(|(_, _, n)| n).sum::<u64>(), cells, "a valid summary's tally adds up");
    }
    for p in &batch.persons {
        all_valid &= p.validate(&limits).is_ok();
    }
    if all_valid {
        let again = serde_json::to_vec(&batch).expect("a batch serialises");
        let back: Batch = serde_json::from_slice(&again).expect("a valid batch re-parses");
        assert_eq!(back, batch);
        let unzipped: Batch = decode(json, Some(b"gzip"), &gzip(&again), BATCH_BODY).expect("and decodes gzipped");
        assert_eq!(unzipped, batch);
    }
}

/// `^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$` (`CODE_PATTERN`), by hand.
pub fn matches_code_pattern(s: &str) -> bool {
    let ok = |b: u8| matches!(b, b'A'..=b'H' | b'J'..=b'N' | b'P'..=b'Z' | b'2'..=b'9');
    s.len() == 19 && s.bytes().enumerate().all(|(i, b)| if i % 5 == 4 { b == b'-' } else { ok(b) })
}

/// `POST /api/v1/enroll` from the body on: the decoder into `EnrollRequest` (identity or
/// gzip by the first byte, [`ENROLL_BODY`] at most), then the server's code check
/// (`is_code`, `hash`: `platforms/server/src/secret.rs`) as the handler makes it before it
/// looks the code up. `is_code` agrees with the published pattern; a code's stored hash
/// is 64 hex digits.
pub fn enroll(data: &[u8], is_code: fn(&str) -> bool, hash: fn(&str) -> String) {
    let Some((&mode, rest)) = data.split_first() else { return };
    let ce: Option<&[u8]> = if mode % 2 == 0 { None } else { Some(b"gzip") };
    let Ok(req) = decode::<EnrollRequest>(Some(b"application/json"), ce, rest, ENROLL_BODY) else { return };
    let shaped = is_code(&req.code);
    assert_eq!(shaped, matches_code_pattern(&req.code), "{:?}", req.code);
    if shaped {
        let h = hash(&req.code);
        assert!(h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()), "{h}");
    }
}
