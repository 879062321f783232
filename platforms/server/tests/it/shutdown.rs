//! Stopping: a request in flight when the shutdown comes still gets its whole answer, no
//! connection is accepted after it, and serving returns; the `lanterna-server serve`
//! binary stops on SIGTERM with exit status 0 and its SQLite store closed.

use std::io::{BufRead, Read, Write};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use lanterna::wire::{AckStatus, Batch, BatchResponse, PersonSummary, PublishedPeriod};
use lanterna_server::config::Config;
use lanterna_server::http::{AppState, bind, serve_with_shutdown};
use lanterna_server::secret;
use lanterna_server::store::{Backend, Device, Result, Sqlite, Statuses, Stored, Unit};
use serde_json::json;
use uuid::Uuid;

/// A SQLite store whose `store` says it has begun, then waits for a go-ahead: a request
/// held in the middle of its work.
struct Gate {
    inner: Sqlite,
    entered: tokio::sync::mpsc::UnboundedSender<()>,
    go: Mutex<mpsc::Receiver<()>>,
}

impl Backend for Gate {
    fn add_unit(&self, name: &str) -> Result<Unit> {
        self.inner.add_unit(name)
    }
    fn units(&self) -> Result<Vec<Unit>> {
        self.inner.units()
    }
    fn add_enrollment(&self, unit: Uuid, code_hash: &str, expires_at: DateTime<Utc>) -> Result<()> {
        self.inner.add_enrollment(unit, code_hash, expires_at)
    }
    fn redeem(&self, code_hash: &str, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Device>> {
        self.inner.redeem(code_hash, token_hash, now)
    }
    fn device_by_token(&self, token_hash: &str) -> Result<Option<Device>> {
        self.inner.device_by_token(token_hash)
    }
    fn devices(&self) -> Result<Vec<Device>> {
        self.inner.devices()
    }
    fn revoke(&self, device: Uuid, now: DateTime<Utc>) -> Result<bool> {
        self.inner.revoke(device, now)
    }
    fn with_tx(
        &self,
        write: bool,
        f: &mut dyn FnMut(&mut dyn lanterna_server::store::sql::Tx) -> Result<()>,
    ) -> Result<()> {
        self.inner.with_tx(write, f)
    }
    fn store(&self, device: &Device, batch: &Batch, now: DateTime<Utc>) -> Result<Statuses> {
        self.entered.send(()).unwrap();
        self.go.lock().unwrap().recv().unwrap();
        self.inner.store(device, batch, now)
    }
    fn summaries(&self, units: Option<&[Uuid]>, from: NaiveDate, to: NaiveDate) -> Result<Vec<Stored>> {
        self.inner.summaries(units, from, to)
    }
    fn persons(&self, units: Option<&[Uuid]>, from: NaiveDate, to: NaiveDate) -> Result<Vec<PersonSummary>> {
        self.inner.persons(units, from, to)
    }
    fn add_period(&self, name: &str, from: NaiveDate, to: NaiveDate) -> Result<PublishedPeriod> {
        self.inner.add_period(name, from, to)
    }
    fn periods(&self) -> Result<Vec<PublishedPeriod>> {
        self.inner.periods()
    }
    fn add_mapping_night(&self, night: NaiveDate) -> Result<bool> {
        self.inner.add_mapping_night(night)
    }
    fn remove_mapping_night(&self, night: NaiveDate) -> Result<bool> {
        self.inner.remove_mapping_night(night)
    }
    fn mapping_nights(&self) -> Result<Vec<NaiveDate>> {
        self.inner.mapping_nights()
    }
}

/// A device token of a new unit, enrolled in the store directly.
fn device_token(b: &dyn Backend) -> String {
    let unit = b.add_unit("Unità").unwrap().id;
    let (code, token) = (secret::code(), secret::token());
    b.add_enrollment(unit, &secret::hash(&code), Utc::now() + chrono::Duration::hours(1)).unwrap();
    b.redeem(&secret::hash(&code), &secret::hash(&token), Utc::now()).unwrap().unwrap();
    token
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_in_flight_gets_its_answer_then_the_server_stops() {
    let dir = tempfile::tempdir().unwrap();
    let (entered_tx, mut entered) = tokio::sync::mpsc::unbounded_channel();
    let (go, go_rx) = mpsc::channel();
    let inner = Sqlite::open(&dir.path().join("server.db")).unwrap();
    let backend = std::sync::Arc::new(Gate { inner, entered: entered_tx, go: Mutex::new(go_rx) });
    let token = device_token(backend.as_ref());
    let listener = bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::new(backend, Config { listen: addr.to_string(), ..Config::default() });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(serve_with_shutdown(state, listener, async {
        let _ = stopped.await;
    }));

    // A batch, held inside the store when the shutdown comes.
    let id = Uuid::new_v4();
    let batch = json!({"summaries": [{"id": id, "revision": 1, "activity": "street", "date": "2024-03-01",
        "shift": "night", "province": "BS", "comuni": [], "cells": [{"nat": "RO", "g": "F", "m": "contacts", "n": 3}]}]});
    let request = reqwest::Client::new()
        .post(format!("http://{addr}/api/v1/summaries"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&batch).unwrap());
    let in_flight = tokio::spawn(request.send());
    tokio::time::timeout(Duration::from_secs(10), entered.recv()).await.expect("the batch reaches the store");
    stop.send(()).unwrap();

    // No new connection is accepted while the request finishes.
    let deadline = Instant::now() + Duration::from_secs(10);
    while tokio::net::TcpStream::connect(addr).await.is_ok() {
        assert!(Instant::now() < deadline, "the server still accepts connections after the shutdown");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!served.is_finished(), "serving waits for the request in flight");

    // The request gets its whole answer, then serving returns.
    go.send(()).unwrap();
    let resp = in_flight.await.unwrap().unwrap();
    assert_eq!(resp.status(), reqwest::StatusCode::OK);
    let answer: BatchResponse = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(answer.acks.len(), 1);
    assert_eq!((answer.acks[0].id, answer.acks[0].status), (id, AckStatus::Stored));
    tokio::time::timeout(Duration::from_secs(10), served).await.expect("serving returns").unwrap().unwrap();
    assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "nothing listens any more");
    let b = Sqlite::open(&dir.path().join("server.db")).unwrap();
    let day = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
    assert_eq!(b.summaries(None, day, day).unwrap().len(), 1, "the answered batch was stored");
}

#[test]
fn sigterm_stops_the_server_binary_with_its_store_closed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lanterna-server"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("LANTERNA_SERVER_DB", format!("sqlite://{}", db.display()))
        .env_remove("LANTERNA_SERVER_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let addr = first.trim().rsplit("http://").next().unwrap().to_owned();
    assert!(first.contains("listening"), "{first}");

    // It answers, with the store open (SQLite's WAL file is there).
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.write_all(b"GET /api/v1/none HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    let wal = dir.path().join("server.db-wal");
    assert!(wal.exists(), "the store is open in WAL mode");

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("lanterna-server still runs 10 s after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut log = String::new();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    assert!(status.success(), "{status}: {log}");
    assert!(log.contains("lanterna-server: stopped"), "{log}");
    assert!(!wal.exists(), "the store was closed: SQLite checkpointed and removed its WAL");
    assert!(std::net::TcpStream::connect(&addr).is_err(), "nothing listens any more");
}
