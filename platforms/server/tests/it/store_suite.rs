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
