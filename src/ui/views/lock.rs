//! The lock screen (PIN choice the first time, PIN entry after) and the neutral screen.

use dioxus::prelude::*;

use crate::app::UnlockError;
use crate::domain::rules::valid_pin;
use crate::ui::{Screen, T, Ui};

/// PIN entry; the first time, choose and repeat it.
#[component]
pub fn LockScreen() -> Element {
    let mut ui: Ui = use_context();
    let first = !ui.vault().exists();
    let mut pin = use_signal(String::new);
    let mut pin2 = use_signal(String::new);
    let mut message = use_signal(|| None::<String>);

    let mut submit = move || {
        let p = pin.peek().clone();
        if first {
            let refused = if !valid_pin(&p) {
                Some(UnlockError::TooShort)
            } else {
                (*pin2.peek() != p).then_some(UnlockError::Mismatch)
            };
            if let Some(e) = refused {
                message.set(Some(ui.words(&e.into())));
                return;
            }
        }
        match ui.vault().unlock(&p) {
            Ok(()) => {
                pin.set(String::new());
                pin2.set(String::new());
                message.set(None);
                ui.unlocked();
            }
            Err(e) => {
                pin.set(String::new());
                message.set(Some(ui.words(&e)));
            }
        }
    };

    rsx! {
        form { id: "lock-form", class: "lock",
            onsubmit: move |e| { e.prevent_default(); submit(); },
            h1 { {ui.t(T::AppName)} }
            label { r#for: "pin", {ui.t(if first { T::PinChoose } else { T::PinEnter })} }
            input { id: "pin", r#type: "password", inputmode: "numeric", autocomplete: "off",
                autofocus: true, value: "{pin}", oninput: move |e| pin.set(e.value()) }
            if first {
                label { r#for: "pin2", {ui.t(T::PinRepeat)} }
                input { id: "pin2", r#type: "password", inputmode: "numeric", autocomplete: "off",
                    value: "{pin2}", oninput: move |e| pin2.set(e.value()) }
            }
            if let Some(m) = message() {
                p { id: "lock-message", class: "error", role: "alert", "{m}" }
            }
            div { class: "actions",
                button { id: "unlock", class: "primary", r#type: "submit",
                    {ui.t(if first { T::CreateDb } else { T::Unlock })}
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
