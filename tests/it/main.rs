//! The app crate's integration tests, one binary: each module is one concern.

mod app;
mod layers;
