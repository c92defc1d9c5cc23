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
        for d in [Dialect::Postgres, Dialect::DuckDb, Dialect::Sqlite] {
            match definition.to_sql(d, &SqlOptions::new().now(now())) {
                Ok(sql) => assert!(sql.starts_with("WITH leadspec_cells AS"), "{}", path.display()),
                Err(e) => {
                    assert!(e.message.contains(d.name()), "{}: {e:?}", path.display());
                    assert!(e.position.is_some() || e.key.is_some(), "{}: {e:?}", path.display());
                }
            }
        }
    }
}
