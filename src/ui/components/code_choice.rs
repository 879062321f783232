//! A closed list as chips under a legend: one choice (the outcome of identification) or
//! several (indicators, outcomes of a contact). Every chip carries its code
//! (`#{id} button[data-code=...]`), so nothing but a code can be chosen.

use dioxus::prelude::*;

use super::{Chip, ChipGroup};

/// The options of a closed list: `(code, words)`.
pub type Options = Vec<(&'static str, String)>;

/// The options of a `code_enum` list in a language.
pub fn options_of<E: Copy>(
    all: &[E],
    code: fn(E) -> &'static str,
    label: fn(E, crate::domain::Lang) -> &'static str,
    lang: crate::domain::Lang,
) -> Options {
    all.iter().map(|&v| (code(v), label(v, lang).to_owned())).collect()
}

/// The index of `v` in `all`, as the pressed chips of a single choice.
pub fn pressed_of<V: PartialEq>(all: &[V], v: Option<V>) -> Vec<usize> {
    v.and_then(|v| all.iter().position(|x| *x == v)).into_iter().collect()
}

/// A fieldset of chips, one per code.
#[component]
pub fn CodeChoice(
    /// Id of the fieldset.
    id: String,
    /// What is chosen.
    legend: String,
    /// The codes and their words.
    options: Options,
    /// Indices of the chosen codes.
    pressed: Vec<usize>,
    /// Several codes at once.
    #[props(default)]
    multiple: bool,
    /// A single choice that keeps its choice (tapping the chosen chip does nothing).
    #[props(default)]
    required: bool,
    /// Called with the indices chosen after a tap.
    on_change: EventHandler<Vec<usize>>,
) -> Element {
    rsx! {
        fieldset { id, class: "choice",
            legend { "{legend}" }
            ChipGroup { pressed, multiple, required, label: legend.clone(), on_change,
                for (i, (code, words)) in options.into_iter().enumerate() {
                    Chip { key: "{code}", index: i, "data-code": code, "{words}" }
                }
            }
        }
    }
}
