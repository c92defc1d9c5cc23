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

/// A definition whose only criterion `k` is `rule` over `fields` (TOML lines), with stages
/// for each of its three states. Classification runs the compiled program, which lowers a
/// criterion's rule for all three outcomes (copying what follows an unknown operand),
/// while `explain` walks the checked tree: both are compared with the reference.
fn criterion_definition(fields: &str, rule: &str) -> Definition {
    let src = format!(
        "[definition]\nname = \"criterion\"\n[teams]\nt = \"T\"\n[fields]\n{fields}\n\
         [qualification.criteria]\nk = \"{rule}\"\n\
         [[stages]]\nid = \"unknown\"\nowner = \"t\"\nwhen = \"criteria.k is missing\"\n\
         [[stages]]\nid = \"not_met\"\nowner = \"t\"\nwhen = \"not criteria.k\"\n\
         [[stages]]\nid = \"met\"\nowner = \"t\"\nwhen = \"criteria.k\"\n"
    );
    Definition::from_toml(&src).unwrap_or_else(|err| panic!("{rule}: {err}"))
}

/// The criterion `k`'s state by classification (the program), by its stage (the program
/// asked through another rule) and by `explain`'s tree walk of its rule.
fn criterion_states(definition: &Definition, record: &Record) -> (Truth, Truth, Truth) {
    let result = definition.classify(record, now());
    let by_stage = match result.stage().map(|s| s.id()) {
        Some("met") => Truth::True,
        Some("not_met") => Truth::False,
        _ => Truth::Unknown,
    };
    let prepared = definition.prepare(record);
    let ctx = leadspec::rule::Context::new(&prepared, &[], Truth::Unknown, 0, now().naive_utc());
    let tree = definition.qualification().criteria()[0].rule().eval(&ctx);
    (result.criterion("k").unwrap(), by_stage, tree)
}

proptest! {
    #[test]
    fn connectives_follow_kleene_logic(e in expr(), values in [truth(), truth(), truth()], invalid: bool) {
        let definition = definition_with(&e.text());
        let record = record_for(&values, invalid);
        let expected = e.truth(&values);
        prop_assert_eq!(evaluated(&definition, &record), expected);
        prop_assert_eq!(definition.classify(&record, now()).stage().is_some(), expected == Truth::True);
        let criterion = criterion_definition("a = \"boolean\"\nb = \"boolean\"\nc = \"boolean\"", &e.text());
        prop_assert_eq!(criterion_states(&criterion, &record), (expected, expected, expected), "{}", e.text());
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

// ---- Kleene laws on all three values, through the engine ---------------------------------

proptest! {
    #[test]
    fn kleene_laws_hold_in_the_engine(values in [truth(), truth(), truth()]) {
        let record = record_for(&values, false);
        let t = |rule: &str| evaluated(&definition_with(rule), &record);
        // Commutativity.
        prop_assert_eq!(t("a and b"), t("b and a"));
        prop_assert_eq!(t("a or b"), t("b or a"));
        // De Morgan.
        prop_assert_eq!(t("not (a and b)"), t("not a or not b"));
        prop_assert_eq!(t("not (a or b)"), t("not a and not b"));
        // Double negation.
        prop_assert_eq!(t("not not a"), t("a"));
        // Associativity and distributivity.
        prop_assert_eq!(t("(a and b) and c"), t("a and (b and c)"));
        prop_assert_eq!(t("a and (b or c)"), t("(a and b) or (a and c)"));
        // Symbols and words are the same operators.
        prop_assert_eq!(t("!a || b && c"), t("not a or b and c"));
    }
}

// ---- random well-typed expressions against a reference evaluator --------------------------

/// A lead's values for the typed fields: `None` is missing, `Some(None)` invalid.
#[derive(Clone, Debug)]
struct Lead {
    n: Option<Option<i32>>,
    s: Option<String>,
    e: Option<&'static str>,
    d: Option<chrono::NaiveDate>,
    l: Option<Vec<&'static str>>,
}

/// A comparison atom, written as rule text and evaluated by hand.
#[derive(Clone, Debug)]
enum Typed {
    Number(&'static str, i32),
    TextContains(&'static str),
    TextEquals(&'static str),
    EnumIn(Vec<&'static str>, bool),
    DateBefore(i64, &'static str),
    ListHas(&'static str),
    Present(&'static str),
}

const ENUM_VALUES: [&str; 3] = ["red", "green", "blue"];
const WORDS: [&str; 4] = ["Acme", "acme gmbh", "Beta", "x"];

impl Typed {
    fn text(&self) -> String {
        match self {
            Typed::Number(op, k) => format!("n {op} {k}"),
            Typed::TextContains(w) => format!("s contains '{w}'"),
            Typed::TextEquals(w) => format!("s == '{w}'"),
            Typed::EnumIn(values, negated) => {
                let list: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
                format!("e {}in [{}]", if *negated { "not " } else { "" }, list.join(", "))
            }
            Typed::DateBefore(days, unit) => format!("d < today + {days}{unit}"),
            Typed::ListHas(w) => format!("l contains '{w}'"),
            Typed::Present(field) => format!("{field} is present"),
        }
    }

    fn truth(&self, lead: &Lead) -> Truth {
        let known = |v: Option<bool>| v.map_or(Truth::Unknown, Truth::from);
        match self {
            Typed::Number(op, k) => known(lead.n.flatten().map(|n| match *op {
                "==" => n == *k,
                "!=" => n != *k,
                "<" => n < *k,
                "<=" => n <= *k,
                ">" => n > *k,
                _ => n >= *k,
            })),
            Typed::TextContains(w) => known(lead.s.as_ref().map(|s| s.to_lowercase().contains(&w.to_lowercase()))),
            Typed::TextEquals(w) => known(lead.s.as_ref().map(|s| s == w)),
            Typed::EnumIn(values, negated) => known(lead.e.map(|e| values.contains(&e) != *negated)),
            Typed::DateBefore(amount, unit) => {
                let today = now().date_naive();
                let limit = match *unit {
                    "d" => today.checked_add_signed(chrono::TimeDelta::days(*amount)),
                    "w" => today.checked_add_signed(chrono::TimeDelta::weeks(*amount)),
                    _ => today.checked_add_months(chrono::Months::new(*amount as u32)),
                };
                known(lead.d.zip(limit).map(|(d, limit)| d < limit))
            }
            Typed::ListHas(w) => known(lead.l.as_ref().map(|l| l.contains(w))),
            Typed::Present(field) => Truth::from(match *field {
                "n" => matches!(lead.n, Some(Some(_))),
                "s" => lead.s.is_some(),
                "e" => lead.e.is_some(),
                "d" => lead.d.is_some(),
                _ => lead.l.is_some(),
            }),
        }
    }
}

#[derive(Clone, Debug)]
enum TypedExpr {
    Atom(Typed),
    Not(Box<TypedExpr>),
    And(Box<TypedExpr>, Box<TypedExpr>),
    Or(Box<TypedExpr>, Box<TypedExpr>),
}

impl TypedExpr {
    fn text(&self) -> String {
        match self {
            TypedExpr::Atom(a) => a.text(),
            TypedExpr::Not(e) => format!("not ({})", e.text()),
            TypedExpr::And(a, b) => format!("({}) and ({})", a.text(), b.text()),
            TypedExpr::Or(a, b) => format!("({}) or ({})", a.text(), b.text()),
        }
    }

    fn truth(&self, lead: &Lead) -> Truth {
        match self {
            TypedExpr::Atom(a) => a.truth(lead),
            TypedExpr::Not(e) => e.truth(lead).not(),
            TypedExpr::And(a, b) => a.truth(lead).and(b.truth(lead)),
            TypedExpr::Or(a, b) => a.truth(lead).or(b.truth(lead)),
        }
    }
}

fn typed_atom() -> impl Strategy<Value = Typed> {
    let op = prop::sample::select(vec!["==", "!=", "<", "<=", ">", ">="]);
    let word = prop::sample::select(WORDS.to_vec());
    let value = prop::sample::select(ENUM_VALUES.to_vec());
    prop_oneof![
        (op, -3i32..4).prop_map(|(op, k)| Typed::Number(op, k)),
        word.clone().prop_map(Typed::TextContains),
        word.prop_map(Typed::TextEquals),
        (prop::collection::vec(value.clone(), 1..3), any::<bool>()).prop_map(|(v, n)| Typed::EnumIn(v, n)),
        (0i64..60, prop::sample::select(vec!["d", "w", "mo"])).prop_map(|(k, u)| Typed::DateBefore(k, u)),
        value.prop_map(Typed::ListHas),
        prop::sample::select(vec!["n", "s", "e", "d", "l"]).prop_map(Typed::Present),
    ]
}

fn typed_expr() -> impl Strategy<Value = TypedExpr> {
    typed_atom().prop_map(TypedExpr::Atom).prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| TypedExpr::Not(Box::new(e))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| TypedExpr::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner).prop_map(|(a, b)| TypedExpr::Or(Box::new(a), Box::new(b))),
        ]
    })
}

fn lead() -> impl Strategy<Value = Lead> {
    (
        prop::option::of(prop::option::of(-3i32..4)),
        prop::option::of(prop::sample::select(WORDS.to_vec()).prop_map(String::from)),
        prop::option::of(prop::sample::select(ENUM_VALUES.to_vec())),
        prop::option::of((-100i64..500).prop_map(|k| now().date_naive() + chrono::TimeDelta::days(k))),
        prop::option::of(prop::collection::vec(prop::sample::select(ENUM_VALUES.to_vec()), 1..3)),
    )
        .prop_map(|(n, s, e, d, l)| Lead { n, s, e, d, l })
}

fn typed_record(lead: &Lead) -> Record {
    let mut r = Record::new();
    match lead.n {
        Some(Some(n)) => r.insert("n", n),
        Some(None) => r.insert("n", "not a number"),
        None => {}
    }
    if let Some(s) = &lead.s {
        r.insert("s", s.as_str());
    }
    if let Some(e) = lead.e {
        r.insert("e", e);
    }
    if let Some(d) = lead.d {
        r.insert("d", d.to_string());
    }
    if let Some(l) = &lead.l {
        r.insert("l", l.join(";"));
    }
    r
}

proptest! {
    #[test]
    fn well_typed_expressions_agree_with_a_reference_evaluator(e in typed_expr(), lead in lead()) {
        let rule = e.text();
        let src = format!(
            "[definition]\nname = \"typed\"\n[teams]\nt = \"T\"\n[fields]\nn = \"number\"\ns = \"string\"\n\
             e = {{ type = \"enum\", values = [\"red\", \"green\", \"blue\"] }}\nd = \"date\"\nl = \"list\"\n\
             [[stages]]\nid = \"hit\"\nowner = \"t\"\nwhen = \"{rule}\"\n"
        );
        let definition = Definition::from_toml(&src).unwrap_or_else(|err| panic!("{rule}: {err}"));
        let expected = e.truth(&lead);
        prop_assert_eq!(evaluated(&definition, &typed_record(&lead)), expected, "{}", rule);
        let fields = "n = \"number\"\ns = \"string\"\ne = { type = \"enum\", values = [\"red\", \"green\", \"blue\"] }\n\
                      d = \"date\"\nl = \"list\"";
        let criterion = criterion_definition(fields, &rule);
        prop_assert_eq!(criterion_states(&criterion, &typed_record(&lead)), (expected, expected, expected), "{}", rule);
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

/// `require = N` agrees with brute force: over every way of deciding the unknown criteria,
/// met if all reach N, not met if none does, unknown otherwise. Exhaustive up to 5 criteria.
#[test]
fn n_of_m_agrees_with_brute_force_over_all_states() {
    use leadspec::Requirement;
    const ALL: [Truth; 3] = [Truth::False, Truth::Unknown, Truth::True];
    for m in 1..=5usize {
        for code in 0..3usize.pow(m as u32) {
            let states: Vec<Truth> = (0..m).map(|i| ALL[code / 3usize.pow(i as u32) % 3]).collect();
            let unknown: Vec<usize> = (0..m).filter(|&i| states[i] == Truth::Unknown).collect();
            for n in 1..=m {
                let reach = |mask: usize| {
                    let decided = (0..m).filter(|&i| match states[i] {
                        Truth::True => true,
                        Truth::False => false,
                        Truth::Unknown => mask >> unknown.iter().position(|&u| u == i).unwrap() & 1 == 1,
                    });
                    decided.count() >= n
                };
                let outcomes: Vec<bool> = (0..1usize << unknown.len()).map(reach).collect();
                let expected = if outcomes.iter().all(|&o| o) {
                    Truth::True
                } else if outcomes.iter().all(|&o| !o) {
                    Truth::False
                } else {
                    Truth::Unknown
                };
                assert_eq!(Requirement::AtLeast(n).combine(&states), expected, "{states:?} n={n}");
            }
        }
    }
}
