//! Reading JSON records: each deserialized straight into its prepared form for one
//! definition ([`Definition::prepare_from`], [`SeenKeys::prepare_from`]), the keys it held
//! noted by [`SeenKeys`].

use std::collections::HashSet;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::{Candidates, ColumnReport};
use crate::record::EXPECTING_RECORD;
use crate::{Definition, Prepared, Record, RecordId, Value};

/// The most distinct keys [`SeenKeys`] keeps as did-you-mean candidates.
const MAX_KEYS_KEPT: usize = 1_000;
/// The longest key [`SeenKeys`] keeps as a candidate, in bytes.
const MAX_KEY_BYTES: usize = 256;

/// The keys JSON records held, for one definition: prepares each record and remembers
/// which fields' keys were held, so that after the last record the fields no record held
/// are said out loud.
///
/// ```
/// use leadspec::{default_definition, SeenKeys};
///
/// let definition = default_definition();
/// let mut seen = SeenKeys::new(definition);
/// for line in [r#"{"Email": "ann@example.com"}"#, r#"{"Email": "ben@example.com", "budget": 5}"#] {
///     let mut json = serde_json::Deserializer::from_str(line);
///     let lead = seen.prepare_from(&mut json)?;
///     assert_eq!(definition.stage_of(&lead, leadspec::parse_reference_time("2026-11-22").unwrap()).unwrap(), None);
/// }
/// let report = seen.report();
/// let email = report.findings().iter().find(|f| f.to_string().contains("`email`")).unwrap();
/// assert_eq!(email.to_string(), r#"no column "email" for field `email`; did you mean "Email"? (add column = "Email")"#);
/// assert!(report.missing_fields().all(|f| f != "budget"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct SeenKeys<'d> {
    definition: &'d Definition,
    held: Vec<bool>,
    /// Keys no field reads, in the order first seen (at most [`MAX_KEYS_KEPT`]).
    others: Vec<String>,
    other_set: HashSet<String>,
    records: usize,
}

impl<'d> SeenKeys<'d> {
    /// Nothing seen yet, for `definition`.
    pub fn new(definition: &'d Definition) -> Self {
        SeenKeys {
            definition,
            held: vec![false; definition.fields.len()],
            others: Vec::new(),
            other_set: HashSet::new(),
            records: 0,
        }
    }

    /// Deserializes one record straight into its prepared form, as
    /// [`Definition::prepare_from`] does, and notes the keys it holds.
    pub fn prepare_from<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<Prepared, D::Error> {
        let definition = self.definition;
        let prepared = deserializer.deserialize_map(PreparedVisitor { definition, seen: Some(self) })?;
        self.records += 1;
        Ok(prepared)
    }

    /// Notes the keys of a record read some other way.
    pub fn note(&mut self, record: &Record) {
        for (key, _) in record.iter() {
            self.key(key);
        }
        self.records += 1;
    }

    /// Notes one key held by the record being read.
    pub(crate) fn key(&mut self, key: &str) {
        self.key_at(self.definition.column_index.get(key).copied(), key);
    }

    /// Notes one key held by the record being read, already looked up: the field it names.
    fn key_at(&mut self, field: Option<usize>, key: &str) {
        match field {
            Some(i) => self.held[i] = true,
            None => self.other(key),
        }
    }

    /// Notes a key no field reads, as a did-you-mean candidate while there is room.
    fn other(&mut self, key: &str) {
        if self.others.len() < MAX_KEYS_KEPT && key.len() <= MAX_KEY_BYTES && !self.other_set.contains(key) {
            self.other_set.insert(key.to_string());
            self.others.push(key.to_string());
        }
    }

    /// Adds what `later` (for the same definition) noted, as if these keys had noted its
    /// records after their own: the fields held by either are held, and the candidates stay
    /// the first seen in that order. Records noted on several threads, each thread a run of
    /// consecutive records, are put together this way in input order, with the report of
    /// one reader that noted them all.
    ///
    /// ```
    /// use leadspec::{default_definition, SeenKeys};
    ///
    /// let definition = default_definition();
    /// let lines = [r#"{"Email": "ann@example.com"}"#, r#"{"budget": 5, "E-mail": "ben@example.com"}"#];
    /// let mut one = SeenKeys::new(definition);
    /// let mut parts = [SeenKeys::new(definition), SeenKeys::new(definition)];
    /// for (line, part) in lines.iter().zip(&mut parts) {
    ///     one.prepare_from(&mut serde_json::Deserializer::from_str(line))?;
    ///     part.prepare_from(&mut serde_json::Deserializer::from_str(line))?;
    /// }
    /// let [mut first, second] = parts;
    /// first.merge(&second);
    /// assert_eq!(first.records(), 2);
    /// assert_eq!(first.report(), one.report());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn merge(&mut self, later: &SeenKeys<'_>) {
        for (held, &h) in self.held.iter_mut().zip(&later.held) {
            *held |= h;
        }
        for key in &later.others {
            self.other(key);
        }
        self.records += later.records;
    }

    /// How many records were noted.
    pub fn records(&self) -> usize {
        self.records
    }

    /// The fields whose key no record held (a key held with any value counts), each with
    /// the key it probably meant among those seen; empty when no record was noted.
    pub fn report(&self) -> ColumnReport {
        if self.records == 0 {
            return ColumnReport::default();
        }
        let candidates = Candidates::new(self.others.iter().map(String::as_str));
        ColumnReport { findings: self.definition.missing_fields(&self.held, &candidates) }
    }
}

/// Reads a record straight into its prepared form for one definition: each key is looked up
/// as borrowed text and its value coerced into the field's slot, so no [`Record`] (no key
/// strings, no map) is built. Same result as deserializing a [`Record`] and preparing it.
pub(crate) struct PreparedVisitor<'d, 's> {
    pub(crate) definition: &'d Definition,
    /// Where to note the keys read, when the caller tracks them.
    pub(crate) seen: Option<&'s mut SeenKeys<'d>>,
}

/// What a record's key names, found without allocating.
enum Key {
    /// A declared field (which may be `id`, also echoed).
    Field { index: usize, is_id: bool },
    /// `id`, not declared as a field: only echoed.
    Id,
    /// Any other key: its value is skipped.
    Other,
}

struct KeySeed<'d, 's> {
    definition: &'d Definition,
    seen: Option<&'s mut SeenKeys<'d>>,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_, '_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, '_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E>(self, key: &str) -> Result<Key, E> {
        // One lookup, for the key's field and for the keys seen.
        let field = self.definition.column_index.get(key).copied();
        if let Some(seen) = self.seen {
            seen.key_at(field, key);
        }
        let is_id = key == self.definition.input.id;
        Ok(match field {
            Some(index) => Key::Field { index, is_id },
            None if is_id => Key::Id,
            None => Key::Other,
        })
    }
}

impl<'de> Visitor<'de> for PreparedVisitor<'_, '_> {
    type Value = Prepared;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTING_RECORD)
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Prepared, A::Error> {
        let fields = self.definition.fields();
        let mut prepared = Prepared::missing(fields.len(), self.definition.stamp);
        // As in a `Record`, a key given twice counts with its last value.
        while let Some(key) =
            map.next_key_seed(KeySeed { definition: self.definition, seen: self.seen.as_deref_mut() })?
        {
            match key {
                Key::Field { index, is_id } => {
                    let value: Value = map.next_value()?;
                    if is_id {
                        prepared.id = RecordId::from_value(&value);
                    }
                    prepared.store_value(index, &fields[index], &self.definition.input, &value);
                }
                Key::Id => prepared.id = RecordId::from_value(&map.next_value()?),
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(prepared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::columns::tests::{definition, warnings};

    #[test]
    fn json_keys_seen_across_records() {
        let d = definition();
        let mut seen = SeenKeys::new(&d);
        assert!(seen.report().is_empty(), "nothing is said before a record is read");
        for line in [r#"{"Prospect ID": 1, "Lead Source": "x", "E-mail": null}"#, r#"{"phone": "1", "Amount": 5}"#] {
            let mut json = serde_json::Deserializer::from_str(line);
            seen.prepare_from(&mut json).unwrap();
        }
        assert_eq!(seen.records(), 2);
        assert_eq!(
            warnings(&seen.report()),
            [
                r#"no column "lead_source" for field `lead_source`; did you mean "Lead Source"? (add column = "Lead Source")"#,
                // "Amount" is not a typo of "Amount (USD)": no suggestion.
                r#"no column "Amount (USD)" for field `amount`"#,
            ]
        );
    }
}
