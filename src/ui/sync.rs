//! Sync in the app, apart from its panel (views/sync.rs): "sync now" with the outcome in
//! the worker's words, and a background retry with backoff while the app is open and
//! unlocked. The use case itself is `app::sync`.

use std::sync::Arc;
use std::time::Duration;

use dioxus::prelude::*;

use super::{T, Ui, Vault};
use crate::app::Area;
use crate::app::sync::sync_all;

/// Sends what is pending; the outcome is kept as the sync status (the error in the
/// unit's language) and said in a short message.
pub(super) async fn sync_now(ui: Ui, vault: Arc<Vault>) -> bool {
    run_sync(ui, vault, true).await
}

/// One sync; `say` false keeps quiet unless something was stored (a background fetch of
/// the coordinators' feedback with nothing to send).
async fn run_sync(mut ui: Ui, vault: Arc<Vault>, say: bool) -> bool {
    let ok = match sync_all(vault.as_ref(), |_, _| {}).await {
        Ok(r) => {
            if say || r.stored > 0 {
                ui.say(format!("{}: {}", ui.t(T::SyncDone), r.stored));
            }
            true
        }
        Err(e) => {
            if say {
                ui.say(ui.words(&e));
            }
            false
        }
    };
    // The coordinators' feedback may have changed how outings and sessions are listed.
    ui.changed(&[Area::Sync, Area::Outings, Area::Indoor]);
    ok
}

/// Waits between background tries: a minute while it works, doubling up to half an hour
/// while the server cannot be reached.
const RETRY_EVERY: Duration = Duration::from_secs(60);
const RETRY_AT_MOST: Duration = Duration::from_secs(1800);

/// The background retry: tries when something can be sent, and now and then to fetch the
/// coordinators' feedback (quietly when nothing could be sent).
pub fn use_background_sync(ui: Ui) {
    use_future(move || async move {
        let mut wait = RETRY_EVERY;
        loop {
            tokio::time::sleep(wait).await;
            let vault = ui.vault();
            if vault.with(|app| app.sync_due().unwrap_or(false)) != Some(true) {
                wait = RETRY_EVERY;
                continue;
            }
            let sendable = vault.with(|app| app.sendable_count().unwrap_or(0) > 0) == Some(true);
            wait = if run_sync(ui, vault, sendable).await { RETRY_EVERY } else { (wait * 2).min(RETRY_AT_MOST) };
        }
    });
}
