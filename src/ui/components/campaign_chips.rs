//! The campaign of the next call or message, optional: one chip per campaign (a tap on the
//! chosen one clears it) and, once one is chosen, the message's language.

use dioxus::prelude::*;

use super::{Chip, ChipGroup};
use crate::domain::outreach::{Campaign, CampaignTag};
use crate::domain::{Lang, Language};
use crate::ui::T;

/// The campaign chips and the message language.
#[component]
pub fn CampaignChips(
    /// The campaign chosen, with its language.
    value: Option<CampaignTag>,
    /// Language of the labels.
    lang: Lang,
    /// Called with the new choice (`None`: no campaign).
    on_change: EventHandler<Option<CampaignTag>>,
) -> Element {
    let pressed: Vec<usize> =
        value.and_then(|v| Campaign::ALL.iter().position(|c| *c == v.campaign)).into_iter().collect();
    let language = value.and_then(|v| v.language);
    rsx! {
        div { id: "campaign", class: "campaign",
            span { class: "muted", {T::CampaignLabel.get(lang)} }
            ChipGroup { pressed, label: T::CampaignLabel.get(lang).to_owned(),
                on_change: move |p: Vec<usize>| {
                    let tag = p.first().map(|&i| CampaignTag { campaign: Campaign::ALL[i], language });
                    on_change.call(tag);
                },
                for (i, c) in Campaign::ALL.iter().copied().enumerate() {
                    Chip { key: "{c.code()}", index: i, "data-campaign": c.code(), {c.label(lang)} }
                }
            }
            if let Some(tag) = value {
                label { class: "inline", {T::CampaignLanguage.get(lang)}
                    select { id: "campaign-language",
                        onchange: move |e| on_change.call(Some(CampaignTag { language: Language::parse(&e.value()).ok(), ..tag })),
                        option { value: "", selected: tag.language.is_none(), "—" }
                        for l in Language::ALL.iter().copied().filter(|l| *l != Language::Undetermined) {
                            option { key: "{l.code()}", value: l.code(), selected: tag.language == Some(l), {l.label(lang)} }
                        }
                    }
                }
            }
        }
    }
}
