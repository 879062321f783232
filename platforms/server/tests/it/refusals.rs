//! One implausible summary is refused alone: the server answers per summary (stored,
//! ignored, refused with a reason code), stores the good ones of the same batch, and the
//! phone marks the refused one, says which and why, and keeps syncing the rest. A phone
//! that does not announce version 2 gets the whole-batch 422 it understands.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use lanterna::app::NewOuting;
use lanterna::app::sync::sync_all;
use lanterna::domain::{Activity, ContactData, Gender, Nationality, Place, Province, Shift};
use lanterna::wire::{AckStatus, BatchResponse, Refusal, SYNC_VERSION, SYNC_VERSION_HEADER};
use lanterna_server::config::Config;
use lanterna_server::store::{Backend, Sqlite};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::{Phone, TestServer};

fn summary(date: &str, province: &str, n: u32) -> Value {
    json!({"id": Uuid::new_v4(), "revision": 1, "activity": "street", "date": date,
           "shift": "night", "province": province, "comuni": [],
           "cells": [{"nat": "RO", "g": "F", "m": "contacts", "n": n}]})
}

fn persons(from: &str, to: &str) -> Value {
    json!({"from": from, "to": to, "activity": "street", "province": "BS", "revision": 1,
           "cells": [{"shift": "night", "nat": "RO", "g": "F", "m": "persons", "n": 2}]})
}

/// What a stolen phone could send: year 1, far future, 100,000 in a cell, a province
/// anywhere; and one good summary and one good period's persons among them.
fn stolen_batch() -> Value {
    json!({
        "summaries": [
            summary("2024-03-01", "BS", 3),
            summary("0001-01-01", "AG", 1),
            summary("2199-12-31", "TS", 1),
            summary("2024-03-02", "CA", 100_000),
        ],
        "persons": [persons("2024-01-01", "2024-01-31"), persons("1990-01-01", "1990-12-31")],
    })
}

async fn post(server: &TestServer, token: &str, body: &Value, version: Option<u32>) -> (StatusCode, String) {
    let mut req = reqwest::Client::new()
        .post(format!("{}/api/v1/summaries", server.url()))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(body).unwrap());
    if let Some(v) = version {
        req = req.header(SYNC_VERSION_HEADER, v.to_string());
    }
    let resp = req.send().await.unwrap();
    (resp.status(), resp.text().await.unwrap())
}

/// Every summary the server holds, whatever its day.
fn everything(server: &TestServer) -> usize {
    let day = |y| chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
    let (from, to) = (day(1), day(9999));
    server.backend.summaries(None, from, to).unwrap().len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stolen_device_batch_stores_the_good_summary_and_refuses_the_rest() {
    let server = TestServer::start().await;
    let token = server.token(server.unit).await;
    let sent = stolen_batch();
    let (status, text) = post(&server, &token, &sent, Some(SYNC_VERSION)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let answer: BatchResponse = serde_json::from_str(&text).unwrap();
    let got: Vec<(AckStatus, Option<Refusal>)> = answer.acks.iter().map(|a| (a.status, a.reason)).collect();
    assert_eq!(
        got,
        [
            (AckStatus::Stored, None),
            (AckStatus::Refused, Some(Refusal::DateOutOfRange)),
            (AckStatus::Refused, Some(Refusal::DateOutOfRange)),
            (AckStatus::Refused, Some(Refusal::CellOverLimit)),
        ]
    );
    for (ack, s) in answer.acks.iter().zip(sent["summaries"].as_array().unwrap()) {
        assert_eq!(ack.id.to_string(), s["id"].as_str().unwrap(), "acks in the batch's order");
    }
    let persons: Vec<(AckStatus, Option<Refusal>)> = answer.person_acks.iter().map(|a| (a.status, a.reason)).collect();
    assert_eq!(persons, [(AckStatus::Stored, None), (AckStatus::Refused, Some(Refusal::DateOutOfRange))]);
    assert_eq!(everything(&server), 1, "only the good summary is kept");
    // The refusals are the answer's only words: codes, no free text.
    assert!(text.contains("\"reason\":\"date_out_of_range\"") && !text.contains("error"), "{text}");

    // The same batch again: the good one is ignored (the server has it), the rest refused.
    let (_, text) = post(&server, &token, &sent, Some(SYNC_VERSION)).await;
    let again: BatchResponse = serde_json::from_str(&text).unwrap();
    assert_eq!(again.acks[0].status, AckStatus::Ignored);
    assert!(again.acks[1..].iter().all(|a| a.status == AckStatus::Refused));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_of_version_1_gets_the_whole_batch_refused_as_before() {
    let server = TestServer::start().await;
    let token = server.token(server.unit).await;
    let (status, text) = post(&server, &token, &stolen_batch(), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(text.contains("before the unit's history"), "{text}");
    assert_eq!(everything(&server), 0, "nothing of a refused request is kept");
    // Version 1 answers never carry a status it cannot parse.
    let (status, text) = post(&server, &token, &json!({"summaries": [summary("2024-03-01", "BS", 3)]}), Some(1)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!text.contains("refused") && !text.contains("reason"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_cells_and_the_units_history_are_judged_per_summary() {
    let dir = tempfile::tempdir().unwrap();
    let backend: Arc<dyn Backend> = Arc::new(Sqlite::open(&dir.path().join("server.db")).unwrap());
    let config =
        Config { listen: "127.0.0.1:0".into(), max_cells_per_summary: 1, history_days: 30, ..Config::default() };
    let server = TestServer::start_with(backend, dir, config).await;
    let token = server.token(server.unit).await;
    let today = Utc::now().date_naive();
    let mut two_cells = summary(&today.to_string(), "BS", 1);
    two_cells["cells"].as_array_mut().unwrap().push(json!({"nat": "NG", "g": "F", "m": "contacts", "n": 1}));
    let body = json!({"summaries": [
        two_cells,
        summary(&(today - Duration::days(31)).to_string(), "BS", 1),
        summary(&(today - Duration::days(30)).to_string(), "BS", 1),
    ]});
    let (_, text) = post(&server, &token, &body, Some(SYNC_VERSION)).await;
    let answer: BatchResponse = serde_json::from_str(&text).unwrap();
    let got: Vec<Option<Refusal>> = answer.acks.iter().map(|a| a.reason).collect();
    assert_eq!(got, [Some(Refusal::TooManyCells), Some(Refusal::DateOutOfRange), None]);
}

#[test]
fn a_server_may_lower_the_domain_limits_but_never_raise_them() {
    let most = lanterna::wire::Limits::default();
    assert_eq!(most.count_per_cell, lanterna::domain::rules::COUNT_PER_CELL_MAX);
    assert!(Config::default().check_limits().is_ok());
    assert!(Config { max_count_per_cell: 5, ..Config::default() }.check_limits().is_ok());
    assert!(Config { max_count_per_cell: most.count_per_cell + 1, ..Config::default() }.check_limits().is_err());
    assert!(Config { max_cells_per_summary: most.cells_per_summary + 1, ..Config::default() }.check_limits().is_err());
    let mut c = Config::default();
    assert!(c.apply_env(|k| (k == "LANTERNA_SERVER_MAX_COUNT_PER_CELL").then(|| "100000".into())).is_err());
}

/// A closed street outing with `n` women of one nationality at one stop in Brescia.
fn outing(phone: &Phone, day: u32, n: u32) -> Uuid {
    phone.with(|app| {
        let started_at = Utc.with_ymd_and_hms(2024, 3, day, 22, 0, 0).unwrap();
        let o = app
            .start_outing(&NewOuting {
                activity: Activity::Street,
                started_at,
                shift: Some(Shift::Night),
                team_size: Some(2),
                mediator: false,
                mediator_language: None,
                legal_operator: false,
                mapping: false,
            })
            .unwrap()
            .value;
        let stop = app.add_stop(o.id, Place::province(Province::parse("BS").unwrap()), None).unwrap().value;
        app.record_contacts(stop.id, &ContactData::new(Gender::F, Nationality::parse("RO").unwrap()), n).unwrap();
        app.close_outing(o.id, started_at + Duration::hours(2)).unwrap();
        o.id
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_refused_outing_never_wedges_the_phones_queue() {
    let dir = tempfile::tempdir().unwrap();
    let backend: Arc<dyn Backend> = Arc::new(Sqlite::open(&dir.path().join("server.db")).unwrap());
    // This server takes at most 3 in a cell: the phone (which allows more) sends 5.
    let config = Config { listen: "127.0.0.1:0".into(), max_count_per_cell: 3, ..Config::default() };
    let server = TestServer::start_with(backend, dir, config).await;
    let phone = Phone::new();
    let bad = outing(&phone, 1, 5);
    let good = outing(&phone, 2, 2);
    lanterna::app::sync::enroll(&phone.store, &server.url(), &server.code(server.unit)).await.unwrap();

    let report = sync_all(&phone.store, |_, _| {}).await.unwrap();
    assert_eq!((report.stored, report.refused), (1, 1), "{report:?}");
    let kept = server.backend.summaries(None, crate::common::FROM(), crate::common::TO()).unwrap();
    assert_eq!(kept.iter().map(|s| s.summary.id).collect::<Vec<_>>(), [good]);

    // The phone says which outing and why, and does not send that revision again.
    let view = phone.with(|app| app.sync_view()).unwrap();
    assert_eq!(view.refused.len(), 1);
    assert_eq!((view.refused[0].id, view.refused[0].reason), (bad, Refusal::CellOverLimit));
    assert_eq!(view.refused[0].date, chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap());
    assert_eq!(view.pending, 1, "still not on the server");
    assert_eq!(phone.with(|app| app.sendable_count()).unwrap(), 0);
    let marks = phone.with(|app| app.review_marks()).unwrap();
    assert_eq!(marks.get(&bad), Some(&lanterna::app::ReviewMark::Refused(Refusal::CellOverLimit)));
    assert_eq!(marks.get(&good), None);
    assert!(phone.with(|app| app.sync_status()).unwrap().last_error.is_none(), "a refusal is not a failed sync");
    let again = sync_all(&phone.store, |_, _| {}).await.unwrap();
    assert_eq!((again.stored, again.ignored, again.refused), (0, 0, 0), "the refused revision is not sent again");

    // Corrected (a new revision): the mark goes and it is sent and stored.
    phone.with(|app| {
        app.reopen_outing(bad).unwrap();
        app.undo_last_contact(bad).unwrap();
        app.undo_last_contact(bad).unwrap();
        assert!(app.sync_view().unwrap().refused.is_empty(), "an edit clears the mark");
        app.close_outing(bad, Utc::now()).unwrap();
    });
    let fixed = sync_all(&phone.store, |_, _| {}).await.unwrap();
    assert_eq!((fixed.stored, fixed.refused), (1, 0), "{fixed:?}");
    assert_eq!(server.stored(), 2);
    assert_eq!(phone.with(|app| app.pending_count()).unwrap(), 0);
    assert!(!phone.with(|app| app.review_marks()).unwrap().contains_key(&bad));
}
