//! `leadspec classify`: one result per input record, in input order, streamed.
//!
//! As JSON lines (the default), each line has exactly the keys `record, id, stage, owner,
//! qualified, criteria, ask, errors` (plus `score` with `[scoring]`); a record that cannot
//! be read is written as `{"record":N,"error":"..."}`. With `--output csv`, one CSV row per
//! record (see [`CsvWriter`]). The command ends with status 3 after writing all others when
//! some record could not be read.

use std::io::{self, Write};

use super::args::ClassifyArgs;
use super::args::OutputFormat;
use super::input::{self, Item, Reader};
use super::output::{self, CsvWriter, LineWriter, UnreadableLine};
use super::progress::Progress;
use super::{load_definition, Outcome, EXIT_OK, EXIT_UNREADABLE};

/// Classifies every record; see the module documentation.
pub(crate) fn run(args: &ClassifyArgs) -> Outcome {
    let definition = load_definition(&args.definition)?;
    let now = args.now.get();
    let mut records = input::open(&args.input)?;
    let mut reader = Reader::new(&definition, &records);
    reader.warn_after_header();
    let mut sink = match args.output {
        OutputFormat::Jsonl => Sink::Json { out: output::stdout(), lines: LineWriter::new(&definition) },
        OutputFormat::Csv => Sink::Csv(Box::new(CsvWriter::new(&definition, output::stdout())?)),
    };
    let (mut total, mut unreadable) = (0usize, 0usize);
    // Not over output lines streaming to the same terminal.
    let mut progress = Progress::on_stderr("records", true);
    while let Some(item) = records.next_row() {
        total += 1;
        progress.tick();
        let prepared = match item? {
            Item::Record(row) => reader.prepare(&row),
            Item::Unreadable(error) => Err(error),
        };
        match prepared {
            Ok(prepared) => sink.record(total, &definition.classify_prepared(prepared, now)?)?,
            Err(error) => {
                unreadable += 1;
                sink.unreadable(total, error.message())?;
            }
        }
    }
    sink.flush()?;
    progress.finish();
    reader.warn_at_end();
    if unreadable > 0 {
        let _ = writeln!(io::stderr(), "leadspec: {unreadable} of {total} records could not be read");
        return Ok(EXIT_UNREADABLE);
    }
    Ok(EXIT_OK)
}

/// Where results go: JSON lines or CSV rows, on standard output.
enum Sink {
    Json { out: output::Stdout, lines: LineWriter },
    Csv(Box<CsvWriter<output::Stdout>>),
}

impl Sink {
    fn record(&mut self, number: usize, result: &leadspec::Classification<'_>) -> std::io::Result<()> {
        match self {
            Sink::Json { out, lines } => lines.write(out, number, result),
            Sink::Csv(csv) => csv.write(number, result),
        }
    }

    fn unreadable(&mut self, number: usize, error: &str) -> std::io::Result<()> {
        match self {
            Sink::Json { out, .. } => output::json_line(out, &UnreadableLine { record: number, error }),
            Sink::Csv(csv) => csv.unreadable(number, error),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Json { out, .. } => out.flush(),
            Sink::Csv(csv) => csv.flush(),
        }
    }
}
