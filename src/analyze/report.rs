//! The findings of an analysis as diagnostics, each at the `when` it is about: warnings for
//! what can never be, notes for what the analysis cannot decide and what no example
//! exercises.

use super::{Analysis, Doubt, Verdict};
use crate::definition::StageIndex;
use crate::rule::{Rule, Written};
use crate::{Diagnostic, DiagnosticCode, Severity, Truth};

impl Analysis<'_> {
    /// The findings as diagnostics, in the order of the file: a warning at the `when` of
    /// each stage no record reaches (``stage `x` can never be reached: every record its rule
    /// accepts is caught first by `a`, `b` ``), of each guard that is never true and of each
    /// criterion never met or never not met; a note where the analysis cannot decide; and a
    /// note for each stage, transition and criterion state no example exercises
    /// (``no example reaches stage `x` ``).
    ///
    /// ```
    /// let d = leadspec::Definition::from_toml(r#"
    ///     [definition]
    ///     name = "x"
    ///     [teams]
    ///     sales = "Sales"
    ///     [fields]
    ///     budget = "number"
    ///     [qualification.criteria]
    ///     odd = "budget > 10 and budget < 5"
    ///     [[stages]]
    ///     id = "lead"
    ///     owner = "sales"
    ///     when = "budget is present"
    ///     [[examples]]
    ///     name = "a lead"
    ///     stage = "lead"
    ///     record = { budget = 3 }
    /// "#)?;
    /// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
    /// let lines: Vec<String> = d.analyze(now).diagnostics().iter().map(|d| d.to_string()).collect();
    /// assert_eq!(lines, [
    ///     "9:11: warning: criterion `odd` can never be met: its rule is never true",
    ///     "9:11: note: no example has criterion `odd` unknown",
    /// ]);
    /// # Ok::<(), leadspec::LoadError>(())
    /// ```
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let d = self.definition;
        let mut out = Vec::new();
        let stage_id = |i: StageIndex| d.stage_at(i).map_or("?", |s| s.id());
        let list =
            |stages: &[StageIndex]| stages.iter().map(|&s| format!("`{}`", stage_id(s))).collect::<Vec<_>>().join(", ");
        for finding in &self.stages {
            let Some(stage) = d.stage_at(finding.stage) else { continue };
            let at = stage.rule.written();
            match &finding.verdict {
                Verdict::Never if finding.caught_by.is_empty() => out.push(warning(
                    DiagnosticCode::StageNeverReached,
                    at,
                    format!("stage `{}` can never be reached: its rule is never true", stage.id()),
                )),
                Verdict::Never => out.push(warning(
                    DiagnosticCode::StageNeverReached,
                    at,
                    format!(
                        "stage `{}` can never be reached: every record its rule accepts is caught first by {}",
                        stage.id(),
                        list(&finding.caught_by)
                    ),
                )),
                Verdict::Undecided(doubt) => out.push(undecided(
                    at,
                    format!("cannot decide whether stage `{}` can be reached", stage.id()),
                    *doubt,
                )),
                Verdict::Witness(_) => {}
            }
        }
        for finding in &self.guards {
            let Some(transition) = d.transitions.get(finding.transition) else { continue };
            let at = transition.guard.as_ref().and_then(Rule::written);
            let name = transition_name(self, finding.transition);
            match finding.verdict {
                Verdict::Never => out.push(warning(
                    DiagnosticCode::GuardNeverTrue,
                    at,
                    format!("the guard of the transition {name} can never be true"),
                )),
                Verdict::Undecided(doubt) => out.push(undecided(
                    at,
                    format!("cannot decide whether the guard of the transition {name} can be true"),
                    doubt,
                )),
                _ => {}
            }
        }
        for finding in &self.criteria {
            let Some(criterion) = d.qualification.criteria.get(finding.criterion) else { continue };
            let at = criterion.rule.written();
            for (verdict, what, why) in
                [(&finding.met, "met", "never true"), (&finding.not_met, "not met", "never false")]
            {
                match verdict {
                    Verdict::Never => out.push(warning(
                        DiagnosticCode::ConstantCriterion,
                        at,
                        format!("criterion `{}` can never be {what}: its rule is {why}", criterion.id),
                    )),
                    Verdict::Undecided(doubt) => out.push(undecided(
                        at,
                        format!("cannot decide whether criterion `{}` can be {what}", criterion.id),
                        *doubt,
                    )),
                    _ => {}
                }
            }
        }
        for &stage in &self.coverage.stages {
            let at = d.stage_at(stage).and_then(|s| s.rule.written());
            out.push(note(
                DiagnosticCode::NotCovered,
                at,
                format!("no example reaches stage `{}`", stage_id(stage)),
                None,
            ));
        }
        for &i in &self.coverage.transitions {
            let at = d
                .transitions
                .get(i)
                .and_then(|t| t.guard.as_ref().and_then(Rule::written))
                .or(d.transition_tables.get(i));
            let message = format!("no example moves a lead through the transition {}", transition_name(self, i));
            out.push(note(DiagnosticCode::NotCovered, at, message, None));
        }
        for &(i, state) in &self.coverage.criteria {
            let Some(criterion) = d.qualification.criteria.get(i) else { continue };
            let word = match state {
                Truth::True => "met",
                Truth::False => "not met",
                Truth::Unknown => "unknown",
            };
            let message = format!("no example has criterion `{}` {word}", criterion.id);
            out.push(note(DiagnosticCode::NotCovered, criterion.rule.written(), message, None));
        }
        // In the order of the file; at one place, warnings before notes (a stable sort).
        out.sort_by_key(|d| (d.span.start, std::cmp::Reverse(d.severity)));
        out
    }
}

/// `from `a` to `b``, with `*` for any stage.
fn transition_name(analysis: &Analysis<'_>, i: usize) -> String {
    let d = analysis.definition;
    let Some(t) = d.transitions.get(i) else { return String::new() };
    let end = |p: Option<usize>| p.and_then(|p| d.stages.get(p)).map_or("*".to_string(), |s| s.id.clone());
    format!("from `{}` to `{}`", end(t.from), end(t.to))
}

fn diagnostic(
    severity: Severity,
    code: DiagnosticCode,
    at: Option<&Written>,
    message: String,
    hint: Option<String>,
) -> Diagnostic {
    let at = at.cloned().unwrap_or(Written { span: 0..0, line: 1, column: 1 });
    Diagnostic { severity, code, message, span: at.span, line: at.line, column: at.column, hint }
}

fn warning(code: DiagnosticCode, at: Option<&Written>, message: String) -> Diagnostic {
    diagnostic(Severity::Warning, code, at, message, None)
}

fn note(code: DiagnosticCode, at: Option<&Written>, message: String, hint: Option<String>) -> Diagnostic {
    diagnostic(Severity::Note, code, at, message, hint)
}

fn undecided(at: Option<&Written>, message: String, doubt: Doubt) -> Diagnostic {
    let hint = match doubt {
        Doubt::Budget => "the search ran out of steps",
        Doubt::Reasoning => "the rules compare fields with each other or hold text tests the search cannot solve",
    };
    note(DiagnosticCode::CannotDecide, at, message, Some(hint.to_string()))
}
