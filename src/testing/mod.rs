//! Proptest strategies for property-testing lead definitions and the rules built on them.
//!
//! Enabled by the cargo feature `proptest`. The strategies read what they need from a
//! loaded [`Definition`] (its fields, stages and transitions) when they are made, so they
//! own their data (`'static`) and can be used inside `proptest!` blocks and in
//! [`TestRunner`](proptest::test_runner::TestRunner)s alike.
//!
//! - [`records`] and [`RecordGen`]: lead records for a definition, with a controllable mix
//!   of valid, invalid and missing values per field ([`RecordMix`]). Valid values come in
//!   every form their field's type accepts (a budget as `25000` or as the text `"25000"`,
//!   a date as a date, as `YYYY-MM-DD` or as an RFC 3339 date-time); invalid values are
//!   ones the field's type rejects (`"not an email"`, `"10_000"` for a number, `"Hot"` for
//!   an enum value `hot`); missing values are absent keys, `null`, blank text and empty
//!   lists.
//! - [`moves`]: a pair of stages and a record, to check [`Definition::check_move`].
//! - [`histories`] and [`HistoryShape`]: stage changes of several leads, in time order or
//!   shuffled, for [`Definition::replay`] and [`Definition::waterfall`].
//!
//! A property over the default definition: a record whose e-mail address is valid is
//! always classified (at least as a contact), whatever else it holds.
//!
//! ```
//! use leadspec::testing::{RecordGen, RecordMix};
//! use leadspec::default_definition;
//! use chrono::{TimeZone, Utc};
//! use proptest::test_runner::TestRunner;
//!
//! let definition = default_definition();
//! let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
//! let leads = RecordGen::new(definition)
//!     .mix(RecordMix { valid: 2, invalid: 1, missing: 2 })
//!     .field("email", RecordMix::VALID)
//!     .strategy();
//! TestRunner::default()
//!     .run(&leads, |lead| {
//!         assert!(definition.classify(&lead, now).stage().is_some(), "{lead:?}");
//!         Ok(())
//!     })
//!     .unwrap();
//! ```
//!
//! The same with the `proptest!` macro (here in its closure form, which runs at once; in a
//! test file, write `#[test] fn name(lead in strategy) { .. }` inside `proptest! { .. }`):
//!
//! ```
//! use leadspec::{default_definition, testing, Slot};
//! use proptest::prelude::*;
//!
//! let definition = default_definition();
//! let email = definition.field_position("email").unwrap();
//! let now = leadspec::parse_reference_time("2026-11-22").unwrap();
//! proptest!(|(lead in testing::records(definition, testing::RecordMix::default()))| {
//!     // The required e-mail address is reported exactly when it is missing.
//!     let missing = definition.prepare(&lead).slot(email) == Some(Slot::Missing);
//!     let result = definition.classify(&lead, now);
//!     let reported = result.errors().iter().any(|e| e.field == "email" && e.message == "Required field missing");
//!     prop_assert_eq!(missing, reported);
//! });
//! ```
//!
//! [`Definition`]: crate::Definition
//! [`Definition::check_move`]: crate::Definition::check_move
//! [`Definition::replay`]: crate::Definition::replay
//! [`Definition::waterfall`]: crate::Definition::waterfall

// One file per kind of strategy: `values.rs` (one field's values, and how often each kind
// comes), `record_gen.rs` (records), `move_cases.rs` (moves) and `history_gen.rs`
// (histories).
mod history_gen;
mod move_cases;
mod record_gen;
mod values;

pub use history_gen::{histories, ChangeOrder, HistoryShape, StagePath};
pub use move_cases::{moves, stage, MoveCase};
pub use record_gen::{records, RecordGen};
pub use values::{field_value, invalid_value, missing_value, valid_value, RecordMix};
