//! Nothing acknowledged may be lost: a process recording taps is killed with SIGKILL
//! mid-stream; every tap it acknowledged is in the database afterwards.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use crate::common::{KEY, temp_db};
use lanterna::domain::{Activity, ContactData, Gender, Nationality, Place, Province, Shift};
use lanterna::store::{NewOuting, Store};

const CHILD_ENV: &str = "LANTERNA_DURABILITY_CHILD_DB";

/// Runs only as the child: records taps forever, acknowledging each after its commit.
#[test]
fn durability_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else { return };
    let mut store = Store::open(path.as_ref(), KEY).unwrap();
    let outing = store
        .start_outing(&NewOuting {
            activity: Activity::Street,
            started_at: chrono::Utc::now(),
            shift: Some(Shift::Night),
            team_size: None,
            mediator: false,
        })
        .unwrap();
    let stop = store.add_stop(outing.id, Place::province(Province::parse("BS").unwrap()), None).unwrap();
    let data = ContactData::new(Gender::F, Nationality::parse("NG").unwrap());
    let mut out = std::io::stdout().lock();
    loop {
        let c = store.record_contact(stop.id, &data).unwrap();
        writeln!(out, "ack {}", c.id).unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn taps_acknowledged_before_a_kill_are_all_there() {
    let (_dir, db) = temp_db();
    drop(Store::open(&db, KEY).unwrap());
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "durability::durability_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut acked = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(id) = line.strip_prefix("ack ") {
            acked.push(id.parse::<i64>().unwrap());
            if acked.len() == 150 {
                child.kill().unwrap(); // SIGKILL: no destructor, no checkpoint
                break;
            }
        }
    }
    child.wait().unwrap();
    assert_eq!(acked.len(), 150);
    let store = Store::open(&db, KEY).unwrap();
    for id in &acked {
        assert!(store.contact(*id).is_ok(), "acknowledged contact {id} was lost");
    }
    // Settings that make each commit survive a power cut, not only a crash.
    let conn = store.connection();
    let q = |p: &str| {
        conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, rusqlite::types::Value>(0)).map(|v| match v {
            rusqlite::types::Value::Text(t) => t,
            rusqlite::types::Value::Integer(i) => i.to_string(),
            other => format!("{other:?}"),
        })
    };
    let q = |p: &str| q(p).unwrap();
    assert_eq!(q("journal_mode"), "wal");
    assert_eq!(q("synchronous"), "2", "synchronous = FULL");
    assert_eq!(q("foreign_keys"), "1");
}
