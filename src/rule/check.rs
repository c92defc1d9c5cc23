//! Step 3: the syntax tree, type-checked against the definition's fields, becomes the
//! program of [`eval`](super::eval). Names are resolved to slot indices here, literals are
//! converted and folded, enum literals are checked against the field's values and regexes
//! are compiled, so that nothing is left to fail at evaluation.
//!
//! The checker reports every error it finds, not only the first; an operand that failed to
//! check is left out silently, so one mistake does not cascade into several messages.

use std::collections::{BTreeSet, HashSet};
use std::ops::Range;

use super::eval::{date_seconds, Atom, Cond, Members, Number, Presence, Text, Time, YesNo};
use super::lexer::Duration;
use super::parser::{Compare, Expr, ExprKind, Sign, TextTest};
use super::tables::Refusal;
use super::{RuleError, Scope};
use crate::diagnostic::hint_for;
use crate::diagnostic::DiagnosticCode as C;
use crate::FieldType;

/// What an expression is, once checked.
#[derive(Clone)]
enum Checked {
    Cond(Cond),
    YesNo(YesNo),
    Number(Number),
    Time(Time),
    Duration(Duration),
    Text(Text),
    /// A `list` field: only `contains` reads it.
    ListField(usize),
}

impl Checked {
    fn name(&self) -> &'static str {
        match self {
            Checked::Cond(_) => "condition",
            Checked::YesNo(_) => "yes/no value",
            Checked::Number(_) => "number",
            Checked::Time(_) => "date",
            Checked::Duration(_) => "duration",
            Checked::Text(_) => "text",
            Checked::ListField(_) => "list",
        }
    }
}

/// What the rule reads, for [`Rule`](super::Rule)'s accessors and `explain`.
#[derive(Default)]
pub(crate) struct Uses {
    /// Field slots, in order of first use.
    pub fields: Vec<usize>,
    /// The same slots as a set, to keep `fields` free of repeats.
    seen_fields: HashSet<usize>,
    /// Whether the rule reads `criteria.<id>` or `qualified`.
    pub criteria: bool,
    /// The positions of the criteria it names.
    pub criterion_ids: BTreeSet<usize>,
    pub score: bool,
}

pub(crate) struct Checker<'s> {
    scope: &'s Scope<'s>,
    pub errors: Vec<RuleError>,
    pub uses: Uses,
}

const NOT_IN_CRITERION: &str = "a criterion's rule may use fields, `today` and `now` only";

impl<'s> Checker<'s> {
    pub(crate) fn new(scope: &'s Scope<'s>) -> Self {
        Checker { scope, errors: Vec::new(), uses: Uses::default() }
    }

    fn error(&mut self, code: C, span: &Range<usize>, message: impl Into<String>, hint: Option<String>) {
        self.errors.push(RuleError { code, span: span.clone(), message: message.into(), hint });
    }

    fn mismatch(&mut self, span: &Range<usize>, found: &Checked, needed: &str) {
        let hint = match found {
            Checked::ListField(_) => Some("test a list with `contains`".to_string()),
            Checked::Number(_) | Checked::Text(_) | Checked::Time(_) if needed == "condition" => {
                Some("compare it with a value, or test it with `is present`".to_string())
            }
            _ => None,
        };
        self.error(C::TypeMismatch, span, format!("a {} where a {needed} is needed", found.name()), hint);
    }

    /// Checks a whole rule, which must be a condition.
    pub(crate) fn rule(&mut self, expr: &Expr) -> Option<Cond> {
        self.cond(expr)
    }

    fn cond(&mut self, expr: &Expr) -> Option<Cond> {
        match &expr.kind {
            ExprKind::And(items) => self.conds(items).map(Cond::And),
            ExprKind::Or(items) => self.conds(items).map(Cond::Or),
            ExprKind::Not(inner) => Some(Cond::Not(Box::new(self.cond(inner)?))),
            ExprKind::Compare(..)
            | ExprKind::In { .. }
            | ExprKind::Is { .. }
            | ExprKind::TextTest(..)
            | ExprKind::Matches(..) => Some(Cond::Atom(self.atom(expr)?, expr.span.clone())),
            _ => match self.value(expr)? {
                Checked::YesNo(flag) => Some(Cond::Atom(Atom::YesNo(flag), expr.span.clone())),
                Checked::Cond(cond) => Some(cond),
                other => {
                    self.mismatch(&expr.span, &other, "condition");
                    None
                }
            },
        }
    }

    /// Checks every operand (so every error is reported) and keeps them all if all passed.
    fn conds(&mut self, items: &[Expr]) -> Option<Box<[Cond]>> {
        let checked: Vec<Option<Cond>> = items.iter().map(|item| self.cond(item)).collect();
        checked.into_iter().collect::<Option<Vec<_>>>().map(Vec::into_boxed_slice)
    }

    fn value(&mut self, expr: &Expr) -> Option<Checked> {
        let span = &expr.span;
        Some(match &expr.kind {
            ExprKind::Number(n) => Checked::Number(Number::Literal(*n)),
            ExprKind::Text(text) => {
                Checked::Text(Text::Literal { folded: text.to_lowercase().into(), text: text.as_str().into() })
            }
            ExprKind::Date(date) => Checked::Time(Time::Literal(date_seconds(*date))),
            ExprKind::Duration(d) => Checked::Duration(*d),
            ExprKind::Bool(b) => Checked::YesNo(YesNo::Literal(*b)),
            ExprKind::List(_) => {
                self.error(
                    C::TypeMismatch,
                    span,
                    "a list where a single value is needed",
                    Some("a list goes after `in`".to_string()),
                );
                return None;
            }
            ExprKind::Name(name) => return self.name(name, span),
            ExprKind::Criterion { id, id_span } => Checked::YesNo(YesNo::Criterion(self.criterion(id, id_span, span)?)),
            ExprKind::Neg(inner) => match self.value(inner)? {
                Checked::Number(Number::Literal(n)) => Checked::Number(Number::Literal(-n)),
                Checked::Number(n) => Checked::Number(Number::Neg(Box::new(n))),
                Checked::Duration(d) => Checked::Duration(d.negated()),
                other => {
                    self.mismatch(&inner.span, &other, "number");
                    return None;
                }
            },
            ExprKind::Shift { date, sign, by } => {
                let (date_value, by_value) = (self.value(date), self.value(by));
                let time = match date_value? {
                    Checked::Time(time) => Some(time),
                    other => {
                        self.mismatch(&date.span, &other, "date");
                        None
                    }
                };
                let duration = match by_value? {
                    Checked::Duration(d) => Some(if *sign == Sign::Minus { d.negated() } else { d }),
                    other => {
                        self.mismatch(&by.span, &other, "duration");
                        None
                    }
                };
                Checked::Time(time?.shifted(duration?))
            }
            _ => Checked::Cond(self.cond(expr)?),
        })
    }

    fn name(&mut self, name: &str, span: &Range<usize>) -> Option<Checked> {
        let scope = self.scope;
        match name {
            "today" => return Some(Checked::Time(Time::Today(0))),
            "now" => return Some(Checked::Time(Time::Now(0))),
            "qualified" if scope.allow_criteria => {
                self.uses.criteria = true;
                return Some(Checked::YesNo(YesNo::Qualified));
            }
            "qualified" => {
                self.error(
                    C::NotAllowedHere,
                    span,
                    "`qualified` cannot be used here",
                    Some(NOT_IN_CRITERION.to_string()),
                );
                return None;
            }
            "score" if scope.has_scoring && scope.allow_score => {
                self.uses.score = true;
                return Some(Checked::Number(Number::Score));
            }
            "score" if scope.has_scoring => {
                let hint = "criteria and scoring rules cannot use `score`: no rule may depend on itself";
                self.error(C::NotAllowedHere, span, "`score` cannot be used here", Some(hint.to_string()));
                return None;
            }
            _ => {}
        }
        let Some(&slot) = scope.field_index.get(name) else {
            if scope.broken_fields.contains(name) {
                return None;
            }
            let names = scope.fields.iter().map(|f| f.id.as_str()).chain(["today", "now"]);
            let names = names.chain(scope.allow_criteria.then_some("qualified"));
            let hint = hint_for(name, names).or_else(|| {
                (name == "score").then(|| "`score` exists once the definition has a [scoring] table".to_string())
            });
            self.error(C::UnknownField, span, format!("unknown field `{name}`"), hint);
            return None;
        };
        if self.uses.seen_fields.insert(slot) {
            self.uses.fields.push(slot);
        }
        let field = &scope.fields[slot];
        Some(match field.ty {
            FieldType::Number => Checked::Number(Number::Field(slot)),
            FieldType::Boolean => Checked::YesNo(YesNo::Field(slot)),
            FieldType::Date => Checked::Time(Time::Field(slot, 0)),
            FieldType::String | FieldType::Email | FieldType::Url => Checked::Text(Text::Field(slot)),
            FieldType::Enum => Checked::Text(Text::Enum { slot, values: scope.tables.enum_table(slot, field) }),
            FieldType::List => Checked::ListField(slot),
        })
    }

    fn criterion(&mut self, id: &str, id_span: &Range<usize>, span: &Range<usize>) -> Option<usize> {
        if !self.scope.allow_criteria {
            self.error(
                C::NotAllowedHere,
                span,
                format!("`criteria.{id}` cannot be used here"),
                Some(NOT_IN_CRITERION.to_string()),
            );
            return None;
        }
        self.uses.criteria = true;
        match self.scope.tables.criterion(id, self.scope.criteria) {
            Some(i) => {
                self.uses.criterion_ids.insert(i);
                Some(i)
            }
            None => {
                let hint = hint_for(id, self.scope.criteria.iter().map(String::as_str));
                self.error(C::UnknownCriterion, id_span, format!("unknown criterion `{id}`"), hint);
                None
            }
        }
    }

    fn atom(&mut self, expr: &Expr) -> Option<Atom> {
        match &expr.kind {
            ExprKind::Compare(op, left, right) => {
                let (l, r) = (self.value(left), self.value(right));
                self.compare(*op, (l?, &left.span), (r?, &right.span), &expr.span)
            }
            ExprKind::In { value, list, negated } => self.one_of(value, list, *negated),
            ExprKind::Is { value, present } => {
                let what = match &value.kind {
                    ExprKind::Name(name) if name == "qualified" => match self.name(name, &value.span)? {
                        Checked::YesNo(YesNo::Qualified) => Presence::Qualified,
                        _ => return None,
                    },
                    ExprKind::Name(name) if !matches!(name.as_str(), "today" | "now" | "score") => {
                        self.name(name, &value.span)?;
                        Presence::Field(self.scope.field_index[name.as_str()])
                    }
                    ExprKind::Criterion { id, id_span } => {
                        Presence::Criterion(self.criterion(id, id_span, &value.span)?)
                    }
                    _ => {
                        let hint = "write it on a field, e.g. `email is present`".to_string();
                        self.error(
                            C::TypeMismatch,
                            &value.span,
                            "`is present` and `is missing` test a field",
                            Some(hint),
                        );
                        return None;
                    }
                };
                Some(Atom::Presence { what, present: *present })
            }
            ExprKind::TextTest(test, left, right) => {
                let (l, r) = (self.value(left), self.value(right));
                let (l, r) = (l?, r?);
                let item = match r {
                    Checked::Text(text) => text,
                    other => {
                        self.mismatch(&right.span, &other, "text");
                        return None;
                    }
                };
                match l {
                    Checked::ListField(slot) if *test == TextTest::Contains => Some(Atom::ListHas(slot, item)),
                    Checked::Text(text) if *test == TextTest::Contains => match &item {
                        Text::Literal { folded, .. } => {
                            let finder = memchr::memmem::Finder::new(folded.as_bytes()).into_owned();
                            Some(Atom::TextContains(text, Box::new(finder)))
                        }
                        _ => Some(Atom::TextTest(*test, text, item)),
                    },
                    Checked::Text(text) => Some(Atom::TextTest(*test, text, item)),
                    other => {
                        self.mismatch(&left.span, &other, "text");
                        None
                    }
                }
            }
            ExprKind::Matches(left, right) => {
                let text = match self.value(left)? {
                    Checked::Text(text) => text,
                    other => {
                        self.mismatch(&left.span, &other, "text");
                        return None;
                    }
                };
                let ExprKind::Text(pattern) = &right.kind else {
                    let hint = Some("write the pattern as a string: `matches '^acme'`".to_string());
                    self.error(C::TypeMismatch, &right.span, "`matches` needs a pattern written as a string", hint);
                    return None;
                };
                match self.scope.tables.regex(pattern, self.scope.limits) {
                    Ok(regex) => Some(Atom::Matches(text, regex)),
                    Err(Refusal::TooBig(limit)) => {
                        self.error(
                            C::LimitExceeded,
                            &right.span,
                            format!("the regular expression is too big (over {limit} bytes compiled)"),
                            None,
                        );
                        None
                    }
                    Err(Refusal::OverTotal(total)) => {
                        let hint = "each distinct pattern counts; reuse patterns, or write fewer or simpler ones";
                        self.error(C::LimitExceeded,
                            &right.span,
                            format!("the definition's regular expressions are too big together (over {total} bytes compiled)"),
                            Some(hint.to_string()),
                        );
                        None
                    }
                    Err(Refusal::Syntax(detail)) => {
                        // The regex crate's message ends with the reason on its last line.
                        let reason = detail.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
                        let reason = reason.strip_prefix("error: ").unwrap_or(reason);
                        self.error(C::InvalidRegex, &right.span, format!("invalid regular expression: {reason}"), None);
                        None
                    }
                }
            }
            _ => None,
        }
    }

    fn compare(
        &mut self,
        op: Compare,
        (left, left_span): (Checked, &Range<usize>),
        (right, right_span): (Checked, &Range<usize>),
        span: &Range<usize>,
    ) -> Option<Atom> {
        let equal = op == Compare::Eq;
        match (left, right) {
            (Checked::Number(Number::Field(slot)), Checked::Number(Number::Literal(k))) => {
                Some(Atom::FieldNumber(op, slot, k))
            }
            (Checked::Number(Number::Literal(k)), Checked::Number(Number::Field(slot))) => {
                Some(Atom::FieldNumber(op.mirrored(), slot, k))
            }
            (Checked::Number(a), Checked::Number(b)) => Some(Atom::Number(op, a, b)),
            (Checked::Time(a), Checked::Time(b)) => Some(Atom::Time(op, a, b)),
            (Checked::Text(a), Checked::Text(b)) => {
                if !op.is_equality() {
                    let hint = Some("text compares only with `==` and `!=`".to_string());
                    self.error(C::TypeMismatch, span, "text has no order", hint);
                    return None;
                }
                let ok = self.enum_literal(&a, &b, right_span) & self.enum_literal(&b, &a, left_span);
                if !ok {
                    return None;
                }
                Some(
                    enum_index(&a, &b)
                        .or_else(|| enum_index(&b, &a))
                        .map_or(Atom::TextEquals(a, b, equal), |(slot, index)| Atom::EnumIs { slot, index, equal }),
                )
            }
            (Checked::YesNo(a), Checked::YesNo(b)) if op.is_equality() => Some(Atom::YesNoEquals(a, b, equal)),
            (Checked::YesNo(_), Checked::YesNo(_)) => {
                self.error(C::TypeMismatch, span, "yes/no values have no order", Some("use `==` or `!=`".to_string()));
                None
            }
            (left @ (Checked::Duration(_) | Checked::ListField(_) | Checked::Cond(_)), _) => {
                let needed = if matches!(left, Checked::Duration(_)) { "date" } else { "single value" };
                self.mismatch(left_span, &left, needed);
                None
            }
            (left, right) => {
                self.mismatch(right_span, &right, left.name());
                None
            }
        }
    }

    /// When `field` is an enum and `literal` a string literal, the literal must be one of
    /// the field's values.
    fn enum_literal(&mut self, field: &Text, literal: &Text, literal_span: &Range<usize>) -> bool {
        let (Text::Enum { slot, values }, Text::Literal { text, .. }) = (field, literal) else { return true };
        if values.position(text).is_some() {
            return true;
        }
        let field = &self.scope.fields[*slot];
        let hint = hint_for(text, values.values()).or_else(|| Some(values_hint(values.values(), values.len())));
        self.error(C::UnknownValue, literal_span, format!("`{text}` is not a value of `{}`", field.id), hint);
        false
    }

    fn one_of(&mut self, value: &Expr, list: &Expr, negated: bool) -> Option<Atom> {
        let checked = self.value(value);
        let ExprKind::List(items) = &list.kind else {
            let hint = Some("write the values out: `role in ['user', 'buyer']`".to_string());
            self.error(C::TypeMismatch, &list.span, "`in` needs a list of values", hint);
            return None;
        };
        if items.len() > self.scope.limits.max_list_items {
            let message =
                format!("the list has {} items, over the limit of {}", items.len(), self.scope.limits.max_list_items);
            self.error(C::LimitExceeded, &list.span, message, None);
            return None;
        }
        let checked = checked?;
        if let Checked::ListField(_) = checked {
            self.error(
                C::TypeMismatch,
                &value.span,
                "a list where a single value is needed",
                Some("test a list with `contains`".to_string()),
            );
            return None;
        }
        let mut options = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            let Some(item_value) = self.value(item) else {
                ok = false;
                continue;
            };
            match self.compare(Compare::Eq, (checked.clone(), &value.span), (item_value, &item.span), &item.span) {
                Some(atom) => options.push(atom),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        // An enum field among literals: one table lookup by the value's index.
        if let Checked::Text(Text::Enum { slot, values }) = &checked {
            let members: Option<Vec<u32>> = options
                .iter()
                .map(|o| match o {
                    Atom::EnumIs { index, equal: true, .. } => Some(*index),
                    _ => None,
                })
                .collect();
            if let Some(members) = members {
                return Some(Atom::EnumIn { slot: *slot, members: Members::new(members, values.len()), negated });
            }
        }
        Some(Atom::OneOf(options.into_boxed_slice(), negated))
    }
}

/// The slot and value index when `field` is an enum field and `literal` one of its values.
fn enum_index(field: &Text, literal: &Text) -> Option<(usize, u32)> {
    let (Text::Enum { slot, values }, Text::Literal { text, .. }) = (field, literal) else { return None };
    Some((*slot, values.position(text)?))
}

/// "the values are `a`, `b`": every value of a small enum; of a large one, the first few
/// and how many there are, so that the hint stays short however many values there are.
fn values_hint<'v>(values: impl Iterator<Item = &'v str>, count: usize) -> String {
    const MOST_BYTES: usize = 200;
    let mut list = String::new();
    let mut shown = 0;
    for value in values {
        let separator = if shown > 0 { ", " } else { "" };
        if list.len() + separator.len() + value.len() + 2 > MOST_BYTES {
            break;
        }
        list.push_str(separator);
        list.push('`');
        list.push_str(value);
        list.push('`');
        shown += 1;
    }
    match shown {
        _ if shown == count => format!("the values are {list}"),
        0 => format!("the field has {count} values"),
        _ => format!("the values include {list} ({count} in all)"),
    }
}
