//! The document: the walk over the top-level tables in the order their names resolve,
//! and the small tables `[definition]`, `[teams]`, `[input]` and `[messages]`.

use std::collections::{HashMap, HashSet};

use toml::de::{DeTable, DeValue};

use super::{Item, Loader, DEFINITION_KEYS, INPUT_KEYS, TOP_KEYS};
use crate::definition::{Definition, Program, StageIndex, Team};
use crate::diagnostic::{hint_for, DiagnosticCode as C};
use crate::format::{zone_names, Placeholders, Zone};
use crate::record::ValidationRule;
use crate::rule::{Scope, Tables};
use crate::{Input, Messages, Span};

impl Loader<'_, '_> {
    pub(super) fn document(&mut self, doc: &DeTable<'_>) -> Option<Definition> {
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
            stamp: self.stamp,
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

        // The last check that needs the spans of stages and transitions; then they go.
        self.unreachable_stages(&stages, &transitions);
        let transition_tables = transitions
            .iter()
            .map(|(_, span)| {
                let (line, column) = self.d.position(span.start);
                crate::rule::Written { span: span.clone(), line, column }
            })
            .collect();
        let mut partial = Definition {
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
            transition_tables,
            messages,
            scoring,
            examples: Vec::new(),
            warnings: Vec::new(),
            program: Program::empty(),
        }
        .indexed();
        partial.mark_folded_fields();
        partial.program = Program::new(&partial);
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
}
