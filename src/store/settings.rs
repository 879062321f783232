//! The unit's settings and identity, kept inside the encrypted database.

use chrono::Utc;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Result, Store};
use crate::domain::{Kit, Lang, ShiftBoundary};

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
            idle_lock_minutes: 5,
            lang: Lang::It,
            theme: Theme::Dark,
            sites: crate::domain::indoor::DEFAULT_SITES.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

const SETTINGS_KEY: &str = "settings";
const UNIT_KEY: &str = "unit_id";

impl Store {
    pub(super) fn setting<T: for<'de> Deserialize<'de>>(&self, key: &str) -> Result<Option<T>> {
        let raw: Option<String> =
            self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?;
        Ok(raw.and_then(|s| serde_json::from_str(&s).ok()))
    }

    pub(super) fn put_setting<T: Serialize>(&mut self, key: &str, value: &T) -> Result<()> {
        let json = serde_json::to_string(value).expect("settings serialise");
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, json],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The settings (defaults where never set).
    pub fn settings(&self) -> Result<Settings> {
        Ok(self.setting(SETTINGS_KEY)?.unwrap_or_default())
    }

    /// Saves the settings; the unit's name follows.
    pub fn save_settings(&mut self, settings: &Settings) -> Result<()> {
        settings.kit.0.0.keys().try_for_each(|k| k.validate())?;
        if settings.sites.is_empty() || settings.sites.iter().any(|s| s.trim().is_empty() || s.len() > 60) {
            return Err(crate::domain::DomainError::Invalid {
                what: "ad sites",
                why: "give at least one site, each up to 60 characters".into(),
            }
            .into());
        }
        self.put_setting(SETTINGS_KEY, settings)?;
        let unit = self.unit_id.to_string();
        let tx = self.write()?;
        tx.execute("UPDATE units SET name = ?1 WHERE id = ?2", params![settings.unit_name, unit])?;
        tx.commit()?;
        Ok(())
    }

    /// The local unit, created on first open.
    pub(super) fn ensure_unit(&mut self) -> Result<Uuid> {
        if let Some(id) = self.setting::<Uuid>(UNIT_KEY)? {
            return Ok(id);
        }
        let id = Uuid::new_v4();
        let name = Settings::default().unit_name;
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO units (id, name, created_at) VALUES (?1, ?2, ?3)",
            params![id.to_string(), name, Utc::now().to_rfc3339()],
        )?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)",
            params![UNIT_KEY, serde_json::to_string(&id).expect("uuid serialises")],
        )?;
        tx.commit()?;
        Ok(id)
    }
}
