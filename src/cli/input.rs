//! Reading lead records: JSON Lines (streamed line by line), JSON (one object or an array
//! of objects) and CSV or TSV (streamed row by row under a header).
//!
//! Reading is split in two. [`Records`] reads the input format and yields one [`Row`] at a
//! time, whatever definition will read it. A [`Reader`] reads rows for one definition:
//! CSV rows through the header mapped once onto its fields ([`leadspec::Header`]), JSON
//! through [`leadspec::SeenKeys`], which also remembers which keys were held; both say out
//! loud, as `warning:` lines, the fields no column holds. `funnel --compare` reads each
//! row with two readers.
//!
//! Memory stays bounded by the record limit however long the input, a `.json` array
//! included (its elements are read one at a time). A record that cannot be read is yielded as
//! [`Item::Unreadable`] with the reason, and reading goes on; only an I/O error stops it.
//!
//! - JSONL: blank lines are not records; a line that is not UTF-8, not JSON, not an object,
//!   longer than [`Limits::max_record_bytes`] or nested deeper than
//!   [`Limits::max_value_depth`] is unreadable. A trailing `\r` is ignored. When the first
//!   record is not JSON but its line looks like a CSV header, its error says so.
//! - CSV: the first row is the header; the delimiter is `--delimiter`, a tab for `.tsv`,
//!   else `,`, or `;` or a tab when the header line holds no `,` but one of those (a tab
//!   when it holds both). A row longer than [`Limits::max_record_bytes`] is refused while
//!   it is read, so memory stays bounded whatever the file holds. A row whose number of
//!   cells differs from the header's, or that is not UTF-8, is unreadable. Blank lines are
//!   skipped. Messages name no line (the record's position is in the output).
//! - JSON: a top-level object is one record, an array holds one record per element, read
//!   one at a time; an element that is not an object or is longer than the record limit is
//!   unreadable, and a document that breaks the array's syntax ends with one unreadable
//!   record naming its line and column.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read, Write};
use std::path::Path;

use leadspec::{Definition, Header, Limits, Prepared, SeenKeys};

use super::args::{InputArgs, InputFormat};
use super::{show, Failure};

/// One input record, or why it could not be read.
#[derive(Debug)]
pub(crate) enum Item<R> {
    /// A record.
    Record(R),
    /// A record that could not be read, with the reason (naming its line when known).
    Unreadable(String),
}

/// One readable record of the input, before a definition reads it.
pub(crate) enum Row<'a> {
    /// One JSON value: a JSON Lines line, or an element of a `.json` document; where it is,
    /// for messages; and whether its error (if it is not JSON) should ask "is this CSV?".
    Json { text: &'a str, place: Place, looks_like_csv: bool },
    /// A CSV row: its cells, in header order.
    Cells(Cells<'a>),
}

/// Where a JSON record is in its input, for messages.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Place {
    /// A JSON Lines line, by its 1-based number.
    Line(usize),
    /// An element of a `.json` array, by its 1-based position.
    Element(usize),
    /// A `.json` document that is one object.
    Document,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Line(n) => write!(f, "line {n}"),
            Place::Element(n) => write!(f, "array element {n}"),
            Place::Document => f.write_str("the document"),
        }
    }
}

/// The cells of one CSV row: its unescaped text, cell after cell, and where each ends.
#[derive(Clone, Copy)]
pub(crate) struct Cells<'a> {
    text: &'a str,
    ends: &'a [usize],
}

impl<'a> Cells<'a> {
    /// The cells, in header order.
    pub(crate) fn iter(self) -> impl Iterator<Item = &'a str> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            // Every end was checked to fall on a character boundary.
            let cell = self.text.get(start..end).unwrap_or_default();
            start = end;
            cell
        })
    }
}

/// The records of one input, in order.
pub(crate) struct Records {
    source: Source,
    /// The input's name, for I/O error messages.
    name: String,
    /// Rows and unreadable records yielded so far.
    count: usize,
    max_depth: usize,
}

enum Source {
    Jsonl(JsonLines),
    Json(JsonDocument),
    Csv(Box<CsvRows>),
}

/// How an input is written: its format and, for CSV, its delimiter if the user set it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    pub(crate) format: InputFormat,
    pub(crate) delimiter: Option<u8>,
}

/// The layout of an input: `--format` and `--delimiter` (which implies CSV), else the
/// file's extension (`.csv`, `.tsv`, `.json`, `.jsonl`), else JSONL.
pub(crate) fn layout_of(path: Option<&Path>, format: Option<InputFormat>, delimiter: Option<u8>) -> Layout {
    let extension = path.and_then(|p| p.extension()).map(|e| e.to_string_lossy().to_ascii_lowercase());
    let tsv = extension.as_deref() == Some("tsv");
    let format = match (format, delimiter) {
        (Some(format), _) => format,
        (None, Some(_)) => InputFormat::Csv,
        (None, None) => match extension.as_deref() {
            Some("csv" | "tsv") => InputFormat::Csv,
            Some("json") => InputFormat::Json,
            _ => InputFormat::Jsonl,
        },
    };
    Layout { format, delimiter: delimiter.or(if tsv { Some(b'\t') } else { None }) }
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
    from_reader(reader, layout_of(path, args.format, args.delimiter), name)
}

/// Reads records of `layout` from `reader`; `name` names the input in error messages.
pub(crate) fn from_reader(reader: Box<dyn BufRead>, layout: Layout, name: String) -> Result<Records, Failure> {
    let limits = Limits::default();
    let source = match layout.format {
        InputFormat::Jsonl => Source::Jsonl(JsonLines::new(reader, &limits)),
        InputFormat::Json => Source::Json(JsonDocument::new(reader, &limits)),
        InputFormat::Csv => Source::Csv(Box::new(CsvRows::new(reader, layout.delimiter, &limits, &name)?)),
    };
    Ok(Records { source, name, count: 0, max_depth: limits.max_value_depth })
}

impl Records {
    /// The header's cells, for CSV input.
    pub(crate) fn header(&self) -> Option<&[String]> {
        match &self.source {
            Source::Csv(rows) => Some(&rows.header),
            _ => None,
        }
    }

    /// Whether records are JSON (their keys are seen record by record).
    fn is_json(&self) -> bool {
        !matches!(self.source, Source::Csv(_))
    }

    /// The next record, or why it cannot be read; a failure for an I/O error.
    pub(crate) fn next_row(&mut self) -> Option<Result<Item<Row<'_>>, Failure>> {
        let first = self.count == 0;
        let item = match &mut self.source {
            Source::Jsonl(lines) => match lines.next_line() {
                Ok(None) => Ok(None),
                Ok(Some(Line::Bad(number, message, csv_like))) => {
                    let hint = if first && csv_like { CSV_HINT } else { "" };
                    Ok(Some(Item::Unreadable(format!("line {number}: {message}{hint}"))))
                }
                Ok(Some(Line::Text(text, number))) => match check_depth(text, self.max_depth) {
                    Err(message) => Ok(Some(Item::Unreadable(format!("line {number}: {message}")))),
                    Ok(()) => Ok(Some(Item::Record(Row::Json {
                        text,
                        place: Place::Line(number),
                        looks_like_csv: first && looks_like_csv(text.as_bytes()),
                    }))),
                },
                Err(e) => Err(e),
            },
            Source::Json(document) => match document.next_value() {
                Ok(None) => Ok(None),
                Ok(Some(Err(message))) => Ok(Some(Item::Unreadable(message))),
                Ok(Some(Ok((text, place)))) => match check_depth(text, self.max_depth) {
                    Err(message) => Ok(Some(Item::Unreadable(format!("{place}: {message}")))),
                    Ok(()) => Ok(Some(Item::Record(Row::Json { text, place, looks_like_csv: false }))),
                },
                Err(e) => Err(e),
            },
            Source::Csv(rows) => rows.next_row(),
        };
        match item {
            Ok(Some(item)) => {
                self.count += 1;
                Some(Ok(item))
            }
            Ok(None) => None,
            Err(e) => Some(Err(Failure::usage(match self.count {
                0 => format!("cannot read {}: {e}", self.name),
                n => format!("cannot read {} after record {n}: {e}", self.name),
            }))),
        }
    }
}

/// Appended to the error of a first JSONL record that looks like a CSV header.
const CSV_HINT: &str = "; is this CSV? use --format csv";

/// Whether a line that is not JSON looks like a CSV header: it holds `,`, `;` or a tab and
/// no `{`.
fn looks_like_csv(line: &[u8]) -> bool {
    !line.contains(&b'{') && line.iter().any(|b| matches!(b, b',' | b';' | b'\t'))
}

/// Reads rows for one definition, and says out loud the fields the input does not hold.
pub(crate) struct Reader<'d> {
    header: Option<Header<'d>>,
    /// The record last read, whose memory the next CSV row reuses.
    record: Option<Prepared>,
    seen: SeenKeys<'d>,
    json: bool,
}

impl<'d> Reader<'d> {
    /// A reader of `records` for `definition` (for CSV, the header is mapped now).
    pub(crate) fn new(definition: &'d Definition, records: &Records) -> Self {
        Reader {
            header: records.header().map(|cells| definition.header(cells)),
            record: None,
            seen: SeenKeys::new(definition),
            json: records.is_json(),
        }
    }

    /// The record `row` holds, prepared for the definition, or why it cannot be read. CSV
    /// rows are read into the same record each time, reusing its memory.
    pub(crate) fn prepare(&mut self, row: &Row<'_>) -> Result<&Prepared, String> {
        let prepared = match row {
            Row::Json { text, place, looks_like_csv } => {
                let mut json = serde_json::Deserializer::from_str(text);
                let prepared = self.seen.prepare_from(&mut json).and_then(|p| json.end().map(|()| p));
                prepared.map_err(|e| {
                    let hint = if *looks_like_csv && !e.is_data() { CSV_HINT } else { "" };
                    format!("{place}: {}{hint}", json_error(&e))
                })?
            }
            Row::Cells(cells) => {
                let Some(header) = &self.header else { return Err("a CSV row without a header".to_string()) };
                match self.record.take() {
                    Some(mut record) => {
                        let read = header.prepare_row_into(cells.iter(), &mut record);
                        self.record = Some(record);
                        read.map_err(|e| e.to_string())?;
                        return self.record.as_ref().ok_or_else(String::new);
                    }
                    None => header.prepare_row(cells.iter()).map_err(|e| e.to_string())?,
                }
            }
        };
        Ok(self.record.insert(prepared))
    }

    /// Writes the header's findings (CSV) as `warning:` lines on standard error.
    pub(crate) fn warn_after_header(&self) {
        if let Some(header) = &self.header {
            warn(header.report());
        }
    }

    /// Writes the fields no JSON record held as `warning:` lines on standard error.
    pub(crate) fn warn_at_end(&self) {
        if self.json {
            warn(&self.seen.report());
        }
    }
}

/// Writes each finding of `report` as a `warning:` line on standard error.
fn warn(report: &leadspec::ColumnReport) {
    let mut stderr = io::stderr().lock();
    for finding in report.findings() {
        let _ = writeln!(stderr, "warning: {finding}");
    }
}

/// JSON Lines, read with `read_until` so that a line that is not UTF-8 is one unreadable
/// record rather than a fatal error.
pub(crate) struct JsonLines {
    reader: Box<dyn BufRead>,
    buf: Vec<u8>,
    line: usize,
    max_bytes: usize,
}

/// One non-blank line of a JSON Lines input.
pub(crate) enum Line<'a> {
    /// The line's text (UTF-8, without its line break) and its 1-based number.
    Text(&'a str, usize),
    /// A line that cannot be text: its 1-based number, the reason, and whether it looks
    /// like a CSV header (see [`looks_like_csv`]).
    Bad(usize, String, bool),
}

impl JsonLines {
    /// Lines of `reader`, under the record limits.
    pub(crate) fn new(reader: Box<dyn BufRead>, limits: &Limits) -> Self {
        JsonLines { reader, buf: Vec::new(), line: 0, max_bytes: limits.max_record_bytes }
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
                return Ok(Some(Line::Bad(self.line, format!("longer than {} bytes", self.max_bytes), false)));
            }
            let mut end = self.buf.len();
            while end > 0 && matches!(self.buf[end - 1], b'\n' | b'\r') {
                end -= 1;
            }
            if end > self.max_bytes {
                return Ok(Some(Line::Bad(self.line, format!("longer than {} bytes", self.max_bytes), false)));
            }
            // A byte-order mark, as some Windows tools write, is not part of the first line.
            let start = if self.line == 1 && self.buf.starts_with(b"\xEF\xBB\xBF") { 3.min(end) } else { 0 };
            if !self.buf[start..end].iter().all(u8::is_ascii_whitespace) {
                break (start, end);
            }
        };
        Ok(Some(match std::str::from_utf8(&self.buf[start..end]) {
            Ok(text) => Line::Text(text, self.line),
            Err(e) => Line::Bad(
                self.line,
                format!("not UTF-8 (invalid byte at column {})", e.valid_up_to() + 1),
                looks_like_csv(&self.buf[start..end]),
            ),
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

/// A `.json` document read value by value: one object, or an array whose elements are read
/// one at a time, so that memory is bounded by the record limit whatever the document's
/// size. Each value's text is cut out by a small scanner (strings and nesting tracked) and
/// then parsed by serde_json like a JSON Lines line.
///
/// An element longer than [`Limits::max_record_bytes`], or that is not an object, is one
/// unreadable record; a document that breaks the array's own syntax (a missing `,`, text
/// after the closing `]`, an unterminated value) ends with one unreadable record naming the
/// line and column, after every element read before it.
pub(crate) struct JsonDocument {
    reader: Box<dyn BufRead>,
    /// The value being read.
    buf: Vec<u8>,
    state: DocState,
    /// Elements of the array read so far.
    element: usize,
    max_bytes: usize,
    /// 1-based line and byte column of the next byte, for messages.
    line: usize,
    column: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DocState {
    Start,
    /// Inside the array; `first` until an element has been read.
    Array {
        first: bool,
    },
    /// After the one object, or the closing `]`: only white space may follow.
    Trailing,
    Done,
}

/// What scanning one value gave.
enum Scanned {
    /// The value's bytes are in the buffer.
    Value,
    /// The value is longer than the record limit (read through, not kept).
    TooLong,
    /// The input ended inside the value.
    Eof,
}

impl JsonDocument {
    fn new(reader: Box<dyn BufRead>, limits: &Limits) -> Self {
        JsonDocument {
            reader,
            buf: Vec::new(),
            state: DocState::Start,
            element: 0,
            max_bytes: limits.max_record_bytes,
            line: 1,
            column: 1,
        }
    }

    /// Consumes `n` bytes of the reader's buffer, keeping the line and column.
    fn advance(&mut self, n: usize) -> io::Result<()> {
        let available = self.reader.fill_buf()?;
        let taken = &available[..n.min(available.len())];
        match taken.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.line += taken.iter().filter(|&&b| b == b'\n').count();
                self.column = taken.len() - last;
            }
            None => self.column += taken.len(),
        }
        let n = taken.len();
        self.reader.consume(n);
        Ok(())
    }

    /// The next byte that is not white space (not consumed), or `None` at the end.
    fn peek_past_space(&mut self) -> io::Result<Option<u8>> {
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                return Ok(None);
            }
            match available.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
                Some(i) => {
                    let byte = available[i];
                    self.advance(i)?;
                    return Ok(Some(byte));
                }
                None => {
                    let n = available.len();
                    self.advance(n)?;
                }
            }
        }
    }

    /// An error about the document's own syntax at the current position; reading stops.
    fn broken(&mut self, what: &str) -> Result<(&str, Place), String> {
        self.state = DocState::Done;
        Err(format!("line {}, column {}: not valid JSON: {what}", self.line, self.column))
    }

    /// Reads one value starting at the next byte into the buffer (up to the record limit).
    fn scan(&mut self) -> io::Result<Scanned> {
        self.buf.clear();
        let (mut depth, mut in_string, mut escaped, mut too_long) = (0usize, false, false, false);
        let mut started = false;
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                // A scalar may end with the input; anything open may not.
                return Ok(if started && depth == 0 && !in_string { self.finish(too_long) } else { Scanned::Eof });
            }
            let mut end = None;
            for (i, &b) in available.iter().enumerate() {
                if !started {
                    started = true;
                    match b {
                        b'{' | b'[' => depth = 1,
                        b'"' => in_string = true,
                        _ => {}
                    }
                    continue;
                }
                if in_string {
                    match (escaped, b) {
                        (true, _) => escaped = false,
                        (false, b'\\') => escaped = true,
                        (false, b'"') => {
                            in_string = false;
                            if depth == 0 {
                                end = Some(i + 1);
                                break;
                            }
                        }
                        _ => {}
                    }
                    continue;
                }
                if depth == 0 {
                    // A scalar ends before a delimiter or white space.
                    if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                        end = Some(i);
                        break;
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let take = end.unwrap_or(available.len());
            if !too_long && self.buf.len() + take <= self.max_bytes {
                self.buf.extend_from_slice(&available[..take]);
            } else if !too_long {
                too_long = true;
                self.buf = Vec::new();
            }
            self.advance(take)?;
            if end.is_some() {
                return Ok(self.finish(too_long));
            }
        }
    }

    fn finish(&self, too_long: bool) -> Scanned {
        if too_long {
            Scanned::TooLong
        } else {
            Scanned::Value
        }
    }

    /// The next value: its text and place, or why it cannot be read; `None` at the end.
    pub(crate) fn next_value(&mut self) -> io::Result<Option<Result<(&str, Place), String>>> {
        loop {
            match self.state {
                DocState::Done => return Ok(None),
                DocState::Trailing => {
                    return Ok(match self.peek_past_space()? {
                        None => {
                            self.state = DocState::Done;
                            None
                        }
                        Some(_) => Some(self.broken("text after the end of the document")),
                    });
                }
                DocState::Start => {
                    // A byte-order mark, as some Windows tools write, is not JSON.
                    if self.reader.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
                        self.reader.consume(3);
                    }
                    match self.peek_past_space()? {
                        None => return Ok(Some(self.broken("the document is empty"))),
                        Some(b'[') => {
                            self.advance(1)?;
                            self.state = DocState::Array { first: true };
                        }
                        Some(_) => {
                            self.state = DocState::Trailing;
                            return Ok(Some(self.value(Place::Document)?));
                        }
                    }
                }
                DocState::Array { first } => {
                    match (first, self.peek_past_space()?) {
                        (_, Some(b']')) => {
                            self.advance(1)?;
                            self.state = DocState::Trailing;
                            continue;
                        }
                        (true, Some(_)) => {}
                        (false, Some(b',')) => {
                            self.advance(1)?;
                            if self.peek_past_space()?.is_none() {
                                return Ok(Some(self.broken("the array ends without `]`")));
                            }
                        }
                        (false, Some(_)) => return Ok(Some(self.broken("expected `,` or `]` after an element"))),
                        (_, None) => return Ok(Some(self.broken("the array ends without `]`"))),
                    }
                    self.state = DocState::Array { first: false };
                    self.element += 1;
                    return Ok(Some(self.value(Place::Element(self.element))?));
                }
            }
        }
    }

    /// Reads the value at the current position as the record at `place`.
    fn value(&mut self, place: Place) -> io::Result<Result<(&str, Place), String>> {
        match self.scan()? {
            Scanned::Eof => Ok(self.broken("the document ends inside a value")),
            Scanned::TooLong => Ok(Err(format!("{place}: longer than {} bytes", self.max_bytes))),
            Scanned::Value => {
                let what = match self.buf.first() {
                    Some(b'{') => None,
                    Some(b'[') => Some("an array"),
                    Some(b'"') => Some("a string"),
                    Some(b't' | b'f') => Some("a boolean"),
                    Some(b'n') => Some("null"),
                    _ => Some("a number"),
                };
                if let Some(what) = what {
                    return Ok(Err(format!("{place}: not a JSON object but {what}")));
                }
                match std::str::from_utf8(&self.buf) {
                    Ok(text) => Ok(Ok((text, place))),
                    Err(e) => Ok(Err(format!("{place}: not UTF-8 (invalid byte at byte {})", e.valid_up_to() + 1))),
                }
            }
        }
    }
}

/// CSV rows under a header, parsed by `csv_core` into buffers that this reader grows only
/// up to the record limit: the `csv` crate's reader grows a record without bound, so a
/// file with no line break (or an unterminated quote) would take all memory. Records and
/// stage histories (`sla`, `waterfall`) are both read with it.
pub(crate) struct CsvRows {
    parser: csv_core::Reader,
    input: Box<dyn BufRead>,
    header: Vec<String>,
    /// The 1-based line on which the row last read begins.
    row_line: u64,
    /// The current record's unescaped cells, back to back.
    output: Vec<u8>,
    /// The end of each cell in `output`.
    ends: Vec<usize>,
    max_bytes: usize,
}

/// What reading one CSV record gave.
enum CsvRead {
    /// A record: `output[..len]` with `ends[..count]`.
    Record { len: usize, count: usize },
    /// A record longer than the limit (read through and dropped).
    TooLong,
    /// The end of the input.
    End,
}

impl CsvRows {
    /// Reads the header of `reader` (`name` names it in messages); the delimiter is
    /// `delimiter`, else sniffed from the header line (see [`sniff_delimiter`]). An input
    /// with no line at all has an empty header and no rows.
    pub(crate) fn new(
        reader: Box<dyn BufRead>,
        delimiter: Option<u8>,
        limits: &Limits,
        name: &str,
    ) -> Result<CsvRows, Failure> {
        let mut reader = reader;
        // The header line decides the delimiter when none is given: read it first, then
        // parse it again with the rest of the input.
        let mut first = Vec::new();
        (&mut reader)
            .take(limits.max_record_bytes as u64 + 1)
            .read_until(b'\n', &mut first)
            .map_err(|e| Failure::usage(format!("cannot read {name}: {e}")))?;
        let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(&first));
        let input: Box<dyn BufRead> = Box::new(Cursor::new(first).chain(reader));
        let parser = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        let mut rows = CsvRows {
            parser,
            input,
            header: Vec::new(),
            row_line: 0,
            output: vec![0; 4096],
            ends: vec![0; 64],
            max_bytes: limits.max_record_bytes,
        };
        match rows.read().map_err(|e| Failure::usage(format!("cannot read {name}: {e}")))? {
            CsvRead::End => {}
            CsvRead::TooLong => {
                return Err(Failure::usage(format!(
                    "cannot read {name}: the CSV header is longer than {} bytes",
                    rows.max_bytes
                )))
            }
            CsvRead::Record { len, count } => {
                let mut start = 0;
                for (i, &end) in rows.ends[..count].iter().enumerate() {
                    let cell = std::str::from_utf8(&rows.output[start..end.min(len)]).map_err(|_| {
                        Failure::usage(format!("cannot read {name}: the CSV header is not UTF-8 (column {})", i + 1))
                    })?;
                    rows.header.push(cell.to_string());
                    start = end;
                }
            }
        }
        Ok(rows)
    }

    /// The header's cells.
    pub(crate) fn header(&self) -> &[String] {
        &self.header
    }

    /// Reads one record into `output` and `ends`, growing them up to the record limit; a
    /// longer record is read through without being kept.
    fn read(&mut self) -> io::Result<CsvRead> {
        use csv_core::ReadRecordResult as R;
        self.skip_blank_lines()?;
        self.row_line = self.parser.line();
        let (mut len, mut count, mut too_long) = (0usize, 0usize, false);
        loop {
            let input = self.input.fill_buf()?;
            let (result, read, written, ended) =
                self.parser.read_record(input, &mut self.output[len..], &mut self.ends[count..]);
            self.input.consume(read);
            len += written;
            count += ended;
            match result {
                R::InputEmpty => {}
                R::OutputFull | R::OutputEndsFull => {
                    let in_use = len + count * std::mem::size_of::<usize>();
                    if too_long || in_use >= self.max_bytes {
                        // Keep parsing to the record's end, writing over the same buffers.
                        too_long = true;
                        len = 0;
                        count = 0;
                    } else if result == R::OutputFull {
                        let grown = (self.output.len() * 2).min(self.max_bytes + 1);
                        self.output.resize(grown.max(self.output.len() + 1), 0);
                    } else {
                        let grown = self.ends.len() * 2;
                        self.ends.resize(grown, 0);
                    }
                }
                R::Record if too_long => return Ok(CsvRead::TooLong),
                R::Record if len > self.max_bytes => return Ok(CsvRead::TooLong),
                R::Record => return Ok(CsvRead::Record { len, count }),
                R::End => return Ok(CsvRead::End),
            }
        }
    }

    /// Consumes the line breaks before the next record, counting the lines as the parser
    /// would (it skips blank lines too, but then the line a record begins on is not known).
    fn skip_blank_lines(&mut self) -> io::Result<()> {
        loop {
            let available = self.input.fill_buf()?;
            let blank = available.iter().take_while(|&&b| b == b'\n' || b == b'\r').count();
            if blank == 0 {
                return Ok(());
            }
            let newlines = available[..blank].iter().filter(|&&b| b == b'\n').count() as u64;
            self.input.consume(blank);
            self.parser.set_line(self.parser.line() + newlines);
        }
    }

    /// The next row, or why it cannot be read; `None` at the end.
    fn next_row(&mut self) -> io::Result<Option<Item<Row<'_>>>> {
        let read = self.read()?;
        Ok(self.row(read))
    }

    /// The next row with the 1-based line it begins on, or why it cannot be read; `None`
    /// at the end.
    pub(crate) fn next_numbered_row(&mut self) -> io::Result<Option<(u64, Item<Row<'_>>)>> {
        let read = self.read()?;
        let line = self.row_line;
        Ok(self.row(read).map(|item| (line, item)))
    }

    /// The row just read, as text cells.
    fn row(&self, read: CsvRead) -> Option<Item<Row<'_>>> {
        let (len, count) = match read {
            CsvRead::End => return None,
            CsvRead::TooLong => {
                return Some(Item::Unreadable(format!("the row is longer than {} bytes", self.max_bytes)))
            }
            CsvRead::Record { len, count } => (len, count),
        };
        let output = &self.output[..len];
        let ends = &self.ends[..count];
        let text = match std::str::from_utf8(output) {
            Ok(text) => text,
            Err(e) => {
                let cell = ends.iter().position(|&end| end > e.valid_up_to()).map_or(count, |i| i + 1);
                return Some(Item::Unreadable(format!("cell {cell} of the row is not UTF-8")));
            }
        };
        // Each cell on its own must be text: two cells can split one character.
        if let Some(i) = ends.iter().position(|&end| !text.is_char_boundary(end)) {
            return Some(Item::Unreadable(format!("cell {} of the row is not UTF-8", i + 1)));
        }
        Some(Item::Record(Row::Cells(Cells { text, ends })))
    }
}

/// The delimiter a CSV header line implies: `,`, else `;` or a tab when the line holds one
/// of those and no `,` (a tab when it holds both).
fn sniff_delimiter(line: &[u8]) -> u8 {
    let has = |b: u8| line.contains(&b);
    match (has(b','), has(b';'), has(b'\t')) {
        (true, _, _) => b',',
        (false, _, true) => b'\t',
        (false, true, false) => b';',
        _ => b',',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives `good` and then fails, as a file on a failing disk does.
    struct Failing {
        good: Cursor<Vec<u8>>,
    }

    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match self.good.read(buf)? {
                0 => Err(io::Error::other("the disk went away")),
                n => Ok(n),
            }
        }
    }

    fn failing(text: &str) -> Box<dyn BufRead> {
        Box::new(BufReader::with_capacity(16, Failing { good: Cursor::new(text.as_bytes().to_vec()) }))
    }

    /// Reads every row, returning how many were read and the failure that stopped it.
    fn read_all(mut records: Records) -> (usize, Option<String>) {
        let mut n = 0;
        while let Some(item) = records.next_row() {
            match item {
                Ok(_) => n += 1,
                Err(Failure::Message(_, message)) => return (n, Some(message)),
                Err(_) => return (n, Some("another failure".into())),
            }
        }
        (n, None)
    }

    #[test]
    fn a_read_that_fails_midway_names_the_record_reached() {
        for (format, text) in [
            (InputFormat::Jsonl, "{\"id\":1}\n{\"id\":2}\n"),
            (InputFormat::Csv, "id\n1\n2\n"),
            (InputFormat::Json, "[{\"id\":1},{\"id\":2},"),
        ] {
            let layout = Layout { format, delimiter: None };
            let Ok(records) = from_reader(failing(text), layout, "`leads`".into()) else {
                panic!("{format:?}: opened")
            };
            let (read, failure) = read_all(records);
            assert_eq!(read, 2, "{format:?}");
            assert_eq!(
                failure.as_deref(),
                Some("cannot read `leads` after record 2: the disk went away"),
                "{format:?}"
            );
        }
    }
}
