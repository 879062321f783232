//! Emersion beyond outreach: identification interviews (the unit's own "segretariato
//! sociale" and the Commissione Territoriale's "Referral" requests), what becomes known of
//! each person interviewed (outcome, typology, adhesion to the protection programme,
//! intake channel, place of emersion, indicators found), outcomes of any contact
//! (programme proposed or accepted, complaints, the Commissione interview, assisted
//! return, case networking) and reports from the national helpline (Numero Verde).
//!
//! Every value is a code from a closed list: what leaves the phone are counts of persons
//! (and of interviews and reports) per cell, never who.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::{Lang, code_enum};
use super::{DomainError, Gender, Nationality, Province};

code_enum! {
    /// The two kinds of identification interview the reports print.
    InterviewKind, "interview kind" {
        /// The unit's own evaluation interviews ("segretariato sociale").
        Social = "social", "Segretariato sociale", "Social secretariat";
        /// Requests of the Commissione Territoriale about asylum seekers.
        Referral = "referral", "Referral", "Referral";
    }
}

code_enum! {
    /// The outcome of identification: whether the person was identified as a victim.
    Verdict, "identification outcome" {
        /// Identified as a victim of trafficking or serious exploitation.
        Identified = "yes", "Identificata come vittima", "Identified as a victim";
        /// Not identified as a victim.
        NotIdentified = "no", "Non identificata", "Not identified";
        /// The evaluation is still in progress.
        Pending = "pending", "Valutazione in corso", "In progress";
    }
}

code_enum! {
    /// The form of trafficking or exploitation found.
    Typology, "typology" {
        /// Trafficking for exploitation, the form not said.
        Trafficking = "trafficking", "Tratta a scopo di sfruttamento", "Trafficking for exploitation";
        /// Sexual exploitation on the street.
        SexualStreet = "sexual_street", "Sfruttamento sessuale in strada", "Sexual exploitation, street";
        /// Sexual exploitation indoor.
        SexualIndoor = "sexual_indoor", "Sfruttamento sessuale indoor", "Sexual exploitation, indoor";
        /// Labour exploitation in agriculture.
        LabourAgriculture = "labour_agriculture", "Sfruttamento lavorativo in agricoltura", "Labour exploitation, agriculture";
        /// Labour exploitation in firms (building, manufacturing, logistics, ...).
        LabourFirms = "labour_firms", "Sfruttamento lavorativo in aziende", "Labour exploitation, firms";
        /// Labour exploitation in private households (domestic work, care).
        LabourHouseholds = "labour_households", "Sfruttamento lavorativo domestico", "Labour exploitation, households";
        /// Forced begging.
        Begging = "begging", "Accattonaggio", "Begging";
        /// Forced illegal activities.
        IllegalEconomies = "illegal_economies", "Economie illegali", "Illegal economies";
        /// Forced marriage.
        ForcedMarriage = "forced_marriage", "Matrimonio forzato", "Forced marriage";
        /// Another form.
        Other = "other", "Altro", "Other";
    }
}

code_enum! {
    /// Adhesion to the protection programme (art. 18 programme).
    Adhesion, "adhesion" {
        /// Joined the programme.
        Yes = "yes", "Adesione al programma", "Joined the programme";
        /// Declined.
        No = "no", "Non aderisce", "Declined";
        /// Thinking about it, or waiting for a place.
        Waiting = "waiting", "In attesa", "Waiting";
    }
}

code_enum! {
    /// Who brought the person to the interview.
    IntakeChannel, "intake channel" {
        Commissione = "commissione", "Commissione Territoriale", "Commissione Territoriale";
        /// A reception centre (CAS, SAI).
        Reception = "cas_sai", "Centro di accoglienza (CAS/SAI)", "Reception centre (CAS/SAI)";
        Police = "police", "Forze dell'ordine", "Police";
        Health = "health", "Servizi sanitari", "Health services";
        Social = "social_services", "Servizi sociali", "Social services";
        /// The national helpline.
        Helpline = "helpline", "Numero Verde", "Helpline";
        /// A street unit (this one or another).
        StreetUnit = "street_unit", "Unità di strada", "Street unit";
        /// The person came by themself.
        SelfReferral = "self", "Accesso spontaneo", "Came by themself";
        Other = "other", "Altro", "Other";
    }
}

code_enum! {
    /// Indicators of trafficking found in the interviews: a closed checklist (after the
    /// national guidelines for the early identification of victims).
    Indicator, "indicator" {
        /// A debt to pay back (travel, housing, "the madam").
        Debt = "debt", "Debito da restituire", "Debt to pay back";
        /// Documents held by someone else.
        Documents = "documents", "Documenti trattenuti da altri", "Documents held by others";
        /// Not free to move or to leave.
        Movement = "movement", "Libertà di movimento limitata", "Restricted movement";
        /// Violence or threats to the person.
        Violence = "violence", "Violenze o minacce", "Violence or threats";
        /// Threats to the family at home.
        Family = "family", "Minacce alla famiglia", "Threats to the family";
        /// Deceived about the work or its conditions.
        Deception = "deception", "Inganno sul lavoro o sulle condizioni", "Deceived about work or conditions";
        /// Earnings taken, hours and conditions imposed.
        Earnings = "earnings", "Guadagni trattenuti, orari imposti", "Earnings taken, hours imposed";
        /// Controlled by others (phone, lodging, escorts).
        Control = "control", "Controllo da parte di terzi", "Controlled by others";
        /// Isolated: no language, no contacts outside.
        Isolation = "isolation", "Isolamento", "Isolation";
        /// A ritual oath (juju).
        Ritual = "ritual", "Rito o giuramento (juju)", "Ritual oath (juju)";
        /// Recruited and moved by third parties.
        Recruitment = "recruitment", "Reclutamento e viaggio organizzati da terzi", "Recruited and moved by others";
    }
}

code_enum! {
    /// What came of a contact (street, labour, indoor or desk): each is counted in persons.
    ContactOutcome, "outcome" {
        /// The protection programme was proposed.
        Proposed = "programme_proposed", "Proposta del programma", "Programme proposed";
        /// The person accepted the programme.
        Accepted = "programme_accepted", "Programma accettato", "Programme accepted";
        /// A complaint was filed with the police.
        ComplaintPolice = "complaint_police", "Denuncia alla Polizia", "Complaint to the police";
        /// A complaint was filed with the Carabinieri.
        ComplaintCarabinieri = "complaint_carabinieri", "Denuncia ai Carabinieri", "Complaint to the Carabinieri";
        /// A complaint was filed with another authority.
        ComplaintOther = "complaint_other", "Denuncia ad altre autorità", "Complaint to another authority";
        /// Accompanied to the interview at the Commissione Territoriale.
        Commissione = "commissione", "Accompagnamento in Commissione", "Accompanied to the Commissione";
        /// Assisted voluntary return requested.
        Return = "return", "Richiesta di rimpatrio volontario assistito", "Assisted voluntary return requested";
        /// A case-networking request with another territory.
        Networking = "networking", "Richiesta di presa in carico ad altro territorio", "Case networking with another territory";
    }
}

code_enum! {
    /// Who called the helpline about a report.
    HelplineSource, "helpline source" {
        /// The victim's own call.
        Own = "own", "Chiamata della persona", "The person's own call";
        /// An agency's request (police, services, an NGO).
        Agency = "agency", "Richiesta di un ente", "An agency's request";
    }
}

code_enum! {
    /// What help a helpline report asked for.
    HelpKind, "help requested" {
        Shelter = "shelter", "Accoglienza", "Shelter";
        Legal = "legal", "Assistenza legale", "Legal help";
        Health = "health", "Assistenza sanitaria", "Health care";
        Work = "work", "Lavoro", "Work";
        Return = "return", "Rimpatrio", "Return";
        Information = "information", "Informazioni", "Information";
        Other = "other", "Altro", "Other";
    }
}

code_enum! {
    /// What came of a helpline report.
    HelplineOutcome, "helpline outcome" {
        /// Taken in charge by the unit.
        TakenInCharge = "taken", "Presa in carico", "Taken in charge";
        /// Referred to another service or territory.
        Referred = "referred", "Inviata ad altro servizio", "Referred";
        /// The person joined the protection programme.
        Adhesion = "adhesion", "Adesione al programma", "Joined the programme";
    }
}

/// Where a person came to light: a province, or another territory (abroad, or a province
/// of another network).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EmersionPlace {
    /// A province of this network.
    Province(Province),
    /// Another territory.
    Elsewhere,
}

impl EmersionPlace {
    /// `BG`, or `elsewhere`.
    pub fn code(self) -> &'static str {
        match self {
            EmersionPlace::Province(p) => p.code(),
            EmersionPlace::Elsewhere => "elsewhere",
        }
    }

    /// Parses a province code or `elsewhere`.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        if s == "elsewhere" {
            return Ok(EmersionPlace::Elsewhere);
        }
        Province::parse(s)
            .map(EmersionPlace::Province)
            .map_err(|_| DomainError::unknown("place of emersion", s, "a province code (BG, MI, ...) or elsewhere"))
    }

    /// Every place, provinces first.
    pub fn all() -> Vec<EmersionPlace> {
        Province::all().into_iter().map(EmersionPlace::Province).chain([EmersionPlace::Elsewhere]).collect()
    }

    /// Its words.
    pub fn label(self, lang: Lang) -> String {
        match self {
            EmersionPlace::Province(p) => p.name().to_owned(),
            EmersionPlace::Elsewhere => {
                (if lang == Lang::En { "Another territory" } else { "Altro territorio" }).into()
            }
        }
    }
}

impl fmt::Display for EmersionPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

super::codes::serde_as_code!(EmersionPlace);

/// A set of codes of one closed list, kept as a bit mask (bit i = `ALL[i]`): contact
/// outcomes, indicators, help requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CodeSet<T: SetCode>(u32, std::marker::PhantomData<T>);

/// A closed list whose values can be in a [`CodeSet`].
pub trait SetCode: Copy + Eq + 'static {
    /// Every value.
    const ALL: &'static [Self];
    /// Its code.
    fn code(self) -> &'static str;
    /// Parses a code.
    fn parse(s: &str) -> Result<Self, DomainError>;
    /// What the list is, for errors.
    const WHAT: &'static str;
}

macro_rules! set_code {
    ($($t:ty),+) => {$(
        impl SetCode for $t {
            const ALL: &'static [Self] = <$t>::ALL;
            const WHAT: &'static str = stringify!($t);
            fn code(self) -> &'static str {
                <$t>::code(self)
            }
            fn parse(s: &str) -> Result<Self, DomainError> {
                <$t>::parse(s)
            }
        }
    )+};
}
set_code!(ContactOutcome, Indicator, HelpKind);
pub(crate) use set_code;

/// Outcomes of a contact.
pub type OutcomeSet = CodeSet<ContactOutcome>;
/// Indicators found.
pub type IndicatorSet = CodeSet<Indicator>;
/// Help requested.
pub type HelpSet = CodeSet<HelpKind>;

impl<T: SetCode> Default for CodeSet<T> {
    fn default() -> Self {
        Self::EMPTY
    }
}

/// True when a set is empty (for `skip_serializing_if`).
pub fn no_codes<T: SetCode>(set: &CodeSet<T>) -> bool {
    set.is_empty()
}

impl<T: SetCode> CodeSet<T> {
    /// Nothing.
    pub const EMPTY: Self = CodeSet(0, std::marker::PhantomData);

    fn bit(v: T) -> u32 {
        1 << T::ALL.iter().position(|x| *x == v).unwrap_or(0)
    }

    /// Builds a set from its mask; bits beyond the list are an error.
    pub fn from_bits(bits: u32) -> Result<Self, DomainError> {
        let all = (1u32 << T::ALL.len()) - 1;
        if bits & !all != 0 {
            return Err(DomainError::invalid(T::WHAT, format!("bit mask {bits} names no known code")));
        }
        Ok(CodeSet(bits, std::marker::PhantomData))
    }

    /// The mask.
    pub fn bits(self) -> u32 {
        self.0
    }

    /// True when `v` is in.
    pub fn contains(self, v: T) -> bool {
        self.0 & Self::bit(v) != 0
    }

    /// Adds `v`.
    pub fn insert(&mut self, v: T) {
        self.0 |= Self::bit(v);
    }

    /// Adds or removes `v`.
    pub fn toggle(&mut self, v: T) {
        self.0 ^= Self::bit(v);
    }

    /// Adds every value of `other`.
    pub fn union(self, other: Self) -> Self {
        CodeSet(self.0 | other.0, std::marker::PhantomData)
    }

    /// True when empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The values in, in list order.
    pub fn iter(self) -> impl Iterator<Item = T> {
        T::ALL.iter().copied().filter(move |v| self.contains(*v))
    }

    /// Parses `a;b` (also `,`, `|` or spaces; empty is the empty set).
    pub fn parse_list(s: &str) -> Result<Self, DomainError> {
        let mut set = Self::EMPTY;
        for part in s.split(super::codes::LIST_SEPARATORS).filter(|p| !p.is_empty()) {
            set.insert(T::parse(part)?);
        }
        Ok(set)
    }

    /// The codes joined with `;`.
    pub fn to_list(self) -> String {
        self.iter().map(|v| v.code()).collect::<Vec<_>>().join(";")
    }
}

impl<T: SetCode> FromIterator<T> for CodeSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut set = Self::EMPTY;
        iter.into_iter().for_each(|v| set.insert(v));
        set
    }
}

impl<T: SetCode> Serialize for CodeSet<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(|v| v.code()))
    }
}

impl<'de, T: SetCode> Deserialize<'de> for CodeSet<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let codes = Vec::<std::borrow::Cow<'de, str>>::deserialize(d)?;
        codes.iter().map(|c| T::parse(c)).collect::<Result<_, _>>().map_err(serde::de::Error::custom)
    }
}

/// One identification interview held with a person of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interview {
    /// Local id (never leaves the phone).
    pub id: i64,
    /// The person interviewed (register id).
    pub person: i64,
    /// The day.
    pub date: NaiveDate,
    /// Where the unit held it.
    pub province: Province,
    /// Social secretariat or Referral.
    pub kind: InterviewKind,
}

/// What became known of a person's identification on one day: each field given replaces
/// the one known before; `None` says nothing new. The person's state on a day is the
/// latest value of each field given up to that day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Findings {
    /// Identified, not identified or still in progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// The form of exploitation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typology: Option<Typology>,
    /// Adhesion to the protection programme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adhesion: Option<Adhesion>,
    /// Who brought the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<IntakeChannel>,
    /// Where the person came to light.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<EmersionPlace>,
    /// A minor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minor: Option<bool>,
    /// The indicators found (the whole set as known that day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicators: Option<IndicatorSet>,
}

impl Findings {
    /// True when nothing is said.
    pub fn is_empty(&self) -> bool {
        *self == Findings::default()
    }

    /// `self` with every field `later` gives replaced.
    pub fn then(self, later: &Findings) -> Findings {
        Findings {
            verdict: later.verdict.or(self.verdict),
            typology: later.typology.or(self.typology),
            adhesion: later.adhesion.or(self.adhesion),
            channel: later.channel.or(self.channel),
            place: later.place.or(self.place),
            minor: later.minor.or(self.minor),
            indicators: later.indicators.or(self.indicators),
        }
    }

    /// The state after a sequence of findings, in the order they became known.
    pub fn fold<'a>(facts: impl IntoIterator<Item = &'a Findings>) -> Findings {
        facts.into_iter().fold(Findings::default(), |s, f| s.then(f))
    }
}

/// A Referral request from the Commissione Territoriale about a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRequest {
    /// Local id.
    pub id: i64,
    /// The person the request is about.
    pub person: i64,
    /// The day it was received.
    pub received: NaiveDate,
    /// The province it was received for.
    pub province: Province,
}

/// One report received from the national helpline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelplineReport {
    /// Local id (0 before it is stored).
    #[serde(default)]
    pub id: i64,
    /// The day received.
    pub date: NaiveDate,
    /// The province it concerns.
    pub province: Province,
    /// The person's gender.
    pub gender: Gender,
    /// The person's nationality.
    pub nationality: Nationality,
    /// Already known to the unit.
    pub known: bool,
    /// The person's own call or an agency's request.
    pub source: HelplineSource,
    /// The help asked for.
    pub help: HelpSet,
    /// What came of it, when known.
    pub outcome: Option<HelplineOutcome>,
}

/// The counts an identification table reads, for one interview kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdCount {
    /// Persons interviewed in the period.
    Persons,
    /// Interviews held in the period (each one, not persons).
    Interviews,
    /// Persons identified as victims (their state at the end of the period).
    Identified,
    /// Persons not identified.
    NotIdentified,
    /// Persons whose evaluation is in progress (or not said yet).
    InProgress,
    /// Persons who joined the protection programme.
    Adhesions,
    /// Persons who declined it.
    Declined,
    /// Persons waiting.
    Waiting,
    /// Persons who are minors.
    Minors,
    /// Identified persons by typology (not said: not counted here).
    Typology(Typology),
    /// Persons by intake channel.
    Channel(IntakeChannel),
    /// Persons by place of emersion.
    Place(EmersionPlace),
    /// Persons with an indicator found.
    Indicator(Indicator),
    /// Requests received in the period (Referral).
    Requests,
    /// Requests received up to the end of the period and not yet answered by an
    /// interview (Referral).
    Unanswered,
}

impl IdCount {
    /// Every count.
    pub fn all() -> Vec<IdCount> {
        use IdCount as C;
        let mut v = vec![
            C::Persons,
            C::Interviews,
            C::Identified,
            C::NotIdentified,
            C::InProgress,
            C::Adhesions,
            C::Declined,
            C::Waiting,
            C::Minors,
        ];
        v.extend(Typology::ALL.iter().map(|&t| C::Typology(t)));
        v.extend(IntakeChannel::ALL.iter().map(|&c| C::Channel(c)));
        v.extend(EmersionPlace::all().into_iter().map(C::Place));
        v.extend(Indicator::ALL.iter().map(|&i| C::Indicator(i)));
        v.extend([C::Requests, C::Unanswered]);
        v
    }

    /// Its code after `id.<kind>.`: `persons`, `typology.begging`, `place.BG`.
    pub fn code(self) -> String {
        use IdCount::*;
        match self {
            Persons => "persons".into(),
            Interviews => "interviews".into(),
            Identified => "identified".into(),
            NotIdentified => "not_identified".into(),
            InProgress => "in_progress".into(),
            Adhesions => "adhesions".into(),
            Declined => "declined".into(),
            Waiting => "waiting".into(),
            Minors => "minors".into(),
            Typology(t) => format!("typology.{}", t.code()),
            Channel(c) => format!("channel.{}", c.code()),
            Place(p) => format!("place.{}", p.code()),
            Indicator(i) => format!("indicator.{}", i.code()),
            Requests => "requests".into(),
            Unanswered => "unanswered".into(),
        }
    }

    /// Parses [`IdCount::code`].
    pub fn parse(s: &str) -> Option<IdCount> {
        use IdCount::*;
        Some(match s {
            "persons" => Persons,
            "interviews" => Interviews,
            "identified" => Identified,
            "not_identified" => NotIdentified,
            "in_progress" => InProgress,
            "adhesions" => Adhesions,
            "declined" => Declined,
            "waiting" => Waiting,
            "minors" => Minors,
            "requests" => Requests,
            "unanswered" => Unanswered,
            _ => {
                let (head, tail) = s.split_once('.')?;
                match head {
                    "typology" => Typology(super::emersion::Typology::parse(tail).ok()?),
                    "channel" => Channel(IntakeChannel::parse(tail).ok()?),
                    "place" => Place(EmersionPlace::parse(tail).ok()?),
                    "indicator" => Indicator(super::emersion::Indicator::parse(tail).ok()?),
                    _ => return None,
                }
            }
        })
    }
}

/// The counts a helpline table reads (reports, not persons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HelplineCount {
    /// Reports received.
    Reports,
    /// About persons new to the unit.
    New,
    /// About persons already known.
    Known,
    /// By who called.
    Source(HelplineSource),
    /// By help requested (a report can ask several).
    Help(HelpKind),
    /// By outcome.
    Outcome(HelplineOutcome),
}

impl HelplineCount {
    /// Every count.
    pub fn all() -> Vec<HelplineCount> {
        use HelplineCount::*;
        let mut v = vec![Reports, New, Known];
        v.extend(HelplineSource::ALL.iter().map(|&s| Source(s)));
        v.extend(HelpKind::ALL.iter().map(|&h| Help(h)));
        v.extend(HelplineOutcome::ALL.iter().map(|&o| Outcome(o)));
        v
    }

    /// Its code after `helpline.`.
    pub fn code(self) -> String {
        match self {
            HelplineCount::Reports => "reports".into(),
            HelplineCount::New => "new".into(),
            HelplineCount::Known => "known".into(),
            HelplineCount::Source(s) => format!("source.{}", s.code()),
            HelplineCount::Help(h) => format!("help.{}", h.code()),
            HelplineCount::Outcome(o) => format!("outcome.{}", o.code()),
        }
    }

    /// Parses [`HelplineCount::code`].
    pub fn parse(s: &str) -> Option<HelplineCount> {
        Some(match s {
            "reports" => HelplineCount::Reports,
            "new" => HelplineCount::New,
            "known" => HelplineCount::Known,
            _ => {
                let (head, tail) = s.split_once('.')?;
                match head {
                    "source" => HelplineCount::Source(HelplineSource::parse(tail).ok()?),
                    "help" => HelplineCount::Help(HelpKind::parse(tail).ok()?),
                    "outcome" => HelplineCount::Outcome(HelplineOutcome::parse(tail).ok()?),
                    _ => return None,
                }
            }
        })
    }
}

impl HelplineReport {
    /// What one report counts in.
    pub fn counts(&self) -> Vec<HelplineCount> {
        let mut v = vec![
            HelplineCount::Reports,
            if self.known { HelplineCount::Known } else { HelplineCount::New },
            HelplineCount::Source(self.source),
        ];
        v.extend(self.help.iter().map(HelplineCount::Help));
        v.extend(self.outcome.map(HelplineCount::Outcome));
        v
    }
}

/// One person's identification in a period of one kind and province: what their counts
/// are built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interviewed {
    /// Interviews held in the period.
    pub interviews: u64,
    /// The person's state at the end of the period.
    pub state: Findings,
    /// A minor (the state's word, else the register's age band).
    pub minor: bool,
}

impl Interviewed {
    /// The counts of one person interviewed: themself once in each that applies, and
    /// their interviews.
    pub fn counts(&self) -> Vec<(IdCount, u64)> {
        let s = &self.state;
        let mut v = vec![(IdCount::Persons, 1), (IdCount::Interviews, self.interviews)];
        v.push((
            match s.verdict {
                Some(Verdict::Identified) => IdCount::Identified,
                Some(Verdict::NotIdentified) => IdCount::NotIdentified,
                Some(Verdict::Pending) | None => IdCount::InProgress,
            },
            1,
        ));
        if let Some(a) = s.adhesion {
            let c = match a {
                Adhesion::Yes => IdCount::Adhesions,
                Adhesion::No => IdCount::Declined,
                Adhesion::Waiting => IdCount::Waiting,
            };
            v.push((c, 1));
        }
        if self.minor {
            v.push((IdCount::Minors, 1));
        }
        if let (Some(Verdict::Identified), Some(t)) = (s.verdict, s.typology) {
            v.push((IdCount::Typology(t), 1));
        }
        v.extend(s.channel.map(|c| (IdCount::Channel(c), 1)));
        v.extend(s.place.map(|p| (IdCount::Place(p), 1)));
        v.extend(s.indicators.into_iter().flat_map(|set| set.iter()).map(|i| (IdCount::Indicator(i), 1)));
        v.retain(|(_, n)| *n > 0);
        v
    }
}

/// Adds `n` to `key` of a map of counts.
pub fn bump<K: Ord>(map: &mut BTreeMap<K, u64>, key: K, n: u64) {
    if n > 0 {
        *map.entry(key).or_default() += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in IdCount::all() {
            assert_eq!(IdCount::parse(&c.code()), Some(c), "{}", c.code());
        }
        for c in HelplineCount::all() {
            assert_eq!(HelplineCount::parse(&c.code()), Some(c));
        }
        assert_eq!(IdCount::parse("place.XX"), None);
        assert_eq!(Verdict::parse("pending").unwrap(), Verdict::Pending);
        assert!(Adhesion::parse("maybe").is_err());
    }

    #[test]
    fn sets_parse_and_refuse_unknown_codes() {
        let s = OutcomeSet::parse_list("complaint_police;return").unwrap();
        assert!(s.contains(ContactOutcome::ComplaintPolice) && s.contains(ContactOutcome::Return));
        assert_eq!(s.to_list(), "complaint_police;return");
        assert_eq!(OutcomeSet::from_bits(s.bits()).unwrap(), s);
        assert!(OutcomeSet::parse_list("complaint_police;lawsuit").is_err());
        assert!(IndicatorSet::from_bits(1 << 20).is_err());
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"["complaint_police","return"]"#);
        assert_eq!(serde_json::from_str::<OutcomeSet>(&json).unwrap(), s);
    }

    #[test]
    fn the_latest_word_on_each_field_is_the_state() {
        let first = Findings {
            verdict: Some(Verdict::Pending),
            channel: Some(IntakeChannel::StreetUnit),
            ..Default::default()
        };
        let second = Findings {
            verdict: Some(Verdict::Identified),
            typology: Some(Typology::SexualStreet),
            ..Default::default()
        };
        let third = Findings { adhesion: Some(Adhesion::Yes), ..Default::default() };
        let s = Findings::fold([&first, &second, &third]);
        assert_eq!(s.verdict, Some(Verdict::Identified));
        assert_eq!(s.channel, Some(IntakeChannel::StreetUnit));
        assert_eq!(s.adhesion, Some(Adhesion::Yes));
        let counts: BTreeMap<_, _> =
            Interviewed { interviews: 2, state: s, minor: false }.counts().into_iter().collect();
        assert_eq!(counts[&IdCount::Persons], 1);
        assert_eq!(counts[&IdCount::Interviews], 2);
        assert_eq!(counts[&IdCount::Identified], 1);
        assert_eq!(counts[&IdCount::Adhesions], 1);
        assert_eq!(counts[&IdCount::Typology(Typology::SexualStreet)], 1);
        assert!(!counts.contains_key(&IdCount::InProgress) && !counts.contains_key(&IdCount::Minors));
    }
}
