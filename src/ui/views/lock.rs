//! The lock screen (PIN choice the first time, PIN entry after) and the neutral screen.

use dioxus::prelude::*;

use crate::app::UnlockError;
use crate::domain::rules::valid_pin;
use crate::ui::{Screen, T, Ui};

/// PIN entry; the first time, choose and repeat it. After an old PIN shorter than the rule
/// opened the store, choose a new one before anything else.
///
/// The fields are not in a `<form>` and carry `autocomplete="off"`: nothing is submitted,
/// so password managers neither offer to save the PIN nor fill it in. Enter in a field, or
/// the button, unlocks.
#[component]
pub fn LockScreen() -> Element {
    let mut ui: Ui = use_context();
    let first = !ui.vault().exists();
    let mut pin = use_signal(String::new);
    let mut pin2 = use_signal(String::new);
    let mut message = use_signal(|| None::<String>);
    // The short PIN that opened an old store, kept until the new one replaces it.
    let mut old_pin = use_signal(|| None::<String>);

    let mut submit = move || {
        let p = pin.peek().clone();
        let p2 = pin2.peek().clone();
        let old = old_pin.peek().clone();
        if let Some(current) = old {
            match ui.vault().change_pin(&current, &p, &p2) {
                Ok(()) => {
                    pin.set(String::new());
                    pin2.set(String::new());
                    old_pin.set(None);
                    message.set(None);
                    ui.unlocked();
                }
                Err(e) => message.set(Some(ui.words(&e))),
            }
            return;
        }
        if first {
            let refused =
                if !valid_pin(&p) { Some(UnlockError::TooShort) } else { (p2 != p).then_some(UnlockError::Mismatch) };
            if let Some(e) = refused {
                message.set(Some(ui.words(&e.into())));
                return;
            }
        }
        match ui.vault().unlock(&p) {
            Ok(()) => {
                pin.set(String::new());
                pin2.set(String::new());
                if ui.vault().must_change_pin() {
                    old_pin.set(Some(p));
                    message.set(Some(ui.words(&UnlockError::MustChange.into())));
                } else {
                    message.set(None);
                    ui.unlocked();
                }
            }
            Err(e) => {
                pin.set(String::new());
                message.set(Some(ui.words(&e)));
            }
        }
    };
    let choosing = first || old_pin().is_some();
    let on_enter = move |e: KeyboardEvent| {
        if e.key() == Key::Enter {
            submit();
        }
    };

    rsx! {
        div { id: "lock-form", class: "lock",
            h1 { {ui.t(T::AppName)} }
            label { r#for: "pin",
                {ui.t(if old_pin().is_some() { T::PinChooseNew } else if first { T::PinChoose } else { T::PinEnter })}
            }
            input { id: "pin", r#type: "password", autocomplete: "off", autocapitalize: "off", spellcheck: "false",
                "data-lpignore": "true", autofocus: true, value: "{pin}",
                oninput: move |e| pin.set(e.value()), onkeydown: on_enter }
            if choosing {
                p { id: "pin-rule", class: "hint", {ui.t(T::PinRule)} }
                label { r#for: "pin2", {ui.t(T::PinRepeat)} }
                input { id: "pin2", r#type: "password", autocomplete: "off", autocapitalize: "off", spellcheck: "false",
                    "data-lpignore": "true", value: "{pin2}",
                    oninput: move |e| pin2.set(e.value()), onkeydown: on_enter }
            }
            if let Some(m) = message() {
                p { id: "lock-message", class: "error", role: "alert", "{m}" }
            }
            div { class: "actions",
                button { id: "unlock", class: "primary", r#type: "button", onclick: move |_| submit(),
                    {ui.t(if old_pin().is_some() { T::ChangePin } else if first { T::CreateDb } else { T::Unlock })}
                }
            }
        }
    }
}

/// What "hide" shows: nothing that says what the phone holds. A tap leads to the PIN.
#[component]
pub fn HiddenScreen() -> Element {
    let mut ui: Ui = use_context();
    // A clock that keeps time, like the screen it pretends to be.
    let mut now = use_signal(chrono::Local::now);
    use_future(move || async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(15)).await;
            now.set(chrono::Local::now());
        }
    });
    rsx! {
        div { id: "hidden", class: "hidden-screen", onclick: move |_| ui.screen.set(Screen::Lock),
            div { class: "clock", {now().format("%H:%M").to_string()} }
        }
    }
}
