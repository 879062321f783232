//! Native renderers: a window on a laptop (`desktop`, sized like a phone held upright) and
//! the phone app (`mobile`, built by `dx serve --platform android|ios`).

use std::sync::Arc;

use super::{App, Vault};

/// Opens the window; returns when it is closed.
#[cfg(feature = "desktop")]
pub fn launch(vault: Arc<Vault>) {
    use dioxus::desktop::{Config, LogicalSize, WindowBuilder};
    let window = WindowBuilder::new().with_title("Lanterna").with_inner_size(LogicalSize::new(400.0, 800.0));
    dioxus::LaunchBuilder::desktop()
        .with_cfg(Config::new().with_window(window).with_menu(None))
        .with_context(vault)
        .launch(App);
}

/// Starts the phone app.
#[cfg(all(feature = "mobile", not(feature = "desktop")))]
pub fn launch(vault: Arc<Vault>) {
    dioxus::LaunchBuilder::new().with_context(vault).launch(App);
}
