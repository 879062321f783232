//! End to end: the server in-process on 127.0.0.1:0, the app's real client. Enroll, sync,
//! and the server's tables equal the phone's for the same period; edits after a sync,
//! deletions and re-sends keep them equal.

use crate::common::{self, Phone, TestServer, assert_same_tables, fill};
use lanterna::app::Error;
use lanterna::app::sync::{enroll, sync_all};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_syncs_and_the_server_prints_the_same_tables() {
    let server = TestServer::start().await;
    let phone = Phone::new();
    let outings = phone.with(|s| fill(s, 12, 0));

    // Not enrolled: a clear error, nothing sent.
    let e = sync_all(&phone.store, |_, _| {}).await.unwrap_err();
    assert!(matches!(e, Error::NotEnrolled), "{e}");
    // A wrong code is refused.
    let e = enroll(&phone.store, &server.url(), "AAAA-BBBB-CCCC-DDDD").await.unwrap_err();
    assert!(e.to_string().contains("enrollment code"), "{e}");

    enroll(&phone.store, &server.url(), &server.code(server.unit)).await.unwrap();
    let pending = phone.with(|s| s.pending_count()).unwrap();
    assert_eq!(pending, 13, "12 outings and 1 session");
    let mut progress = Vec::new();
    let r = sync_all(&phone.store, |sent, total| progress.push((sent, total))).await.unwrap();
    assert_eq!((r.stored, r.ignored), (13, 0));
    assert_eq!(progress.last(), Some(&(13, 13)));
    assert_eq!(phone.with(|s| s.pending_count()).unwrap(), 0);
    assert_same_tables(&server, &phone, Some(server.unit));
    assert_same_tables(&server, &phone, None);
    let status = phone.with(|s| s.sync_status()).unwrap();
    assert!(status.last_success.is_some() && status.last_error.is_none());

    // Nothing pending: a second sync sends nothing.
    let r = sync_all(&phone.store, |_, _| {}).await.unwrap();
    assert_eq!((r.stored, r.ignored), (0, 0));

    // An edit after the sync bumps the revision and re-sends; the server follows.
    let first = outings[0];
    phone.with(|s| {
        s.reopen_outing(first).unwrap();
        let stop = s.stops(first).unwrap()[0].id;
        let d = lanterna::domain::ContactData::new(
            lanterna::domain::Gender::F,
            lanterna::domain::Nationality::parse("UA").unwrap(),
        );
        s.record_contacts(stop, &d, 4).unwrap();
        s.close_outing(first, chrono::Utc::now()).unwrap();
    });
    assert_eq!(phone.with(|s| s.pending_count()).unwrap(), 1);
    let r = sync_all(&phone.store, |_, _| {}).await.unwrap();
    assert_eq!(r.stored, 1);
    assert_same_tables(&server, &phone, Some(server.unit));

    // A deleted outing is sent as a tombstone; the server drops it.
    phone.with(|s| s.delete(outings[1])).unwrap();
    sync_all(&phone.store, |_, _| {}).await.unwrap();
    assert_eq!(server.stored(), 12);
    assert_same_tables(&server, &phone, Some(server.unit));

    // Re-sending everything is harmless: acknowledged as ignored, tables unchanged.
    // Behind the app's back: a second connection forgets what the server acknowledged.
    lanterna::store::Store::open_existing(&phone.db_path(), common::KEY)
        .unwrap()
        .connection()
        .execute_batch("UPDATE outings SET synced_revision = 0; UPDATE indoor_sessions SET synced_revision = 0;")
        .unwrap();
    let all = phone.with(|s| s.pending_count().unwrap());
    assert_eq!(all, 12);
    let r = sync_all(&phone.store, |_, _| {}).await.unwrap();
    assert_eq!((r.stored, r.ignored), (0, 12));
    assert_same_tables(&server, &phone, Some(server.unit));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_units_add_up_and_small_cells_are_hidden_across_units() {
    let server = TestServer::start().await;
    let other = server.backend.add_unit("Unità Milano").unwrap().id;
    let (a, b) = (Phone::new(), Phone::new());
    a.with(|s| fill(s, 5, 1));
    b.with(|s| fill(s, 7, 2));
    enroll(&a.store, &server.url(), &server.code(server.unit)).await.unwrap();
    enroll(&b.store, &server.url(), &server.code(other)).await.unwrap();
    sync_all(&a.store, |_, _| {}).await.unwrap();
    sync_all(&b.store, |_, _| {}).await.unwrap();
    assert_same_tables(&server, &a, Some(server.unit));
    assert_same_tables(&server, &b, Some(other));

    // Across units: the grand totals are the two phones' sums.
    let kind = lanterna_server::report::Kind::Street;
    let all = server.report(kind, None);
    let (ra, rb) = (a.report(lanterna::report::Table::Street), b.report(lanterna::report::Table::Street));
    assert_eq!(
        all["synthesis"]["grand_total"].as_u64().unwrap(),
        ra["synthesis"]["grand_total"].as_u64().unwrap() + rb["synthesis"]["grand_total"].as_u64().unwrap()
    );
    // Published with k = 3 (over a whole period, here a named one), cells of 1 and 2
    // read "<3" and no row has a single hidden cell.
    server.backend.add_period("Tutto", common::FROM(), common::TO()).unwrap();
    let q = lanterna_server::report::Query {
        published: Some(3),
        ..lanterna_server::report::Query::new(kind, common::period())
    };
    let text = lanterna_server::report::render(server.backend.as_ref(), &q, lanterna::report::Format::Json).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    // A lone hidden cell in a row or column (whose total is printed) could be worked out,
    // unless no other non-zero cell was there to hide with it.
    let lone = |cells: &[&serde_json::Value]| {
        let hidden = cells.iter().filter(|c| c.as_str() == Some("<3")).count();
        let partners = cells.iter().filter(|c| c.as_u64().is_some_and(|n| n > 0)).count();
        hidden == 1 && partners > 0
    };
    let mut small = 0;
    for t in v["tables"].as_array().unwrap() {
        let rows: Vec<Vec<&serde_json::Value>> = t["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| ["day", "night"].iter().flat_map(|s| ["M", "F", "T"].map(|g| &row[s][g])).collect())
            .collect();
        for cells in &rows {
            small += cells.iter().filter(|c| c.as_str() == Some("<3")).count();
            assert!(!lone(cells), "{cells:?}");
            assert!(cells.iter().all(|c| c.as_u64().is_none_or(|n| n == 0 || n >= 3)), "{cells:?}");
        }
        for col in 0..6 {
            let cells: Vec<&serde_json::Value> = rows.iter().map(|r| r[col]).collect();
            assert!(!lone(&cells), "column {col}: {cells:?}");
            // A hidden cell with no partner in its column: that column's total is withheld,
            // or the total would give it back.
            if cells.iter().filter(|c| c.as_str() == Some("<3")).count() == 1 {
                let (shift, g) = (["day", "night"][col / 3], ["M", "F", "T"][col % 3]);
                assert_eq!(t["total"][shift][g], "<3", "column {col}: {t}");
            }
        }
    }
    assert!(small > 0, "the data has small cells to hide");
    // One unit's own table is not suppressed.
    let one = server.report(kind, Some(server.unit)).to_string();
    assert!(!one.contains("<3"));
}
