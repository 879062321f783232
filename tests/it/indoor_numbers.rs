//! Ads' phone numbers: entered to call them, kept only as a keyed hash. None of their
//! digits may reach the database file, its WAL, or even the decrypted tables; the same
//! number is still recognised across ads and sessions.

use chrono::{Duration, Utc};
use lanterna::domain::indoor::AdData;
use lanterna::domain::{Channel, Gender, Measure, Nationality, Outcome, Period, Province};
use lanterna::store::{NewIndoorSession, Store};

const KEY: &str = "24681357";

fn ad(nat: &str, g: Gender) -> AdData {
    AdData {
        site: "moscarossa".into(),
        province: Province::parse("BS").unwrap(),
        comune: None,
        nationality: Nationality::parse(nat).unwrap(),
        gender: g,
        declared_age: Some(24),
        risky: false,
    }
}

/// Every value of every table, decrypted, as text.
fn dump(store: &Store) -> String {
    let conn = store.connection();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for t in tables {
        let mut st = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = st.column_count();
        let mut rows = st.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                let v: rusqlite::types::Value = r.get(i).unwrap();
                out.push_str(&format!("{v:?}|"));
            }
            out.push('\n');
        }
    }
    out
}

#[test]
fn numbers_never_reach_the_disk_and_are_recognised_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    let mut store = Store::open(&path, KEY).unwrap();
    let bs = Province::parse("BS").unwrap();
    let started = Utc::now() - Duration::days(3);
    let s1 = store
        .start_indoor_session(&NewIndoorSession {
            started_at: started,
            province: bs,
            operators: 2,
            mediator_language: None,
        })
        .unwrap();
    // The same number typed three ways, and two others.
    let typed = ["+39 333 123 4567", "333-1234567", "0039 3331234567", "+40 712 345 678", "347 765 4321"];
    let digits = ["3331234567", "712345678", "3477654321"];
    let mut ads = Vec::new();
    for (k, t) in typed.iter().enumerate() {
        let (a, history) = store.add_ad(s1.id, &ad("RO", Gender::F), Some(t)).unwrap();
        assert!(a.has_number);
        if k == 1 {
            assert_eq!(history.ads_this_session, 1, "the second ad with the number knows the first");
        }
        if k == 2 {
            assert_eq!(history.ads_total, 2);
        }
        ads.push(a);
    }
    let (third, h) = store.add_ad(s1.id, &ad("NG", Gender::F), Some("3331234567")).unwrap();
    assert!(h.likely_controller(), "a number in 3+ ads is flagged");
    store.record_attempt(third.id, Channel::Whatsapp, Outcome::Reached).unwrap();
    store.record_attempt(ads[3].id, Channel::Call, Outcome::NoAnswer).unwrap();
    store.close_indoor_session(s1.id, Utc::now()).unwrap();

    // A later session meets the number again: seen before, and when.
    let s2 = store
        .start_indoor_session(&NewIndoorSession {
            started_at: Utc::now(),
            province: bs,
            operators: 1,
            mediator_language: None,
        })
        .unwrap();
    let h = store.number_history(s2.id, "+393331234567").unwrap();
    assert_eq!(h.ads_total, 4);
    assert_eq!(h.ads_this_session, 0);
    assert_eq!(h.earlier_dates, vec![s1.date]);
    assert!(store.number_history(s2.id, "+39 320 0000000").unwrap().earlier_dates.is_empty());
    store.add_ad(s2.id, &ad("RO", Gender::F), Some("+40712345678")).unwrap();

    let stats = store.indoor_stats(Period::new(s1.date, s2.date).unwrap()).unwrap();
    assert_eq!(stats.ads, 7);
    assert_eq!(stats.numbers, 3);
    assert_eq!(stats.numbers_in_several_ads, 2, "{stats:?}");
    assert_eq!(stats.likely_controllers, 1);
    assert_eq!(stats.numbers_seen_again_within_14_days, 1, "+40 712… seen 3 days before");
    assert_eq!(stats.ads_reached, 1);
    assert_eq!(stats.messages_by_channel["whatsapp"], 1);

    // Bad numbers are refused and change nothing.
    let before = store.list_indoor_sessions().unwrap();
    let err = store.add_ad(s2.id, &ad("RO", Gender::F), Some("712345678")).unwrap_err().to_string();
    assert!(err.contains("country code"), "{err}");
    assert_eq!(store.list_indoor_sessions().unwrap(), before);

    // Nothing of the numbers in the decrypted tables...
    let text = dump(&store);
    for d in digits {
        assert!(!text.contains(d), "{d} in the decrypted tables");
        assert!(!text.contains(&d[d.len() - 7..]), "the last 7 digits of {d} in the decrypted tables");
    }
    drop(store);
    // ...nor in the file or its WAL.
    for f in ["l.db", "l.db-wal"] {
        let Ok(bytes) = std::fs::read(dir.path().join(f)) else { continue };
        for d in digits {
            let needle = d.as_bytes();
            assert!(!bytes.windows(needle.len()).any(|w| w == needle), "{d} in {f}");
        }
    }
}

#[test]
fn a_number_reached_by_several_calls_is_one_contact_and_messages_are_apart() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("l.db"), KEY).unwrap();
    let bs = Province::parse("BS").unwrap();
    let session = |store: &mut Store, days_ago| {
        let started_at = Utc::now() - Duration::days(days_ago);
        store.start_indoor_session(&NewIndoorSession {
            started_at,
            province: bs,
            operators: 1,
            mediator_language: None,
        })
    };
    let (s1, s2) = (session(&mut store, 5).unwrap(), session(&mut store, 2).unwrap());
    // The same number in an ad of each session, reached by two calls in the first and one in
    // the second; answered messages on it and on a number never called.
    let (a1, _) = store.add_ad(s1.id, &ad("RO", Gender::F), Some("333 123 4567")).unwrap();
    let (a2, _) = store.add_ad(s2.id, &ad("RO", Gender::F), Some("+39 333 1234567")).unwrap();
    let (other, _) = store.add_ad(s2.id, &ad("RO", Gender::F), Some("347 765 4321")).unwrap();
    for (ad, channel, outcome) in [
        (a1.id, Channel::Call, Outcome::Reached),
        (a1.id, Channel::Call, Outcome::Reached),
        (a1.id, Channel::Whatsapp, Outcome::Reached),
        (a2.id, Channel::Call, Outcome::Reached),
        (other.id, Channel::Telegram, Outcome::Reached),
        (other.id, Channel::Call, Outcome::NoAnswer),
    ] {
        store.record_attempt(ad, channel, outcome).unwrap();
    }
    // An ad without a number, reached twice: each call is a person of its own (nothing
    // says they are the same).
    let (no_number, _) = store.add_ad(s2.id, &ad("NG", Gender::F), None).unwrap();
    store.record_attempt(no_number.id, Channel::Call, Outcome::Reached).unwrap();
    store.record_attempt(no_number.id, Channel::Call, Outcome::Reached).unwrap();

    let tally = store.indoor_tally(Period::new(s1.date, s2.date).unwrap()).unwrap();
    let of = |nat: &str, m: Measure| {
        let nat = Nationality::parse(nat).unwrap();
        tally.sum(m, |_, c| c.nationality == nat && c.gender == Gender::F)
    };
    assert_eq!(of("RO", Measure::Reached), 1, "one number reached by three calls in two sessions: one person");
    assert_eq!(of("RO", Measure::Calls), 4);
    assert_eq!(of("RO", Measure::Messages), 2, "messages are counted apart, never as contacts");
    assert_eq!(of("NG", Measure::Reached), 2, "an attempt without a number is a person");

    // A session counts its own persons: what it syncs, summed by the server per session.
    let counts = store.session_counts(s1.id).unwrap();
    assert_eq!((counts.calls, counts.messages, counts.contacts), (2, 1, 1));
    let counts = store.session_counts(s2.id).unwrap();
    assert_eq!((counts.calls, counts.messages, counts.contacts), (4, 1, 3));
    assert_eq!(store.session_tally(s2.id).unwrap().sum(Measure::Reached, |_, _| true), 3);
    let listed = store.list_indoor_sessions().unwrap();
    assert_eq!(listed.iter().map(|o| o.counts.contacts).sum::<u64>(), 4);
}
