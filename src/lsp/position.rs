//! Positions as LSP counts them: a 0-based line and a 0-based column in UTF-16 code units
//! (the encoding every client must support), converted to and from byte offsets of the
//! document's UTF-8 text, and the edits of `textDocument/didChange` applied with them.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// The byte offsets where the lines of one text start, to convert positions quickly.
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    /// Indexes the lines of `text` (a line ends after `\n`; a `\r` before it is not part of
    /// the line's columns).
    pub(crate) fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The position of byte `offset` (clamped to the text and to a character boundary).
    pub(crate) fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts[line];
        let character: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(to_u32(line), to_u32(character))
    }

    /// The range of the bytes `start..end`.
    pub(crate) fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end.max(start)))
    }

    /// The byte offset of `position`. As LSP says, a column past the end of its line means
    /// the end of the line, and a line past the last means the end of the text; a column
    /// inside a character (between the halves of a surrogate pair) means its start.
    pub(crate) fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else { return self.text.len() };
        let line = &self.text[start..];
        let line = line.find('\n').map_or(line, |end| &line[..end]);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0;
        for (at, c) in line.char_indices() {
            units += c.len_utf16();
            if units > position.character as usize {
                return start + at;
            }
        }
        start + line.len()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Applies one change of `textDocument/didChange`: a range edit, or (no range) the whole
/// new text.
pub(crate) fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let lines = Lines::new(text);
            let start = lines.offset(range.start);
            let end = lines.offset(range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn ascii_positions_are_bytes() {
        let lines = Lines::new("ab\ncd\n");
        assert_eq!(lines.position(0), pos(0, 0));
        assert_eq!(lines.position(2), pos(0, 2));
        assert_eq!(lines.position(3), pos(1, 0));
        assert_eq!(lines.position(6), pos(2, 0));
        assert_eq!(lines.offset(pos(1, 1)), 4);
        assert_eq!(lines.offset(pos(2, 0)), 6);
    }

    #[test]
    fn columns_count_utf16_code_units() {
        // ë: 2 bytes, 1 unit; 出: 3 bytes, 1 unit; 😀: 4 bytes, 2 units.
        let text = "Zoë 出😀x\n";
        let lines = Lines::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(x, 12);
        assert_eq!(lines.position(x), pos(0, 7));
        assert_eq!(lines.offset(pos(0, 7)), x);
        assert_eq!(lines.offset(pos(0, 3)), text.find(' ').unwrap());
        assert_eq!(lines.offset(pos(0, 4)), text.find('出').unwrap());
        // Between the halves of the emoji: its start.
        assert_eq!(lines.offset(pos(0, 6)), text.find('😀').unwrap());
        // Inside a character's bytes: clamped back to its start.
        assert_eq!(lines.position(text.find('ë').unwrap() + 1), pos(0, 2));
        // Every boundary goes there and back.
        for (at, _) in text.char_indices() {
            assert_eq!(lines.offset(lines.position(at)), at);
        }
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let lines = Lines::new("ab\r\ncd");
        assert_eq!(lines.offset(pos(0, 99)), 2); // before the \r
        assert_eq!(lines.offset(pos(1, 99)), 6);
        assert_eq!(lines.offset(pos(7, 0)), 6);
        assert_eq!(lines.position(99), pos(1, 2));
    }

    #[test]
    fn changes_apply_in_utf16_ranges() {
        let mut text = "name = \"Zoë\"\nwhen = \"出 x\"\n".to_string();
        let edit = |start: Position, end: Position, new: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(start, end)),
            range_length: None,
            text: new.to_string(),
        };
        apply_change(&mut text, edit(pos(0, 11), pos(0, 11), "!"));
        assert_eq!(text, "name = \"Zoë!\"\nwhen = \"出 x\"\n");
        apply_change(&mut text, edit(pos(1, 10), pos(1, 11), "y😀"));
        assert_eq!(text, "name = \"Zoë!\"\nwhen = \"出 y😀\"\n");
        apply_change(&mut text, edit(pos(1, 11), pos(1, 13), ""));
        assert_eq!(text, "name = \"Zoë!\"\nwhen = \"出 y\"\n");
        apply_change(&mut text, edit(pos(0, 13), pos(1, 8), ""));
        assert_eq!(text, "name = \"Zoë!\"出 y\"\n");
        let whole = TextDocumentContentChangeEvent { range: None, range_length: None, text: "new".into() };
        apply_change(&mut text, whole);
        assert_eq!(text, "new");
    }
}
