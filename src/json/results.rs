//! Classifications and explanations, and the values inside them.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::{truth_word, Map, Numbered, Seq};
use crate::definition::{Criterion, ScoringRule, Stage};
use crate::rule::Finding;
use crate::{json_text, Classification, Explanation, RecordId, Rejection, Trial, Truth, Value};

/// Writes a classification's entries, after `record` when there is one.
fn classification<M: SerializeMap>(map: &mut M, c: &Classification<'_>) -> Result<(), M::Error> {
    map.serialize_entry("id", &c.id())?;
    map.serialize_entry("stage", &c.stage().map(Stage::id))?;
    map.serialize_entry("owner", &c.owner().map(|t| t.id.as_str()))?;
    map.serialize_entry("qualified", c.qualified().word())?;
    map.serialize_entry("criteria", &Map(|| c.criteria().map(|(k, t)| (k.id(), t.word()))))?;
    let ask = || c.criteria().filter(|&(_, t)| t == Truth::Unknown).filter_map(|(k, _)| k.ask());
    map.serialize_entry("ask", &Seq(ask))?;
    map.serialize_entry("errors", &Map(|| c.errors().iter().map(|e| (e.field.as_str(), e.message.as_str()))))?;
    if let Some(score) = c.score() {
        map.serialize_entry("score", &score)?;
    }
    Ok(())
}

/// The number of entries of a classification.
fn entries(c: &Classification<'_>) -> usize {
    7 + usize::from(c.score().is_some())
}

/// `{"id":..,"stage":..,"owner":..,"qualified":..,"criteria":{..},"ask":[..],"errors":{..}}`,
/// plus `"score":N` with `[scoring]`: a line of `leadspec classify` without its `record`.
impl Serialize for Classification<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(entries(self)))?;
        classification(&mut map, self)?;
        map.end()
    }
}

/// `{"record":N,...}`: the line `leadspec classify` writes for the record.
impl Serialize for Numbered<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1 + entries(self.classification)))?;
        map.serialize_entry("record", &self.record)?;
        classification(&mut map, self.classification)?;
        map.end()
    }
}

/// A string, or a number: an integer when it is a whole number below 2^53 in size.
impl Serialize for RecordId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RecordId::Text(text) => serializer.serialize_str(text),
            RecordId::Number(n) if json_text::is_integer(*n) => serializer.serialize_i64(*n as i64),
            RecordId::Number(n) => serializer.serialize_f64(*n),
        }
    }
}

/// The value as given: null, text, a number, a boolean, a date as `"YYYY-MM-DD"`, a list,
/// and an empty object for a nested object (whose content is not kept).
impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_none(),
            Value::Text(text) => serializer.serialize_str(text),
            Value::Number(n) => serializer.serialize_f64(*n),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Date(date) => serializer.collect_str(&date.format("%Y-%m-%d")),
            Value::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Nested => serializer.serialize_map(Some(0))?.end(),
        }
    }
}

/// `{"text":..,"truth":..,"detail":..}`.
impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("text", &self.text)?;
        map.serialize_entry("truth", truth_word(self.truth))?;
        map.serialize_entry("detail", &self.detail)?;
        map.end()
    }
}

/// `{"stage":..,"when":..,"truth":..,"findings":[..]}`.
impl Serialize for Trial<'_, Stage> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("stage", self.item.id())?;
        map.serialize_entry("when", self.item.rule().text())?;
        map.serialize_entry("truth", truth_word(self.truth))?;
        map.serialize_entry("findings", &self.findings)?;
        map.end()
    }
}

/// `{"criterion":..,"when":..,"truth":..,"findings":[..]}`.
impl Serialize for Trial<'_, Criterion> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("criterion", self.item.id())?;
        map.serialize_entry("when", self.item.rule().text())?;
        map.serialize_entry("truth", truth_word(self.truth))?;
        map.serialize_entry("findings", &self.findings)?;
        map.end()
    }
}

/// `{"name":..,"when":..,"points":N,"truth":..,"findings":[..]}`, `name` null when the
/// rule has none.
impl Serialize for Trial<'_, ScoringRule> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("name", &self.item.name())?;
        map.serialize_entry("when", self.item.rule().text())?;
        map.serialize_entry("points", &self.item.points())?;
        map.serialize_entry("truth", truth_word(self.truth))?;
        map.serialize_entry("findings", &self.findings)?;
        map.end()
    }
}

/// `{"field":..,"value":..,"expected":..}`.
impl Serialize for Rejection {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("field", &self.field)?;
        map.serialize_entry("value", &self.value)?;
        map.serialize_entry("expected", &self.expected)?;
        map.end()
    }
}

/// `{"classification":{..},"now":..,"stages":[..],"criteria":[..],"scoring":[..],
/// "rejected":[..]}`; see the [module documentation](super).
impl Serialize for Explanation<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(6))?;
        map.serialize_entry("classification", &self.classification)?;
        map.serialize_entry("now", &crate::format_time(self.now))?;
        map.serialize_entry("stages", &self.stages)?;
        map.serialize_entry("criteria", &self.criteria)?;
        map.serialize_entry("scoring", &self.scoring)?;
        map.serialize_entry("rejected", &self.rejected)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::{default_definition, parse_reference_time, Definition, Record};

    #[test]
    fn an_explanation_holds_its_classification_and_what_decided_it() {
        let d = Definition::from_toml(
            r#"
            [definition]
            name = "Scored"
            [teams]
            s = "Sales"
            [fields]
            budget = "number"
            won = "date"
            [qualification.criteria]
            budget = { when = "budget >= 10", ask = "How much?" }
            [scoring]
            [[scoring.rules]]
            name = "Big"
            when = "budget >= 100"
            points = 5
            [[stages]]
            id = "deal"
            owner = "s"
            when = "qualified"
            [[stages]]
            id = "lead"
            owner = "s"
            when = "true"
            "#,
        )
        .unwrap();
        let now = parse_reference_time("2026-11-22").unwrap();
        let lead = Record::new().with("id", 7).with("budget", "x").with("won", "26/02/2018");
        let json = serde_json::to_value(d.explain(&lead, now)).unwrap();
        assert_eq!(
            json,
            json!({
                "classification": {
                    "id": 7, "stage": "lead", "owner": "s", "qualified": "unknown",
                    "criteria": {"budget": "unknown"}, "ask": ["How much?"],
                    "errors": {"budget": "Number invalid", "won": "Date invalid"},
                    "score": 0,
                },
                "now": "2026-11-22T00:00:00Z",
                "stages": [
                    {"stage": "lead", "when": "true", "truth": "true",
                     "findings": [{"text": "true", "truth": "true", "detail": ""}]},
                ],
                "criteria": [
                    {"criterion": "budget", "when": "budget >= 10", "truth": "unknown",
                     "findings": [{"text": "budget >= 10", "truth": "unknown", "detail": "budget is invalid"}]},
                ],
                "scoring": [
                    {"name": "Big", "when": "budget >= 100", "points": 5, "truth": "unknown",
                     "findings": [{"text": "budget >= 100", "truth": "unknown", "detail": "budget is invalid"}]},
                ],
                "rejected": [
                    {"field": "budget", "value": "x", "expected": "a number"},
                    {"field": "won", "value": "26/02/2018", "expected": "a date"},
                ],
            })
        );
    }

    #[test]
    fn values_keep_their_kind() {
        let d = default_definition();
        let lead = Record::new()
            .with("email", vec![1, 2])
            .with("budget", chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap())
            .with("id", 2.5);
        let e = d.explain(&lead, parse_reference_time("2026-11-22").unwrap());
        let values: Vec<serde_json::Value> =
            e.rejected.iter().map(|r| serde_json::to_value(&r.value).unwrap()).collect();
        assert_eq!(values, [json!([1.0, 2.0]), json!("2026-01-02")]);
        assert_eq!(serde_json::to_value(&e.classification).unwrap()["id"], json!(2.5));
        assert_eq!(serde_json::to_string(&crate::Value::Nested).unwrap(), "{}");
    }
}
