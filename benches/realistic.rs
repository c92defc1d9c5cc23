//! Issue 6, benchmark 1 and half of 2: classification throughput on a realistic definition
//! over 10,000 fixed, seeded, varied records, next to the same rules hand-written in Rust.
//!
//! `cargo bench --bench realistic`. Every iteration classifies the whole set, so criterion's
//! `thrpt` is records per second. The CEL comparison is in `compare/` (`cargo bench -p
//! leadspec-compare`), which also repeats these two for ratios measured in one run.

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use leadspec::{Definition, Prepared};

fn benches(c: &mut Criterion) {
    let definition = Definition::from_toml(common::DEFINITION).unwrap();
    let samples = common::benchmark_samples();
    let prepared: Vec<Prepared> = samples.iter().map(|s| definition.prepare(&s.record)).collect();
    let (now, today) = (common::now(), common::today());
    let mut per_stage = [0usize; 9];
    for record in &prepared {
        per_stage[definition.stage_of(record, now).unwrap_or(8)] += 1;
    }
    let shares: Vec<String> = common::hand::STAGE_IDS
        .iter()
        .chain(&["unclassified"])
        .zip(per_stage)
        .map(|(id, n)| format!("{id} {n}"))
        .collect();
    eprintln!("benchmark set: {} records; {}", prepared.len(), shares.join(", "));

    let mut group = c.benchmark_group("realistic");
    group.throughput(Throughput::Elements(samples.len() as u64));
    group.bench_function("stage_of (leadspec, stage path)", |b| {
        b.iter(|| {
            let mut sum = 0usize;
            for record in &prepared {
                sum += definition.stage_of(black_box(record), now).map_or(0, |s| s + 1);
            }
            sum
        })
    });
    group.bench_function("classify_prepared (leadspec, full)", |b| {
        b.iter(|| {
            let mut sum = 0usize;
            for record in &prepared {
                let result = definition.classify_prepared(black_box(record), now);
                sum += result.stage_index().map_or(0, |s| s + 1) + result.errors().len() + result.ask().len();
            }
            sum
        })
    });
    group.bench_function("stage_of (hand-written Rust)", |b| {
        b.iter(|| {
            let mut sum = 0usize;
            for sample in &samples {
                sum += common::hand::stage_of(black_box(&sample.lead), today).map_or(0, |s| s as usize + 1);
            }
            sum
        })
    });
    group.bench_function("prepare (leadspec, coerce a record)", |b| {
        b.iter(|| {
            let mut sum = 0usize;
            for sample in &samples {
                sum += definition.prepare(black_box(&sample.record)).slots().len();
            }
            sum
        })
    });
    group.finish();
}

criterion_group!(realistic, benches);
criterion_main!(realistic);
