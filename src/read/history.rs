//! Stage histories, one change at a time: [`Changes`] reads a history for a definition and
//! yields each [`Change`] with its stage resolved.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::de::Deserialize;

use super::csv_rows::CsvRows;
use super::json::{JsonDocument, JsonLines, Line};
use super::records::{Place, Row};
use super::{Format, Item, Layout, ReadError, Unreadable};
use crate::history::line::{time, LineFields, NOT_AN_OBJECT};
use crate::history::StageWords;
use crate::{Definition, Limits, StageIndex};

/// One stage change read from a history: a lead entered a stage at a time. The lead's id
/// borrows the [`Changes`] that read it, until the next change; the stage is resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change<'a> {
    /// The 1-based line the change was read from.
    pub line: u64,
    /// The lead's id, as text.
    pub lead: &'a str,
    /// The stage entered.
    pub stage: StageIndex,
    /// When.
    pub at: DateTime<Utc>,
}

/// The stage changes of one history, read one at a time for one definition, in input
/// order. Nothing is kept beyond the line being read: what to keep is the business of a
/// [`Replayer`](crate::history::Replayer) or a
/// [`WaterfallCounter`](crate::history::WaterfallCounter).
///
/// A history is written as JSON Lines, one `{"id":"L1","stage":"mql","at":"<RFC 3339>"}` a
/// line (other keys are ignored), or as CSV under a header naming `id`, `stage` and `at` in
/// any order (other columns are ignored; a header cell matches ignoring case, surrounding
/// spaces and a byte-order mark). Given [`Format::Json`], it reads a JSON document holding
/// such objects, one object or an array of them (the command line does not).
///
/// - `id` is text: in JSON a string (a number is taken as its text), in CSV the cell as
///   written; an empty one makes the change unreadable.
/// - `stage` is a stage's id, an alias or its display name, in any case, as
///   [`Definition::find_stage`] reads it.
/// - `at` is an RFC 3339 date-time, or a plain `YYYY-MM-DD` (00:00 UTC).
///
/// A line that is not UTF-8, not a JSON object, lacks a key, has a value of the wrong kind
/// or names a stage the definition lacks, and a CSV row whose number of cells differs from
/// the header's or that is longer than the record limit, is [`Item::Unreadable`], with the
/// line it is on; reading goes on. A CSV header that lacks one of the three columns is a
/// [`ReadError`] ([`ReadError::missing_column`]).
///
/// ```
/// use leadspec::Replayer;
/// use leadspec::read::{Changes, Format, Item, Layout};
///
/// let definition = leadspec::default_definition();
/// let history = "\
///     id,stage,at\n\
///     L1,contact,2026-11-01\n\
///     L1,Hand-Raiser,2026-11-03T09:30:00Z\n\
///     L2,quailfied_lead,2026-11-02\n";
/// let mut changes = Changes::new(history.as_bytes(), Layout::new(Format::Csv), definition)?;
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let mut replayer = Replayer::new(definition, now);
/// let mut unreadable = Vec::new();
/// while let Some(item) = changes.next_change() {
///     match item? {
///         Item::Record(change) => replayer.push(change.lead, change.stage, change.at).unwrap(),
///         Item::Unreadable(why) => unreadable.push(format!("{}: {why}", why.line())),
///     }
/// }
/// assert_eq!(unreadable, ["4: unknown stage `quailfied_lead` (did you mean `qualified_lead`?)"]);
/// let stays: Vec<_> = replayer.finish().collect();
/// assert_eq!(stays.len(), 2);
/// assert_eq!(definition.stage_at(stays[1].stage).unwrap().id(), "inquiry"); // an alias, in any case
/// # Ok::<(), leadspec::read::ReadError>(())
/// ```
pub struct Changes<'d, R> {
    source: Source<R>,
    words: StageWords<'d>,
    /// The id of the change last read when it is not in the input as written (a JSON
    /// string with escapes, or a number): the change borrows it.
    lead: String,
    /// Changes and unreadable lines yielded so far.
    count: usize,
    /// Whether reading stopped at an error.
    failed: bool,
}

enum Source<R> {
    JsonLines(JsonLines<R>),
    Json(JsonDocument<R>),
    /// CSV rows, with the columns holding `id`, `stage` and `at`.
    Csv(Box<CsvRows<R>>, [usize; 3]),
}

impl<R> fmt::Debug for Changes<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let format = match self.source {
            Source::JsonLines(_) => Format::JsonLines,
            Source::Json(_) => Format::Json,
            Source::Csv(..) => Format::Csv,
        };
        f.debug_struct("Changes")
            .field("definition", &self.words.definition().name())
            .field("format", &format)
            .field("lines_read", &self.count)
            .finish_non_exhaustive()
    }
}

impl<'d> Changes<'d, BufReader<File>> {
    /// Opens the history at `path`, in the layout its extension implies as `leadspec sla`
    /// reads it ([`Layout::guess_history`]: `.csv` and `.tsv` are CSV, anything else JSON
    /// Lines). A CSV file's header is read now.
    pub fn open(path: impl AsRef<Path>, definition: &'d Definition) -> Result<Self, ReadError> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| ReadError::io(e, 0))?;
        Changes::new(BufReader::with_capacity(64 << 10, file), Layout::guess_history(Some(path), None), definition)
    }
}

impl<'d, R: BufRead> Changes<'d, R> {
    /// Reads the changes `input` holds, written in `layout`, naming stages of `definition`,
    /// under the default [`Limits`]. A CSV input's header is read now: it must name the
    /// three columns, unless the input ends before it (no changes).
    pub fn new(input: R, layout: Layout, definition: &'d Definition) -> Result<Self, ReadError> {
        Changes::with_limits(input, layout, definition, &Limits::default())
    }

    /// [`Changes::new`] under `limits`: [`Limits::max_record_bytes`] bounds each line, CSV
    /// row and JSON document element.
    pub fn with_limits(
        input: R,
        layout: Layout,
        definition: &'d Definition,
        limits: &Limits,
    ) -> Result<Self, ReadError> {
        let source = match layout.format {
            Format::JsonLines => Source::JsonLines(JsonLines::new(input, limits)),
            Format::Json => Source::Json(JsonDocument::new(input, limits)),
            Format::Csv => {
                let rows = CsvRows::new(input, layout.delimiter, limits)?;
                let columns = columns(rows.header())?;
                Source::Csv(Box::new(rows), columns)
            }
        };
        Ok(Changes { source, words: StageWords::new(definition), lead: String::new(), count: 0, failed: false })
    }

    /// The definition whose stages the history names.
    pub fn definition(&self) -> &'d Definition {
        self.words.definition()
    }

    /// The next change, or why its line cannot be read; `None` at the end. An error (the
    /// input cannot be read) ends the changes: `None` follows it.
    ///
    /// ```
    /// use leadspec::read::{Change, Changes, Format, Item, Layout};
    ///
    /// let definition = leadspec::default_definition();
    /// let history = r#"{"id": 17, "stage": "SQL", "at": "2026-11-03T09:30:00+01:00", "by": "ann"}
    /// {"id": "L2", "stage": "contact"}
    /// "#;
    /// let mut changes = Changes::new(history.as_bytes(), Layout::new(Format::JsonLines), definition)?;
    /// let Some(Ok(Item::Record(change))) = changes.next_change() else { panic!("a change") };
    /// let Change { line, lead, stage, at } = change;
    /// assert_eq!((line, lead), (1, "17")); // a number is taken as its text
    /// assert_eq!(definition.stage_at(stage).map(|s| s.id()), Some("qualified_lead")); // an alias
    /// assert_eq!(at, leadspec::parse_reference_time("2026-11-03T08:30:00Z").unwrap());
    /// let Some(Ok(Item::Unreadable(why))) = changes.next_change() else { panic!("no `at`") };
    /// assert_eq!(why.line(), 2);
    /// assert!(changes.next_change().is_none());
    /// # Ok::<(), leadspec::read::ReadError>(())
    /// ```
    pub fn next_change(&mut self) -> Option<Result<Item<Change<'_>>, ReadError>> {
        if self.failed {
            return None;
        }
        let Changes { source, words, lead, count, failed } = self;
        let item = match source {
            Source::JsonLines(lines) => lines.next_line().map(|line| {
                line.map(|line| match line {
                    Line::Bad(number, message, _) => Item::Unreadable(Unreadable::new(number, message)),
                    Line::Text(text, number) => json_item(text, number, None, words, lead),
                })
            }),
            Source::Json(document) => document.next_value().map(|value| {
                value.map(|value| match value {
                    Err(why) => Item::Unreadable(why),
                    Ok((text, place, line)) => json_item(text, line, Some(place), words, lead),
                })
            }),
            Source::Csv(rows, columns) => {
                let (width, columns) = (rows.header().len(), *columns);
                rows.next_row().map(|row| {
                    row.map(|item| match item {
                        Item::Unreadable(why) => Item::Unreadable(why),
                        Item::Record(Row::Cells(cells)) => match csv_change(cells.iter(), width, columns, words) {
                            Ok((lead, stage, at)) => Item::Record(Change { line: cells.line(), lead, stage, at }),
                            Err(message) => Item::Unreadable(Unreadable::new(cells.line(), message)),
                        },
                        Item::Record(row) => Item::Unreadable(Unreadable::new(row.line(), "not a CSV row".to_string())),
                    })
                })
            }
        };
        match item {
            Ok(Some(item)) => {
                *count += 1;
                Some(Ok(item))
            }
            Ok(None) => None,
            Err(e) => {
                *failed = true;
                Some(Err(ReadError::io(e, *count)))
            }
        }
    }
}

/// The change one JSON object holds (at `place` in a JSON document), or why it cannot be
/// read. An id that is not in `text` as written is kept in `owned`, which the change borrows.
fn json_item<'a>(
    text: &'a str,
    line: u64,
    place: Option<Place>,
    words: &mut StageWords<'_>,
    owned: &'a mut String,
) -> Item<Change<'a>> {
    match json_change(text, words) {
        Ok((lead, stage, at)) => {
            let lead = match lead {
                Cow::Borrowed(lead) => lead,
                Cow::Owned(lead) => {
                    *owned = lead;
                    owned.as_str()
                }
            };
            Item::Record(Change { line, lead, stage, at })
        }
        Err(message) => Item::Unreadable(Unreadable::new(
            line,
            match place {
                Some(place) => format!("{place}: {message}"),
                None => message,
            },
        )),
    }
}

/// The columns holding `id`, `stage` and `at` in a CSV header (cells compared ignoring case,
/// surrounding spaces and a byte-order mark; the first of repeated cells counts). An empty
/// header (an empty input) has no rows, so any columns do.
fn columns(header: &[String]) -> Result<[usize; 3], ReadError> {
    let mut columns = [0; 3];
    if header.is_empty() {
        return Ok(columns);
    }
    for (column, key) in columns.iter_mut().zip(["id", "stage", "at"]) {
        let named = |cell: &String| cell.trim_start_matches('\u{feff}').trim().eq_ignore_ascii_case(key);
        *column = header.iter().position(named).ok_or_else(|| ReadError::no_column(key, header))?;
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
    let [lead, word, at] = found;
    if lead.is_empty() {
        return Err("`id` is empty".to_string());
    }
    Ok((lead, stage_of(word, words)?, time(at)?))
}

/// A stage change from one JSON object: the lead's id, the stage and the time.
fn json_change<'a>(
    text: &'a str,
    words: &mut StageWords<'_>,
) -> Result<(Cow<'a, str>, StageIndex, DateTime<Utc>), String> {
    let mut json = serde_json::Deserializer::from_str(text);
    let mut fields =
        LineFields::deserialize(&mut json).and_then(|fields| json.end().map(|()| fields)).map_err(|e| {
            if e.is_data() {
                return NOT_AN_OBJECT.to_string();
            }
            let message = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            format!("not valid JSON: {}", message.strip_suffix(&suffix).unwrap_or(&message))
        })?;
    let lead = fields.lead()?;
    let stage = stage_of(&fields.stage()?, words)?;
    Ok((lead, stage, fields.at()?))
}

/// The stage a history names, or why there is none.
fn stage_of(word: &str, words: &mut StageWords<'_>) -> Result<StageIndex, String> {
    if word.is_empty() {
        return Err("`stage` is empty".to_string());
    }
    words.find(word).ok_or_else(|| {
        let definition = words.definition();
        let hint = crate::diagnostic::did_you_mean(word, definition.stages().iter().map(|s| s.id()))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        format!("unknown stage `{word}`{hint}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(line: &str) -> Result<(String, &'static str, String), String> {
        let d = crate::default_definition();
        let mut words = StageWords::new(d);
        json_change(line, &mut words)
            .map(|(lead, stage, at)| (lead.into_owned(), d.stages()[stage.position()].id(), crate::format_time(at)))
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
        // The checks of the three values are `history::line`'s (tested there); here, what
        // reading a line adds: the stage resolved, and JSON that does not parse.
        let error = |line: &str| change(line).unwrap_err();
        assert_eq!(error(r#"{"stage":"won","at":"2026-11-01"}"#), "missing key `id`");
        assert_eq!(
            error(r#"{"id":"A","stage":"qualifed_lead","at":"soon"}"#),
            "unknown stage `qualifed_lead` (did you mean `qualified_lead`?)"
        );
        assert_eq!(error(r#"{"id":"A","stage":"won","at":"soon"}"#), "`at` is not an RFC 3339 date-time: `soon`");
        assert_eq!(error(r#"["A","won"]"#), "not a JSON object");
        assert!(error(r#"{"id":"A""#).starts_with("not valid JSON: "), "{}", error(r#"{"id":"A""#));
        assert!(error(r#"{"id":"A"} x"#).starts_with("not valid JSON: trailing characters"));
    }

    #[test]
    fn csv_cells_are_found_by_column() {
        let d = crate::default_definition();
        let mut words = StageWords::new(d);
        let row = |cells: &[&'static str]| csv_change(cells.iter().copied(), 4, [2, 0, 3], &mut StageWords::new(d));
        let (lead, stage, _) = row(&["Opportunity", "x", "007", "2026-11-01"]).unwrap();
        assert_eq!((lead, d.stages()[stage.position()].id()), ("007", "prospect"));
        assert_eq!(row(&["won", "x", "", "2026-11-01"]).unwrap_err(), "`id` is empty");
        assert_eq!(row(&["won", "x", "A"]).unwrap_err(), "the row has 3 cells, the header 4");
        assert_eq!(row(&["won", "x", "A", ""]).unwrap_err(), "`at` is empty");
        assert!(csv_change(["A", "won", "2026-11-01"].into_iter(), 3, [0, 1, 2], &mut words).is_ok());
    }

    #[test]
    fn a_header_must_name_the_three_columns() {
        let header = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(columns(&header(&["At", " Stage ", "x", "ID"])).ok(), Some([3, 1, 0]));
        assert_eq!(columns(&header(&["\u{feff}id", "stage", "at", "id"])).ok(), Some([0, 1, 2]));
        let error = columns(&header(&["id", "status", "at"])).unwrap_err();
        assert_eq!(error.missing_column(), Some("stage"));
        assert!(error.is_header() && !error.is_io());
        assert_eq!(
            error.to_string(),
            "the CSV header has no `stage` column (a history's header names `id`, `stage` and `at`, \
             in any order; this one holds `id`, `status`, `at`)"
        );
        let wide: Vec<String> = (0..10).map(|i| format!("c{i}")).collect();
        assert!(columns(&wide)
            .unwrap_err()
            .to_string()
            .ends_with("this one holds `c0`, `c1`, `c2`, `c3`, `c4`, `c5`, `c6`, `c7`, ...)"));
    }

    /// Every change or unreadable line of `text`, as `line: lead stage at` or `line: why`.
    fn read(text: &str, format: Format) -> Vec<String> {
        let d = crate::default_definition();
        let mut changes = Changes::new(text.as_bytes(), Layout::new(format), d).unwrap();
        let mut found = Vec::new();
        while let Some(item) = changes.next_change() {
            found.push(match item.unwrap() {
                Item::Record(c) => {
                    format!(
                        "{}: {} {} {}",
                        c.line,
                        c.lead,
                        d.stages()[c.stage.position()].id(),
                        crate::format_time(c.at)
                    )
                }
                Item::Unreadable(why) => format!("{}: {why}", why.line()),
            });
        }
        found
    }

    #[test]
    fn every_layout_gives_changes_with_their_lines() {
        let jsonl = "{\"id\":\"A\\u0031\",\"stage\":\"won\",\"at\":\"2026-11-01\"}\n\n{\"id\":\n\
                     {\"id\":2,\"stage\":\"x\",\"at\":\"2026-11-01\"}\n";
        assert_eq!(
            read(jsonl, Format::JsonLines),
            [
                "1: A1 customer 2026-11-01T00:00:00Z",
                "3: not valid JSON: EOF while parsing a value",
                "4: unknown stage `x`",
            ]
        );
        let json = "[{\"id\":\"A\",\"stage\":\"won\",\"at\":\"2026-11-01\"},\n 3,\n {\"id\":\"B\"}]";
        assert_eq!(
            read(json, Format::Json),
            [
                "1: A customer 2026-11-01T00:00:00Z",
                "2: array element 2: not a JSON object but a number",
                "3: array element 3: missing key `stage`",
            ]
        );
        let csv = "stage;id;at\nwon;A;2026-11-01\n;B;2026-11-01\n";
        assert_eq!(read(csv, Format::Csv), ["2: A customer 2026-11-01T00:00:00Z", "3: `stage` is empty"]);
        assert!(read("", Format::Csv).is_empty(), "an empty history has no header and no changes");
    }
}
