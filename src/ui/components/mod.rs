//! Route-agnostic pieces of the screens: they take props and report through
//! `EventHandler`s; none of them knows the store, the screen it is on or `Ui`.

mod bottom_bar;
mod campaign_chips;
mod chip_group;
mod code_choice;
mod comune_picker;
mod detail_sheet;
mod gender_picker;
mod helpline_form;
mod interview_form;
mod items_field;
mod nationality_picker;
mod outcome_chips;
mod outing_extras;
mod person_fields;
mod person_picker;
mod report_table;
mod sector_chips;
mod stepper;
mod team_row;

pub use bottom_bar::BottomBar;
pub use campaign_chips::CampaignChips;
pub use chip_group::{Chip, ChipGroup};
pub use code_choice::{CodeChoice, Options, options_of, pressed_of};
pub use comune_picker::ComunePicker;
pub use detail_sheet::DetailSheet;
pub use gender_picker::GenderPicker;
pub use helpline_form::HelplineForm;
pub use interview_form::{InterviewForm, findings_lines, parse_day, provinces_by_name};
pub use items_field::ItemsField;
pub use nationality_picker::{NationalityButton, NationalityPicker};
pub use outcome_chips::OutcomeChips;
pub use outing_extras::{DiaryPanel, PresenceRow};
pub use person_fields::PersonFields;
pub use person_picker::{PersonChip, PersonPicker, person_summary};
pub use report_table::ReportTable;
pub use sector_chips::{SectorChips, SettingChips, Toggle};
pub use stepper::Stepper;
pub use team_row::TeamRow;
