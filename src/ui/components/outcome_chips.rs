//! What came of a contact or a meeting: the eight outcomes as chips, several at once
//! (programme proposed or accepted, complaints, the Commissione, return, networking).

use dioxus::prelude::*;

use super::CodeChoice;
use crate::domain::Lang;
use crate::domain::emersion::{ContactOutcome, OutcomeSet};
use crate::ui::T;

/// The outcomes of one contact; `#outcomes button[data-code=...]`.
#[component]
pub fn OutcomeChips(
    /// The outcomes chosen.
    value: OutcomeSet,
    /// Language of the words.
    lang: Lang,
    /// Called with the outcomes after a tap.
    on_change: EventHandler<OutcomeSet>,
) -> Element {
    let all = ContactOutcome::ALL;
    let pressed: Vec<usize> = all.iter().enumerate().filter(|(_, o)| value.contains(**o)).map(|(i, _)| i).collect();
    rsx! {
        CodeChoice { id: "outcomes", legend: T::Outcomes.get(lang), multiple: true, pressed,
            options: super::options_of(all, ContactOutcome::code, ContactOutcome::label, lang),
            on_change: move |p: Vec<usize>| on_change.call(p.iter().filter_map(|&i| all.get(i).copied()).collect()) }
    }
}
