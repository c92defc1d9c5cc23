//! [`RecordGen`] and [`records`]: strategies of whole lead records for a definition, each
//! field's value drawn by its own [`RecordMix`] of valid, invalid and missing values.

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use super::values::{value_in, RecordMix};
use crate::{Definition, Field, Input, Record, Value};

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
/// let budget = definition.field_position("budget").unwrap().position();
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
