//! The team of an outing or session, in one compact row: operators − n +, a mediator
//! toggle with the mediator's language, a legal-operator toggle. Prefilled, never required:
//! starting stays one tap.

use dioxus::prelude::*;

use crate::domain::outreach::{OPERATORS_MAX, Team};
use crate::domain::{Lang, Language};
use crate::ui::T;

/// The team row (`#team`): operators (`#team-operators`, `#team-operators-minus`,
/// `#team-operators-plus`), mediator (`#team-mediator`, aria-pressed) and language
/// (`#team-mediator-language`, a select of language codes), legal operator (`#team-legal`).
#[component]
pub fn TeamRow(
    /// The team shown.
    team: Team,
    /// Language of the labels.
    lang: Lang,
    /// Called with the changed team.
    on_change: EventHandler<Team>,
) -> Element {
    let ops = team.operators;
    let language = team.mediator_language.map(|l| l.code()).unwrap_or("");
    rsx! {
        div { id: "team", class: "team-row", role: "group", aria_label: T::Team.get(lang),
            span { class: "team-ops",
                span { class: "team-label", aria_hidden: "true", {T::Operators.get(lang)} }
                button { id: "team-operators-minus", r#type: "button", class: "step minus", disabled: ops <= 1,
                    aria_label: "−1 {T::Operators.get(lang)}",
                    onclick: move |_| on_change.call(Team { operators: ops.saturating_sub(1).max(1), ..team }), "−" }
                span { id: "team-operators", class: "n", aria_label: T::Operators.get(lang), "{ops}" }
                button { id: "team-operators-plus", r#type: "button", class: "step plus", disabled: ops >= OPERATORS_MAX,
                    aria_label: "+1 {T::Operators.get(lang)}",
                    onclick: move |_| on_change.call(Team { operators: ops.saturating_add(1).min(OPERATORS_MAX), ..team }), "+" }
            }
            button { id: "team-mediator", r#type: "button", class: "toggle", aria_pressed: "{team.mediator}",
                onclick: move |_| {
                    let on = !team.mediator;
                    on_change.call(Team { mediator: on, mediator_language: if on { team.mediator_language } else { None }, ..team })
                },
                {T::TeamMediator.get(lang)}
            }
            select { id: "team-mediator-language", aria_label: T::TeamMediatorLanguage.get(lang), disabled: !team.mediator,
                onchange: move |e| {
                    let l = Language::parse(&e.value()).ok();
                    on_change.call(Team { mediator: team.mediator || l.is_some(), mediator_language: l, ..team })
                },
                option { value: "", selected: language.is_empty(), "—" }
                for l in Language::ALL.iter().copied().filter(|l| *l != Language::Undetermined) {
                    option { key: "{l.code()}", value: l.code(), selected: language == l.code(), {l.label(lang)} }
                }
            }
            button { id: "team-legal", r#type: "button", class: "toggle", aria_pressed: "{team.legal_operator}",
                onclick: move |_| on_change.call(Team { legal_operator: !team.legal_operator, ..team }),
                {T::TeamLegal.get(lang)}
            }
        }
    }
}
