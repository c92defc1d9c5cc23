//! Strategies of one field's value, and [`RecordMix`], how often each kind is drawn: valid
//! values in every form the field's type accepts, invalid ones its type rejects, and
//! missing ones in every form a record can hold.

use chrono::{Duration, NaiveDate};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::{BoxedStrategy, Just, Union};

use crate::record::{packed_of, Packed};
use crate::{Field, FieldType, Input, Value};

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

/// One field's value drawn by `mix`: `None` leaves the key out of the record.
///
/// Valid dates cluster around `around`.
///
/// ```
/// use leadspec::testing::{field_value, RecordMix};
/// use leadspec::{Record, Slot};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let d = leadspec::default_definition();
/// let budget = d.field("budget").unwrap();
/// let around = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
/// let strategy = field_value(budget, RecordMix::INVALID, around);
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..20 {
///     let value = strategy.new_tree(&mut runner).unwrap().current().expect("never left out");
///     let lead = d.prepare(&Record::new().with("budget", value));
///     assert_eq!(lead.slot(d.field_position("budget").unwrap()), Some(Slot::Invalid));
/// }
/// ```
pub fn field_value(field: &Field, mix: RecordMix, around: NaiveDate) -> BoxedStrategy<Option<Value>> {
    value_in(field, &Input::default(), mix, around)
}

/// [`field_value`] under a definition's `[input]` settings (its placeholders and time zone).
pub(super) fn value_in(
    field: &Field,
    input: &Input,
    mix: RecordMix,
    around: NaiveDate,
) -> BoxedStrategy<Option<Value>> {
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
///
/// ```
/// use leadspec::{testing::missing_value, Record, Slot};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let d = leadspec::default_definition();
/// let company = d.field_position("company").unwrap();
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..20 {
///     let mut lead = Record::new();
///     if let Some(value) = missing_value().new_tree(&mut runner).unwrap().current() {
///         lead.insert("company", value);
///     }
///     assert_eq!(d.prepare(&lead).slot(company), Some(Slot::Missing));
/// }
/// ```
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

/// A value valid for `field`'s type, in any of the forms its type accepts, with dates
/// mostly within two years of `around`.
///
/// Every value drawn coerces to a present slot (this is checked as it is drawn).
///
/// ```
/// use leadspec::{testing::valid_value, Record};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let d = leadspec::default_definition();
/// let around = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
/// let mut runner = TestRunner::deterministic();
/// for field in d.fields() {
///     let value = valid_value(field, around).new_tree(&mut runner).unwrap().current();
///     let lead = d.prepare(&Record::new().with(field.column(), value));
///     assert!(lead.slot(d.field_position(&field.id).unwrap()).unwrap().is_present(), "{}", field.id);
/// }
/// ```
pub fn valid_value(field: &Field, around: NaiveDate) -> BoxedStrategy<Value> {
    valid_in(field, &Input::default(), around)
}

fn valid_in(field: &Field, input: &Input, around: NaiveDate) -> BoxedStrategy<Value> {
    let (checked, input) = (field.clone(), input.clone());
    raw_valid(field, around)
        .prop_filter("a valid value for the field", move |v| packed_of(&checked, &input, v).is_present())
        .boxed()
}

/// A present value that `field`'s type rejects: reading it is a validation error.
///
/// Every value drawn coerces to [`Slot::Invalid`](crate::Slot::Invalid) (this is checked as it is drawn).
///
/// ```
/// use leadspec::{testing::invalid_value, Record};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let d = leadspec::default_definition();
/// let email = d.field("email").unwrap();
/// let value = invalid_value(email).new_tree(&mut TestRunner::deterministic()).unwrap().current();
/// let result = d.classify(&Record::new().with("email", value), leadspec::parse_reference_time("2026-11-22").unwrap());
/// assert_eq!(result.errors()[0].field, "email");
/// ```
pub fn invalid_value(field: &Field) -> BoxedStrategy<Value> {
    invalid_in(field, &Input::default())
}

fn invalid_in(field: &Field, input: &Input) -> BoxedStrategy<Value> {
    let (checked, input) = (field.clone(), input.clone());
    raw_invalid(field)
        .prop_filter("an invalid value for the field", move |v| packed_of(&checked, &input, v) == Packed::Invalid)
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
