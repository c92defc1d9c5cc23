//! `leadspec explain`: how one record is classified, in plain words.
//!
//! The record is a JSON object (`RECORD.json`, or standard input), or, with `--record N` or
//! `--id ID`, one record of any input `classify` reads (numbered as `classify` numbers
//! them; an id matched as text, a number by its JSON text). A number or id that matches no
//! record, a record that cannot be read, or both options: status 2. Several records with
//! the id: the first is explained, with a note on standard error. The input's columns are
//! checked as `classify` checks them, with the same warnings.
//!
//! Prints the definition's name and version and the reference time; every stage tried, in
//! the order classification tries them, with the value of its rule and the sub-expressions
//! that decided it, up to the one that matched; the result and its owner; every criterion
//! with its state, rule, findings and `ask`; the qualification; the score, the scoring rules
//! that fired and those left unknown, and the raw sum when clamping changed it; and the
//! record's validation errors, each rejected value with what was expected
//! (`won_date is invalid: "26/02/2018" is not a date`). Status 0; 1 invalid definition; 2
//! usage or I/O.

use std::io::Write;
use std::path::Path;

use leadspec::{Definition, Record, RecordId};

use super::args::ExplainArgs;
use super::input::{self, Item, Reader, Row};
use super::output::id_text;
use super::{load_definition, output, read_record_file, Failure, Outcome, EXIT_OK};

/// Explains the record; see the module documentation.
pub(crate) fn run(args: &ExplainArgs) -> Outcome {
    let definition = load_definition(&args.definition)?;
    let now = args.now.get();
    let record = if args.record.is_some() || args.id.is_some() {
        find(&definition, args)?
    } else {
        read_record_file(args.input.input.as_deref().unwrap_or(Path::new("-")))?
    };
    let explanation = definition.explain(&record, now);
    let mut out = output::stdout();
    write!(out, "{explanation}")?;
    out.flush()?;
    Ok(EXIT_OK)
}

/// The record `--record N` or `--id ID` names in the input, read to its end so that its
/// columns are checked as `classify` checks them.
fn find(definition: &Definition, args: &ExplainArgs) -> Result<Record, Failure> {
    let mut records = input::open(&args.input)?;
    let header: Option<Vec<String>> =
        records.header().map(|cells| cells.iter().enumerate().map(|(i, c)| header_cell(c, i).to_string()).collect());
    let mut reader = Reader::new(definition, &records);
    reader.warn_after_header();
    let (mut number, mut found, mut matches) = (0usize, None, 0usize);
    while let Some(item) = records.next_row() {
        number += 1;
        let row = match item? {
            Item::Record(row) => row,
            Item::Unreadable(error) => {
                if args.record == Some(number) {
                    return Err(Failure::usage(format!("record {number} could not be read: {error}")));
                }
                continue;
            }
        };
        let prepared = match reader.prepare(&row) {
            Ok(prepared) => prepared,
            Err(error) if args.record == Some(number) => {
                return Err(Failure::usage(format!("record {number} could not be read: {error}")))
            }
            Err(_) => continue,
        };
        let wanted = match (&args.record, &args.id) {
            (Some(n), _) => *n == number,
            (None, Some(id)) => prepared.id().is_some_and(|r| id_matches(r, id)),
            (None, None) => false,
        };
        if wanted {
            matches += 1;
            if found.is_none() {
                found = Some((number, raw_record(&row, header.as_deref())?));
            }
        }
    }
    reader.warn_at_end();
    match (found, &args.id) {
        (Some((number, record)), Some(id)) => {
            if matches > 1 {
                let _ = writeln!(
                    std::io::stderr(),
                    "note: {matches} records have the id \"{id}\"; explaining the first, record {number}"
                );
            }
            Ok(record)
        }
        (Some((_, record)), None) => Ok(record),
        (None, Some(id)) => Err(Failure::usage(format!("no record has the id \"{id}\""))),
        (None, None) => {
            Err(Failure::usage(format!("there is no record {} (the input holds {number})", args.record.unwrap_or(0))))
        }
    }
}

/// Whether a record's id is `wanted`, compared as text (a number by its JSON text).
fn id_matches(id: &RecordId, wanted: &str) -> bool {
    match id {
        RecordId::Text(text) => text == wanted,
        number => id_text(Some(number)) == wanted,
    }
}

/// A header cell as it names a column: trimmed, without a byte-order mark before the first.
fn header_cell(cell: &str, position: usize) -> &str {
    let cell = if position == 0 { cell.strip_prefix('\u{feff}').unwrap_or(cell) } else { cell };
    cell.trim()
}

/// The raw values of a row, keyed by column, as the record to explain.
fn raw_record(row: &Row<'_>, header: Option<&[String]>) -> Result<Record, Failure> {
    match row {
        Row::Json { text, .. } => serde_json::from_str::<Record>(text)
            .map_err(|e| Failure::usage(format!("the record is not a JSON object: {e}"))),
        Row::Cells(cells) => {
            let cells: Vec<&str> = cells.iter().collect();
            Record::from_csv_row(header.unwrap_or_default(), &cells).map_err(|e| Failure::usage(e.to_string()))
        }
    }
}
