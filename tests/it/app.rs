//! The application layer's use cases, end to end over a real encrypted file: unlocking
//! with the back-off, the tally with the unit's kit, what each write says it changed,
//! ad form checks that change nothing, imports checked before anything is created.

use chrono::Utc;
use lanterna::app::{
    AdForm, Area, Error, ImportFile, Lanterna, NewIndoorSession, NewOuting, UnlockError, Vault, messages,
};
use lanterna::domain::rules::PIN_FREE_ATTEMPTS;
use lanterna::domain::{Activity, Comune, Gender, ItemKey, ItemKind, Lang, Language, Nationality, Place, Province};

const PIN: &str = "24681357";

fn nat(code: &str) -> Nationality {
    Nationality::parse(code).expect("a nationality")
}

#[test]
fn wrong_pins_wait_and_change_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::new(dir.path().join("v.db"));
    vault.unlock(PIN).expect("the first unlock creates the database");
    vault.lock();
    let before = std::fs::read(vault.db_path()).expect("the file");
    for _ in 0..PIN_FREE_ATTEMPTS {
        assert!(matches!(vault.unlock("11111111"), Err(Error::Unlock(UnlockError::Wrong))));
    }
    match vault.unlock(PIN) {
        Err(Error::Unlock(UnlockError::Wait(s))) => assert!((1..=2).contains(&s), "{s}"),
        other => panic!("expected a wait, got {other:?}"),
    }
    assert!(!vault.is_unlocked());
    assert_eq!(std::fs::read(vault.db_path()).expect("the file"), before, "wrong PINs change nothing");
    assert!(matches!(vault.run(|a| a.settings()), Err(Error::Locked)));
}

#[test]
fn the_tally_hands_out_the_kit_and_says_what_changed() {
    let mut app = Lanterna::open_in_memory().expect("a store");
    let new = NewOuting {
        activity: Activity::Street,
        started_at: Utc::now(),
        shift: None,
        team_size: Some(2),
        mediator: false,
        mediator_language: None,
        legal_operator: false,
        mapping: false,
    };
    let outing = app.start_outing(&new).expect("started");
    assert!(outing.changed.contains(Area::Outings) && !outing.changed.contains(Area::Sync));
    let brescia = Comune::resolve("Brescia", Province::parse("BS").expect("BS")).expect("Brescia");
    let stop = app.add_stop(outing.value.id, Place::comune(brescia), Some("  Via Milano ")).expect("a stop");
    assert_eq!(stop.value.label.as_deref(), Some("Via Milano"));
    let done = app.tally(stop.value.id, Gender::F, nat("RO"), 3).expect("three persons");
    assert_eq!(done.value.len(), 3);
    let kit = app.settings().expect("settings").kit_for(Activity::Street).0.clone();
    assert!(done.value.iter().all(|c| c.data.items == kit), "each person gets the default kit");
    assert_eq!(app.outing_view(outing.value.id, None).expect("the view").totals.f, 3);
    let closed = app.close_outing(outing.value.id, Utc::now()).expect("closed");
    assert!(closed.changed.contains(Area::Sync), "a closed outing is pending for sync");
    assert!(matches!(app.tally(stop.value.id, Gender::F, nat("RO"), 1), Err(Error::Store(_))));
    assert!(app.tally(stop.value.id, Gender::F, nat("RO"), 501).is_err());
}

#[test]
fn a_labour_contact_gets_the_labour_kit_leaflets_not_condoms() {
    let mut app = Lanterna::open_in_memory().expect("a store");
    let new = NewOuting {
        activity: Activity::Labour,
        started_at: Utc::now(),
        shift: None,
        team_size: None,
        mediator: false,
        mediator_language: None,
        legal_operator: false,
        mapping: false,
    };
    let outing = app.start_outing(&new).expect("started").value;
    let stop = app.add_stop(outing.id, Place::province(Province::parse("MN").expect("MN")), None).expect("a stop");
    let done = app.tally(stop.value.id, Gender::M, nat("PK"), 2).expect("two persons").value;
    let items = &done[0].data.items;
    assert_eq!(items.get(ItemKey::leaflets(Language::Undetermined)), 1, "{items:?}");
    assert_eq!(items.get(ItemKey::plain(ItemKind::Condoms)), 0, "{items:?}");
    assert_eq!(items.get(ItemKey::plain(ItemKind::Lubricant)), 0, "{items:?}");
    assert!(done.iter().all(|c| &c.data.items == items));
    assert!(matches!(app.tally(9999, Gender::M, nat("PK"), 1), Err(Error::Store(_))), "no such stop");
}

#[test]
fn the_ad_form_is_checked_before_anything_is_stored() {
    let mut app = Lanterna::open_in_memory().expect("a store");
    let bs = Province::parse("BS").expect("BS");
    let new = NewIndoorSession { started_at: Utc::now(), province: bs, operators: 2, mediator_language: None };
    let session = app.start_indoor_session(&new).expect("a session").value.id;
    let mut form = AdForm {
        site: "bakecaincontri".into(),
        province: bs,
        comune: None,
        nationality: nat("CO"),
        gender: Gender::F,
        declared_age: "venti".into(),
        risky: false,
        number: "333 123 4567".into(),
    };
    let e = app.save_ad(session, &form).expect_err("a word is not an age");
    assert!(matches!(e, Error::BadAge(_)));
    assert_eq!(messages::message(&e, Lang::It), "Età non valida: venti");
    form.declared_age = "12".into();
    let e = app.save_ad(session, &form).expect_err("too young to be declared");
    assert_eq!(messages::message(&e, Lang::It), "Età dichiarata: da 14 a 99, non 12");
    assert_eq!(app.indoor_view(session, "").expect("the view").counts.ads, 0, "nothing was stored");
    form.declared_age = " 24 ".into();
    let saved = app.save_ad(session, &form).expect("saved").value;
    assert_eq!(saved.dial.as_deref(), Some("+393331234567"));
    assert_eq!(saved.ad.data.declared_age, Some(24));
    let seen = app.number_seen(session, "+39 333 1234567").expect("looked up").expect("a number");
    assert_eq!(seen.ads_this_session, 1);
    assert_eq!(app.number_seen(session, "33").expect("looked up"), None, "not a number yet");
    let (_, met) = app.meet_from_ad(session, saved.ad.id).expect("met").value;
    assert_eq!((met.gender, met.nationality), (Gender::F, nat("CO")));
    assert_eq!(met.items, app.settings().expect("settings").kit_for(Activity::Indoor).0);
}

#[test]
fn a_bad_import_file_is_refused_before_any_database_exists() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, "date,shift,activity,province,gender,nationality\n2024-13-01,night,street,BS,F,RO\n")
        .expect("written");
    let e = ImportFile::read(&file).expect_err("month 13");
    assert!(matches!(e, Error::Import { .. }), "{e:?}");
    assert!(e.to_string().contains("bad.csv"), "{e}");
    assert!(matches!(ImportFile::read(&dir.path().join("none.csv")), Err(Error::Read { .. })));
}
