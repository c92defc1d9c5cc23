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

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Deserializer;

use crate::record::{PreparedVisitor, RaggedRow};
use crate::{Definition, Prepared, Record, RecordId};

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

/// Where one column's cells go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// Read by no field.
    Skip,
    /// Read by the field at this position.
    Field(usize),
    /// The record's id, read by no field.
    Id,
    /// Read by the field at this position, and also the record's id.
    FieldAndId(usize),
}

/// A CSV header mapped onto a definition's fields, once per file: where each column's
/// cells go, and what did not match.
///
/// Made by [`Definition::header`]; rows are then read with [`Header::prepare_row`]. A header
/// belongs to the definition that made it, which it borrows, so a row is never read with
/// another definition's mapping.
#[derive(Clone, Debug)]
pub struct Header<'d> {
    definition: &'d Definition,
    targets: Vec<Target>,
    /// The (column, field) pairs read, ordered by field type, then column.
    reads: Vec<(u32, u32)>,
    /// The column holding the record's id, if the header names it.
    id_column: Option<usize>,
    report: ColumnReport,
}

impl<'d> Header<'d> {
    /// What the header does not match.
    pub fn report(&self) -> &ColumnReport {
        &self.report
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Whether the header names no column.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// The definition the header was mapped onto.
    pub fn definition(&self) -> &'d Definition {
        self.definition
    }

    /// Reads one row of cells, in header order, straight into its prepared form: each cell
    /// read by the type and reading keys of the field its column feeds, as text (exactly
    /// as [`Definition::prepare`] reads a [`Record`] of text values). Cells of columns no
    /// field reads are skipped unread.
    ///
    /// A row with more or fewer cells than the header is refused.
    pub fn prepare_row<'r, I>(&self, cells: I) -> Result<Prepared, RaggedRow>
    where
        I: IntoIterator<Item = &'r str>,
    {
        let mut prepared = Prepared::missing(self.definition.fields.len(), self.definition.stamp);
        self.prepare_row_into(cells, &mut prepared)?;
        Ok(prepared)
    }

    /// [`prepare_row`](Header::prepare_row) into a record that already exists, reusing its
    /// memory: in a loop over many rows, nothing is allocated once the record has grown to
    /// the size of a typical row. On a refused row, `prepared` holds no record.
    ///
    /// ```
    /// let definition = leadspec::default_definition();
    /// let header = definition.header(&["email", "budget"]);
    /// let mut lead = header.prepare_row(["ann@example.com", "25000"])?;
    /// for row in [["ben@example.com", "100"], ["cy@example.com", "5"]] {
    ///     header.prepare_row_into(row, &mut lead)?;
    ///     assert!(lead.slot(definition.field_position("email").unwrap()).is_present());
    /// }
    /// # Ok::<(), leadspec::RaggedRow>(())
    /// ```
    pub fn prepare_row_into<'r, I>(&self, cells: I, prepared: &mut Prepared) -> Result<(), RaggedRow>
    where
        I: IntoIterator<Item = &'r str>,
    {
        let definition = self.definition;
        // The row's cells, by column, on the stack for any usual width.
        let mut stack: [&'r str; STACK_COLUMNS] = [""; STACK_COLUMNS];
        let mut heap: Vec<&'r str> = Vec::new();
        let mut count = 0;
        for cell in cells {
            if count < STACK_COLUMNS {
                stack[count] = cell;
            } else {
                if heap.is_empty() {
                    heap.extend_from_slice(&stack);
                }
                heap.push(cell);
            }
            count += 1;
        }
        // The id's text goes into the last record's id, reusing its memory.
        let spare = match prepared.id.take() {
            Some(RecordId::Text(text)) => text,
            _ => String::new(),
        };
        prepared.reset(definition.fields.len(), definition.stamp);
        if count != self.targets.len() {
            return Err(RaggedRow { header: self.targets.len(), cells: count });
        }
        let row: &[&str] = if heap.is_empty() { &stack[..count] } else { &heap };
        // Fields are read type by type, so the branch on a field's type goes the same way
        // many times in a row rather than changing from column to column.
        for &(column, field) in &self.reads {
            let (column, field) = (column as usize, field as usize);
            if let (Some(cell), Some(f)) = (row.get(column), definition.fields.get(field)) {
                prepared.store_cell(field, f, &definition.input, cell);
            }
        }
        if let Some(cell) = self.id_column.and_then(|c| row.get(c)) {
            let mut text = spare;
            text.clear();
            text.push_str(cell);
            prepared.id = Some(RecordId::Text(text));
        }
        Ok(())
    }
}

/// The widest row whose cells are gathered on the stack; wider rows use the heap.
const STACK_COLUMNS: usize = 128;

impl Definition {
    /// Maps a CSV header onto the definition's fields: each cell (trimmed, a byte-order
    /// mark before the first ignored) names the column that the field with that `column`
    /// (or id) reads; the first of two equal cells is read.
    ///
    /// The header's [`report`](Header::report) says what did not match. Rows are then read
    /// with [`Header::prepare_row`].
    pub fn header<S: AsRef<str>>(&self, cells: &[S]) -> Header<'_> {
        let mut targets = Vec::with_capacity(cells.len());
        let mut named: HashSet<&str> = HashSet::with_capacity(cells.len());
        let mut repeated: Vec<(&str, usize)> = Vec::new();
        let mut repeated_at: HashMap<&str, usize> = HashMap::new();
        let mut held = vec![false; self.fields.len()];
        let mut id_held = false;
        for (i, cell) in cells.iter().enumerate() {
            let cell = header_cell(cell.as_ref(), i);
            if named.contains(cell) {
                match repeated_at.get(cell) {
                    Some(&k) => repeated[k].1 += 1,
                    None => {
                        repeated_at.insert(cell, repeated.len());
                        repeated.push((cell, 2));
                    }
                }
                targets.push(Target::Skip);
                continue;
            }
            if !cell.is_empty() {
                named.insert(cell);
            }
            let is_id = cell == self.input.id;
            id_held |= is_id;
            targets.push(match (self.column_index.get(cell), is_id) {
                (Some(&f), false) => {
                    held[f] = true;
                    Target::Field(f)
                }
                (Some(&f), true) => {
                    held[f] = true;
                    Target::FieldAndId(f)
                }
                (None, true) => Target::Id,
                (None, false) => Target::Skip,
            });
        }
        let candidates = Candidates::new(
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| header_cell(c.as_ref(), i))
                .filter(|c| !self.column_index.contains_key(*c)),
        );
        let mut findings = self.missing_fields(&held, &candidates);
        findings.extend(
            repeated.into_iter().map(|(column, times)| ColumnFinding::Repeated { column: column.to_string(), times }),
        );
        if self.input.id_written && !id_held {
            let suggestion = candidates.suggest(&self.input.id);
            findings.push(ColumnFinding::MissingId { column: self.input.id.clone(), suggestion });
        }
        let mut reads: Vec<(u32, u32)> = targets
            .iter()
            .enumerate()
            .filter_map(|(c, t)| match *t {
                Target::Field(f) | Target::FieldAndId(f) => Some((c as u32, f as u32)),
                Target::Id | Target::Skip => None,
            })
            .collect();
        reads.sort_by_key(|&(column, field)| (self.fields[field as usize].ty as u8, column));
        let id_column = targets.iter().position(|t| matches!(t, Target::Id | Target::FieldAndId(_)));
        Header { definition: self, targets, reads, id_column, report: ColumnReport { findings } }
    }

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

/// A header cell as it names a column: trimmed, without a byte-order mark before the first.
fn header_cell(cell: &str, position: usize) -> &str {
    let cell = if position == 0 { cell.strip_prefix('\u{feff}').unwrap_or(cell) } else { cell };
    cell.trim()
}

/// The most distinct keys [`SeenKeys`] keeps as did-you-mean candidates.
const MAX_KEYS_KEPT: usize = 1_000;
/// The longest key [`SeenKeys`] keeps as a candidate, in bytes.
const MAX_KEY_BYTES: usize = 256;
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

/// The keys JSON records held, for one definition: prepares each record and remembers
/// which fields' keys were held, so that after the last record the fields no record held
/// are said out loud.
///
/// ```
/// use leadspec::{default_definition, SeenKeys};
///
/// let definition = default_definition();
/// let mut seen = SeenKeys::new(definition);
/// for line in [r#"{"Email": "ann@example.com"}"#, r#"{"Email": "ben@example.com", "budget": 5}"#] {
///     let mut json = serde_json::Deserializer::from_str(line);
///     let lead = seen.prepare_from(&mut json)?;
///     assert_eq!(definition.stage_of(&lead, leadspec::parse_reference_time("2026-11-22").unwrap()).unwrap(), None);
/// }
/// let report = seen.report();
/// let email = report.findings().iter().find(|f| f.to_string().contains("`email`")).unwrap();
/// assert_eq!(email.to_string(), r#"no column "email" for field `email`; did you mean "Email"? (add column = "Email")"#);
/// assert!(report.missing_fields().all(|f| f != "budget"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct SeenKeys<'d> {
    definition: &'d Definition,
    held: Vec<bool>,
    /// Keys no field reads, in the order first seen (at most [`MAX_KEYS_KEPT`]).
    others: Vec<String>,
    other_set: HashSet<String>,
    records: usize,
}

impl<'d> SeenKeys<'d> {
    /// Nothing seen yet, for `definition`.
    pub fn new(definition: &'d Definition) -> Self {
        SeenKeys {
            definition,
            held: vec![false; definition.fields.len()],
            others: Vec::new(),
            other_set: HashSet::new(),
            records: 0,
        }
    }

    /// Deserializes one record straight into its prepared form, as
    /// [`Definition::prepare_from`] does, and notes the keys it holds.
    pub fn prepare_from<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<Prepared, D::Error> {
        let definition = self.definition;
        let prepared = deserializer.deserialize_map(PreparedVisitor { definition, seen: Some(self) })?;
        self.records += 1;
        Ok(prepared)
    }

    /// Notes the keys of a record read some other way.
    pub fn note(&mut self, record: &Record) {
        for (key, _) in record.iter() {
            self.key(key);
        }
        self.records += 1;
    }

    /// Notes one key held by the record being read.
    pub(crate) fn key(&mut self, key: &str) {
        match self.definition.column_index.get(key) {
            Some(&i) => self.held[i] = true,
            None => {
                if self.others.len() < MAX_KEYS_KEPT && key.len() <= MAX_KEY_BYTES && !self.other_set.contains(key) {
                    self.other_set.insert(key.to_string());
                    self.others.push(key.to_string());
                }
            }
        }
    }

    /// How many records were noted.
    pub fn records(&self) -> usize {
        self.records
    }

    /// The fields whose key no record held (a key held with any value counts), each with
    /// the key it probably meant among those seen; empty when no record was noted.
    pub fn report(&self) -> ColumnReport {
        if self.records == 0 {
            return ColumnReport::default();
        }
        let candidates = Candidates::new(self.others.iter().map(String::as_str));
        ColumnReport { findings: self.definition.missing_fields(&self.held, &candidates) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definition() -> Definition {
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

    fn warnings(report: &ColumnReport) -> Vec<String> {
        report.findings().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_header_maps_columns_and_says_what_is_missing() {
        let d = definition();
        let header = d.header(&[
            "\u{feff}Prospect ID ",
            "LEAD_SOURCE",
            "E-mail",
            "Amount (USD)",
            "E-mail",
            "Notes",
            "Notes",
            "Notes",
        ]);
        assert_eq!(
            warnings(header.report()),
            [
                r#"no column "lead_source" for field `lead_source`; did you mean "LEAD_SOURCE"? (add column = "LEAD_SOURCE")"#,
                r#"no column "phone" for field `phone`"#,
                r#"the header names the column "E-mail" 2 times; the first is read"#,
                r#"the header names the column "Notes" 3 times; the first is read"#,
            ]
        );
        let row = header.prepare_row(["P-9", "Web", "a@example.com", "$1,250", "b@example.com", "", "", ""]).unwrap();
        assert_eq!(row.id(), Some(&RecordId::Text("P-9".into())));
        let email = d.field_position("email").unwrap();
        assert!(matches!(row.slot(email), crate::Slot::Text { text: "a@example.com", .. }));
        assert_eq!(row.slot(d.field_position("amount").unwrap()), crate::Slot::Number(1250.0));
        assert_eq!(header.prepare_row(["P-9"]).unwrap_err(), RaggedRow { header: 8, cells: 1 });
    }

    #[test]
    fn a_missing_id_column_is_said_with_a_suggestion() {
        let d = definition();
        let header = d.header(&["prospect_id", "lead_source", "E-mail", "Amount (USD)", "phone"]);
        assert_eq!(
            warnings(header.report()),
            [
                r#"no column "Prospect ID" for the record id ([input] id); did you mean "prospect_id"? (set [input] id = "prospect_id")"#
            ]
        );
        // Without `[input] id`, a header with no `id` column is fine.
        let plain = crate::default_definition();
        let columns: Vec<&str> = plain.fields().iter().map(|f| f.column()).collect();
        assert!(plain.header(&columns).report().is_empty());
    }

    #[test]
    fn typos_are_suggested_but_only_among_unread_cells() {
        let d = definition();
        let header = d.header(&["Prospect ID", "Lead Sorce", "E-mail", "Amount (USD)", "fone"]);
        assert_eq!(
            warnings(header.report()),
            [
                r#"no column "lead_source" for field `lead_source`; did you mean "Lead Sorce"? (add column = "Lead Sorce")"#,
                r#"no column "phone" for field `phone`"#,
            ]
        );
    }

    #[test]
    fn json_keys_seen_across_records() {
        let d = definition();
        let mut seen = SeenKeys::new(&d);
        assert!(seen.report().is_empty(), "nothing is said before a record is read");
        for line in [r#"{"Prospect ID": 1, "Lead Source": "x", "E-mail": null}"#, r#"{"phone": "1", "Amount": 5}"#] {
            let mut json = serde_json::Deserializer::from_str(line);
            seen.prepare_from(&mut json).unwrap();
        }
        assert_eq!(seen.records(), 2);
        assert_eq!(
            warnings(&seen.report()),
            [
                r#"no column "lead_source" for field `lead_source`; did you mean "Lead Source"? (add column = "Lead Source")"#,
                // "Amount" is not a typo of "Amount (USD)": no suggestion.
                r#"no column "Amount (USD)" for field `amount`"#,
            ]
        );
    }
}
