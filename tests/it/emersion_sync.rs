//! The phone's side of emersion sync: the emersion counts of every kept period leave the
//! phone as period summaries of activity `emersion` (closed codes, counts only) that
//! rebuild the phone's own `emersion_tally` exactly; an edit re-sends only the periods it
//! changes, a deleted interview re-sends its periods with lower counts, desk persons are
//! sent like street persons, and the wire rules keep each kind of count in its place.
//! The server's side (two units summed) is in `platforms/server/tests/it/emersion_sync.rs`.

use std::collections::BTreeSet;

use chrono::{NaiveDate, TimeZone, Utc};
use lanterna::domain::emersion::{
    Adhesion, ContactOutcome, Findings, HelpKind, HelplineCount, HelplineReport, HelplineSource, IdCount,
    InterviewKind, Typology, Verdict,
};
use lanterna::domain::{
    Activity, ContactData, Gender, Measure, Nationality, Period, PersonDetails, Protection, Shift, Tally,
};
use lanterna::store::Store;
use lanterna::store::emersion::NewInterview;
use lanterna::wire::{AckStatus, Cell, Limits, PersonCell, PersonSummary, Refusal, Summary};
use uuid::Uuid;

use crate::common::{bg, day, day_outing_in_bergamo, someone};

fn interview(store: &mut Store, person: i64, date: &str, kind: InterviewKind, findings: Findings) -> i64 {
    let new = NewInterview { person, date: day(date), province: bg(), kind, findings, requested: None };
    store.record_interview(&new).unwrap().id
}

/// A closed outing of `activity` on `date` in Bergamo with one contact per `data`.
fn outing(store: &mut Store, activity: Activity, date: &str, data: &[ContactData]) -> Uuid {
    let (o, stop) = day_outing_in_bergamo(store, activity, date);
    for d in data {
        store.record_contact(stop, d).unwrap();
    }
    let ended_at = Utc.from_utc_datetime(&day(date).and_hms_opt(12, 0, 0).unwrap());
    store.close_outing(o, ended_at).unwrap();
    o
}

/// A phone with a year of emersion work in Bergamo: two persons interviewed several
/// times (one identified and adhering later), a Referral, an outcome on a street
/// contact, and a helpline report.
fn phone() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let a = someone(&mut store, Gender::F, "NG");
    let b = someone(&mut store, Gender::M, "PK");
    let social = InterviewKind::Social;
    let pending = Findings { verdict: Some(Verdict::Pending), ..Default::default() };
    interview(&mut store, a, "2024-02-10", social, pending);
    interview(&mut store, a, "2024-02-20", social, Findings::default());
    let identified = Findings {
        verdict: Some(Verdict::Identified),
        typology: Some(Typology::SexualStreet),
        adhesion: Some(Adhesion::Waiting),
        ..Default::default()
    };
    interview(&mut store, a, "2024-05-03", social, identified);
    store
        .note_findings(a, day("2024-06-15"), &Findings { adhesion: Some(Adhesion::Yes), ..Default::default() })
        .unwrap();
    interview(&mut store, b, "2024-03-01", InterviewKind::Referral, Findings::default());
    let mut met = ContactData::new(Gender::F, Nationality::parse("RO").unwrap());
    met.outcomes = [ContactOutcome::Proposed, ContactOutcome::ComplaintPolice].into_iter().collect();
    outing(&mut store, Activity::Street, "2024-04-12", &[met]);
    store
        .record_helpline_report(&HelplineReport {
            id: 0,
            date: day("2024-07-01"),
            province: bg(),
            gender: Gender::F,
            nationality: Nationality::parse("NG").unwrap(),
            known: false,
            source: HelplineSource::Own,
            help: [HelpKind::Shelter].into_iter().collect(),
            outcome: None,
        })
        .unwrap();
    store
}

/// The emersion summaries among `sent`.
fn emersion(sent: &[PersonSummary]) -> Vec<&PersonSummary> {
    sent.iter().filter(|p| p.activity == Activity::Emersion).collect()
}

/// What the phone sent for one period, as a tally.
fn tally_of<'a>(sent: impl IntoIterator<Item = &'a PersonSummary>, period: Period) -> Tally {
    let mut t = Tally::new();
    for p in sent.into_iter().filter(|p| (p.from, p.to) == (period.from, period.to)) {
        p.add_to(&mut t);
    }
    t
}

/// Acknowledges everything sent, as the server would.
fn ack(store: &mut Store, sent: &[PersonSummary]) {
    let acks: Vec<_> = sent.iter().map(|p| p.ack(AckStatus::Stored)).collect();
    store.mark_persons_synced(&acks).unwrap();
}

fn months_of_2024() -> Vec<Period> {
    (1..=12).map(|m| Period::calendar_of(NaiveDate::from_ymd_opt(2024, m, 1).unwrap())[0]).collect()
}

#[test]
fn the_emersion_summaries_rebuild_the_phones_tally_of_every_kept_period() {
    let mut store = phone();
    let sent = store.pending_person_summaries(10_000).unwrap();
    for p in &sent {
        p.validate(&Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    }
    let mut periods: Vec<Period> = months_of_2024();
    periods.extend(Period::calendar_of(day("2024-01-01"))[1..].iter().copied());
    periods.extend([4, 7, 10].map(|m| Period::calendar_of(NaiveDate::from_ymd_opt(2024, m, 1).unwrap())[1]));
    let mut nonempty = 0;
    for period in periods {
        let want = store.emersion_tally(period).unwrap();
        nonempty += usize::from(!want.is_empty());
        assert_eq!(tally_of(emersion(&sent), period), want, "{}", period.key());
    }
    assert!(nonempty >= 8, "the fixture fills most months: {nonempty}");
    let year = Period::calendar_of(day("2024-01-01"))[2];
    let t = tally_of(emersion(&sent), year);
    let social = |c| t.sum(Measure::Id(InterviewKind::Social, c), |_, _| true);
    assert_eq!((social(IdCount::Persons), social(IdCount::Interviews)), (1, 3));
    assert_eq!((social(IdCount::Identified), social(IdCount::Adhesions)), (1, 1));
    assert_eq!(t.sum(Measure::Helpline(HelplineCount::Reports), |_, _| true), 1);
    assert_eq!(t.sum(Measure::Outcome(ContactOutcome::ComplaintPolice), |_, _| true), 1);
    // Nothing but closed codes and counts: no name, no date of birth, no free text.
    let json = serde_json::to_string(&emersion(&sent)).unwrap();
    assert!(!json.contains("name") && !json.contains("birth"), "{json}");

    // All acknowledged: nothing more to send, and a second call counts nothing again.
    ack(&mut store, &sent);
    assert_eq!(store.pending_person_summaries(10_000).unwrap(), []);
    assert_eq!(store.pending_person_summaries(10_000).unwrap(), []);
}

#[test]
fn desk_persons_are_sent_like_street_persons() {
    let mut store = phone();
    let met = ContactData::new(Gender::F, Nationality::parse("NG").unwrap());
    outing(&mut store, Activity::Desk, "2024-02-10", &[met.clone(), met]);
    let sent = store.pending_person_summaries(10_000).unwrap();
    let desk: Vec<&PersonSummary> = sent.iter().filter(|p| p.activity == Activity::Desk).collect();
    assert_eq!(desk.len(), 3, "month, quarter and year of the desk session");
    desk.iter().for_each(|p| assert_eq!(p.validate(&Limits::default()), Ok(())));
    let feb = Period::calendar_of(day("2024-02-10"))[0];
    let persons = tally_of(desk, feb);
    assert_eq!(persons.sum(Measure::Persons, |b, _| b.activity == Activity::Desk), 2);
    assert_eq!(persons, store.persons_tally(feb, Some(Activity::Desk)).unwrap());
}

#[test]
fn an_edit_re_sends_exactly_the_periods_it_changes_and_a_deletion_lowers_them() {
    let mut store = phone();
    let sent = store.pending_person_summaries(10_000).unwrap();
    ack(&mut store, &sent);

    // A new helpline report in September: September, Q3 and 2024, nothing else.
    let report = HelplineReport {
        id: 0,
        date: day("2024-09-09"),
        province: bg(),
        gender: Gender::T,
        nationality: Nationality::parse("BR").unwrap(),
        known: true,
        source: HelplineSource::Agency,
        help: Default::default(),
        outcome: None,
    };
    let r = store.record_helpline_report(&report).unwrap();
    let again = store.pending_person_summaries(10_000).unwrap();
    let keys: BTreeSet<String> = again.iter().map(|p| Period { from: p.from, to: p.to }.key()).collect();
    let want: BTreeSet<String> = Period::calendar_of(day("2024-09-09")).iter().map(|p| p.key()).collect();
    assert_eq!(keys, want);
    let sep = Period::calendar_of(day("2024-09-09"))[0];
    let revision = |p: &PersonSummary| if (p.from, p.to) == (sep.from, sep.to) { 1 } else { 2 };
    assert!(again.iter().all(|p| p.activity == Activity::Emersion && p.revision == revision(p)), "{again:?}");
    ack(&mut store, &again);

    // Deleting it sends September again, empty now, and the quarter and year lower.
    store.delete_helpline_report(r.id).unwrap();
    let back = store.pending_person_summaries(10_000).unwrap();
    assert_eq!(back.len(), 3);
    let september = back.iter().find(|p| p.from == sep.from && p.to == sep.to).unwrap();
    assert_eq!((september.revision, september.cells.as_slice()), (2, &[][..]), "sent empty");
    let year = Period::calendar_of(day("2024-09-09"))[2];
    assert_eq!(tally_of(back.iter(), year), store.emersion_tally(year).unwrap());
    ack(&mut store, &back);

    // A deleted interview: its periods come back with one interview fewer.
    let a = store.interviews_of(1).unwrap();
    let may = a.iter().find(|e| e.interview.date == day("2024-02-20")).unwrap().interview.id;
    store.delete_interview(may).unwrap();
    let lower = store.pending_person_summaries(10_000).unwrap();
    let keys: BTreeSet<String> = lower.iter().map(|p| Period { from: p.from, to: p.to }.key()).collect();
    let want: BTreeSet<String> = Period::calendar_of(day("2024-02-20")).iter().map(|p| p.key()).collect();
    assert_eq!(keys, want);
    let interviews = |t: &Tally| t.sum(Measure::Id(InterviewKind::Social, IdCount::Interviews), |_, _| true);
    assert_eq!(interviews(&tally_of(lower.iter(), year)), 2);

    // A person's details change: every period they count in is sent again.
    ack(&mut store, &lower);
    let details = PersonDetails {
        name: None,
        gender: Gender::F,
        nationality: Nationality::parse("GH").unwrap(),
        age_band: None,
        protection: Protection::Unknown,
    };
    store.update_person(2, &details).unwrap();
    let moved = store.pending_person_summaries(10_000).unwrap();
    let march = Period::calendar_of(day("2024-03-01"))[0];
    assert!(moved.iter().any(|p| (p.from, p.to) == (march.from, march.to)));
    assert_eq!(tally_of(moved.iter(), march), store.emersion_tally(march).unwrap());
}

#[test]
fn an_unanswered_request_is_sent_in_every_month_after_it_and_named_periods_are_sent() {
    let mut store = Store::open_in_memory().unwrap();
    let p = someone(&mut store, Gender::M, "BD");
    store.record_referral_request(p, day("2025-10-20"), bg()).unwrap();
    let named = Period::new(day("2025-11-15"), day("2026-01-14")).unwrap();
    store.set_named_periods(&[("Bando".into(), named)]).unwrap();
    let sent = store.pending_person_summaries(10_000).unwrap();
    let unanswered = |period: Period| {
        tally_of(sent.iter(), period).sum(Measure::Id(InterviewKind::Referral, IdCount::Unanswered), |_, _| true)
    };
    // A month without any record, after the request, still shows it unanswered.
    let dec = Period::calendar_of(day("2025-12-01"))[0];
    assert!(!store.emersion_tally(dec).unwrap().is_empty());
    assert_eq!(unanswered(dec), 1);
    assert_eq!(unanswered(named), 1, "the named period");
    assert_eq!(tally_of(sent.iter(), named), store.emersion_tally(named).unwrap());
}

#[test]
fn the_wire_keeps_each_count_in_its_activity() {
    let limits = Limits::default();
    let cell = |shift, measure| PersonCell {
        shift,
        nationality: Nationality::parse("NG").unwrap(),
        gender: Gender::F,
        measure,
        count: 2,
    };
    let summary = |activity, cells| PersonSummary {
        from: day("2024-01-01"),
        to: day("2024-01-31"),
        activity,
        province: bg(),
        revision: 1,
        cells,
    };
    let id = Measure::Id(InterviewKind::Social, IdCount::Persons);
    let outcome = Measure::Outcome(ContactOutcome::Accepted);
    let helpline = Measure::Helpline(HelplineCount::Reports);
    let ok = [
        summary(Activity::Emersion, vec![cell(Shift::Day, id), cell(Shift::Day, outcome), cell(Shift::Day, helpline)]),
        summary(Activity::Desk, vec![cell(Shift::Day, Measure::Persons)]),
        summary(Activity::Street, vec![cell(Shift::Night, Measure::Persons)]),
        summary(Activity::Emersion, Vec::new()),
    ];
    for s in &ok {
        assert_eq!(s.validate(&limits), Ok(()), "{s:?}");
    }
    let refused = [
        (summary(Activity::Emersion, vec![cell(Shift::Day, Measure::Persons)]), Refusal::MeasureActivity),
        (summary(Activity::Emersion, vec![cell(Shift::Night, id)]), Refusal::MeasureActivity),
        (summary(Activity::Street, vec![cell(Shift::Day, outcome)]), Refusal::MeasureActivity),
        (summary(Activity::Desk, vec![cell(Shift::Day, helpline)]), Refusal::MeasureActivity),
        (summary(Activity::Indoor, vec![cell(Shift::Day, Measure::Persons)]), Refusal::PersonsActivity),
    ];
    for (s, why) in &refused {
        assert_eq!(s.validate(&limits).map_err(|e| e.reason), Err(*why), "{s:?}");
    }

    let outing = |activity, measure| Summary {
        id: Uuid::from_u128(7),
        revision: 1,
        deleted: false,
        activity,
        date: day("2024-01-05"),
        shift: Shift::Day,
        province: bg(),
        comuni: Vec::new(),
        cells: vec![Cell {
            province: None,
            nationality: Nationality::parse("NG").unwrap(),
            gender: Gender::F,
            measure,
            count: 1,
        }],
        team: None,
        minutes: None,
        mapping: false,
        session: None,
    };
    assert_eq!(outing(Activity::Desk, Measure::Contacts).validate(&limits), Ok(()));
    for (activity, measure) in [
        (Activity::Emersion, Measure::Contacts),
        (Activity::Emersion, helpline),
        (Activity::Desk, outcome),
        (Activity::Street, id),
    ] {
        let got = outing(activity, measure).validate(&limits).map_err(|e| e.reason);
        assert_eq!(got, Err(Refusal::MeasureActivity), "{activity} {measure}");
    }
}
