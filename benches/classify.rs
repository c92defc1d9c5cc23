//! Speed of the hot path: loading once, preparing records, classifying them.
//!
//! Run with `cargo bench --bench classify`; figures are recorded in `BENCHMARKS.md`.

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use leadspec::{Definition, Record};

/// A definition in the shape most organisations write: BANT, seven stages, transitions,
/// scoring with a regex and date arithmetic.
const DEFINITION: &str = r#"
[definition]
name = "Bench"

[teams]
marketing = "Marketing"
sales = "Sales"

[fields]
email = { type = "email", required = true }
website = "url"
company = "string"
budget = "number"
role = { type = "enum", values = ["user", "influencer", "decision_maker", "economic_buyer"] }
need = "string"
purchase_by = "date"
engaged = "boolean"
tags = "list"
customer_since = "date"

[qualification.criteria]
budget = { when = "budget >= 10_000", ask = "What budget is set aside?" }
authority = { when = "role in ['decision_maker', 'economic_buyer']", ask = "Who signs off?" }
need = "need is present"
timeframe = { when = "purchase_by <= today + 90d", ask = "By when?" }

[scoring]
min = 0
max = 100

[[scoring.rules]]
when = "tags contains 'webinar'"
points = 10

[[scoring.rules]]
when = "website matches '\\.(io|ai)$'"
points = 5

[[scoring.rules]]
when = "qualified"
points = 50

[[stages]]
id = "contact"
owner = "marketing"
when = "email is present"

[[stages]]
id = "inquiry"
owner = "marketing"
when = "email is present and (engaged or tags contains 'download')"

[[stages]]
id = "nurture"
owner = "marketing"
when = "criteria.need and not criteria.timeframe"
priority = 1

[[stages]]
id = "qualified_lead"
owner = "sales"
when = "qualified"

[[stages]]
id = "prospect"
owner = "sales"
when = "qualified and score >= 60"

[[stages]]
id = "customer"
owner = "sales"
when = "customer_since is present"
priority = 10
"#;

fn lead() -> Record {
    Record::new()
        .with("id", "L-1")
        .with("email", "ann@example.com")
        .with("website", "https://example.io")
        .with("company", "Example")
        .with("budget", "25000")
        .with("role", "economic_buyer")
        .with("need", "churn")
        .with("purchase_by", "2027-01-10")
        .with("engaged", "yes")
        .with("tags", vec!["webinar".to_string(), "download".to_string()])
}

fn benches(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
    let definition = Definition::from_toml(DEFINITION).unwrap();
    let record = lead();
    let prepared = definition.prepare(&record);
    let json = serde_json::to_string(&serde_json::json!({
        "id": "L-1", "email": "ann@example.com", "website": "https://example.io", "budget": 25000,
        "role": "economic_buyer", "need": "churn", "purchase_by": "2027-01-10", "engaged": true,
        "tags": ["webinar", "download"]
    }))
    .unwrap();

    c.bench_function("load definition", |b| b.iter(|| Definition::from_toml(black_box(DEFINITION)).unwrap()));
    c.bench_function("prepare record", |b| b.iter(|| definition.prepare(black_box(&record))));
    c.bench_function("stage_of prepared (no allocation)", |b| {
        b.iter(|| definition.stage_of(black_box(&prepared), now).unwrap())
    });
    c.bench_function("classify prepared", |b| {
        b.iter(|| definition.classify_prepared(black_box(&prepared), now).unwrap().stage_index())
    });
    c.bench_function("classify record", |b| b.iter(|| definition.classify(black_box(&record), now).stage_index()));
    c.bench_function("parse JSON line + classify", |b| {
        b.iter(|| {
            let record: Record = serde_json::from_str(black_box(&json)).unwrap();
            definition.classify(&record, now).stage_index()
        })
    });
    c.bench_function("explain", |b| b.iter(|| definition.explain(black_box(&record), now).stages.len()));

    // Cost grows linearly with the definition: 10x the stages, about 10x the time when
    // no stage matches.
    let mut group = c.benchmark_group("stages tried (none matches)");
    for stages in [10usize, 100, 1000] {
        let mut src = String::from("[definition]\nname = \"n\"\n[teams]\nt = \"T\"\n[fields]\nbudget = \"number\"\n");
        for i in 0..stages {
            src.push_str(&format!("[[stages]]\nid = \"s{i}\"\nowner = \"t\"\nwhen = \"budget > {i}000000\"\n"));
        }
        let definition = Definition::from_toml(&src).unwrap();
        let prepared = definition.prepare(&Record::new().with("budget", 1));
        group.throughput(Throughput::Elements(stages as u64));
        group.bench_function(stages.to_string(), |b| {
            b.iter_batched(|| (), |()| definition.stage_of(black_box(&prepared), now).unwrap(), BatchSize::SmallInput)
        });
    }
    group.finish();
}

criterion_group!(classify, benches);
criterion_main!(classify);
