//! The app's own sync screens against a server in-process: enroll from Settings with the
//! coordinator's code, see the pending count, "sync now", and the server holds the phone's
//! tables; a wrong code is said in plain words.

use crate::common::{self, TestServer, fill};
use crate::minidom::Screen;
use dioxus::prelude::VirtualDom;
use lanterna::ui::{App, Vault};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enroll_and_sync_from_the_app() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let shared = Vault::new(dir.path().join("phone.db"));
    let mut s = Screen::new(VirtualDom::new(App).with_root_context(shared.clone()));
    s.input("#pin", common::KEY);
    s.input("#pin2", common::KEY);
    s.click("#unlock");
    assert!(s.dom.exists("#start-night"));
    assert!(!s.dom.exists("#sync-now"), "no sync line before enrolling");
    shared.with(|st| fill(st, 6, 4)).unwrap();

    // A wrong code: said, nothing kept.
    s.click("#open-settings");
    s.input("#sync-url", &server.url());
    s.input("#sync-code", "AAAA-BBBB-CCCC-DDDD");
    s.click("#sync-enroll");
    assert!(s.until(10, |d| d.exists("#error")).await, "{}", s.html());
    assert!(shared.with(|st| st.sync_endpoint().unwrap()).unwrap().is_none());

    s.input("#sync-code", &server.code(server.unit));
    s.click("#sync-enroll");
    assert!(s.until(10, |d| d.exists("#sync-now")).await, "{}", s.html());
    s.click("#settings-back");
    assert!(s.dom.text("#sync-status").contains("7 in attesa"), "{}", s.dom.text("#sync-status"));
    s.click("#sync-now");
    assert!(
        s.until(10, |d| d.find("#sync-status").is_some_and(|_| d.text("#sync-status").contains("0 in attesa"))).await
    );
    assert!(s.dom.text("#sync-status").starts_with("Ultima sincronizzazione"));
    assert_eq!(server.stored(), 7);

    // The server goes away: the app says so in plain words, and the summaries wait.
    shared
        .with(|st| {
            let id = st.list_outings().unwrap()[0].outing.id;
            st.reopen_outing(id).unwrap();
            st.close_outing(id, chrono::Utc::now()).unwrap();
        })
        .unwrap();
    shared
        .with(|st| {
            st.set_sync_endpoint(&lanterna::app::Endpoint { url: "http://127.0.0.1:9".into(), token: "0".repeat(64) })
        })
        .unwrap()
        .unwrap();
    s.click("#sync-now");
    assert!(s.until(15, |d| d.exists("#sync-error")).await, "{}", s.html());
    assert!(s.dom.text("#sync-error").contains("Server non raggiungibile"), "{}", s.dom.text("#sync-error"));
    assert!(s.dom.text("#sync-status").contains("1 in attesa"));
}
