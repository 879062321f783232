//! Helpers shared by the integration tests: the binary with the test key, temporary
//! databases, the fixtures, and a small DOM rebuilt from a VirtualDom's mutations.
#![allow(dead_code)]

pub mod minidom;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The test key for every database the tests create.
pub const KEY: &str = "246813";

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
