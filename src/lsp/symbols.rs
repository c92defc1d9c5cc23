//! `textDocument/documentSymbol`: the teams, fields, criteria and stages of a definition,
//! each at its declaration. Read from the TOML structure (through `toml_edit`, which keeps
//! spans), so a definition with errors in its rules still has its outline.

use lsp_types::{DocumentSymbol, SymbolKind};
use toml_edit::{Item, TableLike};

use super::position::Lines;

/// The symbols of `text`, in the order of the contract's tables: teams, fields, criteria,
/// stages. None when the text is not TOML.
pub(crate) fn symbols(text: &str) -> Vec<DocumentSymbol> {
    let Ok(document) = toml_edit::Document::parse(text) else { return Vec::new() };
    let root = document.as_item();
    let lines = Lines::new(text);
    let mut symbols = Vec::new();
    if let Some(teams) = root.get("teams").and_then(Item::as_table_like) {
        keys(teams, &lines, SymbolKind::OBJECT, &mut symbols, |item| Some(format!("team: {}", item.as_str()?)));
    }
    if let Some(fields) = root.get("fields").and_then(Item::as_table_like) {
        keys(fields, &lines, SymbolKind::FIELD, &mut symbols, |item| {
            let ty = item.as_str().or_else(|| item.get("type")?.as_str())?;
            Some(format!("field: {ty}"))
        });
    }
    let criteria = root.get("qualification").and_then(|q| q.get("criteria")).and_then(Item::as_table_like);
    if let Some(criteria) = criteria {
        keys(criteria, &lines, SymbolKind::BOOLEAN, &mut symbols, |_| Some("criterion".to_string()));
    }
    if let Some(stages) = root.get("stages").and_then(Item::as_array_of_tables) {
        for stage in stages.iter() {
            let Some((_, id)) = stage.get_key_value("id") else { continue };
            let (Some(name), Some(id_span)) = (id.as_str(), id.span()) else { continue };
            let whole = stage.span().map_or(id_span.clone(), |s| s.start.min(id_span.start)..s.end.max(id_span.end));
            let detail = match stage.get("owner").and_then(Item::as_str) {
                Some(owner) => format!("stage owned by {owner}"),
                None => "stage".to_string(),
            };
            symbols.push(symbol(name, detail, SymbolKind::ENUM_MEMBER, &lines, whole, id_span));
        }
    }
    symbols
}

/// One symbol per key of `table`, from its key to the end of its value.
fn keys(
    table: &dyn TableLike,
    lines: &Lines<'_>,
    kind: SymbolKind,
    symbols: &mut Vec<DocumentSymbol>,
    detail: impl Fn(&Item) -> Option<String>,
) {
    for (name, _) in table.iter() {
        let Some((key, item)) = table.get_key_value(name) else { continue };
        let Some(key_span) = key.span() else { continue };
        let end = item.span().map_or(key_span.end, |s| s.end.max(key_span.end));
        let detail = detail(item).unwrap_or_default();
        symbols.push(symbol(name, detail, kind, lines, key_span.start..end, key_span));
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written, though deprecated
fn symbol(
    name: &str,
    detail: String,
    kind: SymbolKind,
    lines: &Lines<'_>,
    whole: std::ops::Range<usize>,
    selection: std::ops::Range<usize>,
) -> DocumentSymbol {
    DocumentSymbol {
        name: name.to_string(),
        detail: (!detail.is_empty()).then_some(detail),
        kind,
        tags: None,
        deprecated: None,
        range: lines.range(whole.start, whole.end),
        selection_range: lines.range(selection.start, selection.end),
        children: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_of_a_definition() {
        let text = "[definition]\nname = \"x\"\n[teams]\nsales = \"Sales\"\n[fields]\nbudget = \"number\"\n\
                    role = { type = \"enum\", values = [\"a\"] }\n[qualification.criteria]\nbig = \"budget > 1\"\n\
                    [[stages]]\nid = \"deal\"\nowner = \"sales\"\nwhen = \"oops ==\"\n";
        let found: Vec<(String, Option<String>, SymbolKind, u32)> =
            symbols(text).into_iter().map(|s| (s.name, s.detail, s.kind, s.selection_range.start.line)).collect();
        let expected = [
            ("sales", "team: Sales", SymbolKind::OBJECT, 3),
            ("budget", "field: number", SymbolKind::FIELD, 5),
            ("role", "field: enum", SymbolKind::FIELD, 6),
            ("big", "criterion", SymbolKind::BOOLEAN, 8),
            ("deal", "stage owned by sales", SymbolKind::ENUM_MEMBER, 10),
        ];
        let expected: Vec<_> =
            expected.into_iter().map(|(n, d, k, l)| (n.to_string(), Some(d.to_string()), k, l)).collect();
        assert_eq!(found, expected);
        assert!(symbols("not = toml = at all").is_empty());
    }
}
