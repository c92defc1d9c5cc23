//! `leadspec check --analyze [--witnesses]` end to end: the warnings with their carets,
//! the witness lines (exactly, for the default definition, and each read back by
//! `classify`), and exit statuses unchanged by warnings.
#![cfg(feature = "cli")]

#[path = "support/cli.rs"]
mod cli;
use cli::{file_in, run, run_with, s};

const NOW: &str = "2026-11-22";

const SHADOWED: &str = r#"[definition]
name = "Shadowed"

[teams]
sales = "Sales"

[fields]
budget = "number"
role = { type = "enum", values = ["user", "buyer"] }

[qualification.criteria]
odd = "budget > 10 and budget < 5"

[[stages]]
id = "big_buyer"
owner = "sales"
when = "budget >= 10_000 and role == 'buyer'"

[[stages]]
id = "any_budget"
owner = "sales"
when = "budget > 0"

[[transitions]]
from = "any_budget"
to = "big_buyer"
when = "role == 'user' and role == 'buyer'"

[[transitions]]
from = "big_buyer"
to = "any_budget"
"#;

#[test]
fn the_default_definition_has_these_witnesses() {
    let out = run(&["check", "--analyze", "--witnesses", "--now", NOW, "examples/definitions/default.toml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        r#"{"stage":"customer","record":{"customer_since":"2026-11-22"}}
{"stage":"proposal","record":{"proposal_sent":"2026-11-22"}}
{"stage":"prospect","record":{"meeting_on":"2026-11-22"}}
{"stage":"qualified_lead","record":{"budget":10000,"role":"decision_maker","need":"x","purchase_by":"2027-01-20"}}
{"stage":"nurture","record":{"email":"ann@example.com","inquired_on":"2026-11-22","purchase_by":"2027-02-21"}}
{"stage":"inquiry","record":{"email":"ann@example.com","inquired_on":"2026-11-22"}}
{"stage":"contact","record":{"email":"ann@example.com"}}
"#
    );
    // The diagnostics went to standard error, the summary last.
    assert!(out.stderr.contains("warning: criterion `need` can never be not met: its rule is never false"));
    assert!(
        out.stderr
            .trim_end()
            .ends_with("examples/definitions/default.toml: ok (7 stages, 21 examples passed, 1 warning, 10 notes)"),
        "{}",
        out.stderr
    );
}

#[test]
fn every_witness_line_is_classified_into_its_stage_by_classify() {
    for name in ["default", "crm_export", "crm_lead_status", "marketing_automation", "suspect_ladder"] {
        let definition = format!("examples/definitions/{name}.toml");
        let out = run(&["check", "--analyze", "--witnesses", "--now", NOW, &definition]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let lines: Vec<serde_json::Value> = out.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert!(!lines.is_empty());
        let records: String = lines.iter().map(|l| format!("{}\n", l["record"])).collect();
        let classified = run_with(&["classify", "--definition", &definition, "--now", NOW], Some(records.as_bytes()));
        assert_eq!(classified.code, 0, "{}", classified.stderr);
        let stages: Vec<String> = classified
            .stdout
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["stage"].as_str().unwrap_or("").to_string())
            .collect();
        let expected: Vec<String> = lines.iter().map(|l| l["stage"].as_str().unwrap().to_string()).collect();
        assert_eq!(stages, expected, "{name}");
    }
}

#[test]
fn warnings_point_at_the_when_with_a_caret_and_keep_exit_status_zero() {
    let path = file_in("cli_analyze", "warnings", "shadowed.toml", SHADOWED);
    let out = run(&["check", "--analyze", "--now", NOW, s(&path)]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let name = s(&path);
    let expected = format!(
        "{name}:12:7: warning: criterion `odd` can never be met: its rule is never true
   |
12 | odd = \"budget > 10 and budget < 5\"
   |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^

{name}:12:7: note: no example has criterion `odd` not met
   |
12 | odd = \"budget > 10 and budget < 5\"
   |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^

{name}:12:7: note: no example has criterion `odd` unknown
   |
12 | odd = \"budget > 10 and budget < 5\"
   |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^

{name}:17:8: warning: stage `big_buyer` can never be reached: every record its rule accepts is caught first by `any_budget`
   |
17 | when = \"budget >= 10_000 and role == 'buyer'\"
   |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

{name}:17:8: note: no example reaches stage `big_buyer`
   |
17 | when = \"budget >= 10_000 and role == 'buyer'\"
   |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

{name}:22:8: note: no example reaches stage `any_budget`
   |
22 | when = \"budget > 0\"
   |        ^^^^^^^^^^^^

{name}:27:8: warning: the guard of the transition from `any_budget` to `big_buyer` can never be true
   |
27 | when = \"role == 'user' and role == 'buyer'\"
   |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

{name}:27:8: note: no example moves a lead through the transition from `any_budget` to `big_buyer`
   |
27 | when = \"role == 'user' and role == 'buyer'\"
   |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

{name}:29:1: note: no example moves a lead through the transition from `big_buyer` to `any_budget`
   |
29 | [[transitions]]
   | ^^^^^^^^^^^^^^^

{name}: ok (2 stages, no examples, 3 warnings, 6 notes)
"
    );
    assert_eq!(out.stdout, expected);
    assert_eq!(out.stderr, "");
}

#[test]
fn without_analyze_check_is_unchanged_and_witnesses_need_analyze() {
    let path = file_in("cli_analyze", "plain", "shadowed.toml", SHADOWED);
    let out = run(&["check", "--now", NOW, s(&path)]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, format!("{}: ok (2 stages, no examples)\n", s(&path)));
    let out = run(&["check", "--witnesses", "--now", NOW, s(&path)]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--analyze"), "{}", out.stderr);
}

#[test]
fn an_invalid_definition_still_fails_with_analyze() {
    let path = file_in("cli_analyze", "invalid", "broken.toml", SHADOWED.replace("budget > 0", "budgett > 0"));
    let out = run(&["check", "--analyze", "--witnesses", "--now", NOW, s(&path)]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("error: unknown field `budgett`"), "{}", out.stderr);
}
