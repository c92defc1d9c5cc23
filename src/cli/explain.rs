//! `leadspec explain RECORD.json`: how one record is classified, in plain words.
//!
//! Prints the definition's name and version and the reference time; every stage tried, in
//! the order classification tries them, with the value of its rule and the sub-expressions
//! that decided it, up to the one that matched; the result and its owner; every criterion
//! with its state, rule, findings and `ask`; the qualification; the score and the scoring
//! rules that fired; and the record's validation errors. Status 0; 1 invalid definition;
//! 2 usage or I/O (including a record file that is not one JSON object).

use std::fmt::Write as _;
use std::io::Write;

use leadspec::rule::Finding;
use leadspec::{Definition, Explanation, Requirement, Truth};

use super::args::ExplainArgs;
use super::output::Id;
use super::{load_definition, output, read_record_file, Outcome, EXIT_OK};

/// Explains the record; see the module documentation.
pub(crate) fn run(args: &ExplainArgs) -> Outcome {
    let definition = load_definition(&args.definition)?;
    let record = read_record_file(&args.record)?;
    let now = args.now.get();
    let explanation = definition.explain(&record, now);
    let mut text = String::new();
    render(&mut text, &definition, &explanation, now);
    let mut out = output::stdout();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(EXIT_OK)
}

/// What decided a rule: its findings, one per line, indented. A finding about the whole
/// rule (`rule`) gives only its detail, as its text and value were just said.
fn findings(text: &mut String, indent: &str, rule: &str, findings: &[Finding]) {
    for f in findings {
        if f.text == rule && !f.detail.is_empty() {
            let _ = writeln!(text, "{indent}- {}", f.detail);
            continue;
        }
        let _ = write!(text, "{indent}- `{}` is {}", f.text, f.truth);
        if !f.detail.is_empty() {
            let _ = write!(text, ": {}", f.detail);
        }
        text.push('\n');
    }
}

/// How many criteria must be met, in words.
fn requirement(require: Requirement, count: usize) -> String {
    match require {
        Requirement::All => "every criterion must be met".to_string(),
        Requirement::Any => "at least one criterion must be met".to_string(),
        Requirement::AtLeast(n) => format!("at least {n} of the {count} criteria must be met"),
    }
}

fn render(text: &mut String, definition: &Definition, e: &Explanation<'_>, now: chrono::DateTime<chrono::Utc>) {
    let c = &e.classification;
    let _ = write!(text, "Definition: {}", definition.name());
    if let Some(version) = definition.version() {
        let _ = write!(text, " (version {version})");
    }
    let _ = writeln!(text, "\nReference time: {}", leadspec::format_time(now));
    let id = serde_json::to_string(&Id(c.id())).unwrap_or_default();
    let _ = writeln!(text, "Record: {}", if c.id().is_some() { id } else { "(no id)".to_string() });

    let _ = writeln!(text, "\nStages, in the order they are tried (priority, then furthest along the funnel):");
    for (n, trial) in e.stages.iter().enumerate() {
        let stage = trial.item;
        let owner = definition.owner_of(stage);
        let _ = write!(text, "  {}. {} ({}, owned by {})", n + 1, stage.id(), stage.name(), owner.name);
        if stage.priority() != 0 {
            let _ = write!(text, ", priority {}", stage.priority());
        }
        let verdict = match trial.truth {
            Truth::True => "true: the lead is in this stage",
            Truth::False => "false",
            Truth::Unknown => "unknown (not enough is known), so it does not match",
        };
        let _ = writeln!(text, "\n     when `{}` is {verdict}", stage.rule().text());
        findings(text, "       ", stage.rule().text(), &trial.findings);
    }
    let tried = e.stages.len();
    let rest: Vec<&str> = definition.classification_order()[tried.min(definition.stages().len())..]
        .iter()
        .map(|&i| definition.stages()[i].id())
        .collect();
    if !rest.is_empty() {
        let _ = writeln!(text, "  Not tried, as an earlier stage matched: {}", rest.join(", "));
    }

    match (c.stage(), c.owner()) {
        (Some(stage), Some(owner)) => {
            let _ =
                writeln!(text, "\nResult: {} ({}), owned by {} ({})", stage.id(), stage.name(), owner.name, owner.id);
        }
        _ => {
            let _ = writeln!(text, "\nResult: unclassified (no stage's rule is true)");
        }
    }

    let qualification = definition.qualification();
    let count = qualification.criteria().len();
    let _ = writeln!(
        text,
        "\nQualification ({}; {}): {}",
        qualification.framework(),
        requirement(qualification.require(), count),
        c.qualified().criterion_word()
    );
    if count == 0 {
        let _ = writeln!(text, "  (no criteria)");
    }
    for trial in &e.criteria {
        let criterion = trial.item;
        let _ = writeln!(
            text,
            "  {}: {}  (when `{}`)",
            criterion.id(),
            trial.truth.criterion_word(),
            criterion.rule().text()
        );
        findings(text, "      ", criterion.rule().text(), &trial.findings);
        if trial.truth == Truth::Unknown {
            if let Some(ask) = criterion.ask() {
                let _ = writeln!(text, "      ask: {ask}");
            }
        }
    }
    let ask = c.ask();
    if !ask.is_empty() {
        let _ = writeln!(text, "Ask next:");
        for question in ask {
            let _ = writeln!(text, "  - {question}");
        }
    }

    if let (Some(scoring), Some(score)) = (definition.scoring(), c.score()) {
        let _ = write!(text, "\nScore: {score}");
        match (scoring.min(), scoring.max()) {
            (None, None) => {}
            (min, max) => {
                let show = |b: Option<i64>| b.map_or("-".to_string(), |v| v.to_string());
                let _ = write!(text, " (clamped to {}..{})", show(min), show(max));
            }
        }
        text.push('\n');
        let fired: Vec<_> = e.scoring.iter().filter(|t| t.truth == Truth::True).collect();
        if fired.is_empty() {
            let _ = writeln!(text, "  no scoring rule fired");
        }
        for trial in fired {
            let rule = trial.item;
            let label = rule.name().map_or(String::new(), |n| format!("{n}: "));
            let _ = writeln!(text, "  {:+} {label}`{}`", rule.points(), rule.rule().text());
        }
    }

    if c.errors().is_empty() {
        let _ = writeln!(text, "\nValidation errors: none");
    } else {
        let _ = writeln!(text, "\nValidation errors:");
        for error in c.errors() {
            let _ = writeln!(text, "  {}: {} ({})", error.field, error.message, error.rule.name());
        }
    }
}
