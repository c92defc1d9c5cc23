//! Step 4: the compiled, typed program and its three-valued evaluation.
//!
//! Every name was resolved to a slot, criterion or built-in by the checker, every literal
//! was converted and every regex compiled, so evaluation only reads the context: it
//! allocates nothing, cannot fail, and visits each node at most once.

use std::ops::Range;

use chrono::{Months, NaiveDateTime, NaiveTime, TimeDelta};
use regex::Regex;

use super::lexer::Duration;
use super::parser::{Compare, TextTest};
use super::Context;
use crate::{Slot, Truth};

/// A condition: something that is true, false or unknown.
#[derive(Clone, Debug)]
pub(crate) enum Cond {
    And(Box<[Cond]>),
    Or(Box<[Cond]>),
    Not(Box<Cond>),
    /// A leaf, with the span of its source text (shown by `explain`).
    Atom(Atom, Range<usize>),
}

/// A condition that is not built from other conditions.
#[derive(Clone, Debug)]
pub(crate) enum Atom {
    Flag(Flag),
    Known {
        what: Known,
        present: bool,
    },
    Number(Compare, Number, Number),
    /// A number field against a constant: the commonest comparison, kept flat.
    FieldNumber(Compare, usize, f64),
    /// An enum field equal (or not) to one of its values, compared by index.
    EnumIs {
        slot: usize,
        index: u32,
        equal: bool,
    },
    /// An enum field among a set of its values, by index (`not in` when negated).
    EnumIn {
        slot: usize,
        members: Box<[bool]>,
        negated: bool,
    },
    Time(Compare, Time, Time),
    TextEquals(Text, Text, bool),
    FlagEquals(Flag, Flag, bool),
    TextTest(TextTest, Text, Text),
    ListHas(usize, Text),
    Matches(Text, Box<Regex>),
    /// `x in [..]` (`not in` when negated): the Kleene `or` of the comparisons.
    OneOf(Box<[Atom]>, bool),
}

/// Something `is present` / `is missing` can ask about.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Known {
    Field(usize),
    Criterion(usize),
    Qualified,
}

/// A yes/no value: a boolean field or literal, a criterion, the qualification.
#[derive(Clone, Debug)]
pub(crate) enum Flag {
    Literal(bool),
    Field(usize),
    Criterion(usize),
    Qualified,
}

#[derive(Clone, Debug)]
pub(crate) enum Number {
    Literal(f64),
    Field(usize),
    Score,
    Neg(Box<Number>),
}

/// A point in time; dates stand for 00:00 UTC of their day.
#[derive(Clone, Debug)]
pub(crate) enum Time {
    Literal(NaiveDateTime),
    Field(usize),
    Today,
    Now,
    Shift(Box<Time>, Duration),
}

#[derive(Clone, Debug)]
pub(crate) enum Text {
    /// A literal with its case-folded form, computed once at load.
    Literal { text: Box<str>, folded: Box<str> },
    /// A `string`, `email` or `url` field.
    Field(usize),
    /// An `enum` field, with its values (and their folded forms) to read its index by.
    Enum { slot: usize, values: Box<[(String, String)]> },
}

impl Cond {
    pub(crate) fn eval(&self, ctx: &Context<'_>) -> Truth {
        match self {
            Cond::And(items) => all(items.iter().map(|c| c.eval(ctx))),
            Cond::Or(items) => any(items.iter().map(|c| c.eval(ctx))),
            Cond::Not(inner) => inner.eval(ctx).not(),
            Cond::Atom(atom, _) => atom.eval(ctx),
        }
    }

    /// Calls `f` with every leaf, depth first, in source order.
    pub(crate) fn atoms<'a>(&'a self, f: &mut impl FnMut(&'a Atom, &Range<usize>)) {
        match self {
            Cond::And(items) | Cond::Or(items) => items.iter().for_each(|c| c.atoms(f)),
            Cond::Not(inner) => inner.atoms(f),
            Cond::Atom(atom, span) => f(atom, span),
        }
    }
}

/// Kleene `and` of lazily evaluated operands, stopping at the first `false`.
fn all(mut operands: impl Iterator<Item = Truth>) -> Truth {
    operands
        .try_fold(Truth::True, |acc, t| if t == Truth::False { None } else { Some(acc.and(t)) })
        .unwrap_or(Truth::False)
}

/// Kleene `or` of lazily evaluated operands, stopping at the first `true`.
fn any(mut operands: impl Iterator<Item = Truth>) -> Truth {
    operands
        .try_fold(Truth::False, |acc, t| if t == Truth::True { None } else { Some(acc.or(t)) })
        .unwrap_or(Truth::True)
}

fn known(value: Option<bool>) -> Truth {
    value.map_or(Truth::Unknown, Truth::from)
}

fn both<A, B>(a: Option<A>, b: Option<B>) -> Option<(A, B)> {
    Some((a?, b?))
}

impl Atom {
    pub(crate) fn eval(&self, ctx: &Context<'_>) -> Truth {
        match self {
            Atom::Flag(flag) => flag.eval(ctx),
            Atom::Known { what, present } => {
                let is_known = match *what {
                    Known::Field(slot) => ctx.slots.get(slot).is_some_and(Slot::is_present),
                    Known::Criterion(i) => criterion(ctx, i) != Truth::Unknown,
                    Known::Qualified => ctx.qualified != Truth::Unknown,
                };
                Truth::from(is_known == *present)
            }
            Atom::Number(op, a, b) => {
                known(both(a.eval(ctx), b.eval(ctx)).and_then(|(a, b)| a.partial_cmp(&b)).map(|o| op.holds(o)))
            }
            Atom::FieldNumber(op, slot, k) => match ctx.slots.get(*slot) {
                Some(Slot::Number(n)) => known(n.partial_cmp(k).map(|o| op.holds(o))),
                _ => Truth::Unknown,
            },
            Atom::EnumIs { slot, index, equal } => match ctx.slots.get(*slot) {
                Some(Slot::Enum(i)) => Truth::from((i == index) == *equal),
                _ => Truth::Unknown,
            },
            Atom::EnumIn { slot, members, negated } => match ctx.slots.get(*slot) {
                Some(Slot::Enum(i)) => Truth::from(members.get(*i as usize).copied().unwrap_or(false) != *negated),
                _ => Truth::Unknown,
            },
            Atom::Time(op, a, b) => known(both(a.eval(ctx), b.eval(ctx)).map(|(a, b)| op.holds(a.cmp(&b)))),
            Atom::TextEquals(a, b, equal) => {
                known(both(a.eval(ctx), b.eval(ctx)).map(|((a, _), (b, _))| (a == b) == *equal))
            }
            Atom::FlagEquals(a, b, equal) => {
                known(both(a.eval(ctx).known(), b.eval(ctx).known()).map(|(a, b)| (a == b) == *equal))
            }
            Atom::TextTest(test, a, b) => known(both(a.eval(ctx), b.eval(ctx)).map(|((_, a), (_, b))| match test {
                TextTest::Contains => a.contains(b),
                TextTest::StartsWith => a.starts_with(b),
                TextTest::EndsWith => a.ends_with(b),
            })),
            Atom::ListHas(slot, item) => match (ctx.slots.get(*slot), item.eval(ctx)) {
                (Some(Slot::List(items)), Some((item, _))) => Truth::from(items.iter().any(|i| i == item)),
                _ => Truth::Unknown,
            },
            Atom::Matches(text, regex) => known(text.eval(ctx).map(|(text, _)| regex.is_match(text))),
            Atom::OneOf(options, negated) => {
                let found = any(options.iter().map(|o| o.eval(ctx)));
                if *negated {
                    found.not()
                } else {
                    found
                }
            }
        }
    }
}

fn criterion(ctx: &Context<'_>, i: usize) -> Truth {
    ctx.criteria.get(i).copied().unwrap_or(Truth::Unknown)
}

impl Flag {
    pub(crate) fn eval(&self, ctx: &Context<'_>) -> Truth {
        match *self {
            Flag::Literal(b) => Truth::from(b),
            Flag::Field(slot) => match ctx.slots.get(slot) {
                Some(Slot::Bool(b)) => Truth::from(*b),
                _ => Truth::Unknown,
            },
            Flag::Criterion(i) => criterion(ctx, i),
            Flag::Qualified => ctx.qualified,
        }
    }
}

impl Number {
    pub(crate) fn eval(&self, ctx: &Context<'_>) -> Option<f64> {
        match self {
            Number::Literal(n) => Some(*n),
            Number::Field(slot) => match ctx.slots.get(*slot) {
                Some(Slot::Number(n)) => Some(*n),
                _ => None,
            },
            // Scores are sums of i64 points; as f64 they compare exactly up to 2^53.
            Number::Score => Some(ctx.score as f64),
            Number::Neg(inner) => inner.eval(ctx).map(|n| -n),
        }
    }
}

pub(crate) fn midnight(date: chrono::NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN)
}

/// Shifts a time by a duration: fixed lengths exactly, months and years on the calendar,
/// clamped to the last day of a shorter month (`2026-08-31 + 1mo` is `2026-09-30`).
/// `None` only beyond the calendar's range, which evaluates as unknown.
pub(crate) fn shift(time: NaiveDateTime, by: Duration) -> Option<NaiveDateTime> {
    match by {
        Duration::Seconds(s) => time.checked_add_signed(TimeDelta::try_seconds(s)?),
        Duration::Months(m) => {
            let months = Months::new(u32::try_from(m.unsigned_abs()).ok()?);
            if m >= 0 {
                time.checked_add_months(months)
            } else {
                time.checked_sub_months(months)
            }
        }
    }
}

impl Time {
    pub(crate) fn eval(&self, ctx: &Context<'_>) -> Option<NaiveDateTime> {
        match self {
            Time::Literal(t) => Some(*t),
            Time::Field(slot) => match ctx.slots.get(*slot) {
                Some(Slot::Date(d)) => Some(midnight(*d)),
                _ => None,
            },
            Time::Today => Some(midnight(ctx.now.date())),
            Time::Now => Some(ctx.now),
            Time::Shift(inner, by) => shift(inner.eval(ctx)?, *by),
        }
    }
}

impl Text {
    /// The text and its case-folded form.
    pub(crate) fn eval<'c>(&'c self, ctx: &Context<'c>) -> Option<(&'c str, &'c str)> {
        match self {
            Text::Literal { text, folded } => Some((text, folded)),
            Text::Field(slot) => match ctx.slots.get(*slot) {
                Some(Slot::Text { text, folded }) => Some((text, folded)),
                _ => None,
            },
            Text::Enum { slot, values } => match ctx.slots.get(*slot) {
                Some(Slot::Enum(i)) => values.get(*i as usize).map(|(t, f)| (t.as_str(), f.as_str())),
                _ => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        midnight(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn calendar_months_clamp_to_the_month_end() {
        assert_eq!(shift(at(2026, 8, 31), Duration::Months(1)), Some(at(2026, 9, 30)));
        assert_eq!(shift(at(2024, 2, 29), Duration::Months(12)), Some(at(2025, 2, 28)));
        assert_eq!(shift(at(2026, 3, 31), Duration::Months(-1)), Some(at(2026, 2, 28)));
        assert_eq!(shift(at(2026, 1, 1), Duration::Seconds(86_400)), Some(at(2026, 1, 2)));
        assert_eq!(shift(at(2026, 1, 1), Duration::Months(i64::from(u32::MAX) + 1)), None);
    }
}
