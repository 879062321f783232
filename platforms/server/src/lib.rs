pub use lanterna::domain;
