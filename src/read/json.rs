//! The two JSON layouts, cut into one value's text at a time: JSON Lines ([`JsonLines`],
//! a line each) and a JSON document ([`JsonDocument`], one object or an array of objects).
//! Neither parses a record: they find where it is, check its size and nesting, and hand its
//! text on, so that memory stays bounded by the record limit however long the input.

use std::io::{self, BufRead, Read};

use super::records::Place;
use super::Unreadable;
use crate::Limits;

/// JSON Lines, read with `read_until` so that a line that is not UTF-8 is one unreadable
/// record rather than a fatal error.
pub(crate) struct JsonLines<R> {
    reader: R,
    buf: Vec<u8>,
    line: u64,
    max_bytes: usize,
}

/// One non-blank line of a JSON Lines input.
pub(crate) enum Line<'a> {
    /// The line's text (UTF-8, without its line break) and its 1-based number.
    Text(&'a str, u64),
    /// A line that cannot be text: its 1-based number, the reason, and whether it looks
    /// like a CSV header (see [`looks_like_csv`]).
    Bad(u64, String, bool),
}

impl<R: BufRead> JsonLines<R> {
    /// Lines of `reader`, under the record limits.
    pub(crate) fn new(reader: R, limits: &Limits) -> Self {
        JsonLines { reader, buf: Vec::new(), line: 0, max_bytes: limits.max_record_bytes }
    }

    /// The next non-blank line, or `None` at the end.
    pub(crate) fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        let (start, end) = loop {
            self.buf.clear();
            let limit = self.max_bytes as u64 + 2;
            let n = (&mut self.reader).take(limit).read_until(b'\n', &mut self.buf)?;
            if n == 0 {
                return Ok(None);
            }
            self.line += 1;
            if self.buf.last() != Some(&b'\n') && self.buf.len() as u64 == limit {
                skip_rest_of_line(&mut self.reader)?;
                return Ok(Some(Line::Bad(self.line, format!("longer than {} bytes", self.max_bytes), false)));
            }
            let mut end = self.buf.len();
            while end > 0 && matches!(self.buf[end - 1], b'\n' | b'\r') {
                end -= 1;
            }
            if end > self.max_bytes {
                return Ok(Some(Line::Bad(self.line, format!("longer than {} bytes", self.max_bytes), false)));
            }
            // A byte-order mark, as some Windows tools write, is not part of the first line.
            let start = if self.line == 1 && self.buf.starts_with(b"\xEF\xBB\xBF") { 3.min(end) } else { 0 };
            if !self.buf[start..end].iter().all(u8::is_ascii_whitespace) {
                break (start, end);
            }
        };
        Ok(Some(match std::str::from_utf8(&self.buf[start..end]) {
            Ok(text) => Line::Text(text, self.line),
            Err(e) => Line::Bad(
                self.line,
                format!("not UTF-8 (invalid byte at column {})", e.valid_up_to() + 1),
                looks_like_csv(&self.buf[start..end]),
            ),
        }))
    }
}

/// Consumes input up to and including the next line break.
fn skip_rest_of_line<R: BufRead + ?Sized>(reader: &mut R) -> io::Result<()> {
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(());
        }
        match available.iter().position(|&b| b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = available.len();
                reader.consume(n);
            }
        }
    }
}

/// Appended to the error of a first JSON Lines record that looks like a CSV header. It names
/// the command line's option, as the message is the same wherever it is read.
pub(crate) const CSV_HINT: &str = "; is this CSV? use --format csv";

/// Whether a line that is not JSON looks like a CSV header: it holds `,`, `;` or a tab and
/// no `{`.
pub(crate) fn looks_like_csv(line: &[u8]) -> bool {
    !line.contains(&b'{') && line.iter().any(|b| matches!(b, b',' | b';' | b'\t'))
}

/// Why `text`, which holds no `{`, is not JSON at all (broken syntax, not a value of the
/// wrong kind), as the error a definition's reader would give it; `None` when it is JSON.
///
/// A text with no `{` cannot be an object, so reading it as one stops at its first value
/// whatever visitor reads it: the error is the one [`super::Reader::prepare`] would report.
pub(crate) fn syntax_error(text: &str) -> Option<String> {
    let mut json = serde_json::Deserializer::from_str(text);
    match serde::Deserializer::deserialize_map(&mut json, serde::de::IgnoredAny) {
        Err(e) if !e.is_data() => Some(json_error(&e)),
        _ => None,
    }
}

/// The deepest nesting of arrays and objects in a JSON text (strings skipped).
fn json_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// A JSON error without serde_json's position suffix, which means nothing on one line.
pub(crate) fn json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text).to_string();
    match e.classify() {
        serde_json::error::Category::Data => format!("not a JSON object ({message})"),
        _ => format!("not valid JSON at column {}: {message}", e.column()),
    }
}

/// Refuses a JSON text nested deeper than `max_depth` levels inside its top-level value.
pub(crate) fn check_depth(text: &str, max_depth: usize) -> Result<(), String> {
    // Nesting cannot exceed the number of opening brackets, which is cheap to count; only a
    // line with many of them is scanned properly.
    let openings = text.bytes().filter(|&b| b == b'[' || b == b'{').count();
    if openings > max_depth + 1 && json_depth(text) > max_depth + 1 {
        return Err(format!("nested deeper than {max_depth} levels"));
    }
    Ok(())
}

/// A JSON document read value by value: one object, or an array whose elements are read
/// one at a time, so that memory is bounded by the record limit whatever the document's
/// size. Each value's text is cut out by a small scanner (strings and nesting tracked) and
/// then parsed by serde_json like a JSON Lines line.
///
/// An element longer than [`Limits::max_record_bytes`], or that is not an object, is one
/// unreadable record; a document that breaks the array's own syntax (a missing `,`, text
/// after the closing `]`, an unterminated value) ends with one unreadable record naming the
/// line and column, after every element read before it.
pub(crate) struct JsonDocument<R> {
    reader: R,
    /// The value being read.
    buf: Vec<u8>,
    state: DocState,
    /// Elements of the array read so far.
    element: usize,
    max_bytes: usize,
    /// 1-based line and byte column of the next byte, for messages.
    line: u64,
    column: usize,
}

/// One value of a JSON document: its text, where it is, and the line it begins on.
pub(crate) type Value<'a> = (&'a str, Place, u64);

#[derive(Clone, Copy, PartialEq, Eq)]
enum DocState {
    Start,
    /// Inside the array; `first` until an element has been read.
    Array {
        first: bool,
    },
    /// After the one object, or the closing `]`: only white space may follow.
    Trailing,
    Done,
}

/// What scanning one value gave.
enum Scanned {
    /// The value's bytes are in the buffer.
    Value,
    /// The value is longer than the record limit (read through, not kept).
    TooLong,
    /// The input ended inside the value.
    Eof,
}

impl<R: BufRead> JsonDocument<R> {
    pub(crate) fn new(reader: R, limits: &Limits) -> Self {
        JsonDocument {
            reader,
            buf: Vec::new(),
            state: DocState::Start,
            element: 0,
            max_bytes: limits.max_record_bytes,
            line: 1,
            column: 1,
        }
    }

    /// Consumes `n` bytes of the reader's buffer, keeping the line and column.
    fn advance(&mut self, n: usize) -> io::Result<()> {
        let available = self.reader.fill_buf()?;
        let taken = &available[..n.min(available.len())];
        match taken.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.line += taken.iter().filter(|&&b| b == b'\n').count() as u64;
                self.column = taken.len() - last;
            }
            None => self.column += taken.len(),
        }
        let n = taken.len();
        self.reader.consume(n);
        Ok(())
    }

    /// The next byte that is not white space (not consumed), or `None` at the end.
    fn peek_past_space(&mut self) -> io::Result<Option<u8>> {
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                return Ok(None);
            }
            match available.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
                Some(i) => {
                    let byte = available[i];
                    self.advance(i)?;
                    return Ok(Some(byte));
                }
                None => {
                    let n = available.len();
                    self.advance(n)?;
                }
            }
        }
    }

    /// An error about the document's own syntax at the current position; reading stops.
    fn broken(&mut self, what: &str) -> Result<Value<'_>, Unreadable> {
        self.state = DocState::Done;
        Err(Unreadable::new(self.line, format!("line {}, column {}: not valid JSON: {what}", self.line, self.column)))
    }

    /// Reads one value starting at the next byte into the buffer (up to the record limit).
    fn scan(&mut self) -> io::Result<Scanned> {
        self.buf.clear();
        let (mut depth, mut in_string, mut escaped, mut too_long) = (0usize, false, false, false);
        let mut started = false;
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                // A scalar may end with the input; anything open may not.
                return Ok(if started && depth == 0 && !in_string { self.finish(too_long) } else { Scanned::Eof });
            }
            let mut end = None;
            for (i, &b) in available.iter().enumerate() {
                if !started {
                    started = true;
                    match b {
                        b'{' | b'[' => depth = 1,
                        b'"' => in_string = true,
                        _ => {}
                    }
                    continue;
                }
                if in_string {
                    match (escaped, b) {
                        (true, _) => escaped = false,
                        (false, b'\\') => escaped = true,
                        (false, b'"') => {
                            in_string = false;
                            if depth == 0 {
                                end = Some(i + 1);
                                break;
                            }
                        }
                        _ => {}
                    }
                    continue;
                }
                if depth == 0 {
                    // A scalar ends before a delimiter or white space.
                    if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                        end = Some(i);
                        break;
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let take = end.unwrap_or(available.len());
            if !too_long && self.buf.len() + take <= self.max_bytes {
                self.buf.extend_from_slice(&available[..take]);
            } else if !too_long {
                too_long = true;
                self.buf = Vec::new();
            }
            self.advance(take)?;
            if end.is_some() {
                return Ok(self.finish(too_long));
            }
        }
    }

    fn finish(&self, too_long: bool) -> Scanned {
        if too_long {
            Scanned::TooLong
        } else {
            Scanned::Value
        }
    }

    /// The next value: its text, place and line, or why it cannot be read; `None` at the end.
    pub(crate) fn next_value(&mut self) -> io::Result<Option<Result<Value<'_>, Unreadable>>> {
        loop {
            match self.state {
                DocState::Done => return Ok(None),
                DocState::Trailing => {
                    return Ok(match self.peek_past_space()? {
                        None => {
                            self.state = DocState::Done;
                            None
                        }
                        Some(_) => Some(self.broken("text after the end of the document")),
                    });
                }
                DocState::Start => {
                    // A byte-order mark, as some Windows tools write, is not JSON.
                    if self.reader.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
                        self.reader.consume(3);
                    }
                    match self.peek_past_space()? {
                        None => return Ok(Some(self.broken("the document is empty"))),
                        Some(b'[') => {
                            self.advance(1)?;
                            self.state = DocState::Array { first: true };
                        }
                        Some(_) => {
                            self.state = DocState::Trailing;
                            return Ok(Some(self.value(Place::Document)?));
                        }
                    }
                }
                DocState::Array { first } => {
                    match (first, self.peek_past_space()?) {
                        (_, Some(b']')) => {
                            self.advance(1)?;
                            self.state = DocState::Trailing;
                            continue;
                        }
                        (true, Some(_)) => {}
                        (false, Some(b',')) => {
                            self.advance(1)?;
                            if self.peek_past_space()?.is_none() {
                                return Ok(Some(self.broken("the array ends without `]`")));
                            }
                        }
                        (false, Some(_)) => return Ok(Some(self.broken("expected `,` or `]` after an element"))),
                        (_, None) => return Ok(Some(self.broken("the array ends without `]`"))),
                    }
                    self.state = DocState::Array { first: false };
                    self.element += 1;
                    return Ok(Some(self.value(Place::Element(self.element))?));
                }
            }
        }
    }

    /// Reads the value at the current position as the record at `place`.
    fn value(&mut self, place: Place) -> io::Result<Result<Value<'_>, Unreadable>> {
        let line = self.line;
        match self.scan()? {
            Scanned::Eof => Ok(self.broken("the document ends inside a value")),
            Scanned::TooLong => {
                Ok(Err(Unreadable::new(line, format!("{place}: longer than {} bytes", self.max_bytes))))
            }
            Scanned::Value => {
                let what = match self.buf.first() {
                    Some(b'{') => None,
                    Some(b'[') => Some("an array"),
                    Some(b'"') => Some("a string"),
                    Some(b't' | b'f') => Some("a boolean"),
                    Some(b'n') => Some("null"),
                    _ => Some("a number"),
                };
                if let Some(what) = what {
                    return Ok(Err(Unreadable::new(line, format!("{place}: not a JSON object but {what}"))));
                }
                match std::str::from_utf8(&self.buf) {
                    Ok(text) => Ok(Ok((text, place, line))),
                    Err(e) => Ok(Err(Unreadable::new(
                        line,
                        format!("{place}: not UTF-8 (invalid byte at byte {})", e.valid_up_to() + 1),
                    ))),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_broken_first_token_is_a_syntax_error() {
        assert_eq!(syntax_error("id,email").as_deref(), Some("not valid JSON at column 1: expected value"));
        assert_eq!(syntax_error("tru,e").as_deref(), Some("not valid JSON at column 4: expected ident"));
        // A value of the wrong kind is not a syntax error.
        assert_eq!(syntax_error("\"id\",\"email"), None);
        assert_eq!(syntax_error("[1,2;3]"), None);
        assert_eq!(syntax_error("12;13"), None);
    }

    #[test]
    fn nesting_is_counted_outside_strings() {
        assert_eq!(json_depth(r#"{"a":[{"b":"[[["}]}"#), 3);
        assert!(check_depth(&"[".repeat(66), 64).is_err());
        assert!(check_depth(&"[".repeat(65), 64).is_ok());
    }
}
