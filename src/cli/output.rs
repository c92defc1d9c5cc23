//! Writing outputs: JSON lines with keys in the contract's order, through a buffered
//! standard output.

use std::io::{self, BufWriter, Write};

use leadspec::{Classification, RecordId};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// Buffered, locked standard output. Flush it before returning so a broken pipe is seen.
pub(crate) fn stdout() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::with_capacity(64 << 10, io::stdout().lock())
}

/// Writes `value` as one line of JSON.
pub(crate) fn json_line<W: Write, T: Serialize + ?Sized>(out: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// A JSON object whose keys keep the order given (serde_json's own map sorts them).
pub(crate) struct Ordered<'a, V>(pub(crate) &'a [(&'a str, V)]);

impl<V: Serialize> Serialize for Ordered<'_, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// A record's `id` as JSON: a string, or a number (an integer when it is one).
pub(crate) struct Id<'a>(pub(crate) Option<&'a RecordId>);

impl Serialize for Id<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            None => serializer.serialize_none(),
            Some(RecordId::Text(text)) => serializer.serialize_str(text),
            Some(RecordId::Number(n)) if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 => {
                serializer.serialize_i64(*n as i64)
            }
            Some(RecordId::Number(n)) => serializer.serialize_f64(*n),
        }
    }
}

/// One output line of `classify`: `record, id, stage, owner, qualified, criteria, ask,
/// errors` in this order, then `score` when the definition has `[scoring]`.
pub(crate) struct ClassificationLine<'a, 'd> {
    /// 1-based position of the record in the input.
    pub(crate) record: usize,
    /// The classification.
    pub(crate) result: &'a Classification<'d>,
}

impl Serialize for ClassificationLine<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = self.result;
        let mut map = serializer.serialize_map(Some(8 + usize::from(r.score().is_some())))?;
        map.serialize_entry("record", &self.record)?;
        map.serialize_entry("id", &Id(r.id()))?;
        map.serialize_entry("stage", &r.stage().map(|s| s.id()))?;
        map.serialize_entry("owner", &r.owner().map(|t| t.id.as_str()))?;
        map.serialize_entry("qualified", r.qualified().criterion_word())?;
        map.serialize_entry("criteria", &Pairs(|| r.criteria().map(|(c, t)| (c.id(), t.criterion_word()))))?;
        map.serialize_entry(
            "ask",
            &Items(|| r.criteria().filter(|(_, t)| *t == leadspec::Truth::Unknown).filter_map(|(c, _)| c.ask())),
        )?;
        map.serialize_entry("errors", &Pairs(|| r.errors().iter().map(|e| (e.field.as_str(), e.message.as_str()))))?;
        if let Some(score) = r.score() {
            map.serialize_entry("score", &score)?;
        }
        map.end()
    }
}

/// A JSON object of the pairs an iterator gives, in order, written without collecting them.
struct Pairs<F>(F);

impl<'a, F, I> Serialize for Pairs<F>
where
    F: Fn() -> I,
    I: Iterator<Item = (&'a str, &'a str)>,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map((self.0)())
    }
}

/// A JSON array of the items an iterator gives, written without collecting them.
struct Items<F>(F);

impl<'a, F, I> Serialize for Items<F>
where
    F: Fn() -> I,
    I: Iterator<Item = &'a str>,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// The output line of a record that could not be read: `{"record":N,"error":"..."}`.
#[derive(serde::Serialize)]
pub(crate) struct UnreadableLine<'a> {
    /// 1-based position of the record in the input.
    pub(crate) record: usize,
    /// Why it could not be read.
    pub(crate) error: &'a str,
}
