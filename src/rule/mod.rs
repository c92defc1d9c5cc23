//! The rule language of every `when`: stages, criteria, transitions and scoring rules.
//!
//! A rule is one expression, compiled once when the definition loads and evaluated many
//! times. Compilation is four steps, one file each: `lexer` (text to tokens),
//! `parser` (tokens to a syntax tree), `check` (names resolved to field slots, types
//! checked, regexes compiled) and `eval` (three-valued evaluation of the checked program).
//! What the rules of one definition share (enum values, criteria ids) is built once, in
//! one table, and referred to rather than copied by each rule.
//! Every error of the first three steps carries a span in the rule text, which the
//! definition loader maps back to a line and column of the TOML file.
//!
//! # The language
//!
//! | form | meaning |
//! | --- | --- |
//! | `10_000`, `2.5`, `'text'`, `"text"`, `2026-01-31`, `true`, `false` | literals |
//! | `30min`, `48h`, `90d`, `2w`, `6mo`, `1y` | durations (whole numbers) |
//! | `budget`, `email` | a field's value |
//! | `criteria.budget`, `qualified` | a criterion's state, the qualification's state |
//! | `today`, `now`, `score` | the reference date and time, the lead's score |
//! | `a or b`, `a \|\| b` | Kleene disjunction (loosest) |
//! | `a and b`, `a && b` | Kleene conjunction |
//! | `not a`, `!a` | Kleene negation |
//! | `==`, `!=`, `<`, `<=`, `>`, `>=` | comparisons (text and yes/no values: equality only) |
//! | `role in ['a', 'b']`, `role not in [..]` | membership in a written list |
//! | `email is present`, `email is missing` | whether a field holds a valid value |
//! | `company contains 'gmbh'`, `starts_with`, `ends_with` | case-insensitive text tests |
//! | `tags contains 'webinar'` | exact membership in a `list` field |
//! | `website matches '\.io$'` | unanchored search with Rust's `regex` syntax |
//! | `today + 90d`, `purchase_by - 1mo` | date arithmetic |
//!
//! In a string literal, a backslash escapes a quote or a backslash; any other backslash is
//! kept as written, so a pattern such as `'\.io$'` reaches the regex engine unchanged.
//! (Inside a TOML basic string `"..."` the backslash itself must be doubled, as TOML
//! requires; a TOML literal string `'...'` or `'''...'''` takes it as is.)
//!
//! Which names a rule may use depends on where it is written, so that no rule can depend
//! on itself: a criterion may use fields, `today` and `now`; a scoring rule also
//! `criteria.<id>` and `qualified`; stages, transitions and examples also `score` (when the
//! definition has `[scoring]`).
//!
//! # Unknown values
//!
//! A field that is missing, empty or invalid is unknown to every comparison, and `and`,
//! `or`, `not` follow Kleene's logic ([`Truth`]). `is present` and `is missing` are never
//! unknown. A criterion or `qualified` used as a condition is its own state (`unknown`
//! stays unknown); on them, `is present` asks whether the state is known.
//!
//! # Dates and durations
//!
//! Dates stand for 00:00 UTC of their day, so a date compares with `now`. `today` is the
//! UTC date of the reference time the caller passes in; nothing reads a clock. `min`, `h`,
//! `d` and `w` are fixed lengths; `mo` and `y` move along the calendar and clamp to the
//! last day of a shorter month: `2026-08-31 + 1mo` is `2026-09-30`, and `2024-02-29 + 1y`
//! is `2025-02-28`. A calendar shift beyond chrono's range (about year 262000) is unknown.
//!
//! ```
//! use leadspec::{Definition, Record, Truth};
//! use chrono::{TimeZone, Utc};
//!
//! let definition = Definition::from_toml(r#"
//!     [definition]
//!     name = "Renewals"
//!     [teams]
//!     sales = "Sales"
//!     [fields]
//!     renewal = "date"
//!     [[stages]]
//!     id = "due"
//!     owner = "sales"
//!     when = "renewal <= today + 1mo"
//! "#)?;
//! let now = Utc.with_ymd_and_hms(2026, 8, 31, 12, 0, 0).unwrap();
//! let due = |date: &str| definition.classify(&Record::new().with("renewal", date), now).stage().is_some();
//! assert!(due("2026-09-30")); // 2026-08-31 + 1mo is 2026-09-30
//! assert!(!due("2026-10-01"));
//! # Ok::<(), leadspec::LoadError>(())
//! ```
//!
//! # Errors found at load
//!
//! Unknown fields and criteria (with a did-you-mean hint), comparisons of mismatched types
//! (`budget >= 'high'`: "a text where a number is needed"), an enum literal that is not
//! among the field's values, a bad regex, a duration where a date is needed, a number where
//! a duration is needed (`today + 90`), syntax errors, and rules over the size and nesting
//! [`Limits`]. Whatever passes loading evaluates without failing.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

use chrono::NaiveDateTime;

use crate::record::format_number;
use crate::record::Packed;
use crate::stamp::Stamp;
use crate::{DiagnosticCode, Field, FieldIndex, Limits, Prepared, Slot, Truth};

mod check;
mod eval;
mod lexer;
mod parser;
#[cfg(feature = "fmt")]
mod print;
mod program;

#[cfg(feature = "fmt")]
pub(crate) use print::{canonical, canonical_lines};
mod tables;

pub(crate) use eval::{shift_months, Atom, Cond, Number, Presence, Text, Time, YesNo};
pub(crate) use lexer::Duration;
#[cfg(feature = "lsp")]
pub(crate) use lexer::{tokenize, Op, Token};
pub(crate) use parser::{Compare, TextTest};
pub(crate) use program::{end, run, Clock, Derived, Next, Node, Underived};
pub(crate) use tables::EnumTable;
pub(crate) use tables::Tables;

/// What a rule may refer to: the definition's fields and criteria, and which of the
/// derived names (`criteria.<id>`, `qualified`, `score`) are allowed where it is written.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scope<'a> {
    /// The definition's fields, in slot order.
    pub fields: &'a [Field],
    /// Field id to slot.
    pub field_index: &'a HashMap<String, usize>,
    /// Ids of fields that were declared but rejected by the loader: a rule naming one is
    /// not compiled, and not reported again as naming an unknown field.
    pub broken_fields: &'a HashSet<String>,
    /// The criteria ids, in the order written.
    pub criteria: &'a [String],
    /// The enum values and criteria positions every rule shares, built once from `fields`
    /// and `criteria` with [`Tables::new`].
    pub tables: &'a Tables,
    /// Whether `criteria.<id>` and `qualified` may be used.
    pub allow_criteria: bool,
    /// Whether `score` may be used.
    pub allow_score: bool,
    /// Whether the definition has `[scoring]` (without it, `score` is an unknown name).
    pub has_scoring: bool,
    /// Size and nesting limits.
    pub limits: &'a Limits,
    /// The definition being loaded, whose field indices the rules give out.
    pub stamp: Stamp,
}

/// A problem found while compiling a rule, with its byte span in the rule text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RuleError {
    /// What kind of problem this is; the loader gives it to the [`Diagnostic`] it makes of
    /// this error.
    ///
    /// [`Diagnostic`]: crate::Diagnostic
    pub code: DiagnosticCode,
    /// Byte range in the rule text.
    pub span: Range<usize>,
    /// What is wrong, e.g. ``unknown field `budgett` ``.
    pub message: String,
    /// A suggestion, e.g. ``did you mean `budget`?``.
    pub hint: Option<String>,
}

/// What a rule is evaluated against: a prepared record, the states derived from it, and
/// the reference time. Made with [`Context::new`], which reads the clock values
/// the rules need once rather than at every comparison.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The record's values, by field index.
    pub record: &'a Prepared,
    /// The criteria's states, in the order written (empty while the criteria themselves
    /// are evaluated).
    pub criteria: &'a [Truth],
    /// The qualification's state.
    pub qualified: Truth,
    /// The lead's score (0 without `[scoring]`).
    pub score: i64,
    /// The reference time, UTC.
    pub now: NaiveDateTime,
    /// `now` in seconds since the epoch, and the start of its day.
    pub(crate) now_seconds: i64,
    pub(crate) today_seconds: i64,
}

impl<'a> Context<'a> {
    /// A context for evaluating rules against `record` at the reference time `now`.
    pub fn new(record: &'a Prepared, criteria: &'a [Truth], qualified: Truth, score: i64, now: NaiveDateTime) -> Self {
        let now_seconds = now.and_utc().timestamp();
        let today_seconds = now_seconds.div_euclid(86_400) * 86_400;
        Context { record, criteria, qualified, score, now, now_seconds, today_seconds }
    }

    /// How the field at `slot` is stored (missing past the last field).
    #[inline]
    pub(crate) fn packed(&self, slot: usize) -> Packed {
        self.record.values.get(slot).copied().unwrap_or(Packed::Missing)
    }
}

/// One step of a rule's reasoning, for `explain`: a simple condition, its truth, and the
/// values it read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The condition as written, e.g. `budget >= 10_000`.
    pub text: String,
    /// Its truth for this lead.
    pub truth: Truth,
    /// The values it read, e.g. ``budget is 5000``.
    pub detail: String,
}

/// A compiled rule: parsed, type-checked, with every name resolved to a slot.
///
/// Rules are compiled when their definition loads; a service reaches them through the
/// definition (a stage's `when`, a criterion, a transition's guard) and may evaluate one
/// against a prepared record in a [`Context`]:
///
/// ```
/// use leadspec::rule::Context;
/// use leadspec::{Record, Truth};
/// let d = leadspec::default_definition();
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap().naive_utc();
/// let rule = d.qualification().criteria()[3].rule(); // timeframe
/// assert_eq!(rule.text(), "purchase_by <= today + 90d");
/// assert!(!rule.uses_criteria() && !rule.uses_score());
///
/// let soon = d.prepare(&Record::new().with("purchase_by", "2027-01-10"));
/// assert_eq!(rule.eval(&Context::new(&soon, &[], Truth::Unknown, 0, now)), Truth::True);
/// let unknown = d.prepare(&Record::new());
/// assert_eq!(rule.eval(&Context::new(&unknown, &[], Truth::Unknown, 0, now)), Truth::Unknown);
/// assert!(d.stage("qualified_lead").unwrap().rule().uses_criteria()); // `qualified`
/// ```
#[derive(Clone, Debug)]
pub struct Rule {
    text: String,
    root: Cond,
    fields: Vec<usize>,
    /// The definition that compiled the rule, for the field indices it gives out.
    stamp: Stamp,
    /// Slot, id and (for an enum field, shared with the definition's other rules) values of
    /// each field the rule reads, ordered by slot, for `explain`.
    names: Vec<(usize, String, Option<Arc<EnumTable>>)>,
    /// Position and id of each criterion the rule names, ordered by position, for `explain`.
    criteria: Vec<(usize, String)>,
    uses_criteria: bool,
    uses_score: bool,
    /// Where the rule is written in its definition file (set by the loader).
    written: Option<Written>,
}

/// Where a rule is written in its definition file: the span of its TOML string, and the
/// line and column where that starts (for diagnostics about the rule as a whole).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Written {
    pub(crate) span: Range<usize>,
    pub(crate) line: usize,
    pub(crate) column: usize,
}

impl Rule {
    /// Compiles a rule. On failure, every error found, each with its span in `text`.
    pub(crate) fn compile(text: &str, scope: &Scope<'_>) -> Result<Rule, Vec<RuleError>> {
        if text.len() > scope.limits.max_rule_bytes {
            let message =
                format!("the rule is {} bytes, over the limit of {}", text.len(), scope.limits.max_rule_bytes);
            return Err(vec![RuleError {
                code: DiagnosticCode::LimitExceeded,
                span: 0..text.len(),
                message,
                hint: None,
            }]);
        }
        let tokens = lexer::tokenize(text).map_err(|e| vec![e])?;
        let expr = parser::parse(text, &tokens, scope.limits.max_rule_depth).map_err(|e| vec![e])?;
        let mut checker = check::Checker::new(scope);
        let root = checker.rule(&expr);
        match root {
            Some(root) if checker.errors.is_empty() => {
                let uses = checker.uses;
                let mut names: Vec<_> = uses
                    .fields
                    .iter()
                    .map(|&slot| {
                        let field = &scope.fields[slot];
                        let values = (field.ty == crate::FieldType::Enum).then(|| scope.tables.enum_table(slot, field));
                        (slot, field.id.clone(), values)
                    })
                    .collect();
                names.sort_by_key(|(slot, _, _)| *slot);
                let criteria = uses.criterion_ids.iter().map(|&i| (i, scope.criteria[i].clone())).collect();
                Ok(Rule {
                    text: text.to_string(),
                    root,
                    fields: uses.fields,
                    stamp: scope.stamp,
                    names,
                    criteria,
                    uses_criteria: uses.criteria,
                    uses_score: uses.score,
                    written: None,
                })
            }
            _ => {
                let mut errors = checker.errors;
                errors.sort_by_key(|e| (e.span.start, e.span.end));
                Err(errors)
            }
        }
    }

    /// The checked program (for the analysis, which reasons about it).
    pub(crate) fn root(&self) -> &Cond {
        &self.root
    }

    /// Where the rule is written in its definition file, when loaded from one.
    pub(crate) fn written(&self) -> Option<&Written> {
        self.written.as_ref()
    }

    /// Records where the rule is written.
    pub(crate) fn set_written(&mut self, written: Written) {
        self.written = Some(written);
    }

    /// The rule as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Evaluates the rule. Allocates nothing and cannot fail.
    #[inline]
    pub fn eval(&self, ctx: &Context<'_>) -> Truth {
        self.root.eval(ctx)
    }

    /// Every simple condition of the rule in source order, with its truth and the values
    /// it read.
    ///
    /// ```
    /// use leadspec::rule::{Context, Finding};
    /// use leadspec::{Record, Truth};
    /// let d = leadspec::default_definition();
    /// let now = leadspec::parse_reference_time("2026-11-22").unwrap().naive_utc();
    /// let rule = d.stage("inquiry").unwrap().rule(); // email is present and (interest is present or ...)
    /// let lead = d.prepare(&Record::new().with("email", "ann@example.com"));
    /// let findings = rule.explain(&Context::new(&lead, &[], Truth::Unknown, 0, now));
    /// let truths: Vec<(&str, Truth)> = findings.iter().map(|f| (f.text.as_str(), f.truth)).collect();
    /// assert_eq!(truths, [
    ///     ("email is present", Truth::True),
    ///     ("interest is present", Truth::False),
    ///     ("inquired_on is present", Truth::False),
    /// ]);
    /// assert_eq!(findings[0].detail, "email is \"ann@example.com\"");
    /// ```
    pub fn explain(&self, ctx: &Context<'_>) -> Vec<Finding> {
        let mut findings = Vec::new();
        self.root.atoms(&mut |atom, span| {
            let mut detail = String::new();
            self.describe(atom, ctx, &mut detail);
            findings.push(Finding {
                text: self.text.get(span.clone()).unwrap_or_default().to_string(),
                truth: atom.eval(ctx),
                detail,
            });
        });
        findings
    }

    /// Appends to a definition's program the nodes that evaluate the rule and go on to
    /// `next[t]` for its truth `t` (false, unknown, true); returns the node to start at.
    ///
    /// A rule asked only whether it is true (unknown going where false goes, or where
    /// true goes) lowers to one node per leaf. One whose three outcomes all matter may
    /// copy operands that follow an unknown one; `None` when that would take more than
    /// four nodes a leaf (plus 64), and then nothing is appended.
    pub(crate) fn lower(&self, next: Next, nodes: &mut Vec<Node>) -> Option<u32> {
        let mut leaves = 0usize;
        self.root.atoms(&mut |_, _| leaves += 1);
        let start = nodes.len();
        let limit = start.saturating_add(leaves.saturating_mul(4)).saturating_add(64);
        let entry = program::lower(&self.root, next, nodes, limit);
        if entry.is_none() {
            nodes.truncate(start);
        }
        entry
    }

    /// The fields the rule reads, in order of first use.
    ///
    /// ```
    /// let d = leadspec::default_definition();
    /// let rule = d.stage("inquiry").unwrap().rule(); // "email is present and (interest is present or ...)"
    /// let read: Vec<&str> = rule.fields().filter_map(|f| d.field_at(f)).map(|f| f.id.as_str()).collect();
    /// assert_eq!(read, ["email", "interest", "inquired_on"]);
    /// ```
    pub fn fields(&self) -> impl ExactSizeIterator<Item = FieldIndex> + '_ {
        self.fields.iter().map(|&position| FieldIndex::new(position, self.stamp))
    }

    /// Adds to `out` the fields whose lowercase form the rule reads (`contains`,
    /// `starts_with`, `ends_with` on a text field).
    pub(crate) fn folded_fields(&self, out: &mut Vec<usize>) {
        self.root.atoms(&mut |atom, _| atom.folded_fields(out));
    }

    /// Whether the rule reads `criteria.<id>` or `qualified`.
    pub fn uses_criteria(&self) -> bool {
        self.uses_criteria
    }

    /// Whether the rule reads `score`.
    pub fn uses_score(&self) -> bool {
        self.uses_score
    }

    /// Appends "`name` is value" for each value an atom reads.
    fn describe(&self, atom: &Atom, ctx: &Context<'_>, out: &mut String) {
        let mut add = |name: &str, value: String| {
            let part = format!("{name} is {value}");
            if !out.split("; ").any(|p| p == part) {
                if !out.is_empty() {
                    out.push_str("; ");
                }
                out.push_str(&part);
            }
        };
        let mut refs = Vec::new();
        atom_refs(atom, &mut refs);
        for r in refs {
            match r {
                Ref::Field(slot) => {
                    let Ok(at) = self.names.binary_search_by_key(&slot, |(s, _, _)| *s) else { continue };
                    let (_, id, values) = &self.names[at];
                    add(id, slot_text(ctx.record.slot_at(slot), values.as_deref()));
                }
                Ref::Criterion(i) => {
                    let id = self.criteria.binary_search_by_key(&i, |(k, _)| *k).ok().map(|at| &self.criteria[at].1);
                    let name = format!("criteria.{}", id.map_or("?", String::as_str));
                    add(&name, ctx.criteria.get(i).copied().unwrap_or(Truth::Unknown).word().to_string());
                }
                Ref::Qualified => add("qualified", ctx.qualified.word().to_string()),
                Ref::Score => add("score", ctx.score.to_string()),
                Ref::Today => add("today", ctx.now.date().to_string()),
                Ref::Now => add("now", ctx.now.and_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()),
            }
        }
    }
}

/// A value a rule reads from its context.
enum Ref {
    Field(usize),
    Criterion(usize),
    Qualified,
    Score,
    Today,
    Now,
}

fn atom_refs(atom: &Atom, out: &mut Vec<Ref>) {
    match atom {
        Atom::YesNo(f) => yes_no_refs(f, out),
        Atom::Presence { what, .. } => out.push(match *what {
            Presence::Field(s) => Ref::Field(s),
            Presence::Criterion(i) => Ref::Criterion(i),
            Presence::Qualified => Ref::Qualified,
        }),
        Atom::Number(_, a, b) => {
            number_refs(a, out);
            number_refs(b, out);
        }
        Atom::FieldNumber(_, slot, _) | Atom::EnumIs { slot, .. } | Atom::EnumIn { slot, .. } => {
            out.push(Ref::Field(*slot))
        }
        Atom::Time(_, a, b) => {
            time_refs(a, out);
            time_refs(b, out);
        }
        Atom::TextEquals(a, b, _) | Atom::TextTest(_, a, b) => {
            text_refs(a, out);
            text_refs(b, out);
        }
        Atom::YesNoEquals(a, b, _) => {
            yes_no_refs(a, out);
            yes_no_refs(b, out);
        }
        Atom::ListHas(slot, t) => {
            out.push(Ref::Field(*slot));
            text_refs(t, out);
        }
        Atom::Matches(t, _) | Atom::TextContains(t, _) => text_refs(t, out),
        Atom::OneOf(options, _) => options.iter().for_each(|o| atom_refs(o, out)),
    }
}

fn yes_no_refs(flag: &YesNo, out: &mut Vec<Ref>) {
    match flag {
        YesNo::Literal(_) => {}
        YesNo::Field(s) => out.push(Ref::Field(*s)),
        YesNo::Criterion(i) => out.push(Ref::Criterion(*i)),
        YesNo::Qualified => out.push(Ref::Qualified),
    }
}

fn number_refs(number: &Number, out: &mut Vec<Ref>) {
    match number {
        Number::Literal(_) => {}
        Number::Field(s) => out.push(Ref::Field(*s)),
        Number::Score => out.push(Ref::Score),
        Number::Neg(inner) => number_refs(inner, out),
    }
}

fn time_refs(time: &Time, out: &mut Vec<Ref>) {
    match time {
        Time::Literal(_) => {}
        Time::Field(s, _) => out.push(Ref::Field(*s)),
        Time::Today(_) => out.push(Ref::Today),
        Time::Now(_) => out.push(Ref::Now),
        Time::Shift(inner, _) => time_refs(inner, out),
    }
}

fn text_refs(text: &Text, out: &mut Vec<Ref>) {
    match text {
        Text::Literal { .. } => {}
        Text::Field(s) | Text::Enum { slot: s, .. } => out.push(Ref::Field(*s)),
    }
}

/// A slot's value as `explain` shows it.
fn slot_text(slot: Slot<'_>, enum_values: Option<&EnumTable>) -> String {
    match slot {
        Slot::Missing => "missing".to_string(),
        Slot::Invalid => "invalid".to_string(),
        Slot::Number(n) => format_number(n),
        Slot::Text { text, .. } => format!("{text:?}"),
        Slot::Bool(b) => b.to_string(),
        Slot::Date(d) => d.to_string(),
        Slot::Enum(i) => enum_values.and_then(|v| v.text(i)).map_or_else(|| "?".to_string(), |v| format!("{v:?}")),
        Slot::List(items) => {
            let mut s = String::from("[");
            for (k, item) in items.iter().enumerate() {
                let _ = write!(s, "{}{item:?}", if k > 0 { ", " } else { "" });
            }
            s.push(']');
            s
        }
    }
}

#[cfg(test)]
mod tests;
