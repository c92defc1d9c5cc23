//! `leadspec classify`: one result per input record, in input order, streamed.
//!
//! As JSON lines (the default), each line has exactly the keys `record, id, stage, owner,
//! qualified, criteria, ask, errors` (plus `score` with `[scoring]`); a record that cannot
//! be read is written as `{"record":N,"error":"..."}`. With `--output csv`, one CSV row per
//! record (see [`CsvWriter`]). The command ends with status 3 after writing all others when
//! some record could not be read. With `--jobs N` above 1, the records are classified on N
//! threads ([`super::jobs`]) and the output is the same.

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use leadspec::{Definition, SeenKeys};

use super::args::ClassifyArgs;
use super::args::OutputFormat;
use super::input::{self, Input, Item, Reader, Row};
use super::jobs;
use super::output::{self, CsvWriter, LineWriter, UnreadableLine};
use super::progress::Progress;
use super::{load_definition, Failure, Outcome, EXIT_OK, EXIT_UNREADABLE};

/// Classifies every record; see the module documentation.
pub(crate) fn run(args: &ClassifyArgs) -> Outcome {
    let definition = load_definition(&args.definition)?;
    let now = args.now.get();
    let mut records = input::open(&args.input)?;
    let mut reader = Reader::new(&definition, &records);
    reader.warn_after_header();
    let lines = LineWriter::new(&definition);
    // Not over output lines streaming to the same terminal.
    let mut progress = Progress::on_stderr("records", true);
    let (total, unreadable) = match args.jobs.get() {
        1 => {
            let mut sink = match args.output {
                OutputFormat::Jsonl => Sink::Json { out: output::stdout(), lines: &lines },
                OutputFormat::Csv => Sink::Csv(Box::new(CsvWriter::new(&definition, output::stdout())?)),
            };
            let (mut total, mut unreadable) = (0usize, 0usize);
            while let Some(item) = records.next_row() {
                total += 1;
                progress.tick();
                if sink.item(&mut reader, &definition, now, total, item?)? {
                    unreadable += 1;
                }
            }
            sink.flush()?;
            (total, unreadable)
        }
        jobs => {
            let shared = Shared { definition: &definition, now, lines: &lines, output: args.output };
            on_threads(&shared, jobs, &mut records, &mut reader, &mut progress)?
        }
    };
    progress.finish();
    reader.warn_at_end();
    if unreadable > 0 {
        let _ = writeln!(io::stderr(), "leadspec: {unreadable} of {total} records could not be read");
        return Ok(EXIT_UNREADABLE);
    }
    Ok(EXIT_OK)
}

/// What every thread reads: the definition, the time, how lines are written.
struct Shared<'a> {
    definition: &'a Definition,
    now: DateTime<Utc>,
    lines: &'a LineWriter,
    output: OutputFormat,
}

/// What a worker made of one chunk.
#[derive(Default)]
struct Done<'d> {
    /// The output of its records.
    out: Vec<u8>,
    /// How many could not be read.
    unreadable: usize,
    /// The JSON keys its records held.
    seen: Option<SeenKeys<'d>>,
    /// What stopped it, after the output of the records before.
    failure: Option<Failure>,
}

/// One worker's reader and output.
struct Worker<'a> {
    reader: Reader<'a>,
    sink: Sink<'a, Vec<u8>>,
}

/// Classifies the records on `jobs` threads; writes the output in input order. The number
/// of records read and of those that could not be read.
fn on_threads<'a>(
    shared: &Shared<'a>,
    jobs: usize,
    records: &mut Input,
    reader: &mut Reader<'a>,
    progress: &mut Progress<io::Stderr>,
) -> Result<(usize, usize), Failure> {
    let mut out = output::stdout();
    if shared.output == OutputFormat::Csv {
        CsvWriter::new(shared.definition, &mut out)?.flush()?;
    }
    let fork = reader.fork();
    let (mut total, mut unreadable) = (0usize, 0usize);
    jobs::run(
        records,
        jobs,
        || Worker {
            reader: fork.fork(),
            sink: match shared.output {
                OutputFormat::Jsonl => Sink::Json { out: Vec::new(), lines: shared.lines },
                OutputFormat::Csv => Sink::Csv(Box::new(CsvWriter::without_header(shared.definition, Vec::new()))),
            },
        },
        |worker, chunk| {
            let done: &mut Done<'a> = &mut chunk.done;
            (done.unreadable, done.failure) = (0, None);
            for (i, item) in chunk.rows.iter().enumerate() {
                match worker.sink.item(&mut worker.reader, shared.definition, shared.now, chunk.first + i, item) {
                    Ok(read) => done.unreadable += usize::from(read),
                    Err(failure) => {
                        done.failure = Some(failure);
                        break;
                    }
                }
            }
            done.out.clear();
            if let Err(error) = worker.sink.swap_written(&mut done.out) {
                done.failure.get_or_insert(error.into());
            }
            done.seen = Some(worker.reader.take_seen());
        },
        |chunk| {
            progress.advance(chunk.rows.len());
            total += chunk.rows.len();
            unreadable += chunk.done.unreadable;
            out.write_all(&chunk.done.out)?;
            if let Some(seen) = &chunk.done.seen {
                reader.merge_seen(seen);
            }
            chunk.done.failure.take().map_or(Ok(()), Err)
        },
    )?;
    out.flush()?;
    Ok((total, unreadable))
}

/// Where results go: JSON lines or CSV rows, on standard output or into a worker's buffer.
enum Sink<'a, W: Write> {
    Json { out: W, lines: &'a LineWriter },
    Csv(Box<CsvWriter<W>>),
}

impl<W: Write> Sink<'_, W> {
    /// Reads, classifies and writes record number `number`; whether it could not be read.
    fn item(
        &mut self,
        reader: &mut Reader<'_>,
        definition: &Definition,
        now: DateTime<Utc>,
        number: usize,
        item: Item<Row<'_>>,
    ) -> Result<bool, Failure> {
        let prepared = match item {
            Item::Record(row) => reader.prepare(&row),
            Item::Unreadable(error) => Err(error),
        };
        match prepared {
            Ok(prepared) => self.record(number, &definition.classify_prepared(prepared, now)?)?,
            Err(error) => {
                self.unreadable(number, error.message())?;
                return Ok(true);
            }
        }
        Ok(false)
    }

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

impl Sink<'_, Vec<u8>> {
    /// Swaps the bytes written so far with `into`'s (which should be empty).
    fn swap_written(&mut self, into: &mut Vec<u8>) -> std::io::Result<()> {
        match self {
            Sink::Json { out, .. } => {
                std::mem::swap(out, into);
                Ok(())
            }
            Sink::Csv(csv) => csv.swap_written(into),
        }
    }
}
