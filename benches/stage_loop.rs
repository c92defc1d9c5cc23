//! The stage path of `benches/realistic.rs` as a plain loop, for counters that other
//! processes on the machine do not disturb: `perf stat -e cycles:u,instructions:u` counts
//! only this process's own work, so leadspec and the hand-written Rust can be compared on
//! a busy machine, one run each.
//!
//! ```sh
//! cargo bench --bench stage_loop --no-run
//! B=$(ls -t target/release/deps/stage_loop-* | grep -v '\.d$' | head -1)
//! perf stat -e cycles:u,instructions:u $B leadspec 200
//! perf stat -e cycles:u,instructions:u $B hand 200
//! perf stat -e cycles:u,instructions:u $B setup 200   # the common cost: building the set
//! ```
//!
//! The first argument picks the path (`leadspec`, `full`, `hand` or `setup`), the second
//! the number of passes over the 10,000 records (`hot` as a third: only the first 256,
//! passes times 40).

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;

use leadspec::{Definition, Prepared};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let path = args.first().map_or("leadspec", String::as_str);
    let mut passes: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(100);
    let definition = Definition::from_toml(common::DEFINITION).unwrap();
    let mut samples = common::benchmark_samples();
    if args.get(2).is_some_and(|a| a == "hot") {
        samples.truncate(256);
        passes *= 40;
    }
    let prepared: Vec<Prepared> = samples.iter().map(|s| definition.prepare(&s.record)).collect();
    let (now, today) = (common::now(), common::today());
    let mut sum = 0usize;
    for _ in 0..passes {
        match path {
            "leadspec" => {
                for record in &prepared {
                    sum += definition.stage_of(black_box(record), now).unwrap().map_or(0, |s| s.position() + 1);
                }
            }
            "full" => {
                for record in &prepared {
                    let result = definition.classify_prepared(black_box(record), now).unwrap();
                    sum += result.stage_index().map_or(0, |s| s.position() + 1) + result.errors().len();
                }
            }
            "hand" => {
                for sample in &samples {
                    sum += common::hand::stage_of(black_box(&sample.lead), today).map_or(0, |s| s as usize + 1);
                }
            }
            _ => {}
        }
    }
    println!("{sum}");
}
