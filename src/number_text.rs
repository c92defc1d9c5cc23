//! Plain numbers and booleans written as text (`25000`, `-2.5`, `1e3`; `yes`, `FALSE`,
//! `0`): the readings every field format starts from, before its own reading keys
//! (`thousands`, `decimal`, `currency`, `true`/`false`).

/// A plain decimal with optional fraction and exponent (`25000`, `-2.5`, `1e3`), finite, no `_`.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    if let Some(n) = short_decimal(bytes) {
        return Some(n);
    }
    let mut i = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut mantissa = digits(&mut i);
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return None;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The most common number cells, such as `711`, `-3` or `5.51`, read without the general
/// parser: an optional sign, at most 15 digits and at most one `.` between digits. The
/// digits make an integer below 2^53 and the `.` a power of ten up to 10^15, both exact as
/// `f64`, so their quotient is the correctly rounded value, as the general parser gives.
fn short_decimal(bytes: &[u8]) -> Option<f64> {
    let (negative, digits) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        Some(b'+') => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let (mut mantissa, mut count, mut scale, mut point) = (0u64, 0u32, 0i32, None);
    for (i, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                count += 1;
                if point.is_some() {
                    scale += 1;
                }
            }
            b'.' if point.is_none() && i > 0 && i + 1 < digits.len() => point = Some(i),
            _ => return None,
        }
    }
    if count > 15 {
        return None;
    }
    let magnitude = mantissa as f64 / 10f64.powi(scale);
    Some(if negative { -magnitude } else { magnitude })
}

/// `yes`/`no`/`true`/`false`/`1`/`0`, any case.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    const TRUE: [&str; 3] = ["yes", "true", "1"];
    const FALSE: [&str; 3] = ["no", "false", "0"];
    if TRUE.iter().any(|w| w.eq_ignore_ascii_case(text)) {
        Some(true)
    } else if FALSE.iter().any(|w| w.eq_ignore_ascii_case(text)) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn short_decimals_read_as_the_general_parser_reads_them(
            whole in 0u64..10_000_000_000, fraction in 0u64..1_000_000, width in 0usize..7, negative in proptest::prelude::any::<bool>(),
        ) {
            let text = if width == 0 {
                format!("{}{whole}", if negative { "-" } else { "" })
            } else {
                format!("{}{whole}.{:0width$}", if negative { "-" } else { "" }, fraction % 10u64.pow(width as u32))
            };
            proptest::prop_assert_eq!(parse_number(&text), text.parse::<f64>().ok(), "{}", text);
        }
    }

    #[test]
    fn short_decimals_leave_other_forms_to_the_general_parser() {
        for (text, expected) in [
            ("0.1", Some(0.1)),
            ("17.0", Some(17.0)),
            ("5.51", Some(5.51)),
            ("-0.0", Some(-0.0)),
            ("1.", Some(1.0)),
            (".5", Some(0.5)),
            ("1..2", None),
            ("+7", Some(7.0)),
            ("123456789012345.6", Some(123456789012345.6)),
            ("9007199254740993", Some(9007199254740992.0)),
            ("1e3", Some(1000.0)),
            ("-", None),
            ("", None),
        ] {
            assert_eq!(parse_number(text), expected, "{text:?}");
        }
    }
}
