//! Stage histories: replaying stage changes into stays, SLA breaches and their summary per
//! stage and team, and the waterfall.
//!
//! How changes are read, ordered and counted is documented on [`Replayer`].

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, RandomState};

use chrono::{DateTime, Utc};

use crate::definition::{StageIndex, Stamp, TeamIndex};
use crate::{Definition, SharedWord};

/// One line of a history: lead `lead` entered stage `stage` at `at`.
///
/// With the feature `serde`, it is read from and written as a history line,
/// `{"id":"L1","stage":"mql","at":"<RFC 3339>"}`, with the rules and messages of
/// `leadspec sla`.
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
    pub fn breach(&self, definition: &Definition) -> Option<i64> {
        let limit = definition.stage_at(self.stage)?.sla_seconds?;
        (self.spent_seconds > limit).then_some(limit)
    }
}

/// A stay longer than its stage's `sla`.
///
/// With the feature `serde`, `Definition::named(&breach)` serializes it as a line of
/// `leadspec sla`.
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

/// A time as seconds and nanoseconds since 1970 (as `DateTime` orders them).
type Time = (i64, u32);

fn time_of(at: DateTime<Utc>) -> Time {
    (at.timestamp(), at.timestamp_subsec_nanos())
}

fn date_time((seconds, nanos): Time) -> DateTime<Utc> {
    // Every time here came from a `DateTime`, so it converts back.
    DateTime::from_timestamp(seconds, nanos).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// One stage change, kept compactly: 20 bytes (packed to 4-byte alignment, so that the
/// 64-bit seconds do not round it up to 24).
#[derive(Clone, Copy, Debug)]
#[repr(C, packed(4))]
struct Change {
    /// The lead, as a number given by [`Replayer`] (its rank in id order once sorted).
    lead: u32,
    seconds: i64,
    nanos: u32,
    stage: u32,
}

impl Change {
    /// The order of the replay: by lead, then by time, then by stage (funnel order).
    fn key(&self) -> (u32, i64, u32, u32) {
        (self.lead, self.seconds, self.nanos, self.stage)
    }

    fn time(&self) -> Time {
        (self.seconds, self.nanos)
    }
}

/// Replays one lead's changes (all known at the reference time) into `out`.
fn replay_lead(lead: &str, changes: &mut [Change], (now, stamp): (DateTime<Utc>, Stamp), out: &mut impl Extend<Stay>) {
    changes.sort_unstable_by_key(Change::key);
    let mut i = 0;
    while i < changes.len() {
        let (entered, stage) = (changes[i].time(), changes[i].stage);
        let mut j = i + 1;
        while j < changes.len() && changes[j].stage == stage {
            j += 1;
        }
        let entered = date_time(entered);
        let left = changes.get(j).map(|c| date_time(c.time()));
        let spent_seconds = (left.unwrap_or(now) - entered).num_seconds().max(0);
        out.extend(Some(Stay {
            lead: lead.to_string(),
            stage: StageIndex::new(stage as usize, stamp),
            entered,
            left,
            spent_seconds,
        }));
        i = j;
    }
}

/// Lead ids, each kept once, numbered from 0 in order of first appearance: the ids back to
/// back in one text, where each ends, and an open-addressing table of numbers keyed by the
/// id's hash. Beyond the id's own bytes, a lead takes 8 bytes for where it ends and a 4-byte
/// slot in a table between three eighths and three quarters full: 13 to 19 bytes, where a
/// `HashMap<Box<str>, u32>` takes about 80 (24-byte buckets, and a heap block per id).
#[derive(Clone, Debug, Default)]
struct Ids {
    /// Every id, back to back.
    text: String,
    /// Where each id ends in `text`, by number.
    ends: Vec<usize>,
    /// The table: 0 for an empty slot, else an id's number plus one. Its length is a power
    /// of two, at most three quarters full.
    slots: Vec<u32>,
    /// Keys chosen at random per table, so that no input can make the ids collide on purpose.
    hasher: RandomState,
}

impl Ids {
    /// How many ids.
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// The id numbered `n`.
    fn get(&self, n: u32) -> &str {
        let n = n as usize;
        let start = if n == 0 { 0 } else { self.ends[n - 1] };
        &self.text[start..self.ends[n]]
    }

    /// The number of `id`, numbering it if it is new.
    fn number(&mut self, id: &str) -> u32 {
        if (self.len() + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut slot = self.hasher.hash_one(id) as usize & mask;
        loop {
            match self.slots[slot] {
                0 => {
                    // More than 4 billion leads would exhaust memory long before the numbers.
                    let n = u32::try_from(self.len()).unwrap_or(u32::MAX - 1);
                    self.text.push_str(id);
                    self.ends.push(self.text.len());
                    self.slots[slot] = n + 1;
                    return n;
                }
                taken if self.get(taken - 1) == id => return taken - 1,
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// Doubles the table and places every id again.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(64);
        let mut slots = vec![0u32; size];
        for n in 0..self.len() as u32 {
            let mut slot = self.hasher.hash_one(self.get(n)) as usize & (size - 1);
            while slots[slot] != 0 {
                slot = (slot + 1) & (size - 1);
            }
            slots[slot] = n + 1;
        }
        self.slots = slots;
    }

    /// The numbers in id order (byte order of the ids). The table is dropped first: no id
    /// is numbered after this.
    fn in_order(&mut self) -> Vec<u32> {
        self.slots = Vec::new();
        let mut order: Vec<u32> = (0..self.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.get(a).cmp(self.get(b)));
        order
    }
}

/// `stage` as stored (its position), checked against the definition.
fn stage_number(definition: &Definition, stage: StageIndex) -> Result<u32, PushError> {
    definition.position(stage).map(|p| p as u32).ok_or(PushError::ForeignStage)
}

/// Replays stage changes one at a time, in any order ([`Replayer::new`]) or sorted by lead
/// id ([`Replayer::sorted`]).
///
/// A history is a list of stage changes: lead `L1` entered stage `mql` at a time. Stage
/// words are read as [`Definition::find_stage`] reads them: a stage's id, one of its
/// aliases or its display name, ignoring case. Consecutive changes of one lead to the same
/// stage are one stay, and a stay still open at the reference time runs until then.
/// Changes dated after the reference time are not known yet and are left out.
///
/// # Any order, or sorted by lead
///
/// [`Definition::replay`] and [`Definition::waterfall`] take changes in any order: they
/// are grouped by lead and sorted by time (ties by funnel order), so the result never
/// depends on input order. For large histories, [`Replayer`] and [`WaterfallCounter`] do
/// the same one change at a time, and keep each change compactly: each lead's id once (in
/// one text, with about 16 bytes of bookkeeping a lead), and per change a number for the
/// lead, the stage's index and the time (20 bytes). The waterfall keeps only the furthest
/// step of each lead, not its changes.
///
/// When the changes come sorted by lead id (byte order, as `LC_ALL=C sort` orders text;
/// each lead's changes in any order among themselves), [`Replayer::sorted`] and
/// [`WaterfallCounter::sorted`] hold one lead's history at a time: a lead is replayed as
/// soon as the next one begins, so memory is bounded by the longest history of one lead,
/// whatever the number of leads. A lead that comes after a later one is an
/// [`OutOfOrder`] error, never a silently wrong answer.
///
/// Either way, stays come out ordered by lead id, then by the time the lead entered the
/// stage.
///
/// ```
/// use leadspec::{Replayer, SlaSummary};
/// use leadspec::{default_definition, parse_reference_time};
///
/// let d = default_definition(); // qualified_lead has an SLA of 48 hours
/// let at = |t: &str| parse_reference_time(t).unwrap();
/// let stage = |word: &str| d.find_stage(word).unwrap();
/// let mut replayer = Replayer::sorted(d, at("2026-11-22"));
/// let mut summary = SlaSummary::new(d);
/// let history = [
///     ("L1", "contact", "2026-11-01"),
///     ("L1", "SQL", "2026-11-02"), // an alias, in another case
///     ("L1", "prospect", "2026-11-09"),
///     ("L2", "qualified_lead", "2026-11-21"),
/// ];
/// for (lead, word, time) in history {
///     replayer.push(lead, stage(word), at(time))?;
///     replayer.ready().for_each(|stay| summary.add(&stay)); // L1's stays, once L2 begins
/// }
/// replayer.finish().for_each(|stay| summary.add(&stay));
/// let sql = summary.stage(stage("qualified_lead")).unwrap();
/// assert_eq!((sql.stays, sql.breaches, sql.open_breaches), (2, 1, 0)); // L1 took 7 days
/// # Ok::<(), leadspec::PushError>(())
/// ```
///
/// Push every change, take the stays that are ready as you go ([`Replayer::ready`]: in
/// sorted mode, those of each lead once the next one begins), then the rest
/// ([`Replayer::finish`]). Stays come out ordered by lead id, then by entry time, exactly
/// as [`Definition::replay`] orders them.
#[derive(Debug)]
pub struct Replayer<'d> {
    definition: &'d Definition,
    now: DateTime<Utc>,
    /// In sorted mode, the lead whose changes are being read; `None` in any order.
    current: Option<String>,
    sorted: bool,
    /// In any order, each lead id once, with its number.
    ids: Ids,
    /// The changes known at `now`: every lead's in any order, the current lead's in sorted mode.
    changes: Vec<Change>,
    /// Stays ready to be taken.
    ready: Vec<Stay>,
}

impl<'d> Replayer<'d> {
    /// A replay as of `now` of changes in any order: each change is kept (compactly) until
    /// [`Replayer::finish`].
    pub fn new(definition: &'d Definition, now: DateTime<Utc>) -> Self {
        Replayer {
            definition,
            now,
            current: None,
            sorted: false,
            ids: Ids::default(),
            changes: Vec::new(),
            ready: Vec::new(),
        }
    }

    /// A replay as of `now` of changes sorted by lead id (byte order): only the current
    /// lead's changes are kept, and a lead is replayed as soon as the next one begins.
    pub fn sorted(definition: &'d Definition, now: DateTime<Utc>) -> Self {
        Replayer { sorted: true, ..Replayer::new(definition, now) }
    }

    /// Adds one change: lead `lead` entered stage `stage` at `at`. A change dated after the
    /// reference time is left out.
    ///
    /// # Errors
    ///
    /// In sorted mode, [`PushError::OutOfOrder`] when `lead` sorts before the lead of the
    /// previous change; the change is then left out, and the leads before it were replayed
    /// as they should be. [`PushError::ForeignStage`] for a stage index of another
    /// definition (the change is left out).
    pub fn push(&mut self, lead: &str, stage: StageIndex, at: DateTime<Utc>) -> Result<(), PushError> {
        let stage = stage_number(self.definition, stage)?;
        if self.sorted {
            match self.current.as_deref() {
                Some(current) if current == lead => {}
                Some(current) if current > lead => {
                    return Err(OutOfOrder { previous: current.to_string(), lead: lead.to_string() }.into());
                }
                _ => {
                    self.complete();
                    let current = self.current.get_or_insert_with(String::new);
                    current.clear();
                    current.push_str(lead);
                }
            }
        }
        if at > self.now {
            return Ok(());
        }
        let lead = if self.sorted { 0 } else { self.ids.number(lead) };
        let (seconds, nanos) = time_of(at);
        self.changes.push(Change { lead, seconds, nanos, stage });
        Ok(())
    }

    /// Replays the current lead (sorted mode) into `ready`.
    fn complete(&mut self) {
        if let Some(lead) = &self.current {
            replay_lead(lead, &mut self.changes, (self.now, self.definition.stamp), &mut self.ready);
            self.changes.clear();
        }
    }

    /// Takes the stays ready so far, in order: in sorted mode, those of every lead before
    /// the current one; in any order, none until [`Replayer::finish`].
    pub fn ready(&mut self) -> std::vec::Drain<'_, Stay> {
        self.ready.drain(..)
    }

    /// How many changes are kept now (known at the reference time): every lead's in any
    /// order, the current lead's in sorted mode.
    pub fn kept(&self) -> usize {
        self.changes.len()
    }

    /// Ends the input: the stays not taken yet, lead by lead in id order.
    pub fn finish(mut self) -> Stays {
        if self.sorted {
            self.complete();
        }
        let mut changes = std::mem::take(&mut self.changes);
        let mut ids = std::mem::take(&mut self.ids);
        let mut order = Vec::new();
        if !self.sorted {
            // Renumber the leads by id order, so that one sort puts the changes in replay order.
            order = ids.in_order();
            let mut rank = vec![0u32; order.len()];
            for (r, &n) in order.iter().enumerate() {
                rank[n as usize] = r as u32;
            }
            for change in &mut changes {
                change.lead = rank[change.lead as usize];
            }
            changes.sort_unstable_by_key(Change::key);
        }
        Stays {
            now: self.now,
            stamp: self.definition.stamp,
            ids,
            order,
            changes,
            next: 0,
            batch: std::mem::take(&mut self.ready).into(),
        }
    }
}

/// The stays of a [`Replayer`] not taken before [`Replayer::finish`], lead by lead in id
/// order, each lead replayed when its turn comes.
#[derive(Debug)]
pub struct Stays {
    now: DateTime<Utc>,
    /// The definition's stamp, for the stays' stage indices.
    stamp: Stamp,
    /// The lead ids (any order).
    ids: Ids,
    /// The number of each lead in `ids`, by its rank in id order.
    order: Vec<u32>,
    /// Every lead's changes in replay order (any order).
    changes: Vec<Change>,
    /// The first change of the next lead to replay.
    next: usize,
    /// Stays replayed and not yet yielded.
    batch: VecDeque<Stay>,
}

impl Iterator for Stays {
    type Item = Stay;

    fn next(&mut self) -> Option<Stay> {
        loop {
            if let Some(stay) = self.batch.pop_front() {
                return Some(stay);
            }
            if self.next >= self.changes.len() {
                return None;
            }
            let start = self.next;
            let lead = self.changes[start].lead;
            let end =
                start + self.changes[start..].iter().position(|c| c.lead != lead).unwrap_or(self.changes.len() - start);
            self.next = end;
            let name = self.order.get(lead as usize).map_or("", |&n| self.ids.get(n));
            replay_lead(name, &mut self.changes[start..end], (self.now, self.stamp), &mut self.batch);
        }
    }
}

/// Resolves stage words as [`Definition::find_stage`] does (an id, an alias or a display
/// name, in any case), remembering the answers for the first thousand distinct words, so
/// that a history written with aliases costs one lookup a change.
#[derive(Clone, Debug)]
pub struct StageWords<'d> {
    definition: &'d Definition,
    known: HashMap<Box<str>, Option<StageIndex>>,
}

impl<'d> StageWords<'d> {
    /// How many distinct words are remembered at most.
    const REMEMBERED: usize = 1024;

    /// Stage words of `definition`.
    pub fn new(definition: &'d Definition) -> Self {
        StageWords { definition, known: HashMap::new() }
    }

    /// The definition whose stages are named.
    pub fn definition(&self) -> &'d Definition {
        self.definition
    }

    /// The stage `word` names, if any.
    pub fn find(&mut self, word: &str) -> Option<StageIndex> {
        if let Some(&stage) = self.known.get(word) {
            return stage;
        }
        let stage = self.definition.find_stage(word);
        if self.known.len() < Self::REMEMBERED {
            self.known.insert(word.into(), stage);
        }
        stage
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
///
/// With the feature `serde`, `Definition::named(&waterfall)` serializes it as
/// `leadspec waterfall` prints it.
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
    fn a_change_takes_twenty_bytes() {
        assert_eq!(std::mem::size_of::<Change>(), 20);
    }

    #[test]
    fn sorted_and_any_order_replay_alike() {
        let d = default_definition();
        let now = at("2026-11-22");
        let history = [
            ("A", "contact", "2026-11-01T00:00:00.250Z"),
            ("A", "inquiry", "2026-11-01T00:00:00.750Z"),
            ("A", "qualified_lead", "2026-11-02"),
            ("B", "inquiry", "2026-11-02"),
            ("B", "inquiry", "2026-11-03"),
            ("B", "customer", "2026-12-01"), // after now: left out
            ("C", "customer", "2026-12-01"),
        ];
        let mut any = Replayer::new(d, now);
        let mut sorted = Replayer::sorted(d, now);
        let mut streamed = Vec::new();
        for &(lead, word, time) in history.iter().rev() {
            any.push(lead, stage(word), at(time)).unwrap();
        }
        for &(lead, word, time) in &history {
            sorted.push(lead, stage(word), at(time)).unwrap();
            streamed.extend(sorted.ready());
        }
        // A's stays once B began, B's once C began.
        assert_eq!(streamed.iter().map(|s| s.lead.as_str()).collect::<Vec<_>>(), ["A", "A", "A", "B"]);
        assert_eq!(any.kept(), 5);
        assert_eq!(sorted.kept(), 0, "C's only change lies after now");
        streamed.extend(sorted.finish());
        let all: Vec<Stay> = any.finish().collect();
        assert_eq!(streamed, all);
        let spent: Vec<(&str, i64)> = all.iter().map(|s| (s.lead.as_str(), s.spent_seconds)).collect();
        assert_eq!(spent, [("A", 0), ("A", 86_399), ("A", 20 * 86_400), ("B", 20 * 86_400)]);
        // Sub-second times come back as they went in, leap seconds too.
        assert_eq!(all[1].entered, at("2026-11-01T00:00:00.750Z"));
        let leap = at("2016-12-31T23:59:60.5Z");
        assert_eq!(date_time(time_of(leap)), leap);
        assert!(time_of(leap) < time_of(at("2017-01-01T00:00:00Z")));
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

    #[test]
    fn ids_are_numbered_once_and_sorted_by_their_bytes() {
        let mut ids = Ids::default();
        let words: Vec<String> = (0..1000).map(|i| format!("L{}", (i * 7919) % 1000)).collect();
        for (i, word) in words.iter().enumerate() {
            assert_eq!(ids.number(word), i as u32);
        }
        for (i, word) in words.iter().enumerate().rev() {
            assert_eq!(ids.number(word), i as u32, "{word} again");
        }
        assert_eq!(ids.number(""), 1000);
        assert_eq!((ids.len(), ids.get(1), ids.get(1000)), (1001, "L919", ""));
        assert!(ids.slots.len() * 3 >= ids.len() * 4);
        let order: Vec<&str> = ids.in_order().into_iter().map(|n| ids.get(n)).collect();
        let mut sorted: Vec<&str> = words.iter().map(String::as_str).chain([""]).collect();
        sorted.sort();
        assert_eq!(order, sorted);
    }

    #[test]
    fn stage_words_are_remembered_up_to_a_bound() {
        let d = default_definition();
        let mut words = StageWords::new(d);
        assert_eq!(words.find("SQL"), Some(stage("qualified_lead")));
        assert_eq!(words.find("SQL"), Some(stage("qualified_lead")));
        assert_eq!(words.find("mql"), None);
        for i in 0..2 * StageWords::REMEMBERED {
            assert_eq!(words.find(&format!("w{i}")), None);
        }
        assert_eq!(words.known.len(), StageWords::REMEMBERED);
        assert_eq!(words.find("Won"), Some(stage("customer")));
    }
}
