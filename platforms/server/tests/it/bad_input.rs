//! Bad requests: each rejected with the right status and a JSON error saying what was
//! wrong, and nothing stored.

use crate::common::{Phone, TestServer, fill};
use lanterna::wire::{Batch, ErrorBody};
use reqwest::StatusCode;
use serde_json::json;

async fn post(server: &TestServer, path: &str, token: Option<&str>, body: Vec<u8>, gzip: bool) -> (StatusCode, String) {
    let mut req = reqwest::Client::new()
        .post(format!("{}{path}", server.url()))
        .header("content-type", "application/json")
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if gzip {
        req = req.header("content-encoding", "gzip");
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    if !status.is_success() {
        let e: ErrorBody = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not a JSON error: {text}"));
        assert!(!e.error.is_empty());
    }
    (status, text)
}

fn summary() -> serde_json::Value {
    json!({"id": uuid::Uuid::new_v4(), "revision": 1, "activity": "street", "date": "2024-03-01",
           "shift": "night", "province": "BS", "comuni": ["017029"],
           "cells": [{"nat": "RO", "g": "F", "m": "contacts", "n": 3}]})
}

fn batch(s: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&json!({ "summaries": [s] })).unwrap()
}

/// A summary changed by `edit` so that it breaks a rule: refused as unprocessable, saying `says`.
fn invalid<'a>(
    what: &'a str,
    edit: impl Fn(&mut serde_json::Value),
    says: &'a str,
) -> (&'a str, Vec<u8>, StatusCode, &'a str) {
    let mut s = summary();
    edit(&mut s);
    (what, batch(s), StatusCode::UNPROCESSABLE_ENTITY, says)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_refused_and_change_nothing() {
    let server = TestServer::start().await;
    let token = server.token(server.unit).await;
    let t = Some(token.as_str());
    let path = "/api/v1/summaries";

    // A good one first, so "nothing stored" has something to compare with.
    let (st, _) = post(&server, path, t, batch(summary()), false).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(server.stored(), 1);

    let huge_cells: Vec<serde_json::Value> = (0..6000)
        .map(|i| json!({"nat": "RO", "g": "F", "m": format!("leaflets.{}", ["it","en","ro","es","pt","fr"][i % 6]), "n": 1 + i}))
        .collect();
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        ("malformed JSON", b"{\"summaries\": [".to_vec(), StatusCode::BAD_REQUEST, "invalid JSON"),
        invalid("unknown field", |s| s["note"] = json!("Maria, via Milano"), "unknown field"),
        invalid("unknown cell field", |s| s["cells"][0]["label"] = json!("x"), "unknown field"),
        invalid("wrong type", |s| s["revision"] = json!("one"), "invalid type"),
        invalid("negative count", |s| s["cells"][0]["n"] = json!(-1), "invalid"),
        invalid("zero count", |s| s["cells"][0]["n"] = json!(0), "outside"),
        invalid("count too big", |s| s["cells"][0]["n"] = json!(100_001), "outside"),
        invalid("unknown nationality", |s| s["cells"][0]["nat"] = json!("QQ"), "nationality"),
        invalid("unknown measure", |s| s["cells"][0]["m"] = json!("names"), "measure"),
        invalid("unknown province", |s| s["province"] = json!("XY"), "province"),
        invalid("comune as a name", |s| s["comuni"] = json!(["Brescia"]), "comune"),
        invalid("revision 0", |s| s["revision"] = json!(0), "revision"),
        invalid(
            "duplicate cell",
            |s| {
                s["cells"] =
                    json!([{"nat":"RO","g":"F","m":"contacts","n":1},{"nat":"RO","g":"F","m":"contacts","n":2}])
            },
            "twice",
        ),
        invalid("indoor measure on a street outing", |s| s["cells"][0]["m"] = json!("ads"), "does not belong"),
        invalid("future date", |s| s["date"] = json!("2099-01-01"), "future"),
        invalid("too many cells", |s| s["cells"] = json!(huge_cells), "cells"),
        ("oversized body", vec![b' '; 2 << 20], StatusCode::PAYLOAD_TOO_LARGE, "larger"),
    ];
    for (what, body, status, says) in cases {
        let (st, text) = post(&server, path, t, body, false).await;
        assert_eq!(st, status, "{what}: {text}");
        assert!(text.contains(says), "{what}: {text}");
        assert_eq!(server.stored(), 1, "{what} stored something");
    }

    // A gzip bomb: small on the wire, too big unpacked.
    let bomb = lanterna::sync::gzip_json(&json!({"summaries": [], "pad": " ".repeat(20 << 20)}));
    let (st, text) = post(&server, path, t, bomb, true).await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    let (st, _) = post(&server, path, t, b"not gzip".to_vec(), true).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);

    // Tokens: missing, forged, revoked.
    let good = batch(summary());
    let (st, text) = post(&server, path, None, good.clone(), false).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "{text}");
    let (st, _) = post(&server, path, Some(&"0".repeat(64)), good.clone(), false).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let other_token = server.token(server.unit).await;
    let device = server.backend.devices().unwrap().last().unwrap().id;
    assert!(server.backend.revoke(device, chrono::Utc::now()).unwrap());
    let (st, text) = post(&server, path, Some(&other_token), good.clone(), false).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "a revoked token stops at once: {text}");
    assert_eq!(server.stored(), 1);

    // Another unit's summary: refused, and nothing of its batch is stored.
    let other_unit = server.backend.add_unit("Altra unità").unwrap().id;
    let intruder = server.token(other_unit).await;
    let phone = Phone::new();
    phone.with(|s| fill(s, 1, 0));
    let mine = phone.with(|s| s.pending_summaries(10)).unwrap();
    let (st, _) =
        post(&server, path, t, serde_json::to_vec(&Batch { summaries: mine.clone(), persons: vec![] }).unwrap(), false)
            .await;
    assert_eq!(st, StatusCode::OK);
    let before = server.stored();
    let mut theirs = mine.clone();
    theirs[0].revision += 1;
    let mut fresh = mine[0].clone();
    fresh.id = uuid::Uuid::new_v4();
    theirs.insert(0, fresh);
    let (st, text) = post(
        &server,
        path,
        Some(&intruder),
        serde_json::to_vec(&Batch { summaries: theirs, persons: vec![] }).unwrap(),
        false,
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{text}");
    assert!(text.contains("another unit"), "{text}");
    assert_eq!(server.stored(), before, "the batch's other summary was not stored either");

    // Enrollment: a used code, a malformed code.
    let code = server.code(server.unit);
    let enroll = |c: &str| serde_json::to_vec(&json!({ "code": c })).unwrap();
    assert_eq!(post(&server, "/api/v1/enroll", None, enroll(&code), false).await.0, StatusCode::CREATED);
    assert_eq!(post(&server, "/api/v1/enroll", None, enroll(&code), false).await.0, StatusCode::FORBIDDEN);
    assert_eq!(post(&server, "/api/v1/enroll", None, enroll("hello"), false).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    // Unknown endpoint and wrong media type.
    assert_eq!(post(&server, "/api/v2/summaries", t, good.clone(), false).await.0, StatusCode::NOT_FOUND);
    let resp = reqwest::Client::new()
        .post(format!("{}{path}", server.url()))
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body(good)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_that_sends_too_fast_is_slowed_down() {
    let dir = tempfile::tempdir().unwrap();
    let backend = std::sync::Arc::new(lanterna_server::store::Sqlite::open(&dir.path().join("s.db")).unwrap());
    let config = lanterna_server::config::Config {
        listen: "127.0.0.1:0".into(),
        rate_burst: 3,
        rate_per_minute: 1,
        ..Default::default()
    };
    let server = TestServer::start_with(backend, dir, config).await;
    let token = server.token(server.unit).await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(post(&server, "/api/v1/summaries", Some(&token), batch(summary()), false).await.0);
    }
    assert_eq!(&statuses[..3], &[StatusCode::OK; 3]);
    assert_eq!(statuses[3], StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(server.stored(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinators_read_summaries_and_suppressed_tables() {
    let server = TestServer::start().await;
    let phone = Phone::new();
    phone.with(|s| fill(s, 8, 5));
    lanterna::app::sync::enroll(&phone.store, &server.url(), &server.code(server.unit)).await.unwrap();
    lanterna::app::sync::sync_all(&phone.store, |_, _| {}).await.unwrap();
    let coord = lanterna_server::secret::token();
    server.backend.add_coordinator("Coordinamento", &lanterna_server::secret::hash(&coord)).unwrap();
    let device = server.token(server.unit).await;
    let get = |path: String, token: String| async move {
        let resp = reqwest::Client::new().get(path).bearer_auth(token).send().await.unwrap();
        (resp.status(), resp.text().await.unwrap())
    };
    let base = server.url();

    // A device token cannot read; a coordinator's can.
    let (st, _) = get(format!("{base}/api/v1/reports/street"), device.clone()).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, text) =
        get(format!("{base}/api/v1/summaries?unit={}&from=2024-01-01&to=2024-12-31", server.unit), coord.clone()).await;
    assert_eq!(st, StatusCode::OK, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["summaries"].as_array().unwrap().len(), 9);
    assert!(!text.contains("Via X"), "no stop label travels");

    // The coordinator's scope (here every unit) reads exact counts, cells of 1 and 2
    // included: the network of one unit is that unit's own table.
    for q in [String::new(), format!("&unit={}", server.unit)] {
        let (st, text) =
            get(format!("{base}/api/v1/reports/street?from=2020-01-01&to=2030-12-31{q}"), coord.clone()).await;
        assert_eq!(st, StatusCode::OK, "{text}");
        let theirs: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(theirs, phone.report(lanterna::report::Table::Street));
    }
    // Published: only over a whole reporting period, then small cells hidden.
    let (st, text) =
        get(format!("{base}/api/v1/reports/street?from=2020-01-01&to=2030-12-31&public=true"), coord.clone()).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("whole reporting period"), "{text}");
    server
        .backend
        .add_period(
            "Tutto",
            chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2030, 12, 31).unwrap(),
        )
        .unwrap();
    let (st, text) = get(format!("{base}/api/v1/reports/services?period=Tutto&public=true"), coord.clone()).await;
    assert_eq!(st, StatusCode::OK, "{text}");
    let (st, exact) = get(format!("{base}/api/v1/reports/services?period=Tutto"), coord.clone()).await;
    assert_eq!(st, StatusCode::OK, "{exact}");
    assert!(text.contains("\"<3\"") && !exact.contains("\"<3\""), "{text}");

    // Bad queries say which parameter.
    for (q, says) in [("from=2024-13-01", "from"), ("province=XY", "province"), ("k=many", "k"), ("name=x", "name")] {
        let (st, text) = get(format!("{base}/api/v1/reports/street?{q}"), coord.clone()).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{q}: {text}");
        assert!(text.contains(says), "{q}: {text}");
    }
    let (st, _) = get(format!("{base}/api/v1/reports/brothels"), coord).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}
