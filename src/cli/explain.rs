//! `leadspec explain`: how one record is classified, in plain words.
//!
//! The record is a JSON object (`RECORD.json`, or standard input), or, with `--record N` or
//! `--id ID`, one record of any input `classify` reads (numbered as `classify` numbers
//! them; an id matched as text, a number by its JSON text). A number or id that matches no
//! record, a record that cannot be read, or both options: status 2. Several records with
//! the id: the first is explained, with a note on standard error. The input's columns are
//! checked as `classify` checks them, with the same warnings.
//!
//! Prints the definition's name and version and the reference time; every stage tried, in
//! the order classification tries them, with the value of its rule and the sub-expressions
//! that decided it, up to the one that matched; the result and its owner; every criterion
//! with its state, rule, findings and `ask`; the qualification; the score, the scoring rules
//! that fired and those left unknown, and the raw sum when clamping changed it; and the
//! record's validation errors, each rejected value with what was expected
//! (`won_date is invalid: "26/02/2018" is not a date`). Status 0; 1 invalid definition; 2
//! usage or I/O.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use leadspec::rule::Finding;
use leadspec::{Definition, Explanation, FieldType, Record, RecordId, Requirement, Truth, ValidationRule, Value};

use super::args::ExplainArgs;
use super::input::{self, Item, Reader, Row};
use super::output::{id_text, Id};
use super::{load_definition, output, read_record_file, Failure, Outcome, EXIT_OK};

/// Explains the record; see the module documentation.
pub(crate) fn run(args: &ExplainArgs) -> Outcome {
    let definition = load_definition(&args.definition)?;
    let now = args.now.get();
    let record = if args.record.is_some() || args.id.is_some() {
        find(&definition, args)?
    } else {
        read_record_file(args.input.input.as_deref().unwrap_or(Path::new("-")))?
    };
    let explanation = definition.explain(&record, now);
    let mut text = String::new();
    render(&mut text, &definition, &explanation, &record, now);
    let mut out = output::stdout();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(EXIT_OK)
}

/// The record `--record N` or `--id ID` names in the input, read to its end so that its
/// columns are checked as `classify` checks them.
fn find(definition: &Definition, args: &ExplainArgs) -> Result<Record, Failure> {
    let mut records = input::open(&args.input)?;
    let header: Option<Vec<String>> =
        records.header().map(|cells| cells.iter().enumerate().map(|(i, c)| header_cell(c, i).to_string()).collect());
    let mut reader = Reader::new(definition, &records);
    reader.warn_after_header();
    let (mut number, mut found, mut matches) = (0usize, None, 0usize);
    while let Some(item) = records.next_row() {
        number += 1;
        let row = match item? {
            Item::Record(row) => row,
            Item::Unreadable(error) => {
                if args.record == Some(number) {
                    return Err(Failure::usage(format!("record {number} could not be read: {error}")));
                }
                continue;
            }
        };
        let prepared = match reader.prepare(&row) {
            Ok(prepared) => prepared,
            Err(error) if args.record == Some(number) => {
                return Err(Failure::usage(format!("record {number} could not be read: {error}")))
            }
            Err(_) => continue,
        };
        let wanted = match (&args.record, &args.id) {
            (Some(n), _) => *n == number,
            (None, Some(id)) => prepared.id().is_some_and(|r| id_matches(r, id)),
            (None, None) => false,
        };
        if wanted {
            matches += 1;
            if found.is_none() {
                found = Some((number, raw_record(&row, header.as_deref())?));
            }
        }
    }
    reader.warn_at_end();
    match (found, &args.id) {
        (Some((number, record)), Some(id)) => {
            if matches > 1 {
                let _ = writeln!(
                    std::io::stderr(),
                    "note: {matches} records have the id \"{id}\"; explaining the first, record {number}"
                );
            }
            Ok(record)
        }
        (Some((_, record)), None) => Ok(record),
        (None, Some(id)) => Err(Failure::usage(format!("no record has the id \"{id}\""))),
        (None, None) => {
            Err(Failure::usage(format!("there is no record {} (the input holds {number})", args.record.unwrap_or(0))))
        }
    }
}

/// Whether a record's id is `wanted`, compared as text (a number by its JSON text).
fn id_matches(id: &RecordId, wanted: &str) -> bool {
    match id {
        RecordId::Text(text) => text == wanted,
        number => id_text(Some(number)) == wanted,
    }
}

/// A header cell as it names a column: trimmed, without a byte-order mark before the first.
fn header_cell(cell: &str, position: usize) -> &str {
    let cell = if position == 0 { cell.strip_prefix('\u{feff}').unwrap_or(cell) } else { cell };
    cell.trim()
}

/// The raw values of a row, keyed by column, as the record to explain.
fn raw_record(row: &Row<'_>, header: Option<&[String]>) -> Result<Record, Failure> {
    match row {
        Row::Json { text, .. } => serde_json::from_str::<Record>(text)
            .map_err(|e| Failure::usage(format!("the record is not a JSON object: {e}"))),
        Row::Cells(cells) => {
            let cells: Vec<&str> = cells.iter().collect();
            Record::from_csv_row(header.unwrap_or_default(), &cells).map_err(|e| Failure::usage(e.to_string()))
        }
    }
}

/// What a field's type expects, for "`RAW` is not EXPECTED".
fn expected(field: &leadspec::Field) -> String {
    match field.ty {
        FieldType::String => "text".to_string(),
        FieldType::Number => "a number".to_string(),
        FieldType::Boolean => "yes or no".to_string(),
        FieldType::Date => "a date".to_string(),
        FieldType::Email => "an e-mail address".to_string(),
        FieldType::Url => "a web address (http or https, with a host)".to_string(),
        FieldType::List => "a list of texts".to_string(),
        FieldType::Enum => {
            let shown: Vec<String> = field.values.iter().take(6).map(|v| format!("`{v}`")).collect();
            let more = if field.values.len() > shown.len() { ", ..." } else { "" };
            format!("one of {}{more}", shown.join(", "))
        }
    }
}

/// A raw value as JSON text, as it was given.
fn raw_json(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Text(text) => serde_json::to_string(text).unwrap_or_default(),
        Value::Number(n) => serde_json::to_string(n).unwrap_or_default(),
        Value::Bool(b) => b.to_string(),
        Value::Date(d) => format!("\"{d}\""),
        Value::List(items) => format!("[{}]", items.iter().map(raw_json).collect::<Vec<_>>().join(", ")),
        Value::Nested => "an object".to_string(),
    }
}

/// For each invalid field of the record, its id and `F is invalid: RAW is not EXPECTED`.
fn rejections(definition: &Definition, record: &Record, e: &Explanation<'_>) -> Vec<(String, String)> {
    e.classification
        .errors()
        .iter()
        .filter(|error| error.rule != ValidationRule::Required)
        .filter_map(|error| {
            let field = definition.field(&error.field)?;
            let raw = record.get(field.column()).map_or_else(|| "the value".to_string(), raw_json);
            Some((error.field.clone(), format!("{} is invalid: {raw} is not {}", error.field, expected(field))))
        })
        .collect()
}

/// What decided a rule: its findings, one per line, indented. A finding about the whole
/// rule (`rule`) gives only its detail, as its text and value were just said. A field
/// found invalid is shown with its rejected value and what was expected (`rejected`).
fn findings(text: &mut String, indent: &str, rule: &str, findings: &[Finding], rejected: &[(String, String)]) {
    for f in findings {
        let detail = with_rejections(&f.detail, rejected);
        if f.text == rule && !detail.is_empty() {
            let _ = writeln!(text, "{indent}- {detail}");
            continue;
        }
        let _ = write!(text, "{indent}- `{}` is {}", f.text, f.truth);
        if !detail.is_empty() {
            let _ = write!(text, ": {detail}");
        }
        text.push('\n');
    }
}

/// A finding's detail (`name is value; ...`) with each `F is invalid` replaced by what was
/// rejected and why.
fn with_rejections(detail: &str, rejected: &[(String, String)]) -> String {
    detail
        .split("; ")
        .map(|part| match rejected.iter().find(|(field, _)| part == format!("{field} is invalid")) {
            Some((_, why)) => why.as_str(),
            None => part,
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// How many criteria must be met, in words.
fn requirement(require: Requirement, count: usize) -> String {
    match require {
        Requirement::All => "every criterion must be met".to_string(),
        Requirement::Any => "at least one criterion must be met".to_string(),
        Requirement::AtLeast(n) => format!("at least {n} of the {count} criteria must be met"),
    }
}

fn render(
    text: &mut String,
    definition: &Definition,
    e: &Explanation<'_>,
    record: &Record,
    now: chrono::DateTime<chrono::Utc>,
) {
    let c = &e.classification;
    let rejected = rejections(definition, record, e);
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
        findings(text, "       ", stage.rule().text(), &trial.findings, &rejected);
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
        c.qualified().word()
    );
    if count == 0 {
        let _ = writeln!(text, "  (no criteria)");
    }
    for trial in &e.criteria {
        let criterion = trial.item;
        let _ = writeln!(text, "  {}: {}  (when `{}`)", criterion.id(), trial.truth.word(), criterion.rule().text());
        findings(text, "      ", criterion.rule().text(), &trial.findings, &rejected);
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
        let fired: Vec<_> = e.scoring.iter().filter(|t| t.truth == Truth::True).collect();
        let raw = fired.iter().fold(0i64, |sum, t| sum.saturating_add(t.item.points()));
        let _ = write!(text, "\nScore: {score}");
        if raw != score {
            let show = |b: Option<i64>| b.map_or("-".to_string(), |v| v.to_string());
            let _ = write!(
                text,
                " (the rules add up to {raw}, clamped to {}..{})",
                show(scoring.min()),
                show(scoring.max())
            );
        }
        text.push('\n');
        if fired.is_empty() {
            let _ = writeln!(text, "  no scoring rule fired");
        }
        for trial in fired {
            let rule = trial.item;
            let label = rule.name().map_or(String::new(), |n| format!("{n}: "));
            let _ = writeln!(text, "  {:+} {label}`{}`", rule.points(), rule.rule().text());
        }
        for trial in e.scoring.iter().filter(|t| t.truth == Truth::Unknown) {
            let rule = trial.item;
            let label = rule.name().map_or(String::new(), |n| format!("{n}: "));
            let _ = writeln!(
                text,
                "  ? {label}`{}` is unknown, adds nothing ({:+} if true)",
                rule.rule().text(),
                rule.points()
            );
            let unknown: Vec<Finding> = trial.findings.iter().filter(|f| f.truth == Truth::Unknown).cloned().collect();
            findings(text, "      ", rule.rule().text(), &unknown, &rejected);
        }
    }

    if c.errors().is_empty() {
        let _ = writeln!(text, "\nValidation errors: none");
    } else {
        let _ = writeln!(text, "\nValidation errors:");
        for error in c.errors() {
            let _ = writeln!(text, "  {}: {} ({})", error.field, error.message, error.rule.name());
            if let Some((_, why)) = rejected.iter().find(|(field, _)| *field == error.field) {
                let _ = writeln!(text, "      {why}");
            }
        }
    }
}
