//! The sync panel: enroll with the coordinator's code, the status (last success, pending
//! summaries, the last error in plain words) and "sync now".

use dioxus::prelude::*;

use crate::app::Area;
use crate::app::sync::{RefusedKind, RefusedRow, SyncView, enroll};
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
    let SyncView { endpoint, status, pending, closed, refused, http_allowed } =
        ui.read(&[Area::Sync], |app| app.sync_view()).unwrap_or_default();
    let mut hosts = use_signal(|| None::<String>);
    let hosts_text = hosts().unwrap_or_else(|| http_allowed.join(", "));
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
    if !refused.is_empty() {
        line.push_str(&format!(" ({} {})", refused.len(), ui.t(T::HeldRefused)));
    }
    let save_hosts = move |_| {
        let text = hosts.peek().clone().unwrap_or_default();
        if ui.write(|app| app.set_http_allowed(&text)).is_some() {
            hosts.set(None);
            ui.say(ui.t(T::Saved));
        }
    };
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
                    if !refused.is_empty() {
                        Refused { rows: refused.clone() }
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
                    label { {ui.t(T::HttpAllowed)}
                        input { id: "sync-http-allowed", r#type: "text", autocomplete: "off", placeholder: "10.0.0.5:8787",
                            value: "{hosts_text}", oninput: move |e| hosts.set(Some(e.value())) }
                    }
                    p { class: "warn", {ui.t(T::HttpAllowedWarning)} }
                    button { id: "sync-http-save", class: "small", onclick: save_hosts, {ui.t(T::SaveHttpAllowed)} }
                }
            }
        }
    }
}

/// The outings and sessions the server refused: which (kind and day) and why.
#[component]
fn Refused(
    /// The refused revisions, oldest day first.
    rows: Vec<RefusedRow>,
) -> Element {
    let ui: Ui = use_context();
    let lang = ui.lang();
    rsx! {
        div { id: "sync-refused", class: "warn",
            p { {ui.t(T::RefusedTitle)} }
            ul {
                for r in rows {
                    li { key: "{r.id}", "data-refused": "{r.id}", "data-reason": r.reason.code(),
                        {format!(
                            "{} {} {}: {}",
                            ui.t(match r.kind {
                                RefusedKind::Outing => T::RefusedOuting,
                                RefusedKind::Session => T::RefusedSession,
                                RefusedKind::Deleted => T::RefusedDeleted,
                            }),
                            r.activity.label(lang),
                            r.date.format("%d/%m/%Y"),
                            r.reason.label(lang)
                        )}
                    }
                }
            }
        }
    }
}
