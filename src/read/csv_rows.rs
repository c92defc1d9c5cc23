//! CSV rows under a header, in memory bounded by the record limit.

use std::io::{self, BufRead, Cursor, Read};

use super::records::{Cells, Row};
use super::{Item, ReadError, Unreadable};
use crate::Limits;

/// CSV rows under a header, parsed by `csv_core` into buffers that this reader grows only
/// up to the record limit: the `csv` crate's reader grows a record without bound, so a
/// file with no line break (or an unterminated quote) would take all memory. Records and
/// stage histories are both read with it.
pub(crate) struct CsvRows<R> {
    parser: csv_core::Reader,
    input: io::Chain<Cursor<Vec<u8>>, R>,
    header: Vec<String>,
    delimiter: u8,
    /// The 1-based line on which the row last read begins.
    row_line: u64,
    /// The current record's unescaped cells, back to back.
    output: Vec<u8>,
    /// The end of each cell in `output`.
    ends: Vec<usize>,
    max_bytes: usize,
}

/// What reading one CSV record gave.
enum CsvRead {
    /// A record: `output[..len]` with `ends[..count]`.
    Record { len: usize, count: usize },
    /// A record longer than the limit (read through and dropped).
    TooLong,
    /// The end of the input.
    End,
}

impl<R> CsvRows<R> {
    /// The header's cells.
    pub(crate) fn header(&self) -> &[String] {
        &self.header
    }

    /// The delimiter the rows are split on.
    pub(crate) fn delimiter(&self) -> u8 {
        self.delimiter
    }
}

impl<R: BufRead> CsvRows<R> {
    /// Reads the header of `reader`; the delimiter is `delimiter`, else sniffed from the
    /// header line (see [`sniff_delimiter`]). An input with no line at all has an empty
    /// header and no rows.
    pub(crate) fn new(mut reader: R, delimiter: Option<u8>, limits: &Limits) -> Result<CsvRows<R>, ReadError> {
        // The header line decides the delimiter when none is given: read it first, then
        // parse it again with the rest of the input.
        let mut first = Vec::new();
        (&mut reader)
            .take(limits.max_record_bytes as u64 + 1)
            .read_until(b'\n', &mut first)
            .map_err(|e| ReadError::io(e, 0))?;
        let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(&first));
        let parser = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        let mut rows = CsvRows {
            parser,
            input: Cursor::new(first).chain(reader),
            header: Vec::new(),
            delimiter,
            row_line: 0,
            output: vec![0; 4096],
            ends: vec![0; 64],
            max_bytes: limits.max_record_bytes,
        };
        match rows.read().map_err(|e| ReadError::io(e, 0))? {
            CsvRead::End => {}
            CsvRead::TooLong => return Err(ReadError::header_too_long(rows.max_bytes)),
            CsvRead::Record { len, count } => {
                let mut start = 0;
                for (i, &end) in rows.ends[..count].iter().enumerate() {
                    let cell = std::str::from_utf8(&rows.output[start..end.min(len)])
                        .map_err(|_| ReadError::header_not_utf8(i + 1))?;
                    rows.header.push(cell.to_string());
                    start = end;
                }
            }
        }
        Ok(rows)
    }

    /// Reads one record into `output` and `ends`, growing them up to the record limit; a
    /// longer record is read through without being kept.
    fn read(&mut self) -> io::Result<CsvRead> {
        use csv_core::ReadRecordResult as R;
        self.skip_blank_lines()?;
        self.row_line = self.parser.line();
        let (mut len, mut count, mut too_long) = (0usize, 0usize, false);
        loop {
            let input = self.input.fill_buf()?;
            let (result, read, written, ended) =
                self.parser.read_record(input, &mut self.output[len..], &mut self.ends[count..]);
            self.input.consume(read);
            len += written;
            count += ended;
            match result {
                R::InputEmpty => {}
                R::OutputFull | R::OutputEndsFull => {
                    let in_use = len + count * std::mem::size_of::<usize>();
                    if too_long || in_use >= self.max_bytes {
                        // Keep parsing to the record's end, writing over the same buffers.
                        too_long = true;
                        len = 0;
                        count = 0;
                    } else if result == R::OutputFull {
                        let grown = (self.output.len() * 2).min(self.max_bytes + 1);
                        self.output.resize(grown.max(self.output.len() + 1), 0);
                    } else {
                        let grown = self.ends.len() * 2;
                        self.ends.resize(grown, 0);
                    }
                }
                R::Record if too_long => return Ok(CsvRead::TooLong),
                R::Record if len > self.max_bytes => return Ok(CsvRead::TooLong),
                R::Record => return Ok(CsvRead::Record { len, count }),
                R::End => return Ok(CsvRead::End),
            }
        }
    }

    /// Consumes the line breaks before the next record, counting the lines as the parser
    /// would (it skips blank lines too, but then the line a record begins on is not known).
    fn skip_blank_lines(&mut self) -> io::Result<()> {
        loop {
            let available = self.input.fill_buf()?;
            let blank = available.iter().take_while(|&&b| b == b'\n' || b == b'\r').count();
            if blank == 0 {
                return Ok(());
            }
            let newlines = available[..blank].iter().filter(|&&b| b == b'\n').count() as u64;
            self.input.consume(blank);
            self.parser.set_line(self.parser.line() + newlines);
        }
    }

    /// The next row, or why it cannot be read; `None` at the end. Each knows the 1-based
    /// line it begins on.
    pub(crate) fn next_row(&mut self) -> io::Result<Option<Item<Row<'_>>>> {
        let read = self.read()?;
        Ok(self.row(read))
    }

    /// The row just read, as text cells.
    fn row(&self, read: CsvRead) -> Option<Item<Row<'_>>> {
        let line = self.row_line;
        let (len, count) = match read {
            CsvRead::End => return None,
            CsvRead::TooLong => {
                let message = format!("the row is longer than {} bytes", self.max_bytes);
                return Some(Item::Unreadable(Unreadable::new(line, message)));
            }
            CsvRead::Record { len, count } => (len, count),
        };
        let output = &self.output[..len];
        let ends = &self.ends[..count];
        let text = match std::str::from_utf8(output) {
            Ok(text) => text,
            Err(e) => {
                let cell = ends.iter().position(|&end| end > e.valid_up_to()).map_or(count, |i| i + 1);
                return Some(Item::Unreadable(Unreadable::new(line, format!("cell {cell} of the row is not UTF-8"))));
            }
        };
        // Each cell on its own must be text: two cells can split one character.
        if let Some(i) = ends.iter().position(|&end| !text.is_char_boundary(end)) {
            return Some(Item::Unreadable(Unreadable::new(line, format!("cell {} of the row is not UTF-8", i + 1))));
        }
        Some(Item::Record(Row::Cells(Cells::new(text, ends, line))))
    }
}

/// The delimiter a CSV header line implies: `,`, else `;` or a tab when the line holds one
/// of those and no `,` (a tab when it holds both).
fn sniff_delimiter(line: &[u8]) -> u8 {
    let has = |b: u8| line.contains(&b);
    match (has(b','), has(b';'), has(b'\t')) {
        (true, _, _) => b',',
        (false, _, true) => b'\t',
        (false, true, false) => b';',
        _ => b',',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line each CSV row begins on, and its first cell (or the reason it is unreadable).
    fn rows(text: &str) -> Vec<(u64, String)> {
        let limits = Limits { max_record_bytes: 64, ..Limits::default() };
        let mut rows = CsvRows::new(text.as_bytes(), None, &limits).unwrap();
        let mut found = Vec::new();
        while let Some(item) = rows.next_row().unwrap() {
            found.push(match item {
                Item::Record(row) => {
                    let cell = match row {
                        Row::Cells(cells) => cells.iter().next().unwrap_or_default().to_string(),
                        Row::Json { .. } => "?".to_string(),
                    };
                    (row.line(), cell)
                }
                Item::Unreadable(why) => (why.line(), why.to_string()),
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

    #[test]
    fn the_header_line_decides_the_delimiter() {
        assert_eq!(sniff_delimiter(b"id;email\tx,y\n"), b',');
        assert_eq!(sniff_delimiter(b"id;email\tx\n"), b'\t');
        assert_eq!(sniff_delimiter(b"id;email\n"), b';');
        assert_eq!(sniff_delimiter(b"id\n"), b',');
        let rows = CsvRows::new("a;b\n1;2\n".as_bytes(), None, &Limits::default()).unwrap();
        assert_eq!((rows.header(), rows.delimiter()), (&["a".to_string(), "b".to_string()][..], b';'));
    }

    #[test]
    fn a_header_that_cannot_be_read_is_an_error() {
        let limits = Limits { max_record_bytes: 8, ..Limits::default() };
        let error = CsvRows::new("abcdefgh,i\n1\n".as_bytes(), None, &limits).err().unwrap();
        assert_eq!(error.to_string(), "the CSV header is longer than 8 bytes");
        let error = CsvRows::new(&b"a,\xff\n"[..], None, &Limits::default()).err().unwrap();
        assert_eq!(error.to_string(), "the CSV header is not UTF-8 (column 2)");
        assert!(error.is_header() && !error.is_io());
    }
}
