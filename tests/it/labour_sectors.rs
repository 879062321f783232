//! Labour outreach by sector and setting: the store's edits (one transaction each, the
//! outing sent again), the counts in the outing's summary, and `lanterna report
//! labour-sectors` after an import, cell by cell; a malformed file imports nothing.

use chrono::Utc;
use lanterna::domain::outreach::{LabourSector, LabourSetting};
use lanterna::domain::{Activity, ContactData, Gender, Measure, Nationality};
use lanterna::store::{Store, StoreError};
use lanterna::wire::{Ack, AckStatus};
use serde_json::{Value, json};

use crate::common::{day_outing_in_bergamo, import_ok, import_refused, lanterna_ok, temp_db};

fn contact(g: Gender, nat: &str) -> ContactData {
    ContactData::new(g, Nationality::parse(nat).unwrap())
}

/// The measure's count in a tally, over every cell.
fn count(tally: &lanterna::domain::Tally, measure: Measure) -> u64 {
    tally.iter().filter(|(_, c, _)| c.measure == measure).map(|(_, _, n)| n).sum()
}

#[test]
fn a_stops_sector_is_its_contacts_default_and_a_contacts_own_wins() {
    let mut store = Store::open_in_memory().unwrap();
    let (outing, stop) = day_outing_in_bergamo(&mut store, Activity::Labour, "2024-03-01");
    let a = store.record_contact(stop, &contact(Gender::M, "PK")).unwrap();
    store.record_contact(stop, &contact(Gender::M, "IN")).unwrap();
    store.set_stop_sector(stop, Some(LabourSector::Agriculture)).unwrap();
    store.set_stop_setting(stop, Some(LabourSetting::Farms)).unwrap();
    let s = store.set_joint_inspection(stop, true).unwrap();
    assert_eq!(
        (s.sector, s.setting, s.joint_inspection),
        (Some(LabourSector::Agriculture), Some(LabourSetting::Farms), true)
    );
    store.set_contact_sector(a.id, Some(LabourSector::Riders)).unwrap();
    assert_eq!(store.contact_labour(a.id).unwrap().sector, Some(LabourSector::Riders));

    let t = store.outing_tally(outing).unwrap();
    assert_eq!(count(&t, Measure::Sector(LabourSector::Agriculture)), 1);
    assert_eq!(count(&t, Measure::Sector(LabourSector::Riders)), 1);
    assert_eq!(count(&t, Measure::Setting(LabourSetting::Farms)), 2, "the stop's setting for both");
    assert_eq!(count(&t, Measure::JointInspection), 2);

    // Tap again to clear: the contact falls back on the stop's sector.
    store.set_contact_sector(a.id, None).unwrap();
    let t = store.outing_tally(outing).unwrap();
    assert_eq!(count(&t, Measure::Sector(LabourSector::Agriculture)), 2);
    assert_eq!(count(&t, Measure::Sector(LabourSector::Riders)), 0);
}

#[test]
fn sectors_belong_to_labour_outings_and_an_edit_sends_the_outing_again() {
    let mut store = Store::open_in_memory().unwrap();
    let (street, street_stop) = day_outing_in_bergamo(&mut store, Activity::Street, "2024-03-01");
    assert!(store.set_stop_sector(street_stop, Some(LabourSector::Agriculture)).is_err());
    assert_eq!(store.stop_labour(street_stop).unwrap().sector, None, "nothing written");
    store.delete_outing(street).unwrap();

    let (outing, stop) = day_outing_in_bergamo(&mut store, Activity::Labour, "2024-03-01");
    let c = store.record_contact(stop, &contact(Gender::F, "NG")).unwrap();
    store.close_outing(outing, Utc::now()).unwrap();
    assert!(matches!(store.set_stop_sector(stop, Some(LabourSector::Logistics)), Err(StoreError::Closed { .. })));
    let sent = store.pending_summaries(10).unwrap();
    let acks: Vec<Ack> = sent.iter().map(|x| Ack::new(x.id, x.revision, AckStatus::Stored)).collect();
    store.mark_synced(&acks).unwrap();
    assert_eq!(store.pending_count().unwrap(), 0);

    store.reopen_outing(outing).unwrap();
    store.set_contact_setting(c.id, Some(LabourSetting::Markets)).unwrap();
    store.close_outing(outing, Utc::now()).unwrap();
    let again = store.pending_summaries(10).unwrap();
    assert_eq!(again.iter().map(|x| (x.id, x.revision)).collect::<Vec<_>>(), [(outing, 2)]);
    let cells: Vec<String> = again[0].cells.iter().map(|c| c.measure.code()).collect();
    assert!(cells.contains(&"setting.markets".to_owned()), "{cells:?}");
}

fn report(db: &std::path::Path, args: &[&str]) -> Value {
    let mut all = vec!["report", "labour-sectors", "--format", "json"];
    all.extend(args);
    serde_json::from_str(&lanterna_ok(db, &all)).unwrap()
}

fn mft(m: u64, f: u64, t: u64) -> Value {
    json!({"M": m, "F": f, "T": t})
}

const LABOUR: &str = "\
date,shift,activity,province,comune,gender,nationality,person,sector,setting,joint_inspection
2024-03-01,day,labour,BS,017029,M,PK,P1,agriculture,farms,1
2024-03-01,day,labour,BS,017029,M,PK,P2,agriculture,farms,1
2024-03-02,day,labour,BS,017029,M,PK,P1,riders,markets,0
2024-03-02,day,labour,BS,017029,F,NG,,domestic_care,,0
2024-03-02,day,labour,BS,017029,F,RO,,,,
2024-03-02,day,street,BS,017029,F,RO,,,,
";

#[test]
fn an_imported_file_gives_the_labour_sectors_table_cell_by_cell() {
    let (dir, db) = temp_db();
    import_ok(&db, dir.path(), "labour.csv", LABOUR);
    let v = report(&db, &["--from", "2024-03-01", "--to", "2024-03-31", "--province", "BS"]);
    assert_eq!(v["province"], "BS");
    let sector = |code: &str| v["sectors"].as_array().unwrap().iter().find(|r| r["sector"] == code).unwrap().clone();
    assert_eq!(v["sectors"].as_array().unwrap().len(), LabourSector::ALL.len(), "every sector listed");
    assert_eq!(sector("agriculture")["persons"], mft(2, 0, 0));
    assert_eq!(sector("agriculture")["contacts"], mft(2, 0, 0));
    assert_eq!(sector("riders")["persons"], mft(1, 0, 0), "P1 counts in both sectors");
    assert_eq!(sector("riders")["contacts"], mft(1, 0, 0));
    assert_eq!(sector("domestic_care")["persons"], mft(0, 1, 0));
    assert_eq!(sector("construction")["contacts"], mft(0, 0, 0));
    let setting = |code: &str| v["settings"].as_array().unwrap().iter().find(|r| r["setting"] == code).unwrap().clone();
    assert_eq!(setting("farms")["contacts"], mft(2, 0, 0));
    assert_eq!(setting("markets")["contacts"], mft(1, 0, 0));
    assert_eq!(setting("worship")["contacts"], mft(0, 0, 0));
    assert_eq!(v["joint_inspection"], mft(2, 0, 0));
    assert_eq!(v["total"]["persons"], mft(2, 2, 0), "distinct persons, not the sum of the sectors (3 M)");
    assert_eq!(v["total"]["contacts"], mft(3, 2, 0), "labour contacts with or without a sector; street apart");

    // Counting contacts: the same contacts, no persons' columns in the grids.
    let text = lanterna_ok(&db, &["report", "labour-sectors", "--count", "contacts", "--from", "2024-03-01"]);
    assert!(text.contains("LAVORO PER SETTORE"), "{text}");
    assert!(text.contains("Ispezioni congiunte"), "{text}");
    assert!(!text.contains("PERSONE"), "{text}");
    let csv = lanterna_ok(&db, &["report", "labour-sectors", "--format", "csv", "--from", "2024-03-01"]);
    assert!(csv.contains("BS,agriculture,Agricoltura,2,0,0,2,0,0"), "{csv}");
    assert!(csv.contains("BS,farms,Aziende agricole,2,0,0"), "{csv}");
}

#[test]
fn a_malformed_labour_file_is_refused_whole() {
    let (dir, db) = temp_db();
    import_ok(&db, dir.path(), "labour.csv", LABOUR);
    let before = lanterna_ok(&db, &["report", "labour-sectors", "--format", "json", "--from", "2024-03-01"]);
    let bad = "\
date,shift,activity,province,comune,gender,nationality,sector,setting,joint_inspection
2024-04-01,day,labour,BS,017029,M,PK,agriculture,farms,1
2024-04-01,day,street,BS,017029,F,RO,agriculture,,0
2024-04-01,day,labour,BS,017029,M,PK,fishing,,1
2024-04-01,day,labour,BS,017029,M,IN,,,0
";
    let err = import_refused(&db, dir.path(), "bad.csv", bad);
    assert!(err.contains("line 3") && err.contains("sector"), "{err}");
    assert!(err.contains("line 4") && err.contains("fishing"), "{err}");
    let bad_joint = "\
date,shift,activity,province,comune,gender,nationality,sector,joint_inspection
2024-04-01,day,labour,BS,017029,M,PK,agriculture,1
2024-04-01,day,labour,BS,017029,M,IN,agriculture,0
";
    let err = import_refused(&db, dir.path(), "bad_joint.csv", bad_joint);
    assert!(err.contains("line 3") && err.contains("joint_inspection"), "{err}");
    let after = lanterna_ok(&db, &["report", "labour-sectors", "--format", "json", "--from", "2024-03-01"]);
    assert_eq!(before, after, "nothing of the refused files was stored");
}
