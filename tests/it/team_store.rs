//! Issue 15, team part: the team remembered from the last outing, presences at a stop and
//! their tally, the outings table over the outings' facts, and the diary that never
//! leaves the phone.

use chrono::{Duration, TimeZone, Utc};
use lanterna::domain::outreach::{NOTE_MAX, Team};
use lanterna::domain::{Activity, ContactData, Gender, Language, Measure, Nationality, Period, Shift};
use lanterna::store::{NewOuting, Store};

use crate::common::{KEY, day, day_outing_in_bergamo, lanterna, lanterna_ok, temp_db};

fn march() -> Period {
    Period::new(day("2026-03-01"), day("2026-03-31")).unwrap()
}

fn contact() -> ContactData {
    ContactData::new(Gender::F, Nationality::parse("NG").unwrap())
}

#[test]
fn the_next_outing_is_prefilled_with_the_last_team() {
    let (_dir, db) = temp_db();
    let mut store = Store::open(&db, KEY).unwrap();
    assert_eq!(store.last_team().unwrap(), None, "no outing yet: the app shows the default");
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 21, 0, 0).unwrap();
    let new = NewOuting {
        activity: Activity::Labour,
        started_at: at,
        shift: Some(Shift::Night),
        team_size: Some(3),
        mediator: true,
        mediator_language: Some(Language::parse("ro").unwrap()),
        legal_operator: true,
        mapping: false,
    };
    store.start_outing(&new).unwrap();
    let team = store.last_team().unwrap().unwrap();
    assert_eq!(
        team,
        Team {
            operators: 3,
            mediator: true,
            mediator_language: Some(Language::parse("ro").unwrap()),
            legal_operator: true
        }
    );
    // A later outing of two without mediator is the one remembered.
    let later = NewOuting {
        started_at: at + Duration::days(1),
        team_size: Some(2),
        mediator: false,
        mediator_language: None,
        legal_operator: false,
        ..new
    };
    store.start_outing(&later).unwrap();
    assert_eq!(store.last_team().unwrap().unwrap(), Team::default());
}

#[test]
fn presences_are_counted_per_stop_and_travel_in_the_tallies() {
    let (_dir, db) = temp_db();
    let mut store = Store::open(&db, KEY).unwrap();
    let (outing, stop) = day_outing_in_bergamo(&mut store, Activity::Street, "2026-03-03");
    store.add_presence(stop, Gender::F).unwrap();
    store.add_presence(stop, Gender::F).unwrap();
    let p = store.add_presence(stop, Gender::T).unwrap();
    assert_eq!((p.m, p.f, p.t), (0, 2, 1));
    let p = store.remove_presence(stop, Gender::M).unwrap();
    assert_eq!(p.m, 0, "never below zero");
    store.record_contact(stop, &contact()).unwrap();

    let presences = |t: &lanterna::domain::Tally, g: Gender| t.sum(Measure::Presences, |_, c| c.gender == g);
    let one = store.outing_tally(outing).unwrap();
    assert_eq!((presences(&one, Gender::F), presences(&one, Gender::T)), (2, 1), "the outing's summary has them");
    let period = store.tally(march(), lanterna::store::TallyParts::CONTACTS).unwrap();
    assert_eq!(presences(&period, Gender::F), 2);
    assert_eq!(period.sum(Measure::Contacts, |_, _| true), 1, "presences are not contacts");
    // Closed, the outing takes no more presences.
    store.close_outing(outing, Utc::now()).unwrap();
    assert!(store.add_presence(stop, Gender::F).is_err());
}

#[test]
fn the_outings_table_counts_empty_outings_hours_and_operator_hours() {
    let (dir, db) = temp_db();
    {
        let mut store = Store::open(&db, KEY).unwrap();
        let (full, stop) = day_outing_in_bergamo(&mut store, Activity::Street, "2026-03-03");
        store.record_contact(stop, &contact()).unwrap();
        let start = Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0).unwrap();
        store.close_outing(full, start + Duration::minutes(150)).unwrap();
        let (empty, _) = day_outing_in_bergamo(&mut store, Activity::Street, "2026-03-04");
        let start = Utc.with_ymd_and_hms(2026, 3, 4, 10, 0, 0).unwrap();
        store.close_outing(empty, start + Duration::minutes(90)).unwrap();
        let facts = store.outing_facts(march()).unwrap();
        assert_eq!(facts.len(), 2);
        assert_eq!(facts.iter().map(|f| f.contacts).collect::<Vec<_>>(), [1, 0]);
    }
    let json =
        lanterna_ok(&db, &["report", "outings", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let bg = &v["tables"][0];
    assert_eq!(bg["province"], "BG");
    let row = &bg["rows"][0];
    assert_eq!(
        (row["activity"].as_str(), row["shift"].as_str(), row["month"].as_str()),
        (Some("street"), Some("day"), Some("2026-03"))
    );
    assert_eq!(row["outings"], 2);
    assert_eq!(row["empty"], 1, "no one on the road that day is a result");
    assert_eq!(row["minutes"], 240);
    assert_eq!(row["hours"], 4.0);
    assert_eq!(row["operator_minutes"], 480, "teams of two");
    assert_eq!(row["operator_hours"], 8.0);
    assert_eq!(v["synthesis"]["total"]["outings"], 2);
    let text = lanterna_ok(&db, &["report", "outings", "--from", "2026-03-01", "--to", "2026-03-31"]);
    assert!(text.contains("USCITE") && text.contains("8.0"), "{text}");
    let _ = dir;
}

#[test]
fn the_presences_table_puts_presences_next_to_contacts() {
    let (_dir, db) = temp_db();
    {
        let mut store = Store::open(&db, KEY).unwrap();
        let (_, stop) = day_outing_in_bergamo(&mut store, Activity::Labour, "2026-03-05");
        store.add_presence(stop, Gender::M).unwrap();
        store.add_presence(stop, Gender::M).unwrap();
        store.record_contact(stop, &ContactData::new(Gender::M, Nationality::parse("IN").unwrap())).unwrap();
    }
    let json =
        lanterna_ok(&db, &["report", "presences", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let row = &v["tables"][0]["rows"][0];
    assert_eq!(row["activity"], "labour");
    assert_eq!(row["presences"]["M"], 2);
    assert_eq!(row["contacts"]["M"], 1);
}

#[test]
fn the_diary_stays_on_the_phone_and_goes_with_its_outing() {
    let (dir, db) = temp_db();
    let secret = "Nuove ragazze dal Benin vicino al ponte";
    let outing;
    {
        let mut store = Store::open(&db, KEY).unwrap();
        let (o, stop) = day_outing_in_bergamo(&mut store, Activity::Street, "2026-03-06");
        outing = o;
        store.record_contact(stop, &contact()).unwrap();
        assert!(store.add_outing_note(o, "   ").is_err(), "an empty note is refused");
        assert!(store.add_outing_note(o, &"x".repeat(NOTE_MAX + 1)).is_err(), "too long");
        store.add_outing_note(o, secret).unwrap();
        assert_eq!(store.outing_notes(o).unwrap().len(), 1);
        store.close_outing(o, Utc::now()).unwrap();
        // Nothing that leaves the phone carries the note.
        let pending = store.pending_summaries(100).unwrap();
        assert!(!pending.is_empty());
        let wire = serde_json::to_string(&pending).unwrap();
        assert!(!wire.contains("Benin") && !wire.contains("ponte"), "{wire}");
    }
    let out = dir.path().join("diario.md");
    let out_s = out.to_str().unwrap();
    lanterna_ok(&db, &["notes", "--from", "2026-03-01", "--to", "2026-03-31", "--out", out_s]);
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains(secret) && md.contains("2026-03-06") && md.contains("BG"), "{md}");
    let again = lanterna(&db, &["notes", "--out", out_s]);
    assert!(!again.status.success(), "an existing file is never written over");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), md);

    let mut store = Store::open(&db, KEY).unwrap();
    store.delete_outing(outing).unwrap();
    assert!(store.outing_notes(outing).unwrap().is_empty(), "deleting an outing deletes its notes");
}
