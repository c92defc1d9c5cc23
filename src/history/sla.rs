//! [`SlaCounts`] and [`SlaSummary`]: stays and SLA breaches counted per stage with an `sla`
//! and per team owning such a stage.

use super::Stay;
use crate::definition::{StageIndex, TeamIndex};
use crate::Definition;

/// Stays and breaches counted for one stage, or for the stages one team owns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SlaCounts {
    /// Stays in the stage (or the team's stages).
    pub stays: usize,
    /// Stays longer than the stage's `sla`, open ones included.
    pub breaches: usize,
    /// Breaches whose lead is still in the stage at the reference time.
    pub open_breaches: usize,
}

impl SlaCounts {
    fn add(&mut self, breach: bool, open: bool) {
        self.stays += 1;
        self.breaches += usize::from(breach);
        self.open_breaches += usize::from(breach && open);
    }
}

/// SLA figures per stage and per owning team: for each stage with an `sla`, its stays,
/// breaches and breaches still open; and the same for each team that owns such a stage,
/// counting the stays in those stages only. With the feature `serde`, it serializes as
/// `leadspec sla --summary` prints it.
///
/// Add stays one at a time ([`SlaSummary::add`], as a [`Replayer`] yields them), or take
/// the summary of a whole [`Replay`] ([`Replay::summary`]).
///
/// [`Replayer`]: super::Replayer
/// [`Replay`]: super::Replay
/// [`Replay::summary`]: super::Replay::summary
#[derive(Clone, Debug)]
pub struct SlaSummary<'d> {
    definition: &'d Definition,
    /// The stages with an `sla`, in declared order, and their counts.
    stages: Vec<(StageIndex, SlaCounts)>,
    /// The teams owning at least one of those stages, in `[teams]` order, and their counts.
    owners: Vec<(TeamIndex, SlaCounts)>,
    /// For each stage, its place in `stages` and its owner's in `owners` (none without an `sla`).
    places: Vec<Option<(usize, usize)>>,
}

impl<'d> SlaSummary<'d> {
    /// An empty summary: every stage with an `sla` and every team owning one, at zero.
    pub fn new(definition: &'d Definition) -> Self {
        let stages: Vec<(StageIndex, SlaCounts)> = definition
            .stages
            .iter()
            .filter(|s| s.sla_seconds.is_some())
            .map(|s| (s.index, SlaCounts::default()))
            .collect();
        let owns = |team: usize| stages.iter().any(|&(i, _)| definition.stages[i.position()].owner == team);
        let owners: Vec<(TeamIndex, SlaCounts)> = (0..definition.teams.len())
            .filter(|&team| owns(team))
            .map(|team| (TeamIndex::new(team, definition.stamp), SlaCounts::default()))
            .collect();
        let mut places = vec![None; definition.stages.len()];
        for (place, &(i, _)) in stages.iter().enumerate() {
            let owner = owners.iter().position(|&(team, _)| team == definition.stages[i.position()].owner());
            places[i.position()] = owner.map(|owner| (place, owner));
        }
        SlaSummary { definition, stages, owners, places }
    }

    /// Counts one stay (of a lead of this definition); stays in stages without an `sla` are
    /// not counted.
    ///
    /// ```
    /// use leadspec::{default_definition, parse_reference_time, SlaSummary, Stay};
    /// let d = default_definition();
    /// let at = |t: &str| parse_reference_time(t).unwrap();
    /// let stay = |stage: &str, days: i64| Stay {
    ///     lead: "L1".into(),
    ///     stage: d.stage_index(stage).unwrap(),
    ///     entered: at("2026-11-01"),
    ///     left: None,
    ///     spent_seconds: days * 86_400,
    /// };
    /// let mut summary = SlaSummary::new(d);
    /// summary.add(&stay("contact", 30)); // no sla: not counted
    /// summary.add(&stay("proposal", 30)); // sla = "3w"
    /// let proposal = summary.stage(d.stage_index("proposal").unwrap()).unwrap();
    /// assert_eq!((proposal.stays, proposal.breaches, proposal.open_breaches), (1, 1, 1));
    /// assert_eq!(summary.stage(d.stage_index("contact").unwrap()), None);
    /// let (sales, counts) = summary.owners()[1];
    /// assert_eq!((d.team_at(sales).unwrap().id.as_str(), counts.stays), ("sales", 1));
    /// ```
    pub fn add(&mut self, stay: &Stay) {
        let Some(stage) = self.definition.position(stay.stage) else { return };
        let Some(&Some((place, owner))) = self.places.get(stage) else { return };
        let breach = stay.breach(self.definition).is_some();
        let open = stay.left.is_none();
        self.stages[place].1.add(breach, open);
        self.owners[owner].1.add(breach, open);
    }

    /// The definition whose stages are counted.
    pub fn definition(&self) -> &'d Definition {
        self.definition
    }

    /// The stages with an `sla`, in declared order, with their counts.
    pub fn stages(&self) -> &[(StageIndex, SlaCounts)] {
        &self.stages
    }

    /// The teams owning at least one stage with an `sla` (in `[teams]` order), with the
    /// counts of those stages.
    pub fn owners(&self) -> &[(TeamIndex, SlaCounts)] {
        &self.owners
    }

    /// The counts of one stage, or `None` when it has no `sla`.
    pub fn stage(&self, stage: StageIndex) -> Option<SlaCounts> {
        let (place, _) = (*self.places.get(self.definition.position(stage)?)?)?;
        Some(self.stages[place].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::default_definition;

    fn stage(word: &str) -> StageIndex {
        default_definition().find_stage(word).unwrap()
    }

    #[test]
    fn the_summary_counts_stages_with_an_sla_and_their_owners() {
        let d = default_definition();
        let summary = SlaSummary::new(d);
        let stages: Vec<&str> = summary.stages().iter().map(|&(i, _)| d.stages()[i.position()].id()).collect();
        assert_eq!(stages, ["inquiry", "nurture", "qualified_lead", "prospect", "proposal"]);
        let owners: Vec<&str> = summary.owners().iter().map(|&(t, _)| d.teams()[t.position()].id.as_str()).collect();
        assert_eq!(owners, ["marketing", "sales"]);
        assert_eq!(summary.stage(stage("contact")), None);
    }
}
