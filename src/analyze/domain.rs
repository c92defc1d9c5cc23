//! The finite domain of each field: the classes of values that no rule of the definition
//! tells apart, found from the literals the rules compare the field with.
//!
//! A number field compared with `5` and `10` has the classes *missing*, `4`, `5`, `7.5`,
//! `10` and `11`: every comparison with a literal has one truth on each. Dates likewise, in
//! days, with `today`, `now` and calendar shifts computed at the reference time. Enums and
//! booleans are finite. Text and list fields are *missing* or *present*; what a present
//! value satisfies is decided per text test ([`Constraint`]), solved in `text.rs`.
//! An invalid value is never a class of its own: every rule reads it as missing.

use std::collections::{HashMap, HashSet};

use super::text;
use crate::rule::{shift_months, Atom, Compare, Duration, Number, Rule, Text, TextTest, Time};
use crate::{Definition, FieldType};

/// One value class of a field, with the representative the search gives the field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Class {
    Missing,
    Number(f64),
    Bool(bool),
    /// Days since 1970-01-01.
    Date(i64),
    Enum(u32),
    /// A text or list value, whose text tests are decided one by one.
    Present,
}

/// A test on the value of a text or list field whose truth the search chooses.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Test {
    /// A whole-string pattern (see `text.rs`) of a text field.
    Pattern(String),
    /// Membership of an item in a list field.
    Item(String),
}

/// A [`Test`] on one field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Constraint {
    pub(crate) slot: usize,
    pub(crate) test: Test,
}

/// What the rules of one definition compare each field with, at one reference time.
pub(crate) struct Domain<'d> {
    pub(crate) definition: &'d Definition,
    pub(crate) now_seconds: i64,
    pub(crate) today_seconds: i64,
    numbers: HashMap<usize, Vec<f64>>,
    days: HashMap<usize, Vec<i64>>,
    /// The text tests, each once.
    pub(crate) constraints: Vec<Constraint>,
    /// The constraint each text-test atom is, by the atom's address.
    pub(crate) by_atom: HashMap<usize, usize>,
    /// Atoms the search cannot reason about (a text field compared with another): they may
    /// be anything until the witness is classified.
    pub(crate) opaque: HashSet<usize>,
    /// Atoms whose classes may not tell every case apart (a field compared with another
    /// field, or with the score): a witness is still checked, but finding none proves
    /// nothing.
    pub(crate) partial: HashSet<usize>,
    /// The values of each enum field that some rule names (`None`: read as text, so every
    /// value counts). Values no rule names are alike: one of them stands for all.
    named: HashMap<usize, Option<HashSet<u32>>>,
}

/// The address of an atom, which identifies it while the definition is borrowed.
pub(crate) fn address(atom: &Atom) -> usize {
    std::ptr::from_ref(atom) as usize
}

/// A number operand as the search sees it.
enum Side {
    Field(usize, f64),
    Constant(f64),
    Other,
}

fn side(number: &Number) -> Side {
    match number {
        Number::Literal(n) => Side::Constant(*n),
        Number::Field(slot) => Side::Field(*slot, 1.0),
        Number::Score => Side::Other,
        Number::Neg(inner) => match side(inner) {
            Side::Field(slot, sign) => Side::Field(slot, -sign),
            Side::Constant(n) => Side::Constant(-n),
            Side::Other => Side::Other,
        },
    }
}

/// A time operand as the search sees it: a date field with its fixed offset and calendar
/// shift, a constant at the reference time (`None` beyond the calendar), or neither.
enum Moment {
    Field(usize, i64, i64),
    Constant(Option<i64>),
}

impl Domain<'_> {
    fn moment(&self, time: &Time) -> Moment {
        match time {
            Time::Literal(t) => Moment::Constant(Some(*t)),
            Time::Today(o) => Moment::Constant(self.today_seconds.checked_add(*o)),
            Time::Now(o) => Moment::Constant(self.now_seconds.checked_add(*o)),
            Time::Field(slot, o) => Moment::Field(*slot, *o, 0),
            Time::Shift(inner, by) => match (self.moment(inner), by) {
                (Moment::Constant(t), Duration::Months(m)) => Moment::Constant(t.and_then(|t| shift_months(t, *m))),
                (Moment::Constant(t), Duration::Seconds(s)) => Moment::Constant(t.and_then(|t| t.checked_add(*s))),
                (Moment::Field(slot, o, months), Duration::Months(m)) => {
                    Moment::Field(slot, o, months.saturating_add(*m))
                }
                (Moment::Field(slot, o, months), Duration::Seconds(s)) => {
                    Moment::Field(slot, o.saturating_add(*s), months)
                }
            },
        }
    }

    /// The constant value of a time without fields, at the reference time.
    pub(crate) fn constant_time(&self, time: &Time) -> Option<Option<i64>> {
        match self.moment(time) {
            Moment::Constant(t) => Some(t),
            Moment::Field(..) => None,
        }
    }
}

/// The rules of a definition: criteria, scoring rules, stages and transition guards.
pub(crate) fn all_rules(definition: &Definition) -> impl Iterator<Item = &Rule> {
    definition
        .qualification
        .criteria
        .iter()
        .map(|c| &c.rule)
        .chain(definition.scoring.iter().flat_map(|s| s.rules.iter().map(|r| &r.rule)))
        .chain(definition.stages.iter().map(|s| &s.rule))
        .chain(definition.transitions.iter().filter_map(|t| t.guard.as_ref()))
}

impl<'d> Domain<'d> {
    /// The domain of every field of `definition` at the reference time `now_seconds`.
    pub(crate) fn new(definition: &'d Definition, now_seconds: i64) -> Domain<'d> {
        let mut domain = Domain {
            definition,
            now_seconds,
            today_seconds: now_seconds.div_euclid(86_400) * 86_400,
            numbers: HashMap::new(),
            days: HashMap::new(),
            constraints: Vec::new(),
            by_atom: HashMap::new(),
            opaque: HashSet::new(),
            partial: HashSet::new(),
            named: HashMap::new(),
        };
        let mut index = HashMap::new();
        for rule in all_rules(definition) {
            rule.root().atoms(&mut |atom, _| domain.read(atom, &mut index));
        }
        domain
    }

    fn constrain(&mut self, atom: &Atom, slot: usize, test: Test, index: &mut HashMap<Constraint, usize>) {
        let constraint = Constraint { slot, test };
        let next = self.constraints.len();
        let id = *index.entry(constraint.clone()).or_insert(next);
        if id == next {
            self.constraints.push(constraint);
        }
        self.by_atom.insert(address(atom), id);
    }

    fn opaque(&mut self, atom: &Atom) {
        self.opaque.insert(address(atom));
        self.partial.insert(address(atom));
    }

    /// Notes that a rule names the value `index` of the enum field at `slot`.
    fn name_value(&mut self, slot: usize, index: u32) {
        if let Some(named) = self.named.entry(slot).or_insert_with(|| Some(HashSet::new())) {
            named.insert(index);
        }
    }

    /// Notes the enum fields an atom reads as text: each of their values counts.
    fn read_as_text(&mut self, texts: &[&Text]) {
        for text in texts {
            if let Text::Enum { slot, .. } = text {
                self.named.insert(*slot, None);
            }
        }
    }

    /// Notes what one atom compares its fields with.
    fn read(&mut self, atom: &Atom, index: &mut HashMap<Constraint, usize>) {
        match atom {
            Atom::EnumIs { slot, index: value, .. } => self.name_value(*slot, *value),
            Atom::EnumIn { slot, members, .. } => {
                let count = self.definition.fields.get(*slot).map_or(0, |f| f.values.len());
                for value in (0..count).filter_map(|i| u32::try_from(i).ok()) {
                    if members.contains(value) {
                        self.name_value(*slot, value);
                    }
                }
            }
            Atom::TextEquals(Text::Enum { slot, values }, Text::Literal { text, .. }, _)
            | Atom::TextEquals(Text::Literal { text, .. }, Text::Enum { slot, values }, _) => {
                // Equal to one value (or to none): that value is named.
                if let Some(value) = values.position(text) {
                    self.name_value(*slot, value);
                }
            }
            Atom::TextEquals(a, b, _) | Atom::TextTest(_, a, b)
                if matches!(a, Text::Enum { .. }) || matches!(b, Text::Enum { .. }) =>
            {
                self.read_as_text(&[a, b]);
                if matches!((a, b), (Text::Field(_), _) | (_, Text::Field(_))) {
                    self.opaque(atom);
                }
            }
            Atom::TextContains(text, _) | Atom::Matches(text, _) | Atom::ListHas(_, text)
                if matches!(text, Text::Enum { .. }) =>
            {
                self.read_as_text(&[text]);
                if let Atom::ListHas(..) = atom {
                    self.opaque(atom);
                }
            }
            Atom::FieldNumber(_, slot, k) => self.numbers.entry(*slot).or_default().push(*k),
            Atom::Number(_, a, b) => match (side(a), side(b)) {
                (Side::Field(slot, sign), Side::Constant(k)) | (Side::Constant(k), Side::Field(slot, sign)) => {
                    self.numbers.entry(slot).or_default().push(k * sign)
                }
                (Side::Constant(_), Side::Constant(_) | Side::Other) | (Side::Other, Side::Constant(_)) => {}
                (x, y) => {
                    // Two fields (or a field and the score): a few points each, so that the
                    // search can order them; finding none then proves nothing.
                    for side in [x, y] {
                        if let Side::Field(slot, _) = side {
                            self.numbers.entry(slot).or_default().extend([0.0, 1.0]);
                        }
                    }
                    self.partial.insert(address(atom));
                }
            },
            Atom::Time(_, a, b) => match (self.moment(a), self.moment(b)) {
                (Moment::Field(slot, offset, months), Moment::Constant(Some(t)))
                | (Moment::Constant(Some(t)), Moment::Field(slot, offset, months)) => {
                    self.threshold(slot, t, offset, months)
                }
                (Moment::Field(a, ..), Moment::Field(b, ..)) => {
                    let today = self.today_seconds.div_euclid(86_400);
                    for slot in [a, b] {
                        self.days.entry(slot).or_default().extend([today - 1, today, today + 1]);
                    }
                    self.partial.insert(address(atom));
                }
                _ => {}
            },
            Atom::TextEquals(a, b, _) => match (a, b) {
                (Text::Field(slot), Text::Literal { text, .. }) | (Text::Literal { text, .. }, Text::Field(slot)) => {
                    self.constrain(atom, *slot, Test::Pattern(text::equal_pattern(text)), index)
                }
                (Text::Field(_), _) | (_, Text::Field(_)) => self.opaque(atom),
                _ => {}
            },
            Atom::TextTest(test, a, b) => match (a, b) {
                (Text::Field(slot), Text::Literal { folded, .. }) => {
                    self.constrain(atom, *slot, Test::Pattern(text::folded_pattern(*test, folded)), index)
                }
                (Text::Field(_), _) | (_, Text::Field(_)) => self.opaque(atom),
                _ => {}
            },
            Atom::TextContains(Text::Field(slot), finder) => match std::str::from_utf8(finder.needle()) {
                Ok(needle) => {
                    let pattern = text::folded_pattern(TextTest::Contains, needle);
                    self.constrain(atom, *slot, Test::Pattern(pattern), index)
                }
                Err(_) => self.opaque(atom),
            },
            Atom::Matches(Text::Field(slot), regex) => {
                self.constrain(atom, *slot, Test::Pattern(text::search_pattern(regex.as_str())), index)
            }
            Atom::ListHas(slot, Text::Literal { text, .. }) => {
                self.constrain(atom, *slot, Test::Item(text.to_string()), index)
            }
            Atom::ListHas(..) => self.opaque(atom),
            Atom::OneOf(items, _) => items.iter().for_each(|item| self.read(item, index)),
            _ => {}
        }
    }

    /// Notes the days around which `field + offset (+ months) <op> t` changes its truth.
    fn threshold(&mut self, slot: usize, t: i64, offset: i64, months: i64) {
        let days = self.days.entry(slot).or_default();
        let Some(base) = t.checked_sub(offset) else { return };
        if months == 0 {
            let day = base.div_euclid(86_400);
            days.extend([day - 1, day, day + 1]);
        } else if let Some(back) = shift_months(base, months.saturating_neg()) {
            // A calendar shift clamps to the month's end: the boundary is within days of
            // the shifted-back time.
            let day = back.div_euclid(86_400);
            days.extend(day - 4..=day + 4);
        }
    }

    /// The classes of the field at `slot`, missing first.
    pub(crate) fn classes(&self, slot: usize) -> Vec<Class> {
        let Some(field) = self.definition.fields.get(slot) else { return vec![Class::Missing] };
        let mut classes = vec![Class::Missing];
        match field.ty {
            FieldType::Number => {
                classes.extend(number_points(self.numbers.get(&slot).map_or(&[][..], Vec::as_slice)).map(Class::Number))
            }
            FieldType::Boolean => classes.extend([Class::Bool(true), Class::Bool(false)]),
            FieldType::Date => {
                let today = self.today_seconds.div_euclid(86_400);
                let days = self.days.get(&slot).map_or(&[][..], Vec::as_slice);
                classes.extend(day_points(days, today).map(Class::Date))
            }
            FieldType::Enum => {
                let named = self.named.get(&slot);
                let mut stand_in = false;
                for value in (0..field.values.len()).filter_map(|i| u32::try_from(i).ok()) {
                    match named {
                        Some(None) => {}
                        Some(Some(named)) if named.contains(&value) => {}
                        // A value no rule names stands for every such value.
                        _ if !stand_in => stand_in = true,
                        _ => continue,
                    }
                    classes.push(Class::Enum(value));
                }
            }
            FieldType::String | FieldType::Email | FieldType::Url | FieldType::List => classes.push(Class::Present),
        }
        classes
    }
}

/// Representatives of the intervals that `points` split the numbers into: each point, a
/// number between each two (a whole one when there is room), one below and one above.
pub(crate) fn number_points(points: &[f64]) -> impl Iterator<Item = f64> {
    let mut sorted: Vec<f64> = points.iter().copied().filter(|p| p.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    sorted.dedup();
    let mut out = Vec::new();
    match (sorted.first(), sorted.last()) {
        (Some(&first), Some(&last)) => {
            out.push(below(first));
            for pair in sorted.windows(2) {
                out.push(pair[0]);
                let whole = pair[0].floor() + 1.0;
                let between = if whole < pair[1] { whole } else { pair[0] + (pair[1] - pair[0]) / 2.0 };
                if between > pair[0] && between < pair[1] {
                    out.push(between);
                }
            }
            out.push(last);
            out.push(above(last));
        }
        _ => out.push(1.0),
    }
    out.retain(|n| n.is_finite());
    out.into_iter()
}

fn below(n: f64) -> f64 {
    let whole = n.ceil() - 1.0;
    if whole < n {
        whole
    } else {
        n - n.abs().max(1.0)
    }
}

fn above(n: f64) -> f64 {
    let whole = n.floor() + 1.0;
    if whole > n {
        whole
    } else {
        n + n.abs().max(1.0)
    }
}

/// The first and last days a witness may hold (years 1 to 9999, written `YYYY-MM-DD`).
const FIRST_DAY: i64 = -719_162;
const LAST_DAY: i64 = 2_932_896;

/// Representatives of the day intervals that `critical` days split the calendar into: each
/// critical day, one day between each two that are apart, one before and one after;
/// `today` when no rule compares the field.
pub(crate) fn day_points(critical: &[i64], today: i64) -> impl Iterator<Item = i64> {
    let mut sorted: Vec<i64> = critical.iter().copied().filter(|d| (FIRST_DAY..=LAST_DAY).contains(d)).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = Vec::new();
    match (sorted.first(), sorted.last()) {
        (Some(&first), Some(&last)) => {
            out.push(first - 30);
            for pair in sorted.windows(2) {
                out.push(pair[0]);
                if pair[1] - pair[0] > 1 {
                    out.push(pair[0] + (pair[1] - pair[0]) / 2);
                }
            }
            out.push(last);
            out.push(last + 30);
        }
        _ => out.push(today),
    }
    out.retain(|d| (FIRST_DAY..=LAST_DAY).contains(d));
    out.into_iter()
}

/// Whether the comparison `op` holds between two ordered values.
pub(crate) fn holds(op: Compare, a: f64, b: f64) -> Option<bool> {
    a.partial_cmp(&b).map(|o| op.holds(o))
}
