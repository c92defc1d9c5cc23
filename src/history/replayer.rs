//! [`Replayer`] and its [`Stays`]: stage changes replayed one at a time, in any order or
//! sorted by lead id, each change kept compactly (20 bytes) until its lead is replayed.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use super::ids::Ids;
use super::{stage_number, OutOfOrder, PushError, Stay};
use crate::definition::{StageIndex, Stamp};
use crate::Definition;

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
///
/// [`WaterfallCounter`]: super::WaterfallCounter
/// [`WaterfallCounter::sorted`]: super::WaterfallCounter::sorted
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
    ///
    /// ```
    /// use leadspec::{default_definition, parse_reference_time, Replayer};
    /// let d = default_definition();
    /// let at = |t: &str| parse_reference_time(t).unwrap();
    /// let (contact, inquiry) = (d.stage_index("contact").unwrap(), d.stage_index("inquiry").unwrap());
    /// let mut replayer = Replayer::new(d, at("2026-11-22"));
    /// replayer.push("L1", contact, at("2026-11-01"))?;
    /// replayer.push("L1", inquiry, at("2026-12-01"))?; // after the reference time: left out
    /// replayer.push("L2", contact, at("2026-11-20"))?;
    /// assert_eq!(replayer.kept(), 2);
    /// assert_eq!(replayer.ready().count(), 0); // in any order, nothing before `finish`
    /// let leads: Vec<String> = replayer.finish().map(|stay| stay.lead).collect();
    /// assert_eq!(leads, ["L1", "L2"]);
    /// # Ok::<(), leadspec::PushError>(())
    /// ```
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
}
