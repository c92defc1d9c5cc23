//! Proptest strategies for property-testing lead definitions and the rules built on them.
//!
//! Enabled by the cargo feature `proptest`. The strategies read what they need from a
//! loaded [`Definition`] (its fields, stages and transitions) when they are made, so they
//! own their data (`'static`) and can be used inside `proptest!` blocks and in
//! [`TestRunner`](proptest::test_runner::TestRunner)s alike.
//!
//! - [`records`] and [`RecordGen`]: lead records for a definition, with a controllable mix
//!   of valid, invalid and missing values per field ([`RecordMix`]). Valid values come in
//!   every form the contract reads (a budget as `25000` or as the text `"25000"`, a date
//!   as a date, as `YYYY-MM-DD` or as an RFC 3339 date-time); invalid values are ones the
//!   field's type rejects (`"not an email"`, `"10_000"` for a number, `"Hot"` for an enum
//!   value `hot`); missing values are absent keys, `null`, blank text and empty lists.
//! - [`moves`]: a pair of stages and a record, to check [`Definition::check_move`].
//! - [`histories`] and [`HistoryShape`]: stage changes of several leads, in time order or
//!   shuffled, for [`Definition::replay`] and [`Definition::waterfall`].
//!
//! A property over the default definition: a record whose e-mail address is valid is
//! always classified (at least as a contact), whatever else it holds.
//!
//! ```
//! use leadspec::testing::{RecordGen, RecordMix};
//! use leadspec::default_definition;
//! use chrono::{TimeZone, Utc};
//! use proptest::test_runner::TestRunner;
//!
//! let definition = default_definition();
//! let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
//! let leads = RecordGen::new(definition)
//!     .mix(RecordMix { valid: 2, invalid: 1, missing: 2 })
//!     .field("email", RecordMix::VALID)
//!     .strategy();
//! TestRunner::default()
//!     .run(&leads, |lead| {
//!         assert!(definition.classify(&lead, now).stage().is_some(), "{lead:?}");
//!         Ok(())
//!     })
//!     .unwrap();
//! ```
//!
//! The same with the `proptest!` macro (here in its closure form, which runs at once; in a
//! test file, write `#[test] fn name(lead in strategy) { .. }` inside `proptest! { .. }`):
//!
//! ```
//! use leadspec::{default_definition, testing, Slot};
//! use proptest::prelude::*;
//!
//! let definition = default_definition();
//! let email = definition.field_position("email").unwrap();
//! let now = leadspec::parse_reference_time("2026-11-22").unwrap();
//! proptest!(|(lead in testing::records(definition, testing::RecordMix::default()))| {
//!     // The required e-mail address is reported exactly when it is missing.
//!     let missing = definition.prepare(&lead).slot(email) == Slot::Missing;
//!     let result = definition.classify(&lead, now);
//!     let reported = result.errors().iter().any(|e| e.field == "email" && e.message == "Required field missing");
//!     prop_assert_eq!(missing, reported);
//! });
//! ```

use std::ops::RangeInclusive;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::strategy::{BoxedStrategy, Just, Union};

use crate::record::{cell_of, Cell};
use crate::{Definition, Field, FieldType, Input, Record, StageChange, StageIndex, Value};

/// How often each kind of value is generated for a field, as relative weights.
///
/// `RecordMix { valid: 6, invalid: 1, missing: 3 }` gives a field a valid value six times
/// in ten, an invalid one once in ten and no value three times in ten. A weight of 0 turns
/// that kind off; a mix of all zeros leaves the field missing.
///
/// ```
/// use leadspec::testing::RecordMix;
/// assert_eq!(RecordMix::default(), RecordMix { valid: 6, invalid: 1, missing: 3 });
/// assert_eq!(RecordMix::VALID, RecordMix { valid: 1, invalid: 0, missing: 0 });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RecordMix {
    /// Weight of a value valid for the field's type.
    pub valid: u32,
    /// Weight of a present value the field's type rejects (a validation error).
    pub invalid: u32,
    /// Weight of no value: the key absent, `null`, blank text or an empty list.
    pub missing: u32,
}

impl RecordMix {
    /// Always a valid value.
    pub const VALID: RecordMix = RecordMix { valid: 1, invalid: 0, missing: 0 };
    /// Always an invalid value.
    pub const INVALID: RecordMix = RecordMix { valid: 0, invalid: 1, missing: 0 };
    /// Always missing.
    pub const MISSING: RecordMix = RecordMix { valid: 0, invalid: 0, missing: 1 };
    /// Valid or missing, never invalid, half and half.
    pub const CLEAN: RecordMix = RecordMix { valid: 1, invalid: 0, missing: 1 };
}

impl Default for RecordMix {
    /// Mostly valid, sometimes missing, now and then invalid: `{ valid: 6, invalid: 1, missing: 3 }`.
    fn default() -> Self {
        RecordMix { valid: 6, invalid: 1, missing: 3 }
    }
}

/// The day valid dates cluster around unless [`RecordGen::dates_around`] says otherwise.
fn default_anchor() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date")
}

/// Builds a strategy of [`Record`]s for one definition, field by field.
///
/// Every declared field gets a value drawn by its own [`RecordMix`] (the default mix unless
/// set); fields are inserted in declaration order and records carry no `id`. Valid dates
/// fall mostly within two years either side of an anchor day, so that rules such as
/// `purchase_by <= today + 90d` come out both ways when `today` is near it.
///
/// ```
/// use leadspec::testing::{RecordGen, RecordMix};
/// use leadspec::{default_definition, Slot};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let definition = default_definition();
/// let strategy = RecordGen::new(definition)
///     .mix(RecordMix::MISSING)
///     .field("budget", RecordMix::INVALID)
///     .strategy();
/// let mut runner = TestRunner::deterministic();
/// let lead = strategy.new_tree(&mut runner).unwrap().current();
/// let prepared = definition.prepare(&lead);
/// let budget = definition.field_position("budget").unwrap();
/// for (i, slot) in prepared.slots().enumerate() {
///     assert_eq!(slot, if i == budget { Slot::Invalid } else { Slot::Missing });
/// }
/// ```
#[derive(Clone, Debug)]
pub struct RecordGen {
    fields: Vec<(Field, RecordMix)>,
    input: Input,
    anchor: NaiveDate,
}

impl RecordGen {
    /// Records for `definition`, every field with the default [`RecordMix`].
    pub fn new(definition: &Definition) -> Self {
        RecordGen {
            fields: definition.fields().iter().map(|f| (f.clone(), RecordMix::default())).collect(),
            input: definition.input().clone(),
            anchor: default_anchor(),
        }
    }

    /// Uses `mix` for every field (fields set afterwards with [`RecordGen::field`] excepted).
    #[must_use]
    pub fn mix(mut self, mix: RecordMix) -> Self {
        for (_, m) in &mut self.fields {
            *m = mix;
        }
        self
    }

    /// Uses `mix` for the field `id`.
    ///
    /// # Panics
    ///
    /// When the definition has no field `id`: a test that names a field the definition
    /// lacks is itself wrong.
    #[must_use]
    pub fn field(mut self, id: &str, mix: RecordMix) -> Self {
        let Some(entry) = self.fields.iter_mut().find(|(f, _)| f.id == id) else {
            let known: Vec<&str> = self.fields.iter().map(|(f, _)| f.id.as_str()).collect();
            panic!("RecordGen::field: the definition has no field `{id}` (fields: {})", known.join(", "))
        };
        entry.1 = mix;
        self
    }

    /// Chooses each field's mix with a function of the field, e.g. required fields always valid.
    ///
    /// ```
    /// use leadspec::testing::{RecordGen, RecordMix};
    /// let gen = RecordGen::new(leadspec::default_definition())
    ///     .mix_by(|field| if field.required { RecordMix::VALID } else { RecordMix::default() });
    /// # let _ = gen.strategy();
    /// ```
    #[must_use]
    pub fn mix_by(mut self, mix: impl Fn(&Field) -> RecordMix) -> Self {
        for (field, m) in &mut self.fields {
            *m = mix(field);
        }
        self
    }

    /// Valid dates fall mostly within two years either side of `day` (default 2026-01-01);
    /// set it to the reference time of your test.
    #[must_use]
    pub fn dates_around(mut self, day: NaiveDate) -> Self {
        self.anchor = day;
        self
    }

    /// The strategy.
    pub fn strategy(&self) -> BoxedStrategy<Record> {
        // Records are keyed by columns: each field's `column`, or its id.
        let ids: Vec<String> = self.fields.iter().map(|(f, _)| f.column().to_string()).collect();
        let values: Vec<BoxedStrategy<Option<Value>>> =
            self.fields.iter().map(|(field, mix)| value_in(field, &self.input, *mix, self.anchor)).collect();
        values
            .prop_map(move |values| {
                let mut record = Record::new();
                for (id, value) in ids.iter().zip(values) {
                    if let Some(value) = value {
                        record.insert(id.as_str(), value);
                    }
                }
                record
            })
            .boxed()
    }
}

/// Records for `definition`, every field drawn with `mix`. Shorthand for
/// `RecordGen::new(definition).mix(mix).strategy()`.
///
/// ```
/// use leadspec::testing::{records, RecordMix};
/// use leadspec::default_definition;
/// use proptest::test_runner::TestRunner;
///
/// let definition = default_definition();
/// TestRunner::default()
///     .run(&records(definition, RecordMix::VALID), |lead| {
///         // Every field present and valid: no validation error at all.
///         let now = leadspec::parse_reference_time("2026-11-22").unwrap();
///         let result = definition.classify(&lead, now);
///         assert!(result.errors().is_empty(), "{:?}", result.errors());
///         Ok(())
///     })
///     .unwrap();
/// ```
pub fn records(definition: &Definition, mix: RecordMix) -> BoxedStrategy<Record> {
    RecordGen::new(definition).mix(mix).strategy()
}

/// One field's value drawn by `mix`: `None` leaves the key out of the record.
///
/// Valid dates cluster around `around`.
pub fn field_value(field: &Field, mix: RecordMix, around: NaiveDate) -> BoxedStrategy<Option<Value>> {
    value_in(field, &Input::default(), mix, around)
}

/// [`field_value`] under a definition's `[input]` settings (its placeholders and time zone).
fn value_in(field: &Field, input: &Input, mix: RecordMix, around: NaiveDate) -> BoxedStrategy<Option<Value>> {
    // Missing first: proptest shrinks a union towards its first branch, so failing records
    // shrink towards fewer values.
    let mut branches: Vec<(u32, BoxedStrategy<Option<Value>>)> = Vec::new();
    if mix.missing > 0 {
        branches.push((mix.missing, missing_value()));
    }
    if mix.valid > 0 {
        branches.push((mix.valid, valid_in(field, input, around).prop_map(Some).boxed()));
    }
    if mix.invalid > 0 {
        branches.push((mix.invalid, invalid_in(field, input).prop_map(Some).boxed()));
    }
    match branches.len() {
        0 => Just(None).boxed(),
        1 => branches.pop().map(|(_, s)| s).expect("one branch"),
        _ => Union::new_weighted(branches).boxed(),
    }
}

/// No value, in each of the forms a record can hold one: the key absent (`None`), `null`,
/// empty text, blank text, an empty list.
pub fn missing_value() -> BoxedStrategy<Option<Value>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(Value::Null)),
        1 => Just(Some(Value::Text(String::new()))),
        1 => select(vec![" ", "   ", "\t", " \n "]).prop_map(|s| Some(Value::Text(s.to_string()))),
        1 => Just(Some(Value::List(Vec::new()))),
    ]
    .boxed()
}

/// A value valid for `field`'s type, in any of the forms the contract reads, with dates
/// mostly within two years of `around`.
///
/// Every value drawn coerces to a present slot (this is checked as it is drawn).
pub fn valid_value(field: &Field, around: NaiveDate) -> BoxedStrategy<Value> {
    valid_in(field, &Input::default(), around)
}

fn valid_in(field: &Field, input: &Input, around: NaiveDate) -> BoxedStrategy<Value> {
    let (checked, input) = (field.clone(), input.clone());
    raw_valid(field, around)
        .prop_filter("a valid value for the field", move |v| cell_of(&checked, &input, v).is_present())
        .boxed()
}

/// A present value that `field`'s type rejects: reading it is a validation error.
///
/// Every value drawn coerces to [`Slot::Invalid`](crate::Slot::Invalid) (this is checked as it is drawn).
pub fn invalid_value(field: &Field) -> BoxedStrategy<Value> {
    invalid_in(field, &Input::default())
}

fn invalid_in(field: &Field, input: &Input) -> BoxedStrategy<Value> {
    let (checked, input) = (field.clone(), input.clone());
    raw_invalid(field)
        .prop_filter("an invalid value for the field", move |v| cell_of(&checked, &input, v) == Cell::Invalid)
        .boxed()
}

fn texts(items: &[&'static str]) -> BoxedStrategy<Value> {
    select(items.to_vec()).prop_map(|s| Value::Text(s.to_string())).boxed()
}

/// Pads text with the white space readers trim away, now and then.
fn padded(text: impl Strategy<Value = String> + 'static) -> BoxedStrategy<Value> {
    (text, select(vec![("", ""), ("", ""), ("", ""), (" ", ""), ("", " "), ("  ", "\t")]))
        .prop_map(|(t, (before, after))| Value::Text(format!("{before}{t}{after}")))
        .boxed()
}

fn raw_valid(field: &Field, around: NaiveDate) -> BoxedStrategy<Value> {
    match field.ty {
        FieldType::String => prop_oneof![
            8 => "[A-Za-z0-9ÀÉÖàéöü][A-Za-z0-9ÀÉÖàéöü' .&-]{0,24}".prop_map(Value::Text),
            1 => number().prop_map(Value::Number),
            1 => any::<bool>().prop_map(Value::Bool),
        ]
        .boxed(),
        FieldType::Number => {
            // Text written with the field's decimal mark.
            let decimal = field.format().decimal();
            let mark = move |text: String| if decimal == '.' { text } else { text.replace('.', &decimal.to_string()) };
            prop_oneof![
                3 => number().prop_map(Value::Number),
                2 => padded(number().prop_map(move |n| mark(format!("{n}")))),
                1 => padded(number().prop_map(move |n| mark(format!("{n:e}")))),
            ]
            .boxed()
        }
        FieldType::Boolean => prop_oneof![
            3 => any::<bool>().prop_map(Value::Bool),
            3 => padded(select(vec!["yes", "no", "true", "false", "1", "0", "YES", "No", "TRUE", "False", "tRuE"]).prop_map(String::from)),
            1 => select(vec![0.0, 1.0]).prop_map(Value::Number),
        ]
        .boxed(),
        FieldType::Date => (date(around), 0..4u8)
            .prop_map(|(d, form)| match form {
                0 => Value::Date(d),
                1 => Value::Text(d.format("%Y-%m-%d").to_string()),
                2 => Value::Text(format!("{}T12:00:00Z", d.format("%Y-%m-%d"))),
                // The same UTC date, written in another zone.
                _ => Value::Text(format!("{}T10:30:00+02:00", d.format("%Y-%m-%d"))),
            })
            .boxed(),
        FieldType::Email => padded(
            "[a-zA-Z0-9][a-zA-Z0-9._+-]{0,12}@[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\\.[a-z]{2,6}){0,2}",
        ),
        FieldType::Url => padded(
            "https?://[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\\.[a-z]{2,6}){1,2}(:[1-9][0-9]{1,3})?(/[a-zA-Z0-9_.-]{0,8}){0,3}",
        ),
        FieldType::Enum if field.values.is_empty() => Just(Value::Null).boxed(),
        FieldType::Enum => padded(select(field.values.clone())),
        FieldType::List => prop_oneof![
            vec("[a-z][a-z0-9 -]{0,10}[a-z0-9]", 1..4).prop_map(|items| Value::List(items.into_iter().map(Value::Text).collect())),
            vec("[a-z][a-z0-9-]{0,10}", 1..4).prop_map(|items| Value::Text(items.join("; "))),
        ]
        .boxed(),
    }
}

/// Numbers as people write them: small counts, round budgets, fractions, negatives.
fn number() -> BoxedStrategy<f64> {
    prop_oneof![
        3 => (0..=100i32).prop_map(f64::from),
        3 => (0..=400i32).prop_map(|n| f64::from(n) * 500.0),
        1 => (-1_000_000.0..1_000_000.0f64).prop_map(|n| (n * 100.0).round() / 100.0),
        1 => (-100..0i32).prop_map(f64::from),
    ]
    .boxed()
}

/// Dates, mostly within two years of `around`, sometimes anywhere from 1990 to 2040.
fn date(around: NaiveDate) -> BoxedStrategy<NaiveDate> {
    let near = (-730i64..=730).prop_map(move |days| around + Duration::days(days));
    let far = (0i64..18_262)
        .prop_map(|days| NaiveDate::from_ymd_opt(1990, 1, 1).expect("a valid date") + Duration::days(days));
    prop_oneof![4 => near, 1 => far].boxed()
}

fn raw_invalid(field: &Field) -> BoxedStrategy<Value> {
    let nested = || Just(Value::Nested).boxed();
    match field.ty {
        FieldType::String => prop_oneof![nested(), Just(Value::List(vec![Value::Text("a".into())]))].boxed(),
        FieldType::Number => prop_oneof![
            4 => texts(&["abc", "10_000", "1,5", "twelve", "$100", "1e", "NaN", "inf", "--1", "1 000", "0x10", "."]),
            1 => any::<bool>().prop_map(Value::Bool),
            1 => nested(),
        ]
        .boxed(),
        FieldType::Boolean => prop_oneof![
            4 => texts(&["maybe", "2", "y", "n", "oui", "t", "nope", "-1"]),
            1 => Just(Value::Number(2.0)),
            1 => nested(),
        ]
        .boxed(),
        FieldType::Date => prop_oneof![
            4 => texts(&["2026-02-30", "31/01/2026", "tomorrow", "2026-1-5", "20261122", "2026-13-01", "next spring", "2026-11-22T25:00:00Z"]),
            1 => Just(Value::Number(20_261_122.0)),
            1 => nested(),
        ]
        .boxed(),
        FieldType::Email => prop_oneof![
            4 => texts(&["not an email", "a@b@c", "@example.com", "ann(at)example.com", "ann@", "ann@-x.com", "ann example.com", "ann@exa mple.com"]),
            1 => Just(Value::Number(42.0)),
            1 => nested(),
        ]
        .boxed(),
        FieldType::Url => prop_oneof![
            4 => texts(&["example.com", "ftp://example.com", "mailto:a@example.com", "http://", "www.example.com", "https//example.com", "/about"]),
            1 => Just(Value::Number(42.0)),
            1 => nested(),
        ]
        .boxed(),
        FieldType::Enum => {
            let mut wrong: Vec<String> = field
                .values
                .iter()
                .flat_map(|v| [v.to_uppercase(), format!("{v}x"), v.replace('_', " ")])
                .filter(|w| !field.values.iter().any(|v| v == w.trim()))
                .collect();
            wrong.push("not_a_value".to_string());
            prop_oneof![4 => select(wrong).prop_map(Value::Text), 1 => nested()].boxed()
        }
        FieldType::List => prop_oneof![
            Just(Value::List(vec![Value::Nested])),
            Just(Value::List(vec![Value::Text("a".into()), Value::List(vec![Value::Text("b".into())])])),
            any::<bool>().prop_map(Value::Bool),
            nested(),
        ]
        .boxed(),
    }
}

/// Any stage of `definition`, by index.
pub fn stage(definition: &Definition) -> BoxedStrategy<StageIndex> {
    let stages: Vec<StageIndex> = definition.stages().iter().map(|s| s.index()).collect();
    proptest::sample::select(stages).boxed()
}

/// A move to check: from one stage to another (possibly the same), with the lead's record.
#[derive(Clone, Debug, PartialEq)]
pub struct MoveCase {
    /// The stage the lead is in.
    pub from: StageIndex,
    /// The stage it is to move to.
    pub to: StageIndex,
    /// The lead.
    pub record: Record,
}

impl MoveCase {
    /// The ids of the two stages, for messages.
    pub fn ids<'d>(&self, definition: &'d Definition) -> (&'d str, &'d str) {
        let id = |i: StageIndex| definition.stage_at(i).map_or("?", |s| s.id());
        (id(self.from), id(self.to))
    }
}

/// Moves between any two stages of `definition` (the same stage included), each with a
/// record drawn by `mix`.
///
/// ```
/// use leadspec::testing::{moves, RecordMix};
/// use leadspec::default_definition;
/// use proptest::test_runner::TestRunner;
///
/// let d = default_definition();
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// TestRunner::default()
///     .run(&moves(d, RecordMix::default()), |case| {
///         // Staying put is always allowed.
///         if case.from == case.to {
///             assert!(d.check_move(case.from, case.to, &case.record, now).is_allowed());
///         }
///         Ok(())
///     })
///     .unwrap();
/// ```
pub fn moves(definition: &Definition, mix: RecordMix) -> BoxedStrategy<MoveCase> {
    (stage(definition), stage(definition), records(definition, mix))
        .prop_map(|(from, to, record)| MoveCase { from, to, record })
        .boxed()
}

/// Which stages a generated history walks through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum StagePath {
    /// Any stage after any other.
    #[default]
    Any,
    /// Only moves some declared transition covers (guards not checked); a lead stops in a
    /// stage no transition leaves. Without transitions every move is declared.
    Declared,
}

/// The order in which a generated history lists its changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ChangeOrder {
    /// By time, all leads interleaved (ties by lead id).
    #[default]
    ByTime,
    /// Lead by lead, each lead's changes by time.
    ByLead,
    /// Shuffled: the order a replay must not depend on.
    Shuffled,
}

/// The shape of the histories [`histories`] generates.
///
/// ```
/// use leadspec::testing::{ChangeOrder, HistoryShape, StagePath};
/// let shape = HistoryShape { leads: 2..=3, path: StagePath::Declared, order: ChangeOrder::Shuffled, ..HistoryShape::default() };
/// assert_eq!(shape.changes_per_lead, 1..=6);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryShape {
    /// How many leads (ids `L1`, `L2`, ...). Default `1..=5`.
    pub leads: RangeInclusive<usize>,
    /// How many stage changes each lead has. Default `1..=6`.
    pub changes_per_lead: RangeInclusive<usize>,
    /// No change is earlier than this. Default 2026-01-01T00:00:00Z.
    pub start: DateTime<Utc>,
    /// The longest gap between a lead's consecutive changes (and before its first), in
    /// seconds; gaps of 0 (two changes at the same instant) happen too. Default 30 days.
    pub max_gap_seconds: i64,
    /// Which stages follow which. Default [`StagePath::Any`].
    pub path: StagePath,
    /// The order of the changes. Default [`ChangeOrder::ByTime`].
    pub order: ChangeOrder,
}

impl Default for HistoryShape {
    fn default() -> Self {
        HistoryShape {
            leads: 1..=5,
            changes_per_lead: 1..=6,
            start: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("a valid time"),
            max_gap_seconds: 30 * 86_400,
            path: StagePath::Any,
            order: ChangeOrder::ByTime,
        }
    }
}

/// Stage histories over `definition`'s stages: the changes of several leads, each lead's in
/// increasing time (ties possible), listed in the order `shape.order` asks for.
///
/// ```
/// use leadspec::testing::{histories, ChangeOrder, HistoryShape};
/// use leadspec::default_definition;
/// use proptest::test_runner::TestRunner;
///
/// let d = default_definition();
/// let now = leadspec::parse_reference_time("2027-01-01").unwrap();
/// let shuffled = histories(d, HistoryShape { order: ChangeOrder::Shuffled, ..HistoryShape::default() });
/// TestRunner::default()
///     .run(&shuffled, |changes| {
///         let mut sorted = changes.clone();
///         sorted.sort_by(|a, b| (a.at, &a.lead).cmp(&(b.at, &b.lead)));
///         // Replaying does not depend on the order of the input.
///         assert_eq!(d.replay(changes, now), d.replay(sorted, now));
///         Ok(())
///     })
///     .unwrap();
/// ```
pub fn histories(definition: &Definition, shape: HistoryShape) -> BoxedStrategy<Vec<StageChange>> {
    let ids: Vec<String> = definition.stages().iter().map(|s| s.id().to_string()).collect();
    let count = ids.len();
    let targets: Vec<Vec<usize>> = definition
        .stages()
        .iter()
        .map(|from| match shape.path {
            StagePath::Any => (0..count).filter(|&to| to != from.index().position()).collect(),
            StagePath::Declared => definition.targets_from(from.index()).iter().map(|to| to.position()).collect(),
        })
        .collect();
    let max_gap = shape.max_gap_seconds.max(0);
    let start = shape.start;
    let order = shape.order;
    let lead = vec((any::<Index>(), 0..=max_gap), shape.changes_per_lead.clone());
    let generated = vec(lead, shape.leads.clone()).prop_map(move |leads| {
        let mut changes = Vec::new();
        for (n, steps) in leads.iter().enumerate() {
            let lead = format!("L{}", n + 1);
            let mut at = start;
            let mut current: Option<usize> = None;
            for (choice, gap) in steps {
                at += Duration::seconds(*gap);
                let next = match current {
                    None => choice.index(count),
                    Some(from) if targets[from].is_empty() => break,
                    Some(from) => *choice.get(&targets[from]),
                };
                changes.push(StageChange { lead: lead.clone(), stage: ids[next].clone(), at });
                current = Some(next);
            }
        }
        if order == ChangeOrder::ByTime {
            changes.sort_by(|a, b| (a.at, &a.lead).cmp(&(b.at, &b.lead)));
        }
        changes
    });
    match order {
        ChangeOrder::Shuffled => generated.prop_shuffle().boxed(),
        ChangeOrder::ByTime | ChangeOrder::ByLead => generated.boxed(),
    }
}
