//! `leadspec classify`: one JSON line per input record, in input order, streamed.
//!
//! Each line has exactly the keys `record, id, stage, owner, qualified, criteria, ask,
//! errors` (plus `score` with `[scoring]`); a record that cannot be read is written as
//! `{"record":N,"error":"..."}` and the command ends with status 3 after writing all others.

use std::io::{self, Write};

use super::args::ClassifyArgs;
use super::input::{self, Item, Reader};
use super::output::{self, LineWriter, UnreadableLine};
use super::progress::Progress;
use super::{load_definition, Outcome, EXIT_OK, EXIT_UNREADABLE};

/// Classifies every record; see the module documentation.
pub(crate) fn run(args: &ClassifyArgs) -> Outcome {
    let definition = load_definition(&args.definition)?;
    let now = args.now.get();
    let mut records = input::open(&args.input)?;
    let mut reader = Reader::new(&definition, &records);
    reader.warn_after_header();
    let mut out = output::stdout();
    let lines = LineWriter::new(&definition);
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
            Ok(prepared) => {
                let result = definition.classify_prepared(prepared, now);
                lines.write(&mut out, total, &result)?;
            }
            Err(error) => {
                unreadable += 1;
                output::json_line(&mut out, &UnreadableLine { record: total, error: &error })?;
            }
        }
    }
    out.flush()?;
    progress.finish();
    reader.warn_at_end();
    if unreadable > 0 {
        let _ = writeln!(io::stderr(), "leadspec: {unreadable} of {total} records could not be read");
        return Ok(EXIT_UNREADABLE);
    }
    Ok(EXIT_OK)
}
