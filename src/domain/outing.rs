//! Outings, their stops and the contacts recorded at each stop.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use chrono_tz::Europe::Rome;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    Activity, AgeBand, Comune, DomainError, EventKind, Gender, ItemKind, Language, Nationality, OutingStatus,
    Protection, Province, ServiceKind, ServiceSet, ServiceSubtype, Shift,
};

/// When day outings start and night outings start, in Italian local time
/// (Europe/Rome). An outing is a night outing when it starts at or after
/// `night_starts` or before `day_starts`; one that starts after midnight belongs to the
/// night of the previous date, as units write it on the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftBoundary {
    /// Start of the day shift (default 06:00).
    pub day_starts: NaiveTime,
    /// Start of the night shift (default 19:00).
    pub night_starts: NaiveTime,
}

impl Default for ShiftBoundary {
    fn default() -> Self {
        ShiftBoundary {
            day_starts: NaiveTime::from_hms_opt(6, 0, 0).expect("valid time"),
            night_starts: NaiveTime::from_hms_opt(19, 0, 0).expect("valid time"),
        }
    }
}

impl ShiftBoundary {
    /// A boundary; the day must start before the night.
    pub fn new(day_starts: NaiveTime, night_starts: NaiveTime) -> Result<Self, DomainError> {
        if day_starts >= night_starts {
            return Err(DomainError::invalid(
                "shift boundary",
                format!("the day shift ({day_starts}) must start before the night shift ({night_starts})"),
            ));
        }
        Ok(ShiftBoundary { day_starts, night_starts })
    }

    /// The outing date and shift for an outing starting at `start`.
    pub fn classify(&self, start: DateTime<Utc>) -> (NaiveDate, Shift) {
        let local = start.with_timezone(&Rome);
        let time = NaiveTime::from_hms_opt(local.hour(), local.minute(), local.second()).expect("valid time");
        let date = local.date_naive();
        if time < self.day_starts {
            (date - Duration::days(1), Shift::Night)
        } else if time >= self.night_starts {
            (date, Shift::Night)
        } else {
            (date, Shift::Day)
        }
    }
}

/// Parses an `HH:MM` time.
pub fn parse_time(s: &str) -> Result<NaiveTime, DomainError> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M")
        .map_err(|_| DomainError::invalid("time", format!("'{s}' is not HH:MM")))
}

/// Parses a `YYYY-MM-DD` date that exists in the calendar.
pub fn parse_date(s: &str) -> Result<NaiveDate, DomainError> {
    let t = s.trim();
    let ok_shape = t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-';
    match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        Ok(d) if ok_shape && super::rules::DATE_YEARS.contains(&d.year()) => Ok(d),
        _ => Err(DomainError::invalid("date", format!("'{s}' is not a calendar date YYYY-MM-DD"))),
    }
}

/// An inclusive range of dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day, included.
    pub to: NaiveDate,
}

impl Period {
    /// A period; `from` after `to` is an error.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, DomainError> {
        if from > to {
            return Err(DomainError::invalid("period", format!("--from {from} is after --to {to}")));
        }
        Ok(Period { from, to })
    }

    /// True when `date` is inside.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// The calendar month, quarter and year of `date`: the periods every report can
    /// count persons in without reading contacts.
    pub fn calendar_of(date: NaiveDate) -> [Period; 3] {
        let (y, m) = (date.year(), date.month());
        let q = (m - 1) / 3 * 3 + 1;
        [Period::months(y, m, 1), Period::months(y, q, 3), Period::months(y, 1, 12)]
    }

    /// `n` months from the first of month `m` of year `y`.
    fn months(y: i32, m: u32, n: u32) -> Period {
        let first = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN);
        let (ey, em) = if m + n > 12 { (y + 1, m + n - 12) } else { (y, m + n) };
        let to = first(ey, em).pred_opt().unwrap_or(NaiveDate::MAX);
        Period { from: first(y, m), to }
    }

    /// True for a calendar month, quarter or year.
    pub fn is_calendar(&self) -> bool {
        Period::calendar_of(self.from).contains(self)
    }

    /// The period as stored and sent: `YYYY-MM-DD..YYYY-MM-DD`.
    pub fn key(&self) -> String {
        format!("{}..{}", self.from, self.to)
    }

    /// Parses a [`Period::key`].
    pub fn parse_key(key: &str) -> Result<Period, DomainError> {
        let bad = || DomainError::invalid("period", format!("{key:?} is not YYYY-MM-DD..YYYY-MM-DD"));
        let (a, b) = key.split_once("..").ok_or_else(bad)?;
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad());
        Period::new(date(a)?, date(b)?)
    }
}

/// The team, as known on this phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Random id.
    pub id: Uuid,
    /// Name chosen by the unit (kept on the phone).
    pub name: String,
}

/// One outing of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outing {
    /// Random id, also the sync identity of its summary.
    pub id: Uuid,
    /// The unit.
    pub unit_id: Uuid,
    /// Street or labour.
    pub activity: Activity,
    /// The outing's date (a night outing past midnight keeps the evening's date).
    pub date: NaiveDate,
    /// Day or night.
    pub shift: Shift,
    /// True when the worker chose the shift instead of the clock.
    pub shift_overridden: bool,
    /// When it started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// Workers on the outing.
    pub team_size: Option<u8>,
    /// Whether a cultural mediator was present.
    pub mediator: bool,
    /// The cultural mediator's language, when one was present (desk sessions say it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mediator_language: Option<super::Language>,
    /// Whether the unit's legal operator was present.
    #[serde(default)]
    pub legal_operator: bool,
    /// Part of a national street-prostitution mapping night.
    #[serde(default)]
    pub mapping: bool,
    /// Open while recording.
    pub status: OutingStatus,
    /// Bumped on every change, for sync.
    pub revision: u32,
}

impl Outing {
    /// The team as synced: operators, mediator and language, legal operator (none when
    /// the number of operators was never said).
    pub fn team(&self) -> Option<super::outreach::Team> {
        self.team_size.map(|operators| super::outreach::Team {
            operators,
            mediator: self.mediator || self.mediator_language.is_some(),
            mediator_language: self.mediator_language,
            legal_operator: self.legal_operator,
        })
    }

    /// Whole minutes from start to end, when both are known and in order.
    pub fn minutes(&self) -> Option<u32> {
        let (a, b) = (self.started_at?, self.ended_at?);
        u32::try_from((b - a).num_minutes()).ok()
    }
}

/// Where a stop is: its comune when known (and so its province), else only the province
/// (historical imports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Place {
    /// The province.
    pub province: Province,
    /// The comune, when known.
    pub comune: Option<Comune>,
}

impl Place {
    /// The place of a comune.
    pub fn comune(comune: Comune) -> Self {
        Place { province: comune.province(), comune: Some(comune) }
    }

    /// A place known only by its province.
    pub fn province(province: Province) -> Self {
        Place { province, comune: None }
    }
}

/// A stop of an outing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stop {
    /// Local id.
    pub id: i64,
    /// The outing.
    pub outing_id: Uuid,
    /// Where.
    pub place: Place,
    /// The unit's own label ("Via Milano"); stays on the phone.
    pub label: Option<String>,
}

/// Which item (and, for leaflets, which language).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ItemKey {
    /// The item.
    pub kind: ItemKind,
    /// The leaflet language; `None` for every other item.
    pub language: Option<Language>,
}

impl ItemKey {
    /// An item other than leaflets.
    pub fn plain(kind: ItemKind) -> Self {
        ItemKey { kind, language: None }
    }

    /// Leaflets in `language`.
    pub fn leaflets(language: Language) -> Self {
        ItemKey { kind: ItemKind::Leaflets, language: Some(language) }
    }

    /// Checks that only leaflets carry a language, and that they always do.
    pub fn validate(&self) -> Result<(), DomainError> {
        match (self.kind, self.language) {
            (ItemKind::Leaflets, None) => {
                Err(DomainError::invalid("item", "leaflets need a language (und if not stated)"))
            }
            (k, Some(_)) if k != ItemKind::Leaflets => {
                Err(DomainError::invalid("item", format!("only leaflets have a language, not {}", k.code())))
            }
            _ => Ok(()),
        }
    }
}

/// Items handed out, with quantities. Serialised as a list of
/// `{"kind": "leaflets", "language": "ro", "quantity": 2}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Items(pub BTreeMap<ItemKey, u32>);

#[derive(Serialize, Deserialize)]
struct ItemLine {
    kind: ItemKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<Language>,
    quantity: u32,
}

impl Serialize for Items {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(|(k, quantity)| ItemLine { kind: k.kind, language: k.language, quantity }))
    }
}

impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut items = Items::default();
        for line in Vec::<ItemLine>::deserialize(d)? {
            let key = ItemKey { kind: line.kind, language: line.language };
            key.validate().map_err(serde::de::Error::custom)?;
            items.set(key, line.quantity);
        }
        Ok(items)
    }
}

impl Items {
    /// Sets a quantity (0 removes the item).
    pub fn set(&mut self, key: ItemKey, quantity: u32) {
        if quantity == 0 {
            self.0.remove(&key);
        } else {
            self.0.insert(key, quantity);
        }
    }

    /// The quantity of `key`.
    pub fn get(&self, key: ItemKey) -> u32 {
        self.0.get(&key).copied().unwrap_or(0)
    }

    /// Items and quantities, in report order.
    pub fn iter(&self) -> impl Iterator<Item = (ItemKey, u32)> + '_ {
        self.0.iter().map(|(k, q)| (*k, *q))
    }

    /// True when nothing was handed out.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One kind of service event: an accompaniment or a referral to a service (with an
/// optional sub-type of that service), a listening talk or a legal consultation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventKey {
    /// What happened.
    pub kind: EventKind,
    /// The service, for accompaniments and referrals only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceKind>,
    /// Which service exactly, when said (one of the service's sub-types).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype: Option<ServiceSubtype>,
}

impl EventKey {
    /// A listening talk or a legal consultation (`kind` without a service), or an
    /// accompaniment or referral to `service` with no sub-type said.
    pub fn new(kind: EventKind, service: Option<ServiceKind>) -> Self {
        EventKey { kind, service, subtype: None }
    }

    /// An accompaniment or referral to a service's sub-type.
    pub fn sub(kind: EventKind, subtype: ServiceSubtype) -> Self {
        EventKey { kind, service: Some(subtype.service()), subtype: Some(subtype) }
    }

    /// Checks that accompaniments and referrals name a service and the others do not, and
    /// that a sub-type belongs to its service.
    pub fn validate(&self) -> Result<(), DomainError> {
        let bad = |why: String| Err(DomainError::invalid("service event", why));
        match (self.kind.has_service(), self.service, self.subtype) {
            (true, None, _) => bad(format!("a {} needs a service", self.kind.code())),
            (false, Some(_), _) | (false, _, Some(_)) => bad(format!("a {} has no service", self.kind.code())),
            (true, Some(s), Some(sub)) if sub.service() != s => {
                bad(format!("{} is not a sub-type of {}", sub.code(), s.code()))
            }
            _ => Ok(()),
        }
    }
}

/// The services a person was given: information (a flag) and events (accompaniments,
/// referrals, listening talks, legal consultations), each counted as often as it
/// happened. Serialised as `{"information": true, "events": [{"kind": "accompaniment",
/// "service": "health", "subtype": "sti_test", "count": 2}]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Services {
    /// Information given.
    pub information: bool,
    /// How many times each event happened (never 0).
    events: BTreeMap<EventKey, u32>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventLine {
    #[serde(flatten)]
    key: EventKey,
    count: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServicesDoc {
    information: bool,
    #[serde(default)]
    events: Vec<EventLine>,
}

impl Serialize for Services {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let events = self.iter().map(|(key, count)| EventLine { key, count }).collect();
        ServicesDoc { information: self.information, events }.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Services {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let doc = ServicesDoc::deserialize(d)?;
        let mut out = Services::informed(doc.information);
        for line in doc.events {
            out.add(line.key, line.count).map_err(serde::de::Error::custom)?;
        }
        Ok(out)
    }
}

impl Services {
    /// Information given, and no events yet.
    pub fn informed(information: bool) -> Self {
        Services { information, events: BTreeMap::new() }
    }

    /// Adds `n` events of `key` (an invalid key is refused, 0 changes nothing).
    pub fn add(&mut self, key: EventKey, n: u32) -> Result<(), DomainError> {
        key.validate()?;
        if n > 0 {
            let e = self.events.entry(key).or_insert(0);
            *e = e.saturating_add(n);
        }
        Ok(())
    }

    /// One event of `kind` to each service of `set` (how the old flags and service lists
    /// read as events).
    pub fn add_each(&mut self, kind: EventKind, set: ServiceSet) {
        for s in set.iter() {
            *self.events.entry(EventKey::new(kind, Some(s))).or_insert(0) += 1;
        }
    }

    /// Adds the events of `kind` an imported cell lists: services or sub-types separated by
    /// `;` (`health;legal`, `sti_test`), each one event, or `code:n` for n of them.
    pub fn add_list(&mut self, kind: EventKind, list: &str) -> Result<(), DomainError> {
        for part in list.split(super::codes::LIST_SEPARATORS).filter(|p| !p.is_empty()) {
            let (code, n) = match part.split_once(':') {
                Some((code, n)) => (code, parse_event_count(n)?),
                None => (part, 1),
            };
            let key = match ServiceKind::parse(code) {
                Ok(s) => EventKey::new(kind, Some(s)),
                Err(e) => EventKey::sub(kind, ServiceSubtype::parse(code).map_err(|_| e)?),
            };
            self.add(key, n)?;
        }
        Ok(())
    }

    /// Every event with its count, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (EventKey, u32)> + '_ {
        self.events.iter().map(|(k, n)| (*k, *n))
    }

    /// How many events of `kind` to `service` (`None` for talks and consultations), every
    /// sub-type included.
    pub fn count(&self, kind: EventKind, service: Option<ServiceKind>) -> u32 {
        self.iter().filter(|(k, _)| k.kind == kind && k.service == service).map(|(_, n)| n).sum()
    }

    /// The events of `key` exactly.
    pub fn get(&self, key: EventKey) -> u32 {
        self.events.get(&key).copied().unwrap_or(0)
    }

    /// Sets how many events of `kind` to `service` there are, at most
    /// [`EVENTS_PER_STEP_MAX`](super::rules::EVENTS_PER_STEP_MAX): more are added without
    /// a sub-type; fewer are taken from those without a sub-type first, then from the
    /// sub-types last to first. An invalid pair changes nothing.
    pub fn set_count(&mut self, kind: EventKind, service: Option<ServiceKind>, n: u32) {
        let n = n.min(super::rules::EVENTS_PER_STEP_MAX);
        let plain = EventKey::new(kind, service);
        if plain.validate().is_err() {
            return;
        }
        let have = self.count(kind, service);
        if n >= have {
            if n > have {
                *self.events.entry(plain).or_insert(0) += n - have;
            }
            return;
        }
        let mut excess = have - n;
        let subs: Vec<EventKey> = self
            .events
            .keys()
            .filter(|k| k.kind == kind && k.service == service && k.subtype.is_some())
            .copied()
            .collect();
        for key in std::iter::once(plain).chain(subs.into_iter().rev()) {
            let have = self.get(key);
            let take = have.min(excess);
            self.set(key, have - take);
            excess -= take;
        }
    }

    /// The sub-types said for `kind` to `service`, in report order.
    pub fn subtypes(&self, kind: EventKind, service: ServiceKind) -> Vec<ServiceSubtype> {
        self.iter()
            .filter(|(k, _)| k.kind == kind && k.service == Some(service))
            .filter_map(|(k, _)| k.subtype)
            .collect()
    }

    /// Says or unsays a sub-type of `kind`: said, one event without a sub-type becomes of
    /// `subtype` (a new event when there is none, within the step maximum); unsaid, its
    /// events go back to no sub-type. The service's count changes only when there was no
    /// event to say it of.
    pub fn toggle_subtype(&mut self, kind: EventKind, subtype: ServiceSubtype) {
        let (key, plain) = (EventKey::sub(kind, subtype), EventKey::new(kind, Some(subtype.service())));
        if !kind.has_service() {
            return;
        }
        let had = self.get(key);
        if had > 0 {
            self.set(key, 0);
            self.set(plain, self.get(plain) + had);
        } else if self.get(plain) > 0 {
            self.set(plain, self.get(plain) - 1);
            self.set(key, 1);
        } else if self.count(kind, Some(subtype.service())) < super::rules::EVENTS_PER_STEP_MAX {
            self.set(key, 1);
        }
    }

    /// Sets the count of one key (0 removes it); the key is assumed valid.
    fn set(&mut self, key: EventKey, n: u32) {
        if n == 0 {
            self.events.remove(&key);
        } else {
            self.events.insert(key, n);
        }
    }

    /// Checks every event's key, and that no kind of event to one service counts more
    /// than [`EVENTS_PER_STEP_MAX`](super::rules::EVENTS_PER_STEP_MAX).
    pub fn validate(&self) -> Result<(), DomainError> {
        self.events.keys().try_for_each(EventKey::validate)?;
        let max = super::rules::EVENTS_PER_STEP_MAX;
        match self.events.keys().find(|k| self.count(k.kind, k.service) > max) {
            Some(k) => Err(DomainError::invalid(
                "service event",
                format!("more than {max} of {} {}", k.kind.code(), k.service.map_or("", |s| s.code())),
            )),
            None => Ok(()),
        }
    }

    /// True when no event happened (information aside).
    pub fn has_no_events(&self) -> bool {
        self.events.is_empty()
    }
}

/// A count of events as written in a file: 1 to
/// [`EVENTS_PER_STEP_MAX`](super::rules::EVENTS_PER_STEP_MAX).
pub fn parse_event_count(s: &str) -> Result<u32, DomainError> {
    let max = super::rules::EVENTS_PER_STEP_MAX;
    match s.trim().parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(DomainError::invalid("service event", format!("'{s}' is not a count from 1 to {max}"))),
    }
}

/// Everything known about one person met: one tap records the first two fields, the
/// detail sheet the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactData {
    /// M, F or T.
    pub gender: Gender,
    /// Nationality code.
    pub nationality: Nationality,
    /// Age band, when estimated.
    pub age_band: Option<AgeBand>,
    /// `Some(true)` first contact, `Some(false)` already known, `None` not noted.
    pub first_contact: Option<bool>,
    /// Asylum seeker / protection holder.
    pub protection: Protection,
    /// Items handed out.
    pub items: Items,
    /// Services given.
    pub services: Services,
    /// What came of the contact (programme, complaints, Commissione, return, networking):
    /// counted in persons per period, under [`Activity::Emersion`].
    #[serde(default, skip_serializing_if = "super::emersion::no_codes")]
    pub outcomes: super::emersion::OutcomeSet,
}

impl ContactData {
    /// A person with only gender and nationality noted.
    pub fn new(gender: Gender, nationality: Nationality) -> Self {
        ContactData {
            gender,
            nationality,
            age_band: None,
            first_contact: None,
            protection: Protection::Unknown,
            items: Items::default(),
            services: Services::default(),
            outcomes: Default::default(),
        }
    }

    /// Checks the items and the service events.
    pub fn validate(&self) -> Result<(), DomainError> {
        self.items.0.keys().try_for_each(ItemKey::validate)?;
        self.services.validate()
    }

    /// True for a minor.
    pub fn is_minor(&self) -> bool {
        self.age_band == Some(AgeBand::Minor)
    }
}

/// A contact with what reports group it by: the outing's activity, date and shift and the
/// stop's place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRecord {
    /// Street or labour.
    pub activity: Activity,
    /// The outing's date.
    pub date: NaiveDate,
    /// The outing's shift.
    pub shift: Shift,
    /// The stop's place.
    pub place: Place,
    /// The person's code in the file: rows with the same code are one person; a row
    /// without one is a person of its own.
    pub person: Option<String>,
    /// The person.
    pub data: ContactData,
}

/// A recorded contact as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Local id.
    pub id: i64,
    /// The stop.
    pub stop_id: i64,
    /// When recorded.
    pub recorded_at: DateTime<Utc>,
    /// The person.
    pub data: ContactData,
}

/// The default prevention kit: what two taps hand out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kit(pub Items);

impl Default for Kit {
    fn default() -> Self {
        let mut items = Items::default();
        items.set(ItemKey::plain(ItemKind::Condoms), 3);
        items.set(ItemKey::plain(ItemKind::Lubricant), 1);
        items.set(ItemKey::leaflets(Language::Undetermined), 1);
        Kit(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn rome(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Rome.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn shift_follows_the_italian_clock_across_dst() {
        let b = ShiftBoundary::default();
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(b.classify(rome(2023, 6, 7, 10, 0)), (d(2023, 6, 7), Shift::Day));
        assert_eq!(b.classify(rome(2023, 6, 7, 21, 30)), (d(2023, 6, 7), Shift::Night));
        // Past midnight: the night of the previous date.
        assert_eq!(b.classify(rome(2023, 6, 8, 1, 15)), (d(2023, 6, 7), Shift::Night));
        // 18:30 UTC is 19:30 in winter (night) and 20:30 in summer (night); 17:30 UTC
        // is 18:30 in winter (day) and 19:30 in summer (night).
        let utc = |m, dd, h| Utc.with_ymd_and_hms(2023, m, dd, h, 30, 0).unwrap();
        assert_eq!(b.classify(utc(1, 10, 17)).1, Shift::Day);
        assert_eq!(b.classify(utc(7, 10, 17)).1, Shift::Night);
        let late = ShiftBoundary::new(parse_time("07:00").unwrap(), parse_time("21:00").unwrap()).unwrap();
        assert_eq!(late.classify(rome(2023, 6, 7, 20, 0)).1, Shift::Day);
        assert!(ShiftBoundary::new(parse_time("20:00").unwrap(), parse_time("08:00").unwrap()).is_err());
    }

    #[test]
    fn dates_must_exist() {
        assert!(parse_date("2023-02-28").is_ok());
        assert!(parse_date("2023-02-30").is_err());
        assert!(parse_date("2023-2-3").is_err());
        assert!(parse_date("03/02/2023").is_err());
        assert!(Period::new(parse_date("2024-01-02").unwrap(), parse_date("2024-01-01").unwrap()).is_err());
    }

    #[test]
    fn only_leaflets_carry_a_language() {
        assert!(ItemKey::leaflets(Language::Romanian).validate().is_ok());
        assert!(ItemKey::plain(ItemKind::Leaflets).validate().is_err());
        assert!(ItemKey { kind: ItemKind::Food, language: Some(Language::Italian) }.validate().is_err());
    }
}
