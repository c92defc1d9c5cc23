//! Issue 6, benchmark 3: cost grows linearly with the definition.
//!
//! `cargo bench --bench scaling`. Two axes, each measured for load (parse, resolve, type-check)
//! and for classification of one prepared record that every rule reads to the end:
//!
//! - stages: 10, 100 and 1,000 stages of three conditions each (a number, an enum `in`, a
//!   date shifted from `today`), the record failing each stage on its last condition;
//! - expression size: one stage whose rule is an `or` of 10, 100 or 1,000 comparisons, or an
//!   `in` list of as many values, none of them true.
//!
//! Criterion's `thrpt` is in stages (or comparisons) per second: flat across sizes means linear.

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use leadspec::{Definition, Record};

const SIZES: [usize; 3] = [10, 100, 1000];

const HEADER: &str = r#"
[definition]
name = "Scaling"
[teams]
sales = "Sales"
[fields]
email = { type = "email", required = true }
company = "string"
budget = "number"
role = { type = "enum", values = ["user", "influencer", "decision_maker", "economic_buyer"] }
purchase_by = "date"
[qualification.criteria]
budget = "budget >= 10_000"
"#;

/// `n` stages, each `budget >= i and role in [..] and purchase_by <= today + (i + 1)d`.
fn stages(n: usize) -> String {
    let mut src = String::from(HEADER);
    for i in 0..n {
        src.push_str(&format!(
            "[[stages]]\nid = \"s{i}\"\nowner = \"sales\"\n\
             when = \"budget >= {i} and role in ['decision_maker', 'economic_buyer'] and purchase_by <= today + {}d\"\n",
            i + 1
        ));
    }
    src
}

/// One stage whose rule is `budget == 1 or budget == 2 or ...` (`n` comparisons).
fn or_chain(n: usize) -> String {
    let rule: Vec<String> = (1..=n).map(|i| format!("budget == {i}")).collect();
    format!("{HEADER}[[stages]]\nid = \"s\"\nowner = \"sales\"\nwhen = \"{}\"\n", rule.join(" or "))
}

/// One stage whose rule is `company in ['company 1', ...]` (`n` values).
fn in_list(n: usize) -> String {
    let values: Vec<String> = (1..=n).map(|i| format!("'company {i}'")).collect();
    format!("{HEADER}[[stages]]\nid = \"s\"\nowner = \"sales\"\nwhen = \"company in [{}]\"\n", values.join(", "))
}

fn benches(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
    // Every stage's first two conditions hold and its date condition fails.
    let lead = Record::new()
        .with("email", "ann@acme.io")
        .with("company", "Acme")
        .with("budget", 1_000_000)
        .with("role", "decision_maker")
        .with("purchase_by", "2040-01-01");

    type Shape = (&'static str, fn(usize) -> String);
    let shapes: [Shape; 3] = [("stages", stages), ("or-chain", or_chain), ("in-list", in_list)];
    for (name, source) in shapes {
        let mut load = c.benchmark_group(format!("scaling/load/{name}"));
        for n in SIZES {
            let src = source(n);
            load.throughput(Throughput::Elements(n as u64));
            load.bench_with_input(BenchmarkId::from_parameter(n), &src, |b, src| {
                b.iter(|| Definition::from_toml(black_box(src)).unwrap())
            });
        }
        load.finish();

        let mut classify = c.benchmark_group(format!("scaling/stage_of/{name}"));
        for n in SIZES {
            let definition = Definition::from_toml(&source(n)).unwrap();
            let prepared = definition.prepare(&lead);
            assert_eq!(definition.stage_of(&prepared, now).unwrap(), None, "{name}/{n}: no stage may match");
            classify.throughput(Throughput::Elements(n as u64));
            classify.bench_function(BenchmarkId::from_parameter(n), |b| {
                b.iter(|| definition.stage_of(black_box(&prepared), now).unwrap())
            });
        }
        classify.finish();
    }
}

criterion_group!(scaling, benches);
criterion_main!(scaling);
