//! Sync in the app, apart from its panel (views/sync.rs): the store access the sync client
//! needs, a sync error in the worker's words, "sync now", and a background retry with
//! backoff while the app is open and unlocked.

use std::sync::Arc;
use std::time::Duration;

use dioxus::prelude::*;

use super::{Shared, T, Ui};
use crate::store::Store;
use crate::sync::{StoreAccess, SyncError, sync_all};

impl StoreAccess for Shared {
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> Option<R> {
        self.with(f)
    }
}

/// A sync error in the worker's words.
pub(super) fn words(ui: &Ui, e: &SyncError) -> String {
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
pub(super) async fn sync_now(mut ui: Ui, shared: Arc<Shared>) -> bool {
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
