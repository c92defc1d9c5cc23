//! leadspec measured against the two other ways a Rust service could apply the same lead
//! rules: hand-written Rust (the practical limit) and CEL through `cel-interpreter` (the
//! expression language a Rust user would otherwise embed).
//!
//! The fixture (definition, seeded records, hand-written rules) is the root crate's
//! `benches/common/`, included here so that all three read the same leads. This crate is a
//! workspace member outside `default-members`: the root's `cargo test` never compiles CEL.
//!
//! - `cargo test -p leadspec-compare`: all three agree on the stage of every benchmark record.
//! - `cargo bench -p leadspec-compare`: the three side by side, in one run.

#[path = "../../benches/common/mod.rs"]
pub mod common;

pub mod cel;
