//! National mapping nights: the dates (the unit's and the server's), a street outing
//! started on one flagged by itself, the flag's counts in the outing's summary, and
//! `lanterna report mapping` after an import, cell by cell; a malformed file imports
//! nothing.

use chrono::{TimeZone, Utc};
use lanterna::domain::outreach::MappingCount;
use lanterna::domain::{Activity, Comune, ContactData, Gender, Measure, Nationality, Place};
use lanterna::store::{NewOuting, Store};
use serde_json::{Value, json};

use crate::common::{day, import_ok, import_refused, lanterna_ok, night_street, temp_db};

fn started(date: &str) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day(date).and_hms_opt(20, 0, 0).unwrap())
}

#[test]
fn a_street_outing_on_a_mapping_night_is_flagged_and_counts_by_comune() {
    let mut store = Store::open_in_memory().unwrap();
    let mut settings = store.settings().unwrap();
    settings.mapping_nights = vec![day("2023-06-07")];
    store.save_settings(&settings).unwrap();
    store.set_published_mapping_nights(&[day("2023-10-18"), day("2023-06-07")]).unwrap();
    assert_eq!(store.mapping_nights().unwrap(), [day("2023-06-07"), day("2023-10-18")], "merged, once each");

    let on_night = store.start_outing(&night_street(started("2023-06-07"))).unwrap();
    assert!(on_night.mapping, "a street outing on a mapping night is part of it");
    let published = store.start_outing(&night_street(started("2023-10-18"))).unwrap();
    assert!(published.mapping, "the server's nights count too");
    let other = store.start_outing(&night_street(started("2023-06-08"))).unwrap();
    assert!(!other.mapping);
    let labour = NewOuting { activity: Activity::Labour, ..night_street(started("2023-06-07")) };
    assert!(!store.start_outing(&labour).unwrap().mapping, "only street outings");

    let brescia = Comune::parse("017029").unwrap();
    let at_comune = store.add_stop(on_night.id, Place::comune(brescia), None).unwrap();
    let no_comune = store.add_stop(on_night.id, Place::province(brescia.province()), None).unwrap();
    let ng = ContactData::new(Gender::F, Nationality::parse("NG").unwrap());
    store.record_contacts(at_comune.id, &ng, 2).unwrap();
    store.record_contact(no_comune.id, &ng).unwrap();
    let t = store.outing_tally(on_night.id).unwrap();
    let count = |c: MappingCount| -> u64 {
        t.iter().filter(|(_, k, _)| k.measure == Measure::Mapping(c, brescia)).map(|(_, _, n)| n).sum()
    };
    assert_eq!(
        (count(MappingCount::Seen), count(MappingCount::Contacted)),
        (2, 2),
        "the stop without comune is left out"
    );

    // The toggle: unset, nothing counts; the outing is sent again.
    let off = store.set_outing_mapping(on_night.id, false).unwrap();
    assert!(!off.mapping);
    let t = store.outing_tally(on_night.id).unwrap();
    assert!(t.iter().all(|(_, k, _)| !matches!(k.measure, Measure::Mapping(..))));
    assert!(store.set_outing_mapping(other.id, true).unwrap().mapping);
}

fn report(db: &std::path::Path, args: &[&str]) -> Value {
    let mut all = vec!["report", "mapping", "--format", "json"];
    all.extend(args);
    serde_json::from_str(&lanterna_ok(db, &all)).unwrap()
}

const NIGHTS: &str = "\
date,shift,activity,province,comune,gender,nationality,mapping
2023-06-07,night,street,BS,017029,F,NG,1
2023-06-07,night,street,BS,017029,F,NG,1
2023-06-07,night,street,BS,017029,T,BR,1
2023-06-07,night,street,BS,,F,RO,1
2023-06-07,night,street,MI,015146,F,AL,1
2023-06-08,night,street,BS,017029,F,NG,0
2023-06-08,night,street,BS,017029,F,NG,
";

#[test]
fn an_imported_file_gives_the_mapping_table_cell_by_cell() {
    let (dir, db) = temp_db();
    import_ok(&db, dir.path(), "nights.csv", NIGHTS);
    let v = report(&db, &["--from", "2023-06-07", "--to", "2023-06-08"]);
    let bs = &v["tables"][0];
    assert_eq!(bs["province"], "BS");
    let rows = bs["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{bs}");
    assert_eq!((rows[0]["comune"].as_str(), rows[0]["nationality"].as_str()), (Some("017029"), Some("BR")));
    assert_eq!(rows[0]["comune_name"], "Brescia");
    assert_eq!(rows[0]["seen"], json!({"M": 0, "F": 0, "T": 1}));
    assert_eq!(rows[0]["contacted"], json!({"M": 0, "F": 0, "T": 1}));
    assert_eq!(rows[1]["nationality"], "NG");
    assert_eq!(rows[1]["seen"], json!({"M": 0, "F": 2, "T": 0}), "not the night after");
    assert_eq!(bs["total"]["contacted"], json!({"M": 0, "F": 2, "T": 1}), "the row without comune is left out");
    let mi = &v["tables"][1];
    assert_eq!(mi["rows"][0]["comune_name"], "Milano");
    assert_eq!(v["synthesis"]["total"]["seen"], json!({"M": 0, "F": 3, "T": 1}));
    assert_eq!(v["synthesis"]["rows"][0]["province"], "BS");

    let text = lanterna_ok(&db, &["report", "mapping", "--from", "2023-06-07", "--to", "2023-06-08"]);
    assert!(text.contains("MAPPATURA NAZIONALE"), "{text}");
    assert!(text.contains("Le soste senza comune non sono contate"), "{text}");
    let csv = lanterna_ok(&db, &["report", "mapping", "--format", "csv", "--from", "2023-06-07"]);
    assert!(csv.starts_with("province,code,label,seen_M,seen_F,seen_T,contacted_M,contacted_F,contacted_T"), "{csv}");
    assert!(csv.contains("BS,017029.NG,Brescia — Nigeria,0,2,0,0,2,0"), "{csv}");
}

#[test]
fn a_malformed_mapping_file_is_refused_whole() {
    let (dir, db) = temp_db();
    import_ok(&db, dir.path(), "nights.csv", NIGHTS);
    let before = lanterna_ok(&db, &["report", "mapping", "--format", "json", "--from", "2023-06-07"]);
    let disagree = "\
date,shift,activity,province,comune,gender,nationality,mapping
2023-10-18,night,street,BS,017029,F,NG,1
2023-10-18,night,street,BS,017029,F,NG,0
";
    let err = import_refused(&db, dir.path(), "disagree.csv", disagree);
    assert!(err.contains("line 3, column 'mapping'"), "{err}");
    let labour = "\
date,shift,activity,province,gender,nationality,mapping
2023-10-18,day,labour,BS,M,PK,1
2023-10-18,night,street,BS,F,NG,maybe
";
    let err = import_refused(&db, dir.path(), "labour.csv", labour);
    assert!(err.contains("line 2, column 'mapping'") && err.contains("street"), "{err}");
    assert!(err.contains("line 3, column 'mapping'"), "{err}");
    let after = lanterna_ok(&db, &["report", "mapping", "--format", "json", "--from", "2023-06-07"]);
    assert_eq!(before, after, "nothing of the refused files was stored");
}
