//! Reading lead records: JSON Lines (streamed line by line), JSON (one object or an array
//! of objects) and CSV (streamed row by row under a header).
//!
//! Records are yielded one at a time, so memory stays constant however long the input (a
//! `.json` file is the exception: it is one document and is read whole). A record that cannot
//! be read is yielded as [`Item::Unreadable`] with a message naming its line, and reading goes
//! on; only an I/O error stops it.
//!
//! - JSONL: blank lines are not records; a line that is not UTF-8, not JSON, not an object,
//!   longer than [`Limits::max_record_bytes`] or nested deeper than
//!   [`Limits::max_value_depth`] is unreadable. A trailing `\r` is ignored.
//! - CSV: the first row is the header (a UTF-8 byte-order mark and spaces around the column
//!   names are ignored); a row whose number of cells differs from the header's, or that is
//!   not UTF-8, is unreadable. Blank lines are skipped. Messages name no line (the record's
//!   position is in the output).
//! - JSON: a top-level object is one record, an array holds one record per element; an
//!   element that is not an object is unreadable, and so is a document that is not JSON.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use leadspec::{Definition, Limits, Prepared, Record};

use super::args::{InputArgs, InputFormat};
use super::{show, Failure};

/// One input record (raw, or prepared against a definition), or why it could not be read.
#[derive(Debug)]
pub(crate) enum Item<R = Record> {
    /// A record.
    Record(R),
    /// A record that could not be read, with the reason (naming its line when known).
    Unreadable(String),
}

/// The records of one input, in order.
pub(crate) struct Records {
    source: Source,
    /// The input's name, for I/O error messages.
    name: String,
}

enum Source {
    Jsonl(JsonLines),
    Json(std::vec::IntoIter<Item>),
    Csv(Box<CsvRows>),
}

/// The format of an input: `--format`, else the file's extension, else JSONL.
pub(crate) fn format_of(path: Option<&Path>, format: Option<InputFormat>) -> InputFormat {
    if let Some(format) = format {
        return format;
    }
    let extension = path.and_then(|p| p.extension()).map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("csv") => InputFormat::Csv,
        Some("json") => InputFormat::Json,
        _ => InputFormat::Jsonl,
    }
}

/// Opens the input named by the arguments (a file, or standard input for none or `-`).
/// A file that cannot be opened is a usage/I/O error.
pub(crate) fn open(args: &InputArgs) -> Result<Records, Failure> {
    let path = args.input.as_deref().filter(|p| p.as_os_str() != "-");
    let (reader, name): (Box<dyn BufRead>, String) = match path {
        None => (Box::new(BufReader::with_capacity(64 << 10, io::stdin())), "standard input".to_string()),
        Some(p) => {
            let file = File::open(p).map_err(|e| Failure::usage(format!("cannot read `{}`: {e}", show(p))))?;
            (Box::new(BufReader::with_capacity(64 << 10, file)), format!("`{}`", show(p)))
        }
    };
    from_reader(reader, format_of(path, args.format), name)
}

/// Reads records of `format` from `reader`; `name` names the input in error messages.
pub(crate) fn from_reader(reader: Box<dyn BufRead>, format: InputFormat, name: String) -> Result<Records, Failure> {
    let limits = Limits::default();
    let source = match format {
        InputFormat::Jsonl => Source::Jsonl(JsonLines::new(reader, &limits)),
        InputFormat::Json => {
            let mut bytes = Vec::new();
            reader
                .take(limits.max_record_bytes as u64 * 64)
                .read_to_end(&mut bytes)
                .map_err(|e| Failure::usage(format!("cannot read {name}: {e}")))?;
            Source::Json(json_document(&bytes).into_iter())
        }
        InputFormat::Csv => Source::Csv(Box::new(CsvRows::new(reader, &limits, &name)?)),
    };
    Ok(Records { source, name })
}

impl Records {
    /// The next record prepared against `definition`. JSON Lines are deserialized straight
    /// into their prepared form ([`Definition::prepare_from`]); other formats are read as
    /// records and prepared.
    pub(crate) fn next_prepared(&mut self, definition: &Definition) -> Option<Result<Item<Prepared>, Failure>> {
        let item = match &mut self.source {
            Source::Jsonl(lines) => lines.next_prepared(definition),
            _ => {
                return self.next().map(|item| {
                    item.map(|item| match item {
                        Item::Record(record) => Item::Record(definition.prepare(&record)),
                        Item::Unreadable(message) => Item::Unreadable(message),
                    })
                })
            }
        };
        self.or_failure(item)
    }

    /// An item read, or the failure an I/O error while reading it is (naming the input).
    fn or_failure<T>(&self, item: io::Result<Option<T>>) -> Option<Result<T, Failure>> {
        match item {
            Ok(item) => item.map(Ok),
            Err(e) => Some(Err(Failure::usage(format!("cannot read {}: {e}", self.name)))),
        }
    }
}

impl Iterator for Records {
    type Item = Result<Item, Failure>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = match &mut self.source {
            Source::Jsonl(lines) => lines.next_item(),
            Source::Json(items) => Ok(items.next()),
            Source::Csv(rows) => rows.next_item(),
        };
        self.or_failure(item)
    }
}

/// JSON Lines, read with `read_until` so that a line that is not UTF-8 is one unreadable
/// record rather than a fatal error.
pub(crate) struct JsonLines {
    reader: Box<dyn BufRead>,
    buf: Vec<u8>,
    line: usize,
    max_bytes: usize,
    max_depth: usize,
}

/// One non-blank line of a JSON Lines input.
pub(crate) enum Line<'a> {
    /// The line's text (UTF-8, without its line break) and its 1-based number.
    Text(&'a str, usize),
    /// A line that cannot be text: its 1-based number and the reason.
    Bad(usize, String),
}

impl JsonLines {
    /// Lines of `reader`, under the record limits.
    pub(crate) fn new(reader: Box<dyn BufRead>, limits: &Limits) -> Self {
        JsonLines {
            reader,
            buf: Vec::new(),
            line: 0,
            max_bytes: limits.max_record_bytes,
            max_depth: limits.max_value_depth,
        }
    }

    /// The next non-blank line, or `None` at the end.
    pub(crate) fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        let (start, end) = loop {
            self.buf.clear();
            let limit = self.max_bytes as u64 + 2;
            let n = (&mut self.reader).take(limit).read_until(b'\n', &mut self.buf)?;
            if n == 0 {
                return Ok(None);
            }
            self.line += 1;
            if self.buf.last() != Some(&b'\n') && self.buf.len() as u64 == limit {
                skip_rest_of_line(&mut self.reader)?;
                return Ok(Some(Line::Bad(self.line, format!("longer than {} bytes", self.max_bytes))));
            }
            let mut end = self.buf.len();
            while end > 0 && matches!(self.buf[end - 1], b'\n' | b'\r') {
                end -= 1;
            }
            if end > self.max_bytes {
                return Ok(Some(Line::Bad(self.line, format!("longer than {} bytes", self.max_bytes))));
            }
            // A byte-order mark, as some Windows tools write, is not part of the first line.
            let start = if self.line == 1 && self.buf.starts_with(b"\xEF\xBB\xBF") { 3.min(end) } else { 0 };
            if !self.buf[start..end].iter().all(u8::is_ascii_whitespace) {
                break (start, end);
            }
        };
        Ok(Some(match std::str::from_utf8(&self.buf[start..end]) {
            Ok(text) => Line::Text(text, self.line),
            Err(e) => Line::Bad(self.line, format!("not UTF-8 (invalid byte at column {})", e.valid_up_to() + 1)),
        }))
    }

    fn next_item(&mut self) -> io::Result<Option<Item>> {
        self.next_parsed(parse_object)
    }

    fn next_prepared(&mut self, definition: &Definition) -> io::Result<Option<Item<Prepared>>> {
        self.next_parsed(|text, max_depth| {
            check_depth(text, max_depth)?;
            let mut json = serde_json::Deserializer::from_str(text);
            definition
                .prepare_from(&mut json)
                .and_then(|prepared| json.end().map(|()| prepared))
                .map_err(|e| json_error(&e))
        })
    }

    /// The next non-blank line read by `parse`, or why it is unreadable (naming its line).
    fn next_parsed<R>(&mut self, parse: impl FnOnce(&str, usize) -> Result<R, String>) -> io::Result<Option<Item<R>>> {
        let max_depth = self.max_depth;
        Ok(self.next_line()?.map(|line| match line {
            Line::Bad(number, message) => Item::Unreadable(format!("line {number}: {message}")),
            Line::Text(text, number) => match parse(text, max_depth) {
                Ok(record) => Item::Record(record),
                Err(message) => Item::Unreadable(format!("line {number}: {message}")),
            },
        }))
    }
}

/// Consumes input up to and including the next line break.
fn skip_rest_of_line(reader: &mut dyn BufRead) -> io::Result<()> {
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(());
        }
        match available.iter().position(|&b| b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = available.len();
                reader.consume(n);
            }
        }
    }
}

/// The deepest nesting of arrays and objects in a JSON text (strings skipped).
fn json_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// A JSON error without serde_json's position suffix, which means nothing on one line.
fn json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text).to_string();
    match e.classify() {
        serde_json::error::Category::Data => format!("not a JSON object ({message})"),
        _ => format!("not valid JSON at column {}: {message}", e.column()),
    }
}

/// Refuses a JSON text nested deeper than `max_depth` levels inside its top-level value.
fn check_depth(text: &str, max_depth: usize) -> Result<(), String> {
    // Nesting cannot exceed the number of opening brackets, which is cheap to count; only a
    // line with many of them is scanned properly.
    let openings = text.bytes().filter(|&b| b == b'[' || b == b'{').count();
    if openings > max_depth + 1 && json_depth(text) > max_depth + 1 {
        return Err(format!("nested deeper than {max_depth} levels"));
    }
    Ok(())
}

/// Parses one JSON object into a record.
pub(crate) fn parse_object(text: &str, max_depth: usize) -> Result<Record, String> {
    check_depth(text, max_depth)?;
    serde_json::from_str::<Record>(text).map_err(|e| json_error(&e))
}

/// The records of a `.json` document: one object, or an array of objects.
fn json_document(bytes: &[u8]) -> Vec<Item> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(e) => {
            let where_ = match (e.line(), e.column()) {
                (0, _) => String::new(),
                (line, 0) => format!("line {line}: "),
                (line, column) => format!("line {line}, column {column}: "),
            };
            let text = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            let message = text.strip_suffix(&suffix).unwrap_or(&text);
            return vec![Item::Unreadable(format!("{where_}not valid JSON: {message}"))];
        }
    };
    let to_item = |value: serde_json::Value, what: String| match value {
        serde_json::Value::Object(_) => match serde_json::from_value::<Record>(value) {
            Ok(record) => Item::Record(record),
            Err(e) => Item::Unreadable(format!("{what}: {e}")),
        },
        other => Item::Unreadable(format!("{what}: not a JSON object but {}", kind(&other))),
    };
    match value {
        serde_json::Value::Array(items) => {
            items.into_iter().enumerate().map(|(i, v)| to_item(v, format!("array element {}", i + 1))).collect()
        }
        other => vec![to_item(other, "the document".to_string())],
    }
}

/// What kind of JSON value this is, for messages.
fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// CSV rows under a header, read as bytes so that a row that is not UTF-8 is one unreadable
/// record.
pub(crate) struct CsvRows {
    reader: csv::Reader<Box<dyn BufRead>>,
    header: Vec<String>,
    row: csv::ByteRecord,
    max_bytes: usize,
}

impl CsvRows {
    fn new(reader: Box<dyn BufRead>, limits: &Limits, name: &str) -> Result<CsvRows, Failure> {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(reader);
        let mut first = csv::ByteRecord::new();
        let header = match reader.read_byte_record(&mut first) {
            Ok(false) => Vec::new(),
            Ok(true) => {
                let mut header = Vec::with_capacity(first.len());
                for (i, cell) in first.iter().enumerate() {
                    let cell = if i == 0 { cell.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(cell) } else { cell };
                    let text = std::str::from_utf8(cell).map_err(|_| {
                        Failure::usage(format!("cannot read {name}: the CSV header is not UTF-8 (column {})", i + 1))
                    })?;
                    header.push(text.trim().to_string());
                }
                header
            }
            Err(e) => return Err(Failure::usage(format!("cannot read {name}: {e}"))),
        };
        Ok(CsvRows { reader, header, row: csv::ByteRecord::new(), max_bytes: limits.max_record_bytes })
    }

    fn next_item(&mut self) -> io::Result<Option<Item>> {
        match self.reader.read_byte_record(&mut self.row) {
            Ok(false) => Ok(None),
            Ok(true) => {
                // No line numbers: the csv reader's line count is off after blank lines and with
                // CRLF line ends; the record's position is in the output anyway.
                if self.row.as_slice().len() > self.max_bytes {
                    return Ok(Some(Item::Unreadable(format!("the row is longer than {} bytes", self.max_bytes))));
                }
                let mut cells = Vec::with_capacity(self.row.len());
                for (i, cell) in self.row.iter().enumerate() {
                    match std::str::from_utf8(cell) {
                        Ok(text) => cells.push(text),
                        Err(_) => {
                            return Ok(Some(Item::Unreadable(format!("cell {} of the row is not UTF-8", i + 1))));
                        }
                    }
                }
                Ok(Some(match Record::from_csv_row(&self.header, &cells) {
                    Ok(record) => Item::Record(record),
                    Err(e) => Item::Unreadable(e.to_string()),
                }))
            }
            Err(e) => match e.into_kind() {
                csv::ErrorKind::Io(io) => Err(io),
                other => Err(io::Error::new(io::ErrorKind::InvalidData, format!("{other:?}"))),
            },
        }
    }
}
