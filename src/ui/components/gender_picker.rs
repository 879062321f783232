//! Gender: M, F, T, one tap. Big buttons with the word on the tally, letters elsewhere.

use dioxus::prelude::*;

use super::{Chip, ChipGroup};
use crate::domain::{Gender, Lang};
use crate::ui::T;

/// The three genders as a single-choice chip group.
#[component]
pub fn GenderPicker(
    /// The gender chosen, if any.
    value: Option<Gender>,
    /// Called with the gender tapped.
    on_change: EventHandler<Gender>,
    /// Prefix of the buttons' ids: `{id}-F`.
    id: String,
    /// Language of the words and of the group's label.
    lang: Lang,
    /// Big buttons with the letter and the word; otherwise small ones with the letter.
    #[props(default)]
    full: bool,
) -> Element {
    let pressed: Vec<usize> = value.and_then(|v| Gender::ALL.iter().position(|g| *g == v)).into_iter().collect();
    rsx! {
        ChipGroup {
            pressed,
            required: true,
            item_class: "gender",
            class: if full { "genders" } else { "genders small-genders" },
            label: T::Gender.get(lang).to_owned(),
            on_change: move |p: Vec<usize>| {
                if let Some(g) = p.first().and_then(|&i| Gender::ALL.get(i)) {
                    on_change.call(*g);
                }
            },
            for (i, g) in Gender::ALL.iter().copied().enumerate() {
                Chip { key: "{g.code()}", index: i, id: "{id}-{g.code()}",
                    if full {
                        span { class: "big-letter", {g.code()} }
                        span { class: "label", {g.label(lang)} }
                    } else {
                        {g.code()}
                    }
                }
            }
        }
    }
}
