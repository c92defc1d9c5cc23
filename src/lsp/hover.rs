//! `textDocument/hover`: what a stage, field, team or criterion id names, wherever the id is
//! written (a key, a value, or inside a rule string): its type or owner, its rule and its
//! description.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::document::Document;
use super::position::Lines;
use crate::Definition;

/// The hover at `position`, if a name of the loaded definition is written there.
pub(crate) fn hover(document: &Document, position: Position) -> Option<Hover> {
    let definition = document.definition.as_ref()?;
    let text = &document.text;
    let lines = Lines::new(text);
    let (start, end) = word_at(text, lines.offset(position))?;
    let word = &text[start..end];
    // After `criteria.`, the word can only be a criterion.
    let criterion_only = text[..start].ends_with("criteria.");
    let mut parts = Vec::new();
    if let Some(criterion) = definition.qualification().criteria().iter().find(|c| c.id() == word) {
        let mut part = format!("**criterion** `{}`\n\nwhen: `{}`", criterion.id(), criterion.rule().text());
        if let Some(ask) = criterion.ask() {
            part.push_str(&format!("\n\nask: {ask}"));
        }
        parts.push(part);
    }
    if !criterion_only {
        describe_names(definition, word, &mut parts);
    }
    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: parts.join("\n\n---\n\n") }),
        range: Some(lines.range(start, end)),
    })
}

/// Describes the stage, field and team that `word` names, if any, after `parts`.
fn describe_names(definition: &Definition, word: &str, parts: &mut Vec<String>) {
    if let Some(stage) = definition.stage(word) {
        let mut part = format!("**stage** `{}`: {}", stage.id(), stage.name());
        if let Some(owner) = definition.owner_of(stage) {
            part.push_str(&format!("\n\nowner: `{}` ({})", owner.id, owner.name));
        }
        part.push_str(&format!("\n\nwhen: `{}`", stage.rule().text()));
        if let Some(description) = stage.description() {
            part.push_str(&format!("\n\n{description}"));
        }
        parts.push(part);
    }
    if let Some(field) = definition.field(word) {
        let mut part = format!("**field** `{}`: {}", field.id, field.ty);
        if field.required {
            part.push_str(", required");
        }
        if let Some(label) = &field.label {
            part.push_str(&format!("\n\nlabel: {label}"));
        }
        if !field.values.is_empty() {
            let values: Vec<String> = field.values.iter().map(|v| format!("`{v}`")).collect();
            part.push_str(&format!("\n\nvalues: {}", values.join(", ")));
        }
        parts.push(part);
    }
    if let Some(team) = definition.team(word) {
        let owned: Vec<String> = definition
            .stages()
            .iter()
            .filter(|s| definition.owner_of(s).is_some_and(|o| o.id == team.id))
            .map(|s| format!("`{}`", s.id()))
            .collect();
        let mut part = format!("**team** `{}`: {}", team.id, team.name);
        if !owned.is_empty() {
            part.push_str(&format!("\n\nowns: {}", owned.join(", ")));
        }
        parts.push(part);
    }
}

/// The byte range of the name (letters, digits, `_`) around byte `offset`, if any.
pub(crate) fn word_at(text: &str, offset: usize) -> Option<(usize, usize)> {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    let start = text[..offset].char_indices().rev().take_while(|&(_, c)| is_name(c)).last().map_or(offset, |(i, _)| i);
    let end = text[offset..].char_indices().find(|&(_, c)| !is_name(c)).map_or(text.len(), |(i, _)| offset + i);
    (start < end).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_around_an_offset() {
        let text = "when = \"criteria.budget and Zoë_x\"";
        let at = |needle: &str| text.find(needle).unwrap();
        assert_eq!(word_at(text, at("budget") + 2), Some((at("budget"), at(" and"))));
        assert_eq!(word_at(text, at("budget")), Some((at("budget"), at(" and"))));
        assert_eq!(word_at(text, at(" and")), Some((at("budget"), at(" and"))));
        assert_eq!(word_at(text, at("Zoë")), Some((at("Zoë"), text.len() - 1)));
        assert_eq!(word_at(text, at("= ") + 1), None);
    }
}
