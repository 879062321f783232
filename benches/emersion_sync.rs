//! What emersion sync costs the phone: `pending_person_summaries` on a phone with three
//! years of street and labour records (20k contacts of 2.5k persons) and nothing pending,
//! with and without three years of emersion records (900 persons interviewed 1800 times,
//! requests, outcomes on 1000 contacts, 400 helpline reports), and right after an edit of
//! one emersion record (every kept period's emersion counts recomputed, one re-sent).
//! The baseline is the same call on the phone without emersion records, in the same run.
//! After criterion's output the ratios are printed. `LANTERNA_BENCH_QUICK=1`: short runs.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{Duration as Days, NaiveDate};
use criterion::Criterion;
use lanterna::domain::emersion::{
    Adhesion, ContactOutcome, Findings, HelpKind, HelplineReport, HelplineSource, InterviewKind, Verdict,
};
use lanterna::domain::{
    Activity, ContactData, ContactRecord, Gender, ItemKey, ItemKind, Nationality, Period, PersonDetails, Place,
    Protection, Province, Shift,
};
use lanterna::store::Store;
use lanterna::store::emersion::NewInterview;
use lanterna::wire::AckStatus;

const KEY: &str = "bench-key-246813";
const CONTACTS: usize = 20_000;

fn quick() -> bool {
    std::env::var("LANTERNA_BENCH_QUICK").is_ok()
}

fn bench_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lanterna-bench-emersion");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A small xorshift, so both phones hold the same records.
struct Rng(u64);

impl Rng {
    fn next(&mut self, m: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % m as u64) as usize
    }
}

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()
}

fn nats() -> Vec<Nationality> {
    ["RO", "NG", "BR", "AL", "CN", "MA"].iter().map(|c| Nationality::parse(c).unwrap()).collect()
}

/// Three years of street and labour contacts in three provinces.
fn records(rng: &mut Rng) -> Vec<ContactRecord> {
    let persons = CONTACTS / 8;
    let provinces: Vec<Province> = ["BS", "BG", "MI"].iter().map(|p| Province::parse(p).unwrap()).collect();
    let nats = nats();
    let mut out = Vec::with_capacity(CONTACTS);
    while out.len() < CONTACTS {
        let activity = if rng.next(5) == 0 { Activity::Labour } else { Activity::Street };
        let date = start() + Days::days(rng.next(1090) as i64);
        let shift = if rng.next(3) == 0 { Shift::Day } else { Shift::Night };
        let place = Place::province(provinces[rng.next(provinces.len())]);
        for _ in 0..(10 + rng.next(31)).min(CONTACTS - out.len()) {
            let who = rng.next(persons);
            let mut data = ContactData::new(Gender::ALL[who % 3], nats[who % nats.len()]);
            data.items.set(ItemKey::plain(ItemKind::Condoms), 3);
            out.push(ContactRecord { activity, date, shift, place, person: Some(format!("p{who}")), data });
        }
    }
    out
}

/// Three years of emersion work in Bergamo.
fn emersion(store: &mut Store, rng: &mut Rng) {
    let bg = Province::parse("BG").unwrap();
    let nats = nats();
    let today = chrono::Utc::now().date_naive();
    let day = |rng: &mut Rng| (start() + Days::days(rng.next(1090) as i64)).min(today);
    for i in 0..900 {
        let details = PersonDetails {
            name: None,
            gender: Gender::ALL[i % 3],
            nationality: nats[i % nats.len()],
            age_band: None,
            protection: Protection::Unknown,
        };
        let p = store.create_person(&details).unwrap().id;
        let kind = if i % 4 == 0 { InterviewKind::Referral } else { InterviewKind::Social };
        let first = day(rng);
        let pending = Findings { verdict: Some(Verdict::Pending), ..Default::default() };
        let new = NewInterview { person: p, date: first, province: bg, kind, findings: pending, requested: None };
        store.record_interview(&new).unwrap();
        let later = (first + Days::days(20 + rng.next(60) as i64)).min(today);
        let done = Findings {
            verdict: Some(if i % 3 == 0 { Verdict::NotIdentified } else { Verdict::Identified }),
            adhesion: Some(if i % 2 == 0 { Adhesion::Yes } else { Adhesion::Waiting }),
            ..Default::default()
        };
        store.record_interview(&NewInterview { date: later, findings: done, ..new }).unwrap();
        if i % 10 == 0 {
            store.record_referral_request(p, day(rng), bg).unwrap();
        }
    }
    let contacts: Vec<i64> = (1..=CONTACTS as i64).step_by(20).collect();
    for c in contacts {
        store.set_contact_outcomes(c, [ContactOutcome::Proposed].into_iter().collect()).unwrap();
    }
    for i in 0..400 {
        let report = HelplineReport {
            id: 0,
            date: day(rng),
            province: bg,
            gender: Gender::ALL[i % 3],
            nationality: nats[i % nats.len()],
            known: i % 2 == 0,
            source: HelplineSource::Agency,
            help: [HelpKind::Shelter].into_iter().collect(),
            outcome: None,
        };
        store.record_helpline_report(&report).unwrap();
    }
}

/// Sends everything pending (acknowledged at once, as a server would).
fn drain(store: &mut Store) -> usize {
    let mut n = 0;
    loop {
        let sent = store.pending_person_summaries(500).unwrap();
        if sent.is_empty() {
            return n;
        }
        n += sent.len();
        let acks: Vec<_> = sent.iter().map(|p| p.ack(AckStatus::Stored)).collect();
        store.mark_persons_synced(&acks).unwrap();
    }
}

fn phone(dir: &Path, name: &str, with_emersion: bool) -> Store {
    let path = dir.join(format!("{name}.db"));
    let mut store = Store::open(&path, KEY).unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    store.import_records(&records(&mut rng), name).unwrap();
    if with_emersion {
        emersion(&mut store, &mut rng);
    }
    let sent = drain(&mut store);
    println!("{name}: {sent} period summaries sent at first sync");
    store
}

fn bench(c: &mut Criterion) {
    let dir = bench_dir();
    let mut plain = phone(&dir, "plain", false);
    let mut full = phone(&dir, "emersion", true);
    let mut group = c.benchmark_group("pending_person_summaries");
    group.sample_size(10).measurement_time(Duration::from_secs(if quick() { 2 } else { 8 }));
    group.bench_function("baseline_no_emersion", |b| b.iter(|| plain.pending_person_summaries(500).unwrap()));
    group.bench_function("with_emersion_nothing_changed", |b| {
        b.iter(|| {
            let sent = full.pending_person_summaries(500).unwrap();
            assert!(sent.is_empty());
        })
    });
    let mut report =
        full.helpline_reports(Period::new(start(), chrono::Utc::now().date_naive()).unwrap()).unwrap()[0].clone();
    group.bench_function("with_emersion_after_an_edit", |b| {
        b.iter(|| {
            report.known = !report.known;
            full.update_helpline_report(&report).unwrap();
            let sent = full.pending_person_summaries(500).unwrap();
            assert!(!sent.is_empty());
            let acks: Vec<_> = sent.iter().map(|p| p.ack(AckStatus::Stored)).collect();
            full.mark_persons_synced(&acks).unwrap();
        })
    });
    group.finish();
}

fn estimate(id: &str) -> Option<f64> {
    let root = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from("target"));
    let path = root.join("criterion/pending_person_summaries").join(id).join("new/estimates.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    v["median"]["point_estimate"].as_f64()
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
    let base = estimate("baseline_no_emersion");
    for id in ["with_emersion_nothing_changed", "with_emersion_after_an_edit"] {
        if let (Some(b), Some(x)) = (base, estimate(id)) {
            println!("{id}: {:.2} ms, {:.2}x the call without emersion records ({:.2} ms)", x / 1e6, x / b, b / 1e6);
        }
    }
}
