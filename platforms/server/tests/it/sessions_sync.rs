//! Informative sessions and message campaigns from a phone to the server: sessions travel
//! as summaries of activity session (facts and team, no cells), campaign counts as cells
//! of the indoor session's summary; the server's sessions and campaigns tables equal the
//! phone's, and follow an edit and a deletion. The server refuses a session summary
//! without its facts.

use chrono::{Duration, Utc};
use lanterna::domain::indoor::AdData;
use lanterna::domain::outreach::{Campaign, CampaignTag, LanguageSet, SessionFacts, SessionPlace, Team, ThemeSet};
use lanterna::domain::tables::{Mft, ReportScope, Selection};
use lanterna::domain::{Activity, Channel, Comune, Gender, Language, Nationality, Outcome, Period, Province};
use lanterna::report::{Format, Rendered, Table};
use lanterna::store::{NewIndoorSession, Store};
use lanterna::sync::Client;
use lanterna::wire::{AckStatus, Batch};
use lanterna_server::report::{Query, render};
use serde_json::Value;

use crate::common::TestServer;

fn facts(place: SessionPlace, m: u64, f: u64, pm: u64, comune: Option<&str>) -> SessionFacts {
    SessionFacts {
        place,
        comune: comune.map(|c| Comune::parse(c).unwrap()),
        themes: ThemeSet::parse_list("trafficking;helpline").unwrap(),
        languages: LanguageSet::parse_list("en;ar").unwrap(),
        participants: Mft { m, f, t: 0 },
        protection: Mft { m: pm, f: 0, t: 0 },
    }
}

async fn sync(client: &Client, token: &str, store: &mut Store) -> usize {
    let summaries = store.pending_summaries(100).unwrap();
    let answer = client.send(token, &Batch { summaries, persons: Vec::new() }).await.unwrap();
    assert!(answer.acks.iter().all(|a| a.status == AckStatus::Stored), "{:?}", answer.acks);
    store.mark_synced(&answer.acks).unwrap();
    answer.acks.len()
}

fn period() -> Period {
    let today = Utc::now().date_naive();
    Period::new(today - Duration::days(30), today + Duration::days(1)).unwrap()
}

fn phone_json(store: &Store, table: Table) -> Value {
    let p = period();
    let scope = ReportScope::period(p);
    let r = match table {
        Table::Sessions => Rendered::sessions(&store.info_session_facts(p).unwrap(), &scope),
        t => Rendered::build(t, &store.indoor_tally(p).unwrap(), &scope),
    };
    serde_json::from_str(&r.render(Format::Json, false, lanterna::domain::Lang::It)).unwrap()
}

fn server_json(server: &TestServer, table: Table) -> Value {
    let q = Query::new(table, Selection::dates(period().from, period().to));
    serde_json::from_str(&render(server.backend.as_ref(), &q, Format::Json).unwrap()).unwrap()
}

fn same_tables(server: &TestServer, store: &Store) {
    for t in [Table::Sessions, Table::Campaigns] {
        assert_eq!(server_json(server, t), phone_json(store, t), "{t:?}: the server's table differs from the phone's");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_and_campaigns_reach_the_server_as_the_phone_counts_them() {
    let server = TestServer::start().await;
    let client = Client::new(&server.url()).unwrap();
    let token = server.token(server.unit).await;
    let mut store = Store::open_in_memory().unwrap();
    let (bg, mi) = (Province::parse("BG").unwrap(), Province::parse("MI").unwrap());
    let today = Utc::now().date_naive();
    let team = Team { operators: 3, mediator: true, mediator_language: Some(Language::Arabic), legal_operator: false };
    let a = store
        .add_info_session(today - Duration::days(5), bg, facts(SessionPlace::Cas, 14, 2, 12, Some("016024")), team)
        .unwrap();
    store.add_info_session(today - Duration::days(3), mi, facts(SessionPlace::Cpia, 6, 9, 0, None), team).unwrap();

    // An indoor evening of the 25 November campaign.
    let s = store
        .start_indoor_session(&NewIndoorSession {
            started_at: Utc::now() - Duration::hours(3),
            province: bg,
            operators: 2,
            mediator_language: None,
        })
        .unwrap();
    let ad = |nat: &str, g| AdData {
        site: "moscarossa".into(),
        province: bg,
        comune: None,
        nationality: Nationality::parse(nat).unwrap(),
        gender: g,
        declared_age: None,
        risky: false,
    };
    let (a1, _) = store.add_ad(s.id, &ad("NG", Gender::F), Some("3331234567")).unwrap();
    let (a2, _) = store.add_ad(s.id, &ad("CN", Gender::F), Some("3337654321")).unwrap();
    let tag = Some(CampaignTag { campaign: Campaign::November25, language: Some(Language::English) });
    for ad in [a1.id, a1.id, a2.id] {
        store.record_campaign_attempt(ad, Channel::Whatsapp, Outcome::Reached, tag).unwrap();
    }
    store.close_indoor_session(s.id, Utc::now()).unwrap();

    assert_eq!(sync(&client, &token, &mut store).await, 3);
    same_tables(&server, &store);
    let sessions = server_json(&server, Table::Sessions);
    assert_eq!(sessions["synthesis"]["total"]["participants"]["total"], 31);
    assert_eq!(sessions["synthesis"]["total"]["protection"]["M"], 12);
    let campaigns = server_json(&server, Table::Campaigns);
    assert_eq!(campaigns["synthesis"]["total"]["campaigns"]["nov25"], 2, "{campaigns}");
    // Sessions are not outings: the street table stays empty, and the stored summary has
    // its team.
    let stored = server.backend.summaries(None, period().from, period().to).unwrap();
    let sent = stored.iter().find(|x| x.summary.id == a.id).unwrap();
    assert_eq!((sent.summary.activity, sent.summary.team), (Activity::Session, Some(team)));
    assert!(sent.summary.cells.is_empty());

    // An edit and a deletion: the server follows.
    let mut edit = a;
    edit.facts.participants.f = 7;
    store.edit_info_session(&edit).unwrap();
    assert_eq!(sync(&client, &token, &mut store).await, 1);
    same_tables(&server, &store);
    store.delete_info_session(a.id).unwrap();
    assert_eq!(sync(&client, &token, &mut store).await, 1);
    same_tables(&server, &store);
    assert_eq!(server_json(&server, Table::Sessions)["synthesis"]["total"]["sessions"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_refuses_a_session_without_facts_or_facts_on_an_outing() {
    let server = TestServer::start().await;
    let client = Client::new(&server.url()).unwrap();
    let token = server.token(server.unit).await;
    let mut store = Store::open_in_memory().unwrap();
    let bg = Province::parse("BG").unwrap();
    store
        .add_info_session(Utc::now().date_naive(), bg, facts(SessionPlace::Sai, 3, 3, 0, None), Team::default())
        .unwrap();
    let good = store.pending_summaries(1).unwrap().remove(0);
    let bare = lanterna::wire::Summary { session: None, ..good.clone() };
    let street = lanterna::wire::Summary { id: uuid::Uuid::new_v4(), activity: Activity::Street, ..good.clone() };
    let answer = client.send(&token, &Batch { summaries: vec![bare, street], persons: Vec::new() }).await.unwrap();
    assert!(answer.acks.iter().all(|a| a.status == AckStatus::Refused), "{:?}", answer.acks);
    assert_eq!(server.stored(), 0);
}
