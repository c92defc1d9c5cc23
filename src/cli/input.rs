//! Reading lead records for `classify`, `funnel` and `explain`: the input the arguments
//! name, read by [`leadspec::read`], with its errors and warnings written out.
//!
//! The input is a file, or standard input for none or `-`; its layout is `--format` and
//! `--delimiter`, else the file's extension ([`Layout::guess`]). A file that cannot be
//! opened, and an input that cannot be read further, stop the command (status 2) with
//! ``cannot read `FILE`: REASON`` (``... after record N: ...`` once records were read). A
//! record that cannot be read is the command's to report. What the columns do not match is
//! written as `warning:` lines on standard error: for CSV right after the header, for JSON
//! after the last record.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};

use leadspec::read::{self, Format, Layout, ReadError, Records, RowBatch, Unreadable};
use leadspec::{ColumnReport, Definition, Prepared, SeenKeys};

use super::args::{InputArgs, InputFormat};
use super::{show, Failure};

pub(crate) use leadspec::read::{Item, Row};

/// The records of the input the arguments name, and its name for messages.
pub(crate) struct Input {
    records: Records<Box<dyn BufRead + Send>>,
    /// `standard input`, or the file's path in backquotes.
    name: String,
}

/// Opens the input named by the arguments (a file, or standard input for none or `-`).
/// A file that cannot be opened or whose CSV header cannot be read is a usage/I/O error.
pub(crate) fn open(args: &InputArgs) -> Result<Input, Failure> {
    let path = args.input.as_deref().filter(|p| p.as_os_str() != "-");
    let (reader, name): (Box<dyn BufRead + Send>, String) = match path {
        None => (Box::new(BufReader::with_capacity(64 << 10, io::stdin())), "standard input".to_string()),
        Some(p) => {
            let file = File::open(p).map_err(|e| Failure::usage(format!("cannot read `{}`: {e}", show(p))))?;
            (Box::new(BufReader::with_capacity(64 << 10, file)), format!("`{}`", show(p)))
        }
    };
    let format = args.format.map(|format| match format {
        InputFormat::Jsonl => Format::JsonLines,
        InputFormat::Csv => Format::Csv,
        InputFormat::Json => Format::Json,
    });
    from_reader(reader, Layout::guess(path, format, args.delimiter), name)
}

/// Reads records of `layout` from `reader`; `name` names the input in error messages.
pub(crate) fn from_reader(reader: Box<dyn BufRead + Send>, layout: Layout, name: String) -> Result<Input, Failure> {
    match Records::new(reader, layout) {
        Ok(records) => Ok(Input { records, name }),
        Err(e) => Err(failure(&name, &e)),
    }
}

/// The failure for an input that cannot be read.
fn failure(name: &str, error: &ReadError) -> Failure {
    Failure::usage(match error.records_read() {
        0 => format!("cannot read {name}: {error}"),
        n => format!("cannot read {name} after record {n}: {error}"),
    })
}

impl Input {
    /// The header's cells, for CSV input.
    pub(crate) fn header(&self) -> Option<&[String]> {
        self.records.header()
    }

    /// The next record, or why it cannot be read; a failure for an I/O error.
    pub(crate) fn next_row(&mut self) -> Option<Result<Item<Row<'_>>, Failure>> {
        let Input { records, name } = self;
        records.next_row().map(|item| item.map_err(|e| failure(name, &e)))
    }

    /// Reads the next items into `batch` (empty at the end), as many as a chunk of
    /// [`super::jobs`] holds; a failure for an I/O error, the items before it in `batch`.
    pub(crate) fn next_batch(&mut self, batch: &mut RowBatch) -> Result<(), Failure> {
        let Input { records, name } = self;
        records.next_batch(batch, super::jobs::CHUNK_ITEMS, super::jobs::CHUNK_BYTES).map_err(|e| failure(name, &e))
    }
}

/// Reads rows for one definition, and says out loud the fields the input does not hold.
#[derive(Clone)]
pub(crate) struct Reader<'d>(read::Reader<'d>);

impl<'d> Reader<'d> {
    /// A reader of `input` for `definition` (for CSV, the header is mapped now).
    pub(crate) fn new(definition: &'d Definition, input: &Input) -> Self {
        Reader(read::Reader::new(definition, &input.records))
    }

    /// The record `row` holds, prepared for the definition, or why it cannot be read.
    pub(crate) fn prepare(&mut self, row: &Row<'_>) -> Result<&Prepared, Unreadable> {
        self.0.prepare(row)
    }

    /// A reader of the same rows for another thread, with nothing read yet.
    pub(crate) fn fork(&self) -> Self {
        let mut fork = Reader(self.0.clone());
        fork.0.take_seen();
        fork
    }

    /// Takes the keys of the JSON records read since the last time, for [`Reader::merge_seen`].
    pub(crate) fn take_seen(&mut self) -> SeenKeys<'d> {
        self.0.take_seen()
    }

    /// Adds the keys a fork read, as if this reader had read its rows after its own.
    pub(crate) fn merge_seen(&mut self, later: &SeenKeys<'_>) {
        self.0.merge_seen(later);
    }

    /// Writes the header's findings (CSV) as `warning:` lines on standard error.
    pub(crate) fn warn_after_header(&self) {
        if let Some(report) = self.0.header_report() {
            warn(report);
        }
    }

    /// Writes the fields no JSON record held as `warning:` lines on standard error.
    pub(crate) fn warn_at_end(&self) {
        if self.0.header_report().is_none() {
            warn(&self.0.report());
        }
    }
}

/// Writes each finding of `report` as a `warning:` line on standard error.
fn warn(report: &ColumnReport) {
    let mut stderr = io::stderr().lock();
    for finding in report.findings() {
        let _ = writeln!(stderr, "warning: {finding}");
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    /// A reader that gives `good` and then fails, as a file on a failing disk does.
    pub(in crate::cli) struct Failing {
        pub(in crate::cli) good: Cursor<Vec<u8>>,
    }

    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match self.good.read(buf)? {
                0 => Err(io::Error::other("the disk went away")),
                n => Ok(n),
            }
        }
    }

    #[test]
    fn a_read_that_fails_midway_names_the_input_and_the_record_reached() {
        let reader = Box::new(BufReader::with_capacity(16, Failing { good: Cursor::new(b"id\n1\n2\n".to_vec()) }));
        let Ok(mut input) = from_reader(reader, Layout::new(Format::Csv), "`leads`".into()) else { panic!("opened") };
        let mut read = 0;
        let message = loop {
            match input.next_row() {
                Some(Ok(_)) => read += 1,
                Some(Err(Failure::Message(2, message))) => break message,
                other => panic!("{}", other.is_some()),
            }
        };
        assert_eq!((read, message.as_str()), (2, "cannot read `leads` after record 2: the disk went away"));
        let reader = Box::new(BufReader::new(Failing { good: Cursor::new(Vec::new()) }));
        let Err(Failure::Message(2, message)) = from_reader(reader, Layout::new(Format::Csv), "`leads`".into()) else {
            panic!("the header cannot be read")
        };
        assert_eq!(message, "cannot read `leads`: the disk went away");
    }
}
