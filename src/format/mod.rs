//! How an organisation's files write their values: the `[input]` table (the id column,
//! placeholders, the time zone of offset-less times) and each field's reading keys
//! (`column`, `missing`, `thousands`, `decimal`, `currency`, `formats`, `true`, `false`,
//! `separator`, `default_scheme`).
//!
//! Everything here is settled when the definition loads: patterns are parsed, time zones
//! resolved, placeholders folded. Reading a value then only compares and parses text.

use std::collections::HashSet;
use std::fmt;

use chrono::format::{Item, Parsed};
use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone as _, Utc};

use crate::number_text::{parse_bool, parse_number};

/// The `[input]` table: how this organisation's files are written, for every field.
///
/// ```
/// let d = leadspec::default_definition();
/// assert_eq!(d.input().id_column(), "id");
/// assert_eq!(d.input().timezone(), "UTC");
/// assert!(d.input().missing().is_empty());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub(crate) id: String,
    pub(crate) id_written: bool,
    pub(crate) missing: Placeholders,
    pub(crate) timezone: Zone,
}

impl Default for Input {
    fn default() -> Self {
        Input { id: "id".to_string(), id_written: false, missing: Placeholders::default(), timezone: Zone::Utc }
    }
}

impl Input {
    /// The column (or JSON or TOML key) whose value is a record's id: `[input] id`, or `id`.
    pub fn id_column(&self) -> &str {
        &self.id
    }
    /// Whether the definition names the id column itself (`[input] id`).
    pub fn id_column_written(&self) -> bool {
        self.id_written
    }
    /// The placeholders that mean "no value" for every field, as written.
    pub fn missing(&self) -> &[String] {
        &self.missing.words
    }
    /// The time zone of date-times written without an offset, as written (default `UTC`).
    pub fn timezone(&self) -> &str {
        self.timezone.name()
    }
}

/// Texts that mean "no value" (`Select`, `N/A`, `-`), compared trimmed and ignoring case.
///
/// Most cells are not placeholders, and most differ from every placeholder in length, so
/// the lengths of the ASCII placeholders are kept as a bit set that rules out a cell
/// before any text is compared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Placeholders {
    /// As written.
    pub(crate) words: Vec<String>,
    /// Lowercase forms, for lookup.
    folded: HashSet<Box<str>>,
    /// The same forms in a list, when there are few: comparing them is faster than hashing.
    few: Vec<Box<str>>,
    /// Bit `n` is set when an ASCII placeholder is `n` bytes long (`n` < 64).
    ascii_lengths: u64,
    /// Bit `b` is set when an ASCII placeholder starts with the byte `b` (lower case).
    ascii_firsts: u128,
    /// Whether any placeholder is not ASCII or is 64 bytes or longer.
    other_lengths: bool,
    /// Whether any placeholder holds a `k`, which the Kelvin sign lowercases to.
    has_k: bool,
    /// The longest lowercase form, in bytes: longer text is never a placeholder.
    longest: usize,
}

impl Placeholders {
    pub(crate) fn new(words: Vec<String>) -> Self {
        let folded: HashSet<Box<str>> = words.iter().map(|w| w.trim().to_lowercase().into_boxed_str()).collect();
        let longest = folded.iter().map(|w| w.len()).max().unwrap_or(0);
        let (mut ascii_lengths, mut ascii_firsts, mut other_lengths) = (0u64, 0u128, false);
        for w in &folded {
            if w.is_ascii() && w.len() < 64 && !w.is_empty() {
                ascii_lengths |= 1 << w.len();
                ascii_firsts |= 1 << w.as_bytes()[0];
            } else {
                other_lengths = true;
            }
        }
        let few = if folded.len() <= 8 { folded.iter().cloned().collect() } else { Vec::new() };
        let has_k = folded.iter().any(|w| w.contains('k'));
        Placeholders { words, folded, few, ascii_lengths, ascii_firsts, other_lengths, has_k, longest }
    }

    /// Whether `trimmed` (already trimmed) is one of the placeholders, ignoring case.
    #[inline]
    pub(crate) fn contains(&self, trimmed: &str) -> bool {
        if self.longest == 0 {
            return false;
        }
        let len = trimmed.len();
        if !self.other_lengths {
            // Every placeholder is short ASCII: an ASCII cell of another length, or starting
            // with another byte, is none of them. So is any other cell, as no character
            // outside ASCII lowercases into ASCII but the Kelvin sign (into `k`), which is
            // looked for when a placeholder holds a `k`.
            let first = trimmed.as_bytes().first().map_or(0, u8::to_ascii_lowercase);
            let ruled_out = len >= 64
                || self.ascii_lengths & (1 << len) == 0
                || self.ascii_firsts & (1u128 << (first & 0x7f)) == 0
                || first >= 0x80;
            if ruled_out && (!self.has_k || !trimmed.contains('\u{212a}')) {
                return false;
            }
        }
        self.compare(trimmed)
    }

    fn compare(&self, trimmed: &str) -> bool {
        // Lowercasing shrinks text by at most a factor of three (`K`, the Kelvin sign, is
        // three bytes; `k` one), so longer text cannot match and is not folded at all.
        if self.folded.is_empty() || trimmed.len() > self.longest.saturating_mul(3) {
            return false;
        }
        if trimmed.is_ascii() {
            if self.folded.len() <= 8 {
                return self.few.iter().any(|w| w.len() == trimmed.len() && w.eq_ignore_ascii_case(trimmed));
            }
            if trimmed.len() <= 64 {
                let mut buf = [0u8; 64];
                let lower = &mut buf[..trimmed.len()];
                lower.copy_from_slice(trimmed.as_bytes());
                lower.make_ascii_lowercase();
                return std::str::from_utf8(lower).is_ok_and(|l| self.folded.contains(l));
            }
        }
        self.folded.contains(trimmed.to_lowercase().as_str())
    }
}

/// The time zone of date-times written without an offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Zone {
    /// UTC, the default.
    Utc,
    /// A fixed offset such as `+02:00`, with its text.
    Fixed(FixedOffset, String),
    /// An IANA zone such as `America/New_York`.
    Named(chrono_tz::Tz),
}

impl Zone {
    /// The zone named by `text`: an IANA name or a fixed offset `±HH:MM`.
    pub(crate) fn parse(text: &str) -> Option<Zone> {
        if let Some(offset) = parse_fixed_offset(text) {
            return Some(Zone::Fixed(offset, text.to_string()));
        }
        text.parse::<chrono_tz::Tz>().ok().map(Zone::Named)
    }

    /// The zone's name as written (`UTC` for the default).
    pub(crate) fn name(&self) -> &str {
        match self {
            Zone::Utc => "UTC",
            Zone::Fixed(_, text) => text,
            Zone::Named(tz) => tz.name(),
        }
    }

    /// The UTC date of a local date-time in this zone. A local time that does not exist
    /// (skipped by a clock change) or occurs twice takes the offset in effect before the
    /// change.
    pub(crate) fn utc_date(&self, local: NaiveDateTime) -> Option<NaiveDate> {
        let offset_seconds = match self {
            Zone::Utc => 0,
            Zone::Fixed(offset, _) => offset.local_minus_utc(),
            Zone::Named(tz) => match tz.offset_from_local_datetime(&local) {
                chrono::LocalResult::Single(offset) => offset.fix().local_minus_utc(),
                chrono::LocalResult::Ambiguous(earlier, _) => earlier.fix().local_minus_utc(),
                chrono::LocalResult::None => {
                    // In a gap: the offset a day before, read as if the local time were UTC.
                    let before = local.checked_sub_days(Days::new(1))?;
                    tz.offset_from_utc_datetime(&before).fix().local_minus_utc()
                }
            },
        };
        local.checked_sub_signed(chrono::TimeDelta::seconds(i64::from(offset_seconds))).map(|utc| utc.date())
    }
}

/// `±HH:MM` (hours up to 23), as RFC 3339 writes an offset.
fn parse_fixed_offset(text: &str) -> Option<FixedOffset> {
    let b = text.as_bytes();
    if b.len() != 6 || b[3] != b':' || !b.iter().enumerate().all(|(i, c)| i == 0 || i == 3 || c.is_ascii_digit()) {
        return None;
    }
    let sign = match b[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours = i32::from(b[1] - b'0') * 10 + i32::from(b[2] - b'0');
    let minutes = i32::from(b[4] - b'0') * 10 + i32::from(b[5] - b'0');
    if hours > 23 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// The IANA zone names, for did-you-mean hints.
pub(crate) fn zone_names() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
}

/// A date pattern of `formats`, parsed once when the definition loads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateFormat {
    pattern: String,
    items: Vec<Item<'static>>,
}

impl DateFormat {
    /// Parses a pattern in chrono's `strftime` syntax, and checks that it reads a whole
    /// date: a pattern chrono cannot parse, or one without a year, month and day (or their
    /// equivalents), is refused with the reason.
    ///
    /// ```
    /// use leadspec::DateFormat;
    /// assert!(DateFormat::new("%d %b, %Y %H:%M:%S").is_ok());
    /// assert!(DateFormat::new("%d.%m.%Y").is_ok());
    /// assert!(DateFormat::new("%Q").is_err()); // no such specifier
    /// assert!(DateFormat::new("%d.%m").is_err()); // no year
    /// ```
    pub fn new(pattern: &str) -> Result<DateFormat, String> {
        let items = chrono::format::StrftimeItems::new(pattern)
            .parse_to_owned()
            .map_err(|_| format!("`{pattern}` is not a chrono strftime pattern"))?;
        let format = DateFormat { pattern: pattern.to_string(), items };
        // Writing a sample time with the pattern and reading it back shows whether the
        // pattern holds enough to give a date.
        let sample = FixedOffset::east_opt(2 * 3600)
            .and_then(|o| o.with_ymd_and_hms(2026, 11, 22, 15, 30, 45).single())
            .ok_or_else(|| "internal error: no sample time".to_string())?;
        let mut written = String::new();
        let wrote = fmt::write(&mut written, format_args!("{}", sample.format_with_items(format.items.iter())));
        if wrote.is_err() || format.read(&written, &Zone::Utc).is_none() {
            return Err(format!(
                "`{pattern}` does not read a whole date (it needs a year, a month and a day, and minutes with an hour)"
            ));
        }
        Ok(format)
    }

    /// The pattern as written.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The UTC date `text` gives under this pattern: an instant (a pattern with an offset)
    /// by its UTC date, a full time without an offset in `zone`, a date as written.
    pub(crate) fn read(&self, text: &str, zone: &Zone) -> Option<NaiveDate> {
        let mut parsed = Parsed::new();
        chrono::format::parse(&mut parsed, text, self.items.iter()).ok()?;
        if parsed.offset().is_some() || parsed.timestamp().is_some() {
            return parsed.to_datetime().ok().map(|dt| dt.with_timezone(&Utc).date_naive());
        }
        if parsed.hour_div_12().is_some() || parsed.hour_mod_12().is_some() || parsed.minute().is_some() {
            let date = parsed.to_naive_date().ok()?;
            let time = parsed.to_naive_time().ok()?;
            return zone.utc_date(date.and_time(time));
        }
        parsed.to_naive_date().ok()
    }
}

/// A URL scheme put before a value that has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// `http://`.
    Http,
    /// `https://`.
    Https,
}

impl Scheme {
    /// `http` or `https`.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

/// How a field's values are written in files: the reading keys of one `[fields]` entry.
///
/// The defaults read values exactly as the format's record rules say (plain decimals,
/// `YYYY-MM-DD` and RFC 3339 dates, `yes`/`no` booleans, lists split on `;`).
///
/// ```
/// let d = leadspec::Definition::from_toml(r#"
///     [definition]
///     name = "x"
///     [teams]
///     m = "M"
///     [fields]
///     amount = { type = "number", column = "Amount (EUR)", thousands = ".", decimal = "," }
///     [[stages]]
///     id = "a"
///     owner = "m"
///     when = "amount > 0"
/// "#)?;
/// let amount = d.field("amount").unwrap();
/// assert_eq!(amount.column(), "Amount (EUR)");
/// assert_eq!((amount.format().thousands(), amount.format().decimal()), (Some('.'), ','));
/// # Ok::<(), leadspec::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldFormat {
    pub(crate) column: Option<String>,
    pub(crate) missing: Placeholders,
    pub(crate) thousands: Option<char>,
    pub(crate) decimal: char,
    pub(crate) currency: bool,
    pub(crate) formats: Vec<DateFormat>,
    pub(crate) true_words: Vec<String>,
    pub(crate) false_words: Vec<String>,
    pub(crate) separator: char,
    pub(crate) default_scheme: Option<Scheme>,
}

impl Default for FieldFormat {
    fn default() -> Self {
        FieldFormat {
            column: None,
            missing: Placeholders::default(),
            thousands: None,
            decimal: '.',
            currency: false,
            formats: Vec::new(),
            true_words: Vec::new(),
            false_words: Vec::new(),
            separator: ';',
            default_scheme: None,
        }
    }
}

impl FieldFormat {
    /// The field's own placeholders (`missing`), as written.
    pub fn missing(&self) -> &[String] {
        &self.missing.words
    }
    /// The thousands separator dropped between digits (`thousands`), if any.
    pub fn thousands(&self) -> Option<char> {
        self.thousands
    }
    /// The decimal mark (`decimal`, default `.`).
    pub fn decimal(&self) -> char {
        self.decimal
    }
    /// Whether a currency sign or code may stand before or after a number (`currency`).
    pub fn currency(&self) -> bool {
        self.currency
    }
    /// The extra date patterns (`formats`), in the order they are tried.
    pub fn formats(&self) -> &[DateFormat] {
        &self.formats
    }
    /// The extra words for `true` (`true`).
    pub fn true_words(&self) -> &[String] {
        &self.true_words
    }
    /// The extra words for `false` (`false`).
    pub fn false_words(&self) -> &[String] {
        &self.false_words
    }
    /// The character list items are split on (`separator`, default `;`).
    pub fn separator(&self) -> char {
        self.separator
    }
    /// The scheme put before a URL written without one (`default_scheme`), if any.
    pub fn default_scheme(&self) -> Option<Scheme> {
        self.default_scheme
    }

    /// Whether numbers are read exactly as plain decimals (no reading keys).
    pub(crate) fn plain_numbers(&self) -> bool {
        self.thousands.is_none() && self.decimal == '.' && !self.currency
    }
}

/// `text` without surrounding white space; text that starts and ends with a visible ASCII
/// character, as most cells do, is returned at once.
#[inline]
pub(crate) fn trim(text: &str) -> &str {
    let visible = |b: u8| b > b' ' && b < 0x80;
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(&first), Some(&last)) if visible(first) && visible(last) => text,
        _ => text.trim(),
    }
}

/// Whether two words are equal ignoring case (Unicode case folding by lowercase forms).
pub(crate) fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

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

/// The UTC date of `text` (already trimmed): `YYYY-MM-DD`; an RFC 3339 date-time; a
/// date-time without an offset (`YYYY-MM-DD HH:MM[:SS[.fraction]]`, or with `T`) in
/// `zone`; then each of `formats` in order.
pub(crate) fn read_date(text: &str, formats: &[DateFormat], zone: &Zone) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if let Some(date) = plain_date(b) {
        return Some(date);
    }
    if b.len() >= 16 && b.len() <= 40 && matches!(b[10], b'T' | b't' | b' ') {
        // Without an offset (the cheaper test), else with one.
        if let Some(local) = local_date_time(b) {
            return zone.utc_date(local);
        }
        if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
            return Some(dt.with_timezone(&Utc).date_naive());
        }
    }
    formats.iter().find_map(|f| f.read(text, zone))
}

/// `YYYY-MM-DD`, checked digit by digit before chrono validates the calendar.
fn plain_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if !b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
    NaiveDate::from_ymd_opt(i32::try_from(n(0..4)).ok()?, n(5..7), n(8..10))
}

/// `YYYY-MM-DD HH:MM[:SS[.fraction]]` (or `T` for the space), without an offset.
fn local_date_time(b: &[u8]) -> Option<NaiveDateTime> {
    let date = plain_date(b.get(..10)?)?;
    let t = &b[11..];
    let two = |i: usize| -> Option<u32> {
        let (x, y) = (*t.get(i)?, *t.get(i + 1)?);
        (x.is_ascii_digit() && y.is_ascii_digit()).then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
    };
    let hour = two(0)?;
    if t.get(2) != Some(&b':') {
        return None;
    }
    let minute = two(3)?;
    let (mut second, mut nano, mut end) = (0, 0, 5);
    if t.get(5) == Some(&b':') {
        second = two(6)?;
        end = 8;
        if t.get(8) == Some(&b'.') {
            let digits = t[9..].iter().take_while(|d| d.is_ascii_digit()).count();
            if digits == 0 || digits > 9 {
                return None;
            }
            let fraction = t[9..9 + digits].iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
            nano = fraction * 10u32.pow(9 - digits as u32);
            end = 9 + digits;
        }
    }
    if end != t.len() {
        return None;
    }
    NaiveTime::from_hms_nano_opt(hour, minute, second, nano).map(|time| date.and_time(time))
}

/// Reads a boolean: the built-in words (`yes`/`no`/`true`/`false`/`1`/`0`, any case), then
/// the field's own `true` and `false` words, compared ignoring case.
pub(crate) fn read_bool(text: &str, format: &FieldFormat) -> Option<bool> {
    if let Some(b) = parse_bool(text) {
        return Some(b);
    }
    if format.true_words.iter().any(|w| eq_ignore_case(w.trim(), text)) {
        return Some(true);
    }
    if format.false_words.iter().any(|w| eq_ignore_case(w.trim(), text)) {
        return Some(false);
    }
    None
}

/// Whether `text` starts with a URL scheme and `://` (`https://`, `ftp://`).
pub(crate) fn has_scheme(text: &str) -> bool {
    let Some(end) = text.find("://") else { return false };
    let scheme = &text[..end];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The field id a column's text suggests: lower case, each run of other characters one
/// `_` (trimmed at the ends), `_` before a leading digit, `_field` after a word of the
/// rule language.
///
/// ```
/// use leadspec::proposed_field_id;
/// assert_eq!(proposed_field_id("Lead Source"), "lead_source");
/// assert_eq!(proposed_field_id("Amount (USD)"), "amount_usd");
/// assert_eq!(proposed_field_id("2nd Email"), "_2nd_email");
/// assert_eq!(proposed_field_id("today"), "today_field");
/// ```
pub fn proposed_field_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || c == '_' {
            id.push(c);
            in_run = false;
        } else if !in_run {
            id.push('_');
            in_run = true;
        }
    }
    let mut id = id.trim_matches('_').to_string();
    if id.is_empty() {
        id.push_str("field");
    }
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        id.insert(0, '_');
    }
    if crate::rule::is_reserved_word(&id) {
        id.push_str("_field");
    }
    id
}

/// Whether `id` can name a field in rules: ASCII letters, digits and `_`, not starting
/// with a digit, and not a word of the rule language.
pub(crate) fn is_field_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with(|c: char| c.is_ascii_digit())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !crate::rule::is_reserved_word(id)
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

    #[test]
    fn dates_in_built_in_forms_and_zones() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let ny = Zone::parse("America/New_York").unwrap();
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        let plus2 = Zone::parse("+02:00").unwrap();
        assert_eq!(read_date("2026-11-22", &[], &ny), d("2026-11-22"));
        assert_eq!(read_date("2018-02-26 19:58:54", &[], &Zone::Utc), d("2018-02-26"));
        assert_eq!(read_date("2018-02-26 19:58:54", &[], &ny), d("2018-02-27"));
        assert_eq!(read_date("2018-02-26T19:58", &[], &ny), d("2018-02-27"));
        assert_eq!(read_date("2026-11-01 00:30:00.25", &[], &berlin), d("2026-10-31"));
        assert_eq!(read_date("2026-11-01 01:30", &[], &plus2), d("2026-10-31"));
        assert_eq!(read_date("2026-11-01T01:30:00+02:00", &[], &ny), d("2026-10-31"));
        assert_eq!(read_date("2026-11-01 25:30", &[], &ny), None);
        assert_eq!(read_date("2026-11-01 1:30", &[], &ny), None);
        assert_eq!(read_date("2026-11-01 01:30:00.", &[], &ny), None);
        // Berlin skips 02:00-03:00 on 2026-03-29 and has 02:00-03:00 twice on 2026-10-25.
        assert_eq!(read_date("2026-03-29 02:30", &[], &berlin), d("2026-03-29"));
        assert_eq!(read_date("2026-10-25 02:30", &[], &berlin), d("2026-10-25"));
        let tokyo = Zone::parse("Asia/Tokyo").unwrap();
        assert_eq!(read_date("2026-10-25 08:59", &[], &tokyo), d("2026-10-24"));
    }

    #[test]
    fn date_patterns_read_instants_local_times_and_dates() {
        let ny = Zone::parse("America/New_York").unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let zoho = DateFormat::new("%d %b, %Y %H:%M:%S").unwrap();
        assert_eq!(zoho.read("15 Apr, 2021 00:03:00", &Zone::Utc), d("2021-04-15"));
        assert_eq!(zoho.read("14 Apr, 2021 22:30:00", &ny), d("2021-04-15"));
        // Month names follow chrono: any case; literals are case-sensitive.
        assert_eq!(zoho.read("15 APR, 2021 00:03:00", &Zone::Utc), d("2021-04-15"));
        let at = DateFormat::new("%d.%m.%Y at %H:%M").unwrap();
        assert_eq!(at.read("15.04.2021 at 10:00", &Zone::Utc), d("2021-04-15"));
        assert_eq!(at.read("15.04.2021 AT 10:00", &Zone::Utc), None);
        let us = DateFormat::new("%m/%d/%Y").unwrap();
        assert_eq!(us.read("04/15/2021", &ny), d("2021-04-15"), "a date is taken as written");
        assert_eq!(us.read("4/15/2021", &ny), d("2021-04-15"));
        assert_eq!(us.read("04/15/2021 10:00", &ny), None, "the text is consumed whole");
        let offset = DateFormat::new("%Y-%m-%d %H:%M %z").unwrap();
        assert_eq!(offset.read("2021-04-15 23:30 -0300", &Zone::Utc), d("2021-04-16"));
        assert_eq!(read_date("04/15/2021", &[zoho.clone(), us.clone()], &ny), d("2021-04-15"));
        assert!(DateFormat::new("%H:%M").is_err());
        assert!(DateFormat::new("%Y-%m-%d %H").is_err());
        assert!(DateFormat::new("%").is_err());
        assert!(DateFormat::new("%Y-%m-%d").is_ok());
    }

    #[test]
    fn placeholders_compare_trimmed_text_ignoring_case() {
        let p = Placeholders::new(vec!["Select".into(), "N/A".into(), "-".into(), "KEINE".into()]);
        assert!(p.contains("select"));
        assert!(p.contains("n/a"));
        assert!(p.contains("-"));
        assert!(p.contains("keine"));
        assert!(!p.contains("selected"));
        assert!(!p.contains("--"));
        let unicode = Placeholders::new(vec!["ÉTÉ".into()]);
        assert!(unicode.contains("été"));
        // The Kelvin sign lowercases to `k`.
        let k = Placeholders::new(vec!["kein".into(), "N/A".into()]);
        assert!(k.contains("\u{212a}EIN"));
        assert!(k.contains("KEIN"));
        assert!(!k.contains("KEINE"));
        assert!(!Placeholders::default().contains("x"));
    }

    #[test]
    fn booleans_add_words_to_the_built_in_ones() {
        let f = FieldFormat {
            true_words: vec!["Y".into(), "Sí".into()],
            false_words: vec!["N".into()],
            ..FieldFormat::default()
        };
        assert_eq!(read_bool("y", &f), Some(true));
        assert_eq!(read_bool("SÍ", &f), Some(true));
        assert_eq!(read_bool("n", &f), Some(false));
        assert_eq!(read_bool("yes", &f), Some(true));
        assert_eq!(read_bool("maybe", &f), None);
    }

    #[test]
    fn field_ids_and_their_proposals() {
        assert!(is_field_id("lead_source"));
        assert!(is_field_id("LeadSource"));
        assert!(is_field_id("_x1"));
        assert!(!is_field_id("Lead Source"));
        assert!(!is_field_id("1st"));
        assert!(!is_field_id("país"));
        assert!(!is_field_id("score"));
        assert!(!is_field_id(""));
        assert_eq!(proposed_field_id("Lead Source"), "lead_source");
        assert_eq!(proposed_field_id("  E-mail Address "), "e_mail_address");
        assert_eq!(proposed_field_id("How did you hear about X Education"), "how_did_you_hear_about_x_education");
        assert_eq!(proposed_field_id("País"), "pa_s");
        assert_eq!(proposed_field_id("% complete"), "complete");
        assert_eq!(proposed_field_id("1"), "_1");
        assert_eq!(proposed_field_id("Score!"), "score_field");
        assert_eq!(proposed_field_id("!!!"), "field");
    }

    #[test]
    fn schemes_are_detected() {
        assert!(has_scheme("https://acme.example"));
        assert!(has_scheme("ftp://acme.example"));
        assert!(!has_scheme("acme.example/pricing"));
        assert!(!has_scheme("acme.example/?u=https://x"));
        assert!(!has_scheme("://x"));
    }
}
