//! Property tests of the laws the contract states for rules and classification: Kleene
//! logic, unknown values, determinism and the priority order of stages.

use chrono::{DateTime, TimeZone, Utc};
use leadspec::{Definition, Record, Truth};
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap()
}

/// Three boolean fields whose value in a record makes each atom true, false or unknown.
const FIELDS: [&str; 3] = ["a", "b", "c"];

fn definition_with(rule: &str) -> Definition {
    let src = format!(
        "[definition]\nname = \"laws\"\n[teams]\nt = \"T\"\n[fields]\na = \"boolean\"\nb = \"boolean\"\nc = \"boolean\"\n\
         [[stages]]\nid = \"hit\"\nowner = \"t\"\nwhen = \"{rule}\"\n"
    );
    Definition::from_toml(&src).unwrap_or_else(|e| panic!("{rule}: {e}"))
}

/// A rule over the three fields, with its expected truth computed by a reference evaluator.
#[derive(Clone, Debug)]
enum Expr {
    Atom(usize),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    fn text(&self) -> String {
        match self {
            Expr::Atom(i) => FIELDS[*i].to_string(),
            Expr::Not(e) => format!("not ({})", e.text()),
            Expr::And(a, b) => format!("({}) and ({})", a.text(), b.text()),
            Expr::Or(a, b) => format!("({}) || ({})", a.text(), b.text()),
        }
    }

    fn truth(&self, values: &[Truth; 3]) -> Truth {
        match self {
            Expr::Atom(i) => values[*i],
            Expr::Not(e) => e.truth(values).not(),
            Expr::And(a, b) => a.truth(values).and(b.truth(values)),
            Expr::Or(a, b) => a.truth(values).or(b.truth(values)),
        }
    }
}

fn expr() -> impl Strategy<Value = Expr> {
    (0..3usize).prop_map(Expr::Atom).prop_recursive(5, 32, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner).prop_map(|(a, b)| Expr::Or(Box::new(a), Box::new(b))),
        ]
    })
}

fn truth() -> impl Strategy<Value = Truth> {
    prop_oneof![Just(Truth::True), Just(Truth::False), Just(Truth::Unknown)]
}

/// A record giving each field the value that makes its atom `truth` (unknown: missing or
/// invalid).
fn record_for(values: &[Truth; 3], invalid: bool) -> Record {
    let mut record = Record::new();
    for (field, truth) in FIELDS.iter().zip(values) {
        record = match truth {
            Truth::True => record.with(*field, "yes"),
            Truth::False => record.with(*field, false),
            Truth::Unknown if invalid => record.with(*field, "perhaps"),
            Truth::Unknown => record,
        };
    }
    record
}

/// The truth of the stage rule, read back through classification and `explain`.
fn evaluated(definition: &Definition, record: &Record) -> Truth {
    definition.explain(record, now()).stages[0].truth
}

proptest! {
    #[test]
    fn connectives_follow_kleene_logic(e in expr(), values in [truth(), truth(), truth()], invalid: bool) {
        let definition = definition_with(&e.text());
        let record = record_for(&values, invalid);
        let expected = e.truth(&values);
        prop_assert_eq!(evaluated(&definition, &record), expected);
        prop_assert_eq!(definition.classify(&record, now()).stage().is_some(), expected == Truth::True);
    }

    #[test]
    fn missing_or_invalid_values_are_unknown_to_every_comparison(
        op in prop_oneof![Just("=="), Just("!="), Just("<"), Just("<="), Just(">"), Just(">=")],
        value in prop_oneof![Just(None), Just(Some("abc")), Just(Some("  ")), Just(Some("1_000"))],
        limit in -1e6f64..1e6,
    ) {
        let src = format!(
            "[definition]\nname = \"x\"\n[teams]\nt = \"T\"\n[fields]\nn = \"number\"\n\
             [[stages]]\nid = \"s\"\nowner = \"t\"\nwhen = \"n {op} {limit}\"\n"
        );
        let definition = Definition::from_toml(&src).unwrap();
        let record = value.map_or_else(Record::new, |v| Record::new().with("n", v));
        prop_assert_eq!(evaluated(&definition, &record), Truth::Unknown);
    }

    #[test]
    fn is_present_and_is_missing_are_never_unknown(value in prop_oneof![Just(None), Just(Some("x")), Just(Some("")), Just(Some("a@b.co"))]) {
        let present = definition_with_email("email is present");
        let missing = definition_with_email("email is missing");
        let record = value.map_or_else(Record::new, |v| Record::new().with("email", v));
        let p = evaluated(&present, &record);
        prop_assert_ne!(p, Truth::Unknown);
        prop_assert_eq!(evaluated(&missing, &record), p.not());
        prop_assert_eq!(p == Truth::True, value == Some("a@b.co"));
    }

    #[test]
    fn classification_is_deterministic_and_ignores_field_order(values in [truth(), truth(), truth()], e in expr()) {
        let definition = definition_with(&e.text());
        let record = record_for(&values, false);
        let mut pairs: Vec<(String, leadspec::Value)> = record.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        pairs.reverse();
        let reversed: Record = pairs.into_iter().collect();
        let first = definition.classify(&record, now());
        let again = definition.classify(&reversed, now());
        prop_assert_eq!(first.stage_index(), again.stage_index());
        prop_assert_eq!(first.qualified(), again.qualified());
    }

    /// Stages are tried by priority, highest first, and at equal priority the one declared
    /// later first; the first whose rule is true wins.
    #[test]
    fn stages_are_tried_in_priority_order(stages in prop::collection::vec((-2i64..3, any::<bool>()), 1..8)) {
        let mut src = String::from("[definition]\nname = \"p\"\n[teams]\nt = \"T\"\n");
        for (i, (priority, matches)) in stages.iter().enumerate() {
            src.push_str(&format!("[[stages]]\nid = \"s{i}\"\nowner = \"t\"\npriority = {priority}\nwhen = \"{matches}\"\n"));
        }
        let definition = Definition::from_toml(&src).unwrap();
        let expected = stages
            .iter()
            .enumerate()
            .filter(|(_, (_, matches))| *matches)
            .max_by_key(|(i, (priority, _))| (*priority, *i))
            .map(|(i, _)| format!("s{i}"));
        let got = definition.classify(&Record::new(), now()).stage().map(|s| s.id().to_string());
        prop_assert_eq!(got, expected);
    }

    /// `require = N` is met when at least N criteria are met, not met when fewer than N could
    /// still be, unknown otherwise; "all" and "any" are Kleene `and` and `or`.
    #[test]
    fn qualification_requirements(values in [truth(), truth(), truth()], n in 1usize..=3) {
        let criteria = "[qualification.criteria]\nx = \"a\"\ny = \"b\"\nz = \"c\"\n";
        let load = |require: &str| {
            Definition::from_toml(&format!(
                "[definition]\nname = \"q\"\n[teams]\nt = \"T\"\n[fields]\na = \"boolean\"\nb = \"boolean\"\nc = \"boolean\"\n\
                 [qualification]\nrequire = {require}\n{criteria}[[stages]]\nid = \"s\"\nowner = \"t\"\nwhen = \"true\"\n"
            ))
            .unwrap()
        };
        let record = record_for(&values, false);
        let met = values.iter().filter(|t| **t == Truth::True).count();
        let possible = values.iter().filter(|t| **t != Truth::False).count();
        let expected = if met >= n { Truth::True } else if possible < n { Truth::False } else { Truth::Unknown };
        prop_assert_eq!(load(&n.to_string()).classify(&record, now()).qualified(), expected);
        let all = values.iter().fold(Truth::True, |a, t| a.and(*t));
        let any = values.iter().fold(Truth::False, |a, t| a.or(*t));
        prop_assert_eq!(load("\"all\"").classify(&record, now()).qualified(), all);
        prop_assert_eq!(load("\"any\"").classify(&record, now()).qualified(), any);
    }
}

fn definition_with_email(rule: &str) -> Definition {
    let src = format!(
        "[definition]\nname = \"e\"\n[teams]\nt = \"T\"\n[fields]\nemail = \"email\"\n\
         [[stages]]\nid = \"s\"\nowner = \"t\"\nwhen = \"{rule}\"\n"
    );
    Definition::from_toml(&src).unwrap()
}

#[test]
fn one_definition_classifies_from_many_threads() {
    let definition = definition_with("a and not b");
    let record = Record::new().with("a", true).with("b", false);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| assert_eq!(definition.classify(&record, now()).stage().unwrap().id(), "hit"));
        }
    });
}
