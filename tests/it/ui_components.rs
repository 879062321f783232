//! Component tests: the app's VirtualDom driven by events, its DOM read back from the
//! mutations (tests/it/common/minidom.rs) and rendered with dioxus-ssr; every tap checked
//! against the encrypted store it must have reached before the screen says so.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::minidom::Screen;
use dioxus::prelude::*;
use lanterna::domain::rules::{EVENTS_PER_STEP_MAX, PERSON_NAME_MAX};
use lanterna::domain::tables::Mft;
use lanterna::domain::{
    Activity, AgeBand, EventKind, Gender, ItemKey, ItemKind, Lang, Nationality, ServiceKind, ServiceSubtype,
};
use lanterna::store::Store;
use lanterna::ui::components::{Chip, ChipGroup, NationalityPicker, Stepper};
use lanterna::ui::{App, Vault};
use uuid::Uuid;

const PIN: &str = "24681357";

struct Phone {
    screen: Screen,
    shared: Arc<Vault>,
    db: PathBuf,
    _dir: tempfile::TempDir,
}

impl Phone {
    /// The app on a fresh data directory.
    fn new() -> Phone {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("lanterna.db");
        let shared = Vault::new(db.clone());
        let vdom = VirtualDom::new(App).with_root_context(shared.clone());
        Phone { screen: Screen::new(vdom), shared, db, _dir: dir }
    }

    /// First launch: choose the PIN twice.
    fn create(&mut self) {
        let s = &mut self.screen;
        s.input("#pin", PIN);
        s.input("#pin2", PIN);
        s.click("#unlock");
        assert!(s.dom.exists("#start-night"), "home after the PIN: {}", s.html());
    }

    /// The app on a fresh data directory, past the first launch.
    fn unlocked() -> Phone {
        let mut p = Phone::new();
        p.create();
        p
    }

    /// A new night outing with a stop in Brescia.
    fn night_outing_in_brescia(&mut self) -> Uuid {
        let s = &mut self.screen;
        s.click("#start-night");
        s.input("#comune-search", "bresc");
        s.click("button.comune-option[data-code=017029]");
        s.input("#stop-label", "Via Milano");
        s.click("#add-stop");
        assert_eq!(s.dom.text("#current-stop"), "Brescia (BS)");
        let id = s.dom.attr_of("section.outing", "data-outing").expect("the outing id");
        id.parse().expect("a uuid")
    }

    fn tap(&mut self, gender: &str, nat: &str) {
        self.screen.click(&format!("#g-{gender}"));
        assert_eq!(self.screen.dom.attr_of(&format!("#g-{gender}"), "aria-pressed").as_deref(), Some("true"));
        self.screen.click(&format!("button.nat[data-code={nat}]"));
    }

    fn shown(&self) -> [u64; 4] {
        ["#total", "#total-M", "#total-F", "#total-T"].map(|s| self.screen.dom.text(s).parse().expect("a count"))
    }

    /// What the store holds for the outing, read through the app's own open store.
    fn stored(&self, id: Uuid) -> Mft {
        self.shared.with(|s| s.outing_totals(id)).expect("unlocked").expect("totals")
    }
}

fn assert_same(phone: &Phone, id: Uuid) {
    let m = phone.stored(id);
    assert_eq!(phone.shown(), [m.total(), m.m, m.f, m.t], "the screen shows what the store holds");
}

#[tokio::test]
async fn the_lock_screen_refuses_bad_pins_changes_nothing_and_slows_down() {
    let mut p = Phone::new();
    let s = &mut p.screen;
    assert!(s.dom.exists("#pin2"), "first launch asks for the PIN twice");
    assert!(s.html().contains("lang=\"it\""), "Italian by default");

    // Too short (six digits were enough once), not digits and too short for a passphrase,
    // or the two differ: said, and no database is created.
    for (a, b) in [("12345", "12345"), ("123456", "123456"), ("abcdefgh", "abcdefgh"), ("24681357", "24681358")] {
        s.input("#pin", a);
        s.input("#pin2", b);
        s.click("#unlock");
        assert!(s.dom.exists("#lock-message"), "{a}/{b}: {}", s.html());
        assert!(!p.db.exists(), "{a}/{b} created the database");
    }
    p.create();
    let s = &mut p.screen;
    s.click("#lock");
    assert!(!s.dom.exists("#pin2"), "a later launch asks once");
    assert!(p.shared.with(|_| ()).is_none(), "locking closes the store");
    let before = std::fs::read(&p.db).unwrap();

    // Wrong PINs: said each time, nothing changes; after three, a wait.
    for _ in 0..3 {
        s.input("#pin", "999999");
        s.click("#unlock");
        assert_eq!(s.dom.text("#lock-message"), "PIN errato");
    }
    s.input("#pin", PIN);
    s.click("#unlock");
    assert!(s.dom.text("#lock-message").starts_with("Troppi tentativi"), "{}", s.html());
    assert!(s.dom.exists("#pin"), "still locked during the wait");
    assert_eq!(std::fs::read(&p.db).unwrap(), before, "wrong PINs leave the file as it was");

    tokio::time::sleep(Duration::from_millis(1100)).await;
    s.input("#pin", PIN);
    s.click("#unlock");
    assert!(s.dom.exists("#start-night"), "the right PIN after the wait opens: {}", s.html());

    // Hide: a neutral screen that says nothing about the app; a tap leads to the PIN.
    s.click("#hide");
    assert!(s.dom.exists("#hidden"));
    let visible = s.dom.text("#app");
    for word in ["Lanterna", "Uscit", "PIN", "Blocca", "Nascondi"] {
        assert!(!visible.contains(word), "the hidden screen shows {word}: {visible}");
    }
    assert!(p.shared.with(|_| ()).is_none(), "hiding locks the store");
    s.click("#hidden");
    assert!(s.dom.exists("#pin"));
}

#[tokio::test]
async fn two_taps_record_a_person_and_undo_takes_back_the_last() {
    let mut p = Phone::unlocked();
    let id = p.night_outing_in_brescia();
    assert_eq!(p.shown(), [0, 0, 0, 0]);

    // Nationality before gender records nothing.
    p.screen.click("button.nat[data-code=RO]");
    assert_eq!(p.stored(id).total(), 0);

    p.tap("F", "RO");
    p.tap("F", "NG");
    p.tap("T", "BR");
    assert_eq!(p.shown(), [3, 0, 2, 1]);
    assert_same(&p, id);
    assert_eq!(p.screen.dom.attr_of("#g-F", "aria-pressed").as_deref(), Some("false"), "gender resets after a person");
    assert!(p.screen.dom.text("#toast").contains("Brasile"), "{}", p.screen.html());

    // The nationality by search.
    p.screen.click("#g-M");
    p.screen.input("#nat-search", "marocc");
    p.screen.click("button.nat-option[data-code=MA]");
    assert_eq!(p.shown(), [4, 1, 2, 1]);

    p.screen.click("#undo");
    assert_eq!(p.shown(), [3, 0, 2, 1]);
    assert_same(&p, id);
    p.screen.click("#undo");
    assert_eq!(p.shown(), [2, 0, 2, 0]);
    let left: Vec<String> = p
        .shared
        .with(|s| s.contacts_of_outing(id))
        .unwrap()
        .unwrap()
        .iter()
        .map(|c| c.data.nationality.code().to_owned())
        .collect();
    assert_eq!(left, ["RO", "NG"], "undo takes back the last ones, in order");
}

#[tokio::test]
async fn plus_n_by_the_number_field_and_by_a_long_press() {
    let mut p = Phone::unlocked();
    let id = p.night_outing_in_brescia();

    p.screen.input("#count-n", "3");
    p.tap("F", "NG");
    assert_eq!(p.shown(), [3, 0, 3, 0]);
    assert_eq!(p.screen.dom.attr_of("#count-n", "value").as_deref(), Some("1"), "the field goes back to 1");

    // A long press asks how many instead of recording one.
    p.screen.click("#g-M");
    p.screen.pointer_down("button.nat[data-code=AL]");
    tokio::time::sleep(Duration::from_millis(600)).await;
    p.screen.click("button.nat[data-code=AL]");
    assert_eq!(p.shown(), [3, 0, 3, 0], "a long press records nothing yet");
    p.screen.input("#count-n", "4");
    p.screen.click("button.nat[data-code=AL]");
    assert_eq!(p.shown(), [7, 4, 3, 0]);
    assert_same(&p, id);

    // Out of range is clamped, never a panic.
    p.screen.input("#count-n", "100000");
    p.tap("T", "BR");
    assert_eq!(p.stored(id).t, 500);
    // One undo takes back one person of the group.
    p.screen.click("#undo");
    assert_eq!(p.stored(id).t, 499);
    assert_same(&p, id);
}

#[tokio::test]
async fn the_detail_sheet_prefills_the_kit_and_saves_the_person() {
    let mut p = Phone::unlocked();
    let id = p.night_outing_in_brescia();
    assert!(p.screen.dom.attr_of("#details", "disabled").is_some(), "no person yet, no details");
    p.tap("F", "RO");
    p.screen.click("#details");
    let s = &mut p.screen;
    assert!(s.dom.exists("#detail-sheet"));
    // The default kit, pre-filled.
    let kit = lanterna::domain::settings::Settings::default().kits.street.0;
    let condoms = kit.get(ItemKey::plain(ItemKind::Condoms));
    assert_eq!(s.dom.attr_of("input[data-item=condoms]", "value"), Some(condoms.to_string()));

    s.click("button[data-age=minor]");
    assert!(s.dom.has_class("button[data-age=minor]", "on"), "the choice shows");
    s.click("button[data-first=yes]");
    s.input("input[data-item=condoms]", "5");
    s.input("input[data-event=listening]", "2");
    s.input("input[data-event='referral.health']", "1");
    assert!(!s.dom.exists("button[data-event=accompaniment][data-subtype=sti_test]"), "sub-types once counted");
    s.input("input[data-event='accompaniment.health']", "3");
    s.click("button[data-event=accompaniment][data-subtype=sti_test]");
    assert!(s.dom.has_class("button[data-event=accompaniment][data-subtype=sti_test]", "on"));
    s.input("input[data-event='accompaniment.legal']", "99");
    assert_eq!(
        s.dom.attr_of("input[data-event='accompaniment.legal']", "value"),
        Some(EVENTS_PER_STEP_MAX.to_string()),
        "a stepper stops at its rule"
    );
    s.input("input[data-event='accompaniment.legal']", "1");
    s.click("#save-details");
    assert!(!s.dom.exists("#detail-sheet"), "saving closes the sheet");

    let c = p.shared.with(|s| s.contacts_of_outing(id)).unwrap().unwrap();
    assert_eq!(c.len(), 1);
    let d = &c[0].data;
    assert_eq!((d.gender, d.age_band, d.first_contact), (Gender::F, Some(AgeBand::Minor), Some(true)));
    assert_eq!(d.items.get(ItemKey::plain(ItemKind::Condoms)), 5);
    assert_eq!(d.items.get(ItemKey::plain(ItemKind::Lubricant)), kit.get(ItemKey::plain(ItemKind::Lubricant)));
    let sv = &d.services;
    assert!(!sv.information);
    assert_eq!(sv.count(EventKind::Listening, None), 2);
    assert_eq!(sv.count(EventKind::Referral, Some(ServiceKind::Health)), 1);
    assert_eq!(sv.count(EventKind::Referral, Some(ServiceKind::Legal)), 0);
    assert_eq!(sv.count(EventKind::Accompaniment, Some(ServiceKind::Health)), 3, "three events, one sub-type said");
    assert_eq!(sv.subtypes(EventKind::Accompaniment, ServiceKind::Health), [ServiceSubtype::StiTest]);
    assert_eq!(sv.count(EventKind::Accompaniment, Some(ServiceKind::Legal)), 1);

    // Closing without saving changes nothing.
    p.screen.click("#details");
    p.screen.input("input[data-item=condoms]", "9");
    p.screen.click("#close-details");
    let c = p.shared.with(|s| s.contacts_of_outing(id)).unwrap().unwrap();
    assert_eq!(c[0].data.items.get(ItemKey::plain(ItemKind::Condoms)), 5);

    // The record survives a lock: it is in the file, not in the screen.
    p.screen.click("#lock");
    let store = Store::open_existing(&p.db, PIN).unwrap();
    assert_eq!(store.contacts_of_outing(id).unwrap()[0].data.age_band, Some(AgeBand::Minor));
}

#[tokio::test]
async fn settings_are_saved_and_a_new_pin_rekeys_the_database() {
    let mut p = Phone::unlocked();
    let s = &mut p.screen;
    assert!(s.dom.has_class("#app", "dark"), "dark by default");
    s.click("#open-settings");
    s.input("#unit-name", "Unità di strada Brescia");
    s.input("[data-activity=street] input[data-kit=condoms]", "6");
    s.input("[data-activity=labour] input[data-kit=food]", "2");
    s.change("#language", "en");
    s.change("#theme", "light");
    s.input("#night-starts", "21:30");
    s.click("#save-settings");
    assert!(s.dom.has_class("#app", "light"));
    assert!(s.dom.text("#start-night").starts_with("Night outing"), "English: {}", s.dom.text("#start-night"));
    let saved = p.shared.with(|s| s.settings()).unwrap().unwrap();
    assert_eq!(saved.kit_for(Activity::Street).0.get(ItemKey::plain(ItemKind::Condoms)), 6);
    assert_eq!(saved.kit_for(Activity::Labour).0.get(ItemKey::plain(ItemKind::Food)), 2, "each activity its kit");
    assert_eq!(saved.kit_for(Activity::Labour).0.get(ItemKey::plain(ItemKind::Condoms)), 0);
    assert_eq!(saved.kit_for(Activity::Indoor), &lanterna::domain::Kit::default(), "untouched");
    assert_eq!(saved.shift_boundary.night_starts.format("%H:%M").to_string(), "21:30");
    assert_eq!(saved.unit_name, "Unità di strada Brescia");

    // A bad boundary is refused and nothing is saved.
    s.click("#open-settings");
    s.input("#night-starts", "25:00");
    s.click("#save-settings");
    assert!(s.dom.exists("#error"), "{}", s.html());
    assert_eq!(p.shared.with(|s| s.settings()).unwrap().unwrap(), saved);

    // A new PIN, typed twice after the current one; a mismatch or a wrong current PIN
    // changes nothing.
    s.input("#current-pin", PIN);
    s.input("#new-pin", "13572468");
    s.input("#new-pin2", "13572469");
    s.click("#change-pin");
    assert!(Store::open_existing(&p.db, PIN).is_ok(), "a mismatch keeps the old PIN");
    s.input("#current-pin", "99999999");
    s.input("#new-pin2", "13572468");
    s.click("#change-pin");
    assert!(s.dom.exists("#error"), "a wrong current PIN is said: {}", s.html());
    assert!(Store::open_existing(&p.db, PIN).is_ok(), "a wrong current PIN keeps the old PIN");
    s.input("#current-pin", PIN);
    s.click("#change-pin");
    s.click("#lock");
    assert!(Store::open_existing(&p.db, PIN).is_err(), "the old PIN no longer opens the file");
    s.input("#pin", PIN);
    s.click("#unlock");
    assert!(s.dom.exists("#lock-message"));
    s.input("#pin", "13572468");
    s.click("#unlock");
    assert!(s.dom.exists("#start-night"), "the new PIN opens: {}", s.html());
    assert!(s.dom.text("#app").contains("Night outing"), "the language survives the lock");
}

#[tokio::test]
async fn an_indoor_session_records_ads_attempts_and_meetings() {
    let mut p = Phone::unlocked();
    let s = &mut p.screen;
    s.click("button[data-activity=indoor]");
    assert!(s.dom.find("nav.bottom").is_some_and(|_| s.dom.attr_of("nav.bottom", "hidden").is_some()));
    s.click("#start-indoor");
    assert!(s.dom.exists("#error"), "a session needs a province: {}", s.html());
    s.change("#indoor-province", "BS");
    s.click("#start-indoor");
    let id: Uuid = s.dom.attr_of("section.indoor", "data-session").expect("the session").parse().unwrap();

    s.click("#ad-g-T");
    s.input("#ad-nat-search", "brasi");
    s.click("button.ad-nat-option[data-code=BR]");
    s.input("#ad-number", "333 111 2222");
    assert_eq!(s.dom.text("#number-history"), "numero nuovo");
    s.submit("#ad-form");
    assert_eq!(s.dom.text("#f-ads"), "1");
    assert_eq!(s.dom.attr_of("#call-link", "href").as_deref(), Some("tel:+393331112222"));
    assert!(
        s.dom.text("#dialer-log-note").contains("registro chiamate"),
        "the call and chat log is said next to the links"
    );
    assert_eq!(s.dom.attr_of("#ad-number", "value").as_deref(), Some(""), "the number field is cleared");
    s.click("#current-ad button.outcome[data-outcome=reached]");
    assert_eq!((s.dom.text("#f-calls"), s.dom.text("#f-contacts")), ("1".into(), "1".into()));
    s.click("#current-ad button[data-channel=telegram]");
    s.click("#current-ad button.outcome[data-outcome=no_answer]");
    assert_eq!((s.dom.text("#f-messages"), s.dom.text("#f-contacts")), ("1".into(), "1".into()));
    s.click("#met");
    assert_eq!(s.dom.text("#f-met"), "1");
    // The person met, as then known: another nationality, a referral.
    assert!(s.dom.exists("#detail-sheet"), "{}", s.html());
    s.input("#detail-nat-search", "colomb");
    s.click("button.detail-nat-option[data-code=CO]");
    s.input("input[data-event='referral.legal']", "1");
    s.click("#save-details");
    assert!(!s.dom.exists("#detail-sheet"));

    // The next ad keeps gender and nationality; the same number is recognised.
    s.input("#ad-number", "+39 333-1112222");
    assert!(s.dom.text("#number-history").contains("in 1 annunci"), "{}", s.dom.text("#number-history"));
    s.submit("#ad-form");
    assert_eq!(s.dom.text("#ad-nat"), "Brasile");
    assert_eq!(s.dom.all("li.ad-row .warn").len(), 2, "both ads show the shared number");
    let counts = p.shared.with(|st| st.session_counts(id)).unwrap().unwrap();
    assert_eq!((counts.ads, counts.calls, counts.messages, counts.contacts, counts.met), (2, 1, 1, 1, 1));
    let tally = p.shared.with(|st| st.session_tally(id)).unwrap().unwrap();
    let met: Vec<_> = tally.iter().filter(|(_, c, _)| c.measure == lanterna::domain::Measure::Meetings).collect();
    assert_eq!(met.len(), 1);
    assert_eq!((met[0].1.nationality.code(), met[0].1.gender), ("CO", Gender::T), "the meeting as then known");
    assert_eq!(tally.sum(lanterna::domain::Measure::Referral(ServiceKind::Legal), |_, _| true), 1);

    // A bad number is refused, said, and nothing is saved.
    p.screen.input("#ad-number", "12345");
    p.screen.submit("#ad-form");
    assert!(p.screen.dom.text("#error").contains("phone number"), "{}", p.screen.html());
    assert_eq!(p.shared.with(|st| st.session_counts(id)).unwrap().unwrap().ads, 2);

    // Undo takes back the last ad; ending the session closes it.
    p.screen.click("#indoor-undo");
    assert_eq!(p.screen.dom.text("#f-ads"), "1");
    p.screen.click("#end-session");
    let session = p.shared.with(|st| st.indoor_session(id)).unwrap().unwrap();
    assert_eq!(session.status, lanterna::domain::OutingStatus::Closed);
}

/// The idle lock, in real time: one minute without a touch (the shortest setting) locks
/// the app and closes the store; a touch before that keeps it open.
#[tokio::test]
async fn an_idle_app_locks_itself() {
    let mut p = Phone::unlocked();
    let s = &mut p.screen;
    s.click("#open-settings");
    s.input("#idle-minutes", "1");
    s.click("#save-settings");
    assert_eq!(p.shared.with(|st| st.settings()).unwrap().unwrap().idle_lock_minutes, 1);
    // Touched at 40 s: still open at 70 s.
    assert!(!s.until(40, |d| d.exists("#pin")).await);
    s.click("button[data-activity=labour]");
    assert!(!s.until(30, |d| d.exists("#pin")).await, "a touch restarts the idle time");
    assert!(p.shared.with(|_| ()).is_some());
    // Then left alone: locked within the minute (and the check's few seconds).
    assert!(s.until(40, |d| d.exists("#pin")).await, "{}", s.html());
    assert!(p.shared.with(|_| ()).is_none(), "locking closes the store");
}

#[tokio::test]
async fn the_summary_shows_the_outings_report_table_then_closes_it() {
    let mut p = Phone::unlocked();
    let id = p.night_outing_in_brescia();
    p.tap("F", "RO");
    p.tap("F", "RO");
    p.tap("M", "NG");
    p.screen.click("#end-outing");
    let s = &mut p.screen;
    assert!(s.dom.exists("table.summary-table"), "{}", s.html());
    // Zero cells are blank: a row reads its label, then its counts.
    let row = |code: &str| s.dom.text(&format!("table.summary-table tr[data-code={code}]"));
    assert_eq!((row("RO"), row("NG")), ("Romania2".to_owned(), "Nigeria1".to_owned()), "{}", s.html());
    assert_eq!(s.dom.text("table.summary-table tfoot"), "TOTALE000120", "totals show their zeros");
    s.click("#confirm-end");
    assert!(s.dom.exists(".outing-row[data-status=closed]"), "{}", s.html());
    let outing = p.shared.with(|st| st.outing(id)).unwrap().unwrap();
    assert_eq!(outing.status, lanterna::domain::OutingStatus::Closed);
}

impl Phone {
    /// The person of a contact, as the register holds it.
    fn person_of(&self, contact: i64) -> lanterna::domain::Person {
        self.shared.with(|a| a.person_of_contact(contact)).expect("unlocked").expect("the person")
    }

    /// The contacts of an outing, in the order recorded.
    fn contacts(&self, outing: Uuid) -> Vec<lanterna::domain::Contact> {
        self.shared.with(|a| a.contacts_of_outing(outing)).expect("unlocked").expect("contacts")
    }

    /// Ends the outing on screen and confirms.
    fn end_outing(&mut self) {
        self.screen.click("#end-outing");
        self.screen.click("#confirm-end");
        assert!(self.screen.dom.exists(".outing-row[data-status=closed]"), "{}", self.screen.html());
    }
}

#[tokio::test]
async fn a_named_person_is_one_tap_on_the_next_outing_at_the_same_place() {
    let mut p = Phone::unlocked();
    let first = p.night_outing_in_brescia();
    assert!(!p.screen.dom.exists("#known"), "nobody known yet: no row at all");
    p.tap("F", "RO");
    p.screen.click("#details");
    let s = &mut p.screen;
    assert_eq!(s.dom.attr_of("#person-name", "maxlength"), Some(PERSON_NAME_MAX.to_string()));
    assert_eq!(s.dom.attr_of("#person-name", "value").as_deref(), Some(""));
    assert_eq!(s.dom.text("#times-met"), "1");
    s.input("#person-name", "  Rosa ");
    s.click("button[data-age=25-34]");
    s.click("#save-details");
    assert!(!s.dom.exists("#detail-sheet"), "{}", s.html());
    let rosa = p.person_of(p.contacts(first)[0].id);
    assert_eq!(rosa.name.as_deref(), Some("Rosa"), "saved trimmed, through the register");
    assert_eq!(rosa.age_band, Some(AgeBand::A25_34), "who she is goes to the register too");
    assert!(!p.screen.dom.exists("#known button.known-person"), "persons met on this outing are not offered again");
    assert!(p.screen.dom.exists("#known input"), "the search for a person met elsewhere is offered");
    p.end_outing();

    let second = p.night_outing_in_brescia();
    let chip = "#known button.known-person[data-name=Rosa]";
    assert!(p.screen.dom.text("#known").contains("Conosciuti qui"), "{}", p.screen.html());
    let shown = p.screen.dom.text(chip);
    assert!(shown.contains('F') && shown.contains("Rosa") && shown.contains("Romania"), "{shown}");
    // The search by short name finds her; a name nobody has finds nobody.
    p.screen.input("#known-search", "OS");
    assert!(p.screen.dom.exists(chip));
    p.screen.input("#known-search", "zz");
    assert!(!p.screen.dom.exists("#known button.person") && p.screen.dom.exists("#known-search"));
    p.screen.input("#known-search", "");

    // One tap: recorded, said, and she leaves the row.
    p.screen.click(chip);
    assert_eq!(p.shown(), [1, 0, 1, 0]);
    assert_same(&p, second);
    let met = p.contacts(second);
    assert_eq!(met.len(), 1);
    let again = p.person_of(met[0].id);
    assert_eq!((again.id, again.times), (rosa.id, 2), "the same person, met twice");
    assert_eq!(met[0].data.age_band, Some(AgeBand::A25_34), "the contact is who she is");
    assert!(p.screen.dom.text("#toast").contains("Rosa"), "{}", p.screen.html());
    assert!(!p.screen.dom.exists(chip), "{}", p.screen.html());
    // The usual undo takes her back, and she is offered again.
    p.screen.click("#undo");
    assert_eq!(p.shown(), [0, 0, 0, 0]);
    assert!(p.screen.dom.exists(chip));
    p.screen.click(chip);
    p.screen.click("#details");
    assert_eq!(p.screen.dom.attr_of("#person-name", "value").as_deref(), Some("Rosa"));
    assert_eq!(p.screen.dom.text("#times-met"), "2");
    assert!(!p.screen.dom.text("#first-met").is_empty() && !p.screen.dom.text("#last-met").is_empty());
}

#[tokio::test]
async fn a_short_name_too_long_is_refused_in_the_interface_language() {
    use lanterna::app::messages::message;
    use lanterna::domain::DomainError;
    use lanterna::domain::rules::Violation;

    let mut p = Phone::unlocked();
    let id = p.night_outing_in_brescia();
    p.tap("T", "BR");
    p.screen.click("#details");
    p.screen.input("#person-name", &"x".repeat(PERSON_NAME_MAX + 1));
    p.screen.click("#save-details");
    let said = p.screen.dom.text("#error");
    assert_eq!(said, message(&DomainError::from(Violation::PersonName).into(), Lang::It));
    assert!(p.screen.dom.exists("#detail-sheet"), "the sheet stays open to correct it");
    assert_eq!(p.person_of(p.contacts(id)[0].id).name, None, "nothing saved");
    p.screen.input("#person-name", &"é".repeat(PERSON_NAME_MAX));
    p.screen.click("#save-details");
    assert!(!p.screen.dom.exists("#detail-sheet"), "{}", p.screen.html());
    assert_eq!(p.person_of(p.contacts(id)[0].id).name, Some("é".repeat(PERSON_NAME_MAX)));
}

#[tokio::test]
async fn same_person_as_merges_into_the_chosen_one_and_undo_takes_it_back() {
    let mut p = Phone::unlocked();
    let id = p.night_outing_in_brescia();
    p.tap("F", "RO");
    p.screen.click("#details");
    p.screen.input("#person-name", "Rosa");
    p.screen.click("#save-details");
    p.tap("F", "NG");
    let [rosa_contact, other_contact] = [0, 1].map(|i| p.contacts(id)[i].id);
    let (rosa, other) = (p.person_of(rosa_contact), p.person_of(other_contact));
    assert_ne!(rosa.id, other.id);

    p.screen.click("#details");
    assert!(!p.screen.dom.exists("#merge button.person"), "no candidates before a search");
    p.screen.input("#merge-search", "ros");
    p.screen.click("#merge button.merge-person[data-name=Rosa]");
    assert_eq!(p.person_of(other_contact).id, rosa.id, "this contact's person joined the chosen one");
    assert_eq!(p.contacts(id)[1].data.nationality.code(), "RO", "with the chosen one's details");
    assert!(p.screen.dom.text("#merge-toast").contains("Rosa"), "{}", p.screen.html());
    assert_eq!(p.screen.dom.attr_of("#person-fields", "data-person"), Some(rosa.id.to_string()));
    assert_eq!(p.screen.dom.text("#times-met"), "2");
    assert_eq!(p.screen.dom.attr_of("#person-name", "value").as_deref(), Some("Rosa"));
    assert_eq!(p.screen.dom.attr_of("#merge-search", "value").as_deref(), Some(""));

    p.screen.click("#undo-merge");
    assert!(!p.screen.dom.exists("#merge-toast"));
    let back = p.person_of(other_contact);
    assert_eq!((back.id, back.nationality.code()), (other.id, "NG"), "undone");
    assert_eq!(p.screen.dom.attr_of("#person-fields", "data-person"), Some(other.id.to_string()));
    assert_eq!(p.person_of(rosa_contact).times, 1);
}

/// What a component under test reported through its handler.
type Log<T> = Arc<Mutex<Vec<T>>>;

/// A component alone in a VirtualDom, its handler's calls logged.
fn alone<T: 'static>(root: fn() -> Element) -> (Screen, Log<T>) {
    let log: Log<T> = Arc::new(Mutex::new(Vec::new()));
    let vdom = VirtualDom::new(root).with_root_context(log.clone());
    (Screen::new(vdom), log)
}

#[allow(non_snake_case)]
fn StepperAlone() -> Element {
    let log: Log<u32> = use_context();
    let mut value = use_signal(|| 5u32);
    rsx! {
        Stepper { id: "n", label: "n", range: 1..=10, value: value(), buttons: true,
            on_change: move |v| {
                log.lock().unwrap().push(v);
                value.set(v);
            },
        }
    }
}

#[tokio::test]
async fn the_stepper_keeps_to_its_range() {
    let (mut s, log) = alone::<u32>(StepperAlone);
    assert_eq!(s.dom.attr_of("#n", "min").as_deref(), Some("1"));
    assert_eq!(s.dom.attr_of("#n", "max").as_deref(), Some("10"));
    s.input("#n", "100");
    assert_eq!(s.dom.attr_of("#n", "value").as_deref(), Some("10"), "clamped to the top");
    assert!(s.dom.attr_of("button.plus", "disabled").is_some(), "+ stops at the top");
    s.click("button.plus");
    s.input("#n", "0");
    assert_eq!(s.dom.attr_of("#n", "value").as_deref(), Some("1"), "clamped to the bottom");
    s.input("#n", "many");
    s.click("button.minus");
    assert_eq!(s.dom.attr_of("#n", "value").as_deref(), Some("1"), "− stops at the bottom");
    s.click("button.plus");
    s.click("button.plus");
    assert_eq!(s.dom.attr_of("#n", "value").as_deref(), Some("3"));
    assert_eq!(*log.lock().unwrap(), [10, 10, 1, 1, 1, 2, 3], "every change is within the range");
}

#[allow(non_snake_case)]
fn PickerAlone() -> Element {
    let log: Log<Nationality> = use_context();
    rsx! {
        NationalityPicker { id: "x", limit: 6, lang: Lang::En, on_pick: move |n| log.lock().unwrap().push(n) }
    }
}

#[tokio::test]
async fn the_nationality_picker_finds_by_part_of_the_name() {
    let (mut s, log) = alone::<Nationality>(PickerAlone);
    assert!(!s.dom.exists("button.x-option"), "nothing offered before typing");
    s.input("#x-search", "nig");
    assert!(s.dom.text("button.x-option[data-code=NG]").contains("Nigeria"), "{}", s.html());
    assert!(s.dom.has_class("button.x-option[data-code=NG]", "nat-option"));
    s.click("button.x-option[data-code=NG]");
    assert_eq!(log.lock().unwrap().iter().map(|n| n.code()).collect::<Vec<_>>(), ["NG"]);
    assert_eq!(s.dom.attr_of("#x-search", "value").as_deref(), Some(""), "the search starts afresh");
    assert!(!s.dom.exists("button.x-option"));
}

#[allow(non_snake_case)]
fn ChipsAlone() -> Element {
    let log: Log<Vec<usize>> = use_context();
    let mut single = use_signal(Vec::<usize>::new);
    let mut several = use_signal(Vec::<usize>::new);
    rsx! {
        ChipGroup { pressed: single(), class: "one",
            on_change: move |p: Vec<usize>| {
                log.lock().unwrap().push(p.clone());
                single.set(p);
            },
            Chip { index: 0, "data-i": "0", "a" }
            Chip { index: 1, "data-i": "1", "b" }
        }
        ChipGroup { pressed: several(), multiple: true, class: "many",
            on_change: move |p: Vec<usize>| several.set(p),
            Chip { index: 0, "data-i": "0", "a" }
            Chip { index: 1, "data-i": "1", "b" }
        }
    }
}

#[tokio::test]
async fn a_chip_group_presses_one_or_several() {
    let (mut s, log) = alone::<Vec<usize>>(ChipsAlone);
    s.click(".one button[data-i=0]");
    s.click(".one button[data-i=1]");
    assert!(s.dom.has_class(".one button[data-i=1]", "on") && !s.dom.has_class(".one button[data-i=0]", "on"));
    assert_eq!(s.dom.attr_of(".one button[data-i=1]", "aria-pressed").as_deref(), Some("true"));
    s.click(".one button[data-i=1]");
    assert!(!s.dom.has_class(".one button[data-i=1]", "on"), "a second tap releases it");
    assert_eq!(*log.lock().unwrap(), [vec![0], vec![1], vec![]]);
    s.click(".many button[data-i=0]");
    s.click(".many button[data-i=1]");
    assert!(s.dom.has_class(".many button[data-i=0]", "on") && s.dom.has_class(".many button[data-i=1]", "on"));
}

/// Every failed action says why in the interface language, with the words of the app's
/// error table: nothing English on an Italian screen, nothing Italian on an English one.
#[tokio::test]
async fn every_failed_action_is_said_in_the_interface_language() {
    use lanterna::app::messages::message;
    use lanterna::app::{Error, UnlockError};
    use lanterna::domain::rules::Violation;
    use lanterna::domain::{DomainError, parse_time};
    use lanterna::ui::T;

    for lang in [Lang::It, Lang::En] {
        let other = if lang == Lang::It { Lang::En } else { Lang::It };
        let mut p = Phone::unlocked();
        let s = &mut p.screen;
        if lang == Lang::En {
            s.click("#open-settings");
            s.change("#language", "en");
            s.click("#save-settings");
        }
        let mut said: Vec<(&str, String, Error)> = Vec::new();

        // Settings: a start time that is no time, no ad site, PINs that differ or are short.
        s.click("#open-settings");
        s.input("#night-starts", "25:00");
        s.click("#save-settings");
        said.push(("bad time", s.dom.text("#error"), parse_time("25:00").expect_err("not a time").into()));
        s.input("#night-starts", "22:00");
        s.input("#sites", " , ");
        s.click("#save-settings");
        said.push(("no site", s.dom.text("#error"), DomainError::from(Violation::Sites).into()));
        s.input("#new-pin", "13572468");
        s.input("#new-pin2", "13572469");
        s.click("#change-pin");
        said.push(("PINs differ", s.dom.text("#error"), UnlockError::Mismatch.into()));
        s.input("#new-pin", "1357");
        s.input("#new-pin2", "1357");
        s.click("#change-pin");
        said.push(("short PIN", s.dom.text("#error"), UnlockError::TooShort.into()));
        // Sync: an address that is no server's.
        s.input("#sync-url", "ftp://example.org");
        s.input("#sync-code", "AAAA-BBBB-CCCC-DDDD");
        s.click("#sync-enroll");
        assert!(s.until(10, |d| d.exists("#error") && d.text("#error") != said[3].1).await, "{}", s.html());
        let bad_url = lanterna::sync::SyncError::BadUrl { url: "ftp://example.org".into() };
        said.push(("bad address", s.dom.text("#error"), bad_url.into()));
        s.click("#settings-back");

        // Indoor: no province, then an age that is a word.
        s.click("button[data-activity=indoor]");
        s.click("#start-indoor");
        assert_eq!(s.dom.text("#error"), T::PickProvince.get(lang), "no province");
        s.change("#indoor-province", "BS");
        s.click("#start-indoor");
        s.input("#ad-age", "venti");
        s.submit("#ad-form");
        said.push(("age as a word", s.dom.text("#error"), Error::BadAge("venti".into())));
        s.input("#ad-age", "12");
        s.submit("#ad-form");
        said.push(("too young an age", s.dom.text("#error"), DomainError::from(Violation::DeclaredAge(12)).into()));

        // The lock screen: a wrong PIN.
        s.click("#lock");
        s.input("#pin", "99999999");
        s.click("#unlock");
        said.push(("wrong PIN", s.dom.text("#lock-message"), UnlockError::Wrong.into()));

        for (what, shown, error) in &said {
            assert_eq!(shown, &message(error, lang), "{lang:?}, {what}");
            assert_ne!(shown, &message(error, other), "{lang:?}, {what}: not translated");
        }
    }
}

impl Phone {
    /// A desk session in Bergamo with an English-speaking mediator; its id.
    fn desk_in_bergamo(&mut self) -> Uuid {
        let s = &mut self.screen;
        s.click("button.seg[data-activity=desk]");
        assert!(s.dom.exists("#open-persons") && s.dom.exists("#open-helpline"), "{}", s.html());
        assert!(!s.dom.exists("#start-day"), "a desk session is not a day or night outing");
        assert!(s.dom.attr_of("#start-desk", "disabled").is_some(), "no comune, no desk session");
        s.input("#desk-comune", "bergam");
        s.click("button.comune-option[data-code=016024]");
        s.change("#desk-mediator", "en");
        s.click("#start-desk");
        assert_eq!(s.dom.text("#current-stop"), "Bergamo (BG)", "{}", s.html());
        s.dom.attr_of("section.outing", "data-outing").expect("the outing id").parse().expect("a uuid")
    }
}

#[tokio::test]
async fn a_desk_session_starts_at_its_comune_with_its_mediator_and_keeps_the_outcomes_of_a_contact() {
    use lanterna::domain::Language;
    use lanterna::domain::emersion::ContactOutcome;
    let mut p = Phone::unlocked();
    let id = p.desk_in_bergamo();
    let outing = p.shared.with(|s| s.outing(id)).unwrap().unwrap();
    assert_eq!(outing.activity, Activity::Desk);
    assert_eq!((outing.team_size, outing.mediator_language, outing.mediator), (Some(2), Some(Language::English), true));
    let stops = p.shared.with(|s| s.stops(id)).unwrap().unwrap();
    assert_eq!(stops.len(), 1, "the desk's comune is its single stop");
    assert!(p.screen.dom.text("#desk-mediator-shown").contains("inglese"), "{}", p.screen.html());
    assert!(!p.screen.dom.exists("#change-stop"), "a desk has one comune");

    p.tap("F", "NG");
    p.screen.click("#details");
    p.screen.click("#outcomes button[data-code=programme_proposed]");
    p.screen.click("#outcomes button[data-code=complaint_police]");
    p.screen.click("#outcomes button[data-code=complaint_police]");
    p.screen.click("#outcomes button[data-code=programme_accepted]");
    p.screen.click("#save-details");
    let c = p.shared.with(|s| s.contacts_of_outing(id)).unwrap().unwrap();
    assert_eq!(
        c[0].data.outcomes.iter().collect::<Vec<_>>(),
        [ContactOutcome::Proposed, ContactOutcome::Accepted],
        "the outcomes tapped, the one tapped twice released"
    );
    p.screen.click("#details");
    assert_eq!(
        p.screen.dom.attr_of("#outcomes button[data-code=programme_accepted]", "aria-pressed").as_deref(),
        Some("true")
    );
}

#[tokio::test]
async fn an_interview_from_the_desk_sheet_records_what_became_known_and_the_card_shows_the_latest_word() {
    use lanterna::domain::emersion::{Adhesion, InterviewKind, Verdict};
    let mut p = Phone::unlocked();
    let id = p.desk_in_bergamo();
    p.tap("F", "NG");
    let contact = p.shared.with(|s| s.contacts_of_outing(id)).unwrap().unwrap()[0].id;
    let person = p.shared.with(|s| s.person_of_contact(contact)).unwrap().unwrap().id;
    let today = chrono::Utc::now().date_naive();
    let card = |p: &Phone| p.shared.with(|s| s.person_card(person, today)).unwrap().unwrap();

    p.screen.click("#details");
    p.screen.click("#interview-person");
    let s = &mut p.screen;
    assert!(s.dom.exists("#interview-form"), "the form opens at once: {}", s.html());
    assert_eq!(
        s.dom.attr_of("#interview-province option[value=BG]", "selected").as_deref(),
        Some("true"),
        "the desk's province"
    );
    assert_eq!(s.dom.attr_of("#interview-date", "value"), Some(today.format("%Y-%m-%d").to_string()));
    assert!(!s.dom.exists("#request-date"), "only a Referral asks for its request");
    s.click("#verdict button[data-code=pending]");
    s.click("#adhesion button[data-code=waiting]");
    s.click("#save-interview");
    assert!(!s.dom.exists("#interview-form"), "saving closes the form");
    assert_eq!(s.dom.text("#interview-count"), "1");
    let c = card(&p);
    assert_eq!(c.interviews.len(), 1);
    assert_eq!(c.interviews[0].interview.kind, InterviewKind::Social);
    assert_eq!(
        (c.state.verdict, c.state.adhesion, c.state.typology),
        (Some(Verdict::Pending), Some(Adhesion::Waiting), None)
    );

    // A Referral: the request's day defaults to the interview's; identified, joins.
    let s = &mut p.screen;
    s.click("#new-interview");
    s.click("#interview-kind button[data-code=referral]");
    assert_eq!(s.dom.attr_of("#request-date", "value"), Some(today.format("%Y-%m-%d").to_string()));
    s.click("#verdict button[data-code=yes]");
    s.click("#adhesion button[data-code=yes]");
    s.click("#indicators button[data-code=debt]");
    s.click("#save-interview");
    assert_eq!(s.dom.text("#interview-count"), "2");
    assert!(s.dom.text("#state .state-line[data-field=verdict]").contains("Identificata"), "{}", s.html());
    let c = card(&p);
    assert_eq!(
        (c.state.verdict, c.state.adhesion),
        (Some(Verdict::Identified), Some(Adhesion::Yes)),
        "the latest word"
    );
    assert_eq!(c.requests.len(), 1, "the Referral's request is on record");
    assert_eq!(c.interviews[1].findings.typology, None, "nothing said, nothing recorded");

    // The latest interview taken back: the earlier word stands again.
    let latest = c.interviews[1].interview.id;
    p.screen.click(&format!("#interviews li[data-interview='{latest}'] button.delete-interview"));
    assert_eq!(p.screen.dom.text("#interview-count"), "1");
    assert_eq!(card(&p).state.verdict, Some(Verdict::Pending));
    p.screen.click("#back");
    assert_eq!(p.screen.dom.attr_of("section.outing", "data-outing"), Some(id.to_string()), "back to the desk");
}

#[tokio::test]
async fn a_person_met_only_at_the_desk_joins_the_register() {
    let mut p = Phone::unlocked();
    let s = &mut p.screen;
    s.click("button.seg[data-activity=desk]");
    s.click("#open-persons");
    assert!(s.dom.attr_of("#add-person", "disabled").is_some(), "gender and nationality first");
    s.input("#new-person-name", "Ama");
    s.click("#new-person-g-F");
    s.input("#new-person-nat-search", "ghana");
    s.click("button.new-person-nat-option[data-code=GH]");
    s.click("#add-person");
    assert!(s.dom.text("#person-title").contains("Ama"), "{}", s.html());
    let found = p.shared.with(|s| s.search_persons("ama")).unwrap().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].gender, found[0].nationality.code(), found[0].times), (Gender::F, "GH", 0));
    let s = &mut p.screen;
    s.click("#back");
    s.input("#register-search", "am");
    assert!(s.dom.exists("#register button.register-person[data-name=Ama]"), "{}", s.html());
}

#[tokio::test]
async fn a_helpline_report_is_recorded_edited_and_deleted() {
    use lanterna::domain::emersion::{HelpKind, HelplineOutcome, HelplineSource};
    let mut p = Phone::unlocked();
    let today = chrono::Utc::now().date_naive();
    let period = lanterna::domain::Period::new(today - chrono::Duration::days(1), today).unwrap();
    let stored = |p: &Phone| p.shared.with(|s| s.helpline_reports(period)).unwrap().unwrap();
    let s = &mut p.screen;
    s.click("button.seg[data-activity=desk]");
    s.click("#open-helpline");
    s.click("#new-report");
    s.change("#report-province", "BG");
    s.click("#report-g-T");
    s.input("#report-nat-search", "brasil");
    s.click("button.report-nat-option[data-code=BR]");
    s.click("#report-known button[data-code=known]");
    s.click("#report-source button[data-code=agency]");
    s.click("#report-help button[data-code=shelter]");
    s.click("#report-help button[data-code=health]");
    s.click("#save-report");
    assert!(!s.dom.exists("#helpline-form"));
    let r = stored(&p);
    assert_eq!(r.len(), 1);
    let r0 = &r[0];
    assert_eq!((r0.province.code(), r0.gender, r0.nationality.code(), r0.known), ("BG", Gender::T, "BR", true));
    assert_eq!(r0.source, HelplineSource::Agency);
    assert_eq!(r0.help.iter().collect::<Vec<_>>(), [HelpKind::Shelter, HelpKind::Health]);
    assert_eq!(r0.outcome, None);

    let s = &mut p.screen;
    s.click(".report-row .edit-report");
    s.click("#report-outcome button[data-code=adhesion]");
    s.click("#save-report");
    let r = stored(&p);
    assert_eq!((r.len(), r[0].outcome), (1, Some(HelplineOutcome::Adhesion)), "edited in place");
    assert!(p.screen.dom.text(".report-row").contains("Adesione"));
    p.screen.click(".report-row .delete-report");
    assert!(stored(&p).is_empty());
    assert!(!p.screen.dom.exists(".report-row"));
}

#[allow(non_snake_case)]
fn InterviewAlone() -> Element {
    use lanterna::ui::components::InterviewForm;
    let log: Log<lanterna::app::NewInterview> = use_context();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    rsx! {
        InterviewForm { person: 7, today: day("2025-03-10"), province: lanterna::domain::Province::parse("BG").unwrap(),
            last_request: Some(day("2025-02-01")), lang: Lang::En,
            on_save: move |n| log.lock().unwrap().push(n), on_close: |_| {} }
    }
}

#[tokio::test]
async fn the_interview_form_says_only_what_was_chosen_and_a_referral_answers_the_request_on_record() {
    use lanterna::domain::emersion::{EmersionPlace, InterviewKind, Typology, Verdict};
    let (mut s, log) = alone::<lanterna::app::NewInterview>(InterviewAlone);
    s.click("#interview-kind button[data-code=referral]");
    assert_eq!(s.dom.attr_of("#request-date", "value").as_deref(), Some("2025-02-01"), "the request on record");
    s.click("#typology button[data-code=begging]");
    s.click("#verdict button[data-code=yes]");
    s.click("#verdict button[data-code=yes]");
    s.change("#emersion-place", "elsewhere");
    s.click("#save-interview");
    s.input("#interview-date", "10/03/2025");
    assert!(s.dom.attr_of("#save-interview", "disabled").is_some(), "not a day, not saved");
    s.input("#interview-date", "2025-03-09");
    s.input("#request-date", "2025-03-01");
    s.click("#save-interview");
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2);
    let first = &log[0];
    assert_eq!(
        (first.person, first.kind, first.requested),
        (7, InterviewKind::Referral, None),
        "answers the request on record"
    );
    assert_eq!(first.findings.typology, Some(Typology::Begging));
    assert_eq!(first.findings.verdict, None::<Verdict>, "tapped twice: nothing said");
    assert_eq!(first.findings.place, Some(EmersionPlace::Elsewhere));
    assert_eq!((first.findings.adhesion, first.findings.minor, first.findings.indicators), (None, None, None));
    assert_eq!(log[1].date.to_string(), "2025-03-09");
    assert_eq!(log[1].requested.map(|d| d.to_string()).as_deref(), Some("2025-03-01"), "a new request");
}
