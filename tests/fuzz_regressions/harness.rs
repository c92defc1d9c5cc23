//! What the fuzz targets check, shared by the `cargo fuzz` targets in `fuzz/` (which include
//! this file with `#[path]`) and by `tests/fuzz_regressions.rs`, which replays the inputs the
//! fuzzer found through the very same checks. It uses only `leadspec`, `chrono` and
//! `serde_json`, so the root crate's tests can compile it without the fuzzer's dependencies.
//!
//! Every function here panics when a promise of the crate is broken: a panic inside
//! leadspec, a diagnostic whose position lies outside the text, or two ways of reading
//! one record that disagree.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::sync::OnceLock;

use chrono::{DateTime, TimeZone, Utc};
use leadspec::{Classification, Definition, Diagnostic, Record, StageChange, Value};

/// The definition the record targets read: a field of every type, every reading key.
pub const RICH: &str = include_str!("rich.toml");

/// The reference times the targets classify at.
pub fn nows() -> [DateTime<Utc>; 3] {
    [
        Utc.with_ymd_and_hms(2026, 11, 22, 9, 30, 0).unwrap(),
        Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2099, 12, 31, 23, 59, 59).unwrap(),
    ]
}

/// The rich definition, loaded once.
pub fn rich() -> &'static Definition {
    static RICH_DEFINITION: OnceLock<Definition> = OnceLock::new();
    RICH_DEFINITION.get_or_init(|| Definition::from_toml(RICH).expect("the rich fuzz definition loads"))
}

// ---- diagnostics -----------------------------------------------------------------------

/// The 1-based line and character column of byte `offset` of `text`.
fn position_of(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

/// Every diagnostic's span lies within `text`, on character boundaries, and its line and
/// column are those of the span's start (so the line is at most the number of lines and
/// the column at most that line's characters plus one).
pub fn check_diagnostics<'a>(text: &str, diagnostics: impl IntoIterator<Item = &'a Diagnostic>) {
    let lines: Vec<&str> = text.split('\n').collect();
    for d in diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end <= text.len(),
            "span outside the text ({} bytes): {d:?}",
            text.len()
        );
        assert!(
            text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end),
            "span not on character boundaries: {d:?}"
        );
        assert!(d.line >= 1 && d.line <= lines.len(), "line outside the text ({} lines): {d:?}", lines.len());
        let chars = lines[d.line - 1].chars().count();
        assert!(d.column >= 1 && d.column <= chars + 1, "column outside line {} ({chars} characters): {d:?}", d.line);
        assert_eq!(
            (d.line, d.column),
            position_of(text, d.span.start),
            "line and column are not those of the span's start: {d:?}"
        );
        assert!(!d.message.is_empty(), "a diagnostic without a message: {d:?}");
        let _ = d.to_string();
    }
}

/// Loads `text`; checks the positions of the errors, or of the warnings of what loads.
pub fn load(text: &str) -> Option<Definition> {
    match Definition::from_toml(text) {
        Ok(definition) => {
            check_diagnostics(text, definition.warnings());
            // A failing example is an error at its `name` line: that position lies in the text too.
            let failed: Vec<Diagnostic> =
                definition.run_examples(nows()[0]).iter().filter_map(|check| check.to_diagnostic()).collect();
            check_diagnostics(text, &failed);
            Some(definition)
        }
        Err(error) => {
            assert!(error.errors().next().is_some(), "a load error without an error: {error:?}");
            check_diagnostics(text, &error.diagnostics);
            let _ = error.to_string();
            None
        }
    }
}

// ---- using a definition ----------------------------------------------------------------

/// What a classification decided, comparable across two ways of reading one record.
fn decided(c: &Classification<'_>) -> String {
    format!(
        "stage {:?} qualified {:?} criteria {:?} score {:?} errors {:?} id {:?}",
        c.stage_index(),
        c.qualified(),
        c.criterion_states(),
        c.score(),
        c.errors(),
        c.id().map(|id| id.to_string())
    )
}

/// Classifies and explains `record` at every reference time, prepared and not, moves it
/// between stages, and checks the two paths agree.
pub fn use_record(definition: &Definition, record: &Record) {
    let prepared = definition.prepare(record);
    for now in nows() {
        let direct = definition.classify(record, now);
        let fast = definition.classify_prepared(&prepared, now).unwrap();
        assert_eq!(decided(&direct), decided(&fast), "classify and classify_prepared disagree");
        assert_eq!(definition.stage_of(&prepared, now).unwrap(), fast.stage_index(), "stage_of and classify disagree");
        let _ = direct.ask();
        let _ = direct.owner();
        let explanation = definition.explain(record, now);
        assert_eq!(decided(&explanation.classification), decided(&direct), "explain and classify disagree");
        let mut text = String::new();
        for trial in &explanation.stages {
            for f in &trial.findings {
                let _ = write!(text, "{} {} {}", f.text, f.truth, f.detail);
            }
        }
        for trial in
            explanation.criteria.iter().map(|t| &t.findings).chain(explanation.scoring.iter().map(|t| &t.findings))
        {
            for f in trial {
                let _ = write!(text, "{} {} {}", f.text, f.truth, f.detail);
            }
        }
        for e in direct.errors() {
            let _ = write!(text, "{e}");
        }
    }
    let now = nows()[0];
    let stages: Vec<_> = definition.stages().iter().take(6).map(|s| s.index()).collect();
    for &from in &stages {
        for &to in &stages {
            let m = definition.check_move_prepared(from, to, &prepared, now);
            let _ = m.is_allowed();
        }
        let _ = definition.moves_from(from, &prepared, now);
    }
    // An index of another definition is refused, never a panic.
    if let Some(foreign) = leadspec::default_definition().stages().last() {
        for &stage in &stages {
            assert!(!definition.check_move_prepared(foreign.index(), stage, &prepared, now).is_allowed());
        }
        assert!(definition.moves_from(foreign.index(), &prepared, now).is_empty());
    }
    // So is a record another definition prepared.
    let foreign = leadspec::default_definition().prepare(&leadspec::Record::new());
    assert!(definition.classify_prepared(&foreign, now).is_err());
    assert!(definition.stage_of(&foreign, now).is_err());
    // And a field index of another definition, by the definition and by its records.
    let foreign_field = leadspec::default_definition().field_position("email").unwrap();
    assert!(definition.field_at(foreign_field).is_none());
    assert!(prepared.slot(foreign_field).is_none());
    assert!(leadspec::Funnel::grouped_by(definition, foreign_field).is_none());
    for field in definition.fields() {
        let index = definition.field_position(&field.id).unwrap();
        assert_eq!(definition.field_at(index), Some(field));
        assert!(prepared.slot(index).is_some());
    }
}

/// Everything a loaded definition offers that does not need a record from outside: its
/// examples, its histories, its header mapping.
pub fn use_definition(definition: &Definition) {
    for now in nows() {
        for check in definition.run_examples(now) {
            let _ = check.passed();
            let _ = check.to_diagnostic();
        }
    }
    let ids: Vec<String> =
        definition.stages().iter().map(|s| s.id().to_string()).chain(["nowhere".to_string()]).collect();
    let now = nows()[0];
    let history: Vec<StageChange> = ids
        .iter()
        .enumerate()
        .flat_map(|(i, stage)| {
            [("L1", i as i64), ("L2", 40 - 3 * i as i64)].map(|(lead, day)| StageChange {
                lead: lead.to_string(),
                stage: stage.clone(),
                at: now - chrono::Duration::days(day),
            })
        })
        .collect();
    let replay = definition.replay(history.clone(), now);
    let _ = replay.breaches(definition);
    let _ = definition.waterfall(history);
    let columns: Vec<String> = definition.fields().iter().map(|f| f.column().to_string()).collect();
    let header = definition.header(&columns);
    let cells: Vec<&str> = columns.iter().map(|_| "1").collect();
    if let Ok(prepared) = header.prepare_row(cells.iter().copied()) {
        let _ = definition.classify_prepared(&prepared, now).unwrap();
    }
}

// ---- the targets -----------------------------------------------------------------------

/// `load_definition`: any text.
pub fn load_definition(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Some(definition) = load(&text) {
        use_definition(&definition);
        use_record(&definition, &Record::new());
    }
}

/// Quotes `text` as a TOML basic string.
pub fn toml_basic(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Quotes `rule` as TOML in the style chosen by `style` (basic, literal, multi-line basic,
/// multi-line literal), falling back to a basic string when the style cannot hold it.
pub fn toml_quoted(rule: &str, style: u8) -> String {
    let controls = rule.chars().any(|c| c.is_control() && c != '\t' && c != '\n');
    match style % 4 {
        1 if !controls && !rule.contains(['\'', '\n']) => format!("'{rule}'"),
        2 if !controls && !rule.contains("'''") && !rule.ends_with('\'') => format!("'''{rule}'''"),
        3 if !controls && !rule.contains('\\') && !rule.contains("\"\"\"") && !rule.ends_with('"') => {
            format!("\"\"\"{rule}\"\"\"")
        }
        _ => toml_basic(rule),
    }
}

const RULE_HEAD: &str = r#"[definition]
name = "Fuzz: a rule"

[teams]
marketing = "Marketing"
sales = "Sales"

[fields]
email = { type = "email", required = true }
website = "url"
company = "string"
budget = "number"
role = { type = "enum", values = ["user", "decision_maker", "économe"] }
purchase_by = "date"
engaged = "boolean"
tags = "list"
lead_source = { type = "enum", column = "Lead Source", values = ["Web", "Event"] }
amount = { type = "number", thousands = ",", currency = true }

[qualification]
require = "any"

[qualification.criteria]
budget = { when = "budget >= 10_000", ask = "How much?" }
authority = "role == 'decision_maker'"
"#;

/// The definition of `rule_in_definition`: `rule`, quoted in `style`, as the `when` of a
/// stage (`place` 0), a criterion (1), a scoring rule (2) or a transition (3).
pub fn rule_definition(rule: &str, style: u8, place: u8) -> String {
    let quoted = toml_quoted(rule, style);
    let place = place % 4;
    let mut text = String::from(RULE_HEAD);
    if place == 1 {
        let _ = writeln!(text, "fuzzed = {{ when = {quoted}, ask = \"?\" }}");
    }
    text.push_str("\n[scoring]\nmax = 100\n\n[[scoring.rules]]\nwhen = \"engaged\"\npoints = 10\n");
    if place == 2 {
        let _ = writeln!(text, "\n[[scoring.rules]]\nwhen = {quoted}\npoints = 5");
    }
    text.push_str("\n[[stages]]\nid = \"contact\"\nowner = \"marketing\"\nwhen = \"email is present\"\n");
    let stage_rule = if place == 0 { quoted.clone() } else { "\"qualified or score > 5\"".to_string() };
    let _ = writeln!(text, "\n[[stages]]\nid = \"fuzzed\"\nowner = \"sales\"\nsla = \"2d\"\nwhen = {stage_rule}");
    if place == 3 {
        let _ = writeln!(text, "\n[[transitions]]\nfrom = \"contact\"\nto = \"fuzzed\"\nwhen = {quoted}");
    }
    text
}

/// The records `rule_in_definition` classifies.
pub fn rule_records() -> Vec<Record> {
    vec![
        Record::new(),
        Record::new()
            .with("email", "ann@example.com")
            .with("website", "https://acme.example/pricing")
            .with("company", "Acme")
            .with("budget", 25_000.0)
            .with("role", "decision_maker")
            .with("purchase_by", "2026-12-31")
            .with("engaged", true)
            .with("tags", Value::List(vec![Value::from("webinar"), Value::from("hot")]))
            .with("Lead Source", "Web")
            .with("amount", "$1,000,000"),
        Record::new()
            .with("email", "not an address")
            .with("website", "ftp://x")
            .with("company", "")
            .with("budget", "lots")
            .with("role", "économe")
            .with("purchase_by", "0001-01-01")
            .with("engaged", "maybe")
            .with("tags", "a;b;;c")
            .with("amount", "-0"),
        Record::new().with("budget", -1e308).with("purchase_by", "9999-12-31T23:59:59Z").with("engaged", 0.0),
    ]
}

/// Whether the targets let an unknown field's span hold parentheses around the name (finding
/// 1 of FUZZING.md): no longer, since the parser keeps a name's own span (commit `9816198`);
/// only if the environment sets `LEADSPEC_FUZZ_TOLERANT`, to replay old corpora of the
/// finding without stopping at it.
pub fn tolerate_parentheses() -> bool {
    static TOLERATE: OnceLock<bool> = OnceLock::new();
    *TOLERATE.get_or_init(|| std::env::var_os("LEADSPEC_FUZZ_TOLERANT").is_some())
}

/// Every "unknown field" error of `text` spans the name as written in the file (an error in a
/// rule points at the offending token: in `budgett >= 1`, at `budgett`); `rule_in_definition`
/// quotes rules escaping no letter, digit or `_`, so the name is written as is (a TOML key may
/// be in quotes). With `tolerate_parentheses`, the span may also hold parentheses around the
/// name (finding 1).
pub fn unknown_fields_point_at_names(text: &str, tolerate_parentheses: bool) {
    let Err(error) = Definition::from_toml(text) else { return };
    for d in &error.diagnostics {
        if let Some(name) = d.message.strip_prefix("unknown field `").and_then(|m| m.split('`').next()) {
            let pointed = text.get(d.span.clone());
            let pointed = pointed.map(|p| if tolerate_parentheses { strip_parentheses(p) } else { p });
            // A key of an example's `record` or `errors` is pointed at with its quotes.
            let pointed = pointed.map(|p| p.strip_prefix('"').and_then(|p| p.strip_suffix('"')).unwrap_or(p));
            assert_eq!(pointed, Some(name), "the error does not point at the name: {d:?}");
        }
    }
}

/// `text` without the parentheses (and the white space inside them) around it.
pub fn strip_parentheses(mut text: &str) -> &str {
    while let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        text = inner.trim();
    }
    text
}

/// `rule_in_definition`: the first byte picks the quoting and the place, the rest is the rule.
pub fn rule_in_definition(data: &[u8]) {
    let Some((&choice, rest)) = data.split_first() else { return };
    let rule = String::from_utf8_lossy(rest);
    let text = rule_definition(&rule, choice & 3, choice >> 2);
    unknown_fields_point_at_names(&text, tolerate_parentheses());
    if let Some(definition) = load(&text) {
        use_definition(&definition);
        for record in rule_records() {
            use_record(&definition, &record);
        }
    }
}

/// `record_json`: one JSON record, read straight into its prepared form and as a
/// [`Record`], against the rich definition; the two readings agree.
pub fn record_json(data: &[u8]) {
    let definition = rich();
    let now = nows()[0];
    let mut json = serde_json::Deserializer::from_slice(data);
    let prepared = definition.prepare_from(&mut json).ok().filter(|_| json.end().is_ok());
    let mut seen = leadspec::SeenKeys::new(definition);
    if let Ok(p) = seen.prepare_from(&mut serde_json::Deserializer::from_slice(data)) {
        let _ = definition.classify_prepared(&p, now).unwrap();
    }
    for finding in seen.report().findings() {
        let _ = finding.to_string();
    }
    let record = serde_json::from_slice::<Record>(data).ok();
    if let Some(record) = &record {
        use_record(definition, record);
    }
    if let Some(prepared) = &prepared {
        let fast = definition.classify_prepared(prepared, now).unwrap();
        let _ = definition.stage_of(prepared, now).unwrap();
        if let Some(record) = &record {
            let direct = definition.classify(record, now);
            assert_eq!(decided(&direct), decided(&fast), "prepare_from and Record disagree on {record:?}");
        }
    }
}

/// `record_csv`: a header and rows of cells, read with [`Definition::header`] against the
/// rich definition; each row agrees with the same row read as a [`Record`] keyed by the
/// header's cells (trimmed, a byte-order mark before the first dropped, the first of two
/// equal cells read).
pub fn record_csv(header: &[String], rows: &[Vec<String>]) {
    let definition = rich();
    let now = nows()[0];
    let mapped = definition.header(header);
    for finding in mapped.report().findings() {
        let _ = finding.to_string();
    }
    let _ = mapped.report().missing_fields().count();
    let keys: Vec<&str> = header
        .iter()
        .enumerate()
        .map(|(i, cell)| if i == 0 { cell.strip_prefix('\u{feff}').unwrap_or(cell) } else { cell.as_str() }.trim())
        .collect();
    let mut reused = definition.prepare(&Record::new());
    for row in rows {
        let prepared = mapped.prepare_row(row.iter().map(String::as_str));
        let into = mapped.prepare_row_into(row.iter().map(String::as_str), &mut reused);
        assert_eq!(prepared.is_ok(), into.is_ok(), "prepare_row and prepare_row_into disagree");
        let Ok(prepared) = prepared else {
            assert_ne!(row.len(), header.len(), "a row as wide as its header was refused");
            continue;
        };
        let fast = definition.classify_prepared(&prepared, now).unwrap();
        assert_eq!(
            decided(&fast),
            decided(&definition.classify_prepared(&reused, now).unwrap()),
            "prepare_row_into differs"
        );
        let mut record = Record::new();
        for (key, cell) in keys.iter().zip(row) {
            if record.get(key).is_none() {
                record.insert(*key, cell.as_str());
            }
        }
        let direct = definition.classify(&record, now);
        assert_eq!(decided(&direct), decided(&fast), "a CSV row and the same Record disagree: {record:?}");
        use_record(definition, &record);
    }
}
