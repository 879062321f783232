//! Importing emersion logs: identification interviews (one row each, persons of the
//! register by their code, what became known at each one) and helpline reports; contact
//! files with outcomes, desk sessions included. Bergamo's desk is rebuilt from a shuffled
//! interview log, cell by cell, whatever the order of its rows; a bad row refuses the
//! whole file, naming line and column.

use std::collections::BTreeMap;
use std::fs;

use chrono::{Duration, NaiveDate};
use lanterna::domain::emersion::{
    ContactOutcome, Findings, HelplineCount, IdCount, InterviewKind, Interviewed, Typology, Verdict,
};
use lanterna::domain::{Activity, CellKey, Gender, Measure, Nationality, Period, Province, Tally};
use lanterna::import::parse_emersion;
use lanterna::store::Store;
use lanterna::store::emersion::emersion_bucket;
use proptest::prelude::*;

use crate::common::{KEY, day, import, import_ok, import_refused, lanterna, temp_db};

const HEAD: &str = "date,activity,kind,province,person,gender,nationality,identified,typology,adhesion,channel,\
                    minor,place,indicators,requested";

fn year(y: i32) -> Period {
    Period::new(NaiveDate::from_ymd_opt(y, 1, 1).unwrap(), NaiveDate::from_ymd_opt(y, 12, 31).unwrap()).unwrap()
}

/// One row of an interview log, as the file spells it (empty: not said).
#[derive(Debug, Clone, Default)]
struct Row {
    date: String,
    kind: String,
    province: String,
    person: String,
    gender: String,
    nationality: String,
    identified: String,
    typology: String,
    adhesion: String,
    channel: String,
    minor: String,
    place: String,
    indicators: String,
    requested: String,
}

impl Row {
    fn line(&self) -> String {
        [
            &self.date,
            "identification",
            &self.kind,
            &self.province,
            &self.person,
            &self.gender,
            &self.nationality,
            &self.identified,
            &self.typology,
            &self.adhesion,
            &self.channel,
            &self.minor,
            &self.place,
            &self.indicators,
            &self.requested,
        ]
        .join(",")
    }
}

fn to_csv(rows: &[Row]) -> String {
    let mut s = format!("{HEAD}\n");
    for r in rows {
        s.push_str(&r.line());
        s.push('\n');
    }
    s
}

/// A fixed-seed Fisher-Yates shuffle (splitmix64), so a failing seed can be replayed.
fn shuffle<T>(v: &mut [T], seed: u64) {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for i in (1..v.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
}

/// One person of Bergamo's desk: their kind of interview, how many interviews, and what
/// they are at the end (identified or not, adhesion).
struct Case {
    kind: InterviewKind,
    interviews: usize,
    verdict: Verdict,
    adhesion: Option<&'static str>,
}

/// Bergamo's desk in the year: 29 persons in 50 interviews, 20 identified, 11 adhered;
/// social 18 persons, 31 interviews, 12 identified, 7 adhered; Referral 11, 19, 8, 4.
fn bergamo_cases() -> Vec<Case> {
    use Verdict::*;
    let social_interviews = [4, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    let social_verdicts = [
        Identified,
        Identified,
        Identified,
        Identified,
        Identified,
        Identified,
        Identified,
        NotIdentified,
        Pending,
        Identified,
        Identified,
        Identified,
        Identified,
        Identified,
        NotIdentified,
        NotIdentified,
        Pending,
        Pending,
    ];
    let social_adhesion = |i: usize| match i {
        0 | 1 | 2 | 4 | 9 | 10 | 12 => Some("yes"),
        3 | 5 => Some("waiting"),
        6 | 7 => Some("no"),
        _ => None,
    };
    let referral_interviews = [4, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1];
    let referral_verdicts = [
        Identified,
        Identified,
        Identified,
        Identified,
        NotIdentified,
        Identified,
        Identified,
        Identified,
        Identified,
        NotIdentified,
        Pending,
    ];
    let referral_adhesion = |i: usize| match i {
        0 | 1 | 3 | 6 => Some("yes"),
        2 => Some("waiting"),
        5 => Some("no"),
        _ => None,
    };
    let social = (0..18).map(|i| Case {
        kind: InterviewKind::Social,
        interviews: social_interviews[i],
        verdict: social_verdicts[i],
        adhesion: social_adhesion(i),
    });
    let referral = (0..11).map(|i| Case {
        kind: InterviewKind::Referral,
        interviews: referral_interviews[i],
        verdict: referral_verdicts[i],
        adhesion: referral_adhesion(i),
    });
    social.chain(referral).collect()
}

const GENDERS: [&str; 3] = ["F", "M", "T"];
const NATS: [&str; 5] = ["NG", "RO", "AL", "CN", "BR"];
/// Typologies as a log may spell them, and what they mean.
const TYPOLOGIES: [(&str, Typology); 6] = [
    ("sexual_street", Typology::SexualStreet),
    ("Strada", Typology::SexualStreet),
    ("sexual-indoor", Typology::SexualIndoor),
    ("agricoltura", Typology::LabourAgriculture),
    ("Accattonaggio", Typology::Begging),
    ("matrimonio forzato", Typology::ForcedMarriage),
];
const CHANNELS: [&str; 4] = ["street_unit", "commissione", "self", "cas_sai"];

/// The interview log of Bergamo's desk, in date order, and the tally it must give: each
/// person's findings change over time (in progress, then the verdict; waiting, then the
/// adhesion; a typology corrected), and only the latest word counts.
fn bergamo_log() -> (Vec<Row>, Tally) {
    let mut rows = Vec::new();
    let mut expected = Tally::new();
    let bg = Province::parse("BG").unwrap();
    for (p, case) in bergamo_cases().iter().enumerate() {
        let code = format!("BG-{p:02}");
        let (gender, nat) = (GENDERS[p % 3], NATS[p % 5]);
        let first = day("2023-01-09") + Duration::days(p as i64 * 5);
        let kind = if case.kind == InterviewKind::Social { "social" } else { "referral" };
        let (typo_text, typology) = TYPOLOGIES[p % TYPOLOGIES.len()];
        let mut facts = Vec::new();
        let k = case.interviews;
        for j in 0..k {
            let last = j + 1 == k;
            let mut r = Row {
                date: (first + Duration::days(j as i64 * 23)).to_string(),
                kind: if p % 4 == 0 { kind.to_uppercase() } else { kind.to_owned() },
                province: if p % 2 == 0 { "BG".into() } else { "bg".into() },
                person: code.clone(),
                gender: gender.into(),
                nationality: nat.into(),
                ..Row::default()
            };
            let mut f = Findings::default();
            if j == 0 {
                r.channel = CHANNELS[p % CHANNELS.len()].into();
                if p % 7 == 3 {
                    r.minor = "yes".into();
                }
                if p % 3 == 0 {
                    r.place = if p % 6 == 0 { "BG".into() } else { "elsewhere".into() };
                }
                if case.kind == InterviewKind::Referral && p % 2 == 1 {
                    r.requested = (first - Duration::days(12)).to_string();
                }
            }
            if j == 1 || k == 1 {
                r.indicators = if p % 2 == 0 { "debt;documents".into() } else { "control".into() };
            }
            if !last {
                // Still in progress (one person was first thought not a victim).
                r.identified = if j == 0 && p % 5 == 1 { "no".into() } else { "pending".into() };
                if j == 0 && case.verdict == Verdict::Identified && k >= 3 {
                    // A first guess at the typology, corrected at the last interview.
                    r.typology = "illegal_economies".into();
                }
                if j + 2 == k && case.adhesion.is_some() {
                    r.adhesion = "waiting".into();
                }
            } else {
                r.identified = match case.verdict {
                    Verdict::Identified => "yes",
                    Verdict::NotIdentified => "no",
                    Verdict::Pending => "pending",
                }
                .into();
                if case.verdict == Verdict::Identified {
                    r.typology = typo_text.into();
                }
                r.adhesion = case.adhesion.unwrap_or_default().into();
            }
            // What the test expects this row to say, read independently of the parser.
            f.verdict = match r.identified.as_str() {
                "yes" => Some(Verdict::Identified),
                "no" => Some(Verdict::NotIdentified),
                "pending" => Some(Verdict::Pending),
                _ => None,
            };
            f.typology = match r.typology.as_str() {
                "" => None,
                "illegal_economies" => Some(Typology::IllegalEconomies),
                _ => Some(typology),
            };
            f.adhesion = match r.adhesion.as_str() {
                "" => None,
                a => Some(lanterna::domain::emersion::Adhesion::parse(a).unwrap()),
            };
            f.channel =
                (!r.channel.is_empty()).then(|| lanterna::domain::emersion::IntakeChannel::parse(&r.channel).unwrap());
            f.minor = (!r.minor.is_empty()).then_some(true);
            f.place =
                (!r.place.is_empty()).then(|| lanterna::domain::emersion::EmersionPlace::parse(&r.place).unwrap());
            f.indicators = (!r.indicators.is_empty())
                .then(|| lanterna::domain::emersion::IndicatorSet::parse_list(&r.indicators).unwrap());
            facts.push(f);
            rows.push(r);
        }
        let state = Findings::fold(&facts);
        assert_eq!(state.verdict, Some(case.verdict));
        let g = Gender::parse(gender).unwrap();
        let n = Nationality::parse(nat).unwrap();
        let interviewed = Interviewed { interviews: k as u64, state, minor: state.minor == Some(true) };
        let mut add = |c: IdCount, count: u64| {
            let cell = CellKey { nationality: n, gender: g, measure: Measure::Id(case.kind, c) };
            expected.add(emersion_bucket(bg), cell, count);
        };
        for (c, count) in interviewed.counts() {
            add(c, count);
        }
        if case.kind == InterviewKind::Referral {
            // One request per person (received before or on the first interview), answered.
            add(IdCount::Requests, 1);
        }
    }
    (rows, expected)
}

fn sum(t: &Tally, kind: InterviewKind, c: IdCount) -> u64 {
    t.sum(Measure::Id(kind, c), |b, _| b.activity == Activity::Emersion)
}

/// The four headline figures of each kind: persons, interviews, identified, adhesions.
fn headline(t: &Tally, kind: InterviewKind) -> [u64; 4] {
    [IdCount::Persons, IdCount::Interviews, IdCount::Identified, IdCount::Adhesions].map(|c| sum(t, kind, c))
}

/// `lanterna report identification` as JSON, or `None` while the command does not exist
/// yet (it is built on another branch; once merged this always runs).
fn report_identification(db: &std::path::Path) -> Option<serde_json::Value> {
    let args = ["report", "identification", "--from", "2023-01-01", "--to", "2023-12-31", "--format", "json"];
    let out = lanterna(db, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() && stderr.contains("invalid value 'identification'") {
        eprintln!("`lanterna report identification` does not exist yet: its check is skipped");
        return None;
    }
    assert!(out.status.success(), "{stderr}");
    Some(serde_json::from_slice(&out.stdout).expect("JSON"))
}

#[test]
fn bergamo_desk_is_rebuilt_from_a_shuffled_interview_log() {
    let (rows, expected) = bergamo_log();
    assert_eq!(rows.len(), 50);
    // The fixture is Bergamo's table: checked here against the numbers the report prints.
    assert_eq!(headline(&expected, InterviewKind::Social), [18, 31, 12, 7]);
    assert_eq!(headline(&expected, InterviewKind::Referral), [11, 19, 8, 4]);
    for seed in [1u64, 7, 42, 2024, 99_991] {
        let mut shuffled = rows.clone();
        shuffle(&mut shuffled, seed);
        let (dir, db) = temp_db();
        let said = import_ok(&db, dir.path(), "bergamo.csv", &to_csv(&shuffled));
        assert!(said.contains("imported 50 interviews of 29 persons (29 new to the register)"), "{said}");
        let tally = Store::open(&db, KEY).unwrap().emersion_tally(year(2023)).unwrap();
        let (got, want): (BTreeMap<_, _>, BTreeMap<_, _>) = (
            tally.iter().map(|(b, c, n)| ((b, c), n)).collect(),
            expected.iter().map(|(b, c, n)| ((b, c), n)).collect(),
        );
        assert_eq!(got, want, "seed {seed}: every cell of Bergamo's table");
        let persons = headline(&tally, InterviewKind::Social)
            .iter()
            .zip(headline(&tally, InterviewKind::Referral))
            .map(|(a, b)| a + b)
            .collect::<Vec<_>>();
        assert_eq!(persons, [29, 50, 20, 11], "seed {seed}");
        if let Some(json) = report_identification(&db) {
            let row = |kind: &str, p: u64, i: u64, id: u64, a: u64| serde_json::json!({"kind": kind, "persons": p, "interviews": i, "identified": id, "adhesions": a});
            assert_eq!(
                json,
                serde_json::json!({
                    "rows": [row("social", 18, 31, 12, 7), row("referral", 11, 19, 8, 4)],
                    "total": {"persons": 29, "interviews": 50, "identified": 20, "adhesions": 11},
                }),
                "seed {seed}"
            );
        }
    }
}

#[test]
fn a_later_import_adds_to_the_same_persons_and_the_latest_word_wins() {
    let (dir, db) = temp_db();
    let first = format!(
        "{HEAD}\n2023-03-01,identification,social,BG,P1,F,NG,pending,,waiting,street_unit,,,,\n\
         2023-03-02,identification,social,BG,P2,M,RO,,,,,,,,\n"
    );
    import_ok(&db, dir.path(), "march.csv", &first);
    // Rows out of order in a second file; P1's word of May is later than March's.
    let second = format!(
        "{HEAD}\n2023-05-10,identification,social,BG,P1,F,NG,yes,Strada,yes,,,,,\n\
         2023-04-01,identification,social,BG,P1,F,NG,pending,,,,,,,\n"
    );
    let said = import_ok(&db, dir.path(), "may.csv", &second);
    assert!(said.contains("2 interviews of 1 persons (0 new"), "{said}");
    let store = Store::open(&db, KEY).unwrap();
    let t = store.emersion_tally(year(2023)).unwrap();
    assert_eq!(headline(&t, InterviewKind::Social), [2, 4, 1, 1]);
    assert_eq!(sum(&t, InterviewKind::Social, IdCount::Typology(Typology::SexualStreet)), 1);
    assert_eq!(sum(&t, InterviewKind::Social, IdCount::InProgress), 1, "P2: nothing said is in progress");
    // At the end of April P1 was still in progress and waiting.
    let april = Period::new(day("2023-03-01"), day("2023-04-30")).unwrap();
    let t = store.emersion_tally(april).unwrap();
    assert_eq!(headline(&t, InterviewKind::Social), [2, 3, 0, 0]);
    assert_eq!(sum(&t, InterviewKind::Social, IdCount::Waiting), 1);
}

#[test]
fn helpline_reports_mix_with_interviews_and_contacts_take_outcomes() {
    let (dir, db) = temp_db();
    let log = "date,activity,kind,province,person,gender,nationality,requested,known,source,help,outcome\n\
               2023-06-01,helpline,,BG,,F,NG,,yes,own,shelter;legal,taken\n\
               2023-06-02,Identification,Referral,BG,R1,F,NG,2023-05-20,,,,\n\
               2023-06-03,helpline,,MI,,M,PK,,,agency,,\n";
    let said = import_ok(&db, dir.path(), "mixed.csv", log);
    assert!(said.contains("1 interviews of 1 persons (1 new to the register) and 2 helpline reports"), "{said}");
    let contacts = "date,shift,activity,province,gender,nationality,person,outcomes\n\
                    2023-06-05,day,labour,BG,F,NG,R1,programme_proposed;complaint_police\n\
                    2023-06-09,night,street,BG,F,NG,R1,Programme_Accepted\n\
                    2023-06-09,night,street,BG,M,RO,,\n";
    import_ok(&db, dir.path(), "contacts.csv", contacts);
    let store = Store::open(&db, KEY).unwrap();
    let t = store.emersion_tally(year(2023)).unwrap();
    let all = |m: Measure| t.sum(m, |b, _| b.activity == Activity::Emersion);
    assert_eq!(all(Measure::Helpline(HelplineCount::Reports)), 2);
    assert_eq!(all(Measure::Helpline(HelplineCount::Known)), 1);
    assert_eq!(sum(&t, InterviewKind::Referral, IdCount::Requests), 1);
    assert_eq!(sum(&t, InterviewKind::Referral, IdCount::Unanswered), 0);
    // R1 is one person across the interview log and the labour and street contacts.
    assert_eq!(all(Measure::OutcomePersons), 1);
    for o in [ContactOutcome::Proposed, ContactOutcome::Accepted, ContactOutcome::ComplaintPolice] {
        assert_eq!(all(Measure::Outcome(o)), 1, "{o:?}");
    }
    assert_eq!(store.count_persons().unwrap(), 2);
    let err = import_refused(
        &db,
        dir.path(),
        "bad.csv",
        "date,shift,activity,province,gender,nationality,outcomes\n2023-06-05,day,street,BG,F,NG,lawsuit\n",
    );
    assert!(err.contains("line 2, column 'outcomes'"), "{err}");
}

/// A desk session is an outing of activity `desk`: a contacts file imports it, with its
/// outcomes, and its person is the register's.
#[test]
fn desk_contacts_import_with_their_outcomes() {
    let (dir, db) = temp_db();
    let log = format!("{HEAD}\n2023-06-02,identification,social,BG,D1,F,NG,yes,strada,yes,,,,,\n");
    import_ok(&db, dir.path(), "log.csv", &log);
    let contacts = "date,shift,activity,province,comune,gender,nationality,person,listening,outcomes\n\
                    2023-06-05,day,desk,BG,Bergamo,F,NG,D1,yes,programme_accepted\n\
                    2023-06-05,day,desk,BG,Bergamo,M,RO,,,\n";
    let said = import_ok(&db, dir.path(), "desk.csv", contacts);
    assert!(said.contains("imported 2 contacts in 1 outings"), "{said}");
    let store = Store::open(&db, KEY).unwrap();
    let t = store.emersion_tally(year(2023)).unwrap();
    assert_eq!(t.sum(Measure::Outcome(ContactOutcome::Accepted), |b, _| b.activity == Activity::Emersion), 1);
    assert_eq!(store.count_persons().unwrap(), 2);
}

#[test]
fn a_bad_row_refuses_the_whole_file_naming_line_and_column() {
    let (dir, db) = temp_db();
    let good = format!("{HEAD}\n2023-03-01,identification,social,BG,P1,F,NG,pending,,,,,,,\n");
    import_ok(&db, dir.path(), "good.csv", &good);
    let before = fs::read(&db).unwrap();
    let ok_row = "2023-03-02,identification,referral,BG,P2,M,RO,,,,,,,,";
    let future = (chrono::Utc::now().date_naive() + Duration::days(3)).to_string();
    let cases = [
        (format!("{ok_row}\n2023-03-03,identification,private,BG,P3,F,NG,,,,,,,,"), "line 3, column 'kind'"),
        (format!("{ok_row}\n2023-03-03,identification,social,BG,P2,F,RO,,,,,,,,"), "line 3, column 'gender'"),
        (format!("2023-03-03,identification,social,BG,P2,M,AL,,,,,,,,\n{ok_row}"), "line 3, column 'nationality'"),
        (
            format!("{ok_row}\n2023-03-03,identification,social,BG,P3,F,NG,yes,piracy,,,,,,"),
            "line 3, column 'typology'",
        ),
        (format!("{future},identification,social,BG,P3,F,NG,,,,,,,,\n{ok_row}"), "line 2, column 'date'"),
        (format!("{ok_row}\n2023-03-03,identification,social,BG,P3,F,NG,maybe,,,,,,,"), "line 3, column 'identified'"),
        (format!("{ok_row}\n2023-03-03,identification,social,BG,P3,F,NG,,,perhaps,,,,,"), "line 3, column 'adhesion'"),
        (format!("{ok_row}\n2023-03-03,identification,social,BG,,F,NG,,,,,,,,"), "line 3, column 'person'"),
        (
            format!("{ok_row}\n2023-03-03,identification,social,BG,P3,F,NG,,,,,,,,2023-03-01"),
            "line 3, column 'requested'",
        ),
        (
            format!("{ok_row}\n2023-03-03,identification,referral,BG,P3,F,NG,,,,,,,,2023-03-09"),
            "line 3, column 'requested'",
        ),
        (format!("{ok_row}\n2023-03-03,identification,social,BG,P3,F,NG,,,,,,,spying,"), "line 3, column 'indicators'"),
        (format!("{ok_row}\n2023-03-03,street,social,BG,P3,F,NG,,,,,,,,"), "line 3, column 'activity'"),
    ];
    for (rows, expect) in &cases {
        let err = import_refused(&db, dir.path(), "bad.csv", &format!("{HEAD}\n{rows}\n"));
        assert!(err.contains(expect) && err.contains("bad.csv"), "{expect}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let helpline = "date,activity,kind,province,gender,nationality,source,typology\n";
    for (rows, expect) in [
        ("2023-03-03,helpline,,BG,F,NG,,", "line 2, column 'source'"),
        ("2023-03-03,helpline,,BG,F,NG,own,begging", "line 2, column 'typology'"),
        ("2023-03-03,helpline,,BG,F,NG,friend,", "line 2, column 'source'"),
    ] {
        let err = import_refused(&db, dir.path(), "bad.csv", &format!("{helpline}{rows}\n"));
        assert!(err.contains(expect), "{expect}: {err}");
    }
    // An interview row in a contacts file is told where it goes.
    let err = import_refused(
        &db,
        dir.path(),
        "bad.csv",
        "date,shift,activity,province,gender,nationality\n2023-03-03,day,identification,BG,F,NG\n",
    );
    assert!(err.contains("line 2, column 'activity'") && err.contains("emersion log"), "{err}");
    assert_eq!(fs::read(&db).unwrap(), before, "refused files leave the database as it was");

    // A person described otherwise than the register has them: refused by the store,
    // still by line and column, and nothing of the file is kept.
    let t0 = Store::open(&db, KEY).unwrap().emersion_tally(year(2023)).unwrap();
    let clash = format!(
        "{HEAD}\n2023-04-01,identification,social,BG,P9,F,NG,,,,,,,,\n\
         2023-04-02,identification,social,BG,P1,F,RO,,,,,,,,\n"
    );
    let err = import_refused(&db, dir.path(), "clash.csv", &clash);
    assert!(err.contains("line 3, column 'nationality'") && err.contains("P1"), "{err}");
    let store = Store::open(&db, KEY).unwrap();
    assert_eq!(store.emersion_tally(year(2023)).unwrap(), t0, "nothing of a refused file is kept");
    assert_eq!(store.count_persons().unwrap(), 1, "not even its new person");
    drop(store);
    // Fixed, the same person imports; the same file twice does not.
    let fixed = clash.replace("P1,F,RO", "P1,F,NG");
    import_ok(&db, dir.path(), "fixed.csv", &fixed);
    let again = import(&db, dir.path(), "fixed.csv", &fixed);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already imported"));
    let t = Store::open(&db, KEY).unwrap().emersion_tally(year(2023)).unwrap();
    assert_eq!(headline(&t, InterviewKind::Social), [2, 3, 0, 0]);
}

// ---------------------------------------------------------------- any order, same counts

/// A random interview log: up to 12 persons, each with 1-4 interviews on distinct days
/// (a person's two rows of one day would be ordered by the file, on purpose), random
/// findings on each.
fn random_log() -> impl Strategy<Value = Vec<Row>> {
    let findings = (
        proptest::option::of(0usize..3),
        proptest::option::of(0usize..TYPOLOGIES.len()),
        proptest::option::of(0usize..3),
        proptest::option::of(0usize..CHANNELS.len()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
    );
    let person = (any::<bool>(), 0usize..2, proptest::collection::btree_set(0i64..365, 1..5)).prop_flat_map(
        move |(referral, province, days)| {
            let n = days.len();
            (Just((referral, province, days)), proptest::collection::vec(findings.clone(), n))
        },
    );
    proptest::collection::vec(person, 1..12).prop_map(|persons| {
        let mut rows = Vec::new();
        for (p, ((referral, province, days), found)) in persons.into_iter().enumerate() {
            for (d, (verdict, typology, adhesion, channel, minor, place)) in days.into_iter().zip(found) {
                rows.push(Row {
                    date: (day("2023-01-01") + Duration::days(d)).to_string(),
                    kind: if referral { "referral" } else { "social" }.into(),
                    province: ["BG", "MI"][province].into(),
                    person: format!("R{p}"),
                    gender: GENDERS[p % 3].into(),
                    nationality: NATS[p % 5].into(),
                    identified: verdict.map_or("", |v| ["yes", "no", "pending"][v]).into(),
                    typology: typology.map_or("", |t| TYPOLOGIES[t].0).into(),
                    adhesion: adhesion.map_or("", |a| ["yes", "no", "waiting"][a]).into(),
                    channel: channel.map_or("", |c| CHANNELS[c]).into(),
                    minor: minor.map_or("", |m| if m { "yes" } else { "no" }).into(),
                    place: place.map_or("", |p| if p { "BG" } else { "elsewhere" }).into(),
                    ..Row::default()
                });
            }
        }
        rows
    })
}

fn tallies_of(rows: &[Row]) -> Vec<Tally> {
    let parsed = parse_emersion(to_csv(rows).as_bytes()).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    store.import_emersion(&parsed.records, &parsed.sha256).unwrap().unwrap();
    // The state at the end of each period is what counts: several ends.
    [
        ("2023-01-01", "2023-12-31"),
        ("2023-01-01", "2023-03-31"),
        ("2023-04-01", "2023-08-31"),
        ("2023-07-01", "2023-07-31"),
    ]
    .iter()
    .map(|(a, b)| store.emersion_tally(Period::new(day(a), day(b)).unwrap()).unwrap())
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Any permutation of a log's rows gives the same counts in every period.
    #[test]
    fn any_order_of_the_rows_gives_the_same_tally(
        (rows, shuffled) in random_log().prop_flat_map(|rows| (Just(rows.clone()), Just(rows).prop_shuffle()))
    ) {
        let a = tallies_of(&rows);
        let b = tallies_of(&shuffled);
        prop_assert_eq!(&a, &b);
        let persons: std::collections::BTreeSet<(&str, &str)> =
            rows.iter().map(|r| (r.person.as_str(), r.province.as_str())).collect();
        let counted: u64 = [InterviewKind::Social, InterviewKind::Referral]
            .iter()
            .map(|&k| sum(&a[0], k, IdCount::Persons))
            .sum();
        prop_assert_eq!(counted, persons.len() as u64);
        let interviews: u64 = [InterviewKind::Social, InterviewKind::Referral]
            .iter()
            .map(|&k| sum(&a[0], k, IdCount::Interviews))
            .sum();
        prop_assert_eq!(interviews, rows.len() as u64);
    }
}
