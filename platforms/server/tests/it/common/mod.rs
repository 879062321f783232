//! Helpers of the server's tests: a server in-process on 127.0.0.1:0, a phone's store
//! filled with a few closed outings and an indoor session, and the same report computed
//! on both sides.
#![allow(dead_code)]

pub mod pg;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use chrono::{Duration, TimeZone, Utc};
use lanterna::app::{Lanterna, MassageVisit, NewIndoorSession, NewOuting, ReportKind, ReportRequest};
use lanterna::domain::indoor::AdData;
use lanterna::domain::tables::Selection;
use lanterna::domain::{
    Activity, Channel, Comune, ContactData, EventKind, Gender, ItemKey, ItemKind, Nationality, Outcome, Place,
    Protection, Province, ServiceKind, Shift,
};
use lanterna::report::Table;
use lanterna_server::config::Config;
use lanterna_server::http::AppState;
use lanterna_server::store::{Backend, Sqlite};
use serde_json::Value;
use uuid::Uuid;

pub const KEY: &str = "24681357";

/// A server running in this process.
pub struct TestServer {
    pub addr: SocketAddr,
    pub backend: Arc<dyn Backend>,
    pub unit: Uuid,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// A fresh SQLite store with one unit, served on a free port.
    pub async fn start() -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let backend: Arc<dyn Backend> = Arc::new(Sqlite::open(&dir.path().join("server.db")).unwrap());
        Self::start_with(backend, dir, Config { listen: "127.0.0.1:0".into(), ..Config::default() }).await
    }

    pub async fn start_with(backend: Arc<dyn Backend>, dir: tempfile::TempDir, config: Config) -> TestServer {
        let unit = backend.add_unit(&format!("unit-{}", Uuid::new_v4().simple())).unwrap().id;
        let listener = lanterna_server::http::bind(&config.listen).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = AppState::new(backend.clone(), config);
        // Served until the test's runtime ends: no signal handler in the test process.
        tokio::spawn(lanterna_server::http::serve_with_shutdown(state, listener, std::future::pending()));
        TestServer { addr, backend, unit, _dir: dir }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A one-time code for a unit.
    pub fn code(&self, unit: Uuid) -> String {
        let code = lanterna_server::secret::code();
        let expires = Utc::now() + Duration::hours(24);
        self.backend.add_enrollment(unit, &lanterna_server::secret::hash(&code), expires).unwrap();
        code
    }

    /// A device token for a unit, enrolled over HTTP.
    pub async fn token(&self, unit: Uuid) -> String {
        let client = lanterna::sync::Client::new(&self.url()).unwrap();
        client.enroll(&self.code(unit)).await.unwrap().token
    }

    /// The server's report (JSON, one unit or all, nothing hidden).
    pub fn report(&self, kind: lanterna_server::report::Kind, unit: Option<Uuid>) -> Value {
        let q = lanterna_server::report::Query {
            units: unit.map(|u| vec![u]),
            ..lanterna_server::report::Query::new(kind, period())
        };
        let text = lanterna_server::report::render(self.backend.as_ref(), &q, lanterna::report::Format::Json).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    /// How many summaries the server holds.
    pub fn stored(&self) -> usize {
        self.backend.summaries(None, FROM(), TO()).unwrap().len()
    }
}

#[allow(non_snake_case)]
pub fn FROM() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()
}
#[allow(non_snake_case)]
pub fn TO() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2030, 12, 31).unwrap()
}

/// The period every test report covers.
pub fn period() -> Selection {
    Selection::dates(FROM(), TO())
}

/// A phone: an encrypted database in a temp dir, through the application layer.
pub struct Phone {
    pub store: Mutex<Lanterna>,
    _dir: tempfile::TempDir,
}

impl Phone {
    pub fn new() -> Phone {
        let dir = tempfile::tempdir().unwrap();
        let store = Lanterna::open(&dir.path().join("phone.db"), KEY).unwrap();
        Phone { store: Mutex::new(store), _dir: dir }
    }

    /// The phone's database file.
    pub fn db_path(&self) -> std::path::PathBuf {
        self._dir.path().join("phone.db")
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut Lanterna) -> R) -> R {
        f(&mut self.store.lock().unwrap())
    }

    /// The phone's own report, as `lanterna report KIND --format json --count contacts`
    /// prints it: over the test period, which is not a published one, the server counts
    /// contacts too.
    pub fn report(&self, kind: Table) -> Value {
        let req = ReportRequest {
            count: lanterna::domain::Count::Contacts,
            ..ReportRequest::json(ReportKind::Table(kind), period())
        };
        serde_json::from_str(&self.with(|s| s.report(&req)).unwrap()).unwrap()
    }
}

fn nat(c: &str) -> Nationality {
    Nationality::parse(c).unwrap()
}

/// `n` closed outings and one closed indoor session, varied by `seed`: street at night
/// with a stop across the border (Brescia, then Milano), labour by day, details on
/// some people. Returns the outing ids.
pub fn fill(store: &mut Lanterna, n: usize, seed: u64) -> Vec<Uuid> {
    let bs = Province::parse("BS").unwrap();
    let mi = Province::parse("MI").unwrap();
    let nats = ["RO", "NG", "AL", "BR", "ZZ", "XE", "CN", "MA"];
    let mut ids = Vec::new();
    for i in 0..n {
        let k = seed as usize + i;
        let activity = if k % 4 == 3 { Activity::Labour } else { Activity::Street };
        let day = Utc.with_ymd_and_hms(2024, 1 + (k % 12) as u32, 1 + (k % 27) as u32, 22, 0, 0).unwrap();
        let o = store
            .start_outing(&NewOuting {
                activity,
                started_at: day,
                shift: Some(if k % 2 == 0 { Shift::Night } else { Shift::Day }),
                team_size: Some(2),
                mediator: false,
                mediator_language: None,
                legal_operator: false,
                mapping: false,
            })
            .unwrap()
            .value;
        let s1 = store
            .add_stop(o.id, Place { province: bs, comune: Some(Comune::parse("017029").unwrap()) }, Some("Via X"))
            .unwrap()
            .value;
        let s2 = store.add_stop(o.id, Place::province(mi), None).unwrap().value;
        for j in 0..(3 + k % 5) {
            let g = [Gender::F, Gender::M, Gender::T][(j + k) % 3];
            let mut d = ContactData::new(g, nat(nats[(j * 3 + k) % nats.len()]));
            if j % 3 == 0 {
                d.items.set(ItemKey::plain(ItemKind::Condoms), 3 + (j as u32 % 4));
                d.services.set_count(EventKind::Referral, Some(ServiceKind::Health), 1);
                d.first_contact = Some(j % 2 == 0);
            }
            let stop = if j % 4 == 3 { s2.id } else { s1.id };
            store.record_contacts(stop, &d, 1 + (j % 2) as u32).unwrap();
        }
        store.close_outing(o.id, day + Duration::hours(3)).unwrap();
        ids.push(o.id);
    }
    // An indoor session.
    let s = store
        .start_indoor_session(&NewIndoorSession {
            started_at: Utc.with_ymd_and_hms(2024, 3, 5, 10, 0, 0).unwrap(),
            province: bs,
            operators: 2,
            mediator_language: None,
        })
        .unwrap()
        .value;
    for j in 0..(4 + seed as usize % 3) {
        let ad = AdData {
            site: "moscarossa".into(),
            province: bs,
            comune: None,
            nationality: nat(nats[j % nats.len()]),
            gender: [Gender::F, Gender::T][j % 2],
            declared_age: None,
            risky: j % 2 == 0,
        };
        let (a, _) = store.add_ad(s.id, &ad, Some(&format!("+39 333 000 {:04}", j % 3))).unwrap().value;
        store
            .record_attempt(a.id, Channel::Call, if j % 2 == 0 { Outcome::Reached } else { Outcome::NoAnswer })
            .unwrap();
        if j == 0 {
            store.record_attempt(a.id, Channel::Whatsapp, Outcome::Reached).unwrap();
            store.record_meeting(s.id, Some(a.id), bs, &ContactData::new(ad.gender, ad.nationality)).unwrap();
        }
    }
    store
        .record_massage_visit(
            s.id,
            &MassageVisit {
                province: bs,
                comune: None,
                persons: vec![(Gender::F, nat("CN"), 2)],
                protection: Protection::Yes,
            },
        )
        .unwrap();
    store.close_indoor_session(s.id, Utc::now()).unwrap();
    ids
}

/// Every report kind of both sides.
pub const KINDS: [(Table, lanterna_server::report::Kind); 6] = [
    (Table::Street, lanterna_server::report::Kind::Street),
    (Table::Labour, lanterna_server::report::Kind::Labour),
    (Table::Indoor, lanterna_server::report::Kind::Indoor),
    (Table::Massage, lanterna_server::report::Kind::Massage),
    (Table::Services, lanterna_server::report::Kind::Services),
    (Table::Items, lanterna_server::report::Kind::Items),
];

/// The server's tables equal the phone's for every kind.
pub fn assert_same_tables(server: &TestServer, phone: &Phone, unit: Option<Uuid>) {
    for (local, remote) in KINDS {
        let mine = phone.report(local);
        let theirs = server.report(remote, unit);
        assert_eq!(theirs, mine, "{local:?}: the server's table differs from the phone's");
    }
}

/// Persons of the period 2023-10-01..2024-02-29 in Brescia: `n` Romanian women met at
/// night, on street or labour outings.
pub fn persons(activity: Activity, revision: u32, n: u32) -> lanterna::wire::PersonSummary {
    lanterna::wire::PersonSummary {
        from: chrono::NaiveDate::from_ymd_opt(2023, 10, 1).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
        activity,
        province: Province::parse("BS").unwrap(),
        revision,
        cells: vec![lanterna::wire::PersonCell {
            shift: Shift::Night,
            nationality: nat("RO"),
            gender: Gender::F,
            measure: lanterna::domain::Measure::Persons,
            count: n,
        }],
    }
}

/// Runs `lanterna-server --db DB ARGS`: success, stdout, stderr.
pub fn server_cli(db: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lanterna-server"))
        .arg("--db")
        .arg(format!("sqlite://{}", db.display()))
        .args(args)
        .env_remove("LANTERNA_SERVER_CONFIG")
        .env_remove("LANTERNA_SERVER_DB")
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.success(), text(out.stdout), text(out.stderr))
}

/// Two JSON reports' total numbers, for comparing sums across many phones.
pub fn numbers(v: &Value, out: &mut Vec<u64>) {
    match v {
        Value::Number(n) => out.push(n.as_u64().unwrap_or(0)),
        Value::Array(xs) => xs.iter().for_each(|x| numbers(x, out)),
        Value::Object(m) => m.values().for_each(|x| numbers(x, out)),
        _ => {}
    }
}

/// A street outing's summary in Brescia on `date` with `n` contacts (Romanian women, at night).
pub fn street_summary(id: Uuid, revision: u32, date: chrono::NaiveDate, n: u32) -> lanterna::wire::Summary {
    lanterna::wire::Summary {
        id,
        revision,
        deleted: false,
        activity: Activity::Street,
        date,
        shift: Shift::Night,
        province: Province::parse("BS").unwrap(),
        comuni: vec![],
        cells: vec![lanterna::wire::Cell {
            province: None,
            nationality: Nationality::parse("RO").unwrap(),
            gender: Gender::F,
            measure: lanterna::domain::Measure::Contacts,
            count: n,
        }],
        team: None,
        minutes: None,
        mapping: false,
        session: None,
    }
}

/// A coordinator's account with a one-time sign-in link, as `coordinator add` makes them:
/// the link's path.
pub fn invite(b: &dyn Backend, name: &str, scope: lanterna_server::store::console::Scope) -> String {
    use lanterna_server::store::console::SERVER_ADMIN;
    let c = b.add_account(name, scope, SERVER_ADMIN).unwrap();
    let link = lanterna_server::secret::token();
    let hash = lanterna_server::secret::hash(&link);
    b.add_sign_in_link(&c, &hash, Utc::now() + Duration::hours(24), "invite", SERVER_ADMIN).unwrap();
    format!("/console/link/{link}")
}
