//! Explanations: [`Definition::explain`] classifies a lead and keeps, as an
//! [`Explanation`], every rule it tried and what decided it; its `Display` is what
//! `leadspec explain` prints, in words, with the values a record gave that their fields
//! rejected.

use std::fmt::{self, Write as _};

use chrono::{DateTime, Utc};

use crate::classify::Assessment;
use crate::definition::{naive, Criterion, ScoringRule, Stage};
use crate::rule::{Context, Finding};
use crate::{
    json_text, Classification, Definition, Field, FieldType, Record, Requirement, Truth, ValidationRule, Value,
};

impl Definition {
    /// Classifies a record and says why: every stage tried and what decided it, every
    /// criterion, and the scoring rules that fired.
    pub fn explain(&self, record: &Record, now: DateTime<Utc>) -> Explanation<'_> {
        let prepared = self.prepare(record);
        let classification = self.classify_own(&prepared, now);
        let ctx = self.context(
            &prepared,
            classification.criterion_states(),
            Assessment { qualified: classification.qualified(), score: classification.score().unwrap_or(0) },
            naive(now),
        );
        let criteria_ctx = Context { criteria: &[], ..ctx };
        let criteria = self
            .qualification
            .criteria
            .iter()
            .zip(classification.criterion_states())
            .map(|(c, &truth)| Trial { item: c, truth, findings: c.rule.explain(&criteria_ctx) })
            .collect();
        let scoring = self
            .scoring
            .iter()
            .flat_map(|s| &s.rules)
            .map(|r| Trial { item: r, truth: r.rule.eval(&ctx), findings: r.rule.explain(&ctx) })
            .collect();
        let rejected = rejections(self, record, &classification);
        let mut stages = Vec::new();
        for &i in &self.order {
            let stage = &self.stages[i.position()];
            let truth = stage.rule.eval(&ctx);
            stages.push(Trial { item: stage, truth, findings: stage.rule.explain(&ctx) });
            if truth == Truth::True {
                break;
            }
        }
        Explanation { classification, now, stages, criteria, scoring, rejected }
    }
}

/// One rule tried during an explanation: what it belongs to, its value, and what decided it.
#[derive(Clone, Debug)]
pub struct Trial<'d, T> {
    /// The stage, criterion or scoring rule.
    pub item: &'d T,
    /// The value of its rule.
    pub truth: Truth,
    /// The sub-expressions that decided the value.
    pub findings: Vec<Finding>,
}

/// Why a lead was classified as it was. See [`Definition::explain`].
///
/// Its `Display` is what `leadspec explain` prints: the definition and the reference time,
/// every stage tried and what decided it, the result and its owner, every criterion, the
/// qualification, the score and the scoring rules, and the validation errors, each rejected
/// value with what its field expected.
///
/// ```
/// use leadspec::{default_definition, parse_reference_time, Record};
/// let d = default_definition();
/// let now = parse_reference_time("2026-11-22").unwrap();
/// let lead = Record::new().with("id", "L-7").with("email", "ann@example.com").with("budget", "lots");
/// let explanation = d.explain(&lead, now);
/// let text = explanation.to_string();
/// assert!(text.starts_with("Definition: "));
/// assert!(text.contains("\nRecord: \"L-7\"\n"));
/// assert!(text.contains("\nResult: contact (Contact), owned by Marketing (marketing)\n"));
/// assert!(text.contains("      budget is invalid: \"lots\" is not a number\n"));
/// ```
#[derive(Clone, Debug)]
pub struct Explanation<'d> {
    /// The classification itself.
    pub classification: Classification<'d>,
    /// The reference time the lead was classified at.
    pub now: DateTime<Utc>,
    /// The stages tried, in classification order, up to and including the one that matched.
    pub stages: Vec<Trial<'d, Stage>>,
    /// Every criterion, in the order written.
    pub criteria: Vec<Trial<'d, Criterion>>,
    /// Every scoring rule (empty without `[scoring]`).
    pub scoring: Vec<Trial<'d, ScoringRule>>,
    /// The values the record gave that their fields rejected, in field order: the record's
    /// errors other than a missing required value.
    pub rejected: Vec<Rejection>,
}

/// A value a field rejected: the field, the value as the record gave it, and what the
/// field's type expects. Its `Display` reads `F is invalid: RAW is not EXPECTED`, the value
/// as JSON text.
///
/// ```
/// use leadspec::{default_definition, parse_reference_time, Record};
/// let d = default_definition();
/// let lead = Record::new().with("email", "ann@example.com").with("budget", "lots");
/// let explanation = d.explain(&lead, parse_reference_time("2026-11-22").unwrap());
/// let rejected: Vec<String> = explanation.rejected.iter().map(|r| r.to_string()).collect();
/// assert_eq!(rejected, [r#"budget is invalid: "lots" is not a number"#]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Rejection {
    /// The field's id.
    pub field: String,
    /// The value as the record gave it under the field's column (`None` if it gave none).
    pub value: Option<Value>,
    /// What the field's type expects: `a date`, `a number`, `one of `web`, `event``, ...
    pub expected: String,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let raw = self.value.as_ref().map_or_else(|| "the value".to_string(), raw_json);
        write!(f, "{} is invalid: {raw} is not {}", self.field, self.expected)
    }
}

/// For each invalid value of the record (not a missing one), the field and what it expected.
pub(crate) fn rejections(definition: &Definition, record: &Record, c: &Classification<'_>) -> Vec<Rejection> {
    c.errors()
        .iter()
        .filter(|error| error.rule != ValidationRule::Required)
        .filter_map(|error| {
            let field = definition.field(&error.field)?;
            Some(Rejection {
                field: error.field.clone(),
                value: record.get(field.column()).cloned(),
                expected: expected(field),
            })
        })
        .collect()
}

/// What a field's type expects, for "`RAW` is not EXPECTED".
fn expected(field: &Field) -> String {
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

/// A raw value as JSON text, as it was given (a list's items separated by `, `, a nested
/// value as `an object`).
fn raw_json(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Text(text) => json_text::string(text),
        Value::Number(n) => json_text::number(*n),
        Value::Bool(b) => b.to_string(),
        Value::Date(d) => format!("\"{d}\""),
        Value::List(items) => format!("[{}]", items.iter().map(raw_json).collect::<Vec<_>>().join(", ")),
        Value::Nested => "an object".to_string(),
    }
}

/// What decided a rule: its findings, one per line, indented. A finding about the whole
/// rule (`rule`) gives only its detail, as its text and value were just said. A field
/// found invalid is shown with its rejected value and what was expected (`rejected`).
fn findings(
    f: &mut fmt::Formatter<'_>,
    indent: &str,
    rule: &str,
    findings: &[Finding],
    rejected: &[Rejection],
) -> fmt::Result {
    for finding in findings {
        let detail = with_rejections(&finding.detail, rejected);
        if finding.text == rule && !detail.is_empty() {
            writeln!(f, "{indent}- {detail}")?;
            continue;
        }
        write!(f, "{indent}- `{}` is {}", finding.text, finding.truth)?;
        if !detail.is_empty() {
            write!(f, ": {detail}")?;
        }
        f.write_char('\n')?;
    }
    Ok(())
}

/// A finding's detail (`name is value; ...`) with each `F is invalid` replaced by what was
/// rejected and why.
fn with_rejections(detail: &str, rejected: &[Rejection]) -> String {
    detail
        .split("; ")
        .map(|part| match rejected.iter().find(|r| part.strip_suffix(" is invalid") == Some(r.field.as_str())) {
            Some(rejection) => rejection.to_string(),
            None => part.to_string(),
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

impl fmt::Display for Explanation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.classification;
        let definition = c.definition();
        let rejected = &self.rejected;
        write!(f, "Definition: {}", definition.name())?;
        if let Some(version) = definition.version() {
            write!(f, " (version {version})")?;
        }
        writeln!(f, "\nReference time: {}", crate::format_time(self.now))?;
        match c.id() {
            Some(id) => writeln!(f, "Record: {}", json_text::id(id))?,
            None => writeln!(f, "Record: (no id)")?,
        }

        writeln!(f, "\nStages, in the order they are tried (priority, then furthest along the funnel):")?;
        for (n, trial) in self.stages.iter().enumerate() {
            let stage = trial.item;
            let owner = definition.team_at(stage.owner()).map_or("", |t| t.name.as_str());
            write!(f, "  {}. {} ({}, owned by {owner})", n + 1, stage.id(), stage.name())?;
            if stage.priority() != 0 {
                write!(f, ", priority {}", stage.priority())?;
            }
            let verdict = match trial.truth {
                Truth::True => "true: the lead is in this stage",
                Truth::False => "false",
                Truth::Unknown => "unknown (not enough is known), so it does not match",
            };
            writeln!(f, "\n     when `{}` is {verdict}", stage.rule().text())?;
            findings(f, "       ", stage.rule().text(), &trial.findings, rejected)?;
        }
        let order = definition.classification_order();
        let rest: Vec<&str> = order[self.stages.len().min(order.len())..]
            .iter()
            .filter_map(|&i| definition.stage_at(i))
            .map(|s| s.id())
            .collect();
        if !rest.is_empty() {
            writeln!(f, "  Not tried, as an earlier stage matched: {}", rest.join(", "))?;
        }

        match (c.stage(), c.owner()) {
            (Some(stage), Some(owner)) => {
                writeln!(f, "\nResult: {} ({}), owned by {} ({})", stage.id(), stage.name(), owner.name, owner.id)?;
            }
            _ => writeln!(f, "\nResult: unclassified (no stage's rule is true)")?,
        }

        let qualification = definition.qualification();
        let count = qualification.criteria().len();
        writeln!(
            f,
            "\nQualification ({}; {}): {}",
            qualification.framework(),
            requirement(qualification.require(), count),
            c.qualified().word()
        )?;
        if count == 0 {
            writeln!(f, "  (no criteria)")?;
        }
        for trial in &self.criteria {
            let criterion = trial.item;
            let rule = criterion.rule().text();
            writeln!(f, "  {}: {}  (when `{rule}`)", criterion.id(), trial.truth.word())?;
            findings(f, "      ", rule, &trial.findings, rejected)?;
            if trial.truth == Truth::Unknown {
                if let Some(ask) = criterion.ask() {
                    writeln!(f, "      ask: {ask}")?;
                }
            }
        }
        let ask = c.ask();
        if !ask.is_empty() {
            writeln!(f, "Ask next:")?;
            for question in ask {
                writeln!(f, "  - {question}")?;
            }
        }

        if let (Some(scoring), Some(score)) = (definition.scoring(), c.score()) {
            let fired: Vec<_> = self.scoring.iter().filter(|t| t.truth == Truth::True).collect();
            let raw = fired.iter().fold(0i64, |sum, t| sum.saturating_add(t.item.points()));
            write!(f, "\nScore: {score}")?;
            if raw != score {
                let show = |b: Option<i64>| b.map_or("-".to_string(), |v| v.to_string());
                write!(f, " (the rules add up to {raw}, clamped to {}..{})", show(scoring.min()), show(scoring.max()))?;
            }
            f.write_char('\n')?;
            if fired.is_empty() {
                writeln!(f, "  no scoring rule fired")?;
            }
            for trial in fired {
                let rule = trial.item;
                let label = rule.name().map_or(String::new(), |n| format!("{n}: "));
                writeln!(f, "  {:+} {label}`{}`", rule.points(), rule.rule().text())?;
            }
            for trial in self.scoring.iter().filter(|t| t.truth == Truth::Unknown) {
                let rule = trial.item;
                let label = rule.name().map_or(String::new(), |n| format!("{n}: "));
                writeln!(
                    f,
                    "  ? {label}`{}` is unknown, adds nothing ({:+} if true)",
                    rule.rule().text(),
                    rule.points()
                )?;
                let unknown: Vec<Finding> =
                    trial.findings.iter().filter(|x| x.truth == Truth::Unknown).cloned().collect();
                findings(f, "      ", rule.rule().text(), &unknown, rejected)?;
            }
        }

        if c.errors().is_empty() {
            writeln!(f, "\nValidation errors: none")
        } else {
            writeln!(f, "\nValidation errors:")?;
            for error in c.errors() {
                writeln!(f, "  {}: {} ({})", error.field, error.message, error.rule.name())?;
                if let Some(rejection) = rejected.iter().find(|r| r.field == error.field) {
                    writeln!(f, "      {rejection}")?;
                }
            }
            Ok(())
        }
    }
}
