//! Coercion of raw values by field type: the record rules of the format, with each
//! field's reading keys (`thousands`, `formats`, `true`, ...) and the `[input]` table's
//! placeholders and time zone.
//!
//! Text is read the same way whatever its source, exactly as a CSV cell would be; native
//! numbers, booleans, dates and arrays from JSON or TOML are taken as they are.

use super::slot::{Packed, Prepared};
use super::Value;
use crate::format::{has_scheme, read_bool, read_date, read_number, trim, Input};
use crate::time::epoch_days;
use crate::{Field, FieldType};

impl Prepared {
    /// Stores `value`, coerced by `field`'s type and reading keys, as field `index`.
    pub(crate) fn store_value(&mut self, index: usize, field: &Field, input: &Input, value: &Value) {
        let cell = coerce(field, input, value, self);
        self.set(index, cell);
    }

    /// Stores text (a CSV cell), read by `field`'s type and reading keys, as field `index`.
    pub(crate) fn store_cell(&mut self, index: usize, field: &Field, input: &Input, text: &str) {
        let cell = coerce_text(field, input, text, self);
        self.set(index, cell);
    }
}

/// The cell a field of `field`'s type holds for `value`, its text stored in `record`.
pub(crate) fn coerce(field: &Field, input: &Input, value: &Value, record: &mut Prepared) -> Packed {
    match value {
        Value::Null => Packed::Missing,
        Value::List(items) if items.is_empty() => Packed::Missing,
        Value::Text(text) => coerce_text(field, input, text, record),
        Value::Nested => Packed::Invalid,
        _ => match field.ty {
            FieldType::String => string(value, field.folds, record),
            FieldType::Number => number(value),
            FieldType::Boolean => boolean(value),
            FieldType::Date => date(value),
            FieldType::Enum => value.as_text().map_or(Packed::Invalid, |t| enum_value(field, t.trim())),
            FieldType::List => list(value, record),
            FieldType::Email | FieldType::Url => Packed::Invalid,
        },
    }
}

/// The cell a field holds for text (a CSV cell, a JSON or TOML string): placeholders and
/// blank text are missing; otherwise the text is read by the field's type and reading keys.
pub(crate) fn coerce_text(field: &Field, input: &Input, text: &str, record: &mut Prepared) -> Packed {
    let trimmed = trim(text);
    if trimmed.is_empty() || input.missing.contains(trimmed) || field.format.missing.contains(trimmed) {
        return Packed::Missing;
    }
    match field.ty {
        FieldType::String => record.store_text(text, field.folds),
        FieldType::Number => read_number(trimmed, &field.format).map_or(Packed::Invalid, Packed::Number),
        FieldType::Boolean => read_bool(trimmed, &field.format).map_or(Packed::Invalid, Packed::Bool),
        FieldType::Date => read_date(trimmed, &field.format.formats, &input.timezone)
            .map_or(Packed::Invalid, |d| Packed::Date(epoch_days(d))),
        FieldType::Email => checked_text(trimmed, is_email, field.folds, record),
        FieldType::Url => url(trimmed, field, record),
        FieldType::Enum => enum_value(field, trimmed),
        FieldType::List => record.list_of(trimmed.split(field.format.separator).map(str::trim)),
    }
}

/// How `value` is stored in a field like `field`, its text (if any) thrown away: whether a
/// value is missing, invalid or present.
#[cfg(feature = "proptest")]
pub(crate) fn packed_of(field: &Field, input: &Input, value: &Value) -> Packed {
    coerce(field, input, value, &mut Prepared::missing(0, crate::stamp::Stamp::NONE))
}

fn string(value: &Value, fold: bool, record: &mut Prepared) -> Packed {
    // A `string` field keeps its text as given; numbers and booleans are read as their text.
    match value.as_text() {
        Some(text) => record.store_text(&text, fold),
        None => Packed::Invalid,
    }
}

/// A native (JSON or TOML) number; text is read by [`read_number`].
fn number(value: &Value) -> Packed {
    match value {
        Value::Number(n) if n.is_finite() => Packed::Number(*n),
        _ => Packed::Invalid,
    }
}

/// A native boolean, or the numbers 0 and 1; text is read by [`read_bool`].
fn boolean(value: &Value) -> Packed {
    match value {
        Value::Bool(b) => Packed::Bool(*b),
        Value::Number(n) if *n == 1.0 => Packed::Bool(true),
        Value::Number(n) if *n == 0.0 => Packed::Bool(false),
        _ => Packed::Invalid,
    }
}

/// A native date; text is read by [`read_date`].
fn date(value: &Value) -> Packed {
    match value {
        Value::Date(d) => Packed::Date(epoch_days(*d)),
        _ => Packed::Invalid,
    }
}

fn checked_text(trimmed: &str, valid: fn(&str) -> bool, fold: bool, record: &mut Prepared) -> Packed {
    if valid(trimmed) {
        record.store_text(trimmed, fold)
    } else {
        Packed::Invalid
    }
}

/// A URL, after the field's `default_scheme` when it is written without one.
fn url(trimmed: &str, field: &Field, record: &mut Prepared) -> Packed {
    match field.format.default_scheme {
        Some(scheme) if !has_scheme(trimmed) => {
            let full = format!("{}://{trimmed}", scheme.name());
            checked_text(&full, is_web_url, field.folds, record)
        }
        _ => checked_text(trimmed, is_web_url, field.folds, record),
    }
}

/// A valid e-mail address as HTML forms define it (`<input type=email>`): one or more of
/// ASCII letters, digits and ``.!#$%&'*+/=?^_`{|}~-``, an `@`, then one or more labels
/// separated by `.`, each 1 to 63 letters, digits and `-`, not starting or ending with `-`.
///
/// The rule is the HTML standard's regular expression, checked byte by byte (every address
/// of every record is checked, and this is several times faster than the regex engine);
/// the tests hold the regex and check that both agree.
///
/// ```
/// use leadspec::is_email;
/// assert!(is_email("ann@example.com"));
/// assert!(is_email("a.b+c@localhost"));
/// assert!(!is_email("ann@-example.com"));
/// assert!(!is_email("ann(at)example.com"));
/// ```
pub fn is_email(text: &str) -> bool {
    const LOCAL_PUNCTUATION: &[u8] = b".!#$%&'*+/=?^_`{|}~-";
    let Some((local, domain)) = text.split_once('@') else { return false };
    let local_ok =
        !local.is_empty() && local.bytes().all(|b| b.is_ascii_alphanumeric() || LOCAL_PUNCTUATION.contains(&b));
    local_ok
        && domain.split('.').all(|label| {
            let b = label.as_bytes();
            (1..=63).contains(&b.len())
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        })
}

/// An absolute `http` or `https` URL with a host, parsed as WHATWG URLs are.
///
/// ```
/// use leadspec::is_web_url;
/// assert!(is_web_url("https://acme.example/pricing?plan=team"));
/// assert!(!is_web_url("acme.example"));
/// assert!(!is_web_url("ftp://acme.example"));
/// ```
pub fn is_web_url(text: &str) -> bool {
    plainly_web_url(text)
        || url::Url::parse(text)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()))
}

/// Whether `text` is, beyond doubt, an `http` or `https` URL that the WHATWG parser
/// accepts: the scheme in lower case, a host of ASCII letters, digits, `-` and `.` whose last
/// label starts with a letter (so it is not read as an IPv4 number) and holds no
/// `xn--` label (which would need IDNA checks), an optional port of up to five digits, then
/// nothing or a path, query or fragment of visible ASCII. Most websites in real records
/// look like this, and checking it is much cheaper than parsing; anything else goes to
/// the parser. The tests check that both agree.
fn plainly_web_url(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://")) else { return false };
    let b = rest.as_bytes();
    let host_end = b.iter().position(|&c| matches!(c, b'/' | b'?' | b'#' | b':')).unwrap_or(b.len());
    let host = &b[..host_end];
    let last = host.rsplit(|&c| c == b'.').find(|l| !l.is_empty()).unwrap_or_default();
    let host_ok = !host.is_empty()
        && host.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'.')
        && last.first().is_some_and(u8::is_ascii_alphabetic)
        && !host.windows(4).any(|w| w.eq_ignore_ascii_case(b"xn--"));
    if !host_ok {
        return false;
    }
    let mut after = &b[host_end..];
    if let Some(port) = after.strip_prefix(b":") {
        let digits = port.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 || digits > 4 {
            return false;
        }
        after = &port[digits..];
        if !after.is_empty() && !matches!(after[0], b'/' | b'?' | b'#') {
            return false;
        }
    }
    after.iter().all(|&c| (0x21..0x7f).contains(&c) && c != b'\\' && c != b'%')
}

/// The index of `text` among an enum field's values (exact match).
fn enum_value(field: &Field, text: &str) -> Packed {
    if let Some(index) = &field.value_index {
        return index.get(text).map_or(Packed::Invalid, |&i| Packed::Enum(i));
    }
    match field.values.iter().position(|v| v == text) {
        Some(i) => Packed::Enum(i as u32),
        None => Packed::Invalid,
    }
}

/// A native list; text is split by the field's `separator`.
fn list(value: &Value, record: &mut Prepared) -> Packed {
    match value {
        Value::List(items) => {
            let texts: Option<Vec<std::borrow::Cow<'_, str>>> = items
                .iter()
                .filter(|v| !matches!(v, Value::Null))
                .map(|v| match v {
                    Value::Text(s) => Some(s.trim().into()),
                    Value::Number(_) | Value::Bool(_) | Value::Date(_) => v.as_text(),
                    _ => None,
                })
                .collect();
            texts.map_or(Packed::Invalid, |texts| record.list_of(texts.iter().map(|t| &**t)))
        }
        _ => Packed::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Slot;
    use chrono::NaiveDate;

    fn field(ty: FieldType) -> Field {
        let mut f = Field::new("f", ty);
        f.values = vec!["user".into(), "decision_maker".into()];
        f
    }

    /// The slot a value coerces to (the record holding it is leaked: these are tests).
    fn c(ty: FieldType, v: impl Into<Value>) -> Slot<'static> {
        let record: &'static mut Prepared = Box::leak(Box::new(Prepared::missing(1, crate::stamp::Stamp::NONE)));
        let cell = coerce(&field(ty), &Input::default(), &v.into(), record);
        record.set(0, cell);
        record.slot_at(0)
    }

    fn items(slot: Slot<'_>) -> Vec<&str> {
        match slot {
            Slot::List(items) => items.iter().collect(),
            other => panic!("not a list: {other:?}"),
        }
    }

    #[test]
    fn numbers_from_text_and_native() {
        assert_eq!(c(FieldType::Number, "25000"), Slot::Number(25000.0));
        assert_eq!(c(FieldType::Number, " 2.5 "), Slot::Number(2.5));
        assert_eq!(c(FieldType::Number, "1e3"), Slot::Number(1000.0));
        assert_eq!(c(FieldType::Number, 7), Slot::Number(7.0));
        assert_eq!(c(FieldType::Number, "abc"), Slot::Invalid);
        assert_eq!(c(FieldType::Number, "10_000"), Slot::Invalid);
        assert_eq!(c(FieldType::Number, "1e400"), Slot::Invalid);
        assert_eq!(c(FieldType::Number, "inf"), Slot::Invalid);
        assert_eq!(c(FieldType::Number, true), Slot::Invalid);
        assert_eq!(c(FieldType::Number, "   "), Slot::Missing);
        assert_eq!(c(FieldType::Number, Value::Null), Slot::Missing);
    }

    #[test]
    fn booleans_any_case() {
        for (t, b) in [("YES", true), ("no", false), ("True", true), ("0", false), ("1", true)] {
            assert_eq!(c(FieldType::Boolean, t), Slot::Bool(b), "{t}");
        }
        assert_eq!(c(FieldType::Boolean, "maybe"), Slot::Invalid);
        assert_eq!(c(FieldType::Boolean, false), Slot::Bool(false));
    }

    #[test]
    fn dates_plain_and_rfc3339_in_utc() {
        let d = |s| Slot::Date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        assert_eq!(c(FieldType::Date, "2026-01-31"), d("2026-01-31"));
        assert_eq!(c(FieldType::Date, "2026-01-31T23:00:00-02:00"), d("2026-02-01"));
        assert_eq!(c(FieldType::Date, "2026-02-30"), Slot::Invalid);
        assert_eq!(c(FieldType::Date, "2026-1-5"), Slot::Invalid);
        assert_eq!(c(FieldType::Date, "31/01/2026"), Slot::Invalid);
    }

    /// The HTML standard's pattern, as the reference for [`is_email`].
    fn html_email_regex() -> regex::Regex {
        regex::Regex::new(concat!(
            r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?",
            r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$"
        ))
        .unwrap()
    }

    proptest::proptest! {
        #[test]
        fn the_email_check_agrees_with_the_html_pattern(text in "[a-zA-Z0-9.@_+-]{0,12}|[a-z]{1,4}@[a-z.-]{0,70}|.{0,10}") {
            proptest::prop_assert_eq!(is_email(&text), html_email_regex().is_match(&text), "{:?}", text);
        }
    }

    #[test]
    fn the_email_check_agrees_with_the_html_pattern_on_edges() {
        let long = "a".repeat(63);
        let too_long = "a".repeat(64);
        let cases = [
            "a@b".to_string(),
            "a@b.".to_string(),
            "a@.b".to_string(),
            "@b".to_string(),
            "a@".to_string(),
            "a@b..c".to_string(),
            "a@b-.c".to_string(),
            "a@-b.c".to_string(),
            "a@b-c.d".to_string(),
            format!("a@{long}.x"),
            format!("a@{too_long}.x"),
            "a@@b".to_string(),
            "a b@c".to_string(),
            "é@b.c".to_string(),
            "a@é.c".to_string(),
            "a.@b".to_string(),
            ".@b".to_string(),
            "a@b\n".to_string(),
        ];
        for case in cases {
            assert_eq!(is_email(&case), html_email_regex().is_match(&case), "{case:?}");
        }
    }

    #[test]
    fn emails_follow_html_forms() {
        assert!(is_email("ann@example.com"));
        assert!(is_email("a.b+c@sub.example"));
        assert!(is_email("x@localhost"));
        assert!(!is_email("not an email"));
        assert!(!is_email("a@b@c"));
        assert!(!is_email("a@-b.com"));
        assert!(!is_email("@example.com"));
        assert!(
            matches!(c(FieldType::Email, " ann@example.com "), Slot::Text { text, .. } if text == "ann@example.com")
        );
    }

    fn parsed_web_url(text: &str) -> bool {
        url::Url::parse(text)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()))
    }

    proptest::proptest! {
        #[test]
        fn the_plain_url_check_never_accepts_what_the_parser_refuses(
            text in "(https?|HTTP|ftp)://[a-zA-Z0-9.\\-]{0,12}(:[0-9]{0,6})?([/?#][ -~]{0,12})?|https?://[ -~]{0,20}",
        ) {
            if plainly_web_url(&text) {
                proptest::prop_assert!(parsed_web_url(&text), "{:?}", text);
            }
            proptest::prop_assert_eq!(is_web_url(&text), parsed_web_url(&text), "{:?}", text);
        }
    }

    #[test]
    fn the_plain_url_check_on_edges() {
        for text in [
            "https://acme.example",
            "http://a.b/c?d=e#f",
            "https://a..b",
            "https://.a",
            "https://a-",
            "https://1.2.3",
            "https://999.1.1.1",
            "https://a.999",
            "https://a.b:8080/x",
            "https://a.b:99999",
            "https://a.b:",
            "https://a.b:1x",
            "https://xn--a.com",
            "https://XN--abc.com",
            "https://a.b/%zz",
            "https://a.b/\\x",
            "https://-a.b",
            "https://a_b.c",
            "https://0xabc",
            "https://a.0x1",
            "https://a.b.",
            "https://a b",
            "https://",
            "https://a.b/ c",
        ] {
            assert_eq!(is_web_url(text), parsed_web_url(text), "{text:?}");
            if plainly_web_url(text) {
                assert!(parsed_web_url(text), "{text:?}");
            }
        }
    }

    #[test]
    fn urls_need_http_and_a_host() {
        assert!(is_web_url("https://example.com"));
        assert!(is_web_url("http://example.com/path?q=1"));
        assert!(!is_web_url("example.com"));
        assert!(!is_web_url("ftp://example.com"));
        assert!(!is_web_url("mailto:a@example.com"));
    }

    #[test]
    fn enums_match_exactly() {
        assert_eq!(c(FieldType::Enum, "decision_maker"), Slot::Enum(1));
        assert_eq!(c(FieldType::Enum, " user "), Slot::Enum(0));
        assert_eq!(c(FieldType::Enum, "User"), Slot::Invalid);
    }

    #[test]
    fn lists_split_text_on_semicolons() {
        assert_eq!(items(c(FieldType::List, "webinar; ebook;")), ["webinar", "ebook"]);
        assert_eq!(items(c(FieldType::List, vec!["a", "b"])), ["a", "b"]);
        assert_eq!(c(FieldType::List, Vec::<Value>::new()), Slot::Missing);
        assert_eq!(c(FieldType::List, " ; "), Slot::Missing);
        assert_eq!(c(FieldType::List, Value::List(vec![Value::Nested])), Slot::Invalid);
    }

    #[test]
    fn strings_keep_text_and_read_numbers() {
        assert!(matches!(c(FieldType::String, " Acme "), Slot::Text { text, .. } if text == " Acme "));
        assert!(matches!(c(FieldType::String, 25000), Slot::Text { text, .. } if text == "25000"));
        assert!(matches!(c(FieldType::String, true), Slot::Text { text, .. } if text == "true"));
        assert_eq!(c(FieldType::String, Value::Nested), Slot::Invalid);
        assert_eq!(c(FieldType::String, vec!["a"]), Slot::Invalid);
    }
}
