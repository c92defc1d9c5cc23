//! Hostile and malformed input: every definition and every record gets an answer, never a
//! panic, a hang or unbounded growth.

#[path = "support/codes.rs"]
mod codes;

use chrono::{TimeZone, Utc};
use leadspec::{Definition, Limits, Record};
use proptest::prelude::*;

const HEAD: &str = "[definition]\nname = \"x\"\n[teams]\nt = \"T\"\n[fields]\nn = \"number\"\ns = \"string\"\nd = \"date\"\ne = { type = \"enum\", values = [\"a\"] }\nl = \"list\"\n";

fn with_rule(rule: &str) -> String {
    let escaped = rule.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n").replace('\r', "\\r");
    let escaped: String = escaped.chars().map(|c| if c.is_control() && c != '\\' { ' ' } else { c }).collect();
    format!("{HEAD}[[stages]]\nid = \"s\"\nowner = \"t\"\nwhen = \"{escaped}\"\n")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_as_a_definition_is_loaded_or_refused(src in "\\PC{0,400}") {
        let _ = Definition::from_toml(&src);
    }

    #[test]
    fn any_rule_text_is_compiled_or_refused_with_positions(
        rule in "[a-z_. ()\\[\\]'\"<>=!&|+\\-0-9,]{0,80}",
    ) {
        let src = with_rule(&rule);
        match Definition::from_toml(&src) {
            Ok(d) => {
                let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
                let _ = d.classify(&Record::new().with("n", "1").with("s", "x"), now);
            }
            Err(e) => {
                codes::assert_codes(&e.diagnostics);
                for d in e.diagnostics {
                    prop_assert!(d.line >= 1 && d.column >= 1);
                    prop_assert!(d.span.end <= src.len());
                }
            }
        }
    }

    #[test]
    fn rules_built_from_the_grammar_never_panic(
        parts in prop::collection::vec(prop_oneof![
            Just("n"), Just("s"), Just("d"), Just("e"), Just("l"), Just("today"), Just("now"), Just("1"), Just("'a'"),
            Just("2026-01-31"), Just("3mo"), Just("and"), Just("or"), Just("not"), Just("=="), Just("<"), Just("+"),
            Just("-"), Just("in"), Just("["), Just("]"), Just("("), Just(")"), Just(","), Just("is present"),
            Just("contains"), Just("matches"), Just("true"),
        ], 0..20),
    ) {
        let _ = Definition::from_toml(&with_rule(&parts.join(" ")));
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    for rule in ["(".repeat(50_000), "not ".repeat(20_000) + "true", "-".repeat(20_000) + "1 > 0"] {
        let err = Definition::from_toml(&with_rule(&rule)).unwrap_err();
        assert!(err.errors().next().is_some());
    }
    // Deeply nested TOML values are the TOML parser's to refuse; they must not crash us.
    let nested = format!("{HEAD}x = {}1{}\n", "[".repeat(10_000), "]".repeat(10_000));
    assert!(Definition::from_toml(&nested).is_err());
    let nested = format!("{HEAD}x = {}1{}\n", "{a = ".repeat(5_000), "}".repeat(5_000));
    assert!(Definition::from_toml(&nested).is_err());
}

#[test]
fn limits_bound_the_size_of_what_is_loaded() {
    let limits = Limits { max_definition_bytes: 1_000, ..Limits::default() };
    let big = format!("{HEAD}# {}\n", "x".repeat(2_000));
    let err = Definition::from_toml_with_limits(&big, &limits).unwrap_err();
    assert!(err.errors().next().unwrap().message.contains("limit"), "{err}");
    let many = with_rule(&format!("n in [{}1]", "1, ".repeat(20_000)));
    let err = Definition::from_toml(&many).unwrap_err();
    assert!(err.errors().next().unwrap().message.contains("over the limit of 10000"), "{err}");
}

#[test]
fn hostile_records_are_coerced_without_panicking() {
    let d = Definition::from_toml(&with_rule("n > 1 and d < today and s contains 'x' and l contains 'y'")).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    for line in [
        r#"{"n":1e308,"d":"+262143-12-31","s":"\u0000","l":[[[]]]}"#,
        r#"{"n":"-0","d":"9999-99-99","e":"A","l":"a;;;;b"}"#,
        r#"{"n":[1],"d":{"x":1},"s":{"a":[1,2]},"l":[1,true,null]}"#,
        r#"{"d":"2026-01-31T25:00:00Z","n":"1e-400"}"#,
    ] {
        let record: Record = serde_json::from_str(line).unwrap();
        let _ = d.classify(&record, now);
        let _ = d.explain(&record, now);
    }
    let deep = format!("{{\"s\":{}1{}}}", "[".repeat(100), "]".repeat(100));
    if let Ok(record) = serde_json::from_str::<Record>(&deep) {
        let _ = d.classify(&record, now);
    }
}

#[test]
fn date_arithmetic_at_the_edges_of_the_calendar_is_unknown_not_a_panic() {
    let d = Definition::from_toml(&with_rule("d + 9000y > today and d - 9000y < now")).unwrap();
    let far = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let record = Record::new().with("d", "262000-01-01");
    let _ = d.classify(&record, far);
}

// ---- fuzzers: arbitrary bytes, token soups and records --------------------------------------

fn loads_or_refuses_with_spans_inside(src: &str) -> Result<(), TestCaseError> {
    if let Err(e) = Definition::from_toml(src) {
        codes::assert_codes(&e.diagnostics);
        for d in e.diagnostics {
            prop_assert!(d.span.start <= d.span.end && d.span.end <= src.len(), "{d:?}");
            prop_assert!(d.line >= 1 && d.column >= 1);
        }
    }
    Ok(())
}

fn token_soup() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "[definition]",
        "[teams]",
        "[fields]",
        "[[stages]]",
        "[[transitions]]",
        "[qualification.criteria]",
        "[scoring]",
        "[[scoring.rules]]",
        "[[examples]]",
        "name",
        "id",
        "owner",
        "when",
        "=",
        "\"x\"",
        "'s'",
        "1",
        "\n",
        "{",
        "}",
        "[",
        "]",
        ",",
        "t",
        "\"T\"",
        "\"n > 1\"",
        "\"email is present\"",
        "type",
        "\"enum\"",
        "values",
        "record",
        "stage",
    ]);
    prop::collection::vec(token, 0..60).prop_map(|t| t.join(" "))
}

fn any_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value as J;
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(J::Null, J::Number)),
        any::<i64>().prop_map(|i| J::Number(i.into())),
        "\\PC{0,12}".prop_map(J::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(J::Array),
            prop::collection::vec(("[a-z]{1,3}", inner), 0..4).prop_map(|kv| J::Object(kv.into_iter().collect())),
        ]
    })
}

fn classify_any(fields: Vec<(String, serde_json::Value)>) {
    let d = Definition::from_toml(&with_rule("n > 1 or s contains 'a' or d < today or e == 'a' or l contains 'x'"))
        .unwrap();
    let object: serde_json::Map<String, serde_json::Value> = fields.into_iter().collect();
    let record: Record = serde_json::from_value(serde_json::Value::Object(object)).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let _ = d.classify(&record, now);
    let _ = d.explain(&record, now);
}

fn record_fields() -> impl Strategy<Value = Vec<(String, serde_json::Value)>> {
    prop::collection::vec(
        (prop::sample::select(vec!["n", "s", "d", "e", "l", "id", "x"]).prop_map(String::from), any_value()),
        0..8,
    )
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_the_loader(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        loads_or_refuses_with_spans_inside(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn token_soups_never_panic_the_loader(src in token_soup()) {
        loads_or_refuses_with_spans_inside(&src)?;
    }

    #[test]
    fn arbitrary_records_never_panic_classification(fields in record_fields()) {
        classify_any(fields);
    }
}

/// The same fuzzers for many more cases: `cargo test --all-features --test robustness -- --ignored`.
#[test]
#[ignore = "long-running fuzzing, run on demand"]
fn fuzz_for_longer() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(100_000));
    runner
        .run(&prop::collection::vec(any::<u8>(), 0..2_000), |bytes| {
            loads_or_refuses_with_spans_inside(&String::from_utf8_lossy(&bytes))
        })
        .unwrap();
    runner.run(&token_soup(), |src| loads_or_refuses_with_spans_inside(&src)).unwrap();
    runner
        .run(&record_fields(), |fields| {
            classify_any(fields);
            Ok(())
        })
        .unwrap();
}
