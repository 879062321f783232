//! Store benchmarks, each against a baseline measured in the same run:
//! - one durable tap (a new person, their contact with three items and their rows in the
//!   kept periods, one transaction, fsynced WAL), and one tap on a known person, against
//!   one `write` + `fsync` of 4 KiB on the same disk;
//! - the full street report of persons over a published period, 50k and 500k contacts of
//!   6k and 60k persons (each met on about 8 outings), against a bare `SELECT count(*)`
//!   over the same contacts; the same report counting contacts, and persons over a range
//!   that is no kept period (read from the contacts), are printed beside it.
//!
//! After criterion's own output, the ratios are printed from its estimates.
//! `LANTERNA_BENCH_QUICK=1` runs 50k only with short measurements (a smoke run).

use std::fs::OpenOptions;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{Duration as Days, NaiveDate, Utc};
use criterion::{BenchmarkId, Criterion};
use lanterna::domain::tables::{ReportScope, street_report};
use lanterna::domain::{
    Activity, ContactData, ContactRecord, Count, Gender, ItemKey, ItemKind, Language, Nationality, Period, Place,
    Province, Shift,
};
use lanterna::store::{NewOuting, Store, TallyParts};

const KEY: &str = "bench-key-246813";

fn bench_dir() -> PathBuf {
    // Same disk as the project, never a tmpfs.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lanterna-bench");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn quick() -> bool {
    std::env::var("LANTERNA_BENCH_QUICK").is_ok()
}

fn kit_contact() -> ContactData {
    let mut data = ContactData::new(Gender::F, Nationality::parse("NG").unwrap());
    data.items.set(ItemKey::plain(ItemKind::Condoms), 3);
    data.items.set(ItemKey::plain(ItemKind::Lubricant), 1);
    data.items.set(ItemKey::leaflets(Language::English), 1);
    data
}

fn tap(c: &mut Criterion, dir: &Path) {
    let mut group = c.benchmark_group("tap");
    group.sample_size(if quick() { 20 } else { 60 }).measurement_time(Duration::from_secs(if quick() {
        3
    } else {
        10
    }));

    let path = dir.join("fsync.bin");
    let mut file = OpenOptions::new().create(true).truncate(true).read(true).write(true).open(&path).unwrap();
    file.write_all(&vec![0u8; 4 << 20]).unwrap();
    file.sync_all().unwrap();
    let block = [0x5au8; 4096];
    let mut i = 0u64;
    group.bench_function("baseline_write_fsync_4k", |b| {
        b.iter(|| {
            file.seek(SeekFrom::Start((i % 1024) * 4096)).unwrap();
            file.write_all(&block).unwrap();
            file.sync_all().unwrap();
            i += 1;
        })
    });

    let mut store = Store::open(&dir.join("tap.db"), KEY).unwrap();
    let outing = store
        .start_outing(&NewOuting {
            activity: Activity::Street,
            started_at: Utc::now(),
            shift: Some(Shift::Night),
            team_size: Some(2),
            mediator: true,
            mediator_language: None,
            legal_operator: false,
            mapping: false,
        })
        .unwrap();
    let stop = store.add_stop(outing.id, Place::province(Province::parse("BS").unwrap()), None).unwrap();
    let data = kit_contact();
    group.bench_function("record_contact_3_items", |b| b.iter(|| store.record_contact(stop.id, &data).unwrap()));
    let first = store.record_contact(stop.id, &data).unwrap();
    let known = store.person_of_contact(first.id).unwrap();
    group.bench_function("record_known_person_3_items", |b| {
        b.iter(|| store.record_known(stop.id, known.id, &data.items).unwrap())
    });
    group.finish();
}

/// `n` street and labour contacts over two years, several provinces and nationalities, met
/// on outings of about 25 people each (as units meet them: 10 to 40 a night), of `n / 8`
/// persons (a person code each; the code decides who they are).
fn generate(n: usize) -> Vec<ContactRecord> {
    let persons = (n / 8).max(1);
    let nats: Vec<Nationality> = ["RO", "NG", "BR", "AL", "CN", "PE", "CO", "VE", "BG", "MA", "XE", "ZZ"]
        .iter()
        .map(|c| Nationality::parse(c).unwrap())
        .collect();
    let provinces: Vec<Province> =
        ["BS", "MI", "BG", "CR", "LO", "MN", "VA"].iter().map(|p| Province::parse(p).unwrap()).collect();
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |m: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % m as u64) as usize
    };
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let activity = if next(5) == 0 { Activity::Labour } else { Activity::Street };
        let date = start + Days::days(next(730) as i64);
        let shift = if next(3) == 0 { Shift::Day } else { Shift::Night };
        let place = Place::province(provinces[next(provinces.len())]);
        for _ in 0..(10 + next(31)).min(n - out.len()) {
            let who = next(persons);
            let mut data = ContactData::new(Gender::ALL[who % 3], nats[who % nats.len()]);
            if who % 10 == 0 {
                data.age_band = Some(lanterna::domain::AgeBand::Minor);
            }
            data.first_contact = Some(next(4) == 0);
            data.items.set(ItemKey::plain(ItemKind::Condoms), 3);
            out.push(ContactRecord { activity, date, shift, place, person: Some(format!("p{who}")), data });
        }
    }
    out
}

fn report(c: &mut Criterion, dir: &Path) {
    let mut group = c.benchmark_group("street_report");
    group.sample_size(10).measurement_time(Duration::from_secs(if quick() { 2 } else { 8 }));
    let sizes: &[usize] = if quick() { &[50_000] } else { &[50_000, 500_000] };
    let period =
        Period::new(NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2024, 12, 31).unwrap())
            .unwrap();
    for &n in sizes {
        let path = dir.join(format!("report-{n}.db"));
        let mut store = Store::open(&path, KEY).unwrap();
        // Imported as ~1 outing per date, shift, activity and province, as real data is.
        store.import_records(&generate(n), &format!("bench-{n}")).unwrap();
        // The call for proposals the coordinator published: its persons are kept cell by cell.
        store.set_named_periods(&[("bench".to_owned(), period)]).unwrap();
        drop(store);
        let store = Store::open(&path, KEY).unwrap();
        group.bench_with_input(BenchmarkId::new("baseline_select_count", n), &n, |b, _| {
            b.iter(|| store.count_contacts().unwrap())
        });
        group.bench_with_input(BenchmarkId::new("baseline_count_in_period", n), &n, |b, _| {
            b.iter(|| store.count_contacts_in(period).unwrap())
        });
        let persons = ReportScope { count: Count::Persons, ..ReportScope::period(period) };
        group.bench_with_input(BenchmarkId::new("full_street_report", n), &n, |b, _| {
            b.iter(|| street_report(&store.persons_tally(period, Some(Activity::Street)).unwrap(), &persons))
        });
        group.bench_with_input(BenchmarkId::new("street_report_contacts", n), &n, |b, _| {
            b.iter(|| street_report(&store.tally(period, TallyParts::CONTACTS).unwrap(), &ReportScope::period(period)))
        });
        let range = Period::new(period.from, period.to.pred_opt().unwrap()).unwrap();
        group.bench_with_input(BenchmarkId::new("street_report_persons_any_range", n), &n, |b, _| {
            b.iter(|| street_report(&store.persons_tally(range, Some(Activity::Street)).unwrap(), &persons))
        });
    }
    group.finish();
}

fn estimate(group: &str, id: &str) -> Option<f64> {
    let root = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from("target"));
    let path = root.join("criterion").join(group).join(id).join("new/estimates.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    v["median"]["point_estimate"].as_f64()
}

fn print_ratios() {
    println!("\n== Lanterna store benchmarks: ratios against same-run baselines (medians) ==");
    let fmt = |ns: f64| if ns > 1e6 { format!("{:.2} ms", ns / 1e6) } else { format!("{:.1} µs", ns / 1e3) };
    if let (Some(base), Some(tap), Some(known)) = (
        estimate("tap", "baseline_write_fsync_4k"),
        estimate("tap", "record_contact_3_items"),
        estimate("tap", "record_known_person_3_items"),
    ) {
        println!(
            "durable tap (new person + contact + 3 items + period rows): {} vs write+fsync 4 KiB {}: ratio {:.2} \
             (goal <= 1.5); a known person: {}: ratio {:.2}",
            fmt(tap),
            fmt(base),
            tap / base,
            fmt(known),
            known / base
        );
    }
    let mut prev: Option<(usize, f64, f64)> = None;
    for n in [50_000usize, 500_000] {
        let (Some(base), Some(scan), Some(rep)) = (
            estimate("street_report", &format!("baseline_select_count/{n}")),
            estimate("street_report", &format!("baseline_count_in_period/{n}")),
            estimate("street_report", &format!("full_street_report/{n}")),
        ) else {
            continue;
        };
        println!(
            "street report of persons over a published period, {n} contacts of {} persons: {} vs bare \
             SELECT count(*) {}: ratio {:.2} (goal <= 3); vs count(*) of the period's contacts through the joins {}",
            n / 8,
            fmt(rep),
            fmt(base),
            rep / base,
            fmt(scan),
        );
        if let (Some(c), Some(r)) = (
            estimate("street_report", &format!("street_report_contacts/{n}")),
            estimate("street_report", &format!("street_report_persons_any_range/{n}")),
        ) {
            println!(
                "  counting contacts: {} (ratio {:.2}); persons over a range no period keeps: {} (ratio {:.2})",
                fmt(c),
                c / base,
                fmt(r),
                r / base
            );
        }
        if let Some((pn, pbase, prep)) = prev {
            println!(
                "growth {pn} -> {n} ({}x contacts): report x{:.1}, count(*) x{:.1}",
                n / pn,
                rep / prep,
                base / pbase
            );
        }
        prev = Some((n, base, rep));
    }
}

fn main() {
    let dir = bench_dir();
    let mut c = Criterion::default().configure_from_args();
    tap(&mut c, &dir);
    report(&mut c, &dir);
    c.final_summary();
    print_ratios();
    let _ = std::fs::remove_dir_all(&dir);
}
