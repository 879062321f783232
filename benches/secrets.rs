//! What the secrets cost, each against a baseline measured in the same run (one
//! HMAC-SHA256 of a phone number, what a guess cost before the memory-hard steps):
//! - one PIN guess: unwrapping the database key with a wrong PIN (Argon2id 64 MiB, t = 3,
//!   then an XChaCha20-Poly1305 check), which is what an attacker who copied the files
//!   pays per candidate PIN;
//! - one number hash: Argon2id over the HMAC (32 MiB, t = 2), what enumerating the phone
//!   numbers costs per candidate once the database is open.
//!
//! After criterion's output, the absolute times, the ratios and what the whole spaces
//! cost on one core are printed. `LANTERNA_BENCH_QUICK=1` takes fewer samples.

use std::time::{Duration, Instant};

use criterion::Criterion;
use hmac::{Hmac, Mac};
use lanterna::store::{KeyFile, Store, key_file_path, number_hash_of};
use sha2::Sha256;

const KEY: &str = "bench-key-24681357";
const NUMBER: &str = "+393331234567";

fn quick() -> bool {
    std::env::var("LANTERNA_BENCH_QUICK").is_ok()
}

fn hmac(key: &[u8], e164: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(e164.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The mean time of `f` over `n` runs after one warm-up.
fn mean(n: u32, mut f: impl FnMut()) -> Duration {
    f();
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed() / n
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("bench.db");
    drop(Store::open(&db, KEY).expect("a database"));
    let file = KeyFile::read(&key_file_path(&db)).expect("readable").expect("a key file");
    assert!(file.unwrap_key(KEY).is_some() && file.unwrap_key("99999999").is_none());
    let number_key = [7u8; 32];

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("secrets");
    group.sample_size(10).measurement_time(Duration::from_secs(if quick() { 2 } else { 8 }));
    group.bench_function("baseline: one HMAC-SHA256 of a number", |b| {
        b.iter(|| hmac(std::hint::black_box(&number_key), NUMBER))
    });
    group.bench_function("one PIN guess (unwrap with a wrong PIN)", |b| {
        b.iter(|| file.unwrap_key(std::hint::black_box("99999999")))
    });
    group.bench_function("one number hash (Argon2id over the HMAC)", |b| {
        b.iter(|| number_hash_of(std::hint::black_box(&number_key), NUMBER))
    });
    group.finish();
    c.final_summary();

    // The same three, timed plainly, for the ratios and the printed figures.
    let runs = if quick() { 5 } else { 20 };
    let base = mean(100_000, || {
        std::hint::black_box(hmac(&number_key, NUMBER));
    });
    let guess = mean(runs, || {
        std::hint::black_box(file.unwrap_key("99999999"));
    });
    let number = mean(runs, || {
        std::hint::black_box(number_hash_of(&number_key, NUMBER));
    });
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let days = |d: Duration, n: f64| d.as_secs_f64() * n / 86_400.0;
    println!();
    println!("baseline HMAC-SHA256: {:.4} ms", ms(base));
    println!(
        "one PIN guess:   {:.1} ms = {:.0} x baseline; 10^8 PINs of 8 digits: {:.0} core-days (half on average)",
        ms(guess),
        guess.as_secs_f64() / base.as_secs_f64(),
        days(guess, 1e8)
    );
    println!(
        "one number hash: {:.1} ms = {:.0} x baseline; 10^8 Italian mobile numbers (3xx xxxxxxx): {:.0} core-days",
        ms(number),
        number.as_secs_f64() / base.as_secs_f64(),
        days(number, 1e8)
    );
}
