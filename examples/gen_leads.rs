//! Writes the benchmark's generated leads as JSON Lines, for the end-to-end benchmark of
//! `leadspec classify` (`benches/cli_e2e.sh`).
//!
//! ```sh
//! cargo run --release --example gen_leads -- 1000000 > leads.jsonl      # seed of the benchmark set
//! cargo run --release --example gen_leads -- 100000 42 > other.jsonl    # another seed
//! ```
//!
//! The leads are those of `benches/common/` (missing, invalid and valid values mixed); the
//! definition that reads them is `benches/common/realistic.toml`, and the reference time of
//! the benchmark is `2026-11-22T15:30:00Z`.

#[path = "../benches/common/mod.rs"]
mod common;

use std::io::{self, BufWriter, Write};

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(common::RECORDS);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(common::SEED);
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    for sample in common::sample_iter(seed).take(count) {
        out.write_all(common::to_json(&sample.record).as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
