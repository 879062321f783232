//! The informative sessions form on the home screen, driven by events: a session saved
//! reaches the encrypted store with what was tapped and typed, is listed, opens in the
//! form for a correction, and is deleted only after a confirmation.

use crate::common::minidom::Screen;
use dioxus::prelude::*;
use lanterna::domain::outreach::{SessionPlace, SessionTheme};
use lanterna::domain::{Language, Period};
use lanterna::ui::{App, Vault};

const PIN: &str = "24681357";

#[tokio::test]
async fn a_session_is_saved_listed_corrected_and_deleted_after_a_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let shared = Vault::new(dir.path().join("lanterna.db"));
    let mut s = Screen::new(VirtualDom::new(App).with_root_context(shared.clone()));
    s.input("#pin", PIN);
    s.input("#pin2", PIN);
    s.click("#unlock");
    s.click("button[data-activity=session]");
    assert!(s.dom.exists("#session-save"), "{}", s.html());
    // Nothing chosen yet: refused, nothing stored.
    s.click("#session-save");
    assert!(s.dom.exists("#error"), "{}", s.html());
    let day = chrono::Local::now().date_naive() - chrono::Duration::days(10);
    s.input("#session-date", &day.to_string());
    s.click("#session-place button[data-place=cas]");
    s.input("#session-comune", "berga");
    s.click(".suggestion[data-code='016024']");
    s.click("#session-themes button[data-theme=trafficking]");
    s.click("#session-themes button[data-theme=rights]");
    s.click("#session-languages button[data-language=en]");
    s.click("#session-languages-more");
    s.click("#session-languages button[data-language=hi]");
    s.input("#participants-M", "12");
    s.input("#participants-F", "3");
    s.input("#protection-M", "10");
    s.click("#session-save");
    assert!(!s.dom.exists("#error"), "{}", s.html());
    assert_eq!(s.dom.all(".session-row").len(), 1, "{}", s.html());

    let year = Period::new(day, day).unwrap();
    let stored = shared.with(|app| app.info_sessions(year).unwrap()).unwrap();
    assert_eq!(stored.len(), 1);
    let f = stored[0].facts;
    assert_eq!((f.place, f.comune.map(|c| c.code().to_owned())), (SessionPlace::Cas, Some("016024".to_owned())));
    assert!(f.themes.contains(SessionTheme::Trafficking) && f.themes.contains(SessionTheme::Rights));
    assert!(f.languages.contains(Language::English) && f.languages.contains(Language::Hindi));
    assert_eq!((f.participants.m, f.participants.f, f.protection.m), (12, 3, 10));
    assert_eq!(stored[0].province.code(), "BG");

    // A correction: the row opens in the form.
    s.click(".session-row");
    assert_eq!(s.dom.attr_of("#participants-F", "value").as_deref(), Some("3"));
    s.input("#participants-F", "4");
    s.click("#session-save");
    let stored = shared.with(|app| app.info_sessions(year).unwrap()).unwrap();
    assert_eq!((stored.len(), stored[0].facts.participants.f), (1, 4));

    // Delete asks first.
    s.click(".session-row");
    s.click("#session-delete");
    assert_eq!(shared.with(|app| app.info_sessions(year).unwrap().len()).unwrap(), 1);
    s.click("#session-delete-confirm");
    assert_eq!(shared.with(|app| app.info_sessions(year).unwrap().len()).unwrap(), 0);
    assert!(s.dom.all(".session-row").is_empty());
}
