//! Rows read ahead and owned: [`RowBatch`], so that reading an input and reading its rows
//! for a definition can happen on different threads.

use std::io::BufRead;
use std::ops::Range;

use super::records::{Cells, Place, Records, Row};
use super::{Item, ReadError, Unreadable};

/// A run of consecutive items of one input ([`Records::next_row`]: rows and unreadable
/// records), copied out of the reader so that they outlive the next row: one thread reads
/// the input into batches, others read each batch's rows for a definition
/// ([`Reader::prepare`](super::Reader::prepare)), as `leadspec classify --jobs N` does.
///
/// A batch keeps its memory when cleared, so one batch reused holds at most the largest run
/// it was given. Each item keeps what [`Records::next_row`] gave: a row's text and line, or
/// an unreadable record's reason.
///
/// ```
/// use leadspec::read::{Format, Item, Layout, Reader, RowBatch, Records};
///
/// let definition = leadspec::default_definition();
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let input = "id,email\nL-1,ann@example.com\nL-2\nL-3,cy@example.com\n";
/// let mut records = Records::new(input.as_bytes(), Layout::new(Format::Csv))?;
/// let reader = Reader::new(definition, &records);
///
/// // One thread reads two items at a time...
/// let mut batches = Vec::new();
/// loop {
///     let mut batch = RowBatch::new();
///     records.next_batch(&mut batch, 2, 64 << 10)?;
///     if batch.is_empty() {
///         break;
///     }
///     batches.push(batch);
/// }
/// assert_eq!(batches.iter().map(RowBatch::len).collect::<Vec<_>>(), [2, 1]);
///
/// // ...and each batch is read for the definition on a thread of its own.
/// let stages: Vec<Vec<String>> = std::thread::scope(|scope| {
///     let handles: Vec<_> = batches
///         .iter()
///         .map(|batch| {
///             let mut reader = reader.clone();
///             scope.spawn(move || {
///                 batch
///                     .iter()
///                     .map(|item| match item {
///                         Item::Record(row) => match reader.prepare(&row) {
///                             Ok(lead) => format!("{:?}", definition.stage_of(lead, now).unwrap().map(|i| i.position())),
///                             Err(why) => why.to_string(),
///                         },
///                         Item::Unreadable(why) => why.to_string(),
///                     })
///                     .collect()
///             })
///         })
///         .collect();
///     handles.into_iter().map(|h| h.join().unwrap()).collect()
/// });
/// assert_eq!(stages, [vec!["Some(0)", "the row has 1 cells but the header has 2"], vec!["Some(0)"]]);
/// # Ok::<(), leadspec::read::ReadError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct RowBatch {
    /// The rows' text, back to back.
    text: String,
    /// The cell ends of the CSV rows, each row's relative to its own text, back to back.
    ends: Vec<usize>,
    items: Vec<Entry>,
}

/// One item of a batch, its text a range of the batch's.
#[derive(Clone, Debug)]
enum Entry {
    Json { text: Range<usize>, place: Place, line: u64 },
    Cells { text: Range<usize>, ends: Range<usize>, line: u64 },
    Unreadable(Unreadable),
}

impl RowBatch {
    /// An empty batch.
    pub fn new() -> Self {
        RowBatch::default()
    }

    /// Adds one item (a copy of its text) at the end.
    pub fn push(&mut self, item: Item<Row<'_>>) {
        let entry = match item {
            Item::Unreadable(why) => Entry::Unreadable(why),
            Item::Record(Row::Json { text, place, line }) => Entry::Json { text: self.copy(text), place, line },
            Item::Record(Row::Cells(cells)) => {
                let (text, ends) = cells.parts();
                let start = self.ends.len();
                self.ends.extend_from_slice(ends);
                Entry::Cells { text: self.copy(text), ends: start..self.ends.len(), line: cells.line() }
            }
        };
        self.items.push(entry);
    }

    /// Copies `text` to the end of the batch's text; its range there.
    fn copy(&mut self, text: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.push_str(text);
        start..self.text.len()
    }

    /// The items, in the order pushed (an unreadable record's reason cloned).
    pub fn iter(&self) -> impl Iterator<Item = Item<Row<'_>>> + '_ {
        self.items.iter().map(|entry| match entry {
            Entry::Unreadable(why) => Item::Unreadable(why.clone()),
            Entry::Json { text, place, line } => Item::Record(Row::Json {
                text: self.text.get(text.clone()).unwrap_or_default(),
                place: *place,
                line: *line,
            }),
            Entry::Cells { text, ends, line } => Item::Record(Row::Cells(Cells::new(
                self.text.get(text.clone()).unwrap_or_default(),
                self.ends.get(ends.clone()).unwrap_or_default(),
                *line,
            ))),
        })
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the batch holds no item.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The bytes of row text held.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Removes every item, keeping the memory.
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.items.clear();
    }
}

impl<R: BufRead> Records<R> {
    /// Clears `batch` and reads the next items into it: up to `max_items`, and no more once
    /// it holds `max_bytes` of row text (so it holds at most `max_bytes` plus one row). An
    /// empty batch means the end of the input.
    ///
    /// # Errors
    ///
    /// As [`Records::next_row`]: the input cannot be read further. The batch then holds the
    /// items read before the error, and reading has ended.
    ///
    /// ```
    /// use leadspec::read::{Format, Item, Layout, Records, RowBatch};
    ///
    /// let limits = leadspec::Limits { max_record_bytes: 16, ..Default::default() };
    /// let input = "{\"id\": 1}\n\nnot json\n{\"id\": 4, \"note\": \"too long\"}\n";
    /// let mut records = Records::with_limits(input.as_bytes(), Layout::new(Format::JsonLines), &limits)?;
    /// let mut batch = RowBatch::new();
    /// records.next_batch(&mut batch, 100, 1 << 20)?;
    /// let lines: Vec<String> = batch
    ///     .iter()
    ///     .map(|item| match item {
    ///         Item::Record(row) => format!("row at line {}", row.line()),
    ///         Item::Unreadable(why) => why.to_string(),
    ///     })
    ///     .collect();
    /// // Blank lines are no records; whether a line is a JSON object is for a `Reader` to say.
    /// assert_eq!(lines, ["row at line 1", "row at line 3", "line 4: longer than 16 bytes"]);
    /// records.next_batch(&mut batch, 100, 1 << 20)?;
    /// assert!(batch.is_empty());
    /// # Ok::<(), leadspec::read::ReadError>(())
    /// ```
    pub fn next_batch(&mut self, batch: &mut RowBatch, max_items: usize, max_bytes: usize) -> Result<(), ReadError> {
        batch.clear();
        while batch.len() < max_items && batch.text_len() < max_bytes {
            match self.next_row() {
                None => break,
                Some(item) => batch.push(item?),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{Format, Layout};

    /// The items of `input` as `next_row` gives them, and as batches of `size` give them.
    fn both(input: &str, format: Format, size: usize) -> (Vec<String>, Vec<String>) {
        let show = |item: Item<Row<'_>>| match item {
            Item::Record(Row::Json { text, place, line }) => format!("json {text} {place} {line}"),
            Item::Record(Row::Cells(cells)) => format!("cells {cells:?} {}", cells.line()),
            Item::Unreadable(why) => format!("unreadable {why} {}", why.line()),
        };
        let mut records = Records::new(input.as_bytes(), Layout::new(format)).unwrap();
        let mut direct = Vec::new();
        while let Some(item) = records.next_row() {
            direct.push(show(item.unwrap()));
        }
        let mut records = Records::new(input.as_bytes(), Layout::new(format)).unwrap();
        let (mut batched, mut batch) = (Vec::new(), RowBatch::new());
        loop {
            records.next_batch(&mut batch, size, 1 << 20).unwrap();
            if batch.is_empty() {
                break;
            }
            assert!(batch.len() <= size);
            batched.extend(batch.iter().map(show));
        }
        (direct, batched)
    }

    #[test]
    fn batches_give_the_items_next_row_gives() {
        let csv = "id,note,n\n1,\"a,\nb\",2\n\n2,x\n3,\"\",\"\"\n4,é,ü\n";
        let jsonl = "{\"id\":1}\n\n[1]\nnope\n{\"id\":\"é\"}\r\n";
        let json = "[{\"id\":1}, 2, {\"id\":3}]";
        for size in [1, 2, 3, 100] {
            for (input, format) in [(csv, Format::Csv), (jsonl, Format::JsonLines), (json, Format::Json)] {
                let (direct, batched) = both(input, format, size);
                assert!(direct.len() >= 3, "{direct:?}");
                assert_eq!(direct, batched, "{format:?} in batches of {size}");
            }
        }
    }

    #[test]
    fn a_batch_stops_at_its_byte_bound() {
        let input = "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n";
        let mut records = Records::new(input.as_bytes(), Layout::new(Format::JsonLines)).unwrap();
        let mut batch = RowBatch::new();
        records.next_batch(&mut batch, 100, 8).unwrap();
        assert_eq!((batch.len(), batch.text_len()), (2, 14), "stops once it holds 8 bytes or more");
        records.next_batch(&mut batch, 100, 8).unwrap();
        assert_eq!(batch.len(), 1);
    }
}
