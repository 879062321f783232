//! Helpers shared by the integration tests: the binary with the test key, temporary
//! databases, the fixtures, and a small DOM rebuilt from a VirtualDom's mutations.
#![allow(dead_code)]

pub mod minidom;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The test key for every database the tests create.
pub const KEY: &str = "24681357";

/// A day: `YYYY-MM-DD`.
pub fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a YYYY-MM-DD day")
}

/// The province of Bergamo.
pub fn bg() -> lanterna::domain::Province {
    lanterna::domain::Province::parse("BG").expect("Bergamo")
}

/// A person of the register met only at a desk or an interview: gender and nationality.
pub fn someone(store: &mut lanterna::store::Store, gender: lanterna::domain::Gender, nat: &str) -> i64 {
    let details = lanterna::domain::PersonDetails {
        name: None,
        gender,
        nationality: lanterna::domain::Nationality::parse(nat).expect("a nationality"),
        age_band: None,
        protection: lanterna::domain::Protection::Unknown,
    };
    store.create_person(&details).expect("a new person").id
}

/// An open day outing of `activity` (a desk session too) on `date` at 10:00 UTC, a team
/// of two, with one stop in Bergamo: the outing and the stop.
pub fn day_outing_in_bergamo(
    store: &mut lanterna::store::Store,
    activity: lanterna::domain::Activity,
    date: &str,
) -> (uuid::Uuid, i64) {
    use chrono::TimeZone;
    let started_at = chrono::Utc.from_utc_datetime(&day(date).and_hms_opt(10, 0, 0).expect("10:00"));
    let new = lanterna::store::NewOuting {
        activity,
        started_at,
        shift: Some(lanterna::domain::Shift::Day),
        team_size: Some(2),
        mediator: false,
        mediator_language: None,
        legal_operator: false,
        mapping: false,
    };
    let outing = store.start_outing(&new).expect("the outing starts");
    let comune = lanterna::domain::Comune::parse("016024").expect("Bergamo's ISTAT code");
    let stop = store.add_stop(outing.id, lanterna::domain::Place::comune(comune), None).expect("a stop");
    (outing.id, stop.id)
}

/// A night street outing of a team of two, without a mediator, started at `started_at`.
pub fn night_street(started_at: chrono::DateTime<chrono::Utc>) -> lanterna::store::NewOuting {
    lanterna::store::NewOuting {
        activity: lanterna::domain::Activity::Street,
        started_at,
        shift: Some(lanterna::domain::Shift::Night),
        team_size: Some(2),
        mediator: false,
        mediator_language: None,
        legal_operator: false,
        mapping: false,
    }
}

/// Runs the `lanterna` binary with `LANTERNA_KEY` set.
pub fn lanterna(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lanterna"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("LANTERNA_KEY", KEY)
        .env_remove("LANTERNA_DB")
        .output()
        .expect("the lanterna binary runs")
}

/// Runs `lanterna` and returns stdout, failing the test with stderr when it fails.
pub fn lanterna_ok(db: &Path, args: &[&str]) -> String {
    let out = lanterna(db, args);
    assert!(out.status.success(), "lanterna {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// A fresh temporary directory and a database path inside it.
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("lanterna.db");
    (dir, db)
}

/// Reads a report table fixture (`nationality,<col>,...`) as rows of label and counts.
pub fn read_fixture(name: &str) -> (Vec<String>, Vec<(String, Vec<u64>)>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<String> = lines.next().expect("header").split(',').skip(1).map(str::to_owned).collect();
    let rows = lines
        .map(|l| {
            let mut f = l.split(',');
            let label = f.next().expect("label").to_owned();
            (label, f.map(|n| n.trim().parse().expect("count")).collect())
        })
        .collect();
    (header, rows)
}

/// Writes `csv` as the file `name` in `dir` and imports it into `db`: the command's output.
pub fn import(db: &Path, dir: &Path, name: &str, csv: &str) -> Output {
    lanterna(db, &["import", write_csv(dir, name, csv).to_str().unwrap()])
}

/// Writes `csv` as the file `name` in `dir` and imports it into `db`: stdout, failing the
/// test with stderr when the import fails.
pub fn import_ok(db: &Path, dir: &Path, name: &str, csv: &str) -> String {
    lanterna_ok(db, &["import", write_csv(dir, name, csv).to_str().unwrap()])
}

/// Writes `csv` as the file `name` in `dir` and imports it into `db`, which must refuse it:
/// what it says on stderr.
pub fn import_refused(db: &Path, dir: &Path, name: &str, csv: &str) -> String {
    let out = import(db, dir, name, csv);
    assert!(!out.status.success(), "{csv}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write_csv(dir: &Path, name: &str, csv: &str) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, csv).unwrap();
    file
}

/// Checks a report table against a fixture: one row per fixture nationality, every cell
/// (a column `a_b` is `row[a][b]`) and every total as the fixture says; `each_row` sees
/// every fixture row's report row with its nationality code. The column sums.
pub fn assert_table_is_fixture(
    table: &serde_json::Value,
    header: &[String],
    rows: &[(String, Vec<u64>)],
    mut each_row: impl FnMut(&str, &serde_json::Value),
) -> Vec<u64> {
    let got = table["rows"].as_array().unwrap();
    assert_eq!(got.len(), rows.len(), "one row per nationality of the fixture");
    let mut sums = vec![0u64; header.len()];
    for (label, counts) in rows {
        let code = lanterna::domain::Nationality::from_name(label).unwrap();
        let row = got.iter().find(|r| r["nationality"] == code.code()).unwrap_or_else(|| panic!("no row for {label}"));
        for (k, col) in header.iter().enumerate() {
            let (a, b) = col.split_once('_').unwrap();
            assert_eq!(row[a][b], counts[k], "{label} {col}");
            sums[k] += counts[k];
        }
        each_row(code.code(), row);
    }
    for (k, col) in header.iter().enumerate() {
        let (a, b) = col.split_once('_').unwrap();
        assert_eq!(table["total"][a][b], sums[k], "total {col}");
    }
    sums
}
