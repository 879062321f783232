//! A group of chips that toggle, shaped after the toggle group of DioxusLabs/components:
//! the group knows which chips are pressed and reports every change through `on_change`;
//! each [`Chip`] knows only its index. One chip at most (radio-style) or several at once.

use dioxus::prelude::*;

/// What the chips of a group share.
#[derive(Clone, Copy)]
struct ChipCtx {
    pressed: ReadSignal<Vec<usize>>,
    on_change: EventHandler<Vec<usize>>,
    multiple: bool,
    required: bool,
    item_class: &'static str,
}

impl ChipCtx {
    fn is_pressed(&self, index: usize) -> bool {
        self.pressed.read().contains(&index)
    }

    /// The pressed set after a tap on `index`.
    fn toggle(&self, index: usize) {
        let mut pressed = self.pressed.peek().clone();
        if pressed.contains(&index) {
            if self.required && !self.multiple {
                return;
            }
            pressed.retain(|i| *i != index);
        } else {
            if !self.multiple {
                pressed.clear();
            }
            pressed.push(index);
        }
        self.on_change.call(pressed);
    }
}

/// A group of toggling chips; its children are [`Chip`]s.
#[component]
pub fn ChipGroup(
    /// Indices of the pressed chips.
    pressed: ReadSignal<Vec<usize>>,
    /// Called with the indices pressed after a tap.
    on_change: EventHandler<Vec<usize>>,
    /// Several chips may be pressed at once; otherwise pressing one releases the others.
    #[props(default)]
    multiple: bool,
    /// A single-choice group that always keeps its choice: tapping the pressed chip does nothing.
    #[props(default)]
    required: bool,
    /// Class of every chip ("chip", "seg", "gender"); pressed ones add "on".
    #[props(default = "chip")]
    item_class: &'static str,
    /// Class of the group's element.
    #[props(default = "chips".to_string())]
    class: String,
    /// What the group chooses, for screen readers.
    #[props(default)]
    label: Option<String>,
    /// The chips.
    children: Element,
) -> Element {
    use_context_provider(|| ChipCtx { pressed, on_change, multiple, required, item_class });
    rsx! {
        div { class, role: if multiple { "group" } else { "radiogroup" }, "aria-label": label, {children} }
    }
}

/// One chip of a [`ChipGroup`].
#[component]
pub fn Chip(
    /// Its index in the group.
    index: usize,
    /// Classes added to the chip's own ("minor").
    #[props(default)]
    extra: String,
    /// Further attributes of the button (`id`, `data-*`).
    #[props(extends = GlobalAttributes)]
    attributes: Vec<Attribute>,
    /// What the chip shows.
    children: Element,
) -> Element {
    let ctx: ChipCtx = use_context();
    let on = ctx.is_pressed(index);
    let class = [ctx.item_class, if on { "on" } else { "" }, extra.as_str()]
        .iter()
        .filter(|c| !c.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    rsx! {
        button {
            r#type: "button",
            class,
            "aria-pressed": if on { "true" } else { "false" },
            onclick: move |_| ctx.toggle(index),
            ..attributes,
            {children}
        }
    }
}
