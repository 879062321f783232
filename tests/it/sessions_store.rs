//! Informative group sessions on the phone: saved, edited (a change after a sync bumps
//! the revision once), deleted with a tombstone; sent as a summary of activity session
//! with its facts and team and no cells, which the wire rules guard.

use lanterna::domain::outreach::{LanguageSet, SessionFacts, SessionPlace, Team, ThemeSet};
use lanterna::domain::tables::Mft;
use lanterna::domain::{Activity, Comune, Gender, Language, Measure, Nationality, Period, Province, Shift};
use lanterna::store::Store;
use lanterna::wire::{Ack, AckStatus, Cell, Limits};

use crate::common::{KEY, day};

fn facts() -> SessionFacts {
    SessionFacts {
        place: SessionPlace::Cas,
        comune: Some(Comune::parse("016024").unwrap()),
        themes: ThemeSet::parse_list("trafficking;rights").unwrap(),
        languages: LanguageSet::parse_list("en;fr").unwrap(),
        participants: Mft { m: 12, f: 3, t: 0 },
        protection: Mft { m: 10, f: 1, t: 0 },
    }
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("l.db"), KEY).unwrap();
    (dir, s)
}

#[test]
fn a_session_is_saved_edited_synced_and_deleted_with_a_tombstone() {
    let (_d, mut store) = store();
    let bg = Province::parse("BG").unwrap();
    let team = Team { operators: 2, mediator: true, mediator_language: Some(Language::English), legal_operator: true };
    let s = store.add_info_session(day("2025-03-04"), bg, facts(), team).unwrap();
    let year = Period::new(day("2025-01-01"), day("2025-12-31")).unwrap();
    assert_eq!(store.info_sessions(year).unwrap(), vec![s]);
    assert_eq!(store.info_session_facts(year).unwrap(), vec![(bg, facts())]);
    assert_eq!(store.last_info_session_team().unwrap(), Some(team));

    // Pending: one summary of activity session, with its facts and team, no cells.
    assert_eq!(store.pending_count().unwrap(), 1);
    let sent = store.pending_summaries(10).unwrap();
    assert_eq!(sent.len(), 1);
    let sum = &sent[0];
    assert_eq!((sum.activity, sum.shift, sum.province, sum.deleted), (Activity::Session, Shift::Day, bg, false));
    assert_eq!(sum.session, Some(facts()));
    assert_eq!(sum.team, Some(team));
    assert!(sum.cells.is_empty(), "head counts never travel as cells");
    assert_eq!(sum.comuni, vec![Comune::parse("016024").unwrap()]);
    sum.validate(&Limits::default()).unwrap();

    // Edited before any sync: still revision 1. Synced, then edited: revision 2, once.
    let mut edit = s;
    edit.facts.participants.f = 4;
    assert_eq!(store.edit_info_session(&edit).unwrap().revision, 1);
    store.mark_synced(&[Ack { id: s.id, revision: 1, status: AckStatus::Stored, reason: None }]).unwrap();
    assert_eq!(store.pending_count().unwrap(), 0);
    edit.facts.participants.f = 5;
    assert_eq!(store.edit_info_session(&edit).unwrap().revision, 2);
    edit.facts.participants.f = 6;
    assert_eq!(store.edit_info_session(&edit).unwrap().revision, 2, "one bump per sync");
    assert_eq!(store.pending_summaries(10).unwrap()[0].session.unwrap().participants.f, 6);

    // A bad edit changes nothing.
    let mut bad = edit;
    bad.facts.protection.m = 99;
    assert!(store.edit_info_session(&bad).is_err());
    assert_eq!(store.info_session(s.id).unwrap().facts.participants.f, 6);

    // Deleted after a sync: a tombstone of activity session goes.
    store.mark_synced(&[Ack { id: s.id, revision: 2, status: AckStatus::Stored, reason: None }]).unwrap();
    store.delete_info_session(s.id).unwrap();
    assert!(store.info_sessions(year).unwrap().is_empty());
    let gone = store.pending_summaries(10).unwrap();
    assert_eq!(gone.len(), 1);
    assert_eq!((gone[0].id, gone[0].revision, gone[0].deleted, gone[0].activity), (s.id, 3, true, Activity::Session));
    assert_eq!(gone[0].session, None);
    gone[0].validate(&Limits::default()).unwrap();
}

#[test]
fn a_session_never_synced_leaves_no_tombstone_and_bad_sessions_are_refused() {
    let (_d, mut store) = store();
    let bg = Province::parse("BG").unwrap();
    let s = store.add_info_session(day("2025-03-04"), bg, facts(), Team::default()).unwrap();
    store.delete_info_session(s.id).unwrap();
    assert_eq!(store.pending_count().unwrap(), 0);
    let mut empty = facts();
    empty.participants = Mft::default();
    empty.protection = Mft::default();
    assert!(store.add_info_session(day("2025-03-04"), bg, empty, Team::default()).is_err());
    let mi = Province::parse("MI").unwrap();
    assert!(store.add_info_session(day("2025-03-04"), mi, facts(), Team::default()).is_err(), "comune of BG");
    assert!(store.add_info_session(day("2025-03-04"), bg, facts(), Team { operators: 0, ..Team::default() }).is_err());
}

#[test]
fn the_wire_rules_keep_session_facts_to_session_summaries() {
    let (_d, mut store) = store();
    let bg = Province::parse("BG").unwrap();
    store.add_info_session(day("2025-03-04"), bg, facts(), Team::default()).unwrap();
    let good = store.pending_summaries(1).unwrap().remove(0);
    let limits = Limits::default();
    let refused = |s: &lanterna::wire::Summary| s.validate(&limits).is_err();
    assert!(refused(&lanterna::wire::Summary { session: None, ..good.clone() }), "a session without facts");
    assert!(
        refused(&lanterna::wire::Summary { activity: Activity::Street, ..good.clone() }),
        "facts on a street outing"
    );
    assert!(refused(&lanterna::wire::Summary { shift: Shift::Night, ..good.clone() }));
    assert!(refused(&lanterna::wire::Summary { deleted: true, ..good.clone() }), "a deletion with facts");
    let cell = Cell {
        province: None,
        nationality: Nationality::UNKNOWN,
        gender: Gender::F,
        measure: Measure::Contacts,
        count: 3,
    };
    assert!(refused(&lanterna::wire::Summary { cells: vec![cell], ..good.clone() }), "participants as contacts");
    let mut too_many = good.clone();
    if let Some(f) = too_many.session.as_mut() {
        f.protection.f = 50;
    }
    assert!(refused(&too_many), "more asylum seekers than participants");
    good.validate(&limits).unwrap();
}
