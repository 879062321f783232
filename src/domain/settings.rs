//! The unit's settings: what a unit sets once (name, a kit per activity, shifts, idle
//! lock, language, theme, ad sites), with defaults in code and the rules a saved set must
//! keep.

use serde::{Deserialize, Deserializer, Serialize};

use super::rules::{self, IDLE_LOCK_DEFAULT_MINUTES, Violation};
use super::{Activity, DomainError, ItemKey, Items, Kit, Lang, Language, ShiftBoundary};

/// Mapping night dates a unit may enter at most.
pub const MAPPING_NIGHTS_MAX: usize = 366;

/// What a unit sets once: defaults in code, stored as JSON so new fields get defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The unit's name, shown on the phone only.
    pub unit_name: String,
    /// What two taps hand out, per activity. Settings saved with a single `kit` load it
    /// as the street and indoor kit.
    #[serde(alias = "kit", deserialize_with = "kits_or_one_kit")]
    pub kits: Kits,
    /// When day and night outings start.
    pub shift_boundary: ShiftBoundary,
    /// Minutes without a touch before the app locks itself.
    pub idle_lock_minutes: u32,
    /// Interface language.
    pub lang: Lang,
    /// `dark` (default) or `light`.
    pub theme: Theme,
    /// The ad sites indoor teams go through.
    pub sites: Vec<String>,
    /// The dates of national mapping nights the unit entered (the server publishes more).
    pub mapping_nights: Vec<chrono::NaiveDate>,
}

/// The default kit of each activity: what the tally's two taps (street, labour) and a
/// person met through an ad (indoor) are given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Kits {
    /// Street outings: condoms, lubricant, a leaflet.
    pub street: Kit,
    /// Labour exploitation and begging outings: a leaflet, no condoms or lubricant.
    pub labour: Kit,
    /// Persons met through an ad.
    pub indoor: Kit,
    /// Persons met at a drop-in desk: a leaflet.
    pub desk: Kit,
}

impl Default for Kits {
    fn default() -> Self {
        Kits {
            street: Kit::default(),
            labour: Kits::labour_default(),
            indoor: Kit::default(),
            desk: Kits::labour_default(),
        }
    }
}

impl Kits {
    /// The labour outings' and the desk's default: one leaflet.
    fn labour_default() -> Kit {
        let mut items = Items::default();
        items.set(ItemKey::leaflets(Language::Undetermined), 1);
        Kit(items)
    }

    /// The kit of `activity` (emersion work hands nothing out: the desk's kit).
    pub fn get(&self, activity: Activity) -> &Kit {
        match activity {
            Activity::Street => &self.street,
            Activity::Labour => &self.labour,
            Activity::Indoor => &self.indoor,
            Activity::Desk | Activity::Emersion | Activity::Session => &self.desk,
        }
    }

    /// The kit of `activity`, to change.
    pub fn get_mut(&mut self, activity: Activity) -> &mut Kit {
        match activity {
            Activity::Street => &mut self.street,
            Activity::Labour => &mut self.labour,
            Activity::Indoor => &mut self.indoor,
            Activity::Desk | Activity::Emersion | Activity::Session => &mut self.desk,
        }
    }
}

/// Reads `kits`, or the single `kit` settings held before there was one per activity: it
/// becomes the street and indoor kit, labour gets its default.
fn kits_or_one_kit<'de, D: Deserializer<'de>>(d: D) -> Result<Kits, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        PerActivity(Kits),
        One(Kit),
    }
    Ok(match Stored::deserialize(d)? {
        Stored::PerActivity(kits) => kits,
        Stored::One(kit) => Kits { street: kit.clone(), indoor: kit, ..Kits::default() },
    })
}

/// Screen theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Dark: the default, a lit screen exposes people at night.
    #[default]
    Dark,
    /// Light, for daytime and desks.
    Light,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            unit_name: "Unità di strada".to_owned(),
            kits: Kits::default(),
            shift_boundary: ShiftBoundary::default(),
            idle_lock_minutes: IDLE_LOCK_DEFAULT_MINUTES,
            lang: Lang::It,
            theme: Theme::Dark,
            sites: super::indoor::DEFAULT_SITES.iter().map(|s| (*s).to_owned()).collect(),
            mapping_nights: Vec::new(),
        }
    }
}

impl Settings {
    /// The default kit of `activity`.
    pub fn kit_for(&self, activity: Activity) -> &Kit {
        self.kits.get(activity)
    }

    /// Checks the rules a saved set keeps: valid kit items, at least one ad site, each
    /// named within the limit.
    pub fn validate(&self) -> Result<(), DomainError> {
        let kits = &self.kits;
        [&kits.street, &kits.labour, &kits.indoor].iter().flat_map(|k| k.0.0.keys()).try_for_each(|k| k.validate())?;
        if self.sites.is_empty() || self.sites.iter().any(|s| rules::check_site(s).is_err()) {
            return Err(Violation::Sites.into());
        }
        if !rules::IDLE_LOCK_MINUTES.contains(&self.idle_lock_minutes) {
            return Err(Violation::IdleLock.into());
        }
        if self.mapping_nights.len() > MAPPING_NIGHTS_MAX {
            return Err(DomainError::invalid("mapping nights", format!("at most {MAPPING_NIGHTS_MAX} dates")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ItemKind;

    #[test]
    fn defaults_are_valid_and_bad_sets_are_refused() {
        assert!(Settings::default().validate().is_ok());
        let none = Settings { sites: vec![], ..Settings::default() };
        assert_eq!(none.validate(), Err(DomainError::Rule(Violation::Sites)));
        let long = Settings { sites: vec!["x".repeat(61)], ..Settings::default() };
        assert_eq!(long.validate(), Err(DomainError::Rule(Violation::Sites)));
        let idle = Settings { idle_lock_minutes: 0, ..Settings::default() };
        assert_eq!(idle.validate(), Err(DomainError::Rule(Violation::IdleLock)));
    }

    #[test]
    fn labour_kits_hold_leaflets_not_condoms() {
        let s = Settings::default();
        let labour = &s.kit_for(Activity::Labour).0;
        assert_eq!(labour.get(ItemKey::leaflets(Language::Undetermined)), 1);
        assert_eq!(labour.get(ItemKey::plain(ItemKind::Condoms)), 0);
        assert_eq!(labour.get(ItemKey::plain(ItemKind::Lubricant)), 0);
        assert_eq!(s.kit_for(Activity::Street), &Kit::default());
        assert_eq!(s.kit_for(Activity::Indoor), &Kit::default());
    }

    #[test]
    fn settings_saved_with_one_kit_still_load() {
        let old = r#"{"unit_name":"UdS Brescia","kit":[{"kind":"condoms","quantity":5},
            {"kind":"leaflets","language":"ro","quantity":2}],"idle_lock_minutes":5}"#;
        let s: Settings = serde_json::from_str(old).unwrap();
        assert_eq!(s.unit_name, "UdS Brescia");
        assert_eq!(s.idle_lock_minutes, 5);
        let street = &s.kit_for(Activity::Street).0;
        assert_eq!(street.get(ItemKey::plain(ItemKind::Condoms)), 5);
        assert_eq!(street.get(ItemKey::leaflets(Language::Romanian)), 2);
        assert_eq!(s.kit_for(Activity::Indoor), s.kit_for(Activity::Street));
        assert_eq!(s.kit_for(Activity::Labour), &Kits::labour_default());
        // Saved again, it is written per activity and reads back the same.
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains(r#""kits":{"street":"#) && !json.contains(r#""kit":"#), "{json}");
        assert_eq!(serde_json::from_str::<Settings>(&json).unwrap(), s);
        // Without any kit, and with kits missing an activity, the defaults fill in.
        let none: Settings = serde_json::from_str(r#"{"unit_name":"U"}"#).unwrap();
        assert_eq!(none.kits, Kits::default());
        let part: Settings = serde_json::from_str(r#"{"kits":{"labour":[]}}"#).unwrap();
        assert!(part.kit_for(Activity::Labour).0.0.is_empty());
        assert_eq!(part.kit_for(Activity::Street), &Kit::default());
        // A bad item is an error, as before (the store then falls back to the defaults).
        assert!(serde_json::from_str::<Settings>(r#"{"kit":[{"kind":"knives","quantity":1}]}"#).is_err());
    }
}
