//! Writing outputs: JSON lines (the library's serialized results, and `classify`'s lines
//! written here for speed), through a buffered standard output.

use std::io::{self, BufWriter, Write};

use leadspec::{Classification, Definition, RecordId, Truth, ValidationRule};
use serde::Serialize;

/// Buffered, locked standard output.
pub(crate) type Stdout = BufWriter<io::StdoutLock<'static>>;

/// Buffered, locked standard output. Flush it before returning so a broken pipe is seen.
pub(crate) fn stdout() -> Stdout {
    BufWriter::with_capacity(64 << 10, io::stdout().lock())
}

/// Writes `value` as one line of JSON.
pub(crate) fn json_line<W: Write, T: Serialize + ?Sized>(out: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// Writes the output lines of `classify` for one definition: `record, id, stage, owner,
/// qualified, criteria, ask, errors` in this order, then `score` when the definition has
/// `[scoring]`. Each line is exactly the serialized `Classification::with_record` (the
/// tests check it), written faster.
///
/// Every name a line can hold comes from the definition (stage, team, criterion and field
/// ids, `ask` texts, validation messages), so each is written as JSON once, here, and
/// copied into each line; only the record's id and the numbers are written per line.
pub(crate) struct LineWriter {
    /// Per stage: `"stage":"<id>","owner":"<team>"`.
    stages: Vec<Vec<u8>>,
    /// Per criterion: `"<id>":`.
    criteria: Vec<Vec<u8>>,
    /// Per criterion: its `ask` as a JSON string, if it has one.
    asks: Vec<Option<Vec<u8>>>,
    /// Per field: `"<id>":`.
    fields: Vec<Vec<u8>>,
    /// Per validation rule (in [`ValidationRule::ALL`] order): its message as a JSON string.
    messages: Vec<Vec<u8>>,
    scored: bool,
}

/// Writes an integer in decimal, as serde_json and `Display` write it.
fn write_integer<W: Write>(out: &mut W, magnitude: u64, negative: bool) -> io::Result<()> {
    let mut digits = [0u8; 21];
    let mut at = digits.len();
    let mut n = magnitude;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if negative {
        at -= 1;
        digits[at] = b'-';
    }
    out.write_all(&digits[at..])
}

/// The JSON text of a string.
fn json_string(text: &str) -> Vec<u8> {
    serde_json::to_vec(text).unwrap_or_default()
}

impl LineWriter {
    pub(crate) fn new(definition: &Definition) -> Self {
        let key = |id: &str| {
            let mut k = json_string(id);
            k.push(b':');
            k
        };
        LineWriter {
            stages: definition
                .stages()
                .iter()
                .map(|s| {
                    let mut part = b"\"stage\":".to_vec();
                    part.extend(json_string(s.id()));
                    part.extend_from_slice(b",\"owner\":");
                    part.extend(json_string(definition.owner_of(s).map_or("", |t| t.id.as_str())));
                    part
                })
                .collect(),
            criteria: definition.qualification().criteria().iter().map(|c| key(c.id())).collect(),
            asks: definition.qualification().criteria().iter().map(|c| c.ask().map(json_string)).collect(),
            fields: definition.fields().iter().map(|f| key(&f.id)).collect(),
            messages: ValidationRule::ALL.iter().map(|&r| json_string(definition.messages().get(r))).collect(),
            scored: definition.scoring().is_some(),
        }
    }

    /// Writes the line of record number `record` (1-based), ending in a line break.
    pub(crate) fn write<W: Write>(&self, out: &mut W, record: usize, result: &Classification<'_>) -> io::Result<()> {
        out.write_all(b"{\"record\":")?;
        write_integer(out, record as u64, false)?;
        out.write_all(b",\"id\":")?;
        serde_json::to_writer(&mut *out, &result.id()).map_err(io::Error::from)?;
        out.write_all(b",")?;
        match result.stage_index().and_then(|i| self.stages.get(i.position())) {
            Some(part) => out.write_all(part)?,
            None => out.write_all(b"\"stage\":null,\"owner\":null")?,
        }
        out.write_all(b",\"qualified\":\"")?;
        out.write_all(result.qualified().word().as_bytes())?;
        out.write_all(b"\",\"criteria\":{")?;
        let states = result.criterion_states();
        for (i, (key, state)) in self.criteria.iter().zip(states).enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(key)?;
            out.write_all(b"\"")?;
            out.write_all(state.word().as_bytes())?;
            out.write_all(b"\"")?;
        }
        out.write_all(b"},\"ask\":[")?;
        let mut first = true;
        for (ask, state) in self.asks.iter().zip(states) {
            if let (Some(ask), Truth::Unknown) = (ask, state) {
                if !first {
                    out.write_all(b",")?;
                }
                out.write_all(ask)?;
                first = false;
            }
        }
        out.write_all(b"],\"errors\":{")?;
        for (i, error) in result.errors().iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            let field = result.definition().field_position(&error.field).and_then(|f| self.fields.get(f.position()));
            let rule = ValidationRule::ALL.iter().position(|&r| r == error.rule).and_then(|r| self.messages.get(r));
            match (field, rule) {
                (Some(field), Some(message)) => {
                    out.write_all(field)?;
                    out.write_all(message)?;
                }
                _ => {
                    serde_json::to_writer(&mut *out, &error.field).map_err(io::Error::from)?;
                    out.write_all(b":")?;
                    serde_json::to_writer(&mut *out, &error.message).map_err(io::Error::from)?;
                }
            }
        }
        out.write_all(b"}")?;
        if let (true, Some(score)) = (self.scored, result.score()) {
            out.write_all(b",\"score\":")?;
            write_integer(out, score.unsigned_abs(), score < 0)?;
        }
        out.write_all(b"}\n")
    }
}

/// Writes `classify --output csv`: one row per record under the header `record, id, stage,
/// owner, qualified`, one `criteria.<id>` column per criterion, `score` (with `[scoring]`),
/// `ask` and `errors`. Null is an empty cell; the `ask` texts are joined with ` | `, the
/// errors written `field: message` and joined with `; `, in field order. A record that
/// could not be read is a row with its number and the error in `errors`. RFC 4180 quoting
/// where needed, `\n` line ends.
pub(crate) struct CsvWriter<W: Write> {
    out: csv::Writer<W>,
    /// The number of columns.
    width: usize,
    scored: bool,
    /// The row being written, reused.
    row: Vec<String>,
}

impl<W: Write> CsvWriter<W> {
    /// A writer for `definition`'s results; writes the header at once.
    pub(crate) fn new(definition: &Definition, out: W) -> io::Result<Self> {
        let mut writer = CsvWriter::without_header(definition, out);
        writer.out.write_record(CsvWriter::<W>::header(definition)).map_err(csv_error)?;
        Ok(writer)
    }

    /// A writer for `definition`'s results that writes rows only (the header is another's).
    pub(crate) fn without_header(definition: &Definition, out: W) -> Self {
        let out = csv_writer(out);
        let width = CsvWriter::<W>::header(definition).len();
        CsvWriter { out, width, scored: definition.scoring().is_some(), row: Vec::with_capacity(width) }
    }

    /// The header's cells.
    fn header(definition: &Definition) -> Vec<String> {
        let mut header: Vec<String> = ["record", "id", "stage", "owner", "qualified"].map(String::from).to_vec();
        header.extend(definition.qualification().criteria().iter().map(|c| format!("criteria.{}", c.id())));
        if definition.scoring().is_some() {
            header.push("score".to_string());
        }
        header.extend(["ask".to_string(), "errors".to_string()]);
        header
    }

    /// Writes the row of record number `record`.
    pub(crate) fn write(&mut self, record: usize, result: &Classification<'_>) -> io::Result<()> {
        let row = &mut self.row;
        row.clear();
        row.push(record.to_string());
        row.push(id_text(result.id()));
        row.push(result.stage().map_or(String::new(), |s| s.id().to_string()));
        row.push(result.owner().map_or(String::new(), |t| t.id.clone()));
        row.push(result.qualified().word().to_string());
        row.extend(result.criteria().map(|(_, t)| t.word().to_string()));
        if self.scored {
            row.push(result.score().map_or(String::new(), |s| s.to_string()));
        }
        row.push(result.ask().join(" | "));
        let errors: Vec<String> = result.errors().iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        row.push(errors.join("; "));
        self.out.write_record(&self.row).map_err(csv_error)
    }

    /// Writes the row of a record that could not be read.
    pub(crate) fn unreadable(&mut self, record: usize, error: &str) -> io::Result<()> {
        self.row.clear();
        self.row.push(record.to_string());
        self.row.resize(self.width - 1, String::new());
        self.row.push(error.to_string());
        self.out.write_record(&self.row).map_err(csv_error)
    }

    /// Writes out what is buffered.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl CsvWriter<Vec<u8>> {
    /// Swaps the bytes written so far with `into`'s (which should be empty).
    pub(crate) fn swap_written(&mut self, into: &mut Vec<u8>) -> io::Result<()> {
        let fresh = csv_writer(std::mem::take(into));
        *into = std::mem::replace(&mut self.out, fresh).into_inner().map_err(|e| e.into_error())?;
        Ok(())
    }
}

/// A CSV writer to `out` with `\n` line ends.
fn csv_writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out)
}

/// A record id as text: a string as given, a number as its JSON text; empty for none.
pub(crate) fn id_text(id: Option<&RecordId>) -> String {
    match id {
        None => String::new(),
        Some(RecordId::Text(text)) => text.clone(),
        Some(number) => serde_json::to_string(number).unwrap_or_default(),
    }
}

/// A CSV writing error as an I/O error (a broken pipe stays one).
fn csv_error(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The line `writer` writes for record number `record`.
    fn line(writer: &LineWriter, record: usize, result: &Classification<'_>) -> String {
        let mut line = Vec::new();
        writer.write(&mut line, record, result).unwrap();
        String::from_utf8(line).unwrap()
    }

    /// The serialized classification with its record number: the line the writer must equal.
    fn reference(record: usize, result: &Classification<'_>) -> String {
        serde_json::to_string(&result.with_record(record)).unwrap() + "\n"
    }

    #[test]
    fn lines_are_the_json_of_each_classification() {
        let definition = leadspec::Definition::from_toml(
            r#"
            [definition]
            name = "Quotes \"and\" escapes"
            [teams]
            "t\"1" = "T"
            [fields]
            email = { type = "email", required = true }
            budget = "number"
            [messages]
            required = "Required \"now\"\tplease"
            [qualification.criteria]
            "b\u00e9" = { when = "budget >= 1", ask = "How \"much\"?\n" }
            other = "budget >= 2"
            [scoring]
            [[scoring.rules]]
            when = "budget >= 5"
            points = -3
            [[stages]]
            id = "a"
            owner = "t\"1"
            when = "email is present"
            "#,
        )
        .unwrap();
        let now = leadspec::parse_reference_time("2026-11-22").unwrap();
        let writer = LineWriter::new(&definition);
        let records = [
            json!({"id": "A\"1", "email": "a@example.com", "budget": 9}),
            json!({"id": 7, "budget": "x"}),
            json!({"id": 2.5, "email": "nope"}),
            json!({"id": 1e300}),
            json!({}),
        ];
        for (n, record) in records.iter().enumerate() {
            let record: leadspec::Record = serde_json::from_value(record.clone()).unwrap();
            let result = definition.classify(&record, now);
            assert_eq!(line(&writer, n + 1, &result), reference(n + 1, &result));
        }
        let first = definition.classify(&serde_json::from_value(records[0].clone()).unwrap(), now);
        assert_eq!(
            line(&writer, 1, &first),
            "{\"record\":1,\"id\":\"A\\\"1\",\"stage\":\"a\",\"owner\":\"t\\\"1\",\"qualified\":\"met\",\
             \"criteria\":{\"b\u{e9}\":\"met\",\"other\":\"met\"},\"ask\":[],\"errors\":{},\"score\":-3}\n"
        );
    }

    /// Every shipped definition, records generated for it (valid, invalid and missing values,
    /// ids of every kind), classified at several times: the writer's line and the serialized
    /// classification agree byte for byte.
    #[cfg(feature = "proptest")]
    #[test]
    fn lines_equal_the_serialized_classification_for_generated_records() {
        use leadspec::testing::{RecordGen, RecordMix};
        use proptest::strategy::{Strategy, ValueTree};
        use proptest::test_runner::TestRunner;

        let definitions = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/definitions")).unwrap();
        let mut checked = 0;
        for path in definitions.map(|entry| entry.unwrap().path()) {
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let definition = leadspec::Definition::from_toml(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let writer = LineWriter::new(&definition);
            let mut runner = TestRunner::deterministic();
            let mixes = [RecordMix::default(), RecordMix::VALID, RecordMix::INVALID, RecordMix::MISSING];
            let ids = [json!("L-1"), json!("q\"u\\o\te\u{1}"), json!(7), json!(-0.5), json!(1e21), json!(null)];
            for (n, mix) in mixes.iter().cycle().take(400).enumerate() {
                let strategy = RecordGen::new(&definition).mix(*mix).strategy();
                let mut record = strategy.new_tree(&mut runner).unwrap().current();
                let id: leadspec::Record = serde_json::from_value(json!({ "id": ids[n % ids.len()] })).unwrap();
                if let Some(value) = id.get("id") {
                    record.insert(definition.input().id_column(), value.clone());
                }
                for now in ["2019-06-01", "2026-11-22", "2031-01-01T12:00:00Z"] {
                    let result = definition.classify(&record, leadspec::parse_reference_time(now).unwrap());
                    assert_eq!(line(&writer, n + 1, &result), reference(n + 1, &result), "{}", path.display());
                    checked += 1;
                }
            }
        }
        assert!(checked >= 5 * 400 * 3, "{checked} lines");
    }
}
