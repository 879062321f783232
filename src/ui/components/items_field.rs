//! Items by quantity, one stepper each, and the language of the leaflets: the items handed
//! to a person, and the unit's default kit.

use dioxus::prelude::*;

use super::Stepper;
use crate::domain::{ItemKey, ItemKind, Items, Lang, Language};
use crate::ui::T;

/// The items' fieldset.
#[component]
pub fn ItemsField(
    /// The quantities.
    items: Items,
    /// The most of one item.
    max: u32,
    /// The fieldset's legend.
    legend: String,
    /// The `data-*` attribute naming each quantity field's item (`data-item`, `data-kit`).
    data: &'static str,
    /// Id of the leaflets' language list.
    language_id: String,
    /// Steppers with − and + (and their grid layout); otherwise plain labelled fields.
    #[props(default)]
    buttons: bool,
    /// Language of the labels.
    lang: Lang,
    /// Called with the items after a change.
    on_change: EventHandler<Items>,
) -> Element {
    let leaflets = items.iter().find_map(|(k, _)| k.language).unwrap_or(Language::Undetermined);
    let class = if buttons { "stepper" } else { "inline" };
    let all = items.clone();
    rsx! {
        fieldset { legend { "{legend}" }
            for kind in ItemKind::ALL.iter().copied() {
                {
                    let key = if kind == ItemKind::Leaflets { ItemKey::leaflets(leaflets) } else { ItemKey::plain(kind) };
                    let mut changed = items.clone();
                    rsx! {
                        Stepper { key: "{kind.code()}", class, label: kind.label(lang), range: 0..=max, buttons,
                            value: items.get(key), data: (data, kind.code().to_owned()),
                            on_change: move |q| {
                                changed.set(key, q);
                                on_change.call(changed.clone());
                            },
                        }
                    }
                }
            }
            label { class: "inline", {T::LeafletLanguage.get(lang)}
                select { id: language_id,
                    onchange: move |e| {
                        let Ok(l) = Language::parse(&e.value()) else { return };
                        let mut changed = all.clone();
                        let q = changed.get(ItemKey::leaflets(leaflets));
                        changed.set(ItemKey::leaflets(leaflets), 0);
                        changed.set(ItemKey::leaflets(l), q);
                        on_change.call(changed);
                    },
                    for l in Language::ALL.iter().copied() {
                        option { value: l.code(), selected: l == leaflets, {l.label(lang)} }
                    }
                }
            }
        }
    }
}
