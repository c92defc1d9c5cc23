//! Loading a definition from TOML: strict keys, resolved names, type-checked rules.
//!
//! The TOML is parsed with spans (`toml::de::DeTable`), then walked table by table. Each
//! problem is recorded with its position and loading goes on, so one run reports them all.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::strings::decode_with_offsets;
use super::*;
use crate::diagnostic::{hint_for, DiagnosticCode as C, Diagnostics};
use crate::examples::{Example, ExampleExpectation};
use crate::format::{eq_ignore_case, is_field_id, zone_names, Placeholders, Zone};
use crate::record::{toml_datetime_value, ValidationRule};
use crate::rule::{Scope, Tables};
use crate::{proposed_field_id, DateFormat, FieldFormat, FieldType, Input, Scheme, Span, Value};

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

fn is_snake_case(id: &str) -> bool {
    let mut parts = id.split('_');
    parts.clone().count() > 0
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// "qualified_lead" -> "Qualified lead".
fn display_name(id: &str) -> String {
    let spaced = id.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Parses an SLA such as `48h`: fixed-length units only.
fn parse_sla(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit() && c != '_').unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    let unit_seconds = match unit {
        "min" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 604_800,
        "mo" | "y" => return Err(format!("an SLA takes a fixed length (min, h, d or w), not `{unit}`")),
        _ => return Err(format!("`{text}` is not a duration such as `48h` (units: min, h, d, w)")),
    };
    let amount: i64 = digits.parse().map_err(|_| format!("`{text}` is not a duration such as `48h`"))?;
    amount.checked_mul(unit_seconds).ok_or_else(|| format!("the duration `{text}` is too large"))
}

impl<'s> Loader<'s, '_> {
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
            Ok(rule) => Some(rule),
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

    // ---- the document ------------------------------------------------------------------

    fn document(&mut self, doc: &DeTable<'_>) -> Option<Definition> {
        self.keys(doc, 0..0, "the definition file", TOP_KEYS, &["definition", "teams", "stages"]);

        let (name, version, description) = self.definition_table(doc.get("definition"));
        let input = doc.get("input").map(|i| self.input(i)).unwrap_or_default();
        let teams = self.teams(doc.get("teams"));
        let (fields, field_index, column_index, broken_fields) = self.fields(doc.get("fields"));
        let has_scoring = doc.contains_key("scoring");
        let criteria_ids: Vec<String> = doc
            .get("qualification")
            .and_then(|q| match q.get_ref() {
                DeValue::Table(t) => t.get("criteria"),
                _ => None,
            })
            .and_then(|c| match c.get_ref() {
                DeValue::Table(t) => Some(t.iter().map(|(k, _)| k.get_ref().to_string()).collect()),
                _ => None,
            })
            .unwrap_or_default();
        let broken_fields: HashSet<String> = broken_fields.into_iter().collect();
        let tables = Tables::new(&fields, &criteria_ids);
        let scope = |allow_criteria, allow_score| Scope {
            fields: &fields,
            field_index: &field_index,
            broken_fields: &broken_fields,
            criteria: &criteria_ids,
            tables: &tables,
            allow_criteria,
            allow_score,
            has_scoring,
            limits: self.limits,
        };
        let criterion_scope = scope(false, false);
        let scoring_scope = scope(true, false);
        let stage_scope = scope(true, true);

        let qualification = self.qualification(doc.get("qualification"), &criterion_scope);
        let scoring = doc.get("scoring").and_then(|s| self.scoring(s, &scoring_scope));
        let stages = self.stages(doc.get("stages"), &teams, &fields, &field_index, &stage_scope);
        let transitions = match doc.get("transitions") {
            Some(item) => self.transitions(item, &stages, &stage_scope),
            None => Vec::new(),
        };
        let messages = doc.get("messages").map(|m| self.messages(m)).unwrap_or_default();

        let mut order: Vec<usize> = (0..stages.len()).collect();
        order.sort_by(|&a, &b| stages[b].0.priority.cmp(&stages[a].0.priority).then(b.cmp(&a)));
        let order: Vec<StageIndex> = order.into_iter().map(|i| StageIndex::new(i, self.stamp)).collect();

        let stages_read_derived = stages.iter().any(|(s, _)| s.rule.uses_criteria() || s.rule.uses_score());
        let partial = Definition {
            name: name.unwrap_or_default(),
            version,
            description,
            teams: teams.into_iter().map(|(t, _)| t).collect(),
            fields,
            field_index,
            column_index,
            input,
            stamp: self.stamp,
            stage_ids: HashMap::new(),
            team_ids: HashMap::new(),
            qualification,
            stages: stages.into_iter().map(|(s, _)| s).collect(),
            order,
            transitions: transitions.into_iter().map(|(t, _)| t).collect(),
            messages,
            scoring,
            examples: Vec::new(),
            warnings: Vec::new(),
            stages_read_derived,
        }
        .indexed();
        self.unreachable_stages(&partial, doc);
        let mut partial = partial;
        partial.mark_folded_fields();
        let examples = match doc.get("examples") {
            Some(item) => self.examples(item, &partial),
            None => Vec::new(),
        };
        if self.d.has_errors() {
            return None;
        }
        Some(Definition { examples, ..partial })
    }

    fn definition_table(&mut self, item: Option<&Item<'_>>) -> (Option<String>, Option<String>, Option<String>) {
        let Some(table) = item.and_then(|i| self.table(i)) else { return (None, None, None) };
        self.keys(table, item.map_or(0..0, |i| i.span()), "[definition]", DEFINITION_KEYS, &["name"]);
        let name = self.optional_string(table, "name");
        let version = table.get("version").and_then(|v| match v.get_ref() {
            DeValue::Integer(i) => Some(i.as_str().to_string()),
            _ => self.string(v),
        });
        let description = self.optional_string(table, "description");
        (name, version, description)
    }

    fn teams(&mut self, item: Option<&Item<'_>>) -> Vec<(Team, Span)> {
        let Some(item) = item else { return Vec::new() };
        let Some(table) = self.table(item) else { return Vec::new() };
        if table.is_empty() {
            self.d.error(C::Empty, item.span(), "[teams] must name at least one team");
        }
        table
            .iter()
            .map(|(key, value)| {
                // A team with a bad display name is still a team, so stages owned by it
                // do not report a second, misleading error.
                let id = key.get_ref().to_string();
                let name = self.string(value).unwrap_or_else(|| id.clone());
                (Team { id, name }, key.span())
            })
            .collect()
    }

    /// The `[input]` table: how this organisation's files are written.
    fn input(&mut self, item: &Item<'_>) -> Input {
        let mut input = Input::default();
        let Some(table) = self.table(item) else { return input };
        self.keys(table, item.span(), "[input]", INPUT_KEYS, &[]);
        if let Some(id) = table.get("id") {
            if let Some(column) = self.string(id) {
                if column.is_empty() {
                    self.d.error(C::Empty, id.span(), "the id column cannot be empty");
                } else {
                    input.id = column;
                    input.id_written = true;
                }
            }
        }
        if let Some(missing) = table.get("missing") {
            input.missing = Placeholders::new(self.strings(missing).into_iter().map(|(w, _)| w).collect());
        }
        if let Some(zone) = table.get("timezone") {
            if let Some(name) = self.string(zone) {
                match Zone::parse(&name) {
                    Some(z) => input.timezone = z,
                    None => {
                        let hint = hint_for(&name, zone_names()).or_else(|| {
                            Some("an IANA name such as `America/New_York`, or an offset such as `+02:00`".into())
                        });
                        self.d.error_hint(C::UnknownValue, zone.span(), format!("unknown time zone `{name}`"), hint);
                    }
                }
            }
        }
        input
    }

    /// The fields, their index by id and by column, and the ids of fields declared but
    /// rejected (rules that name those are not reported again as naming an unknown field).
    #[allow(clippy::type_complexity)]
    fn fields(
        &mut self,
        item: Option<&Item<'_>>,
    ) -> (Vec<Field>, HashMap<String, usize>, HashMap<String, usize>, Vec<String>) {
        let mut fields = Vec::new();
        let mut index = HashMap::new();
        let mut columns: HashMap<String, usize> = HashMap::new();
        let mut broken = Vec::new();
        let Some(table) = item.and_then(|i| self.table(i)) else { return (fields, index, columns, broken) };
        if table.len() > self.limits.max_fields {
            let span = item.map_or(0..0, |i| i.span());
            self.d.error(
                C::LimitExceeded,
                span,
                format!("{} fields, over the limit of {}", table.len(), self.limits.max_fields),
            );
            return (fields, index, columns, broken);
        }
        for (key, value) in table.iter() {
            let id = key.get_ref().to_string();
            if !is_field_id(&id) {
                let message = if crate::rule::is_reserved_word(&id) {
                    format!("`{id}` is a word of the rule language, so it cannot be a field id")
                } else {
                    format!(
                        "`{id}` is not a field id (ids are ASCII letters, digits and `_`, not starting with a digit)"
                    )
                };
                let hint = format!(
                    "name the field `{}` and add `column = \"{}\"`",
                    proposed_field_id(&id),
                    id.replace('\\', "\\\\").replace('"', "\\\"")
                );
                self.d.error_hint(C::InvalidId, key.span(), message, Some(hint));
                // Its other keys are still checked, so one run reports every problem.
                let _ = self.field(&id, value);
                broken.push(id);
                continue;
            }
            match self.field(&id, value) {
                Some((field, column_span)) => {
                    let column_span = column_span.unwrap_or_else(|| key.span());
                    let column = field.column().to_string();
                    if let Some(&first) = columns.get(&column) {
                        let first: &Field = &fields[first];
                        self.d.error_hint(
                            C::Duplicate,
                            column_span,
                            format!("the fields `{}` and `{id}` both read the column \"{column}\"", first.id),
                            Some("each column is read by one field; give one of them another `column`".into()),
                        );
                    } else {
                        columns.insert(column, fields.len());
                    }
                    index.insert(id, fields.len());
                    fields.push(field);
                }
                None => broken.push(id),
            }
        }
        (fields, index, columns, broken)
    }

    fn field_type(&mut self, item: &Item<'_>) -> Option<FieldType> {
        let name = self.string(item)?;
        let ty = FieldType::from_name(&name);
        if ty.is_none() {
            let hint = hint_for(&name, FieldType::ALL.iter().map(|t| t.name()));
            self.d.error_hint(
                C::UnknownValue,
                item.span(),
                format!("unknown field type `{name}` (types: string, number, boolean, date, email, url, enum, list)"),
                hint,
            );
        }
        ty
    }

    /// One field, and the span of its `column` value when it has one.
    fn field(&mut self, id: &str, item: &Item<'_>) -> Option<(Field, Option<Span>)> {
        if let DeValue::String(_) = item.get_ref() {
            let ty = self.field_type(item)?;
            if ty == FieldType::Enum {
                self.d.error(C::MissingKey, item.span(), format!("the enum field `{id}` needs its `values`"));
                return None;
            }
            return Some((Field::new(id, ty), None));
        }
        let table = self.table(item)?;
        self.keys(table, item.span(), &format!("field `{id}`"), FIELD_KEYS, &["type"]);
        let ty = table.get("type").and_then(|t| self.field_type(t))?;
        for (key, _) in table.iter() {
            let name = key.get_ref().as_ref();
            if let Some(&(_, takes)) = TYPED_FIELD_KEYS.iter().find(|(k, _)| *k == name) {
                if takes != ty {
                    self.d.error(
                        C::MisplacedKey,
                        key.span(),
                        format!("`{name}` is a key of {takes} fields; `{id}` is a {ty}"),
                    );
                }
            }
        }
        let mut field = Field::new(id, ty);
        field.required = table.get("required").and_then(|r| self.boolean(r)).unwrap_or(false);
        field.label = self.optional_string(table, "label");
        match (ty, table.get("values")) {
            (FieldType::Enum, Some(values)) => {
                let values = self.strings(values);
                let list = table.get("values").map_or(item.span(), |v| v.span());
                if values.is_empty() {
                    self.d.error(C::Empty, list, format!("the enum field `{id}` has no values"));
                }
                for (value, span) in repeats(&values) {
                    self.d.error(C::Duplicate, span.clone(), format!("the value `{value}` is listed twice"));
                }
                field.values = values.into_iter().map(|(v, _)| v).collect();
            }
            (FieldType::Enum, None) => {
                self.d.error(C::MissingKey, item.span(), format!("the enum field `{id}` needs its `values`"));
            }
            (_, Some(values)) => {
                self.d.error(
                    C::MisplacedKey,
                    values.span(),
                    format!("only an enum field takes `values`; `{id}` is a {ty}"),
                );
            }
            (_, None) => {}
        }
        field.index_values();
        let column_span = table.get("column").map(|c| c.span());
        field.format = self.field_format(table, ty);
        Some((field, column_span))
    }

    /// The reading keys of a field of type `ty` (keys of other types were reported already).
    fn field_format(&mut self, table: &DeTable<'_>, ty: FieldType) -> FieldFormat {
        let mut format = FieldFormat::default();
        if let Some(column) = table.get("column") {
            if let Some(text) = self.string(column) {
                if text.is_empty() {
                    self.d.error(C::Empty, column.span(), "a column name cannot be empty");
                } else {
                    format.column = Some(text);
                }
            }
        }
        if let Some(missing) = table.get("missing") {
            format.missing = Placeholders::new(self.strings(missing).into_iter().map(|(w, _)| w).collect());
        }
        match ty {
            FieldType::Number => {
                let thousands = table.get("thousands").and_then(|t| self.number_mark(t, "thousands"));
                let decimal = table.get("decimal").and_then(|d| self.number_mark(d, "decimal"));
                format.thousands = thousands;
                format.decimal = decimal.unwrap_or('.');
                if thousands == Some(format.decimal) {
                    let (at, hint) = match table.get("decimal").filter(|_| decimal.is_some()) {
                        Some(d) => (d.span(), None),
                        None => (
                            table.get("thousands").map_or(0..0, |t| t.span()),
                            Some(
                                "the decimal mark is `.` unless `decimal` says otherwise; add `decimal = \",\"`".into(),
                            ),
                        ),
                    };
                    self.d.error_hint(
                        C::Conflict,
                        at,
                        format!("`thousands` and `decimal` are both `{}`", format.decimal),
                        hint,
                    );
                }
                format.currency = table.get("currency").and_then(|c| self.boolean(c)).unwrap_or(false);
            }
            FieldType::Date => {
                if let Some(formats) = table.get("formats") {
                    let patterns = self.strings(formats);
                    if patterns.len() > MAX_FORMATS {
                        self.d.error(
                            C::LimitExceeded,
                            formats.span(),
                            format!("{} date formats, over the limit of {MAX_FORMATS}", patterns.len()),
                        );
                    } else {
                        for (pattern, span) in patterns {
                            match DateFormat::new(&pattern) {
                                Ok(f) => format.formats.push(f),
                                Err(message) => self.d.error_hint(
                                    C::InvalidDateFormat,
                                    span,
                                    message,
                                    Some("patterns use chrono's strftime syntax, such as `%d/%m/%Y %H:%M`".into()),
                                ),
                            }
                        }
                    }
                }
            }
            FieldType::Boolean => {
                let true_words = table.get("true").map(|t| self.strings(t)).unwrap_or_default();
                let false_words = table.get("false").map(|f| self.strings(f)).unwrap_or_default();
                self.boolean_words(&true_words, &false_words);
                format.true_words = true_words.into_iter().map(|(w, _)| w).collect();
                format.false_words = false_words.into_iter().map(|(w, _)| w).collect();
            }
            FieldType::List => {
                if let Some(separator) = table.get("separator") {
                    if let Some(text) = self.string(separator) {
                        let mut chars = text.chars();
                        match (chars.next(), chars.next()) {
                            (Some(c), None) => format.separator = c,
                            _ => self.d.error(
                                C::InvalidValue,
                                separator.span(),
                                format!("`separator` is one character, not `{text}`"),
                            ),
                        }
                    }
                }
            }
            FieldType::Url => {
                if let Some(scheme) = table.get("default_scheme") {
                    if let Some(text) = self.string(scheme) {
                        format.default_scheme = match text.as_str() {
                            "https" => Some(Scheme::Https),
                            "http" => Some(Scheme::Http),
                            _ => {
                                let hint = hint_for(&text, ["https", "http"]);
                                self.d.error_hint(
                                    C::UnknownValue,
                                    scheme.span(),
                                    format!("`default_scheme` is \"https\" or \"http\", not \"{text}\""),
                                    hint,
                                );
                                None
                            }
                        };
                    }
                }
            }
            _ => {}
        }
        format
    }

    /// A `thousands` or `decimal` mark: one character that is not a digit, `+`, `-`, `e` or `E`.
    fn number_mark(&mut self, item: &Item<'_>, key: &str) -> Option<char> {
        let text = self.string(item)?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_ascii_digit() && !matches!(c, '+' | '-' | 'e' | 'E') => Some(c),
            _ => {
                self.d.error(
                    C::InvalidValue,
                    item.span(),
                    format!("`{key}` is one character that is not a digit, `+`, `-`, `e` or `E`, not `{text}`"),
                );
                None
            }
        }
    }

    /// Checks a boolean field's own words: none blank, none in both lists, none equal to a
    /// built-in word of the other value (`true = ["no"]`). Each error is at the word.
    fn boolean_words(&mut self, true_words: &[(String, Span)], false_words: &[(String, Span)]) {
        const BUILT_IN: [(&str, bool); 6] =
            [("yes", true), ("true", true), ("1", true), ("no", false), ("false", false), ("0", false)];
        for (words, value, others) in [(true_words, true, false_words), (false_words, false, true_words)] {
            for (word, span) in words {
                let trimmed = word.trim();
                if trimmed.is_empty() {
                    self.d.error(C::Empty, span.clone(), "a blank word never matches (a blank value is missing)");
                } else if let Some((builtin, _)) =
                    BUILT_IN.iter().find(|(b, v)| *v != value && eq_ignore_case(b, trimmed))
                {
                    self.d.error(
                        C::Conflict,
                        span.clone(),
                        format!("`{word}` is a word for {}: `{builtin}` is always {}", !value, !value),
                    );
                } else if let Some((_, first)) = others.iter().find(|(o, _)| eq_ignore_case(o.trim(), trimmed)) {
                    // Reported once, at the later of the two.
                    if first.start < span.start {
                        self.d.error(
                            C::Conflict,
                            span.clone(),
                            format!("`{word}` is listed in both `true` and `false`"),
                        );
                    }
                }
            }
        }
    }

    fn qualification(&mut self, item: Option<&Item<'_>>, scope: &Scope<'_>) -> Qualification {
        let mut qualification =
            Qualification { framework: "BANT".to_string(), require: Requirement::All, criteria: Vec::new() };
        let Some(item) = item else { return qualification };
        let Some(table) = self.table(item) else { return qualification };
        self.keys(table, item.span(), "[qualification]", QUALIFICATION_KEYS, &[]);
        if let Some(framework) = self.optional_string(table, "framework") {
            qualification.framework = framework;
        }
        if let Some(criteria) = table.get("criteria").and_then(|c| self.table(c)) {
            if criteria.len() > self.limits.max_criteria {
                let span = table.get("criteria").map_or(item.span(), |c| c.span());
                self.d.error(
                    C::LimitExceeded,
                    span,
                    format!("{} criteria, over the limit of {}", criteria.len(), self.limits.max_criteria),
                );
            } else {
                for (key, value) in criteria.iter() {
                    let id = key.get_ref().to_string();
                    let (rule, ask) = match value.get_ref() {
                        DeValue::String(_) => (self.rule(value, scope), None),
                        DeValue::Table(t) => {
                            self.keys(t, value.span(), &format!("criterion `{id}`"), CRITERION_KEYS, &["when"]);
                            let rule = t.get("when").and_then(|w| self.rule(w, scope));
                            (rule, self.optional_string(t, "ask"))
                        }
                        _ => {
                            self.expected(value, "a rule string or a table with `when`");
                            (None, None)
                        }
                    };
                    match rule {
                        Some(rule) => qualification.criteria.push(Criterion { id, rule, ask }),
                        None => {
                            self.broken_criteria.insert(id);
                        }
                    }
                }
            }
        }
        if let Some(require) = table.get("require") {
            let count = scope.criteria.len();
            match require.get_ref() {
                DeValue::String(s) if s == "all" => qualification.require = Requirement::All,
                DeValue::String(s) if s == "any" => qualification.require = Requirement::Any,
                DeValue::Integer(_) => {
                    if let Some(n) = self.integer(require) {
                        if n >= 1 && (n as u64) <= count as u64 {
                            qualification.require = Requirement::AtLeast(n as usize);
                        } else {
                            self.d.error(
                                C::InvalidValue,
                                require.span(),
                                format!("`require` must be between 1 and the number of criteria ({count}), not {n}"),
                            );
                        }
                    }
                }
                _ => {
                    let (code, hint) = match require.get_ref() {
                        DeValue::String(s) => (C::UnknownValue, hint_for(s, ["all", "any"])),
                        _ => (C::WrongType, None),
                    };
                    self.d.error_hint(
                        code,
                        require.span(),
                        "`require` must be \"all\", \"any\" or a number of criteria",
                        hint,
                    );
                }
            }
        }
        qualification
    }

    fn scoring(&mut self, item: &Item<'_>, scope: &Scope<'_>) -> Option<Scoring> {
        let table = self.table(item)?;
        self.keys(table, item.span(), "[scoring]", SCORING_KEYS, &[]);
        let min = table.get("min").and_then(|m| self.integer(m));
        let max = table.get("max").and_then(|m| self.integer(m));
        if let (Some(lo), Some(hi), Some(max_item)) = (min, max, table.get("max")) {
            if lo > hi {
                self.d.error(C::Conflict, max_item.span(), format!("`max` ({hi}) is below `min` ({lo})"));
            }
        }
        let mut rules = Vec::new();
        if let Some(list) = table.get("rules") {
            for (rule_table, span) in self.tables(list) {
                self.keys(rule_table, span, "[[scoring.rules]]", SCORING_RULE_KEYS, &["when", "points"]);
                let name = self.optional_string(rule_table, "name");
                let rule = rule_table.get("when").and_then(|w| self.rule(w, scope));
                let points = rule_table.get("points").and_then(|p| self.integer(p));
                if let (Some(rule), Some(points)) = (rule, points) {
                    rules.push(ScoringRule { name, rule, points });
                }
            }
        }
        Some(Scoring { min, max, rules })
    }

    fn stages(
        &mut self,
        item: Option<&Item<'_>>,
        teams: &[(Team, Span)],
        fields: &[Field],
        field_index: &HashMap<String, usize>,
        scope: &Scope<'_>,
    ) -> Vec<(Stage, Span)> {
        let Some(item) = item else { return Vec::new() };
        let tables = self.tables(item);
        if tables.is_empty() {
            self.d.error(C::Empty, item.span(), "a definition needs at least one stage");
        }
        if tables.len() > self.limits.max_stages {
            self.d.error(
                C::LimitExceeded,
                item.span(),
                format!("{} stages, over the limit of {}", tables.len(), self.limits.max_stages),
            );
            return Vec::new();
        }
        let mut stages: Vec<(Stage, Span)> = Vec::new();
        let team_index = index_of(teams.iter().map(|(t, _)| t.id.as_str()));
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut shared: HashMap<SharedWord, usize> = HashMap::new();
        // Stage words (ids and aliases) are one namespace, compared ignoring case: each word
        // maps to the position of the stage table that holds it and where it is written.
        let mut words: HashMap<String, (usize, usize)> = HashMap::new();
        let mut table_ids: Vec<Option<String>> = Vec::with_capacity(tables.len());
        for (position, (table, _)) in tables.iter().enumerate() {
            let id = match table.get("id").map(|i| (i.get_ref(), i.span())) {
                Some((DeValue::String(id), span)) => {
                    words.entry(id.to_lowercase()).or_insert((position, span.start));
                    Some(id.to_string())
                }
                _ => None,
            };
            table_ids.push(id);
        }
        for (position, (table, header)) in tables.into_iter().enumerate() {
            self.keys(table, header.clone(), "[[stages]]", STAGE_KEYS, &["id", "owner", "when"]);
            let id_item = table.get("id");
            let id = id_item.and_then(|i| self.string(i));
            if let (Some(id), Some(id_item)) = (&id, id_item) {
                if !is_snake_case(id) {
                    self.d.error(C::InvalidId, id_item.span(), format!("the stage id `{id}` is not lower_snake_case"));
                }
                if let Some(&first) = ids.get(id) {
                    let (line, _) = self.d.position(first);
                    self.d.error_hint(
                        C::Duplicate,
                        id_item.span(),
                        format!("duplicate stage id `{id}`"),
                        Some(format!("first declared on line {line}")),
                    );
                } else {
                    ids.insert(id.clone(), id_item.span().start);
                }
            }
            let owner = table.get("owner").and_then(|o| {
                let name = self.string(o)?;
                let found = team_index.get(name.as_str()).copied();
                if found.is_none() {
                    let hint = hint_for(&name, teams.iter().map(|(t, _)| t.id.as_str()));
                    self.d.error_hint(C::UnknownTeam, o.span(), format!("unknown team `{name}`"), hint);
                }
                found
            });
            let canonical = table.get("canonical").and_then(|c| {
                let word = self.string(c)?;
                let Some(shared_word) = SharedWord::from_name(&word) else {
                    let hint = hint_for(&word, SharedWord::ALL.iter().map(|w| w.name()));
                    self.d.error_hint(C::UnknownValue, c.span(), format!("unknown shared word `{word}`"), hint);
                    return None;
                };
                if let Some(&first) = shared.get(&shared_word) {
                    let (line, _) = self.d.position(first);
                    self.d.error_hint(
                        C::Duplicate,
                        c.span(),
                        format!("two stages share the shared word `{word}`"),
                        Some(format!("already used on line {line}")),
                    );
                } else {
                    shared.insert(shared_word, c.span().start);
                }
                Some(shared_word)
            });
            let aliases = table.get("aliases").map(|a| self.strings(a)).unwrap_or_default();
            self.stage_words(&aliases, position, &mut words, &table_ids);
            let requires = table
                .get("requires")
                .map(|r| self.strings(r))
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(name, span)| {
                    let found = field_index.get(&name).copied();
                    if found.is_none() {
                        let hint = hint_for(&name, fields.iter().map(|f| f.id.as_str()));
                        self.d.error_hint(C::UnknownField, span, format!("unknown field `{name}` in `requires`"), hint);
                    }
                    found
                })
                .collect();
            let priority = table.get("priority").and_then(|p| self.integer(p)).unwrap_or(0);
            let sla_seconds = table.get("sla").and_then(|s| {
                let text = self.string(s)?;
                match parse_sla(&text) {
                    Ok(seconds) => Some(seconds),
                    Err(message) => {
                        self.d.error(C::InvalidDuration, s.span(), message);
                        None
                    }
                }
            });
            let name = self.optional_string(table, "name");
            let description = self.optional_string(table, "description");
            let rule = table.get("when").and_then(|w| self.rule(w, scope));
            if let (Some(id), true) = (&id, owner.is_none() || rule.is_none()) {
                self.broken_stages.insert(id.clone());
            }
            if let (Some(id), Some(owner), Some(rule)) = (id, owner, rule) {
                let name = name.unwrap_or_else(|| display_name(&id));
                stages.push((
                    Stage {
                        index: StageIndex::new(stages.len(), self.stamp),
                        id,
                        name,
                        owner,
                        canonical,
                        aliases: aliases.into_iter().map(|(a, _)| a).collect(),
                        description,
                        rule,
                        requires,
                        priority,
                        sla_seconds,
                    },
                    header,
                ));
            }
        }
        stages
    }

    /// Checks a stage's aliases against every other stage word (ids and aliases, ignoring
    /// case), so that each word a person types names exactly one stage. `words` maps each
    /// word seen so far to the stage table holding it and the offset where it is written.
    fn stage_words(
        &mut self,
        aliases: &[(String, Span)],
        position: usize,
        words: &mut HashMap<String, (usize, usize)>,
        table_ids: &[Option<String>],
    ) {
        let id = table_ids.get(position).and_then(Option::as_deref);
        for (alias, span) in aliases {
            let key = alias.to_lowercase();
            match words.get(&key) {
                None => {
                    words.insert(key, (position, span.start));
                }
                // The stage's own id as an alias names the same stage: harmless.
                Some(&(owner, _)) if owner == position && id.is_some_and(|id| id.to_lowercase() == key) => {}
                Some(&(owner, first)) => {
                    let (line, _) = self.d.position(first);
                    let message = match table_ids.get(owner).and_then(Option::as_deref) {
                        _ if owner == position => format!("the alias `{alias}` is listed twice"),
                        Some(other) => format!("the alias `{alias}` already names the stage `{other}`"),
                        None => format!("the alias `{alias}` already names another stage"),
                    };
                    let hint = format!(
                        "first written on line {line}; stage ids and aliases, ignoring case, must each name one stage"
                    );
                    self.d.error_hint(C::Duplicate, span.clone(), message, Some(hint));
                }
            }
        }
    }

    /// A stage id or `*` in a transition: `Some(None)` for `*`. `index` maps each id of
    /// `stages` to its position.
    fn stage_ref(
        &mut self,
        item: &Item<'_>,
        stages: &[(Stage, Span)],
        index: &HashMap<&str, usize>,
    ) -> Option<Option<usize>> {
        let name = self.string(item)?;
        if name == "*" {
            return Some(None);
        }
        match index.get(name.as_str()) {
            Some(&i) => Some(Some(i)),
            None if self.broken_stages.contains(&name) => None,
            None => {
                let hint = hint_for(&name, stages.iter().map(|(s, _)| s.id.as_str()));
                self.d.error_hint(C::UnknownStage, item.span(), format!("unknown stage `{name}`"), hint);
                None
            }
        }
    }

    fn transitions(&mut self, item: &Item<'_>, stages: &[(Stage, Span)], scope: &Scope<'_>) -> Vec<(Transition, Span)> {
        let mut transitions = Vec::new();
        let index = index_of(stages.iter().map(|(s, _)| s.id.as_str()));
        for (table, header) in self.tables(item) {
            self.keys(table, header.clone(), "[[transitions]]", TRANSITION_KEYS, &["from", "to"]);
            let from = table.get("from").and_then(|f| self.stage_ref(f, stages, &index));
            let to = table.get("to").and_then(|t| self.stage_ref(t, stages, &index));
            let guard = table.get("when").map(|w| self.rule(w, scope));
            if let (Some(from), Some(to)) = (from, to) {
                if guard.as_ref().is_none_or(Option::is_some) {
                    transitions.push((Transition { from, to, guard: guard.flatten(), stamp: self.stamp }, header));
                }
            }
        }
        transitions
    }

    /// Warns about stages that no declared transition can enter (the first stage excepted:
    /// leads enter the funnel there).
    fn unreachable_stages(&mut self, definition: &Definition, doc: &DeTable<'_>) {
        if definition.transitions.is_empty() || self.d.has_errors() {
            return;
        }
        let Some(DeValue::Array(items)) = doc.get("stages").map(|s| s.get_ref()) else { return };
        // A stage is reachable by a transition into it from elsewhere, or by one into any
        // stage (`to = "*"`) from anywhere but itself: one pass over the transitions.
        let mut entered = vec![false; definition.stages.len()];
        let mut into_any: Vec<Option<usize>> = Vec::new();
        for t in &definition.transitions {
            match t.to {
                Some(to) if t.from != Some(to) => entered[to] = true,
                Some(_) => {}
                None if into_any.len() < 2 && !into_any.contains(&t.from) => into_any.push(t.from),
                None => {}
            }
        }
        for (index, stage) in definition.stages.iter().enumerate().skip(1) {
            let reachable = entered[index] || into_any.iter().any(|&from| from != Some(index));
            if !reachable {
                let span = items
                    .get(index)
                    .and_then(|it| match it.get_ref() {
                        DeValue::Table(t) => t.get("id").map(|i| i.span()),
                        _ => None,
                    })
                    .unwrap_or(0..0);
                self.d.warning(
                    C::UnreachableStage,
                    span,
                    format!("no declared transition reaches the stage `{}`", stage.id),
                );
            }
        }
    }

    fn messages(&mut self, item: &Item<'_>) -> Messages {
        let mut messages = Messages::default();
        let Some(table) = self.table(item) else { return messages };
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            let Some(rule) = ValidationRule::from_name(name) else {
                let hint = hint_for(name, ValidationRule::ALL.iter().map(|r| r.name()));
                self.d.error_hint(
                    C::UnknownKey,
                    key.span(),
                    format!("unknown validation rule `{name}` in [messages]"),
                    hint,
                );
                continue;
            };
            if let Some(message) = self.string(value) {
                messages.set(rule, message);
            }
        }
        messages
    }

    // ---- examples ------------------------------------------------------------------------

    fn examples(&mut self, item: &Item<'_>, definition: &Definition) -> Vec<Example> {
        let mut examples: Vec<Example> = Vec::new();
        let mut names: HashSet<String> = HashSet::new();
        let criterion_index = index_of(definition.qualification.criteria.iter().map(|c| c.id.as_str()));
        for (table, header) in self.tables(item) {
            self.keys(table, header.clone(), "[[examples]]", EXAMPLE_KEYS, &["name"]);
            if let Some(example) = self.example(table, header, definition, &criterion_index) {
                if !names.insert(example.name.clone()) {
                    self.d.error(
                        C::Duplicate,
                        example.span.clone(),
                        format!("two examples are named \"{}\"", example.name),
                    );
                }
                examples.push(example);
            }
        }
        examples
    }

    /// One example; `criterion_index` maps each criterion id to its position.
    fn example(
        &mut self,
        table: &DeTable<'_>,
        header: Span,
        definition: &Definition,
        criterion_index: &HashMap<&str, usize>,
    ) -> Option<Example> {
        let name_key_span = table.get_key_value("name").map_or(header.clone(), |(k, _)| k.span());
        let name = table.get("name").and_then(|n| self.string(n));
        let now = table.get("now").and_then(|n| self.example_now(n));
        let record = match table.get("record") {
            Some(r) => self.example_record(r, definition),
            None => Some(Record::new()),
        };
        let stage_ref = |this: &mut Self, item: &Item<'_>| -> Option<StageIndex> {
            let id = this.string(item)?;
            let found = definition.stage_index(&id);
            if found.is_none() && !this.broken_stages.contains(&id) {
                let hint = hint_for(&id, definition.stages.iter().map(|s| s.id.as_str()));
                this.d.error_hint(C::UnknownStage, item.span(), format!("unknown stage `{id}`"), hint);
            }
            found
        };
        let mut expectations = Vec::new();
        if let Some(stage) = table.get("stage") {
            expectations.push(stage.span());
        }
        if let Some(u) = table.get("unclassified") {
            expectations.push(u.span());
        }
        if let Some(m) = table.get("move") {
            expectations.push(m.span());
        }
        if expectations.len() != 1 {
            // None is a missing expectation; two or more contradict each other.
            let code = if expectations.is_empty() { C::MissingKey } else { C::Conflict };
            let span = expectations.get(1).cloned().unwrap_or(header.clone());
            self.d.error(code, span, "an example has exactly one of `stage`, `unclassified = true` or `move`");
        }
        let expect = if let Some(stage) = table.get("stage") {
            stage_ref(self, stage).map(ExampleExpectation::Stage)
        } else if let Some(u) = table.get("unclassified") {
            match self.boolean(u) {
                Some(true) => Some(ExampleExpectation::Unclassified),
                Some(false) => {
                    self.d.error(C::InvalidValue, u.span(), "write `unclassified = true`, or expect a `stage`");
                    None
                }
                None => None,
            }
        } else if let Some(m) = table.get("move") {
            let mt = self.table(m)?;
            self.keys(mt, m.span(), "an example's `move`", MOVE_KEYS, &["from", "to", "allowed"]);
            let from = mt.get("from").and_then(|f| stage_ref(self, f));
            let to = mt.get("to").and_then(|t| stage_ref(self, t));
            let allowed = mt.get("allowed").and_then(|a| self.boolean(a));
            match (from, to, allowed) {
                (Some(from), Some(to), Some(allowed)) => Some(ExampleExpectation::Move { from, to, allowed }),
                _ => None,
            }
        } else {
            None
        };
        let owner = table.get("owner").and_then(|o| {
            let id = self.string(o)?;
            let found = definition.team_ids.get(&id).copied();
            if found.is_none() {
                let hint = hint_for(&id, definition.teams.iter().map(|t| t.id.as_str()));
                self.d.error_hint(C::UnknownTeam, o.span(), format!("unknown team `{id}`"), hint);
            }
            found
        });
        let qualified = table.get("qualified").and_then(|q| self.truth_word(q));
        let mut criteria = Vec::new();
        if let Some(c) = table.get("criteria").and_then(|c| self.table(c)) {
            for (key, value) in c.iter() {
                let id = key.get_ref().as_ref();
                let Some(&index) = criterion_index.get(id) else {
                    if self.broken_criteria.contains(id) {
                        continue;
                    }
                    let hint = hint_for(id, definition.qualification.criteria.iter().map(|cr| cr.id.as_str()));
                    self.d.error_hint(C::UnknownCriterion, key.span(), format!("unknown criterion `{id}`"), hint);
                    continue;
                };
                if let Some(state) = self.truth_word(value) {
                    criteria.push((index, state));
                }
            }
        }
        let errors = table.get("errors").and_then(|e| self.table(e)).map(|e| {
            let mut expected = Vec::new();
            for (key, value) in e.iter() {
                let id = key.get_ref().as_ref();
                let Some(index) = definition.field_position(id) else {
                    let hint = hint_for(id, definition.fields.iter().map(|f| f.id.as_str()));
                    self.d.error_hint(C::UnknownField, key.span(), format!("unknown field `{id}`"), hint);
                    continue;
                };
                if let Some(message) = self.string(value) {
                    expected.push((index, message));
                }
            }
            expected
        });
        let score = table.get("score").and_then(|s| {
            let n = self.integer(s)?;
            if definition.scoring.is_none() {
                self.d.error(C::MisplacedKey, s.span(), "`score` is expected, but the definition has no [scoring]");
            }
            Some(n)
        });
        let (line, column) = self.d.position(name_key_span.start);
        Some(Example {
            name: name?,
            span: name_key_span,
            line,
            column,
            now,
            record: record?,
            expect: expect?,
            owner,
            qualified,
            criteria,
            errors,
            score,
        })
    }

    fn truth_word(&mut self, item: &Item<'_>) -> Option<Truth> {
        let word = self.string(item)?;
        match Truth::from_word(&word) {
            Some(truth) => Some(truth),
            None => {
                let hint = hint_for(&word, ["met", "not_met", "unknown"]);
                self.d.error_hint(
                    C::UnknownValue,
                    item.span(),
                    format!("`{word}` is not `met`, `not_met` or `unknown`"),
                    hint,
                );
                None
            }
        }
    }

    fn example_now(&mut self, item: &Item<'_>) -> Option<DateTime<Utc>> {
        let text = match item.get_ref() {
            DeValue::String(s) => s.to_string(),
            DeValue::Datetime(dt) => dt.to_string(),
            _ => {
                self.expected(item, "a date or an RFC 3339 date-time");
                return None;
            }
        };
        match crate::time::parse_reference_time(&text) {
            Ok(time) => Some(time),
            Err(error) => {
                self.d.error(C::InvalidDate, item.span(), error.to_string());
                None
            }
        }
    }

    /// An example's record: a table keyed by columns (a field's `column`, or its id) and
    /// the `[input] id` column.
    fn example_record(&mut self, item: &Item<'_>, definition: &Definition) -> Option<Record> {
        let table = self.table(item)?;
        let mut record = Record::new();
        for (key, value) in table.iter() {
            let column = key.get_ref().as_ref();
            if column != definition.input.id && definition.column_position(column).is_none() {
                match definition.field(column) {
                    Some(field) => self.d.error_hint(
                        C::UnknownField,
                        key.span(),
                        format!("the field `{column}` is read from the column \"{}\"", field.column()),
                        Some(format!("write \"{}\" = ... in the record", field.column())),
                    ),
                    None => {
                        let hint = hint_for(column, definition.fields.iter().map(Field::column));
                        self.d.error_hint(C::UnknownField, key.span(), format!("unknown field `{column}`"), hint);
                    }
                }
                continue;
            }
            record.insert(column, toml_value(value.get_ref()));
        }
        Some(record)
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

/// The items whose text is that of an earlier item, in order.
fn repeats(items: &[(String, Span)]) -> impl Iterator<Item = &(String, Span)> {
    let mut seen = HashSet::with_capacity(items.len());
    items.iter().filter(move |(text, _)| !seen.insert(text.as_str()))
}

/// A TOML value as a record value: dates, numbers, booleans and arrays taken as they are.
fn toml_value(value: &DeValue<'_>) -> Value {
    match value {
        DeValue::String(s) => Value::Text(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).map_or(Value::Nested, Value::from),
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().map_or(Value::Nested, Value::Number),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(dt) => {
            let text = dt.to_string();
            toml_datetime_value(&text).unwrap_or(Value::Text(text))
        }
        DeValue::Array(items) => Value::List(
            items
                .iter()
                .map(|i| match i.get_ref() {
                    DeValue::Array(_) | DeValue::Table(_) => Value::Nested,
                    other => toml_value(other),
                })
                .collect(),
        ),
        DeValue::Table(_) => Value::Nested,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sla_takes_fixed_lengths() {
        assert_eq!(parse_sla("48h"), Ok(172_800));
        assert_eq!(parse_sla("30min"), Ok(1_800));
        assert_eq!(parse_sla("2w"), Ok(1_209_600));
        assert!(parse_sla("1mo").is_err());
        assert!(parse_sla("48").is_err());
        assert!(parse_sla("h").is_err());
        assert!(parse_sla("99999999999999999w").is_err());
    }

    #[test]
    fn names_and_ids() {
        assert_eq!(display_name("qualified_lead"), "Qualified lead");
        assert!(is_snake_case("qualified_lead"));
        assert!(is_snake_case("mql2"));
        assert!(!is_snake_case("Qualified"));
        assert!(!is_snake_case("a__b"));
        assert!(!is_snake_case("_a"));
        assert!(!is_snake_case(""));
    }
}
