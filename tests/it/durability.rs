//! Nothing acknowledged may be lost: a process recording taps is killed with SIGKILL
//! mid-stream; every tap it acknowledged is in the database afterwards. Once on the store,
//! and twenty times in a row through the application layer (10,000 taps), where the
//! database must also open and its report add up after every kill.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use crate::common::{KEY, temp_db};
use lanterna::app::{Lanterna, ReportKind, ReportRequest};
use lanterna::domain::tables::Selection;
use lanterna::domain::{Activity, ContactData, Count, Gender, Nationality, Place, Province, Shift};
use lanterna::report::Table;
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
            mediator_language: None,
            legal_operator: false,
            mapping: false,
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

const APP_CHILD_ENV: &str = "LANTERNA_DURABILITY_APP_CHILD_DB";

/// Taps across the twenty runs.
const TAPS: usize = 10_000;
/// Runs, each killed with SIGKILL, on the same database.
const RUNS: usize = 20;

/// The taps a child records: genders and nationalities in turn, like a night's tallies.
fn tap_data(i: u64) -> ContactData {
    let gender = [Gender::F, Gender::M, Gender::T][(i % 3) as usize];
    let nat = ["NG", "RO", "AL", "BR", "CN"][(i / 3 % 5) as usize];
    ContactData::new(gender, Nationality::parse(nat).expect("a known nationality"))
}

/// Runs only as the child: the application layer (what the screens call) on the database
/// the last run left, resuming its open outing and stop; records taps forever and prints
/// `ack ID` after each one's `Done` (the tap is durable when the use case returns).
#[test]
fn durability_app_child() {
    let Ok(path) = std::env::var(APP_CHILD_ENV) else { return };
    let mut app = Lanterna::open_existing(path.as_ref(), KEY).unwrap();
    let outing = match app.open_outings().unwrap().into_iter().next() {
        Some(o) => o,
        None => {
            let new = NewOuting {
                activity: Activity::Street,
                started_at: chrono::Utc::now(),
                shift: Some(Shift::Night),
                team_size: None,
                mediator: false,
                mediator_language: None,
                legal_operator: false,
                mapping: false,
            };
            app.start_outing(&new).unwrap().value
        }
    };
    // Every run adds a stop: the contacts spread over several stops of the one outing.
    let province = ["BS", "BG", "MI"][app.stops(outing.id).unwrap().len() % 3];
    let stop = app.add_stop(outing.id, Place::province(Province::parse(province).unwrap()), None).unwrap().value;
    let mut out = std::io::stdout().lock();
    for i in 0.. {
        let done = app.record_contacts(stop.id, &tap_data(i), 1).unwrap();
        for c in done.value {
            writeln!(out, "ack {}", c.id).unwrap();
        }
        out.flush().unwrap();
    }
}

/// A small generator for the kill points (no dependency; the seed is printed).
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// The contacts the street report counts (contacts, every date and province).
fn report_contacts(app: &Lanterna) -> u64 {
    let req = ReportRequest {
        count: Count::Contacts,
        ..ReportRequest::json(ReportKind::Table(Table::Street), Selection::default())
    };
    let json: serde_json::Value = serde_json::from_str(&app.report(&req).unwrap()).unwrap();
    let tables = json["tables"].as_array().expect("tables");
    tables.iter().map(|t| t["grand_total"].as_u64().expect("a grand total")).sum()
}

/// Ten thousand taps through the application layer, in twenty runs each killed with SIGKILL
/// at a random point (after a random number of acknowledgements, or after a random delay
/// mid-stream), each run continuing on the database the last one left: after every kill the
/// database opens, every acknowledged tap is there, and the street report counts exactly
/// the contacts recorded.
#[test]
fn ten_thousand_taps_through_twenty_kills() {
    let (_dir, db) = temp_db();
    drop(Lanterna::open(&db, KEY).unwrap());
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    eprintln!("durability seed {seed}");
    let mut rng = XorShift(seed);
    let mut acked: Vec<i64> = Vec::with_capacity(TAPS + RUNS);
    for run in 0..RUNS {
        let left = TAPS.saturating_sub(acked.len());
        // The last run takes what is left; the others a random share around the mean.
        let target =
            if run + 1 == RUNS { left.max(1) } else { 1 + rng.below(2 * (left / (RUNS - run)) as u64) as usize };
        // Half the runs are killed by time instead, at a random moment past the target
        // (whatever the child is doing then: mid-transaction, mid-write of an ack).
        let by_time = run + 1 < RUNS && rng.below(2) == 0;
        let delay = std::time::Duration::from_millis(rng.below(20));
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "durability::durability_app_child", "--nocapture", "--test-threads=1"])
            .env(APP_CHILD_ENV, &db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut this_run = 0;
        while this_run < target {
            let line = lines.next().unwrap_or_else(|| panic!("run {run}: the child stopped (seed {seed})")).unwrap();
            if let Some(id) = line.strip_prefix("ack ") {
                acked.push(id.parse::<i64>().unwrap());
                this_run += 1;
            }
        }
        if by_time {
            std::thread::sleep(delay);
        }
        child.kill().unwrap(); // SIGKILL: no destructor, no checkpoint
        child.wait().unwrap();
        // Acknowledgements already in the pipe when the child died count too.
        for line in lines {
            let Ok(line) = line else { break };
            if let Some(id) = line.strip_prefix("ack ") {
                acked.push(id.parse::<i64>().unwrap());
            }
        }

        let app = Lanterna::open_existing(&db, KEY)
            .unwrap_or_else(|e| panic!("run {run}: the database does not open after the kill: {e} (seed {seed})"));
        for id in &acked {
            assert!(app.contact(*id).is_ok(), "run {run}: acknowledged contact {id} was lost (seed {seed})");
        }
        let recorded: u64 = app.list_outings().unwrap().iter().map(|o| o.contacts.total()).sum();
        assert!(recorded >= acked.len() as u64, "run {run}: {recorded} recorded, {} acknowledged", acked.len());
        assert_eq!(report_contacts(&app), recorded, "run {run}: the report adds up (seed {seed})");
    }
    assert!(acked.len() >= TAPS, "{} taps acknowledged", acked.len());
    let mut unique = acked.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), acked.len(), "no contact acknowledged twice");
}
