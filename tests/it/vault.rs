//! The seized phone or laptop (issue 13, items 3, 4 and 5): the database key is random and
//! wrapped under the PIN, the PIN rule is 8 digits or a passphrase, the wrong-PIN back-off
//! outlives the process and binds the command line too, old databases still open and move
//! to the new scheme, phone numbers are stored as memory-hard hashes, the files are
//! private, and the PIN fields are not offered to password managers.

use std::fs;
use std::path::Path;
use std::process::Command;

use dioxus::prelude::*;
use hmac::{Hmac, Mac};
use lanterna::app::{Error, Lanterna, UnlockError};
use lanterna::domain::indoor::AdData;
use lanterna::domain::{Gender, Nationality, Province};
use lanterna::store::{NewIndoorSession, RawKey, SCHEMA_VERSION, Store, StoreError, key_file_path, number_hash_of};
use lanterna::ui::{App, Vault};
use sha2::Sha256;

use crate::common::minidom::Screen;
use crate::common::{KEY, lanterna, temp_db};

/// A PIN an older Lanterna accepted (6 digits) and this one no longer lets anyone choose.
const OLD_PIN: &str = "135792";
const NEW_PIN: &str = "86420975";

/// The salt at the head of an encrypted database file (SQLCipher's).
fn header_salt(db: &Path) -> [u8; 16] {
    fs::read(db).unwrap()[..16].try_into().unwrap()
}

fn wrong_pin(r: Result<impl std::fmt::Debug, Error>) -> bool {
    matches!(r, Err(Error::Unlock(UnlockError::Wrong)))
}

fn waits(r: Result<impl std::fmt::Debug, Error>) -> Option<u64> {
    match r {
        Err(Error::Unlock(UnlockError::Wait(s))) => Some(s),
        _ => None,
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

#[test]
fn a_new_database_has_a_random_key_wrapped_under_the_pin_in_private_files() {
    let (_dir, db) = temp_db();
    let mut app = Lanterna::unlock(&db, KEY).unwrap();
    let keys = key_file_path(&db);
    assert!(keys.exists(), "the wrapped key sits beside the database");
    // The PIN-derived key of the old scheme does not open it: the key is random.
    let derived = RawKey::derive(KEY, header_salt(&db));
    assert!(matches!(Store::open_with_key(&db, &derived), Err(StoreError::WrongKey { .. })));
    let text = fs::read_to_string(&keys).unwrap();
    assert!(text.contains("argon2id") && text.contains("xchacha20poly1305"), "{text}");

    // Database, WAL, shared memory and key file: the owner's only, after writes too.
    let mut settings = app.settings().unwrap();
    settings.unit_name = "Unità di strada".into();
    app.save_settings(&settings).unwrap();
    #[cfg(unix)]
    for suffix in ["", "-wal", "-shm", ".keys"] {
        let path = format!("{}{suffix}", db.display());
        assert_eq!(mode(Path::new(&path)), 0o600, "{path}");
    }
    drop(app);
    assert_eq!(Lanterna::unlock(&db, KEY).unwrap().settings().unwrap().unit_name, "Unità di strada");
}

#[cfg(unix)]
#[test]
fn an_old_world_readable_database_is_made_private_when_opened() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, db) = temp_db();
    drop(Lanterna::unlock(&db, KEY).unwrap());
    fs::set_permissions(&db, fs::Permissions::from_mode(0o644)).unwrap();
    drop(Lanterna::unlock(&db, KEY).unwrap());
    assert_eq!(mode(&db), 0o600);
}

#[test]
fn a_pin_change_asks_for_the_current_pin_and_rewraps_without_touching_the_pages() {
    let (_dir, db) = temp_db();
    let mut app = Lanterna::unlock(&db, KEY).unwrap();
    let pages = fs::read(&db).unwrap();
    assert!(wrong_pin(app.change_pin("99999999", NEW_PIN, NEW_PIN)), "a wrong current PIN is refused");
    assert!(matches!(app.change_pin(KEY, "1234567", "1234567"), Err(Error::Unlock(UnlockError::TooShort))));
    assert!(matches!(app.change_pin(KEY, NEW_PIN, "86420976"), Err(Error::Unlock(UnlockError::Mismatch))));
    assert!(Store::secret_opens(&db, KEY).unwrap(), "nothing changed");
    app.change_pin(KEY, NEW_PIN, NEW_PIN).unwrap();
    assert_eq!(fs::read(&db).unwrap(), pages, "a re-wrap, not a re-encryption");
    drop(app);
    assert!(wrong_pin(Lanterna::unlock(&db, KEY)));
    Lanterna::unlock(&db, NEW_PIN).unwrap();
    // A passphrase is a PIN too.
    let mut app = Lanterna::unlock(&db, NEW_PIN).unwrap();
    app.change_pin(NEW_PIN, "una notte di luna piena", "una notte di luna piena").unwrap();
    drop(app);
    Lanterna::unlock(&db, "una notte di luna piena").unwrap();
}

#[test]
fn wrong_pins_wait_across_a_restart_and_for_the_command_line() {
    let (_dir, db) = temp_db();
    drop(Lanterna::unlock(&db, KEY).unwrap());
    let vault = Vault::new(db.clone());
    for _ in 0..3 {
        assert!(wrong_pin(vault.unlock("99999999")));
    }
    drop(vault);
    // A new process, as after a restart: still waiting, even with the right PIN.
    let vault = Vault::new(db.clone());
    assert_eq!(waits(vault.unlock(KEY)), Some(1));
    assert!(!vault.is_unlocked());
    // The command line waits the same way and says for how long.
    let out = lanterna(&db, &["outings", "list"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("try again in 1 s"), "{err}");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    vault.unlock(KEY).unwrap();
    vault.lock();
    // Wrong keys on the command line count for the app too.
    for _ in 0..3 {
        let out = Command::new(env!("CARGO_BIN_EXE_lanterna"))
            .args(["--db", db.to_str().unwrap(), "outings", "list"])
            .env("LANTERNA_KEY", "99999999")
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stderr).contains("wrong PIN"), "{out:?}");
    }
    assert_eq!(waits(vault.unlock(KEY)), Some(1));
}

#[test]
fn the_command_line_never_creates_a_database_under_a_short_key() {
    let (dir, db) = temp_db();
    let csv = dir.path().join("c.csv");
    fs::write(&csv, "date,shift,activity,province,gender,nationality\n2023-03-01,night,street,BS,F,RO\n").unwrap();
    for short in ["123456", "1234567", "short words"] {
        let out = Command::new(env!("CARGO_BIN_EXE_lanterna"))
            .args(["--db", db.to_str().unwrap(), "import", csv.to_str().unwrap()])
            .env("LANTERNA_KEY", short)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{short}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("too short"), "{out:?}");
        assert!(!db.exists() && !key_file_path(&db).exists(), "{short} created a database");
    }
    let out = lanterna(&db, &["import", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
}

/// A database as the previous Lanterna left it: keyed by Argon2id(PIN) directly, no key
/// file, schema 6 (numbers stored as plain HMACs), a 6-digit PIN.
fn old_database(db: &Path) {
    drop(Store::create_at_version(db, OLD_PIN, 6).unwrap());
    assert!(!key_file_path(db).exists());
}

#[test]
fn an_old_database_opens_with_its_short_pin_moves_to_a_wrapped_key_and_wants_a_new_pin() {
    let (_dir, db) = temp_db();
    old_database(&db);
    let salt = header_salt(&db);
    let vault = Vault::new(db.clone());
    vault.unlock(OLD_PIN).unwrap();
    assert!(vault.must_change_pin() && !vault.is_unlocked(), "open, but only to change the PIN");
    assert!(matches!(vault.run(|a| a.settings()), Err(Error::Unlock(UnlockError::MustChange))));
    assert!(vault.with(|_| ()).is_none());
    // Moved already: a random key, wrapped; the PIN-derived key no longer opens it.
    assert!(key_file_path(&db).exists());
    assert!(matches!(Store::open_with_key(&db, &RawKey::derive(OLD_PIN, salt)), Err(StoreError::WrongKey { .. })));
    assert!(Store::secret_opens(&db, OLD_PIN).unwrap());
    assert!(matches!(vault.change_pin(OLD_PIN, "123456", "123456"), Err(Error::Unlock(UnlockError::TooShort))));
    vault.change_pin(OLD_PIN, NEW_PIN, NEW_PIN).unwrap();
    assert!(vault.is_unlocked() && vault.run(|a| a.settings()).is_ok());
    vault.lock();
    assert!(wrong_pin(Lanterna::unlock(&db, OLD_PIN)));
    let app = Lanterna::unlock(&db, NEW_PIN).unwrap();
    assert_eq!(Store::open(&db, NEW_PIN).unwrap().schema_version().unwrap(), SCHEMA_VERSION);
    drop(app);
}

#[test]
fn the_command_line_opens_an_old_database_only_to_change_its_short_key() {
    let (_dir, db) = temp_db();
    old_database(&db);
    let run = |key: &str, new: Option<&str>, args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_lanterna"));
        c.args(["--db", db.to_str().unwrap()]).args(args).env("LANTERNA_KEY", key);
        if let Some(n) = new {
            c.env("LANTERNA_NEW_KEY", n);
        }
        c.output().unwrap()
    };
    let out = run(OLD_PIN, None, &["outings", "list"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("change-key"), "{out:?}");
    let out = run(OLD_PIN, Some("1234567"), &["change-key"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("too short"), "{out:?}");
    let out = run(OLD_PIN, Some(NEW_PIN), &["change-key"]);
    assert!(out.status.success(), "{out:?}");
    assert!(run(NEW_PIN, None, &["outings", "list"]).status.success());
    assert!(!run(OLD_PIN, None, &["outings", "list"]).status.success());
}

/// The lock screen after an old, short PIN opened the store: a new PIN first.
#[tokio::test]
async fn the_lock_screen_asks_for_a_new_pin_after_an_old_short_one() {
    let (_dir, db) = temp_db();
    old_database(&db);
    let vault = Vault::new(db.clone());
    let mut s = Screen::new(VirtualDom::new(App).with_root_context(vault.clone()));
    assert!(!s.dom.exists("#pin2"), "an existing store asks once");
    s.input("#pin", OLD_PIN);
    s.click("#unlock");
    assert!(s.dom.exists("#pin2") && s.dom.exists("#lock-message"), "{}", s.html());
    assert!(!s.dom.exists("#start-night"), "nothing else before the new PIN");
    s.input("#pin", "1234567");
    s.input("#pin2", "1234567");
    s.click("#unlock");
    assert!(!s.dom.exists("#start-night"), "a new PIN must meet the rule: {}", s.html());
    s.input("#pin", NEW_PIN);
    s.input("#pin2", NEW_PIN);
    s.click("#unlock");
    assert!(s.dom.exists("#start-night"), "home after the new PIN: {}", s.html());
    vault.lock();
    assert!(Store::secret_opens(&db, NEW_PIN).unwrap() && !Store::secret_opens(&db, OLD_PIN).unwrap());
}

/// The PIN fields: no `<form>` to submit, `autocomplete="off"`, on the lock screen and in
/// the settings.
#[tokio::test]
async fn pin_fields_are_not_offered_to_password_managers() {
    let (_dir, db) = temp_db();
    let vault = Vault::new(db.clone());
    let mut s = Screen::new(VirtualDom::new(App).with_root_context(vault.clone()));
    let check = |s: &Screen, ids: &[&str]| {
        let html = s.html();
        assert!(!html.contains("<form"), "no submitting form around a PIN: {html}");
        for id in ids {
            assert_eq!(s.dom.attr_of(id, "autocomplete").as_deref(), Some("off"), "{id}");
            assert_eq!(s.dom.attr_of(id, "type").as_deref(), Some("password"), "{id}");
            assert!(s.dom.attr_of(id, "name").is_none(), "{id} has no name to be saved under");
        }
    };
    check(&s, &["#pin", "#pin2"]);
    s.input("#pin", KEY);
    s.input("#pin2", KEY);
    s.click("#unlock");
    s.click("#open-settings");
    let html = s.html();
    let settings = &html[html.find("class=\"settings\"").expect("the settings screen")..];
    assert!(!settings.contains("<form"), "{settings}");
    for id in ["#current-pin", "#new-pin", "#new-pin2"] {
        assert_eq!(s.dom.attr_of(id, "autocomplete").as_deref(), Some("off"), "{id}");
    }
}

fn ad() -> AdData {
    AdData {
        site: "bakecaincontri".into(),
        province: Province::parse("BS").unwrap(),
        comune: None,
        gender: Gender::F,
        nationality: Nationality::parse("RO").unwrap(),
        declared_age: Some(25),
        risky: false,
    }
}

fn hmac(key: &[u8], e164: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(e164.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn stored_hashes(store: &Store) -> Vec<Vec<u8>> {
    let mut st = store.connection().prepare("SELECT number_hash FROM indoor_ads ORDER BY id").unwrap();
    st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

fn number_key(store: &Store) -> Vec<u8> {
    store.connection().query_row("SELECT value FROM secrets WHERE name = 'number_hmac'", [], |r| r.get(0)).unwrap()
}

#[test]
fn numbers_are_stored_as_memory_hard_hashes_and_old_hmacs_are_upgraded() {
    let (_dir, db) = temp_db();
    let mut store = Store::open(&db, KEY).unwrap();
    let session = store
        .start_indoor_session(&NewIndoorSession {
            started_at: chrono::Utc::now(),
            province: Province::parse("BS").unwrap(),
            operators: 1,
            mediator_language: None,
        })
        .unwrap();
    store.add_ad(session.id, &ad(), Some("333 123 4567")).unwrap();
    let key = number_key(&store);
    let [stored] = stored_hashes(&store).try_into().unwrap();
    assert_ne!(stored, hmac(&key, "+393331234567"), "not the plain HMAC: that costs a microsecond a guess");
    assert_eq!(stored, number_hash_of(&key, "+393331234567"));
    assert_eq!(
        store.number_history(session.id, "+39 333 1234567").unwrap().ads_total,
        1,
        "one typed number still matches"
    );

    // As the previous schema left it: the plain HMAC. Opening upgrades it in place.
    store.connection().execute("UPDATE indoor_ads SET number_hash = ?1", [hmac(&key, "+393331234567")]).unwrap();
    // Schema 6 had none of what schemas 8 (the server's refusals) and 9 (emersion) brought either.
    store
        .connection()
        .execute_batch(
            "DROP TABLE refused_summaries; DROP TABLE refused_persons;
             DROP TABLE identification_facts; DROP TABLE interviews; DROP TABLE referral_requests;
             DROP TABLE helpline_reports; ALTER TABLE outings DROP COLUMN mediator_language;
             ALTER TABLE contacts DROP COLUMN outcomes; ALTER TABLE indoor_meetings DROP COLUMN outcomes;
             ALTER TABLE indoor_meetings DROP COLUMN person_id; ALTER TABLE person_merges DROP COLUMN emersion;
             DROP TABLE info_sessions; DROP TABLE outing_notes;
             ALTER TABLE outings DROP COLUMN legal_operator; ALTER TABLE outings DROP COLUMN mapping;
             ALTER TABLE indoor_sessions DROP COLUMN mediator; ALTER TABLE indoor_sessions DROP COLUMN legal_operator;
             ALTER TABLE stops DROP COLUMN presences_m; ALTER TABLE stops DROP COLUMN presences_f;
             ALTER TABLE stops DROP COLUMN presences_t; ALTER TABLE stops DROP COLUMN sector;
             ALTER TABLE stops DROP COLUMN setting; ALTER TABLE stops DROP COLUMN joint_inspection;
             ALTER TABLE contacts DROP COLUMN sector; ALTER TABLE contacts DROP COLUMN setting;
             ALTER TABLE indoor_attempts DROP COLUMN protection; ALTER TABLE indoor_attempts DROP COLUMN campaign;
             ALTER TABLE indoor_attempts DROP COLUMN message_language;
             ALTER TABLE massage_contacts DROP COLUMN protection;
             DROP TRIGGER person_periods_in; DROP TRIGGER person_periods_out; DROP TRIGGER person_periods_fixed;
             CREATE TABLE pp4 AS SELECT period, activity, province, shift, person_id, nationality, gender, minor, new,
                 protection FROM person_periods;
             DROP TABLE person_periods; ALTER TABLE pp4 RENAME TO person_periods;
             CREATE TABLE pc4 AS SELECT period, activity, province, shift, nationality, gender, minor, new, protection,
                 sum(persons) AS persons FROM period_cells GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
             DROP TABLE period_cells; ALTER TABLE pc4 RENAME TO period_cells;
             PRAGMA user_version = 6",
        )
        .unwrap();
    drop(store);
    let store = Store::open(&db, KEY).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(stored_hashes(&store), [number_hash_of(&key, "+393331234567")]);
    assert_eq!(store.number_history(session.id, "3331234567").unwrap().ads_total, 1);
}
