//! The `cargo fuzz` targets of leadspec share this crate: the checks (in
//! `tests/fuzz_regressions/harness.rs`, shared with the root crate's regression tests), the
//! CSV tables of `record_csv` and the definition grammar of `structured_definition`.

#[path = "../../tests/fuzz_regressions/harness.rs"]
pub mod harness;

pub mod csv;
pub mod grammar;

/// Picks one entry of a non-empty pool.
pub(crate) fn pick<'a>(pool: &[&'a str], i: u8) -> &'a str {
    pool[i as usize % pool.len()]
}
