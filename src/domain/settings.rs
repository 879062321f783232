//! The unit's settings: what a unit sets once (name, kit, shifts, idle lock, language,
//! theme, ad sites), with defaults in code and the rules a saved set must keep.

use serde::{Deserialize, Serialize};

use super::rules::{self, IDLE_LOCK_DEFAULT_MINUTES, Violation};
use super::{DomainError, Kit, Lang, ShiftBoundary};

/// What a unit sets once: defaults in code, stored as JSON so new fields get defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The unit's name, shown on the phone only.
    pub unit_name: String,
    /// What two taps hand out.
    pub kit: Kit,
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
            kit: Kit::default(),
            shift_boundary: ShiftBoundary::default(),
            idle_lock_minutes: IDLE_LOCK_DEFAULT_MINUTES,
            lang: Lang::It,
            theme: Theme::Dark,
            sites: super::indoor::DEFAULT_SITES.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

impl Settings {
    /// Checks the rules a saved set keeps: valid kit items, at least one ad site, each
    /// named within the limit.
    pub fn validate(&self) -> Result<(), DomainError> {
        self.kit.0.0.keys().try_for_each(|k| k.validate())?;
        if self.sites.is_empty() || self.sites.iter().any(|s| rules::check_site(s).is_err()) {
            return Err(Violation::Sites.into());
        }
        if !rules::IDLE_LOCK_MINUTES.contains(&self.idle_lock_minutes) {
            return Err(Violation::IdleLock.into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
