//! Reasoning about the rules themselves (`leadspec check --analyze`): for each stage, a
//! witness record that reaches it or a proof that none can; transition guards that can
//! never be true; criteria that can never be met, or never be not met; and the stages,
//! transitions and criterion states no `[[examples]]` entry exercises.
//!
//! This is a decision procedure, not sampling. Every field's values are split into the
//! finitely many classes the rules can tell apart (`domain.rs`): missing, numbers and dates
//! as points and intervals between the literals the rules compare them with (with `today`
//! and `now` fixed at the reference time), each enum value, each boolean, and for text and
//! list fields the truth of each text test, where a conjunction of tests and negated tests
//! is solved over the product of their DFAs (`text.rs`). A backtracking search
//! (`search.rs`) chooses classes field by field, evaluating the rules three-valued over the
//! partial record (`partial.rs`) and dropping every branch that can no longer answer.
//! A witness is a [`Record`], and it is classified by the definition itself before it is
//! reported. Where the search runs out of steps, or meets something it cannot reason about
//! (a text test its DFA builder refuses, a field compared with another field), it says
//! [`Verdict::Undecided`] rather than guess.

mod coverage;
mod domain;
mod partial;
mod report;
mod search;
mod text;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};

use crate::definition::{naive, StageIndex};
use crate::rule::{Context, Rule};
use crate::{Definition, Record, Truth};
use domain::Domain;
use partial::{FALSE, TRUE, UNKNOWN};
use search::{Found, Question, Searcher};

pub use coverage::Coverage;

/// Bounds on the work of one analysis: whatever the definition, it ends within them.
///
/// ```
/// let options = leadspec::AnalyzeOptions { steps: 1_000, ..Default::default() };
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let analysis = leadspec::default_definition().analyze_with(now, &options);
/// assert_eq!(analysis.stages.len(), 7);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalyzeOptions {
    /// Search steps (partial records tried) for the whole analysis.
    pub steps: u64,
    /// Search steps for one question (one stage, guard or criterion state).
    pub steps_per_question: u64,
    /// Product states one text search may visit.
    pub text_states: usize,
}

impl Default for AnalyzeOptions {
    /// 2,000,000 steps in all, 200,000 per question, 20,000 text states per search.
    fn default() -> Self {
        AnalyzeOptions { steps: 2_000_000, steps_per_question: 200_000, text_states: 20_000 }
    }
}

/// Why the analysis could not decide a question.
///
/// ```
/// use leadspec::{Doubt, Verdict};
/// let verdict = Verdict::Undecided(Doubt::Budget);
/// assert!(verdict.witness().is_none());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Doubt {
    /// The step budget ([`AnalyzeOptions`]) ran out.
    Budget,
    /// The rules hold something the search cannot solve: a text test whose DFA is too
    /// large or uses what a DFA cannot (Unicode word boundaries), a field compared with
    /// another field, a web address it cannot build.
    Reasoning,
}

/// The answer to one question of the analysis: can this be?
///
/// ```
/// use leadspec::Verdict;
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let analysis = leadspec::default_definition().analyze(now);
/// assert!(matches!(analysis.stages[0].verdict, Verdict::Witness(_)));
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Verdict {
    /// Yes: a record for which it is so, checked by classifying it.
    Witness(Record),
    /// No record makes it so.
    Never,
    /// The analysis cannot tell.
    Undecided(Doubt),
}

impl Verdict {
    /// The witness record, if there is one.
    ///
    /// ```
    /// assert!(leadspec::Verdict::Never.witness().is_none());
    /// ```
    pub fn witness(&self) -> Option<&Record> {
        match self {
            Verdict::Witness(record) => Some(record),
            _ => None,
        }
    }

    fn from_found(found: Found) -> Verdict {
        match found {
            Found::Witness(record) => Verdict::Witness(record),
            Found::Nothing => Verdict::Never,
            Found::Undecided(doubt) => Verdict::Undecided(doubt),
        }
    }
}

/// Whether a stage can be reached.
///
/// ```
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let analysis = leadspec::default_definition().analyze(now);
/// let first = &analysis.stages[0]; // `customer`, tried first for its priority
/// assert_eq!(leadspec::default_definition().stage_at(first.stage).unwrap().id(), "customer");
/// assert!(first.caught_by.is_empty() && first.verdict.witness().is_some());
/// ```
#[derive(Clone, Debug)]
pub struct StageFinding {
    /// The stage.
    pub stage: StageIndex,
    /// A record classified into the stage, or why there is none.
    pub verdict: Verdict,
    /// When no record reaches the stage although its rule can be true: the stages, tried
    /// before it, that catch every record its rule accepts (a smallest such set found, in
    /// classification order). Empty when its rule is never true.
    pub caught_by: Vec<StageIndex>,
}

/// Whether a transition's guard can be true.
///
/// ```
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let d = leadspec::default_definition();
/// let analysis = d.analyze(now);
/// let guarded = d.transitions().iter().filter(|t| t.guard().is_some()).count();
/// assert_eq!(analysis.guards.len(), guarded);
/// assert!(analysis.guards.iter().all(|g| g.verdict.witness().is_some())); // `qualified` can be true
/// ```
#[derive(Clone, Debug)]
pub struct GuardFinding {
    /// The transition's position in [`Definition::transitions`].
    pub transition: usize,
    /// A record for which the guard is true, or why there is none.
    pub verdict: Verdict,
}

/// Whether a criterion can be met, and not met.
///
/// ```
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let d = leadspec::default_definition();
/// let analysis = d.analyze(now);
/// assert!(analysis.criteria.iter().all(|c| c.met.witness().is_some()));
/// // `need != ''` is true for every need given (a given text is never blank):
/// let need = &analysis.criteria[3 - 1];
/// assert_eq!(d.qualification().criteria()[need.criterion].id(), "need");
/// assert!(matches!(need.not_met, leadspec::Verdict::Never));
/// ```
#[derive(Clone, Debug)]
pub struct CriterionFinding {
    /// The criterion's position in [`Qualification::criteria`](crate::Qualification::criteria).
    pub criterion: usize,
    /// A record that meets it.
    pub met: Verdict,
    /// A record that does not meet it (its rule false).
    pub not_met: Verdict,
    /// A record for which it is unknown.
    pub unknown: Verdict,
}

/// What [`Definition::analyze`] finds. Its [`diagnostics`](Analysis::diagnostics) are what
/// `leadspec check --analyze` prints.
///
/// ```
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let d = leadspec::default_definition();
/// let analysis = d.analyze(now);
/// for (stage, record) in analysis.witnesses() {
///     assert_eq!(d.classify(record, now).stage_index(), Some(stage));
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Analysis<'d> {
    definition: &'d Definition,
    /// Each stage, in classification order.
    pub stages: Vec<StageFinding>,
    /// Each transition with a guard, in the order written.
    pub guards: Vec<GuardFinding>,
    /// Each criterion, in the order written.
    pub criteria: Vec<CriterionFinding>,
    /// What the definition's examples leave unexercised.
    pub coverage: Coverage,
}

impl<'d> Analysis<'d> {
    /// The definition analysed.
    ///
    /// ```
    /// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
    /// let d = leadspec::default_definition();
    /// assert_eq!(d.analyze(now).definition().name(), d.name());
    /// ```
    pub fn definition(&self) -> &'d Definition {
        self.definition
    }

    /// Each stage that can be reached with its witness, in classification order.
    ///
    /// ```
    /// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
    /// assert_eq!(leadspec::default_definition().analyze(now).witnesses().count(), 7);
    /// ```
    pub fn witnesses(&self) -> impl Iterator<Item = (StageIndex, &Record)> + '_ {
        self.stages.iter().filter_map(|s| s.verdict.witness().map(|r| (s.stage, r)))
    }
}

impl Definition {
    /// Analyses the rules at the reference time `now` with the default
    /// [`AnalyzeOptions`]; see [`Analysis`].
    ///
    /// ```
    /// use leadspec::{Definition, Verdict};
    /// let d = Definition::from_toml(r#"
    ///     [definition]
    ///     name = "Shadow"
    ///     [teams]
    ///     sales = "Sales"
    ///     [fields]
    ///     budget = "number"
    ///     [[stages]]
    ///     id = "big"
    ///     owner = "sales"
    ///     when = "budget > 100"
    ///     [[stages]]
    ///     id = "any"
    ///     owner = "sales"
    ///     when = "budget > 10"
    /// "#)?;
    /// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
    /// let analysis = d.analyze(now);
    /// // `any` is tried first (declared later) and catches every budget over 100.
    /// let big = analysis.stages.iter().find(|s| s.stage == d.stage_index("big").unwrap()).unwrap();
    /// assert!(matches!(big.verdict, Verdict::Never));
    /// assert_eq!(big.caught_by, [d.stage_index("any").unwrap()]);
    /// # Ok::<(), leadspec::LoadError>(())
    /// ```
    pub fn analyze(&self, now: DateTime<Utc>) -> Analysis<'_> {
        self.analyze_with(now, &AnalyzeOptions::default())
    }

    /// [`Definition::analyze`] within the given bounds.
    ///
    /// ```
    /// use leadspec::{AnalyzeOptions, Doubt, Verdict};
    /// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
    /// let none = AnalyzeOptions { steps: 0, ..AnalyzeOptions::default() };
    /// let analysis = leadspec::default_definition().analyze_with(now, &none);
    /// assert!(analysis.stages.iter().all(|s| matches!(s.verdict, Verdict::Undecided(Doubt::Budget))));
    /// ```
    pub fn analyze_with(&self, now: DateTime<Utc>, options: &AnalyzeOptions) -> Analysis<'_> {
        let domain = Domain::new(self, now.timestamp());
        let mut searcher = Searcher::new(domain, options.steps, options.steps_per_question, options.text_states);
        let stages = self.analyze_stages(&mut searcher, now);
        let guards = self
            .transitions
            .iter()
            .enumerate()
            .filter_map(|(i, t)| t.guard.as_ref().map(|g| (i, g)))
            .map(|(transition, guard)| {
                let found = self.find_truths(&mut searcher, &[(guard, TRUE)], now);
                GuardFinding { transition, verdict: Verdict::from_found(found) }
            })
            .collect();
        let criteria: Vec<CriterionFinding> = (0..self.qualification.criteria.len())
            .map(|criterion| {
                let rule = &self.qualification.criteria[criterion].rule;
                let mut state = |set| Verdict::from_found(self.find_truths(&mut searcher, &[(rule, set)], now));
                CriterionFinding { criterion, met: state(TRUE), not_met: state(FALSE), unknown: state(UNKNOWN) }
            })
            .collect();
        let coverage = coverage::coverage(self, now, &criteria);
        Analysis { definition: self, stages, guards, criteria, coverage }
    }

    fn analyze_stages(&self, searcher: &mut Searcher<'_>, now: DateTime<Utc>) -> Vec<StageFinding> {
        let mut findings = Vec::new();
        for (k, &index) in self.order.iter().enumerate() {
            let stage = &self.stages[index.position()];
            let earlier: Vec<StageIndex> = self.order[..k].to_vec();
            let mut rules = vec![(&stage.rule, TRUE)];
            rules.extend(earlier.iter().map(|e| (&self.stages[e.position()].rule, FALSE | UNKNOWN)));
            let question = Question { rules };
            let mut check = |record: &Record| self.classify(record, now).stage_index() == Some(index);
            let found = searcher.find(&question, &mut check);
            let (verdict, caught_by) = match found {
                Found::Nothing => (Verdict::Never, self.catchers(searcher, &stage.rule, earlier, now)),
                other => (Verdict::from_found(other), Vec::new()),
            };
            findings.push(StageFinding { stage: index, verdict, caught_by });
        }
        findings
    }

    /// For a stage no record reaches: a smallest set of the `earlier` stages that still
    /// catch every record its `rule` accepts (empty when the rule is never true).
    fn catchers(
        &self,
        searcher: &mut Searcher<'_>,
        rule: &Rule,
        earlier: Vec<StageIndex>,
        now: DateTime<Utc>,
    ) -> Vec<StageIndex> {
        match self.find_truths(searcher, &[(rule, TRUE)], now) {
            Found::Nothing => return Vec::new(),
            Found::Undecided(_) => return earlier,
            Found::Witness(_) => {}
        }
        let mut keep = earlier;
        let mut i = 0;
        while i < keep.len() {
            let mut without = keep.clone();
            without.remove(i);
            let mut rules = vec![(rule, TRUE)];
            rules.extend(without.iter().map(|e| (&self.stages[e.position()].rule, FALSE | UNKNOWN)));
            match self.find_truths(searcher, &rules, now) {
                Found::Nothing => keep = without,
                _ => i += 1,
            }
        }
        keep
    }

    /// A record for which each rule takes one of its truths, checked with the real
    /// evaluator.
    fn find_truths(&self, searcher: &mut Searcher<'_>, rules: &[(&Rule, partial::Set)], now: DateTime<Utc>) -> Found {
        let question = Question { rules: rules.to_vec() };
        let mut check = |record: &Record| {
            rules.iter().all(|(rule, allowed)| partial::one(self.rule_truth(rule, record, now)) & allowed != 0)
        };
        searcher.find(&question, &mut check)
    }

    /// The truth of `rule` for `record`, with the record's criteria, qualification and score.
    pub(crate) fn rule_truth(&self, rule: &Rule, record: &Record, now: DateTime<Utc>) -> Truth {
        let prepared = self.prepare(record);
        let now = naive(now);
        let mut criteria = vec![Truth::Unknown; self.qualification.criteria.len()];
        let assessment = self.assess(&prepared, &mut criteria, now);
        let ctx: Context<'_> = self.context(&prepared, &criteria, assessment, now);
        rule.eval(&ctx)
    }
}
