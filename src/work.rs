//! A count of the work loading does where it could grow faster than the definition: names
//! compared for did-you-mean hints, and characters counted for columns. Tests read it to
//! check that this work grows in proportion to the definition, with no clock involved.

use std::cell::Cell;

thread_local! {
    static DONE: Cell<u64> = const { Cell::new(0) };
}

/// Counts `units` of work on this thread.
pub(crate) fn add(units: u64) {
    DONE.set(DONE.get().saturating_add(units));
}

/// The units of work counted on this thread so far (a byte of a name looked at, a cell of
/// an edit-distance table, a character counted for a column).
///
/// For leadspec's own tests, which compare it between two sizes of one definition; not part
/// of the API, and its units may change.
pub fn done() -> u64 {
    DONE.get()
}
