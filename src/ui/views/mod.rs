//! The screens, one file each. Screens are the only UI code that reads and writes the
//! store (each with one read per render), through `Ui::read` and `Ui::write`; they hand
//! plain values and callbacks to the components.

pub mod helpline;
pub mod home;
pub mod indoor;
pub mod lock;
pub mod outing;
pub mod persons;
pub mod sessions;
pub mod settings;
pub mod summary;
pub mod sync;
