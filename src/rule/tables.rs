//! What the rules of one definition share instead of copying: each enum field's values
//! (with their case-folded forms and an index by value), the criteria ids by name, and the
//! regexes compiled so far.
//!
//! A definition may have thousands of rules reading one enum field of thousands of values.
//! Each compiled rule holds an [`Arc`] of the field's [`EnumTable`], so the values are kept
//! once per definition, not once per rule or per mention. Likewise a `matches` pattern
//! written in many rules is compiled once (a compiled regex takes kilobytes, and up to
//! milliseconds to build).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use regex::Regex;

use crate::{Field, FieldType, Limits};

/// Indexes built once per definition and shared by all of its rules: the values of each
/// enum field, the position of each criterion id, and each `matches` pattern compiled (or
/// refused) so far. Part of a [`Scope`](super::Scope).
///
/// Build it with [`Tables::new`] from the same fields and criteria ids the scope holds.
/// (Tables built from other fields still compile correct rules, only without sharing.)
#[derive(Clone, Debug, Default)]
pub(crate) struct Tables {
    /// By field slot: the field's values when it is an enum field.
    enums: Vec<Option<Arc<EnumTable>>>,
    /// Criterion id to its position (the first, if an id is listed twice).
    criteria: HashMap<String, usize>,
    /// Each pattern compiled so far, by size limit and pattern, with what compiling it gave.
    regexes: RefCell<HashMap<(usize, String), Compiled>>,
    /// How much of [`Limits::max_regex_total_bytes`] the patterns compiled so far used.
    regex_bytes: Cell<usize>,
}

/// What compiling a `matches` pattern gave.
type Compiled = Result<Arc<Regex>, Refusal>;

/// Why a `matches` pattern was not compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Not a regex: the `regex` crate's message.
    Syntax(String),
    /// Over [`Limits::max_regex_bytes`] compiled.
    TooBig(usize),
    /// Over what is left of [`Limits::max_regex_total_bytes`].
    OverTotal(usize),
}

/// What each distinct pattern counts for against [`Limits::max_regex_total_bytes`] besides
/// its size limits: about what a compiled regex takes beyond its program.
const REGEX_BYTES: usize = 8 << 10;

/// The first size limit a pattern is tried under; each next one is 8 times larger.
const FIRST_REGEX_LIMIT: usize = 1 << 10;

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
        Tables { enums, criteria: index, regexes: RefCell::default(), regex_bytes: Cell::new(0) }
    }

    /// `pattern` compiled within `limits`, once per pattern: a repeat gets the same regex
    /// or the same refusal.
    ///
    /// The pattern is tried under growing size limits, from [`FIRST_REGEX_LIMIT`] up to
    /// [`Limits::max_regex_bytes`] or what is left of [`Limits::max_regex_total_bytes`],
    /// whichever is less; it uses up [`REGEX_BYTES`] plus every limit it was tried under.
    /// The lazy DFA's cache limit is `max_regex_bytes`, as for any pattern.
    pub(crate) fn regex(&self, pattern: &str, limits: &Limits) -> Compiled {
        let key = (limits.max_regex_bytes, pattern.to_string());
        if let Some(compiled) = self.regexes.borrow().get(&key) {
            return compiled.clone();
        }
        let total = limits.max_regex_total_bytes;
        let mut left = total.saturating_sub(self.regex_bytes.get());
        let mut spent = REGEX_BYTES.min(left);
        left -= spent;
        let compiled = if spent < REGEX_BYTES {
            Err(Refusal::OverTotal(total))
        } else {
            let mut limit = FIRST_REGEX_LIMIT.min(limits.max_regex_bytes);
            let mut tried = 0;
            loop {
                let capped = limit.min(left);
                if capped < limit && capped <= tried {
                    // What is left would not let it compile under a larger limit than before.
                    break Err(Refusal::OverTotal(total));
                }
                (left, spent, tried) = (left - capped, spent + capped, capped);
                let built =
                    regex::RegexBuilder::new(pattern).size_limit(capped).dfa_size_limit(limits.max_regex_bytes).build();
                match built {
                    // The same regex as under a larger limit: the only optional part the
                    // `regex` crate leaves out when it does not fit (a reverse search for the
                    // text before an inner literal) is smaller than the reverse search of the
                    // whole pattern, which had to fit.
                    Ok(regex) => break Ok(Arc::new(regex)),
                    Err(regex::Error::CompiledTooBig(_)) if capped < limit => break Err(Refusal::OverTotal(total)),
                    Err(regex::Error::CompiledTooBig(_)) if limit < limits.max_regex_bytes => {
                        limit = limit.saturating_mul(8).min(limits.max_regex_bytes);
                    }
                    Err(regex::Error::CompiledTooBig(limit)) => break Err(Refusal::TooBig(limit)),
                    Err(e) => break Err(Refusal::Syntax(e.to_string())),
                }
            }
        };
        self.regex_bytes.set(self.regex_bytes.get().saturating_add(spent));
        self.regexes.borrow_mut().insert(key, compiled.clone());
        compiled
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
/// case-folded, and the value positions in sorted order to find a value's index.
#[derive(Debug)]
pub(crate) struct EnumTable {
    /// Each value as declared, with its folded form.
    values: Box<[(Box<str>, Box<str>)]>,
    /// Value positions ordered by value (then position), for [`EnumTable::position`].
    sorted: Box<[u32]>,
}

impl EnumTable {
    pub(crate) fn new(values: &[String]) -> EnumTable {
        let pairs = values.iter().map(|v| (v.as_str().into(), v.to_lowercase().into_boxed_str())).collect();
        // An enum has at most as many values as fit in a definition, far below u32::MAX;
        // positions past it are left out of the index rather than wrapped.
        let mut sorted: Vec<u32> = (0..values.len()).filter_map(|i| u32::try_from(i).ok()).collect();
        sorted.sort_by(|&a, &b| values[a as usize].cmp(&values[b as usize]).then(a.cmp(&b)));
        EnumTable { values: pairs, sorted: sorted.into_boxed_slice() }
    }

    /// How many values the field has.
    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }

    /// Value `i` as declared.
    #[inline]
    pub(crate) fn text(&self, i: u32) -> Option<&str> {
        self.values.get(i as usize).map(|(text, _)| &**text)
    }

    /// Value `i` case-folded.
    #[inline]
    pub(crate) fn folded(&self, i: u32) -> Option<&str> {
        self.values.get(i as usize).map(|(_, folded)| &**folded)
    }

    /// The values as declared, in order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &str> + '_ {
        self.values.iter().map(|(text, _)| &**text)
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

    #[test]
    fn a_pattern_is_compiled_once_under_the_smallest_limit_that_fits() {
        let limits = Limits::default();
        let tables = Tables::default();
        let first = tables.regex("gmbh$", &limits).unwrap();
        assert!(first.is_match("acme gmbh"));
        assert_eq!(tables.regex_bytes.get(), REGEX_BYTES + 1024);
        assert!(Arc::ptr_eq(&first, &tables.regex("gmbh$", &limits).unwrap()), "compiled once");
        assert_eq!(tables.regex_bytes.get(), REGEX_BYTES + 1024);
        tables.regex(r"\w+ gmbh$", &limits).unwrap();
        assert_eq!(tables.regex_bytes.get(), 2 * REGEX_BYTES + 1024 + (1024 + (8 << 10) + (64 << 10)));
        let before = tables.regex_bytes.get();
        assert_eq!(tables.regex(r"\w{3000}", &limits).err(), Some(Refusal::TooBig(1 << 20)));
        let tried = 1024 + (8 << 10) + (64 << 10) + (512 << 10) + (1 << 20);
        assert_eq!(tables.regex_bytes.get(), before + REGEX_BYTES + tried);
        assert!(matches!(tables.regex("(", &limits), Err(Refusal::Syntax(_))));
        assert_eq!(tables.regexes.borrow().len(), 4);
    }

    #[test]
    fn the_patterns_of_a_definition_share_one_total() {
        let limits = Limits { max_regex_total_bytes: 2 * (REGEX_BYTES + 1024), ..Limits::default() };
        let tables = Tables::default();
        assert!(tables.regex("a$", &limits).is_ok());
        assert!(tables.regex("b$", &limits).is_ok());
        assert_eq!(tables.regex("c$", &limits).err(), Some(Refusal::OverTotal(limits.max_regex_total_bytes)));
        assert!(tables.regex("a$", &limits).is_ok(), "a pattern compiled before costs nothing more");
        // A pattern that needs more than what is left is refused for the total, not alone.
        let limits = Limits { max_regex_total_bytes: REGEX_BYTES + (16 << 10), ..Limits::default() };
        let tables = Tables::default();
        assert_eq!(tables.regex(r"\w+", &limits).err(), Some(Refusal::OverTotal(limits.max_regex_total_bytes)));
    }

    #[test]
    fn alone_a_pattern_compiles_exactly_when_it_does_under_the_limit_of_one() {
        for max_regex_bytes in [0, 100, 5_000, 1 << 20] {
            let limits = Limits { max_regex_bytes, ..Limits::default() };
            for pattern in ["a", "gmbh$", r"\.io$", r"\w+ gmbh$", r"^\d{5}$", r"\w{300}", "(", "[z-a]"] {
                let direct = regex::RegexBuilder::new(pattern).size_limit(max_regex_bytes).build();
                let shared = Tables::default().regex(pattern, &limits);
                match (direct, shared) {
                    (Ok(_), Ok(_)) => {}
                    (Err(regex::Error::CompiledTooBig(a)), Err(Refusal::TooBig(b))) => assert_eq!(a, b),
                    (Err(regex::Error::Syntax(a)), Err(Refusal::Syntax(b))) => assert_eq!(a, b),
                    (direct, shared) => panic!("{pattern} under {max_regex_bytes}: {direct:?} but {shared:?}"),
                }
            }
        }
    }
}
