//! A number kept within a range: typed, or moved by − and +.

use std::ops::RangeInclusive;

use dioxus::prelude::*;

/// A labelled number field; whatever is typed is clamped into `range` (unreadable text
/// counts as its start), and − / + stop at its ends.
#[component]
pub fn Stepper(
    /// The number shown.
    value: u32,
    /// The numbers allowed.
    range: RangeInclusive<u32>,
    /// Called with the new number, already within `range`.
    on_change: EventHandler<u32>,
    /// What the number counts.
    label: String,
    /// Id of the number field.
    #[props(default)]
    id: Option<String>,
    /// A `data-*` attribute of the field: name and value.
    #[props(default)]
    data: Option<(&'static str, String)>,
    /// Shows − and + around the field.
    #[props(default)]
    buttons: bool,
    /// Shows the label to screen readers only, and a "+" before the field (a count to add).
    #[props(default)]
    plus: bool,
    /// Class of the stepper's element.
    #[props(default = "stepper".to_string())]
    class: String,
) -> Element {
    let (min, max) = (*range.start(), *range.end());
    let data: Vec<Attribute> = data.into_iter().map(|(name, value)| Attribute::new(name, value, None, false)).collect();
    rsx! {
        label { class,
            span { class: if plus { "sr" } else { "label" }, "{label}" }
            if plus { "+" }
            if buttons {
                button { r#type: "button", class: "step minus", disabled: value <= min,
                    onclick: move |_| on_change.call(value.saturating_sub(1).clamp(min, max)), "−" }
            }
            input { id, r#type: "number", inputmode: "numeric", min: "{min}", max: "{max}", value: "{value}",
                oninput: move |e| on_change.call(e.value().trim().parse().unwrap_or(min).clamp(min, max)),
                ..data }
            if buttons {
                button { r#type: "button", class: "step plus", disabled: value >= max,
                    onclick: move |_| on_change.call(value.saturating_add(1).clamp(min, max)), "+" }
            }
        }
    }
}
