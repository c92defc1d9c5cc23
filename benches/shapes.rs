//! What each rule shape costs: one stage, no criteria, one rule, one cache-resident record.
//!
//! `cargo bench --bench shapes`. Each case is the benchmark definition's fields with a single
//! stage whose `when` is the shape; the time is one `stage_of` call, so subtract the
//! `baseline` case (a stage whose rule is the literal `false`) to get the shape's own cost.
//! The record has every field valid, so every shape reads its values to the end.
//! This is the table BENCHMARKS.md uses to say where the stage path's time goes.

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use leadspec::{Definition, Record};

/// The shapes, named as BENCHMARKS.md names them.
const SHAPES: [(&str, &str); 22] = [
    ("baseline (false)", "false"),
    ("boolean field", "engaged"),
    ("is present", "email is present"),
    ("number >= literal", "budget >= 10_000"),
    ("enum == literal", "role == 'economic_buyer'"),
    ("enum in [2]", "role in ['decision_maker', 'economic_buyer']"),
    ("enum in [5], last matches", "country in ['jp', 'ca', 'gb', 'de', 'us']"),
    ("enum not in [2]", "industry not in ['government', 'education']"),
    ("string contains (case-insensitive)", "title contains 'chief'"),
    ("string ends_with (case-insensitive)", "email ends_with '.edu'"),
    ("list contains", "tags contains 'webinar'"),
    ("matches regex", "website matches '\\\\.(io|ai|dev)$'"),
    ("date <= today", "customer_since <= today"),
    ("date <= today + 90d", "purchase_by <= today + 90d"),
    ("date >= today - 26w", "last_seen >= today - 26w"),
    ("date <= today + 3mo (calendar)", "purchase_by <= today + 3mo"),
    ("and of 4 true numbers", "budget > 1 and employees > 1 and page_views >= 0 and budget < 1e9"),
    ("or of 4 false numbers", "budget < 1 or employees < 1 or page_views < 0 or budget > 1e9"),
    ("not (number)", "not (budget < 1)"),
    ("criteria.<id> (with 1 criterion)", "criteria.budget"),
    ("qualified (with 1 criterion)", "qualified"),
    ("mql rule of the benchmark", "email is present and country in ['us', 'ca', 'gb', 'de', 'fr'] and industry not in ['government', 'education'] and not (email ends_with '.edu') and (page_views >= 10 or tags contains 'webinar' or website matches '\\\\.(io|ai|dev)$' or source in ['referral', 'partner'])"),
];

/// The benchmark definition's header and fields, without its criteria and stages.
fn fields_only() -> &'static str {
    let start = common::DEFINITION.find("[qualification]").unwrap();
    &common::DEFINITION[..start]
}

fn definition(rule: &str) -> Definition {
    let criteria = if rule.contains("criteria.") || rule == "qualified" {
        "[qualification.criteria]\nbudget = \"budget >= 10_000\"\n"
    } else {
        ""
    };
    let src = format!("{}{criteria}[[stages]]\nid = \"s\"\nowner = \"sales\"\nwhen = \"{rule}\"\n", fields_only());
    Definition::from_toml(&src).unwrap_or_else(|e| panic!("{rule}: {e}"))
}

fn benches(c: &mut Criterion) {
    let now = common::now();
    let lead = Record::new()
        .with("email", "Carla@Initech.CO.UK")
        .with("website", "https://initech.co.uk")
        .with("company", "Initech Ltd")
        .with("title", "VP Engineering")
        .with("country", "us")
        .with("industry", "software")
        .with("role", "influencer")
        .with("source", "web")
        .with("employees", 120)
        .with("budget", 25_000)
        .with("page_views", 7)
        .with("purchase_by", "2027-06-01")
        .with("last_seen", "2026-11-01")
        .with("customer_since", "2027-01-01")
        .with("engaged", false)
        .with("tags", vec!["newsletter", "trial", "webinar"]);
    let mut group = c.benchmark_group("shapes");
    for (name, rule) in SHAPES {
        let definition = definition(rule);
        let prepared = definition.prepare(&lead);
        assert!(prepared.slots().filter(|s| !s.is_present()).count() <= 5, "{rule}");
        group.bench_function(name, |b| b.iter(|| definition.stage_of(black_box(&prepared), now).unwrap()));
    }
    group.finish();
}

criterion_group!(shapes, benches);
criterion_main!(shapes);
