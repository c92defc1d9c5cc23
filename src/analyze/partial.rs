//! Three-valued evaluation of a rule over a *partial* record: fields not yet chosen may be
//! anything, so a condition evaluates to the set of truths it can still take. The set is
//! exact once every field the rule reads is chosen, and never smaller than the truths the
//! completions of the record give, so the search may drop a branch whose set lacks the
//! truth it needs.

use super::domain::{address, holds, Class, Domain};
use crate::definition::Requirement;
use crate::rule::{Atom, Cond, Number, Presence, Rule, Text, Time, YesNo};
use crate::Truth;

/// A set of truths: bit 0 true, bit 1 false, bit 2 unknown.
pub(crate) type Set = u8;
pub(crate) const TRUE: Set = 1;
pub(crate) const FALSE: Set = 2;
pub(crate) const UNKNOWN: Set = 4;
pub(crate) const ANY: Set = 7;
/// True or false, never unknown.
const KNOWN: Set = TRUE | FALSE;

pub(crate) fn one(truth: Truth) -> Set {
    match truth {
        Truth::True => TRUE,
        Truth::False => FALSE,
        Truth::Unknown => UNKNOWN,
    }
}

fn truths(set: Set) -> impl Iterator<Item = Truth> {
    [Truth::True, Truth::False, Truth::Unknown].into_iter().filter(move |t| set & one(*t) != 0)
}

/// `f` applied to every pair of truths of the two sets.
fn lift(a: Set, b: Set, f: impl Fn(Truth, Truth) -> Truth) -> Set {
    let mut out = 0;
    for x in truths(a) {
        for y in truths(b) {
            out |= one(f(x, y));
        }
    }
    out
}

fn not(a: Set) -> Set {
    truths(a).fold(0, |acc, t| acc | one(t.not()))
}

fn from_bool(b: bool) -> Set {
    if b {
        TRUE
    } else {
        FALSE
    }
}

/// A partial record: a value per field, and the truth chosen for each text test.
#[derive(Clone, Debug)]
pub(crate) struct Env {
    /// Each field's value class, `None` while the search has not chosen one.
    pub(crate) vals: Vec<Option<Class>>,
    pub(crate) signs: Vec<Option<bool>>,
}

/// The derived values over a partial record: criterion states, qualification, and the
/// least and greatest score.
#[derive(Clone, Debug)]
pub(crate) struct Derived {
    pub(crate) criteria: Vec<Set>,
    pub(crate) qualified: Set,
    pub(crate) score: (i64, i64),
}

/// A number operand: any, unknown, one value, or a range of scores.
#[derive(Clone, Copy)]
enum Num {
    Any,
    Unknown,
    Exact(f64),
    Range(i64, i64),
}

/// A text operand: any, unknown, or one text.
enum Txt<'a> {
    Any,
    Unknown,
    Known(std::borrow::Cow<'a, str>),
}

/// Evaluates rules over one partial record.
pub(crate) struct Partial<'a> {
    pub(crate) domain: &'a Domain<'a>,
    pub(crate) env: &'a Env,
    pub(crate) derived: &'a Derived,
}

impl Partial<'_> {
    pub(crate) fn rule(&self, rule: &Rule) -> Set {
        self.cond(rule.root())
    }

    fn cond(&self, cond: &Cond) -> Set {
        match cond {
            Cond::And(items) => {
                items.iter().fold(TRUE, |acc, c| if acc == FALSE { acc } else { lift(acc, self.cond(c), Truth::and) })
            }
            Cond::Or(items) => {
                items.iter().fold(FALSE, |acc, c| if acc == TRUE { acc } else { lift(acc, self.cond(c), Truth::or) })
            }
            Cond::Not(inner) => not(self.cond(inner)),
            Cond::Atom(atom, _) => self.atom(atom),
        }
    }

    fn val(&self, slot: usize) -> Option<Class> {
        self.env.vals.get(slot).copied().unwrap_or(Some(Class::Missing))
    }

    fn atom(&self, atom: &Atom) -> Set {
        let at = address(atom);
        if self.domain.opaque.contains(&at) {
            return ANY;
        }
        if let Some(&id) = self.domain.by_atom.get(&at) {
            return self.test(atom, id);
        }
        match atom {
            Atom::YesNo(flag) => self.yes_no(flag),
            Atom::Presence { what, present } => match *what {
                Presence::Field(slot) => match self.val(slot) {
                    None => KNOWN,
                    Some(Class::Missing) => from_bool(!*present),
                    _ => from_bool(*present),
                },
                Presence::Criterion(i) => {
                    self.known(self.derived.criteria.get(i).copied().unwrap_or(UNKNOWN), *present)
                }
                Presence::Qualified => self.known(self.derived.qualified, *present),
            },
            Atom::Number(op, a, b) => compare(*op, self.number(a), self.number(b)),
            Atom::FieldNumber(op, slot, k) => compare(*op, self.number(&Number::Field(*slot)), Num::Exact(*k)),
            Atom::EnumIs { slot, index, equal } => match self.val(*slot) {
                None => ANY,
                Some(Class::Enum(i)) => from_bool((i == *index) == *equal),
                _ => UNKNOWN,
            },
            Atom::EnumIn { slot, members, negated } => match self.val(*slot) {
                None => ANY,
                Some(Class::Enum(i)) => from_bool(members.contains(i) != *negated),
                _ => UNKNOWN,
            },
            Atom::Time(op, a, b) => match (self.time(a), self.time(b)) {
                (Some(Some(a)), Some(Some(b))) => from_bool(op.holds(a.cmp(&b))),
                (Some(None), _) | (_, Some(None)) => UNKNOWN,
                _ => ANY,
            },
            Atom::TextEquals(a, b, equal) => match (self.text(a, false), self.text(b, false)) {
                (Txt::Known(a), Txt::Known(b)) => from_bool((a == b) == *equal),
                (Txt::Unknown, _) | (_, Txt::Unknown) => UNKNOWN,
                _ => ANY,
            },
            Atom::YesNoEquals(a, b, equal) => {
                lift(self.yes_no(a), self.yes_no(b), |x, y| match (x.known(), y.known()) {
                    (Some(x), Some(y)) => Truth::from((x == y) == *equal),
                    _ => Truth::Unknown,
                })
            }
            Atom::TextTest(test, a, b) => match (self.text(a, true), self.text(b, true)) {
                (Txt::Known(a), Txt::Known(b)) => from_bool(match test {
                    crate::rule::TextTest::Contains => a.contains(&*b),
                    crate::rule::TextTest::StartsWith => a.starts_with(&*b),
                    crate::rule::TextTest::EndsWith => a.ends_with(&*b),
                }),
                (Txt::Unknown, _) | (_, Txt::Unknown) => UNKNOWN,
                _ => ANY,
            },
            Atom::TextContains(text, finder) => match self.text(text, true) {
                Txt::Known(t) => from_bool(finder.find(t.as_bytes()).is_some()),
                Txt::Unknown => UNKNOWN,
                Txt::Any => ANY,
            },
            Atom::Matches(text, regex) => match self.text(text, false) {
                Txt::Known(t) => from_bool(regex.is_match(&t)),
                Txt::Unknown => UNKNOWN,
                Txt::Any => ANY,
            },
            // Lists are read through their tests; anything else about them is unknown here.
            Atom::ListHas(..) => ANY,
            Atom::OneOf(options, negated) => {
                let found = options.iter().fold(FALSE, |acc, o| lift(acc, self.atom(o), Truth::or));
                if *negated {
                    not(found)
                } else {
                    found
                }
            }
        }
    }

    /// A text or list test: unknown when the field is missing, else its chosen truth.
    fn test(&self, atom: &Atom, id: usize) -> Set {
        let Some(constraint) = self.domain.constraints.get(id) else { return ANY };
        let sign = self.env.signs.get(id).copied().flatten();
        let inner = match self.val(constraint.slot) {
            None => ANY,
            Some(Class::Present) => sign.map_or(KNOWN, from_bool),
            _ => UNKNOWN,
        };
        // `!=` is the negation of the `==` test it shares with `==`.
        match atom {
            Atom::TextEquals(_, _, false) => not(inner),
            _ => inner,
        }
    }

    fn known(&self, states: Set, present: bool) -> Set {
        let mut out = 0;
        if states & KNOWN != 0 {
            out |= from_bool(present);
        }
        if states & UNKNOWN != 0 {
            out |= from_bool(!present);
        }
        out
    }

    fn yes_no(&self, flag: &YesNo) -> Set {
        match flag {
            YesNo::Literal(b) => from_bool(*b),
            YesNo::Field(slot) => match self.val(*slot) {
                None => ANY,
                Some(Class::Bool(b)) => from_bool(b),
                _ => UNKNOWN,
            },
            YesNo::Criterion(i) => self.derived.criteria.get(*i).copied().unwrap_or(UNKNOWN),
            YesNo::Qualified => self.derived.qualified,
        }
    }

    fn number(&self, number: &Number) -> Num {
        match number {
            Number::Literal(n) => Num::Exact(*n),
            Number::Field(slot) => match self.val(*slot) {
                None => Num::Any,
                Some(Class::Number(n)) => Num::Exact(n),
                _ => Num::Unknown,
            },
            Number::Score => {
                let (lo, hi) = self.derived.score;
                if lo == hi {
                    Num::Exact(lo as f64)
                } else {
                    Num::Range(lo, hi)
                }
            }
            Number::Neg(inner) => match self.number(inner) {
                Num::Exact(n) => Num::Exact(-n),
                Num::Range(lo, hi) => Num::Range(hi.saturating_neg(), lo.saturating_neg()),
                other => other,
            },
        }
    }

    /// A time: `None` while it may be anything, `Some(None)` when unknown.
    fn time(&self, time: &Time) -> Option<Option<i64>> {
        if let Some(constant) = self.domain.constant_time(time) {
            return Some(constant);
        }
        match time {
            Time::Field(slot, offset) => match self.val(*slot) {
                None => None,
                Some(Class::Date(days)) => Some(days.checked_mul(86_400).and_then(|s| s.checked_add(*offset))),
                _ => Some(None),
            },
            Time::Shift(inner, by) => {
                let t = self.time(inner)?;
                Some(t.and_then(|t| match by {
                    crate::rule::Duration::Months(m) => crate::rule::shift_months(t, *m),
                    crate::rule::Duration::Seconds(s) => t.checked_add(*s),
                }))
            }
            _ => Some(None),
        }
    }

    fn text<'t>(&'t self, text: &'t Text, folded: bool) -> Txt<'t> {
        match text {
            Text::Literal { text, folded: lower } => {
                Txt::Known(if folded { lower.as_ref().into() } else { text.as_ref().into() })
            }
            Text::Enum { slot, values } => match self.val(*slot) {
                None => Txt::Any,
                Some(Class::Enum(i)) => {
                    let value = if folded { values.folded(i) } else { values.text(i) };
                    value.map_or(Txt::Unknown, |v| Txt::Known(v.into()))
                }
                _ => Txt::Unknown,
            },
            Text::Field(slot) => match self.val(*slot) {
                None | Some(Class::Present) => Txt::Any,
                _ => Txt::Unknown,
            },
        }
    }
}

/// The truths of `a <op> b`.
fn compare(op: crate::rule::Compare, a: Num, b: Num) -> Set {
    use crate::rule::Compare;
    match (a, b) {
        (Num::Unknown, _) | (_, Num::Unknown) => UNKNOWN,
        (Num::Any, _) | (_, Num::Any) => ANY,
        (Num::Exact(a), Num::Exact(b)) => holds(op, a, b).map_or(UNKNOWN, from_bool),
        (Num::Range(lo, hi), Num::Exact(k)) => range(op, lo, hi, k),
        (Num::Exact(k), Num::Range(lo, hi)) => {
            let flipped = match op {
                Compare::Lt => Compare::Gt,
                Compare::Le => Compare::Ge,
                Compare::Gt => Compare::Lt,
                Compare::Ge => Compare::Le,
                other => other,
            };
            range(flipped, lo, hi, k)
        }
        (Num::Range(..), Num::Range(..)) => KNOWN,
    }
}

/// The truths of `s <op> k` for the whole scores `s` from `lo` to `hi`.
fn range(op: crate::rule::Compare, lo: i64, hi: i64, k: f64) -> Set {
    use crate::rule::Compare;
    let (lo_f, hi_f) = (lo as f64, hi as f64);
    match op {
        Compare::Eq | Compare::Ne => {
            let can_equal = k.fract() == 0.0 && lo_f <= k && k <= hi_f;
            let can_differ = !(lo == hi && lo_f == k);
            let (yes, no) = if op == Compare::Eq { (can_equal, can_differ) } else { (can_differ, can_equal) };
            (if yes { TRUE } else { 0 }) | (if no { FALSE } else { 0 })
        }
        _ => [lo_f, hi_f].iter().fold(0, |acc, &s| acc | holds(op, s, k).map_or(UNKNOWN, from_bool)),
    }
}

/// The qualification over criteria that may take several states.
pub(crate) fn qualified(require: Requirement, criteria: &[Set]) -> Set {
    match require {
        Requirement::All => criteria.iter().fold(TRUE, |acc, &s| lift(acc, s, Truth::and)),
        Requirement::Any => criteria.iter().fold(FALSE, |acc, &s| lift(acc, s, Truth::or)),
        Requirement::AtLeast(n) => {
            // The fewest and most criteria that may be met, and that may not be false.
            let met_most = criteria.iter().filter(|&&s| s & TRUE != 0).count();
            let met_least = criteria.iter().filter(|&&s| s == TRUE).count();
            let open_least = criteria.iter().filter(|&&s| s & FALSE == 0).count();
            let open_most = criteria.iter().filter(|&&s| s != FALSE).count();
            let mut out = 0;
            if met_most >= n {
                out |= TRUE;
            }
            if open_least < n {
                out |= FALSE;
            }
            if met_least < n && open_most >= n {
                out |= UNKNOWN;
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::Compare;

    #[test]
    fn sets_lift_kleene_logic() {
        assert_eq!(lift(TRUE | UNKNOWN, FALSE, Truth::and), FALSE);
        assert_eq!(lift(TRUE | UNKNOWN, TRUE, Truth::and), TRUE | UNKNOWN);
        assert_eq!(lift(ANY, TRUE, Truth::or), TRUE);
        assert_eq!(not(TRUE | UNKNOWN), FALSE | UNKNOWN);
    }

    #[test]
    fn a_score_range_compares_at_its_ends() {
        assert_eq!(range(Compare::Ge, 0, 40, 50.0), FALSE);
        assert_eq!(range(Compare::Ge, 0, 60, 50.0), TRUE | FALSE);
        assert_eq!(range(Compare::Eq, 0, 60, 50.5), FALSE);
        assert_eq!(range(Compare::Eq, 50, 50, 50.0), TRUE);
        assert_eq!(compare(Compare::Lt, Num::Exact(3.0), Num::Range(5, 9)), TRUE);
        assert_eq!(compare(Compare::Lt, Num::Any, Num::Exact(1.0)), ANY);
        assert_eq!(compare(Compare::Lt, Num::Unknown, Num::Any), UNKNOWN);
    }

    #[test]
    fn at_least_over_sets_covers_every_completion() {
        assert_eq!(qualified(Requirement::AtLeast(2), &[TRUE, TRUE, ANY]), TRUE);
        assert_eq!(qualified(Requirement::AtLeast(2), &[FALSE, FALSE, ANY]), FALSE);
        assert_eq!(qualified(Requirement::AtLeast(1), &[ANY]), ANY);
        assert_eq!(qualified(Requirement::All, &[TRUE, UNKNOWN]), UNKNOWN);
    }
}
