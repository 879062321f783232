//! Sync in the app: enroll with the coordinator's code, the status (last success, pending
//! summaries, the last error in plain words), "sync now", and a background retry with
//! backoff while the app is open and unlocked.

use std::sync::Arc;
use std::time::Duration;

use dioxus::prelude::*;

use super::{Shared, T, Ui};
use crate::store::Store;
use crate::sync::{StoreAccess, SyncError, enroll, sync_all};

impl StoreAccess for Shared {
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> Option<R> {
        self.with(f)
    }
}

/// A sync error in the worker's words.
fn words(ui: &Ui, e: &SyncError) -> String {
    match e {
        SyncError::NotEnrolled => ui.t(T::SyncNotEnrolled).to_owned(),
        SyncError::Unreachable { .. } => ui.t(T::SyncOffline).to_owned(),
        SyncError::Revoked => ui.t(T::SyncRevoked).to_owned(),
        SyncError::Refused { message, .. } => format!("{}: {message}", ui.t(T::SyncRefused)),
        SyncError::BadUrl(m) => m.clone(),
        SyncError::Store(e) => e.to_string(),
    }
}

/// Sends what is pending; the result goes to the store's status and a short message.
async fn sync_now(mut ui: Ui, shared: Arc<Shared>) -> bool {
    let ok = match sync_all(shared.as_ref(), |_, _| {}).await {
        Ok(r) => {
            ui.say(format!("{}: {}", ui.t(T::SyncDone), r.stored));
            true
        }
        Err(e) => {
            // The store keeps the English text; the screen says it in the worker's words.
            let text = words(&ui, &e);
            let _ = shared.with(|s| {
                let mut st = s.sync_status().unwrap_or_default();
                st.last_error = Some(text.clone());
                s.set_sync_status(&st)
            });
            ui.say(text);
            false
        }
    };
    *ui.rev.write() += 1;
    ok
}

/// The background retry: tries when something is pending, every minute while it works,
/// backing off to half an hour while the server cannot be reached.
pub fn use_background_sync(ui: Ui) {
    use_future(move || async move {
        let mut wait = Duration::from_secs(60);
        loop {
            tokio::time::sleep(wait).await;
            let shared = ui.shared();
            let due = shared.with(|s| s.sync_endpoint().ok().flatten().is_some() && s.pending_count().unwrap_or(0) > 0);
            if due != Some(true) {
                wait = Duration::from_secs(60);
                continue;
            }
            wait = if sync_now(ui, shared).await {
                Duration::from_secs(60)
            } else {
                (wait * 2).min(Duration::from_secs(1800))
            };
        }
    });
}

/// Status line and "sync now" (home), or the full panel with enrollment (settings).
#[component]
pub fn SyncPanel(full: bool) -> Element {
    let mut ui: Ui = use_context();
    let mut url = use_signal(String::new);
    let mut code = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let endpoint = ui.read(|s| s.sync_endpoint()).flatten();
    let status = ui.read(|s| s.sync_status()).unwrap_or_default();
    let pending = ui.read(|s| s.pending_count()).unwrap_or(0);
    let when = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&chrono_tz::Europe::Rome).format("%d/%m/%Y %H:%M").to_string()
    };
    let line = match status.last_success {
        Some(t) => format!("{} {} · {pending} {}", ui.t(T::LastSync), when(t), ui.t(T::Pending)),
        None => format!("{} · {pending} {}", ui.t(T::NeverSynced), ui.t(T::Pending)),
    };
    let go = move |_| {
        if busy() {
            return;
        }
        busy.set(true);
        let shared = ui.shared();
        spawn(async move {
            sync_now(ui, shared).await;
            busy.set(false);
        });
    };
    let do_enroll = move |_| {
        let (u, c) = (url.peek().trim().to_owned(), code.peek().trim().to_owned());
        let shared = ui.shared();
        busy.set(true);
        spawn(async move {
            match enroll(shared.as_ref(), &u, &c).await {
                Ok(()) => {
                    code.set(String::new());
                    ui.say(ui.t(T::Enrolled));
                }
                Err(e) => ui.error.set(Some(words(&ui, &e))),
            }
            busy.set(false);
            *ui.rev.write() += 1;
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
