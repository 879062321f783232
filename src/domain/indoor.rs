//! Indoor mapping: sessions at a desk going through sex-work ads, the calls and messages
//! to their numbers, the persons met afterwards and the massage centres visited; and the
//! indoor report tables built from a tally like every other table.
//!
//! A phone number is never kept: [`normalize_phone`] turns what the worker typed into
//! E.164 so the store can key-hash it (HMAC with the unit's secret) and forget it.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::rules;
use super::{
    Activity, Bucket, CellKey, Channel, Comune, ContactData, DomainError, Gender, IndoorKind, Language, Measure,
    Nationality, Outcome, OutingStatus, Protection, Province, Shift, Tally,
};

/// The ad sites a new unit starts with (the unit can edit the list).
pub const DEFAULT_SITES: [&str; 8] = [
    "moscarossa",
    "escort-advisor",
    "bakecaincontri",
    "amasens",
    "donnacercuomo",
    "incontriamoci",
    "trovagnocca",
    "paginelucirosse",
];

/// A number seen in this many ads or more is flagged as a likely controller
/// ("centralinista") answering for several people.
pub const CONTROLLER_ADS: u32 = 3;

/// "Seen again" means seen in an earlier session at most this many days before.
pub const SEEN_AGAIN_DAYS: i64 = 14;

/// The bucket of every indoor count: indoor work has no day/night shift (always `Day`).
pub fn bucket(province: Province) -> Bucket {
    Bucket { activity: Activity::Indoor, province, shift: Shift::Day }
}

/// Turns a typed phone number into E.164 (`+393331234567`). Spaces, dots, dashes, slashes
/// and brackets are ignored; `00` means `+`; a national Italian number (starting with 3
/// for mobiles or 0 for landlines) gets `+39`. Anything else needs its country code.
pub fn normalize_phone(typed: &str) -> Result<String, DomainError> {
    let bad = |why: &str| DomainError::invalid("phone number", why.to_owned());
    let mut s: String = typed.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '/' | '(' | ')' | '\u{a0}')).collect();
    if let Some(rest) = s.strip_prefix("00") {
        s = format!("+{rest}");
    }
    let (plus, digits) = match s.strip_prefix('+') {
        Some(d) => (true, d.to_owned()),
        None => (false, s.clone()),
    };
    if digits.is_empty() {
        return Err(bad("it is empty"));
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("only digits, spaces and a leading + are allowed"));
    }
    let e164 = if plus {
        digits
    } else if digits.starts_with('3') || digits.starts_with('0') {
        format!("39{digits}")
    } else {
        return Err(bad("add the country code (for example +39 or +40)"));
    };
    if e164.starts_with('0') {
        return Err(bad("a country code never starts with 0"));
    }
    if e164.starts_with("39") && !(10..=13).contains(&e164.len()) {
        return Err(bad("an Italian number has 6 to 11 digits after +39"));
    }
    if !(8..=15).contains(&e164.len()) {
        return Err(bad("an international number has 8 to 15 digits"));
    }
    Ok(format!("+{e164}"))
}

/// An indoor working session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndoorSession {
    /// Random id, also the sync identity.
    pub id: Uuid,
    /// The day.
    pub date: NaiveDate,
    /// Operators at work.
    pub operators: u8,
    /// The cultural mediator's language, when one is present.
    pub mediator_language: Option<Language>,
    /// Where the ads are.
    pub province: Province,
    /// Open or closed.
    pub status: OutingStatus,
    /// When it started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// Bumped by every change after a sync.
    pub revision: u32,
}

/// What describing an ad needs (the number goes separately, to be hashed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdData {
    /// The site, from the unit's list.
    pub site: String,
    /// Where the ad places the person.
    pub province: Province,
    /// The comune, when the ad says.
    pub comune: Option<Comune>,
    /// Declared nationality (ZZ when not declared, or a group).
    pub nationality: Nationality,
    /// Gender.
    pub gender: Gender,
    /// Declared age, if any.
    pub declared_age: Option<u8>,
    /// Whether the ad advertises risky services.
    pub risky: bool,
}

impl AdData {
    /// Checks the rules a stored ad must keep.
    pub fn validate(&self) -> Result<(), DomainError> {
        rules::check_comune_in(self.comune, self.province)?;
        if let Some(age) = self.declared_age {
            rules::check_declared_age(age)?;
        }
        Ok(rules::check_site(&self.site)?)
    }
}

/// An ad as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ad {
    /// Local id.
    pub id: i64,
    /// Its session.
    pub session_id: Uuid,
    /// What it says.
    pub data: AdData,
    /// Whether a number was entered (its keyed hash is stored, never the number).
    pub has_number: bool,
    /// Calls and messages made on it.
    pub attempts: u32,
    /// Of which reached someone.
    pub reached: u32,
}

/// A call or message on an ad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    /// Local id.
    pub id: i64,
    /// The ad.
    pub ad_id: Option<i64>,
    /// Call or message channel.
    pub channel: Channel,
    /// What came of it.
    pub outcome: Outcome,
}

/// What is known of a number when it is entered for an ad, from its keyed hash.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberHistory {
    /// Ads with this number in this session (before this one).
    pub ads_this_session: u32,
    /// Ads with this number in every session.
    pub ads_total: u32,
    /// The sessions before this one where it was seen, newest first, with their dates.
    pub earlier_dates: Vec<NaiveDate>,
}

impl NumberHistory {
    /// True when the number is in enough ads to be a likely controller.
    pub fn likely_controller(&self) -> bool {
        self.ads_total >= CONTROLLER_ADS
    }
}

/// A line of a historical indoor log (the CSV import).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndoorRecord {
    /// The day.
    pub date: NaiveDate,
    /// The province.
    pub province: Province,
    /// What happened.
    pub kind: IndoorKind,
    /// Gender.
    pub gender: Gender,
    /// Nationality.
    pub nationality: Nationality,
    /// For calls and messages: whether someone was reached.
    pub reached: Option<bool>,
    /// The ad site, when known.
    pub site: Option<String>,
    /// The message channel, when known (calls are always `call`).
    pub channel: Option<Channel>,
    /// For calls and messages: the campaign it was part of, with the message's language.
    pub campaign: Option<crate::domain::outreach::CampaignTag>,
    /// For calls that reached someone, persons met and massage-centre contacts: whether
    /// the person seeks or holds international protection.
    pub protection: Protection,
    /// For ads: the age the ad declares.
    pub declared_age: Option<u8>,
}

impl IndoorRecord {
    /// Checks the combination of fields.
    pub fn validate(&self) -> Result<(), DomainError> {
        if let Some(site) = &self.site {
            rules::check_site(site)?;
        }
        let attempt = matches!(self.kind, IndoorKind::Call | IndoorKind::Message);
        if attempt && self.reached.is_none() {
            return Err(DomainError::invalid("outcome", "calls and messages need reached or not_reached"));
        }
        if !attempt && self.reached.is_some() {
            return Err(DomainError::invalid("outcome", "only calls and messages have an outcome"));
        }
        if !attempt && self.campaign.is_some() {
            return Err(DomainError::invalid("campaign", "only calls and messages are part of a campaign"));
        }
        let reached_call = self.kind == IndoorKind::Call && self.reached == Some(true);
        let with_person = reached_call || matches!(self.kind, IndoorKind::Meeting | IndoorKind::Massage);
        if self.protection != Protection::Unknown && !with_person {
            return Err(DomainError::invalid(
                "protection",
                "only calls that reached someone, meetings and massage contacts have a protection status",
            ));
        }
        if let Some(age) = self.declared_age {
            if self.kind != IndoorKind::Ad {
                return Err(DomainError::invalid("declared_age", "only ads have a declared age"));
            }
            rules::check_declared_age(age)?;
        }
        match (self.kind, self.channel) {
            (IndoorKind::Call, Some(c)) if c != Channel::Call => {
                Err(DomainError::invalid("channel", format!("a call cannot have channel {c}")))
            }
            (IndoorKind::Message, Some(Channel::Call)) => {
                Err(DomainError::invalid("channel", "a message cannot have channel call"))
            }
            (IndoorKind::Ad | IndoorKind::Meeting | IndoorKind::Massage, Some(_)) => {
                Err(DomainError::invalid("channel", "only calls and messages have a channel"))
            }
            _ => Ok(()),
        }
    }

    /// The channel an attempt is stored with.
    pub fn attempt_channel(&self) -> Channel {
        self.channel.unwrap_or(if self.kind == IndoorKind::Call { Channel::Call } else { Channel::Other })
    }
}

impl Measure {
    /// What an attempt on `channel` counts as: a call, or a message (every other channel).
    pub fn of_channel(channel: Channel) -> Measure {
        if channel.is_message() { Measure::Messages } else { Measure::Calls }
    }
}

/// Tally helpers: what each indoor record adds.
impl Tally {
    /// Adds one count of `measure` for a gender and nationality in a province.
    pub fn add_indoor(&mut self, province: Province, gender: Gender, nationality: Nationality, measure: Measure) {
        self.add(bucket(province), CellKey { nationality, gender, measure }, 1);
    }

    /// Adds an ad.
    pub fn add_ad(&mut self, ad: &AdData) {
        self.add_indoor(ad.province, ad.gender, ad.nationality, Measure::Ads);
        if ad.risky {
            self.add_indoor(ad.province, ad.gender, ad.nationality, Measure::RiskyAds);
        }
    }

    /// Adds a call or a message on an ad of this gender and nationality. A call that
    /// reached someone is a contact, a person of its own (the numbers are not known here:
    /// the store counts each number reached once, see [`crate::store::Store::indoor_tally`]);
    /// messages are counted apart and are never contacts.
    pub fn add_attempt(
        &mut self,
        province: Province,
        gender: Gender,
        nationality: Nationality,
        channel: Channel,
        outcome: Outcome,
    ) {
        self.add_indoor(province, gender, nationality, Measure::of_channel(channel));
        if !channel.is_message() && outcome.is_contact() {
            self.add_indoor(province, gender, nationality, Measure::Reached);
        }
    }

    /// Adds a person met.
    pub fn add_meeting(&mut self, province: Province, data: &ContactData) {
        for (measure, n) in Measure::of_meeting(data) {
            self.add(bucket(province), CellKey { nationality: data.nationality, gender: data.gender, measure }, n);
        }
    }

    /// The tally of historical indoor records.
    pub fn of_indoor_records<'a>(records: impl IntoIterator<Item = &'a IndoorRecord>) -> Tally {
        let mut t = Tally::new();
        for r in records {
            let (p, g, n) = (r.province, r.gender, r.nationality);
            match r.kind {
                IndoorKind::Ad => t.add_indoor(p, g, n, Measure::Ads),
                IndoorKind::Call | IndoorKind::Message => {
                    let outcome = if r.reached == Some(true) { Outcome::Reached } else { Outcome::NoAnswer };
                    t.add_attempt(p, g, n, r.attempt_channel(), outcome)
                }
                IndoorKind::Meeting => t.add_meeting(p, &ContactData::new(g, n)),
                IndoorKind::Massage => t.add_indoor(p, g, n, Measure::MassageContacts),
            }
        }
        t
    }
}

/// The figures beyond the printed tables, for a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IndoorStats {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Ads mapped.
    pub ads: u64,
    /// Calls made.
    pub calls: u64,
    /// Messages by channel (every channel listed, zeros included).
    pub messages_by_channel: BTreeMap<String, u64>,
    /// Ads with at least one call or message that reached someone.
    pub ads_reached: u64,
    /// `ads_reached / ads` (0 when there are no ads).
    pub share_of_ads_reached: f64,
    /// Distinct numbers entered.
    pub numbers: u64,
    /// Numbers found in two or more ads.
    pub numbers_in_several_ads: u64,
    /// Numbers in three or more ads: likely controllers ("centralinisti").
    pub likely_controllers: u64,
    /// Numbers that had been seen in an earlier session at most 14 days before.
    pub numbers_seen_again_within_14_days: u64,
}

// ---------------------------------------------------------------- report tables

pub use super::tables::indoor::{
    FUNNEL_KEYS, Funnel, IndoorReport, IndoorRow, IndoorSynthesis, IndoorSynthesisRow, IndoorTable, MassageReport,
    MassageRow, MassageSynthesis, MassageSynthesisRow, MassageTable, indoor_report, massage_report,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_date;
    use crate::domain::rules::Violation;

    #[test]
    fn numbers_become_e164_or_say_what_is_wrong() {
        for (typed, e164) in [
            ("333 123 4567", "+393331234567"),
            ("+39 333-1234567", "+393331234567"),
            ("0039 (333) 1234567", "+393331234567"),
            ("030 1234567", "+390301234567"),
            ("+40 712 345 678", "+40712345678"),
            ("0040712345678", "+40712345678"),
        ] {
            assert_eq!(normalize_phone(typed).unwrap(), e164, "{typed}");
        }
        for bad in ["", "abc", "712345678", "+39 12", "+1234567890123456", "33312x4567"] {
            let e = normalize_phone(bad).unwrap_err().to_string();
            assert!(e.starts_with("invalid phone number"), "{bad}: {e}");
        }
    }

    #[test]
    fn import_lines_check_their_fields() {
        let base = IndoorRecord {
            date: parse_date("2023-05-01").unwrap(),
            province: Province::parse("BS").unwrap(),
            kind: IndoorKind::Call,
            gender: Gender::F,
            nationality: Nationality::parse("RO").unwrap(),
            reached: Some(true),
            site: None,
            channel: None,
            campaign: None,
            protection: Protection::Unknown,
            declared_age: None,
        };
        assert!(base.validate().is_ok());
        assert!(IndoorRecord { protection: Protection::Yes, ..base.clone() }.validate().is_ok());
        let not_reached = IndoorRecord { reached: Some(false), protection: Protection::Yes, ..base.clone() };
        assert!(not_reached.validate().is_err(), "no one reached, no one's status");
        let ad = IndoorRecord { kind: IndoorKind::Ad, reached: None, ..base.clone() };
        assert!(IndoorRecord { declared_age: Some(17), ..ad.clone() }.validate().is_ok());
        assert!(IndoorRecord { declared_age: Some(12), ..ad.clone() }.validate().is_err());
        assert!(IndoorRecord { protection: Protection::No, ..ad }.validate().is_err());
        assert!(IndoorRecord { declared_age: Some(30), ..base.clone() }.validate().is_err());
        assert!(IndoorRecord { reached: None, ..base.clone() }.validate().is_err());
        assert!(IndoorRecord { channel: Some(Channel::Sms), ..base.clone() }.validate().is_err());
        assert!(IndoorRecord { kind: IndoorKind::Ad, ..base.clone() }.validate().is_err());
        let msg = IndoorRecord { kind: IndoorKind::Message, channel: Some(Channel::Telegram), ..base };
        assert!(msg.validate().is_ok());
        assert_eq!(msg.attempt_channel(), Channel::Telegram);
    }

    #[test]
    fn ads_keep_the_field_rules() {
        let bs = Province::parse("BS").unwrap();
        let ad = AdData {
            site: "moscarossa".into(),
            province: bs,
            comune: Some(Comune::parse("017029").unwrap()),
            nationality: Nationality::parse("RO").unwrap(),
            gender: Gender::F,
            declared_age: Some(*rules::DECLARED_AGE.start()),
            risky: false,
        };
        assert_eq!(ad.validate(), Ok(()));
        let rule = |a: AdData| match a.validate() {
            Err(DomainError::Rule(v)) => v,
            other => panic!("{other:?}"),
        };
        assert_eq!(rule(AdData { declared_age: Some(13), ..ad.clone() }), Violation::DeclaredAge(13));
        assert_eq!(rule(AdData { site: " ".into(), ..ad.clone() }), Violation::Site);
        let mi = Province::parse("MI").unwrap();
        assert!(
            matches!(rule(AdData { province: mi, ..ad }), Violation::ComuneNotInProvince { province, .. } if province == mi)
        );
    }
}
