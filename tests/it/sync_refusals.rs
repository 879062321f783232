//! The phone's side of per-summary refusals and of plain http: a tap past the per-outing
//! maximum or a day out of range is refused before recording; a refused outing is marked
//! and shown (home list and sync panel) with its reason; `http://` goes only to loopback
//! or an address allowed in Settings; a redirect is an error, never followed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use chrono::{Duration, Utc};
use dioxus::prelude::VirtualDom;
use lanterna::app::sync::{enroll, sync_all};
use lanterna::app::{Endpoint, Error, Lanterna, Vault};
use lanterna::domain::rules::{COUNT_PER_CELL_MAX, Violation};
use lanterna::domain::{Comune, ContactData, DomainError, Gender, ItemKey, ItemKind, Nationality, Place};
use lanterna::sync::{Client, SyncError};
use lanterna::ui::App;
use lanterna::wire::{Ack, AckStatus, Batch, BatchResponse, EnrollResponse, Refusal};
use uuid::Uuid;

use crate::common::minidom::Screen;
use crate::common::{KEY, temp_db};

fn rule(e: Error) -> Option<Violation> {
    match e {
        Error::Domain(DomainError::Rule(v)) => Some(v),
        Error::Store(lanterna::store::StoreError::Domain(DomainError::Rule(v))) => Some(v),
        _ => None,
    }
}

/// An open street outing with one stop in Brescia: (outing, stop).
fn open_outing(app: &mut Lanterna) -> (Uuid, i64) {
    let new = crate::common::night_street(Utc::now());
    let outing = app.start_outing(&new).unwrap().value;
    let stop = app.add_stop(outing.id, Place::comune(Comune::parse("017029").unwrap()), None).unwrap().value;
    (outing.id, stop.id)
}

#[test]
fn a_tap_past_the_per_outing_maximum_or_a_day_out_of_range_is_refused_before_recording() {
    let mut app = Lanterna::open_in_memory().unwrap();
    let (outing, stop) = open_outing(&mut app);
    // 999 condoms each: ten persons fill the cell to 9,990 of 10,000.
    let mut many = ContactData::new(Gender::F, Nationality::parse("RO").unwrap());
    many.items.set(ItemKey::plain(ItemKind::Condoms), 999);
    app.record_contacts(stop, &many, 10).unwrap();
    let before = app.contacts_of_outing(outing).unwrap().len();
    let e = app.record_contacts(stop, &many, 1).unwrap_err();
    assert_eq!(rule(e), Some(Violation::CellOverLimit));
    assert_eq!(app.contacts_of_outing(outing).unwrap().len(), before, "nothing recorded");
    let said =
        lanterna::app::messages::message(&Error::Domain(Violation::CellOverLimit.into()), lanterna::domain::Lang::It);
    assert!(said.contains(&COUNT_PER_CELL_MAX.to_string()), "{said}");
    // Another cell still has room; editing a contact past the maximum is refused too.
    let other = ContactData::new(Gender::M, Nationality::parse("NG").unwrap());
    let c = app.record_contacts(stop, &other, 1).unwrap().value[0].id;
    let mut huge = other.clone();
    huge.items.set(ItemKey::plain(ItemKind::Condoms), 999);
    app.update_contact(c, &huge).unwrap();
    let mut small = many.clone();
    small.items.set(ItemKey::plain(ItemKind::Condoms), 10);
    app.record_contacts(stop, &small, 1).unwrap();
    let e = app.update_contact(c, &{
        let mut g = huge.clone();
        g.gender = Gender::F;
        g.nationality = Nationality::parse("RO").unwrap();
        g
    });
    assert_eq!(rule(e.unwrap_err()), Some(Violation::CellOverLimit));

    // A day after tomorrow, or in year 1: refused.
    for started_at in [Utc::now() + Duration::days(3), Utc::now() - Duration::days(365 * 2100)] {
        let new = crate::common::night_street(started_at);
        assert_eq!(rule(app.start_outing(&new).unwrap_err()), Some(Violation::DateOutOfRange), "{started_at}");
    }
}

/// A sync server in miniature: enrols anyone, refuses the summaries listed, stores the
/// rest; `/api/v1/summaries` can answer a redirect instead, and `/elsewhere` counts
/// whatever reaches it.
#[derive(Default)]
struct Fake {
    refuse: Mutex<Vec<Uuid>>,
    redirect: Mutex<bool>,
    elsewhere: AtomicUsize,
    url: Mutex<String>,
}

async fn fake_summaries(State(f): State<Arc<Fake>>, body: axum::body::Bytes) -> Response {
    if *f.redirect.lock().unwrap() {
        let to = format!("{}/elsewhere", f.url.lock().unwrap());
        return (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, to)]).into_response();
    }
    let mut json = Vec::new();
    if std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut json).is_err() {
        return (StatusCode::BAD_REQUEST, "not gzip").into_response();
    }
    let Ok(batch) = serde_json::from_slice::<Batch>(&json) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "not a batch").into_response();
    };
    let refuse = f.refuse.lock().unwrap().clone();
    let acks = batch
        .summaries
        .iter()
        .map(|s| match refuse.contains(&s.id) {
            true => Ack::refused(s.id, s.revision, Refusal::DateOutOfRange),
            false => Ack::new(s.id, s.revision, AckStatus::Stored),
        })
        .collect();
    let person_acks = batch.persons.iter().map(|p| p.ack(AckStatus::Stored)).collect();
    Json(BatchResponse { acks, person_acks }).into_response()
}

async fn serve(fake: Arc<Fake>) -> u16 {
    let router = axum::Router::new()
        .route("/api/v1/periods", get(|| async { Json(serde_json::json!({ "periods": [] })) }))
        .route("/api/v1/feedback", get(|| async { Json(serde_json::json!({ "reviews": [], "closed": [] })) }))
        .route(
            "/api/v1/enroll",
            post(|| async {
                (StatusCode::CREATED, Json(EnrollResponse { token: "b".repeat(64), device: Uuid::from_u128(7) }))
            }),
        )
        .route("/api/v1/summaries", post(fake_summaries))
        .route(
            "/elsewhere",
            any(|State(f): State<Arc<Fake>>| async move {
                f.elsewhere.fetch_add(1, Ordering::SeqCst);
                Json(BatchResponse { acks: Vec::new(), person_acks: Vec::new() })
            }),
        )
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    *fake.url.lock().unwrap() = format!("http://127.0.0.1:{port}");
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    port
}

#[test]
fn plain_http_goes_only_to_loopback_or_allowed_addresses() {
    for ok in [
        "http://127.0.0.1:8787",
        "http://127.1.2.3",
        "http://localhost:8787",
        "http://[::1]:8787",
        "https://sync.example.org",
    ] {
        assert!(Client::new(ok).is_ok(), "{ok}");
    }
    for (url, host) in [("http://10.0.0.1:8787", "10.0.0.1:8787"), ("http://sync.example.org", "sync.example.org")] {
        assert_eq!(Client::new(url).unwrap_err(), SyncError::PlainHttp { host: host.into() }, "{url}");
    }
    let allowed = vec!["10.0.0.1:8787".to_owned(), "Sync.Example.org".to_owned()];
    assert!(Client::with_http_allowed("http://10.0.0.1:8787", &allowed).is_ok());
    assert!(Client::with_http_allowed("http://10.0.0.1:9999", &allowed).is_err(), "another port is not allowed");
    assert!(Client::with_http_allowed("http://sync.example.org:80/", &allowed).is_ok());

    let mut app = Lanterna::open_in_memory().unwrap();
    assert!(app.set_http_allowed("http://10.0.0.1").is_err(), "a URL is not an address");
    assert!(app.set_http_allowed("10.0.0.1/x").is_err());
    let kept = app.set_http_allowed("10.0.0.1:8787, Sync.example.org").unwrap().value;
    assert_eq!(kept, ["10.0.0.1:8787", "sync.example.org"]);
    assert_eq!(app.sync_view().unwrap().http_allowed, kept);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrolling_over_plain_http_needs_the_address_allowed_in_settings() {
    let fake = Arc::new(Fake::default());
    let port = serve(fake).await;
    // 0.0.0.0 reaches this machine but is not a loopback address: plain http to it is
    // refused before any connection, then allowed once listed in Settings.
    let url = format!("http://0.0.0.0:{port}");
    let app = Mutex::new(Lanterna::open_in_memory().unwrap());
    let e = enroll(&app, &url, "AAAA-BBBB-CCCC-DDDD").await.unwrap_err();
    assert!(matches!(&e, Error::Sync(SyncError::PlainHttp { host }) if *host == format!("0.0.0.0:{port}")), "{e:?}");
    assert!(app.lock().unwrap().sync_endpoint().unwrap().is_none());
    app.lock().unwrap().set_http_allowed(&format!("0.0.0.0:{port}")).unwrap();
    enroll(&app, &url, "AAAA-BBBB-CCCC-DDDD").await.unwrap();
    assert_eq!(app.lock().unwrap().sync_endpoint().unwrap().unwrap().url, url);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_is_an_error_and_the_batch_never_follows_it() {
    let fake = Arc::new(Fake::default());
    let port = serve(fake.clone()).await;
    *fake.redirect.lock().unwrap() = true;
    let mut app = Lanterna::open_in_memory().unwrap();
    let (outing, _) = open_outing(&mut app);
    app.close_outing(outing, Utc::now()).unwrap();
    app.set_sync_endpoint(&Endpoint { url: format!("http://127.0.0.1:{port}"), token: "a".repeat(64) }).unwrap();
    let app = Mutex::new(app);
    let e = sync_all(&app, |_, _| {}).await.unwrap_err();
    let to = format!("http://127.0.0.1:{port}/elsewhere");
    assert!(matches!(&e, Error::Sync(SyncError::Redirected { status: 307, location }) if *location == to), "{e:?}");
    assert_eq!(fake.elsewhere.load(Ordering::SeqCst), 0, "nothing went where the redirect pointed");
    assert_eq!(app.lock().unwrap().pending_count().unwrap(), 1);
    let said = app.lock().unwrap().sync_status().unwrap().last_error.unwrap();
    assert!(said.contains("/elsewhere"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_outing_is_shown_with_its_reason_and_the_rest_syncs() {
    let fake = Arc::new(Fake::default());
    let port = serve(fake.clone()).await;
    let (_dir, db) = temp_db();
    let (refused, sent) = {
        let mut app = Lanterna::open(&db, KEY).unwrap();
        let mut closed = || {
            let (o, stop) = open_outing(&mut app);
            app.tally(stop, Gender::F, Nationality::parse("RO").unwrap(), 1).unwrap();
            app.close_outing(o, Utc::now()).unwrap();
            o
        };
        let (refused, sent) = (closed(), closed());
        app.set_sync_endpoint(&Endpoint { url: format!("http://127.0.0.1:{port}"), token: "a".repeat(64) }).unwrap();
        (refused, sent)
    };
    fake.refuse.lock().unwrap().push(refused);
    let vault = Vault::new(db);
    let mut s = Screen::new(VirtualDom::new(App).with_root_context(vault.clone()));
    s.input("#pin", KEY);
    s.click("#unlock");
    assert!(s.dom.exists("#sync-now"), "{}", s.html());
    s.click("#sync-now");
    assert!(s.until(10, |d| d.exists("#sync-refused")).await, "{}", s.html());
    let line = s.dom.text("#sync-refused");
    assert!(line.contains("Uscita") && line.contains("data fuori dall'intervallo ammesso"), "{line}");
    assert_eq!(s.dom.all("#sync-refused li").len(), 1);
    assert!(s.dom.text("#sync-status").contains("1 rifiutati dal server"), "{}", s.dom.text("#sync-status"));
    assert_eq!(
        s.dom.text(".review[data-review=refused]"),
        "rifiutata dal server: data fuori dall'intervallo ammesso",
        "{}",
        s.html()
    );
    let marks = vault.with(|a| a.home_view().unwrap().reviews).unwrap();
    assert!(!marks.contains_key(&sent));
    assert_eq!(vault.with(|a| a.sendable_count().unwrap()), Some(0));
}
