//! The fields a lead has, as a definition's `[fields]` table declares them.

use std::collections::HashMap;
use std::fmt;

use crate::format::FieldFormat;
use crate::stamp::Stamp;

/// The type of a lead field, which decides how its values are read and validated.
///
/// ```
/// use leadspec::FieldType;
/// assert_eq!(FieldType::from_name("email"), Some(FieldType::Email));
/// assert_eq!(FieldType::Email.name(), "email");
/// assert!(FieldType::Email.is_text() && !FieldType::Date.is_text());
/// assert_eq!(FieldType::from_name("text"), None); // `string`
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// Free text, kept as given.
    String,
    /// A finite decimal number.
    Number,
    /// `true`/`false` (also `yes`/`no`, `1`/`0`, any case, from text).
    Boolean,
    /// A calendar date (`YYYY-MM-DD`, or the UTC date of an RFC 3339 date-time).
    Date,
    /// An e-mail address, valid as HTML forms define it.
    Email,
    /// An absolute `http` or `https` address with a host.
    Url,
    /// One of the field's declared `values`, matched exactly.
    Enum,
    /// A list of strings (from text, split on `;`).
    List,
}

impl FieldType {
    /// Every type, in the order the format's documentation lists them (`string` first).
    pub const ALL: [FieldType; 8] = [
        FieldType::String,
        FieldType::Number,
        FieldType::Boolean,
        FieldType::Date,
        FieldType::Email,
        FieldType::Url,
        FieldType::Enum,
        FieldType::List,
    ];

    /// The name used in a definition file, also the validation rule name for a bad value.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Email => "email",
            FieldType::Url => "url",
            FieldType::Enum => "enum",
            FieldType::List => "list",
        }
    }

    /// The type with this file name, if any.
    pub fn from_name(name: &str) -> Option<FieldType> {
        FieldType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Whether values of this type are text to the rule language (`contains`, `matches`, ...).
    pub fn is_text(self) -> bool {
        matches!(self, FieldType::String | FieldType::Email | FieldType::Url | FieldType::Enum)
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A field of one definition, by its position in [`Definition::fields`] (the order
/// written), which is also its place in a [`Prepared`] record.
///
/// Like a [`StageIndex`], it remembers the definition that made it
/// ([`Definition::field_position`], [`Definition::column_position`], [`Stage::requires`],
/// [`Rule::fields`]): another definition's [`Definition::field_at`] and a record another
/// definition prepared ([`Prepared::slot`]) give `None` for it, rather than read some other
/// field in its place.
///
/// ```
/// use leadspec::{Record, Slot};
///
/// let d = leadspec::default_definition();
/// let budget = d.field_position("budget").unwrap();
/// assert_eq!(d.field_at(budget).map(|f| f.id.as_str()), Some("budget"));
/// let lead = d.prepare(&Record::new().with("budget", "25000"));
/// assert_eq!(lead.slot(budget), Some(Slot::Number(25_000.0)));
///
/// let other = leadspec::Definition::from_toml(leadspec::DEFAULT_DEFINITION_TOML).unwrap();
/// assert!(other.field_at(budget).is_none(), "an index of another definition names no field here");
/// assert!(other.prepare(&Record::new()).slot(budget).is_none(), "nor a value of its records");
/// ```
///
/// [`Definition::fields`]: crate::Definition::fields
/// [`Definition::field_position`]: crate::Definition::field_position
/// [`Definition::column_position`]: crate::Definition::column_position
/// [`Definition::field_at`]: crate::Definition::field_at
/// [`Stage::requires`]: crate::Stage::requires
/// [`Rule::fields`]: crate::rule::Rule::fields
/// [`Prepared`]: crate::Prepared
/// [`Prepared::slot`]: crate::Prepared::slot
/// [`StageIndex`]: crate::StageIndex
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldIndex {
    position: u32,
    pub(crate) stamp: Stamp,
}

impl FieldIndex {
    pub(crate) fn new(position: usize, stamp: Stamp) -> FieldIndex {
        FieldIndex { position: u32::try_from(position).unwrap_or(u32::MAX), stamp }
    }
    /// The field's position in [`Definition::fields`] of the definition that made it.
    ///
    /// [`Definition::fields`]: crate::Definition::fields
    pub fn position(self) -> usize {
        self.position as usize
    }
}

/// One declared field of a lead.
///
/// Its id is how rules name it; its [`column`](Field::column) is where records hold it.
///
/// ```
/// use leadspec::FieldType;
/// let d = leadspec::default_definition();
/// let role = d.field("role").unwrap();
/// assert_eq!((role.ty, role.required), (FieldType::Enum, false));
/// assert_eq!(role.values, ["user", "influencer", "decision_maker", "economic_buyer"]);
/// assert_eq!(role.display_name(), "Role in the purchase"); // its `label`
/// assert!(d.field("email").unwrap().required);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The field id, as records and rules name it.
    pub id: String,
    /// Its type.
    pub ty: FieldType,
    /// The allowed values of an `enum` field, in declared order (empty otherwise).
    pub values: Vec<String>,
    /// Whether every record must hold a valid value (`required = true`).
    pub required: bool,
    /// A display label (defaults to the id).
    pub label: Option<String>,
    /// How files write the field's values (its reading keys).
    pub(crate) format: FieldFormat,
    /// For an enum of many values, each value's position, so that reading one is a lookup.
    pub(crate) value_index: Option<HashMap<String, u32>>,
    /// Whether some rule compares the field's text ignoring case, so that its lowercase
    /// form is kept when a record is prepared.
    pub(crate) folds: bool,
}

impl Field {
    /// A field of `ty` with no values, not required and no label.
    pub fn new(id: impl Into<String>, ty: FieldType) -> Self {
        Field {
            id: id.into(),
            ty,
            values: Vec::new(),
            required: false,
            label: None,
            format: FieldFormat::default(),
            value_index: None,
            folds: true,
        }
    }

    /// The header cell, JSON key or TOML key that holds the field: its `column`, or its id.
    ///
    /// ```
    /// let d = leadspec::default_definition();
    /// assert_eq!(d.field("email").unwrap().column(), "email");
    /// ```
    pub fn column(&self) -> &str {
        self.format.column.as_deref().unwrap_or(&self.id)
    }

    /// Indexes the values of an enum of more than a few, once they are set.
    pub(crate) fn index_values(&mut self) {
        self.value_index = (self.values.len() > 8)
            .then(|| self.values.iter().enumerate().map(|(i, v)| (v.clone(), i as u32)).collect());
    }

    /// How files write the field's values: its reading keys, such as `thousands` or `formats`.
    pub fn format(&self) -> &FieldFormat {
        &self.format
    }

    /// The label people see: `label` or the id.
    pub fn display_name(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.id)
    }
}
