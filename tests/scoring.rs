//! Scoring (`[scoring]`: the points of the true rules, added up and clamped to `min`..`max`):
//! the laws of the score, as property tests.

use chrono::{TimeZone, Utc};
use leadspec::{Definition, Record};
use proptest::prelude::*;

/// A scoring rule: which field it reads, and its points. Field `fK` is a boolean: true,
/// false or missing (unknown) in the record.
#[derive(Clone, Debug)]
struct ScoreRule {
    field: usize,
    points: i64,
}

const FIELDS: usize = 4;

fn definition(rules: &[ScoreRule], min: Option<i64>, max: Option<i64>) -> Definition {
    let mut src = String::from("[definition]\nname = \"s\"\n[teams]\nt = \"T\"\n[fields]\n");
    for k in 0..FIELDS {
        src.push_str(&format!("f{k} = \"boolean\"\n"));
    }
    src.push_str("[scoring]\n");
    if let Some(min) = min {
        src.push_str(&format!("min = {min}\n"));
    }
    if let Some(max) = max {
        src.push_str(&format!("max = {max}\n"));
    }
    for rule in rules {
        src.push_str(&format!("[[scoring.rules]]\nwhen = \"f{}\"\npoints = {}\n", rule.field, rule.points));
    }
    src.push_str("[[stages]]\nid = \"s\"\nowner = \"t\"\nwhen = \"score >= 0\"\n");
    Definition::from_toml(&src).unwrap_or_else(|e| panic!("{src}\n{e}"))
}

fn record(values: &[Option<bool>]) -> Record {
    let mut r = Record::new();
    for (k, v) in values.iter().enumerate() {
        if let Some(v) = v {
            r.insert(format!("f{k}"), *v);
        }
    }
    r
}

fn score(d: &Definition, r: &Record) -> i64 {
    d.classify(r, Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()).score().expect("a scored definition")
}

fn rules() -> impl Strategy<Value = Vec<ScoreRule>> {
    prop::collection::vec((0..FIELDS, -50i64..50).prop_map(|(field, points)| ScoreRule { field, points }), 0..8)
}

fn values() -> impl Strategy<Value = Vec<Option<bool>>> {
    prop::collection::vec(prop::option::of(any::<bool>()), FIELDS)
}

proptest! {
    #[test]
    fn the_score_lies_within_min_and_max(rules in rules(), values in values(), low in -60i64..0, span in 0i64..80) {
        let d = definition(&rules, Some(low), Some(low + span));
        let s = score(&d, &record(&values));
        prop_assert!(low <= s && s <= low + span);
    }

    #[test]
    fn the_score_is_the_sum_of_the_true_rules(rules in rules(), values in values()) {
        let d = definition(&rules, None, None);
        let expected: i64 = rules.iter().filter(|r| values[r.field] == Some(true)).map(|r| r.points).sum();
        prop_assert_eq!(score(&d, &record(&values)), expected);
    }

    #[test]
    fn a_false_or_unknown_rule_adds_nothing(rules in rules(), values in values(), points in -50i64..50) {
        let base = score(&definition(&rules, None, None), &record(&values));
        for (k, value) in values.iter().enumerate() {
            if *value != Some(true) {
                let mut more = rules.clone();
                more.push(ScoreRule { field: k, points });
                prop_assert_eq!(score(&definition(&more, None, None), &record(&values)), base);
            }
        }
    }

    #[test]
    fn the_order_of_the_rules_does_not_matter(rules in rules(), values in values(), seed in any::<u64>()) {
        let mut shuffled = rules.clone();
        // A deterministic shuffle driven by the seed.
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, (seed as usize).wrapping_mul(31).wrapping_add(i * 7) % (i + 1));
        }
        let (min, max) = (Some(-20), Some(40));
        prop_assert_eq!(
            score(&definition(&rules, min, max), &record(&values)),
            score(&definition(&shuffled, min, max), &record(&values))
        );
    }
}

#[test]
fn scoring_rules_may_read_criteria_and_qualified_but_not_score() {
    let base = "[definition]\nname = \"s\"\n[teams]\nt = \"T\"\n[fields]\nb = \"number\"\n\
                [qualification.criteria]\nbudget = \"b >= 10\"\n[scoring]\n[[scoring.rules]]\n";
    let stage = "[[stages]]\nid = \"s\"\nowner = \"t\"\nwhen = \"true\"\n";
    let ok = format!("{base}when = \"criteria.budget and qualified\"\npoints = 5\n{stage}");
    let d = Definition::from_toml(&ok).unwrap();
    assert_eq!(score(&d, &Record::new().with("b", 20)), 5);
    let bad = format!("{base}when = \"score > 1\"\npoints = 5\n{stage}");
    let err = Definition::from_toml(&bad).unwrap_err();
    let e = err.errors().next().unwrap();
    assert_eq!((e.message.as_str(), e.line, e.column), ("`score` cannot be used here", 11, 9));
}
