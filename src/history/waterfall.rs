//! [`Waterfall`] and [`WaterfallCounter`]: conversion down the funnel, counted one change
//! at a time, keeping each lead's furthest step rather than its changes.

use super::ids::Ids;
use super::{stage_number, OutOfOrder, PushError, UnknownStage};
use crate::definition::StageIndex;
use crate::{Definition, SharedWord};

/// One step of the waterfall: a stage whose shared word is a funnel word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaterfallStep {
    /// The stage.
    pub stage: StageIndex,
    /// Its funnel word.
    pub shared: SharedWord,
    /// Leads whose history holds this stage or any later step.
    pub reached: usize,
    /// Leads that reached the next step (0 for the last).
    pub converted: usize,
}

/// Conversion down the funnel, counting skipped stages as passed through.
///
/// With the feature `serde`, `Definition::named(&waterfall)` serializes it as
/// `leadspec waterfall` prints it.
///
/// A lead that skipped a step counts as having passed through it:
///
/// ```
/// use leadspec::{default_definition, parse_reference_time, SharedWord, StageChange};
/// let d = default_definition();
/// let change = |lead: &str, stage: &str| StageChange {
///     lead: lead.into(),
///     stage: stage.into(),
///     at: parse_reference_time("2026-11-01").unwrap(),
/// };
/// let w = d.waterfall([change("L1", "contact"), change("L2", "proposal")]); // L2 skipped four steps
/// let steps: Vec<(SharedWord, usize, usize)> = w.steps.iter().map(|s| (s.shared, s.reached, s.converted)).collect();
/// assert_eq!(steps, [
///     (SharedWord::Contact, 2, 1),
///     (SharedWord::Inquiry, 1, 1),
///     (SharedWord::Sql, 1, 1),
///     (SharedWord::Opportunity, 1, 1),
///     (SharedWord::Proposal, 1, 0),
///     (SharedWord::Customer, 0, 0),
/// ]);
/// assert_eq!(w.leads, 2);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waterfall {
    /// Distinct leads with at least one readable change.
    pub leads: usize,
    /// Changes left out because they could not be read or named no stage: those in
    /// `unknown` for [`Definition::waterfall`], 0 from [`WaterfallCounter::finish`]. Whoever
    /// reads a history sets it to the lines it could not use, as `leadspec waterfall` does.
    pub unreadable: usize,
    /// The steps, in funnel-word order.
    pub steps: Vec<WaterfallStep>,
    /// Changes naming unknown stages.
    pub unknown: Vec<UnknownStage>,
}

/// Counts the waterfall one change at a time, in any order ([`WaterfallCounter::new`]:
/// the furthest step of each lead is kept, not its changes) or sorted by lead id
/// ([`WaterfallCounter::sorted`]: only the current lead's). Times play no part.
///
/// ```
/// use leadspec::WaterfallCounter;
/// let d = leadspec::default_definition();
/// let mut counter = WaterfallCounter::new(d);
/// for (lead, stage) in [("L2", "inquiry"), ("L1", "prospect"), ("L2", "contact")] {
///     counter.push(lead, d.find_stage(stage).unwrap()).unwrap();
/// }
/// let waterfall = counter.finish();
/// let reached: Vec<usize> = waterfall.steps.iter().map(|s| s.reached).collect();
/// assert_eq!(reached, [2, 2, 1, 1, 0, 0]); // contact, inquiry, qualified lead, prospect, ...
/// ```
#[derive(Clone, Debug)]
pub struct WaterfallCounter<'d> {
    definition: &'d Definition,
    /// The steps: stage and funnel word, in funnel-word order.
    steps: Vec<(StageIndex, SharedWord)>,
    /// For each stage, its step's position plus one (0: not a step).
    step_of: Vec<u32>,
    /// In any order, each lead id once.
    ids: Ids,
    /// In any order, each lead's furthest step plus one (0: none), by its number in `ids`.
    furthest: Vec<u32>,
    /// In sorted mode, the current lead and its furthest step plus one.
    current: Option<(String, u32)>,
    sorted: bool,
    /// Leads counted so far, per furthest step plus one.
    counts: Vec<usize>,
}

impl<'d> WaterfallCounter<'d> {
    /// A waterfall of changes in any order.
    pub fn new(definition: &'d Definition) -> Self {
        let mut steps: Vec<(usize, StageIndex, SharedWord)> = definition
            .stages
            .iter()
            .filter_map(|s| {
                let word = s.canonical?;
                word.funnel_position().map(|p| (p, s.index, word))
            })
            .collect();
        steps.sort_unstable();
        let mut step_of = vec![0u32; definition.stages.len()];
        for (k, &(_, stage, _)) in steps.iter().enumerate() {
            step_of[stage.position()] = k as u32 + 1;
        }
        WaterfallCounter {
            definition,
            counts: vec![0; steps.len() + 1],
            steps: steps.into_iter().map(|(_, stage, word)| (stage, word)).collect(),
            step_of,
            ids: Ids::default(),
            furthest: Vec::new(),
            current: None,
            sorted: false,
        }
    }

    /// A waterfall of changes sorted by lead id (byte order).
    pub fn sorted(definition: &'d Definition) -> Self {
        WaterfallCounter { sorted: true, ..WaterfallCounter::new(definition) }
    }

    /// Adds one change: lead `lead` entered stage `stage`.
    ///
    /// # Errors
    ///
    /// In sorted mode, [`PushError::OutOfOrder`] when `lead` sorts before the lead of the
    /// previous change; [`PushError::ForeignStage`] for a stage index of another
    /// definition (either way, the change is left out).
    pub fn push(&mut self, lead: &str, stage: StageIndex) -> Result<(), PushError> {
        let step = self.step_of[stage_number(self.definition, stage)? as usize];
        if !self.sorted {
            let n = self.ids.number(lead) as usize;
            if n == self.furthest.len() {
                self.furthest.push(step);
            }
            self.furthest[n] = self.furthest[n].max(step);
            return Ok(());
        }
        if let Some((current, furthest)) = &mut self.current {
            if current == lead {
                *furthest = (*furthest).max(step);
                return Ok(());
            }
            if current.as_str() > lead {
                return Err(OutOfOrder { previous: current.clone(), lead: lead.to_string() }.into());
            }
        }
        if let Some((_, furthest)) = self.current.replace((lead.to_string(), step)) {
            self.counts[furthest as usize] += 1;
        }
        Ok(())
    }

    /// The waterfall of every change pushed.
    pub fn finish(mut self) -> Waterfall {
        if let Some((_, furthest)) = self.current.take() {
            self.counts[furthest as usize] += 1;
        }
        for &furthest in &self.furthest {
            self.counts[furthest as usize] += 1;
        }
        let leads = self.counts.iter().sum();
        // A lead whose furthest step is k has reached every step up to k.
        let mut reached = vec![0usize; self.steps.len()];
        let mut beyond = 0;
        for k in (0..self.steps.len()).rev() {
            beyond += self.counts[k + 1];
            reached[k] = beyond;
        }
        let steps = self
            .steps
            .iter()
            .enumerate()
            .map(|(k, &(stage, shared))| WaterfallStep {
                stage,
                shared,
                reached: reached[k],
                converted: reached.get(k + 1).copied().unwrap_or(0),
            })
            .collect();
        Waterfall { leads, unreadable: 0, steps, unknown: Vec::new() }
    }
}
