//! Where each byte of a decoded TOML string came from in the file.
//!
//! A rule lives inside a TOML string; its lexer reports positions within the decoded text.
//! Quotes and escapes shift those positions, so they are mapped back through the raw text.

/// For the raw TOML string token `raw` (quotes included), the decoded text and, for each of
/// its bytes, the offset in `raw` it came from, plus one entry for the end.
///
/// Returns `None` for a token it does not recognise; callers then fall back to the token's start.
pub(crate) fn decode_with_offsets(raw: &str) -> Option<(String, Vec<usize>)> {
    let (quote, multiline) = if raw.starts_with("\"\"\"") {
        ('"', true)
    } else if raw.starts_with("'''") {
        ('\'', true)
    } else if raw.starts_with('"') {
        ('"', false)
    } else if raw.starts_with('\'') {
        ('\'', false)
    } else {
        return None;
    };
    let open = if multiline { 3 } else { 1 };
    let close = raw.len().checked_sub(open).filter(|&c| c >= open)?;
    let mut text = String::new();
    let mut offsets = Vec::new();
    let body = &raw[open..close];
    let mut chars = body.char_indices().peekable();
    if multiline {
        // A newline right after the opening delimiter is not part of the value.
        if body.starts_with("\r\n") {
            chars.next();
            chars.next();
        } else if body.starts_with('\n') {
            chars.next();
        }
    }
    let mut push = |text: &mut String, c: char, at: usize| {
        text.push(c);
        offsets.extend(std::iter::repeat_n(open + at, c.len_utf8()));
    };
    while let Some((at, c)) = chars.next() {
        if c != '\\' || quote == '\'' {
            push(&mut text, c, at);
            continue;
        }
        let (_, e) = chars.next()?;
        let simple = match e {
            'b' => Some('\u{8}'),
            't' => Some('\t'),
            'n' => Some('\n'),
            'f' => Some('\u{c}'),
            'r' => Some('\r'),
            'e' => Some('\u{1b}'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            _ => None,
        };
        if let Some(s) = simple {
            push(&mut text, s, at);
            continue;
        }
        let hex_len = match e {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            ' ' | '\t' | '\r' | '\n' if multiline => {
                // A line-ending backslash drops the break and the white space after it.
                while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
                    chars.next();
                }
                continue;
            }
            _ => return None,
        };
        let mut code = 0u32;
        for _ in 0..hex_len {
            code = code * 16 + chars.next()?.1.to_digit(16)?;
        }
        push(&mut text, char::from_u32(code)?, at);
    }
    offsets.push(close);
    Some((text, offsets))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, decoded: &str) -> Vec<usize> {
        let (text, offsets) = decode_with_offsets(raw).unwrap();
        assert_eq!(text, decoded);
        assert_eq!(offsets.len(), text.len() + 1);
        offsets
    }

    #[test]
    fn plain_strings_shift_by_the_quote() {
        let o = check("\"budgett >= 1\"", "budgett >= 1");
        assert_eq!(o[0], 1);
        assert_eq!(o[8], 9);
        check("'a\\b'", "a\\b");
    }

    #[test]
    fn escapes_shift_later_positions() {
        let o = check(r#""a\tb \"x\" c""#, "a\tb \"x\" c");
        assert_eq!(o[2], 4); // `b` sits after the two-byte escape
        let o = check(r#""\u00e9x""#, "éx");
        assert_eq!(o[2], 7);
    }

    #[test]
    fn multiline_strings_drop_the_first_newline_and_continuations() {
        let o = check("\"\"\"\nab \\\n   cd\"\"\"", "ab cd");
        assert_eq!(o[0], 4);
        assert_eq!(o[3], 12); // `c`, after the continuation and its indent
        check("'''\nx\ny'''", "x\ny");
    }
}
