//! The same store suite against every backend: SQLite always, PostgreSQL when Debian's
//! server is installed (the test command installs it and requires it).

use crate::common;
use chrono::{Duration, NaiveDate, Utc};
use lanterna::domain::{Activity, Gender, Measure, Nationality, Province, Shift};
use lanterna::wire::{AckStatus, Cell, Summary};
use lanterna_server::store::{Backend, Postgres, Sqlite, StoreError};
use uuid::Uuid;

fn summary(id: Uuid, revision: u32, n: u32) -> Summary {
    Summary {
        id,
        revision,
        deleted: false,
        activity: Activity::Street,
        date: NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
        shift: Shift::Night,
        province: Province::parse("BS").unwrap(),
        comuni: vec![],
        cells: vec![Cell {
            province: None,
            nationality: Nationality::parse("RO").unwrap(),
            gender: Gender::F,
            measure: Measure::Contacts,
            count: n,
        }],
    }
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
    assert!(b.is_coordinator("coord-hash").unwrap() && !b.is_coordinator("token-1").unwrap());

    // Revisions: higher replaces, equal or lower is ignored, in and across batches.
    let (a, c) = (Uuid::new_v4(), Uuid::new_v4());
    let acks = b.store(u1.id, &[summary(a, 1, 3), summary(c, 2, 5)], now).unwrap();
    assert_eq!(acks, [AckStatus::Stored, AckStatus::Stored]);
    assert_eq!(count(b), 8);
    let acks =
        b.store(u1.id, &[summary(a, 1, 30), summary(a, 3, 4), summary(a, 2, 40), summary(c, 2, 50)], now).unwrap();
    assert_eq!(acks, [AckStatus::Ignored, AckStatus::Stored, AckStatus::Ignored, AckStatus::Ignored]);
    assert_eq!(count(b), 9, "revision 3 of a (4) and revision 2 of c (5)");

    // Tombstones remove a summary from the tables; an older revision cannot bring it back.
    let mut gone = summary(c, 3, 1);
    gone.deleted = true;
    gone.cells.clear();
    assert_eq!(b.store(u1.id, &[gone], now).unwrap(), [AckStatus::Stored]);
    assert_eq!(b.store(u1.id, &[summary(c, 2, 5)], now).unwrap(), [AckStatus::Ignored]);
    assert_eq!(count(b), 4);

    // Another unit cannot touch u1's summaries; nothing of its batch is stored.
    let fresh = Uuid::new_v4();
    let e = b.store(u2.id, &[summary(fresh, 1, 7), summary(a, 9, 99)], now).unwrap_err();
    assert!(matches!(e, StoreError::OtherUnit(id) if id == a), "{e}");
    assert_eq!(count(b), 4);

    // Reading by unit and period.
    b.store(u2.id, &[summary(fresh, 1, 7)], now).unwrap();
    let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
    assert_eq!(b.summaries(Some(u2.id), day, day).unwrap().len(), 1);
    assert_eq!(b.summaries(Some(u1.id), day, day).unwrap().len(), 1);
    assert!(b.summaries(None, day.succ_opt().unwrap(), day.succ_opt().unwrap()).unwrap().is_empty());
    let all = b.summaries(None, day, day).unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().any(|s| s.unit == u2.id && s.summary.cells[0].count == 7));
}

#[test]
fn the_store_suite_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    suite(&Sqlite::open(&path).unwrap());
    // Reopening keeps everything and does not migrate twice.
    let again = Sqlite::open(&path).unwrap();
    assert_eq!(again.units().unwrap().len(), 2);
}

#[test]
fn the_store_suite_on_postgres() {
    let Some(pg) = common::pg::Pg::start() else { return };
    let url = pg.database("suite");
    suite(&Postgres::connect(&url).unwrap());
    let again = Postgres::connect(&url).unwrap();
    assert_eq!(again.units().unwrap().len(), 2);
}
