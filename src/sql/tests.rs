//! Unit tests of the query's shape; the agreement with the crate is tested against the
//! engines themselves in `tests/sql_engines.rs`.

use super::*;

fn now() -> chrono::DateTime<chrono::Utc> {
    crate::parse_reference_time("2026-11-22").unwrap()
}

#[test]
fn every_shipped_definition_compiles_or_is_refused_at_a_place() {
    for path in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/definitions")).unwrap() {
        let path = path.unwrap().path();
        let definition = Definition::from_path(&path).unwrap();
        for d in Dialect::ALL {
            match definition.to_sql(d, &SqlOptions::new().now(now())) {
                Ok(sql) => {
                    assert!(sql.starts_with("WITH ") && sql.contains("leadspec_cells AS"), "{}", path.display());
                    assert!(!sql.trim_end().ends_with(';'));
                }
                Err(e) => {
                    assert!(e.message.contains(d.name()), "{}: {e:?}", path.display());
                    assert!(e.position.is_some() || e.key.is_some(), "{}: {e:?}", path.display());
                }
            }
        }
    }
}

#[test]
fn java_patterns_end_at_the_end() {
    assert_eq!(dialect_java_ends("^[0-9]*$"), "^[0-9]*\\z");
    assert_eq!(dialect_java_ends("(^|[^0-9]),|,([^0-9]|$)"), "(^|[^0-9]),|,([^0-9]|\\z)");
    assert_eq!(dialect_java_ends("[$%]x"), "[$%]x");
    assert_eq!(dialect_java_ends("a\\$"), "a\\$");
}

fn dialect_java_ends(pattern: &str) -> String {
    let sql = Dialect::Spark.regex_search("x", pattern);
    // `(x RLIKE '...')`, the literal's backslashes doubled.
    sql.trim_start_matches("(x RLIKE '").trim_end_matches("')").replace("\\\\", "\\")
}

#[test]
fn spark_literals_escape_backslashes_and_name_characters_by_code() {
    assert_eq!(Dialect::Spark.text("a\\b'c"), "'a\\\\b\\'c'");
    assert_eq!(Dialect::Spark.chr(0x2028), "'\\u2028'");
    assert_eq!(Dialect::Sqlite.chr(0x2028), "char(8232)");
}
