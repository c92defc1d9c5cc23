//! [`MoveCase`] and [`moves`]: strategies of a stage and of a move between two stages with
//! the lead's record, to check moves against a definition's transitions.

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use super::{records, RecordMix};
use crate::{Definition, Record, StageIndex};

/// Any stage of `definition`, by index.
///
/// ```
/// use leadspec::testing::stage;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let d = leadspec::default_definition();
/// let index = stage(d).new_tree(&mut TestRunner::deterministic()).unwrap().current();
/// assert!(d.stage_at(index).is_some(), "an index of this definition");
/// ```
pub fn stage(definition: &Definition) -> BoxedStrategy<StageIndex> {
    let stages: Vec<StageIndex> = definition.stages().iter().map(|s| s.index()).collect();
    proptest::sample::select(stages).boxed()
}

/// A move to check: from one stage to another (possibly the same), with the lead's record.
#[derive(Clone, Debug, PartialEq)]
pub struct MoveCase {
    /// The stage the lead is in.
    pub from: StageIndex,
    /// The stage it is to move to.
    pub to: StageIndex,
    /// The lead.
    pub record: Record,
}

impl MoveCase {
    /// The ids of the two stages, for messages.
    ///
    /// ```
    /// use leadspec::{testing::MoveCase, Record};
    /// let d = leadspec::default_definition();
    /// let case = MoveCase {
    ///     from: d.stage_index("inquiry").unwrap(),
    ///     to: d.stage_index("prospect").unwrap(),
    ///     record: Record::new(),
    /// };
    /// assert_eq!(case.ids(d), ("inquiry", "prospect"));
    /// ```
    pub fn ids<'d>(&self, definition: &'d Definition) -> (&'d str, &'d str) {
        let id = |i: StageIndex| definition.stage_at(i).map_or("?", |s| s.id());
        (id(self.from), id(self.to))
    }
}

/// Moves between any two stages of `definition` (the same stage included), each with a
/// record drawn by `mix`.
///
/// ```
/// use leadspec::testing::{moves, RecordMix};
/// use leadspec::default_definition;
/// use proptest::test_runner::TestRunner;
///
/// let d = default_definition();
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// TestRunner::default()
///     .run(&moves(d, RecordMix::default()), |case| {
///         // Staying put is always allowed.
///         if case.from == case.to {
///             assert!(d.check_move(case.from, case.to, &case.record, now).is_allowed());
///         }
///         Ok(())
///     })
///     .unwrap();
/// ```
pub fn moves(definition: &Definition, mix: RecordMix) -> BoxedStrategy<MoveCase> {
    (stage(definition), stage(definition), records(definition, mix))
        .prop_map(|(from, to, record)| MoveCase { from, to, record })
        .boxed()
}
