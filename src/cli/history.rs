//! Reading stage histories for `sla` and `waterfall`, one change at a time, with
//! [`leadspec::read::Changes`]; this module opens the history the arguments name, chooses
//! its layout and writes out what cannot be read.
//!
//! A history is JSON Lines, `{"id":"L1","stage":"mql","at":"<RFC 3339>"}` a line, or CSV
//! under a header naming `id`, `stage` and `at` in any order (other keys and columns are
//! ignored; a header cell matches ignoring case, surrounding spaces and a byte-order mark).
//! The format is `--format`, else CSV for a `.csv` file (a `.tsv` file is CSV split on
//! tabs, and a header holding `;` or a tab but no `,` is split on that), else JSON Lines;
//! standard input (no file, or `-`) is JSON Lines unless `--format csv`.
//!
//! `id` is text: in JSON a string (a number is taken as its text), in CSV the cell as
//! written; an empty one makes the line unreadable. `stage` is a stage's id, an alias or its
//! display name, in any case, as `move` reads it. `at` is an RFC 3339 date-time (a plain
//! `YYYY-MM-DD` is 00:00 UTC). Blank lines are skipped. A line that is not UTF-8, not a
//! JSON object, lacks a key, has a value of the wrong kind or names a stage the definition
//! lacks, and a CSV row whose number of cells differs from the header's or longer than the
//! record limit, is unreadable: it is reported on standard error as `FILE:LINE: error:
//! MESSAGE` (`<stdin>` for standard input) as soon as it is read, and the other lines are
//! still used. A CSV header that lacks one of the three columns stops the command (status 2).
//!
//! Nothing is kept here beyond the line being read: memory is the business of the
//! command's [`leadspec::Replayer`] or [`leadspec::WaterfallCounter`].

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use leadspec::read::{Change, Changes, Format, Item, Layout, ReadError};
use leadspec::Definition;
use leadspec::PushError;

use super::progress::Progress;
use super::{show, Failure};

/// How a history is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum HistoryFormat {
    /// One JSON object per line: {"id":..,"stage":..,"at":..}.
    Jsonl,
    /// A header naming id, stage and at (in any order), then one change per row.
    Csv,
}

/// Where a history comes from, shared by `sla` and `waterfall`.
#[derive(Debug, Args)]
pub(crate) struct HistoryArgs {
    /// How the history is written [default: CSV for a .csv or .tsv file, else JSONL]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<HistoryFormat>,
    /// The history is sorted by lead id (byte order, as `LC_ALL=C sort` sorts): each lead is
    /// done with as soon as the next begins, in memory bounded by one lead's history. A lead
    /// out of order stops the command (exit status 2)
    #[arg(long)]
    pub(crate) sorted: bool,
    /// Stage changes, as JSON Lines {"id":"L1","stage":"mql","at":"<RFC 3339>"} or as CSV
    /// under a header naming id, stage and at; `-` or nothing reads standard input
    #[arg(value_name = "HISTORY")]
    pub(crate) history: Option<PathBuf>,
}

impl HistoryArgs {
    /// The file named, or `None` for standard input.
    fn path(&self) -> Option<&Path> {
        self.history.as_deref().filter(|p| p.as_os_str() != "-")
    }

    /// The history's name in messages: the path, or `<stdin>`.
    pub(crate) fn name(&self) -> Cow<'_, str> {
        self.path().map_or(Cow::Borrowed("<stdin>"), show)
    }

    /// The format and CSV delimiter: `--format`, else by the file's extension.
    fn layout(&self) -> Layout {
        let format = self.format.map(|format| match format {
            HistoryFormat::Jsonl => Format::JsonLines,
            HistoryFormat::Csv => Format::Csv,
        });
        Layout::guess_history(self.path(), format)
    }

    /// The failure for a lead out of order on `line`, under `--sorted`.
    pub(crate) fn out_of_order(&self, line: u64, error: PushError) -> Failure {
        if let PushError::ForeignStage = error {
            // The command line reads stages through the definition it replays with.
            return Failure::usage(format!("{}:{line}: {error}", self.name()));
        }
        Failure::usage(format!(
            "{}:{line}: {error}; --sorted needs every lead's changes together, leads in byte order \
             of their ids (as `LC_ALL=C sort` sorts); without --sorted they may come in any order",
            self.name()
        ))
    }
}

/// Reads the history of `args`, calling `each` with every readable change in input order,
/// and reporting every unreadable line on standard error as it comes. Returns how many lines
/// were unreadable. `streams`: whether `each` writes on standard output as it goes (the
/// progress indicator then stays off a terminal's standard output).
pub(crate) fn read<F>(args: &HistoryArgs, definition: &Definition, streams: bool, mut each: F) -> Result<usize, Failure>
where
    F: FnMut(&Change<'_>) -> Result<(), Failure>,
{
    let name = args.name();
    let failure = |e: ReadError| match e.missing_column() {
        Some(_) => Failure::usage(format!("`{name}`: {e}")),
        None => Failure::usage(format!("cannot read `{name}`: {e}")),
    };
    let reader: Box<dyn BufRead> = match args.path() {
        None => Box::new(BufReader::with_capacity(64 << 10, io::stdin())),
        Some(path) => {
            let file = File::open(path).map_err(|e| Failure::usage(format!("cannot read `{name}`: {e}")))?;
            Box::new(BufReader::with_capacity(64 << 10, file))
        }
    };
    let mut changes = Changes::new(reader, args.layout(), definition).map_err(&failure)?;
    let mut progress = Progress::on_stderr("lines", streams);
    let mut unreadable = 0;
    while let Some(item) = changes.next_change() {
        progress.tick();
        match item.map_err(&failure)? {
            Item::Record(change) => each(&change)?,
            Item::Unreadable(why) => {
                unreadable += 1;
                progress.clear();
                // One write a line: standard error is not buffered.
                let line = why.line();
                let _ = io::stderr().lock().write_all(format!("{name}:{line}: error: {why}\n").as_bytes());
            }
        }
    }
    progress.finish();
    Ok(unreadable)
}
