//! What the benches share: a realistic summary, percentiles, the server run in-process on
//! 127.0.0.1:0 and enrolled devices. Included by each bench with `mod common;`.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use lanterna::domain::{Activity, Comune, Gender, ItemKind, Measure, Nationality, Province, Shift};
use lanterna::wire::{Cell, Summary};
use lanterna_server::config::Config;
use lanterna_server::http::AppState;
use lanterna_server::store::{Backend, Device};
use uuid::Uuid;

/// Nationalities the summaries spread over.
pub const NATS: [&str; 12] = ["RO", "NG", "AL", "BR", "ZZ", "XE", "CN", "MA", "BG", "PE", "UA", "CO"];

/// A realistic summary: a street outing of ~10 people, ~25 cells, in 2024, in Brescia.
pub fn summary(i: usize) -> Summary {
    let mut cells = Vec::new();
    for j in 0..(4 + i % 5) {
        for (m, n) in [
            (Measure::Contacts, 1 + (j % 3) as u32),
            (Measure::Item(ItemKind::Condoms), 3),
            (Measure::Item(ItemKind::Leaflets), 1),
        ] {
            cells.push(Cell {
                province: None,
                nationality: Nationality::parse(NATS[(i + j) % NATS.len()]).unwrap(),
                gender: [Gender::F, Gender::T, Gender::M][j % 3],
                measure: m,
                count: n,
            });
        }
    }
    cells.sort_by_key(|c| (c.nationality, c.gender, c.measure));
    cells.dedup_by_key(|c| (c.nationality, c.gender, c.measure));
    Summary {
        id: Uuid::new_v4(),
        revision: 1,
        deleted: false,
        activity: Activity::Street,
        date: chrono::NaiveDate::from_ymd_opt(2024, 1 + (i % 12) as u32, 1 + (i % 28) as u32).unwrap(),
        shift: if i % 2 == 0 { Shift::Night } else { Shift::Day },
        province: Province::parse("BS").unwrap(),
        comuni: vec![Comune::parse("017029").unwrap()],
        cells,
        team: None,
        minutes: None,
        mapping: false,
        session: None,
    }
}

/// The `p`th percentile (nearest rank) of `v`, which it sorts; zero when empty.
pub fn pct(v: &mut [Duration], p: f64) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    v.sort();
    v[(((p / 100.0) * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1]
}

/// Serves the API and the console over `backend` on 127.0.0.1:0 until the bench ends,
/// with rate limits no bench reaches; returns its base URL.
pub async fn serve(backend: Arc<dyn Backend>) -> String {
    let config = Config {
        listen: "127.0.0.1:0".into(),
        rate_burst: 1_000_000,
        rate_per_minute: 60_000_000,
        ..Config::default()
    };
    let listener = lanterna_server::http::bind(&config.listen).await.unwrap();
    let addr = listener.local_addr().unwrap();
    // Served until the bench ends: Ctrl-C still stops the bench itself.
    let state = AppState::new(backend, config);
    tokio::spawn(lanterna_server::http::serve_with_shutdown(state, listener, std::future::pending()));
    format!("http://{addr}")
}

/// Enrolls a device of `unit`, as a phone would with a one-time code: the device and its
/// token.
pub fn token(backend: &dyn Backend, unit: Uuid) -> (Device, String) {
    let code = lanterna_server::secret::code();
    let t = lanterna_server::secret::token();
    backend
        .add_enrollment(unit, &lanterna_server::secret::hash(&code), Utc::now() + chrono::Duration::hours(1))
        .unwrap();
    let device = backend
        .redeem(&lanterna_server::secret::hash(&code), &lanterna_server::secret::hash(&t), Utc::now())
        .unwrap()
        .unwrap();
    (device, t)
}
