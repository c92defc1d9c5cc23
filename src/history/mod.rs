//! Stage histories: replaying stage changes into stays, SLA breaches and their summary per
//! stage and team, and the waterfall.
//!
//! How changes are read, ordered and counted is documented on [`Replayer`]. This file holds
//! what a history is made of (changes, stays, breaches, the replay) and the entry points on
//! [`Definition`]; each step has its own file:
//!
//! - `replayer.rs`: [`Replayer`] and [`Stays`], replaying changes one at a time, each kept
//!   compactly;
//! - `ids.rs`: the lead ids, each kept once, that a replayer and a waterfall counter share;
//! - `sla.rs`: [`SlaCounts`] and [`SlaSummary`], stays and breaches per stage and team;
//! - `waterfall.rs`: [`Waterfall`] and [`WaterfallCounter`], conversion down the funnel;
//! - `words.rs`: [`StageWords`], stage words resolved once.

use chrono::{DateTime, Utc};

use crate::definition::StageIndex;
use crate::Definition;

mod ids;
#[cfg(any(feature = "serde", feature = "read"))]
pub(crate) mod line;
mod replayer;
mod sla;
mod waterfall;
mod words;

pub use replayer::{Replayer, Stays};
pub use sla::{SlaCounts, SlaSummary};
pub use waterfall::{Waterfall, WaterfallCounter, WaterfallStep};
pub use words::StageWords;

/// One line of a history: lead `lead` entered stage `stage` at `at`.
///
/// With the feature `serde`, it is read from and written as a history line,
/// `{"id":"L1","stage":"mql","at":"<RFC 3339>"}`, with the rules and messages of
/// `leadspec sla`.
///
/// ```
/// use leadspec::{default_definition, parse_reference_time, StageChange, UnknownStage};
/// let d = default_definition();
/// let now = parse_reference_time("2026-11-22").unwrap();
/// let history = [
///     StageChange { lead: "L1".into(), stage: "Hand-Raiser".into(), at: now }, // an alias of `inquiry`
///     StageChange { lead: "L1".into(), stage: "mql".into(), at: now },         // no such stage here
/// ];
/// let replay = d.replay(history.clone(), now);
/// assert_eq!(d.stage_at(replay.stays[0].stage).map(|s| s.id()), Some("inquiry"));
/// assert_eq!(replay.unknown, [UnknownStage { position: 1, change: history[1].clone() }]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageChange {
    /// The lead's id.
    pub lead: String,
    /// The stage entered, as written: its id, an alias or its display name, in any case.
    pub stage: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A continuous time a lead spent in one stage.
///
/// With the feature `serde`, `Definition::named(&stay)` serializes it with its stage and
/// owner ids.
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

impl Stay {
    /// The stage's limit in seconds when this stay broke it (strictly longer than the
    /// stage's `sla`), else `None`.
    ///
    /// ```
    /// use leadspec::{default_definition, parse_reference_time, StageChange};
    /// let d = default_definition(); // inquiry: sla = "2d"
    /// let at = |t: &str| parse_reference_time(t).unwrap();
    /// let change = |t: &str| StageChange { lead: "L1".into(), stage: "inquiry".into(), at: at(t) };
    /// let stay = &d.replay([change("2026-11-01")], at("2026-11-03")).stays[0];
    /// assert_eq!(stay.spent_seconds, 2 * 86_400);
    /// assert_eq!(stay.breach(d), None); // exactly 2 days: not longer
    /// let stay = &d.replay([change("2026-11-01")], at("2026-11-04")).stays[0];
    /// assert_eq!(stay.breach(d), Some(2 * 86_400)); // the limit it broke
    /// ```
    pub fn breach(&self, definition: &Definition) -> Option<i64> {
        let limit = definition.stage_at(self.stage)?.sla_seconds?;
        (self.spent_seconds > limit).then_some(limit)
    }
}

/// A stay longer than its stage's `sla`.
///
/// With the feature `serde`, `Definition::named(&breach)` serializes it as a line of
/// `leadspec sla`.
///
/// ```
/// use leadspec::{default_definition, parse_reference_time, StageChange};
/// let d = default_definition(); // qualified_lead: sla = "48h"
/// let at = |t: &str| parse_reference_time(t).unwrap();
/// let change = |stage: &str, t: &str| StageChange { lead: "L1".into(), stage: stage.into(), at: at(t) };
/// let replay = d.replay([change("contact", "2026-11-01"), change("qualified_lead", "2026-11-02")], at("2026-11-22"));
/// let breaches = replay.breaches(d); // contact has no sla
/// assert_eq!(breaches.len(), 1);
/// let breach = &breaches[0];
/// assert_eq!(d.stage_at(breach.stay.stage).map(|s| s.id()), Some("qualified_lead"));
/// assert_eq!((breach.limit_seconds, breach.stay.spent_seconds), (48 * 3600, 20 * 86_400));
/// assert_eq!(breach.stay.left, None); // still there: an open breach
/// ```
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

/// Why [`Replayer::push`] or [`WaterfallCounter::push`] left a change out.
///
/// ```
/// use leadspec::{default_definition, Definition, OutOfOrder, PushError, Replayer, DEFAULT_DEFINITION_TOML};
/// let d = default_definition();
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let contact = d.stage_index("contact").unwrap();
/// let mut replayer = Replayer::sorted(d, now);
/// replayer.push("L2", contact, now)?;
/// let err = replayer.push("L1", contact, now).unwrap_err();
/// assert_eq!(err, PushError::OutOfOrder(OutOfOrder { previous: "L2".into(), lead: "L1".into() }));
/// assert_eq!(err.to_string(), "lead `L1` comes after lead `L2`, so the changes are not sorted by lead id");
///
/// let other = Definition::from_toml(DEFAULT_DEFINITION_TOML).unwrap();
/// let foreign = other.stage_index("contact").unwrap();
/// assert_eq!(replayer.push("L3", foreign, now), Err(PushError::ForeignStage));
/// # Ok::<(), PushError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    /// In sorted mode, the change's lead sorts before the previous change's.
    #[error(transparent)]
    OutOfOrder(#[from] OutOfOrder),
    /// The stage index was made by another definition, so it names no stage here.
    #[error("a stage index of another definition names no stage here")]
    ForeignStage,
}

/// A lead that came after a later lead, in changes said to be sorted by lead id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("lead `{lead}` comes after lead `{previous}`, so the changes are not sorted by lead id")]
pub struct OutOfOrder {
    /// The lead read before.
    pub previous: String,
    /// The lead that should have come first.
    pub lead: String,
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
                let limit_seconds = stay.breach(definition)?;
                Some(Breach { stay: stay.clone(), limit_seconds })
            })
            .collect()
    }

    /// The stays and breaches per stage with an `sla`, and per team owning such a stage.
    ///
    /// ```
    /// use leadspec::{default_definition, parse_reference_time, StageChange};
    /// let d = default_definition(); // inquiry: 2 days; qualified_lead: 48 hours
    /// let at = |t: &str| parse_reference_time(t).unwrap();
    /// let change =
    ///     |lead: &str, stage: &str, t: &str| StageChange { lead: lead.into(), stage: stage.into(), at: at(t) };
    /// let history = [
    ///     change("L1", "inquiry", "2026-11-01"),
    ///     change("L1", "qualified_lead", "2026-11-10"), // 9 days in inquiry: a breach
    ///     change("L2", "inquiry", "2026-11-21"),        // 1 day so far
    /// ];
    /// let summary = d.replay(history, at("2026-11-22")).summary(d);
    /// let inquiry = summary.stage(d.stage_index("inquiry").unwrap()).unwrap();
    /// assert_eq!((inquiry.stays, inquiry.breaches, inquiry.open_breaches), (2, 1, 0));
    /// let sql = summary.stage(d.stage_index("qualified_lead").unwrap()).unwrap();
    /// assert_eq!((sql.stays, sql.breaches, sql.open_breaches), (1, 1, 1)); // 12 days, still there
    /// let (marketing, counts) = summary.owners()[0];
    /// assert_eq!((marketing, counts.breaches), (d.team_index("marketing").unwrap(), 1));
    /// ```
    pub fn summary<'d>(&self, definition: &'d Definition) -> SlaSummary<'d> {
        let mut summary = SlaSummary::new(definition);
        for stay in &self.stays {
            summary.add(stay);
        }
        summary
    }
}

/// `stage` as stored (its position), checked against the definition.
fn stage_number(definition: &Definition, stage: StageIndex) -> Result<u32, PushError> {
    definition.position(stage).map(|p| p as u32).ok_or(PushError::ForeignStage)
}

impl Definition {
    /// Replays stage changes, given in any order, into stays per lead, as of `now`.
    ///
    /// Stage words are resolved as [`Definition::find_stage`] resolves them; a change
    /// naming no stage is set aside in [`Replay::unknown`]. The replay is what was known at
    /// `now`: changes dated after it are left out, so a lead whose next change lies after
    /// `now` is still in its stage (`left` is `None`), and a stay that had not begun by then
    /// is not reported. For large histories, see [`Replayer`].
    ///
    /// ```
    /// use leadspec::{default_definition, parse_reference_time, StageChange};
    /// let d = default_definition();
    /// let at = |t: &str| parse_reference_time(t).unwrap();
    /// let change = |stage: &str, t: &str| StageChange { lead: "L1".into(), stage: stage.into(), at: at(t) };
    /// let history = [change("contact", "2026-11-01"), change("Inquiry", "2026-11-10")];
    /// let replay = d.replay(history, at("2026-11-05"));
    /// assert_eq!(replay.stays.len(), 1); // the inquiry had not happened yet
    /// assert_eq!(replay.stays[0].left, None);
    /// assert_eq!(replay.stays[0].spent_seconds, 4 * 86_400);
    /// ```
    pub fn replay<I>(&self, changes: I, now: DateTime<Utc>) -> Replay
    where
        I: IntoIterator<Item = StageChange>,
    {
        let mut words = StageWords::new(self);
        let mut replayer = Replayer::new(self, now);
        let mut unknown = Vec::new();
        for (position, change) in changes.into_iter().enumerate() {
            match words.find(&change.stage) {
                // In any order, a push never fails.
                Some(stage) => replayer.push(&change.lead, stage, change.at).unwrap_or(()),
                None => unknown.push(UnknownStage { position, change }),
            }
        }
        Replay { stays: replayer.finish().collect(), unknown }
    }

    /// The waterfall of stage histories given in any order: for each stage whose shared
    /// word is a funnel word, in funnel-word order, how many leads reached it (their history
    /// holds it or a later step) and how many of those reached the next step. Stage words
    /// are resolved as [`Definition::find_stage`] resolves them; changes naming no stage are
    /// set aside in [`Waterfall::unknown`] and counted in [`Waterfall::unreadable`]. See also
    /// [`WaterfallCounter`].
    ///
    /// ```
    /// use leadspec::{default_definition, parse_reference_time, StageChange};
    /// let d = default_definition();
    /// let change = |lead: &str, stage: &str, at: &str| StageChange {
    ///     lead: lead.into(),
    ///     stage: stage.into(),
    ///     at: parse_reference_time(at).unwrap(),
    /// };
    /// let w = d.waterfall([
    ///     change("L1", "contact", "2026-11-01"),
    ///     change("L1", "qualified_lead", "2026-11-05"),
    ///     change("L2", "contact", "2026-11-02"),
    ///     change("L3", "warehouse", "2026-11-03"), // no such stage: set aside
    /// ]);
    /// let first = &w.steps[0];
    /// assert_eq!((d.stage_at(first.stage).unwrap().id(), first.reached, first.converted), ("contact", 2, 1));
    /// assert_eq!((w.leads, w.unreadable), (2, 1));
    /// ```
    pub fn waterfall<I>(&self, changes: I) -> Waterfall
    where
        I: IntoIterator<Item = StageChange>,
    {
        let mut words = StageWords::new(self);
        let mut counter = WaterfallCounter::new(self);
        let mut unknown = Vec::new();
        for (position, change) in changes.into_iter().enumerate() {
            match words.find(&change.stage) {
                Some(stage) => counter.push(&change.lead, stage).unwrap_or(()),
                None => unknown.push(UnknownStage { position, change }),
            }
        }
        Waterfall { unreadable: unknown.len(), unknown, ..counter.finish() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{default_definition, parse_reference_time};

    fn at(text: &str) -> DateTime<Utc> {
        parse_reference_time(text).unwrap()
    }

    fn stage(word: &str) -> StageIndex {
        default_definition().find_stage(word).unwrap()
    }

    #[test]
    fn an_earlier_lead_after_a_later_one_is_out_of_order() {
        let d = default_definition();
        let mut replayer = Replayer::sorted(d, at("2026-11-22"));
        replayer.push("L2", stage("contact"), at("2026-11-01")).unwrap();
        let error = replayer.push("L10", stage("contact"), at("2026-11-01")).unwrap_err();
        assert_eq!(error, PushError::OutOfOrder(OutOfOrder { previous: "L2".into(), lead: "L10".into() }));
        assert_eq!(error.to_string(), "lead `L10` comes after lead `L2`, so the changes are not sorted by lead id");
        // A lead that comes back after another is out of order too.
        replayer.push("L3", stage("contact"), at("2026-11-01")).unwrap();
        assert!(replayer.push("L2", stage("inquiry"), at("2026-11-02")).is_err());
        let mut counter = WaterfallCounter::sorted(d);
        counter.push("b", stage("contact")).unwrap();
        assert!(counter.push("a", stage("contact")).is_err());
        assert_eq!(counter.finish().leads, 1);
    }
}
