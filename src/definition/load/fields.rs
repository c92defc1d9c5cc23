//! The fields (`[fields]`): their types, values and validation, and how their values are
//! written in this organisation's files (`column`, `missing`, `thousands`, `formats`, ...).

use std::collections::{HashMap, HashSet};

use toml::de::{DeTable, DeValue};

use super::{Item, Loader, FIELD_KEYS, MAX_FORMATS, TYPED_FIELD_KEYS};
use crate::definition::Columns;
use crate::diagnostic::{hint_for, DiagnosticCode as C};
use crate::format::{eq_ignore_case, Placeholders};
use crate::names::is_field_id;
use crate::{proposed_field_id, DateFormat, Field, FieldFormat, FieldType, Scheme, Span};

impl Loader<'_, '_> {
    /// The fields, their index by id and by column, and the ids of fields declared but
    /// rejected (rules that name those are not reported again as naming an unknown field).
    #[allow(clippy::type_complexity)]
    pub(super) fn fields(
        &mut self,
        item: Option<&Item<'_>>,
    ) -> (Vec<Field>, HashMap<String, usize>, Columns, Vec<String>) {
        let mut fields = Vec::new();
        let mut index = HashMap::new();
        let mut columns = Columns::default();
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
                let message = if crate::names::is_reserved_word(&id) {
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
}

/// The items whose text is that of an earlier item, in order.
fn repeats(items: &[(String, Span)]) -> impl Iterator<Item = &(String, Span)> {
    let mut seen = HashSet::with_capacity(items.len());
    items.iter().filter(move |(text, _)| !seen.insert(text.as_str()))
}
