//! Real-browser end-to-end tests: the liveview app on a fresh data directory, driven by
//! headless Chromium (playwright-core, scripts in tests/e2e), then checked with the
//! command line on the same database.
//!
//! `tests/run.sh` installs Chromium and the npm package; without them these tests fail and
//! say what is missing (set `LANTERNA_SKIP_BROWSER=1` to skip them on purpose).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::common::{KEY, lanterna_ok, temp_db};
use lanterna::domain::ItemKind;
use serde_json::Value;

/// The app serving a database on a free port; killed on drop.
struct App {
    child: Child,
    url: String,
}

impl App {
    fn start(db: &Path) -> App {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lanterna"))
            .args(["--port", "0", "--db"])
            .arg(db)
            .env_remove("LANTERNA_KEY")
            .env_remove("LANTERNA_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the lanterna binary starts");
        // The link, with this launch's secret, is a line of its own.
        let mut printed = Vec::new();
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let url = loop {
            let mut line = String::new();
            if stdout.read_line(&mut line).expect("a line") == 0 {
                panic!("the app exited without printing its link: {printed:?}");
            }
            let line = line.trim();
            if line.starts_with("http://127.0.0.1:") && line.contains("/?t=") {
                break line.to_owned();
            }
            printed.push(line.to_owned());
        };
        App { child, url }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn e2e_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e")
}

/// Whether the browser tests can run; panics with what is missing unless skipped on purpose.
fn browser_ready() -> bool {
    if std::env::var_os("LANTERNA_SKIP_BROWSER").is_some() {
        eprintln!("LANTERNA_SKIP_BROWSER is set: browser test skipped");
        return false;
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(Path::new(&chromium).exists(), "{chromium} is missing: run tests/run.sh (it installs chromium)");
    assert!(
        e2e_dir().join("node_modules/playwright-core").exists(),
        "tests/e2e/node_modules is missing: run `npm ci --prefix tests/e2e` (tests/run.sh does)"
    );
    true
}

/// Runs one scenario script against the app; panics with its output when it fails.
fn run_script(script: &str, url: &str) {
    let out = Command::new("node")
        .arg(e2e_dir().join(script))
        .args([url, KEY])
        .output()
        .expect("node runs (tests/run.sh installs nodejs)");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{script} failed (screenshots in tests/e2e/screenshots):\n{text}");
}

/// Runs one scenario script against the app on a fresh database, then stops the app: the
/// database to check, or `None` when the browser tests are skipped on purpose.
fn after_script(script: &str) -> Option<(tempfile::TempDir, PathBuf)> {
    if !browser_ready() {
        return None;
    }
    let (dir, db) = temp_db();
    let app = App::start(&db);
    run_script(script, &app.url);
    drop(app);
    Some((dir, db))
}

fn report(db: &Path, kind: &str) -> Value {
    report_with(db, kind, &[])
}

/// A report of every date, as JSON, with further options.
fn report_with(db: &Path, kind: &str, options: &[&str]) -> Value {
    let mut args = vec!["report", kind, "--from", "2000-01-01", "--to", "2100-12-31", "--format", "json"];
    args.extend_from_slice(options);
    serde_json::from_str(&lanterna_ok(db, &args)).expect("report JSON")
}

fn mft(v: &Value) -> [u64; 3] {
    ["M", "F", "T"].map(|g| v[g].as_u64().expect("a count"))
}

#[test]
fn a_night_street_outing_in_the_browser_is_the_report() {
    let Some((_dir, db)) = after_script("street.mjs") else {
        return;
    };

    let street = report(&db, "street");
    let tables = street["tables"].as_array().expect("tables");
    assert_eq!(tables.len(), 1, "one province: {street}");
    let bs = &tables[0];
    assert_eq!(bs["province"], "BS");
    let rows: Vec<(String, [u64; 3], [u64; 3])> = bs["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| (r["nationality"].as_str().unwrap().to_owned(), mft(&r["day"]), mft(&r["night"])))
        .collect();
    let expected = [
        ("AL", [0, 0, 0], [1, 1, 0]),
        ("BR", [0, 0, 0], [1, 0, 2]),
        ("NG", [0, 0, 0], [0, 4, 0]),
        ("RO", [0, 0, 0], [0, 3, 0]),
    ];
    assert_eq!(rows, expected.map(|(n, d, x)| (n.to_owned(), d, x)).to_vec(), "{street}");
    assert_eq!(mft(&bs["total"]["night"]), [2, 8, 2]);
    assert_eq!(bs["grand_total"], 12);

    // Items: the default kit for everyone, edited on two people.
    let items = report(&db, "items");
    let text = items.to_string();
    assert!(text.contains("condoms"), "{text}");
    let kind = |k: &str| {
        items["tables"][0]["rows"]
            .as_array()
            .expect("item rows")
            .iter()
            .find(|r| r["item"] == k)
            .unwrap_or_else(|| panic!("{k} in {items}"))["night"]
            .as_u64()
            .unwrap()
    };
    let kit = lanterna::domain::settings::Settings::default().kits.street.0;
    let per_kit = |k: ItemKind| kit.iter().filter(|(key, _)| key.kind == k).map(|(_, n)| u64::from(n)).sum::<u64>();
    assert_eq!(kind("condoms"), 11 * per_kit(ItemKind::Condoms) + 5, "11 default kits and one edited to 5");
    assert_eq!(kind("leaflets"), 11 * per_kit(ItemKind::Leaflets) + 2, "11 default kits and one edited to 2");

    // Services: a health referral (F, Romania) and a legal one (T, Brazil).
    let services = report(&db, "services");
    let table = &services["tables"][0];
    let cell = |nat: &str, group: &str, kind: &str| {
        table["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["nationality"] == nat)
            .map(|r| mft(&r[group][kind]))
            .unwrap_or_else(|| panic!("{nat} in {services}"))
    };
    assert_eq!(cell("RO", "referrals", "health"), [0, 1, 0], "{services}");
    assert_eq!(cell("BR", "referrals", "legal"), [0, 0, 1], "{services}");
    assert_eq!(mft(&table["total"]["referrals"]["legal"]), [0, 0, 1]);
    assert_eq!(mft(&table["total"]["referrals"]["health"]), [0, 1, 0]);

    // The outing is closed.
    let list = lanterna_ok(&db, &["outings", "list"]);
    assert!(list.contains("closed"), "{list}");
}

#[test]
fn an_indoor_session_in_the_browser_is_the_report() {
    let Some((_dir, db)) = after_script("indoor.mjs") else {
        return;
    };

    let indoor = report(&db, "indoor");
    let bs = &indoor["tables"][0];
    assert_eq!(bs["province"], "BS", "{indoor}");
    let row = |nat: &str| {
        bs["rows"].as_array().unwrap().iter().find(|r| r["nationality"] == nat).unwrap_or_else(|| panic!("{nat}: {bs}"))
    };
    // Five ads: Brazil T x2, Romania F, not declared F, China F.
    assert_eq!(mft(&row("BR")["ads"]), [0, 0, 2]);
    assert_eq!(mft(&row("RO")["ads"]), [0, 1, 0]);
    assert_eq!(mft(&row("ZZ")["ads"]), [0, 1, 0]);
    assert_eq!(row("ZZ")["label"], "Non dichiarata (n. d.)");
    assert_eq!(mft(&row("CN")["ads"]), [0, 1, 0]);
    // Six attempts: four calls (two to Brazil, one to Romania, one to China), two messages.
    assert_eq!(mft(&bs["total"]["calls"]), [0, 2, 2]);
    // Contacts, persons reached by a call: Brazil's first number, China's. The WhatsApp
    // answered on Brazil's second number is a message, apart, like China's SMS.
    assert_eq!(mft(&row("BR")["contacts"]), [0, 0, 1]);
    assert_eq!(mft(&row("CN")["contacts"]), [0, 1, 0]);
    assert_eq!(mft(&bs["total"]["contacts"]), [0, 1, 1]);
    assert_eq!(mft(&bs["total"]["messages"]), [0, 1, 1]);
    assert_eq!(mft(&bs["total"]["met"]), [0, 0, 1]);
    assert_eq!(mft(&row("BR")["met"]), [0, 0, 1]);

    let stats = report(&db, "indoor-stats");
    assert_eq!(stats["ads"], 5);
    assert_eq!(stats["calls"], 4);
    assert_eq!(stats["messages_by_channel"]["whatsapp"], 1);
    assert_eq!(stats["messages_by_channel"]["sms"], 1);
    assert_eq!(stats["numbers"], 3, "three distinct numbers in four ads");
    assert_eq!(stats["numbers_in_several_ads"], 1, "two ads share one number");
    assert_eq!(stats["ads_reached"], 3);
    // The person met got the default kit: the items report counts it as indoor.
    let items = report(&db, "items");
    let condoms =
        items["tables"][0]["rows"].as_array().unwrap().iter().find(|r| r["item"] == "condoms").unwrap()["total"]
            .as_u64()
            .unwrap();
    let kit = lanterna::domain::settings::Settings::default().kits.indoor.0;
    assert_eq!(condoms, u64::from(kit.get(lanterna::domain::ItemKey::plain(ItemKind::Condoms))), "{items}");
}

#[test]
fn a_known_person_tapped_again_in_the_browser_is_one_person_and_two_contacts() {
    let Some((dir, db)) = after_script("persons.mjs") else {
        return;
    };

    // The short name is only in the encrypted database: not in the file, its WAL or any
    // other file beside it, as the app left them (before the command line opens them).
    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).expect("the data directory") {
        let path = entry.expect("an entry").path();
        let bytes = std::fs::read(&path).expect("readable");
        assert!(!bytes.windows(4).any(|w| w == b"Rosa"), "{} holds the short name in clear", path.display());
        files += 1;
    }
    assert!(files >= 1 && db.exists(), "the database was written");

    // Rosa, met on two night outings in Brescia: one person, two contacts.
    let persons = report(&db, "street");
    let bs = &persons["tables"][0];
    assert_eq!(bs["province"], "BS", "{persons}");
    assert_eq!(bs["grand_total"], 1, "{persons}");
    assert_eq!(mft(&bs["total"]["night"]), [0, 1, 0]);
    let contacts = report_with(&db, "street", &["--count", "contacts"]);
    assert_eq!(contacts["tables"][0]["grand_total"], 2, "{contacts}");
    let list = lanterna_ok(&db, &["outings", "list"]);
    assert_eq!(list.matches("closed").count(), 2, "{list}");
}

#[test]
fn a_person_met_on_the_street_then_interviewed_twice_at_the_desk_counts_once_everywhere() {
    use lanterna::domain::emersion::{ContactOutcome, HelplineCount, IdCount, InterviewKind, Typology};
    use lanterna::domain::{Activity, Measure, Period};

    let Some((_dir, db)) = after_script("emersion.mjs") else {
        return;
    };

    // Street: Joy, one person in Bergamo.
    let street = report(&db, "street");
    let bg = &street["tables"][0];
    assert_eq!((bg["province"].as_str(), bg["grand_total"].as_u64()), (Some("BG"), Some(1)), "{street}");
    assert_eq!(mft(&bg["total"]["day"]), [0, 1, 0], "{street}");
    let list = lanterna_ok(&db, &["outings", "list"]);
    assert_eq!(list.matches("closed").count(), 2, "{list}");
    assert!(list.contains("desk"), "{list}");

    // Identification, outcomes, helpline: the period's emersion counts as the phone syncs them.
    let store = lanterna::store::Store::open_existing(&db, KEY).expect("the database opens");
    let today = chrono::Utc::now().date_naive();
    let period = Period::new(today - chrono::Duration::days(1), today + chrono::Duration::days(1)).expect("a period");
    // The register's persons per period: Joy once on the street and once at the desk.
    let persons = |a: Activity| {
        let t = store.persons_tally(period, Some(a)).expect("the persons tally");
        t.sum(Measure::Persons, |b, c| b.activity == a && b.province.code() == "BG" && c.gender.code() == "F")
    };
    assert_eq!((persons(Activity::Street), persons(Activity::Desk)), (1, 1), "Joy, once per activity");
    let t = store.emersion_tally(period).expect("the emersion tally");
    let sum = |m: Measure| {
        t.sum(m, |b, c| b.activity == Activity::Emersion && b.province.code() == "BG" && c.gender.code() == "F")
    };
    let social = InterviewKind::Social;
    assert_eq!(sum(Measure::Id(social, IdCount::Persons)), 1, "Joy, once");
    assert_eq!(sum(Measure::Id(social, IdCount::Interviews)), 2, "interviewed twice");
    assert_eq!(sum(Measure::Id(social, IdCount::Identified)), 1, "identified at the second");
    assert_eq!(sum(Measure::Id(social, IdCount::InProgress)), 0, "no longer in progress");
    assert_eq!(sum(Measure::Id(social, IdCount::Adhesions)), 1, "joined the programme");
    assert_eq!(sum(Measure::Id(social, IdCount::Waiting)), 0, "no longer waiting");
    assert_eq!(sum(Measure::Id(social, IdCount::Typology(Typology::SexualStreet))), 1);
    assert_eq!(sum(Measure::Id(InterviewKind::Referral, IdCount::Persons)), 0);
    assert_eq!(sum(Measure::OutcomePersons), 1, "one person with an outcome");
    assert_eq!(sum(Measure::Outcome(ContactOutcome::Proposed)), 1);
    // The helpline report (F, Albania), edited once: one report, taken in charge.
    assert_eq!(sum(Measure::Helpline(HelplineCount::Reports)), 1);
    assert_eq!(
        sum(Measure::Helpline(HelplineCount::Outcome(lanterna::domain::emersion::HelplineOutcome::TakenInCharge))),
        1
    );
    drop(store);

    // The printed tables count Joy once each: at the desk, and in the identification table.
    let desk = report(&db, "desk");
    assert_eq!(desk["tables"][0]["grand_total"].as_u64(), Some(1), "{desk}");
    let id = report(&db, "identification");
    let one = serde_json::json!({"persons": 1, "interviews": 2, "identified": 1, "adhesions": 1});
    let none = serde_json::json!({"kind": "referral", "persons": 0, "interviews": 0, "identified": 0, "adhesions": 0});
    let mut social = one.clone();
    social["kind"] = "social".into();
    assert_eq!(id, serde_json::json!({"rows": [social, none], "total": one}), "{id}");
}

#[test]
fn a_labour_outing_with_its_team_then_an_informative_session_make_the_emersion_total() {
    let Some((_dir, db)) = after_script("outreach.mjs") else {
        return;
    };

    // Labour by sector: the man in construction (his own), the woman in agriculture (the
    // stop's); two persons, one per sector; both contacts at a farm.
    let sectors = report(&db, "labour-sectors");
    let bg = &sectors["tables"][0];
    assert_eq!(bg["province"], "BG", "{sectors}");
    let sector = |code: &str| {
        let row = bg["sectors"].as_array().expect("sectors").iter().find(|r| r["sector"] == code).cloned();
        row.unwrap_or_else(|| panic!("sector {code} in {sectors}"))
    };
    assert_eq!(mft(&sector("construction")["persons"]), [1, 0, 0], "{sectors}");
    assert_eq!(mft(&sector("agriculture")["persons"]), [0, 1, 0], "{sectors}");
    assert_eq!(mft(&bg["total"]["persons"]), [1, 1, 0], "{sectors}");
    let farms = bg["settings"].as_array().expect("settings").iter().find(|r| r["setting"] == "farms").cloned();
    assert_eq!(mft(&farms.expect("farms")["contacts"]), [1, 1, 0], "{sectors}");

    // The session: 12 men and 5 women, of whom 10 and 3 asylum seekers or protection holders.
    let sessions = report(&db, "sessions");
    let s = &sessions["tables"][0];
    assert_eq!((s["province"].as_str(), s["sessions"].as_u64()), (Some("BG"), Some(1)), "{sessions}");
    assert_eq!(s["places"]["cas"], 1, "{sessions}");
    assert_eq!(mft(&s["participants"]), [12, 5, 0], "{sessions}");
    assert_eq!(mft(&s["protection"]), [10, 3, 0], "{sessions}");
    assert_eq!((s["themes"]["trafficking"].as_u64(), s["themes"]["rights"].as_u64()), (Some(1), Some(1)));
    assert_eq!(s["languages"]["en"], 1, "{sessions}");

    outreach_checks(&db);
}

/// The emersion total of the outreach scenario: the labour persons and the session's
/// participants, the total the sum of its rows; then the outings and presences.
fn outreach_checks(db: &Path) {
    let total = report(db, "emersion-total");
    let bg = &total["tables"][0];
    assert_eq!(bg["province"], "BG", "{total}");
    let rows = bg["rows"].as_array().expect("rows");
    let row = |source: &str| rows.iter().find(|r| r["source"] == source).cloned().expect("a row per source");
    let counts = |r: &Value| ["M", "F", "T", "total", "protection"].map(|k| r[k].as_u64().expect("a count"));
    assert_eq!(counts(&row("labour")), [1, 1, 0, 2, 0], "{total}");
    assert_eq!(counts(&row("sessions")), [12, 5, 0, 17, 13], "{total}");
    for other in ["street", "indoor_reached", "indoor_met", "massage", "desk"] {
        assert_eq!(counts(&row(other)), [0; 5], "{other}: {total}");
    }
    let sum = rows.iter().map(counts).fold([0; 5], |a, r| std::array::from_fn(|i| a[i] + r[i]));
    assert_eq!(counts(&bg["total"]), sum, "the total is the sum of its parts: {total}");
    assert_eq!(sum, [13, 6, 0, 19, 13], "{total}");

    // The outings: one labour day outing with its team of three, a mediator and the legal
    // operator, not empty; one informative session.
    let outings = report(db, "outings");
    let rows = outings["tables"][0]["rows"].as_array().expect("outing rows");
    let labour = rows.iter().find(|r| r["activity"] == "labour").expect("the labour outing");
    assert_eq!(labour["shift"], "day", "{outings}");
    let n = |r: &Value, k: &str| r[k].as_u64().unwrap_or_else(|| panic!("{k} in {outings}"));
    assert_eq!(
        [n(labour, "outings"), n(labour, "empty"), n(labour, "mediator"), n(labour, "legal_operator")],
        [1, 0, 1, 1]
    );
    assert_eq!(n(labour, "operator_minutes"), 3 * n(labour, "minutes"), "three operators: {outings}");
    let session = rows.iter().find(|r| r["activity"] == "session").expect("the session");
    assert_eq!((n(session, "outings"), n(session, "empty")), (1, 0), "{outings}");

    // Presences beside the contacts: two men and a woman seen, a man and a woman contacted.
    let presences = report(db, "presences");
    let row = &presences["tables"][0]["rows"][0];
    assert_eq!((row["activity"].as_str(), row["shift"].as_str()), (Some("labour"), Some("day")), "{presences}");
    assert_eq!((mft(&row["presences"]), mft(&row["contacts"])), ([2, 1, 0], [1, 1, 0]), "{presences}");

    // The contact's outcome, in persons; the diary never left the phone and is the unit's.
    let store = lanterna::store::Store::open_existing(db, KEY).expect("the database opens");
    let today = chrono::Utc::now().date_naive();
    let period = lanterna::domain::Period::new(today - chrono::Duration::days(1), today + chrono::Duration::days(1))
        .expect("a period");
    let t = store.emersion_tally(period).expect("the emersion tally");
    let proposed = lanterna::domain::Measure::Outcome(lanterna::domain::emersion::ContactOutcome::Proposed);
    assert_eq!(t.sum(proposed, |b, c| b.province.code() == "BG" && c.gender.code() == "M"), 1, "the man's outcome");
    drop(store);
    let notes = lanterna_ok(db, &["notes"]);
    assert!(notes.contains("turnover alto"), "{notes}");
}
