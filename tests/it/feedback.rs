//! What the coordinators say reaches the phone: schema 6 keeps reviews and closed marks
//! (a schema-5 database upgrades), a review speaks of the revision reviewed only, what the
//! server refuses for a closed period stays pending and is held back until the period
//! reopens, a sync against a local server that refuses one outing sends the rest, and the
//! home screen says "restituita: provincia errata".

use std::collections::HashSet;
use std::io::Read;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, Utc};
use dioxus::prelude::VirtualDom;
use lanterna::app::{Endpoint, Lanterna, ReviewMark, Vault};
use lanterna::domain::{Comune, Gender, Nationality, Place};
use lanterna::store::{SCHEMA_VERSION, Store};
use lanterna::sync::{Client, SyncError};
use lanterna::ui::App;
use lanterna::wire::{
    Ack, AckStatus, Batch, BatchResponse, ClosedPeriod, ClosedRefusal, Feedback, FeedbackResponse, PersonKey,
    ReturnReason, ReviewState,
};
use uuid::Uuid;

use crate::common::minidom::Screen;
use crate::common::{KEY, temp_db};

/// A closed street outing in Brescia with `n` persons: its id.
fn closed_outing(app: &mut Lanterna, n: u32) -> Uuid {
    let new = crate::common::night_street(Utc::now());
    let outing = app.start_outing(&new).unwrap().value;
    let stop = app.add_stop(outing.id, Place::comune(Comune::parse("017029").unwrap()), None).unwrap().value;
    app.tally(stop.id, Gender::F, Nationality::parse("RO").unwrap(), n).unwrap();
    app.close_outing(outing.id, Utc::now()).unwrap();
    outing.id
}

fn review(id: Uuid, revision: u32, state: ReviewState, reason: Option<ReturnReason>) -> Feedback {
    Feedback { id, revision, state, reason }
}

fn feedback(reviews: Vec<Feedback>, closed: Vec<ClosedPeriod>) -> FeedbackResponse {
    FeedbackResponse { reviews, closed }
}

fn day(date: NaiveDate) -> ClosedPeriod {
    ClosedPeriod { from: date, to: date }
}

fn mark(app: &Lanterna, id: Uuid) -> Option<ReviewMark> {
    app.home_view().unwrap().reviews.get(&id).copied()
}

/// The server acknowledges what the phone sent, as a sync would.
fn acknowledge(app: &mut Lanterna) {
    let acks: Vec<Ack> =
        app.pending_summaries(100).unwrap().iter().map(|s| Ack::new(s.id, s.revision, AckStatus::Stored)).collect();
    app.mark_synced(&acks).unwrap();
}

#[test]
fn a_schema_5_database_upgrades_and_keeps_reviews() {
    let (_dir, db) = temp_db();
    let outing = "0c6d3f2e-5b1a-4c8e-9f7d-2a3b4c5d6e7f".parse::<Uuid>().unwrap();
    {
        let conn = Store::create_at_version(&db, KEY, 5).unwrap();
        conn.execute_batch(
            "INSERT INTO units (id, name, created_at) VALUES ('9b2f6a52-8d6c-4a4e-9d53-1f0e7c1a2b3c', 'UDS', '2023-01-01T00:00:00Z');
             INSERT INTO settings (key, value) VALUES ('unit_id', '\"9b2f6a52-8d6c-4a4e-9d53-1f0e7c1a2b3c\"');
             INSERT INTO outings (id, unit_id, activity, date, shift, status, revision, synced_revision, updated_at)
               VALUES ('0c6d3f2e-5b1a-4c8e-9f7d-2a3b4c5d6e7f', '9b2f6a52-8d6c-4a4e-9d53-1f0e7c1a2b3c', 'street',
                       '2023-06-07', 'night', 'closed', 2, 2, '2023-06-08T01:00:00Z');
             INSERT INTO stops (id, outing_id, province) VALUES (1, '0c6d3f2e-5b1a-4c8e-9f7d-2a3b4c5d6e7f', 'BS');",
        )
        .unwrap();
        assert!(conn.prepare("SELECT * FROM reviews").is_err(), "schema 5 has no reviews");
    }
    let version = Store::open(&db, KEY).unwrap().schema_version().unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    const { assert!(SCHEMA_VERSION >= 6, "schema 6 brought the reviews") };
    let mut app = Lanterna::open(&db, KEY).unwrap();
    assert_eq!(app.pending_count().unwrap(), 0, "what was synced stays synced");
    let said = feedback(vec![review(outing, 2, ReviewState::Returned, Some(ReturnReason::Date))], Vec::new());
    assert!(app.set_feedback(&said).unwrap().value);
    assert_eq!(mark(&app, outing), Some(ReviewMark::Returned(Some(ReturnReason::Date))));
    drop(app);
    let app = Lanterna::open(&db, KEY).unwrap();
    assert_eq!(mark(&app, outing), Some(ReviewMark::Returned(Some(ReturnReason::Date))), "kept in the file");
}

#[test]
fn a_review_speaks_of_the_revision_reviewed_and_a_correction_clears_it() {
    let mut app = Lanterna::open_in_memory().unwrap();
    let id = closed_outing(&mut app, 2);
    acknowledge(&mut app);
    let returned = feedback(
        vec![
            review(id, 1, ReviewState::Returned, Some(ReturnReason::Province)),
            review(Uuid::from_u128(7), 1, ReviewState::Approved, None),
        ],
        Vec::new(),
    );
    let done = app.set_feedback(&returned).unwrap();
    assert!(done.value && done.changed.contains(lanterna::app::Area::Outings));
    assert_eq!(mark(&app, id), Some(ReviewMark::Returned(Some(ReturnReason::Province))));
    assert_eq!(app.home_view().unwrap().reviews.len(), 1, "another phone's outing is not kept");
    assert!(!app.set_feedback(&returned).unwrap().value, "the same feedback again changes nothing");

    // The unit reopens it to correct: the old "returned" no longer says where it stands.
    app.reopen_outing(id).unwrap();
    assert_eq!(mark(&app, id), None, "open again, being corrected");
    app.close_outing(id, Utc::now()).unwrap();
    assert_eq!(app.outing(id).unwrap().revision, 2);
    assert_eq!(mark(&app, id), Some(ReviewMark::Corrected), "corrected, to be sent");
    acknowledge(&mut app);
    assert_eq!(mark(&app, id), None, "sent: waits for a new review");
    app.set_feedback(&feedback(vec![review(id, 2, ReviewState::Approved, None)], Vec::new())).unwrap();
    assert_eq!(mark(&app, id), Some(ReviewMark::Approved));
}

#[test]
fn closed_marks_keep_outings_pending_and_hold_them_back_until_the_period_reopens() {
    let mut app = Lanterna::open_in_memory().unwrap();
    let refused = closed_outing(&mut app, 1);
    let other = closed_outing(&mut app, 3);
    let pending = app.pending_summaries(100).unwrap();
    let summary = pending.iter().find(|s| s.id == refused).unwrap().clone();
    let persons = app.pending_person_summaries(100).unwrap();
    assert!(!persons.is_empty(), "the persons of the outings' periods wait too");
    let person_key: PersonKey = persons[0].key();

    app.mark_closed(std::slice::from_ref(&summary), &[person_key]).unwrap();
    let ids = |app: &Lanterna| app.pending_summaries(100).unwrap().iter().map(|s| s.id).collect::<Vec<_>>();
    assert_eq!(ids(&app), [other], "held back from sending");
    assert_eq!(app.pending_count().unwrap(), 2, "but still pending");
    assert_eq!(app.closed_counts().unwrap(), (1, 1));
    assert_eq!(mark(&app, refused), Some(ReviewMark::Closed));
    assert!(!app.pending_person_summaries(100).unwrap().iter().any(|p| p.key() == person_key));
    assert!(app.sync_view().unwrap().closed == 1);

    acknowledge(&mut app);
    assert_eq!(app.pending_count().unwrap(), 1, "never marked synced");
    // Still closed: held back.
    app.set_feedback(&feedback(Vec::new(), vec![day(summary.date)])).unwrap();
    assert_eq!(app.closed_counts().unwrap(), (1, 0), "one day closed does not hold a whole period's persons");
    app.mark_closed(&[], &[person_key]).unwrap();
    let covering = ClosedPeriod { from: person_key.from, to: person_key.to };
    app.set_feedback(&feedback(Vec::new(), vec![day(summary.date), covering])).unwrap();
    assert!(ids(&app).is_empty());
    assert_eq!(app.closed_counts().unwrap(), (1, 1));
    // Reopened: it goes at the next sync.
    assert!(app.set_feedback(&feedback(Vec::new(), Vec::new())).unwrap().value);
    assert_eq!(ids(&app), [refused]);
    assert_eq!(app.closed_counts().unwrap(), (0, 0));
    assert_eq!(mark(&app, refused), None);
    assert!(app.pending_person_summaries(100).unwrap().iter().any(|p| p.key() == person_key));
}

/// A sync server in miniature: the periods, the feedback it is told to say, and summaries
/// it refuses (409) while their id is listed as closed.
#[derive(Default)]
struct Fake {
    feedback: Mutex<Option<FeedbackResponse>>,
    closed: Mutex<HashSet<Uuid>>,
    /// The ids of every batch of summaries received, in order.
    batches: Mutex<Vec<Vec<Uuid>>>,
    stored: Mutex<HashSet<Uuid>>,
}

async fn fake_feedback(State(f): State<Arc<Fake>>) -> Response {
    let said = f.feedback.lock().unwrap().clone().unwrap_or(feedback(Vec::new(), Vec::new()));
    Json(said).into_response()
}

async fn fake_summaries(State(f): State<Arc<Fake>>, body: axum::body::Bytes) -> Response {
    let mut json = Vec::new();
    if flate2::read::GzDecoder::new(&body[..]).read_to_end(&mut json).is_err() {
        return (StatusCode::BAD_REQUEST, "not gzip").into_response();
    }
    let Ok(batch) = serde_json::from_slice::<Batch>(&json) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "not a batch").into_response();
    };
    if !batch.summaries.is_empty() {
        f.batches.lock().unwrap().push(batch.summaries.iter().map(|s| s.id).collect());
    }
    let closed = f.closed.lock().unwrap().clone();
    let refused: Vec<Uuid> = batch.summaries.iter().map(|s| s.id).filter(|id| closed.contains(id)).collect();
    if !refused.is_empty() {
        let body = ClosedRefusal { error: "period closed".into(), closed: refused, closed_persons: Vec::new() };
        return (StatusCode::CONFLICT, Json(body)).into_response();
    }
    f.stored.lock().unwrap().extend(batch.summaries.iter().map(|s| s.id));
    Json(BatchResponse {
        acks: batch.summaries.iter().map(|s| Ack::new(s.id, s.revision, AckStatus::Stored)).collect(),
        person_acks: batch.persons.iter().map(|p| p.ack(AckStatus::Stored)).collect(),
    })
    .into_response()
}

/// Serves the fake on a free local port: its URL.
async fn serve(fake: Arc<Fake>) -> String {
    let router = axum::Router::new()
        .route("/api/v1/periods", get(|| async { Json(serde_json::json!({ "periods": [] })) }))
        .route("/api/v1/feedback", get(fake_feedback))
        .route("/api/v1/summaries", post(fake_summaries))
        .with_state(fake);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_outing_in_a_closed_period_never_wedges_the_queue() {
    let fake = Arc::new(Fake::default());
    let url = serve(fake.clone()).await;
    let mut app = Lanterna::open_in_memory().unwrap();
    let refused = closed_outing(&mut app, 1);
    let sent = closed_outing(&mut app, 2);
    let date = app.outing(refused).unwrap().date;
    app.set_sync_endpoint(&Endpoint { url: url.clone(), token: "a".repeat(64) }).unwrap();
    let app = Mutex::new(app);

    // The client alone: the 409 is the closed list, not retried.
    fake.closed.lock().unwrap().insert(refused);
    let batch = Batch { summaries: app.lock().unwrap().pending_summaries(10).unwrap(), persons: Vec::new() };
    let e = Client::new(&url).unwrap().send_retrying(&"a".repeat(64), &batch).await.unwrap_err();
    assert_eq!(e, SyncError::Closed { closed: vec![refused], closed_persons: Vec::new() });
    assert!(!e.retryable());
    fake.batches.lock().unwrap().clear();

    *fake.feedback.lock().unwrap() =
        Some(feedback(vec![review(sent, 1, ReviewState::Returned, Some(ReturnReason::Province))], vec![day(date)]));
    let report = lanterna::app::sync::sync_all(&app, |_, _| {}).await.unwrap();
    assert_eq!((report.stored, report.closed, report.returned), (1, 1, 1), "{report:?}");
    assert!(report.periods > 0, "the persons went too");
    let batches = fake.batches.lock().unwrap().clone();
    assert_eq!(batches.len(), 2, "refused whole, then sent again without it: {batches:?}");
    assert!(batches[0].contains(&refused) && batches[0].contains(&sent));
    assert_eq!(batches[1], [sent]);
    {
        let a = app.lock().unwrap();
        assert_eq!(a.pending_count().unwrap(), 1, "the refused outing stays pending");
        assert_eq!(mark(&a, refused), Some(ReviewMark::Closed));
        assert_eq!(mark(&a, sent), Some(ReviewMark::Returned(Some(ReturnReason::Province))));
        assert!(a.sync_status().unwrap().last_error.is_none(), "a closed period is no failure");
    }

    // Still closed: nothing is sent, nothing refused, feedback still fetched.
    fake.batches.lock().unwrap().clear();
    let report = lanterna::app::sync::sync_all(&app, |_, _| {}).await.unwrap();
    assert_eq!((report.stored, report.closed), (0, 1));
    assert!(fake.batches.lock().unwrap().is_empty());
    {
        let a = app.lock().unwrap();
        assert_eq!(a.sendable_count().unwrap(), 0);
        assert!(!a.sync_due().unwrap(), "held back and just asked: the background sync waits");
    }

    // The coordinator reopens the period: the next sync sends it.
    fake.closed.lock().unwrap().clear();
    *fake.feedback.lock().unwrap() = Some(feedback(Vec::new(), Vec::new()));
    let report = lanterna::app::sync::sync_all(&app, |_, _| {}).await.unwrap();
    assert_eq!((report.stored, report.closed, report.returned), (1, 0, 0), "{report:?}");
    assert_eq!(*fake.batches.lock().unwrap(), [vec![refused]]);
    assert!(fake.stored.lock().unwrap().contains(&refused));
    let a = app.lock().unwrap();
    assert_eq!(a.pending_count().unwrap(), 0);
    assert_eq!(mark(&a, refused), None);
}

#[tokio::test]
async fn the_home_screen_says_a_returned_outing_and_why() {
    let (_dir, db) = temp_db();
    let (returned, approved) = {
        let mut app = Lanterna::open(&db, KEY).unwrap();
        let returned = closed_outing(&mut app, 1);
        let approved = closed_outing(&mut app, 2);
        acknowledge(&mut app);
        app.set_feedback(&feedback(
            vec![
                review(returned, 1, ReviewState::Returned, Some(ReturnReason::Province)),
                review(approved, 1, ReviewState::Approved, None),
            ],
            Vec::new(),
        ))
        .unwrap();
        (returned, approved)
    };
    let vault = Vault::new(db);
    let mut s = Screen::new(VirtualDom::new(App).with_root_context(vault.clone()));
    s.input("#pin", KEY);
    s.click("#unlock");
    assert!(s.dom.exists("#start-night"), "{}", s.html());
    let rows = s.dom.all(".outing-row");
    assert_eq!(rows.len(), 2, "{}", s.html());
    assert_eq!(s.dom.text(".review[data-review=returned]"), "restituita: provincia errata", "{}", s.html());
    assert_eq!(s.dom.text(".review[data-review=approved]"), "approvata");
    assert_eq!(s.dom.all(".review").len(), 2, "one line each, nothing on the others");
    let marks = vault.with(|a| a.home_view().unwrap().reviews).unwrap();
    assert_eq!(marks.get(&returned), Some(&ReviewMark::Returned(Some(ReturnReason::Province))));
    assert_eq!(marks.get(&approved), Some(&ReviewMark::Approved));
    assert_eq!(ReturnReason::Province.label(lanterna::domain::Lang::En), "wrong province");
}
