//! The floor for `leadspec classify`'s I/O: read JSON Lines, parse each line with serde_json
//! and write it back out, and nothing else. `benches/cli_e2e.sh` times `classify` against it.
//!
//! ```sh
//! cargo run --release --example json_floor -- leads.jsonl > /dev/null
//! ```
//!
//! It reads and writes the way the command line does: a 64 KiB buffered reader, one line
//! at a time, a 64 KiB buffered, locked standard output.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};

fn main() -> io::Result<()> {
    let input: Box<dyn Read> = match std::env::args().nth(1) {
        Some(path) if path != "-" => Box::new(File::open(path)?),
        _ => Box::new(io::stdin()),
    };
    let mut input = BufReader::with_capacity(64 << 10, input);
    let mut out = BufWriter::with_capacity(64 << 10, io::stdout().lock());
    let mut line = String::new();
    while input.read_line(&mut line)? > 0 {
        if !line.trim().is_empty() {
            let value: serde_json::Value = serde_json::from_str(&line).map_err(io::Error::other)?;
            serde_json::to_writer(&mut out, &value).map_err(io::Error::other)?;
            out.write_all(b"\n")?;
        }
        line.clear();
    }
    out.flush()
}
