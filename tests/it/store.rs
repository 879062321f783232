//! The encrypted store: what it refuses, what it keeps, what it never shows.

use std::fs;
use std::path::Path;

use crate::common::{KEY, temp_db};
use chrono::Utc;
use lanterna::domain::{
    Activity, Comune, ContactData, EventKey, EventKind, Gender, ItemKey, ItemKind, Language, Measure, Nationality,
    Place, Protection, ServiceKind, ServiceSet, Shift,
};
use lanterna::store::{NewOuting, SCHEMA_VERSION, Store, StoreError};

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).unwrap_or_default()))
        .collect();
    v.sort();
    v
}

fn night_outing(store: &mut Store) -> (uuid::Uuid, i64) {
    let outing = store
        .start_outing(&NewOuting {
            activity: Activity::Street,
            started_at: Utc::now(),
            shift: Some(Shift::Night),
            team_size: Some(3),
            mediator: true,
            mediator_language: None,
            legal_operator: false,
            mapping: false,
        })
        .unwrap();
    let stop = store
        .add_stop(outing.id, Place::comune(Comune::parse("017029").unwrap()), Some("Via Milano angolo Via Villa Glori"))
        .unwrap();
    (outing.id, stop.id)
}

/// A contact of that gender and nationality, nothing else known.
fn contact(gender: Gender, nat: &str) -> ContactData {
    ContactData::new(gender, Nationality::parse(nat).unwrap())
}

/// A night outing with one contact recorded at its stop: the outing and the stop.
fn night_outing_with(store: &mut Store, data: &ContactData) -> (uuid::Uuid, i64) {
    let (outing, stop) = night_outing(store);
    store.record_contact(stop, data).unwrap();
    (outing, stop)
}

#[test]
fn a_wrong_key_is_a_clear_error_and_changes_nothing() {
    let (dir, db) = temp_db();
    {
        let mut store = Store::open(&db, KEY).unwrap();
        night_outing_with(&mut store, &contact(Gender::F, "RO"));
    }
    let before = snapshot(dir.path());
    let err = Store::open(&db, "135792").unwrap_err();
    assert!(matches!(err, StoreError::WrongKey { .. }), "{err}");
    assert!(err.to_string().contains("wrong PIN") && err.to_string().contains("lanterna.db"), "{err}");
    assert_eq!(snapshot(dir.path()), before, "a wrong key must leave every file as it was");
    // And the right key still opens it.
    assert_eq!(Store::open(&db, KEY).unwrap().count_contacts().unwrap(), 1);
}

#[test]
fn files_that_are_not_lanterna_databases_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("notes.txt", b"Via Milano, 3 persone\n".repeat(100), "wrong PIN"),
        ("empty.db", Vec::new(), "0 bytes"),
        ("short.db", b"hello".to_vec(), "5 bytes"),
    ];
    for (name, bytes, expect) in cases {
        let path = dir.path().join(name);
        fs::write(&path, &bytes).unwrap();
        let err = Store::open(&path, KEY).unwrap_err().to_string();
        assert!(err.contains(expect), "{name}: {err}");
        assert_eq!(fs::read(&path).unwrap(), bytes, "{name} changed");
    }
    // A plain SQLite database.
    let plain = dir.path().join("plain.db");
    rusqlite::Connection::open(&plain).unwrap().execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    let bytes = fs::read(&plain).unwrap();
    let err = Store::open(&plain, KEY).unwrap_err().to_string();
    assert!(err.contains("unencrypted SQLite"), "{err}");
    assert_eq!(fs::read(&plain).unwrap(), bytes);
    // A directory.
    let err = Store::open(dir.path(), KEY).unwrap_err().to_string();
    assert!(err.contains("directory"), "{err}");
    // Missing, when it must exist.
    let err = Store::open_existing(&dir.path().join("nope.db"), KEY).unwrap_err();
    assert!(matches!(err, StoreError::Missing { .. }));
}

#[test]
fn a_database_of_the_first_schema_upgrades_and_keeps_its_data() {
    let (_dir, db) = temp_db();
    {
        // Rows written with schema 1's own SQL, as the first release stored them.
        let conn = Store::create_at_version(&db, KEY, 1).unwrap();
        conn.execute_batch(
            "INSERT INTO units (id, name, created_at) VALUES ('9b2f6a52-8d6c-4a4e-9d53-1f0e7c1a2b3c', 'UDS', '2023-01-01T00:00:00Z');
             INSERT INTO settings (key, value) VALUES ('unit_id', '\"9b2f6a52-8d6c-4a4e-9d53-1f0e7c1a2b3c\"');
             INSERT INTO outings (id, unit_id, activity, date, shift, status, updated_at)
               VALUES ('0c6d3f2e-5b1a-4c8e-9f7d-2a3b4c5d6e7f', '9b2f6a52-8d6c-4a4e-9d53-1f0e7c1a2b3c', 'street',
                       '2023-06-07', 'night', 'closed', '2023-06-08T01:00:00Z');
             INSERT INTO stops (id, outing_id, province, comune, label)
               VALUES (1, '0c6d3f2e-5b1a-4c8e-9f7d-2a3b4c5d6e7f', 'BS', '017029', 'Via Milano');
             INSERT INTO contacts (stop_id, gender, nationality, age_band, first_contact, protection, referrals, recorded_at)
               VALUES (1, 'F', 'RO', 'minor', 1, 'yes', 2, '2023-06-07T22:00:00Z');
             INSERT INTO contact_items (contact_id, kind, language, quantity) VALUES (1, 'leaflets', 'ro', 2);",
        )
        .unwrap();
    }
    let mut store = Store::open(&db, KEY).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let outing = "0c6d3f2e-5b1a-4c8e-9f7d-2a3b4c5d6e7f".parse().unwrap();
    let contacts = store.contacts_of_outing(outing).unwrap();
    assert_eq!(contacts.len(), 1);
    let c = &contacts[0].data;
    assert!(c.is_minor());
    assert_eq!(c.protection, Protection::Yes);
    assert_eq!(
        c.services.iter().collect::<Vec<_>>(),
        [(EventKey::new(EventKind::Referral, Some(ServiceKind::Health)), 1)]
    );
    assert_eq!(c.items.get(ItemKey::leaflets(Language::Romanian)), 2);
    assert_eq!(store.stops(outing).unwrap()[0].label.as_deref(), Some("Via Milano"));
    // And the upgraded database takes new records.
    night_outing_with(&mut store, &contact(Gender::T, "BR"));
    assert_eq!(store.count_contacts().unwrap(), 2);
}

#[test]
fn services_of_schema_4_become_one_event_each() {
    let (_dir, db) = temp_db();
    {
        let conn = Store::create_at_version(&db, KEY, 4).unwrap();
        conn.execute_batch(
            "INSERT INTO units (id, name, created_at) VALUES ('9b2f6a52-8d6c-4a4e-9d53-1f0e7c1a2b3c', 'UDS', '2023-01-01T00:00:00Z');
             INSERT INTO settings (key, value) VALUES ('unit_id', '\"9b2f6a52-8d6c-4a4e-9d53-1f0e7c1a2b3c\"');
             INSERT INTO outings (id, unit_id, activity, date, shift, status, updated_at)
               VALUES ('0c6d3f2e-5b1a-4c8e-9f7d-2a3b4c5d6e7f', '9b2f6a52-8d6c-4a4e-9d53-1f0e7c1a2b3c', 'street',
                       '2023-06-07', 'night', 'closed', '2023-06-08T01:00:00Z');
             INSERT INTO stops (id, outing_id, province) VALUES (1, '0c6d3f2e-5b1a-4c8e-9f7d-2a3b4c5d6e7f', 'BS');
             -- listening, referred to legal and health (bits 1 + 2), accompanied to other (bit 8)
             INSERT INTO contacts (id, stop_id, gender, nationality, information, listening, referrals, accompaniments, recorded_at)
               VALUES (1, 1, 'F', 'RO', 1, 1, 3, 8, '2023-06-07T22:00:00Z');
             INSERT INTO contacts (id, stop_id, gender, nationality, recorded_at) VALUES (2, 1, 'M', 'NG', '2023-06-07T22:05:00Z');
             INSERT INTO indoor_sessions (id, unit_id, date, started_at, province, operators, status, updated_at)
               VALUES ('1d2e3f40-5b1a-4c8e-9f7d-2a3b4c5d6e7f', '9b2f6a52-8d6c-4a4e-9d53-1f0e7c1a2b3c', '2023-06-08',
                       '2023-06-08T10:00:00Z', 'BS', 2, 'closed', '2023-06-08T12:00:00Z');
             INSERT INTO indoor_meetings (id, session_id, province, gender, nationality, listening, accompaniments, recorded_at)
               VALUES (1, '1d2e3f40-5b1a-4c8e-9f7d-2a3b4c5d6e7f', 'BS', 'T', 'BR', 1, 2, '2023-06-08T11:00:00Z');",
        )
        .unwrap();
    }
    let store = Store::open(&db, KEY).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let c = store.contact(1).unwrap().data.services;
    let health = Some(ServiceKind::Health);
    assert!(c.information, "information stays a flag");
    assert_eq!(c.count(EventKind::Listening, None), 1);
    assert_eq!(c.count(EventKind::Referral, Some(ServiceKind::Legal)), 1);
    assert_eq!(c.count(EventKind::Referral, health), 1);
    assert_eq!(c.count(EventKind::Accompaniment, Some(ServiceKind::Other)), 1);
    assert_eq!(c.iter().count(), 4, "one event each, nothing else");
    assert!(store.contact(2).unwrap().data.services.has_no_events());
    let m = store.meeting(1).unwrap().services;
    assert_eq!((m.count(EventKind::Listening, None), m.count(EventKind::Accompaniment, health)), (1, 1));
    assert_eq!(m.iter().count(), 2);
}

#[test]
fn the_store_counts_events_and_distinct_persons() {
    let mut store = Store::open_in_memory().unwrap();
    let (_, stop) = night_outing(&mut store);
    let mut data = contact(Gender::F, "NG");
    data.services.set_count(EventKind::Accompaniment, Some(ServiceKind::Health), 3);
    data.services.set_count(EventKind::Listening, None, 1);
    let a = store.record_contact(stop, &data).unwrap();
    let b = store.record_contact(stop, &data).unwrap();
    store.record_contact(stop, &contact(Gender::F, "NG")).unwrap();
    // The two contacts are one person of the register.
    store
        .connection()
        .execute_batch(&format!(
            "INSERT INTO persons (id, gender, nationality, created_at) VALUES (900, 'F', 'NG', '2023-06-07T22:00:00Z');
             UPDATE contacts SET person_id = 900 WHERE id IN ({}, {});",
            a.id, b.id
        ))
        .unwrap();
    let period = lanterna::domain::Period::new(
        lanterna::domain::parse_date("1990-01-01").unwrap(),
        lanterna::domain::parse_date("2200-12-31").unwrap(),
    )
    .unwrap();
    let tally = store.tally(period, lanterna::store::TallyParts::ALL).unwrap();
    assert_eq!(tally.sum(Measure::Accompaniment(ServiceKind::Health), |_, _| true), 6);
    assert_eq!(tally.sum(Measure::Listening, |_, _| true), 2);
    assert_eq!(tally.sum(Measure::AccompaniedPersons, |_, _| true), 1, "one person, accompanied twice");
    assert_eq!(tally.sum(Measure::ReferredPersons, |_, _| true), 0);
}

#[test]
fn a_database_from_a_newer_lanterna_is_refused() {
    let (_dir, db) = temp_db();
    {
        let store = Store::open(&db, KEY).unwrap();
        store.connection().execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1)).unwrap();
    }
    let err = Store::open(&db, KEY).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
}

#[test]
fn the_file_and_its_wal_hold_no_readable_trace() {
    let (dir, db) = temp_db();
    let mut store = Store::open(&db, KEY).unwrap();
    let (outing, stop) = night_outing(&mut store);
    let mut data = contact(Gender::F, "NG");
    data.protection = Protection::Yes;
    data.services.add_each(EventKind::Referral, ServiceSet::from_iter([ServiceKind::Health]));
    data.items.set(ItemKey::leaflets(Language::Pidgin), 2);
    data.items.set(ItemKey::plain(ItemKind::Condoms), 10);
    for _ in 0..200 {
        store.record_contact(stop, &data).unwrap();
    }
    let mut s = store.settings().unwrap();
    s.unit_name = "Unita Notturna Brescia Est".into();
    store.save_settings(&s).unwrap();
    // A person of the register with a short name, and one imported with a code.
    let first = store.record_contact(stop, &data).unwrap();
    let rosa = store.person_of_contact(first.id).unwrap();
    let details = lanterna::domain::PersonDetails { name: Some("Rosalinda".into()), ..rosa.details() };
    store.update_person(rosa.id, &details).unwrap();
    let imported = lanterna::domain::ContactRecord {
        activity: lanterna::domain::Activity::Street,
        date: lanterna::domain::parse_date("2024-01-05").unwrap(),
        shift: lanterna::domain::Shift::Night,
        place: lanterna::domain::Place::province(lanterna::domain::Province::parse("BS").unwrap()),
        person: Some("QXW-code-4417".into()),
        data: contact(Gender::F, "RO"),
    };
    store.import_records(&[imported], "grep-test").unwrap();
    // Needles of 5 bytes or more: shorter ones turn up by chance in random bytes.
    let needles: &[&str] = &[
        "Via Milano",
        "Villa Glori",
        "Notturna Brescia",
        "017029",
        "street",
        "night",
        "contacts",
        "CREATE TABLE",
        "SQLite format",
        "condoms",
        "health",
        "Rosalinda",
        "QXW-code-4417",
        &outing.to_string(),
        &outing.simple().to_string(),
    ];
    // While open (the WAL holds the recent commits) and after closing.
    let check = |when: &str| {
        for entry in fs::read_dir(dir.path()).unwrap() {
            let path = entry.unwrap().path();
            let bytes = fs::read(&path).unwrap();
            for needle in needles {
                let n = needle.as_bytes();
                assert!(
                    !bytes.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n)),
                    "{when}: '{needle}' readable in {}",
                    path.display()
                );
            }
        }
    };
    assert!(fs::metadata(format!("{}-wal", db.display())).is_ok(), "WAL in use while open");
    check("open");
    drop(store);
    check("closed");
}

#[test]
fn changing_the_key_rewraps_it() {
    let (_dir, db) = temp_db();
    let mut store = Store::open(&db, KEY).unwrap();
    let (_, stop) = night_outing_with(&mut store, &contact(Gender::M, "AL"));
    let pages = fs::read(&db).unwrap();
    assert!(matches!(store.change_secret("97531864", "13572468"), Err(StoreError::WrongKey { .. })));
    store.change_secret(KEY, "97531864").unwrap();
    assert_eq!(fs::read(&db).unwrap(), pages, "no page is re-encrypted: the key is wrapped again");
    // Still usable after the change.
    store.record_contact(stop, &contact(Gender::M, "AL")).unwrap();
    drop(store);
    assert!(matches!(Store::open(&db, KEY).unwrap_err(), StoreError::WrongKey { .. }));
    assert_eq!(Store::open(&db, "97531864").unwrap().count_contacts().unwrap(), 2);
}

#[test]
fn contacts_are_refused_on_closed_outings_and_undo_takes_back_the_last() {
    let mut store = Store::open_in_memory().unwrap();
    let (outing, stop) = night_outing(&mut store);
    let ro = contact(Gender::F, "RO");
    let ng = contact(Gender::F, "NG");
    store.record_contacts(stop, &ro, 3).unwrap();
    store.record_contact(stop, &ng).unwrap();
    let undone = store.undo_last_contact(outing).unwrap().unwrap();
    assert_eq!(undone.data.nationality, ng.nationality);
    assert_eq!(store.contacts_of_outing(outing).unwrap().len(), 3);
    store.close_outing(outing, Utc::now()).unwrap();
    let err = store.record_contact(stop, &ng).unwrap_err().to_string();
    assert!(err.contains("closed"), "{err}");
    assert!(store.undo_last_contact(outing).is_err());
    store.reopen_outing(outing).unwrap();
    store.record_contact(stop, &ng).unwrap();
    assert_eq!(store.contacts_of_outing(outing).unwrap().len(), 4);
    assert!(matches!(store.record_contact(9999, &ng).unwrap_err(), StoreError::NotFound { .. }));
    assert!(store.record_contacts(stop, &ng, 0).is_err());
    let mut bad = ng.clone();
    bad.items.set(ItemKey { kind: ItemKind::Leaflets, language: None }, 1);
    assert!(store.record_contact(stop, &bad).is_err());
    assert_eq!(store.contacts_of_outing(outing).unwrap().len(), 4, "refused records change nothing");
}

#[test]
fn details_edited_after_the_tap_are_kept_with_their_items() {
    let mut store = Store::open_in_memory().unwrap();
    let (outing, stop) = night_outing(&mut store);
    let mut data = contact(Gender::F, "RO");
    data.items = store.settings().unwrap().kits.street.0;
    let c = store.record_contact(stop, &data).unwrap();
    data.age_band = Some(lanterna::domain::AgeBand::Minor);
    data.items.set(ItemKey::plain(ItemKind::Food), 2);
    data.services.set_count(EventKind::Accompaniment, Some(ServiceKind::Legal), 2);
    data.services.toggle_subtype(EventKind::Accompaniment, lanterna::domain::ServiceSubtype::Questura);
    store.update_contact(c.id, &data).unwrap();
    let back = store.contacts_of_outing(outing).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].data, data);
    assert_eq!(store.contact(c.id).unwrap().data, data);
}

/// An indoor session in Brescia starting now.
fn brescia_session(operators: u8) -> lanterna::store::NewIndoorSession {
    let province = lanterna::domain::Province::parse("BS").unwrap();
    lanterna::store::NewIndoorSession { started_at: Utc::now(), province, operators, mediator_language: None }
}

#[test]
fn each_refusal_is_its_own_typed_error() {
    use lanterna::domain::indoor::IndoorRecord;
    use lanterna::domain::rules::Violation;
    use lanterna::domain::{ContactRecord, IndoorKind, Province, parse_date};
    use lanterna::store::{Entity, Record};

    let mut store = Store::open_in_memory().unwrap();
    let rule = |e: StoreError| e.violation().cloned().unwrap_or_else(|| panic!("not a rule: {e}"));
    let new = |activity, team_size| NewOuting {
        activity,
        started_at: Utc::now(),
        shift: None,
        team_size,
        mediator: false,
        mediator_language: None,
        legal_operator: false,
        mapping: false,
    };
    assert_eq!(rule(store.start_outing(&new(Activity::Indoor, None)).unwrap_err()), Violation::IndoorIsNotAnOuting);
    assert_eq!(rule(store.start_outing(&new(Activity::Street, Some(0))).unwrap_err()), Violation::TeamSize);
    let bs = Province::parse("BS").unwrap();
    assert_eq!(rule(store.start_indoor_session(&brescia_session(51)).unwrap_err()), Violation::Operators);

    let (outing, stop) = night_outing(&mut store);
    let ro = contact(Gender::F, "RO");
    assert_eq!(rule(store.record_contacts(stop, &ro, 501).unwrap_err()), Violation::PeoplePerTap(501));
    let milano = Place { province: Province::parse("MI").unwrap(), comune: Some(Comune::parse("017029").unwrap()) };
    let err = store.add_stop(outing, milano, None).unwrap_err();
    assert!(matches!(rule(err), Violation::ComuneNotInProvince { .. }));
    store.close_outing(outing, Utc::now()).unwrap();
    let err = store.record_contact(stop, &ro).unwrap_err();
    assert!(matches!(err, StoreError::Closed { what: Record::Outing }), "{err}");
    assert_eq!(err.to_string(), "this outing is closed: reopen it to correct it");
    assert!(matches!(store.add_stop(outing, Place::province(bs), None), Err(StoreError::Closed { .. })));

    let s = store.start_indoor_session(&brescia_session(2)).unwrap();
    let visit = [(Gender::F, Nationality::parse("CN").unwrap(), 201)];
    assert_eq!(rule(store.record_massage_visit(s.id, bs, None, &visit).unwrap_err()), Violation::MassageVisit(201));
    store.close_indoor_session(s.id, Utc::now()).unwrap();
    let err = store.record_meeting(s.id, None, bs, &ro).unwrap_err();
    assert!(matches!(err, StoreError::Closed { what: Record::Session }), "{err}");
    assert_eq!(err.to_string(), "this session is closed: reopen it to correct it");
    store.reopen_indoor_session(s.id).unwrap();
    store.record_meeting(s.id, None, bs, &ro).unwrap();

    let missing = uuid::Uuid::new_v4();
    let err = store.delete_outing(missing).unwrap_err();
    assert!(matches!(err, StoreError::NotFound { what: Entity::Outing, .. }), "{err}");
    let err = store.reopen_indoor_session(missing).unwrap_err();
    assert!(matches!(err, StoreError::NotFound { what: Entity::IndoorSession, .. }), "{err}");
    assert!(matches!(store.change_secret(KEY, "97531864"), Err(StoreError::NoKey)));

    let date = parse_date("2023-03-01").unwrap();
    let row = ContactRecord {
        activity: Activity::Street,
        date,
        shift: Shift::Night,
        place: Place::province(bs),
        person: None,
        data: ro,
    };
    store.import_records(std::slice::from_ref(&row), "same-bytes").unwrap();
    let err = store.import_records(&[row], "same-bytes").unwrap_err();
    assert!(matches!(err, StoreError::AlreadyImported { .. }), "{err}");
    assert!(err.to_string().contains("already imported") && err.to_string().contains("nothing was imported again"));
    let line = IndoorRecord {
        date,
        province: bs,
        kind: IndoorKind::Ad,
        gender: Gender::F,
        nationality: Nationality::UNKNOWN,
        reached: None,
        site: None,
        channel: None,
        campaign: None,
        protection: lanterna::domain::Protection::Unknown,
        declared_age: None,
    };
    let err = store.import_indoor(&[line], "same-bytes").unwrap_err();
    assert!(matches!(err, StoreError::AlreadyImported { .. }), "{err}");
}

#[test]
fn outings_and_sessions_share_one_life_close_reopen_delete_and_tombstone() {
    use lanterna::domain::{OutingStatus, Province};
    use lanterna::wire::{Ack, AckStatus};

    let mut store = Store::open_in_memory().unwrap();
    let (outing, stop) = night_outing_with(&mut store, &contact(Gender::F, "RO"));
    let bs = Province::parse("BS").unwrap();
    let s = store.start_indoor_session(&brescia_session(1)).unwrap();
    assert_eq!(store.pending_count().unwrap(), 0, "open ones are never sent");
    assert_eq!(store.close_outing(outing, Utc::now()).unwrap().status, OutingStatus::Closed);
    store.close_indoor_session(s.id, Utc::now()).unwrap();
    assert_eq!(store.indoor_session(s.id).unwrap().status, OutingStatus::Closed);
    let sent = store.pending_summaries(10).unwrap();
    assert_eq!(
        sent.iter().map(|x| (x.id, x.revision, x.deleted)).collect::<Vec<_>>(),
        [(outing, 1, false), (s.id, 1, false)]
    );
    let acks: Vec<Ack> = sent.iter().map(|x| Ack::new(x.id, x.revision, AckStatus::Stored)).collect();
    store.mark_synced(&acks).unwrap();
    assert_eq!(store.pending_count().unwrap(), 0);

    // A correction after the sync: reopened, changed once, closed again: one new revision.
    store.reopen_outing(outing).unwrap();
    store.record_contact(stop, &contact(Gender::M, "NG")).unwrap();
    store.close_outing(outing, Utc::now()).unwrap();
    let again = store.pending_summaries(10).unwrap();
    assert_eq!(again.iter().map(|x| (x.id, x.revision)).collect::<Vec<_>>(), [(outing, 2)]);

    // Deleting synced ones leaves tombstones one revision above.
    store.delete_outing(outing).unwrap();
    store.delete_indoor_session(s.id).unwrap();
    assert!(matches!(store.outing(outing), Err(StoreError::NotFound { .. })));
    assert!(matches!(store.indoor_session(s.id), Err(StoreError::NotFound { .. })));
    let gone = store.pending_summaries(10).unwrap();
    let mut seen: Vec<_> = gone.iter().map(|x| (x.id, x.revision, x.deleted, x.activity, x.province)).collect();
    seen.sort_by_key(|x| x.0);
    let mut want = vec![(outing, 3, true, Activity::Street, bs), (s.id, 2, true, Activity::Indoor, bs)];
    want.sort_by_key(|x| x.0);
    assert_eq!(seen, want);
    assert!(gone.iter().all(|x| x.cells.is_empty() && x.comuni.is_empty()));

    // Never synced: deleted without a trace.
    let (fresh, _) = night_outing(&mut store);
    store.delete_outing(fresh).unwrap();
    assert_eq!(store.pending_count().unwrap(), 2);
}

/// A person accompanied on a night outing and again on a day outing of the same province
/// is one person in the services tables, which have no shift; the events are all counted.
#[test]
fn a_person_served_day_and_night_is_one_person_of_the_services_tables() {
    let mut store = Store::open_in_memory().unwrap();
    let (night, stop) = night_outing(&mut store);
    let mut data = contact(Gender::F, "NG");
    data.services.set_count(EventKind::Accompaniment, Some(ServiceKind::Health), 1);
    let first = store.record_contact(stop, &data).unwrap();
    let person = store.person_of_contact(first.id).unwrap().id;
    store.close_outing(night, Utc::now()).unwrap();
    let day = store
        .start_outing(&NewOuting {
            activity: Activity::Street,
            started_at: Utc::now(),
            shift: Some(Shift::Day),
            team_size: Some(2),
            mediator: false,
            mediator_language: None,
            legal_operator: false,
            mapping: false,
        })
        .unwrap();
    let stop = store.add_stop(day.id, Place::comune(Comune::parse("017029").unwrap()), None).unwrap();
    let again = store.record_known(stop.id, person, &Default::default()).unwrap();
    store.update_contact(again.id, &ContactData { services: data.services.clone(), ..again.data.clone() }).unwrap();
    let today = chrono::Local::now().date_naive();
    let period =
        lanterna::domain::Period::new(today - chrono::Duration::days(2), today + chrono::Duration::days(2)).unwrap();
    let tally = store.tally(period, lanterna::store::TallyParts::ALL).unwrap();
    assert_eq!(tally.sum(Measure::Accompaniment(ServiceKind::Health), |_, _| true), 2, "two accompaniments");
    assert_eq!(tally.sum(Measure::AccompaniedPersons, |_, _| true), 1, "one person");
}
