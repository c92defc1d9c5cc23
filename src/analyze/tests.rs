//! Unit tests of the analysis: class splitting, and whole analyses of small definitions.

use chrono::{DateTime, TimeZone, Utc};

use super::domain::{day_points, number_points, Class, Domain};
use super::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap()
}

fn definition(fields: &str, stages: &[(&str, &str)]) -> Definition {
    let mut toml = format!("[definition]\nname = \"t\"\n[teams]\nsales = \"Sales\"\n[fields]\n{fields}\n");
    for (id, when) in stages {
        toml.push_str(&format!("[[stages]]\nid = \"{id}\"\nowner = \"sales\"\nwhen = '''{when}'''\n"));
    }
    Definition::from_toml(&toml).unwrap()
}

#[test]
fn numbers_split_at_their_literals() {
    let points: Vec<f64> = number_points(&[10.0, 5.0, 5.0, 5.5]).collect();
    assert_eq!(points, [4.0, 5.0, 5.25, 5.5, 6.0, 10.0, 11.0]);
    assert_eq!(number_points(&[]).collect::<Vec<_>>(), [1.0]);
    assert_eq!(number_points(&[0.5]).collect::<Vec<_>>(), [0.0, 0.5, 1.0]);
    assert_eq!(number_points(&[f64::NAN, -3.0]).collect::<Vec<_>>(), [-4.0, -3.0, -2.0]);
}

#[test]
fn days_split_at_their_thresholds() {
    assert_eq!(day_points(&[10, 11, 12, 20], 0).collect::<Vec<_>>(), [-20, 10, 11, 12, 16, 20, 50]);
    assert_eq!(day_points(&[], 7).collect::<Vec<_>>(), [7]);
}

#[test]
fn each_field_type_has_its_classes() {
    let d = definition(
        "n = \"number\"\nd = \"date\"\nb = \"boolean\"\ne = { type = \"enum\", values = [\"x\", \"y\"] }\ns = \"string\"\nl = \"list\"",
        &[("a", "n > 3 and n <= 7 or d < today + 1d or b or e == 'y' or s contains 'q' or l contains 'z'")],
    );
    let domain = Domain::new(&d, now().timestamp());
    let slot = |id: &str| d.field_position(id).unwrap().position();
    assert_eq!(
        domain.classes(slot("n")),
        [
            Class::Missing,
            Class::Number(2.0),
            Class::Number(3.0),
            Class::Number(4.0),
            Class::Number(7.0),
            Class::Number(8.0)
        ]
    );
    let today = now().timestamp() / 86_400;
    let days: Vec<Class> = [today - 30, today, today + 1, today + 2, today + 32].into_iter().map(Class::Date).collect();
    assert_eq!(domain.classes(slot("d"))[1..], days[..]);
    assert_eq!(domain.classes(slot("b")), [Class::Missing, Class::Bool(true), Class::Bool(false)]);
    assert_eq!(domain.classes(slot("e")), [Class::Missing, Class::Enum(0), Class::Enum(1)]);
    assert_eq!(domain.classes(slot("s")), [Class::Missing, Class::Present]);
    assert_eq!(domain.classes(slot("l")), [Class::Missing, Class::Present]);
    assert_eq!(domain.constraints.len(), 2);
}

#[test]
fn a_shadowed_stage_names_what_catches_it() {
    let d = definition(
        "budget = \"number\"\nrole = { type = \"enum\", values = [\"a\", \"b\"] }",
        &[("narrow", "budget > 100 and role == 'a'"), ("unrelated", "role == 'b'"), ("broad", "budget > 50")],
    );
    let analysis = d.analyze(now());
    let narrow = analysis.stages.iter().find(|s| s.stage == d.stage_index("narrow").unwrap()).unwrap();
    assert!(matches!(narrow.verdict, Verdict::Never), "{narrow:?}");
    assert_eq!(narrow.caught_by, [d.stage_index("broad").unwrap()]);
    for (stage, record) in analysis.witnesses() {
        assert_eq!(d.classify(record, now()).stage_index(), Some(stage));
    }
}

#[test]
fn a_narrow_window_has_a_witness() {
    let d = definition(
        "budget = \"number\"\nwhen = \"date\"",
        &[
            ("window", "budget > 10 and budget < 11 and when >= today - 2d and when < today"),
            ("wide", "budget > 0 and budget != 10.5"),
        ],
    );
    let analysis = d.analyze(now());
    assert_eq!(analysis.witnesses().count(), 2);
}

#[test]
fn score_and_criteria_are_derived() {
    let toml = r#"
        [definition]
        name = "s"
        [teams]
        sales = "Sales"
        [fields]
        budget = "number"
        vip = "boolean"
        [qualification]
        require = 1
        [qualification.criteria]
        budget = "budget >= 100"
        vip = "vip"
        [scoring]
        max = 30
        [[scoring.rules]]
        when = "criteria.budget"
        points = 20
        [[scoring.rules]]
        when = "vip"
        points = 20
        [[stages]]
        id = "hot"
        owner = "sales"
        when = "score >= 30 and qualified"
        [[stages]]
        id = "impossible"
        owner = "sales"
        when = "score > 30"
    "#;
    let d = Definition::from_toml(toml).unwrap();
    let analysis = d.analyze(now());
    let verdict = |id: &str| &analysis.stages.iter().find(|s| s.stage == d.stage_index(id).unwrap()).unwrap().verdict;
    assert!(verdict("hot").witness().is_some());
    assert!(matches!(verdict("impossible"), Verdict::Never));
}

#[test]
fn enum_values_no_rule_names_share_one_class() {
    let d = definition("e = { type = \"enum\", values = [\"a\", \"b\", \"c\", \"d\"] }\nf = { type = \"enum\", values = [\"x\", \"y\"] }", &[
        ("one", "e == 'c' or e in ['b', 'c']"),
        ("two", "f contains 'x'"),
    ]);
    let domain = Domain::new(&d, now().timestamp());
    let slot = |id: &str| d.field_position(id).unwrap().position();
    assert_eq!(domain.classes(slot("e")), [Class::Missing, Class::Enum(0), Class::Enum(1), Class::Enum(2)]);
    assert_eq!(domain.classes(slot("f")), [Class::Missing, Class::Enum(0), Class::Enum(1)]);
}
