//! Issue 6, benchmark 2: the same rules three ways, in one run, over the same 10,000 leads.
//!
//! `cargo bench -p leadspec-compare`. Every iteration finds the stage of the whole set, so
//! criterion's `thrpt` is records per second. Each engine reads its own prepared form, made
//! before timing: leadspec a `Prepared` record, hand-written Rust a plain struct, CEL a map
//! value (cloned into a fresh child context per lead: an `Arc` clone).
//!
//! CEL is measured twice: with the MQL rule's `matches` as written (this interpreter compiles
//! the regex on every call), and with `matches` replaced by three `endsWith` calls.

use std::hint::black_box;

use cel_interpreter::Value;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use leadspec::{Definition, Prepared};
use leadspec_compare::cel::{lead_value, CelRules, Website};
use leadspec_compare::common::{self, hand};

fn benches(c: &mut Criterion) {
    let definition = Definition::from_toml(common::DEFINITION).unwrap();
    let samples = common::benchmark_samples();
    let prepared: Vec<Prepared> = samples.iter().map(|s| definition.prepare(&s.record)).collect();
    let values: Vec<Value> = samples.iter().map(|s| lead_value(&s.lead)).collect();
    let (now, today) = (common::now(), common::today());
    let cel = CelRules::new(today, Website::Matches);
    let cel_ends_with = CelRules::new(today, Website::EndsWith);

    let mut group = c.benchmark_group("compare");
    group.throughput(Throughput::Elements(samples.len() as u64));
    group.bench_function("leadspec stage_of", |b| {
        b.iter(|| {
            let mut sum = 0usize;
            for record in &prepared {
                sum += definition.stage_of(black_box(record), now).map_or(0, |s| s + 1);
            }
            sum
        })
    });
    group.bench_function("hand-written Rust", |b| {
        b.iter(|| {
            let mut sum = 0usize;
            for sample in &samples {
                sum += hand::stage_of(black_box(&sample.lead), today).map_or(0, |s| s as usize + 1);
            }
            sum
        })
    });
    group.sample_size(10);
    group.bench_function("CEL (cel-interpreter), matches as written", |b| {
        b.iter(|| {
            let mut sum = 0usize;
            for value in &values {
                sum += cel.stage_of(black_box(value)).map_or(0, |s| s as usize + 1);
            }
            sum
        })
    });
    group.bench_function("CEL (cel-interpreter), endsWith instead of matches", |b| {
        b.iter(|| {
            let mut sum = 0usize;
            for value in &values {
                sum += cel_ends_with.stage_of(black_box(value)).map_or(0, |s| s as usize + 1);
            }
            sum
        })
    });
    group.finish();
}

criterion_group!(compare, benches);
criterion_main!(compare);
