//! Load: 20 coordinators browsing the console while 1,000 phones sync, in one process run
//! against its own idle figures:
//! - (a) idle pages: the coordinators browse, no phone syncs;
//! - (b) idle sync: every phone sends a batch at once, a few rounds, nobody browses;
//! - (c) together: the same rounds while the coordinators browse.
//!
//! Page p50/p95 and sync p50/p99 per phase, and the ratios together/idle, are printed and
//! written as JSON to `<target>/console-load.json`.
//!
//! The server runs in-process on 127.0.0.1:0 over a temporary SQLite store seeded with ten
//! units in three projects, the phones enrolled over the units, a year (2024) of their
//! outings and persons, reviews, targets, closed periods and a named period. Coordinators sign in
//! through the real forms (one-time link, then name and password) and browse a mix of
//! pages with a little think time.
//!
//! `cargo bench -p lanterna-server --bench console_load` (LANTERNA_BENCH_QUICK=1: smaller).

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use lanterna::domain::{Activity, Comune, Gender, Measure, Nationality, Province, Shift};
use lanterna::sync::Client;
use lanterna::wire::{AckStatus, Batch, PersonCell, PersonSummary, ReturnReason, ReviewState, Summary};
use lanterna_server::secret;
use lanterna_server::store::console::{Closed, Scope, Target};
use lanterna_server::store::{Backend, Sqlite};
use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use serde_json::json;
use uuid::Uuid;

use self::common::{NATS, pct, serve, summary, token};

/// The units: name, province, comune (ISTAT).
const UNITS: [(&str, &str, &str); 10] = [
    ("Strada Brescia", "BS", "017029"),
    ("Strada Bergamo", "BG", "016024"),
    ("Strada Milano", "MI", "015146"),
    ("Strada Varese", "VA", "012133"),
    ("Strada Verona", "VR", "023091"),
    ("Strada Padova", "PD", "028060"),
    ("Strada Bologna", "BO", "037006"),
    ("Strada Torino", "TO", "001272"),
    ("Strada Firenze", "FI", "048017"),
    ("Strada Roma", "RM", "058091"),
];

/// The projects: name and the units (indices into `UNITS`) they hold.
const PROJECTS: [(&str, &[usize]); 3] =
    [("Lombardia in strada", &[0, 1, 2, 3]), ("Veneto ed Emilia", &[4, 5, 6]), ("Rete centro-nord", &[7, 8, 9])];

/// Coordinators browsing.
const COORDINATORS: usize = 20;
/// Summaries per phone per sync round, as in `ingest`'s 1,000 devices.
const PER_BATCH: usize = 2;
/// A named period coordinators report on.
const NAMED: &str = "Bando 2024 H1";
/// A coordinator's think time between pages.
const THINK: std::ops::RangeInclusive<Duration> = Duration::from_millis(100)..=Duration::from_millis(300);
/// Pages started in the first moments of a browsing phase are not counted (connections
/// opening, caches warming).
const WARM: Duration = Duration::from_secs(1);

/// How big a run is.
struct Size {
    phones: usize,
    history_per_phone: usize,
    reviews: usize,
    rounds: usize,
    /// No sync round starts after this long in a phase.
    sync_cap: Duration,
    idle_pages: Duration,
}

impl Size {
    fn new(quick: bool) -> Size {
        if quick {
            Size {
                phones: 200,
                history_per_phone: 10,
                reviews: 200,
                rounds: 6,
                sync_cap: Duration::from_secs(8),
                idle_pages: Duration::from_secs(4),
            }
        } else {
            Size {
                phones: 1_000,
                history_per_phone: 30,
                reviews: 1_500,
                rounds: 3,
                sync_cap: Duration::from_secs(40),
                idle_pages: Duration::from_secs(15),
            }
        }
    }
}

/// A small deterministic generator (xorshift64*): the same mix on every run.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The place of unit `u`.
fn place(u: usize) -> (Province, Comune) {
    let (_, p, c) = UNITS[u];
    (Province::parse(p).expect("a province"), Comune::parse(c).expect("a comune"))
}

/// Outing `i` of a unit at `place` on `date`: street, one in four labour.
fn outing(i: usize, place: (Province, Comune), date: NaiveDate) -> Summary {
    let activity = if i % 4 == 3 { Activity::Labour } else { Activity::Street };
    Summary { activity, date, province: place.0, comuni: vec![place.1], ..summary(i) }
}

/// The persons a phone of `place` met in 2024 on street outings: about a dozen, each
/// counted once in the year (and once more as new to the unit).
fn persons_2024(i: usize, place: (Province, Comune)) -> PersonSummary {
    let mut cells = Vec::new();
    for j in 0..(6 + i % 7) {
        let (shift, nationality, gender) = (
            if j % 2 == 0 { Shift::Night } else { Shift::Day },
            Nationality::parse(NATS[(i + j) % NATS.len()]).expect("a nationality"),
            [Gender::F, Gender::T, Gender::M][j % 3],
        );
        for (measure, count) in [(Measure::Persons, 1 + (j % 4) as u32), (Measure::NewPersons, 1)] {
            cells.push(PersonCell { shift, nationality, gender, measure, count });
        }
    }
    cells.sort_by_key(|c| (c.shift, c.nationality, c.gender, c.measure));
    cells.dedup_by_key(|c| (c.shift, c.nationality, c.gender, c.measure));
    PersonSummary {
        from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
        activity: Activity::Street,
        province: place.0,
        revision: 1,
        cells,
    }
}

/// An enrolled phone: its unit (index) and token.
struct Phone {
    unit: usize,
    token: String,
}

/// A coordinator as the bench knows them: their scope's units and session cookie.
struct Coord {
    units: Vec<Uuid>,
    cookie: String,
}

/// What the seeded store holds.
struct World {
    phones: Vec<Phone>,
    units: Vec<Uuid>,
    /// (name, scope) of each coordinator to sign in, and the units of that scope.
    accounts: Vec<(String, Scope, Vec<Uuid>)>,
    summaries: usize,
}

/// Seeds units, projects, phones, a year of outings, reviews, targets and periods.
fn seed(b: &dyn Backend, size: &Size) -> World {
    let t = Instant::now();
    let units: Vec<Uuid> = UNITS.iter().map(|u| b.add_unit(u.0).unwrap().id).collect();
    let all = b.units().unwrap();
    let mut projects = Vec::new();
    for (name, members) in PROJECTS {
        let p = b.add_project(name, "server admin").unwrap();
        for &m in members {
            let unit = all.iter().find(|u| u.id == units[m]).unwrap();
            b.add_project_unit(&p, unit, "server admin").unwrap();
        }
        projects.push((p.id, members.iter().map(|&m| units[m]).collect::<Vec<_>>()));
    }
    b.add_period(NAMED, NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2024, 6, 30).unwrap())
        .unwrap();

    // The phones, spread over the units, each with its year of outings.
    let mut phones = Vec::with_capacity(size.phones);
    let mut stored = Vec::new();
    for i in 0..size.phones {
        let unit = i % units.len();
        let (device, tok) = token(b, units[unit]);
        let summaries: Vec<Summary> = (0..size.history_per_phone)
            .map(|k| {
                let day = 1 + ((i * 37 + k * 366 / size.history_per_phone) % 366) as u32;
                outing(i * 31 + k, place(unit), NaiveDate::from_yo_opt(2024, day).unwrap())
            })
            .collect();
        stored.extend(summaries.iter().map(|s| s.id));
        let persons = vec![persons_2024(i, place(unit))];
        let st = b.store(&device, &Batch { summaries, persons }, Utc::now()).unwrap();
        let stored_all = |v: &[AckStatus]| v.iter().all(|s| *s == AckStatus::Stored);
        assert!(stored_all(&st.summaries) && stored_all(&st.persons), "seed refused: {st:?}");
        phones.push(Phone { unit, token: tok });
    }

    // A network coordinator reviewed some of them: two approved for one returned.
    let reviewer = b.add_account("Revisione rete", Scope::All, "server admin").unwrap();
    let step = (stored.len() / size.reviews.max(1)).max(1);
    for (n, id) in stored.iter().step_by(step).take(size.reviews).enumerate() {
        let (state, why) = if n % 3 == 2 {
            (ReviewState::Returned, Some(ReturnReason::ALL[n % ReturnReason::ALL.len()]))
        } else {
            (ReviewState::Approved, None)
        };
        b.review(*id, 1, state, why, &reviewer).unwrap();
    }

    // Targets for each project, and the first quarter closed for a unit and a project.
    let year = (NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2024, 12, 31).unwrap());
    for (n, (p, _)) in projects.iter().enumerate() {
        for (indicator, stage, value) in
            [("contacts", "final", 20_000), ("outings", "intermediate", 1_000), ("items", "final", 50_000)]
        {
            let t = Target {
                project: *p,
                from: year.0,
                to: year.1,
                indicator: indicator.into(),
                stage: stage.into(),
                value,
            };
            b.set_target(&t, "server admin", PROJECTS[n].0).unwrap();
        }
    }
    let q1 = (NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2024, 3, 31).unwrap());
    b.close_period(Closed::Unit(units[0]), q1.0, q1.1, "server admin", &format!("unit {}", UNITS[0].0)).unwrap();
    b.close_period(Closed::Project(projects[1].0), q1.0, q1.1, "server admin", &format!("project {}", PROJECTS[1].0))
        .unwrap();

    // Four coordinators of the network, six of a project, ten of one unit each.
    let mut accounts = Vec::new();
    for i in 0..COORDINATORS {
        let (scope, seen) = match i {
            0..4 => (Scope::All, units.clone()),
            4..10 => {
                let (p, u) = &projects[i % projects.len()];
                (Scope::Project(*p), u.clone())
            }
            _ => {
                let u = units[(i - 10) % units.len()];
                (Scope::Unit(u), vec![u])
            }
        };
        accounts.push((format!("coordinatrice-{i:02}"), scope, seen));
    }
    println!(
        "seeded {} units, {} projects, {} phones, {} summaries of 2024, {} reviews in {:.1} s",
        units.len(),
        projects.len(),
        phones.len(),
        stored.len(),
        size.reviews.min(stored.len()),
        t.elapsed().as_secs_f64()
    );
    World { phones, units, accounts, summaries: stored.len() }
}

/// The value of cookie `name` set by a response.
fn set_cookie(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v.to_owned())
}

/// The CSRF token of a form page.
fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(html[at..].split('"').next()?.to_owned())
}

/// Gets a pre-session form: its CSRF cookie and token.
async fn form(http: &reqwest::Client, url: &str) -> Result<(String, String), String> {
    let resp = http.get(url).send().await.map_err(|e| e.to_string())?;
    if resp.status() != 200 {
        return Err(format!("GET {url}: {}", resp.status()));
    }
    let pre = set_cookie(&resp, "lanterna_pre").ok_or("no lanterna_pre cookie")?;
    let html = resp.text().await.map_err(|e| e.to_string())?;
    Ok((pre, csrf_of(&html).ok_or("no csrf field")?))
}

/// Posts a pre-session form; the session cookie the answer sets.
async fn post(http: &reqwest::Client, url: &str, pre: &str, fields: &[(&str, &str)]) -> Result<String, String> {
    let resp = http
        .post(url)
        .header(COOKIE, format!("lanterna_pre={pre}"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(fields).map_err(|e| e.to_string())?)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = resp.status();
    set_cookie(&resp, "lanterna_console").ok_or_else(|| format!("POST {url}: {status}, no session"))
}

/// Signs a coordinator in as they would: the admin's one-time link sets their password,
/// then the sign-in form opens the session the bench browses with.
async fn sign_in(backend: &Arc<dyn Backend>, base: &str, name: &str, scope: Scope) -> Result<String, String> {
    let link = secret::token();
    tokio::task::block_in_place(|| {
        let c = backend.add_account(name, scope, "server admin").map_err(|e| e.to_string())?;
        let expires = Utc::now() + chrono::Duration::hours(24);
        backend.add_sign_in_link(&c, &secret::hash(&link), expires, "invite", "server admin").map_err(|e| e.to_string())
    })?;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let password = format!("una password lunga di {name}");
    let link_url = format!("{base}/console/link/{link}");
    let (pre, csrf) = form(&http, &link_url).await?;
    post(&http, &link_url, &pre, &[("csrf", &csrf), ("password", &password), ("again", &password)]).await?;
    let sign_in_url = format!("{base}/console/sign-in");
    let (pre, csrf) = form(&http, &sign_in_url).await?;
    post(&http, &sign_in_url, &pre, &[("csrf", &csrf), ("name", name), ("password", &password)]).await
}

/// The pages of the browsing mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Page {
    Shifts,
    ToReview,
    ShiftsFiltered,
    Shift,
    Units,
    Reports,
    ReportsNamed,
    Periods,
    Audit,
    Targets,
    Charts,
}

/// Pages and their weights: mostly the shifts and their review, then the units'
/// freshness and the reports, now and then the rest.
const MIX: [(Page, usize); 11] = [
    (Page::Shifts, 14),
    (Page::ToReview, 10),
    (Page::ShiftsFiltered, 12),
    (Page::Shift, 22),
    (Page::Units, 10),
    (Page::Reports, 8),
    (Page::ReportsNamed, 4),
    (Page::Periods, 5),
    (Page::Audit, 5),
    (Page::Targets, 5),
    (Page::Charts, 5),
];

impl Page {
    fn name(self) -> &'static str {
        match self {
            Page::Shifts => "shifts",
            Page::ToReview => "shifts?state=to_review",
            Page::ShiftsFiltered => "shifts?unit&activity&period",
            Page::Shift => "shifts/{id}",
            Page::Units => "units",
            Page::Reports => "reports?kind=street&period=2024",
            Page::ReportsNamed => "reports?kind=services&period=named",
            Page::Periods => "periods",
            Page::Audit => "audit",
            Page::Targets => "targets",
            Page::Charts => "charts?period=2024",
        }
    }

    /// What a page with data must hold: the tables of the lists and reports, the charts'
    /// drawings.
    fn shows(self) -> Option<&'static str> {
        match self {
            Page::Shifts | Page::ToReview | Page::ShiftsFiltered | Page::Units | Page::Reports | Page::ReportsNamed => {
                Some("<table")
            }
            Page::Charts => Some("<svg"),
            _ => None,
        }
    }

    fn pick(rng: &mut Rng) -> Page {
        let total: usize = MIX.iter().map(|m| m.1).sum();
        let mut n = rng.below(total);
        for (p, w) in MIX {
            if n < w {
                return p;
            }
            n -= w;
        }
        Page::Shifts
    }
}

/// One page load.
struct Sample {
    page: Page,
    started: Instant,
    took: Duration,
    bytes: usize,
}

/// A page that did not come back as a working 200: another status, no answer, an error
/// message or nothing drawn.
struct Failure {
    page: Page,
    path: String,
    status: u16,
    what: String,
}

/// The text of the first `<p class="error">` of a page.
fn error_of(html: &str) -> Option<String> {
    let at = html.find("class=\"error\">")? + "class=\"error\">".len();
    Some(html[at..].split("</p>").next()?.chars().take(200).collect())
}

/// Shift ids linked from a page.
fn shift_ids(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices("href=\"/console/shifts/").filter_map(|(i, m)| html.get(i + m.len()..i + m.len() + 36))
}

/// Longest wait for a page: past it the page counts as failed (and as taking this long).
const PAGE_TIMEOUT: Duration = Duration::from_secs(10);

/// A coordinator's browser: their session, the shifts they last saw listed.
struct Browser {
    http: reqwest::Client,
    c: Arc<Coord>,
    base: String,
    ids: Vec<String>,
    rng: Rng,
}

impl Browser {
    fn new(c: Arc<Coord>, base: &str, seed: u64) -> Browser {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PAGE_TIMEOUT)
            .build()
            .unwrap();
        Browser { http, c, base: base.to_owned(), ids: Vec::new(), rng: Rng::new(seed) }
    }

    /// The address of a page, its parameters drawn from the coordinator's scope.
    fn path(&mut self, page: Page) -> String {
        let unit = self.c.units[self.rng.below(self.c.units.len())];
        match page {
            Page::Shifts => "/console/shifts".to_owned(),
            Page::ToReview => "/console/shifts?state=to_review".to_owned(),
            Page::ShiftsFiltered => {
                let month = 1 + self.rng.below(12);
                format!("/console/shifts?unit={unit}&activity=street&province=&period=2024-{month:02}&state=")
            }
            Page::Shift => match self.ids.len() {
                0 => "/console/shifts".to_owned(),
                n => format!("/console/shifts/{}", self.ids[self.rng.below(n)]),
            },
            Page::Units => "/console/units".to_owned(),
            Page::Reports => "/console/reports?kind=street&period=2024".to_owned(),
            Page::ReportsNamed => {
                format!("/console/reports?kind=services&{}", serde_urlencoded::to_string([("period", NAMED)]).unwrap())
            }
            Page::Periods => "/console/periods".to_owned(),
            Page::Audit => "/console/audit".to_owned(),
            Page::Targets => "/console/targets".to_owned(),
            Page::Charts => "/console/charts?period=2024".to_owned(),
        }
    }

    /// Loads a page: its sample (None when it failed to answer at all), and its failure if
    /// it did not come back as a 200 without an error message.
    async fn load(&mut self, page: Page) -> (Option<Sample>, Option<Failure>) {
        let path = self.path(page);
        let started = Instant::now();
        let got = match self.http.get(format!("{}{path}", self.base)).header(COOKIE, &self.c.cookie).send().await {
            Ok(resp) => {
                let status = resp.status().as_u16();
                resp.text().await.map(|body| (status, body))
            }
            Err(e) => Err(e),
        };
        let took = started.elapsed();
        match got {
            Ok((200, body)) => {
                if matches!(page, Page::Shifts | Page::ToReview | Page::ShiftsFiltered | Page::Audit) {
                    let found: Vec<String> = shift_ids(&body).map(str::to_owned).collect();
                    if !found.is_empty() {
                        self.ids = found;
                    }
                }
                let failure = match (error_of(&body), page.shows()) {
                    (Some(what), _) => Some(Failure { page, path, status: 200, what }),
                    (None, Some(mark)) if !body.contains(mark) => {
                        Some(Failure { page, path, status: 200, what: format!("200 without {mark}: nothing drawn") })
                    }
                    _ => None,
                };
                (Some(Sample { page, started, took, bytes: body.len() }), failure)
            }
            Ok((status, body)) => {
                let what = error_of(&body).unwrap_or_else(|| body.chars().take(200).collect());
                (None, Some(Failure { page, path, status, what }))
            }
            // A page that timed out took at least this long: kept, so percentiles are not
            // flattered by the pages that never came.
            Err(e) if e.is_timeout() => (
                Some(Sample { page, started, took, bytes: 0 }),
                Some(Failure { page, path, status: 0, what: format!("no answer within {PAGE_TIMEOUT:?}") }),
            ),
            Err(e) => (None, Some(Failure { page, path, status: 0, what: e.to_string() })),
        }
    }
}

/// A coordinator browsing until `stop`: each page's latency, and the failures.
async fn browse(c: Arc<Coord>, base: String, seed: u64, stop: Arc<AtomicBool>) -> (Vec<Sample>, Vec<Failure>) {
    let mut b = Browser::new(c, &base, seed);
    let (mut samples, mut failures) = (Vec::new(), Vec::new());
    while !stop.load(Ordering::Relaxed) {
        let page = Page::pick(&mut b.rng);
        let (sample, failure) = b.load(page).await;
        samples.extend(sample);
        failures.extend(failure);
        let (lo, hi) = (THINK.start().as_millis() as usize, THINK.end().as_millis() as usize);
        tokio::time::sleep(Duration::from_millis((lo + b.rng.below(hi - lo + 1)) as u64)).await;
    }
    (samples, failures)
}

/// Each page alone, for a coordinator of the whole network and one of a single unit, one
/// after the other with nothing else running: what a page costs without any queue, and
/// its size in bytes.
async fn alone(coords: &[Arc<Coord>], base: &str) -> (Vec<[(Duration, usize); 2]>, Vec<Failure>) {
    let mut samples = vec![[(Duration::ZERO, 0); 2]; MIX.len()];
    let mut failures = Vec::new();
    for (k, i) in [0, 10].into_iter().enumerate() {
        let Some(c) = coords.get(i) else { continue };
        let mut b = Browser::new(c.clone(), base, 99 + i as u64);
        // Warm: the shifts list, which also gives the shift ids.
        let _ = b.load(Page::Shifts).await;
        for (n, (p, _)) in MIX.iter().enumerate() {
            let (sample, failure) = b.load(*p).await;
            samples[n][k] = sample.map_or((Duration::ZERO, 0), |s| (s.took, s.bytes));
            failures.extend(failure);
        }
    }
    (samples, failures)
}

/// Runs the coordinators browsing until `until` resolves: the samples started between the
/// end of the warm-up and the moment `until` resolved, and every failure.
async fn browsing<F: std::future::Future<Output = ()>>(
    coords: &[Arc<Coord>],
    base: &str,
    phase: u64,
    until: F,
) -> (Vec<Sample>, Vec<Failure>, Duration) {
    let stop = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = coords
        .iter()
        .enumerate()
        .map(|(i, c)| tokio::spawn(browse(c.clone(), base.to_owned(), phase * 1_000 + i as u64, stop.clone())))
        .collect();
    tokio::time::sleep(WARM).await;
    let from = Instant::now();
    until.await;
    let to = Instant::now();
    stop.store(true, Ordering::Relaxed);
    let (mut samples, mut failures) = (Vec::new(), Vec::new());
    for t in tasks {
        let (s, f) = t.await.unwrap();
        samples.extend(s.into_iter().filter(|s| s.started >= from && s.started <= to));
        failures.extend(f);
    }
    (samples, failures, to - from)
}

/// What the phones' sync rounds measured.
#[derive(Default)]
struct Syncs {
    latencies: Vec<Duration>,
    retries: usize,
    errors: Vec<String>,
    took: Duration,
    rounds: usize,
}

/// Longest wait for a phone's batch, retries included: past it the batch counts as failed
/// (and as taking this long).
const SYNC_TIMEOUT: Duration = Duration::from_secs(30);

/// `rounds` rounds of every phone sending one batch of new outings at once, as at the end
/// of an evening; `first` numbers the rounds so every batch is new. No round starts after
/// `cap`, so that a saturated server still ends the run.
async fn sync_rounds(phones: &[Phone], base: &str, first: usize, rounds: usize, cap: Duration) -> Syncs {
    let mut out = Syncs::default();
    let t = Instant::now();
    let today = Utc::now().date_naive();
    for round in first..first + rounds {
        if t.elapsed() > cap {
            break;
        }
        out.rounds += 1;
        let start = Arc::new(tokio::sync::Barrier::new(phones.len()));
        let mut tasks = Vec::new();
        for (i, p) in phones.iter().enumerate() {
            let (base, start, tok) = (base.to_owned(), start.clone(), p.token.clone());
            let summaries = (0..PER_BATCH)
                .map(|k| {
                    let n = round * 10_000 + i * PER_BATCH + k;
                    outing(n, place(p.unit), today - chrono::Duration::days((n % 7) as i64))
                })
                .collect();
            let batch = Batch { summaries, persons: vec![] };
            tasks.push(tokio::spawn(async move {
                let client = Client::new(&base).unwrap();
                start.wait().await;
                let t = Instant::now();
                let mut retries = 0;
                let mut wait = Duration::from_millis(200);
                let send = async {
                    loop {
                        match client.send(&tok, &batch).await {
                            Err(e) if e.retryable() && retries < 3 => {
                                retries += 1;
                                tokio::time::sleep(wait).await;
                                wait *= 2;
                            }
                            other => break other.map(|_| ()).map_err(|e| e.to_string()),
                        }
                    }
                };
                let res = tokio::time::timeout(SYNC_TIMEOUT, send)
                    .await
                    .unwrap_or_else(|_| Err(format!("no answer within {SYNC_TIMEOUT:?}")));
                (t.elapsed(), retries, res.err())
            }));
        }
        for task in tasks {
            let (took, retries, err) = task.await.unwrap();
            out.retries += retries;
            // A batch that timed out took at least this long: kept in the percentiles.
            if err.as_ref().is_none_or(|e| e.starts_with("no answer within")) {
                out.latencies.push(took);
            }
            out.errors.extend(err);
        }
    }
    out.took = t.elapsed();
    out
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e4).round() / 10.0
}

fn ratio(a: Duration, b: Duration) -> f64 {
    if b.is_zero() { f64::NAN } else { (a.as_secs_f64() / b.as_secs_f64() * 100.0).round() / 100.0 }
}

/// p50/p95 of the samples of one page (or of all when `page` is None).
fn page_stats(samples: &[Sample], page: Option<Page>) -> (usize, Duration, Duration) {
    let mut v: Vec<Duration> = samples.iter().filter(|s| page.is_none_or(|p| s.page == p)).map(|s| s.took).collect();
    (v.len(), pct(&mut v, 50.0), pct(&mut v, 95.0))
}

/// Where the JSON goes: `$CARGO_TARGET_DIR`, else the target directory the bench runs from.
fn target_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(d);
    }
    // .../target/release/deps/console_load-HASH
    std::env::current_exe()
        .ok()
        .and_then(|e| e.ancestors().nth(3).map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("target"))
}

fn summarize_failures(failures: &[Failure]) -> BTreeMap<String, (usize, String)> {
    let mut m: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for f in failures {
        let e = m.entry(format!("{} -> {}", f.page.name(), f.status)).or_insert((0, format!("{}: {}", f.path, f.what)));
        e.0 += 1;
    }
    m
}

async fn run(backend: Arc<dyn Backend>, world: World, size: &Size, quick: bool) {
    let base = serve(backend.clone()).await;

    let t = Instant::now();
    let mut coords = Vec::new();
    for (name, scope, units) in &world.accounts {
        match sign_in(&backend, &base, name, *scope).await {
            Ok(session) => {
                coords.push(Arc::new(Coord { units: units.clone(), cookie: format!("lanterna_console={session}") }))
            }
            Err(e) => println!("sign-in of {name} failed: {e}"),
        }
    }
    println!(
        "{} of {COORDINATORS} coordinators signed in through the link and sign-in forms in {:.1} s",
        coords.len(),
        t.elapsed().as_secs_f64()
    );
    assert!(!coords.is_empty(), "no coordinator could sign in");

    // Each page alone, for a baseline without any queue.
    let (alone, alone_fail) = alone(&coords, &base).await;

    // (a) Idle pages.
    let idle_for = size.idle_pages;
    let (idle_pages, idle_fail, idle_window) = browsing(&coords, &base, 1, tokio::time::sleep(idle_for)).await;
    println!("(a) idle pages: {} pages in {:.1} s", idle_pages.len(), idle_window.as_secs_f64());

    // (b) Idle sync.
    let idle_sync = sync_rounds(&world.phones, &base, 0, size.rounds, size.sync_cap).await;
    println!(
        "(b) idle sync: {} batches in {:.1} s ({} rounds)",
        idle_sync.latencies.len(),
        idle_sync.took.as_secs_f64(),
        idle_sync.rounds
    );

    // (c) Together: the same rounds while the coordinators browse.
    let mut together_sync = Syncs::default();
    let (together_pages, together_fail, together_window) = browsing(&coords, &base, 2, async {
        together_sync = sync_rounds(&world.phones, &base, size.rounds, size.rounds, size.sync_cap).await;
    })
    .await;
    println!(
        "(c) together: {} batches ({} rounds) and {} pages in {:.1} s",
        together_sync.latencies.len(),
        together_sync.rounds,
        together_pages.len(),
        together_window.as_secs_f64()
    );

    report(
        &world,
        size,
        quick,
        coords.len(),
        (&idle_pages, &together_pages),
        (&idle_sync, &together_sync),
        (&alone_fail, &idle_fail, &together_fail),
        &alone,
        (idle_window, together_window),
    );
}

#[allow(clippy::too_many_arguments)]
fn report(
    world: &World,
    size: &Size,
    quick: bool,
    coordinators: usize,
    pages: (&[Sample], &[Sample]),
    syncs: (&Syncs, &Syncs),
    failures: (&[Failure], &[Failure], &[Failure]),
    alone: &[[(Duration, usize); 2]],
    windows: (Duration, Duration),
) {
    let (in_, ip50, ip95) = page_stats(pages.0, None);
    let (tn, tp50, tp95) = page_stats(pages.1, None);
    let (mut si, mut st) = (syncs.0.latencies.clone(), syncs.1.latencies.clone());
    let (is50, is99) = (pct(&mut si, 50.0), pct(&mut si, 99.0));
    let (ts50, ts99) = (pct(&mut st, 50.0), pct(&mut st, 99.0));

    println!();
    println!(
        "console load: {coordinators} coordinators, {} phones ({} units, {} summaries of history){}",
        world.phones.len(),
        world.units.len(),
        world.summaries,
        if quick { ", quick" } else { "" }
    );
    println!(
        "{:<14}{:>8}{:>11}{:>11}{:>10}{:>11}{:>11}{:>9}",
        "phase", "pages", "p50 ms", "p95 ms", "syncs", "p50 ms", "p99 ms", "retries"
    );
    println!(
        "{:<14}{:>8}{:>11.1}{:>11.1}{:>10}{:>11}{:>11}{:>9}",
        "idle pages",
        in_,
        ms(ip50),
        ms(ip95),
        "-",
        "-",
        "-",
        "-"
    );
    println!(
        "{:<14}{:>8}{:>11}{:>11}{:>10}{:>11.1}{:>11.1}{:>9}",
        "idle sync",
        "-",
        "-",
        "-",
        si.len(),
        ms(is50),
        ms(is99),
        syncs.0.retries
    );
    println!(
        "{:<14}{:>8}{:>11.1}{:>11.1}{:>10}{:>11.1}{:>11.1}{:>9}",
        "together",
        tn,
        ms(tp50),
        ms(tp95),
        st.len(),
        ms(ts50),
        ms(ts99),
        syncs.1.retries
    );
    println!(
        "{:<14}{:>8}{:>10.2}x{:>10.2}x{:>10}{:>10.2}x{:>10.2}x",
        "together/idle",
        "",
        ratio(tp50, ip50),
        ratio(tp95, ip95),
        "",
        ratio(ts50, is50),
        ratio(ts99, is99)
    );

    println!();
    println!(
        "{:<36}{:>20}{:>7}{:>9}{:>9}{:>7}{:>9}{:>9}{:>8}",
        "page", "alone ms net/unit", "idle n", "p50 ms", "p95 ms", "tog. n", "p50 ms", "p95 ms", "p95 x"
    );
    let mut per_page = Vec::new();
    for (n, (p, _)) in MIX.into_iter().enumerate() {
        let a = alone[n];
        let alone_words = format!("{:.0}/{:.0} ({}K)", ms(a[0].0), ms(a[1].0), a[0].1 / 1024);
        let (a_n, a50, a95) = page_stats(pages.0, Some(p));
        let (b_n, b50, b95) = page_stats(pages.1, Some(p));
        println!(
            "{:<36}{:>20}{:>7}{:>9.1}{:>9.1}{:>7}{:>9.1}{:>9.1}{:>7.2}x",
            p.name(),
            alone_words,
            a_n,
            ms(a50),
            ms(a95),
            b_n,
            ms(b50),
            ms(b95),
            ratio(b95, a95)
        );
        per_page.push(json!({
            "page": p.name(),
            "alone": {"network_ms": ms(a[0].0), "unit_ms": ms(a[1].0), "network_bytes": a[0].1, "unit_bytes": a[1].1},
            "idle": {"n": a_n, "p50_ms": ms(a50), "p95_ms": ms(a95)},
            "together": {"n": b_n, "p50_ms": ms(b50), "p95_ms": ms(b95)},
            "p95_ratio": ratio(b95, a95),
        }));
    }

    let fails = (summarize_failures(failures.1), summarize_failures(failures.2));
    let alone_fails = summarize_failures(failures.0);
    for (k, (n, example)) in &alone_fails {
        println!("alone: {n} x {k}, e.g. {example}");
    }
    let sync_errors = syncs.0.errors.len() + syncs.1.errors.len();
    if alone_fails.is_empty() && fails.0.is_empty() && fails.1.is_empty() && sync_errors == 0 {
        println!("\nevery page answered 200 without an error message; every batch was stored");
    }
    for (phase, f) in [("idle", &fails.0), ("together", &fails.1)] {
        for (k, (n, example)) in f {
            println!("{phase}: {n} x {k}, e.g. {example}");
        }
    }
    for (phase, s) in [("idle sync", syncs.0), ("together", syncs.1)] {
        if let Some(e) = s.errors.first() {
            println!("{phase}: {} batches failed, e.g. {e}", s.errors.len());
        }
    }

    let fail_json = |f: &BTreeMap<String, (usize, String)>| {
        f.iter().map(|(k, (n, e))| json!({"page_status": k, "count": n, "example": e})).collect::<Vec<_>>()
    };
    let doc = json!({
        "bench": "console_load",
        "quick": quick,
        "setup": {
            "coordinators": coordinators,
            "phones": world.phones.len(),
            "units": world.units.len(),
            "history_summaries": world.summaries,
            "reviews": size.reviews,
            "sync_rounds_planned": size.rounds,
            "sync_timeout_s": SYNC_TIMEOUT.as_secs(),
            "summaries_per_batch": PER_BATCH,
            "think_time_ms": [THINK.start().as_millis() as u64, THINK.end().as_millis() as u64],
            "page_timeout_s": PAGE_TIMEOUT.as_secs(),
            "store": "SQLite (temporary file)",
        },
        "idle_pages": {"n": in_, "p50_ms": ms(ip50), "p95_ms": ms(ip95), "window_s": windows.0.as_secs_f64()},
        "idle_sync": {"n": si.len(), "p50_ms": ms(is50), "p99_ms": ms(is99), "retries": syncs.0.retries, "errors": syncs.0.errors.len(), "rounds": syncs.0.rounds, "took_s": syncs.0.took.as_secs_f64()},
        "together": {
            "pages": {"n": tn, "p50_ms": ms(tp50), "p95_ms": ms(tp95), "window_s": windows.1.as_secs_f64()},
            "sync": {"n": st.len(), "p50_ms": ms(ts50), "p99_ms": ms(ts99), "retries": syncs.1.retries, "errors": syncs.1.errors.len(), "rounds": syncs.1.rounds, "took_s": syncs.1.took.as_secs_f64()},
        },
        "ratios_together_over_idle": {
            "page_p50": ratio(tp50, ip50),
            "page_p95": ratio(tp95, ip95),
            "sync_p50": ratio(ts50, is50),
            "sync_p99": ratio(ts99, is99),
        },
        "pages": per_page,
        "failures": {"alone": fail_json(&alone_fails), "idle": fail_json(&fails.0), "together": fail_json(&fails.1)},
    });
    let path = target_dir().join("console-load.json");
    match std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()) {
        Ok(()) => println!("\nwritten to {}", path.display()),
        Err(e) => println!("\ncould not write {}: {e}", path.display()),
    }
}

fn main() {
    // `cargo test --benches` runs this with --bench absent; only benchmark under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let quick = std::env::var_os("LANTERNA_BENCH_QUICK").is_some();
    let size = Size::new(quick);
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let backend: Arc<dyn Backend> = Arc::new(Sqlite::open(&dir.path().join("console-load.db")).unwrap());
    let world = seed(backend.as_ref(), &size);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(run(backend, world, &size, quick));
    drop(rt);
    println!("console load: whole run {:.1} s", started.elapsed().as_secs_f64());
}
