//! [`HistoryShape`] and [`histories`]: strategies of stage histories, the changes of
//! several leads in time order, lead by lead or shuffled.

use std::ops::RangeInclusive;

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::BoxedStrategy;

use crate::{Definition, StageChange};

/// Which stages a generated history walks through.
///
/// ```
/// use leadspec::testing::{histories, HistoryShape, StagePath};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let d = leadspec::default_definition();
/// let shape = HistoryShape { leads: 1..=1, path: StagePath::Declared, ..HistoryShape::default() };
/// let history = histories(d, shape).new_tree(&mut TestRunner::deterministic()).unwrap().current();
/// // Every move of the one lead is one a declared transition covers.
/// for pair in history.windows(2) {
///     let (from, to) = (d.stage_index(&pair[0].stage).unwrap(), d.stage_index(&pair[1].stage).unwrap());
///     assert!(d.transitions().iter().any(|t| t.covers(from, to)), "{} -> {}", pair[0].stage, pair[1].stage);
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum StagePath {
    /// Any stage after any other.
    #[default]
    Any,
    /// Only moves some declared transition covers (guards not checked); a lead stops in a
    /// stage no transition leaves. Without transitions every move is declared.
    Declared,
}

/// The order in which a generated history lists its changes.
///
/// ```
/// use leadspec::testing::{histories, ChangeOrder, HistoryShape};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let d = leadspec::default_definition();
/// let shape = HistoryShape { order: ChangeOrder::ByTime, ..HistoryShape::default() };
/// let history = histories(d, shape).new_tree(&mut TestRunner::deterministic()).unwrap().current();
/// assert!(history.windows(2).all(|p| p[0].at <= p[1].at), "in time order");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ChangeOrder {
    /// By time, all leads interleaved (ties by lead id).
    #[default]
    ByTime,
    /// Lead by lead, each lead's changes by time.
    ByLead,
    /// Shuffled: the order a replay must not depend on.
    Shuffled,
}

/// The shape of the histories [`histories`] generates.
///
/// ```
/// use leadspec::testing::{ChangeOrder, HistoryShape, StagePath};
/// let shape = HistoryShape { leads: 2..=3, path: StagePath::Declared, order: ChangeOrder::Shuffled, ..HistoryShape::default() };
/// assert_eq!(shape.changes_per_lead, 1..=6);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryShape {
    /// How many leads (ids `L1`, `L2`, ...). Default `1..=5`.
    pub leads: RangeInclusive<usize>,
    /// How many stage changes each lead has. Default `1..=6`.
    pub changes_per_lead: RangeInclusive<usize>,
    /// No change is earlier than this. Default 2026-01-01T00:00:00Z.
    pub start: DateTime<Utc>,
    /// The longest gap between a lead's consecutive changes (and before its first), in
    /// seconds; gaps of 0 (two changes at the same instant) happen too. Default 30 days.
    pub max_gap_seconds: i64,
    /// Which stages follow which. Default [`StagePath::Any`].
    pub path: StagePath,
    /// The order of the changes. Default [`ChangeOrder::ByTime`].
    pub order: ChangeOrder,
}

impl Default for HistoryShape {
    fn default() -> Self {
        HistoryShape {
            leads: 1..=5,
            changes_per_lead: 1..=6,
            start: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("a valid time"),
            max_gap_seconds: 30 * 86_400,
            path: StagePath::Any,
            order: ChangeOrder::ByTime,
        }
    }
}

/// Stage histories over `definition`'s stages: the changes of several leads, each lead's in
/// increasing time (ties possible), listed in the order `shape.order` asks for.
///
/// ```
/// use leadspec::testing::{histories, ChangeOrder, HistoryShape};
/// use leadspec::default_definition;
/// use proptest::test_runner::TestRunner;
///
/// let d = default_definition();
/// let now = leadspec::parse_reference_time("2027-01-01").unwrap();
/// let shuffled = histories(d, HistoryShape { order: ChangeOrder::Shuffled, ..HistoryShape::default() });
/// TestRunner::default()
///     .run(&shuffled, |changes| {
///         let mut sorted = changes.clone();
///         sorted.sort_by(|a, b| (a.at, &a.lead).cmp(&(b.at, &b.lead)));
///         // Replaying does not depend on the order of the input.
///         assert_eq!(d.replay(changes, now), d.replay(sorted, now));
///         Ok(())
///     })
///     .unwrap();
/// ```
pub fn histories(definition: &Definition, shape: HistoryShape) -> BoxedStrategy<Vec<StageChange>> {
    let ids: Vec<String> = definition.stages().iter().map(|s| s.id().to_string()).collect();
    let count = ids.len();
    let targets: Vec<Vec<usize>> = definition
        .stages()
        .iter()
        .map(|from| match shape.path {
            StagePath::Any => (0..count).filter(|&to| to != from.index().position()).collect(),
            StagePath::Declared => definition.targets_from(from.index()).iter().map(|to| to.position()).collect(),
        })
        .collect();
    let max_gap = shape.max_gap_seconds.max(0);
    let start = shape.start;
    let order = shape.order;
    let lead = vec((any::<Index>(), 0..=max_gap), shape.changes_per_lead.clone());
    let generated = vec(lead, shape.leads.clone()).prop_map(move |leads| {
        let mut changes = Vec::new();
        for (n, steps) in leads.iter().enumerate() {
            let lead = format!("L{}", n + 1);
            let mut at = start;
            let mut current: Option<usize> = None;
            for (choice, gap) in steps {
                at += Duration::seconds(*gap);
                let next = match current {
                    None => choice.index(count),
                    Some(from) if targets[from].is_empty() => break,
                    Some(from) => *choice.get(&targets[from]),
                };
                changes.push(StageChange { lead: lead.clone(), stage: ids[next].clone(), at });
                current = Some(next);
            }
        }
        if order == ChangeOrder::ByTime {
            changes.sort_by(|a, b| (a.at, &a.lead).cmp(&(b.at, &b.lead)));
        }
        changes
    });
    match order {
        ChangeOrder::Shuffled => generated.prop_shuffle().boxed(),
        ChangeOrder::ByTime | ChangeOrder::ByLead => generated.boxed(),
    }
}
