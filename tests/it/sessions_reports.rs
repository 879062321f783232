//! Informative sessions imported from a file of their own and printed by `lanterna report
//! sessions`, cell by cell; a file with one bad row imports nothing.

use serde_json::Value;

use crate::common::{import_ok, import_refused, lanterna_ok, temp_db};

const HEAD: &str = "date,activity,province,comune,place,themes,languages,participants_m,participants_f,\
                    participants_t,protection_m,protection_f,protection_t,operators";

const FILE: &str = "2025-03-04,session,BG,016024,cas,trafficking;rights,en;fr,12,3,0,10,1,0,2\n\
                    2025-04-10,session,BG,,cpia,trafficking;labour,it,5,6,1,0,2,0,1\n\
                    2025-05-02,session,MI,015146,minors_community,health,en,0,4,0,0,4,0,\n";

fn report(db: &std::path::Path, extra: &[&str]) -> Value {
    let mut args = vec!["report", "sessions", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json"];
    args.extend(extra);
    serde_json::from_str(&lanterna_ok(db, &args)).unwrap()
}

#[test]
fn an_imported_sessions_file_prints_cell_by_cell() {
    let (dir, db) = temp_db();
    let out = import_ok(&db, dir.path(), "sessions.csv", &format!("{HEAD}\n{FILE}"));
    assert!(out.contains("imported 3 informative sessions"), "{out}");
    let v = report(&db, &[]);
    let bg = &v["tables"][0];
    assert_eq!(bg["province"], "BG");
    assert_eq!(bg["sessions"], 2);
    assert_eq!(bg["places"]["cas"], 1);
    assert_eq!(bg["places"]["cpia"], 1);
    assert_eq!(bg["places"]["sai"], 0);
    assert_eq!(bg["participants"], serde_json::json!({"M": 17, "F": 9, "T": 1, "total": 27}));
    assert_eq!(bg["protection"], serde_json::json!({"M": 10, "F": 3, "T": 0, "total": 13}));
    assert_eq!(bg["themes"]["trafficking"], 2);
    assert_eq!(bg["themes"]["rights"], 1);
    assert_eq!(bg["themes"]["labour"], 1);
    assert_eq!(bg["themes"]["health"], 0);
    assert_eq!(bg["languages"]["en"], 1);
    assert_eq!(bg["languages"]["it"], 1);
    let mi = &v["tables"][1];
    assert_eq!((mi["province"].as_str(), mi["sessions"].as_u64()), (Some("MI"), Some(1)));
    assert_eq!(mi["participants"]["total"], 4);
    assert_eq!(mi["protection"]["F"], 4);
    let total = &v["synthesis"]["total"];
    assert_eq!(total["sessions"], 3);
    assert_eq!(total["participants"]["total"], 31);
    assert_eq!(total["protection"]["total"], 17);
    assert_eq!(total["languages"]["en"], 2);
    assert_eq!(v["synthesis"]["rows"].as_array().unwrap().len(), 2);

    // One province alone.
    let one = report(&db, &["--province", "MI"]);
    assert_eq!((one["province"].as_str(), one["sessions"].as_u64()), (Some("MI"), Some(1)));
    // Text and CSV come from the same grids.
    let text = lanterna_ok(&db, &["report", "sessions", "--from", "2025-01-01", "--to", "2025-12-31"]);
    assert!(text.contains("INCONTRI INFORMATIVI") && text.contains("Provincia di Bergamo (BG)"), "{text}");
    let csv =
        lanterna_ok(&db, &["report", "sessions", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "csv"]);
    assert!(csv.contains("BG,participants,Partecipanti,17,9,1,27"), "{csv}");
    // Participants are head counts, never contacts.
    let street: Value = serde_json::from_str(&lanterna_ok(
        &db,
        &["report", "street", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json", "--count", "contacts"],
    ))
    .unwrap();
    assert_eq!(street["synthesis"]["grand_total"].as_u64().unwrap_or(0), 0, "{street}");
}

#[test]
fn a_sessions_file_with_a_bad_row_imports_nothing() {
    let (dir, db) = temp_db();
    import_ok(&db, dir.path(), "first.csv", &format!("{HEAD}\n{FILE}"));
    let before = report(&db, &[]);
    let bad =
        format!("{HEAD}\n2025-06-01,session,BG,,sai,,,3,0,0,0,0,0,1\n2025-06-02,session,BG,,sai,,xx,3,0,0,0,0,0,1\n");
    let err = import_refused(&db, dir.path(), "bad.csv", &bad);
    assert!(err.contains("line 3") && err.contains("languages"), "{err}");
    let over = format!("{HEAD}\n2025-06-01,session,BG,,sai,,,3,0,0,4,0,0,1\n");
    let err = import_refused(&db, dir.path(), "over.csv", &over);
    assert!(err.contains("line 2") && err.contains("protection_m"), "{err}");
    assert_eq!(report(&db, &[]), before, "nothing of the refused files was imported");
    // The same file twice is refused too.
    let err = import_refused(&db, dir.path(), "again.csv", &format!("{HEAD}\n{FILE}"));
    assert!(err.contains("already imported"), "{err}");
    assert_eq!(report(&db, &[]), before);
}
