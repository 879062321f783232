//! The bar of primary actions at the bottom of a screen, within reach of a thumb.

use dioxus::prelude::*;

/// The bottom bar: its children are the screen's primary actions, left to right.
#[component]
pub fn BottomBar(
    /// Hides the bar (a tab without actions of its own).
    #[props(default)]
    hidden: bool,
    /// The action buttons.
    children: Element,
) -> Element {
    rsx! {
        nav { class: "bottom", hidden, {children} }
    }
}
