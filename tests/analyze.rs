//! `Definition::analyze`: witnesses that reach their stages, shadowed stages, impossible
//! guards and criteria (each warning at its line and column), what it cannot decide, the
//! shipped definitions, and property tests over random small definitions.

use chrono::{DateTime, TimeZone, Utc};
use leadspec::{AnalyzeOptions, Definition, DiagnosticCode as C, Doubt, Record, Severity, Verdict};
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap()
}

/// A definition with these fields and stages (id, rule), all owned by one team.
fn definition(fields: &str, stages: &[(&str, &str)], more: &str) -> (String, Definition) {
    let mut toml = format!("[definition]\nname = \"t\"\n[teams]\nsales = \"Sales\"\n[fields]\n{fields}\n{more}\n");
    for (id, when) in stages {
        toml.push_str(&format!("[[stages]]\nid = \"{id}\"\nowner = \"sales\"\nwhen = '''{when}'''\n"));
    }
    let d = Definition::from_toml(&toml).unwrap_or_else(|e| panic!("{toml}\n{e}"));
    (toml, d)
}

fn verdict<'a>(analysis: &'a leadspec::Analysis<'_>, d: &Definition, id: &str) -> &'a leadspec::StageFinding {
    let index = d.stage_index(id).unwrap();
    analysis.stages.iter().find(|s| s.stage == index).unwrap()
}

/// Asserts that every witness classifies into its stage.
fn witnesses_hold(d: &Definition, analysis: &leadspec::Analysis<'_>) {
    for (stage, record) in analysis.witnesses() {
        assert_eq!(d.classify(record, now()).stage_index(), Some(stage), "{record:?}");
    }
}

fn messages(analysis: &leadspec::Analysis<'_>, severity: Severity) -> Vec<String> {
    analysis.diagnostics().iter().filter(|d| d.severity == severity).map(|d| d.to_string()).collect()
}

#[test]
fn a_stage_shadowed_by_a_broader_one_names_it_at_its_when() {
    let (_, d) = definition(
        "budget = \"number\"\nrole = { type = \"enum\", values = [\"user\", \"buyer\"] }",
        &[
            ("big_buyer", "budget >= 10_000 and role == 'buyer'"),
            ("other", "role == 'user'"),
            ("any_budget", "budget > 0"),
        ],
        "",
    );
    let analysis = d.analyze(now());
    let big = verdict(&analysis, &d, "big_buyer");
    assert!(matches!(big.verdict, Verdict::Never));
    assert_eq!(big.caught_by, [d.stage_index("any_budget").unwrap()]);
    let warnings = messages(&analysis, Severity::Warning);
    assert_eq!(warnings, [
        "12:8: warning: stage `big_buyer` can never be reached: every record its rule accepts is caught first by `any_budget`"
    ]);
    let diagnostic = analysis.diagnostics().into_iter().find(|d| d.severity == Severity::Warning).unwrap();
    assert_eq!(diagnostic.code, C::StageNeverReached);
    witnesses_hold(&d, &analysis);
    assert_eq!(analysis.witnesses().count(), 2);
}

#[test]
fn two_stages_together_catch_a_third() {
    let (_, d) =
        definition("n = \"number\"", &[("middle", "n > 1 and n < 9"), ("low", "n < 5"), ("high", "n >= 5")], "");
    let analysis = d.analyze(now());
    let middle = verdict(&analysis, &d, "middle");
    assert!(matches!(middle.verdict, Verdict::Never));
    let names: Vec<&str> = middle.caught_by.iter().map(|&i| d.stage_at(i).unwrap().id()).collect();
    assert_eq!(names, ["high", "low"]);
    assert!(messages(&analysis, Severity::Warning)[0].ends_with("is caught first by `high`, `low`"));
}

#[test]
fn a_rule_that_is_never_true_says_so() {
    let (_, d) = definition("n = \"number\"", &[("never", "n > 5 and n < 3"), ("any", "n is present")], "");
    let analysis = d.analyze(now());
    assert!(verdict(&analysis, &d, "never").caught_by.is_empty());
    assert_eq!(
        messages(&analysis, Severity::Warning),
        ["11:8: warning: stage `never` can never be reached: its rule is never true"]
    );
}

#[test]
fn narrow_stages_have_witnesses_that_classify_there() {
    let (_, d) = definition(
        "budget = \"number\"\nsigned = \"date\"\nregion = { type = \"enum\", values = [\"eu\", \"us\", \"apac\"] }\n\
         company = \"string\"\nwebsite = \"url\"\nemail = \"email\"\ntags = \"list\"\nvip = \"boolean\"",
        &[
            // Declared first, tried last: it takes what the others leave.
            ("broad", "budget is present or signed is present"),
            ("interval", "budget > 999.5 and budget < 1000"),
            ("window", "signed > today - 3d and signed < today - 1d"),
            ("month", "signed >= today + 1mo and signed < today + 1mo + 2d"),
            ("region", "region not in ['eu', 'us']"),
            ("text", "company starts_with 'acme' and not (company contains 'gmbh')"),
            ("equal", "company == 'Initech' and company != 'initech'"),
            ("mail", "email ends_with '@example.org' and email contains 'sales'"),
            ("web", "website ends_with '.io'"),
            ("tag", "tags contains 'webinar' and not (tags contains 'ebook')"),
            ("flag", "not vip"),
        ],
        "",
    );
    let analysis = d.analyze(now());
    for stage in d.stages() {
        let finding = verdict(&analysis, &d, stage.id());
        assert!(finding.verdict.witness().is_some(), "{}: {finding:?}", stage.id());
    }
    witnesses_hold(&d, &analysis);
    let text = verdict(&analysis, &d, "text").verdict.witness().unwrap().get("company").cloned();
    assert_eq!(text, Some(leadspec::Value::Text("acme".into())));
}

#[test]
fn an_impossible_criterion_and_one_that_always_holds() {
    let (source, d) = definition(
        "budget = \"number\"\nneed = \"string\"",
        &[("lead", "budget is present")],
        "[qualification.criteria]\nbudget = \"budget > 10 and budget < 5\"\nneed = \"need != ''\"\n",
    );
    let analysis = d.analyze(now());
    assert!(matches!(analysis.criteria[0].met, Verdict::Never));
    assert!(analysis.criteria[0].not_met.witness().is_some());
    assert!(matches!(analysis.criteria[1].not_met, Verdict::Never));
    let warnings: Vec<_> = analysis.diagnostics().into_iter().filter(|d| d.severity == Severity::Warning).collect();
    let shown: Vec<String> = warnings.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        shown,
        [
            "9:10: warning: criterion `budget` can never be met: its rule is never true",
            "10:8: warning: criterion `need` can never be not met: its rule is never false",
        ]
    );
    assert!(warnings.iter().all(|w| w.code == C::ConstantCriterion));
    assert_eq!(&source[warnings[0].span.clone()], "\"budget > 10 and budget < 5\"");
}

#[test]
fn a_guard_that_can_never_be_true() {
    let (_, d) = definition(
        "n = \"number\"\nkind = { type = \"enum\", values = [\"a\", \"b\"] }",
        &[("one", "n is present"), ("two", "kind is present")],
        "",
    );
    let source = format!(
        "{}\n[[transitions]]\nfrom = \"one\"\nto = \"two\"\nwhen = \"kind == 'a' and kind == 'b'\"\n\n[[transitions]]\nfrom = \"two\"\nto = \"one\"\nwhen = \"n > 1\"\n",
        leadspec_source(&d)
    );
    let d = Definition::from_toml(&source).unwrap();
    let analysis = d.analyze(now());
    assert!(matches!(analysis.guards[0].verdict, Verdict::Never));
    assert!(analysis.guards[1].verdict.witness().is_some());
    let warnings = messages(&analysis, Severity::Warning);
    assert_eq!(warnings, ["21:8: warning: the guard of the transition from `one` to `two` can never be true"]);
    let code = analysis.diagnostics().iter().find(|d| d.severity == Severity::Warning).unwrap().code;
    assert_eq!(code, C::GuardNeverTrue);
}

/// The text the test helper built a definition from (rebuilt: the same fields and stages).
fn leadspec_source(d: &Definition) -> String {
    let mut toml = "[definition]\nname = \"t\"\n[teams]\nsales = \"Sales\"\n[fields]\nn = \"number\"\nkind = { type = \"enum\", values = [\"a\", \"b\"] }\n\n".to_string();
    for stage in d.stages() {
        toml.push_str(&format!(
            "[[stages]]\nid = \"{}\"\nowner = \"sales\"\nwhen = '''{}'''\n",
            stage.id(),
            stage.rule().text()
        ));
    }
    toml
}

#[test]
fn a_regex_is_solved() {
    let (_, d) = definition(
        "code = \"string\"",
        &[
            ("other", "code is present"),
            ("coded", r"code matches '^[A-Z]{2}-\d{3}$' and not (code contains '0') and code != 'AB-123'"),
        ],
        "",
    );
    let analysis = d.analyze(now());
    let record = verdict(&analysis, &d, "coded").verdict.witness().cloned().unwrap();
    let Some(leadspec::Value::Text(code)) = record.get("code") else { panic!("{record:?}") };
    assert!(regex::Regex::new(r"^[A-Z]{2}-\d{3}$").unwrap().is_match(code) && !code.contains('0'), "{code}");
    witnesses_hold(&d, &analysis);
}

#[test]
fn contradictory_text_tests_are_proved_impossible() {
    let (_, d) = definition(
        "company = \"string\"",
        &[
            ("both", "company starts_with 'acme' and company ends_with 'inc' and not (company contains 'm')"),
            ("any", "company is present"),
        ],
        "",
    );
    let analysis = d.analyze(now());
    let both = verdict(&analysis, &d, "both");
    assert!(matches!(both.verdict, Verdict::Never) && both.caught_by.is_empty(), "{both:?}");
}

#[test]
fn what_it_cannot_solve_it_says_it_cannot_decide() {
    // A Unicode word boundary has no DFA; two text fields compared with each other.
    let (_, d) = definition(
        "a = \"string\"\nb = \"string\"",
        &[("word", r"a matches '\bword\b' and not (a contains 'word')"), ("same", "a == b and a != b")],
        "",
    );
    let analysis = d.analyze(now());
    for id in ["word", "same"] {
        assert!(matches!(verdict(&analysis, &d, id).verdict, Verdict::Undecided(Doubt::Reasoning)), "{id}");
    }
    let notes = messages(&analysis, Severity::Note);
    assert!(notes.iter().any(|n| n.contains("cannot decide whether stage `word` can be reached")), "{notes:?}");
    let undecided = analysis.diagnostics().into_iter().find(|d| d.code == C::CannotDecide).unwrap();
    assert_eq!(undecided.severity, Severity::Note);
    assert!(undecided.hint.is_some());
}

#[test]
fn the_budget_bounds_the_work() {
    let fields: String = (0..12).map(|i| format!("f{i} = \"number\"\n")).collect();
    let rule: Vec<String> = (0..12).map(|i| format!("f{i} > {i}")).collect();
    let (_, d) = definition(&fields, &[("all", &rule.join(" and ")), ("none", &rule.join(" or "))], "");
    let tiny = AnalyzeOptions { steps: 50, steps_per_question: 10, text_states: 10 };
    let analysis = d.analyze_with(now(), &tiny);
    assert!(analysis.stages.iter().any(|s| matches!(s.verdict, Verdict::Undecided(Doubt::Budget))));
    witnesses_hold(&d, &analysis);
    // With the default budget: `none` (tried first) catches every record `all` accepts.
    let analysis = d.analyze(now());
    assert!(matches!(verdict(&analysis, &d, "all").verdict, Verdict::Never));
    assert!(verdict(&analysis, &d, "none").verdict.witness().is_some());
}

#[test]
fn every_shipped_definition_has_a_witness_for_every_stage() {
    for entry in std::fs::read_dir("examples/definitions").unwrap() {
        let path = entry.unwrap().path();
        let d = Definition::from_path(&path).unwrap();
        let analysis = d.analyze(now());
        assert_eq!(analysis.witnesses().count(), d.stages().len(), "{}", path.display());
        witnesses_hold(&d, &analysis);
        for finding in &analysis.guards {
            assert!(finding.verdict.witness().is_some(), "{}: guard {finding:?}", path.display());
        }
    }
}

#[test]
fn the_default_definition_witnesses_and_coverage() {
    let d = leadspec::default_definition();
    let analysis = d.analyze(now());
    let shown: Vec<(&str, String)> = analysis
        .witnesses()
        .map(|(stage, record)| {
            let fields: Vec<String> = record.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
            (d.stage_at(stage).unwrap().id(), fields.join(" "))
        })
        .collect();
    assert_eq!(shown[0], ("customer", "customer_since=Text(\"2026-11-22\")".to_string()));
    assert_eq!(shown.last().unwrap(), &("contact", "email=Text(\"ann@example.com\")".to_string()));
    assert!(analysis.coverage.stages.is_empty());
    // `need != ''`: a need given is never blank, so the criterion is never not met.
    let warnings = messages(&analysis, Severity::Warning);
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("criterion `need` can never be not met"), "{warnings:?}");
}

#[test]
fn coverage_lists_what_no_example_exercises() {
    let (_, d) = definition(
        "n = \"number\"",
        &[("low", "n < 5"), ("high", "n >= 5")],
        "[qualification.criteria]\nbig = \"n > 100\"\n\n[[examples]]\nname = \"low\"\nstage = \"low\"\nrecord = { n = 1 }\n",
    );
    let analysis = d.analyze(now());
    assert_eq!(analysis.coverage.stages, [d.stage_index("high").unwrap()]);
    assert_eq!(analysis.coverage.criteria, [(0, leadspec::Truth::True), (0, leadspec::Truth::Unknown)]);
    let notes = messages(&analysis, Severity::Note);
    assert!(notes.contains(&"22:8: note: no example reaches stage `high`".to_string()), "{notes:?}");
    assert!(notes.iter().any(|n| n.ends_with("no example has criterion `big` met")), "{notes:?}");
    assert!(analysis.diagnostics().iter().filter(|d| d.severity == Severity::Note).all(|d| d.code == C::NotCovered));
}

/// A random small definition: stages over two number fields, an enum, a text field.
fn random_rule() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        (0..4i32, prop::sample::select(vec!["<", "<=", ">", ">=", "==", "!="]))
            .prop_map(|(k, op)| format!("a {op} {k}")),
        (0..4i32, prop::sample::select(vec!["<", ">="])).prop_map(|(k, op)| format!("b {op} {k}")),
        prop::sample::select(vec!["x", "y", "z"]).prop_map(|v| format!("e == '{v}'")),
        prop::sample::select(vec!["contains 'ab'", "starts_with 'a'", "ends_with 'b'", "== 'ab'", "matches '^a+$'"])
            .prop_map(|t| format!("t {t}")),
        prop::sample::select(vec!["a", "b", "e", "t"]).prop_map(|f| format!("{f} is present")),
        (-2..3i32).prop_map(|k| format!("d > today + {k}d")),
    ];
    atom.prop_recursive(3, 8, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(x, y)| format!("({x}) and ({y})")),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| format!("({x}) or ({y})")),
            inner.prop_map(|x| format!("not ({x})")),
        ]
    })
}

const RANDOM_FIELDS: &str =
    "a = \"number\"\nb = \"number\"\ne = { type = \"enum\", values = [\"x\", \"y\", \"z\"] }\nt = \"string\"\nd = \"date\"";

fn random_record() -> impl Strategy<Value = Record> {
    (
        prop::option::of(-1..6i32),
        prop::option::of(-1..6i32),
        prop::option::of(prop::sample::select(vec!["x", "y", "z"])),
        prop::option::of(prop::sample::select(vec!["ab", "a", "b", "aab", "ba", "AB", "c"])),
        prop::option::of(-4..4i64),
    )
        .prop_map(|(a, b, e, t, d)| {
            let mut record = Record::new();
            if let Some(a) = a {
                record = record.with("a", f64::from(a) / 2.0);
            }
            if let Some(b) = b {
                record = record.with("b", b);
            }
            if let Some(e) = e {
                record = record.with("e", e);
            }
            if let Some(t) = t {
                record = record.with("t", t);
            }
            if let Some(d) = d {
                let day = now().date_naive() + chrono::Duration::days(d);
                record = record.with("d", day);
            }
            record
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn witnesses_reach_their_stages_and_unreachable_stages_stay_unreached(
        rules in prop::collection::vec(random_rule(), 1..4),
        records in prop::collection::vec(random_record(), 32),
    ) {
        let stages: Vec<(String, String)> = rules.iter().enumerate().map(|(i, r)| (format!("s{i}"), r.clone())).collect();
        let stages: Vec<(&str, &str)> = stages.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let (_, d) = definition(RANDOM_FIELDS, &stages, "");
        let analysis = d.analyze(now());
        witnesses_hold(&d, &analysis);
        for finding in &analysis.stages {
            if matches!(finding.verdict, Verdict::Never) {
                for record in &records {
                    prop_assert_ne!(d.classify(record, now()).stage_index(), Some(finding.stage), "{:?}", record);
                }
            }
        }
    }
}

#[test]
fn fields_compared_with_each_other_get_witnesses_but_no_proofs() {
    let (_, d) = definition(
        "a = \"number\"\nb = \"number\"\nx = \"date\"\ny = \"date\"",
        &[("both", "a > b and b > a"), ("numbers", "a > b"), ("dates", "x < y - 1d")],
        "",
    );
    let analysis = d.analyze(now());
    assert!(verdict(&analysis, &d, "numbers").verdict.witness().is_some());
    assert!(verdict(&analysis, &d, "dates").verdict.witness().is_some());
    witnesses_hold(&d, &analysis);
    // None found, but the classes of two compared fields may miss an order: no proof.
    assert!(matches!(verdict(&analysis, &d, "both").verdict, Verdict::Undecided(Doubt::Reasoning)));
}
