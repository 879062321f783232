//! The Brescia street table of a real final report (Oct 2022 – Feb 2024) counts persons
//! met in the period. It is turned into one CSV row per contact, each person (a `person`
//! code) met on 1 to 6 outings, imported, and reported back: the persons table must match
//! every cell and total, and `--count contacts` must count the rows.

use crate::common::{assert_table_is_fixture, import_ok, lanterna_ok, read_fixture, temp_db};
use chrono::{Duration, NaiveDate};
use lanterna::domain::Nationality;
use serde_json::Value;

#[test]
fn brescia_street_table_round_trips_exactly() {
    let (header, rows) = read_fixture("brescia-street-2022-10-01_2024-02-29.csv");
    assert_eq!(header, ["day_M", "day_F", "day_T", "night_M", "night_F", "night_T"]);
    let from = NaiveDate::from_ymd_opt(2022, 10, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let days = (to - from).num_days() + 1;

    // One row per contact: each person of a cell is met on 1 to 6 outings spread over the
    // whole period and over a few comuni of the province, the way years of tally sheets look.
    let comuni = ["017029", "017067", "", "017178"]; // Brescia, Desenzano, (province only), Rovato
    let mut csv = String::from("date,shift,activity,province,gender,nationality,comune,person\n");
    let mut contacts = vec![vec![0u64; header.len()]; rows.len()];
    let mut i: i64 = 0;
    for (r, (label, counts)) in rows.iter().enumerate() {
        let code = Nationality::from_name(label).unwrap_or_else(|e| panic!("{label}: {e}"));
        for (c, (col, n)) in header.iter().zip(counts).enumerate() {
            let (shift, gender) = col.split_once('_').unwrap();
            for _ in 0..*n {
                let outings = 1 + (i * 7 % 6);
                for j in 0..outings {
                    let date = from + Duration::days((i * 37 + j * 53) % days);
                    let comune = comuni[((i + j) % 4) as usize];
                    csv.push_str(&format!("{date},{shift},street,BS,{gender},{code},{comune},p{i}\n"));
                }
                contacts[r][c] += outings as u64;
                i += 1;
            }
        }
    }
    let contact_rows: Vec<(String, Vec<u64>)> =
        rows.iter().zip(&contacts).map(|((label, _), n)| (label.clone(), n.clone())).collect();
    // Contacts of another province and of labour outings must not leak into the table.
    csv.push_str("2023-05-05,night,street,MI,F,RO,,\n2023-05-05,day,labour,BS,M,RO,,\n");
    // Nor contacts outside the period.
    csv.push_str("2022-09-30,night,street,BS,F,RO,,\n2024-03-01,night,street,BS,F,RO,,\n");

    let (dir, db) = temp_db();
    import_ok(&db, dir.path(), "brescia.csv", &csv);
    let json = lanterna_ok(
        &db,
        &["report", "street", "--from", "2022-10-01", "--to", "2024-02-29", "--province", "BS", "--format", "json"],
    );
    let table: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(table["count"], "persons");
    assert_eq!(table["province"], "BS");
    assert_eq!(table["from"], "2022-10-01");
    assert_eq!(table["to"], "2024-02-29");

    let sums = assert_table_is_fixture(&table, &header, &rows, |_, _| {});
    let day: u64 = sums[..3].iter().sum();
    let night: u64 = sums[3..].iter().sum();
    assert_eq!(table["shift_totals"]["day"], day);
    assert_eq!(table["shift_totals"]["night"], night);
    assert_eq!(table["grand_total"], day + night);
    // The printed order: Italian names, "Non rilevato" last.
    let labels: Vec<&str> = table["rows"].as_array().unwrap().iter().map(|r| r["label"].as_str().unwrap()).collect();
    assert_eq!(labels.last(), Some(&"Non rilevato"));
    let mut sorted = labels[..labels.len() - 1].to_vec();
    sorted.sort_by_key(|l| lanterna::domain::text::fold(l));
    assert_eq!(&labels[..labels.len() - 1], sorted.as_slice());

    // The synthesis over all provinces sees the Milano contact too.
    let all: Value = serde_json::from_str(&lanterna_ok(
        &db,
        &["report", "street", "--from", "2022-10-01", "--to", "2024-02-29", "--format", "json"],
    ))
    .unwrap();
    let synth = &all["synthesis"];
    assert_eq!(synth["grand_total"], day + night + 1);
    let bs = synth["rows"].as_array().unwrap().iter().find(|r| r["province"] == "BS").unwrap();
    assert_eq!(bs["day"], day);
    assert_eq!(bs["night"], night);
    assert_eq!(bs["total"], day + night);

    // The text rendering carries the same grand total and says it counts persons.
    let text =
        lanterna_ok(&db, &["report", "street", "--from", "2022-10-01", "--to", "2024-02-29", "--province", "BS"]);
    assert!(text.contains(&format!("totale generale {}", day + night)), "{text}");
    assert!(text.starts_with("PERSONE INCONTRATE IN STRADA"), "{text}");

    // Counting contacts gives the rows: every outing a person was met on.
    let json = lanterna_ok(
        &db,
        &[
            "report",
            "street",
            "--from",
            "2022-10-01",
            "--to",
            "2024-02-29",
            "--province",
            "BS",
            "--count",
            "contacts",
            "--format",
            "json",
        ],
    );
    let table: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(table["count"], "contacts");
    let sums = assert_table_is_fixture(&table, &header, &contact_rows, |_, _| {});
    assert_eq!(table["grand_total"], sums.iter().sum::<u64>());
    assert!(sums.iter().sum::<u64>() > day + night, "persons were met more than once");
    let text = lanterna_ok(
        &db,
        &["report", "street", "--from", "2022-10-01", "--to", "2024-02-29", "--province", "BS", "--count", "contacts"],
    );
    assert!(text.starts_with("CONTATTI IN STRADA"), "{text}");
}
