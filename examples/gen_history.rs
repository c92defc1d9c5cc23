//! Writes a generated stage history, for measuring `leadspec sla` and `leadspec waterfall`
//! on large inputs (see BENCHMARKS.md).
//!
//! ```sh
//! cargo run --release --example gen_history -- 2000000 500000 > history.jsonl
//! cargo run --release --example gen_history -- 2000000 500000 sorted > sorted.jsonl
//! cargo run --release --example gen_history -- 2000000 500000 shuffled csv > history.csv
//! ```
//!
//! Arguments: the number of lines (default 2,000,000), of leads (default 500,000), the
//! order (`shuffled`, the default, or `sorted` by lead id, each lead's changes in time
//! order) and the format (`jsonl`, the default, or `csv` under the header `id,stage,at`).
//! The stages are those of the default definition; each lead walks forward through them
//! from `contact`, now and then parking in `nurture`, with gaps of an hour to ten days, so
//! some stays break their SLA. Lead ids are `L` and seven digits, so byte order is number
//! order. The output is the same for the same arguments.

use std::io::{self, BufWriter, Write};

const STAGES: [&str; 7] = ["contact", "inquiry", "nurture", "qualified_lead", "prospect", "proposal", "customer"];

/// SplitMix64: a small seeded generator, so the file is the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `seconds` after 2026-01-01T00:00:00Z, as RFC 3339.
fn time(seconds: u64) -> String {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    // Days from 2026-01-01 to a date: months of 2026, then 2027 (enough for any history here).
    let months = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut year, mut day, mut month) = (2026, days, 0);
    while day >= months[month] {
        day -= months[month];
        month += 1;
        if month == 12 {
            month = 0;
            year += 1;
        }
    }
    format!("{year}-{:02}-{:02}T{:02}:{:02}:{:02}Z", month + 1, day + 1, rest / 3600, rest / 60 % 60, rest % 60)
}

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let lines: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2_000_000);
    let leads: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(500_000).max(1);
    let sorted = args.next().as_deref() == Some("sorted");
    let csv = args.next().as_deref() == Some("csv");
    let mut rng = Rng(0x01EA_D5EC);
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    if csv {
        writeln!(out, "id,stage,at")?;
    }
    let mut all = Vec::new();
    for lead in 0..leads {
        // Spread the lines over the leads: the first `lines % leads` leads get one more.
        let count = lines / leads + u64::from(lead < lines % leads);
        let mut at = rng.below(300 * 86_400);
        let mut stage = 0;
        for _ in 0..count {
            let line = if csv {
                format!("L{lead:07},{},{}\n", STAGES[stage], time(at))
            } else {
                format!("{{\"id\":\"L{lead:07}\",\"stage\":\"{}\",\"at\":\"{}\"}}\n", STAGES[stage], time(at))
            };
            if sorted {
                out.write_all(line.as_bytes())?;
            } else {
                all.push(line);
            }
            at += 3600 + rng.below(10 * 86_400);
            stage = match rng.below(8) {
                0 => 2,
                _ => (stage + 1 + usize::from(stage == 1)).min(STAGES.len() - 1),
            };
        }
    }
    // Fisher-Yates with the same generator.
    for i in (1..all.len()).rev() {
        all.swap(i, rng.below(i as u64 + 1) as usize);
    }
    for line in &all {
        out.write_all(line.as_bytes())?;
    }
    out.flush()
}
