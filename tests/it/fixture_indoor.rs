//! The Brescia indoor table of a real final report (Oct 2022 – Feb 2024), turned into one
//! CSV line per event (ads, calls and messages with their outcome, meetings), imported,
//! and reported back: every cell and total must match. The fixture prints ads, contacts
//! and persons met; calls are checked against what the log holds.

use crate::common::{assert_table_is_fixture, import_ok, import_refused, lanterna_ok, read_fixture, temp_db};
use chrono::{Duration, NaiveDate};
use lanterna::domain::Nationality;
use serde_json::Value;

#[test]
fn brescia_indoor_table_round_trips_exactly() {
    let (header, rows) = read_fixture("brescia-indoor-2022-10-01_2024-02-29.csv");
    let from = NaiveDate::from_ymd_opt(2022, 10, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let days = (to - from).num_days() + 1;
    let sites = ["moscarossa", "bakecaincontri", "escort-advisor", ""];
    let channels = ["whatsapp", "sms", "telegram", ""];

    let mut lines: Vec<String> = Vec::new();
    // Calls expected per nationality and gender: every contact is a reached call or
    // message, plus one unanswered call for every ad of the cell that had no contact.
    let mut calls: Vec<(String, String, u64)> = Vec::new();
    let mut i: i64 = 0;
    let mut next_date = || {
        i += 1;
        from + Duration::days((i * 53) % days)
    };
    for (label, counts) in &rows {
        let code = Nationality::from_name(label).unwrap_or_else(|e| panic!("{label}: {e}"));
        let code = code.code();
        for (col, n) in header.iter().zip(counts) {
            let (what, gender) = col.split_once('_').unwrap();
            for k in 0..*n {
                let date = next_date();
                let line = match what {
                    "ads" => format!("{date},BS,ad,{gender},{code},,{},", sites[(k % 4) as usize]),
                    "contacts" if k % 3 == 2 => {
                        format!("{date},BS,message,{gender},{code},reached,,{}", channels[(k % 4) as usize])
                    }
                    "contacts" => format!("{date},BS,call,{gender},{code},reached,,"),
                    "met" => format!("{date},BS,meeting,{gender},{code},,,"),
                    other => panic!("unexpected column {other}"),
                };
                lines.push(line);
            }
        }
        // Unanswered calls and messages: they are calls (or messages) but not contacts.
        for (g, gi) in [("M", 0), ("F", 1), ("T", 2)] {
            let ads = counts[gi];
            let reached_calls = (0..counts[3 + gi]).filter(|k| k % 3 != 2).count() as u64;
            let unanswered = ads.saturating_sub(counts[3 + gi]);
            for k in 0..unanswered {
                let date = next_date();
                if k % 5 == 4 {
                    lines.push(format!("{date},BS,message,{g},{code},not_reached,,sms"));
                } else {
                    lines.push(format!("{date},BS,call,{g},{code},not_reached,,call"));
                }
            }
            let unanswered_calls = (0..unanswered).filter(|k| k % 5 != 4).count() as u64;
            calls.push((code.to_owned(), g.to_owned(), reached_calls + unanswered_calls));
        }
    }
    // Another province, massage centres and dates outside the period must not leak in.
    lines.push("2023-05-05,MI,ad,F,RO,,moscarossa,".into());
    lines.push("2023-05-05,BS,massage,F,CN,,,".into());
    lines.push("2022-09-30,BS,ad,F,RO,,,".into());
    lines.push("2024-03-01,BS,call,F,RO,reached,,".into());
    // Any order: the log is shuffled deterministically.
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
    let args =
        ["report", "indoor", "--from", "2022-10-01", "--to", "2024-02-29", "--province", "BS", "--format", "json"];
    let table: Value = serde_json::from_str(&lanterna_ok(&db, &args)).unwrap();
    assert_eq!(table["province"], "BS");
    assert_table_is_fixture(&table, &header, &rows, |code, row| {
        for (nat, g, n) in calls.iter().filter(|(nat, _, _)| nat == code) {
            assert_eq!(row["calls"][g.as_str()], *n, "{nat} calls {g}");
        }
    });
    let labels: Vec<&str> = table["rows"].as_array().unwrap().iter().map(|r| r["label"].as_str().unwrap()).collect();
    let printed: Vec<&str> = rows.iter().map(|(label, _)| label.as_str()).collect();
    assert_eq!(labels, printed, "the printed order: Est Europa among the countries, the undeclared last");

    // The synthesis sees Milano; the massage table sees the massage centre.
    let all: Value = serde_json::from_str(&lanterna_ok(
        &db,
        &["report", "indoor", "--from", "2022-10-01", "--to", "2024-02-29", "--format", "json"],
    ))
    .unwrap();
    let mi = all["synthesis"]["rows"].as_array().unwrap().iter().find(|r| r["province"] == "MI").unwrap();
    assert_eq!(mi["ads"]["F"], 1);
    let massage: Value = serde_json::from_str(&lanterna_ok(
        &db,
        &["report", "massage", "--from", "2022-10-01", "--to", "2024-02-29", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(massage["total"]["F"], 1, "{massage}");
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
