//! Loading a definition from TOML: strict keys, resolved names, type-checked rules.
//!
//! The TOML is parsed with spans (`toml::de::DeTable`), then walked table by table, one
//! file per step: the document and its small tables ([`document`]), the fields and how
//! their values are written ([`fields`]), qualification and scoring ([`qualification`]),
//! stages and transitions ([`stages`]) and the examples ([`examples`]). This file holds the
//! entry point, the key sets and the primitive readers they share. Each problem is recorded
//! with its position and loading goes on, so one run reports them all.

mod document;
mod examples;
mod fields;
mod qualification;
mod stages;

#[cfg(feature = "lsp")]
pub(crate) use stages::is_snake_case;

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::strings::decode_with_offsets;
use super::{Definition, Stamp};
use crate::diagnostic::{hint_for, DiagnosticCode as C, Diagnostics};
use crate::rule::{Rule, Scope};
use crate::{Diagnostic, FieldType, Limits, LoadError, Span};

type Item<'i> = Spanned<DeValue<'i>>;

pub(crate) const TOP_KEYS: &[&str] = &[
    "definition",
    "input",
    "teams",
    "fields",
    "qualification",
    "stages",
    "transitions",
    "messages",
    "examples",
    "scoring",
];
pub(crate) const INPUT_KEYS: &[&str] = &["id", "missing", "timezone"];
pub(crate) const DEFINITION_KEYS: &[&str] = &["name", "version", "description"];
pub(crate) const FIELD_KEYS: &[&str] = &[
    "type",
    "required",
    "label",
    "values",
    "column",
    "missing",
    "thousands",
    "decimal",
    "currency",
    "formats",
    "true",
    "false",
    "separator",
    "default_scheme",
];
/// The reading keys that only some field types take, with those types.
pub(crate) const TYPED_FIELD_KEYS: &[(&str, FieldType)] = &[
    ("thousands", FieldType::Number),
    ("decimal", FieldType::Number),
    ("currency", FieldType::Number),
    ("formats", FieldType::Date),
    ("true", FieldType::Boolean),
    ("false", FieldType::Boolean),
    ("separator", FieldType::List),
    ("default_scheme", FieldType::Url),
];
/// Most date patterns one field may try.
pub(crate) const MAX_FORMATS: usize = 64;
pub(crate) const QUALIFICATION_KEYS: &[&str] = &["framework", "require", "criteria"];
pub(crate) const CRITERION_KEYS: &[&str] = &["when", "ask"];
pub(crate) const STAGE_KEYS: &[&str] =
    &["id", "name", "owner", "canonical", "aliases", "description", "when", "requires", "priority", "sla"];
pub(crate) const TRANSITION_KEYS: &[&str] = &["from", "to", "when"];
pub(crate) const SCORING_KEYS: &[&str] = &["min", "max", "rules"];
pub(crate) const SCORING_RULE_KEYS: &[&str] = &["name", "when", "points"];
pub(crate) const EXAMPLE_KEYS: &[&str] =
    &["name", "now", "record", "stage", "unclassified", "move", "owner", "qualified", "criteria", "errors", "score"];
pub(crate) const MOVE_KEYS: &[&str] = &["from", "to", "allowed"];

pub(super) fn load(source: &str, limits: &Limits) -> Result<Definition, LoadError> {
    let mut d = Diagnostics::new(source);
    if source.len() > limits.max_definition_bytes {
        d.error(
            C::LimitExceeded,
            0..0,
            format!("the definition is {} bytes, over the limit of {}", source.len(), limits.max_definition_bytes),
        );
        return Err(LoadError { diagnostics: d.finish() });
    }
    // A byte-order mark is not TOML; blank it out (same length, so positions hold).
    let unmarked;
    let text = match source.strip_prefix('\u{feff}') {
        Some(rest) => {
            unmarked = format!("   {rest}");
            unmarked.as_str()
        }
        None => source,
    };
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            d.error(C::InvalidToml, span, format!("invalid TOML: {}", e.message().trim_end_matches('\n')));
        }
        return Err(LoadError { diagnostics: d.finish() });
    }
    let mut loader = Loader {
        src: text,
        stamp: Stamp::new(),
        d,
        limits,
        broken_stages: HashSet::new(),
        broken_criteria: HashSet::new(),
    };
    let definition = loader.document(doc.get_ref());
    let diagnostics = loader.d.finish();
    match definition {
        Some(mut definition) if !diagnostics.iter().any(Diagnostic::is_error) => {
            definition.warnings = diagnostics;
            Ok(definition)
        }
        _ => Err(LoadError { diagnostics }),
    }
}

struct Loader<'s, 'l> {
    src: &'s str,
    /// The stamp of the definition being loaded, carried by its stage indices.
    stamp: Stamp,
    d: Diagnostics<'s>,
    limits: &'l Limits,
    /// Ids of stages and criteria that were declared but rejected: references to them are
    /// not reported again, so one slip gives one error rather than one per use.
    broken_stages: HashSet<String>,
    broken_criteria: HashSet<String>,
}

/// What a name refers to: a stage, a team, a field or a criterion the definition declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NameKind {
    /// A stage id (a transition's `from` or `to`, an example's stage).
    Stage,
    /// A team id (a stage's or an example's `owner`).
    Team,
    /// A field id, or the column a field reads.
    Field,
    /// A field id in a stage's `requires`.
    RequiredField,
    /// A criterion id (in an example).
    Criterion,
}

impl NameKind {
    /// The code and message of a reference to no such name.
    fn unknown(self, name: &str) -> (C, String) {
        match self {
            NameKind::Stage => (C::UnknownStage, format!("unknown stage `{name}`")),
            NameKind::Team => (C::UnknownTeam, format!("unknown team `{name}`")),
            NameKind::Field => (C::UnknownField, format!("unknown field `{name}`")),
            NameKind::RequiredField => (C::UnknownField, format!("unknown field `{name}` in `requires`")),
            NameKind::Criterion => (C::UnknownCriterion, format!("unknown criterion `{name}`")),
        }
    }
}

/// What a value is, for "expected a string, found an integer".
fn kind(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl Loader<'_, '_> {
    // ---- primitive readers -------------------------------------------------------------

    /// Reports unknown keys (with did-you-mean) and missing required keys. A missing key
    /// that an unknown key probably misspells is reported once, at the unknown key.
    fn keys(&mut self, table: &DeTable<'_>, header: Span, what: &str, allowed: &[&str], required: &[&str]) {
        let mut suggested = Vec::new();
        for (key, _) in table.iter() {
            let name = key.get_ref().as_ref();
            if !allowed.contains(&name) {
                let hint = hint_for(name, allowed.iter().copied());
                if let Some(h) = crate::diagnostic::did_you_mean(name, allowed.iter().copied()) {
                    suggested.push(h);
                }
                self.d.error_hint(C::UnknownKey, key.span(), format!("unknown key `{name}` in {what}"), hint);
            }
        }
        for &key in required {
            if !table.contains_key(key) && !suggested.contains(&key) {
                self.d.error(C::MissingKey, header.clone(), format!("missing key `{key}` in {what}"));
            }
        }
    }

    fn expected(&mut self, item: &Item<'_>, what: &str) {
        self.d.error(C::WrongType, item.span(), format!("expected {what}, found {}", kind(item.get_ref())));
    }

    fn string(&mut self, item: &Item<'_>) -> Option<String> {
        match item.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.expected(item, "a string");
                None
            }
        }
    }

    fn integer(&mut self, item: &Item<'_>) -> Option<i64> {
        match item.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.d.error(C::InvalidValue, item.span(), "integer out of range");
                    None
                }
            },
            _ => {
                self.expected(item, "an integer");
                None
            }
        }
    }

    fn boolean(&mut self, item: &Item<'_>) -> Option<bool> {
        match item.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.expected(item, "a boolean");
                None
            }
        }
    }

    fn table<'t, 'i>(&mut self, item: &'t Item<'i>) -> Option<&'t DeTable<'i>> {
        match item.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.expected(item, "a table");
                None
            }
        }
    }

    /// The tables of an array of tables (`[[stages]]`), each with its span.
    fn tables<'t, 'i>(&mut self, item: &'t Item<'i>) -> Vec<(&'t DeTable<'i>, Span)> {
        match item.get_ref() {
            DeValue::Array(items) => items.iter().filter_map(|it| self.table(it).map(|t| (t, it.span()))).collect(),
            _ => {
                self.expected(item, "an array of tables");
                Vec::new()
            }
        }
    }

    /// A list of strings, each with its span.
    fn strings(&mut self, item: &Item<'_>) -> Vec<(String, Span)> {
        match item.get_ref() {
            DeValue::Array(items) => items.iter().filter_map(|it| self.string(it).map(|s| (s, it.span()))).collect(),
            _ => {
                self.expected(item, "an array of strings");
                Vec::new()
            }
        }
    }

    fn optional_string(&mut self, table: &DeTable<'_>, key: &str) -> Option<String> {
        table.get(key).and_then(|item| self.string(item))
    }

    /// Compiles a rule string, mapping the rule's own error positions into the file.
    fn rule(&mut self, item: &Item<'_>, scope: &Scope<'_>) -> Option<Rule> {
        let text = self.string(item)?;
        if text.len() > self.limits.max_rule_bytes {
            self.d.error(
                C::LimitExceeded,
                item.span(),
                format!("the rule is {} bytes, over the limit of {}", text.len(), self.limits.max_rule_bytes),
            );
            return None;
        }
        match Rule::compile(&text, scope) {
            Ok(mut rule) => {
                let span = item.span();
                let (line, column) = self.d.position(span.start);
                rule.set_written(crate::rule::Written { span, line, column });
                Some(rule)
            }
            Err(errors) => {
                let span = item.span();
                let map = decode_with_offsets(&self.src[span.clone()]).filter(|(decoded, _)| *decoded == text);
                for e in errors {
                    let at = match &map {
                        Some((_, offsets)) => {
                            let last = offsets.len() - 1;
                            let start = span.start + offsets[e.span.start.min(last)];
                            let end = span.start + offsets[e.span.end.min(last)];
                            start..end.max(start)
                        }
                        None => span.clone(),
                    };
                    self.d.error_hint(e.code, at, e.message, e.hint);
                }
                None
            }
        }
    }

    /// Resolves a name written at `span`: its entry in `ids`, or `None` and an error saying
    /// it names no such `kind` of thing, with a did-you-mean among `candidates`. A stage or
    /// criterion that was declared but rejected is not reported again (its declaration was).
    fn lookup<'c, K, T, S: std::hash::BuildHasher>(
        &mut self,
        ids: &HashMap<K, T, S>,
        name: &str,
        span: Span,
        kind: NameKind,
        candidates: impl IntoIterator<Item = &'c str>,
    ) -> Option<T>
    where
        K: Borrow<str> + Hash + Eq,
        T: Copy,
    {
        if let Some(&found) = ids.get(name) {
            return Some(found);
        }
        let rejected = match kind {
            NameKind::Stage => self.broken_stages.contains(name),
            NameKind::Criterion => self.broken_criteria.contains(name),
            NameKind::Team | NameKind::Field | NameKind::RequiredField => false,
        };
        if !rejected {
            let (code, message) = kind.unknown(name);
            self.d.error_hint(code, span, message, hint_for(name, candidates));
        }
        None
    }
}

/// Each name mapped to its position (the first, for a name given twice).
fn index_of<'a>(names: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    let mut index = HashMap::new();
    for (position, name) in names.enumerate() {
        index.entry(name).or_insert(position);
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_resolves_or_reports_once() {
        let src = "owner = \"sale\"\n";
        let limits = Limits::default();
        let mut loader = Loader {
            src,
            stamp: Stamp::new(),
            d: Diagnostics::new(src),
            limits: &limits,
            broken_stages: HashSet::from(["lead".to_string()]),
            broken_criteria: HashSet::new(),
        };
        let teams = index_of(["marketing", "sales"].into_iter());
        let candidates = || ["marketing", "sales"].into_iter();
        assert_eq!(loader.lookup(&teams, "sales", 9..15, NameKind::Team, candidates()), Some(1));
        assert_eq!(loader.lookup(&teams, "sale", 8..14, NameKind::Team, candidates()), None);
        // A stage declared but rejected was reported where it was declared.
        let stages: HashMap<String, usize> = HashMap::new();
        assert_eq!(loader.lookup(&stages, "lead", 0..4, NameKind::Stage, std::iter::empty()), None);
        let found: Vec<String> = loader.d.finish().iter().map(|d| format!("{d} [{}]", d.code.as_str())).collect();
        assert_eq!(found, ["1:9: error: unknown team `sale` (did you mean `sales`?) [unknown-team]"]);
    }
}
