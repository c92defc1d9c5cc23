//! Lead records: building them, reading them from JSON, TOML or CSV, and preparing them
//! against a definition.

mod slot;

pub use slot::Slot;
