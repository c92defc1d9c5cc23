//! The floor for `leadspec classify` on CSV: read the rows with the `csv` crate and write
//! each as one JSON object, header cell to cell text, and nothing else.
//! `benches/cli_e2e.sh` times `classify` against it, as it does with `json_floor` for JSON
//! Lines.
//!
//! ```sh
//! cargo run --release --features cli --example csv_floor -- export.csv > /dev/null
//! ```
//!
//! It reads and writes the way the command line does: a 64 KiB read buffer, one reused
//! record, rows of any length accepted, a 64 KiB buffered, locked standard output. The
//! object's keys come in header order, written straight from the two records without
//! building a map.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};

use serde::ser::{Serialize, SerializeMap, Serializer};

/// One row as a JSON object: header cell to cell text, in header order. Extra cells of a
/// longer row have no key and are left out; a shorter row gives fewer keys.
struct Row<'a> {
    header: &'a csv::StringRecord,
    cells: &'a csv::StringRecord,
}

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.cells.len().min(self.header.len())))?;
        for (key, value) in self.header.iter().zip(self.cells.iter()) {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let input: Box<dyn Read> = match std::env::args().nth(1) {
        Some(path) if path != "-" => Box::new(File::open(path)?),
        _ => Box::new(io::stdin()),
    };
    let mut reader = csv::ReaderBuilder::new().buffer_capacity(64 << 10).flexible(true).from_reader(input);
    let header = reader.headers()?.clone();
    let mut out = BufWriter::with_capacity(64 << 10, io::stdout().lock());
    let mut cells = csv::StringRecord::new();
    while reader.read_record(&mut cells)? {
        serde_json::to_writer(&mut out, &Row { header: &header, cells: &cells })?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
