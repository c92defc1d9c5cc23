//! Moves between stages: which are allowed, which are handoffs, and why one is refused.
//!
//! With no `[[transitions]]` declared every move is allowed. Once any is declared, a move
//! from A to a different stage B is allowed exactly when a transition matches (`from` is A
//! or `*`, `to` is B or `*`) and its guard, if any, is true for the lead (unknown refuses).
//! The target stage's own `when` and `requires` are not checked by a move. Staying in the
//! same stage is always allowed.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::classify::Assessment;
use crate::definition::{known_words, naive, Lazy, Prepared, StageIndex, TeamIndex, Transition};
use crate::rule::{Clock, Finding};
use crate::{Definition, Record, Truth};

/// The answer to "may this lead move from A to B?".
///
/// With the feature `serde`, `Definition::named(&answer)` serializes it with team ids.
///
/// ```
/// use leadspec::{default_definition, parse_reference_time, Move, Record};
/// let d = default_definition();
/// let now = parse_reference_time("2026-11-22").unwrap();
/// let stage = |id| d.stage_index(id).unwrap();
/// let qualified = Record::new()
///     .with("budget", 50_000)
///     .with("role", "decision_maker")
///     .with("need", "reporting")
///     .with("purchase_by", "2026-12-15");
/// let answer = d.check_move(stage("inquiry"), stage("qualified_lead"), &qualified, now);
/// let (marketing, sales) = (d.team_index("marketing").unwrap(), d.team_index("sales").unwrap());
/// // The fifth transition (`inquiry` -> `qualified_lead`, when `qualified`) allows it: a handoff.
/// assert_eq!(answer, Move::Allowed { handoff: Some((marketing, sales)), transition: Some(4) });
/// assert!(answer.is_allowed());
/// assert!(!d.check_move(stage("contact"), stage("proposal"), &qualified, now).is_allowed());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Move {
    /// The move is allowed.
    Allowed {
        /// `Some((from_team, to_team))` when the owner changes: a handoff (see
        /// [`Definition::team_at`]).
        handoff: Option<(TeamIndex, TeamIndex)>,
        /// The index of the transition that allowed it (`None` when no transitions are declared
        /// or the lead stays where it is).
        transition: Option<usize>,
    },
    /// The move is refused, with the reason.
    Refused(Refusal),
}

impl Move {
    /// Whether the move is allowed.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Move::Allowed { .. })
    }
}

/// Why a move was refused. More reasons may come in later versions: match with a `_` arm.
///
/// Its `Display` says why, as `leadspec move` prints it:
///
/// ```
/// use leadspec::{default_definition, parse_reference_time, Move, Record, Refusal};
/// let d = default_definition();
/// let now = parse_reference_time("2026-11-22").unwrap();
/// let stage = |id| d.stage_index(id).unwrap();
/// let lead = Record::new().with("email", "ann@example.com");
///
/// let Move::Refused(why) = d.check_move(stage("contact"), stage("proposal"), &lead, now) else { panic!() };
/// assert!(matches!(why, Refusal::NoTransition { .. }));
/// assert_eq!(why.to_string(), "no transition from `contact` to `proposal`; from `contact` a lead may move to `inquiry`, `qualified_lead`");
///
/// let Move::Refused(why) = d.check_move(stage("contact"), stage("qualified_lead"), &lead, now) else { panic!() };
/// assert!(matches!(why, Refusal::Guard { .. }));
/// assert!(why.to_string().starts_with("the move from `contact` to `qualified_lead` needs `qualified`, which is unknown"));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Refusal {
    /// No declared transition goes from A to B.
    NoTransition {
        /// Stage ids, for the message.
        from: String,
        /// Stage id of the target.
        to: String,
        /// Stage ids a lead in A may be moved to by some transition (guards not checked).
        allowed_targets: Vec<String>,
    },
    /// Transitions from A to B exist, but the guard of each is false or unknown.
    Guard {
        /// Stage id of A.
        from: String,
        /// Stage id of B.
        to: String,
        /// Each matching transition's guard: its text, its value and what decided it.
        guards: Vec<(String, Truth, Vec<Finding>)>,
    },
    /// A stage index made by another definition was given: it names no stage here.
    ForeignStage,
    /// The record was prepared by another definition, so its values mean nothing here.
    ForeignRecord,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NoTransition { from, to, allowed_targets } => {
                write!(f, "no transition from `{from}` to `{to}`")?;
                if allowed_targets.is_empty() {
                    write!(f, "; no transition leaves `{from}`")
                } else {
                    let list: Vec<String> = allowed_targets.iter().map(|t| format!("`{t}`")).collect();
                    write!(f, "; from `{from}` a lead may move to {}", list.join(", "))
                }
            }
            Refusal::Guard { from, to, guards } => {
                write!(f, "the move from `{from}` to `{to}` needs ")?;
                for (i, (text, truth, findings)) in guards.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" or ")?;
                    }
                    write!(f, "`{text}`, which is {truth}")?;
                    // A guard that is one simple condition: its values say it all.
                    if let [only] = findings.as_slice() {
                        if only.text == *text && !only.detail.is_empty() {
                            write!(f, " ({})", only.detail)?;
                            continue;
                        }
                    }
                    let details: Vec<String> = findings
                        .iter()
                        .filter(|x| x.truth != Truth::True)
                        .map(|x| {
                            if x.detail.is_empty() {
                                format!("`{}` is {}", x.text, x.truth)
                            } else {
                                format!("`{}` is {} ({})", x.text, x.truth, x.detail)
                            }
                        })
                        .collect();
                    if !details.is_empty() {
                        write!(f, ": {}", details.join(", "))?;
                    }
                }
                Ok(())
            }
            Refusal::ForeignStage => f.write_str("a stage index of another definition names no stage here"),
            Refusal::ForeignRecord => f.write_str("the record was prepared by another definition"),
        }
    }
}

/// A move between two stages owned by different teams: the lead changes hands.
///
/// ```
/// use leadspec::Handoff;
/// let d = leadspec::default_definition();
/// let (nurture, sql) = (d.stage_index("nurture").unwrap(), d.stage_index("qualified_lead").unwrap());
/// let handoff = d.handoff(nurture, sql).unwrap();
/// assert_eq!(handoff, Handoff {
///     from: nurture,
///     to: sql,
///     from_team: d.team_index("marketing").unwrap(),
///     to_team: d.team_index("sales").unwrap(),
/// });
/// // Both stages owned by marketing: no handoff.
/// assert_eq!(d.handoff(nurture, d.stage_index("inquiry").unwrap()), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Handoff {
    /// The stage the lead leaves.
    pub from: StageIndex,
    /// The stage it enters.
    pub to: StageIndex,
    /// The team that owns `from`.
    pub from_team: TeamIndex,
    /// The team that owns `to`.
    pub to_team: TeamIndex,
}

impl Definition {
    /// The handoffs a transition of this definition covers (guards not checked), in funnel
    /// order of `from`, then of `to`; with no transitions declared, see
    /// [`Definition::handoff`] for any two stages.
    ///
    /// ```
    /// let d = leadspec::default_definition();
    /// let handoffs: Vec<_> = d
    ///     .transitions()
    ///     .iter()
    ///     .flat_map(|t| d.handoffs(t))
    ///     .map(|h| (d.stage_at(h.from).unwrap().id(), d.stage_at(h.to).unwrap().id()))
    ///     .collect();
    /// assert!(handoffs.contains(&("nurture", "qualified_lead")));
    /// ```
    pub fn handoffs(&self, transition: &Transition) -> Vec<Handoff> {
        let mut list = Vec::new();
        if transition.stamp != self.stamp {
            return list;
        }
        let side = |end: Option<usize>| end.map_or(0..self.stages.len(), |i| i..i + 1);
        for from in side(transition.from) {
            for to in side(transition.to) {
                if let Some(handoff) = self.handoff_at(from, to) {
                    list.push(handoff);
                }
            }
        }
        list
    }

    /// The handoff of a move from `from` to `to`, if their owners differ (`None` too for
    /// an index of another definition). Whether the move is allowed is
    /// [`Definition::check_move`]'s question.
    pub fn handoff(&self, from: StageIndex, to: StageIndex) -> Option<Handoff> {
        self.handoff_at(self.position(from)?, self.position(to)?)
    }

    fn handoff_at(&self, from: usize, to: usize) -> Option<Handoff> {
        let (a, b) = (self.stages.get(from)?, self.stages.get(to)?);
        (a.owner != b.owner).then(|| Handoff { from: a.index, to: b.index, from_team: a.owner(), to_team: b.owner() })
    }

    /// Whether a lead may move from stage `from` to stage `to` at `now`.
    ///
    /// ```
    /// use leadspec::{default_definition, Record};
    /// use chrono::{TimeZone, Utc};
    /// let d = default_definition();
    /// let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
    /// let (contact, inquiry) = (d.stage_index("contact").unwrap(), d.stage_index("inquiry").unwrap());
    /// assert!(d.check_move(contact, inquiry, &Record::new(), now).is_allowed());
    /// ```
    pub fn check_move(&self, from: StageIndex, to: StageIndex, record: &Record, now: DateTime<Utc>) -> Move {
        self.check_move_prepared(from, to, &self.prepare(record), now)
    }

    /// [`Definition::check_move`] for a prepared record.
    /// An index of another definition is refused with [`Refusal::ForeignStage`], a record
    /// another definition prepared with [`Refusal::ForeignRecord`].
    ///
    /// ```
    /// use leadspec::{default_definition, Definition, Move, Record, Refusal, DEFAULT_DEFINITION_TOML};
    /// let d = default_definition();
    /// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
    /// let (contact, inquiry) = (d.stage_index("contact").unwrap(), d.stage_index("inquiry").unwrap());
    /// let lead = d.prepare(&Record::new().with("email", "ann@example.com"));
    /// assert!(d.check_move_prepared(contact, inquiry, &lead, now).is_allowed());
    ///
    /// let other = Definition::from_toml(DEFAULT_DEFINITION_TOML).unwrap();
    /// let theirs = other.prepare(&Record::new().with("email", "ann@example.com"));
    /// assert_eq!(d.check_move_prepared(contact, inquiry, &theirs, now), Move::Refused(Refusal::ForeignRecord));
    /// let foreign = other.stage_index("inquiry").unwrap();
    /// assert_eq!(d.check_move_prepared(contact, foreign, &lead, now), Move::Refused(Refusal::ForeignStage));
    /// ```
    pub fn check_move_prepared(&self, from: StageIndex, to: StageIndex, record: &Prepared, now: DateTime<Utc>) -> Move {
        let (Some(from), Some(to)) = (self.position(from), self.position(to)) else {
            return Move::Refused(Refusal::ForeignStage);
        };
        if !self.owns(record) {
            return Move::Refused(Refusal::ForeignRecord);
        }
        self.check_move_at(from, to, record, now)
    }

    /// [`Definition::check_move_prepared`] by stage positions (both in range).
    fn check_move_at(&self, from: usize, to: usize, record: &Prepared, now: DateTime<Utc>) -> Move {
        let handoff = self.handoff_at(from, to).map(|h| (h.from_team, h.to_team));
        if from == to {
            return Move::Allowed { handoff: None, transition: None };
        }
        if self.transitions.is_empty() {
            return Move::Allowed { handoff, transition: None };
        }
        let matching: Vec<usize> =
            (0..self.transitions.len()).filter(|&i| self.transitions[i].covers_positions(from, to)).collect();
        if matching.is_empty() {
            return Move::Refused(Refusal::NoTransition {
                from: self.stages[from].id.clone(),
                to: self.stages[to].id.clone(),
                allowed_targets: self.targets_at(from).map(|i| self.stages[i].id.clone()).collect(),
            });
        }
        let now = naive(now);
        let count = self.program.criteria();
        let (mut criteria, mut known) = (vec![Truth::Unknown; count], vec![0; known_words(count)]);
        let mut lazy = Lazy::new(&self.program, record, Clock::new(now), &mut criteria, &mut known);
        // The first transition whose guard holds (or that has none) allows the move.
        if let Some(&i) = matching.iter().find(|&&i| self.program.guard_holds(i, &mut lazy)) {
            return Move::Allowed { handoff, transition: Some(i) };
        }
        // Refused: say why, guard by guard, from the rules as written.
        let (qualified, score) = lazy.finish();
        let assessment = Assessment { qualified, score };
        let ctx = self.context(record, &criteria, assessment, now);
        let mut guards = Vec::new();
        for &i in &matching {
            match &self.transitions[i].guard {
                None => return Move::Allowed { handoff, transition: Some(i) },
                Some(guard) => {
                    let truth = guard.eval(&ctx);
                    let mut findings = guard.explain(&ctx);
                    for finding in findings.iter_mut().filter(|f| f.truth != Truth::True) {
                        if finding.detail.split("; ").any(|part| part.starts_with("qualified is ")) {
                            finding.detail = self.why_qualified(&criteria, assessment.qualified);
                        }
                    }
                    guards.push((guard.text().to_string(), truth, findings));
                }
            }
        }
        Move::Refused(Refusal::Guard { from: self.stages[from].id.clone(), to: self.stages[to].id.clone(), guards })
    }

    /// Why the qualification is what it is: the criteria that are not met and unknown, as
    /// in "qualified is unknown because `budget` and `timeframe` are unknown".
    fn why_qualified(&self, criteria: &[Truth], qualified: Truth) -> String {
        let named = |state: Truth| -> Vec<String> {
            self.qualification
                .criteria
                .iter()
                .zip(criteria)
                .filter(|(_, &t)| t == state)
                .map(|(c, _)| format!("`{}`", c.id))
                .collect()
        };
        let list = |names: Vec<String>, word: &str| -> Option<String> {
            let verb = if names.len() == 1 { "is" } else { "are" };
            match names.split_last() {
                None => None,
                Some((last, [])) => Some(format!("{last} {verb} {word}")),
                Some((last, rest)) => Some(format!("{} and {last} {verb} {word}", rest.join(", "))),
            }
        };
        let (not_met, unknown) = (list(named(Truth::False), "not_met"), list(named(Truth::Unknown), "unknown"));
        let reasons: Vec<String> = match qualified {
            Truth::False => not_met.into_iter().chain(unknown).collect(),
            _ => unknown.into_iter().chain(not_met).collect(),
        };
        let word = qualified.word();
        if reasons.is_empty() {
            format!("qualified is {word}")
        } else {
            format!("qualified is {word} because {}", reasons.join("; "))
        }
    }

    /// Every stage a lead in `from` may move to now (guards checked), in funnel order.
    /// None for an index or a record of another definition.
    ///
    /// ```
    /// use leadspec::{default_definition, parse_reference_time, Record};
    /// let d = default_definition();
    /// let now = parse_reference_time("2026-11-22")?;
    /// let contact = d.stage_index("contact").unwrap();
    /// let ids = |list: Vec<leadspec::StageIndex>| -> Vec<&str> {
    ///     list.into_iter().filter_map(|i| d.stage_at(i)).map(|s| s.id()).collect()
    /// };
    /// // Not qualified: only the move without a condition is open.
    /// let lead = d.prepare(&Record::new().with("email", "ann@example.com"));
    /// assert_eq!(ids(d.moves_from(contact, &lead, now)), ["inquiry"]);
    /// // Guards aside, a transition also leads to `qualified_lead`.
    /// assert_eq!(ids(d.targets_from(contact)), ["inquiry", "qualified_lead"]);
    /// # Ok::<(), leadspec::ParseTimeError>(())
    /// ```
    pub fn moves_from(&self, from: StageIndex, record: &Prepared, now: DateTime<Utc>) -> Vec<StageIndex> {
        let Some(from) = self.position(from).filter(|_| self.owns(record)) else { return Vec::new() };
        (0..self.stages.len())
            .filter(|&to| to != from && self.check_move_at(from, to, record, now).is_allowed())
            .map(|to| self.stages[to].index)
            .collect()
    }

    /// Every stage some transition leads to from `from`, guards not checked, in funnel order;
    /// none for an index of another definition. See [`Definition::moves_from`] for an
    /// example.
    pub fn targets_from(&self, from: StageIndex) -> Vec<StageIndex> {
        let Some(from) = self.position(from) else { return Vec::new() };
        self.targets_at(from).map(|to| self.stages[to].index).collect()
    }

    /// Positions of the stages some transition leads to from the stage at `from`.
    fn targets_at(&self, from: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.stages.len()).filter(move |&to| {
            to != from && (self.transitions.is_empty() || self.transitions.iter().any(|t| t.covers_positions(from, to)))
        })
    }
}
