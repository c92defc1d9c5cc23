//! What the crate says of a table's rows: each row written as a CSV row under the table's
//! header and read the way `leadspec classify` reads a CSV file (`leadspec::read`), then
//! classified at the reference time, as the result row the SQL query must give.
#![allow(dead_code)] // each test file uses a part

use chrono::{DateTime, Utc};
use leadspec::read::{Format, Item, Layout, Reader, Records};
use leadspec::{Classification, Definition};

use super::engines::{table_csv, ResultRow, Table};

/// The result columns of a definition's query, in order: `id`, `stage`, `owner`,
/// `qualified`, `criteria.<id>`..., `score` (with `[scoring]`), `invalid`.
pub fn result_columns(definition: &Definition) -> Vec<String> {
    let mut columns: Vec<String> = ["id", "stage", "owner", "qualified"].map(String::from).into();
    columns.extend(definition.qualification().criteria().iter().map(|c| format!("criteria.{}", c.id())));
    if definition.scoring().is_some() {
        columns.push("score".to_string());
    }
    columns.push("invalid".to_string());
    columns
}

/// One classification as a result row.
pub fn result_row(result: &Classification<'_>) -> ResultRow {
    let mut row = ResultRow::new();
    row.insert("id".into(), result.id().map(|id| id.to_string()));
    row.insert("stage".into(), result.stage().map(|s| s.id().to_string()));
    row.insert("owner".into(), result.owner().map(|t| t.id.to_string()));
    row.insert("qualified".into(), Some(result.qualified().word().to_string()));
    for (criterion, state) in result.criteria() {
        row.insert(format!("criteria.{}", criterion.id()), Some(state.word().to_string()));
    }
    if let Some(score) = result.score() {
        row.insert("score".into(), Some(score.to_string()));
    }
    let invalid: Vec<&str> = result.errors().iter().map(|e| e.field.as_str()).collect();
    row.insert("invalid".into(), Some(invalid.join(",")));
    row
}

/// The crate's result row for every row of `table`, in order. Every row must be readable
/// (a table has one cell per column, so it is).
pub fn classify_table(definition: &Definition, table: &Table, now: DateTime<Utc>) -> Vec<ResultRow> {
    let csv = table_csv(table);
    let layout = Layout { format: Format::Csv, delimiter: Some(b',') };
    let mut records = Records::new(csv.as_bytes(), layout).expect("the table's CSV header reads");
    let mut reader = Reader::new(definition, &records);
    let mut out = Vec::with_capacity(table.rows.len());
    while let Some(item) = reader.next_record(&mut records) {
        match item.expect("the table's CSV reads") {
            Item::Record(lead) => {
                let result = definition.classify_prepared(lead, now).expect("a record of this definition");
                out.push(result_row(&result));
            }
            Item::Unreadable(why) => panic!("row {} of the table cannot be read: {why}", out.len() + 1),
        }
    }
    assert_eq!(out.len(), table.rows.len(), "the crate read as many rows as the table holds");
    out
}
