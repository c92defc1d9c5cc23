//! Reading a CSV file: its header mapped onto a definition's fields once
//! ([`Definition::header`]), then each row read straight into its prepared form
//! ([`Header::prepare_row`]).

use std::collections::{HashMap, HashSet};

use super::{Candidates, ColumnFinding, ColumnReport};
use crate::{Definition, Prepared, RaggedRow, RecordId};

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
    /// as [`Definition::prepare`] reads a [`Record`](crate::Record) of text values). Cells
    /// of columns no field reads are skipped unread.
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
    ///     assert!(lead.slot(definition.field_position("email").unwrap()).is_some_and(|email| email.is_present()));
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
}

/// A header cell as it names a column: trimmed, without a byte-order mark before the first.
fn header_cell(cell: &str, position: usize) -> &str {
    let cell = if position == 0 { cell.strip_prefix('\u{feff}').unwrap_or(cell) } else { cell };
    cell.trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::columns::tests::{definition, warnings};

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
        assert!(matches!(row.slot(email), Some(crate::Slot::Text { text: "a@example.com", .. })));
        assert_eq!(row.slot(d.field_position("amount").unwrap()), Some(crate::Slot::Number(1250.0)));
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
}
