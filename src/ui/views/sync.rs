//! The sync panel: enroll with the coordinator's code, the status (last success, pending
//! summaries, the last error in plain words) and "sync now".

use dioxus::prelude::*;

use crate::app::Area;
use crate::app::sync::{SyncView, enroll};
use crate::ui::sync::sync_now;
use crate::ui::{T, Ui};

/// Status line and "sync now" (home), or the full panel with enrollment (settings).
#[component]
pub fn SyncPanel(
    /// The full panel with enrollment (settings); otherwise the status line alone (home).
    full: bool,
) -> Element {
    let mut ui: Ui = use_context();
    let mut url = use_signal(String::new);
    let mut code = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let SyncView { endpoint, status, pending, closed } =
        ui.read(&[Area::Sync], |app| app.sync_view()).unwrap_or_default();
    let when = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&chrono_tz::Europe::Rome).format("%d/%m/%Y %H:%M").to_string()
    };
    let mut line = match status.last_success {
        Some(t) => format!("{} {} · {pending} {}", ui.t(T::LastSync), when(t), ui.t(T::Pending)),
        None => format!("{} · {pending} {}", ui.t(T::NeverSynced), ui.t(T::Pending)),
    };
    if closed > 0 {
        line.push_str(&format!(" ({closed} {})", ui.t(T::HeldClosed)));
    }
    let go = move |_| {
        if busy() {
            return;
        }
        busy.set(true);
        let vault = ui.vault();
        spawn(async move {
            sync_now(ui, vault).await;
            busy.set(false);
        });
    };
    let do_enroll = move |_| {
        let (u, c) = (url.peek().trim().to_owned(), code.peek().trim().to_owned());
        let vault = ui.vault();
        busy.set(true);
        spawn(async move {
            match enroll(vault.as_ref(), &u, &c).await {
                Ok(()) => {
                    code.set(String::new());
                    ui.say(ui.t(T::Enrolled));
                }
                Err(e) => ui.error.set(Some(ui.words(&e))),
            }
            busy.set(false);
            ui.changed(&[Area::Sync]);
        });
    };
    rsx! {
        if endpoint.is_some() || full {
            fieldset { id: "sync", class: "sync",
                legend { {ui.t(T::SyncTitle)} }
                if endpoint.is_some() {
                    p { id: "sync-status", class: "muted", "{line}" }
                    if let Some(e) = status.last_error.clone() {
                        p { id: "sync-error", class: "warn", "{e}" }
                    }
                    button { id: "sync-now", class: "small", disabled: busy(), onclick: go, {ui.t(T::SyncNow)} }
                } else {
                    p { class: "muted", {ui.t(T::SyncNotEnrolled)} }
                }
                if full {
                    input { id: "sync-url", r#type: "url", placeholder: "https://…", value: "{url}",
                        oninput: move |e| url.set(e.value()) }
                    input { id: "sync-code", r#type: "text", autocomplete: "off", placeholder: "ABCD-EFGH-JKLM-NPQR",
                        value: "{code}", oninput: move |e| code.set(e.value()) }
                    button { id: "sync-enroll", class: "small", disabled: busy(), onclick: do_enroll, {ui.t(T::Enroll)} }
                }
            }
        }
    }
}
