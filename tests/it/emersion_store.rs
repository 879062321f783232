//! Emersion records in the store: interviews of persons of the register, what became
//! known of them over time, Referral requests, outcomes of contacts and helpline reports,
//! and the period counts built from them.

use chrono::NaiveDate;
use lanterna::domain::emersion::{
    Adhesion, ContactOutcome, Findings, HelpKind, HelplineCount, HelplineOutcome, HelplineReport, HelplineSource,
    IdCount, InterviewKind, OutcomeSet, Typology, Verdict,
};
use lanterna::domain::{Activity, Comune, ContactData, Gender, Measure, Nationality, Period, Place, Tally};
use lanterna::store::emersion::NewInterview;
use lanterna::store::{Store, StoreError};

use crate::common::{KEY, bg, day, night_street, someone, temp_db};

fn sum(t: &Tally, m: Measure) -> u64 {
    t.sum(m, |b, _| b.activity == Activity::Emersion)
}

fn year(y: i32) -> Period {
    Period::new(NaiveDate::from_ymd_opt(y, 1, 1).unwrap(), NaiveDate::from_ymd_opt(y, 12, 31).unwrap()).unwrap()
}

fn interview(person: i64, date: &str, kind: InterviewKind, findings: Findings) -> NewInterview {
    NewInterview { person, date: day(date), province: bg(), kind, findings, requested: None }
}

#[test]
fn a_person_interviewed_twice_counts_once_with_the_state_at_the_end_of_the_period() {
    let (_dir, db) = temp_db();
    let mut store = Store::open(&db, KEY).unwrap();
    let p = someone(&mut store, Gender::F, "NG");
    let social = InterviewKind::Social;
    let pending = Findings { verdict: Some(Verdict::Pending), ..Default::default() };
    store.record_interview(&interview(p, "2023-03-01", social, pending)).unwrap();
    let identified = Findings {
        verdict: Some(Verdict::Identified),
        typology: Some(Typology::SexualStreet),
        adhesion: Some(Adhesion::Yes),
        ..Default::default()
    };
    store.record_interview(&interview(p, "2024-02-01", social, identified)).unwrap();

    let y23 = store.emersion_tally(year(2023)).unwrap();
    assert_eq!(sum(&y23, Measure::Id(social, IdCount::Persons)), 1);
    assert_eq!(sum(&y23, Measure::Id(social, IdCount::InProgress)), 1, "in 2023 the evaluation was in progress");
    assert_eq!(sum(&y23, Measure::Id(social, IdCount::Identified)), 0);

    let both = Period::new(day("2023-01-01"), day("2024-12-31")).unwrap();
    let t = store.emersion_tally(both).unwrap();
    assert_eq!(sum(&t, Measure::Id(social, IdCount::Persons)), 1, "one person");
    assert_eq!(sum(&t, Measure::Id(social, IdCount::Interviews)), 2, "two interviews");
    assert_eq!(sum(&t, Measure::Id(social, IdCount::Identified)), 1);
    assert_eq!(sum(&t, Measure::Id(social, IdCount::Adhesions)), 1);
    assert_eq!(sum(&t, Measure::Id(social, IdCount::Typology(Typology::SexualStreet))), 1);
    assert_eq!(sum(&t, Measure::Id(social, IdCount::InProgress)), 0);
    assert_eq!(store.identification_state(p, day("2023-12-31")).unwrap().verdict, Some(Verdict::Pending));
    assert_eq!(store.interviews_of(p).unwrap().len(), 2);
}

#[test]
fn a_referral_interview_answers_a_request_and_an_unanswered_one_is_counted() {
    let (_dir, db) = temp_db();
    let mut store = Store::open(&db, KEY).unwrap();
    let (a, b) = (someone(&mut store, Gender::M, "PK"), someone(&mut store, Gender::F, "CI"));
    let referral = InterviewKind::Referral;
    store.record_referral_request(b, day("2023-05-02"), bg()).unwrap();
    let with_request = NewInterview {
        requested: Some(day("2023-04-20")),
        ..interview(a, "2023-05-10", referral, Findings::default())
    };
    store.record_interview(&with_request).unwrap();
    let t = store.emersion_tally(year(2023)).unwrap();
    assert_eq!(sum(&t, Measure::Id(referral, IdCount::Requests)), 2);
    assert_eq!(sum(&t, Measure::Id(referral, IdCount::Unanswered)), 1, "b's request has no interview yet");
    assert_eq!(sum(&t, Measure::Id(referral, IdCount::Persons)), 1);
    assert_eq!(store.referral_requests_of(a).unwrap()[0].received, day("2023-04-20"));
}

#[test]
fn outcomes_count_persons_once_per_province_across_contacts_and_activities() {
    let (_dir, db) = temp_db();
    let mut store = Store::open(&db, KEY).unwrap();
    let now = chrono::Utc::now();
    let outing = store.start_outing(&night_street(now)).unwrap();
    let stop = store.add_stop(outing.id, Place::comune(Comune::parse("016024").unwrap()), None).unwrap();
    let mut data = ContactData::new(Gender::F, Nationality::parse("RO").unwrap());
    data.outcomes = [ContactOutcome::Proposed, ContactOutcome::ComplaintPolice].into_iter().collect();
    let c = store.record_contact(stop.id, &data).unwrap();
    assert_eq!(store.contact(c.id).unwrap().data.outcomes, data.outcomes, "outcomes are kept with the contact");
    let person = store.person_of_contact(c.id).unwrap().id;
    store.record_known(stop.id, person, &Default::default()).ok();
    let second = store.contacts_of_outing(outing.id).unwrap().last().unwrap().id;
    store.set_contact_outcomes(second, [ContactOutcome::Accepted].into_iter().collect()).unwrap();
    let today = now.date_naive();
    let t = store
        .emersion_tally(Period::new(today - chrono::Duration::days(2), today + chrono::Duration::days(1)).unwrap())
        .unwrap();
    assert_eq!(sum(&t, Measure::OutcomePersons), 1, "one person, two contacts");
    assert_eq!(sum(&t, Measure::Outcome(ContactOutcome::Proposed)), 1);
    assert_eq!(sum(&t, Measure::Outcome(ContactOutcome::Accepted)), 1);
    assert_eq!(sum(&t, Measure::Outcome(ContactOutcome::ComplaintPolice)), 1);
    assert!(matches!(store.set_contact_outcomes(999_999, OutcomeSet::EMPTY), Err(StoreError::NotFound { .. })));
}

#[test]
fn helpline_reports_count_as_reports_and_a_bad_day_changes_nothing() {
    let (_dir, db) = temp_db();
    let mut store = Store::open(&db, KEY).unwrap();
    let report = HelplineReport {
        id: 0,
        date: day("2023-06-01"),
        province: bg(),
        gender: Gender::F,
        nationality: Nationality::parse("NG").unwrap(),
        known: false,
        source: HelplineSource::Agency,
        help: [HelpKind::Shelter, HelpKind::Legal].into_iter().collect(),
        outcome: Some(HelplineOutcome::TakenInCharge),
    };
    let kept = store.record_helpline_report(&report).unwrap();
    store.record_helpline_report(&HelplineReport { known: true, outcome: None, ..report.clone() }).unwrap();
    let t = store.emersion_tally(year(2023)).unwrap();
    assert_eq!(sum(&t, Measure::Helpline(HelplineCount::Reports)), 2);
    assert_eq!(sum(&t, Measure::Helpline(HelplineCount::New)), 1);
    assert_eq!(sum(&t, Measure::Helpline(HelplineCount::Help(HelpKind::Shelter))), 2);
    assert_eq!(sum(&t, Measure::Helpline(HelplineCount::Outcome(HelplineOutcome::TakenInCharge))), 1);
    let future = HelplineReport { date: day("2999-01-01"), ..kept.clone() };
    assert!(store.update_helpline_report(&future).is_err());
    assert_eq!(store.helpline_report(kept.id).unwrap(), kept, "refused: nothing changed");
}

#[test]
fn a_merge_moves_interviews_and_its_undo_moves_them_back() {
    let (_dir, db) = temp_db();
    let mut store = Store::open(&db, KEY).unwrap();
    let now = chrono::Utc::now();
    let outing = store.start_outing(&night_street(now)).unwrap();
    let stop = store.add_stop(outing.id, Place::comune(Comune::parse("016024").unwrap()), None).unwrap();
    let met = store.record_contact(stop.id, &ContactData::new(Gender::F, Nationality::parse("NG").unwrap())).unwrap();
    let street = store.person_of_contact(met.id).unwrap().id;
    let desk = someone(&mut store, Gender::F, "NG");
    let today = now.date_naive().format("%Y-%m-%d").to_string();
    store.record_interview(&interview(desk, &today, InterviewKind::Social, Findings::default())).unwrap();
    store.merge_persons(street, desk).unwrap();
    assert_eq!(store.interviews_of(street).unwrap().len(), 1);
    assert!(store.interviews_of(desk).unwrap().is_empty());
    store.undo_merge().unwrap();
    assert_eq!(store.interviews_of(desk).unwrap().len(), 1);
    // A person with an interview and no contact stays in the register.
    assert_eq!(store.person(desk).unwrap().id, desk);
}
