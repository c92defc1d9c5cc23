//! A CSV header and rows against the rich definition (every reading key), read with
//! `Definition::header` and `Header::prepare_row(_into)`, classified. The first byte picks
//! how the rest becomes cells: even, it is CSV text (split by the `csv` crate on `,`, `;` or
//! a tab, so the shipped exports seed it); odd, `arbitrary` builds a table whose cells are
//! either words the rich definition reads (its columns, placeholders, currency, local dates)
//! or any text. `LEADSPEC_FUZZ_PRINT=1` prints the cells as `tests/fuzz_regressions.rs` keeps
//! them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((header, rows)) = leadspec_fuzz::csv::cells(data) {
        if std::env::var_os("LEADSPEC_FUZZ_PRINT").is_some() {
            eprintln!("{}", serde_json::json!({ "header": header, "rows": rows }));
        }
        leadspec_fuzz::harness::record_csv(&header, &rows);
    }
});
