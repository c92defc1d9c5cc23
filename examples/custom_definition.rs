//! Writing your own definition: load it, see what is wrong with it, fix it, prove it with
//! its own examples, then classify and explain a lead.
//!
//! Run with `cargo run --example custom_definition`.

use chrono::{TimeZone, Utc};
use leadspec::{Definition, Record};

/// A first draft with two slips a reviewer could miss: a misspelt key and a misspelt field.
const DRAFT: &str = r#"
[definition]
name = "Northwind lead stages"

[teams]
events = "Events team"
sales = "Field sales"

[fields]
email = { type = "email", required = true }
badge_scanned = "boolean"
budget = "number"

[qualification.criteria]
budget = { when = "budget >= 5_000", ask = "Is there money for it this year?" }

[[stages]]
id = "booth_visitor"
onwer = "events"
when = "badge_scanned"

[[stages]]
id = "opportunity"
owner = "sales"
when = "qualified and budgte > 0"
"#;

fn main() {
    // 1. Loading reports every problem at once, with line, column and a hint.
    let err = Definition::from_toml(DRAFT).expect_err("the draft has two slips");
    println!("The draft does not load:");
    for diagnostic in err.errors() {
        println!("  {diagnostic}");
    }

    // 2. Fixed, and with examples that say what the stages mean.
    let fixed = DRAFT.replace("onwer", "owner").replace("budgte", "budget")
        + r#"
[[examples]]
name = "A scanned badge is a booth visitor"
record = { email = "kim@example.com", badge_scanned = true }
stage = "booth_visitor"

[[examples]]
name = "Budget makes an opportunity"
record = { email = "lee@example.com", badge_scanned = true, budget = 12000 }
stage = "opportunity"
owner = "sales"
"#;
    let definition = Definition::from_toml(&fixed).expect("the fixed definition loads");
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    for check in definition.run_examples(now) {
        println!("example {:?}: {}", check.example.name(), if check.passed() { "ok" } else { "FAILED" });
    }

    // 3. Classify and explain a lead.
    let lead = Record::new().with("email", "max@example.com").with("badge_scanned", "yes");
    let explanation = definition.explain(&lead, now);
    let result = &explanation.classification;
    println!(
        "\nmax@example.com is in stage {:?}, owned by {:?}",
        result.stage().map(|s| s.name()),
        result.owner().map(|t| t.name.as_str())
    );
    for trial in &explanation.stages {
        println!("  tried {:<14} {}", trial.item.id(), trial.truth);
        for finding in &trial.findings {
            println!("      {} -> {} ({})", finding.text, finding.truth, finding.detail);
        }
    }
    println!("  ask next: {:?}", result.ask());
}
