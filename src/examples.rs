//! Running the examples inside a definition (`[[examples]]`): what the definition means,
//! checked like doctests.
//!
//! Each example ([`Example`], loaded with the definition as plain data) holds a record and
//! what the team expects of it: a stage, no stage, or a move allowed or refused; optionally
//! also the owner, the qualification, some criteria, exactly which fields have errors, and
//! the score. [`Definition::run_examples`] checks them all, so a service can refuse to deploy
//! a definition whose examples fail.

use chrono::{DateTime, Utc};

use crate::definition::example::{Example, ExampleExpectation};
use crate::definition::StageIndex;
use crate::diagnostic::{Diagnostic, DiagnosticCode, Severity};
use crate::{Definition, Move};

/// The outcome of one example.
///
/// ```
/// use leadspec::{Definition, DiagnosticCode};
/// let d = Definition::from_toml(r#"
///     [definition]
///     name = "Checked"
///     [teams]
///     m = "Marketing"
///     [fields]
///     email = "email"
///     [[stages]]
///     id = "contact"
///     owner = "m"
///     when = "email is present"
///
///     [[examples]]
///     name = "An address makes a contact"
///     record = { email = "ann@example.com" }
///     stage = "contact"
///
///     [[examples]]
///     name = "A bad address makes a contact"
///     record = { email = "ann(at)example.com" }
///     stage = "contact"
/// "#)?;
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let checks = d.run_examples(now);
/// assert!(checks[0].passed() && checks[0].to_diagnostic().is_none());
/// assert!(!checks[1].passed());
/// assert_eq!(checks[1].example.name(), "A bad address makes a contact");
/// assert_eq!(checks[1].mismatches, ["expected stage `contact`, got no stage"]);
/// let diagnostic = checks[1].to_diagnostic().unwrap();
/// assert_eq!((diagnostic.code, diagnostic.line), (DiagnosticCode::ExampleFailed, 19)); // its `name`
/// assert_eq!(diagnostic.message, r#"example "A bad address makes a contact": expected stage `contact`, got no stage"#);
/// # Ok::<(), leadspec::LoadError>(())
/// ```
#[derive(Clone, Debug)]
pub struct ExampleCheck<'d> {
    /// The example.
    pub example: &'d Example,
    /// What differed from the expectation (empty when it passed), e.g.
    /// ``expected stage `lead`, got `subscriber` ``.
    pub mismatches: Vec<String>,
    /// Why the result is what it is: the stage that matched, or the move's refusal.
    pub reason: String,
}

impl ExampleCheck<'_> {
    /// Whether the example holds.
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
    }

    /// The failure as a diagnostic at the example's `name`, with the code
    /// [`DiagnosticCode::ExampleFailed`]:
    /// ``example "NAME": expected stage `lead`, got `subscriber` ``, with the reason as hint.
    pub fn to_diagnostic(&self) -> Option<Diagnostic> {
        if self.passed() {
            return None;
        }
        Some(Diagnostic {
            severity: Severity::Error,
            code: DiagnosticCode::ExampleFailed,
            message: format!("example \"{}\": {}", self.example.name, self.mismatches.join("; ")),
            span: self.example.span.clone(),
            line: self.example.line,
            column: self.example.column,
            hint: Some(self.reason.clone()),
        })
    }
}

fn quoted(word: Option<&str>) -> String {
    word.map_or_else(|| "no stage".to_string(), |w| format!("`{w}`"))
}

impl Definition {
    /// Runs every example; `now` is the reference time for examples that give none.
    ///
    /// ```
    /// use leadspec::default_definition;
    /// use chrono::{TimeZone, Utc};
    /// let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
    /// assert!(default_definition().run_examples(now).iter().all(|c| c.passed()));
    /// ```
    pub fn run_examples(&self, now: DateTime<Utc>) -> Vec<ExampleCheck<'_>> {
        self.examples.iter().map(|e| self.run_example(e, now)).collect()
    }

    fn run_example<'d>(&'d self, example: &'d Example, default_now: DateTime<Utc>) -> ExampleCheck<'d> {
        let now = example.now.unwrap_or(default_now);
        let prepared = self.prepare(&example.record);
        let result = self.classify_own(&prepared, now);
        let got = result.stage().map(|s| s.id());
        let mut mismatches = Vec::new();
        let stage_reason = match result.stage() {
            Some(stage) => format!("stage `{}` matched: `{}` is true", stage.id(), stage.rule().text()),
            None => "no stage's rule is true".to_string(),
        };
        let mut reason = stage_reason.clone();
        match &example.expect {
            ExampleExpectation::Stage(expected) => {
                if result.stage_index() != Some(*expected) {
                    let want = self.stage_at(*expected).map_or("?", |s| s.id());
                    mismatches.push(format!("expected stage `{want}`, got {}", quoted(got)));
                }
            }
            ExampleExpectation::Unclassified => {
                if let Some(stage) = got {
                    mismatches.push(format!("expected no stage, got `{stage}`"));
                }
            }
            ExampleExpectation::Move { from, to, allowed } => {
                let outcome = self.check_move_prepared(*from, *to, &prepared, now);
                let id = |i: StageIndex| self.stage_at(i).map_or("?", |s| s.id());
                let (a, b) = (id(*from), id(*to));
                reason = match &outcome {
                    Move::Allowed { .. } => format!("the move from `{a}` to `{b}` is allowed"),
                    Move::Refused(refusal) => format!("refused: {refusal}"),
                };
                if outcome.is_allowed() != *allowed {
                    let (want, have) = if *allowed { ("allowed", "refused") } else { ("refused", "allowed") };
                    mismatches.push(format!("expected the move from `{a}` to `{b}` to be {want}, but it is {have}"));
                }
            }
        }
        if let Some(owner) = example.owner {
            let got_owner = result.owner().map(|t| t.id.as_str());
            if got_owner != Some(self.teams[owner].id.as_str()) {
                mismatches.push(format!(
                    "expected owner `{}`, got {}",
                    self.teams[owner].id,
                    got_owner.map_or("none".to_string(), |o| format!("`{o}`"))
                ));
            }
        }
        if let Some(q) = example.qualified {
            if result.qualified() != q {
                mismatches.push(format!("expected qualified `{}`, got `{}`", q.word(), result.qualified().word()));
            }
        }
        for &(index, expected) in &example.criteria {
            let got = result.criterion_states()[index];
            if got != expected {
                mismatches.push(format!(
                    "expected criterion `{}` `{}`, got `{}`",
                    self.qualification.criteria[index].id(),
                    expected.word(),
                    got.word()
                ));
            }
        }
        if let Some(expected) = &example.errors {
            let mut want: Vec<(String, String)> =
                expected.iter().map(|(i, m)| (self.fields[*i].id.clone(), m.clone())).collect();
            let mut have: Vec<(String, String)> =
                result.errors().iter().map(|e| (e.field.clone(), e.message.clone())).collect();
            want.sort();
            have.sort();
            if want != have {
                let show = |list: &[(String, String)]| {
                    let items: Vec<String> = list.iter().map(|(f, m)| format!("{f} = \"{m}\"")).collect();
                    format!("{{{}}}", items.join(", "))
                };
                mismatches.push(format!("expected errors {}, got {}", show(&want), show(&have)));
            }
        }
        if let Some(score) = example.score {
            if result.score() != Some(score) {
                mismatches.push(format!("expected score {score}, got {}", result.score().unwrap_or(0)));
            }
        }
        ExampleCheck { example, mismatches, reason }
    }
}
