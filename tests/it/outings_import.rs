//! Issue 15, outings in the import: an outings file gives historical outings their team,
//! hours, mapping flag and presences, and adds the empty ones; in either order with the
//! contacts file, one outing stays one outing; the outings table, the presences table and
//! the outings line under the street and labour tables show them; a malformed file
//! imports nothing.

use serde_json::Value;

use crate::common::{import_ok, import_refused, lanterna_ok, temp_db};

/// Two contacts of a labour day outing in Bergamo, one of a street night outing in Brescia.
const CONTACTS: &str = "\
date,shift,activity,province,comune,gender,nationality
2026-03-05,day,labour,BG,016024,M,IN
2026-03-05,day,labour,BG,016024,F,RO
2026-03-06,night,street,BS,017029,F,NG
";

/// The same outings' team, hours and presences, a second stop of the labour outing, and
/// an empty street night across midnight (no one was on the road).
const OUTINGS: &str = "\
date,shift,activity,province,comune,started,ended,operators,mediator,mediator_language,legal_operator,mapping,presences_m,presences_f,presences_t
2026-03-05,day,labour,BG,016024,09:00,12:00,3,yes,ro,yes,no,2,0,0
2026-03-05,day,labour,BG,016011,09:00,12:00,3,yes,ro,yes,no,1,1,0
2026-03-06,night,street,BS,017029,21:00,00:30,2,no,,no,yes,0,3,1
2026-03-12,night,street,BS,,22:00,01:00,2,no,,no,no,,,
";

fn report(db: &std::path::Path, table: &str) -> Value {
    let json = lanterna_ok(db, &["report", table, "--from", "2026-03-01", "--to", "2026-03-31", "--format", "json"]);
    serde_json::from_str(&json).unwrap()
}

/// The row of `activity` × `shift` in the province table of `province`.
fn row<'a>(v: &'a Value, province: &str, activity: &str, shift: &str) -> &'a Value {
    let table = v["tables"].as_array().unwrap().iter().find(|t| t["province"] == province).expect(province);
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["activity"] == activity && r["shift"] == shift)
        .unwrap_or_else(|| panic!("{activity} {shift} in {province}: {table}"))
}

fn check_tables(db: &std::path::Path) {
    let outings = report(db, "outings");
    let labour = row(&outings, "BG", "labour", "day");
    assert_eq!(labour["outings"], 1, "the contacts' outing and the file's are one: {labour}");
    assert_eq!(labour["empty"], 0);
    assert_eq!(labour["minutes"], 180);
    assert_eq!(labour["operator_minutes"], 540, "three operators for three hours");
    assert_eq!((labour["mediator"].as_u64(), labour["legal_operator"].as_u64()), (Some(1), Some(1)));
    let street = row(&outings, "BS", "street", "night");
    assert_eq!(street["outings"], 2);
    assert_eq!(street["empty"], 1, "the night with no one on the road is counted");
    assert_eq!(street["minutes"], 210 + 180, "both nights end after midnight");
    assert_eq!(street["operator_minutes"], 2 * (210 + 180));
    assert_eq!(outings["synthesis"]["total"]["outings"], 3);

    // The line under each contacts table: the province's outings of that activity.
    let street = report(db, "street");
    let bs = street["tables"].as_array().unwrap().iter().find(|t| t["province"] == "BS").unwrap();
    assert_eq!(bs["outings"], serde_json::json!({ "outings": 2, "empty": 1, "minutes": 390 }));
    let text = lanterna_ok(db, &["report", "street", "--from", "2026-03-01", "--to", "2026-03-31"]);
    assert!(text.contains("Uscite: 2 · di cui senza contatti 1 · ore 6.5"), "{text}");
    let labour = report(db, "labour");
    assert_eq!(labour["tables"][0]["outings"], serde_json::json!({ "outings": 1, "empty": 0, "minutes": 180 }));

    let presences = report(db, "presences");
    let labour = row(&presences, "BG", "labour", "day");
    assert_eq!(labour["presences"]["M"], 3, "two at one stop, one at the other");
    assert_eq!(labour["presences"]["F"], 1);
    assert_eq!((labour["contacts"]["M"].as_u64(), labour["contacts"]["F"].as_u64()), (Some(1), Some(1)));
    let street = row(&presences, "BS", "street", "night");
    assert_eq!((street["presences"]["F"].as_u64(), street["presences"]["T"].as_u64()), (Some(3), Some(1)));
    assert_eq!(street["contacts"]["F"], 1);
}

#[test]
fn an_outings_file_after_the_contacts_fills_their_outings_and_adds_the_empty_ones() {
    let (dir, db) = temp_db();
    import_ok(&db, dir.path(), "contacts.csv", CONTACTS);
    let said = import_ok(&db, dir.path(), "outings.csv", OUTINGS);
    // New: the empty night and its stop; the labour outing's second comune is a stop too.
    assert!(said.contains("1 new") && said.contains("2 filled in") && said.contains("2 stops added"), "{said}");
    check_tables(&db);
    // The mapping flag reached the street outing: its night is in the mapping table.
    let mapping = report(&db, "mapping");
    assert!(mapping.to_string().contains("017029"), "{mapping}");
}

#[test]
fn an_outings_file_before_the_contacts_gives_the_same_tables() {
    let (dir, db) = temp_db();
    import_ok(&db, dir.path(), "outings.csv", OUTINGS);
    let before = report(&db, "outings");
    assert_eq!(before["synthesis"]["total"]["empty"], 3, "no contacts yet: {before}");
    import_ok(&db, dir.path(), "contacts.csv", CONTACTS);
    check_tables(&db);
}

#[test]
fn a_malformed_outings_file_is_refused_whole() {
    let (dir, db) = temp_db();
    import_ok(&db, dir.path(), "contacts.csv", CONTACTS);
    let before = (report(&db, "outings"), report(&db, "presences"));
    let bad = "\
date,shift,activity,province,comune,started,ended,operators,presences_m
2026-03-05,day,labour,BG,016024,09:00,12:00,3,2
2026-03-07,day,indoor,BG,,09:00,12:00,3,0
2026-03-08,day,street,BG,,09:00,,2,0
2026-03-09,day,street,BG,,09:00,11:00,2,many
";
    let err = import_refused(&db, dir.path(), "bad.csv", bad);
    for (line, column) in [(3, "activity"), (4, "ended"), (5, "presences_m")] {
        assert!(err.contains(&format!("line {line}, column '{column}'")), "line {line} {column}: {err}");
    }
    // Every row valid, but two rows of one outing disagree on its hours.
    let disagree = "\
date,shift,activity,province,comune,started,ended,operators,presences_m
2026-03-05,day,labour,BG,016024,09:00,12:00,3,2
2026-03-05,day,labour,BG,016011,09:00,12:30,3,1
";
    let err = import_refused(&db, dir.path(), "disagree.csv", disagree);
    assert!(err.contains("line 3, column 'started'") && err.contains("line 2"), "{err}");
    assert_eq!((report(&db, "outings"), report(&db, "presences")), before, "nothing of the refused file was stored");
    // The same good file twice: the second time is refused, and changes nothing.
    import_ok(&db, dir.path(), "outings.csv", OUTINGS);
    let once = report(&db, "outings");
    import_refused(&db, dir.path(), "again.csv", OUTINGS);
    assert_eq!(report(&db, "outings"), once);
}
