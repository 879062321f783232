//! The same store suite against every backend: SQLite always, PostgreSQL when Debian's
//! server is installed (the test command installs it and requires it).

use crate::common::{self, persons};
use chrono::{Duration, NaiveDate, Utc};
use lanterna::domain::Activity;
use lanterna::wire::{AckStatus, Batch, PersonSummary, Summary};
use lanterna_server::store::{Backend, Device, Postgres, Sqlite, StoreError};
use uuid::Uuid;

fn summary(id: Uuid, revision: u32, n: u32) -> Summary {
    common::street_summary(id, revision, NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(), n)
}

/// Stores summaries alone; their statuses.
fn put(b: &dyn Backend, d: &Device, summaries: &[Summary]) -> Result<Vec<AckStatus>, StoreError> {
    b.store(d, &Batch { summaries: summaries.to_vec(), persons: vec![] }, Utc::now()).map(|s| s.summaries)
}

/// Stores persons alone; their statuses.
fn put_persons(b: &dyn Backend, d: &Device, persons: &[PersonSummary]) -> Vec<AckStatus> {
    let s = b.store(d, &Batch { summaries: vec![], persons: persons.to_vec() }, Utc::now()).unwrap();
    assert!(s.summaries.is_empty());
    s.persons
}

/// The persons of the test period (street and labour), of one unit or all.
fn persons_count(b: &dyn Backend, unit: Option<Uuid>) -> u32 {
    let p = persons(Activity::Street, 1, 1);
    b.persons(unit.as_ref().map(std::slice::from_ref), p.from, p.to)
        .unwrap()
        .iter()
        .flat_map(|s| s.cells.iter().map(|c| c.count))
        .sum()
}

fn count(b: &dyn Backend) -> u32 {
    let from = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
    b.summaries(None, from, to).unwrap().iter().flat_map(|s| s.summary.cells.iter().map(|c| c.count)).sum()
}

fn suite(b: &dyn Backend) {
    // Units: unique names.
    let u1 = b.add_unit("Unità Brescia").unwrap();
    let u2 = b.add_unit("Unità Milano").unwrap();
    assert!(matches!(b.add_unit("Unità Brescia"), Err(StoreError::Conflict(_))));
    assert_eq!(b.units().unwrap().len(), 2);

    // Enrollment: one-time, expiring.
    let now = Utc::now();
    b.add_enrollment(u1.id, "code-a", now + Duration::hours(24)).unwrap();
    b.add_enrollment(u1.id, "code-old", now - Duration::seconds(1)).unwrap();
    let d1 = b.redeem("code-a", "token-1", now).unwrap().expect("a valid code");
    assert_eq!(d1.unit, u1.id);
    assert!(b.redeem("code-a", "token-x", now).unwrap().is_none(), "used up");
    assert!(b.redeem("code-old", "token-y", now).unwrap().is_none(), "expired");
    assert!(b.redeem("nope", "token-z", now).unwrap().is_none());
    assert_eq!(b.device_by_token("token-1").unwrap().map(|d| d.id), Some(d1.id));
    assert!(b.device_by_token("token-x").unwrap().is_none());

    // Revoking stops the token at once.
    b.add_enrollment(u2.id, "code-b", now + Duration::hours(1)).unwrap();
    let d2 = b.redeem("code-b", "token-2", now).unwrap().unwrap();
    assert!(b.revoke(d2.id, now).unwrap());
    assert!(b.device_by_token("token-2").unwrap().is_none());
    assert!(!b.revoke(Uuid::new_v4(), now).unwrap());
    assert_eq!(b.devices().unwrap().iter().filter(|d| d.revoked_at.is_some()).count(), 1);

    // Coordinators.
    b.add_coordinator("Coordinamento", "coord-hash").unwrap();
    assert!(b.coordinator_by_token("coord-hash").unwrap().is_some());
    assert!(b.coordinator_by_token("token-1").unwrap().is_none());

    // Revisions: higher replaces, equal or lower is ignored, in and across batches.
    let (a, c) = (Uuid::new_v4(), Uuid::new_v4());
    let acks = put(b, &d1, &[summary(a, 1, 3), summary(c, 2, 5)]).unwrap();
    assert_eq!(acks, [AckStatus::Stored, AckStatus::Stored]);
    assert_eq!(count(b), 8);
    let acks = put(b, &d1, &[summary(a, 1, 30), summary(a, 3, 4), summary(a, 2, 40), summary(c, 2, 50)]).unwrap();
    assert_eq!(acks, [AckStatus::Ignored, AckStatus::Stored, AckStatus::Ignored, AckStatus::Ignored]);
    assert_eq!(count(b), 9, "revision 3 of a (4) and revision 2 of c (5)");

    // Tombstones remove a summary from the tables; an older revision cannot bring it back.
    let mut gone = summary(c, 3, 1);
    gone.deleted = true;
    gone.cells.clear();
    assert_eq!(put(b, &d1, &[gone]).unwrap(), [AckStatus::Stored]);
    assert_eq!(put(b, &d1, &[summary(c, 2, 5)]).unwrap(), [AckStatus::Ignored]);
    assert_eq!(count(b), 4);

    // Another unit cannot touch u1's summaries; nothing of its batch is stored.
    let fresh = Uuid::new_v4();
    let e = put(b, &d2, &[summary(fresh, 1, 7), summary(a, 9, 99)]).unwrap_err();
    assert!(matches!(e, StoreError::OtherUnit(id) if id == a), "{e}");
    assert_eq!(count(b), 4);

    // Reading by unit and period.
    put(b, &d2, &[summary(fresh, 1, 7)]).unwrap();
    let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
    assert_eq!(b.summaries(Some(&[u2.id]), day, day).unwrap().len(), 1);
    assert_eq!(b.summaries(Some(&[u1.id]), day, day).unwrap().len(), 1);
    assert!(b.summaries(None, day.succ_opt().unwrap(), day.succ_opt().unwrap()).unwrap().is_empty());
    let all = b.summaries(None, day, day).unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().any(|s| s.unit == u2.id && s.summary.cells[0].count == 7));

    // Persons per device, period, activity and province: higher replaces, equal or lower
    // is ignored, in and across batches.
    let (street, labour) = (Activity::Street, Activity::Labour);
    let acks = put_persons(b, &d1, &[persons(street, 1, 3), persons(labour, 1, 2)]);
    assert_eq!(acks, [AckStatus::Stored, AckStatus::Stored]);
    let acks = put_persons(b, &d1, &[persons(street, 1, 30), persons(street, 2, 4), persons(street, 1, 40)]);
    assert_eq!(acks, [AckStatus::Ignored, AckStatus::Stored, AckStatus::Ignored]);
    assert_eq!(put_persons(b, &d1, &[persons(labour, 1, 20)]), [AckStatus::Ignored]);
    assert_eq!(persons_count(b, Some(u1.id)), 4 + 2);
    // Another phone of the unit keeps its own; the unit's persons are the sum.
    b.add_enrollment(u1.id, "code-c", now + Duration::hours(1)).unwrap();
    let d3 = b.redeem("code-c", "token-3", now).unwrap().unwrap();
    assert_eq!(put_persons(b, &d3, &[persons(street, 1, 5)]), [AckStatus::Stored]);
    assert_eq!(persons_count(b, Some(u1.id)), 4 + 2 + 5);
    assert_eq!(persons_count(b, Some(u2.id)), 0);
    assert_eq!(persons_count(b, None), 11);
    let kept = b.persons(Some(&[u1.id]), persons(street, 1, 1).from, persons(street, 1, 1).to).unwrap();
    assert_eq!(kept.len(), 3);
    assert!(kept.contains(&persons(street, 2, 4)) && kept.contains(&persons(labour, 1, 2)), "{kept:?}");
    // Exactly that period: a day more or less is another period.
    let p = persons(street, 1, 1);
    assert!(b.persons(None, p.from, p.to.succ_opt().unwrap()).unwrap().is_empty());
    assert!(b.persons(None, p.from.succ_opt().unwrap(), p.to).unwrap().is_empty());
    // All taken back: no cells, still the latest revision.
    let mut none = persons(labour, 2, 1);
    none.cells.clear();
    assert_eq!(put_persons(b, &d1, &[none]), [AckStatus::Stored]);
    assert_eq!(persons_count(b, Some(u1.id)), 4 + 5);

    // A batch is atomic: persons sent with another unit's summary are not stored.
    let batch = Batch { summaries: vec![summary(a, 10, 1)], persons: vec![persons(street, 9, 99)] };
    assert!(matches!(b.store(&d2, &batch, now), Err(StoreError::OtherUnit(_))));
    assert_eq!(persons_count(b, None), 9);
    // Summaries and persons together: both acknowledged.
    let batch = Batch { summaries: vec![summary(a, 10, 1)], persons: vec![persons(street, 3, 6)] };
    let st = b.store(&d1, &batch, now).unwrap();
    assert_eq!((st.summaries, st.persons), (vec![AckStatus::Stored], vec![AckStatus::Stored]));
    assert_eq!(persons_count(b, None), 6 + 5);

    // Named periods: unique names, oldest first.
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert!(b.periods().unwrap().is_empty());
    b.add_period("Bando 2024-2025", date(2024, 3, 1), date(2025, 6, 30)).unwrap();
    let p = b.add_period("Bando 2022-2024", date(2022, 10, 1), date(2024, 2, 29)).unwrap();
    assert_eq!((p.name.as_str(), p.from, p.to), ("Bando 2022-2024", date(2022, 10, 1), date(2024, 2, 29)));
    let e = b.add_period("Bando 2022-2024", date(2020, 1, 1), date(2020, 2, 1)).unwrap_err();
    assert!(matches!(&e, StoreError::Conflict(m) if m.contains("Bando 2022-2024")), "{e}");
    let names: Vec<String> = b.periods().unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["Bando 2022-2024", "Bando 2024-2025"]);

    console_suite(b, &d1, u1.id, u2.id);
}

/// The console's store (one SQL for both backends): accounts, links, sessions, tokens,
/// projects, reviews, closings, targets, freshness and the append-only audit trail.
fn console_suite(b: &dyn Backend, d1: &Device, u1: Uuid, u2: Uuid) {
    use lanterna::wire::{ReturnReason, ReviewState};
    use lanterna_server::store::console::{Closed, SERVER_ADMIN, Scope, ShiftFilter, ShiftState, Target};
    let now = Utc::now();
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();

    // Accounts: unique names among those not revoked; a link works once and sets the password.
    let project = b.add_project("Bando", SERVER_ADMIN).unwrap();
    let units = b.units().unwrap();
    b.add_project_unit(&project, units.iter().find(|u| u.id == u1).unwrap(), SERVER_ADMIN).unwrap();
    b.add_project_unit(&project, units.iter().find(|u| u.id == u1).unwrap(), SERVER_ADMIN).unwrap();
    assert_eq!(b.units_of(Scope::Project(project.id)).unwrap(), Some(vec![u1]));
    assert_eq!(b.units_of(Scope::All).unwrap(), None);
    let c = b.add_account("Dora", Scope::Project(project.id), SERVER_ADMIN).unwrap();
    assert!(matches!(b.add_account("Dora", Scope::All, SERVER_ADMIN), Err(StoreError::Conflict(_))));
    b.add_sign_in_link(&c, "link-1", now + Duration::hours(24), "invite", SERVER_ADMIN).unwrap();
    b.add_sign_in_link(&c, "link-old", now - Duration::seconds(1), "invite", SERVER_ADMIN).unwrap();
    assert!(b.link_holder("link-old", now).unwrap().is_none(), "expired");
    assert_eq!(b.link_holder("link-1", now).unwrap().map(|c| c.name), Some("Dora".into()));
    assert!(b.password_of("Dora").unwrap().is_none(), "no password before the link");
    assert!(b.use_link("link-1", "$argon2id$hash", now).unwrap().is_some());
    assert!(b.use_link("link-1", "$argon2id$other", now).unwrap().is_none(), "used up");
    assert_eq!(b.password_of("Dora").unwrap().unwrap().1, "$argon2id$hash");

    // Sessions and API tokens end with the account.
    b.add_session("session-1", c.id, "csrf-1", now).unwrap();
    assert_eq!(b.session("session-1").unwrap().unwrap().csrf, "csrf-1");
    let t = b.add_api_token(&c, "api-1", SERVER_ADMIN).unwrap();
    assert_eq!(b.coordinator_by_token("api-1").unwrap().unwrap().scope, Scope::Project(project.id));
    assert_eq!(b.api_tokens(c.id).unwrap().len(), 1);
    assert!(b.revoke_api_token(t, SERVER_ADMIN).unwrap() && !b.revoke_api_token(t, SERVER_ADMIN).unwrap());
    assert!(b.coordinator_by_token("api-1").unwrap().is_none());
    b.add_api_token(&c, "api-2", SERVER_ADMIN).unwrap();
    assert!(b.revoke_coordinator(c.id, SERVER_ADMIN).unwrap());
    assert!(b.session("session-1").unwrap().is_none() && b.coordinator_by_token("api-2").unwrap().is_none());
    let eva = b.add_account("Dora", Scope::Unit(u1), SERVER_ADMIN).unwrap();

    // Shifts of a unit, newest first, with their state; reviews of the current revision.
    let s1 = Uuid::new_v4();
    let batch = |id, rev, day| Batch { summaries: vec![common::street_summary(id, rev, day, 2)], persons: vec![] };
    b.store(d1, &batch(s1, 1, date(2025, 3, 4)), now).unwrap();
    let mine = ShiftFilter { units: Some(vec![u1]), limit: 10, ..ShiftFilter::default() };
    let list = b.shifts(&mine).unwrap();
    assert_eq!(list[0].stored.summary.id, s1, "newest first");
    assert!(list.iter().all(|s| s.stored.unit == u1));
    assert_eq!(list[0].device, Some(d1.id));
    assert!(
        b.shifts(&ShiftFilter { units: Some(vec![u2]), unit: None, ..mine.clone() })
            .unwrap()
            .iter()
            .all(|s| s.stored.unit == u2)
    );
    b.review(s1, 1, ReviewState::Returned, Some(ReturnReason::Date), &eva).unwrap();
    assert!(matches!(b.review(s1, 7, ReviewState::Approved, None, &eva), Err(StoreError::Conflict(_))));
    let returned = ShiftFilter { state: Some(ShiftState::Returned), ..mine.clone() };
    assert_eq!(b.shifts(&returned).unwrap().len(), 1);
    let f = b.feedback(u1).unwrap();
    assert_eq!((f.reviews.len(), f.reviews[0].reason), (1, Some(ReturnReason::Date)));
    assert!(b.feedback(u2).unwrap().reviews.is_empty());
    b.store(d1, &batch(s1, 2, date(2025, 3, 5)), now).unwrap();
    assert_eq!(b.shift(s1, Some(&[u1])).unwrap().unwrap().state, ShiftState::ToReview);
    assert!(b.shift(s1, Some(&[u2])).unwrap().is_none(), "outside the scope");
    let dated = ShiftFilter { from: Some(date(2025, 3, 5)), to: Some(date(2025, 3, 5)), ..mine.clone() };
    assert_eq!(b.shifts(&dated).unwrap().len(), 1);
    assert_eq!(b.reviews(s1).unwrap().len(), 1);
    assert!(
        b.freshness(Some(&[u1]))
            .unwrap()
            .iter()
            .any(|f| f.device == d1.id && f.last_sync.is_some() && f.to_review >= 1)
    );

    // A closed period refuses revisions and new outings in it, whole; reopening lets them in.
    let closing = b
        .close_period(Closed::Project(project.id), date(2025, 3, 1), date(2025, 3, 31), "Dora", "project Bando")
        .unwrap();
    let e = b.store(d1, &batch(s1, 3, date(2025, 3, 5)), now).unwrap_err();
    assert!(matches!(&e, StoreError::Closed { summaries, .. } if summaries == &vec![s1]), "{e}");
    let moved_out = b.store(d1, &batch(s1, 3, date(2025, 4, 2)), now).unwrap_err();
    assert!(matches!(moved_out, StoreError::Closed { .. }), "moving out of a closed period changes it");
    assert!(b.store(d1, &batch(s1, 2, date(2025, 3, 5)), now).is_ok(), "a revision already stored changes nothing");
    assert_eq!(b.feedback(u1).unwrap().closed.len(), 1);
    assert!(b.feedback(u2).unwrap().closed.is_empty());
    assert!(
        b.reopen_period(closing.id, "Dora", "2025-03").unwrap() && !b.reopen_period(closing.id, "Dora", "x").unwrap()
    );
    b.store(d1, &batch(s1, 3, date(2025, 3, 5)), now).unwrap();

    // Targets replace their value.
    let t = Target {
        project: project.id,
        from: date(2025, 1, 1),
        to: date(2025, 12, 31),
        indicator: "contacts".into(),
        stage: "final".into(),
        value: 100,
    };
    b.set_target(&t, "Dora", "Bando").unwrap();
    b.set_target(&Target { value: 120, ..t.clone() }, "Dora", "Bando").unwrap();
    assert_eq!(b.targets(project.id).unwrap().iter().map(|t| t.value).collect::<Vec<_>>(), [120]);

    // The audit trail has it all, newest first, and refuses to be changed.
    let log = b.audit_log(100, 0).unwrap();
    assert!(log.windows(2).all(|w| w[0].seq > w[1].seq));
    for a in [
        "project.add",
        "project.unit",
        "coordinator.add",
        "coordinator.password",
        "coordinator.revoke",
        "review.return",
        "period.close",
        "period.reopen",
        "target.set",
    ] {
        assert!(log.iter().any(|e| e.action == a), "{a}");
    }
    let tamper = b.with_tx(true, &mut |tx| tx.exec("UPDATE audit SET actor = $1", &["x".into()]).map(|_| ()));
    assert!(tamper.is_err(), "append-only");
    let tamper = b.with_tx(true, &mut |tx| tx.exec("DELETE FROM audit", &[]).map(|_| ()));
    assert!(tamper.is_err(), "append-only");
    assert_eq!(b.audit_log(1000, 0).unwrap().len(), log.len());
}

#[test]
fn the_store_suite_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    suite(&Sqlite::open(&path).unwrap());
    // Reopening keeps everything and does not migrate twice.
    let again = Sqlite::open(&path).unwrap();
    assert_eq!(again.units().unwrap().len(), 2);
    assert_eq!(again.periods().unwrap().len(), 2);
    assert_eq!(persons_count(&again, None), 11);
}

#[test]
fn the_store_suite_on_postgres() {
    let Some(pg) = common::pg::Pg::start() else { return };
    let url = pg.database("suite");
    suite(&Postgres::connect(&url).unwrap());
    let again = Postgres::connect(&url).unwrap();
    assert_eq!(again.units().unwrap().len(), 2);
    assert_eq!(again.periods().unwrap().len(), 2);
    assert_eq!(persons_count(&again, None), 11);
}
