//! `textDocument/completion`. Inside a rule string (a `when`, a `guard` or a criterion of
//! `[qualification.criteria]`): the definition's field ids, `criteria.<id>`, the built-in
//! names and the keywords of the rule language (after `criteria.`, only the criterion ids),
//! and inside a text literal compared with an enum field (`role == '`, `role in ['cto', '`)
//! that field's values. Inside the string value of `owner`, the team ids; of `from`, `to` or
//! `stage`, the stage ids. Where a key is written, the keys of the table the cursor is in,
//! from the key lists the loader accepts (the same lists the JSON Schema is checked
//! against), less those already written; in an inline table, the keys of what it is (a
//! field's, a criterion's, an example's `move`) or, in an example's `criteria` and
//! `errors`, the criterion and field ids. Names are read from the TOML structure, so
//! completion works while the text being typed does not load yet.

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, Position, SymbolKind, TextEdit};
use toml_edit::Item;

use super::position::Lines;
use super::symbols::symbols;
use crate::definition::load::{
    CRITERION_KEYS, DEFINITION_KEYS, EXAMPLE_KEYS, FIELD_KEYS, INPUT_KEYS, MOVE_KEYS, QUALIFICATION_KEYS, SCORING_KEYS,
    SCORING_RULE_KEYS, STAGE_KEYS, TOP_KEYS, TRANSITION_KEYS,
};
use crate::names::{BUILT_IN_NAMES, KEYWORDS};

/// The completions at `position` in `text`; none outside the strings named above.
pub(crate) fn complete(text: &str, position: Position) -> Vec<CompletionItem> {
    let lines = Lines::new(text);
    let offset = lines.offset(position);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let header = header_before(&text[..line_start]);
    let Some((key, value)) = before.split_once('=') else {
        // A key being written at the start of a line.
        let written = before.trim_start();
        let in_multiline_string = |q: &str| text[..line_start].matches(q).count() % 2 == 1;
        if written.chars().all(is_key_char) && !in_multiline_string("\"\"\"") && !in_multiline_string("'''") {
            return table_keys(text, line_start, header.as_deref());
        }
        return Vec::new();
    };
    let key = key.trim().trim_matches('"');
    // The names are read from the TOML, without the line being written if it breaks it.
    let source = readable(text, line_start);
    // Inside a string: an odd number of double quotes since the `=`.
    if value.matches('"').count() % 2 == 0 {
        return inline_keys(&source, key, value, header.as_deref());
    }
    let names = symbols(&source);
    let of_kind = |kind: SymbolKind, item: CompletionItemKind| -> Vec<CompletionItem> {
        names.iter().filter(|s| s.kind == kind).map(|s| item_of(&s.name, item, s.detail.clone())).collect()
    };
    match key {
        "owner" => of_kind(SymbolKind::OBJECT, CompletionItemKind::VALUE),
        "from" | "to" | "stage" => of_kind(SymbolKind::ENUM_MEMBER, CompletionItemKind::ENUM_MEMBER),
        _ if key == "when" || key == "guard" || in_criteria_table(&text[..line_start]) => {
            if before.ends_with("criteria.") || ends_with_criterion_prefix(before) {
                return of_kind(SymbolKind::BOOLEAN, CompletionItemKind::VARIABLE);
            }
            let rule = value.split_once('"').map_or("", |(_, rule)| rule);
            if let Some((field, partial)) = compared_enum(rule) {
                let range = lines.range(offset - partial.len(), offset);
                return enum_values(&source, field)
                    .into_iter()
                    .map(|v| CompletionItem {
                        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, v.clone()))),
                        detail: Some(format!("a value of `{field}`")),
                        ..item_of(&v, CompletionItemKind::ENUM_MEMBER, None)
                    })
                    .collect();
            }
            let mut items = of_kind(SymbolKind::FIELD, CompletionItemKind::FIELD);
            items.extend(
                names
                    .iter()
                    .filter(|s| s.kind == SymbolKind::BOOLEAN)
                    .map(|s| item_of(&format!("criteria.{}", s.name), CompletionItemKind::VARIABLE, None)),
            );
            let built_in = BUILT_IN_NAMES.into_iter().filter(|&w| w != "criteria");
            items.extend(built_in.map(|w| item_of(w, CompletionItemKind::CONSTANT, None)));
            items.extend(KEYWORDS.into_iter().map(|w| item_of(w, CompletionItemKind::KEYWORD, None)));
            items
        }
        _ => Vec::new(),
    }
}

/// `text`, or when it is no TOML, `text` without the line starting at `line_start` (the
/// one being written).
fn readable(text: &str, line_start: usize) -> std::borrow::Cow<'_, str> {
    if toml_edit::Document::parse(text).is_ok() {
        return text.into();
    }
    let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
    format!("{}{}", &text[..line_start], &text[line_end..]).into()
}

/// Whether `c` may be part of a bare TOML key.
fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// The last table header before the line, without brackets, spaces and quotes
/// (`[[stages]]` is `stages`, `[fields."budget"]` is `fields.budget`); `None` before the
/// first header.
fn header_before(text_before_line: &str) -> Option<String> {
    let header = text_before_line.lines().rev().map(str::trim_start).find(|l| l.starts_with('['))?;
    let header = header.split('#').next().unwrap_or("");
    Some(header.chars().filter(|c| !matches!(c, '[' | ']' | ' ' | '\t' | '"' | '\'')).collect())
}

/// The keys a table accepts, by its header; `None` for the tables whose keys are ids
/// (`[teams]`, `[fields]`, `[qualification.criteria]`, `[messages]`).
fn keys_of(header: Option<&str>) -> Option<&'static [&'static str]> {
    let Some(header) = header else { return Some(TOP_KEYS) };
    let keys = match header {
        "definition" => DEFINITION_KEYS,
        "input" => INPUT_KEYS,
        "qualification" => QUALIFICATION_KEYS,
        "scoring" => SCORING_KEYS,
        "scoring.rules" => SCORING_RULE_KEYS,
        "stages" => STAGE_KEYS,
        "transitions" => TRANSITION_KEYS,
        "examples" => EXAMPLE_KEYS,
        "examples.move" => MOVE_KEYS,
        _ if header.starts_with("qualification.criteria.") => CRITERION_KEYS,
        _ if header.starts_with("fields.") => FIELD_KEYS,
        _ => return None,
    };
    Some(keys)
}

/// The keys of the table the line starting at `line_start` is in, less those written in it.
fn table_keys(text: &str, line_start: usize, header: Option<&str>) -> Vec<CompletionItem> {
    let Some(keys) = keys_of(header) else { return Vec::new() };
    // The table's lines: back to its header, on to the next.
    let start = text[..line_start].rfind("\n[").map_or(0, |i| i + 1);
    let start = if header.is_none() { 0 } else { start };
    let end = text[line_start..].find("\n[").map_or(text.len(), |i| line_start + i);
    let written: Vec<&str> =
        text[start..end].lines().filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().trim_matches('"'))).collect();
    let detail = header.map_or("top-level table".to_string(), |h| format!("key of [{h}]"));
    keys.iter()
        .filter(|k| !written.contains(k))
        .map(|k| item_of(k, CompletionItemKind::PROPERTY, Some(detail.clone())))
        .collect()
}

/// Keys inside an inline table being written as the value of `key` (`value` is the text
/// after the `=`, outside any string): a field's or a criterion's keys, an example's
/// `move` keys, or in an example's `criteria` and `errors` the criterion and field ids.
fn inline_keys(text: &str, key: &str, value: &str, header: Option<&str>) -> Vec<CompletionItem> {
    let Some(open) = value.rfind('{') else { return Vec::new() };
    let inside = &value[open + 1..];
    let last = inside.rsplit(',').next().unwrap_or(inside).trim_start();
    if inside.contains('}') || !last.chars().all(is_key_char) {
        return Vec::new();
    }
    let keys = |keys: &[&str]| keys.iter().map(|k| item_of(k, CompletionItemKind::PROPERTY, None)).collect();
    let ids = |kind: SymbolKind| {
        symbols(text)
            .into_iter()
            .filter(|s| s.kind == kind)
            .map(|s| item_of(&s.name, CompletionItemKind::VARIABLE, s.detail))
            .collect()
    };
    match (header, key) {
        (Some("fields"), _) => keys(FIELD_KEYS),
        (Some("qualification.criteria"), _) => keys(CRITERION_KEYS),
        (Some("examples"), "move") => keys(MOVE_KEYS),
        (Some("examples"), "criteria") => ids(SymbolKind::BOOLEAN),
        (Some("examples"), "errors") => ids(SymbolKind::FIELD),
        _ => Vec::new(),
    }
}

/// When the cursor is in a text literal compared with a field (`role == 'de`, `role != '`,
/// `role in ['cto', 'de`, `role not in ['`): the field, and what is typed of the value.
/// `rule` is the rule's text up to the cursor.
fn compared_enum(rule: &str) -> Option<(&str, &str)> {
    if rule.matches('\'').count().is_multiple_of(2) {
        return None;
    }
    let quote = rule.rfind('\'')?;
    let partial = &rule[quote + 1..];
    let head = rule[..quote].trim_end();
    let operand = if let Some(head) = head.strip_suffix("==").or_else(|| head.strip_suffix("!=")) {
        head
    } else if head.ends_with('[') || head.ends_with(',') {
        let list = head.rfind('[')?;
        let head = head[..list].trim_end().strip_suffix("in")?.trim_end();
        head.strip_suffix("not").filter(|h| h.ends_with(' ')).unwrap_or(head)
    } else {
        return None;
    };
    let operand = operand.trim_end();
    let name = operand.rsplit(|c: char| !(c.is_alphanumeric() || c == '_')).next()?;
    (!name.is_empty()).then_some((name, partial))
}

/// The `values` of the field `id`, as written in the TOML.
fn enum_values(text: &str, id: &str) -> Vec<String> {
    let Ok(document) = toml_edit::Document::parse(text) else { return Vec::new() };
    let values = document.as_item().get("fields").and_then(|f| f.get(id)).and_then(|f| f.get("values"));
    let values = values.and_then(Item::as_array).map(|a| a.iter().filter_map(|v| v.as_str()).map(str::to_string));
    values.map(Iterator::collect).unwrap_or_default()
}

/// Whether the text before the cursor ends in `criteria.` and part of a name.
fn ends_with_criterion_prefix(before: &str) -> bool {
    let name = before.trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
    name.ends_with("criteria.")
}

/// Whether the last table header before the line is `[qualification.criteria]`.
fn in_criteria_table(text_before_line: &str) -> bool {
    let header = text_before_line.lines().rev().map(str::trim).find(|l| l.starts_with('['));
    header.is_some_and(|h| h.split('#').next().unwrap_or("").replace(' ', "") == "[qualification.criteria]")
}

fn item_of(label: &str, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem { label: label.to_string(), kind: Some(kind), detail, ..CompletionItem::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[definition]\nname = \"Zoë\"\n[teams]\nsales = \"Sales\"\n[fields]\nbudget = \"number\"\n\
                        [qualification.criteria]\nbig = \"budget > 1 and \"\n[[stages]]\nid = \"deal\"\n\
                        owner = \"s\"\nwhen = \"出 criteria.b\"\n[[transitions]]\nfrom = \"\"\n";

    fn labels(line: u32, character: u32) -> Vec<String> {
        complete(TEXT, Position::new(line, character)).into_iter().map(|i| i.label).collect()
    }

    #[test]
    fn completes_by_place() {
        // In a criterion's rule: fields, criteria, built-in names, keywords.
        let rule = labels(7, 22);
        assert_eq!(rule[..3], ["budget", "criteria.big", "today"]);
        assert!(rule.contains(&"starts_with".to_string()) && !rule.contains(&"criteria".to_string()));
        // After `criteria.` (and non-ASCII text before it): the criterion ids only.
        assert_eq!(labels(11, 19), ["big"]);
        assert_eq!(labels(11, 20), ["big"]);
        assert_eq!(labels(10, 10), ["sales"]);
        assert_eq!(labels(13, 8), ["deal"]);
        // Outside strings, and in other keys' strings: nothing.
        assert!(labels(7, 3).is_empty());
        assert!(labels(1, 9).is_empty());
        assert!(labels(11, 21).is_empty()); // after the closing quote
    }

    const TABLES: &str =
        "[definition]\nname = \"Zoë\"\n\n[fields]\nrole = { type = \"enum\", values = [\"cto\", \"Zoë 😀\"] }\n\
                          budget = { type = \"number\" }\n[qualification.criteria]\nbig = \"role in ['cto', '\"\n\
                          [[stages]]\nid = \"deal\"\n\nwhen = \"出 or role == 'Z\"\n[[examples]]\n\
                          move = { from = \"deal\", to = \"deal\" }\ncriteria = { big = \"met\" }\n";

    fn completed(line: u32, character: u32) -> Vec<(String, Option<String>)> {
        let items = complete(TABLES, Position::new(line, character));
        items.into_iter().map(|i| (i.label, i.text_edit.map(|e| format!("{e:?}")))).collect()
    }

    fn keys(line: u32, character: u32) -> Vec<String> {
        complete(TABLES, Position::new(line, character)).into_iter().map(|i| i.label).collect()
    }

    #[test]
    fn completes_the_keys_of_the_table() {
        // In [definition], after `name`; in [[stages]], after `id` and before `when`.
        assert_eq!(keys(2, 0), ["version", "description"]);
        assert_eq!(
            keys(10, 0),
            ["name", "owner", "canonical", "aliases", "description", "requires", "priority", "sla"]
        );
        // In a field's inline table, and an example's `move`.
        assert_eq!(keys(5, 11), FIELD_KEYS);
        assert_eq!(keys(13, 24), ["from", "to", "allowed"]);
        // An example's expected criteria: the criterion ids, also while the line being
        // written is no TOML yet (they are read without it).
        assert_eq!(keys(14, 13), ["big"]);
        let unfinished = TABLES.replace("{ big = \"met\" }", "{ ");
        let labels: Vec<String> = complete(&unfinished, Position::new(14, 13)).into_iter().map(|i| i.label).collect();
        assert_eq!(labels, ["big"]);
        // Tables whose keys are ids: none.
        assert!(keys(7, 0).is_empty());
    }

    #[test]
    fn completes_the_values_of_the_compared_enum() {
        // After `role == 'Z` (with non-ASCII text before it): the values, replacing `Z`.
        let found = completed(11, 23);
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].0, "Zoë 😀");
        let replaced = found[1].1.as_deref().unwrap();
        assert!(
            replaced.contains("line: 11, character: 22 }, end: Position { line: 11, character: 23 }"),
            "{replaced}"
        );
        // In a list after `in`, after a first value.
        assert_eq!(keys(7, 24), ["cto", "Zoë 😀"]);
        assert_eq!(compared_enum("a not in ['x', 'y"), Some(("a", "y")));
        assert_eq!(compared_enum("a != '"), Some(("a", "")));
        assert_eq!(compared_enum("a == 'x' and b"), None);
        assert_eq!(compared_enum("a contains 'x"), None);
    }
}
