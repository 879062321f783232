//! The field app: one component tree for the three launchers (liveview in the browser,
//! a desktop window, phones). Every store write happens in the event handler, inside its
//! own transaction, before the view shows it as done.

pub mod components;
pub mod i18n;
mod sync;
mod views;

#[cfg(feature = "liveview")]
pub mod liveview;
#[cfg(feature = "mobile")]
mod mobile;
#[cfg(any(feature = "desktop", feature = "mobile"))]
mod native;

use std::sync::Arc;
use std::time::{Duration, Instant};

use dioxus::prelude::*;
use uuid::Uuid;

pub use self::i18n::T;
pub use crate::app::Vault;
use crate::app::{Area, Done, Lanterna, messages};
use crate::domain::Lang;
use crate::domain::settings::{Settings, Theme};

/// The style sheet: phone first (360×740), targets of at least 48 px, dark by default.
const CSS: &str = include_str!("style.css");

/// Opens the app in a native window (`desktop`) or as the phone app (`mobile`); returns
/// when it is closed. Without either feature, does nothing.
pub fn launch_native(vault: Arc<Vault>) {
    #[cfg(any(feature = "desktop", feature = "mobile"))]
    native::launch(vault);
    #[cfg(not(any(feature = "desktop", feature = "mobile")))]
    let _ = vault;
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
    /// The register: search, a new person.
    Persons,
    /// A person's card and interviews.
    Person {
        /// The person (register id).
        id: i64,
        /// The desk session it was opened from ("back" returns there).
        from: Option<Uuid>,
        /// The province an interview defaults to.
        province: Option<crate::domain::Province>,
        /// The interview form opens at once.
        interview: bool,
    },
    /// Helpline reports.
    Helpline,
}

/// How long a short message stays.
const TOAST_FOR: Duration = Duration::from_millis(2500);

/// One revision counter per area of the records: a write bumps the areas it changed,
/// and a view that read an area renders again.
#[derive(Clone, Copy)]
pub struct Revisions([Signal<u64>; Area::ALL.len()]);

impl Revisions {
    fn new() -> Revisions {
        Revisions(Area::ALL.map(|_| Signal::new(0)))
    }

    /// Subscribes the current view to `area`.
    fn track(&self, area: Area) {
        let _ = self.0[area as usize]();
    }

    /// Marks `area` changed.
    fn bump(&mut self, area: Area) {
        *self.0[area as usize].write() += 1;
    }
}

/// The view state every screen shares.
#[derive(Clone, Copy)]
pub struct Ui {
    /// Current screen.
    pub screen: Signal<Screen>,
    /// Per-area revisions, bumped by the writes that change them.
    pub revs: Revisions,
    /// The unit's settings (language, theme, kit...).
    pub settings: Signal<Settings>,
    /// A short message at the bottom ("Registrato ...").
    pub toast: Signal<Option<String>>,
    /// An error in plain words, in the interface language.
    pub error: Signal<Option<String>>,
    /// Last touch, for the idle lock.
    pub touched: Signal<Instant>,
    vault: Signal<Arc<Vault>>,
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

    /// An error of the application layer in the interface language.
    pub fn words(&self, e: &crate::app::Error) -> String {
        messages::message(e, self.lang())
    }

    /// Loads from the open database and renders again when one of `areas` changes.
    /// Locked, or failed: `None`.
    pub fn read<R>(&self, areas: &[Area], f: impl FnOnce(&Lanterna) -> crate::app::Result<R>) -> Option<R> {
        areas.iter().for_each(|a| self.revs.track(*a));
        let vault = self.vault.peek().clone();
        match vault.with(|app| f(app)) {
            Some(Ok(r)) => Some(r),
            Some(Err(e)) => {
                // A read never writes the signals it renders from: logged, the view shows
                // what it has.
                eprintln!("lanterna: {e}");
                None
            }
            None => None,
        }
    }

    /// Runs a use case that writes: durable when this returns `Some`, and the areas it
    /// changed render again. Errors are shown in the interface language; a locked
    /// database sends the view to the lock screen.
    pub fn write<R>(&mut self, f: impl FnOnce(&mut Lanterna) -> crate::app::Result<Done<R>>) -> Option<R> {
        let vault = self.vault.peek().clone();
        match vault.with(f) {
            Some(Ok(done)) => {
                done.changed.areas().for_each(|a| self.revs.bump(a));
                self.error.set(None);
                Some(done.value)
            }
            Some(Err(e)) => {
                self.error.set(Some(self.words(&e)));
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

    /// The database and its lock.
    pub fn vault(&self) -> Arc<Vault> {
        self.vault.peek().clone()
    }

    /// Marks areas changed by something outside a `write` (a sync run in the background).
    pub fn changed(&mut self, areas: &[Area]) {
        areas.iter().for_each(|a| self.revs.bump(*a));
    }

    /// Locks now; `hide` shows the neutral screen instead of the PIN.
    pub fn lock(&mut self, hide: bool) {
        self.vault.peek().lock();
        self.toast.set(None);
        self.error.set(None);
        self.screen.set(if hide { Screen::Hidden } else { Screen::Lock });
    }

    /// After unlocking: load settings, go home (or to the open outing).
    pub fn unlocked(&mut self) {
        if let Some(s) = self.read(&[], |app| app.settings()) {
            self.settings.set(s);
        }
        let open = self.read(&[], |app| app.open_outings()).unwrap_or_default();
        self.touched.set(Instant::now());
        self.screen.set(match open.first() {
            Some(o) => Screen::Outing(o.id),
            None => Screen::Home,
        });
    }
}

/// The root component. The database and its lock come from the root context (`Arc<Vault>`).
#[component]
pub fn App() -> Element {
    let vault: Arc<Vault> = use_context();
    let unlocked = vault.is_unlocked();
    let mut ui = use_context_provider(|| Ui {
        screen: Signal::new(Screen::Lock),
        revs: Revisions::new(),
        settings: Signal::new(Settings::default()),
        toast: Signal::new(None),
        error: Signal::new(None),
        touched: Signal::new(Instant::now()),
        vault: Signal::new(vault.clone()),
    });
    // A new window or connection while the store is open (liveview reloads) resumes it.
    use_hook(move || {
        if unlocked {
            ui.unlocked();
        }
    });
    sync::use_background_sync(ui);
    #[cfg(feature = "mobile")]
    mobile::use_lock_in_background(ui);
    // The idle lock: checked every few seconds, never while locked already.
    use_future(move || async move {
        loop {
            tokio::time::sleep(Duration::from_secs(5)).await;
            let minutes = ui.settings.peek().idle_lock_minutes.max(1) as u64;
            let locked = matches!(*ui.screen.peek(), Screen::Lock | Screen::Hidden);
            // Locked from outside this view (the liveview server when the tab went quiet,
            // the phone going to the background): the screen follows.
            let closed = !ui.vault.peek().is_unlocked();
            if !locked && (closed || ui.touched.peek().elapsed() >= Duration::from_secs(minutes * 60)) {
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
                    Screen::Persons => rsx! { views::persons::PersonsScreen {} },
                    Screen::Person { id, from, province, interview } => rsx! {
                        views::persons::PersonScreen { key: "{id}", id, from, province, interview }
                    },
                    Screen::Helpline => rsx! { views::helpline::HelplineScreen {} },
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
