//! The lifecycle a definition describes: its teams ([`Team`]), its stages ([`Stage`]) and
//! the moves declared between them ([`Transition`]).
//!
//! These are plain data, read by the loader (`load/stages.rs`) and never changed after.
//! A stage knows its own [`StageIndex`] and hands out its owner as a [`TeamIndex`], both
//! stamped with its definition's stamp; a transition keeps the stamp too, so that it never
//! covers a move between stages of another definition.

use super::{StageIndex, Stamp, TeamIndex};
use crate::rule::Rule;
use crate::{FieldIndex, SharedWord};

/// A team that owns stages, such as `marketing` or `sales`.
///
/// ```
/// use leadspec::Team;
/// let d = leadspec::default_definition();
/// assert_eq!(d.team("sales"), Some(&Team { id: "sales".into(), name: "Sales".into() }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Team {
    /// The team id, as stages name it in `owner`.
    pub id: String,
    /// Its display name.
    pub name: String,
}

/// One stage of the lifecycle, in the organisation's own words.
///
/// ```
/// let d = leadspec::default_definition();
/// let sql = d.stage("qualified_lead").unwrap();
/// assert_eq!((sql.id(), sql.name()), ("qualified_lead", "Qualified lead"));
/// assert_eq!(d.team_at(sql.owner()).map(|t| t.id.as_str()), Some("sales"));
/// assert_eq!(sql.aliases(), ["SQL", "sales lead", "hot lead"]);
/// assert!(sql.description().unwrap().starts_with("Meets every BANT criterion"));
/// assert_eq!(sql.rule().text(), "qualified");
/// assert_eq!(sql.sla_seconds(), Some(48 * 3600));
/// assert_eq!(sql.priority(), 0);
/// assert_eq!(d.stage("customer").unwrap().priority(), 10);
/// assert_eq!(sql.index(), d.stage_index("qualified_lead").unwrap());
/// ```
#[derive(Clone, Debug)]
pub struct Stage {
    pub(crate) id: String,
    pub(crate) name: String,
    /// The stage's own index (its position and its definition's stamp).
    pub(crate) index: StageIndex,
    pub(crate) owner: usize,
    pub(crate) canonical: Option<SharedWord>,
    pub(crate) aliases: Vec<String>,
    pub(crate) description: Option<String>,
    pub(crate) rule: Rule,
    pub(crate) requires: Vec<FieldIndex>,
    pub(crate) priority: i64,
    pub(crate) sla_seconds: Option<i64>,
}

impl Stage {
    /// The stage id (lower_snake_case).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The display name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The stage's index in its definition.
    pub fn index(&self) -> StageIndex {
        self.index
    }
    /// The owning team (see [`Definition::team_at`] and [`Definition::owner_of`]).
    ///
    /// [`Definition::team_at`]: crate::Definition::team_at
    /// [`Definition::owner_of`]: crate::Definition::owner_of
    pub fn owner(&self) -> TeamIndex {
        TeamIndex::new(self.owner, self.index.stamp)
    }
    /// The shared word this stage stands for, if any (its `canonical` key), by which two
    /// definitions' stages are matched.
    ///
    /// ```
    /// use leadspec::SharedWord;
    /// let d = leadspec::default_definition();
    /// assert_eq!(d.stage("qualified_lead").unwrap().shared_word(), Some(SharedWord::Sql));
    /// ```
    pub fn shared_word(&self) -> Option<SharedWord> {
        self.canonical
    }
    /// Other words people use for this stage.
    pub fn aliases(&self) -> &[String] {
        &self.aliases
    }
    /// What the stage means, in the definition's words.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    /// The entry condition.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }
    /// The fields required at this stage (its `requires`), in the order written.
    ///
    /// ```
    /// let d = leadspec::default_definition();
    /// let prospect = d.stage("prospect").unwrap();
    /// let ids: Vec<&str> = prospect.requires().iter().filter_map(|&f| d.field_at(f)).map(|f| f.id.as_str()).collect();
    /// assert_eq!(ids, ["company"]);
    /// ```
    pub fn requires(&self) -> &[FieldIndex] {
        &self.requires
    }
    /// Whether the stage's `requires` lists the field at `position`.
    pub(crate) fn requires_position(&self, position: usize) -> bool {
        self.requires.iter().any(|f| f.position() == position)
    }
    /// The priority (default 0); higher is tried first.
    pub fn priority(&self) -> i64 {
        self.priority
    }
    /// The longest time, in seconds, a lead may stay here, if bounded.
    pub fn sla_seconds(&self) -> Option<i64> {
        self.sla_seconds
    }
}

/// A declared move between stages: a `[[transitions]]` entry, with `from` and `to` a stage
/// id or `*` (any stage), and an optional `when` guard on the lead.
///
/// ```
/// let d = leadspec::default_definition();
/// let stage = |id| d.stage_index(id).unwrap();
/// let first = &d.transitions()[0]; // from = "contact", to = "inquiry"
/// assert_eq!((first.from(), first.to()), (Some(stage("contact")), Some(stage("inquiry"))));
/// assert!(first.guard().is_none());
/// assert!(first.covers(stage("contact"), stage("inquiry")));
/// assert!(!first.covers(stage("inquiry"), stage("contact"))); // one way only
/// ```
#[derive(Clone, Debug)]
pub struct Transition {
    /// Positions of the stages it leaves and enters (`None`: `*`).
    pub(crate) from: Option<usize>,
    pub(crate) to: Option<usize>,
    pub(crate) guard: Option<Rule>,
    pub(crate) stamp: Stamp,
}

impl Transition {
    /// The stage it leaves, or `None` for `*` (any stage).
    pub fn from(&self) -> Option<StageIndex> {
        self.from.map(|p| StageIndex::new(p, self.stamp))
    }
    /// The stage it enters, or `None` for `*` (any stage).
    pub fn to(&self) -> Option<StageIndex> {
        self.to.map(|p| StageIndex::new(p, self.stamp))
    }
    /// The extra condition on the lead, if any.
    pub fn guard(&self) -> Option<&Rule> {
        self.guard.as_ref()
    }
    /// Whether this transition covers a move from `from` to `to` (ignoring the guard);
    /// never for stages of another definition.
    ///
    /// ```
    /// use leadspec::{default_definition, Definition, DEFAULT_DEFINITION_TOML};
    /// let d = default_definition();
    /// let (inquiry, sql) = (d.stage_index("inquiry").unwrap(), d.stage_index("qualified_lead").unwrap());
    /// let handoff = d.transitions().iter().find(|t| t.covers(inquiry, sql)).unwrap();
    /// assert!(handoff.guard().is_some(), "covering ignores the guard (`qualified`)");
    /// let other = Definition::from_toml(DEFAULT_DEFINITION_TOML).unwrap();
    /// let (i, q) = (other.stage_index("inquiry").unwrap(), other.stage_index("qualified_lead").unwrap());
    /// assert!(!handoff.covers(i, q));
    /// ```
    pub fn covers(&self, from: StageIndex, to: StageIndex) -> bool {
        from.stamp == self.stamp && to.stamp == self.stamp && self.covers_positions(from.position(), to.position())
    }

    pub(crate) fn covers_positions(&self, from: usize, to: usize) -> bool {
        self.from.is_none_or(|f| f == from) && self.to.is_none_or(|t| t == to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transition(from: Option<usize>, to: Option<usize>, stamp: Stamp) -> Transition {
        Transition { from, to, guard: None, stamp }
    }

    #[test]
    fn a_transition_covers_its_own_ends_and_star_covers_any_stage() {
        let stamp = Stamp::new();
        let at = |p| StageIndex::new(p, stamp);
        let one_way = transition(Some(0), Some(1), stamp);
        assert!(one_way.covers(at(0), at(1)));
        assert!(!one_way.covers(at(1), at(0)));
        assert_eq!((one_way.from(), one_way.to()), (Some(at(0)), Some(at(1))));

        let into_last = transition(None, Some(2), stamp);
        assert!(into_last.covers(at(0), at(2)) && into_last.covers(at(1), at(2)));
        assert!(!into_last.covers(at(2), at(1)));
        assert_eq!(into_last.from(), None);
    }

    #[test]
    fn a_transition_never_covers_stages_of_another_definition() {
        let (mine, theirs) = (Stamp::new(), Stamp::new());
        let anywhere = transition(None, None, mine);
        assert!(anywhere.covers(StageIndex::new(0, mine), StageIndex::new(1, mine)));
        assert!(!anywhere.covers(StageIndex::new(0, theirs), StageIndex::new(1, mine)));
        assert!(!anywhere.covers(StageIndex::new(0, mine), StageIndex::new(1, theirs)));
        assert!(anywhere.covers_positions(0, 1), "positions carry no stamp: callers check it");
    }
}
