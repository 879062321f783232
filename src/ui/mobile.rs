//! Phones: the app locks when it leaves the foreground.
//!
//! tao reports Android's `onPause` and iOS's `applicationWillResignActive` as
//! [`Event::Suspended`]: the worker pressed Home, switched apps, the screen went off, or (on
//! iOS) a system sheet came up. The database is closed and its key forgotten at that moment,
//! so a phone picked up from a table, or the app brought back from the task switcher, shows
//! the PIN screen. Screenshots and the task switcher's snapshot are handled by the platform
//! files (`platforms/android/MainActivity.kt`: FLAG_SECURE; iOS: see
//! `platforms/ios/README.md`).
//!
//! Untested on a device here (no Android or iOS build on this machine); it compiles on the
//! host with `--no-default-features --features mobile`, where tao never sends the event.

use dioxus::mobile::tao::event::Event;
use dioxus::mobile::use_wry_event_handler;

use super::Ui;

/// Locks the vault and shows the PIN screen when the app goes to the background.
pub fn use_lock_in_background(mut ui: Ui) {
    use_wry_event_handler(move |event, _| {
        if matches!(event, Event::Suspended) {
            ui.lock(false);
        }
    });
}
