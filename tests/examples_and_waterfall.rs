//! Examples inside a definition (its `[[examples]]`), each kind passing and failing at the
//! exact line of its `name`; and the waterfall from stage histories as property tests.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use leadspec::{Definition, StageChange};
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap()
}

const BASE: &str = r#"[definition]
name = "Ladder"

[teams]
mkt = "Marketing"
sales = "Sales"

[fields]
email = "email"
website = "url"
budget = "number"

[qualification.criteria]
budget = "budget >= 10"

[[stages]]
id = "subscriber"
owner = "mkt"
canonical = "contact"
when = "email is present"

[[stages]]
id = "lead"
owner = "mkt"
canonical = "inquiry"
when = "email is present and website is present"

[[stages]]
id = "sql"
owner = "sales"
canonical = "sql"
when = "qualified"

[[stages]]
id = "won"
owner = "sales"
canonical = "customer"
when = "false"

[[transitions]]
from = "subscriber"
to = "lead"

[[transitions]]
from = "lead"
to = "sql"
when = "qualified"
"#;

/// Runs one example appended to BASE: `None` if it passed, else (line, message, reason).
fn run(example: &str) -> Option<(usize, String, String)> {
    let src = format!("{BASE}\n[[examples]]\n{example}\n");
    let d = Definition::from_toml(&src).unwrap_or_else(|e| panic!("{e}"));
    let check = d.run_examples(now()).into_iter().next().unwrap();
    let diagnostic = check.to_diagnostic()?;
    let name_line = src.lines().position(|l| l.starts_with("name = \"e\"")).unwrap() + 1;
    assert_eq!((diagnostic.line, diagnostic.column), (name_line, 1));
    Some((diagnostic.line, diagnostic.message, diagnostic.hint.unwrap_or_default()))
}

#[test]
fn stage_examples() {
    assert_eq!(run("name = \"e\"\nrecord = { email = \"a@example.com\" }\nstage = \"subscriber\""), None);
    let (_, message, reason) = run("name = \"e\"\nrecord = { email = \"a@example.com\" }\nstage = \"lead\"").unwrap();
    assert_eq!(message, "example \"e\": expected stage `lead`, got `subscriber`");
    assert!(reason.contains("subscriber"), "{reason}");
}

#[test]
fn unclassified_examples() {
    assert_eq!(run("name = \"e\"\nrecord = { budget = 1 }\nunclassified = true"), None);
    let (_, message, _) = run("name = \"e\"\nrecord = { email = \"a@example.com\" }\nunclassified = true").unwrap();
    assert!(message.contains("expected no stage, got `subscriber`"), "{message}");
}

#[test]
fn move_examples() {
    let allowed = "name = \"e\"\nrecord = { budget = 20 }\nmove = { from = \"lead\", to = \"sql\", allowed = true }";
    assert_eq!(run(allowed), None);
    let refused = "name = \"e\"\nrecord = {}\nmove = { from = \"subscriber\", to = \"sql\", allowed = true }";
    let (_, message, reason) = run(refused).unwrap();
    assert!(message.contains("expected the move from `subscriber` to `sql` to be allowed"), "{message}");
    assert!(reason.contains("no transition"), "{reason}");
    let wrongly_refused =
        "name = \"e\"\nrecord = { budget = 20 }\nmove = { from = \"lead\", to = \"sql\", allowed = false }";
    assert!(run(wrongly_refused).is_some());
}

#[test]
fn optional_expectations_owner_qualified_criteria_errors_and_now() {
    let all =
        "name = \"e\"\nnow = \"2026-01-01\"\nrecord = { email = \"a@example.com\", website = \"nope\", budget = 3 }\n\
               stage = \"subscriber\"\nowner = \"mkt\"\nqualified = \"not_met\"\ncriteria = { budget = \"not_met\" }\n\
               errors = { website = \"Website address invalid\" }";
    assert_eq!(run(all), None);
    for (wrong, expected) in [
        ("owner = \"mkt\"", "owner = \"sales\""),
        ("qualified = \"not_met\"", "qualified = \"met\""),
        ("criteria = { budget = \"not_met\" }", "criteria = { budget = \"unknown\" }"),
        ("errors = { website = \"Website address invalid\" }", "errors = {}"),
    ] {
        let (_, message, _) = run(&all.replace(wrong, expected)).unwrap_or_else(|| panic!("{expected} passed"));
        assert!(message.starts_with("example \"e\": expected"), "{message}");
    }
}

// ---- the waterfall ------------------------------------------------------------------------

fn change(lead: &str, stage: &str, minutes: i64) -> StageChange {
    StageChange { lead: lead.to_string(), stage: stage.to_string(), at: now() + TimeDelta::minutes(minutes) }
}

fn histories() -> impl Strategy<Value = Vec<StageChange>> {
    let stage = prop::sample::select(vec!["subscriber", "lead", "sql", "won"]);
    prop::collection::vec((0..6usize, stage, 0i64..10_000), 0..40)
        .prop_map(|v| v.into_iter().map(|(lead, stage, at)| change(&format!("L{lead}"), stage, at)).collect())
}

fn definition() -> Definition {
    Definition::from_toml(BASE).unwrap()
}

proptest! {
    #[test]
    fn waterfall_counts_never_grow_down_the_steps(history in histories()) {
        let w = definition().waterfall(history);
        for pair in w.steps.windows(2) {
            prop_assert!(pair[0].reached >= pair[1].reached);
            prop_assert_eq!(pair[0].converted, pair[1].reached);
        }
        if let Some(last) = w.steps.last() {
            prop_assert_eq!(last.converted, 0);
        }
        prop_assert!(w.steps.first().is_none_or(|s| s.reached <= w.leads));
    }

    #[test]
    fn waterfall_is_independent_of_line_order(history in histories(), seed in any::<u64>()) {
        let mut shuffled = history.clone();
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, (seed as usize ^ i.wrapping_mul(0x9E37)) % (i + 1));
        }
        // One definition: stage indices of two loads, even of the same text, differ.
        let d = definition();
        prop_assert_eq!(d.waterfall(history), d.waterfall(shuffled));
    }
}

#[test]
fn a_lead_seen_only_late_counts_at_every_earlier_step() {
    let w = definition().waterfall([change("L1", "sql", 0)]);
    let reached: Vec<(&str, usize, usize)> =
        w.steps.iter().map(|s| (s.shared.name(), s.reached, s.converted)).collect();
    assert_eq!(reached, [("contact", 1, 1), ("inquiry", 1, 1), ("sql", 1, 0), ("customer", 0, 0)]);
    assert_eq!(w.leads, 1);
}

#[test]
fn unknown_stages_in_a_history_are_reported_and_the_rest_counted() {
    let w = definition().waterfall([change("L1", "lead", 0), change("L2", "mql", 5), change("L2", "sql", 9)]);
    assert_eq!(w.unknown.len(), 1);
    assert_eq!(w.unknown[0].change.stage, "mql");
    assert_eq!(w.leads, 2);
    assert_eq!(w.steps[0].reached, 2);
}
