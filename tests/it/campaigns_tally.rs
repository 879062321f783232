//! Message campaigns on indoor numbers: an attempt tagged with a campaign and the
//! message's language; a number counts once per campaign and session as a person reached;
//! the session's synced tally carries the counts; `lanterna report campaigns` prints them,
//! from the app and from an imported log; a bad campaign refuses the whole log.

use chrono::{Duration, Utc};
use lanterna::domain::indoor::AdData;
use lanterna::domain::outreach::{Campaign, CampaignTag};
use lanterna::domain::{Activity, Channel, Gender, Language, Measure, Nationality, Outcome, Period, Province};
use lanterna::store::{NewIndoorSession, Store};
use serde_json::Value;

use crate::common::{KEY, import_ok, import_refused, lanterna_ok, temp_db};

fn ad(nat: &str, g: Gender) -> AdData {
    AdData {
        site: "moscarossa".into(),
        province: Province::parse("BS").unwrap(),
        comune: None,
        nationality: Nationality::parse(nat).unwrap(),
        gender: g,
        declared_age: None,
        risky: false,
    }
}

#[test]
fn persons_reached_count_a_number_once_per_campaign_and_session() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("l.db"), KEY).unwrap();
    let bs = Province::parse("BS").unwrap();
    let s = store
        .start_indoor_session(&NewIndoorSession {
            started_at: Utc::now() - Duration::hours(2),
            province: bs,
            operators: 2,
            mediator_language: None,
        })
        .unwrap();
    let (a1, _) = store.add_ad(s.id, &ad("NG", Gender::F), Some("+39 333 123 4567")).unwrap();
    // The same number in a second ad: one person for the campaign.
    let (a2, _) = store.add_ad(s.id, &ad("NG", Gender::F), Some("333 1234567")).unwrap();
    let (a3, _) = store.add_ad(s.id, &ad("RO", Gender::T), None).unwrap();
    assert_eq!(store.last_campaign(s.id).unwrap(), None);
    let nov = CampaignTag { campaign: Campaign::November25, language: Some(Language::English) };
    let app = CampaignTag { campaign: Campaign::AppPromotion, language: Some(Language::Romanian) };
    for (ad, tag) in [(a1.id, Some(nov)), (a2.id, Some(nov)), (a1.id, Some(app)), (a3.id, Some(nov)), (a3.id, None)] {
        store.record_campaign_attempt(ad, Channel::Whatsapp, Outcome::Reached, tag).unwrap();
    }
    assert_eq!(store.last_campaign(s.id).unwrap(), Some(nov), "the last tagged message's campaign");
    let t = store.session_tally(s.id).unwrap();
    let sum = |m| t.sum(m, |b, _| b.activity == Activity::Indoor);
    assert_eq!(sum(Measure::Campaign(Campaign::November25)), 2, "NG number once, RO ad once");
    assert_eq!(sum(Measure::Campaign(Campaign::AppPromotion)), 1);
    assert_eq!(sum(Measure::Campaign(Campaign::Custom)), 0);
    assert_eq!(sum(Measure::CampaignLanguage(Language::English)), 3);
    assert_eq!(sum(Measure::CampaignLanguage(Language::Romanian)), 1);
    let f = t.sum(Measure::Campaign(Campaign::November25), |_, c| c.gender == Gender::F);
    assert_eq!(f, 1);
    // The period tally counts the same; the session's summary carries the cells.
    let today = Utc::now().date_naive();
    let p = Period::new(today - Duration::days(3), today + Duration::days(1)).unwrap();
    let pt = store.indoor_tally(p).unwrap();
    assert_eq!(pt.sum(Measure::Campaign(Campaign::November25), |_, _| true), 2);
    store.close_indoor_session(s.id, Utc::now()).unwrap();
    let sent = store.pending_summaries(10).unwrap();
    let summary = sent.iter().find(|x| x.id == s.id).unwrap();
    summary.validate(&lanterna::wire::Limits::default()).unwrap();
    let n: u32 =
        summary.cells.iter().filter(|c| c.measure == Measure::Campaign(Campaign::November25)).map(|c| c.count).sum();
    assert_eq!(n, 2);
}

const HEAD: &str = "date,province,kind,gender,nationality,outcome,channel,campaign,message_language";

#[test]
fn an_imported_campaign_log_prints_cell_by_cell_and_a_bad_one_imports_nothing() {
    let (dir, db) = temp_db();
    let log = format!(
        "{HEAD}\n2025-11-25,BS,message,F,NG,reached,whatsapp,nov25,en\n\
         2025-11-25,BS,message,F,NG,not_reached,sms,nov25,en\n\
         2025-11-25,BS,message,T,BR,reached,whatsapp,nov25,pt\n\
         2025-11-25,BS,message,F,RO,reached,sms,,\n\
         2025-10-18,MI,call,F,RO,reached,,eu_day,\n"
    );
    import_ok(&db, dir.path(), "campaign.csv", &log);
    let json = |extra: &[&str]| -> Value {
        let mut args = vec!["report", "campaigns", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json"];
        args.extend(extra);
        serde_json::from_str(&lanterna_ok(&db, &args)).unwrap()
    };
    let v = json(&[]);
    let bs = v["tables"].as_array().unwrap().iter().find(|t| t["province"] == "BS").unwrap();
    let nov = bs["rows"].as_array().unwrap().iter().find(|r| r["campaign"] == "nov25").unwrap();
    // Imported lines have no number: each attempt is a person of its own.
    assert_eq!(nov["reached"], serde_json::json!({"M": 0, "F": 2, "T": 1, "total": 3}));
    assert_eq!(bs["total"]["total"], 3);
    assert_eq!(bs["messages"]["en"], 2);
    assert_eq!(bs["messages"]["pt"], 1);
    let mi = v["tables"].as_array().unwrap().iter().find(|t| t["province"] == "MI").unwrap();
    let eu = mi["rows"].as_array().unwrap().iter().find(|r| r["campaign"] == "eu_day").unwrap();
    assert_eq!(eu["reached"]["F"], 1);
    assert_eq!(v["synthesis"]["total"]["reached"]["total"], 4);
    assert_eq!(v["synthesis"]["total"]["campaigns"]["nov25"], 3);
    let before = v.clone();

    let bad = format!(
        "{HEAD}\n2025-11-26,BS,message,F,NG,reached,whatsapp,nov25,en\n2025-11-26,BS,message,F,NG,reached,sms,spam,en\n"
    );
    let err = import_refused(&db, dir.path(), "bad.csv", &bad);
    assert!(err.contains("line 3") && err.contains("campaign"), "{err}");
    let orphan = format!("{HEAD}\n2025-11-26,BS,message,F,NG,reached,sms,,en\n");
    let err = import_refused(&db, dir.path(), "orphan.csv", &orphan);
    assert!(err.contains("line 2") && err.contains("message_language"), "{err}");
    let ad = format!("{HEAD}\n2025-11-26,BS,ad,F,NG,,,nov25,\n");
    let err = import_refused(&db, dir.path(), "ad.csv", &ad);
    assert!(err.contains("line 2") && err.contains("campaign"), "{err}");
    assert_eq!(json(&[]), before, "nothing of the refused files was imported");
}
