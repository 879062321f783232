//! The Brescia indoor table of a real final report (Oct 2022 – Feb 2024), made again from
//! records: ads with their numbers, calls and messages recorded at the desk over several
//! sessions, and persons met from a historical log; then reported back: every cell and
//! total must match. The fixture prints ads, contacts and persons met: a contact is a
//! person reached by a call, so a number reached by several calls, from several ads and
//! sessions of the period, is one contact, an ad without a number reached is one person,
//! and messages (even answered) are counted apart. Calls and messages are checked against
//! what was recorded.

use crate::common::{KEY, assert_table_is_fixture, import_ok, import_refused, lanterna_ok, read_fixture, temp_db};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use lanterna::domain::indoor::AdData;
use lanterna::domain::{Channel, Gender, Nationality, Outcome, Province};
use lanterna::store::{NewIndoorSession, Store};
use serde_json::Value;

/// Desk sessions the ads are spread over.
const SESSIONS: usize = 6;

/// Per nationality and gender: calls and messages recorded.
type Recorded = Vec<(String, Gender, u64, u64)>;

/// Records the ads, calls and messages of the fixture's rows in desk sessions of the period
/// and returns what was recorded. The first `contacts` ads of a cell are the persons
/// reached: each has a number of its own, reached by one to three calls (every fourth has
/// no number and is reached once: a person of its own). The other ads repeat those numbers
/// in other sessions (a person advertised again: some calls reach them again, they are no
/// new contact) or, in a cell without contacts, have numbers nobody answers. Every third
/// ad gets an answered WhatsApp message.
fn record_at_the_desk(store: &mut Store, from: NaiveDate, days: i64, rows: &[(String, Vec<u64>)]) -> Recorded {
    let bs = Province::parse("BS").unwrap();
    let sessions: Vec<_> = (0..SESSIONS as i64)
        .map(|k| {
            let day = from + Duration::days(k * (days - 1) / (SESSIONS as i64 - 1));
            let started_at = Utc.from_utc_datetime(&day.and_hms_opt(10, 0, 0).unwrap());
            store
                .start_indoor_session(&NewIndoorSession {
                    started_at,
                    province: bs,
                    operators: 2,
                    mediator_language: None,
                })
                .unwrap()
                .id
        })
        .collect();
    let mut serial = 0u64;
    let mut new_number = || {
        serial += 1;
        Some(format!("+39 333 {serial:07}"))
    };
    let mut recorded = Vec::new();
    for (r, (label, counts)) in rows.iter().enumerate() {
        let nationality = Nationality::from_name(label).unwrap();
        for (gi, &gender) in Gender::ALL.iter().enumerate() {
            let (ads, contacts) = (counts[gi] as usize, counts[3 + gi] as usize);
            assert!(contacts <= ads, "{label}: a contact is made through an ad");
            let data = AdData {
                site: "moscarossa".into(),
                province: bs,
                comune: None,
                nationality,
                gender,
                declared_age: None,
                risky: false,
            };
            let (mut calls, mut messages) = (0, 0);
            let mut numbers: Vec<Option<String>> = Vec::new();
            for j in 0..ads {
                let (number, reached) = match j {
                    j if j < contacts && j % 4 == 3 => (None, 1),
                    j if j < contacts => (new_number(), 1 + j % 3),
                    j if contacts > 0 && numbers[j % contacts].is_some() => (numbers[j % contacts].clone(), j % 2),
                    _ => (new_number(), 0),
                };
                let session = sessions[(j + r) % SESSIONS];
                let (ad, _) = store.add_ad(session, &data, number.as_deref()).unwrap();
                numbers.push(number);
                let mut attempt = |channel, outcome| store.record_attempt(ad.id, channel, outcome).unwrap();
                for _ in 0..reached {
                    attempt(Channel::Call, Outcome::Reached);
                }
                if j >= contacts {
                    attempt(Channel::Call, Outcome::NoAnswer);
                }
                calls += (reached + usize::from(j >= contacts)) as u64;
                if j % 3 == 0 {
                    attempt(Channel::Whatsapp, Outcome::Reached);
                    messages += 1;
                }
            }
            recorded.push((nationality.code().to_owned(), gender, calls, messages));
        }
    }
    for id in sessions {
        store.close_indoor_session(id, Utc::now()).unwrap();
    }
    recorded
}

#[test]
fn brescia_indoor_table_round_trips_exactly() {
    let (header, rows) = read_fixture("brescia-indoor-2022-10-01_2024-02-29.csv");
    let from = NaiveDate::from_ymd_opt(2022, 10, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let days = (to - from).num_days() + 1;

    // The log: persons met, and what must not leak in (another province, a massage centre,
    // dates outside the period), in any order.
    let mut lines: Vec<String> = Vec::new();
    let mut i: i64 = 0;
    for (label, counts) in &rows {
        let code = Nationality::from_name(label).unwrap_or_else(|e| panic!("{label}: {e}"));
        for (g, n) in ["M", "F", "T"].iter().zip(&counts[6..9]) {
            for _ in 0..*n {
                i += 1;
                lines.push(format!("{},BS,meeting,{g},{},,,", from + Duration::days((i * 53) % days), code.code()));
            }
        }
    }
    lines.push("2023-05-05,MI,ad,F,RO,,moscarossa,".into());
    lines.push("2023-05-05,BS,massage,F,CN,,,".into());
    lines.push("2022-09-30,BS,ad,F,RO,,,".into());
    lines.push("2024-03-01,BS,call,F,RO,reached,,".into());
    let n = lines.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&k| (k * 7919) % n);
    let mut csv = String::from("date,province,kind,gender,nationality,outcome,site,channel\n");
    for k in order {
        csv.push_str(&lines[k]);
        csv.push('\n');
    }
    let (dir, db) = temp_db();
    let said = import_ok(&db, dir.path(), "brescia-indoor.csv", &csv);
    assert!(said.contains("indoor sessions"), "{said}");
    let recorded = record_at_the_desk(&mut Store::open(&db, KEY).unwrap(), from, days, &rows);

    let args =
        ["report", "indoor", "--from", "2022-10-01", "--to", "2024-02-29", "--province", "BS", "--format", "json"];
    let table: Value = serde_json::from_str(&lanterna_ok(&db, &args)).unwrap();
    assert_eq!(table["province"], "BS");
    assert_table_is_fixture(&table, &header, &rows, |code, row| {
        for (nat, g, calls, messages) in recorded.iter().filter(|(nat, ..)| nat == code) {
            assert_eq!(row["calls"][g.code()], *calls, "{nat} calls {g:?}");
            assert_eq!(row["messages"][g.code()], *messages, "{nat} messages {g:?}");
        }
    });
    let labels: Vec<&str> = table["rows"].as_array().unwrap().iter().map(|r| r["label"].as_str().unwrap()).collect();
    let printed: Vec<&str> = rows.iter().map(|(label, _)| label.as_str()).collect();
    assert_eq!(labels, printed, "the printed order: Est Europa among the countries, the undeclared last");

    // The synthesis sees Milano, with a Tot per group; the massage tables see the centre.
    let all: Value = serde_json::from_str(&lanterna_ok(
        &db,
        &["report", "indoor", "--from", "2022-10-01", "--to", "2024-02-29", "--format", "json"],
    ))
    .unwrap();
    let mi = all["synthesis"]["rows"].as_array().unwrap().iter().find(|r| r["province"] == "MI").unwrap();
    assert_eq!(mi["ads"]["F"], 1);
    assert_eq!(mi["ads"]["total"], 1);
    let contacts: u64 = rows.iter().map(|(_, c)| c[3] + c[4] + c[5]).sum();
    assert_eq!(all["synthesis"]["total"]["contacts"]["total"], contacts);
    let massage: Value = serde_json::from_str(&lanterna_ok(
        &db,
        &["report", "massage", "--from", "2022-10-01", "--to", "2024-02-29", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(massage["synthesis"]["total"]["F"], 1, "{massage}");
    // The text table prints the same totals.
    let text =
        lanterna_ok(&db, &["report", "indoor", "--from", "2022-10-01", "--to", "2024-02-29", "--province", "BS"]);
    assert!(text.contains("ANNUNCI MAPPATI") && text.contains("PERSONE INCONTRATE"), "{text}");
}

#[test]
fn a_bad_indoor_log_imports_nothing_and_says_where() {
    let (dir, db) = temp_db();
    let head = "date,province,kind,gender,nationality,outcome,site,channel";
    let cases = [
        (format!("{head}\n2023-03-01,BS,call,F,RO,,,\n"), "line 2, column 'outcome'"),
        (format!("{head}\n2023-03-01,BS,ad,F,RO,reached,,\n"), "line 2, column 'outcome'"),
        (format!("{head}\n2023-03-01,BS,visit,F,RO,,,\n"), "line 2, column 'kind'"),
        (format!("{head}\n2023-03-01,BS,call,F,RO,maybe,,\n"), "line 2, column 'outcome'"),
        (format!("{head}\n2023-03-01,BS,call,F,RO,reached,,whatsapp\n"), "line 2, column 'channel'"),
        (format!("{head},phone\n2023-03-01,BS,ad,F,RO,,,,3331234567\n"), "line 1, column 'phone': unknown column"),
    ];
    for (csv, expect) in cases {
        let err = import_refused(&db, dir.path(), "bad-indoor.csv", &csv);
        assert!(err.contains(expect) && err.contains("nothing was imported"), "{expect}: {err}");
        assert!(!db.exists(), "a failed first import creates no database");
    }
}
