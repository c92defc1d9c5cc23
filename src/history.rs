//! Stage histories: replaying stage changes into stays, SLA breaches, and the waterfall.
//!
//! Changes may come in any order; they are grouped by lead and sorted by time (ties by
//! funnel order), so the result never depends on input order. Consecutive changes to the
//! same stage are one stay. A stay still open at the reference time runs until then.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::definition::StageIndex;
use crate::{Definition, SharedWord};

/// One line of a history: lead `lead` entered stage `stage` at `at`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageChange {
    /// The lead's id.
    pub lead: String,
    /// The stage id entered, as written.
    pub stage: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A continuous time a lead spent in one stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stay {
    /// The lead's id.
    pub lead: String,
    /// The stage.
    pub stage: StageIndex,
    /// When the lead entered it.
    pub entered: DateTime<Utc>,
    /// When it left, or `None` while it is still there at the reference time.
    pub left: Option<DateTime<Utc>>,
    /// Seconds spent: until `left`, or until the reference time (never negative).
    pub spent_seconds: i64,
}

/// A stay longer than its stage's `sla`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Breach {
    /// The stay.
    pub stay: Stay,
    /// The stage's limit, in seconds.
    pub limit_seconds: i64,
}

/// A history change that names a stage the definition lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownStage {
    /// 0-based position of the change in the input.
    pub position: usize,
    /// The change.
    pub change: StageChange,
}

/// The result of replaying a history.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Replay {
    /// Every stay, ordered by lead id, then by entry time.
    pub stays: Vec<Stay>,
    /// Changes naming unknown stages (reported, not replayed).
    pub unknown: Vec<UnknownStage>,
}

impl Replay {
    /// The stays longer than their stage's `sla` (strictly), in the order of `stays`.
    pub fn breaches(&self, definition: &Definition) -> Vec<Breach> {
        self.stays
            .iter()
            .filter_map(|stay| {
                let limit = definition.stages[stay.stage].sla_seconds?;
                (stay.spent_seconds > limit).then(|| Breach { stay: stay.clone(), limit_seconds: limit })
            })
            .collect()
    }
}

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waterfall {
    /// Distinct leads with at least one readable change.
    pub leads: usize,
    /// The steps, in funnel-word order.
    pub steps: Vec<WaterfallStep>,
    /// Changes naming unknown stages.
    pub unknown: Vec<UnknownStage>,
}

impl Definition {
    /// Replays stage changes, given in any order, into stays per lead, as of `now`.
    ///
    /// The replay is what was known at `now`: changes dated after it are left out, so a
    /// lead whose next change lies after `now` is still in its stage (`left` is `None`),
    /// and a stay that had not begun by then is not reported.
    ///
    /// ```
    /// use leadspec::{default_definition, parse_reference_time, StageChange};
    /// let d = default_definition();
    /// let at = |t: &str| parse_reference_time(t).unwrap();
    /// let change = |stage: &str, t: &str| StageChange { lead: "L1".into(), stage: stage.into(), at: at(t) };
    /// let history = [change("contact", "2026-11-01"), change("inquiry", "2026-11-10")];
    /// let replay = d.replay(history, at("2026-11-05"));
    /// assert_eq!(replay.stays.len(), 1); // the inquiry had not happened yet
    /// assert_eq!(replay.stays[0].left, None);
    /// assert_eq!(replay.stays[0].spent_seconds, 4 * 86_400);
    /// ```
    pub fn replay<I>(&self, changes: I, now: DateTime<Utc>) -> Replay
    where
        I: IntoIterator<Item = StageChange>,
    {
        let (by_lead, unknown) = self.group(changes);
        let mut stays = Vec::new();
        for (lead, mut changes) in by_lead {
            changes.retain(|&(at, _)| at <= now);
            changes.sort_unstable();
            changes.dedup();
            let mut i = 0;
            while i < changes.len() {
                let (entered, stage) = changes[i];
                let mut j = i + 1;
                while j < changes.len() && changes[j].1 == stage {
                    j += 1;
                }
                let left = changes.get(j).map(|&(at, _)| at);
                let until = left.unwrap_or(now);
                let spent_seconds = (until - entered).num_seconds().max(0);
                stays.push(Stay { lead: lead.clone(), stage, entered, left, spent_seconds });
                i = j;
            }
        }
        Replay { stays, unknown }
    }

    /// The waterfall of stage histories (see the module docs of [`crate::history`]).
    pub fn waterfall<I>(&self, changes: I) -> Waterfall
    where
        I: IntoIterator<Item = StageChange>,
    {
        let mut steps: Vec<(usize, StageIndex, SharedWord)> = self
            .stages
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let word = s.canonical?;
                word.funnel_position().map(|p| (p, i, word))
            })
            .collect();
        steps.sort_unstable();
        let (by_lead, unknown) = self.group(changes);
        let mut reached = vec![0usize; steps.len()];
        for changes in by_lead.values() {
            let furthest =
                changes.iter().filter_map(|&(_, stage)| steps.iter().position(|&(_, s, _)| s == stage)).max();
            if let Some(furthest) = furthest {
                for count in &mut reached[..=furthest] {
                    *count += 1;
                }
            }
        }
        let steps = steps
            .iter()
            .enumerate()
            .map(|(k, &(_, stage, shared))| WaterfallStep {
                stage,
                shared,
                reached: reached[k],
                converted: reached.get(k + 1).copied().unwrap_or(0),
            })
            .collect();
        Waterfall { leads: by_lead.len(), steps, unknown }
    }

    /// Groups changes by lead, resolving stage ids; unknown stages are set aside.
    #[allow(clippy::type_complexity)]
    fn group<I>(&self, changes: I) -> (BTreeMap<String, Vec<(DateTime<Utc>, StageIndex)>>, Vec<UnknownStage>)
    where
        I: IntoIterator<Item = StageChange>,
    {
        let mut by_lead: BTreeMap<String, Vec<(DateTime<Utc>, StageIndex)>> = BTreeMap::new();
        let mut unknown = Vec::new();
        for (position, change) in changes.into_iter().enumerate() {
            match self.stage_index(&change.stage) {
                Some(stage) => by_lead.entry(change.lead).or_default().push((change.at, stage)),
                None => unknown.push(UnknownStage { position, change }),
            }
        }
        (by_lead, unknown)
    }
}
