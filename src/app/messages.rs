//! The translation table of errors: every error a use case can fail with, in the
//! worker's language (Italian first, English). Screens show these, never `Display`
//! (which is the English wording for logs and the command line). Values such as a
//! comune's name or a number of seconds are filled in; no English sentence is left on an
//! Italian screen.

use std::ops::RangeInclusive;

use super::{Error, UnlockError};
use crate::domain::rules::{
    DECLARED_AGE, IDLE_LOCK_MINUTES, MASSAGE_VISIT_PERSONS, PASSPHRASE_MIN_CHARS, PEOPLE_PER_TAP, PERSON_CODE_MAX,
    PERSON_NAME_MAX, PIN_MIN_DIGITS, SITE_NAME_MAX, TEAM_SIZE, Violation,
};
use crate::domain::{DomainError, Lang};
use crate::store::{Entity, Record, StoreError};
use crate::sync::SyncError;

fn pick(lang: Lang, it: String, en: String) -> String {
    match lang {
        Lang::It => it,
        Lang::En => en,
    }
}

macro_rules! say {
    ($lang:expr, $it:literal, $en:literal $(, $arg:ident = $val:expr)* $(,)?) => {
        pick($lang, format!($it $(, $arg = $val)*), format!($en $(, $arg = $val)*))
    };
}

/// An error in the worker's language.
pub fn message(e: &Error, lang: Lang) -> String {
    match e {
        Error::Locked => {
            say!(lang, "L'app è bloccata: sbloccala con il PIN", "The app is locked: unlock it with the PIN")
        }
        Error::Unlock(u) => unlock(u, lang),
        Error::Domain(d) => domain(d, lang),
        Error::Store(s) => store(s, lang),
        Error::Import { file, error } => say!(
            lang,
            "{file}: file non valido, nulla è stato importato ({why})",
            "{file}: {why}",
            file = file.display(),
            why = error
        ),
        Error::ImportRefused { file, error } => {
            say!(lang, "{file}: {why}", "{file}: {why}", file = file.display(), why = store(error, lang))
        }
        Error::Read { file, .. } => {
            say!(lang, "Impossibile leggere {file}", "Cannot read {file}", file = file.display())
        }
        Error::NotEnrolled => say!(
            lang,
            "Dispositivo non collegato: inserisci l'indirizzo e il codice del coordinamento",
            "Device not enrolled: enter the coordinators' address and code"
        ),
        Error::Sync(s) => sync(s, lang),
        Error::Unacknowledged { missing, sent } => say!(
            lang,
            "Il server non ha confermato {missing} riepiloghi su {sent}: restano in attesa",
            "The server did not acknowledge {missing} of {sent} summaries: they stay pending",
            missing = missing,
            sent = sent
        ),
        Error::StuckPending => say!(
            lang,
            "Alcuni riepiloghi restano in attesa anche se il server li ha confermati",
            "Some summaries stay pending although the server acknowledged them"
        ),
        Error::BadAge(a) => say!(lang, "Età non valida: {a}", "Invalid age: {a}", a = a),
        Error::NoCsv { report } => say!(
            lang,
            "{report} si stampa come testo o JSON, non CSV",
            "{report} is printed as text or JSON, not CSV",
            report = report
        ),
    }
}

fn unlock(e: &UnlockError, lang: Lang) -> String {
    match e {
        UnlockError::TooShort => say!(
            lang,
            "Il PIN deve avere almeno {n} cifre (solo numeri), oppure una frase di almeno {c} caratteri",
            "The PIN must have at least {n} digits (numbers only), or be a passphrase of at least {c} characters",
            n = PIN_MIN_DIGITS,
            c = PASSPHRASE_MIN_CHARS
        ),
        UnlockError::MustChange => say!(
            lang,
            "Questo PIN è più corto di {n} cifre: scegline uno nuovo per continuare",
            "This PIN is shorter than {n} digits: choose a new one to go on",
            n = PIN_MIN_DIGITS
        ),
        UnlockError::Mismatch => say!(lang, "I due PIN non coincidono", "The two PINs differ"),
        UnlockError::Wrong => say!(lang, "PIN errato", "Wrong PIN"),
        UnlockError::Wait(s) => say!(
            lang,
            "Troppi tentativi: riprova tra {s} secondi",
            "Too many attempts: try again in {s} seconds",
            s = s
        ),
    }
}

/// A value outside a range of the rules: what it is (Italian, English), the range, and
/// the value given when there is one.
fn out_of_range<T: std::fmt::Display>(
    lang: Lang,
    what: (&str, &str),
    range: &RangeInclusive<T>,
    given: Option<&dyn std::fmt::Display>,
) -> String {
    let (lo, hi) = (range.start(), range.end());
    let given = given.map(|g| g.to_string());
    match (lang, given) {
        (Lang::It, None) => format!("{}: da {lo} a {hi}", what.0),
        (Lang::It, Some(g)) => format!("{}: da {lo} a {hi}, non {g}", what.0),
        (Lang::En, None) => format!("{}: {lo} to {hi}", what.1),
        (Lang::En, Some(g)) => format!("{}: {lo} to {hi}, not {g}", what.1),
    }
}

/// A field rule's violation in the worker's language.
pub fn violation(v: &Violation, lang: Lang) -> String {
    match v {
        Violation::TeamSize => out_of_range(lang, ("Operatori in squadra", "Workers in a team"), &TEAM_SIZE, None),
        Violation::Operators => out_of_range(lang, ("Operatori della sessione", "Operators"), &TEAM_SIZE, None),
        Violation::PeoplePerTap(n) => {
            out_of_range(lang, ("Persone registrate insieme", "People recorded at once"), &PEOPLE_PER_TAP, Some(n))
        }
        Violation::MassageVisit(n) => {
            out_of_range(lang, ("Persone in una visita", "Persons in a visit"), &MASSAGE_VISIT_PERSONS, Some(n))
        }
        Violation::DeclaredAge(a) => out_of_range(lang, ("Età dichiarata", "Declared age"), &DECLARED_AGE, Some(a)),
        Violation::IdleLock => {
            out_of_range(lang, ("Minuti di blocco automatico", "Idle lock minutes"), &IDLE_LOCK_MINUTES, None)
        }
        Violation::ComuneNotInProvince { comune, province } => say!(
            lang,
            "{comune} non è in provincia di {province}",
            "{comune} is not in the province of {province}",
            comune = comune,
            province = province
        ),
        Violation::Site => say!(
            lang,
            "Scegli un sito dall'elenco (al massimo {n} caratteri)",
            "Pick a site from the list (at most {n} characters)",
            n = SITE_NAME_MAX
        ),
        Violation::Sites => say!(
            lang,
            "Serve almeno un sito di annunci, ciascuno di al massimo {n} caratteri",
            "Give at least one ad site, each up to {n} characters",
            n = SITE_NAME_MAX
        ),
        Violation::PersonName => say!(
            lang,
            "Un nome breve o codice ha al massimo {n} caratteri",
            "A short name or code has at most {n} characters",
            n = PERSON_NAME_MAX
        ),
        Violation::PersonCode => say!(
            lang,
            "Un codice persona ha da 1 a {n} caratteri tra A-Z a-z 0-9 _ -",
            "A person code is 1 to {n} of A-Z a-z 0-9 _ -",
            n = PERSON_CODE_MAX
        ),
        Violation::SamePerson => {
            say!(lang, "Scegli due persone diverse da unire", "Pick two different persons to merge")
        }
        Violation::IndoorIsNotAnOuting => say!(
            lang,
            "Il lavoro indoor si registra nelle sessioni indoor, non nelle uscite",
            "Indoor work is recorded in indoor sessions, not outings"
        ),
        Violation::CellOverLimit => say!(
            lang,
            "Un conteggio di un'uscita o sessione arriva al massimo a {n}",
            "One count of an outing or session reaches at most {n}",
            n = crate::domain::rules::COUNT_PER_CELL_MAX
        ),
        Violation::DateOutOfRange => say!(
            lang,
            "La data deve cadere tra il {y} e domani",
            "The date must fall between {y} and tomorrow",
            y = crate::domain::rules::DATE_YEARS.start()
        ),
    }
}

fn domain(e: &DomainError, lang: Lang) -> String {
    match e {
        DomainError::Rule(v) => violation(v, lang),
        DomainError::Unknown { what, value, .. } => {
            say!(
                lang,
                "Valore sconosciuto per {what}: «{value}»",
                "Unknown {what}: '{value}'",
                what = what,
                value = value
            )
        }
        DomainError::Invalid { what, .. } => {
            say!(lang, "Valore non valido: {what}", "Invalid value: {what}", what = what)
        }
    }
}

fn store(e: &StoreError, lang: Lang) -> String {
    match e {
        StoreError::WrongKey { .. } => say!(lang, "PIN errato", "Wrong PIN"),
        StoreError::NotLanterna { path, .. } => say!(
            lang,
            "{path} non è un archivio Lanterna (nulla è stato cambiato)",
            "{path} is not a Lanterna database (nothing was changed)",
            path = path.display()
        ),
        StoreError::TooNew { path, .. } => say!(
            lang,
            "{path} è stato scritto da una versione più recente: aggiorna l'app",
            "{path} was written by a newer version: update the app",
            path = path.display()
        ),
        StoreError::Missing { path } => {
            say!(lang, "Nessun archivio Lanterna in {path}", "No Lanterna database at {path}", path = path.display())
        }
        StoreError::Io { path, .. } => say!(
            lang,
            "Il sistema non permette di leggere o scrivere {path}",
            "The system refused to read or write {path}",
            path = path.display()
        ),
        StoreError::NotFound { what, id } => pick(
            lang,
            format!("{} non trovato (id {id}): forse è stato annullato o cancellato", entity(*what)),
            format!("No {what} with id {id}: it may have been undone or deleted"),
        ),
        StoreError::Closed { what: Record::Outing } => say!(
            lang,
            "Questa uscita è chiusa: riaprila per correggerla",
            "This outing is closed: reopen it to correct it"
        ),
        StoreError::Closed { what: Record::Session } => say!(
            lang,
            "Questa sessione è chiusa: riaprila per correggerla",
            "This session is closed: reopen it to correct it"
        ),
        StoreError::NoKey => say!(lang, "Un archivio in memoria non ha PIN", "An in-memory database has no PIN"),
        StoreError::NoRandomness(_) => say!(
            lang,
            "Il sistema non fornisce numeri casuali per la chiave: riprova",
            "The system gave no randomness for the key: try again"
        ),
        StoreError::NoStops { .. } => say!(
            lang,
            "Un'uscita senza tappe non ha provincia: aggiungi una tappa",
            "An outing without stops has no province: add a stop"
        ),
        StoreError::AlreadyImported { when } => say!(
            lang,
            "Questo file è già stato importato il {when}: nulla è stato importato di nuovo",
            "This file was already imported on {when}; nothing was imported again",
            when = when
        ),
        StoreError::Domain(d) => domain(d, lang),
        StoreError::Sqlite(_) => {
            say!(lang, "Errore dell'archivio: nulla è stato registrato", "Database error: nothing was recorded")
        }
    }
}

/// A kind of record, in Italian.
fn entity(e: Entity) -> &'static str {
    match e {
        Entity::Outing => "Uscita",
        Entity::Stop => "Tappa",
        Entity::Contact => "Contatto",
        Entity::IndoorSession => "Sessione indoor",
        Entity::Ad => "Annuncio",
        Entity::Attempt => "Chiamata",
        Entity::Meeting => "Incontro",
        Entity::Person => "Persona",
        Entity::Interview => "Colloquio",
        Entity::HelplineReport => "Segnalazione del Numero Verde",
        Entity::InfoSession => "Incontro informativo",
    }
}

fn sync(e: &SyncError, lang: Lang) -> String {
    match e {
        SyncError::BadUrl { url } => say!(
            lang,
            "«{url}» non è l'indirizzo http(s) di un server",
            "'{url}' is not the http(s) address of a server",
            url = url
        ),
        SyncError::Unreachable { .. } => say!(
            lang,
            "Server non raggiungibile: i riepiloghi restano in attesa e partono appena possibile",
            "Server unreachable: the summaries wait and go as soon as possible"
        ),
        SyncError::Revoked => say!(
            lang,
            "Il server non accetta più questo dispositivo: chiedi un nuovo codice",
            "The server no longer accepts this device: ask for a new code"
        ),
        SyncError::Refused { status, .. } => say!(
            lang,
            "Il server ha rifiutato l'invio (codice {status})",
            "The server refused the upload (status {status})",
            status = status
        ),
        SyncError::Closed { closed, closed_persons } => say!(
            lang,
            "Il coordinatore ha chiuso il periodo: {n} riepiloghi restano in attesa finché non lo riapre",
            "The coordinator closed the period: {n} summaries wait until it is reopened",
            n = closed.len() + closed_persons.len()
        ),
        SyncError::BadAnswer { .. } => say!(
            lang,
            "Il server ha risposto in un modo che l'app non capisce: i riepiloghi restano in attesa",
            "The server answered in a way this app does not understand: the summaries stay pending"
        ),
        SyncError::PlainHttp { host } => say!(
            lang,
            "{host} usa http:// senza cifratura: aggiungilo in Impostazioni tra gli indirizzi http ammessi, o usa https://",
            "{host} uses http:// without encryption: add it to the allowed http addresses in Settings, or use https://",
            host = host
        ),
        SyncError::Redirected { status, location } => say!(
            lang,
            "Il server rimanda altrove ({status} verso «{location}»): controlla l'indirizzo, nulla è stato inviato lì",
            "The server redirects elsewhere ({status} to '{location}'): check the address, nothing was sent there",
            status = status,
            location = location
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::domain::Province;

    /// One error of every kind a screen can show.
    fn samples() -> Vec<Error> {
        let file = PathBuf::from("x.csv");
        let bs = Province::parse("BS").expect("a province");
        vec![
            Error::Locked,
            UnlockError::TooShort.into(),
            UnlockError::MustChange.into(),
            UnlockError::Mismatch.into(),
            UnlockError::Wrong.into(),
            UnlockError::Wait(4).into(),
            DomainError::from(Violation::TeamSize).into(),
            DomainError::from(Violation::PeoplePerTap(600)).into(),
            DomainError::from(Violation::MassageVisit(0)).into(),
            DomainError::from(Violation::DeclaredAge(12)).into(),
            DomainError::from(Violation::ComuneNotInProvince { comune: "Lodi".into(), province: bs }).into(),
            DomainError::from(Violation::Site).into(),
            DomainError::from(Violation::Sites).into(),
            DomainError::from(Violation::IdleLock).into(),
            DomainError::from(Violation::IndoorIsNotAnOuting).into(),
            DomainError::from(Violation::CellOverLimit).into(),
            DomainError::from(Violation::DateOutOfRange).into(),
            SyncError::PlainHttp { host: "10.0.0.1".into() }.into(),
            SyncError::Redirected { status: 307, location: "https://x".into() }.into(),
            StoreError::WrongKey { path: file.clone() }.into(),
            StoreError::Missing { path: file.clone() }.into(),
            StoreError::NotFound { what: Entity::Outing, id: "1".into() }.into(),
            StoreError::Closed { what: Record::Outing }.into(),
            StoreError::Closed { what: Record::Session }.into(),
            StoreError::NoStops { outing: uuid::Uuid::nil() }.into(),
            StoreError::AlreadyImported { when: "01/02/2024 10:00".into() }.into(),
            DomainError::from(Violation::Operators).into(),
            Error::Read { file: file.clone(), source: std::io::Error::other("gone") },
            Error::NotEnrolled,
            SyncError::BadUrl { url: "ftp://x".into() }.into(),
            SyncError::Unreachable { url: "https://x".into(), why: "timeout".into() }.into(),
            SyncError::Revoked.into(),
            SyncError::Refused { status: 409, message: "conflict".into() }.into(),
            SyncError::BadAnswer { why: "eof".into() }.into(),
            SyncError::Closed { closed: vec![uuid::Uuid::nil()], closed_persons: Vec::new() }.into(),
            Error::Unacknowledged { missing: 2, sent: 200 },
            Error::StuckPending,
            Error::BadAge("venti".into()),
            Error::NoCsv { report: "indoor-stats" },
        ]
    }

    #[test]
    fn every_error_is_said_in_both_languages() {
        for e in samples() {
            let (it, en) = (message(&e, Lang::It), message(&e, Lang::En));
            assert!(!it.is_empty() && !en.is_empty(), "{e:?}");
            assert_ne!(it, en, "{e:?} is not translated");
        }
    }

    #[test]
    fn numbers_come_from_the_rules() {
        let it = message(&DomainError::from(Violation::PeoplePerTap(600)).into(), Lang::It);
        assert_eq!(it, "Persone registrate insieme: da 1 a 500, non 600");
        let en = message(&DomainError::from(Violation::TeamSize).into(), Lang::En);
        assert_eq!(en, "Workers in a team: 1 to 50");
        assert_eq!(message(&UnlockError::Wait(4).into(), Lang::It), "Troppi tentativi: riprova tra 4 secondi");
    }
}
