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
        per_stage[definition.stage_of(record, now).unwrap().map_or(8, |s| s.position())] += 1;
    }
    let shares: Vec<String> = common::hand::STAGE_IDS
        .iter()
        .chain(&["unclassified"])
        .zip(per_stage)
        .map(|(id, n)| format!("{id} {n}"))
        .collect();
    eprintln!("benchmark set: {} records; {}", prepared.len(), shares.join(", "));

    let set = Set { definition: &definition, now, today };
    set.bench(c, "realistic", &prepared, &samples, |s| &s.lead, true);

    // The same work on the first 256 records only, so that they stay in the L2 cache: the
    // difference from the full set is memory traffic (each prepared record's cells, text
    // arena and list items, read for the first time), the rest is evaluation.
    const HOT: usize = 256;
    set.bench(c, "realistic-cache-resident", &prepared[..HOT], &samples[..HOT], |s| &s.lead, true);

    // 10,000 copies of one inquiry-stage record: as much memory as the full set, but every
    // record takes the same branches. Between this and the full set lies the cost of
    // branches that depend on the data (mispredictions, which also stop the processor from
    // overlapping the cache misses of the next records).
    let one =
        prepared.iter().position(|p| definition.stage_of(p, now).unwrap().map(|s| s.position()) == Some(1)).unwrap();
    let copies: Vec<Prepared> = (0..samples.len()).map(|_| prepared[one].clone()).collect();
    let lead_copies: Vec<common::hand::Lead> = (0..samples.len()).map(|_| samples[one].lead.clone()).collect();
    set.bench(c, "realistic-one-record-copied", &copies, &lead_copies, |l| l, false);

    let mut group = c.benchmark_group("realistic");
    group.throughput(Throughput::Elements(samples.len() as u64));
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

/// What every group of the comparison runs against.
struct Set<'d> {
    definition: &'d Definition,
    now: chrono::DateTime<chrono::Utc>,
    today: chrono::NaiveDate,
}

impl Set<'_> {
    /// Benchmarks, in the group `name`, finding the stage of every record with leadspec
    /// (`prepared`) and with hand-written Rust (`leads`, each read through `lead`, so that
    /// the records keep the layout they are given in), and with `full` also leadspec's full
    /// classification.
    fn bench<T>(
        &self,
        c: &mut Criterion,
        name: &str,
        prepared: &[Prepared],
        leads: &[T],
        lead: impl Fn(&T) -> &common::hand::Lead,
        full: bool,
    ) {
        let (definition, now, today) = (self.definition, self.now, self.today);
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(prepared.len() as u64));
        group.bench_function("stage_of (leadspec, stage path)", |b| {
            b.iter(|| {
                let mut sum = 0usize;
                for record in prepared {
                    sum += definition.stage_of(black_box(record), now).unwrap().map_or(0, |s| s.position() + 1);
                }
                sum
            })
        });
        if full {
            group.bench_function("classify_prepared (leadspec, full)", |b| {
                b.iter(|| {
                    let mut sum = 0usize;
                    for record in prepared {
                        let result = definition.classify_prepared(black_box(record), now).unwrap();
                        sum += result.stage_index().map_or(0, |s| s.position() + 1)
                            + result.errors().len()
                            + result.ask().len();
                    }
                    sum
                })
            });
        }
        group.bench_function("stage_of (hand-written Rust)", |b| {
            b.iter(|| {
                let mut sum = 0usize;
                for item in leads {
                    sum += common::hand::stage_of(black_box(lead(item)), today).map_or(0, |s| s as usize + 1);
                }
                sum
            })
        });
        group.finish();
    }
}

criterion_group!(realistic, benches);
criterion_main!(realistic);
