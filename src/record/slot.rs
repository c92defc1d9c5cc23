//! A record's values after preparation: coerced by type and placed by field index.

use chrono::NaiveDate;

/// One field's value in a prepared record, already coerced to the field's type.
///
/// Rules read slots by index, so evaluation never looks a field up by name, parses text
/// or allocates.
#[derive(Clone, Debug, PartialEq)]
pub enum Slot {
    /// No value: absent, `null`, empty or blank text, or an empty list.
    Missing,
    /// A value that could not be read as the field's type (a validation error).
    Invalid,
    /// A number.
    Number(f64),
    /// A `string`, `email` or `url` value: the text as read, and its lowercase form for the
    /// case-insensitive operators.
    Text {
        /// The text (trimmed for `email` and `url`, as given for `string`).
        text: String,
        /// `text` lowercased once, at preparation.
        folded: String,
    },
    /// A boolean.
    Bool(bool),
    /// A date.
    Date(NaiveDate),
    /// An `enum` value, as its index among the field's `values`.
    Enum(u32),
    /// A list of strings, each with its lowercase form.
    List(Vec<String>),
}

impl Slot {
    /// Whether the slot holds a valid value (`is present`).
    #[inline]
    pub fn is_present(&self) -> bool {
        !matches!(self, Slot::Missing | Slot::Invalid)
    }
}
