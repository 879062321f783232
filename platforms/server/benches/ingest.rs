//! Sync benchmarks, each with a baseline measured in the same run:
//! - ingest rate over HTTP into SQLite (and PostgreSQL when installed), against the same
//!   batches only gunzipped, parsed and validated in-process (the floor without a store);
//! - 1,000 devices sending at once: p50/p99 latency, against one device alone;
//! - bytes on the wire for one unit-year (1,500 outings) as gzip'd summaries, against the
//!   same contacts sent as one ODK-style XML submission per contact.
//!
//! `cargo bench -p lanterna-server --bench ingest` (LANTERNA_BENCH_QUICK=1: smaller).

mod common;

use std::io::Read;
use std::sync::Arc;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use lanterna::domain::{
    Activity, Comune, ContactData, EventKind, Gender, ItemKey, ItemKind, Nationality, Place, Province, ServiceKind,
    Shift,
};
use lanterna::store::{NewOuting, Store};
use lanterna::sync::{Client, gzip_json};
use lanterna::wire::{Batch, Limits};
use lanterna_server::store::{Backend, Sqlite};
use uuid::Uuid;

use self::common::{NATS, pct, serve, summary, token};

async fn ingest(name: &str, backend: Arc<dyn Backend>, n: usize) {
    // Store calls block (the PostgreSQL client has its own runtime): off the async threads.
    let (unit, tok) = tokio::task::block_in_place(|| {
        let unit = backend.add_unit(&format!("bench-{}", Uuid::new_v4())).unwrap().id;
        let (device, tok) = token(backend.as_ref(), unit);
        // The store alone, in-process.
        let direct: Vec<Batch> = (0..n)
            .collect::<Vec<_>>()
            .chunks(200)
            .map(|c| Batch { summaries: c.iter().map(|&i| summary(i)).collect(), persons: vec![] })
            .collect();
        let t = Instant::now();
        for b in &direct {
            backend.store(&device, b, Utc::now()).unwrap();
        }
        println!("ingest {name}: store alone {:.0} summaries/s", n as f64 / t.elapsed().as_secs_f64());
        (unit, tok)
    });
    let _ = unit;
    let url = serve(backend).await;
    let client = Client::new(&url).unwrap();
    let batches: Vec<Batch> = (0..n)
        .collect::<Vec<_>>()
        .chunks(200)
        .map(|c| Batch { summaries: c.iter().map(|&i| summary(i)).collect(), persons: vec![] })
        .collect();
    let t = Instant::now();
    let wire: Vec<Vec<u8>> = batches.iter().map(gzip_json).collect();
    println!(
        "ingest {name}: the phone's JSON + gzip alone {:.0} summaries/s ({} KiB per batch on the wire)",
        n as f64 / t.elapsed().as_secs_f64(),
        wire[0].len() / 1024
    );

    // Baseline: gunzip, parse and validate the same bytes, no HTTP, no store.
    let t = Instant::now();
    for w in &wire {
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(&w[..]).read_to_end(&mut json).unwrap();
        let b: Batch = serde_json::from_slice(&json).unwrap();
        b.summaries.iter().for_each(|s| s.validate(&Limits::default()).unwrap());
    }
    let floor = t.elapsed();

    let t = Instant::now();
    for b in &batches {
        client.send(&tok, b).await.unwrap();
    }
    let took = t.elapsed();
    let rate = n as f64 / took.as_secs_f64();
    println!(
        "ingest {name}: {n} summaries in {:.2} s = {rate:.0} summaries/s (goal 5000); parse+validate only {:.0}/s; ratio {:.1}x",
        took.as_secs_f64(),
        n as f64 / floor.as_secs_f64(),
        took.as_secs_f64() / floor.as_secs_f64()
    );
}

async fn many_devices(devices: usize) {
    let dir = tempfile::tempdir().unwrap();
    let backend: Arc<dyn Backend> = Arc::new(Sqlite::open(&dir.path().join("many.db")).unwrap());
    let unit = backend.add_unit("many").unwrap().id;
    let tokens: Vec<String> = (0..devices).map(|_| token(backend.as_ref(), unit).1).collect();
    let url = serve(backend).await;

    // Baseline: one device alone, 50 requests in a row.
    let client = Client::new(&url).unwrap();
    let mut alone = Vec::new();
    for i in 0..50 {
        let b = Batch { summaries: vec![summary(i), summary(i + 1)], persons: vec![] };
        let t = Instant::now();
        client.send(&tokens[0], &b).await.unwrap();
        alone.push(t.elapsed());
    }
    let alone50 = pct(&mut alone, 50.0);

    let start = Arc::new(tokio::sync::Barrier::new(devices));
    let mut tasks = Vec::new();
    for (i, tok) in tokens.into_iter().enumerate() {
        let (url, start) = (url.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            let client = Client::new(&url).unwrap();
            let b = Batch { summaries: vec![summary(i), summary(i + 7)], persons: vec![] };
            start.wait().await;
            let t = Instant::now();
            client.send_retrying(&tok, &b).await.unwrap();
            t.elapsed()
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.push(t.await.unwrap());
    }
    let (p50, p99) = (pct(&mut lat, 50.0), pct(&mut lat, 99.0));
    println!(
        "{devices} devices at once: p50 {:.1} ms, p99 {:.1} ms; one device alone p50 {:.2} ms; p50 ratio {:.0}x",
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        alone50.as_secs_f64() * 1e3,
        p50.as_secs_f64() / alone50.as_secs_f64()
    );
}

/// One contact as an ODK Collect submission: the XForm instance, posted as
/// multipart/form-data to /submission, one request per contact.
fn odk_submission(date: &str, shift: &str, province: &str, comune: &str, d: &ContactData) -> usize {
    let items: String =
        ItemKind::ALL.iter().map(|k| format!("<{0}>{1}</{0}>", k.code(), d.items.get(ItemKey::plain(*k)))).collect();
    let xml = format!(
        "<?xml version='1.0' ?><data id=\"lanterna_contatto\" version=\"2024011501\" \
         xmlns:jr=\"http://openrosa.org/javarosa\" xmlns:orx=\"http://openrosa.org/xforms\">\
         <start>{date}T22:03:11.000+01:00</start><end>{date}T22:04:02.000+01:00</end><today>{date}</today>\
         <deviceid>collect:Xy12AbC34dEf56Gh</deviceid><uscita><data_uscita>{date}</data_uscita><turno>{shift}</turno>\
         <attivita>street</attivita><provincia>{province}</provincia><comune>{comune}</comune></uscita>\
         <persona><genere>{}</genere><nazionalita>{}</nazionalita><eta/><primo_contatto/><protezione>unknown</protezione>\
         </persona><materiale>{items}</materiale><servizi><informazioni>no</informazioni><ascolto>no</ascolto>\
         <invio>{}</invio><accompagnamento/></servizi><meta><instanceID>uuid:{}</instanceID></meta></data>",
        d.gender.code(),
        d.nationality.code(),
        if d.services.count(EventKind::Referral, Some(ServiceKind::Health)) > 0 { "health" } else { "" },
        Uuid::new_v4()
    );
    let boundary = "----1f2e3d4c5b6a79887766554433221100";
    let multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"xml_submission_file\"; filename=\"submission.xml\"\r\n\
         Content-Type: text/xml\r\n\r\n{xml}\r\n--{boundary}--\r\n"
    );
    let head = format!(
        "POST /submission HTTP/1.1\r\nHost: odk.example.org\r\nX-OpenRosa-Version: 1.0\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
        multipart.len()
    );
    head.len() + multipart.len()
}

fn unit_year(outings: usize) {
    let mut store = Store::open_in_memory().unwrap();
    let bs = Province::parse("BS").unwrap();
    let comune = Comune::parse("017029").unwrap();
    let mut odk = 0usize;
    let mut contacts = 0usize;
    for i in 0..outings {
        let day = Utc.with_ymd_and_hms(2024, 1 + (i % 12) as u32, 1 + (i % 28) as u32, 21, 0, 0).unwrap();
        let shift = if i % 3 == 0 { Shift::Day } else { Shift::Night };
        let o = store
            .start_outing(&NewOuting {
                activity: Activity::Street,
                started_at: day,
                shift: Some(shift),
                team_size: None,
                mediator: false,
                mediator_language: None,
                legal_operator: false,
                mapping: false,
            })
            .unwrap();
        let stop = store.add_stop(o.id, Place { province: bs, comune: Some(comune) }, None).unwrap();
        for j in 0..(4 + i % 9) {
            let mut d = ContactData::new(
                [Gender::F, Gender::T, Gender::M][j % 3],
                Nationality::parse(NATS[(i * 7 + j) % NATS.len()]).unwrap(),
            );
            d.items.set(ItemKey::plain(ItemKind::Condoms), 3);
            d.items.set(ItemKey::plain(ItemKind::Lubricant), 1);
            if j % 5 == 0 {
                d.services.set_count(EventKind::Referral, Some(ServiceKind::Health), 1);
            }
            store.record_contact(stop.id, &d).unwrap();
            odk += odk_submission(&o.date.to_string(), shift.code(), "BS", "017029", &d);
            contacts += 1;
        }
        store.close_outing(o.id, day).unwrap();
    }
    let mut ours = 0usize;
    loop {
        let s = store.pending_summaries(200).unwrap();
        if s.is_empty() {
            break;
        }
        let body = gzip_json(&Batch { summaries: s.clone(), persons: vec![] });
        // The request as sent: head (with a bearer token) and gzip'd body.
        ours += body.len() + 260;
        let acks: Vec<_> =
            s.iter().map(|x| lanterna::wire::Ack::new(x.id, x.revision, lanterna::wire::AckStatus::Stored)).collect();
        store.mark_synced(&acks).unwrap();
    }
    println!(
        "one unit-year ({outings} outings, {contacts} contacts): summaries {} KiB vs ODK-style XML per contact {} KiB: {:.0}x fewer bytes (goal 20x)",
        ours / 1024,
        odk / 1024,
        odk as f64 / ours as f64
    );
}

fn main() {
    // `cargo test --benches` runs this with --bench absent; only benchmark under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let quick = std::env::var_os("LANTERNA_BENCH_QUICK").is_some();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    // Opened and dropped outside the runtime: the PostgreSQL client blocks on its own one.
    let pg: Option<Arc<dyn Backend>> =
        std::env::var("LANTERNA_BENCH_POSTGRES").ok().map(|url| Arc::from(lanterna_server::store::open(&url).unwrap()));
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let n = if quick { 2_000 } else { 20_000 };
        ingest("SQLite", Arc::new(Sqlite::open(&dir.path().join("ingest.db")).unwrap()), n).await;
        if let Some(pg) = &pg {
            ingest("PostgreSQL", pg.clone(), n).await;
        } else {
            println!("ingest PostgreSQL: set LANTERNA_BENCH_POSTGRES=postgres://... to measure it");
        }
        many_devices(if quick { 200 } else { 1_000 }).await;
    });
    drop(rt);
    drop(pg);
    unit_year(if quick { 300 } else { 1_500 });
}
