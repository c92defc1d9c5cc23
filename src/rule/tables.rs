//! What the rules of one definition share instead of copying: each enum field's values
//! (with their case-folded forms and an index by value) and the criteria ids by name.
//!
//! A definition may have thousands of rules reading one enum field of thousands of values.
//! Each compiled rule holds an [`Arc`] of the field's [`EnumTable`], so the values are kept
//! once per definition, not once per rule or per mention.

use std::collections::HashMap;
use std::sync::Arc;

use crate::{Field, FieldType};

/// Indexes built once per definition and shared by all of its rules: the values of each
/// enum field, and the position of each criterion id. Part of a [`Scope`](super::Scope).
///
/// Build it with [`Tables::new`] from the same fields and criteria ids the scope holds.
/// (Tables built from other fields still compile correct rules, only without sharing.)
#[derive(Clone, Debug, Default)]
pub struct Tables {
    /// By field slot: the field's values when it is an enum field.
    enums: Vec<Option<Arc<EnumTable>>>,
    /// Criterion id to its position (the first, if an id is listed twice).
    criteria: HashMap<String, usize>,
}

impl Tables {
    /// The tables of these fields (in slot order) and criteria ids (in the order written).
    pub fn new(fields: &[Field], criteria: &[String]) -> Tables {
        let enums = fields
            .iter()
            .map(|field| (field.ty == FieldType::Enum).then(|| Arc::new(EnumTable::new(&field.values))))
            .collect();
        let mut index = HashMap::with_capacity(criteria.len());
        for (position, id) in criteria.iter().enumerate() {
            index.entry(id.clone()).or_insert(position);
        }
        Tables { enums, criteria: index }
    }

    /// The shared values of the enum field `field` at `slot`.
    pub(crate) fn enum_table(&self, slot: usize, field: &Field) -> Arc<EnumTable> {
        match self.enums.get(slot) {
            Some(Some(table)) if table.len() == field.values.len() => Arc::clone(table),
            // Tables built from other fields: correct, but not shared.
            _ => Arc::new(EnumTable::new(&field.values)),
        }
    }

    /// The position of the criterion `id` in `criteria`.
    pub(crate) fn criterion(&self, id: &str, criteria: &[String]) -> Option<usize> {
        match self.criteria.get(id) {
            Some(&position) if criteria.get(position).is_some_and(|c| c == id) => Some(position),
            // Tables built from these criteria hold every id; otherwise look them up one by one.
            _ if self.criteria.len() == criteria.len() => None,
            _ => criteria.iter().position(|c| c == id),
        }
    }
}

/// The values of one enum field as rules read them: each value as declared and
/// case-folded, in one block of text, and the value positions in sorted order to find a
/// value's index.
#[derive(Debug)]
pub(crate) struct EnumTable {
    /// The values one after another, then their folded forms one after another.
    text: String,
    /// Where each piece of `text` ends: value `i` is piece `i`, its folded form piece `n + i`.
    ends: Box<[usize]>,
    /// Value positions ordered by value (then position), for [`EnumTable::position`].
    sorted: Box<[u32]>,
}

impl EnumTable {
    pub(crate) fn new(values: &[String]) -> EnumTable {
        let mut text = String::with_capacity(values.iter().map(|v| 2 * v.len()).sum());
        let mut ends = Vec::with_capacity(2 * values.len());
        for value in values {
            text.push_str(value);
            ends.push(text.len());
        }
        for value in values {
            text.push_str(&value.to_lowercase());
            ends.push(text.len());
        }
        // An enum has at most as many values as fit in a definition, far below u32::MAX;
        // positions past it are left out of the index rather than wrapped.
        let mut sorted: Vec<u32> = (0..values.len()).filter_map(|i| u32::try_from(i).ok()).collect();
        sorted.sort_by(|&a, &b| values[a as usize].cmp(&values[b as usize]).then(a.cmp(&b)));
        EnumTable { text, ends: ends.into_boxed_slice(), sorted: sorted.into_boxed_slice() }
    }

    /// How many values the field has.
    pub(crate) fn len(&self) -> usize {
        self.ends.len() / 2
    }

    fn piece(&self, k: usize) -> Option<&str> {
        let end = *self.ends.get(k)?;
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        self.text.get(start..end)
    }

    /// Value `i` as declared.
    #[inline]
    pub(crate) fn text(&self, i: u32) -> Option<&str> {
        let i = i as usize;
        if i < self.len() {
            self.piece(i)
        } else {
            None
        }
    }

    /// Value `i` case-folded.
    #[inline]
    pub(crate) fn folded(&self, i: u32) -> Option<&str> {
        let i = i as usize;
        if i < self.len() {
            self.piece(self.len() + i)
        } else {
            None
        }
    }

    /// The values as declared, in order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).filter_map(|i| self.piece(i))
    }

    /// The index of `value` (the first, if it is listed twice).
    pub(crate) fn position(&self, value: &str) -> Option<u32> {
        let at = self.sorted.partition_point(|&i| self.text(i).is_some_and(|v| v < value));
        self.sorted.get(at).copied().filter(|&i| self.text(i) == Some(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_enum_table_finds_values_and_their_folded_forms() {
        let values: Vec<String> = ["User", "b", "a", "b", ""].iter().map(|s| s.to_string()).collect();
        let table = EnumTable::new(&values);
        assert_eq!(table.len(), 5);
        assert_eq!(table.values().collect::<Vec<_>>(), ["User", "b", "a", "b", ""]);
        assert_eq!((table.text(0), table.folded(0)), (Some("User"), Some("user")));
        assert_eq!((table.text(5), table.folded(5)), (None, None));
        assert_eq!(table.position("a"), Some(2));
        assert_eq!(table.position("b"), Some(1), "the first of a value listed twice");
        assert_eq!(table.position(""), Some(4));
        assert_eq!(table.position("user"), None);
        assert_eq!(EnumTable::new(&[]).position("a"), None);
    }

    #[test]
    fn tables_find_criteria_and_fall_back_when_built_from_others() {
        let criteria = vec!["budget".to_string(), "need".to_string()];
        let tables = Tables::new(&[], &criteria);
        assert_eq!(tables.criterion("need", &criteria), Some(1));
        assert_eq!(tables.criterion("authority", &criteria), None);
        assert_eq!(Tables::default().criterion("need", &criteria), Some(1));
    }
}
