//! Reading stage histories for `sla` and `waterfall`, one change at a time.
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
//! command's [`leadspec::history::Replayer`] or [`leadspec::history::WaterfallCounter`].

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use leadspec::history::{OutOfOrder, StageWords};
use leadspec::{Definition, Limits, StageIndex};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::input::{CsvRows, Item, JsonLines, Line, Row};
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
    fn layout(&self) -> (HistoryFormat, Option<u8>) {
        let extension = self.path().and_then(|p| p.extension()).map(|e| e.to_string_lossy().to_ascii_lowercase());
        let tsv = extension.as_deref() == Some("tsv");
        let format = self.format.unwrap_or(match extension.as_deref() {
            Some("csv" | "tsv") => HistoryFormat::Csv,
            _ => HistoryFormat::Jsonl,
        });
        (format, tsv.then_some(b'\t'))
    }

    /// The failure for a lead out of order on `line`, under `--sorted`.
    pub(crate) fn out_of_order(&self, line: u64, error: OutOfOrder) -> Failure {
        Failure::usage(format!(
            "{}:{line}: {error}; --sorted needs every lead's changes together, leads in byte order \
             of their ids (as `LC_ALL=C sort` sorts); without --sorted they may come in any order",
            self.name()
        ))
    }
}

/// One readable change of a history.
pub(crate) struct Change<'a> {
    /// The 1-based line it was read from.
    pub(crate) line: u64,
    /// The lead's id.
    pub(crate) lead: &'a str,
    /// The stage entered.
    pub(crate) stage: StageIndex,
    /// When.
    pub(crate) at: DateTime<Utc>,
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
    let cannot_read = |e: io::Error| Failure::usage(format!("cannot read `{name}`: {e}"));
    let reader: Box<dyn BufRead> = match args.path() {
        None => Box::new(BufReader::with_capacity(64 << 10, io::stdin())),
        Some(path) => Box::new(BufReader::with_capacity(64 << 10, File::open(path).map_err(&cannot_read)?)),
    };
    let limits = Limits::default();
    let mut words = StageWords::new(definition);
    let mut progress = Progress::on_stderr("lines", streams);
    let mut unreadable = 0;
    let mut report = |progress: &mut Progress<io::Stderr>, line: u64, message: &str| {
        unreadable += 1;
        progress.clear();
        // One write a line: standard error is not buffered.
        let _ = io::stderr().lock().write_all(format!("{name}:{line}: error: {message}\n").as_bytes());
    };
    match args.layout() {
        (HistoryFormat::Jsonl, _) => {
            let mut lines = JsonLines::new(reader, &limits);
            while let Some(line) = lines.next_line().map_err(&cannot_read)? {
                progress.tick();
                let (number, result) = match line {
                    Line::Bad(number, message, _) => (number as u64, Err(message)),
                    Line::Text(text, number) => (number as u64, json_change(text, &mut words)),
                };
                match result {
                    Ok((lead, stage, at)) => each(&Change { line: number, lead: &lead, stage, at })?,
                    Err(message) => report(&mut progress, number, &message),
                }
            }
        }
        (HistoryFormat::Csv, delimiter) => {
            let mut rows = CsvRows::new(reader, delimiter, &limits, &format!("`{name}`"))?;
            let columns = columns(rows.header(), &name)?;
            let width = rows.header().len();
            while let Some((number, item)) = rows.next_numbered_row().map_err(&cannot_read)? {
                progress.tick();
                let result = match item {
                    Item::Unreadable(message) => Err(message),
                    Item::Record(Row::Cells(cells)) => csv_change(cells.iter(), width, columns, &mut words),
                    Item::Record(_) => Err("not a CSV row".to_string()),
                };
                match result {
                    Ok((lead, stage, at)) => each(&Change { line: number, lead, stage, at })?,
                    Err(message) => report(&mut progress, number, &message),
                }
            }
        }
    }
    progress.finish();
    Ok(unreadable)
}

/// The columns holding `id`, `stage` and `at` in a CSV header (cells compared ignoring case,
/// surrounding spaces and a byte-order mark; the first of repeated cells counts). An empty
/// header (an empty input) has no rows, so any columns do.
fn columns(header: &[String], name: &str) -> Result<[usize; 3], Failure> {
    let mut columns = [0; 3];
    if header.is_empty() {
        return Ok(columns);
    }
    for (column, key) in columns.iter_mut().zip(["id", "stage", "at"]) {
        let named = |cell: &String| cell.trim_start_matches('\u{feff}').trim().eq_ignore_ascii_case(key);
        *column = header.iter().position(named).ok_or_else(|| {
            let mut cells: Vec<String> = header.iter().take(8).map(|c| format!("`{c}`")).collect();
            if header.len() > 8 {
                cells.push("...".to_string());
            }
            Failure::usage(format!(
                "`{name}`: the CSV header has no `{key}` column (a history's header names `id`, `stage` \
                 and `at`, in any order; this one holds {})",
                cells.join(", ")
            ))
        })?;
    }
    Ok(columns)
}

/// A stage change from the cells of a CSV row.
fn csv_change<'a>(
    cells: impl Iterator<Item = &'a str>,
    width: usize,
    [id, stage, at]: [usize; 3],
    words: &mut StageWords<'_>,
) -> Result<(&'a str, StageIndex, DateTime<Utc>), String> {
    let mut found = [""; 3];
    let mut count = 0;
    for cell in cells {
        for (slot, column) in found.iter_mut().zip([id, stage, at]) {
            if column == count {
                *slot = cell;
            }
        }
        count += 1;
    }
    if count != width {
        return Err(format!("the row has {count} cells, the header {width}"));
    }
    let [lead, word, time] = found;
    if lead.is_empty() {
        return Err("`id` is empty".to_string());
    }
    Ok((lead, stage_of(word, words)?, time_of(time)?))
}

/// A stage change from one JSON line: the lead's id, the stage and the time.
fn json_change<'a>(
    text: &'a str,
    words: &mut StageWords<'_>,
) -> Result<(Cow<'a, str>, StageIndex, DateTime<Utc>), String> {
    let mut json = serde_json::Deserializer::from_str(text);
    let fields = json.deserialize_map(FieldsVisitor).and_then(|fields| json.end().map(|()| fields)).map_err(|e| {
        if e.is_data() {
            return "not a JSON object".to_string();
        }
        let message = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        format!("not valid JSON: {}", message.strip_suffix(&suffix).unwrap_or(&message))
    })?;
    let lead = match fields.id {
        None | Some(Scalar::Null) => return Err("missing key `id`".to_string()),
        Some(Scalar::Text(text)) if text.trim().is_empty() => return Err("`id` is empty".to_string()),
        Some(Scalar::Text(text)) => text,
        Some(Scalar::Number(n)) => Cow::Owned(n.to_string()),
        Some(Scalar::Other) => return Err("`id` is not a string or a number".to_string()),
    };
    let stage = match fields.stage {
        None | Some(Scalar::Null) => return Err("missing key `stage`".to_string()),
        Some(Scalar::Text(word)) => stage_of(&word, words)?,
        Some(_) => return Err("`stage` is not a string".to_string()),
    };
    let at = match fields.at {
        None | Some(Scalar::Null) => return Err("missing key `at`".to_string()),
        Some(Scalar::Text(text)) => time_of(&text)?,
        Some(_) => return Err("`at` is not a string".to_string()),
    };
    Ok((lead, stage, at))
}

/// The stage a history names, or why there is none.
fn stage_of(word: &str, words: &mut StageWords<'_>) -> Result<StageIndex, String> {
    if word.is_empty() {
        return Err("`stage` is empty".to_string());
    }
    words.find(word).ok_or_else(|| {
        let definition = words.definition();
        let hint = leadspec::diagnostic::did_you_mean(word, definition.stages().iter().map(|s| s.id()))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        format!("unknown stage `{word}`{hint}")
    })
}

/// The time a history gives, or why it is not one.
fn time_of(text: &str) -> Result<DateTime<Utc>, String> {
    if text.trim().is_empty() {
        return Err("`at` is empty".to_string());
    }
    leadspec::parse_reference_time(text).map_err(|_| format!("`at` is not an RFC 3339 date-time: `{text}`"))
}

/// The keys of a history line that matter, read without building a map: each value as
/// borrowed text when it holds no escapes.
#[derive(Default)]
struct Fields<'a> {
    id: Option<Scalar<'a>>,
    stage: Option<Scalar<'a>>,
    at: Option<Scalar<'a>>,
}

/// A JSON value, as far as a history line cares.
enum Scalar<'a> {
    Text(Cow<'a, str>),
    Number(serde_json::Number),
    Null,
    /// A boolean, an array or an object.
    Other,
}

/// The keys of a history line.
enum Key {
    Id,
    Stage,
    At,
    Other,
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
        let mut fields = Fields::default();
        // A repeated key counts with its last value, as in a JSON object read whole.
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Id => fields.id = Some(map.next_value()?),
                Key::Stage => fields.stage = Some(map.next_value()?),
                Key::At => fields.at = Some(map.next_value()?),
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(fields)
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "id" => Key::Id,
                    "stage" => Key::Stage,
                    "at" => Key::At,
                    _ => Key::Other,
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Scalar<'de>, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Borrowed(text)))
    }
    fn visit_str<E>(self, text: &str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Owned(text.to_string())))
    }
    fn visit_string<E>(self, text: String) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Owned(text)))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Number(n.into()))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Number(n.into()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Scalar<'de>, E> {
        Ok(serde_json::Number::from_f64(n).map_or(Scalar::Other, Scalar::Number))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Other)
    }
    fn visit_unit<E>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Scalar<'de>, D::Error> {
        Scalar::deserialize(deserializer)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(line: &str) -> Result<(String, &'static str, String), String> {
        let d = leadspec::default_definition();
        let mut words = StageWords::new(d);
        json_change(line, &mut words)
            .map(|(lead, stage, at)| (lead.into_owned(), d.stages()[stage].id(), leadspec::format_time(at)))
    }

    #[test]
    fn json_lines_read_only_the_three_keys() {
        let ok = |lead: &str, stage: &'static str, at: &str| Ok((lead.to_string(), stage, at.to_string()));
        assert_eq!(
            change(r#"{"x":[1,{"y":2}],"id":"L\"1","stage":"SQL","at":"2026-11-01","more":null}"#),
            ok("L\"1", "qualified_lead", "2026-11-01T00:00:00Z")
        );
        assert_eq!(
            change(r#"{"id":7,"stage":"won","at":"2026-11-01T10:00:00.5+01:00"}"#),
            ok("7", "customer", "2026-11-01T09:00:00.500Z")
        );
        assert_eq!(change(r#"{"id":1.5,"stage":"won","at":"2026-11-01"}"#).unwrap().0, "1.5");
        // The last of repeated keys counts.
        assert_eq!(change(r#"{"id":"A","id":"B","stage":"won","at":"2026-11-01"}"#).unwrap().0, "B");
    }

    #[test]
    fn each_unreadable_line_says_why() {
        let error = |line: &str| change(line).unwrap_err();
        assert_eq!(error(r#"{"stage":"won","at":"2026-11-01"}"#), "missing key `id`");
        assert_eq!(error(r#"{"id":null,"stage":"won","at":"2026-11-01"}"#), "missing key `id`");
        assert_eq!(error(r#"{"id":" ","stage":"won","at":"2026-11-01"}"#), "`id` is empty");
        assert_eq!(error(r#"{"id":true,"stage":"won","at":"2026-11-01"}"#), "`id` is not a string or a number");
        assert_eq!(error(r#"{"id":"A","at":"2026-11-01"}"#), "missing key `stage`");
        assert_eq!(error(r#"{"id":"A","stage":1,"at":"2026-11-01"}"#), "`stage` is not a string");
        assert_eq!(error(r#"{"id":"A","stage":"","at":"2026-11-01"}"#), "`stage` is empty");
        assert_eq!(
            error(r#"{"id":"A","stage":"qualifed_lead","at":"2026-11-01"}"#),
            "unknown stage `qualifed_lead` (did you mean `qualified_lead`?)"
        );
        assert_eq!(error(r#"{"id":"A","stage":"won"}"#), "missing key `at`");
        assert_eq!(error(r#"{"id":"A","stage":"won","at":["x"]}"#), "`at` is not a string");
        assert_eq!(error(r#"{"id":"A","stage":"won","at":"soon"}"#), "`at` is not an RFC 3339 date-time: `soon`");
        assert_eq!(error(r#"["A","won"]"#), "not a JSON object");
        assert!(error(r#"{"id":"A""#).starts_with("not valid JSON: "), "{}", error(r#"{"id":"A""#));
        assert!(error(r#"{"id":"A"} x"#).starts_with("not valid JSON: trailing characters"));
    }

    #[test]
    fn csv_cells_are_found_by_column() {
        let d = leadspec::default_definition();
        let mut words = StageWords::new(d);
        let row = |cells: &[&'static str]| csv_change(cells.iter().copied(), 4, [2, 0, 3], &mut StageWords::new(d));
        let (lead, stage, _) = row(&["Opportunity", "x", "007", "2026-11-01"]).unwrap();
        assert_eq!((lead, d.stages()[stage].id()), ("007", "prospect"));
        assert_eq!(row(&["won", "x", "", "2026-11-01"]).unwrap_err(), "`id` is empty");
        assert_eq!(row(&["won", "x", "A"]).unwrap_err(), "the row has 3 cells, the header 4");
        assert_eq!(row(&["won", "x", "A", ""]).unwrap_err(), "`at` is empty");
        assert!(csv_change(["A", "won", "2026-11-01"].into_iter(), 3, [0, 1, 2], &mut words).is_ok());
    }

    #[test]
    fn a_header_must_name_the_three_columns() {
        let header = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(columns(&header(&["At", " Stage ", "x", "ID"]), "h.csv").ok(), Some([3, 1, 0]));
        assert_eq!(columns(&header(&["\u{feff}id", "stage", "at", "id"]), "h.csv").ok(), Some([0, 1, 2]));
        let Err(Failure::Message(2, message)) = columns(&header(&["id", "status", "at"]), "h.csv") else {
            panic!("a missing column is a usage error")
        };
        assert_eq!(
            message,
            "`h.csv`: the CSV header has no `stage` column (a history's header names `id`, `stage` and `at`, \
             in any order; this one holds `id`, `status`, `at`)"
        );
    }

    /// The line each CSV row begins on, and its first cell (or the reason it is unreadable).
    fn rows(text: &str) -> Vec<(u64, String)> {
        let input: Box<dyn BufRead> = Box::new(io::Cursor::new(text.as_bytes().to_vec()));
        let limits = Limits { max_record_bytes: 64, ..Limits::default() };
        let mut rows = CsvRows::new(input, None, &limits, "t").unwrap();
        let mut found = Vec::new();
        while let Some((line, item)) = rows.next_numbered_row().unwrap() {
            found.push(match item {
                Item::Record(Row::Cells(cells)) => (line, cells.iter().next().unwrap_or_default().to_string()),
                Item::Record(_) => (line, "?".to_string()),
                Item::Unreadable(message) => (line, message),
            });
        }
        found
    }

    #[test]
    fn csv_rows_know_the_line_they_begin_on() {
        let lines = |found: Vec<(u64, String)>| found.into_iter().map(|(line, _)| line).collect::<Vec<_>>();
        assert_eq!(lines(rows("id,at\na,1\nb,2")), [2, 3]);
        // Blank lines (CRLF ones too) are skipped and counted.
        assert_eq!(lines(rows("\n\nid,at\r\n\r\na,1\r\n\n\nb,2\r\n")), [5, 8]);
        // A quoted cell over two lines: the next row begins two lines later.
        assert_eq!(rows("id,at\n\"a\nb\",1\nc,2\n"), [(2, "a\nb".to_string()), (4, "c".to_string())]);
        // A row over the limit is refused where it begins, and the next one still counted.
        let long = format!("id,at\n{},1\nc,2\n", "x".repeat(100));
        assert_eq!(rows(&long), [(2, "the row is longer than 64 bytes".to_string()), (3, "c".to_string())]);
    }
}
