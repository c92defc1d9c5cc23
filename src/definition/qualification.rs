//! What makes a lead good: the qualification framework ([`Qualification`], its
//! [`Criterion`]s and the [`Requirement`] saying how many must be met) and lead scoring
//! ([`Scoring`] and its [`ScoringRule`]s).
//!
//! These are plain data, read by the loader (`load/qualification.rs`); the two small
//! computations that belong to them live here too: [`Requirement::combine`] turns criterion
//! states into the qualification state, and [`Scoring::clamp`] bounds a score. Evaluating
//! the rules against a record is classification's work.

use crate::rule::Rule;
use crate::Truth;

/// How many criteria must be met for a lead to be qualified: the `require` key of
/// `[qualification]`, `"all"`, `"any"` or a number.
///
/// ```
/// use leadspec::Requirement;
/// assert_eq!(leadspec::default_definition().qualification().require(), Requirement::All);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// Every criterion (Kleene `and`); the default.
    All,
    /// At least one criterion (Kleene `or`).
    Any,
    /// At least N criteria: met when N are met, not met when fewer than N could still be met,
    /// unknown otherwise.
    AtLeast(usize),
}

impl Requirement {
    /// The qualification state for these criterion states.
    ///
    /// ```
    /// use leadspec::{Requirement, Truth::*};
    /// assert_eq!(Requirement::All.combine(&[True, Unknown]), Unknown);
    /// assert_eq!(Requirement::Any.combine(&[False, True]), True);
    /// assert_eq!(Requirement::AtLeast(2).combine(&[True, Unknown, False]), Unknown);
    /// assert_eq!(Requirement::AtLeast(2).combine(&[True, False, False]), False);
    /// ```
    pub fn combine(self, states: &[Truth]) -> Truth {
        match self {
            Requirement::All => states.iter().fold(Truth::True, |acc, &s| acc.and(s)),
            Requirement::Any => states.iter().fold(Truth::False, |acc, &s| acc.or(s)),
            Requirement::AtLeast(n) => {
                let met = states.iter().filter(|&&s| s == Truth::True).count();
                let possible = states.iter().filter(|&&s| s != Truth::False).count();
                if met >= n {
                    Truth::True
                } else if possible < n {
                    Truth::False
                } else {
                    Truth::Unknown
                }
            }
        }
    }
}

/// One qualification criterion, such as BANT's `budget`.
///
/// ```
/// let d = leadspec::default_definition();
/// let budget = &d.qualification().criteria()[0];
/// assert_eq!(budget.id(), "budget");
/// assert_eq!(budget.rule().text(), "budget >= 10_000");
/// assert_eq!(budget.ask(), Some("Is money set aside for this, and roughly how much?"));
/// ```
#[derive(Clone, Debug)]
pub struct Criterion {
    pub(crate) id: String,
    pub(crate) rule: Rule,
    pub(crate) ask: Option<String>,
}

impl Criterion {
    /// The criterion id, as rules name it in `criteria.<id>`.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Its rule.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }
    /// The question to ask while it is unknown, if the definition gives one.
    pub fn ask(&self) -> Option<&str> {
        self.ask.as_deref()
    }
}

/// The qualification framework: its criteria and how many must be met.
///
/// ```
/// use leadspec::Requirement;
/// let d = leadspec::Definition::from_toml(r#"
///     [definition]
///     name = "Two of three"
///     [teams]
///     s = "Sales"
///     [fields]
///     budget = "number"
///     seats = "number"
///     champion = "boolean"
///     [qualification]
///     framework = "Our own"
///     require = 2
///     [qualification.criteria]
///     budget = "budget >= 5000"
///     size = "seats >= 10"
///     champion = "champion == true"
///     [[stages]]
///     id = "qualified"
///     owner = "s"
///     when = "qualified"
/// "#)?;
/// let q = d.qualification();
/// assert_eq!((q.framework(), q.require()), ("Our own", Requirement::AtLeast(2)));
/// let ids: Vec<&str> = q.criteria().iter().map(|c| c.id()).collect();
/// assert_eq!(ids, ["budget", "size", "champion"]);
///
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let lead = leadspec::Record::new().with("budget", 8000).with("seats", 40);
/// assert_eq!(d.classify(&lead, now).stage().map(|s| s.id()), Some("qualified"));
/// # Ok::<(), leadspec::LoadError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Qualification {
    pub(crate) framework: String,
    pub(crate) require: Requirement,
    pub(crate) criteria: Vec<Criterion>,
}

impl Qualification {
    /// The framework's display name (default `BANT`).
    pub fn framework(&self) -> &str {
        &self.framework
    }
    /// How many criteria must be met.
    pub fn require(&self) -> Requirement {
        self.require
    }
    /// The criteria, in the order written.
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }
}

/// One points rule of `[scoring]` (see [`Scoring`] for an example).
#[derive(Clone, Debug)]
pub struct ScoringRule {
    pub(crate) name: Option<String>,
    pub(crate) rule: Rule,
    pub(crate) points: i64,
}

impl ScoringRule {
    /// The label shown by `explain`, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    /// The condition.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }
    /// Points added when the condition is true (may be negative).
    pub fn points(&self) -> i64 {
        self.points
    }
}

/// Lead scoring: the sum of the points of the rules that are true, clamped.
///
/// ```
/// let d = leadspec::Definition::from_path("examples/definitions/crm_export.toml")?;
/// let scoring = d.scoring().unwrap();
/// assert_eq!((scoring.min(), scoring.max()), (Some(0), Some(100)));
/// let first = &scoring.rules()[0];
/// assert_eq!(first.name(), Some("Asked for pricing or a demo"));
/// assert_eq!(first.points(), 30);
/// assert_eq!(first.rule().text(), "interests contains 'pricing' or interests contains 'demo'");
/// assert_eq!((scoring.clamp(-20), scoring.clamp(45), scoring.clamp(130)), (0, 45, 100));
/// # Ok::<(), leadspec::FileError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Scoring {
    pub(crate) min: Option<i64>,
    pub(crate) max: Option<i64>,
    pub(crate) rules: Vec<ScoringRule>,
}

impl Scoring {
    /// The lower clamp, if any.
    pub fn min(&self) -> Option<i64> {
        self.min
    }
    /// The upper clamp, if any.
    pub fn max(&self) -> Option<i64> {
        self.max
    }
    /// The rules, in the order written.
    pub fn rules(&self) -> &[ScoringRule] {
        &self.rules
    }
    /// Clamps a raw sum to `[min, max]`.
    pub fn clamp(&self, sum: i64) -> i64 {
        Scoring::clamp_between(self.min, self.max, sum)
    }

    /// Clamps a raw sum to `[min, max]`, each bound where given.
    pub(crate) fn clamp_between(min: Option<i64>, max: Option<i64>, sum: i64) -> i64 {
        let sum = min.map_or(sum, |m| sum.max(m));
        max.map_or(sum, |m| sum.min(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Truth::{False, True, Unknown};

    #[test]
    fn no_criteria_qualify_under_all_and_at_least_zero_but_not_under_any() {
        assert_eq!(Requirement::All.combine(&[]), True);
        assert_eq!(Requirement::AtLeast(0).combine(&[]), True);
        assert_eq!(Requirement::Any.combine(&[]), False);
        assert_eq!(Requirement::AtLeast(1).combine(&[]), False);
    }

    #[test]
    fn all_and_any_follow_kleene() {
        assert_eq!(Requirement::All.combine(&[True, Unknown, False]), False);
        assert_eq!(Requirement::All.combine(&[True, True]), True);
        assert_eq!(Requirement::Any.combine(&[False, Unknown]), Unknown);
        assert_eq!(Requirement::Any.combine(&[Unknown, True]), True);
    }

    #[test]
    fn at_least_is_unknown_while_the_unknowns_could_still_reach_it() {
        assert_eq!(Requirement::AtLeast(2).combine(&[True, True, Unknown]), True);
        assert_eq!(Requirement::AtLeast(2).combine(&[Unknown, Unknown, False]), Unknown);
        assert_eq!(Requirement::AtLeast(3).combine(&[True, Unknown, False]), False);
        assert_eq!(Requirement::AtLeast(4).combine(&[True, True, True]), False, "more than there are criteria");
    }

    #[test]
    fn clamp_bounds_the_sum_on_the_sides_given() {
        let scoring = |min, max| Scoring { min, max, rules: Vec::new() };
        assert_eq!(scoring(None, None).clamp(-7), -7);
        assert_eq!(scoring(Some(0), None).clamp(-7), 0);
        assert_eq!(scoring(None, Some(100)).clamp(250), 100);
        assert_eq!(scoring(Some(0), Some(100)).clamp(42), 42);
        assert_eq!(scoring(Some(0), Some(100)).clamp(i64::MIN), 0);
    }
}
