//! A record's values after preparation: coerced by type and placed by field index.
//!
//! A [`Prepared`] record is three blocks of memory whatever its number of fields: one
//! 16-byte cell per field, one text arena holding every text value beside its lowercase
//! form (and every list item), and the spans of list items. Rules read cells by index and
//! compare text in place; nothing is allocated or parsed while classifying, and a batch of
//! prepared records stays small enough to stream through the processor's caches.

use std::fmt;

use chrono::NaiveDate;

use crate::stamp::Stamp;
use crate::time::date_from_epoch_days;
use crate::{FieldIndex, RecordId};

/// One field's value in a prepared record, already coerced to the field's type, as a view
/// into the [`Prepared`] record that holds it.
///
/// Rules read slots by index, so evaluation never looks a field up by name, parses text
/// or allocates.
///
/// ```
/// use leadspec::{default_definition, Record, Slot};
///
/// let definition = leadspec::Definition::from_toml(r#"
///     [definition]
///     name = "Slots"
///     [teams]
///     m = "M"
///     [fields]
///     email = "email"
///     company = "string"
///     budget = "number"
///     [[stages]]
///     id = "gmbh"
///     owner = "m"
///     when = "company ends_with 'gmbh'"
/// "#)?;
/// let prepared = definition.prepare(
///     &Record::new().with("email", " Ann@Example.com ").with("company", "Acme GmbH").with("budget", "lots"),
/// );
/// let [email, company, budget] = ["email", "company", "budget"].map(|f| definition.field_position(f).unwrap());
/// // A rule compares `company` ignoring case: its lowercase form is kept.
/// assert_eq!(prepared.slot(company), Some(Slot::Text { text: "Acme GmbH", folded: "acme gmbh" }));
/// // No rule does so for `email`: its `folded` is the text as read.
/// assert_eq!(prepared.slot(email), Some(Slot::Text { text: "Ann@Example.com", folded: "Ann@Example.com" }));
/// assert_eq!(prepared.slot(budget), Some(Slot::Invalid));
/// # Ok::<(), leadspec::LoadError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Slot<'a> {
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
        text: &'a str,
        /// `text` lowercased once, at preparation, for a field that some rule compares
        /// ignoring case (`contains`, `starts_with`, `ends_with`); for any other field,
        /// nothing reads it, and it is `text` itself (not lowercased), so that preparing a
        /// record copies no text twice for nothing.
        folded: &'a str,
    },
    /// A boolean.
    Bool(bool),
    /// A date.
    Date(NaiveDate),
    /// An `enum` value, as its index among the field's `values`.
    Enum(u32),
    /// A list of strings (trimmed, none empty).
    List(ListItems<'a>),
}

impl Slot<'_> {
    /// Whether the slot holds a valid value (`is present`).
    ///
    /// ```
    /// use leadspec::Slot;
    /// assert!(Slot::Number(0.0).is_present());
    /// assert!(!Slot::Missing.is_present());
    /// assert!(!Slot::Invalid.is_present()); // an invalid value is no value to the rules
    /// ```
    #[inline]
    pub fn is_present(&self) -> bool {
        !matches!(self, Slot::Missing | Slot::Invalid)
    }
}

/// The items of a list value, in order.
///
/// ```
/// use leadspec::{Record, Slot};
/// let d = leadspec::default_definition();
/// let lead = d.prepare(&Record::new().with("tags", "webinar; ebook;;"));
/// let Some(Slot::List(tags)) = lead.slot(d.field_position("tags").unwrap()) else { panic!("a list") };
/// assert_eq!(tags.iter().collect::<Vec<_>>(), ["webinar", "ebook"]); // trimmed, none empty
/// assert_eq!(tags.len(), 2);
/// assert!(tags.contains("ebook") && !tags.contains("Ebook"));
/// assert_eq!(tags, ["webinar", "ebook"][..]);
/// ```
#[derive(Clone, Copy)]
pub struct ListItems<'a> {
    arena: &'a str,
    spans: &'a [(u32, u32)],
}

impl<'a> ListItems<'a> {
    /// The items.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        let arena = self.arena;
        self.spans.iter().map(move |&(start, len)| span(arena, start, len))
    }
    /// How many items there are.
    pub fn len(&self) -> usize {
        self.spans.len()
    }
    /// Whether there are none (never, for a list slot: an empty list is missing).
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
    /// Whether `item` is one of the items, exactly.
    #[inline]
    pub fn contains(&self, item: &str) -> bool {
        // Compared as bytes: equal bytes are equal text, with no character-boundary checks.
        let (arena, item) = (self.arena.as_bytes(), item.as_bytes());
        self.spans.iter().any(|&(start, len)| arena.get(start as usize..(start + len) as usize) == Some(item))
    }
}

impl PartialEq for ListItems<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl<S: AsRef<str>> PartialEq<[S]> for ListItems<'_> {
    fn eq(&self, other: &[S]) -> bool {
        self.iter().eq(other.iter().map(AsRef::as_ref))
    }
}

impl fmt::Debug for ListItems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The text at `start..start + len` of the arena. Cells are only made by [`Prepared`]'s own
/// methods, so the range is always in bounds and on character boundaries.
#[inline]
fn span(arena: &str, start: u32, len: u32) -> &str {
    let start = start as usize;
    arena.get(start..start + len as usize).unwrap_or_default()
}

/// The `folded_len` of a text that is its own lowercase form, stored once.
const SAME_FOLDED: u32 = u32::MAX;

/// How one field's value is stored: 16 bytes, its text (if any) in the record's arena.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Packed {
    Missing,
    Invalid,
    Number(f64),
    /// `len` bytes of text at `start`, followed at once by `folded_len` bytes of its
    /// lowercase form; [`SAME_FOLDED`] when the text is its own lowercase form (stored once).
    Text {
        start: u32,
        len: u32,
        folded_len: u32,
    },
    Bool(bool),
    /// Days since 1970-01-01.
    Date(i32),
    Enum(u32),
    /// `count` item spans from index `first`.
    List {
        first: u32,
        count: u32,
    },
}

impl Packed {
    /// Whether the cell holds a valid value.
    #[inline]
    pub(crate) fn is_present(self) -> bool {
        !matches!(self, Packed::Missing | Packed::Invalid)
    }
}

/// A record prepared against one definition: values coerced and placed by field index.
///
/// Made by [`Definition::prepare`](crate::Definition::prepare) or
/// [`Definition::prepare_from`](crate::Definition::prepare_from); only meaningful with the
/// definition that made it.
///
/// ```
/// use leadspec::{Record, Slot};
/// let d = leadspec::default_definition();
/// let lead = d.prepare(&Record::new().with("id", "L-1").with("email", "ann@example.com").with("nickname", "Annie"));
/// assert_eq!(lead.len(), d.fields().len()); // one value per field; `nickname` is no field
/// assert_eq!(lead.slots().filter(|s| s.is_present()).count(), 1);
/// assert_eq!(lead.slots().next(), Some(Slot::Text { text: "ann@example.com", folded: "ann@example.com" }));
/// assert_eq!(lead.id().map(|id| id.to_string()).as_deref(), Some("L-1"));
/// ```
#[derive(Clone, Debug)]
pub struct Prepared {
    pub(crate) values: Vec<Packed>,
    /// Text values, each followed by its lowercase form, and list items.
    arena: String,
    /// List items as (start, length) in the arena.
    items: Vec<(u32, u32)>,
    pub(crate) id: Option<RecordId>,
    /// The definition that prepared it.
    pub(crate) stamp: Stamp,
}

impl PartialEq for Prepared {
    /// Same id and same values field by field (however the arena happens to be laid out).
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.slots().eq(other.slots())
    }
}

impl Prepared {
    /// A record of `fields` missing values, prepared by the definition of `stamp`.
    pub(crate) fn missing(fields: usize, stamp: Stamp) -> Self {
        Prepared { values: vec![Packed::Missing; fields], arena: String::new(), items: Vec::new(), id: None, stamp }
    }

    /// Makes this a record of `fields` missing values of the definition of `stamp`, keeping
    /// its memory for the next one.
    pub(crate) fn reset(&mut self, fields: usize, stamp: Stamp) {
        self.stamp = stamp;
        self.values.clear();
        self.values.resize(fields, Packed::Missing);
        self.arena.clear();
        self.items.clear();
        self.id = None;
    }

    /// The value of the field at `index` (see
    /// [`Definition::field_position`](crate::Definition::field_position)), or `None` for
    /// an index of a definition other than the one that prepared the record.
    ///
    /// ```
    /// use leadspec::{Record, Slot};
    /// let d = leadspec::default_definition();
    /// let lead = d.prepare(&Record::new().with("budget", "25000"));
    /// assert_eq!(lead.slot(d.field_position("budget").unwrap()), Some(Slot::Number(25_000.0)));
    /// assert_eq!(lead.slot(d.field_position("email").unwrap()), Some(Slot::Missing));
    /// ```
    pub fn slot(&self, index: FieldIndex) -> Option<Slot<'_>> {
        (index.stamp == self.stamp).then(|| self.slot_at(index.position()))
    }

    /// The value of the field at `position`; missing past the last field. For the rules,
    /// whose positions the definition checked when it compiled them.
    #[inline]
    pub(crate) fn slot_at(&self, position: usize) -> Slot<'_> {
        self.view(self.values.get(position).copied().unwrap_or(Packed::Missing))
    }

    /// The values of every field, by field index.
    pub fn slots(&self) -> impl ExactSizeIterator<Item = Slot<'_>> + Clone + '_ {
        self.values.iter().map(|&cell| self.view(cell))
    }

    /// The number of fields (the definition's).
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the definition has no fields.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The record's `id`, if it had one.
    pub fn id(&self) -> Option<&RecordId> {
        self.id.as_ref()
    }

    fn view(&self, cell: Packed) -> Slot<'_> {
        match cell {
            Packed::Missing => Slot::Missing,
            Packed::Invalid => Slot::Invalid,
            Packed::Number(n) => Slot::Number(n),
            Packed::Text { .. } => {
                Slot::Text { text: self.text(cell).unwrap_or_default(), folded: self.folded(cell).unwrap_or_default() }
            }
            Packed::Bool(b) => Slot::Bool(b),
            Packed::Date(days) => date_from_epoch_days(i64::from(days)).map_or(Slot::Invalid, Slot::Date),
            Packed::Enum(i) => Slot::Enum(i),
            Packed::List { .. } => Slot::List(self.list(cell).unwrap_or(ListItems { arena: "", spans: &[] })),
        }
    }

    /// The text of a text cell, as given.
    #[inline]
    pub(crate) fn text(&self, cell: Packed) -> Option<&str> {
        match cell {
            Packed::Text { start, len, .. } => Some(span(&self.arena, start, len)),
            _ => None,
        }
    }

    /// The lowercase form of a text cell.
    #[inline]
    pub(crate) fn folded(&self, cell: Packed) -> Option<&str> {
        match cell {
            Packed::Text { start, len, folded_len: SAME_FOLDED } => Some(span(&self.arena, start, len)),
            Packed::Text { start, len, folded_len } => Some(span(&self.arena, start + len, folded_len)),
            _ => None,
        }
    }

    /// The items of a list cell.
    #[inline]
    pub(crate) fn list(&self, cell: Packed) -> Option<ListItems<'_>> {
        match cell {
            Packed::List { first, count } => {
                let (first, count) = (first as usize, count as usize);
                let spans = self.items.get(first..first + count)?;
                Some(ListItems { arena: &self.arena, spans })
            }
            _ => None,
        }
    }

    /// Sets field `index` to `cell`.
    #[inline]
    pub(crate) fn set(&mut self, index: usize, cell: Packed) {
        if let Some(slot) = self.values.get_mut(index) {
            *slot = cell;
        }
    }

    /// Stores `text` and, when `fold` (a rule compares the field ignoring case), its
    /// lowercase form (stored once when the text is already lower case); invalid if the
    /// arena would pass 4 GiB.
    pub(crate) fn store_text(&mut self, text: &str, fold: bool) -> Packed {
        let start = self.arena.len();
        self.arena.push_str(text);
        let folded_start = self.arena.len();
        let same = !fold || (text.is_ascii() && !text.bytes().any(|b| b.is_ascii_uppercase()));
        if same {
            // Nothing more to store.
        } else if text.is_ascii() {
            self.arena.push_str(text);
            self.arena[folded_start..].make_ascii_lowercase();
        } else {
            // `str::to_lowercase` knows the context-dependent cases (a final sigma).
            self.arena.push_str(&text.to_lowercase());
        }
        let end = self.arena.len();
        let folded_len = if same { Ok(SAME_FOLDED) } else { u32::try_from(end - folded_start) };
        match (u32::try_from(start), u32::try_from(folded_start - start), folded_len) {
            (Ok(start), Ok(len), Ok(folded_len)) if u32::try_from(end).is_ok() && len != SAME_FOLDED => {
                Packed::Text { start, len, folded_len }
            }
            _ => {
                self.arena.truncate(start);
                Packed::Invalid
            }
        }
    }

    /// Stores list items (already trimmed; empty ones are skipped): missing if there are
    /// none, invalid if the arena would pass 4 GiB.
    pub(crate) fn list_of<'t>(&mut self, items: impl IntoIterator<Item = &'t str>) -> Packed {
        let (arena_len, first) = (self.arena.len(), self.items.len());
        for item in items.into_iter().filter(|i| !i.is_empty()) {
            let start = self.arena.len();
            self.arena.push_str(item);
            match (u32::try_from(start), u32::try_from(item.len())) {
                (Ok(start), Ok(len)) if u32::try_from(self.arena.len()).is_ok() => self.items.push((start, len)),
                _ => {
                    self.arena.truncate(arena_len);
                    self.items.truncate(first);
                    return Packed::Invalid;
                }
            }
        }
        let count = self.items.len() - first;
        match (u32::try_from(first), u32::try_from(count)) {
            _ if count == 0 => Packed::Missing,
            (Ok(first), Ok(count)) => Packed::List { first, count },
            _ => Packed::Invalid,
        }
    }

    /// Stores a slot (a view of another record, or built by hand) at field `index`.
    #[cfg(test)]
    pub(crate) fn put(&mut self, index: usize, slot: Slot<'_>) {
        let cell = match slot {
            Slot::Missing => Packed::Missing,
            Slot::Invalid => Packed::Invalid,
            Slot::Number(n) => Packed::Number(n),
            Slot::Text { text, .. } => self.store_text(text, true),
            Slot::Bool(b) => Packed::Bool(b),
            Slot::Date(d) => Packed::Date(crate::time::epoch_days(d)),
            Slot::Enum(i) => Packed::Enum(i),
            Slot::List(items) => self.list_of(items.iter()),
        };
        self.set(index, cell);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Packed>(), 16);
    }

    #[test]
    fn values_round_trip_through_the_arena() {
        let mut p = Prepared::missing(5, Stamp::NONE);
        let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let items = ["webinar", "Ebook"];
        let mut list = Prepared::missing(1, Stamp::NONE);
        list.put(0, Slot::Text { text: "x", folded: "x" });
        let cell = list.list_of(items);
        list.set(0, cell);
        p.put(0, Slot::Text { text: "ΟΔΟΣ Acme", folded: "" });
        p.put(1, Slot::Date(date));
        p.put(2, list.slot_at(0));
        p.put(3, Slot::Number(2.5));
        let folded = "ΟΔΟΣ Acme".to_lowercase();
        assert_eq!(p.slot_at(0), Slot::Text { text: "ΟΔΟΣ Acme", folded: &folded });
        assert_eq!(p.slot_at(1), Slot::Date(date));
        assert!(matches!(p.slot_at(2), Slot::List(l) if l == items[..]));
        assert_eq!(p.slot_at(3), Slot::Number(2.5));
        assert_eq!(p.slot_at(4), Slot::Missing);
        assert_eq!(p.slot_at(99), Slot::Missing);
        assert_eq!(p.slots().filter(Slot::is_present).count(), 4);
        assert_eq!(p.list_of(["", ""]), Packed::Missing);
    }
}
