//! Issue 15, the province's emersion total and age: files imported (street, labour and
//! desk contacts with age bands and protection; an indoor log with calls that reached
//! protection holders, massage contacts and ads' declared ages) and reported back as JSON,
//! checked cell by cell; the total equals the sum of its rows and of the tables it is
//! made of; a malformed indoor log is refused whole.

use serde_json::Value;

use crate::common::{import_ok, import_refused, lanterna_ok, temp_db};

const CONTACTS: &str = "date,shift,activity,province,gender,nationality,age_band,protection
2024-03-01,night,street,BG,F,NG,18-24,yes
2024-03-01,night,street,BG,F,NG,minor,no
2024-03-01,night,street,BG,T,BR,25-34,unknown
2024-03-02,day,labour,BG,M,PK,35-49,yes
2024-03-02,day,labour,BS,M,IN,,yes
2024-03-03,day,desk,BG,F,NG,50+,no
";

const INDOOR: &str = "date,province,kind,gender,nationality,outcome,protection,declared_age
2024-03-05,BG,ad,F,CN,,,17
2024-03-05,BG,ad,F,CN,,,23
2024-03-05,BG,ad,T,BR,,,40
2024-03-05,BG,ad,F,RO,,,
2024-03-05,BG,call,F,CN,reached,yes,
2024-03-05,BG,call,F,CN,reached,,
2024-03-05,BG,call,T,BR,not_reached,,
2024-03-05,BG,meeting,F,CN,,yes,
2024-03-05,BG,massage,F,CN,,yes,
2024-03-05,BG,massage,F,CN,,no,
2024-03-05,BG,massage,M,CN,,,
";

fn report(db: &std::path::Path, args: &[&str]) -> Value {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--from", "2024-01-01", "--to", "2024-12-31", "--format", "json"]);
    serde_json::from_str(&lanterna_ok(db, &all)).expect("JSON")
}

/// The rows of a province's total: (source, M, F, T, total, protection).
fn rows(table: &Value) -> Vec<(String, u64, u64, u64, u64, u64)> {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_u64().unwrap();
            (r["source"].as_str().unwrap().to_owned(), n("M"), n("F"), n("T"), n("total"), n("protection"))
        })
        .collect()
}

#[test]
fn imported_contacts_and_indoor_logs_make_the_emersion_total_cell_by_cell() {
    let (dir, db) = temp_db();
    import_ok(&db, dir.path(), "contacts.csv", CONTACTS);
    import_ok(&db, dir.path(), "indoor.csv", INDOOR);
    let r = report(&db, &["emersion-total", "--count", "contacts"]);
    let bg = r["tables"].as_array().unwrap().iter().find(|t| t["province"] == "BG").unwrap();
    let s = |x: &str| x.to_owned();
    assert_eq!(
        rows(bg),
        [
            (s("street"), 0, 2, 1, 3, 1),
            (s("labour"), 1, 0, 0, 1, 1),
            (s("indoor_reached"), 0, 2, 0, 2, 1),
            (s("indoor_met"), 0, 1, 0, 1, 1),
            (s("massage"), 1, 2, 0, 3, 1),
            (s("desk"), 0, 1, 0, 1, 0),
            (s("sessions"), 0, 0, 0, 0, 0),
        ]
    );
    assert_eq!(
        (bg["total"]["M"].as_u64(), bg["total"]["F"].as_u64(), bg["total"]["T"].as_u64()),
        (Some(2), Some(8), Some(1))
    );
    assert_eq!(bg["total"]["total"], 11, "the sum of the rows");
    assert_eq!(bg["total"]["protection"], 5);
    let bs = r["tables"].as_array().unwrap().iter().find(|t| t["province"] == "BS").unwrap();
    assert_eq!(bs["total"]["total"], 1);
    assert_eq!(r["synthesis"]["total"]["total"], 12, "overall: both provinces");
    assert_eq!(r["synthesis"]["rows"][1]["total"], 2, "labour in BG and BS");
    assert_eq!(r["synthesis"]["total"]["protection"], 6);

    // Each row equals the table it comes from.
    let street = report(&db, &["street", "--count", "contacts", "--province", "BG"]);
    assert_eq!(street["grand_total"], bg["rows"][0]["total"]);
    assert_eq!(street["of_which"]["protection"], bg["rows"][0]["protection"]);
    let desk = report(&db, &["desk", "--count", "contacts", "--province", "BG"]);
    assert_eq!(desk["grand_total"], bg["rows"][5]["total"]);
    let indoor = report(&db, &["indoor", "--province", "BG"]);
    let reached = &indoor["total"]["contacts"];
    for g in ["M", "F", "T"] {
        assert_eq!(reached[g], bg["rows"][2][g], "{indoor}");
        assert_eq!(indoor["total"]["met"][g], bg["rows"][3][g]);
    }
    let massage = report(&db, &["massage", "--province", "BG"]);
    for g in ["M", "F", "T"] {
        assert_eq!(massage["total"][g], bg["rows"][4][g], "{massage}");
    }

    // One province asked for: its table alone.
    let only = report(&db, &["emersion-total", "--count", "contacts", "--province", "BS"]);
    assert_eq!(only["province"], "BS");
    assert_eq!(only["rows"][1]["M"], 1);
    // Text and CSV print the same table.
    let text = lanterna_ok(
        &db,
        &["report", "emersion-total", "--count", "contacts", "--from", "2024-01-01", "--to", "2024-12-31"],
    );
    assert!(text.contains("TOTALE EMERSIONE"), "{text}");
    assert!(text.contains("Il totale è la somma delle righe"), "{text}");
    let csv = lanterna_ok(
        &db,
        &[
            "report",
            "emersion-total",
            "--count",
            "contacts",
            "--format",
            "csv",
            "--from",
            "2024-01-01",
            "--to",
            "2024-12-31",
        ],
    );
    assert!(csv.starts_with("province,code,label,persons_M,persons_F,persons_T,persons_total,protection"), "{csv}");
    assert!(csv.contains("BG,massage,Centri massaggi,1,2,0,3,1"), "{csv}");
}

#[test]
fn counting_persons_the_outing_rows_count_the_registers_persons() {
    let (dir, db) = temp_db();
    import_ok(&db, dir.path(), "contacts.csv", CONTACTS);
    import_ok(&db, dir.path(), "indoor.csv", INDOOR);
    // A calendar year is a kept period: the persons of its cells.
    let r = report(&db, &["emersion-total", "--province", "BG"]);
    assert_eq!(r["count"], "persons");
    let street = report(&db, &["street", "--province", "BG"]);
    assert_eq!(r["rows"][0]["total"], street["grand_total"]);
    assert_eq!(r["rows"][0]["protection"], street["of_which"]["protection"]);
    assert_eq!(r["rows"][4]["total"], 3, "massage rows are head counts whatever the count");
    let sum: u64 = r["rows"].as_array().unwrap().iter().map(|x| x["total"].as_u64().unwrap()).sum();
    assert_eq!(r["total"]["total"], sum);
}

#[test]
fn a_malformed_indoor_log_is_refused_whole_naming_line_and_column() {
    let (dir, db) = temp_db();
    import_ok(&db, dir.path(), "indoor.csv", INDOOR);
    let before = report(&db, &["emersion-total", "--count", "contacts"]);
    let head = "date,province,kind,gender,nationality,outcome,protection,declared_age";
    for (body, at) in [
        ("2024-04-01,BG,call,F,CN,not_reached,yes,", "line 3, column 'protection'"),
        ("2024-04-01,BG,ad,F,CN,,,12", "line 3, column 'declared_age'"),
        ("2024-04-01,BG,ad,F,CN,,,old", "line 3, column 'declared_age'"),
        ("2024-04-01,BG,massage,F,CN,,maybe,", "line 3, column 'protection'"),
        ("2024-04-01,BG,call,F,CN,reached,,30", "line 3, column 'declared_age'"),
    ] {
        let csv = format!("{head}\n2024-04-01,BG,massage,F,CN,,yes,\n{body}\n");
        let err = import_refused(&db, dir.path(), "bad.csv", &csv);
        assert!(err.contains(at), "{body}: {err}");
    }
    assert_eq!(report(&db, &["emersion-total", "--count", "contacts"]), before, "nothing was imported");
}

#[test]
fn ads_declared_age_counts_minors_and_the_average() {
    let (dir, db) = temp_db();
    import_ok(&db, dir.path(), "indoor.csv", INDOOR);
    let r = report(&db, &["indoor", "--province", "BG"]);
    let age = &r["age"];
    assert_eq!(age["minors"]["F"], 1, "{r}");
    assert_eq!(age["known"]["F"], 2);
    assert_eq!(age["known"]["T"], 1);
    assert_eq!(age["average"]["F"], 20.0);
    assert_eq!(age["average"]["T"], 40.0);
    assert_eq!(age["unknown"]["F"], 1, "the Romanian ad declared no age");
}
