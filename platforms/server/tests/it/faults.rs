//! Faults between phone and server: a proxy that drops responses after the server
//! committed, duplicates requests and holds some back to deliver them late (reordered,
//! stale); and the server process killed with SIGKILL in the middle of a sync and
//! restarted. At the end the server's tables equal the phones' exactly.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{self, Phone, TestServer, assert_same_tables, fill};
use lanterna::app::sync::{BATCH, enroll, sync_all};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Forward,
    DropResponse,
    Duplicate,
    Hold,
}

/// What the proxy does to each request, from a seeded sequence; held requests are
/// delivered after a later request has gone through.
struct Plan {
    state: u64,
    faults: bool,
    held: Vec<Vec<u8>>,
    seen: [usize; 4],
}

impl Plan {
    fn next(&mut self) -> Action {
        if !self.faults {
            return Action::Forward;
        }
        self.state = self.state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let a = match (self.state >> 33) % 20 {
            0..=7 => Action::Forward,
            8..=12 => Action::DropResponse,
            13..=16 => Action::Duplicate,
            _ => Action::Hold,
        };
        self.seen[a as usize] += 1;
        a
    }
}

/// Reads one HTTP/1.1 request (head and Content-Length body); `None` at end of stream.
async fn read_request(s: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
    let len: usize =
        head.lines().find_map(|l| l.strip_prefix("content-length:")).map_or(0, |v| v.trim().parse().unwrap_or(0));
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).await.ok()?;
    // One request per upstream connection.
    let head: Vec<&str> = std::str::from_utf8(&buf).unwrap().split("\r\n").collect();
    let mut out: Vec<u8> = head
        .iter()
        .filter(|l| !l.is_empty() && !l.to_ascii_lowercase().starts_with("connection:"))
        .flat_map(|l| [l.as_bytes(), b"\r\n"].concat())
        .collect();
    out.extend_from_slice(b"Connection: close\r\n\r\n");
    out.extend_from_slice(&body);
    Some(out)
}

async fn forward(upstream: SocketAddr, req: &[u8]) -> Option<Vec<u8>> {
    let mut s = TcpStream::connect(upstream).await.ok()?;
    s.write_all(req).await.ok()?;
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).await.ok()?;
    Some(resp)
}

async fn proxy(listener: TcpListener, upstream: SocketAddr, plan: Arc<Mutex<Plan>>) {
    loop {
        let Ok((mut client, _)) = listener.accept().await else { return };
        let plan = plan.clone();
        tokio::spawn(async move {
            while let Some(req) = read_request(&mut client).await {
                let action = plan.lock().unwrap().next();
                let resp = match action {
                    Action::Hold => {
                        plan.lock().unwrap().held.push(req);
                        return;
                    }
                    Action::DropResponse => {
                        let _ = forward(upstream, &req).await;
                        return;
                    }
                    Action::Duplicate => {
                        let _ = forward(upstream, &req).await;
                        forward(upstream, &req).await
                    }
                    Action::Forward => forward(upstream, &req).await,
                };
                // Late delivery of what was held back: older than what just went through.
                let held: Vec<Vec<u8>> = std::mem::take(&mut plan.lock().unwrap().held);
                for h in held {
                    let _ = forward(upstream, &h).await;
                }
                let Some(resp) = resp else { return };
                if client.write_all(&resp).await.is_err() {
                    return;
                }
            }
        });
    }
}

/// Syncs until a sync succeeds (each failure leaves the summaries pending).
async fn sync_until_done(phone: &Phone) -> usize {
    for round in 1..=60 {
        if sync_all(&phone.store, |_, _| {}).await.is_ok() {
            return round;
        }
    }
    panic!("no sync succeeded in 60 rounds");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_duplicated_and_reordered_requests_count_once() {
    let server = TestServer::start().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", listener.local_addr().unwrap());
    let plan = Arc::new(Mutex::new(Plan { state: 7, faults: false, held: Vec::new(), seen: [0; 4] }));
    tokio::spawn(proxy(listener, server.addr, plan.clone()));

    let units = [server.unit, server.backend.add_unit("B").unwrap().id, server.backend.add_unit("C").unwrap().id];
    let phones: Vec<Phone> = (0..3).map(|_| Phone::new()).collect();
    let mut outings = Vec::new();
    for (i, (p, u)) in phones.iter().zip(units).enumerate() {
        outings.push(p.with(|s| fill(s, 20 + i * 7, i as u64)));
        enroll(&p.store, &proxy_url, &server.code(u)).await.unwrap();
    }
    plan.lock().unwrap().faults = true;

    for round in 0..6 {
        for (p, ids) in phones.iter().zip(&outings) {
            // Edits between syncs: new revisions race the stale ones held back.
            p.with(|s| {
                for id in ids.iter().skip(round).step_by(4) {
                    s.reopen_outing(*id).unwrap();
                    let stop = s.stops(*id).unwrap()[0].id;
                    let d = lanterna::domain::ContactData::new(
                        lanterna::domain::Gender::M,
                        lanterna::domain::Nationality::parse("PK").unwrap(),
                    );
                    s.record_contacts(stop, &d, 1 + round as u32).unwrap();
                    s.close_outing(*id, chrono::Utc::now()).unwrap();
                }
                if round == 3 {
                    s.delete(ids[1]).unwrap();
                }
            });
            sync_until_done(p).await;
        }
    }
    // Whatever was still held arrives last, stale.
    let held = std::mem::take(&mut plan.lock().unwrap().held);
    for h in held {
        forward(server.addr, &h).await;
    }
    let seen = plan.lock().unwrap().seen;
    assert!(seen.iter().all(|n| *n > 0), "every fault happened at least once: {seen:?}");
    for (p, u) in phones.iter().zip(units) {
        assert_eq!(p.with(|s| s.pending_count()).unwrap(), 0);
        assert_same_tables(&server, p, Some(u));
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The server binary on a port and a SQLite file; returns once it listens.
fn start_server(db: &std::path::Path, port: u16) -> (Child, std::sync::mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lanterna-server"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("LANTERNA_SERVER_DB", format!("sqlite://{}", db.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut first).unwrap();
    assert!(first.contains("listening"), "{first}");
    // The request log, line by line.
    let (tx, rx) = std::sync::mpsc::channel();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(err)).map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (child, rx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_killed_in_the_middle_of_a_sync_loses_and_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let port = free_port();
    let url = format!("sqlite://{}", db.display());
    let unit = {
        let b = lanterna_server::store::open(&url).unwrap();
        b.add_unit("Unità").unwrap().id
    };
    let (mut child, log) = start_server(&db, port);
    let phone = Phone::new();
    phone.with(|s| fill(s, 700, 3));
    let code = {
        let b = lanterna_server::store::open(&url).unwrap();
        let code = lanterna_server::secret::code();
        b.add_enrollment(unit, &lanterna_server::secret::hash(&code), chrono::Utc::now() + chrono::Duration::hours(1))
            .unwrap();
        code
    };
    enroll(&phone.store, &format!("http://127.0.0.1:{port}"), &code).await.unwrap();
    let total = phone.with(|s| s.pending_count()).unwrap();
    assert!(total > 2 * BATCH as u64, "several batches");

    // Sync, and kill the server with SIGKILL as soon as a batch is acknowledged: the next
    // batch is on its way or being written. The phone sends one batch at a time, so when
    // the server logs its answer to the second, the first answer has surely reached the
    // phone (a log line alone may come before its answer leaves a busy server).
    let phone = Arc::new(phone);
    let p = phone.clone();
    let syncing = tokio::spawn(async move { sync_all(&p.store, |_, _| {}).await });
    let mut lines = Vec::new();
    let mut answered = 0;
    while answered < 2 {
        let line = log.recv_timeout(Duration::from_secs(30)).expect("the server logs the first batches");
        answered += usize::from(line.starts_with("POST /api/v1/summaries 200"));
        lines.push(line);
    }
    // The log: method, path, status, time. No address, no query, no payload.
    for l in &lines {
        let parts: Vec<&str> = l.split(' ').collect();
        assert_eq!(parts.len(), 4, "{l}");
        assert!(
            ["GET", "POST"].contains(&parts[0]) && parts[1].starts_with("/api/v1/") && parts[3].ends_with("ms"),
            "{l}"
        );
        assert!(!l.contains("127.0.0.1") && !l.contains('?') && !l.contains('{'), "{l}");
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let first = syncing.await.unwrap();
    assert!(first.is_err(), "the sync cannot finish without the server");
    let left = phone.with(|s| s.pending_count()).unwrap();
    assert!(left > 0 && left < total, "some batches acknowledged, some not: {left} of {total}");

    // Restarted on the same file: the sync finishes, nothing lost or doubled.
    let (mut child, _log) = start_server(&db, port);
    sync_all(&phone.store, |_, _| {}).await.unwrap();
    assert_eq!(phone.with(|s| s.pending_count()).unwrap(), 0);
    child.kill().unwrap();
    child.wait().unwrap();
    let backend = lanterna_server::store::open(&url).unwrap();
    let stored = backend.summaries(None, common::FROM(), common::TO()).unwrap();
    assert_eq!(stored.len() as u64, total);
    let server = TestServerView { backend: backend.into() };
    for (local, remote) in common::KINDS {
        assert_eq!(server.report(remote, Some(unit)), phone.report(local), "{local:?}");
    }
}

/// The report of a store opened after the server process ended.
struct TestServerView {
    backend: Arc<dyn lanterna_server::store::Backend>,
}

impl TestServerView {
    fn report(&self, kind: lanterna_server::report::Kind, unit: Option<uuid::Uuid>) -> serde_json::Value {
        let q = lanterna_server::report::Query {
            units: unit.map(|u| vec![u]),
            ..lanterna_server::report::Query::new(kind, common::period())
        };
        let t = lanterna_server::report::render(self.backend.as_ref(), &q, lanterna::report::Format::Json).unwrap();
        serde_json::from_str(&t).unwrap()
    }
}
