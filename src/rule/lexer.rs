//! Step 1: rule text to tokens, each with its byte span in the rule text.

use std::ops::Range;

use chrono::NaiveDate;

use super::RuleError;
use crate::diagnostic::DiagnosticCode;

/// A length of time as written in a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Duration {
    /// A fixed number of seconds (`min`, `h`, `d`, `w`).
    Seconds(i64),
    /// Calendar months (`mo`, and `y` as 12 months).
    Months(i64),
}

impl Duration {
    pub(crate) fn negated(self) -> Duration {
        match self {
            Duration::Seconds(s) => Duration::Seconds(-s),
            Duration::Months(m) => Duration::Months(-m),
        }
    }
}

/// One token of a rule.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Token {
    Number(f64),
    Text(String),
    Date(NaiveDate),
    Duration(Duration),
    /// A name or keyword (`budget`, `and`, `is`, `criteria`, ...).
    Word(String),
    Op(Op),
}

/// Punctuation and symbolic operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    OrOr,
    AndAnd,
    Bang,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Dot,
    Comma,
    LParen,
    RParen,
    LBracket,
    RBracket,
}

/// A token and where it sits in the rule text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Spanned {
    pub token: Token,
    pub span: Range<usize>,
}

/// The duration units, with their length: fixed seconds or calendar months.
const UNITS: [(&str, Duration); 6] = [
    ("min", Duration::Seconds(60)),
    ("h", Duration::Seconds(3_600)),
    ("d", Duration::Seconds(86_400)),
    ("w", Duration::Seconds(604_800)),
    ("mo", Duration::Months(1)),
    ("y", Duration::Months(12)),
];

/// Splits a rule into tokens. Stops at the first error: what follows a broken token cannot
/// be read reliably.
pub(crate) fn tokenize(text: &str) -> Result<Vec<Spanned>, RuleError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let token = if c.is_ascii_digit() {
            let (token, end) = number_like(text, start)?;
            i = end;
            token
        } else if c == b'\'' || c == b'"' {
            let (token, end) = string(text, start)?;
            i = end;
            token
        } else if let Some(end) = word_end(text, start) {
            i = end;
            Token::Word(text[start..i].to_string())
        } else {
            let two = bytes.get(i + 1).copied();
            let (op, len) = match (c, two) {
                (b'|', Some(b'|')) => (Op::OrOr, 2),
                (b'&', Some(b'&')) => (Op::AndAnd, 2),
                (b'=', Some(b'=')) => (Op::Eq, 2),
                (b'!', Some(b'=')) => (Op::Ne, 2),
                (b'<', Some(b'=')) => (Op::Le, 2),
                (b'>', Some(b'=')) => (Op::Ge, 2),
                (b'!', _) => (Op::Bang, 1),
                (b'<', _) => (Op::Lt, 1),
                (b'>', _) => (Op::Gt, 1),
                (b'+', _) => (Op::Plus, 1),
                (b'-', _) => (Op::Minus, 1),
                (b'.', _) => (Op::Dot, 1),
                (b',', _) => (Op::Comma, 1),
                (b'(', _) => (Op::LParen, 1),
                (b')', _) => (Op::RParen, 1),
                (b'[', _) => (Op::LBracket, 1),
                (b']', _) => (Op::RBracket, 1),
                _ => return Err(unexpected_character(text, start)),
            };
            i += len;
            Token::Op(op)
        };
        tokens.push(Spanned { token, span: start..i });
    }
    Ok(tokens)
}

/// The end of a name starting at `start` (letters, digits and `_`, not starting with a
/// digit; letters may be any script's, as field ids may be).
fn word_end(text: &str, start: usize) -> Option<usize> {
    let mut chars = text[start..].char_indices();
    let (_, first) = chars.next()?;
    if !(first.is_alphabetic() || first == '_') {
        return None;
    }
    let len = chars.find(|(_, c)| !(c.is_alphanumeric() || *c == '_')).map_or(text.len() - start, |(k, _)| k);
    Some(start + len)
}

fn unexpected_character(text: &str, at: usize) -> RuleError {
    let ch = text[at..].chars().next().unwrap_or('?');
    let hint = match ch {
        '=' => Some("did you mean `==`?".to_string()),
        '&' => Some("did you mean `&&` or `and`?".to_string()),
        '|' => Some("did you mean `||` or `or`?".to_string()),
        _ => None,
    };
    RuleError {
        code: DiagnosticCode::RuleSyntax,
        span: at..at + ch.len_utf8(),
        message: format!("unexpected character `{ch}`"),
        hint,
    }
}

/// A number, a date (`2026-01-31`) or a duration (`90d`), all starting with a digit.
fn number_like(text: &str, start: usize) -> Result<(Token, usize), RuleError> {
    let bytes = text.as_bytes();
    if let Some(date) = date_at(text, start) {
        return date;
    }
    let mut i = start;
    let digits = |i: &mut usize| {
        while *i < bytes.len() && (bytes[*i].is_ascii_digit() || bytes[*i] == b'_') {
            *i += 1;
        }
    };
    digits(&mut i);
    let mut integral = true;
    if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
        integral = false;
        i += 1;
        digits(&mut i);
    }
    // An exponent only when digits follow, so that `1e` is not silently a number.
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
            j += 1;
        }
        if j < bytes.len() && bytes[j].is_ascii_digit() {
            integral = false;
            i = j;
            digits(&mut i);
        }
    }
    let literal = &text[start..i];
    let literal_end = i;
    let bad_number = || RuleError {
        code: DiagnosticCode::RuleSyntax,
        span: start..literal_end,
        message: format!("invalid number `{literal}`"),
        hint: None,
    };
    if literal.ends_with('_') || literal.contains("__") || literal.contains("_.") || literal.contains("._") {
        return Err(bad_number());
    }
    let clean: String = literal.chars().filter(|&c| c != '_').collect();

    let unit_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
        i += 1;
    }
    if unit_start == i {
        let value: f64 = clean.parse().map_err(|_| bad_number())?;
        if !value.is_finite() {
            return Err(bad_number());
        }
        return Ok((Token::Number(value), i));
    }

    let unit = &text[unit_start..i];
    let Some(&(_, length)) = UNITS.iter().find(|(name, _)| *name == unit) else {
        let hint = crate::diagnostic::hint_for(unit, UNITS.iter().map(|(name, _)| *name))
            .or_else(|| Some("durations are written like `30min`, `48h`, `90d`, `2w`, `6mo`, `1y`".to_string()));
        return Err(RuleError {
            code: DiagnosticCode::InvalidDuration,
            span: unit_start..i,
            message: format!("unknown duration unit `{unit}`"),
            hint,
        });
    };
    if !integral {
        return Err(RuleError {
            code: DiagnosticCode::InvalidDuration,
            span: start..i,
            message: format!("a duration needs a whole number, not `{literal}`"),
            hint: Some("use a smaller unit, e.g. `36h` instead of `1.5d`".to_string()),
        });
    }
    let too_long = || RuleError {
        code: DiagnosticCode::InvalidDuration,
        span: start..i,
        message: format!("the duration `{}` is too long", &text[start..i]),
        hint: None,
    };
    let amount: i64 = clean.parse().map_err(|_| too_long())?;
    let duration = match length {
        Duration::Seconds(s) => {
            Duration::Seconds(amount.checked_mul(s).filter(|s| *s <= MAX_SECONDS).ok_or_else(too_long)?)
        }
        Duration::Months(m) => {
            Duration::Months(amount.checked_mul(m).filter(|m| *m <= MAX_MONTHS).ok_or_else(too_long)?)
        }
    };
    Ok((Token::Duration(duration), i))
}

/// Durations beyond ten thousand years are surely mistakes, and staying far below chrono's
/// range keeps every shift of a date a plain, checked operation.
const MAX_SECONDS: i64 = 10_000 * 366 * 86_400;
const MAX_MONTHS: i64 = 10_000 * 12;

/// `YYYY-MM-DD` not followed by a name character; `None` when the text is not date-shaped.
fn date_at(text: &str, start: usize) -> Option<Result<(Token, usize), RuleError>> {
    let bytes = text.as_bytes();
    let candidate = bytes.get(start..start + 10)?;
    let shape =
        candidate.iter().enumerate().all(|(k, b)| if k == 4 || k == 7 { *b == b'-' } else { b.is_ascii_digit() });
    if !shape || bytes.get(start + 10).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
        return None;
    }
    let literal = &text[start..start + 10];
    Some(match NaiveDate::parse_from_str(literal, "%Y-%m-%d") {
        Ok(date) => Ok((Token::Date(date), start + 10)),
        Err(_) => Err(RuleError {
            code: DiagnosticCode::InvalidDate,
            span: start..start + 10,
            message: format!("invalid date `{literal}`"),
            hint: None,
        }),
    })
}

/// A quoted string. A backslash escapes only a quote or a backslash; any other backslash
/// is kept as written, so regex patterns read naturally (`'\.io$'`, `'\d+'`).
fn string(text: &str, start: usize) -> Result<(Token, usize), RuleError> {
    let quote = text.as_bytes()[start] as char;
    let mut out = String::new();
    let mut chars = text[start + 1..].char_indices().peekable();
    while let Some((k, c)) = chars.next() {
        match c {
            c if c == quote => return Ok((Token::Text(out), start + 1 + k + 1)),
            '\\' => match chars.peek() {
                Some(&(_, e @ ('\\' | '\'' | '"'))) => {
                    out.push(e);
                    chars.next();
                }
                _ => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    Err(RuleError {
        code: DiagnosticCode::RuleSyntax,
        span: start..start + 1,
        message: "unterminated string".to_string(),
        hint: Some(format!("close it with {quote}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Token> {
        tokenize(text).unwrap().into_iter().map(|t| t.token).collect()
    }

    #[test]
    fn numbers_dates_and_durations() {
        assert_eq!(kinds("10_000 2.5 1e3"), [Token::Number(10_000.0), Token::Number(2.5), Token::Number(1000.0)]);
        assert_eq!(kinds("2026-01-31"), [Token::Date(NaiveDate::from_ymd_opt(2026, 1, 31).unwrap())]);
        assert_eq!(
            kinds("30min 48h 90d 2w 6mo 1y"),
            [
                Token::Duration(Duration::Seconds(1_800)),
                Token::Duration(Duration::Seconds(172_800)),
                Token::Duration(Duration::Seconds(7_776_000)),
                Token::Duration(Duration::Seconds(1_209_600)),
                Token::Duration(Duration::Months(6)),
                Token::Duration(Duration::Months(12)),
            ]
        );
    }

    #[test]
    fn strings_and_spans() {
        let tokens = tokenize(r#"role == 'a\'b' "x""#).unwrap();
        assert_eq!(tokens[0].span, 0..4);
        assert_eq!(tokens[1].token, Token::Op(Op::Eq));
        assert_eq!(tokens[2].token, Token::Text("a'b".into()));
        assert_eq!(tokens[2].span, 8..14);
        assert_eq!(tokens[3].token, Token::Text("x".into()));
        assert_eq!(kinds(r"'\.io$' '\\d'"), [Token::Text(r"\.io$".into()), Token::Text(r"\d".into())]);
    }

    #[test]
    fn errors_point_at_the_token() {
        let e = tokenize("age >= 3q").unwrap_err();
        assert_eq!((e.span, e.message.as_str()), (8..9, "unknown duration unit `q`"));
        let e = tokenize("a = 1").unwrap_err();
        assert_eq!(e.span, 2..3);
        assert_eq!(e.hint.as_deref(), Some("did you mean `==`?"));
        assert_eq!(tokenize("x == 'open").unwrap_err().message, "unterminated string");
        assert!(tokenize("1.5d").is_err());
        assert!(tokenize("99999999999999999999y").is_err());
        assert!(tokenize("1__0").is_err());
        assert_eq!(kinds("réle"), [Token::Word("réle".into())]);
        assert!(tokenize("€").is_err());
        assert_eq!(tokenize("d < 2026-02-30").unwrap_err().message, "invalid date `2026-02-30`");
    }
}
