//! The definition compiled into one program: every criterion, scoring rule, stage rule and
//! transition guard lowered into one contiguous list of nodes (see `crate::rule::program`).
//!
//! The stages are one chain: each stage's rule, asked whether it is true, continues to
//! the end numbered by its place in classification order when it is, and to the next
//! stage's rule when not; so finding a lead's stage is one run. The criteria, the
//! qualification and the score are computed the first time a rule reads one and
//! remembered for the rest of the record ([`Lazy`]), then completed for a full
//! classification.

use super::{Requirement, Scoring, StageIndex};
use crate::rule::{end, run, Clock, Derived, Next, Node, Underived};
use crate::{Prepared, Truth};

/// The ends of a criterion's rule, by its truth: `end(0)` false, `end(1)` unknown,
/// `end(2)` true.
const BY_TRUTH: Next = [end(0), end(1), end(2)];
/// The ends of a rule asked whether it is true: `end(1)` when it is, `end(0)` when not.
const WHEN_TRUE: Next = [end(0), end(0), end(1)];
/// The ends of a rule asked whether it is false: `end(1)` when it is, `end(0)` when not.
const WHEN_FALSE: Next = [end(1), end(0), end(0)];
/// Where a rule that could not be lowered starts: the end that means "no" (never used:
/// a rule asked only whether it is true, or only whether it is false, lowers to one
/// node a leaf, within any limit).
const NONE: u32 = end(0);

/// How a criterion's rule runs.
#[derive(Clone, Copy, Debug)]
enum Criterion {
    /// Once, ending at `end(t)` for its truth `t`.
    Exact(u32),
    /// Twice at most, for a rule whose three outcomes would take too many nodes: asked
    /// whether it is true, then whether it is false.
    Split { is_true: u32, is_false: u32 },
}

/// A definition's rules as one program.
#[derive(Clone, Debug)]
pub(crate) struct Program {
    nodes: Vec<Node>,
    /// How each criterion's rule runs.
    criteria: Vec<Criterion>,
    /// Where each scoring rule starts, and its points.
    scoring: Vec<(u32, i64)>,
    /// Where the chain of stages starts; it ends at `end(k + 1)` for the `k`th stage of
    /// `order`, at `end(0)` when no stage matches.
    stages: u32,
    /// The stages in classification order.
    order: Vec<StageIndex>,
    /// Where each transition's guard starts (an unguarded transition's is the end "yes").
    guards: Vec<u32>,
    require: Requirement,
    /// The score's bounds, with `[scoring]`.
    clamp: Option<(Option<i64>, Option<i64>)>,
}

impl Program {
    /// The program of a loaded definition's rules.
    pub(crate) fn new(definition: &super::Definition) -> Program {
        let mut nodes = Vec::new();
        let criteria = definition
            .qualification
            .criteria
            .iter()
            .map(|c| match c.rule.lower(BY_TRUTH, &mut nodes) {
                Some(start) => Criterion::Exact(start),
                None => Criterion::Split {
                    is_true: c.rule.lower(WHEN_TRUE, &mut nodes).unwrap_or(NONE),
                    is_false: c.rule.lower(WHEN_FALSE, &mut nodes).unwrap_or(NONE),
                },
            })
            .collect();
        let scoring = definition
            .scoring
            .iter()
            .flat_map(|s| &s.rules)
            .map(|r| (r.rule.lower(WHEN_TRUE, &mut nodes).unwrap_or(NONE), r.points))
            .collect();
        let order = definition.order.clone();
        let mut stages = end(0);
        for (k, &i) in order.iter().enumerate().rev() {
            let matched = end(u32::try_from(k + 1).unwrap_or(u32::MAX));
            stages = definition.stages[i.position()].rule.lower([stages, stages, matched], &mut nodes).unwrap_or(NONE);
        }
        let guards = definition
            .transitions
            .iter()
            .map(|t| t.guard.as_ref().map_or(end(1), |g| g.lower(WHEN_TRUE, &mut nodes).unwrap_or(NONE)))
            .collect();
        Program {
            nodes,
            criteria,
            scoring,
            stages,
            order,
            guards,
            require: definition.qualification.require,
            clamp: definition.scoring.as_ref().map(|s| (s.min, s.max)),
        }
    }

    /// The program of no rules, until the definition's are compiled.
    pub(crate) fn empty() -> Program {
        Program {
            nodes: Vec::new(),
            criteria: Vec::new(),
            scoring: Vec::new(),
            stages: end(0),
            order: Vec::new(),
            guards: Vec::new(),
            require: Requirement::All,
            clamp: None,
        }
    }

    /// Whether the guard of transition `i` holds (an unguarded one always does).
    pub(crate) fn guard_holds(&self, i: usize, lazy: &mut Lazy<'_>) -> bool {
        self.guards.get(i).is_some_and(|&start| lazy.run(start) == 1)
    }

    /// The number of criteria.
    pub(crate) fn criteria(&self) -> usize {
        self.criteria.len()
    }

    /// The first stage, in classification order, whose rule is true.
    #[inline]
    pub(crate) fn stage(&self, lazy: &mut Lazy<'_>) -> Option<StageIndex> {
        let k = lazy.run(self.stages);
        k.checked_sub(1).and_then(|k| self.order.get(k as usize)).copied()
    }
}

/// The derived values of one record, computed on demand from the program.
pub(crate) struct Lazy<'a> {
    program: &'a Program,
    record: &'a Prepared,
    clock: Clock,
    /// Each criterion's state, valid where its bit in `known` is set.
    states: &'a mut [Truth],
    known: &'a mut [u64],
    qualified: Option<Truth>,
    score: Option<i64>,
}

impl<'a> Lazy<'a> {
    /// Nothing derived yet. `states` holds one entry per criterion, `known` one bit (see
    /// [`known_words`]).
    pub(crate) fn new(
        program: &'a Program,
        record: &'a Prepared,
        clock: Clock,
        states: &'a mut [Truth],
        known: &'a mut [u64],
    ) -> Lazy<'a> {
        known.fill(0);
        Lazy { program, record, clock, states, known, qualified: None, score: None }
    }

    /// Every derived value, computed where it was not yet: the criteria's states (in
    /// `states`), the qualification and the score (0 without `[scoring]`).
    pub(crate) fn finish(&mut self) -> (Truth, i64) {
        let qualified = self.qualified();
        let score = if self.program.clamp.is_some() { self.score() } else { 0 };
        (qualified, score)
    }
}

impl Lazy<'_> {
    /// Runs the program from the node at `start` for this record, reading derived values
    /// from (and into) this memo; the number of the end it reaches.
    #[inline]
    fn run(&mut self, start: u32) -> u32 {
        let (program, record, clock) = (self.program, self.record, self.clock);
        run(&program.nodes, start, record, clock, self)
    }

    /// Evaluates criterion `i` (known to exist and not yet evaluated) and remembers it.
    #[inline(never)]
    fn evaluate(&mut self, i: usize) -> Truth {
        let Some(&criterion) = self.program.criteria.get(i) else { return Truth::Unknown };
        let nodes = &self.program.nodes;
        let truth = match criterion {
            Criterion::Exact(start) => match run(nodes, start, self.record, self.clock, &mut Underived) {
                2 => Truth::True,
                1 => Truth::Unknown,
                _ => Truth::False,
            },
            Criterion::Split { is_true, is_false } => {
                if run(nodes, is_true, self.record, self.clock, &mut Underived) == 1 {
                    Truth::True
                } else if run(nodes, is_false, self.record, self.clock, &mut Underived) == 1 {
                    Truth::False
                } else {
                    Truth::Unknown
                }
            }
        };
        if let (Some(state), Some(word)) = (self.states.get_mut(i), self.known.get_mut(i / 64)) {
            *state = truth;
            *word |= 1 << (i % 64);
        }
        truth
    }
}

/// The number of `u64` words that hold a bit for each of `criteria`.
pub(crate) fn known_words(criteria: usize) -> usize {
    criteria.div_ceil(64)
}

impl Derived for Lazy<'_> {
    #[inline]
    fn criterion(&mut self, i: usize) -> Truth {
        match self.known.get(i / 64) {
            Some(word) if word & (1 << (i % 64)) != 0 => self.states[i],
            _ => self.evaluate(i),
        }
    }

    fn qualified(&mut self) -> Truth {
        if let Some(q) = self.qualified {
            return q;
        }
        for i in 0..self.program.criteria.len() {
            self.criterion(i);
        }
        let q = self.program.require.combine(self.states);
        self.qualified = Some(q);
        q
    }

    fn score(&mut self) -> i64 {
        if let Some(s) = self.score {
            return s;
        }
        // Scoring rules may not read the score: the placeholder only guards the recursion.
        self.score = Some(0);
        let program = self.program;
        let mut sum = 0i64;
        for &(start, points) in &program.scoring {
            if self.run(start) == 1 {
                sum = sum.saturating_add(points);
            }
        }
        let (min, max) = program.clamp.unwrap_or((None, None));
        let score = Scoring::clamp_between(min, max, sum);
        self.score = Some(score);
        score
    }

    fn all(&mut self) -> (&[Truth], Truth, i64) {
        let qualified = self.qualified();
        let score = self.score();
        (self.states, qualified, score)
    }
}

#[cfg(test)]
mod tests {
    use crate::{rule::Context, Definition, Record, Truth};

    /// A definition of three boolean fields and one criterion `k`.
    fn with_criterion(rule: &str) -> Definition {
        let text = format!(
            "[definition]\nname = \"p\"\n[teams]\nt = \"T\"\n[fields]\na = \"boolean\"\nb = \"boolean\"\nc = \"boolean\"\n\
             [qualification.criteria]\nk = \"{rule}\"\n[[stages]]\nid = \"s\"\nowner = \"t\"\nwhen = \"criteria.k\"\n"
        );
        Definition::from_toml(&text).unwrap()
    }

    /// Every record of the three fields true, false or missing.
    fn records() -> Vec<Record> {
        let values = [Some(true), Some(false), None];
        let mut records = Vec::new();
        for a in values {
            for b in values {
                for c in values {
                    let mut r = Record::new();
                    for (field, value) in [("a", a), ("b", b), ("c", c)] {
                        if let Some(v) = value {
                            r.insert(field, v);
                        }
                    }
                    records.push(r);
                }
            }
        }
        records
    }

    fn agree(definition: &Definition) {
        let now = crate::parse_reference_time("2026-11-22").unwrap();
        for record in records() {
            let prepared = definition.prepare(&record);
            let ctx = Context::new(&prepared, &[], Truth::Unknown, 0, now.naive_utc());
            let tree = definition.qualification.criteria[0].rule.eval(&ctx);
            let program = definition.classify_prepared(&prepared, now).unwrap().criterion_states()[0];
            assert_eq!(program, tree, "{record:?}");
        }
    }

    #[test]
    fn a_criterion_lowers_for_its_three_outcomes_with_copies_only_after_unknown() {
        let d = with_criterion("a and b and c");
        // Three leaves asked for all three outcomes: `b` and `c` copied once for the runs
        // after an unknown operand; then the stage's one node.
        assert_eq!(d.program.nodes.len(), 5 + 1);
        agree(&d);
        agree(&with_criterion("a or not b or (c and a)"));
        agree(&with_criterion("not (a and (b or not c))"));
    }

    #[test]
    fn a_criterion_too_deep_to_copy_is_asked_twice_instead() {
        // Alternating `and` and `or` forty deep, each holding the rest as its last operand,
        // would copy the rest twice at every level: 2^40 times.
        let mut rule = "a".to_string();
        for i in 0..40 {
            let (op, leaf) = if i % 2 == 0 { ("and", "b") } else { ("or", "c") };
            rule = format!("{leaf} {op} ({rule})");
        }
        let d = with_criterion(&rule);
        assert!(matches!(d.program.criteria[0], super::Criterion::Split { .. }));
        assert!(d.program.nodes.len() <= 2 * 41 + 1, "{}", d.program.nodes.len());
        agree(&d);
    }
}
