//! Lead records: [`Records`] reads an input's format, [`Reader`] reads its rows for one
//! definition.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::csv_rows::CsvRows;
use super::json::{self, JsonDocument, JsonLines, Line};
use super::{Format, Item, Layout, ReadError, Unreadable};
use crate::{ColumnReport, Definition, Header, Limits, Prepared, SeenKeys};

/// Where a JSON record is in its input, as messages name it.
///
/// ```
/// use leadspec::read::Place;
/// assert_eq!(Place::Line(3).to_string(), "line 3");
/// assert_eq!(Place::Element(2).to_string(), "array element 2");
/// assert_eq!(Place::Document.to_string(), "the document");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// A JSON Lines line, by its 1-based number.
    Line(u64),
    /// An element of a JSON document's top-level array, by its 1-based position.
    Element(usize),
    /// A JSON document that is one object.
    Document,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Line(n) => write!(f, "line {n}"),
            Place::Element(n) => write!(f, "array element {n}"),
            Place::Document => f.write_str("the document"),
        }
    }
}

/// One record of an input as it is written, before a definition reads it: a JSON object's
/// text or a CSV row's cells. It borrows the [`Records`] that read it, until the next row.
#[derive(Clone, Copy, Debug)]
pub enum Row<'a> {
    /// One JSON object: a JSON Lines line, or an element of a JSON document.
    #[non_exhaustive]
    Json {
        /// The object's text, as written.
        text: &'a str,
        /// Where it is, as messages name it.
        place: Place,
        /// The 1-based line it begins on.
        line: u64,
    },
    /// A CSV row: its cells, in header order.
    Cells(Cells<'a>),
}

impl Row<'_> {
    /// The 1-based line the record begins on.
    pub fn line(&self) -> u64 {
        match self {
            Row::Json { line, .. } => *line,
            Row::Cells(cells) => cells.line,
        }
    }
}

/// The cells of one CSV row, unescaped, in header order.
///
/// ```
/// use leadspec::read::{Item, Layout, Format, Records, Row};
///
/// let mut records = Records::new("id,note\n1,\"a, b\"\n".as_bytes(), Layout::new(Format::Csv))?;
/// let Some(Ok(Item::Record(Row::Cells(cells)))) = records.next_row() else { panic!("a row") };
/// assert_eq!(cells.iter().collect::<Vec<_>>(), ["1", "a, b"]);
/// assert_eq!((cells.len(), cells.line()), (2, 2));
/// # Ok::<(), leadspec::read::ReadError>(())
/// ```
#[derive(Clone, Copy)]
pub struct Cells<'a> {
    /// The cells' text, back to back.
    text: &'a str,
    /// Where each cell ends in `text`; every end falls on a character boundary.
    ends: &'a [usize],
    line: u64,
}

impl<'a> Cells<'a> {
    pub(crate) fn new(text: &'a str, ends: &'a [usize], line: u64) -> Self {
        Cells { text, ends, line }
    }

    /// The cells' text, back to back, and where each ends in it.
    pub(crate) fn parts(self) -> (&'a str, &'a [usize]) {
        (self.text, self.ends)
    }

    /// The cells, in header order.
    pub fn iter(self) -> impl Iterator<Item = &'a str> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            // Every end was checked to fall on a character boundary.
            let cell = self.text.get(start..end).unwrap_or_default();
            start = end;
            cell
        })
    }

    /// The number of cells.
    pub fn len(self) -> usize {
        self.ends.len()
    }

    /// Whether the row has no cells.
    pub fn is_empty(self) -> bool {
        self.ends.is_empty()
    }

    /// The 1-based line the row begins on (a quoted cell may hold line breaks).
    pub fn line(self) -> u64 {
        self.line
    }
}

impl fmt::Debug for Cells<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The records of one input, in order, read one at a time in memory bounded by
/// [`Limits::max_record_bytes`] however long the input.
///
/// Made by [`Records::new`] (any buffered reader) or [`Records::open`] (a file, its layout
/// guessed from its extension); rows are read with [`next_row`](Records::next_row), and
/// then by a [`Reader`] for a definition.
///
/// ```
/// use leadspec::read::{Item, Layout, Records, Row};
///
/// // A CSV file read as JSON Lines, as standard input is by default.
/// let input = "id,email\n{\"id\": 1}\n\n[1]\n";
/// let mut records = Records::new(input.as_bytes(), Layout::guess(None, None, None))?;
/// let mut seen = Vec::new();
/// while let Some(item) = records.next_row() {
///     seen.push(match item? {
///         Item::Record(Row::Json { text, line, .. }) => format!("{line}: {text}"),
///         Item::Record(Row::Cells(_)) => unreachable!("JSON Lines"),
///         Item::Unreadable(why) => why.to_string(),
///     });
/// }
/// assert_eq!(seen, [
///     "line 1: not valid JSON at column 1: expected value; is this CSV? use --format csv",
///     r#"2: {"id": 1}"#,
///     "4: [1]", // JSON, so a row: a definition's reader says it is not an object
/// ]);
/// # Ok::<(), leadspec::read::ReadError>(())
/// ```
pub struct Records<R> {
    source: Source<R>,
    /// Rows and unreadable records yielded so far.
    count: usize,
    max_depth: usize,
    /// Whether reading stopped at an error.
    failed: bool,
}

enum Source<R> {
    JsonLines(JsonLines<R>),
    Json(JsonDocument<R>),
    Csv(Box<CsvRows<R>>),
}

impl Records<BufReader<File>> {
    /// Opens the file at `path` and reads it in the layout its extension implies
    /// ([`Layout::guess`]): `.csv` and `.tsv` are CSV, `.json` a JSON document, anything
    /// else JSON Lines. A CSV file's header is read now.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, ReadError> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| ReadError::io(e, 0))?;
        Records::new(BufReader::with_capacity(64 << 10, file), Layout::guess(Some(path), None, None))
    }
}

impl<R: BufRead> Records<R> {
    /// Reads the records `input` holds, written in `layout`, under the default [`Limits`].
    /// A CSV input's header is read now: an input that ends before it has an empty header
    /// and no rows.
    pub fn new(input: R, layout: Layout) -> Result<Self, ReadError> {
        Records::with_limits(input, layout, &Limits::default())
    }

    /// [`Records::new`] under `limits`: [`Limits::max_record_bytes`] bounds each line,
    /// CSV row (the header included) and JSON document element, and
    /// [`Limits::max_value_depth`] the nesting of each JSON record.
    ///
    /// ```
    /// use leadspec::Limits;
    /// use leadspec::read::{Format, Item, Layout, Records};
    ///
    /// let limits = Limits { max_record_bytes: 32, ..Limits::default() };
    /// let input = format!("{{\"id\": 1}}\n{{\"note\": \"{}\"}}\n{{\"id\": 3}}\n", "x".repeat(100));
    /// let mut records = Records::with_limits(input.as_bytes(), Layout::new(Format::JsonLines), &limits)?;
    /// let mut seen = Vec::new();
    /// while let Some(item) = records.next_row() {
    ///     seen.push(match item? {
    ///         Item::Record(row) => format!("row at {}", row.line()),
    ///         Item::Unreadable(why) => why.to_string(),
    ///     });
    /// }
    /// assert_eq!(seen, ["row at 1", "line 2: longer than 32 bytes", "row at 3"]);
    /// # Ok::<(), leadspec::read::ReadError>(())
    /// ```
    pub fn with_limits(input: R, layout: Layout, limits: &Limits) -> Result<Self, ReadError> {
        let source = match layout.format {
            Format::JsonLines => Source::JsonLines(JsonLines::new(input, limits)),
            Format::Json => Source::Json(JsonDocument::new(input, limits)),
            Format::Csv => Source::Csv(Box::new(CsvRows::new(input, layout.delimiter, limits)?)),
        };
        Ok(Records { source, count: 0, max_depth: limits.max_value_depth, failed: false })
    }

    /// The next record, or why it cannot be read; `None` at the end. An error (the input
    /// cannot be read) ends the records: `None` follows it.
    ///
    /// - JSON Lines: blank lines are not records; a line that is not UTF-8, longer than the
    ///   record limit or nested deeper than the depth limit is unreadable, and so is a first
    ///   record that is not JSON at all, its reason ending with a hint when its line looks
    ///   like a CSV header (`; is this CSV? use --format csv`). A trailing `\r` is ignored.
    /// - JSON: the document's one object, or its array's elements one at a time; an element
    ///   that is not an object or is longer than the record limit is unreadable, and a
    ///   document that breaks the array's syntax ends with one unreadable record naming the
    ///   line and column.
    /// - CSV: blank lines are skipped; a row longer than the record limit or that is not
    ///   UTF-8 is unreadable, refused while it is read. Messages name no line (a caller
    ///   numbers the records), though [`Unreadable::line`] knows it.
    ///
    /// Whether a JSON object is a record, and a CSV row's width, are for the [`Reader`] to
    /// say.
    pub fn next_row(&mut self) -> Option<Result<Item<Row<'_>>, ReadError>> {
        if self.failed {
            return None;
        }
        let first = self.count == 0;
        let max_depth = self.max_depth;
        let item = match &mut self.source {
            Source::JsonLines(lines) => {
                lines.next_line().map(|line| line.map(|line| json_line(line, first, max_depth)))
            }
            Source::Json(document) => document.next_value().map(|value| {
                value.map(|value| match value {
                    Err(why) => Item::Unreadable(why),
                    Ok((text, place, line)) => match json::check_depth(text, max_depth) {
                        Err(message) => Item::Unreadable(Unreadable::new(line, format!("{place}: {message}"))),
                        Ok(()) => Item::Record(Row::Json { text, place, line }),
                    },
                })
            }),
            Source::Csv(rows) => rows.next_row(),
        };
        match item {
            Ok(Some(item)) => {
                self.count += 1;
                Some(Ok(item))
            }
            Ok(None) => None,
            Err(e) => {
                self.failed = true;
                Some(Err(ReadError::io(e, self.count)))
            }
        }
    }
}

impl<R> fmt::Debug for Records<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Records")
            .field("format", &self.format())
            .field("delimiter", &self.delimiter().map(char::from))
            .field("records_read", &self.count)
            .finish_non_exhaustive()
    }
}

impl<R> Records<R> {
    /// The header's cells, as written, for CSV input.
    ///
    /// What was found out about an input once it is opened:
    ///
    /// ```
    /// use leadspec::read::{Format, Layout, Records};
    ///
    /// let records = Records::new("id;E-mail\n7;ann@example.com\n".as_bytes(), Layout::new(Format::Csv))?;
    /// assert_eq!(records.format(), Format::Csv);
    /// assert_eq!(records.header(), Some(&["id".to_string(), "E-mail".to_string()][..]));
    /// assert_eq!(records.delimiter(), Some(b';')); // the header holds `;` and no `,`
    /// assert_eq!(records.records_read(), 0);
    ///
    /// let json = Records::new("{}".as_bytes(), Layout::new(Format::JsonLines))?;
    /// assert_eq!((json.header(), json.delimiter()), (None, None));
    /// # Ok::<(), leadspec::read::ReadError>(())
    /// ```
    pub fn header(&self) -> Option<&[String]> {
        match &self.source {
            Source::Csv(rows) => Some(rows.header()),
            _ => None,
        }
    }

    /// The format being read.
    pub fn format(&self) -> Format {
        match self.source {
            Source::JsonLines(_) => Format::JsonLines,
            Source::Json(_) => Format::Json,
            Source::Csv(_) => Format::Csv,
        }
    }

    /// The delimiter CSV rows are split on: the layout's, or the one the header line
    /// implied. `None` for JSON.
    pub fn delimiter(&self) -> Option<u8> {
        match &self.source {
            Source::Csv(rows) => Some(rows.delimiter()),
            _ => None,
        }
    }

    /// How many records (rows and unreadable records) were read so far.
    pub fn records_read(&self) -> usize {
        self.count
    }
}

/// The record one line of JSON Lines holds, or why it cannot be read.
fn json_line(line: Line<'_>, first: bool, max_depth: usize) -> Item<Row<'_>> {
    match line {
        Line::Bad(number, message, csv_like) => {
            let hint = if first && csv_like { json::CSV_HINT } else { "" };
            Item::Unreadable(Unreadable::new(number, format!("line {number}: {message}{hint}")))
        }
        Line::Text(text, number) => {
            if let Err(message) = json::check_depth(text, max_depth) {
                return Item::Unreadable(Unreadable::new(number, format!("line {number}: {message}")));
            }
            // A first line that looks like a CSV header is said to be one when it is not
            // JSON; checked here, once, rather than by every definition that reads it.
            if first && json::looks_like_csv(text.as_bytes()) {
                if let Some(message) = json::syntax_error(text) {
                    let message = format!("line {number}: {message}{}", json::CSV_HINT);
                    return Item::Unreadable(Unreadable::new(number, message));
                }
            }
            Item::Record(Row::Json { text, place: Place::Line(number), line: number })
        }
    }
}

/// Reads the rows of one input for one definition, and says what its columns do not match.
///
/// CSV rows are read through the header mapped once onto the definition's fields
/// ([`Definition::header`]); JSON records through [`SeenKeys`], which also remembers which
/// keys were held. Several readers may read the same rows, one per definition (as
/// `leadspec funnel --compare` does). A reader reads the rows of the [`Records`] it was
/// made for: a CSV row of another file would be read through this file's header.
///
/// ```
/// use leadspec::read::{Format, Item, Layout, Reader, Records};
///
/// let definition = leadspec::default_definition();
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let csv = "id,Email\nL-1,ann@example.com\nL-2\n";
/// let mut records = Records::new(csv.as_bytes(), Layout::new(Format::Csv))?;
/// let mut reader = Reader::new(definition, &records);
///
/// // Known before any row is read: the header's column "Email" is not `email`.
/// let report = reader.header_report().unwrap();
/// let email = report.findings().iter().find(|f| f.to_string().contains("`email`")).unwrap();
/// assert_eq!(email.to_string(), r#"no column "email" for field `email`; did you mean "Email"? (add column = "Email")"#);
///
/// let mut results = Vec::new();
/// while let Some(item) = reader.next_record(&mut records) {
///     results.push(match item? {
///         Item::Record(lead) => format!("{:?}", definition.stage_of(lead, now).unwrap()),
///         Item::Unreadable(why) => why.to_string(),
///     });
/// }
/// assert_eq!(results, ["None", "the row has 1 cells but the header has 2"]);
/// # Ok::<(), leadspec::read::ReadError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Reader<'d> {
    definition: &'d Definition,
    header: Option<Header<'d>>,
    /// The record last read, whose memory the next CSV row reuses.
    record: Option<Prepared>,
    seen: SeenKeys<'d>,
}

impl<'d> Reader<'d> {
    /// A reader of `records` for `definition`; for CSV, the header is mapped now.
    pub fn new<R>(definition: &'d Definition, records: &Records<R>) -> Self {
        let header = match &records.source {
            Source::Csv(rows) => Some(definition.header(rows.header())),
            _ => None,
        };
        Reader { definition, header, record: None, seen: SeenKeys::new(definition) }
    }

    /// The definition the rows are read for.
    pub fn definition(&self) -> &'d Definition {
        self.definition
    }

    /// The record `row` holds, prepared for the definition, or why it cannot be read: a
    /// JSON text that is not an object (or not JSON), a CSV row whose number of cells
    /// differs from the header's. CSV rows are read into the same record each time,
    /// reusing its memory.
    ///
    /// ```
    /// use leadspec::read::{Format, Item, Layout, Reader, Records};
    ///
    /// let definition = leadspec::default_definition();
    /// let mut records = Records::new("{\"budget\": \"25000\"}\n[1, 2]\n".as_bytes(), Layout::new(Format::JsonLines))?;
    /// let mut reader = Reader::new(definition, &records);
    /// let Some(Ok(Item::Record(row))) = records.next_row() else { panic!("a row") };
    /// let budget = definition.field_position("budget").unwrap();
    /// assert_eq!(reader.prepare(&row).unwrap().slot(budget), Some(leadspec::Slot::Number(25_000.0)));
    /// let Some(Ok(Item::Record(row))) = records.next_row() else { panic!("a row") };
    /// assert!(reader.prepare(&row).unwrap_err().to_string().starts_with("line 2: "));
    /// # Ok::<(), leadspec::read::ReadError>(())
    /// ```
    pub fn prepare(&mut self, row: &Row<'_>) -> Result<&Prepared, Unreadable> {
        let prepared = match *row {
            Row::Json { text, place, line } => {
                let mut json = serde_json::Deserializer::from_str(text);
                let prepared = self.seen.prepare_from(&mut json).and_then(|p| json.end().map(|()| p));
                prepared.map_err(|e| Unreadable::new(line, format!("{place}: {}", json::json_error(&e))))?
            }
            Row::Cells(cells) => {
                let Some(header) = &self.header else {
                    return Err(Unreadable::new(cells.line, "a CSV row without a header".to_string()));
                };
                let ragged = |e: crate::RaggedRow| Unreadable::new(cells.line, e.to_string());
                match self.record.take() {
                    Some(mut record) => {
                        let read = header.prepare_row_into(cells.iter(), &mut record);
                        let record = self.record.insert(record);
                        read.map_err(ragged)?;
                        return Ok(record);
                    }
                    None => header.prepare_row(cells.iter()).map_err(ragged)?,
                }
            }
        };
        Ok(self.record.insert(prepared))
    }

    /// The next record of `records`, prepared for the definition, or why it cannot be
    /// read; `None` at the end. The same as [`Records::next_row`] then
    /// [`prepare`](Reader::prepare), for a reader that is the only one.
    pub fn next_record<R: BufRead>(&mut self, records: &mut Records<R>) -> Option<Result<Item<&Prepared>, ReadError>> {
        let item = match records.next_row()? {
            Ok(item) => item,
            Err(e) => return Some(Err(e)),
        };
        Some(Ok(match item {
            Item::Record(row) => match self.prepare(&row) {
                Ok(prepared) => Item::Record(prepared),
                Err(why) => Item::Unreadable(why),
            },
            Item::Unreadable(why) => Item::Unreadable(why),
        }))
    }

    /// Takes the keys of the JSON records this reader read since it was made or last
    /// asked, leaving it as if it had read none: what a reader on another thread sends
    /// back to be [merged](Reader::merge_seen) into the one that reports.
    ///
    /// Several threads may each read runs of rows with a clone of one reader; each run's
    /// keys, merged in input order into the reader that reports, give the same
    /// [`report`](Reader::report) as one reader that read every row:
    ///
    /// ```
    /// use leadspec::read::{Format, Item, Layout, Reader, Records};
    ///
    /// let definition = leadspec::default_definition();
    /// let input = "{\"Email\": \"ann@example.com\"}\n{\"budget\": 5}\n";
    /// let mut records = Records::new(input.as_bytes(), Layout::new(Format::JsonLines))?;
    /// let mut reporter = Reader::new(definition, &records);
    /// let mut worker = reporter.clone();
    /// while let Some(item) = records.next_row() {
    ///     if let Item::Record(row) = item? {
    ///         worker.prepare(&row).unwrap();
    ///         reporter.merge_seen(&worker.take_seen());
    ///     }
    /// }
    /// let report = reporter.report();
    /// assert!(report.missing_fields().all(|f| f != "budget"));
    /// assert!(report.findings().iter().any(|f| f.to_string().contains(r#"did you mean "Email"?"#)));
    /// # Ok::<(), leadspec::read::ReadError>(())
    /// ```
    pub fn take_seen(&mut self) -> SeenKeys<'d> {
        std::mem::replace(&mut self.seen, SeenKeys::new(self.definition))
    }

    /// Adds the keys another reader of the same rows read ([`take_seen`](Reader::take_seen)),
    /// as if this reader had read its rows after its own.
    pub fn merge_seen(&mut self, later: &SeenKeys<'_>) {
        self.seen.merge(later);
    }

    /// For CSV, what the header does not match, known before any row is read (the
    /// command line warns of it right after the header); `None` for JSON, whose keys are
    /// known only as records are read (see [`report`](Reader::report)).
    pub fn header_report(&self) -> Option<&ColumnReport> {
        self.header.as_ref().map(Header::report)
    }

    /// What the input's columns do not match: for CSV, the header's findings; for JSON,
    /// the fields that no record read so far held (a key held with any value counts), with
    /// the key each probably meant among those seen, and nothing before a record was read.
    /// The command line warns of the JSON findings after the last record.
    pub fn report(&self) -> ColumnReport {
        match &self.header {
            Some(header) => header.report().clone(),
            None => self.seen.report(),
        }
    }
}
