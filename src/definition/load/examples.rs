//! The examples (`[[examples]]`): each one's record, reference time and expectation, with
//! every stage, team, criterion and field it names resolved against the loaded definition.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use toml::de::{DeTable, DeValue};

use super::{index_of, Item, Loader, NameKind, EXAMPLE_KEYS, MOVE_KEYS};
use crate::definition::example::{Example, ExampleExpectation};
use crate::definition::{Definition, StageIndex};
use crate::diagnostic::{hint_for, DiagnosticCode as C};
use crate::record::toml_datetime_value;
use crate::{Field, Record, Span, Truth, Value};

impl Loader<'_, '_> {
    pub(super) fn examples(&mut self, item: &Item<'_>, definition: &Definition) -> Vec<Example> {
        let mut examples: Vec<Example> = Vec::new();
        let mut names: HashSet<String> = HashSet::new();
        let criterion_index = index_of(definition.qualification.criteria.iter().map(|c| c.id.as_str()));
        for (table, header) in self.tables(item) {
            self.keys(table, header.clone(), "[[examples]]", EXAMPLE_KEYS, &["name"]);
            if let Some(example) = self.example(table, header, definition, &criterion_index) {
                if !names.insert(example.name.clone()) {
                    self.d.error(
                        C::Duplicate,
                        example.span.clone(),
                        format!("two examples are named \"{}\"", example.name),
                    );
                }
                examples.push(example);
            }
        }
        examples
    }

    /// One example; `criterion_index` maps each criterion id to its position.
    fn example(
        &mut self,
        table: &DeTable<'_>,
        header: Span,
        definition: &Definition,
        criterion_index: &HashMap<&str, usize>,
    ) -> Option<Example> {
        let name_key_span = table.get_key_value("name").map_or(header.clone(), |(k, _)| k.span());
        let name = table.get("name").and_then(|n| self.string(n));
        let now = table.get("now").and_then(|n| self.example_now(n));
        let record = match table.get("record") {
            Some(r) => self.example_record(r, definition),
            None => Some(Record::new()),
        };
        let stage_ref = |this: &mut Self, item: &Item<'_>| -> Option<StageIndex> {
            let id = this.string(item)?;
            let ids = definition.stages.iter().map(|s| s.id.as_str());
            let position = this.lookup(&definition.stage_ids, &id, item.span(), NameKind::Stage, ids)?;
            Some(StageIndex::new(position, definition.stamp))
        };
        let mut expectations = Vec::new();
        if let Some(stage) = table.get("stage") {
            expectations.push(stage.span());
        }
        if let Some(u) = table.get("unclassified") {
            expectations.push(u.span());
        }
        if let Some(m) = table.get("move") {
            expectations.push(m.span());
        }
        if expectations.len() != 1 {
            // None is a missing expectation; two or more contradict each other.
            let code = if expectations.is_empty() { C::MissingKey } else { C::Conflict };
            let span = expectations.get(1).cloned().unwrap_or(header.clone());
            self.d.error(code, span, "an example has exactly one of `stage`, `unclassified = true` or `move`");
        }
        let expect = if let Some(stage) = table.get("stage") {
            stage_ref(self, stage).map(ExampleExpectation::Stage)
        } else if let Some(u) = table.get("unclassified") {
            match self.boolean(u) {
                Some(true) => Some(ExampleExpectation::Unclassified),
                Some(false) => {
                    self.d.error(C::InvalidValue, u.span(), "write `unclassified = true`, or expect a `stage`");
                    None
                }
                None => None,
            }
        } else if let Some(m) = table.get("move") {
            let mt = self.table(m)?;
            self.keys(mt, m.span(), "an example's `move`", MOVE_KEYS, &["from", "to", "allowed"]);
            let from = mt.get("from").and_then(|f| stage_ref(self, f));
            let to = mt.get("to").and_then(|t| stage_ref(self, t));
            let allowed = mt.get("allowed").and_then(|a| self.boolean(a));
            match (from, to, allowed) {
                (Some(from), Some(to), Some(allowed)) => Some(ExampleExpectation::Move { from, to, allowed }),
                _ => None,
            }
        } else {
            None
        };
        let owner = table.get("owner").and_then(|o| {
            let id = self.string(o)?;
            let ids = definition.teams.iter().map(|t| t.id.as_str());
            self.lookup(&definition.team_ids, &id, o.span(), NameKind::Team, ids)
        });
        let qualified = table.get("qualified").and_then(|q| self.truth_word(q));
        let mut criteria = Vec::new();
        if let Some(c) = table.get("criteria").and_then(|c| self.table(c)) {
            for (key, value) in c.iter() {
                let id = key.get_ref().as_ref();
                let ids = definition.qualification.criteria.iter().map(|cr| cr.id.as_str());
                let Some(index) = self.lookup(criterion_index, id, key.span(), NameKind::Criterion, ids) else {
                    continue;
                };
                if let Some(state) = self.truth_word(value) {
                    criteria.push((index, state));
                }
            }
        }
        let errors = table.get("errors").and_then(|e| self.table(e)).map(|e| {
            let mut expected = Vec::new();
            for (key, value) in e.iter() {
                let id = key.get_ref().as_ref();
                let ids = definition.fields.iter().map(|f| f.id.as_str());
                let Some(index) = self.lookup(&definition.field_index, id, key.span(), NameKind::Field, ids) else {
                    continue;
                };
                if let Some(message) = self.string(value) {
                    expected.push((index, message));
                }
            }
            expected
        });
        let score = table.get("score").and_then(|s| {
            let n = self.integer(s)?;
            if definition.scoring.is_none() {
                self.d.error(C::MisplacedKey, s.span(), "`score` is expected, but the definition has no [scoring]");
            }
            Some(n)
        });
        let (line, column) = self.d.position(name_key_span.start);
        Some(Example {
            name: name?,
            span: name_key_span,
            line,
            column,
            now,
            record: record?,
            expect: expect?,
            owner,
            qualified,
            criteria,
            errors,
            score,
        })
    }

    fn truth_word(&mut self, item: &Item<'_>) -> Option<Truth> {
        let word = self.string(item)?;
        match Truth::from_word(&word) {
            Some(truth) => Some(truth),
            None => {
                let hint = hint_for(&word, ["met", "not_met", "unknown"]);
                self.d.error_hint(
                    C::UnknownValue,
                    item.span(),
                    format!("`{word}` is not `met`, `not_met` or `unknown`"),
                    hint,
                );
                None
            }
        }
    }

    fn example_now(&mut self, item: &Item<'_>) -> Option<DateTime<Utc>> {
        let text = match item.get_ref() {
            DeValue::String(s) => s.to_string(),
            DeValue::Datetime(dt) => dt.to_string(),
            _ => {
                self.expected(item, "a date or an RFC 3339 date-time");
                return None;
            }
        };
        match crate::time::parse_reference_time(&text) {
            Ok(time) => Some(time),
            Err(error) => {
                self.d.error(C::InvalidDate, item.span(), error.to_string());
                None
            }
        }
    }

    /// An example's record: a table keyed by columns (a field's `column`, or its id) and
    /// the `[input] id` column.
    fn example_record(&mut self, item: &Item<'_>, definition: &Definition) -> Option<Record> {
        let table = self.table(item)?;
        let mut record = Record::new();
        for (key, value) in table.iter() {
            let column = key.get_ref().as_ref();
            if column != definition.input.id {
                // A field's id where the column it reads is expected: say which column.
                if let Some(field) = definition.field(column).filter(|_| definition.column_position(column).is_none()) {
                    self.d.error_hint(
                        C::UnknownField,
                        key.span(),
                        format!("the field `{column}` is read from the column \"{}\"", field.column()),
                        Some(format!("write \"{}\" = ... in the record", field.column())),
                    );
                    continue;
                }
                let columns = definition.fields.iter().map(Field::column);
                if self.lookup(&definition.column_index, column, key.span(), NameKind::Field, columns).is_none() {
                    continue;
                }
            }
            record.insert(column, toml_value(value.get_ref()));
        }
        Some(record)
    }
}

/// A TOML value as a record value: dates, numbers, booleans and arrays taken as they are.
fn toml_value(value: &DeValue<'_>) -> Value {
    match value {
        DeValue::String(s) => Value::Text(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).map_or(Value::Nested, Value::from),
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().map_or(Value::Nested, Value::Number),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(dt) => {
            let text = dt.to_string();
            toml_datetime_value(&text).unwrap_or(Value::Text(text))
        }
        DeValue::Array(items) => Value::List(
            items
                .iter()
                .map(|i| match i.get_ref() {
                    DeValue::Array(_) | DeValue::Table(_) => Value::Nested,
                    other => toml_value(other),
                })
                .collect(),
        ),
        DeValue::Table(_) => Value::Nested,
    }
}
