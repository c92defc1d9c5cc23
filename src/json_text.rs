//! JSON text of strings and numbers, written exactly as `serde_json` writes them, for the
//! places that write JSON inside plain text (the values `explain` shows) or need a number's
//! JSON text without `serde_json` (a history line's numeric id).

use std::fmt::Write as _;

use crate::RecordId;

/// `text` as a JSON string: in quotes, with `\"`, `\\`, the short escapes `\b`, `\f`, `\n`,
/// `\r`, `\t`, and `\u00XX` for the other control characters; everything else as it is.
pub(crate) fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number as JSON text, as `serde_json` writes an `f64`: the shortest digits that read
/// back as the same number, a whole number with `.0` (`25000.0`), an exponent below `1e-5`
/// and from `1e16` on (`1.5e-7`, `1e+16`); `null` when it is not finite.
pub(crate) fn number(n: f64) -> String {
    if !n.is_finite() {
        return "null".to_string();
    }
    // Rust's `{:e}` and `{}` both write the shortest digits that read back the same: the
    // exponent form decides which of the two `serde_json` would use.
    let scientific = format!("{n:e}");
    let exponent: i32 = scientific.rsplit('e').next().and_then(|e| e.parse().ok()).unwrap_or(0);
    if (-5..=15).contains(&exponent) {
        let mut plain = format!("{n}");
        if !plain.contains('.') {
            plain.push_str(".0");
        }
        plain
    } else if exponent > 0 {
        scientific.replacen('e', "e+", 1)
    } else {
        scientific
    }
}

/// Whether a numeric id is written as a JSON integer: a whole number that an `f64` holds
/// exactly (below 2^53 in size).
pub(crate) fn is_integer(n: f64) -> bool {
    n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0
}

/// A record's id as JSON text: a string, an integer (`17`) or another number (`2.5`).
pub(crate) fn id(id: &RecordId) -> String {
    match id {
        RecordId::Text(text) => string(text),
        RecordId::Number(n) if is_integer(*n) => (*n as i64).to_string(),
        RecordId::Number(n) => number(*n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for text in ["", "plain", "a\"b\\c", "\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}", "line\nfeed\r\ttab", "é ünï 🦀 /"]
        {
            assert_eq!(string(text), serde_json::to_string(text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn numbers_are_written_as_serde_json_writes_them() {
        let mut numbers = vec![
            0.0,
            -0.0,
            1.0,
            -7.0,
            2.5,
            25000.0,
            0.1 + 0.2,
            1e-5,
            1.5e-5,
            9.99e-6,
            1e-6,
            123456789012345.6,
            999999999999999.9,
            1e15,
            1e16,
            1.5e16,
            12345678901234567.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1e300,
        ];
        // A spread of magnitudes and digit counts, negative ones too.
        let mut x = 0.123_456_789_f64;
        for i in 0..600 {
            numbers.push(x);
            numbers.push(-x * 3.7);
            numbers.push((x * 1000.0).round());
            x *= if i % 3 == 0 { 7.3 } else { 0.41 } * 1.9;
            if !x.is_finite() || x == 0.0 {
                x = 0.987_654_321;
            }
        }
        for n in numbers {
            assert_eq!(number(n), serde_json::to_string(&n).unwrap(), "{n:e}");
        }
        assert_eq!(number(f64::NAN), "null");
        assert_eq!(number(f64::INFINITY), "null");
    }

    #[test]
    fn ids_are_strings_integers_or_numbers() {
        assert_eq!(id(&RecordId::Text("L\"1".into())), r#""L\"1""#);
        assert_eq!(id(&RecordId::Number(17.0)), "17");
        assert_eq!(id(&RecordId::Number(-3.0)), "-3");
        assert_eq!(id(&RecordId::Number(2.5)), "2.5");
        assert_eq!(id(&RecordId::Number(1e20)), "1e+20");
    }
}
