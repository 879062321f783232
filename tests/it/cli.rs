//! The command line: bad input gets a clear error that says what and where, changes
//! nothing, and exits non-zero.

use std::fs;
use std::process::Command;

use crate::common::{KEY, import, import_ok, import_refused, lanterna, lanterna_ok, temp_db};

const HEAD: &str = "date,shift,activity,province,gender,nationality";

/// One street contact: a file that imports.
fn good_csv() -> String {
    format!("{HEAD}\n2023-03-01,night,street,BS,F,RO\n")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_malformed_file_imports_nothing_and_names_line_and_column() {
    let (dir, db) = temp_db();
    import_ok(&db, dir.path(), "good.csv", &good_csv());
    let before = fs::read(&db).unwrap();

    let cases = [
        (
            format!("{HEAD}\n2023-03-01,night,street,BS,F,RO\n2023-03-02,night,street,BS,X,RO\n"),
            "line 3, column 'gender'",
        ),
        (format!("{HEAD}\n2023-13-01,night,street,BS,F,RO\n"), "line 2, column 'date'"),
        (format!("{HEAD}\n2023-03-01,night,street,ZQ,F,RO\n"), "line 2, column 'province'"),
        (format!("{HEAD}\n2023-03-01,night,street,BS,F,QQ\n"), "line 2, column 'nationality'"),
        (format!("{HEAD},name\n2023-03-01,night,street,BS,F,RO,Maria\n"), "line 1, column 'name': unknown column"),
        (format!("{HEAD}\n2023-03-01,night,indoor,BS,F,RO\n"), "line 2, column 'activity'"),
    ];
    for (csv, expect) in cases {
        let err = import_refused(&db, dir.path(), "bad.csv", &csv);
        assert!(err.contains(expect) && err.contains("bad.csv") && err.contains("nothing was imported"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(fs::read(&db).unwrap(), before, "failed imports leave the database as it was");
    // The same good file twice is refused too.
    let out = import(&db, dir.path(), "good.csv", &good_csv());
    assert!(!out.status.success());
    assert!(stderr(&out).contains("already imported"), "{}", stderr(&out));
    let list = lanterna_ok(&db, &["outings", "list"]);
    assert_eq!(list.lines().count(), 2, "{list}");
}

#[test]
fn a_failed_first_import_creates_no_database() {
    let (dir, db) = temp_db();
    assert!(
        !import(&db, dir.path(), "bad.csv", &format!("{HEAD}\n2023-03-01,night,street,BS,F,RQ\n")).status.success()
    );
    assert!(!db.exists());
    let out = lanterna(&db, &["import", dir.path().join("missing.csv").to_str().unwrap()]);
    assert!(stderr(&out).contains("cannot read") && stderr(&out).contains("missing.csv"), "{}", stderr(&out));
}

#[test]
fn bad_arguments_say_what_is_wrong() {
    let (dir, db) = temp_db();
    import_ok(&db, dir.path(), "good.csv", &good_csv());
    let cases: [(&[&str], &str); 7] = [
        (&["report", "street", "--province", "XY"], "unknown province 'XY'"),
        (&["report", "street", "--from", "2023-02-30"], "2023-02-30"),
        (&["report", "street", "--from", "2024-01-02", "--to", "2024-01-01"], "after"),
        (&["report", "street", "--format", "xml"], "xml"),
        (&["report", "brothels"], "brothels"),
        (&["report", "services", "--activity", "brothels"], "unknown activity"),
        (&["report", "street", "--order", "size"], "unknown row order 'size'"),
    ];
    for (args, expect) in cases {
        let out = lanterna(&db, args);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr(&out).contains(expect), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"));
    }
}

#[test]
fn reports_need_an_existing_database_and_its_key() {
    let (dir, db) = temp_db();
    let out = lanterna(&db, &["report", "street"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no Lanterna database"), "{}", stderr(&out));
    assert!(!db.exists(), "a report never creates a database");

    import_ok(&db, dir.path(), "good.csv", &good_csv());
    let no_key = Command::new(env!("CARGO_BIN_EXE_lanterna"))
        .args(["--db", db.to_str().unwrap(), "report", "street"])
        .env_remove("LANTERNA_KEY")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!no_key.status.success());
    assert!(stderr(&no_key).contains("LANTERNA_KEY"), "{}", stderr(&no_key));
    let wrong = Command::new(env!("CARGO_BIN_EXE_lanterna"))
        .args(["--db", db.to_str().unwrap(), "report", "street"])
        .env("LANTERNA_KEY", format!("{KEY}0"))
        .output()
        .unwrap();
    assert!(stderr(&wrong).contains("wrong PIN"), "{}", stderr(&wrong));
    assert!(stderr(&wrong).lines().count() == 1, "one clear line, no library noise: {}", stderr(&wrong));
}

#[test]
fn every_report_renders_in_every_format() {
    let (dir, db) = temp_db();
    let csv = format!(
        "{HEAD},comune,condoms,leaflets,leaflet_language,referral,accompaniment,listening\n\
         2023-03-01,night,street,BS,F,RO,017029,3,2,ro,health,legal:2,yes\n\
         2023-03-01,day,labour,MI,M,PK,,,,,work,,no\n"
    );
    import_ok(&db, dir.path(), "all.csv", &csv);
    for kind in ["street", "labour", "services", "items"] {
        for format in ["text", "csv", "json"] {
            let out = lanterna_ok(&db, &["report", kind, "--format", format]);
            assert!(!out.trim().is_empty(), "{kind} {format}");
            if format == "json" {
                serde_json::from_str::<serde_json::Value>(&out).unwrap();
            }
        }
    }
    let items: serde_json::Value =
        serde_json::from_str(&lanterna_ok(&db, &["report", "items", "--province", "BS", "--format", "json"])).unwrap();
    assert_eq!(items["rows"][0]["item"], "condoms");
    assert_eq!(items["rows"][0]["night"], 3);
    assert_eq!(items["leaflets"][0]["language"], "ro");
    let services: serde_json::Value =
        serde_json::from_str(&lanterna_ok(&db, &["report", "services", "--format", "json"])).unwrap();
    let total = &services["synthesis"]["total"];
    assert_eq!((total["referred_persons"].as_u64(), total["accompanied_persons"].as_u64()), (Some(2), Some(1)));
    assert_eq!(total["accompaniments"]["legal"]["F"], 2, "two accompaniments of one person");
    assert_eq!(total["accompaniments_total"], 3, "and a listening talk");
    let csv = lanterna_ok(&db, &["report", "services", "--format", "csv"]);
    let blocks: Vec<&str> = csv.split("\n\n").collect();
    assert_eq!(blocks.len(), 3, "accompaniments, referrals, sub-types: {csv}");
    assert!(blocks[0].starts_with("province,code,label,accompaniment_legal_M"), "{csv}");
    assert!(blocks[0].contains("BS,RO,Romania,0,2,0,2,"), "{csv}");
    assert!(blocks[1].starts_with("province,code,label,referral_legal_M"), "{csv}");
    let labour: serde_json::Value =
        serde_json::from_str(&lanterna_ok(&db, &["report", "labour", "--province", "MI", "--format", "json"])).unwrap();
    assert_eq!(labour["rows"][0]["contacts"]["M"], 1);
    assert_eq!(labour["total"]["contacts"]["M"], 1);
    let english = lanterna_ok(&db, &["report", "street", "--lang", "en"]);
    assert!(english.contains("NIGHT OUTINGS"), "{english}");
}

#[test]
fn order_total_prints_the_largest_rows_first_and_the_unknown_last() {
    let (dir, db) = temp_db();
    let rows: String = [("RO", 1), ("Rep. Dominicana", 3), ("Est Europa", 2), ("ZZ", 4)]
        .iter()
        .flat_map(|(nat, n)| std::iter::repeat_n(format!("2023-03-01,night,street,BS,F,{nat}\n"), *n))
        .collect();
    import_ok(&db, dir.path(), "mixed.csv", &format!("{HEAD}\n{rows}"));
    let codes = |args: &[&str]| -> Vec<String> {
        let json: serde_json::Value = serde_json::from_str(&lanterna_ok(&db, args)).unwrap();
        json["rows"].as_array().unwrap().iter().map(|r| r["nationality"].as_str().unwrap().to_owned()).collect()
    };
    let base = ["report", "street", "--province", "BS", "--format", "json"];
    assert_eq!(codes(&base), ["XE", "DO", "RO", "ZZ"], "Est Europa, Repubblica Dominicana, Romania");
    assert_eq!(codes(&[&base[..], &["--order", "name"]].concat()), ["XE", "DO", "RO", "ZZ"]);
    assert_eq!(codes(&[&base[..], &["--order", "total"]].concat()), ["DO", "XE", "RO", "ZZ"]);
}
