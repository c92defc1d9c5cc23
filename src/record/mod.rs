//! Lead records: building them in Rust, reading them from JSON, TOML or CSV, and the
//! values they hold before and after preparation against a definition.
//!
//! A [`Record`] is a flat map of field id to [`Value`], whatever its source. Values are
//! coerced by the type of the field they land in only when the record is *prepared*
//! against a definition, once; classification then reads the coerced [`Slot`]s by index.
//!
//! ```
//! use leadspec::Record;
//!
//! // Built in Rust:
//! let a = Record::new().with("email", "ann@example.com").with("budget", 25_000);
//! // Deserialized from any self-describing format (here JSON):
//! let b: Record = serde_json::from_str(r#"{"email":"ann@example.com","budget":"25000"}"#).unwrap();
//! // Taken from a CSV row under its header:
//! let c = Record::from_csv_row(&["email", "budget"], &["ann@example.com", "25000"]).unwrap();
//! assert_eq!(a.get("email"), b.get("email"));
//! assert_eq!(b, c);
//! ```

mod coerce;
mod serde_impl;
mod slot;
mod validate;

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;

pub(crate) use slot::Packed;
pub use slot::{ListItems, Prepared, Slot};
pub use validate::{Messages, ValidationError, ValidationRule};

#[cfg(feature = "proptest")]
pub(crate) use coerce::packed_of;
pub use coerce::{is_email, is_web_url};
pub(crate) use serde_impl::{toml_datetime_value, EXPECTING_RECORD};

/// One raw value of a record, as its source gave it, before coercion by field type.
///
/// Made from Rust values with `From`, or by deserializing a record:
///
/// ```
/// use leadspec::{Record, Value};
/// assert_eq!(Value::from(25_000), Value::Number(25_000.0));
/// assert_eq!(Value::from("pricing"), Value::Text("pricing".into()));
/// assert_eq!(Value::from(None::<&str>), Value::Null);
/// assert_eq!(Value::from(vec!["a", "b"]), Value::List(vec![Value::from("a"), Value::from("b")]));
///
/// let record: Record = serde_json::from_str(r#"{"budget": "25000", "address": {"city": "Oslo"}}"#).unwrap();
/// assert_eq!(record.get("budget"), Some(&Value::Text("25000".into()))); // a number field reads it later
/// assert_eq!(record.get("address"), Some(&Value::Nested)); // invalid for every field
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// JSON `null`: missing.
    Null,
    /// Text, such as a CSV cell or a JSON string; read by the field's type.
    Text(String),
    /// A number from JSON or TOML.
    Number(f64),
    /// A boolean from JSON or TOML.
    Bool(bool),
    /// A date from TOML (or built in Rust).
    Date(NaiveDate),
    /// An array from JSON or TOML.
    List(Vec<Value>),
    /// A value no field type can hold, such as a JSON object; invalid for every field.
    Nested,
}

impl Value {
    /// The text a `string` field reads from this value, if it has one.
    pub(crate) fn as_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Value::Text(s) => Some(s.as_str().into()),
            Value::Number(n) => Some(format_number(*n).into()),
            Value::Bool(b) => Some(b.to_string().into()),
            Value::Date(d) => Some(d.to_string().into()),
            _ => None,
        }
    }
}

/// Formats a number the way people write it: `25000`, `2.5`.
pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Number(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Number(v as f64)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Number(f64::from(v))
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<NaiveDate> for Value {
    fn from(v: NaiveDate) -> Self {
        Value::Date(v)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::List(v.into_iter().map(Into::into).collect())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// The `id` of a record, echoed in outputs: a string or a number.
///
/// ```
/// use leadspec::RecordId;
/// assert_eq!(RecordId::Number(17.0).to_string(), "17");
/// assert_eq!(RecordId::Number(2.5).to_string(), "2.5");
/// assert_eq!(RecordId::Text("L-1".into()).to_string(), "L-1");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum RecordId {
    /// A textual id such as `"L-1"`.
    Text(String),
    /// A numeric id such as `17`.
    Number(f64),
}

impl RecordId {
    /// The id an `id` value gives: text or a number; any other value gives none.
    pub(crate) fn from_value(value: &Value) -> Option<RecordId> {
        match value {
            Value::Text(s) => Some(RecordId::Text(s.clone())),
            Value::Number(n) => Some(RecordId::Number(*n)),
            _ => None,
        }
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordId::Text(s) => f.write_str(s),
            RecordId::Number(n) => f.write_str(&format_number(*n)),
        }
    }
}

/// A lead record: field ids and their raw values, in the order given.
///
/// Fields the definition does not declare are kept but ignored by classification,
/// except `id`, which is echoed. When a field is given twice the last value counts.
///
/// ```
/// use leadspec::{Record, Value};
/// let mut lead = Record::new().with("email", "ann@example.com").with("budget", 5_000);
/// lead.insert("budget", 25_000); // replaces the earlier value, in its place
/// lead.insert("note", "met at the fair");
/// assert_eq!(lead.get("budget"), Some(&Value::Number(25_000.0)));
/// assert_eq!(lead.get("role"), None);
/// let keys: Vec<&str> = lead.iter().map(|(key, _)| key).collect();
/// assert_eq!(keys, ["email", "budget", "note"]);
/// assert_eq!(lead.len(), 3);
///
/// // Also collected from pairs:
/// let same: Record = [("email", "ann@example.com")].into_iter().collect();
/// assert_eq!(same, Record::new().with("email", "ann@example.com"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Record {
    entries: Vec<(String, Value)>,
    /// Field to position, built once a record grows past [`INDEXED_AFTER`] fields, so that
    /// a record with very many fields is still built in linear time.
    index: Option<HashMap<String, usize>>,
}

/// Up to this many fields a linear scan is faster than hashing.
const INDEXED_AFTER: usize = 32;

impl PartialEq for Record {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

/// A CSV row whose number of cells differs from its header's.
///
/// ```
/// use leadspec::{RaggedRow, Record};
/// let err = Record::from_csv_row(&["id", "email", "budget"], &["L-1", "ann@example.com"]).unwrap_err();
/// assert_eq!(err, RaggedRow { header: 3, cells: 2 });
/// assert_eq!(err.to_string(), "the row has 2 cells but the header has 3");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the row has {cells} cells but the header has {header}")]
pub struct RaggedRow {
    /// Cells in the header.
    pub header: usize,
    /// Cells in the row.
    pub cells: usize,
}

impl Record {
    /// An empty record.
    pub fn new() -> Self {
        Record::default()
    }

    /// This record with `field` set to `value` (builder style).
    #[must_use]
    pub fn with(mut self, field: impl Into<String>, value: impl Into<Value>) -> Self {
        self.insert(field, value);
        self
    }

    /// Sets `field` to `value`, replacing an earlier value of the same field.
    pub fn insert(&mut self, field: impl Into<String>, value: impl Into<Value>) {
        let field = field.into();
        let value = value.into();
        if let Some(i) = self.position(&field) {
            self.entries[i].1 = value;
            return;
        }
        if let Some(index) = &mut self.index {
            index.insert(field.clone(), self.entries.len());
        } else if self.entries.len() >= INDEXED_AFTER {
            let mut index: HashMap<String, usize> =
                self.entries.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)).collect();
            index.insert(field.clone(), self.entries.len());
            self.index = Some(index);
        }
        self.entries.push((field, value));
    }

    fn position(&self, field: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(field).copied(),
            None => self.entries.iter().position(|(k, _)| k == field),
        }
    }

    /// The value of `field`, if the record has one.
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.position(field).map(|i| &self.entries[i].1)
    }

    /// The fields and values, in the order given.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of fields given.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no field is given.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The record's `id` (a string or a number), whether or not the definition declares it.
    ///
    /// ```
    /// use leadspec::{Record, RecordId};
    /// assert_eq!(Record::new().with("id", "L-1").id(), Some(RecordId::Text("L-1".into())));
    /// assert_eq!(Record::new().with("id", 7).id(), Some(RecordId::Number(7.0)));
    /// assert_eq!(Record::new().id(), None);
    /// ```
    pub fn id(&self) -> Option<RecordId> {
        RecordId::from_value(self.get("id")?)
    }

    /// A record from one CSV row under its header: each cell is text, read by field type later.
    ///
    /// A row with more or fewer cells than the header is refused.
    ///
    /// ```
    /// use leadspec::{Record, Value};
    /// let lead = Record::from_csv_row(&["id", "budget"], &["7", "25000"])?;
    /// assert_eq!(lead.get("budget"), Some(&Value::Text("25000".into()))); // text until prepared
    /// assert_eq!(lead.id().map(|id| id.to_string()).as_deref(), Some("7"));
    /// assert!(Record::from_csv_row(&["id"], &["7", "extra"]).is_err());
    /// # Ok::<(), leadspec::RaggedRow>(())
    /// ```
    pub fn from_csv_row<H: AsRef<str>, C: AsRef<str>>(header: &[H], cells: &[C]) -> Result<Record, RaggedRow> {
        if header.len() != cells.len() {
            return Err(RaggedRow { header: header.len(), cells: cells.len() });
        }
        let mut record = Record { entries: Vec::with_capacity(header.len()), index: None };
        for (h, c) in header.iter().zip(cells) {
            record.insert(h.as_ref(), Value::Text(c.as_ref().to_string()));
        }
        Ok(record)
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Record {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut record = Record::new();
        for (k, v) in iter {
            record.insert(k, v);
        }
        record
    }
}
