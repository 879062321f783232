//! The field app: one component tree for the three launchers (liveview in the browser,
//! a desktop window, phones). Every store write happens in the event handler, inside its
//! own transaction, before the view shows it as done.

pub mod components;
pub mod i18n;
mod sync;
mod views;

#[cfg(feature = "liveview")]
pub mod liveview;
#[cfg(any(feature = "desktop", feature = "mobile"))]
mod native;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use dioxus::prelude::*;
use uuid::Uuid;

pub use self::i18n::T;
use crate::domain::Lang;
use crate::domain::settings::{Settings, Theme};
use crate::store::{self, Store, StoreError};

/// The style sheet: phone first (360×740), targets of at least 48 px, dark by default.
const CSS: &str = include_str!("style.css");

/// What the app shares across windows and connections: the database and its lock.
pub struct Shared {
    db_path: PathBuf,
    store: Mutex<Option<Store>>,
    failures: Mutex<Failures>,
}

#[derive(Default)]
struct Failures {
    count: u32,
    until: Option<Instant>,
}

/// Why unlocking failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnlockError {
    /// Not at least 6 digits.
    TooShort,
    /// The PIN does not open the database.
    Wrong,
    /// Too many wrong PINs: wait this many seconds.
    Wait(u64),
    /// Anything else (unreadable file, ...), in plain words.
    Other(String),
}

/// A PIN is at least 6 digits and nothing else.
pub fn valid_pin(pin: &str) -> bool {
    pin.len() >= 6 && pin.bytes().all(|b| b.is_ascii_digit())
}

/// Wrong PINs in a row before each further attempt waits, doubling up to 5 minutes.
const FREE_ATTEMPTS: u32 = 3;

impl Shared {
    /// The app state for a database file (which may not exist yet).
    pub fn new(db_path: PathBuf) -> Arc<Shared> {
        Arc::new(Shared { db_path, store: Mutex::new(None), failures: Mutex::new(Failures::default()) })
    }

    /// The database file.
    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// Whether the database exists (else the lock screen asks for a new PIN).
    pub fn exists(&self) -> bool {
        self.db_path.exists()
    }

    fn store(&self) -> MutexGuard<'_, Option<Store>> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the store is open.
    pub fn is_unlocked(&self) -> bool {
        self.store().is_some()
    }

    /// Opens (or, the first time, creates) the database with the PIN. The SQLCipher key is
    /// derived from the PIN with Argon2id (m = 64 MiB, t = 3, p = 1: about half a second on
    /// a mid-range phone, see `store::key`). Wrong PINs change nothing; after three in a row,
    /// each attempt waits 1, 2, 4 ... seconds (at most five minutes).
    pub fn unlock(&self, pin: &str) -> Result<(), UnlockError> {
        if !valid_pin(pin) {
            return Err(UnlockError::TooShort);
        }
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(until) = failures.until {
            let now = Instant::now();
            if until > now {
                return Err(UnlockError::Wait((until - now).as_secs() + 1));
            }
        }
        let opened =
            if self.exists() { Store::open_existing(&self.db_path, pin) } else { Store::open(&self.db_path, pin) };
        match opened {
            Ok(store) => {
                *failures = Failures::default();
                *self.store() = Some(store);
                Ok(())
            }
            Err(StoreError::WrongKey { .. }) => {
                failures.count += 1;
                if failures.count >= FREE_ATTEMPTS {
                    let wait = 1u64 << (failures.count - FREE_ATTEMPTS).min(9);
                    failures.until = Some(Instant::now() + Duration::from_secs(wait.min(300)));
                }
                Err(UnlockError::Wrong)
            }
            Err(e) => Err(UnlockError::Other(e.to_string())),
        }
    }

    /// Closes the store: the key leaves memory with it.
    pub fn lock(&self) {
        *self.store() = None;
    }

    /// Runs `f` on the open store; `None` when locked.
    pub fn with<R>(&self, f: impl FnOnce(&mut Store) -> R) -> Option<R> {
        self.store().as_mut().map(f)
    }
}

/// Opens the app in a native window (`desktop`) or as the phone app (`mobile`); returns
/// when it is closed. Without either feature, does nothing.
pub fn launch_native(shared: Arc<Shared>) {
    #[cfg(any(feature = "desktop", feature = "mobile"))]
    native::launch(shared);
    #[cfg(not(any(feature = "desktop", feature = "mobile")))]
    let _ = shared;
}

/// The screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// PIN entry (or choice, the first time).
    Lock,
    /// The neutral screen "hide" shows.
    Hidden,
    /// Start or resume outings, past outings.
    Home,
    /// Recording an outing.
    Outing(Uuid),
    /// The summary of an outing before closing it.
    Summary(Uuid),
    /// An indoor session.
    Indoor(Uuid),
    /// Settings.
    Settings,
}

/// How long a short message stays.
const TOAST_FOR: Duration = Duration::from_millis(2500);

/// The view state every screen shares.
#[derive(Clone, Copy)]
pub struct Ui {
    /// Current screen.
    pub screen: Signal<Screen>,
    /// Bumped after every write, so views read the store again.
    pub rev: Signal<u64>,
    /// The unit's settings (language, theme, kit...).
    pub settings: Signal<Settings>,
    /// A short message at the bottom ("Registrato ...").
    pub toast: Signal<Option<String>>,
    /// An error in plain words.
    pub error: Signal<Option<String>>,
    /// Last touch, for the idle lock.
    pub touched: Signal<Instant>,
    shared: Signal<Arc<Shared>>,
}

impl Ui {
    /// The interface language.
    pub fn lang(&self) -> Lang {
        self.settings.read().lang
    }

    /// A string of the interface.
    pub fn t(&self, t: T) -> &'static str {
        t.get(self.lang())
    }

    /// Reads from the store (and re-renders after the next write). Locked: `None`.
    pub fn read<R>(&self, f: impl FnOnce(&Store) -> store::Result<R>) -> Option<R> {
        let _ = (self.rev)();
        let shared = self.shared.peek().clone();
        match shared.with(|s| f(s)) {
            Some(Ok(r)) => Some(r),
            Some(Err(e)) => {
                tracing_error(&e);
                None
            }
            None => None,
        }
    }

    /// Writes to the store: durable when this returns `Some`. Errors are shown; locked
    /// stores send the view to the lock screen.
    pub fn write<R>(&mut self, f: impl FnOnce(&mut Store) -> store::Result<R>) -> Option<R> {
        let shared = self.shared.peek().clone();
        match shared.with(f) {
            Some(Ok(r)) => {
                *self.rev.write() += 1;
                self.error.set(None);
                Some(r)
            }
            Some(Err(e)) => {
                self.error.set(Some(e.to_string()));
                None
            }
            None => {
                self.screen.set(Screen::Lock);
                None
            }
        }
    }

    /// Shows a short message.
    /// It goes away after a few seconds unless another one replaced it.
    pub fn say(&mut self, text: impl Into<String>) {
        let text = text.into();
        self.toast.set(Some(text.clone()));
        let mut toast = self.toast;
        spawn(async move {
            tokio::time::sleep(TOAST_FOR).await;
            if toast.peek().as_deref() == Some(text.as_str()) {
                toast.set(None);
            }
        });
    }

    /// The shared state.
    pub fn shared(&self) -> Arc<Shared> {
        self.shared.peek().clone()
    }

    /// Locks now; `hide` shows the neutral screen instead of the PIN.
    pub fn lock(&mut self, hide: bool) {
        self.shared.peek().lock();
        self.toast.set(None);
        self.error.set(None);
        self.screen.set(if hide { Screen::Hidden } else { Screen::Lock });
    }

    /// After unlocking: load settings, go home (or to the open outing).
    pub fn unlocked(&mut self) {
        if let Some(s) = self.read(|s| s.settings()) {
            self.settings.set(s);
        }
        let open = self.read(|s| s.open_outings()).unwrap_or_default();
        self.touched.set(Instant::now());
        self.screen.set(match open.first() {
            Some(o) => Screen::Outing(o.id),
            None => Screen::Home,
        });
    }
}

fn tracing_error(e: &StoreError) {
    eprintln!("lanterna: {e}");
}

/// The root component. The shared state comes from the root context (`Arc<Shared>`).
#[component]
pub fn App() -> Element {
    let shared: Arc<Shared> = use_context();
    let unlocked = shared.is_unlocked();
    let mut ui = use_context_provider(|| Ui {
        screen: Signal::new(Screen::Lock),
        rev: Signal::new(0),
        settings: Signal::new(Settings::default()),
        toast: Signal::new(None),
        error: Signal::new(None),
        touched: Signal::new(Instant::now()),
        shared: Signal::new(shared.clone()),
    });
    // A new window or connection while the store is open (liveview reloads) resumes it.
    use_hook(move || {
        if unlocked {
            ui.unlocked();
        }
    });
    sync::use_background_sync(ui);
    // The idle lock: checked every few seconds, never while locked already.
    use_future(move || async move {
        loop {
            tokio::time::sleep(Duration::from_secs(5)).await;
            let minutes = ui.settings.peek().idle_lock_minutes.max(1) as u64;
            let locked = matches!(*ui.screen.peek(), Screen::Lock | Screen::Hidden);
            if !locked && ui.touched.peek().elapsed() >= Duration::from_secs(minutes * 60) {
                ui.lock(false);
            }
        }
    });

    let theme = match ui.settings.read().theme {
        Theme::Dark => "dark",
        Theme::Light => "light",
    };
    let screen = (ui.screen)();
    let locked_screen = matches!(screen, Screen::Lock | Screen::Hidden);
    // The window's title says nothing either while the neutral screen is up.
    let title = if screen == Screen::Hidden { ui.t(T::HiddenTitle) } else { ui.t(T::AppName) };
    rsx! {
        document::Title { "{title}" }
        style { {CSS} }
        div {
            id: "app",
            class: "app {theme}",
            lang: if ui.lang() == Lang::It { "it" } else { "en" },
            onclick: move |_| ui.touched.set(Instant::now()),
            oninput: move |_| ui.touched.set(Instant::now()),
            if !locked_screen {
                header { class: "bar",
                    span { class: "title", {ui.t(T::AppName)} }
                    button { id: "lock", class: "ghost", onclick: move |_| ui.lock(false), {ui.t(T::Lock)} }
                    button { id: "hide", class: "ghost hide", onclick: move |_| ui.lock(true), {ui.t(T::Hide)} }
                }
            }
            if let Some(err) = (ui.error)() {
                div { id: "error", class: "error", role: "alert", onclick: move |_| ui.error.set(None), "{err}" }
            }
            main { class: "screen",
                match screen {
                    Screen::Lock => rsx! { views::lock::LockScreen {} },
                    Screen::Hidden => rsx! { views::lock::HiddenScreen {} },
                    Screen::Home => rsx! { views::home::HomeScreen {} },
                    Screen::Outing(id) => rsx! { views::outing::OutingScreen { id } },
                    Screen::Summary(id) => rsx! { views::summary::SummaryScreen { id } },
                    Screen::Indoor(id) => rsx! { views::indoor::IndoorScreen { id } },
                    Screen::Settings => rsx! { views::settings::SettingsScreen {} },
                }
            }
            if let Some(text) = (ui.toast)() {
                if !locked_screen {
                    div { id: "toast", class: "toast", role: "status", "{text}" }
                }
            }
        }
    }
}
