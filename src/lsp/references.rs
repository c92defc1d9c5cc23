//! Go to definition, find references and rename, all from the places an id is written
//! ([`occurrences`]): the id at the cursor, then every occurrence of the same kind and name.
//!
//! A rename rewrites the declaration and every use, and refuses a new name that is not an id
//! of its kind or that another id of the same kind already has. A field's `column` is not
//! its id: renaming a field that has none (so that it reads the column named like its id)
//! adds `column = "<old id>"`, so the field goes on reading the same column and the
//! examples' records, which are keyed by columns, still fit.

use lsp_types::{Position, Range, TextEdit};
use toml_edit::{Item, Value};

use super::ids::{at, occurrences, Kind, Occurrence};
use super::position::Lines;
use crate::definition::load::is_snake_case;
use crate::names::is_field_id;

/// `textDocument/definition`: the declaration of the id written at `position`; empty when
/// no id is written there, or the id is declared nowhere.
pub(crate) fn definition(text: &str, position: Position) -> Vec<Range> {
    let lines = Lines::new(text);
    let all = occurrences(text);
    let Some(target) = at(&all, lines.offset(position)) else { return Vec::new() };
    same(&all, target).filter(|o| o.declaration).map(|o| lines.range(o.span.start, o.span.end)).collect()
}

/// `textDocument/references`: every place the id at `position` is written, in the order
/// of the text, its declaration only when `include_declaration`.
pub(crate) fn references(text: &str, position: Position, include_declaration: bool) -> Vec<Range> {
    let lines = Lines::new(text);
    let all = occurrences(text);
    let Some(target) = at(&all, lines.offset(position)) else { return Vec::new() };
    same(&all, target)
        .filter(|o| include_declaration || !o.declaration)
        .map(|o| lines.range(o.span.start, o.span.end))
        .collect()
}

/// `textDocument/prepareRename`: the range of the id at `position` and the id, or why it
/// cannot be renamed.
pub(crate) fn prepare(text: &str, position: Position) -> Result<(Range, String), String> {
    let lines = Lines::new(text);
    let all = occurrences(text);
    let target = renamable(&all, lines.offset(position))?;
    Ok((lines.range(target.span.start, target.span.end), target.name.clone()))
}

/// `textDocument/rename`: the edits that rename the id at `position` to `new_name`, or
/// why they cannot.
pub(crate) fn rename(text: &str, position: Position, new_name: &str) -> Result<Vec<TextEdit>, String> {
    let lines = Lines::new(text);
    let all = occurrences(text);
    let target = renamable(&all, lines.offset(position))?;
    let (kind, noun) = (target.kind, target.kind.noun());
    if let Err(rule) = valid(kind, new_name) {
        return Err(format!("`{new_name}` is not a {noun} id ({rule})"));
    }
    if new_name == target.name {
        return Ok(Vec::new());
    }
    if all.iter().any(|o| o.declaration && o.kind == kind && o.name == new_name) {
        return Err(format!("there is already a {noun} `{new_name}`"));
    }
    let mut edits: Vec<TextEdit> = same(&all, target)
        .map(|o| TextEdit::new(lines.range(o.span.start, o.span.end), new_name.to_string()))
        .collect();
    if kind == Kind::Field {
        if let Some((span, insert)) = keep_column(text, &target.name)? {
            edits.push(TextEdit::new(lines.range(span.start, span.end), insert));
        }
    }
    edits.sort_by_key(|e| (e.range.start.line, e.range.start.character));
    Ok(edits)
}

/// Every occurrence of the id `target` names, in the order of the text.
fn same<'a>(all: &'a [Occurrence], target: &'a Occurrence) -> impl Iterator<Item = &'a Occurrence> {
    let mut found: Vec<&Occurrence> = all.iter().filter(|o| o.kind == target.kind && o.name == target.name).collect();
    found.sort_by_key(|o| o.span.start);
    found.into_iter()
}

/// The id at `offset` when it can be renamed: it is declared (once) in the document.
fn renamable(all: &[Occurrence], offset: usize) -> Result<&Occurrence, String> {
    let target = at(all, offset).ok_or("there is no stage, field, team or criterion id here to rename")?;
    let noun = target.kind.noun();
    match same(all, target).filter(|o| o.declaration).count() {
        1 => Ok(target),
        0 => Err(format!("the {noun} `{}` is declared nowhere, so it cannot be renamed", target.name)),
        _ => Err(format!("the {noun} `{}` is declared more than once; fix that first", target.name)),
    }
}

/// Whether `id` can be an id of `kind`; if not, what an id of that kind is.
fn valid(kind: Kind, id: &str) -> Result<(), &'static str> {
    let ok = match kind {
        Kind::Stage => is_snake_case(id),
        // A criterion is read in rules as `criteria.<id>`: a name of the rule language.
        Kind::Field | Kind::Criterion => is_field_id(id),
        // A team id is written as a bare key of `[teams]`.
        Kind::Team => !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
    };
    match (ok, kind) {
        (true, _) => Ok(()),
        (false, Kind::Stage) => Err("stage ids are lower_snake_case: a-z, 0-9 and single `_`, starting with a letter"),
        (false, Kind::Team) => Err("team ids are ASCII letters, digits, `_` and `-`"),
        (false, _) => {
            Err("ids are ASCII letters, digits and `_`, not starting with a digit, and not a word of the rule language")
        }
    }
}

/// For the field `id` when it has no `column`: where to write `column = "<id>"` (a byte
/// range to replace, and its new text), so that it still reads the same column once
/// renamed. `None` when the field has a column or is not found. A field written with
/// dotted keys (`budget.type = "number"`) is refused: its id is written more than once.
fn keep_column(text: &str, id: &str) -> Result<Option<(std::ops::Range<usize>, String)>, String> {
    let skip = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let body = &text[skip..];
    let Ok(document) = toml_edit::Document::parse(body) else { return Ok(None) };
    let fields = document.as_item().get("fields").and_then(Item::as_table_like);
    let Some(item) = fields.and_then(|f| f.get(id)) else { return Ok(None) };
    let column = format!("column = \"{id}\"");
    let shift = |span: std::ops::Range<usize>, new: String| Ok(Some((span.start + skip..span.end + skip, new)));
    match item {
        // `budget = "number"`: the short form becomes a table.
        Item::Value(Value::String(_)) => match item.span() {
            Some(span) => shift(span.clone(), format!("{{ type = {}, {column} }}", &body[span])),
            None => Ok(None),
        },
        Item::Value(Value::InlineTable(table)) if !table.contains_key("column") => {
            let Some(span) = item.span() else { return Ok(None) };
            let raw = &body[span.clone()];
            let inside = raw.strip_suffix('}').unwrap_or(raw).trim_end();
            let end = span.start + inside.len();
            let insert = match inside.trim_start_matches('{').trim() {
                "" => format!(" {column}"),
                written if written.ends_with(',') => format!(" {column}"),
                _ => format!(", {column}"),
            };
            shift(end..end, insert)
        }
        Item::Table(table) if table.is_dotted() => {
            Err(format!("the field `{id}` is written with dotted keys; write it as a table to rename it"))
        }
        // `[fields.budget]`: a line after the header.
        Item::Table(table) if !table.contains_key("column") => {
            let Some((key, _)) = fields.and_then(|f| f.get_key_value(id)) else { return Ok(None) };
            let Some(key_end) = key.span().map(|s| s.end) else { return Ok(None) };
            match body[key_end..].find('\n') {
                Some(newline) => shift(key_end + newline + 1..key_end + newline + 1, format!("{column}\n")),
                None => shift(body.len()..body.len(), format!("\n{column}\n")),
            }
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[definition]\nname = \"Zoë\"\n[teams]\nsales = \"Sales 出\"\n[fields]\nbudget = \"number\"\n\
                        role = { type = \"enum\", values = [\"a\"] }\n[fields.note]\ntype = \"string\"\n\
                        [qualification.criteria]\nbig = \"budget > 1\"\n[[stages]]\nid = \"deal\"\n\
                        owner = \"sales\"\nwhen = \"oops == 1 and criteria.big and role == 'a'\"\n";

    fn apply(text: &str, mut edits: Vec<TextEdit>) -> String {
        let mut text = text.to_string();
        edits.reverse(); // sorted: the last first keeps the earlier positions
        for edit in edits {
            let lines = Lines::new(&text);
            let (start, end) = (lines.offset(edit.range.start), lines.offset(edit.range.end));
            text.replace_range(start..end, &edit.new_text);
        }
        text
    }

    #[test]
    fn definition_from_a_use() {
        // From `sales` in the owner's value to the team's key.
        assert_eq!(definition(TEXT, Position::new(13, 10)), [Range::new(Position::new(3, 0), Position::new(3, 5))]);
        assert!(definition(TEXT, Position::new(14, 9)).is_empty()); // `oops` is declared nowhere
        assert!(definition(TEXT, Position::new(1, 9)).is_empty()); // no id there
    }

    #[test]
    fn renames_keep_the_column_read() {
        let renamed =
            |line, character, new: &str| rename(TEXT, Position::new(line, character), new).map(|e| apply(TEXT, e));
        // The short form becomes a table with the old column; the rule's use follows.
        let text = renamed(10, 8, "amount").unwrap();
        assert!(text.contains("amount = { type = \"number\", column = \"budget\" }\n"), "{text}");
        assert!(text.contains("big = \"amount > 1\""), "{text}");
        // An inline table gets the column added.
        let text = renamed(14, 40, "title").unwrap();
        assert!(text.contains("title = { type = \"enum\", values = [\"a\"], column = \"role\" }"), "{text}");
        assert!(text.contains("and title == 'a'\""), "{text}");
        // A table header gets a line after it.
        let text = renamed(7, 9, "memo").unwrap();
        assert!(text.contains("[fields.memo]\ncolumn = \"note\"\ntype = \"string\"\n"), "{text}");
        // A field that already has a column keeps it.
        let with_column =
            "[fields]\nb = { type = \"number\", column = \"B\" }\n[[stages]]\nid = \"s\"\nwhen = \"b > 1\"\n";
        let edits = rename(with_column, Position::new(1, 0), "c").unwrap();
        assert_eq!(apply(with_column, edits), with_column.replace("b = ", "c = ").replace("\"b > 1", "\"c > 1"));
        let dotted = "[fields]\nb.type = \"number\"\n";
        assert!(rename(dotted, Position::new(1, 0), "c").unwrap_err().contains("dotted keys"));
    }

    #[test]
    fn refusals() {
        let refused = |line, character, new: &str| rename(TEXT, Position::new(line, character), new).unwrap_err();
        assert_eq!(refused(12, 7, "Deal"), "`Deal` is not a stage id (stage ids are lower_snake_case: a-z, 0-9 and single `_`, starting with a letter)");
        assert!(refused(5, 0, "and").starts_with("`and` is not a field id (ids are ASCII letters"));
        assert_eq!(refused(5, 0, "role"), "there is already a field `role`");
        assert_eq!(refused(3, 0, "a b"), "`a b` is not a team id (team ids are ASCII letters, digits, `_` and `-`)");
        assert_eq!(refused(14, 9, "x"), "the field `oops` is declared nowhere, so it cannot be renamed");
        assert_eq!(refused(1, 9, "x"), "there is no stage, field, team or criterion id here to rename");
        assert_eq!(rename(TEXT, Position::new(12, 7), "deal"), Ok(Vec::new()));
        assert_eq!(
            prepare(TEXT, Position::new(14, 32)),
            Ok((Range::new(Position::new(14, 31), Position::new(14, 34)), "big".to_string()))
        );
    }
}
