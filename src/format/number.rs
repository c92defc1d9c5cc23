//! Reading number text as a field writes it (`thousands`, `decimal`, `currency`): the
//! marks and currency are taken off, then the plain decimal rules apply.

use super::{trim, FieldFormat};
use crate::number_text::parse_number;

/// The currency signs `currency = true` accepts.
const CURRENCY_SIGNS: [char; 4] = ['$', '€', '£', '¥'];

/// `text` without a currency sign or three-letter upper-case code at its start, if it has one.
fn strip_currency_prefix(text: &str) -> Option<&str> {
    if let Some(rest) = text.strip_prefix(CURRENCY_SIGNS) {
        return Some(rest);
    }
    let code = text.get(..3)?;
    code.bytes().all(|b| b.is_ascii_uppercase()).then(|| &text[3..])
}

/// `text` without a currency sign or code at its end, if it has one.
fn strip_currency_suffix(text: &str) -> Option<&str> {
    if let Some(rest) = text.strip_suffix(CURRENCY_SIGNS) {
        return Some(rest);
    }
    let cut = text.len().checked_sub(3)?;
    let code = text.get(cut..)?;
    code.bytes().all(|b| b.is_ascii_uppercase()).then(|| &text[..cut])
}

/// The space allowed between a number and its currency: one space or no-break space.
fn is_currency_space(c: char) -> bool {
    c == ' ' || c == '\u{a0}'
}

/// Splits a trimmed currency amount into its sign (written before a currency) and the
/// number's own text: `-$5` gives `('-', "5")`, `12.500,00 €` gives `("12.500,00")`.
fn strip_currency(text: &str) -> Option<(Option<char>, &str)> {
    let (sign, rest) = match text.strip_prefix(['+', '-']) {
        Some(rest) => (text.chars().next(), rest),
        None => (None, text),
    };
    if let Some(after) = strip_currency_prefix(rest) {
        let after = after.strip_prefix(is_currency_space).unwrap_or(after);
        if sign.is_some() && after.starts_with(['+', '-']) {
            return None;
        }
        return Some((sign, after));
    }
    if let Some(before) = strip_currency_suffix(text) {
        let before = before.strip_suffix(is_currency_space).unwrap_or(before);
        return Some((None, before));
    }
    Some((None, text))
}

/// Reads a number as `format` writes it: trimmed text, an optional currency, thousands
/// separators between digits dropped, the decimal mark read as `.`; then the plain
/// decimal rules (`25000`, `2.5`, `1e3`, finite).
pub(crate) fn read_number(text: &str, format: &FieldFormat) -> Option<f64> {
    let text = trim(text);
    if format.plain_numbers() {
        return parse_number(text);
    }
    let (sign, body) = if format.currency { strip_currency(text)? } else { (None, text) };
    let mut out = NumberText::default();
    if let Some(sign) = sign {
        out.push(sign)?;
    }
    let mut previous: Option<char> = None;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        let between_digits =
            previous.is_some_and(|p| p.is_ascii_digit()) && chars.peek().is_some_and(char::is_ascii_digit);
        previous = Some(c);
        if Some(c) == format.thousands && between_digits {
            continue;
        }
        if c == format.decimal {
            out.push('.')?;
        } else if c == '.' {
            // A `.` that is neither the decimal mark nor a thousands separator.
            return None;
        } else {
            out.push(c)?;
        }
    }
    parse_number(out.as_str())
}

/// The text of a number being rebuilt: on the stack while it is short, as most are.
struct NumberText {
    bytes: [u8; 64],
    len: usize,
    spilled: Vec<u8>,
}

impl Default for NumberText {
    fn default() -> Self {
        NumberText { bytes: [0; 64], len: 0, spilled: Vec::new() }
    }
}

impl NumberText {
    /// Appends `c`; `None` (the number is invalid) for a character no plain decimal holds.
    fn push(&mut self, c: char) -> Option<()> {
        let byte = u8::try_from(c).ok().filter(u8::is_ascii)?;
        if self.spilled.is_empty() && self.len < self.bytes.len() {
            self.bytes[self.len] = byte;
            self.len += 1;
        } else {
            if self.spilled.is_empty() {
                self.spilled.extend_from_slice(&self.bytes[..self.len]);
            }
            self.spilled.push(byte);
        }
        Some(())
    }
    fn as_str(&self) -> &str {
        let bytes = if self.spilled.is_empty() { &self.bytes[..self.len] } else { &self.spilled[..] };
        std::str::from_utf8(bytes).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number_format(thousands: Option<char>, decimal: char, currency: bool) -> FieldFormat {
        FieldFormat { thousands, decimal, currency, ..FieldFormat::default() }
    }

    #[test]
    fn numbers_with_thousands_decimal_and_currency() {
        let us = number_format(Some(','), '.', true);
        let eu = number_format(Some('.'), ',', true);
        let cases: [(&FieldFormat, &str, Option<f64>); 23] = [
            (&us, "$25,000", Some(25_000.0)),
            (&us, "1,200", Some(1_200.0)),
            (&us, "1,200.50", Some(1_200.5)),
            (&us, " USD 3,000 ", Some(3_000.0)),
            (&us, "USD3000", Some(3_000.0)),
            (&us, "3,000 USD", Some(3_000.0)),
            (&us, "-$5", Some(-5.0)),
            (&us, "$-5", Some(-5.0)),
            (&us, "-$-5", None),
            (&us, "-5 $", Some(-5.0)),
            (&us, "1,2,3", Some(123.0)),
            (&us, ",123", None),
            (&us, "$  25", None),
            (&us, "$$25", None),
            (&us, "usd 25", None),
            (&us, "1e3", Some(1_000.0)),
            (&eu, "12.500,00 €", Some(12_500.0)),
            (&eu, "EUR 9.999,99", Some(9_999.99)),
            (&eu, "50.000", Some(50_000.0)),
            (&eu, "1.5", Some(15.0)),
            (&eu, "1.", None),
            (&eu, "1,5", Some(1.5)),
            (&eu, "12\u{a0}€", Some(12.0)),
        ];
        for (format, text, expected) in cases {
            assert_eq!(read_number(text, format), expected, "{text:?}");
        }
        let decimal_only = number_format(None, ',', false);
        assert_eq!(read_number("2,5", &decimal_only), Some(2.5));
        assert_eq!(read_number("2.5", &decimal_only), None);
        assert_eq!(read_number("$2", &decimal_only), None);
        let plain = FieldFormat::default();
        assert_eq!(read_number("1,200", &plain), None);
        assert_eq!(read_number("$5", &plain), None);
    }
}
