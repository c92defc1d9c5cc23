//! Step 5: the flat program, the form in which rules run.
//!
//! The checker's tree (`eval`) is kept for `explain`, which needs each leaf's span; what
//! classifies is this: every rule of a definition lowered into one contiguous list of
//! [`Node`]s. A node is one leaf test, specialised to what it compares (a number field
//! against a literal, an enum field against a set of its values, a date field against
//! `today` shifted, ...), and three continuations: the node to go to when the test is
//! false, unknown or true. `and`, `or` and `not` leave no node behind: they only decide
//! the continuations, as a compiler lowers `&&` and `||` to jumps, so running a rule is
//! one loop, one test per leaf it needs, with no call and no stack.
//!
//! Kleene's logic is kept exactly: an `and` goes on at its first false operand, and after
//! an unknown one it goes on in a second copy of the remaining operands that can end in
//! false or unknown but no longer in true (an `or` is the mirror image). Where unknown
//! goes where false goes (a stage's or a scoring rule's `when`, which only asks "is it
//! true?") or where true goes, no copy is needed, so those rules lower to as many nodes
//! as they have leaves.
//!
//! Criteria, the qualification and the score are *derived*: a node that reads one asks
//! its [`Derived`] source, which computes it the first time and remembers it. So a lead
//! caught by a stage that reads none of them never pays for them.
//!
//! Atoms too rare to deserve an op of their own (text equality, `matches`, lists, `in`
//! over text, field-to-field comparisons, calendar shifts) are kept as the checker built
//! them and evaluated by the tree's code, which the two evaluators share; a property test
//! checks that the program and the tree agree on every rule.

use std::sync::Arc;

use chrono::NaiveDateTime;
use regex::Regex;

use super::eval::{Atom, Cond, Members, Number, Presence, Text, Time, YesNo};
use super::parser::Compare;
use super::Context;
use crate::record::Packed;
use crate::{Prepared, Truth};

/// The criteria, qualification and score a rule may read, evaluated on demand.
pub(crate) trait Derived {
    /// The state of criterion `i`.
    fn criterion(&mut self, i: usize) -> Truth;
    /// The qualification.
    fn qualified(&mut self) -> Truth;
    /// The score.
    fn score(&mut self) -> i64;
    /// Every criterion, the qualification and the score at once, for an atom evaluated by
    /// the tree's code.
    fn all(&mut self) -> (&[Truth], Truth, i64);
}

/// No derived values: for the criteria themselves, which may read none (the checker
/// refuses a criterion that reads a criterion, `qualified` or `score`).
pub(crate) struct Underived;

impl Derived for Underived {
    fn criterion(&mut self, _: usize) -> Truth {
        Truth::Unknown
    }
    fn qualified(&mut self) -> Truth {
        Truth::Unknown
    }
    fn score(&mut self) -> i64 {
        0
    }
    fn all(&mut self) -> (&[Truth], Truth, i64) {
        (&[], Truth::Unknown, 0)
    }
}

/// What a time is compared with, in a date op.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Base {
    /// A fixed time, in seconds since the epoch.
    Fixed(i64),
    /// The start of the reference date, plus an offset in seconds.
    Today(i64),
    /// The reference time, plus an offset in seconds.
    Now(i64),
}

/// One node: a leaf test and where to go after it, by the truth it gives.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    op: Op,
    /// The node to go to when the test is false, unknown, true (indexed by the truth).
    next: Next,
}

/// Where to go after a test that gave false, unknown or true.
pub(crate) type Next = [u32; 3];

/// Where a run ends: a continuation past every node, read as the number `end` counts
/// down from `u32::MAX` (so `end(0)` is `u32::MAX`).
pub(crate) const fn end(n: u32) -> u32 {
    u32::MAX - n
}

/// One leaf test: it reads one field (or one derived value) and gives a truth.
#[derive(Clone, Debug)]
pub(crate) enum Op {
    /// A literal `true` or `false`.
    Const(Truth),
    /// A number field against a number.
    Number { cmp: Compare, slot: u32, k: f64 },
    /// The score against a number.
    Score { cmp: Compare, k: f64 },
    /// An enum field equal (or not) to one of its values.
    EnumIs { slot: u32, index: u32, equal: bool },
    /// An enum field among a set of its values (`not in` when negated).
    EnumIn { slot: u32, negated: bool, members: Box<Members> },
    /// A boolean field.
    Bool(u32),
    /// `field is present` (or `is missing` when not `present`).
    Present { slot: u32, present: bool },
    /// `criteria.<id>`.
    Criterion(u32),
    /// `criteria.<id> is present` (or `is missing`).
    CriterionKnown { index: u32, present: bool },
    /// `qualified`.
    Qualified,
    /// `qualified is present` (or `is missing`).
    QualifiedKnown(bool),
    /// A date field, shifted by a fixed number of seconds, against a time.
    Date { cmp: Compare, slot: u32, shift: i64, base: Base },
    /// A text field `contains` a literal, with the searcher for its lowercase form.
    Contains { slot: u32, finder: Box<memchr::memmem::Finder<'static>> },
    /// A list field holds a literal item.
    ListHas { slot: u32, item: Box<str> },
    /// A text field matches a regex.
    Matches { slot: u32, regex: Arc<Regex> },
    /// Any other atom, evaluated by the tree's code; `derived` when it reads a criterion,
    /// the qualification or the score.
    Atom { atom: Box<Atom>, derived: bool },
}

/// The reference time, as the ops read it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clock {
    now: NaiveDateTime,
    now_seconds: i64,
    today_seconds: i64,
}

impl Clock {
    /// The clock of the reference time `now` (UTC).
    pub(crate) fn new(now: NaiveDateTime) -> Clock {
        let now_seconds = now.and_utc().timestamp();
        Clock { now, now_seconds, today_seconds: now_seconds.div_euclid(86_400) * 86_400 }
    }

    fn base(self, base: Base) -> Option<i64> {
        match base {
            Base::Fixed(t) => Some(t),
            Base::Today(offset) => self.today_seconds.checked_add(offset),
            Base::Now(offset) => self.now_seconds.checked_add(offset),
        }
    }
}

/// Appends to `nodes` the nodes that evaluate `cond` and go on to `next[t]` for its
/// truth `t` (false, unknown, true); returns the node to start at (which may be one of
/// `next` itself, for an empty `and` or `or`).
///
/// An `and` goes on at its first false operand; an operand after an unknown one is
/// lowered a second time, for the runs that know the result can no longer be true, unless
/// unknown goes where false or true goes (as for a stage's rule, where only true
/// matters), which keeps the lowering of such rules linear. An `or` is the mirror image.
///
/// `None` when that would take `nodes` past `limit` nodes (what is pushed then is
/// garbage: the caller truncates it).
pub(crate) fn lower(cond: &Cond, next: Next, nodes: &mut Vec<Node>, limit: usize) -> Option<u32> {
    let [f, u, t] = next;
    match cond {
        Cond::And(items) => {
            // rest_t and rest_u: where to evaluate the operands after this one, when those
            // before it were all true, or some unknown (and none false).
            let (mut rest_t, mut rest_u) = (t, u);
            for (i, item) in items.iter().enumerate().rev() {
                let entry_t = lower(item, [f, rest_u, rest_t], nodes, limit)?;
                let entry_u = if i == 0 {
                    rest_u
                } else if u == f {
                    f
                } else if u == t || rest_u == rest_t {
                    entry_t
                } else {
                    lower(item, [f, rest_u, rest_u], nodes, limit)?
                };
                (rest_t, rest_u) = (entry_t, entry_u);
            }
            Some(rest_t)
        }
        Cond::Or(items) => {
            let (mut rest_f, mut rest_u) = (f, u);
            for (i, item) in items.iter().enumerate().rev() {
                let entry_f = lower(item, [rest_f, rest_u, t], nodes, limit)?;
                let entry_u = if i == 0 {
                    rest_u
                } else if u == t {
                    t
                } else if u == f || rest_u == rest_f {
                    entry_f
                } else {
                    lower(item, [rest_u, rest_u, t], nodes, limit)?
                };
                (rest_f, rest_u) = (entry_f, entry_u);
            }
            Some(rest_f)
        }
        Cond::Not(inner) => lower(inner, [t, u, f], nodes, limit),
        Cond::Atom(atom, _) => {
            if nodes.len() >= limit {
                return None;
            }
            let at = u32::try_from(nodes.len()).ok()?;
            nodes.push(Node { op: leaf(atom), next });
            Some(at)
        }
    }
}

fn slot(slot: usize) -> u32 {
    u32::try_from(slot).unwrap_or(u32::MAX)
}

/// The op of one atom: a specialised one where the atom has a common shape.
fn leaf(atom: &Atom) -> Op {
    match atom {
        Atom::YesNo(YesNo::Literal(b)) => Op::Const(Truth::from(*b)),
        Atom::YesNo(YesNo::Field(s)) => Op::Bool(slot(*s)),
        Atom::YesNo(YesNo::Criterion(i)) => Op::Criterion(slot(*i)),
        Atom::YesNo(YesNo::Qualified) => Op::Qualified,
        Atom::Presence { what: Presence::Field(s), present } => Op::Present { slot: slot(*s), present: *present },
        Atom::Presence { what: Presence::Criterion(i), present } => {
            Op::CriterionKnown { index: slot(*i), present: *present }
        }
        Atom::Presence { what: Presence::Qualified, present } => Op::QualifiedKnown(*present),
        Atom::FieldNumber(cmp, s, k) => Op::Number { cmp: *cmp, slot: slot(*s), k: *k },
        Atom::Number(cmp, Number::Field(s), Number::Literal(k)) => Op::Number { cmp: *cmp, slot: slot(*s), k: *k },
        Atom::Number(cmp, Number::Literal(k), Number::Field(s)) => {
            Op::Number { cmp: cmp.mirrored(), slot: slot(*s), k: *k }
        }
        Atom::Number(cmp, Number::Score, Number::Literal(k)) => Op::Score { cmp: *cmp, k: *k },
        Atom::Number(cmp, Number::Literal(k), Number::Score) => Op::Score { cmp: cmp.mirrored(), k: *k },
        Atom::EnumIs { slot: s, index, equal } => Op::EnumIs { slot: slot(*s), index: *index, equal: *equal },
        Atom::EnumIn { slot: s, members, negated } => {
            Op::EnumIn { slot: slot(*s), negated: *negated, members: Box::new(members.clone()) }
        }
        Atom::Time(cmp, a, b) => match (a, b, base(a), base(b)) {
            (Time::Field(s, shift), _, _, Some(base)) => Op::Date { cmp: *cmp, slot: slot(*s), shift: *shift, base },
            (_, Time::Field(s, shift), Some(base), _) => {
                Op::Date { cmp: cmp.mirrored(), slot: slot(*s), shift: *shift, base }
            }
            _ => Op::Atom { atom: Box::new(atom.clone()), derived: false },
        },
        Atom::TextContains(Text::Field(s), finder) => Op::Contains { slot: slot(*s), finder: finder.clone() },
        Atom::ListHas(s, Text::Literal { text, .. }) => Op::ListHas { slot: slot(*s), item: text.clone() },
        Atom::Matches(Text::Field(s), regex) => Op::Matches { slot: slot(*s), regex: Arc::clone(regex) },
        other => Op::Atom { atom: Box::new(other.clone()), derived: reads_derived(other) },
    }
}

fn base(time: &Time) -> Option<Base> {
    match *time {
        Time::Literal(t) => Some(Base::Fixed(t)),
        Time::Today(offset) => Some(Base::Today(offset)),
        Time::Now(offset) => Some(Base::Now(offset)),
        Time::Field(..) | Time::Shift(..) => None,
    }
}

/// Whether an atom reads a criterion, the qualification or the score.
fn reads_derived(atom: &Atom) -> bool {
    let yes_no = |y: &YesNo| matches!(y, YesNo::Criterion(_) | YesNo::Qualified);
    fn number(n: &Number) -> bool {
        match n {
            Number::Score => true,
            Number::Neg(inner) => number(inner),
            Number::Literal(_) | Number::Field(_) => false,
        }
    }
    match atom {
        Atom::YesNo(y) => yes_no(y),
        Atom::YesNoEquals(a, b, _) => yes_no(a) || yes_no(b),
        Atom::Presence { what, .. } => !matches!(what, Presence::Field(_)),
        Atom::Number(_, a, b) => number(a) || number(b),
        Atom::OneOf(items, _) => items.iter().any(reads_derived),
        _ => false,
    }
}

/// Runs `nodes` for `record` from the node at `entry` until a continuation past the
/// last node; returns its number (`n` of [`end`]`(n)`).
#[inline]
pub(crate) fn run<D: Derived>(nodes: &[Node], entry: u32, record: &Prepared, clock: Clock, derived: &mut D) -> u32 {
    let mut at = entry;
    while let Some(node) = nodes.get(at as usize) {
        at = node.next[test(&node.op, record, clock, derived) as usize];
    }
    u32::MAX - at
}

#[inline]
fn packed(record: &Prepared, slot: u32) -> Packed {
    record.values.get(slot as usize).copied().unwrap_or(Packed::Missing)
}

#[inline]
fn compare<T: PartialOrd>(cmp: Compare, a: T, b: T) -> Truth {
    a.partial_cmp(&b).map_or(Truth::Unknown, |o| Truth::from(cmp.holds(o)))
}

/// The truth of one leaf op.
#[inline]
fn test<D: Derived>(op: &Op, record: &Prepared, clock: Clock, derived: &mut D) -> Truth {
    match op {
        Op::Const(truth) => *truth,
        Op::Number { cmp, slot, k } => match packed(record, *slot) {
            Packed::Number(n) => compare(*cmp, n, *k),
            _ => Truth::Unknown,
        },
        Op::Score { cmp, k } => compare(*cmp, derived.score() as f64, *k),
        Op::EnumIs { slot, index, equal } => match packed(record, *slot) {
            Packed::Enum(i) => Truth::from((i == *index) == *equal),
            _ => Truth::Unknown,
        },
        Op::EnumIn { slot, negated, members } => match packed(record, *slot) {
            Packed::Enum(i) => Truth::from(members.contains(i) != *negated),
            _ => Truth::Unknown,
        },
        Op::Bool(slot) => match packed(record, *slot) {
            Packed::Bool(b) => Truth::from(b),
            _ => Truth::Unknown,
        },
        Op::Present { slot, present } => Truth::from(packed(record, *slot).is_present() == *present),
        Op::Criterion(i) => derived.criterion(*i as usize),
        Op::CriterionKnown { index, present } => {
            Truth::from((derived.criterion(*index as usize) != Truth::Unknown) == *present)
        }
        Op::Qualified => derived.qualified(),
        Op::QualifiedKnown(present) => Truth::from((derived.qualified() != Truth::Unknown) == *present),
        Op::Date { cmp, slot, shift, base } => match packed(record, *slot) {
            Packed::Date(days) => match ((i64::from(days) * 86_400).checked_add(*shift), clock.base(*base)) {
                (Some(a), Some(b)) => Truth::from(cmp.holds(a.cmp(&b))),
                _ => Truth::Unknown,
            },
            _ => Truth::Unknown,
        },
        Op::Contains { slot, finder } => match record.folded(packed(record, *slot)) {
            Some(folded) => Truth::from(finder.find(folded.as_bytes()).is_some()),
            None => Truth::Unknown,
        },
        Op::ListHas { slot, item } => match record.list(packed(record, *slot)) {
            Some(items) => Truth::from(items.contains(item)),
            None => Truth::Unknown,
        },
        Op::Matches { slot, regex } => match record.text(packed(record, *slot)) {
            Some(text) => Truth::from(regex.is_match(text)),
            None => Truth::Unknown,
        },
        Op::Atom { atom, derived: false } => atom.eval(&context(record, clock, &[], Truth::Unknown, 0)),
        Op::Atom { atom, derived: true } => {
            let (criteria, qualified, score) = derived.all();
            atom.eval(&context(record, clock, criteria, qualified, score))
        }
    }
}

fn context<'a>(record: &'a Prepared, clock: Clock, criteria: &'a [Truth], qualified: Truth, score: i64) -> Context<'a> {
    Context {
        record,
        criteria,
        qualified,
        score,
        now: clock.now,
        now_seconds: clock.now_seconds,
        today_seconds: clock.today_seconds,
    }
}
