//! Matching a file's columns to a definition's fields, and saying out loud what does not
//! match.
//!
//! A CSV file names its columns once, in its header: [`Definition::header`] maps each
//! header cell to the field that reads it, once per file, and [`Header::prepare_row`] then
//! reads each row straight into its prepared form. JSON records name their keys record by
//! record: [`SeenKeys`] prepares each record and remembers which keys were held.
//!
//! Either way, a [`ColumnReport`] lists what did not match: the fields no column holds
//! (with the header cell or key they probably meant), columns named twice, a missing id
//! column. A service can refuse a file whose columns do not fit before it reads a million
//! rows; `leadspec classify` prints the same findings as warnings.
//!
//! ```
//! use leadspec::Definition;
//!
//! let definition = Definition::from_toml(r#"
//!     [input]
//!     id = "Prospect ID"
//!     [definition]
//!     name = "Export"
//!     [teams]
//!     marketing = "Marketing"
//!     [fields]
//!     email = { type = "email", column = "Email" }
//!     lead_source = "string"
//!     [[stages]]
//!     id = "contact"
//!     owner = "marketing"
//!     when = "email is present"
//! "#)?;
//!
//! let header = definition.header(&["Prospect ID", "Email", "Lead Source"]);
//! let warnings: Vec<String> = header.report().findings().iter().map(|f| f.to_string()).collect();
//! assert_eq!(warnings, [
//!     r#"no column "lead_source" for field `lead_source`; did you mean "Lead Source"? (add column = "Lead Source")"#,
//! ]);
//!
//! let lead = header.prepare_row(["P-1", "ann@example.com", "Webinar"])?;
//! let now = leadspec::parse_reference_time("2026-11-22").unwrap();
//! let result = definition.classify_prepared(&lead, now).unwrap();
//! assert_eq!(result.stage().map(|s| s.id()), Some("contact"));
//! assert_eq!(result.id().map(|id| id.to_string()).as_deref(), Some("P-1"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod header;
mod keys;

use std::collections::HashMap;
use std::fmt;

use crate::Definition;

pub use header::Header;
pub(crate) use keys::PreparedVisitor;
pub use keys::SeenKeys;

/// One thing a file's columns do not match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnFinding {
    /// No column (or, for JSON, no record's key) holds this field.
    MissingField {
        /// The field's id.
        field: String,
        /// The column it reads: its `column`, or its id.
        column: String,
        /// A header cell or key that no field reads and that is probably the one meant.
        suggestion: Option<String>,
    },
    /// The header names a column more than once; the first is read.
    Repeated {
        /// The column.
        column: String,
        /// How many times the header names it.
        times: usize,
    },
    /// The column `[input] id` names is not in the header.
    MissingId {
        /// The column `[input] id` names.
        column: String,
        /// A header cell that no field reads and that is probably the one meant.
        suggestion: Option<String>,
    },
}

impl fmt::Display for ColumnFinding {
    /// The finding as `leadspec classify` warns of it (after `warning: `).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnFinding::MissingField { field, column, suggestion } => {
                write!(f, "no column \"{column}\" for field `{field}`")?;
                if let Some(s) = suggestion {
                    write!(f, "; did you mean \"{s}\"? (add column = \"{s}\")")?;
                }
                Ok(())
            }
            ColumnFinding::Repeated { column, times } => {
                write!(f, "the header names the column \"{column}\" {times} times; the first is read")
            }
            ColumnFinding::MissingId { column, suggestion } => {
                write!(f, "no column \"{column}\" for the record id ([input] id)")?;
                if let Some(s) = suggestion {
                    write!(f, "; did you mean \"{s}\"? (set [input] id = \"{s}\")")?;
                }
                Ok(())
            }
        }
    }
}

/// What a file's columns do not match, in the order `leadspec classify` warns of it: the
/// fields without a column (in field order), the columns named twice, the missing id
/// column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnReport {
    findings: Vec<ColumnFinding>,
}

impl ColumnReport {
    /// Every finding.
    pub fn findings(&self) -> &[ColumnFinding] {
        &self.findings
    }
    /// Whether the columns match the definition: every field has its column, none is named
    /// twice, and the id column (when `[input] id` names one) is there.
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }
    /// The ids of the fields that no column holds.
    pub fn missing_fields(&self) -> impl Iterator<Item = &str> {
        self.findings.iter().filter_map(|f| match f {
            ColumnFinding::MissingField { field, .. } => Some(field.as_str()),
            _ => None,
        })
    }
}

/// The most typo comparisons one report makes: beyond it, only candidates equal to the
/// column in all but case, spaces, `_` and `-` are suggested. Bounds the work of a header
/// with very many cells against a definition with very many fields.
const MAX_COMPARISONS: usize = 200_000;
/// Header cells or keys that no field reads, to suggest for a field without its column.
struct Candidates<'c> {
    /// Each candidate with its loose form (lower case, without white space, `_` and `-`).
    all: Vec<(&'c str, String)>,
    /// Loose form to the first candidate with it.
    loose: HashMap<String, &'c str>,
    /// Typo comparisons left.
    budget: std::cell::Cell<usize>,
}

/// A column's loose form: lower case, without white space, `_` and `-`.
fn loose(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '_' && *c != '-').flat_map(char::to_lowercase).collect()
}

impl<'c> Candidates<'c> {
    fn new(candidates: impl Iterator<Item = &'c str>) -> Self {
        let mut all = Vec::new();
        let mut loose_forms = HashMap::new();
        for c in candidates.filter(|c| !c.is_empty()) {
            let form = loose(c);
            loose_forms.entry(form.clone()).or_insert(c);
            all.push((c, form));
        }
        Candidates { all, loose: loose_forms, budget: std::cell::Cell::new(MAX_COMPARISONS) }
    }

    /// The candidate `column` probably means: one equal to it in its loose form, or else
    /// the closest within a typo's distance of it.
    fn suggest(&self, column: &str) -> Option<String> {
        let form = loose(column);
        if let Some(c) = self.loose.get(&form) {
            return Some((*c).to_string());
        }
        let length = form.chars().count();
        let near: Vec<&str> = self
            .all
            .iter()
            .filter(|(_, f)| f.len().abs_diff(form.len()) <= length.max(3) / 3 + 1)
            .map(|(_, f)| f.as_str())
            .take(self.budget.get())
            .collect();
        self.budget.set(self.budget.get() - near.len());
        let best = crate::diagnostic::did_you_mean(&form, near)?;
        self.all.iter().find(|(_, f)| f == best).map(|(c, _)| (*c).to_string())
    }
}

impl Definition {
    /// A finding for each field not held, with a suggestion among `candidates`.
    fn missing_fields(&self, held: &[bool], candidates: &Candidates<'_>) -> Vec<ColumnFinding> {
        self.fields
            .iter()
            .zip(held)
            .filter(|(_, &held)| !held)
            .map(|(field, _)| ColumnFinding::MissingField {
                field: field.id.clone(),
                column: field.column().to_string(),
                suggestion: candidates.suggest(field.column()),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    //! What the tests of each step share.

    use super::*;

    /// A definition with an id column, fields read under other column names, and a field
    /// read under its id.
    pub(super) fn definition() -> Definition {
        Definition::from_toml(
            r#"
            [input]
            id = "Prospect ID"
            [definition]
            name = "t"
            [teams]
            m = "M"
            [fields]
            lead_source = "string"
            email = { type = "email", column = "E-mail" }
            amount = { type = "number", column = "Amount (USD)", thousands = ",", currency = true }
            phone = "string"
            [[stages]]
            id = "a"
            owner = "m"
            when = "email is present"
            "#,
        )
        .unwrap()
    }

    /// The findings of a report as `leadspec classify` warns of them.
    pub(super) fn warnings(report: &ColumnReport) -> Vec<String> {
        report.findings().iter().map(ToString::to_string).collect()
    }
}
