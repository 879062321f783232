//! The coordinators' console in a real browser, end to end: the server in-process, a phone
//! through the app layer and its real client, and headless Chromium (playwright-core,
//! tests/e2e/console.mjs) in stages, the phone syncing between them. A coordinator signs in
//! from her one-time link and returns an outing; the phone learns it and its home screen
//! says "restituita: provincia errata"; the unit corrects it, she approves the correction
//! and closes the month; a later edit is refused (409) and stays on the phone. Screenshots
//! of every console page at 1280 and 360 px land in tests/e2e/screenshots.
//!
//! `tests/run.sh` installs Chromium, node and the npm package; without them this test
//! fails and says what is missing (`LANTERNA_SKIP_BROWSER=1` skips it on purpose).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, TimeZone, Utc};
use dioxus::prelude::VirtualDom;
use lanterna::app::sync::{enroll, sync_all};
use lanterna::app::{Lanterna, NewOuting, ReviewMark};
use lanterna::domain::{
    Activity, Comune, ContactData, EventKind, Gender, ItemKey, ItemKind, Nationality, Place, ServiceKind, Shift,
};
use lanterna::report::Table;
use lanterna::ui::{App, Vault};
use lanterna::wire::ReturnReason;
use lanterna_server::store::console::{SERVER_ADMIN, Scope};
use serde_json::json;
use uuid::Uuid;

use crate::common::{KEY, Phone, TestServer, invite};
use crate::minidom::Screen;

/// The longest one browser stage may take.
const STAGE_LIMIT: StdDuration = StdDuration::from_secs(45);

fn e2e_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e")
}

/// Whether the browser can run; panics with what is missing unless skipped on purpose.
fn browser_ready() -> bool {
    if std::env::var_os("LANTERNA_SKIP_BROWSER").is_some() {
        eprintln!("LANTERNA_SKIP_BROWSER is set: console browser test skipped");
        return false;
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(Path::new(&chromium).exists(), "{chromium} is missing: run tests/run.sh (it installs chromium)");
    let node = Command::new("node").arg("--version").output();
    assert!(node.is_ok_and(|o| o.status.success()), "node is missing: run tests/run.sh (it installs nodejs and npm)");
    assert!(
        e2e_dir().join("node_modules/playwright-core").exists(),
        "tests/e2e/node_modules is missing: run `npm ci --prefix tests/e2e` (tests/run.sh does)"
    );
    true
}

/// Runs one stage of tests/e2e/console.mjs; panics with its output when it fails or
/// outlives [`STAGE_LIMIT`].
async fn stage(name: &'static str, base: String, dir: PathBuf, params: serde_json::Value) {
    let done = tokio::task::spawn_blocking(move || {
        let (out, err) = (dir.join(format!("{name}.out")), dir.join(format!("{name}.err")));
        let mut child = Command::new("node")
            .arg(e2e_dir().join("console.mjs"))
            .args([name, &base])
            .arg(&dir)
            .arg(params.to_string())
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).expect("a log file"))
            .stderr(std::fs::File::create(&err).expect("a log file"))
            .spawn()
            .expect("node runs (tests/run.sh installs nodejs)");
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("the node process") {
                break Some(status);
            }
            if started.elapsed() > STAGE_LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(StdDuration::from_millis(50));
        };
        let text = format!(
            "{}{}",
            std::fs::read_to_string(&out).unwrap_or_default(),
            std::fs::read_to_string(&err).unwrap_or_default()
        );
        (status, text)
    })
    .await
    .expect("the stage's thread");
    match done {
        (Some(status), text) => {
            assert!(status.success(), "console.mjs {name} failed (screenshots in tests/e2e/screenshots):\n{text}")
        }
        (None, text) => panic!("console.mjs {name} took more than {STAGE_LIMIT:?}:\n{text}"),
    }
}

/// A closed street outing dated in May 2024, in `comune`, with `n` people met (items and
/// referrals on some): its id.
fn may_outing(app: &mut Lanterna, day: u32, comune: &str, n: usize) -> Uuid {
    let started = Utc.with_ymd_and_hms(2024, 5, day, 21, 0, 0).single().expect("a date");
    let new = NewOuting {
        activity: Activity::Street,
        started_at: started,
        shift: Some(Shift::Night),
        team_size: Some(2),
        mediator: false,
        mediator_language: None,
        legal_operator: false,
        mapping: false,
    };
    let outing = app.start_outing(&new).unwrap().value;
    let place = Place::comune(Comune::parse(comune).unwrap());
    let stop = app.add_stop(outing.id, place, Some("Via Milano")).unwrap().value;
    let nats = ["RO", "NG", "AL", "BR", "CN"];
    for j in 0..n {
        let mut d = ContactData::new(
            [Gender::F, Gender::T, Gender::M][j % 3],
            Nationality::parse(nats[j % nats.len()]).unwrap(),
        );
        if j % 2 == 0 {
            d.items.set(ItemKey::plain(ItemKind::Condoms), 5);
            d.services.set_count(EventKind::Referral, Some(ServiceKind::Health), 1);
        }
        app.record_contacts(stop.id, &d, 1 + (j % 2) as u32).unwrap();
    }
    app.close_outing(outing.id, started + Duration::hours(3)).unwrap();
    outing.id
}

/// Reopens an outing, adds `n` Ukrainian women at its first stop and closes it again.
fn edit(app: &mut Lanterna, id: Uuid, n: u32) {
    app.reopen_outing(id).unwrap();
    let stop = app.stops(id).unwrap()[0].id;
    app.record_contacts(stop, &ContactData::new(Gender::F, Nationality::parse("UA").unwrap()), n).unwrap();
    app.close_outing(id, Utc::now()).unwrap();
}

fn mark(phone: &Phone, id: Uuid) -> Option<ReviewMark> {
    phone.with(|a| a.review_marks().unwrap().get(&id).copied())
}

fn grand_total(v: &serde_json::Value) -> u64 {
    v["synthesis"]["grand_total"].as_u64().unwrap_or_else(|| panic!("a grand total in {v}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_reviews_and_closes_in_the_browser_and_the_phone_follows() {
    if !browser_ready() {
        return;
    }
    let started = Instant::now();
    let server = TestServer::start().await;
    let b = server.backend.clone();
    let unit = b.add_unit("Unità Brescia").unwrap();
    let project = b.add_project("Bando 2024-2025", SERVER_ADMIN).unwrap();
    b.add_project_unit(&project, &unit, SERVER_ADMIN).unwrap();
    let link = invite(b.as_ref(), "Anna Rossi", Scope::Unit(unit.id));
    let project_link = invite(b.as_ref(), "Marco Bianchi", Scope::Project(project.id));

    // The unit's phone: four outings in May 2024, synced with the real client.
    let phone = Phone::new();
    let ids = phone.with(|a| {
        [(3, "017029", 6), (10, "017029", 4), (17, "016024", 5), (24, "015146", 3)]
            .map(|(day, comune, n)| may_outing(a, day, comune, n))
    });
    let shift = ids[0];
    enroll(&phone.store, &server.url(), &server.code(unit.id)).await.unwrap();
    let r = sync_all(&phone.store, |_, _| {}).await.unwrap();
    assert_eq!((r.stored, r.closed), (4, 0), "{r:?}");

    // Screenshots of an earlier run do not count.
    let shots = e2e_dir().join("screenshots");
    for entry in std::fs::read_dir(&shots).into_iter().flatten().flatten() {
        if entry.file_name().to_string_lossy().starts_with("console-") {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let base = server.url();
    let path = dir.path().to_path_buf();

    // a. Signs in from the link, finds the outing on Turni, returns it: wrong province.
    stage("review", base.clone(), path.clone(), json!({ "link": link, "shift": shift, "outings": 4 })).await;

    // b. The phone learns it at its next sync, and its home screen says it.
    let r = sync_all(&phone.store, |_, _| {}).await.unwrap();
    assert_eq!(r.returned, 1, "{r:?}");
    assert_eq!(mark(&phone, shift), Some(ReviewMark::Returned(Some(ReturnReason::Province))));
    assert_eq!(ids[1..].iter().filter_map(|id| mark(&phone, *id)).count(), 0, "the others are not reviewed");
    {
        let vault = Vault::new(phone.db_path());
        let mut s = Screen::new(VirtualDom::new(App).with_root_context(vault.clone()));
        s.input("#pin", KEY);
        s.click("#unlock");
        assert!(s.dom.exists("#start-night"), "{}", s.html());
        assert_eq!(s.dom.text(".review[data-review=returned]"), "restituita: provincia errata", "{}", s.html());
        assert_eq!(s.dom.all(".review").len(), 1, "{}", s.html());
    }

    // c. The unit corrects it; the correction goes at the next sync.
    phone.with(|a| edit(a, shift, 2));
    assert_eq!(mark(&phone, shift), Some(ReviewMark::Corrected));
    let r = sync_all(&phone.store, |_, _| {}).await.unwrap();
    assert_eq!((r.stored, r.closed, r.returned), (1, 0, 0), "{r:?}");
    assert_eq!(mark(&phone, shift), None, "sent: waits for a new review");
    let stored = |id| b.shift(id, None).unwrap().expect("the shift").stored.summary.revision;
    assert_eq!(stored(shift), 2);
    // In the browser: "da rivedere" again; approved; May closed for the unit.
    let unit_id = unit.id;
    stage("approve", base.clone(), path.clone(), json!({ "shift": shift, "unit": unit_id, "revision": 2 })).await;

    // d. A later edit is refused whole (409): it stays pending on the phone, nothing lost.
    phone.with(|a| edit(a, shift, 3));
    let r = sync_all(&phone.store, |_, _| {}).await.unwrap();
    assert_eq!((r.stored, r.closed), (0, 1), "{r:?}");
    assert_eq!(phone.with(|a| a.pending_count()).unwrap(), 1);
    assert_eq!(mark(&phone, shift), Some(ReviewMark::Closed));
    assert_eq!(stored(shift), 2, "the server kept the approved revision");
    assert_eq!(phone.with(|a| a.outing(shift)).unwrap().revision, 3);
    let mine = grand_total(&phone.report(Table::Street));
    let theirs = grand_total(&server.report(lanterna_server::report::Kind::Street, Some(unit.id)));
    assert_eq!(mine, theirs + 3, "the phone's own report keeps the refused edit");
    let actions: Vec<String> = b.audit_log(100, 0).unwrap().into_iter().map(|e| e.action).collect();
    for action in ["review.return", "review.approve", "period.close"] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }

    // e. The browser: the shift page still shows revision 2 approved, the audit trail lists
    // the return, approval and closing; then screenshots of every page.
    let params = json!({ "shift": shift, "revision": 2, "project_link": project_link, "outings": 4 });
    stage("after", base, path, params).await;
    for page in [
        "sign-in",
        "link",
        "shifts",
        "shift",
        "units",
        "periods",
        "reports",
        "targets",
        "targets-unit",
        "reports-services",
        "charts",
        "audit",
        "account",
        "reports-en",
    ] {
        for width in [1280, 360] {
            let file = shots.join(format!("console-{page}-{width}.png"));
            assert!(file.exists(), "{} was not taken", file.display());
        }
    }
    let took = started.elapsed();
    eprintln!("console end to end: {took:?}");
    assert!(took < StdDuration::from_secs(60), "the browser scenario took {took:?}");
}
