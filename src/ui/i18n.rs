//! Every string the views show, in Italian and English: one table, no text in the views.
//! Code labels (nationalities, genders, items, services, age bands) come from the domain.

use crate::domain::Lang;

macro_rules! strings {
    ($( $key:ident => $it:literal, $en:literal; )+) => {
        /// A string of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T { $( #[doc = concat!("«", $it, "» / «", $en, "»")] $key, )+ }

        impl T {
            /// Every string, for the completeness test.
            pub const ALL: &'static [T] = &[$(T::$key),+];

            /// The string in a language.
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $( (T::$key, Lang::It) => $it, (T::$key, Lang::En) => $en, )+
                }
            }
        }
    };
}

strings! {
    AppName => "Lanterna", "Lanterna";
    PinChoose => "Scegli un PIN di almeno 8 cifre o una frase di almeno 12 caratteri", "Choose a PIN of at least 8 digits or a passphrase of at least 12 characters";
    PinRepeat => "Ripeti il PIN", "Repeat the PIN";
    PinEnter => "Inserisci il PIN", "Enter the PIN";
    PinTooShort => "Il PIN deve avere almeno 8 cifre (solo numeri), oppure una frase di almeno 12 caratteri", "The PIN must have at least 8 digits (numbers only), or be a passphrase of at least 12 characters";
    PinMismatch => "I due PIN non coincidono", "The two PINs differ";
    PinWrong => "PIN errato", "Wrong PIN";
    PinWait => "Troppi tentativi: riprova tra", "Too many attempts: try again in";
    Seconds => "secondi", "seconds";
    Unlock => "Sblocca", "Unlock";
    CreateDb => "Crea l'archivio cifrato", "Create the encrypted store";
    Unlocking => "Verifica…", "Checking…";
    Hide => "Nascondi", "Hide";
    HiddenTitle => "Calcolatrice", "Calculator";
    Lock => "Blocca", "Lock";
    StartDay => "Uscita diurna", "Day outing";
    StartNight => "Uscita notturna", "Night outing";
    Suggested => "consigliata", "suggested";
    Street => "Strada", "Street";
    Labour => "Lavoro / accattonaggio", "Labour / begging";
    LabourShort => "Lavoro", "Labour";
    Desk => "Sportello", "Desk";
    InfoSessions => "Sensibilizzazione", "Info sessions";
    Resume => "Riprendi l'uscita aperta", "Resume the open outing";
    PastOutings => "Uscite", "Outings";
    NoOutings => "Nessuna uscita registrata", "No outings yet";
    Day => "Diurna", "Day";
    Night => "Notturna", "Night";
    Open => "aperta", "open";
    Closed => "chiusa", "closed";
    Reopen => "Riapri", "Reopen";
    ReviewApproved => "approvata", "approved";
    ReviewReturned => "restituita", "returned";
    ReviewCorrected => "corretta, da inviare", "corrected, to be sent";
    ReviewClosed => "periodo chiuso dal coordinatore", "period closed by the coordinator";
    People => "persone", "people";
    Settings => "Impostazioni", "Settings";
    Back => "Indietro", "Back";
    Stop => "Tappa", "Stop";
    ChangeStop => "Cambia tappa", "Change stop";
    NewStop => "Nuova tappa", "New stop";
    SearchComune => "Comune (scrivi parte del nome)", "Comune (type part of the name)";
    StopLabel => "Etichetta (facoltativa, es. Via Milano)", "Label (optional, e.g. Via Milano)";
    AddStop => "Aggiungi tappa", "Add stop";
    RecentStops => "Tappe recenti", "Recent stops";
    Here => "Qui", "Here";
    HereFailed => "Posizione non disponibile: scegli il comune", "Position unavailable: pick the comune";
    HereOutside => "Posizione fuori dai comuni italiani", "Position outside Italian comuni";
    PickStopFirst => "Scegli prima la tappa", "Pick the stop first";
    Gender => "Genere", "Gender";
    Nationality => "Nazionalità", "Nationality";
    SearchNationality => "Cerca nazionalità", "Search nationality";
    PickGenderFirst => "Scegli prima il genere", "Pick the gender first";
    HowMany => "Quante persone", "How many people";
    Recorded => "Registrato", "Recorded";
    Undo => "Annulla ultimo", "Undo last";
    Undone => "Annullato", "Undone";
    NothingToUndo => "Niente da annullare", "Nothing to undo";
    Details => "Dettagli", "Details";
    Total => "Totale", "Total";
    DayOutings => "USCITE DIURNE", "DAY OUTINGS";
    NightOutings => "USCITE NOTTURNE", "NIGHT OUTINGS";
    EndOuting => "Termina uscita", "End outing";
    Summary => "Riepilogo dell'uscita", "Outing summary";
    ConfirmEnd => "Conferma e chiudi", "Confirm and close";
    KeepRecording => "Continua a registrare", "Keep recording";
    AgeBand => "Fascia d'età", "Age band";
    Contact => "Contatto", "Contact";
    FirstContact => "Primo contatto", "First contact";
    Known => "Già conosciuta", "Already known";
    Protection => "Protezione internazionale", "International protection";
    Items => "Materiale consegnato", "Items handed out";
    LeafletLanguage => "Lingua del materiale informativo", "Leaflet language";
    Services => "Servizi", "Services";
    Information => "Informazioni", "Information";
    Listening => "Colloquio di ascolto", "Listening talk";
    Referral => "Invio", "Referral";
    Accompaniment => "Accompagnamento", "Accompaniment";
    Save => "Salva", "Save";
    Saved => "Salvato", "Saved";
    Close => "Chiudi", "Close";
    UnitName => "Nome dell'unità", "Unit name";
    KitStreet => "Kit predefinito in strada (due tocchi)", "Default street kit (two taps)";
    KitLabour => "Kit predefinito lavoro / accattonaggio (due tocchi)", "Default labour / begging kit (two taps)";
    KitDesk => "Kit predefinito sportello (due tocchi)", "Default desk kit (two taps)";
    KitIndoor => "Kit predefinito per gli incontri indoor", "Default kit for indoor meetings";
    DayStarts => "Inizio turno diurno", "Day shift starts";
    NightStarts => "Inizio turno notturno", "Night shift starts";
    IdleLock => "Blocco dopo minuti di inattività", "Lock after idle minutes";
    PinChooseNew => "Questo PIN è troppo corto: scegline uno nuovo", "This PIN is too short: choose a new one";
    PinRule => "Almeno 8 cifre, oppure una frase di almeno 12 caratteri (anche spazi e lettere)", "At least 8 digits, or a passphrase of at least 12 characters (spaces and letters too)";
    CurrentPin => "PIN attuale", "Current PIN";
    DialerLogNote => "Chiamare o scrivere lascia il numero nel registro chiamate o nella chat del telefono: cancellalo dopo", "Calling or messaging leaves the number in the phone's call log or chat list: delete it afterwards";
    Language => "Lingua", "Language";
    Theme => "Tema", "Theme";
    Dark => "Scuro", "Dark";
    Light => "Chiaro", "Light";
    ChangePin => "Cambia PIN", "Change PIN";
    NewPin => "Nuovo PIN", "New PIN";
    PinChanged => "PIN cambiato", "PIN changed";
    Error => "Errore", "Error";
    Yes => "Sì", "Yes";
    No => "No", "No";
    Unknown => "Non noto", "Unknown";
    Minor => "Minore", "Minor";
    Nationalities => "Nazionalità", "Nationalities";
    OfWhich => "di cui", "of which";
    Minors => "minori", "minors";
    FirstContacts => "primi contatti", "first contacts";
    ProtectionShort => "protezione internazionale", "international protection";
    Province => "Provincia", "Province";
    Indoor => "Indoor", "Indoor";
    IndoorSessions => "Sessioni indoor", "Indoor sessions";
    NoSessions => "Nessuna sessione registrata", "No sessions yet";
    PickProvince => "Scegli la provincia degli annunci", "Pick the province of the ads";
    Operators => "Operatori", "Operators";
    OperatorsShort => "operatori", "operators";
    Mediator => "Mediatore/trice culturale (lingua)", "Cultural mediator (language)";
    StartIndoor => "Nuova sessione indoor", "New indoor session";
    ResumeSession => "Riprendi la sessione aperta", "Resume the open session";
    Ads => "Annunci", "Ads";
    AdsLower => "annunci", "ads";
    Calls => "Chiamate", "Calls";
    Messages => "messaggi", "messages";
    Contacts => "Contatti", "Contacts";
    ContactsShort => "contatti", "contacts";
    Met => "Incontrate", "Met";
    SessionClosed => "Sessione chiusa: riaprila per correggerla", "Session closed: reopen it to correct it";
    Site => "Sito", "Site";
    Sites => "Siti di annunci (separati da virgola)", "Ad sites (comma separated)";
    DeclaredNationality => "Nazionalità dichiarata", "Declared nationality";
    NotDeclared => "Non dichiarata", "Not declared";
    PhoneNumber => "Numero (solo per chiamare: non viene salvato)", "Number (to call only: never stored)";
    Age => "Età", "Age";
    BadAge => "Età non valida", "Invalid age";
    ComuneOptional => "Comune (facoltativo)", "Comune (optional)";
    RiskyServices => "Servizi a rischio", "Risky services";
    SaveAd => "Salva annuncio (Invio)", "Save ad (Enter)";
    AdSaved => "Annuncio salvato", "Ad saved";
    AttemptsShort => "tentativi", "attempts";
    CallIt => "Chiama", "Call";
    MetPerson => "Persona incontrata", "Person met";
    MeetingSaved => "Incontro registrato", "Meeting recorded";
    EndSession => "Chiudi sessione", "End session";
    SeenOn => "già visto il", "seen on";
    InAds => "in", "in";
    LikelyController => "probabile centralinista", "likely controller";
    NewNumber => "numero nuovo", "new number";
    MassageCentre => "Centro massaggi", "Massage centre";
    AddPersons => "Aggiungi persone contattate", "Add persons contacted";
    SyncTitle => "Sincronizzazione (solo conteggi anonimi)", "Sync (anonymous counts only)";
    SyncNow => "Sincronizza ora", "Sync now";
    SyncDone => "Sincronizzato: riepiloghi inviati", "Synced: summaries sent";
    LastSync => "Ultima sincronizzazione", "Last sync";
    NeverSynced => "Mai sincronizzato", "Never synced";
    Pending => "in attesa", "pending";
    HeldClosed => "fermi: periodo chiuso", "held: period closed";
    SyncNotEnrolled => "Dispositivo non collegato: inserisci l'indirizzo e il codice del coordinamento", "Device not enrolled: enter the coordinators' address and code";
    SyncOffline => "Server non raggiungibile: i riepiloghi restano in attesa e partono appena possibile", "Server unreachable: the summaries wait and go as soon as possible";
    SyncRevoked => "Il server non accetta più questo dispositivo: chiedi un nuovo codice", "The server no longer accepts this device: ask for a new code";
    SyncRefused => "Il server ha rifiutato l'invio", "The server refused the upload";
    Enroll => "Collega", "Enroll";
    Enrolled => "Dispositivo collegato", "Device enrolled";
    ReviewRefused => "rifiutata dal server", "refused by the server";
    HeldRefused => "rifiutati dal server", "refused by the server";
    RefusedTitle => "Rifiutati dal server: correggi l'uscita o la sessione per inviarla di nuovo", "Refused by the server: edit the outing or session to send it again";
    RefusedOuting => "Uscita", "Outing";
    RefusedSession => "Sessione indoor", "Indoor session";
    RefusedDeleted => "Eliminazione", "Deletion";
    HttpAllowed => "Indirizzi ammessi su http (host o host:porta)", "Addresses allowed over http (host or host:port)";
    HttpAllowedWarning => "Attenzione: su http i conteggi dell'unità viaggiano senza cifratura. Aggiungi solo indirizzi di una rete fidata.", "Warning: over http the unit's counts travel unencrypted. Add only addresses on a network you trust.";
    SaveHttpAllowed => "Salva indirizzi", "Save addresses";
    KnownHere => "Conosciuti qui", "Known here";
    SearchPerson => "Nome o codice", "Name or code";
    ShortName => "Nome breve o codice (solo su questo telefono)", "Short name or code (this phone only)";
    ShortNameHint => "es. Rosa, R12", "e.g. Rosa, R12";
    FirstMet => "Primo incontro", "First met";
    LastMet => "Ultimo", "Last";
    TimesMet => "Incontri", "Times met";
    SamePersonAs => "È la stessa persona di…", "Same person as…";
    MergedInto => "Stessa persona di", "Same person as";
    UndoMerge => "Annulla", "Undo";
    DataCredit => "Confini: ISTAT, Openpolis (CC BY 4.0)", "Boundaries: ISTAT, Openpolis (CC BY 4.0)";
    DeskComune => "Comune dello sportello", "Comune of the desk";
    StartDesk => "Apri sessione di sportello", "Open a desk session";
    PickDeskComune => "Scegli il comune dello sportello", "Pick the comune of the desk";
    DeskSessions => "Sessioni di sportello", "Desk sessions";
    Register => "Persone", "Persons";
    RegisterTitle => "Persone conosciute (solo su questo telefono)", "Persons known (this phone only)";
    NewPerson => "Nuova persona (incontrata allo sportello o al colloquio)", "New person (met at the desk or at an interview)";
    AddPerson => "Aggiungi persona", "Add person";
    Interview => "Colloquio", "Interview";
    NewInterview => "Nuovo colloquio", "New interview";
    Interviews => "Colloqui", "Interviews";
    NoInterviews => "Nessun colloquio registrato", "No interviews yet";
    InterviewDate => "Data del colloquio", "Date of the interview";
    InterviewKindLabel => "Tipo di colloquio", "Kind of interview";
    RequestDate => "Richiesta della Commissione ricevuta il", "Commissione's request received on";
    WhatBecameKnown => "Cosa è emerso (solo ciò che è cambiato)", "What became known (only what changed)";
    Verdict => "Esito dell'identificazione", "Identification outcome";
    TypologyLabel => "Tipologia di sfruttamento", "Form of exploitation";
    AdhesionLabel => "Adesione al programma di protezione", "Adhesion to the protection programme";
    ChannelLabel => "Canale di invio", "Intake channel";
    PlaceOfEmersion => "Luogo di emersione", "Place of emersion";
    Indicators => "Indicatori di tratta riscontrati", "Trafficking indicators found";
    SaveInterview => "Salva colloquio", "Save interview";
    InterviewSaved => "Colloquio registrato", "Interview recorded";
    StateToday => "Situazione attuale", "Current state";
    NothingKnown => "Nessun esito ancora", "No outcome yet";
    Delete => "Elimina", "Delete";
    Deleted => "Eliminato", "Deleted";
    Edit => "Modifica", "Edit";
    Outcomes => "Esiti del contatto", "Outcomes of the contact";
    Helpline => "Numero Verde", "Helpline";
    HelplineTitle => "Segnalazioni dal Numero Verde antitratta", "Reports from the anti-trafficking helpline";
    NewReport => "Nuova segnalazione", "New report";
    EditReport => "Modifica segnalazione", "Edit report";
    NoReports => "Nessuna segnalazione registrata", "No reports yet";
    ReportDate => "Data della segnalazione", "Date of the report";
    NewOrKnown => "Persona", "Person";
    NewToUs => "Nuova", "New";
    SourceLabel => "Chi ha chiamato", "Who called";
    HelpRequested => "Aiuto richiesto", "Help requested";
    OutcomeLabel => "Esito", "Outcome";
    SaveReport => "Salva segnalazione", "Save report";
    BadDate => "Data non valida", "Invalid date";
    Requests => "Richieste", "Requests";
    MediatorShort => "mediazione in", "mediator in";
    // Issue 15, emersion total and age (protection on every kind of contact).
    ReachedProtection => "Richiedente o titolare di protezione", "Asylum seeker or protection holder";
    MassageProtection => "Richiedenti o titolari di protezione", "Asylum seekers or protection holders";
    // Issue 15, team part: the team row, presences and the outing diary.
    Team => "Équipe", "Team";
    TeamMediator => "Mediatore/trice", "Mediator";
    TeamMediatorLanguage => "Lingua del mediatore", "Mediator's language";
    TeamLegal => "Operatore legale", "Legal operator";
    Presences => "Presenze (viste, non avvicinate)", "Presences (seen, not approached)";
    Diary => "Diario", "Diary";
    DiaryWarning => "Nessun nome, numero di telefono o indirizzo: il diario resta sul telefono", "No names, phone numbers or addresses: the diary stays on the phone";
    DiaryPlaceholder => "Osservazioni: nuove nazionalità, violenze, ricambio…", "Observations: new nationalities, violence, turnover…";
    DiarySave => "Salva nota", "Save note";
    DiaryEmpty => "Nessuna nota per questa uscita", "No notes for this outing";
    // Issue 15, labour sectors and mapping nights.
    Sector => "Settore", "Sector";
    SettingOfPlace => "Luogo", "Setting";
    JointInspection => "Ispezione congiunta (Ispettorato del lavoro)", "Joint inspection (labour inspectorate)";
    MappingNight => "Mappatura nazionale", "National mapping";
    MappingTonight => "Stanotte è una notte di mappatura nazionale: le uscite in strada ne fanno parte", "Tonight is a national mapping night: street outings are part of it";
    MappingDates => "Notti di mappatura nazionale", "National mapping nights";
    MappingAdd => "Aggiungi", "Add";
    MappingFromServer => "dal coordinamento", "from the coordinators";
    Remove => "Rimuovi", "Remove";
    // Informative sessions and message campaigns (issue 15, i15-sessions).
    NewSession => "Nuovo incontro informativo", "New informative session";
    EditSession => "Modifica incontro", "Edit session";
    SessionHeadCountsOnly => "Solo numeri: nessun nome", "Head counts only: no names";
    SessionDate => "Data", "Date";
    SessionPlaceLabel => "Luogo", "Place";
    PickSessionPlace => "Scegli il luogo dell'incontro", "Pick where the session was held";
    SessionThemes => "Temi", "Themes";
    SessionLanguages => "Lingue", "Languages";
    MoreLanguages => "Altre lingue", "More languages";
    Participants => "Partecipanti", "Participants";
    OfWhomProtection => "di cui richiedenti asilo o titolari di protezione", "of whom asylum seekers or protection holders";
    SaveSession => "Salva incontro", "Save session";
    DeleteSession => "Elimina incontro", "Delete session";
    ConfirmDeleteSession => "Conferma eliminazione", "Confirm deletion";
    SessionsHeld => "Incontri svolti", "Sessions held";
    NoInfoSessions => "Nessun incontro registrato", "No sessions yet";
    CampaignLabel => "Campagna", "Campaign";
    CampaignLanguage => "Lingua del messaggio", "Message language";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_exists_in_both_languages() {
        for t in T::ALL {
            assert!(!t.get(Lang::It).is_empty() && !t.get(Lang::En).is_empty(), "{t:?}");
        }
    }
}
