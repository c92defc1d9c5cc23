//! `Definition::to_sql` against the crate, row by row, in the real engines: PostgreSQL (a
//! throwaway cluster), DuckDB (its Python package) and SQLite (bundled through `rusqlite`).
//!
//! For every shipped definition and for random ones, a table of messy text cells is
//! classified by the crate (read as `leadspec classify` reads the same cells as CSV) and by
//! the definition's query in each engine, at one fixed reference time; every row must
//! agree. Every `[[examples]]` entry of the shipped definitions, as a one-row table, must
//! too. A query that the compiler refuses for a dialect (an `SqlError`) is accepted only
//! with a position (or key) and the dialect's name, and that definition is then skipped for that
//! dialect. An engine that cannot be started fails the tests with what to install.
//!
//! Knobs (environment variables): `LEADSPEC_SQL_ROWS` rows per table (default 10000),
//! `LEADSPEC_SQL_DEFINITIONS` random definitions (default 8), `LEADSPEC_SQL_SEED` the seed.
//!
//! Run: `cargo test --all-features --test sql_engines -- --nocapture` (it prints the time
//! each engine took and the skips).
#![cfg(feature = "cli")]

/// The shared test modules (tests/support/), as one tree so they can refer to each other.
mod support {
    pub mod crate_side;
    pub mod engines;
    pub mod messy;
    pub mod random_definitions;
}

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use leadspec::{Definition, Dialect, ExampleExpectation, Record, SqlOptions, Value};
use support::crate_side::{classify_table, result_columns, result_row};
use support::engines::{Engine, ResultRow, Table};
use support::messy::{self, Rng};
use support::random_definitions::{self, CONSTRUCTS};

/// The reference time of every comparison: mid-afternoon, so `now` and `today` differ.
const NOW: &str = "2026-11-22T15:30:00Z";

fn now() -> DateTime<Utc> {
    leadspec::parse_reference_time(NOW).unwrap()
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text.trim().parse().unwrap_or_else(|_| panic!("{name}={text} is not a number")),
        Err(_) => default,
    }
}

fn rows() -> usize {
    env_number("LEADSPEC_SQL_ROWS", 10_000) as usize
}

fn seed() -> u64 {
    env_number("LEADSPEC_SQL_SEED", 0x1ead_5bec)
}

fn dialect(engine: Engine) -> Dialect {
    match engine {
        Engine::Postgres => Dialect::Postgres,
        Engine::DuckDb => Dialect::DuckDb,
        Engine::Sqlite => Dialect::Sqlite,
        Engine::Spark => Dialect::Spark,
    }
}

fn shipped() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/definitions");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    out.sort();
    assert!(out.len() >= 5, "the shipped definitions are in {}", dir.display());
    out
}

/// What a run of comparisons found: failures (each a full report), refusals accepted as
/// skips, and the time each engine took.
#[derive(Default)]
struct Report {
    failures: Vec<String>,
    skips: Vec<String>,
    compared: usize,
    time: BTreeMap<&'static str, Duration>,
}

impl Report {
    fn finish(self, what: &str) {
        for (engine, time) in &self.time {
            eprintln!("{what}: {engine} took {:.2?} in all", time);
        }
        eprintln!("{what}: {} comparisons, {} skipped by the compiler's refusal", self.compared, self.skips.len());
        for skip in &self.skips {
            eprintln!("  skipped: {skip}");
        }
        if !self.failures.is_empty() {
            let shown = self.failures.len().min(24);
            panic!(
                "{what}: {} failures; the first {shown}:\n\n{}",
                self.failures.len(),
                self.failures[..shown].join("\n\n")
            );
        }
    }
}

fn show_cells(table: &Table, index: usize) -> String {
    let cells: Vec<String> =
        table.columns.iter().zip(&table.rows[index]).map(|(column, cell)| format!("{column:?}: {cell:?}")).collect();
    format!("{{{}}}", cells.join(", "))
}

/// Compares the engine's rows with the crate's, matched by `id` (unique in every table
/// the tests build; a one-row table is matched as is). A description of the first few
/// differences, or `None` when they agree.
fn differences(table: &Table, expected: &[ResultRow], got: &[ResultRow], columns: &[String]) -> Option<String> {
    let mut problems = Vec::new();
    if got.len() != expected.len() {
        problems.push(format!("{} rows from the engine, {} in the table", got.len(), expected.len()));
    }
    let wanted: BTreeSet<&str> = columns.iter().map(String::as_str).collect();
    if let Some(row) = got.first() {
        let keys: BTreeSet<&str> = row.keys().map(String::as_str).collect();
        if keys != wanted {
            problems.push(format!("the result columns are {keys:?}, expected {wanted:?}"));
        }
    }
    let pairs: Vec<(usize, Option<&ResultRow>)> = if expected.len() == 1 && got.len() == 1 {
        vec![(0, got.first())]
    } else {
        let by_id: BTreeMap<Option<&str>, &ResultRow> =
            got.iter().map(|r| (r.get("id").and_then(|v| v.as_deref()), r)).collect();
        if by_id.len() != got.len() {
            problems.push("the engine's ids are not unique".to_string());
        }
        expected
            .iter()
            .enumerate()
            .map(|(i, row)| (i, by_id.get(&row.get("id").and_then(|v| v.as_deref())).copied()))
            .collect()
    };
    let mut differing = 0;
    for (i, got_row) in pairs {
        let want = &expected[i];
        let same = got_row.is_some_and(|g| columns.iter().all(|c| g.get(c) == want.get(c)));
        if !same {
            differing += 1;
            if differing <= 5 {
                let show = |row: &ResultRow| {
                    columns
                        .iter()
                        .map(|c| format!("{c}={:?}", row.get(c).cloned().flatten()))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let diff: Vec<String> = columns
                    .iter()
                    .filter(|c| got_row.is_none_or(|g| g.get(*c) != want.get(*c)))
                    .map(|c| c.to_string())
                    .collect();
                problems.push(format!(
                    "row {}: cells {}\n    crate:  {}\n    engine: {}\n    differ in: {}",
                    i + 1,
                    show_cells(table, i),
                    show(want),
                    got_row.map_or_else(|| "no row with this id".to_string(), show),
                    diff.join(", ")
                ));
            }
        }
    }
    if differing > 5 {
        problems.push(format!("... and {} more rows differ", differing - 5));
    }
    if differing > 0 {
        problems.insert(0, format!("{differing} of {} rows differ", expected.len()));
    }
    (!problems.is_empty()).then(|| problems.join("\n  "))
}

/// Compiles `definition` for every engine at `now`, runs it over `table` and compares
/// with the crate's answers `expected`.
fn compare_everywhere(
    report: &mut Report,
    name: &str,
    definition: &Definition,
    table: &Table,
    expected: &[ResultRow],
    now: DateTime<Utc>,
) {
    let columns = result_columns(definition);
    for engine in Engine::tested() {
        let dialect = dialect(engine);
        let query = match definition.to_sql(dialect, &SqlOptions::new().now(now)) {
            Ok(query) => query,
            Err(error) => {
                let names_dialect = error.message.to_lowercase().contains(dialect.name());
                // A refusal is placed by the position of a rule's leaf, or by the TOML key
                // of a construct outside the rules (`leadspec sql` finds that key's line).
                match (error.position, &error.key) {
                    (Some((line, column)), _) if names_dialect => {
                        report.skips.push(format!("{name} in {dialect}: {line}:{column}: {}", error.message));
                    }
                    (None, Some(key)) if names_dialect && !key.is_empty() => {
                        report.skips.push(format!("{name} in {dialect}: at {}: {}", key.join("."), error.message));
                    }
                    _ => report.failures.push(format!(
                        "{name}: to_sql({dialect}) failed: {error}\n  (a refusal is accepted only with a position \
                         or key and the dialect's name; position {:?}, key {:?}, hint {:?})",
                        error.position, error.key, error.hint
                    )),
                }
                continue;
            }
        };
        report.compared += 1;
        let started = Instant::now();
        let got = engine.run(table, &query);
        *report.time.entry(engine.name()).or_default() += started.elapsed();
        match got {
            Err(error) => report.failures.push(format!("{name} in {}: {error}\n  query:\n{query}", engine.name())),
            Ok(got) => {
                if let Some(diff) = differences(table, expected, &got, &columns) {
                    report.failures.push(format!(
                        "{name} in {}: the query disagrees with the crate\n  {diff}\n  query:\n{query}",
                        engine.name()
                    ));
                }
            }
        }
    }
}

#[test]
fn every_shipped_definition_agrees_in_every_engine() {
    let mut report = Report::default();
    let mut rng = Rng::new(seed());
    for (name, toml) in shipped() {
        let definition = Definition::from_toml(&toml).unwrap_or_else(|e| panic!("{name}: {e}"));
        let table = messy::table(&mut rng, &definition, rows(), now());
        let expected = classify_table(&definition, &table, now());
        compare_everywhere(&mut report, &name, &definition, &table, &expected, now());
    }
    report.finish("shipped definitions");
}

#[test]
fn random_definitions_agree_in_every_engine() {
    let mut report = Report::default();
    let mut rng = Rng::new(seed() ^ 0xdef);
    for n in 0..env_number("LEADSPEC_SQL_DEFINITIONS", 8) {
        let drawn = random_definitions::definition(&mut rng, now());
        let table = messy::table(&mut rng, &drawn.definition, rows(), now());
        let expected = classify_table(&drawn.definition, &table, now());
        let before = report.failures.len();
        compare_everywhere(&mut report, &format!("random definition {n}"), &drawn.definition, &table, &expected, now());
        if report.failures.len() > before {
            report.failures.push(format!("random definition {n} reads:\n{}", drawn.toml));
        }
    }
    report.finish("random definitions");
}

/// A TOML value of an example's record as the text of a cell: how a CSV export would hold it.
fn cell_text(definition: &Definition, column: &str, value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Text(text) => Some(text.clone()),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(format!("{}", *n as i64)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Date(d) => Some(d.format("%Y-%m-%d").to_string()),
        Value::List(items) => {
            let separator = definition
                .column_position(column)
                .and_then(|i| definition.field_at(i))
                .map_or(';', |f| f.format().separator());
            let items: Vec<String> = items.iter().filter_map(|v| cell_text(definition, column, v)).collect();
            Some(items.join(&separator.to_string()))
        }
        Value::Nested => panic!("an example record holds a nested value at {column:?}"),
    }
}

#[test]
fn every_example_of_the_shipped_definitions_agrees_in_every_engine() {
    let mut report = Report::default();
    let mut examples = 0;
    for (name, toml) in shipped() {
        let definition = Definition::from_toml(&toml).unwrap_or_else(|e| panic!("{name}: {e}"));
        let failed: Vec<String> =
            definition.run_examples(now()).iter().filter_map(|c| c.to_diagnostic()).map(|d| d.message).collect();
        assert!(failed.is_empty(), "{name}: examples fail in the crate itself: {failed:?}");
        for example in definition.examples() {
            if matches!(example.expectation(), ExampleExpectation::Move { .. }) {
                continue; // a move is not a classification: no column of the query says it
            }
            examples += 1;
            let at = example.now().unwrap_or_else(now);
            let record: &Record = example.record();
            let mut table = Table::default();
            let mut row = Vec::new();
            for (column, value) in record.iter() {
                table.columns.push(column.to_string());
                row.push(cell_text(&definition, column, value));
            }
            table.rows.push(row);
            // What the example means, from its typed record, is what the crate reads from
            // the cells: the table is a faithful copy of the example.
            let typed = result_row(&definition.classify(record, at));
            let expected = classify_table(&definition, &table, at);
            assert_eq!(expected[0], typed, "{name}: example {:?} reads otherwise as text cells", example.name());
            let stage = expected[0]["stage"].as_deref();
            match example.expectation() {
                ExampleExpectation::Stage(index) => {
                    assert_eq!(stage, definition.stage_at(*index).map(|s| s.id()), "{name}: {:?}", example.name())
                }
                ExampleExpectation::Unclassified => assert_eq!(stage, None, "{name}: {:?}", example.name()),
                ExampleExpectation::Move { .. } => unreachable!(),
            }
            let label = format!("{name}: example {:?}", example.name());
            compare_everywhere(&mut report, &label, &definition, &table, &expected, at);
        }
    }
    assert!(examples >= 20, "only {examples} examples in the shipped definitions");
    report.finish("examples");
}

/// The generators reach what they are for: random definitions that load (few discarded),
/// whose rules use every construct of the rule language, and messy cells that are valid,
/// invalid and missing for every field type.
#[test]
fn the_generators_cover_the_rule_language_and_every_kind_of_cell() {
    use leadspec::{FieldType, Slot};
    let mut rng = Rng::new(seed());
    let mut constructs = BTreeSet::new();
    let (mut drawn, mut discarded) = (0, 0);
    let mut first_error = None;
    // kind of cell seen, per field type: 0 missing, 1 invalid, 2 valid
    let mut kinds: BTreeMap<&'static str, [usize; 3]> = BTreeMap::new();
    for _ in 0..40 {
        let d = random_definitions::definition(&mut rng, now());
        drawn += 1 + d.discarded;
        discarded += d.discarded;
        if first_error.is_none() {
            first_error = d.first_error.clone();
        }
        constructs.extend(d.constructs.iter().copied());
        let table = messy::table(&mut rng, &d.definition, 200, now());
        for row in &table.rows {
            let cells: Vec<&str> = row.iter().map(|c| c.as_deref().unwrap_or("")).collect();
            let record = Record::from_csv_row(&table.columns, &cells).unwrap();
            let prepared = d.definition.prepare(&record);
            for (column, _) in table.columns.iter().zip(row).skip(1) {
                let index = d.definition.column_position(column).unwrap();
                let ty = d.definition.field_at(index).unwrap().ty;
                let kind = match prepared.slot(index) {
                    Some(Slot::Missing) => 0,
                    Some(Slot::Invalid) => 1,
                    _ => 2,
                };
                kinds.entry(ty.name()).or_default()[kind] += 1;
            }
        }
    }
    eprintln!("random definitions: {discarded} of {drawn} drawn did not load; cells by type [missing, invalid, valid]: {kinds:?}");
    let missing: Vec<&&str> = CONSTRUCTS.iter().filter(|c| !constructs.contains(**c)).collect();
    assert!(missing.is_empty(), "no random rule used {missing:?}");
    assert!(
        discarded * 2 <= drawn,
        "{discarded} of {drawn} random definitions did not load; the first: {}",
        first_error.unwrap_or_default()
    );
    for ty in FieldType::ALL {
        let [m, i, v] = kinds.get(ty.name()).copied().unwrap_or_default();
        assert!(m > 0 && v > 0, "{}: {m} missing, {i} invalid, {v} valid cells", ty.name());
        if !matches!(ty, FieldType::String | FieldType::List) {
            assert!(i > 0, "{}: no invalid cell among {m} missing and {v} valid", ty.name());
        }
    }
}

/// The runners themselves, before any compiled query: a hand-written query per engine for
/// a one-field definition, checked against the crate on cells of every kind.
#[test]
fn hand_written_queries_agree_with_the_crate_in_every_engine() {
    let definition = Definition::from_toml(
        r#"
        [definition]
        name = "Smoke"
        [teams]
        sales = "Sales"
        [fields]
        budget = "number"
        [[stages]]
        id = "big"
        owner = "sales"
        when = "budget >= 10000"
        "#,
    )
    .unwrap();
    let cells = [
        Some("25000"),
        Some("  9999 "),
        Some(""),
        None,
        Some("abc"),
        Some("10000"),
        Some("-5"),
        Some("12000"),
        Some("   "),
        Some("it's"),
        Some("\"quoted\", with a comma\nand a new line"),
        Some("été"),
        Some("0"),
        Some(" 999999 "),
    ];
    let mut table = Table { columns: vec!["id".into(), "budget".into()], rows: Vec::new() };
    // As many rows as the differential tests use, so its output times each runner.
    for (i, cell) in cells.iter().cycle().take(rows().max(cells.len())).enumerate() {
        table.rows.push(vec![Some(format!("r{i}")), cell.map(str::to_string)]);
    }
    let expected = classify_table(&definition, &table, now());
    // The crate's answers cover every branch the queries have.
    let stages: BTreeSet<Option<String>> = expected.iter().map(|r| r["stage"].clone()).collect();
    let invalid: BTreeSet<Option<String>> = expected.iter().map(|r| r["invalid"].clone()).collect();
    assert_eq!(stages, BTreeSet::from([None, Some("big".to_string())]));
    assert_eq!(invalid, BTreeSet::from([Some(String::new()), Some("budget".to_string())]));
    assert!(expected.iter().all(|r| r["qualified"].as_deref() == Some("met")), "{:?}", expected[0]);

    // Read and checked as an optional sign and digits, which is all these cells need.
    let outer = |value: &str| {
        format!(
            r#"SELECT "id" AS "id",
                CASE WHEN v >= 10000 THEN 'big' END AS "stage",
                CASE WHEN v >= 10000 THEN 'sales' END AS "owner",
                'met' AS "qualified",
                CASE WHEN t <> '' AND v IS NULL THEN 'budget' ELSE '' END AS "invalid"
            FROM (SELECT "id", t, {value} AS v FROM (SELECT "id", TRIM("budget") AS t FROM leads) AS a) AS b"#
        )
    };
    let queries = [
        (Engine::Postgres, outer("CASE WHEN t ~ '^-?[0-9]+$' THEN CAST(t AS numeric) END")),
        (Engine::DuckDb, outer("CASE WHEN regexp_full_match(t, '-?[0-9]+') THEN CAST(t AS DOUBLE) END")),
        (
            Engine::Sqlite,
            outer(
                "CASE WHEN t <> '' AND (t NOT GLOB '*[^0-9]*' OR (t GLOB '-?*' AND substr(t, 2) NOT GLOB '*[^0-9]*')) \
                 THEN CAST(t AS INTEGER) END",
            ),
        ),
    ];
    let columns = result_columns(&definition);
    let mut failures = Vec::new();
    for (engine, query) in queries {
        let started = Instant::now();
        match engine.run(&table, &query) {
            Err(error) => failures.push(error),
            Ok(got) => {
                if let Some(diff) = differences(&table, &expected, &got, &columns) {
                    failures.push(format!("{}: {diff}\n  query:\n{query}", engine.name()));
                }
            }
        }
        eprintln!("{}: {} rows in {:.2?}", engine.name(), table.rows.len(), started.elapsed());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The runners load every messy cell exactly: `SELECT *` gives back the table as written,
/// `NULL` cells as `NULL` and empty ones as `''`, in every engine.
#[test]
fn every_engine_holds_the_messy_cells_as_written() {
    let mut rng = Rng::new(seed() ^ 0xce11);
    let drawn = random_definitions::definition(&mut rng, now());
    let mut table = messy::table(&mut rng, &drawn.definition, 2000, now());
    // Empty cells and NULL cells side by side, and an id column named like a keyword.
    table.columns[0] = "select".to_string();
    table.rows[1][1] = Some(String::new());
    table.rows[2][1] = None;
    let expected: BTreeMap<String, ResultRow> = table
        .rows
        .iter()
        .map(|row| {
            let cells: ResultRow = table.columns.iter().cloned().zip(row.iter().cloned()).collect();
            (row[0].clone().unwrap(), cells)
        })
        .collect();
    for engine in Engine::tested() {
        let got = engine.run(&table, "SELECT * FROM leads").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.len(), table.rows.len(), "{}", engine.name());
        for row in got {
            let id = row["select"].clone().unwrap();
            assert_eq!(row, expected[&id], "{}: row {id}", engine.name());
        }
    }
}

/// The sample leads as a table of text cells, read with the `csv` crate.
fn sample_leads() -> Table {
    let mut reader = csv::Reader::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/leads.csv")).unwrap();
    let columns: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows =
        reader.records().map(|r| r.unwrap().iter().map(|c| (!c.is_empty()).then(|| c.to_string())).collect()).collect();
    Table { columns, rows }
}

#[test]
fn the_warehouse_view_classifies_the_sample_leads_as_the_crate_does() {
    // examples/warehouse/postgres/lead_stage.sql, as a team would run it: the view reads
    // the engine's clock, so the crate classifies at the time the query runs.
    let view =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/warehouse/postgres/lead_stage.sql"))
            .unwrap();
    let table = sample_leads();
    let definition = leadspec::default_definition();
    let now = Utc::now();
    let got = support::engines::postgres_with(&table, &view, "SELECT * FROM lead_stage").unwrap();
    let expected = classify_table(definition, &table, now);
    let columns = result_columns(definition);
    if let Some(problems) = differences(&table, &expected, &got, &columns) {
        panic!("the warehouse view disagrees with the crate:\n  {problems}");
    }
}
