//! Issue 15's emersion total and age blocks on the server: a phone with street, labour and
//! indoor work (calls that reached protection holders, massage contacts said to seek
//! protection, ads with declared ages) syncs; the server's emersion total, street, labour,
//! indoor tables (with their age blocks) equal the phone's, counting contacts over any
//! dates and persons over a published period.

use chrono::NaiveDate;
use lanterna::app::sync::{enroll, sync_all};
use lanterna::app::{ReportKind, ReportRequest};
use lanterna::domain::tables::Selection;
use lanterna::domain::{Count, Protection};
use lanterna::report::{Format, Table};
use lanterna_server::report::{Kind, Query, render};
use serde_json::Value;

use crate::common::{Phone, TestServer, fill};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_servers_emersion_total_and_age_blocks_equal_the_phones() {
    let server = TestServer::start().await;
    let phone = Phone::new();
    phone.with(|s| fill(s, 10, 3));
    // A session of its own: a call that reached a protection holder, an ad of a minor.
    phone.with(|s| {
        let bs = lanterna::domain::Province::parse("BS").unwrap();
        let started_at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2024, 6, 5, 10, 0, 0).unwrap();
        let new = lanterna::store::NewIndoorSession { started_at, province: bs, operators: 2, mediator_language: None };
        let session = s.start_indoor_session(&new).unwrap().value;
        let ad = lanterna::domain::indoor::AdData {
            site: "moscarossa".into(),
            province: bs,
            comune: None,
            nationality: lanterna::domain::Nationality::parse("NG").unwrap(),
            gender: lanterna::domain::Gender::F,
            declared_age: Some(17),
            risky: false,
        };
        let (ad, _) = s.add_ad(session.id, &ad, Some("+39 333 999 0001")).unwrap().value;
        let call =
            s.record_attempt(ad.id, lanterna::domain::Channel::Call, lanterna::domain::Outcome::Reached).unwrap();
        s.set_attempt_protection(call.value.id, Protection::Yes).unwrap();
        s.close_indoor_session(session.id, started_at + chrono::Duration::hours(2)).unwrap();
    });
    enroll(&phone.store, &server.url(), &server.code(server.unit)).await.unwrap();
    sync_all(&phone.store, |_, _| {}).await.unwrap();

    // Any dates: contacts, from the summaries.
    for (table, kind) in [
        (Table::EmersionTotal, Kind::EmersionTotal),
        (Table::Street, Kind::Street),
        (Table::Labour, Kind::Labour),
        (Table::Indoor, Kind::Indoor),
    ] {
        let mine = phone.report(table);
        let theirs = server.report(kind, Some(server.unit));
        assert_eq!(theirs, mine, "{table:?}: the server's table differs from the phone's");
    }
    let total = phone.report(Table::EmersionTotal);
    let bs = total["tables"].as_array().unwrap().iter().find(|t| t["province"] == "BS").unwrap();
    assert_eq!(bs["rows"][2]["protection"], 1, "the reached protection holder: {bs}");
    let indoor = phone.report(Table::Indoor);
    let bs_indoor = indoor["tables"].as_array().unwrap().iter().find(|t| t["province"] == "BS").unwrap();
    assert_eq!(bs_indoor["age"]["minors"]["F"], 1, "{bs_indoor}");
    assert_eq!(bs["rows"][4]["protection"], 2, "the massage visit said both seek protection");
    let sum: u64 = bs["rows"].as_array().unwrap().iter().map(|r| r["total"].as_u64().unwrap()).sum();
    assert_eq!(bs["total"]["total"], sum);

    // A published period (the calendar year): persons, as the phone counts them.
    let year =
        Selection::dates(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2024, 12, 31).unwrap());
    let req =
        ReportRequest { count: Count::Persons, ..ReportRequest::json(ReportKind::Table(Table::EmersionTotal), year) };
    let mine: Value = serde_json::from_str(&phone.with(|s| s.report(&req)).unwrap()).unwrap();
    let q = Query {
        units: Some(vec![server.unit]),
        ..Query::over(server.backend.as_ref(), Kind::EmersionTotal, year).unwrap()
    };
    assert_eq!(q.count, Count::Persons);
    let theirs: Value = serde_json::from_str(&render(server.backend.as_ref(), &q, Format::Json).unwrap()).unwrap();
    assert_eq!(theirs, mine, "over a published period");
    assert_eq!(mine["count"], "persons");
}
