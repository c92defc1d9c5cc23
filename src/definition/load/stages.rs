//! The stages (`[[stages]]`): ids, owners, shared words, aliases, rules and SLAs; the
//! transitions between them (`[[transitions]]`); and which stages no transition reaches.

use std::collections::HashMap;

use toml::de::DeValue;

use super::{index_of, Item, Loader, NameKind, STAGE_KEYS, TRANSITION_KEYS};
use crate::definition::{Stage, StageIndex, Team, Transition};
use crate::diagnostic::{hint_for, DiagnosticCode as C};
use crate::rule::Scope;
use crate::{Field, FieldIndex, SharedWord, Span};

/// Whether `id` is a stage id: lower_snake_case, starting with a letter.
pub(crate) fn is_snake_case(id: &str) -> bool {
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

impl Loader<'_, '_> {
    /// The stages that load, each with the span of its `id`: the place later checks (such
    /// as the unreachable-stage warning) point at.
    pub(super) fn stages(
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
            self.keys(table, header, "[[stages]]", STAGE_KEYS, &["id", "owner", "when"]);
            let id = table.get("id").and_then(|i| Some((self.string(i)?, i.span())));
            if let Some((id, id_span)) = &id {
                if !is_snake_case(id) {
                    self.d.error(C::InvalidId, id_span.clone(), format!("the stage id `{id}` is not lower_snake_case"));
                }
                if let Some(&first) = ids.get(id) {
                    let (line, _) = self.d.position(first);
                    self.d.error_hint(
                        C::Duplicate,
                        id_span.clone(),
                        format!("duplicate stage id `{id}`"),
                        Some(format!("first declared on line {line}")),
                    );
                } else {
                    ids.insert(id.clone(), id_span.start);
                }
            }
            let owner = table.get("owner").and_then(|o| {
                let name = self.string(o)?;
                self.lookup(&team_index, &name, o.span(), NameKind::Team, teams.iter().map(|(t, _)| t.id.as_str()))
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
                    self.lookup(field_index, &name, span, NameKind::RequiredField, fields.iter().map(|f| f.id.as_str()))
                        .map(|i| FieldIndex::new(i, self.stamp))
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
            if let (Some((id, _)), true) = (&id, owner.is_none() || rule.is_none()) {
                self.broken_stages.insert(id.clone());
            }
            if let (Some((id, id_span)), Some(owner), Some(rule)) = (id, owner, rule) {
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
                    id_span,
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
        let ids = stages.iter().map(|(s, _)| s.id.as_str());
        self.lookup(index, &name, item.span(), NameKind::Stage, ids).map(Some)
    }

    pub(super) fn transitions(
        &mut self,
        item: &Item<'_>,
        stages: &[(Stage, Span)],
        scope: &Scope<'_>,
    ) -> Vec<(Transition, Span)> {
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
    /// leads enter the funnel there), each at its `id`.
    pub(super) fn unreachable_stages(&mut self, stages: &[(Stage, Span)], transitions: &[(Transition, Span)]) {
        if transitions.is_empty() || self.d.has_errors() {
            return;
        }
        // A stage is reachable by a transition into it from elsewhere, or by one into any
        // stage (`to = "*"`) from anywhere but itself: one pass over the transitions.
        let mut entered = vec![false; stages.len()];
        let mut into_any: Vec<Option<usize>> = Vec::new();
        for (t, _) in transitions {
            match t.to {
                Some(to) if t.from != Some(to) => entered[to] = true,
                Some(_) => {}
                None if into_any.len() < 2 && !into_any.contains(&t.from) => into_any.push(t.from),
                None => {}
            }
        }
        for (index, (stage, id_span)) in stages.iter().enumerate().skip(1) {
            let reachable = entered[index] || into_any.iter().any(|&from| from != Some(index));
            if !reachable {
                self.d.warning(
                    C::UnreachableStage,
                    id_span.clone(),
                    format!("no declared transition reaches the stage `{}`", stage.id),
                );
            }
        }
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
