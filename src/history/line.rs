//! One line of a stage history as JSON, `{"id":..,"stage":..,"at":..}`: the three values
//! read without building a map, and checked with the messages `leadspec sla` prints. Both
//! readers of history lines use it: `StageChange`'s `Deserialize` (feature `serde`) and
//! `leadspec::read::Changes` (feature `read`).

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::json_text;

/// The keys of a history line that matter, each value borrowed from the line when it
/// holds no escapes. A repeated key counts with its last value, as in a JSON object read
/// whole; other keys are skipped.
#[derive(Default)]
pub(crate) struct LineFields<'a> {
    id: Option<Scalar<'a>>,
    stage: Option<Scalar<'a>>,
    at: Option<Scalar<'a>>,
}

/// A JSON value, as far as a history line cares.
enum Scalar<'a> {
    Text(Cow<'a, str>),
    /// A number, as JSON text (`7`, `1.5`, `1e+20`).
    Number(String),
    Null,
    /// A boolean, an array or an object.
    Other,
}

impl<'a> LineFields<'a> {
    /// The lead's id: text that is not blank, or a number as its JSON text.
    pub(crate) fn lead(&mut self) -> Result<Cow<'a, str>, String> {
        match self.id.take() {
            None | Some(Scalar::Null) => Err("missing key `id`".to_string()),
            Some(Scalar::Text(text)) if text.trim().is_empty() => Err("`id` is empty".to_string()),
            Some(Scalar::Text(text)) => Ok(text),
            Some(Scalar::Number(n)) => Ok(Cow::Owned(n)),
            Some(Scalar::Other) => Err("`id` is not a string or a number".to_string()),
        }
    }

    /// The stage word as written (not yet resolved against a definition).
    pub(crate) fn stage(&mut self) -> Result<Cow<'a, str>, String> {
        match self.stage.take() {
            None | Some(Scalar::Null) => Err("missing key `stage`".to_string()),
            Some(Scalar::Text(word)) if word.is_empty() => Err("`stage` is empty".to_string()),
            Some(Scalar::Text(word)) => Ok(word),
            Some(_) => Err("`stage` is not a string".to_string()),
        }
    }

    /// The time of the change.
    pub(crate) fn at(&mut self) -> Result<DateTime<Utc>, String> {
        match self.at.take() {
            None | Some(Scalar::Null) => Err("missing key `at`".to_string()),
            Some(Scalar::Text(text)) => time(&text),
            Some(_) => Err("`at` is not a string".to_string()),
        }
    }
}

/// The time a history gives (in a JSON line or a CSV cell), or why it is not one.
pub(crate) fn time(text: &str) -> Result<DateTime<Utc>, String> {
    if text.trim().is_empty() {
        return Err("`at` is empty".to_string());
    }
    crate::parse_reference_time(text).map_err(|_| format!("`at` is not an RFC 3339 date-time: `{text}`"))
}

/// Reads a history line and makes `T` of its fields with `make`, whose error is reported
/// as the deserializer reports its own (with its position, for `serde_json`).
pub(crate) fn deserialize_line<'de, D, T>(
    deserializer: D,
    make: impl FnOnce(LineFields<'de>) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_any(FieldsVisitor(make))
}

/// The message for a line that is not a JSON object.
pub(crate) const NOT_AN_OBJECT: &str = "not a JSON object";

impl<'de> Deserialize<'de> for LineFields<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<LineFields<'de>, D::Error> {
        deserialize_line(deserializer, Ok)
    }
}

/// Reads the fields of a line, then makes what `.0` makes of them.
struct FieldsVisitor<F>(F);

/// Anything but an object is "not a JSON object".
macro_rules! not_an_object {
    ($($name:ident($($ty:ty),*)),* $(,)?) => {
        $(fn $name<E: de::Error>(self, $(_: $ty),*) -> Result<T, E> {
            Err(E::custom(NOT_AN_OBJECT))
        })*
    };
}

impl<'de, F, T> Visitor<'de> for FieldsVisitor<F>
where
    F: FnOnce(LineFields<'de>) -> Result<T, String>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a history line: an object with `id`, `stage` and `at`")
    }

    not_an_object!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64),
        visit_str(&str),
        visit_bytes(&[u8]),
        visit_unit(),
        visit_none(),
    );

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserialize_line(deserializer, self.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Err(de::Error::custom(NOT_AN_OBJECT))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut fields = LineFields::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Id => fields.id = Some(map.next_value()?),
                Key::Stage => fields.stage = Some(map.next_value()?),
                Key::At => fields.at = Some(map.next_value()?),
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        (self.0)(fields).map_err(de::Error::custom)
    }
}

/// The keys of a history line.
enum Key {
    Id,
    Stage,
    At,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "id" => Key::Id,
                    "stage" => Key::Stage,
                    "at" => Key::At,
                    _ => Key::Other,
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Scalar<'de>, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Borrowed(text)))
    }
    fn visit_str<E>(self, text: &str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Owned(text.to_string())))
    }
    fn visit_string<E>(self, text: String) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Owned(text)))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Number(n.to_string()))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Number(n.to_string()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Scalar<'de>, E> {
        Ok(if n.is_finite() { Scalar::Number(json_text::number(n)) } else { Scalar::Other })
    }
    fn visit_bool<E>(self, _: bool) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Other)
    }
    fn visit_unit<E>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Scalar<'de>, D::Error> {
        Scalar::deserialize(deserializer)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

#[cfg(all(test, feature = "read"))]
mod tests {
    use super::*;

    /// The lead, stage word and time of a line, checked in that order, or the first
    /// problem.
    fn parts(line: &str) -> Result<(String, String, String), String> {
        let mut fields: LineFields<'_> = serde_json::from_str(line).map_err(|e| {
            let message = e.to_string();
            message.split(" at line ").next().unwrap_or_default().to_string()
        })?;
        Ok((fields.lead()?.into_owned(), fields.stage()?.into_owned(), crate::format_time(fields.at()?)))
    }

    #[test]
    fn a_line_gives_its_three_values() {
        let ok = |lead: &str, stage: &str, at: &str| Ok((lead.to_string(), stage.to_string(), at.to_string()));
        assert_eq!(
            parts(r#"{"x":[1,{"y":2}],"id":"L\"1","stage":"SQL","at":"2026-11-01","more":null}"#),
            ok("L\"1", "SQL", "2026-11-01T00:00:00Z")
        );
        assert_eq!(parts(r#"{"id":-7,"stage":"won","at":"2026-11-01"}"#).unwrap().0, "-7");
        assert_eq!(parts(r#"{"id":1.0,"stage":"won","at":"2026-11-01"}"#).unwrap().0, "1.0");
        assert_eq!(parts(r#"{"id":1e20,"stage":"won","at":"2026-11-01"}"#).unwrap().0, "1e+20");
        assert_eq!(parts(r#"{"id":"A","id":"B","stage":"won","at":"2026-11-01"}"#).unwrap().0, "B");
    }

    #[test]
    fn each_unreadable_line_says_why() {
        let error = |line: &str| parts(line).unwrap_err();
        assert_eq!(error(r#"{"stage":"won","at":"2026-11-01"}"#), "missing key `id`");
        assert_eq!(error(r#"{"id":null,"stage":"won","at":"2026-11-01"}"#), "missing key `id`");
        assert_eq!(error(r#"{"id":" ","stage":"won","at":"2026-11-01"}"#), "`id` is empty");
        assert_eq!(error(r#"{"id":true,"stage":"won","at":"2026-11-01"}"#), "`id` is not a string or a number");
        assert_eq!(error(r#"{"id":"A","at":"2026-11-01"}"#), "missing key `stage`");
        assert_eq!(error(r#"{"id":"A","stage":1,"at":"2026-11-01"}"#), "`stage` is not a string");
        assert_eq!(error(r#"{"id":"A","stage":"","at":"2026-11-01"}"#), "`stage` is empty");
        assert_eq!(error(r#"{"id":"A","stage":"won"}"#), "missing key `at`");
        assert_eq!(error(r#"{"id":"A","stage":"won","at":["x"]}"#), "`at` is not a string");
        assert_eq!(error(r#"{"id":"A","stage":"won","at":" "}"#), "`at` is empty");
        assert_eq!(error(r#"{"id":"A","stage":"won","at":"soon"}"#), "`at` is not an RFC 3339 date-time: `soon`");
        for line in [r#"["A","won"]"#, "7", r#""x""#, "null", "true"] {
            assert_eq!(error(line), NOT_AN_OBJECT, "{line}");
        }
        // The first problem in the order id, stage, at is the one reported.
        assert_eq!(error(r#"{"at":"soon","stage":""}"#), "missing key `id`");
    }
}
