//! How an organisation's files write their values: the `[input]` table (the id column,
//! placeholders, the time zone of offset-less times) and each field's reading keys
//! (`column`, `missing`, `thousands`, `decimal`, `currency`, `formats`, `true`, `false`,
//! `separator`, `default_scheme`).
//!
//! Everything here is settled when the definition loads: patterns are parsed, time zones
//! resolved, placeholders folded. Reading a value then only compares and parses text.
//!
//! This file holds the tables themselves ([`Input`], [`FieldFormat`], [`Scheme`]) and the
//! small text helpers every reader shares; the reading is one file per kind of value:
//! `placeholders` (the texts that mean "no value"), `number` (marks and currencies),
//! `date` (time zones, `formats` patterns, the built-in date forms) and `boolean`.

mod boolean;
mod date;
mod number;
mod placeholders;

pub(crate) use boolean::read_bool;
#[cfg(feature = "sql")]
pub(crate) use date::transitions;
pub use date::DateFormat;
pub(crate) use date::{read_date, zone_names, Zone};
pub(crate) use number::read_number;
pub(crate) use placeholders::Placeholders;

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
/// A URL scheme put before a value that has none (a field's `default_scheme`).
///
/// ```
/// use leadspec::{Record, Scheme, Slot};
/// let d = leadspec::Definition::from_toml(r#"
///     [definition]
///     name = "Sites"
///     [teams]
///     m = "M"
///     [fields]
///     website = { type = "url", default_scheme = "https" }
///     [[stages]]
///     id = "a"
///     owner = "m"
///     when = "website is present"
/// "#)?;
/// let website = d.field_position("website").unwrap();
/// assert_eq!(d.field_at(website).unwrap().format().default_scheme(), Some(Scheme::Https));
/// assert_eq!(Scheme::Https.name(), "https");
/// let lead = d.prepare(&Record::new().with("website", "example.com"));
/// assert!(matches!(lead.slot(website), Some(Slot::Text { text: "https://example.com", .. })));
/// # Ok::<(), leadspec::LoadError>(())
/// ```
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
    ///
    /// The reading keys of a field, and what they read:
    ///
    /// ```
    /// use leadspec::{Record, Slot};
    /// let d = leadspec::Definition::from_toml(r#"
    ///     [definition]
    ///     name = "Keys"
    ///     [teams]
    ///     m = "M"
    ///     [fields]
    ///     optin = { type = "boolean", true = ["ja"], false = ["nein"], missing = ["?"] }
    ///     tags = { type = "list", separator = "|" }
    ///     [[stages]]
    ///     id = "a"
    ///     owner = "m"
    ///     when = "optin"
    /// "#)?;
    /// let optin = d.field("optin").unwrap().format();
    /// assert_eq!((optin.true_words(), optin.false_words(), optin.missing()), (&["ja".to_string()][..], &["nein".to_string()][..], &["?".to_string()][..]));
    /// assert_eq!(d.field("tags").unwrap().format().separator(), '|');
    ///
    /// let read = |field: &str, text: &str| {
    ///     let lead = d.prepare(&Record::new().with(field, text));
    ///     format!("{:?}", lead.slot(d.field_position(field).unwrap()).unwrap())
    /// };
    /// assert_eq!(read("optin", "Ja"), "Bool(true)");
    /// assert_eq!(read("optin", "?"), "Missing");
    /// assert_eq!(read("tags", "a|b"), r#"List(["a", "b"])"#);
    /// # Ok::<(), leadspec::LoadError>(())
    /// ```
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

/// Whether `text` starts with a URL scheme and `://` (`https://`, `ftp://`).
pub(crate) fn has_scheme(text: &str) -> bool {
    let Some(end) = text.find("://") else { return false };
    let scheme = &text[..end];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_detected() {
        assert!(has_scheme("https://acme.example"));
        assert!(has_scheme("ftp://acme.example"));
        assert!(!has_scheme("acme.example/pricing"));
        assert!(!has_scheme("acme.example/?u=https://x"));
        assert!(!has_scheme("://x"));
    }
}
