//! `leadspec sql`: the query on standard output, refusals at their place in the file.
//! (Whether the queries agree with the crate is tested in the engines, in `sql_engines.rs`.)
#![cfg(feature = "cli")]

#[path = "support/cli.rs"]
mod cli;

use cli::{file_in, run, s};

const SITES: &str = r#"[definition]
name = "Sites"

[teams]
marketing = "Marketing"

[fields]
website = "url"
email = "email"

[[stages]]
id = "developer"
owner = "marketing"
when = "email is present and website matches '\\.dev$'"
"#;

#[test]
fn the_query_is_one_select_without_a_trailing_semicolon() {
    let out = run(&["sql", "--dialect", "postgres", "--now", "2026-11-22"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let query = out.stdout.trim_end();
    assert!(query.starts_with("WITH leadspec_cells AS ("), "{query}");
    assert!(!query.ends_with(';'));
    assert!(query.contains("FROM \"leads\" NATURAL LEFT JOIN"));
    for column in
        ["\"id\"", "\"stage\"", "AS \"owner\"", "AS \"qualified\"", "AS \"criteria.budget\"", "AS \"invalid\""]
    {
        assert!(query.contains(column), "{column} missing");
    }
    // Without --now the query reads the engine's clock.
    let live = run(&["sql", "--dialect", "postgres"]);
    assert!(live.stdout.contains("now()"), "{}", live.stderr);
    assert!(!out.stdout.contains("now()"));
}

#[test]
fn table_names_are_quoted_for_the_dialect() {
    let out = run(&["sql", "--dialect", "duckdb", "--table", "crm.Leads 2026"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("FROM \"crm\".\"Leads 2026\" NATURAL LEFT JOIN"));
}

#[test]
fn a_construct_the_dialect_cannot_write_is_refused_at_its_position() {
    let path = file_in("cli_sql", "refused", "sites.toml", SITES);
    let out = run(&["sql", "--definition", s(&path), "--dialect", "sqlite"]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "");
    // The rule's text starts at column 9 of line 14; `website matches` 21 characters on.
    let first = out.stderr.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "{}:14:30: error: the sqlite dialect has no regular expressions, so `matches` cannot be written in it",
            s(&path)
        )
    );
    assert!(out.stderr.contains("when = \"email is present and website matches"), "{}", out.stderr);
    assert!(out.stderr.contains("use contains, starts_with or ends_with"), "{}", out.stderr);
    // The same definition is written for the engines with regular expressions.
    for dialect in ["postgres", "duckdb"] {
        let ok = run(&["sql", "--definition", s(&path), "--dialect", dialect]);
        assert_eq!(ok.code, 0, "{dialect}: {}", ok.stderr);
    }
}

#[test]
fn a_refusal_outside_the_rules_points_at_its_key() {
    let path = file_in(
        "cli_sql",
        "placeholder",
        "placeholder.toml",
        SITES
            .replace("[teams]", "[input]\nmissing = [\"-\", \"Sélection\"]\n\n[teams]")
            .replace(" and website matches '\\\\.dev$'", ""),
    );
    let out = run(&["sql", "--definition", s(&path), "--dialect", "duckdb"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with(&format!("{}:5:11: error: a placeholder `Sélection` is compared ignoring case", s(&path))),
        "{}",
        out.stderr
    );
}

#[test]
fn a_named_time_zone_reaches_sqlite_as_a_table_of_offsets() {
    let path = file_in(
        "cli_sql",
        "zone",
        "zone.toml",
        SITES
            .replace("[teams]", "[input]\ntimezone = \"Europe/Berlin\"\n\n[teams]")
            .replace("email = \"email\"", "email = \"email\"\nsigned_up = \"date\"")
            .replace(" and website matches '\\\\.dev$'", ""),
    );
    let out = run(&["sql", "--definition", s(&path), "--dialect", "sqlite"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("WITH leadspec_zone(k, s, o) AS MATERIALIZED ("), "{}", &out.stdout[..200]);
    // Berlin went to summer time at 01:00 UTC on 2026-03-29, in the bucket 52 of 2^25 s.
    assert!(out.stdout.contains("(52, 1774746000, 7200)"));
}

#[test]
fn usage_errors_and_invalid_definitions() {
    let unknown = run(&["sql", "--dialect", "oracle"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("unknown SQL dialect `oracle`"), "{}", unknown.stderr);
    assert_eq!(run(&["sql"]).code, 2, "--dialect is required");
    let broken =
        file_in("cli_sql", "broken", "broken.toml", SITES.replace("owner = \"marketing\"", "owner = \"marketting\""));
    let out = run(&["sql", "--definition", s(&broken), "--dialect", "duckdb"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("error:"), "{}", out.stderr);
    let spark = run(&["sql", "--dialect", "spark", "--table", "crm.leads"]);
    assert_eq!(spark.code, 0, "{}", spark.stderr);
    assert!(spark.stdout.contains("FROM `crm`.`leads` NATURAL LEFT JOIN"), "{}", spark.stdout);
}
