//! Reading lead records and stage histories from files and streams, exactly as the
//! `leadspec` command line reads them (feature `read`).
//!
//! Records are read in two steps. [`Records`] reads an input's [`Format`] (JSON Lines, a
//! JSON document, or CSV under a header) and yields one [`Row`] at a time, whatever
//! definition will read it. A [`Reader`] then reads rows for one definition, into the
//! [`Prepared`](crate::Prepared) form that classification takes, and says what the input's
//! columns do not match as a [`ColumnReport`](crate::ColumnReport). [`Changes`] reads a
//! stage history for a definition, one [`Change`] at a time.
//!
//! Memory stays bounded by [`Limits::max_record_bytes`](crate::Limits::max_record_bytes)
//! however long the input, a JSON document's array included (its elements are read one at
//! a time). A record that cannot be read is yielded as [`Item::Unreadable`] with the
//! reason, and reading goes on; only an input that cannot be read at all (an I/O error, a
//! CSV header that is too long or not UTF-8) is a [`ReadError`], after which reading stops.
//! Nothing is printed: what `leadspec classify` writes as warnings and errors, a service
//! gets as values, with the same words.
//!
//! # A CSV file
//!
//! ```
//! use leadspec::read::{Item, Reader, Records};
//!
//! # let dir = std::env::temp_dir().join(format!("leadspec-read-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! # let path = dir.join("leads.csv");
//! # std::fs::write(&path, "id;Email;budget\nL-1;ann@example.com;25000\nL-2;ben@example.com\n").unwrap();
//! let definition = leadspec::default_definition();
//! let now = leadspec::parse_reference_time("2026-11-22").unwrap();
//!
//! // `.csv`: CSV; the header line holds `;` and no `,`, so rows are split on `;`.
//! let mut records = Records::open(&path)?;
//! let mut reader = Reader::new(definition, &records);
//!
//! // The header is mapped before any row is read: refuse a file that does not fit.
//! let report = reader.header_report().expect("a CSV header");
//! assert!(report.missing_fields().any(|field| field == "email"));
//! assert_eq!(
//!     report.findings()[0].to_string(),
//!     r#"no column "email" for field `email`; did you mean "Email"? (add column = "Email")"#,
//! );
//!
//! let mut lines = Vec::new();
//! while let Some(item) = reader.next_record(&mut records) {
//!     match item? {
//!         Item::Record(lead) => {
//!             let result = definition.classify_prepared(lead, now).unwrap();
//!             lines.push(format!("{:?} {:?}", result.id().map(|id| id.to_string()), result.stage().map(|s| s.id())));
//!         }
//!         Item::Unreadable(why) => lines.push(format!("line {}: {why}", why.line())),
//!     }
//! }
//! assert_eq!(lines, [r#"Some("L-1") None"#, "line 3: the row has 2 cells but the header has 3"]);
//! # std::fs::remove_dir_all(&dir).ok();
//! # Ok::<(), leadspec::read::ReadError>(())
//! ```
//!
//! # A JSON Lines stream
//!
//! JSON records name their keys record by record, so the fields no record held are known
//! after the last one: [`Reader::report`].
//!
//! ```
//! use leadspec::read::{Format, Item, Layout, Reader, Records};
//!
//! let definition = leadspec::default_definition();
//! let now = leadspec::parse_reference_time("2026-11-22").unwrap();
//! let stream = br#"{"id": 1, "Email": "ann@example.com", "budget": 50000}
//! {"id": 2, "email": "ben@example.com"}
//! {"id": 3, "email": "cy@example.com"
//! "#;
//! let mut records = Records::new(&stream[..], Layout::new(Format::JsonLines))?;
//! let mut reader = Reader::new(definition, &records);
//! let mut stages = Vec::new();
//! while let Some(item) = reader.next_record(&mut records) {
//!     match item? {
//!         Item::Record(lead) => stages.push(definition.stage_of(lead, now).unwrap().and_then(|i| definition.stage_at(i)).map(|s| s.id())),
//!         Item::Unreadable(why) => {
//!             assert_eq!(why.to_string(), "line 3: not valid JSON at column 35: EOF while parsing an object");
//!         }
//!     }
//! }
//! assert_eq!(stages, [None, Some("contact")]);
//!
//! // After the last record: every field no record held, each with the key it probably meant.
//! let report = reader.report();
//! assert!(report.missing_fields().any(|field| field == "role"));
//! assert!(report.missing_fields().all(|field| field != "email" && field != "budget"));
//! # Ok::<(), leadspec::read::ReadError>(())
//! ```
//!
//! # Several definitions, one input
//!
//! [`Records::next_row`] yields each row once; any number of readers, one per definition,
//! may then read it, as `leadspec funnel --compare` does:
//!
//! ```
//! use leadspec::read::{Format, Item, Layout, Reader, Records};
//!
//! let ours = leadspec::default_definition();
//! let theirs = leadspec::Definition::from_toml(r#"
//!     [definition]
//!     name = "Theirs"
//!     [teams]
//!     sales = "Sales"
//!     [fields]
//!     email = "email"
//!     [[stages]]
//!     id = "lead"
//!     owner = "sales"
//!     when = "email is present"
//! "#).unwrap();
//! let now = leadspec::parse_reference_time("2026-11-22").unwrap();
//! let mut records = Records::new("email\nann@example.com\n".as_bytes(), Layout::new(Format::Csv))?;
//! let (mut a, mut b) = (Reader::new(ours, &records), Reader::new(&theirs, &records));
//! while let Some(item) = records.next_row() {
//!     let Item::Record(row) = item? else { continue };
//!     let ours_stage = a.prepare(&row).map(|lead| ours.stage_of(lead, now).unwrap());
//!     let theirs_stage = b.prepare(&row).map(|lead| theirs.stage_of(lead, now).unwrap());
//!     assert_eq!(ours_stage, Ok(ours.stage_index("contact")));
//!     assert_eq!(theirs_stage, Ok(theirs.stage_index("lead")));
//! }
//! # Ok::<(), leadspec::read::ReadError>(())
//! ```
//!
//! # On several threads
//!
//! Reading an input is sequential, but reading its rows for a definition (most of the cost)
//! need not be: [`Records::next_batch`] copies the next rows into a [`RowBatch`] that owns
//! them, which another thread reads with a clone of the [`Reader`]. The keys of JSON records
//! read on each thread are taken with [`Reader::take_seen`] and merged in input order with
//! [`Reader::merge_seen`], so that [`Reader::report`] says what one reader would have said.
//! `leadspec classify --jobs N` works this way.
//!
//! # A stage history
//!
//! See [`Changes`].

mod batch;
mod csv_rows;
mod history;
mod json;
mod records;

use std::fmt;
use std::io;
use std::path::Path;

pub use batch::RowBatch;
pub use history::{Change, Changes};
pub use records::{Cells, Place, Reader, Records, Row};

/// How an input is written.
///
/// A JSON document may hold one record or an array of them; its elements are read one at
/// a time, and one that is not an object is unreadable while the others are read:
///
/// ```
/// use leadspec::read::{Format, Item, Layout, Reader, Records};
///
/// let definition = leadspec::default_definition();
/// let document = r#"[{"email": "ann@example.com"}, 42, {"email": "ben@example.com"}]"#;
/// let mut records = Records::new(document.as_bytes(), Layout::new(Format::Json))?;
/// assert_eq!(records.format(), Format::Json);
/// let mut reader = Reader::new(definition, &records);
/// let (mut read, mut unreadable) = (0, Vec::new());
/// while let Some(item) = reader.next_record(&mut records) {
///     match item? {
///         Item::Record(_) => read += 1,
///         Item::Unreadable(why) => unreadable.push(why.to_string()),
///     }
/// }
/// assert_eq!(read, 2);
/// assert_eq!(unreadable.len(), 1);
/// assert!(unreadable[0].starts_with("array element 2: "));
/// # Ok::<(), leadspec::read::ReadError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// One JSON object per line; blank lines are skipped.
    JsonLines,
    /// One JSON object, or an array of objects.
    Json,
    /// A header row, then one record per row (also TSV and other one-byte delimiters).
    Csv,
}

/// How an input is written: its [`Format`] and, for CSV, its delimiter.
///
/// ```
/// use std::path::Path;
/// use leadspec::read::{Format, Layout};
///
/// assert_eq!(Layout::guess(Some(Path::new("leads.tsv")), None, None), Layout { format: Format::Csv, delimiter: Some(b'\t') });
/// assert_eq!(Layout::guess(Some(Path::new("leads.JSON")), None, None), Layout::new(Format::Json));
/// assert_eq!(Layout::guess(None, None, Some(b'|')), Layout { format: Format::Csv, delimiter: Some(b'|') });
/// assert_eq!(Layout::guess(Some(Path::new("leads.txt")), None, None), Layout::new(Format::JsonLines));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Layout {
    /// The format.
    pub format: Format,
    /// The byte CSV cells are separated by. Without one, it is `,`, or `;` or a tab when
    /// the header line holds no `,` but one of those (a tab when it holds both).
    pub delimiter: Option<u8>,
}

impl Layout {
    /// `format`, with the CSV delimiter found from the header line.
    pub fn new(format: Format) -> Layout {
        Layout { format, delimiter: None }
    }

    /// The layout of an input as the command line chooses it: `format` when given, else
    /// CSV when a `delimiter` is given, else by the extension of `path` (`.csv` and `.tsv`
    /// CSV, `.json` a JSON document, in any case), else JSON Lines. A `.tsv` file is split
    /// on tabs unless `delimiter` says otherwise.
    pub fn guess(path: Option<&Path>, format: Option<Format>, delimiter: Option<u8>) -> Layout {
        let extension = path.and_then(|p| p.extension()).map(|e| e.to_string_lossy().to_ascii_lowercase());
        let tsv = extension.as_deref() == Some("tsv");
        let format = match (format, delimiter) {
            (Some(format), _) => format,
            (None, Some(_)) => Format::Csv,
            (None, None) => match extension.as_deref() {
                Some("csv" | "tsv") => Format::Csv,
                Some("json") => Format::Json,
                _ => Format::JsonLines,
            },
        };
        Layout { format, delimiter: delimiter.or(if tsv { Some(b'\t') } else { None }) }
    }

    /// The layout of a stage history as `leadspec sla` and `waterfall` choose it: `format`
    /// when given, else CSV for a `.csv` or `.tsv` file, else JSON Lines (a `.json` history
    /// too, as histories are written a change a line whatever their name). A `.tsv` file is
    /// split on tabs.
    ///
    /// ```
    /// use std::path::Path;
    /// use leadspec::read::{Format, Layout};
    ///
    /// assert_eq!(Layout::guess_history(Some(Path::new("changes.json")), None), Layout::new(Format::JsonLines));
    /// assert_eq!(Layout::guess_history(Some(Path::new("changes.CSV")), None), Layout::new(Format::Csv));
    /// assert_eq!(Layout::guess_history(None, Some(Format::Csv)), Layout::new(Format::Csv));
    /// ```
    pub fn guess_history(path: Option<&Path>, format: Option<Format>) -> Layout {
        let extension = path.and_then(|p| p.extension()).map(|e| e.to_string_lossy().to_ascii_lowercase());
        let tsv = extension.as_deref() == Some("tsv");
        let format = format.unwrap_or(match extension.as_deref() {
            Some("csv" | "tsv") => Format::Csv,
            _ => Format::JsonLines,
        });
        Layout { format, delimiter: tsv.then_some(b'\t') }
    }
}

impl From<Format> for Layout {
    fn from(format: Format) -> Layout {
        Layout::new(format)
    }
}

/// One item of an input: a record, or one that cannot be read.
///
/// Reading goes on past an unreadable record; only a [`ReadError`] (the `Err` around the
/// item) stops it:
///
/// ```
/// use leadspec::read::{Format, Item, Layout, Reader, Records};
///
/// let input = "{\"id\": 1}\nnot json\n{\"id\": 3}\n";
/// let mut records = Records::new(input.as_bytes(), Layout::new(Format::JsonLines))?;
/// let mut reader = Reader::new(leadspec::default_definition(), &records);
/// assert!(matches!(reader.next_record(&mut records), Some(Ok(Item::Record(_)))));
/// assert!(matches!(reader.next_record(&mut records), Some(Ok(Item::Unreadable(_)))));
/// assert!(matches!(reader.next_record(&mut records), Some(Ok(Item::Record(_)))));
/// assert!(reader.next_record(&mut records).is_none());
/// assert_eq!(records.records_read(), 3);
/// # Ok::<(), leadspec::read::ReadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item<T> {
    /// A record ([`Row`] or [`Prepared`](crate::Prepared)), or a history's [`Change`].
    Record(T),
    /// A record or history line that cannot be read, with the reason.
    Unreadable(Unreadable),
}

/// Why one record or history line cannot be read, and the line it begins on. The other
/// records are still read.
///
/// Its text is the one the command line prints. For a record of JSON Lines or of a JSON
/// document it names the record's place (`line 3: ...`, `array element 2: ...`); for a CSV
/// row it does not, as `leadspec classify` names the record by its number instead; for a
/// history line it is the reason alone, which `leadspec sla` prints after `FILE:LINE:`.
///
/// ```
/// use leadspec::read::{Format, Item, Layout, Reader, Records};
///
/// let mut records = Records::new("\n{\"id\": 1,}\n".as_bytes(), Layout::new(Format::JsonLines))?;
/// let mut reader = Reader::new(leadspec::default_definition(), &records);
/// let Some(Ok(Item::Unreadable(why))) = reader.next_record(&mut records) else { panic!("an unreadable line") };
/// assert_eq!(why.line(), 2);
/// assert_eq!(why.message(), "line 2: not valid JSON at column 10: trailing comma");
/// assert_eq!(why.to_string(), why.message());
/// # Ok::<(), leadspec::read::ReadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    line: u64,
    message: String,
}

impl Unreadable {
    pub(crate) fn new(line: u64, message: String) -> Self {
        Unreadable { line, message }
    }

    /// The 1-based line of the input the record begins on (for a JSON document whose own
    /// syntax is broken, the line where it breaks).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Why the record cannot be read (the same as its `Display`).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Unreadable {}

/// Why an input cannot be read at all: an I/O error, or a CSV header that cannot be used.
/// Reading stops at it.
///
/// Its text is the reason alone, without the input's name; the command line prints it as
/// ``cannot read `FILE`: REASON`` (``cannot read `FILE` after record N: REASON`` once
/// records were read).
///
/// ```
/// use leadspec::read::{Changes, Format, Layout, Records};
///
/// let error = Records::open("no/such/file.csv").err().unwrap();
/// assert!(error.is_io() && error.records_read() == 0);
///
/// let history = "id,status,at\nL1,won,2026-11-01\n";
/// let error = Changes::new(history.as_bytes(), Layout::new(Format::Csv), leadspec::default_definition()).err().unwrap();
/// assert_eq!(error.missing_column(), Some("stage"));
/// assert!(error.is_header());
/// assert!(error.to_string().starts_with("the CSV header has no `stage` column"));
/// ```
#[derive(Debug)]
pub struct ReadError {
    kind: ReadErrorKind,
    records: usize,
}

#[derive(Debug)]
enum ReadErrorKind {
    Io(io::Error),
    HeaderTooLong(usize),
    HeaderNotUtf8(usize),
    /// A history's header lacks the column for this key; the header's first cells, quoted.
    MissingColumn(&'static str, String),
}

impl ReadError {
    pub(crate) fn io(error: io::Error, records: usize) -> Self {
        ReadError { kind: ReadErrorKind::Io(error), records }
    }

    pub(crate) fn header_too_long(limit: usize) -> Self {
        ReadError { kind: ReadErrorKind::HeaderTooLong(limit), records: 0 }
    }

    pub(crate) fn header_not_utf8(column: usize) -> Self {
        ReadError { kind: ReadErrorKind::HeaderNotUtf8(column), records: 0 }
    }

    pub(crate) fn no_column(key: &'static str, header: &[String]) -> Self {
        let mut cells: Vec<String> = header.iter().take(8).map(|c| format!("`{c}`")).collect();
        if header.len() > 8 {
            cells.push("...".to_string());
        }
        ReadError { kind: ReadErrorKind::MissingColumn(key, cells.join(", ")), records: 0 }
    }

    /// Whether the input could not be read (opened, or read further).
    pub fn is_io(&self) -> bool {
        matches!(self.kind, ReadErrorKind::Io(_))
    }

    /// The I/O error, when it is one.
    pub fn io_error(&self) -> Option<&io::Error> {
        match &self.kind {
            ReadErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }

    /// Whether a CSV header cannot be used: longer than the record limit, not UTF-8, or
    /// (for a history) without one of its columns.
    pub fn is_header(&self) -> bool {
        !self.is_io()
    }

    /// The key (`id`, `stage` or `at`) whose column a history's CSV header lacks.
    pub fn missing_column(&self) -> Option<&'static str> {
        match self.kind {
            ReadErrorKind::MissingColumn(key, _) => Some(key),
            _ => None,
        }
    }

    /// How many records (or history lines) were read before the error, unreadable ones
    /// included; 0 for an error at the header.
    pub fn records_read(&self) -> usize {
        self.records
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ReadErrorKind::Io(e) => write!(f, "{e}"),
            ReadErrorKind::HeaderTooLong(limit) => write!(f, "the CSV header is longer than {limit} bytes"),
            ReadErrorKind::HeaderNotUtf8(column) => write!(f, "the CSV header is not UTF-8 (column {column})"),
            ReadErrorKind::MissingColumn(key, cells) => write!(
                f,
                "the CSV header has no `{key}` column (a history's header names `id`, `stage` and `at`, in any \
                 order; this one holds {cells})"
            ),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ReadErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Cursor, Read};

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

    fn failing(text: &str) -> BufReader<Failing> {
        BufReader::with_capacity(16, Failing { good: Cursor::new(text.as_bytes().to_vec()) })
    }

    #[test]
    fn a_read_that_fails_midway_says_how_many_records_were_read() {
        for (format, text) in [
            (Format::JsonLines, "{\"id\":1}\n{\"id\":2}\n"),
            (Format::Csv, "id\n1\n2\n"),
            (Format::Json, "[{\"id\":1},{\"id\":2},"),
        ] {
            let Ok(mut records) = Records::new(failing(text), Layout::new(format)) else {
                panic!("{format:?}: opened")
            };
            let mut read = 0;
            let error = loop {
                match records.next_row() {
                    Some(Ok(_)) => read += 1,
                    Some(Err(error)) => break error,
                    None => panic!("{format:?}: no error"),
                }
            };
            assert_eq!((read, error.records_read()), (2, 2), "{format:?}");
            assert_eq!(error.to_string(), "the disk went away", "{format:?}");
            assert!(error.is_io() && error.io_error().is_some() && !error.is_header());
            assert!(records.next_row().is_none(), "{format:?}: reading stops at an error");
        }
    }

    #[test]
    fn a_history_that_fails_midway_stops() {
        let d = crate::default_definition();
        let text = "{\"id\":\"A\",\"stage\":\"won\",\"at\":\"2026-11-01\"}\n";
        let mut changes = Changes::new(failing(text), Layout::new(Format::JsonLines), d).unwrap();
        assert!(matches!(changes.next_change(), Some(Ok(Item::Record(_)))));
        let error = changes.next_change().unwrap().unwrap_err();
        assert_eq!((error.records_read(), error.to_string().as_str()), (1, "the disk went away"));
        assert!(changes.next_change().is_none());
    }

    #[test]
    fn the_first_line_of_json_lines_may_be_a_csv_header() {
        let rows = |text: &[u8]| {
            let mut records = Records::new(text, Layout::new(Format::JsonLines)).unwrap();
            let mut found = Vec::new();
            while let Some(item) = records.next_row() {
                found.push(match item.unwrap() {
                    Item::Record(row) => format!("row at {}", row.line()),
                    Item::Unreadable(why) => why.to_string(),
                });
            }
            found
        };
        assert_eq!(
            rows(b"\n\nid;email\nid;email\n"),
            ["line 3: not valid JSON at column 1: expected value; is this CSV? use --format csv", "row at 4"]
        );
        assert_eq!(rows(b"\xEF\xBB\xBF\"id\",\"email\"\n"), ["row at 1"], "JSON, though not an object");
        assert_eq!(rows(b"{\"a\":1},\n"), ["row at 1"], "a `{{` is JSON's");
        assert_eq!(
            rows(b"id,\xFF\nid,\xFF\n"),
            [
                "line 1: not UTF-8 (invalid byte at column 4); is this CSV? use --format csv",
                "line 2: not UTF-8 (invalid byte at column 4)",
            ]
        );
    }
}
