//! Tallies: counts by nationality × gender × measure, in buckets of activity, province
//! and shift. Every report table is built from a tally, whether it came from the
//! phone's records or from the summaries synced to the server.

use std::collections::BTreeMap;
use std::fmt;

use super::emersion::{ContactOutcome, HelplineCount, IdCount, InterviewKind};
use super::outreach::{Campaign, LabourSector, LabourSetting, MappingCount};
use super::{
    Activity, AgeBand, Comune, ContactData, ContactRecord, DomainError, EventKey, EventKind, Gender, ItemKey, ItemKind,
    Language, Nationality, Protection, Province, ServiceKind, ServiceSubtype, Services, Shift,
};

/// What a count counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Measure {
    /// Contacts (one per person met per outing).
    Contacts,
    /// Contacts noted as first contact.
    FirstContacts,
    /// Contacts noted as already known.
    KnownContacts,
    /// Contacts with a minor.
    Minors,
    /// Contacts with an asylum seeker or protection holder.
    Protection,
    /// Information given.
    Information,
    /// Listening talks (events: several per person per contact).
    Listening,
    /// Consultations with the unit's own legal operator (events).
    LegalConsultations,
    /// Persons accompanied to a service or given a listening talk or a legal consultation
    /// (one per contact; the store counts distinct persons).
    AccompaniedPersons,
    /// Persons referred to at least one service (one per contact; the store counts
    /// distinct persons).
    ReferredPersons,
    /// Referrals (invii) to a service (events).
    Referral(ServiceKind),
    /// Accompaniments to a service (events).
    Accompaniment(ServiceKind),
    /// Referrals to a service's sub-type (events whose sub-type was said).
    SubReferral(ServiceSubtype),
    /// Accompaniments to a service's sub-type (events whose sub-type was said).
    SubAccompaniment(ServiceSubtype),
    /// Quantity of an item handed out (leaflets: all languages).
    Item(ItemKind),
    /// Quantity of leaflets in a language.
    Leaflets(Language),
    /// Indoor: ads mapped (by the ad's declared gender and nationality).
    Ads,
    /// Indoor: ads advertising risky services.
    RiskyAds,
    /// Indoor: calls made.
    Calls,
    /// Indoor: messages sent (SMS, WhatsApp, Telegram, WeChat, other).
    Messages,
    /// Indoor: persons reached by a call ("contatti svolti"; messages are never contacts).
    Reached,
    /// Indoor: persons met after a contact.
    Meetings,
    /// Indoor: persons contacted in massage centres.
    MassageContacts,
    /// Distinct persons met in a period (the register's persons, never who).
    Persons,
    /// Persons met in the period whose first meeting ever falls inside it.
    NewPersons,
    /// Persons met in the period who were already known before it.
    KnownPersons,
    /// Persons met in the period who are minors.
    MinorPersons,
    /// Persons met in the period who seek or hold international protection.
    ProtectedPersons,
    /// Identification interviews of a kind: persons, interviews and what became of them.
    Id(InterviewKind, IdCount),
    /// Persons with an outcome of a contact in the period.
    Outcome(ContactOutcome),
    /// Persons with at least one outcome of a contact in the period.
    OutcomePersons,
    /// Helpline reports.
    Helpline(HelplineCount),
    /// People seen at a stop but not approached (by gender; nationality not known).
    Presences,
    /// Labour contacts in a sector (the contact's own, else its stop's).
    Sector(LabourSector),
    /// Labour contacts at a kind of place (the contact's own, else its stop's).
    Setting(LabourSetting),
    /// Contacts during a joint inspection with the labour inspectorate.
    JointInspection,
    /// Distinct persons met in labour outreach in a sector in the period.
    SectorPersons(LabourSector),
    /// National mapping night: persons seen or contacted in a comune.
    Mapping(MappingCount, Comune),
    /// Indoor: persons reached by a message campaign.
    Campaign(Campaign),
    /// Indoor: campaign messages sent in a language.
    CampaignLanguage(Language),
    /// Indoor: ads whose declared age is under 18.
    MinorAds,
    /// Indoor: the sum of ads' declared ages (with [`Measure::AdsAgeKnown`], the average).
    AdsAgeSum,
    /// Indoor: ads with a declared age.
    AdsAgeKnown,
    /// Indoor: persons reached by a call who seek or hold international protection.
    ReachedProtection,
    /// Indoor: persons contacted in massage centres who seek or hold international protection.
    MassageProtection,
    /// Contacts (or meetings, under indoor) in an age band.
    AgeContacts(AgeBand),
    /// Persons met in the period in an age band.
    AgePersons(AgeBand),
}

/// The measures of persons met in a period, with their codes: what a period's person
/// cells carry (see [`Count::Persons`](crate::domain::tables::Count)).
pub const PERSON_MEASURES: [(Measure, &str); 5] = [
    (Measure::Persons, "persons"),
    (Measure::NewPersons, "persons.new"),
    (Measure::KnownPersons, "persons.known"),
    (Measure::MinorPersons, "persons.minors"),
    (Measure::ProtectedPersons, "persons.protection"),
];

/// The indoor measures with their codes.
const INDOOR_MEASURES: [(Measure, &str); 12] = [
    (Measure::Ads, "ads"),
    (Measure::RiskyAds, "ads_risky"),
    (Measure::Calls, "calls"),
    (Measure::Messages, "messages"),
    (Measure::Reached, "reached"),
    (Measure::Meetings, "meetings"),
    (Measure::MassageContacts, "massage_contacts"),
    (Measure::MinorAds, "ads_minor"),
    (Measure::AdsAgeSum, "ads_age_sum"),
    (Measure::AdsAgeKnown, "ads_age_known"),
    (Measure::ReachedProtection, "reached_protection"),
    (Measure::MassageProtection, "massage_protection"),
];

impl Measure {
    /// Every measure, in a stable order.
    pub fn all() -> Vec<Measure> {
        let mut v = vec![
            Measure::Contacts,
            Measure::FirstContacts,
            Measure::KnownContacts,
            Measure::Minors,
            Measure::Protection,
            Measure::Information,
            Measure::Listening,
            Measure::LegalConsultations,
            Measure::AccompaniedPersons,
            Measure::ReferredPersons,
        ];
        v.extend(ServiceKind::ALL.iter().map(|&s| Measure::Referral(s)));
        v.extend(ServiceKind::ALL.iter().map(|&s| Measure::Accompaniment(s)));
        v.extend(ServiceSubtype::ALL.iter().map(|&s| Measure::SubReferral(s)));
        v.extend(ServiceSubtype::ALL.iter().map(|&s| Measure::SubAccompaniment(s)));
        v.extend(ItemKind::ALL.iter().map(|&k| Measure::Item(k)));
        v.extend(Language::ALL.iter().map(|&l| Measure::Leaflets(l)));
        v.extend(INDOOR_MEASURES.iter().map(|(m, _)| *m));
        v.extend(PERSON_MEASURES.iter().map(|(m, _)| *m));
        for kind in InterviewKind::ALL {
            v.extend(IdCount::all().into_iter().map(|c| Measure::Id(*kind, c)));
        }
        v.extend(ContactOutcome::ALL.iter().map(|&o| Measure::Outcome(o)));
        v.push(Measure::OutcomePersons);
        v.extend(HelplineCount::all().into_iter().map(Measure::Helpline));
        v.push(Measure::Presences);
        v.extend(LabourSector::ALL.iter().map(|&s| Measure::Sector(s)));
        v.extend(LabourSetting::ALL.iter().map(|&s| Measure::Setting(s)));
        v.push(Measure::JointInspection);
        v.extend(LabourSector::ALL.iter().map(|&s| Measure::SectorPersons(s)));
        v.extend(Campaign::ALL.iter().map(|&c| Measure::Campaign(c)));
        v.extend(Language::ALL.iter().map(|&l| Measure::CampaignLanguage(l)));
        v.extend(AgeBand::ALL.iter().map(|&b| Measure::AgeContacts(b)));
        v.extend(AgeBand::ALL.iter().map(|&b| Measure::AgePersons(b)));
        v
    }

    /// The pattern of the codes [`Measure::all`] cannot list: mapping counts by comune.
    pub const MAPPING_PATTERN: &'static str = "^mapping\\.(seen|contacted)\\.[0-9]{6}$";

    /// True for the measures of emersion beyond outreach (interviews, outcomes, helpline),
    /// kept under [`Activity::Emersion`].
    pub fn is_emersion(&self) -> bool {
        matches!(
            self,
            Measure::Id(..)
                | Measure::Outcome(_)
                | Measure::OutcomePersons
                | Measure::Helpline(_)
                | Measure::SectorPersons(_)
        )
    }

    /// True for the measures of persons met in a period (and their age bands).
    pub fn is_person(&self) -> bool {
        PERSON_MEASURES.iter().any(|(m, _)| m == self) || matches!(self, Measure::AgePersons(_))
    }

    /// The code on the wire: `contacts`, `referral.legal`, `item.condoms`, `leaflets.ro`.
    pub fn code(&self) -> String {
        match self {
            Measure::Contacts => "contacts".into(),
            Measure::FirstContacts => "first_contacts".into(),
            Measure::KnownContacts => "known_contacts".into(),
            Measure::Minors => "minors".into(),
            Measure::Protection => "protection".into(),
            Measure::Information => "information".into(),
            Measure::Listening => "listening".into(),
            Measure::LegalConsultations => "legal_consultations".into(),
            Measure::AccompaniedPersons => "accompanied_persons".into(),
            Measure::ReferredPersons => "referred_persons".into(),
            Measure::Referral(s) => format!("referral.{}", s.code()),
            Measure::Accompaniment(s) => format!("accompaniment.{}", s.code()),
            Measure::SubReferral(s) => format!("referral_sub.{}", s.code()),
            Measure::SubAccompaniment(s) => format!("accompaniment_sub.{}", s.code()),
            Measure::Item(k) => format!("item.{}", k.code()),
            Measure::Leaflets(l) => format!("leaflets.{}", l.code()),
            Measure::Id(kind, c) => format!("id.{}.{}", kind.code(), c.code()),
            Measure::Outcome(o) => format!("outcome.{}", o.code()),
            Measure::OutcomePersons => "outcome.persons".into(),
            Measure::Helpline(c) => format!("helpline.{}", c.code()),
            Measure::Presences => "presences".into(),
            Measure::Sector(x) => format!("sector.{}", x.code()),
            Measure::Setting(x) => format!("setting.{}", x.code()),
            Measure::JointInspection => "joint_inspection".into(),
            Measure::SectorPersons(x) => format!("sector_persons.{}", x.code()),
            Measure::Mapping(c, comune) => format!("mapping.{}.{}", c.code(), comune.code()),
            Measure::Campaign(c) => format!("campaign.{}", c.code()),
            Measure::CampaignLanguage(l) => format!("campaign_lang.{}", l.code()),
            Measure::AgeContacts(b) => format!("age.{}", b.code()),
            Measure::AgePersons(b) => format!("persons.age.{}", b.code()),
            m => INDOOR_MEASURES
                .iter()
                .chain(&PERSON_MEASURES)
                .find(|(x, _)| x == m)
                .map(|(_, c)| (*c).to_owned())
                .expect("every measure has a code"),
        }
    }

    /// Parses a code made by [`Measure::code`].
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let simple = match s {
            "contacts" => Some(Measure::Contacts),
            "first_contacts" => Some(Measure::FirstContacts),
            "known_contacts" => Some(Measure::KnownContacts),
            "minors" => Some(Measure::Minors),
            "protection" => Some(Measure::Protection),
            "information" => Some(Measure::Information),
            "listening" => Some(Measure::Listening),
            "legal_consultations" => Some(Measure::LegalConsultations),
            "accompanied_persons" => Some(Measure::AccompaniedPersons),
            "referred_persons" => Some(Measure::ReferredPersons),
            "presences" => Some(Measure::Presences),
            "joint_inspection" => Some(Measure::JointInspection),
            _ => INDOOR_MEASURES.iter().chain(&PERSON_MEASURES).find(|(_, c)| *c == s).map(|(m, _)| *m),
        };
        if let Some(m) = simple {
            return Ok(m);
        }
        let unknown =
            || DomainError::unknown("measure", s, "contacts, minors, referral.legal, item.condoms, leaflets.ro, ...");
        let (head, tail) = s.split_once('.').ok_or_else(unknown)?;
        match head {
            "referral" => Ok(Measure::Referral(ServiceKind::parse(tail)?)),
            "accompaniment" => Ok(Measure::Accompaniment(ServiceKind::parse(tail)?)),
            "referral_sub" => Ok(Measure::SubReferral(ServiceSubtype::parse(tail)?)),
            "accompaniment_sub" => Ok(Measure::SubAccompaniment(ServiceSubtype::parse(tail)?)),
            "item" => Ok(Measure::Item(ItemKind::parse(tail)?)),
            "leaflets" => Ok(Measure::Leaflets(Language::parse(tail)?)),
            "id" => {
                let (kind, count) = tail.split_once('.').ok_or_else(unknown)?;
                Ok(Measure::Id(InterviewKind::parse(kind)?, IdCount::parse(count).ok_or_else(unknown)?))
            }
            "outcome" if tail == "persons" => Ok(Measure::OutcomePersons),
            "outcome" => Ok(Measure::Outcome(ContactOutcome::parse(tail)?)),
            "helpline" => Ok(Measure::Helpline(HelplineCount::parse(tail).ok_or_else(unknown)?)),
            "sector" => Ok(Measure::Sector(LabourSector::parse(tail)?)),
            "setting" => Ok(Measure::Setting(LabourSetting::parse(tail)?)),
            "sector_persons" => Ok(Measure::SectorPersons(LabourSector::parse(tail)?)),
            "mapping" => {
                let (count, comune) = tail.split_once('.').ok_or_else(unknown)?;
                Ok(Measure::Mapping(MappingCount::parse(count)?, Comune::parse(comune)?))
            }
            "campaign" => Ok(Measure::Campaign(Campaign::parse(tail)?)),
            "campaign_lang" => Ok(Measure::CampaignLanguage(Language::parse(tail)?)),
            "age" => Ok(Measure::AgeContacts(AgeBand::parse(tail)?)),
            "persons" => match tail.split_once('.') {
                Some(("age", band)) => Ok(Measure::AgePersons(AgeBand::parse(band)?)),
                _ => Err(unknown()),
            },
            _ => Err(unknown()),
        }
    }

    /// What one contact contributes to each measure.
    pub fn of_contact(data: &ContactData) -> Vec<(Measure, u64)> {
        let mut out = vec![(Measure::Contacts, 1)];
        let flags = [
            (data.first_contact == Some(true), Measure::FirstContacts),
            (data.first_contact == Some(false), Measure::KnownContacts),
            (data.is_minor(), Measure::Minors),
            (data.protection == Protection::Yes, Measure::Protection),
        ];
        out.extend(flags.into_iter().filter(|(c, _)| *c).map(|(_, m)| (m, 1)));
        out.extend(data.age_band.map(|b| (Measure::AgeContacts(b), 1)));
        out.extend(Measure::of_services(&data.services));
        for (key, qty) in data.items.iter() {
            out.extend(Measure::of_item(key).map(|m| (m, u64::from(qty))));
        }
        out
    }

    /// True for the measures only indoor work has (ads, calls, messages, ...).
    pub fn is_indoor(&self) -> bool {
        INDOOR_MEASURES.iter().any(|(m, _)| m == self)
    }

    /// What one person met after an indoor contact contributes: a meeting, and what
    /// they were given, like a street contact (not counted as a street contact).
    pub fn of_meeting(data: &ContactData) -> Vec<(Measure, u64)> {
        Measure::of_contact(data)
            .into_iter()
            .map(|(m, n)| if m == Measure::Contacts { (Measure::Meetings, n) } else { (m, n) })
            .collect()
    }

    /// What one person's services count: information once, each event as often as it
    /// happened, and the person once in [`Measure::AccompaniedPersons`] and
    /// [`Measure::ReferredPersons`] when they had such events.
    pub fn of_services(s: &Services) -> Vec<(Measure, u64)> {
        let mut out = Vec::new();
        if s.information {
            out.push((Measure::Information, 1));
        }
        let mut persons = std::collections::BTreeSet::new();
        for (key, n) in s.iter() {
            out.extend(Measure::of_event(key).map(|m| (m, u64::from(n))));
            persons.insert(Measure::persons_of(key.kind));
        }
        out.extend(persons.into_iter().map(|m| (m, 1)));
        out
    }

    /// The measures an event counts in: its kind (by service), and its sub-type when said.
    pub fn of_event(key: EventKey) -> impl Iterator<Item = Measure> {
        let (by_service, by_subtype): (Option<Measure>, Option<Measure>) = match (key.kind, key.service) {
            (EventKind::Listening, _) => (Some(Measure::Listening), None),
            (EventKind::LegalConsultation, _) => (Some(Measure::LegalConsultations), None),
            (EventKind::Referral, s) => (s.map(Measure::Referral), key.subtype.map(Measure::SubReferral)),
            (EventKind::Accompaniment, s) => {
                (s.map(Measure::Accompaniment), key.subtype.map(Measure::SubAccompaniment))
            }
        };
        by_service.into_iter().chain(by_subtype)
    }

    /// The persons measure an event's person counts in: referred for referrals,
    /// accompanied (or given a talk) for the others.
    pub fn persons_of(kind: EventKind) -> Measure {
        match kind {
            EventKind::Referral => Measure::ReferredPersons,
            _ => Measure::AccompaniedPersons,
        }
    }

    /// The measures an item's quantity counts in: the item, and leaflets by language.
    pub fn of_item(key: ItemKey) -> impl Iterator<Item = Measure> {
        std::iter::once(Measure::Item(key.kind)).chain(key.language.map(Measure::Leaflets))
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl serde::Serialize for Measure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Measure {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Measure::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The grouping reports need above nationality and gender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bucket {
    /// Street, labour or indoor.
    pub activity: Activity,
    /// The stop's province.
    pub province: Province,
    /// Day or night.
    pub shift: Shift,
}

/// One cell: nationality × gender × measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellKey {
    /// Nationality.
    pub nationality: Nationality,
    /// Gender.
    pub gender: Gender,
    /// Measure.
    pub measure: Measure,
}

/// Counts per bucket and cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally(BTreeMap<(Bucket, CellKey), u64>);

impl Tally {
    /// An empty tally.
    pub fn new() -> Self {
        Tally::default()
    }

    /// Adds `count` to a cell (zero counts are not kept).
    pub fn add(&mut self, bucket: Bucket, cell: CellKey, count: u64) {
        if count > 0 {
            *self.0.entry((bucket, cell)).or_insert(0) += count;
        }
    }

    /// Adds one contact.
    pub fn add_contact(&mut self, bucket: Bucket, data: &ContactData) {
        for (measure, n) in Measure::of_contact(data) {
            self.add(bucket, CellKey { nationality: data.nationality, gender: data.gender, measure }, n);
        }
    }

    /// The tally of a set of contact records.
    pub fn of_records<'a>(records: impl IntoIterator<Item = &'a ContactRecord>) -> Self {
        let mut t = Tally::new();
        for r in records {
            let bucket = Bucket { activity: r.activity, province: r.place.province, shift: r.shift };
            t.add_contact(bucket, &r.data);
        }
        t
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &Tally) {
        for (&(b, c), &n) in &other.0 {
            self.add(b, c, n);
        }
    }

    /// Every non-zero cell.
    pub fn iter(&self) -> impl Iterator<Item = (Bucket, CellKey, u64)> + '_ {
        self.0.iter().map(|(&(b, c), &n)| (b, c, n))
    }

    /// The total of a measure over the cells `keep` selects.
    pub fn sum(&self, measure: Measure, keep: impl Fn(&Bucket, &CellKey) -> bool) -> u64 {
        self.iter().filter(|(b, c, _)| c.measure == measure && keep(b, c)).map(|(_, _, n)| n).sum()
    }

    /// True when nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Items;

    #[test]
    fn measure_codes_round_trip() {
        let mapping = Measure::Mapping(MappingCount::Seen, Comune::parse("017029").unwrap());
        for m in Measure::all().into_iter().chain([mapping]) {
            assert_eq!(Measure::parse(&m.code()).unwrap(), m);
        }
        assert_eq!(mapping.code(), "mapping.seen.017029");
        assert!(regex_lite_match(&mapping.code()));
        assert!(Measure::parse("mapping.seen.999999").is_err());
        assert!(Measure::parse("persons.age.12").is_err());
        assert!(Measure::parse("referral.dentist").is_err());
        assert!(Measure::parse("names").is_err());
    }

    /// The mapping pattern, checked by hand (no regex crate in the domain).
    fn regex_lite_match(code: &str) -> bool {
        let Some(rest) = code.strip_prefix("mapping.") else { return false };
        let Some((count, istat)) = rest.split_once('.') else { return false };
        Measure::MAPPING_PATTERN.contains(count) && istat.len() == 6 && istat.bytes().all(|b| b.is_ascii_digit())
    }

    #[test]
    fn a_contact_counts_once_per_measure() {
        let mut data = ContactData::new(Gender::F, Nationality::parse("NG").unwrap());
        data.age_band = Some(crate::domain::AgeBand::Minor);
        data.first_contact = Some(true);
        let mut services = Services::informed(true);
        services.add_each(EventKind::Referral, [ServiceKind::Health, ServiceKind::Legal].into_iter().collect());
        services.add_each(EventKind::Accompaniment, [ServiceKind::Health].into_iter().collect());
        data.services = services;
        let mut items = Items::default();
        items.set(ItemKey::plain(ItemKind::Condoms), 5);
        items.set(ItemKey::leaflets(Language::English), 2);
        data.items = items;
        let m: BTreeMap<_, _> = Measure::of_contact(&data).into_iter().collect();
        assert_eq!(m[&Measure::Contacts], 1);
        assert_eq!(m[&Measure::Minors], 1);
        assert_eq!(m[&Measure::ReferredPersons], 1);
        assert_eq!(m[&Measure::Referral(ServiceKind::Legal)], 1);
        assert_eq!(m[&Measure::Accompaniment(ServiceKind::Health)], 1);
        assert_eq!(m[&Measure::Item(ItemKind::Condoms)], 5);
        assert_eq!(m[&Measure::Item(ItemKind::Leaflets)], 2);
        assert_eq!(m[&Measure::Leaflets(Language::English)], 2);
        assert!(!m.contains_key(&Measure::KnownContacts));
        assert!(!m.contains_key(&Measure::Listening));
    }

    #[test]
    fn three_accompaniments_of_one_person_are_three_events_and_one_person() {
        let mut data = ContactData::new(Gender::F, Nationality::parse("NG").unwrap());
        data.services.set_count(EventKind::Accompaniment, Some(ServiceKind::Health), 3);
        data.services.toggle_subtype(EventKind::Accompaniment, ServiceSubtype::StiTest);
        data.services.set_count(EventKind::Listening, None, 2);
        data.services.set_count(EventKind::Referral, Some(ServiceKind::Legal), 1);
        let mut m: BTreeMap<Measure, u64> = BTreeMap::new();
        for (measure, n) in Measure::of_contact(&data) {
            *m.entry(measure).or_default() += n;
        }
        assert_eq!(m[&Measure::Accompaniment(ServiceKind::Health)], 3);
        assert_eq!(m[&Measure::SubAccompaniment(ServiceSubtype::StiTest)], 1);
        assert_eq!(m[&Measure::Listening], 2);
        assert_eq!(m[&Measure::AccompaniedPersons], 1);
        assert_eq!(m[&Measure::ReferredPersons], 1);
        assert_eq!(m[&Measure::Referral(ServiceKind::Legal)], 1);
        // In the tables: three events in F, one person.
        let rec = ContactRecord {
            activity: Activity::Street,
            date: crate::domain::parse_date("2023-03-01").unwrap(),
            shift: Shift::Night,
            place: crate::domain::Place::province(Province::parse("BS").unwrap()),
            person: None,
            data,
        };
        let tally = Tally::of_records([&rec]);
        assert_eq!(tally.sum(Measure::Accompaniment(ServiceKind::Health), |_, c| c.gender == Gender::F), 3);
        assert_eq!(tally.sum(Measure::AccompaniedPersons, |_, _| true), 1);
    }

    #[test]
    fn steppers_and_sub_types_keep_the_count() {
        let mut s = Services::default();
        let health = Some(ServiceKind::Health);
        s.set_count(EventKind::Accompaniment, health, 2);
        s.toggle_subtype(EventKind::Accompaniment, ServiceSubtype::Gp);
        s.toggle_subtype(EventKind::Accompaniment, ServiceSubtype::StiTest);
        assert_eq!(s.count(EventKind::Accompaniment, health), 2, "sub-types said of existing events");
        s.toggle_subtype(EventKind::Accompaniment, ServiceSubtype::Addiction);
        assert_eq!(s.count(EventKind::Accompaniment, health), 3, "a third sub-type is a third event");
        s.set_count(EventKind::Accompaniment, health, 1);
        assert_eq!(s.subtypes(EventKind::Accompaniment, ServiceKind::Health), [ServiceSubtype::StiTest]);
        s.toggle_subtype(EventKind::Accompaniment, ServiceSubtype::StiTest);
        assert_eq!(s.get(EventKey::new(EventKind::Accompaniment, health)), 1, "unsaid, the event stays");
        s.set_count(EventKind::Listening, None, 1000);
        assert_eq!(s.count(EventKind::Listening, None), crate::domain::rules::EVENTS_PER_STEP_MAX);
        s.set_count(EventKind::Referral, health, 0);
        assert!(s.iter().all(|(_, n)| n > 0), "no event counts zero");
        s.set_count(EventKind::Listening, health, 1);
        assert_eq!(s.count(EventKind::Listening, health), 0, "talks have no service");
        assert!(s.add(EventKey::new(EventKind::Referral, None), 1).is_err());
        assert!(
            s.add(
                EventKey {
                    subtype: Some(ServiceSubtype::Gp),
                    ..EventKey::new(EventKind::Referral, Some(ServiceKind::Legal))
                },
                1
            )
            .is_err()
        );
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Services>(&json).unwrap(), s);
    }
}
