//! Labour sectors and settings, joint inspections, and national mapping nights as use
//! cases: each change one durable transaction, the outing's revision bumped so its
//! summary is sent again.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Area, Done, Lanterna, Result};
use crate::domain::Outing;
use crate::domain::outreach::{LabourSector, LabourSetting};
use crate::store::{ContactLabour, StopLabour};

impl Lanterna {
    /// A labour stop's sector, setting and joint-inspection flag.
    pub fn stop_labour(&self, stop_id: i64) -> Result<StopLabour> {
        Ok(self.store.stop_labour(stop_id)?)
    }

    /// A labour contact's own sector and setting.
    pub fn contact_labour(&self, contact_id: i64) -> Result<ContactLabour> {
        Ok(self.store.contact_labour(contact_id)?)
    }

    /// Sets (or, with `None`, clears) a labour stop's sector.
    pub fn set_stop_sector(&mut self, stop_id: i64, sector: Option<LabourSector>) -> Result<Done<StopLabour>> {
        Ok(Done::new(self.store.set_stop_sector(stop_id, sector)?, &[Area::Outings]))
    }

    /// Sets (or clears) a labour stop's kind of place.
    pub fn set_stop_setting(&mut self, stop_id: i64, setting: Option<LabourSetting>) -> Result<Done<StopLabour>> {
        Ok(Done::new(self.store.set_stop_setting(stop_id, setting)?, &[Area::Outings]))
    }

    /// Marks (or unmarks) a labour stop as a joint inspection with the labour inspectorate.
    pub fn set_joint_inspection(&mut self, stop_id: i64, joint: bool) -> Result<Done<StopLabour>> {
        Ok(Done::new(self.store.set_joint_inspection(stop_id, joint)?, &[Area::Outings]))
    }

    /// Sets (or clears: the stop's applies) a labour contact's own sector.
    pub fn set_contact_sector(&mut self, contact_id: i64, sector: Option<LabourSector>) -> Result<Done<ContactLabour>> {
        Ok(Done::new(self.store.set_contact_sector(contact_id, sector)?, &[Area::Outings]))
    }

    /// Sets (or clears: the stop's applies) a labour contact's own kind of place.
    pub fn set_contact_setting(
        &mut self,
        contact_id: i64,
        setting: Option<LabourSetting>,
    ) -> Result<Done<ContactLabour>> {
        Ok(Done::new(self.store.set_contact_setting(contact_id, setting)?, &[Area::Outings]))
    }

    /// Flags (or unflags) an open outing as part of a national mapping night.
    pub fn set_outing_mapping(&mut self, id: Uuid, mapping: bool) -> Result<Done<Outing>> {
        Ok(Done::new(self.store.set_outing_mapping(id, mapping)?, &[Area::Outings]))
    }

    /// Every mapping night, the unit's and the server's, oldest first.
    pub fn mapping_nights(&self) -> Result<Vec<NaiveDate>> {
        Ok(self.store.mapping_nights()?)
    }

    /// Whether `date` is a mapping night (the home's banner).
    pub fn is_mapping_night(&self, date: NaiveDate) -> Result<bool> {
        Ok(self.store.is_mapping_night(date)?)
    }

    /// Adds a mapping night of the unit's own (kept in the settings).
    pub fn add_mapping_night(&mut self, night: NaiveDate) -> Result<Done<Vec<NaiveDate>>> {
        let mut settings = self.store.settings()?;
        if !settings.mapping_nights.contains(&night) {
            settings.mapping_nights.push(night);
            settings.mapping_nights.sort_unstable();
            self.store.save_settings(&settings)?;
        }
        Ok(Done::new(settings.mapping_nights, &[Area::Settings, Area::Outings]))
    }

    /// Removes a mapping night of the unit's own (the server's stay).
    pub fn remove_mapping_night(&mut self, night: NaiveDate) -> Result<Done<Vec<NaiveDate>>> {
        let mut settings = self.store.settings()?;
        settings.mapping_nights.retain(|&d| d != night);
        self.store.save_settings(&settings)?;
        Ok(Done::new(settings.mapping_nights, &[Area::Settings, Area::Outings]))
    }

    /// Keeps the mapping nights the server publishes (fetched with the periods).
    pub fn set_published_mapping_nights(&mut self, nights: &[NaiveDate]) -> Result<Done<()>> {
        self.store.set_published_mapping_nights(nights)?;
        Ok(Done::new((), &[Area::Settings, Area::Outings]))
    }
}
