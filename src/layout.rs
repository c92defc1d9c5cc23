//! One canonical layout for definition files, as `leadspec fmt` writes them.
//!
//! [`format_definition`] rewrites a definition that loads: tables in one order (what a rule
//! reads comes before it: `[definition]`, `[input]`, `[teams]`, `[fields]`,
//! `[qualification]`, `[scoring]`, `[[stages]]`, `[[transitions]]`, `[messages]`,
//! `[[examples]]`), the keys of each table in the order the format lists them, `key = value`
//! with single spaces, one blank line before each table, and every rule printed in its
//! canonical form (single spaces around operators, `and`, `or`, `not` as words,
//! parentheses only where needed, literals as written). Every comment is kept, with the key
//! or table it stands above or beside. Tables whose keys are ids (`[teams]`, `[fields]`,
//! `[qualification.criteria]`, `[messages]`) and arrays of tables keep their order, which
//! carries meaning. Formatting changes no meaning, and formatting twice changes nothing.

use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, RawString, Table, Value};

use crate::definition::load::{
    CRITERION_KEYS, DEFINITION_KEYS, EXAMPLE_KEYS, FIELD_KEYS, INPUT_KEYS, MOVE_KEYS, QUALIFICATION_KEYS, SCORING_KEYS,
    SCORING_RULE_KEYS, STAGE_KEYS, TRANSITION_KEYS,
};
use crate::{Definition, Diagnostic, Limits, LoadError, Severity};

/// The order of the top-level tables in the canonical layout.
const TOP_ORDER: &[&str] = &[
    "definition",
    "input",
    "teams",
    "fields",
    "qualification",
    "scoring",
    "stages",
    "transitions",
    "messages",
    "examples",
];

/// A definition file in the canonical layout; the text unchanged in meaning.
///
/// The file must load (its errors are returned otherwise: a file whose rules do not parse
/// has no canonical form). A byte-order mark is dropped.
///
/// ```
/// let source = r#"
/// [[stages]]
/// when="email is present&&!(score>10)"   # who we can write to
/// owner = "marketing"
/// id = "contact"
///
/// [definition]
/// name = "Tidy"
/// [teams]
/// marketing = "Marketing"
/// [fields]
/// email = { required = true, type = "email" }
/// [scoring]
/// [[scoring.rules]]
/// when = "email  ends_with '.example'"
/// points = 20
/// "#;
/// let formatted = leadspec::format_definition(source)?;
/// assert_eq!(formatted, r#"[definition]
/// name = "Tidy"
///
/// [teams]
/// marketing = "Marketing"
///
/// [fields]
/// email = { type = "email", required = true }
///
/// [scoring]
///
/// [[scoring.rules]]
/// when = "email ends_with '.example'"
/// points = 20
///
/// [[stages]]
/// id = "contact"
/// owner = "marketing"
/// when = "email is present and not score > 10" # who we can write to
/// "#);
/// assert_eq!(leadspec::format_definition(&formatted)?, formatted);
/// # Ok::<(), leadspec::LoadError>(())
/// ```
pub fn format_definition(source: &str) -> Result<String, LoadError> {
    format_with_limits(source, &Limits::default())
}

/// [`format_definition`] under the given limits.
pub fn format_with_limits(source: &str, limits: &Limits) -> Result<String, LoadError> {
    Definition::from_toml_with_limits(source, limits)?;
    let text = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| LoadError {
        diagnostics: vec![Diagnostic {
            severity: Severity::Error,
            code: crate::DiagnosticCode::InvalidToml,
            message: format!("invalid TOML: {}", e.message()),
            span: e.span().unwrap_or(0..0),
            line: 1,
            column: 1,
            hint: None,
        }],
    })?;
    let root = doc.as_table_mut();
    rewrite_rules(root, limits);
    sort_keys(root);
    let mut position = 0;
    let mut first = true;
    for name in TOP_ORDER {
        if let Some(item) = root.get_mut(name) {
            place(name, item, &mut position, &mut first);
        }
    }
    tidy_pairs(root);
    let mut out = doc.to_string();
    let trailing = comments_of(doc.trailing().as_str().unwrap_or_default());
    if !trailing.is_empty() {
        // Comments after the last table: kept after a blank line.
        while out.ends_with('\n') {
            out.pop();
        }
        out.push_str("\n\n");
        out.push_str(&trailing.join("\n"));
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

// ---- rules ---------------------------------------------------------------------------------

/// Rewrites every rule (`when`) in its canonical form; a rule written over several lines
/// keeps one operand of its top-level `and` or `or` a line, in a multi-line literal string.
fn rewrite_rules(root: &mut Table, limits: &Limits) {
    let rule = |value: &mut Value| {
        let Value::String(s) = value else { return };
        let multiline = s.value().contains('\n');
        let canonical = if multiline {
            crate::rule::canonical_lines(s.value(), limits.max_rule_depth)
        } else {
            crate::rule::canonical(s.value(), limits.max_rule_depth)
        };
        let Ok(canonical) = canonical else { return };
        let decor = s.decor().clone();
        let literal = format!("'''\n{canonical}\n'''");
        let new = if canonical.contains('\n') && !canonical.contains("'''") {
            literal.parse::<Value>().unwrap_or_else(|_| Value::from(canonical.clone()))
        } else {
            Value::from(canonical)
        };
        let unchanged = matches!(&new, Value::String(n) if n.value() == s.value() && !multiline);
        if !unchanged {
            *value = new;
            *value.decor_mut() = decor;
        }
    };
    let when_of = |item: &mut Item| match item {
        Item::Table(t) => t.get_mut("when").and_then(Item::as_value_mut).map(rule).is_some(),
        Item::Value(Value::InlineTable(t)) => t.get_mut("when").map(rule).is_some(),
        _ => false,
    };
    if let Some(criteria) = root.get_mut("qualification").and_then(|q| q.get_mut("criteria")) {
        for_each_entry(criteria, |item| {
            if !when_of(item) {
                if let Some(v) = item.as_value_mut() {
                    rule(v);
                }
            }
        });
    }
    if let Some(rules) = root.get_mut("scoring").and_then(|s| s.get_mut("rules")) {
        for_each_element(rules, |item| {
            when_of(item);
        });
    }
    for key in ["stages", "transitions"] {
        if let Some(list) = root.get_mut(key) {
            for_each_element(list, |item| {
                when_of(item);
            });
        }
    }
}

/// Calls `f` on each value of a table (a `[table]` or an inline one).
fn for_each_entry(item: &mut Item, mut f: impl FnMut(&mut Item)) {
    match item {
        Item::Table(t) => t.iter_mut().for_each(|(_, v)| f(v)),
        Item::Value(Value::InlineTable(t)) => {
            for (_, value) in t.iter_mut() {
                let mut wrapped = Item::Value(std::mem::replace(value, Value::from(false)));
                f(&mut wrapped);
                if let Item::Value(v) = wrapped {
                    *value = v;
                }
            }
        }
        _ => {}
    }
}

/// Calls `f` on each table of an array of tables (or each element of an inline array).
fn for_each_element(item: &mut Item, mut f: impl FnMut(&mut Item)) {
    match item {
        Item::ArrayOfTables(list) => {
            for table in list.iter_mut() {
                let mut wrapped = Item::Table(std::mem::take(table));
                f(&mut wrapped);
                if let Item::Table(t) = wrapped {
                    *table = t;
                }
            }
        }
        Item::Value(Value::Array(list)) => {
            for value in list.iter_mut() {
                let mut wrapped = Item::Value(std::mem::replace(value, Value::from(false)));
                f(&mut wrapped);
                if let Item::Value(v) = wrapped {
                    *value = v;
                }
            }
        }
        _ => {}
    }
}

// ---- key order -------------------------------------------------------------------------------

/// The rank of `key` in `order` (keys not listed keep their place after the listed ones).
fn rank(order: &[&str], key: &str) -> usize {
    order.iter().position(|k| *k == key).unwrap_or(order.len())
}

/// Sorts a table's keys by `order` (stable: equal ranks keep their order).
fn sort_item(item: &mut Item, order: &[&str]) {
    match item {
        Item::Table(t) => t.sort_values_by(|a, _, b, _| rank(order, a.get()).cmp(&rank(order, b.get()))),
        Item::Value(Value::InlineTable(t)) => sort_inline(t, order),
        _ => {}
    }
}

fn sort_inline(t: &mut InlineTable, order: &[&str]) {
    t.sort_values_by(|a, _, b, _| rank(order, a.get()).cmp(&rank(order, b.get())));
    t.fmt();
}

/// Puts the keys of every table in the format's order.
fn sort_keys(root: &mut Table) {
    let tables: [(&str, &[&str]); 4] = [
        ("definition", DEFINITION_KEYS),
        ("input", INPUT_KEYS),
        ("qualification", QUALIFICATION_KEYS),
        ("scoring", SCORING_KEYS),
    ];
    for (key, order) in tables {
        if let Some(item) = root.get_mut(key) {
            sort_item(item, order);
        }
    }
    if let Some(fields) = root.get_mut("fields") {
        for_each_entry(fields, |f| sort_item(f, FIELD_KEYS));
    }
    if let Some(criteria) = root.get_mut("qualification").and_then(|q| q.get_mut("criteria")) {
        for_each_entry(criteria, |c| sort_item(c, CRITERION_KEYS));
    }
    if let Some(rules) = root.get_mut("scoring").and_then(|s| s.get_mut("rules")) {
        for_each_element(rules, |r| sort_item(r, SCORING_RULE_KEYS));
    }
    let lists: [(&str, &[&str]); 3] =
        [("stages", STAGE_KEYS), ("transitions", TRANSITION_KEYS), ("examples", EXAMPLE_KEYS)];
    for (key, order) in lists {
        if let Some(list) = root.get_mut(key) {
            for_each_element(list, |t| {
                sort_item(t, order);
                if key == "examples" {
                    if let Some(m) = t.get_mut("move") {
                        sort_item(m, MOVE_KEYS);
                    }
                }
            });
        }
    }
}

// ---- layout ----------------------------------------------------------------------------------

/// The comment lines of a decor text, trimmed, with `""` for each run of blank lines
/// between comments or after the last one.
fn comments_of(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut blank = false;
    for line in raw.lines().map(str::trim) {
        if line.starts_with('#') {
            if blank && !out.is_empty() {
                out.push(String::new());
            }
            out.push(line.to_string());
            blank = false;
        } else if line.is_empty() {
            blank = true;
        }
    }
    if blank && !out.is_empty() && raw.ends_with('\n') {
        out.push(String::new());
    }
    out
}

/// Whether a decor text starts with a blank line (a line break before anything else).
fn starts_blank(raw: &str) -> bool {
    raw.split_once('\n').is_some_and(|(before, _)| before.trim().is_empty())
}

fn raw_str(raw: Option<&RawString>) -> &str {
    raw.and_then(RawString::as_str).unwrap_or_default()
}

/// The trailing comment of a decor suffix (` # ...`), if any.
fn trailing_comment(raw: &str) -> Option<String> {
    raw.find('#').map(|i| format!(" {}", raw[i..].trim_end()))
}

/// Gives a table its place in the document, a header with one blank line before it (none
/// before the first), its comments kept above it.
fn head(table: &mut Table, position: &mut isize, first: &mut bool) {
    if table.is_implicit() {
        return;
    }
    table.set_position(Some(*position));
    *position += 1;
    let decor = table.decor_mut();
    let comments = comments_of(raw_str(decor.prefix()));
    let mut prefix = if *first { String::new() } else { "\n".to_string() };
    for c in &comments {
        prefix.push_str(c);
        prefix.push('\n');
    }
    let suffix = trailing_comment(raw_str(decor.suffix())).unwrap_or_default();
    decor.set_prefix(prefix);
    decor.set_suffix(suffix);
    *first = false;
}

/// Places a top-level item and the tables inside it, in the canonical order.
fn place(name: &str, item: &mut Item, position: &mut isize, first: &mut bool) {
    match item {
        Item::Table(table) => {
            head(table, position, first);
            let subtables: &[&str] = match name {
                "qualification" => &["criteria"],
                "scoring" => &["rules"],
                _ => &[],
            };
            for sub in subtables {
                if let Some(inner) = table.get_mut(sub) {
                    place(sub, inner, position, first);
                }
            }
        }
        Item::ArrayOfTables(list) => place_list(list, position, first),
        _ => {}
    }
}

fn place_list(list: &mut ArrayOfTables, position: &mut isize, first: &mut bool) {
    for table in list.iter_mut() {
        head(table, position, first);
    }
}

/// Normalises every `key = value` pair of the tables: single spaces, comments kept above
/// the key (at most one blank line between groups) and after the value.
fn tidy_pairs(table: &mut Table) {
    for (index, (mut key, item)) in table.iter_mut().enumerate() {
        match item {
            Item::Table(inner) => tidy_pairs(inner),
            Item::ArrayOfTables(list) => list.iter_mut().for_each(tidy_pairs),
            Item::Value(value) => {
                let decor = key.leaf_decor_mut();
                let raw = raw_str(decor.prefix()).to_string();
                let comments = comments_of(&raw);
                let mut prefix = if index > 0 && starts_blank(&raw) { "\n".to_string() } else { String::new() };
                for c in &comments {
                    prefix.push_str(c);
                    prefix.push('\n');
                }
                decor.set_prefix(prefix);
                decor.set_suffix(" ");
                let suffix = trailing_comment(raw_str(value.decor().suffix())).unwrap_or_default();
                let value_decor = value.decor_mut();
                value_decor.set_prefix(" ");
                value_decor.set_suffix(suffix);
                match value {
                    Value::InlineTable(t) => t.fmt(),
                    Value::Array(a) if !has_comments(a) => a.fmt(),
                    _ => {}
                }
            }
            Item::None => {}
        }
    }
}

fn has_comments(array: &toml_edit::Array) -> bool {
    array.iter().any(|v| raw_str(v.decor().prefix()).contains('#') || raw_str(v.decor().suffix()).contains('#'))
        || raw_str(Some(array.trailing())).contains('#')
}
