//! Classification (a record's stage, owner, criteria and validation errors), scoring
//! (`[scoring]`) and examples inside a definition (`[[examples]]`), through the public API.

use chrono::{DateTime, TimeZone, Utc};
use leadspec::{Definition, Record, Truth};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap()
}

const ACME: &str = r#"
[definition]
name = "Acme lead definitions"
version = "3"

[teams]
marketing = "Marketing"
sales = "Sales"

[fields]
email = { type = "email", required = true }
budget = "number"
role = { type = "enum", values = ["user", "decision_maker", "economic_buyer"] }
need = "string"
purchase_by = "date"
seniority = { type = "enum", values = ["ic", "manager", "vp", "c_level"] }
page_views = "number"
last_seen = "date"
customer_since = "date"

[qualification]
framework = "BANT"

[qualification.criteria]
budget = { when = "budget >= 10_000", ask = "What budget is set aside?" }
authority = { when = "role in ['decision_maker', 'economic_buyer']", ask = "Who signs off?" }
need = "need is present"
timeframe = { when = "purchase_by <= today + 90d", ask = "By when must it be solved?" }

[scoring]
min = 0
max = 100

[[scoring.rules]]
name = "Senior title"
when = "seniority in ['vp', 'c_level']"
points = 20

[[scoring.rules]]
when = "page_views >= 10"
points = 10

[[scoring.rules]]
name = "Gone quiet"
when = "last_seen < today - 30d"
points = -15

[[scoring.rules]]
name = "Qualified"
when = "qualified"
points = 90

[[stages]]
id = "contact"
owner = "marketing"
when = "email is present"

[[stages]]
id = "mql"
owner = "marketing"
canonical = "mql"
when = "score >= 30"

[[stages]]
id = "qualified_lead"
owner = "sales"
canonical = "sql"
when = "qualified"

[[stages]]
id = "customer"
owner = "sales"
when = "customer_since is present"
priority = 10

[[examples]]
name = "An e-mail address alone is a contact"
record = { email = "ann@example.com" }
stage = "contact"
owner = "marketing"
qualified = "not_met"
criteria = { budget = "unknown", need = "not_met" }
errors = {}
score = 0

[[examples]]
name = "Senior and active is marketing-qualified"
record = { email = "vp@example.com", seniority = "vp", page_views = 12 }
stage = "mql"
score = 30

[[examples]]
name = "Nobody reachable is nothing yet"
record = { budget = 5 }
unclassified = true
errors = { email = "Required field missing" }
"#;

fn acme() -> Definition {
    Definition::from_toml(ACME).unwrap()
}

#[test]
fn the_result_carries_stage_owner_criteria_qualification_ask_and_errors() {
    let d = acme();
    let c = d.classify(&Record::new().with("email", "ann@example.com").with("need", "churn"), now());
    assert_eq!(c.stage().unwrap().id(), "contact");
    assert_eq!(c.owner().unwrap().name, "Marketing");
    let states: Vec<(&str, Truth)> = c.criteria().map(|(c, t)| (c.id(), t)).collect();
    assert_eq!(
        states,
        [
            ("budget", Truth::Unknown),
            ("authority", Truth::Unknown),
            ("need", Truth::True),
            ("timeframe", Truth::Unknown)
        ]
    );
    assert_eq!(c.qualified(), Truth::Unknown);
    // Unknown criteria with an `ask`, in the order written; `need` has no ask.
    assert_eq!(c.ask(), ["What budget is set aside?", "Who signs off?", "By when must it be solved?"]);
    assert!(c.errors().is_empty());
}

#[test]
fn a_lead_no_stage_matches_is_unclassified() {
    let d = acme();
    let c = d.classify(&Record::new().with("budget", 5), now());
    assert!(c.stage().is_none() && c.owner().is_none());
    assert_eq!(c.errors()[0].field, "email");
}

#[test]
fn priority_beats_funnel_order_and_later_stages_win_ties() {
    let d = acme();
    let qualified = Record::new()
        .with("email", "cy@example.com")
        .with("budget", "25000")
        .with("role", "economic_buyer")
        .with("need", "churn")
        .with("purchase_by", "2027-01-10");
    // score is clamped to 100, so both mql and qualified_lead match: the later wins.
    let c = d.classify(&qualified, now());
    assert_eq!((c.stage().unwrap().id(), c.score()), ("qualified_lead", Some(90)));
    let customer = qualified.with("customer_since", "2024-05-01");
    assert_eq!(d.classify(&customer, now()).stage().unwrap().id(), "customer");
}

#[test]
fn score_sums_true_rules_and_is_clamped() {
    let d = acme();
    let quiet = Record::new().with("email", "q@example.com").with("last_seen", "2026-01-01");
    assert_eq!(d.classify(&quiet, now()).score(), Some(0), "clamped at min = 0");
    let senior = Record::new().with("email", "s@example.com").with("seniority", "c_level").with("page_views", 3);
    assert_eq!(d.classify(&senior, now()).score(), Some(20), "false and unknown rules add nothing");
    let without_scoring = Definition::from_toml(
        "[definition]\nname = \"x\"\n[teams]\nt = \"T\"\n[[stages]]\nid = \"s\"\nowner = \"t\"\nwhen = \"true\"\n",
    )
    .unwrap();
    assert_eq!(without_scoring.classify(&Record::new(), now()).score(), None);
}

#[test]
fn explain_lists_every_stage_tried_every_criterion_and_the_scoring_rules() {
    let d = acme();
    let e = d.explain(&Record::new().with("email", "ann@example.com"), now());
    let tried: Vec<(&str, Truth)> = e.stages.iter().map(|t| (t.item.id(), t.truth)).collect();
    assert_eq!(
        tried,
        [("customer", Truth::False), ("qualified_lead", Truth::False), ("mql", Truth::False), ("contact", Truth::True)]
    );
    assert_eq!(e.stages[0].findings[0].detail, "customer_since is missing");
    assert_eq!(e.criteria.len(), 4);
    assert_eq!(e.scoring.len(), 4);
    assert_eq!(e.scoring[0].item.name(), Some("Senior title"));
}

#[test]
fn the_definitions_own_examples_pass() {
    let d = acme();
    let checks = d.run_examples(now());
    assert_eq!(checks.len(), 3);
    for check in &checks {
        assert!(check.passed(), "{}: {:?}", check.example.name(), check.mismatches);
    }
}

#[test]
fn a_failing_example_is_an_error_at_its_name_with_the_reason() {
    let src = ACME.replace("stage = \"mql\"", "stage = \"qualified_lead\"");
    let d = Definition::from_toml(&src).unwrap();
    let failed: Vec<_> = d.run_examples(now()).into_iter().filter(|c| !c.passed()).collect();
    assert_eq!(failed.len(), 1);
    let diagnostic = failed[0].to_diagnostic().unwrap();
    assert_eq!(diagnostic.code, leadspec::DiagnosticCode::ExampleFailed);
    assert_eq!(
        diagnostic.message,
        "example \"Senior and active is marketing-qualified\": expected stage `qualified_lead`, got `mql`"
    );
    let name_line = src.lines().position(|l| l.contains("name = \"Senior and active")).unwrap() + 1;
    assert_eq!((diagnostic.line, diagnostic.column), (name_line, 1));
}

#[test]
fn the_embedded_default_definition_loads_and_a_bare_email_is_a_contact() {
    let d = leadspec::default_definition();
    let c = d.classify(&Record::new().with("email", "ann@example.com"), now());
    assert_eq!(c.stage().unwrap().id(), "contact");
    assert_eq!(c.owner().unwrap().id, "marketing");
    assert!(d.run_examples(now()).iter().all(|c| c.passed()));
}
