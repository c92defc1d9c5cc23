//! Deserializing records from any self-describing format (JSON objects, TOML tables).

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Record, Value};

/// What a record is, in serde's "invalid type: ..., expected ..." errors.
pub(crate) const EXPECTING_RECORD: &str = "an object of field names to values";

/// The name under which the `toml` crate hands a date-time to serde.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RecordVisitor)
    }
}

struct RecordVisitor;

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = Record;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTING_RECORD)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
        let mut record = Record::new();
        while let Some(key) = map.next_key::<String>()? {
            let value: Value = map.next_value()?;
            record.insert(key, value);
        }
        Ok(record)
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor { in_list: false })
    }
}

/// Reads one value; inside a list, nested lists and objects are skipped as [`Value::Nested`]
/// (no field type holds them), so depth is bounded by the format's own recursion limit.
struct ValueVisitor {
    in_list: bool,
}

struct ListItem(Value);

impl<'de> Deserialize<'de> for ListItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor { in_list: true }).map(ListItem)
    }
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number, boolean, date, list or null")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Text(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Text(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        if self.in_list {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(Value::Nested);
        }
        let mut items = Vec::new();
        while let Some(ListItem(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let Some(key) = map.next_key::<String>()? else {
            return Ok(Value::Nested);
        };
        if key == TOML_DATETIME_KEY {
            let text: String = map.next_value()?;
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(toml_datetime_value(&text).unwrap_or(Value::Text(text)));
        }
        map.next_value::<IgnoredAny>()?;
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Value::Nested)
    }
}

/// A TOML date or date-time as a value: a date is taken as it is, an offset date-time by its
/// UTC date, a local date-time by its date. A bare time is kept as text (and so is invalid
/// for a date field).
pub(crate) fn toml_datetime_value(text: &str) -> Option<Value> {
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(Value::Date(d));
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(Value::Date(dt.with_timezone(&Utc).date_naive()));
    }
    let date_part = text.get(..10)?;
    if text.len() > 10 && matches!(text.as_bytes()[10], b'T' | b't' | b' ') {
        return NaiveDate::parse_from_str(date_part, "%Y-%m-%d").ok().map(Value::Date);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_keep_their_kinds() {
        let r: Record =
            serde_json::from_str(r#"{"a":"x","b":2.5,"c":true,"d":null,"e":["p",1],"f":{"g":1},"h":[[1]]}"#).unwrap();
        assert_eq!(r.get("a"), Some(&Value::Text("x".into())));
        assert_eq!(r.get("b"), Some(&Value::Number(2.5)));
        assert_eq!(r.get("c"), Some(&Value::Bool(true)));
        assert_eq!(r.get("d"), Some(&Value::Null));
        assert_eq!(r.get("e"), Some(&Value::List(vec![Value::Text("p".into()), Value::Number(1.0)])));
        assert_eq!(r.get("f"), Some(&Value::Nested));
        assert_eq!(r.get("h"), Some(&Value::List(vec![Value::Nested])));
    }

    #[test]
    fn toml_dates_are_dates() {
        let r: Record =
            toml::from_str("a = 2026-01-31\nb = 2026-01-31T23:30:00-02:00\nc = 1979-05-27T07:32:00").unwrap();
        let d = |s| Value::Date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        assert_eq!(r.get("a"), Some(&d("2026-01-31")));
        assert_eq!(r.get("b"), Some(&d("2026-02-01")));
        assert_eq!(r.get("c"), Some(&d("1979-05-27")));
    }

    #[test]
    fn a_non_object_is_refused() {
        assert!(serde_json::from_str::<Record>("[1,2]").is_err());
        assert!(serde_json::from_str::<Record>("3").is_err());
    }
}
