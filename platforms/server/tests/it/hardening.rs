//! Issue 13, the server: a flood of strangers (enrolment attempts, gzip bombs, unknown
//! tokens) is refused by address; tokens expire; expired codes go; the database is
//! readable by the server's user only; a stolen device's data is quarantined; TLS in
//! `serve`; PostgreSQL's `sslmode`.

use std::io::Write;
use std::sync::Arc;

use chrono::{Duration, NaiveDate, Utc};
use lanterna::wire::{Batch, ErrorBody};
use lanterna_server::config::Config;
use lanterna_server::report::Kind;
use lanterna_server::store::console::SERVER_ADMIN;
use lanterna_server::store::{Backend, Sqlite};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::common::{self, TestServer};

/// A server on a fresh SQLite store with `config` (listening on a free port).
async fn server_with(config: Config) -> TestServer {
    server_and_db(config).await.0
}

/// [`server_with`], and the path of its SQLite file.
async fn server_and_db(config: Config) -> (TestServer, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let backend: Arc<dyn Backend> = Arc::new(Sqlite::open(&db).unwrap());
    (TestServer::start_with(backend, dir, Config { listen: "127.0.0.1:0".into(), ..config }).await, db)
}

/// POSTs `body` to `/api/v1/enroll`: status, Retry-After, error text.
async fn enroll(
    server: &TestServer,
    body: Vec<u8>,
    gzip: bool,
    forwarded: Option<&str>,
) -> (StatusCode, Option<String>, String) {
    let mut req = reqwest::Client::new()
        .post(format!("{}/api/v1/enroll", server.url()))
        .header("content-type", "application/json")
        .body(body);
    if gzip {
        req = req.header("content-encoding", "gzip");
    }
    if let Some(f) = forwarded {
        req = req.header("x-forwarded-for", f);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let retry = resp.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    let text = resp.text().await.unwrap();
    (status, retry, text)
}

fn bad_code() -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "code": lanterna_server::secret::code() })).unwrap()
}

/// The `error` of a JSON error body.
fn error(text: &str) -> String {
    serde_json::from_str::<ErrorBody>(text).unwrap_or_else(|_| panic!("not a JSON error: {text}")).error
}

#[tokio::test]
async fn enrolment_attempts_are_limited_by_address() {
    let server = server_with(Config::default()).await;
    let mut statuses = Vec::new();
    for _ in 0..100 {
        let (status, retry, text) = enroll(&server, bad_code(), false, None).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            let secs: u64 = retry.expect("a 429 says when to come back").parse().unwrap();
            assert!((1..=60).contains(&secs), "{secs}");
            assert!(error(&text).contains("too many enrollment attempts"), "{text}");
        }
        statuses.push(status);
    }
    let refused = statuses.iter().filter(|s| **s == StatusCode::FORBIDDEN).count();
    let limited = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(refused, 10, "the burst is tried against the store: {statuses:?}");
    assert_eq!(limited, 90, "then refused by address before the body is read: {statuses:?}");
    assert!(statuses[10..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS));
    // Even a good code waits for the address's bucket to refill.
    let code = serde_json::to_vec(&serde_json::json!({ "code": server.code(server.unit) })).unwrap();
    assert_eq!(enroll(&server, code, false, None).await.0, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    // No trusted proxy: X-Forwarded-For is whatever the client says, and changes nothing.
    let server = server_with(Config { enroll_burst: 2, enroll_per_minute: 1, ..Config::default() }).await;
    let mut last = StatusCode::OK;
    for i in 0..5 {
        last = enroll(&server, bad_code(), false, Some(&format!("203.0.113.{i}"))).await.0;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS, "a forged X-Forwarded-For must not reset the bucket");

    // Behind a trusted proxy (here the test itself, on 127.0.0.1): one bucket per client.
    let config =
        Config { enroll_burst: 2, enroll_per_minute: 1, trusted_proxy: "127.0.0.1".into(), ..Config::default() };
    let server = server_with(config).await;
    for i in 0..5 {
        let (status, _, text) = enroll(&server, bad_code(), false, Some(&format!("198.51.100.7, 203.0.113.{i}"))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "client {i} has its own bucket: {text}");
    }
    let statuses: Vec<StatusCode> = {
        let mut v = Vec::new();
        for _ in 0..3 {
            v.push(enroll(&server, bad_code(), false, Some("203.0.113.99")).await.0);
        }
        v
    };
    assert_eq!(statuses, [StatusCode::FORBIDDEN, StatusCode::FORBIDDEN, StatusCode::TOO_MANY_REQUESTS]);
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

#[tokio::test]
async fn an_enrolment_gzip_bomb_is_refused_before_it_is_inflated() {
    let server = server_with(Config::default()).await;
    let limit = Config::default().max_enroll_bytes;
    // About 2 KiB as sent that would inflate to 2 MiB: under the limit as sent, far over it
    // unpacked. Inflating stops one byte past the limit.
    let inflated = 2 << 20;
    let small_bomb = gzip(&vec![b' '; inflated]);
    assert!(small_bomb.len() < limit, "{} bytes", small_bomb.len());
    let t = std::time::Instant::now();
    let (status, _, text) = enroll(&server, small_bomb, true, None).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    assert!(error(&text).contains(&format!("larger than {limit} bytes unpacked")), "{text}");
    // A 100 MiB bomb is refused as sent.
    let big_bomb = gzip(&vec![b' '; 100 << 20]);
    let (status, _, text) = enroll(&server, big_bomb, true, None).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    assert!(error(&text).contains(&format!("larger than {limit} bytes")), "{text}");
    assert!(t.elapsed() < std::time::Duration::from_secs(10));
}

/// GETs `/api/v1/periods` with `token`: status and body.
async fn periods(server: &TestServer, token: &str) -> (StatusCode, String) {
    let resp =
        reqwest::Client::new().get(format!("{}/api/v1/periods", server.url())).bearer_auth(token).send().await.unwrap();
    (resp.status(), resp.text().await.unwrap())
}

#[tokio::test]
async fn a_flood_of_unknown_tokens_is_limited_by_address() {
    let server = server_with(Config::default()).await;
    let good = server.token(server.unit).await;
    let mut statuses = Vec::new();
    for _ in 0..40 {
        statuses.push(periods(&server, &lanterna_server::secret::token()).await.0);
    }
    let unauthorized = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    assert_eq!(unauthorized, 20, "{statuses:?}");
    assert!(statuses[20..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    // A coordinator's read API counts the same failures.
    let resp = reqwest::Client::new()
        .get(format!("{}/api/v1/summaries", server.url()))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.headers().contains_key("retry-after"));
    // A valid token from the same address is still served.
    assert_eq!(periods(&server, &good).await.0, StatusCode::OK);
}

#[tokio::test]
async fn tokens_can_expire() {
    let server = server_with(Config { device_token_days: 30, ..Config::default() }).await;
    let token = server.token(server.unit).await;
    assert_eq!(periods(&server, &token).await.0, StatusCode::OK);
    let device = server.backend.device_by_token(&lanterna_server::secret::hash(&token)).unwrap().unwrap();
    // Enrolled with an expiry 30 days out: a month on, the token is refused as expired.
    server.backend.expire_device_token(device.id, Utc::now() - Duration::seconds(1)).unwrap();
    let (status, text) = periods(&server, &token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&text), "token expired");
    assert!(server.backend.device_by_token(&lanterna_server::secret::hash(&token)).unwrap().is_none());

    // A coordinator's API token.
    let c = server.backend.add_account("Anna", lanterna_server::store::console::Scope::All, SERVER_ADMIN).unwrap();
    let api = lanterna_server::secret::token();
    let id = server.backend.add_api_token(&c, &lanterna_server::secret::hash(&api), SERVER_ADMIN).unwrap();
    let list = |t: String| {
        let url = format!("{}/api/v1/summaries", server.url());
        async move { reqwest::Client::new().get(url).bearer_auth(t).send().await.unwrap() }
    };
    assert_eq!(list(api.clone()).await.status(), StatusCode::OK);
    server.backend.expire_api_token(id, Utc::now() + Duration::days(1)).unwrap();
    assert_eq!(list(api.clone()).await.status(), StatusCode::OK, "not yet");
    server.backend.expire_api_token(id, Utc::now() - Duration::seconds(1)).unwrap();
    let resp = list(api).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error(&resp.text().await.unwrap()), "token expired");
}

#[test]
fn the_command_line_sets_token_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    assert!(common::server_cli(&db, &["coordinator", "add", "Anna", "--scope", "all"]).0);
    let (ok, out, err) = common::server_cli(&db, &["coordinator", "token", "Anna", "--expires", "7"]);
    assert!(ok, "{err}");
    let expected = (Utc::now() + Duration::days(7)).format("%Y-%m-%d").to_string();
    assert!(out.contains(&format!("expires {expected}")), "{out}");
    let token = out.lines().last().unwrap().trim().to_owned();
    let b: Box<dyn Backend> = Box::new(Sqlite::open(&db).unwrap());
    assert!(b.coordinator_by_token(&lanterna_server::secret::hash(&token)).unwrap().is_some());
    let (ok, out, _) = common::server_cli(&db, &["coordinator", "token", "Anna"]);
    assert!(ok && out.contains("never expires"), "{out}");
}

#[tokio::test]
async fn expired_enrolment_codes_are_purged() {
    let server = server_with(Config::default()).await;
    let old = lanterna_server::secret::hash("old-code");
    server.backend.add_enrollment(server.unit, &old, Utc::now() - Duration::hours(1)).unwrap();
    server.backend.add_enrollment(server.unit, "fresh", Utc::now() + Duration::hours(1)).unwrap();
    let codes = |b: &dyn Backend| {
        // What the enrollments table holds, read through the audit-free console SQL.
        let mut n = Vec::new();
        for hash in [old.as_str(), "fresh"] {
            let gone = b.redeem(hash, &format!("probe-{}", Uuid::new_v4()), Utc::now() - Duration::days(1)).unwrap();
            n.push(gone.is_some());
        }
        n
    };
    // Any enrolment attempt purges the expired codes first.
    assert_eq!(enroll(&server, bad_code(), false, None).await.0, StatusCode::FORBIDDEN);
    // Redeemed as of yesterday (when both were valid): the old one is gone, the fresh one
    // is still there (and now used up).
    assert_eq!(codes(server.backend.as_ref()), [false, true]);
    assert_eq!(server.backend.purge_expired_codes(Utc::now()).unwrap(), 0);
}

#[cfg(unix)]
#[test]
fn the_sqlite_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.db");
    let b: Box<dyn Backend> = Box::new(Sqlite::open(&path).unwrap());
    let unit = b.add_unit("Unità").unwrap();
    b.add_enrollment(unit.id, "c", Utc::now() + Duration::hours(1)).unwrap();
    let mode = |suffix: &str| {
        let p = format!("{}{suffix}", path.display());
        std::fs::metadata(&p).unwrap_or_else(|e| panic!("{p}: {e}")).permissions().mode() & 0o777
    };
    for suffix in ["", "-wal", "-shm"] {
        assert_eq!(mode(suffix), 0o600, "server.db{suffix}");
    }
    drop(b);
    // A database an older server left readable by others is made private on open.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let _b = Sqlite::open(&path).unwrap();
    assert_eq!(mode(""), 0o600);
}

/// The street report's total contacts, on every unit.
fn contacts(server: &TestServer) -> u64 {
    let mut n = Vec::new();
    common::numbers(&server.report(Kind::Street, None), &mut n);
    n.iter().sum()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 5, d).unwrap()
}

/// A unit with two phones; the stolen one sends a huge count and overwrites a summary of
/// the other: before, the report has both; after the purge, only the honest phone's
/// summaries that were not overwritten.
fn stolen_phone(b: &dyn Backend) -> (lanterna_server::store::Device, lanterna_server::store::Device, Uuid) {
    let unit = b.add_unit(&format!("unit-{}", Uuid::new_v4().simple())).unwrap().id;
    b.add_enrollment(unit, "honest", Utc::now() + Duration::hours(1)).unwrap();
    b.add_enrollment(unit, "stolen", Utc::now() + Duration::hours(1)).unwrap();
    let honest = b.redeem("honest", "t-honest", Utc::now()).unwrap().unwrap();
    let stolen = b.redeem("stolen", "t-stolen", Utc::now()).unwrap().unwrap();
    let (a, shared) = (Uuid::new_v4(), Uuid::new_v4());
    let put = |d: &lanterna_server::store::Device, s: Vec<lanterna::wire::Summary>, p| {
        b.store(d, &Batch { summaries: s, persons: p }, Utc::now()).unwrap();
    };
    put(&honest, vec![common::street_summary(a, 1, day(1), 3), common::street_summary(shared, 1, day(2), 4)], vec![]);
    put(
        &stolen,
        vec![common::street_summary(Uuid::new_v4(), 1, day(3), 100_000), common::street_summary(shared, 2, day(2), 7)],
        vec![common::persons(lanterna::domain::Activity::Street, 1, 50_000)],
    );
    (honest, stolen, unit)
}

fn quarantine_suite(b: &dyn Backend) {
    let (_honest, stolen, unit) = stolen_phone(b);
    let all = |b: &dyn Backend| b.summaries(None, day(1), day(31)).unwrap();
    assert_eq!(all(b).len(), 3);
    let p = common::persons(lanterna::domain::Activity::Street, 1, 1);
    assert_eq!(b.persons(None, p.from, p.to).unwrap().len(), 1);
    let fresh = b.freshness(None).unwrap();
    assert_eq!(fresh.iter().find(|f| f.device == stolen.id).unwrap().to_review, 2);

    // Since tomorrow: nothing of it.
    let tomorrow = Utc::now().date_naive() + Duration::days(1);
    assert_eq!(b.quarantine(stolen.id, tomorrow, SERVER_ADMIN).unwrap().summaries, 0);
    assert_eq!(all(b).len(), 3);

    let q = b.quarantine(stolen.id, Utc::now().date_naive(), SERVER_ADMIN).unwrap();
    assert_eq!((q.summaries, q.replaced, q.persons), (2, 1, 1), "{q:?}");
    let left = all(b);
    assert_eq!(left.len(), 1, "only the honest phone's summary it did not overwrite: {left:?}");
    assert_eq!(left[0].summary.cells[0].count, 3);
    assert!(b.persons(None, p.from, p.to).unwrap().is_empty());
    assert!(b.persons(Some(&[unit]), p.from, p.to).unwrap().is_empty());
    let fresh = b.freshness(None).unwrap();
    assert_eq!(fresh.iter().find(|f| f.device == stolen.id).unwrap().to_review, 0);
    assert_eq!(b.quarantined(stolen.id).unwrap(), (2, 1));
    let line = &b.audit_log(1, 0).unwrap()[0];
    assert_eq!((line.actor.as_str(), line.action.as_str()), (SERVER_ADMIN, "device.quarantine"));
    assert_eq!(line.subject, stolen.id.to_string());
    assert!(line.detail.contains(&format!("since {}", Utc::now().date_naive())), "{}", line.detail);
    assert!(line.detail.contains("2 summaries (1 at a revision above 1"), "{}", line.detail);
    // Again: nothing more to set aside, and said so.
    assert_eq!(b.quarantine(stolen.id, Utc::now().date_naive(), SERVER_ADMIN).unwrap(), Default::default());
    assert!(b.quarantine(Uuid::new_v4(), Utc::now().date_naive(), SERVER_ADMIN).is_err());
}

#[test]
fn a_stolen_devices_data_is_quarantined_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let b: Box<dyn Backend> = Box::new(Sqlite::open(&dir.path().join("server.db")).unwrap());
    quarantine_suite(b.as_ref());
}

#[test]
fn a_stolen_devices_data_is_quarantined_on_postgres() {
    let Some(pg) = common::pg::Pg::start() else { return };
    let b: Box<dyn Backend> = Box::new(lanterna_server::store::Postgres::connect(&pg.database("guard")).unwrap());
    quarantine_suite(b.as_ref());
}

#[tokio::test]
async fn revoke_purge_takes_a_stolen_phone_out_of_the_reports() {
    let (server, db) = server_and_db(Config::default()).await;
    let (_honest, stolen, _unit) = stolen_phone(server.backend.as_ref());
    // The report's numbers (rows and totals) before: the stolen phone's count in them.
    let before = contacts(&server);
    assert!(before > 100_000, "{before}");
    let since = Utc::now().date_naive().to_string();
    let id = stolen.id.to_string();
    let (ok, out, err) = common::server_cli(&db, &["device", "revoke", &id, "--purge", "--since", &since]);
    assert!(ok, "{err}");
    assert!(out.contains("2 summaries, 1 periods' persons"), "{out}");
    assert!(out.contains("1 of those summaries were at a revision above 1"), "{out}");
    let after = contacts(&server);
    assert!(after > 0 && after < 100, "the report after: the honest phone's outing alone ({after})");
    // The listing and the published report agree.
    let (ok, out, _) = common::server_cli(
        &db,
        &["report", "street", "--format", "json", "--from", "2024-05-01", "--to", "2024-05-31"],
    );
    assert!(ok);
    let mut n = Vec::new();
    common::numbers(&serde_json::from_str(&out).unwrap(), &mut n);
    assert!(n.iter().all(|n| *n < 100), "{out}");
    // Already revoked: --purge again finds nothing more, and says so.
    let (ok, out, _) = common::server_cli(&db, &["device", "revoke", &id, "--purge", "--since", "2024-01-01"]);
    assert!(ok && out.contains("0 summaries"), "{out}");
    // --since goes with --purge.
    assert!(!common::server_cli(&db, &["device", "revoke", &id, "--since", "2024-01-01"]).0);
    let (ok, audit, _) = common::server_cli(&db, &["audit"]);
    assert!(ok && audit.contains("device.quarantine"), "{audit}");
}

/// A self-signed certificate for `names`, written as PEM files in `dir`: (cert, key).
fn self_signed(dir: &std::path::Path, names: &[&str]) -> (std::path::PathBuf, std::path::PathBuf) {
    let ck = rcgen::generate_simple_self_signed(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, ck.cert.pem()).unwrap();
    std::fs::write(&key, ck.signing_key.serialize_pem()).unwrap();
    (cert, key)
}

#[tokio::test]
async fn serve_terminates_tls_itself() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = self_signed(dir.path(), &["localhost"]);
    let backend: Arc<dyn Backend> = Arc::new(Sqlite::open(&dir.path().join("server.db")).unwrap());
    let unit = backend.add_unit("Unità TLS").unwrap().id;
    let tls = lanterna_server::http::tls_config(&cert, &key).unwrap();
    let listener = lanterna_server::http::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let state = lanterna_server::http::AppState::new(backend.clone(), Config::default());
    tokio::spawn(lanterna_server::http::serve_with_shutdown_tls(state, listener, tls, std::future::pending()));

    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&std::fs::read(&cert).unwrap()).unwrap())
        .resolve("localhost", ([127, 0, 0, 1], port).into())
        .build()
        .unwrap();
    let base = format!("https://localhost:{port}");
    let code = lanterna_server::secret::code();
    backend.add_enrollment(unit, &lanterna_server::secret::hash(&code), Utc::now() + Duration::hours(1)).unwrap();
    let resp = client
        .post(format!("{base}/api/v1/enroll"))
        .header("content-type", "application/json")
        .body(serde_json::json!({ "code": code }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let enrolled: lanterna::wire::EnrollResponse = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    let batch = Batch { summaries: vec![common::street_summary(Uuid::new_v4(), 1, day(1), 5)], persons: vec![] };
    let resp = client
        .post(format!("{base}/api/v1/summaries"))
        .bearer_auth(&enrolled.token)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&batch).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{}", resp.text().await.unwrap());
    assert_eq!(backend.summaries(None, day(1), day(1)).unwrap().len(), 1);
    // Plain HTTP on the TLS port gets nowhere; a client that does not trust the
    // certificate neither.
    assert!(reqwest::get(format!("http://127.0.0.1:{port}/api/v1/periods")).await.is_err());
    let untrusting = reqwest::Client::builder().resolve("localhost", ([127, 0, 0, 1], port).into()).build().unwrap();
    assert!(untrusting.get(format!("{base}/api/v1/periods")).send().await.is_err());
}

#[test]
fn bad_tls_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = self_signed(dir.path(), &["localhost"]);
    let missing = dir.path().join("nope.pem");
    let junk = dir.path().join("junk.pem");
    std::fs::write(&junk, "not a certificate\n").unwrap();
    let err = |c: &std::path::Path, k: &std::path::Path| {
        format!("{:#}", lanterna_server::http::tls_config(c, k).expect_err("refused"))
    };
    let e = err(&missing, &key);
    assert!(e.contains("tls_cert") && e.contains("nope.pem"), "{e}");
    let e = err(&junk, &key);
    assert!(e.contains("tls_cert") && e.contains("junk.pem") && e.contains("no certificate"), "{e}");
    let e = err(&cert, &missing);
    assert!(e.contains("tls_key") && e.contains("nope.pem"), "{e}");
    let e = err(&cert, &junk);
    assert!(e.contains("tls_key") && e.contains("junk.pem"), "{e}");
    // The server refuses to start on them, naming the file.
    let db = dir.path().join("server.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lanterna-server"))
        .args(["--db", &format!("sqlite://{}", db.display()), "serve", "--listen", "127.0.0.1:0"])
        .env("LANTERNA_SERVER_TLS_CERT", &junk)
        .env("LANTERNA_SERVER_TLS_KEY", &key)
        .env_remove("LANTERNA_SERVER_CONFIG")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("junk.pem"), "{stderr}");
    assert!(lanterna_server::http::tls_config(&cert, &key).is_ok());
}

/// Whether the backend's connection is encrypted.
fn encrypted(b: &dyn Backend) -> bool {
    let mut ssl = false;
    b.with_tx(false, &mut |tx| {
        let r = tx.row("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[])?;
        ssl = r.is_some_and(|r| r[0] == lanterna_server::store::sql::Val::Bool(true));
        Ok(())
    })
    .unwrap();
    ssl
}

#[test]
fn postgres_connections_take_sslmode() {
    let Some(pg) = common::pg::Pg::start() else { return };
    let plain = pg.database("sslmode");
    // The test cluster has no TLS: prefer falls back to plain, require and the verifying
    // modes refuse to go on without it.
    let b = lanterna_server::store::Postgres::connect(&plain).unwrap();
    assert!(!encrypted(&b));
    for mode in ["require", "verify-ca", "verify-full"] {
        let e = lanterna_server::store::Postgres::connect(&format!("{plain}?sslmode={mode}")).err().expect(mode);
        assert!(e.to_string().contains("cannot connect"), "{mode}: {e}");
    }
    let e = lanterna_server::store::Postgres::connect(&format!("{plain}?sslmode=maybe")).err().unwrap();
    assert!(e.to_string().contains("sslmode=maybe"), "{e}");

    // Now with TLS on, a certificate for localhost only (the cluster runs as postgres
    // when the tests run as root: the key must be its own).
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = self_signed(dir.path(), &["localhost"]);
    let root = std::process::Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    if root {
        assert!(std::process::Command::new("chown").arg("postgres").arg(&key).status().unwrap().success());
    }
    let mut admin = postgres::Client::connect(&pg.url, postgres::NoTls).unwrap();
    admin.batch_execute(&format!("ALTER SYSTEM SET ssl_cert_file = '{}'", cert.display())).unwrap();
    admin.batch_execute(&format!("ALTER SYSTEM SET ssl_key_file = '{}'", key.display())).unwrap();
    admin.batch_execute("ALTER SYSTEM SET ssl = on").unwrap();
    admin.batch_execute("SELECT pg_reload_conf()").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));

    let b = lanterna_server::store::Postgres::connect(&plain).unwrap();
    assert!(encrypted(&b), "prefer takes TLS when offered");
    let b = lanterna_server::store::Postgres::connect(&format!("{plain}?sslmode=require")).unwrap();
    assert!(encrypted(&b));
    let b = lanterna_server::store::Postgres::connect(&format!("{plain}?sslmode=disable")).unwrap();
    assert!(!encrypted(&b));
    let named = plain.replace("127.0.0.1", "localhost");
    let rooted = format!("{named}?sslmode=verify-full&sslrootcert={}", cert.display());
    assert!(encrypted(&lanterna_server::store::Postgres::connect(&rooted).unwrap()));
    // Not signed by a trusted authority: the verifying modes refuse it.
    for mode in ["verify-ca", "verify-full"] {
        let e = lanterna_server::store::Postgres::connect(&format!("{named}?sslmode={mode}")).err().expect(mode);
        assert!(e.to_string().contains("cannot connect"), "{mode}: {e}");
    }
    // Signed, but not for the host connected to (127.0.0.1): verify-ca takes it,
    // verify-full does not.
    let ca = format!("{plain}?sslmode=verify-ca&sslrootcert={}", cert.display());
    assert!(encrypted(&lanterna_server::store::Postgres::connect(&ca).unwrap()));
    let full = format!("{plain}?sslmode=verify-full&sslrootcert={}", cert.display());
    let e = lanterna_server::store::Postgres::connect(&full).err().expect("another host's certificate");
    assert!(e.to_string().contains("cannot connect"), "{e}");
}
