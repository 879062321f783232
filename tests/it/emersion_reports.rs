//! The emersion tables as `lanterna report` prints them: identification interviews by kind
//! (the JSON shape the reports are built on), Referral, breakdowns, outcomes of contacts,
//! helpline reports and the drop-in desk, from records made through the store.

use std::path::Path;

use chrono::{TimeZone, Utc};
use lanterna::domain::emersion::{
    Adhesion, ContactOutcome, EmersionPlace, Findings, HelpKind, HelplineOutcome, HelplineReport, HelplineSource,
    IntakeChannel, InterviewKind, Typology, Verdict,
};
use lanterna::domain::{
    Activity, ContactData, EventKind, Gender, ItemKey, ItemKind, Nationality, Province, ServiceKind,
};
use lanterna::store::Store;
use lanterna::store::emersion::NewInterview;
use serde_json::{Value, json};

use crate::common::{KEY, day, day_outing_in_bergamo, lanterna_ok, someone, temp_db};

fn prov(p: &str) -> Province {
    Province::parse(p).unwrap()
}

fn interview(store: &mut Store, person: i64, date: &str, p: &str, kind: InterviewKind, findings: Findings) {
    let new = NewInterview { person, date: day(date), province: prov(p), kind, findings, requested: None };
    store.record_interview(&new).unwrap();
}

fn json_of(db: &Path, args: &[&str]) -> Value {
    let mut all = vec!["report"];
    all.extend(args);
    all.extend(["--format", "json"]);
    serde_json::from_str(&lanterna_ok(db, &all)).unwrap()
}

fn counts(persons: u64, interviews: u64, identified: u64, adhesions: u64) -> Value {
    json!({"persons": persons, "interviews": interviews, "identified": identified, "adhesions": adhesions})
}

/// The identification JSON, exactly: both kinds, then their sum.
fn id_table(social: [u64; 4], referral: [u64; 4]) -> Value {
    let row = |kind: &str, c: [u64; 4]| {
        let mut v = counts(c[0], c[1], c[2], c[3]);
        v["kind"] = json!(kind);
        v
    };
    let total: Vec<u64> = (0..4).map(|i| social[i] + referral[i]).collect();
    json!({
        "rows": [row("social", social), row("referral", referral)],
        "total": counts(total[0], total[1], total[2], total[3]),
    })
}

/// Bergamo and Milan in 2024:
/// - A (F, Nigeria), BG social: in progress on 1 Feb, identified (sexual, street) on 1 Mar,
///   joined the programme on 1 Apr (no interview that day);
/// - B (M, Pakistan), BG Referral on 10 Feb (requested 1 Feb): identified, agriculture,
///   waiting;
/// - C (F, Romania), BG social on 5 Mar: not identified;
/// - D (T, Brazil): a BG Referral request of 1 May, never answered;
/// - E (F, Nigeria), MI social on 1 Mar: identified (typology not said), a minor, came to
///   light in another territory, declined.
fn interviews_db(db: &Path) {
    let mut store = Store::open(db, KEY).unwrap();
    let (social, referral) = (InterviewKind::Social, InterviewKind::Referral);
    let a = someone(&mut store, Gender::F, "NG");
    let pending = Findings {
        verdict: Some(Verdict::Pending),
        channel: Some(IntakeChannel::StreetUnit),
        place: Some(EmersionPlace::Province(prov("BG"))),
        ..Default::default()
    };
    interview(&mut store, a, "2024-02-01", "BG", social, pending);
    let identified =
        Findings { verdict: Some(Verdict::Identified), typology: Some(Typology::SexualStreet), ..Default::default() };
    interview(&mut store, a, "2024-03-01", "BG", social, identified);
    store
        .note_findings(a, day("2024-04-01"), &Findings { adhesion: Some(Adhesion::Yes), ..Default::default() })
        .unwrap();

    let b = someone(&mut store, Gender::M, "PK");
    let b_state = Findings {
        verdict: Some(Verdict::Identified),
        typology: Some(Typology::LabourAgriculture),
        adhesion: Some(Adhesion::Waiting),
        ..Default::default()
    };
    let new = NewInterview {
        person: b,
        date: day("2024-02-10"),
        province: prov("BG"),
        kind: referral,
        findings: b_state,
        requested: Some(day("2024-02-01")),
    };
    store.record_interview(&new).unwrap();

    let c = someone(&mut store, Gender::F, "RO");
    let no = Findings { verdict: Some(Verdict::NotIdentified), ..Default::default() };
    interview(&mut store, c, "2024-03-05", "BG", social, no);

    let d = someone(&mut store, Gender::T, "BR");
    store.record_referral_request(d, day("2024-05-01"), prov("BG")).unwrap();

    let e = someone(&mut store, Gender::F, "NG");
    let e_state = Findings {
        verdict: Some(Verdict::Identified),
        adhesion: Some(Adhesion::No),
        minor: Some(true),
        place: Some(EmersionPlace::Elsewhere),
        ..Default::default()
    };
    interview(&mut store, e, "2024-03-01", "MI", social, e_state);
}

/// Every table's total row is the sum of its rows.
fn assert_total_is_the_sum(v: &Value) {
    for key in ["persons", "interviews", "identified", "adhesions"] {
        let sum: u64 = v["rows"].as_array().unwrap().iter().map(|r| r[key].as_u64().unwrap()).sum();
        assert_eq!(v["total"][key], sum, "{key}: {v}");
    }
}

#[test]
fn identification_json_counts_each_person_once_with_their_latest_state() {
    let (_dir, db) = temp_db();
    interviews_db(&db);
    let year = ["--from", "2024-01-01", "--to", "2024-12-31"];
    let bg = json_of(&db, &[&["identification", "--province", "BG"][..], &year].concat());
    assert_eq!(bg, id_table([2, 3, 1, 1], [1, 1, 1, 0]), "A twice, C once; B by Referral");
    let mi = json_of(&db, &[&["identification", "--province", "MI"][..], &year].concat());
    assert_eq!(mi, id_table([1, 1, 1, 0], [0, 0, 0, 0]), "both kinds listed, zeros included");
    let all = json_of(&db, &[&["identification"][..], &year].concat());
    assert_eq!(all, id_table([3, 4, 2, 1], [1, 1, 1, 0]), "the synthesis");
    for v in [&bg, &mi, &all] {
        assert_total_is_the_sum(v);
    }
    // The synthesis is the sum of the provinces' tables.
    for (i, kind) in ["social", "referral"].iter().enumerate() {
        assert_eq!(all["rows"][i]["kind"], *kind);
        for key in ["persons", "interviews", "identified", "adhesions"] {
            let sum = bg["rows"][i][key].as_u64().unwrap() + mi["rows"][i][key].as_u64().unwrap();
            assert_eq!(all["rows"][i][key], sum, "{kind} {key}");
        }
    }
    // No dates: every interview, outcome and report recorded.
    assert_eq!(json_of(&db, &["identification"]), all);
    // Mid-February: A was still in progress and had not joined; B was identified.
    let feb = json_of(&db, &["identification", "--province", "BG", "--from", "2024-01-01", "--to", "2024-02-15"]);
    assert_eq!(feb, id_table([1, 1, 0, 0], [1, 1, 1, 0]));
    // March: A identified, not yet joined (the adhesion came in April).
    let march = json_of(&db, &["identification", "--province", "BG", "--from", "2024-01-01", "--to", "2024-03-31"]);
    assert_eq!(march, id_table([2, 3, 1, 0], [1, 1, 1, 0]));
    // An interview-free period of a province with interviews elsewhere: zeros.
    let june = json_of(&db, &["identification", "--from", "2024-06-01", "--to", "2024-06-30"]);
    assert_eq!(june, id_table([0; 4], [0; 4]));

    let text = lanterna_ok(&db, &["report", "identification", "--from", "2024-01-01", "--to", "2024-12-31"]);
    for words in ["PERSONE INCONTRATE", "COLLOQUI SVOLTI", "VITTIME IDENTIFICATE", "ADESIONI AL PROGRAMMA"] {
        assert!(text.contains(words), "{words}: {text}");
    }
    assert!(text.contains("Provincia di Bergamo (BG)") && text.contains("SINTESI"), "{text}");
    let tot = text.lines().rfind(|l| l.starts_with("TOT")).unwrap();
    assert_eq!(tot.split_whitespace().collect::<Vec<_>>(), ["TOT", "4", "5", "3", "1"]);
    let social = text.lines().find(|l| l.starts_with("Segretariato sociale")).unwrap();
    assert!(social.ends_with('1'), "{social}");
    let en = lanterna_ok(&db, &["report", "identification", "--lang", "en", "--province", "BG"]);
    assert!(en.contains("VICTIMS IDENTIFIED") && en.contains("Social secretariat"), "{en}");
    let csv = lanterna_ok(&db, &["report", "identification", "--format", "csv"]);
    assert_eq!(csv.lines().next().unwrap(), "province,code,label,persons,interviews,identified,adhesions");
    assert!(csv.contains("BG,social,Segretariato sociale,2,3,1,1"), "{csv}");
    assert!(csv.contains("MI,referral,Referral,0,0,0,0"), "{csv}");
}

#[test]
fn referral_and_breakdowns_follow_the_persons_state() {
    let (_dir, db) = temp_db();
    interviews_db(&db);
    let bg = json_of(&db, &["referral", "--province", "BG"]);
    let t = &bg["total"];
    assert_eq!(bg["province"], "BG");
    assert_eq!((t["requests"].as_u64(), t["persons"].as_u64(), t["interviews"].as_u64()), (Some(2), Some(1), Some(1)));
    assert_eq!(t["identified"], 1);
    assert_eq!(t["typology"]["labour_agriculture"], 1);
    assert_eq!(t["typology"]["sexual_street"], 0, "A is a social interview");
    assert_eq!((t["waiting"].as_u64(), t["unanswered"].as_u64()), (Some(1), Some(1)), "D's request");
    assert_eq!((t["not_identified"].as_u64(), t["in_progress"].as_u64()), (Some(0), Some(0)));
    let all = json_of(&db, &["referral"]);
    assert_eq!(all["synthesis"]["rows"][0]["province"], "BG");
    assert_eq!(all["synthesis"]["total"]["requests"], 2);
    assert_eq!(all["synthesis"]["total"]["unanswered"], 1);

    let b = json_of(&db, &["identification-breakdown"]);
    let s = &b["synthesis"];
    let row = |section: &str, code: &str| -> Value {
        s[section]["rows"].as_array().unwrap().iter().find(|r| r["code"] == code).cloned().unwrap()
    };
    assert_eq!(row("gender", "F"), json!({"code": "F", "label": "F", "persons": 3, "identified": 2, "adhesions": 1}));
    assert_eq!(row("gender", "M")["identified"], 1);
    assert_eq!(s["gender"]["total"]["persons"], 4);
    assert_eq!(row("age", "minor")["persons"], 1);
    assert_eq!(row("age", "adult")["persons"], 3);
    let nats: Vec<&str> =
        s["nationality"]["rows"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(nats, ["NG", "PK", "RO"], "by name");
    assert_eq!(row("nationality", "NG")["persons"], 2, "A and E");
    assert_eq!(row("place", "place.BG")["persons"], 1);
    assert_eq!(row("place", "place.elsewhere")["persons"], 1);
    assert_eq!(row("place", "place.unsaid")["persons"], 2, "B and C");
    assert_eq!(row("typology", "typology.sexual_street")["identified"], 1);
    assert_eq!(row("typology", "typology.labour_agriculture")["identified"], 1);
    assert_eq!(row("typology", "typology.unsaid")["identified"], 1, "E");
    assert_eq!(s["typology"]["total"]["identified"], 3);
    // The synthesis is the sum of the provinces'.
    let tables = b["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 2);
    let persons: u64 = tables.iter().map(|t| t["gender"]["total"]["persons"].as_u64().unwrap()).sum();
    assert_eq!(s["gender"]["total"]["persons"], persons);
    let text = lanterna_ok(&db, &["report", "identification-breakdown", "--province", "MI"]);
    assert!(text.contains("Altro territorio") && text.contains("Minorenni"), "{text}");
}

fn close(store: &mut Store, outing: uuid::Uuid, date: &str) {
    let ended = Utc.from_utc_datetime(&day(date).and_hms_opt(12, 0, 0).unwrap());
    store.close_outing(outing, ended).unwrap();
}

#[test]
fn a_person_met_on_the_street_interviewed_at_the_desk_twice_counts_once_everywhere() {
    let (_dir, db) = temp_db();
    {
        let mut store = Store::open(&db, KEY).unwrap();
        let (street, stop) = day_outing_in_bergamo(&mut store, Activity::Street, "2024-03-01");
        let met = store.record_contact(stop, &ContactData::new(Gender::F, Nationality::parse("NG").unwrap())).unwrap();
        let p = store.person_of_contact(met.id).unwrap().id;
        store.set_contact_outcomes(met.id, [ContactOutcome::Proposed].into_iter().collect()).unwrap();
        close(&mut store, street, "2024-03-01");
        for date in ["2024-03-05", "2024-03-12"] {
            let (desk, stop) = day_outing_in_bergamo(&mut store, Activity::Desk, date);
            let c = store.record_known(stop, p, &Default::default()).unwrap();
            let outcomes = if date == "2024-03-12" {
                [ContactOutcome::Accepted, ContactOutcome::ComplaintCarabinieri].into_iter().collect()
            } else {
                [ContactOutcome::Proposed].into_iter().collect()
            };
            store.set_contact_outcomes(c.id, outcomes).unwrap();
            close(&mut store, desk, date);
        }
        interview(
            &mut store,
            p,
            "2024-03-05",
            "BG",
            InterviewKind::Social,
            Findings { verdict: Some(Verdict::Pending), ..Default::default() },
        );
        interview(
            &mut store,
            p,
            "2024-03-12",
            "BG",
            InterviewKind::Social,
            Findings {
                verdict: Some(Verdict::Identified),
                typology: Some(Typology::SexualStreet),
                adhesion: Some(Adhesion::Yes),
                ..Default::default()
            },
        );
    }
    let march = ["--from", "2024-03-01", "--to", "2024-03-31"];
    let with = |args: &[&str]| json_of(&db, &[args, &march].concat());
    assert_eq!(with(&["identification", "--province", "BG"]), id_table([1, 2, 1, 1], [0; 4]));
    let street = with(&["street", "--province", "BG"]);
    assert_eq!(street["grand_total"], 1);
    let desk = with(&["desk", "--province", "BG"]);
    assert_eq!(desk["grand_total"], 1, "met twice at the desk: one person");
    assert_eq!(desk["rows"][0]["contacts"]["F"], 1);
    assert_eq!(with(&["desk", "--province", "BG", "--count", "contacts"])["grand_total"], 2);
    let outcomes = with(&["outcomes", "--province", "BG"]);
    assert_eq!(outcomes["total"]["persons"]["total"], 1, "one person with outcomes on three contacts");
    assert_eq!(outcomes["total"]["outcomes"]["programme_proposed"]["F"], 1);
    assert_eq!(outcomes["total"]["outcomes"]["programme_accepted"]["total"], 1);
    assert_eq!(outcomes["total"]["outcomes"]["complaint_carabinieri"]["total"], 1);
    assert_eq!(outcomes["rows"][0]["nationality"], "NG");
    let breakdown = with(&["identification-breakdown", "--province", "BG"]);
    assert_eq!(breakdown["nationality"]["rows"][0]["persons"], 1);
    assert_eq!(breakdown["typology"]["total"]["identified"], 1);
    let synthesis = with(&["outcomes"]);
    assert_eq!(synthesis["synthesis"]["rows"][0]["persons"]["total"], 1);
    assert_eq!(synthesis["synthesis"]["total"]["outcomes"]["programme_proposed"]["total"], 1);
}

#[test]
fn helpline_reports_by_nationality_and_what_they_say() {
    let (_dir, db) = temp_db();
    {
        let mut store = Store::open(&db, KEY).unwrap();
        let report = HelplineReport {
            id: 0,
            date: day("2024-06-01"),
            province: prov("BG"),
            gender: Gender::F,
            nationality: Nationality::parse("NG").unwrap(),
            known: false,
            source: HelplineSource::Own,
            help: [HelpKind::Shelter, HelpKind::Legal].into_iter().collect(),
            outcome: Some(HelplineOutcome::TakenInCharge),
        };
        store.record_helpline_report(&report).unwrap();
        let agency = HelplineReport {
            known: true,
            source: HelplineSource::Agency,
            gender: Gender::T,
            help: [HelpKind::Shelter].into_iter().collect(),
            outcome: Some(HelplineOutcome::Adhesion),
            ..report.clone()
        };
        store.record_helpline_report(&agency).unwrap();
        let milan =
            HelplineReport { province: prov("MI"), nationality: Nationality::UNKNOWN, outcome: None, ..report.clone() };
        store.record_helpline_report(&milan).unwrap();
    }
    let bg = json_of(&db, &["helpline", "--province", "BG"]);
    let ng = &bg["rows"][0];
    assert_eq!(ng["nationality"], "NG");
    assert_eq!(ng["reports"], json!({"M": 0, "F": 1, "T": 1, "total": 2}));
    assert_eq!((ng["new"].as_u64(), ng["known"].as_u64()), (Some(1), Some(1)));
    assert_eq!(ng["source"], json!({"own": 1, "agency": 1}));
    assert_eq!(ng["help"]["shelter"], 2);
    assert_eq!(ng["help"]["legal"], 1);
    assert_eq!(ng["outcome"], json!({"taken": 1, "referred": 0, "adhesion": 1}));
    let all = json_of(&db, &["helpline"]);
    let rows = all["synthesis"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["reports"]["total"], 1);
    assert_eq!(all["synthesis"]["total"]["reports"]["total"], 3);
    assert_eq!(all["synthesis"]["total"]["new"], 2);
    let text = lanterna_ok(&db, &["report", "helpline"]);
    assert!(text.contains("NUMERO VERDE") && text.contains("Non rilevato"), "{text}");
}

#[test]
fn the_desks_services_and_items_are_the_services_and_items_tables_of_activity_desk() {
    let (_dir, db) = temp_db();
    {
        let mut store = Store::open(&db, KEY).unwrap();
        let (desk, stop) = day_outing_in_bergamo(&mut store, Activity::Desk, "2024-04-02");
        let mut data = ContactData::new(Gender::F, Nationality::parse("NG").unwrap());
        data.services.set_count(EventKind::Listening, None, 2);
        data.services.set_count(EventKind::LegalConsultation, None, 1);
        data.services.set_count(EventKind::Referral, Some(ServiceKind::Health), 1);
        data.items.set(ItemKey::plain(ItemKind::Condoms), 4);
        store.record_contact(stop, &data).unwrap();
        close(&mut store, desk, "2024-04-02");
        let (street, stop) = day_outing_in_bergamo(&mut store, Activity::Street, "2024-04-03");
        let mut data = ContactData::new(Gender::M, Nationality::parse("RO").unwrap());
        data.services.set_count(EventKind::Listening, None, 5);
        data.items.set(ItemKey::plain(ItemKind::Condoms), 10);
        store.record_contact(stop, &data).unwrap();
        close(&mut store, street, "2024-04-03");
    }
    let services = json_of(&db, &["services", "--activity", "desk", "--province", "BG"]);
    assert_eq!(services["total"]["listening"]["F"], 2, "the desk's talks alone");
    assert_eq!(services["total"]["listening"]["M"], 0);
    assert_eq!(services["total"]["legal_consultations"]["F"], 1);
    assert_eq!(services["total"]["referrals"]["health"]["total"], 1);
    let all = json_of(&db, &["services", "--province", "BG"]);
    assert_eq!(all["total"]["listening"]["M"], 5, "every activity without --activity");
    let items = lanterna_ok(&db, &["report", "items", "--activity", "desk", "--province", "BG", "--format", "csv"]);
    let condoms = items.lines().find(|l| l.contains(",condoms,")).unwrap();
    assert!(condoms.split(',').any(|f| f == "4") && !condoms.split(',').any(|f| f == "14"), "{items}");
    let desk = json_of(&db, &["desk"]);
    assert_eq!(desk["synthesis"]["grand_total"], 1);
    let text = lanterna_ok(&db, &["report", "desk", "--province", "BG"]);
    assert!(text.contains("PERSONE INCONTRATE: SPORTELLO DI ASCOLTO"), "{text}");
}

#[test]
fn the_end_of_a_desk_session_shows_the_desk_table_with_its_persons() {
    use lanterna::app::Lanterna;
    use lanterna::report::Rendered;
    let mut app = Lanterna::open_in_memory().expect("a store");
    let new = lanterna::store::NewOuting {
        activity: Activity::Desk,
        started_at: Utc::now(),
        shift: None,
        team_size: Some(2),
        mediator: true,
        mediator_language: Some(lanterna::domain::Language::English),
        legal_operator: false,
        mapping: false,
    };
    let desk = app.start_desk(&new, lanterna::domain::Comune::parse("016024").unwrap()).unwrap().value;
    let stop = app.outing_view(desk.id, None).unwrap().stops[0].id;
    app.tally(stop, Gender::F, Nationality::parse("NG").unwrap(), 2).unwrap();
    let view = app.summary_view(desk.id, lanterna::domain::Lang::It).unwrap();
    let Rendered::Desk(report) = &view.report else {
        panic!("a desk session ends on the desk table: {:?}", view.report)
    };
    assert_eq!(report.synthesis.grand_total, 2, "two persons met at the desk");
}
