//! Persons without identity: named reporting periods (`lanterna-server period`), `GET
//! /api/v1/periods`, the persons each device sends per period with their revisions, and
//! the report tables that count them.

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use lanterna::domain::{Activity, Gender, Measure, Nationality, Province, Shift};
use lanterna::sync::{Client, SyncError};
use lanterna::wire::{AckStatus, Batch, PersonSummary, Refusal, Summary};
use lanterna_server::config::Config;
use lanterna_server::store::{Backend, Sqlite};
use serde_json::Value;
use uuid::Uuid;

use crate::common::{TestServer, persons, server_cli};

const PERIOD: &str = "Bando 2023-2024";

/// A server on a SQLite file the command line can open too.
async fn server() -> (TestServer, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let backend: Arc<dyn Backend> = Arc::new(Sqlite::open(&db).unwrap());
    let config = Config { listen: "127.0.0.1:0".into(), ..Config::default() };
    (TestServer::start_with(backend, dir, config).await, db)
}

/// The persons of the test period the server holds, all units.
fn stored_persons(server: &TestServer) -> u32 {
    let p = persons(Activity::Street, 1, 1);
    server.backend.persons(None, p.from, p.to).unwrap().iter().flat_map(|s| s.cells.iter().map(|c| c.count)).sum()
}

/// A street outing in Brescia on 5 November 2023 with `n` contacts (Romanian women, at night).
fn outing(n: u32) -> Summary {
    crate::common::street_summary(Uuid::new_v4(), 1, NaiveDate::from_ymd_opt(2023, 11, 5).unwrap(), n)
}

fn batch(summaries: Vec<Summary>, persons: Vec<PersonSummary>) -> Batch {
    Batch { summaries, persons }
}

#[test]
fn periods_are_added_and_listed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let ok = |args: &[&str]| {
        let (ok, out, err) = server_cli(&db, args);
        assert!(ok, "{args:?}: {err}");
        out
    };
    let fails = |args: &[&str], says: &str| {
        let (ok, _, err) = server_cli(&db, args);
        assert!(!ok, "{args:?} succeeded");
        assert!(err.contains(says), "{args:?}: {err}");
    };
    assert_eq!(ok(&["period", "list"]), "");
    let out = ok(&["period", "add", "Bando 2024-2025", "2024-03-01", "2025-06-30"]);
    assert_eq!(out, "period Bando 2024-2025 added: 2024-03-01 to 2025-06-30\n");
    ok(&["period", "add", &format!("  {PERIOD} "), "2023-10-01", "2024-02-29"]);

    fails(&["period", "add", PERIOD, "2020-01-01", "2020-12-31"], "a period named 'Bando 2023-2024' exists already");
    fails(&["period", "add", "X", "2023-02-30", "2023-03-31"], "<FROM>");
    fails(&["period", "add", "X", "2023-02-30", "2023-03-31"], "'2023-02-30' is not a calendar date YYYY-MM-DD");
    fails(&["period", "add", "X", "2023-01-01", "01/03/2023"], "<TO>");
    fails(&["period", "add", "X", "2023-05-01", "2023-04-30"], "period 'X': FROM 2023-05-01 is after TO 2023-04-30");
    fails(&["period", "add", "X", "2020-01-01", "2029-12-31"], "longer than");
    fails(&["period", "add", "   ", "2023-01-01", "2023-03-31"], "1 to 80");
    fails(&["period", "add", &"x".repeat(81), "2023-01-01", "2023-03-31"], "81 characters");
    fails(&["period", "add", "a\nb", "2023-01-01", "2023-03-31"], "control characters");
    fails(&["period", "add", "2023-Q1", "2023-01-01", "2023-03-31"], "calendar");
    fails(&["period", "add", "X", "2023-01-01"], "<TO>");

    // 80 characters (not bytes) are fine; oldest first.
    let long = "è".repeat(80);
    ok(&["period", "add", &long, "2024-03-01", "2024-03-31"]);
    let list = ok(&["period", "list"]);
    assert_eq!(
        list,
        format!(
            "2023-10-01  2024-02-29  {PERIOD}\n2024-03-01  2024-03-31  {long}\n2024-03-01  2025-06-30  Bando 2024-2025\n"
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_periods_need_a_device_token() {
    let (server, _db) = server().await;
    let client = Client::new(&server.url()).unwrap();
    let token = server.token(server.unit).await;
    assert_eq!(client.periods(&token).await.unwrap(), []);
    let (a, b) = (NaiveDate::from_ymd_opt(2023, 10, 1).unwrap(), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
    server.backend.add_period("Secondo", b.succ_opt().unwrap(), NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()).unwrap();
    server.backend.add_period(PERIOD, a, b).unwrap();
    let periods = client.periods(&token).await.unwrap();
    let names: Vec<&str> = periods.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, [PERIOD, "Secondo"]);
    assert_eq!((periods[0].from, periods[0].to), (a, b));

    // No token, a forged one, a coordinator's: 401.
    let url = format!("{}/api/v1/periods", server.url());
    let resp = reqwest::get(&url).await.unwrap();
    assert_eq!(resp.status(), reqwest::StatusCode::UNAUTHORIZED);
    assert!(resp.text().await.unwrap().contains("Authorization"));
    assert_eq!(client.periods(&"0".repeat(64)).await.unwrap_err(), SyncError::Revoked);
    let coordinator = lanterna_server::secret::token();
    server.backend.add_coordinator("Coordinamento", &lanterna_server::secret::hash(&coordinator)).unwrap();
    assert_eq!(client.periods(&coordinator).await.unwrap_err(), SyncError::Revoked);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persons_keep_their_highest_revision_and_a_bad_entry_is_refused_alone() {
    let (server, _db) = server().await;
    let client = Client::new(&server.url()).unwrap();
    let token = server.token(server.unit).await;
    let (street, labour) = (Activity::Street, Activity::Labour);

    let sent = vec![persons(street, 1, 3), persons(labour, 1, 2)];
    let r = client.send(&token, &batch(vec![outing(4)], sent.clone())).await.unwrap();
    assert_eq!(r.acks.len(), 1);
    assert_eq!(r.person_acks, [sent[0].ack(AckStatus::Stored), sent[1].ack(AckStatus::Stored)]);
    assert_eq!(stored_persons(&server), 5);

    // Equal or lower: ignored; higher: replaces. Acknowledged in order.
    let sent = vec![persons(street, 1, 30), persons(street, 2, 4), persons(labour, 1, 20)];
    let r = client.send(&token, &batch(vec![], sent.clone())).await.unwrap();
    let statuses: Vec<AckStatus> = r.person_acks.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [AckStatus::Ignored, AckStatus::Stored, AckStatus::Ignored]);
    assert_eq!(r.person_acks.iter().map(|a| a.revision).collect::<Vec<_>>(), [1, 2, 1]);
    assert_eq!(stored_persons(&server), 4 + 2);

    // Invalid periods' persons: each refused alone with its reason, the rest of the batch
    // stored (a phone of sync version 2; version 1 gets the whole batch refused, see
    // `refusals`).
    let before = server.stored();
    let mut bad = persons(street, 5, 1);
    bad.cells[0].measure = Measure::Contacts;
    let mut backwards = persons(street, 6, 1);
    backwards.to = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let mut indoor = persons(street, 5, 1);
    indoor.activity = Activity::Indoor;
    let r = client
        .send(&token, &batch(vec![outing(9)], vec![persons(labour, 5, 50), bad, backwards, indoor]))
        .await
        .unwrap();
    assert_eq!(r.acks[0].status, AckStatus::Stored);
    let got: Vec<(AckStatus, Option<Refusal>)> = r.person_acks.iter().map(|a| (a.status, a.reason)).collect();
    assert_eq!(
        got,
        [
            (AckStatus::Stored, None),
            (AckStatus::Refused, Some(Refusal::MeasureActivity)),
            (AckStatus::Refused, Some(Refusal::PersonsPeriod)),
            (AckStatus::Refused, Some(Refusal::PersonsActivity)),
        ]
    );
    assert_eq!((server.stored(), stored_persons(&server)), (before + 1, 4 + 50));
}

/// `lanterna-server report KIND ARGS --format json`.
fn report(db: &Path, kind: &str, args: &[&str]) -> Value {
    let mut all = vec!["report", kind, "--format", "json"];
    all.extend_from_slice(args);
    let (ok, out, err) = server_cli(db, &all);
    assert!(ok, "{all:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

/// The grand total of a street or labour report.
fn total(db: &Path, kind: &str, args: &[&str]) -> u64 {
    let v = report(db, kind, args);
    v["synthesis"]["grand_total"].as_u64().unwrap_or_else(|| panic!("{kind} {args:?}: {v}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_over_a_published_period_count_persons_of_every_phone() {
    let (server, db) = server().await;
    let client = Client::new(&server.url()).unwrap();
    let (a, b) = (server.token(server.unit).await, server.token(server.unit).await);
    let other = server.backend.add_unit("Unità Milano").unwrap().id;
    let c = server.token(other).await;
    let street = Activity::Street;
    // Two phones of the unit met 3 and 5 persons (a person met by both counts twice),
    // in 4 and 7 contacts; another unit's phone met 10 persons in 11 contacts.
    client.send(&a, &batch(vec![outing(4)], vec![persons(street, 1, 3)])).await.unwrap();
    client.send(&b, &batch(vec![outing(7)], vec![persons(street, 2, 5)])).await.unwrap();
    client.send(&c, &batch(vec![outing(11)], vec![persons(street, 1, 10)])).await.unwrap();
    // The last quarter of 2023: the first phone met 2 persons.
    let mut quarter = persons(street, 1, 2);
    quarter.to = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
    client.send(&a, &batch(vec![], vec![quarter])).await.unwrap();
    let (ok, _, err) = server_cli(&db, &["period", "add", PERIOD, "2023-10-01", "2024-02-29"]);
    assert!(ok, "{err}");

    let unit = server.unit.to_string();
    let one = ["--unit", unit.as_str()];
    let with = |args: &[&'static str]| [&one[..], args].concat();
    // Persons: the named period, the same dates, a calendar quarter.
    assert_eq!(total(&db, "street", &with(&["--period", PERIOD])), 3 + 5);
    assert_eq!(total(&db, "street", &with(&["--from", "2023-10-01", "--to", "2024-02-29"])), 3 + 5);
    assert_eq!(total(&db, "street", &with(&["--period", "2023-Q4"])), 2);
    assert_eq!(total(&db, "street", &with(&["--from", "2023-10-01", "--to", "2023-12-31"])), 2);
    assert_eq!(total(&db, "street", &with(&["--period", "2023-11"])), 0, "nothing sent for November");
    // Across units: every unit's phones.
    assert_eq!(total(&db, "street", &["--period", PERIOD, "--k", "1"]), 3 + 5 + 10);
    // Other dates: contacts.
    assert_eq!(total(&db, "street", &with(&["--from", "2023-10-01", "--to", "2024-03-01"])), 4 + 7);
    assert_eq!(total(&db, "street", &one), 4 + 7);
    assert_eq!(total(&db, "labour", &with(&["--period", PERIOD])), 0);

    // Services have no persons cells: counted from the outings, as over other dates.
    let services = |args: &[&str]| report(&db, "services", &[&one[..], args].concat());
    assert_eq!(services(&["--period", PERIOD]), services(&["--from", "2023-10-01", "--to", "2024-02-29"]));

    // Bad periods say what is wrong.
    let (ok, _, err) = server_cli(&db, &["report", "street", "--period", "Bando 1999"]);
    assert!(!ok && err.contains("--period: no period 'Bando 1999'"), "{err}");
    let (ok, _, err) = server_cli(&db, &["report", "street", "--period", PERIOD, "--from", "2023-10-01"]);
    assert!(!ok && err.contains("cannot be used with"), "{err}");

    // The read API does the same.
    let coordinator = lanterna_server::secret::token();
    server.backend.add_coordinator("Coordinamento", &lanterna_server::secret::hash(&coordinator)).unwrap();
    let get = |q: String| {
        let coordinator = coordinator.clone();
        let url = format!("{}/api/v1/reports/street?unit={unit}&{q}", server.url());
        async move {
            let resp = reqwest::Client::new().get(url).bearer_auth(coordinator).send().await.unwrap();
            (resp.status(), resp.text().await.unwrap())
        }
    };
    let grand = |text: &str| serde_json::from_str::<Value>(text).unwrap()["synthesis"]["grand_total"].as_u64();
    let (st, text) = get(format!("period={}", PERIOD.replace(' ', "%20"))).await;
    assert_eq!((st.as_u16(), grand(&text)), (200, Some(8)), "{text}");
    let (st, text) = get("from=2023-10-01&to=2024-02-29".into()).await;
    assert_eq!((st.as_u16(), grand(&text)), (200, Some(8)), "{text}");
    let (st, text) = get("from=2023-10-01&to=2024-03-01".into()).await;
    assert_eq!((st.as_u16(), grand(&text)), (200, Some(11)), "{text}");
    let (st, text) = get("period=nope".into()).await;
    assert!(st.as_u16() == 400 && text.contains("query parameter period: no period 'nope'"), "{text}");
    let (st, text) = get("period=2023&from=2023-01-01".into()).await;
    assert!(st.as_u16() == 400 && text.contains("either period or from and to"), "{text}");
}

/// The phone's persons table over `selection` (kept periods read their cells) and the
/// server's over the same dates, both as JSON.
fn both_persons(
    server: &TestServer,
    phone: &crate::common::Phone,
    kind: lanterna::report::Table,
    from: NaiveDate,
    to: NaiveDate,
) -> (Value, Value) {
    use lanterna::app::{ReportKind, ReportRequest};
    use lanterna::domain::tables::Selection;
    let selection = Selection::dates(from, to);
    let mine = phone.with(|a| a.report(&ReportRequest::json(ReportKind::Table(kind), selection))).unwrap();
    let remote = match kind {
        lanterna::report::Table::Labour => lanterna_server::report::Kind::Labour,
        _ => lanterna_server::report::Kind::Street,
    };
    let q = lanterna_server::report::Query {
        units: Some(vec![server.unit]),
        ..lanterna_server::report::Query::over(server.backend.as_ref(), remote, selection).unwrap()
    };
    let theirs = lanterna_server::report::render(server.backend.as_ref(), &q, lanterna::report::Format::Json).unwrap();
    (serde_json::from_str(&mine).unwrap(), serde_json::from_str(&theirs).unwrap())
}

/// A phone syncs its persons: for a published period and a calendar month, the server's
/// persons tables equal the phone's, after a known person is met again, after a person's
/// details change on a closed outing, after a merge and after an outing is deleted, each
/// followed by a sync.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_servers_persons_equal_the_phones_after_edits_and_resyncs() {
    use chrono::{TimeZone, Utc};
    use lanterna::app::NewOuting;
    use lanterna::domain::{Comune, PersonDetails, Place};
    use lanterna::report::Table;

    let (server, _db) = server().await;
    let year = (NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2024, 12, 31).unwrap());
    server.backend.add_period("Bando 2024", year.0, year.1).unwrap();
    let phone = crate::common::Phone::new();
    phone.with(|a| crate::common::fill(a, 6, 2));
    let brescia = Place { province: Province::parse("BS").unwrap(), comune: Some(Comune::parse("017029").unwrap()) };
    // Rosa is met on two outings of March: one person, two contacts.
    let mut rosa = 0;
    for (i, day) in [1, 8].into_iter().enumerate() {
        phone.with(|a| {
            let started_at = Utc.with_ymd_and_hms(2024, 3, day, 21, 0, 0).unwrap();
            let new = NewOuting {
                activity: Activity::Street,
                started_at,
                shift: Some(Shift::Night),
                team_size: Some(2),
                mediator: false,
                mediator_language: None,
                legal_operator: false,
                mapping: false,
            };
            let o = a.start_outing(&new).unwrap().value;
            let stop = a.add_stop(o.id, brescia, None).unwrap().value;
            if i == 0 {
                let c = a.tally(stop.id, Gender::F, Nationality::parse("RO").unwrap(), 1).unwrap().value;
                rosa = a.person_of_contact(c[0].id).unwrap().id;
            } else {
                a.record_known(stop.id, rosa).unwrap();
            }
            a.close_outing(o.id, started_at + chrono::Duration::hours(3)).unwrap();
        });
    }
    let url = server.url();
    lanterna::app::sync::enroll(&phone.store, &url, &server.code(server.unit)).await.unwrap();
    let march = (NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(), NaiveDate::from_ymd_opt(2024, 3, 31).unwrap());
    let check = |when: &str| {
        for kind in [Table::Street, Table::Labour] {
            for (from, to) in [year, march] {
                let (mine, theirs) = both_persons(&server, &phone, kind, from, to);
                assert_eq!(mine["count"], "persons", "{when}: the phone counts persons over {from}..{to}");
                assert_eq!(theirs, mine, "{when}: {kind:?} {from}..{to}: the server's persons differ from the phone's");
            }
        }
    };
    let sync = || async { lanterna::app::sync::sync_all(&phone.store, |_, _| {}).await.unwrap() };
    let report = sync().await;
    assert!(report.periods > 0, "persons were sent");
    check("first sync");
    let (mine, _) = both_persons(&server, &phone, Table::Street, march.0, march.1);
    let contacts = phone.with(|a| {
        use lanterna::app::{ReportKind, ReportRequest};
        let req = ReportRequest {
            count: lanterna::domain::Count::Contacts,
            ..ReportRequest::json(
                ReportKind::Table(Table::Street),
                lanterna::domain::tables::Selection::dates(march.0, march.1),
            )
        };
        serde_json::from_str::<Value>(&a.report(&req).unwrap()).unwrap()
    });
    assert!(
        contacts["synthesis"]["grand_total"].as_u64() > mine["synthesis"]["grand_total"].as_u64(),
        "Rosa: 2 contacts, 1 person"
    );

    // A person's nationality corrected after the outings closed.
    phone.with(|a| {
        let p = a.person_view(rosa, "").unwrap().person;
        let details =
            PersonDetails { nationality: Nationality::parse("AL").unwrap(), name: Some("Rosa".into()), ..p.details() };
        a.update_person(rosa, &details).unwrap();
    });
    sync().await;
    check("after an edit");
    // Two persons merged, then an outing deleted.
    phone.with(|a| {
        let ids: Vec<i64> = a
            .list_outings()
            .unwrap()
            .iter()
            .take(1)
            .map(|o| o.outing.id)
            .flat_map(|id| a.contacts_of_outing(id).unwrap())
            .map(|c| a.person_of_contact(c.id).unwrap().id)
            .collect();
        if let [x, y, ..] = ids[..] {
            if x != y {
                a.merge_persons(x, y).unwrap();
            }
        }
    });
    sync().await;
    check("after a merge");
    phone.with(|a| {
        let id = a.list_outings().unwrap().last().unwrap().outing.id;
        a.delete(id).unwrap();
    });
    sync().await;
    check("after a deletion");
}
