//! Large definitions within the default [`Limits`] load in time and memory proportional to
//! their size.
//!
//! Each family below builds a definition that once took gigabytes or minutes to load (see
//! "Loading large definitions" in BENCHMARKS.md). A counting allocator (per thread, so the
//! test harness's other threads do not interfere) measures the peak heap in use while one
//! definition loads, and how many allocations that made.
//!
//! The full-size definitions are measured, not asserted, by an ignored test:
//!
//! ```sh
//! cargo test --release --test large_definitions -- --ignored --nocapture measure
//! ```
//!
//! (`LEADSPEC_CASE=<family>` measures one family only, e.g. under `/usr/bin/time -v`.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;
use std::time::Instant;

use leadspec::{Definition, Limits, LoadError};

struct Counting;

thread_local! {
    /// Bytes this thread holds, the most it held since the last reset, and its allocations.
    static IN_USE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn grew(bytes: usize) {
    let _ = IN_USE.try_with(|n| {
        let now = n.get() + bytes;
        n.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

fn shrank(bytes: usize) {
    // Memory allocated on another thread may be freed on this one: never go below zero.
    let _ = IN_USE.try_with(|n| n.set(n.get().saturating_sub(bytes)));
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are
// const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrank(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What loading one definition cost.
#[derive(Debug)]
struct Cost {
    /// The most heap in use at once while loading, beyond what was in use before.
    peak_bytes: usize,
    /// Allocations (and reallocations) made while loading.
    allocations: usize,
    /// The work leadspec counts while loading, where it could outgrow the definition:
    /// names compared for did-you-mean hints, characters counted for columns.
    work: u64,
    /// Whether it loaded, or its errors.
    result: Result<Definition, LoadError>,
}

fn load(source: &str) -> Cost {
    load_with(source, &Limits::default())
}

fn load_with(source: &str, limits: &Limits) -> Cost {
    let before = IN_USE.with(Cell::get);
    PEAK.with(|p| p.set(before));
    let allocations = ALLOCATIONS.with(Cell::get);
    let work = leadspec::__load_work();
    let result = Definition::from_toml_with_limits(source, limits);
    Cost {
        peak_bytes: PEAK.with(Cell::get) - before,
        allocations: ALLOCATIONS.with(Cell::get) - allocations,
        work: leadspec::__load_work() - work,
        result,
    }
}

// ---- the families ----------------------------------------------------------------------

/// A small pseudo-random generator (SplitMix64), so names are varied but the same each run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// `len` lowercase letters.
    fn word(&mut self, len: usize) -> String {
        (0..len).map(|_| char::from(b'a' + (self.next() % 26) as u8)).collect()
    }
}

const HEAD: &str = "[definition]\nname = \"Large\"\n\n";

/// An enum field `role` of `values` values.
fn role_field(values: usize) -> String {
    let mut s = String::from("[fields]\nrole = { type = \"enum\", values = [");
    for i in 0..values {
        let _ = write!(s, "{}\"v{i:05}\"", if i > 0 { ", " } else { "" });
    }
    s.push_str("] }\n\n");
    s
}

/// `stages` stages, each with the rule `when`.
fn stages(count: usize, when: &str) -> String {
    let mut s = String::new();
    for i in 0..count {
        let _ = write!(s, "[[stages]]\nid = \"s{i}\"\nowner = \"sales\"\nwhen = \"{when}\"\n\n");
    }
    s
}

/// A `values`-value enum read by `count` stages (`role is present`).
fn enum_read_by_stages(values: usize, count: usize) -> String {
    format!("{HEAD}[teams]\nsales = \"Sales\"\n\n{}{}", role_field(values), stages(count, "role is present"))
}

/// A `values`-value enum named `mentions` times in text atoms of one rule.
fn enum_in_text_atoms(values: usize, mentions: usize) -> String {
    let rule = vec!["role contains 'a'"; mentions].join(" or ");
    format!("{HEAD}[teams]\nsales = \"Sales\"\n\n{}{}", role_field(values), stages(1, &rule))
}

/// A misspelling of `id`: two different neighbouring letters swapped, near its start.
fn misspelt(id: &str) -> String {
    let mut chars: Vec<char> = id.chars().collect();
    let at = (3..chars.len() - 1).find(|&i| chars[i] != chars[i + 1]).expect("a varied id");
    chars.swap(at, at + 1);
    chars.into_iter().collect()
}

/// `count` unknown names of 250 letters: every other one a misspelling of one of `ids`,
/// the others unlike any of them.
fn unknown_names(ids: &[String], count: usize, random: &mut Random) -> Vec<String> {
    (0..count).map(|k| if k % 2 == 0 { misspelt(&ids[k * 7_919 % ids.len()]) } else { random.word(250) }).collect()
}

/// `fields` fields with ids of 250 letters, and one rule naming `unknown` names that are
/// not fields (half of them misspellings of fields).
fn unknown_fields(fields: usize, unknown: usize) -> String {
    let mut random = Random(1);
    let ids: Vec<String> = (0..fields).map(|_| random.word(250)).collect();
    let mut s = format!("{HEAD}[teams]\nsales = \"Sales\"\n\n[fields]\n");
    for id in &ids {
        let _ = writeln!(s, "{id} = \"string\"");
    }
    let names: Vec<String> =
        unknown_names(&ids, unknown, &mut random).into_iter().map(|name| format!("{name} is present")).collect();
    s.push('\n');
    s.push_str(&stages(1, &names.join(" or ")));
    s
}

/// `teams` teams with ids of 250 letters, and `count` stages owned by names that are not
/// teams (half of them misspellings of teams).
fn unknown_owners(teams: usize, count: usize) -> String {
    let mut random = Random(2);
    let ids: Vec<String> = (0..teams).map(|_| random.word(250)).collect();
    let mut s = format!("{HEAD}[teams]\n");
    for id in &ids {
        let _ = writeln!(s, "{id} = \"Team\"");
    }
    s.push_str("\n[fields]\nemail = \"email\"\n\n");
    for (i, owner) in unknown_names(&ids, count, &mut random).iter().enumerate() {
        let _ = write!(s, "[[stages]]\nid = \"s{i}\"\nowner = \"{owner}\"\nwhen = \"email is present\"\n\n");
    }
    s
}

/// One enum field of `values` distinct values.
fn many_enum_values(values: usize) -> String {
    format!("{HEAD}[teams]\nsales = \"Sales\"\n\n{}{}", role_field(values), stages(1, "role is present"))
}

/// `count` examples with distinct names.
fn many_examples(count: usize) -> String {
    let mut s = format!("{HEAD}[teams]\nsales = \"Sales\"\n\n[fields]\nemail = \"email\"\n\n");
    s.push_str(&stages(1, "email is present"));
    for i in 0..count {
        let _ = write!(s, "[[examples]]\nname = \"e{i}\"\nstage = \"s0\"\n\n");
    }
    s
}

/// `stages` stages and `count` transitions between them, reaching all but the last stage.
fn many_transitions(stage_count: usize, count: usize) -> String {
    let mut s = format!("{HEAD}[teams]\nsales = \"Sales\"\n\n[fields]\nemail = \"email\"\n\n");
    s.push_str(&stages(stage_count, "email is present"));
    for i in 0..count {
        let (from, to) = (i % stage_count, (i * 7 + 1) % (stage_count - 1));
        let _ = write!(s, "[[transitions]]\nfrom = \"s{from}\"\nto = \"s{to}\"\n\n");
    }
    s
}

/// `teams` teams, the last owning `stage_count` stages.
fn many_teams(teams: usize, stage_count: usize) -> String {
    let mut s = format!("{HEAD}[teams]\n");
    for i in 0..teams {
        let _ = writeln!(s, "t{i} = \"T\"");
    }
    s.push_str("\n[fields]\nemail = \"email\"\n\n");
    for i in 0..stage_count {
        let _ = write!(s, "[[stages]]\nid = \"s{i}\"\nowner = \"t{}\"\nwhen = \"email is present\"\n\n", teams - 1);
    }
    s
}

/// `stage_count` stages and `count` examples that each name the last stage and team.
fn examples_naming_late_stages(stage_count: usize, count: usize) -> String {
    let mut s = format!("{HEAD}[teams]\nsales = \"Sales\"\n\n[fields]\nemail = \"email\"\n\n");
    s.push_str(&stages(stage_count, "email is present"));
    let last = stage_count - 1;
    for i in 0..count {
        let _ = write!(s, "[[examples]]\nname = \"e{i}\"\nmove = {{ from = \"s{last}\", to = \"s{last}\", allowed = true }}\nowner = \"sales\"\n\n");
    }
    s
}

/// `criteria` criteria with ids of 100 letters, and `count` scoring rules reading `qualified`.
fn qualified_in_many_rules(criteria: usize, count: usize) -> String {
    let mut random = Random(3);
    let mut s = format!("{HEAD}[teams]\nsales = \"Sales\"\n\n[fields]\nemail = \"email\"\n\n");
    s.push_str("[qualification.criteria]\n");
    for _ in 0..criteria {
        let _ = writeln!(s, "{} = \"email is present\"", random.word(100));
    }
    s.push_str("\n[scoring]\n");
    for _ in 0..count {
        s.push_str("[[scoring.rules]]\nwhen = \"qualified\"\npoints = 1\n");
    }
    s.push('\n');
    s.push_str(&stages(1, "email is present"));
    s
}

/// One enum field whose `values` on one line repeat one value `count` times.
fn repeated_values_on_one_line(count: usize) -> String {
    let values = vec!["\"a\""; count].join(",");
    format!(
        "{HEAD}[teams]\nsales = \"Sales\"\n\n[fields]\nrole = {{ type = \"enum\", values = [{values}] }}\n\n{}",
        stages(1, "role is present")
    )
}

/// One enum field whose `values` are `count` numbers: an error every two bytes.
fn numbers_for_values(count: usize) -> String {
    let values = vec!["1"; count].join(",");
    format!(
        "{HEAD}[teams]\nsales = \"Sales\"\n\n[fields]\nrole = {{ type = \"enum\", values = [{values}] }}\n\n{}",
        stages(1, "role is present")
    )
}

/// `count` unknown keys at the top of the file, each with a did-you-mean search.
fn unknown_top_keys(count: usize) -> String {
    let mut s = format!("{HEAD}[teams]\nsales = \"Sales\"\n\n[fields]\nemail = \"email\"\n\n");
    s.push_str(&stages(1, "email is present"));
    s.insert_str(0, &(0..count).map(|i| format!("k{i}=1\n")).collect::<String>());
    s
}

/// A `values`-value enum and `rules` stages, each with a 64 KiB rule of one-value `in` lists.
fn enum_in_lists(values: usize, rules: usize) -> String {
    let list = vec!["role in ['v00001']"; 2_900].join(" or ");
    format!("{HEAD}[teams]\nsales = \"Sales\"\n\n{}{}", role_field(values), stages(rules, &list))
}

/// `count` scoring rules, each `company matches` a pattern that compiles to about the
/// regex size limit.
fn big_regexes(count: usize, pattern: &str) -> String {
    let mut s = format!("{HEAD}[teams]\nsales = \"Sales\"\n\n[fields]\ncompany = \"string\"\n\n[scoring]\n");
    for _ in 0..count {
        let _ = write!(s, "[[scoring.rules]]\nwhen = '''company matches '{pattern}' '''\npoints = 1\n");
    }
    s.push('\n');
    s.push_str(&stages(1, "company is present"));
    s
}

/// `count` scoring rules, each `company matches` a different pattern with a Unicode class.
fn distinct_regexes(count: usize) -> String {
    let mut s = format!("{HEAD}[teams]\nsales = \"Sales\"\n\n[fields]\ncompany = \"string\"\n\n[scoring]\n");
    for i in 0..count {
        let _ = write!(s, "[[scoring.rules]]\nwhen = \"company matches '\\\\w+ gmbh{i}$'\"\npoints = 1\n");
    }
    s.push('\n');
    s.push_str(&stages(1, "company is present"));
    s
}

/// `count` stages, each with a rule of `atoms` conditions joined by `and`.
fn long_rules(count: usize, atoms: usize) -> String {
    let rule = vec!["email is present"; atoms].join(" and ");
    format!("{HEAD}[teams]\nsales = \"Sales\"\n\n[fields]\nemail = \"email\"\n\n{}", stages(count, &rule))
}

/// A field whose value is nested `depth` arrays deep.
fn deep_arrays(depth: usize) -> String {
    format!(
        "{HEAD}[teams]\nsales = \"Sales\"\n\n[fields]\nemail = {}{}\n\n{}",
        "[".repeat(depth),
        "]".repeat(depth),
        stages(1, "email is present")
    )
}

/// Makes one definition.
type Make = fn() -> String;

/// The families at the sizes the issue reported (and others near the 16 MiB limit), by
/// name, each made when it is measured.
fn full_size() -> Vec<(&'static str, Make)> {
    vec![
        ("enum_read_by_stages", || enum_read_by_stages(10_000, 4_000)),
        ("enum_in_text_atoms", || enum_in_text_atoms(10_000, 3_000)),
        ("unknown_fields", || unknown_fields(10_000, 10)),
        // As many such names as one rule can hold (64 KiB).
        ("unknown_fields_one_full_rule", || unknown_fields(10_000, 245)),
        ("unknown_owners", || unknown_owners(1_000, 100)),
        ("many_enum_values", || many_enum_values(80_000)),
        ("many_examples", || many_examples(80_000)),
        // Other spots that grew faster than the definition, near the 16 MiB limit.
        ("many_transitions", || many_transitions(10_000, 300_000)),
        ("many_teams", || many_teams(1_000_000, 10_000)),
        ("examples_naming_late_stages", || examples_naming_late_stages(10_000, 150_000)),
        ("qualified_in_many_rules", || qualified_in_many_rules(1_000, 300_000)),
        ("repeated_values_on_one_line", || repeated_values_on_one_line(2_000_000)),
        ("enum_in_lists", || enum_in_lists(80_000, 200)),
        ("big_regexes_w", || big_regexes(100, "\\w{300}")),
        ("big_regexes_w_too_big", || big_regexes(100, "\\w{3000}")),
        ("big_regexes_any", || big_regexes(100, "(?s:.){2000}")),
        ("small_regexes", || big_regexes(100_000, "gmbh$")),
        ("unicode_class_regexes", || big_regexes(10_000, "\\w+ gmbh$")),
        ("distinct_unicode_class_regexes", || distinct_regexes(10_000)),
        ("distinct_unicode_class_regexes_16mb", || distinct_regexes(200_000)),
        ("long_rules", || long_rules(250, 3_100)),
        ("numbers_for_values", || numbers_for_values(8_000_000)),
        ("unknown_top_keys", || unknown_top_keys(1_500_000)),
        ("deep_arrays", || deep_arrays(100_000)),
    ]
}

/// Loads each full-size family once and prints its size, load time, peak heap and
/// allocations. Measures; asserts nothing.
#[test]
#[ignore = "measures full-size definitions; run in release with --nocapture"]
fn measure() {
    let only = std::env::var("LEADSPEC_CASE").ok();
    println!("| family | size | load time | peak heap | allocations | loads |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (name, make) in full_size() {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let source = make();
        let start = Instant::now();
        let cost = load(&source);
        let elapsed = start.elapsed();
        println!(
            "| {name} | {:.0} KB | {:.2} s | {:.1} MB | {} | {} |",
            source.len() as f64 / 1e3,
            elapsed.as_secs_f64(),
            cost.peak_bytes as f64 / 1e6,
            cost.allocations,
            match &cost.result {
                Ok(_) => "yes".to_string(),
                Err(e) => format!(
                    "no, {} errors ({} with a hint)",
                    e.errors().count(),
                    e.errors().filter(|d| d.hint.is_some()).count()
                ),
            }
        );
    }
}

// ---- the bounds --------------------------------------------------------------------------

/// The most heap loading may take, per byte of a definition that loads, beyond
/// [`HEAP_SLACK`] (measured: up to about 40, most of it the TOML parser's tokens and events).
const HEAP_PER_BYTE: usize = 64;
/// The same for a definition that does not load: one made of small errors takes the most
/// (each error is a message with its position; measured: up to about 200).
const HEAP_PER_BYTE_OF_ERRORS: usize = 256;
const HEAP_SLACK: usize = 2 << 20;

/// Loads `make(n)` and `make(2 * n)`; checks that each loads (or not) as `loads` says and
/// stays within the heap bound, and that the larger made at most `GROWTH` times the
/// allocations of the smaller. Returns both costs.
fn load_twice(make: impl Fn(usize) -> String, n: usize, loads: bool) -> (Cost, Cost) {
    let (small, large) = (make(n), make(2 * n));
    let costs = (load(&small), load(&large));
    for (source, cost) in [(&small, &costs.0), (&large, &costs.1)] {
        assert_eq!(cost.result.is_ok(), loads, "{:?}", cost.result.as_ref().err().map(|e| &e.diagnostics[..1]));
        let per_byte = if loads { HEAP_PER_BYTE } else { HEAP_PER_BYTE_OF_ERRORS };
        let bound = per_byte * source.len() + HEAP_SLACK;
        assert!(cost.peak_bytes <= bound, "{} bytes of heap for {} of definition", cost.peak_bytes, source.len());
    }
    at_most_twice(costs.0.allocations as u64, costs.1.allocations as u64, "allocations");
    costs
}

/// How much more a definition twice the size may cost: twice, and some for rounding.
const GROWTH: f64 = 2.2;

fn at_most_twice(small: u64, large: u64, what: &str) {
    assert!(large as f64 <= GROWTH * small as f64 + 1_000.0, "{what}: {small} for the smaller, {large} for the larger");
}

#[test]
fn an_enum_read_by_many_stages_is_kept_once() {
    load_twice(|n| enum_read_by_stages(n, n), 500, true);
}

#[test]
fn an_enum_in_many_text_atoms_is_kept_once() {
    load_twice(|n| enum_in_text_atoms(n, n), 1_000, true);
}

#[test]
fn in_lists_on_a_large_enum_cost_by_their_length() {
    load_twice(|n| enum_in_lists(n, 4), 5_000, true);
}

/// What did-you-mean hints may do while a definition of `bytes` bytes loads
/// (`load_hint_work` in `src/diagnostic.rs`).
fn hint_work(bytes: usize) -> u64 {
    (16 << 20) + 8 * bytes as u64
}

#[test]
fn hints_among_long_field_ids_cost_in_proportion_to_the_ids() {
    let (small, large) = load_twice(|n| unknown_fields(n, 10), 250, false);
    at_most_twice(small.work, large.work, "work");
    for cost in [&small, &large] {
        // Every misspelt name (every other one) gets its hint.
        assert!(cost.result.as_ref().unwrap_err().errors().step_by(2).all(|e| e.hint.is_some()));
    }
}

#[test]
fn hints_among_long_team_ids_cost_in_proportion_to_the_ids() {
    let (small, large) = load_twice(|n| unknown_owners(n, 10), 250, false);
    at_most_twice(small.work, large.work, "work");
    for cost in [&small, &large] {
        assert!(cost.result.as_ref().unwrap_err().errors().step_by(2).all(|e| e.hint.is_some()));
    }
}

#[test]
fn hints_stop_when_a_definition_has_spent_its_share() {
    // Far more comparisons than the budget allows: the later names get no hint.
    let source = unknown_fields(4_000, 120);
    let cost = load(&source);
    // Besides the hints' share: the last comparison begun, and the columns of the errors
    // (at most two KiB of characters counted each).
    assert!(cost.work <= hint_work(source.len()) + 4_096 + 120 * 2_048, "{} units", cost.work);
    let errors: Vec<_> = cost.result.unwrap_err().errors().cloned().collect();
    assert_eq!(errors.len(), 120);
    // The names at even positions are misspellings: the first gets its hint, the last none.
    assert!(errors[0].hint.is_some());
    assert!(errors[118].hint.is_none());
}

#[test]
fn a_literal_that_is_no_value_of_a_large_enum_gets_a_short_hint() {
    let source = format!("{HEAD}[teams]\nsales = \"Sales\"\n\n{}{}", role_field(10_000), stages(1, "role == 'nope'"));
    let errors = load(&source).result.unwrap_err();
    let hint = errors.errors().next().and_then(|e| e.hint.clone()).unwrap();
    assert!(hint.starts_with("the values include `v00000`, `v00001`"), "{hint}");
    assert!(hint.ends_with("(10000 in all)") && hint.len() < 250, "{hint}");
}

#[test]
fn many_enum_values_are_checked_for_repeats_by_set() {
    load_twice(many_enum_values, 20_000, true);
}

#[test]
fn values_repeated_on_one_long_line_are_each_one_error_found_in_linear_work() {
    let (small, large) = load_twice(repeated_values_on_one_line, 20_000, false);
    assert_eq!(large.result.as_ref().unwrap_err().errors().count(), 2 * 20_000 - 1);
    at_most_twice(small.work, large.work, "work");
}

#[test]
fn an_error_every_two_bytes_stays_within_the_bound() {
    load_twice(numbers_for_values, 100_000, false);
}

#[test]
fn many_examples_are_checked_for_repeats_by_set() {
    load_twice(many_examples, 2_000, true);
}

#[test]
fn many_transitions_teams_and_examples_are_found_by_index() {
    load_twice(|n| many_transitions(n, 3 * n), 1_000, true);
    load_twice(|n| many_teams(10 * n, n), 1_000, true);
    load_twice(|n| examples_naming_late_stages(n, n), 1_000, true);
}

#[test]
fn rules_naming_qualified_keep_no_copy_of_the_criteria() {
    load_twice(|n| qualified_in_many_rules(n / 10, n), 2_000, true);
}

#[test]
fn distinct_patterns_share_one_budget() {
    // Each distinct pattern with `\w` takes some 50 KiB compiled: past the total, the
    // later ones are refused, and the heap stays within the bound plus the total.
    let limits = Limits { max_regex_total_bytes: 4 << 20, ..Limits::default() };
    let source = distinct_regexes(200);
    let cost = load_with(&source, &limits);
    let bound = HEAP_PER_BYTE * source.len() + HEAP_SLACK + 2 * limits.max_regex_total_bytes;
    assert!(cost.peak_bytes <= bound, "{} bytes of heap for {} of definition", cost.peak_bytes, source.len());
    let errors = cost.result.unwrap_err();
    let refused = errors.errors().filter(|e| e.message.contains("too big together")).count();
    assert!(refused > 100 && refused == errors.errors().count(), "{:?}", errors.diagnostics[0]);
}
