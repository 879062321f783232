//! Emersion counts from two units' phones to the server: each phone sends the emersion
//! counts of every kept period as period summaries of activity `emersion`; the server's
//! tally of a period is, cell by cell, the sum of the two phones' own `emersion_tally`
//! (and each unit's is its phone's); an edit re-sends only its periods and the server
//! follows it; quarantine sets a device's emersion counts aside; and an emersion table
//! over dates that are not a published period is an error, not a table of zeros.

use chrono::{NaiveDate, TimeZone, Utc};
use lanterna::domain::emersion::{
    Adhesion, ContactOutcome, Findings, HelpKind, HelplineReport, HelplineSource, IdCount, InterviewKind, Typology,
    Verdict,
};
use lanterna::domain::tables::{ReportScope, Selection};
use lanterna::domain::{
    Activity, Comune, ContactData, Count, Gender, Lang, Measure, Nationality, Period, PersonDetails, Place, Protection,
    Province, Shift, Tally,
};
use lanterna::report::{Format, Rendered, Table};
use lanterna::store::emersion::NewInterview;
use lanterna::store::{NewOuting, Store};
use lanterna::sync::Client;
use lanterna::wire::{AckStatus, Batch};
use lanterna_server::report::{Query, ReportError, reads_persons, render};
use lanterna_server::store::Backend;
use uuid::Uuid;

use crate::common::TestServer;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn province(code: &str) -> Province {
    Province::parse(code).unwrap()
}

fn someone(store: &mut Store, gender: Gender, nat: &str) -> i64 {
    let details = PersonDetails {
        name: None,
        gender,
        nationality: Nationality::parse(nat).unwrap(),
        age_band: None,
        protection: Protection::Unknown,
    };
    store.create_person(&details).unwrap().id
}

fn interview(store: &mut Store, person: i64, date: &str, at: &str, kind: InterviewKind, findings: Findings) -> i64 {
    let new = NewInterview { person, date: day(date), province: province(at), kind, findings, requested: None };
    store.record_interview(&new).unwrap().id
}

/// A unit's phone with emersion work in `at` through 2024, varied by `seed`: persons
/// interviewed several times with their state changing, a Referral (one request left
/// unanswered), outcomes on a street contact and a helpline report.
fn phone(at: &str, seed: u32) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let social = InterviewKind::Social;
    let nats = ["NG", "RO", "CN", "MA"];
    for i in 0..(3 + seed) {
        let p = someone(&mut store, if i % 2 == 0 { Gender::F } else { Gender::M }, nats[(i + seed) as usize % 4]);
        let month = 1 + (i + seed) % 11;
        let first = format!("2024-{month:02}-0{}", 1 + i % 8);
        let pending = Findings { verdict: Some(Verdict::Pending), ..Default::default() };
        interview(&mut store, p, &first, at, social, pending);
        if i % 2 == 0 {
            let identified = Findings {
                verdict: Some(Verdict::Identified),
                typology: Some(if i % 4 == 0 { Typology::SexualStreet } else { Typology::Begging }),
                adhesion: Some(Adhesion::Waiting),
                ..Default::default()
            };
            interview(&mut store, p, &format!("2024-{:02}-15", month + 1), at, social, identified);
            let adhered = Findings { adhesion: Some(Adhesion::Yes), ..Default::default() };
            store.note_findings(p, day(&format!("2024-{:02}-20", month + 1)), &adhered).unwrap();
        }
    }
    let r = someone(&mut store, Gender::M, "PK");
    interview(&mut store, r, "2024-03-05", at, InterviewKind::Referral, Findings::default());
    let waiting = someone(&mut store, Gender::F, "CI");
    store.record_referral_request(waiting, day("2024-10-02"), province(at)).unwrap();

    let started_at = Utc.from_utc_datetime(&day("2024-04-12").and_hms_opt(21, 0, 0).unwrap());
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
    let o = store.start_outing(&new).unwrap();
    let comune = if at == "BG" { "016024" } else { "017029" };
    let stop = store.add_stop(o.id, Place::comune(Comune::parse(comune).unwrap()), None).unwrap();
    let mut met = ContactData::new(Gender::F, Nationality::parse("RO").unwrap());
    met.outcomes = [ContactOutcome::Proposed, ContactOutcome::Commissione].into_iter().collect();
    store.record_contact(stop.id, &met).unwrap();
    store.close_outing(o.id, started_at + chrono::Duration::hours(3)).unwrap();
    store
        .record_helpline_report(&HelplineReport {
            id: 0,
            date: day("2024-07-01"),
            province: province(at),
            gender: Gender::F,
            nationality: Nationality::parse("NG").unwrap(),
            known: seed % 2 == 0,
            source: HelplineSource::Agency,
            help: [HelpKind::Shelter].into_iter().collect(),
            outcome: None,
        })
        .unwrap();
    store
}

/// Sends what the phone has pending, as the app's sync does; every entry must be stored.
async fn sync(client: &Client, token: &str, store: &mut Store) -> usize {
    let mut sent = 0;
    loop {
        let persons = store.pending_person_summaries(100).unwrap();
        if persons.is_empty() {
            return sent;
        }
        let answer = client.send(token, &Batch { summaries: Vec::new(), persons }).await.unwrap();
        assert!(answer.person_acks.iter().all(|a| a.status == AckStatus::Stored), "{:?}", answer.person_acks);
        sent += answer.person_acks.len();
        store.mark_persons_synced(&answer.person_acks).unwrap();
    }
}

/// The emersion counts the server holds for exactly `period`, of some units or all.
fn server_tally(b: &dyn Backend, units: Option<&[Uuid]>, period: Period) -> Tally {
    let mut t = Tally::new();
    for p in b.persons(units, period.from, period.to).unwrap().iter().filter(|p| p.activity == Activity::Emersion) {
        p.add_to(&mut t);
    }
    t
}

/// The kept periods of 2024: every month, quarter, and the year.
fn periods_of_2024() -> Vec<Period> {
    let mut out = Vec::new();
    for m in 1..=12 {
        let [month, quarter, year] = Period::calendar_of(NaiveDate::from_ymd_opt(2024, m, 1).unwrap());
        out.push(month);
        if m % 3 == 1 {
            out.push(quarter);
        }
        if m == 1 {
            out.push(year);
        }
    }
    out
}

/// The "the synthesis by kind equals the sum of the units' tables after a sync",
/// on tallies: for every period, the server's emersion tally over all units is the sum of
/// the units' own, and each unit's is its phone's `emersion_tally`. Every table is a pure
/// function of a tally, so equal tallies print equal tables; and the identification table
/// itself, as the server prints it, is checked the same way.
fn synthesis_by_kind_equals_the_sum_of_the_units(server: &TestServer, phones: &[(Uuid, &Store)]) {
    let b = server.backend.as_ref();
    for period in periods_of_2024() {
        let mut sum = Tally::new();
        for (unit, store) in phones {
            let own = store.emersion_tally(period).unwrap();
            assert_eq!(server_tally(b, Some(&[*unit]), period), own, "unit {unit}, {}", period.key());
            sum.merge(&own);
        }
        assert_eq!(server_tally(b, None, period), sum, "all units, {}", period.key());
        // By kind, as the synthesis prints it: persons, interviews, identified, adhesions.
        for kind in [InterviewKind::Social, InterviewKind::Referral] {
            for c in [IdCount::Persons, IdCount::Interviews, IdCount::Identified, IdCount::Adhesions] {
                let m = Measure::Id(kind, c);
                let units: u64 =
                    phones.iter().map(|(u, _)| server_tally(b, Some(&[*u]), period).sum(m, |_, _| true)).sum();
                assert_eq!(server_tally(b, None, period).sum(m, |_, _| true), units, "{m} {}", period.key());
            }
        }
        // On the printed tables: the server's identification synthesis (every unit) is the
        // row-by-row sum of each unit's table, and each unit's is its phone's own table.
        let mut summed = [[0u64; 4]; 3];
        for (unit, store) in phones {
            let on_server = identification_rows(b, Some(vec![*unit]), period);
            let scope = ReportScope { lang: Lang::It, ..ReportScope::period(period) };
            let own = Rendered::build(Table::Identification, &store.emersion_tally(period).unwrap(), &scope).render(
                Format::Json,
                false,
                Lang::It,
            );
            assert_eq!(on_server, rows_of(&own), "unit {unit}, {}", period.key());
            for (sum, row) in summed.iter_mut().zip(on_server) {
                sum.iter_mut().zip(row).for_each(|(s, n)| *s += n);
            }
        }
        assert_eq!(identification_rows(b, None, period), summed, "synthesis by kind, {}", period.key());
    }
}

/// The identification table the server prints over `period` (of some units, or all), as
/// its rows social, referral and the total: persons, interviews, identified, adhesions.
fn identification_rows(b: &dyn Backend, units: Option<Vec<Uuid>>, period: Period) -> [[u64; 4]; 3] {
    let q = Query { units, ..Query::new(Table::Identification, Selection::dates(period.from, period.to)) };
    rows_of(&render(b, &q, Format::Json).unwrap())
}

/// The rows of an identification table's JSON, in order social, referral, total.
fn rows_of(json: &str) -> [[u64; 4]; 3] {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let cells =
        |o: &serde_json::Value| ["persons", "interviews", "identified", "adhesions"].map(|k| o[k].as_u64().unwrap());
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.iter().map(|r| r["kind"].as_str().unwrap()).collect::<Vec<_>>(), ["social", "referral"], "{json}");
    [cells(&rows[0]), cells(&rows[1]), cells(&v["total"])]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_units_emersion_counts_sum_on_the_server_and_follow_every_edit() {
    let server = TestServer::start().await;
    let b = server.backend.as_ref();
    let other = b.add_unit("Unità Brescia").unwrap().id;
    let client = Client::new(&server.url()).unwrap();
    let (ta, tb) = (server.token(server.unit).await, server.token(other).await);
    let (mut bg, mut bs) = (phone("BG", 1), phone("BS", 2));
    assert!(sync(&client, &ta, &mut bg).await > 10);
    assert!(sync(&client, &tb, &mut bs).await > 10);
    synthesis_by_kind_equals_the_sum_of_the_units(&server, &[(server.unit, &bg), (other, &bs)]);
    let year = Period::calendar_of(day("2024-01-01"))[2];
    let adhesions =
        server_tally(b, None, year).sum(Measure::Id(InterviewKind::Social, IdCount::Adhesions), |_, _| true);
    assert!(adhesions >= 3, "the fixture's adhesions arrive: {adhesions}");
    assert_eq!(server_tally(b, None, year).sum(Measure::OutcomePersons, |_, _| true), 2);

    // An edit on one phone re-sends its month, quarter and year only; the server follows.
    let p = someone(&mut bg, Gender::F, "NG");
    interview(&mut bg, p, "2024-08-08", "BG", InterviewKind::Social, Findings::default());
    assert_eq!(sync(&client, &ta, &mut bg).await, 3);
    synthesis_by_kind_equals_the_sum_of_the_units(&server, &[(server.unit, &bg), (other, &bs)]);

    // A deleted interview: its periods come back lower.
    let id = bg.interviews_of(p).unwrap()[0].interview.id;
    bg.delete_interview(id).unwrap();
    assert_eq!(sync(&client, &ta, &mut bg).await, 3);
    synthesis_by_kind_equals_the_sum_of_the_units(&server, &[(server.unit, &bg), (other, &bs)]);
    let aug = Period::calendar_of(day("2024-08-08"))[0];
    assert_eq!(
        server_tally(b, Some(&[server.unit]), aug)
            .sum(Measure::Id(InterviewKind::Social, IdCount::Interviews), |_, _| true),
        bg.emersion_tally(aug).unwrap().sum(Measure::Id(InterviewKind::Social, IdCount::Interviews), |_, _| true)
    );
    // Nothing changed: nothing is sent.
    assert_eq!(sync(&client, &ta, &mut bg).await, 0);

    // Quarantine of the Brescia phone sets its emersion counts aside.
    let device = b.devices().unwrap().into_iter().find(|d| d.unit == other).unwrap().id;
    let q = b.quarantine(device, day("2020-01-01"), "test").unwrap();
    assert!(q.persons > 10, "{q:?}");
    assert_eq!(server_tally(b, None, year), bg.emersion_tally(year).unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emersion_tables_read_period_summaries_and_refuse_other_dates() {
    let server = TestServer::start().await;
    let b = server.backend.as_ref();
    let month = Selection::dates(day("2024-03-01"), day("2024-03-31"));
    let range = Selection::dates(day("2024-03-02"), day("2024-03-31"));
    let emersion = Some(Activity::Emersion);
    assert!(reads_persons(b, emersion, &month, Count::Contacts).unwrap(), "always from period summaries");
    let e = reads_persons(b, emersion, &range, Count::Persons).unwrap_err();
    assert!(matches!(&e, ReportError::Bad(m) if m.contains("reporting period")), "{e}");
    b.add_period("Bando", day("2024-03-02"), day("2024-03-31")).unwrap();
    assert!(reads_persons(b, emersion, &range, Count::Contacts).unwrap(), "a named period is published");
    for a in [Activity::Street, Activity::Labour, Activity::Desk] {
        assert!(reads_persons(b, Some(a), &month, Count::Persons).unwrap(), "{a}");
        assert!(!reads_persons(b, Some(a), &month, Count::Contacts).unwrap(), "{a}");
    }
    assert!(!reads_persons(b, Some(Activity::Indoor), &month, Count::Persons).unwrap());
    assert!(!reads_persons(b, None, &month, Count::Persons).unwrap());
}
