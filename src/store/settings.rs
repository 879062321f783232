//! The unit's settings and identity, kept inside the encrypted database.

use chrono::Utc;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Result, Store};
use crate::domain::settings::Settings;

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
        settings.validate()?;
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
