//! Every input kept in `fuzz/corpus/` (the seeds, and any input a fuzz run crashed on,
//! copied there), replayed through the same checks the fuzz targets make
//! (`fuzz/src/lib.rs`, included as is), without nightly or libFuzzer: a crash found once
//! stays a failing test until it is fixed.

use std::path::Path;

#[allow(dead_code)]
#[path = "../../fuzz/src/lib.rs"]
mod checks;

/// Runs `check` on every file of `fuzz/corpus/TARGET`; says which file failed.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 5, "{}: the seed corpus is missing", dir.display());
    for f in files {
        let data = std::fs::read(&f).unwrap();
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            panic!("{}: the fuzz check fails on it", f.display());
        }
    }
}

#[test]
fn the_contacts_import_corpus_replays() {
    replay("import_contacts", checks::import_contacts);
}

#[test]
fn the_indoor_import_corpus_replays() {
    replay("import_indoor", checks::import_indoor);
}

#[test]
fn the_batch_corpus_replays() {
    replay("batch", checks::batch);
}

#[test]
fn the_checks_can_fail() {
    // The invariants are not vacuous: a seed that parses reaches the assertions.
    let seed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/batch/one-summary.identity")).unwrap();
    let batch: lanterna::wire::Batch = serde_json::from_slice(&seed[1..]).unwrap();
    assert!(batch.summaries[0].validate(&lanterna::wire::Limits::default()).is_ok());
    let bomb = {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(&vec![b' '; (16 << 20) + 1]).unwrap();
        e.finish().unwrap()
    };
    // A gzip bomb just over the unpacked limit is refused, not parsed.
    let r = lanterna::wire::body::decode::<lanterna::wire::Batch>(None, Some(b"gzip"), &bomb, checks::BATCH_BODY);
    assert!(matches!(r, Err(lanterna::wire::body::BodyError::TooLarge(_))), "{r:?}");
    assert!(!checks::matches_code_pattern("ABCD-EFGH-JKLM-NPQ1"));
    assert!(checks::matches_code_pattern("ABCD-EFGH-JKLM-NPQR"));
}
