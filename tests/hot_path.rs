//! The hot path allocates nothing: once a record is prepared, finding its stage reads slots
//! by index and evaluates compiled rules without touching the heap.
//!
//! A counting allocator (per thread, so the test harness's own threads do not interfere)
//! proves it. Speed lives in `benches/`, never here.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use chrono::{TimeZone, Utc};
use leadspec::{Definition, Record};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counter is a
// const-initialised thread-local, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

const DEFINITION: &str = r#"
[definition]
name = "Hot path"
[teams]
marketing = "Marketing"
sales = "Sales"
[fields]
email = { type = "email", required = true }
website = "url"
company = "string"
budget = "number"
role = { type = "enum", values = ["user", "decision_maker", "economic_buyer"] }
purchase_by = "date"
tags = "list"
[qualification.criteria]
budget = "budget >= 10_000"
authority = "role in ['decision_maker', 'economic_buyer']"
timeframe = "purchase_by <= today + 3mo"
[scoring]
[[scoring.rules]]
when = "website matches '\\.io$' or company contains 'gmbh'"
points = 20
[[scoring.rules]]
when = "tags contains 'webinar'"
points = 10
[[stages]]
id = "contact"
owner = "marketing"
when = "email is present"
[[stages]]
id = "engaged"
owner = "marketing"
when = "score >= 30"
[[stages]]
id = "qualified_lead"
owner = "sales"
when = "qualified and criteria.budget"
"#;

#[test]
fn finding_the_stage_of_a_prepared_record_allocates_nothing() {
    let definition = Definition::from_toml(DEFINITION).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
    let leads = [
        Record::new().with("email", "ann@example.com"),
        Record::new()
            .with("email", "bob@example.com")
            .with("website", "https://bob.io")
            .with("tags", vec!["webinar"])
            .with("company", "Bob GmbH"),
        Record::new()
            .with("email", "cy@example.com")
            .with("budget", "25000")
            .with("role", "economic_buyer")
            .with("purchase_by", "2027-01-10"),
        Record::new().with("email", "not an email").with("budget", "lots"),
    ];
    let prepared: Vec<_> = leads.iter().map(|l| definition.prepare(l)).collect();
    let expected = ["contact", "engaged", "qualified_lead"];
    // Warm up: the regex engine fills its per-thread cache on first use.
    for p in &prepared {
        definition.stage_of(p, now).unwrap();
    }
    for (p, want) in prepared.iter().zip(expected) {
        let mut stage = None;
        assert_eq!(allocations_during(|| stage = definition.stage_of(p, now).unwrap()), 0);
        assert_eq!(stage.map(|i| definition.stages()[i.position()].id()), Some(want));
    }
    let mut stage = None;
    assert_eq!(allocations_during(|| stage = definition.stage_of(&prepared[3], now).unwrap()), 0);
    assert_eq!(stage, None);
}

#[path = "../benches/common/mod.rs"]
mod common;

/// The benchmark set of issue 6 (10,000 leads, missing, invalid and valid values mixed, on
/// a definition using every operator): not one allocation over all of them.
#[test]
fn finding_the_stage_of_any_benchmark_record_allocates_nothing() {
    let definition = Definition::from_toml(common::DEFINITION).unwrap();
    let now = common::now();
    let prepared: Vec<_> = common::benchmark_samples().iter().map(|s| definition.prepare(&s.record)).collect();
    let mut warm = 0usize;
    for p in &prepared {
        warm += definition.stage_of(p, now).unwrap().map_or(0, |s| s.position() + 1);
    }
    let mut sum = 0usize;
    let count = allocations_during(|| {
        for p in &prepared {
            sum += definition.stage_of(p, now).unwrap().map_or(0, |s| s.position() + 1);
        }
    });
    assert_eq!(count, 0);
    assert_eq!(sum, warm);
}
