//! The qualification (`[qualification]` and its criteria) and lead scoring (`[scoring]`).

use toml::de::DeValue;

use super::{Item, Loader, CRITERION_KEYS, QUALIFICATION_KEYS, SCORING_KEYS, SCORING_RULE_KEYS};
use crate::definition::{Criterion, Qualification, Requirement, Scoring, ScoringRule};
use crate::diagnostic::{hint_for, DiagnosticCode as C};
use crate::rule::Scope;

impl Loader<'_, '_> {
    pub(super) fn qualification(&mut self, item: Option<&Item<'_>>, scope: &Scope<'_>) -> Qualification {
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

    pub(super) fn scoring(&mut self, item: &Item<'_>, scope: &Scope<'_>) -> Option<Scoring> {
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
}
