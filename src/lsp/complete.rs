//! `textDocument/completion`, a first cut: inside a rule string (a `when`, a `guard` or a
//! criterion of `[qualification.criteria]`), the definition's field ids, `criteria.<id>`,
//! the built-in names and the keywords of the rule language (after `criteria.`, only the
//! criterion ids); inside the string value of `owner`, the team ids; of `from`, `to` or
//! `stage`, the stage ids. Names are read from the TOML structure, so completion works
//! while the rule being typed does not load yet.

use lsp_types::{CompletionItem, CompletionItemKind, Position, SymbolKind};

use super::position::Lines;
use super::symbols::symbols;
use crate::names::{BUILT_IN_NAMES, KEYWORDS};

/// The completions at `position` in `text`; none outside the strings named above.
pub(crate) fn complete(text: &str, position: Position) -> Vec<CompletionItem> {
    let lines = Lines::new(text);
    let offset = lines.offset(position);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let Some((key, value)) = before.split_once('=') else { return Vec::new() };
    let key = key.trim().trim_matches('"');
    // Inside a string: an odd number of double quotes since the `=`.
    if value.matches('"').count() % 2 == 0 {
        return Vec::new();
    }
    let names = symbols(text);
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
}
