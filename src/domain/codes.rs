//! The closed vocabularies of the field: every value a worker can pick is one of these
//! codes, with an Italian and an English label. Nothing here holds free text, which is
//! what lets aggregated counts leave the phone safely.

use std::fmt;

use super::DomainError;

/// The two languages of the user interface and of code labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    /// Italian, the default.
    #[default]
    #[serde(rename = "it")]
    It,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// Parses `it` or `en`.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "it" => Ok(Lang::It),
            "en" => Ok(Lang::En),
            _ => Err(DomainError::unknown("language", s, "it, en")),
        }
    }

    /// The code of this language (`it`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::It => "it",
            Lang::En => "en",
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, DomainError> {
        Lang::parse(s)
    }
}

/// `FromStr` and serde for a type that is written as its code: `parse` reads it back,
/// `code()` writes it. Codes here and provinces and comuni (`territory`) share it.
macro_rules! serde_as_code {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                <$t>::parse(&s).map_err(serde::de::Error::custom)
            }
        }
        impl std::str::FromStr for $t {
            type Err = $crate::domain::DomainError;
            fn from_str(s: &str) -> Result<Self, $crate::domain::DomainError> {
                <$t>::parse(s)
            }
        }
    };
}
pub(super) use serde_as_code;

/// Defines a closed code list: an enum with its wire code, Italian and English labels,
/// `ALL`, `code()`, `label()`, `FromStr`, `Display` and serde as the code.
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $it:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = $en] $variant, )+
        }

        impl $name {
            /// Every value, in the order reports print them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used in files, the database and on the wire.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The label shown to people.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $( ($name::$variant, Lang::It) => $it, ($name::$variant, Lang::En) => $en, )+
                }
            }

            /// Parses a code, or says which codes are allowed.
            pub fn parse(s: &str) -> Result<Self, DomainError> {
                match s {
                    $( $code => Ok($name::$variant), )+
                    _ => Err(DomainError::unknown($what, s, &Self::codes_list())),
                }
            }

            fn codes_list() -> String {
                Self::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        $crate::domain::codes::serde_as_code!($name);
    };
}

pub(super) use code_enum;

code_enum! {
    /// Gender as the reports count it: always these three columns.
    Gender, "gender" {
        M = "M", "Maschile", "Male";
        F = "F", "Femminile", "Female";
        T = "T", "Trans", "Trans";
    }
}

code_enum! {
    /// What the headcount of a street or labour table counts: distinct persons met in the
    /// period (a person met on day and on night outings is in both columns), or encounters
    /// (one per person per outing).
    Count, "count" {
        Persons = "persons", "Persone incontrate", "Persons met";
        Contacts = "contacts", "Contatti", "Contacts";
    }
}

code_enum! {
    /// Day or night outing.
    Shift, "shift" {
        Day = "day", "Diurna", "Day";
        Night = "night", "Notturna", "Night";
    }
}

code_enum! {
    /// What a piece of work is for: the activity of an outing, a desk session or an indoor
    /// session, and the key under which a period's emersion counts travel.
    Activity, "activity" {
        /// Sexual exploitation, outdoor.
        Street = "street", "Strada (sfruttamento sessuale outdoor)", "Street (outdoor sexual exploitation)";
        /// Labour exploitation, begging, illegal economies.
        Labour = "labour", "Sfruttamento lavorativo, accattonaggio, economie illegali", "Labour exploitation, begging, illegal economies";
        /// Sexual exploitation, indoor: ads, calls and messages, meetings, massage centres.
        /// Recorded in indoor sessions, never in outings.
        Indoor = "indoor", "Indoor (annunci, chiamate, centri massaggi)", "Indoor (ads, calls, massage centres)";
        /// A drop-in desk ("sportello", listening desk): recorded as a session of the desk
        /// with the persons met there, like an outing with one stop.
        Desk = "desk", "Sportello", "Drop-in desk";
        /// Emersion beyond outreach: identification interviews, outcomes of contacts and
        /// helpline reports. Never an outing: only the key of a period's counts.
        Emersion = "emersion", "Emersione (colloqui, esiti, Numero Verde)", "Emersion (interviews, outcomes, helpline)";
        /// Informative group sessions (sensibilizzazione) in reception centres, adult
        /// schools, communities for minors: head counts only, in sessions of their own.
        Session = "session", "Sensibilizzazione (incontri informativi)", "Informative sessions";
    }
}

impl Activity {
    /// The activities of outings: street and labour outreach, and desk sessions (indoor
    /// work has sessions of its own, emersion has no outings).
    pub const OUTINGS: &'static [Activity] = &[Activity::Street, Activity::Labour, Activity::Desk];

    /// The activities a worker records work for, in the order the app offers them.
    pub const RECORDED: &'static [Activity] =
        &[Activity::Street, Activity::Labour, Activity::Indoor, Activity::Desk, Activity::Session];
}

code_enum! {
    /// How an indoor team reaches the number in an ad. Messages are every channel but calls.
    Channel, "channel" {
        Call = "call", "Chiamata", "Call";
        Sms = "sms", "SMS", "SMS";
        Whatsapp = "whatsapp", "WhatsApp", "WhatsApp";
        Telegram = "telegram", "Telegram", "Telegram";
        Wechat = "wechat", "WeChat", "WeChat";
        Other = "other", "Altro", "Other";
    }
}

impl Channel {
    /// True for written messages, counted apart from calls.
    pub fn is_message(self) -> bool {
        self != Channel::Call
    }
}

code_enum! {
    /// What came of a call or a message.
    Outcome, "outcome" {
        /// Nobody answered.
        NoAnswer = "no_answer", "Nessuna risposta", "No answer";
        /// Someone talked: a contact ("contatto svolto").
        Reached = "reached", "Contatto", "Reached";
        /// An automatic reply (tariffs, a recorded message).
        AutoReply = "auto_reply", "Risposta automatica", "Automatic reply";
        /// The person refused to talk.
        Refused = "refused", "Rifiuto", "Refused";
        /// Someone else answered for the person (a controller, "centralinista").
        Controller = "controller", "Risponde un controllore", "Controller answered";
        /// The number is wrong or not in use.
        WrongNumber = "wrong_number", "Numero errato", "Wrong number";
    }
}

impl Outcome {
    /// True when the attempt is a contact: someone talked.
    pub fn is_contact(self) -> bool {
        self == Outcome::Reached
    }
}

code_enum! {
    /// One line of an indoor log (the historical CSV import).
    IndoorKind, "kind" {
        Ad = "ad", "Annuncio", "Ad";
        Call = "call", "Chiamata", "Call";
        Message = "message", "Messaggio", "Message";
        Meeting = "meeting", "Incontro", "Meeting";
        Massage = "massage", "Centro massaggi", "Massage centre";
    }
}

code_enum! {
    /// Age band as estimated or declared; minors are always countable on their own.
    AgeBand, "age band" {
        Minor = "minor", "Minorenne", "Minor";
        A18_24 = "18-24", "18-24 anni", "18-24 years";
        A25_34 = "25-34", "25-34 anni", "25-34 years";
        A35_49 = "35-49", "35-49 anni", "35-49 years";
        A50Plus = "50+", "50 anni e oltre", "50 and over";
    }
}

code_enum! {
    /// Asylum seeker or holder of international protection.
    Protection, "protection status" {
        Unknown = "unknown", "Non noto", "Unknown";
        Yes = "yes", "Richiedente o titolare di protezione internazionale", "Asylum seeker or protection holder";
        No = "no", "No", "No";
    }
}

code_enum! {
    /// Things handed out from the prevention kit.
    ItemKind, "item" {
        Condoms = "condoms", "Preservativi", "Condoms";
        FemaleCondoms = "female_condoms", "Preservativi femminili", "Female condoms";
        Lubricant = "lubricant", "Lubrificante", "Lubricant";
        Leaflets = "leaflets", "Materiale informativo", "Leaflets";
        Food = "food", "Generi di conforto (cibo e bevande)", "Food and drinks";
        Hygiene = "hygiene", "Prodotti per l'igiene", "Hygiene products";
        Other = "other", "Altro materiale", "Other items";
    }
}

code_enum! {
    /// The services a person can be referred or accompanied to.
    ServiceKind, "service" {
        Legal = "legal", "Servizi legali", "Legal services";
        Health = "health", "Servizi sanitari", "Health services";
        Work = "work", "Servizi per il lavoro", "Work services";
        Other = "other", "Altri servizi", "Other services";
    }
}

code_enum! {
    /// What a service event is: each is counted once per time it happened, so one person
    /// can have several in one contact.
    EventKind, "event" {
        /// Accompanied to a service (accompagnamento).
        Accompaniment = "accompaniment", "Accompagnamento", "Accompaniment";
        /// Referred to a service (invio).
        Referral = "referral", "Invio", "Referral";
        /// A listening talk (colloquio di ascolto).
        Listening = "listening", "Colloquio di ascolto", "Listening talk";
        /// A consultation with the unit's own legal operator.
        LegalConsultation = "legal_consultation", "Consulenza legale", "Legal consultation";
    }
}

impl EventKind {
    /// True for the events that go to a service (accompaniments and referrals); the
    /// others are the unit's own (talks, legal consultations).
    pub fn has_service(self) -> bool {
        matches!(self, EventKind::Accompaniment | EventKind::Referral)
    }
}

code_enum! {
    /// Which service exactly a person was accompanied or referred to: optional detail
    /// under a [`ServiceKind`] (see [`ServiceSubtype::service`]).
    ServiceSubtype, "service sub-type" {
        /// Test for sexually transmitted infections.
        StiTest = "sti_test", "Test IST", "STI test";
        Gynaecology = "gynaecology", "Ginecologia", "Gynaecology";
        /// General practitioner.
        Gp = "gp", "Medico di base", "GP";
        /// Addiction service (SerD).
        Addiction = "addiction", "SerD (dipendenze)", "Addiction service";
        MentalHealth = "mental_health", "Salute mentale", "Mental health";
        AntiViolence = "anti_violence", "Centro antiviolenza", "Anti-violence centre";
        TradeUnion = "trade_union", "Sindacato", "Trade union";
        /// Adult education centre (CPIA) or school.
        School = "school", "CPIA / scuola", "CPIA / school";
        /// Police headquarters, residence permit.
        Questura = "questura", "Questura / permesso di soggiorno", "Questura / residence permit";
        JobCentre = "job_centre", "Centro per l'impiego", "Job centre";
        /// Another service.
        Other = "other_service", "Altro servizio", "Other service";
    }
}

impl ServiceSubtype {
    /// The service this sub-type belongs to.
    pub fn service(self) -> ServiceKind {
        use ServiceSubtype::*;
        match self {
            StiTest | Gynaecology | Gp | Addiction | MentalHealth => ServiceKind::Health,
            Questura => ServiceKind::Legal,
            TradeUnion | JobCentre => ServiceKind::Work,
            AntiViolence | School | Other => ServiceKind::Other,
        }
    }

    /// The sub-types of `service`, in report order.
    pub fn of(service: ServiceKind) -> impl Iterator<Item = ServiceSubtype> {
        ServiceSubtype::ALL.iter().copied().filter(move |s| s.service() == service)
    }
}

code_enum! {
    /// The language of a leaflet: a closed list, so no free text is ever recorded.
    Language, "leaflet language" {
        Italian = "it", "italiano", "Italian";
        English = "en", "inglese", "English";
        French = "fr", "francese", "French";
        Spanish = "es", "spagnolo", "Spanish";
        Portuguese = "pt", "portoghese", "Portuguese";
        Romanian = "ro", "rumeno", "Romanian";
        Bulgarian = "bg", "bulgaro", "Bulgarian";
        Albanian = "sq", "albanese", "Albanian";
        Russian = "ru", "russo", "Russian";
        Ukrainian = "uk", "ucraino", "Ukrainian";
        Polish = "pl", "polacco", "Polish";
        Hungarian = "hu", "ungherese", "Hungarian";
        Chinese = "zh", "cinese", "Chinese";
        Thai = "th", "thailandese", "Thai";
        Arabic = "ar", "arabo", "Arabic";
        Turkish = "tr", "turco", "Turkish";
        Pidgin = "pcm", "pidgin nigeriano", "Nigerian Pidgin";
        Edo = "bin", "edo", "Edo";
        Urdu = "ur", "urdu", "Urdu";
        Bengali = "bn", "bengalese", "Bengali";
        Punjabi = "pa", "punjabi", "Punjabi";
        Hindi = "hi", "hindi", "Hindi";
        Tagalog = "tl", "tagalog", "Tagalog";
        Georgian = "ka", "georgiano", "Georgian";
        Undetermined = "und", "lingua non indicata", "language not stated";
    }
}

code_enum! {
    /// How a report orders its rows.
    RowOrder, "row order" {
        /// By name, as the programmes print them (Italian order, the unknown nationality last).
        Name = "name", "Per nome", "By name";
        /// Largest total first, ties by name (the unknown nationality still last).
        Total = "total", "Per totale", "By total";
    }
}

impl Default for RowOrder {
    /// By name, as the programmes print them.
    fn default() -> Self {
        RowOrder::Name
    }
}

code_enum! {
    /// Whether an outing is still being recorded.
    OutingStatus, "outing status" {
        Open = "open", "Aperta", "Open";
        Closed = "closed", "Chiusa", "Closed";
    }
}

/// What separates the codes of a list in an imported cell (`legal;health`).
pub(crate) const LIST_SEPARATORS: [char; 4] = [';', ',', '|', ' '];

/// A set of services, stored as a bit mask (bit i = `ServiceKind::ALL[i]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct ServiceSet(u8);

impl ServiceSet {
    /// No service.
    pub const EMPTY: ServiceSet = ServiceSet(0);

    /// Builds a set from its bit mask; bits beyond the known services are an error.
    pub fn from_bits(bits: u8) -> Result<Self, DomainError> {
        let all = (1u8 << ServiceKind::ALL.len()) - 1;
        if bits & !all != 0 {
            return Err(DomainError::invalid("service set", bits.to_string()));
        }
        Ok(ServiceSet(bits))
    }

    /// The bit mask.
    pub fn bits(self) -> u8 {
        self.0
    }

    fn bit(kind: ServiceKind) -> u8 {
        1 << (kind as u8)
    }

    /// True when `kind` is in the set.
    pub fn contains(self, kind: ServiceKind) -> bool {
        self.0 & Self::bit(kind) != 0
    }

    /// Adds `kind`.
    pub fn insert(&mut self, kind: ServiceKind) {
        self.0 |= Self::bit(kind);
    }

    /// Removes `kind`.
    pub fn remove(&mut self, kind: ServiceKind) {
        self.0 &= !Self::bit(kind);
    }

    /// Adds or removes `kind`.
    pub fn toggle(&mut self, kind: ServiceKind) {
        self.0 ^= Self::bit(kind);
    }

    /// True when no service is in the set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The services in the set, in report order.
    pub fn iter(self) -> impl Iterator<Item = ServiceKind> {
        ServiceKind::ALL.iter().copied().filter(move |k| self.contains(*k))
    }

    /// Parses `legal;health` (also `,` or `|` or spaces as separators; empty is the empty set).
    pub fn parse_list(s: &str) -> Result<Self, DomainError> {
        let mut set = ServiceSet::EMPTY;
        for part in s.split(LIST_SEPARATORS).filter(|p| !p.is_empty()) {
            set.insert(ServiceKind::parse(part)?);
        }
        Ok(set)
    }

    /// The codes joined with `;`.
    pub fn to_list(self) -> String {
        self.iter().map(|k| k.code()).collect::<Vec<_>>().join(";")
    }
}

impl FromIterator<ServiceKind> for ServiceSet {
    fn from_iter<I: IntoIterator<Item = ServiceKind>>(iter: I) -> Self {
        let mut set = ServiceSet::EMPTY;
        for k in iter {
            set.insert(k);
        }
        set
    }
}

impl serde::Serialize for ServiceSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(None)?;
        for k in self.iter() {
            seq.serialize_element(&k)?;
        }
        seq.end()
    }
}

impl<'de> serde::Deserialize<'de> for ServiceSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let kinds = Vec::<ServiceKind>::deserialize(d)?;
        Ok(kinds.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_named() {
        for g in Gender::ALL {
            assert_eq!(Gender::parse(g.code()).unwrap(), *g);
        }
        let err = Gender::parse("X").unwrap_err().to_string();
        assert!(err.contains("gender") && err.contains("'X'") && err.contains("M, F, T"), "{err}");
        assert_eq!(AgeBand::parse("50+").unwrap(), AgeBand::A50Plus);
        assert_eq!(serde_json::to_string(&Shift::Night).unwrap(), "\"night\"");
        assert!(serde_json::from_str::<Shift>("\"evening\"").is_err());
    }

    #[test]
    fn service_sets_parse_and_reject_unknown_services() {
        let s = ServiceSet::parse_list("health;legal").unwrap();
        assert!(s.contains(ServiceKind::Legal) && s.contains(ServiceKind::Health));
        assert!(!s.contains(ServiceKind::Work));
        assert_eq!(s.to_list(), "legal;health");
        assert!(ServiceSet::parse_list("legal;dentist").is_err());
        assert!(ServiceSet::from_bits(0x80).is_err());
        assert_eq!(ServiceSet::parse_list("").unwrap(), ServiceSet::EMPTY);
    }
}
