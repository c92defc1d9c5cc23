//! Every place a team, field, criterion or stage id is written in a definition file: its
//! declaration (a key of `[teams]`, `[fields]` or `[qualification.criteria]`, a stage's
//! `id`) and its uses: names inside rules (`when` of stages, transitions and scoring rules,
//! the criteria's rules), `criteria.<id>`, a stage's `owner` and `requires`, the `from` and
//! `to` of transitions, and the examples' `stage`, `owner`, `criteria` and `errors` keys and
//! `move`. Read from the TOML structure with its spans (`toml_edit`) and, inside rules, with
//! the rule language's own lexer, so that a column, a text literal in a rule, an enum value
//! or a description is never taken for an id. Go to definition, find references and rename
//! all start here.

use std::ops::Range;

use toml_edit::{Item, TableLike};

use crate::definition::decode_with_offsets;
use crate::names::is_reserved_word;
use crate::rule::{tokenize, Op, Token};

/// What an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A key of `[teams]`.
    Team,
    /// A key of `[fields]`.
    Field,
    /// A key of `[qualification.criteria]`.
    Criterion,
    /// The `id` of a `[[stages]]` entry.
    Stage,
}

impl Kind {
    /// The word for the kind in messages.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Team => "team",
            Kind::Field => "field",
            Kind::Criterion => "criterion",
            Kind::Stage => "stage",
        }
    }
}

/// One place an id is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Occurrence {
    /// What the id names.
    pub(crate) kind: Kind,
    /// The id.
    pub(crate) name: String,
    /// The bytes of the id as written: a bare key, or the inside of a string's quotes.
    pub(crate) span: Range<usize>,
    /// Whether this is the declaration (not a use).
    pub(crate) declaration: bool,
}

/// Every id written in `text`, declarations and uses, in no particular order. Empty when
/// the text is not TOML. Ids written with escapes (`"bud\u0067et"`) are left out: their
/// bytes are not the id.
pub(crate) fn occurrences(text: &str) -> Vec<Occurrence> {
    // A byte-order mark is not TOML: parse after it, and shift the spans back.
    let skip = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let Ok(document) = toml_edit::Document::parse(&text[skip..]) else { return Vec::new() };
    let mut walk = Walk { text: &text[skip..], skip, out: Vec::new() };
    let root = document.as_item();
    if let Some(teams) = root.get("teams").and_then(Item::as_table_like) {
        walk.keys(teams, Kind::Team, true);
    }
    if let Some(fields) = root.get("fields").and_then(Item::as_table_like) {
        walk.keys(fields, Kind::Field, true);
    }
    let criteria = root.get("qualification").and_then(|q| q.get("criteria")).and_then(Item::as_table_like);
    if let Some(criteria) = criteria {
        walk.keys(criteria, Kind::Criterion, true);
        for (_, criterion) in criteria.iter() {
            // A criterion is its rule, or a table with `when` and `ask`.
            walk.rule(if criterion.is_str() { Some(criterion) } else { criterion.get("when") });
        }
    }
    for stage in tables(root.get("stages")) {
        walk.value(stage.get("id"), Kind::Stage, true);
        walk.value(stage.get("owner"), Kind::Team, false);
        walk.rule(stage.get("when"));
        if let Some(requires) = stage.get("requires").and_then(Item::as_array) {
            for field in requires.iter() {
                walk.string(field.as_str(), field.span(), Kind::Field, false);
            }
        }
    }
    for transition in tables(root.get("transitions")) {
        walk.value(transition.get("from"), Kind::Stage, false);
        walk.value(transition.get("to"), Kind::Stage, false);
        walk.rule(transition.get("when"));
    }
    for rule in tables(root.get("scoring").and_then(|s| s.get("rules"))) {
        walk.rule(rule.get("when"));
    }
    for example in tables(root.get("examples")) {
        walk.value(example.get("stage"), Kind::Stage, false);
        walk.value(example.get("owner"), Kind::Team, false);
        if let Some(criteria) = example.get("criteria").and_then(Item::as_table_like) {
            walk.keys(criteria, Kind::Criterion, false);
        }
        if let Some(errors) = example.get("errors").and_then(Item::as_table_like) {
            walk.keys(errors, Kind::Field, false);
        }
        if let Some(to_move) = example.get("move") {
            walk.value(to_move.get("from"), Kind::Stage, false);
            walk.value(to_move.get("to"), Kind::Stage, false);
        }
    }
    walk.out
}

/// The occurrence whose id is written at byte `offset` (its end included, where an editor's
/// cursor stands after typing the id).
pub(crate) fn at(occurrences: &[Occurrence], offset: usize) -> Option<&Occurrence> {
    occurrences.iter().find(|o| o.span.start <= offset && offset <= o.span.end)
}

/// The tables of an array of tables (`[[stages]]`) or of an inline array of tables.
fn tables(item: Option<&Item>) -> Vec<&dyn TableLike> {
    match item {
        Some(Item::ArrayOfTables(tables)) => tables.iter().map(|t| t as &dyn TableLike).collect(),
        Some(Item::Value(toml_edit::Value::Array(array))) => {
            array.iter().filter_map(|v| v.as_inline_table()).map(|t| t as &dyn TableLike).collect()
        }
        _ => Vec::new(),
    }
}

/// The walk over one document: its text (after any byte-order mark) and what it found.
struct Walk<'t> {
    text: &'t str,
    skip: usize,
    out: Vec<Occurrence>,
}

impl Walk<'_> {
    /// Each key of `table`, as an id of `kind`.
    fn keys(&mut self, table: &dyn TableLike, kind: Kind, declaration: bool) {
        for (name, _) in table.iter() {
            let Some((key, _)) = table.get_key_value(name) else { continue };
            self.string(Some(name), key.span(), kind, declaration);
        }
    }

    /// A string value, as an id of `kind`.
    fn value(&mut self, item: Option<&Item>, kind: Kind, declaration: bool) {
        if let Some(item) = item {
            self.string(item.as_str(), item.span(), kind, declaration);
        }
    }

    /// The id `name`, written at `span` bare or quoted (not when written with escapes).
    fn string(&mut self, name: Option<&str>, span: Option<Range<usize>>, kind: Kind, declaration: bool) {
        let (Some(name), Some(span)) = (name, span) else { return };
        let Some(raw) = self.text.get(span.clone()) else { return };
        let span = if raw == name {
            span
        } else if raw.len() == name.len() + 2 && raw.get(1..raw.len() - 1) == Some(name) {
            span.start + 1..span.end - 1
        } else {
            return;
        };
        if name == "*" && kind == Kind::Stage {
            return; // a transition from or to any stage
        }
        let span = span.start + self.skip..span.end + self.skip;
        self.out.push(Occurrence { kind, name: name.to_string(), span, declaration });
    }

    /// The names a rule string reads: `criteria.<id>` is a criterion, any other name that
    /// is not a word of the rule language a field. A rule that does not lex gives none.
    fn rule(&mut self, item: Option<&Item>) {
        let Some(span) = item.filter(|i| i.is_str()).and_then(Item::span) else { return };
        let Some((decoded, offsets)) = self.text.get(span.clone()).and_then(decode_with_offsets) else { return };
        let Ok(tokens) = tokenize(&decoded) else { return };
        let word = |i: usize| match tokens.get(i).map(|t| &t.token) {
            Some(Token::Word(w)) => Some(w.as_str()),
            _ => None,
        };
        let dot = |i: usize| tokens.get(i).is_some_and(|t| t.token == Token::Op(Op::Dot));
        let mut i = 0;
        while i < tokens.len() {
            let found = match word(i) {
                Some("criteria") if dot(i + 1) && word(i + 2).is_some() => {
                    i += 2;
                    Some(Kind::Criterion)
                }
                // A name after a dot is part of the name before it.
                Some(w) if !(is_reserved_word(w) || i > 0 && dot(i - 1)) => Some(Kind::Field),
                _ => None,
            };
            if let (Some(kind), Some(name)) = (found, word(i)) {
                let at = &tokens[i].span;
                let (start, end) = (span.start + offsets[at.start], span.start + offsets[at.end]);
                // Only a name written as it reads (no escapes inside it).
                if self.text.get(start..end) == Some(name) {
                    let span = start + self.skip..end + self.skip;
                    self.out.push(Occurrence { kind, name: name.to_string(), span, declaration: false });
                }
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of place an id can be written, with non-ASCII text around the ids.
    const TEXT: &str = r#"[definition]
name = "Zoë"
[teams]
sales = "Sales 出"
[fields]
budget = "number"
role = { type = "enum", values = ["budget", "cto"], column = "sales" }
[qualification.criteria]
big = "budget > 1 and role == 'budget'"
fit = { when = "criteria.big or 出 == 1", ask = "big?" }
[[stages]]
id = "deal"
owner = "sales"
requires = ["budget"]
when = "criteria.fit and budget\u0020> 2"
[[transitions]]
from = "*"
to = "deal"
when = "bud\u0067et > 3"
[scoring]
[[scoring.rules]]
when = "budget > 4"
points = 1
[[examples]]
name = "a"
record = { budget = 5 }
stage = "deal"
owner = "sales"
criteria = { big = "met" }
errors = { budget = "x" }
move = { from = "deal", to = "deal", allowed = true }
"#;

    fn found(text: &str) -> Vec<(Kind, String, &str, bool)> {
        let mut found: Vec<(Kind, String, &str, bool, usize)> = occurrences(text)
            .into_iter()
            .map(|o| (o.kind, o.name, &text[o.span.clone()], o.declaration, o.span.start))
            .collect();
        found.sort_by_key(|o| o.4);
        found.into_iter().map(|(k, n, t, d, _)| (k, n, t, d)).collect()
    }

    #[test]
    fn every_declaration_and_use() {
        use Kind::*;
        let expected = [
            (Team, "sales", true),
            (Field, "budget", true),
            (Field, "role", true),
            (Criterion, "big", true),
            (Field, "budget", false),
            (Field, "role", false),
            (Criterion, "fit", true),
            (Criterion, "big", false),
            (Field, "出", false),
            (Stage, "deal", true),
            (Team, "sales", false),
            (Field, "budget", false),
            (Criterion, "fit", false),
            (Field, "budget", false),
            (Stage, "deal", false),
            // `bud\u0067et` is not written as it reads: left out.
            (Field, "budget", false),
            (Stage, "deal", false),
            (Team, "sales", false),
            (Criterion, "big", false),
            (Field, "budget", false),
            (Stage, "deal", false),
            (Stage, "deal", false),
        ];
        let expected: Vec<(Kind, String, &str, bool)> =
            expected.into_iter().map(|(k, n, d)| (k, n.to_string(), n, d)).collect();
        assert_eq!(found(TEXT), expected);
        // Not TOML: nothing.
        assert!(occurrences("a = = b").is_empty());
    }

    #[test]
    fn spans_skip_a_byte_order_mark_and_quotes() {
        let text = "\u{feff}[teams]\n\"sales\" = \"S\"\n[[stages]]\nid = 'deal'\nowner = \"sales\"\n";
        let all = occurrences(text);
        let spans: Vec<&str> = all.iter().map(|o| &text[o.span.clone()]).collect();
        assert_eq!(spans, ["sales", "deal", "sales"]);
        let at_owner = text.rfind("sales").unwrap();
        assert_eq!(at(&all, at_owner + 5).map(|o| (o.kind, o.declaration)), Some((Kind::Team, false)));
        assert_eq!(at(&all, at_owner + 6), None);
    }
}
