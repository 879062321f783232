//! Outreach as the reports describe it, besides contacts: the team of an outing or
//! session, the outings themselves (empty ones too), presences, labour sectors and
//! settings, national mapping nights, informative group sessions and message campaigns.
//!
//! Every value is a code from a closed list or a count: what leaves the phone are counts
//! per cell and an outing's or session's team and facts, never who or what was written.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::{Lang, code_enum};
use super::emersion::{CodeSet, SetCode};
use super::tables::Mft;
use super::{Activity, Comune, DomainError, Language, Province, Shift};

/// Workers on an outing or session at most.
pub const OPERATORS_MAX: u8 = 50;
/// Participants of one gender in one informative session at most.
pub const PARTICIPANTS_MAX: u32 = 2_000;
/// Characters of one diary note at most.
pub const NOTE_MAX: usize = 4_000;

code_enum! {
    /// The sector of labour outreach: where people work, beg or are exploited.
    LabourSector, "labour sector" {
        Agriculture = "agriculture", "Agricoltura", "Agriculture";
        Construction = "construction", "Edilizia", "Construction";
        Logistics = "logistics", "Logistica", "Logistics";
        Riders = "riders", "Rider (consegne)", "Delivery riders";
        Restaurants = "restaurants", "Ristorazione", "Restaurants";
        StreetVending = "street_vending", "Vendita ambulante", "Street vending";
        Parking = "parking", "Parcheggiatori abusivi", "Parking attendants";
        BeggingSupermarkets = "begging_supermarkets", "Accattonaggio (supermercati)", "Begging (supermarkets)";
        BeggingChurches = "begging_churches", "Accattonaggio (chiese)", "Begging (churches)";
        BeggingStreets = "begging_streets", "Accattonaggio (strade)", "Begging (streets)";
        IllegalEconomies = "illegal_economies", "Economie illegali", "Illegal economies";
        DomesticCare = "domestic_care", "Lavoro domestico e di cura", "Domestic and care work";
        RomaSettlements = "roma_settlements", "Insediamenti rom", "Roma settlements";
    }
}

code_enum! {
    /// The place labour outreach met people at.
    LabourSetting, "labour setting" {
        Farms = "farms", "Aziende agricole", "Farms";
        Markets = "markets", "Mercati", "Markets";
        EthnicShops = "ethnic_shops", "Negozi etnici", "Ethnic shops";
        Worship = "worship", "Luoghi di culto", "Places of worship";
        MoneyTransfer = "money_transfer", "Money transfer", "Money transfer";
        ReceptionCentres = "reception_centres", "Centri di accoglienza", "Reception centres";
    }
}

code_enum! {
    /// Where an informative group session (sensibilizzazione) was held.
    SessionPlace, "session place" {
        Cas = "cas", "CAS (centro di accoglienza straordinaria)", "CAS (emergency reception centre)";
        Sai = "sai", "SAI (sistema accoglienza integrazione)", "SAI (reception and integration)";
        Cpia = "cpia", "CPIA (scuola per adulti)", "CPIA (adult school)";
        MinorsCommunity = "minors_community", "Comunità per minori", "Community for minors";
        Other = "other", "Altro luogo", "Other place";
    }
}

code_enum! {
    /// What an informative session was about.
    SessionTheme, "session theme" {
        Trafficking = "trafficking", "Tratta e sfruttamento", "Trafficking and exploitation";
        Rights = "rights", "Diritti e tutele (art. 18)", "Rights and protection (art. 18)";
        Labour = "labour", "Diritti del lavoro", "Labour rights";
        Health = "health", "Salute e prevenzione", "Health and prevention";
        Services = "services", "Servizi del territorio", "Local services";
        Helpline = "helpline", "Numero Verde antitratta", "Anti-trafficking helpline";
        Gbv = "gbv", "Violenza di genere", "Gender-based violence";
    }
}

code_enum! {
    /// A message campaign sent to indoor numbers.
    Campaign, "campaign" {
        /// European Anti-Trafficking Day (18 October).
        AntiTraffickingDay = "eu_day", "Giornata europea contro la tratta", "European Anti-Trafficking Day";
        /// 25 November, with the 1522 anti-violence line.
        November25 = "nov25", "25 novembre (1522)", "25 November (1522 line)";
        /// Promotion of an app or service.
        AppPromotion = "app", "Promozione app", "App promotion";
        /// The unit's own campaign.
        Custom = "custom", "Campagna propria", "Own campaign";
    }
}

code_enum! {
    /// What a national mapping night counts.
    MappingCount, "mapping count" {
        /// Persons seen on the street (contacted or not).
        Seen = "seen", "Persone viste", "Persons seen";
        /// Persons contacted.
        Contacted = "contacted", "Persone contattate", "Persons contacted";
    }
}

crate::domain::emersion::set_code!(SessionTheme, Language);

/// Themes of a session.
pub type ThemeSet = CodeSet<SessionTheme>;
/// Languages spoken in a session.
pub type LanguageSet = CodeSet<Language>;

/// Who went out: the team of an outing or session, remembered from the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// Workers (operators), 1 to [`OPERATORS_MAX`].
    pub operators: u8,
    /// A cultural mediator was present.
    #[serde(default)]
    pub mediator: bool,
    /// The mediator's language, when said (implies `mediator`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mediator_language: Option<Language>,
    /// The unit's legal operator was present.
    #[serde(default)]
    pub legal_operator: bool,
}

impl Default for Team {
    fn default() -> Self {
        Team { operators: 2, mediator: false, mediator_language: None, legal_operator: false }
    }
}

impl Team {
    /// Checks the numbers; a language implies a mediator.
    pub fn checked(mut self) -> Result<Team, DomainError> {
        if !(1..=OPERATORS_MAX).contains(&self.operators) {
            return Err(DomainError::invalid(
                "team",
                format!("{} operators (expected 1 to {OPERATORS_MAX})", self.operators),
            ));
        }
        if self.mediator_language.is_some() {
            self.mediator = true;
        }
        Ok(self)
    }
}

/// One outing or session as the outings table counts it: when, where, how long, who went,
/// and whether anyone was met. The phone builds these from its outings, the server from
/// the summaries it holds; the outings table is a pure function of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutingFact {
    /// Street, labour, desk, indoor or session.
    pub activity: Activity,
    /// The day.
    pub date: NaiveDate,
    /// Day or night.
    pub shift: Shift,
    /// The province of its first stop (indoor, session: its own).
    pub province: Province,
    /// Minutes from start to end, when both are known.
    pub minutes: Option<u32>,
    /// The team, when said.
    pub team: Option<Team>,
    /// Contacts (or persons met, or participants): zero for an empty outing.
    pub contacts: u64,
}

/// What an informative group session is, besides its team: where, on what, in which
/// languages, and how many took part (head counts only, never who).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionFacts {
    /// The kind of place.
    pub place: SessionPlace,
    /// The comune, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comune: Option<Comune>,
    /// Themes (closed list).
    pub themes: ThemeSet,
    /// Languages spoken.
    pub languages: LanguageSet,
    /// Participants by gender.
    #[schemars(with = "HeadsSchema")]
    pub participants: Mft,
    /// Of whom asylum seekers or holders of international protection, by gender.
    #[schemars(with = "HeadsSchema")]
    pub protection: Mft,
}

/// The wire shape of a head count by gender (an [`Mft`]): three numbers, nothing else.
#[derive(schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct HeadsSchema {
    #[serde(rename = "M")]
    m: u32,
    #[serde(rename = "F")]
    f: u32,
    #[serde(rename = "T")]
    t: u32,
}

impl SessionFacts {
    /// Checks the head counts: each at most [`PARTICIPANTS_MAX`], the "di cui" within
    /// the participants, and at least one participant.
    pub fn checked(self) -> Result<SessionFacts, DomainError> {
        for g in super::Gender::ALL {
            let (n, p) = (self.participants.get(*g), self.protection.get(*g));
            if n > u64::from(PARTICIPANTS_MAX) {
                return Err(DomainError::invalid(
                    "participants",
                    format!("{n} {} (at most {PARTICIPANTS_MAX})", g.code()),
                ));
            }
            if p > n {
                return Err(DomainError::invalid(
                    "participants",
                    format!("{p} {} asylum seekers or protection holders of {n} participants", g.code()),
                ));
            }
        }
        if self.participants.total() == 0 {
            return Err(DomainError::invalid("participants", "a session has at least one participant"));
        }
        Ok(self)
    }
}

/// An informative group session (sensibilizzazione) as the phone keeps it: one saved form,
/// no open or closed state; a change after a sync bumps its revision, so it is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InfoSession {
    /// Random id, also its identity for sync.
    pub id: uuid::Uuid,
    /// The unit that held it.
    pub unit: uuid::Uuid,
    /// The day.
    pub date: NaiveDate,
    /// The province it is counted under.
    pub province: Province,
    /// Place, comune, themes, languages and head counts.
    pub facts: SessionFacts,
    /// Who held it.
    pub team: Team,
    /// Its revision (the one a sync sends).
    pub revision: u32,
}

impl InfoSession {
    /// Checks the facts and the team, and that the comune, when given, is in the province.
    pub fn checked(mut self) -> Result<InfoSession, DomainError> {
        self.facts = self.facts.checked()?;
        self.team = self.team.checked()?;
        if let Some(c) = self.facts.comune
            && c.province() != self.province
        {
            return Err(DomainError::invalid(
                "comune",
                format!("{} is not in the province of {}", c.code(), self.province.code()),
            ));
        }
        Ok(self)
    }
}

/// A message (or call) sent as part of a campaign, with the message's language when said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CampaignTag {
    /// The campaign.
    pub campaign: Campaign,
    /// The language of the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_team_needs_operators_and_a_language_means_a_mediator() {
        assert!(Team { operators: 0, ..Team::default() }.checked().is_err());
        assert!(Team { operators: 51, ..Team::default() }.checked().is_err());
        let t = Team { mediator_language: Some(Language::English), ..Team::default() }.checked().unwrap();
        assert!(t.mediator);
    }

    #[test]
    fn session_counts_are_checked() {
        let mut f = SessionFacts {
            place: SessionPlace::Cas,
            comune: None,
            themes: ThemeSet::EMPTY,
            languages: LanguageSet::EMPTY,
            participants: Mft { m: 10, f: 2, t: 0 },
            protection: Mft { m: 8, f: 0, t: 0 },
        };
        assert!(f.checked().is_ok());
        f.protection.f = 3;
        assert!(f.checked().is_err(), "more asylum seekers than participants");
        f.protection = Mft::default();
        f.participants = Mft::default();
        assert!(f.checked().is_err(), "an empty session");
        f.participants.m = PARTICIPANTS_MAX as u64 + 1;
        assert!(f.checked().is_err());
    }

    #[test]
    fn codes_round_trip() {
        for s in LabourSector::ALL {
            assert_eq!(LabourSector::parse(s.code()).unwrap(), *s);
        }
        let set: ThemeSet = [SessionTheme::Rights, SessionTheme::Health].into_iter().collect();
        assert_eq!(ThemeSet::parse_list(&set.to_list()).unwrap(), set);
        assert!(Campaign::parse("spam").is_err());
    }
}
