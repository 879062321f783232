//! Labour sectors and mapping nights from a phone to the server: after a sync through the
//! app, the server's labour-sectors table (persons per sector from the period's emersion
//! counts, contacts by sector and setting from the outings' summaries) and its mapping
//! table equal the phone's own; a coordinator's mapping night reaches the phone with the
//! periods and flags its street outing.

use chrono::{NaiveDate, TimeZone, Utc};
use lanterna::app::{Lanterna, ReportKind, ReportRequest};
use lanterna::domain::outreach::{LabourSector, LabourSetting};
use lanterna::domain::tables::Selection;
use lanterna::domain::{Activity, Comune, ContactData, Count, Gender, Nationality, Place, Shift};
use lanterna::report::{Format, Table};
use lanterna::store::NewOuting;
use lanterna_server::report::{Query, render};
use serde_json::Value;

use crate::common::{Phone, TestServer, server_cli};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn outing(app: &mut Lanterna, activity: Activity, date: &str, shift: Shift) -> uuid::Uuid {
    let started_at = Utc.from_utc_datetime(&day(date).and_hms_opt(20, 0, 0).unwrap());
    let new = NewOuting {
        activity,
        started_at,
        shift: Some(shift),
        team_size: Some(2),
        mediator: false,
        mediator_language: None,
        legal_operator: false,
        mapping: false,
    };
    app.start_outing(&new).unwrap().value.id
}

fn contact(g: Gender, nat: &str) -> ContactData {
    ContactData::new(g, Nationality::parse(nat).unwrap())
}

/// March 2024 in Brescia: two labour outings (agriculture at farms with a joint
/// inspection; riders at markets, one contact in construction) and a street outing on
/// a mapping night (the coordinator's).
fn record(app: &mut Lanterna) {
    let brescia = Place::comune(Comune::parse("017029").unwrap());
    let end = |d: &str| Utc.from_utc_datetime(&day(d).and_hms_opt(23, 0, 0).unwrap());

    let o = outing(app, Activity::Labour, "2024-03-05", Shift::Day);
    let stop = app.add_stop(o, brescia, None).unwrap().value.id;
    app.set_stop_sector(stop, Some(LabourSector::Agriculture)).unwrap();
    app.set_stop_setting(stop, Some(LabourSetting::Farms)).unwrap();
    app.set_joint_inspection(stop, true).unwrap();
    app.record_contacts(stop, &contact(Gender::M, "PK"), 3).unwrap();
    app.record_contacts(stop, &contact(Gender::F, "RO"), 1).unwrap();
    app.close_outing(o, end("2024-03-05")).unwrap();

    let o = outing(app, Activity::Labour, "2024-03-12", Shift::Day);
    let stop = app.add_stop(o, brescia, None).unwrap().value.id;
    app.set_stop_sector(stop, Some(LabourSector::Riders)).unwrap();
    app.set_stop_setting(stop, Some(LabourSetting::Markets)).unwrap();
    let c = app.record_contacts(stop, &contact(Gender::M, "IN"), 2).unwrap().value;
    app.set_contact_sector(c[0].id, Some(LabourSector::Construction)).unwrap();
    app.close_outing(o, end("2024-03-12")).unwrap();

    let o = outing(app, Activity::Street, "2024-03-20", Shift::Night);
    assert!(app.outing(o).unwrap().mapping, "the coordinator's night flags the street outing");
    let stop = app.add_stop(o, brescia, None).unwrap().value.id;
    app.record_contacts(stop, &contact(Gender::F, "NG"), 2).unwrap();
    app.record_contacts(stop, &contact(Gender::T, "BR"), 1).unwrap();
    app.close_outing(o, end("2024-03-20")).unwrap();
}

fn phone_report(phone: &Phone, table: Table, selection: Selection) -> Value {
    let req = ReportRequest { count: Count::Persons, ..ReportRequest::json(ReportKind::Table(table), selection) };
    serde_json::from_str(&phone.with(|a| a.report(&req)).unwrap()).unwrap()
}

fn server_report(server: &TestServer, table: Table, selection: Selection) -> Value {
    let b = server.backend.as_ref();
    let q = Query::over(b, table, selection).unwrap();
    serde_json::from_str(&render(b, &q, Format::Json).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_servers_labour_sectors_and_mapping_tables_are_the_phones() {
    let server = TestServer::start().await;
    assert!(server.backend.add_mapping_night(day("2024-03-20")).unwrap());
    assert!(!server.backend.add_mapping_night(day("2024-03-20")).unwrap(), "set once");
    let phone = Phone::new();
    lanterna::app::sync::enroll(&phone.store, &server.url(), &server.code(server.unit)).await.unwrap();
    // The first sync fetches the nights with the periods (nothing to send yet).
    lanterna::app::sync::sync_all(&phone.store, |_, _| {}).await.unwrap();
    assert_eq!(phone.with(|a| a.mapping_nights()).unwrap(), [day("2024-03-20")]);
    phone.with(record);
    lanterna::app::sync::sync_all(&phone.store, |_, _| {}).await.unwrap();

    let march = Selection::dates(day("2024-03-01"), day("2024-03-31"));
    let mine = phone_report(&phone, Table::LabourSectors, march);
    let theirs = server_report(&server, Table::LabourSectors, march);
    assert_eq!(theirs, mine, "labour sectors: the server's table differs from the phone's");
    let bs = &mine["tables"][0];
    let sector = |code: &str| bs["sectors"].as_array().unwrap().iter().find(|r| r["sector"] == code).unwrap().clone();
    assert_eq!(sector("agriculture")["persons"]["M"], 3);
    assert_eq!(sector("agriculture")["contacts"]["F"], 1);
    assert_eq!(sector("riders")["contacts"]["M"], 1);
    assert_eq!(sector("construction")["persons"]["M"], 1);
    assert_eq!(bs["joint_inspection"]["M"], 3);
    assert_eq!(bs["total"]["persons"]["M"], 5);

    let mine = phone_report(&phone, Table::Mapping, march);
    let theirs = server_report(&server, Table::Mapping, march);
    assert_eq!(theirs, mine, "mapping: the server's table differs from the phone's");
    assert_eq!(mine["synthesis"]["total"]["contacted"]["F"], 2);
    assert_eq!(mine["tables"][0]["rows"][0]["nationality"], "BR");

    // An edit after the sync: the sector's persons and contacts follow on the server.
    let stop = phone.with(|a| {
        let o = a.list_outings().unwrap().into_iter().find(|o| o.outing.date == day("2024-03-12")).unwrap().outing.id;
        a.reopen_outing(o).unwrap();
        let stop = a.stops(o).unwrap()[0].id;
        a.set_stop_sector(stop, Some(LabourSector::Logistics)).unwrap();
        a.close_outing(o, Utc::now()).unwrap();
        stop
    });
    assert!(stop > 0);
    lanterna::app::sync::sync_all(&phone.store, |_, _| {}).await.unwrap();
    let mine = phone_report(&phone, Table::LabourSectors, march);
    assert_eq!(server_report(&server, Table::LabourSectors, march), mine, "after the edit");
    let bs = &mine["tables"][0];
    let logistics = bs["sectors"].as_array().unwrap().iter().find(|r| r["sector"] == "logistics").unwrap();
    assert_eq!(logistics["persons"]["M"], 1);
}

#[test]
fn a_coordinator_sets_and_lists_mapping_nights_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let (ok, out, err) = server_cli(&db, &["mapping-night", "add", "2023-06-07"]);
    assert!(ok, "{err}");
    assert!(out.contains("2023-06-07"), "{out}");
    assert!(server_cli(&db, &["mapping-night", "add", "2023-10-18"]).0);
    let (ok, out, _) = server_cli(&db, &["mapping-night", "list"]);
    assert!(ok);
    assert_eq!(out.lines().collect::<Vec<_>>(), ["2023-06-07", "2023-10-18"]);
    assert!(server_cli(&db, &["mapping-night", "remove", "2023-06-07"]).0);
    let (ok, _, err) = server_cli(&db, &["mapping-night", "remove", "2023-06-07"]);
    assert!(!ok && err.contains("no mapping night"), "{err}");
    assert!(!server_cli(&db, &["mapping-night", "add", "2023-02-30"]).0, "not a date");
    let (_, out, _) = server_cli(&db, &["mapping-night", "list"]);
    assert_eq!(out.trim(), "2023-10-18");
}
