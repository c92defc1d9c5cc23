//! Step 4: the compiled, typed program and its three-valued evaluation.
//!
//! Every name was resolved to a slot, criterion or built-in by the checker, every literal
//! was converted and every regex compiled, so evaluation only reads the context: it
//! allocates nothing, cannot fail, and visits each node at most once.

use std::ops::Range;
use std::sync::Arc;

use chrono::Months;
use regex::Regex;

use super::lexer::Duration;
use super::parser::{Compare, TextTest};
use super::tables::EnumTable;
use super::Context;
use crate::record::Packed;
use crate::time::{date_from_epoch_days, epoch_days};
use crate::Truth;

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
    YesNo(YesNo),
    Presence {
        what: Presence,
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
        members: Members,
        negated: bool,
    },
    Time(Compare, Time, Time),
    TextEquals(Text, Text, bool),
    YesNoEquals(YesNo, YesNo, bool),
    TextTest(TextTest, Text, Text),
    /// `contains` with a literal: the searcher for the folded literal is built once, at load.
    TextContains(Text, Box<memchr::memmem::Finder<'static>>),
    ListHas(usize, Text),
    /// `matches`: the regex is shared by every rule that writes the same pattern.
    Matches(Text, Arc<Regex>),
    /// `x in [..]` (`not in` when negated): the Kleene `or` of the comparisons.
    OneOf(Box<[Atom]>, bool),
}

/// Something `is present` / `is missing` can ask about.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Presence {
    Field(usize),
    Criterion(usize),
    Qualified,
}

/// A yes/no value: a boolean field or literal, a criterion, the qualification.
#[derive(Clone, Debug)]
pub(crate) enum YesNo {
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

/// A point in time, as seconds since 1970-01-01 00:00 UTC; dates stand for 00:00 UTC of
/// their day. Fixed-length shifts are folded into the operand at load (`today + 90d` is
/// `Today(7_776_000)`), so only calendar shifts (`mo`, `y`) remain as nodes.
#[derive(Clone, Debug)]
pub(crate) enum Time {
    Literal(i64),
    /// A date field, plus a fixed offset in seconds.
    Field(usize, i64),
    /// The reference date, plus a fixed offset in seconds.
    Today(i64),
    /// The reference time, plus a fixed offset in seconds.
    Now(i64),
    /// A calendar shift (months) of another time.
    Shift(Box<Time>, Duration),
}

#[derive(Clone, Debug)]
pub(crate) enum Text {
    /// A literal with its case-folded form, computed once at load.
    Literal { text: Box<str>, folded: Box<str> },
    /// A `string`, `email` or `url` field.
    Field(usize),
    /// An `enum` field, with its values (and their folded forms) to read its index by,
    /// shared with every other rule that reads the field.
    Enum { slot: usize, values: Arc<EnumTable> },
}

/// Which values of an enum field a written list holds: a flag per value of the field when
/// that takes at most 64 bytes per value listed (as for any enum of a real definition),
/// else the listed value indices in order. Either way a list costs memory in proportion to
/// its length, however many values the field has.
#[derive(Clone, Debug)]
pub(crate) struct Members {
    /// Whether each value of the field is listed (empty when the indices are kept instead).
    flags: Box<[bool]>,
    /// The indices listed, sorted, when there are no flags.
    sorted: Box<[u32]>,
}

impl Members {
    /// The set of `indices`, values of a field of `len` values.
    pub(crate) fn new(mut indices: Vec<u32>, len: usize) -> Members {
        indices.sort_unstable();
        indices.dedup();
        if len <= 64 * indices.len().max(1) {
            let mut flags = vec![false; len];
            for &i in &indices {
                if let Some(flag) = flags.get_mut(i as usize) {
                    *flag = true;
                }
            }
            Members { flags: flags.into_boxed_slice(), sorted: Box::default() }
        } else {
            Members { flags: Box::default(), sorted: indices.into_boxed_slice() }
        }
    }

    #[inline]
    pub(crate) fn contains(&self, i: u32) -> bool {
        match self.flags.get(i as usize) {
            Some(&listed) => listed,
            None => !self.sorted.is_empty() && self.sorted.binary_search(&i).is_ok(),
        }
    }
}

impl Atom {
    /// Adds to `out` the fields whose lowercase form this atom reads (the text tests that
    /// ignore case).
    pub(crate) fn folded_fields(&self, out: &mut Vec<usize>) {
        match self {
            Atom::TextTest(_, a, b) => {
                for text in [a, b] {
                    if let Text::Field(i) = text {
                        out.push(*i);
                    }
                }
            }
            Atom::TextContains(Text::Field(i), _) => out.push(*i),
            Atom::OneOf(items, _) => items.iter().for_each(|a| a.folded_fields(out)),
            _ => {}
        }
    }
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
            Atom::YesNo(flag) => flag.eval(ctx),
            Atom::Presence { what, present } => {
                let is_known = match *what {
                    Presence::Field(slot) => ctx.packed(slot).is_present(),
                    Presence::Criterion(i) => criterion(ctx, i) != Truth::Unknown,
                    Presence::Qualified => ctx.qualified != Truth::Unknown,
                };
                Truth::from(is_known == *present)
            }
            Atom::Number(op, a, b) => {
                known(both(a.eval(ctx), b.eval(ctx)).and_then(|(a, b)| a.partial_cmp(&b)).map(|o| op.holds(o)))
            }
            Atom::FieldNumber(op, slot, k) => match ctx.packed(*slot) {
                Packed::Number(n) => known(n.partial_cmp(k).map(|o| op.holds(o))),
                _ => Truth::Unknown,
            },
            Atom::EnumIs { slot, index, equal } => match ctx.packed(*slot) {
                Packed::Enum(i) => Truth::from((i == *index) == *equal),
                _ => Truth::Unknown,
            },
            Atom::EnumIn { slot, members, negated } => match ctx.packed(*slot) {
                Packed::Enum(i) => Truth::from(members.contains(i) != *negated),
                _ => Truth::Unknown,
            },
            Atom::Time(op, a, b) => known(both(a.eval(ctx), b.eval(ctx)).map(|(a, b): (i64, i64)| op.holds(a.cmp(&b)))),
            Atom::TextEquals(a, b, equal) => known(both(a.text(ctx), b.text(ctx)).map(|(a, b)| (a == b) == *equal)),
            Atom::YesNoEquals(a, b, equal) => {
                known(both(a.eval(ctx).known(), b.eval(ctx).known()).map(|(a, b)| (a == b) == *equal))
            }
            Atom::TextTest(test, a, b) => known(both(a.folded(ctx), b.folded(ctx)).map(|(a, b)| match test {
                TextTest::Contains => a.contains(b),
                TextTest::StartsWith => a.starts_with(b),
                TextTest::EndsWith => a.ends_with(b),
            })),
            Atom::TextContains(text, finder) => {
                known(text.folded(ctx).map(|folded| finder.find(folded.as_bytes()).is_some()))
            }
            Atom::ListHas(slot, item) => match (ctx.record.list(ctx.packed(*slot)), item.text(ctx)) {
                (Some(items), Some(item)) => Truth::from(items.contains(item)),
                _ => Truth::Unknown,
            },
            Atom::Matches(text, regex) => known(text.text(ctx).map(|text| regex.is_match(text))),
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

impl YesNo {
    pub(crate) fn eval(&self, ctx: &Context<'_>) -> Truth {
        match *self {
            YesNo::Literal(b) => Truth::from(b),
            YesNo::Field(slot) => match ctx.packed(slot) {
                Packed::Bool(b) => Truth::from(b),
                _ => Truth::Unknown,
            },
            YesNo::Criterion(i) => criterion(ctx, i),
            YesNo::Qualified => ctx.qualified,
        }
    }
}

impl Number {
    pub(crate) fn eval(&self, ctx: &Context<'_>) -> Option<f64> {
        match self {
            Number::Literal(n) => Some(*n),
            Number::Field(slot) => match ctx.packed(*slot) {
                Packed::Number(n) => Some(n),
                _ => None,
            },
            // Scores are sums of i64 points; as f64 they compare exactly up to 2^53.
            Number::Score => Some(ctx.score as f64),
            Number::Neg(inner) => inner.eval(ctx).map(|n| -n),
        }
    }
}

/// A date as seconds since the epoch at 00:00 UTC.
pub(crate) fn date_seconds(date: chrono::NaiveDate) -> i64 {
    i64::from(epoch_days(date)) * 86_400
}

/// Shifts a time by calendar months, clamped to the last day of a shorter month
/// (`2026-08-31 + 1mo` is `2026-09-30`). `None` beyond the calendar's range, which
/// evaluates as unknown.
pub(crate) fn shift_months(seconds: i64, months: i64) -> Option<i64> {
    let (days, time_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let date = date_from_epoch_days(days)?;
    let count = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
    let shifted = if months >= 0 { date.checked_add_months(count) } else { date.checked_sub_months(count) }?;
    Some(date_seconds(shifted) + time_of_day)
}

impl Time {
    pub(crate) fn eval(&self, ctx: &Context<'_>) -> Option<i64> {
        match self {
            Time::Literal(t) => Some(*t),
            Time::Field(slot, offset) => match ctx.packed(*slot) {
                Packed::Date(days) => (i64::from(days) * 86_400).checked_add(*offset),
                _ => None,
            },
            Time::Today(offset) => ctx.today_seconds.checked_add(*offset),
            Time::Now(offset) => ctx.now_seconds.checked_add(*offset),
            Time::Shift(inner, Duration::Months(m)) => shift_months(inner.eval(ctx)?, *m),
            Time::Shift(inner, Duration::Seconds(s)) => inner.eval(ctx)?.checked_add(*s),
        }
    }

    /// This time shifted by `by`: fixed lengths folded into the offset, months as a node.
    pub(crate) fn shifted(self, by: Duration) -> Time {
        let Duration::Seconds(s) = by else { return Time::Shift(Box::new(self), by) };
        let add = |offset: i64| offset.checked_add(s);
        match self {
            Time::Literal(t) if add(t).is_some() => Time::Literal(t + s),
            Time::Field(slot, o) if add(o).is_some() => Time::Field(slot, o + s),
            Time::Today(o) if add(o).is_some() => Time::Today(o + s),
            Time::Now(o) if add(o).is_some() => Time::Now(o + s),
            other => Time::Shift(Box::new(other), by),
        }
    }
}

impl Text {
    /// The text as given (for `==`, `!=`, `matches` and list membership).
    #[inline]
    pub(crate) fn text<'c>(&'c self, ctx: &Context<'c>) -> Option<&'c str> {
        match self {
            Text::Literal { text, .. } => Some(text),
            Text::Field(slot) => ctx.record.text(ctx.packed(*slot)),
            Text::Enum { slot, values } => match ctx.packed(*slot) {
                Packed::Enum(i) => values.text(i),
                _ => None,
            },
        }
    }

    /// The text lowercased (for `contains`, `starts_with` and `ends_with`).
    #[inline]
    pub(crate) fn folded<'c>(&'c self, ctx: &Context<'c>) -> Option<&'c str> {
        match self {
            Text::Literal { folded, .. } => Some(folded),
            Text::Field(slot) => ctx.record.folded(ctx.packed(*slot)),
            Text::Enum { slot, values } => match ctx.packed(*slot) {
                Packed::Enum(i) => values.folded(i),
                _ => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32) -> i64 {
        date_seconds(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn dates_are_seconds_since_the_epoch() {
        assert_eq!(at(1970, 1, 1), 0);
        assert_eq!(at(1970, 1, 2), 86_400);
        assert_eq!(at(1969, 12, 31), -86_400);
        let t = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(at(2026, 11, 22), t.and_utc().timestamp());
    }

    #[test]
    fn calendar_months_clamp_to_the_month_end() {
        assert_eq!(shift_months(at(2026, 8, 31), 1), Some(at(2026, 9, 30)));
        assert_eq!(shift_months(at(2024, 2, 29), 12), Some(at(2025, 2, 28)));
        assert_eq!(shift_months(at(2026, 3, 31), -1), Some(at(2026, 2, 28)));
        assert_eq!(shift_months(at(2026, 1, 1), i64::from(u32::MAX) + 1), None);
        assert_eq!(shift_months(i64::MAX, 1), None);
    }

    #[test]
    fn fixed_shifts_fold_into_the_operand() {
        assert!(matches!(Time::Today(0).shifted(Duration::Seconds(60)), Time::Today(60)));
        assert!(matches!(Time::Field(3, 10).shifted(Duration::Seconds(-10)), Time::Field(3, 0)));
        assert!(matches!(Time::Now(0).shifted(Duration::Months(1)), Time::Shift(_, Duration::Months(1))));
        assert!(matches!(Time::Now(i64::MAX).shifted(Duration::Seconds(1)), Time::Shift(..)));
    }

    #[test]
    fn members_are_flags_for_a_small_enum_and_indices_for_a_short_list() {
        let small = Members::new(vec![2, 0, 2], 3);
        assert_eq!((&*small.flags, small.sorted.len()), (&[true, false, true][..], 0));
        let large = Members::new(vec![9_999, 70, 9_999], 10_000);
        assert_eq!((large.flags.len(), &*large.sorted), (0, &[70, 9_999][..]));
        let full = Members::new((0..10_000).rev().collect(), 10_000);
        assert_eq!((full.flags.len(), full.sorted.len()), (10_000, 0));
        for (members, yes) in [(small, &[0, 2][..]), (large, &[70, 9_999]), (full, &[0, 63, 64, 9_999])] {
            for i in [0, 1, 2, 63, 64, 70, 9_998, 9_999, 10_000, u32::MAX] {
                let expected = yes.contains(&i) || (yes.len() == 4 && i < 10_000);
                assert_eq!(members.contains(i), expected, "{members:?} {i}");
            }
        }
    }
}
