//! Example coverage: the stages, transitions and criterion states that no `[[examples]]`
//! entry exercises, found by running the examples as `check` does.

use chrono::{DateTime, Utc};

use super::{CriterionFinding, Verdict};
use crate::definition::example::ExampleExpectation;
use crate::definition::StageIndex;
use crate::{Definition, Move, Truth};

/// What a definition's examples leave unexercised, in the order the definition declares
/// its stages, transitions and criteria.
///
/// An example exercises the stage its record is classified into and the state of each
/// criterion for its record (at its own `now`, or the analysis's); an example of a move
/// exercises the transition that allows it, or, when the move is refused, every transition
/// whose guard refused it. Criterion states the analysis proved impossible are not listed.
///
/// ```
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let d = leadspec::default_definition();
/// let coverage = d.analyze(now).coverage;
/// assert!(coverage.stages.is_empty()); // the default examples reach every stage
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// The stages no example's record is classified into.
    pub stages: Vec<StageIndex>,
    /// The positions of the transitions no example's move goes through.
    pub transitions: Vec<usize>,
    /// Each criterion (by position) and state that no example's record gives it.
    pub criteria: Vec<(usize, Truth)>,
}

const STATES: [Truth; 3] = [Truth::True, Truth::False, Truth::Unknown];

fn state_index(truth: Truth) -> usize {
    match truth {
        Truth::True => 0,
        Truth::False => 1,
        Truth::Unknown => 2,
    }
}

/// Runs the examples of `definition` and collects what they leave out.
pub(super) fn coverage(definition: &Definition, now: DateTime<Utc>, criteria: &[CriterionFinding]) -> Coverage {
    let mut stages = vec![false; definition.stages.len()];
    let mut transitions = vec![false; definition.transitions.len()];
    let mut states = vec![[false; 3]; definition.qualification.criteria.len()];
    for example in &definition.examples {
        let now = example.now.unwrap_or(now);
        let prepared = definition.prepare(&example.record);
        let result = definition.classify_own(&prepared, now);
        if let Some(stage) = result.stage_index() {
            stages[stage.position()] = true;
        }
        for (seen, &state) in states.iter_mut().zip(result.criterion_states()) {
            seen[state_index(state)] = true;
        }
        if let ExampleExpectation::Move { from, to, .. } = &example.expect {
            match definition.check_move_prepared(*from, *to, &prepared, now) {
                Move::Allowed { transition: Some(i), .. } => transitions[i] = true,
                Move::Allowed { .. } => {}
                Move::Refused(_) => {
                    for (i, t) in definition.transitions.iter().enumerate() {
                        if t.guard.is_some() && t.covers(*from, *to) {
                            transitions[i] = true;
                        }
                    }
                }
            }
        }
    }
    let possible = |criterion: usize, state: Truth| {
        criteria.get(criterion).is_none_or(|c| {
            let verdict = match state {
                Truth::True => &c.met,
                Truth::False => &c.not_met,
                Truth::Unknown => &c.unknown,
            };
            !matches!(verdict, Verdict::Never)
        })
    };
    Coverage {
        stages: definition.stages.iter().filter(|s| !stages[s.index.position()]).map(|s| s.index).collect(),
        transitions: (0..transitions.len()).filter(|&i| !transitions[i]).collect(),
        criteria: states
            .iter()
            .enumerate()
            .flat_map(|(i, seen)| STATES.into_iter().filter(move |&s| !seen[state_index(s)]).map(move |s| (i, s)))
            .filter(|&(i, s)| possible(i, s))
            .collect(),
    }
}
