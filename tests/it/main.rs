//! The app crate's integration tests, one binary (SQLCipher and the app linked once):
//! each module is one concern, sharing the test kit in `common`.

mod app;
mod campaigns_tally;
mod cli;
mod common;
mod durability;
mod e2e_browser;
mod emersion_import;
mod emersion_reports;
mod emersion_store;
mod emersion_sync;
mod feedback;
mod fixture_indoor;
mod fixture_street;
mod fuzz_regressions;
mod indoor_numbers;
mod labour_sectors;
mod layers;
#[cfg(feature = "liveview")]
mod liveview;
mod mapping_nights;
mod outings_import;
mod properties;
mod sessions_reports;
mod sessions_store;
mod sessions_ui;
mod store;
mod sync_refusals;
mod team_store;
mod total_emersion;
mod ui_components;
mod vault;
mod wire_schema;
