//! Properties of aggregation and import that must hold for any data.

use chrono::{Duration, NaiveDate};
use lanterna::domain::tables::{ReportScope, labour_report, services_report, street_report};
use lanterna::domain::{
    Activity, AgeBand, ContactData, ContactRecord, EventKind, Gender, ItemKey, ItemKind, Language, Measure,
    Nationality, Period, Place, Protection, Province, ServiceKind, Services, Shift, Tally,
};
use lanterna::import::parse_contacts;
use lanterna::store::{Store, TallyParts};
use lanterna::wire::Limits;
use proptest::prelude::*;

const NATS: &[&str] = &["RO", "NG", "BR", "AL", "CN", "PE", "IT", "XE", "XA", "ZZ"];
const PROVINCES: &[&str] = &["BS", "MI", "TO", "BG"];

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()
}

fn services() -> impl Strategy<Value = Services> {
    (any::<bool>(), 0u32..3, 0u32..2, proptest::array::uniform4(0u32..3), proptest::array::uniform4(0u32..3)).prop_map(
        |(information, talks, legal, r, a)| {
            let mut s = Services::informed(information);
            s.set_count(EventKind::Listening, None, talks);
            s.set_count(EventKind::LegalConsultation, None, legal);
            for (i, service) in ServiceKind::ALL.iter().enumerate() {
                s.set_count(EventKind::Referral, Some(*service), r[i]);
                s.set_count(EventKind::Accompaniment, Some(*service), a[i]);
            }
            s
        },
    )
}

/// The events of `kind` as an imported cell lists them: `legal:2;health:1`.
fn event_list(s: &Services, kind: EventKind) -> String {
    let parts: Vec<String> = ServiceKind::ALL
        .iter()
        .map(|&k| (k, s.count(kind, Some(k))))
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{}:{n}", k.code()))
        .collect();
    parts.join(";")
}

fn contact() -> impl Strategy<Value = ContactRecord> {
    (
        (0usize..2, 0i64..400, any::<bool>(), 0..PROVINCES.len()),
        (0usize..3, 0..NATS.len(), proptest::option::of(0usize..5), proptest::option::of(any::<bool>()), 0usize..3),
        services(),
        (0u32..5, 0u32..3, 0usize..4),
    )
        .prop_map(|((act, day, night, prov), (g, nat, age, first, prot), services, (condoms, leaflets, lang))| {
            let mut data = ContactData::new(Gender::ALL[g], Nationality::parse(NATS[nat]).unwrap());
            data.age_band = age.map(|a| AgeBand::ALL[a]);
            data.first_contact = first;
            data.protection = Protection::ALL[prot];
            data.services = services;
            data.items.set(ItemKey::plain(ItemKind::Condoms), condoms);
            data.items.set(ItemKey::leaflets(Language::ALL[lang]), leaflets);
            ContactRecord {
                activity: Activity::ALL[act],
                date: start() + Duration::days(day),
                shift: if night { Shift::Night } else { Shift::Day },
                place: Place::province(Province::parse(PROVINCES[prov]).unwrap()),
                person: None,
                data,
            }
        })
}

fn whole_period() -> Period {
    Period::new(start(), start() + Duration::days(400)).unwrap()
}

fn to_csv(records: &[ContactRecord]) -> String {
    let mut s = String::from(
        "date,shift,activity,province,gender,nationality,age_band,first_contact,protection,condoms,leaflets,\
         leaflet_language,information,listening,legal_consultations,referral,accompaniment\n",
    );
    for r in records {
        let d = &r.data;
        let leaflet = d.items.iter().find(|(k, _)| k.kind == ItemKind::Leaflets);
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            r.date,
            r.shift,
            r.activity,
            r.place.province,
            d.gender,
            d.nationality,
            d.age_band.map_or("", |a| a.code()),
            d.first_contact.map_or("", |f| if f { "yes" } else { "no" }),
            d.protection,
            d.items.get(ItemKey::plain(ItemKind::Condoms)),
            leaflet.map_or(0, |l| l.1),
            leaflet.map_or("", |l| l.0.language.unwrap().code()),
            d.services.information,
            d.services.count(EventKind::Listening, None),
            d.services.count(EventKind::LegalConsultation, None),
            event_list(&d.services, EventKind::Referral),
            event_list(&d.services, EventKind::Accompaniment),
        ));
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Every table's totals equal the number of contacts it covers, whatever they are.
    #[test]
    fn table_totals_equal_the_number_of_contacts(records in proptest::collection::vec(contact(), 0..300)) {
        let tally = Tally::of_records(&records);
        let scope = ReportScope::period(whole_period());
        let street = street_report(&tally, &scope);
        let labour = labour_report(&tally, &scope);
        let n_street = records.iter().filter(|r| r.activity == Activity::Street).count() as u64;
        let n_labour = records.len() as u64 - n_street;
        prop_assert_eq!(street.synthesis.grand_total, n_street);
        prop_assert_eq!(labour.synthesis.grand_total, n_labour);
        for t in &street.tables {
            let cells: u64 = t.rows.iter().map(|r| r.day.total() + r.night.total()).sum();
            prop_assert_eq!(cells, t.grand_total);
            prop_assert_eq!(t.total.day.total() + t.total.night.total(), t.grand_total);
            let here = records.iter().filter(|r| r.activity == Activity::Street && r.place.province == t.province).count();
            prop_assert_eq!(t.grand_total, here as u64);
        }
        let minors = records.iter().filter(|r| r.data.is_minor()).count() as u64;
        prop_assert_eq!(street.synthesis.of_which.minors + labour.synthesis.of_which.minors, minors);
        let services = services_report(&tally, &scope);
        let referred = records.iter().filter(|r| ServiceKind::ALL.iter().any(|&k| r.data.services.count(EventKind::Referral, Some(k)) > 0)).count() as u64;
        prop_assert_eq!(services.synthesis.total.referred_persons, referred);
        let legal: u32 = records.iter().map(|r| r.data.services.count(EventKind::Referral, Some(ServiceKind::Legal))).sum();
        prop_assert_eq!(services.synthesis.total.referrals[&ServiceKind::Legal].total, u64::from(legal));
    }

    /// The SQL tally of stored contacts equals the pure tally of the same records.
    #[test]
    fn the_store_tallies_like_the_domain(records in proptest::collection::vec(contact(), 1..200)) {
        let mut store = Store::open_in_memory().unwrap();
        store.import_records(&records, "test").unwrap();
        let from_sql = store.tally(whole_period(), TallyParts::ALL).unwrap();
        prop_assert_eq!(from_sql, Tally::of_records(&records));
        // A narrower period keeps only its dates.
        let half = Period::new(start(), start() + Duration::days(150)).unwrap();
        let inside: Vec<_> = records.iter().filter(|r| half.contains(r.date)).cloned().collect();
        prop_assert_eq!(store.tally(half, TallyParts::ALL).unwrap(), Tally::of_records(&inside));
    }

    /// What sync sends adds up to what the phone counts: the summaries of every closed
    /// outing, loaded by the store and built by the pure `Summary::of`, hold the tally.
    #[test]
    fn the_summaries_sent_hold_the_whole_tally(records in proptest::collection::vec(contact(), 1..150)) {
        let mut store = Store::open_in_memory().unwrap();
        store.import_records(&records, "test").unwrap();
        let summaries = store.pending_summaries(10_000).unwrap();
        prop_assert_eq!(summaries.len() as u64, store.pending_count().unwrap());
        let mut sent = Tally::new();
        for s in &summaries {
            prop_assert!(s.validate(&Limits::default()).is_ok());
            s.add_to(&mut sent);
        }
        prop_assert_eq!(sent, Tally::of_records(&records));
    }

    /// Importing the same rows in any order gives the same reports.
    #[test]
    fn import_then_report_is_stable_under_row_order(
        records in proptest::collection::vec(contact(), 1..150),
        seed in any::<u64>(),
    ) {
        let mut shuffled = records.clone();
        // A deterministic shuffle from the seed.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let report = |rows: &[ContactRecord]| {
            let parsed = parse_contacts(to_csv(rows).as_bytes()).unwrap();
            prop_assert_eq!(&parsed.records.len(), &rows.len());
            let mut store = Store::open_in_memory().unwrap();
            store.import_records(&parsed.records, &parsed.sha256).unwrap();
            let tally = store.tally(whole_period(), TallyParts::ALL).unwrap();
            let scope = ReportScope::period(whole_period());
            Ok((street_report(&tally, &scope), labour_report(&tally, &scope), services_report(&tally, &scope), tally))
        };
        let a = report(&records)?;
        let b = report(&shuffled)?;
        prop_assert_eq!(&a.0, &b.0);
        prop_assert_eq!(&a.1, &b.1);
        prop_assert_eq!(&a.2, &b.2);
        // And the CSV round trip loses nothing.
        prop_assert_eq!(a.3.sum(Measure::Contacts, |_, _| true), records.len() as u64);
        prop_assert_eq!(a.3, Tally::of_records(&records));
    }
}

/// A person of a small pool: their code decides who they are, so every row naming them
/// agrees (the import refuses rows that disagree).
const PERSON_POOL: usize = 24;

/// Contacts where most rows name a person of the pool (met several times), some none.
fn contacts_of_persons() -> impl Strategy<Value = Vec<ContactRecord>> {
    proptest::collection::vec((contact(), proptest::option::weighted(0.8, 0..PERSON_POOL)), 1..200).prop_map(|rows| {
        rows.into_iter()
            .map(|(mut r, person)| {
                if let Some(p) = person {
                    r.data.gender = Gender::ALL[p % 3];
                    r.data.nationality = Nationality::parse(NATS[p % NATS.len()]).unwrap();
                    r.data.age_band = (p % 5 == 0).then_some(AgeBand::Minor);
                    r.data.protection = Protection::ALL[p % 3];
                    r.person = Some(format!("p{p}"));
                }
                r
            })
            .collect()
    })
}

/// Distinct persons per bucket and cell among `records` dated in `period`: a code is one
/// person, a row without one a person of its own.
fn distinct_persons(records: &[ContactRecord], period: Period) -> std::collections::BTreeMap<(String, String), u64> {
    let mut seen = std::collections::BTreeSet::new();
    for (i, r) in records.iter().enumerate().filter(|(_, r)| period.contains(r.date)) {
        let who = r.person.clone().unwrap_or_else(|| format!("row{i}"));
        let bucket = format!("{}/{}/{}", r.activity, r.place.province, r.shift);
        seen.insert((bucket, format!("{}/{}", r.data.nationality, r.data.gender), who));
    }
    let mut out = std::collections::BTreeMap::new();
    for (b, c, _) in seen {
        *out.entry((b, c)).or_default() += 1;
    }
    out
}

/// The cells of one measure of a tally, keyed like [`distinct_persons`].
fn cells(t: &Tally, measure: Measure) -> std::collections::BTreeMap<(String, String), u64> {
    t.iter()
        .filter(|(_, c, _)| c.measure == measure)
        .map(|(b, c, n)| {
            ((format!("{}/{}/{}", b.activity, b.province, b.shift), format!("{}/{}", c.nationality, c.gender)), n)
        })
        .collect()
}

/// The periods the persons properties look at: the whole range (read from contacts), and
/// calendar months, quarters and years (read from the kept cells).
fn periods_to_check(records: &[ContactRecord]) -> Vec<Period> {
    let mut out =
        vec![whole_period(), Period::new(start() + Duration::days(20), start() + Duration::days(75)).unwrap()];
    for r in records.iter().take(5) {
        out.extend(Period::calendar_of(r.date));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// In every cell of every period, persons = the distinct codes met there, persons ≤
    /// contacts, and new + known = persons; kept periods and ranges read from the
    /// contacts agree.
    #[test]
    fn persons_are_the_distinct_codes_of_each_cell(records in contacts_of_persons()) {
        let mut store = Store::open_in_memory().unwrap();
        store.import_records(&records, "test").unwrap();
        for period in periods_to_check(&records) {
            let persons = store.persons_tally(period, None).unwrap();
            let contacts = store.tally(period, TallyParts::CONTACTS).unwrap();
            let p = cells(&persons, Measure::Persons);
            prop_assert_eq!(&p, &distinct_persons(&records, period), "period {:?}", period);
            let c = cells(&contacts, Measure::Contacts);
            for (key, n) in &p {
                prop_assert!(*n <= c.get(key).copied().unwrap_or(0), "persons above contacts in {:?}", key);
            }
            let new = cells(&persons, Measure::NewPersons);
            let known = cells(&persons, Measure::KnownPersons);
            for (key, n) in &p {
                prop_assert_eq!(new.get(key).unwrap_or(&0) + known.get(key).unwrap_or(&0), *n);
            }
        }
    }

    /// Merging two persons never raises a count: no bucket's persons, no total, and the
    /// contacts stay where they were; undoing the merge gives back every cell.
    #[test]
    fn merging_two_persons_never_raises_a_count(records in contacts_of_persons(), a in 0..PERSON_POOL, b in 0..PERSON_POOL) {
        prop_assume!(a != b);
        let mut store = Store::open_in_memory().unwrap();
        store.import_records(&records, "test").unwrap();
        let id_of = |s: &Store, code: &str| -> Option<i64> {
            s.connection().query_row("SELECT id FROM persons WHERE import_code = ?1", [code], |r| r.get(0)).ok()
        };
        let (Some(kept), Some(absorbed)) = (id_of(&store, &format!("p{a}")), id_of(&store, &format!("p{b}"))) else {
            return Ok(());
        };
        let before: Vec<Tally> = periods_to_check(&records).into_iter().map(|p| store.persons_tally(p, None).unwrap()).collect();
        let contacts_before = store.tally(whole_period(), TallyParts::CONTACTS).unwrap().sum(Measure::Contacts, |_, _| true);
        store.merge_persons(kept, absorbed).unwrap();
        for (period, was) in periods_to_check(&records).into_iter().zip(&before) {
            let now = store.persons_tally(period, None).unwrap();
            let bucket_totals = |t: &Tally| {
                let mut m = std::collections::BTreeMap::new();
                for (b, c, n) in t.iter().filter(|(_, c, _)| c.measure == Measure::Persons) {
                    let _ = c;
                    *m.entry(format!("{}/{}/{}", b.activity, b.province, b.shift)).or_insert(0u64) += n;
                }
                m
            };
            let (w, n) = (bucket_totals(was), bucket_totals(&now));
            for (bucket, count) in &n {
                prop_assert!(count <= w.get(bucket).unwrap_or(&0), "{} rose in {:?}", bucket, period);
            }
            prop_assert!(now.sum(Measure::Persons, |_, _| true) <= was.sum(Measure::Persons, |_, _| true));
        }
        let contacts_after = store.tally(whole_period(), TallyParts::CONTACTS).unwrap().sum(Measure::Contacts, |_, _| true);
        prop_assert_eq!(contacts_before, contacts_after);
        store.undo_merge().unwrap().unwrap();
        for (period, was) in periods_to_check(&records).into_iter().zip(&before) {
            prop_assert_eq!(&store.persons_tally(period, None).unwrap(), was, "undo gives back {:?}", period);
        }
    }
}
